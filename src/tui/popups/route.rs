//! Sends each action and each draw to the module of the popup shown.

use ratatui::Frame;
use ratatui::layout::Rect;

use super::{Popup, help, info, input};
use crate::tui::action::Action;
use crate::tui::context::Ctx;
use crate::tui::keymap::Mode;
use crate::tui::screen::Screen;

impl Screen for Popup {
    /// The key table that applies while the popup is shown.
    fn mode(&self) -> Mode {
        match self {
            Popup::Help { .. } => Mode::Help,
            Popup::Confirm(_) => Mode::Confirm,
            Popup::Digest { .. }
            | Popup::Message { .. }
            | Popup::ImportReview(_)
            | Popup::ResultImport(_)
            | Popup::Followup { .. } => Mode::Info,
            Popup::Draw(_) | Popup::Replace(_) | Popup::Path(_) => Mode::Input,
            Popup::Pick(_) => Mode::Pick,
        }
    }

    fn update(&mut self, action: Action, cx: &mut Ctx) {
        match self {
            Popup::Help { scroll, .. } => help::update(scroll, action, cx),
            Popup::Confirm(kind) => kind.update(action, cx),
            Popup::Draw(p) => p.update(action, cx),
            Popup::Replace(p) => p.update(action, cx),
            Popup::Path(p) => p.update(action, cx),
            Popup::Pick(p) => p.update(action, cx),
            Popup::Digest { .. }
            | Popup::Message { .. }
            | Popup::ImportReview(_)
            | Popup::ResultImport(_)
            | Popup::Followup { .. } => info::update(self, action, cx),
        }
    }

    /// Draws the popup centred over the whole frame (`area` is not used).
    fn draw(&self, frame: &mut Frame, _area: Rect, cx: &Ctx) {
        let w = 76.min(frame.area().width.saturating_sub(2));
        match self {
            Popup::Help { mode, scroll } => help::draw(frame, *mode, *scroll, w, cx),
            Popup::Confirm(kind) => kind.draw(frame, w, cx),
            Popup::Pick(p) => p.draw(frame, w, cx),
            Popup::Draw(_) | Popup::Replace(_) | Popup::Path(_) => input::draw(self, frame, w, cx),
            Popup::Digest { .. }
            | Popup::Message { .. }
            | Popup::ImportReview(_)
            | Popup::ResultImport(_)
            | Popup::Followup { .. } => info::draw(self, frame, w, cx),
        }
    }
}
