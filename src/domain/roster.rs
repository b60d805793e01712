//! What the three rosters (一单两库) share: field descriptions, cell-level errors, list cells.

use std::borrow::Cow;

use regex::Regex;

use super::credit::CreditClass;

/// One column of a roster as staff see it in their spreadsheets.
#[derive(Debug, Clone, Copy)]
pub struct FieldSpec {
    /// The Chinese header, exactly as in import and export files.
    pub zh: &'static str,
    /// The English alias accepted on import (and used by `--lang en` messages).
    pub en: &'static str,
    pub required: bool,
    /// A code column: a numeric spreadsheet cell here means Excel already mangled it.
    pub code: bool,
    /// Never leaves the unit in public files (phones, addresses, contacts, conflicts).
    pub private: bool,
}

impl FieldSpec {
    pub const fn new(zh: &'static str, en: &'static str) -> Self {
        FieldSpec {
            zh,
            en,
            required: false,
            code: false,
            private: false,
        }
    }
    pub const fn required(mut self) -> Self {
        self.required = true;
        self
    }
    pub const fn code(mut self) -> Self {
        self.code = true;
        self
    }
    pub const fn private(mut self) -> Self {
        self.private = true;
        self
    }
    pub fn name(&self, lang: crate::i18n::Lang) -> &'static str {
        match lang {
            crate::i18n::Lang::Zh => self.zh,
            crate::i18n::Lang::En => self.en,
        }
    }
}

/// Why one cell was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reason {
    Empty,
    BadFormat {
        value: String,
        rule: String,
    },
    BadId(super::ids::IdError),
    Unknown {
        value: String,
        allowed: Vec<String>,
    },
    ControlCharacter,
    /// An invisible or direction-changing character (zero-width space, U+202E …).
    Invisible {
        character: char,
    },
    NumericCode,
    DuplicateKey {
        first_row: usize,
    },
    /// The key equals that of row `first_row` (written `first`) but for full-width forms or case.
    LookalikeKey {
        first_row: usize,
        first: String,
    },
    /// The key equals the stored key `existing` but for full-width forms or case.
    LookalikeExisting {
        existing: String,
    },
    /// A code in a list equals the roster's code `existing` but for full-width forms or case.
    LookalikeReference {
        value: String,
        existing: String,
    },
}

impl Reason {
    pub fn text(&self, lang: crate::i18n::Lang) -> String {
        use crate::i18n::Lang::*;
        match (self, lang) {
            (Reason::Empty, Zh) => "必填，不能为空".into(),
            (Reason::Empty, En) => "required, must not be empty".into(),
            (Reason::BadFormat { value, rule }, Zh) => format!("“{value}”格式不符（规则 {rule}）"),
            (Reason::BadFormat { value, rule }, En) => format!("'{value}' does not match the rule {rule}"),
            (Reason::BadId(e), Zh) => e.zh(),
            (Reason::BadId(e), En) => e.en(),
            (Reason::Unknown { value, allowed }, Zh) => {
                format!("“{value}”不是可用值（可用：{}）", allowed.join("、"))
            }
            (Reason::Unknown { value, allowed }, En) => {
                format!("'{value}' is not allowed (allowed: {})", allowed.join(", "))
            }
            (Reason::ControlCharacter, Zh) => "含有制表符、换行等控制字符".into(),
            (Reason::ControlCharacter, En) => "contains a tab, line break or other control character".into(),
            (Reason::NumericCode, Zh) => {
                "编码列是数字单元格（Excel 会丢失长数字的位数），请将该列设为文本后重新录入".into()
            }
            (Reason::NumericCode, En) => {
                "a code column holds a number cell (Excel loses digits of long numbers); format the column as text and re-enter it".into()
            }
            (Reason::Invisible { character }, Zh) => format!(
                "含有不可见字符 U+{:04X}（{}），看起来相同的内容实际不同，请删除后重新录入",
                *character as u32,
                super::text::invisible(*character).map_or("", |n| n.0)
            ),
            (Reason::Invisible { character }, En) => format!(
                "contains the invisible character U+{:04X} ({}): it looks like other text and is not; delete it",
                *character as u32,
                super::text::invisible(*character).map_or("", |n| n.1)
            ),
            (Reason::LookalikeKey { first_row, first }, Zh) => {
                format!("与第 {first_row} 行的“{first}”只差全角/半角或大小写，是同一编码，重复")
            }
            (Reason::LookalikeKey { first_row, first }, En) => {
                format!("equals '{first}' of row {first_row} but for full-width forms or case: a duplicate")
            }
            (Reason::LookalikeExisting { existing }, Zh) => format!(
                "与名录库中已有的“{existing}”只差全角/半角或大小写，是同一编码；请写成“{existing}”"
            ),
            (Reason::LookalikeExisting { existing }, En) => {
                format!("equals the stored '{existing}' but for full-width forms or case; write it as '{existing}'")
            }
            (Reason::LookalikeReference { value, existing }, Zh) => format!(
                "“{value}”与名录库中的“{existing}”只差全角/半角或大小写；请写成“{existing}”，否则不会生效"
            ),
            (Reason::LookalikeReference { value, existing }, En) => format!(
                "'{value}' equals the roster's '{existing}' but for full-width forms or case; write it as '{existing}' or it has no effect"
            ),
            (Reason::DuplicateKey { first_row }, Zh) => format!("与第 {first_row} 行重复"),
            (Reason::DuplicateKey { first_row }, En) => format!("duplicates row {first_row}"),
        }
    }
}

