//! Gathering a results workbook's rows by task: the main sheet's row, then the task's item
//! results, findings and points entries from the other sheets.

use std::collections::HashMap;

use super::Col;
use super::read::{Sheet, SheetRow};
use crate::domain::results::{Field, FindingInput, ItemResultInput, PointsInput, TaskResultInput};
use crate::io::{ImportIssue, Severity};

/// One task's rows across the sheets.
pub(super) struct Group {
    pub(super) key: (i64, u32, String),
    pub(super) main_row: usize,
    pub(super) input: TaskResultInput,
    pub(super) item_rows: Vec<usize>,
    pub(super) finding_rows: Vec<usize>,
    pub(super) points_rows: Vec<usize>,
}

fn value(values: &HashMap<Field, String>, f: Field) -> String {
    values.get(&f).cloned().unwrap_or_default()
}

/// The groups so far, and where each task's group is.
#[derive(Default)]
struct Groups {
    list: Vec<Group>,
    index: HashMap<(i64, u32, String), usize>,
}

impl Groups {
    /// Hands a row of the items, findings or points sheet to its task's group. A row for a task
    /// without a result on the main sheet is an error, unless it is `blank`.
    fn attach(
        &mut self,
        sheet: &Sheet,
        r: &SheetRow,
        blank: bool,
        errors: &mut Vec<ImportIssue>,
        add: impl FnOnce(&mut Group),
    ) {
        let Some(key) = &r.key else { return };
        match self.index.get(key) {
            Some(&g) => add(&mut self.list[g]),
            None if blank => {}
            None => errors.push(sheet.issue(
                Severity::Error,
                r.row,
                Some(Col::Seq),
                "该任务在「检查结果」表中没有填写检查结果，不能只导入本表的内容",
                "this task has no result filled in on the 检查结果 sheet",
            )),
        }
    }
}

/// The tasks with a result filled in on the main sheet, each with its rows on the other sheets,
/// and how many main rows were left blank (not yet inspected).
pub(super) fn group_rows(
    main: &Sheet,
    items: Option<&Sheet>,
    findings: Option<&Sheet>,
    points: Option<&Sheet>,
    errors: &mut Vec<ImportIssue>,
) -> (Vec<Group>, usize) {
    let mut groups = Groups::default();
    let mut skipped_blank = 0;
    for r in &main.rows {
        let Some(key) = r.key.clone() else { continue };
        if Field::MAIN.iter().all(|f| value(&r.values, *f).trim().is_empty()) {
            skipped_blank += 1;
            continue;
        }
        if let Some(&g) = groups.index.get(&key) {
            let first = groups.list[g].main_row;
            errors.push(main.issue(
                Severity::Error,
                r.row,
                Some(Col::Seq),
                &format!("与第 {first} 行是同一任务，重复"),
                &format!("the same task as row {first}"),
            ));
            continue;
        }
        groups.index.insert(key.clone(), groups.list.len());
        let v = &r.values;
        groups.list.push(Group {
            key,
            main_row: r.row,
            input: TaskResultInput {
                check_date: value(v, Field::CheckDate),
                completed_on: value(v, Field::CompletedOn),
                category: value(v, Field::Category),
                measures: value(v, Field::Measures),
                recovered: value(v, Field::Recovered),
                fine: value(v, Field::Fine),
                rectify_by: value(v, Field::RectifyBy),
                rectify_status: value(v, Field::RectifyStatus),
                public_remark: value(v, Field::PublicRemark),
                internal_notes: value(v, Field::InternalNotes),
                ..Default::default()
            },
            item_rows: vec![],
            finding_rows: vec![],
            points_rows: vec![],
        });
    }
    if let Some(s) = items {
        for r in &s.rows {
            let cat = value(&r.values, Field::ItemCategory);
            let blank = cat.trim().is_empty();
            groups.attach(s, r, blank, errors, |g| {
                g.input.item_results.push(ItemResultInput {
                    item: value(&r.values, Field::ItemCode).trim().to_string(),
                    category: cat,
                });
                g.item_rows.push(r.row);
            });
        }
    }
    if let Some(s) = findings {
        for r in &s.rows {
            if Field::FINDING.iter().all(|f| value(&r.values, *f).trim().is_empty()) {
                continue;
            }
            groups.attach(s, r, false, errors, |g| {
                g.input.findings.push(FindingInput {
                    no: value(&r.values, Field::FindingNo),
                    item: value(&r.values, Field::FindingItem),
                    description: value(&r.values, Field::FindingDescription),
                    amount: value(&r.values, Field::FindingAmount),
                });
                g.finding_rows.push(r.row);
            });
        }
    }
    if let Some(s) = points {
        for r in &s.rows {
            if Field::POINTS.iter().all(|f| value(&r.values, *f).trim().is_empty()) {
                continue;
            }
            groups.attach(s, r, false, errors, |g| {
                g.input.points.push(PointsInput {
                    finding_no: value(&r.values, Field::PointsFinding),
                    name: value(&r.values, Field::PointsName),
                    role: value(&r.values, Field::PointsRole),
                    code: value(&r.values, Field::PointsCode),
                    points: value(&r.values, Field::PointsValue),
                    date: value(&r.values, Field::PointsDate),
                });
                g.points_rows.push(r.row);
            });
        }
    }
    (groups.list, skipped_blank)
}
