//! Dates as staff write them, and working days (Monday to Friday, no holiday calendar).

use chrono::{Datelike, Months, NaiveDate, Weekday};

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

pub fn is_working_day(d: NaiveDate) -> bool {
    !matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
}

/// The `n`th working day after `start` (working days are Monday to Friday; there is no holiday
/// calendar, so public holidays and 调休 weekends are not accounted for). `n = 0` gives `start`.
pub fn add_working_days(start: NaiveDate, n: u32) -> NaiveDate {
    let mut d = start;
    let mut left = n;
    while left > 0 {
        d = d.succ_opt().unwrap_or(d);
        if is_working_day(d) {
            left -= 1;
        }
    }
    d
}

/// Working days in `(from, to]`; negative (the days in `(to, from]`) when `to` is earlier.
pub fn working_days_between(from: NaiveDate, to: NaiveDate) -> i64 {
    let (a, b, sign) = if to >= from { (from, to, 1) } else { (to, from, -1) };
    let days = (b - a).num_days();
    let weeks = days / 7;
    let mut count = weeks * 5;
    let mut d = a + chrono::Duration::days(weeks * 7);
    while d < b {
        d = d.succ_opt().unwrap_or(d);
        if is_working_day(d) {
            count += 1;
        }
    }
    sign * count
}

/// `today` minus `months` calendar months (for look-back windows).
pub fn months_before(today: NaiveDate, months: u32) -> NaiveDate {
    today.checked_sub_months(Months::new(months)).unwrap_or(NaiveDate::MIN)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::results::date as d;

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

    #[test]
    fn working_days_skip_weekends() {
        // 2026-03-06 is a Friday.
        let fri = d("2026-03-06");
        assert_eq!(add_working_days(fri, 1), d("2026-03-09"));
        assert_eq!(add_working_days(fri, 5), d("2026-03-13"));
        assert_eq!(add_working_days(fri, 0), fri);
        // 20 working days from Thursday 2026-03-05 is Thursday 2026-04-02 (no holiday calendar).
        assert_eq!(add_working_days(d("2026-03-05"), 20), d("2026-04-02"));
        // Starting on a Saturday.
        assert_eq!(add_working_days(d("2026-03-07"), 1), d("2026-03-09"));
        assert_eq!(working_days_between(fri, d("2026-03-09")), 1);
        assert_eq!(working_days_between(fri, d("2026-03-08")), 0);
        assert_eq!(working_days_between(d("2026-03-05"), d("2026-04-02")), 20);
        assert_eq!(working_days_between(d("2026-04-02"), d("2026-03-05")), -20);
        for n in 0..40 {
            for start in 0..7 {
                let s = d("2026-03-01") + chrono::Duration::days(start);
                assert_eq!(working_days_between(s, add_working_days(s, n)), n as i64);
            }
        }
    }
}
