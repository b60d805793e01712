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
