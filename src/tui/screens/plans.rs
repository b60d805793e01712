//! The plans tab: the list of plans and the selected plan's details; the keys that create,
//! edit, freeze, draw and publish a plan.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

use crate::app::plans::{FreezeReport, PlanRow, PlanStatus, PlanView};
use crate::domain::CreditClass;
use crate::domain::plan::{format_rate_bp, sample_size};
use crate::tui::action::Action;
use crate::tui::context::{Ctx, Effect};
use crate::tui::forms::TextField;
use crate::tui::keymap::Mode;
use crate::tui::popups::{ConfirmKind, DrawPopup, Popup};
use crate::tui::screen::{Motion, Screen, row_at};
use crate::tui::text::{self, Lang};
use crate::tui::view::layout;
use crate::tui::view::table::{self, fit};

#[derive(Debug, Clone, Default)]
pub struct PlansState {
    pub list: Vec<PlanRow>,
    pub selected: usize,
    pub view: Option<PlanView>,
    /// Rates of the selected plan in basis points, A–D (from its stored file).
    pub rates: Option<[u32; 4]>,
    pub detail: bool,
}

impl PlansState {
    pub fn selected_plan(&self) -> Option<&PlanRow> {
        self.list.get(self.selected)
    }

    /// Re-reads the list, staying on the same plan, and the selected plan's view.
    pub fn load(&mut self, cx: &mut Ctx) {
        let keep = self.selected_plan().map(|p| p.id);
        match cx.svc.plans() {
            Ok(list) => {
                self.list = list;
                // Stay on the same plan when others were added or removed.
                if let Some(i) = keep.and_then(|id| self.list.iter().position(|p| p.id == id)) {
                    self.selected = i;
                }
                if self.selected >= self.list.len() {
                    self.selected = self.list.len().saturating_sub(1);
                }
            }
            Err(e) => cx.error(e),
        }
        self.load_view(cx);
    }

    /// Reads the selected plan's view (draws, tasks, replacements) and its rates.
    pub fn load_view(&mut self, cx: &mut Ctx) {
        self.view = None;
        self.rates = None;
        if let Some(id) = self.selected_plan().map(|p| p.id) {
            match cx.svc.plan_view(id) {
                Ok(v) => {
                    self.rates = cx.svc.parse_plan(&v.plan.spec).ok().map(|p| p.checked.rates_bp);
                    self.view = Some(v);
                }
                Err(e) => cx.error(e),
            }
        }
    }

    /// Where the data rows are drawn in `body` (drawing, paging and clicks share it).
    pub fn rows_area(&self, body: Rect) -> Rect {
        let (list, _) = layout::split_plans(body, self.detail, self.list.len());
        layout::data_rows(list, layout::PLANS_ABOVE)
    }

    /// How many plans the list shows at this size.
    pub fn rows(&self, size: (u16, u16)) -> usize {
        (self.rows_area(layout::areas(size).body).height as usize).max(1)
    }

    /// The plan drawn at the top of a list of `rows` lines: the list scrolls only as far as
    /// the selection needs.
    fn first_shown(&self, rows: usize) -> usize {
        self.selected.saturating_sub(rows.saturating_sub(1))
    }
}

impl Screen for PlansState {
    fn mode(&self) -> Mode {
        Mode::Plans
    }

