//! Inspection results: recording them (form or spreadsheet), following them up (整改, 公示期限,
//! 驾照式记分, 屡查屡犯) and counting them. Every write goes through one transaction with its
//! audit-log entry.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

use anyhow::{Result, anyhow, bail};
use chrono::{Datelike, NaiveDate};
use rusqlite::Connection;

use super::Service;
use super::plans::PlanView;
use crate::domain::CreditClass;
use crate::domain::results::{
    self as dr, Field, FindingInput, Issue, ItemResultInput, Part, PointsInput, Qualification, RectifyStatus,
    ResultRules, TaskContext, TaskResult, TaskResultInput,
};
use crate::i18n::Lang;
use crate::io::{Cell, ImportIssue, Note, OutTable, RowSource, Severity, SourceError, column_letter, write_table};
use crate::store::audit;
use crate::store::plans::{self as pdb, DrawRow, PlanStatus, TaskRow};
use crate::store::results::{self as db, ResultKey, StoredResult};
use crate::store::rosters::Upserted;

// ---------------------------------------------------------------------------------------------
// A drawn plan as results see it

/// A plan's current draw with, per task, every institution that held it.
#[derive(Debug, Clone)]
pub struct DrawnPlan {
    pub view: PlanView,
    pub draw: DrawRow,
    pub drawn_on: NaiveDate,
    /// Per task: the institutions that held it in order (original, then replacements); the last
    /// one holds it now. Each entry carries that holder's items and team.
    pub holders: BTreeMap<u32, Vec<TaskRow>>,
}

impl DrawnPlan {
    pub fn current(&self, seq: u32) -> Option<&TaskRow> {
        self.holders.get(&seq).and_then(|h| h.last())
    }

    pub fn holder(&self, seq: u32, institution: &str) -> Option<&TaskRow> {
        self.holders
            .get(&seq)
            .and_then(|h| h.iter().find(|t| t.institution == institution))
    }
}

fn view_on(conn: &Connection, id: i64, lang: Lang) -> Result<PlanView> {
    let plan =
        pdb::get_plan(conn, id)?.ok_or_else(|| anyhow!("{} {id}", lang.pick("没有这个计划：", "no such plan:")))?;
    let draws = pdb::draws_of_plan(conn, id)?;
    let (tasks, adjustments) = match draws.last() {
        Some(d) => (pdb::tasks_of_draw(conn, d.id)?, pdb::adjustments_of_draw(conn, d.id)?),
        None => (vec![], vec![]),
    };
    Ok(PlanView {
        plan,
        frozen: pdb::get_frozen(conn, id)?,
        draws,
        tasks,
        adjustments,
    })
}

/// Loads a plan whose draw exists (drawn, published or closed); refuses any other.
pub fn drawn_plan(conn: &Connection, id: i64, lang: Lang) -> Result<DrawnPlan> {
    let view = view_on(conn, id, lang)?;
    match view.plan.status {
        PlanStatus::Drawn | PlanStatus::Published | PlanStatus::Closed => {}
        s => bail!(
            "{} {id}（{}）{}",
            lang.pick("计划", "plan"),
            lang.pick(s.zh(), s.as_str()),
            lang.pick(
                "尚未抽取：只能为已抽取、已公示或已办结的计划登记检查结果",
                "has not been drawn: results are recorded only for drawn, published or closed plans"
            )
        ),
    }
    let draw = view
        .current_draw()
        .cloned()
        .ok_or_else(|| anyhow!("plan {id} has no draw"))?;
    let drawn_on = NaiveDate::parse_from_str(draw.drawn_at.get(..10).unwrap_or(""), "%Y-%m-%d")
        .map_err(|e| anyhow!("stored draw time {:?}: {e}", draw.drawn_at))?;
    let alternates: HashMap<(CreditClass, u32), &TaskRow> = view
        .tasks
        .iter()
        .filter(|t| t.alternate)
        .map(|t| ((t.class, t.rank), t))
        .collect();
    let mut holders = BTreeMap::new();
    for t in view.tasks.iter().filter(|t| !t.alternate) {
        let mut list = vec![t.clone()];
        for a in view.adjustments.iter().filter(|a| a.task_seq == t.seq) {
            if let Some(alt) = alternates.get(&(t.class, a.replacement_rank)) {
                list.push(TaskRow {
                    seq: t.seq,
                    alternate: false,
                    ..(*alt).clone()
                });
            }
        }
        holders.insert(t.seq, list);
    }
    Ok(DrawnPlan {
        view,
        draw,
        drawn_on,
        holders,
    })
}

// ---------------------------------------------------------------------------------------------
// Views

/// One line of a plan's result list: a task and one institution that held it.
#[derive(Debug, Clone)]
pub struct ResultRow {
    pub seq: u32,
    pub institution: String,
    pub institution_name: String,
    /// False for an institution that was replaced (its result, e.g. 注销, still counts).
    pub current: bool,
    pub items: Vec<String>,
    pub team: Vec<String>,
    pub stored: Option<StoredResult>,
    /// For a recorded, not yet disclosed result: the last day to publish it.
    pub publication_due: Option<NaiveDate>,
}

/// A result as the follow-up lists name it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResultRef {
    pub plan_id: i64,
    pub plan_title: String,
    pub seq: u32,
    pub institution: String,
    pub institution_name: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RectificationDue {
    pub at: ResultRef,
    pub due: NaiveDate,
    pub status: RectifyStatus,
    /// Calendar days past the deadline (negative: days left).
    pub days_overdue: i64,
}

impl RectificationDue {
    pub fn overdue(&self) -> bool {
        self.days_overdue > 0
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicationDue {
    pub at: ResultRef,
    pub completed_on: NaiveDate,
    /// The last day to publish (`publication_working_days` working days after completion).
    pub due: NaiveDate,
    /// Working days left until `due` (negative: working days overdue).
    pub working_days_left: i64,
}

impl PublicationDue {
    pub fn overdue(&self) -> bool {
        self.working_days_left < 0
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RepeatOffender {
    pub institution: String,
    pub institution_name: String,
    /// The latest confirmed violation within the look-back window.
    pub last_violation: NaiveDate,
    pub violations: usize,
    pub at: ResultRef,
}

/// One points entry of a person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PointsLine {
    pub plan_id: i64,
    pub seq: u32,
    pub institution: String,
    pub finding_no: u32,
    /// The finding's violation type (事项编码).
    pub item: String,
    pub points: u32,
    pub scored_on: NaiveDate,
}

/// A person's 驾照式记分 in one calendar year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonPoints {
    /// 人员编码 when known, else `机构编码/姓名`.
    pub key: String,
    pub name: String,
    pub code: String,
    pub role: String,
    /// Institutions (codes) where the person was scored.
    pub institutions: Vec<String>,
    pub institution_names: Vec<String>,
    pub year: i32,
    pub total: u32,
    pub largest: u32,
    pub qualification: Qualification,
    pub entries: Vec<PointsLine>,
}

/// What needs attention on `today`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Followup {
    pub today: NaiveDate,
    pub publication_working_days: u32,
    /// Open rectifications (未整改/整改中), earliest deadline first; check `overdue()`.
    pub rectifications: Vec<RectificationDue>,
    /// Recorded results not yet in any exported disclosure, earliest deadline first.
    pub publications: Vec<PublicationDue>,
    /// Results changed after they were disclosed: the public file needs an update.
    pub changed_after_disclosure: Vec<ResultRef>,
    /// People whose points this calendar year suspend or terminate their 医保支付资格.
    pub flagged_persons: Vec<PersonPoints>,
    /// 屡查屡犯: institutions with a confirmed violation within `repeat_offender_months`.
    pub repeat_offenders: Vec<RepeatOffender>,
}

/// What statistics cover.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatsScope {
    Plan(i64),
    /// Results completed in this calendar year (current draws of all plans).
    Year(i32),
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ResultStats {
    /// Tasks of the plan (plan scope only).
    pub tasks: Option<usize>,
    pub recorded: usize,
    /// Per category in the configured order (zero counts included), then unknown ones.
    pub per_category: Vec<(String, usize)>,
    pub violations: usize,
    pub per_measure: Vec<(String, usize)>,
    pub findings: usize,
    pub findings_amount_fen: i64,
    pub recovered_fen: i64,
    pub fine_fen: i64,
    pub rectifications_open: usize,
    pub rectifications_overdue: usize,
    pub persons_scored: usize,
    pub points_total: u32,
    pub disclosed: usize,
}

/// What a results import did (or, refused or dry run, would have done).
#[derive(Debug, Clone, Default)]
pub struct ResultImportOutcome {
    /// Task rows with a result filled in.
    pub tasks: usize,
    pub added: usize,
    pub updated: usize,
    pub unchanged: usize,
    /// Task rows left blank (not yet inspected): nothing changes for them.
    pub skipped_blank: usize,
    pub findings: usize,
    pub points: usize,
    pub plans: Vec<i64>,
    pub warnings: Vec<ImportIssue>,
    pub errors: Vec<ImportIssue>,
    pub committed: bool,
}

#[derive(Debug)]
struct Refused(ResultImportOutcome);

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "results import refused with {} errors", self.0.errors.len())
    }
}

