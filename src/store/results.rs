//! Inspection results: one row per (draw, task, institution) with its item results, findings and
//! points. Saving a result replaces it as a whole inside the caller's transaction; disclosures are
//! append-only.

use std::collections::HashMap;

use super::{Reader, Tx};
use anyhow::{Context, Result};
use chrono::NaiveDate;
use rusqlite::{Connection, params};

use super::rosters::Upserted;
use crate::domain::results::{Finding, ItemResult, PointsEntry, Rectification, RectifyStatus, TaskResult};

/// Which task and institution a result is for. `draw_id` is the plan's draw when recorded.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ResultKey {
    pub plan_id: i64,
    pub draw_id: i64,
    pub seq: u32,
    pub institution: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredResult {
    pub key: ResultKey,
    pub result: TaskResult,
    pub recorded_at: String,
    pub recorded_by: String,
    /// When a disclosure first included this result.
    pub disclosed_at: Option<String>,
}

/// One exported disclosure file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DisclosureLog {
    pub id: i64,
    pub plan_id: i64,
    pub draw_id: i64,
    pub format: String,
    pub file_name: String,
    pub rows: usize,
    pub digest: String,
    pub audit_seq: i64,
    pub at: String,
    pub actor: String,
    /// SHA-256 of the file as written (none for files exported before schema 4).
    pub file_sha256: Option<String>,
}

fn date_text(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

fn date_of(s: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").with_context(|| format!("stored date {s:?}"))
}

fn split(s: &str) -> Vec<String> {
    if s.is_empty() {
        vec![]
    } else {
        s.split('、').map(String::from).collect()
    }
}

/// Stores `r` for `key`, replacing what was there. An identical result is left alone
/// (`Unchanged`: its record time and disclosure mark stay).
pub fn put(tx: &Tx, key: &ResultKey, r: &TaskResult, at: &str, actor: &str) -> Result<Upserted> {
    let old = get(tx, key.draw_id, key.seq, &key.institution)?;
    let tx = tx.conn();
    if let Some(old) = &old
        && old.result == *r
        && old.key.plan_id == key.plan_id
    {
        return Ok(Upserted::Unchanged);
    }
    let k = params![key.draw_id, key.seq, key.institution];
    // Children first (points refer to findings); the main row is updated in place so that its
    // disclosure mark survives.
    tx.execute("DELETE FROM points WHERE draw_id=?1 AND seq=?2 AND institution=?3", k)?;
    tx.execute("DELETE FROM findings WHERE draw_id=?1 AND seq=?2 AND institution=?3", k)?;
    tx.execute(
        "DELETE FROM item_results WHERE draw_id=?1 AND seq=?2 AND institution=?3",
        k,
    )?;
    let (rectify_by, rectify_status) = match r.rectification {
        Some(x) => (Some(date_text(x.due)), Some(x.status.zh())),
        None => (None, None),
    };
    tx.execute(
        "INSERT INTO task_results(draw_id, seq, institution, plan_id, check_date, completed_on, category, measures,
            recovered_fen, fine_fen, rectify_by, rectify_status, public_remark, internal_notes, recorded_at, recorded_by)
         VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16)
         ON CONFLICT(draw_id, seq, institution) DO UPDATE SET plan_id=excluded.plan_id,
            check_date=excluded.check_date, completed_on=excluded.completed_on, category=excluded.category,
            measures=excluded.measures, recovered_fen=excluded.recovered_fen, fine_fen=excluded.fine_fen,
            rectify_by=excluded.rectify_by, rectify_status=excluded.rectify_status,
            public_remark=excluded.public_remark, internal_notes=excluded.internal_notes,
            recorded_at=excluded.recorded_at, recorded_by=excluded.recorded_by",
        params![
            key.draw_id,
            key.seq,
            key.institution,
            key.plan_id,
            date_text(r.check_date),
            date_text(r.completed_on),
            r.category,
            r.measures.join("、"),
            r.recovered_fen,
            r.fine_fen,
            rectify_by,
            rectify_status,
            r.public_remark,
            r.internal_notes,
            at,
            actor
        ],
    )?;
    let mut ins = tx
        .prepare_cached("INSERT INTO item_results(draw_id, seq, institution, item, category) VALUES(?1,?2,?3,?4,?5)")?;
    for i in &r.item_results {
        ins.execute(params![key.draw_id, key.seq, key.institution, i.item, i.category])?;
    }
    let mut ins = tx.prepare_cached(
        "INSERT INTO findings(draw_id, seq, institution, no, item, description, amount_fen) VALUES(?1,?2,?3,?4,?5,?6,?7)",
    )?;
    for f in &r.findings {
        ins.execute(params![
            key.draw_id,
            key.seq,
            key.institution,
            f.no,
            f.item,
            f.description,
            f.amount_fen
        ])?;
    }
    let mut ins = tx.prepare_cached(
        "INSERT INTO points(draw_id, seq, institution, line, finding_no, person_name, person_role, person_code, points, scored_on)
         VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10)",
    )?;
    for (line, p) in r.points.iter().enumerate() {
        ins.execute(params![
            key.draw_id,
            key.seq,
            key.institution,
            line as i64 + 1,
            p.finding_no,
            p.name,
            p.role,
            p.code,
            p.points,
            date_text(p.scored_on)
        ])?;
    }
    Ok(if old.is_some() {
        Upserted::Updated
    } else {
        Upserted::Added
    })
}

