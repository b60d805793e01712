//! A roster tab (事项清单, 检查对象, 检查人员: one screen, three instances): the query (filter,
//! sort, inactive records), a window of rows around the visible ones, the selection, and the
//! keys that browse, filter, import, export and edit. Loading is in `query`, drawing in `draw`.

mod draw;
mod query;

use std::time::Duration;

use ratatui::Frame;
use ratatui::layout::Rect;

use crate::app::Service;
use crate::app::rosters::{PageQuery, RosterKind, RosterPage};
use crate::tui::action::Action;
use crate::tui::context::{Ctx, Effect};
use crate::tui::forms::TextField;
use crate::tui::keymap::Mode;
use crate::tui::popups::{ConfirmKind, PathPopup, PathPurpose, Popup};
use crate::tui::screen::{Motion, Screen, row_at};
use crate::tui::text;
use crate::tui::view::{columns, layout};

/// Rows fetched around the visible ones, in screens: paging inside them needs no query.
pub const WINDOW_SCREENS: usize = 24;
pub const MIN_WINDOW: usize = 100;
/// A new query through the database counts its rows no further than this ("≥ N" beyond): the
/// count grows when the screen nears it, and End counts exactly.
pub const COUNT_CAP: usize = 10_000;
/// Reading ahead starts when the screen comes this many screens near the window's edge.
pub(crate) const READ_AHEAD_SCREENS: usize = 4;

/// One roster tab: the query, a window of rows around the visible ones and the selection
/// (absolute row indexes).
#[derive(Debug, Clone)]
pub struct RosterState {
    pub kind: RosterKind,
    pub filter: TextField,
    pub filtering: bool,
    pub sort: usize,
    pub descending: bool,
    pub include_inactive: bool,
    /// Absolute index of the first visible row.
    pub offset: usize,
    pub selected: usize,
    /// Absolute index of `page.rows[0]`: the cached window.
    pub window: usize,
    pub page: RosterPage,
    pub detail: bool,
    /// The cached rows no longer answer the query (filter, sort or data changed, or never
    /// loaded): the next load queries.
    pub stale: bool,
    /// How long the last query took.
    pub last_query: Duration,
    /// Rows matching the query (all pages); a lower bound when `capped`.
    pub count: usize,
    /// `count` stopped at a cap: there are more rows.
    pub capped: bool,
    /// The widest cell of each column, measured on the first rows fetched after the data
    /// changed; empty until then. The columns are laid out from it rather than from the rows
    /// on screen, so that paging and filtering do not move them.
    pub cell_widths: Vec<usize>,
    /// The data changed: the next rows fetched are measured into `cell_widths`.
    pub remeasure: bool,
}

impl RosterState {
    pub fn new(kind: RosterKind) -> Self {
        RosterState {
            kind,
            filter: TextField::default(),
            filtering: false,
            sort: 0,
            descending: false,
            include_inactive: false,
            offset: 0,
            selected: 0,
            window: 0,
            page: RosterPage {
                headers: Service::roster_headers(kind),
                ..Default::default()
            },
            detail: false,
            stale: true,
            last_query: Duration::ZERO,
            count: 0,
            capped: false,
            cell_widths: Vec::new(),
            remeasure: true,
        }
    }

    pub fn query(&self, limit: usize) -> PageQuery {
        PageQuery {
            filter: self.filter.text.clone(),
            sort: self.sort,
            descending: self.descending,
            offset: self.offset,
            limit,
            include_inactive: self.include_inactive,
        }
    }

    /// The cells and active flag of row `abs`, when it is in the cached window.
    pub fn row(&self, abs: usize) -> Option<(&Vec<String>, bool)> {
        let i = abs.checked_sub(self.window)?;
        Some((self.page.rows.get(i)?, *self.page.active.get(i)?))
    }

    /// The selected row's cells and active flag, when it is in the cached window.
    pub fn selected_row(&self) -> Option<(&Vec<String>, bool)> {
        self.row(self.selected)
    }

