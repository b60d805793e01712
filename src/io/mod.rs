//! File formats: reading rosters from CSV/xlsx and writing tables. Uses `domain` and `i18n` only.

pub mod disclosure_out;
pub mod page;
pub mod page_out;
pub mod records;
pub mod source;
pub mod table_out;
pub mod verifier_page;
pub mod workbook;

pub use records::{ImportIssue, Note, RecordReader, Severity, summarize, summarize_warnings};
pub use source::{Cell, RawRow, RowSource, SourceError, column_letter};
pub use table_out::{Choice, OutTable, SheetLayout, TableFormat, write_sheets, write_table};

use std::path::{Path, PathBuf};

use anyhow::Context;

/// A file written completely beside its destination and flushed to disk, but not yet visible
/// there: `place` makes it appear under its name in one step. On Linux it has no name at all
/// until then (O_TMPFILE), so that nothing is left behind by an error or a crash; elsewhere it is
/// a temporary file beside the target, removed on every error path.
pub struct Staged {
    file: Staging,
    dest: PathBuf,
    dir: PathBuf,
}

/// Where a staged file is written: what `write` closures get.
pub struct Staging {
    file: std::fs::File,
    /// How to reach the file by name while it is written (`/proc/self/fd/N` when it has none).
    path: PathBuf,
    named: Option<tempfile::TempPath>,
}

impl Staging {
    /// The file, opened again for writing from its start.
    pub fn reopen(&self) -> std::io::Result<std::fs::File> {
        std::fs::OpenOptions::new().read(true).write(true).open(&self.path)
    }

    /// A path that opens the file (for writers that want one).
    pub fn path(&self) -> &Path {
        &self.path
    }
}

fn staging_in(dir: &Path) -> std::io::Result<Staging> {
    #[cfg(target_os = "linux")]
    {
        use std::os::fd::AsRawFd;
        let file = tempfile::tempfile_in(dir)?;
        let path = PathBuf::from(format!("/proc/self/fd/{}", file.as_raw_fd()));
        if path.exists() {
            return Ok(Staging {
                file,
                path,
                named: None,
            });
        }
    }
    let (file, named) = tempfile::NamedTempFile::new_in(dir)?.into_parts();
    Ok(Staging {
        file,
        path: named.to_path_buf(),
        named: Some(named),
    })
}

/// Writes a file completely or not at all: `write` fills a staged file beside the target, which
/// is then put in its place (see `Staged`). A failure leaves the old target untouched and no
/// temporary file.
pub fn replace_atomically(path: &Path, write: impl FnOnce(&Staging) -> anyhow::Result<()>) -> anyhow::Result<()> {
    stage(path, write)?.place()
}

/// The first half of `replace_atomically`: the complete file, on disk, not yet in place.
pub fn stage(path: &Path, write: impl FnOnce(&Staging) -> anyhow::Result<()>) -> anyhow::Result<Staged> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    if !dir.is_dir() {
        anyhow::bail!("目录不存在：{} / no such directory", dir.display());
    }
    // The error names the kind only: the temporary file's name would mean nothing to anyone.
    let tmp = staging_in(dir).map_err(|e| {
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
        tmp.file.set_permissions(std::fs::Permissions::from_mode(mode))?;
    }
    // Whatever wrote it (the xlsx writer opens its own handle), the bytes reach the disk before
    // the file can appear under its name.
    tmp.file.sync_all()?;
    Ok(Staged {
        file: tmp,
        dest: path.to_path_buf(),
        dir: dir.to_path_buf(),
    })
}

impl Staged {
    /// SHA-256 (hex) of the file's bytes: what a log entry can name before the file appears.
    pub fn sha256(&self) -> anyhow::Result<String> {
        use sha2::{Digest, Sha256};
        let mut f = self.file.reopen()?;
        let mut h = Sha256::new();
        std::io::copy(&mut f, &mut h)?;
        Ok(hex::encode(h.finalize()))
    }

    /// Puts the file in its place (replacing what was there) and makes that durable.
    pub fn place(self) -> anyhow::Result<()> {
        let cannot = || {
            format!(
                "无法写入 {}（文件是否正在 Excel/WPS 中打开？）/ cannot replace it (open in Excel/WPS?)",
                self.dest.display()
            )
        };
        match &self.file.named {
            Some(named) => std::fs::rename(named, &self.dest).with_context(cannot)?,
            None => link_into_place(&self.file, &self.dest, &self.dir).with_context(cannot)?,
        }
        // The rename itself survives a power loss only once the directory is on disk.
        #[cfg(unix)]
        std::fs::File::open(&self.dir)?.sync_all()?;
        Ok(())
    }
}

/// Gives an unnamed (O_TMPFILE) file its name: linked beside the target under a name of its
/// own, then renamed over the target (a link cannot replace an existing file).
#[cfg(target_os = "linux")]
fn link_into_place(file: &Staging, dest: &Path, dir: &Path) -> std::io::Result<()> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let c = |p: &Path| CString::new(p.as_os_str().as_bytes()).map_err(std::io::Error::other);
    let link = |to: &Path| -> std::io::Result<()> {
        let (from, to) = (c(&file.path)?, c(to)?);
        // SAFETY: both are valid NUL-terminated paths; linkat does not keep them.
        let rc = unsafe {
            libc::linkat(
                libc::AT_FDCWD,
                from.as_ptr(),
                libc::AT_FDCWD,
                to.as_ptr(),
                libc::AT_SYMLINK_FOLLOW,
            )
        };
        if rc == 0 {
            Ok(())
        } else {
            Err(std::io::Error::last_os_error())
        }
    };
    match link(dest) {
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            let name = dest
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let beside = dir.join(format!(".{name}.{}.choucha-new", std::process::id()));
            let _ = std::fs::remove_file(&beside);
            link(&beside)?;
            std::fs::rename(&beside, dest).inspect_err(|_| {
                let _ = std::fs::remove_file(&beside);
            })
        }
        r => r,
    }
}

#[cfg(not(target_os = "linux"))]
fn link_into_place(_: &Staging, _: &Path, _: &Path) -> std::io::Result<()> {
    unreachable!("unnamed files are made on Linux only")
}

/// Writes bytes atomically (see `replace_atomically`).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    stage_bytes(path, bytes)?.place()
}

/// `bytes` staged for `path` (see `Staged`).
pub fn stage_bytes(path: &Path, bytes: &[u8]) -> anyhow::Result<Staged> {
    stage(path, |tmp| {
        use std::io::Write;
        tmp.reopen()?.write_all(bytes)?;
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
