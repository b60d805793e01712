//! `update(&mut App, Action)`: the only place where the state changes and the app layer is
//! called to read or write data.

mod results;

use super::action::Action;
use super::app::*;
use super::context::Effect;
use super::forms::TextField;
use super::text::{self, Lang};
use super::view::layout;
use crate::app::plans::FreezeReport;
use crate::app::rosters::RosterKind;

pub fn update(app: &mut App, action: Action) {
    route(app, action);
    app.apply_effects();
}

fn route(app: &mut App, action: Action) {
    match action {
        Action::Resize(w, h) => {
            app.size = (w, h);
            // A roster waiting for typing to pause stays waiting (`Idle` loads it).
            if let Some((i, _)) = app.tab.roster()
                && !app.rosters[i].stale
            {
                app.load_roster(i);
            }
            app.scroll_tasks();
            if let Some(ed) = &mut app.editor {
                ed.resize(&app.cx);
            }
            if let Some(f) = &mut app.result_form {
                f.scroll_to_screen(&app.cx);
            }
            return;
        }
        Action::Tick => {
            if app.refresh_if_changed()
                && let Some(ed) = &mut app.editor
            {
                ed.update_preview(&app.cx);
            }
            return;
        }
        // Help over anything but another popup, which it would replace.
        Action::Help if app.popup.is_none() => {
            app.popup = Some(Popup::Help {
                mode: app.mode(),
                scroll: 0,
            });
            return;
        }
        Action::Idle => return app.idle(),
        Action::Poll => return app.poll(),
        Action::Click { x, y } => return click(app, x, y),
        _ => {}
    }
    if let Some(p) = &mut app.popup {
        return p.update(action, &mut app.cx);
    }
    if let Some(f) = &mut app.result_form {
        return f.update(action, &mut app.cx);
    }
    if let Some(ed) = &mut app.editor {
        return ed.update(action, &mut app.cx);
    }
    if let Some(f) = &mut app.form {
        return f.update(action, &mut app.cx);
    }
    match app.mode() {
        Mode::Filter => filter(app, action),
        _ => browse(app, action),
    }
}

#[derive(Debug, Clone, Copy)]
enum Motion {
    By(isize),
    Page(isize),
    Top,
    Bottom,
}

fn target(cur: usize, len: usize, page: usize, m: Motion) -> usize {
    if len == 0 {
        return 0;
    }
    let t = match m {
        Motion::By(d) => cur as isize + d,
        Motion::Page(d) => cur as isize + d * page.max(1) as isize,
        Motion::Top => 0,
        Motion::Bottom => len as isize - 1,
    };
    t.clamp(0, len as isize - 1) as usize
}

fn move_selection(app: &mut App, m: Motion) {
    match app.tab {
        Tab::Items | Tab::Institutions | Tab::Inspectors => {
            let (i, _) = app.tab.roster().expect("roster tab");
            if app.rosters[i].stale {
                app.load_roster(i);
            }
            let rows = app.roster_rows(i);
            if matches!(m, Motion::Bottom) {
                app.count_roster_exactly(i);
            }
            let st = &mut app.rosters[i];
            st.selected = target(st.selected, st.count, rows, m);
            app.load_roster(i);
        }
        Tab::Plans => {
            let rows = app.plan_rows();
            let new = target(app.plans.selected, app.plans.list.len(), rows, m);
            if new != app.plans.selected {
                app.plans.selected = new;
                app.tasks.selected = 0;
                app.load_plan_view();
            }
        }
        Tab::Tasks => {
            let rows = app.task_rows();
            app.tasks.selected = target(app.tasks.selected, app.tasks.lines.len(), rows, m);
            app.scroll_tasks();
        }
        Tab::Stats => {}
    }
}

