//! The fixture of the disclosure tests.

use crate::app::{Clock, Service};
use crate::domain::results::{FindingInput, TaskResultInput};

/// The demo plan drawn, with one violation recorded on 2026-03-12.
pub(super) fn svc() -> Service {
    let mut svc = crate::app::results::tests::drawn();
    svc = svc.with_clock(Clock::Fixed(
        chrono::NaiveDate::from_ymd_opt(2026, 3, 12)
            .unwrap()
            .and_hms_opt(10, 0, 0)
            .unwrap(),
    ));
    let item = svc.drawn_plan(1).unwrap().current(1).unwrap().items[0].clone();
    let input = TaskResultInput {
        check_date: "2026-03-10".into(),
        category: "发现问题已责令整改".into(),
        measures: "责令改正、追回、行政处罚".into(),
        recovered: "1234.5".into(),
        fine: "2000".into(),
        rectify_by: "2026-04-10".into(),
        public_remark: "=已整改".into(),
        internal_notes: "内部：院长很配合，电话 13900000000".into(),
        findings: vec![FindingInput {
            item,
            description: "患者王某某处方串换".into(),
            amount: "1234.50".into(),
            ..Default::default()
        }],
        ..Default::default()
    };
    svc.save_task_result(1, 1, &input).unwrap().unwrap();
    svc
}

/// A violation with one finding: the task's other items had no result entered, so none is
/// published (it used to read "YB-04 …：未发现问题").
#[test]
fn item_results_nobody_entered_are_not_published() {
    let s = svc();
    let task_items = s.drawn_plan(1).unwrap().current(1).unwrap().items.clone();
    assert!(task_items.len() > 1, "{task_items:?}");
    let d = s.disclosure(1).unwrap();
    let r = &d.records[0];
    assert_eq!(r.items.len(), task_items.len());
    assert_eq!(r.items[0].result.as_deref(), Some("发现问题已责令整改"));
    for i in &r.items[1..] {
        assert_eq!(i.result, None, "{i:?}");
    }
    let doc = d.doc();
    let text = format!("{:?}", doc.rows);
    assert!(!text.contains("未发现问题"), "{text}");
    let json = serde_json::to_string(&d).unwrap();
    assert!(!json.contains("未发现问题"), "{json}");
    // The form asks for the items without a result.
    let input = s.task_result_input(1, 1).unwrap();
    assert_eq!(input.item_results.len(), task_items.len());
    assert!(input.item_results[1..].iter().all(|i| i.category.is_empty()));
}
