//! Results and disclosure through the command line: the workbook round trip, follow-up, points,
//! what public files may hold, and all-or-nothing writes under `kill -9`.

mod common;

use std::collections::HashMap;
use std::path::Path;
use std::time::{Duration, Instant};

use calamine::{Data, Reader, open_workbook_auto};
use chrono::{Datelike, Local};
use common::{Env, data};
use rust_xlsxwriter::Workbook;

fn today() -> String {
    Local::now().date_naive().format("%Y-%m-%d").to_string()
}

fn in_days(n: i64) -> String {
    (Local::now().date_naive() + chrono::Duration::days(n))
        .format("%Y-%m-%d")
        .to_string()
}

/// Demo data, plan 1 frozen and drawn.
fn drawn(env: &Env) {
    env.ok(&["demo"]);
    env.ok(&["plan", "freeze", "1"]);
    env.ok(&["draw", "1", "--seed", "1"]);
}

/// A sheet of a workbook as rows of text cells (header first).
fn sheet(path: &Path, name: &str) -> Vec<Vec<String>> {
    let mut wb = open_workbook_auto(path).unwrap();
    let range = wb.worksheet_range(name).unwrap();
    range
        .rows()
        .map(|r| {
            r.iter()
                .map(|c| match c {
                    Data::Empty => String::new(),
                    other => other.to_string(),
                })
                .collect()
        })
        .collect()
}

/// Every cell of every sheet, tab-separated.
fn workbook_text(path: &Path) -> String {
    let mut wb = open_workbook_auto(path).unwrap();
    let mut out = String::new();
    for name in wb.sheet_names() {
        for r in wb.worksheet_range(&name).unwrap().rows() {
            for c in r {
                out.push_str(&c.to_string());
                out.push('\t');
            }
            out.push('\n');
        }
    }
    out
}

/// The tasks of the exported sheet: (task, institution code, item codes).
fn tasks(path: &Path) -> Vec<(String, String, Vec<String>)> {
    let main = sheet(path, "检查结果");
    let items = sheet(path, "事项结果");
    let col = |rows: &[Vec<String>], h: &str| rows[0].iter().position(|x| x == h).unwrap();
    let (s, c) = (col(&main, "任务序号"), col(&main, "机构编码"));
    let (is, ic) = (col(&items, "任务序号"), col(&items, "事项编码"));
    main[1..]
        .iter()
        .map(|r| {
            let its = items[1..]
                .iter()
                .filter(|x| x[is] == r[s])
                .map(|x| x[ic].clone())
                .collect();
            (r[s].clone(), r[c].clone(), its)
        })
        .collect()
}

/// Writes a results workbook: sheet name → (headers, rows).
/// A sheet to write: name, headers, rows.
type SheetSpec = (&'static str, Vec<&'static str>, Vec<Vec<String>>);

fn write_workbook(path: &Path, sheets: &[SheetSpec]) {
    let mut wb = Workbook::new();
    for (name, headers, rows) in sheets {
        let ws = wb.add_worksheet();
        ws.set_name(*name).unwrap();
        for (c, h) in headers.iter().enumerate() {
            ws.write_string(0, c as u16, *h).unwrap();
        }
        for (r, row) in rows.iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                if !v.is_empty() {
                    ws.write_string(r as u32 + 1, c as u16, v).unwrap();
                }
            }
        }
    }
    wb.save(path).unwrap();
}

const MAIN: [&str; 12] = [
    "计划编号",
    "任务序号",
    "机构编码",
    "检查日期",
    "检查完成日期",
    "检查结果",
    "处理措施",
    "追回金额（元）",
    "罚款金额（元）",
    "整改期限",
    "公示备注",
    "内部备注（不公开）",
];
const FINDINGS: [&str; 7] = [
    "计划编号",
    "任务序号",
    "机构编码",
    "问题序号",
    "违规类型（事项编码）",
    "问题描述",
    "涉及金额（元）",
];
const POINTS: [&str; 8] = [
    "计划编号",
    "任务序号",
    "机构编码",
    "问题序号",
    "姓名",
    "人员类别",
    "人员编码",
    "记分",
];

fn s(v: &[&str]) -> Vec<String> {
    v.iter().map(|x| x.to_string()).collect()
}

