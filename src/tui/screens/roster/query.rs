//! Loading a roster: a window of rows around the visible ones, from the in-memory search
//! index when it answers the query, from the database otherwise (read backwards far down a
//! long list), with a count that stops at a cap until it is needed exactly.

use std::time::Instant;

use super::{COUNT_CAP, MIN_WINDOW, READ_AHEAD_SCREENS, RosterState, WINDOW_SCREENS};
use crate::app::rosters::{PageQuery, RosterPage};
use crate::tui::context::Ctx;
use crate::tui::view::layout;

impl RosterState {
    /// How many data rows the list shows at the current size.
    pub fn rows(&self, size: (u16, u16)) -> usize {
        let body = layout::areas(size).body;
        let (list, _) = layout::split_detail(body, self.detail);
        (layout::data_rows(list, layout::ROSTER_ABOVE).height as usize).max(1)
    }

    /// Makes the visible rows available, keeping the selection on screen: queries
    /// only when the query changed or the screen left the cached window.
    pub fn load(&mut self, cx: &mut Ctx) {
        let rows = self.rows(cx.size);
        for _ in 0..3 {
            let st = &mut *self;
            if !st.stale {
                let total = st.count;
                st.selected = st.selected.min(total.saturating_sub(1));
                // Fill the screen when the end of the list is in view.
                st.offset = st.offset.min(total.saturating_sub(rows));
            }
            if st.selected < st.offset {
                st.offset = st.selected;
            } else if st.selected >= st.offset + rows {
                st.offset = st.selected + 1 - rows;
            }
            if !st.stale && st.covers(st.offset, rows) {
                return;
            }
            if !self.fetch(cx) {
                return;
            }
        }
    }

    /// Queries a window of rows around the visible ones. The institutions roster in code order
    /// is searched in memory once its index is built; a filter typed while the index is being
    /// built waits for it (the roster stays stale until `poll`); other queries go to the
    /// database (see `sql_window`). False on an error or while waiting.
    fn fetch(&mut self, cx: &mut Ctx) -> bool {
        let rows = self.rows(cx.size);
        let want = (rows * WINDOW_SCREENS).max(MIN_WINDOW);
        let st = &*self;
        let known = st.exact_total();
        let mut start = st.offset.saturating_sub((want - rows) / 2);
        if let Some(total) = known {
            start = start.min(total.saturating_sub(want));
        }
        let t = Instant::now();
        let mut q = st.query(want);
        q.offset = start;
        let kind = st.kind;
        let searchable = cx.svc.roster_searchable(kind, &q);
        if searchable && !q.filter.trim().is_empty() && !cx.search_failed && !cx.svc.roster_search_ready(kind) {
            if let Err(e) = cx.svc.start_roster_search(kind) {
                cx.search_failed = true;
                cx.error(e);
            } else if cx.svc.roster_search_building(kind) {
                return false;
            }
        }
        let indexed = searchable && cx.svc.roster_search_ready(kind);
        let result = if indexed {
            cx.svc
                .roster_filter_page(kind, &q)
                .map(|p| (p.total.unwrap_or(0), p.counting, p))
        } else {
            self.sql_window(&q, known, cx)
        };
        match result {
            Ok((count, capped, page)) => {
                let st = &mut *self;
                st.last_query = t.elapsed();
                st.page = page;
                st.window = start;
                st.count = count;
                st.capped = capped;
                st.stale = false;
                st.measure();
                true
            }
            Err(e) => {
                cx.error(e);
                false
            }
        }
    }

