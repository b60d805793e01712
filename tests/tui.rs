//! The terminal UI without a terminal: the key table, `update` on an in-memory database with
//! the example data, and snapshots of the screens rendered into a `TestBackend`.

use std::sync::Mutex;

use choucha::app::{Clock, Service};
use choucha::i18n::Lang;
use choucha::tui::action::Action;
use choucha::tui::app::{App, Mode, PlanStatus, Popup, Tab};
use choucha::tui::keymap::{self, bindings};
use choucha::tui::{draw, update};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use unicode_width::UnicodeWidthStr;

/// `load_demo` writes its files to a directory named after the process: one at a time.
static DEMO: Mutex<()> = Mutex::new(());

fn clock() -> Clock {
    Clock::Fixed(
        chrono::NaiveDate::from_ymd_opt(2026, 3, 2)
            .unwrap()
            .and_hms_opt(9, 30, 0)
            .unwrap(),
    )
}

fn empty_svc(lang: Lang) -> Service {
    let mut svc = Service::in_memory().unwrap().with_clock(clock());
    svc.lang = lang;
    svc
}

fn demo_svc(lang: Lang) -> Service {
    let mut svc = empty_svc(lang);
    let _guard = DEMO.lock().unwrap_or_else(|e| e.into_inner());
    svc.load_demo(false).unwrap();
    svc
}

fn demo_app() -> App {
    let mut app = App::new(demo_svc(Lang::Zh));
    app.color = false;
    app
}

fn act(app: &mut App, actions: impl IntoIterator<Item = Action>) {
    for a in actions {
        update(app, a);
    }
}

fn type_text(app: &mut App, s: &str) {
    for c in s.chars() {
        update(app, Action::Char(c));
    }
}

