//! Acceptance benchmarks at full scale (figures go into README.md):
//!
//! - import: a 1,000,000-row institutions CSV with full validation, against
//!   `sqlite3 X.db '.import --csv FILE t'` on the same file; peak RSS of the import.
//! - draw: 1,000,000 institutions and 10,000 inspectors: `plan freeze`, `draw`, `verify`.
//!
//! - disclosure: that plan with every task's result recorded: `export disclosure` in each format
//!   against `export tasks` of the same plan (whole commands). `CHOUCHA_BENCH_INSTITUTIONS=N`
//!   runs it on a smaller roster.
//!
//! `cargo bench --bench scale` runs all three; `cargo bench --bench scale -- import` (or `draw`,
//! `disclosure`) one.
//! Each measured step runs in a child process so that its peak RSS is its own.

mod support;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use choucha::app::Service;
use support::{N_INSTITUTIONS, REGIONS, median, peak_rss_mb, write_institutions};

// The same allocator as the `choucha` binary, so that the figures are the binary's.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
use choucha::app::rosters::{ImportOptions, RosterKind};

const N_INSPECTORS: usize = 10_000;

fn write_inspectors(path: &Path) {
    let mut f = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    f.write_all("执法证号,姓名,所属单位,所属区县,专业,持有执法证,回避机构,联系电话,状态\n".as_bytes())
        .unwrap();
    for i in 0..N_INSPECTORS {
        let r = i % REGIONS.len();
        let exp = ["医学", "药学", "医学、财务", "药学、法律", "信息"][i % 5];
        let conflicts = if i % 10 == 0 {
            format!("H4599{:02}{:05}", (i + 1) % 10 + 1, i * 7 % 100_000)
        } else {
            String::new()
        };
        writeln!(
            f,
            "LJ{i:08},检查员{i},{}医疗保障局,{},{exp},{},{conflicts},138{i:08},在岗",
            REGIONS[r],
            REGIONS[r],
            if i % 3 == 2 { "否" } else { "是" }
        )
        .unwrap();
    }
}

/// Child mode: one measured step, printing "seconds peak_rss_mb".
fn child(step: &str, db: &Path, arg: &str) {
    let mut svc = Service::open(
        db,
        choucha::app::Config::default_config(),
        Some("bench".into()),
        choucha::i18n::Lang::Zh,
    )
    .unwrap();
    let t = Instant::now();
    match step {
        "import" => {
            // ARG is KIND=PATH.
            let (kind, path) = arg.split_once('=').expect("KIND=PATH");
            let kind = match kind {
                "items" => RosterKind::Items,
                "inspectors" => RosterKind::Inspectors,
                _ => RosterKind::Institutions,
            };
            let out = svc
                .import_roster(kind, Path::new(path), &ImportOptions::default(), &mut |_| {})
                .unwrap();
            assert!(out.errors.is_empty(), "{:?}", out.errors.first());
        }
        "freeze" => {
            svc.freeze_plan(arg.parse().unwrap()).unwrap();
        }
        "draw" => {
            svc.draw_plan(arg.parse().unwrap(), "bench-seed-2026", None).unwrap();
        }
        "verify" => {
            choucha::app::audit_package::verify_file(Path::new(arg)).unwrap();
        }
        _ => panic!("unknown step {step}"),
    }
    println!("{:.3} {:.1}", t.elapsed().as_secs_f64(), peak_rss_mb());
}

fn measure(step: &str, db: &Path, arg: &str) -> (f64, f64) {
    let out = Command::new(std::env::current_exe().unwrap())
        .env("CHOUCHA_BENCH_CHILD", step)
        .env("CHOUCHA_BENCH_DB", db)
        .env("CHOUCHA_BENCH_ARG", arg)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{step} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let s = String::from_utf8(out.stdout).unwrap();
    let mut it = s.split_whitespace().map(|v| v.parse::<f64>().unwrap());
    (it.next().unwrap(), it.next().unwrap())
}

/// Runs `f` `RUNS` times and returns the median of each figure it reports.
const RUNS: usize = 3;

fn open(db: &Path) -> Service {
    Service::open(
        db,
        choucha::app::Config::default_config(),
        Some("bench".into()),
        choucha::i18n::Lang::Zh,
    )
    .unwrap()
}

