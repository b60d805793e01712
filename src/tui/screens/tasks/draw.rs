//! The tasks tab: the current draw of the selected plan, replacements applied, then the
//! alternates (候补); per task its result, the publication deadline and what is overdue.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

use super::{TaskLine, TasksState};
use crate::domain::results::fen_display;
use crate::tui::context::Ctx;
use crate::tui::text::{self, Lang};
use crate::tui::view::columns::{self, Col};
use crate::tui::view::layout;
use crate::tui::view::table::{self, fit, width};
use crate::tui::view::theme::Theme;

/// Result and publication columns.
const RESULT: usize = 4;
const DUE: usize = 5;

fn cells(l: &TaskLine, results: bool, lang: Lang) -> [String; 8] {
    let no = if l.alternate {
        format!("{}{}", text::ALTERNATE.get(lang), if l.used { "✓" } else { "" })
    } else if l.replaced.is_some() {
        format!("{}*", l.seq)
    } else {
        l.seq.to_string()
    };
    let result = match (l.alternate, l.category()) {
        (true, _) => String::new(),
        (false, Some(c)) if l.rectification_overdue => format!("!{}·{c}", text::RECTIFY_OVERDUE.get(lang)),
        (false, Some(c)) => c.to_string(),
        (false, None) if results => text::NOT_RECORDED.get(lang).to_string(),
        (false, None) => String::new(),
    };
    let stored = l.result.as_ref().and_then(|r| r.stored.as_ref());
    let due = match (stored, l.result.as_ref().and_then(|r| r.publication_due)) {
        (Some(s), _) if s.disclosed_at.is_some() => text::DISCLOSED.get(lang).to_string(),
        // The date whole in a narrow column; the colour (or bold) says the rest.
        (_, Some(d)) if l.publication_overdue => format!("!{d}"),
        (_, Some(d)) => d.to_string(),
        _ => String::new(),
    };
    [
        no,
        l.class.letter().to_string(),
        l.institution.clone(),
        l.name.clone(),
        result,
        due,
        // Names read better than 执法证号 and fit a narrow column; the detail pane has both.
        l.team_names.join("、"),
        l.items.join(","),
    ]
}

/// One task row: overdue cells stand out (red, or bold without colour); the selected row is
/// highlighted as a whole.
fn task_row(
    l: &TaskLine,
    c: &[String; 8],
    cols: &[(usize, usize)],
    w: usize,
    selected: bool,
    th: Theme,
) -> Line<'static> {
    let refs: Vec<&str> = c.iter().map(String::as_str).collect();
    if selected {
        return table::styled_row(table::row_text(&refs, cols), w, th.selected());
    }
    let base = if l.alternate { th.dim() } else { Style::new() };
    let mut spans = Vec::new();
    let mut used = 0;
    for (k, &(col, cw)) in cols.iter().enumerate() {
        if k > 0 {
            spans.push(Span::raw(" ".repeat(table::GAP)));
            used += table::GAP;
        }
        let style = match col {
            RESULT if l.rectification_overdue => th.error(),
            RESULT if !l.alternate && l.category().is_none() => th.dim(),
            DUE if l.publication_overdue => th.error(),
            _ => base,
        };
        spans.push(Span::styled(fit(refs[col], cw), style));
        used += cw;
    }
    if used < w {
        spans.push(Span::raw(" ".repeat(w - used)));
    }
    Line::from(spans)
}

/// "已录入 3/39 · 待公示 2 · 逾期 1 · 整改逾期 0".
fn summary(st: &TasksState, cx: &Ctx) -> Option<String> {
    if !st.results {
        return None;
    }
    let lang = cx.lang;
    let tasks: Vec<&TaskLine> = st.lines.iter().filter(|l| !l.alternate).collect();
    let recorded = tasks.iter().filter(|l| l.category().is_some()).count();
    let pending = tasks
        .iter()
        .filter(|l| {
            l.result
                .as_ref()
                .and_then(|r| r.stored.as_ref())
                .is_some_and(|s| s.disclosed_at.is_none())
        })
        .count();
    let late = tasks.iter().filter(|l| l.publication_overdue).count();
    let rect = tasks.iter().filter(|l| l.rectification_overdue).count();
    Some(match lang {
        Lang::Zh => format!(
            "已录入 {recorded}/{} · 待公示 {pending}（逾期 {late}）· 整改逾期 {rect}",
            tasks.len()
        ),
        Lang::En => format!(
            "recorded {recorded}/{} · to publish {pending} ({late} late) · rectification overdue {rect}",
            tasks.len()
        ),
    })
}

/// Which columns go first when the screen is narrow: the code before the name, and the name
/// capped, so that both fit at 80 columns next to the result.
fn priority(results: bool) -> &'static [usize] {
    if results {
        &[0, 1, 2, 3, RESULT, DUE, 6, 7]
    } else {
        &[0, 1, 2, 3, 6, 7]
    }
}

