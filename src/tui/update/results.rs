//! Results in the terminal UI: the results form of a task, choosing values, removing a result,
//! the disclosure and task-sheet exports, the results import and the follow-up lists.

use std::collections::HashMap;
use std::path::Path;

use super::{edit_field, message};
use crate::app::rosters::{RosterKind, Upserted};
use crate::tui::action::Action;
use crate::tui::app::*;
use crate::tui::forms::TextField;
use crate::tui::result_form::{Choice, Slot};
use crate::tui::text::Lang;
use crate::tui::view::layout;

/// Rows of the results form visible at this size (below its one-line heading).
pub fn result_form_height(size: (u16, u16)) -> usize {
    (layout::inner(layout::areas(size).body).height as usize)
        .saturating_sub(1)
        .max(1)
}

pub(super) fn scroll_form(app: &mut App) {
    let h = result_form_height(app.size);
    let w = layout::inner(layout::areas(app.size).body).width as usize;
    let lang = app.lang;
    if let Some(f) = &mut app.result_form {
        f.scroll_to_focus(lang, h, w);
    }
}

/// The keys of the tasks (and statistics) tab that concern results.
pub(super) fn tasks_action(app: &mut App, action: Action) {
    if action == Action::ShowFollowup {
        return match app.svc.followup(app.svc.now().date()) {
            Ok(f) => {
                app.popup = Some(Popup::Followup {
                    data: Box::new(f),
                    scroll: 0,
                })
            }
            Err(e) => app.error(format!("{e:#}")),
        };
    }
    let plan = app.selected_plan().map(|p| p.id);
    if action == Action::ImportResults {
        let name = plan.map(|id| format!("tasks-plan-{id}.xlsx")).unwrap_or_default();
        return path_popup(app, PathPurpose::ImportResults, name);
    }
    let Some(plan) = plan else {
        return app.error(app.t("没有计划：先在“抽查计划”页新建", "no plan: create one on the Plans tab"));
    };
    if !app.tasks.results {
        return app.error(app.t(
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
                return app.error(app.t("该任务没有检查结果", "this task has no result"));
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
        return app.error(app.t(
            "候补机构不是任务：需要时先按 x 用候补替换任务",
            "an alternate is not a task: replace a task with x first",
        ));
    }
    let read = app
        .svc
        .task_result_input(plan, line.seq)
        .and_then(|input| Ok((input, app.svc.result_check(plan, line.seq)?)));
    match read {
        Ok((input, check)) => {
            let names: HashMap<String, String> = input
                .item_results
                .iter()
                .map(|r| (r.item.clone(), app.name_of(RosterKind::Items, &r.item)))
                .collect();
            let existing = line.category().is_some();
            app.result_form = Some(ResultForm::new(check, line.name, input, existing, &names));
            app.status = None;
            scroll_form(app);
        }
        Err(e) => app.error(format!("{e:#}")),
    }
}

/// Which part of the form an input is in (for PgUp / PgDn).
fn group(s: Slot, findings: usize) -> usize {
    match s {
        Slot::Main(_) => 0,
        Slot::Item(_) => 1,
        Slot::Finding(r, _) => 2 + r,
        Slot::Points(r, _) => 2 + findings + r,
    }
}

pub(super) fn form(app: &mut App, action: Action) {
    let Some(f) = &mut app.result_form else { return };
    let slots = f.slots();
    let n = slots.len();
    let before = f.input();
    let was = f.focused();
    let moved_rows = action == Action::RemoveRow;
    let save_or_close = matches!(action, Action::Save | Action::Cancel);
    match action {
        Action::NextField => f.focus = (f.focus + 1) % n,
        Action::PrevField => f.focus = (f.focus + n - 1) % n,
        Action::PageDown | Action::PageUp => {
            let g = |i: usize| group(slots[i], f.findings.len());
            let here = g(f.focus);
            f.focus = if action == Action::PageDown {
                (f.focus..n).find(|&i| g(i) != here).unwrap_or(f.focus)
            } else {
                // The start of this part, or of the one before when already there.
                let start = (0..=f.focus).rev().take_while(|&i| g(i) == here).last().unwrap_or(0);
                if start < f.focus || start == 0 {
                    start
                } else {
                    let prev = g(start - 1);
                    (0..start).find(|&i| g(i) == prev).unwrap_or(0)
                }
            };
        }
        Action::AddFinding => f.add_finding(),
        Action::AddPoints => f.add_points(),
        Action::RemoveRow => {
            if !f.remove_row() {
                app.error(app.t(
                    "Ctrl-D 删除光标所在的问题行或记分行",
                    "Ctrl-D removes the finding or points row the cursor is in",
                ));
            }
        }
        Action::Pick => open_pick(app),
        Action::Help => {
            app.popup = Some(Popup::Help {
                mode: Mode::ResultForm,
                scroll: 0,
            })
        }
        Action::Save => save(app),
        Action::Cancel => {
            if f.dirty() {
                app.popup = Some(Popup::Confirm(ConfirmKind::DiscardResult));
            } else {
                app.result_form = None;
                app.status = None;
            }
        }
        a => {
            let s = f.focused();
            if edit_field(f.field_mut(s), &a) {
                f.clear_issues(s);
            }
        }
    }
    if !save_or_close && let Some(f) = &mut app.result_form {
        // Removing a row renumbers the inputs below it: the focus did not leave one.
        let left = (!moved_rows && f.focused() != was).then_some(was);
        let rows_changed = f.slots().len() != n;
        let edited = f.input() != before;
        recheck(app, left, rows_changed, edited);
    }
    scroll_form(app);
}

/// Keeps the problems shown current after a change to the form: the input the focus left is
/// checked (so a malformed value shows at once), and once a save was refused every edit checks
/// the whole form again, with the count on the status line.
fn recheck(app: &mut App, left: Option<Slot>, rows_changed: bool, edited: bool) {
    let Some(f) = &mut app.result_form else { return };
    if let Some(s) = left {
        f.touch(s);
    }
    if left.is_none() && !rows_changed && !(edited && f.refused) {
        return;
    }
    f.recheck();
    if f.refused {
        problems_status(app);
    }
}

/// The status line of a refused form: how many problems are left.
fn problems_status(app: &mut App) {
    let Some(f) = &app.result_form else { return };
    match (f.issues.len(), app.lang) {
        (0, _) => app.info(app.t("问题已全部改正，按 Ctrl-S 保存", "all problems fixed; Ctrl-S saves")),
        (n, Lang::Zh) => app.error(format!("有 {n} 处问题，未保存：见各项下方的说明")),
        (n, Lang::En) => app.error(format!("{n} problems; nothing saved (see under the fields)")),
    }
}

fn save(app: &mut App) {
    let Some(f) = &app.result_form else { return };
    let (plan, seq, input) = (f.plan_id, f.seq, f.input());
    let lang = app.lang;
    match app.svc.save_task_result(plan, seq, &input) {
        Ok(Ok(up)) => {
            app.result_form = None;
            app.load_tasks();
            let what = match (up, lang) {
                (Upserted::Added, Lang::Zh) => "已登记",
                (Upserted::Added, Lang::En) => "recorded",
                (Upserted::Updated, Lang::Zh) => "已更新",
                (Upserted::Updated, Lang::En) => "updated",
                (Upserted::Unchanged, Lang::Zh) => "没有变化",
                (Upserted::Unchanged, Lang::En) => "unchanged",
            };
            app.info(match lang {
                Lang::Zh => format!("任务 {seq} 的检查结果{what}"),
                Lang::En => format!("result of task {seq} {what}"),
            });
        }
        Ok(Err(issues)) => {
            if let Some(f) = &mut app.result_form {
                f.refuse(issues);
                let first = f.issues.iter().find_map(|i| f.slot_of(i));
                if let Some(s) = first {
                    f.focus_slot(s);
                } else {
                    f.scroll = 0;
                }
            }
            problems_status(app);
        }
        Err(e) => app.error(format!("{e:#}")),
    }
}

/// Separators of a list cell (处理措施).
fn split_list(s: &str) -> Vec<String> {
    s.split(['、', ',', '，', ';', '；', ' ', '/'])
        .map(str::trim)
        .filter(|x| !x.is_empty())
        .map(String::from)
        .collect()
}

fn open_pick(app: &mut App) {
    let rules = app.svc.result_rules();
    let today = app.svc.now().date().format("%Y-%m-%d").to_string();
    let lang = app.lang;
    let Some(f) = &mut app.result_form else { return };
    let s = f.focused();
    let current = f.field(s).text.trim().to_string();
    let title = f.label(s, lang);
    let (options, multi) = match f.choice(s, &rules) {
        Choice::Today => {
            f.field_mut(s).set(today);
            f.clear_issues(s);
            return;
        }
        Choice::None => {
            return app.error(app.t("此项直接输入文字", "type this one"));
        }
        Choice::One(o) => (o, false),
        Choice::Many(o) => (o, true),
    };
    if options.is_empty() {
        return app.error(app.t("没有可选的值", "nothing to choose from"));
    }
    let labels = options
        .iter()
        .map(|o| match f.items.iter().find(|i| i.code == *o && !i.name.is_empty()) {
            Some(i) if matches!(s, Slot::Finding(_, 1)) => format!("{o} {}", i.name),
            _ => o.clone(),
        })
        .collect();
    let picked = split_list(&current);
    let chosen = options.iter().map(|o| multi && picked.contains(o)).collect();
    let selected = options
        .iter()
        .position(|o| *o == current || (multi && picked.first() == Some(o)))
        .unwrap_or(0);
    app.popup = Some(Popup::Pick(PickPopup {
        slot: s,
        title,
        options,
        labels,
        selected,
        multi,
        chosen,
    }));
}

pub(super) fn pick(app: &mut App, action: Action) {
    let Some(Popup::Pick(p)) = &mut app.popup else { return };
    let n = p.options.len();
    match action {
        Action::Up => p.selected = (p.selected + n - 1) % n,
        Action::Down => p.selected = (p.selected + 1) % n,
        Action::Toggle if p.multi => p.chosen[p.selected] = !p.chosen[p.selected],
        Action::Toggle => {}
        Action::Cancel => app.popup = None,
        Action::Submit => {
            let value = if p.multi && p.chosen.iter().any(|c| *c) {
                p.options
                    .iter()
                    .zip(&p.chosen)
                    .filter(|(_, c)| **c)
                    .map(|(o, _)| o.as_str())
                    .collect::<Vec<_>>()
                    .join("、")
            } else {
                p.options[p.selected].clone()
            };
            let slot = p.slot;
            app.popup = None;
            if let Some(f) = &mut app.result_form {
                let before = f.field(slot).text.clone();
                f.field_mut(slot).set(value);
                f.clear_issues(slot);
                let edited = f.field(slot).text != before;
                recheck(app, None, false, edited);
                scroll_form(app);
            }
        }
        _ => {}
    }
}

/// Removes the result named by the reason popup.
pub(super) fn clear_result(app: &mut App) {
    let Some(Popup::Replace(p)) = &app.popup else { return };
    let (plan, seq, reason) = (p.plan_id, p.seq, p.reason.text.clone());
    match app.svc.clear_task_result(plan, seq, None, &reason) {
        Ok(removed) => {
            app.popup = None;
            app.load_tasks();
            let msg = match (removed, app.lang) {
                (true, Lang::Zh) => format!("已删除任务 {seq} 的检查结果（已记入审计日志）"),
                (true, Lang::En) => format!("result of task {seq} removed (logged)"),
                (false, Lang::Zh) => format!("任务 {seq} 没有检查结果"),
                (false, Lang::En) => format!("task {seq} has no result"),
            };
            app.info(msg);
        }
        Err(e) => {
            if let Some(Popup::Replace(p)) = &mut app.popup {
                p.error = Some(format!("{e:#}"));
            }
        }
    }
}

/// The path popup's Enter for the result files.
pub(super) fn submit_path(app: &mut App, purpose: PathPurpose, path: &Path) -> anyhow::Result<()> {
    let lang = app.lang;
    match purpose {
        PathPurpose::Disclosure(id) => {
            let out = app.svc.export_disclosure(id, path)?;
            app.popup = None;
            app.load_tasks();
            app.info(match lang {
                Lang::Zh => format!("已导出公示文件 {}", path.display()),
                Lang::En => format!("disclosure written to {}", path.display()),
            });
            let body = match lang {
                Lang::Zh => format!(
                    "已导出公示文件：{}\n格式 {}，检查结果 {} 条（首次公示 {} 条），尚未登记结果的任务 {} 个。\n审计日志第 {} 条；记录摘要 {}\n其中的结果从此算作已公示；公示后再修改的结果会列入跟踪清单（f）。",
                    path.display(),
                    out.format.as_str(),
                    out.rows,
                    out.newly_disclosed,
                    out.pending_tasks,
                    out.audit_seq,
                    out.records_digest
                ),
                Lang::En => format!(
                    "Disclosure written to {}\nformat {}, {} results ({} disclosed for the first time), {} tasks without a result yet.\naudit log entry {}; records digest {}\nIts results count as disclosed from now on; results changed later show in the follow-up (f).",
                    path.display(),
                    out.format.as_str(),
                    out.rows,
                    out.newly_disclosed,
                    out.pending_tasks,
                    out.audit_seq,
                    out.records_digest
                ),
            };
            message(
                app,
                app.t("已导出结果公示", "Disclosure exported").to_string(),
                body,
                false,
            );
        }
        PathPurpose::TaskSheet(id) => {
            let n = app.svc.export_task_sheet(id, path)?;
            app.popup = None;
            app.info(match lang {
                Lang::Zh => format!("已导出任务表 {}：{n} 个任务；填写后按 I 导入", path.display()),
                Lang::En => format!(
                    "task sheet written to {}: {n} tasks; fill it in and import with I",
                    path.display()
                ),
            });
        }
        PathPurpose::ImportResults => {
            let outcome = app.svc.import_results(path, true)?;
            app.popup = Some(Popup::ResultImport(ResultImportReview {
                path: path.to_path_buf(),
                outcome,
                scroll: 0,
            }));
        }
        _ => {}
    }
    Ok(())
}

pub(super) fn commit_import(app: &mut App, r: ResultImportReview) {
    match app.svc.import_results(&r.path, false) {
        Ok(out) if out.committed => {
            app.load_tasks();
            app.info(match app.lang {
                Lang::Zh => format!(
                    "已导入检查结果：{} 个任务（新增 {}，更新 {}，未变 {}），空白未填 {} 行",
                    out.tasks, out.added, out.updated, out.unchanged, out.skipped_blank
                ),
                Lang::En => format!(
                    "results imported: {} tasks ({} new, {} updated, {} unchanged), {} blank rows",
                    out.tasks, out.added, out.updated, out.unchanged, out.skipped_blank
                ),
            });
        }
        Ok(out) => {
            app.popup = Some(Popup::ResultImport(ResultImportReview {
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