impl std::error::Error for Refused {}

fn summary(r: &TaskResult) -> String {
    format!(
        "category={} findings={} points={} recovered_fen={} fine_fen={} measures={}",
        r.category,
        r.findings.len(),
        r.points.iter().map(|p| p.points).sum::<u32>(),
        r.recovered_fen,
        r.fine_fen,
        r.measures.join("、")
    )
}

impl Service {
    /// The configured result vocabulary: categories, measures and their rules.
    pub fn result_rules(&self) -> ResultRules {
        self.config.result_rules()
    }

    /// The plan's current draw with task holders; refuses plans not yet drawn.
    pub fn drawn_plan(&self, plan: i64) -> Result<DrawnPlan> {
        drawn_plan(self.store.conn(), plan, self.lang)
    }

    /// The result of the institution now holding task `seq`, if recorded.
    pub fn task_result(&self, plan: i64, seq: u32) -> Result<Option<TaskResult>> {
        let p = self.drawn_plan(plan)?;
        let cur = p
            .current(seq)
            .ok_or_else(|| anyhow!("{} {seq}", self.t("没有这个任务：", "no such task:")))?;
        Ok(db::get(self.store.conn(), p.draw.id, seq, &cur.institution)?.map(|s| s.result))
    }

    /// The form text for task `seq` (its current institution): the recorded result, or a blank
    /// form listing the task's items.
    pub fn task_result_input(&self, plan: i64, seq: u32) -> Result<TaskResultInput> {
        let p = self.drawn_plan(plan)?;
        let cur = p
            .current(seq)
            .ok_or_else(|| anyhow!("{} {seq}", self.t("没有这个任务：", "no such task:")))?;
        Ok(match db::get(self.store.conn(), p.draw.id, seq, &cur.institution)? {
            Some(s) => s.result.to_input(),
            None => TaskResultInput {
                item_results: cur
                    .items
                    .iter()
                    .map(|i| ItemResultInput {
                        item: i.clone(),
                        category: String::new(),
                    })
                    .collect(),
                ..Default::default()
            },
        })
    }

    /// Saves the result of the institution now holding task `seq`. `Ok(Err(issues))`: refused,
    /// nothing written; render each with `issue.problem.text(lang)` at `issue.part`/`issue.field`.
    pub fn save_task_result(
        &mut self,
        plan: i64,
        seq: u32,
        input: &TaskResultInput,
    ) -> Result<std::result::Result<Upserted, Vec<Issue>>> {
        self.save_result_for(plan, seq, None, input)
    }

    /// Like `save_task_result`, for a named institution that holds or held the task (a replaced
    /// institution's 注销 / 查无下落 result is recorded this way).
    pub fn save_result_for(
        &mut self,
        plan: i64,
        seq: u32,
        institution: Option<&str>,
        input: &TaskResultInput,
    ) -> Result<std::result::Result<Upserted, Vec<Issue>>> {
        let rules = self.config.result_rules();
        let lang = self.lang;
        let today = self.now().date();
        let (now, actor) = (self.now_text(), self.actor.clone());
        self.store.write(|tx| {
            let p = drawn_plan(tx, plan, lang)?;
            let holder = match institution {
                None => p.current(seq),
                Some(i) => p.holder(seq, i),
            }
            .ok_or_else(|| {
                anyhow!(
                    "{} {seq}{}",
                    lang.pick("没有这个任务：", "no such task:"),
                    institution.map(|i| format!(" / {i}")).unwrap_or_default()
                )
            })?
            .clone();
            let catalogue: Vec<String> = db::item_names(tx)?.into_iter().map(|(c, _)| c).collect();
            let ctx = TaskContext {
                items: &holder.items,
                catalogue: &catalogue,
                drawn_on: p.drawn_on,
                today,
            };
            let r = match dr::validate(input, &rules, &ctx) {
                Ok(r) => r,
                Err(issues) => return Ok(Err(issues)),
            };
            let key = ResultKey {
                plan_id: plan,
                draw_id: p.draw.id,
                seq,
                institution: holder.institution.clone(),
            };
            let up = db::put(tx, &key, &r, &now, &actor)?;
            if up != Upserted::Unchanged {
                audit::append(
                    tx,
                    &now,
                    &actor,
                    "result.save",
                    &format!("plan:{plan} task:{seq}"),
                    &format!("institution={} {}", key.institution, summary(&r)),
                )?;
            }
            Ok(Ok(up))
        })
    }

    /// Removes a recorded result (with its findings and points); the removal and its reason are
    /// logged. `institution` None: the task's current institution.
    pub fn clear_task_result(&mut self, plan: i64, seq: u32, institution: Option<&str>, reason: &str) -> Result<bool> {
        if reason.trim().is_empty() {
            bail!(
                "{}",
                self.t("删除检查结果须说明理由", "removing a result needs a reason")
            );
        }
        let lang = self.lang;
        let (now, actor) = (self.now_text(), self.actor.clone());
        self.store.write(|tx| {
            let p = drawn_plan(tx, plan, lang)?;
            let inst = match institution {
                Some(i) => i.to_string(),
                None => p
                    .current(seq)
                    .ok_or_else(|| anyhow!("{} {seq}", lang.pick("没有这个任务：", "no such task:")))?
                    .institution
                    .clone(),
            };
            let key = ResultKey {
                plan_id: plan,
                draw_id: p.draw.id,
                seq,
                institution: inst,
            };
            let removed = db::delete(tx, &key)?;
            if removed {
                audit::append(
                    tx,
                    &now,
                    &actor,
                    "result.clear",
                    &format!("plan:{plan} task:{seq}"),
                    &format!("institution={} reason={}", key.institution, reason.trim()),
                )?;
            }
            Ok(removed)
        })
    }

    /// Every task of the plan with its result (replaced institutions only when they have one).
    pub fn plan_results(&self, plan: i64) -> Result<Vec<ResultRow>> {
        let conn = self.store.conn();
        let p = self.drawn_plan(plan)?;
        let mut stored: HashMap<(u32, String), StoredResult> = db::of_draw(conn, p.draw.id)?
            .into_iter()
            .map(|s| ((s.key.seq, s.key.institution.clone()), s))
            .collect();
        let facts = db::institution_facts(conn)?;
        let days = self.config.results.publication_working_days;
        let mut out = Vec::new();
        for (seq, holders) in &p.holders {
            for (i, h) in holders.iter().enumerate() {
                let current = i + 1 == holders.len();
                let s = stored.remove(&(*seq, h.institution.clone()));
                if s.is_none() && !current {
                    continue;
                }
                let due = s
                    .as_ref()
                    .filter(|s| s.disclosed_at.is_none())
                    .map(|s| dr::add_working_days(s.result.completed_on, days));
                out.push(ResultRow {
                    seq: *seq,
                    institution: h.institution.clone(),
                    institution_name: facts.get(&h.institution).map(|f| f.name.clone()).unwrap_or_default(),
                    current,
                    items: h.items.clone(),
                    team: h.team.clone(),
                    stored: s,
                    publication_due: due,
                });
            }
        }
        Ok(out)
    }

    fn refs(&self) -> Result<(HashMap<i64, String>, db::FactsLookup<'_>)> {
        let titles = self.plans()?.into_iter().map(|p| (p.id, p.title)).collect();
        Ok((titles, db::institution_facts(self.store.conn())?))
    }

    fn result_ref(&self, key: &ResultKey, titles: &HashMap<i64, String>, facts: &db::FactsLookup) -> ResultRef {
        ResultRef {
            plan_id: key.plan_id,
            plan_title: titles.get(&key.plan_id).cloned().unwrap_or_default(),
            seq: key.seq,
            institution: key.institution.clone(),
            institution_name: facts.get(&key.institution).map(|f| f.name.clone()).unwrap_or_default(),
        }
    }

