//! What the program works from, checked against what was verified: the tasks table against a
//! rerun of each stored draw, stored digests against the audit log's freeze and draw entries,
//! adjustments against the alternates and the log, results against the digests logged with
//! every change, and the log itself against a published anchor (seq + hash).

use std::collections::HashMap;

use anyhow::Result;

use super::Service;
use crate::domain::draw::{self, inputs::digest_hex};
use crate::i18n::Lang;
use crate::store::plans::{self as db, TaskRow};
use crate::store::results as results_db;
use crate::store::{AuditEntry, Reader, audit};

/// One thing that does not hold, in both languages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Discrepancy {
    pub zh: String,
    pub en: String,
}

impl Discrepancy {
    fn new(zh: String, en: String) -> Self {
        Discrepancy { zh, en }
    }

    pub fn text(&self, lang: Lang) -> &str {
        lang.pick(&self.zh, &self.en)
    }
}

/// What `audit verify` found beyond the hash chain.
#[derive(Debug, Clone, Default)]
pub struct IntegrityReport {
    /// Frozen plans and draws rerun and compared.
    pub plans: usize,
    pub draws: usize,
    /// Plans whose results were compared with the logged digest.
    pub result_plans: usize,
    pub problems: Vec<Discrepancy>,
    /// Facts that cannot be checked but are no tampering (results logged before digests were).
    pub notes: Vec<Discrepancy>,
}

/// The newest audit-log entry: what a published file quotes so that a later truncation or
/// rewrite of the log can be told. The packages carry the same type.
pub use super::audit_package::LogHead;

impl LogHead {
    /// `SEQ:HASH`, as printed in published files and given to `audit verify --head`.
    pub fn parse(text: &str) -> Option<LogHead> {
        let (seq, hash) = text.trim().split_once(':')?;
        let hash = hash.trim().to_ascii_lowercase();
        (hash.len() == 64 && hash.bytes().all(|b| b.is_ascii_hexdigit())).then_some(())?;
        Some(LogHead {
            seq: seq.trim().parse().ok().filter(|s| *s >= 1)?,
            hash,
        })
    }
}

impl std::fmt::Display for LogHead {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.seq, self.hash)
    }
}

/// How the log stands against a published anchor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AnchorCheck {
    /// The entry `seq` still has the published hash: the log extends the anchor.
    Extends { head: LogHead },
    /// The log ends before the anchor: entries were removed.
    Truncated { anchor: LogHead, head: Option<LogHead> },
    /// The entry `seq` has another hash: the log was rewritten from there or earlier.
    Rewritten { anchor: LogHead, found: String },
}

impl AnchorCheck {
    pub fn holds(&self) -> bool {
        matches!(self, AnchorCheck::Extends { .. })
    }

    pub fn text(&self, lang: Lang) -> String {
        match (self, lang) {
            (AnchorCheck::Extends { head }, Lang::Zh) => {
                format!("审计日志延续了公布的锚点（当前末条 {head}）")
            }
            (AnchorCheck::Extends { head }, Lang::En) => {
                format!("the audit log extends the published anchor (head now {head})")
            }
            (AnchorCheck::Truncated { anchor, head }, Lang::Zh) => format!(
                "审计日志被截断：公布的锚点为第 {} 条，日志却只到第 {} 条（末尾的记录被删除）",
                anchor.seq,
                head.as_ref().map_or(0, |h| h.seq)
            ),
            (AnchorCheck::Truncated { anchor, head }, Lang::En) => format!(
                "the audit log was truncated: the published anchor is entry {}, the log ends at entry {} (entries were removed)",
                anchor.seq,
                head.as_ref().map_or(0, |h| h.seq)
            ),
            (AnchorCheck::Rewritten { anchor, found }, Lang::Zh) => format!(
                "审计日志被改写：第 {} 条的哈希应为公布的 {}，实际为 {found}",
                anchor.seq, anchor.hash
            ),
            (AnchorCheck::Rewritten { anchor, found }, Lang::En) => format!(
                "the audit log was rewritten: entry {} should have the published hash {}, it has {found}",
                anchor.seq, anchor.hash
            ),
        }
    }
}

