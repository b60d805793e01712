//! Popups that ask for text: the seed of a draw (and a redraw's reason), the reason for
//! replacing a task or removing a result, and a file path (with Tab completion) for imports
//! and exports.

use std::path::{Path, PathBuf};

use ratatui::Frame;
use ratatui::text::{Line, Span};

use super::frame::{Row, blank, keys_footer, show, text_rows};
use super::{DrawPopup, ImportReview, PathPopup, PathPurpose, Popup, ReasonFor, ReplacePopup, ResultImportReview};
use crate::app::Service;
use crate::app::rosters::{ImportOptions, RosterKind};
use crate::tui::action::Action;
use crate::tui::context::{Ctx, Effect};
use crate::tui::forms::TextField;
use crate::tui::screens::tab::Tab;
use crate::tui::text::{self, Lang};
use crate::tui::view::table::width;

impl DrawPopup {
    pub fn update(&mut self, action: Action, cx: &mut Ctx) {
        let p = self;
        match action {
            Action::Cancel => cx.push(Effect::ClosePopup),
            Action::Char('g') if p.focus == 0 && p.seed.is_empty() => p.seed.set(Service::generate_seed()),
            Action::GenerateSeed => {
                p.seed.set(Service::generate_seed());
                p.focus = 0;
                p.confirming = false;
            }
            Action::NextField | Action::PrevField => {
                if p.redraw {
                    p.focus = 1 - p.focus;
                }
            }
            Action::Submit if p.confirming => p.run(cx),
            Action::Submit => p.ask_to_confirm(cx.lang),
            a => {
                let f = if p.focus == 0 { &mut p.seed } else { &mut p.reason };
                if f.edit(&a) {
                    p.error = None;
                    p.confirming = false;
                }
            }
        }
    }

    /// The first Enter: checks what can be checked here, then shows the seed back for a second.
    fn ask_to_confirm(&mut self, lang: Lang) {
        if self.seed.text.is_empty() {
            self.error = Some(
                lang.pick(
                    "种子不能为空（按 g 或 Ctrl-G 生成）",
                    "the seed is empty (g or Ctrl-G generates one)",
                )
                .into(),
            );
            self.focus = 0;
            return;
        }
        if self.redraw && self.reason.text.trim().is_empty() {
            self.error = Some(
                lang.pick(
                    "重新抽取须填写理由（Tab 切换到理由）",
                    "a redraw needs a reason (Tab to the reason field)",
                )
                .into(),
            );
            self.focus = 1;
            return;
        }
        self.error = None;
        self.confirming = true;
    }

    fn run(&mut self, cx: &mut Ctx) {
        let lang = cx.lang;
        let reason = self.reason.text.trim().to_string();
        self.confirming = false;
        match cx
            .svc
            .draw_plan(self.plan_id, &self.seed.text, self.redraw.then_some(reason.as_str()))
        {
            Ok(draw) => {
                cx.push(Effect::ClosePopup);
                cx.push(Effect::LoadPlans);
                cx.push(Effect::LoadStats);
                cx.push(Effect::FirstTask);
                cx.push(Effect::ShowTab(Tab::Tasks));
                cx.info(match lang {
                    Lang::Zh => format!(
                        "抽取完成：{} 个任务、{} 个候补；结果摘要 {}…",
                        draw.tasks.len(),
                        draw.alternates.len(),
                        &draw.result_digest[..16.min(draw.result_digest.len())]
                    ),
                    Lang::En => format!(
                        "drawn: {} tasks, {} alternates; result digest {}…",
                        draw.tasks.len(),
                        draw.alternates.len(),
                        &draw.result_digest[..16.min(draw.result_digest.len())]
                    ),
                });
            }
            Err(e) => self.error = Some(format!("{e:#}")),
        }
    }
}

