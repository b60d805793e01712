//! File formats: reading rosters from CSV/xlsx and writing tables. Uses `domain` and `i18n` only.

pub mod disclosure_out;
pub mod page;
pub mod page_out;
pub mod records;
pub mod source;
pub mod table_out;
pub mod verifier_page;

pub use records::{ImportIssue, Note, RecordReader, Severity, summarize};
pub use source::{Cell, RawRow, RowSource, SourceError, column_letter};
pub use table_out::{Choice, OutTable, SheetLayout, TableFormat, write_sheets, write_table};

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
    if !dir.is_dir() {
        anyhow::bail!("目录不存在：{} / no such directory", dir.display());
    }
    // The error names the kind only: the temporary file's name would mean nothing to anyone.
    let tmp = tempfile::NamedTempFile::new_in(dir).map_err(|e| {
        anyhow::anyhow!(
            "无法在 {} 创建文件 / cannot create a file there: {}",
            dir.display(),
            e.kind()
        )
    })?;
    write(&tmp).with_context(|| format!("写出失败 / writing failed: {}", path.display()))?;
    // Temporary files are private (0600); an exported file is for sharing, like any other the
    // user creates: keep the mode of the file it replaces, else rw-r--r--.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path)
            .map(|m| m.permissions().mode() & 0o777)
            .unwrap_or(0o644);
        std::fs::set_permissions(tmp.path(), std::fs::Permissions::from_mode(mode))?;
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_write_replaces_whole_files_with_shareable_permissions() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("out.json");
        write_atomic(&p, b"first").unwrap();
        write_atomic(&p, b"second").unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"second");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(std::fs::metadata(&p).unwrap().permissions().mode() & 0o777, 0o644);
        }
        // A failed write leaves the old file and no temporary file.
        assert!(replace_atomically(&p, |_| anyhow::bail!("boom")).is_err());
        assert_eq!(std::fs::read(&p).unwrap(), b"second");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
        // A directory that does not exist is named, without any temporary file name.
        let e = write_atomic(&dir.path().join("nope/out.json"), b"x")
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("目录不存在") && e.contains("nope") && !e.contains("nope/."),
            "{e}"
        );
    }
}
