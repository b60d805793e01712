//! The plan editor: the plan file as text (a `TextArea`, see `forms` for why it is our own),
//! and a live preview of what the draw would take from each credit class.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use crate::domain::CreditClass;
use crate::domain::plan::{MIN_RATE_BP, format_rate_bp, sample_size};
use crate::tui::action::Action;
use crate::tui::context::{Ctx, Effect};
use crate::tui::forms::TextArea;
use crate::tui::keymap::Mode;
use crate::tui::screen::Screen;
use crate::tui::text::Lang;
use crate::tui::view::layout;
use crate::tui::view::table::{fit, fit_right, truncate, width};
use crate::tui::view::wrap::wrap;

/// The live preview of the plan editor.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Preview {
    /// Rates in basis points as written (or defaulted), per class; `None` when unreadable.
    pub rates: [Option<u32>; 4],
    /// Institutions per class (the population N).
    pub population: [u64; 4],
    /// `parse_plan`'s complaint, if any.
    pub error: Option<String>,
    /// The text is not TOML: `rates` are those of the last readable text.
    pub unreadable: bool,
}

impl Preview {
    pub fn sample(&self, i: usize) -> Option<u64> {
        self.rates[i].map(|bp| sample_size(bp, self.population[i]))
    }
}

#[derive(Debug, Clone)]
pub struct PlanEditor {
    /// `None` for a new plan.
    pub plan_id: Option<i64>,
    pub area: TextArea,
    pub preview: Preview,
    pub dirty: bool,
    /// Esc was pressed once on unsaved changes.
    pub confirm_discard: bool,
}

/// Text lines visible in the plan editor at this size.
pub fn text_height(size: (u16, u16)) -> usize {
    let (text, _) = layout::editor_split(layout::areas(size).body);
    (layout::inner(text).height as usize).max(1)
}

impl PlanEditor {
    /// The editor on `text` (a new plan when `plan_id` is `None`), with its preview.
    pub fn open(plan_id: Option<i64>, text: &str, cx: &Ctx) -> PlanEditor {
        let mut ed = PlanEditor {
            plan_id,
            area: TextArea::new(text.trim_end()),
            preview: Preview::default(),
            dirty: false,
            confirm_discard: false,
        };
        ed.update_preview(cx);
        ed
    }

    /// Recomputes the preview from the text. While the text is not TOML (being typed), the
    /// rates stay those of the last readable text, marked as such.
    pub fn update_preview(&mut self, cx: &Ctx) {
        let text = self.area.text();
        let error = cx.svc.parse_plan(&text).err().map(|e| format!("{e:#}"));
        let rates = cx.svc.plan_rates(&text);
        self.preview = Preview {
            rates: rates.unwrap_or(self.preview.rates),
            population: cx.per_class,
            error,
            unreadable: rates.is_none(),
        };
    }

    /// Keeps the cursor in view (after a resize).
    pub fn resize(&mut self, cx: &Ctx) {
        self.area.scroll_to_cursor(text_height(cx.size));
    }

    fn save(&mut self, cx: &mut Ctx) {
        let text = self.area.text();
        let result = match self.plan_id {
            None => cx.svc.create_plan(&text),
            Some(id) => cx.svc.update_plan(id, &text).map(|()| id),
        };
        match result {
            Ok(id) => {
                cx.push(Effect::CloseEditor);
                cx.push(Effect::ShowPlan(id));
                let msg = if self.plan_id.is_none() {
                    cx.t("已新建计划", "created plan")
                } else {
                    cx.t("已保存计划", "saved plan")
                };
                cx.info(format!("{msg} #{id}"));
            }
            Err(e) => {
                // The whole message (a TOML error spans lines) is in the preview pane.
                let text = format!("{e:#}");
                let first = text.lines().next().unwrap_or_default();
                cx.error(format!(
                    "{}{first}{}",
                    cx.t("未保存：", "not saved: "),
                    cx.t("（详见预览）", " (see the preview)")
                ));
                self.update_preview(cx);
            }
        }
    }
}

impl Screen for PlanEditor {
    fn mode(&self) -> Mode {
        Mode::Editor
    }

    fn update(&mut self, action: Action, cx: &mut Ctx) {
        let h = text_height(cx.size);
        let ed = self;
        let before = ed.area.lines.clone();
        match action {
            Action::Char(c) => ed.area.insert(c),
            Action::Paste(s) => ed.area.insert_str(&s),
            Action::Newline => ed.area.newline(),
            Action::Backspace => ed.area.backspace(),
            Action::Delete => ed.area.delete(),
            Action::Left => ed.area.left(),
            Action::Right => ed.area.right(),
            Action::Up => ed.area.up(1),
            Action::Down => ed.area.down(1),
            Action::ScrollUp => ed.area.up(3),
            Action::ScrollDown => ed.area.down(3),
            Action::PageUp => ed.area.up(h.saturating_sub(1).max(1)),
            Action::PageDown => ed.area.down(h.saturating_sub(1).max(1)),
            Action::LineStart => ed.area.home(),
            Action::LineEnd => ed.area.end(),
            Action::Cancel => {
                if ed.dirty && !ed.confirm_discard {
                    ed.confirm_discard = true;
                    let msg = cx.t(
                        "有未保存的修改：再按 Esc 放弃，Ctrl-S 保存",
                        "unsaved changes: Esc again discards them, Ctrl-S saves",
                    );
                    cx.error(msg);
                } else {
                    cx.push(Effect::CloseEditor);
                    cx.clear_status();
                }
                return;
            }
            Action::Save => return ed.save(cx),
            _ => {}
        }
        ed.area.scroll_to_cursor(h);
        if ed.area.lines != before {
            ed.dirty = true;
            ed.confirm_discard = false;
            ed.update_preview(cx);
        }
    }

