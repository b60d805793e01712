//! The box every popup is drawn in: rows of text or input fields, scrolled, with a footer of
//! keys.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use crate::tui::forms::TextField;
use crate::tui::keymap;
use crate::tui::text::Lang;
use crate::tui::view::table::width;
use crate::tui::view::theme::Theme;
use crate::tui::view::widgets::{centered, draw_field};
use crate::tui::view::wrap::wrap;

/// One row of a popup: text, or an input field with its label.
pub enum Row<'a> {
    Text(Line<'static>),
    Field {
        label: String,
        field: &'a TextField,
        focused: bool,
    },
}

pub fn text_rows(s: &str, w: usize, style: Style) -> Vec<Row<'static>> {
    wrap(s, w)
        .into_iter()
        .map(|l| Row::Text(Line::from(Span::styled(l, style))))
        .collect()
}

/// "1 error", "2 errors".
pub fn plural(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

pub fn blank() -> Row<'static> {
    Row::Text(Line::from(""))
}

/// Draws a popup box of width `w` holding `rows` (scrolled by `scroll`) and a footer.
#[allow(clippy::too_many_arguments)]
pub fn show(
    frame: &mut Frame,
    th: Theme,
    title: String,
    w: u16,
    rows: Vec<Row>,
    footer: Line<'static>,
    scroll: usize,
    error: bool,
) {
    let screen = frame.area();
    let h = (rows.len() as u16 + 3).min(screen.height.saturating_sub(2)).max(4);
    let area = centered(screen, w.min(screen.width.saturating_sub(2)), h);
    // A wide character just left of the box would lose its second half under the border:
    // blank it rather than leave half a character on the screen.
    if area.x > 0 {
        let buf = frame.buffer_mut();
        for y in area.y..area.y + area.height {
            let cell = &mut buf[(area.x - 1, y)];
            if width(cell.symbol()) > 1 {
                cell.set_symbol(" ");
            }
        }
    }
    frame.render_widget(Clear, area);
    let border = if error { th.error() } else { th.border(true) };
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(border)
        .title(Span::styled(title, if error { th.error() } else { th.header() }));
    frame.render_widget(block, area);
    let inner = Rect::new(
        area.x + 1,
        area.y + 1,
        area.width.saturating_sub(2),
        area.height.saturating_sub(2),
    );
    let visible = inner.height.saturating_sub(1) as usize;
    let scroll = scroll.min(rows.len().saturating_sub(visible));
    for (k, row) in rows.iter().skip(scroll).take(visible).enumerate() {
        let y = inner.y + k as u16;
        match row {
            Row::Text(line) => frame.render_widget(Paragraph::new(line.clone()), Rect::new(inner.x, y, inner.width, 1)),
            Row::Field { label, field, focused } => {
                let lw = width(label) as u16;
                frame.render_widget(
                    Paragraph::new(Span::styled(label.clone(), th.header())),
                    Rect::new(inner.x, y, lw.min(inner.width), 1),
                );
                let style = if *focused {
                    th.selected()
                } else {
                    Style::new().add_modifier(Modifier::UNDERLINED)
                };
                let fx = inner.x + lw;
                draw_field(
                    frame,
                    field,
                    Rect::new(fx, y, inner.width.saturating_sub(lw), 1),
                    *focused,
                    style,
                );
            }
        }
    }
    let footer_area = Rect::new(inner.x, inner.y + inner.height.saturating_sub(1), inner.width, 1);
    frame.render_widget(Paragraph::new(footer), footer_area);
    // Where the view is in a long popup, at the right end of the footer: "1–20/45 ↓".
    let more = rows.len() > visible + scroll;
    if more || scroll > 0 {
        let arrows = match (scroll > 0, more) {
            (true, true) => "↑↓",
            (true, false) => "↑",
            _ => "↓",
        };
        let pos = format!(
            " {}–{}/{} {arrows}",
            scroll + 1,
            (scroll + visible).min(rows.len()),
            rows.len()
        );
        let pw = width(&pos) as u16;
        if pw < footer_area.width {
            let at = Rect::new(footer_area.x + footer_area.width - pw, footer_area.y, pw, 1);
            frame.render_widget(Clear, at);
            frame.render_widget(Paragraph::new(Span::styled(pos, th.dim())), at);
        }
    }
}

/// A footer naming the keys of one popup: (key, text) pairs.
pub fn keys_footer(th: Theme, keys: &[(&str, &str)]) -> Line<'static> {
    let mut spans = Vec::new();
    for (k, t) in keys {
        spans.push(Span::styled(k.to_string(), th.key()));
        spans.push(Span::raw(format!(" {t}  ")));
    }
    Line::from(spans)
}

/// A footer built from the key table of a mode.
pub fn footer(th: Theme, lang: Lang, mode: keymap::Mode) -> Line<'static> {
    let mut spans = Vec::new();
    for (k, t) in keymap::hints(mode, lang) {
        spans.push(Span::styled(k, th.key()));
        spans.push(Span::raw(format!(" {t}  ")));
    }
    Line::from(spans)
}
