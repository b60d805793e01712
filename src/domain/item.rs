//! 抽查事项: one entry of the inspection-item list (抽查事项清单).

use std::borrow::Cow;

use super::roster::{CellReader, FieldSpec, Reason, Record, RosterRules, join_list};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ItemCategory {
    /// 一般事项: drawn at the plan's rates.
    General,
    /// 重点事项: may be checked at any ratio.
    Focus,
}

impl ItemCategory {
    pub fn zh(self) -> &'static str {
        match self {
            Self::General => "一般",
            Self::Focus => "重点",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InspectionItem {
    pub code: String,
    pub name: String,
    /// 适用对象: the institution types this item applies to.
    pub applies_to: Vec<String>,
    pub basis: String,
    pub method: Option<String>,
    pub category: ItemCategory,
    pub active: bool,
}

pub mod field {
    pub const CODE: usize = 0;
    pub const NAME: usize = 1;
    pub const APPLIES_TO: usize = 2;
    pub const BASIS: usize = 3;
    pub const METHOD: usize = 4;
    pub const CATEGORY: usize = 5;
    pub const STATUS: usize = 6;
}

impl InspectionItem {
    pub fn applies(&self, kind: &str) -> bool {
        self.applies_to.iter().any(|k| k == kind)
    }
}

impl Record for InspectionItem {
    const FIELDS: &'static [FieldSpec] = &[
        FieldSpec::new("事项编码", "code").required().code(),
        FieldSpec::new("事项名称", "name").required(),
        FieldSpec::new("适用对象", "applies_to").required(),
        FieldSpec::new("检查依据", "basis").required(),
        FieldSpec::new("检查方式", "method"),
        FieldSpec::new("事项类别", "category"),
        FieldSpec::new("状态", "status"),
    ];

    fn key(&self) -> &str {
        &self.code
    }

    fn parse(cells: Vec<String>, rules: &RosterRules) -> Result<Self, Vec<super::roster::FieldError>> {
        use field::*;
        let mut r = CellReader::new(cells);
        let code = r.required(CODE);
        if code
            .chars()
            .any(|c| c.is_whitespace() || matches!(c, '、' | ',' | ';' | '，' | '；'))
        {
            r.fail(
                CODE,
                Reason::BadFormat {
                    value: code.clone(),
                    rule: "不含空白和分隔符 / no blanks or separators".into(),
                },
            );
        }
        let name = r.required(NAME);
        let mut applies_to = r.list(APPLIES_TO, Some(&rules.institution_types));
        applies_to.sort();
        if applies_to.is_empty() && r.optional(APPLIES_TO).is_none() {
            r.fail(APPLIES_TO, Reason::Empty);
        }
        let basis = r.required(BASIS);
        let method = r.optional(METHOD);
        let category = match r.optional(CATEGORY).as_deref() {
            None | Some("一般") => ItemCategory::General,
            Some("重点") => ItemCategory::Focus,
            Some(v) => {
                r.fail(
                    CATEGORY,
                    Reason::Unknown {
                        value: v.into(),
                        allowed: vec!["一般".into(), "重点".into()],
                    },
                );
                ItemCategory::General
            }
        };
        let active = match r.optional(STATUS).as_deref() {
            None | Some("启用") => true,
            Some("停用") => false,
            Some(v) => {
                r.fail(
                    STATUS,
                    Reason::Unknown {
                        value: v.into(),
                        allowed: vec!["启用".into(), "停用".into()],
                    },
                );
                true
            }
        };
        r.finish(InspectionItem {
            code,
            name,
            applies_to,
            basis,
            method,
            category,
            active,
        })
    }

    fn cells(&self) -> Vec<Cow<'_, str>> {
        vec![
            Cow::Borrowed(self.code.as_str()),
            Cow::Borrowed(self.name.as_str()),
            Cow::Owned(join_list(&self.applies_to)),
            Cow::Borrowed(self.basis.as_str()),
            Cow::Borrowed(self.method.as_deref().unwrap_or("")),
            Cow::Borrowed(self.category.zh()),
            Cow::Borrowed(if self.active { "启用" } else { "停用" }),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_item() {
        let cells: Vec<String> = ["YB-01", "分解住院", "医疗机构", "《条例》第十五条", "", "重点", ""]
            .map(String::from)
            .to_vec();
        let it = InspectionItem::parse(cells.clone(), &RosterRules::default()).unwrap();
        assert_eq!(it.category, ItemCategory::Focus);
        assert!(it.applies("医疗机构") && !it.applies("零售药店"));
    }
}
