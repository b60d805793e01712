//! Small drawing pieces shared by the screens: a one-line input, a centred box.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::Span;
use ratatui::widgets::Paragraph;

use super::table::fit;
use crate::tui::forms::TextField;

/// Draws a one-line text field in `area` and, when focused, places the terminal cursor.
pub fn draw_field(frame: &mut Frame, field: &TextField, area: Rect, focused: bool, style: Style) {
    let (visible, x) = field.view(area.width as usize);
    frame.render_widget(
        Paragraph::new(Span::styled(fit(&visible, area.width as usize), style)),
        area,
    );
    if focused {
        frame.set_cursor_position((area.x + x as u16, area.y));
    }
}

/// A rectangle of at most `w`×`h` centred in `area`.
pub fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect::new(area.x + (area.width - w) / 2, area.y + (area.height - h) / 2, w, h)
}
