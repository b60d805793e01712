//! The institutions filter on a database file large enough for the work the TUI does on other
//! threads: the search index is built in the background while typing goes on, and a filter that
//! matches most rows shows its first rows at once with a lower-bound count ("≥"), completed by
//! polling. Every row shown is the one the database gives.

#[path = "../benches/support/mod.rs"]
mod support;

use std::time::{Duration, Instant};

use choucha::app::Service;
use choucha::app::rosters::{ImportOptions, PageQuery, RosterKind};
use choucha::i18n::Lang;
use choucha::tui::action::Action;
use choucha::tui::app::App;
use choucha::tui::{draw, update};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

const ROWS: usize = 20_000;
const KIND: RosterKind = RosterKind::Institutions;

fn app_on_file(dir: &std::path::Path) -> App {
    let csv = dir.join("institutions.csv");
    support::write_institutions(&csv, ROWS);
    let db = dir.join("c.db");
    let mut svc = Service::open(&db, choucha::app::Config::default_config(), Some("t".into()), Lang::Zh).unwrap();
    let out = svc
        .import_roster(KIND, &csv, &ImportOptions::default(), &mut |_| {})
        .unwrap();
    assert!(out.errors.is_empty(), "{:?}", out.errors.first());
    let mut app = App::new(svc);
    app.color = false;
    app.sync_query = Duration::MAX;
    update(&mut app, Action::Resize(80, 24));
    app
}

/// The line of the screen that holds the position ("第 x/y 条").
fn status_line(app: &App) -> String {
    let mut term = Terminal::new(TestBackend::new(80, 24)).unwrap();
    term.draw(|f| draw(f, app)).unwrap();
    let buf = term.backend().buffer();
    // A wide character's second cell is skipped, so that the line reads as the terminal shows it.
    let lines: Vec<String> = (0..24u16)
        .map(|y| {
            let mut line = String::new();
            let mut x = 0;
            while x < 80 {
                let s = buf[(x, y)].symbol();
                line.push_str(s);
                x += unicode_width::UnicodeWidthStr::width(s).max(1) as u16;
            }
            line
        })
        .collect();
    lines
        .iter()
        .find(|l| l.contains('第'))
        .cloned()
        .unwrap_or_else(|| lines.join("\n"))
}

/// Polls as the event loop does until the background work is done (or a minute passes).
fn poll_until_done(app: &mut App) {
    let t = Instant::now();
    while app.wants_poll() {
        assert!(t.elapsed() < Duration::from_secs(60), "background work never finished");
        std::thread::sleep(Duration::from_millis(2));
        update(app, Action::Poll);
    }
}

/// The rows the database gives for this filter, in code order.
fn sql_rows(app: &App, filter: &str, descending: bool) -> Vec<Vec<String>> {
    let q = PageQuery {
        filter: filter.into(),
        descending,
        limit: ROWS + 1,
        ..Default::default()
    };
    app.svc.roster_page(KIND, &q).unwrap().rows
}

fn assert_shows_database_rows(app: &App, filter: &str) {
    let st = &app.rosters[1];
    let sql = sql_rows(app, filter, st.descending);
    assert!(!st.stale && !st.capped, "{filter}");
    assert_eq!(st.count, sql.len(), "{filter}");
    for (abs, cells, _) in st.visible(app.roster_rows(1)) {
        assert_eq!(cells, &sql[abs], "{filter} row {abs}");
    }
}

#[test]
fn the_index_builds_in_the_background_and_dense_filters_count_after_the_first_rows() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app_on_file(dir.path());
    update(&mut app, Action::GoTab(1));

    // The first pause starts the index on another thread; the UI does not wait for it.
    assert!(app.wants_idle());
    update(&mut app, Action::Idle);
    assert!(app.svc.roster_search_building(KIND) && app.wants_poll());
    assert!(!app.svc.roster_search_ready(KIND));

    // Typing meanwhile: the filter waits for the index rather than scanning the table.
    update(&mut app, Action::StartFilter);
    update(&mut app, Action::Char('临'));
    assert!(app.rosters[1].stale);
    assert!(
        status_line(&app).contains("第 …/… 条（正在建立检索索引）"),
        "{}",
        status_line(&app)
    );

    // The poll that brings the index runs the filter: every row matches "临", so the first
    // rows come from the first chunk of the index and the count is a lower bound...
    while !app.svc.roster_search_ready(KIND) {
        std::thread::sleep(Duration::from_millis(2));
        update(&mut app, Action::Poll);
    }
    let st = &app.rosters[1];
    assert!(!st.stale && st.capped && st.count < ROWS, "{} {}", st.count, st.capped);
    assert!(status_line(&app).contains("第 1/≥"), "{}", status_line(&app));
    let sql = sql_rows(&app, "临", false);
    for (abs, cells, _) in st.visible(app.roster_rows(1)) {
        assert_eq!(cells, &sql[abs]);
    }
    // ...until the rest, scanned on another thread, is collected.
    poll_until_done(&mut app);
    assert_shows_database_rows(&app, "临");
    assert!(
        status_line(&app).contains(&format!("第 1/{ROWS} 条")),
        "{}",
        status_line(&app)
    );

    // Another filter, then End while its count is still running: End waits for the count.
    update(&mut app, Action::Submit);
    update(&mut app, Action::ClearFilter);
    update(&mut app, Action::StartFilter);
    update(&mut app, Action::Char('江'));
    assert!(app.rosters[1].capped, "江 matches most rows");
    update(&mut app, Action::Submit);
    update(&mut app, Action::Bottom);
    let sql = sql_rows(&app, "江", false);
    let st = &app.rosters[1];
    assert!(!st.capped);
    assert_eq!(st.selected, sql.len() - 1);
    assert_eq!(st.selected_row().unwrap().0, sql.last().unwrap());
    poll_until_done(&mut app);
    assert_shows_database_rows(&app, "江");

    // A count that completes while another tab is shown is there on coming back.
    update(&mut app, Action::ClearFilter);
    update(&mut app, Action::StartFilter);
    update(&mut app, Action::Char('临'));
    update(&mut app, Action::Submit);
    assert!(app.rosters[1].capped);
    update(&mut app, Action::GoTab(0));
    poll_until_done(&mut app);
    update(&mut app, Action::GoTab(1));
    assert_shows_database_rows(&app, "临");
    update(&mut app, Action::ClearFilter);
    update(&mut app, Action::StartFilter);
    update(&mut app, Action::Char('江'));
    update(&mut app, Action::Submit);

    // Reversed code order: the first rows are found from the end of the index.
    update(&mut app, Action::ToggleSortDir);
    assert!(app.rosters[1].descending);
    update(&mut app, Action::Top);
    poll_until_done(&mut app);
    assert_shows_database_rows(&app, "江");

    // A write makes the index outdated: the next pause builds a new one in the background.
    let key = app.rosters[1].page.rows[0][0].clone();
    let mut cells = app.svc.roster_record(KIND, &key).unwrap().unwrap();
    cells[1] = "江心岛新名称诊所".into();
    app.svc.save_record(KIND, &cells).unwrap().expect("a valid record");
    assert!(!app.svc.roster_search_ready(KIND));
    update(&mut app, Action::ClearFilter);
    update(&mut app, Action::StartFilter);
    for c in "江心岛".chars() {
        update(&mut app, Action::Char(c));
    }
    poll_until_done(&mut app);
    assert!(app.svc.roster_search_ready(KIND));
    assert_shows_database_rows(&app, "江心岛");
    assert_eq!(app.rosters[1].count, 1);
}