impl ReplacePopup {
    pub fn update(&mut self, action: Action, cx: &mut Ctx) {
        match action {
            Action::Cancel => cx.push(Effect::ClosePopup),
            Action::Submit if self.purpose == ReasonFor::ClearResult => self.clear_result(cx),
            Action::Submit => self.replace(cx),
            a => {
                if self.reason.edit(&a) {
                    self.error = None;
                }
            }
        }
    }

    fn replace(&mut self, cx: &mut Ctx) {
        let (plan_id, seq, reason) = (self.plan_id, self.seq, self.reason.text.clone());
        match cx.svc.replace_task(plan_id, seq, &reason) {
            Ok(adj) => {
                cx.push(Effect::ClosePopup);
                cx.push(Effect::LoadPlanView);
                cx.push(Effect::LoadStats);
                cx.info(match cx.lang {
                    Lang::Zh => format!("任务 {seq}：{} 已由候补 {} 替换", adj.replaced, adj.replacement),
                    Lang::En => format!("task {seq}: {} replaced by alternate {}", adj.replaced, adj.replacement),
                });
            }
            Err(e) => self.error = Some(format!("{e:#}")),
        }
    }

    /// Removes the result named by the popup.
    fn clear_result(&mut self, cx: &mut Ctx) {
        let (plan, seq, reason) = (self.plan_id, self.seq, self.reason.text.clone());
        match cx.svc.clear_task_result(plan, seq, None, &reason) {
            Ok(removed) => {
                cx.push(Effect::ClosePopup);
                cx.push(Effect::LoadTasks);
                let msg = match (removed, cx.lang) {
                    (true, Lang::Zh) => format!("已删除任务 {seq} 的检查结果（已记入审计日志）"),
                    (true, Lang::En) => format!("result of task {seq} removed (logged)"),
                    (false, Lang::Zh) => format!("任务 {seq} 没有检查结果"),
                    (false, Lang::En) => format!("task {seq} has no result"),
                };
                cx.info(msg);
            }
            Err(e) => self.error = Some(format!("{e:#}")),
        }
    }
}

impl PathPopup {
    pub fn new(purpose: PathPurpose, name: impl Into<String>) -> PathPopup {
        PathPopup {
            purpose,
            field: TextField::new(name),
            candidates: vec![],
            error: None,
        }
    }

    pub fn update(&mut self, action: Action, cx: &mut Ctx) {
        let p = self;
        match action {
            Action::Cancel => cx.push(Effect::ClosePopup),
            Action::NextField => p.candidates = complete(&mut p.field),
            Action::CycleKind => {
                let next = |k| match k {
                    RosterKind::Items => RosterKind::Institutions,
                    RosterKind::Institutions => RosterKind::Inspectors,
                    RosterKind::Inspectors => RosterKind::Items,
                };
                p.purpose = match p.purpose {
                    PathPurpose::Import(k) => PathPurpose::Import(next(k)),
                    PathPurpose::Export(k) => PathPurpose::Export(next(k)),
                    other => other,
                };
            }
            Action::Submit => p.submit(cx),
            a => {
                if p.field.edit(&a) {
                    p.error = None;
                    p.candidates.clear();
                }
            }
        }
    }

    fn submit(&mut self, cx: &mut Ctx) {
        let text = self.field.text.trim();
        if text.is_empty() {
            self.error = Some(cx.lang.pick("请输入文件路径", "enter a file path").into());
            return;
        }
        let path = expand_home(text);
        if let Err(e) = self.write_or_read(&path, cx) {
            self.error = Some(format!("{e:#}"));
        }
    }

