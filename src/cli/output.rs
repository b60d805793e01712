//! What the command line prints. Plain text, Chinese by default.

use std::path::Path;

use anyhow::Result;

use super::{PlanCommand, ResultCommand};
use crate::app::Service;
use crate::app::audit_package;
use crate::app::disclosure::DisclosureOutcome;
use crate::app::results::{Followup, ResultImportOutcome, StatsScope};
use crate::app::rosters::ImportOutcome;
use crate::app::summarize_issues as summarize;
use crate::domain::draw::Draw;
use crate::domain::results::{Qualification, fen_display};
use crate::i18n::Lang;

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
            repeat_offenders_note(svc, e.escalated)?;
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

/// `s` padded with spaces to `width` display columns (CJK characters count 2).
fn pad(s: &str, width: usize) -> String {
    let w = unicode_width::UnicodeWidthStr::width(s);
    format!("{s}{}", " ".repeat(width.saturating_sub(w)))
}

/// Prints a results import; returns the exit code (0 written/validated, 2 refused).
pub fn import_results(out: &ResultImportOutcome, dry_run: bool, lang: Lang) -> i32 {
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
        (false, Lang::Zh) => "检查结果导入完成",
        (false, Lang::En) => "results imported",
    };
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
            if out.pending_tasks > 0 {
                println!("{} tasks without a result are not listed", out.pending_tasks);
            }
        }
    }
}

pub fn result(svc: &mut Service, cmd: ResultCommand) -> Result<i32> {
    let lang = svc.lang;
    match cmd {
        ResultCommand::List { plan } => {
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
        }
        ResultCommand::Show {
            plan,
            task,
            institution,
        } => {
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
                return Ok(0);
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
        }
        ResultCommand::Stats { plan, year } => {
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
        }
        ResultCommand::Points { year } => {
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
        }
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

pub fn followup(f: &Followup, lang: Lang) {
    let zh = lang == Lang::Zh;
    println!("{} {}", lang.pick("跟踪清单，日期", "follow-up as of"), f.today);
    let overdue: Vec<_> = f.rectifications.iter().filter(|r| r.overdue()).collect();
    println!(
        "\n{}{}",
        lang.pick("【逾期未销号的整改】", "[overdue rectifications]"),
        count(lang, overdue.len())
    );
    for r in &overdue {
        println!(
            "  {} {} {} {}  {} {}  {} {}{}",
            lang.pick("计划", "plan"),
            r.at.plan_id,
            lang.pick("任务", "task"),
            r.at.seq,
            r.at.institution,
            r.at.institution_name,
            r.due,
            r.status.zh(),
            if zh {
                format!("，逾期 {} 天", r.days_overdue)
            } else {
                format!(", {} days overdue", r.days_overdue)
            }
        );
    }
    let upcoming = f.rectifications.len() - overdue.len();
    if upcoming > 0 {
        println!(
            "  {}",
            if zh {
                format!("另有 {upcoming} 项整改未到期")
            } else {
                format!("{upcoming} more not yet due")
            }
        );
    }
    println!(
        "\n{}{}",
        if zh {
            format!("【待公示的检查结果：完成后 {} 个工作日内】", f.publication_working_days)
        } else {
            format!(
                "[results to publish: within {} working days of completion]",
                f.publication_working_days
            )
        },
        count(lang, f.publications.len())
    );
    for p in &f.publications {
        let state = match (p.overdue(), zh) {
            (true, true) => format!("已逾期 {} 个工作日", -p.working_days_left),
            (true, false) => format!("{} working days overdue", -p.working_days_left),
            (false, true) => format!("剩 {} 个工作日", p.working_days_left),
            (false, false) => format!("{} working days left", p.working_days_left),
        };
        println!(
            "  {} {} {} {}  {} {}  {} {}  {} {}  {state}",
            lang.pick("计划", "plan"),
            p.at.plan_id,
            lang.pick("任务", "task"),
            p.at.seq,
            p.at.institution,
            p.at.institution_name,
            lang.pick("完成", "completed"),
            p.completed_on,
            lang.pick("截止", "due"),
            p.due
        );
    }
    println!(
        "  {}",
        lang.pick(
            "（工作日按周一至周五计算，未计入法定节假日和调休）",
            "(working days are Monday to Friday; public holidays are not accounted for)"
        )
    );
    if !f.changed_after_disclosure.is_empty() {
        println!(
            "\n{}{}",
            lang.pick(
                "【公示后又修改的结果：请更新公示】",
                "[changed after disclosure: publish again]"
            ),
            count(lang, f.changed_after_disclosure.len())
        );
        for r in &f.changed_after_disclosure {
            println!(
                "  {} {} {} {}  {} {}",
                lang.pick("计划", "plan"),
                r.plan_id,
                lang.pick("任务", "task"),
                r.seq,
                r.institution,
                r.institution_name
            );
        }
    }
    println!(
        "\n{}{}",
        lang.pick(
            "【驾照式记分预警：本年度累计 ≥9 分暂停、≥12 分终止医保支付资格】",
            "[points: ≥9 this year suspends, ≥12 terminates payment qualification]"
        ),
        count(lang, f.flagged_persons.len())
    );
    for p in &f.flagged_persons {
        println!(
            "  {}  {} {}  {}  {}",
            pad(&p.name, 10),
            p.total,
            lang.pick("分", "pts"),
            p.qualification.text(lang),
            p.institution_names.join("、")
        );
        debug_assert!(p.qualification != Qualification::Normal);
    }
    println!(
        "\n{}{}",
        lang.pick("【屡查屡犯：近期有确认违规的机构】", "[repeat offenders]"),
        count(lang, f.repeat_offenders.len())
    );
    for o in &f.repeat_offenders {
        println!(
            "  {} {}  {} {}  {} {}",
            o.institution,
            o.institution_name,
            lang.pick("最近违规", "last violation"),
            o.last_violation,
            lang.pick("次数", "count"),
            o.violations
        );
    }
}

/// After a freeze: which institutions were flagged 屡查屡犯 (never escalated silently).
fn repeat_offenders_note(svc: &Service, escalated: u64) -> Result<()> {
    let lang = svc.lang;
    let list = svc.repeat_offender_list(svc.now().date())?;
    if list.is_empty() {
        return Ok(());
    }
    let months = svc.config.results.repeat_offender_months;
    let names: Vec<String> = list
        .iter()
        .map(|o| format!("{}（{}，{}）", o.institution, o.institution_name, o.last_violation))
        .collect();
    match (lang, svc.config.results.escalate_repeat_offenders) {
        (Lang::Zh, true) => println!(
            "屡查屡犯（近 {months} 个月内有确认违规，范围内在册的 {escalated} 家已按高一级风险等级分层）：{}",
            names.join("、")
        ),
        (Lang::Zh, false) => println!(
            "屡查屡犯（近 {months} 个月内有确认违规；配置未启用升级分层）：{}",
            names.join("、")
        ),
        (Lang::En, true) => println!(
            "repeat offenders (confirmed violation in the last {months} months; {escalated} in scope counted one class riskier): {}",
            names.join(", ")
        ),
        (Lang::En, false) => println!(
            "repeat offenders (confirmed violation in the last {months} months; escalation is off): {}",
            names.join(", ")
        ),
    }
    Ok(())
}

/// `（3）` in Chinese, ` (3)` in English.
fn count(lang: Lang, n: usize) -> String {
    match lang {
        Lang::Zh => format!("（{n}）"),
        Lang::En => format!(" ({n})"),
    }
}
