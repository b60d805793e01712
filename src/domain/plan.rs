//! 抽查计划: what a plan file says, checked against the rules before anything is stored.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::credit::CreditClass;
use crate::i18n::Lang;

/// The minimum sample rate of any class, in basis points (5%).
pub const MIN_RATE_BP: u32 = 500;

/// A plan file (PLAN.toml) after the configuration's defaults were merged under it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanSpec {
    pub title: String,
    pub year: i32,
    pub scope: Scope,
    /// Per credit class, percent strings such as "5%" or "12.5%".
    pub rates: BTreeMap<String, String>,
    #[serde(default)]
    pub exclusion: Exclusion,
    pub team: TeamSpec,
    #[serde(default)]
    pub alternates: Alternates,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Scope {
    #[serde(default)]
    pub regions: Vec<String>,
    #[serde(default)]
    pub institution_types: Vec<String>,
    #[serde(default)]
    pub items: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Exclusion {
    #[serde(default)]
    pub recently_drawn_months: u32,
    #[serde(default)]
    pub except_classes: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TeamSpec {
    pub size: u32,
    #[serde(default = "yes")]
    pub require_certified: bool,
    #[serde(default)]
    pub cross_region: bool,
    pub max_tasks_per_inspector: u32,
    /// Institution type → expertise of which the team needs at least one member each.
    #[serde(default)]
    pub expertise: BTreeMap<String, Vec<String>>,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Alternates {
    #[serde(default)]
    pub per_class: u32,
}

/// A plan problem: the key it concerns and the rule it breaks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanError {
    pub key: String,
    pub zh: String,
    pub en: String,
}

impl PlanError {
    fn new(key: impl Into<String>, zh: impl Into<String>, en: impl Into<String>) -> Self {
        PlanError {
            key: key.into(),
            zh: zh.into(),
            en: en.into(),
        }
    }
    pub fn text(&self, lang: Lang) -> String {
        format!("{}: {}", self.key, lang.pick(&self.zh, &self.en))
    }
}

/// Parses "12.5%" (or "12.5") into basis points: 1250. At most two decimals; no floats involved.
pub fn parse_rate_bp(s: &str) -> Option<u32> {
    let t = s.trim().trim_end_matches('%').trim();
    let (int, frac) = match t.split_once('.') {
        Some((i, f)) => (i, f),
        None => (t, ""),
    };
    if int.is_empty()
        || int.len() > 3
        || frac.len() > 2
        || !int.bytes().all(|b| b.is_ascii_digit())
        || !frac.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let whole: u32 = int.parse().ok()?;
    let mut f: u32 = if frac.is_empty() { 0 } else { frac.parse().ok()? };
    if frac.len() == 1 {
        f *= 10;
    }
    let bp = whole * 100 + f;
    (bp <= 10_000).then_some(bp)
}

/// Formats basis points back as a percent string: 1250 → "12.5%".
pub fn format_rate_bp(bp: u32) -> String {
    let (w, f) = (bp / 100, bp % 100);
    match f {
        0 => format!("{w}%"),
        f if f % 10 == 0 => format!("{w}.{}%", f / 10),
        f => format!("{w}.{f:02}%"),
    }
}

/// What the rules need to know about the rosters to check a plan.
pub struct PlanContext<'a> {
    pub institution_types: &'a [String],
    pub expertise: &'a [String],
    pub item_codes: &'a [String],
}

/// A checked plan: rates in basis points, classes typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedPlan {
    pub rates_bp: [u32; 4],
    pub except_classes: Vec<CreditClass>,
}

