//! The results workbook: the task sheet exported to fill in, imported all or nothing.

mod export;
mod group;
mod help;
mod import;
mod read;

pub use import::ResultImportOutcome;

use crate::domain::results::Field;

pub const SHEET_MAIN: &str = "检查结果";
pub const SHEET_ITEMS: &str = "事项结果";
pub const SHEET_FINDINGS: &str = "问题";
pub const SHEET_POINTS: &str = "记分";
pub const SHEET_HELP: &str = "填写说明";

pub const COL_PLAN: &str = "计划编号";
pub const COL_SEQ: &str = "任务序号";
pub const COL_INST: &str = "机构编码";

/// What a column of a results sheet is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Col {
    Plan,
    Seq,
    Inst,
    F(Field),
}

#[derive(Debug, Clone)]
struct ColDef {
    zh: &'static str,
    en: &'static str,
    col: Col,
    required: bool,
}

/// Columns shown for orientation and ignored on import.
const INFO_HEADERS: [&str; 9] = [
    "机构名称",
    "机构类型",
    "所属区县",
    "检查事项",
    "检查组",
    "事项名称",
    "信用等级",
    "替换情况",
    "序号",
];

fn key_cols() -> Vec<ColDef> {
    vec![
        ColDef {
            zh: COL_PLAN,
            en: "plan",
            col: Col::Plan,
            required: true,
        },
        ColDef {
            zh: COL_SEQ,
            en: "task",
            col: Col::Seq,
            required: true,
        },
        ColDef {
            zh: COL_INST,
            en: "institution",
            col: Col::Inst,
            required: true,
        },
    ]
}

fn field_cols(fields: &[Field], required: &[Field]) -> Vec<ColDef> {
    fields
        .iter()
        .map(|&f| ColDef {
            zh: f.zh(),
            en: f.en(),
            col: Col::F(f),
            required: required.contains(&f),
        })
        .collect()
}

fn sheet_cols(sheet: &str) -> Vec<ColDef> {
    let mut v = key_cols();
    match sheet {
        SHEET_MAIN => v.extend(field_cols(&Field::MAIN, &[Field::CheckDate, Field::Category])),
        SHEET_ITEMS => v.extend(field_cols(
            &[Field::ItemCode, Field::ItemCategory],
            &[Field::ItemCode, Field::ItemCategory],
        )),
        SHEET_FINDINGS => v.extend(field_cols(
            &Field::FINDING,
            &[Field::FindingItem, Field::FindingDescription],
        )),
        _ => v.extend(field_cols(&Field::POINTS, &[Field::PointsName, Field::PointsValue])),
    }
    v
}

/// Header text for matching: BOM and all blanks removed, full-width parentheses made half-width.
fn norm_header(h: &str) -> String {
    h.chars()
        .filter(|c| *c != '\u{feff}' && !c.is_whitespace())
        .map(|c| match c {
            '（' => '(',
            '）' => ')',
            c => c,
        })
        .collect()
}

/// `追回金额（元）` also matches `追回金额`.
fn without_unit(h: &str) -> &str {
    match h.rfind('(') {
        Some(i) if h.ends_with(')') && i > 0 => &h[..i],
        _ => h,
    }
}