    /// 屡查屡犯: institutions with a confirmed violation (a violation category with a finding)
    /// completed within the last `repeat_offender_months` months before `today`.
    pub fn repeat_offender_list(&self, today: NaiveDate) -> Result<Vec<RepeatOffender>> {
        let rules = self.config.result_rules();
        let since = dr::months_before(today, self.config.results.repeat_offender_months);
        let (titles, facts) = self.refs()?;
        let mut by_inst: BTreeMap<String, RepeatOffender> = BTreeMap::new();
        for s in db::completed_since(self.store.conn(), since)? {
            if !s.result.is_violation(&rules) || s.result.findings.is_empty() || s.result.completed_on > today {
                continue;
            }
            let at = self.result_ref(&s.key, &titles, &facts);
            let e = by_inst
                .entry(s.key.institution.clone())
                .or_insert_with(|| RepeatOffender {
                    institution: s.key.institution.clone(),
                    institution_name: at.institution_name.clone(),
                    last_violation: s.result.completed_on,
                    violations: 0,
                    at: at.clone(),
                });
            e.violations += 1;
            if s.result.completed_on >= e.last_violation {
                e.last_violation = s.result.completed_on;
                e.at = at;
            }
        }
        Ok(by_inst.into_values().collect())
    }

    /// 驾照式记分 per person for a calendar year (by 记分日期), highest total first.
    pub fn points_by_person(&self, year: i32) -> Result<Vec<PersonPoints>> {
        let (_, facts) = self.refs()?;
        let mut people: BTreeMap<String, PersonPoints> = BTreeMap::new();
        for s in db::of_current_draws(self.store.conn())? {
            for p in &s.result.points {
                if p.scored_on.year() != year {
                    continue;
                }
                let key = p.person_key(&s.key.institution);
                let e = people.entry(key.clone()).or_insert_with(|| PersonPoints {
                    key,
                    name: p.name.clone(),
                    code: p.code.clone(),
                    role: p.role.clone(),
                    institutions: vec![],
                    institution_names: vec![],
                    year,
                    total: 0,
                    largest: 0,
                    qualification: Qualification::Normal,
                    entries: vec![],
                });
                if !e.institutions.contains(&s.key.institution) {
                    e.institutions.push(s.key.institution.clone());
                    e.institution_names.push(
                        facts
                            .get(&s.key.institution)
                            .map(|f| f.name.clone())
                            .unwrap_or_default(),
                    );
                }
                if !p.role.is_empty() {
                    e.role = p.role.clone();
                }
                e.total += p.points;
                e.largest = e.largest.max(p.points);
                e.entries.push(PointsLine {
                    plan_id: s.key.plan_id,
                    seq: s.key.seq,
                    institution: s.key.institution.clone(),
                    finding_no: p.finding_no,
                    item: s
                        .result
                        .findings
                        .iter()
                        .find(|f| f.no == p.finding_no)
                        .map(|f| f.item.clone())
                        .unwrap_or_default(),
                    points: p.points,
                    scored_on: p.scored_on,
                });
            }
        }
        let mut out: Vec<PersonPoints> = people
            .into_values()
            .map(|mut p| {
                p.qualification = Qualification::of(p.total, p.largest);
                p.entries.sort_by_key(|e| (e.scored_on, e.plan_id, e.seq));
                p
            })
            .collect();
        out.sort_by(|a, b| b.total.cmp(&a.total).then_with(|| a.key.cmp(&b.key)));
        Ok(out)
    }

    /// Overdue rectifications, publication deadlines, flagged persons and repeat offenders.
    pub fn followup(&self, today: NaiveDate) -> Result<Followup> {
        let days = self.config.results.publication_working_days;
        let (titles, facts) = self.refs()?;
        let mut out = Followup {
            today,
            publication_working_days: days,
            rectifications: vec![],
            publications: vec![],
            changed_after_disclosure: vec![],
            flagged_persons: vec![],
            repeat_offenders: vec![],
        };
        for s in db::of_current_draws(self.store.conn())? {
            let at = self.result_ref(&s.key, &titles, &facts);
            if let Some(r) = s.result.rectification
                && r.status != RectifyStatus::Closed
            {
                out.rectifications.push(RectificationDue {
                    at: at.clone(),
                    due: r.due,
                    status: r.status,
                    days_overdue: (today - r.due).num_days(),
                });
            }
            match &s.disclosed_at {
                None => {
                    let due = dr::add_working_days(s.result.completed_on, days);
                    out.publications.push(PublicationDue {
                        at,
                        completed_on: s.result.completed_on,
                        due,
                        working_days_left: dr::working_days_between(today, due),
                    });
                }
                Some(d) if s.recorded_at > *d => out.changed_after_disclosure.push(at),
                Some(_) => {}
            }
        }
        out.rectifications
            .sort_by(|a, b| a.due.cmp(&b.due).then_with(|| a.at.seq.cmp(&b.at.seq)));
        out.publications
            .sort_by(|a, b| a.due.cmp(&b.due).then_with(|| a.at.seq.cmp(&b.at.seq)));
        out.flagged_persons = self
            .points_by_person(today.year())?
            .into_iter()
            .filter(|p| p.qualification.flagged())
            .collect();
        out.repeat_offenders = self.repeat_offender_list(today)?;
        Ok(out)
    }

    /// Counts per category and measure, amounts (fen) and points, for a plan or a year.
    pub fn result_stats(&self, scope: StatsScope) -> Result<ResultStats> {
        let rules = self.config.result_rules();
        let today = self.now().date();
        let conn = self.store.conn();
        let (results, tasks) = match scope {
            StatsScope::Plan(id) => {
                let p = self.drawn_plan(id)?;
                (db::of_draw(conn, p.draw.id)?, Some(p.holders.len()))
            }
            StatsScope::Year(y) => (
                db::of_current_draws(conn)?
                    .into_iter()
                    .filter(|s| s.result.completed_on.year() == y)
                    .collect(),
                None,
            ),
        };
        let mut st = ResultStats {
            tasks,
            recorded: results.len(),
            per_category: rules.categories.iter().map(|c| (c.clone(), 0)).collect(),
            per_measure: rules.measures.iter().map(|m| (m.clone(), 0)).collect(),
            ..Default::default()
        };
        let mut people: HashSet<String> = HashSet::new();
        for s in &results {
            let r = &s.result;
            match st.per_category.iter_mut().find(|(c, _)| *c == r.category) {
                Some((_, n)) => *n += 1,
                None => st.per_category.push((r.category.clone(), 1)),
            }
            for m in &r.measures {
                match st.per_measure.iter_mut().find(|(x, _)| x == m) {
                    Some((_, n)) => *n += 1,
                    None => st.per_measure.push((m.clone(), 1)),
                }
            }
            if r.is_violation(&rules) {
                st.violations += 1;
            }
            st.findings += r.findings.len();
            st.findings_amount_fen += r.findings_amount_fen();
            st.recovered_fen += r.recovered_fen;
            st.fine_fen += r.fine_fen;
            if let Some(x) = r.rectification
                && x.status != RectifyStatus::Closed
            {
                st.rectifications_open += 1;
                if x.due < today {
                    st.rectifications_overdue += 1;
                }
            }
            for p in &r.points {
                people.insert(p.person_key(&s.key.institution));
                st.points_total += p.points;
            }
            if s.disclosed_at.is_some() {
                st.disclosed += 1;
            }
        }
        st.persons_scored = people.len();
        Ok(st)
    }

