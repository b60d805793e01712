//! SQLite storage: one file, migrations at open, one IMMEDIATE transaction per write. The store
//! lends `Reader` and `Tx` handles; what backs them (rusqlite) stays inside this module.

pub mod audit;
pub mod plans;
pub mod results;
pub mod rosters;
pub mod schema;

use std::path::Path;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use rusqlite::{Connection, OpenFlags, Transaction, TransactionBehavior};

pub use audit::{AuditEntry, ChainBreak};

/// The page cache of a connection, in KiB: the TUI keeps a search index beside it (150 MB in all).
const CACHE_KIB: u32 = 8 * 1024;
/// The page cache while importing in bulk, in KiB.
const BULK_CACHE_KIB: u32 = 64 * 1024;

pub struct Store {
    conn: Connection,
}

/// A read handle lent by the store, or by a write (which then reads its own changes). The app
/// layer passes it to the store's read functions and never sees what backs it.
#[derive(Clone, Copy)]
pub struct Reader<'c> {
    conn: &'c Connection,
}

impl<'c> Reader<'c> {
    fn conn(&self) -> &'c Connection {
        self.conn
    }
}

/// A write handle: one open IMMEDIATE transaction, lent by `Store::write` and its kin. Whatever
/// is written through it commits together or not at all; it reads like a `Reader` too.
pub struct Tx<'c> {
    reader: Reader<'c>,
}

impl<'c> Tx<'c> {
    fn lend(tx: &'c Transaction<'_>) -> Tx<'c> {
        Tx {
            reader: Reader { conn: tx },
        }
    }

    fn conn(&self) -> &'c Connection {
        self.reader.conn
    }
}

impl<'c> std::ops::Deref for Tx<'c> {
    type Target = Reader<'c>;
    fn deref(&self) -> &Reader<'c> {
        &self.reader
    }
}

/// A read-only connection of its own, for reading on another thread.
pub struct ReadConnection {
    conn: Connection,
}

impl ReadConnection {
    pub fn reader(&self) -> Reader<'_> {
        Reader { conn: &self.conn }
    }
}

/// How long a connection waits for another process's write to finish before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// SQLite's "database is locked" after waiting `BUSY_TIMEOUT`, said as what it means here.
fn busy(e: rusqlite::Error) -> anyhow::Error {
    match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked) => anyhow::anyhow!(
            "另一个 choucha 进程正在写入这个数据库（例如导入名录、抽取或导入结果），等待 {} 秒后仍未结束；请待其完成后重试 / \
             another choucha process is writing to this database (an import, a draw …) and did not finish within {} s; try again when it is done",
            BUSY_TIMEOUT.as_secs(),
            BUSY_TIMEOUT.as_secs()
        ),
        _ => e.into(),
    }
}

impl Store {
    /// Opens (creating if needed) the database at `path` and brings its schema up to date.
    pub fn open(path: &Path) -> Result<Store> {
        if let Some(dir) = path.parent()
            && !dir.as_os_str().is_empty()
        {
            std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
        }
        let conn = Connection::open(path).with_context(|| format!("cannot open database {}", path.display()))?;
        Self::setup(conn, true)
    }

    pub fn open_in_memory() -> Result<Store> {
        Self::setup(Connection::open_in_memory()?, false)
    }

