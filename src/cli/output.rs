//! What the command line prints. Plain text, Chinese by default.

use std::path::Path;

use anyhow::Result;

use super::PlanCommand;
use crate::app::Service;
use crate::app::audit_package;
use crate::app::rosters::ImportOutcome;
use crate::domain::draw::Draw;
use crate::i18n::Lang;
use crate::io::records::summarize;

/// Prints an import outcome; returns the exit code (0 written/validated, 2 refused).
pub fn import(out: &ImportOutcome, dry_run: bool, lang: Lang) -> i32 {
    for w in &out.warnings {
        eprintln!("{}: {}", lang.pick("警告", "warning"), w.text(lang));
    }
    if !out.errors.is_empty() {
        eprintln!(
            "{}",
            lang.pick(
                "导入被拒绝，未写入任何数据。错误如下：",
                "import refused; nothing was written. Errors:"
            )
        );
        eprintln!("{}", summarize(&out.errors, lang, 50));
        return 2;
    }
    let head = match (dry_run, lang) {
        (true, Lang::Zh) => "校验通过（试运行，未写入）",
        (true, Lang::En) => "valid (dry run, nothing written)",
        (false, Lang::Zh) => "导入完成",
        (false, Lang::En) => "imported",
    };
    match lang {
        Lang::Zh => println!(
            "{head}：共 {} 行，新增 {}，更新 {}，未变 {}，停用 {}",
            out.rows, out.added, out.updated, out.unchanged, out.deactivated
        ),
        Lang::En => println!(
            "{head}: {} rows, {} added, {} updated, {} unchanged, {} deactivated",
            out.rows, out.added, out.updated, out.unchanged, out.deactivated
        ),
    }
    0
}

pub fn exported(n: usize, file: &Path, lang: Lang) {
    println!(
        "{} {n} {} → {}",
        lang.pick("已导出", "exported"),
        lang.pick("条", "records"),
        file.display()
    );
}

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
    match crate::store::audit::verify_chain(svc.store.conn())? {
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

pub fn plan(svc: &mut Service, cmd: PlanCommand) -> Result<i32> {
    let lang = svc.lang;
    match cmd {
        PlanCommand::Create { file } => {
            let text = std::fs::read_to_string(&file)?;
            let id = svc.create_plan(&text)?;
            println!("{id}");
        }
        PlanCommand::Update { id, file } => {
            svc.update_plan(id, &std::fs::read_to_string(&file)?)?;
            println!("{}", lang.pick("已更新", "updated"));
        }
        PlanCommand::List => {
            for p in svc.plans()? {
                println!(
                    "{:>4}  {}  {:<6}  {}",
                    p.id,
                    p.year,
                    lang.pick(p.status.zh(), p.status.as_str()),
                    p.title
                );
            }
        }
        PlanCommand::Show { id } => show(svc, id)?,
        PlanCommand::Freeze { id } => {
            let r = svc.freeze_plan(id)?;
            println!(
                "{}",
                lang.pick(
                    "已冻结。请在产生种子之前公布以下输入摘要：",
                    "frozen. Publish this inputs digest before the seed exists:"
                )
            );
            println!("{}", r.inputs_digest);
            println!(
                "{}: {}  A {}  B {}  C {}  D {}  {}: {}",
                lang.pick("可抽取机构", "eligible institutions"),
                r.institutions,
                r.per_class[0],
                r.per_class[1],
                r.per_class[2],
                r.per_class[3],
                lang.pick("检查人员", "inspectors"),
                r.inspectors
            );
            let e = &r.exclusions;
            println!(
                "{}: {} {}, {} {}, {} {}, {} {}",
                lang.pick("排除", "excluded"),
                lang.pick("范围外", "out of scope"),
                e.out_of_scope,
                lang.pick("非在册", "not active"),
                e.not_active,
                lang.pick("近期已抽", "recently drawn"),
                e.recently_drawn,
                lang.pick("屡查屡犯升级", "escalated"),
                e.escalated
            );
        }
        PlanCommand::Publish { id } => {
            svc.publish_plan(id)?;
            println!("{}", lang.pick("已公示", "published"));
        }
    }
    Ok(0)
}

pub fn draw(svc: &Service, plan: i64, draw: &Draw) -> Result<()> {
    let lang = svc.lang;
    println!("{}: {}", lang.pick("种子", "seed"), draw.seed);
    println!("{}: {}", lang.pick("输入摘要", "inputs digest"), draw.inputs_digest);
    println!("{}: {}", lang.pick("结果摘要", "result digest"), draw.result_digest);
    for s in &draw.strata {
        println!(
            "  {}  {} {}  {} {}  {} {}",
            s.class,
            lang.pick("总数", "population"),
            s.population,
            lang.pick("抽中", "drawn"),
            s.drawn,
            lang.pick("候补", "alternates"),
            s.alternates
        );
    }
    show_tasks(svc, plan)
}

fn show(svc: &Service, id: i64) -> Result<()> {
    let lang = svc.lang;
    let v = svc.plan_view(id)?;
    println!(
        "{} {}  {}  {}",
        lang.pick("计划", "plan"),
        v.plan.id,
        v.plan.title,
        lang.pick(v.plan.status.zh(), v.plan.status.as_str())
    );
    if let Some(f) = &v.frozen {
        println!(
            "{}: {}  ({})",
            lang.pick("输入摘要", "inputs digest"),
            f.inputs_digest,
            f.frozen_at
        );
    }
    for (i, d) in v.draws.iter().enumerate() {
        let note = if d.reason.is_empty() {
            String::new()
        } else {
            format!("  {}: {}", lang.pick("理由", "reason"), d.reason)
        };
        println!(
            "{} {}: {} {:?}  {}  {} {}{note}",
            lang.pick("抽取", "draw"),
            i + 1,
            lang.pick("种子", "seed"),
            d.seed,
            d.result_digest,
            d.drawn_at,
            d.drawn_by
        );
    }
    if !v.draws.is_empty() {
        show_tasks(svc, id)?;
    }
    Ok(())
}

fn show_tasks(svc: &Service, plan: i64) -> Result<()> {
    let lang = svc.lang;
    let v = svc.plan_view(plan)?;
    for (t, from) in v.effective_tasks() {
        let replaced = from
            .map(|f| format!("  ({} {f})", lang.pick("替换", "replaces")))
            .unwrap_or_default();
        println!(
            "{:>4}  {}  {}  [{}]  {}{replaced}",
            t.seq,
            t.class,
            t.institution,
            t.team.join(","),
            t.items.join(",")
        );
    }
    let alts: Vec<String> = v
        .tasks
        .iter()
        .filter(|t| t.alternate)
        .map(|t| format!("{}{}:{}", t.class, t.rank, t.institution))
        .collect();
    if !alts.is_empty() {
        println!("{}: {}", lang.pick("候补", "alternates"), alts.join("  "));
    }
    Ok(())
}
