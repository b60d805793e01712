//! The root of the terminal UI: the shared context, the state of each tab and the overlays
//! over them. It routes (`update` finds the screen on top, `draw` draws the layers bottom
//! first, a click goes to the screen that drew the spot) and carries out the effects screens
//! queue; it holds no screen's logic.

use std::collections::VecDeque;

use ratatui::Frame;
use ratatui::layout::Rect;

use super::chrome;
use super::context::{Ctx, Effect};
pub use super::context::{SYNC_QUERY, Status};
pub use super::keymap::Mode;
pub use super::plan_editor::{PlanEditor, Preview};
pub use super::popups::{
    ConfirmKind, DrawPopup, ImportReview, PathPopup, PathPurpose, PickPopup, Popup, ReasonFor, ReplacePopup,
    ResultImportReview,
};
pub use super::record_form::RecordForm;
pub use super::result_form::{ResultForm, Slot};
use super::screen::Screen;
pub use super::screens::plans::PlansState;
pub use super::screens::roster::{COUNT_CAP, MIN_WINDOW, RosterState, WINDOW_SCREENS};
pub use super::screens::stats::Stats;
pub use super::screens::tab::Tab;
pub use super::screens::tasks::{TaskLine, TasksState};
use super::screens::welcome::Welcome;
use super::view::layout;
use crate::app::Service;
/// Row types of plans as the app layer returns them.
pub use crate::app::plans::{PlanRow, PlanStatus, TaskRow};
use crate::app::rosters::RosterKind;

