//! 执法检查人员: a member of the inspector pool.

use std::borrow::Cow;

use super::roster::{CellReader, FieldSpec, Reason, Record, RosterRules, join_list, parse_yes_no};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum InspectorStatus {
    /// 在岗: may be drawn.
    Active,
    Inactive,
}

impl InspectorStatus {
    pub fn zh(self) -> &'static str {
        match self {
            Self::Active => "在岗",
            Self::Inactive => "停用",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim() {
            "在岗" => Some(Self::Active),
            "停用" => Some(Self::Inactive),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inspector {
    /// 执法证号 (or expert-pool number for those without a certificate): the key.
    pub id: String,
    pub name: String,
    pub unit: String,
    pub region: String,
    pub expertise: Vec<String>,
    pub certified: bool,
    /// 回避机构: institution codes this person must never inspect.
    pub conflicts: Vec<String>,
    pub phone: Option<String>,
    pub status: InspectorStatus,
}

pub mod field {
    pub const ID: usize = 0;
    pub const NAME: usize = 1;
    pub const UNIT: usize = 2;
    pub const REGION: usize = 3;
    pub const EXPERTISE: usize = 4;
    pub const CERTIFIED: usize = 5;
    pub const CONFLICTS: usize = 6;
    pub const PHONE: usize = 7;
    pub const STATUS: usize = 8;
}

impl Record for Inspector {
    const FIELDS: &'static [FieldSpec] = &[
        FieldSpec::new("执法证号", "id").required().code(),
        FieldSpec::new("姓名", "name").required(),
        FieldSpec::new("所属单位", "unit").required(),
        FieldSpec::new("所属区县", "region").required(),
        FieldSpec::new("专业", "expertise"),
        FieldSpec::new("持有执法证", "certified").required(),
        FieldSpec::new("回避机构", "conflicts").private(),
        FieldSpec::new("联系电话", "phone").private(),
        FieldSpec::new("状态", "status"),
    ];

    fn key(&self) -> &str {
        &self.id
    }

    fn parse(cells: Vec<String>, rules: &RosterRules) -> Result<Self, Vec<super::roster::FieldError>> {
        use field::*;
        let mut r = CellReader::new(cells);
        let id = r.required(ID);
        if id
            .chars()
            .any(|c| c.is_whitespace() || matches!(c, '、' | ',' | ';' | '，' | '；'))
        {
            r.fail(
                ID,
                Reason::BadFormat {
                    value: id.clone(),
                    rule: "不含空白和分隔符 / no blanks or separators".into(),
                },
            );
        }
        let name = r.required(NAME);
        let unit = r.required(UNIT);
        let region = r.required(REGION);
        let mut expertise = r.list(EXPERTISE, Some(&rules.expertise));
        expertise.sort();
        let certified = match r.optional(CERTIFIED) {
            Some(v) => parse_yes_no(&v).unwrap_or_else(|| {
                r.fail(
                    CERTIFIED,
                    Reason::Unknown {
                        value: v,
                        allowed: vec!["是".into(), "否".into()],
                    },
                );
                false
            }),
            None => {
                r.fail(CERTIFIED, Reason::Empty);
                false
            }
        };
        let mut conflicts = r.list(CONFLICTS, None);
        conflicts.sort();
        let status = match r.optional(STATUS) {
            Some(v) => InspectorStatus::parse(&v).unwrap_or_else(|| {
                r.fail(
                    STATUS,
                    Reason::Unknown {
                        value: v,
                        allowed: vec!["在岗".into(), "停用".into()],
                    },
                );
                InspectorStatus::Active
            }),
            None => InspectorStatus::Active,
        };
        let phone = r.optional(PHONE);
        r.finish(Inspector {
            id,
            name,
            unit,
            region,
            expertise,
            certified,
            conflicts,
            phone,
            status,
        })
    }

    fn cells(&self) -> Vec<Cow<'_, str>> {
        vec![
            Cow::Borrowed(self.id.as_str()),
            Cow::Borrowed(self.name.as_str()),
            Cow::Borrowed(self.unit.as_str()),
            Cow::Borrowed(self.region.as_str()),
            Cow::Owned(join_list(&self.expertise)),
            Cow::Borrowed(if self.certified { "是" } else { "否" }),
            Cow::Owned(join_list(&self.conflicts)),
            Cow::Borrowed(self.phone.as_deref().unwrap_or("")),
            Cow::Borrowed(self.status.zh()),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_are_sorted_and_deduplicated() {
        let cells: Vec<String> = [
            "LJ001",
            "王五",
            "临江市医疗保障局",
            "江北区",
            "药学,医学、药学",
            "是",
            "P45990100002；H45990100001",
            "",
            "",
        ]
        .map(String::from)
        .to_vec();
        let i = Inspector::parse(cells.clone(), &RosterRules::default()).unwrap();
        assert_eq!(i.expertise, ["医学", "药学"]);
        assert_eq!(i.conflicts, ["H45990100001", "P45990100002"]);
        assert_eq!(i.to_cells()[4], "医学、药学");
    }

    #[test]
    fn unknown_expertise_and_flag_are_refused() {
        let cells: Vec<String> = ["LJ001", "王五", "局", "江北区", "占卜", "也许", "", "", ""]
            .map(String::from)
            .to_vec();
        let errs = Inspector::parse(cells.clone(), &RosterRules::default()).unwrap_err();
        assert_eq!(
            errs.iter().map(|e| e.field).collect::<Vec<_>>(),
            [field::EXPERTISE, field::CERTIFIED]
        );
    }
}
