//! Popups: help, confirmations, the inputs digest, messages, the draw dialog, path inputs and
//! the import review.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use super::table::{fit, width};
use super::{Theme, centered, draw_field, theme, wrap};
use crate::app::ImportIssue;
use crate::app::results::{Followup, calendar_note};
use crate::tui::app::{App, ConfirmKind, PathPurpose, Popup, ReasonFor};
use crate::tui::forms::TextField;
use crate::tui::keymap;
use crate::tui::text::{self, Lang};

/// One row of a popup: text, or an input field with its label.
enum Row<'a> {
    Text(Line<'static>),
    Field {
        label: String,
        field: &'a TextField,
        focused: bool,
    },
}

fn text_rows(s: &str, w: usize, style: Style) -> Vec<Row<'static>> {
    wrap(s, w)
        .into_iter()
        .map(|l| Row::Text(Line::from(Span::styled(l, style))))
        .collect()
}

/// "1 error", "2 errors".
fn plural(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

fn blank() -> Row<'static> {
    Row::Text(Line::from(""))
}

/// Draws a popup box of width `w` holding `rows` (scrolled by `scroll`) and a footer.
#[allow(clippy::too_many_arguments)]
fn show(
    frame: &mut Frame,
    th: Theme,
    title: String,
    w: u16,
    rows: Vec<Row>,
    footer: Line<'static>,
    scroll: usize,
    error: bool,
) {
    let screen = frame.area();
    let h = (rows.len() as u16 + 3).min(screen.height.saturating_sub(2)).max(4);
    let area = centered(screen, w.min(screen.width.saturating_sub(2)), h);
    // A wide character just left of the box would lose its second half under the border:
    // blank it rather than leave half a character on the screen.
    if area.x > 0 {
        let buf = frame.buffer_mut();
        for y in area.y..area.y + area.height {
            let cell = &mut buf[(area.x - 1, y)];
            if width(cell.symbol()) > 1 {
                cell.set_symbol(" ");
            }
        }
    }
    frame.render_widget(Clear, area);
    let border = if error { th.error() } else { th.border(true) };
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(border)
        .title(Span::styled(title, if error { th.error() } else { th.header() }));
    frame.render_widget(block, area);
    let inner = Rect::new(
        area.x + 1,
        area.y + 1,
        area.width.saturating_sub(2),
        area.height.saturating_sub(2),
    );
    let visible = inner.height.saturating_sub(1) as usize;
    let scroll = scroll.min(rows.len().saturating_sub(visible));
    for (k, row) in rows.iter().skip(scroll).take(visible).enumerate() {
        let y = inner.y + k as u16;
        match row {
            Row::Text(line) => frame.render_widget(Paragraph::new(line.clone()), Rect::new(inner.x, y, inner.width, 1)),
            Row::Field { label, field, focused } => {
                let lw = width(label) as u16;
                frame.render_widget(
                    Paragraph::new(Span::styled(label.clone(), th.header())),
                    Rect::new(inner.x, y, lw.min(inner.width), 1),
                );
                let style = if *focused {
                    th.selected()
                } else {
                    Style::new().add_modifier(Modifier::UNDERLINED)
                };
                let fx = inner.x + lw;
                draw_field(
                    frame,
                    field,
                    Rect::new(fx, y, inner.width.saturating_sub(lw), 1),
                    *focused,
                    style,
                );
            }
        }
    }
    let footer_area = Rect::new(inner.x, inner.y + inner.height.saturating_sub(1), inner.width, 1);
    frame.render_widget(Paragraph::new(footer), footer_area);
    // Where the view is in a long popup, at the right end of the footer: "1–20/45 ↓".
    let more = rows.len() > visible + scroll;
    if more || scroll > 0 {
        let arrows = match (scroll > 0, more) {
            (true, true) => "↑↓",
            (true, false) => "↑",
            _ => "↓",
        };
        let pos = format!(
            " {}–{}/{} {arrows}",
            scroll + 1,
            (scroll + visible).min(rows.len()),
            rows.len()
        );
        let pw = width(&pos) as u16;
        if pw < footer_area.width {
            let at = Rect::new(footer_area.x + footer_area.width - pw, footer_area.y, pw, 1);
            frame.render_widget(Clear, at);
            frame.render_widget(Paragraph::new(Span::styled(pos, th.dim())), at);
        }
    }
}

