//! The help popup: every key of the mode it was opened in, generated from the key table.

use ratatui::Frame;
use ratatui::text::{Line, Span};

use super::frame::{Row, footer, show};
use crate::tui::action::Action;
use crate::tui::context::Ctx;
use crate::tui::keymap::{self, Mode};
use crate::tui::view::table::{fit, width};

/// Scrolls the help (shared by the popups that only show text).
pub fn scroll(scroll: &mut usize, action: &Action) -> bool {
    match action {
        Action::Up => *scroll = scroll.saturating_sub(1),
        Action::Down => *scroll += 1,
        Action::PageUp => *scroll = scroll.saturating_sub(10),
        Action::PageDown => *scroll += 10,
        _ => return false,
    }
    true
}

/// Esc closes the help; the rest scrolls. The mouse wheel scrolls by one line.
pub fn update(scroll_at: &mut usize, action: Action, cx: &mut Ctx) {
    let action = match action {
        Action::ScrollUp => Action::Up,
        Action::ScrollDown => Action::Down,
        a => a,
    };
    if action == Action::Cancel {
        cx.push(crate::tui::context::Effect::ClosePopup);
    } else {
        scroll(scroll_at, &action);
    }
}

pub fn draw(frame: &mut Frame, mode: Mode, scroll: usize, w: u16, cx: &Ctx) {
    let th = cx.theme();
    let lang = cx.lang;
    let sections = keymap::help_sections(mode, lang);
    let kw = sections
        .iter()
        .flat_map(|(_, l)| l.iter().map(|(k, _)| width(k)))
        .max()
        .unwrap_or(0)
        .min(24);
    let mut rows = Vec::new();
    for (title, lines) in sections {
        rows.push(Row::Text(Line::from(Span::styled(format!("【{title}】"), th.header()))));
        for (k, d) in lines {
            rows.push(Row::Text(Line::from(vec![
                Span::styled(format!("  {}", fit(&k, kw)), th.key()),
                Span::raw(format!("  {d}")),
            ])));
        }
    }
    let title = format!(" {} — {} ", cx.t("帮助：按键", "Help: keys"), mode.label(lang));
    show(frame, th, title, w, rows, footer(th, lang, Mode::Help), scroll, false);
}
