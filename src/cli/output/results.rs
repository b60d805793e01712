//! Results: the workbook import, the disclosure export and the `result` commands.

use std::path::Path;

use anyhow::Result;

use super::{import_head, pad, print_issues};
use crate::app::Service;
use crate::app::announcement::{AnnouncementOutcome, grouped_digest};
use crate::app::disclosure::DisclosureOutcome;
use crate::app::results::{ResultImportOutcome, StatsScope};
use crate::cli::ResultCommand;
use crate::domain::results::fen_display;
use crate::i18n::Lang;

/// Prints a results import; returns the exit code (0 written/validated, 2 refused).
pub fn import_results(out: &ResultImportOutcome, dry_run: bool, lang: Lang) -> i32 {
    print_issues(&out.warnings, &out.errors, lang);
    if !out.errors.is_empty() {
        return 2;
    }
    let head = import_head(dry_run, lang, ("检查结果导入完成", "results imported"));
    match lang {
        Lang::Zh => println!(
            "{head}：填写 {} 个任务（新增 {}，更新 {}，未变 {}），问题 {} 个，记分 {} 条；未填写的任务 {} 个未作改动",
            out.tasks, out.added, out.updated, out.unchanged, out.findings, out.points, out.skipped_blank
        ),
        Lang::En => println!(
            "{head}: {} tasks ({} added, {} updated, {} unchanged), {} findings, {} points entries; {} blank tasks left as they were",
            out.tasks, out.added, out.updated, out.unchanged, out.findings, out.points, out.skipped_blank
        ),
    }
    0
}

pub fn announcement(out: &AnnouncementOutcome, file: &Path, lang: Lang) {
    let digest = grouped_digest(&out.inputs_digest);
    match lang {
        Lang::Zh => println!(
            "已写出抽查计划公告 {}：纳入抽取机构 {} 家；输入摘要 {digest}",
            file.display(),
            out.institutions
        ),
        Lang::En => println!(
            "plan announcement written to {}: {} institutions in the draw; inputs digest {digest}",
            file.display(),
            out.institutions
        ),
    }
}

pub fn disclosure(out: &DisclosureOutcome, file: &Path, lang: Lang) {
    match lang {
        Lang::Zh => {
            println!(
                "已写出公示文件 {}：{} 条结果（其中首次公示 {} 条）；审计日志第 {} 条",
                file.display(),
                out.rows,
                out.newly_disclosed,
                out.audit_seq
            );
            if let Some(ev) = out.files.get(1) {
                println!(
                    "抽取凭证（种子、摘要、核验方法）另存为 {}，请与公示表一并发布",
                    ev.display()
                );
            }
            if out.pending_tasks > 0 {
                println!("另有 {} 个任务尚未登记检查结果，未列入", out.pending_tasks);
            }
        }
        Lang::En => {
            println!(
                "disclosure written to {}: {} results ({} disclosed for the first time); audit log entry {}",
                file.display(),
                out.rows,
                out.newly_disclosed,
                out.audit_seq
            );
            if let Some(ev) = out.files.get(1) {
                println!(
                    "the evidence of the draw (seed, digests, how to verify) is in {}: publish it with the table",
                    ev.display()
                );
            }
            if out.pending_tasks > 0 {
                println!("{} tasks without a result are not listed", out.pending_tasks);
            }
        }
    }
}

pub fn result(svc: &mut Service, cmd: ResultCommand) -> Result<i32> {
    let lang = svc.lang;
    match cmd {
        ResultCommand::List { plan } => list(svc, plan)?,
        ResultCommand::Show {
            plan,
            task,
            institution,
        } => show(svc, plan, task, institution)?,
        ResultCommand::Stats { plan, year } => stats(svc, plan, year)?,
        ResultCommand::Points { year } => points(svc, year)?,
        ResultCommand::Clear {
            plan,
            task,
            institution,
            reason,
        } => {
            if svc.clear_task_result(plan, task, institution.as_deref(), &reason)? {
                println!("{}", lang.pick("已删除该检查结果", "result removed"));
            } else {
                println!("{}", lang.pick("该任务没有检查结果", "the task has no result"));
            }
        }
    }
    Ok(0)
}

