//! The three roster tabs: a paged, filtered, sorted table and a detail pane.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

use super::RosterState;
use crate::app::rosters::RosterKind;
use crate::tui::context::Ctx;
use crate::tui::text;
use crate::tui::view::columns::{self, Col, ColSpec};
use crate::tui::view::layout;
use crate::tui::view::table::{self, fit, width};

/// A column's typical cell width and cap (see `ColSpec`).
const fn c(typical: usize, cap: usize) -> ColSpec {
    ColSpec::new(typical, cap)
}

// 机构编码 机构名称 统一社会信用代码 机构类型 经营性质 医院等级 所属区县 信用等级 地址 联系人 联系电话 状态
// The name is capped so that type, grade, region and credit class still fit at 80 columns.
const INSTITUTIONS: [ColSpec; 12] = [
    c(12, 24),
    c(28, 20),
    c(18, 18),
    c(8, 10),
    c(4, 8),
    c(8, 8),
    c(6, 10),
    c(1, 8),
    c(30, 20),
    c(6, 8),
    c(13, 13),
    c(4, 8),
];
// 执法证号 姓名 所属单位 所属区县 专业 持有执法证 回避机构 联系电话 状态
const INSPECTORS: [ColSpec; 9] = [
    c(13, 24),
    c(6, 8),
    c(16, 14),
    c(6, 10),
    c(10, 10),
    c(2, 10),
    c(14, 14),
    c(11, 13),
    c(4, 6),
];
// 事项编码 事项名称 适用对象 检查依据 检查方式 事项类别 状态
const ITEMS: [ColSpec; 7] = [c(5, 16), c(30, 24), c(18, 18), c(40, 24), c(18, 18), c(4, 8), c(4, 6)];

/// Which columns matter most when the screen is narrow (indexes into the roster's headers),
/// and how each is sized.
fn columns_of(kind: RosterKind) -> (&'static [usize], &'static [ColSpec]) {
    match kind {
        RosterKind::Institutions => (&[0, 1, 7, 6, 3, 5, 11, 4, 2, 9, 10, 8], &INSTITUTIONS),
        RosterKind::Inspectors => (&[0, 1, 3, 4, 5, 8, 2, 6, 7], &INSPECTORS),
        RosterKind::Items => (&[0, 1, 2, 5, 6, 4, 3], &ITEMS),
    }
}

impl RosterState {
    /// Draws the roster in `body`: the list and, when shown, the detail pane.
    pub(super) fn draw_in(&self, frame: &mut Frame, body: Rect, cx: &Ctx) {
        draw(frame, self, cx, body);
    }
}

