//! The `Screen` trait (defined beside the `Ctx` it is lent, in `context`) and what list
//! screens share: moving the selection, finding the row under a click.

use ratatui::layout::Rect;

use crate::tui::action::Action;
pub use crate::tui::context::{Ctx, Effect, Screen};

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
