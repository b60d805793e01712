//! The state of the terminal UI: tabs, what each tab shows, the mode, popups and the status
//! line. Everything the screen shows is here; `draw` only reads it and `update` changes it.

use std::collections::{BTreeSet, HashMap};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use super::forms::{TextArea, TextField, width};
pub use super::keymap::Mode;
pub use super::result_form::ResultForm;
use super::text::{self, Lang};
use super::view::{columns, layout};
use crate::app::Service;
use crate::app::plans::PlanView;
/// Row types of plans as the app layer returns them.
pub use crate::app::plans::{PlanRow, PlanStatus, TaskRow};
use crate::app::results::{Followup, ResultImportOutcome, ResultRow, ResultStats, StatsScope};
use crate::app::rosters::{ImportOutcome, PageQuery, RosterKind, RosterPage};
use crate::domain::CreditClass;
use crate::domain::plan::sample_size;

/// A roster query faster than this runs on every keystroke; a slower one waits until typing
/// pauses (`Action::Idle`).
pub const SYNC_QUERY: Duration = Duration::from_millis(12);
/// Rows fetched around the visible ones, in screens: paging inside them needs no query.
pub const WINDOW_SCREENS: usize = 24;
pub const MIN_WINDOW: usize = 100;
/// A new query through the database counts its rows no further than this ("≥ N" beyond): the
/// count grows when the screen nears it, and End counts exactly.
pub const COUNT_CAP: usize = 10_000;
/// Reading ahead starts when the screen comes this many screens near the window's edge.
const READ_AHEAD_SCREENS: usize = 4;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    Items,
    Institutions,
    Inspectors,
    Plans,
    Tasks,
    Stats,
}

impl Tab {
    pub const ALL: [Tab; 6] = [
        Tab::Items,
        Tab::Institutions,
        Tab::Inspectors,
        Tab::Plans,
        Tab::Tasks,
        Tab::Stats,
    ];

    pub fn index(self) -> usize {
        self as usize
    }

    pub fn from_index(i: usize) -> Tab {
        Tab::ALL[i % Tab::ALL.len()]
    }

    /// The roster a tab shows, with its index in `App::rosters`.
    pub fn roster(self) -> Option<(usize, RosterKind)> {
        match self {
            Tab::Items => Some((0, RosterKind::Items)),
            Tab::Institutions => Some((1, RosterKind::Institutions)),
            Tab::Inspectors => Some((2, RosterKind::Inspectors)),
            _ => None,
        }
    }
}

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

/// Adding or editing one roster record.
#[derive(Debug, Clone)]
pub struct RecordForm {
    pub kind: RosterKind,
    pub headers: Vec<&'static str>,
    pub fields: Vec<TextField>,
    pub focus: usize,
    /// From `save_record`: (column, reason).
    pub errors: Vec<(usize, String)>,
    /// The key of the edited record (its key field is then read-only); `None` for a new one.
    pub key: Option<String>,
}

/// The live preview of the plan editor.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Preview {
    /// Rates in basis points as written (or defaulted), per class; `None` when unreadable.
    pub rates: [Option<u32>; 4],
    /// Institutions per class (the population N).
    pub population: [u64; 4],
    /// `parse_plan`'s complaint, if any.
    pub error: Option<String>,
    /// The text is not TOML: `rates` are those of the last readable text.
    pub unreadable: bool,
}

impl Preview {
    pub fn sample(&self, i: usize) -> Option<u64> {
        self.rates[i].map(|bp| sample_size(bp, self.population[i]))
    }
}

#[derive(Debug, Clone)]
pub struct PlanEditor {
    /// `None` for a new plan.
    pub plan_id: Option<i64>,
    pub area: TextArea,
    pub preview: Preview,
    pub dirty: bool,
    /// Esc was pressed once on unsaved changes.
    pub confirm_discard: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfirmKind {
    Freeze {
        plan_id: i64,
        title: String,
    },
    Publish {
        plan_id: i64,
        title: String,
    },
    /// Deactivate (`activate == false`) or reactivate a record.
    SetActive {
        kind: RosterKind,
        key: String,
        name: String,
        activate: bool,
    },
    /// Close the results form without saving its changes.
    DiscardResult,
}

#[derive(Debug, Clone)]
pub struct DrawPopup {
    pub plan_id: i64,
    pub title: String,
    pub redraw: bool,
    pub seed: TextField,
    pub reason: TextField,
    /// 0 = seed, 1 = reason.
    pub focus: usize,
    pub error: Option<String>,
}

/// Why a reason is asked for: replacing a task by its alternate, or removing its result.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReasonFor {
    Replace,
    ClearResult,
}

