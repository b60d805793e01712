//! Plans, their frozen inputs, draws, tasks and adjustments. Frozen inputs, draws, tasks and
//! adjustments are append-only (triggers in the schema); a redraw adds a draw, never edits one.

use super::{Reader, Tx};
use anyhow::{Result, bail};
use rusqlite::{OptionalExtension, params};

use crate::domain::CreditClass;
use crate::domain::draw::{Draw, Task};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlanStatus {
    Draft,
    Frozen,
    Drawn,
    Published,
    Closed,
}

impl PlanStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Frozen => "frozen",
            Self::Drawn => "drawn",
            Self::Published => "published",
            Self::Closed => "closed",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        [Self::Draft, Self::Frozen, Self::Drawn, Self::Published, Self::Closed]
            .into_iter()
            .find(|x| x.as_str() == s)
    }
    pub fn zh(self) -> &'static str {
        match self {
            Self::Draft => "草稿",
            Self::Frozen => "已冻结",
            Self::Drawn => "已抽取",
            Self::Published => "已公示",
            Self::Closed => "已办结",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanRow {
    pub id: i64,
    pub title: String,
    pub year: i32,
    pub spec: String,
    pub status: PlanStatus,
    pub created_at: String,
    pub created_by: String,
    /// The file as written (plans saved before schema 3 have none).
    pub source: Option<String>,
}

impl PlanRow {
    /// What an editor opens: the file as written, else the stored specification.
    pub fn text_to_edit(&self) -> &str {
        self.source.as_deref().unwrap_or(&self.spec)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrozenInputs {
    pub plan_id: i64,
    pub protocol: u32,
    pub inputs: Vec<u8>,
    pub inputs_digest: String,
    pub report: String,
    pub frozen_at: String,
    pub frozen_by: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DrawRow {
    pub id: i64,
    pub plan_id: i64,
    pub protocol: u32,
    pub seed: String,
    pub result: String,
    pub result_digest: String,
    pub reason: String,
    pub drawn_at: String,
    pub drawn_by: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskRow {
    pub seq: u32,
    pub alternate: bool,
    pub class: CreditClass,
    pub rank: u32,
    pub institution: String,
    pub team: Vec<String>,
    pub items: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Adjustment {
    pub id: i64,
    pub draw_id: i64,
    pub task_seq: u32,
    pub replaced: String,
    pub replacement: String,
    pub replacement_rank: u32,
    pub team: Vec<String>,
    pub reason: String,
    pub at: String,
    pub actor: String,
}

fn split(s: String) -> Vec<String> {
    if s.is_empty() {
        vec![]
    } else {
        s.split(',').map(String::from).collect()
    }
}

fn plan_row(r: &rusqlite::Row) -> rusqlite::Result<PlanRow> {
    let status: String = r.get(4)?;
    Ok(PlanRow {
        id: r.get(0)?,
        title: r.get(1)?,
        year: r.get(2)?,
        spec: r.get(3)?,
        status: PlanStatus::parse(&status).unwrap_or(PlanStatus::Draft),
        created_at: r.get(5)?,
        created_by: r.get(6)?,
        source: r.get(7)?,
    })
}

const PLAN_COLS: &str = "id, title, year, spec, status, created_at, created_by, source";

/// A plan's stored forms: `spec` with the defaults merged in (what a freeze reads) and
/// `source` as its author wrote it.
pub struct PlanText<'a> {
    pub title: &'a str,
    pub year: i32,
    pub spec: &'a str,
    pub source: &'a str,
}

pub fn insert_plan(tx: &Tx, p: &PlanText, at: &str, actor: &str) -> Result<i64> {
    let tx = tx.conn();
    tx.execute(
        "INSERT INTO plans(title, year, spec, source, status, created_at, created_by) VALUES(?1,?2,?3,?4,'draft',?5,?6)",
        params![p.title, p.year, p.spec, p.source, at, actor],
    )?;
    Ok(tx.last_insert_rowid())
}

/// Replaces a draft's specification; a frozen plan's is fixed.
pub fn update_draft(tx: &Tx, id: i64, p: &PlanText) -> Result<()> {
    let tx = tx.conn();
    let n = tx.execute(
        "UPDATE plans SET title=?2, year=?3, spec=?4, source=?5 WHERE id=?1 AND status='draft'",
        params![id, p.title, p.year, p.spec, p.source],
    )?;
    if n != 1 {
        bail!("plan {id} is not a draft");
    }
    Ok(())
}

pub fn set_status(tx: &Tx, id: i64, status: PlanStatus) -> Result<()> {
    let tx = tx.conn();
    tx.execute("UPDATE plans SET status=?2 WHERE id=?1", params![id, status.as_str()])?;
    Ok(())
}

pub fn get_plan(db: &Reader, id: i64) -> Result<Option<PlanRow>> {
    let conn = db.conn();
    Ok(conn
        .query_row(&format!("SELECT {PLAN_COLS} FROM plans WHERE id=?1"), [id], plan_row)
        .optional()?)
}

pub fn list_plans(db: &Reader) -> Result<Vec<PlanRow>> {
    let conn = db.conn();
    let mut stmt = conn.prepare(&format!("SELECT {PLAN_COLS} FROM plans ORDER BY id DESC"))?;
    let rows = stmt.query_map([], plan_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn insert_frozen(tx: &Tx, f: &FrozenInputs) -> Result<()> {
    let tx = tx.conn();
    tx.execute(
        "INSERT INTO plan_inputs(plan_id, protocol, inputs, inputs_digest, report, frozen_at, frozen_by) VALUES(?1,?2,?3,?4,?5,?6,?7)",
        params![f.plan_id, f.protocol, f.inputs, f.inputs_digest, f.report, f.frozen_at, f.frozen_by],
    )?;
    Ok(())
}

pub fn get_frozen(db: &Reader, plan_id: i64) -> Result<Option<FrozenInputs>> {
    let conn = db.conn();
    Ok(conn
        .query_row(
            "SELECT plan_id, protocol, inputs, inputs_digest, report, frozen_at, frozen_by FROM plan_inputs WHERE plan_id=?1",
            [plan_id],
            |r| {
                Ok(FrozenInputs {
                    plan_id: r.get(0)?,
                    protocol: r.get(1)?,
                    inputs: r.get(2)?,
                    inputs_digest: r.get(3)?,
                    report: r.get(4)?,
                    frozen_at: r.get(5)?,
                    frozen_by: r.get(6)?,
                })
            },
        )
        .optional()?)
}

/// Stores a draw and its tasks; returns the draw id.
pub fn insert_draw(tx: &Tx, plan_id: i64, draw: &Draw, reason: &str, at: &str, actor: &str) -> Result<i64> {
    let tx = tx.conn();
    let result = String::from_utf8(draw.result_bytes())?;
    tx.execute(
        "INSERT INTO draws(plan_id, protocol, seed, result, result_digest, reason, drawn_at, drawn_by) VALUES(?1,?2,?3,?4,?5,?6,?7,?8)",
        params![plan_id, draw.protocol, draw.seed, result, draw.result_digest, reason, at, actor],
    )?;
    let draw_id = tx.last_insert_rowid();
    // Many rows per statement: a large draw stores a hundred thousand tasks.
    const ROWS: usize = 64;
    let sql = |rows: usize| {
        let tuples: Vec<String> = (0..rows)
            .map(|r| {
                format!(
                    "({})",
                    (1..=8).map(|i| format!("?{}", r * 8 + i)).collect::<Vec<_>>().join(",")
                )
            })
            .collect();
        format!(
            "INSERT INTO tasks(draw_id, seq, alternate, class, rank, institution, team, items) VALUES {}",
            tuples.join(",")
        )
    };
    let all: Vec<(usize, bool, &Task)> = draw
        .tasks
        .iter()
        .enumerate()
        .map(|(i, t)| (i + 1, false, t))
        .chain(draw.alternates.iter().enumerate().map(|(i, t)| (i + 1, true, t)))
        .collect();
    let mut full = tx.prepare(&sql(ROWS))?;
    for chunk in all.chunks(ROWS) {
        let mut stmt = if chunk.len() == ROWS {
            None
        } else {
            Some(tx.prepare(&sql(chunk.len()))?)
        };
        let stmt = stmt.as_mut().unwrap_or(&mut full);
        for (r, (seq, alt, t)) in chunk.iter().enumerate() {
            let b = r * 8;
            stmt.raw_bind_parameter(b + 1, draw_id)?;
            stmt.raw_bind_parameter(b + 2, *seq as i64)?;
            stmt.raw_bind_parameter(b + 3, *alt)?;
            stmt.raw_bind_parameter(b + 4, t.class.letter())?;
            stmt.raw_bind_parameter(b + 5, t.rank)?;
            stmt.raw_bind_parameter(b + 6, t.institution.as_str())?;
            stmt.raw_bind_parameter(b + 7, t.team.join(","))?;
            stmt.raw_bind_parameter(b + 8, t.items.join(","))?;
        }
        stmt.raw_execute()?;
    }
    Ok(draw_id)
}

fn draw_row(r: &rusqlite::Row) -> rusqlite::Result<DrawRow> {
    Ok(DrawRow {
        id: r.get(0)?,
        plan_id: r.get(1)?,
        protocol: r.get(2)?,
        seed: r.get(3)?,
        result: r.get(4)?,
        result_digest: r.get(5)?,
        reason: r.get(6)?,
        drawn_at: r.get(7)?,
        drawn_by: r.get(8)?,
    })
}

const DRAW_COLS: &str = "id, plan_id, protocol, seed, result, result_digest, reason, drawn_at, drawn_by";

/// All draws of a plan, oldest first; the last one is current.
pub fn draws_of_plan(db: &Reader, plan_id: i64) -> Result<Vec<DrawRow>> {
    let conn = db.conn();
    let mut stmt = conn.prepare(&format!("SELECT {DRAW_COLS} FROM draws WHERE plan_id=?1 ORDER BY id"))?;
    let rows = stmt.query_map([plan_id], draw_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn current_draw(db: &Reader, plan_id: i64) -> Result<Option<DrawRow>> {
    let conn = db.conn();
    Ok(conn
        .query_row(
            &format!("SELECT {DRAW_COLS} FROM draws WHERE plan_id=?1 ORDER BY id DESC LIMIT 1"),
            [plan_id],
            draw_row,
        )
        .optional()?)
}

pub fn tasks_of_draw(db: &Reader, draw_id: i64) -> Result<Vec<TaskRow>> {
    let conn = db.conn();
    let mut stmt = conn.prepare("SELECT seq, alternate, class, rank, institution, team, items FROM tasks WHERE draw_id=?1 ORDER BY alternate, seq")?;
    let rows = stmt.query_map([draw_id], |r| {
        let class: String = r.get(2)?;
        Ok(TaskRow {
            seq: r.get(0)?,
            alternate: r.get(1)?,
            class: CreditClass::parse(&class).unwrap_or(CreditClass::A),
            rank: r.get(3)?,
            institution: r.get(4)?,
            team: split(r.get(5)?),
            items: split(r.get(6)?),
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn insert_adjustment(tx: &Tx, a: &Adjustment) -> Result<i64> {
    let tx = tx.conn();
    tx.execute(
        "INSERT INTO adjustments(draw_id, task_seq, replaced, replacement, replacement_rank, team, reason, at, actor) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9)",
        params![a.draw_id, a.task_seq, a.replaced, a.replacement, a.replacement_rank, a.team.join(","), a.reason, a.at, a.actor],
    )?;
    Ok(tx.last_insert_rowid())
}

pub fn adjustments_of_draw(db: &Reader, draw_id: i64) -> Result<Vec<Adjustment>> {
    let conn = db.conn();
    let mut stmt = conn.prepare("SELECT id, draw_id, task_seq, replaced, replacement, replacement_rank, team, reason, at, actor FROM adjustments WHERE draw_id=?1 ORDER BY id")?;
    let rows = stmt.query_map([draw_id], |r| {
        Ok(Adjustment {
            id: r.get(0)?,
            draw_id: r.get(1)?,
            task_seq: r.get(2)?,
            replaced: r.get(3)?,
            replacement: r.get(4)?,
            replacement_rank: r.get(5)?,
            team: split(r.get(6)?),
            reason: r.get(7)?,
            at: r.get(8)?,
            actor: r.get(9)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// When each institution was last drawn (date part of the draw time) by the current draw of any
/// other plan that got past drawing, taking replacements into account.
pub fn last_drawn_dates(db: &Reader, except_plan: i64) -> Result<std::collections::HashMap<String, String>> {
    let conn = db.conn();
    let sql = "
        WITH cur AS (SELECT plan_id, MAX(id) AS id FROM draws WHERE plan_id != ?1 GROUP BY plan_id),
        hits AS (
            SELECT t.institution AS inst, d.drawn_at AS at FROM tasks t JOIN cur ON t.draw_id = cur.id
                JOIN draws d ON d.id = cur.id WHERE t.alternate = 0
            UNION ALL
            SELECT a.replacement, a.at FROM adjustments a JOIN cur ON a.draw_id = cur.id
        )
        SELECT inst, MAX(substr(at, 1, 10)) FROM hits GROUP BY inst";
    let mut stmt = conn.prepare(sql)?;
    let rows = stmt.query_map([except_plan], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{Store, schema};

    #[test]
    fn plans_saved_before_schema_3_open_with_their_spec_to_edit() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("old.db");
        {
            // A database as schema 2 left it, with one plan.
            let conn = rusqlite::Connection::open(&path).unwrap();
            for sql in &schema::MIGRATIONS[..2] {
                conn.execute_batch(sql).unwrap();
            }
            conn.pragma_update(None, "user_version", 2).unwrap();
            conn.pragma_update(None, "application_id", schema::APPLICATION_ID)
                .unwrap();
            conn.execute(
                "INSERT INTO plans(title, year, spec, status, created_at, created_by) VALUES('t', 2026, 'title = \"t\"', 'draft', 'now', 'me')",
                [],
            )
            .unwrap();
        }
        let mut store = Store::open(&path).unwrap();
        let old = get_plan(&store.reader(), 1).unwrap().unwrap();
        assert_eq!((old.source.as_deref(), old.text_to_edit()), (None, "title = \"t\""));
        let text = PlanText {
            title: "t",
            year: 2026,
            spec: "title = \"t\"\nyear = 2026",
            source: "title = \"t\"  # 注释\nyear = 2026",
        };
        store.write(|tx| update_draft(tx, 1, &text)).unwrap();
        let new = get_plan(&store.reader(), 1).unwrap().unwrap();
        assert_eq!(new.text_to_edit(), text.source);
        assert_eq!(new.spec, text.spec);
    }
}
