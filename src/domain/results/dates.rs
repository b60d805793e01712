//! Dates as staff write them.

use chrono::{Months, NaiveDate};

/// A date as staff write it: `2026-03-05`, `2026/3/5`, `2026.3.5`, `2026年3月5日`, `20260305`,
/// optionally followed by a midnight time (what a spreadsheet date cell gives).
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    let s = text.trim();
    let s = s
        .strip_suffix("T00:00:00")
        .or_else(|| s.strip_suffix(" 00:00:00"))
        .unwrap_or(s)
        .trim();
    if s.len() == 8 && s.bytes().all(|b| b.is_ascii_digit()) {
        let n: i32 = s.parse().ok()?;
        return NaiveDate::from_ymd_opt(n / 10000, (n / 100 % 100) as u32, (n % 100) as u32);
    }
    let s = s.strip_suffix('日').unwrap_or(s);
    let parts: Vec<&str> = s.split(['-', '/', '.', '年', '月']).collect();
    if parts.len() != 3 || parts[0].len() != 4 || parts.iter().any(|p| p.is_empty() || p.len() > 4) {
        return None;
    }
    if !parts.iter().all(|p| p.bytes().all(|b| b.is_ascii_digit())) {
        return None;
    }
    NaiveDate::from_ymd_opt(parts[0].parse().ok()?, parts[1].parse().ok()?, parts[2].parse().ok()?)
}

/// `today` minus `months` calendar months (for look-back windows).
pub fn months_before(today: NaiveDate, months: u32) -> NaiveDate {
    today.checked_sub_months(Months::new(months)).unwrap_or(NaiveDate::MIN)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_the_usual_shapes() {
        let want = NaiveDate::from_ymd_opt(2026, 3, 5).unwrap();
        for s in [
            "2026-03-05",
            "2026/3/5",
            "2026.3.5",
            "2026年3月5日",
            "20260305",
            "2026-03-05T00:00:00",
        ] {
            assert_eq!(parse_date(s), Some(want), "{s}");
        }
        for s in [
            "2026-02-30",
            "26-3-5",
            "2026-3",
            "3/5/2026",
            "明天",
            "2026-03-05T08:00:00",
        ] {
            assert_eq!(parse_date(s), None, "{s}");
        }
    }
}
