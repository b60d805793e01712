//! Plans: their commands, the draw, and the tasks drawn.

use anyhow::Result;

use crate::app::Service;
use crate::cli::PlanCommand;
use crate::domain::draw::Draw;
use crate::i18n::Lang;

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
            for line in r.lines(lang) {
                println!("{line}");
            }
            let e = &r.exclusions;
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
