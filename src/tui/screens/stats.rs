//! The statistics tab: per credit class the roster size, the drawn count and the rate against
//! the 5% floor, and this year's coverage.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Bar, BarChart, BarGroup, Block, Borders, Gauge, LineGauge, Paragraph};

use std::collections::BTreeSet;

use crate::app::plans::PlanRow;
use crate::app::results::{ResultStats, StatsScope};
use crate::domain::CreditClass;
use crate::domain::results::fen_display;
use crate::tui::action::Action;
use crate::tui::context::Ctx;
use crate::tui::keymap::Mode;
use crate::tui::popups::info;
use crate::tui::screen::Screen;
use crate::tui::text::{self, Lang};
use crate::tui::view::table::{self, fit, fit_right, truncate, width};
use crate::tui::view::theme::Theme;
use crate::tui::view::wrap::wrap;

/// The statistics tab.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Stats {
    /// Active 在册 institutions per class A–D.
    pub per_class: [u64; 4],
    /// Tasks of the current draws of all plans, per class.
    pub drawn: [u64; 4],
    pub active: usize,
    /// Distinct institutions drawn by this year's plans.
    pub covered: usize,
    pub year: i32,
    /// Results completed this year.
    pub results: Option<ResultStats>,
}

impl Stats {
    /// Counts the draws of `plans` and this year's results.
    pub fn load(&mut self, plans: &[PlanRow], cx: &mut Ctx) {
        let mut s = Stats {
            year: chrono::Datelike::year(&cx.svc.now()),
            per_class: cx.per_class,
            ..Default::default()
        };
        // The denominator is the 在册 population the draws are taken from.
        s.active = cx.per_class.iter().sum::<u64>() as usize;
        let mut covered = BTreeSet::new();
        for p in plans {
            let Ok(view) = cx.svc.plan_view(p.id) else {
                continue;
            };
            if view.current_draw().is_none() {
                continue;
            }
            for (t, _) in view.effective_tasks() {
                s.drawn[t.class.index()] += 1;
                if p.year == s.year {
                    covered.insert(t.institution);
                }
            }
        }
        s.covered = covered.len();
        match cx.svc.result_stats(StatsScope::Year(s.year)) {
            Ok(r) => s.results = Some(r),
            Err(e) => cx.error(e),
        }
        *self = s;
    }
}

impl Screen for Stats {
    fn mode(&self) -> Mode {
        Mode::Stats
    }

    fn update(&mut self, action: Action, cx: &mut Ctx) {
        if action == Action::ShowFollowup {
            info::open_followup(cx);
        }
    }

    fn draw(&self, frame: &mut Frame, area: Rect, cx: &Ctx) {
        draw(frame, self, cx, area);
    }
}

fn percent_text(drawn: u64, n: u64) -> String {
    if n == 0 {
        "—".into()
    } else {
        format!("{:.1}%", drawn as f64 * 100.0 / n as f64)
    }
}

fn draw(frame: &mut Frame, s: &Stats, cx: &Ctx, body: Rect) {
    let th = cx.theme();
    let lang = cx.lang;
    let gauge_h = 3.min(body.height);
    let top = Rect::new(body.x, body.y, body.width, body.height - gauge_h);
    let table_w = 44.min(top.width);
    let left = Rect::new(top.x, top.y, table_w, top.height);
    let rest = Rect::new(top.x + table_w, top.y, top.width - table_w, top.height);
    // The results of the year next to the table; the rate chart only where there is room.
    let results_w = if rest.width >= 76 { 40 } else { rest.width };
    let results_area = Rect::new(rest.x, rest.y, results_w, rest.height);
    let right = Rect::new(rest.x + results_w, rest.y, rest.width - results_w, rest.height);
    draw_results(frame, s, cx, results_area);

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
    for l in wrap(note, left.width.saturating_sub(2) as usize) {
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
    if cx.color {
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

/// The year's results: counts per category, amounts, rectifications and points.
fn draw_results(frame: &mut Frame, s: &Stats, cx: &Ctx, area: Rect) {
    if area.width < 12 || area.height < 3 {
        return;
    }
    let th = cx.theme();
    let lang = cx.lang;
    let title = match lang {
        Lang::Zh => format!(" {} 年度检查结果 ", s.year),
        Lang::En => format!(" {} results ", s.year),
    };
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(th.border(false))
        .title(Span::styled(
            truncate(&title, area.width.saturating_sub(2) as usize),
            th.header(),
        ));
    let w = area.width.saturating_sub(2) as usize;
    let Some(r) = &s.results else {
        frame.render_widget(Paragraph::new("").block(block), area);
        return;
    };
    let mut lines = vec![Line::from(match lang {
        Lang::Zh => format!("已登记 {}  违规 {}  已公示 {}", r.recorded, r.violations, r.disclosed),
        Lang::En => format!(
            "recorded {}  violations {}  disclosed {}",
            r.recorded, r.violations, r.disclosed
        ),
    })];
    // Per category: all configured ones (zeros dimmed), count right-aligned.
    let nw = r
        .per_category
        .iter()
        .map(|(_, n)| n.to_string().len())
        .max()
        .unwrap_or(1)
        .max(2);
    for (c, n) in &r.per_category {
        let name = fit(&format!(" {c}"), w.saturating_sub(nw + 1));
        let style = if *n == 0 { th.dim() } else { Style::new() };
        lines.push(Line::from(Span::styled(
            format!("{name} {}", fit_right(&n.to_string(), nw)),
            style,
        )));
    }
    let yuan = lang.pick(" 元", " yuan");
    let money = |label: &str, fen: i64| -> Line<'static> {
        let v = format!("{}{yuan}", fen_display(fen));
        let lw = w.saturating_sub(width(&v) + 1);
        Line::from(vec![
            Span::styled(fit(label, lw), th.header()),
            Span::raw(" "),
            Span::styled(v, th.key()),
        ])
    };
    lines.push(money(lang.pick("追回资金", "Recovered"), r.recovered_fen));
    lines.push(money(lang.pick("罚款", "Fines"), r.fine_fen));
    lines.push(rectification_line(
        cx,
        th,
        r.rectifications_open,
        r.rectifications_overdue,
    ));
    lines.push(Line::from(match lang {
        Lang::Zh => format!("记分 {} 人，共 {} 分", r.persons_scored, r.points_total),
        Lang::En => format!("points: {} people, {} in all", r.persons_scored, r.points_total),
    }));
    let lines: Vec<Line> = lines
        .into_iter()
        .map(|l| {
            // Cut every line to the box.
            let text: String = l.spans.iter().map(|s| s.content.as_ref()).collect();
            if width(&text) > w {
                Line::from(Span::styled(
                    truncate(&text, w),
                    l.spans.first().map(|s| s.style).unwrap_or_default(),
                ))
            } else {
                l
            }
        })
        .collect();
    frame.render_widget(Paragraph::new(lines).block(block), area);
}

fn rectification_line(cx: &Ctx, th: Theme, open: usize, overdue: usize) -> Line<'static> {
    let lang = cx.lang;
    let (a, b) = match lang {
        Lang::Zh => (format!("整改未销号 {open}，"), format!("逾期 {overdue}")),
        Lang::En => (format!("rectifications open {open}, "), format!("overdue {overdue}")),
    };
    let style = if overdue > 0 { th.error() } else { th.ok() };
    Line::from(vec![Span::raw(a), Span::styled(b, style)])
}
