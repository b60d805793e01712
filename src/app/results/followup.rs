//! What needs attention: open rectifications, publication deadlines, flagged persons and
//! repeat offenders (屡查屡犯).

use std::collections::{BTreeMap, HashMap};

use anyhow::Result;
use chrono::{Datelike, NaiveDate};

use super::institution_name;
use super::points::PersonPoints;
use crate::app::Service;
use crate::domain::results::{self as dr, RectifyStatus};
use crate::i18n::Lang;
use crate::store::results::{self as db, ResultKey};

/// A result as the follow-up lists name it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResultRef {
    pub plan_id: i64,
    pub plan_title: String,
    pub seq: u32,
    pub institution: String,
    pub institution_name: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RectificationDue {
    pub at: ResultRef,
    pub due: NaiveDate,
    pub status: RectifyStatus,
    /// Calendar days past the deadline (negative: days left).
    pub days_overdue: i64,
}

impl RectificationDue {
    pub fn overdue(&self) -> bool {
        self.days_overdue > 0
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicationDue {
    pub at: ResultRef,
    pub completed_on: NaiveDate,
    /// The last day to publish (`publication_working_days` working days after completion).
    pub due: NaiveDate,
    /// Working days left until `due` (negative: working days overdue).
    pub working_days_left: i64,
}

impl Followup {
    /// The heading of `repeat_offenders`: one violation puts an institution on watch (the next
    /// plan counts it one class riskier); a second one within the window is 屡查屡犯 proper.
    pub fn repeat_heading(&self, lang: Lang) -> String {
        let (m, n) = (self.repeat_offender_months, self.repeat_offenders.len());
        match lang {
            Lang::Zh => format!("【屡查屡犯预警：近 {m} 个月有确认违规】{n} 家"),
            Lang::En => format!("[Repeat-offence watch: confirmed violations in the last {m} months] {n}"),
        }
    }
}

impl RepeatOffender {
    /// Found violating more than once within the window.
    pub fn repeated(&self) -> bool {
        self.violations >= 2
    }

    /// One line of the watch list, "!" first when repeated.
    pub fn line(&self, lang: Lang) -> String {
        format!(
            "{} {} {}  {} {}  {} {}{}",
            if self.repeated() { "!" } else { " " },
            self.institution,
            self.institution_name,
            lang.pick("最近违规", "last violation"),
            self.last_violation,
            lang.pick("次数", "count"),
            self.violations,
            if self.repeated() {
                lang.pick(" · 屡查屡犯", " · repeat offender")
            } else {
                ""
            }
        )
    }
}

/// How the working days of the publication deadlines were counted, to print under them.
pub fn calendar_note(years: &[i32], lang: Lang) -> String {
    if years.is_empty() {
        return lang
            .pick(
                "工作日按周一至周五计算，未计入法定节假日和调休（配置 [calendar] 可加入节假日安排）。",
                "Working days are Monday to Friday; no holiday notice is configured ([calendar]).",
            )
            .into();
    }
    let list: Vec<String> = years.iter().map(i32::to_string).collect();
    match lang {
        Lang::Zh => format!(
            "工作日按周一至周五计算，{} 年按国务院节假日安排扣除放假日、计入调休上班日；其他年份未计入节假日（见配置 [calendar]）。",
            list.join("、")
        ),
        Lang::En => format!(
            "Working days are Monday to Friday, with the State Council's holiday notices of {} applied (days off, weekend days worked); other years count Monday to Friday only (configuration [calendar]).",
            list.join(", ")
        ),
    }
}

impl PublicationDue {
    pub fn overdue(&self) -> bool {
        self.working_days_left < 0
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RepeatOffender {
    pub institution: String,
    pub institution_name: String,
    /// The latest confirmed violation within the look-back window.
    pub last_violation: NaiveDate,
    pub violations: usize,
    pub at: ResultRef,
}

/// What needs attention on `today`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Followup {
    pub today: NaiveDate,
    pub publication_working_days: u32,
    /// The years whose holiday notice the working days follow (`calendar_note`).
    pub calendar_years: Vec<i32>,
    /// The look-back of `repeat_offenders`.
    pub repeat_offender_months: u32,
    /// Open rectifications (未整改/整改中), earliest deadline first; check `overdue()`.
    pub rectifications: Vec<RectificationDue>,
    /// Recorded results not yet in any exported disclosure, earliest deadline first.
    pub publications: Vec<PublicationDue>,
    /// Results changed after they were disclosed: the public file needs an update.
    pub changed_after_disclosure: Vec<ResultRef>,
    /// People whose points this calendar year suspend or terminate their 医保支付资格.
    pub flagged_persons: Vec<PersonPoints>,
    /// 屡查屡犯: institutions with a confirmed violation within `repeat_offender_months`.
    pub repeat_offenders: Vec<RepeatOffender>,
}

impl Service {
    /// Plan titles by id, and institution facts: what naming a result needs.
    pub(super) fn refs(&self) -> Result<(HashMap<i64, String>, db::FactsLookup<'_>)> {
        let titles = self.plans()?.into_iter().map(|p| (p.id, p.title)).collect();
        Ok((titles, db::institution_facts(&self.store.reader())?))
    }

    fn result_ref(&self, key: &ResultKey, titles: &HashMap<i64, String>, facts: &db::FactsLookup) -> ResultRef {
        ResultRef {
            plan_id: key.plan_id,
            plan_title: titles.get(&key.plan_id).cloned().unwrap_or_default(),
            seq: key.seq,
            institution: key.institution.clone(),
            institution_name: institution_name(facts, &key.institution),
        }
    }

    /// 屡查屡犯: institutions with a confirmed violation (a violation category with a finding)
    /// completed within the last `repeat_offender_months` months before `today`.
    pub fn repeat_offender_list(&self, today: NaiveDate) -> Result<Vec<RepeatOffender>> {
        let rules = self.config.result_rules();
        let since = dr::months_before(today, self.config.results.repeat_offender_months);
        let (titles, facts) = self.refs()?;
        let mut by_inst: BTreeMap<String, RepeatOffender> = BTreeMap::new();
        for s in db::completed_since(&self.store.reader(), since)? {
            if !s.result.is_violation(&rules) || s.result.findings.is_empty() || s.result.completed_on > today {
                continue;
            }
            let at = self.result_ref(&s.key, &titles, &facts);
            let e = by_inst
                .entry(s.key.institution.clone())
                .or_insert_with(|| RepeatOffender {
                    institution: s.key.institution.clone(),
                    institution_name: at.institution_name.clone(),
                    last_violation: s.result.completed_on,
                    violations: 0,
                    at: at.clone(),
                });
            e.violations += 1;
            if s.result.completed_on >= e.last_violation {
                e.last_violation = s.result.completed_on;
                e.at = at;
            }
        }
        Ok(by_inst.into_values().collect())
    }

    /// Overdue rectifications, publication deadlines, flagged persons and repeat offenders.
    pub fn followup(&self, today: NaiveDate) -> Result<Followup> {
        let days = self.config.results.publication_working_days;
        let calendar = self.config.work_calendar();
        let (titles, facts) = self.refs()?;
        let mut out = Followup {
            today,
            publication_working_days: days,
            calendar_years: calendar.years().collect(),
            repeat_offender_months: self.config.results.repeat_offender_months,
            rectifications: vec![],
            publications: vec![],
            changed_after_disclosure: vec![],
            flagged_persons: vec![],
            repeat_offenders: vec![],
        };
        for s in db::of_current_draws(&self.store.reader())? {
            let at = self.result_ref(&s.key, &titles, &facts);
            if let Some(r) = s.result.rectification
                && r.status != RectifyStatus::Closed
            {
                out.rectifications.push(RectificationDue {
                    at: at.clone(),
                    due: r.due,
                    status: r.status,
                    days_overdue: (today - r.due).num_days(),
                });
            }
            match &s.disclosed_at {
                None => {
                    let due = calendar.add_working_days(s.result.completed_on, days);
                    out.publications.push(PublicationDue {
                        at,
                        completed_on: s.result.completed_on,
                        due,
                        working_days_left: calendar.working_days_between(today, due),
                    });
                }
                Some(d) if s.recorded_at > *d => out.changed_after_disclosure.push(at),
                Some(_) => {}
            }
        }
        out.rectifications
            .sort_by(|a, b| a.due.cmp(&b.due).then_with(|| a.at.seq.cmp(&b.at.seq)));
        out.publications
            .sort_by(|a, b| a.due.cmp(&b.due).then_with(|| a.at.seq.cmp(&b.at.seq)));
        out.flagged_persons = self
            .points_by_person(today.year())?
            .into_iter()
            .filter(|p| p.qualification.flagged())
            .collect();
        out.repeat_offenders = self.repeat_offender_list(today)?;
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use crate::app::results::tests::{at, drawn, violation};
    use crate::store::audit;

    #[test]
    fn repeat_offenders_escalate_in_the_next_freeze_and_are_logged() {
        let mut svc = drawn().with_clock(at("2026-03-12"));
        svc.save_task_result(1, 1, &violation(&svc, 1)).unwrap().unwrap();
        let offender = svc.drawn_plan(1).unwrap().current(1).unwrap().institution.clone();
        let set = svc.repeat_offender_list(svc.now().date()).unwrap();
        assert_eq!(set[0].institution, offender);
        // Outside the window it no longer counts.
        let later = NaiveDate::from_ymd_opt(2028, 3, 11).unwrap();
        assert!(svc.repeat_offender_list(later).unwrap().is_empty());
        let id = svc
            .create_plan(&crate::app::demo::DEMO_PLAN.replace("第一批", "第二批"))
            .unwrap();
        let report = svc.freeze_plan(id).unwrap();
        assert_eq!(report.exclusions.escalated, 1);
        let log = audit::recent(&svc.store.reader(), 1).unwrap();
        assert_eq!(log[0].action, "plan.freeze");
        assert!(log[0].details.contains("escalated=1"), "{}", log[0].details);
        assert!(log[0].details.contains(&offender), "{}", log[0].details);
    }
}