fn bench_import(dir: &Path) {
    let csv = dir.join("institutions.csv");
    write_institutions(&csv, N_INSTITUTIONS);
    let size = std::fs::metadata(&csv).unwrap().len() as f64 / 1e6;
    let (mut ours, mut whole, mut rss, mut base) = (vec![], vec![], vec![], vec![]);
    for run in 0..RUNS {
        // The library call in a child process (its own peak RSS) …
        let (secs, peak) = measure(
            "import",
            &dir.join(format!("import-{run}.db")),
            &format!("institutions={}", csv.display()),
        );
        ours.push(secs);
        rss.push(peak);
        // … the real command line, start to exit …
        let db = dir.join(format!("cli-{run}.db"));
        let t = Instant::now();
        let ok = Command::new(env!("CARGO_BIN_EXE_choucha"))
            .arg("--db")
            .arg(&db)
            .args(["import", "institutions"])
            .arg(&csv)
            .stdout(std::process::Stdio::null())
            .status()
            .unwrap()
            .success();
        assert!(ok, "choucha import failed");
        whole.push(t.elapsed().as_secs_f64());
        // … and sqlite3's own CSV import of the same file into a fresh database.
        let sq = dir.join(format!("sqlite3-{run}.db"));
        let t = Instant::now();
        match Command::new("sqlite3")
            .arg(&sq)
            .arg(format!(".import --csv {} t", csv.display()))
            .status()
        {
            Ok(s) if s.success() => base.push(t.elapsed().as_secs_f64()),
            _ => {}
        }
        for f in [dir.join(format!("import-{run}.db")), db, sq] {
            let _ = std::fs::remove_file(&f);
        }
    }
    let (ours, whole, rss) = (median(ours), median(whole), median(rss));
    println!("import: {N_INSTITUTIONS} institutions ({size:.0} MB CSV), median of {RUNS}:");
    println!("  choucha import institutions (whole command)   {whole:.2} s");
    println!("  of which validation + import (library call)   {ours:.2} s, peak RSS {rss:.0} MB (acceptance ≤ 300 MB)");
    if base.is_empty() {
        println!("  sqlite3 CLI not found: install it (apt-get install sqlite3) for the comparison");
    } else {
        let base = median(base);
        println!("  sqlite3 X.db '.import --csv FILE t'           {base:.2} s");
        println!(
            "  ratio (whole command / sqlite3)               {:.2} (acceptance ≤ 1.5)",
            whole / base
        );
    }
}

fn bench_draw(dir: &Path) {
    let db = dir.join("draw.db");
    let _ = std::fs::remove_file(&db);
    let csv = dir.join("institutions.csv");
    if !csv.exists() {
        write_institutions(&csv, N_INSTITUTIONS);
    }
    let insp = dir.join("inspectors.csv");
    write_inspectors(&insp);
    let items = dir.join("items.csv");
    std::fs::write(&items, "事项编码,事项名称,适用对象,检查依据\nYB-01,分解住院,医疗机构,《医疗保障基金使用监督管理条例》第十五条\nYB-04,串换药品,医疗机构、零售药店,《医疗保障基金使用监督管理条例》第十五条\n").unwrap();
    measure("import", &db, &format!("items={}", items.display()));
    measure("import", &db, &format!("institutions={}", csv.display()));
    measure("import", &db, &format!("inspectors={}", insp.display()));
    let plan = "title = \"百万规模基准\"\nyear = 2026\n[scope]\nitems = [\"YB-01\", \"YB-04\"]\n[rates]\nA = \"5%\"\nB = \"10%\"\nC = \"20%\"\nD = \"50%\"\n[team]\nmax_tasks_per_inspector = 40\n";
    // Identical plans, all frozen before any is drawn, so that every freeze sees the same roster.
    let ids: Vec<i64> = {
        let mut svc = open(&db);
        (0..RUNS).map(|_| svc.create_plan(plan).unwrap()).collect()
    };
    let figures = |step: &str, args: Vec<String>| -> (f64, f64) {
        let runs: Vec<(f64, f64)> = args.iter().map(|a| measure(step, &db, a)).collect();
        (
            median(runs.iter().map(|r| r.0).collect()),
            median(runs.iter().map(|r| r.1).collect()),
        )
    };
    let (freeze, freeze_rss) = figures("freeze", ids.iter().map(|i| i.to_string()).collect());
    let (draw, draw_rss) = figures("draw", ids.iter().map(|i| i.to_string()).collect());
    let svc = open(&db);
    let pkg = dir.join("audit.json");
    svc.export_audit_package(ids[0], &pkg).unwrap();
    let tasks = svc
        .plan_view(ids[0])
        .unwrap()
        .tasks
        .iter()
        .filter(|t| !t.alternate)
        .count();
    drop(svc);
    let (verify, verify_rss) = figures("verify", vec![pkg.display().to_string(); RUNS]);
    println!("draw: {N_INSTITUTIONS} institutions, {N_INSPECTORS} inspectors, {tasks} tasks drawn, median of {RUNS}:");
    println!("  plan freeze {freeze:.2} s (peak RSS {freeze_rss:.0} MB)");
    println!("  draw        {draw:.2} s (peak RSS {draw_rss:.0} MB)");
    println!("  verify      {verify:.2} s (peak RSS {verify_rss:.0} MB)   acceptance: each ≤ 1 s");
}