fn draw(frame: &mut Frame, st: &RosterState, cx: &Ctx, body: Rect) {
    let kind = st.kind;
    let th = cx.theme();
    let lang = cx.lang;
    let (list, detail) = layout::split_detail(body, st.detail);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(th.border(true))
        .title(Span::styled(
            format!(" {} ", text::roster_name(kind, lang)),
            th.header(),
        ));
    frame.render_widget(block, list);
    let inner = layout::inner(list);
    if inner.height < 3 || inner.width < 4 {
        return;
    }
    let w = inner.width as usize;

    // Filter and sort line.
    let headers = text::headers(kind, lang);
    let sort_name = headers.get(st.sort).copied().unwrap_or("");
    let dir = if st.descending { "↓" } else { "↑" };
    let label = format!("/ {}{}", text::FILTER.get(lang), text::colon(lang));
    let right = format!(
        "{}{}{sort_name}{dir}{}",
        text::SORT.get(lang),
        text::colon(lang),
        if st.include_inactive {
            format!("  [{}]", text::WITH_INACTIVE.get(lang))
        } else {
            String::new()
        }
    );
    let field_w = w.saturating_sub(width(&label) + width(&right) + 2).max(4);
    let (shown, cursor_x) = st.filter.view(field_w);
    let filter_style = if st.filtering { th.selected() } else { th.key() };
    let line = Line::from(vec![
        Span::styled(label.clone(), th.dim()),
        Span::styled(fit(&shown, field_w), filter_style),
        Span::raw("  "),
        Span::styled(right, th.dim()),
    ]);
    frame.render_widget(Paragraph::new(line), Rect::new(inner.x, inner.y, inner.width, 1));
    if st.filtering {
        frame.set_cursor_position((inner.x + (width(&label) + cursor_x) as u16, inner.y));
    }

    // Columns sized from the measured roster, not from the rows on screen.
    let (prio, specs) = columns_of(kind);
    let marker = if st.include_inactive { 2 } else { 0 };
    let sized: Vec<Col> = headers
        .iter()
        .zip(specs)
        .enumerate()
        .map(|(c, (h, spec))| Col::new(h, st.cell_widths.get(c).copied(), *spec))
        .collect();
    let cols = columns::choose_columns(&sized, prio, w.saturating_sub(marker));
    let visible = st.visible(st.rows_area(body).height as usize);
    let mut lines = vec![Line::from(Span::styled(
        fit(
            &format!("{}{}", " ".repeat(marker), table::row_text(&headers, &cols)),
            w,
        ),
        th.header(),
    ))];
    if visible.is_empty() {
        let msg = if st.stale {
            text::QUERYING
        } else if st.filter.is_empty() {
            text::NO_ROWS
        } else {
            text::NO_MATCH
        };
        lines.push(Line::from(Span::styled(msg.get(lang), th.dim())));
    }
    for (abs, row, active) in visible {
        let cells: Vec<&str> = row.iter().map(String::as_str).collect();
        let mark = match (marker, active) {
            (0, _) => "",
            (_, true) => "  ",
            (_, false) => "× ",
        };
        let text = format!("{mark}{}", table::row_text(&cells, &cols));
        let style = if abs == st.selected {
            th.selected()
        } else if st.stale || !active {
            th.dim()
        } else {
            ratatui::style::Style::new()
        };
        lines.push(table::styled_row(text, w, style));
    }
    frame.render_widget(
        Paragraph::new(lines),
        Rect::new(inner.x, inner.y + 1, inner.width, inner.height - 1),
    );

    if let Some(area) = detail {
        draw_detail(frame, st, cx, &headers, area);
    }
}

fn draw_detail(frame: &mut Frame, st: &RosterState, cx: &Ctx, headers: &[&str], area: Rect) {
    let th = cx.theme();
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(th.border(false))
        .title(format!(" {} ", text::DETAIL.get(cx.lang)));
    let Some((cells, active)) = st.selected_row() else {
        frame.render_widget(block, area);
        return;
    };
    let pairs: Vec<(String, String)> = headers
        .iter()
        .zip(cells)
        .map(|(h, v)| (h.to_string(), v.clone()))
        .collect();
    let mut lines: Vec<Line> = table::label_lines(&pairs)
        .into_iter()
        .map(|(l, v)| Line::from(vec![Span::styled(format!("{l}  "), th.header()), Span::raw(v)]))
        .collect();
    if !active {
        lines.insert(
            0,
            Line::from(Span::styled(format!("[{}]", text::INACTIVE.get(cx.lang)), th.warn())),
        );
    }
    frame.render_widget(Paragraph::new(lines).block(block).wrap(Wrap { trim: false }), area);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::Service;

    #[test]
    fn every_column_is_sized_and_ranked_once() {
        for kind in [RosterKind::Institutions, RosterKind::Inspectors, RosterKind::Items] {
            let (prio, specs) = columns_of(kind);
            let n = Service::roster_headers(kind).len();
            assert_eq!(specs.len(), n, "{kind:?}");
            let mut ranked = prio.to_vec();
            ranked.sort();
            assert_eq!(ranked, (0..n).collect::<Vec<_>>(), "{kind:?}");
        }
    }
}
