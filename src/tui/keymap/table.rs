//! The rows of the key table, mode by mode.

use ratatui::crossterm::event::{KeyCode, KeyModifiers};

use super::binding::Binding;
use super::mode::Mode;
use crate::tui::action::Action;
use crate::tui::context::Opener;

const NONE: KeyModifiers = KeyModifiers::NONE;
const CTRL: KeyModifiers = KeyModifiers::CONTROL;

pub(super) fn table() -> Vec<Binding> {
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
            open: None,
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
    b(
        M::Info,
        K::Char('a'),
        NONE,
        A::ExportAnnouncement,
        "导出计划公告（摘要页）",
        "export the announcement (digest)",
        false,
    );
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
    // Keys that open a screen over the tab (`Action::Open`): one row per screen.
    #[rustfmt::skip]
    let opens: &[(Mode, KeyCode, KeyModifiers, Opener, &str, &str)] = &[
        // (mode, key, modifiers, the screen module's `open`, zh, en),
    ];
    for &(mode, code, mods, open, zh, en) in opens {
        t.push(Binding::opens(t.len(), mode, code, mods, open, zh, en));
    }
    for (mode, action, zh, en) in short {
        for row in t.iter_mut().filter(|r| r.mode == mode && r.action == action) {
            row.short = Some((zh, en));
        }
    }
    t
}
