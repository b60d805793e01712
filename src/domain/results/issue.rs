//! Why a value of a result was refused, and where.

use chrono::NaiveDate;

use super::{Field, MoneyError};
use crate::i18n::Lang;

/// Which part of a result a problem is in: the main record, or the i-th (0-based) item result,
/// finding or points entry of the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Part {
    Main,
    Item(usize),
    Finding(usize),
    Points(usize),
}

/// Why a value was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    Empty,
    ControlCharacter,
    /// An invisible or direction-changing character (zero-width space, U+202E …).
    Invisible {
        character: char,
    },
    TooLong {
        max: usize,
    },
    Unknown {
        value: String,
        allowed: Vec<String>,
    },
    BadDate {
        value: String,
    },
    BeforeDraw {
        drawn_on: NaiveDate,
    },
    InFuture,
    BeforeCheckDate,
    Money {
        value: String,
        error: MoneyError,
    },
    BadNumber {
        value: String,
    },
    PointsRange {
        value: String,
    },
    ItemNotInTask {
        item: String,
        items: Vec<String>,
    },
    DuplicateItem {
        item: String,
    },
    NotInCatalogue {
        item: String,
    },
    DuplicateFinding {
        no: u32,
    },
    NoSuchFinding {
        no: String,
    },
    FindingNeeded,
    FindingsRequired {
        category: String,
    },
    FindingsNotAllowed {
        category: String,
    },
    AmountNotAllowed {
        category: String,
    },
    ItemViolationButClean {
        item_category: String,
        category: String,
    },
    AmountNeedsMeasure {
        measure: String,
    },
    RectifyByRequired {
        measures: Vec<String>,
    },
    StatusWithoutDeadline,
    PhoneInPublic,
    IdNumberInPublic,
    IdNumberAsCode,
    BadCode {
        value: String,
    },
    DuplicatePoints {
        name: String,
        no: u32,
    },
}