fn browse(app: &mut App, action: Action) {
    let lang = app.cx.lang;
    match action {
        Action::Quit => app.quit = true,
        Action::ScrollUp => move_selection(app, Motion::By(-3)),
        Action::ScrollDown => move_selection(app, Motion::By(3)),
        Action::NextTab => app.switch_tab(Tab::from_index(app.tab.index() + 1)),
        Action::PrevTab => app.switch_tab(Tab::from_index(app.tab.index() + Tab::ALL.len() - 1)),
        Action::GoTab(i) => app.switch_tab(Tab::from_index(i)),
        Action::Up => move_selection(app, Motion::By(-1)),
        Action::Down => move_selection(app, Motion::By(1)),
        Action::PageUp => move_selection(app, Motion::Page(-1)),
        Action::PageDown => move_selection(app, Motion::Page(1)),
        Action::Top => move_selection(app, Motion::Top),
        Action::Bottom => move_selection(app, Motion::Bottom),
        Action::ToggleDetail => match app.tab.roster() {
            Some((i, _)) => {
                app.rosters[i].detail = !app.rosters[i].detail;
                app.load_roster(i);
            }
            None if app.tab == Tab::Plans => app.plans.detail = !app.plans.detail,
            None if app.tab == Tab::Tasks => {
                app.tasks.detail = !app.tasks.detail;
                app.scroll_tasks();
            }
            None => {}
        },
        Action::LoadDemo => match app.cx.svc.load_demo(false) {
            Ok(out) => {
                app.refresh();
                let n: usize = out.imports.iter().map(|(_, o)| o.added).sum();
                app.cx.info(match lang {
                    Lang::Zh => format!("已加载示例数据：{n} 条名录记录，草稿计划 #{}", out.plan_id),
                    Lang::En => format!("example data loaded: {n} roster records, draft plan #{}", out.plan_id),
                });
            }
            Err(e) => app.cx.error(e),
        },
        Action::Import => {
            let kind = app.tab.roster().map(|(_, k)| k).unwrap_or(RosterKind::Items);
            app.popup = Some(Popup::Path(PathPopup {
                purpose: PathPurpose::Import(kind),
                field: TextField::default(),
                candidates: vec![],
                error: None,
            }));
        }
        Action::Export => {
            if let Some((_, kind)) = app.tab.roster() {
                let field = TextField::new(format!("{}.xlsx", kind.en()));
                app.popup = Some(Popup::Path(PathPopup {
                    purpose: PathPurpose::Export(kind),
                    field,
                    candidates: vec![],
                    error: None,
                }));
            }
        }
        Action::StartFilter => {
            if let Some((i, _)) = app.tab.roster() {
                app.rosters[i].filtering = true;
                app.rosters[i].filter.end();
            }
        }
        Action::ClearFilter => {
            if let Some((i, _)) = app.tab.roster()
                && !app.rosters[i].filter.is_empty()
            {
                app.rosters[i].filter.clear();
                reset_roster(app, i);
            }
        }
        Action::CycleSort | Action::ToggleSortDir | Action::ToggleInactive => {
            if let Some((i, _)) = app.tab.roster() {
                let st = &mut app.rosters[i];
                match action {
                    Action::CycleSort => st.sort = (st.sort + 1) % st.page.headers.len().max(1),
                    Action::ToggleSortDir => st.descending = !st.descending,
                    _ => {
                        st.include_inactive = !st.include_inactive;
                        // Rows never measured (statuses such as 解除协议) come in.
                        st.remeasure = true;
                    }
                }
                let header = text::headers(st.kind, lang).get(st.sort).copied().unwrap_or("");
                let dir = if st.descending { "↓" } else { "↑" };
                let msg = match action {
                    Action::ToggleInactive if st.include_inactive => {
                        text::Txt("显示已停用的记录", "showing inactive records")
                            .get(lang)
                            .to_string()
                    }
                    Action::ToggleInactive => text::Txt("隐藏已停用的记录", "hiding inactive records")
                        .get(lang)
                        .to_string(),
                    _ => format!("{}{}{header} {dir}", text::SORT.get(lang), text::colon(lang)),
                };
                reset_roster(app, i);
                app.cx.info(msg);
            }
        }
        Action::AddRecord => {
            if let Some((_, kind)) = app.tab.roster() {
                app.cx.push(Effect::OpenRecordForm { kind, edit: None });
            }
        }
        Action::EditRecord => {
            let Some((i, kind)) = app.tab.roster() else { return };
            let Some(key) = app.rosters[i].selected_row().map(|(c, _)| c[0].clone()) else {
                return;
            };
            match app.cx.svc.roster_record(kind, &key) {
                Ok(Some(cells)) => app.cx.push(Effect::OpenRecordForm {
                    kind,
                    edit: Some((key, cells)),
                }),
                Ok(None) => app
                    .cx
                    .error(format!("{} {key}", app.cx.t("记录不存在：", "no such record:"))),
                Err(e) => app.cx.error(e),
            }
        }
        Action::Deactivate => {
            let Some((i, kind)) = app.tab.roster() else { return };
            if let Some((cells, active)) = app.rosters[i].selected_row() {
                let (key, name) = (cells[0].clone(), cells.get(1).cloned().unwrap_or_default());
                app.popup = Some(Popup::Confirm(ConfirmKind::SetActive {
                    kind,
                    key,
                    name,
                    activate: !active,
                }));
            }
        }
        Action::NewPlan => {
            app.cx.push(Effect::OpenEditor {
                plan_id: None,
                text: crate::app::demo::DEMO_PLAN.to_string(),
            });
        }
        Action::EditPlan => {
            let Some(p) = app.selected_plan().cloned() else { return };
            if p.status != PlanStatus::Draft {
                return app.cx.error(app.cx.t(
                    "只能编辑草稿状态的计划（冻结后不能修改）",
                    "only a draft plan can be edited (frozen plans cannot change)",
                ));
            }
            app.cx.push(Effect::OpenEditor {
                plan_id: Some(p.id),
                text: p.text_to_edit().to_string(),
            });
        }
        Action::Freeze => {
            let Some(p) = app.selected_plan().cloned() else { return };
            if p.status != PlanStatus::Draft {
                return app
                    .cx
                    .error(app.cx.t("只能冻结草稿状态的计划", "only a draft plan can be frozen"));
            }
            app.popup = Some(Popup::Confirm(ConfirmKind::Freeze {
                plan_id: p.id,
                title: p.title,
            }));
        }
        Action::Draw => {
            let Some(p) = app.selected_plan().cloned() else { return };
            let redraw = match p.status {
                PlanStatus::Frozen => false,
                PlanStatus::Drawn => true,
                PlanStatus::Draft => {
                    return app.cx.error(app.cx.t(
                        "计划尚未冻结：先按 f 冻结并公布输入摘要",
                        "the plan is not frozen: press f first",
                    ));
                }
                _ => {
                    return app.cx.error(app.cx.t(
                        "该计划已公示，不能再抽取",
                        "this plan is published and cannot be drawn again",
                    ));
                }
            };
            app.popup = Some(Popup::Draw(DrawPopup {
                plan_id: p.id,
                title: p.title,
                redraw,
                seed: TextField::default(),
                reason: TextField::default(),
                focus: 0,
                error: None,
            }));
        }
        Action::Publish => {
            let Some(p) = app.selected_plan().cloned() else { return };
            if p.status != PlanStatus::Drawn {
                return app.cx.error(
                    app.cx
                        .t("只有已抽取的计划可以公示", "only a drawn plan can be published"),
                );
            }
            app.popup = Some(Popup::Confirm(ConfirmKind::Publish {
                plan_id: p.id,
                title: p.title,
            }));
        }
        Action::ShowDigest => {
            let Some(view) = &app.plans.view else { return };
            match &view.frozen {
                Some(f) => {
                    let mut lines = vec![match lang {
                        Lang::Zh => format!("冻结于 {}，操作人 {}", f.frozen_at, f.frozen_by),
                        Lang::En => format!("frozen at {} by {}", f.frozen_at, f.frozen_by),
                    }];
                    match FreezeReport::parse(&f.inputs_digest, &f.report) {
                        Some(r) => lines.extend(r.lines(lang)),
                        // Written by another version: shown as stored.
                        None => lines.push(f.report.clone()),
                    }
                    app.popup = Some(Popup::Digest {
                        plan_id: view.plan.id,
                        digest: f.inputs_digest.clone(),
                        lines,
                        scroll: 0,
                    });
                }
                None => app.cx.error(app.cx.t(
                    "该计划尚未冻结，没有输入摘要",
                    "this plan is not frozen: no inputs digest yet",
                )),
            }
        }
        Action::ReplaceTask => {
            let Some(p) = app.selected_plan().cloned() else { return };
            if p.status != PlanStatus::Drawn {
                return app.cx.error(app.cx.t(
                    "只有已抽取、未公示的计划可以替换任务",
                    "only a drawn, unpublished plan can have tasks replaced",
                ));
            }
            let Some(line) = app.tasks.lines.get(app.tasks.selected).cloned() else {
                return;
            };
            if line.alternate {
                return app.cx.error(
                    app.cx
                        .t("请选择一个正式任务（不是候补）", "select a task, not an alternate"),
                );
            }
            app.popup = Some(Popup::Replace(ReplacePopup {
                purpose: ReasonFor::Replace,
                plan_id: p.id,
                seq: line.seq,
                institution: format!("{} {}", line.institution, line.name),
                reason: TextField::default(),
                error: None,
            }));
        }
        Action::ExportAudit => {
            let Some(p) = app.selected_plan().cloned() else { return };
            let field = TextField::new(format!("audit-plan-{}.json", p.id));
            app.popup = Some(Popup::Path(PathPopup {
                purpose: PathPurpose::Audit(p.id),
                field,
                candidates: vec![],
                error: None,
            }));
        }
        Action::PrevPlan | Action::NextPlan => {
            let n = app.plans.list.len();
            if n > 0 {
                let d = if action == Action::PrevPlan { n - 1 } else { 1 };
                app.plans.selected = (app.plans.selected + d) % n;
                app.tasks.selected = 0;
                app.tasks.offset = 0;
                app.load_plan_view();
            }
        }
        Action::RecordResult
        | Action::ClearResult
        | Action::ExportDisclosure
        | Action::ExportTaskSheet
        | Action::ImportResults
        | Action::ShowFollowup => results::tasks_action(app, action),
        _ => {}
    }
}

