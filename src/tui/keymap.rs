//! The key table: `(mode, key) → action`, with the words the help popup and the hint line show.
//! Help is generated from this table, so a binding cannot exist without being documented.

use std::sync::OnceLock;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

mod binding;
pub mod mode;
mod table;

pub use binding::Binding;
pub use mode::{Mode, key_label};

use super::action::Action;
use crate::i18n::Lang;

/// The whole key table.
pub fn bindings() -> &'static [Binding] {
    static TABLE: OnceLock<Vec<Binding>> = OnceLock::new();
    TABLE.get_or_init(table::table)
}

/// Shift is part of the character itself (`S`, `?`, `G`); only Ctrl and Alt are compared.
fn normalize(code: KeyCode, mods: KeyModifiers) -> (KeyCode, KeyModifiers) {
    match code {
        KeyCode::Char(_) | KeyCode::BackTab => (code, mods - KeyModifiers::SHIFT),
        _ => (code, mods),
    }
}

/// The modes whose bindings apply in `mode`, most specific first.
pub fn layers(mode: Mode) -> Vec<Mode> {
    match mode {
        Mode::Always => vec![Mode::Always],
        Mode::Global => vec![Mode::Always, Mode::Global],
        m if m.is_browse() => vec![Mode::Always, m, Mode::Global],
        m => vec![Mode::Always, m],
    }
}

/// The binding of a key in a mode, if any.
pub fn binding(mode: Mode, code: KeyCode, mods: KeyModifiers) -> Option<&'static Binding> {
    let (code, mods) = normalize(code, mods);
    layers(mode).into_iter().find_map(|m| {
        bindings()
            .iter()
            .find(|b| b.mode == m && b.code == code && b.mods == mods)
    })
}

/// Maps a key press to an action: the table first, then (in text modes) typed characters.
pub fn lookup(mode: Mode, key: KeyEvent) -> Option<Action> {
    if let Some(b) = binding(mode, key.code, key.modifiers) {
        return Some(b.action.clone());
    }
    match key.code {
        KeyCode::Char(c) if mode.is_text() && !key.modifiers.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) => {
            Some(Action::Char(c))
        }
        _ => None,
    }
}

/// Help lines of one mode: keys with the same action and text are merged ("j / ↓").
pub fn help_lines(mode: Mode, lang: Lang) -> Vec<(String, String)> {
    let mut out: Vec<(String, String, &Action)> = Vec::new();
    for b in bindings().iter().filter(|b| b.mode == mode) {
        let text = b.text(lang).to_string();
        match out.iter_mut().find(|(_, t, a)| *t == text && **a == b.action) {
            Some(line) => {
                line.0.push_str(" / ");
                line.0.push_str(&b.key_label());
            }
            None => out.push((b.key_label(), text, &b.action)),
        }
    }
    let mut lines: Vec<(String, String)> = out.into_iter().map(|(k, t, _)| (k, t)).collect();
    if mode.is_text() {
        lines.push((
            lang.pick("其他键", "other keys").into(),
            lang.pick("输入文字（可粘贴）", "type text (paste works)").into(),
        ));
    }
    lines
}

/// The modes in the order help and hints present them: the specific mode first.
fn display_order(mode: Mode) -> Vec<Mode> {
    let mut order = layers(mode);
    order.sort_by_key(|m| match m {
        Mode::Always => 2,
        Mode::Global => 1,
        _ => 0,
    });
    order
}

/// The sections of the help popup opened in `mode`: that mode's keys, then the shared ones.
pub fn help_sections(mode: Mode, lang: Lang) -> Vec<(String, Vec<(String, String)>)> {
    display_order(mode)
        .into_iter()
        .map(|m| (m.label(lang).to_string(), help_lines(m, lang)))
        .filter(|(_, l)| !l.is_empty())
        .collect()
}

/// The short hint line of a mode: `key text` for the bindings marked as hints.
pub fn hints(mode: Mode, lang: Lang) -> Vec<(String, &'static str)> {
    let mut out: Vec<(String, &'static str)> = Vec::new();
    for m in display_order(mode) {
        for b in bindings().iter().filter(|b| b.mode == m && b.hint) {
            if !out.iter().any(|(_, t)| *t == b.hint_text(lang)) {
                out.push((b.key_label(), b.hint_text(lang)));
            }
        }
    }
    out
}
