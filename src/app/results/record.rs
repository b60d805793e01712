//! Recording one task's result through the form: read it, save it (checked and logged) or clear
//! it (with a reason).

use anyhow::{Result, bail};

use super::check::ResultCheck;
use super::drawn::{drawn_plan, no_such_task};
use crate::app::Service;
use crate::domain::results::{Issue, ItemResultInput, ResultRules, TaskResult, TaskResultInput};
use crate::store::audit;
use crate::store::plans::TaskRow;
use crate::store::results::{self as db, ResultKey, StoredResult};
use crate::store::rosters::Upserted;

/// What the audit log says about a saved result.
fn summary(r: &TaskResult) -> String {
    format!(
        "category={} findings={} points={} recovered_fen={} fine_fen={} measures={}",
        r.category,
        r.findings.len(),
        r.points.iter().map(|p| p.points).sum::<u32>(),
        r.recovered_fen,
        r.fine_fen,
        r.measures.join("、")
    )
}

impl Service {
    /// The configured result vocabulary: categories, measures and their rules.
    pub fn result_rules(&self) -> ResultRules {
        self.config.result_rules()
    }

    /// The result of the institution now holding task `seq`, if recorded.
    pub fn task_result(&self, plan: i64, seq: u32) -> Result<Option<TaskResult>> {
        Ok(self.current_result(plan, seq)?.1.map(|s| s.result))
    }

    /// The form text for task `seq` (its current institution): the recorded result, or a blank
    /// form listing the task's items (a recorded result's items without a result left blank).
    pub fn task_result_input(&self, plan: i64, seq: u32) -> Result<TaskResultInput> {
        let (cur, stored) = self.current_result(plan, seq)?;
        let mut input = stored.map(|s| s.result.to_input()).unwrap_or_default();
        // Every task item has a line; one without a recorded result stays blank to be entered.
        input.item_results = cur
            .items
            .iter()
            .map(|i| ItemResultInput {
                item: i.clone(),
                category: input
                    .item_results
                    .iter()
                    .find(|r| &r.item == i)
                    .map(|r| r.category.clone())
                    .unwrap_or_default(),
            })
            .collect();
        Ok(input)
    }

    /// The institution now holding task `seq`, and its result if recorded.
    fn current_result(&self, plan: i64, seq: u32) -> Result<(TaskRow, Option<StoredResult>)> {
        let p = self.drawn_plan(plan)?;
        let cur = p.current(seq).ok_or_else(|| no_such_task(self.lang, seq))?;
        let stored = db::get(&self.store.reader(), p.draw.id, seq, &cur.institution)?;
        Ok((cur.clone(), stored))
    }

    /// Saves the result of the institution now holding task `seq`. `Ok(Err(issues))`: refused,
    /// nothing written; render each with `issue.problem.text(lang)` at `issue.part`/`issue.field`.
    pub fn save_task_result(
        &mut self,
        plan: i64,
        seq: u32,
        input: &TaskResultInput,
    ) -> Result<std::result::Result<Upserted, Vec<Issue>>> {
        self.save_result_for(plan, seq, None, input)
    }

    /// Like `save_task_result`, for a named institution that holds or held the task (a replaced
    /// institution's 注销 / 查无下落 result is recorded this way).
    pub fn save_result_for(
        &mut self,
        plan: i64,
        seq: u32,
        institution: Option<&str>,
        input: &TaskResultInput,
    ) -> Result<std::result::Result<Upserted, Vec<Issue>>> {
        let rules = self.config.result_rules();
        let lang = self.lang;
        let today = self.now().date();
        let (now, actor) = (self.now_text(), self.actor.clone());
        self.store.write(|tx| {
            let p = drawn_plan(tx, plan, lang)?;
            let holder = match institution {
                None => p.current(seq),
                Some(i) => p.holder(seq, i),
            }
            .ok_or_else(|| {
                let institution = institution.map(|i| format!(" / {i}")).unwrap_or_default();
                no_such_task(lang, format!("{seq}{institution}"))
            })?
            .clone();
            let r = match ResultCheck::read(tx, &p, &holder, rules, today)?.validate(input) {
                Ok(r) => r,
                Err(issues) => return Ok(Err(issues)),
            };
            let key = ResultKey {
                plan_id: plan,
                draw_id: p.draw.id,
                seq,
                institution: holder.institution.clone(),
            };
            let up = db::put(tx, &key, &r, &now, &actor)?;
            if up != Upserted::Unchanged {
                audit::append(
                    tx,
                    &now,
                    &actor,
                    "result.save",
                    &format!("plan:{plan} task:{seq}"),
                    &format!(
                        "results_digest={} institution={} {}",
                        db::results_digest(tx, plan)?,
                        key.institution,
                        summary(&r)
                    ),
                )?;
            }
            Ok(Ok(up))
        })
    }

    /// Removes a recorded result (with its findings and points); the removal and its reason are
    /// logged. `institution` None: the task's current institution.
    pub fn clear_task_result(&mut self, plan: i64, seq: u32, institution: Option<&str>, reason: &str) -> Result<bool> {
        if reason.trim().is_empty() {
            bail!(
                "{}",
                self.t("删除检查结果须说明理由", "removing a result needs a reason")
            );
        }
        let lang = self.lang;
        let (now, actor) = (self.now_text(), self.actor.clone());
        self.store.write(|tx| {
            let p = drawn_plan(tx, plan, lang)?;
            let inst = match institution {
                Some(i) => i.to_string(),
                None => p
                    .current(seq)
                    .ok_or_else(|| no_such_task(lang, seq))?
                    .institution
                    .clone(),
            };
            let key = ResultKey {
                plan_id: plan,
                draw_id: p.draw.id,
                seq,
                institution: inst,
            };
            let removed = db::delete(tx, &key)?;
            if removed {
                audit::append(
                    tx,
                    &now,
                    &actor,
                    "result.clear",
                    &format!("plan:{plan} task:{seq}"),
                    &format!(
                        "results_digest={} institution={} reason={}",
                        db::results_digest(tx, plan)?,
                        key.institution,
                        reason.trim()
                    ),
                )?;
            }
            Ok(removed)
        })
    }
}

#[cfg(test)]
mod tests {
    use crate::app::results::tests::{at, drawn, violation};

    #[test]
    fn redraw_is_refused_once_results_exist() {
        let mut svc = drawn().with_clock(at("2026-03-12"));
        svc.save_task_result(1, 1, &violation(&svc, 1)).unwrap().unwrap();
        let e = svc.draw_plan(1, "2", Some("重抽")).unwrap_err();
        assert!(format!("{e:#}").contains("不能重新抽取"), "{e:#}");
    }
}
