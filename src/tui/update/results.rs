//! Results in the terminal UI: the results form of a task, choosing values, removing a result,
//! the disclosure and task-sheet exports, the results import and the follow-up lists.

use std::collections::HashMap;

use crate::app::rosters::RosterKind;
use crate::tui::action::Action;
use crate::tui::app::*;
use crate::tui::context::Effect;
use crate::tui::forms::TextField;

/// The keys of the tasks (and statistics) tab that concern results.
pub(super) fn tasks_action(app: &mut App, action: Action) {
    if action == Action::ShowFollowup {
        return match app.cx.svc.followup(app.cx.svc.now().date()) {
            Ok(f) => {
                app.popup = Some(Popup::Followup {
                    data: Box::new(f),
                    scroll: 0,
                })
            }
            Err(e) => app.cx.error(format!("{e:#}")),
        };
    }
    let plan = app.selected_plan().map(|p| p.id);
    if action == Action::ImportResults {
        let name = plan.map(|id| format!("tasks-plan-{id}.xlsx")).unwrap_or_default();
        return path_popup(app, PathPurpose::ImportResults, name);
    }
    let Some(plan) = plan else {
        return app.cx.error(
            app.cx
                .t("没有计划：先在“抽查计划”页新建", "no plan: create one on the Plans tab"),
        );
    };
    if !app.tasks.results {
        return app.cx.error(app.cx.t(
            "该计划尚未抽取：抽取后才能登记和公示检查结果",
            "this plan has not been drawn: results come after the draw",
        ));
    }
    match action {
        Action::RecordResult => open_form(app, plan),
        Action::ClearResult => {
            let Some(line) = app.tasks.lines.get(app.tasks.selected) else {
                return;
            };
            if line.category().is_none() {
                return app.cx.error(app.cx.t("该任务没有检查结果", "this task has no result"));
            }
            app.popup = Some(Popup::Replace(ReplacePopup {
                purpose: ReasonFor::ClearResult,
                plan_id: plan,
                seq: line.seq,
                institution: format!("{} {}", line.institution, line.name),
                reason: TextField::default(),
                error: None,
            }));
        }
        Action::ExportDisclosure => path_popup(
            app,
            PathPurpose::Disclosure(plan),
            format!("disclosure-plan-{plan}.xlsx"),
        ),
        Action::ExportTaskSheet => path_popup(app, PathPurpose::TaskSheet(plan), format!("tasks-plan-{plan}.xlsx")),
        _ => {}
    }
}

fn path_popup(app: &mut App, purpose: PathPurpose, name: String) {
    app.popup = Some(Popup::Path(PathPopup {
        purpose,
        field: TextField::new(name),
        candidates: vec![],
        error: None,
    }));
}

fn open_form(app: &mut App, plan: i64) {
    let Some(line) = app.tasks.lines.get(app.tasks.selected).cloned() else {
        return;
    };
    if line.alternate {
        return app.cx.error(app.cx.t(
            "候补机构不是任务：需要时先按 x 用候补替换任务",
            "an alternate is not a task: replace a task with x first",
        ));
    }
    let read = app
        .svc
        .task_result_input(plan, line.seq)
        .and_then(|input| Ok((input, app.cx.svc.result_check(plan, line.seq)?)));
    match read {
        Ok((input, check)) => {
            let names: HashMap<String, String> = input
                .item_results
                .iter()
                .map(|r| (r.item.clone(), app.name_of(RosterKind::Items, &r.item)))
                .collect();
            let existing = line.category().is_some();
            let form = ResultForm::new(check, line.name, input, existing, &names);
            app.cx.push(Effect::OpenResultForm(Box::new(form)));
            app.clear_status();
        }
        Err(e) => app.cx.error(format!("{e:#}")),
    }
}
