//! Screen geometry shared by drawing and by the update (paging and mouse clicks need to know
//! how many rows are visible and where they are). Pure functions of the terminal size.

use ratatui::layout::Rect;

use super::super::text::{self, Lang};
use crate::tui::forms::width;

/// The three horizontal bands of the screen.
#[derive(Debug, Clone, Copy)]
pub struct Areas {
    pub tabs: Rect,
    pub body: Rect,
    pub status: Rect,
}

pub fn areas(size: (u16, u16)) -> Areas {
    let (w, h) = size;
    let h = h.max(4);
    Areas {
        tabs: Rect::new(0, 0, w, 1),
        body: Rect::new(0, 1, w, h - 3),
        status: Rect::new(0, h - 2, w, 2),
    }
}

/// Splits a body into a list and, when shown, a detail pane: on the right when the screen is
/// wide, below the list otherwise.
pub fn split_detail(body: Rect, detail: bool) -> (Rect, Option<Rect>) {
    if !detail {
        return (body, None);
    }
    if body.width >= 110 {
        let dw = 48.min(body.width / 2);
        (
            Rect::new(body.x, body.y, body.width - dw, body.height),
            Some(Rect::new(body.x + body.width - dw, body.y, dw, body.height)),
        )
    } else {
        let dh = 12.min(body.height / 2);
        (
            Rect::new(body.x, body.y, body.width, body.height - dh),
            Some(Rect::new(body.x, body.y + body.height - dh, body.width, dh)),
        )
    }
}

/// Inside a bordered block.
pub fn inner(r: Rect) -> Rect {
    Rect::new(r.x + 1, r.y + 1, r.width.saturating_sub(2), r.height.saturating_sub(2))
}

/// Where the data rows of a bordered list are: `above` lines (info line, header) come first.
pub fn data_rows(list: Rect, above: u16) -> Rect {
    let i = inner(list);
    Rect::new(i.x, i.y + above.min(i.height), i.width, i.height.saturating_sub(above))
}

/// Lines above the data in each list: roster (filter line + header), plans (header), tasks
/// (plan line + header).
pub const ROSTER_ABOVE: u16 = 2;
pub const PLANS_ABOVE: u16 = 1;
pub const TASKS_ABOVE: u16 = 2;

/// The x ranges of the tab titles on a tab bar `width` columns wide, and their labels: the
/// full titles, or short ones when those do not fit.
pub fn tab_ranges(lang: Lang, width_cols: u16) -> Vec<(u16, u16, String)> {
    let ranges = |titles: &[text::Txt; 6]| {
        let mut x = 0u16;
        let mut out = Vec::new();
        for (i, t) in titles.iter().enumerate() {
            let label = format!(" {} {} ", i + 1, t.get(lang));
            let w = width(&label) as u16;
            out.push((x, x + w, label));
            x += w + 1;
        }
        out
    };
    let full = ranges(&text::TABS);
    if full.last().is_some_and(|r| r.1 <= width_cols) {
        full
    } else {
        ranges(&text::TABS_SHORT)
    }
}

/// The plan editor: the text on the left (or top), the live preview on the right (or below).
pub fn editor_split(body: Rect) -> (Rect, Rect) {
    if body.width >= 110 {
        let pw = 50.min(body.width / 2);
        (
            Rect::new(body.x, body.y, body.width - pw, body.height),
            Rect::new(body.x + body.width - pw, body.y, pw, body.height),
        )
    } else {
        let ph = 11.min(body.height / 2);
        (
            Rect::new(body.x, body.y, body.width, body.height - ph),
            Rect::new(body.x, body.y + body.height - ph, body.width, ph),
        )
    }
}

/// The plans tab: plans are few and their details long, so on a narrow screen the list takes
/// only the rows it needs and the detail pane the rest.
pub fn split_plans(body: Rect, detail: bool, plans: usize) -> (Rect, Option<Rect>) {
    if !detail || body.width >= 110 {
        return split_detail(body, detail);
    }
    let lh = (plans as u16 + 3).clamp(5, (body.height / 2).max(5)).min(body.height);
    (
        Rect::new(body.x, body.y, body.width, lh),
        Some(Rect::new(body.x, body.y + lh, body.width, body.height - lh)),
    )
}
