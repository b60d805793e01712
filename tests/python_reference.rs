//! Cross-checks the Rust implementation against the independent Python reference
//! implementation `docs/reference/verify_draw.py`, which was written from
//! `docs/draw-protocol.md` alone.
//!
//! * every test vector under `tests/vectors/` must reproduce in Python, and
//! * an audit package written by the real binary (draw + replacement) must be
//!   verified by the Python script, and refused once its seed is altered.
//!
//! If `python3` is not on PATH the tests print a note and pass without checking.

use std::path::{Path, PathBuf};
use std::process::{Command as StdCommand, Output};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn script() -> PathBuf {
    root().join("docs").join("reference").join("verify_draw.py")
}

/// True if a working `python3` is on PATH; otherwise prints a note.
fn have_python() -> bool {
    let ok = StdCommand::new("python3")
        .arg("--version")
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    if !ok {
        eprintln!("note: python3 not found on PATH; skipping the Python reference check");
    }
    ok
}

fn python(args: &[&str]) -> Output {
    StdCommand::new("python3")
        .arg(script())
        .args(args)
        .current_dir(root())
        .env("PYTHONIOENCODING", "utf-8")
        .output()
        .expect("failed to run python3")
}

fn describe(o: &Output) -> String {
    format!(
        "status {:?}\n--- stdout ---\n{}\n--- stderr ---\n{}",
        o.status.code(),
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn choucha(db: &Path, args: &[&str]) {
    let out = assert_cmd::Command::cargo_bin("choucha")
        .unwrap()
        .env("CHOUCHA_DB", db)
        .env_remove("CHOUCHA_CONFIG")
        .args(args)
        .output()
        .unwrap();
    assert!(out.status.success(), "choucha {:?} failed: {}", args, describe(&out));
}

#[test]
fn python_reference_reproduces_every_vector() {
    if !have_python() {
        return;
    }
    let out = python(&["vectors", "tests/vectors"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "verify_draw.py vectors failed: {}",
        describe(&out)
    );
    assert!(!stdout.contains("FAIL"), "{}", describe(&out));
    // Every vector file must have been checked (one `ok` line each, plus rng/below).
    let vectors = std::fs::read_dir(root().join("tests/vectors"))
        .unwrap()
        .filter(|e| e.as_ref().unwrap().path().extension().is_some_and(|x| x == "json"))
        .count();
    assert!(vectors > 0);
    let v2_vectors = std::fs::read_dir(root().join("tests/vectors/v2"))
        .unwrap()
        .filter(|e| e.as_ref().unwrap().path().extension().is_some_and(|x| x == "json"))
        .count();
    assert!(v2_vectors >= 8, "the v2 vectors are missing");
    assert_eq!(
        stdout.lines().filter(|l| l.starts_with("ok v2/")).count(),
        v2_vectors,
        "{}",
        describe(&out)
    );
    let oks = stdout.lines().filter(|l| l.starts_with("ok ")).count();
    assert_eq!(
        oks,
        vectors + v2_vectors + 1,
        "expected one ok line per vector and rng/below: {}",
        describe(&out)
    );
}

#[test]
fn python_reference_verifies_an_audit_package_from_the_binary() {
    if !have_python() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("x.db");
    let pkg = dir.path().join("a.json");
    let pkg_s = pkg.to_str().unwrap();

    choucha(&db, &["demo"]);
    choucha(&db, &["plan", "freeze", "1"]);
    choucha(&db, &["draw", "1", "--seed", "2026-审计-42"]);
    choucha(&db, &["task", "replace", "1", "2", "--reason", "注销"]);
    choucha(&db, &["export", "audit", "1", pkg_s]);

    let out = python(&["package", pkg_s]);
    assert!(
        out.status.success(),
        "Python verifier refused the package: {}",
        describe(&out)
    );
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("reproduced"),
        "no `reproduced` in the output: {}",
        describe(&out)
    );

    // The package really has the draw and the replacement we made.
    let text = std::fs::read_to_string(&pkg).unwrap();
    let mut v: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["draws"].as_array().unwrap().len(), 1);
    assert_eq!(v["adjustments"].as_array().unwrap().len(), 1);

    // Alter the seed: the rerun gives another result, so verification must fail.
    v["draws"][0]["seed"] = serde_json::Value::String("2026-审计-43".to_string());
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, serde_json::to_string_pretty(&v).unwrap()).unwrap();
    let out = python(&["package", bad.to_str().unwrap()]);
    assert!(
        !out.status.success(),
        "Python verifier accepted an altered seed: {}",
        describe(&out)
    );
    assert!(
        !String::from_utf8_lossy(&out.stdout).contains("已复现 / reproduced"),
        "{}",
        describe(&out)
    );
}