    /// The visible rows (absolute index, cells, active) of a screen of `rows` lines.
    pub fn visible(&self, rows: usize) -> Vec<(usize, &Vec<String>, bool)> {
        (self.offset..self.offset + rows)
            .filter_map(|abs| self.row(abs).map(|(c, a)| (abs, c, a)))
            .collect()
    }

    /// Whether rows `from..from + n` (clipped to the total) are all in the window.
    pub fn covers(&self, from: usize, n: usize) -> bool {
        let end = (from + n).min(self.count);
        from >= self.window && end <= self.window + self.page.rows.len()
    }

    /// The matching rows (a lower bound when `capped`), or `None` while a changed filter has
    /// not been queried yet.
    pub fn total(&self) -> Option<usize> {
        (!self.stale).then_some(self.count)
    }

    /// The exact number of matching rows, when known.
    pub fn exact_total(&self) -> Option<usize> {
        self.total().filter(|_| !self.capped)
    }

    /// Takes in the widths of a fetched window when the data changed since the last
    /// measurement. Widths only grow: an edit made far down a long roster, whose window holds
    /// other rows than the first, does not narrow the columns.
    fn measure(&mut self) {
        if !self.remeasure || self.page.rows.is_empty() {
            return;
        }
        let n = Service::roster_headers(self.kind).len();
        let seen = columns::widest_cells(&self.page.rows, n);
        self.cell_widths.resize(n, 0);
        for (w, s) in self.cell_widths.iter_mut().zip(seen) {
            *w = (*w).max(s);
        }
        self.remeasure = false;
    }
}

impl Screen for RosterState {
    fn mode(&self) -> Mode {
        if self.filtering { Mode::Filter } else { Mode::Roster }
    }

    fn update(&mut self, action: Action, cx: &mut Ctx) {
        if self.filtering {
            self.filter_key(action, cx)
        } else {
            self.browse_key(action, cx)
        }
    }

    fn draw(&self, frame: &mut Frame, area: Rect, cx: &Ctx) {
        self.draw_in(frame, area, cx);
    }

    fn click(&mut self, x: u16, y: u16, area: Rect, cx: &mut Ctx) {
        if let Some(idx) = row_at(x, y, self.rows_area(area), self.offset)
            && !self.stale
            && idx < self.count
        {
            self.selected = idx;
            self.load(cx);
        }
    }

    fn position(&self, cx: &Ctx) -> Option<String> {
        let (x, y) = match self.total() {
            Some(total) if self.capped => return Some(text::row_of_at_least(cx.lang, self.selected + 1, total)),
            Some(total) => (self.selected + 1, total),
            None if cx.svc.roster_search_building(self.kind) && !self.filter.text.trim().is_empty() => {
                return Some(text::row_of_indexing(cx.lang));
            }
            None => return Some(text::row_of_unknown(cx.lang)),
        };
        Some(text::row_of(cx.lang, if y == 0 { 0 } else { x }, y))
    }
}

impl RosterState {
    /// Where the data rows are drawn in `body` (drawing, paging and clicks share it).
    pub fn rows_area(&self, body: Rect) -> Rect {
        let (list, _) = layout::split_detail(body, self.detail);
        layout::data_rows(list, layout::ROSTER_ABOVE)
    }

    fn move_by(&mut self, m: Motion, cx: &mut Ctx) {
        if self.stale {
            self.load(cx);
        }
        let rows = self.rows(cx.size);
        if matches!(m, Motion::Bottom) {
            self.count_exactly(cx);
        }
        self.selected = m.target(self.selected, self.count, rows);
        self.load(cx);
    }

    /// After a change of filter, sort or scope: back to the first row.
    fn reset(&mut self, cx: &mut Ctx) {
        self.selected = 0;
        self.offset = 0;
        self.stale = true;
        self.load(cx);
    }

