//! `choucha export public` and `choucha verify` of both packages (docs/draw-protocol.md §21–§22):
//! honest packages verify, every listed kind of tampering is refused — by the program and by the
//! Python reference verifier — and a v1 audit package from the previous release still verifies.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command as StdCommand;

use common::Env;
use serde_json::Value;

fn script() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/reference/verify_draw.py")
}

fn have_python() -> bool {
    let ok = StdCommand::new("python3")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        eprintln!("note: python3 not found; the Python half of these checks is skipped");
    }
    ok
}

/// (success, stdout + stderr) of `choucha verify FILE`, run without any database.
fn verify(file: &Path, lang: &str) -> (bool, String) {
    let out = assert_cmd::Command::cargo_bin("choucha")
        .unwrap()
        .env("CHOUCHA_DB", "/nonexistent/none.db")
        .args(["--lang", lang, "verify", file.to_str().unwrap()])
        .output()
        .unwrap();
    (
        out.status.success(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    )
}

fn python_verify(file: &Path) -> (bool, String) {
    let out = StdCommand::new("python3")
        .arg(script())
        .args(["package", file.to_str().unwrap()])
        .env("PYTHONIOENCODING", "utf-8")
        .output()
        .unwrap();
    (out.status.success(), String::from_utf8_lossy(&out.stdout).into_owned())
}

/// A drawn demo plan with a redraw and a replacement; returns (public package, audit package).
fn drawn_plan(env: &Env, config: Option<&Path>) -> (PathBuf, PathBuf) {
    let run = |args: &[&str]| {
        let mut c = env.cmd();
        if let Some(cfg) = config {
            c.env("CHOUCHA_CONFIG", cfg);
        }
        let out = c.args(args).output().unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    run(&["demo"]);
    run(&["plan", "freeze", "1"]);
    run(&["draw", "1", "--seed", "2026-公开-1"]);
    run(&["draw", "1", "--seed", "2026-公开-2", "--reason", "现场种子读错，重抽"]);
    run(&["task", "replace", "1", "2", "--reason", "该机构已注销"]);
    let (p, a) = (env.path("public.json"), env.path("audit.json"));
    run(&["export", "public", "1", p.to_str().unwrap()]);
    run(&["export", "audit", "1", a.to_str().unwrap()]);
    (p, a)
}

fn load(p: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap()
}

/// Writes a changed copy and asserts that choucha (and Python) refuse it, with `expect` in the message.
fn refused(env: &Env, original: &Value, name: &str, change: impl Fn(&mut Value), expect: &str) {
    let mut v = original.clone();
    change(&mut v);
    assert_ne!(&v, original, "{name}: the change changed nothing");
    let p = env.path(&format!("{name}.json"));
    std::fs::write(&p, serde_json::to_string_pretty(&v).unwrap()).unwrap();
    let (ok, out) = verify(&p, "zh");
    assert!(!ok, "{name}: choucha accepted a tampered package:\n{out}");
    assert!(out.contains("未能复现"), "{name}: {out}");
    assert!(out.contains(expect), "{name}: expected {expect:?} in\n{out}");
    if have_python() {
        let (ok, out) = python_verify(&p);
        assert!(!ok, "{name}: the Python reference accepted a tampered package:\n{out}");
    }
}

fn replace_in(v: &mut Value, pointer: &str, from: &str, to: &str) {
    let s = v.pointer(pointer).unwrap().as_str().unwrap().to_string();
    assert!(s.contains(from), "{pointer} has no {from:?}");
    *v.pointer_mut(pointer).unwrap() = Value::String(s.replacen(from, to, 1));
}

#[test]
fn public_package_verifies_says_what_it_checked_and_holds_no_inspector() {
    let env = Env::new();
    let (public, audit) = drawn_plan(&env, None);
    let (ok, out) = verify(&public, "zh");
    assert!(ok, "{out}");
    assert!(out.contains("已验证：公开验证包（协议 v2，机构等级公开）"), "{out}");
    assert!(out.contains("未能核对：检查组"), "{out}");
    assert!(out.contains("输入摘要（每组 8 位）"), "{out}");
    assert!(
        out.contains("种子：2026-公开-1") && out.contains("种子：2026-公开-2"),
        "{out}"
    );
    let (ok, en) = verify(&public, "en");
    assert!(
        ok && en.contains("checked: public package (protocol v2, classes published)"),
        "{en}"
    );
    assert!(en.contains("not checkable: the teams"), "{en}");

    let (ok, out) = verify(&audit, "zh");
    assert!(ok, "{out}");
    assert!(out.contains("已验证：审计包（协议 v2，机构等级公开）"), "{out}");

    // Nothing private: no inspector id, no free-text replacement reason, no operator name.
    let text = std::fs::read_to_string(&public).unwrap();
    let a = load(&audit);
    for d in a["inputs"]
        .as_str()
        .unwrap()
        .lines()
        .filter(|l| l.starts_with("inspector\t"))
    {
        let id = d.split('\t').nth(1).unwrap();
        assert!(!text.contains(id), "inspector {id} in the public package");
    }
    assert!(!text.contains("该机构已注销") && !text.contains("tester"), "{text}");
    assert!(text.contains("\"reason_category\": \"closed\""), "{text}");
    // The public digests agree with the audit package's.
    let p = load(&public);
    assert_eq!(p["inputs_digest"], a["inputs_digest"]);
    assert_eq!(p["draws"][1]["result_digest"], a["draws"][1]["result_digest"]);

    if have_python() {
        let (ok, out) = python_verify(&public);
        assert!(ok && out.contains("public package"), "{out}");
        let (ok, out) = python_verify(&audit);
        assert!(ok && out.contains("audit package"), "{out}");
    }
}

#[test]
fn committed_classes_verify_and_leave_unlisted_classes_out() {
    let env = Env::new();
    let cfg = env.path("config.toml");
    std::fs::write(&cfg, "[disclosure]\npool_credit_classes = \"committed\"\n").unwrap();
    let (public, audit) = drawn_plan(&env, Some(&cfg));
    let (ok, out) = verify(&public, "zh");
    assert!(ok, "{out}");
    assert!(
        out.contains("机构等级以承诺值公开") && out.contains("未列出机构的等级"),
        "{out}"
    );
    assert!(verify(&audit, "zh").0);
    let p = load(&public);
    let public_inputs = p["public_inputs"].as_str().unwrap();
    assert!(public_inputs.contains("classes\tcommitted\n"));
    // Institution lines end in a 64-hex commitment, never a class letter.
    for l in public_inputs.lines().filter(|l| l.starts_with("institution\t")) {
        assert_eq!(l.rsplit('\t').next().unwrap().len(), 64, "{l}");
    }
    // Tampering with a listed institution's class is refused: its salt no longer opens the commitment.
    let inst = p["draws"][1]["institutions"].as_str().unwrap();
    let task = inst.lines().find(|l| l.starts_with("task\t1\t")).unwrap().to_string();
    let f: Vec<&str> = task.split('\t').collect();
    let other = if f[2] == "A" { "B" } else { "A" };
    let changed = task.replacen(&format!("\t{}\t", f[2]), &format!("\t{other}\t"), 1);
    refused(
        &env,
        &p,
        "committed-class",
        |v| replace_in(v, "/draws/1/institutions", &task, &changed),
        "抽中机构不符",
    );
    if have_python() {
        assert!(python_verify(&public).0);
    }
}

#[test]
fn tampered_public_packages_are_refused() {
    let env = Env::new();
    let (public, _) = drawn_plan(&env, None);
    let p = load(&public);
    let inst = p["draws"][1]["institutions"].as_str().unwrap().to_string();
    let tasks: Vec<&str> = inst.lines().filter(|l| l.starts_with("task\t")).collect();
    let (t1, t2) = (tasks[0].to_string(), tasks[1].to_string());
    let code = |t: &str| t.split('\t').nth(4).unwrap().to_string();
    let public_line = p["public_inputs"]
        .as_str()
        .unwrap()
        .lines()
        .find(|l| l.starts_with(&format!("institution\t{}\t", code(&t1))))
        .unwrap()
        .to_string();

    // An institution: a drawn code replaced by another institution's.
    let some_other = p["public_inputs"]
        .as_str()
        .unwrap()
        .lines()
        .filter(|l| l.starts_with("institution\t"))
        .map(|l| l.split('\t').nth(1).unwrap().to_string())
        .find(|c| !inst.contains(c.as_str()))
        .unwrap();
    refused(
        &env,
        &p,
        "institution",
        |v| replace_in(v, "/draws/1/institutions", &code(&t1), &some_other),
        "抽中机构不符",
    );
    // A class in the public inputs (the drawn institution moved to another stratum).
    let cls = public_line.rsplit('\t').next().unwrap();
    let moved = format!(
        "{}\t{}",
        public_line.rsplit_once('\t').unwrap().0,
        if cls == "A" { "B" } else { "A" }
    );
    refused(
        &env,
        &p,
        "class",
        |v| replace_in(v, "/public_inputs", &public_line, &moved),
        "公开部分摘要不符",
    );
    // The order: two tasks swapped.
    let swapped = inst
        .replacen(&t1, "\u{1}", 1)
        .replacen(&t2, &t1, 1)
        .replacen('\u{1}', &t2, 1);
    refused(
        &env,
        &p,
        "order",
        |v| v["draws"][1]["institutions"] = Value::String(swapped.clone()),
        "抽中机构不符",
    );
    // A seed.
    refused(
        &env,
        &p,
        "seed",
        |v| v["draws"][1]["seed"] = "2026-公开-3".into(),
        "抽中机构不符",
    );
    // Each digest.
    let flip = |d: &Value| {
        let s = d.as_str().unwrap();
        let first = if s.starts_with('0') { "1" } else { "0" };
        Value::String(format!("{first}{}", &s[1..]))
    };
    for (name, pointer, expect) in [
        ("inputs-digest", "/inputs_digest", "输入摘要不符"),
        ("public-digest", "/public_digest", "公开部分摘要不符"),
        ("sealed-digest", "/sealed_digest", "输入摘要不符"),
        (
            "institutions-digest",
            "/draws/1/institutions_digest",
            "机构部分摘要不符",
        ),
        ("teams-digest", "/draws/1/teams_digest", "结果摘要不符"),
        ("result-digest", "/draws/0/result_digest", "结果摘要不符"),
    ] {
        refused(
            &env,
            &p,
            name,
            |v| *v.pointer_mut(pointer).unwrap() = flip(v.pointer(pointer).unwrap()),
            expect,
        );
    }
    // A replacement by another alternate than the next one.
    refused(
        &env,
        &p,
        "replacement",
        |v| v["adjustments"][0]["replacement_rank"] = 99.into(),
        "next alternate",
    );
    refused(
        &env,
        &p,
        "reason-category",
        |v| v["adjustments"][0]["reason_category"] = "该机构已注销".into(),
        "reason_category",
    );
}

#[test]
fn package_rules_of_section_22_are_enforced_for_both_kinds() {
    let env = Env::new();
    let (public, audit) = drawn_plan(&env, None);
    for (kind, original) in [("public", load(&public)), ("audit", load(&audit))] {
        let n = |s: &str| format!("{kind}-{s}");
        refused(
            &env,
            &original,
            &n("duplicated-draw"),
            |v| {
                let mut d = v["draws"][1].clone();
                d["drawn_at"] = v["draws"][1]["drawn_at"].clone();
                v["draws"].as_array_mut().unwrap().push(d);
            },
            "重复的抽取记录",
        );
        refused(
            &env,
            &original,
            &n("no-log-head"),
            |v| {
                v.as_object_mut().unwrap().remove("audit_log_head");
            },
            "audit_log_head",
        );
        refused(
            &env,
            &original,
            &n("null-log-head"),
            |v| v["audit_log_head"] = Value::Null,
            "expected struct LogHead",
        );
        refused(
            &env,
            &original,
            &n("drawn-before-frozen"),
            |v| v["draws"][0]["drawn_at"] = "2000-01-01T00:00:00".into(),
            "抽取早于冻结",
        );
        refused(
            &env,
            &original,
            &n("spec-rate"),
            |v| replace_in(v, "/plan/spec", "A = \"5%\"", "A = \"6%\""),
            "计划条款与抽取输入不符",
        );
        refused(
            &env,
            &original,
            &n("spec-team"),
            |v| replace_in(v, "/plan/spec", "size = 2", "size = 3"),
            "计划条款与抽取输入不符",
        );
        refused(
            &env,
            &original,
            &n("unknown-field"),
            |v| v["note"] = "extra".into(),
            "unknown field",
        );
        refused(
            &env,
            &original,
            &n("first-draw-reason"),
            |v| v["draws"][0]["reason"] = "why".into(),
            "首次抽取",
        );
        refused(
            &env,
            &original,
            &n("bad-seed"),
            |v| v["draws"][0]["seed"] = "2026-公开-1 ".into(),
            "draw 1",
        );
    }
}

#[test]
fn an_empty_team_expertise_table_keeps_the_defaults_and_is_not_a_contradiction() {
    let env = Env::new();
    let (public, _) = drawn_plan(&env, None);
    let mut v = load(&public);
    let spec = v["plan"]["spec"].as_str().unwrap().to_string();
    let start = spec.find("[team.expertise]").unwrap();
    let end = spec[start..].find("\n\n").map_or(spec.len(), |e| start + e);
    v["plan"]["spec"] = Value::String(format!("{}[team.expertise]\n{}", &spec[..start], &spec[end..]));
    let p = env.path("empty-expertise.json");
    std::fs::write(&p, serde_json::to_string(&v).unwrap()).unwrap();
    let (ok, out) = verify(&p, "zh");
    assert!(ok, "{out}");
    if have_python() {
        let (ok, out) = python_verify(&p);
        assert!(ok, "{out}");
    }
}

#[test]
fn a_v1_audit_package_of_the_previous_release_still_verifies() {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/packages/v1-audit-main-2291e42.json");
    let (ok, out) = verify(&fixture, "zh");
    assert!(ok, "{out}");
    assert!(out.contains("已验证：审计包（协议 v1）"), "{out}");
    assert!(
        out.contains("8786705ea938adefd9858a3444f11e04a4827fce5fbfa7c9485ed197439412ba"),
        "{out}"
    );
    if have_python() {
        let (ok, out) = python_verify(&fixture);
        assert!(ok, "{out}");
    }
    // A v1 plan has no public package.
    let env = Env::new();
    env.ok(&["demo"]);
    let err = env.fails(&["export", "public", "1", env.path("p.json").to_str().unwrap()]);
    assert!(err.contains("尚未冻结"), "{err}");
}

#[test]
fn a_redraw_with_a_used_seed_is_refused() {
    let env = Env::new();
    env.ok(&["demo"]);
    env.ok(&["plan", "freeze", "1"]);
    env.ok(&["draw", "1", "--seed", "1234"]);
    let err = env.fails(&["draw", "1", "--seed", "1234", "--reason", "again"]);
    assert!(err.contains("该种子已用于本计划"), "{err}");
}
