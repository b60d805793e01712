//! The vocabulary of results from the configuration: categories, measures and how they relate.

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

#[cfg(test)]
mod tests {
    use super::*;

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