    fn browse_key(&mut self, action: Action, cx: &mut Ctx) {
        let lang = cx.lang;
        let kind = self.kind;
        if let Some(m) = Motion::of(&action) {
            return self.move_by(m, cx);
        }
        match action {
            Action::ToggleDetail => {
                self.detail = !self.detail;
                self.load(cx);
            }
            Action::Import => cx.push(Effect::Open(Popup::Path(PathPopup::new(PathPurpose::Import(kind), "")))),
            Action::Export => cx.push(Effect::Open(Popup::Path(PathPopup::new(
                PathPurpose::Export(kind),
                format!("{}.xlsx", kind.en()),
            )))),
            Action::StartFilter => {
                self.filtering = true;
                self.filter.end();
            }
            Action::ClearFilter if !self.filter.is_empty() => {
                self.filter.clear();
                self.reset(cx);
            }
            Action::CycleSort | Action::ToggleSortDir | Action::ToggleInactive => {
                match action {
                    Action::CycleSort => self.sort = (self.sort + 1) % self.page.headers.len().max(1),
                    Action::ToggleSortDir => self.descending = !self.descending,
                    _ => {
                        self.include_inactive = !self.include_inactive;
                        // Rows never measured (statuses such as 解除协议) come in.
                        self.remeasure = true;
                    }
                }
                let header = text::headers(kind, lang).get(self.sort).copied().unwrap_or("");
                let dir = if self.descending { "↓" } else { "↑" };
                let msg = match action {
                    Action::ToggleInactive if self.include_inactive => {
                        text::Txt("显示已停用的记录", "showing inactive records")
                            .get(lang)
                            .to_string()
                    }
                    Action::ToggleInactive => text::Txt("隐藏已停用的记录", "hiding inactive records")
                        .get(lang)
                        .to_string(),
                    _ => format!("{}{}{header} {dir}", text::SORT.get(lang), text::colon(lang)),
                };
                self.reset(cx);
                cx.info(msg);
            }
            Action::AddRecord => cx.push(Effect::OpenRecordForm { kind, edit: None }),
            Action::EditRecord => {
                let Some(key) = self.selected_row().map(|(c, _)| c[0].clone()) else {
                    return;
                };
                match cx.svc.roster_record(kind, &key) {
                    Ok(Some(cells)) => cx.push(Effect::OpenRecordForm {
                        kind,
                        edit: Some((key, cells)),
                    }),
                    Ok(None) => cx.error(format!("{} {key}", cx.t("记录不存在：", "no such record:"))),
                    Err(e) => cx.error(e),
                }
            }
            Action::Deactivate => {
                if let Some((cells, active)) = self.selected_row() {
                    let (key, name) = (cells[0].clone(), cells.get(1).cloned().unwrap_or_default());
                    cx.push(Effect::Open(Popup::Confirm(ConfirmKind::SetActive {
                        kind,
                        key,
                        name,
                        activate: !active,
                    })));
                }
            }
            _ => {}
        }
    }

    /// Typing in the filter. A roster whose last query was quick is queried on every
    /// keystroke; a slow one (a very large roster) when typing pauses (`Action::Idle`), on
    /// Enter or on moving.
    fn filter_key(&mut self, action: Action, cx: &mut Ctx) {
        let before = self.filter.text.clone();
        match action {
            Action::Up => return self.move_by(Motion::By(-1), cx),
            Action::Down => return self.move_by(Motion::By(1), cx),
            Action::Submit => {
                self.filtering = false;
                return self.load(cx);
            }
            Action::Cancel => {
                self.filtering = false;
                self.filter.clear();
            }
            a => {
                self.filter.edit(&a);
            }
        }
        if self.filter.text != before {
            let indexed = self.indexed(cx);
            self.selected = 0;
            self.offset = 0;
            self.stale = true;
            // The in-memory search answers at once; the database when typing pauses, if slow.
            if indexed || self.last_query < cx.sync_query || !self.filtering {
                self.load(cx);
            }
        }
    }
}