/// The value of `key=` in a log entry's details: its first occurrence (later free text such as a
/// reason cannot shadow it).
fn field<'a>(details: &'a str, key: &str) -> Option<&'a str> {
    details
        .split_whitespace()
        .find_map(|t| t.strip_prefix(key).and_then(|v| v.strip_prefix('=')))
}

/// The plan an entry is about: objects are `plan:ID` or `plan:ID task:SEQ`.
fn plan_of(e: &AuditEntry) -> Option<i64> {
    e.object.split_whitespace().next()?.strip_prefix("plan:")?.parse().ok()
}

/// Actions that change results; each logs `results_digest` of the plan's results as written.
const RESULT_ACTIONS: &[&str] = &["result.save", "result.clear", "results.import"];

fn task_name(t: &TaskRow, lang: Lang) -> String {
    match (t.alternate, lang) {
        (false, Lang::Zh) => format!("任务 {}（{}）", t.seq, t.institution),
        (true, Lang::Zh) => format!("候补 {}（{}）", t.seq, t.institution),
        (false, Lang::En) => format!("task {} ({})", t.seq, t.institution),
        (true, Lang::En) => format!("alternate {} ({})", t.seq, t.institution),
    }
}

/// The tasks table's rows as the draw gives them.
fn rebuilt_rows(d: &draw::Draw) -> Vec<TaskRow> {
    let row = |seq: usize, alternate: bool, t: &draw::Task| TaskRow {
        seq: seq as u32,
        alternate,
        class: t.class,
        rank: t.rank,
        institution: t.institution.clone(),
        team: t.team.clone(),
        items: t.items.clone(),
    };
    d.tasks
        .iter()
        .enumerate()
        .map(|(i, t)| row(i + 1, false, t))
        .chain(d.alternates.iter().enumerate().map(|(i, t)| row(i + 1, true, t)))
        .collect()
}

/// Compares the rows the program uses with the rebuilt ones, naming each row that differs.
fn compare_tasks(plan: i64, rebuilt: &[TaskRow], stored: &[TaskRow], out: &mut Vec<Discrepancy>) {
    let key = |t: &TaskRow| (t.alternate, t.seq);
    let stored_by: HashMap<(bool, u32), &TaskRow> = stored.iter().map(|t| (key(t), t)).collect();
    let rebuilt_by: HashMap<(bool, u32), &TaskRow> = rebuilt.iter().map(|t| (key(t), t)).collect();
    for r in rebuilt {
        match stored_by.get(&key(r)) {
            None => out.push(Discrepancy::new(
                format!("计划 {plan} 的{}在任务表中缺失（被删除）", task_name(r, Lang::Zh)),
                format!("plan {plan}: {} is missing from the tasks table (deleted)", task_name(r, Lang::En)),
            )),
            Some(s) if *s != r => out.push(Discrepancy::new(
                format!(
                    "计划 {plan} 的{}与抽取结果不符：任务表为 {} / 检查组 {}，抽取结果为 {} / 检查组 {}",
                    task_name(r, Lang::Zh),
                    s.institution,
                    s.team.join(","),
                    r.institution,
                    r.team.join(",")
                ),
                format!(
                    "plan {plan}: {} differs from the draw result: the tasks table has {} / team {}, the draw {} / team {}",
                    task_name(r, Lang::En),
                    s.institution,
                    s.team.join(","),
                    r.institution,
                    r.team.join(",")
                ),
            )),
            Some(_) => {}
        }
    }
    for s in stored.iter().filter(|s| !rebuilt_by.contains_key(&key(s))) {
        out.push(Discrepancy::new(
            format!(
                "计划 {plan} 的任务表多出{}，抽取结果中没有（被插入）",
                task_name(s, Lang::Zh)
            ),
            format!(
                "plan {plan}: the tasks table holds {} that the draw does not (inserted)",
                task_name(s, Lang::En)
            ),
        ));
    }
}

