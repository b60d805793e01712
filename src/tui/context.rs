//! What every screen is lent on each call (`Ctx`): the service, the language, the terminal
//! size, the colours, the status line, a few shared caches, and the queue of follow-ups
//! (`Effect`) that a screen asks of the rest of the UI instead of reaching into it.

use std::collections::HashMap;
use std::time::Duration;

use ratatui::Frame;
use ratatui::layout::Rect;

use crate::app::Service;
use crate::app::rosters::RosterKind;
use crate::i18n::Lang;
use crate::tui::action::Action;
use crate::tui::keymap::mode::Mode;
use crate::tui::popups::Popup;
use crate::tui::screens::tab::Tab;
use crate::tui::view::theme::Theme;

/// A roster query faster than this runs on every keystroke; a slower one waits until typing
/// pauses (`Action::Idle`).
pub const SYNC_QUERY: Duration = Duration::from_millis(12);

/// What every screen, form and popup is: a component that owns its state, takes the actions
/// routed to it, draws itself and resolves the clicks on what it drew. The shared parts come
/// in as the `Ctx`; anything for the rest of the UI goes out as an `Effect` (`cx.push`).
/// See `src/tui/README.md` for adding one.
pub trait Screen: std::fmt::Debug {
    /// The key table that applies while this screen takes the keys (help is generated from
    /// it).
    fn mode(&self) -> Mode;

    /// Handles an action of its mode (and the mouse wheel: `ScrollUp` / `ScrollDown`).
    fn update(&mut self, action: Action, cx: &mut Ctx);

    /// Draws the screen in `area`: the body between the tab bar and the status line (a popup
    /// centres itself over the whole frame).
    fn draw(&self, frame: &mut Frame, area: Rect, cx: &Ctx);

    /// A left click at (x, y), resolved with the same layout `draw` used for `area`.
    fn click(&mut self, _x: u16, _y: u16, _area: Rect, _cx: &mut Ctx) {}

    /// "第 x/y 条" on the status line, for screens that show a list.
    fn position(&self, _cx: &Ctx) -> Option<String> {
        None
    }
}

/// Makes a screen that a key opens (see `keymap::Binding::opens`).
pub type Opener = fn() -> Box<dyn Screen>;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    pub text: String,
    pub error: bool,
}

/// A follow-up a screen asks for; `App` applies them in order once the screen returns (see
/// `App::apply`). Screens change only their own state; everything else goes through here.
#[derive(Debug)]
pub enum Effect {
    /// Puts a screen over the tab (and any form); it takes the keys until it closes.
    Push(Box<dyn Screen>),
    /// Closes the screen pushed last.
    CloseScreen,
    /// Shows a popup (replacing the one shown).
    Open(Popup),
    ClosePopup,
    /// Opens the plan editor on a text (`None`: a new plan).
    OpenEditor {
        plan_id: Option<i64>,
        text: String,
    },
    CloseEditor,
    /// Opens the form of a roster record: a new one, or (key, cells) of the one to edit.
    OpenRecordForm {
        kind: RosterKind,
        edit: Option<(String, Vec<String>)>,
    },
    CloseRecordForm,
    OpenResultForm(Box<crate::tui::result_form::ResultForm>),
    CloseResultForm,
    /// A value chosen in the pick popup, for the results form.
    Picked {
        slot: crate::tui::result_form::Slot,
        value: String,
    },
    /// Shows a tab, loading what it shows.
    SwitchTab(Tab),
    /// Shows a tab as it is.
    ShowTab(Tab),
    /// Re-reads everything from the database.
    Refresh,
    LoadPlans,
    /// Re-reads the selected plan and its tasks.
    LoadPlanView,
    LoadTasks,
    LoadStats,
    /// Selects a plan by id (after a refresh) and shows the plans tab.
    ShowPlan(i64),
    /// Moves the plan selection by `step` (wrapping), from the tasks tab.
    CyclePlan(isize),
    /// Back to the first task (a new plan or a new draw).
    FirstTask,
    /// The status line; queued only when other effects wait, to keep the order of messages.
    Status(Option<Status>),
    Quit,
}

/// The shared part of the UI, lent to every screen.
pub struct Ctx {
    pub svc: Service,
    pub lang: Lang,
    /// Terminal size (columns, rows).
    pub size: (u16, u16),
    /// False under `NO_COLOR`: emphasis by bold and reverse video only.
    pub color: bool,
    pub status: Option<Status>,
    /// Follow-ups queued by the screen handling the current action.
    pub effects: Vec<Effect>,
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

impl Ctx {
    pub fn new(svc: Service) -> Ctx {
        Ctx {
            lang: svc.lang,
            svc,
            size: (80, 24),
            color: std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
            status: None,
            effects: Vec::new(),
            per_class: [0; 4],
            per_class_loaded: false,
            search_failed: false,
            sync_query: SYNC_QUERY,
            names: HashMap::new(),
        }
    }

    pub fn t<'a>(&self, zh: &'a str, en: &'a str) -> &'a str {
        self.lang.pick(zh, en)
    }

    pub fn theme(&self) -> Theme {
        Theme { color: self.color }
    }

    pub fn push(&mut self, e: Effect) {
        self.effects.push(e);
    }

    /// Sets the status line, after the effects already queued.
    pub fn set_status(&mut self, s: Option<Status>) {
        if self.effects.is_empty() {
            self.status = s;
        } else {
            self.effects.push(Effect::Status(s));
        }
    }

    pub fn info(&mut self, text: impl Into<String>) {
        self.set_status(Some(Status {
            text: text.into(),
            error: false,
        }));
    }

    pub fn error(&mut self, e: impl std::fmt::Display) {
        self.set_status(Some(Status {
            text: e.to_string().replace('\n', " "),
            error: true,
        }));
    }

    pub fn clear_status(&mut self) {
        self.set_status(None);
    }

    /// Opens a message popup; an error's text may span several lines.
    pub fn message(&mut self, title: String, body: String, error: bool) {
        let lines = body.lines().map(String::from).collect();
        self.push(Effect::Open(Popup::Message {
            title,
            lines,
            error,
            scroll: 0,
        }));
    }

    /// The name of a roster record (cached until the next refresh): cell 1 of `roster_record`.
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

    pub fn forget_names(&mut self) {
        self.names.clear();
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
}
