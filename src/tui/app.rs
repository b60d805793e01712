//! The state of the terminal UI: tabs, what each tab shows, the mode, popups and the status
//! line. Everything the screen shows is here; `draw` only reads it and `update` changes it.

use std::collections::{BTreeSet, HashMap, VecDeque};
use std::time::{Duration, Instant};

use super::context::{Ctx, Effect};
pub use super::context::{SYNC_QUERY, Status};
use super::forms::{TextField, width};
pub use super::keymap::Mode;
pub use super::plan_editor::{PlanEditor, Preview};
pub use super::popups::{
    ConfirmKind, DrawPopup, ImportReview, PathPopup, PathPurpose, PickPopup, Popup, ReasonFor, ReplacePopup,
    ResultImportReview,
};
pub use super::record_form::RecordForm;
pub use super::result_form::{ResultForm, Slot};
pub use super::screens::tab::Tab;
use super::text;
use super::view::{columns, layout};
use crate::app::Service;
use crate::app::plans::PlanView;
/// Row types of plans as the app layer returns them.
pub use crate::app::plans::{PlanRow, PlanStatus, TaskRow};
use crate::app::results::{ResultRow, ResultStats, StatsScope};
use crate::app::rosters::{PageQuery, RosterKind, RosterPage};
use crate::domain::CreditClass;

/// Rows fetched around the visible ones, in screens: paging inside them needs no query.
pub const WINDOW_SCREENS: usize = 24;
pub const MIN_WINDOW: usize = 100;
/// A new query through the database counts its rows no further than this ("≥ N" beyond): the
/// count grows when the screen nears it, and End counts exactly.
pub const COUNT_CAP: usize = 10_000;
/// Reading ahead starts when the screen comes this many screens near the window's edge.
const READ_AHEAD_SCREENS: usize = 4;

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

#[derive(Debug, Clone, Default)]
pub struct PlansState {
    pub list: Vec<PlanRow>,
    pub selected: usize,
    pub view: Option<PlanView>,
    /// Rates of the selected plan in basis points, A–D (from its stored file).
    pub rates: Option<[u32; 4]>,
    pub detail: bool,
}

/// One line of the task list: a drawn task (replacements applied) or an alternate.
#[derive(Debug, Clone)]
pub struct TaskLine {
    pub seq: u32,
    pub alternate: bool,
    pub class: CreditClass,
    pub rank: u32,
    pub institution: String,
    pub name: String,
    pub team: Vec<String>,
    /// The members' names, in `team` order.
    pub team_names: Vec<String>,
    pub items: Vec<String>,
    /// For a replaced task: the institution it replaced and the reason.
    pub replaced: Option<(String, String)>,
    /// For an alternate: whether it already replaced a task.
    pub used: bool,
    /// The result of the institution holding the task (plans with a draw only).
    pub result: Option<ResultRow>,
    /// Results of institutions that held the task before a replacement.
    pub earlier: Vec<ResultRow>,
    /// An open rectification past its deadline.
    pub rectification_overdue: bool,
    /// A recorded result not disclosed within the deadline.
    pub publication_overdue: bool,
}

impl TaskLine {
    /// The recorded category, if any.
    pub fn category(&self) -> Option<&str> {
        self.result
            .as_ref()
            .and_then(|r| r.stored.as_ref())
            .map(|s| s.result.category.as_str())
    }

    pub fn overdue(&self) -> bool {
        self.rectification_overdue || self.publication_overdue
    }
}

#[derive(Debug, Clone, Default)]
pub struct TasksState {
    pub lines: Vec<TaskLine>,
    pub selected: usize,
    pub offset: usize,
    pub detail: bool,
    /// The selected plan has a draw, so results can be recorded.
    pub results: bool,
    /// The widest result the list can show (the configured categories, "未录入"), so that the
    /// result column keeps its width whatever has been recorded.
    pub result_width: usize,
}

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

/// The root of the UI: the shared context, the state of every tab and the overlays. It derefs
/// to its `Ctx`, so `app.svc`, `app.status` and `app.lang` read as the context's.
pub struct App {
    pub cx: Ctx,
    pub tab: Tab,
    pub quit: bool,
    /// No rosters and no plans: the welcome screen.
    pub empty: bool,
    pub rosters: [RosterState; 3],
    pub plans: PlansState,
    pub tasks: TasksState,
    pub stats: Stats,
    pub popup: Option<Popup>,
    pub form: Option<RecordForm>,
    pub editor: Option<PlanEditor>,
    pub result_form: Option<ResultForm>,
    pub data_version: i64,
}

