//! `update(&mut App, Action)`: the only way the state changes. It only routes: the terminal
//! and the clock to the root, the tab keys of the browse modes to the tab bar, everything
//! else to the screen on top (a popup, a form, the tab); then it applies the effects that
//! screen queued.

use super::action::Action;
use super::app::{App, Popup, Tab};

pub fn update(app: &mut App, action: Action) {
    route(app, action);
    app.apply_effects();
}

fn route(app: &mut App, action: Action) {
    match action {
        Action::Resize(w, h) => return app.resize(w, h),
        Action::Tick => {
            if app.refresh_if_changed()
                && let Some(ed) = &mut app.editor
            {
                ed.update_preview(&app.cx);
            }
            return;
        }
        // Help over anything but another popup, which it would replace.
        Action::Help if app.popup.is_none() => {
            app.popup = Some(Popup::Help {
                mode: app.mode(),
                scroll: 0,
            });
            return;
        }
        Action::Idle => return app.idle(),
        Action::Poll => return app.poll(),
        Action::Click { x, y } => return app.click(x, y),
        _ => {}
    }
    if app.mode().is_browse() {
        let n = Tab::ALL.len();
        match action {
            Action::Quit => return app.quit = true,
            Action::NextTab => return app.switch_tab(Tab::from_index(app.tab.index() + 1)),
            Action::PrevTab => return app.switch_tab(Tab::from_index(app.tab.index() + n - 1)),
            Action::GoTab(i) => return app.switch_tab(Tab::from_index(i)),
            _ => {}
        }
    }
    app.route(action);
}
