//! The tamper-evident audit log: every write appends an entry whose hash covers the previous
//! entry's hash, so that changing or removing any row breaks the chain from there on.

use super::{Reader, Tx};
use anyhow::Result;
use rusqlite::{OptionalExtension, params};
use sha2::{Digest, Sha256};

pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    pub seq: i64,
    pub at: String,
    pub actor: String,
    pub action: String,
    pub object: String,
    pub details: String,
    pub prev_hash: String,
    pub hash: String,
}

/// hash = SHA-256 over the fields joined by LF, in this order: prev_hash, seq, at, actor, action,
/// object, details (lower-case hex).
pub fn entry_hash(
    prev_hash: &str,
    seq: i64,
    at: &str,
    actor: &str,
    action: &str,
    object: &str,
    details: &str,
) -> String {
    let mut h = Sha256::new();
    for (i, part) in [prev_hash, &seq.to_string(), at, actor, action, object, details]
        .iter()
        .enumerate()
    {
        if i > 0 {
            h.update(b"\n");
        }
        h.update(part.as_bytes());
    }
    hex::encode(h.finalize())
}

/// Appends one entry inside the caller's transaction, so the log and the change commit together.
pub fn append(tx: &Tx, at: &str, actor: &str, action: &str, object: &str, details: &str) -> Result<AuditEntry> {
    let tx = tx.conn();
    let last: Option<(i64, String)> = tx
        .query_row("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .optional()?;
    let (seq, prev) = match last {
        Some((s, h)) => (s + 1, h),
        None => (1, GENESIS_HASH.to_string()),
    };
    let hash = entry_hash(&prev, seq, at, actor, action, object, details);
    tx.execute(
        "INSERT INTO audit_log(seq, at, actor, action, object, details, prev_hash, hash) VALUES(?1,?2,?3,?4,?5,?6,?7,?8)",
        params![seq, at, actor, action, object, details, prev, hash],
    )?;
    Ok(AuditEntry {
        seq,
        at: at.into(),
        actor: actor.into(),
        action: action.into(),
        object: object.into(),
        details: details.into(),
        prev_hash: prev,
        hash,
    })
}

pub fn latest(db: &Reader) -> Result<Option<(i64, String)>> {
    let conn = db.conn();
    Ok(conn
        .query_row("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .optional()?)
}

/// The hash of entry `seq`, if the log holds it.
pub fn hash_at(db: &Reader, seq: i64) -> Result<Option<String>> {
    Ok(db
        .conn()
        .query_row("SELECT hash FROM audit_log WHERE seq=?1", [seq], |r| r.get(0))
        .optional()?)
}

/// Every entry, oldest first.
pub fn all(db: &Reader) -> Result<Vec<AuditEntry>> {
    let mut stmt = db
        .conn()
        .prepare("SELECT seq, at, actor, action, object, details, prev_hash, hash FROM audit_log ORDER BY seq")?;
    let rows = stmt.query_map([], row_entry)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The most recent entries first, for display.
pub fn recent(db: &Reader, limit: usize) -> Result<Vec<AuditEntry>> {
    let conn = db.conn();
    let mut stmt = conn.prepare(
        "SELECT seq, at, actor, action, object, details, prev_hash, hash FROM audit_log ORDER BY seq DESC LIMIT ?1",
    )?;
    let rows = stmt.query_map([limit as i64], row_entry)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn row_entry(r: &rusqlite::Row) -> rusqlite::Result<AuditEntry> {
    Ok(AuditEntry {
        seq: r.get(0)?,
        at: r.get(1)?,
        actor: r.get(2)?,
        action: r.get(3)?,
        object: r.get(4)?,
        details: r.get(5)?,
        prev_hash: r.get(6)?,
        hash: r.get(7)?,
    })
}

/// The first place where the chain does not hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChainBreak {
    /// seq jumps: rows are missing before `seq`.
    Gap { expected: i64, found: i64 },
    /// prev_hash of `seq` is not the previous entry's hash.
    Link { seq: i64 },
    /// The stored hash of `seq` does not match its content.
    Content { seq: i64 },
}

impl ChainBreak {
    pub fn zh(&self) -> String {
        match self {
            ChainBreak::Gap { expected, found } => {
                format!("序号不连续：应为第 {expected} 条，实际为第 {found} 条（有记录被删除）")
            }
            ChainBreak::Link { seq } => format!("第 {seq} 条的前序哈希与上一条不符（链被断开）"),
            ChainBreak::Content { seq } => format!("第 {seq} 条的内容与其哈希不符（记录被修改）"),
        }
    }
    pub fn en(&self) -> String {
        match self {
            ChainBreak::Gap { expected, found } => {
                format!("sequence gap: expected entry {expected}, found {found} (entries were deleted)")
            }
            ChainBreak::Link { seq } => format!("entry {seq}: previous hash does not match the entry before it"),
            ChainBreak::Content { seq } => format!("entry {seq}: content does not match its hash (entry was modified)"),
        }
    }
}

/// Walks the whole chain; returns the number of entries, or the first break.
pub fn verify_chain(db: &Reader) -> Result<Result<i64, ChainBreak>> {
    let conn = db.conn();
    let mut stmt =
        conn.prepare("SELECT seq, at, actor, action, object, details, prev_hash, hash FROM audit_log ORDER BY seq")?;
    let mut rows = stmt.query([])?;
    let mut expected_seq = 1;
    let mut prev = GENESIS_HASH.to_string();
    while let Some(r) = rows.next()? {
        let e = row_entry(r)?;
        if e.seq != expected_seq {
            return Ok(Err(ChainBreak::Gap {
                expected: expected_seq,
                found: e.seq,
            }));
        }
        if e.prev_hash != prev {
            return Ok(Err(ChainBreak::Link { seq: e.seq }));
        }
        if entry_hash(&e.prev_hash, e.seq, &e.at, &e.actor, &e.action, &e.object, &e.details) != e.hash {
            return Ok(Err(ChainBreak::Content { seq: e.seq }));
        }
        prev = e.hash;
        expected_seq += 1;
    }
    Ok(Ok(expected_seq - 1))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

    #[test]
    fn chain_appends_verifies_and_detects_tampering() {
        let mut s = Store::open_in_memory().unwrap();
        for i in 0..3 {
            s.write(|tx| {
                append(
                    tx,
                    "2026-01-01T00:00:00",
                    "tester",
                    "import",
                    "institutions",
                    &format!("n={i}"),
                )
            })
            .unwrap();
        }
        assert_eq!(verify_chain(&s.reader()).unwrap(), Ok(3));
        // The triggers refuse edits, deletes and out-of-chain inserts.
        assert!(
            s.conn()
                .execute("UPDATE audit_log SET details='x' WHERE seq=2", [])
                .is_err()
        );
        assert!(s.conn().execute("DELETE FROM audit_log WHERE seq=3", []).is_err());
        assert!(
            s.conn()
                .execute(
                    "INSERT OR REPLACE INTO audit_log VALUES(2,'a','b','c','d','e','f','g')",
                    []
                )
                .is_err()
        );
        // Someone who drops the triggers is still caught by the walk.
        s.conn()
            .execute_batch("DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;")
            .unwrap();
        s.conn()
            .execute("UPDATE audit_log SET details='n=9' WHERE seq=2", [])
            .unwrap();
        assert_eq!(verify_chain(&s.reader()).unwrap(), Err(ChainBreak::Content { seq: 2 }));
        s.conn().execute("DELETE FROM audit_log WHERE seq=2", []).unwrap();
        assert_eq!(
            verify_chain(&s.reader()).unwrap(),
            Err(ChainBreak::Gap { expected: 2, found: 3 })
        );
    }
}