/// The columns sized from all the task lines (not the ones on screen). The number, result
/// and deadline columns are as wide as any value they can take, so that recording a result,
/// publishing or replacing a task does not move the columns.
fn sized(st: &TasksState, cx: &Ctx, head: &[&str], all: &[[String; 8]]) -> Vec<Col> {
    let rows: Vec<Vec<String>> = all.iter().map(|c| c.to_vec()).collect();
    let widest = columns::widest_cells(&rows, head.len());
    let alternate = width(text::ALTERNATE.get(cx.lang)) + width("✓");
    // "!2026-03-30" when overdue.
    let due = width("!2026-03-30").max(width(text::DISCLOSED.get(cx.lang)));
    vec![
        Col::fixed(head[0], widest[0].max(alternate)),
        Col::capped(head[1], widest[1], 4),
        Col::capped(head[2], widest[2], 24),
        Col::capped(head[3], widest[3], 18),
        Col::capped(head[RESULT], st.result_width, 13),
        Col::fixed(head[DUE], due),
        Col::capped(head[6], widest[6], 20),
        Col::capped(head[7], widest[7], 20),
    ]
}

impl TasksState {
    /// Draws the task list in `body` and, when shown, the detail pane.
    pub(super) fn draw_in(&self, frame: &mut Frame, body: Rect, cx: &Ctx) {
        draw(frame, self, cx, body);
    }
}

fn draw(frame: &mut Frame, st: &TasksState, cx: &Ctx, body: Rect) {
    let th = cx.theme();
    let lang = cx.lang;
    let (list, detail) = layout::split_detail(body, st.detail);
    let mut title = format!(" {} ", text::TABS[4].get(lang));
    if let Some(s) = summary(st, cx) {
        title = table::truncate(&format!("{title}· {s} "), list.width.saturating_sub(4) as usize);
    }
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(th.border(true))
        .title(Span::styled(title, th.header()));
    frame.render_widget(block, list);
    let inner = layout::inner(list);
    if inner.height < 3 {
        return;
    }
    let w = inner.width as usize;
    let Some(view) = &st.view else {
        frame.render_widget(
            Paragraph::new(Span::styled(text::NO_PLAN_SELECTED.get(lang), th.dim())),
            inner,
        );
        return;
    };
    let p = &view.plan;
    let mut info = format!("#{} {} · {}", p.id, p.title, text::status_name(p.status, lang));
    if let Some(d) = view.current_draw() {
        info.push_str(&format!(" · {}{}", lang.pick("种子 ", "seed "), d.seed));
    }
    let switch = lang.pick("  [ ] 切换计划", "  [ ] other plan");
    let switch = if st.plans > 1 && w >= width(&info) + width(switch) {
        switch
    } else {
        ""
    };
    let mut lines = vec![Line::from(vec![
        Span::styled(table::truncate(&info, w), th.key()),
        Span::styled(switch, th.dim()),
    ])];
    let head: Vec<&str> = text::TASK_COLS.iter().map(|t| t.get(lang)).collect();
    let results = st.results;
    let all: Vec<[String; 8]> = st.lines.iter().map(|l| cells(l, results, lang)).collect();
    let cols = columns::choose_columns(&sized(st, cx, &head, &all), priority(results), w);
    lines.push(Line::from(Span::styled(
        fit(&table::row_text(&head, &cols), w),
        th.header(),
    )));
    if st.lines.is_empty() {
        lines.push(Line::from(Span::styled(text::NO_DRAW.get(lang), th.dim())));
    }
    let rows = st.rows_area(body).height as usize;
    for (i, (l, c)) in st.lines.iter().zip(&all).enumerate().skip(st.offset).take(rows) {
        lines.push(task_row(l, c, &cols, w, i == st.selected, th));
    }
    frame.render_widget(Paragraph::new(lines), inner);
    if let Some(area) = detail {
        draw_detail(frame, st, cx, area);
    }
}