/// A footer naming the keys of one popup: (key, text) pairs.
fn keys_footer(app: &App, keys: &[(&str, &str)]) -> Line<'static> {
    let th = theme(app);
    let mut spans = Vec::new();
    for (k, t) in keys {
        spans.push(Span::styled(k.to_string(), th.key()));
        spans.push(Span::raw(format!(" {t}  ")));
    }
    Line::from(spans)
}

/// A footer built from the key table of a mode.
fn footer(app: &App, mode: keymap::Mode) -> Line<'static> {
    let th = theme(app);
    let mut spans = Vec::new();
    for (k, t) in keymap::hints(mode, app.lang) {
        spans.push(Span::styled(k, th.key()));
        spans.push(Span::raw(format!(" {t}  ")));
    }
    Line::from(spans)
}

pub fn draw(frame: &mut Frame, app: &App, popup: &Popup) {
    let th = theme(app);
    let lang = app.lang;
    let t = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    let screen_w = frame.area().width;
    let w = 76.min(screen_w.saturating_sub(2));
    let iw = w.saturating_sub(2) as usize;
    match popup {
        Popup::Help { mode, scroll } => {
            let sections = keymap::help_sections(*mode, lang);
            let kw = sections
                .iter()
                .flat_map(|(_, l)| l.iter().map(|(k, _)| width(k)))
                .max()
                .unwrap_or(0)
                .min(24);
            let mut rows = Vec::new();
            for (title, lines) in sections {
                rows.push(Row::Text(Line::from(Span::styled(format!("【{title}】"), th.header()))));
                for (k, d) in lines {
                    rows.push(Row::Text(Line::from(vec![
                        Span::styled(format!("  {}", fit(&k, kw)), th.key()),
                        Span::raw(format!("  {d}")),
                    ])));
                }
            }
            let title = format!(" {} — {} ", t("帮助：按键", "Help: keys"), mode.label(lang));
            show(
                frame,
                th,
                title,
                w,
                rows,
                footer(app, keymap::Mode::Help),
                *scroll,
                false,
            );
        }
        Popup::Confirm(kind) => {
            let (title, body) = match kind {
                ConfirmKind::Freeze { plan_id, title } => (
                    t(" 冻结计划 ", " Freeze plan "),
                    match lang {
                        Lang::Zh => format!(
                            "冻结计划 #{plan_id}《{title}》？\n冻结后计划不能再修改；系统将固定名录并算出输入摘要，须在抽取前公布。"
                        ),
                        Lang::En => format!(
                            "Freeze plan #{plan_id} \"{title}\"?\nA frozen plan cannot change; the rosters are fixed and the inputs digest must be published before the draw."
                        ),
                    },
                ),
                ConfirmKind::Publish { plan_id, title } => (
                    t(" 公示 ", " Publish "),
                    match lang {
                        Lang::Zh => {
                            format!("公示计划 #{plan_id}《{title}》的抽取结果？\n公示后抽取结果不能再更改或替换。")
                        }
                        Lang::En => format!(
                            "Publish the draw of plan #{plan_id} \"{title}\"?\nAfterwards the draw can no longer change."
                        ),
                    },
                ),
                ConfirmKind::SetActive {
                    key, name, activate, ..
                } => (
                    if *activate {
                        t(" 启用 ", " Reactivate ")
                    } else {
                        t(" 停用 ", " Deactivate ")
                    },
                    match (lang, activate) {
                        (Lang::Zh, false) => format!(
                            "停用 {key} {name}？\n记录与历史保留，不再参与新的抽取；可在“显示已停用”(v) 中重新启用。"
                        ),
                        (Lang::Zh, true) => format!("重新启用 {key} {name}？"),
                        (Lang::En, false) => format!(
                            "Deactivate {key} {name}?\nThe record and its history stay; it no longer takes part in new draws."
                        ),
                        (Lang::En, true) => format!("Reactivate {key} {name}?"),
                    },
                ),
                ConfirmKind::DiscardResult => (
                    t(" 放弃修改 ", " Discard changes "),
                    t(
                        "检查结果表单有未保存的修改。放弃这些修改并关闭表单？\n（按 n 返回表单，在表单中按 Ctrl-S 保存）",
                        "The results form has unsaved changes. Discard them and close the form?\n(n returns to the form, where Ctrl-S saves)",
                    )
                    .to_string(),
                ),
            };
            let w = 64.min(w);
            let mut rows = vec![blank()];
            rows.extend(text_rows(&body, w.saturating_sub(2) as usize, Style::new()));
            rows.push(blank());
            show(
                frame,
                th,
                title.to_string(),
                w,
                rows,
                footer(app, keymap::Mode::Confirm),
                0,
                false,
            );
        }
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
            show(
                frame,
                th,
                title,
                w,
                rows,
                footer(app, keymap::Mode::Info),
                *scroll,
                false,
            );
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
                footer(app, keymap::Mode::Info),
                *scroll,
                *error,
            );
        }
        Popup::Draw(p) => {
            let mut rows = vec![Row::Text(Line::from(Span::styled(
                format!("#{} {}", p.plan_id, p.title),
                th.key(),
            )))];
            rows.extend(text_rows(
                t(
                    "种子：公开产生的数字或文字（如现场摇号结果），原样保存、须公布。种子为空时按 g（或 Ctrl-G）生成。",
                    "Seed: a publicly produced number or text, stored exactly as typed and published. With an empty seed, g (or Ctrl-G) generates one.",
                ),
                iw,
                th.dim(),
            ));
            let label = t("种子 › ", "Seed › ").to_string();
            let fw = iw.saturating_sub(width(&label));
            rows.push(Row::Field {
                label,
                field: &p.seed,
                focused: p.focus == 0,
            });
            if width(&p.seed.text) >= fw {
                rows.push(Row::Text(Line::from(Span::styled(
                    t("种子全文：", "Full seed:"),
                    th.dim(),
                ))));
                rows.extend(text_rows(&p.seed.text, iw, th.key()));
            }
            if p.redraw {
                rows.push(blank());
                rows.extend(text_rows(
                    t(
                        "该计划已抽取过：重新抽取须说明理由，原结果保留可查。",
                        "Drawn already: a redraw needs a reason; the earlier draw stays on record.",
                    ),
                    iw,
                    th.warn(),
                ));
                rows.push(Row::Field {
                    label: t("理由 › ", "Reason › ").into(),
                    field: &p.reason,
                    focused: p.focus == 1,
                });
            }
            if let Some(e) = &p.error {
                rows.push(blank());
                rows.extend(text_rows(e, iw, th.error()));
            }
            let title = if p.redraw {
                t(" 重新抽取 ", " Redraw ")
            } else {
                t(" 抽取 ", " Draw ")
            };
            let mut keys = vec![
                ("Enter", t("抽取", "draw")),
                ("Ctrl-G", t("生成种子", "generate a seed")),
            ];
            if p.redraw {
                keys.push(("Tab", t("种子/理由", "seed/reason")));
            }
            keys.push(("Esc", t("取消", "cancel")));
            show(frame, th, title.into(), w, rows, keys_footer(app, &keys), 0, false);
        }
        Popup::Replace(p) => {
            let head = match lang {
                Lang::Zh => format!("任务 {}：{}", p.seq, p.institution),
                Lang::En => format!("Task {}: {}", p.seq, p.institution),
            };
            let mut rows = vec![Row::Text(Line::from(Span::styled(head, th.key())))];
            let clear = p.purpose == ReasonFor::ClearResult;
            rows.extend(text_rows(
                if clear {
                    t(
                        "删除该任务已登记的检查结果（含问题和记分）。删除及理由记入审计日志。请填写理由（必填）。",
                        "Removes the recorded result (findings and points too); the removal and its reason are logged. Give a reason (required).",
                    )
                } else {
                    t(
                        "将由同等级下一个未用的候补替换。请填写理由（必填，如：已注销、查无下落）。",
                        "The next unused alternate of the class takes its place. Give a reason (required).",
                    )
                },
                iw,
                th.dim(),
            ));
            rows.push(Row::Field {
                label: t("理由 › ", "Reason › ").into(),
                field: &p.reason,
                focused: true,
            });
            if let Some(e) = &p.error {
                rows.extend(text_rows(e, iw, th.error()));
            }
            let keys = [
                (
                    "Enter",
                    if clear {
                        t("删除", "remove")
                    } else {
                        t("替换", "replace")
                    },
                ),
                ("Esc", t("取消", "cancel")),
            ];
            show(
                frame,
                th,
                if clear {
                    t(" 删除检查结果 ", " Remove a result ")
                } else {
                    t(" 候补替换 ", " Replace by alternate ")
                }
                .into(),
                w,
                rows,
                keys_footer(app, &keys),
                0,
                false,
            );
        }
        Popup::Path(p) => {
            let (title, kind) = match p.purpose {
                PathPurpose::Import(k) => (t(" 导入名录 ", " Import a roster "), Some(k)),
                PathPurpose::Export(k) => (t(" 导出名录 ", " Export a roster "), Some(k)),
                PathPurpose::Audit(_) => (t(" 导出审计包 ", " Export the audit package "), None),
                PathPurpose::Disclosure(_) => (t(" 导出结果公示 ", " Export the disclosure "), None),
                PathPurpose::TaskSheet(_) => (t(" 导出任务表 ", " Export the task sheet "), None),
                PathPurpose::ImportResults => (t(" 导入检查结果 ", " Import results "), None),
            };
            let mut rows = Vec::new();
            if let Some(k) = kind {
                rows.push(Row::Text(Line::from(vec![
                    Span::raw(t("名录：", "Roster: ")),
                    Span::styled(text::roster_name(k, lang), th.key()),
                    Span::styled(t("（Ctrl-T 切换）", " (Ctrl-T switches)"), th.dim()),
                ])));
            }
            let hint = match p.purpose {
                PathPurpose::Import(_) => t(
                    "文件路径（.xlsx 或 .csv；Tab 补全）：先预检，不写入",
                    "File (.xlsx or .csv; Tab completes): checked first, nothing written yet",
                ),
                PathPurpose::Export(_) => t(
                    "文件路径（按扩展名 .xlsx 或 .csv 输出）：",
                    "File (.xlsx or .csv by extension):",
                ),
                PathPurpose::Audit(_) => t(
                    "文件路径（JSON，可用 choucha verify 复核）：",
                    "File (JSON; check it with choucha verify):",
                ),
                PathPurpose::Disclosure(_) => t(
                    "文件路径：扩展名决定格式（.xlsx、.csv、.json 或 .html）。只含可公开的内容；导出记入审计日志，其中的结果从此算作已公示。",
                    "File: the extension picks the format (.xlsx, .csv, .json or .html). Only public content; the export is logged and its results count as disclosed.",
                ),
                PathPurpose::TaskSheet(_) => t(
                    "文件路径（.xlsx 含全部工作表；.csv 仅主表）：填写后按 I 导入。",
                    "File (.xlsx with all sheets; .csv the main sheet only): fill it in, then import with I.",
                ),
                PathPurpose::ImportResults => t(
                    "已填写的任务表（.xlsx 或 .csv；Tab 补全）：先预检，不写入",
                    "A filled-in task sheet (.xlsx or .csv; Tab completes): checked first, nothing written yet",
                ),
            };
            rows.extend(text_rows(hint, iw, th.dim()));
            rows.push(Row::Field {
                label: "› ".into(),
                field: &p.field,
                focused: true,
            });
            if !p.candidates.is_empty() {
                let shown: Vec<&str> = p.candidates.iter().take(12).map(String::as_str).collect();
                let more = if p.candidates.len() > 12 {
                    format!(" … (+{})", p.candidates.len() - 12)
                } else {
                    String::new()
                };
                rows.extend(text_rows(&format!("{}{more}", shown.join("  ")), iw, th.dim()));
            }
            if let Some(e) = &p.error {
                rows.extend(text_rows(e, iw, th.error()));
            }
            let mut keys = vec![("Enter", t("确定", "OK")), ("Tab", t("补全文件名", "complete"))];
            if kind.is_some() {
                keys.push(("Ctrl-T", t("切换名录", "roster")));
            }
            keys.push(("Esc", t("取消", "cancel")));
            show(frame, th, title.into(), w, rows, keys_footer(app, &keys), 0, false);
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
            show(frame, th, title.into(), w, rows, keys_footer(app, &keys), r.scroll, !ok);
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
            show(frame, th, title.into(), w, rows, keys_footer(app, &keys), r.scroll, !ok);
        }
        Popup::Followup { data, scroll } => {
            let rows = followup_rows(data, lang, iw, th);
            let title = match lang {
                Lang::Zh => format!(" 跟踪清单 · {} ", data.today),
                Lang::En => format!(" Follow-up · {} ", data.today),
            };
            let keys = [("j/k", t("滚动", "scroll")), ("Esc", t("关闭", "close"))];
            show(frame, th, title, w, rows, keys_footer(app, &keys), *scroll, false);
        }
        Popup::Pick(p) => {
            let pw = (p.labels.iter().map(|l| width(l)).max().unwrap_or(10) + 8).clamp(44.min(w as usize), w as usize)
                as u16;
            let mut rows = Vec::new();
            if p.multi {
                rows.extend(text_rows(
                    t(
                        "Space 勾选，Enter 确定（未勾选时取光标所在项）",
                        "Space ticks; Enter takes the ticked ones (or the highlighted one)",
                    ),
                    pw.saturating_sub(2) as usize,
                    th.dim(),
                ));
            }
            let first = rows.len();
            for (i, label) in p.labels.iter().enumerate() {
                let mark = match (p.multi, p.chosen.get(i).copied().unwrap_or(false)) {
                    (false, _) => "  ",
                    (true, true) => "☑ ",
                    (true, false) => "☐ ",
                };
                let style = if i == p.selected { th.selected() } else { Style::new() };
                rows.push(Row::Text(Line::from(Span::styled(
                    fit(&format!("{mark}{label}"), pw.saturating_sub(2) as usize),
                    style,
                ))));
            }
            let keys: Vec<(&str, &str)> = if p.multi {
                vec![
                    ("Space", t("勾选", "tick")),
                    ("Enter", t("确定", "OK")),
                    ("Esc", t("取消", "cancel")),
                ]
            } else {
                vec![("Enter", t("选定", "choose")), ("Esc", t("取消", "cancel"))]
            };
            // Keep the highlighted option in view.
            let visible = (frame.area().height as usize).saturating_sub(5).max(1);
            let scroll = (p.selected + first + 1).saturating_sub(visible);
            show(
                frame,
                th,
                format!(" {} ", p.title),
                pw,
                rows,
                keys_footer(app, &keys),
                scroll,
                false,
            );
        }
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
    for issue in warnings {
        rows.extend(text_rows(&format!("! {}", issue.text(lang)), iw, th.warn()));
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
