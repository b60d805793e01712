//! 检查结果: what an inspection found and what was done about it, checked cell by cell.
//!
//! Pure: money is parsed into integer fen (分) with integer arithmetic only, dates and working
//! days are computed from arguments (no clock), and every refusal names the field it concerns.

use std::collections::HashSet;

use chrono::{Datelike, Months, NaiveDate, Weekday};
use regex::Regex;

use super::ids::check_resident_id;
use super::roster::split_list;
use crate::i18n::Lang;

// ---------------------------------------------------------------------------------------------
// Money

/// Why a money cell was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MoneyError {
    /// Not a number of the accepted shapes (`1234.56`, `1,234.56`, `1234.56元`, `1.5万元`).
    Format,
    /// More decimals than the unit allows (2 for 元, 6 for 万元).
    TooManyDecimals {
        max: u32,
    },
    Negative,
    TooLarge,
}

impl MoneyError {
    pub fn zh(self) -> &'static str {
        match self {
            MoneyError::Format => "不是有效金额（示例：1234.56、1,234.56元、1.5万元）",
            MoneyError::TooManyDecimals { max: 2 } => "小数位过多：以元为单位最多 2 位小数（精确到分）",
            MoneyError::TooManyDecimals { .. } => "小数位过多：以万元为单位最多 6 位小数（精确到分）",
            MoneyError::Negative => "金额不能为负数",
            MoneyError::TooLarge => "金额过大",
        }
    }
    pub fn en(self) -> &'static str {
        match self {
            MoneyError::Format => "not an amount (examples: 1234.56, 1,234.56元, 1.5万元)",
            MoneyError::TooManyDecimals { max: 2 } => "too many decimals: at most 2 for yuan (to the fen)",
            MoneyError::TooManyDecimals { .. } => "too many decimals: at most 6 for 万元 (to the fen)",
            MoneyError::Negative => "an amount cannot be negative",
            MoneyError::TooLarge => "the amount is too large",
        }
    }
}

/// Largest accepted amount: 1 000 亿元 (10^13 fen), far above any fine or recovery.
pub const MAX_FEN: i64 = 10_000_000_000_000;

/// Parses an amount in yuan into fen using integer arithmetic only.
///
/// Accepts `1234`, `1234.5`, `1234.56`, thousands separators in correct groups (`1,234.56`, also
/// the full-width `，`), full-width digits, a leading `¥`/`￥`, a trailing `元`, and `万元` (then up
/// to 6 decimals). Refuses negative amounts, more than 2 decimals of yuan, and anything else.
/// A blank cell is the caller's business (usually 0).
pub fn parse_fen(text: &str) -> Result<i64, MoneyError> {
    let mut s: String = text
        .trim()
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            '．' => '.',
            '，' => ',',
            '－' => '-',
            other => other,
        })
        .collect();
    for prefix in ["¥", "￥", "RMB", "人民币"] {
        if let Some(rest) = s.strip_prefix(prefix) {
            s = rest.trim_start().to_string();
        }
    }
    let (body, decimals_max, scale): (&str, u32, i64) = if let Some(b) = s.strip_suffix("万元") {
        (b.trim_end(), 6, 1_000_000)
    } else if let Some(b) = s.strip_suffix('万') {
        (b.trim_end(), 6, 1_000_000)
    } else if let Some(b) = s.strip_suffix('元') {
        (b.trim_end(), 2, 100)
    } else {
        (s.as_str(), 2, 100)
    };
    if body.starts_with('-') {
        return Err(MoneyError::Negative);
    }
    let body = body.strip_prefix('+').unwrap_or(body);
    let (int_part, frac_part) = match body.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (body, None),
    };
    if int_part.is_empty() {
        return Err(MoneyError::Format);
    }
    // Thousands separators: none at all, or correct groups of three.
    let groups: Vec<&str> = int_part.split(',').collect();
    let grouped_ok = groups.len() == 1
        || (!groups[0].is_empty() && groups[0].len() <= 3 && groups[1..].iter().all(|g| g.len() == 3));
    if !grouped_ok || !groups.iter().all(|g| g.bytes().all(|b| b.is_ascii_digit())) {
        return Err(MoneyError::Format);
    }
    let frac = match frac_part {
        None => "",
        Some(f) if f.is_empty() || !f.bytes().all(|b| b.is_ascii_digit()) => return Err(MoneyError::Format),
        Some(f) => f,
    };
    if frac.len() as u32 > decimals_max {
        return Err(MoneyError::TooManyDecimals { max: decimals_max });
    }
    let mut units: i64 = 0;
    for b in groups.concat().bytes() {
        units = units
            .checked_mul(10)
            .and_then(|u| u.checked_add(i64::from(b - b'0')))
            .ok_or(MoneyError::TooLarge)?;
    }
    let mut fen = units.checked_mul(scale).ok_or(MoneyError::TooLarge)?;
    // Fraction digits: each place is worth scale / 10^k fen.
    let mut place = scale;
    for b in frac.bytes() {
        place /= 10;
        fen = fen
            .checked_add(i64::from(b - b'0') * place)
            .ok_or(MoneyError::TooLarge)?;
    }
    if fen > MAX_FEN {
        return Err(MoneyError::TooLarge);
    }
    Ok(fen)
}

/// `123456` → `1234.56`: what re-imports exactly (no separators).
pub fn fen_plain(fen: i64) -> String {
    let sign = if fen < 0 { "-" } else { "" };
    let a = fen.unsigned_abs();
    format!("{sign}{}.{:02}", a / 100, a % 100)
}

/// `123456` → `1,234.56`: for people and public tables.
pub fn fen_display(fen: i64) -> String {
    let sign = if fen < 0 { "-" } else { "" };
    let a = fen.unsigned_abs();
    let int = (a / 100).to_string();
    let mut grouped = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!("{sign}{grouped}.{:02}", a % 100)
}

// ---------------------------------------------------------------------------------------------
// Dates and working days

/// A date as staff write it: `2026-03-05`, `2026/3/5`, `2026.3.5`, `2026年3月5日`, `20260305`,
/// optionally followed by a midnight time (what a spreadsheet date cell gives).
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    let s = text.trim();
    let s = s
        .strip_suffix("T00:00:00")
        .or_else(|| s.strip_suffix(" 00:00:00"))
        .unwrap_or(s)
        .trim();
    if s.len() == 8 && s.bytes().all(|b| b.is_ascii_digit()) {
        let n: i32 = s.parse().ok()?;
        return NaiveDate::from_ymd_opt(n / 10000, (n / 100 % 100) as u32, (n % 100) as u32);
    }
    let s = s.strip_suffix('日').unwrap_or(s);
    let parts: Vec<&str> = s.split(['-', '/', '.', '年', '月']).collect();
    if parts.len() != 3 || parts[0].len() != 4 || parts.iter().any(|p| p.is_empty() || p.len() > 4) {
        return None;
    }
    if !parts.iter().all(|p| p.bytes().all(|b| b.is_ascii_digit())) {
        return None;
    }
    NaiveDate::from_ymd_opt(parts[0].parse().ok()?, parts[1].parse().ok()?, parts[2].parse().ok()?)
}

pub fn is_working_day(d: NaiveDate) -> bool {
    !matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
}

/// The `n`th working day after `start` (working days are Monday to Friday; there is no holiday
/// calendar, so public holidays and 调休 weekends are not accounted for). `n = 0` gives `start`.
pub fn add_working_days(start: NaiveDate, n: u32) -> NaiveDate {
    let mut d = start;
    let mut left = n;
    while left > 0 {
        d = d.succ_opt().unwrap_or(d);
        if is_working_day(d) {
            left -= 1;
        }
    }
    d
}

