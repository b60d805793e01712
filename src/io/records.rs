//! Mapping raw rows to roster records, with every problem located as staff see it:
//! file, row, column letter (workbooks) and the header text.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;
use std::marker::PhantomData;

use super::source::{Cell, RowSource, SourceError, column_letter};
use crate::domain::text::fold_key;
use crate::domain::{FieldError, Reason, Record, RosterRules};
use crate::i18n::Lang;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Error,
    Warning,
}

/// A problem that is not about one cell's value: headers and whole-file failures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Note {
    /// A required column is absent (the issue's `column` is the field's zh name).
    MissingColumn { en: &'static str },
    /// A second header maps to the same field as an earlier one.
    DuplicateColumn {
        first: String,
        first_letter: Option<String>,
    },
    /// A header that matches no field; the column is ignored.
    UnknownColumn,
    /// A 回避机构 code that is not in the institution roster (the conflict still holds).
    UnknownConflict { code: String },
    /// The file could not be read; both renderings of the `SourceError`.
    Source { zh: String, en: String },
}

impl Note {
    pub fn text(&self, lang: Lang) -> String {
        use Lang::*;
        match (self, lang) {
            (Note::MissingColumn { en }, Zh) => {
                format!("缺少必填列（表头可写中文名或英文名 {en}）")
            }
            (Note::MissingColumn { en }, En) => {
                format!("required column is missing (header: Chinese name or {en})")
            }
            (
                Note::DuplicateColumn {
                    first,
                    first_letter: Some(l),
                },
                Zh,
            ) => {
                format!("与 {l} 列「{first}」对应同一字段，重复")
            }
            (
                Note::DuplicateColumn {
                    first,
                    first_letter: None,
                },
                Zh,
            ) => format!("与前面的「{first}」列对应同一字段，重复"),
            (
                Note::DuplicateColumn {
                    first,
                    first_letter: Some(l),
                },
                En,
            ) => {
                format!("duplicates column {l} \"{first}\" (same field)")
            }
            (
                Note::DuplicateColumn {
                    first,
                    first_letter: None,
                },
                En,
            ) => {
                format!("duplicates the earlier column \"{first}\" (same field)")
            }
            (Note::UnknownColumn, Zh) => "未知列，已忽略".into(),
            (Note::UnknownColumn, En) => "unknown column, ignored".into(),
            (Note::UnknownConflict { code }, Zh) => {
                format!("回避机构“{code}”不在检查对象名录库中（仍按回避处理）")
            }
            (Note::UnknownConflict { code }, En) => {
                format!("conflict institution '{code}' is not in the roster (still honoured)")
            }
            (Note::Source { zh, .. }, Zh) => zh.clone(),
            (Note::Source { en, .. }, En) => en.clone(),
        }
    }
}

/// One located import problem. Language-neutral: render with [`ImportIssue::text`].
/// Exactly one of `reason` (a cell's value was refused) and `note` (header or file problem) is set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportIssue {
    pub severity: Severity,
    pub file: String,
    /// 1-based row as the spreadsheet shows it (header = 1); 0 for the whole file.
    pub row: usize,
    /// The header text as written in the file (the field's zh name when the column is absent).
    pub column: Option<String>,
    /// Column letter, for workbooks only.
    pub letter: Option<String>,
    pub reason: Option<Reason>,
    pub note: Option<Note>,
}

impl ImportIssue {
    /// A whole-file error in both languages.
    pub fn file_note(file: &str, zh: &str, en: &str) -> ImportIssue {
        ImportIssue {
            severity: Severity::Error,
            file: file.into(),
            row: 0,
            column: None,
            letter: None,
            reason: None,
            note: Some(Note::Source {
                zh: zh.into(),
                en: en.into(),
            }),
        }
    }

