//! Drawing: a pure function of the state. One file per screen; `table` has the width-aware
//! helpers and `layout` the geometry shared with the update.

pub mod editor;
pub mod form;
pub mod layout;
pub mod plans;
pub mod popup;
pub mod result_form;
pub mod roster;
pub mod stats;
pub mod table;
pub mod tasks;
pub mod welcome;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::app::{App, Tab};
use super::forms::TextField;
use super::keymap;
use super::text;
use table::{fit, width};

/// Styles, with and without colour (`NO_COLOR`: bold and reverse video only).
#[derive(Debug, Clone, Copy)]
pub struct Theme {
    pub color: bool,
}

impl Theme {
    pub fn selected(self) -> Style {
        if self.color {
            Style::new()
                .bg(Color::Blue)
                .fg(Color::White)
                .add_modifier(Modifier::BOLD)
        } else {
            Style::new().add_modifier(Modifier::REVERSED)
        }
    }
    pub fn header(self) -> Style {
        if self.color {
            Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD)
        } else {
            Style::new().add_modifier(Modifier::BOLD)
        }
    }
    pub fn active_tab(self) -> Style {
        if self.color {
            Style::new()
                .bg(Color::Cyan)
                .fg(Color::Black)
                .add_modifier(Modifier::BOLD)
        } else {
            Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD)
        }
    }
    pub fn error(self) -> Style {
        if self.color {
            Style::new().fg(Color::Red).add_modifier(Modifier::BOLD)
        } else {
            Style::new().add_modifier(Modifier::BOLD)
        }
    }
    pub fn warn(self) -> Style {
        if self.color {
            Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD)
        } else {
            Style::new().add_modifier(Modifier::BOLD)
        }
    }
    pub fn ok(self) -> Style {
        if self.color {
            Style::new().fg(Color::Green)
        } else {
            Style::new()
        }
    }
    pub fn dim(self) -> Style {
        if self.color {
            Style::new().fg(Color::DarkGray)
        } else {
            Style::new().add_modifier(Modifier::DIM)
        }
    }
    pub fn key(self) -> Style {
        if self.color {
            Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD)
        } else {
            Style::new().add_modifier(Modifier::BOLD)
        }
    }
    pub fn big(self) -> Style {
        if self.color {
            Style::new()
                .fg(Color::White)
                .bg(Color::Black)
                .add_modifier(Modifier::BOLD)
        } else {
            Style::new().add_modifier(Modifier::BOLD)
        }
    }
    pub fn border(self, focused: bool) -> Style {
        match (self.color, focused) {
            (true, true) => Style::new().fg(Color::Cyan),
            (true, false) => Style::new().fg(Color::Gray),
            (false, true) => Style::new().add_modifier(Modifier::BOLD),
            (false, false) => Style::new(),
        }
    }
}

pub fn theme(app: &App) -> Theme {
    Theme { color: app.color }
}

/// Draws the whole screen.
pub fn draw(frame: &mut Frame, app: &App) {
    let areas = layout::areas((frame.area().width, frame.area().height));
    draw_tabs(frame, app, areas.tabs);
    if let Some(f) = &app.result_form {
        result_form::draw(frame, app, f, areas.body);
    } else if let Some(ed) = &app.editor {
        editor::draw(frame, app, ed, areas.body);
    } else if let Some(f) = &app.form {
        form::draw(frame, app, f, areas.body);
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
        popup::draw(frame, app, p);
    }
}

fn draw_tabs(frame: &mut Frame, app: &App, area: Rect) {
    let th = theme(app);
    let mut spans = Vec::new();
    let ranges = layout::tab_ranges(app.lang);
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
    for (k, t) in hints {
        let piece = width(&k) + 1 + width(t) + 2;
        // The two spaces after the last hint need not fit.
        if used + piece - 2 > w {
            break;
        }
        hint_spans.push(Span::styled(k, th.key()));
        hint_spans.push(Span::raw(format!(" {t}  ")));
        used += piece;
    }
    frame.render_widget(Paragraph::new(vec![line1, Line::from(hint_spans)]), area);
}

/// Draws a one-line text field in `area` and, when focused, places the terminal cursor.
pub fn draw_field(frame: &mut Frame, field: &TextField, area: Rect, focused: bool, style: Style) {
    let (visible, x) = field.view(area.width as usize);
    frame.render_widget(
        Paragraph::new(Span::styled(fit(&visible, area.width as usize), style)),
        area,
    );
    if focused {
        frame.set_cursor_position((area.x + x as u16, area.y));
    }
}

/// A rectangle of at most `w`×`h` centred in `area`.
pub fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect::new(area.x + (area.width - w) / 2, area.y + (area.height - h) / 2, w, h)
}

/// Wraps text to `w` columns by display width (Chinese text has no spaces to break at).
pub fn wrap(s: &str, w: usize) -> Vec<String> {
    let mut out = Vec::new();
    for para in s.split('\n') {
        let mut line = String::new();
        let mut lw = 0;
        for c in para.chars() {
            let cw = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
            if lw + cw > w.max(2) {
                out.push(std::mem::take(&mut line));
                lw = 0;
            }
            line.push(c);
            lw += cw;
        }
        out.push(line);
    }
    out
}
