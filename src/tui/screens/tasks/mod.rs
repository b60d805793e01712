//! The tasks tab: the tasks of the plan selected on the plans tab (replacements applied, then
//! the alternates), each with its result; the keys that replace a task, record or remove a
//! result, and export or import the result files. Loading is in `load`, drawing in `draw`.

mod draw;
mod load;

use std::collections::HashMap;

use ratatui::Frame;
use ratatui::layout::Rect;

use crate::app::plans::{PlanRow, PlanStatus, PlanView};
use crate::app::results::ResultRow;
use crate::app::rosters::RosterKind;
use crate::domain::CreditClass;
use crate::tui::action::Action;
use crate::tui::context::{Ctx, Effect};
use crate::tui::forms::TextField;
use crate::tui::keymap::Mode;
use crate::tui::popups::{PathPopup, PathPurpose, Popup, ReasonFor, ReplacePopup, info};
use crate::tui::result_form::ResultForm;
use crate::tui::screen::{Motion, Screen, row_at};
use crate::tui::text;
use crate::tui::view::layout;

/// One line of the task list: a drawn task (replacements applied) or an alternate.
#[derive(Debug, Clone)]
pub struct TaskLine {
    pub seq: u32,
    pub alternate: bool,
    pub class: CreditClass,
    pub rank: u32,
    pub institution: String,
    pub name: String,
    pub team: Vec<String>,
    /// The members' names, in `team` order.
    pub team_names: Vec<String>,
    pub items: Vec<String>,
    /// For a replaced task: the institution it replaced and the reason.
    pub replaced: Option<(String, String)>,
    /// For an alternate: whether it already replaced a task.
    pub used: bool,
    /// The result of the institution holding the task (plans with a draw only).
    pub result: Option<ResultRow>,
    /// Results of institutions that held the task before a replacement.
    pub earlier: Vec<ResultRow>,
    /// An open rectification past its deadline.
    pub rectification_overdue: bool,
    /// A recorded result not disclosed within the deadline.
    pub publication_overdue: bool,
}

impl TaskLine {
    /// The recorded category, if any.
    pub fn category(&self) -> Option<&str> {
        self.result
            .as_ref()
            .and_then(|r| r.stored.as_ref())
            .map(|s| s.result.category.as_str())
    }

    pub fn overdue(&self) -> bool {
        self.rectification_overdue || self.publication_overdue
    }
}

#[derive(Debug, Clone, Default)]
pub struct TasksState {
    pub lines: Vec<TaskLine>,
    pub selected: usize,
    pub offset: usize,
    pub detail: bool,
    /// The selected plan has a draw, so results can be recorded.
    pub results: bool,
    /// The widest result the list can show (the configured categories, "未录入"), so that the
    /// result column keeps its width whatever has been recorded.
    pub result_width: usize,
    /// The plan selected on the plans tab, whose tasks these are, and its view.
    pub plan: Option<PlanRow>,
    pub view: Option<PlanView>,
    /// How many plans there are (to switch with [ and ]).
    pub plans: usize,
}

impl TasksState {
    /// Where the data rows are drawn in `body` (drawing, paging and clicks share it).
    pub fn rows_area(&self, body: Rect) -> Rect {
        let (list, _) = layout::split_detail(body, self.detail);
        layout::data_rows(list, layout::TASKS_ABOVE)
    }

    /// How many task lines the list shows at this size.
    pub fn rows(&self, size: (u16, u16)) -> usize {
        (self.rows_area(layout::areas(size).body).height as usize).max(1)
    }

    fn selected_line(&self) -> Option<&TaskLine> {
        self.lines.get(self.selected)
    }

    /// The keys that concern results: the plan must have a draw.
    fn results_key(&mut self, action: Action, cx: &mut Ctx) {
        let plan = self.plan.as_ref().map(|p| p.id);
        if action == Action::ImportResults {
            let name = plan.map(|id| format!("tasks-plan-{id}.xlsx")).unwrap_or_default();
            return path_popup(PathPurpose::ImportResults, name, cx);
        }
        let Some(plan) = plan else {
            return cx.error(cx.t("没有计划：先在“抽查计划”页新建", "no plan: create one on the Plans tab"));
        };
        if !self.results {
            return cx.error(cx.t(
                "该计划尚未抽取：抽取后才能登记和公示检查结果",
                "this plan has not been drawn: results come after the draw",
            ));
        }
        match action {
            Action::RecordResult => self.open_result_form(plan, cx),
            Action::ClearResult => {
                let Some(line) = self.selected_line() else {
                    return;
                };
                if line.category().is_none() {
                    return cx.error(cx.t("该任务没有检查结果", "this task has no result"));
                }
                cx.push(Effect::Open(Popup::Replace(ReplacePopup {
                    purpose: ReasonFor::ClearResult,
                    plan_id: plan,
                    seq: line.seq,
                    institution: format!("{} {}", line.institution, line.name),
                    reason: TextField::default(),
                    error: None,
                })));
            }
            Action::ExportDisclosure => path_popup(
                PathPurpose::Disclosure(plan),
                format!("disclosure-plan-{plan}.xlsx"),
                cx,
            ),
            Action::ExportTaskSheet => path_popup(PathPurpose::TaskSheet(plan), format!("tasks-plan-{plan}.xlsx"), cx),
            _ => {}
        }
    }