    /// A window through the database: (count, capped, rows). Far down a long list the window is
    /// read backwards from the end (the reverse order), so that the database does not step over
    /// the rows before it. A new query is counted up to `COUNT_CAP`; the same query again keeps
    /// its exact count, or counts further when it was capped.
    fn sql_window(&self, q: &PageQuery, known: Option<usize>, cx: &Ctx) -> anyhow::Result<(usize, bool, RosterPage)> {
        let st = self;
        let (start, want) = (q.offset, q.limit);
        let reversed = known.filter(|total| start > total / 2 && start < *total);
        let page = match reversed {
            Some(total) => {
                let mut r = q.clone();
                r.descending = !r.descending;
                r.limit = want.min(total - start);
                r.offset = total - start - r.limit;
                let mut p = cx.svc.roster_page(st.kind, &r)?;
                if p.rows.len() == r.limit {
                    p.rows.reverse();
                    p.active.reverse();
                    p
                } else {
                    // The data changed meanwhile: read forwards.
                    cx.svc.roster_page(st.kind, q)?
                }
            }
            None => cx.svc.roster_page(st.kind, q)?,
        };
        let n = page.rows.len();
        let (count, capped) = match known {
            Some(total) if !st.stale && (reversed.is_some() || start + n <= total) => (total, false),
            _ if n < want && (n > 0 || start == 0) => (start + n, false),
            _ => {
                let cap = if st.stale || !st.capped {
                    COUNT_CAP
                } else {
                    st.count.saturating_mul(4)
                };
                cx.svc.roster_count_capped(st.kind, q, cap.max(start + n + want))?
            }
        };
        Ok((count, capped, page))
    }

    /// The query is answered by the in-memory index, which is built and up to date.
    pub fn indexed(&self, cx: &Ctx) -> bool {
        let st = self;
        cx.svc.roster_searchable(st.kind, &st.query(1)) && cx.svc.roster_search_ready(st.kind)
    }

    /// Counts the rows exactly (End on a capped count).
    pub fn count_exactly(&mut self, cx: &mut Ctx) {
        let st = &*self;
        if st.stale || !st.capped {
            return;
        }
        if self.indexed(cx) {
            // The in-memory search is still counting on another thread.
            cx.svc.finish_roster_count();
            self.fetch(cx);
            return;
        }
        match cx.svc.roster_count(st.kind, &st.query(1)) {
            Ok(n) => {
                let st = &mut *self;
                st.count = n;
                st.capped = false;
            }
            Err(e) => cx.error(e),
        }
    }

    /// Something to do when the user pauses: a deferred filter query, or reading ahead when
    /// the screen nears the edge of the cached window.
    pub fn wants_idle(&self, cx: &Ctx) -> bool {
        let st = self;
        if st.stale {
            return true;
        }
        let rows = self.rows(cx.size);
        let margin = rows * READ_AHEAD_SCREENS;
        let end = st.window + st.page.rows.len();
        (st.window > 0 && st.offset < st.window + margin)
            || (end < st.count && st.offset + rows + margin > end)
            || (st.capped && st.offset + rows + margin > st.count)
            || self.wants_search_index(cx)
    }

    /// The search index of the roster shown is to be built (once; again after a change).
    fn wants_search_index(&self, cx: &Ctx) -> bool {
        !cx.search_failed
            && cx.svc.roster_searchable(self.kind, &PageQuery::default())
            && !cx.svc.roster_search_ready(self.kind)
            && !cx.svc.roster_search_building(self.kind)
    }

    /// Runs what `wants_idle` asks for.
    pub fn idle(&mut self, cx: &mut Ctx) {
        if !self.wants_idle(cx) {
            return;
        }
        let kind = self.kind;
        if self.stale {
            self.load(cx);
        } else if self.wants_search_index(cx) {
            // Built on another thread; `poll` picks it up.
            if let Err(e) = cx.svc.start_roster_search(kind) {
                cx.search_failed = true;
                return cx.error(e);
            }
            self.after_search_work(cx);
        } else {
            self.fetch(cx);
        }
    }

    /// The index or a count became available: a roster waiting for it, or showing a count that
    /// is only a lower bound, queries again (in memory: milliseconds).
    pub fn after_search_work(&mut self, cx: &mut Ctx) {
        let st = &*self;
        if self.indexed(cx) && (st.stale || st.capped) {
            self.stale = true;
            self.load(cx);
        }
    }
}