/// Plans that have any result stored.
pub fn plans_with_results(db: &Reader) -> Result<Vec<i64>> {
    let mut stmt = db
        .conn()
        .prepare("SELECT DISTINCT plan_id FROM task_results ORDER BY plan_id")?;
    let rows = stmt.query_map([], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// SHA-256 (hex) over every stored row of a plan's results: `task_results` (all but the
/// disclosure mark, which a disclosure sets), `item_results`, `findings` and `points`, in key
/// order, each value typed and length-prefixed. Logged with every change of results, so that
/// `audit verify` can tell a hand edit.
pub fn results_digest(db: &Reader, plan_id: i64) -> Result<String> {
    use rusqlite::types::ValueRef;
    use sha2::{Digest, Sha256};
    const JOIN: &str =
        "JOIN task_results t ON t.draw_id=x.draw_id AND t.seq=x.seq AND t.institution=x.institution WHERE t.plan_id=?1";
    let queries = [
        "SELECT draw_id, seq, institution, plan_id, check_date, completed_on, category, measures, recovered_fen, fine_fen,
            rectify_by, rectify_status, public_remark, internal_notes, recorded_at, recorded_by
         FROM task_results WHERE plan_id=?1 ORDER BY draw_id, seq, institution"
            .to_string(),
        format!("SELECT x.draw_id, x.seq, x.institution, x.item, x.category FROM item_results x {JOIN} ORDER BY 1, 2, 3, 4"),
        format!(
            "SELECT x.draw_id, x.seq, x.institution, x.no, x.item, x.description, x.amount_fen FROM findings x {JOIN} ORDER BY 1, 2, 3, 4"
        ),
        format!(
            "SELECT x.draw_id, x.seq, x.institution, x.line, x.finding_no, x.person_name, x.person_role, x.person_code,
                x.points, x.scored_on FROM points x {JOIN} ORDER BY 1, 2, 3, 4"
        ),
    ];
    let mut h = Sha256::new();
    for (table, sql) in queries.iter().enumerate() {
        h.update([b'#', table as u8]);
        let mut stmt = db.conn().prepare(sql)?;
        let n = stmt.column_count();
        let mut rows = stmt.query([plan_id])?;
        while let Some(row) = rows.next()? {
            h.update(b"R");
            for i in 0..n {
                match row.get_ref(i)? {
                    ValueRef::Null => h.update(b"N"),
                    ValueRef::Integer(v) => {
                        h.update(b"I");
                        h.update(v.to_le_bytes());
                    }
                    ValueRef::Real(v) => {
                        h.update(b"F");
                        h.update(v.to_le_bytes());
                    }
                    ValueRef::Text(b) | ValueRef::Blob(b) => {
                        h.update(b"T");
                        h.update((b.len() as u64).to_le_bytes());
                        h.update(b);
                    }
                }
            }
        }
    }
    Ok(hex::encode(h.finalize()))
}

/// Removes a result with its items, findings and points. True when there was one.
pub fn delete(tx: &Tx, key: &ResultKey) -> Result<bool> {
    let tx = tx.conn();
    let n = tx.execute(
        "DELETE FROM task_results WHERE draw_id=?1 AND seq=?2 AND institution=?3",
        params![key.draw_id, key.seq, key.institution],
    )?;
    Ok(n > 0)
}

type Key3 = (i64, u32, String);

/// Loads results whose `task_results` row (alias `t`) matches `filter`.
fn load(conn: &Connection, filter: &str, args: &[&dyn rusqlite::ToSql]) -> Result<Vec<StoredResult>> {
    let mut items: HashMap<Key3, Vec<ItemResult>> = HashMap::new();
    let mut stmt = conn.prepare(&format!(
        "SELECT x.draw_id, x.seq, x.institution, x.item, x.category FROM item_results x
         JOIN task_results t ON t.draw_id=x.draw_id AND t.seq=x.seq AND t.institution=x.institution
         WHERE {filter} ORDER BY x.item"
    ))?;
    let mut rows = stmt.query(args)?;
    while let Some(r) = rows.next()? {
        items
            .entry((r.get(0)?, r.get(1)?, r.get(2)?))
            .or_default()
            .push(ItemResult {
                item: r.get(3)?,
                category: r.get(4)?,
            });
    }
    let mut findings: HashMap<Key3, Vec<Finding>> = HashMap::new();
    let mut stmt = conn.prepare(&format!(
        "SELECT x.draw_id, x.seq, x.institution, x.no, x.item, x.description, x.amount_fen FROM findings x
         JOIN task_results t ON t.draw_id=x.draw_id AND t.seq=x.seq AND t.institution=x.institution
         WHERE {filter} ORDER BY x.no"
    ))?;
    let mut rows = stmt.query(args)?;
    while let Some(r) = rows.next()? {
        findings
            .entry((r.get(0)?, r.get(1)?, r.get(2)?))
            .or_default()
            .push(Finding {
                no: r.get(3)?,
                item: r.get(4)?,
                description: r.get(5)?,
                amount_fen: r.get(6)?,
            });
    }
    let mut points: HashMap<Key3, Vec<PointsEntry>> = HashMap::new();
    let mut stmt = conn.prepare(&format!(
        "SELECT x.draw_id, x.seq, x.institution, x.finding_no, x.person_name, x.person_role, x.person_code,
                x.points, x.scored_on
         FROM points x
         JOIN task_results t ON t.draw_id=x.draw_id AND t.seq=x.seq AND t.institution=x.institution
         WHERE {filter} ORDER BY x.line"
    ))?;
    let mut rows = stmt.query(args)?;
    while let Some(r) = rows.next()? {
        let scored: String = r.get(8)?;
        points
            .entry((r.get(0)?, r.get(1)?, r.get(2)?))
            .or_default()
            .push(PointsEntry {
                finding_no: r.get(3)?,
                name: r.get(4)?,
                role: r.get(5)?,
                code: r.get(6)?,
                points: r.get(7)?,
                scored_on: date_of(&scored)?,
            });
    }
    let mut stmt = conn.prepare(&format!(
        "SELECT t.draw_id, t.seq, t.institution, t.plan_id, t.check_date, t.completed_on, t.category, t.measures,
                t.recovered_fen, t.fine_fen, t.rectify_by, t.rectify_status, t.public_remark, t.internal_notes,
                t.recorded_at, t.recorded_by, t.disclosed_at
         FROM task_results t WHERE {filter} ORDER BY t.plan_id, t.seq, t.recorded_at, t.institution"
    ))?;
    let mut rows = stmt.query(args)?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        let k: Key3 = (r.get(0)?, r.get(1)?, r.get(2)?);
        let rectify_by: Option<String> = r.get(10)?;
        let rectify_status: Option<String> = r.get(11)?;
        let rectification = match rectify_by {
            Some(d) => Some(Rectification {
                due: date_of(&d)?,
                status: rectify_status
                    .as_deref()
                    .and_then(RectifyStatus::parse)
                    .unwrap_or(RectifyStatus::Open),
            }),
            None => None,
        };
        let check: String = r.get(4)?;
        let done: String = r.get(5)?;
        let measures: String = r.get(7)?;
        let item_results = items.remove(&k).unwrap_or_default();
        out.push(StoredResult {
            key: ResultKey {
                plan_id: r.get(3)?,
                draw_id: k.0,
                seq: k.1,
                institution: k.2.clone(),
            },
            result: TaskResult {
                check_date: date_of(&check)?,
                completed_on: date_of(&done)?,
                category: r.get(6)?,
                item_results,
                measures: split(&measures),
                recovered_fen: r.get(8)?,
                fine_fen: r.get(9)?,
                rectification,
                public_remark: r.get(12)?,
                internal_notes: r.get(13)?,
                findings: findings.remove(&k).unwrap_or_default(),
                points: points.remove(&k).unwrap_or_default(),
            },
            recorded_at: r.get(14)?,
            recorded_by: r.get(15)?,
            disclosed_at: r.get(16)?,
        });
    }
    Ok(out)
}

/// One result (item results come back sorted by item code, as `validate` gives them).
pub fn get(db: &Reader, draw_id: i64, seq: u32, institution: &str) -> Result<Option<StoredResult>> {
    let conn = db.conn();
    Ok(load(
        conn,
        "t.draw_id=?1 AND t.seq=?2 AND t.institution=?3",
        &[&draw_id, &seq, &institution],
    )?
    .pop())
}

/// Every result recorded for a draw.
pub fn of_draw(db: &Reader, draw_id: i64) -> Result<Vec<StoredResult>> {
    let conn = db.conn();
    load(conn, "t.draw_id=?1", &[&draw_id])
}

const CURRENT: &str = "t.draw_id IN (SELECT MAX(id) FROM draws GROUP BY plan_id)";

/// Every result of the current draw of every plan (what follow-up and statistics look at).
pub fn of_current_draws(db: &Reader) -> Result<Vec<StoredResult>> {
    let conn = db.conn();
    load(conn, CURRENT, &[])
}

/// Results of current draws completed on or after `since` (屡查屡犯 look-back).
pub fn completed_since(db: &Reader, since: NaiveDate) -> Result<Vec<StoredResult>> {
    let conn = db.conn();
    let s = date_text(since);
    load(conn, &format!("{CURRENT} AND t.completed_on >= ?1"), &[&s])
}

/// Whether any result exists for the plan (of any draw).
pub fn count_for_plan(db: &Reader, plan_id: i64) -> Result<usize> {
    let conn = db.conn();
    let n: i64 = conn.query_row("SELECT count(*) FROM task_results WHERE plan_id=?1", [plan_id], |r| {
        r.get(0)
    })?;
    Ok(n as usize)
}

/// Marks results as disclosed at `at` unless an earlier disclosure did; returns how many were new.
pub fn mark_disclosed(tx: &Tx, keys: &[ResultKey], at: &str) -> Result<usize> {
    let tx = tx.conn();
    let mut stmt = tx.prepare_cached(
        "UPDATE task_results SET disclosed_at=?4 WHERE draw_id=?1 AND seq=?2 AND institution=?3 AND disclosed_at IS NULL",
    )?;
    let mut n = 0;
    for k in keys {
        n += stmt.execute(params![k.draw_id, k.seq, k.institution, at])?;
    }
    Ok(n)
}

pub fn insert_disclosure(tx: &Tx, d: &DisclosureLog) -> Result<i64> {
    let tx = tx.conn();
    tx.execute(
        "INSERT INTO disclosures(plan_id, draw_id, format, file_name, rows, digest, audit_seq, at, actor, file_sha256)
         VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10)",
        params![
            d.plan_id,
            d.draw_id,
            d.format,
            d.file_name,
            d.rows as i64,
            d.digest,
            d.audit_seq,
            d.at,
            d.actor,
            d.file_sha256
        ],
    )?;
    Ok(tx.last_insert_rowid())
}

