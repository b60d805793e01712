//! Loading the task lines of the selected plan: replacements applied, alternates after the
//! tasks, each with its result and its overdue flags.

use std::collections::{BTreeSet, HashMap};

use super::{TaskLine, TasksState};
use crate::app::plans::{PlanStatus, TaskRow};
use crate::app::results::ResultRow;
use crate::app::rosters::RosterKind;
use crate::tui::context::Ctx;
use crate::tui::forms::width;
use crate::tui::screens::plans::PlansState;
use crate::tui::text;

impl TasksState {
    /// Loads the task lines of the selected plan with their results.
    pub fn load(&mut self, plans: &PlansState, cx: &mut Ctx) {
        self.plan = plans.selected_plan().cloned();
        self.view = plans.view.clone();
        self.plans = plans.list.len();
        let Some(view) = self.view.clone() else {
            self.lines.clear();
            self.results = false;
            return;
        };
        // Results exist for plans with a draw; overdue flags come from the follow-up lists.
        let drawn = matches!(
            view.plan.status,
            PlanStatus::Drawn | PlanStatus::Published | PlanStatus::Closed
        ) && view.current_draw().is_some();
        let mut results: HashMap<u32, Vec<ResultRow>> = HashMap::new();
        if drawn {
            match cx.svc.plan_results(view.plan.id) {
                Ok(rows) => {
                    for r in rows {
                        results.entry(r.seq).or_default().push(r);
                    }
                }
                Err(e) => cx.error(e),
            }
        }
        let (mut rect_overdue, mut pub_overdue) = (BTreeSet::new(), BTreeSet::new());
        if results.values().flatten().any(|r| r.stored.is_some()) {
            match cx.svc.followup(cx.svc.now().date()) {
                Ok(f) => {
                    for r in f.rectifications.iter().filter(|r| r.overdue()) {
                        if r.at.plan_id == view.plan.id {
                            rect_overdue.insert((r.at.seq, r.at.institution.clone()));
                        }
                    }
                    for p in f.publications.iter().filter(|p| p.overdue()) {
                        if p.at.plan_id == view.plan.id {
                            pub_overdue.insert((p.at.seq, p.at.institution.clone()));
                        }
                    }
                }
                Err(e) => cx.error(e),
            }
        }
        let mut lines = Vec::new();
        for (t, from) in view.effective_tasks() {
            let replaced = from.map(|f| {
                let reason = view
                    .adjustments
                    .iter()
                    .rev()
                    .find(|a| a.task_seq == t.seq)
                    .map(|a| a.reason.clone())
                    .unwrap_or_default();
                (f, reason)
            });
            let mut line = self.task_line(t, false, replaced, cx);
            let mut rows = results.remove(&line.seq).unwrap_or_default();
            if let Some(k) = rows.iter().position(|r| r.current) {
                line.result = Some(rows.remove(k));
            }
            line.earlier = rows;
            let key = (line.seq, line.institution.clone());
            line.rectification_overdue = rect_overdue.contains(&key);
            line.publication_overdue = pub_overdue.contains(&key);
            lines.push(line);
        }
        for t in view.tasks.iter().filter(|t| t.alternate) {
            let used = view.adjustments.iter().any(|a| a.replacement == t.institution);
            let mut line = self.task_line(t.clone(), true, None, cx);
            line.used = used;
            lines.push(line);
        }
        self.lines = lines;
        self.results = drawn;
        let rules = cx.svc.result_rules();
        let not_recorded = text::NOT_RECORDED.get(cx.lang);
        self.result_width = rules
            .categories
            .iter()
            .map(|c| width(c))
            .chain([width(not_recorded)])
            .max()
            .unwrap_or(0);
        if self.selected >= self.lines.len() {
            self.selected = self.lines.len().saturating_sub(1);
        }
        self.scroll(cx.size);
    }

    fn task_line(&self, t: TaskRow, alternate: bool, replaced: Option<(String, String)>, cx: &mut Ctx) -> TaskLine {
        let name = cx.name_of(RosterKind::Institutions, &t.institution);
        let team_names = t.team.iter().map(|id| cx.name_of(RosterKind::Inspectors, id)).collect();
        TaskLine {
            seq: t.seq,
            alternate,
            class: t.class,
            rank: t.rank,
            institution: t.institution,
            name,
            team: t.team,
            team_names,
            items: t.items,
            replaced,
            used: false,
            result: None,
            earlier: vec![],
            rectification_overdue: false,
            publication_overdue: false,
        }
    }

    /// Keeps the selected task on screen.
    pub fn scroll(&mut self, size: (u16, u16)) {
        let rows = self.rows(size);
        let st = self;
        if st.selected < st.offset {
            st.offset = st.selected;
        } else if st.selected >= st.offset + rows {
            st.offset = st.selected + 1 - rows;
        }
    }
}
