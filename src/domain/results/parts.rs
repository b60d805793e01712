//! Checks of the listed parts of a result: findings, item results and points entries, in the
//! order [`validate`](super::validate) runs them.

use std::collections::HashSet;

use chrono::NaiveDate;

use super::checker::{Checker, positive_int};
use super::{
    Field as F, Finding, FindingInput, ItemResult, ItemResultInput, POINTS_MAX_PER_ENTRY, Part, PointsEntry,
    PointsInput, Problem, ResultRules, TaskContext,
};
use crate::domain::ids::check_resident_id;

/// The findings sorted by 问题序号 (a blank one takes the next free number), and the numbers
/// taken.
pub(super) fn findings(c: &mut Checker, inputs: &[FindingInput], ctx: &TaskContext) -> (Vec<Finding>, HashSet<u32>) {
    let explicit: Vec<u32> = inputs.iter().filter_map(|f| positive_int(&f.no)).collect();
    let mut next_no = explicit.iter().max().copied().unwrap_or(0);
    let mut findings: Vec<Finding> = Vec::new();
    let mut numbers: HashSet<u32> = HashSet::new();
    for (i, f) in inputs.iter().enumerate() {
        let part = Part::Finding(i);
        let no = if f.no.trim().is_empty() {
            next_no += 1;
            next_no
        } else {
            positive_int(&f.no).unwrap_or_else(|| {
                c.fail(
                    part,
                    F::FindingNo,
                    Problem::BadNumber {
                        value: f.no.trim().into(),
                    },
                );
                0
            })
        };
        if no > 0 && !numbers.insert(no) {
            c.fail(part, F::FindingNo, Problem::DuplicateFinding { no });
        }
        let item = c.text(part, F::FindingItem, &f.item, false);
        if item.is_empty() {
            c.fail(part, F::FindingItem, Problem::Empty);
        } else if !ctx.catalogue.contains(&item) && !ctx.items.contains(&item) {
            c.fail(part, F::FindingItem, Problem::NotInCatalogue { item: item.clone() });
        }
        let description = c.text(part, F::FindingDescription, &f.description, true);
        if description.is_empty() {
            c.fail(part, F::FindingDescription, Problem::Empty);
        }
        let amount_fen = c.money(part, F::FindingAmount, &f.amount);
        findings.push(Finding {
            no,
            item,
            description,
            amount_fen,
        });
    }
    findings.sort_by_key(|f| f.no);
    (findings, numbers)
}

/// The task items' results, sorted by item code: as given, or derived from the overall result
/// where it settles them (see [`validate`](super::validate)); items it does not settle are left
/// out.
pub(super) fn item_results(
    c: &mut Checker,
    inputs: &[ItemResultInput],
    rules: &ResultRules,
    ctx: &TaskContext,
    category: &str,
    violation: bool,
    findings: &[Finding],
) -> Vec<ItemResult> {
    let mut given: Vec<(String, String)> = Vec::new();
    for (i, r) in inputs.iter().enumerate() {
        let part = Part::Item(i);
        let item = r.item.trim().to_string();
        if !ctx.items.contains(&item) {
            c.fail(
                part,
                F::ItemCode,
                Problem::ItemNotInTask {
                    item,
                    items: ctx.items.to_vec(),
                },
            );
            continue;
        }
        if given.iter().any(|(it, _)| *it == item) {
            c.fail(part, F::ItemCode, Problem::DuplicateItem { item });
            continue;
        }
        let cat = r.category.trim().to_string();
        if cat.is_empty() {
            continue;
        }
        if !rules.categories.contains(&cat) {
            c.fail(
                part,
                F::ItemCategory,
                Problem::Unknown {
                    value: cat,
                    allowed: rules.categories.clone(),
                },
            );
            continue;
        }
        if rules.is_violation(&cat) && !violation && !category.is_empty() {
            c.fail(
                part,
                F::ItemCategory,
                Problem::ItemViolationButClean {
                    item_category: cat.clone(),
                    category: category.to_string(),
                },
            );
        }
        given.push((item, cat));
    }
    let named: HashSet<&str> = findings.iter().map(|f| f.item.as_str()).collect();
    // Only what follows from what was entered: a clean overall result holds for every item, an
    // item a finding names shares the violation. An item of a violation task that nobody
    // entered and no finding names has no result: "未发现问题" there would be invented (and
    // published).
    let mut item_results: Vec<ItemResult> = ctx
        .items
        .iter()
        .filter_map(|item| {
            let category = match given.iter().find(|(it, _)| it == item) {
                Some((_, cat)) => cat.clone(),
                None if !violation => category.to_string(),
                None if named.contains(item.as_str()) => category.to_string(),
                None => return None,
            };
            Some(ItemResult {
                item: item.clone(),
                category,
            })
        })
        .collect();
    item_results.sort_by(|a, b| a.item.cmp(&b.item));
    item_results
}

