//! Exporting the disclosure: a write, logged in the same transaction, after which its results
//! count as disclosed.

use std::cell::Cell as StdCell;
use std::path::Path;

use anyhow::{Result, bail};

use super::privacy::privacy_check;
use super::{AuditHead, DisclosureOutcome};
use crate::app::Service;
use crate::io::disclosure_out::{PublicFormat, write_public, written_files};
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
        let written = StdCell::new(false);
        let p = self.drawn_plan(plan)?;
        let (mut d, keys) = self.build_disclosure(&self.store.reader(), &p)?;
        if d.records.is_empty() {
            bail!(
                "{}",
                lang.pick(
                    "该计划尚未登记任何检查结果，没有可公示的内容",
                    "no result is recorded for this plan yet: nothing to disclose"
                )
            );
        }
        let private = db::private_values(&self.store.reader())?;
        privacy_check(&d.doc(), &serde_json::to_string(&d)?, &private, lang)?;
        let draw_id = p.draw.id;
        let rows = d.records.len();
        let pending = d.pending_tasks;
        let digest = d.evidence.records_digest.clone();
        let result = self.store.write(|tx| {
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
                },
            )?;
            d.evidence.audit_log = Some(AuditHead {
                seq: entry.seq,
                hash: entry.hash.clone(),
            });
            let json = serde_json::to_value(&d)?;
            write_public(path, &d.doc(), &json)?;
            written.set(true);
            Ok(DisclosureOutcome {
                format,
                rows,
                pending_tasks: pending,
                newly_disclosed: newly,
                audit_seq: entry.seq,
                records_digest: digest.clone(),
                files: written_files(path),
            })
        });
        if result.is_err() && written.get() {
            // The files were written but the log entry naming them did not commit.
            for f in written_files(path) {
                let _ = std::fs::remove_file(f);
            }
        }
        result
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
            if ext != "json" && ext != "html" {
                assert!(text.contains("'=已整改"), "{ext}");
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
}
