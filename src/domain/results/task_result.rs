//! A checked result (检查结果) and its parts: what is stored, shown and published.

use chrono::NaiveDate;

use super::{FindingInput, ItemResultInput, PointsInput, ResultRules, TaskResultInput, fen_plain};

/// 整改状态.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RectifyStatus {
    Open,
    InProgress,
    Closed,
}

impl RectifyStatus {
    pub const ALL: [RectifyStatus; 3] = [Self::Open, Self::InProgress, Self::Closed];
    pub fn zh(self) -> &'static str {
        match self {
            Self::Open => "未整改",
            Self::InProgress => "整改中",
            Self::Closed => "已销号",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim() {
            "未整改" => Some(Self::Open),
            "整改中" => Some(Self::InProgress),
            "已销号" | "已整改" | "整改完成" => Some(Self::Closed),
            _ => None,
        }
    }
    pub fn labels() -> Vec<String> {
        Self::ALL.iter().map(|s| s.zh().to_string()).collect()
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemResult {
    pub item: String,
    pub category: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub no: u32,
    pub item: String,
    pub description: String,
    pub amount_fen: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PointsEntry {
    pub finding_no: u32,
    pub name: String,
    pub role: String,
    /// 人员编码 (医保相关人员代码); empty when unknown.
    pub code: String,
    pub points: u32,
    pub scored_on: NaiveDate,
}

impl PointsEntry {
    /// Who the points count against: the 人员编码 when given, else institution + name.
    pub fn person_key(&self, institution: &str) -> String {
        if self.code.is_empty() {
            format!("{institution}/{}", self.name)
        } else {
            self.code.clone()
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rectification {
    pub due: NaiveDate,
    pub status: RectifyStatus,
}

/// A checked result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskResult {
    pub check_date: NaiveDate,
    pub completed_on: NaiveDate,
    pub category: String,
    /// One per task item, sorted by item code.
    pub item_results: Vec<ItemResult>,
    /// In the configured order.
    pub measures: Vec<String>,
    pub recovered_fen: i64,
    pub fine_fen: i64,
    pub rectification: Option<Rectification>,
    /// Published in the 备注 column.
    pub public_remark: String,
    /// Never published.
    pub internal_notes: String,
    pub findings: Vec<Finding>,
    pub points: Vec<PointsEntry>,
}

impl TaskResult {
    pub fn is_violation(&self, rules: &ResultRules) -> bool {
        rules.is_violation(&self.category)
    }

    pub fn findings_amount_fen(&self) -> i64 {
        self.findings.iter().map(|f| f.amount_fen).sum()
    }

    /// The result as form text (what [`validate`](super::validate) turns back into the same result).
    pub fn to_input(&self) -> TaskResultInput {
        let d = |d: NaiveDate| d.format("%Y-%m-%d").to_string();
        let money = |f: i64| if f == 0 { String::new() } else { fen_plain(f) };
        TaskResultInput {
            check_date: d(self.check_date),
            completed_on: d(self.completed_on),
            category: self.category.clone(),
            item_results: self
                .item_results
                .iter()
                .map(|r| ItemResultInput {
                    item: r.item.clone(),
                    category: r.category.clone(),
                })
                .collect(),
            measures: self.measures.join("、"),
            recovered: money(self.recovered_fen),
            fine: money(self.fine_fen),
            rectify_by: self.rectification.map(|r| d(r.due)).unwrap_or_default(),
            rectify_status: self
                .rectification
                .map(|r| r.status.zh().to_string())
                .unwrap_or_default(),
            public_remark: self.public_remark.clone(),
            internal_notes: self.internal_notes.clone(),
            findings: self
                .findings
                .iter()
                .map(|f| FindingInput {
                    no: f.no.to_string(),
                    item: f.item.clone(),
                    description: f.description.clone(),
                    amount: money(f.amount_fen),
                })
                .collect(),
            points: self
                .points
                .iter()
                .map(|p| PointsInput {
                    finding_no: p.finding_no.to_string(),
                    name: p.name.clone(),
                    role: p.role.clone(),
                    code: p.code.clone(),
                    points: p.points.to_string(),
                    date: d(p.scored_on),
                })
                .collect(),
        }
    }
}