#[derive(Debug, Clone)]
pub struct ReplacePopup {
    pub purpose: ReasonFor,
    pub plan_id: i64,
    pub seq: u32,
    pub institution: String,
    pub reason: TextField,
    pub error: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathPurpose {
    Import(RosterKind),
    Export(RosterKind),
    Audit(i64),
    /// The public disclosure of a plan (.xlsx, .csv, .json or .html).
    Disclosure(i64),
    /// The sheet to fill in with the results of a plan's tasks.
    TaskSheet(i64),
    /// A filled-in results workbook.
    ImportResults,
}

/// Choosing a value for an input of the results form (Ctrl-O).
#[derive(Debug, Clone)]
pub struct PickPopup {
    pub slot: super::result_form::Slot,
    pub title: String,
    /// The values, and how the list shows them.
    pub options: Vec<String>,
    pub labels: Vec<String>,
    pub selected: usize,
    /// Several values may be chosen (处理措施).
    pub multi: bool,
    pub chosen: Vec<bool>,
}

#[derive(Debug, Clone)]
pub struct ResultImportReview {
    pub path: PathBuf,
    pub outcome: ResultImportOutcome,
    pub scroll: usize,
}

#[derive(Debug, Clone)]
pub struct PathPopup {
    pub purpose: PathPurpose,
    pub field: TextField,
    /// File names offered by the last Tab completion.
    pub candidates: Vec<String>,
    pub error: Option<String>,
}

#[derive(Debug, Clone)]
pub struct ImportReview {
    pub kind: RosterKind,
    pub path: PathBuf,
    pub outcome: ImportOutcome,
    pub scroll: usize,
}

#[derive(Debug, Clone)]
pub enum Popup {
    Help {
        mode: Mode,
        scroll: usize,
    },
    Confirm(ConfirmKind),
    /// The inputs digest to read out and publish after a freeze.
    Digest {
        plan_id: i64,
        digest: String,
        lines: Vec<String>,
        scroll: usize,
    },
    Message {
        title: String,
        lines: Vec<String>,
        error: bool,
        scroll: usize,
    },
    Draw(DrawPopup),
    Replace(ReplacePopup),
    Path(PathPopup),
    ImportReview(ImportReview),
    /// The dry run of a results import, before Enter commits it.
    ResultImport(ResultImportReview),
    /// Overdue rectifications, publication deadlines and flagged persons.
    Followup {
        data: Box<Followup>,
        scroll: usize,
    },
    Pick(PickPopup),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    pub text: String,
    pub error: bool,
}

pub struct App {
    pub svc: Service,
    pub lang: Lang,
    pub tab: Tab,
    /// Terminal size (columns, rows).
    pub size: (u16, u16),
    /// False under `NO_COLOR`: emphasis by bold and reverse video only.
    pub color: bool,
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
    pub status: Option<Status>,
    pub data_version: i64,
    /// Active institutions per class, for the plan editor's preview and the statistics.
    pub per_class: [u64; 4],
    /// `per_class` is up to date (it takes a pass over the institutions: loaded when needed).
    pub per_class_loaded: bool,
    /// Building the search index failed: filters go to the database.
    pub search_failed: bool,
    /// Roster queries faster than this run on every filter keystroke (`SYNC_QUERY`); tests set
    /// it to `Duration::MAX` so that what they see does not depend on the machine's speed.
    pub sync_query: Duration,
    names: HashMap<(usize, String), String>,
}

impl App {
    pub fn new(svc: Service) -> App {
        let color = std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
        let mut app = App {
            lang: svc.lang,
            svc,
            tab: Tab::Items,
            size: (80, 24),
            color,
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
            status: None,
            data_version: 0,
            per_class: [0; 4],
            per_class_loaded: false,
            search_failed: false,
            sync_query: SYNC_QUERY,
            names: HashMap::new(),
        };
        app.data_version = app.svc.data_version().unwrap_or(0);
        app.refresh();
        app
    }