/// Results for the first `n` tasks: odd tasks a violation with `findings_per_task` findings and
/// points, even ones 未发现问题.
/// `tag` starts every finding description.
fn filled(tasks: &[(String, String, Vec<String>)], n: usize, findings_per_task: usize, tag: &str) -> Vec<SheetSpec> {
    let t = today();
    let (mut main, mut findings, mut points) = (vec![], vec![], vec![]);
    for (seq, code, items) in tasks.iter().take(n) {
        let violation = seq.parse::<u32>().unwrap() % 2 == 1;
        if violation {
            main.push(s(&[
                "1",
                seq,
                code,
                &t,
                "",
                "发现问题已责令整改",
                "约谈、责令改正、追回、行政处罚",
                "1,200.50元",
                "3000",
                &in_days(30),
                "已责令限期整改",
                "内部：负责人态度消极，拟约谈院长",
            ]));
            for k in 0..findings_per_task {
                findings.push(s(&[
                    "1",
                    seq,
                    code,
                    &(k + 1).to_string(),
                    &items[0],
                    &format!("{tag}串换药品第{k}笔，患者赵某某"),
                    "12.34",
                ]));
            }
            points.push(s(&["1", seq, code, "1", "钱医师", "医师", "D450102000777", "5"]));
        } else {
            main.push(s(&["1", seq, code, &t, "", "未发现问题", "", "", "", "", "", ""]));
        }
    }
    vec![
        ("检查结果", MAIN.to_vec(), main),
        ("问题", FINDINGS.to_vec(), findings),
        ("记分", POINTS.to_vec(), points),
    ]
}

#[test]
fn results_round_trip_through_the_workbook() {
    let env = Env::new();
    drawn(&env);
    let sheet_path = env.path("tasks.xlsx");
    let out = env.ok(&["export", "tasks", "1", sheet_path.to_str().unwrap()]);
    assert!(out.contains("已导出"), "{out}");
    let all = tasks(&sheet_path);
    assert!(all.len() > 4);
    // Every result column is there, empty, with its exact header.
    let main = sheet(&sheet_path, "检查结果");
    for h in MAIN {
        assert!(main[0].iter().any(|x| x == h), "{h}");
    }
    assert!(
        main[1..]
            .iter()
            .all(|r| r.len() <= 9 || r[9..].iter().all(String::is_empty))
    );

    let filled_path = env.path("filled.xlsx");
    write_workbook(&filled_path, &filled(&all, 4, 2, ""));
    let out = env.ok(&["import", "results", filled_path.to_str().unwrap()]);
    assert!(out.contains("新增 4") && out.contains("问题 4 个"), "{out}");
    let show = env.ok(&["result", "show", "1", "1"]);
    assert!(
        show.contains("发现问题已责令整改") && show.contains("1,200.50") && show.contains("3,000.00"),
        "{show}"
    );
    assert!(show.contains("串换药品第1笔"), "{show}");

    // The re-exported sheet carries the results and re-imports unchanged.
    let again = env.path("again.xlsx");
    env.ok(&["export", "tasks", "1", again.to_str().unwrap()]);
    let out = env.ok(&["import", "results", again.to_str().unwrap()]);
    assert!(out.contains("未变 4") && out.contains("新增 0"), "{out}");

    // Points: 5 + 5 for the same 人员编码 (tasks 1 and 3) = 10 → suspension.
    let points = env.ok(&["result", "points", "--year", &Local::now().year().to_string()]);
    assert!(
        points.contains("钱医师") && points.contains("10 分") && points.contains("暂停医保支付资格"),
        "{points}"
    );
    let pts = env.path("points.xlsx");
    env.ok(&[
        "export",
        "points",
        &Local::now().year().to_string(),
        pts.to_str().unwrap(),
    ]);
    assert!(workbook_text(&pts).contains("D450102000777"));

    // Follow-up 60 days on: rectification and publication overdue, person flagged, 屡查屡犯.
    let f = env.ok(&["followup", "--today", &in_days(60)]);
    assert!(f.contains("【逾期未销号的整改】（2）"), "{f}");
    assert!(
        f.contains("【待公示的检查结果：完成后 20 个工作日内】（4）") && f.contains("已逾期"),
        "{f}"
    );
    assert!(f.contains("【屡查屡犯预警：近 24 个月有确认违规】2 家"), "{f}");
    let f = env.ok(&["followup"]);
    assert!(f.contains("钱医师") && f.contains("暂停医保支付资格"), "{f}");
    assert!(f.contains("剩 20 个工作日"), "{f}");
    let stats = env.ok(&["result", "stats", "--plan", "1"]);
    assert!(
        stats.contains("已登记: 4") && stats.contains("追回金额: 2,401.00 元"),
        "{stats}"
    );

    // A later plan counts the repeat offenders one class riskier, visibly and in the log.
    let plan2 = env.path("p2.toml");
    std::fs::write(
        &plan2,
        std::fs::read_to_string(data("plans/2026-batch1.toml"))
            .unwrap()
            .replace("第一批", "第二批"),
    )
    .unwrap();
    let id = env.ok(&["plan", "create", plan2.to_str().unwrap()]).trim().to_string();
    let freeze = env.ok(&["plan", "freeze", &id]);
    assert!(freeze.contains("按屡查屡犯升级风险等级 2"), "{freeze}");
    assert!(
        freeze.contains("近 24 个月内有确认违规") && freeze.contains(&all[0].1),
        "{freeze}"
    );
    let log = env.ok(&["audit", "log", "-n", "1"]);
    assert!(log.contains("escalated=2") && log.contains(&all[0].1), "{log}");
    // Results exist: plan 1 can no longer be redrawn.
    assert!(
        env.fails(&["draw", "1", "--seed", "2", "--reason", "x"])
            .contains("不能重新抽取")
    );
    env.ok(&["audit", "verify"]);
}

