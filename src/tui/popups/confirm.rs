//! Asking before a step that cannot be undone: freezing or publishing a plan, deactivating a
//! record, discarding the changes of the results form.

use ratatui::Frame;
use ratatui::style::Style;

use super::frame::{blank, footer, show, text_rows};
use super::{ConfirmKind, Popup};
use crate::tui::action::Action;
use crate::tui::context::{Ctx, Effect};
use crate::tui::keymap::Mode;
use crate::tui::text::Lang;

impl ConfirmKind {
    /// y/Enter does it, n/Esc closes.
    pub fn update(&self, action: Action, cx: &mut Ctx) {
        match action {
            Action::Cancel => cx.push(Effect::ClosePopup),
            Action::Confirm => {
                cx.push(Effect::ClosePopup);
                self.confirmed(cx);
            }
            _ => {}
        }
    }

    fn confirmed(&self, cx: &mut Ctx) {
        let lang = cx.lang;
        match self {
            ConfirmKind::Freeze { plan_id, .. } => match cx.svc.freeze_plan(*plan_id) {
                Ok(r) => {
                    let lines = r.lines(lang);
                    cx.push(Effect::LoadPlans);
                    cx.info(format!("{} #{plan_id}", cx.t("已冻结计划", "froze plan")));
                    cx.push(Effect::Open(Popup::Digest {
                        plan_id: *plan_id,
                        digest: r.inputs_digest,
                        lines,
                        scroll: 0,
                    }));
                }
                Err(e) => cx.message(cx.t("冻结失败", "freeze failed").to_string(), format!("{e:#}"), true),
            },
            ConfirmKind::Publish { plan_id, .. } => match cx.svc.publish_plan(*plan_id) {
                Ok(()) => {
                    cx.push(Effect::LoadPlans);
                    cx.info(format!("{} #{plan_id}", cx.t("已公示计划", "published plan")));
                }
                Err(e) => cx.error(format!("{e:#}")),
            },
            ConfirmKind::DiscardResult => {
                cx.push(Effect::CloseResultForm);
                cx.info(cx.t("已放弃未保存的修改", "changes discarded"));
            }
            ConfirmKind::SetActive {
                kind, key, activate, ..
            } => match cx.svc.set_record_active(*kind, key, *activate) {
                Ok(_) => {
                    cx.push(Effect::Refresh);
                    let msg = if *activate {
                        cx.t("已启用", "reactivated")
                    } else {
                        cx.t("已停用", "deactivated")
                    };
                    cx.info(format!("{msg} {key}"));
                }
                Err(e) => cx.error(format!("{e:#}")),
            },
        }
    }

    pub fn draw(&self, frame: &mut Frame, w: u16, cx: &Ctx) {
        let kind = self;
        let th = cx.theme();
        let lang = cx.lang;
        let t = |zh: &'static str, en: &'static str| lang.pick(zh, en);
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
            footer(th, lang, Mode::Confirm),
            0,
            false,
        );
    }
}
