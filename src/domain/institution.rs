//! 检查对象: a 定点医药机构 of the institution roster.

use std::borrow::Cow;

use super::credit::CreditClass;
use super::ids::check_uscc;
use super::roster::{CellReader, FieldSpec, Reason, Record, RosterRules};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum InstitutionStatus {
    /// 在册: under agreement, eligible for draws.
    Active,
    Suspended,
    Terminated,
    Deregistered,
}

impl InstitutionStatus {
    pub const ALL: [InstitutionStatus; 4] = [Self::Active, Self::Suspended, Self::Terminated, Self::Deregistered];
    pub fn zh(self) -> &'static str {
        match self {
            Self::Active => "在册",
            Self::Suspended => "暂停",
            Self::Terminated => "解除协议",
            Self::Deregistered => "注销",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|st| st.zh() == s.trim())
    }
    fn labels() -> Vec<String> {
        Self::ALL.iter().map(|s| s.zh().to_string()).collect()
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Institution {
    pub code: String,
    pub name: String,
    pub uscc: Option<String>,
    pub kind: String,
    pub ownership: Option<String>,
    pub grade: Option<String>,
    pub region: String,
    pub credit: CreditClass,
    pub address: Option<String>,
    pub contact: Option<String>,
    pub phone: Option<String>,
    pub status: InstitutionStatus,
}

pub mod field {
    pub const CODE: usize = 0;
    pub const NAME: usize = 1;
    pub const USCC: usize = 2;
    pub const KIND: usize = 3;
    pub const OWNERSHIP: usize = 4;
    pub const GRADE: usize = 5;
    pub const REGION: usize = 6;
    pub const CREDIT: usize = 7;
    pub const ADDRESS: usize = 8;
    pub const CONTACT: usize = 9;
    pub const PHONE: usize = 10;
    pub const STATUS: usize = 11;
}

pub const OWNERSHIPS: [&str; 2] = ["公立", "民营"];

impl Record for Institution {
    const FIELDS: &'static [FieldSpec] = &[
        FieldSpec::new("机构编码", "code").required().code(),
        FieldSpec::new("机构名称", "name").required(),
        FieldSpec::new("统一社会信用代码", "uscc").code(),
        FieldSpec::new("机构类型", "type").required(),
        FieldSpec::new("经营性质", "ownership"),
        FieldSpec::new("医院等级", "grade"),
        FieldSpec::new("所属区县", "region").required(),
        FieldSpec::new("信用等级", "credit"),
        FieldSpec::new("地址", "address").private(),
        FieldSpec::new("联系人", "contact").private(),
        FieldSpec::new("联系电话", "phone").private(),
        FieldSpec::new("状态", "status"),
    ];

    fn key(&self) -> &str {
        &self.code
    }

    fn parse(cells: Vec<String>, rules: &RosterRules) -> Result<Self, Vec<super::roster::FieldError>> {
        use field::*;
        let mut r = CellReader::new(cells);
        let code = r.required(CODE);
        if !code.is_empty() && !rules.institution_code.is_match(&code) {
            r.fail(
                CODE,
                Reason::BadFormat {
                    value: code.clone(),
                    rule: rules.institution_code.as_str().into(),
                },
            );
        }
        let name = r.required(NAME);
        let uscc = r.optional(USCC);
        if let Some(u) = &uscc
            && let Err(e) = check_uscc(u)
        {
            r.fail(USCC, Reason::BadId(e));
        }
        let kind = r.choice(KIND, &rules.institution_types, true).unwrap_or_default();
        let ownership = r.choice(OWNERSHIP, &OWNERSHIPS.map(String::from), false);
        let grade = r.optional(GRADE);
        let region = r.required(REGION);
        let credit = match r.optional(CREDIT) {
            Some(v) => CreditClass::parse(&v).unwrap_or_else(|| {
                r.fail(
                    CREDIT,
                    Reason::Unknown {
                        value: v,
                        allowed: class_labels(),
                    },
                );
                CreditClass::A
            }),
            None => rules.default_credit.unwrap_or_else(|| {
                r.fail(CREDIT, Reason::Empty);
                CreditClass::A
            }),
        };
        let status = match r.optional(STATUS) {
            Some(v) => InstitutionStatus::parse(&v).unwrap_or_else(|| {
                r.fail(
                    STATUS,
                    Reason::Unknown {
                        value: v,
                        allowed: InstitutionStatus::labels(),
                    },
                );
                InstitutionStatus::Active
            }),
            None => InstitutionStatus::Active,
        };
        let inst = Institution {
            code,
            name,
            uscc,
            kind,
            ownership,
            grade,
            region,
            credit,
            address: r.optional(ADDRESS),
            contact: r.optional(CONTACT),
            phone: r.optional(PHONE),
            status,
        };
        r.finish(inst)
    }

    fn cells(&self) -> Vec<Cow<'_, str>> {
        fn o(v: &Option<String>) -> Cow<'_, str> {
            Cow::Borrowed(v.as_deref().unwrap_or(""))
        }
        vec![
            Cow::Borrowed(self.code.as_str()),
            Cow::Borrowed(self.name.as_str()),
            o(&self.uscc),
            Cow::Borrowed(self.kind.as_str()),
            o(&self.ownership),
            o(&self.grade),
            Cow::Borrowed(self.region.as_str()),
            Cow::Borrowed(self.credit.letter()),
            o(&self.address),
            o(&self.contact),
            o(&self.phone),
            Cow::Borrowed(self.status.zh()),
        ]
    }
}

pub(crate) fn class_labels() -> Vec<String> {
    CreditClass::ALL.iter().map(|c| c.letter().to_string()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(cells: &[&str]) -> Vec<String> {
        cells.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn parses_a_valid_row_and_round_trips() {
        let cells = row(&[
            "H45990100001",
            "临江市第一人民医院",
            "12100000400000624D",
            "医疗机构",
            "公立",
            "三级甲等",
            "江北区",
            "A",
            "江北路1号",
            "张三",
            "13900000000",
            "在册",
        ]);
        let inst = Institution::parse(cells.clone(), &RosterRules::default()).unwrap();
        assert_eq!(inst.credit, CreditClass::A);
        assert_eq!(inst.to_cells(), cells);
    }

    #[test]
    fn reports_every_bad_cell() {
        let cells = row(&[
            "X1",
            "",
            "12100000400000624E",
            "诊所药房",
            "",
            "",
            "江北区",
            "E",
            "",
            "",
            "",
            "关闭",
        ]);
        let errs = Institution::parse(cells.clone(), &RosterRules::default()).unwrap_err();
        let fields: Vec<usize> = errs.iter().map(|e| e.field).collect();
        use field::*;
        assert_eq!(fields, vec![CODE, NAME, USCC, KIND, CREDIT, STATUS]);
    }

    #[test]
    fn blank_credit_takes_configured_default() {
        let cells = row(&[
            "P45990100001",
            "药店",
            "",
            "零售药店",
            "",
            "",
            "江北区",
            "",
            "",
            "",
            "",
            "",
        ]);
        let mut rules = RosterRules {
            default_credit: Some(CreditClass::C),
            ..RosterRules::default()
        };
        assert_eq!(
            Institution::parse(cells.clone(), &rules).unwrap().credit,
            CreditClass::C
        );
        rules.default_credit = None;
        assert!(Institution::parse(cells.clone(), &rules).is_err());
    }
}