impl App {
    pub fn new(svc: Service) -> App {
        let mut app = App {
            cx: Ctx::new(svc),
            tab: Tab::Items,
            quit: false,
            empty: false,
            rosters: [
                RosterState::new(RosterKind::Items),
                RosterState::new(RosterKind::Institutions),
                RosterState::new(RosterKind::Inspectors),
            ],
            plans: PlansState {
                detail: true,
                ..Default::default()
            },
            tasks: TasksState::default(),
            stats: Stats::default(),
            popup: None,
            form: None,
            editor: None,
            result_form: None,
            data_version: 0,
        };
        app.data_version = app.svc.data_version().unwrap_or(0);
        app.refresh();
        app
    }

    /// The key table that applies now.
    pub fn mode(&self) -> Mode {
        match &self.popup {
            Some(Popup::Help { .. }) => return Mode::Help,
            Some(Popup::Confirm(_)) => return Mode::Confirm,
            Some(
                Popup::Digest { .. }
                | Popup::Message { .. }
                | Popup::ImportReview(_)
                | Popup::ResultImport(_)
                | Popup::Followup { .. },
            ) => return Mode::Info,
            Some(Popup::Draw(_) | Popup::Replace(_) | Popup::Path(_)) => return Mode::Input,
            Some(Popup::Pick(_)) => return Mode::Pick,
            None => {}
        }
        if self.result_form.is_some() {
            return Mode::ResultForm;
        }
        if self.editor.is_some() {
            return Mode::Editor;
        }
        if self.form.is_some() {
            return Mode::Form;
        }
        if self.empty {
            return Mode::Welcome;
        }
        match self.tab {
            Tab::Items | Tab::Institutions | Tab::Inspectors => {
                if self.roster().is_some_and(|r| r.filtering) {
                    Mode::Filter
                } else {
                    Mode::Roster
                }
            }
            Tab::Plans => Mode::Plans,
            Tab::Tasks => Mode::Tasks,
            Tab::Stats => Mode::Stats,
        }
    }

    /// Applies the effects queued by the screen that handled an action, in order; the effects
    /// one of them queues in turn come before the rest.
    pub fn apply_effects(&mut self) {
        let mut pending: VecDeque<Effect> = std::mem::take(&mut self.cx.effects).into();
        while let Some(e) = pending.pop_front() {
            self.apply(e);
            for e in std::mem::take(&mut self.cx.effects).into_iter().rev() {
                pending.push_front(e);
            }
        }
    }

    fn apply(&mut self, e: Effect) {
        match e {
            Effect::Open(p) => self.popup = Some(p),
            Effect::ClosePopup => self.popup = None,
            Effect::OpenEditor { plan_id, text } => self.open_editor(plan_id, &text),
            Effect::CloseEditor => self.editor = None,
            Effect::OpenRecordForm { kind, edit } => self.form = Some(RecordForm::open(kind, edit, self.cx.lang)),
            Effect::CloseRecordForm => self.form = None,
            Effect::OpenResultForm(f) => {
                self.result_form = Some(*f);
                self.scroll_result_form();
            }
            Effect::CloseResultForm => self.result_form = None,
            Effect::Picked { slot, value } => self.picked(slot, value),
            Effect::SwitchTab(tab) => self.switch_tab(tab),
            Effect::ShowTab(tab) => self.tab = tab,
            Effect::Refresh => self.refresh(),
            Effect::LoadPlans => self.load_plans(),
            Effect::LoadPlanView => self.load_plan_view(),
            Effect::LoadTasks => self.load_tasks(),
            Effect::LoadStats => self.load_stats(),
            Effect::ShowPlan(id) => {
                self.refresh();
                if let Some(i) = self.plans.list.iter().position(|p| p.id == id) {
                    self.plans.selected = i;
                    self.load_plan_view();
                }
                self.tab = Tab::Plans;
            }
            Effect::CyclePlan(step) => {
                let n = self.plans.list.len();
                if n > 0 {
                    self.plans.selected = (self.plans.selected as isize + step).rem_euclid(n as isize) as usize;
                    self.tasks.selected = 0;
                    self.tasks.offset = 0;
                    self.load_plan_view();
                }
            }
            Effect::FirstTask => {
                self.tasks.selected = 0;
                self.tasks.offset = 0;
            }
            Effect::Status(s) => self.cx.status = s,
            Effect::Quit => self.quit = true,
        }
    }