/// Working days in `(from, to]`; negative (the days in `(to, from]`) when `to` is earlier.
pub fn working_days_between(from: NaiveDate, to: NaiveDate) -> i64 {
    let (a, b, sign) = if to >= from { (from, to, 1) } else { (to, from, -1) };
    let days = (b - a).num_days();
    let weeks = days / 7;
    let mut count = weeks * 5;
    let mut d = a + chrono::Duration::days(weeks * 7);
    while d < b {
        d = d.succ_opt().unwrap_or(d);
        if is_working_day(d) {
            count += 1;
        }
    }
    sign * count
}

/// `today` minus `months` calendar months (for look-back windows).
pub fn months_before(today: NaiveDate, months: u32) -> NaiveDate {
    today.checked_sub_months(Months::new(months)).unwrap_or(NaiveDate::MIN)
}

// ---------------------------------------------------------------------------------------------
// 驾照式记分

/// A calendar year's total at or above this suspends the person's 医保支付资格 (1–6 months).
pub const POINTS_SUSPEND: u32 = 9;
/// A calendar year's total at or above this terminates it.
pub const POINTS_TERMINATE: u32 = 12;
pub const POINTS_MAX_PER_ENTRY: u32 = 12;

/// What a person's points in one calendar year mean for their 医保支付资格.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Qualification {
    Normal,
    /// 9–11 points: 暂停医保支付资格 1–6 个月.
    Suspend,
    /// 12 or more: 终止医保支付资格; 1 year, or 3 years when 12 points came at once.
    Terminate {
        years: u8,
    },
}

impl Qualification {
    /// From a year's total and the largest single entry of that year.
    pub fn of(total: u32, largest_entry: u32) -> Qualification {
        if total >= POINTS_TERMINATE {
            Qualification::Terminate {
                years: if largest_entry >= POINTS_TERMINATE { 3 } else { 1 },
            }
        } else if total >= POINTS_SUSPEND {
            Qualification::Suspend
        } else {
            Qualification::Normal
        }
    }
    pub fn zh(self) -> &'static str {
        match self {
            Qualification::Normal => "正常",
            Qualification::Suspend => "暂停医保支付资格（1–6 个月）",
            Qualification::Terminate { years: 3 } => "终止医保支付资格（一次记满 12 分，3 年内不得再次登记备案）",
            Qualification::Terminate { .. } => "终止医保支付资格（1 年内不得再次登记备案）",
        }
    }
    pub fn en(self) -> &'static str {
        match self {
            Qualification::Normal => "normal",
            Qualification::Suspend => "suspend payment qualification (1–6 months)",
            Qualification::Terminate { years: 3 } => "terminate payment qualification (12 points at once: 3 years)",
            Qualification::Terminate { .. } => "terminate payment qualification (1 year)",
        }
    }
    pub fn text(self, lang: Lang) -> &'static str {
        lang.pick(self.zh(), self.en())
    }
    pub fn flagged(self) -> bool {
        self != Qualification::Normal
    }
}

// ---------------------------------------------------------------------------------------------
// Rules and records

/// 整改状态.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RectifyStatus {
    Open,
    InProgress,
    Closed,
}

impl RectifyStatus {
    pub const ALL: [RectifyStatus; 3] = [Self::Open, Self::InProgress, Self::Closed];
    pub fn zh(self) -> &'static str {
        match self {
            Self::Open => "未整改",
            Self::InProgress => "整改中",
            Self::Closed => "已销号",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim() {
            "未整改" => Some(Self::Open),
            "整改中" => Some(Self::InProgress),
            "已销号" | "已整改" | "整改完成" => Some(Self::Closed),
            _ => None,
        }
    }
    pub fn labels() -> Vec<String> {
        Self::ALL.iter().map(|s| s.zh().to_string()).collect()
    }
}

/// The vocabulary of results, from the configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResultRules {
    /// 检查结果 values, as published.
    pub categories: Vec<String>,
    /// Those that mean a violation was found: they need a finding and count for 屡查屡犯.
    pub violation_categories: Vec<String>,
    /// The "nothing found" category (未发现问题): no findings, no amounts.
    pub nothing_found: String,
    /// 处理措施 values.
    pub measures: Vec<String>,
    /// Measures that need a 整改期限.
    pub rectification_measures: Vec<String>,
    /// The measure a 追回金额 needs.
    pub recovery_measure: String,
    /// The measure a 罚款金额 needs.
    pub fine_measure: String,
}

impl Default for ResultRules {
    fn default() -> Self {
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        ResultRules {
            categories: s(&[
                "未发现问题",
                "发现问题已责令整改",
                "发现问题待后续处理",
                "未按规定公示应当公示的信息",
                "未发现开展本次抽查涉及的经营活动",
                "不配合检查",
                "注销",
                "查无下落",
            ]),
            violation_categories: s(&["发现问题已责令整改", "发现问题待后续处理", "未按规定公示应当公示的信息"]),
            nothing_found: "未发现问题".into(),
            measures: s(&[
                "约谈",
                "责令改正",
                "限期整改",
                "暂停拨付",
                "拒付",
                "追回",
                "暂停协议",
                "中止协议",
                "解除协议",
                "行政处罚",
                "移送公安",
                "移送纪检监察",
                "移送卫健",
                "移送市场监管",
            ]),
            rectification_measures: s(&["责令改正", "限期整改"]),
            recovery_measure: "追回".into(),
            fine_measure: "行政处罚".into(),
        }
    }
}

impl ResultRules {
    pub fn is_violation(&self, category: &str) -> bool {
        self.violation_categories.iter().any(|c| c == category)
    }

    /// Problems with the rules themselves (for the configuration check), in English and Chinese.
    pub fn check(&self) -> Result<(), String> {
        let clean = |v: &str| !v.trim().is_empty() && v.trim() == v && !v.contains(['、', ',', ';', '，', '；']);
        let dup = |v: &[String]| (1..v.len()).any(|i| v[..i].contains(&v[i]));
        if self.categories.is_empty() || !self.categories.iter().all(|c| clean(c)) || dup(&self.categories) {
            return Err(
                "results.categories: 至少一项，不重复，不含分隔符 / at least one, unique, no separators".into(),
            );
        }
        if let Some(v) = self.violation_categories.iter().find(|v| !self.categories.contains(v)) {
            return Err(format!(
                "results.violation_categories: “{v}”不在 categories 中 / is not one of the categories"
            ));
        }
        if !self.categories.contains(&self.nothing_found) || self.is_violation(&self.nothing_found) {
            return Err(
                "results.nothing_found_category: 须是 categories 之一且不是违规类别 / must be a category and not a violation category"
                    .into(),
            );
        }
        if self.measures.is_empty() || !self.measures.iter().all(|m| clean(m)) || dup(&self.measures) {
            return Err("results.measures: 至少一项，不重复，不含分隔符 / at least one, unique, no separators".into());
        }
        for (key, list) in [
            ("rectification_measures", self.rectification_measures.clone()),
            ("recovery_measure", vec![self.recovery_measure.clone()]),
            ("fine_measure", vec![self.fine_measure.clone()]),
        ] {
            if let Some(m) = list.iter().find(|m| !self.measures.contains(m)) {
                return Err(format!(
                    "results.{key}: “{m}”不在 measures 中 / is not one of the measures"
                ));
            }
        }
        Ok(())
    }
}