    /// A warning about one cell, in both languages.
    pub fn cell_note(file: &str, row: usize, column: &str, zh: &str, en: &str) -> ImportIssue {
        ImportIssue {
            severity: Severity::Warning,
            file: file.into(),
            row,
            column: Some(column.into()),
            letter: None,
            reason: None,
            note: Some(Note::Source {
                zh: zh.into(),
                en: en.into(),
            }),
        }
    }

    /// A whole-file issue from a read failure (row = the failing line when known, else 0).
    pub fn from_source(e: &SourceError, file_label: impl Into<String>) -> ImportIssue {
        ImportIssue {
            severity: Severity::Error,
            file: file_label.into(),
            row: e.line().unwrap_or(0),
            column: None,
            letter: None,
            reason: None,
            note: Some(Note::Source {
                zh: e.text(Lang::Zh),
                en: e.text(Lang::En),
            }),
        }
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// The problem alone, without location.
    pub fn detail(&self, lang: Lang) -> String {
        match (&self.reason, &self.note) {
            (Some(r), _) => r.text(lang),
            (None, Some(n)) => n.text(lang),
            (None, None) => String::new(),
        }
    }

    /// zh: `institutions.csv 第 4 行 C 列「机构名称」：必填，不能为空`;
    /// en: `institutions.csv row 4, column C "机构名称": required, must not be empty`.
    pub fn text(&self, lang: Lang) -> String {
        let detail = self.detail(lang);
        let file = &self.file;
        match lang {
            Lang::Zh => {
                let mut at = String::new();
                if self.row > 0 {
                    at.push_str(&format!(" 第 {} 行", self.row));
                }
                if let Some(l) = &self.letter {
                    at.push_str(&format!(" {l} 列"));
                }
                if let Some(c) = &self.column {
                    at.push_str(&format!("「{c}」"));
                }
                format!("{file}{at}：{detail}")
            }
            Lang::En => {
                let mut parts = Vec::new();
                if self.row > 0 {
                    parts.push(format!("row {}", self.row));
                }
                match (&self.letter, &self.column) {
                    (Some(l), Some(c)) => parts.push(format!("column {l} \"{c}\"")),
                    (Some(l), None) => parts.push(format!("column {l}")),
                    (None, Some(c)) => parts.push(format!("column \"{c}\"")),
                    (None, None) => {}
                }
                if parts.is_empty() {
                    format!("{file}: {detail}")
                } else {
                    format!("{file} {}: {detail}", parts.join(", "))
                }
            }
        }
    }
}

impl fmt::Display for ImportIssue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text(Lang::Zh))
    }
}

/// At most `cap` issues, one per line: file-level ones first, then grouped by column (columns in
/// order of first appearance), by row within a column; then a line counting the rest.
pub fn summarize(issues: &[ImportIssue], lang: Lang, cap: usize) -> String {
    let mut groups: Vec<(&Option<String>, Vec<&ImportIssue>)> = Vec::new();
    for issue in issues {
        match groups.iter_mut().find(|(c, _)| *c == &issue.column) {
            Some((_, list)) => list.push(issue),
            None => groups.push((&issue.column, vec![issue])),
        }
    }
    groups.sort_by_key(|(c, _)| c.is_some());
    let mut ordered: Vec<&ImportIssue> = Vec::with_capacity(issues.len());
    for (_, mut list) in groups {
        list.sort_by_key(|i| (i.row, i.severity));
        ordered.extend(list);
    }
    let mut lines: Vec<String> = ordered.iter().take(cap).map(|i| i.text(lang)).collect();
    let rest = issues.len().saturating_sub(cap);
    if rest > 0 {
        lines.push(match lang {
            Lang::Zh => format!("……另有 {rest} 处错误未列出"),
            Lang::En => format!("... and {rest} more"),
        });
    }
    lines.join("\n")
}