pub fn disclosures_of_plan(db: &Reader, plan_id: i64) -> Result<Vec<DisclosureLog>> {
    let conn = db.conn();
    let mut stmt = conn.prepare(
        "SELECT id, plan_id, draw_id, format, file_name, rows, digest, audit_seq, at, actor, file_sha256
         FROM disclosures WHERE plan_id=?1 ORDER BY id",
    )?;
    let rows = stmt.query_map([plan_id], |r| {
        Ok(DisclosureLog {
            id: r.get(0)?,
            plan_id: r.get(1)?,
            draw_id: r.get(2)?,
            format: r.get(3)?,
            file_name: r.get(4)?,
            rows: r.get::<_, i64>(5)? as usize,
            digest: r.get(6)?,
            audit_seq: r.get(7)?,
            at: r.get(8)?,
            actor: r.get(9)?,
            file_sha256: r.get(10)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// What public files may say about an institution: name, 统一社会信用代码, credit class.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InstitutionFacts {
    pub name: String,
    pub uscc: String,
    pub credit: String,
    pub kind: String,
    pub region: String,
}

/// Public facts of institutions by code, including inactive ones (results outlive roster changes).
/// Looked up one code at a time and remembered: a roster may hold a million institutions, of
/// which a plan touches a few hundred.
pub struct FactsLookup<'c> {
    stmt: std::cell::RefCell<rusqlite::Statement<'c>>,
    cache: std::cell::RefCell<HashMap<String, Option<InstitutionFacts>>>,
}

impl FactsLookup<'_> {
    pub fn get(&self, code: &str) -> Option<InstitutionFacts> {
        if let Some(hit) = self.cache.borrow().get(code) {
            return hit.clone();
        }
        let found = self
            .stmt
            .borrow_mut()
            .query_row([code], |r| {
                Ok(InstitutionFacts {
                    name: r.get(0)?,
                    uscc: r.get(1)?,
                    credit: r.get(2)?,
                    kind: r.get(3)?,
                    region: r.get(4)?,
                })
            })
            .ok();
        self.cache.borrow_mut().insert(code.to_string(), found.clone());
        found
    }
}

pub fn institution_facts<'c>(db: &Reader<'c>) -> Result<FactsLookup<'c>> {
    let conn = db.conn();
    Ok(FactsLookup {
        stmt: std::cell::RefCell::new(
            conn.prepare("SELECT name, uscc, credit, kind, region FROM institutions WHERE code = ?1")?,
        ),
        cache: Default::default(),
    })
}

