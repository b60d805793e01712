//! What frames every screen: the tab bar, the status and hint lines, and the request for a
//! larger terminal.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::tui::context::Ctx;
use crate::tui::keymap::{self, Mode};
use crate::tui::text;
use crate::tui::view::layout;
use crate::tui::view::table::{self, width};
use crate::tui::view::wrap::wrap;

/// Below this size the screen only asks for a larger terminal (80×24 is the size designed for).
pub const MIN_SIZE: (u16, u16) = (60, 16);

pub fn draw_too_small(frame: &mut Frame, cx: &Ctx) {
    let area = frame.area();
    let (w, h) = (area.width, area.height);
    let msg = match cx.lang {
        text::Lang::Zh => format!(
            "终端窗口太小（{w}×{h}）：请放大到至少 {}×{}。q 退出",
            MIN_SIZE.0, MIN_SIZE.1
        ),
        text::Lang::En => format!(
            "The terminal is too small ({w}×{h}): make it at least {}×{}. q quits",
            MIN_SIZE.0, MIN_SIZE.1
        ),
    };
    let lines: Vec<Line> = wrap(&msg, w as usize).into_iter().map(Line::from).collect();
    let y = area.y + h.saturating_sub(lines.len() as u16) / 2;
    let rect = Rect::new(area.x, y, w, h.saturating_sub(y - area.y));
    frame.render_widget(Paragraph::new(lines).style(cx.theme().warn()), rect);
}

pub fn draw_tabs(frame: &mut Frame, area: Rect, active: usize, cx: &Ctx) {
    let th = cx.theme();
    let mut spans = Vec::new();
    let ranges = layout::tab_ranges(cx.lang, area.width);
    let mut used = 0;
    for (i, (_, _, label)) in ranges.iter().enumerate() {
        if i > 0 {
            spans.push(Span::styled("│", th.dim()));
            used += 1;
        }
        let style = if active == i { th.active_tab() } else { Style::new() };
        spans.push(Span::styled(label.clone(), style));
        used += width(label);
    }
    let title = text::APP_TITLE.get(cx.lang);
    let room = (area.width as usize).saturating_sub(used);
    if room > width(title) + 2 {
        spans.push(Span::styled(
            format!("{}{title}", " ".repeat(room - width(title))),
            th.dim(),
        ));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// The status line (mode, position, message) and the hint line, generated from the key table
/// (popups show their own keys).
pub fn draw_status(frame: &mut Frame, area: Rect, mode: Mode, position: Option<String>, popup: bool, cx: &Ctx) {
    let th = cx.theme();
    let w = area.width as usize;
    let mut spans = vec![Span::styled(format!(" {} ", mode.label(cx.lang)), th.active_tab())];
    let mut used = width(mode.label(cx.lang)) + 2;
    if let Some(p) = position {
        let s = format!(" {p} ");
        used += width(&s);
        spans.push(Span::styled(s, th.header()));
    }
    if let Some(s) = &cx.status {
        let t = format!(" {}", table::truncate(&s.text, w.saturating_sub(used + 1)));
        spans.push(Span::styled(t, if s.error { th.error() } else { th.ok() }));
    }
    let line1 = Line::from(spans);
    // The hint line comes from the key table (popups show their own keys).
    let mut hint_spans = Vec::new();
    let mut used = 0;
    let hints = if popup { vec![] } else { keymap::hints(mode, cx.lang) };
    // "? 帮助" always shows (it lists the keys that do not fit); the others in table order,
    // each that fits.
    let piece = |k: &str, t: &str| width(k) + 1 + width(t) + 2;
    let help_text = cx.t("帮助", "help");
    let (help, others): (Vec<_>, Vec<_>) = hints.into_iter().partition(|(_, t)| *t == help_text);
    // The two spaces after the last hint need not fit.
    let reserve: usize = help.iter().map(|(k, t)| piece(k, t)).sum::<usize>().saturating_sub(2);
    for (k, t) in others {
        let p = piece(&k, t);
        if used + p + reserve > w {
            continue;
        }
        hint_spans.push(Span::styled(k, th.key()));
        hint_spans.push(Span::raw(format!(" {t}  ")));
        used += p;
    }
    for (k, t) in help.into_iter().filter(|_| reserve <= w) {
        hint_spans.push(Span::styled(k, th.key()));
        hint_spans.push(Span::raw(format!(" {t}  ")));
    }
    frame.render_widget(Paragraph::new(vec![line1, Line::from(hint_spans)]), area);
}
