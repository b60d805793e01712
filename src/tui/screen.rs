//! What every screen, form and popup is: a component that owns its state, takes the actions
//! routed to it, draws itself and resolves the clicks on what it drew. The shared parts come
//! in as the `Ctx`; anything for the rest of the UI goes out as an `Effect` (`cx.push`).
//! See `src/tui/README.md` for adding one.

use ratatui::Frame;
use ratatui::layout::Rect;

use crate::tui::action::Action;
use crate::tui::context::Ctx;
use crate::tui::keymap::Mode;

pub trait Screen {
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

/// A move of the selection in a list.
#[derive(Debug, Clone, Copy)]
pub enum Motion {
    By(isize),
    Page(isize),
    Top,
    Bottom,
}

impl Motion {
    /// The motion a browsing key or the mouse wheel asks for.
    pub fn of(action: &Action) -> Option<Motion> {
        Some(match action {
            Action::Up => Motion::By(-1),
            Action::Down => Motion::By(1),
            Action::ScrollUp => Motion::By(-3),
            Action::ScrollDown => Motion::By(3),
            Action::PageUp => Motion::Page(-1),
            Action::PageDown => Motion::Page(1),
            Action::Top => Motion::Top,
            Action::Bottom => Motion::Bottom,
            _ => return None,
        })
    }

    /// Where the selection goes from `cur` in a list of `len` rows, `page` of them on screen.
    pub fn target(self, cur: usize, len: usize, page: usize) -> usize {
        if len == 0 {
            return 0;
        }
        let t = match self {
            Motion::By(d) => cur as isize + d,
            Motion::Page(d) => cur as isize + d * page.max(1) as isize,
            Motion::Top => 0,
            Motion::Bottom => len as isize - 1,
        };
        t.clamp(0, len as isize - 1) as usize
    }
}

/// The row of a list under a click: `rows` is where the data rows are drawn, `first` the index
/// of the row drawn at the top.
pub fn row_at(x: u16, y: u16, rows: Rect, first: usize) -> Option<usize> {
    let inside = x >= rows.x && x < rows.x + rows.width && y >= rows.y && y < rows.y + rows.height;
    inside.then(|| first + (y - rows.y) as usize)
}
