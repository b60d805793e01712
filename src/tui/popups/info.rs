//! Popups that show something to read: the inputs digest, a message, the follow-up lists and
//! the reviews of an import (rosters or results), which Enter then commits.

use ratatui::Frame;
use ratatui::style::Style;
use ratatui::text::{Line, Span};

use super::frame::{Row, blank, footer, keys_footer, plural, show, text_rows};
use super::help::scroll;
use super::{ImportReview, Popup, ResultImportReview};
use crate::app::ImportIssue;
use crate::app::results::{Followup, calendar_note};
use crate::app::rosters::ImportOptions;
use crate::tui::action::Action;
use crate::tui::context::{Ctx, Effect};
use crate::tui::keymap::Mode;
use crate::tui::screens::tab::Tab;
use crate::tui::text::{self, Lang};
use crate::tui::view::theme::Theme;

/// j/k scroll, Esc closes, Enter closes or (in a review without errors) imports.
pub fn update(popup: &mut Popup, action: Action, cx: &mut Ctx) {
    let action = match action {
        Action::ScrollUp => Action::Up,
        Action::ScrollDown => Action::Down,
        a => a,
    };
    let at = match popup {
        Popup::Digest { scroll, .. } | Popup::Message { scroll, .. } | Popup::Followup { scroll, .. } => scroll,
        Popup::ImportReview(r) => &mut r.scroll,
        Popup::ResultImport(r) => &mut r.scroll,
        _ => return,
    };
    if scroll(at, &action) {
        return;
    }
    match action {
        Action::Cancel => {
            if matches!(popup, Popup::ImportReview(_) | Popup::ResultImport(_)) {
                cx.info(cx.t("已取消导入，未写入任何数据", "import cancelled; nothing was written"));
            }
            cx.push(Effect::ClosePopup);
        }
        Action::Submit => match popup {
            Popup::ImportReview(r) if r.outcome.errors.is_empty() => {
                cx.push(Effect::ClosePopup);
                commit_roster_import(r.clone(), cx);
            }
            Popup::ResultImport(r) if r.outcome.errors.is_empty() => {
                cx.push(Effect::ClosePopup);
                commit_result_import(r.clone(), cx);
            }
            Popup::ImportReview(_) | Popup::ResultImport(_) => cx.error(cx.t(
                "文件有错误，不能导入：请修改后重试（Esc 关闭）",
                "the file has errors and cannot be imported (Esc closes)",
            )),
            // Enter closes the other views.
            _ => cx.push(Effect::ClosePopup),
        },
        Action::ExportAnnouncement => {
            if let Popup::Digest { plan_id, .. } = popup {
                let id = *plan_id;
                cx.push(Effect::ClosePopup);
                cx.push(Effect::Open(Popup::Path(super::PathPopup::new(
                    super::PathPurpose::Announcement(id),
                    format!("announcement-plan-{id}.html"),
                ))));
            }
        }
        _ => {}
    }
}

fn commit_roster_import(r: ImportReview, cx: &mut Ctx) {
    let opts = ImportOptions {
        dry_run: false,
        ..Default::default()
    };
    match cx.svc.import_roster(r.kind, &r.path, &opts, &mut |_| {}) {
        Ok(out) if out.committed => {
            cx.push(Effect::Refresh);
            if let Some(tab) = Tab::ALL
                .into_iter()
                .find(|t| t.roster().is_some_and(|(_, k)| k == r.kind))
            {
                cx.push(Effect::SwitchTab(tab));
            }
            cx.info(match cx.lang {
                Lang::Zh => format!(
                    "已导入 {}：{} 行，新增 {}，更新 {}，未变 {}",
                    r.kind.zh(),
                    out.rows,
                    out.added,
                    out.updated,
                    out.unchanged
                ),
                Lang::En => format!(
                    "imported {}: {} rows, {} added, {} updated, {} unchanged",
                    r.kind.en(),
                    out.rows,
                    out.added,
                    out.updated,
                    out.unchanged
                ),
            });
        }
        Ok(out) => cx.push(Effect::Open(Popup::ImportReview(ImportReview {
            outcome: out,
            scroll: 0,
            ..r
        }))),
        Err(e) => cx.message(cx.t("导入失败", "import failed").to_string(), format!("{e:#}"), true),
    }
}

