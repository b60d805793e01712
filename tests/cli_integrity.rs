//! `audit verify` against hand edits of the database (triggers dropped) and a published anchor.

mod common;

use common::Env;

fn sql(env: &Env, sql: &str) {
    rusqlite::Connection::open(env.db())
        .unwrap()
        .execute_batch(sql)
        .unwrap();
}

fn drawn(env: &Env) {
    env.ok(&["demo"]);
    env.ok(&["plan", "freeze", "1"]);
    env.ok(&["draw", "1", "--seed", "1"]);
}

#[test]
fn audit_verify_names_a_changed_deleted_or_inserted_task() {
    let env = Env::new();
    drawn(&env);
    let out = env.ok(&["audit", "verify"]);
    assert!(out.contains("任务表与抽取结果一致：1 个计划，1 次抽取"), "{out}");
    let c = rusqlite::Connection::open(env.db()).unwrap();
    let (inst, other): (String, String) = c
        .query_row(
            "SELECT (SELECT institution FROM tasks WHERE seq=1 AND alternate=0),
                    (SELECT institution FROM tasks WHERE seq=1 AND alternate=1)",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    drop(c);
    sql(&env, "DROP TRIGGER tasks_no_update; DROP TRIGGER tasks_no_delete;");
    sql(
        &env,
        &format!("UPDATE tasks SET institution='{other}' WHERE seq=1 AND alternate=0"),
    );
    sql(&env, "DELETE FROM tasks WHERE seq=2 AND alternate=0");
    sql(&env, "INSERT INTO tasks VALUES (1, 900, 0, 'A', 900, 'H000', '', '')");
    let err = env.fails(&["audit", "verify"]);
    assert!(
        err.contains(&format!("任务 1（{inst}）与抽取结果不符：任务表为 {other}")),
        "{err}"
    );
    assert!(err.contains("任务 2") && err.contains("在任务表中缺失"), "{err}");
    assert!(err.contains("多出任务 900（H000）"), "{err}");
    let en = env.fails(&["--lang", "en", "audit", "verify"]);
    assert!(en.contains("task 900 (H000) that the draw does not (inserted)"), "{en}");
}

#[test]
fn audit_verify_head_reports_a_truncated_log() {
    let env = Env::new();
    drawn(&env);
    let c = rusqlite::Connection::open(env.db()).unwrap();
    let (seq, hash): (i64, String) = c
        .query_row("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    drop(c);
    let anchor = format!("{seq}:{hash}");
    env.ok(&["plan", "publish", "1"]);
    let out = env.ok(&["audit", "verify", "--head", &anchor]);
    assert!(out.contains("审计日志延续了公布的锚点"), "{out}");
    let en = env.ok(&["--lang", "en", "audit", "verify", "--head", &anchor]);
    assert!(en.contains("the audit log extends the published anchor"), "{en}");

    // Removing the newest entries leaves a chain that holds: only the anchor tells.
    sql(
        &env,
        &format!("DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE seq >= {seq};"),
    );
    let err = env.fails(&["audit", "verify", "--head", &anchor]);
    assert!(
        err.contains(&format!("审计日志被截断：公布的锚点为第 {seq} 条")),
        "{err}"
    );
    let en = env.fails(&["--lang", "en", "audit", "verify", "--head", &anchor]);
    assert!(en.contains("the audit log was truncated"), "{en}");
    assert!(
        env.fails(&["audit", "verify", "--head", "12"])
            .contains("锚点应写作 序号:哈希")
    );
}
