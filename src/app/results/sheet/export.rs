//! Exporting the task sheet to fill in: one row per task, with the recorded result if any.

use std::collections::HashMap;
use std::path::Path;

use anyhow::Result;

use super::help::help_rows;
use super::{COL_INST, COL_PLAN, COL_SEQ, SHEET_FINDINGS, SHEET_HELP, SHEET_ITEMS, SHEET_MAIN, SHEET_POINTS};
use crate::app::Service;
use crate::domain::results::Field;
use crate::io::{OutTable, write_table};
use crate::store::results as db;

impl Service {
    /// Writes the sheet to fill in for a drawn plan: one row per task (institution now holding
    /// it), with the recorded result when there is one, plus item-result, finding and points
    /// sheets and instructions. `.xlsx` (all sheets) or `.csv` (the main sheet only).
    pub fn export_task_sheet(&self, plan: i64, path: &Path) -> Result<usize> {
        let reader = &self.store.reader();
        let p = self.drawn_plan(plan)?;
        let rules = self.config.result_rules();
        let facts = db::institution_facts(reader)?;
        let items: HashMap<String, String> = db::item_names(reader)?.into_iter().collect();
        let people = db::inspector_names(reader)?;
        let stored = p.stored_results(reader)?;
        let plan_s = plan.to_string();
        let mut main = Vec::new();
        let mut item_rows = Vec::new();
        let mut finding_rows = Vec::new();
        let mut points_rows = Vec::new();
        for (seq, holders) in &p.holders {
            let t = holders.last().expect("a task has a holder");
            let f = facts.get(&t.institution).unwrap_or_default();
            let key = vec![plan_s.clone(), seq.to_string(), t.institution.clone()];
            let input = stored
                .get(&(*seq, t.institution.clone()))
                .map(|s| s.result.to_input())
                .unwrap_or_default();
            let item_text: Vec<String> = t
                .items
                .iter()
                .map(|i| format!("{i} {}", items.get(i).map(String::as_str).unwrap_or("")))
                .collect();
            let team: Vec<String> = t
                .team
                .iter()
                .map(|id| format!("{}（{id}）", people.get(id).map(String::as_str).unwrap_or("")))
                .collect();
            let replaced = if holders.len() > 1 {
                format!(
                    "替换自 {}",
                    holders[..holders.len() - 1]
                        .iter()
                        .map(|h| h.institution.as_str())
                        .collect::<Vec<_>>()
                        .join("、")
                )
            } else {
                String::new()
            };
            let mut row = key.clone();
            row.extend([
                f.name.clone(),
                f.kind.clone(),
                f.region.clone(),
                item_text.join("\n"),
                team.join("、"),
                replaced,
            ]);
            row.extend([
                input.check_date.clone(),
                input.completed_on.clone(),
                input.category.clone(),
                input.measures.clone(),
                input.recovered.clone(),
                input.fine.clone(),
                input.rectify_by.clone(),
                input.rectify_status.clone(),
                input.public_remark.clone(),
                input.internal_notes.clone(),
            ]);
            main.push(row);
            for it in &t.items {
                let cat = input
                    .item_results
                    .iter()
                    .find(|r| &r.item == it)
                    .map(|r| r.category.clone())
                    .unwrap_or_default();
                let mut r = key.clone();
                r.extend([
                    f.name.clone(),
                    it.clone(),
                    items.get(it).cloned().unwrap_or_default(),
                    cat,
                ]);
                item_rows.push(r);
            }
            for x in &input.findings {
                let mut r = key.clone();
                r.extend([
                    f.name.clone(),
                    x.no.clone(),
                    x.item.clone(),
                    x.description.clone(),
                    x.amount.clone(),
                ]);
                finding_rows.push(r);
            }
            for x in &input.points {
                let mut r = key.clone();
                r.extend([
                    f.name.clone(),
                    x.finding_no.clone(),
                    x.name.clone(),
                    x.role.clone(),
                    x.code.clone(),
                    x.points.clone(),
                    x.date.clone(),
                ]);
                points_rows.push(r);
            }
        }
        let keys = || vec![COL_PLAN.to_string(), COL_SEQ.to_string(), COL_INST.to_string()];
        let mut main_headers = keys();
        main_headers.extend(
            ["机构名称", "机构类型", "所属区县", "检查事项", "检查组", "替换情况"]
                .iter()
                .map(|s| s.to_string()),
        );
        main_headers.extend(Field::MAIN.iter().map(|f| f.zh().to_string()));
        let mut items_headers = keys();
        items_headers.extend(["机构名称", "事项编码", "事项名称", Field::ItemCategory.zh()].map(String::from));
        let mut findings_headers = keys();
        findings_headers.push("机构名称".into());
        findings_headers.extend(Field::FINDING.iter().map(|f| f.zh().to_string()));
        let mut points_headers = keys();
        points_headers.push("机构名称".into());
        points_headers.extend(Field::POINTS.iter().map(|f| f.zh().to_string()));
        let help = help_rows(&rules, self.config.results.publication_working_days);
        let n = main.len();
        // Every input column is text-formatted, so that typed dates, amounts and codes stay as typed.
        let all = |len: usize| (0..len).collect::<Vec<_>>();
        write_table(
            path,
            &[
                OutTable {
                    sheet_name: SHEET_MAIN,
                    code_columns: all(main_headers.len()),
                    headers: main_headers,
                    rows: main,
                    neutralize_formulas: true,
                },
                OutTable {
                    sheet_name: SHEET_ITEMS,
                    code_columns: all(items_headers.len()),
                    headers: items_headers,
                    rows: item_rows,
                    neutralize_formulas: true,
                },
                OutTable {
                    sheet_name: SHEET_FINDINGS,
                    code_columns: all(findings_headers.len()),
                    headers: findings_headers,
                    rows: finding_rows,
                    neutralize_formulas: true,
                },
                OutTable {
                    sheet_name: SHEET_POINTS,
                    code_columns: all(points_headers.len()),
                    headers: points_headers,
                    rows: points_rows,
                    neutralize_formulas: true,
                },
                OutTable {
                    sheet_name: SHEET_HELP,
                    headers: vec!["项目".into(), "说明".into()],
                    rows: help,
                    code_columns: vec![],
                    neutralize_formulas: true,
                },
            ],
        )?;
        Ok(n)
    }
}