/// Every check below, on one consistent reading of the database.
pub(crate) fn check(reader: &Reader) -> Result<IntegrityReport> {
    let mut report = IntegrityReport::default();
    let log = audit::all(reader)?;
    let problems = &mut report.problems;
    for plan in db::list_plans(reader)?.into_iter().rev() {
        let id = plan.id;
        let entries: Vec<&AuditEntry> = log.iter().filter(|e| plan_of(e) == Some(id)).collect();
        let Some(frozen) = db::get_frozen(reader, id)? else {
            continue;
        };
        report.plans += 1;
        // Protocol 1 digests the input bytes whole; later protocols a part of them, which the rerun
        // of each draw below checks (its inputs digest must be the stored one).
        if frozen.protocol == 1 && digest_hex(&frozen.inputs) != frozen.inputs_digest {
            problems.push(Discrepancy::new(
                format!("计划 {id} 的冻结输入与其存储的输入摘要不符"),
                format!("plan {id}: the frozen inputs do not match their stored digest"),
            ));
        }
        let logged = entries
            .iter()
            .find(|e| e.action == "plan.freeze")
            .and_then(|e| field(&e.details, "inputs_digest"));
        if logged != Some(frozen.inputs_digest.as_str()) {
            problems.push(Discrepancy::new(
                format!(
                    "计划 {id} 的输入摘要 {} 与审计日志的冻结记录（{}）不符",
                    frozen.inputs_digest,
                    logged.unwrap_or("无")
                ),
                format!(
                    "plan {id}: the inputs digest {} does not match the log's freeze entry ({})",
                    frozen.inputs_digest,
                    logged.unwrap_or("none")
                ),
            ));
        }
        let draws = db::draws_of_plan(reader, id)?;
        for d in &draws {
            report.draws += 1;
            let logged = entries
                .iter()
                .filter(|e| e.action == "draw" || e.action == "redraw")
                .find(|e| field(&e.details, "draw") == Some(d.id.to_string().as_str()))
                .and_then(|e| field(&e.details, "result_digest"));
            if logged != Some(d.result_digest.as_str()) {
                problems.push(Discrepancy::new(
                    format!(
                        "计划 {id} 第 {} 次抽取的结果摘要 {} 与审计日志的抽取记录（{}）不符",
                        d.id,
                        d.result_digest,
                        logged.unwrap_or("无")
                    ),
                    format!(
                        "plan {id}: draw {} has result digest {}, the log's draw entry says {}",
                        d.id,
                        d.result_digest,
                        logged.unwrap_or("none")
                    ),
                ));
            }
            let rerun = match draw::run(d.protocol, &frozen.inputs, &d.seed) {
                Ok(r) => r,
                Err(e) => {
                    problems.push(Discrepancy::new(
                        format!("计划 {id} 第 {} 次抽取无法按存储的输入和种子重算：{e}", d.id),
                        format!(
                            "plan {id}: draw {} cannot be rerun from the stored inputs and seed: {e}",
                            d.id
                        ),
                    ));
                    continue;
                }
            };
            if rerun.inputs_digest != frozen.inputs_digest {
                problems.push(Discrepancy::new(
                    format!("计划 {id} 的冻结输入与其存储的输入摘要不符"),
                    format!("plan {id}: the frozen inputs do not match their stored digest"),
                ));
            }
            if rerun.result_digest != d.result_digest || rerun.result_bytes() != d.result.as_bytes() {
                problems.push(Discrepancy::new(
                    format!("计划 {id} 第 {} 次抽取：存储的抽取结果与按输入和种子重算的不符", d.id),
                    format!(
                        "plan {id}: draw {} — the stored result differs from a rerun of the inputs and seed",
                        d.id
                    ),
                ));
            }
            compare_tasks(id, &rebuilt_rows(&rerun), &db::tasks_of_draw(reader, d.id)?, problems);
            check_adjustments(reader, id, d.id, &rerun, &entries, problems)?;
        }
    }
    check_results(reader, &log, &mut report)?;
    Ok(report)
}

