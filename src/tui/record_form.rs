//! Adding or editing one roster record: one input per column, errors next to the field.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use crate::app::rosters::{RosterKind, Upserted};
use crate::tui::action::Action;
use crate::tui::context::{Ctx, Effect};
use crate::tui::forms::TextField;
use crate::tui::keymap::Mode;
use crate::tui::screen::Screen;
use crate::tui::text::{self, Lang};
use crate::tui::view::layout;
use crate::tui::view::table::{fit, truncate, width};
use crate::tui::view::widgets::draw_field;

/// Adding or editing one roster record.
#[derive(Debug, Clone)]
pub struct RecordForm {
    pub kind: RosterKind,
    pub headers: Vec<&'static str>,
    pub fields: Vec<TextField>,
    pub focus: usize,
    /// From `save_record`: (column, reason).
    pub errors: Vec<(usize, String)>,
    /// The key of the edited record (its key field is then read-only); `None` for a new one.
    pub key: Option<String>,
}

impl RecordForm {
    /// A form for a new record of `kind`, or for editing `(key, cells)`.
    pub fn open(kind: RosterKind, edit: Option<(String, Vec<String>)>, lang: Lang) -> RecordForm {
        let headers = text::headers(kind, lang);
        match edit {
            None => RecordForm {
                kind,
                fields: vec![TextField::default(); headers.len()],
                headers,
                focus: 0,
                errors: vec![],
                key: None,
            },
            Some((key, cells)) => RecordForm {
                kind,
                fields: (0..headers.len())
                    .map(|j| TextField::new(cells.get(j).cloned().unwrap_or_default()))
                    .collect(),
                headers,
                focus: 1,
                errors: vec![],
                key: Some(key),
            },
        }
    }
}

impl Screen for RecordForm {
    fn mode(&self) -> Mode {
        Mode::Form
    }

    fn update(&mut self, action: Action, cx: &mut Ctx) {
        let f = self;
        let first = usize::from(f.key.is_some());
        let n = f.fields.len();
        match action {
            Action::Cancel => cx.push(Effect::CloseRecordForm),
            Action::NextField => f.focus = if f.focus + 1 >= n { first } else { f.focus + 1 },
            Action::PrevField => f.focus = if f.focus <= first { n - 1 } else { f.focus - 1 },
            Action::Save => {
                let cells = f.fields.iter().map(|x| x.text.trim().to_string()).collect::<Vec<_>>();
                match cx.svc.save_record(f.kind, &cells) {
                    Ok(Ok(up)) => {
                        cx.push(Effect::CloseRecordForm);
                        cx.push(Effect::Refresh);
                        let what = match up {
                            Upserted::Added => cx.t("已新增", "added"),
                            Upserted::Updated => cx.t("已更新", "updated"),
                            Upserted::Unchanged => cx.t("没有变化", "unchanged"),
                        };
                        cx.info(format!("{what} {}", cells[0]));
                    }
                    Ok(Err(errs)) => {
                        let n = errs.len();
                        if let Some((c, _)) = errs.first() {
                            f.focus = (*c).max(first);
                        }
                        f.errors = errs;
                        cx.error(match cx.lang {
                            Lang::Zh => format!("有 {n} 处错误，未保存"),
                            Lang::En => format!("{n} problems; nothing saved"),
                        });
                    }
                    Err(e) => cx.error(format!("{e:#}")),
                }
            }
            a => {
                let focus = f.focus;
                if f.fields[focus].edit(&a) {
                    f.errors.retain(|(c, _)| *c != focus);
                }
            }
        }
    }

    fn draw(&self, frame: &mut Frame, body: Rect, cx: &Ctx) {
        let f = self;
        let th = cx.theme();
        let lang = cx.lang;
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
}