fn draw_detail(frame: &mut Frame, st: &TasksState, cx: &Ctx, area: Rect) {
    let th = cx.theme();
    let lang = cx.lang;
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(th.border(false))
        .title(format!(" {} ", text::DETAIL.get(lang)));
    let Some(l) = st.lines.get(st.selected) else {
        frame.render_widget(block, area);
        return;
    };
    let t = |zh: &'static str, en: &'static str| lang.pick(zh, en).to_string();
    let mut pairs = vec![
        (
            t("任务", "Task"),
            if l.alternate {
                format!("{} {}{}", t("候补", "alternate"), l.class.letter(), l.rank)
            } else {
                format!("{} ({} {})", l.seq, t("等级", "class"), l.class.letter())
            },
        ),
        (t("机构", "Institution"), format!("{} {}", l.institution, l.name)),
    ];
    if let Some((from, reason)) = &l.replaced {
        pairs.push((t("替换", "Replaced"), format!("{from} → {}（{reason}）", l.institution)));
    }
    if l.used {
        pairs.push((t("状态", "Status"), t("已递补", "used as a replacement")));
    }
    // Which pairs to highlight as overdue.
    let mut overdue_at: Vec<usize> = Vec::new();
    let stored = l.result.as_ref().and_then(|r| r.stored.as_ref());
    match stored {
        Some(s) => {
            let r = &s.result;
            pairs.push((t("检查结果", "Result"), r.category.clone()));
            let publication = match (&s.disclosed_at, l.result.as_ref().and_then(|r| r.publication_due)) {
                (Some(at), _) => format!("{} {}", text::DISCLOSED.get(lang), at.replace('T', " ")),
                (None, Some(d)) if l.publication_overdue => {
                    format!("{} {d} · {}", t("期限", "by"), text::OVERDUE.get(lang))
                }
                (None, Some(d)) => format!("{} {d}", t("期限", "by")),
                _ => String::new(),
            };
            if l.publication_overdue {
                overdue_at.push(pairs.len());
            }
            pairs.push((t("公示", "Publish"), publication));
            if let Some(x) = r.rectification {
                if l.rectification_overdue {
                    overdue_at.push(pairs.len());
                }
                pairs.push((
                    t("整改", "Rectify"),
                    format!(
                        "{} {} · {}{}",
                        t("期限", "by"),
                        x.due,
                        x.status.zh(),
                        if l.rectification_overdue {
                            format!(" · {}", text::OVERDUE.get(lang))
                        } else {
                            String::new()
                        }
                    ),
                ));
            }
            if !r.measures.is_empty() {
                pairs.push((t("处理措施", "Measures"), r.measures.join("、")));
            }
            if r.recovered_fen > 0 || r.fine_fen > 0 {
                pairs.push((
                    t("金额", "Amounts"),
                    format!(
                        "{} {} {} · {} {} {}",
                        t("追回", "recovered"),
                        fen_display(r.recovered_fen),
                        t("元", "yuan"),
                        t("罚款", "fined"),
                        fen_display(r.fine_fen),
                        t("元", "yuan")
                    ),
                ));
            }
            if !r.findings.is_empty() {
                pairs.push((
                    t("问题", "Findings"),
                    match lang {
                        Lang::Zh => format!(
                            "{} 项，涉及金额 {} 元",
                            r.findings.len(),
                            fen_display(r.findings_amount_fen())
                        ),
                        Lang::En => format!(
                            "{}, amount {} yuan",
                            r.findings.len(),
                            fen_display(r.findings_amount_fen())
                        ),
                    },
                ));
            }
            if !r.points.is_empty() {
                let people: Vec<String> = r.points.iter().map(|p| format!("{} {}", p.name, p.points)).collect();
                pairs.push((t("记分", "Points"), people.join("、")));
            }
            if !r.public_remark.is_empty() {
                pairs.push((t("公示备注", "Public remark"), r.public_remark.clone()));
            }
            if !r.internal_notes.is_empty() {
                pairs.push((t("内部备注", "Internal notes"), r.internal_notes.clone()));
            }
            let dates = if r.completed_on == r.check_date {
                r.check_date.to_string()
            } else {
                format!("{} → {}", r.check_date, r.completed_on)
            };
            pairs.push((t("检查日期", "Checked"), dates));
            if r.item_results.iter().any(|i| i.category != r.category) {
                let items: Vec<String> = r
                    .item_results
                    .iter()
                    .map(|i| format!("{} {}", i.item, i.category))
                    .collect();
                pairs.push((t("各事项", "Per item"), items.join("；")));
            }
            pairs.push((
                t("录入", "Recorded"),
                format!("{} {}", s.recorded_at.replace('T', " "), s.recorded_by),
            ));
        }
        None if !l.alternate && st.results => {
            pairs.push((
                t("检查结果", "Result"),
                format!("{}（{}）", text::NOT_RECORDED.get(lang), t("按 r 录入", "press r")),
            ));
        }
        None => {}
    }
    for e in &l.earlier {
        if let Some(s) = &e.stored {
            pairs.push((
                t("原机构结果", "Earlier"),
                format!("{} {}：{}", e.institution, e.institution_name, s.result.category),
            ));
        }
    }
    let team: Vec<String> = l
        .team
        .iter()
        .zip(&l.team_names)
        .map(|(id, n)| format!("{id} {n}"))
        .collect();
    pairs.push((t("检查组", "Team"), team.join("；")));
    pairs.push((t("事项", "Items"), l.items.join("、")));
    let lines: Vec<Line> = table::label_lines(&pairs)
        .into_iter()
        .enumerate()
        .map(|(k, (key, v))| {
            let style = if overdue_at.contains(&k) {
                th.error()
            } else {
                Style::new()
            };
            Line::from(vec![
                Span::styled(format!("{key}  "), th.header()),
                Span::styled(v, style),
            ])
        })
        .collect();
    frame.render_widget(Paragraph::new(lines).block(block).wrap(Wrap { trim: false }), area);
}