/// The points entries, each tied to a finding and dated (blank: the 检查完成日期).
pub(super) fn points(
    c: &mut Checker,
    inputs: &[PointsInput],
    findings: &[Finding],
    numbers: &HashSet<u32>,
    check_date: Option<NaiveDate>,
    completed_on: Option<NaiveDate>,
) -> Vec<PointsEntry> {
    let mut points: Vec<PointsEntry> = Vec::new();
    let mut scored: HashSet<(u32, String)> = HashSet::new();
    for (i, p) in inputs.iter().enumerate() {
        let part = Part::Points(i);
        let no_text = p.finding_no.trim();
        let finding_no = if no_text.is_empty() {
            match findings {
                [only] => only.no,
                [] => {
                    c.fail(part, F::PointsFinding, Problem::NoSuchFinding { no: String::new() });
                    0
                }
                _ => {
                    c.fail(part, F::PointsFinding, Problem::FindingNeeded);
                    0
                }
            }
        } else {
            match positive_int(no_text) {
                Some(n) if numbers.contains(&n) => n,
                _ => {
                    c.fail(part, F::PointsFinding, Problem::NoSuchFinding { no: no_text.into() });
                    0
                }
            }
        };
        let name = c.text(part, F::PointsName, &p.name, false);
        if name.is_empty() {
            c.fail(part, F::PointsName, Problem::Empty);
        }
        let role = c.text(part, F::PointsRole, &p.role, false);
        let code = c.text(part, F::PointsCode, &p.code, false);
        if check_resident_id(&code.to_uppercase()).is_ok() {
            c.fail(part, F::PointsCode, Problem::IdNumberAsCode);
        } else if code.chars().count() > 32
            || code
                .chars()
                .any(|ch| ch.is_whitespace() || matches!(ch, '、' | ',' | ';' | '，' | '；' | '/'))
        {
            c.fail(part, F::PointsCode, Problem::BadCode { value: code.clone() });
        }
        let value = p.points.trim();
        let n = match positive_int(value) {
            Some(n) if n <= POINTS_MAX_PER_ENTRY => n,
            _ => {
                c.fail(
                    part,
                    F::PointsValue,
                    Problem::PointsRange {
                        value: value.to_string(),
                    },
                );
                0
            }
        };
        let scored_on = c.date(part, F::PointsDate, &p.date).or(completed_on);
        if let (Some(d), Some(check)) = (scored_on, check_date)
            && d < check
        {
            c.fail(part, F::PointsDate, Problem::BeforeCheckDate);
        }
        let entry = PointsEntry {
            finding_no,
            name,
            role,
            code,
            points: n,
            scored_on: scored_on.unwrap_or(c.today),
        };
        if finding_no > 0 && !scored.insert((finding_no, entry.person_key(""))) {
            c.fail(
                part,
                F::PointsName,
                Problem::DuplicatePoints {
                    name: entry.name.clone(),
                    no: finding_no,
                },
            );
        }
        points.push(entry);
    }
    points
}
