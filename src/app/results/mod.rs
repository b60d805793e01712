//! Inspection results: recording them (form or spreadsheet), following them up (整改, 公示期限,
//! 驾照式记分, 屡查屡犯) and counting them. Every write goes through one transaction with its
//! audit-log entry.

mod check;
mod drawn;
mod followup;
mod list;
mod points;
mod record;
mod sheet;
mod stats;
#[cfg(test)]
pub(crate) mod tests;

pub use check::ResultCheck;
pub use drawn::{DrawnPlan, drawn_plan};
pub use followup::{Followup, PublicationDue, RectificationDue, RepeatOffender, ResultRef, calendar_note};
pub use list::ResultRow;
pub use points::{PersonPoints, PointsLine};
pub use sheet::{
    COL_INST, COL_PLAN, COL_SEQ, ResultImportOutcome, SHEET_FINDINGS, SHEET_HELP, SHEET_ITEMS, SHEET_MAIN, SHEET_POINTS,
};
pub use stats::{ResultStats, StatsScope};

use crate::store::results::FactsLookup;

/// An institution's name by code; empty when the roster does not know the code.
fn institution_name(facts: &FactsLookup, code: &str) -> String {
    facts.get(code).map(|f| f.name).unwrap_or_default()
}
