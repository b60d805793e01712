//! Importing a filled-in results workbook: every row of every sheet checked, then every task
//! recorded in one transaction, or nothing.

use crate::store::Tx;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use anyhow::{Result, bail};

use super::group::group_rows;
use super::read::{Sheet, read_sheet};
use super::{Col, SHEET_FINDINGS, SHEET_ITEMS, SHEET_MAIN, SHEET_POINTS};
use crate::app::Service;
use crate::app::results::drawn::{DrawnPlan, drawn_plan, item_catalogue};
use crate::app::results::institution_name;
use crate::domain::results::{self as dr, Part};
use crate::i18n::Lang;
use crate::io::{ImportIssue, Severity};
use crate::store::audit;
use crate::store::results::{self as db, ResultKey};
use crate::store::rosters::Upserted;

/// What a results import did (or, refused or dry run, would have done).
#[derive(Debug, Clone, Default)]
pub struct ResultImportOutcome {
    /// Task rows with a result filled in.
    pub tasks: usize,
    pub added: usize,
    pub updated: usize,
    pub unchanged: usize,
    /// Task rows left blank (not yet inspected): nothing changes for them.
    pub skipped_blank: usize,
    pub findings: usize,
    pub points: usize,
    pub plans: Vec<i64>,
    pub warnings: Vec<ImportIssue>,
    pub errors: Vec<ImportIssue>,
    pub committed: bool,
}

/// A refused import as an error, so that the transaction rolls back; it carries the outcome out.
#[derive(Debug)]
struct Refused(ResultImportOutcome);

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "results import refused with {} errors", self.0.errors.len())
    }
}

impl std::error::Error for Refused {}

