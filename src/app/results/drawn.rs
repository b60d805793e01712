//! A drawn plan as results see it: its current draw and, per task, every institution that held
//! it.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Display;

use crate::store::Reader;
use anyhow::{Result, anyhow, bail};
use chrono::NaiveDate;

use crate::app::Service;
use crate::app::plans::PlanView;
use crate::domain::CreditClass;
use crate::domain::results::TaskContext;
use crate::i18n::Lang;
use crate::store::plans::{DrawRow, PlanStatus, TaskRow};
use crate::store::results::{self as db, StoredResult};

/// A plan's current draw with, per task, every institution that held it.
#[derive(Debug, Clone)]
pub struct DrawnPlan {
    pub view: PlanView,
    pub draw: DrawRow,
    pub drawn_on: NaiveDate,
    /// Per task: the institutions that held it in order (original, then replacements); the last
    /// one holds it now. Each entry carries that holder's items and team.
    pub holders: BTreeMap<u32, Vec<TaskRow>>,
}

impl DrawnPlan {
    pub fn current(&self, seq: u32) -> Option<&TaskRow> {
        self.holders.get(&seq).and_then(|h| h.last())
    }

    pub fn holder(&self, seq: u32, institution: &str) -> Option<&TaskRow> {
        self.holders
            .get(&seq)
            .and_then(|h| h.iter().find(|t| t.institution == institution))
    }

    /// What validating a result of `holder` needs besides the rules.
    pub(super) fn task_context<'a>(
        &self,
        holder: &'a TaskRow,
        catalogue: &'a [String],
        today: NaiveDate,
    ) -> TaskContext<'a> {
        TaskContext {
            items: &holder.items,
            catalogue,
            drawn_on: self.drawn_on,
            today,
        }
    }

    /// The results recorded for the draw, by task and institution.
    pub(crate) fn stored_results(&self, reader: &Reader) -> Result<HashMap<(u32, String), StoredResult>> {
        Ok(db::of_draw(reader, self.draw.id)?
            .into_iter()
            .map(|s| ((s.key.seq, s.key.institution.clone()), s))
            .collect())
    }
}

/// Loads a plan whose draw exists (drawn, published or closed); refuses any other.
pub fn drawn_plan(reader: &Reader, id: i64, lang: Lang) -> Result<DrawnPlan> {
    let view = crate::app::plans::plan_view_on(reader, id, lang)?;
    match view.plan.status {
        PlanStatus::Drawn | PlanStatus::Published | PlanStatus::Closed => {}
        s => bail!(
            "{} {id}（{}）{}",
            lang.pick("计划", "plan"),
            lang.pick(s.zh(), s.as_str()),
            lang.pick(
                "尚未抽取：只能为已抽取、已公示或已办结的计划登记检查结果",
                "has not been drawn: results are recorded only for drawn, published or closed plans"
            )
        ),
    }
    let draw = view
        .current_draw()
        .cloned()
        .ok_or_else(|| anyhow!("plan {id} has no draw"))?;
    let drawn_on = NaiveDate::parse_from_str(draw.drawn_at.get(..10).unwrap_or(""), "%Y-%m-%d")
        .map_err(|e| anyhow!("stored draw time {:?}: {e}", draw.drawn_at))?;
    let alternates: HashMap<(CreditClass, u32), &TaskRow> = view
        .tasks
        .iter()
        .filter(|t| t.alternate)
        .map(|t| ((t.class, t.rank), t))
        .collect();
    let mut holders = BTreeMap::new();
    for t in view.tasks.iter().filter(|t| !t.alternate) {
        let mut list = vec![t.clone()];
        for a in view.adjustments.iter().filter(|a| a.task_seq == t.seq) {
            if let Some(alt) = alternates.get(&(t.class, a.replacement_rank)) {
                list.push(TaskRow {
                    seq: t.seq,
                    alternate: false,
                    ..(*alt).clone()
                });
            }
        }
        holders.insert(t.seq, list);
    }
    Ok(DrawnPlan {
        view,
        draw,
        drawn_on,
        holders,
    })
}

/// The item codes a finding may name: the catalogue, inactive items included.
pub(super) fn item_catalogue(reader: &Reader) -> Result<Vec<String>> {
    Ok(db::item_names(reader)?.into_iter().map(|(c, _)| c).collect())
}

/// The refusal of a task (a number, maybe with an institution) that the plan does not have.
pub(super) fn no_such_task(lang: Lang, task: impl Display) -> anyhow::Error {
    anyhow!("{} {task}", lang.pick("没有这个任务：", "no such task:"))
}

impl Service {
    /// The plan's current draw with task holders; refuses plans not yet drawn.
    pub fn drawn_plan(&self, plan: i64) -> Result<DrawnPlan> {
        drawn_plan(&self.store.reader(), plan, self.lang)
    }
}

#[cfg(test)]
mod tests {
    use crate::app::results::tests::demo;
    use crate::domain::results::TaskResultInput;

    #[test]
    fn results_need_a_drawn_plan() {
        let mut svc = demo();
        let e = svc.save_task_result(1, 1, &TaskResultInput::default()).unwrap_err();
        assert!(e.to_string().contains("尚未抽取"), "{e}");
    }
}
