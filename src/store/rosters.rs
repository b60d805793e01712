//! The three roster tables. Each stores a record's cells exactly as `Record::to_cells` gives them
//! (same order as the spreadsheet columns), so one generic implementation serves all three.

use super::{Reader, Tx};
use anyhow::{Context, Result};
use rusqlite::{Connection, OptionalExtension, params_from_iter};

use crate::domain::{InspectionItem, Inspector, Institution, Record, RosterRules};

/// Binds a roster record type to its table.
pub trait RosterTable: Record {
    const TABLE: &'static str;
    /// The unique index on the key column (schema.rs).
    const KEY_INDEX: &'static str;
    /// Column names in `Record::FIELDS` order; the first is the key.
    const COLUMNS: &'static [&'static str];
    /// Columns searched by a list filter.
    const SEARCH: &'static [&'static str];
}

impl RosterTable for Institution {
    const TABLE: &'static str = "institutions";
    const KEY_INDEX: &'static str = "institutions_key";
    const COLUMNS: &'static [&'static str] = &[
        "code",
        "name",
        "uscc",
        "kind",
        "ownership",
        "grade",
        "region",
        "credit",
        "address",
        "contact",
        "phone",
        "status",
    ];
    const SEARCH: &'static [&'static str] = &["code", "name", "uscc", "region"];
}

impl RosterTable for Inspector {
    const TABLE: &'static str = "inspectors";
    const KEY_INDEX: &'static str = "inspectors_key";
    const COLUMNS: &'static [&'static str] = &[
        "id",
        "name",
        "unit",
        "region",
        "expertise",
        "certified",
        "conflicts",
        "phone",
        "status",
    ];
    const SEARCH: &'static [&'static str] = &["id", "name", "unit", "region", "expertise"];
}

impl RosterTable for InspectionItem {
    const TABLE: &'static str = "items";
    const KEY_INDEX: &'static str = "items_key";
    const COLUMNS: &'static [&'static str] = &["code", "name", "applies_to", "basis", "method", "category", "status"];
    const SEARCH: &'static [&'static str] = &["code", "name", "applies_to", "basis"];
}

/// What an upsert did to one row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Upserted {
    Added,
    Updated,
    Unchanged,
}

/// Rows per multi-row INSERT while loading an empty roster.
const BULK_ROWS: usize = 64;

/// Prepared statements for writing many records of one roster inside one transaction.
pub struct RosterWriter<'t, R: RosterTable> {
    tx: &'t Connection,
    exists: rusqlite::Statement<'t>,
    insert: rusqlite::Statement<'t>,
    update: rusqlite::Statement<'t>,
    now: String,
    /// Set when the table was empty at the start: every row is new, the lookup is skipped, rows
    /// go in `BULK_ROWS` at a time, and the key index is built once at the end.
    bulk: Option<Bulk<'t, R>>,
}

struct Bulk<'t, R> {
    insert: rusqlite::Statement<'t>,
    pending: Vec<R>,
    index_sql: String,
}

fn insert_sql<R: RosterTable>(rows: usize) -> String {
    let n = R::COLUMNS.len() + 1;
    let tuples: Vec<String> = (0..rows)
        .map(|r| {
            format!(
                "({})",
                (1..=n).map(|i| format!("?{}", r * n + i)).collect::<Vec<_>>().join(",")
            )
        })
        .collect();
    format!(
        "INSERT INTO {}({}, updated_at) VALUES {}",
        R::TABLE,
        R::COLUMNS.join(","),
        tuples.join(",")
    )
}

impl<'t, R: RosterTable> RosterWriter<'t, R> {
    /// A writer for single records and small batches.
    pub fn new(tx: &Tx<'t>, now: &str) -> Result<Self> {
        Self::open(tx.conn(), now, false)
    }

    /// A writer for an import: when the table is empty it loads in bulk. `finish` must be called
    /// before the transaction commits (a writer dropped without it writes its last rows never).
    pub fn new_bulk(tx: &Tx<'t>, now: &str) -> Result<Self> {
        Self::open(tx.conn(), now, true)
    }

