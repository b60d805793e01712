//! Counts of results for a plan or a year: per category and measure, amounts and points.

use std::collections::HashSet;

use anyhow::Result;
use chrono::Datelike;

use crate::app::Service;
use crate::domain::results::RectifyStatus;
use crate::store::results as db;

/// What statistics cover.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatsScope {
    Plan(i64),
    /// Results completed in this calendar year (current draws of all plans).
    Year(i32),
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ResultStats {
    /// Tasks of the plan (plan scope only).
    pub tasks: Option<usize>,
    pub recorded: usize,
    /// Per category in the configured order (zero counts included), then unknown ones.
    pub per_category: Vec<(String, usize)>,
    pub violations: usize,
    pub per_measure: Vec<(String, usize)>,
    pub findings: usize,
    pub findings_amount_fen: i64,
    pub recovered_fen: i64,
    pub fine_fen: i64,
    pub rectifications_open: usize,
    pub rectifications_overdue: usize,
    pub persons_scored: usize,
    pub points_total: u32,
    pub disclosed: usize,
}

impl Service {
    /// Counts per category and measure, amounts (fen) and points, for a plan or a year.
    pub fn result_stats(&self, scope: StatsScope) -> Result<ResultStats> {
        let rules = self.config.result_rules();
        let today = self.now().date();
        let reader = &self.store.reader();
        let (results, tasks) = match scope {
            StatsScope::Plan(id) => {
                let p = self.drawn_plan(id)?;
                (db::of_draw(reader, p.draw.id)?, Some(p.holders.len()))
            }
            StatsScope::Year(y) => (
                db::of_current_draws(reader)?
                    .into_iter()
                    .filter(|s| s.result.completed_on.year() == y)
                    .collect(),
                None,
            ),
        };
        let mut st = ResultStats {
            tasks,
            recorded: results.len(),
            per_category: rules.categories.iter().map(|c| (c.clone(), 0)).collect(),
            per_measure: rules.measures.iter().map(|m| (m.clone(), 0)).collect(),
            ..Default::default()
        };
        let mut people: HashSet<String> = HashSet::new();
        for s in &results {
            let r = &s.result;
            match st.per_category.iter_mut().find(|(c, _)| *c == r.category) {
                Some((_, n)) => *n += 1,
                None => st.per_category.push((r.category.clone(), 1)),
            }
            for m in &r.measures {
                match st.per_measure.iter_mut().find(|(x, _)| x == m) {
                    Some((_, n)) => *n += 1,
                    None => st.per_measure.push((m.clone(), 1)),
                }
            }
            if r.is_violation(&rules) {
                st.violations += 1;
            }
            st.findings += r.findings.len();
            st.findings_amount_fen += r.findings_amount_fen();
            st.recovered_fen += r.recovered_fen;
            st.fine_fen += r.fine_fen;
            if let Some(x) = r.rectification
                && x.status != RectifyStatus::Closed
            {
                st.rectifications_open += 1;
                if x.due < today {
                    st.rectifications_overdue += 1;
                }
            }
            for p in &r.points {
                people.insert(p.person_key(&s.key.institution));
                st.points_total += p.points;
            }
            if s.disclosed_at.is_some() {
                st.disclosed += 1;
            }
        }
        st.persons_scored = people.len();
        Ok(st)
    }
}
