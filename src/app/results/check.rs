//! Checking a task's result without saving it. What the check needs is read once, so a form can
//! check its text on every edit without touching the store; a save checks with the same code.

use crate::store::Reader;
use anyhow::Result;
use chrono::NaiveDate;

use super::drawn::{DrawnPlan, item_catalogue, no_such_task};
use crate::app::Service;
use crate::domain::results::{self as dr, Issue, ResultRules, TaskContext, TaskResult, TaskResultInput};
use crate::store::plans::TaskRow;

/// The checks of one task's result: the rules, the task's items, the item catalogue, the day of
/// the draw and today.
#[derive(Debug, Clone)]
pub struct ResultCheck {
    pub plan_id: i64,
    pub seq: u32,
    /// The institution whose result this checks (the task's holder).
    pub institution: String,
    rules: ResultRules,
    items: Vec<String>,
    catalogue: Vec<String>,
    drawn_on: NaiveDate,
    today: NaiveDate,
}

impl ResultCheck {
    pub(super) fn read(
        reader: &Reader,
        p: &DrawnPlan,
        holder: &TaskRow,
        rules: ResultRules,
        today: NaiveDate,
    ) -> Result<ResultCheck> {
        Ok(ResultCheck {
            plan_id: p.view.plan.id,
            seq: holder.seq,
            institution: holder.institution.clone(),
            rules,
            items: holder.items.clone(),
            catalogue: item_catalogue(reader)?,
            drawn_on: p.drawn_on,
            today,
        })
    }

    /// The result as it would be stored, or every problem with the text.
    pub fn validate(&self, input: &TaskResultInput) -> std::result::Result<TaskResult, Vec<Issue>> {
        let ctx = TaskContext {
            items: &self.items,
            catalogue: &self.catalogue,
            drawn_on: self.drawn_on,
            today: self.today,
        };
        dr::validate(input, &self.rules, &ctx)
    }

    /// Every problem a save would refuse (none: it would be saved).
    pub fn issues(&self, input: &TaskResultInput) -> Vec<Issue> {
        self.validate(input).err().unwrap_or_default()
    }
}

impl Service {
    /// The checks of the result of task `seq` (its current institution), read without writing
    /// anything: `check.issues(&input)` is what `save_task_result` would refuse.
    pub fn result_check(&self, plan: i64, seq: u32) -> Result<ResultCheck> {
        let p = self.drawn_plan(plan)?;
        let holder = p.current(seq).ok_or_else(|| no_such_task(self.lang, seq))?;
        ResultCheck::read(
            &self.store.reader(),
            &p,
            holder,
            self.config.result_rules(),
            self.now().date(),
        )
    }
}

#[cfg(test)]
mod tests {
    use crate::app::results::tests::{at, drawn, violation};
    use crate::domain::results::{Field, Part};
    use crate::store::audit;

    #[test]
    fn checks_like_a_save_without_writing() {
        let mut svc = drawn().with_clock(at("2026-03-12"));
        let check = svc.result_check(1, 2).unwrap();
        let mut bad = violation(&svc, 2);
        bad.recovered = "abc".into();
        let log = audit::recent(&svc.store.reader(), 1).unwrap();
        let issues = check.issues(&bad);
        assert_eq!((issues[0].part, issues[0].field), (Part::Main, Field::Recovered));
        assert!(svc.task_result(1, 2).unwrap().is_none());
        assert_eq!(audit::recent(&svc.store.reader(), 1).unwrap(), log, "nothing logged");
        assert_eq!(svc.save_task_result(1, 2, &bad).unwrap().unwrap_err(), issues);
        assert!(check.issues(&violation(&svc, 2)).is_empty());
        assert!(svc.save_task_result(1, 2, &violation(&svc, 2)).unwrap().is_ok());
    }
}
