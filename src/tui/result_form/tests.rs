use super::*;
use crate::domain::results::Problem;

fn form() -> ResultForm {
    let input = TaskResultInput {
        item_results: vec![
            ItemResultInput {
                item: "YB-01".into(),
                category: String::new(),
            },
            ItemResultInput {
                item: "YB-04".into(),
                category: String::new(),
            },
        ],
        ..Default::default()
    };
    let check = crate::app::results::tests::drawn().result_check(1, 3).unwrap();
    ResultForm::new(check, "医院".into(), input, false, &HashMap::new())
}

#[test]
fn round_trips_the_input_and_tracks_changes() {
    let mut f = form();
    assert!(!f.dirty());
    f.main[2].set("未发现问题");
    f.add_finding();
    assert_eq!(f.focused(), Slot::Finding(0, 1));
    f.field_mut(Slot::Finding(0, 1)).set("YB-01");
    f.add_points();
    assert_eq!(f.points[0][0].text, "1");
    let i = f.input();
    assert_eq!(i.category, "未发现问题");
    assert_eq!(i.findings[0].item, "YB-01");
    assert_eq!(i.points[0].finding_no, "1");
    assert_eq!(i.item_results.len(), 2);
    assert!(f.dirty());
    assert!(f.remove_row());
    assert!(f.points.is_empty());
    assert_eq!(f.focused(), Slot::Finding(0, 1));
}

#[test]
fn issues_land_under_their_fields() {
    let mut f = form();
    f.issues = vec![
        Issue {
            part: Part::Main,
            field: Field::Category,
            problem: Problem::Empty,
        },
        Issue {
            part: Part::Finding(4),
            field: Field::FindingItem,
            problem: Problem::Empty,
        },
    ];
    let rows = f.rows(Lang::Zh, 78);
    let at = rows.iter().position(|r| *r == FormRow::Field(Slot::Main(2))).unwrap();
    assert!(matches!(rows[at + 1], FormRow::Error(_)));
    assert!(
        matches!(rows[0], FormRow::Error(_)),
        "an issue of a missing row shows on top"
    );
    f.clear_issues(Slot::Main(2));
    assert_eq!(f.issues.len(), 1);
}

#[test]
fn before_a_refused_save_only_left_inputs_show_problems() {
    let mut f = form();
    f.main[4].set("abc");
    f.recheck();
    assert!(f.issues.is_empty(), "nothing left yet: {:?}", f.issues);
    f.touch(Slot::Main(4));
    f.recheck();
    let fields: Vec<Field> = f.issues.iter().map(|i| i.field).collect();
    assert_eq!(fields, [Field::Recovered], "not the empty date or category");
    f.refuse(vec![]);
    f.recheck();
    assert!(f.has_issue(Slot::Main(0)) && f.has_issue(Slot::Main(2)) && f.has_issue(Slot::Main(4)));
}

#[test]
fn removing_a_row_moves_the_touched_inputs_below_it_up() {
    let mut f = form();
    for _ in 0..3 {
        f.add_finding();
    }
    f.touch(Slot::Finding(0, 3));
    f.touch(Slot::Finding(2, 3));
    f.touch(Slot::Main(4));
    f.focus_slot(Slot::Finding(0, 1));
    assert!(f.remove_row());
    let mut touched: Vec<Slot> = f.touched.iter().copied().collect();
    touched.sort_by_key(|s| format!("{s:?}"));
    assert_eq!(touched, [Slot::Finding(1, 3), Slot::Main(4)]);
}