fn commit_result_import(r: ResultImportReview, cx: &mut Ctx) {
    match cx.svc.import_results(&r.path, false) {
        Ok(out) if out.committed => {
            cx.push(Effect::LoadTasks);
            cx.info(match cx.lang {
                Lang::Zh => format!(
                    "已导入检查结果：{} 个任务（新增 {}，更新 {}，未变 {}），空白未填 {} 行",
                    out.tasks, out.added, out.updated, out.unchanged, out.skipped_blank
                ),
                Lang::En => format!(
                    "results imported: {} tasks ({} new, {} updated, {} unchanged), {} blank rows",
                    out.tasks, out.added, out.updated, out.unchanged, out.skipped_blank
                ),
            });
        }
        Ok(out) => cx.push(Effect::Open(Popup::ResultImport(ResultImportReview {
            outcome: out,
            scroll: 0,
            ..r
        }))),
        Err(e) => cx.message(cx.t("导入失败", "import failed").to_string(), format!("{e:#}"), true),
    }
}

pub fn draw(popup: &Popup, frame: &mut Frame, w: u16, cx: &Ctx) {
    let th = cx.theme();
    let lang = cx.lang;
    let t = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    let iw = w.saturating_sub(2) as usize;
    match popup {
        Popup::Digest {
            plan_id,
            digest,
            lines,
            scroll,
        } => {
            let mut rows = vec![Row::Text(Line::from(t(
                "请宣读并公布以下输入摘要（SHA-256，每组 8 位）：",
                "Read out and publish this inputs digest (SHA-256, groups of 8):",
            )))];
            rows.push(blank());
            let groups = text::digest_groups(digest);
            let spaced = |g: &str| g.chars().map(|c| c.to_string()).collect::<Vec<_>>().join(" ");
            for (k, pair) in groups.chunks(2).enumerate() {
                let mut spans = vec![Span::raw("  ")];
                for (j, g) in pair.iter().enumerate() {
                    spans.push(Span::styled(format!("{}  ", k * 2 + j + 1), th.dim()));
                    spans.push(Span::styled(spaced(g), th.big()));
                    spans.push(Span::raw("     "));
                }
                rows.push(Row::Text(Line::from(spans)));
            }
            rows.push(blank());
            rows.push(Row::Text(Line::from(vec![
                Span::styled(t("完整：", "Full: "), th.dim()),
                Span::raw(digest.clone()),
            ])));
            for l in lines {
                rows.extend(text_rows(l, iw, th.dim()));
            }
            let title = match lang {
                Lang::Zh => format!(" 计划 #{plan_id} 输入摘要 "),
                Lang::En => format!(" Plan #{plan_id} inputs digest "),
            };
            // The announcement goes out with the digest, before the seed exists: offered here.
            let keys = [
                ("Enter", t("确定", "OK")),
                ("a", t("导出计划公告", "export the announcement")),
                ("Esc", t("关闭", "close")),
            ];
            show(frame, th, title, w, rows, keys_footer(th, &keys), *scroll, false);
        }
        Popup::Message {
            title,
            lines,
            error,
            scroll,
        } => {
            let mut rows = Vec::new();
            for l in lines {
                rows.extend(text_rows(l, iw, Style::new()));
            }
            show(
                frame,
                th,
                format!(" {title} "),
                w,
                rows,
                footer(th, lang, Mode::Info),
                *scroll,
                *error,
            );
        }
        Popup::ImportReview(r) => {
            let o = &r.outcome;
            let mut rows = vec![
                Row::Text(Line::from(vec![
                    Span::raw(t("文件：", "File: ")),
                    Span::styled(r.path.display().to_string(), th.key()),
                ])),
                Row::Text(Line::from(vec![
                    Span::raw(t("名录：", "Roster: ")),
                    Span::raw(text::roster_name(r.kind, lang)),
                ])),
            ];
            // A file that could not be read has no counts worth showing.
            if o.rows > 0 || o.errors.is_empty() {
                rows.push(Row::Text(Line::from(match lang {
                    Lang::Zh => format!(
                        "数据行 {}：新增 {}，更新 {}，未变 {}",
                        o.rows, o.added, o.updated, o.unchanged
                    ),
                    Lang::En => format!(
                        "{}: {} new, {} updated, {} unchanged",
                        plural(o.rows, "row"),
                        o.added,
                        o.updated,
                        o.unchanged
                    ),
                })));
            }
            let ok = review_verdict(&mut rows, &o.errors, &o.warnings, lang, iw, th);
            let title = t(" 导入预检（尚未写入） ", " Import check (nothing written yet) ");
            let keys = review_keys(ok, lang);
            show(frame, th, title.into(), w, rows, keys_footer(th, &keys), r.scroll, !ok);
        }
        Popup::ResultImport(r) => {
            let o = &r.outcome;
            let mut rows = vec![
                Row::Text(Line::from(vec![
                    Span::raw(t("文件：", "File: ")),
                    Span::styled(r.path.display().to_string(), th.key()),
                ])),
                Row::Text(Line::from(match lang {
                    Lang::Zh => format!(
                        "填写了结果的任务 {}：新增 {}，更新 {}，未变 {}；空白未填 {} 行",
                        o.tasks, o.added, o.updated, o.unchanged, o.skipped_blank
                    ),
                    Lang::En => format!(
                        "{} tasks with a result: {} new, {} updated, {} unchanged; {} blank rows",
                        o.tasks, o.added, o.updated, o.unchanged, o.skipped_blank
                    ),
                })),
                Row::Text(Line::from(match lang {
                    Lang::Zh => format!(
                        "问题 {} 条，记分 {} 条；计划 {}",
                        o.findings,
                        o.points,
                        o.plans.iter().map(|p| format!("#{p}")).collect::<Vec<_>>().join(" ")
                    ),
                    Lang::En => format!(
                        "{} findings, {} points entries; plans {}",
                        o.findings,
                        o.points,
                        o.plans.iter().map(|p| format!("#{p}")).collect::<Vec<_>>().join(" ")
                    ),
                })),
            ];
            let ok = review_verdict(&mut rows, &o.errors, &o.warnings, lang, iw, th);
            let title = t(
                " 检查结果导入预检（尚未写入） ",
                " Results import check (nothing written yet) ",
            );
            let keys = review_keys(ok, lang);
            show(frame, th, title.into(), w, rows, keys_footer(th, &keys), r.scroll, !ok);
        }
        Popup::Followup { data, scroll } => {
            let rows = followup_rows(data, lang, iw, th);
            let title = match lang {
                Lang::Zh => format!(" 跟踪清单 · {} ", data.today),
                Lang::En => format!(" Follow-up · {} ", data.today),
            };
            let keys = [("j/k", t("滚动", "scroll")), ("Esc", t("关闭", "close"))];
            show(frame, th, title, w, rows, keys_footer(th, &keys), *scroll, false);
        }
        _ => {}
    }
}