/// The root of the UI. It derefs to its `Ctx`, so `app.svc`, `app.status` and `app.lang` read
/// as the context's.
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
    // The overlay stack, top first: a popup; the screens pushed by keys (`Action::Open`) and
    // effects (`Effect::Push`); then one form over the tab. The built-in levels are named slots
    // (at most one of each is ever open), so that a form keeps its state under a popup.
    pub popup: Option<Popup>,
    pub screens: Vec<Box<dyn Screen>>,
    pub result_form: Option<ResultForm>,
    pub editor: Option<PlanEditor>,
    pub form: Option<RecordForm>,
    pub data_version: i64,
    welcome: Welcome,
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
            screens: Vec::new(),
            result_form: None,
            editor: None,
            form: None,
            data_version: 0,
            welcome: Welcome {
                import: RosterKind::Items,
            },
        };
        app.data_version = app.cx.svc.data_version().unwrap_or(0);
        app.refresh();
        app
    }

    /// The screen of the tab shown (the welcome screen while the database is empty).
    fn tab_screen(&self) -> &dyn Screen {
        if self.empty {
            return &self.welcome;
        }
        match self.tab.roster() {
            Some((i, _)) => &self.rosters[i],
            None => match self.tab {
                Tab::Plans => &self.plans,
                Tab::Tasks => &self.tasks,
                _ => &self.stats,
            },
        }
    }

    /// The screen in the body: an open form, else the tab's.
    fn body(&self) -> &dyn Screen {
        if let Some(s) = self.screens.last() {
            s.as_ref()
        } else if let Some(f) = &self.result_form {
            f
        } else if let Some(e) = &self.editor {
            e
        } else if let Some(f) = &self.form {
            f
        } else {
            self.tab_screen()
        }
    }

    /// The screen that takes the keys (the top of the overlay stack), with the context.
    fn top_mut(&mut self) -> (&mut dyn Screen, &mut Ctx) {
        let App {
            cx,
            tab,
            empty,
            rosters,
            plans,
            tasks,
            stats,
            popup,
            screens,
            result_form,
            editor,
            form,
            welcome,
            ..
        } = self;
        let top: &mut dyn Screen = if let Some(p) = popup {
            p
        } else if let Some(s) = screens.last_mut() {
            s.as_mut()
        } else if let Some(f) = result_form {
            f
        } else if let Some(e) = editor {
            e
        } else if let Some(f) = form {
            f
        } else if *empty {
            welcome.import = tab.roster().map(|(_, k)| k).unwrap_or(RosterKind::Items);
            welcome
        } else {
            match tab.roster() {
                Some((i, _)) => &mut rosters[i],
                None => match tab {
                    Tab::Plans => plans,
                    Tab::Tasks => tasks,
                    _ => stats,
                },
            }
        };
        (top, cx)
    }

    /// The key table that applies now.
    pub fn mode(&self) -> Mode {
        match &self.popup {
            Some(p) => p.mode(),
            None => self.body().mode(),
        }
    }

    /// Something over the tab: a popup or a form.
    pub fn overlaid(&self) -> bool {
        self.popup.is_some()
            || !self.screens.is_empty()
            || self.result_form.is_some()
            || self.editor.is_some()
            || self.form.is_some()
    }

    /// Hands an action to the screen on top; a key that opens a screen pushes it.
    pub fn route(&mut self, action: crate::tui::action::Action) {
        if let crate::tui::action::Action::Open(row) = action {
            if let Some(open) = super::keymap::bindings().get(row).and_then(|b| b.open) {
                self.screens.push(open());
            }
            return;
        }
        let (screen, cx) = self.top_mut();
        screen.update(action, cx);
    }

    /// A click on the body goes to the screen that drew it; the tab bar is the root's.
    pub fn click(&mut self, x: u16, y: u16) {
        let areas = layout::areas(self.cx.size);
        if self.overlaid() {
            let (screen, cx) = self.top_mut();
            return screen.click(x, y, areas.body, cx);
        }
        if y == areas.tabs.y {
            if let Some(i) = layout::tab_ranges(self.cx.lang, self.cx.size.0)
                .iter()
                .position(|(a, b, _)| x >= *a && x < *b)
            {
                if let Some((r, _)) = self.tab.roster() {
                    self.rosters[r].filtering = false;
                }
                self.switch_tab(Tab::from_index(i));
            }
            return;
        }
        let (screen, cx) = self.top_mut();
        screen.click(x, y, areas.body, cx);
    }

    /// Draws the layers bottom first: tab bar, body, status line, popup.
    pub fn draw(&self, frame: &mut Frame) {
        let area = frame.area();
        if area.width < chrome::MIN_SIZE.0 || area.height < chrome::MIN_SIZE.1 {
            return chrome::draw_too_small(frame, &self.cx);
        }
        let areas = layout::areas((area.width, area.height));
        chrome::draw_tabs(frame, areas.tabs, self.tab.index(), &self.cx);
        let body = self.body();
        body.draw(frame, areas.body, &self.cx);
        let position = body.position(&self.cx);
        chrome::draw_status(
            frame,
            areas.status,
            self.mode(),
            position,
            self.popup.is_some(),
            &self.cx,
        );
        if let Some(p) = &self.popup {
            p.draw(frame, Rect::default(), &self.cx);
        }
    }

    /// The terminal was resized: lists keep their selection on screen, forms their focus.
    pub fn resize(&mut self, w: u16, h: u16) {
        self.cx.size = (w, h);
        // A roster waiting for typing to pause stays waiting (`Idle` loads it).
        if let Some((i, _)) = self.tab.roster()
            && !self.rosters[i].stale
        {
            self.load_roster(i);
        }
        self.scroll_tasks();
        if let Some(ed) = &mut self.editor {
            ed.resize(&self.cx);
        }
        if let Some(f) = &mut self.result_form {
            f.scroll_to_screen(&self.cx);
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
            Effect::Push(s) => self.screens.push(s),
            Effect::CloseScreen => {
                self.screens.pop();
            }
            Effect::Open(p) => self.popup = Some(p),
            Effect::ClosePopup => self.popup = None,
            Effect::OpenEditor { plan_id, text } => {
                self.cx.ensure_per_class();
                self.editor = Some(PlanEditor::open(plan_id, &text, &self.cx));
            }
            Effect::CloseEditor => self.editor = None,
            Effect::OpenRecordForm { kind, edit } => self.form = Some(RecordForm::open(kind, edit, self.cx.lang)),
            Effect::CloseRecordForm => self.form = None,
            Effect::OpenResultForm(f) => {
                let f = self.result_form.insert(*f);
                f.scroll_to_screen(&self.cx);
            }
            Effect::CloseResultForm => self.result_form = None,
            Effect::Picked { slot, value } => {
                if let Some(f) = &mut self.result_form {
                    f.picked(slot, value, &mut self.cx);
                }
            }
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
        self.cx.per_class_loaded = false;
        if self.tab == Tab::Stats || self.editor.is_some() {
            self.cx.load_per_class();
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
        self.rosters[i].rows(self.cx.size)
    }

    pub fn plan_rows(&self) -> usize {
        self.plans.rows(self.cx.size)
    }

    pub fn task_rows(&self) -> usize {
        self.tasks.rows(self.cx.size)
    }

    /// Makes the visible rows of roster `i` available (see `RosterState::load`).
    pub fn load_roster(&mut self, i: usize) {
        self.rosters[i].load(&mut self.cx);
    }

    /// Something to do when the user pauses (the roster shown: a deferred query, reading
    /// ahead, building its search index).
    pub fn wants_idle(&self) -> bool {
        self.roster().is_some_and(|st| st.wants_idle(&self.cx))
    }

    /// Runs what `wants_idle` asks for.
    pub fn idle(&mut self) {
        if let Some((i, _)) = self.tab.roster() {
            self.rosters[i].idle(&mut self.cx);
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
            Ok(true) => {
                for st in &mut self.rosters {
                    st.after_search_work(&mut self.cx);
                }
            }
            Ok(false) => {}
            Err(e) => {
                self.cx.search_failed = true;
                self.cx.error(e);
            }
        }
    }

    pub fn selected_plan(&self) -> Option<&PlanRow> {
        self.plans.selected_plan()
    }

    pub fn load_plans(&mut self) {
        self.plans.load(&mut self.cx);
        self.load_tasks();
    }

    /// Loads the selected plan's view and its task lines.
    pub fn load_plan_view(&mut self) {
        self.plans.load_view(&mut self.cx);
        self.load_tasks();
    }

    /// Loads the task lines of the selected plan with their results.
    pub fn load_tasks(&mut self) {
        self.tasks.load(&self.plans, &mut self.cx);
    }

    pub fn scroll_tasks(&mut self) {
        self.tasks.scroll(self.cx.size);
    }

    pub fn load_stats(&mut self) {
        self.stats.load(&self.plans.list, &mut self.cx);
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