#[test]
fn import_errors_name_sheet_row_and_column_and_write_nothing() {
    let env = Env::new();
    drawn(&env);
    let sheet_path = env.path("tasks.xlsx");
    env.ok(&["export", "tasks", "1", sheet_path.to_str().unwrap()]);
    let all = tasks(&sheet_path);
    let mut book = filled(&all, 4, 1, "");
    // Row 3 of 问题: more than two decimals; row 2 of 记分: 13 points.
    book[1].2[1][6] = "1.005".into();
    book[2].2[0][7] = "13".into();
    let bad = env.path("bad.xlsx");
    write_workbook(&bad, &book);
    let out = env
        .cmd()
        .args(["import", "results", bad.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("未写入任何数据"), "{err}");
    assert!(err.contains("bad.xlsx「问题」 第 3 行 G 列「涉及金额（元）」"), "{err}");
    assert!(err.contains("bad.xlsx「记分」 第 2 行 H 列「记分」"), "{err}");
    assert!(env.ok(&["result", "list", "1"]).contains("已登记 0"));
    // A plan that is not drawn takes no results.
    let env2 = Env::new();
    env2.ok(&["demo"]);
    let out = env2
        .cmd()
        .args(["import", "results", bad.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(String::from_utf8(out.stderr).unwrap().contains("尚未抽取"));
}

/// Private values of the bundled rosters: (what, value).
fn private_values() -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    let read = |file: &str| -> (Vec<String>, Vec<Vec<String>>) {
        let mut r = csv::Reader::from_path(data(file)).unwrap();
        let headers = r
            .headers()
            .unwrap()
            .iter()
            .map(|h| h.trim_start_matches('\u{feff}').to_string())
            .collect();
        (
            headers,
            r.records()
                .map(|x| x.unwrap().iter().map(String::from).collect())
                .collect(),
        )
    };
    let (h, rows) = read("institutions.csv");
    let col: HashMap<&str, usize> = h.iter().enumerate().map(|(i, x)| (x.as_str(), i)).collect();
    for r in &rows {
        for what in ["联系电话", "地址", "联系人"] {
            let v = r[col[what]].trim();
            if !v.is_empty() {
                out.push((what, v.to_string()));
            }
        }
    }
    let (h, rows) = read("inspectors.csv");
    let col: HashMap<&str, usize> = h.iter().enumerate().map(|(i, x)| (x.as_str(), i)).collect();
    for r in &rows {
        let phone = r[col["联系电话"]].trim();
        if !phone.is_empty() {
            out.push(("检查人员联系电话", phone.to_string()));
        }
        let conflicts = r[col["回避机构"]].trim();
        if conflicts.contains('、') {
            out.push(("回避机构", conflicts.to_string()));
        }
    }
    out
}

#[test]
fn public_files_hold_no_private_data() {
    let env = Env::new();
    drawn(&env);
    // A replaced institution's result is public too.
    let sheet_path = env.path("tasks.xlsx");
    env.ok(&["export", "tasks", "1", sheet_path.to_str().unwrap()]);
    let before = tasks(&sheet_path);
    let gone = env.path("gone.csv");
    std::fs::write(
        &gone,
        format!(
            "计划编号,任务序号,机构编码,检查日期,检查结果,公示备注\n1,2,{},{},注销,经核实已注销\n",
            before[1].1,
            today()
        ),
    )
    .unwrap();
    env.ok(&["import", "results", gone.to_str().unwrap()]);
    env.ok(&["task", "replace", "1", "2", "--reason", "注销"]);
    env.ok(&["export", "tasks", "1", sheet_path.to_str().unwrap()]);
    let all = tasks(&sheet_path);
    assert_ne!(all[1].1, before[1].1);
    let filled_path = env.path("filled.xlsx");
    write_workbook(&filled_path, &filled(&all, 6, 2, ""));
    env.ok(&["import", "results", filled_path.to_str().unwrap()]);

    let private = private_values();
    assert!(private.len() > 600, "{}", private.len());
    for ext in ["xlsx", "csv", "json", "html"] {
        let p = env.path(&format!("公示.{ext}"));
        let out = env.ok(&["export", "disclosure", "1", p.to_str().unwrap()]);
        assert!(out.contains("7 条结果"), "{out}");
        let text = if ext == "xlsx" {
            workbook_text(&p)
        } else if ext == "csv" {
            // One table per file: the evidence of the draw is in a second file, named in the output.
            let ev = env.path("公示-evidence.csv");
            assert!(out.contains(ev.to_str().unwrap()), "{out}");
            assert!(std::fs::read(&ev).unwrap().starts_with(b"\xEF\xBB\xBF"));
            String::from_utf8(std::fs::read(&p).unwrap()).unwrap()
                + &String::from_utf8(std::fs::read(&ev).unwrap()).unwrap()
        } else {
            String::from_utf8(std::fs::read(&p).unwrap()).unwrap()
        };
        for (what, v) in &private {
            assert!(!text.contains(v.as_str()), "{ext}: {what} {v}");
        }
        for secret in ["回避", "负责人态度消极", "患者赵某某", "钱医师", "D450102000777"] {
            assert!(!text.contains(secret), "{ext}: {secret}");
        }
        // What must be there: Chinese intact, the draw evidence and the replaced institution.
        for needed in [
            "检查结果公示",
            "临江市医疗保障局",
            "注销",
            "经核实已注销",
            &before[1].1,
            &all[1].1,
            "输入摘要",
        ] {
            assert!(text.contains(needed), "{ext}: {needed}");
        }
        match ext {
            "csv" => assert!(std::fs::read(&p).unwrap().starts_with(b"\xEF\xBB\xBF")),
            "html" => {
                assert!(text.contains("@media print") && text.contains("<meta charset=\"utf-8\">"));
                assert!(!text.contains("<script") && !text.contains("http") && !text.contains("<link"));
            }
            "json" => {
                let v: serde_json::Value = serde_json::from_str(&text).unwrap();
                assert_eq!(v["records"].as_array().unwrap().len(), 7);
                assert_eq!(v["evidence"]["seed"], "1");
            }
            _ => {}
        }
    }
    let log = env.ok(&["audit", "log", "-n", "4"]);
    assert_eq!(log.matches("disclosure.export").count(), 4, "{log}");
    env.ok(&["audit", "verify"]);
}

/// A small deterministic generator for kill delays.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % n.max(1)
    }
}

