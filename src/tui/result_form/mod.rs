//! The results form of one task: every part of `TaskResultInput` as text fields (main fields,
//! one result per task item, findings and 驾照式记分 rows), the problems the app layer finds in
//! it next to the fields they concern, and the rows the screen shows (shared by drawing and
//! scrolling).

mod draw;
pub mod screen;

use std::collections::{HashMap, HashSet};

use super::forms::TextField;
use super::text::Lang;
use crate::app::results::ResultCheck;
use crate::domain::results::{
    Field, FindingInput, Issue, ItemResultInput, Part, PointsInput, RectifyStatus, ResultRules, TaskResultInput,
};

/// One input of the form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Slot {
    /// Index into `Field::MAIN`.
    Main(usize),
    /// The category of the i-th item result.
    Item(usize),
    /// (row, index into `Field::FINDING`).
    Finding(usize, usize),
    /// (row, index into `Field::POINTS`).
    Points(usize, usize),
}

impl Slot {
    /// This input once the row of `removed` is gone: `None` in that row, one row up below it.
    fn without_row(self, removed: Slot) -> Option<Slot> {
        use std::cmp::Ordering::*;
        match (self, removed) {
            (Slot::Finding(r, c), Slot::Finding(gone, _)) => match r.cmp(&gone) {
                Less => Some(self),
                Equal => None,
                Greater => Some(Slot::Finding(r - 1, c)),
            },
            (Slot::Points(r, c), Slot::Points(gone, _)) => match r.cmp(&gone) {
                Less => Some(self),
                Equal => None,
                Greater => Some(Slot::Points(r - 1, c)),
            },
            _ => Some(self),
        }
    }
}

/// What Ctrl-O offers on a field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Choice {
    /// One of these values.
    One(Vec<String>),
    /// Several of these, joined with 、.
    Many(Vec<String>),
    /// Today's date.
    Today,
    /// Free text only.
    None,
}

/// Width of the label column of the form (at most a third of the screen).
pub const LABEL: usize = 22;

/// (label width, input width) inside a form `inner_w` columns wide.
pub fn columns(inner_w: usize) -> (usize, usize) {
    let lw = LABEL.min(inner_w / 3);
    (lw, inner_w.saturating_sub(lw + 1))
}

/// A refusal as screen lines: `↑ ` before the first, indented continuations.
fn error_lines(s: &str, w: usize) -> impl Iterator<Item = FormRow> {
    wrap(s, w)
        .into_iter()
        .enumerate()
        .map(|(i, l)| FormRow::Error(format!("{}{l}", if i == 0 { "↑ " } else { "  " })))
}

/// Wraps text to `w` columns by display width.
fn wrap(s: &str, w: usize) -> Vec<String> {
    let w = w.max(4);
    let mut out = vec![String::new()];
    let mut used = 0;
    for c in s.chars() {
        let cw = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if used + cw > w {
            out.push(String::new());
            used = 0;
        }
        out.last_mut().expect("a line").push(c);
        used += cw;
    }
    out
}

/// The label of a field: the spreadsheet header in Chinese, words in English.
pub fn field_label(f: Field, lang: Lang) -> &'static str {
    if lang == Lang::Zh {
        return f.zh();
    }
    match f {
        Field::CheckDate => "Check date",
        Field::CompletedOn => "Completed on",
        Field::Category => "Result",
        Field::Measures => "Measures",
        Field::Recovered => "Recovered (yuan)",
        Field::Fine => "Fine (yuan)",
        Field::RectifyBy => "Rectify by",
        Field::RectifyStatus => "Rectification",
        Field::PublicRemark => "Public remark",
        Field::InternalNotes => "Internal notes",
        Field::ItemCode => "Item",
        Field::ItemCategory => "Item result",
        Field::FindingNo | Field::PointsFinding => "Finding no.",
        Field::FindingItem => "Violation (item)",
        Field::FindingDescription => "Description",
        Field::FindingAmount => "Amount (yuan)",
        Field::PointsName => "Name",
        Field::PointsRole => "Role",
        Field::PointsCode => "Staff code",
        Field::PointsValue => "Points",
        Field::PointsDate => "Scored on",
    }
}

/// One line of the form on the screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormRow {
    Section(String),
    Note(String),
    Field(Slot),
    /// A refusal under the field it concerns (one screen line of it).
    Error(String),
}

