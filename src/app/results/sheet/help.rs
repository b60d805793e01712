//! The 填写说明 sheet of the task sheet.

use super::{SHEET_FINDINGS, SHEET_ITEMS, SHEET_POINTS};
use crate::domain::results::{Field, RectifyStatus, ResultRules};

/// The 填写说明 sheet: allowed values and rules.
pub(super) fn help_rows(rules: &ResultRules, days: u32) -> Vec<Vec<String>> {
    let r = |a: &str, b: String| vec![a.to_string(), b];
    vec![
        r(
            "总体说明",
            "只填写各表中白色的列（检查日期及其后的列）；灰色的是信息列，已锁定（工作表保护，无密码）：计划编号、任务序号、机构编码用于导入时对应任务，其余信息列导入时忽略。在「问题」「记分」表新增行时三个编号列照填。检查结果、处理措施、整改状态、事项结果可从单元格的下拉列表选择。某任务的检查结果列全部留空表示尚未检查，导入时不作改动。整个文件校验无误才会写入，任何一处错误都不会写入任何数据。".into(),
        ),
        r(
            Field::CheckDate.zh(),
            "必填。格式 2026-03-05、2026/3/5 或 2026年3月5日；不早于抽取日期，不晚于今天。".into(),
        ),
        r(
            Field::CompletedOn.zh(),
            format!("可空，空则同检查日期。检查结果应在检查完成后 {days} 个工作日内公示（工作日按周一至周五计算，扣除法定节假日、计入调休上班日）。"),
        ),
        r(
            Field::Category.zh(),
            format!(
                "必填，可选：{}。其中 {} 须在「问题」表至少登记一个问题。",
                rules.categories.join("、"),
                rules.violation_categories.join("、")
            ),
        ),
        r(
            Field::Measures.zh(),
            format!("可多选，用顿号分隔：{}。", rules.measures.join("、")),
        ),
        r(
            "金额",
            format!(
                "以元为单位，最多两位小数，如 1234.56 或 1,234.56元，也可写 1.5万元。填写追回金额须选“{}”，填写罚款金额须选“{}”。",
                rules.recovery_measure, rules.fine_measure
            ),
        ),
        r(
            Field::RectifyBy.zh(),
            format!(
                "选择 {} 时必填；整改状态可选：{}（空则为未整改）。",
                rules.rectification_measures.join("、"),
                RectifyStatus::labels().join("、")
            ),
        ),
        r(
            Field::PublicRemark.zh(),
            "将在公示表“备注”列公开，不得填写电话、地址、身份证号等个人信息。".into(),
        ),
        r(Field::InternalNotes.zh(), "仅内部留存，任何公示文件都不会包含。".into()),
        r(
            SHEET_ITEMS,
            "每个检查事项的结果，可空：总体结果不是发现问题时按总体结果补全；是发现问题时，问题涉及的事项按总体结果补全，其余事项请逐项填写（留空的不作推定，也不公示）。".into(),
        ),
        r(
            SHEET_FINDINGS,
            "每个问题一行：违规类型填抽查事项清单中的事项编码；问题序号可空（按顺序编号）。问题描述不公开。".into(),
        ),
        r(
            SHEET_POINTS,
            "驾照式记分：对相关人员按问题记 1–12 分；问题序号在该任务只有一个问题时可空。人员编码填医保相关人员代码，不要填身份证号。一个自然年度累计 9 分暂停医保支付资格 1–6 个月，12 分终止。".into(),
        ),
    ]
}