    fn write_or_read(&self, path: &Path, cx: &mut Ctx) -> anyhow::Result<()> {
        let lang = cx.lang;
        match self.purpose {
            PathPurpose::Import(kind) => {
                let opts = ImportOptions {
                    dry_run: true,
                    ..Default::default()
                };
                let outcome = cx.svc.import_roster(kind, path, &opts, &mut |_| {})?;
                cx.push(Effect::Open(Popup::ImportReview(ImportReview {
                    kind,
                    path: path.to_path_buf(),
                    outcome,
                    scroll: 0,
                })));
            }
            PathPurpose::Export(kind) => {
                let n = cx.svc.export_roster(kind, path)?;
                cx.push(Effect::ClosePopup);
                cx.info(match lang {
                    Lang::Zh => format!("已导出 {} 条{}到 {}", n, kind.zh(), path.display()),
                    Lang::En => format!("exported {n} {} to {}", kind.en(), path.display()),
                });
            }
            PathPurpose::Audit(id) => {
                cx.svc.export_audit_package(id, path)?;
                cx.push(Effect::ClosePopup);
                cx.info(match lang {
                    Lang::Zh => format!(
                        "已导出计划 #{id} 的审计包到 {}（可用 choucha verify 复核）",
                        path.display()
                    ),
                    Lang::En => format!(
                        "audit package of plan #{id} written to {} (check it with choucha verify)",
                        path.display()
                    ),
                });
            }
            PathPurpose::Disclosure(id) => {
                let out = cx.svc.export_disclosure(id, path)?;
                cx.push(Effect::ClosePopup);
                cx.push(Effect::LoadTasks);
                cx.info(match lang {
                    Lang::Zh => format!("已导出公示文件 {}", path.display()),
                    Lang::En => format!("disclosure written to {}", path.display()),
                });
                let body = match lang {
                    Lang::Zh => format!(
                        "已导出公示文件：{}\n格式 {}，检查结果 {} 条（首次公示 {} 条），尚未登记结果的任务 {} 个。\n审计日志第 {} 条；记录摘要 {}\n其中的结果从此算作已公示；公示后再修改的结果会列入跟踪清单（f）。",
                        path.display(),
                        out.format.as_str(),
                        out.rows,
                        out.newly_disclosed,
                        out.pending_tasks,
                        out.audit_seq,
                        out.records_digest
                    ),
                    Lang::En => format!(
                        "Disclosure written to {}\nformat {}, {} results ({} disclosed for the first time), {} tasks without a result yet.\naudit log entry {}; records digest {}\nIts results count as disclosed from now on; results changed later show in the follow-up (f).",
                        path.display(),
                        out.format.as_str(),
                        out.rows,
                        out.newly_disclosed,
                        out.pending_tasks,
                        out.audit_seq,
                        out.records_digest
                    ),
                };
                cx.message(cx.t("已导出结果公示", "Disclosure exported").to_string(), body, false);
            }
            PathPurpose::TaskSheet(id) => {
                let n = cx.svc.export_task_sheet(id, path)?;
                cx.push(Effect::ClosePopup);
                cx.info(match lang {
                    Lang::Zh => format!("已导出任务表 {}：{n} 个任务；填写后按 I 导入", path.display()),
                    Lang::En => format!(
                        "task sheet written to {}: {n} tasks; fill it in and import with I",
                        path.display()
                    ),
                });
            }
            PathPurpose::Announcement(id) => {
                let out = cx.svc.export_plan_announcement(id, path)?;
                cx.push(Effect::ClosePopup);
                cx.info(match lang {
                    Lang::Zh => format!(
                        "已写出计划 #{id} 的抽查计划公告 {}：纳入抽取机构 {} 家",
                        path.display(),
                        out.institutions
                    ),
                    Lang::En => format!(
                        "announcement of plan #{id} written to {}: {} institutions in the draw",
                        path.display(),
                        out.institutions
                    ),
                });
            }
            PathPurpose::ImportResults => {
                let outcome = cx.svc.import_results(path, true)?;
                cx.push(Effect::Open(Popup::ResultImport(ResultImportReview {
                    path: path.to_path_buf(),
                    outcome,
                    scroll: 0,
                })));
            }
        }
        Ok(())
    }
}