/// `result list`: every task of the plan with its result and disclosure state.
fn list(svc: &Service, plan: i64) -> Result<()> {
    let lang = svc.lang;
    let rows = svc.plan_results(plan)?;
    println!(
        "{}  {}  {}  {}  {}  {}",
        pad(lang.pick("任务", "task"), 4),
        pad(lang.pick("机构编码", "code"), 12),
        pad(lang.pick("机构名称", "institution"), 28),
        pad(lang.pick("检查结果", "result"), 18),
        pad(lang.pick("完成日期", "completed"), 10),
        lang.pick("公示", "disclosure")
    );
    let mut recorded = 0;
    for r in &rows {
        let name = if r.current {
            r.institution_name.clone()
        } else {
            format!("{}（{}）", r.institution_name, lang.pick("已替换", "replaced"))
        };
        let (cat, done, publ) = match &r.stored {
            None => (
                lang.pick("（未登记）", "(none)").to_string(),
                String::new(),
                String::new(),
            ),
            Some(s) => {
                recorded += 1;
                let publ = match (&s.disclosed_at, r.publication_due) {
                    (Some(d), _) => format!("{} {}", lang.pick("已公示", "disclosed"), &d[..10.min(d.len())]),
                    (None, Some(due)) => format!("{} {due}", lang.pick("待公示，截止", "due by")),
                    (None, None) => String::new(),
                };
                (s.result.category.clone(), s.result.completed_on.to_string(), publ)
            }
        };
        println!(
            "{:>4}  {}  {}  {}  {}  {}",
            r.seq,
            pad(&r.institution, 12),
            pad(&name, 28),
            pad(&cat, 18),
            pad(&done, 10),
            publ
        );
    }
    println!(
        "{}",
        match lang {
            Lang::Zh => format!("共 {} 行，已登记 {recorded}", rows.len()),
            Lang::En => format!("{} rows, {recorded} recorded", rows.len()),
        }
    );
    Ok(())
}

/// `result show`: one task's result in full.
fn show(svc: &Service, plan: i64, task: u32, institution: Option<String>) -> Result<()> {
    let lang = svc.lang;
    let rows = svc.plan_results(plan)?;
    let row = rows
        .iter()
        .filter(|r| r.seq == task)
        .find(|r| match &institution {
            Some(i) => &r.institution == i,
            None => r.current,
        })
        .ok_or_else(|| anyhow::anyhow!("{} {task}", lang.pick("没有这个任务：", "no such task:")))?;
    println!(
        "{} {}  {} {}  {}",
        lang.pick("任务", "task"),
        row.seq,
        row.institution,
        row.institution_name,
        if row.current {
            ""
        } else {
            lang.pick("（已替换）", "(replaced)")
        }
    );
    println!("{}: {}", lang.pick("检查事项", "items"), row.items.join("、"));
    println!("{}: {}", lang.pick("检查组", "team"), row.team.join("、"));
    let Some(s) = &row.stored else {
        println!("{}", lang.pick("尚未登记检查结果", "no result recorded"));
        return Ok(());
    };
    let r = &s.result;
    let line = |k: &str, v: String| println!("{}: {v}", k);
    line(lang.pick("检查日期", "check date"), r.check_date.to_string());
    line(lang.pick("检查完成日期", "completed on"), r.completed_on.to_string());
    line(lang.pick("检查结果", "result"), r.category.clone());
    for i in &r.item_results {
        println!("  {}: {}", i.item, i.category);
    }
    line(lang.pick("处理措施", "measures"), r.measures.join("、"));
    line(
        lang.pick("追回金额（元）", "recovered (yuan)"),
        fen_display(r.recovered_fen),
    );
    line(lang.pick("罚款金额（元）", "fine (yuan)"), fen_display(r.fine_fen));
    if let Some(x) = r.rectification {
        line(
            lang.pick("整改", "rectification"),
            format!("{} {}", x.due, x.status.zh()),
        );
    }
    line(lang.pick("公示备注", "public remark"), r.public_remark.clone());
    line(
        lang.pick("内部备注（不公开）", "internal notes (never published)"),
        r.internal_notes.clone(),
    );
    for f in &r.findings {
        println!(
            "  {} {}: {} {}（{} {}）",
            lang.pick("问题", "finding"),
            f.no,
            f.item,
            f.description,
            lang.pick("涉及", "amount"),
            fen_display(f.amount_fen)
        );
    }
    for p in &r.points {
        println!(
            "  {} {}: {} {} {} {} {}",
            lang.pick("记分", "points"),
            p.points,
            p.name,
            p.role,
            p.code,
            lang.pick("问题", "finding"),
            p.finding_no
        );
    }
    line(
        lang.pick("登记", "recorded"),
        format!("{} {}", s.recorded_at, s.recorded_by),
    );
    if let Some(d) = &s.disclosed_at {
        line(lang.pick("首次公示", "first disclosed"), d.clone());
    }
    Ok(())
}