/// Renders the app and returns the screen, one line per row; a wide character's second cell
/// is skipped so that each line reads as the terminal shows it.
fn render(app: &mut App, w: u16, h: u16) -> String {
    update(app, Action::Resize(w, h));
    let mut term = Terminal::new(TestBackend::new(w, h)).unwrap();
    term.draw(|f| draw(f, app)).unwrap();
    let buf = term.backend().buffer().clone();
    let mut out = String::new();
    for y in 0..h {
        let mut line = String::new();
        let mut skip = 0;
        for x in 0..w {
            if skip > 0 {
                skip -= 1;
                continue;
            }
            let s = buf[(x, y)].symbol();
            skip = UnicodeWidthStr::width(s).saturating_sub(1);
            line.push_str(s);
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

fn freeze_and_draw(app: &mut App, seed: &str) {
    act(
        app,
        [
            Action::GoTab(3),
            Action::Freeze,
            Action::Confirm,
            Action::Cancel,
            Action::Draw,
        ],
    );
    type_text(app, seed);
    update(app, Action::Submit);
}

// ---------------------------------------------------------------- key table

#[test]
fn every_action_is_bound() {
    for a in Action::bindable() {
        assert!(bindings().iter().any(|b| b.action == a), "no key for {a:?}");
    }
}

#[test]
fn no_key_is_bound_twice_in_a_mode() {
    for mode in Mode::ALL {
        let layers = keymap::layers(mode);
        let mut seen: Vec<(KeyCode, KeyModifiers, Mode)> = Vec::new();
        for b in bindings().iter().filter(|b| layers.contains(&b.mode)) {
            assert!(
                !seen.iter().any(|(c, m, _)| *c == b.code && *m == b.mods),
                "{} bound twice in {mode:?} (layers {layers:?})",
                b.key_label()
            );
            seen.push((b.code, b.mods, b.mode));
        }
    }
}

#[test]
fn help_lists_every_binding() {
    for lang in [Lang::Zh, Lang::En] {
        for b in bindings() {
            let lines = keymap::help_lines(b.mode, lang);
            assert!(
                lines
                    .iter()
                    .any(|(keys, text)| keys.split(" / ").any(|k| k == b.key_label()) && text == b.text(lang)),
                "help of {:?} misses {}",
                b.mode,
                b.key_label()
            );
        }
        for mode in Mode::ALL {
            let sections = keymap::help_sections(mode, lang);
            for layer in keymap::layers(mode) {
                if !keymap::help_lines(layer, lang).is_empty() {
                    assert!(
                        sections.iter().any(|(t, _)| t == layer.label(lang)),
                        "help in {mode:?} lacks {layer:?}"
                    );
                }
            }
        }
    }
}

#[test]
fn keys_map_to_actions_by_mode() {
    let key = |c, m| KeyEvent::new(c, m);
    assert_eq!(
        keymap::lookup(Mode::Roster, key(KeyCode::Char('S'), KeyModifiers::SHIFT)),
        Some(Action::ToggleSortDir)
    );
    assert_eq!(
        keymap::lookup(Mode::Roster, key(KeyCode::Char('j'), KeyModifiers::NONE)),
        Some(Action::Down)
    );
    assert_eq!(
        keymap::lookup(Mode::Filter, key(KeyCode::Char('q'), KeyModifiers::NONE)),
        Some(Action::Char('q'))
    );
    assert_eq!(
        keymap::lookup(Mode::Filter, key(KeyCode::Char('医'), KeyModifiers::NONE)),
        Some(Action::Char('医'))
    );
    assert_eq!(
        keymap::lookup(Mode::Editor, key(KeyCode::Char('c'), KeyModifiers::CONTROL)),
        Some(Action::Quit)
    );
    assert_eq!(
        keymap::lookup(Mode::Plans, key(KeyCode::F(1), KeyModifiers::NONE)),
        Some(Action::Help)
    );
    assert_eq!(
        keymap::lookup(Mode::Plans, key(KeyCode::BackTab, KeyModifiers::SHIFT)),
        Some(Action::PrevTab)
    );
    assert_eq!(
        keymap::lookup(Mode::Plans, key(KeyCode::Char('x'), KeyModifiers::NONE)),
        None
    );
}

// ---------------------------------------------------------------- update

#[test]
fn welcome_then_demo() {
    let mut app = App::new(empty_svc(Lang::Zh));
    assert!(app.empty);
    assert_eq!(app.mode(), Mode::Welcome);
    {
        let _guard = DEMO.lock().unwrap_or_else(|e| e.into_inner());
        update(&mut app, Action::LoadDemo);
    }
    assert!(!app.empty, "{:?}", app.status);
    assert_eq!(app.mode(), Mode::Roster);
    assert!(app.rosters[0].page.total > 10);
    assert_eq!(app.plans.list.len(), 1);
}

#[test]
fn filter_narrows_rows_and_esc_clears() {
    let mut app = demo_app();
    update(&mut app, Action::GoTab(1));
    let all = app.rosters[1].page.total;
    act(&mut app, [Action::StartFilter]);
    assert_eq!(app.mode(), Mode::Filter);
    type_text(&mut app, "医");
    let one = app.rosters[1].page.total;
    type_text(&mut app, "院");
    let two = app.rosters[1].page.total;
    assert!(one < all && two <= one && two > 0, "{all} {one} {two}");
    assert!(
        app.rosters[1]
            .page
            .rows
            .iter()
            .all(|r| r.iter().any(|c| c.contains("医院")))
    );
    update(&mut app, Action::Backspace);
    assert_eq!(app.rosters[1].page.total, one);
    update(&mut app, Action::Submit);
    assert_eq!(app.mode(), Mode::Roster);
    assert_eq!(app.rosters[1].filter.text, "医");
    update(&mut app, Action::ClearFilter);
    assert_eq!(app.rosters[1].page.total, all);
}

#[test]
fn paging_moves_the_selection_and_loads_only_the_page() {
    let mut app = demo_app();
    act(&mut app, [Action::Resize(80, 24), Action::GoTab(1)]);
    let rows = app.roster_rows(1);
    let st = &app.rosters[1];
    assert_eq!(st.page.rows.len(), rows, "only the visible page is loaded");
    let total = st.page.total;
    act(&mut app, [Action::Down, Action::Down]);
    assert_eq!(app.rosters[1].selected, 2);
    update(&mut app, Action::PageDown);
    assert_eq!(app.rosters[1].selected, 2 + rows);
    assert!(app.rosters[1].offset > 0);
    update(&mut app, Action::Bottom);
    let st = &app.rosters[1];
    assert_eq!(st.selected, total - 1);
    assert_eq!(st.offset + st.page.rows.len(), total);
    assert!(st.selected_row().is_some());
    act(&mut app, [Action::Top, Action::Up]);
    assert_eq!(app.rosters[1].selected, 0);
    assert_eq!(app.rosters[1].offset, 0);
    act(&mut app, [Action::ScrollDown]);
    assert_eq!(app.rosters[1].selected, 3);
}

#[test]
fn sort_cycles_and_reverses() {
    let mut app = demo_app();
    update(&mut app, Action::GoTab(1));
    let first = app.rosters[1].page.rows[0][0].clone();
    update(&mut app, Action::ToggleSortDir);
    assert!(app.rosters[1].descending);
    assert_ne!(app.rosters[1].page.rows[0][0], first);
    update(&mut app, Action::CycleSort);
    assert_eq!(app.rosters[1].sort, 1);
}

#[test]
fn freeze_and_draw_with_a_typed_seed() {
    let mut app = demo_app();
    act(&mut app, [Action::GoTab(3), Action::Freeze]);
    assert!(matches!(app.popup, Some(Popup::Confirm(_))));
    update(&mut app, Action::Confirm);
    let Some(Popup::Digest { digest, .. }) = &app.popup else {
        panic!("no digest popup: {:?}", app.status)
    };
    assert_eq!(digest.len(), 64);
    assert_eq!(app.plans.list[0].status, PlanStatus::Frozen);
    update(&mut app, Action::Cancel);
    update(&mut app, Action::Draw);
    assert_eq!(app.mode(), Mode::Input);
    type_text(&mut app, "36 51 02");
    update(&mut app, Action::Submit);
    assert!(app.popup.is_none(), "{:?}", app.popup);
    assert_eq!(app.plans.list[0].status, PlanStatus::Drawn);
    assert_eq!(app.tab, Tab::Tasks);
    assert!(!app.tasks.lines.is_empty());
    assert!(app.tasks.lines.iter().all(|l| !l.name.is_empty()));
    assert!(app.tasks.lines.iter().any(|l| l.alternate));
    assert_eq!(app.plans.view.as_ref().unwrap().draws[0].seed, "36 51 02");
    assert!(app.stats.drawn.iter().sum::<u64>() > 0);

    // A redraw needs a reason.
    act(&mut app, [Action::GoTab(3), Action::Draw]);
    type_text(&mut app, "7");
    update(&mut app, Action::Submit);
    let Some(Popup::Draw(p)) = &app.popup else { panic!() };
    assert!(p.error.is_some() && p.focus == 1);
    type_text(&mut app, "现场摇号设备故障");
    update(&mut app, Action::Submit);
    assert!(app.popup.is_none());
    assert_eq!(app.plans.view.as_ref().unwrap().draws.len(), 2);
}

#[test]
fn generate_seed_with_g_on_an_empty_seed() {
    let mut app = demo_app();
    act(
        &mut app,
        [
            Action::GoTab(3),
            Action::Freeze,
            Action::Confirm,
            Action::Cancel,
            Action::Draw,
            Action::Char('g'),
        ],
    );
    let Some(Popup::Draw(p)) = &app.popup else { panic!() };
    assert_eq!(p.seed.text.len(), 24);
    update(&mut app, Action::Char('g'));
    let Some(Popup::Draw(p)) = &app.popup else { panic!() };
    assert!(p.seed.text.ends_with('g'), "g types once the seed is not empty");
}

#[test]
fn draw_of_a_draft_is_refused_with_a_message() {
    let mut app = demo_app();
    act(&mut app, [Action::GoTab(3), Action::Draw]);
    assert!(app.popup.is_none());
    assert!(app.status.as_ref().unwrap().error);
}

#[test]
fn replace_a_task_by_its_alternate() {
    let mut app = demo_app();
    freeze_and_draw(&mut app, "20260302");
    assert_eq!(app.tab, Tab::Tasks);
    update(&mut app, Action::ReplaceTask);
    assert!(matches!(app.popup, Some(Popup::Replace(_))));
    update(&mut app, Action::Submit);
    let Some(Popup::Replace(p)) = &app.popup else { panic!() };
    assert!(p.error.is_some(), "a reason is required");
    type_text(&mut app, "已注销");
    update(&mut app, Action::Submit);
    assert!(app.popup.is_none(), "{:?}", app.popup);
    let l = &app.tasks.lines[0];
    assert_eq!(l.replaced.as_ref().unwrap().1, "已注销");
    assert!(app.tasks.lines.iter().any(|l| l.alternate && l.used));
}

#[test]
fn plan_editor_previews_and_refuses_a_low_rate() {
    let mut app = demo_app();
    act(&mut app, [Action::GoTab(3), Action::NewPlan]);
    assert_eq!(app.mode(), Mode::Editor);
    let ed = app.editor.as_ref().unwrap();
    assert!(ed.preview.error.is_none(), "{:?}", ed.preview.error);
    assert_eq!(ed.preview.rates[0], Some(500));
    assert_eq!(ed.preview.population, app.per_class);
    assert!(ed.preview.sample(3).unwrap() > 0);
    // Change A = "5%" into A = "4%".
    let row = ed.area.lines.iter().position(|l| l.starts_with("A = ")).unwrap();
    for _ in 0..row {
        update(&mut app, Action::Down);
    }
    act(
        &mut app,
        [
            Action::LineStart,
            Action::Right,
            Action::Right,
            Action::Right,
            Action::Right,
            Action::Right,
            Action::Delete,
            Action::Char('4'),
        ],
    );
    let ed = app.editor.as_ref().unwrap();
    assert_eq!(ed.area.lines[row], "A = \"4%\"");
    assert_eq!(ed.preview.rates[0], Some(400));
    assert!(ed.preview.error.as_ref().unwrap().contains("rates.A"));
    update(&mut app, Action::Save);
    assert!(app.editor.is_some() && app.status.as_ref().unwrap().error);
    act(&mut app, [Action::Backspace, Action::Char('6'), Action::Save]);
    assert!(app.editor.is_none(), "{:?}", app.status);
    assert_eq!(app.plans.list.len(), 2);
    assert_eq!(app.selected_plan().unwrap().status, PlanStatus::Draft);
    // Esc on unsaved changes asks once more.
    act(&mut app, [Action::EditPlan, Action::Char('#'), Action::Cancel]);
    assert!(app.editor.is_some());
    update(&mut app, Action::Cancel);
    assert!(app.editor.is_none());
}

#[test]
fn record_form_shows_errors_and_saves() {
    let mut app = demo_app();
    act(&mut app, [Action::GoTab(0), Action::AddRecord]);
    assert_eq!(app.mode(), Mode::Form);
    type_text(&mut app, "YB-99");
    update(&mut app, Action::Save);
    let f = app.form.as_ref().unwrap();
    assert!(!f.errors.is_empty());
    assert!(f.errors.iter().all(|(c, _)| *c > 0));
    // Edit an existing item: its key is read-only, the name changes.
    update(&mut app, Action::Cancel);
    act(&mut app, [Action::EditRecord]);
    let f = app.form.as_ref().unwrap();
    assert_eq!(f.focus, 1);
    let key = f.fields[0].text.clone();
    act(&mut app, [Action::LineEnd, Action::Char('甲'), Action::Save]);
    assert!(app.form.is_none(), "{:?}", app.status);
    let rec = app
        .svc
        .roster_record(choucha::app::rosters::RosterKind::Items, &key)
        .unwrap()
        .unwrap();
    assert!(rec[1].ends_with('甲'));
    // Deactivate with confirmation.
    let before = app.rosters[0].page.total;
    act(&mut app, [Action::Deactivate, Action::Confirm]);
    assert_eq!(app.rosters[0].page.total, before - 1);
}

#[test]
fn import_runs_a_dry_run_first() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("items.csv");
    std::fs::copy(concat!(env!("CARGO_MANIFEST_DIR"), "/data/items.csv"), &path).unwrap();
    let mut app = App::new(empty_svc(Lang::Zh));
    update(&mut app, Action::Import);
    assert_eq!(app.mode(), Mode::Input);
    let dir_text = format!("{}/it", dir.path().display());
    update(&mut app, Action::Paste(dir_text));
    update(&mut app, Action::NextField);
    let Some(Popup::Path(p)) = &app.popup else { panic!() };
    assert_eq!(p.field.text, path.display().to_string(), "Tab completes the file name");
    update(&mut app, Action::Submit);
    let Some(Popup::ImportReview(r)) = &app.popup else {
        panic!("{:?}", app.popup)
    };
    assert!(r.outcome.errors.is_empty() && !r.outcome.committed && r.outcome.added > 0);
    assert!(app.empty, "a dry run writes nothing");
    update(&mut app, Action::Submit);
    assert!(app.popup.is_none());
    assert!(!app.empty);
    assert_eq!(app.rosters[0].page.total, r_count(&app));
}

fn r_count(app: &App) -> usize {
    app.svc.roster_counts().unwrap().2
}

#[test]
fn mouse_clicks_tabs_and_rows() {
    let mut app = demo_app();
    update(&mut app, Action::Resize(80, 24));
    let ranges = choucha::tui::view::layout::tab_ranges(Lang::Zh);
    update(
        &mut app,
        Action::Click {
            x: ranges[3].0 + 1,
            y: 0,
        },
    );
    assert_eq!(app.tab, Tab::Plans);
    update(
        &mut app,
        Action::Click {
            x: ranges[1].0 + 1,
            y: 0,
        },
    );
    assert_eq!(app.tab, Tab::Institutions);
    // Row 5 of the table: border, filter line, header, then data.
    update(
        &mut app,
        Action::Click {
            x: 10,
            y: 1 + 1 + 2 + 5,
        },
    );
    assert_eq!(app.rosters[1].selected, 5);
}

// ---------------------------------------------------------------- snapshots

#[test]
fn snapshot_welcome() {
    let mut app = App::new(empty_svc(Lang::Zh));
    insta::assert_snapshot!("welcome", render(&mut app, 80, 24));
}

#[test]
fn snapshot_roster_tabs() {
    let mut app = demo_app();
    for (i, name) in [(0, "tab1_items"), (1, "tab2_institutions"), (2, "tab3_inspectors")] {
        update(&mut app, Action::GoTab(i));
        insta::assert_snapshot!(name, render(&mut app, 80, 24));
    }
    act(&mut app, [Action::GoTab(1), Action::Down, Action::ToggleDetail]);
    insta::assert_snapshot!("tab2_institutions_detail", render(&mut app, 80, 24));
    act(&mut app, [Action::ToggleDetail, Action::StartFilter]);
    type_text(&mut app, "药房");
    insta::assert_snapshot!("tab2_institutions_filter", render(&mut app, 80, 24));
}

#[test]
fn snapshot_plans_tasks_stats() {
    let mut app = demo_app();
    update(&mut app, Action::GoTab(3));
    insta::assert_snapshot!("tab4_plans_draft", render(&mut app, 80, 24));
    act(&mut app, [Action::Freeze]);
    insta::assert_snapshot!("freeze_confirm", render(&mut app, 80, 24));
    update(&mut app, Action::Confirm);
    insta::assert_snapshot!("freeze_digest", render(&mut app, 80, 24));
    act(&mut app, [Action::Cancel, Action::Draw]);
    type_text(&mut app, "36 51 02");
    insta::assert_snapshot!("draw_popup", render(&mut app, 80, 24));
    update(&mut app, Action::Submit);
    insta::assert_snapshot!("tab5_tasks", render(&mut app, 80, 24));
    update(&mut app, Action::GoTab(3));
    insta::assert_snapshot!("tab4_plans_drawn", render(&mut app, 80, 24));
    update(&mut app, Action::GoTab(5));
    insta::assert_snapshot!("tab6_stats", render(&mut app, 80, 24));
}

#[test]
fn snapshot_help_popup() {
    let mut app = demo_app();
    act(&mut app, [Action::GoTab(1), Action::Help]);
    insta::assert_snapshot!("help_roster", render(&mut app, 80, 24));
}

#[test]
fn snapshot_plan_editor() {
    let mut app = demo_app();
    act(&mut app, [Action::GoTab(3), Action::NewPlan]);
    insta::assert_snapshot!("plan_editor", render(&mut app, 80, 24));
}

#[test]
fn snapshot_english() {
    let mut app = App::new(demo_svc(Lang::En));
    update(&mut app, Action::GoTab(1));
    insta::assert_snapshot!("en_institutions", render(&mut app, 80, 24));
}

#[test]
fn renders_at_odd_sizes_without_panicking() {
    let mut app = demo_app();
    freeze_and_draw(&mut app, "1");
    for (w, h) in [(20, 5), (40, 10), (80, 24), (132, 43), (200, 60)] {
        for tab in 0..6 {
            update(&mut app, Action::GoTab(tab));
            update(&mut app, Action::ToggleDetail);
            let s = render(&mut app, w, h);
            assert_eq!(s.lines().count(), h as usize);
            assert!(s.lines().all(|l| UnicodeWidthStr::width(l) <= w as usize));
        }
    }
}
