//! The key table: `(mode, key) → action`, with the words the help popup and the hint line show.
//! Help is generated from this table, so a binding cannot exist without being documented.

use std::sync::OnceLock;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::action::Action;
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
}

impl Binding {
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

const NONE: KeyModifiers = KeyModifiers::NONE;
const CTRL: KeyModifiers = KeyModifiers::CONTROL;

fn table() -> Vec<Binding> {
    use Action as A;
    use KeyCode as K;
    use Mode as M;
    let mut t = Vec::new();
    let mut b = |mode, code, mods, action, zh, en, hint| {
        t.push(Binding {
            mode,
            code,
            mods,
            action,
            zh,
            en,
            hint,
            short: None,
        })
    };

    b(M::Always, K::Char('c'), CTRL, A::Quit, "退出", "quit", false);

    let tabs = [
        ("切换到 事项清单", "go to Items"),
        ("切换到 检查对象", "go to Institutions"),
        ("切换到 检查人员", "go to Inspectors"),
        ("切换到 抽查计划", "go to Plans"),
        ("切换到 任务与结果", "go to Tasks"),
        ("切换到 统计", "go to Statistics"),
    ];
    for (i, (zh, en)) in tabs.into_iter().enumerate() {
        b(
            M::Global,
            K::Char(char::from(b'1' + i as u8)),
            NONE,
            A::GoTab(i),
            zh,
            en,
            false,
        );
    }
    b(M::Global, K::Tab, NONE, A::NextTab, "下一页签", "next tab", false);
    b(
        M::Global,
        K::BackTab,
        NONE,
        A::PrevTab,
        "上一页签",
        "previous tab",
        false,
    );
    b(M::Global, K::Char('j'), NONE, A::Down, "下移", "down", false);
    b(M::Global, K::Down, NONE, A::Down, "下移", "down", false);
    b(M::Global, K::Char('k'), NONE, A::Up, "上移", "up", false);
    b(M::Global, K::Up, NONE, A::Up, "上移", "up", false);
    b(M::Global, K::PageDown, NONE, A::PageDown, "下一页", "page down", false);
    b(M::Global, K::PageUp, NONE, A::PageUp, "上一页", "page up", false);
    b(M::Global, K::Char('g'), NONE, A::Top, "第一条", "first row", false);
    b(M::Global, K::Home, NONE, A::Top, "第一条", "first row", false);
    b(M::Global, K::Char('G'), NONE, A::Bottom, "最后一条", "last row", false);
    b(M::Global, K::End, NONE, A::Bottom, "最后一条", "last row", false);
    b(M::Global, K::Char('?'), NONE, A::Help, "帮助", "help", true);
    b(M::Global, K::F(1), NONE, A::Help, "帮助", "help", false);
    // Where `?` is typed text, F1 still opens the help (the results form binds it below).
    for m in [M::Filter, M::Form, M::Editor] {
        b(m, K::F(1), NONE, A::Help, "帮助", "help", m == M::Editor);
    }
    b(M::Global, K::Char('q'), NONE, A::Quit, "退出", "quit", true);

    b(
        M::Welcome,
        K::Char('d'),
        NONE,
        A::LoadDemo,
        "加载示例数据",
        "load example data",
        true,
    );
    b(
        M::Welcome,
        K::Char('i'),
        NONE,
        A::Import,
        "导入名录",
        "import a roster",
        true,
    );

    b(M::Roster, K::Char('/'), NONE, A::StartFilter, "筛选", "filter", true);
    b(
        M::Roster,
        K::Esc,
        NONE,
        A::ClearFilter,
        "清除筛选",
        "clear filter",
        false,
    );
    b(
        M::Roster,
        K::Char('s'),
        NONE,
        A::CycleSort,
        "排序列",
        "sort column",
        true,
    );
    b(
        M::Roster,
        K::Char('S'),
        NONE,
        A::ToggleSortDir,
        "升/降序",
        "sort direction",
        false,
    );
    b(
        M::Roster,
        K::Char('v'),
        NONE,
        A::ToggleInactive,
        "显示/隐藏已停用",
        "show/hide inactive",
        false,
    );
    b(M::Roster, K::Char('i'), NONE, A::Import, "导入", "import", true);
    b(M::Roster, K::Enter, NONE, A::ToggleDetail, "详情", "details", true);
    b(M::Roster, K::Char('o'), NONE, A::Export, "导出", "export", false);
    b(M::Roster, K::Char('a'), NONE, A::AddRecord, "新增", "add", false);
    b(M::Roster, K::Char('e'), NONE, A::EditRecord, "编辑", "edit", false);
    b(
        M::Roster,
        K::Char('D'),
        NONE,
        A::Deactivate,
        "停用/启用",
        "deactivate/reactivate",
        false,
    );

    b(M::Plans, K::Char('n'), NONE, A::NewPlan, "新建计划", "new plan", true);
    b(
        M::Plans,
        K::Char('e'),
        NONE,
        A::EditPlan,
        "编辑草稿",
        "edit draft",
        false,
    );
    b(M::Plans, K::Char('f'), NONE, A::Freeze, "冻结", "freeze", true);
    b(M::Plans, K::Char('r'), NONE, A::Draw, "抽取", "draw", true);
    b(M::Plans, K::Char('p'), NONE, A::Publish, "公示", "publish", true);
    b(
        M::Plans,
        K::Char('v'),
        NONE,
        A::ShowDigest,
        "查看输入摘要",
        "show inputs digest",
        false,
    );
    b(M::Plans, K::Enter, NONE, A::ToggleDetail, "详情", "details", true);

    b(
        M::Tasks,
        K::Char('r'),
        NONE,
        A::RecordResult,
        "录入结果",
        "record result",
        true,
    );
    b(
        M::Tasks,
        K::Enter,
        NONE,
        A::RecordResult,
        "录入结果",
        "record result",
        false,
    );
    b(
        M::Tasks,
        K::Char('d'),
        NONE,
        A::ExportDisclosure,
        "导出公示",
        "export disclosure",
        true,
    );
    b(
        M::Tasks,
        K::Char('t'),
        NONE,
        A::ExportTaskSheet,
        "导出任务表",
        "export task sheet",
        true,
    );
    b(
        M::Tasks,
        K::Char('I'),
        NONE,
        A::ImportResults,
        "导入结果",
        "import results",
        true,
    );
    b(
        M::Tasks,
        K::Char('f'),
        NONE,
        A::ShowFollowup,
        "跟踪清单",
        "follow-up",
        true,
    );
    b(M::Tasks, K::Char('v'), NONE, A::ToggleDetail, "详情", "details", false);
    b(
        M::Tasks,
        K::Char('D'),
        NONE,
        A::ClearResult,
        "删除检查结果",
        "remove result",
        false,
    );
    b(
        M::Tasks,
        K::Char('x'),
        NONE,
        A::ReplaceTask,
        "候补替换",
        "replace by alternate",
        false,
    );
    b(
        M::Tasks,
        K::Char('a'),
        NONE,
        A::ExportAudit,
        "导出审计包",
        "export audit package",
        false,
    );
    b(
        M::Tasks,
        K::Char('['),
        NONE,
        A::PrevPlan,
        "上一个计划",
        "previous plan",
        false,
    );
    b(
        M::Tasks,
        K::Char(']'),
        NONE,
        A::NextPlan,
        "下一个计划",
        "next plan",
        false,
    );

    b(
        M::Stats,
        K::Char('f'),
        NONE,
        A::ShowFollowup,
        "跟踪清单",
        "follow-up",
        true,
    );

    let editing = |b: &mut dyn FnMut(Mode, KeyCode, KeyModifiers, Action, &'static str, &'static str, bool),
                   m: Mode| {
        b(m, K::Backspace, NONE, A::Backspace, "删除前一字", "delete back", false);
        b(m, K::Delete, NONE, A::Delete, "删除后一字", "delete forward", false);
        b(m, K::Left, NONE, A::Left, "光标左移", "cursor left", false);
        b(m, K::Right, NONE, A::Right, "光标右移", "cursor right", false);
        b(m, K::Home, NONE, A::LineStart, "行首", "line start", false);
        b(m, K::End, NONE, A::LineEnd, "行尾", "line end", false);
    };

    b(M::Filter, K::Enter, NONE, A::Submit, "完成筛选", "done", true);
    b(M::Filter, K::Esc, NONE, A::Cancel, "清除筛选", "clear filter", true);
    b(M::Filter, K::Down, NONE, A::Down, "下移", "down", false);
    b(M::Filter, K::Up, NONE, A::Up, "上移", "up", false);
    editing(&mut b, M::Filter);

    b(M::Form, K::Char('s'), CTRL, A::Save, "保存", "save", true);
    b(M::Form, K::Esc, NONE, A::Cancel, "取消", "cancel", true);
    b(M::Form, K::Tab, NONE, A::NextField, "下一项", "next field", true);
    b(M::Form, K::Enter, NONE, A::NextField, "下一项", "next field", false);
    b(M::Form, K::Down, NONE, A::NextField, "下一项", "next field", false);
    b(
        M::Form,
        K::BackTab,
        NONE,
        A::PrevField,
        "上一项",
        "previous field",
        false,
    );
    b(M::Form, K::Up, NONE, A::PrevField, "上一项", "previous field", false);
    editing(&mut b, M::Form);

    b(M::ResultForm, K::Char('s'), CTRL, A::Save, "保存", "save", true);
    b(M::ResultForm, K::Esc, NONE, A::Cancel, "取消", "cancel", true);
    b(
        M::ResultForm,
        K::Char('o'),
        CTRL,
        A::Pick,
        "选择可用值/填今天",
        "choose a value / today",
        true,
    );
    b(
        M::ResultForm,
        K::Char('f'),
        CTRL,
        A::AddFinding,
        "新增问题",
        "add a finding",
        true,
    );
    b(
        M::ResultForm,
        K::Char('p'),
        CTRL,
        A::AddPoints,
        "新增记分",
        "add points",
        true,
    );
    // Typing takes `?`, so help opens with F1 only.
    b(M::ResultForm, K::F(1), NONE, A::Help, "帮助", "help", true);
    b(
        M::ResultForm,
        K::Char('d'),
        CTRL,
        A::RemoveRow,
        "删除所在行",
        "remove the row",
        false,
    );
    b(M::ResultForm, K::Tab, NONE, A::NextField, "下一项", "next field", false);
    b(
        M::ResultForm,
        K::Enter,
        NONE,
        A::NextField,
        "下一项",
        "next field",
        false,
    );
    b(
        M::ResultForm,
        K::Down,
        NONE,
        A::NextField,
        "下一项",
        "next field",
        false,
    );
    b(
        M::ResultForm,
        K::BackTab,
        NONE,
        A::PrevField,
        "上一项",
        "previous field",
        false,
    );
    b(
        M::ResultForm,
        K::Up,
        NONE,
        A::PrevField,
        "上一项",
        "previous field",
        false,
    );
    b(
        M::ResultForm,
        K::PageDown,
        NONE,
        A::PageDown,
        "下一部分",
        "next section",
        false,
    );
    b(
        M::ResultForm,
        K::PageUp,
        NONE,
        A::PageUp,
        "上一部分",
        "previous section",
        false,
    );
    editing(&mut b, M::ResultForm);

    b(M::Pick, K::Enter, NONE, A::Submit, "选定", "choose", true);
    b(M::Pick, K::Esc, NONE, A::Cancel, "取消", "cancel", true);
    b(
        M::Pick,
        K::Char(' '),
        NONE,
        A::Toggle,
        "勾选/取消（多选）",
        "tick / untick (several)",
        true,
    );
    b(M::Pick, K::Char('j'), NONE, A::Down, "下移", "down", false);
    b(M::Pick, K::Down, NONE, A::Down, "下移", "down", false);
    b(M::Pick, K::Char('k'), NONE, A::Up, "上移", "up", false);
    b(M::Pick, K::Up, NONE, A::Up, "上移", "up", false);

    b(M::Editor, K::Char('s'), CTRL, A::Save, "保存计划", "save plan", true);
    b(M::Editor, K::Esc, NONE, A::Cancel, "放弃", "discard", true);
    b(M::Editor, K::Enter, NONE, A::Newline, "换行", "new line", false);
    b(M::Editor, K::Up, NONE, A::Up, "上一行", "line up", false);
    b(M::Editor, K::Down, NONE, A::Down, "下一行", "line down", false);
    b(M::Editor, K::PageUp, NONE, A::PageUp, "上翻", "page up", false);
    b(M::Editor, K::PageDown, NONE, A::PageDown, "下翻", "page down", false);
    editing(&mut b, M::Editor);

    b(M::Input, K::Enter, NONE, A::Submit, "确定", "OK", true);
    b(M::Input, K::Esc, NONE, A::Cancel, "取消", "cancel", true);
    b(
        M::Input,
        K::Tab,
        NONE,
        A::NextField,
        "下一项/补全文件名",
        "next field / complete file name",
        true,
    );
    b(
        M::Input,
        K::BackTab,
        NONE,
        A::PrevField,
        "上一项",
        "previous field",
        false,
    );
    b(
        M::Input,
        K::Char('g'),
        CTRL,
        A::GenerateSeed,
        "生成种子",
        "generate a seed",
        false,
    );
    b(
        M::Input,
        K::Char('t'),
        CTRL,
        A::CycleKind,
        "切换名录",
        "switch roster",
        false,
    );
    editing(&mut b, M::Input);

    b(M::Confirm, K::Char('y'), NONE, A::Confirm, "确认", "yes", true);
    b(M::Confirm, K::Enter, NONE, A::Confirm, "确认", "yes", false);
    b(M::Confirm, K::Char('n'), NONE, A::Cancel, "取消", "no", true);
    b(M::Confirm, K::Esc, NONE, A::Cancel, "取消", "no", false);

    b(M::Info, K::Enter, NONE, A::Submit, "确定", "OK", true);
    b(M::Info, K::Esc, NONE, A::Cancel, "关闭", "close", true);
    b(M::Info, K::Char('q'), NONE, A::Cancel, "关闭", "close", false);
    b(M::Info, K::Char('j'), NONE, A::Down, "下滚", "scroll down", false);
    b(M::Info, K::Down, NONE, A::Down, "下滚", "scroll down", false);
    b(M::Info, K::Char('k'), NONE, A::Up, "上滚", "scroll up", false);
    b(M::Info, K::Up, NONE, A::Up, "上滚", "scroll up", false);
    b(M::Info, K::PageDown, NONE, A::PageDown, "下翻", "page down", false);
    b(M::Info, K::PageUp, NONE, A::PageUp, "上翻", "page up", false);

    b(M::Help, K::Esc, NONE, A::Cancel, "关闭", "close", true);
    b(M::Help, K::Char('q'), NONE, A::Cancel, "关闭", "close", false);
    b(M::Help, K::Char('?'), NONE, A::Cancel, "关闭", "close", false);
    b(M::Help, K::F(1), NONE, A::Cancel, "关闭", "close", false);
    b(M::Help, K::Char('j'), NONE, A::Down, "下滚", "scroll down", true);
    b(M::Help, K::Down, NONE, A::Down, "下滚", "scroll down", false);
    b(M::Help, K::Char('k'), NONE, A::Up, "上滚", "scroll up", false);
    b(M::Help, K::Up, NONE, A::Up, "上滚", "scroll up", false);
    b(M::Help, K::PageDown, NONE, A::PageDown, "下翻", "page down", false);
    b(M::Help, K::PageUp, NONE, A::PageUp, "上翻", "page up", false);

    // The results form's hint line fits 80 columns with these; help keeps the full words.
    let short = [
        (M::ResultForm, A::Pick, "选择", "choose"),
        (M::ResultForm, A::AddFinding, "新增问题", "+finding"),
        (M::ResultForm, A::AddPoints, "新增记分", "+points"),
    ];
    for (mode, action, zh, en) in short {
        for row in t.iter_mut().filter(|r| r.mode == mode && r.action == action) {
            row.short = Some((zh, en));
        }
    }
    t
}

/// The whole key table.
pub fn bindings() -> &'static [Binding] {
    static TABLE: OnceLock<Vec<Binding>> = OnceLock::new();
    TABLE.get_or_init(table)
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
