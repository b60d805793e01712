//! 一公开: the public result table of a plan (抽查结果公示) with the evidence of its draw, in
//! xlsx, CSV, JSON (docs/disclosure-schema.md) or one printable HTML page.
//!
//! What is public is decided here, column by column; nothing private is ever read into a public
//! record (no address, contact, phone, conflict list, finding description, internal note or
//! points). As a second line of defence every public cell is checked against the rosters' private
//! values before anything is written. Exporting is a write: it appends an audit-log entry, whose
//! sequence number and hash the file itself shows.

use std::cell::Cell as StdCell;
use std::collections::HashMap;
use std::path::Path;

use anyhow::{Result, anyhow, bail};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::Service;
use super::results::{DrawnPlan, drawn_plan};
use crate::domain::results::{TaskResult, fen_display, private_in_public_text};
use crate::i18n::Lang;
use crate::io::disclosure_out::{PublicDoc, PublicFormat, write_public};
use crate::store::results::{self as db, DisclosureLog, ResultKey};
use crate::store::{audit, results::PrivateValue};

pub const DISCLOSURE_FORMAT: &str = "choucha-disclosure";
pub const DISCLOSURE_FORMAT_VERSION: u32 = 1;

/// One sentence: how anyone can check the draw behind the table.
pub const HOW_TO_VERIFY: &str = "任何人均可向检查机关索取本计划的审计包，运行 `choucha verify 审计包.json`（或按公开的抽取协议 docs/draw-protocol.md 自行编程）由上列输入摘要和种子重新抽取，所得结果摘要应与上列一致，上列审计日志条目的哈希可由检查机关以 `choucha audit verify` 当场核对。";

/// A public column: its JSON key and its Chinese header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Column {
    pub key: &'static str,
    pub header: &'static str,
}

const COLUMNS: [Column; 16] = [
    Column {
        key: "no",
        header: "序号",
    },
    Column {
        key: "plan_id",
        header: "抽查计划编号",
    },
    Column {
        key: "plan_title",
        header: "抽查计划名称",
    },
    Column {
        key: "task",
        header: "抽查任务编号",
    },
    Column {
        key: "check_type",
        header: "抽查类型",
    },
    Column {
        key: "items",
        header: "抽查事项",
    },
    Column {
        key: "authority",
        header: "检查机关",
    },
    Column {
        key: "institution_name",
        header: "检查对象名称",
    },
    Column {
        key: "uscc",
        header: "统一社会信用代码",
    },
    Column {
        key: "institution_code",
        header: "机构编码",
    },
    Column {
        key: "credit_class",
        header: "信用等级",
    },
    Column {
        key: "inspectors",
        header: "检查人员",
    },
    Column {
        key: "completed_on",
        header: "检查完成日期",
    },
    Column {
        key: "result",
        header: "检查结果",
    },
    Column {
        key: "handling",
        header: "处理情况",
    },
    Column {
        key: "remark",
        header: "备注",
    },
];

/// Columns the configuration may hide (`privacy.extra_private_fields` naming the header or the
/// roster field behind it); the others are what 一公开 requires.
const HIDEABLE: [(&str, &[&str]); 4] = [
    ("uscc", &["统一社会信用代码", "uscc"]),
    ("institution_code", &["机构编码", "code"]),
    ("credit_class", &["信用等级", "credit"]),
    ("remark", &["备注", "公示备注", "remark", "public_remark"]),
];

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
        let code_columns = self
            .columns
            .iter()
            .enumerate()
            .filter(|(_, c)| matches!(c.key.as_str(), "uscc" | "institution_code" | "completed_on"))
            .map(|(i, _)| i)
            .collect();
        let wide_columns = self
            .columns
            .iter()
            .enumerate()
            .filter(|(_, c)| matches!(c.key.as_str(), "items" | "handling"))
            .map(|(i, _)| i)
            .collect();
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