/// A refused cell: which field (index into the roster's `FIELDS`) and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: usize,
    pub reason: Reason,
}

/// The validation rules that come from configuration.
#[derive(Debug, Clone)]
pub struct RosterRules {
    pub institution_code: Regex,
    pub institution_types: Vec<String>,
    pub expertise: Vec<String>,
    pub default_credit: Option<CreditClass>,
}

impl RosterRules {
    /// Accepts any type, expertise and code: for reading back what an earlier configuration stored.
    pub fn permissive() -> Self {
        RosterRules {
            institution_code: Regex::new(".*").expect("static pattern"),
            institution_types: vec![],
            expertise: vec![],
            default_credit: Some(CreditClass::B),
        }
    }
}

impl Default for RosterRules {
    fn default() -> Self {
        RosterRules {
            institution_code: Regex::new(r"^[HP]\d{11}$").expect("static pattern"),
            institution_types: vec!["医疗机构".into(), "零售药店".into()],
            expertise: ["医学", "药学", "财务", "信息", "法律", "护理"]
                .map(String::from)
                .to_vec(),
            default_credit: Some(CreditClass::B),
        }
    }
}

/// A roster record: parsed from and written to one spreadsheet row, cells in `FIELDS` order.
pub trait Record: Sized + Clone {
    const FIELDS: &'static [FieldSpec];
    fn key(&self) -> &str;
    fn parse(cells: Vec<String>, rules: &RosterRules) -> Result<Self, Vec<FieldError>>;
    /// The cells in `FIELDS` order, borrowed where the record holds them as they are.
    fn cells(&self) -> Vec<Cow<'_, str>>;
    /// The cells as owned strings (export, forms).
    fn to_cells(&self) -> Vec<String> {
        self.cells().into_iter().map(Cow::into_owned).collect()
    }
}

