//! Identifier check characters: 统一社会信用代码 (GB 32100-2015) and 居民身份证号 (GB 11643).

/// The 31-character alphabet of GB 32100-2015 (no I, O, S, V, Z).
const USCC_ALPHABET: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";
const USCC_WEIGHTS: [u32; 17] = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/// Why an identifier was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IdError {
    Length { expected: usize, found: usize },
    Character { position: usize, found: char },
    CheckCharacter { expected: char, found: char },
}

impl IdError {
    pub fn zh(&self) -> String {
        match self {
            IdError::Length { expected, found } => format!("长度应为 {expected} 位，实际 {found} 位"),
            IdError::Character { position, found } => format!("第 {position} 位字符“{found}”不允许"),
            IdError::CheckCharacter { expected, found } => {
                format!("校验位错误：应为“{expected}”，实际“{found}”")
            }
        }
    }
    pub fn en(&self) -> String {
        match self {
            IdError::Length { expected, found } => format!("must have {expected} characters, found {found}"),
            IdError::Character { position, found } => {
                format!("character '{found}' at position {position} is not allowed")
            }
            IdError::CheckCharacter { expected, found } => {
                format!("wrong check character: expected '{expected}', found '{found}'")
            }
        }
    }
}

fn uscc_value(c: char) -> Option<u32> {
    USCC_ALPHABET.find(c).map(|i| i as u32)
}

/// Checks a 统一社会信用代码: 18 characters of the alphabet, the last one the mod-31 check character.
pub fn check_uscc(code: &str) -> Result<(), IdError> {
    let chars: Vec<char> = code.chars().collect();
    if chars.len() != 18 {
        return Err(IdError::Length {
            expected: 18,
            found: chars.len(),
        });
    }
    let mut sum = 0u32;
    for (i, &c) in chars.iter().enumerate() {
        let v = uscc_value(c).ok_or(IdError::Character {
            position: i + 1,
            found: c,
        })?;
        if i < 17 {
            sum += v * USCC_WEIGHTS[i];
        }
    }
    let check = (31 - sum % 31) % 31;
    let expected = USCC_ALPHABET.as_bytes()[check as usize] as char;
    if chars[17] != expected {
        return Err(IdError::CheckCharacter {
            expected,
            found: chars[17],
        });
    }
    Ok(())
}

const ID_WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

/// Checks an 18-digit 居民身份证号 (GB 11643): 17 digits and a mod-11 check character (0-9 or X).
pub fn check_resident_id(id: &str) -> Result<(), IdError> {
    let chars: Vec<char> = id.chars().collect();
    if chars.len() != 18 {
        return Err(IdError::Length {
            expected: 18,
            found: chars.len(),
        });
    }
    let mut sum = 0u32;
    for (i, &c) in chars.iter().take(17).enumerate() {
        let d = c.to_digit(10).ok_or(IdError::Character {
            position: i + 1,
            found: c,
        })?;
        sum += d * ID_WEIGHTS[i];
    }
    let expected = "10X98765432".as_bytes()[(sum % 11) as usize] as char;
    if chars[17] != expected {
        return Err(IdError::CheckCharacter {
            expected,
            found: chars[17],
        });
    }
    Ok(())
}

/// Masks all but the first and last few characters, for anything that leaves the unit.
pub fn mask(s: &str, keep_head: usize, keep_tail: usize) -> String {
    let chars: Vec<char> = s.chars().collect();
    if chars.len() <= keep_head + keep_tail {
        return "*".repeat(chars.len());
    }
    let mut out: String = chars[..keep_head].iter().collect();
    out.push_str(&"*".repeat(chars.len() - keep_head - keep_tail));
    out.extend(&chars[chars.len() - keep_tail..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn published_uscc_examples_pass() {
        for c in ["91350100M000100Y43", "914403001922038216", "12100000400000624D"] {
            assert_eq!(check_uscc(c), Ok(()), "{c}");
        }
    }

    #[test]
    fn uscc_errors_are_specific() {
        assert_eq!(
            check_uscc("91350100M000100Y44"),
            Err(IdError::CheckCharacter {
                expected: '3',
                found: '4'
            })
        );
        assert_eq!(check_uscc("9135"), Err(IdError::Length { expected: 18, found: 4 }));
        assert_eq!(
            check_uscc("91350100I000100Y43"),
            Err(IdError::Character {
                position: 9,
                found: 'I'
            })
        );
    }

    #[test]
    fn resident_id_check() {
        assert_eq!(check_resident_id("11010519491231002X"), Ok(()));
        assert!(matches!(
            check_resident_id("110105194912310021"),
            Err(IdError::CheckCharacter { .. })
        ));
    }

    #[test]
    fn masking_keeps_ends() {
        assert_eq!(mask("13912345678", 3, 4), "139****5678");
        assert_eq!(mask("ab", 3, 4), "**");
    }
}
