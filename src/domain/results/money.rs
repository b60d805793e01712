//! Money: amounts in yuan parsed into integer fen (分) and shown back, integer arithmetic only.

/// Why a money cell was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MoneyError {
    /// Not a number of the accepted shapes (`1234.56`, `1,234.56`, `1234.56元`, `1.5万元`).
    Format,
    /// More decimals than the unit allows (2 for 元, 6 for 万元).
    TooManyDecimals {
        max: u32,
    },
    Negative,
    TooLarge,
}

impl MoneyError {
    pub fn zh(self) -> &'static str {
        match self {
            MoneyError::Format => "不是有效金额（示例：1234.56、1,234.56元、1.5万元）",
            MoneyError::TooManyDecimals { max: 2 } => "小数位过多：以元为单位最多 2 位小数（精确到分）",
            MoneyError::TooManyDecimals { .. } => "小数位过多：以万元为单位最多 6 位小数（精确到分）",
            MoneyError::Negative => "金额不能为负数",
            MoneyError::TooLarge => "金额过大",
        }
    }
    pub fn en(self) -> &'static str {
        match self {
            MoneyError::Format => "not an amount (examples: 1234.56, 1,234.56元, 1.5万元)",
            MoneyError::TooManyDecimals { max: 2 } => "too many decimals: at most 2 for yuan (to the fen)",
            MoneyError::TooManyDecimals { .. } => "too many decimals: at most 6 for 万元 (to the fen)",
            MoneyError::Negative => "an amount cannot be negative",
            MoneyError::TooLarge => "the amount is too large",
        }
    }
}

/// Largest accepted amount: 1 000 亿元 (10^13 fen), far above any fine or recovery.
pub const MAX_FEN: i64 = 10_000_000_000_000;

/// Parses an amount in yuan into fen using integer arithmetic only.
///
/// Accepts `1234`, `1234.5`, `1234.56`, thousands separators in correct groups (`1,234.56`, also
/// the full-width `，`), full-width digits, a leading `¥`/`￥`, a trailing `元`, and `万元` (then up
/// to 6 decimals). Refuses negative amounts, more than 2 decimals of yuan, and anything else.
/// A blank cell is the caller's business (usually 0).
pub fn parse_fen(text: &str) -> Result<i64, MoneyError> {
    let mut s: String = text
        .trim()
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            '．' => '.',
            '，' => ',',
            '－' => '-',
            other => other,
        })
        .collect();
    for prefix in ["¥", "￥", "RMB", "人民币"] {
        if let Some(rest) = s.strip_prefix(prefix) {
            s = rest.trim_start().to_string();
        }
    }
    let (body, decimals_max, scale): (&str, u32, i64) = if let Some(b) = s.strip_suffix("万元") {
        (b.trim_end(), 6, 1_000_000)
    } else if let Some(b) = s.strip_suffix('万') {
        (b.trim_end(), 6, 1_000_000)
    } else if let Some(b) = s.strip_suffix('元') {
        (b.trim_end(), 2, 100)
    } else {
        (s.as_str(), 2, 100)
    };
    if body.starts_with('-') {
        return Err(MoneyError::Negative);
    }
    let body = body.strip_prefix('+').unwrap_or(body);
    let (int_part, frac_part) = match body.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (body, None),
    };
    if int_part.is_empty() {
        return Err(MoneyError::Format);
    }
    // Thousands separators: none at all, or correct groups of three.
    let groups: Vec<&str> = int_part.split(',').collect();
    let grouped_ok = groups.len() == 1
        || (!groups[0].is_empty() && groups[0].len() <= 3 && groups[1..].iter().all(|g| g.len() == 3));
    if !grouped_ok || !groups.iter().all(|g| g.bytes().all(|b| b.is_ascii_digit())) {
        return Err(MoneyError::Format);
    }
    let frac = match frac_part {
        None => "",
        Some(f) if f.is_empty() || !f.bytes().all(|b| b.is_ascii_digit()) => return Err(MoneyError::Format),
        Some(f) => f,
    };
    if frac.len() as u32 > decimals_max {
        return Err(MoneyError::TooManyDecimals { max: decimals_max });
    }
    let mut units: i64 = 0;
    for b in groups.concat().bytes() {
        units = units
            .checked_mul(10)
            .and_then(|u| u.checked_add(i64::from(b - b'0')))
            .ok_or(MoneyError::TooLarge)?;
    }
    let mut fen = units.checked_mul(scale).ok_or(MoneyError::TooLarge)?;
    // Fraction digits: each place is worth scale / 10^k fen.
    let mut place = scale;
    for b in frac.bytes() {
        place /= 10;
        fen = fen
            .checked_add(i64::from(b - b'0') * place)
            .ok_or(MoneyError::TooLarge)?;
    }
    if fen > MAX_FEN {
        return Err(MoneyError::TooLarge);
    }
    Ok(fen)
}

