//! File formats: reading rosters from CSV/xlsx and writing tables. Uses `domain` and `i18n` only.

pub mod disclosure_out;
pub mod records;
pub mod source;
pub mod table_out;

pub use records::{ImportIssue, Note, RecordReader, Severity, summarize};
pub use source::{Cell, RawRow, RowSource, SourceError, column_letter};
pub use table_out::{OutTable, TableFormat, write_table};

use std::path::Path;

use anyhow::Context;

/// Writes a file completely or not at all: `write` fills a temporary file beside the target,
/// which is then renamed over it. A failure leaves the old target untouched and no temporary file.
pub fn replace_atomically(
    path: &Path,
    write: impl FnOnce(&tempfile::NamedTempFile) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let tmp = tempfile::NamedTempFile::new_in(dir)
        .with_context(|| format!("无法在 {} 创建文件 / cannot create a file there", dir.display()))?;
    write(&tmp).with_context(|| format!("写出失败 / writing failed: {}", path.display()))?;
    tmp.persist(path).map_err(|e| e.error).with_context(|| {
        format!(
            "无法写入 {}（文件是否正在 Excel/WPS 中打开？）/ cannot replace it (open in Excel/WPS?)",
            path.display()
        )
    })?;
    Ok(())
}

/// Writes bytes atomically (see `replace_atomically`).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    replace_atomically(path, |tmp| {
        use std::io::Write;
        let mut f = tmp.reopen()?;
        f.write_all(bytes)?;
        f.sync_all()?;
        Ok(())
    })
}