    fn update(&mut self, action: Action, cx: &mut Ctx) {
        let lang = cx.lang;
        if let Some(m) = Motion::of(&action) {
            let new = m.target(self.selected, self.list.len(), self.rows(cx.size));
            if new != self.selected {
                self.selected = new;
                cx.push(Effect::FirstTask);
                cx.push(Effect::LoadPlanView);
            }
            return;
        }
        match action {
            Action::ToggleDetail => self.detail = !self.detail,
            Action::NewPlan => {
                cx.push(Effect::OpenEditor {
                    plan_id: None,
                    text: crate::app::demo::DEMO_PLAN.to_string(),
                });
            }
            Action::EditPlan => {
                let Some(p) = self.selected_plan().cloned() else { return };
                if p.status != PlanStatus::Draft {
                    return cx.error(cx.t(
                        "只能编辑草稿状态的计划（冻结后不能修改）",
                        "only a draft plan can be edited (frozen plans cannot change)",
                    ));
                }
                cx.push(Effect::OpenEditor {
                    plan_id: Some(p.id),
                    text: p.text_to_edit().to_string(),
                });
            }
            Action::Freeze => {
                let Some(p) = self.selected_plan().cloned() else { return };
                if p.status != PlanStatus::Draft {
                    return cx.error(cx.t("只能冻结草稿状态的计划", "only a draft plan can be frozen"));
                }
                cx.push(Effect::Open(Popup::Confirm(ConfirmKind::Freeze {
                    plan_id: p.id,
                    title: p.title,
                })));
            }
            Action::Draw => {
                let Some(p) = self.selected_plan().cloned() else { return };
                let redraw = match p.status {
                    PlanStatus::Frozen => false,
                    PlanStatus::Drawn => true,
                    PlanStatus::Draft => {
                        return cx.error(cx.t(
                            "计划尚未冻结：先按 f 冻结并公布输入摘要",
                            "the plan is not frozen: press f first",
                        ));
                    }
                    _ => {
                        return cx.error(cx.t(
                            "该计划已公示，不能再抽取",
                            "this plan is published and cannot be drawn again",
                        ));
                    }
                };
                cx.push(Effect::Open(Popup::Draw(DrawPopup {
                    plan_id: p.id,
                    title: p.title,
                    redraw,
                    seed: TextField::default(),
                    reason: TextField::default(),
                    focus: 0,
                    error: None,
                    confirming: false,
                })));
            }
            Action::Publish => {
                let Some(p) = self.selected_plan().cloned() else { return };
                if p.status != PlanStatus::Drawn {
                    return cx.error(cx.t("只有已抽取的计划可以公示", "only a drawn plan can be published"));
                }
                cx.push(Effect::Open(Popup::Confirm(ConfirmKind::Publish {
                    plan_id: p.id,
                    title: p.title,
                })));
            }
            Action::ShowDigest => {
                let Some(view) = &self.view else { return };
                match &view.frozen {
                    Some(f) => {
                        let mut lines = vec![match lang {
                            Lang::Zh => format!("冻结于 {}，操作人 {}", f.frozen_at, f.frozen_by),
                            Lang::En => format!("frozen at {} by {}", f.frozen_at, f.frozen_by),
                        }];
                        match FreezeReport::parse(&f.inputs_digest, &f.report) {
                            Some(r) => lines.extend(r.lines(lang)),
                            // Written by another version: shown as stored.
                            None => lines.push(f.report.clone()),
                        }
                        cx.push(Effect::Open(Popup::Digest {
                            plan_id: view.plan.id,
                            digest: f.inputs_digest.clone(),
                            lines,
                            scroll: 0,
                        }));
                    }
                    None => cx.error(cx.t(
                        "该计划尚未冻结，没有输入摘要",
                        "this plan is not frozen: no inputs digest yet",
                    )),
                }
            }
            _ => {}
        }
    }

    fn draw(&self, frame: &mut Frame, area: Rect, cx: &Ctx) {
        draw(frame, self, cx, area);
    }

    fn click(&mut self, x: u16, y: u16, area: Rect, cx: &mut Ctx) {
        let rows = self.rows_area(area);
        let first = self.first_shown(rows.height as usize);
        if let Some(idx) = row_at(x, y, rows, first)
            && idx < self.list.len()
            && idx != self.selected
        {
            self.selected = idx;
            cx.push(Effect::LoadPlanView);
        }
    }

    fn position(&self, cx: &Ctx) -> Option<String> {
        let (x, y) = (self.selected + 1, self.list.len());
        Some(text::row_of(cx.lang, if y == 0 { 0 } else { x }, y))
    }
}

fn draw(frame: &mut Frame, st: &PlansState, cx: &Ctx, body: Rect) {
    let th = cx.theme();
    let lang = cx.lang;
    let (list, detail) = layout::split_plans(body, st.detail, st.list.len());
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(th.border(true))
        .title(Span::styled(format!(" {} ", text::TABS[3].get(lang)), th.header()));
    frame.render_widget(block, list);
    let inner = layout::inner(list);
    if inner.height < 2 {
        return;
    }
    let w = inner.width as usize;
    let cols = [
        (0, 4),
        (1, 4),
        (2, 8),
        (3, w.saturating_sub(4 + 4 + 8 + 3 * table::GAP)),
    ];
    let head: Vec<&str> = text::PLAN_COLS.iter().map(|t| t.get(lang)).collect();
    let mut lines = vec![Line::from(Span::styled(
        fit(&table::row_text(&head, &cols), w),
        th.header(),
    ))];
    let rows = inner.height as usize - 1;
    let first = st.first_shown(rows);
    if st.list.is_empty() {
        lines.push(Line::from(Span::styled(text::NO_PLANS.get(lang), th.dim())));
    }
    for (i, p) in st.list.iter().enumerate().skip(first).take(rows) {
        let cells = [
            p.id.to_string(),
            p.year.to_string(),
            text::status_name(p.status, lang).to_string(),
            p.title.clone(),
        ];
        let cells: Vec<&str> = cells.iter().map(String::as_str).collect();
        let style = if i == st.selected { th.selected() } else { Style::new() };
        lines.push(table::styled_row(table::row_text(&cells, &cols), w, style));
    }
    frame.render_widget(Paragraph::new(lines), inner);
    if let Some(area) = detail {
        draw_detail(frame, st, cx, area);
    }
}

