//! The follow-up list: deadlines, flagged persons and repeat offenders.

use super::pad;
use crate::app::results::{Followup, ResultRef, calendar_note};
use crate::domain::results::Qualification;
use crate::i18n::Lang;

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
            "  {}  {} {}{}",
            task(&r.at, lang),
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
            "  {}  {} {}  {} {}  {state}",
            task(&p.at, lang),
            lang.pick("完成", "completed"),
            p.completed_on,
            lang.pick("截止", "due"),
            p.due
        );
    }
    println!("  {}", calendar_note(&f.calendar_years, lang));
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
            println!("  {}", task(r, lang));
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
    println!("\n{}", f.repeat_heading(lang));
    for o in &f.repeat_offenders {
        println!("{}", o.line(lang));
    }
}

/// `计划 1 任务 3  机构编码 机构名称`: the task a line is about.
fn task(at: &ResultRef, lang: Lang) -> String {
    format!(
        "{} {} {} {}  {} {}",
        lang.pick("计划", "plan"),
        at.plan_id,
        lang.pick("任务", "task"),
        at.seq,
        at.institution,
        at.institution_name
    )
}

/// `（3）` in Chinese, ` (3)` in English.
fn count(lang: Lang, n: usize) -> String {
    match lang {
        Lang::Zh => format!("（{n}）"),
        Lang::En => format!(" ({n})"),
    }
}