/// Each replacement must take the next alternate of its class as drawn (with its drawn team)
/// and be logged.
fn check_adjustments(
    reader: &Reader,
    plan: i64,
    draw_id: i64,
    d: &draw::Draw,
    entries: &[&AuditEntry],
    problems: &mut Vec<Discrepancy>,
) -> Result<()> {
    let mut logged: Vec<(String, String)> = entries
        .iter()
        .filter(|e| e.action == "task.replace")
        .map(|e| {
            (
                e.object.clone(),
                e.details.split(" reason=").next().unwrap_or("").to_string(),
            )
        })
        .collect();
    for a in db::adjustments_of_draw(reader, draw_id)? {
        let task = d.tasks.get(a.task_seq as usize - 1).filter(|_| a.task_seq >= 1);
        let alternate = task.and_then(|t| {
            d.alternates
                .iter()
                .find(|x| x.class == t.class && x.rank == a.replacement_rank)
        });
        let fits = alternate.is_some_and(|x| x.institution == a.replacement && x.team == a.team);
        let object = format!("plan:{plan} task:{}", a.task_seq);
        let text = format!("{} -> {}", a.replaced, a.replacement);
        let in_log = match logged.iter().position(|(o, t)| *o == object && *t == text) {
            Some(i) => {
                logged.remove(i);
                true
            }
            None => false,
        };
        if !fits || !in_log {
            problems.push(Discrepancy::new(
                format!(
                    "计划 {plan} 任务 {} 的替换（{} → {}）{}",
                    a.task_seq,
                    a.replaced,
                    a.replacement,
                    if fits {
                        "在审计日志中没有记录"
                    } else {
                        "与抽取结果的候补不符"
                    }
                ),
                format!(
                    "plan {plan}: the replacement of task {} ({} -> {}) {}",
                    a.task_seq,
                    a.replaced,
                    a.replacement,
                    if fits {
                        "is not in the audit log"
                    } else {
                        "does not match the drawn alternates"
                    }
                ),
            ));
        }
    }
    Ok(())
}

/// The results of each plan must hash to the digest logged with their latest change.
fn check_results(reader: &Reader, log: &[AuditEntry], report: &mut IntegrityReport) -> Result<()> {
    let mut last: HashMap<i64, &AuditEntry> = HashMap::new();
    for e in log.iter().filter(|e| RESULT_ACTIONS.contains(&e.action.as_str())) {
        if let Some(p) = plan_of(e) {
            last.insert(p, e);
        }
    }
    let mut plans: Vec<i64> = results_db::plans_with_results(reader)?;
    plans.extend(last.keys().copied());
    plans.sort_unstable();
    plans.dedup();
    for plan in plans {
        let current = results_db::results_digest(reader, plan)?;
        match last.get(&plan).map(|e| field(&e.details, "results_digest")) {
            None => report.problems.push(Discrepancy::new(
                format!("计划 {plan} 有检查结果，但审计日志中没有任何登记记录（被插入）"),
                format!("plan {plan} has results that no audit-log entry records (inserted)"),
            )),
            Some(None) => report.notes.push(Discrepancy::new(
                format!("计划 {plan} 的检查结果登记于记录摘要之前，无法核对；下次登记后即可核对"),
                format!("plan {plan}: its results were logged before digests were; they can be checked after the next change"),
            )),
            Some(Some(logged)) if logged != current => report.problems.push(Discrepancy::new(
                format!(
                    "计划 {plan} 的检查结果（结果、事项结果、问题或记分）与审计日志最后记录的摘要不符：被改动或删除"
                ),
                format!(
                    "plan {plan}: its results (results, item results, findings or points) do not match the digest last logged: changed or deleted"
                ),
            )),
            Some(Some(_)) => report.result_plans += 1,
        }
    }
    Ok(())
}