/// Splits a list cell on 、 , ; ， ； and whitespace, dropping empties.
pub fn split_list(cell: &str) -> Vec<String> {
    cell.split(|c: char| matches!(c, '、' | ',' | ';' | '，' | '；') || c.is_whitespace())
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// Joins a list the way it is exported: with 、.
pub fn join_list(items: &[String]) -> String {
    items.join("、")
}

/// Helper used by every `Record::parse`: collects errors cell by cell. Owns the cells so that
/// parsing moves strings into the record instead of copying them (imports parse millions).
pub struct CellReader {
    cells: Vec<String>,
    pub errors: Vec<FieldError>,
}

impl CellReader {
    pub fn new(cells: Vec<String>) -> Self {
        let mut errors = Vec::new();
        for (i, c) in cells.iter().enumerate() {
            if c.chars().any(char::is_control) {
                errors.push(FieldError {
                    field: i,
                    reason: Reason::ControlCharacter,
                });
            } else if let Some((character, ..)) = super::text::first_invisible(c) {
                errors.push(FieldError {
                    field: i,
                    reason: Reason::Invisible { character },
                });
            }
        }
        CellReader { cells, errors }
    }
    fn raw(&self, field: usize) -> &str {
        self.cells.get(field).map(|s| s.trim()).unwrap_or("")
    }
    /// Moves the trimmed cell out (each cell is read once).
    fn take(&mut self, field: usize) -> String {
        let Some(cell) = self.cells.get_mut(field) else {
            return String::new();
        };
        let s = std::mem::take(cell);
        let t = s.trim();
        if t.len() == s.len() { s } else { t.to_string() }
    }
    pub fn fail(&mut self, field: usize, reason: Reason) {
        self.errors.push(FieldError { field, reason });
    }
    /// A required text cell.
    pub fn required(&mut self, field: usize) -> String {
        let v = self.take(field);
        if v.is_empty() {
            self.fail(field, Reason::Empty);
        }
        v
    }
    pub fn optional(&mut self, field: usize) -> Option<String> {
        let v = self.take(field);
        (!v.is_empty()).then_some(v)
    }
    /// A cell whose value must be one of `allowed` (an empty `allowed` accepts anything).
    pub fn choice(&mut self, field: usize, allowed: &[String], required: bool) -> Option<String> {
        let v = self.take(field);
        if v.is_empty() {
            if required {
                self.fail(field, Reason::Empty);
            }
            return None;
        }
        if allowed.is_empty() || allowed.contains(&v) {
            Some(v)
        } else {
            self.fail(
                field,
                Reason::Unknown {
                    value: v,
                    allowed: allowed.to_vec(),
                },
            );
            None
        }
    }
    /// A list cell whose every element must be one of `allowed` (when given).
    pub fn list(&mut self, field: usize, allowed: Option<&[String]>) -> Vec<String> {
        let items = split_list(self.raw(field));
        let mut out: Vec<String> = Vec::new();
        for it in items {
            if let Some(allowed) = allowed
                && !allowed.is_empty()
                && !allowed.contains(&it)
            {
                self.fail(
                    field,
                    Reason::Unknown {
                        value: it,
                        allowed: allowed.to_vec(),
                    },
                );
                continue;
            }
            if !out.contains(&it) {
                out.push(it);
            }
        }
        out
    }
    pub fn finish<T>(self, value: T) -> Result<T, Vec<FieldError>> {
        if self.errors.is_empty() {
            Ok(value)
        } else {
            Err(self.errors)
        }
    }
}

/// Labels of a two-state flag such as 持有执法证.
pub fn parse_yes_no(v: &str) -> Option<bool> {
    match v.trim() {
        "是" | "有" | "Y" | "y" | "yes" | "Yes" | "YES" | "true" | "1" => Some(true),
        "否" | "无" | "N" | "n" | "no" | "No" | "NO" | "false" | "0" => Some(false),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_cells_split_on_all_separators() {
        assert_eq!(
            split_list("医学、药学,财务；信息 法律;;护理，"),
            ["医学", "药学", "财务", "信息", "法律", "护理"]
        );
        assert!(split_list("  ").is_empty());
    }

    #[test]
    fn control_characters_are_refused() {
        let r = CellReader::new(vec!["a\tb".to_string()]);
        assert_eq!(r.errors[0].reason, Reason::ControlCharacter);
    }

    #[test]
    fn invisible_and_bidi_characters_are_refused_in_every_cell() {
        let r = CellReader::new(vec!["LJ001".into(), "张\u{200B}三".into(), "\u{202E}区北江".into()]);
        let got: Vec<(usize, &Reason)> = r.errors.iter().map(|e| (e.field, &e.reason)).collect();
        assert_eq!(
            got,
            [
                (1, &Reason::Invisible { character: '\u{200B}' }),
                (2, &Reason::Invisible { character: '\u{202E}' })
            ]
        );
        let text = r.errors[1].reason.text(crate::i18n::Lang::Zh);
        assert!(text.contains("U+202E") && text.contains("文字方向覆盖"), "{text}");
    }
}
