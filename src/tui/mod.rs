//! The terminal UI: keys → `keymap` (per mode) → `Action` → `update(&mut App, Action)`, which
//! routes it to the screen on top → `draw(frame, &App)`. Each screen, form and popup is a
//! `Screen` (see `screen` and README.md here). It calls only the `app` layer (`Service`),
//! never SQL or file formats.

pub mod action;
pub mod app;
pub mod chrome;
pub mod context;
pub mod forms;
pub mod keymap;
pub mod plan_editor;
pub mod popups;
pub mod record_form;
pub mod result_form;
pub mod screen;
pub mod screens;
pub mod text;
pub mod update;
pub mod view;

use std::io::stdout;
use std::time::{Duration, Instant};

use anyhow::Result;
use ratatui::DefaultTerminal;
use ratatui::crossterm::event::{
    self, DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture, Event, KeyEventKind,
    MouseButton, MouseEventKind,
};
use ratatui::crossterm::execute;

pub use action::Action;
pub use app::App;
pub use update::update;

use crate::app::Service;

/// How often the database is checked for writes by other processes.
const TICK: Duration = Duration::from_secs(1);
/// A pause in typing this long runs deferred work (`Action::Idle`).
const IDLE: Duration = Duration::from_millis(120);
/// How often work on other threads is looked for while it runs (`Action::Poll`).
const POLL: Duration = Duration::from_millis(10);

/// Opens the terminal UI on `svc` until the user quits.
pub fn run(svc: Service) -> Result<()> {
    let mut app = App::new(svc);
    // `ratatui::init` installs a panic hook that restores the terminal; ours runs before it and
    // also turns off mouse capture and bracketed paste.
    let mut terminal = ratatui::init();
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let _ = execute!(stdout(), DisableMouseCapture, DisableBracketedPaste);
        previous(info);
    }));
    let result = execute!(stdout(), EnableMouseCapture, EnableBracketedPaste)
        .map_err(anyhow::Error::from)
        .and_then(|()| event_loop(&mut terminal, &mut app));
    let _ = execute!(stdout(), DisableMouseCapture, DisableBracketedPaste);
    ratatui::restore();
    result
}

/// Draws the whole screen: a pure function of the state.
pub fn draw(frame: &mut ratatui::Frame, app: &App) {
    app.draw(frame);
}

/// Translates a terminal event into an action.
pub fn action_for(app: &App, ev: Event) -> Option<Action> {
    match ev {
        Event::Key(k) if k.kind == KeyEventKind::Press => keymap::lookup(app.mode(), k),
        Event::Mouse(m) => match m.kind {
            MouseEventKind::Down(MouseButton::Left) => Some(Action::Click { x: m.column, y: m.row }),
            MouseEventKind::ScrollUp => Some(Action::ScrollUp),
            MouseEventKind::ScrollDown => Some(Action::ScrollDown),
            _ => None,
        },
        Event::Paste(s) => Some(Action::Paste(s)),
        Event::Resize(w, h) => Some(Action::Resize(w, h)),
        _ => None,
    }
}

fn event_loop(terminal: &mut DefaultTerminal, app: &mut App) -> Result<()> {
    let size = terminal.size()?;
    update(app, Action::Resize(size.width, size.height));
    let mut last_tick = Instant::now();
    let mut last_input = Instant::now();
    loop {
        terminal.draw(|f| draw(f, app))?;
        if app.quit {
            return Ok(());
        }
        let mut timeout = TICK.saturating_sub(last_tick.elapsed());
        let idle = app.wants_idle();
        if idle {
            timeout = timeout.min(IDLE.saturating_sub(last_input.elapsed()));
        }
        if app.wants_poll() {
            timeout = timeout.min(POLL);
        }
        if event::poll(timeout)? {
            if let Some(a) = action_for(app, event::read()?) {
                update(app, a);
            }
            last_input = Instant::now();
            // Keys already waiting are handled before anything is queried or drawn.
            while event::poll(Duration::ZERO)? {
                if let Some(a) = action_for(app, event::read()?) {
                    update(app, a);
                }
            }
        } else if idle && last_input.elapsed() >= IDLE {
            update(app, Action::Idle);
            // Once per pause: `Idle` runs until nothing is left to do, or fails the same way.
            last_input = Instant::now() + TICK;
        }
        if app.wants_poll() {
            update(app, Action::Poll);
        }
        if last_tick.elapsed() >= TICK {
            update(app, Action::Tick);
            last_tick = Instant::now();
        }
    }
}
