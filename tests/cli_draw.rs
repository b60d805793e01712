//! Plans and draws through the command line: reproducibility, tamper detection, the rules.

mod common;

use common::{Env, data};

fn demo_frozen(env: &Env) -> String {
    env.ok(&["demo"]);
    let out = env.ok(&["plan", "freeze", "1"]);
    out.lines().nth(1).unwrap().trim().to_string()
}

fn field(out: &str, label: &str) -> String {
    out.lines()
        .find_map(|l| l.strip_prefix(label))
        .unwrap()
        .trim_start_matches(['：', ':', ' '])
        .trim()
        .to_string()
}

#[test]
fn same_plan_and_seed_on_two_databases_draw_identically() {
    let (a, b) = (Env::new(), Env::new());
    let da = demo_frozen(&a);
    let db = demo_frozen(&b);
    assert_eq!(da.len(), 64);
    assert_eq!(da, db);
    let ra = a.ok(&["draw", "1", "--seed", "20261124-0815"]);
    let rb = b.ok(&["draw", "1", "--seed", "20261124-0815"]);
    assert_eq!(ra, rb);
    let c = Env::new();
    demo_frozen(&c);
    let rc = c.ok(&["draw", "1", "--seed", "20261124-0816"]);
    assert_ne!(field(&ra, "结果摘要"), field(&rc, "结果摘要"));
}

#[test]
fn seed_is_a_string_007_is_not_7() {
    let (a, b) = (Env::new(), Env::new());
    demo_frozen(&a);
    demo_frozen(&b);
    let ra = a.ok(&["draw", "1", "--seed", "007"]);
    let rb = b.ok(&["draw", "1", "--seed", "7"]);
    assert_eq!(field(&ra, "种子"), "007");
    assert_ne!(field(&ra, "结果摘要"), field(&rb, "结果摘要"));
}

#[test]
fn verify_reproduces_and_rejects_tampering() {
    let env = Env::new();
    demo_frozen(&env);
    env.ok(&["draw", "1", "--seed", "骰子 3 6 1 4"]);
    env.ok(&["task", "replace", "1", "2", "--reason", "注销"]);
    let pkg = env.path("audit.json");
    env.ok(&["export", "audit", "1", pkg.to_str().unwrap()]);
    // verify needs no database.
    let out = assert_cmd::Command::cargo_bin("choucha")
        .unwrap()
        .env("CHOUCHA_DB", "/nonexistent/x.db")
        .args(["verify", pkg.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8(out.stdout).unwrap().contains("已复现"));

    let original: serde_json::Value = serde_json::from_slice(&std::fs::read(&pkg).unwrap()).unwrap();
    let tamper = |f: &dyn Fn(&mut serde_json::Value), expect: &str| {
        let mut v = original.clone();
        f(&mut v);
        let p = env.path("tampered.json");
        std::fs::write(&p, serde_json::to_vec(&v).unwrap()).unwrap();
        let err = env.fails(&["verify", p.to_str().unwrap()]);
        assert!(err.contains(expect), "expected {expect:?} in {err}");
    };
    tamper(&|v| v["draws"][0]["seed"] = "骰子 3 6 1 5".into(), "抽取结果不符");
    tamper(
        &|v| {
            let s = v["inputs"].as_str().unwrap().replacen("\tA\n", "\tB\n", 1);
            v["inputs"] = s.into();
        },
        "输入摘要不符",
    );
    tamper(
        &|v| {
            let s = v["draws"][0]["result"]
                .as_str()
                .unwrap()
                .replacen("task\t1\t", "task\t1 \t", 1);
            v["draws"][0]["result"] = s.into();
        },
        "result line",
    );
    tamper(
        &|v| v["draws"][0]["result_digest"] = "00".repeat(32).into(),
        "结果摘要不符",
    );
    tamper(
        &|v| v["adjustments"][0]["replacement"] = "H45990100001".into(),
        "adjustment 1",
    );
}

#[test]
fn plan_rules_are_enforced_with_the_key_named() {
    let env = Env::new();
    env.ok(&["demo"]);
    let p = env.path("p.toml");
    let text = std::fs::read_to_string(data("plans/2026-batch1.toml")).unwrap();
    std::fs::write(
        &p,
        text.replace("A = \"5%\"", "A = \"4.5%\"")
            .replace("size = 2", "size = 1")
            .replace("\"YB-01\"", "\"YB-99\""),
    )
    .unwrap();
    let err = env.fails(&["plan", "create", p.to_str().unwrap()]);
    for needle in ["rates.A", "5%", "team.size", "scope.items", "YB-99"] {
        assert!(err.contains(needle), "{needle} in {err}");
    }
}

#[test]
fn draw_lifecycle_rules() {
    let env = Env::new();
    env.ok(&["demo"]);
    let err = env.fails(&["draw", "1", "--seed", "1"]);
    assert!(err.contains("尚未冻结"), "{err}");
    env.ok(&["plan", "freeze", "1"]);
    assert!(env.fails(&["plan", "freeze", "1"]).contains("草稿"));
    assert!(env.fails(&["draw", "1", "--seed", " 1"]).contains("首尾"));
    env.ok(&["draw", "1", "--seed", "1"]);
    assert!(env.fails(&["draw", "1", "--seed", "2"]).contains("理由"));
    env.ok(&["draw", "1", "--seed", "2", "--reason", "监督员要求重抽"]);
    let show = env.ok(&["plan", "show", "1"]);
    assert!(
        show.contains("抽取 1") && show.contains("抽取 2") && show.contains("监督员要求重抽"),
        "{show}"
    );
    env.ok(&["plan", "publish", "1"]);
    assert!(
        env.fails(&["draw", "1", "--seed", "3", "--reason", "x"])
            .contains("不能再抽取")
    );
    assert!(
        env.fails(&["task", "replace", "1", "1", "--reason", "注销"])
            .contains("公示")
    );
    let log = env.ok(&["audit", "log", "-n", "50"]);
    for action in ["plan.freeze", "draw", "redraw", "plan.publish"] {
        assert!(log.contains(action), "{action} in {log}");
    }
    env.ok(&["audit", "verify"]);
}

#[test]
fn generated_seed_is_printed_in_full() {
    let env = Env::new();
    demo_frozen(&env);
    let out = env.ok(&["draw", "1", "--generate-seed"]);
    let seed = field(&out, "种子");
    assert_eq!(seed.len(), 24);
    assert!(seed.bytes().all(|b| b.is_ascii_digit()));
}

#[test]
fn a_failed_draw_explains_itself_and_stores_nothing() {
    let env = Env::new();
    env.ok(&["demo"]);
    let p = env.path("p.toml");
    let text = std::fs::read_to_string(data("plans/2026-batch1.toml")).unwrap();
    std::fs::write(
        &p,
        text.replace("max_tasks_per_inspector = 5", "max_tasks_per_inspector = 1")
            .replace("D = \"50%\"", "D = \"100%\""),
    )
    .unwrap();
    let id = env.ok(&["plan", "create", p.to_str().unwrap()]).trim().to_string();
    env.ok(&["plan", "freeze", &id]);
    let err = env.fails(&["draw", &id, "--seed", "1"]);
    assert!(
        err.contains("抽取失败") && err.contains("任务已满") && err.contains("未保存"),
        "{err}"
    );
    assert!(env.ok(&["plan", "show", &id]).contains("已冻结"));
}