/// One item result: the item (fixed by the draw) and its category.
#[derive(Debug, Clone)]
pub struct ItemRow {
    pub code: String,
    pub name: String,
    pub category: TextField,
}

#[derive(Debug, Clone)]
pub struct ResultForm {
    pub plan_id: i64,
    pub seq: u32,
    pub institution: String,
    pub name: String,
    /// A result was already recorded (the form edits it).
    pub existing: bool,
    /// In `Field::MAIN` order.
    pub main: Vec<TextField>,
    pub items: Vec<ItemRow>,
    pub findings: Vec<[TextField; 4]>,
    pub points: Vec<[TextField; 6]>,
    /// Index into `slots()`.
    pub focus: usize,
    /// First visible row.
    pub scroll: usize,
    /// The problems shown: before a save was refused only those of inputs the focus has left
    /// (a fresh form is not all red), after it all of them.
    pub issues: Vec<Issue>,
    /// A save was refused: every problem shows, and every edit checks the form again.
    pub refused: bool,
    /// Inputs the focus has left.
    touched: HashSet<Slot>,
    /// The app layer's checks of this task's result (what a save would refuse).
    check: ResultCheck,
    /// The text the form was opened with (to tell whether anything changed).
    original: TaskResultInput,
}

fn field(s: &str) -> TextField {
    TextField::new(s)
}

impl ResultForm {
    /// The form of the task `check` is for; `name` is its institution's name.
    pub fn new(
        check: ResultCheck,
        name: String,
        input: TaskResultInput,
        existing: bool,
        item_names: &HashMap<String, String>,
    ) -> ResultForm {
        let i = &input;
        let main = [
            &i.check_date,
            &i.completed_on,
            &i.category,
            &i.measures,
            &i.recovered,
            &i.fine,
            &i.rectify_by,
            &i.rectify_status,
            &i.public_remark,
            &i.internal_notes,
        ]
        .iter()
        .map(|s| field(s))
        .collect();
        let items = i
            .item_results
            .iter()
            .map(|r| ItemRow {
                code: r.item.clone(),
                name: item_names.get(&r.item).cloned().unwrap_or_default(),
                category: field(&r.category),
            })
            .collect();
        let findings = i
            .findings
            .iter()
            .map(|f| [field(&f.no), field(&f.item), field(&f.description), field(&f.amount)])
            .collect();
        let points = i
            .points
            .iter()
            .map(|p| {
                [
                    field(&p.finding_no),
                    field(&p.name),
                    field(&p.role),
                    field(&p.code),
                    field(&p.points),
                    field(&p.date),
                ]
            })
            .collect();
        let mut form = ResultForm {
            plan_id: check.plan_id,
            seq: check.seq,
            institution: check.institution.clone(),
            name,
            existing,
            main,
            items,
            findings,
            points,
            focus: 0,
            scroll: 0,
            issues: vec![],
            refused: false,
            touched: HashSet::new(),
            check,
            original: TaskResultInput::default(),
        };
        form.original = form.input();
        form
    }

    /// The form as the app layer takes it.
    pub fn input(&self) -> TaskResultInput {
        let m = |k: usize| self.main[k].text.clone();
        TaskResultInput {
            check_date: m(0),
            completed_on: m(1),
            category: m(2),
            measures: m(3),
            recovered: m(4),
            fine: m(5),
            rectify_by: m(6),
            rectify_status: m(7),
            public_remark: m(8),
            internal_notes: m(9),
            item_results: self
                .items
                .iter()
                .map(|r| ItemResultInput {
                    item: r.code.clone(),
                    category: r.category.text.clone(),
                })
                .collect(),
            findings: self
                .findings
                .iter()
                .map(|f| FindingInput {
                    no: f[0].text.clone(),
                    item: f[1].text.clone(),
                    description: f[2].text.clone(),
                    amount: f[3].text.clone(),
                })
                .collect(),
            points: self
                .points
                .iter()
                .map(|p| PointsInput {
                    finding_no: p[0].text.clone(),
                    name: p[1].text.clone(),
                    role: p[2].text.clone(),
                    code: p[3].text.clone(),
                    points: p[4].text.clone(),
                    date: p[5].text.clone(),
                })
                .collect(),
        }
    }

    pub fn dirty(&self) -> bool {
        self.input() != self.original
    }

