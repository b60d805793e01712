//! The state of the terminal UI: tabs, what each tab shows, the mode, popups and the status
//! line. Everything the screen shows is here; `draw` only reads it and `update` changes it.

use std::collections::{BTreeSet, HashMap};
use std::path::PathBuf;

use super::forms::{TextArea, TextField};
pub use super::keymap::Mode;
use super::text::{self, Lang};
use super::view::layout;
use crate::app::Service;
use crate::app::plans::PlanView;
use crate::app::rosters::{ImportOutcome, PageQuery, RosterKind, RosterPage};
use crate::domain::CreditClass;
use crate::domain::plan::{parse_rate_bp, sample_size};
/// Row types of plans as the app layer returns them.
pub use crate::store::plans::{PlanRow, PlanStatus, TaskRow};

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

/// One roster tab: the query, the visible page and the selection (absolute row index).
#[derive(Debug, Clone)]
pub struct RosterState {
    pub kind: RosterKind,
    pub filter: TextField,
    pub filtering: bool,
    pub sort: usize,
    pub descending: bool,
    pub include_inactive: bool,
    /// Absolute index of the first row of `page`.
    pub offset: usize,
    pub selected: usize,
    pub page: RosterPage,
    pub detail: bool,
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
            page: RosterPage {
                headers: Service::roster_headers(kind),
                ..Default::default()
            },
            detail: false,
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

    /// The selected row's cells and active flag, when it is on the loaded page.
    pub fn selected_row(&self) -> Option<(&Vec<String>, bool)> {
        let i = self.selected.checked_sub(self.offset)?;
        Some((self.page.rows.get(i)?, *self.page.active.get(i)?))
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
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskLine {
    pub seq: u32,
    pub alternate: bool,
    pub class: CreditClass,
    pub rank: u32,
    pub institution: String,
    pub name: String,
    pub team: Vec<String>,
    /// "LJ… 李海军" per member.
    pub team_names: Vec<String>,
    pub items: Vec<String>,
    /// For a replaced task: the institution it replaced and the reason.
    pub replaced: Option<(String, String)>,
    /// For an alternate: whether it already replaced a task.
    pub used: bool,
}

#[derive(Debug, Clone, Default)]
pub struct TasksState {
    pub lines: Vec<TaskLine>,
    pub selected: usize,
    pub offset: usize,
    pub detail: bool,
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

#[derive(Debug, Clone)]
pub struct ReplacePopup {
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
    pub status: Option<Status>,
    pub data_version: i64,
    /// Active institutions per class, for the plan editor's preview.
    pub per_class: [u64; 4],
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
            status: None,
            data_version: 0,
            per_class: [0; 4],
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
            Some(Popup::Digest { .. } | Popup::Message { .. } | Popup::ImportReview(_)) => return Mode::Info,
            Some(Popup::Draw(_) | Popup::Replace(_) | Popup::Path(_)) => return Mode::Input,
            None => {}
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

    /// Re-reads what the screen shows from the database.
    pub fn refresh(&mut self) {
        self.names.clear();
        self.check_empty();
        self.per_class = self.svc.institutions_per_class().unwrap_or([0; 4]);
        for i in 0..3 {
            self.load_roster(i);
        }
        self.load_plans();
        self.load_stats();
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

    fn check_empty(&mut self) {
        let rosters = self.svc.roster_counts().map(|(a, b, c)| a + b + c).unwrap_or(0);
        let plans = self.svc.plans().map(|p| p.len()).unwrap_or(0);
        self.empty = rosters == 0 && plans == 0;
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

    /// Loads the visible page of roster `i`, keeping the selection on it.
    pub fn load_roster(&mut self, i: usize) {
        let rows = self.roster_rows(i);
        for _ in 0..2 {
            let st = &mut self.rosters[i];
            if st.selected < st.offset {
                st.offset = st.selected;
            } else if st.selected >= st.offset + rows {
                st.offset = st.selected + 1 - rows;
            }
            let q = st.query(rows);
            match self.svc.roster_page(st.kind, &q) {
                Ok(page) => {
                    let st = &mut self.rosters[i];
                    st.page = page;
                    let total = st.page.total;
                    if total > 0 && st.selected >= total {
                        st.selected = total - 1;
                        continue;
                    }
                    if total == 0 {
                        st.selected = 0;
                        st.offset = 0;
                    }
                    // Fill the screen when the end of the list came up.
                    if st.offset > 0 && st.offset + rows > total && st.page.rows.len() < rows {
                        st.offset = total.saturating_sub(rows);
                        continue;
                    }
                    return;
                }
                Err(e) => {
                    self.error(e);
                    return;
                }
            }
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

    fn load_tasks(&mut self) {
        let Some(view) = self.plans.view.clone() else {
            self.tasks.lines.clear();
            return;
        };
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
            lines.push(self.task_line(t, false, replaced));
        }
        for t in view.tasks.iter().filter(|t| t.alternate) {
            let used = view.adjustments.iter().any(|a| a.replacement == t.institution);
            let mut line = self.task_line(t.clone(), true, None);
            line.used = used;
            lines.push(line);
        }
        self.tasks.lines = lines;
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
            .map(|id| format!("{id} {}", self.name_of(RosterKind::Inspectors, id)))
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
        self.stats = s;
    }

    /// Recomputes the plan editor's preview from its text.
    pub fn update_preview(&mut self) {
        let Some(ed) = &self.editor else { return };
        let text = ed.area.text();
        let error = self.svc.parse_plan(&text).err().map(|e| format!("{e:#}"));
        let rates = rates_of(&text, &self.svc.config.plan_defaults);
        let preview = Preview {
            rates,
            population: self.per_class,
            error,
        };
        if let Some(ed) = &mut self.editor {
            ed.preview = preview;
        }
    }

    pub fn roster_title(&self, kind: RosterKind) -> &'static str {
        text::roster_name(kind, self.lang)
    }
}

/// The rates a plan text asks for, per class, with the configured defaults under it; read
/// leniently so that the preview works while the text is still being typed.
pub fn rates_of(text: &str, defaults: &toml::Table) -> [Option<u32>; 4] {
    let own: Option<toml::Table> = text.parse().ok();
    let pick = |t: Option<&toml::Table>, class: &str| -> Option<String> {
        t?.get("rates")?.as_table()?.get(class)?.as_str().map(String::from)
    };
    let mut out = [None; 4];
    for c in CreditClass::ALL {
        let s = pick(own.as_ref(), c.letter()).or_else(|| pick(Some(defaults), c.letter()));
        out[c.index()] = s.as_deref().and_then(parse_rate_bp);
    }
    out
}
