//! One row of the key table.

use ratatui::crossterm::event::{KeyCode, KeyModifiers};

use super::mode::{Mode, key_label};
use crate::i18n::Lang;
use crate::tui::action::Action;
use crate::tui::context::Opener;

/// One row of the key table.
#[derive(Debug, Clone)]
pub struct Binding {
    pub mode: Mode,
    pub code: KeyCode,
    pub mods: KeyModifiers,
    pub action: Action,
    pub zh: &'static str,
    pub en: &'static str,
    /// Shown on the hint line at the bottom of the screen.
    pub hint: bool,
    /// Shorter words for the hint line (zh, en), where the full ones would crowd it.
    pub short: Option<(&'static str, &'static str)>,
    /// For `Action::Open`: the screen the key opens.
    pub open: Option<Opener>,
}

impl Binding {
    /// Row `index` of the table: a key that opens a screen (`Action::Open(index)`).
    pub fn opens(
        index: usize,
        mode: Mode,
        code: KeyCode,
        mods: KeyModifiers,
        open: Opener,
        zh: &'static str,
        en: &'static str,
    ) -> Binding {
        Binding {
            mode,
            code,
            mods,
            action: Action::Open(index),
            zh,
            en,
            hint: false,
            short: None,
            open: Some(open),
        }
    }

    pub fn key_label(&self) -> String {
        key_label(self.code, self.mods)
    }
    pub fn text(&self, lang: Lang) -> &'static str {
        lang.pick(self.zh, self.en)
    }
    /// The words on the hint line.
    pub fn hint_text(&self, lang: Lang) -> &'static str {
        match self.short {
            Some((zh, en)) => lang.pick(zh, en),
            None => self.text(lang),
        }
    }
}