/// Item names by code, inactive items included, in code order.
pub fn item_names(db: &Reader) -> Result<Vec<(String, String)>> {
    let conn = db.conn();
    let mut stmt = conn.prepare("SELECT code, name FROM items ORDER BY code")?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Inspector names by id, inactive inspectors included.
pub fn inspector_names(db: &Reader) -> Result<HashMap<String, String>> {
    let conn = db.conn();
    let mut stmt = conn.prepare("SELECT id, name FROM inspectors")?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// A value that must never appear in a public file, and what it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrivateValue {
    /// 联系电话, 地址, 联系人, 回避机构.
    pub kind: &'static str,
    pub value: String,
    /// Whose value it is (an institution code or inspector id), for the message.
    pub owner: String,
}

/// Every private roster value (phones, addresses, contact persons, conflict lists), of active
/// and inactive records alike.
pub fn private_values(db: &Reader) -> Result<Vec<PrivateValue>> {
    let conn = db.conn();
    let mut out = Vec::new();
    let mut stmt = conn.prepare("SELECT code, address, contact, phone FROM institutions")?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let owner: String = r.get(0)?;
        for (i, kind) in [(1, "地址"), (2, "联系人"), (3, "联系电话")] {
            let v: String = r.get(i)?;
            if !v.trim().is_empty() {
                out.push(PrivateValue {
                    kind,
                    value: v.trim().to_string(),
                    owner: owner.clone(),
                });
            }
        }
    }
    let mut stmt = conn.prepare("SELECT id, phone, conflicts FROM inspectors")?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let owner: String = r.get(0)?;
        let phone: String = r.get(1)?;
        if !phone.trim().is_empty() {
            out.push(PrivateValue {
                kind: "联系电话",
                value: phone.trim().to_string(),
                owner: owner.clone(),
            });
        }
        // A single conflict code is an institution code, which public files name anyway; a list
        // of them, joined in any of the usual ways, is the private conflict list.
        let conflicts: String = r.get(2)?;
        let codes = crate::domain::roster::split_list(&conflicts);
        if codes.len() > 1 {
            for sep in ["、", ",", "，", ";", "；", " "] {
                out.push(PrivateValue {
                    kind: "回避机构",
                    value: codes.join(sep),
                    owner: owner.clone(),
                });
            }
        }
    }
    Ok(out)
}