/// Warnings summarised by kind, one line each: a kind with more than `examples + 1` warnings
/// becomes a line with its count, then `examples` of them (indented by two spaces), then how
/// many more; smaller kinds are listed whole. Kinds in order of first appearance.
pub fn summarize_warnings(warnings: &[ImportIssue], lang: Lang, examples: usize) -> Vec<String> {
    let kind = |i: &ImportIssue| -> String {
        match &i.note {
            Some(Note::UnknownColumn) => Note::UnknownColumn.text(lang),
            Some(Note::UnknownConflict { .. }) => match lang {
                Lang::Zh => "回避机构不在检查对象名录库中（仍按回避处理）".into(),
                Lang::En => "conflict institutions not in the roster (still honoured)".into(),
            },
            _ => i.detail(lang),
        }
    };
    let mut groups: Vec<(String, Vec<&ImportIssue>)> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    for w in warnings {
        let k = kind(w);
        match index.get(&k) {
            Some(&g) => groups[g].1.push(w),
            None => {
                index.insert(k.clone(), groups.len());
                groups.push((k, vec![w]));
            }
        }
    }
    let mut lines = Vec::new();
    for (k, list) in groups {
        if list.len() <= examples + 1 {
            lines.extend(list.iter().map(|w| w.text(lang)));
            continue;
        }
        lines.push(match lang {
            Lang::Zh => format!("{k}：共 {} 处，例如：", list.len()),
            Lang::En => format!("{k}: {} in all, for example:", list.len()),
        });
        lines.extend(list.iter().take(examples).map(|w| format!("  {}", w.text(lang))));
        let rest = list.len() - examples;
        lines.push(match lang {
            Lang::Zh => format!("  ……另有 {rest} 处"),
            Lang::En => format!("  ... and {rest} more"),
        });
    }
    lines
}

/// Undoes the `'` that CSV exports put before cells a spreadsheet would run as formulas
/// (`=`, `+`, `-`, `@`, TAB, CR), so that an exported roster re-imports unchanged.
pub fn unneutralize(text: String) -> String {
    match text.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest.to_string(),
        _ => text,
    }
}

/// Reads records of type `R` from a [`RowSource`]. Iterate it: each item is
/// `Ok((row, record))` or `Err(issues of that row)`.
pub struct RecordReader<R: Record> {
    source: RowSource,
    file: String,
    rules: RosterRules,
    /// For each field of `R::FIELDS`: the source column holding it.
    columns: Vec<Option<usize>>,
    warnings: Vec<ImportIssue>,
    /// Keys read so far, folded (`fold_key`): the row, and the key as written when it differs.
    seen: HashMap<String, (usize, Option<Box<str>>)>,
    /// Keys already stored, folded: the key as stored when it differs from the folded form.
    existing: HashMap<String, Option<Box<str>>>,
    _record: PhantomData<fn() -> R>,
}

/// Header text normalized for matching: trimmed, BOMs dropped, full-width parentheses made
/// half-width and spaces around parentheses removed.
fn normalize_header(h: &str) -> String {
    let mapped: String = h
        .chars()
        .filter(|&c| c != '\u{feff}')
        .map(|c| match c {
            '（' => '(',
            '）' => ')',
            other => other,
        })
        .collect();
    let chars: Vec<char> = mapped.trim().chars().collect();
    let is_paren = |c: Option<&char>| matches!(c, Some('(' | ')'));
    let mut out = String::with_capacity(mapped.len());
    for (i, &c) in chars.iter().enumerate() {
        if c.is_whitespace() {
            let prev = chars[..i].iter().rev().find(|c| !c.is_whitespace());
            let next = chars[i + 1..].iter().find(|c| !c.is_whitespace());
            if is_paren(prev) || is_paren(next) {
                continue;
            }
        }
        out.push(c);
    }
    out
}

