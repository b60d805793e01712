//! Checking a draw from its audit package, and the audit log's hash chain.

use std::path::Path;

use anyhow::Result;

use crate::app::Service;
use crate::app::audit_package;
use crate::i18n::Lang;

pub fn verify(file: &Path, lang: Lang) -> Result<i32> {
    match audit_package::verify_file(file) {
        Ok(v) => {
            println!(
                "{} ({} {}, {} {}, {} {})",
                lang.pick("已复现", "reproduced"),
                v.draws,
                lang.pick("次抽取", "draws"),
                v.tasks,
                lang.pick("个任务", "tasks"),
                v.adjustments,
                lang.pick("次调整", "adjustments")
            );
            Ok(0)
        }
        Err(e) => {
            eprintln!("{}: {e:#}", lang.pick("未能复现", "NOT reproduced"));
            Ok(1)
        }
    }
}

pub fn audit_verify(svc: &Service) -> Result<i32> {
    let lang = svc.lang;
    match svc.verify_audit_chain()? {
        Ok(n) => {
            println!(
                "{} {n} {}",
                lang.pick("审计日志完整：", "audit log intact:"),
                lang.pick("条记录，哈希链连续", "entries, hash chain holds")
            );
            Ok(0)
        }
        Err(b) => {
            eprintln!(
                "{}: {}",
                lang.pick("审计日志被篡改", "audit log broken"),
                if lang == Lang::Zh { b.zh() } else { b.en() }
            );
            Ok(1)
        }
    }
}
