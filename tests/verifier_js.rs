//! The browser verifier (docs/verifier/verifier.html), an independent JavaScript implementation of
//! docs/draw-protocol.md, checked two ways:
//!
//! * with node (`node --test tests/verifier/`): every vector in tests/vectors, and packages written
//!   by the real binary, which must verify while every tampered copy is refused;
//! * in headless Chromium: an exported page shows 已复现, a tampered one 未能复现.
//!
//! Without node the test FAILS (set CHOUCHA_SKIP_NODE=1 to skip it knowingly); without a working
//! Chromium the browser test prints loudly that it was skipped and why.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::Env;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn describe(o: &Output) -> String {
    format!(
        "status {:?}\n--- stdout ---\n{}\n--- stderr ---\n{}",
        o.status.code(),
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// True if node should run; panics when it is needed and missing.
fn node_available() -> bool {
    if std::env::var("CHOUCHA_SKIP_NODE").is_ok_and(|v| v == "1") {
        eprintln!("\n*** CHOUCHA_SKIP_NODE=1: the JavaScript verifier tests were NOT run ***\n");
        return false;
    }
    let ok = Command::new("node")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(
        ok,
        "\n\n*** node is needed to test the browser verifier (docs/verifier/verifier.html). ***\n\
         Install it (Debian: `apt-get install -y nodejs`; `.ci/run` does this), or set\n\
         CHOUCHA_SKIP_NODE=1 to skip these tests knowingly.\n"
    );
    true
}

/// A plan drawn twice (a redraw with a reason), with one replacement by an alternate; writes the
/// program's audit and public packages and its verifier page into `dir`. Returns the audit package's path.
fn packages_from_the_program(env: &Env, dir: &Path) -> PathBuf {
    env.ok(&["demo"]);
    env.ok(&["plan", "freeze", "1"]);
    env.ok(&["draw", "1", "--seed", "2026-验证-7"]);
    env.ok(&["draw", "1", "--seed", "36 51 02 骰子", "--reason", "种子录入有误"]);
    env.ok(&["task", "replace", "1", "2", "--reason", "已注销"]);
    let audit = dir.join("demo.audit.json");
    env.ok(&["export", "audit", "1", audit.to_str().unwrap()]);
    let public = dir.join("demo.public.json");
    env.ok(&["export", "public", "1", public.to_str().unwrap()]);
    let page = dir.join("demo.verifier.html");
    env.ok(&["export", "verifier", "1", page.to_str().unwrap()]);
    audit
}

#[test]
fn javascript_verifier_reproduces_every_vector_and_the_programs_packages() {
    if !node_available() {
        return;
    }
    let env = Env::new();
    let dir = env.path("packages");
    std::fs::create_dir(&dir).unwrap();
    let audit = packages_from_the_program(&env, &dir);
    // A page with a package embedded, as the exporter writes it.
    let pkg = std::fs::read_to_string(&audit).unwrap();
    std::fs::write(
        dir.join("demo.audit.html"),
        choucha::io::verifier_page::with_package(&pkg),
    )
    .unwrap();

    let out = Command::new("node")
        .arg("--test")
        .arg(root().join("tests").join("verifier"))
        .env("CHOUCHA_VERIFIER_PACKAGES", &dir)
        .current_dir(root())
        .output()
        .expect("failed to run node");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "node --test tests/verifier failed: {}",
        describe(&out)
    );
    // Every vector and the packages were really checked, not skipped.
    let json_files = |dir: PathBuf| {
        std::fs::read_dir(dir).map_or(0, |d| {
            d.filter(|e| e.as_ref().unwrap().path().extension().is_some_and(|x| x == "json"))
                .count()
        })
    };
    let vectors =
        json_files(root().join("tests").join("vectors")) + json_files(root().join("tests").join("vectors").join("v2"));
    let vector_tests = stdout
        .lines()
        .filter(|l| l.starts_with("ok ") && l.contains(" - vector "))
        .count();
    assert_eq!(vector_tests, vectors, "one passing test per vector: {}", describe(&out));
    assert!(stdout.contains("# skipped 0"), "{}", describe(&out));
    assert!(stdout.contains("# fail 0"), "{}", describe(&out));
    assert!(
        stdout.contains("ok") && stdout.contains("package demo.audit.json verifies"),
        "{}",
        describe(&out)
    );
    assert!(stdout.contains("exported page demo.audit.html"), "{}", describe(&out));
}