    pub fn t<'a>(&self, zh: &'a str, en: &'a str) -> &'a str {
        self.lang.pick(zh, en)
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

    pub fn roster(&self) -> Option<&RosterState> {
        self.tab.roster().map(|(i, _)| &self.rosters[i])
    }

    pub fn info(&mut self, text: impl Into<String>) {
        self.status = Some(Status {
            text: text.into(),
            error: false,
        });
    }

    pub fn error(&mut self, e: impl std::fmt::Display) {
        self.status = Some(Status {
            text: e.to_string().replace('\n', " "),
            error: true,
        });
    }

    /// Re-reads what the screen shows from the database. Only the current tab is queried now;
    /// the other rosters are marked stale and load when shown.
    pub fn refresh(&mut self) {
        self.names.clear();
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
        match self.svc.data_version() {
            Ok(v) if v != self.data_version => {
                self.data_version = v;
                self.refresh();
                true
            }
            _ => false,
        }
    }

    /// Active institutions per class (a pass over the institutions).
    pub fn load_per_class(&mut self) {
        if let Ok(n) = self.svc.institutions_per_class() {
            self.per_class = n;
            self.per_class_loaded = true;
        }
    }

    pub fn ensure_per_class(&mut self) {
        if !self.per_class_loaded {
            self.load_per_class();
        }
    }

    /// No rosters and no plans. Plans and the small rosters are looked at first, so that a
    /// large institutions roster is counted only when everything else is empty.
    fn check_empty(&mut self) {
        if self.svc.plans().is_ok_and(|p| !p.is_empty()) {
            self.empty = false;
            return;
        }
        self.empty = !self.svc.has_rosters().unwrap_or(false);
    }

    /// How many data rows the list of roster `i` shows at the current size.
    pub fn roster_rows(&self, i: usize) -> usize {
        let body = layout::areas(self.size).body;
        let (list, _) = layout::split_detail(body, self.rosters[i].detail);
        (layout::data_rows(list, layout::ROSTER_ABOVE).height as usize).max(1)
    }

    pub fn plan_rows(&self) -> usize {
        let body = layout::areas(self.size).body;
        let (list, _) = layout::split_plans(body, self.plans.detail, self.plans.list.len());
        (layout::data_rows(list, layout::PLANS_ABOVE).height as usize).max(1)
    }

    pub fn task_rows(&self) -> usize {
        let body = layout::areas(self.size).body;
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
        let searchable = self.svc.roster_searchable(kind, &q);
        if searchable && !q.filter.trim().is_empty() && !self.search_failed && !self.svc.roster_search_ready(kind) {
            if let Err(e) = self.svc.start_roster_search(kind) {
                self.search_failed = true;
                self.error(e);
            } else if self.svc.roster_search_building(kind) {
                return false;
            }
        }
        let indexed = searchable && self.svc.roster_search_ready(kind);
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
                self.error(e);
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
                let mut p = self.svc.roster_page(st.kind, &r)?;
                if p.rows.len() == r.limit {
                    p.rows.reverse();
                    p.active.reverse();
                    p
                } else {
                    // The data changed meanwhile: read forwards.
                    self.svc.roster_page(st.kind, q)?
                }
            }
            None => self.svc.roster_page(st.kind, q)?,
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
                self.svc.roster_count_capped(st.kind, q, cap.max(start + n + want))?
            }
        };
        Ok((count, capped, page))
    }

    /// Roster `i`'s query is answered by the in-memory index, which is built and up to date.
    pub fn indexed(&self, i: usize) -> bool {
        let st = &self.rosters[i];
        self.svc.roster_searchable(st.kind, &st.query(1)) && self.svc.roster_search_ready(st.kind)
    }

    /// Counts the rows of roster `i` exactly (End on a capped count).
    pub fn count_roster_exactly(&mut self, i: usize) {
        let st = &self.rosters[i];
        if st.stale || !st.capped {
            return;
        }
        if self.indexed(i) {
            // The in-memory search is still counting on another thread.
            self.svc.finish_roster_count();
            self.fetch_roster(i);
            return;
        }
        match self.svc.roster_count(st.kind, &st.query(1)) {
            Ok(n) => {
                let st = &mut self.rosters[i];
                st.count = n;
                st.capped = false;
            }
            Err(e) => self.error(e),
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
        !self.search_failed
            && self.svc.roster_searchable(kind, &PageQuery::default())
            && !self.svc.roster_search_ready(kind)
            && !self.svc.roster_search_building(kind)
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
            if let Err(e) = self.svc.start_roster_search(kind) {
                self.search_failed = true;
                return self.error(e);
            }
            self.after_search_work(i);
        } else {
            self.fetch_roster(i);
        }
    }

    /// Work is under way on another thread (the search index, a search's count): the event
    /// loop calls `poll` until it is done.
    pub fn wants_poll(&self) -> bool {
        self.svc.roster_search_busy()
    }

    /// Takes in what finished on other threads.
    pub fn poll(&mut self) {
        match self.svc.poll_roster_search() {
            // Every roster, shown or not: one left with a lower-bound count would keep it.
            Ok(true) => (0..self.rosters.len()).for_each(|i| self.after_search_work(i)),
            Ok(false) => {}
            Err(e) => {
                self.search_failed = true;
                self.error(e);
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
        match self.svc.plans() {
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
            Err(e) => self.error(e),
        }
        self.load_plan_view();
    }

    /// Loads the selected plan's view and its task lines.
    pub fn load_plan_view(&mut self) {
        self.plans.view = None;
        self.plans.rates = None;
        if let Some(id) = self.selected_plan().map(|p| p.id) {
            match self.svc.plan_view(id) {
                Ok(v) => {
                    self.plans.rates = self.svc.parse_plan(&v.plan.spec).ok().map(|p| p.checked.rates_bp);
                    self.plans.view = Some(v);
                }
                Err(e) => self.error(e),
            }
        }
        self.load_tasks();
    }

    /// The name of a roster record (cached): cell 1 of `roster_record`.
    pub fn name_of(&mut self, kind: RosterKind, key: &str) -> String {
        let k = (kind as usize, key.to_string());
        if let Some(n) = self.names.get(&k) {
            return n.clone();
        }
        let name = self
            .svc
            .roster_record(kind, key)
            .ok()
            .flatten()
            .and_then(|c| c.get(1).cloned())
            .unwrap_or_default();
        self.names.insert(k, name.clone());
        name
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
            match self.svc.plan_results(view.plan.id) {
                Ok(rows) => {
                    for r in rows {
                        results.entry(r.seq).or_default().push(r);
                    }
                }
                Err(e) => self.error(e),
            }
        }
        let (mut rect_overdue, mut pub_overdue) = (BTreeSet::new(), BTreeSet::new());
        if results.values().flatten().any(|r| r.stored.is_some()) {
            match self.svc.followup(self.svc.now().date()) {
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
                Err(e) => self.error(e),
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
        let rules = self.svc.result_rules();
        let not_recorded = text::NOT_RECORDED.get(self.lang);
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
        let name = self.name_of(RosterKind::Institutions, &t.institution);
        let team_names = t
            .team
            .iter()
            .map(|id| self.name_of(RosterKind::Inspectors, id))
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
            year: chrono::Datelike::year(&self.svc.now()),
            per_class: self.per_class,
            ..Default::default()
        };
        // The denominator is the 在册 population the draws are taken from.
        s.active = self.per_class.iter().sum::<u64>() as usize;
        let mut covered = BTreeSet::new();
        for p in self.plans.list.clone() {
            let Ok(view) = self.svc.plan_view(p.id) else { continue };
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
        match self.svc.result_stats(StatsScope::Year(s.year)) {
            Ok(r) => s.results = Some(r),
            Err(e) => self.error(e),
        }
        self.stats = s;
    }

    /// Recomputes the plan editor's preview from its text. While the text is not TOML (being
    /// typed), the rates stay those of the last readable text, marked as such.
    pub fn update_preview(&mut self) {
        let Some(ed) = &self.editor else { return };
        let text = ed.area.text();
        let error = self.svc.parse_plan(&text).err().map(|e| format!("{e:#}"));
        let rates = self.svc.plan_rates(&text);
        let population = self.per_class;
        if let Some(ed) = &mut self.editor {
            ed.preview = Preview {
                rates: rates.unwrap_or(ed.preview.rates),
                population,
                error,
                unreadable: rates.is_none(),
            };
        }
    }

    pub fn roster_title(&self, kind: RosterKind) -> &'static str {
        text::roster_name(kind, self.lang)
    }
}