/// Institutions of the disclosure benchmark: `CHOUCHA_BENCH_INSTITUTIONS`, default 1,000,000.
fn disclosure_scale() -> usize {
    std::env::var("CHOUCHA_BENCH_INSTITUTIONS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(N_INSTITUTIONS)
}

/// The draw benchmark's roster and plan, drawn once: (database, plan id).
fn drawn_plan(dir: &Path) -> (PathBuf, i64) {
    let db = dir.join("disclosure.db");
    let _ = std::fs::remove_file(&db);
    let csv = dir.join(format!("institutions-{}.csv", disclosure_scale()));
    if !csv.exists() {
        write_institutions(&csv, disclosure_scale());
    }
    let insp = dir.join("inspectors.csv");
    write_inspectors(&insp);
    let items = dir.join("items.csv");
    std::fs::write(&items, "事项编码,事项名称,适用对象,检查依据\nYB-01,分解住院,医疗机构,《医疗保障基金使用监督管理条例》第十五条\nYB-04,串换药品,医疗机构、零售药店,《医疗保障基金使用监督管理条例》第十五条\n").unwrap();
    measure("import", &db, &format!("items={}", items.display()));
    measure("import", &db, &format!("institutions={}", csv.display()));
    measure("import", &db, &format!("inspectors={}", insp.display()));
    let plan = "title = \"百万规模公示基准\"\nyear = 2026\n[scope]\nitems = [\"YB-01\", \"YB-04\"]\n[rates]\nA = \"5%\"\nB = \"10%\"\nC = \"20%\"\nD = \"50%\"\n[team]\nmax_tasks_per_inspector = 40\n";
    let mut svc = open(&db);
    let id = svc.create_plan(plan).unwrap();
    svc.freeze_plan(id).unwrap();
    svc.draw_plan(id, "bench-seed-2026", None).unwrap();
    (db, id)
}

/// One whole `choucha` command on `db`, timed from start to exit.
fn timed(db: &Path, args: &[&str]) -> f64 {
    let t = Instant::now();
    let out = Command::new(env!("CARGO_BIN_EXE_choucha"))
        .arg("--db")
        .arg(db)
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    t.elapsed().as_secs_f64()
}

fn bench_disclosure(dir: &Path) {
    let (db, plan) = drawn_plan(dir);
    let plan_s = plan.to_string();
    // Every task's result, through the CSV task sheet: the sheet as exported, filled in.
    let sheet = dir.join("tasks.csv");
    timed(&db, &["export", "tasks", &plan_s, sheet.to_str().unwrap()]);
    let mut reader = csv::Reader::from_path(&sheet).unwrap();
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(|h| h.trim_start_matches('\u{feff}').to_string())
        .collect();
    let col = |h: &str| header.iter().position(|x| x == h).unwrap();
    let (p, s, c) = (col("计划编号"), col("任务序号"), col("机构编码"));
    let today = chrono::Local::now().date_naive().format("%Y-%m-%d").to_string();
    let mut filled = String::from("计划编号,任务序号,机构编码,检查日期,检查结果,公示备注\n");
    let mut tasks = 0;
    for row in reader.records() {
        let row = row.unwrap();
        tasks += 1;
        filled.push_str(&format!(
            "{},{},{},{today},未发现问题,第{}号任务已检查，未发现违规使用医保基金问题\n",
            &row[p], &row[s], &row[c], &row[s]
        ));
    }
    let results = dir.join("results.csv");
    std::fs::write(&results, filled).unwrap();
    let out = open(&db).import_results(&results, false).unwrap();
    assert!(out.errors.is_empty(), "{:?}", out.errors.first());
    assert_eq!(out.added, tasks);
    println!(
        "disclosure: {} institutions, {tasks} tasks, every result recorded (whole commands, 1 run each):",
        disclosure_scale()
    );
    let base_csv = timed(&db, &["export", "tasks", &plan_s, dir.join("t.csv").to_str().unwrap()]);
    let base_xlsx = timed(&db, &["export", "tasks", &plan_s, dir.join("t.xlsx").to_str().unwrap()]);
    println!("  export tasks .csv   {base_csv:.2} s");
    println!("  export tasks .xlsx  {base_xlsx:.2} s");
    for ext in ["xlsx", "csv", "json", "html"] {
        let file = dir.join(format!("公示.{ext}"));
        let secs = timed(&db, &["export", "disclosure", &plan_s, file.to_str().unwrap()]);
        let base = if ext == "xlsx" { base_xlsx } else { base_csv };
        println!(
            "  export disclosure .{ext:<4} {secs:.2} s   ratio to export tasks .{} {:.2} (acceptance ≤ 3)",
            if ext == "xlsx" { "xlsx" } else { "csv" },
            secs / base
        );
    }
}

fn main() {
    if let Ok(step) = std::env::var("CHOUCHA_BENCH_CHILD") {
        let db = PathBuf::from(std::env::var("CHOUCHA_BENCH_DB").unwrap());
        child(&step, &db, &std::env::var("CHOUCHA_BENCH_ARG").unwrap());
        return;
    }
    let which: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with('-')).collect();
    let all = which.is_empty() || which.iter().any(|w| w == "all");
    // CHOUCHA_BENCH_DIR keeps the generated files (for profiling a single step by hand).
    let tmp = tempfile::tempdir().unwrap();
    let dir = std::env::var_os("CHOUCHA_BENCH_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| tmp.path().to_path_buf());
    let dir = dir.as_path();
    if all || which.iter().any(|w| w == "import") {
        bench_import(dir);
    }
    if all || which.iter().any(|w| w == "draw") {
        bench_draw(dir);
    }
    if all || which.iter().any(|w| w == "disclosure") {
        bench_disclosure(dir);
    }
}