    /// Writes a year's points per person (and every entry) to .xlsx or .csv: internal, never public.
    pub fn export_points(&self, year: i32, path: &Path) -> Result<usize> {
        let people = self.points_by_person(year)?;
        let headers = [
            "年度",
            "姓名",
            "人员编码",
            "人员类别",
            "机构编码",
            "机构名称",
            "年度累计记分",
            "医保支付资格处理",
        ];
        let rows: Vec<Vec<String>> = people
            .iter()
            .map(|p| {
                vec![
                    year.to_string(),
                    p.name.clone(),
                    p.code.clone(),
                    p.role.clone(),
                    p.institutions.join("、"),
                    p.institution_names.join("、"),
                    p.total.to_string(),
                    p.qualification.zh().to_string(),
                ]
            })
            .collect();
        let details: Vec<Vec<String>> = people
            .iter()
            .flat_map(|p| {
                p.entries.iter().map(move |e| {
                    vec![
                        p.name.clone(),
                        p.code.clone(),
                        e.plan_id.to_string(),
                        e.seq.to_string(),
                        e.institution.clone(),
                        e.finding_no.to_string(),
                        e.item.clone(),
                        e.points.to_string(),
                        e.scored_on.to_string(),
                    ]
                })
            })
            .collect();
        let n = rows.len();
        write_table(
            path,
            &[
                OutTable {
                    sheet_name: "记分汇总",
                    headers: headers.iter().map(|h| h.to_string()).collect(),
                    rows,
                    code_columns: vec![2, 4],
                    neutralize_formulas: true,
                },
                OutTable {
                    sheet_name: "记分明细",
                    headers: [
                        "姓名",
                        "人员编码",
                        "计划编号",
                        "任务序号",
                        "机构编码",
                        "问题序号",
                        "违规类型（事项编码）",
                        "记分",
                        "记分日期",
                    ]
                    .iter()
                    .map(|h| h.to_string())
                    .collect(),
                    rows: details,
                    code_columns: vec![1, 4],
                    neutralize_formulas: true,
                },
            ],
        )?;
        Ok(n)
    }
}

// ---------------------------------------------------------------------------------------------
// The results workbook: export to fill in, import all or nothing

pub const SHEET_MAIN: &str = "检查结果";
pub const SHEET_ITEMS: &str = "事项结果";
pub const SHEET_FINDINGS: &str = "问题";
pub const SHEET_POINTS: &str = "记分";
pub const SHEET_HELP: &str = "填写说明";

pub const COL_PLAN: &str = "计划编号";
pub const COL_SEQ: &str = "任务序号";
pub const COL_INST: &str = "机构编码";

/// What a column of a results sheet is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Col {
    Plan,
    Seq,
    Inst,
    F(Field),
}

#[derive(Debug, Clone)]
struct ColDef {
    zh: &'static str,
    en: &'static str,
    col: Col,
    required: bool,
}

/// Columns shown for orientation and ignored on import.
const INFO_HEADERS: [&str; 9] = [
    "机构名称",
    "机构类型",
    "所属区县",
    "检查事项",
    "检查组",
    "事项名称",
    "信用等级",
    "替换情况",
    "序号",
];

fn key_cols() -> Vec<ColDef> {
    vec![
        ColDef {
            zh: COL_PLAN,
            en: "plan",
            col: Col::Plan,
            required: true,
        },
        ColDef {
            zh: COL_SEQ,
            en: "task",
            col: Col::Seq,
            required: true,
        },
        ColDef {
            zh: COL_INST,
            en: "institution",
            col: Col::Inst,
            required: true,
        },
    ]
}

fn field_cols(fields: &[Field], required: &[Field]) -> Vec<ColDef> {
    fields
        .iter()
        .map(|&f| ColDef {
            zh: f.zh(),
            en: f.en(),
            col: Col::F(f),
            required: required.contains(&f),
        })
        .collect()
}

fn sheet_cols(sheet: &str) -> Vec<ColDef> {
    let mut v = key_cols();
    match sheet {
        SHEET_MAIN => v.extend(field_cols(&Field::MAIN, &[Field::CheckDate, Field::Category])),
        SHEET_ITEMS => v.extend(field_cols(
            &[Field::ItemCode, Field::ItemCategory],
            &[Field::ItemCode, Field::ItemCategory],
        )),
        SHEET_FINDINGS => v.extend(field_cols(
            &Field::FINDING,
            &[Field::FindingItem, Field::FindingDescription],
        )),
        _ => v.extend(field_cols(&Field::POINTS, &[Field::PointsName, Field::PointsValue])),
    }
    v
}

/// Header text for matching: BOM and all blanks removed, full-width parentheses made half-width.
fn norm_header(h: &str) -> String {
    h.chars()
        .filter(|c| *c != '\u{feff}' && !c.is_whitespace())
        .map(|c| match c {
            '（' => '(',
            '）' => ')',
            c => c,
        })
        .collect()
}

/// `追回金额（元）` also matches `追回金额`.
fn without_unit(h: &str) -> &str {
    match h.rfind('(') {
        Some(i) if h.ends_with(')') && i > 0 => &h[..i],
        _ => h,
    }
}

/// One read sheet.
struct Sheet {
    label: String,
    spreadsheet: bool,
    /// Column → (header as written, 0-based index).
    columns: HashMap<Col, (String, usize)>,
    rows: Vec<SheetRow>,
}

struct SheetRow {
    row: usize,
    key: Option<(i64, u32, String)>,
    values: HashMap<Field, String>,
}

impl Sheet {
    fn locate(&self, col: Col) -> (String, Option<String>) {
        match self.columns.get(&col) {
            Some((h, i)) => (h.clone(), self.spreadsheet.then(|| column_letter(*i))),
            None => (
                match col {
                    Col::Plan => COL_PLAN.to_string(),
                    Col::Seq => COL_SEQ.to_string(),
                    Col::Inst => COL_INST.to_string(),
                    Col::F(f) => f.zh().to_string(),
                },
                None,
            ),
        }
    }

    fn issue(&self, severity: Severity, row: usize, col: Option<Col>, zh: &str, en: &str) -> ImportIssue {
        let (column, letter) = match col {
            Some(c) => {
                let (h, l) = self.locate(c);
                (Some(h), l)
            }
            None => (None, None),
        };
        ImportIssue {
            severity,
            file: self.label.clone(),
            row,
            column,
            letter,
            reason: None,
            note: Some(Note::Source {
                zh: zh.into(),
                en: en.into(),
            }),
        }
    }
}

/// Reads one sheet of the results workbook; `Ok(None)` when an optional sheet is absent.
fn read_sheet(
    path: &Path,
    file: &str,
    name: &str,
    workbook: bool,
    warnings: &mut Vec<ImportIssue>,
    errors: &mut Vec<ImportIssue>,
) -> Option<Sheet> {
    let source = if workbook {
        match RowSource::open(path, Some(name)) {
            Err(SourceError::UnknownSheet { .. }) if name == SHEET_MAIN => RowSource::open(path, None),
            Err(SourceError::UnknownSheet { .. }) => return None,
            other => other,
        }
    } else if name == SHEET_MAIN {
        RowSource::open(path, None)
    } else {
        return None;
    };
    let label = if workbook {
        format!("{file}「{name}」")
    } else {
        file.to_string()
    };
    let mut source = match source {
        Ok(s) => s,
        Err(SourceError::Empty) if name != SHEET_MAIN => return None,
        Err(e) => {
            errors.push(ImportIssue::from_source(&e, label));
            return None;
        }
    };
    let defs = sheet_cols(name);
    let mut sheet = Sheet {
        label,
        spreadsheet: source.is_spreadsheet(),
        columns: HashMap::new(),
        rows: Vec::new(),
    };
    let header_row = source.header_row();
    for (i, h) in source.headers().iter().enumerate() {
        if h.is_empty() {
            continue;
        }
        let n = norm_header(h);
        let lower = n.to_lowercase();
        let def = defs.iter().find(|d| {
            let z = norm_header(d.zh);
            z == n || without_unit(&z) == n || d.en == lower
        });
        let col = match def {
            Some(d) => d.col,
            None if INFO_HEADERS.iter().any(|x| norm_header(x) == n) => continue,
            None => {
                let mut w = sheet.issue(
                    Severity::Warning,
                    header_row,
                    None,
                    "未知列，已忽略",
                    "unknown column, ignored",
                );
                w.column = Some(h.clone());
                w.letter = sheet.spreadsheet.then(|| column_letter(i));
                warnings.push(w);
                continue;
            }
        };
        if let Some((first, _)) = sheet.columns.get(&col) {
            let zh = format!("与前面的「{first}」列对应同一字段，重复");
            let en = format!("duplicates the column \"{first}\" (same field)");
            let mut e = sheet.issue(Severity::Error, header_row, None, &zh, &en);
            e.column = Some(h.clone());
            e.letter = sheet.spreadsheet.then(|| column_letter(i));
            errors.push(e);
            continue;
        }
        sheet.columns.insert(col, (h.clone(), i));
    }
    let mut missing = false;
    for d in defs.iter().filter(|d| d.required) {
        if !sheet.columns.contains_key(&d.col) {
            missing = true;
            let en = format!("required column is missing (header: Chinese name or {})", d.en);
            errors.push(sheet.issue(Severity::Error, header_row, Some(d.col), "缺少必填列", &en));
        }
    }
    if missing {
        return None;
    }
    let cols: Vec<(Col, usize)> = sheet.columns.iter().map(|(c, (_, i))| (*c, *i)).collect();
    while let Some(next) = source.next_row() {
        let raw = match next {
            Ok(r) => r,
            Err(e) => {
                errors.push(ImportIssue::from_source(&e, sheet.label.clone()));
                break;
            }
        };
        let mut values: HashMap<Field, String> = HashMap::new();
        let (mut plan, mut seq, mut inst) = (String::new(), String::new(), String::new());
        let mut bad_key = false;
        for &(col, i) in &cols {
            let cell = raw.cells.get(i).cloned().unwrap_or(Cell::Empty);
            let text = match cell {
                Cell::Error(e) => {
                    errors.push(sheet.issue(
                        Severity::Error,
                        raw.row,
                        Some(col),
                        &format!("单元格是 Excel 错误值 {e}"),
                        &format!("the cell holds the Excel error {e}"),
                    ));
                    bad_key |= matches!(col, Col::Plan | Col::Seq | Col::Inst);
                    continue;
                }
                Cell::Number(_) if col == Col::Inst => {
                    errors.push(sheet.issue(
                        Severity::Error,
                        raw.row,
                        Some(col),
                        "编码列是数字单元格（Excel 会丢失长数字的位数），请将该列设为文本后重新录入",
                        "a code column holds a number cell; format the column as text and re-enter it",
                    ));
                    bad_key = true;
                    continue;
                }
                c => c.to_text(),
            };
            match col {
                Col::Plan => plan = text.trim().to_string(),
                Col::Seq => seq = text.trim().to_string(),
                Col::Inst => inst = text.trim().to_string(),
                Col::F(f) => {
                    values.insert(f, unneutralize(text));
                }
            }
        }
        let plan_id = plan.parse::<i64>().ok().filter(|n| *n > 0);
        let seq_no = seq.parse::<u32>().ok().filter(|n| *n > 0);
        let blank = values.values().all(|v| v.trim().is_empty());
        let empty_row = blank && plan.is_empty() && seq.is_empty() && inst.is_empty();
        if !bad_key && !empty_row {
            for (ok, col, value) in [
                (plan_id.is_some(), Col::Plan, &plan),
                (seq_no.is_some(), Col::Seq, &seq),
                (!inst.is_empty(), Col::Inst, &inst),
            ] {
                if !ok {
                    bad_key = true;
                    let (zh, en) = if value.is_empty() {
                        ("必填，不能为空".to_string(), "required, must not be empty".to_string())
                    } else {
                        (
                            format!("“{value}”不是正整数"),
                            format!("'{value}' is not a positive whole number"),
                        )
                    };
                    errors.push(sheet.issue(Severity::Error, raw.row, Some(col), &zh, &en));
                }
            }
        }
        sheet.rows.push(SheetRow {
            row: raw.row,
            key: match (plan_id, seq_no, bad_key) {
                (Some(p), Some(s), false) => Some((p, s, inst)),
                _ => None,
            },
            values,
        });
    }
    Some(sheet)
}