impl Service {
    /// The newest log entry, for published files to quote; `None` for an empty log.
    pub fn log_head(&self) -> Result<Option<LogHead>> {
        Ok(audit::latest(&self.store.reader())?.map(|(seq, hash)| LogHead { seq, hash }))
    }

    /// Rebuilds what the program works from and compares (see the module comment).
    pub fn verify_integrity(&self) -> Result<IntegrityReport> {
        self.store.snapshot(check)
    }

    /// Whether the log still extends a published anchor.
    pub fn check_log_anchor(&self, anchor: &LogHead) -> Result<AnchorCheck> {
        self.store.snapshot(|reader| {
            let head = audit::latest(reader)?.map(|(seq, hash)| LogHead { seq, hash });
            Ok(match audit::hash_at(reader, anchor.seq)? {
                None => AnchorCheck::Truncated {
                    anchor: anchor.clone(),
                    head,
                },
                Some(h) if h != anchor.hash => AnchorCheck::Rewritten {
                    anchor: anchor.clone(),
                    found: h,
                },
                Some(_) => AnchorCheck::Extends {
                    head: head.expect("the log holds the anchor's entry"),
                },
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::results::tests::{at, drawn, violation};

    fn problems(svc: &Service) -> Vec<String> {
        svc.verify_integrity()
            .unwrap()
            .problems
            .into_iter()
            .map(|p| p.zh)
            .collect()
    }

    /// A database edited by hand, as by someone who dropped the append-only triggers.
    fn sql(svc: &Service, sql: &str) {
        svc.store.conn().execute_batch(sql).unwrap();
    }

    const NO_TRIGGERS: &str = "DROP TRIGGER tasks_no_update; DROP TRIGGER tasks_no_delete;";

    #[test]
    fn a_clean_database_holds() {
        let mut svc = drawn().with_clock(at("2026-03-12"));
        svc.save_task_result(1, 1, &violation(&svc, 1)).unwrap().unwrap();
        svc.replace_task(1, 2, "注销").unwrap();
        let r = svc.verify_integrity().unwrap();
        assert_eq!(r.problems, vec![], "{:?}", r.problems);
        assert_eq!((r.plans, r.draws, r.result_plans), (1, 1, 1));
    }

    #[test]
    fn hand_edits_of_the_tasks_are_named() {
        let svc = drawn();
        let first = svc.plan_view(1).unwrap().tasks[0].clone();
        sql(&svc, NO_TRIGGERS);
        sql(
            &svc,
            "UPDATE tasks SET team='X1,X2' WHERE draw_id=1 AND alternate=0 AND seq=1",
        );
        let p = problems(&svc);
        assert_eq!(p.len(), 1, "{p:?}");
        assert!(
            p[0].contains(&format!("任务 1（{}）与抽取结果不符", first.institution)),
            "{p:?}"
        );
        assert!(p[0].contains("检查组 X1,X2"), "{p:?}");

        sql(&svc, "DELETE FROM tasks WHERE draw_id=1 AND alternate=0 AND seq=2");
        assert!(
            problems(&svc)
                .iter()
                .any(|p| p.contains("任务 2") && p.contains("缺失"))
        );

        // An INSERT needs no trigger dropped: the row shows in `plan show` unless caught.
        let fresh = drawn();
        sql(
            &fresh,
            "INSERT INTO tasks VALUES (1, 999, 0, 'A', 999, 'H999', 'I1,I2', '')",
        );
        let p = problems(&fresh);
        assert!(p.iter().any(|p| p.contains("多出任务 999（H999）")), "{p:?}");
    }

    #[test]
    fn stored_digests_must_match_the_log() {
        let svc = drawn();
        sql(
            &svc,
            "DROP TRIGGER draws_no_update; UPDATE draws SET result_digest='00' WHERE id=1;",
        );
        let p = problems(&svc);
        assert!(
            p.iter().any(|p| p.contains("结果摘要 00 与审计日志的抽取记录")),
            "{p:?}"
        );
        assert!(p.iter().any(|p| p.contains("与按输入和种子重算的不符")), "{p:?}");
    }

    #[test]
    fn hand_edits_of_results_findings_items_and_points_are_reported() {
        for edit in [
            "UPDATE task_results SET fine_fen = 1",
            "DELETE FROM task_results WHERE seq = 2",
            "UPDATE findings SET description = '无'",
            "DELETE FROM item_results WHERE seq = 1",
            "UPDATE points SET points = 1",
            "DELETE FROM points",
        ] {
            let mut svc = drawn().with_clock(at("2026-03-12"));
            svc.save_task_result(1, 1, &violation(&svc, 1)).unwrap().unwrap();
            svc.save_task_result(1, 2, &violation(&svc, 2)).unwrap().unwrap();
            assert_eq!(problems(&svc), Vec::<String>::new());
            sql(&svc, "PRAGMA foreign_keys=OFF");
            sql(&svc, edit);
            let p = problems(&svc);
            assert!(
                p.len() == 1 && p[0].contains("计划 1 的检查结果") && p[0].contains("不符"),
                "{edit}: {p:?}"
            );
        }
    }

    #[test]
    fn results_inserted_without_a_log_entry_are_reported() {
        let mut svc = drawn().with_clock(at("2026-03-12"));
        svc.save_task_result(1, 1, &violation(&svc, 1)).unwrap().unwrap();
        sql(
            &svc,
            "PRAGMA foreign_keys=OFF; UPDATE task_results SET plan_id = 7 WHERE seq = 1",
        );
        let p = problems(&svc);
        assert!(p.iter().any(|p| p.contains("计划 7 有检查结果")), "{p:?}");
        assert!(p.iter().any(|p| p.contains("计划 1 的检查结果")), "{p:?}");
    }

    #[test]
    fn an_anchor_tells_a_truncated_or_rewritten_log() {
        let mut svc = drawn().with_clock(at("2026-03-12"));
        let anchor = svc.log_head().unwrap().unwrap();
        assert!(svc.check_log_anchor(&anchor).unwrap().holds());
        svc.save_task_result(1, 1, &violation(&svc, 1)).unwrap().unwrap();
        let later = svc.check_log_anchor(&anchor).unwrap();
        assert!(later.holds() && later.text(Lang::Zh).contains("延续"), "{later:?}");
        assert_eq!(LogHead::parse(&anchor.to_string()), Some(anchor.clone()));
        assert_eq!(LogHead::parse("3:xyz"), None);

        sql(
            &svc,
            "DROP TRIGGER audit_log_no_delete; DROP TRIGGER audit_log_no_update;",
        );
        sql(&svc, &format!("DELETE FROM audit_log WHERE seq >= {}", anchor.seq));
        // The chain of what is left holds: only the anchor tells.
        assert!(svc.verify_audit_chain().unwrap().is_ok());
        let cut = svc.check_log_anchor(&anchor).unwrap();
        assert!(matches!(cut, AnchorCheck::Truncated { .. }), "{cut:?}");
        assert!(cut.text(Lang::Zh).contains("审计日志被截断"), "{}", cut.text(Lang::Zh));

        let svc = drawn();
        let anchor = svc.log_head().unwrap().unwrap();
        sql(&svc, "DROP TRIGGER audit_log_no_update;");
        sql(
            &svc,
            &format!(
                "UPDATE audit_log SET hash = '{}' WHERE seq = {}",
                "0".repeat(64),
                anchor.seq
            ),
        );
        let re = svc.check_log_anchor(&anchor).unwrap();
        assert!(matches!(re, AnchorCheck::Rewritten { .. }), "{re:?}");
    }
}