impl<R: Record> RecordReader<R> {
    /// Maps the headers of `source` onto `R::FIELDS`. Fails with every header error at once;
    /// warnings (unknown columns) are kept in [`RecordReader::warnings`].
    pub fn new(
        source: RowSource,
        file_label: String,
        rules: &RosterRules,
    ) -> Result<RecordReader<R>, Vec<ImportIssue>> {
        let header_row = source.header_row();
        let letter = |col: usize| source.is_spreadsheet().then(|| column_letter(col));
        let issue = |severity, column: Option<String>, letter: Option<String>, note| ImportIssue {
            severity,
            file: file_label.clone(),
            row: header_row,
            column,
            letter,
            reason: None,
            note: Some(note),
        };
        let wanted: Vec<(String, String)> = R::FIELDS
            .iter()
            .map(|f| (normalize_header(f.zh), f.en.trim().to_lowercase()))
            .collect();
        let mut columns: Vec<Option<usize>> = vec![None; R::FIELDS.len()];
        let mut errors = Vec::new();
        let mut warnings = Vec::new();
        for (col, header) in source.headers().iter().enumerate() {
            if header.is_empty() {
                continue;
            }
            let norm = normalize_header(header);
            let lower = norm.to_lowercase();
            let field = R::FIELDS
                .iter()
                .position(|f| f.zh == header.as_str())
                .or_else(|| wanted.iter().position(|(zh, en)| *zh == norm || *en == lower));
            match field {
                None => warnings.push(issue(
                    Severity::Warning,
                    Some(header.clone()),
                    letter(col),
                    Note::UnknownColumn,
                )),
                Some(f) => match columns[f] {
                    None => columns[f] = Some(col),
                    Some(first) => errors.push(issue(
                        Severity::Error,
                        Some(header.clone()),
                        letter(col),
                        Note::DuplicateColumn {
                            first: source.headers()[first].clone(),
                            first_letter: letter(first),
                        },
                    )),
                },
            }
        }
        for (f, spec) in R::FIELDS.iter().enumerate() {
            if spec.required && columns[f].is_none() {
                errors.push(issue(
                    Severity::Error,
                    Some(spec.zh.to_string()),
                    None,
                    Note::MissingColumn { en: spec.en },
                ));
            }
        }
        if !errors.is_empty() {
            errors.extend(warnings);
            return Err(errors);
        }
        Ok(RecordReader {
            source,
            file: file_label,
            rules: rules.clone(),
            columns,
            warnings,
            seen: HashMap::new(),
            existing: HashMap::new(),
            _record: PhantomData,
        })
    }

    /// The keys already stored: a row whose key equals one of them but for full-width forms or
    /// case is refused (it would be a second record of the same thing).
    pub fn with_existing_keys(mut self, keys: impl IntoIterator<Item = String>) -> Self {
        for key in keys {
            let (folded, written) = match fold_key(&key) {
                Cow::Borrowed(_) => (key, None),
                Cow::Owned(f) => (f, Some(key.into_boxed_str())),
            };
            self.existing.insert(folded, written);
        }
        self
    }

    /// Header warnings (unknown columns).
    pub fn warnings(&self) -> &[ImportIssue] {
        &self.warnings
    }

    pub fn file_label(&self) -> &str {
        &self.file
    }

    pub fn source(&self) -> &RowSource {
        &self.source
    }

    fn cell_issue(&self, row: usize, field: usize, reason: Reason) -> ImportIssue {
        let col = self.columns.get(field).copied().flatten();
        let column = match col {
            Some(c) => self.source.headers()[c].clone(),
            None => R::FIELDS.get(field).map(|f| f.zh.to_string()).unwrap_or_default(),
        };
        ImportIssue {
            severity: Severity::Error,
            file: self.file.clone(),
            row,
            column: Some(column),
            letter: col.filter(|_| self.source.is_spreadsheet()).map(column_letter),
            reason: Some(reason),
            note: None,
        }
    }