/// Undoes the `'` that exports put before cells a spreadsheet would run as formulas, so that an
/// exported sheet re-imports unchanged.
fn unneutralize(text: String) -> String {
    match text.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest.to_string(),
        _ => text,
    }
}

/// One task's rows across the sheets.
struct Group {
    key: (i64, u32, String),
    main_row: usize,
    input: TaskResultInput,
    item_rows: Vec<usize>,
    finding_rows: Vec<usize>,
    points_rows: Vec<usize>,
}

fn value(values: &HashMap<Field, String>, f: Field) -> String {
    values.get(&f).cloned().unwrap_or_default()
}

impl Service {
    /// Writes the sheet to fill in for a drawn plan: one row per task (institution now holding
    /// it), with the recorded result when there is one, plus item-result, finding and points
    /// sheets and instructions. `.xlsx` (all sheets) or `.csv` (the main sheet only).
    pub fn export_task_sheet(&self, plan: i64, path: &Path) -> Result<usize> {
        let conn = self.store.conn();
        let p = self.drawn_plan(plan)?;
        let rules = self.config.result_rules();
        let facts = db::institution_facts(conn)?;
        let items: HashMap<String, String> = db::item_names(conn)?.into_iter().collect();
        let people = db::inspector_names(conn)?;
        let stored: HashMap<(u32, String), TaskResult> = db::of_draw(conn, p.draw.id)?
            .into_iter()
            .map(|s| ((s.key.seq, s.key.institution), s.result))
            .collect();
        let plan_s = plan.to_string();
        let mut main = Vec::new();
        let mut item_rows = Vec::new();
        let mut finding_rows = Vec::new();
        let mut points_rows = Vec::new();
        for (seq, holders) in &p.holders {
            let t = holders.last().expect("a task has a holder");
            let f = facts.get(&t.institution).unwrap_or_default();
            let key = vec![plan_s.clone(), seq.to_string(), t.institution.clone()];
            let input = stored
                .get(&(*seq, t.institution.clone()))
                .map(|r| r.to_input())
                .unwrap_or_default();
            let item_text: Vec<String> = t
                .items
                .iter()
                .map(|i| format!("{i} {}", items.get(i).map(String::as_str).unwrap_or("")))
                .collect();
            let team: Vec<String> = t
                .team
                .iter()
                .map(|id| format!("{}（{id}）", people.get(id).map(String::as_str).unwrap_or("")))
                .collect();
            let replaced = if holders.len() > 1 {
                format!(
                    "替换自 {}",
                    holders[..holders.len() - 1]
                        .iter()
                        .map(|h| h.institution.as_str())
                        .collect::<Vec<_>>()
                        .join("、")
                )
            } else {
                String::new()
            };
            let mut row = key.clone();
            row.extend([
                f.name.clone(),
                f.kind.clone(),
                f.region.clone(),
                item_text.join("\n"),
                team.join("、"),
                replaced,
            ]);
            row.extend([
                input.check_date.clone(),
                input.completed_on.clone(),
                input.category.clone(),
                input.measures.clone(),
                input.recovered.clone(),
                input.fine.clone(),
                input.rectify_by.clone(),
                input.rectify_status.clone(),
                input.public_remark.clone(),
                input.internal_notes.clone(),
            ]);
            main.push(row);
            for it in &t.items {
                let cat = input
                    .item_results
                    .iter()
                    .find(|r| &r.item == it)
                    .map(|r| r.category.clone())
                    .unwrap_or_default();
                let mut r = key.clone();
                r.extend([
                    f.name.clone(),
                    it.clone(),
                    items.get(it).cloned().unwrap_or_default(),
                    cat,
                ]);
                item_rows.push(r);
            }
            for x in &input.findings {
                let mut r = key.clone();
                r.extend([
                    f.name.clone(),
                    x.no.clone(),
                    x.item.clone(),
                    x.description.clone(),
                    x.amount.clone(),
                ]);
                finding_rows.push(r);
            }
            for x in &input.points {
                let mut r = key.clone();
                r.extend([
                    f.name.clone(),
                    x.finding_no.clone(),
                    x.name.clone(),
                    x.role.clone(),
                    x.code.clone(),
                    x.points.clone(),
                    x.date.clone(),
                ]);
                points_rows.push(r);
            }
        }
        let keys = || vec![COL_PLAN.to_string(), COL_SEQ.to_string(), COL_INST.to_string()];
        let mut main_headers = keys();
        main_headers.extend(
            ["机构名称", "机构类型", "所属区县", "检查事项", "检查组", "替换情况"]
                .iter()
                .map(|s| s.to_string()),
        );
        main_headers.extend(Field::MAIN.iter().map(|f| f.zh().to_string()));
        let mut items_headers = keys();
        items_headers.extend(["机构名称", "事项编码", "事项名称", Field::ItemCategory.zh()].map(String::from));
        let mut findings_headers = keys();
        findings_headers.push("机构名称".into());
        findings_headers.extend(Field::FINDING.iter().map(|f| f.zh().to_string()));
        let mut points_headers = keys();
        points_headers.push("机构名称".into());
        points_headers.extend(Field::POINTS.iter().map(|f| f.zh().to_string()));
        let help = help_rows(&rules, self.config.results.publication_working_days);
        let n = main.len();
        // Every input column is text-formatted, so that typed dates, amounts and codes stay as typed.
        let all = |len: usize| (0..len).collect::<Vec<_>>();
        write_table(
            path,
            &[
                OutTable {
                    sheet_name: SHEET_MAIN,
                    code_columns: all(main_headers.len()),
                    headers: main_headers,
                    rows: main,
                    neutralize_formulas: true,
                },
                OutTable {
                    sheet_name: SHEET_ITEMS,
                    code_columns: all(items_headers.len()),
                    headers: items_headers,
                    rows: item_rows,
                    neutralize_formulas: true,
                },
                OutTable {
                    sheet_name: SHEET_FINDINGS,
                    code_columns: all(findings_headers.len()),
                    headers: findings_headers,
                    rows: finding_rows,
                    neutralize_formulas: true,
                },
                OutTable {
                    sheet_name: SHEET_POINTS,
                    code_columns: all(points_headers.len()),
                    headers: points_headers,
                    rows: points_rows,
                    neutralize_formulas: true,
                },
                OutTable {
                    sheet_name: SHEET_HELP,
                    headers: vec!["项目".into(), "说明".into()],
                    rows: help,
                    code_columns: vec![],
                    neutralize_formulas: true,
                },
            ],
        )?;
        Ok(n)
    }

