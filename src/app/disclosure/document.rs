//! The public disclosure document: its records and the evidence of the draw, as JSON
//! (docs/disclosure-schema.md) and as the format-neutral table the writers render.

use serde::{Deserialize, Serialize};

use crate::io::disclosure_out::{PublicDoc, PublicFormat};

/// One inspection item of a record and its result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicItem {
    pub code: String,
    pub name: String,
    pub result: String,
}

/// One row of the public table. Optional fields are absent when the configuration hides them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicRecord {
    pub no: usize,
    pub plan_id: i64,
    pub plan_title: String,
    pub task: u32,
    pub check_type: String,
    pub items: Vec<PublicItem>,
    pub authority: String,
    pub institution_name: String,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub uscc: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub institution_code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub credit_class: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub inspectors: Option<Vec<String>>,
    pub completed_on: String,
    pub result: String,
    pub handling: String,
    /// Money in fen (分), integers.
    pub recovered_fen: i64,
    pub fine_fen: i64,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub remark: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicReplacement {
    pub task: u32,
    pub replaced: String,
    pub replacement: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditHead {
    pub seq: i64,
    pub hash: String,
}

/// What lets anyone check that the table's institutions were drawn, not chosen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DrawEvidence {
    pub protocol: u32,
    pub inputs_digest: String,
    pub seed: String,
    pub result_digest: String,
    pub drawn_at: String,
    /// How many draws the plan had; the last one counts.
    pub draws: usize,
    pub redraw_reasons: Vec<String>,
    pub replacements: Vec<PublicReplacement>,
    /// SHA-256 of the records' canonical JSON (compact, in this file's order).
    pub records_digest: String,
    /// The audit-log entry of this export (the latest entry when the file was written).
    pub audit_log: Option<AuditHead>,
    pub how_to_verify: String,
}

/// The public disclosure of a plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Disclosure {
    pub format: String,
    pub format_version: u32,
    pub title: String,
    pub authority: String,
    pub plan_id: i64,
    pub plan_title: String,
    pub year: i32,
    pub generated_at: String,
    /// The table's columns in order (JSON key and Chinese header).
    pub columns: Vec<ColumnOwned>,
    pub records: Vec<PublicRecord>,
    /// Tasks whose institution has no result yet (not in the table).
    pub pending_tasks: usize,
    pub evidence: DrawEvidence,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ColumnOwned {
    pub key: String,
    pub header: String,
}

/// What an export did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DisclosureOutcome {
    pub format: PublicFormat,
    pub rows: usize,
    pub pending_tasks: usize,
    /// Results disclosed for the first time (their publication deadline is met).
    pub newly_disclosed: usize,
    pub audit_seq: i64,
    pub records_digest: String,
}

impl Disclosure {
    /// The cells of one record in column order.
    fn cells(&self, r: &PublicRecord) -> Vec<String> {
        self.columns
            .iter()
            .map(|c| match c.key.as_str() {
                "no" => r.no.to_string(),
                "plan_id" => r.plan_id.to_string(),
                "plan_title" => r.plan_title.clone(),
                "task" => r.task.to_string(),
                "check_type" => r.check_type.clone(),
                // Per-item results only where they differ from the overall result.
                "items" if r.items.iter().all(|i| i.result == r.result) => r
                    .items
                    .iter()
                    .map(|i| format!("{} {}", i.code, i.name))
                    .collect::<Vec<_>>()
                    .join("\n"),
                "items" => r
                    .items
                    .iter()
                    .map(|i| format!("{} {}：{}", i.code, i.name, i.result))
                    .collect::<Vec<_>>()
                    .join("\n"),
                "authority" => r.authority.clone(),
                "institution_name" => r.institution_name.clone(),
                "uscc" => r.uscc.clone().unwrap_or_default(),
                "institution_code" => r.institution_code.clone().unwrap_or_default(),
                "credit_class" => r.credit_class.clone().unwrap_or_default(),
                "inspectors" => r.inspectors.clone().unwrap_or_default().join("、"),
                "completed_on" => r.completed_on.clone(),
                "result" => r.result.clone(),
                "handling" => r.handling.clone(),
                "remark" => r.remark.clone().unwrap_or_default(),
                _ => String::new(),
            })
            .collect()
    }

    /// Where the columns with these keys are in the table.
    fn column_positions(&self, keys: &[&str]) -> Vec<usize> {
        self.columns
            .iter()
            .enumerate()
            .filter(|(_, c)| keys.contains(&c.key.as_str()))
            .map(|(i, _)| i)
            .collect()
    }

    /// The format-neutral document the writers render.
    pub fn doc(&self) -> PublicDoc {
        let e = &self.evidence;
        let mut evidence = vec![
            ("公示名称".to_string(), self.title.clone()),
            ("检查机关".to_string(), self.authority.clone()),
            ("抽查计划".to_string(), format!("{} {}", self.plan_id, self.plan_title)),
            ("抽取协议版本".into(), e.protocol.to_string()),
            ("输入摘要（SHA-256）".into(), e.inputs_digest.clone()),
            ("种子".into(), e.seed.clone()),
            ("结果摘要（SHA-256）".into(), e.result_digest.clone()),
            ("抽取时间".into(), e.drawn_at.clone()),
            (
                "抽取次数".into(),
                if e.draws > 1 {
                    format!(
                        "{}（以最后一次为准；重新抽取理由：{}）",
                        e.draws,
                        e.redraw_reasons.join("；")
                    )
                } else {
                    e.draws.to_string()
                },
            ),
            (
                "任务替换".into(),
                if e.replacements.is_empty() {
                    "无".into()
                } else {
                    e.replacements
                        .iter()
                        .map(|r| format!("任务 {}：{} → {}", r.task, r.replaced, r.replacement))
                        .collect::<Vec<_>>()
                        .join("；")
                },
            ),
            ("公示记录摘要（SHA-256）".into(), e.records_digest.clone()),
        ];
        if let Some(a) = &e.audit_log {
            evidence.push(("审计日志条目".into(), format!("第 {} 条，哈希 {}", a.seq, a.hash)));
        }
        evidence.push(("生成时间".into(), self.generated_at.clone()));
        let code_columns = self.column_positions(&["uscc", "institution_code", "completed_on"]);
        let wide_columns = self.column_positions(&["items", "handling"]);
        PublicDoc {
            title: self.title.clone(),
            facts: vec![
                ("检查机关".into(), self.authority.clone()),
                (
                    "抽查计划".into(),
                    format!("{}（编号 {}）", self.plan_title, self.plan_id),
                ),
                ("公示日期".into(), self.generated_at.get(..10).unwrap_or("").to_string()),
                ("公示记录".into(), format!("{} 条", self.records.len())),
            ],
            sheet_name: "抽查结果公示".into(),
            headers: self.columns.iter().map(|c| c.header.clone()).collect(),
            code_columns,
            wide_columns,
            rows: self.records.iter().map(|r| self.cells(r)).collect(),
            evidence_title: "抽取凭证".into(),
            evidence,
            how_to_verify: e.how_to_verify.clone(),
        }
    }
}