    fn open(tx: &'t Connection, now: &str, allow_bulk: bool) -> Result<Self> {
        let cols = R::COLUMNS;
        let key = cols[0];
        let t = R::TABLE;
        let sets: Vec<String> = cols
            .iter()
            .enumerate()
            .skip(1)
            .map(|(i, c)| format!("{c}=?{}", i + 1))
            .collect();
        let differs: Vec<String> = cols
            .iter()
            .enumerate()
            .skip(1)
            .map(|(i, c)| format!("{c} IS NOT ?{}", i + 1))
            .collect();
        let update = format!(
            "UPDATE {t} SET {}, active=1, updated_at=?{} WHERE {key}=?1 AND (active=0 OR {})",
            sets.join(","),
            cols.len() + 1,
            differs.join(" OR ")
        );
        let was_empty: bool = tx.query_row(&format!("SELECT NOT EXISTS (SELECT 1 FROM {t})"), [], |r| r.get(0))?;
        // Loading an empty roster: build the key index once at the end (`finish`), sorted, instead
        // of inserting a million keys one by one. Duplicates were refused before they got here,
        // and the index build would refuse any that slipped through.
        let bulk = if was_empty && allow_bulk {
            tx.execute_batch(&format!("DROP INDEX {}", R::KEY_INDEX))?;
            Some(Bulk {
                insert: tx.prepare(&insert_sql::<R>(BULK_ROWS))?,
                pending: Vec::with_capacity(BULK_ROWS),
                index_sql: format!("CREATE UNIQUE INDEX {} ON {t}({key})", R::KEY_INDEX),
            })
        } else {
            None
        };
        Ok(RosterWriter {
            tx,
            exists: tx.prepare(&format!("SELECT 1 FROM {t} WHERE {key}=?1"))?,
            insert: tx.prepare(&insert_sql::<R>(1))?,
            update: tx.prepare(&update)?,
            now: now.to_string(),
            bulk,
        })
    }

    /// Completes the load: writes what is pending and rebuilds the key index. Call before commit.
    pub fn finish(mut self) -> Result<()> {
        if let Some(bulk) = self.bulk.take() {
            for rec in &bulk.pending {
                self.execute_one(rec, false)?;
            }
            self.tx.execute_batch(&bulk.index_sql)?;
        }
        Ok(())
    }

    /// Inserts the record or updates the stored one when any cell differs.
    pub fn upsert(&mut self, rec: R) -> Result<Upserted> {
        if let Some(bulk) = &mut self.bulk {
            bulk.pending.push(rec);
            if bulk.pending.len() == BULK_ROWS {
                let n = R::COLUMNS.len() + 1;
                for (r, rec) in bulk.pending.iter().enumerate() {
                    for (i, c) in rec.cells().iter().enumerate() {
                        bulk.insert.raw_bind_parameter(r * n + i + 1, c.as_ref())?;
                    }
                    bulk.insert.raw_bind_parameter(r * n + n, self.now.as_str())?;
                }
                bulk.insert.raw_execute()?;
                bulk.pending.clear();
            }
            return Ok(Upserted::Added);
        }
        let exists = self.exists.query_row([rec.key()], |_| Ok(())).optional()?.is_some();
        let n = self.execute_one(&rec, exists)?;
        Ok(match (exists, n) {
            (false, _) => Upserted::Added,
            (true, 1) => Upserted::Updated,
            (true, _) => Upserted::Unchanged,
        })
    }

    fn execute_one(&mut self, rec: &R, exists: bool) -> Result<usize> {
        let cells = rec.cells();
        let stmt = if exists { &mut self.update } else { &mut self.insert };
        for (i, c) in cells.iter().enumerate() {
            stmt.raw_bind_parameter(i + 1, c.as_ref())?;
        }
        stmt.raw_bind_parameter(cells.len() + 1, self.now.as_str())?;
        stmt.raw_execute().with_context(|| format!("write {}", cells[0]))
    }
}

