//! A plan's result list: every task with the result of each institution that held it.

use anyhow::Result;
use chrono::NaiveDate;

use super::institution_name;
use crate::app::Service;
use crate::store::results::{self as db, StoredResult};

/// One line of a plan's result list: a task and one institution that held it.
#[derive(Debug, Clone)]
pub struct ResultRow {
    pub seq: u32,
    pub institution: String,
    pub institution_name: String,
    /// False for an institution that was replaced (its result, e.g. 注销, still counts).
    pub current: bool,
    pub items: Vec<String>,
    pub team: Vec<String>,
    pub stored: Option<StoredResult>,
    /// For a recorded, not yet disclosed result: the last day to publish it.
    pub publication_due: Option<NaiveDate>,
}

impl Service {
    /// Every task of the plan with its result (replaced institutions only when they have one).
    pub fn plan_results(&self, plan: i64) -> Result<Vec<ResultRow>> {
        let reader = &self.store.reader();
        let p = self.drawn_plan(plan)?;
        let mut stored = p.stored_results(reader)?;
        let facts = db::institution_facts(reader)?;
        let days = self.config.results.publication_working_days;
        let calendar = self.config.work_calendar();
        let mut out = Vec::new();
        for (seq, holders) in &p.holders {
            for (i, h) in holders.iter().enumerate() {
                let current = i + 1 == holders.len();
                let s = stored.remove(&(*seq, h.institution.clone()));
                if s.is_none() && !current {
                    continue;
                }
                let due = s
                    .as_ref()
                    .filter(|s| s.disclosed_at.is_none())
                    .map(|s| calendar.add_working_days(s.result.completed_on, days));
                out.push(ResultRow {
                    seq: *seq,
                    institution: h.institution.clone(),
                    institution_name: institution_name(&facts, &h.institution),
                    current,
                    items: h.items.clone(),
                    team: h.team.clone(),
                    stored: s,
                    publication_due: due,
                });
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::results::tests::{at, drawn};
    use crate::domain::results::TaskResultInput;

    #[test]
    fn replaced_institutions_keep_their_result() {
        let mut svc = drawn().with_clock(at("2026-03-12"));
        let first = svc.drawn_plan(1).unwrap().current(3).unwrap().institution.clone();
        let gone = TaskResultInput {
            check_date: "2026-03-05".into(),
            category: "注销".into(),
            public_remark: "经核实已注销".into(),
            ..Default::default()
        };
        svc.save_task_result(1, 3, &gone).unwrap().unwrap();
        svc.replace_task(1, 3, "注销").unwrap();
        let rows: Vec<ResultRow> = svc
            .plan_results(1)
            .unwrap()
            .into_iter()
            .filter(|r| r.seq == 3)
            .collect();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].institution, first);
        assert!(!rows[0].current && rows[0].stored.is_some());
        assert!(rows[1].current && rows[1].stored.is_none());
        assert!(svc.task_result(1, 3).unwrap().is_none());
    }
}
