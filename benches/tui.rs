//! The terminal UI on a 1,000,000-institution database (figures go into README.md):
//!
//! - first frame: from opening the database to the first rendered frame on the institutions tab;
//! - the first pause on the institutions tab, which builds the in-memory search index;
//! - a filter keystroke: the `Action` for one typed character, the query it causes and the redraw
//!   (a broad filter, a narrower one, one matching 10 rows and one matching none);
//! - the search index itself: build time, size, and a search over its 1,000,000 lines;
//! - page-down (near the top and deep in the list) and the jump to the last row;
//! - the peak RSS of the process (VmHWM).
//!
//! Rendering is into a 120×40 `TestBackend`. The database is built once (CSV → `import_roster`)
//! and kept in `CHOUCHA_BENCH_DIR` when that is set, else in a temporary directory. The
//! measurements run in a child process so that the import does not count towards its peak RSS.
//!
//! `cargo bench --bench tui`.

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use choucha::app::Service;
use choucha::app::rosters::{ImportOptions, RosterKind};
use choucha::tui::action::Action;
use choucha::tui::app::App;
use choucha::tui::{draw, update};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use support::{N_INSTITUTIONS, median, peak_rss_mb, write_institutions};

// The same allocator as the `choucha` binary, so that the figures are the binary's.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

const SIZE: (u16, u16) = (120, 40);
/// Repetitions of each measured action; the median is reported.
const RUNS: usize = 5;

fn open(db: &Path) -> Service {
    Service::open(
        db,
        choucha::app::Config::default_config(),
        Some("bench".into()),
        choucha::i18n::Lang::Zh,
    )
    .unwrap()
}