/// Marks every active record whose key is not in `keep` inactive; returns how many.
pub fn deactivate_missing<R: RosterTable>(tx: &Tx, keep: &[String], now: &str) -> Result<usize> {
    let tx = tx.conn();
    let t = R::TABLE;
    let key = R::COLUMNS[0];
    tx.execute_batch("CREATE TEMP TABLE IF NOT EXISTS keep_keys(k TEXT PRIMARY KEY); DELETE FROM keep_keys;")?;
    {
        let mut ins = tx.prepare("INSERT OR IGNORE INTO keep_keys(k) VALUES(?1)")?;
        for k in keep {
            ins.execute([k])?;
        }
    }
    let n = tx.execute(
        &format!("UPDATE {t} SET active=0, updated_at=?1 WHERE active=1 AND {key} NOT IN (SELECT k FROM keep_keys)"),
        [now],
    )?;
    tx.execute_batch("DELETE FROM keep_keys;")?;
    Ok(n)
}

/// Sets one record's active flag (deactivate from the TUI). Returns false when the key is unknown.
pub fn set_active<R: RosterTable>(tx: &Tx, key: &str, active: bool, now: &str) -> Result<bool> {
    let tx = tx.conn();
    let sql = format!(
        "UPDATE {} SET active=?1, updated_at=?2 WHERE {}=?3",
        R::TABLE,
        R::COLUMNS[0]
    );
    Ok(tx.execute(&sql, rusqlite::params![active, now, key])? == 1)
}

fn from_row<R: RosterTable>(row: &rusqlite::Row) -> rusqlite::Result<Vec<String>> {
    (0..R::COLUMNS.len()).map(|i| row.get::<_, String>(i)).collect()
}

fn parse_stored<R: RosterTable>(cells: Vec<String>, rules: &RosterRules) -> Result<R> {
    let key = cells.first().cloned().unwrap_or_default();
    R::parse(cells, rules).map_err(|e| anyhow::anyhow!("stored {} row {key} no longer parses: {e:?}", R::TABLE))
}

/// A page of a roster for list views: filtered, sorted by a column, never the whole table.
#[derive(Debug, Clone, Default)]
pub struct PageQuery {
    pub filter: String,
    /// Index into `COLUMNS`.
    pub sort: usize,
    pub descending: bool,
    pub offset: usize,
    pub limit: usize,
    pub include_inactive: bool,
}

fn where_clause<R: RosterTable>(q: &PageQuery) -> (String, Vec<String>) {
    let mut conds = Vec::new();
    let mut args = Vec::new();
    if !q.include_inactive {
        conds.push("active=1".to_string());
    }
    for (i, word) in q.filter.split_whitespace().enumerate() {
        let ors: Vec<String> = R::SEARCH.iter().map(|c| format!("instr({c}, ?{})>0", i + 1)).collect();
        conds.push(format!("({})", ors.join(" OR ")));
        args.push(word.to_string());
    }
    let w = if conds.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", conds.join(" AND "))
    };
    (w, args)
}

