//! Building the public records of a plan from its results, column by column: nothing private is
//! read into them.

use crate::store::Reader;
use std::collections::HashMap;

use anyhow::{Result, anyhow};

use super::{
    AuditHead, DISCLOSURE_FORMAT, DISCLOSURE_FORMAT_VERSION, Disclosure, DrawEvidence, HOW_TO_VERIFY, PublicItem,
    PublicRecord, PublicReplacement,
};
use crate::app::Service;
use crate::app::results::DrawnPlan;
use crate::domain::draw::inputs::digest_hex;
use crate::domain::results::{TaskResult, fen_display};
use crate::store::audit;
use crate::store::results::{self as db, ResultKey};

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

impl Service {
    /// The disclosure of a plan as it would be exported now (no write; the audit entry is absent).
    pub fn disclosure(&self, plan: i64) -> Result<Disclosure> {
        let p = self.drawn_plan(plan)?;
        Ok(self.build_disclosure(&self.store.reader(), &p)?.0)
    }

    /// The disclosure and, per record, the result it shows.
    pub(super) fn build_disclosure(&self, reader: &Reader, p: &DrawnPlan) -> Result<(Disclosure, Vec<ResultKey>)> {
        let rules = self.config.result_rules();
        let columns = self.disclosure_columns();
        let has = |k: &str| columns.iter().any(|c| c.key == k);
        let stored = p.stored_results(reader)?;
        let facts = db::institution_facts(reader)?;
        let items: HashMap<String, String> = db::item_names(reader)?.into_iter().collect();
        let people = db::inspector_names(reader)?;
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
                    // The task's items; a result only where one was recorded.
                    items: h
                        .items
                        .iter()
                        .map(|code| PublicItem {
                            code: code.clone(),
                            name: items.get(code).cloned().unwrap_or_default(),
                            result: r
                                .item_results
                                .iter()
                                .find(|x| &x.item == code)
                                .map(|x| x.category.clone()),
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
        let records_digest = digest_hex(&serde_json::to_vec(&records)?);
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
                audit_log: audit::latest(reader)?.map(|(seq, hash)| AuditHead { seq, hash }),
                how_to_verify: HOW_TO_VERIFY.into(),
            },
        };
        Ok((d, keys))
    }
}