    fn open_result_form(&self, plan: i64, cx: &mut Ctx) {
        let Some(line) = self.selected_line().cloned() else {
            return;
        };
        if line.alternate {
            return cx.error(cx.t(
                "候补机构不是任务：需要时先按 x 用候补替换任务",
                "an alternate is not a task: replace a task with x first",
            ));
        }
        let read = cx
            .svc
            .task_result_input(plan, line.seq)
            .and_then(|input| Ok((input, cx.svc.result_check(plan, line.seq)?)));
        match read {
            Ok((input, check)) => {
                let names: HashMap<String, String> = input
                    .item_results
                    .iter()
                    .map(|r| (r.item.clone(), cx.name_of(RosterKind::Items, &r.item)))
                    .collect();
                let existing = line.category().is_some();
                let form = ResultForm::new(check, line.name, input, existing, &names);
                cx.push(Effect::OpenResultForm(Box::new(form)));
                cx.clear_status();
            }
            Err(e) => cx.error(format!("{e:#}")),
        }
    }
}

fn path_popup(purpose: PathPurpose, name: String, cx: &mut Ctx) {
    cx.push(Effect::Open(Popup::Path(PathPopup::new(purpose, name))));
}

impl Screen for TasksState {
    fn mode(&self) -> Mode {
        Mode::Tasks
    }

    fn update(&mut self, action: Action, cx: &mut Ctx) {
        if let Some(m) = Motion::of(&action) {
            self.selected = m.target(self.selected, self.lines.len(), self.rows(cx.size));
            return self.scroll(cx.size);
        }
        match action {
            Action::ToggleDetail => {
                self.detail = !self.detail;
                self.scroll(cx.size);
            }
            Action::ReplaceTask => {
                let Some(p) = self.plan.clone() else { return };
                if p.status != PlanStatus::Drawn {
                    return cx.error(cx.t(
                        "只有已抽取、未公示的计划可以替换任务",
                        "only a drawn, unpublished plan can have tasks replaced",
                    ));
                }
                let Some(line) = self.selected_line().cloned() else {
                    return;
                };
                if line.alternate {
                    return cx.error(cx.t("请选择一个正式任务（不是候补）", "select a task, not an alternate"));
                }
                cx.push(Effect::Open(Popup::Replace(ReplacePopup {
                    purpose: ReasonFor::Replace,
                    plan_id: p.id,
                    seq: line.seq,
                    institution: format!("{} {}", line.institution, line.name),
                    reason: TextField::default(),
                    error: None,
                })));
            }
            Action::ExportAudit => {
                let Some(p) = &self.plan else { return };
                path_popup(PathPurpose::Audit(p.id), format!("audit-plan-{}.json", p.id), cx);
            }
            Action::PrevPlan => cx.push(Effect::CyclePlan(-1)),
            Action::NextPlan => cx.push(Effect::CyclePlan(1)),
            Action::ShowFollowup => info::open_followup(cx),
            Action::RecordResult
            | Action::ClearResult
            | Action::ExportDisclosure
            | Action::ExportTaskSheet
            | Action::ImportResults => self.results_key(action, cx),
            _ => {}
        }
    }

    fn draw(&self, frame: &mut Frame, area: Rect, cx: &Ctx) {
        self.draw_in(frame, area, cx);
    }

    fn click(&mut self, x: u16, y: u16, area: Rect, _cx: &mut Ctx) {
        if let Some(idx) = row_at(x, y, self.rows_area(area), self.offset)
            && idx < self.lines.len()
        {
            self.selected = idx;
        }
    }

    fn position(&self, cx: &Ctx) -> Option<String> {
        let (x, y) = (self.selected + 1, self.lines.len());
        Some(text::row_of(cx.lang, if y == 0 { 0 } else { x }, y))
    }
}