    /// Shows a tab and loads what it shows.
    pub fn switch_tab(&mut self, tab: Tab) {
        if self.tab != tab {
            self.cx.status = None;
        }
        self.tab = tab;
        match tab.roster() {
            Some((i, _)) => self.load_roster(i),
            None if tab == Tab::Stats => {
                self.cx.ensure_per_class();
                self.load_stats();
            }
            None => {
                if tab == Tab::Plans {
                    self.cx.ensure_per_class();
                }
                self.load_plans();
            }
        }
    }

    pub fn roster(&self) -> Option<&RosterState> {
        self.tab.roster().map(|(i, _)| &self.rosters[i])
    }

    /// Re-reads what the screen shows from the database. Only the current tab is queried now;
    /// the other rosters are marked stale and load when shown.
    pub fn refresh(&mut self) {
        self.cx.forget_names();
        self.check_empty();
        for st in &mut self.rosters {
            st.stale = true;
            st.remeasure = true;
        }
        self.per_class_loaded = false;
        if self.tab == Tab::Stats || self.editor.is_some() {
            self.load_per_class();
        }
        self.load_plans();
        match self.tab.roster() {
            Some((i, _)) => self.load_roster(i),
            None if self.tab == Tab::Stats => self.load_stats(),
            None => {}
        }
    }

    /// Re-reads everything when another process committed since the last look.
    pub fn refresh_if_changed(&mut self) -> bool {
        match self.cx.svc.data_version() {
            Ok(v) if v != self.data_version => {
                self.data_version = v;
                self.refresh();
                true
            }
            _ => false,
        }
    }

    /// No rosters and no plans. Plans and the small rosters are looked at first, so that a
    /// large institutions roster is counted only when everything else is empty.
    fn check_empty(&mut self) {
        if self.cx.svc.plans().is_ok_and(|p| !p.is_empty()) {
            self.empty = false;
            return;
        }
        self.empty = !self.cx.svc.has_rosters().unwrap_or(false);
    }

    /// How many data rows the list of roster `i` shows at the current size.
    pub fn roster_rows(&self, i: usize) -> usize {
        let body = layout::areas(self.cx.size).body;
        let (list, _) = layout::split_detail(body, self.rosters[i].detail);
        (layout::data_rows(list, layout::ROSTER_ABOVE).height as usize).max(1)
    }

    pub fn plan_rows(&self) -> usize {
        let body = layout::areas(self.cx.size).body;
        let (list, _) = layout::split_plans(body, self.plans.detail, self.plans.list.len());
        (layout::data_rows(list, layout::PLANS_ABOVE).height as usize).max(1)
    }

    pub fn task_rows(&self) -> usize {
        let body = layout::areas(self.cx.size).body;
        let (list, _) = layout::split_detail(body, self.tasks.detail);
        (layout::data_rows(list, layout::TASKS_ABOVE).height as usize).max(1)
    }

    /// Makes the visible rows of roster `i` available, keeping the selection on screen: queries
    /// only when the query changed or the screen left the cached window.
    pub fn load_roster(&mut self, i: usize) {
        let rows = self.roster_rows(i);
        for _ in 0..3 {
            let st = &mut self.rosters[i];
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
            if !self.fetch_roster(i) {
                return;
            }
        }
    }

