//! Checking a draw from its audit package, and the audit log's hash chain.

use std::path::Path;

use anyhow::{Result, bail};

use crate::app::Service;
use crate::app::audit_package;
use crate::app::integrity::LogHead;
use crate::app::package_checks::PackageKind;
use crate::i18n::Lang;

/// A digest as on the freeze screen: numbered groups of 8, two groups per line, characters spaced.
pub fn digest_group_lines(digest: &str) -> Vec<String> {
    let chars: Vec<char> = digest.chars().collect();
    let groups: Vec<String> = chars
        .chunks(8)
        .map(|g| g.iter().map(char::to_string).collect::<Vec<_>>().join(" "))
        .collect();
    groups
        .chunks(2)
        .enumerate()
        .map(|(k, pair)| {
            let cells: Vec<String> = pair
                .iter()
                .enumerate()
                .map(|(j, g)| format!("{}  {g}", k * 2 + j + 1))
                .collect();
            format!("    {}", cells.join("     "))
        })
        .collect()
}

fn print_digest(label: &str, digest: &str, lang: Lang) {
    println!("{label}{}", lang.pick("（每组 8 位）：", " (groups of 8):"));
    for l in digest_group_lines(digest) {
        println!("{l}");
    }
    println!("    {}{digest}", lang.pick("完整：", "full: "));
}

pub fn verify(file: &Path, lang: Lang) -> Result<i32> {
    match audit_package::verify_file(file) {
        Ok(v) => {
            let public = v.kind == PackageKind::Public;
            let kind = match (public, lang) {
                (false, Lang::Zh) => "审计包",
                (false, Lang::En) => "audit package",
                (true, Lang::Zh) => "公开验证包",
                (true, Lang::En) => "public package",
            };
            let classes = match (v.class_mode, lang) {
                (Some("published"), Lang::Zh) => "，机构等级公开",
                (Some("published"), Lang::En) => ", classes published",
                (Some(_), Lang::Zh) => "，机构等级以承诺值公开",
                (Some(_), Lang::En) => ", classes committed",
                (None, _) => "",
            };
            println!(
                "{} ({} {}, {} {}, {} {})",
                lang.pick("已复现", "reproduced"),
                v.draws.len(),
                lang.pick("次抽取", "draws"),
                v.tasks,
                lang.pick("个任务", "tasks"),
                v.adjustments,
                lang.pick("次调整", "adjustments")
            );
            match lang {
                Lang::Zh => println!("已验证：{kind}（协议 v{}{classes}）", v.protocol),
                Lang::En => println!("checked: {kind} (protocol v{}{classes})", v.protocol),
            }
            let checked_common = lang.pick(
                "输入摘要与输入一致、输入为规范格式、计划条款与输入一致、时间顺序、抽取记录不重复、每个种子符合规则",
                "inputs digest, canonical inputs, plan terms against the inputs, times, no duplicated draw, every seed's rules",
            );
            if public {
                println!("{}{checked_common}{}", lang.pick("已核对：", "checked: "), lang.pick(
                    "；每次抽取的抽中机构、顺序、候补、签号和机构部分摘要；结果摘要与三个摘要一致；替换按候补顺序",
                    "; every draw's drawn institutions, order, alternates, tickets and institutions digest; the result digest from the three digests; replacements in alternate order",
                ));
                let mut cannot = lang
                    .pick(
                        "检查组（人员信息不在公开包中：检查组部分摘要和无组候补名单无法核对，须用审计包）",
                        "the teams (no personal data in a public package: the teams digest and the alternates without team cannot be checked; the audit package can)",
                    )
                    .to_string();
                if v.class_mode == Some("committed") {
                    cannot.push_str(lang.pick(
                        "；未列出机构的等级（每家机构凭盐值自行核对，见 §16.4）",
                        "; the classes of unlisted institutions (each institution checks its own with its salt, §16.4)",
                    ));
                }
                println!("{}{cannot}", lang.pick("未能核对：", "not checkable: "));
            } else {
                println!("{}{checked_common}{}", lang.pick("已核对：", "checked: "), lang.pick(
                    "；每次抽取的完整结果（机构、候补、检查组）和结果摘要；替换按候补顺序、检查组一致",
                    "; every draw's whole result (institutions, alternates, teams) and result digest; replacements in alternate order with their teams",
                ));
                println!(
                    "{}{}",
                    lang.pick("未能核对：", "not checkable: "),
                    lang.pick(
                        "审计日志头只能与本单位保存的审计日志比对",
                        "the audit log head can only be compared with the unit's own log"
                    )
                );
            }
            print_digest(lang.pick("输入摘要", "inputs digest"), &v.inputs_digest, lang);
            if let (Some(p), Some(s)) = (&v.public_digest, &v.sealed_digest) {
                println!("{}{p}", lang.pick("公开部分摘要：", "public digest: "));
                println!("{}{s}", lang.pick("密封部分摘要：", "sealed digest: "));
            }
            for (i, d) in v.draws.iter().enumerate() {
                let what = if i == 0 {
                    lang.pick("首次抽取", "first draw").to_string()
                } else {
                    format!("{}{}", lang.pick("重新抽取，理由：", "redraw, reason: "), d.reason)
                };
                println!("{} {}（{what}，{}）", lang.pick("抽取", "draw"), i + 1, d.drawn_at);
                println!("  {}{}", lang.pick("种子：", "seed: "), d.seed);
                print_digest(
                    &format!("  {}", lang.pick("结果摘要", "result digest")),
                    &d.result_digest,
                    lang,
                );
                if let (Some(a), Some(b)) = (&d.institutions_digest, &d.teams_digest) {
                    println!("  {}{a}", lang.pick("机构部分摘要：", "institutions digest: "));
                    println!("  {}{b}", lang.pick("检查组部分摘要：", "teams digest: "));
                }
            }
            Ok(0)
        }
        Err(e) => {
            eprintln!("{}: {e:#}", lang.pick("未能复现", "NOT reproduced"));
            Ok(1)
        }
    }
}

