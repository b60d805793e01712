//! Choosing a value for an input of the results form (Ctrl-O): one of a list, or several
//! ticked ones (处理措施).

use ratatui::Frame;
use ratatui::style::Style;
use ratatui::text::{Line, Span};

use super::PickPopup;
use super::frame::{Row, keys_footer, show, text_rows};
use crate::tui::action::Action;
use crate::tui::context::{Ctx, Effect};
use crate::tui::view::table::{fit, width};

impl PickPopup {
    pub fn update(&mut self, action: Action, cx: &mut Ctx) {
        let p = self;
        let n = p.options.len();
        match action {
            Action::Up | Action::ScrollUp => p.selected = (p.selected + n - 1) % n,
            Action::Down | Action::ScrollDown => p.selected = (p.selected + 1) % n,
            Action::Toggle if p.multi => p.chosen[p.selected] = !p.chosen[p.selected],
            Action::Cancel => cx.push(Effect::ClosePopup),
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
                cx.push(Effect::ClosePopup);
                cx.push(Effect::Picked { slot: p.slot, value });
            }
            _ => {}
        }
    }

    pub fn draw(&self, frame: &mut Frame, w: u16, cx: &Ctx) {
        let p = self;
        let th = cx.theme();
        let t = |zh: &'static str, en: &'static str| cx.lang.pick(zh, en);
        let pw =
            (p.labels.iter().map(|l| width(l)).max().unwrap_or(10) + 8).clamp(44.min(w as usize), w as usize) as u16;
        let mut rows = Vec::new();
        if p.multi {
            rows.extend(text_rows(
                t(
                    "Space 勾选，Enter 确定（未勾选时取光标所在项）",
                    "Space ticks; Enter takes the ticked ones (or the highlighted one)",
                ),
                pw.saturating_sub(2) as usize,
                th.dim(),
            ));
        }
        let first = rows.len();
        for (i, label) in p.labels.iter().enumerate() {
            let mark = match (p.multi, p.chosen.get(i).copied().unwrap_or(false)) {
                (false, _) => "  ",
                (true, true) => "☑ ",
                (true, false) => "☐ ",
            };
            let style = if i == p.selected { th.selected() } else { Style::new() };
            rows.push(Row::Text(Line::from(Span::styled(
                fit(&format!("{mark}{label}"), pw.saturating_sub(2) as usize),
                style,
            ))));
        }
        let keys: Vec<(&str, &str)> = if p.multi {
            vec![
                ("Space", t("勾选", "tick")),
                ("Enter", t("确定", "OK")),
                ("Esc", t("取消", "cancel")),
            ]
        } else {
            vec![("Enter", t("选定", "choose")), ("Esc", t("取消", "cancel"))]
        };
        // Keep the highlighted option in view.
        let visible = (frame.area().height as usize).saturating_sub(5).max(1);
        let scroll = (p.selected + first + 1).saturating_sub(visible);
        show(
            frame,
            th,
            format!(" {} ", p.title),
            pw,
            rows,
            keys_footer(th, &keys),
            scroll,
            false,
        );
    }
}