    /// Queries a window of rows around the visible ones. The institutions roster in code order
    /// is searched in memory once its index is built; a filter typed while the index is being
    /// built waits for it (the roster stays stale until `poll`); other queries go to the
    /// database (see `sql_window`). False on an error or while waiting.
    fn fetch_roster(&mut self, i: usize) -> bool {
        let rows = self.roster_rows(i);
        let want = (rows * WINDOW_SCREENS).max(MIN_WINDOW);
        let st = &self.rosters[i];
        let known = st.exact_total();
        let mut start = st.offset.saturating_sub((want - rows) / 2);
        if let Some(total) = known {
            start = start.min(total.saturating_sub(want));
        }
        let t = Instant::now();
        let mut q = st.query(want);
        q.offset = start;
        let kind = st.kind;
        let searchable = self.cx.svc.roster_searchable(kind, &q);
        if searchable && !q.filter.trim().is_empty() && !self.cx.search_failed && !self.cx.svc.roster_search_ready(kind)
        {
            if let Err(e) = self.cx.svc.start_roster_search(kind) {
                self.cx.search_failed = true;
                self.cx.error(e);
            } else if self.cx.svc.roster_search_building(kind) {
                return false;
            }
        }
        let indexed = searchable && self.cx.svc.roster_search_ready(kind);
        let result = if indexed {
            self.svc
                .roster_filter_page(kind, &q)
                .map(|p| (p.total.unwrap_or(0), p.counting, p))
        } else {
            self.sql_window(i, &q, known)
        };
        match result {
            Ok((count, capped, page)) => {
                let st = &mut self.rosters[i];
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
                self.cx.error(e);
                false
            }
        }
    }