pub fn draw(popup: &Popup, frame: &mut Frame, w: u16, cx: &Ctx) {
    let th = cx.theme();
    let lang = cx.lang;
    let t = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    let iw = w.saturating_sub(2) as usize;
    match popup {
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
            if p.confirming {
                rows.push(blank());
                let n = p.seed.text.chars().count();
                let ask = match lang {
                    Lang::Zh => format!("请核对种子（共 {n} 个字符，原样保存并公布）：「{}」", p.seed.text),
                    Lang::En => format!(
                        "Check the seed ({n} characters, stored and published as typed): “{}”",
                        p.seed.text
                    ),
                };
                rows.extend(text_rows(&ask, iw, th.warn()));
                rows.extend(text_rows(
                    t(
                        "无误再按 Enter 抽取；有误直接修改。",
                        "Enter again to draw; edit it if it is wrong.",
                    ),
                    iw,
                    th.warn(),
                ));
            }
            let title = if p.redraw {
                t(" 重新抽取 ", " Redraw ")
            } else {
                t(" 抽取 ", " Draw ")
            };
            let mut keys = vec![
                if p.confirming {
                    ("Enter", t("确认抽取", "confirm and draw"))
                } else {
                    ("Enter", t("抽取", "draw"))
                },
                ("Ctrl-G", t("生成种子", "generate a seed")),
            ];
            if p.redraw {
                keys.push(("Tab", t("种子/理由", "seed/reason")));
            }
            keys.push(("Esc", t("取消", "cancel")));
            show(frame, th, title.into(), w, rows, keys_footer(th, &keys), 0, false);
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
                keys_footer(th, &keys),
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
                PathPurpose::Announcement(_) => (t(" 导出抽查计划公告 ", " Export the plan announcement "), None),
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
                PathPurpose::Announcement(_) => t(
                    "文件路径：扩展名决定格式（.html、.xlsx 或 .json）。公告含计划条款、纳入抽取的机构和输入摘要，不含人员信息；在产生种子之前发布。",
                    "File: the extension picks the format (.html, .xlsx or .json). Plan terms, the institutions in the draw and the inputs digest, no personal data; publish it before the seed exists.",
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
            show(frame, th, title.into(), w, rows, keys_footer(th, &keys), 0, false);
        }
        _ => {}
    }
}

fn expand_home(s: &str) -> PathBuf {
    match (s.strip_prefix("~/"), std::env::var_os("HOME")) {
        (Some(rest), Some(home)) => Path::new(&home).join(rest),
        _ => PathBuf::from(s),
    }
}

/// Tab completion of a file path: completes a unique match, or the common prefix and offers the
/// candidates.
pub fn complete(field: &mut TextField) -> Vec<String> {
    let text = field.text.clone();
    let (dir, prefix) = match text.rfind('/') {
        Some(i) => (text[..=i].to_string(), text[i + 1..].to_string()),
        None => (String::new(), text.clone()),
    };
    let read = if dir.is_empty() {
        PathBuf::from(".")
    } else {
        expand_home(&dir)
    };
    let Ok(entries) = std::fs::read_dir(&read) else {
        return vec![];
    };
    let mut names: Vec<String> = entries
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let is_dir = e.file_type().map(|t| t.is_dir()).unwrap_or(false);
            (name.starts_with(&prefix) && (prefix.starts_with('.') || !name.starts_with('.')))
                .then(|| if is_dir { format!("{name}/") } else { name })
        })
        .collect();
    names.sort();
    match names.len() {
        0 => vec![],
        1 => {
            field.set(format!("{dir}{}", names[0]));
            vec![]
        }
        _ => {
            let first: Vec<char> = names[0].chars().collect();
            let mut n = first.len();
            for other in &names[1..] {
                n = n.min(first.iter().zip(other.chars()).take_while(|(a, b)| **a == *b).count());
            }
            let common: String = first[..n].iter().collect();
            field.set(format!("{dir}{common}"));
            names
        }
    }
}