pub fn page<R: RosterTable>(db: &Reader, q: &PageQuery) -> Result<Vec<(R, bool)>> {
    let conn = db.conn();
    let (w, args) = where_clause::<R>(q);
    let sort = R::COLUMNS.get(q.sort).copied().unwrap_or(R::COLUMNS[0]);
    let dir = if q.descending { "DESC" } else { "ASC" };
    let key = R::COLUMNS[0];
    let sql = format!(
        "SELECT {}, active FROM {} {w} ORDER BY {sort} {dir}, {key} {dir} LIMIT {} OFFSET {}",
        R::COLUMNS.join(","),
        R::TABLE,
        q.limit.max(1),
        q.offset
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(params_from_iter(args.iter()), |row| {
        Ok((from_row::<R>(row)?, row.get::<_, bool>(R::COLUMNS.len())?))
    })?;
    let rules = RosterRules::permissive();
    rows.map(|r| {
        let (cells, active) = r?;
        Ok((parse_stored::<R>(cells, &rules)?, active))
    })
    .collect()
}

/// The rows matching a query, counting no further than `cap`: (count, whether it stopped at the cap).
pub fn count_capped<R: RosterTable>(db: &Reader, q: &PageQuery, cap: usize) -> Result<(usize, bool)> {
    let conn = db.conn();
    let (w, args) = where_clause::<R>(q);
    let sql = format!(
        "SELECT count(*) FROM (SELECT 1 FROM {} {w} LIMIT {})",
        R::TABLE,
        cap.saturating_add(1)
    );
    let n = conn.query_row(&sql, params_from_iter(args.iter()), |r| r.get::<_, i64>(0))? as usize;
    Ok((n.min(cap), n > cap))
}

/// Whether the roster has an active record (stops at the first one).
pub fn any_active<R: RosterTable>(db: &Reader) -> Result<bool> {
    let conn = db.conn();
    let sql = format!("SELECT EXISTS (SELECT 1 FROM {} WHERE active=1)", R::TABLE);
    Ok(conn.query_row(&sql, [], |r| r.get(0))?)
}

/// The stored cells (`Record::to_cells` order) and active flags of the records with the given
/// keys, active or not, in no particular order.
pub fn cells_by_keys<R: RosterTable>(db: &Reader, keys: &[&str]) -> Result<Vec<(Vec<String>, bool)>> {
    let conn = db.conn();
    let mut out = Vec::with_capacity(keys.len());
    // Well under SQLite's limit of bound parameters per statement.
    for chunk in keys.chunks(4096) {
        let marks = vec!["?"; chunk.len()].join(",");
        let sql = format!(
            "SELECT {}, active FROM {} WHERE {} IN ({marks})",
            R::COLUMNS.join(","),
            R::TABLE,
            R::COLUMNS[0]
        );
        let mut stmt = conn.prepare(&sql)?;
        let mut rows = stmt.query(params_from_iter(chunk.iter()))?;
        while let Some(row) = rows.next()? {
            let active = row.get::<_, bool>(R::COLUMNS.len())?;
            out.push((from_row::<R>(row)?, active));
        }
    }
    Ok(out)
}

/// Streams the searched columns (`SEARCH`, in that order) and the active flag of every record,
/// active or not, in key order: what an in-memory search index is built from. `f` stops the
/// pass by returning an error, which is returned.
pub fn for_each_search_row<R: RosterTable>(db: &Reader, mut f: impl FnMut(&[&str], bool) -> Result<()>) -> Result<()> {
    let conn = db.conn();
    let n = R::SEARCH.len();
    let sql = format!(
        "SELECT {}, active FROM {} ORDER BY {}",
        R::SEARCH.join(","),
        R::TABLE,
        R::COLUMNS[0]
    );
    // A pass over the whole table: through a small page cache, which it would only fill.
    let cache: i64 = conn.query_row("PRAGMA cache_size", [], |r| r.get(0))?;
    conn.execute_batch("PRAGMA cache_size=-1024")?;
    let result = search_rows(conn, &sql, n, &mut f);
    conn.execute_batch(&format!("PRAGMA cache_size={cache}"))?;
    result
}

fn search_rows(conn: &Connection, sql: &str, n: usize, f: &mut impl FnMut(&[&str], bool) -> Result<()>) -> Result<()> {
    let mut stmt = conn.prepare(sql)?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        let mut fields = [""; 8];
        for (i, field) in fields.iter_mut().enumerate().take(n) {
            *field = row.get_ref(i)?.as_str()?;
        }
        f(&fields[..n], row.get::<_, bool>(n)?)?;
    }
    Ok(())
}

pub fn count<R: RosterTable>(db: &Reader, q: &PageQuery) -> Result<usize> {
    let conn = db.conn();
    let (w, args) = where_clause::<R>(q);
    let sql = format!("SELECT count(*) FROM {} {w}", R::TABLE);
    Ok(conn.query_row(&sql, params_from_iter(args.iter()), |r| r.get::<_, i64>(0))? as usize)
}

pub fn get<R: RosterTable>(db: &Reader, key: &str) -> Result<Option<R>> {
    let conn = db.conn();
    let sql = format!(
        "SELECT {} FROM {} WHERE {}=?1",
        R::COLUMNS.join(","),
        R::TABLE,
        R::COLUMNS[0]
    );
    let cells = conn.query_row(&sql, [key], |row| from_row::<R>(row)).optional()?;
    cells.map(|c| parse_stored(c, &RosterRules::permissive())).transpose()
}

/// Every stored key (active or not), in no particular order.
pub fn keys<R: RosterTable>(db: &Reader) -> Result<Vec<String>> {
    let conn = db.conn();
    let mut stmt = conn.prepare(&format!("SELECT {} FROM {}", R::COLUMNS[0], R::TABLE))?;
    let keys = stmt.query_map([], |r| r.get::<_, String>(0))?;
    Ok(keys.collect::<rusqlite::Result<_>>()?)
}

