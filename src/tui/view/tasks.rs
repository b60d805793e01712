//! The tasks tab: the current draw of the selected plan, replacements applied, then the
//! alternates (候补).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

use super::table::{self, fit, width};
use super::{layout, theme};
use crate::tui::app::{App, TaskLine};
use crate::tui::text::{self, Lang};

fn cells(l: &TaskLine, lang: Lang) -> [String; 6] {
    let no = if l.alternate {
        format!("{}{}", text::ALTERNATE.get(lang), if l.used { "✓" } else { "" })
    } else if l.replaced.is_some() {
        format!("{}*", l.seq)
    } else {
        l.seq.to_string()
    };
    [
        no,
        l.class.letter().to_string(),
        l.institution.clone(),
        l.name.clone(),
        l.team.join(","),
        l.items.join(","),
    ]
}

pub fn draw(frame: &mut Frame, app: &App, body: Rect) {
    let th = theme(app);
    let lang = app.lang;
    let (list, detail) = layout::split_detail(body, app.tasks.detail);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(th.border(true))
        .title(Span::styled(format!(" {} ", text::TABS[4].get(lang)), th.header()));
    frame.render_widget(block, list);
    let inner = layout::inner(list);
    if inner.height < 3 {
        return;
    }
    let w = inner.width as usize;
    let Some(view) = &app.plans.view else {
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
    let switch = if app.plans.list.len() > 1 && w >= width(&info) + width(switch) {
        switch
    } else {
        ""
    };
    let mut lines = vec![Line::from(vec![
        Span::styled(table::truncate(&info, w), th.key()),
        Span::styled(switch, th.dim()),
    ])];
    let head: Vec<&str> = text::TASK_COLS.iter().map(|t| t.get(lang)).collect();
    let all: Vec<[String; 6]> = app.tasks.lines.iter().map(|l| cells(l, lang)).collect();
    let rows_as_vec: Vec<Vec<String>> = all.iter().map(|c| c.to_vec()).collect();
    let desired = table::desired_widths(&head, &rows_as_vec, 30);
    let cols = table::choose_columns(&desired, &[0, 1, 3, 2, 4, 5], Some(3), w);
    lines.push(Line::from(Span::styled(
        fit(&table::row_text(&head, &cols), w),
        th.header(),
    )));
    if app.tasks.lines.is_empty() {
        lines.push(Line::from(Span::styled(text::NO_DRAW.get(lang), th.dim())));
    }
    let rows = inner.height as usize - 2;
    for (i, (l, c)) in app
        .tasks
        .lines
        .iter()
        .zip(&all)
        .enumerate()
        .skip(app.tasks.offset)
        .take(rows)
    {
        let refs: Vec<&str> = c.iter().map(String::as_str).collect();
        let style = if i == app.tasks.selected {
            th.selected()
        } else if l.alternate {
            th.dim()
        } else {
            Style::new()
        };
        lines.push(table::styled_row(table::row_text(&refs, &cols), w, style));
    }
    frame.render_widget(Paragraph::new(lines), inner);
    if let Some(area) = detail {
        draw_detail(frame, app, area);
    }
}

fn draw_detail(frame: &mut Frame, app: &App, area: Rect) {
    let th = theme(app);
    let lang = app.lang;
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(th.border(false))
        .title(format!(" {} ", text::DETAIL.get(lang)));
    let Some(l) = app.tasks.lines.get(app.tasks.selected) else {
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
        (t("检查组", "Team"), l.team_names.join("；")),
        (t("事项", "Items"), l.items.join("、")),
    ];
    if let Some((from, reason)) = &l.replaced {
        pairs.push((t("替换", "Replaced"), format!("{from} → {}（{reason}）", l.institution)));
    }
    if l.used {
        pairs.push((t("状态", "Status"), t("已递补", "used as a replacement")));
    }
    let lines: Vec<Line> = table::label_lines(&pairs)
        .into_iter()
        .map(|(k, v)| Line::from(vec![Span::styled(format!("{k}  "), th.header()), Span::raw(v)]))
        .collect();
    frame.render_widget(Paragraph::new(lines).block(block).wrap(Wrap { trim: false }), area);
}
