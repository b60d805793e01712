//! A result as typed into a form or a spreadsheet: text only, checked by
//! [`validate`](super::validate).

/// A result as typed into a form or a spreadsheet: text only, checked by [`validate`](super::validate).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TaskResultInput {
    pub check_date: String,
    /// Blank: the same as 检查日期.
    pub completed_on: String,
    pub category: String,
    /// Per item; items left out (or with a blank category) are derived, see [`validate`](super::validate).
    pub item_results: Vec<ItemResultInput>,
    /// A list cell: 约谈、责令改正.
    pub measures: String,
    pub recovered: String,
    pub fine: String,
    pub rectify_by: String,
    pub rectify_status: String,
    pub public_remark: String,
    pub internal_notes: String,
    pub findings: Vec<FindingInput>,
    pub points: Vec<PointsInput>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ItemResultInput {
    pub item: String,
    pub category: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FindingInput {
    /// 问题序号 within the task; blank takes the next free number.
    pub no: String,
    pub item: String,
    pub description: String,
    pub amount: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PointsInput {
    /// The finding (问题序号) the points are for; blank when the task has exactly one finding.
    pub finding_no: String,
    pub name: String,
    pub role: String,
    pub code: String,
    pub points: String,
    /// Blank: the 检查完成日期.
    pub date: String,
}