    /// A window through the database: (count, capped, rows). Far down a long list the window is
    /// read backwards from the end (the reverse order), so that the database does not step over
    /// the rows before it. A new query is counted up to `COUNT_CAP`; the same query again keeps
    /// its exact count, or counts further when it was capped.
    fn sql_window(&self, i: usize, q: &PageQuery, known: Option<usize>) -> anyhow::Result<(usize, bool, RosterPage)> {
        let st = &self.rosters[i];
        let (start, want) = (q.offset, q.limit);
        let reversed = known.filter(|total| start > total / 2 && start < *total);
        let page = match reversed {
            Some(total) => {
                let mut r = q.clone();
                r.descending = !r.descending;
                r.limit = want.min(total - start);
                r.offset = total - start - r.limit;
                let mut p = self.cx.svc.roster_page(st.kind, &r)?;
                if p.rows.len() == r.limit {
                    p.rows.reverse();
                    p.active.reverse();
                    p
                } else {
                    // The data changed meanwhile: read forwards.
                    self.cx.svc.roster_page(st.kind, q)?
                }
            }
            None => self.cx.svc.roster_page(st.kind, q)?,
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
                self.cx.svc.roster_count_capped(st.kind, q, cap.max(start + n + want))?
            }
        };
        Ok((count, capped, page))
    }

    /// Roster `i`'s query is answered by the in-memory index, which is built and up to date.
    pub fn indexed(&self, i: usize) -> bool {
        let st = &self.rosters[i];
        self.cx.svc.roster_searchable(st.kind, &st.query(1)) && self.cx.svc.roster_search_ready(st.kind)
    }

    /// Counts the rows of roster `i` exactly (End on a capped count).
    pub fn count_roster_exactly(&mut self, i: usize) {
        let st = &self.rosters[i];
        if st.stale || !st.capped {
            return;
        }
        if self.indexed(i) {
            // The in-memory search is still counting on another thread.
            self.cx.svc.finish_roster_count();
            self.fetch_roster(i);
            return;
        }
        match self.cx.svc.roster_count(st.kind, &st.query(1)) {
            Ok(n) => {
                let st = &mut self.rosters[i];
                st.count = n;
                st.capped = false;
            }
            Err(e) => self.cx.error(e),
        }
    }

    /// Something to do when the user pauses: a deferred filter query, or reading ahead when
    /// the screen nears the edge of the cached window.
    pub fn wants_idle(&self) -> bool {
        let Some((i, kind)) = self.tab.roster() else {
            return false;
        };
        let st = &self.rosters[i];
        if st.stale {
            return true;
        }
        let rows = self.roster_rows(i);
        let margin = rows * READ_AHEAD_SCREENS;
        let end = st.window + st.page.rows.len();
        (st.window > 0 && st.offset < st.window + margin)
            || (end < st.count && st.offset + rows + margin > end)
            || (st.capped && st.offset + rows + margin > st.count)
            || self.wants_search_index(kind)
    }

    /// The search index of the roster shown is to be built (once; again after a change).
    fn wants_search_index(&self, kind: RosterKind) -> bool {
        !self.cx.search_failed
            && self.cx.svc.roster_searchable(kind, &PageQuery::default())
            && !self.cx.svc.roster_search_ready(kind)
            && !self.cx.svc.roster_search_building(kind)
    }

    /// Runs what `wants_idle` asks for.
    pub fn idle(&mut self) {
        if !self.wants_idle() {
            return;
        }
        let Some((i, kind)) = self.tab.roster() else { return };
        if self.rosters[i].stale {
            self.load_roster(i);
        } else if self.wants_search_index(kind) {
            // Built on another thread; `poll` picks it up.
            if let Err(e) = self.cx.svc.start_roster_search(kind) {
                self.cx.search_failed = true;
                return self.cx.error(e);
            }
            self.after_search_work(i);
        } else {
            self.fetch_roster(i);
        }
    }

    /// Work is under way on another thread (the search index, a search's count): the event
    /// loop calls `poll` until it is done.
    pub fn wants_poll(&self) -> bool {
        self.cx.svc.roster_search_busy()
    }

    /// Takes in what finished on other threads.
    pub fn poll(&mut self) {
        match self.cx.svc.poll_roster_search() {
            // Every roster, shown or not: one left with a lower-bound count would keep it.
            Ok(true) => (0..self.rosters.len()).for_each(|i| self.after_search_work(i)),
            Ok(false) => {}
            Err(e) => {
                self.cx.search_failed = true;
                self.cx.error(e);
            }
        }
    }

    /// The index or a count became available: a roster waiting for it, or showing a count that
    /// is only a lower bound, queries again (in memory: milliseconds).
    fn after_search_work(&mut self, i: usize) {
        let st = &self.rosters[i];
        if self.indexed(i) && (st.stale || st.capped) {
            self.rosters[i].stale = true;
            self.load_roster(i);
        }
    }

    pub fn selected_plan(&self) -> Option<&PlanRow> {
        self.plans.list.get(self.plans.selected)
    }

    pub fn load_plans(&mut self) {
        let keep = self.selected_plan().map(|p| p.id);
        match self.cx.svc.plans() {
            Ok(list) => {
                self.plans.list = list;
                // Stay on the same plan when others were added or removed.
                if let Some(i) = keep.and_then(|id| self.plans.list.iter().position(|p| p.id == id)) {
                    self.plans.selected = i;
                }
                if self.plans.selected >= self.plans.list.len() {
                    self.plans.selected = self.plans.list.len().saturating_sub(1);
                }
            }
            Err(e) => self.cx.error(e),
        }
        self.load_plan_view();
    }

    /// Loads the selected plan's view and its task lines.
    pub fn load_plan_view(&mut self) {
        self.plans.view = None;
        self.plans.rates = None;
        if let Some(id) = self.selected_plan().map(|p| p.id) {
            match self.cx.svc.plan_view(id) {
                Ok(v) => {
                    self.plans.rates = self.cx.svc.parse_plan(&v.plan.spec).ok().map(|p| p.checked.rates_bp);
                    self.plans.view = Some(v);
                }
                Err(e) => self.cx.error(e),
            }
        }
        self.load_tasks();
    }

    /// Loads the task lines of the selected plan with their results.
    pub fn load_tasks(&mut self) {
        let Some(view) = self.plans.view.clone() else {
            self.tasks.lines.clear();
            self.tasks.results = false;
            return;
        };
        // Results exist for plans with a draw; overdue flags come from the follow-up lists.
        let drawn = matches!(
            view.plan.status,
            PlanStatus::Drawn | PlanStatus::Published | PlanStatus::Closed
        ) && view.current_draw().is_some();
        let mut results: HashMap<u32, Vec<ResultRow>> = HashMap::new();
        if drawn {
            match self.cx.svc.plan_results(view.plan.id) {
                Ok(rows) => {
                    for r in rows {
                        results.entry(r.seq).or_default().push(r);
                    }
                }
                Err(e) => self.cx.error(e),
            }
        }
        let (mut rect_overdue, mut pub_overdue) = (BTreeSet::new(), BTreeSet::new());
        if results.values().flatten().any(|r| r.stored.is_some()) {
            match self.cx.svc.followup(self.cx.svc.now().date()) {
                Ok(f) => {
                    for r in f.rectifications.iter().filter(|r| r.overdue()) {
                        if r.at.plan_id == view.plan.id {
                            rect_overdue.insert((r.at.seq, r.at.institution.clone()));
                        }
                    }
                    for p in f.publications.iter().filter(|p| p.overdue()) {
                        if p.at.plan_id == view.plan.id {
                            pub_overdue.insert((p.at.seq, p.at.institution.clone()));
                        }
                    }
                }
                Err(e) => self.cx.error(e),
            }
        }
        let mut lines = Vec::new();
        for (t, from) in view.effective_tasks() {
            let replaced = from.map(|f| {
                let reason = view
                    .adjustments
                    .iter()
                    .rev()
                    .find(|a| a.task_seq == t.seq)
                    .map(|a| a.reason.clone())
                    .unwrap_or_default();
                (f, reason)
            });
            let mut line = self.task_line(t, false, replaced);
            let mut rows = results.remove(&line.seq).unwrap_or_default();
            if let Some(k) = rows.iter().position(|r| r.current) {
                line.result = Some(rows.remove(k));
            }
            line.earlier = rows;
            let key = (line.seq, line.institution.clone());
            line.rectification_overdue = rect_overdue.contains(&key);
            line.publication_overdue = pub_overdue.contains(&key);
            lines.push(line);
        }
        for t in view.tasks.iter().filter(|t| t.alternate) {
            let used = view.adjustments.iter().any(|a| a.replacement == t.institution);
            let mut line = self.task_line(t.clone(), true, None);
            line.used = used;
            lines.push(line);
        }
        self.tasks.lines = lines;
        self.tasks.results = drawn;
        let rules = self.cx.svc.result_rules();
        let not_recorded = text::NOT_RECORDED.get(self.cx.lang);
        self.tasks.result_width = rules
            .categories
            .iter()
            .map(|c| width(c))
            .chain([width(not_recorded)])
            .max()
            .unwrap_or(0);
        if self.tasks.selected >= self.tasks.lines.len() {
            self.tasks.selected = self.tasks.lines.len().saturating_sub(1);
        }
        self.scroll_tasks();
    }

    fn task_line(&mut self, t: TaskRow, alternate: bool, replaced: Option<(String, String)>) -> TaskLine {
        let name = self.cx.name_of(RosterKind::Institutions, &t.institution);
        let team_names = t
            .team
            .iter()
            .map(|id| self.cx.name_of(RosterKind::Inspectors, id))
            .collect();
        TaskLine {
            seq: t.seq,
            alternate,
            class: t.class,
            rank: t.rank,
            institution: t.institution,
            name,
            team: t.team,
            team_names,
            items: t.items,
            replaced,
            used: false,
            result: None,
            earlier: vec![],
            rectification_overdue: false,
            publication_overdue: false,
        }
    }

    pub fn scroll_tasks(&mut self) {
        let rows = self.task_rows();
        let st = &mut self.tasks;
        if st.selected < st.offset {
            st.offset = st.selected;
        } else if st.selected >= st.offset + rows {
            st.offset = st.selected + 1 - rows;
        }
    }

    pub fn load_stats(&mut self) {
        let mut s = Stats {
            year: chrono::Datelike::year(&self.cx.svc.now()),
            per_class: self.cx.per_class,
            ..Default::default()
        };
        // The denominator is the 在册 population the draws are taken from.
        s.active = self.cx.per_class.iter().sum::<u64>() as usize;
        let mut covered = BTreeSet::new();
        for p in self.plans.list.clone() {
            let Ok(view) = self.cx.svc.plan_view(p.id) else {
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
        match self.cx.svc.result_stats(StatsScope::Year(s.year)) {
            Ok(r) => s.results = Some(r),
            Err(e) => self.cx.error(e),
        }
        self.stats = s;
    }

    /// Opens the plan editor on `text` (a new plan when `plan_id` is `None`) with its preview.
    fn open_editor(&mut self, plan_id: Option<i64>, text: &str) {
        self.cx.ensure_per_class();
        self.editor = Some(PlanEditor::open(plan_id, text, &self.cx));
    }

    fn scroll_result_form(&mut self) {
        if let Some(f) = &mut self.result_form {
            f.scroll_to_screen(&self.cx);
        }
    }

    fn picked(&mut self, slot: Slot, value: String) {
        if let Some(f) = &mut self.result_form {
            f.picked(slot, value, &mut self.cx);
        }
    }

    pub fn roster_title(&self, kind: RosterKind) -> &'static str {
        text::roster_name(kind, self.cx.lang)
    }
}

impl std::ops::Deref for App {
    type Target = Ctx;
    fn deref(&self) -> &Ctx {
        &self.cx
    }
}

impl std::ops::DerefMut for App {
    fn deref_mut(&mut self) -> &mut Ctx {
        &mut self.cx
    }
}