impl Service {
    /// Imports a filled-in results workbook: validates every row of every sheet, then records
    /// all tasks in one transaction — or nothing, with every error located by sheet, row and
    /// column. Rows whose result columns are all blank are skipped (not yet inspected).
    pub fn import_results(&mut self, path: &Path, dry_run: bool) -> Result<ResultImportOutcome> {
        let file = path
            .file_name()
            .map(|f| f.to_string_lossy().into_owned())
            .unwrap_or_else(|| path.display().to_string());
        let workbook = matches!(
            path.extension()
                .and_then(|e| e.to_str())
                .map(str::to_ascii_lowercase)
                .as_deref(),
            Some("xlsx" | "xlsm" | "xls" | "xlsb" | "ods")
        );
        let mut out = ResultImportOutcome::default();
        let mut errors = Vec::new();
        let mut warnings = Vec::new();
        let main = read_sheet(path, &file, SHEET_MAIN, workbook, &mut warnings, &mut errors);
        let items = read_sheet(path, &file, SHEET_ITEMS, workbook, &mut warnings, &mut errors);
        let findings = read_sheet(path, &file, SHEET_FINDINGS, workbook, &mut warnings, &mut errors);
        let points = read_sheet(path, &file, SHEET_POINTS, workbook, &mut warnings, &mut errors);
        out.warnings = warnings;
        let Some(main) = main else {
            out.errors = errors;
            return Ok(out);
        };

        let (groups, skipped_blank) =
            group_rows(&main, items.as_ref(), findings.as_ref(), points.as_ref(), &mut errors);
        out.skipped_blank = skipped_blank;
        out.tasks = groups.len();
        if groups.is_empty() && errors.is_empty() {
            errors.push(ImportIssue::file_note(
                &file,
                "文件中没有填写了检查结果的任务（检查日期、检查结果等列均为空）",
                "no task in the file has a result filled in",
            ));
        }

        let rules = self.config.result_rules();
        let lang = self.lang;
        let today = self.now().date();
        let (now, actor) = (self.now_text(), self.actor.clone());
        let sheet_of = |part: Part| -> &Sheet {
            match part {
                Part::Main => &main,
                Part::Item(_) => items.as_ref().unwrap_or(&main),
                Part::Finding(_) => findings.as_ref().unwrap_or(&main),
                Part::Points(_) => points.as_ref().unwrap_or(&main),
            }
        };
        let work = |tx: &Tx| -> Result<ResultImportOutcome> {
            let mut out = out;
            let mut errors = errors;
            let catalogue = item_catalogue(tx)?;
            let facts = db::institution_facts(tx)?;
            let mut plans: HashMap<i64, std::result::Result<DrawnPlan, String>> = HashMap::new();
            let mut per_plan: BTreeMap<i64, [usize; 5]> = BTreeMap::new();
            for g in &groups {
                let (plan_id, seq, inst) = (&g.key.0, g.key.1, &g.key.2);
                let p = plans
                    .entry(*plan_id)
                    .or_insert_with(|| drawn_plan(tx, *plan_id, lang).map_err(|e| e.to_string()));
                let p = match p {
                    Ok(p) => p,
                    Err(msg) => {
                        errors.push(main.issue(Severity::Error, g.main_row, Some(Col::Plan), msg, msg));
                        continue;
                    }
                };
                let Some(holder) = p.holder(seq, inst) else {
                    match p.current(seq) {
                        None => {
                            let zh = format!("计划 {plan_id} 没有任务 {seq}");
                            let en = format!("plan {plan_id} has no task {seq}");
                            errors.push(main.issue(Severity::Error, g.main_row, Some(Col::Seq), &zh, &en));
                        }
                        Some(cur) => {
                            let name = institution_name(&facts, &cur.institution);
                            let zh = format!(
                                "任务 {seq} 的检查对象是 {}（{name}），不是 {inst}；抽取结果或替换已变化，请重新导出任务表",
                                cur.institution
                            );
                            let en = format!(
                                "task {seq} is held by {} ({name}), not {inst}; export the task sheet again",
                                cur.institution
                            );
                            errors.push(main.issue(Severity::Error, g.main_row, Some(Col::Inst), &zh, &en));
                        }
                    }
                    continue;
                };
                let ctx = p.task_context(holder, &catalogue, today);
                // A CSV file carries the main sheet only: what it cannot hold (item results,
                // findings, points) stays as recorded, so that its own export re-imports unchanged.
                let absent = [items.is_none(), findings.is_none(), points.is_none()];
                let input = if absent.contains(&true)
                    && let Some(stored) = db::get(tx, p.draw.id, seq, inst)?
                {
                    let mut input = g.input.clone();
                    let recorded = stored.result.to_input();
                    if absent[0] {
                        input.item_results = recorded.item_results;
                    }
                    if absent[1] {
                        input.findings = recorded.findings;
                    }
                    if absent[2] {
                        input.points = recorded.points;
                    }
                    std::borrow::Cow::Owned(input)
                } else {
                    std::borrow::Cow::Borrowed(&g.input)
                };
                let r = match dr::validate(&input, &rules, &ctx) {
                    Ok(r) => r,
                    Err(issues) => {
                        for i in issues {
                            let sheet = sheet_of(i.part);
                            let row = match i.part {
                                Part::Main => g.main_row,
                                Part::Item(k) => g.item_rows.get(k).copied().unwrap_or(g.main_row),
                                Part::Finding(k) => g.finding_rows.get(k).copied().unwrap_or(g.main_row),
                                Part::Points(k) => g.points_rows.get(k).copied().unwrap_or(g.main_row),
                            };
                            errors.push(sheet.issue(
                                Severity::Error,
                                row,
                                Some(Col::F(i.field)),
                                &i.problem.text(Lang::Zh),
                                &i.problem.text(Lang::En),
                            ));
                        }
                        continue;
                    }
                };
                // Once anything failed nothing will be committed: keep validating, stop writing.
                if !errors.is_empty() {
                    continue;
                }
                let key = ResultKey {
                    plan_id: *plan_id,
                    draw_id: p.draw.id,
                    seq,
                    institution: inst.clone(),
                };
                let counts = per_plan.entry(*plan_id).or_default();
                match db::put(tx, &key, &r, &now, &actor)? {
                    Upserted::Added => counts[0] += 1,
                    Upserted::Updated => counts[1] += 1,
                    Upserted::Unchanged => counts[2] += 1,
                }
                counts[3] += r.findings.len();
                counts[4] += r.points.len();
            }
            if !errors.is_empty() {
                out.errors = errors;
                bail!(Refused(out));
            }
            for (plan_id, c) in &per_plan {
                out.added += c[0];
                out.updated += c[1];
                out.unchanged += c[2];
                out.findings += c[3];
                out.points += c[4];
                out.plans.push(*plan_id);
                audit::append(
                    tx,
                    &now,
                    &actor,
                    "results.import",
                    &format!("plan:{plan_id}"),
                    &format!(
                        "results_digest={} file={file} added={} updated={} unchanged={} findings={} points={}",
                        db::results_digest(tx, *plan_id)?,
                        c[0],
                        c[1],
                        c[2],
                        c[3],
                        c[4]
                    ),
                )?;
            }
            Ok(out)
        };
        let result = if dry_run {
            self.store.dry_run(work)
        } else {
            self.store.write(work)
        };
        match result {
            Ok(mut out) => {
                out.committed = !dry_run;
                Ok(out)
            }
            Err(e) => match e.downcast::<Refused>() {
                Ok(Refused(out)) => Ok(out),
                Err(e) => Err(e),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::app::results::tests::{at, drawn, violation};
    use crate::i18n::Lang;

    #[test]
    fn sheet_round_trip_and_all_or_nothing() {
        let mut svc = drawn().with_clock(at("2026-03-12"));
        svc.save_task_result(1, 1, &violation(&svc, 1)).unwrap().unwrap();
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("tasks.xlsx");
        let n = svc.export_task_sheet(1, &p).unwrap();
        assert_eq!(n, svc.drawn_plan(1).unwrap().holders.len());
        // Re-importing the export changes nothing.
        let out = svc.import_results(&p, false).unwrap();
        assert!(out.errors.is_empty(), "{:?}", out.errors);
        assert_eq!((out.tasks, out.unchanged, out.added), (1, 1, 0));
        assert_eq!(out.skipped_blank, n - 1);
        // CSV of the main sheet with one good row and one bad row: nothing is written.
        let csv = dir.path().join("r.csv");
        let task2 = svc.drawn_plan(1).unwrap().current(2).unwrap().institution.clone();
        let task3 = svc.drawn_plan(1).unwrap().current(3).unwrap().institution.clone();
        std::fs::write(
            &csv,
            format!(
                "计划编号,任务序号,机构编码,检查日期,检查结果,追回金额(元)\n1,2,{task2},2026-03-10,未发现问题,\n1,3,{task3},2026-03-10,未发现问题,1.234\n"
            ),
        )
        .unwrap();
        let out = svc.import_results(&csv, false).unwrap();
        assert_eq!(out.errors.len(), 1, "{:?}", out.errors);
        let text: Vec<String> = out.errors.iter().map(|e| e.text(Lang::Zh)).collect();
        assert!(
            text.iter().any(|t| t.starts_with("r.csv 第 3 行「追回金额(元)」")),
            "{text:?}"
        );
        assert!(svc.task_result(1, 2).unwrap().is_none());
        // Fixed, it goes in.
        std::fs::write(
            &csv,
            format!("计划编号,任务序号,机构编码,检查日期,检查结果\n1,2,{task2},2026-03-10,未发现问题\n"),
        )
        .unwrap();
        let out = svc.import_results(&csv, false).unwrap();
        assert!(out.errors.is_empty(), "{:?}", out.errors);
        assert_eq!(out.added, 1);
        assert!(svc.task_result(1, 2).unwrap().is_some());
        // A wrong institution for a task is named.
        std::fs::write(
            &csv,
            format!("计划编号,任务序号,机构编码,检查日期,检查结果\n1,2,{task3},2026-03-10,未发现问题\n"),
        )
        .unwrap();
        let out = svc.import_results(&csv, true).unwrap();
        assert!(out.errors[0].text(Lang::Zh).contains(&task2), "{:?}", out.errors);
    }
}

#[cfg(test)]
mod csv_round_trip {
    use crate::app::results::tests::{at, drawn, violation};
    use crate::i18n::Lang;

    #[test]
    fn csv_task_sheet_with_a_violation_reimports_unchanged() {
        let mut svc = drawn().with_clock(at("2026-03-12"));
        svc.save_task_result(1, 1, &violation(&svc, 1)).unwrap().unwrap();
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("tasks.csv");
        svc.export_task_sheet(1, &p).unwrap();
        let out = svc.import_results(&p, false).unwrap();
        let text: Vec<String> = out.errors.iter().map(|e| e.text(Lang::Zh)).collect();
        assert!(out.errors.is_empty(), "{text:?}");
        assert_eq!((out.tasks, out.unchanged, out.added), (1, 1, 0));
    }
}