/// The end of an import review (rosters or results): the verdict, then every error and warning.
/// Returns whether the file may be imported.
fn review_verdict(
    rows: &mut Vec<Row<'static>>,
    errors: &[ImportIssue],
    warnings: &[ImportIssue],
    lang: Lang,
    iw: usize,
    th: Theme,
) -> bool {
    let ok = errors.is_empty();
    rows.push(Row::Text(Line::from(Span::styled(
        match (lang, ok) {
            (Lang::Zh, true) => format!("校验通过（警告 {} 条）：按 Enter 写入，Esc 取消", warnings.len()),
            (Lang::En, true) => format!(
                "valid ({}): Enter imports, Esc cancels",
                plural(warnings.len(), "warning")
            ),
            (Lang::Zh, false) => format!("错误 {} 条：整个文件不会导入，请修改后重试", errors.len()),
            (Lang::En, false) => format!(
                "{}: nothing will be imported; fix the file and retry",
                plural(errors.len(), "error")
            ),
        },
        if ok { th.ok() } else { th.error() },
    ))));
    for issue in errors {
        rows.extend(text_rows(&format!("✗ {}", issue.text(lang)), iw, th.error()));
    }
    // Warnings by kind: a count and a few examples, not one line each.
    for line in crate::app::summarize_warnings(warnings, lang, 5) {
        rows.extend(text_rows(&format!("! {line}"), iw, th.warn()));
    }
    ok
}

/// The keys of an import review: import or cancel when valid, close when refused.
fn review_keys(ok: bool, lang: Lang) -> Vec<(&'static str, &'static str)> {
    let t = |zh, en| lang.pick(zh, en);
    if ok {
        vec![
            ("Enter", t("写入", "import")),
            ("Esc", t("取消", "cancel")),
            ("j/k", t("滚动", "scroll")),
        ]
    } else {
        vec![("Esc", t("关闭", "close")), ("j/k", t("滚动", "scroll"))]
    }
}

