//! Configuration: the embedded `config/default.toml` with an optional user file merged over it.
//! An invalid user file is refused naming the key and the reason.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{Context, Result, anyhow, bail};
use regex::Regex;
use serde::Deserialize;

use crate::domain::results::{WorkCalendar, parse_days};
use crate::domain::{CreditClass, RosterRules};

pub const DEFAULT_TOML: &str = include_str!("../../config/default.toml");

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub rosters: RostersConfig,
    /// Merged under every plan file (same keys as PLAN.toml).
    pub plan_defaults: toml::Table,
    pub results: ResultsConfig,
    pub disclosure: DisclosureConfig,
    pub privacy: PrivacyConfig,
    /// The State Council's holiday notices by year ("2026"): see `work_calendar`.
    pub calendar: BTreeMap<String, CalendarYear>,
}

/// One year's 节假日安排: days off and weekend days worked (`YYYY-MM-DD` or `YYYY-MM-DD..YYYY-MM-DD`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CalendarYear {
    pub holidays: Vec<String>,
    pub workdays: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RostersConfig {
    pub institution_code_pattern: String,
    pub institution_types: Vec<String>,
    pub expertise: Vec<String>,
    pub default_credit: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResultsConfig {
    pub publication_working_days: u32,
    pub repeat_offender_months: u32,
    pub escalate_repeat_offenders: bool,
    /// 检查结果 values (the 检查结果 column of public tables).
    pub categories: Vec<String>,
    /// Categories that mean a violation was found (need a finding, count for 屡查屡犯).
    pub violation_categories: Vec<String>,
    /// The "nothing found" category.
    pub nothing_found_category: String,
    /// 处理措施 values.
    pub measures: Vec<String>,
    /// Measures that need a 整改期限.
    pub rectification_measures: Vec<String>,
    /// The measure that a 追回金额 needs.
    pub recovery_measure: String,
    /// The measure that a 罚款金额 needs.
    pub fine_measure: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DisclosureConfig {
    pub authority: String,
    pub show_credit_class: bool,
    pub show_inspector_names: bool,
    /// Protocol 2: the pool's classes published in the inputs, or committed with salts (§16).
    pub pool_credit_classes: PoolCreditClasses,
}

/// `[disclosure] pool_credit_classes`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PoolCreditClasses {
    Published,
    Committed,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PrivacyConfig {
    pub extra_private_fields: Vec<String>,
}

/// Deep-merges `over` into `base`: tables merge key by key, everything else is replaced.
pub fn merge(base: &mut toml::Table, over: toml::Table) {
    for (k, v) in over {
        match (base.get_mut(&k), v) {
            (Some(toml::Value::Table(b)), toml::Value::Table(o)) => merge(b, o),
            (_, v) => {
                base.insert(k, v);
            }
        }
    }
}

/// Checks that every key of `over` exists in `base` (user configs may not invent keys).
fn unknown_keys(base: &toml::Table, over: &toml::Table, prefix: &str, out: &mut Vec<String>) {
    for (k, v) in over {
        let path = if prefix.is_empty() {
            k.clone()
        } else {
            format!("{prefix}.{k}")
        };
        match (base.get(k), v) {
            // Plan defaults are checked as plans are; a year may be added to the calendar.
            (None, _) if !prefix.starts_with("plan_defaults") && prefix != "calendar" => out.push(path),
            (Some(toml::Value::Table(b)), toml::Value::Table(o))
                if !path.starts_with("plan_defaults.team.expertise") =>
            {
                unknown_keys(b, o, &path, out)
            }
            _ => {}
        }
    }
}

impl Config {
    pub fn default_config() -> Config {
        Self::from_tables(
            DEFAULT_TOML.parse().expect("embedded default config parses"),
            "config/default.toml",
        )
        .expect("embedded default config is valid")
    }

    /// The defaults with the user file at `path` merged over them.
    pub fn load(path: &Path) -> Result<Config> {
        let text =
            std::fs::read_to_string(path).with_context(|| format!("cannot read configuration {}", path.display()))?;
        Self::from_user_text(&text, &path.display().to_string())
    }

    pub fn from_user_text(text: &str, label: &str) -> Result<Config> {
        let over: toml::Table = text.parse().map_err(|e| anyhow!("{label}: not valid TOML: {e}"))?;
        let mut base: toml::Table = DEFAULT_TOML.parse().expect("embedded default config parses");
        let mut unknown = Vec::new();
        unknown_keys(&base, &over, "", &mut unknown);
        if !unknown.is_empty() {
            bail!("{label}: 未知配置键 / unknown key: {}", unknown.join(", "));
        }
        merge(&mut base, over);
        Self::from_tables(base, label)
    }

    fn from_tables(table: toml::Table, label: &str) -> Result<Config> {
        let cfg: Config = toml::Value::Table(table)
            .try_into()
            .map_err(|e: toml::de::Error| anyhow!("{label}: {e}"))?;
        cfg.check().map_err(|e| anyhow!("{label}: {e}"))?;
        Ok(cfg)
    }

    fn check(&self) -> Result<()> {
        Regex::new(&self.rosters.institution_code_pattern).map_err(|e| {
            anyhow!("rosters.institution_code_pattern: 不是有效的正则表达式 / not a valid regular expression: {e}")
        })?;
        let list_ok = |v: &[String]| {
            v.iter().all(|s| {
                !s.is_empty()
                    && !s.contains([',', '、', ';', '，', '；'])
                    && !s.chars().any(|c| c.is_whitespace() || c.is_control())
            })
        };
        if self.rosters.institution_types.is_empty() || !list_ok(&self.rosters.institution_types) {
            bail!(
                "rosters.institution_types: 至少一个类型，且不含空白或分隔符 / at least one type, no blanks or separators"
            );
        }
        if !list_ok(&self.rosters.expertise) {
            bail!("rosters.expertise: 不含空白或分隔符 / no blanks or separators");
        }
        if !self.rosters.default_credit.is_empty() && CreditClass::parse(&self.rosters.default_credit).is_none() {
            bail!("rosters.default_credit: 应为 A、B、C、D 或 \"\" / must be A, B, C, D or \"\"");
        }
        if self.results.publication_working_days == 0 {
            bail!("results.publication_working_days: 至少为 1 / must be at least 1");
        }
        self.result_rules().check().map_err(|e| anyhow!("{e}"))?;
        self.try_work_calendar()?;
        Ok(())
    }

    /// The working-day calendar of the publication deadline (checked at load).
    pub fn work_calendar(&self) -> WorkCalendar {
        self.try_work_calendar().expect("checked at load")
    }

    fn try_work_calendar(&self) -> Result<WorkCalendar> {
        let mut cal = WorkCalendar::default();
        for (key, year) in &self.calendar {
            let y: i32 =
                key.parse().ok().filter(|y| (2000..=2100).contains(y)).ok_or_else(|| {
                    anyhow!("calendar.{key}: 键应为年份，如 2027 / the key must be a year such as 2027")
                })?;
            let days = |name: &str, entries: &[String]| -> Result<Vec<chrono::NaiveDate>> {
                let mut out = Vec::new();
                for (i, e) in entries.iter().enumerate() {
                    out.extend(parse_days(e).map_err(|m| anyhow!("calendar.{key}.{name}[{}]: {m}", i + 1))?);
                }
                Ok(out)
            };
            let holidays = days("holidays", &year.holidays)?;
            let workdays = days("workdays", &year.workdays)?;
            cal.add_year(y, holidays, workdays)
                .map_err(|m| anyhow!("calendar.{key}: {m}"))?;
        }
        Ok(cal)
    }

    /// The result vocabulary (categories, measures) as the domain checks it.
    pub fn result_rules(&self) -> crate::domain::results::ResultRules {
        let r = &self.results;
        crate::domain::results::ResultRules {
            categories: r.categories.clone(),
            violation_categories: r.violation_categories.clone(),
            nothing_found: r.nothing_found_category.clone(),
            measures: r.measures.clone(),
            rectification_measures: r.rectification_measures.clone(),
            recovery_measure: r.recovery_measure.clone(),
            fine_measure: r.fine_measure.clone(),
        }
    }

    pub fn roster_rules(&self) -> RosterRules {
        RosterRules {
            institution_code: Regex::new(&self.rosters.institution_code_pattern).expect("checked at load"),
            institution_types: self.rosters.institution_types.clone(),
            expertise: self.rosters.expertise.clone(),
            default_credit: CreditClass::parse(&self.rosters.default_credit),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_config_is_valid() {
        let c = Config::default_config();
        assert_eq!(c.rosters.institution_types, ["医疗机构", "零售药店"]);
        assert!(c.roster_rules().institution_code.is_match("H45990100001"));
    }

    #[test]
    fn user_config_overrides_and_is_checked() {
        let c = Config::from_user_text("[rosters]\ndefault_credit = \"C\"\n", "u.toml").unwrap();
        assert_eq!(c.rosters.default_credit, "C");
        assert_eq!(c.rosters.expertise.len(), 6);
        let e = Config::from_user_text("[rosters]\ndefault_credit = \"E\"\n", "u.toml")
            .unwrap_err()
            .to_string();
        assert!(e.contains("rosters.default_credit"), "{e}");
        let e = Config::from_user_text("[rosterz]\nx = 1\n", "u.toml")
            .unwrap_err()
            .to_string();
        assert!(e.contains("rosterz"), "{e}");
        let e = Config::from_user_text("[rosters]\ninstitution_code_pattern = \"(\"\n", "u.toml")
            .unwrap_err()
            .to_string();
        assert!(e.contains("institution_code_pattern"), "{e}");
        let e = Config::from_user_text("[results]\npublication_working_days = \"x\"\n", "u.toml")
            .unwrap_err()
            .to_string();
        assert!(e.contains("publication_working_days"), "{e}");
    }

    #[test]
    fn the_holiday_calendar_is_configurable_and_checked() {
        let c = Config::default_config();
        let cal = c.work_calendar();
        assert!(cal.years().any(|y| y == 2026));
        let day = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        // 2026 National Day: 10-01..10-07 off; Sunday 9-20 and Saturday 10-10 worked.
        assert!(!cal.is_working_day(day("2026-10-05")));
        assert!(cal.is_working_day(day("2026-09-20")) && cal.is_working_day(day("2026-10-10")));
        // A user file adds a year without repeating the others.
        let c = Config::from_user_text(
            "[calendar.2030]\nholidays = [\"2030-10-01..2030-10-07\"]\nworkdays = [\"2030-09-29\"]\n",
            "u.toml",
        )
        .unwrap();
        let cal = c.work_calendar();
        assert!(cal.years().any(|y| y == 2026) && cal.years().any(|y| y == 2030));
        assert!(!cal.is_working_day(day("2030-10-02")));
        for (text, names) in [
            (
                "[calendar.2030]\nholidays = [\"2030-02-30\"]\nworkdays = []\n",
                "calendar.2030.holidays[1]",
            ),
            (
                "[calendar.2030]\nholidays = []\nworkdays = [\"2030-10-08\"]\n",
                "calendar.2030",
            ),
            ("[calendar.next]\nholidays = []\nworkdays = []\n", "calendar.next"),
            ("[calendar.2030]\nholiday = []\nworkdays = []\n", "holiday"),
        ] {
            let e = Config::from_user_text(text, "u.toml").unwrap_err().to_string();
            assert!(e.contains(names), "{text}: {e}");
        }
    }

    #[test]
    fn result_vocabulary_is_configurable_and_checked() {
        let c = Config::default_config();
        assert_eq!(c.result_rules(), crate::domain::results::ResultRules::default());
        let c = Config::from_user_text(
            "[results]\ncategories = [\"未发现问题\", \"发现问题\"]\nviolation_categories = [\"发现问题\"]\n",
            "u.toml",
        )
        .unwrap();
        assert_eq!(c.result_rules().categories.len(), 2);
        let e = Config::from_user_text("[results]\nviolation_categories = [\"严重\"]\n", "u.toml")
            .unwrap_err()
            .to_string();
        assert!(e.contains("violation_categories"), "{e}");
        let e = Config::from_user_text("[results]\nfine_measure = \"罚款\"\n", "u.toml")
            .unwrap_err()
            .to_string();
        assert!(e.contains("fine_measure"), "{e}");
    }
}