/// The most recent disclosure of a plan.
pub fn last_disclosure(db: &Reader, plan_id: i64) -> Result<Option<DisclosureLog>> {
    Ok(disclosures_of_plan(db, plan_id)?.pop())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

    fn result() -> TaskResult {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        TaskResult {
            check_date: d("2026-03-10"),
            completed_on: d("2026-03-11"),
            category: "发现问题已责令整改".into(),
            item_results: vec![
                ItemResult {
                    item: "YB-01".into(),
                    category: "未发现问题".into(),
                },
                ItemResult {
                    item: "YB-04".into(),
                    category: "发现问题已责令整改".into(),
                },
            ],
            measures: vec!["约谈".into(), "追回".into()],
            recovered_fen: 120_050,
            fine_fen: 0,
            rectification: Some(Rectification {
                due: d("2026-04-10"),
                status: RectifyStatus::InProgress,
            }),
            public_remark: "已整改".into(),
            internal_notes: "院长表示配合".into(),
            findings: vec![Finding {
                no: 1,
                item: "YB-04".into(),
                description: "串换".into(),
                amount_fen: 120_050,
            }],
            points: vec![PointsEntry {
                finding_no: 1,
                name: "张医生".into(),
                role: "医师".into(),
                code: String::new(),
                points: 6,
                scored_on: d("2026-03-11"),
            }],
        }
    }

    /// A store with one plan and one draw (no tasks are needed for results' own tables).
    fn store() -> Store {
        let mut s = Store::open_in_memory().unwrap();
        s.write(|tx| {
            tx.conn().execute_batch(
                "INSERT INTO plans VALUES(1,'t',2026,'','drawn','2026-03-01T00:00:00','x',NULL);
                 INSERT INTO plan_inputs VALUES(1,1,x'00','d','r','2026-03-01T00:00:00','x');
                 INSERT INTO draws VALUES(1,1,1,'s','r','d','','2026-03-02T00:00:00','x');",
            )?;
            Ok(())
        })
        .unwrap();
        s
    }

    fn key() -> ResultKey {
        ResultKey {
            plan_id: 1,
            draw_id: 1,
            seq: 3,
            institution: "H45990100001".into(),
        }
    }

    #[test]
    fn results_round_trip_and_replace() {
        let mut s = store();
        let r = result();
        let k = key();
        assert_eq!(
            s.write(|tx| put(tx, &k, &r, "2026-03-12T09:00:00", "a")).unwrap(),
            Upserted::Added
        );
        let got = get(&s.reader(), 1, 3, "H45990100001").unwrap().unwrap();
        assert_eq!(got.result, r);
        assert_eq!(got.recorded_by, "a");
        assert_eq!(
            s.write(|tx| put(tx, &k, &r, "2026-03-13T09:00:00", "b")).unwrap(),
            Upserted::Unchanged
        );
        s.write(|tx| mark_disclosed(tx, std::slice::from_ref(&k), "2026-03-14T00:00:00"))
            .unwrap();
        let mut r2 = r.clone();
        r2.findings.clear();
        r2.points.clear();
        r2.category = "发现问题待后续处理".into();
        r2.findings.push(Finding {
            no: 2,
            item: "YB-01".into(),
            description: "挂床".into(),
            amount_fen: 0,
        });
        assert_eq!(
            s.write(|tx| put(tx, &k, &r2, "2026-03-15T09:00:00", "b")).unwrap(),
            Upserted::Updated
        );
        let got = get(&s.reader(), 1, 3, "H45990100001").unwrap().unwrap();
        assert_eq!(got.result, r2);
        assert_eq!(got.disclosed_at.as_deref(), Some("2026-03-14T00:00:00"));
        assert_eq!(of_current_draws(&s.reader()).unwrap().len(), 1);
        assert_eq!(
            completed_since(&s.reader(), NaiveDate::from_ymd_opt(2026, 3, 12).unwrap())
                .unwrap()
                .len(),
            0
        );
        assert!(s.write(|tx| delete(tx, &k)).unwrap());
        assert!(get(&s.reader(), 1, 3, "H45990100001").unwrap().is_none());
        let n: i64 = s
            .conn()
            .query_row("SELECT count(*) FROM findings", [], |r| r.get(0))
            .unwrap();
        assert_eq!(n, 0);
    }

    #[test]
    fn a_plan_with_results_cannot_be_redrawn_and_disclosures_are_append_only() {
        let mut s = store();
        s.write(|tx| put(tx, &key(), &result(), "2026-03-12T09:00:00", "a"))
            .unwrap();
        let e = s
            .conn()
            .execute(
                "INSERT INTO draws VALUES(2,1,1,'s2','r','d','x','2026-03-12T00:00:00','x')",
                [],
            )
            .unwrap_err()
            .to_string();
        assert!(e.contains("不能重新抽取"), "{e}");
        let log = DisclosureLog {
            id: 0,
            plan_id: 1,
            draw_id: 1,
            format: "csv".into(),
            file_name: "a.csv".into(),
            rows: 1,
            digest: "d".into(),
            audit_seq: 1,
            at: "2026-03-12T00:00:00".into(),
            actor: "a".into(),
            file_sha256: None,
        };
        s.write(|tx| insert_disclosure(tx, &log)).unwrap();
        assert_eq!(disclosures_of_plan(&s.reader(), 1).unwrap().len(), 1);
        assert!(s.conn().execute("DELETE FROM disclosures", []).is_err());
        assert!(s.conn().execute("UPDATE disclosures SET rows=2", []).is_err());
    }
}
