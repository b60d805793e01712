//! Exporting the disclosure: a write, logged in the same transaction, after which its results
//! count as disclosed.

use std::path::Path;

use anyhow::{Result, bail};

use super::privacy::privacy_check;
use super::{AuditHead, DisclosureOutcome};
use crate::app::Service;
use crate::app::results::drawn_plan;
use crate::io::disclosure_out::{PublicFormat, place_all, stage_public, written_files};
use crate::store::audit;
use crate::store::results::{self as db, DisclosureLog};

impl Service {
    /// Writes the public disclosure of a plan to `path` (.xlsx, .csv, .json or .html) and logs
    /// the export in the same transaction; results in it count as disclosed from now on. Refused
    /// when no result is recorded yet or when a public cell would hold private data.
    pub fn export_disclosure(&mut self, plan: i64, path: &Path) -> Result<DisclosureOutcome> {
        let Some(format) = PublicFormat::from_path(path) else {
            bail!(
                "{}: {}",
                self.t(
                    "公示文件的扩展名应为 .xlsx、.csv、.json 或 .html",
                    "a disclosure file must end in .xlsx, .csv, .json or .html"
                ),
                path.display()
            );
        };
        let lang = self.lang;
        let (now, actor) = (self.now_text(), self.actor.clone());
        let file_name = path
            .file_name()
            .map(|f| f.to_string_lossy().into_owned())
            .unwrap_or_default();
        // One IMMEDIATE transaction from the first read to the log entry: no results import can
        // commit between building the records and marking them published. The file is complete
        // and on disk before the commit and appears under its name only after it.
        let (staged, outcome) = self.store.write_shared(|tx| {
            let p = drawn_plan(tx, plan, lang)?;
            let (mut d, keys) = self.build_disclosure(tx, &p)?;
            if d.records.is_empty() {
                bail!(
                    "{}",
                    lang.pick(
                        "该计划尚未登记任何检查结果，没有可公示的内容",
                        "no result is recorded for this plan yet: nothing to disclose"
                    )
                );
            }
            let private = db::private_values(tx)?;
            privacy_check(&d.doc(), &serde_json::to_string(&d)?, &private, lang)?;
            let draw_id = p.draw.id;
            let rows = d.records.len();
            let pending = d.pending_tasks;
            let digest = d.evidence.records_digest.clone();
            let entry = audit::append(
                tx,
                &now,
                &actor,
                "disclosure.export",
                &format!("plan:{plan}"),
                &format!(
                    "file={file_name} format={} rows={rows} pending={pending} records_digest={digest}",
                    format.as_str()
                ),
            )?;
            let newly = db::mark_disclosed(tx, &keys, &now)?;
            d.evidence.audit_log = Some(AuditHead {
                seq: entry.seq,
                hash: entry.hash.clone(),
            });
            let json = serde_json::to_value(&d)?;
            let (_, staged) = stage_public(path, &d.doc(), &json)?;
            // The file named in the log: the table (for CSV the last staged, after its evidence).
            let file_sha256 = staged.last().map(|f| f.sha256()).transpose()?;
            db::insert_disclosure(
                tx,
                &DisclosureLog {
                    id: 0,
                    plan_id: plan,
                    draw_id,
                    format: format.as_str().into(),
                    file_name: file_name.clone(),
                    rows,
                    digest: digest.clone(),
                    audit_seq: entry.seq,
                    at: now.clone(),
                    actor: actor.clone(),
                    file_sha256,
                },
            )?;
            Ok((
                staged,
                DisclosureOutcome {
                    format,
                    rows,
                    pending_tasks: pending,
                    newly_disclosed: newly,
                    audit_seq: entry.seq,
                    records_digest: digest,
                    files: written_files(path),
                },
            ))
        })?;
        place_all(staged)?;
        Ok(outcome)
    }

    /// Every disclosure file exported for a plan.
    pub fn disclosures(&self, plan: i64) -> Result<Vec<DisclosureLog>> {
        db::disclosures_of_plan(&self.store.reader(), plan)
    }
}

#[cfg(test)]
mod tests {
    use super::super::DISCLOSURE_FORMAT;
    use super::super::tests::svc;
    use crate::io::disclosure_out::all_text;
    use crate::store::audit;
    use crate::store::results as db;

    #[test]
    fn export_logs_marks_and_keeps_private_things_out() {
        let mut s = svc();
        let dir = tempfile::tempdir().unwrap();
        let mut json_seq = 0;
        for ext in ["xlsx", "csv", "json", "html"] {
            let p = dir.path().join(format!("公示.{ext}"));
            let out = s.export_disclosure(1, &p).unwrap();
            if ext == "json" {
                json_seq = out.audit_seq;
            }
            assert_eq!(out.rows, 1);
            let text = all_text(&p).unwrap();
            assert!(text.contains("发现问题已责令整改"), "{ext}");
            assert!(text.contains("追回医保基金 1,234.50 元"), "{ext}");
            assert!(text.contains(&out.audit_seq.to_string()), "{ext}");
            for secret in ["院长很配合", "13900000000", "王某某", "回避"] {
                assert!(!text.contains(secret), "{ext}: {secret}");
            }
            // CSV cells that a spreadsheet would run get a `'`; xlsx string cells never run
            // and show exactly what was written.
            if ext == "csv" {
                assert!(text.contains("'=已整改"), "{ext}");
            }
            if ext == "xlsx" {
                assert!(text.contains("=已整改") && !text.contains("'=已整改"), "{ext}");
            }
        }
        let log = audit::recent(&s.store.reader(), 1).unwrap();
        assert_eq!(log[0].action, "disclosure.export");
        assert_eq!(s.disclosures(1).unwrap().len(), 4);
        let f = s
            .followup(chrono::NaiveDate::from_ymd_opt(2026, 3, 12).unwrap())
            .unwrap();
        assert!(f.publications.is_empty());
        // JSON follows the documented shape.
        let v: serde_json::Value =
            serde_json::from_slice(&std::fs::read(dir.path().join("公示.json")).unwrap()).unwrap();
        assert_eq!(v["format"], DISCLOSURE_FORMAT);
        assert_eq!(v["records"][0]["recovered_fen"], 123_450);
        assert!(v["records"][0].get("credit_class").is_none());
        let entry = audit::recent(&s.store.reader(), 10)
            .unwrap()
            .into_iter()
            .find(|e| e.seq == json_seq)
            .unwrap();
        assert!(entry.details.contains("format=json"));
        assert_eq!(v["evidence"]["audit_log"]["seq"], entry.seq);
        assert_eq!(v["evidence"]["audit_log"]["hash"], entry.hash.as_str());
        assert!(
            entry
                .details
                .contains(v["evidence"]["records_digest"].as_str().unwrap())
        );
    }

