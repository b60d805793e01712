//! The plan editor: the plan file as text, and a live preview of what the draw would take
//! from each credit class.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use super::table::{fit, fit_right, truncate, width};
use super::{layout, theme, wrap};
use crate::domain::CreditClass;
use crate::domain::plan::{MIN_RATE_BP, format_rate_bp};
use crate::tui::app::{App, PlanEditor};
use crate::tui::text::Lang;

pub fn draw(frame: &mut Frame, app: &App, ed: &PlanEditor, body: Rect) {
    let th = theme(app);
    let lang = app.lang;
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