/// 处理情况: the violation types found (not the descriptions), the measures with amounts, the
/// rectification state.
fn handling(r: &TaskResult, item_names: &HashMap<String, String>, recovery: &str, fine: &str) -> String {
    let mut parts: Vec<String> = Vec::new();
    if !r.findings.is_empty() {
        let mut kinds: Vec<String> = Vec::new();
        for f in &r.findings {
            let name = item_names.get(&f.item).cloned().unwrap_or_else(|| f.item.clone());
            if !kinds.contains(&name) {
                kinds.push(name);
            }
        }
        let amount = r.findings_amount_fen();
        let mut s = format!("发现问题：{}", kinds.join("；"));
        if amount > 0 {
            s.push_str(&format!("（涉及金额 {} 元）", fen_display(amount)));
        }
        parts.push(s);
    }
    if !r.measures.is_empty() {
        let ms: Vec<String> = r
            .measures
            .iter()
            .map(|m| {
                if m == recovery && r.recovered_fen > 0 {
                    format!("{m}医保基金 {} 元", fen_display(r.recovered_fen))
                } else if m == fine && r.fine_fen > 0 {
                    format!("{m}（罚款 {} 元）", fen_display(r.fine_fen))
                } else {
                    m.clone()
                }
            })
            .collect();
        parts.push(format!("处理措施：{}", ms.join("、")));
    }
    if let Some(x) = r.rectification {
        parts.push(format!("整改期限：{}，整改状态：{}", x.due, x.status.zh()));
    }
    if parts.is_empty() {
        "无".into()
    } else {
        parts.join("；")
    }
}

fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// Refuses a public document holding a roster's private value or a phone/identity number in free
/// text. The message names where, never the value.
fn privacy_check(doc: &PublicDoc, json: &str, private: &[PrivateValue], lang: Lang) -> Result<()> {
    let free_text: Vec<usize> = doc
        .headers
        .iter()
        .enumerate()
        .filter(|(_, h)| matches!(h.as_str(), "备注" | "处理情况"))
        .map(|(i, _)| i)
        .collect();
    let long_enough = |p: &PrivateValue| match p.kind {
        "联系人" => p.value.chars().count() >= 2,
        _ => p.value.chars().count() >= 5,
    };
    let fail = |place: String, what: &str| -> anyhow::Error {
        anyhow!(
            "{}{place}{}{what}{}",
            lang.pick(
                "公示文件不得含有个人或内部信息：",
                "a public file must not hold private data: "
            ),
            lang.pick(" 含有 ", " holds "),
            lang.pick("；未写出任何文件", "; nothing was written")
        )
    };
    for (r, row) in doc.rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            let place = format!(
                "{} {} {}「{}」",
                lang.pick("第", "row"),
                r + 1,
                lang.pick("行", ""),
                doc.headers[c]
            );
            for p in private.iter().filter(|p| long_enough(p)) {
                let checked = p.kind != "联系人" || free_text.contains(&c);
                if checked && cell.contains(&p.value) {
                    return Err(fail(place, &format!("{}（{}）", p.kind, p.owner)));
                }
            }
            if free_text.contains(&c)
                && let Some(problem) = private_in_public_text(cell)
            {
                return Err(fail(place, &problem.text(lang)));
            }
        }
    }
    for (k, v) in &doc.evidence {
        for p in private.iter().filter(|p| long_enough(p) && p.kind != "联系人") {
            if v.contains(&p.value) {
                return Err(fail(format!("「{k}」"), p.kind));
            }
        }
    }
    for p in private.iter().filter(|p| long_enough(p) && p.kind != "联系人") {
        if json.contains(&p.value) {
            return Err(fail("JSON".into(), p.kind));
        }
    }
    Ok(())
}

impl Service {
    /// The columns of the public table under the current configuration.
    pub fn disclosure_columns(&self) -> Vec<ColumnOwned> {
        let hidden: Vec<String> = self
            .config
            .privacy
            .extra_private_fields
            .iter()
            .map(|s| s.trim().to_lowercase())
            .collect();
        let d = &self.config.disclosure;
        COLUMNS
            .iter()
            .filter(|c| match c.key {
                "credit_class" if !d.show_credit_class => false,
                "inspectors" if !d.show_inspector_names => false,
                key => !HIDEABLE
                    .iter()
                    .any(|(k, names)| *k == key && names.iter().any(|n| hidden.contains(&n.to_lowercase()))),
            })
            .map(|c| ColumnOwned {
                key: c.key.into(),
                header: c.header.into(),
            })
            .collect()
    }

    /// The disclosure of a plan as it would be exported now (no write; the audit entry is absent).
    pub fn disclosure(&self, plan: i64) -> Result<Disclosure> {
        let p = drawn_plan(self.store.conn(), plan, self.lang)?;
        Ok(self.build_disclosure(self.store.conn(), &p)?.0)
    }