/// Builds the database once; a marker file says that it is complete.
fn build(dir: &Path) -> PathBuf {
    let db = dir.join("tui-1m.db");
    let done = dir.join("tui-1m.db.ok");
    if db.exists() && done.exists() {
        println!("using the database in {}", dir.display());
        return db;
    }
    let _ = std::fs::remove_file(&db);
    let t = Instant::now();
    let csv = dir.join("tui-institutions.csv");
    write_institutions(&csv, N_INSTITUTIONS);
    let mut svc = open(&db);
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
    for (kind, path) in [
        (RosterKind::Items, data.join("items.csv")),
        (RosterKind::Institutions, csv.clone()),
        (RosterKind::Inspectors, data.join("inspectors.csv")),
    ] {
        let out = svc
            .import_roster(kind, &path, &ImportOptions::default(), &mut |_| {})
            .unwrap();
        assert!(out.errors.is_empty(), "{:?}", out.errors.first());
    }
    drop(svc);
    let _ = std::fs::remove_file(&csv);
    std::fs::write(&done, "").unwrap();
    println!(
        "built {N_INSTITUTIONS} institutions in {} ({:.0} s)",
        db.display(),
        t.elapsed().as_secs_f64()
    );
    db
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

struct Bench {
    app: App,
    term: Terminal<TestBackend>,
}

impl Bench {
    /// `update` with one action, then a redraw: what one key costs the user.
    fn step(&mut self, a: Action) -> f64 {
        let t = Instant::now();
        update(&mut self.app, a);
        self.term.draw(|f| draw(f, &self.app)).unwrap();
        ms(t.elapsed())
    }

    /// The screen as text (the second cell of a wide character skipped).
    fn frame(&self) -> String {
        let buf = self.term.backend().buffer();
        let mut out = String::new();
        for y in 0..buf.area.height {
            let mut skip = 0;
            for x in 0..buf.area.width {
                if skip > 0 {
                    skip -= 1;
                    continue;
                }
                let s = buf[(x, y)].symbol();
                skip = unicode_width::UnicodeWidthStr::width(s).saturating_sub(1);
                out.push_str(s);
            }
            out.push('\n');
        }
        out
    }

    /// The "第 x/y 条" part of the status line.
    fn position(&self) -> String {
        let f = self.frame();
        let line = f.lines().rev().nth(1).unwrap_or("");
        match (line.find('第'), line.find('条')) {
            (Some(a), Some(b)) if a < b => line[a..b + '条'.len_utf8()].to_string(),
            _ => line.trim().to_string(),
        }
    }

    /// What a pause in typing brings: the idle action (deferred queries, reading ahead) and
    /// the work on other threads it starts (the search index, a search's count), then a redraw.
    fn settle(&mut self) -> f64 {
        let t = Instant::now();
        loop {
            while self.app.wants_idle() {
                update(&mut self.app, Action::Idle);
            }
            if !self.app.wants_poll() {
                break;
            }
            self.poll_once();
        }
        self.term.draw(|f| draw(f, &self.app)).unwrap();
        ms(t.elapsed())
    }

    /// One look for finished background work, as the event loop does every `POLL`.
    fn poll_once(&mut self) {
        std::thread::sleep(Duration::from_millis(1));
        update(&mut self.app, Action::Poll);
    }

    /// Polls until background work is done: the time until the exact count is on screen.
    fn until_counted(&mut self) -> f64 {
        let t = Instant::now();
        while self.app.wants_poll() {
            self.poll_once();
        }
        self.term.draw(|f| draw(f, &self.app)).unwrap();
        ms(t.elapsed())
    }

    fn clear_filter(&mut self) {
        update(&mut self.app, Action::Cancel);
        update(&mut self.app, Action::StartFilter);
        self.settle();
    }
}

/// Child mode: everything measured in one process; prints the figures.
fn child(db: &Path) {
    let t = Instant::now();
    let svc = open(db);
    let open_ms = ms(t.elapsed());
    let mut app = App::new(svc);
    let new_ms = ms(t.elapsed());
    update(&mut app, Action::Resize(SIZE.0, SIZE.1));
    let mut term = Terminal::new(TestBackend::new(SIZE.0, SIZE.1)).unwrap();
    term.draw(|f| draw(f, &app)).unwrap();
    let startup = ms(t.elapsed());
    update(&mut app, Action::GoTab(1));
    term.draw(|f| draw(f, &app)).unwrap();
    let first = ms(t.elapsed());
    let mut b = Bench { app, term };
    println!("first frame of the program (it opens on the items tab): {startup:.1} ms");
    println!(
        "first frame on the institutions tab: {first:.1} ms (open {open_ms:.1}, App::new {new_ms:.1}; acceptance ≤ 200 ms) → {}",
        b.position()
    );

    let rss_before = current_rss_mb();
    let t = Instant::now();
    update(&mut b.app, Action::Idle);
    let start_build = ms(t.elapsed());
    let pause = b.settle() + start_build;
    println!("peak RSS so far {:.0} MB", peak_rss_mb());
    println!(
        "first pause on the institutions tab: starting the index build {start_build:.2} ms (on another thread: {pause:.0} ms until built), index {:.1} MB, RSS {rss_before:.0} → {:.0} MB → {}",
        b.app.svc.search_memory() as f64 / 1e6,
        current_rss_mb(),
        b.position()
    );

    println!("filter keystrokes, median of {RUNS} (acceptance ≤ 16 ms):");
    println!("  a keystroke = update + in-memory search for the first window + fetching it by code + render;");
    println!("  the count of a filter matching many rows completes on another thread (\"then counted\")");
    b.step(Action::StartFilter);
    for (label, text) in [
        ("江 then 江南 (all rows, then 10%)", "江南"),
        ("99999号 (10 rows)", "99999号"),
        ("不存在 (no row)", "不存在"),
    ] {
        let chars: Vec<char> = text.chars().collect();
        let mut per_key = vec![Vec::new(); chars.len()];
        let mut counted = vec![Vec::new(); chars.len()];
        let mut settle = Vec::new();
        let mut shown = String::new();
        let mut first_shown = String::new();
        for _ in 0..RUNS {
            b.clear_filter();
            for (k, c) in chars.iter().enumerate() {
                per_key[k].push(b.step(Action::Char(*c)));
                if k == 0 {
                    first_shown = b.position();
                }
                counted[k].push(b.until_counted());
            }
            settle.push(b.settle());
            shown = b.position();
        }
        let keys: Vec<String> = chars
            .iter()
            .zip(&per_key)
            .map(|(c, v)| format!("{c} {:.2}", median(v.clone())))
            .collect();
        let counts: Vec<String> = chars
            .iter()
            .zip(&counted)
            .map(|(c, v)| format!("{c} +{:.1}", median(v.clone())))
            .collect();
        println!("  {label:<34} keystrokes [{}] ms", keys.join(", "));
        println!(
            "  {:<34} then counted [{}] ms; first key shows {first_shown}",
            "",
            counts.join(", ")
        );
        println!(
            "  {:<34} then the query on the pause {:.1} ms → {shown}",
            "",
            median(settle)
        );
    }
    b.clear_filter();
    b.step(Action::Submit);

    println!(
        "  peak RSS so far {:.0} MB, RSS now {:.0} MB",
        peak_rss_mb(),
        current_rss_mb()
    );
    println!("paging, median of {RUNS} (update + query if any + render):");
    let (mut near, mut deep, mut bottom, mut top) = (vec![], vec![], vec![], vec![]);
    let mut worst: f64 = 0.0;
    let mut edge = vec![];
    let mut at_end = String::new();
    for _ in 0..RUNS {
        b.step(Action::Top);
        b.settle();
        near.push(b.step(Action::PageDown));
        b.settle();
        // Half-way down (the window is read around row 500,000), then one more page.
        b.app.rosters[1].selected = N_INSTITUTIONS / 2;
        b.step(Action::Down);
        b.settle();
        deep.push(b.step(Action::PageDown));
        b.settle();
        // Paging on without pauses until the window has to be read again.
        let mut worst_run: f64 = 0.0;
        for _ in 0..40 {
            worst_run = worst_run.max(b.step(Action::PageDown));
        }
        worst = worst.max(worst_run);
        edge.push(worst_run);
        bottom.push(b.step(Action::Bottom));
        at_end = b.position();
        b.settle();
        top.push(b.step(Action::Top));
        b.settle();
    }
    println!("  page-down near the top                      {:.2} ms", median(near));
    println!("  page-down at row 500,000                    {:.2} ms", median(deep));
    println!(
        "  40 page-downs without a pause: slowest      {:.1} ms (median run), {worst:.1} ms (worst run): reading the next window",
        median(edge)
    );
    println!(
        "  End (last row)                              {:.1} ms → {}",
        median(bottom),
        at_end
    );
    println!("  Home (first row)                            {:.1} ms", median(top));
    println!("peak RSS (VmHWM) {:.0} MB (acceptance ≤ 150 MB)", peak_rss_mb());
    drop(b);
    search_index(db);
    store_queries(db);
}

/// The search index on its own (after the peak RSS above: a second copy is built here).
fn search_index(db: &Path) {
    use choucha::app::search::RosterIndex;
    use choucha::domain::Institution;
    let store = choucha::store::Store::open(db).unwrap();
    let t = Instant::now();
    let idx = RosterIndex::build::<Institution>(&store.reader()).unwrap();
    println!(
        "search index: built in {:.0} ms from {} rows, {:.1} MB",
        ms(t.elapsed()),
        idx.len(),
        idx.memory() as f64 / 1e6
    );
    for words in [&["江"][..], &["江南"], &["99999号"], &["不存在"], &["江南", "99999号"]] {
        let mut v = Vec::new();
        let mut n = 0;
        for _ in 0..RUNS {
            let t = Instant::now();
            n = idx.search(words, false).len();
            v.push(ms(t.elapsed()));
        }
        println!("  search {:<16} {:>6.2} ms ({n} lines)", words.join(" "), median(v));
    }
}

/// The resident set now (VmRSS), in MB.
fn current_rss_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

/// What the same questions cost as the store could ask them (not used by the TUI: the app
/// layer has no such calls yet). Read-only, on the same database.
fn store_queries(db: &Path) {
    use rusqlite::{Connection, OpenFlags};
    let conn = Connection::open_with_flags(db, OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
    let cols = "code,name,uscc,kind,ownership,grade,region,credit,address,contact,phone,status,active";
    let filter = "(instr(code,?1)>0 OR instr(name,?1)>0 OR instr(uscc,?1)>0 OR instr(region,?1)>0)";
    let time = |sql: &str, arg: Option<&str>| -> (f64, usize) {
        let mut v = Vec::new();
        let mut n = 0;
        for _ in 0..RUNS {
            let t = Instant::now();
            let mut stmt = conn.prepare_cached(sql).unwrap();
            let mut rows = match arg {
                Some(a) => stmt.query([a]).unwrap(),
                None => stmt.query([]).unwrap(),
            };
            n = 0;
            while let Some(r) = rows.next().unwrap() {
                let _: rusqlite::types::Value = r.get(0).unwrap();
                n += 1;
            }
            v.push(ms(t.elapsed()));
        }
        (median(v), n)
    };
    println!("store queries (median of {RUNS}): the database path, for other sorts and rosters");
    let (c, _) = time("SELECT count(*) FROM institutions WHERE active=1", None);
    println!("  count(*) of the active rows (roster_page no longer pays it)      {c:.1} ms");
    for (label, word) in [
        ("江", "江"),
        ("江南", "江南"),
        ("99999号", "99999号"),
        ("不存在", "不存在"),
    ] {
        let (page, n) = time(
            &format!("SELECT {cols} FROM institutions WHERE active=1 AND {filter} ORDER BY code LIMIT 320"),
            Some(word),
        );
        let (capped, _) = time(
            &format!("SELECT count(*) FROM (SELECT 1 FROM institutions WHERE active=1 AND {filter} LIMIT 1000)"),
            Some(word),
        );
        let (exact, _) = time(
            &format!("SELECT count(*) FROM institutions WHERE active=1 AND {filter}"),
            Some(word),
        );
        println!(
            "  filter {label:<8} page without count {page:>7.1} ms ({n} rows)   count capped at 1,000 {capped:>7.1} ms   exact count {exact:>7.1} ms"
        );
    }
    let (offset, _) = time(
        &format!("SELECT {cols} FROM institutions WHERE active=1 ORDER BY code LIMIT 38 OFFSET 500000"),
        None,
    );
    let key: String = conn
        .query_row(
            "SELECT code FROM institutions WHERE active=1 ORDER BY code LIMIT 1 OFFSET 499999",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let (keyset, _) = time(
        &format!("SELECT {cols} FROM institutions WHERE active=1 AND code > ?1 ORDER BY code LIMIT 38"),
        Some(&key),
    );
    println!("  a page at row 500,000: OFFSET {offset:.1} ms, keyset (code > last) {keyset:.2} ms");
    if std::env::var_os("CHOUCHA_BENCH_FTS").is_some() {
        fts(db);
    } else {
        println!("  (CHOUCHA_BENCH_FTS=1 also builds and measures an FTS5 trigram index)");
    }
}

/// An FTS5 trigram index over the searched columns, in a database of its own.
fn fts(db: &Path) {
    use rusqlite::Connection;
    let path = db.with_file_name("tui-1m-fts.db");
    let fresh = !path.exists();
    let conn = Connection::open(&path).unwrap();
    conn.execute("ATTACH DATABASE ?1 AS main_db", [db.display().to_string()])
        .unwrap();
    if fresh {
        let t = Instant::now();
        conn.execute_batch(
            "CREATE VIRTUAL TABLE f USING fts5(code, name, uscc, region, tokenize='trigram');
             INSERT INTO f(rowid, code, name, uscc, region)
                 SELECT rowid, code, name, uscc, region FROM main_db.institutions;",
        )
        .unwrap();
        println!(
            "  FTS5 trigram index built in {:.0} s, {:.0} MB",
            t.elapsed().as_secs_f64(),
            std::fs::metadata(&path).unwrap().len() as f64 / 1e6
        );
    }
    for word in ["99999号", "不存在", "江南区"] {
        let mut v = Vec::new();
        let mut n = 0;
        for _ in 0..RUNS {
            let t = Instant::now();
            let mut stmt = conn
                .prepare_cached(
                    "SELECT i.code FROM main_db.institutions i WHERE i.rowid IN (SELECT rowid FROM f WHERE f MATCH ?1) AND i.active=1 ORDER BY i.code LIMIT 320",
                )
                .unwrap();
            let q = format!("\"{word}\"");
            n = stmt.query_map([q], |r| r.get::<_, String>(0)).unwrap().count();
            v.push(ms(t.elapsed()));
        }
        println!(
            "  FTS5 trigram MATCH {word:<8} first page {:.1} ms ({n} rows)",
            median(v)
        );
    }
}

fn main() {
    if let Ok(db) = std::env::var("CHOUCHA_TUI_BENCH_DB") {
        child(Path::new(&db));
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let dir = std::env::var_os("CHOUCHA_BENCH_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| tmp.path().to_path_buf());
    std::fs::create_dir_all(&dir).unwrap();
    let db = build(&dir);
    let status = Command::new(std::env::current_exe().unwrap())
        .env("CHOUCHA_TUI_BENCH_DB", &db)
        .status()
        .unwrap();
    assert!(status.success(), "the measuring child failed");
}