impl Problem {
    pub fn text(&self, lang: Lang) -> String {
        use Lang::*;
        match (self, lang) {
            (Problem::Empty, Zh) => "必填，不能为空".into(),
            (Problem::Empty, En) => "required, must not be empty".into(),
            (Problem::ControlCharacter, Zh) => "含有制表符或其他控制字符".into(),
            (Problem::ControlCharacter, En) => "contains a tab or another control character".into(),
            (Problem::Invisible { character }, Zh) => format!(
                "含有不可见字符 U+{:04X}（{}），请删除后重新录入",
                *character as u32,
                crate::domain::text::invisible(*character).map_or("", |n| n.0)
            ),
            (Problem::Invisible { character }, En) => format!(
                "contains the invisible character U+{:04X} ({}); delete it",
                *character as u32,
                crate::domain::text::invisible(*character).map_or("", |n| n.1)
            ),
            (Problem::TooLong { max }, Zh) => format!("过长（最多 {max} 字）"),
            (Problem::TooLong { max }, En) => format!("too long (at most {max} characters)"),
            (Problem::Unknown { value, allowed }, Zh) => {
                format!("“{value}”不是可用值（可用：{}）", allowed.join("、"))
            }
            (Problem::Unknown { value, allowed }, En) => {
                format!("'{value}' is not allowed (allowed: {})", allowed.join(", "))
            }
            (Problem::BadDate { value }, Zh) => {
                format!("“{value}”不是有效日期（示例：2026-03-05、2026/3/5、2026年3月5日）")
            }
            (Problem::BadDate { value }, En) => format!("'{value}' is not a date (e.g. 2026-03-05)"),
            (Problem::BeforeDraw { drawn_on }, Zh) => format!("早于抽取日期 {drawn_on}"),
            (Problem::BeforeDraw { drawn_on }, En) => format!("is before the draw ({drawn_on})"),
            (Problem::InFuture, Zh) => "不能晚于今天".into(),
            (Problem::InFuture, En) => "cannot be later than today".into(),
            (Problem::BeforeCheckDate, Zh) => "不能早于检查日期".into(),
            (Problem::BeforeCheckDate, En) => "cannot be before the check date".into(),
            (Problem::Money { value, error }, Zh) => format!("“{value}”：{}", error.zh()),
            (Problem::Money { value, error }, En) => format!("'{value}': {}", error.en()),
            (Problem::BadNumber { value }, Zh) => format!("“{value}”不是正整数"),
            (Problem::BadNumber { value }, En) => format!("'{value}' is not a positive whole number"),
            (Problem::PointsRange { value }, Zh) => format!("记分“{value}”应为 1–12 的整数"),
            (Problem::PointsRange { value }, En) => format!("points '{value}' must be a whole number 1–12"),
            (Problem::ItemNotInTask { item, items }, Zh) => {
                format!("事项“{item}”不属于本任务（本任务事项：{}）", items.join("、"))
            }
            (Problem::ItemNotInTask { item, items }, En) => {
                format!("item '{item}' is not one of this task's items ({})", items.join(", "))
            }
            (Problem::DuplicateItem { item }, Zh) => format!("事项“{item}”重复填写"),
            (Problem::DuplicateItem { item }, En) => format!("item '{item}' appears twice"),
            (Problem::NotInCatalogue { item }, Zh) => format!("“{item}”不在抽查事项清单中"),
            (Problem::NotInCatalogue { item }, En) => format!("'{item}' is not in the item catalogue"),
            (Problem::DuplicateFinding { no }, Zh) => format!("问题序号 {no} 重复"),
            (Problem::DuplicateFinding { no }, En) => format!("finding number {no} appears twice"),
            (Problem::NoSuchFinding { no }, Zh) => format!("本任务没有问题序号为“{no}”的问题"),
            (Problem::NoSuchFinding { no }, En) => format!("this task has no finding numbered '{no}'"),
            (Problem::FindingNeeded, Zh) => "本任务有多个问题，须填写记分对应的问题序号".into(),
            (Problem::FindingNeeded, En) => "the task has several findings: name the finding number".into(),
            (Problem::FindingsRequired { category }, Zh) => {
                format!("检查结果为“{category}”，须至少登记一个问题（违规类型、问题描述）")
            }
            (Problem::FindingsRequired { category }, En) => {
                format!("result '{category}' needs at least one finding")
            }
            (Problem::FindingsNotAllowed { category }, Zh) => format!("检查结果为“{category}”，不应登记问题"),
            (Problem::FindingsNotAllowed { category }, En) => {
                format!("result '{category}' cannot have findings")
            }
            (Problem::AmountNotAllowed { category }, Zh) => {
                format!("检查结果为“{category}”，不应有追回或罚款金额")
            }
            (Problem::AmountNotAllowed { category }, En) => {
                format!("result '{category}' cannot have recovered or fined amounts")
            }
            (
                Problem::ItemViolationButClean {
                    item_category,
                    category,
                },
                Zh,
            ) => format!("事项结果为“{item_category}”（发现问题），但总体检查结果为“{category}”；请改正其一"),
            (
                Problem::ItemViolationButClean {
                    item_category,
                    category,
                },
                En,
            ) => format!("the item result '{item_category}' is a violation but the overall result is '{category}'"),
            (Problem::AmountNeedsMeasure { measure }, Zh) => {
                format!("填写了金额，处理措施中须包含“{measure}”")
            }
            (Problem::AmountNeedsMeasure { measure }, En) => {
                format!("an amount needs the measure '{measure}'")
            }
            (Problem::RectifyByRequired { measures }, Zh) => {
                format!("处理措施含“{}”，须填写整改期限", measures.join("、"))
            }
            (Problem::RectifyByRequired { measures }, En) => {
                format!("the measure '{}' needs a rectification deadline", measures.join(", "))
            }
            (Problem::StatusWithoutDeadline, Zh) => "填写整改状态时须同时填写整改期限".into(),
            (Problem::StatusWithoutDeadline, En) => "a rectification status needs a deadline".into(),
            (Problem::PhoneInPublic, Zh) => "公示内容中不得含有电话号码".into(),
            (Problem::PhoneInPublic, En) => "public text must not contain a phone number".into(),
            (Problem::IdNumberInPublic, Zh) => "公示内容中不得含有身份证号码".into(),
            (Problem::IdNumberInPublic, En) => "public text must not contain an identity number".into(),
            (Problem::IdNumberAsCode, Zh) => "这是身份证号码：请填写医保相关人员代码（本系统不保存身份证号）".into(),
            (Problem::IdNumberAsCode, En) => {
                "this is an identity number: enter the 医保 staff code (identity numbers are not stored)".into()
            }
            (Problem::BadCode { value }, Zh) => format!("“{value}”含空白或分隔符，或超过 32 个字符"),
            (Problem::BadCode { value }, En) => {
                format!("'{value}' contains blanks or separators, or is longer than 32 characters")
            }
            (Problem::DuplicatePoints { name, no }, Zh) => format!("对“{name}”就问题 {no} 重复记分"),
            (Problem::DuplicatePoints { name, no }, En) => {
                format!("'{name}' is scored twice for finding {no}")
            }
        }
    }
}

/// One refused value: where, which field, why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issue {
    pub part: Part,
    pub field: Field,
    pub problem: Problem,
}
