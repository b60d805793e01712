//! Schema migrations, applied in order at open; `PRAGMA user_version` records how far a file got.

/// `PRAGMA application_id`: "chou" in ASCII, so `file(1)` and we can tell our databases apart.
pub const APPLICATION_ID: i32 = 0x6368_6f75;

/// Each entry moves the schema from version i to i + 1. Never edit a released entry: append.
pub const MIGRATIONS: &[&str] = &[
    // 1: the three rosters (rowid tables: imports append rows and only the small key index is
    // searched, much faster than a wide WITHOUT ROWID tree keyed by text), plans and their frozen inputs, draws, adjustments, the audit log.
    r#"
    CREATE TABLE institutions (
        code TEXT NOT NULL, name TEXT NOT NULL, uscc TEXT NOT NULL, kind TEXT NOT NULL,
        ownership TEXT NOT NULL, grade TEXT NOT NULL, region TEXT NOT NULL,
        credit TEXT NOT NULL CHECK (credit IN ('A','B','C','D')),
        address TEXT NOT NULL, contact TEXT NOT NULL, phone TEXT NOT NULL, status TEXT NOT NULL,
        active INTEGER NOT NULL DEFAULT 1, updated_at TEXT NOT NULL
    ) STRICT;
    CREATE TABLE inspectors (
        id TEXT NOT NULL, name TEXT NOT NULL, unit TEXT NOT NULL, region TEXT NOT NULL,
        expertise TEXT NOT NULL, certified TEXT NOT NULL, conflicts TEXT NOT NULL,
        phone TEXT NOT NULL, status TEXT NOT NULL,
        active INTEGER NOT NULL DEFAULT 1, updated_at TEXT NOT NULL
    ) STRICT;
    CREATE TABLE items (
        code TEXT NOT NULL, name TEXT NOT NULL, applies_to TEXT NOT NULL, basis TEXT NOT NULL,
        method TEXT NOT NULL, category TEXT NOT NULL, status TEXT NOT NULL,
        active INTEGER NOT NULL DEFAULT 1, updated_at TEXT NOT NULL
    ) STRICT;

    -- Named key indexes (not inline UNIQUE) so that a bulk load into an empty roster can build
    -- the index once, sorted, after the rows are in.
    CREATE UNIQUE INDEX institutions_key ON institutions(code);
    CREATE UNIQUE INDEX inspectors_key ON inspectors(id);
    CREATE UNIQUE INDEX items_key ON items(code);

    CREATE TABLE plans (
        id INTEGER PRIMARY KEY, title TEXT NOT NULL, year INTEGER NOT NULL, spec TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('draft','frozen','drawn','published','closed')),
        created_at TEXT NOT NULL, created_by TEXT NOT NULL
    ) STRICT;
    CREATE TABLE plan_inputs (
        plan_id INTEGER PRIMARY KEY REFERENCES plans(id), protocol INTEGER NOT NULL,
        inputs BLOB NOT NULL, inputs_digest TEXT NOT NULL, report TEXT NOT NULL,
        frozen_at TEXT NOT NULL, frozen_by TEXT NOT NULL
    ) STRICT;
    CREATE TABLE draws (
        id INTEGER PRIMARY KEY, plan_id INTEGER NOT NULL REFERENCES plan_inputs(plan_id),
        protocol INTEGER NOT NULL, seed TEXT NOT NULL, result TEXT NOT NULL,
        result_digest TEXT NOT NULL, reason TEXT NOT NULL,
        drawn_at TEXT NOT NULL, drawn_by TEXT NOT NULL
    ) STRICT;
    CREATE TABLE tasks (
        draw_id INTEGER NOT NULL REFERENCES draws(id), seq INTEGER NOT NULL,
        alternate INTEGER NOT NULL, class TEXT NOT NULL, rank INTEGER NOT NULL,
        institution TEXT NOT NULL, team TEXT NOT NULL, items TEXT NOT NULL,
        PRIMARY KEY (draw_id, alternate, seq)
    ) STRICT, WITHOUT ROWID;
    CREATE TABLE adjustments (
        id INTEGER PRIMARY KEY, draw_id INTEGER NOT NULL REFERENCES draws(id),
        task_seq INTEGER NOT NULL, replaced TEXT NOT NULL, replacement TEXT NOT NULL,
        replacement_rank INTEGER NOT NULL, team TEXT NOT NULL, reason TEXT NOT NULL,
        at TEXT NOT NULL, actor TEXT NOT NULL
    ) STRICT;

    CREATE TABLE audit_log (
        seq INTEGER PRIMARY KEY, at TEXT NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL,
        object TEXT NOT NULL, details TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL
    ) STRICT;

    -- What was frozen, drawn, adjusted or logged is never changed or removed.
    CREATE TRIGGER plan_inputs_no_update BEFORE UPDATE ON plan_inputs BEGIN SELECT RAISE(ABORT, 'plan_inputs is append-only'); END;
    CREATE TRIGGER plan_inputs_no_delete BEFORE DELETE ON plan_inputs BEGIN SELECT RAISE(ABORT, 'plan_inputs is append-only'); END;
    CREATE TRIGGER draws_no_update BEFORE UPDATE ON draws BEGIN SELECT RAISE(ABORT, 'draws is append-only'); END;
    CREATE TRIGGER draws_no_delete BEFORE DELETE ON draws BEGIN SELECT RAISE(ABORT, 'draws is append-only'); END;
    CREATE TRIGGER tasks_no_update BEFORE UPDATE ON tasks BEGIN SELECT RAISE(ABORT, 'tasks is append-only'); END;
    CREATE TRIGGER tasks_no_delete BEFORE DELETE ON tasks BEGIN SELECT RAISE(ABORT, 'tasks is append-only'); END;
    CREATE TRIGGER adjustments_no_update BEFORE UPDATE ON adjustments BEGIN SELECT RAISE(ABORT, 'adjustments is append-only'); END;
    CREATE TRIGGER adjustments_no_delete BEFORE DELETE ON adjustments BEGIN SELECT RAISE(ABORT, 'adjustments is append-only'); END;
    CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
    CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
    -- INSERT OR REPLACE would delete without firing delete triggers: continuity is checked on insert.
    CREATE TRIGGER audit_log_chain BEFORE INSERT ON audit_log BEGIN
        SELECT RAISE(ABORT, 'audit_log: seq must follow the last entry')
        WHERE NEW.seq IS NOT (SELECT COALESCE(MAX(seq), 0) + 1 FROM audit_log);
        SELECT RAISE(ABORT, 'audit_log: prev_hash must be the last entry''s hash')
        WHERE NEW.prev_hash IS NOT COALESCE((SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1), printf('%064d', 0));
    END;
    CREATE TRIGGER plan_inputs_once BEFORE INSERT ON plan_inputs BEGIN
        SELECT RAISE(ABORT, 'plan is already frozen') WHERE EXISTS (SELECT 1 FROM plan_inputs WHERE plan_id = NEW.plan_id);
    END;
    "#,
    // 2: inspection results (per task and institution of the current draw), item results,
    // findings, 驾照式记分 points, and the log of public disclosures.
    r#"
    CREATE TABLE task_results (
        draw_id INTEGER NOT NULL REFERENCES draws(id), seq INTEGER NOT NULL, institution TEXT NOT NULL,
        plan_id INTEGER NOT NULL REFERENCES plans(id),
        check_date TEXT NOT NULL, completed_on TEXT NOT NULL, category TEXT NOT NULL,
        measures TEXT NOT NULL,
        recovered_fen INTEGER NOT NULL CHECK (recovered_fen >= 0),
        fine_fen INTEGER NOT NULL CHECK (fine_fen >= 0),
        rectify_by TEXT, rectify_status TEXT CHECK (rectify_status IN ('未整改','整改中','已销号')),
        public_remark TEXT NOT NULL, internal_notes TEXT NOT NULL,
        recorded_at TEXT NOT NULL, recorded_by TEXT NOT NULL,
        disclosed_at TEXT,
        PRIMARY KEY (draw_id, seq, institution)
    ) STRICT, WITHOUT ROWID;
    CREATE INDEX task_results_by_plan ON task_results(plan_id);
    CREATE INDEX task_results_by_institution ON task_results(institution, completed_on);
    CREATE TABLE item_results (
        draw_id INTEGER NOT NULL, seq INTEGER NOT NULL, institution TEXT NOT NULL,
        item TEXT NOT NULL, category TEXT NOT NULL,
        PRIMARY KEY (draw_id, seq, institution, item),
        FOREIGN KEY (draw_id, seq, institution) REFERENCES task_results(draw_id, seq, institution) ON DELETE CASCADE
    ) STRICT, WITHOUT ROWID;
    CREATE TABLE findings (
        draw_id INTEGER NOT NULL, seq INTEGER NOT NULL, institution TEXT NOT NULL,
        no INTEGER NOT NULL CHECK (no >= 1), item TEXT NOT NULL, description TEXT NOT NULL,
        amount_fen INTEGER NOT NULL CHECK (amount_fen >= 0),
        PRIMARY KEY (draw_id, seq, institution, no),
        FOREIGN KEY (draw_id, seq, institution) REFERENCES task_results(draw_id, seq, institution) ON DELETE CASCADE
    ) STRICT, WITHOUT ROWID;
    CREATE TABLE points (
        draw_id INTEGER NOT NULL, seq INTEGER NOT NULL, institution TEXT NOT NULL,
        line INTEGER NOT NULL, finding_no INTEGER NOT NULL,
        person_name TEXT NOT NULL, person_role TEXT NOT NULL, person_code TEXT NOT NULL,
        points INTEGER NOT NULL CHECK (points BETWEEN 1 AND 12), scored_on TEXT NOT NULL,
        PRIMARY KEY (draw_id, seq, institution, line),
        FOREIGN KEY (draw_id, seq, institution, finding_no)
            REFERENCES findings(draw_id, seq, institution, no) ON DELETE CASCADE
    ) STRICT, WITHOUT ROWID;
    CREATE INDEX points_by_date ON points(scored_on);
    CREATE TABLE disclosures (
        id INTEGER PRIMARY KEY, plan_id INTEGER NOT NULL REFERENCES plans(id),
        draw_id INTEGER NOT NULL REFERENCES draws(id), format TEXT NOT NULL, file_name TEXT NOT NULL,
        rows INTEGER NOT NULL, digest TEXT NOT NULL, audit_seq INTEGER NOT NULL,
        at TEXT NOT NULL, actor TEXT NOT NULL
    ) STRICT;
    CREATE TRIGGER disclosures_no_update BEFORE UPDATE ON disclosures BEGIN SELECT RAISE(ABORT, 'disclosures is append-only'); END;
    CREATE TRIGGER disclosures_no_delete BEFORE DELETE ON disclosures BEGIN SELECT RAISE(ABORT, 'disclosures is append-only'); END;
    -- Results belong to the draw they were recorded for: once there are any, the plan is not redrawn.
    CREATE TRIGGER draws_locked_by_results BEFORE INSERT ON draws BEGIN
        SELECT RAISE(ABORT, '该计划已登记检查结果，不能重新抽取 / results are recorded for this plan: it cannot be redrawn')
        WHERE EXISTS (SELECT 1 FROM task_results WHERE plan_id = NEW.plan_id);
    END;
    "#,
    // 3: the plan file as its author wrote it (comments, order), to edit it again; `spec`
    // (defaults merged in) stays what a freeze reads.
    r#"
    ALTER TABLE plans ADD COLUMN source TEXT;
    "#,
    // 4: the SHA-256 of each disclosure file, committed before the file appears under its name.
    r#"
    ALTER TABLE disclosures ADD COLUMN file_sha256 TEXT;
    "#,
];
