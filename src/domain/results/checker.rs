//! Cell checks shared by every part of a result: text, dates, money and whole numbers.

use chrono::NaiveDate;

use super::{Field, Issue, Part, Problem, parse_date, parse_fen};

/// Text limits (characters).
const MAX_SHORT: usize = 100;
const MAX_LONG: usize = 2000;

/// Collects the issues of one result while its cells are read.
pub(super) struct Checker {
    pub(super) issues: Vec<Issue>,
    pub(super) today: NaiveDate,
}

impl Checker {
    pub(super) fn fail(&mut self, part: Part, field: Field, problem: Problem) {
        self.issues.push(Issue { part, field, problem });
    }

    /// Trimmed text; control characters refused (line breaks allowed when `multiline`).
    pub(super) fn text(&mut self, part: Part, field: Field, raw: &str, multiline: bool) -> String {
        let v = raw.trim();
        let bad = v
            .chars()
            .any(|c| c.is_control() && !(multiline && (c == '\n' || c == '\r')));
        if bad {
            self.fail(part, field, Problem::ControlCharacter);
        } else if let Some((character, ..)) = crate::domain::text::first_invisible(v) {
            self.fail(part, field, Problem::Invisible { character });
        }
        let max = if multiline { MAX_LONG } else { MAX_SHORT };
        if v.chars().count() > max {
            self.fail(part, field, Problem::TooLong { max });
        }
        v.replace("\r\n", "\n")
    }

    /// A date that cannot lie in the future.
    pub(super) fn date(&mut self, part: Part, field: Field, raw: &str) -> Option<NaiveDate> {
        let d = self.any_date(part, field, raw);
        if let Some(d) = d
            && d > self.today
        {
            self.fail(part, field, Problem::InFuture);
        }
        d
    }

    /// A date that may lie in the future (deadlines).
    pub(super) fn any_date(&mut self, part: Part, field: Field, raw: &str) -> Option<NaiveDate> {
        let v = raw.trim();
        if v.is_empty() {
            return None;
        }
        let d = parse_date(v);
        if d.is_none() {
            self.fail(part, field, Problem::BadDate { value: v.into() });
        }
        d
    }

    pub(super) fn money(&mut self, part: Part, field: Field, raw: &str) -> i64 {
        let v = raw.trim();
        if v.is_empty() {
            return 0;
        }
        parse_fen(v).unwrap_or_else(|error| {
            self.fail(part, field, Problem::Money { value: v.into(), error });
            0
        })
    }
}

pub(super) fn positive_int(s: &str) -> Option<u32> {
    let s = s.trim();
    let s = s.strip_suffix(".0").unwrap_or(s);
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) || s.len() > 6 {
        return None;
    }
    s.parse().ok().filter(|&n| n > 0)
}