/// The follow-up lists: overdue rectifications, publication deadlines, results changed after
/// their disclosure, flagged persons (驾照式记分) and repeat offenders.
fn followup_rows(f: &Followup, lang: Lang, iw: usize, th: Theme) -> Vec<Row<'static>> {
    let t = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    let zh = lang == Lang::Zh;
    let mut rows = Vec::new();
    let head = |rows: &mut Vec<Row<'static>>, s: String| {
        rows.push(blank());
        rows.push(Row::Text(Line::from(Span::styled(s, th.header()))));
    };
    let place = |plan: i64, seq: u32, inst: &str, name: &str| {
        if zh {
            format!("计划{plan} 任务{seq} {inst} {name}")
        } else {
            format!("plan {plan} task {seq} {inst} {name}")
        }
    };
    let overdue: Vec<_> = f.rectifications.iter().filter(|r| r.overdue()).collect();
    head(
        &mut rows,
        if zh {
            format!("【逾期未销号的整改】{} 项", overdue.len())
        } else {
            format!("[Overdue rectifications] {}", overdue.len())
        },
    );
    for r in &overdue {
        let s = format!(
            "! {}  {} {} {}",
            place(r.at.plan_id, r.at.seq, &r.at.institution, &r.at.institution_name),
            r.due,
            r.status.zh(),
            if zh {
                format!("逾期 {} 天", r.days_overdue)
            } else {
                format!("{} days overdue", r.days_overdue)
            }
        );
        rows.extend(text_rows(&s, iw, th.error()));
    }
    let upcoming: Vec<_> = f.rectifications.iter().filter(|r| !r.overdue()).collect();
    if !upcoming.is_empty() {
        head(
            &mut rows,
            if zh {
                format!("【未到期的整改】{} 项", upcoming.len())
            } else {
                format!("[Rectifications not yet due] {}", upcoming.len())
            },
        );
    }
    for r in &upcoming {
        let s = format!(
            "  {}  {} {} {}",
            place(r.at.plan_id, r.at.seq, &r.at.institution, &r.at.institution_name),
            r.due,
            r.status.zh(),
            if zh {
                format!("剩 {} 天", -r.days_overdue)
            } else {
                format!("{} days left", -r.days_overdue)
            }
        );
        rows.extend(text_rows(&s, iw, Style::new()));
    }
    head(
        &mut rows,
        if zh {
            format!(
                "【待公示的检查结果】{} 项（完成后 {} 个工作日内）",
                f.publications.len(),
                f.publication_working_days
            )
        } else {
            format!(
                "[Results to publish] {} (within {} working days)",
                f.publications.len(),
                f.publication_working_days
            )
        },
    );
    for p in &f.publications {
        let state = match (p.overdue(), zh) {
            (true, true) => format!("已逾期 {} 个工作日", -p.working_days_left),
            (true, false) => format!("{} working days overdue", -p.working_days_left),
            (false, true) => format!("剩 {} 个工作日", p.working_days_left),
            (false, false) => format!("{} working days left", p.working_days_left),
        };
        let s = format!(
            "{} {}  {} {}  {state}",
            if p.overdue() { "!" } else { " " },
            place(p.at.plan_id, p.at.seq, &p.at.institution, &p.at.institution_name),
            t("截止", "due"),
            p.due,
        );
        rows.extend(text_rows(&s, iw, if p.overdue() { th.error() } else { Style::new() }));
    }
    if !f.changed_after_disclosure.is_empty() {
        head(
            &mut rows,
            if zh {
                format!(
                    "【公示后又修改的结果：请重新公示】{} 项",
                    f.changed_after_disclosure.len()
                )
            } else {
                format!(
                    "[Changed after disclosure: publish again] {}",
                    f.changed_after_disclosure.len()
                )
            },
        );
        for r in &f.changed_after_disclosure {
            let s = format!("  {}", place(r.plan_id, r.seq, &r.institution, &r.institution_name));
            rows.extend(text_rows(&s, iw, th.warn()));
        }
    }
    head(
        &mut rows,
        if zh {
            format!(
                "【驾照式记分预警】{} 人（本年度累计 ≥9 分暂停、≥12 分终止医保支付资格）",
                f.flagged_persons.len()
            )
        } else {
            format!(
                "[Points] {} people (≥9 this year suspends, ≥12 terminates)",
                f.flagged_persons.len()
            )
        },
    );
    for p in &f.flagged_persons {
        let s = format!(
            "! {} {}  {} {}  {}  {}",
            p.name,
            p.code,
            p.total,
            t("分", "pts"),
            p.qualification.text(lang),
            p.institution_names.join("、")
        );
        rows.extend(text_rows(&s, iw, if p.total >= 12 { th.error() } else { th.warn() }));
    }
    if !f.repeat_offenders.is_empty() {
        head(&mut rows, f.repeat_heading(lang));
        for o in &f.repeat_offenders {
            let style = if o.repeated() { th.error() } else { Style::new() };
            rows.extend(text_rows(&o.line(lang), iw, style));
        }
    }
    rows.push(blank());
    rows.extend(text_rows(&calendar_note(&f.calendar_years, lang), iw, th.dim()));
    // The first blank line is not needed at the top.
    rows.remove(0);
    rows
}

/// Opens the follow-up lists (overdue rectifications, publication deadlines, flagged persons).
pub fn open_followup(cx: &mut Ctx) {
    match cx.svc.followup(cx.svc.now().date()) {
        Ok(f) => cx.push(Effect::Open(Popup::Followup {
            data: Box::new(f),
            scroll: 0,
        })),
        Err(e) => cx.error(format!("{e:#}")),
    }
}
