//! Exporting the task sheet to fill in: one row per task, with the recorded result if any.

use std::collections::HashMap;
use std::path::Path;

use anyhow::Result;

use super::help::help_rows;
use super::{COL_INST, COL_PLAN, COL_SEQ, SHEET_FINDINGS, SHEET_HELP, SHEET_ITEMS, SHEET_MAIN, SHEET_POINTS};
use crate::app::Service;
use crate::domain::results::{Field, RectifyStatus};
use crate::io::{Choice, OutTable, SheetLayout, write_sheets};
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
        let at = |headers: &[String], f: Field| {
            headers
                .iter()
                .position(|h| h == f.zh())
                .expect("the sheet has a column for the field")
        };
        let choice = |column: usize, values: Vec<String>, strict: bool, hint: &str| Choice {
            column,
            values,
            strict,
            hint: hint.into(),
            extra_rows: 0,
        };
        // The columns before 检查日期 are information (grey, locked); the rest is to fill in.
        let main_info = all(at(&main_headers, Field::CheckDate));
        let main_layout = SheetLayout {
            wrap: true,
            info_columns: main_info,
            protect: true,
            print_landscape: true,
            choices: vec![
                choice(
                    at(&main_headers, Field::Category),
                    rules.categories.clone(),
                    true,
                    "从列表中选择",
                ),
                choice(
                    at(&main_headers, Field::Measures),
                    rules.measures.clone(),
                    false,
                    "可多选：选一项后可再输入，用顿号（、）分隔",
                ),
                choice(
                    at(&main_headers, Field::RectifyStatus),
                    RectifyStatus::labels(),
                    true,
                    "从列表中选择；空则为未整改",
                ),
            ],
            ..SheetLayout::default()
        };
        let items_layout = SheetLayout {
            wrap: true,
            info_columns: all(at(&items_headers, Field::ItemCategory)),
            protect: true,
            choices: vec![choice(
                at(&items_headers, Field::ItemCategory),
                rules.categories.clone(),
                true,
                "从列表中选择；可空",
            )],
            ..SheetLayout::default()
        };
        // Findings and points get new rows: only the written rows' information is locked.
        let added_rows_layout = |info: usize| SheetLayout {
            wrap: true,
            info_columns: all(info),
            info_only_in_written_rows: true,
            protect: true,
            ..SheetLayout::default()
        };
        let findings_layout = added_rows_layout(4);
        let points_layout = added_rows_layout(4);
        let help_layout = SheetLayout {
            wrap: true,
            ..SheetLayout::default()
        };
        let sheets = [
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
        ];
        let layouts = [main_layout, items_layout, findings_layout, points_layout, help_layout];
        let with_layouts: Vec<(&OutTable, &SheetLayout)> = sheets.iter().zip(&layouts).collect();
        write_sheets(path, &with_layouts)?;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use crate::app::results::tests::{at, drawn, violation};
    use crate::io::table_out::xlsx_part;

    /// What 填写说明 promises: grey, locked information columns, drop-downs, every line visible.
    #[test]
    fn the_sheet_greys_and_locks_information_and_offers_drop_downs() {
        let mut svc = drawn().with_clock(at("2026-03-12"));
        svc.save_task_result(1, 1, &violation(&svc, 1)).unwrap().unwrap();
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("tasks.xlsx");
        svc.export_task_sheet(1, &p).unwrap();
        let main = xlsx_part(&p, "xl/worksheets/sheet1.xml");
        assert!(main.contains("<sheetProtection"), "{main}");
        // 检查结果 (L), 处理措施 (M, several allowed: information only), 整改状态 (Q).
        for col in ["L", "M", "Q"] {
            assert!(main.contains(&format!(r#"sqref="{col}2:{col}"#)), "{col}: {main}");
        }
        assert!(main.contains(r#"errorStyle="information""#));
        assert!(main.contains("未发现问题,发现问题已责令整改"));
        assert!(main.contains("约谈,责令改正"));
        assert!(main.contains("未整改,整改中,已销号"));
        // Multi-line 检查事项: the row is taller than one line.
        let row2 = main.split(r#"<row r="2""#).nth(1).unwrap();
        assert!(row2.split('>').next().unwrap().contains("customHeight=\"1\""), "{row2}");
        let items = xlsx_part(&p, "xl/worksheets/sheet2.xml");
        assert!(
            items.contains("<sheetProtection") && items.contains(r#"sqref="G2:G"#),
            "{items}"
        );
        let styles = xlsx_part(&p, "xl/styles.xml");
        assert!(styles.contains(r#"rgb="FFE7E6E6""#) && styles.contains(r#"wrapText="1""#));
        assert!(styles.contains(r#"<protection locked="0"/>"#));
        // The help names what the sheet does.
        let help = crate::io::disclosure_out::all_text(&p).unwrap();
        assert!(help.contains("灰色") && help.contains("下拉列表"));
        // And the sheet still imports as exported.
        let out = svc.import_results(&p, true).unwrap();
        assert!(out.errors.is_empty(), "{:?}", out.errors);
        assert_eq!((out.tasks, out.unchanged), (1, 1));
    }
}