/// What validation needs to know about the task besides the rules.
#[derive(Debug, Clone)]
pub struct TaskContext<'a> {
    /// The task's inspection items (事项编码).
    pub items: &'a [String],
    /// Item codes that may be named as a finding's violation type (the catalogue).
    pub catalogue: &'a [String],
    /// The day of the draw: nothing can have been checked before it.
    pub drawn_on: NaiveDate,
    pub today: NaiveDate,
}

/// A result as typed into a form or a spreadsheet: text only, checked by [`validate`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TaskResultInput {
    pub check_date: String,
    /// Blank: the same as 检查日期.
    pub completed_on: String,
    pub category: String,
    /// Per item; items left out (or with a blank category) are derived, see [`validate`].
    pub item_results: Vec<ItemResultInput>,
    /// A list cell: 约谈、责令改正.
    pub measures: String,
    pub recovered: String,
    pub fine: String,
    pub rectify_by: String,
    pub rectify_status: String,
    pub public_remark: String,
    pub internal_notes: String,
    pub findings: Vec<FindingInput>,
    pub points: Vec<PointsInput>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ItemResultInput {
    pub item: String,
    pub category: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FindingInput {
    /// 问题序号 within the task; blank takes the next free number.
    pub no: String,
    pub item: String,
    pub description: String,
    pub amount: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PointsInput {
    /// The finding (问题序号) the points are for; blank when the task has exactly one finding.
    pub finding_no: String,
    pub name: String,
    pub role: String,
    pub code: String,
    pub points: String,
    /// Blank: the 检查完成日期.
    pub date: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemResult {
    pub item: String,
    pub category: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub no: u32,
    pub item: String,
    pub description: String,
    pub amount_fen: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PointsEntry {
    pub finding_no: u32,
    pub name: String,
    pub role: String,
    /// 人员编码 (医保相关人员代码); empty when unknown.
    pub code: String,
    pub points: u32,
    pub scored_on: NaiveDate,
}

impl PointsEntry {
    /// Who the points count against: the 人员编码 when given, else institution + name.
    pub fn person_key(&self, institution: &str) -> String {
        if self.code.is_empty() {
            format!("{institution}/{}", self.name)
        } else {
            self.code.clone()
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rectification {
    pub due: NaiveDate,
    pub status: RectifyStatus,
}

/// A checked result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskResult {
    pub check_date: NaiveDate,
    pub completed_on: NaiveDate,
    pub category: String,
    /// One per task item, sorted by item code.
    pub item_results: Vec<ItemResult>,
    /// In the configured order.
    pub measures: Vec<String>,
    pub recovered_fen: i64,
    pub fine_fen: i64,
    pub rectification: Option<Rectification>,
    /// Published in the 备注 column.
    pub public_remark: String,
    /// Never published.
    pub internal_notes: String,
    pub findings: Vec<Finding>,
    pub points: Vec<PointsEntry>,
}

impl TaskResult {
    pub fn is_violation(&self, rules: &ResultRules) -> bool {
        rules.is_violation(&self.category)
    }

    pub fn findings_amount_fen(&self) -> i64 {
        self.findings.iter().map(|f| f.amount_fen).sum()
    }

    /// The result as form text (what [`validate`] turns back into the same result).
    pub fn to_input(&self) -> TaskResultInput {
        let d = |d: NaiveDate| d.format("%Y-%m-%d").to_string();
        let money = |f: i64| if f == 0 { String::new() } else { fen_plain(f) };
        TaskResultInput {
            check_date: d(self.check_date),
            completed_on: d(self.completed_on),
            category: self.category.clone(),
            item_results: self
                .item_results
                .iter()
                .map(|r| ItemResultInput {
                    item: r.item.clone(),
                    category: r.category.clone(),
                })
                .collect(),
            measures: self.measures.join("、"),
            recovered: money(self.recovered_fen),
            fine: money(self.fine_fen),
            rectify_by: self.rectification.map(|r| d(r.due)).unwrap_or_default(),
            rectify_status: self
                .rectification
                .map(|r| r.status.zh().to_string())
                .unwrap_or_default(),
            public_remark: self.public_remark.clone(),
            internal_notes: self.internal_notes.clone(),
            findings: self
                .findings
                .iter()
                .map(|f| FindingInput {
                    no: f.no.to_string(),
                    item: f.item.clone(),
                    description: f.description.clone(),
                    amount: money(f.amount_fen),
                })
                .collect(),
            points: self
                .points
                .iter()
                .map(|p| PointsInput {
                    finding_no: p.finding_no.to_string(),
                    name: p.name.clone(),
                    role: p.role.clone(),
                    code: p.code.clone(),
                    points: p.points.to_string(),
                    date: d(p.scored_on),
                })
                .collect(),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Validation

/// A field of a result, with the header used in spreadsheets and forms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    CheckDate,
    CompletedOn,
    Category,
    Measures,
    Recovered,
    Fine,
    RectifyBy,
    RectifyStatus,
    PublicRemark,
    InternalNotes,
    ItemCode,
    ItemCategory,
    FindingNo,
    FindingItem,
    FindingDescription,
    FindingAmount,
    PointsFinding,
    PointsName,
    PointsRole,
    PointsCode,
    PointsValue,
    PointsDate,
}

impl Field {
    /// The main fields, in the order of the 检查结果 sheet and the form.
    pub const MAIN: [Field; 10] = [
        Field::CheckDate,
        Field::CompletedOn,
        Field::Category,
        Field::Measures,
        Field::Recovered,
        Field::Fine,
        Field::RectifyBy,
        Field::RectifyStatus,
        Field::PublicRemark,
        Field::InternalNotes,
    ];
    pub const FINDING: [Field; 4] = [
        Field::FindingNo,
        Field::FindingItem,
        Field::FindingDescription,
        Field::FindingAmount,
    ];
    pub const POINTS: [Field; 6] = [
        Field::PointsFinding,
        Field::PointsName,
        Field::PointsRole,
        Field::PointsCode,
        Field::PointsValue,
        Field::PointsDate,
    ];

    /// The exact Chinese header.
    pub fn zh(self) -> &'static str {
        match self {
            Field::CheckDate => "检查日期",
            Field::CompletedOn => "检查完成日期",
            Field::Category => "检查结果",
            Field::Measures => "处理措施",
            Field::Recovered => "追回金额（元）",
            Field::Fine => "罚款金额（元）",
            Field::RectifyBy => "整改期限",
            Field::RectifyStatus => "整改状态",
            Field::PublicRemark => "公示备注",
            Field::InternalNotes => "内部备注（不公开）",
            Field::ItemCode => "事项编码",
            Field::ItemCategory => "检查结果",
            Field::FindingNo => "问题序号",
            Field::FindingItem => "违规类型（事项编码）",
            Field::FindingDescription => "问题描述",
            Field::FindingAmount => "涉及金额（元）",
            Field::PointsFinding => "问题序号",
            Field::PointsName => "姓名",
            Field::PointsRole => "人员类别",
            Field::PointsCode => "人员编码",
            Field::PointsValue => "记分",
            Field::PointsDate => "记分日期",
        }
    }

    /// English alias accepted as a header.
    pub fn en(self) -> &'static str {
        match self {
            Field::CheckDate => "check_date",
            Field::CompletedOn => "completed_on",
            Field::Category => "result",
            Field::Measures => "measures",
            Field::Recovered => "recovered",
            Field::Fine => "fine",
            Field::RectifyBy => "rectify_by",
            Field::RectifyStatus => "rectify_status",
            Field::PublicRemark => "public_remark",
            Field::InternalNotes => "internal_notes",
            Field::ItemCode => "item",
            Field::ItemCategory => "result",
            Field::FindingNo => "finding_no",
            Field::FindingItem => "violation_type",
            Field::FindingDescription => "description",
            Field::FindingAmount => "amount",
            Field::PointsFinding => "finding_no",
            Field::PointsName => "name",
            Field::PointsRole => "role",
            Field::PointsCode => "person_code",
            Field::PointsValue => "points",
            Field::PointsDate => "scored_on",
        }
    }

    pub fn name(self, lang: Lang) -> &'static str {
        lang.pick(self.zh(), self.en())
    }
}

/// Which part of a result a problem is in: the main record, or the i-th (0-based) item result,
/// finding or points entry of the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Part {
    Main,
    Item(usize),
    Finding(usize),
    Points(usize),
}

/// Why a value was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    Empty,
    ControlCharacter,
    TooLong { max: usize },
    Unknown { value: String, allowed: Vec<String> },
    BadDate { value: String },
    BeforeDraw { drawn_on: NaiveDate },
    InFuture,
    BeforeCheckDate,
    Money { value: String, error: MoneyError },
    BadNumber { value: String },
    PointsRange { value: String },
    ItemNotInTask { item: String, items: Vec<String> },
    DuplicateItem { item: String },
    NotInCatalogue { item: String },
    DuplicateFinding { no: u32 },
    NoSuchFinding { no: String },
    FindingNeeded,
    FindingsRequired { category: String },
    FindingsNotAllowed { category: String },
    AmountNotAllowed { category: String },
    ItemViolationButClean { item_category: String, category: String },
    AmountNeedsMeasure { measure: String },
    RectifyByRequired { measures: Vec<String> },
    StatusWithoutDeadline,
    PhoneInPublic,
    IdNumberInPublic,
    IdNumberAsCode,
    BadCode { value: String },
    DuplicatePoints { name: String, no: u32 },
}

impl Problem {
    pub fn text(&self, lang: Lang) -> String {
        use Lang::*;
        match (self, lang) {
            (Problem::Empty, Zh) => "必填，不能为空".into(),
            (Problem::Empty, En) => "required, must not be empty".into(),
            (Problem::ControlCharacter, Zh) => "含有制表符或其他控制字符".into(),
            (Problem::ControlCharacter, En) => "contains a tab or another control character".into(),
            (Problem::TooLong { max }, Zh) => format!("过长（最多 {max} 字）"),
            (Problem::TooLong { max }, En) => format!("too long (at most {max} characters)"),
            (Problem::Unknown { value, allowed }, Zh) => {
                format!("“{value}”不是可用值（可用：{}）", allowed.join("、"))
            }
            (Problem::Unknown { value, allowed }, En) => {
                format!("'{value}' is not allowed (allowed: {})", allowed.join(", "))
            }
            (Problem::BadDate { value }, Zh) => {
                format!("“{value}”不是有效日期（示例：2026-03-05、2026/3/5、2026年3月5日）")
            }
            (Problem::BadDate { value }, En) => format!("'{value}' is not a date (e.g. 2026-03-05)"),
            (Problem::BeforeDraw { drawn_on }, Zh) => format!("早于抽取日期 {drawn_on}"),
            (Problem::BeforeDraw { drawn_on }, En) => format!("is before the draw ({drawn_on})"),
            (Problem::InFuture, Zh) => "不能晚于今天".into(),
            (Problem::InFuture, En) => "cannot be later than today".into(),
            (Problem::BeforeCheckDate, Zh) => "不能早于检查日期".into(),
            (Problem::BeforeCheckDate, En) => "cannot be before the check date".into(),
            (Problem::Money { value, error }, Zh) => format!("“{value}”：{}", error.zh()),
            (Problem::Money { value, error }, En) => format!("'{value}': {}", error.en()),
            (Problem::BadNumber { value }, Zh) => format!("“{value}”不是正整数"),
            (Problem::BadNumber { value }, En) => format!("'{value}' is not a positive whole number"),
            (Problem::PointsRange { value }, Zh) => format!("记分“{value}”应为 1–12 的整数"),
            (Problem::PointsRange { value }, En) => format!("points '{value}' must be a whole number 1–12"),
            (Problem::ItemNotInTask { item, items }, Zh) => {
                format!("事项“{item}”不属于本任务（本任务事项：{}）", items.join("、"))
            }
            (Problem::ItemNotInTask { item, items }, En) => {
                format!("item '{item}' is not one of this task's items ({})", items.join(", "))
            }
            (Problem::DuplicateItem { item }, Zh) => format!("事项“{item}”重复填写"),
            (Problem::DuplicateItem { item }, En) => format!("item '{item}' appears twice"),
            (Problem::NotInCatalogue { item }, Zh) => format!("“{item}”不在抽查事项清单中"),
            (Problem::NotInCatalogue { item }, En) => format!("'{item}' is not in the item catalogue"),
            (Problem::DuplicateFinding { no }, Zh) => format!("问题序号 {no} 重复"),
            (Problem::DuplicateFinding { no }, En) => format!("finding number {no} appears twice"),
            (Problem::NoSuchFinding { no }, Zh) => format!("本任务没有问题序号为“{no}”的问题"),
            (Problem::NoSuchFinding { no }, En) => format!("this task has no finding numbered '{no}'"),
            (Problem::FindingNeeded, Zh) => "本任务有多个问题，须填写记分对应的问题序号".into(),
            (Problem::FindingNeeded, En) => "the task has several findings: name the finding number".into(),
            (Problem::FindingsRequired { category }, Zh) => {
                format!("检查结果为“{category}”，须至少登记一个问题（违规类型、问题描述）")
            }
            (Problem::FindingsRequired { category }, En) => {
                format!("result '{category}' needs at least one finding")
            }
            (Problem::FindingsNotAllowed { category }, Zh) => format!("检查结果为“{category}”，不应登记问题"),
            (Problem::FindingsNotAllowed { category }, En) => {
                format!("result '{category}' cannot have findings")
            }
            (Problem::AmountNotAllowed { category }, Zh) => {
                format!("检查结果为“{category}”，不应有追回或罚款金额")
            }
            (Problem::AmountNotAllowed { category }, En) => {
                format!("result '{category}' cannot have recovered or fined amounts")
            }
            (
                Problem::ItemViolationButClean {
                    item_category,
                    category,
                },
                Zh,
            ) => format!("事项结果为“{item_category}”（发现问题），但总体检查结果为“{category}”；请改正其一"),
            (
                Problem::ItemViolationButClean {
                    item_category,
                    category,
                },
                En,
            ) => format!("the item result '{item_category}' is a violation but the overall result is '{category}'"),
            (Problem::AmountNeedsMeasure { measure }, Zh) => {
                format!("填写了金额，处理措施中须包含“{measure}”")
            }
            (Problem::AmountNeedsMeasure { measure }, En) => {
                format!("an amount needs the measure '{measure}'")
            }
            (Problem::RectifyByRequired { measures }, Zh) => {
                format!("处理措施含“{}”，须填写整改期限", measures.join("、"))
            }
            (Problem::RectifyByRequired { measures }, En) => {
                format!("the measure '{}' needs a rectification deadline", measures.join(", "))
            }
            (Problem::StatusWithoutDeadline, Zh) => "填写整改状态时须同时填写整改期限".into(),
            (Problem::StatusWithoutDeadline, En) => "a rectification status needs a deadline".into(),
            (Problem::PhoneInPublic, Zh) => "公示内容中不得含有电话号码".into(),
            (Problem::PhoneInPublic, En) => "public text must not contain a phone number".into(),
            (Problem::IdNumberInPublic, Zh) => "公示内容中不得含有身份证号码".into(),
            (Problem::IdNumberInPublic, En) => "public text must not contain an identity number".into(),
            (Problem::IdNumberAsCode, Zh) => "这是身份证号码：请填写医保相关人员代码（本系统不保存身份证号）".into(),
            (Problem::IdNumberAsCode, En) => {
                "this is an identity number: enter the 医保 staff code (identity numbers are not stored)".into()
            }
            (Problem::BadCode { value }, Zh) => format!("“{value}”含空白或分隔符，或超过 32 个字符"),
            (Problem::BadCode { value }, En) => {
                format!("'{value}' contains blanks or separators, or is longer than 32 characters")
            }
            (Problem::DuplicatePoints { name, no }, Zh) => format!("对“{name}”就问题 {no} 重复记分"),
            (Problem::DuplicatePoints { name, no }, En) => {
                format!("'{name}' is scored twice for finding {no}")
            }
        }
    }
}

/// One refused value: where, which field, why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issue {
    pub part: Part,
    pub field: Field,
    pub problem: Problem,
}

/// Text limits (characters).
const MAX_SHORT: usize = 100;
const MAX_LONG: usize = 2000;

fn phone_pattern() -> Regex {
    // Mobile numbers (11 digits starting 1[3-9]) and landlines with an area code (0xx-xxxxxxx).
    Regex::new(r"(^|[^0-9])(1[3-9][0-9]{9}|0[0-9]{2,3}[- ]?[0-9]{7,8})([^0-9]|$)").expect("static pattern")
}

fn id_pattern() -> Regex {
    Regex::new(r"[0-9]{17}[0-9Xx]").expect("static pattern")
}

/// A phone number or a valid 居民身份证号 in public free text.
pub fn private_in_public_text(text: &str) -> Option<Problem> {
    if phone_pattern().is_match(text) {
        return Some(Problem::PhoneInPublic);
    }
    if id_pattern()
        .find_iter(text)
        .any(|m| check_resident_id(&m.as_str().to_uppercase()).is_ok())
    {
        return Some(Problem::IdNumberInPublic);
    }
    None
}

struct Checker {
    issues: Vec<Issue>,
    today: NaiveDate,
}

impl Checker {
    fn fail(&mut self, part: Part, field: Field, problem: Problem) {
        self.issues.push(Issue { part, field, problem });
    }

    /// Trimmed text; control characters refused (line breaks allowed when `multiline`).
    fn text(&mut self, part: Part, field: Field, raw: &str, multiline: bool) -> String {
        let v = raw.trim();
        let bad = v
            .chars()
            .any(|c| c.is_control() && !(multiline && (c == '\n' || c == '\r')));
        if bad {
            self.fail(part, field, Problem::ControlCharacter);
        }
        let max = if multiline { MAX_LONG } else { MAX_SHORT };
        if v.chars().count() > max {
            self.fail(part, field, Problem::TooLong { max });
        }
        v.replace("\r\n", "\n")
    }

    fn date(&mut self, part: Part, field: Field, raw: &str) -> Option<NaiveDate> {
        let v = raw.trim();
        if v.is_empty() {
            return None;
        }
        match parse_date(v) {
            Some(d) if d > self.today => {
                self.fail(part, field, Problem::InFuture);
                Some(d)
            }
            Some(d) => Some(d),
            None => {
                self.fail(part, field, Problem::BadDate { value: v.into() });
                None
            }
        }
    }

    /// A date that may lie in the future (deadlines).
    fn any_date(&mut self, part: Part, field: Field, raw: &str) -> Option<NaiveDate> {
        let v = raw.trim();
        if v.is_empty() {
            return None;
        }
        let d = parse_date(v);
        if d.is_none() {
            self.fail(part, field, Problem::BadDate { value: v.into() });
        }
        d
    }

    fn money(&mut self, part: Part, field: Field, raw: &str) -> i64 {
        let v = raw.trim();
        if v.is_empty() {
            return 0;
        }
        parse_fen(v).unwrap_or_else(|error| {
            self.fail(part, field, Problem::Money { value: v.into(), error });
            0
        })
    }
}

fn positive_int(s: &str) -> Option<u32> {
    let s = s.trim();
    let s = s.strip_suffix(".0").unwrap_or(s);
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) || s.len() > 6 {
        return None;
    }
    s.parse().ok().filter(|&n| n > 0)
}

/// Checks a result. Every problem is reported at once; nothing is guessed except:
/// - a blank 检查完成日期 is the 检查日期, a blank 记分日期 the 检查完成日期;
/// - a blank 整改状态 with a 整改期限 is 未整改;
/// - a blank 问题序号 takes the next free number; a points entry without one refers to the
///   task's only finding;
/// - an item without a result gets one: the overall result when that is not a violation;
///   otherwise the overall result for items named by a finding, 未发现问题 for the others.
pub fn validate(input: &TaskResultInput, rules: &ResultRules, ctx: &TaskContext) -> Result<TaskResult, Vec<Issue>> {
    use Field as F;
    let mut c = Checker {
        issues: Vec::new(),
        today: ctx.today,
    };
    let main = Part::Main;

    // Dates.
    let check_date = c.date(main, F::CheckDate, &input.check_date);
    if input.check_date.trim().is_empty() {
        c.fail(main, F::CheckDate, Problem::Empty);
    }
    if let Some(d) = check_date
        && d < ctx.drawn_on
    {
        c.fail(main, F::CheckDate, Problem::BeforeDraw { drawn_on: ctx.drawn_on });
    }
    let completed_on = c.date(main, F::CompletedOn, &input.completed_on).or(check_date);
    if let (Some(done), Some(check)) = (completed_on, check_date)
        && done < check
    {
        c.fail(main, F::CompletedOn, Problem::BeforeCheckDate);
    }

    // Category.
    let category = c.text(main, F::Category, &input.category, false);
    if category.is_empty() {
        c.fail(main, F::Category, Problem::Empty);
    } else if !rules.categories.contains(&category) {
        c.fail(
            main,
            F::Category,
            Problem::Unknown {
                value: category.clone(),
                allowed: rules.categories.clone(),
            },
        );
    }
    let violation = rules.is_violation(&category);
    let clean = category == rules.nothing_found;

    // Measures, in the configured order.
    let measures_text = c.text(main, F::Measures, &input.measures, false);
    let mut measures: Vec<String> = Vec::new();
    for m in split_list(&measures_text) {
        if !rules.measures.contains(&m) {
            c.fail(
                main,
                F::Measures,
                Problem::Unknown {
                    value: m,
                    allowed: rules.measures.clone(),
                },
            );
        } else if !measures.contains(&m) {
            measures.push(m);
        }
    }
    measures.sort_by_key(|m| rules.measures.iter().position(|x| x == m));

    // Amounts.
    let recovered_fen = c.money(main, F::Recovered, &input.recovered);
    let fine_fen = c.money(main, F::Fine, &input.fine);
    if recovered_fen > 0 && !measures.contains(&rules.recovery_measure) {
        c.fail(
            main,
            F::Recovered,
            Problem::AmountNeedsMeasure {
                measure: rules.recovery_measure.clone(),
            },
        );
    }
    if fine_fen > 0 && !measures.contains(&rules.fine_measure) {
        c.fail(
            main,
            F::Fine,
            Problem::AmountNeedsMeasure {
                measure: rules.fine_measure.clone(),
            },
        );
    }
    if clean {
        for (f, v) in [(F::Recovered, recovered_fen), (F::Fine, fine_fen)] {
            if v > 0 {
                c.fail(
                    main,
                    f,
                    Problem::AmountNotAllowed {
                        category: category.clone(),
                    },
                );
            }
        }
    }

    // Rectification.
    let rectify_by = c.any_date(main, F::RectifyBy, &input.rectify_by);
    if let (Some(due), Some(check)) = (rectify_by, check_date)
        && due < check
    {
        c.fail(main, F::RectifyBy, Problem::BeforeCheckDate);
    }
    let needs: Vec<String> = measures
        .iter()
        .filter(|m| rules.rectification_measures.contains(m))
        .cloned()
        .collect();
    if !needs.is_empty() && input.rectify_by.trim().is_empty() {
        c.fail(main, F::RectifyBy, Problem::RectifyByRequired { measures: needs });
    }
    let status_text = input.rectify_status.trim();
    let status = if status_text.is_empty() {
        RectifyStatus::Open
    } else {
        RectifyStatus::parse(status_text).unwrap_or_else(|| {
            c.fail(
                main,
                F::RectifyStatus,
                Problem::Unknown {
                    value: status_text.into(),
                    allowed: RectifyStatus::labels(),
                },
            );
            RectifyStatus::Open
        })
    };
    if !status_text.is_empty() && input.rectify_by.trim().is_empty() {
        c.fail(main, F::RectifyStatus, Problem::StatusWithoutDeadline);
    }
    let rectification = rectify_by.map(|due| Rectification { due, status });

    // Free text.
    let public_remark = c.text(main, F::PublicRemark, &input.public_remark, true);
    if let Some(p) = private_in_public_text(&public_remark) {
        c.fail(main, F::PublicRemark, p);
    }
    let internal_notes = c.text(main, F::InternalNotes, &input.internal_notes, true);

    // Findings.
    let explicit: Vec<u32> = input.findings.iter().filter_map(|f| positive_int(&f.no)).collect();
    let mut next_no = explicit.iter().max().copied().unwrap_or(0);
    let mut findings: Vec<Finding> = Vec::new();
    let mut numbers: HashSet<u32> = HashSet::new();
    for (i, f) in input.findings.iter().enumerate() {
        let part = Part::Finding(i);
        let no = if f.no.trim().is_empty() {
            next_no += 1;
            next_no
        } else {
            positive_int(&f.no).unwrap_or_else(|| {
                c.fail(
                    part,
                    F::FindingNo,
                    Problem::BadNumber {
                        value: f.no.trim().into(),
                    },
                );
                0
            })
        };
        if no > 0 && !numbers.insert(no) {
            c.fail(part, F::FindingNo, Problem::DuplicateFinding { no });
        }
        let item = c.text(part, F::FindingItem, &f.item, false);
        if item.is_empty() {
            c.fail(part, F::FindingItem, Problem::Empty);
        } else if !ctx.catalogue.contains(&item) && !ctx.items.contains(&item) {
            c.fail(part, F::FindingItem, Problem::NotInCatalogue { item: item.clone() });
        }
        let description = c.text(part, F::FindingDescription, &f.description, true);
        if description.is_empty() {
            c.fail(part, F::FindingDescription, Problem::Empty);
        }
        let amount_fen = c.money(part, F::FindingAmount, &f.amount);
        findings.push(Finding {
            no,
            item,
            description,
            amount_fen,
        });
    }
    findings.sort_by_key(|f| f.no);
    if violation && findings.is_empty() {
        c.fail(
            main,
            F::Category,
            Problem::FindingsRequired {
                category: category.clone(),
            },
        );
    }
    if clean && !findings.is_empty() {
        c.fail(
            Part::Finding(0),
            F::FindingItem,
            Problem::FindingsNotAllowed {
                category: category.clone(),
            },
        );
    }

    // Item results.
    let mut given: Vec<(String, String)> = Vec::new();
    for (i, r) in input.item_results.iter().enumerate() {
        let part = Part::Item(i);
        let item = r.item.trim().to_string();
        if !ctx.items.contains(&item) {
            c.fail(
                part,
                F::ItemCode,
                Problem::ItemNotInTask {
                    item,
                    items: ctx.items.to_vec(),
                },
            );
            continue;
        }
        if given.iter().any(|(it, _)| *it == item) {
            c.fail(part, F::ItemCode, Problem::DuplicateItem { item });
            continue;
        }
        let cat = r.category.trim().to_string();
        if cat.is_empty() {
            continue;
        }
        if !rules.categories.contains(&cat) {
            c.fail(
                part,
                F::ItemCategory,
                Problem::Unknown {
                    value: cat,
                    allowed: rules.categories.clone(),
                },
            );
            continue;
        }
        if rules.is_violation(&cat) && !violation && !category.is_empty() {
            c.fail(
                part,
                F::ItemCategory,
                Problem::ItemViolationButClean {
                    item_category: cat.clone(),
                    category: category.clone(),
                },
            );
        }
        given.push((item, cat));
    }
    let named: HashSet<&str> = findings.iter().map(|f| f.item.as_str()).collect();
    let mut item_results: Vec<ItemResult> = ctx
        .items
        .iter()
        .map(|item| {
            let category = match given.iter().find(|(it, _)| it == item) {
                Some((_, cat)) => cat.clone(),
                None if !violation => category.clone(),
                None if named.contains(item.as_str()) => category.clone(),
                None => rules.nothing_found.clone(),
            };
            ItemResult {
                item: item.clone(),
                category,
            }
        })
        .collect();
    item_results.sort_by(|a, b| a.item.cmp(&b.item));

    // Points.
    let mut points: Vec<PointsEntry> = Vec::new();
    let mut scored: HashSet<(u32, String)> = HashSet::new();
    for (i, p) in input.points.iter().enumerate() {
        let part = Part::Points(i);
        let no_text = p.finding_no.trim();
        let finding_no = if no_text.is_empty() {
            match findings.as_slice() {
                [only] => only.no,
                [] => {
                    c.fail(part, F::PointsFinding, Problem::NoSuchFinding { no: String::new() });
                    0
                }
                _ => {
                    c.fail(part, F::PointsFinding, Problem::FindingNeeded);
                    0
                }
            }
        } else {
            match positive_int(no_text) {
                Some(n) if numbers.contains(&n) => n,
                _ => {
                    c.fail(part, F::PointsFinding, Problem::NoSuchFinding { no: no_text.into() });
                    0
                }
            }
        };
        let name = c.text(part, F::PointsName, &p.name, false);
        if name.is_empty() {
            c.fail(part, F::PointsName, Problem::Empty);
        }
        let role = c.text(part, F::PointsRole, &p.role, false);
        let code = c.text(part, F::PointsCode, &p.code, false);
        if check_resident_id(&code.to_uppercase()).is_ok() {
            c.fail(part, F::PointsCode, Problem::IdNumberAsCode);
        } else if code.chars().count() > 32
            || code
                .chars()
                .any(|ch| ch.is_whitespace() || matches!(ch, '、' | ',' | ';' | '，' | '；' | '/'))
        {
            c.fail(part, F::PointsCode, Problem::BadCode { value: code.clone() });
        }
        let value = p.points.trim();
        let n = match positive_int(value) {
            Some(n) if n <= POINTS_MAX_PER_ENTRY => n,
            _ => {
                c.fail(
                    part,
                    F::PointsValue,
                    Problem::PointsRange {
                        value: value.to_string(),
                    },
                );
                0
            }
        };
        let scored_on = c.date(part, F::PointsDate, &p.date).or(completed_on);
        if let (Some(d), Some(check)) = (scored_on, check_date)
            && d < check
        {
            c.fail(part, F::PointsDate, Problem::BeforeCheckDate);
        }
        let entry = PointsEntry {
            finding_no,
            name,
            role,
            code,
            points: n,
            scored_on: scored_on.unwrap_or(ctx.today),
        };
        if finding_no > 0 && !scored.insert((finding_no, entry.person_key(""))) {
            c.fail(
                part,
                F::PointsName,
                Problem::DuplicatePoints {
                    name: entry.name.clone(),
                    no: finding_no,
                },
            );
        }
        points.push(entry);
    }

    if !c.issues.is_empty() {
        return Err(c.issues);
    }
    let (Some(check_date), Some(completed_on)) = (check_date, completed_on) else {
        unreachable!("a missing date was reported above");
    };
    Ok(TaskResult {
        check_date,
        completed_on,
        category,
        item_results,
        measures,
        recovered_fen,
        fine_fen,
        rectification,
        public_remark,
        internal_notes,
        findings,
        points,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        parse_date(s).unwrap()
    }

    #[test]
    fn money_is_parsed_into_fen_without_floats() {
        assert_eq!(parse_fen("1234.56"), Ok(123_456));
        assert_eq!(parse_fen("1,234.56元"), Ok(123_456));
        assert_eq!(parse_fen(" ￥1,234,567.8 元 "), Ok(123_456_780));
        assert_eq!(parse_fen("１２３４．５６"), Ok(123_456));
        assert_eq!(parse_fen("0.05"), Ok(5));
        assert_eq!(parse_fen("0"), Ok(0));
        assert_eq!(parse_fen("12"), Ok(1200));
        assert_eq!(parse_fen("152.24万元"), Ok(152_240_000));
        assert_eq!(parse_fen("0.000001万元"), Ok(1));
        // 0.1 + 0.2 style values are exact here.
        assert_eq!(parse_fen("0.10").unwrap() + parse_fen("0.20").unwrap(), 30);
        assert_eq!(parse_fen("1.234"), Err(MoneyError::TooManyDecimals { max: 2 }));
        assert_eq!(parse_fen("1.0000001万元"), Err(MoneyError::TooManyDecimals { max: 6 }));
        assert_eq!(parse_fen("-5"), Err(MoneyError::Negative));
        for bad in [
            "",
            "abc",
            "1,23.45",
            "12,3456",
            ",123",
            "1.",
            ".5",
            "1.2.3",
            "1e5",
            "12元5角",
            "1 234",
        ] {
            assert_eq!(parse_fen(bad), Err(MoneyError::Format), "{bad:?}");
        }
        assert_eq!(parse_fen("99999999999999999999"), Err(MoneyError::TooLarge));
        assert_eq!(parse_fen("100000000001"), Err(MoneyError::TooLarge));
    }

    #[test]
    fn money_is_formatted_back() {
        assert_eq!(fen_plain(123_456), "1234.56");
        assert_eq!(fen_plain(5), "0.05");
        assert_eq!(fen_display(123_456_780), "1,234,567.80");
        assert_eq!(fen_display(99), "0.99");
        assert_eq!(fen_display(100_000), "1,000.00");
        for f in [0, 1, 99, 100, 123_456, 1_000_000_007] {
            assert_eq!(parse_fen(&fen_plain(f)), Ok(f));
            assert_eq!(parse_fen(&fen_display(f)), Ok(f));
        }
    }

    #[test]
    fn dates_in_the_usual_shapes() {
        let want = NaiveDate::from_ymd_opt(2026, 3, 5).unwrap();
        for s in [
            "2026-03-05",
            "2026/3/5",
            "2026.3.5",
            "2026年3月5日",
            "20260305",
            "2026-03-05T00:00:00",
        ] {
            assert_eq!(parse_date(s), Some(want), "{s}");
        }
        for s in [
            "2026-02-30",
            "26-3-5",
            "2026-3",
            "3/5/2026",
            "明天",
            "2026-03-05T08:00:00",
        ] {
            assert_eq!(parse_date(s), None, "{s}");
        }
    }

    #[test]
    fn working_days_skip_weekends() {
        // 2026-03-06 is a Friday.
        let fri = d("2026-03-06");
        assert_eq!(add_working_days(fri, 1), d("2026-03-09"));
        assert_eq!(add_working_days(fri, 5), d("2026-03-13"));
        assert_eq!(add_working_days(fri, 0), fri);
        // 20 working days from Thursday 2026-03-05 is Thursday 2026-04-02 (no holiday calendar).
        assert_eq!(add_working_days(d("2026-03-05"), 20), d("2026-04-02"));
        // Starting on a Saturday.
        assert_eq!(add_working_days(d("2026-03-07"), 1), d("2026-03-09"));
        assert_eq!(working_days_between(fri, d("2026-03-09")), 1);
        assert_eq!(working_days_between(fri, d("2026-03-08")), 0);
        assert_eq!(working_days_between(d("2026-03-05"), d("2026-04-02")), 20);
        assert_eq!(working_days_between(d("2026-04-02"), d("2026-03-05")), -20);
        for n in 0..40 {
            for start in 0..7 {
                let s = d("2026-03-01") + chrono::Duration::days(start);
                assert_eq!(working_days_between(s, add_working_days(s, n)), n as i64);
            }
        }
    }

    #[test]
    fn points_thresholds() {
        assert_eq!(Qualification::of(0, 0), Qualification::Normal);
        assert_eq!(Qualification::of(8, 6), Qualification::Normal);
        assert_eq!(Qualification::of(9, 3), Qualification::Suspend);
        assert_eq!(Qualification::of(11, 6), Qualification::Suspend);
        assert_eq!(Qualification::of(12, 6), Qualification::Terminate { years: 1 });
        assert_eq!(Qualification::of(12, 12), Qualification::Terminate { years: 3 });
        assert_eq!(Qualification::of(20, 10), Qualification::Terminate { years: 1 });
        assert!(Qualification::of(9, 9).flagged() && !Qualification::of(8, 8).flagged());
    }

    fn items() -> Vec<String> {
        vec!["YB-01".into(), "YB-04".into()]
    }

    fn ctx<'a>(items: &'a [String], catalogue: &'a [String]) -> TaskContext<'a> {
        TaskContext {
            items,
            catalogue,
            drawn_on: d("2026-03-02"),
            today: d("2026-04-30"),
        }
    }

    fn violation_input() -> TaskResultInput {
        TaskResultInput {
            check_date: "2026/3/10".into(),
            category: "发现问题已责令整改".into(),
            measures: "追回、约谈，责令改正".into(),
            recovered: "1,200.50".into(),
            rectify_by: "2026-04-10".into(),
            findings: vec![FindingInput {
                item: "YB-04".into(),
                description: "串换药品 3 笔".into(),
                amount: "1200.50".into(),
                ..Default::default()
            }],
            points: vec![PointsInput {
                name: "张医生".into(),
                role: "医师".into(),
                code: "D450102000123".into(),
                points: "6".into(),
                ..Default::default()
            }],
            ..Default::default()
        }
    }

    #[test]
    fn a_violation_result_is_checked_and_completed() {
        let (it, cat) = (items(), vec!["YB-09".to_string()]);
        let r = validate(&violation_input(), &ResultRules::default(), &ctx(&it, &cat)).unwrap();
        assert_eq!(r.completed_on, d("2026-03-10"));
        assert_eq!(r.measures, ["约谈", "责令改正", "追回"]);
        assert_eq!(r.recovered_fen, 120_050);
        assert_eq!(
            r.rectification,
            Some(Rectification {
                due: d("2026-04-10"),
                status: RectifyStatus::Open
            })
        );
        assert_eq!(r.findings[0].no, 1);
        assert_eq!(r.points[0].finding_no, 1);
        assert_eq!(r.points[0].scored_on, d("2026-03-10"));
        // Items: the one named by a finding gets the overall result, the other 未发现问题.
        assert_eq!(r.item_results[0].category, "未发现问题");
        assert_eq!(r.item_results[1].category, "发现问题已责令整改");
        // The text form gives the same result back.
        let again = validate(&r.to_input(), &ResultRules::default(), &ctx(&it, &cat)).unwrap();
        assert_eq!(again, r);
    }

    #[test]
    fn categories_and_measures_are_validated() {
        let (it, cat) = (items(), vec![]);
        let rules = ResultRules::default();
        let mut i = violation_input();
        i.category = "基本合格".into();
        i.measures = "约谈、罚酒三杯".into();
        let errs = validate(&i, &rules, &ctx(&it, &cat)).unwrap_err();
        let fields: Vec<Field> = errs.iter().map(|e| e.field).collect();
        assert!(fields.contains(&Field::Category), "{errs:?}");
        assert!(
            errs.iter()
                .any(|e| matches!(&e.problem, Problem::Unknown { value, .. } if value == "罚酒三杯"))
        );
        // The recovery amount now lacks its measure, and rectification its measure's deadline is fine.
        assert!(fields.contains(&Field::Recovered));
        assert!(rules.check().is_ok());
    }

    #[test]
    fn consistency_rules() {
        let (it, cat) = (items(), vec![]);
        let rules = ResultRules::default();
        let c = ctx(&it, &cat);
        // A violation needs a finding.
        let mut i = violation_input();
        i.findings.clear();
        i.points.clear();
        let errs = validate(&i, &rules, &c).unwrap_err();
        assert!(
            errs.iter()
                .any(|e| matches!(e.problem, Problem::FindingsRequired { .. }))
        );
        // Nothing found: no findings and no amounts; a fine needs 行政处罚; 责令改正 needs a deadline.
        let mut i = violation_input();
        i.category = "未发现问题".into();
        i.fine = "500".into();
        i.rectify_by.clear();
        let errs = validate(&i, &rules, &c).unwrap_err();
        for p in [
            "FindingsNotAllowed",
            "AmountNotAllowed",
            "AmountNeedsMeasure",
            "RectifyByRequired",
        ] {
            assert!(
                errs.iter().any(|e| format!("{:?}", e.problem).starts_with(p)),
                "{p}: {errs:?}"
            );
        }
        // A violation item under a clean overall result.
        let i = TaskResultInput {
            check_date: "2026-03-10".into(),
            category: "未发现问题".into(),
            item_results: vec![ItemResultInput {
                item: "YB-01".into(),
                category: "发现问题待后续处理".into(),
            }],
            ..Default::default()
        };
        let errs = validate(&i, &rules, &c).unwrap_err();
        assert!(matches!(errs[0].problem, Problem::ItemViolationButClean { .. }));
        assert_eq!(errs[0].part, Part::Item(0));
        // A clean result fills every item.
        let mut ok = i.clone();
        ok.item_results.clear();
        let r = validate(&ok, &rules, &c).unwrap();
        assert!(r.item_results.iter().all(|x| x.category == "未发现问题"));
        assert!(r.rectification.is_none());
    }

    #[test]
    fn dates_are_bounded() {
        let (it, cat) = (items(), vec![]);
        let rules = ResultRules::default();
        let mut i = violation_input();
        i.check_date = "2026-03-01".into();
        i.completed_on = "2026-02-28".into();
        i.points[0].date = "2026-05-01".into();
        let errs = validate(&i, &rules, &ctx(&it, &cat)).unwrap_err();
        let got: Vec<(Field, &Problem)> = errs.iter().map(|e| (e.field, &e.problem)).collect();
        assert!(got.contains(&(
            Field::CheckDate,
            &Problem::BeforeDraw {
                drawn_on: d("2026-03-02")
            }
        )));
        assert!(got.contains(&(Field::CompletedOn, &Problem::BeforeCheckDate)));
        assert!(got.contains(&(Field::PointsDate, &Problem::InFuture)));
        let mut i = violation_input();
        i.check_date = "".into();
        let errs = validate(&i, &rules, &ctx(&it, &cat)).unwrap_err();
        assert_eq!(errs[0].problem, Problem::Empty);
    }

    #[test]
    fn points_rules() {
        let (it, cat) = (items(), vec![]);
        let rules = ResultRules::default();
        let mut i = violation_input();
        i.points[0].points = "13".into();
        i.points.push(PointsInput {
            finding_no: "7".into(),
            name: "李护士".into(),
            code: "11010519491231002X".into(),
            points: "0".into(),
            ..Default::default()
        });
        let errs = validate(&i, &rules, &ctx(&it, &cat)).unwrap_err();
        let probs: Vec<&Problem> = errs.iter().map(|e| &e.problem).collect();
        assert!(probs.contains(&&Problem::PointsRange { value: "13".into() }));
        assert!(probs.contains(&&Problem::PointsRange { value: "0".into() }));
        assert!(probs.contains(&&Problem::NoSuchFinding { no: "7".into() }));
        assert!(probs.contains(&&Problem::IdNumberAsCode));
        // Two findings: points must say which.
        let mut i = violation_input();
        i.findings.push(FindingInput {
            item: "YB-01".into(),
            description: "挂床".into(),
            ..Default::default()
        });
        let errs = validate(&i, &rules, &ctx(&it, &cat)).unwrap_err();
        assert_eq!(errs[0].problem, Problem::FindingNeeded);
        i.points[0].finding_no = "2".into();
        let r = validate(&i, &rules, &ctx(&it, &cat)).unwrap();
        assert_eq!(r.points[0].finding_no, 2);
        assert_eq!(r.item_results[0].category, "发现问题已责令整改");
    }

    #[test]
    fn public_remark_refuses_phones_and_identity_numbers() {
        assert_eq!(private_in_public_text("联系 13812345678"), Some(Problem::PhoneInPublic));
        assert_eq!(private_in_public_text("电话0771-5482455"), Some(Problem::PhoneInPublic));
        assert_eq!(
            private_in_public_text("身份证11010519491231002X"),
            Some(Problem::IdNumberInPublic)
        );
        assert_eq!(private_in_public_text("已于2026年3月整改完毕，追回1200.50元"), None);
        assert_eq!(private_in_public_text("统一社会信用代码 1245990140602810X0"), None);
        let (it, cat) = (items(), vec![]);
        let mut i = violation_input();
        i.public_remark = "请致电 13812345678".into();
        let errs = validate(&i, &ResultRules::default(), &ctx(&it, &cat)).unwrap_err();
        assert_eq!(errs[0].field, Field::PublicRemark);
    }

    #[test]
    fn default_rules_match_the_default_configuration_text() {
        let r = ResultRules::default();
        assert!(r.check().is_ok());
        let mut bad = r.clone();
        bad.violation_categories.push("没有这个".into());
        assert!(bad.check().unwrap_err().contains("violation_categories"));
        let mut bad = r.clone();
        bad.nothing_found = "发现问题已责令整改".into();
        assert!(bad.check().is_err());
        let mut bad = r;
        bad.fine_measure = "罚款".into();
        assert!(bad.check().unwrap_err().contains("fine_measure"));
    }
}