    /// Imports a filled-in results workbook: validates every row of every sheet, then records
    /// all tasks in one transaction — or nothing, with every error located by sheet, row and
    /// column. Rows whose result columns are all blank are skipped (not yet inspected).
    pub fn import_results(&mut self, path: &Path, dry_run: bool) -> Result<ResultImportOutcome> {
        let file = path
            .file_name()
            .map(|f| f.to_string_lossy().into_owned())
            .unwrap_or_else(|| path.display().to_string());
        let workbook = matches!(
            path.extension()
                .and_then(|e| e.to_str())
                .map(str::to_ascii_lowercase)
                .as_deref(),
            Some("xlsx" | "xlsm" | "xls" | "xlsb" | "ods")
        );
        let mut out = ResultImportOutcome::default();
        let mut errors = Vec::new();
        let mut warnings = Vec::new();
        let main = read_sheet(path, &file, SHEET_MAIN, workbook, &mut warnings, &mut errors);
        let items = read_sheet(path, &file, SHEET_ITEMS, workbook, &mut warnings, &mut errors);
        let findings = read_sheet(path, &file, SHEET_FINDINGS, workbook, &mut warnings, &mut errors);
        let points = read_sheet(path, &file, SHEET_POINTS, workbook, &mut warnings, &mut errors);
        out.warnings = warnings;
        let Some(main) = main else {
            out.errors = errors;
            return Ok(out);
        };

        // Group rows by task.
        let mut groups: Vec<Group> = Vec::new();
        let mut index: HashMap<(i64, u32, String), usize> = HashMap::new();
        let mut blank_keys: HashSet<(i64, u32, String)> = HashSet::new();
        for r in &main.rows {
            let Some(key) = r.key.clone() else { continue };
            if Field::MAIN.iter().all(|f| value(&r.values, *f).trim().is_empty()) {
                out.skipped_blank += 1;
                blank_keys.insert(key);
                continue;
            }
            if let Some(&g) = index.get(&key) {
                let first = groups[g].main_row;
                errors.push(main.issue(
                    Severity::Error,
                    r.row,
                    Some(Col::Seq),
                    &format!("与第 {first} 行是同一任务，重复"),
                    &format!("the same task as row {first}"),
                ));
                continue;
            }
            index.insert(key.clone(), groups.len());
            let v = &r.values;
            groups.push(Group {
                key,
                main_row: r.row,
                input: TaskResultInput {
                    check_date: value(v, Field::CheckDate),
                    completed_on: value(v, Field::CompletedOn),
                    category: value(v, Field::Category),
                    measures: value(v, Field::Measures),
                    recovered: value(v, Field::Recovered),
                    fine: value(v, Field::Fine),
                    rectify_by: value(v, Field::RectifyBy),
                    rectify_status: value(v, Field::RectifyStatus),
                    public_remark: value(v, Field::PublicRemark),
                    internal_notes: value(v, Field::InternalNotes),
                    ..Default::default()
                },
                item_rows: vec![],
                finding_rows: vec![],
                points_rows: vec![],
            });
        }
        let orphan = |sheet: &Sheet, row: usize, errors: &mut Vec<ImportIssue>| {
            errors.push(sheet.issue(
                Severity::Error,
                row,
                Some(Col::Seq),
                "该任务在「检查结果」表中没有填写检查结果，不能只导入本表的内容",
                "this task has no result filled in on the 检查结果 sheet",
            ));
        };
        if let Some(s) = &items {
            for r in &s.rows {
                let Some(key) = &r.key else { continue };
                let cat = value(&r.values, Field::ItemCategory);
                match index.get(key) {
                    Some(&g) => {
                        groups[g].input.item_results.push(ItemResultInput {
                            item: value(&r.values, Field::ItemCode).trim().to_string(),
                            category: cat,
                        });
                        groups[g].item_rows.push(r.row);
                    }
                    None if cat.trim().is_empty() => {}
                    None => orphan(s, r.row, &mut errors),
                }
            }
        }
        if let Some(s) = &findings {
            for r in &s.rows {
                let Some(key) = &r.key else { continue };
                if Field::FINDING.iter().all(|f| value(&r.values, *f).trim().is_empty()) {
                    continue;
                }
                match index.get(key) {
                    Some(&g) => {
                        groups[g].input.findings.push(FindingInput {
                            no: value(&r.values, Field::FindingNo),
                            item: value(&r.values, Field::FindingItem),
                            description: value(&r.values, Field::FindingDescription),
                            amount: value(&r.values, Field::FindingAmount),
                        });
                        groups[g].finding_rows.push(r.row);
                    }
                    None => orphan(s, r.row, &mut errors),
                }
            }
        }
        if let Some(s) = &points {
            for r in &s.rows {
                let Some(key) = &r.key else { continue };
                if Field::POINTS.iter().all(|f| value(&r.values, *f).trim().is_empty()) {
                    continue;
                }
                match index.get(key) {
                    Some(&g) => {
                        groups[g].input.points.push(PointsInput {
                            finding_no: value(&r.values, Field::PointsFinding),
                            name: value(&r.values, Field::PointsName),
                            role: value(&r.values, Field::PointsRole),
                            code: value(&r.values, Field::PointsCode),
                            points: value(&r.values, Field::PointsValue),
                            date: value(&r.values, Field::PointsDate),
                        });
                        groups[g].points_rows.push(r.row);
                    }
                    None => orphan(s, r.row, &mut errors),
                }
            }
        }
        out.tasks = groups.len();
        if groups.is_empty() && errors.is_empty() {
            errors.push(ImportIssue::file_note(
                &file,
                "文件中没有填写了检查结果的任务（检查日期、检查结果等列均为空）",
                "no task in the file has a result filled in",
            ));
        }

        let rules = self.config.result_rules();
        let lang = self.lang;
        let today = self.now().date();
        let (now, actor) = (self.now_text(), self.actor.clone());
        let sheet_of = |part: Part| -> &Sheet {
            match part {
                Part::Main => &main,
                Part::Item(_) => items.as_ref().unwrap_or(&main),
                Part::Finding(_) => findings.as_ref().unwrap_or(&main),
                Part::Points(_) => points.as_ref().unwrap_or(&main),
            }
        };
        let work = |tx: &rusqlite::Transaction| -> Result<ResultImportOutcome> {
            let mut out = out;
            let mut errors = errors;
            let catalogue: Vec<String> = db::item_names(tx)?.into_iter().map(|(c, _)| c).collect();
            let facts = db::institution_facts(tx)?;
            let mut plans: HashMap<i64, std::result::Result<DrawnPlan, String>> = HashMap::new();
            let mut per_plan: BTreeMap<i64, [usize; 5]> = BTreeMap::new();
            for g in &groups {
                let (plan_id, seq, inst) = (&g.key.0, g.key.1, &g.key.2);
                let p = plans
                    .entry(*plan_id)
                    .or_insert_with(|| drawn_plan(tx, *plan_id, lang).map_err(|e| e.to_string()));
                let p = match p {
                    Ok(p) => p,
                    Err(msg) => {
                        errors.push(main.issue(Severity::Error, g.main_row, Some(Col::Plan), msg, msg));
                        continue;
                    }
                };
                let Some(holder) = p.holder(seq, inst) else {
                    match p.current(seq) {
                        None => {
                            let zh = format!("计划 {plan_id} 没有任务 {seq}");
                            let en = format!("plan {plan_id} has no task {seq}");
                            errors.push(main.issue(Severity::Error, g.main_row, Some(Col::Seq), &zh, &en));
                        }
                        Some(cur) => {
                            let name = facts.get(&cur.institution).map(|f| f.name).unwrap_or_default();
                            let zh = format!(
                                "任务 {seq} 的检查对象是 {}（{name}），不是 {inst}；抽取结果或替换已变化，请重新导出任务表",
                                cur.institution
                            );
                            let en = format!(
                                "task {seq} is held by {} ({name}), not {inst}; export the task sheet again",
                                cur.institution
                            );
                            errors.push(main.issue(Severity::Error, g.main_row, Some(Col::Inst), &zh, &en));
                        }
                    }
                    continue;
                };
                let ctx = TaskContext {
                    items: &holder.items,
                    catalogue: &catalogue,
                    drawn_on: p.drawn_on,
                    today,
                };
                let r = match dr::validate(&g.input, &rules, &ctx) {
                    Ok(r) => r,
                    Err(issues) => {
                        for i in issues {
                            let sheet = sheet_of(i.part);
                            let row = match i.part {
                                Part::Main => g.main_row,
                                Part::Item(k) => g.item_rows.get(k).copied().unwrap_or(g.main_row),
                                Part::Finding(k) => g.finding_rows.get(k).copied().unwrap_or(g.main_row),
                                Part::Points(k) => g.points_rows.get(k).copied().unwrap_or(g.main_row),
                            };
                            errors.push(sheet.issue(
                                Severity::Error,
                                row,
                                Some(Col::F(i.field)),
                                &i.problem.text(Lang::Zh),
                                &i.problem.text(Lang::En),
                            ));
                        }
                        continue;
                    }
                };
                // Once anything failed nothing will be committed: keep validating, stop writing.
                if !errors.is_empty() {
                    continue;
                }
                let key = ResultKey {
                    plan_id: *plan_id,
                    draw_id: p.draw.id,
                    seq,
                    institution: inst.clone(),
                };
                let counts = per_plan.entry(*plan_id).or_default();
                match db::put(tx, &key, &r, &now, &actor)? {
                    Upserted::Added => counts[0] += 1,
                    Upserted::Updated => counts[1] += 1,
                    Upserted::Unchanged => counts[2] += 1,
                }
                counts[3] += r.findings.len();
                counts[4] += r.points.len();
            }
            if !errors.is_empty() {
                out.errors = errors;
                bail!(Refused(out));
            }
            for (plan_id, c) in &per_plan {
                out.added += c[0];
                out.updated += c[1];
                out.unchanged += c[2];
                out.findings += c[3];
                out.points += c[4];
                out.plans.push(*plan_id);
                audit::append(
                    tx,
                    &now,
                    &actor,
                    "results.import",
                    &format!("plan:{plan_id}"),
                    &format!(
                        "file={file} added={} updated={} unchanged={} findings={} points={}",
                        c[0], c[1], c[2], c[3], c[4]
                    ),
                )?;
            }
            Ok(out)
        };
        let result = if dry_run {
            self.store.dry_run(work)
        } else {
            self.store.write(work)
        };
        match result {
            Ok(mut out) => {
                out.committed = !dry_run;
                Ok(out)
            }
            Err(e) => match e.downcast::<Refused>() {
                Ok(Refused(out)) => Ok(out),
                Err(e) => Err(e),
            },
        }
    }
}