fn per_class(values: impl Fn(usize) -> String) -> String {
    CreditClass::ALL
        .iter()
        .map(|c| format!("{} {}", c.letter(), values(c.index())))
        .collect::<Vec<_>>()
        .join(" · ")
}

fn draw_detail(frame: &mut Frame, st: &PlansState, cx: &Ctx, area: Rect) {
    let th = cx.theme();
    let lang = cx.lang;
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(th.border(false))
        .title(format!(" {} ", text::DETAIL.get(lang)));
    let Some(view) = &st.view else {
        frame.render_widget(block, area);
        return;
    };
    let p = &view.plan;
    let t = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    let label = |s: &str| Span::styled(s.to_string(), th.header());
    let mut lines = vec![Line::from(vec![Span::styled(
        format!("#{} {}", p.id, p.title),
        th.header(),
    )])];
    lines.push(Line::from(vec![
        label(t("状态：", "Status: ")),
        Span::styled(text::status_name(p.status, lang), th.key()),
        Span::raw(format!(
            "   {}{}  {}",
            t("创建：", "created: "),
            p.created_at.replace('T', " "),
            p.created_by
        )),
    ]));
    if let Some(r) = st.rates {
        lines.push(Line::from(vec![
            label(t("比例：", "Rates: ")),
            Span::raw(per_class(|i| format_rate_bp(r[i]))),
        ]));
        if p.status == PlanStatus::Draft {
            let n = cx.per_class;
            lines.push(Line::from(vec![
                label(t("应抽：", "To draw: ")),
                Span::raw(per_class(|i| format!("{}/{}", sample_size(r[i], n[i]), n[i]))),
            ]));
        }
    }
    if let Some(f) = &view.frozen {
        let groups = text::digest_groups(&f.inputs_digest);
        lines.push(Line::from(label(t(
            "输入摘要（已公布）：",
            "Inputs digest (published):",
        ))));
        for chunk in groups.chunks(4) {
            lines.push(Line::from(Span::styled(format!("  {}", chunk.join(" ")), th.big())));
        }
        lines.push(Line::from(vec![
            label(t("冻结：", "Frozen: ")),
            Span::raw(format!("{}  {}", f.frozen_at.replace('T', " "), f.frozen_by)),
        ]));
    }
    for (k, d) in view.draws.iter().enumerate() {
        let current = k + 1 == view.draws.len();
        let head = match lang {
            Lang::Zh => format!("抽取 #{}{}：", k + 1, if current { "（当前）" } else { "" }),
            Lang::En => format!("Draw #{}{}: ", k + 1, if current { " (current)" } else { "" }),
        };
        lines.push(Line::from(vec![
            label(&head),
            Span::raw(format!("{}  {}", d.drawn_at.replace('T', " "), d.drawn_by)),
        ]));
        lines.push(Line::from(vec![
            Span::raw(format!("  {}", t("种子：", "seed: "))),
            Span::styled(d.seed.clone(), th.key()),
        ]));
        lines.push(Line::from(format!(
            "  {}{}",
            t("结果摘要：", "result digest: "),
            d.result_digest
        )));
        if !d.reason.is_empty() {
            lines.push(Line::from(format!("  {}{}", t("重抽理由：", "reason: "), d.reason)));
        }
    }
    if view.current_draw().is_some() {
        let n = view.tasks.iter().filter(|t| !t.alternate).count();
        let alt = view.tasks.len() - n;
        lines.push(Line::from(match lang {
            Lang::Zh => format!(
                "任务 {n} 个，候补 {alt} 个，替换 {} 次（按 5 查看）",
                view.adjustments.len()
            ),
            Lang::En => format!(
                "{n} tasks, {alt} alternates, {} replacements (press 5)",
                view.adjustments.len()
            ),
        }));
    }
    let next = match p.status {
        PlanStatus::Draft => t(
            "下一步：e 编辑 · f 冻结并公布输入摘要",
            "next: e edit · f freeze and publish the inputs digest",
        ),
        PlanStatus::Frozen => t("下一步：r 以公开的种子抽取", "next: r draw with a public seed"),
        PlanStatus::Drawn => t(
            "下一步：5 查看任务、登记检查结果 · p 公示 · r 重新抽取（须说明理由）",
            "next: 5 tasks and results · p publish · r redraw (needs a reason)",
        ),
        _ => t(
            "已公示：抽取结果不可更改；检查结果在 5 登记和公示",
            "published: the draw can no longer change; results are recorded on tab 5",
        ),
    };
    lines.push(Line::from(Span::styled(next, th.dim())));
    frame.render_widget(Paragraph::new(lines).block(block).wrap(Wrap { trim: false }), area);
}
