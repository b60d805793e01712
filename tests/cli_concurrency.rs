//! Two terminals at once: a bulk import in one process while others read and write the same file.

mod common;
#[path = "../benches/support/mod.rs"]
mod support;

use std::process::{Command, Stdio};

use common::Env;

fn choucha(env: &Env) -> Command {
    let mut c = Command::new(assert_cmd::cargo::cargo_bin("choucha"));
    c.env("CHOUCHA_DB", env.db())
        .env_remove("CHOUCHA_CONFIG")
        .args(["--actor", "tester"]);
    c
}

#[test]
fn readers_keep_working_and_writers_wait_during_a_bulk_import() {
    let env = Env::new();
    env.ok(&["info"]);
    let csv = env.path("institutions.csv");
    // Long enough for readers to run meanwhile, short enough that the waiting writer stays well inside the
    // busy timeout even on a loaded two-core machine (100,000 rows took over 10 s there).
    support::write_institutions(&csv, 30_000);
    let mut import = choucha(&env)
        .args(["import", "institutions"])
        .arg(&csv)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Readers while the import runs: each must succeed (never a raw "database is locked").
    let mut while_importing = 0;
    loop {
        let running = import.try_wait().unwrap().is_none();
        // The file never leaves WAL mode (in rollback-journal mode readers would wait for the import).
        let probe =
            rusqlite::Connection::open_with_flags(env.db(), rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
        let mode: String = probe.query_row("PRAGMA journal_mode", [], |r| r.get(0)).unwrap();
        assert_eq!(mode, "wal", "journal mode during the import");
        drop(probe);
        for args in [&["info"][..], &["plan", "list"]] {
            let out = choucha(&env).args(args).output().unwrap();
            assert!(
                out.status.success(),
                "{args:?} failed during the import: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        if !running {
            break;
        }
        while_importing += 1;
        // A writer meanwhile waits for the import to commit, then writes; should the import take
        // longer than the busy timeout, it says in Chinese what is going on.
        if while_importing == 1 {
            let out = choucha(&env)
                .args(["import", "items"])
                .arg("tests/fixtures/good/items-small.csv")
                .output()
                .unwrap();
            let err = String::from_utf8_lossy(&out.stderr);
            assert!(
                out.status.success() || err.contains("另一个 choucha 进程正在写入这个数据库"),
                "{err}"
            );
            assert!(!err.contains("database is locked"), "{err}");
        }
    }
    let out = import.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(while_importing > 0, "the readers ran while the import was under way");
    let info = env.ok(&["info"]);
    assert!(info.contains("30000"), "{info}");
    assert!(env.ok(&["audit", "verify"]).contains("审计日志完整"));
}