    fn draw(&self, frame: &mut Frame, body: Rect, cx: &Ctx) {
        draw(frame, cx, self, body);
    }
}

fn draw(frame: &mut Frame, cx: &Ctx, ed: &PlanEditor, body: Rect) {
    let th = cx.theme();
    let lang = cx.lang;
    let (text_area, preview_area) = layout::editor_split(body);
    let title = match (ed.plan_id, lang) {
        (None, Lang::Zh) => " 新建抽查计划（TOML）".to_string(),
        (None, Lang::En) => " New plan (TOML)".to_string(),
        (Some(id), Lang::Zh) => format!(" 编辑计划 #{id}（TOML）"),
        (Some(id), Lang::En) => format!(" Edit plan #{id} (TOML)"),
    };
    let title = format!(
        "{title}{} ",
        if ed.dirty {
            lang.pick(" · 未保存", " · unsaved")
        } else {
            ""
        }
    );
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(th.border(true))
        .title(Span::styled(title, th.header()));
    frame.render_widget(block, text_area);
    let inner = layout::inner(text_area);
    let gutter = 4usize;
    let tw = (inner.width as usize).saturating_sub(gutter);
    let a = &ed.area;
    let lines: Vec<Line> = a
        .lines
        .iter()
        .enumerate()
        .skip(a.scroll)
        .take(inner.height as usize)
        .map(|(i, l)| {
            Line::from(vec![
                Span::styled(format!("{:>3} ", i + 1), th.dim()),
                Span::raw(truncate(l, tw)),
            ])
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
    if a.row >= a.scroll && a.row < a.scroll + inner.height as usize {
        let x = (gutter + a.cursor_x().min(tw.saturating_sub(1))) as u16;
        frame.set_cursor_position((inner.x + x, inner.y + (a.row - a.scroll) as u16));
    }

    // Preview.
    let p = &ed.preview;
    let pw = preview_area.width.saturating_sub(2) as usize;
    let mut out = vec![Line::from(Span::styled(
        format!(
            "{} {} {} {}",
            fit(lang.pick("等级", "Class"), 6),
            fit_right(lang.pick("比例", "Rate"), 8),
            fit_right(lang.pick("在册", "N"), 8),
            fit_right(lang.pick("应抽", "Drawn"), 8)
        ),
        th.header(),
    ))];
    let mut warnings = Vec::new();
    for c in CreditClass::ALL {
        let i = c.index();
        let rate = p.rates[i].map(format_rate_bp).unwrap_or_else(|| "?".into());
        let k = p.sample(i).map(|k| k.to_string()).unwrap_or_else(|| "?".into());
        let low = p.rates[i].is_some_and(|bp| bp < MIN_RATE_BP);
        if low {
            warnings.push(match lang {
                Lang::Zh => format!("注意：{} 类比例 {rate} 低于 5% 下限", c.letter()),
                Lang::En => format!("warning: class {} rate {rate} is below the 5% floor", c.letter()),
            });
        }
        let style = match (low, p.unreadable) {
            (true, _) => th.warn(),
            (false, true) => th.dim(),
            (false, false) => Style::new(),
        };
        out.push(Line::from(Span::styled(
            format!(
                "{} {} {} {}",
                fit(c.letter(), 6),
                fit_right(&rate, 8),
                fit_right(&p.population[i].to_string(), 8),
                fit_right(&k, 8)
            ),
            style,
        )));
    }
    for w in warnings {
        out.push(Line::from(Span::styled(truncate(&w, pw), th.warn())));
    }
    if p.unreadable {
        let note = lang.pick(
            "（文本暂不是有效 TOML：比例按上次可读的内容）",
            "(not valid TOML yet: rates as last readable)",
        );
        for l in wrap(note, pw) {
            out.push(Line::from(Span::styled(l, th.dim())));
        }
    }
    match &p.error {
        None => out.push(Line::from(Span::styled(
            lang.pick("✓ 计划有效：Ctrl-S 保存", "✓ the plan is valid: Ctrl-S saves"),
            th.ok(),
        ))),
        Some(e) => {
            for l in wrap(e, pw) {
                if width(&l) > 0 {
                    out.push(Line::from(Span::styled(l, th.error())));
                }
            }
        }
    }
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(th.border(false))
        .title(format!(
            " {} ",
            lang.pick("预览：各等级应抽数量", "Preview: drawn per class")
        ));
    frame.render_widget(Paragraph::new(out).block(block), preview_area);
}