    /// Every input in screen order.
    pub fn slots(&self) -> Vec<Slot> {
        let mut out: Vec<Slot> = (0..Field::MAIN.len()).map(Slot::Main).collect();
        out.extend((0..self.items.len()).map(Slot::Item));
        for r in 0..self.findings.len() {
            out.extend((0..Field::FINDING.len()).map(|c| Slot::Finding(r, c)));
        }
        for r in 0..self.points.len() {
            out.extend((0..Field::POINTS.len()).map(|c| Slot::Points(r, c)));
        }
        out
    }

    pub fn focused(&self) -> Slot {
        let slots = self.slots();
        slots[self.focus.min(slots.len() - 1)]
    }

    pub fn focus_slot(&mut self, s: Slot) {
        if let Some(i) = self.slots().iter().position(|x| *x == s) {
            self.focus = i;
        }
    }

    pub fn field(&self, s: Slot) -> &TextField {
        match s {
            Slot::Main(k) => &self.main[k],
            Slot::Item(r) => &self.items[r].category,
            Slot::Finding(r, c) => &self.findings[r][c],
            Slot::Points(r, c) => &self.points[r][c],
        }
    }

    pub fn field_mut(&mut self, s: Slot) -> &mut TextField {
        match s {
            Slot::Main(k) => &mut self.main[k],
            Slot::Item(r) => &mut self.items[r].category,
            Slot::Finding(r, c) => &mut self.findings[r][c],
            Slot::Points(r, c) => &mut self.points[r][c],
        }
    }

    /// The result field behind an input.
    pub fn kind(s: Slot) -> Field {
        match s {
            Slot::Main(k) => Field::MAIN[k],
            Slot::Item(_) => Field::ItemCategory,
            Slot::Finding(_, c) => Field::FINDING[c],
            Slot::Points(_, c) => Field::POINTS[c],
        }
    }

    /// The label in front of an input.
    pub fn label(&self, s: Slot, lang: Lang) -> String {
        match s {
            Slot::Item(r) => {
                let it = &self.items[r];
                if it.name.is_empty() {
                    it.code.clone()
                } else {
                    format!("{} {}", it.code, it.name)
                }
            }
            s => field_label(Self::kind(s), lang).to_string(),
        }
    }

    /// What Ctrl-O offers on an input.
    pub fn choice(&self, s: Slot, rules: &ResultRules) -> Choice {
        match Self::kind(s) {
            Field::Category | Field::ItemCategory => Choice::One(rules.categories.clone()),
            Field::RectifyStatus => Choice::One(RectifyStatus::labels()),
            Field::Measures => Choice::Many(rules.measures.clone()),
            Field::FindingItem => Choice::One(self.items.iter().map(|i| i.code.clone()).collect()),
            Field::PointsFinding => Choice::One(
                self.findings
                    .iter()
                    .enumerate()
                    .map(|(i, f)| {
                        if f[0].text.trim().is_empty() {
                            (i + 1).to_string()
                        } else {
                            f[0].text.trim().to_string()
                        }
                    })
                    .collect(),
            ),
            Field::CheckDate | Field::CompletedOn | Field::RectifyBy | Field::PointsDate => Choice::Today,
            _ => Choice::None,
        }
    }

