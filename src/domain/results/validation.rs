//! Checking a result as typed: every problem at once, each located by part and field.

use chrono::NaiveDate;

use super::checker::Checker;
use super::parts;
use super::private_in_public_text;
use super::{Field, Issue, Part, Problem, Rectification, RectifyStatus, ResultRules, TaskResult, TaskResultInput};
use crate::domain::roster::split_list;

/// What validation needs to know about the task besides the rules.
#[derive(Debug, Clone)]
pub struct TaskContext<'a> {
    /// The task's inspection items (事项编码).
    pub items: &'a [String],
    /// Item codes that may be named as a finding's violation type (the catalogue).
    pub catalogue: &'a [String],
    /// The day of the draw: nothing can have been checked before it.
    pub drawn_on: NaiveDate,
    pub today: NaiveDate,
}

/// Checks a result. Every problem is reported at once; nothing is guessed except:
/// - a blank 检查完成日期 is the 检查日期, a blank 记分日期 the 检查完成日期;
/// - a blank 整改状态 with a 整改期限 is 未整改;
/// - a blank 问题序号 takes the next free number; a points entry without one refers to the
///   task's only finding;
/// - an item without a result gets one: the overall result when that is not a violation;
///   otherwise the overall result for items named by a finding, 未发现问题 for the others.
pub fn validate(input: &TaskResultInput, rules: &ResultRules, ctx: &TaskContext) -> Result<TaskResult, Vec<Issue>> {
    use Field as F;
    let mut c = Checker {
        issues: Vec::new(),
        today: ctx.today,
    };
    let main = Part::Main;

    // Dates.
    let check_date = c.date(main, F::CheckDate, &input.check_date);
    if input.check_date.trim().is_empty() {
        c.fail(main, F::CheckDate, Problem::Empty);
    }
    if let Some(d) = check_date
        && d < ctx.drawn_on
    {
        c.fail(main, F::CheckDate, Problem::BeforeDraw { drawn_on: ctx.drawn_on });
    }
    let completed_on = c.date(main, F::CompletedOn, &input.completed_on).or(check_date);
    if let (Some(done), Some(check)) = (completed_on, check_date)
        && done < check
    {
        c.fail(main, F::CompletedOn, Problem::BeforeCheckDate);
    }

    // Category.
    let category = c.text(main, F::Category, &input.category, false);
    if category.is_empty() {
        c.fail(main, F::Category, Problem::Empty);
    } else if !rules.categories.contains(&category) {
        c.fail(
            main,
            F::Category,
            Problem::Unknown {
                value: category.clone(),
                allowed: rules.categories.clone(),
            },
        );
    }
    let violation = rules.is_violation(&category);
    let clean = category == rules.nothing_found;

    // Measures, in the configured order.
    let measures_text = c.text(main, F::Measures, &input.measures, false);
    let mut measures: Vec<String> = Vec::new();
    for m in split_list(&measures_text) {
        if !rules.measures.contains(&m) {
            c.fail(
                main,
                F::Measures,
                Problem::Unknown {
                    value: m,
                    allowed: rules.measures.clone(),
                },
            );
        } else if !measures.contains(&m) {
            measures.push(m);
        }
    }
    measures.sort_by_key(|m| rules.measures.iter().position(|x| x == m));

    // Amounts.
    let recovered_fen = c.money(main, F::Recovered, &input.recovered);
    let fine_fen = c.money(main, F::Fine, &input.fine);
    if recovered_fen > 0 && !measures.contains(&rules.recovery_measure) {
        c.fail(
            main,
            F::Recovered,
            Problem::AmountNeedsMeasure {
                measure: rules.recovery_measure.clone(),
            },
        );
    }
    if fine_fen > 0 && !measures.contains(&rules.fine_measure) {
        c.fail(
            main,
            F::Fine,
            Problem::AmountNeedsMeasure {
                measure: rules.fine_measure.clone(),
            },
        );
    }
    if clean {
        for (f, v) in [(F::Recovered, recovered_fen), (F::Fine, fine_fen)] {
            if v > 0 {
                c.fail(
                    main,
                    f,
                    Problem::AmountNotAllowed {
                        category: category.clone(),
                    },
                );
            }
        }
    }

    // Rectification.
    let rectify_by = c.any_date(main, F::RectifyBy, &input.rectify_by);
    if let (Some(due), Some(check)) = (rectify_by, check_date)
        && due < check
    {
        c.fail(main, F::RectifyBy, Problem::BeforeCheckDate);
    }
    let needs: Vec<String> = measures
        .iter()
        .filter(|m| rules.rectification_measures.contains(m))
        .cloned()
        .collect();
    if !needs.is_empty() && input.rectify_by.trim().is_empty() {
        c.fail(main, F::RectifyBy, Problem::RectifyByRequired { measures: needs });
    }
    let status_text = input.rectify_status.trim();
    let status = if status_text.is_empty() {
        RectifyStatus::Open
    } else {
        RectifyStatus::parse(status_text).unwrap_or_else(|| {
            c.fail(
                main,
                F::RectifyStatus,
                Problem::Unknown {
                    value: status_text.into(),
                    allowed: RectifyStatus::labels(),
                },
            );
            RectifyStatus::Open
        })
    };
    if !status_text.is_empty() && input.rectify_by.trim().is_empty() {
        c.fail(main, F::RectifyStatus, Problem::StatusWithoutDeadline);
    }
    let rectification = rectify_by.map(|due| Rectification { due, status });

    // Free text.
    let public_remark = c.text(main, F::PublicRemark, &input.public_remark, true);
    if let Some(p) = private_in_public_text(&public_remark) {
        c.fail(main, F::PublicRemark, p);
    }
    let internal_notes = c.text(main, F::InternalNotes, &input.internal_notes, true);

    // Findings.
    let (findings, numbers) = parts::findings(&mut c, &input.findings, ctx);
    if violation && findings.is_empty() {
        c.fail(
            main,
            F::Category,
            Problem::FindingsRequired {
                category: category.clone(),
            },
        );
    }
    if clean && !findings.is_empty() {
        c.fail(
            Part::Finding(0),
            F::FindingItem,
            Problem::FindingsNotAllowed {
                category: category.clone(),
            },
        );
    }

    // Item results.
    let item_results = parts::item_results(&mut c, &input.item_results, rules, ctx, &category, violation, &findings);

    // Points.
    let points = parts::points(&mut c, &input.points, &findings, &numbers, check_date, completed_on);

    if !c.issues.is_empty() {
        return Err(c.issues);
    }
    let (Some(check_date), Some(completed_on)) = (check_date, completed_on) else {
        unreachable!("a missing date was reported above");
    };
    Ok(TaskResult {
        check_date,
        completed_on,
        category,
        item_results,
        measures,
        recovered_fen,
        fine_fen,
        rectification,
        public_remark,
        internal_notes,
        findings,
        points,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::results::date as d;
    use crate::domain::results::{FindingInput, ItemResultInput, PointsInput};

    fn items() -> Vec<String> {
        vec!["YB-01".into(), "YB-04".into()]
    }

    fn ctx<'a>(items: &'a [String], catalogue: &'a [String]) -> TaskContext<'a> {
        TaskContext {
            items,
            catalogue,
            drawn_on: d("2026-03-02"),
            today: d("2026-04-30"),
        }
    }

    fn violation_input() -> TaskResultInput {
        TaskResultInput {
            check_date: "2026/3/10".into(),
            category: "发现问题已责令整改".into(),
            measures: "追回、约谈，责令改正".into(),
            recovered: "1,200.50".into(),
            rectify_by: "2026-04-10".into(),
            findings: vec![FindingInput {
                item: "YB-04".into(),
                description: "串换药品 3 笔".into(),
                amount: "1200.50".into(),
                ..Default::default()
            }],
            points: vec![PointsInput {
                name: "张医生".into(),
                role: "医师".into(),
                code: "D450102000123".into(),
                points: "6".into(),
                ..Default::default()
            }],
            ..Default::default()
        }
    }

    #[test]
    fn a_violation_result_is_checked_and_completed() {
        let (it, cat) = (items(), vec!["YB-09".to_string()]);
        let r = validate(&violation_input(), &ResultRules::default(), &ctx(&it, &cat)).unwrap();
        assert_eq!(r.completed_on, d("2026-03-10"));
        assert_eq!(r.measures, ["约谈", "责令改正", "追回"]);
        assert_eq!(r.recovered_fen, 120_050);
        assert_eq!(
            r.rectification,
            Some(Rectification {
                due: d("2026-04-10"),
                status: RectifyStatus::Open
            })
        );
        assert_eq!(r.findings[0].no, 1);
        assert_eq!(r.points[0].finding_no, 1);
        assert_eq!(r.points[0].scored_on, d("2026-03-10"));
        // Items: the one named by a finding gets the overall result; the other, never entered,
        // has none (it used to get an invented 未发现问题, which was then published).
        assert_eq!(r.item_results.len(), 1);
        assert_eq!(r.item_results[0].item, "YB-04");
        assert_eq!(r.item_results[0].category, "发现问题已责令整改");
        // The text form gives the same result back.
        let again = validate(&r.to_input(), &ResultRules::default(), &ctx(&it, &cat)).unwrap();
        assert_eq!(again, r);
    }

    #[test]
    fn categories_and_measures_are_validated() {
        let (it, cat) = (items(), vec![]);
        let rules = ResultRules::default();
        let mut i = violation_input();
        i.category = "基本合格".into();
        i.measures = "约谈、罚酒三杯".into();
        let errs = validate(&i, &rules, &ctx(&it, &cat)).unwrap_err();
        let fields: Vec<Field> = errs.iter().map(|e| e.field).collect();
        assert!(fields.contains(&Field::Category), "{errs:?}");
        assert!(
            errs.iter()
                .any(|e| matches!(&e.problem, Problem::Unknown { value, .. } if value == "罚酒三杯"))
        );
        // The recovery amount now lacks its measure, and rectification its measure's deadline is fine.
        assert!(fields.contains(&Field::Recovered));
        assert!(rules.check().is_ok());
    }

    #[test]
    fn consistency_rules() {
        let (it, cat) = (items(), vec![]);
        let rules = ResultRules::default();
        let c = ctx(&it, &cat);
        // A violation needs a finding.
        let mut i = violation_input();
        i.findings.clear();
        i.points.clear();
        let errs = validate(&i, &rules, &c).unwrap_err();
        assert!(
            errs.iter()
                .any(|e| matches!(e.problem, Problem::FindingsRequired { .. }))
        );
        // Nothing found: no findings and no amounts; a fine needs 行政处罚; 责令改正 needs a deadline.
        let mut i = violation_input();
        i.category = "未发现问题".into();
        i.fine = "500".into();
        i.rectify_by.clear();
        let errs = validate(&i, &rules, &c).unwrap_err();
        for p in [
            "FindingsNotAllowed",
            "AmountNotAllowed",
            "AmountNeedsMeasure",
            "RectifyByRequired",
        ] {
            assert!(
                errs.iter().any(|e| format!("{:?}", e.problem).starts_with(p)),
                "{p}: {errs:?}"
            );
        }
        // A violation item under a clean overall result.
        let i = TaskResultInput {
            check_date: "2026-03-10".into(),
            category: "未发现问题".into(),
            item_results: vec![ItemResultInput {
                item: "YB-01".into(),
                category: "发现问题待后续处理".into(),
            }],
            ..Default::default()
        };
        let errs = validate(&i, &rules, &c).unwrap_err();
        assert!(matches!(errs[0].problem, Problem::ItemViolationButClean { .. }));
        assert_eq!(errs[0].part, Part::Item(0));
        // A clean result fills every item.
        let mut ok = i.clone();
        ok.item_results.clear();
        let r = validate(&ok, &rules, &c).unwrap();
        assert!(r.item_results.iter().all(|x| x.category == "未发现问题"));
        assert!(r.rectification.is_none());
    }

    #[test]
    fn dates_are_bounded() {
        let (it, cat) = (items(), vec![]);
        let rules = ResultRules::default();
        let mut i = violation_input();
        i.check_date = "2026-03-01".into();
        i.completed_on = "2026-02-28".into();
        i.points[0].date = "2026-05-01".into();
        let errs = validate(&i, &rules, &ctx(&it, &cat)).unwrap_err();
        let got: Vec<(Field, &Problem)> = errs.iter().map(|e| (e.field, &e.problem)).collect();
        assert!(got.contains(&(
            Field::CheckDate,
            &Problem::BeforeDraw {
                drawn_on: d("2026-03-02")
            }
        )));
        assert!(got.contains(&(Field::CompletedOn, &Problem::BeforeCheckDate)));
        assert!(got.contains(&(Field::PointsDate, &Problem::InFuture)));
        let mut i = violation_input();
        i.check_date = "".into();
        let errs = validate(&i, &rules, &ctx(&it, &cat)).unwrap_err();
        assert_eq!(errs[0].problem, Problem::Empty);
    }

    #[test]
    fn points_rules() {
        let (it, cat) = (items(), vec![]);
        let rules = ResultRules::default();
        let mut i = violation_input();
        i.points[0].points = "13".into();
        i.points.push(PointsInput {
            finding_no: "7".into(),
            name: "李护士".into(),
            code: "11010519491231002X".into(),
            points: "0".into(),
            ..Default::default()
        });
        let errs = validate(&i, &rules, &ctx(&it, &cat)).unwrap_err();
        let probs: Vec<&Problem> = errs.iter().map(|e| &e.problem).collect();
        assert!(probs.contains(&&Problem::PointsRange { value: "13".into() }));
        assert!(probs.contains(&&Problem::PointsRange { value: "0".into() }));
        assert!(probs.contains(&&Problem::NoSuchFinding { no: "7".into() }));
        assert!(probs.contains(&&Problem::IdNumberAsCode));
        // Two findings: points must say which.
        let mut i = violation_input();
        i.findings.push(FindingInput {
            item: "YB-01".into(),
            description: "挂床".into(),
            ..Default::default()
        });
        let errs = validate(&i, &rules, &ctx(&it, &cat)).unwrap_err();
        assert_eq!(errs[0].problem, Problem::FindingNeeded);
        i.points[0].finding_no = "2".into();
        let r = validate(&i, &rules, &ctx(&it, &cat)).unwrap();
        assert_eq!(r.points[0].finding_no, 2);
        assert_eq!(r.item_results[0].category, "发现问题已责令整改");
    }

    #[test]
    fn public_remark_refuses_phones_and_identity_numbers() {
        assert_eq!(private_in_public_text("联系 13812345678"), Some(Problem::PhoneInPublic));
        assert_eq!(private_in_public_text("电话0771-5482455"), Some(Problem::PhoneInPublic));
        assert_eq!(
            private_in_public_text("身份证11010519491231002X"),
            Some(Problem::IdNumberInPublic)
        );
        assert_eq!(private_in_public_text("已于2026年3月整改完毕，追回1200.50元"), None);
        assert_eq!(private_in_public_text("统一社会信用代码 1245990140602810X0"), None);
        let (it, cat) = (items(), vec![]);
        let mut i = violation_input();
        i.public_remark = "请致电 13812345678".into();
        let errs = validate(&i, &ResultRules::default(), &ctx(&it, &cat)).unwrap_err();
        assert_eq!(errs[0].field, Field::PublicRemark);
    }
}
