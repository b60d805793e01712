//! The results form as a screen: its keys (moving between inputs and parts, adding and
//! removing rows, choosing a value, saving) and the checks that keep its problems current.

use ratatui::Frame;
use ratatui::layout::Rect;

use super::{Choice, ResultForm, Slot};
use crate::app::rosters::Upserted;
use crate::tui::action::Action;
use crate::tui::context::{Ctx, Effect};
use crate::tui::keymap::Mode;
use crate::tui::popups::{ConfirmKind, PickPopup, Popup};
use crate::tui::screen::Screen;
use crate::tui::text::Lang;
use crate::tui::view::layout;

/// Rows of the results form visible at this size (below its one-line heading).
pub fn visible_rows(size: (u16, u16)) -> usize {
    (layout::inner(layout::areas(size).body).height as usize)
        .saturating_sub(1)
        .max(1)
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

/// Separators of a list cell (处理措施).
fn split_list(s: &str) -> Vec<String> {
    s.split(['、', ',', '，', ';', '；', ' ', '/'])
        .map(str::trim)
        .filter(|x| !x.is_empty())
        .map(String::from)
        .collect()
}

impl ResultForm {
    /// Keeps the focused input in view at the terminal's size.
    pub fn scroll_to_screen(&mut self, cx: &Ctx) {
        let h = visible_rows(cx.size);
        let w = layout::inner(layout::areas(cx.size).body).width as usize;
        self.scroll_to_focus(cx.lang, h, w);
    }

    /// A value chosen in the pick popup goes into its input.
    pub fn picked(&mut self, slot: Slot, value: String, cx: &mut Ctx) {
        let before = self.field(slot).text.clone();
        self.field_mut(slot).set(value);
        self.clear_issues(slot);
        let edited = self.field(slot).text != before;
        self.recheck_after(None, false, edited, cx);
        self.scroll_to_screen(cx);
    }

    /// Keeps the problems shown current after a change to the form: the input the focus left is
    /// checked (so a malformed value shows at once), and once a save was refused every edit
    /// checks the whole form again, with the count on the status line.
    fn recheck_after(&mut self, left: Option<Slot>, rows_changed: bool, edited: bool, cx: &mut Ctx) {
        if let Some(s) = left {
            self.touch(s);
        }
        if left.is_none() && !rows_changed && !(edited && self.refused) {
            return;
        }
        self.recheck();
        if self.refused {
            self.problems_status(cx);
        }
    }

    /// The status line of a refused form: how many problems are left.
    fn problems_status(&self, cx: &mut Ctx) {
        match (self.issues.len(), cx.lang) {
            (0, _) => cx.info(cx.t("问题已全部改正，按 Ctrl-S 保存", "all problems fixed; Ctrl-S saves")),
            (n, Lang::Zh) => cx.error(format!("有 {n} 处问题，未保存：见各项下方的说明")),
            (n, Lang::En) => cx.error(format!("{n} problems; nothing saved (see under the fields)")),
        }
    }

    fn save(&mut self, cx: &mut Ctx) {
        let (plan, seq, input) = (self.plan_id, self.seq, self.input());
        let lang = cx.lang;
        match cx.svc.save_task_result(plan, seq, &input) {
            Ok(Ok(up)) => {
                cx.push(Effect::CloseResultForm);
                cx.push(Effect::LoadTasks);
                let what = match (up, lang) {
                    (Upserted::Added, Lang::Zh) => "已登记",
                    (Upserted::Added, Lang::En) => "recorded",
                    (Upserted::Updated, Lang::Zh) => "已更新",
                    (Upserted::Updated, Lang::En) => "updated",
                    (Upserted::Unchanged, Lang::Zh) => "没有变化",
                    (Upserted::Unchanged, Lang::En) => "unchanged",
                };
                cx.info(match lang {
                    Lang::Zh => format!("任务 {seq} 的检查结果{what}"),
                    Lang::En => format!("result of task {seq} {what}"),
                });
            }
            Ok(Err(issues)) => {
                self.refuse(issues);
                let first = self.issues.iter().find_map(|i| self.slot_of(i));
                if let Some(s) = first {
                    self.focus_slot(s);
                } else {
                    self.scroll = 0;
                }
                self.problems_status(cx);
            }
            Err(e) => cx.error(format!("{e:#}")),
        }
    }

    fn open_pick(&mut self, cx: &mut Ctx) {
        let rules = cx.svc.result_rules();
        let today = cx.svc.now().date().format("%Y-%m-%d").to_string();
        let lang = cx.lang;
        let f = self;
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
                return cx.error(cx.t("此项直接输入文字", "type this one"));
            }
            Choice::One(o) => (o, false),
            Choice::Many(o) => (o, true),
        };
        if options.is_empty() {
            return cx.error(cx.t("没有可选的值", "nothing to choose from"));
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
        cx.push(Effect::Open(Popup::Pick(PickPopup {
            slot: s,
            title,
            options,
            labels,
            selected,
            multi,
            chosen,
        })));
    }
}

impl Screen for ResultForm {
    fn mode(&self) -> Mode {
        Mode::ResultForm
    }

    fn update(&mut self, action: Action, cx: &mut Ctx) {
        let action = match action {
            Action::ScrollUp => Action::PrevField,
            Action::ScrollDown => Action::NextField,
            a => a,
        };
        let f = self;
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
                    cx.error(cx.t(
                        "Ctrl-D 删除光标所在的问题行或记分行",
                        "Ctrl-D removes the finding or points row the cursor is in",
                    ));
                }
            }
            Action::Pick => f.open_pick(cx),
            Action::Save => f.save(cx),
            Action::Cancel => {
                if f.dirty() {
                    cx.push(Effect::Open(Popup::Confirm(ConfirmKind::DiscardResult)));
                } else {
                    cx.push(Effect::CloseResultForm);
                    cx.clear_status();
                }
            }
            a => {
                let s = f.focused();
                if f.field_mut(s).edit(&a) {
                    f.clear_issues(s);
                }
            }
        }
        if !save_or_close {
            // Removing a row renumbers the inputs below it: the focus did not leave one.
            let left = (!moved_rows && f.focused() != was).then_some(was);
            let rows_changed = f.slots().len() != n;
            let edited = f.input() != before;
            f.recheck_after(left, rows_changed, edited, cx);
        }
        f.scroll_to_screen(cx);
    }

    fn draw(&self, frame: &mut Frame, body: Rect, cx: &Ctx) {
        self.draw_in(frame, body, cx);
    }
}
