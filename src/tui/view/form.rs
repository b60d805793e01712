//! Adding or editing one roster record: one input per column, errors next to the field.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use super::table::{fit, truncate, width};
use super::{draw_field, layout, theme};
use crate::tui::app::{App, RecordForm};
use crate::tui::text;

pub fn draw(frame: &mut Frame, app: &App, f: &RecordForm, body: Rect) {
    let th = theme(app);
    let lang = app.lang;
    let title = match &f.key {
        None => format!(" {} {} ", lang.pick("新增", "Add to"), text::roster_name(f.kind, lang)),
        Some(k) => format!(
            " {} {} {k} ",
            lang.pick("编辑", "Edit"),
            text::roster_name(f.kind, lang)
        ),
    };
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(th.border(true))
        .title(Span::styled(title, th.header()));
    frame.render_widget(block, body);
    let inner = layout::inner(body);
    let lw = f.headers.iter().map(|h| width(h)).max().unwrap_or(0) + 2;
    let fw = (inner.width as usize).saturating_sub(lw + 1);
    // One row per field, plus one per error; scrolled so that the focused field shows.
    let mut rows: Vec<(usize, Option<String>)> = Vec::new();
    for i in 0..f.fields.len() {
        rows.push((i, None));
        for (_, e) in f.errors.iter().filter(|(c, _)| *c == i) {
            rows.push((i, Some(e.clone())));
        }
    }
    let h = inner.height as usize;
    let focus_row = rows.iter().position(|(i, e)| *i == f.focus && e.is_none()).unwrap_or(0);
    let first = (focus_row + 2).saturating_sub(h);
    for (y, (i, err)) in rows.iter().skip(first).take(h).enumerate() {
        let y = inner.y + y as u16;
        match err {
            None => {
                let has_err = f.errors.iter().any(|(c, _)| c == i);
                let label_style = if has_err { th.error() } else { th.header() };
                let readonly = f.key.is_some() && *i == 0;
                frame.render_widget(
                    Paragraph::new(Span::styled(fit(f.headers[*i], lw), label_style)),
                    Rect::new(inner.x, y, lw as u16, 1),
                );
                let style = if *i == f.focus {
                    th.selected()
                } else if readonly {
                    th.dim()
                } else {
                    Style::new().add_modifier(ratatui::style::Modifier::UNDERLINED)
                };
                draw_field(
                    frame,
                    &f.fields[*i],
                    Rect::new(inner.x + lw as u16 + 1, y, fw as u16, 1),
                    *i == f.focus,
                    style,
                );
            }
            Some(e) => {
                let line = Line::from(vec![
                    Span::raw(" ".repeat(lw + 1)),
                    Span::styled(format!("↑ {}", truncate(e, fw.saturating_sub(2))), th.error()),
                ]);
                frame.render_widget(Paragraph::new(line), Rect::new(inner.x, y, inner.width, 1));
            }
        }
    }
}
