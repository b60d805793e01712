//! The rosters through the command line: import in every format, refusals, round trips.

mod common;

use common::{Env, data, fixture};

fn export_bytes(env: &Env, kind: &str, name: &str) -> Vec<u8> {
    let p = env.path(name);
    env.ok(&["export", kind, p.to_str().unwrap()]);
    std::fs::read(p).unwrap()
}

#[test]
fn utf8_gbk_and_xlsx_imports_give_identical_exports() {
    // UTF-8 CSV → export CSV and xlsx.
    let a = Env::new();
    let out = a.ok(&["import", "institutions", &fixture("good/institutions-small.csv")]);
    assert!(out.contains("新增 20"), "{out}");
    let csv_a = export_bytes(&a, "institutions", "a.csv");
    let xlsx_path = a.path("a.xlsx");
    a.ok(&["export", "institutions", xlsx_path.to_str().unwrap()]);
    assert!(csv_a.starts_with("\u{feff}机构编码,机构名称".as_bytes()));

    // GBK CSV of the same rows.
    let b = Env::new();
    b.ok(&["import", "institutions", &fixture("good/institutions-small-gbk.csv")]);
    assert_eq!(export_bytes(&b, "institutions", "b.csv"), csv_a);

    // The exported xlsx imported into a fresh database.
    let c = Env::new();
    c.ok(&["import", "institutions", xlsx_path.to_str().unwrap()]);
    assert_eq!(export_bytes(&c, "institutions", "c.csv"), csv_a);

    // Importing the same file again changes nothing.
    let again = a.ok(&["import", "institutions", &fixture("good/institutions-small.csv")]);
    assert!(again.contains("新增 0，更新 0，未变 20"), "{again}");
}

#[test]
fn full_example_rosters_round_trip_through_export() {
    let a = Env::new();
    a.ok(&["demo"]);
    for kind in ["institutions", "inspectors", "items"] {
        for ext in ["csv", "xlsx"] {
            let first = a.path(&format!("{kind}.{ext}"));
            a.ok(&["export", kind, first.to_str().unwrap()]);
            let b = Env::new();
            b.ok(&["import", kind, first.to_str().unwrap()]);
            let second = b.path(&format!("{kind}-2.csv"));
            b.ok(&["export", kind, second.to_str().unwrap()]);
            let first_csv = a.path(&format!("{kind}-1.csv"));
            a.ok(&["export", kind, first_csv.to_str().unwrap()]);
            assert_eq!(
                std::fs::read(&first_csv).unwrap(),
                std::fs::read(&second).unwrap(),
                "{kind} via {ext}"
            );
        }
    }
}

/// Each bad file is refused naming row and column, and the database stays as it was.
#[test]
fn bad_files_are_refused_with_row_and_column_and_nothing_written() {
    let env = Env::new();
    env.ok(&["import", "institutions", &fixture("good/institutions-small.csv")]);
    let before = export_bytes(&env, "institutions", "before.csv");
    let log_before = env.ok(&["audit", "log", "-n", "100"]);
    let cases: &[(&str, &[&str])] = &[
        ("bad/missing-column.csv", &["缺少", "机构名称"]),
        ("bad/empty-required.csv", &["第 5 行", "机构名称", "必填"]),
        ("bad/bad-uscc-check.csv", &["第 4 行", "统一社会信用代码", "校验位错误"]),
        ("bad/bad-code-format.csv", &["第 3 行", "机构编码", "X12345"]),
        ("bad/unknown-type.csv", &["第 4 行", "机构类型", "诊所药房"]),
        ("bad/unknown-credit.csv", &["第 3 行", "信用等级", "“E”"]),
        ("bad/duplicate-key.csv", &["第 6 行", "机构编码", "与第 3 行重复"]),
        ("bad/empty.csv", &["empty.csv"]),
        ("bad/header-only.csv", &["没有数据行"]),
        ("bad/invalid-utf8-gbk-mix.csv", &["第 3 行", "GBK"]),
    ];
    for (file, needles) in cases {
        let err = env.fails(&["import", "institutions", &fixture(file)]);
        assert!(err.contains("未写入任何数据"), "{file}: {err}");
        for n in *needles {
            assert!(err.contains(n), "{file}: expected {n:?} in\n{err}");
        }
    }
    let err = env.fails(&["import", "inspectors", &fixture("bad/inspectors-bad-bool.csv")]);
    assert!(
        err.contains("第 4 行") && err.contains("持有执法证") && err.contains("也许"),
        "{err}"
    );
    assert_eq!(export_bytes(&env, "institutions", "after.csv"), before);
    assert_eq!(env.ok(&["audit", "log", "-n", "100"]), log_before);
}

#[test]
fn english_messages_and_unknown_conflict_is_a_warning() {
    let env = Env::new();
    let err = env.fails(&[
        "--lang",
        "en",
        "import",
        "institutions",
        &fixture("bad/empty-required.csv"),
    ]);
    assert!(err.contains("row 5") && err.contains("required"), "{err}");
    env.ok(&["import", "institutions", &fixture("good/institutions-small.csv")]);
    let out = env
        .cmd()
        .args(["import", "inspectors", &fixture("bad/inspectors-unknown-conflict.csv")])
        .output()
        .unwrap();
    assert!(out.status.success());
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("警告") && stderr.contains("H99999999999"), "{stderr}");
}

#[test]
fn dry_run_reports_counts_and_writes_nothing() {
    let env = Env::new();
    let out = env.ok(&["import", "items", &data("items.csv"), "--dry-run"]);
    assert!(out.contains("试运行") && out.contains("新增 22"), "{out}");
    assert!(env.ok(&["info"]).contains("抽查事项: 0"));
}

#[test]
fn deactivate_missing_keeps_history() {
    let env = Env::new();
    env.ok(&["import", "institutions", &data("institutions.csv")]);
    let out = env.ok(&[
        "import",
        "institutions",
        &fixture("good/institutions-small.csv"),
        "--deactivate-missing",
    ]);
    assert!(out.contains("停用 314"), "{out}");
    assert!(env.ok(&["info"]).contains("检查对象: 20"));
}

#[test]
fn demo_refuses_a_database_with_data() {
    let env = Env::new();
    env.ok(&["import", "items", &data("items.csv")]);
    let err = env.fails(&["demo"]);
    assert!(err.contains("--force"), "{err}");
    env.ok(&["demo", "--force"]);
}

#[test]
fn backup_and_audit_chain() {
    let env = Env::new();
    env.ok(&["demo"]);
    let b = env.path("backup.db");
    env.ok(&["backup", b.to_str().unwrap()]);
    let out = env
        .cmd()
        .env("CHOUCHA_DB", &b)
        .args(["audit", "verify"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8(out.stdout).unwrap().contains("哈希链连续"));
}

#[test]
fn invalid_user_config_is_refused_naming_the_key() {
    let env = Env::new();
    let cfg = env.path("bad.toml");
    std::fs::write(
        &cfg,
        "[plan_defaults.team]\nsize = 1\n[rosters]\ndefault_credit = \"Z\"\n",
    )
    .unwrap();
    let err = env.fails(&["--config", cfg.to_str().unwrap(), "info"]);
    assert!(err.contains("rosters.default_credit"), "{err}");
}
