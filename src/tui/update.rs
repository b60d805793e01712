//! `update(&mut App, Action)`: the only place where the state changes and the app layer is
//! called to read or write data.

mod results;

use std::path::{Path, PathBuf};

use super::action::Action;
use super::app::*;
use super::forms::TextField;
use super::text::{self, Lang};
use super::view::layout;
use crate::app::Service;
use crate::app::plans::FreezeReport;
use crate::app::rosters::{ImportOptions, RosterKind, Upserted};
pub use results::result_form_height;

pub fn update(app: &mut App, action: Action) {
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
                let h = editor_height(app.size);
                ed.area.scroll_to_cursor(h);
            }
            results::scroll_form(app);
            return;
        }
        Action::Tick => {
            if app.refresh_if_changed() {
                app.update_preview();
            }
            return;
        }
        // Help over a form, the filter or the editor (browse modes open it in `browse`); never
        // over another popup, which it would replace.
        Action::Help if app.popup.is_none() && !app.mode().is_browse() => {
            app.popup = Some(Popup::Help {
                mode: app.mode(),
                scroll: 0,
            });
            return;
        }
        Action::Idle => return app.idle(),
        Action::Poll => return app.poll(),
        Action::Click { x, y } => return click(app, x, y),
        Action::ScrollUp | Action::ScrollDown => {
            let up = action == Action::ScrollUp;
            return match app.mode() {
                Mode::Help | Mode::Info => update(app, if up { Action::Up } else { Action::Down }),
                Mode::Editor => {
                    if let Some(ed) = &mut app.editor {
                        if up {
                            ed.area.up(3)
                        } else {
                            ed.area.down(3)
                        }
                        let h = editor_height(app.size);
                        ed.area.scroll_to_cursor(h);
                    }
                }
                Mode::ResultForm => update(app, if up { Action::PrevField } else { Action::NextField }),
                Mode::Pick => update(app, if up { Action::Up } else { Action::Down }),
                m if m.is_browse() => move_selection(app, if up { Motion::By(-3) } else { Motion::By(3) }),
                _ => {}
            };
        }
        _ => {}
    }
    match app.mode() {
        Mode::Help => help(app, action),
        Mode::Confirm => confirm(app, action),
        Mode::Info => info(app, action),
        Mode::Input => input(app, action),
        Mode::Pick => results::pick(app, action),
        Mode::ResultForm => results::form(app, action),
        Mode::Editor => editor(app, action),
        Mode::Form => form(app, action),
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

fn switch_tab(app: &mut App, tab: Tab) {
    if app.tab != tab {
        app.status = None;
    }
    app.tab = tab;
    match tab.roster() {
        Some((i, _)) => app.load_roster(i),
        None if tab == Tab::Stats => {
            app.ensure_per_class();
            app.load_stats();
        }
        None => {
            if tab == Tab::Plans {
                app.ensure_per_class();
            }
            app.load_plans();
        }
    }
}

fn browse(app: &mut App, action: Action) {
    let lang = app.lang;
    match action {
        Action::Quit => app.quit = true,
        Action::Help => {
            app.popup = Some(Popup::Help {
                mode: app.mode(),
                scroll: 0,
            })
        }
        Action::NextTab => switch_tab(app, Tab::from_index(app.tab.index() + 1)),
        Action::PrevTab => switch_tab(app, Tab::from_index(app.tab.index() + Tab::ALL.len() - 1)),
        Action::GoTab(i) => switch_tab(app, Tab::from_index(i)),
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
        Action::LoadDemo => match app.svc.load_demo(false) {
            Ok(out) => {
                app.refresh();
                let n: usize = out.imports.iter().map(|(_, o)| o.added).sum();
                app.info(match lang {
                    Lang::Zh => format!("已加载示例数据：{n} 条名录记录，草稿计划 #{}", out.plan_id),
                    Lang::En => format!("example data loaded: {n} roster records, draft plan #{}", out.plan_id),
                });
            }
            Err(e) => app.error(e),
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
                app.info(msg);
            }
        }
        Action::AddRecord => {
            if let Some((_, kind)) = app.tab.roster() {
                let headers = text::headers(kind, lang);
                let fields = vec![TextField::default(); headers.len()];
                app.form = Some(RecordForm {
                    kind,
                    headers,
                    fields,
                    focus: 0,
                    errors: vec![],
                    key: None,
                });
            }
        }
        Action::EditRecord => {
            let Some((i, kind)) = app.tab.roster() else { return };
            let Some(key) = app.rosters[i].selected_row().map(|(c, _)| c[0].clone()) else {
                return;
            };
            match app.svc.roster_record(kind, &key) {
                Ok(Some(cells)) => {
                    let headers = text::headers(kind, lang);
                    let fields = headers
                        .iter()
                        .enumerate()
                        .map(|(j, _)| TextField::new(cells.get(j).cloned().unwrap_or_default()))
                        .collect();
                    app.form = Some(RecordForm {
                        kind,
                        headers,
                        fields,
                        focus: 1,
                        errors: vec![],
                        key: Some(key),
                    });
                }
                Ok(None) => app.error(format!("{} {key}", app.t("记录不存在：", "no such record:"))),
                Err(e) => app.error(e),
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
            open_editor(app, None, crate::app::demo::DEMO_PLAN);
        }
        Action::EditPlan => {
            let Some(p) = app.selected_plan().cloned() else { return };
            if p.status != PlanStatus::Draft {
                return app.error(app.t(
                    "只能编辑草稿状态的计划（冻结后不能修改）",
                    "only a draft plan can be edited (frozen plans cannot change)",
                ));
            }
            open_editor(app, Some(p.id), p.text_to_edit());
        }
        Action::Freeze => {
            let Some(p) = app.selected_plan().cloned() else { return };
            if p.status != PlanStatus::Draft {
                return app.error(app.t("只能冻结草稿状态的计划", "only a draft plan can be frozen"));
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
                    return app.error(app.t(
                        "计划尚未冻结：先按 f 冻结并公布输入摘要",
                        "the plan is not frozen: press f first",
                    ));
                }
                _ => {
                    return app.error(app.t(
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
                return app.error(app.t("只有已抽取的计划可以公示", "only a drawn plan can be published"));
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
                None => app.error(app.t(
                    "该计划尚未冻结，没有输入摘要",
                    "this plan is not frozen: no inputs digest yet",
                )),
            }
        }
        Action::ReplaceTask => {
            let Some(p) = app.selected_plan().cloned() else { return };
            if p.status != PlanStatus::Drawn {
                return app.error(app.t(
                    "只有已抽取、未公示的计划可以替换任务",
                    "only a drawn, unpublished plan can have tasks replaced",
                ));
            }
            let Some(line) = app.tasks.lines.get(app.tasks.selected).cloned() else {
                return;
            };
            if line.alternate {
                return app.error(app.t("请选择一个正式任务（不是候补）", "select a task, not an alternate"));
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
        if indexed || st.last_query < app.sync_query || !st.filtering {
            app.load_roster(i);
        }
    }
}

fn help(app: &mut App, action: Action) {
    let Some(Popup::Help { scroll, .. }) = &mut app.popup else {
        return;
    };
    match action {
        Action::Up => *scroll = scroll.saturating_sub(1),
        Action::Down => *scroll += 1,
        Action::PageUp => *scroll = scroll.saturating_sub(10),
        Action::PageDown => *scroll += 10,
        Action::Cancel => app.popup = None,
        _ => {}
    }
}

fn confirm(app: &mut App, action: Action) {
    let Some(Popup::Confirm(kind)) = app.popup.clone() else {
        return;
    };
    match action {
        Action::Cancel => app.popup = None,
        Action::Confirm => {
            app.popup = None;
            let lang = app.lang;
            match kind {
                ConfirmKind::Freeze { plan_id, .. } => match app.svc.freeze_plan(plan_id) {
                    Ok(r) => {
                        let lines = r.lines(lang);
                        app.load_plans();
                        app.info(format!("{} #{plan_id}", app.t("已冻结计划", "froze plan")));
                        app.popup = Some(Popup::Digest {
                            plan_id,
                            digest: r.inputs_digest,
                            lines,
                            scroll: 0,
                        });
                    }
                    Err(e) => message(
                        app,
                        app.t("冻结失败", "freeze failed").to_string(),
                        format!("{e:#}"),
                        true,
                    ),
                },
                ConfirmKind::Publish { plan_id, .. } => match app.svc.publish_plan(plan_id) {
                    Ok(()) => {
                        app.load_plans();
                        app.info(format!("{} #{plan_id}", app.t("已公示计划", "published plan")));
                    }
                    Err(e) => app.error(format!("{e:#}")),
                },
                ConfirmKind::DiscardResult => {
                    app.result_form = None;
                    app.info(app.t("已放弃未保存的修改", "changes discarded"));
                }
                ConfirmKind::SetActive {
                    kind, key, activate, ..
                } => match app.svc.set_record_active(kind, &key, activate) {
                    Ok(_) => {
                        app.refresh();
                        let msg = if activate {
                            app.t("已启用", "reactivated")
                        } else {
                            app.t("已停用", "deactivated")
                        };
                        app.info(format!("{msg} {key}"));
                    }
                    Err(e) => app.error(format!("{e:#}")),
                },
            }
        }
        _ => {}
    }
}

/// Opens a message popup; an error's text may span several lines.
fn message(app: &mut App, title: String, body: String, error: bool) {
    let lines = body.lines().map(String::from).collect();
    app.popup = Some(Popup::Message {
        title,
        lines,
        error,
        scroll: 0,
    });
}

fn info(app: &mut App, action: Action) {
    let Some(popup) = &mut app.popup else { return };
    let scroll = match popup {
        Popup::Digest { scroll, .. } | Popup::Message { scroll, .. } | Popup::Followup { scroll, .. } => scroll,
        Popup::ImportReview(r) => &mut r.scroll,
        Popup::ResultImport(r) => &mut r.scroll,
        _ => return,
    };
    match action {
        Action::Up => *scroll = scroll.saturating_sub(1),
        Action::Down => *scroll += 1,
        Action::PageUp => *scroll = scroll.saturating_sub(10),
        Action::PageDown => *scroll += 10,
        Action::Cancel => {
            if matches!(popup, Popup::ImportReview(_) | Popup::ResultImport(_)) {
                app.info(app.t("已取消导入，未写入任何数据", "import cancelled; nothing was written"));
            }
            app.popup = None;
        }
        Action::Submit => match app.popup.take() {
            Some(Popup::ImportReview(r)) if r.outcome.errors.is_empty() => commit_import(app, r),
            Some(Popup::ResultImport(r)) if r.outcome.errors.is_empty() => results::commit_import(app, r),
            Some(p @ (Popup::ImportReview(_) | Popup::ResultImport(_))) => {
                app.popup = Some(p);
                app.error(app.t(
                    "文件有错误，不能导入：请修改后重试（Esc 关闭）",
                    "the file has errors and cannot be imported (Esc closes)",
                ));
            }
            // Enter closes the other views.
            _ => {}
        },
        _ => {}
    }
}

fn commit_import(app: &mut App, r: ImportReview) {
    let opts = ImportOptions {
        dry_run: false,
        ..Default::default()
    };
    match app.svc.import_roster(r.kind, &r.path, &opts, &mut |_| {}) {
        Ok(out) if out.committed => {
            app.refresh();
            if let Some(tab) = Tab::ALL
                .into_iter()
                .find(|t| t.roster().is_some_and(|(_, k)| k == r.kind))
            {
                switch_tab(app, tab);
            }
            app.info(match app.lang {
                Lang::Zh => format!(
                    "已导入 {}：{} 行，新增 {}，更新 {}，未变 {}",
                    r.kind.zh(),
                    out.rows,
                    out.added,
                    out.updated,
                    out.unchanged
                ),
                Lang::En => format!(
                    "imported {}: {} rows, {} added, {} updated, {} unchanged",
                    r.kind.en(),
                    out.rows,
                    out.added,
                    out.updated,
                    out.unchanged
                ),
            });
        }
        Ok(out) => {
            app.popup = Some(Popup::ImportReview(ImportReview {
                outcome: out,
                scroll: 0,
                ..r
            }))
        }
        Err(e) => message(
            app,
            app.t("导入失败", "import failed").to_string(),
            format!("{e:#}"),
            true,
        ),
    }
}

/// Applies an editing action to a one-line field; true when it was one.
fn edit_field(f: &mut TextField, action: &Action) -> bool {
    match action {
        Action::Char(c) => f.insert(*c),
        Action::Paste(s) => f.insert_str(s),
        Action::Backspace => f.backspace(),
        Action::Delete => f.delete(),
        Action::Left => f.left(),
        Action::Right => f.right(),
        Action::LineStart => f.home(),
        Action::LineEnd => f.end(),
        _ => return false,
    }
    true
}

fn input(app: &mut App, action: Action) {
    if action == Action::Cancel {
        app.popup = None;
        return;
    }
    match app.popup.as_mut() {
        Some(Popup::Draw(p)) => match action {
            Action::Char('g') if p.focus == 0 && p.seed.is_empty() => p.seed.set(Service::generate_seed()),
            Action::GenerateSeed => {
                p.seed.set(Service::generate_seed());
                p.focus = 0;
            }
            Action::NextField | Action::PrevField => {
                if p.redraw {
                    p.focus = 1 - p.focus;
                }
            }
            Action::Submit => run_draw(app),
            a => {
                let f = if p.focus == 0 { &mut p.seed } else { &mut p.reason };
                if edit_field(f, &a) {
                    p.error = None;
                }
            }
        },
        Some(Popup::Replace(p)) if p.purpose == ReasonFor::ClearResult => match action {
            Action::Submit => results::clear_result(app),
            a => {
                if edit_field(&mut p.reason, &a) {
                    p.error = None;
                }
            }
        },
        Some(Popup::Replace(p)) => match action {
            Action::Submit => {
                let (plan_id, seq, reason) = (p.plan_id, p.seq, p.reason.text.clone());
                match app.svc.replace_task(plan_id, seq, &reason) {
                    Ok(adj) => {
                        app.popup = None;
                        app.load_plan_view();
                        app.load_stats();
                        app.info(match app.lang {
                            Lang::Zh => format!("任务 {seq}：{} 已由候补 {} 替换", adj.replaced, adj.replacement),
                            Lang::En => {
                                format!("task {seq}: {} replaced by alternate {}", adj.replaced, adj.replacement)
                            }
                        });
                    }
                    Err(e) => {
                        if let Some(Popup::Replace(p)) = &mut app.popup {
                            p.error = Some(format!("{e:#}"));
                        }
                    }
                }
            }
            a => {
                edit_field(&mut p.reason, &a);
            }
        },
        Some(Popup::Path(p)) => match action {
            Action::NextField => p.candidates = complete(&mut p.field),
            Action::CycleKind => {
                let next = |k| match k {
                    RosterKind::Items => RosterKind::Institutions,
                    RosterKind::Institutions => RosterKind::Inspectors,
                    RosterKind::Inspectors => RosterKind::Items,
                };
                p.purpose = match p.purpose {
                    PathPurpose::Import(k) => PathPurpose::Import(next(k)),
                    PathPurpose::Export(k) => PathPurpose::Export(next(k)),
                    other => other,
                };
            }
            Action::Submit => submit_path(app),
            a => {
                if edit_field(&mut p.field, &a) {
                    p.error = None;
                    p.candidates.clear();
                }
            }
        },
        _ => {}
    }
}

fn run_draw(app: &mut App) {
    let Some(Popup::Draw(p)) = app.popup.clone() else {
        return;
    };
    let lang = app.lang;
    let reason = p.reason.text.trim().to_string();
    if p.redraw && reason.is_empty() {
        if let Some(Popup::Draw(d)) = &mut app.popup {
            d.error = Some(
                app.lang
                    .pick(
                        "重新抽取须填写理由（Tab 切换到理由）",
                        "a redraw needs a reason (Tab to the reason field)",
                    )
                    .into(),
            );
            d.focus = 1;
        }
        return;
    }
    match app
        .svc
        .draw_plan(p.plan_id, &p.seed.text, p.redraw.then_some(reason.as_str()))
    {
        Ok(draw) => {
            app.popup = None;
            app.load_plans();
            app.load_stats();
            app.tasks.selected = 0;
            app.tasks.offset = 0;
            app.tab = Tab::Tasks;
            app.info(match lang {
                Lang::Zh => format!(
                    "抽取完成：{} 个任务、{} 个候补；结果摘要 {}…",
                    draw.tasks.len(),
                    draw.alternates.len(),
                    &draw.result_digest[..16.min(draw.result_digest.len())]
                ),
                Lang::En => format!(
                    "drawn: {} tasks, {} alternates; result digest {}…",
                    draw.tasks.len(),
                    draw.alternates.len(),
                    &draw.result_digest[..16.min(draw.result_digest.len())]
                ),
            });
        }
        Err(e) => {
            if let Some(Popup::Draw(d)) = &mut app.popup {
                d.error = Some(format!("{e:#}"));
            }
        }
    }
}

fn submit_path(app: &mut App) {
    let Some(Popup::Path(p)) = app.popup.clone() else {
        return;
    };
    let text = p.field.text.trim();
    if text.is_empty() {
        if let Some(Popup::Path(p)) = &mut app.popup {
            p.error = Some(app.lang.pick("请输入文件路径", "enter a file path").into());
        }
        return;
    }
    let path = expand_home(text);
    let lang = app.lang;
    let result: anyhow::Result<()> = match p.purpose {
        PathPurpose::Disclosure(_) | PathPurpose::TaskSheet(_) | PathPurpose::ImportResults => {
            results::submit_path(app, p.purpose, &path)
        }
        PathPurpose::Import(kind) => {
            let opts = ImportOptions {
                dry_run: true,
                ..Default::default()
            };
            app.svc.import_roster(kind, &path, &opts, &mut |_| {}).map(|outcome| {
                app.popup = Some(Popup::ImportReview(ImportReview {
                    kind,
                    path: path.clone(),
                    outcome,
                    scroll: 0,
                }));
            })
        }
        PathPurpose::Export(kind) => app.svc.export_roster(kind, &path).map(|n| {
            app.popup = None;
            app.info(match lang {
                Lang::Zh => format!("已导出 {} 条{}到 {}", n, kind.zh(), path.display()),
                Lang::En => format!("exported {n} {} to {}", kind.en(), path.display()),
            });
        }),
        PathPurpose::Audit(id) => app.svc.export_audit_package(id, &path).map(|()| {
            app.popup = None;
            app.info(match lang {
                Lang::Zh => format!(
                    "已导出计划 #{id} 的审计包到 {}（可用 choucha verify 复核）",
                    path.display()
                ),
                Lang::En => format!(
                    "audit package of plan #{id} written to {} (check it with choucha verify)",
                    path.display()
                ),
            });
        }),
    };
    if let Err(e) = result
        && let Some(Popup::Path(p)) = &mut app.popup
    {
        p.error = Some(format!("{e:#}"));
    }
}

fn expand_home(s: &str) -> PathBuf {
    match (s.strip_prefix("~/"), std::env::var_os("HOME")) {
        (Some(rest), Some(home)) => Path::new(&home).join(rest),
        _ => PathBuf::from(s),
    }
}

/// Tab completion of a file path: completes a unique match, or the common prefix and offers the
/// candidates.
pub fn complete(field: &mut TextField) -> Vec<String> {
    let text = field.text.clone();
    let (dir, prefix) = match text.rfind('/') {
        Some(i) => (text[..=i].to_string(), text[i + 1..].to_string()),
        None => (String::new(), text.clone()),
    };
    let read = if dir.is_empty() {
        PathBuf::from(".")
    } else {
        expand_home(&dir)
    };
    let Ok(entries) = std::fs::read_dir(&read) else {
        return vec![];
    };
    let mut names: Vec<String> = entries
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let is_dir = e.file_type().map(|t| t.is_dir()).unwrap_or(false);
            (name.starts_with(&prefix) && (prefix.starts_with('.') || !name.starts_with('.')))
                .then(|| if is_dir { format!("{name}/") } else { name })
        })
        .collect();
    names.sort();
    match names.len() {
        0 => vec![],
        1 => {
            field.set(format!("{dir}{}", names[0]));
            vec![]
        }
        _ => {
            let first: Vec<char> = names[0].chars().collect();
            let mut n = first.len();
            for other in &names[1..] {
                n = n.min(first.iter().zip(other.chars()).take_while(|(a, b)| **a == *b).count());
            }
            let common: String = first[..n].iter().collect();
            field.set(format!("{dir}{common}"));
            names
        }
    }
}

fn form(app: &mut App, action: Action) {
    let Some(f) = &mut app.form else { return };
    let first = usize::from(f.key.is_some());
    let n = f.fields.len();
    match action {
        Action::Cancel => app.form = None,
        Action::NextField => f.focus = if f.focus + 1 >= n { first } else { f.focus + 1 },
        Action::PrevField => f.focus = if f.focus <= first { n - 1 } else { f.focus - 1 },
        Action::Save => {
            let (kind, cells) = (
                f.kind,
                f.fields.iter().map(|x| x.text.trim().to_string()).collect::<Vec<_>>(),
            );
            match app.svc.save_record(kind, &cells) {
                Ok(Ok(up)) => {
                    app.form = None;
                    app.refresh();
                    let what = match up {
                        Upserted::Added => app.t("已新增", "added"),
                        Upserted::Updated => app.t("已更新", "updated"),
                        Upserted::Unchanged => app.t("没有变化", "unchanged"),
                    };
                    app.info(format!("{what} {}", cells[0]));
                }
                Ok(Err(errs)) => {
                    let n = errs.len();
                    if let Some(f) = &mut app.form {
                        if let Some((c, _)) = errs.first() {
                            f.focus = (*c).max(first);
                        }
                        f.errors = errs;
                    }
                    app.error(match app.lang {
                        Lang::Zh => format!("有 {n} 处错误，未保存"),
                        Lang::En => format!("{n} problems; nothing saved"),
                    });
                }
                Err(e) => app.error(format!("{e:#}")),
            }
        }
        a => {
            let focus = f.focus;
            if edit_field(&mut f.fields[focus], &a) {
                f.errors.retain(|(c, _)| *c != focus);
            }
        }
    }
}

/// Text lines visible in the plan editor at this size.
pub fn editor_height(size: (u16, u16)) -> usize {
    let (text, _) = layout::editor_split(layout::areas(size).body);
    (layout::inner(text).height as usize).max(1)
}

fn editor(app: &mut App, action: Action) {
    let h = editor_height(app.size);
    let Some(ed) = &mut app.editor else { return };
    let before = ed.area.lines.clone();
    match action {
        Action::Char(c) => ed.area.insert(c),
        Action::Paste(s) => ed.area.insert_str(&s),
        Action::Newline => ed.area.newline(),
        Action::Backspace => ed.area.backspace(),
        Action::Delete => ed.area.delete(),
        Action::Left => ed.area.left(),
        Action::Right => ed.area.right(),
        Action::Up => ed.area.up(1),
        Action::Down => ed.area.down(1),
        Action::PageUp => ed.area.up(h.saturating_sub(1).max(1)),
        Action::PageDown => ed.area.down(h.saturating_sub(1).max(1)),
        Action::LineStart => ed.area.home(),
        Action::LineEnd => ed.area.end(),
        Action::Cancel => {
            if ed.dirty && !ed.confirm_discard {
                ed.confirm_discard = true;
                let msg = app.t(
                    "有未保存的修改：再按 Esc 放弃，Ctrl-S 保存",
                    "unsaved changes: Esc again discards them, Ctrl-S saves",
                );
                app.error(msg);
            } else {
                app.editor = None;
                app.status = None;
            }
            return;
        }
        Action::Save => return save_plan(app),
        _ => {}
    }
    ed.area.scroll_to_cursor(h);
    if ed.area.lines != before {
        ed.dirty = true;
        ed.confirm_discard = false;
        app.update_preview();
    }
}

/// Opens the plan editor on `text` (a new plan when `plan_id` is `None`) with its preview.
fn open_editor(app: &mut App, plan_id: Option<i64>, text: &str) {
    app.ensure_per_class();
    app.editor = Some(PlanEditor {
        plan_id,
        area: super::forms::TextArea::new(text.trim_end()),
        preview: Preview::default(),
        dirty: false,
        confirm_discard: false,
    });
    app.update_preview();
}

fn save_plan(app: &mut App) {
    let Some(ed) = &app.editor else { return };
    let text = ed.area.text();
    let result = match ed.plan_id {
        None => app.svc.create_plan(&text),
        Some(id) => app.svc.update_plan(id, &text).map(|()| id),
    };
    match result {
        Ok(id) => {
            let new = app.editor.as_ref().is_some_and(|e| e.plan_id.is_none());
            app.editor = None;
            app.refresh();
            if let Some(i) = app.plans.list.iter().position(|p| p.id == id) {
                app.plans.selected = i;
                app.load_plan_view();
            }
            app.tab = Tab::Plans;
            let msg = if new {
                app.t("已新建计划", "created plan")
            } else {
                app.t("已保存计划", "saved plan")
            };
            app.info(format!("{msg} #{id}"));
        }
        Err(e) => {
            // The whole message (a TOML error spans lines) is in the preview pane.
            let text = format!("{e:#}");
            let first = text.lines().next().unwrap_or_default();
            app.error(format!(
                "{}{first}{}",
                app.t("未保存：", "not saved: "),
                app.t("（详见预览）", " (see the preview)")
            ));
            app.update_preview();
        }
    }
}

fn click(app: &mut App, x: u16, y: u16) {
    if app.popup.is_some() || app.editor.is_some() || app.form.is_some() || app.result_form.is_some() {
        return;
    }
    let areas = layout::areas(app.size);
    if y == areas.tabs.y {
        if let Some(i) = layout::tab_ranges(app.lang, app.size.0)
            .iter()
            .position(|(a, b, _)| x >= *a && x < *b)
        {
            if let Some((r, _)) = app.tab.roster() {
                app.rosters[r].filtering = false;
            }
            switch_tab(app, Tab::from_index(i));
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
