//! Freezing a plan: which institutions, inspectors and items go into the draw inputs.
//! The caller streams the roster through `Freezer::offer`; today's date is an argument.

use chrono::{Months, NaiveDate};

use super::credit::CreditClass;
use super::draw::inputs::{DrawInputs, InspectorInput, InstitutionInput, ItemInput};
use super::inspector::{Inspector, InspectorStatus};
use super::institution::InstitutionStatus;
use super::item::InspectionItem;
use super::plan::{CheckedPlan, PlanSpec};

/// Why institutions were left out, counted for the freeze report.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Exclusions {
    pub out_of_scope: u64,
    pub not_active: u64,
    pub recently_drawn: u64,
    /// Institutions counted one class riskier for repeat violations (屡查屡犯).
    pub escalated: u64,
}

/// The facts of one institution that a freeze looks at.
pub struct Candidate<'a> {
    pub code: &'a str,
    pub kind: &'a str,
    pub region: &'a str,
    pub credit: CreditClass,
    pub status: InstitutionStatus,
    pub last_drawn: Option<NaiveDate>,
    pub repeat_offender: bool,
}

pub struct Freezer<'a> {
    spec: &'a PlanSpec,
    checked: &'a CheckedPlan,
    cutoff: Option<NaiveDate>,
    escalate_repeat_offenders: bool,
    pub exclusions: Exclusions,
    institutions: Vec<InstitutionInput>,
}

impl<'a> Freezer<'a> {
    pub fn new(
        spec: &'a PlanSpec,
        checked: &'a CheckedPlan,
        today: NaiveDate,
        escalate_repeat_offenders: bool,
    ) -> Self {
        let months = spec.exclusion.recently_drawn_months;
        let cutoff = (months > 0).then(|| today.checked_sub_months(Months::new(months)).unwrap_or(NaiveDate::MIN));
        Freezer {
            spec,
            checked,
            cutoff,
            escalate_repeat_offenders,
            exclusions: Exclusions::default(),
            institutions: Vec::new(),
        }
    }

    /// Room for `n` more institutions (the roster size), so that a million offers never regrow.
    pub fn reserve(&mut self, n: usize) {
        self.institutions.reserve(n);
    }

    pub fn offer(&mut self, c: Candidate) {
        let scope = &self.spec.scope;
        let in_scope = (scope.regions.is_empty() || scope.regions.iter().any(|r| r == c.region))
            && (scope.institution_types.is_empty() || scope.institution_types.iter().any(|t| t == c.kind));
        if !in_scope {
            self.exclusions.out_of_scope += 1;
            return;
        }
        if c.status != InstitutionStatus::Active {
            self.exclusions.not_active += 1;
            return;
        }
        let class = if c.repeat_offender && self.escalate_repeat_offenders {
            self.exclusions.escalated += 1;
            c.credit.riskier()
        } else {
            c.credit
        };
        if let (Some(cutoff), Some(last)) = (self.cutoff, c.last_drawn)
            && last > cutoff
            && !self.checked.except_classes.contains(&class)
        {
            self.exclusions.recently_drawn += 1;
            return;
        }
        self.institutions.push(InstitutionInput {
            code: c.code.into(),
            kind: c.kind.into(),
            region: c.region.into(),
            class,
        });
    }

    /// The canonical inputs: active inspectors, the plan's items, the offered institutions.
    pub fn finish<'i>(
        self,
        inspectors: impl IntoIterator<Item = &'i Inspector>,
        items: &[InspectionItem],
    ) -> DrawInputs {
        let spec = self.spec;
        let mut inputs = DrawInputs {
            version: super::draw::CURRENT_PROTOCOL,
            title: spec.title.clone(),
            year: spec.year,
            rates_bp: self.checked.rates_bp,
            team_size: spec.team.size,
            require_certified: spec.team.require_certified,
            cross_region: spec.team.cross_region,
            max_tasks_per_inspector: spec.team.max_tasks_per_inspector,
            alternates_per_class: spec.alternates.per_class,
            expertise_rules: spec
                .team
                .expertise
                .iter()
                .flat_map(|(k, es)| es.iter().map(move |e| (k.clone(), e.clone())))
                .collect(),
            items: items
                .iter()
                .filter(|it| spec.scope.items.contains(&it.code))
                .map(|it| ItemInput {
                    code: it.code.clone(),
                    applies_to: it.applies_to.clone(),
                })
                .collect(),
            institutions: self.institutions,
            inspectors: inspectors
                .into_iter()
                .filter(|p| p.status == InspectorStatus::Active)
                .map(|p| InspectorInput {
                    id: p.id.clone(),
                    region: p.region.clone(),
                    certified: p.certified,
                    expertise: p.expertise.clone(),
                    conflicts: p.conflicts.clone(),
                })
                .collect(),
        };
        inputs.normalize();
        inputs
    }
}
