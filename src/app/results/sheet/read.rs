//! Reading one sheet of a results workbook: columns matched by header, rows keyed by task.

use std::collections::HashMap;
use std::path::Path;

use super::{COL_INST, COL_PLAN, COL_SEQ, Col, INFO_HEADERS, SHEET_MAIN, norm_header, sheet_cols, without_unit};
use crate::domain::results::Field;
use crate::io::records::unneutralize;
use crate::io::{Cell, ImportIssue, Note, RowSource, Severity, SourceError, column_letter};

/// One read sheet.
pub(super) struct Sheet {
    label: String,
    spreadsheet: bool,
    /// Column → (header as written, 0-based index).
    columns: HashMap<Col, (String, usize)>,
    pub(super) rows: Vec<SheetRow>,
}

pub(super) struct SheetRow {
    pub(super) row: usize,
    pub(super) key: Option<(i64, u32, String)>,
    pub(super) values: HashMap<Field, String>,
}

impl Sheet {
    fn locate(&self, col: Col) -> (String, Option<String>) {
        match self.columns.get(&col) {
            Some((h, i)) => (h.clone(), self.spreadsheet.then(|| column_letter(*i))),
            None => (
                match col {
                    Col::Plan => COL_PLAN.to_string(),
                    Col::Seq => COL_SEQ.to_string(),
                    Col::Inst => COL_INST.to_string(),
                    Col::F(f) => f.zh().to_string(),
                },
                None,
            ),
        }
    }

    pub(super) fn issue(&self, severity: Severity, row: usize, col: Option<Col>, zh: &str, en: &str) -> ImportIssue {
        let (column, letter) = match col {
            Some(c) => {
                let (h, l) = self.locate(c);
                (Some(h), l)
            }
            None => (None, None),
        };
        ImportIssue {
            severity,
            file: self.label.clone(),
            row,
            column,
            letter,
            reason: None,
            note: Some(Note::Source {
                zh: zh.into(),
                en: en.into(),
            }),
        }
    }

    /// An issue about a header cell (`header` as written, 0-based column index), rather than a
    /// known field's column.
    fn header_issue(
        &self,
        severity: Severity,
        row: usize,
        (header, index): (&String, usize),
        zh: &str,
        en: &str,
    ) -> ImportIssue {
        let mut issue = self.issue(severity, row, None, zh, en);
        issue.column = Some(header.clone());
        issue.letter = self.spreadsheet.then(|| column_letter(index));
        issue
    }
}