/// Starts the binary on the test's database without waiting for it.
fn spawn(env: &Env, args: &[&str]) -> std::process::Child {
    std::process::Command::new(assert_cmd::cargo::cargo_bin("choucha"))
        .env("CHOUCHA_DB", env.db())
        .env_remove("CHOUCHA_CONFIG")
        .args(["--actor", "tester"])
        .args(args)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap()
}

#[test]
fn kill_during_import_or_draw_leaves_all_or_nothing() {
    let env = Env::new();
    drawn(&env);
    let sheet_path = env.path("tasks.xlsx");
    env.ok(&["export", "tasks", "1", sheet_path.to_str().unwrap()]);
    let all = tasks(&sheet_path);
    // Two versions of a large workbook: every import rewrites every result, findings and points.
    let per_task = 150;
    let (a, b) = (env.path("a.xlsx"), env.path("b.xlsx"));
    write_workbook(&a, &filled(&all, all.len(), per_task, "A"));
    write_workbook(&b, &filled(&all, all.len(), per_task, "B"));
    let total = (all.len().div_ceil(2) * per_task) as i64;
    // Calibrate on a real import that rewrites everything (B over A).
    env.ok(&["import", "results", a.to_str().unwrap()]);
    let start = Instant::now();
    env.ok(&["import", "results", b.to_str().unwrap()]);
    let span = start.elapsed().as_millis() as u64;
    let mut rng = Lcg(std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64);
    let state = || {
        let c = rusqlite::Connection::open(env.db()).unwrap();
        let ok: String = c.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
        assert_eq!(ok, "ok");
        let n = |sql: &str| c.query_row(sql, [], |r| r.get::<_, i64>(0)).unwrap();
        (
            n("SELECT count(*) FROM task_results"),
            n("SELECT count(*) FROM findings WHERE description LIKE 'A%'"),
            n("SELECT count(*) FROM findings WHERE description LIKE 'B%'"),
            n("SELECT count(*) FROM points"),
        )
    };
    let tasks_n = all.len() as i64;
    let points_n = all.len().div_ceil(2) as i64;
    for i in 0..10 {
        let file = if i % 2 == 0 { &a } else { &b };
        let mut child = spawn(&env, &["import", "results", file.to_str().unwrap()]);
        std::thread::sleep(Duration::from_millis(rng.below(span + span / 4)));
        let _ = child.kill();
        let _ = child.wait();
        let st = state();
        assert!(
            st == (0, 0, 0, 0) || st == (tasks_n, total, 0, points_n) || st == (tasks_n, 0, total, points_n),
            "partial import: {st:?}"
        );
        env.ok(&["audit", "verify"]);
    }
    env.ok(&["import", "results", b.to_str().unwrap()]);
    assert_eq!(state(), (tasks_n, 0, total, points_n));

    // Draws: a killed draw leaves the plan frozen with no draw, or drawn with all its tasks.
    let plan = env.path("p.toml");
    std::fs::write(
        &plan,
        std::fs::read_to_string(data("plans/2026-batch1.toml"))
            .unwrap()
            .replace("recently_drawn_months = 12", "recently_drawn_months = 0"),
    )
    .unwrap();
    for _ in 0..5 {
        let id = env.ok(&["plan", "create", plan.to_str().unwrap()]).trim().to_string();
        env.ok(&["plan", "freeze", &id]);
        let mut child = spawn(&env, &["draw", &id, "--seed", "7"]);
        std::thread::sleep(Duration::from_millis(rng.below(40)));
        let _ = child.kill();
        let _ = child.wait();
        let c = rusqlite::Connection::open(env.db()).unwrap();
        let ok: String = c.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
        assert_eq!(ok, "ok");
        let (draws, tasks, status): (i64, i64, String) = c
            .query_row(
                "SELECT (SELECT count(*) FROM draws WHERE plan_id=?1),
                        (SELECT count(*) FROM tasks t JOIN draws d ON d.id=t.draw_id WHERE d.plan_id=?1),
                        (SELECT status FROM plans WHERE id=?1)",
                [id.parse::<i64>().unwrap()],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .unwrap();
        assert!(
            (draws == 0 && tasks == 0 && status == "frozen") || (draws == 1 && tasks > 0 && status == "drawn"),
            "partial draw: {draws} draws, {tasks} tasks, {status}"
        );
        env.ok(&["audit", "verify"]);
    }
}

/// The plan announcement: refused before the freeze; after it, one self-contained page for
/// people (lang, viewport, cards, print) carrying the digest in groups of 8, and complete JSON.
#[test]
fn the_plan_announcement_is_a_page_for_people() {
    let env = Env::new();
    env.ok(&["demo"]);
    let html = env.path("公告.html");
    let err = env.fails(&["export", "announcement", "1", html.to_str().unwrap()]);
    assert!(err.contains("冻结"), "{err}");
    env.ok(&["plan", "freeze", "1"]);
    let out = env.ok(&["export", "announcement", "1", html.to_str().unwrap()]);
    let digest = out.trim().rsplit("输入摘要 ").next().unwrap().to_string();
    assert_eq!(digest.split(' ').count(), 8, "{out}");
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(page.contains(r#"<html lang="zh-CN">"#) && page.contains(r#"name="viewport""#));
    assert!(page.contains("attr(data-label)") && page.contains("A4 landscape"));
    assert!(page.contains(&digest), "{digest}");
    for external in ["<script", "<link", "src=", "http://", "https://", "url("] {
        assert!(!page.contains(external), "{external}");
    }
    let json = env.path("公告.json");
    env.ok(&["export", "announcement", "1", json.to_str().unwrap()]);
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap();
    assert_eq!(v["format"], "choucha-plan-announcement");
    assert_eq!(v["inputs_digest"].as_str().unwrap(), digest.replace(' ', ""));
    assert_eq!(v["institutions"].as_array().unwrap().len(), 320);
    assert!(v["institutions"][0].get("phone").is_none() && v["institutions"][0].get("address").is_none());
    let xlsx = env.path("公告.xlsx");
    env.ok(&["export", "announcement", "1", xlsx.to_str().unwrap()]);
    assert!(workbook_text(&xlsx).contains(&digest));
}