    fn read_row(&mut self, row: usize, mut raw: Vec<Cell>) -> Result<R, Vec<ImportIssue>> {
        let mut pre: Vec<FieldError> = Vec::new();
        let mut cells: Vec<String> = Vec::with_capacity(R::FIELDS.len());
        for (f, spec) in R::FIELDS.iter().enumerate() {
            let cell = self.columns[f]
                .and_then(|c| raw.get_mut(c))
                .map(|c| std::mem::replace(c, Cell::Empty))
                .unwrap_or(Cell::Empty);
            let text = match cell {
                Cell::Empty => String::new(),
                Cell::Text(s) => unneutralize(s),
                Cell::Date(s) => s,
                Cell::Number(n) if spec.code => {
                    pre.push(FieldError {
                        field: f,
                        reason: Reason::NumericCode,
                    });
                    super::source::number_text(n)
                }
                Cell::Error(e) => {
                    pre.push(FieldError {
                        field: f,
                        reason: Reason::BadFormat {
                            value: e.clone(),
                            rule: "Excel 错误值 / Excel error value".into(),
                        },
                    });
                    e
                }
                other => other.to_text(),
            };
            cells.push(text);
        }
        let parsed = R::parse(cells, &self.rules);
        let mut errors = pre;
        match parsed {
            Ok(record) if errors.is_empty() => {
                let key = record.key();
                let folded = fold_key(key);
                // Every roster's key is its first field.
                if let Some((first_row, first)) = self.seen.get(folded.as_ref()) {
                    let first = first.as_deref().unwrap_or(folded.as_ref());
                    let reason = if first == key {
                        Reason::DuplicateKey { first_row: *first_row }
                    } else {
                        Reason::LookalikeKey {
                            first_row: *first_row,
                            first: first.to_string(),
                        }
                    };
                    return Err(vec![self.cell_issue(row, 0, reason)]);
                }
                if let Some(stored) = self.existing.get(folded.as_ref()) {
                    let stored = stored.as_deref().unwrap_or(folded.as_ref());
                    if stored != key {
                        let reason = Reason::LookalikeExisting {
                            existing: stored.to_string(),
                        };
                        return Err(vec![self.cell_issue(row, 0, reason)]);
                    }
                }
                let written = matches!(folded, Cow::Owned(_)).then(|| Box::from(key));
                let folded = folded.into_owned();
                self.seen.insert(folded, (row, written));
                Ok(record)
            }
            Ok(_) => Err(errors
                .into_iter()
                .map(|e| self.cell_issue(row, e.field, e.reason))
                .collect()),
            Err(parse_errors) => {
                // A mangled code cell explains itself better than the format error it causes.
                let mangled: Vec<usize> = errors.iter().map(|e| e.field).collect();
                errors.extend(parse_errors.into_iter().filter(|e| !mangled.contains(&e.field)));
                errors.sort_by_key(|e| e.field);
                Err(errors
                    .into_iter()
                    .map(|e| self.cell_issue(row, e.field, e.reason))
                    .collect())
            }
        }
    }
}

impl<R: Record> Iterator for RecordReader<R> {
    type Item = Result<(usize, R), Vec<ImportIssue>>;