/// Reads one sheet of the results workbook; `Ok(None)` when an optional sheet is absent.
pub(super) fn read_sheet(
    path: &Path,
    file: &str,
    name: &str,
    workbook: bool,
    warnings: &mut Vec<ImportIssue>,
    errors: &mut Vec<ImportIssue>,
) -> Option<Sheet> {
    let source = if workbook {
        match RowSource::open(path, Some(name)) {
            Err(SourceError::UnknownSheet { .. }) if name == SHEET_MAIN => RowSource::open(path, None),
            Err(SourceError::UnknownSheet { .. }) => return None,
            other => other,
        }
    } else if name == SHEET_MAIN {
        RowSource::open(path, None)
    } else {
        return None;
    };
    let label = if workbook {
        format!("{file}「{name}」")
    } else {
        file.to_string()
    };
    let mut source = match source {
        Ok(s) => s,
        Err(SourceError::Empty) if name != SHEET_MAIN => return None,
        Err(e) => {
            errors.push(ImportIssue::from_source(&e, label));
            return None;
        }
    };
    let defs = sheet_cols(name);
    let mut sheet = Sheet {
        label,
        spreadsheet: source.is_spreadsheet(),
        columns: HashMap::new(),
        rows: Vec::new(),
    };
    let header_row = source.header_row();
    for (i, h) in source.headers().iter().enumerate() {
        if h.is_empty() {
            continue;
        }
        let n = norm_header(h);
        let lower = n.to_lowercase();
        let def = defs.iter().find(|d| {
            let z = norm_header(d.zh);
            z == n || without_unit(&z) == n || d.en == lower
        });
        let col = match def {
            Some(d) => d.col,
            None if INFO_HEADERS.iter().any(|x| norm_header(x) == n) => continue,
            None => {
                warnings.push(sheet.header_issue(
                    Severity::Warning,
                    header_row,
                    (h, i),
                    "未知列，已忽略",
                    "unknown column, ignored",
                ));
                continue;
            }
        };
        if let Some((first, _)) = sheet.columns.get(&col) {
            let zh = format!("与前面的「{first}」列对应同一字段，重复");
            let en = format!("duplicates the column \"{first}\" (same field)");
            errors.push(sheet.header_issue(Severity::Error, header_row, (h, i), &zh, &en));
            continue;
        }
        sheet.columns.insert(col, (h.clone(), i));
    }
    let mut missing = false;
    for d in defs.iter().filter(|d| d.required) {
        if !sheet.columns.contains_key(&d.col) {
            missing = true;
            let en = format!("required column is missing (header: Chinese name or {})", d.en);
            errors.push(sheet.issue(Severity::Error, header_row, Some(d.col), "缺少必填列", &en));
        }
    }
    if missing {
        return None;
    }
    let cols: Vec<(Col, usize)> = sheet.columns.iter().map(|(c, (_, i))| (*c, *i)).collect();
    while let Some(next) = source.next_row() {
        let raw = match next {
            Ok(r) => r,
            Err(e) => {
                errors.push(ImportIssue::from_source(&e, sheet.label.clone()));
                break;
            }
        };
        let mut values: HashMap<Field, String> = HashMap::new();
        let (mut plan, mut seq, mut inst) = (String::new(), String::new(), String::new());
        let mut bad_key = false;
        for &(col, i) in &cols {
            let cell = raw.cells.get(i).cloned().unwrap_or(Cell::Empty);
            let text = match cell {
                Cell::Error(e) => {
                    errors.push(sheet.issue(
                        Severity::Error,
                        raw.row,
                        Some(col),
                        &format!("单元格是 Excel 错误值 {e}"),
                        &format!("the cell holds the Excel error {e}"),
                    ));
                    bad_key |= matches!(col, Col::Plan | Col::Seq | Col::Inst);
                    continue;
                }
                Cell::Number(_) if col == Col::Inst => {
                    errors.push(sheet.issue(
                        Severity::Error,
                        raw.row,
                        Some(col),
                        "编码列是数字单元格（Excel 会丢失长数字的位数），请将该列设为文本后重新录入",
                        "a code column holds a number cell; format the column as text and re-enter it",
                    ));
                    bad_key = true;
                    continue;
                }
                c => c.to_text(),
            };
            match col {
                Col::Plan => plan = text.trim().to_string(),
                Col::Seq => seq = text.trim().to_string(),
                Col::Inst => inst = text.trim().to_string(),
                Col::F(f) => {
                    values.insert(f, unneutralize(text));
                }
            }
        }
        let plan_id = plan.parse::<i64>().ok().filter(|n| *n > 0);
        let seq_no = seq.parse::<u32>().ok().filter(|n| *n > 0);
        let blank = values.values().all(|v| v.trim().is_empty());
        let empty_row = blank && plan.is_empty() && seq.is_empty() && inst.is_empty();
        if !bad_key && !empty_row {
            for (ok, col, value) in [
                (plan_id.is_some(), Col::Plan, &plan),
                (seq_no.is_some(), Col::Seq, &seq),
                (!inst.is_empty(), Col::Inst, &inst),
            ] {
                if !ok {
                    bad_key = true;
                    let (zh, en) = if value.is_empty() {
                        ("必填，不能为空".to_string(), "required, must not be empty".to_string())
                    } else {
                        (
                            format!("“{value}”不是正整数"),
                            format!("'{value}' is not a positive whole number"),
                        )
                    };
                    errors.push(sheet.issue(Severity::Error, raw.row, Some(col), &zh, &en));
                }
            }
        }
        sheet.rows.push(SheetRow {
            row: raw.row,
            key: match (plan_id, seq_no, bad_key) {
                (Some(p), Some(s), false) => Some((p, s, inst)),
                _ => None,
            },
            values,
        });
    }
    Some(sheet)
}
