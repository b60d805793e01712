//! What the command line prints. Plain text, Chinese by default.

mod audit;
mod followup;
mod plans;
mod results;
mod rosters;

use std::path::Path;

pub use audit::{audit_verify, verify};
pub use followup::followup;
pub use plans::{draw, plan};
pub use results::{announcement, disclosure, import_results, result};
pub use rosters::import;

use crate::app::ImportIssue;
use crate::app::summarize_issues as summarize;
use crate::i18n::Lang;

pub fn exported(n: usize, file: &Path, lang: Lang) {
    println!(
        "{} {n} {} → {}",
        lang.pick("已导出", "exported"),
        lang.pick("条", "records"),
        file.display()
    );
}

/// Prints an import's warnings and, when there are errors (the import was refused), the errors.
fn print_issues(warnings: &[ImportIssue], errors: &[ImportIssue], lang: Lang) {
    // Warnings by kind: a 10,000-column file gives one line with a count and a few examples.
    for line in crate::app::summarize_warnings(warnings, lang, 5) {
        if line.starts_with("  ") {
            eprintln!("{line}");
        } else {
            eprintln!("{}: {line}", lang.pick("警告", "warning"));
        }
    }
    if errors.is_empty() {
        return;
    }
    eprintln!(
        "{}",
        lang.pick(
            "导入被拒绝，未写入任何数据。错误如下：",
            "import refused; nothing was written. Errors:"
        )
    );
    eprintln!("{}", summarize(errors, lang, 50));
}

/// How an import summary begins: validated only (a dry run), or `done` (zh, en).
fn import_head(dry_run: bool, lang: Lang, done: (&'static str, &'static str)) -> &'static str {
    if dry_run {
        lang.pick("校验通过（试运行，未写入）", "valid (dry run, nothing written)")
    } else {
        lang.pick(done.0, done.1)
    }
}

/// `s` padded with spaces to `width` display columns (CJK characters count 2).
fn pad(s: &str, width: usize) -> String {
    let w = unicode_width::UnicodeWidthStr::width(s);
    format!("{s}{}", " ".repeat(width.saturating_sub(w)))
}
