//! Working days for the publication deadline: Monday to Friday, except the public holidays
//! (法定节假日及调休放假), plus the weekend days worked in exchange (调休上班), as the State
//! Council's yearly notice (国务院办公厅关于某年部分节假日安排的通知) sets them. Years without
//! a notice in the calendar count Monday to Friday only.

use std::collections::BTreeSet;

use chrono::{Datelike, NaiveDate, Weekday};

/// The longest run of days one entry may name (the longest holiday is 9 days).
const MAX_RANGE_DAYS: i64 = 31;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WorkCalendar {
    /// Days off, weekends included where the notice names them.
    holidays: BTreeSet<NaiveDate>,
    /// Saturdays and Sundays that are working days.
    workdays: BTreeSet<NaiveDate>,
    /// The years whose notice is in the calendar.
    years: BTreeSet<i32>,
}

fn is_weekend(d: NaiveDate) -> bool {
    matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
}

/// The days one entry names: `2026-02-15`, or an inclusive range `2026-02-15..2026-02-23`.
pub fn parse_days(entry: &str) -> Result<Vec<NaiveDate>, String> {
    let day = |s: &str| {
        NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
            .map_err(|_| format!("“{}” 不是 YYYY-MM-DD 日期 / is not a YYYY-MM-DD date", s.trim()))
    };
    let (first, last) = match entry.split_once("..") {
        Some((a, b)) => (day(a)?, day(b)?),
        None => (day(entry)?, day(entry)?),
    };
    let span = (last - first).num_days();
    if !(0..MAX_RANGE_DAYS).contains(&span) {
        return Err(format!(
            "“{entry}” 的起止日期应有先后且不超过 {MAX_RANGE_DAYS} 天 / must run forwards over at most {MAX_RANGE_DAYS} days"
        ));
    }
    Ok(first.iter_days().take(span as usize + 1).collect())
}

impl WorkCalendar {
    /// Adds one year's notice: its holidays and its weekend working days. Refuses a day that is
    /// both, and a "working day" that is not a Saturday or Sunday (Monday to Friday already are).
    pub fn add_year(
        &mut self,
        year: i32,
        holidays: impl IntoIterator<Item = NaiveDate>,
        workdays: impl IntoIterator<Item = NaiveDate>,
    ) -> Result<(), String> {
        let holidays: BTreeSet<NaiveDate> = holidays.into_iter().collect();
        let workdays: BTreeSet<NaiveDate> = workdays.into_iter().collect();
        if let Some(d) = workdays.iter().find(|d| !is_weekend(**d)) {
            return Err(format!(
                "{d} 是周一至周五，本来就是工作日；调休上班日应为周六或周日 / is a weekday already; make-up working days fall on weekends"
            ));
        }
        if let Some(d) = holidays.iter().chain(&workdays).find(|d| (d.year() - year).abs() > 1) {
            return Err(format!("{d} 不在 {year} 年前后 / is not near {year}"));
        }
        for d in &workdays {
            if holidays.contains(d) || self.holidays.contains(d) {
                return Err(format!("{d} 既是假日又是上班日 / is both a holiday and a working day"));
            }
        }
        if let Some(d) = holidays.iter().find(|d| self.workdays.contains(d)) {
            return Err(format!("{d} 既是假日又是上班日 / is both a holiday and a working day"));
        }
        self.holidays.extend(holidays);
        self.workdays.extend(workdays);
        self.years.insert(year);
        Ok(())
    }