    fn setup(conn: Connection, file: bool) -> Result<Store> {
        conn.busy_timeout(BUSY_TIMEOUT)?;
        if file {
            // WAL for concurrent readers; FULL so that a committed write survives power loss.
            let mode: String = conn
                .query_row("PRAGMA journal_mode=WAL", [], |r| r.get(0))
                .map_err(busy)?;
            if !mode.eq_ignore_ascii_case("wal") {
                bail!("the database could not switch to WAL mode (got {mode}); is it on a network disk?");
            }
        }
        // A page cache of up to 8 MiB (allocated only when used); bulk imports raise it (`write_bulk`).
        conn.execute_batch(&format!(
            "PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA cache_size=-{CACHE_KIB};"
        ))?;
        let app_id: i32 = conn.query_row("PRAGMA application_id", [], |r| r.get(0))?;
        let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        if app_id != 0 && app_id != schema::APPLICATION_ID {
            bail!("this file is not a choucha database (application_id {app_id:#x})");
        }
        if app_id == 0 && version == 0 {
            let tables: i64 = conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))?;
            if tables > 0 {
                bail!("this file is an SQLite database of another program");
            }
        }
        if version as usize > schema::MIGRATIONS.len() {
            bail!("the database was written by a newer choucha (schema {version}); please upgrade");
        }
        let mut store = Store { conn };
        store.migrate(version as usize)?;
        Ok(store)
    }

    fn migrate(&mut self, from: usize) -> Result<()> {
        for (i, sql) in schema::MIGRATIONS.iter().enumerate().skip(from) {
            let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            tx.execute_batch(sql)
                .with_context(|| format!("schema migration {}", i + 1))?;
            tx.pragma_update(None, "user_version", (i + 1) as i64)?;
            tx.pragma_update(None, "application_id", schema::APPLICATION_ID)?;
            tx.commit()?;
        }
        Ok(())
    }

    /// Runs `f` in one IMMEDIATE transaction: all of it is committed, or none of it.
    pub fn write<T>(&mut self, f: impl FnOnce(&Tx) -> Result<T>) -> Result<T> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(busy)?;
        let v = f(&Tx::lend(&tx))?;
        tx.commit().map_err(busy)?;
        Ok(v)
    }

    /// Like `write`, for a use case that must keep reading through the rest of its service while
    /// it writes (the store is only lent, not borrowed mutably). Nesting fails at run time here.
    pub fn write_shared<T>(&self, f: impl FnOnce(&Tx) -> Result<T>) -> Result<T> {
        let tx = Transaction::new_unchecked(&self.conn, TransactionBehavior::Immediate).map_err(busy)?;
        let v = f(&Tx::lend(&tx))?;
        tx.commit().map_err(busy)?;
        Ok(v)
    }

    /// Like `write`, for bulk loads: a larger page cache keeps big imports off the disk. The file
    /// stays in WAL mode throughout, so that other processes keep reading (and wait to write).
    pub fn write_bulk<T>(&mut self, f: impl FnOnce(&Tx) -> Result<T>) -> Result<T> {
        self.conn
            .execute_batch(&format!("PRAGMA cache_size=-{BULK_CACHE_KIB}"))?;
        let result = self.write(f);
        let _ = self.conn.execute_batch(&format!("PRAGMA cache_size=-{CACHE_KIB}"));
        result
    }

    /// Like `write`, but always rolls back: a dry run that sees exactly what the write would do.
    pub fn dry_run<T>(&mut self, f: impl FnOnce(&Tx) -> Result<T>) -> Result<T> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(busy)?;
        let v = f(&Tx::lend(&tx))?;
        tx.rollback()?;
        Ok(v)
    }

    /// Runs `f` on one consistent snapshot (a read transaction): no commit of another process
    /// lands between its reads.
    pub fn snapshot<T>(&self, f: impl FnOnce(&Reader) -> Result<T>) -> Result<T> {
        let tx = self.conn.unchecked_transaction().map_err(busy)?;
        let v = f(&Reader { conn: &tx })?;
        tx.finish()?;
        Ok(v)
    }

    /// Reads outside any write (each statement sees the latest commit).
    pub fn reader(&self) -> Reader<'_> {
        Reader { conn: &self.conn }
    }

    /// The connection itself is the store's alone: only unit tests reach it, to edit the
    /// database by hand as an intruder would.
    #[cfg(test)]
    pub(crate) fn conn(&self) -> &Connection {
        &self.conn
    }

    /// A second, read-only connection to the same file, for reading on another thread (WAL lets
    /// it read a consistent snapshot while this one writes); `None` for an in-memory database.
    pub fn open_reader(&self) -> Result<Option<ReadConnection>> {
        let Some(path) = self.conn.path().filter(|p| !p.is_empty()) else {
            return Ok(None);
        };
        let conn =
            Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX)
                .with_context(|| format!("cannot open database {path}"))?;
        conn.busy_timeout(BUSY_TIMEOUT)?;
        Ok(Some(ReadConnection { conn }))
    }

    /// The database file; `None` for an in-memory database.
    pub fn path(&self) -> Option<&str> {
        self.conn.path().filter(|p| !p.is_empty())
    }

    /// Rows changed through this connection since it opened (grows with every write of ours).
    pub fn total_changes(&self) -> u64 {
        self.conn.total_changes()
    }

    /// Changes whenever another connection commits: lets a long-lived view refresh.
    pub fn data_version(&self) -> Result<i64> {
        Ok(self.conn.query_row("PRAGMA data_version", [], |r| r.get(0))?)
    }

    /// A consistent snapshot through SQLite's online backup API (never a file copy).
    pub fn backup_to(&self, dest: &Path) -> Result<()> {
        if dest.exists() {
            bail!("{} already exists; choose a new file name", dest.display());
        }
        let mut out = Connection::open(dest)?;
        let backup = rusqlite::backup::Backup::new(&self.conn, &mut out)?;
        backup.run_to_completion(1000, Duration::from_millis(0), None)?;
        Ok(())
    }

    pub fn integrity_check(&self) -> Result<String> {
        Ok(self.conn.query_row("PRAGMA integrity_check", [], |r| r.get(0))?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reader_sees_commits_and_cannot_write() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = Store::open(&dir.path().join("a.db")).unwrap();
        let reader = s.open_reader().unwrap().expect("a file database has readers");
        s.write(|tx| {
            Ok(tx
                .conn()
                .execute("INSERT INTO items VALUES ('X1', 'x', '', '', '', '', '', 1, '')", [])?)
        })
        .unwrap();
        let n: i64 = reader
            .conn
            .query_row("SELECT count(*) FROM items", [], |r| r.get(0))
            .unwrap();
        assert_eq!(n, 1);
        assert!(reader.conn.execute("DELETE FROM items", []).is_err());
        assert!(Store::open_in_memory().unwrap().open_reader().unwrap().is_none());
    }

    #[test]
    fn a_bulk_write_keeps_wal_so_that_others_read_meanwhile() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.db");
        let mut s = Store::open(&p).unwrap();
        let mode = s
            .write_bulk(|tx| {
                Ok(tx
                    .conn()
                    .query_row("PRAGMA journal_mode", [], |r| r.get::<_, String>(0))?)
            })
            .unwrap();
        assert_eq!(mode, "wal");
        // While a write is open, another connection reads at once.
        let other = Store::open(&p).unwrap();
        s.write_bulk(|tx| {
            tx.conn()
                .execute("INSERT INTO items VALUES ('X1', 'x', '', '', '', '', '', 1, '')", [])?;
            assert_eq!(
                crate::store::rosters::count_active::<crate::domain::InspectionItem>(&other.reader())?,
                0
            );
            Ok(())
        })
        .unwrap();
    }

    #[test]
    fn a_writer_that_cannot_wait_longer_says_why_in_chinese() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.db");
        let mut a = Store::open(&p).unwrap();
        let mut b = Store::open(&p).unwrap();
        b.conn.busy_timeout(Duration::from_millis(50)).unwrap();
        let e = a.write(|_| b.write(|_| Ok(()))).unwrap_err().to_string();
        assert!(e.starts_with("另一个 choucha 进程正在写入这个数据库"), "{e}");
        assert!(!e.contains("database is locked"), "{e}");
    }

    #[test]
    fn opens_migrates_and_refuses_foreign_files() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.db");
        drop(Store::open(&p).unwrap());
        let s = Store::open(&p).unwrap();
        let v: i64 = s.conn().query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
        assert_eq!(v as usize, schema::MIGRATIONS.len());
        let other = dir.path().join("other.db");
        Connection::open(&other)
            .unwrap()
            .execute_batch("CREATE TABLE x(a)")
            .unwrap();
        assert!(Store::open(&other).is_err());
    }

    #[test]
    fn backup_gives_a_readable_copy() {
        let dir = tempfile::tempdir().unwrap();
        let s = Store::open(&dir.path().join("a.db")).unwrap();
        let b = dir.path().join("b.db");
        s.backup_to(&b).unwrap();
        assert_eq!(Store::open(&b).unwrap().integrity_check().unwrap(), "ok");
        assert!(s.backup_to(&b).is_err());
    }
}
