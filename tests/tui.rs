//! The terminal UI without a terminal: the key table, `update` on an in-memory database with
//! the example data, and snapshots of the screens rendered into a `TestBackend`.

use choucha::app::{Clock, Service};
use choucha::domain::results::{Field, Problem};
use choucha::i18n::Lang;
use choucha::tui::action::Action;
use choucha::tui::app::{App, ConfirmKind, MIN_WINDOW, Mode, PlanStatus, Popup, Tab, WINDOW_SCREENS};
use choucha::tui::keymap::{self, bindings};
use choucha::tui::result_form::{ResultForm, Slot};
use choucha::tui::{draw, update};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use unicode_width::UnicodeWidthStr;

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
    svc.load_demo(false).unwrap();
    svc
}

fn demo_app() -> App {
    let mut app = App::new(demo_svc(Lang::Zh));
    app.color = false;
    // Every keystroke queries, however slow the test machine is.
    app.sync_query = std::time::Duration::MAX;
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

fn render_buffer(app: &mut App, w: u16, h: u16) -> ratatui::buffer::Buffer {
    update(app, Action::Resize(w, h));
    let mut term = Terminal::new(TestBackend::new(w, h)).unwrap();
    term.draw(|f| draw(f, app)).unwrap();
    term.backend().buffer().clone()
}

/// One row of a buffer as text (the second cell of a wide character skipped).
fn line_text(buf: &ratatui::buffer::Buffer, y: u16) -> String {
    let mut line = String::new();
    let mut skip = 0;
    for x in 0..buf.area.width {
        if skip > 0 {
            skip -= 1;
            continue;
        }
        let s = buf[(x, y)].symbol();
        skip = UnicodeWidthStr::width(s).saturating_sub(1);
        line.push_str(s);
    }
    line
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
    // Enter shows the seed back; the second Enter draws.
    act(app, [Action::Submit, Action::Submit]);
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
    // In the results form `?` is typed; F1 opens help.
    assert_eq!(
        keymap::lookup(Mode::ResultForm, key(KeyCode::F(1), KeyModifiers::NONE)),
        Some(Action::Help)
    );
    assert_eq!(
        keymap::lookup(Mode::ResultForm, key(KeyCode::Char('?'), KeyModifiers::NONE)),
        Some(Action::Char('?'))
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
    update(&mut app, Action::LoadDemo);
    assert!(!app.empty, "{:?}", app.status);
    assert_eq!(app.mode(), Mode::Roster);
    assert!(app.rosters[0].count > 10);
    assert_eq!(app.plans.list.len(), 1);
}

#[test]
fn filter_narrows_rows_and_esc_clears() {
    let mut app = demo_app();
    update(&mut app, Action::GoTab(1));
    let all = app.rosters[1].count;
    act(&mut app, [Action::StartFilter]);
    assert_eq!(app.mode(), Mode::Filter);
    type_text(&mut app, "医");
    let one = app.rosters[1].count;
    type_text(&mut app, "院");
    let two = app.rosters[1].count;
    assert!(one < all && two <= one && two > 0, "{all} {one} {two}");
    assert!(
        app.rosters[1]
            .page
            .rows
            .iter()
            .all(|r| r.iter().any(|c| c.contains("医院")))
    );
    update(&mut app, Action::Backspace);
    assert_eq!(app.rosters[1].count, one);
    update(&mut app, Action::Submit);
    assert_eq!(app.mode(), Mode::Roster);
    assert_eq!(app.rosters[1].filter.text, "医");
    update(&mut app, Action::ClearFilter);
    assert_eq!(app.rosters[1].count, all);
}

#[test]
fn a_slow_roster_is_queried_when_typing_pauses() {
    let mut app = demo_app();
    app.sync_query = choucha::tui::app::SYNC_QUERY;
    // Sorted by name: the filter goes to the database (the search index serves code order).
    app.rosters[1].sort = 1;
    act(&mut app, [Action::GoTab(1), Action::StartFilter]);
    let all = app.rosters[1].count;
    // As if the last query had taken a second (a very large roster).
    app.rosters[1].last_query = std::time::Duration::from_secs(1);
    type_text(&mut app, "药房");
    let st = &app.rosters[1];
    assert!(st.stale && st.total().is_none());
    assert_eq!(st.count, all, "no query while typing");
    assert!(render(&mut app, 80, 24).contains("第 …/… 条"));
    assert!(app.wants_idle());
    update(&mut app, Action::Idle);
    let st = &app.rosters[1];
    assert!(!st.stale && st.count < all && st.count > 0);
    // What is left to do when typing pauses: building the search index.
    update(&mut app, Action::Idle);
    assert!(!app.wants_idle());
    // Enter runs a pending query at once.
    app.rosters[1].last_query = std::time::Duration::from_secs(1);
    type_text(&mut app, "江");
    assert!(app.rosters[1].stale);
    update(&mut app, Action::Submit);
    assert!(!app.rosters[1].stale);
    assert_eq!(app.mode(), Mode::Roster);
}

#[test]
fn the_search_index_answers_every_keystroke_like_the_database() {
    let mut app = demo_app();
    act(&mut app, [Action::GoTab(1)]);
    assert!(app.wants_idle(), "the index is built when the user pauses");
    update(&mut app, Action::Idle);
    assert!(!app.wants_idle());
    act(&mut app, [Action::StartFilter]);
    // Even after a slow query, the index answers at once.
    app.rosters[1].last_query = std::time::Duration::from_secs(1);
    for text in ["医", "医院", "江 医院", "不存在的机构"] {
        update(&mut app, Action::Cancel);
        act(&mut app, [Action::StartFilter]);
        type_text(&mut app, text);
        let st = &app.rosters[1];
        assert!(!st.stale && !st.capped, "{text}");
        let q = choucha::app::rosters::PageQuery {
            filter: text.into(),
            limit: 10_000,
            ..Default::default()
        };
        let kind = choucha::app::rosters::RosterKind::Institutions;
        let sql = app.svc.roster_page(kind, &q).unwrap();
        assert_eq!(st.count, sql.rows.len(), "{text}");
        assert_eq!(
            app.svc.roster_count_capped(kind, &q, 100_000).unwrap(),
            (st.count, false)
        );
        let shown = st.visible(st.count.min(5));
        for (abs, cells, _) in shown {
            assert_eq!(cells, &sql.rows[abs], "{text}");
        }
    }
}

#[test]
fn paging_moves_the_selection_and_loads_only_a_window() {
    let mut app = demo_app();
    act(&mut app, [Action::Resize(80, 24), Action::GoTab(1)]);
    let rows = app.roster_rows(1);
    let st = &app.rosters[1];
    let total = st.count;
    assert!(st.page.rows.len() <= (rows * WINDOW_SCREENS).max(MIN_WINDOW));
    assert_eq!(st.visible(rows).len(), rows);
    act(&mut app, [Action::Down, Action::Down]);
    assert_eq!(app.rosters[1].selected, 2);
    update(&mut app, Action::PageDown);
    assert_eq!(app.rosters[1].selected, 2 + rows);
    assert!(app.rosters[1].offset > 0);
    update(&mut app, Action::Bottom);
    let st = &app.rosters[1];
    assert_eq!(st.selected, total - 1);
    assert_eq!(st.offset + rows, total, "the last screen is full");
    assert!(st.selected_row().is_some());
    act(&mut app, [Action::Top, Action::Up]);
    assert_eq!(app.rosters[1].selected, 0);
    assert_eq!(app.rosters[1].offset, 0);
    act(&mut app, [Action::ScrollDown]);
    assert_eq!(app.rosters[1].selected, 3);
}

#[test]
fn a_long_list_is_read_in_windows_and_backwards_near_its_end() {
    let mut app = demo_app();
    act(&mut app, [Action::Resize(80, 10), Action::GoTab(1)]);
    // The first pause builds the search index.
    update(&mut app, Action::Idle);
    let rows = app.roster_rows(1);
    let total = app.rosters[1].count;
    let want = (rows * WINDOW_SCREENS).max(MIN_WINDOW);
    assert!(want < total, "the demo roster is longer than a window here");
    assert_eq!(app.rosters[1].page.rows.len(), want, "a window, not the roster");
    // Paging inside the window reads nothing; nearing its edge, the idle action reads ahead.
    update(&mut app, Action::PageDown);
    assert_eq!(app.rosters[1].window, 0);
    while !app.wants_idle() {
        update(&mut app, Action::PageDown);
    }
    update(&mut app, Action::Idle);
    let st = &app.rosters[1];
    assert!(st.window > 0 && st.covers(st.offset, rows) && !app.wants_idle());
    // The end: read backwards from the last row, the same rows as reading forwards.
    update(&mut app, Action::Bottom);
    let st = &app.rosters[1];
    assert_eq!(st.window + st.page.rows.len(), total);
    assert_eq!(st.offset + rows, total);
    let q = choucha::app::rosters::PageQuery {
        offset: st.window,
        limit: st.page.rows.len(),
        ..Default::default()
    };
    let forward = app
        .svc
        .roster_page(choucha::app::rosters::RosterKind::Institutions, &q)
        .unwrap();
    assert_eq!(forward.rows, st.page.rows);
    assert_eq!(forward.active, st.page.active);
    // Every row on the way back up is the one a forward read gives.
    for _ in 0..total {
        update(&mut app, Action::Up);
        let st = &app.rosters[1];
        assert!(st.selected_row().is_some(), "row {} not loaded", st.selected);
    }
    assert_eq!(app.rosters[1].selected, 0);
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
fn the_announcement_is_offered_with_the_digest_after_the_freeze() {
    let mut app = demo_app();
    act(&mut app, [Action::GoTab(3), Action::Freeze, Action::Confirm]);
    let Some(Popup::Digest { digest, .. }) = app.popup.clone() else {
        panic!("no digest popup: {:?}", app.status)
    };
    update(&mut app, Action::ExportAnnouncement);
    let Some(Popup::Path(p)) = &mut app.popup else {
        panic!("{:?}", app.popup)
    };
    assert_eq!(p.field.text, "announcement-plan-1.html");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("公告.html");
    p.field.set(file.display().to_string());
    update(&mut app, Action::Submit);
    assert!(app.popup.is_none(), "{:?}", app.popup);
    let status = app.status.as_ref().unwrap();
    assert!(
        !status.error && status.text.contains("抽查计划公告"),
        "{:?}",
        app.status
    );
    let html = std::fs::read_to_string(&file).unwrap();
    assert!(html.contains("抽查计划公告") && html.contains(&digest[..8]), "{html}");
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
    let Some(Popup::Digest { lines: at_freeze, .. }) = app.popup.clone() else {
        unreachable!()
    };
    update(&mut app, Action::Cancel);
    // Shown again later: the same counts, in words, under who froze the plan and when.
    update(&mut app, Action::ShowDigest);
    let Some(Popup::Digest { lines, .. }) = &app.popup else {
        panic!("no digest popup")
    };
    assert_eq!(lines[1..], at_freeze[..], "{lines:?}");
    assert!(lines[1].starts_with("纳入抽取：机构"), "{lines:?}");
    update(&mut app, Action::Cancel);
    update(&mut app, Action::Draw);
    assert_eq!(app.mode(), Mode::Input);
    type_text(&mut app, "36 51 02");
    // The first Enter only shows the seed back for checking: nothing is drawn yet.
    update(&mut app, Action::Submit);
    let Some(Popup::Draw(p)) = &app.popup else {
        panic!("{:?}", app.popup)
    };
    assert!(p.confirming && p.error.is_none());
    assert_eq!(app.plans.list[0].status, PlanStatus::Frozen);
    // An edit takes the confirmation back; the seed must be confirmed as it finally stands.
    type_text(&mut app, "x");
    update(&mut app, Action::Backspace);
    let Some(Popup::Draw(p)) = &app.popup else { panic!() };
    assert!(!p.confirming);
    act(&mut app, [Action::Submit, Action::Submit]);
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
    act(&mut app, [Action::Submit, Action::Submit]);
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
    // Text that is not TOML (yet): the preview keeps the last readable rates, marked so, and
    // a refused save says so on one line.
    act(&mut app, [Action::LineEnd, Action::Char('"')]);
    let ed = app.editor.as_ref().unwrap();
    assert!(ed.preview.unreadable && ed.preview.error.is_some());
    assert_eq!(ed.preview.rates[0], Some(400), "not the default 5%");
    assert!(render(&mut app, 100, 30).contains("比例按上次可读的内容"));
    update(&mut app, Action::Save);
    let status = app.status.clone().unwrap();
    assert!(
        status.error && !status.text.contains('\n') && status.text.starts_with("未保存"),
        "{status:?}"
    );
    act(
        &mut app,
        [
            Action::Backspace,
            Action::Left,
            Action::Left,
            Action::Backspace,
            Action::Char('6'),
        ],
    );
    assert!(!app.editor.as_ref().unwrap().preview.unreadable);
    // F1 opens the help over the editor (`?` is text there); closing it returns to the editor.
    update(&mut app, Action::Help);
    assert_eq!(app.mode(), Mode::Help);
    update(&mut app, Action::Cancel);
    assert_eq!(app.mode(), Mode::Editor);
    update(&mut app, Action::Save);
    assert!(app.editor.is_none(), "{:?}", app.status);
    assert_eq!(app.plans.list.len(), 2);
    assert_eq!(app.selected_plan().unwrap().status, PlanStatus::Draft);
    // Editing again opens the file as written, comments and all.
    update(&mut app, Action::EditPlan);
    let ed = app.editor.as_ref().unwrap();
    let template: Vec<&str> = choucha::app::demo::DEMO_PLAN.trim_end().lines().collect();
    assert_eq!(ed.area.lines.len(), template.len());
    assert_eq!(ed.area.lines[row], "A = \"6%\"");
    assert!(ed.area.lines.iter().any(|l| l.contains("# 空 = 全部区县")));
    // Esc on unsaved changes asks once more.
    act(&mut app, [Action::Char('#'), Action::Cancel]);
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
    let before = app.rosters[0].count;
    act(&mut app, [Action::Deactivate, Action::Confirm]);
    assert_eq!(app.rosters[0].count, before - 1);
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
    assert_eq!(app.rosters[0].count, r_count(&app));

    // A file that does not exist: the reason, and no counts of rows that were never read.
    update(&mut app, Action::Import);
    update(&mut app, Action::Paste(format!("{}/不存在.csv", dir.path().display())));
    update(&mut app, Action::Submit);
    let screen = render(&mut app, 80, 24);
    assert!(matches!(app.popup, Some(Popup::ImportReview(_))), "{screen}");
    assert!(
        screen.contains("错误 1 条") && screen.contains("不存在.csv"),
        "{screen}"
    );
    assert!(!screen.contains("数据行 0"), "{screen}");
}

fn r_count(app: &App) -> usize {
    app.svc.roster_counts().unwrap().2
}

#[test]
fn mouse_clicks_tabs_and_rows() {
    let mut app = demo_app();
    update(&mut app, Action::Resize(80, 24));
    let ranges = choucha::tui::view::layout::tab_ranges(Lang::Zh, 80);
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

// ---------------------------------------------------------------- results

/// The demo plan, frozen and drawn with a typed seed; the tasks tab shows.
fn drawn_app() -> App {
    let mut app = demo_app();
    freeze_and_draw(&mut app, "36 51 02");
    assert_eq!(app.tab, Tab::Tasks);
    app
}

fn form(app: &App) -> &ResultForm {
    app.result_form.as_ref().expect("the results form is open")
}

/// Moves the focus of the results form to `slot` with Tab.
fn tab_to(app: &mut App, slot: Slot) {
    for _ in 0..200 {
        if form(app).focused() == slot {
            return;
        }
        update(app, Action::NextField);
    }
    panic!("no input {slot:?}");
}

/// Records a complete result for the selected task through the form, with keys only.
fn record_violation(app: &mut App) {
    let rules = app.svc.result_rules();
    update(app, Action::RecordResult);
    assert_eq!(app.mode(), Mode::ResultForm);
    // Ctrl-O on a date fills in today.
    update(app, Action::Pick);
    assert_eq!(form(app).main[0].text, "2026-03-02");
    // The category from the list of allowed values.
    tab_to(app, Slot::Main(2));
    update(app, Action::Pick);
    assert_eq!(app.mode(), Mode::Pick);
    act(app, [Action::Down, Action::Submit]);
    assert_eq!(form(app).main[2].text, rules.categories[1]);
    // Two measures, ticked with Space.
    tab_to(app, Slot::Main(3));
    update(app, Action::Pick);
    let at = |m: &str| rules.measures.iter().position(|x| x == m).unwrap();
    for m in ["责令改正", "追回"] {
        let Some(Popup::Pick(p)) = &app.popup else { panic!() };
        let from = p.selected;
        for _ in from..at(m) {
            update(app, Action::Down);
        }
        update(app, Action::Toggle);
    }
    update(app, Action::Submit);
    assert_eq!(form(app).main[3].text, "责令改正、追回");
    tab_to(app, Slot::Main(4));
    type_text(app, "1234.5");
    tab_to(app, Slot::Main(6));
    type_text(app, "2026-04-30");
    // A finding: its item chosen, a description typed in Chinese, an amount.
    update(app, Action::AddFinding);
    assert_eq!(form(app).focused(), Slot::Finding(0, 1));
    act(app, [Action::Pick, Action::Submit]);
    assert!(!form(app).findings[0][1].text.is_empty());
    update(app, Action::NextField);
    type_text(app, "将自费药品串换为医保目录内药品");
    update(app, Action::NextField);
    type_text(app, "1234.50");
    // Points for a person, for that finding.
    update(app, Action::AddPoints);
    assert_eq!(form(app).points[0][0].text, "1");
    type_text(app, "张三");
    update(app, Action::NextField);
    type_text(app, "医师");
    tab_to(app, Slot::Points(0, 4));
    type_text(app, "3");
    update(app, Action::Save);
    assert!(
        app.result_form.is_none(),
        "{:?} {:?}",
        app.status,
        app.result_form.as_ref().map(|f| &f.issues)
    );
}

#[test]
fn results_form_refuses_then_records_a_result() {
    let mut app = drawn_app();
    assert!(app.tasks.results);
    assert!(app.tasks.lines[0].category().is_none());
    // Saving an empty form is refused; the problems sit under their inputs.
    update(&mut app, Action::RecordResult);
    update(&mut app, Action::Save);
    let f = form(&app);
    assert!(!f.issues.is_empty());
    assert!(f.has_issue(Slot::Main(0)) && f.has_issue(Slot::Main(2)));
    assert_eq!(f.focused(), Slot::Main(0), "the focus goes to the first problem");
    assert!(app.status.as_ref().unwrap().error);
    // Typing into an input clears its problem.
    type_text(&mut app, "2026-03-02");
    assert!(!form(&app).has_issue(Slot::Main(0)));
    act(&mut app, [Action::Cancel, Action::Confirm]);
    assert!(app.result_form.is_none());

    record_violation(&mut app);
    let line = &app.tasks.lines[0];
    assert_eq!(line.category(), Some("发现问题已责令整改"));
    assert!(line.result.as_ref().unwrap().publication_due.is_some());
    assert!(!line.overdue());
    let r = app.svc.task_result(1, 1).unwrap().unwrap();
    assert_eq!(r.recovered_fen, 123_450);
    assert_eq!(r.findings.len(), 1);
    assert_eq!(r.findings[0].description, "将自费药品串换为医保目录内药品");
    assert_eq!((r.points[0].name.as_str(), r.points[0].points), ("张三", 3));

    // Opening it again shows the stored text; Esc without changes just closes.
    update(&mut app, Action::RecordResult);
    let f = form(&app);
    assert!(f.existing && !f.dirty());
    assert_eq!(f.main[2].text, "发现问题已责令整改");
    update(&mut app, Action::Cancel);
    assert!(app.result_form.is_none() && app.popup.is_none());
    // With a change, Esc asks first; n goes back to the form.
    act(&mut app, [Action::RecordResult, Action::Char('x'), Action::Cancel]);
    assert!(matches!(app.popup, Some(Popup::Confirm(ConfirmKind::DiscardResult))));
    update(&mut app, Action::Cancel);
    assert_eq!(app.mode(), Mode::ResultForm);
    act(&mut app, [Action::Cancel, Action::Confirm]);
    assert!(app.result_form.is_none());
    assert_eq!(app.svc.task_result(1, 1).unwrap().unwrap(), r, "nothing was saved");
}

#[test]
fn results_form_rows_add_and_remove() {
    let mut app = drawn_app();
    act(&mut app, [Action::RecordResult, Action::RemoveRow]);
    assert!(app.status.as_ref().unwrap().error, "no row to remove in the main part");
    act(&mut app, [Action::AddFinding, Action::AddFinding, Action::AddPoints]);
    let f = form(&app);
    assert_eq!((f.findings.len(), f.points.len()), (2, 1));
    assert_eq!(
        f.points[0][0].text, "2",
        "the points row names the finding it was added from"
    );
    update(&mut app, Action::RemoveRow);
    assert!(form(&app).points.is_empty());
    act(&mut app, [Action::PageUp, Action::RemoveRow]);
    assert_eq!(form(&app).findings.len(), 1);
    // PgUp / PgDn move by part.
    act(
        &mut app,
        [Action::PageUp, Action::PageUp, Action::PageUp, Action::PageUp],
    );
    assert_eq!(form(&app).focused(), Slot::Main(0));
    update(&mut app, Action::PageDown);
    assert_eq!(form(&app).focused(), Slot::Item(0));
}

/// The status line's text.
fn status(app: &App) -> String {
    app.status.as_ref().map(|s| s.text.clone()).unwrap_or_default()
}

#[test]
fn results_form_checks_an_input_when_the_focus_leaves_it() {
    let mut app = drawn_app();
    update(&mut app, Action::RecordResult);
    // A fresh form is not red: the focus has left nothing yet.
    assert!(form(&app).issues.is_empty());
    assert!(!render(&mut app, 80, 24).contains('↑'));
    tab_to(&mut app, Slot::Main(4));
    type_text(&mut app, "abc");
    assert!(!form(&app).has_issue(Slot::Main(4)), "not while typing");
    update(&mut app, Action::NextField);
    let f = form(&app);
    let recovered = f.issues.iter().find(|i| f.slot_of(i) == Some(Slot::Main(4)));
    assert!(
        matches!(recovered.map(|i| &i.problem), Some(Problem::Money { value, .. }) if value == "abc"),
        "{:?}",
        f.issues
    );
    // Only the inputs left so far: the empty date and category, not the fine the focus is on
    // nor anything below it.
    assert!(f.has_issue(Slot::Main(0)) && f.has_issue(Slot::Main(2)));
    let slots: Vec<Slot> = f.issues.iter().filter_map(|i| f.slot_of(i)).collect();
    assert!(slots.iter().all(|s| matches!(s, Slot::Main(k) if *k <= 4)), "{slots:?}");
    let screen = render(&mut app, 80, 24);
    let lines: Vec<&str> = screen.lines().collect();
    let at = lines.iter().position(|l| l.contains("追回金额")).unwrap();
    assert!(lines[at + 1].contains("↑ “abc”：不是有效金额"), "{screen}");
    assert!(!status(&app).contains("处问题"), "no count before a save");
    insta::assert_snapshot!("result_form_left_field", screen);
    // Emptied and left again, the amount is fine; the date is still missing.
    update(&mut app, Action::PrevField);
    act(&mut app, [Action::Backspace, Action::Backspace, Action::Backspace]);
    update(&mut app, Action::NextField);
    assert!(!form(&app).has_issue(Slot::Main(4)));
    assert!(form(&app).has_issue(Slot::Main(0)));
}

#[test]
fn results_form_counts_problems_as_they_are_fixed_after_a_refused_save() {
    let mut app = drawn_app();
    update(&mut app, Action::RecordResult);
    tab_to(&mut app, Slot::Main(4));
    type_text(&mut app, "abc");
    update(&mut app, Action::NextField);
    type_text(&mut app, "x");
    update(&mut app, Action::Save);
    // No date, no category, two bad amounts.
    assert_eq!(form(&app).issues.len(), 4, "{:?}", form(&app).issues);
    assert!(status(&app).starts_with("有 4 处问题"), "{}", status(&app));
    // Every edit checks again: the date from Ctrl-O, the category from the list, the amount
    // one key at a time.
    assert_eq!(form(&app).focused(), Slot::Main(0));
    update(&mut app, Action::Pick);
    assert!(status(&app).starts_with("有 3 处问题"), "{}", status(&app));
    tab_to(&mut app, Slot::Main(2));
    act(&mut app, [Action::Pick, Action::Submit]);
    assert_eq!(form(&app).main[2].text, "未发现问题");
    assert!(status(&app).starts_with("有 2 处问题"), "{}", status(&app));
    tab_to(&mut app, Slot::Main(4));
    update(&mut app, Action::Backspace);
    assert!(status(&app).starts_with("有 2 处问题"), "“ab” is no amount either");
    act(&mut app, [Action::Backspace, Action::Backspace]);
    assert!(status(&app).starts_with("有 1 处问题"), "{}", status(&app));
    let screen = render(&mut app, 80, 24);
    assert!(screen.contains("有 1 处问题"), "{screen}");
    assert!(!form(&app).has_issue(Slot::Main(0)) && form(&app).has_issue(Slot::Main(5)));
    // The last one fixed, the count goes.
    tab_to(&mut app, Slot::Main(5));
    update(&mut app, Action::Backspace);
    assert!(form(&app).issues.is_empty());
    let st = app.status.as_ref().unwrap();
    assert!(!st.error && !st.text.contains("处问题"), "{}", st.text);
    let screen = render(&mut app, 80, 24);
    assert!(!screen.contains('↑') && !screen.contains("处问题"), "{screen}");
    // A new mistake counts again; undone, the form saves.
    type_text(&mut app, "y");
    assert!(status(&app).starts_with("有 1 处问题"), "{}", status(&app));
    act(&mut app, [Action::Backspace, Action::Save]);
    assert!(app.result_form.is_none(), "{}", status(&app));
    assert_eq!(app.tasks.lines[0].category(), Some("未发现问题"));
}

#[test]
fn results_form_footer_shows_every_shortcut_at_80_columns() {
    for lang in [Lang::Zh, Lang::En] {
        let mut app = App::new(demo_svc(lang));
        app.color = false;
        freeze_and_draw(&mut app, "36 51 02");
        update(&mut app, Action::RecordResult);
        let screen = render(&mut app, 80, 24);
        let footer = screen.lines().last().unwrap();
        for k in ["Ctrl-S", "Esc", "Ctrl-O", "Ctrl-F", "Ctrl-P"] {
            assert!(footer.contains(k), "{lang:?} footer lacks {k}: {footer}");
        }
        // F1 opens the help of the form, with the full words; Esc goes back to the form.
        update(&mut app, Action::Help);
        assert_eq!(app.mode(), Mode::Help);
        let screen = render(&mut app, 80, 24);
        for words in [
            lang.pick("选择可用值/填今天", "choose a value / today"),
            lang.pick("新增记分", "add points"),
            lang.pick("删除所在行", "remove the row"),
        ] {
            assert!(screen.contains(words), "{lang:?} help lacks {words}: {screen}");
        }
        update(&mut app, Action::Cancel);
        assert_eq!(app.mode(), Mode::ResultForm);
    }
}

#[test]
fn results_are_refused_before_the_draw() {
    let mut app = demo_app();
    update(&mut app, Action::GoTab(4));
    update(&mut app, Action::RecordResult);
    assert!(app.result_form.is_none());
    assert!(app.status.as_ref().unwrap().error);
}

/// Moves the clock of the app's service.
fn set_clock(app: &mut App, y: i32, m: u32, d: u32) {
    let placeholder = Service::in_memory().unwrap();
    let svc = std::mem::replace(&mut app.svc, placeholder);
    app.svc = svc.with_clock(Clock::Fixed(
        chrono::NaiveDate::from_ymd_opt(y, m, d)
            .unwrap()
            .and_hms_opt(9, 0, 0)
            .unwrap(),
    ));
}

#[test]
fn overdue_rectifications_and_publications_stand_out() {
    let mut app = drawn_app();
    record_violation(&mut app);
    set_clock(&mut app, 2026, 6, 1);
    app.load_tasks();
    let line = &app.tasks.lines[0];
    assert!(line.rectification_overdue && line.publication_overdue);
    assert!(!app.tasks.lines[1].overdue());
    // Row 2 of the list (row 1 is selected): the overdue cells are red, or bold without colour.
    update(&mut app, Action::Down);
    for color in [false, true] {
        app.color = color;
        let buf = render_buffer(&mut app, 120, 30);
        let row = (0..30).find(|&y| line_text(&buf, y).contains("!整改逾期")).unwrap();
        let x = (0..120).find(|&x| buf[(x, row)].symbol() == "!").unwrap();
        let cell = &buf[(x, row)];
        if color {
            assert_eq!(cell.fg, ratatui::style::Color::Red);
        } else {
            assert!(cell.modifier.contains(ratatui::style::Modifier::BOLD));
        }
        assert!(line_text(&buf, row).contains("逾期"));
    }
    // The follow-up list names both, and the statistics count the overdue rectification.
    update(&mut app, Action::ShowFollowup);
    let Some(Popup::Followup { data, .. }) = &app.popup else {
        panic!("{:?}", app.status)
    };
    assert!(data.rectifications.iter().any(|r| r.overdue()));
    assert!(data.publications.iter().any(|p| p.overdue()));
    update(&mut app, Action::Cancel);
    update(&mut app, Action::GoTab(5));
    let r = app.stats.results.as_ref().unwrap();
    assert_eq!((r.rectifications_open, r.rectifications_overdue), (1, 1));
    assert_eq!(r.recovered_fen, 123_450);
    let screen = render(&mut app, 80, 24);
    assert!(screen.contains("1,234.50 元"), "{screen}");
}

/// Gives the points of task `k`'s first points row a person code and a value.
fn set_points(app: &mut App, k: usize, code: &str, points: &str) {
    app.tasks.selected = k;
    update(app, Action::RecordResult);
    tab_to(app, Slot::Points(0, 3));
    type_text(app, code);
    update(app, Action::NextField);
    update(app, Action::Backspace);
    type_text(app, points);
    update(app, Action::Save);
    assert!(app.result_form.is_none(), "{:?}", app.status);
}

#[test]
fn flagged_persons_show_in_the_follow_up() {
    let mut app = drawn_app();
    record_violation(&mut app);
    // The same person (by 人员编码) at two institutions: 3 + 9 = 12 points ends his 医保支付资格.
    update(&mut app, Action::Down);
    record_violation(&mut app);
    set_points(&mut app, 0, "YS0001", "3");
    set_points(&mut app, 1, "YS0001", "9");
    update(&mut app, Action::ShowFollowup);
    let Some(Popup::Followup { data, .. }) = &app.popup else {
        panic!()
    };
    assert_eq!(data.flagged_persons.len(), 1);
    assert_eq!(data.flagged_persons[0].total, 12);
    let screen = render(&mut app, 80, 24);
    assert!(screen.contains("张三"), "{screen}");
}

#[test]
fn disclosure_task_sheet_and_results_import() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = drawn_app();
    // Nothing recorded yet: the export is refused inside the path popup.
    update(&mut app, Action::ExportDisclosure);
    let Some(Popup::Path(p)) = &app.popup else { panic!() };
    assert_eq!(p.field.text, "disclosure-plan-1.xlsx");
    update(&mut app, Action::Cancel);
    record_violation(&mut app);
    for ext in ["xlsx", "csv", "json", "html"] {
        let path = dir.path().join(format!("public.{ext}"));
        update(&mut app, Action::ExportDisclosure);
        let Some(Popup::Path(p)) = &mut app.popup else { panic!() };
        p.field.set(path.display().to_string());
        update(&mut app, Action::Submit);
        let Some(Popup::Message {
            lines, error: false, ..
        }) = &app.popup
        else {
            panic!("{:?}", app.popup)
        };
        assert!(lines.iter().any(|l| l.contains("审计日志第")), "{lines:?}");
        if ext == "html" {
            let screen = render(&mut app, 80, 24);
            assert!(
                screen.contains("已导出结果公示") && screen.contains("格式 html"),
                "{screen}"
            );
        }
        update(&mut app, Action::Submit);
        assert!(app.popup.is_none(), "Enter closes the message");
        assert!(path.exists(), "{ext}");
    }
    assert!(app.status.as_ref().unwrap().text.contains("公示"));
    assert!(
        app.tasks.lines[0]
            .result
            .as_ref()
            .unwrap()
            .stored
            .as_ref()
            .unwrap()
            .disclosed_at
            .is_some()
    );

    // The task sheet, filled in by the "inspector" with a result for task 2, imported back.
    let sheet = dir.path().join("tasks.csv");
    update(&mut app, Action::ExportTaskSheet);
    let Some(Popup::Path(p)) = &mut app.popup else { panic!() };
    assert_eq!(p.field.text, "tasks-plan-1.xlsx");
    p.field.set(sheet.display().to_string());
    update(&mut app, Action::Submit);
    assert!(app.popup.is_none(), "{:?}", app.popup);
    let mut rows: Vec<Vec<String>> = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_path(&sheet)
        .unwrap()
        .records()
        .map(|r| {
            r.unwrap()
                .iter()
                .map(|c| c.trim_start_matches('\u{feff}').to_string())
                .collect()
        })
        .collect();
    let col = |h: &str| rows[0].iter().position(|x| x == h).unwrap();
    let (seq, date, cat) = (col("任务序号"), col("检查日期"), col("检查结果"));
    // A CSV sheet has no findings: task 1's row (with findings) is left blank, so it stays.
    let main: Vec<usize> = Field::MAIN
        .iter()
        .filter_map(|f| rows[0].iter().position(|x| x == f.zh()))
        .collect();
    for row in rows.iter_mut().skip(1) {
        for &c in &main {
            if let Some(cell) = row.get_mut(c) {
                cell.clear();
            }
        }
    }
    let r = rows.iter().position(|r| r.get(seq).is_some_and(|s| s == "2")).unwrap();
    rows[r][date] = "2026-03-02".into();
    rows[r][cat] = "未发现问题".into();
    let mut w = csv::Writer::from_path(&sheet).unwrap();
    for row in &rows {
        w.write_record(row).unwrap();
    }
    w.flush().unwrap();

    update(&mut app, Action::ImportResults);
    let Some(Popup::Path(p)) = &mut app.popup else { panic!() };
    p.field.set(sheet.display().to_string());
    update(&mut app, Action::Submit);
    let Some(Popup::ResultImport(r)) = &app.popup else {
        panic!("{:?}", app.popup)
    };
    assert!(r.outcome.errors.is_empty(), "{:?}", r.outcome.errors);
    assert!(!r.outcome.committed);
    assert_eq!(r.outcome.added, 1);
    assert!(app.tasks.lines[1].category().is_none(), "a dry run writes nothing");
    let screen = render(&mut app, 80, 24);
    assert!(
        screen.contains("检查结果导入预检") && screen.contains("新增 1") && screen.contains("按 Enter 写入"),
        "{screen}"
    );
    update(&mut app, Action::Submit);
    assert!(app.popup.is_none());
    assert_eq!(app.tasks.lines[1].category(), Some("未发现问题"));
}

#[test]
fn clear_a_result_with_a_reason() {
    let mut app = drawn_app();
    record_violation(&mut app);
    update(&mut app, Action::ClearResult);
    update(&mut app, Action::Submit);
    let Some(Popup::Replace(p)) = &app.popup else { panic!() };
    assert!(p.error.is_some(), "a reason is required");
    type_text(&mut app, "录错机构");
    update(&mut app, Action::Submit);
    assert!(app.popup.is_none(), "{:?}", app.popup);
    assert!(app.tasks.lines[0].category().is_none());
}

// ---------------------------------------------------------------- column layout

/// The header line of a table tab: the fourth line of the screen.
fn header_line(app: &mut App, w: u16, h: u16) -> String {
    render(app, w, h).lines().nth(3).unwrap().to_string()
}

#[test]
fn roster_columns_stay_put_while_paging() {
    let mut app = demo_app();
    for tab in [0, 1, 2] {
        update(&mut app, Action::GoTab(tab));
        for (w, h) in [(80, 24), (100, 30), (132, 43)] {
            let home = header_line(&mut app, w, h);
            assert!(!home.contains('…'), "no header is cut: {home}");
            for a in [
                Action::PageDown,
                Action::PageDown,
                Action::Bottom,
                Action::PageUp,
                Action::Top,
            ] {
                update(&mut app, a.clone());
                assert_eq!(header_line(&mut app, w, h), home, "tab {tab} at {w}x{h} after {a:?}");
            }
        }
    }
}

#[test]
fn roster_columns_stay_put_when_nothing_matches() {
    let mut app = demo_app();
    update(&mut app, Action::GoTab(1));
    for (w, h) in [(80, 24), (100, 30), (132, 43)] {
        act(&mut app, [Action::Cancel, Action::StartFilter]);
        let all = header_line(&mut app, w, h);
        type_text(&mut app, "药房");
        let some = header_line(&mut app, w, h);
        let screen = render(&mut app, w, h);
        assert!(screen.contains("临江百草堂大药房"), "{screen}");
        type_text(&mut app, "不存在的机构");
        let none = render(&mut app, w, h);
        assert!(none.contains("没有符合筛选的记录"), "{none}");
        assert_eq!(none.lines().nth(3).unwrap(), some, "at {w}x{h}");
        assert_eq!(some, all, "at {w}x{h}");
    }
}

#[test]
fn task_columns_stay_put_when_results_are_recorded_and_published() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = drawn_app();
    let sizes = [(80, 24), (100, 30), (132, 43)];
    let before: Vec<String> = sizes.iter().map(|&(w, h)| header_line(&mut app, w, h)).collect();
    assert!(before[0].contains("机构编码"), "{}", before[0]);
    assert!(
        before[1].contains("机构编码") && before[1].contains("检查组"),
        "{}",
        before[1]
    );
    record_violation(&mut app);
    let after: Vec<String> = sizes.iter().map(|&(w, h)| header_line(&mut app, w, h)).collect();
    assert_eq!(after, before, "a result recorded");
    let path = dir.path().join("public.csv");
    update(&mut app, Action::ExportDisclosure);
    let Some(Popup::Path(p)) = &mut app.popup else { panic!() };
    p.field.set(path.display().to_string());
    act(&mut app, [Action::Submit, Action::Submit]);
    assert!(app.popup.is_none(), "{:?}", app.popup);
    let published: Vec<String> = sizes.iter().map(|&(w, h)| header_line(&mut app, w, h)).collect();
    assert_eq!(published, before, "a result published");
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
    insta::assert_snapshot!("draw_popup_confirm", render(&mut app, 80, 24));
    update(&mut app, Action::Submit);
    insta::assert_snapshot!("tab5_tasks", render(&mut app, 80, 24));
    update(&mut app, Action::GoTab(3));
    insta::assert_snapshot!("tab4_plans_drawn", render(&mut app, 80, 24));
    update(&mut app, Action::GoTab(5));
    insta::assert_snapshot!("tab6_stats", render(&mut app, 80, 24));
}

#[test]
fn snapshot_results() {
    let mut app = drawn_app();
    update(&mut app, Action::RecordResult);
    insta::assert_snapshot!("result_form_blank", render(&mut app, 80, 24));
    update(&mut app, Action::Save);
    insta::assert_snapshot!("result_form_errors", render(&mut app, 80, 24));
    act(&mut app, [Action::Cancel, Action::Confirm]);
    record_violation(&mut app);
    act(&mut app, [Action::RecordResult, Action::PageDown, Action::PageDown]);
    insta::assert_snapshot!("result_form_findings", render(&mut app, 80, 24));
    update(&mut app, Action::Cancel);
    update(&mut app, Action::ToggleDetail);
    insta::assert_snapshot!("tab5_tasks_results", render(&mut app, 100, 30));
    set_clock(&mut app, 2026, 6, 1);
    app.load_tasks();
    update(&mut app, Action::ShowFollowup);
    insta::assert_snapshot!("followup", render(&mut app, 80, 24));
    update(&mut app, Action::Cancel);
    update(&mut app, Action::GoTab(5));
    insta::assert_snapshot!("tab6_stats_results", render(&mut app, 120, 30));
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
fn results_screens_render_at_odd_sizes_without_panicking() {
    let mut app = drawn_app();
    record_violation(&mut app);
    set_clock(&mut app, 2026, 6, 1);
    app.load_tasks();
    let mut screens: Vec<Vec<Action>> = vec![
        vec![Action::RecordResult, Action::Save],
        vec![Action::RecordResult, Action::PageDown, Action::PageDown, Action::Pick],
        vec![
            Action::RecordResult,
            Action::NextField,
            Action::NextField,
            Action::NextField,
            Action::Pick,
        ],
        vec![Action::ShowFollowup],
        vec![Action::ClearResult],
        vec![Action::ExportDisclosure],
        vec![Action::GoTab(5)],
    ];
    for steps in screens.drain(..) {
        for (w, h) in [(20, 5), (40, 10), (80, 24), (132, 43)] {
            act(&mut app, steps.clone());
            let s = render(&mut app, w, h);
            assert_eq!(s.lines().count(), h as usize);
            assert!(s.lines().all(|l| UnicodeWidthStr::width(l) <= w as usize));
            app.popup = None;
            app.result_form = None;
            update(&mut app, Action::GoTab(4));
        }
    }
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

#[test]
fn a_narrow_terminal_gets_short_tab_titles_and_a_tiny_one_a_request() {
    let mut app = demo_app();
    let full = render(&mut app, 80, 24);
    assert!(full.lines().next().unwrap().contains("6 统计") && full.contains("1 事项清单"));
    let narrow = render(&mut app, 64, 20);
    let tabs = narrow.lines().next().unwrap();
    assert!(
        tabs.contains("1 事项") && tabs.contains("6 统计") && !tabs.contains("事项清单"),
        "{tabs}"
    );
    // Clicks follow the short titles.
    let x = choucha::tui::view::layout::tab_ranges(Lang::Zh, 64)[4].0 + 1;
    update(&mut app, Action::Click { x, y: 0 });
    assert_eq!(app.tab, Tab::Tasks);
    let tiny = render(&mut app, 50, 12);
    assert!(tiny.contains("终端窗口太小（50×12）"), "{tiny}");
}