/// The 填写说明 sheet: allowed values and rules.
fn help_rows(rules: &ResultRules, days: u32) -> Vec<Vec<String>> {
    let r = |a: &str, b: String| vec![a.to_string(), b];
    vec![
        r(
            "总体说明",
            "只填写各表中检查日期及其后的列；计划编号、任务序号、机构编码请勿修改，其余灰色信息列导入时忽略。某任务的检查结果列全部留空表示尚未检查，导入时不作改动。整个文件校验无误才会写入，任何一处错误都不会写入任何数据。".into(),
        ),
        r(
            Field::CheckDate.zh(),
            "必填。格式 2026-03-05、2026/3/5 或 2026年3月5日；不早于抽取日期，不晚于今天。".into(),
        ),
        r(
            Field::CompletedOn.zh(),
            format!("可空，空则同检查日期。检查结果应在检查完成后 {days} 个工作日内公示（工作日按周一至周五计算，不含法定节假日）。"),
        ),
        r(
            Field::Category.zh(),
            format!(
                "必填，可选：{}。其中 {} 须在「问题」表至少登记一个问题。",
                rules.categories.join("、"),
                rules.violation_categories.join("、")
            ),
        ),
        r(
            Field::Measures.zh(),
            format!("可多选，用顿号分隔：{}。", rules.measures.join("、")),
        ),
        r(
            "金额",
            format!(
                "以元为单位，最多两位小数，如 1234.56 或 1,234.56元，也可写 1.5万元。填写追回金额须选“{}”，填写罚款金额须选“{}”。",
                rules.recovery_measure, rules.fine_measure
            ),
        ),
        r(
            Field::RectifyBy.zh(),
            format!(
                "选择 {} 时必填；整改状态可选：{}（空则为未整改）。",
                rules.rectification_measures.join("、"),
                RectifyStatus::labels().join("、")
            ),
        ),
        r(
            Field::PublicRemark.zh(),
            "将在公示表“备注”列公开，不得填写电话、地址、身份证号等个人信息。".into(),
        ),
        r(Field::InternalNotes.zh(), "仅内部留存，任何公示文件都不会包含。".into()),
        r(
            SHEET_ITEMS,
            "每个检查事项的结果，可空：总体结果不是发现问题时按总体结果补全；是发现问题时，问题涉及的事项按总体结果、其余按“未发现问题”补全。".into(),
        ),
        r(
            SHEET_FINDINGS,
            "每个问题一行：违规类型填抽查事项清单中的事项编码；问题序号可空（按顺序编号）。问题描述不公开。".into(),
        ),
        r(
            SHEET_POINTS,
            "驾照式记分：对相关人员按问题记 1–12 分；问题序号在该任务只有一个问题时可空。人员编码填医保相关人员代码，不要填身份证号。一个自然年度累计 9 分暂停医保支付资格 1–6 个月，12 分终止。".into(),
        ),
    ]
}

#[cfg(test)]
pub(crate) mod tests {
    use std::sync::Mutex;

    use super::*;
    use crate::app::Clock;

    /// `load_demo` writes its files to a directory named after the process: one at a time.
    static DEMO: Mutex<()> = Mutex::new(());

    fn at(date: &str) -> Clock {
        Clock::Fixed(
            NaiveDate::parse_from_str(date, "%Y-%m-%d")
                .unwrap()
                .and_hms_opt(9, 30, 0)
                .unwrap(),
        )
    }

    /// The demo data, plan 1 frozen and drawn on 2026-03-02.
    pub(crate) fn drawn() -> Service {
        let mut svc = Service::in_memory().unwrap().with_clock(at("2026-03-02"));
        {
            let _g = DEMO.lock().unwrap_or_else(|e| e.into_inner());
            svc.load_demo(false).unwrap();
        }
        svc.freeze_plan(1).unwrap();
        svc.draw_plan(1, "1", None).unwrap();
        svc
    }

    fn violation(svc: &Service, seq: u32) -> TaskResultInput {
        let p = svc.drawn_plan(1).unwrap();
        let item = p.current(seq).unwrap().items[0].clone();
        TaskResultInput {
            check_date: "2026-03-10".into(),
            category: "发现问题已责令整改".into(),
            measures: "约谈、责令改正、追回、行政处罚".into(),
            recovered: "1,000.50".into(),
            fine: "2000".into(),
            rectify_by: "2026-04-10".into(),
            findings: vec![FindingInput {
                item,
                description: "串换药品".into(),
                amount: "1000.50".into(),
                ..Default::default()
            }],
            points: vec![PointsInput {
                name: "张医生".into(),
                code: "D450102000123".into(),
                points: "6".into(),
                ..Default::default()
            }],
            ..Default::default()
        }
    }

