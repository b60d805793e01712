//! Popups: help, confirmations, the inputs digest, messages, the draw dialog, path inputs and
//! the import review.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use super::table::{fit, width};
use super::{Theme, centered, draw_field, theme, wrap};
use crate::tui::app::{App, ConfirmKind, PathPurpose, Popup};
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
    let more = if rows.len() > visible + scroll { " ↓" } else { "" };
    let mut footer = footer;
    footer.spans.push(Span::styled(more, th.dim()));
    frame.render_widget(
        Paragraph::new(footer),
        Rect::new(inner.x, inner.y + inner.height.saturating_sub(1), inner.width, 1),
    );
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
            rows.extend(text_rows(
                t(
                    "将由同等级下一个未用的候补替换。请填写理由（必填，如：已注销、查无下落）。",
                    "The next unused alternate of the class takes its place. Give a reason (required).",
                ),
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
            let keys = [("Enter", t("替换", "replace")), ("Esc", t("取消", "cancel"))];
            show(
                frame,
                th,
                t(" 候补替换 ", " Replace by alternate ").into(),
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
                Row::Text(Line::from(match lang {
                    Lang::Zh => format!(
                        "数据行 {}：新增 {}，更新 {}，未变 {}",
                        o.rows, o.added, o.updated, o.unchanged
                    ),
                    Lang::En => format!(
                        "{} rows: {} new, {} updated, {} unchanged",
                        o.rows, o.added, o.updated, o.unchanged
                    ),
                })),
            ];
            let ok = o.errors.is_empty();
            rows.push(Row::Text(Line::from(Span::styled(
                match (lang, ok) {
                    (Lang::Zh, true) => format!("校验通过（警告 {} 条）：按 Enter 写入，Esc 取消", o.warnings.len()),
                    (Lang::En, true) => format!("valid ({} warnings): Enter imports, Esc cancels", o.warnings.len()),
                    (Lang::Zh, false) => format!("错误 {} 条：整个文件不会导入，请修改后重试", o.errors.len()),
                    (Lang::En, false) => format!(
                        "{} errors: nothing will be imported; fix the file and retry",
                        o.errors.len()
                    ),
                },
                if ok { th.ok() } else { th.error() },
            ))));
            for issue in &o.errors {
                rows.extend(text_rows(&format!("✗ {}", issue.text(lang)), iw, th.error()));
            }
            for issue in &o.warnings {
                rows.extend(text_rows(&format!("! {}", issue.text(lang)), iw, th.warn()));
            }
            let title = t(" 导入预检（尚未写入） ", " Import check (nothing written yet) ");
            let keys = if ok {
                vec![
                    ("Enter", t("写入", "import")),
                    ("Esc", t("取消", "cancel")),
                    ("j/k", t("滚动", "scroll")),
                ]
            } else {
                vec![("Esc", t("关闭", "close")), ("j/k", t("滚动", "scroll"))]
            };
            show(frame, th, title.into(), w, rows, keys_footer(app, &keys), r.scroll, !ok);
        }
    }
}