/// After a change of filter, sort or scope: back to the first row.
fn reset_roster(app: &mut App, i: usize) {
    let st = &mut app.rosters[i];
    st.selected = 0;
    st.offset = 0;
    st.stale = true;
    app.load_roster(i);
}

/// Typing in the filter. A roster whose last query was quick is queried on every keystroke; a
/// slow one (a very large roster) when typing pauses (`Action::Idle`), on Enter or on moving.
fn filter(app: &mut App, action: Action) {
    let Some((i, _)) = app.tab.roster() else { return };
    let f = &mut app.rosters[i].filter;
    let before = f.text.clone();
    match action {
        Action::Char(c) => f.insert(c),
        Action::Paste(s) => f.insert_str(&s),
        Action::Backspace => f.backspace(),
        Action::Delete => f.delete(),
        Action::Left => f.left(),
        Action::Right => f.right(),
        Action::LineStart => f.home(),
        Action::LineEnd => f.end(),
        Action::Up => return move_selection(app, Motion::By(-1)),
        Action::Down => return move_selection(app, Motion::By(1)),
        Action::Submit => {
            app.rosters[i].filtering = false;
            return app.load_roster(i);
        }
        Action::Cancel => {
            app.rosters[i].filtering = false;
            app.rosters[i].filter.clear();
        }
        _ => {}
    }
    if app.rosters[i].filter.text != before {
        let indexed = app.indexed(i);
        let st = &mut app.rosters[i];
        st.selected = 0;
        st.offset = 0;
        st.stale = true;
        // The in-memory search answers at once; the database when typing pauses, if it is slow.
        if indexed || st.last_query < app.cx.sync_query || !st.filtering {
            app.load_roster(i);
        }
    }
}

