//! The seed is a string, kept byte for byte: "007" is not "7".

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SeedError {
    #[error("the seed is empty")]
    Empty,
    #[error("the seed is longer than 256 characters")]
    TooLong,
    #[error("the seed has an invisible or control character at position {0}")]
    Invisible(usize),
    #[error("the seed starts or ends with white space")]
    OuterSpace,
}

impl SeedError {
    pub fn zh(&self) -> String {
        match self {
            SeedError::Empty => "种子不能为空".into(),
            SeedError::TooLong => "种子不能超过 256 个字符".into(),
            SeedError::Invisible(p) => format!("种子第 {p} 个字符是控制字符或不可见字符"),
            SeedError::OuterSpace => "种子首尾不能有空白".into(),
        }
    }
}

fn invisible(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{00AD}' | '\u{034F}' | '\u{061C}' | '\u{180E}' | '\u{200B}'..='\u{200F}' | '\u{2028}'..='\u{202E}' | '\u{2060}'..='\u{206F}' | '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}')
}

/// A seed must be printable text that a person can read out and type back.
pub fn check_seed(seed: &str) -> Result<(), SeedError> {
    if seed.is_empty() {
        return Err(SeedError::Empty);
    }
    if seed.chars().count() > 256 {
        return Err(SeedError::TooLong);
    }
    if let Some((i, _)) = seed.chars().enumerate().find(|(_, c)| invisible(*c)) {
        return Err(SeedError::Invisible(i + 1));
    }
    if seed.trim() != seed {
        return Err(SeedError::OuterSpace);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seeds() {
        assert_eq!(check_seed("007"), Ok(()));
        assert_eq!(check_seed("36 51 02 骰子"), Ok(()));
        assert_eq!(check_seed(""), Err(SeedError::Empty));
        assert_eq!(check_seed("12\n"), Err(SeedError::Invisible(3)));
        assert_eq!(check_seed("1\u{200B}2"), Err(SeedError::Invisible(2)));
        assert_eq!(check_seed(" 12"), Err(SeedError::OuterSpace));
    }
}