/// A Chromium (or Chrome) binary that runs headless here, or why not.
fn chromium() -> Result<String, String> {
    for name in ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"] {
        let ok = Command::new(name)
            .args(["--headless", "--no-sandbox", "--disable-gpu", "--version"])
            .output();
        if let Ok(o) = ok
            && o.status.success()
        {
            return Ok(name.to_string());
        }
    }
    Err("no chromium, chromium-browser or google-chrome on PATH (Debian: apt-get install -y chromium)".into())
}

/// The page's DOM after its script ran, as headless Chromium renders it from file://.
fn dump_dom(browser: &str, page: &Path) -> Result<String, String> {
    let profile = tempfile::tempdir().unwrap();
    let out = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--virtual-time-budget=20000",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg("--dump-dom")
        .arg(format!("file://{}", page.display()))
        .output()
        .map_err(|e| format!("cannot start {browser}: {e}"))?;
    let dom = String::from_utf8_lossy(&out.stdout).into_owned();
    if !out.status.success() || !dom.contains("<body") {
        return Err(format!("{browser} did not render the page: {}", describe(&out)));
    }
    Ok(dom)
}

fn verdict(dom: &str) -> &str {
    let start = dom.find(r#"id="verdict">"#).expect("a verdict element") + r#"id="verdict">"#.len();
    &dom[start..start + dom[start..].find('<').unwrap()]
}

#[test]
fn exported_page_in_headless_chromium_reproduces_and_refuses_a_tampered_package() {
    let browser = match chromium() {
        Ok(b) => b,
        Err(why) => {
            eprintln!("\n*** SKIPPED: the headless Chromium test of the verifier page did not run: {why} ***\n");
            return;
        }
    };
    let env = Env::new();
    let dir = env.path("pages");
    std::fs::create_dir(&dir).unwrap();
    packages_from_the_program(&env, &dir);
    // The page as the unit publishes it: `export verifier`, with the public package inside.
    let honest = dir.join("demo.verifier.html");
    let pkg = std::fs::read_to_string(dir.join("demo.public.json")).unwrap();
    let mut v: serde_json::Value = serde_json::from_str(&pkg).unwrap();
    v["draws"][1]["seed"] = serde_json::Value::String("36 51 03 骰子".into());
    let tampered = dir.join("tampered.html");
    std::fs::write(
        &tampered,
        choucha::io::verifier_page::with_package(&serde_json::to_string(&v).unwrap()),
    )
    .unwrap();

    let dom = match dump_dom(&browser, &honest) {
        Ok(d) => d,
        Err(why) => {
            eprintln!("\n*** SKIPPED: headless Chromium cannot run here: {why} ***\n");
            return;
        }
    };
    assert_eq!(verdict(&dom), "已复现", "{dom}");
    assert!(dom.contains(r#"data-status="reproduced""#));
    // The inputs digest appears in groups of 8.
    let digest = v["inputs_digest"].as_str().unwrap();
    assert!(dom.contains(&format!("<span>{}</span><span>{}</span>", &digest[..8], &digest[8..16])));

    let dom = dump_dom(&browser, &tampered).unwrap();
    assert_eq!(verdict(&dom), "未能复现", "{dom}");
    assert!(dom.contains(r#"data-status="failed""#));
    assert!(dom.contains("36 51 03 骰子"), "the first difference is named: {dom}");
}