    /// A short note shown after an empty input.
    pub fn placeholder(&self, s: Slot, lang: Lang) -> &'static str {
        match Self::kind(s) {
            Field::CheckDate => lang.pick("如 2026-03-05；Ctrl-O 填今天", "e.g. 2026-03-05; Ctrl-O: today"),
            Field::CompletedOn => lang.pick("空 = 同检查日期", "blank: the check date"),
            Field::Category => lang.pick("Ctrl-O 选择", "Ctrl-O: choose"),
            Field::ItemCategory => lang.pick("空 = 按总体结果；Ctrl-O 选择", "blank: the overall result"),
            Field::Measures => lang.pick("可多选，用、分隔；Ctrl-O 选择", "several, 、-separated; Ctrl-O"),
            Field::Recovered | Field::Fine | Field::FindingAmount => lang.pick("元，如 1234.50", "yuan, e.g. 1234.50"),
            Field::RectifyBy => lang.pick("有整改措施时必填", "needed with a rectification measure"),
            Field::RectifyStatus => lang.pick("空 = 未整改；Ctrl-O 选择", "blank: open; Ctrl-O"),
            Field::PublicRemark => lang.pick("将公开：不得含电话、身份证号", "public: no phone or ID numbers"),
            Field::InternalNotes => lang.pick("不公开", "never published"),
            Field::FindingNo | Field::PointsFinding => lang.pick("空 = 自动编号", "blank: next number"),
            Field::FindingItem => lang.pick("事项编码；Ctrl-O 选择", "item code; Ctrl-O"),
            Field::PointsValue => "1–12",
            Field::PointsDate => lang.pick("空 = 检查完成日期", "blank: completion date"),
            Field::PointsCode => lang.pick("医保相关人员代码", "staff code"),
            _ => "",
        }
    }

    /// Where an issue belongs; `None` when its row no longer exists.
    pub fn slot_of(&self, issue: &Issue) -> Option<Slot> {
        let f = issue.field;
        match issue.part {
            Part::Main => Field::MAIN.iter().position(|x| *x == f).map(Slot::Main),
            Part::Item(r) => (r < self.items.len()).then_some(Slot::Item(r)),
            Part::Finding(r) => {
                let c = Field::FINDING.iter().position(|x| *x == f).unwrap_or(1);
                (r < self.findings.len()).then_some(Slot::Finding(r, c))
            }
            Part::Points(r) => {
                let c = Field::POINTS.iter().position(|x| *x == f).unwrap_or(1);
                (r < self.points.len()).then_some(Slot::Points(r, c))
            }
        }
    }

    /// Issues with no input to show them at.
    pub fn loose_issues(&self) -> Vec<&Issue> {
        self.issues.iter().filter(|i| self.slot_of(i).is_none()).collect()
    }

    pub fn has_issue(&self, s: Slot) -> bool {
        self.issues.iter().any(|i| self.slot_of(i) == Some(s))
    }

    /// A save refused with these issues: from now on all of them show.
    pub fn refuse(&mut self, issues: Vec<Issue>) {
        self.refused = true;
        self.issues = issues;
    }

    /// The focus left an input: its problems show from now on.
    pub fn touch(&mut self, s: Slot) {
        if self.slots().contains(&s) {
            self.touched.insert(s);
        }
    }

    /// Checks the text again as a save would (nothing is written) and shows what is found at
    /// the inputs it may be shown at.
    pub fn recheck(&mut self) {
        let all = self.check.issues(&self.input());
        self.issues = if self.refused {
            all
        } else {
            all.into_iter()
                .filter(|i| self.slot_of(i).is_some_and(|s| self.touched.contains(&s)))
                .collect()
        };
    }

    /// Forgets the issues of an input once it is edited.
    pub fn clear_issues(&mut self, s: Slot) {
        let keep: Vec<Issue> = self
            .issues
            .iter()
            .filter(|i| self.slot_of(i) != Some(s))
            .cloned()
            .collect();
        self.issues = keep;
    }

    pub fn add_finding(&mut self) {
        self.findings.push(Default::default());
        self.focus_slot(Slot::Finding(self.findings.len() - 1, 1));
    }

    /// A points row; it names the finding when there is exactly one.
    pub fn add_points(&mut self) {
        let mut row: [TextField; 6] = Default::default();
        if let Slot::Finding(r, _) = self.focused() {
            let no = self.findings[r][0].text.trim();
            row[0] = field(&if no.is_empty() {
                (r + 1).to_string()
            } else {
                no.to_string()
            });
        }
        self.points.push(row);
        self.focus_slot(Slot::Points(self.points.len() - 1, 1));
    }

    /// Removes the finding or points row the focus is in; false elsewhere. Issues are dropped
    /// (their row numbers no longer match).
    pub fn remove_row(&mut self) -> bool {
        let s = self.focused();
        match s {
            Slot::Finding(r, c) => {
                self.findings.remove(r);
                self.issues.clear();
                self.touched = self.touched.iter().filter_map(|t| t.without_row(s)).collect();
                match self.findings.len() {
                    0 => self.focus_slot(Slot::Main(2)),
                    n => self.focus_slot(Slot::Finding(r.min(n - 1), c)),
                }
                true
            }
            Slot::Points(r, c) => {
                self.points.remove(r);
                self.issues.clear();
                self.touched = self.touched.iter().filter_map(|t| t.without_row(s)).collect();
                match self.points.len() {
                    0 if !self.findings.is_empty() => self.focus_slot(Slot::Finding(self.findings.len() - 1, 1)),
                    0 => self.focus_slot(Slot::Main(2)),
                    n => self.focus_slot(Slot::Points(r.min(n - 1), c)),
                }
                true
            }
            _ => false,
        }
    }

    /// The lines of the form `inner_w` columns wide: sections, inputs, the issues under their
    /// inputs (wrapped to the input column).
    pub fn rows(&self, lang: Lang, inner_w: usize) -> Vec<FormRow> {
        let t = |zh: &str, en: &str| lang.pick(zh, en).to_string();
        let (_, fw) = columns(inner_w);
        let ew = fw.saturating_sub(2);
        let mut out = Vec::new();
        for i in self.loose_issues() {
            let text = format!(
                "{}{}{}",
                field_label(i.field, lang),
                lang.pick("：", ": "),
                i.problem.text(lang)
            );
            out.extend(error_lines(&text, ew));
        }
        let push = |out: &mut Vec<FormRow>, s: Slot| {
            out.push(FormRow::Field(s));
            for i in self.issues.iter().filter(|i| self.slot_of(i) == Some(s)) {
                out.extend(error_lines(&i.problem.text(lang), ew));
            }
        };
        out.push(FormRow::Section(t("【检查结果】", "[Result]")));
        for k in 0..Field::MAIN.len() {
            push(&mut out, Slot::Main(k));
        }
        out.push(FormRow::Section(t(
            "【各事项结果】（空 = 与总体检查结果相同）",
            "[Per item] (blank: the overall result)",
        )));
        if self.items.is_empty() {
            out.push(FormRow::Note(t("（本任务没有事项）", "(no items)")));
        }
        for r in 0..self.items.len() {
            push(&mut out, Slot::Item(r));
        }
        out.push(FormRow::Section(t(
            "【发现的问题】Ctrl-F 新增 · Ctrl-D 删除所在行",
            "[Findings] Ctrl-F adds · Ctrl-D removes the row",
        )));
        if self.findings.is_empty() {
            out.push(FormRow::Note(t("（无）", "(none)")));
        }
        for r in 0..self.findings.len() {
            out.push(FormRow::Note(match lang {
                Lang::Zh => format!("问题 {}", r + 1),
                Lang::En => format!("Finding {}", r + 1),
            }));
            for c in 0..Field::FINDING.len() {
                push(&mut out, Slot::Finding(r, c));
            }
        }
        out.push(FormRow::Section(t(
            "【驾照式记分】Ctrl-P 新增 · Ctrl-D 删除所在行",
            "[Points] Ctrl-P adds · Ctrl-D removes the row",
        )));
        if self.points.is_empty() {
            out.push(FormRow::Note(t("（无）", "(none)")));
        }
        for r in 0..self.points.len() {
            out.push(FormRow::Note(match lang {
                Lang::Zh => format!("记分 {}", r + 1),
                Lang::En => format!("Points {}", r + 1),
            }));
            for c in 0..Field::POINTS.len() {
                push(&mut out, Slot::Points(r, c));
            }
        }
        out
    }

    /// Scrolls so that the focused input, the issues under it and, at the top, its section show
    /// in `height` rows of a form `inner_w` columns wide.
    pub fn scroll_to_focus(&mut self, lang: Lang, height: usize, inner_w: usize) {
        let rows = self.rows(lang, inner_w);
        let focus = self.focused();
        let Some(at) = rows.iter().position(|r| *r == FormRow::Field(focus)) else {
            return;
        };
        let errors = rows[at + 1..]
            .iter()
            .take_while(|r| matches!(r, FormRow::Error(_)))
            .count();
        let h = height.max(1);
        // Two more rows below the focus show what comes next, when there is room.
        let margin = 2.min(h.saturating_sub(errors + 2));
        let last = (at + errors + margin).min(rows.len() - 1).min(at + h - 1);
        if last >= self.scroll + h {
            self.scroll = last + 1 - h;
        }
        // A section heading or row title just above the focus comes along when it fits.
        let mut top = at;
        while top > 0 && matches!(rows[top - 1], FormRow::Section(_) | FormRow::Note(_)) && at - (top - 1) < h {
            top -= 1;
        }
        if top < self.scroll {
            self.scroll = top;
        }
        self.scroll = self.scroll.min(rows.len().saturating_sub(h));
    }
}

#[cfg(test)]
mod tests;