/// `result stats`: counts for a plan or a year.
fn stats(svc: &Service, plan: Option<i64>, year: Option<i32>) -> Result<()> {
    let lang = svc.lang;
    let scope = match (plan, year) {
        (Some(p), _) => StatsScope::Plan(p),
        (None, Some(y)) => StatsScope::Year(y),
        (None, None) => anyhow::bail!("--plan or --year"),
    };
    let st = svc.result_stats(scope)?;
    if let Some(t) = st.tasks {
        println!("{}: {t}", lang.pick("任务数", "tasks"));
    }
    println!(
        "{}: {}  {}: {}  {}: {}",
        lang.pick("已登记", "recorded"),
        st.recorded,
        lang.pick("发现问题", "violations"),
        st.violations,
        lang.pick("已公示", "disclosed"),
        st.disclosed
    );
    for (c, n) in &st.per_category {
        println!("  {} {n}", pad(c, 34));
    }
    let measures: Vec<String> = st
        .per_measure
        .iter()
        .filter(|(_, n)| *n > 0)
        .map(|(m, n)| format!("{m} {n}"))
        .collect();
    println!("{}: {}", lang.pick("处理措施", "measures"), measures.join("，"));
    println!(
        "{}: {}（{} {} {}）",
        lang.pick("问题", "findings"),
        st.findings,
        lang.pick("涉及金额", "amount"),
        fen_display(st.findings_amount_fen),
        lang.pick("元", "yuan")
    );
    println!(
        "{}: {} {}  {}: {} {}",
        lang.pick("追回金额", "recovered"),
        fen_display(st.recovered_fen),
        lang.pick("元", "yuan"),
        lang.pick("罚款金额", "fines"),
        fen_display(st.fine_fen),
        lang.pick("元", "yuan")
    );
    println!(
        "{}: {}（{} {}）  {}: {}（{} {}）",
        lang.pick("未销号整改", "open rectifications"),
        st.rectifications_open,
        lang.pick("逾期", "overdue"),
        st.rectifications_overdue,
        lang.pick("记分人员", "persons scored"),
        st.persons_scored,
        lang.pick("共计", "total"),
        st.points_total
    );
    Ok(())
}

/// `result points`: 驾照式记分 per person for a year.
fn points(svc: &Service, year: Option<i32>) -> Result<()> {
    let lang = svc.lang;
    use chrono::Datelike;
    let year = year.unwrap_or_else(|| svc.now().year());
    let people = svc.points_by_person(year)?;
    if people.is_empty() {
        println!("{} {year}", lang.pick("无记分记录：", "no points in"));
    }
    for p in &people {
        let who = if p.code.is_empty() {
            p.name.clone()
        } else {
            format!("{}（{}）", p.name, p.code)
        };
        println!(
            "{}  {:>2} {}  {}  {}",
            pad(&who, 28),
            p.total,
            lang.pick("分", "pts"),
            p.qualification.text(lang),
            p.institution_names.join("、")
        );
    }
    Ok(())
}