/// Every active record in key order (inspectors, items: small rosters).
pub fn all_active<R: RosterTable>(db: &Reader) -> Result<Vec<R>> {
    let mut out = Vec::new();
    for_each_active::<R>(db, |r| {
        out.push(r);
        Ok(())
    })?;
    Ok(out)
}

/// Streams every active record in key order without holding the roster in memory.
pub fn for_each_active<R: RosterTable>(db: &Reader, mut f: impl FnMut(R) -> Result<()>) -> Result<()> {
    let conn = db.conn();
    let sql = format!(
        "SELECT {} FROM {} WHERE active=1 ORDER BY {}",
        R::COLUMNS.join(","),
        R::TABLE,
        R::COLUMNS[0]
    );
    let mut stmt = conn.prepare(&sql)?;
    let mut rows = stmt.query([])?;
    let rules = RosterRules::permissive();
    while let Some(row) = rows.next()? {
        f(parse_stored(from_row::<R>(row)?, &rules)?)?;
    }
    Ok(())
}

/// An upper bound of the rows (the largest rowid), instant where `count(*)` scans the table.
pub fn row_estimate<R: RosterTable>(db: &Reader) -> Result<usize> {
    let conn = db.conn();
    let n: Option<i64> = conn.query_row(&format!("SELECT max(rowid) FROM {}", R::TABLE), [], |r| r.get(0))?;
    Ok(n.unwrap_or(0).max(0) as usize)
}

pub fn count_active<R: RosterTable>(db: &Reader) -> Result<usize> {
    let conn = db.conn();
    Ok(
        conn.query_row(&format!("SELECT count(*) FROM {} WHERE active=1", R::TABLE), [], |r| {
            r.get::<_, i64>(0)
        })? as usize,
    )
}

/// The facts a freeze needs about each active institution, streamed: code, type, region, credit, status.
pub fn for_each_institution_fact(
    db: &Reader,
    mut f: impl FnMut(&str, &str, &str, &str, &str) -> Result<()>,
) -> Result<()> {
    let conn = db.conn();
    let mut stmt = conn.prepare("SELECT code, kind, region, credit, status FROM institutions WHERE active=1")?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        f(
            r.get_ref(0)?.as_str()?,
            r.get_ref(1)?.as_str()?,
            r.get_ref(2)?.as_str()?,
            r.get_ref(3)?.as_str()?,
            r.get_ref(4)?.as_str()?,
        )?;
    }
    Ok(())
}