    fn next(&mut self) -> Option<Self::Item> {
        match self.source.next_row()? {
            Err(e) => Some(Err(vec![ImportIssue::from_source(&e, self.file.clone())])),
            Ok(raw) => {
                let row = raw.row;
                Some(self.read_row(row, raw.cells).map(|r| (row, r)))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    use super::*;
    use crate::domain::Institution;

    const HEADER: &str = "机构编码,机构名称,统一社会信用代码,机构类型,所属区县";

    fn csv_file(dir: &Path, name: &str, text: &str) -> PathBuf {
        let p = dir.join(name);
        std::fs::write(&p, text).unwrap();
        p
    }

    fn reader(path: &Path) -> Result<RecordReader<Institution>, Vec<ImportIssue>> {
        let label = path.file_name().unwrap().to_string_lossy().into_owned();
        RecordReader::new(RowSource::open(path, None).unwrap(), label, &RosterRules::default())
    }

    #[test]
    fn reads_valid_rows() {
        let dir = tempfile::tempdir().unwrap();
        let p = csv_file(
            dir.path(),
            "institutions.csv",
            &format!("{HEADER}\nH45990100001,临江市第一人民医院,12100000400000624D,医疗机构,江北区\n"),
        );
        let mut r = reader(&p).unwrap();
        assert!(r.warnings().is_empty());
        let (row, inst) = r.next().unwrap().unwrap();
        assert_eq!(row, 2);
        assert_eq!(inst.code, "H45990100001");
        assert_eq!(inst.uscc.as_deref(), Some("12100000400000624D"));
        assert!(r.next().is_none());
    }

    #[test]
    fn english_aliases_and_parenthesis_variants() {
        assert_eq!(normalize_header(" 联系电话 （ 手机 ） "), "联系电话(手机)");
        assert_eq!(normalize_header("\u{feff}机构编码"), "机构编码");
        let dir = tempfile::tempdir().unwrap();
        let p = csv_file(
            dir.path(),
            "en.csv",
            "CODE, Name ,uscc,Type,REGION\nH45990100001,医院,,医疗机构,江北区\n",
        );
        let mut r = reader(&p).unwrap();
        assert!(r.next().unwrap().is_ok());
    }

    #[test]
    fn cell_errors_are_located() {
        let dir = tempfile::tempdir().unwrap();
        let p = csv_file(
            dir.path(),
            "institutions.csv",
            &format!("{HEADER}\nH45990100001,医院,,医疗机构,江北区\n\nH45990100002,,,医疗机构,江北区\n"),
        );
        let mut r = reader(&p).unwrap();
        assert!(r.next().unwrap().is_ok());
        let issues = r.next().unwrap().unwrap_err();
        assert_eq!(issues.len(), 1);
        let i = &issues[0];
        assert_eq!(
            (i.row, i.column.as_deref(), i.letter.as_deref()),
            (4, Some("机构名称"), None)
        );
        assert_eq!(i.reason, Some(Reason::Empty));
        assert_eq!(i.text(Lang::Zh), "institutions.csv 第 4 行「机构名称」：必填，不能为空");
        assert_eq!(
            i.text(Lang::En),
            "institutions.csv row 4, column \"机构名称\": required, must not be empty"
        );
        assert_eq!(i.to_string(), i.text(Lang::Zh));
        let mut with_letter = i.clone();
        with_letter.letter = Some("B".into());
        assert_eq!(
            with_letter.text(Lang::Zh),
            "institutions.csv 第 4 行 B 列「机构名称」：必填，不能为空"
        );
        assert_eq!(
            with_letter.text(Lang::En),
            "institutions.csv row 4, column B \"机构名称\": required, must not be empty"
        );
    }

    #[test]
    fn duplicate_key() {
        let dir = tempfile::tempdir().unwrap();
        let p = csv_file(
            dir.path(),
            "d.csv",
            &format!("{HEADER}\nH45990100001,医院,,医疗机构,江北区\nH45990100001,又一家,,医疗机构,江北区\n"),
        );
        let mut r = reader(&p).unwrap();
        assert!(r.next().unwrap().is_ok());
        let issues = r.next().unwrap().unwrap_err();
        assert_eq!(issues[0].reason, Some(Reason::DuplicateKey { first_row: 2 }));
        assert_eq!(issues[0].row, 3);
        assert_eq!(issues[0].column.as_deref(), Some("机构编码"));
    }

    #[test]
    fn missing_required_column() {
        let dir = tempfile::tempdir().unwrap();
        let p = csv_file(
            dir.path(),
            "m.csv",
            "机构编码,机构名称,机构类型\nH45990100001,医院,医疗机构\n",
        );
        let issues = reader(&p).err().unwrap();
        assert_eq!(issues.len(), 1);
        let i = &issues[0];
        assert_eq!(
            (i.severity, i.row, i.column.as_deref(), i.letter.as_deref()),
            (Severity::Error, 1, Some("所属区县"), None)
        );
        assert!(matches!(i.note, Some(Note::MissingColumn { en: "region" })));
        assert!(i.text(Lang::Zh).starts_with("m.csv 第 1 行「所属区县」：缺少必填列"));
    }

    #[test]
    fn duplicate_header() {
        let dir = tempfile::tempdir().unwrap();
        let p = csv_file(dir.path(), "h.csv", &format!("{HEADER},code\n"));
        let issues = reader(&p).err().unwrap();
        assert_eq!(issues.len(), 1);
        assert_eq!(issues[0].column.as_deref(), Some("code"));
        assert!(issues[0].text(Lang::Zh).contains("「机构编码」"), "{}", issues[0]);
    }

    #[test]
    fn unknown_column_is_a_warning() {
        let dir = tempfile::tempdir().unwrap();
        let p = csv_file(
            dir.path(),
            "u.csv",
            &format!("{HEADER},备注\nH45990100001,医院,,医疗机构,江北区,随便\n"),
        );
        let mut r = reader(&p).unwrap();
        assert_eq!(r.warnings().len(), 1);
        let w = &r.warnings()[0];
        assert_eq!(w.severity, Severity::Warning);
        assert_eq!(w.column.as_deref(), Some("备注"));
        assert_eq!(w.text(Lang::Zh), "u.csv 第 1 行「备注」：未知列，已忽略");
        assert!(r.next().unwrap().is_ok());
    }

    #[test]
    fn header_only_gives_no_rows() {
        let dir = tempfile::tempdir().unwrap();
        let p = csv_file(dir.path(), "e.csv", &format!("{HEADER}\r\n"));
        let mut r = reader(&p).unwrap();
        assert!(r.next().is_none());
    }

    #[test]
    fn numeric_code_in_xlsx() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("institutions.xlsx");
        let mut wb = rust_xlsxwriter::Workbook::new();
        let ws = wb.add_worksheet();
        for (c, h) in ["机构编码", "机构名称", "机构类型", "所属区县", "成立年份"]
            .iter()
            .enumerate()
        {
            ws.write_string(0, c as u16, *h).unwrap();
        }
        ws.write_number(1, 0, 45990100001.0).unwrap();
        ws.write_string(1, 1, "医院").unwrap();
        ws.write_string(1, 2, "医疗机构").unwrap();
        ws.write_string(1, 3, "江北区").unwrap();
        ws.write_string(2, 0, "H45990100001").unwrap();
        ws.write_string(2, 1, "医院").unwrap();
        ws.write_string(2, 2, "医疗机构").unwrap();
        ws.write_string(2, 3, "江北区").unwrap();
        ws.write_number(2, 4, 2026.0).unwrap();
        wb.save(&p).unwrap();

        let mut r = reader(&p).unwrap();
        assert_eq!(r.warnings()[0].letter.as_deref(), Some("E"));
        let issues = r.next().unwrap().unwrap_err();
        assert_eq!(issues.len(), 1, "{issues:?}");
        let i = &issues[0];
        assert_eq!(i.reason, Some(Reason::NumericCode));
        assert_eq!(
            (i.row, i.letter.as_deref(), i.column.as_deref()),
            (2, Some("A"), Some("机构编码"))
        );
        assert!(
            i.text(Lang::Zh)
                .starts_with("institutions.xlsx 第 2 行 A 列「机构编码」：")
        );
        assert!(r.next().unwrap().is_ok());
    }

    #[test]
    fn source_errors_become_issues() {
        let e = SourceError::Encoding { line: 7 };
        let i = ImportIssue::from_source(&e, "x.csv");
        assert_eq!(i.row, 7);
        assert!(i.text(Lang::Zh).starts_with("x.csv 第 7 行："));
        assert!(i.text(Lang::En).starts_with("x.csv row 7: line 7"));
        let i = ImportIssue::from_source(&SourceError::Empty, "x.csv");
        assert_eq!(i.text(Lang::En), "x.csv: the file is empty (no header, no data)");
    }

    #[test]
    fn warnings_are_summarised_by_kind() {
        let dir = tempfile::tempdir().unwrap();
        let extra: String = (0..30).map(|i| format!(",备注{i}")).collect();
        let p = csv_file(dir.path(), "w.csv", &format!("{HEADER}{extra}\n"));
        let r = reader(&p).unwrap();
        assert_eq!(r.warnings().len(), 30);
        let mut warnings = r.warnings().to_vec();
        warnings.push(ImportIssue {
            severity: Severity::Warning,
            file: "w.csv".into(),
            row: 2,
            column: Some("回避机构".into()),
            letter: None,
            reason: None,
            note: Some(Note::UnknownConflict { code: "H1".into() }),
        });
        let lines = summarize_warnings(&warnings, Lang::Zh, 3);
        assert_eq!(
            lines,
            [
                "未知列，已忽略：共 30 处，例如：",
                "  w.csv 第 1 行「备注0」：未知列，已忽略",
                "  w.csv 第 1 行「备注1」：未知列，已忽略",
                "  w.csv 第 1 行「备注2」：未知列，已忽略",
                "  ……另有 27 处",
                "w.csv 第 2 行「回避机构」：回避机构“H1”不在检查对象名录库中（仍按回避处理）",
            ]
        );
        assert_eq!(summarize_warnings(&warnings[..4], Lang::En, 3).len(), 4);
    }

    #[test]
    fn keys_equal_but_for_width_or_case_are_duplicates() {
        let dir = tempfile::tempdir().unwrap();
        let p = csv_file(
            dir.path(),
            "f.csv",
            &format!("{HEADER}\nH45990100001,医院,,医疗机构,江北区\nＨ45990100001,同一家,,医疗机构,江北区\n"),
        );
        let rules = RosterRules {
            institution_code: regex::Regex::new(".+").unwrap(),
            ..RosterRules::default()
        };
        let open = || RecordReader::<Institution>::new(RowSource::open(&p, None).unwrap(), "f.csv".into(), &rules);
        let mut r = open().unwrap();
        assert!(r.next().unwrap().is_ok());
        let issues = r.next().unwrap().unwrap_err();
        assert_eq!(
            issues[0].reason,
            Some(Reason::LookalikeKey {
                first_row: 2,
                first: "H45990100001".into()
            })
        );
        assert_eq!(
            issues[0].text(Lang::Zh),
            "f.csv 第 3 行「机构编码」：与第 2 行的“H45990100001”只差全角/半角或大小写，是同一编码，重复"
        );
        // Against what is stored.
        let mut r = open().unwrap().with_existing_keys(["h45990100001".to_string()]);
        let issues = r.next().unwrap().unwrap_err();
        assert_eq!(
            issues[0].reason,
            Some(Reason::LookalikeExisting {
                existing: "h45990100001".into()
            })
        );
        assert_eq!(issues[0].row, 2);
        let mut r = open().unwrap().with_existing_keys(["H45990100001".to_string()]);
        assert!(r.next().unwrap().is_ok());
    }

    #[test]
    fn summaries_group_by_column_and_cap() {
        let issue = |row, col: &str| ImportIssue {
            severity: Severity::Error,
            file: "f.csv".into(),
            row,
            column: Some(col.into()),
            letter: None,
            reason: Some(Reason::Empty),
            note: None,
        };
        let issues = vec![
            issue(5, "机构名称"),
            issue(3, "所属区县"),
            issue(2, "机构名称"),
            issue(9, "所属区县"),
        ];
        let s = summarize(&issues, Lang::Zh, 3);
        let lines: Vec<&str> = s.lines().collect();
        assert_eq!(lines.len(), 4);
        assert!(lines[0].contains("第 2 行「机构名称」"));
        assert!(lines[1].contains("第 5 行「机构名称」"));
        assert!(lines[2].contains("第 3 行「所属区县」"));
        assert_eq!(lines[3], "……另有 1 处错误未列出");
        assert!(summarize(&issues, Lang::En, 1).ends_with("... and 3 more"));
        assert_eq!(summarize(&issues, Lang::En, 10).lines().count(), 4);
    }
}