    /// The disclosure and, per record, the result it shows.
    fn build_disclosure(&self, conn: &rusqlite::Connection, p: &DrawnPlan) -> Result<(Disclosure, Vec<ResultKey>)> {
        let rules = self.config.result_rules();
        let columns = self.disclosure_columns();
        let has = |k: &str| columns.iter().any(|c| c.key == k);
        let stored: HashMap<(u32, String), db::StoredResult> = db::of_draw(conn, p.draw.id)?
            .into_iter()
            .map(|s| ((s.key.seq, s.key.institution.clone()), s))
            .collect();
        let facts = db::institution_facts(conn)?;
        let items: HashMap<String, String> = db::item_names(conn)?.into_iter().collect();
        let people = db::inspector_names(conn)?;
        let authority = self.config.disclosure.authority.clone();
        let mut records = Vec::new();
        let mut keys = Vec::new();
        let mut pending = 0;
        for (seq, holders) in &p.holders {
            for (i, h) in holders.iter().enumerate() {
                let Some(s) = stored.get(&(*seq, h.institution.clone())) else {
                    if i + 1 == holders.len() {
                        pending += 1;
                    }
                    continue;
                };
                let r = &s.result;
                let f = facts.get(&h.institution).unwrap_or_default();
                keys.push(s.key.clone());
                records.push(PublicRecord {
                    no: records.len() + 1,
                    plan_id: p.view.plan.id,
                    plan_title: p.view.plan.title.clone(),
                    task: *seq,
                    check_type: "双随机抽查".into(),
                    items: r
                        .item_results
                        .iter()
                        .map(|x| PublicItem {
                            code: x.item.clone(),
                            name: items.get(&x.item).cloned().unwrap_or_default(),
                            result: x.category.clone(),
                        })
                        .collect(),
                    authority: authority.clone(),
                    institution_name: f.name.clone(),
                    uscc: has("uscc").then(|| f.uscc.clone()),
                    institution_code: has("institution_code").then(|| h.institution.clone()),
                    credit_class: has("credit_class").then(|| f.credit.clone()),
                    inspectors: has("inspectors").then(|| {
                        h.team
                            .iter()
                            .map(|id| people.get(id).cloned().unwrap_or_default())
                            .collect()
                    }),
                    completed_on: r.completed_on.format("%Y-%m-%d").to_string(),
                    result: r.category.clone(),
                    handling: handling(r, &items, &rules.recovery_measure, &rules.fine_measure),
                    recovered_fen: r.recovered_fen,
                    fine_fen: r.fine_fen,
                    remark: has("remark").then(|| r.public_remark.clone()),
                });
            }
        }
        let records_digest = sha256_hex(&serde_json::to_vec(&records)?);
        let v = &p.view;
        let frozen = v
            .frozen
            .as_ref()
            .ok_or_else(|| anyhow!("plan {} has no frozen inputs", v.plan.id))?;
        let mut replacements = Vec::new();
        for (seq, holders) in &p.holders {
            for w in holders.windows(2) {
                replacements.push(PublicReplacement {
                    task: *seq,
                    replaced: w[0].institution.clone(),
                    replacement: w[1].institution.clone(),
                });
            }
        }
        let d = Disclosure {
            format: DISCLOSURE_FORMAT.into(),
            format_version: DISCLOSURE_FORMAT_VERSION,
            title: format!("{} 检查结果公示", v.plan.title),
            authority,
            plan_id: v.plan.id,
            plan_title: v.plan.title.clone(),
            year: v.plan.year,
            generated_at: self.now_text(),
            columns,
            records,
            pending_tasks: pending,
            evidence: DrawEvidence {
                protocol: p.draw.protocol,
                inputs_digest: frozen.inputs_digest.clone(),
                seed: p.draw.seed.clone(),
                result_digest: p.draw.result_digest.clone(),
                drawn_at: p.draw.drawn_at.clone(),
                draws: v.draws.len(),
                redraw_reasons: v.draws.iter().skip(1).map(|d| d.reason.clone()).collect(),
                replacements,
                records_digest,
                audit_log: audit::latest(conn)?.map(|(seq, hash)| AuditHead { seq, hash }),
                how_to_verify: HOW_TO_VERIFY.into(),
            },
        };
        Ok((d, keys))
    }

