//! The plans tab: the list of plans and the selected plan's life (rates, digest, draws).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

use super::table::{self, fit};
use super::{layout, theme};
use crate::domain::CreditClass;
use crate::domain::plan::{format_rate_bp, sample_size};
use crate::tui::app::{App, PlanStatus};
use crate::tui::text::{self, Lang};

pub fn draw(frame: &mut Frame, app: &App, body: Rect) {
    let th = theme(app);
    let lang = app.lang;
    let (list, detail) = layout::split_plans(body, app.plans.detail, app.plans.list.len());
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(th.border(true))
        .title(Span::styled(format!(" {} ", text::TABS[3].get(lang)), th.header()));
    frame.render_widget(block, list);
    let inner = layout::inner(list);
    if inner.height < 2 {
        return;
    }
    let w = inner.width as usize;
    let cols = [
        (0, 4),
        (1, 4),
        (2, 8),
        (3, w.saturating_sub(4 + 4 + 8 + 3 * table::GAP)),
    ];
    let head: Vec<&str> = text::PLAN_COLS.iter().map(|t| t.get(lang)).collect();
    let mut lines = vec![Line::from(Span::styled(
        fit(&table::row_text(&head, &cols), w),
        th.header(),
    ))];
    let rows = inner.height as usize - 1;
    let first = app.plans.selected.saturating_sub(rows.saturating_sub(1));
    if app.plans.list.is_empty() {
        lines.push(Line::from(Span::styled(text::NO_PLANS.get(lang), th.dim())));
    }
    for (i, p) in app.plans.list.iter().enumerate().skip(first).take(rows) {
        let cells = [
            p.id.to_string(),
            p.year.to_string(),
            text::status_name(p.status, lang).to_string(),
            p.title.clone(),
        ];
        let cells: Vec<&str> = cells.iter().map(String::as_str).collect();
        let style = if i == app.plans.selected {
            th.selected()
        } else {
            Style::new()
        };
        lines.push(table::styled_row(table::row_text(&cells, &cols), w, style));
    }
    frame.render_widget(Paragraph::new(lines), inner);
    if let Some(area) = detail {
        draw_detail(frame, app, area);
    }
}

fn per_class(values: impl Fn(usize) -> String) -> String {
    CreditClass::ALL
        .iter()
        .map(|c| format!("{} {}", c.letter(), values(c.index())))
        .collect::<Vec<_>>()
        .join(" · ")
}

fn draw_detail(frame: &mut Frame, app: &App, area: Rect) {
    let th = theme(app);
    let lang = app.lang;
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(th.border(false))
        .title(format!(" {} ", text::DETAIL.get(lang)));
    let Some(view) = &app.plans.view else {
        frame.render_widget(block, area);
        return;
    };
    let p = &view.plan;
    let t = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    let label = |s: &str| Span::styled(s.to_string(), th.header());
    let mut lines = vec![Line::from(vec![Span::styled(
        format!("#{} {}", p.id, p.title),
        th.header(),
    )])];
    lines.push(Line::from(vec![
        label(t("状态：", "Status: ")),
        Span::styled(text::status_name(p.status, lang), th.key()),
        Span::raw(format!(
            "   {}{}  {}",
            t("创建：", "created: "),
            p.created_at.replace('T', " "),
            p.created_by
        )),
    ]));
    if let Some(r) = app.plans.rates {
        lines.push(Line::from(vec![
            label(t("比例：", "Rates: ")),
            Span::raw(per_class(|i| format_rate_bp(r[i]))),
        ]));
        if p.status == PlanStatus::Draft {
            let n = app.per_class;
            lines.push(Line::from(vec![
                label(t("应抽：", "To draw: ")),
                Span::raw(per_class(|i| format!("{}/{}", sample_size(r[i], n[i]), n[i]))),
            ]));
        }
    }
    if let Some(f) = &view.frozen {
        let groups = text::digest_groups(&f.inputs_digest);
        lines.push(Line::from(label(t(
            "输入摘要（已公布）：",
            "Inputs digest (published):",
        ))));
        for chunk in groups.chunks(4) {
            lines.push(Line::from(Span::styled(format!("  {}", chunk.join(" ")), th.big())));
        }
        lines.push(Line::from(vec![
            label(t("冻结：", "Frozen: ")),
            Span::raw(format!("{}  {}", f.frozen_at.replace('T', " "), f.frozen_by)),
        ]));
    }
    for (k, d) in view.draws.iter().enumerate() {
        let current = k + 1 == view.draws.len();
        let head = match lang {
            Lang::Zh => format!("抽取 #{}{}：", k + 1, if current { "（当前）" } else { "" }),
            Lang::En => format!("Draw #{}{}: ", k + 1, if current { " (current)" } else { "" }),
        };
        lines.push(Line::from(vec![
            label(&head),
            Span::raw(format!("{}  {}", d.drawn_at.replace('T', " "), d.drawn_by)),
        ]));
        lines.push(Line::from(vec![
            Span::raw(format!("  {}", t("种子：", "seed: "))),
            Span::styled(d.seed.clone(), th.key()),
        ]));
        lines.push(Line::from(format!(
            "  {}{}",
            t("结果摘要：", "result digest: "),
            d.result_digest
        )));
        if !d.reason.is_empty() {
            lines.push(Line::from(format!("  {}{}", t("重抽理由：", "reason: "), d.reason)));
        }
    }
    if view.current_draw().is_some() {
        let n = view.tasks.iter().filter(|t| !t.alternate).count();
        let alt = view.tasks.len() - n;
        lines.push(Line::from(match lang {
            Lang::Zh => format!(
                "任务 {n} 个，候补 {alt} 个，替换 {} 次（按 5 查看）",
                view.adjustments.len()
            ),
            Lang::En => format!(
                "{n} tasks, {alt} alternates, {} replacements (press 5)",
                view.adjustments.len()
            ),
        }));
    }
    let next = match p.status {
        PlanStatus::Draft => t(
            "下一步：e 编辑 · f 冻结并公布输入摘要",
            "next: e edit · f freeze and publish the inputs digest",
        ),
        PlanStatus::Frozen => t("下一步：r 以公开的种子抽取", "next: r draw with a public seed"),
        PlanStatus::Drawn => t(
            "下一步：5 查看任务、登记检查结果 · p 公示 · r 重新抽取（须说明理由）",
            "next: 5 tasks and results · p publish · r redraw (needs a reason)",
        ),
        _ => t(
            "已公示：抽取结果不可更改；检查结果在 5 登记和公示",
            "published: the draw can no longer change; results are recorded on tab 5",
        ),
    };
    lines.push(Line::from(Span::styled(next, th.dim())));
    frame.render_widget(Paragraph::new(lines).block(block).wrap(Wrap { trim: false }), area);
}
