//! The modes of the key table, and how a key is written in help and hints.

use ratatui::crossterm::event::{KeyCode, KeyModifiers};

use crate::i18n::Lang;

/// Which part of the table applies. `Always` applies everywhere; `Global` in the browse modes
/// (welcome and the six tabs); each other mode has its own bindings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Mode {
    Always,
    Global,
    Welcome,
    Roster,
    Plans,
    Tasks,
    Stats,
    Filter,
    Form,
    ResultForm,
    Editor,
    Input,
    Pick,
    Confirm,
    Info,
    Help,
}

impl Mode {
    pub const ALL: [Mode; 16] = [
        Mode::Always,
        Mode::Global,
        Mode::Welcome,
        Mode::Roster,
        Mode::Plans,
        Mode::Tasks,
        Mode::Stats,
        Mode::Filter,
        Mode::Form,
        Mode::ResultForm,
        Mode::Editor,
        Mode::Input,
        Mode::Pick,
        Mode::Confirm,
        Mode::Info,
        Mode::Help,
    ];

    /// Browse modes also take the `Global` bindings.
    pub fn is_browse(self) -> bool {
        matches!(
            self,
            Mode::Welcome | Mode::Roster | Mode::Plans | Mode::Tasks | Mode::Stats
        )
    }

    /// Text modes turn unbound printable keys into typed characters.
    pub fn is_text(self) -> bool {
        matches!(
            self,
            Mode::Filter | Mode::Form | Mode::ResultForm | Mode::Editor | Mode::Input
        )
    }

    pub fn label(self, lang: Lang) -> &'static str {
        let (zh, en) = match self {
            Mode::Always => ("任何时候", "Always"),
            Mode::Global => ("全局", "Global"),
            Mode::Welcome => ("欢迎", "Welcome"),
            Mode::Roster => ("名录", "Roster"),
            Mode::Plans => ("计划", "Plans"),
            Mode::Tasks => ("任务", "Tasks"),
            Mode::Stats => ("统计", "Statistics"),
            Mode::Filter => ("筛选", "Filter"),
            Mode::Form => ("表单", "Form"),
            Mode::ResultForm => ("检查结果", "Result"),
            Mode::Editor => ("编辑计划", "Plan editor"),
            Mode::Input => ("输入", "Input"),
            Mode::Pick => ("选择", "Choose"),
            Mode::Confirm => ("确认", "Confirm"),
            Mode::Info => ("查看", "View"),
            Mode::Help => ("帮助", "Help"),
        };
        lang.pick(zh, en)
    }
}

pub fn key_label(code: KeyCode, mods: KeyModifiers) -> String {
    let key = match code {
        KeyCode::Char(' ') => "Space".to_string(),
        KeyCode::Char(c) if mods.contains(KeyModifiers::CONTROL) => c.to_ascii_uppercase().to_string(),
        KeyCode::Char(c) => c.to_string(),
        KeyCode::Up => "↑".into(),
        KeyCode::Down => "↓".into(),
        KeyCode::Left => "←".into(),
        KeyCode::Right => "→".into(),
        KeyCode::PageUp => "PgUp".into(),
        KeyCode::PageDown => "PgDn".into(),
        KeyCode::Home => "Home".into(),
        KeyCode::End => "End".into(),
        KeyCode::Enter => "Enter".into(),
        KeyCode::Esc => "Esc".into(),
        KeyCode::Tab => "Tab".into(),
        KeyCode::BackTab => "Shift-Tab".into(),
        KeyCode::Backspace => "Backspace".into(),
        KeyCode::Delete => "Del".into(),
        KeyCode::F(n) => format!("F{n}"),
        other => format!("{other:?}"),
    };
    let mut out = String::new();
    if mods.contains(KeyModifiers::CONTROL) {
        out.push_str("Ctrl-");
    }
    if mods.contains(KeyModifiers::ALT) {
        out.push_str("Alt-");
    }
    out.push_str(&key);
    out
}
