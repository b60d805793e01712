//! The results form of a task: one input per line under section headings, each refusal of the
//! last save in red right under the input it concerns.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use super::{FormRow, ResultForm, columns};
use crate::tui::context::Ctx;
use crate::tui::text::Lang;
use crate::tui::view::layout;
use crate::tui::view::table::{fit, truncate, width};
use crate::tui::view::widgets::draw_field;

impl ResultForm {
    pub(super) fn draw_in(&self, frame: &mut Frame, body: Rect, cx: &Ctx) {
        draw(frame, cx, self, body);
    }
}

fn draw(frame: &mut Frame, cx: &Ctx, f: &ResultForm, body: Rect) {
    let th = cx.theme();
    let lang = cx.lang;
    let dirty = f.dirty();
    let title = match lang {
        Lang::Zh => format!(
            " {}检查结果 · 计划 #{} 任务 {}{} ",
            if f.existing { "修改" } else { "登记" },
            f.plan_id,
            f.seq,
            if dirty { " · 未保存" } else { "" }
        ),
        Lang::En => format!(
            " {} result · plan #{} task {}{} ",
            if f.existing { "Edit" } else { "Record" },
            f.plan_id,
            f.seq,
            if dirty { " · unsaved" } else { "" }
        ),
    };
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(th.border(true))
        .title(Span::styled(
            truncate(&title, body.width.saturating_sub(4) as usize),
            th.header(),
        ));
    frame.render_widget(block, body);
    let inner = layout::inner(body);
    if inner.height < 2 || inner.width < 10 {
        return;
    }
    let w = inner.width as usize;
    let head = format!("{} {}", f.institution, f.name);
    frame.render_widget(
        Paragraph::new(Span::styled(truncate(&head, w), th.key())),
        Rect::new(inner.x, inner.y, inner.width, 1),
    );
    let (lw, fw) = columns(w);
    let rows = f.rows(lang, w);
    let h = inner.height as usize - 1;
    let focus = f.focused();
    for (k, row) in rows.iter().skip(f.scroll).take(h).enumerate() {
        let y = inner.y + 1 + k as u16;
        let line_area = Rect::new(inner.x, y, inner.width, 1);
        match row {
            FormRow::Section(s) => {
                frame.render_widget(Paragraph::new(Span::styled(truncate(s, w), th.header())), line_area);
            }
            FormRow::Note(s) => {
                frame.render_widget(Paragraph::new(Span::styled(truncate(s, w), th.key())), line_area);
            }
            FormRow::Error(e) => {
                let line = Line::from(vec![Span::raw(" ".repeat(lw + 1)), Span::styled(e.clone(), th.error())]);
                frame.render_widget(Paragraph::new(line), line_area);
            }
            FormRow::Field(s) => {
                let has_err = f.has_issue(*s);
                let label_style = if has_err { th.error() } else { Style::new() };
                let label = format!(" {}", f.label(*s, lang));
                frame.render_widget(
                    Paragraph::new(Span::styled(fit(&label, lw), label_style)),
                    Rect::new(inner.x, y, lw as u16, 1),
                );
                let focused = *s == focus;
                let field = f.field(*s);
                let area = Rect::new(inner.x + lw as u16 + 1, y, fw as u16, 1);
                if field.is_empty() && !focused {
                    // An empty input shows what belongs there.
                    let hint = f.placeholder(*s, lang);
                    let line = Line::from(vec![
                        Span::styled("_".repeat(2.min(fw)), Style::new().add_modifier(Modifier::UNDERLINED)),
                        Span::styled(format!(" {}", truncate(hint, fw.saturating_sub(3))), th.dim()),
                    ]);
                    frame.render_widget(Paragraph::new(line), area);
                } else {
                    let style = if focused {
                        th.selected()
                    } else {
                        Style::new().add_modifier(Modifier::UNDERLINED)
                    };
                    // The input takes the width of its text (plus room for the cursor) so that
                    // the hint after a focused empty input stays readable.
                    let want = (width(&field.text) + 2).max(12).min(fw);
                    let input = Rect::new(area.x, y, want as u16, 1);
                    draw_field(frame, field, input, focused, style);
                    if focused && field.is_empty() {
                        let hint = f.placeholder(*s, lang);
                        let rest = fw.saturating_sub(want + 1);
                        frame.render_widget(
                            Paragraph::new(Span::styled(truncate(hint, rest), th.dim())),
                            Rect::new(area.x + want as u16 + 1, y, rest as u16, 1),
                        );
                    }
                }
            }
        }
    }
    // Scroll marks.
    if f.scroll > 0 {
        frame.render_widget(
            Paragraph::new(Span::styled("↑", th.dim())),
            Rect::new(inner.x + inner.width - 1, inner.y + 1, 1, 1),
        );
    }
    if rows.len() > f.scroll + h {
        frame.render_widget(
            Paragraph::new(Span::styled("↓", th.dim())),
            Rect::new(inner.x + inner.width - 1, inner.y + inner.height - 1, 1, 1),
        );
    }
}
