//! Roster imports.

use super::{import_head, print_issues};
use crate::app::rosters::ImportOutcome;
use crate::i18n::Lang;

/// Prints an import outcome; returns the exit code (0 written/validated, 2 refused).
pub fn import(out: &ImportOutcome, dry_run: bool, lang: Lang) -> i32 {
    print_issues(&out.warnings, &out.errors, lang);
    if !out.errors.is_empty() {
        return 2;
    }
    let head = import_head(dry_run, lang, ("导入完成", "imported"));
    match lang {
        Lang::Zh => println!(
            "{head}：共 {} 行，新增 {}，更新 {}，未变 {}，停用 {}",
            out.rows, out.added, out.updated, out.unchanged, out.deactivated
        ),
        Lang::En => println!(
            "{head}: {} rows, {} added, {} updated, {} unchanged, {} deactivated",
            out.rows, out.added, out.updated, out.unchanged, out.deactivated
        ),
    }
    0
}