fn click(app: &mut App, x: u16, y: u16) {
    if app.popup.is_some() || app.editor.is_some() || app.form.is_some() || app.result_form.is_some() {
        return;
    }
    let areas = layout::areas(app.size);
    if y == areas.tabs.y {
        if let Some(i) = layout::tab_ranges(app.cx.lang, app.size.0)
            .iter()
            .position(|(a, b, _)| x >= *a && x < *b)
        {
            if let Some((r, _)) = app.tab.roster() {
                app.rosters[r].filtering = false;
            }
            app.switch_tab(Tab::from_index(i));
        }
        return;
    }
    if app.empty {
        return;
    }
    let inside = |r: ratatui::layout::Rect| x >= r.x && x < r.x + r.width && y >= r.y && y < r.y + r.height;
    match app.tab.roster() {
        Some((i, _)) => {
            let (list, _) = layout::split_detail(areas.body, app.rosters[i].detail);
            let rows = layout::data_rows(list, layout::ROSTER_ABOVE);
            let st = &mut app.rosters[i];
            let idx = st.offset + (y.saturating_sub(rows.y)) as usize;
            if inside(rows) && !st.stale && idx < st.count {
                st.selected = idx;
                app.load_roster(i);
            }
        }
        None if app.tab == Tab::Plans => {
            let (list, _) = layout::split_plans(areas.body, app.plans.detail, app.plans.list.len());
            let rows = layout::data_rows(list, layout::PLANS_ABOVE);
            let first = app
                .plans
                .selected
                .saturating_sub(rows.height.saturating_sub(1) as usize);
            let idx = first + (y.saturating_sub(rows.y)) as usize;
            if inside(rows) && idx < app.plans.list.len() && idx != app.plans.selected {
                app.plans.selected = idx;
                app.load_plan_view();
            }
        }
        None if app.tab == Tab::Tasks => {
            let (list, _) = layout::split_detail(areas.body, app.tasks.detail);
            let rows = layout::data_rows(list, layout::TASKS_ABOVE);
            let idx = app.tasks.offset + (y.saturating_sub(rows.y)) as usize;
            if inside(rows) && idx < app.tasks.lines.len() {
                app.tasks.selected = idx;
            }
        }
        None => {}
    }
}