impl PlanSpec {
    /// Checks every rule and returns all problems at once.
    pub fn check(&self, ctx: &PlanContext) -> Result<CheckedPlan, Vec<PlanError>> {
        let mut errs = Vec::new();
        if self.title.trim().is_empty() || self.title.chars().any(char::is_control) {
            errs.push(PlanError::new(
                "title",
                "标题不能为空，也不能含控制字符",
                "must be non-empty and free of control characters",
            ));
        }
        if !(2000..=2100).contains(&self.year) {
            errs.push(PlanError::new(
                "year",
                "年度应在 2000–2100 之间",
                "must be between 2000 and 2100",
            ));
        }
        for t in &self.scope.institution_types {
            if !ctx.institution_types.contains(t) {
                errs.push(PlanError::new(
                    "scope.institution_types",
                    format!("未知机构类型“{t}”"),
                    format!("unknown institution type '{t}'"),
                ));
            }
        }
        if self.scope.items.is_empty() {
            errs.push(PlanError::new(
                "scope.items",
                "至少选择一个抽查事项",
                "name at least one inspection item",
            ));
        }
        for it in &self.scope.items {
            if !ctx.item_codes.contains(it) {
                errs.push(PlanError::new(
                    "scope.items",
                    format!("未知抽查事项“{it}”"),
                    format!("unknown inspection item '{it}'"),
                ));
            }
        }
        let mut rates_bp = [0u32; 4];
        let mut seen = [false; 4];
        for (k, v) in &self.rates {
            let key = format!("rates.{k}");
            let Some(class) = CreditClass::parse(k).filter(|c| c.letter() == k) else {
                errs.push(PlanError::new(
                    key,
                    "未知信用等级（可用 A、B、C、D）",
                    "unknown credit class (A, B, C, D)",
                ));
                continue;
            };
            match parse_rate_bp(v) {
                None => errs.push(PlanError::new(
                    key,
                    format!("比例“{v}”格式不对，应如 \"10%\" 或 \"12.5%\""),
                    format!("rate '{v}' is malformed; write e.g. \"10%\" or \"12.5%\""),
                )),
                Some(bp) if bp < MIN_RATE_BP => errs.push(PlanError::new(
                    key,
                    format!("比例 {v} 低于下限 5%"),
                    format!("rate {v} is below the 5% floor"),
                )),
                Some(bp) => {
                    rates_bp[class.index()] = bp;
                    seen[class.index()] = true;
                }
            }
        }
        for c in CreditClass::ALL {
            if !seen[c.index()] && !errs.iter().any(|e| e.key == format!("rates.{c}")) {
                errs.push(PlanError::new(
                    format!("rates.{c}"),
                    "缺少该信用等级的抽查比例",
                    "missing the rate of this credit class",
                ));
            }
        }
        let mut except_classes = Vec::new();
        for c in &self.exclusion.except_classes {
            match CreditClass::parse(c).filter(|x| x.letter() == c) {
                Some(x) => except_classes.push(x),
                None => errs.push(PlanError::new(
                    "exclusion.except_classes",
                    format!("未知信用等级“{c}”"),
                    format!("unknown credit class '{c}'"),
                )),
            }
        }
        if self.team.size < 2 {
            errs.push(PlanError::new(
                "team.size",
                "检查组不少于 2 人（行政处罚法）",
                "a team needs at least 2 members (Administrative Penalty Law)",
            ));
        }
        if self.team.size > 20 {
            errs.push(PlanError::new(
                "team.size",
                "检查组不超过 20 人",
                "a team has at most 20 members",
            ));
        }
        if self.team.max_tasks_per_inspector == 0 {
            errs.push(PlanError::new(
                "team.max_tasks_per_inspector",
                "每人任务上限至少为 1",
                "must be at least 1",
            ));
        }
        for (kind, exps) in &self.team.expertise {
            let key = format!("team.expertise.{kind}");
            if !ctx.institution_types.contains(kind) {
                errs.push(PlanError::new(
                    key.clone(),
                    format!("未知机构类型“{kind}”"),
                    format!("unknown institution type '{kind}'"),
                ));
            }
            for e in exps {
                if !ctx.expertise.contains(e) {
                    errs.push(PlanError::new(
                        key.clone(),
                        format!("未知专业“{e}”"),
                        format!("unknown expertise '{e}'"),
                    ));
                }
            }
            let needed = exps.len() as u32 + u32::from(self.team.require_certified);
            if needed > self.team.size {
                errs.push(PlanError::new(
                    key,
                    "专业与持证要求多于检查组人数",
                    "more requirements than team members",
                ));
            }
        }
        if self.alternates.per_class > 1000 {
            errs.push(PlanError::new(
                "alternates.per_class",
                "候补数不超过 1000",
                "at most 1000 alternates per class",
            ));
        }
        if errs.is_empty() {
            Ok(CheckedPlan {
                rates_bp,
                except_classes,
            })
        } else {
            Err(errs)
        }
    }
}

/// k = ceil(rate × N) in integers, capped at N: the number drawn from a stratum of N.
pub fn sample_size(rate_bp: u32, population: u64) -> u64 {
    let k = (u64::from(rate_bp) * population).div_ceil(10_000);
    k.min(population)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_are_parsed_in_integers() {
        assert_eq!(parse_rate_bp("5%"), Some(500));
        assert_eq!(parse_rate_bp("12.5%"), Some(1250));
        assert_eq!(parse_rate_bp("0.05%"), Some(5));
        assert_eq!(parse_rate_bp("100%"), Some(10_000));
        assert_eq!(parse_rate_bp("100.01%"), None);
        assert_eq!(parse_rate_bp("1e1%"), None);
        assert_eq!(parse_rate_bp("-5%"), None);
        assert_eq!(parse_rate_bp("5.123%"), None);
        for bp in [500, 1250, 1205, 10_000, 5] {
            assert_eq!(parse_rate_bp(&format_rate_bp(bp)), Some(bp));
        }
    }

    #[test]
    fn sample_size_rounds_up() {
        assert_eq!(sample_size(500, 0), 0);
        assert_eq!(sample_size(500, 1), 1);
        assert_eq!(sample_size(500, 20), 1);
        assert_eq!(sample_size(500, 21), 2);
        assert_eq!(sample_size(10_000, 7), 7);
        assert_eq!(sample_size(1250, 1_000_000), 125_000);
    }

    fn spec() -> PlanSpec {
        toml::from_str(
            r#"
            title = "t"
            year = 2026
            [scope]
            items = ["YB-01"]
            [rates]
            A = "5%"
            B = "10%"
            C = "20%"
            D = "4.99%"
            [team]
            size = 1
            max_tasks_per_inspector = 5
            "#,
        )
        .unwrap()
    }

    #[test]
    fn plan_rules_name_the_key() {
        let types = vec!["医疗机构".to_string()];
        let ctx = PlanContext {
            institution_types: &types,
            expertise: &[],
            item_codes: &["YB-01".into()],
        };
        let errs = spec().check(&ctx).unwrap_err();
        let keys: Vec<&str> = errs.iter().map(|e| e.key.as_str()).collect();
        assert_eq!(keys, ["rates.D", "team.size"]);
    }
}