    /// Demo data in a file database, plan 1 drawn, a result for task 1 saying `remark`.
    fn on_disk(db: &std::path::Path) -> crate::app::Service {
        use crate::app::results::tests::{at, violation};
        let mut s = crate::app::Service::open(
            db,
            crate::app::Config::default_config(),
            Some("t".into()),
            crate::i18n::Lang::Zh,
        )
        .unwrap()
        .with_clock(at("2026-03-02"));
        {
            let _g = crate::app::results::tests::DEMO
                .lock()
                .unwrap_or_else(|e| e.into_inner());
            s.load_demo(false).unwrap();
        }
        s.freeze_plan(1).unwrap();
        s.draw_plan(1, "1", None).unwrap();
        let mut s = s.with_clock(at("2026-03-12"));
        let mut v = violation(&s, 1);
        v.public_remark = "第一版".into();
        s.save_task_result(1, 1, &v).unwrap().unwrap();
        s
    }

    #[test]
    fn a_results_change_committing_meanwhile_is_in_the_file_or_not_marked() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("a.db");
        let mut s = on_disk(&db);
        let (started, wait_started) = std::sync::mpsc::channel();
        let (go, wait_go) = std::sync::mpsc::channel::<()>();
        let other = {
            let db = db.clone();
            std::thread::spawn(move || {
                let mut b = crate::app::Service::open(
                    &db,
                    crate::app::Config::default_config(),
                    Some("b".into()),
                    crate::i18n::Lang::Zh,
                )
                .unwrap();
                let p = b.drawn_plan(1).unwrap();
                b.store
                    .write(|tx| {
                        let mut r = db::get(tx, p.draw.id, 1, &p.current(1).unwrap().institution)?.unwrap();
                        r.result.public_remark = "第二版".into();
                        db::put(tx, &r.key, &r.result, "2026-03-12T10:00:00", "b")?;
                        started.send(()).unwrap();
                        wait_go.recv().unwrap();
                        Ok(())
                    })
                    .unwrap();
            })
        };
        wait_started.recv().unwrap();
        // The other write commits a moment after the export started; the export must wait for it.
        let release = std::thread::spawn(move || {
            std::thread::sleep(std::time::Duration::from_millis(300));
            go.send(()).unwrap();
        });
        let out = dir.path().join("公示.json");
        s.export_disclosure(1, &out).unwrap();
        other.join().unwrap();
        release.join().unwrap();
        let text = std::fs::read_to_string(&out).unwrap();
        assert!(text.contains("第二版") && !text.contains("第一版"), "{text}");
    }

    #[test]
    fn the_file_appears_only_after_its_log_entry_committed_and_no_temporary_file_stays() {
        let mut s = svc();
        let dir = tempfile::tempdir().unwrap();
        // A failure after the file was written in full (here: at its record) leaves nothing.
        s.store
            .conn()
            .execute_batch(
                "CREATE TEMP TRIGGER refuse BEFORE INSERT ON disclosures BEGIN SELECT RAISE(ABORT, 'refused'); END;",
            )
            .unwrap();
        for ext in ["xlsx", "csv", "json", "html"] {
            let p = dir.path().join(format!("公示.{ext}"));
            assert!(s.export_disclosure(1, &p).is_err(), "{ext}");
            assert_eq!(
                std::fs::read_dir(dir.path()).unwrap().count(),
                0,
                "{ext}: a file stayed"
            );
        }
        assert_ne!(
            audit::recent(&s.store.reader(), 1).unwrap()[0].action,
            "disclosure.export"
        );
        s.store.conn().execute_batch("DROP TRIGGER temp.refuse").unwrap();
        // Replacing an earlier file leaves only the new one; the record holds the file's digest.
        for _ in 0..2 {
            for ext in ["xlsx", "csv"] {
                s.export_disclosure(1, &dir.path().join(format!("公示.{ext}"))).unwrap();
            }
        }
        let mut names: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        // CSV writes its evidence beside the table.
        assert_eq!(names, ["公示-evidence.csv", "公示.csv", "公示.xlsx"]);
        let last = s.disclosures(1).unwrap().pop().unwrap();
        let bytes = std::fs::read(dir.path().join("公示.csv")).unwrap();
        use sha2::Digest;
        assert_eq!(last.file_sha256, Some(hex::encode(sha2::Sha256::digest(&bytes))));
    }
}
