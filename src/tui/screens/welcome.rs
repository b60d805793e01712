//! The welcome screen of an empty database.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

use crate::app::rosters::RosterKind;
use crate::tui::action::Action;
use crate::tui::context::{Ctx, Effect};
use crate::tui::keymap::Mode;
use crate::tui::popups::{PathPopup, PathPurpose, Popup};
use crate::tui::screen::Screen;
use crate::tui::text::{self, Lang};
use crate::tui::view::widgets::centered;

/// Shown while the database holds no rosters and no plans.
#[derive(Debug, Clone, Copy)]
pub struct Welcome {
    /// The roster `i` imports: that of the tab under the welcome screen, else the items.
    pub import: RosterKind,
}

impl Screen for Welcome {
    fn mode(&self) -> Mode {
        Mode::Welcome
    }

    fn update(&mut self, action: Action, cx: &mut Ctx) {
        match action {
            Action::LoadDemo => match cx.svc.load_demo(false) {
                Ok(out) => {
                    cx.push(Effect::Refresh);
                    let n: usize = out.imports.iter().map(|(_, o)| o.added).sum();
                    cx.info(match cx.lang {
                        Lang::Zh => format!("已加载示例数据：{n} 条名录记录，草稿计划 #{}", out.plan_id),
                        Lang::En => format!("example data loaded: {n} roster records, draft plan #{}", out.plan_id),
                    });
                }
                Err(e) => cx.error(e),
            },
            Action::Import => cx.push(Effect::Open(Popup::Path(PathPopup::new(
                PathPurpose::Import(self.import),
                "",
            )))),
            _ => {}
        }
    }

    fn draw(&self, frame: &mut Frame, area: Rect, cx: &Ctx) {
        draw(frame, cx, area);
    }
}

fn draw(frame: &mut Frame, cx: &Ctx, body: Rect) {
    let th = cx.theme();
    let lang = cx.lang;
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
