//! 检查结果: what an inspection found and what was done about it, checked cell by cell.
//!
//! Pure: money is parsed into integer fen (分) with integer arithmetic only, dates and working
//! days are computed from arguments (no clock), and every refusal names the field it concerns.

mod calendar;
mod checker;
mod dates;
mod field;
mod form;
mod issue;
mod money;
mod parts;
mod points;
mod public_text;
mod rules;
mod task_result;
mod validation;

pub use calendar::{WorkCalendar, parse_days};
pub use dates::{months_before, parse_date};
pub use field::Field;
pub use form::{FindingInput, ItemResultInput, PointsInput, TaskResultInput};
pub use issue::{Issue, Part, Problem};
pub use money::{MAX_FEN, MoneyError, fen_display, fen_plain, parse_fen};
pub use points::{POINTS_MAX_PER_ENTRY, POINTS_SUSPEND, POINTS_TERMINATE, Qualification};
pub use public_text::private_in_public_text;
pub use rules::ResultRules;
pub use task_result::{Finding, ItemResult, PointsEntry, Rectification, RectifyStatus, TaskResult};
pub use validation::{TaskContext, validate};

/// `2026-03-05` as a date, for the tests of every part.
#[cfg(test)]
fn date(s: &str) -> chrono::NaiveDate {
    parse_date(s).unwrap()
}