/// `123456` → `1234.56`: what re-imports exactly (no separators).
pub fn fen_plain(fen: i64) -> String {
    let sign = if fen < 0 { "-" } else { "" };
    let a = fen.unsigned_abs();
    format!("{sign}{}.{:02}", a / 100, a % 100)
}

/// `123456` → `1,234.56`: for people and public tables.
pub fn fen_display(fen: i64) -> String {
    let sign = if fen < 0 { "-" } else { "" };
    let a = fen.unsigned_abs();
    let int = (a / 100).to_string();
    let mut grouped = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!("{sign}{grouped}.{:02}", a % 100)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_is_parsed_into_fen_without_floats() {
        assert_eq!(parse_fen("1234.56"), Ok(123_456));
        assert_eq!(parse_fen("1,234.56元"), Ok(123_456));
        assert_eq!(parse_fen(" ￥1,234,567.8 元 "), Ok(123_456_780));
        assert_eq!(parse_fen("１２３４．５６"), Ok(123_456));
        assert_eq!(parse_fen("0.05"), Ok(5));
        assert_eq!(parse_fen("0"), Ok(0));
        assert_eq!(parse_fen("12"), Ok(1200));
        assert_eq!(parse_fen("152.24万元"), Ok(152_240_000));
        assert_eq!(parse_fen("0.000001万元"), Ok(1));
        // 0.1 + 0.2 style values are exact here.
        assert_eq!(parse_fen("0.10").unwrap() + parse_fen("0.20").unwrap(), 30);
        assert_eq!(parse_fen("1.234"), Err(MoneyError::TooManyDecimals { max: 2 }));
        assert_eq!(parse_fen("1.0000001万元"), Err(MoneyError::TooManyDecimals { max: 6 }));
        assert_eq!(parse_fen("-5"), Err(MoneyError::Negative));
        for bad in [
            "",
            "abc",
            "1,23.45",
            "12,3456",
            ",123",
            "1.",
            ".5",
            "1.2.3",
            "1e5",
            "12元5角",
            "1 234",
        ] {
            assert_eq!(parse_fen(bad), Err(MoneyError::Format), "{bad:?}");
        }
        assert_eq!(parse_fen("99999999999999999999"), Err(MoneyError::TooLarge));
        assert_eq!(parse_fen("100000000001"), Err(MoneyError::TooLarge));
    }

    #[test]
    fn money_is_formatted_back() {
        assert_eq!(fen_plain(123_456), "1234.56");
        assert_eq!(fen_plain(5), "0.05");
        assert_eq!(fen_display(123_456_780), "1,234,567.80");
        assert_eq!(fen_display(99), "0.99");
        assert_eq!(fen_display(100_000), "1,000.00");
        for f in [0, 1, 99, 100, 123_456, 1_000_000_007] {
            assert_eq!(parse_fen(&fen_plain(f)), Ok(f));
            assert_eq!(parse_fen(&fen_display(f)), Ok(f));
        }
    }
}
