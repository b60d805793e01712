//! The public disclosure document: its records and the evidence of the draw, as JSON
//! (docs/disclosure-schema.md) and as the format-neutral table the writers render.

use serde::{Deserialize, Serialize};

use crate::io::disclosure_out::{PublicDoc, PublicFormat};

/// One inspection item of a record and its result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicItem {
    pub code: String,
    pub name: String,
    /// The item's result as entered (or settled by the overall result); absent when the
    /// officer entered none: it is never invented.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub result: Option<String>,
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
    /// The files written: the one asked for and, for CSV, the evidence beside it.
    pub files: Vec<std::path::PathBuf>,
}

/// Columns whose value is the same on every row of a plan: shown once above the table in xlsx
/// and HTML, on every row in CSV and JSON.
const PLAN_WIDE: [&str; 4] = ["plan_id", "plan_title", "check_type", "authority"];

impl Disclosure {
    /// The cells of one record in column order.
    fn cells(&self, r: &PublicRecord) -> Vec<String> {
        let money = |fen: i64| fen_plain_yuan(fen);
        self.columns
            .iter()
            .map(|c| match c.key.as_str() {
                "no" => r.no.to_string(),
                "plan_id" => r.plan_id.to_string(),
                "plan_title" => r.plan_title.clone(),
                "task" => r.task.to_string(),
                "check_type" => r.check_type.clone(),
                "items" => items_cell(r),
                "authority" => r.authority.clone(),
                "institution_name" => r.institution_name.clone(),
                "uscc" => r.uscc.clone().unwrap_or_default(),
                "institution_code" => r.institution_code.clone().unwrap_or_default(),
                "credit_class" => r.credit_class.clone().unwrap_or_default(),
                "inspectors" => r.inspectors.clone().unwrap_or_default().join("、"),
                "completed_on" => r.completed_on.clone(),
                "result" => r.result.clone(),
                "handling" => r.handling.clone(),
                "recovered_fen" => money(r.recovered_fen),
                "fine_fen" => money(r.fine_fen),
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

    /// The facts common to the whole table, shown once above it.
    fn plan_facts(&self) -> Vec<(String, String)> {
        let completed: Vec<&str> = self.records.iter().map(|r| r.completed_on.as_str()).collect();
        let span = match (completed.iter().min(), completed.iter().max()) {
            (Some(a), Some(b)) if a == b => a.to_string(),
            (Some(a), Some(b)) => format!("{a} 至 {b}"),
            _ => String::new(),
        };
        let mut facts = vec![
            ("检查机关".to_string(), self.authority.clone()),
            (
                "抽查计划".to_string(),
                format!("{}（编号 {}）", self.plan_title, self.plan_id),
            ),
            ("抽查类型".to_string(), "双随机抽查".to_string()),
        ];
        if !span.is_empty() {
            facts.push(("检查完成日期".into(), span));
        }
        facts.push((
            "公示记录".into(),
            if self.pending_tasks > 0 {
                format!(
                    "{} 条（另有 {} 个任务尚未完成检查）",
                    self.records.len(),
                    self.pending_tasks
                )
            } else {
                format!("{} 条", self.records.len())
            },
        ));
        facts.push(("生成日期".into(), self.generated_at.get(..10).unwrap_or("").to_string()));
        facts
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
                        .join("\n")
                },
            ),
            ("公示记录摘要（SHA-256）".into(), e.records_digest.clone()),
        ];
        if let Some(a) = &e.audit_log {
            evidence.push(("审计日志条目".into(), format!("第 {} 条", a.seq)));
            evidence.push(("审计日志条目哈希".into(), a.hash.clone()));
        }
        evidence.push(("生成时间".into(), self.generated_at.clone()));
        let evidence_codes = evidence
            .iter()
            .enumerate()
            .filter(|(_, (k, _))| k.contains("SHA-256") || k == "种子" || k.ends_with("哈希"))
            .map(|(i, _)| i)
            .collect();
        PublicDoc {
            title: self.title.clone(),
            notice: String::new(),
            facts: self.plan_facts(),
            sheet_name: "抽查结果公示".into(),
            headers: self.columns.iter().map(|c| c.header.clone()).collect(),
            code_columns: self.column_positions(&["uscc", "institution_code", "completed_on"]),
            wide_columns: self.column_positions(&["items", "handling", "remark"]),
            amount_columns: self.column_positions(&["recovered_fen", "fine_fen"]),
            plan_wide_columns: self.column_positions(&PLAN_WIDE),
            name_column: self.column_positions(&["institution_name"]).first().copied(),
            rows: self.records.iter().map(|r| self.cells(r)).collect(),
            evidence_title: "抽取凭证".into(),
            evidence,
            evidence_codes,
            how_to_verify: e.how_to_verify.clone(),
        }
    }
}

/// 抽查事项: one item a line; its result after it only where one was entered and it differs
/// from the overall result (an item without an entered result shows none: never invented).
fn items_cell(r: &PublicRecord) -> String {
    r.items
        .iter()
        .map(|i| match &i.result {
            Some(res) if *res != r.result => format!("{} {}：{}", i.code, i.name, res),
            _ => format!("{} {}", i.code, i.name),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Yuan with two decimals and no thousands separator (`1234.50`); what spreadsheets read as a
/// number. Zero is `0.00`.
fn fen_plain_yuan(fen: i64) -> String {
    format!("{}.{:02}", fen / 100, (fen % 100).abs())
}