    /// Writes the public disclosure of a plan to `path` (.xlsx, .csv, .json or .html) and logs
    /// the export in the same transaction; results in it count as disclosed from now on. Refused
    /// when no result is recorded yet or when a public cell would hold private data.
    pub fn export_disclosure(&mut self, plan: i64, path: &Path) -> Result<DisclosureOutcome> {
        let Some(format) = PublicFormat::from_path(path) else {
            bail!(
                "{}: {}",
                self.t(
                    "公示文件的扩展名应为 .xlsx、.csv、.json 或 .html",
                    "a disclosure file must end in .xlsx, .csv, .json or .html"
                ),
                path.display()
            );
        };
        let lang = self.lang;
        let (now, actor) = (self.now_text(), self.actor.clone());
        let file_name = path
            .file_name()
            .map(|f| f.to_string_lossy().into_owned())
            .unwrap_or_default();
        let written = StdCell::new(false);
        let p = drawn_plan(self.store.conn(), plan, lang)?;
        let (mut d, keys) = self.build_disclosure(self.store.conn(), &p)?;
        if d.records.is_empty() {
            bail!(
                "{}",
                lang.pick(
                    "该计划尚未登记任何检查结果，没有可公示的内容",
                    "no result is recorded for this plan yet: nothing to disclose"
                )
            );
        }
        let private = db::private_values(self.store.conn())?;
        privacy_check(&d.doc(), &serde_json::to_string(&d)?, &private, lang)?;
        let draw_id = p.draw.id;
        let rows = d.records.len();
        let pending = d.pending_tasks;
        let digest = d.evidence.records_digest.clone();
        let result = self.store.write(|tx| {
            let entry = audit::append(
                tx,
                &now,
                &actor,
                "disclosure.export",
                &format!("plan:{plan}"),
                &format!(
                    "file={file_name} format={} rows={rows} pending={pending} records_digest={digest}",
                    format.as_str()
                ),
            )?;
            let newly = db::mark_disclosed(tx, &keys, &now)?;
            db::insert_disclosure(
                tx,
                &DisclosureLog {
                    id: 0,
                    plan_id: plan,
                    draw_id,
                    format: format.as_str().into(),
                    file_name: file_name.clone(),
                    rows,
                    digest: digest.clone(),
                    audit_seq: entry.seq,
                    at: now.clone(),
                    actor: actor.clone(),
                },
            )?;
            d.evidence.audit_log = Some(AuditHead {
                seq: entry.seq,
                hash: entry.hash.clone(),
            });
            let json = serde_json::to_value(&d)?;
            write_public(path, &d.doc(), &json)?;
            written.set(true);
            Ok(DisclosureOutcome {
                format,
                rows,
                pending_tasks: pending,
                newly_disclosed: newly,
                audit_seq: entry.seq,
                records_digest: digest.clone(),
            })
        });
        if result.is_err() && written.get() {
            // The file was written but the log entry naming it did not commit.
            let _ = std::fs::remove_file(path);
        }
        result
    }

