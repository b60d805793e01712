//! The statistics tab: per credit class the roster size, the drawn count and the rate against
//! the 5% floor, and this year's coverage.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Bar, BarChart, BarGroup, Block, Borders, Gauge, LineGauge, Paragraph};

use super::table::{self, fit, fit_right};
use super::theme;
use crate::domain::CreditClass;
use crate::tui::app::App;
use crate::tui::text;

fn percent_text(drawn: u64, n: u64) -> String {
    if n == 0 {
        "—".into()
    } else {
        format!("{:.1}%", drawn as f64 * 100.0 / n as f64)
    }
}

pub fn draw(frame: &mut Frame, app: &App, body: Rect) {
    let th = theme(app);
    let lang = app.lang;
    let s = &app.stats;
    let gauge_h = 3.min(body.height);
    let top = Rect::new(body.x, body.y, body.width, body.height - gauge_h);
    let table_w = 44.min(top.width);
    let left = Rect::new(top.x, top.y, table_w, top.height);
    let right = Rect::new(top.x + table_w, top.y, top.width - table_w, top.height);

    // The table: class, roster size, drawn, rate, verdict against the floor.
    let any_draw = s.drawn.iter().sum::<u64>() > 0;
    let widths = [6, 8, 6, 8, 8];
    let cell = |i: usize, v: &str, right: bool| {
        if right {
            fit_right(v, widths[i])
        } else {
            fit(v, widths[i])
        }
    };
    let head = [
        text::CLASS.get(lang),
        text::ROSTER_SIZE.get(lang),
        text::DRAWN.get(lang),
        text::RATE.get(lang),
        lang.pick("下限5%", "floor 5%"),
    ];
    let mut lines = vec![Line::from(Span::styled(
        head.iter()
            .enumerate()
            .map(|(i, h)| cell(i, h, i > 0 && i < 4))
            .collect::<Vec<_>>()
            .join(" "),
        th.header(),
    ))];
    let (mut tn, mut td) = (0, 0);
    for c in CreditClass::ALL {
        let (n, d) = (s.per_class[c.index()], s.drawn[c.index()]);
        tn += n;
        td += d;
        let (verdict, vstyle) = if !any_draw || n == 0 {
            ("—", Style::new())
        } else if d * 20 < n {
            (text::BELOW_FLOOR.get(lang), th.error())
        } else {
            (text::FLOOR_OK.get(lang), th.ok())
        };
        lines.push(Line::from(vec![
            Span::raw(
                [
                    cell(0, c.letter(), false),
                    cell(1, &n.to_string(), true),
                    cell(2, &d.to_string(), true),
                    cell(3, &percent_text(d, n), true),
                ]
                .join(" "),
            ),
            Span::raw(" "),
            Span::styled(cell(4, verdict, false), vstyle),
        ]));
    }
    lines.push(Line::from(Span::styled(
        [
            cell(0, lang.pick("合计", "All"), false),
            cell(1, &tn.to_string(), true),
            cell(2, &td.to_string(), true),
            cell(3, &percent_text(td, tn), true),
        ]
        .join(" "),
        th.header(),
    )));
    lines.push(Line::from(""));
    let note = lang.pick(
        "已抽取 = 各计划当前抽取的正式任务（含替换后）。在册机构为信用等级分层的总体。",
        "Drawn = tasks of every plan's current draw (after replacements). Institutions = the active 在册 population per class.",
    );
    for l in super::wrap(note, left.width.saturating_sub(2) as usize) {
        lines.push(Line::from(Span::styled(l, th.dim())));
    }
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(th.border(true))
        .title(Span::styled(format!(" {} ", text::TABS[5].get(lang)), th.header()));
    frame.render_widget(Paragraph::new(lines).block(block), left);

    // Rates as bars in per mille, with the floor as a fifth bar to compare against.
    if right.width >= 20 {
        let mut bars: Vec<Bar> = CreditClass::ALL
            .iter()
            .map(|c| {
                let (n, d) = (s.per_class[c.index()], s.drawn[c.index()]);
                let v = (d * 1000).checked_div(n).unwrap_or(0);
                let style = if any_draw && n > 0 && d * 20 < n {
                    th.error()
                } else {
                    th.ok()
                };
                Bar::default()
                    .value(v)
                    .label(Line::from(c.letter()))
                    .text_value(format!("{v}"))
                    .style(style)
            })
            .collect();
        bars.push(
            Bar::default()
                .value(50)
                .label(Line::from(lang.pick("下限", "min")))
                .text_value("50")
                .style(th.warn()),
        );
        let max = s
            .per_class
            .iter()
            .zip(&s.drawn)
            .map(|(n, d)| (d * 1000).checked_div(*n).unwrap_or(0))
            .max()
            .unwrap_or(0)
            .max(100);
        let chart = BarChart::default()
            .block(
                Block::default()
                    .borders(Borders::ALL)
                    .border_style(th.border(false))
                    .title(format!(" {} ", text::RATE_CHART.get(lang))),
            )
            .data(BarGroup::default().bars(&bars))
            .bar_width(((right.width.saturating_sub(2)) / 5).saturating_sub(2).clamp(3, 8))
            .bar_gap(2)
            .max(max);
        frame.render_widget(chart, right);
    }

    // This year's coverage.
    let gauge_area = Rect::new(body.x, body.y + body.height - gauge_h, body.width, gauge_h);
    let ratio = if s.active == 0 {
        0.0
    } else {
        (s.covered as f64 / s.active as f64).clamp(0.0, 1.0)
    };
    let label = format!("{} / {}  ({:.1}%)", s.covered, s.active, ratio * 100.0);
    let title = format!(" {} {} ", s.year, text::COVERAGE.get(lang));
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(th.border(false))
        .title(table::truncate(&title, body.width.saturating_sub(2) as usize));
    if app.color {
        frame.render_widget(
            Gauge::default()
                .block(block)
                .gauge_style(th.ok())
                .ratio(ratio)
                .label(label),
            gauge_area,
        );
    } else {
        frame.render_widget(
            LineGauge::default()
                .block(block)
                .filled_symbol("█")
                .unfilled_symbol("·")
                .ratio(ratio)
                .label(label),
            gauge_area,
        );
    }
}
