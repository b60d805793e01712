//! The words of the interface, Chinese and English. `Lang` comes from the command line.

use crate::app::plans::PlanStatus;
use crate::app::rosters::RosterKind;
pub use crate::i18n::Lang;

/// A text in both languages.
#[derive(Debug, Clone, Copy)]
pub struct Txt(pub &'static str, pub &'static str);

impl Txt {
    pub fn get(self, lang: Lang) -> &'static str {
        lang.pick(self.0, self.1)
    }
}

pub const APP_TITLE: Txt = Txt("医保基金双随机抽查", "choucha · random inspections");
pub const TABS: [Txt; 6] = [
    Txt("事项清单", "Items"),
    Txt("检查对象", "Institutions"),
    Txt("检查人员", "Inspectors"),
    Txt("抽查计划", "Plans"),
    Txt("任务与结果", "Tasks"),
    Txt("统计", "Statistics"),
];

/// The tab titles where the full ones do not fit (a narrow terminal).
pub const TABS_SHORT: [Txt; 6] = [
    Txt("事项", "Items"),
    Txt("对象", "Inst."),
    Txt("人员", "Insp."),
    Txt("计划", "Plans"),
    Txt("任务", "Tasks"),
    Txt("统计", "Stats"),
];

pub const FILTER: Txt = Txt("筛选", "Filter");
pub const SORT: Txt = Txt("排序", "Sort");
pub const WITH_INACTIVE: Txt = Txt("含已停用", "incl. inactive");
pub const INACTIVE: Txt = Txt("已停用", "inactive");
pub const NO_ROWS: Txt = Txt("（没有记录）", "(no records)");
pub const NO_MATCH: Txt = Txt("（没有符合筛选的记录）", "(nothing matches the filter)");
pub const QUERYING: Txt = Txt("（停止输入后查询…）", "(querying when typing pauses…)");
pub const DETAIL: Txt = Txt("详情", "Details");

pub const WELCOME_TITLE: Txt = Txt("欢迎使用“双随机、一公开”抽查系统", "Welcome to choucha");
pub const WELCOME_EMPTY: Txt = Txt("数据库中还没有名录数据。", "The database holds no rosters yet.");
pub const WELCOME_DEMO: Txt = Txt(
    "加载示例数据（临江市：机构、检查人员、事项清单和一个草稿计划）",
    "load the example data (a city's rosters and a draft plan)",
);
pub const WELCOME_IMPORT: Txt = Txt("导入名录（xlsx 或 CSV）", "import a roster (xlsx or CSV)");
pub const WELCOME_HELP: Txt = Txt("查看全部按键", "all keys");
pub const WELCOME_ORDER: Txt = Txt(
    "建议导入顺序：事项清单 → 检查对象名录库 → 执法检查人员名录库。",
    "Suggested order: items → institutions → inspectors.",
);

pub const PLAN_COLS: [Txt; 4] = [
    Txt("编号", "ID"),
    Txt("年度", "Year"),
    Txt("状态", "Status"),
    Txt("标题", "Title"),
];
pub const NO_PLANS: Txt = Txt("（还没有计划：按 n 新建）", "(no plans yet: press n)");
pub const TASK_COLS: [Txt; 8] = [
    Txt("序号", "No."),
    Txt("等级", "Class"),
    Txt("机构编码", "Code"),
    Txt("机构名称", "Institution"),
    Txt("检查结果", "Result"),
    Txt("公示期限", "Publish by"),
    Txt("检查组", "Team"),
    Txt("事项", "Items"),
];
pub const NOT_RECORDED: Txt = Txt("未录入", "not recorded");
pub const RECTIFY_OVERDUE: Txt = Txt("整改逾期", "rectification overdue");
pub const OVERDUE: Txt = Txt("逾期", "overdue");
pub const DISCLOSED: Txt = Txt("已公示", "disclosed");
pub const ALTERNATE: Txt = Txt("候补", "alt.");
pub const NO_DRAW: Txt = Txt("（该计划尚未抽取）", "(this plan has not been drawn)");
pub const NO_PLAN_SELECTED: Txt = Txt(
    "（没有计划：在“抽查计划”页新建）",
    "(no plan: create one on the Plans tab)",
);

pub const CLASS: Txt = Txt("等级", "Class");
pub const ROSTER_SIZE: Txt = Txt("在册机构", "Institutions");
pub const DRAWN: Txt = Txt("已抽取", "Drawn");
pub const RATE: Txt = Txt("抽查比例", "Rate");
pub const FLOOR_OK: Txt = Txt("达标", "ok");
pub const BELOW_FLOOR: Txt = Txt("低于5%", "below 5%");
pub const COVERAGE: Txt = Txt(
    "本年度覆盖率（已抽机构/在册机构）",
    "Coverage this year (drawn / active institutions)",
);
pub const RATE_CHART: Txt = Txt("各等级抽查比例（‰，下限 50‰）", "Rate per class (‰, floor 50‰)");

/// Column names of a roster: the Chinese headers of the import files, or their English aliases.
pub fn headers(kind: RosterKind, lang: Lang) -> Vec<&'static str> {
    use crate::domain::{InspectionItem, Inspector, Institution, Record};
    match lang {
        Lang::Zh => crate::app::Service::roster_headers(kind),
        Lang::En => match kind {
            RosterKind::Institutions => Institution::FIELDS.iter().map(|f| f.en).collect(),
            RosterKind::Inspectors => Inspector::FIELDS.iter().map(|f| f.en).collect(),
            RosterKind::Items => InspectionItem::FIELDS.iter().map(|f| f.en).collect(),
        },
    }
}

/// "：" in Chinese, ": " in English.
pub fn colon(lang: Lang) -> &'static str {
    lang.pick("：", ": ")
}

pub fn tab_title(i: usize, lang: Lang) -> &'static str {
    TABS[i].get(lang)
}

/// A roster's display name (as the tabs name it).
pub fn roster_name(kind: RosterKind, lang: Lang) -> &'static str {
    let en = match kind {
        RosterKind::Institutions => "Institutions",
        RosterKind::Inspectors => "Inspectors",
        RosterKind::Items => "Items",
    };
    lang.pick(kind.zh(), en)
}

pub fn status_name(s: PlanStatus, lang: Lang) -> &'static str {
    lang.pick(s.zh(), s.as_str())
}

/// "第 3/334 条" / "3 of 334".
pub fn row_of(lang: Lang, x: usize, y: usize) -> String {
    match lang {
        Lang::Zh => format!("第 {x}/{y} 条"),
        Lang::En => format!("{x} of {y}"),
    }
}

/// The position in a list counted only up to `y` rows: "第 x/≥y 条".
pub fn row_of_at_least(lang: Lang, x: usize, y: usize) -> String {
    match lang {
        Lang::Zh => format!("第 {x}/≥{y} 条"),
        Lang::En => format!("{x} of ≥{y}"),
    }
}

/// The position while a changed filter has not been queried yet.
pub fn row_of_unknown(lang: Lang) -> String {
    match lang {
        Lang::Zh => "第 …/… 条".into(),
        Lang::En => "… of …".into(),
    }
}

/// The position while a filter waits for the search index being built.
pub fn row_of_indexing(lang: Lang) -> String {
    match lang {
        Lang::Zh => "第 …/… 条（正在建立检索索引）".into(),
        Lang::En => "… of … (building the search index)".into(),
    }
}

/// Splits a hex digest into groups of 8 characters, to be read out.
pub fn digest_groups(d: &str) -> Vec<String> {
    d.chars()
        .collect::<Vec<_>>()
        .chunks(8)
        .map(|c| c.iter().collect())
        .collect()
}
