//! Drawing: a pure function of the state. One file per screen; `table` has the width-aware
//! helpers and `layout` the geometry shared with the update.

pub mod columns;
pub mod layout;
pub mod plans;
pub mod roster;
pub mod stats;
pub mod table;
pub mod tasks;
pub mod theme;
pub mod welcome;
pub mod widgets;
pub mod wrap;

pub use theme::Theme;
pub use widgets::{centered, draw_field};
pub use wrap::wrap;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::app::{App, Tab};
use super::keymap;
use super::text;
use table::width;

pub fn theme(app: &App) -> Theme {
    Theme { color: app.color }
}

/// Draws the whole screen.
/// Below this size the screen only asks for a larger terminal (80×24 is the size designed for).
pub const MIN_SIZE: (u16, u16) = (60, 16);

pub fn draw(frame: &mut Frame, app: &App) {
    let area = frame.area();
    if area.width < MIN_SIZE.0 || area.height < MIN_SIZE.1 {
        return draw_too_small(frame, app);
    }
    let areas = layout::areas((area.width, area.height));
    draw_tabs(frame, app, areas.tabs);
    if let Some(f) = &app.result_form {
        f.draw(frame, areas.body, &app.cx);
    } else if let Some(ed) = &app.editor {
        ed.draw(frame, areas.body, &app.cx);
    } else if let Some(f) = &app.form {
        f.draw(frame, areas.body, &app.cx);
    } else if app.empty {
        welcome::draw(frame, app, areas.body);
    } else {
        match app.tab {
            Tab::Items | Tab::Institutions | Tab::Inspectors => roster::draw(frame, app, areas.body),
            Tab::Plans => plans::draw(frame, app, areas.body),
            Tab::Tasks => tasks::draw(frame, app, areas.body),
            Tab::Stats => stats::draw(frame, app, areas.body),
        }
    }
    draw_status(frame, app, areas.status);
    if let Some(p) = &app.popup {
        p.draw(frame, &app.cx);
    }
}

fn draw_too_small(frame: &mut Frame, app: &App) {
    let area = frame.area();
    let (w, h) = (area.width, area.height);
    let msg = match app.lang {
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
    frame.render_widget(Paragraph::new(lines).style(theme(app).warn()), rect);
}

fn draw_tabs(frame: &mut Frame, app: &App, area: Rect) {
    let th = theme(app);
    let mut spans = Vec::new();
    let ranges = layout::tab_ranges(app.lang, area.width);
    let mut used = 0;
    for (i, (_, _, label)) in ranges.iter().enumerate() {
        if i > 0 {
            spans.push(Span::styled("│", th.dim()));
            used += 1;
        }
        let style = if app.tab.index() == i {
            th.active_tab()
        } else {
            Style::new()
        };
        spans.push(Span::styled(label.clone(), style));
        used += width(label);
    }
    let title = text::APP_TITLE.get(app.lang);
    let room = (area.width as usize).saturating_sub(used);
    if room > width(title) + 2 {
        spans.push(Span::styled(
            format!("{}{title}", " ".repeat(room - width(title))),
            th.dim(),
        ));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// The counts shown for the current tab: "第 x/y 条".
fn position(app: &App) -> Option<String> {
    if app.empty || app.editor.is_some() || app.form.is_some() || app.result_form.is_some() {
        return None;
    }
    let (x, y) = match app.tab {
        Tab::Items | Tab::Institutions | Tab::Inspectors => {
            let r = app.roster()?;
            match r.total() {
                Some(total) if r.capped => return Some(text::row_of_at_least(app.lang, r.selected + 1, total)),
                Some(total) => (r.selected + 1, total),
                None if app.svc.roster_search_building(r.kind) && !r.filter.text.trim().is_empty() => {
                    return Some(text::row_of_indexing(app.lang));
                }
                None => return Some(text::row_of_unknown(app.lang)),
            }
        }
        Tab::Plans => (app.plans.selected + 1, app.plans.list.len()),
        Tab::Tasks => (app.tasks.selected + 1, app.tasks.lines.len()),
        Tab::Stats => return None,
    };
    Some(text::row_of(app.lang, if y == 0 { 0 } else { x }, y))
}

fn draw_status(frame: &mut Frame, app: &App, area: Rect) {
    let th = theme(app);
    let w = area.width as usize;
    let mode = app.mode();
    let mut spans = vec![Span::styled(format!(" {} ", mode.label(app.lang)), th.active_tab())];
    let mut used = width(mode.label(app.lang)) + 2;
    if let Some(p) = position(app) {
        let s = format!(" {p} ");
        used += width(&s);
        spans.push(Span::styled(s, th.header()));
    }
    if let Some(s) = &app.status {
        let t = format!(" {}", table::truncate(&s.text, w.saturating_sub(used + 1)));
        spans.push(Span::styled(t, if s.error { th.error() } else { th.ok() }));
    }
    let line1 = Line::from(spans);
    // The hint line comes from the key table (popups show their own keys).
    let mut hint_spans = Vec::new();
    let mut used = 0;
    let hints = if app.popup.is_some() {
        vec![]
    } else {
        keymap::hints(mode, app.lang)
    };
    // "? 帮助" always shows (it lists the keys that do not fit); the others in table order,
    // each that fits.
    let piece = |k: &str, t: &str| width(k) + 1 + width(t) + 2;
    let help_text = app.t("帮助", "help");
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