/// The hash chain, then what the program works from against the draws and the log, then (when
/// given) a published anchor. Exit code 1 when anything does not hold.
pub fn audit_verify(svc: &Service, head: Option<&str>) -> Result<i32> {
    let lang = svc.lang;
    let anchor = match head {
        None => None,
        Some(text) => match LogHead::parse(text) {
            Some(a) => Some(a),
            None => bail!(
                "{}: {text}",
                lang.pick(
                    "锚点应写作 序号:哈希（64 位十六进制），如 12:3fa0…",
                    "an anchor is SEQ:HASH (64 hex digits), e.g. 12:3fa0…"
                )
            ),
        },
    };
    let mut failed = false;
    match svc.verify_audit_chain()? {
        Ok(n) => println!(
            "{} {n} {}",
            lang.pick("审计日志完整：", "audit log intact:"),
            lang.pick("条记录，哈希链连续", "entries, hash chain holds")
        ),
        Err(b) => {
            eprintln!(
                "{}: {}",
                lang.pick("审计日志被篡改", "audit log broken"),
                if lang == Lang::Zh { b.zh() } else { b.en() }
            );
            failed = true;
        }
    }
    let report = svc.verify_integrity()?;
    for p in &report.problems {
        eprintln!("{}: {}", lang.pick("数据与审计日志不符", "does not hold"), p.text(lang));
    }
    for n in &report.notes {
        println!("{}: {}", lang.pick("说明", "note"), n.text(lang));
    }
    if report.problems.is_empty() {
        let (plans, draws, results) = (report.plans, report.draws, report.result_plans);
        match lang {
            Lang::Zh => println!(
                "任务表与抽取结果一致：{plans} 个计划，{draws} 次抽取；检查结果与日志摘要一致：{results} 个计划"
            ),
            Lang::En => {
                println!(
                    "tasks match the draws: {plans} plans, {draws} draws; results match the logged digests: {results} plans"
                )
            }
        }
    } else {
        failed = true;
    }
    if let Some(anchor) = anchor {
        let check = svc.check_log_anchor(&anchor)?;
        if check.holds() {
            println!("{}", check.text(lang));
        } else {
            eprintln!("{}", check.text(lang));
            failed = true;
        }
    }
    Ok(i32::from(failed))
}
