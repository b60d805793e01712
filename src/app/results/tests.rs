//! Fixtures for the results tests, and one walk through recording, follow-up and counting.

use std::sync::Mutex;

use chrono::NaiveDate;

use super::StatsScope;
use crate::app::{Clock, Service};
use crate::domain::results::{Field, FindingInput, Part, PointsInput, Qualification, TaskResultInput};
use crate::store::audit;
use crate::store::rosters::Upserted;

/// `load_demo` writes its files to a directory named after the process: one at a time.
pub(crate) static DEMO: Mutex<()> = Mutex::new(());

pub(crate) fn at(date: &str) -> Clock {
    Clock::Fixed(
        NaiveDate::parse_from_str(date, "%Y-%m-%d")
            .unwrap()
            .and_hms_opt(9, 30, 0)
            .unwrap(),
    )
}

/// The demo data on 2026-03-02, plan 1 still a draft.
pub(crate) fn demo() -> Service {
    let mut svc = Service::in_memory().unwrap().with_clock(at("2026-03-02"));
    let _g = DEMO.lock().unwrap_or_else(|e| e.into_inner());
    svc.load_demo(false).unwrap();
    svc
}

/// The demo data, plan 1 frozen and drawn on 2026-03-02.
pub(crate) fn drawn() -> Service {
    let mut svc = demo();
    svc.freeze_plan(1).unwrap();
    svc.draw_plan(1, "1", None).unwrap();
    svc
}

/// A violation with one finding and 6 points for task `seq` of plan 1.
pub(crate) fn violation(svc: &Service, seq: u32) -> TaskResultInput {
    let p = svc.drawn_plan(1).unwrap();
    let item = p.current(seq).unwrap().items[0].clone();
    TaskResultInput {
        check_date: "2026-03-10".into(),
        category: "发现问题已责令整改".into(),
        measures: "约谈、责令改正、追回、行政处罚".into(),
        recovered: "1,000.50".into(),
        fine: "2000".into(),
        rectify_by: "2026-04-10".into(),
        findings: vec![FindingInput {
            item,
            description: "串换药品".into(),
            amount: "1000.50".into(),
            ..Default::default()
        }],
        points: vec![PointsInput {
            name: "张医生".into(),
            code: "D450102000123".into(),
            points: "6".into(),
            ..Default::default()
        }],
        ..Default::default()
    }
}

#[test]
fn save_read_and_follow_up() {
    let mut svc = drawn().with_clock(at("2026-03-12"));
    assert!(svc.task_result(1, 1).unwrap().is_none());
    let blank = svc.task_result_input(1, 1).unwrap();
    assert!(!blank.item_results.is_empty());
    assert_eq!(
        svc.save_task_result(1, 1, &violation(&svc, 1)).unwrap().unwrap(),
        Upserted::Added
    );
    assert_eq!(
        svc.save_task_result(1, 1, &violation(&svc, 1)).unwrap().unwrap(),
        Upserted::Unchanged
    );
    let r = svc.task_result(1, 1).unwrap().unwrap();
    assert_eq!((r.recovered_fen, r.fine_fen), (100_050, 200_000));
    // A bad form is refused with located issues and nothing is written.
    let mut bad = violation(&svc, 2);
    bad.recovered = "12.345".into();
    let issues = svc.save_task_result(1, 2, &bad).unwrap().unwrap_err();
    assert_eq!((issues[0].part, issues[0].field), (Part::Main, Field::Recovered));
    assert!(svc.task_result(1, 2).unwrap().is_none());
    // Second person, second task: 6 + 6 = 12 points for the same 人员编码 → terminate.
    svc.save_task_result(1, 2, &violation(&svc, 2)).unwrap().unwrap();
    let people = svc.points_by_person(2026).unwrap();
    assert_eq!(people.len(), 1);
    assert_eq!(people[0].total, 12);
    assert_eq!(people[0].qualification, Qualification::Terminate { years: 1 });
    assert!(svc.points_by_person(2025).unwrap().is_empty());

    let f = svc.followup(NaiveDate::from_ymd_opt(2026, 4, 20).unwrap()).unwrap();
    assert_eq!(f.rectifications.len(), 2);
    assert!(f.rectifications[0].overdue());
    assert_eq!(f.publications.len(), 2);
    // Completed 2026-03-10 (Tuesday): 20 working days → 2026-04-08 (Monday 6 April is 清明节
    // in the 2026 holiday notice of the default configuration), overdue by 20 April.
    assert_eq!(f.publications[0].due, NaiveDate::from_ymd_opt(2026, 4, 8).unwrap());
    assert!(f.calendar_years.contains(&2026));
    assert!(f.publications[0].overdue());
    assert_eq!(f.flagged_persons.len(), 1);
    assert_eq!(f.repeat_offenders.len(), 2);

    let st = svc.result_stats(StatsScope::Plan(1)).unwrap();
    assert_eq!(st.recorded, 2);
    assert_eq!(st.recovered_fen, 200_100);
    assert_eq!(st.fine_fen, 400_000);
    assert_eq!(
        st.per_category
            .iter()
            .find(|(c, _)| c == "发现问题已责令整改")
            .unwrap()
            .1,
        2
    );
    assert_eq!(st.persons_scored, 1);
    assert_eq!(svc.result_stats(StatsScope::Year(2026)).unwrap().recorded, 2);

    // Clearing needs a reason and is logged.
    assert!(svc.clear_task_result(1, 2, None, " ").is_err());
    assert!(svc.clear_task_result(1, 2, None, "录错任务").unwrap());
    assert!(svc.task_result(1, 2).unwrap().is_none());
    let log = audit::recent(&svc.store.reader(), 5).unwrap();
    assert_eq!(log[0].action, "result.clear");
    assert!(log.iter().any(|e| e.action == "result.save"));
    assert_eq!(audit::verify_chain(&svc.store.reader()).unwrap().map(|_| ()), Ok(()));
}
