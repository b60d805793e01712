//! The welcome screen of an empty database.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

use super::{centered, theme};
use crate::tui::app::App;
use crate::tui::text;

pub fn draw(frame: &mut Frame, app: &App, body: Rect) {
    let th = theme(app);
    let lang = app.lang;
    let area = centered(body, 72, 13);
    let key = |k: &'static str, t: text::Txt| {
        Line::from(vec![
            Span::raw("    "),
            Span::styled(format!("{k:<3}"), th.key()),
            Span::raw(t.get(lang)),
        ])
    };
    let lines = vec![
        Line::from(""),
        Line::from(Span::styled(
            format!("  {}", text::WELCOME_EMPTY.get(lang)),
            th.header(),
        )),
        Line::from(""),
        key("d", text::WELCOME_DEMO),
        key("i", text::WELCOME_IMPORT),
        key("?", text::WELCOME_HELP),
        key("q", text::Txt("退出", "quit")),
        Line::from(""),
        Line::from(Span::styled(format!("  {}", text::WELCOME_ORDER.get(lang)), th.dim())),
    ];
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(th.border(true))
        .title(Span::styled(
            format!(" {} ", text::WELCOME_TITLE.get(lang)),
            th.header(),
        ));
    frame.render_widget(Paragraph::new(lines).block(block).wrap(Wrap { trim: false }), area);
}