    #[test]
    fn save_read_and_follow_up() {
        let mut svc = drawn().with_clock(at("2026-03-12"));
        assert!(svc.task_result(1, 1).unwrap().is_none());
        let blank = svc.task_result_input(1, 1).unwrap();
        assert!(!blank.item_results.is_empty());
        assert_eq!(
            svc.save_task_result(1, 1, &violation(&svc, 1)).unwrap().unwrap(),
            Upserted::Added
        );
        assert_eq!(
            svc.save_task_result(1, 1, &violation(&svc, 1)).unwrap().unwrap(),
            Upserted::Unchanged
        );
        let r = svc.task_result(1, 1).unwrap().unwrap();
        assert_eq!((r.recovered_fen, r.fine_fen), (100_050, 200_000));
        // A bad form is refused with located issues and nothing is written.
        let mut bad = violation(&svc, 2);
        bad.recovered = "12.345".into();
        let issues = svc.save_task_result(1, 2, &bad).unwrap().unwrap_err();
        assert_eq!((issues[0].part, issues[0].field), (Part::Main, Field::Recovered));
        assert!(svc.task_result(1, 2).unwrap().is_none());
        // Second person, second task: 6 + 6 = 12 points for the same 人员编码 → terminate.
        svc.save_task_result(1, 2, &violation(&svc, 2)).unwrap().unwrap();
        let people = svc.points_by_person(2026).unwrap();
        assert_eq!(people.len(), 1);
        assert_eq!(people[0].total, 12);
        assert_eq!(people[0].qualification, Qualification::Terminate { years: 1 });
        assert!(svc.points_by_person(2025).unwrap().is_empty());

        let f = svc.followup(NaiveDate::from_ymd_opt(2026, 4, 20).unwrap()).unwrap();
        assert_eq!(f.rectifications.len(), 2);
        assert!(f.rectifications[0].overdue());
        assert_eq!(f.publications.len(), 2);
        // Completed 2026-03-10 (Tuesday): 20 working days → 2026-04-07, overdue by 20 April.
        assert_eq!(f.publications[0].due, NaiveDate::from_ymd_opt(2026, 4, 7).unwrap());
        assert!(f.publications[0].overdue());
        assert_eq!(f.flagged_persons.len(), 1);
        assert_eq!(f.repeat_offenders.len(), 2);

        let st = svc.result_stats(StatsScope::Plan(1)).unwrap();
        assert_eq!(st.recorded, 2);
        assert_eq!(st.recovered_fen, 200_100);
        assert_eq!(st.fine_fen, 400_000);
        assert_eq!(
            st.per_category
                .iter()
                .find(|(c, _)| c == "发现问题已责令整改")
                .unwrap()
                .1,
            2
        );
        assert_eq!(st.persons_scored, 1);
        assert_eq!(svc.result_stats(StatsScope::Year(2026)).unwrap().recorded, 2);

        // Clearing needs a reason and is logged.
        assert!(svc.clear_task_result(1, 2, None, " ").is_err());
        assert!(svc.clear_task_result(1, 2, None, "录错任务").unwrap());
        assert!(svc.task_result(1, 2).unwrap().is_none());
        let log = audit::recent(svc.store.conn(), 5).unwrap();
        assert_eq!(log[0].action, "result.clear");
        assert!(log.iter().any(|e| e.action == "result.save"));
        assert_eq!(audit::verify_chain(svc.store.conn()).unwrap().map(|_| ()), Ok(()));
    }

    #[test]
    fn repeat_offenders_escalate_in_the_next_freeze_and_are_logged() {
        let mut svc = drawn().with_clock(at("2026-03-12"));
        svc.save_task_result(1, 1, &violation(&svc, 1)).unwrap().unwrap();
        let offender = svc.drawn_plan(1).unwrap().current(1).unwrap().institution.clone();
        let set = svc.repeat_offender_list(svc.now().date()).unwrap();
        assert_eq!(set[0].institution, offender);
        // Outside the window it no longer counts.
        let later = NaiveDate::from_ymd_opt(2028, 3, 11).unwrap();
        assert!(svc.repeat_offender_list(later).unwrap().is_empty());
        let id = svc
            .create_plan(&crate::app::demo::DEMO_PLAN.replace("第一批", "第二批"))
            .unwrap();
        let report = svc.freeze_plan(id).unwrap();
        assert_eq!(report.exclusions.escalated, 1);
        let log = audit::recent(svc.store.conn(), 1).unwrap();
        assert_eq!(log[0].action, "plan.freeze");
        assert!(log[0].details.contains("escalated=1"), "{}", log[0].details);
        assert!(log[0].details.contains(&offender), "{}", log[0].details);
    }

    #[test]
    fn redraw_is_refused_once_results_exist() {
        let mut svc = drawn().with_clock(at("2026-03-12"));
        svc.save_task_result(1, 1, &violation(&svc, 1)).unwrap().unwrap();
        let e = svc.draw_plan(1, "2", Some("重抽")).unwrap_err();
        assert!(format!("{e:#}").contains("不能重新抽取"), "{e:#}");
    }

    #[test]
    fn replaced_institutions_keep_their_result() {
        let mut svc = drawn().with_clock(at("2026-03-12"));
        let first = svc.drawn_plan(1).unwrap().current(3).unwrap().institution.clone();
        let gone = TaskResultInput {
            check_date: "2026-03-05".into(),
            category: "注销".into(),
            public_remark: "经核实已注销".into(),
            ..Default::default()
        };
        svc.save_task_result(1, 3, &gone).unwrap().unwrap();
        svc.replace_task(1, 3, "注销").unwrap();
        let rows: Vec<ResultRow> = svc
            .plan_results(1)
            .unwrap()
            .into_iter()
            .filter(|r| r.seq == 3)
            .collect();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].institution, first);
        assert!(!rows[0].current && rows[0].stored.is_some());
        assert!(rows[1].current && rows[1].stored.is_none());
        assert!(svc.task_result(1, 3).unwrap().is_none());
    }

    #[test]
    fn results_need_a_drawn_plan() {
        let mut svc = Service::in_memory().unwrap().with_clock(at("2026-03-02"));
        {
            let _g = DEMO.lock().unwrap_or_else(|e| e.into_inner());
            svc.load_demo(false).unwrap();
        }
        let e = svc.save_task_result(1, 1, &TaskResultInput::default()).unwrap_err();
        assert!(e.to_string().contains("尚未抽取"), "{e}");
    }

    #[test]
    fn sheet_round_trip_and_all_or_nothing() {
        let mut svc = drawn().with_clock(at("2026-03-12"));
        svc.save_task_result(1, 1, &violation(&svc, 1)).unwrap().unwrap();
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("tasks.xlsx");
        let n = svc.export_task_sheet(1, &p).unwrap();
        assert_eq!(n, svc.drawn_plan(1).unwrap().holders.len());
        // Re-importing the export changes nothing.
        let out = svc.import_results(&p, false).unwrap();
        assert!(out.errors.is_empty(), "{:?}", out.errors);
        assert_eq!((out.tasks, out.unchanged, out.added), (1, 1, 0));
        assert_eq!(out.skipped_blank, n - 1);
        // CSV of the main sheet with one good row and one bad row: nothing is written.
        let csv = dir.path().join("r.csv");
        let task2 = svc.drawn_plan(1).unwrap().current(2).unwrap().institution.clone();
        let task3 = svc.drawn_plan(1).unwrap().current(3).unwrap().institution.clone();
        std::fs::write(
            &csv,
            format!(
                "计划编号,任务序号,机构编码,检查日期,检查结果,追回金额(元)\n1,2,{task2},2026-03-10,未发现问题,\n1,3,{task3},2026-03-10,未发现问题,1.234\n"
            ),
        )
        .unwrap();
        let out = svc.import_results(&csv, false).unwrap();
        assert_eq!(out.errors.len(), 1, "{:?}", out.errors);
        let text: Vec<String> = out.errors.iter().map(|e| e.text(Lang::Zh)).collect();
        assert!(
            text.iter().any(|t| t.starts_with("r.csv 第 3 行「追回金额(元)」")),
            "{text:?}"
        );
        assert!(svc.task_result(1, 2).unwrap().is_none());
        // Fixed, it goes in.
        std::fs::write(
            &csv,
            format!("计划编号,任务序号,机构编码,检查日期,检查结果\n1,2,{task2},2026-03-10,未发现问题\n"),
        )
        .unwrap();
        let out = svc.import_results(&csv, false).unwrap();
        assert!(out.errors.is_empty(), "{:?}", out.errors);
        assert_eq!(out.added, 1);
        assert!(svc.task_result(1, 2).unwrap().is_some());
        // A wrong institution for a task is named.
        std::fs::write(
            &csv,
            format!("计划编号,任务序号,机构编码,检查日期,检查结果\n1,2,{task3},2026-03-10,未发现问题\n"),
        )
        .unwrap();
        let out = svc.import_results(&csv, true).unwrap();
        assert!(out.errors[0].text(Lang::Zh).contains(&task2), "{:?}", out.errors);
    }
}