    /// The years whose holiday notice the calendar holds.
    pub fn years(&self) -> impl Iterator<Item = i32> + '_ {
        self.years.iter().copied()
    }

    pub fn is_working_day(&self, d: NaiveDate) -> bool {
        self.workdays.contains(&d) || !(is_weekend(d) || self.holidays.contains(&d))
    }

    /// The `n`th working day after `start`; `n = 0` gives `start`.
    pub fn add_working_days(&self, start: NaiveDate, n: u32) -> NaiveDate {
        let mut d = start;
        let mut left = n;
        while left > 0 {
            d = d.succ_opt().unwrap_or(d);
            if self.is_working_day(d) {
                left -= 1;
            }
        }
        d
    }

    /// Working days in `(from, to]`; negative (the days in `(to, from]`) when `to` is earlier.
    pub fn working_days_between(&self, from: NaiveDate, to: NaiveDate) -> i64 {
        let (a, b, sign) = if to >= from { (from, to, 1) } else { (to, from, -1) };
        if a == b {
            return 0;
        }
        // Whole weeks hold five weekdays each; the days left over are looked at one by one.
        let weeks = (b - a).num_days() / 7;
        let mut count = weeks * 5;
        let mut d = a + chrono::Duration::days(weeks * 7);
        while d < b {
            d = d.succ_opt().unwrap_or(d);
            if !is_weekend(d) {
                count += 1;
            }
        }
        let after_a = a.succ_opt().unwrap_or(a);
        let in_range = |set: &BTreeSet<NaiveDate>, weekend: bool| {
            set.range(after_a..=b).filter(|d| is_weekend(**d) == weekend).count() as i64
        };
        count -= in_range(&self.holidays, false);
        count += in_range(&self.workdays, true);
        sign * count
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::results::date as d;

    /// The 2026 notice's Spring Festival: 2-15..2-23 off, 2-14 and 2-28 (Saturdays) worked.
    fn spring_2026() -> WorkCalendar {
        let mut c = WorkCalendar::default();
        c.add_year(
            2026,
            parse_days("2026-02-15..2026-02-23").unwrap(),
            [d("2026-02-14"), d("2026-02-28")],
        )
        .unwrap();
        c
    }

    #[test]
    fn weekdays_only_without_a_notice() {
        let c = WorkCalendar::default();
        // 2026-03-06 is a Friday.
        let fri = d("2026-03-06");
        assert_eq!(c.add_working_days(fri, 1), d("2026-03-09"));
        assert_eq!(c.add_working_days(fri, 5), d("2026-03-13"));
        assert_eq!(c.add_working_days(fri, 0), fri);
        assert_eq!(c.add_working_days(d("2026-03-05"), 20), d("2026-04-02"));
        // Starting on a Saturday.
        assert_eq!(c.add_working_days(d("2026-03-07"), 1), d("2026-03-09"));
        assert_eq!(c.working_days_between(fri, d("2026-03-09")), 1);
        assert_eq!(c.working_days_between(fri, d("2026-03-08")), 0);
        assert_eq!(c.working_days_between(d("2026-03-05"), d("2026-04-02")), 20);
        assert_eq!(c.working_days_between(d("2026-04-02"), d("2026-03-05")), -20);
    }

    #[test]
    fn the_spring_festival_moves_the_deadline() {
        let c = spring_2026();
        assert_eq!(c.years().collect::<Vec<_>>(), [2026]);
        assert!(c.is_working_day(d("2026-02-14")), "a Saturday worked");
        assert!(!c.is_working_day(d("2026-02-16")), "a Monday off");
        // Completed Friday 2026-02-06: 20 working days are 2-09..2-13 (5), 2-14 (Sat, 1),
        // 2-24..2-27 (4), 2-28 (Sat, 1), then 3-02..3-06 (5) and 3-09..3-12 (4): due Thursday
        // 2026-03-12, not 2026-03-06 as Monday to Friday would say.
        assert_eq!(c.add_working_days(d("2026-02-06"), 20), d("2026-03-12"));
        assert_eq!(
            WorkCalendar::default().add_working_days(d("2026-02-06"), 20),
            d("2026-03-06")
        );
        assert_eq!(c.working_days_between(d("2026-02-06"), d("2026-03-12")), 20);
        assert_eq!(c.working_days_between(d("2026-03-12"), d("2026-02-06")), -20);
        assert_eq!(c.working_days_between(d("2026-02-14"), d("2026-02-24")), 1);
    }

    #[test]
    fn counting_agrees_with_stepping_over_every_start_and_length() {
        let c = spring_2026();
        let start = d("2026-01-20");
        for offset in 0..50 {
            let s = start + chrono::Duration::days(offset);
            for n in 0..30 {
                let due = c.add_working_days(s, n);
                assert_eq!(c.working_days_between(s, due), n as i64, "{s} + {n}");
                let stepped = s
                    .iter_days()
                    .skip(1)
                    .take_while(|x| *x <= due)
                    .filter(|x| c.is_working_day(*x))
                    .count();
                assert_eq!(stepped, n as usize);
            }
        }
    }

    #[test]
    fn entries_and_years_are_checked() {
        assert_eq!(parse_days("2026-10-01..2026-10-07").unwrap().len(), 7);
        assert_eq!(parse_days(" 2026-01-04 ").unwrap(), [d("2026-01-04")]);
        for bad in [
            "2026-02-30",
            "2026/2/15",
            "2026-02-23..2026-02-15",
            "2026-01-01..2026-03-01",
            "",
        ] {
            assert!(parse_days(bad).is_err(), "{bad}");
        }
        let mut c = spring_2026();
        // 2026-03-02 is a Monday: already a working day.
        assert!(
            c.add_year(2026, [], [d("2026-03-02")])
                .unwrap_err()
                .contains("2026-03-02")
        );
        // Both a holiday and a working day.
        assert!(c.add_year(2026, [d("2026-02-14")], []).is_err());
        assert!(c.add_year(2027, [d("2029-01-01")], []).is_err());
        assert_eq!(c, spring_2026(), "a refused year changes nothing");
    }
}