/// Per credit class, the number of active institutions (for the statistics screen and plan previews).
pub fn institutions_per_class(db: &Reader) -> Result<Vec<(String, u64)>> {
    let conn = db.conn();
    let mut stmt = conn.prepare(
        "SELECT credit, count(*) FROM institutions WHERE active=1 AND status='在册' GROUP BY credit ORDER BY credit",
    )?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)? as u64)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

    fn inst(code: &str, name: &str) -> Institution {
        let cells: Vec<String> = [code, name, "", "医疗机构", "", "", "江北区", "A", "", "", "", "在册"]
            .map(String::from)
            .to_vec();
        Institution::parse(cells, &RosterRules::default()).unwrap()
    }

    fn key_index_exists(s: &Store) -> bool {
        s.conn()
            .query_row(
                "SELECT count(*) FROM sqlite_master WHERE type='index' AND name='institutions_key'",
                [],
                |r| r.get::<_, i64>(0),
            )
            .unwrap()
            == 1
    }

    #[test]
    fn bulk_load_writes_every_row_and_rebuilds_the_key_index() {
        let mut s = Store::open_in_memory().unwrap();
        // A refused load (rolled back) leaves the schema as it was.
        let refused: Result<()> = s.write(|tx| {
            let mut w = RosterWriter::<Institution>::new_bulk(tx, "t0")?;
            w.upsert(inst("H45990100001", "甲医院"))?;
            anyhow::bail!("refused")
        });
        assert!(refused.is_err());
        assert!(key_index_exists(&s));
        // 130 rows: two full multi-row statements and a remainder written by `finish`.
        s.write(|tx| {
            let mut w = RosterWriter::<Institution>::new_bulk(tx, "t0")?;
            for i in 0..130 {
                assert_eq!(
                    w.upsert(inst(&format!("H459901{i:05}"), &format!("医院{i}")))?,
                    Upserted::Added
                );
            }
            w.finish()
        })
        .unwrap();
        assert!(key_index_exists(&s));
        assert_eq!(count_active::<Institution>(&s.reader()).unwrap(), 130);
        assert_eq!(
            get::<Institution>(&s.reader(), "H45990100129").unwrap().unwrap().name,
            "医院129"
        );
        // The index is unique again: a second load updates instead of duplicating.
        s.write(|tx| {
            let mut w = RosterWriter::<Institution>::new_bulk(tx, "t1")?;
            assert_eq!(w.upsert(inst("H45990100007", "改名医院"))?, Upserted::Updated);
            w.finish()
        })
        .unwrap();
        assert_eq!(count_active::<Institution>(&s.reader()).unwrap(), 130);
    }

    #[test]
    fn upsert_counts_and_pages() {
        let mut s = Store::open_in_memory().unwrap();
        let got = s
            .write(|tx| {
                let mut w = RosterWriter::<Institution>::new(tx, "t0")?;
                Ok(vec![
                    w.upsert(inst("H45990100001", "甲医院"))?,
                    w.upsert(inst("H45990100002", "乙医院"))?,
                ])
            })
            .unwrap();
        assert_eq!(got, [Upserted::Added, Upserted::Added]);
        let got = s
            .write(|tx| {
                let mut w = RosterWriter::<Institution>::new(tx, "t1")?;
                let a = w.upsert(inst("H45990100001", "甲医院"))?;
                let b = w.upsert(inst("H45990100002", "乙医院（新）"))?;
                let c = w.upsert(inst("H45990100003", "丙医院"))?;
                w.finish()?;
                deactivate_missing::<Institution>(tx, &["H45990100002".into(), "H45990100003".into()], "t1")?;
                Ok(vec![a, b, c])
            })
            .unwrap();
        assert_eq!(got, [Upserted::Unchanged, Upserted::Updated, Upserted::Added]);
        let q = PageQuery {
            filter: "医院".into(),
            limit: 10,
            ..Default::default()
        };
        let names: Vec<String> = page::<Institution>(&s.reader(), &q)
            .unwrap()
            .into_iter()
            .map(|(i, _)| i.name)
            .collect();
        assert_eq!(names, ["乙医院（新）", "丙医院"]);
        assert_eq!(
            count::<Institution>(
                &s.reader(),
                &PageQuery {
                    include_inactive: true,
                    ..q.clone()
                }
            )
            .unwrap(),
            3
        );
        assert_eq!(
            get::<Institution>(&s.reader(), "H45990100001").unwrap().unwrap().name,
            "甲医院"
        );
        // Capped counts, a lookup by keys, and whether anything is active.
        let all = PageQuery {
            include_inactive: true,
            ..q.clone()
        };
        assert_eq!(count_capped::<Institution>(&s.reader(), &all, 2).unwrap(), (2, true));
        assert_eq!(count_capped::<Institution>(&s.reader(), &all, 3).unwrap(), (3, false));
        assert_eq!(count_capped::<Institution>(&s.reader(), &q, 10).unwrap(), (2, false));
        let mut got: Vec<(String, bool)> =
            cells_by_keys::<Institution>(&s.reader(), &["H45990100003", "H45990100001", "X"])
                .unwrap()
                .into_iter()
                .map(|(c, a)| (c[0].clone(), a))
                .collect();
        got.sort();
        assert_eq!(got, [("H45990100001".into(), false), ("H45990100003".into(), true)]);
        assert!(any_active::<Institution>(&s.reader()).unwrap());
        assert!(!any_active::<Inspector>(&s.reader()).unwrap());
        let mut lines = Vec::new();
        for_each_search_row::<Institution>(&s.reader(), |f, a| {
            lines.push((f.join("|"), a));
            Ok(())
        })
        .unwrap();
        assert_eq!(lines.len(), 3);
        assert_eq!(lines[0], ("H45990100001|甲医院||江北区".to_string(), false));
    }
}