    /// Every disclosure file exported for a plan.
    pub fn disclosures(&self, plan: i64) -> Result<Vec<DisclosureLog>> {
        db::disclosures_of_plan(self.store.conn(), plan)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::Clock;
    use crate::domain::results::{FindingInput, TaskResultInput};
    use crate::io::disclosure_out::all_text;

    fn svc() -> Service {
        let mut svc = crate::app::results::tests::drawn();
        svc = svc.with_clock(Clock::Fixed(
            chrono::NaiveDate::from_ymd_opt(2026, 3, 12)
                .unwrap()
                .and_hms_opt(10, 0, 0)
                .unwrap(),
        ));
        let item = svc.drawn_plan(1).unwrap().current(1).unwrap().items[0].clone();
        let input = TaskResultInput {
            check_date: "2026-03-10".into(),
            category: "发现问题已责令整改".into(),
            measures: "责令改正、追回、行政处罚".into(),
            recovered: "1234.5".into(),
            fine: "2000".into(),
            rectify_by: "2026-04-10".into(),
            public_remark: "=已整改".into(),
            internal_notes: "内部：院长很配合，电话 13900000000".into(),
            findings: vec![FindingInput {
                item,
                description: "患者王某某处方串换".into(),
                amount: "1234.50".into(),
                ..Default::default()
            }],
            ..Default::default()
        };
        svc.save_task_result(1, 1, &input).unwrap().unwrap();
        svc
    }

    #[test]
    fn export_logs_marks_and_keeps_private_things_out() {
        let mut s = svc();
        let dir = tempfile::tempdir().unwrap();
        let mut json_seq = 0;
        for ext in ["xlsx", "csv", "json", "html"] {
            let p = dir.path().join(format!("公示.{ext}"));
            let out = s.export_disclosure(1, &p).unwrap();
            if ext == "json" {
                json_seq = out.audit_seq;
            }
            assert_eq!(out.rows, 1);
            let text = all_text(&p).unwrap();
            assert!(text.contains("发现问题已责令整改"), "{ext}");
            assert!(text.contains("追回医保基金 1,234.50 元"), "{ext}");
            assert!(text.contains(&out.audit_seq.to_string()), "{ext}");
            for secret in ["院长很配合", "13900000000", "王某某", "回避"] {
                assert!(!text.contains(secret), "{ext}: {secret}");
            }
            if ext != "json" && ext != "html" {
                assert!(text.contains("'=已整改"), "{ext}");
            }
        }
        let log = audit::recent(s.store.conn(), 1).unwrap();
        assert_eq!(log[0].action, "disclosure.export");
        assert_eq!(s.disclosures(1).unwrap().len(), 4);
        let f = s
            .followup(chrono::NaiveDate::from_ymd_opt(2026, 3, 12).unwrap())
            .unwrap();
        assert!(f.publications.is_empty());
        // JSON follows the documented shape.
        let v: serde_json::Value =
            serde_json::from_slice(&std::fs::read(dir.path().join("公示.json")).unwrap()).unwrap();
        assert_eq!(v["format"], DISCLOSURE_FORMAT);
        assert_eq!(v["records"][0]["recovered_fen"], 123_450);
        assert!(v["records"][0].get("credit_class").is_none());
        let entry = audit::recent(s.store.conn(), 10)
            .unwrap()
            .into_iter()
            .find(|e| e.seq == json_seq)
            .unwrap();
        assert!(entry.details.contains("format=json"));
        assert_eq!(v["evidence"]["audit_log"]["seq"], entry.seq);
        assert_eq!(v["evidence"]["audit_log"]["hash"], entry.hash.as_str());
        assert!(
            entry
                .details
                .contains(v["evidence"]["records_digest"].as_str().unwrap())
        );
    }

    #[test]
    fn private_values_in_public_cells_are_refused() {
        let mut s = svc();
        let phone: String = s
            .store
            .conn()
            .query_row("SELECT phone FROM institutions WHERE phone != '' LIMIT 1", [], |r| {
                r.get(0)
            })
            .unwrap();
        let mut input = s.task_result_input(1, 1).unwrap();
        // The remark check refuses phone-like text already; write the value in directly to test
        // the export-time check.
        input.public_remark = "已整改".into();
        s.save_task_result(1, 1, &input).unwrap().unwrap();
        s.store
            .conn()
            .execute("UPDATE task_results SET public_remark = ?1", [format!("见 {phone}")])
            .unwrap();
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("d.html");
        let e = s.export_disclosure(1, &p).unwrap_err().to_string();
        assert!(e.contains("联系电话") && e.contains("备注"), "{e}");
        assert!(!e.contains(&phone), "{e}");
        assert!(!p.exists());
        assert_ne!(audit::recent(s.store.conn(), 1).unwrap()[0].action, "disclosure.export");
    }

    #[test]
    fn columns_follow_the_configuration() {
        let mut s = svc();
        let keys = |s: &Service| s.disclosure_columns().into_iter().map(|c| c.key).collect::<Vec<_>>();
        assert!(!keys(&s).contains(&"credit_class".to_string()));
        s.config.disclosure.show_credit_class = true;
        s.config.disclosure.show_inspector_names = true;
        s.config.privacy.extra_private_fields = vec!["统一社会信用代码".into()];
        let k = keys(&s);
        assert!(k.contains(&"credit_class".to_string()) && k.contains(&"inspectors".to_string()));
        assert!(!k.contains(&"uscc".to_string()));
        let d = s.disclosure(1).unwrap();
        assert!(d.records[0].uscc.is_none());
        assert_eq!(d.records[0].inspectors.as_ref().unwrap().len(), 2);
        // Hiding the institution code still marks the right results disclosed.
        s.config.privacy.extra_private_fields = vec!["机构编码".into()];
        let dir = tempfile::tempdir().unwrap();
        let out = s.export_disclosure(1, &dir.path().join("d.csv")).unwrap();
        assert_eq!(out.newly_disclosed, 1);
        assert!(s.export_disclosure(1, &dir.path().join("d.pdf")).is_err());
    }
}
