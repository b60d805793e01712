//! Writing tables for staff and for publication: CSV (UTF-8 with BOM) or xlsx.
//!
//! Every cell is written as text: codes (机构编码, 统一社会信用代码, 执法证号) must never become
//! numbers, which Excel would round to 15 significant digits.

use std::borrow::Cow;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

use anyhow::{Context, bail};
use rust_xlsxwriter::{Format, Workbook};
use unicode_width::UnicodeWidthStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TableFormat {
    Csv,
    Xlsx,
}

impl TableFormat {
    /// By extension, case-insensitive: `.csv` or `.xlsx`.
    pub fn from_path(path: &Path) -> Option<TableFormat> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "csv" => Some(TableFormat::Csv),
            "xlsx" => Some(TableFormat::Xlsx),
            _ => None,
        }
    }
}

/// One table: a worksheet in xlsx, the whole file in CSV.
#[derive(Debug, Clone)]
pub struct OutTable<'a> {
    pub sheet_name: &'a str,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
    /// Columns (0-based) that hold codes: in xlsx they also get the text number format `@`, so
    /// that values typed into them later stay text.
    pub code_columns: Vec<usize>,
    /// CSV only: prefix `'` to cells starting with `=`, `+`, `-`, `@`, TAB or CR, so that a
    /// spreadsheet opening the file never runs them as formulas (CSV injection). xlsx cells are
    /// always written as text cells, which no spreadsheet runs, so they need no prefix.
    pub neutralize_formulas: bool,
}

/// Excel's sheet limits.
const MAX_ROWS: usize = 1_048_576;
const MAX_COLS: usize = 16_384;

/// Writes `tables` to `path` in the format its extension names. CSV takes only the first table.
/// The file appears complete or not at all: it is written to a temporary file beside the target
/// and renamed over it on success.
pub fn write_table(path: &Path, tables: &[OutTable]) -> Result<(), anyhow::Error> {
    stage_table(path, tables)?.place()
}

/// `write_table`'s file, complete and on disk but not yet in place (see `super::Staged`).
pub fn stage_table(path: &Path, tables: &[OutTable]) -> Result<super::Staged, anyhow::Error> {
    let Some(format) = TableFormat::from_path(path) else {
        bail!(
            "不支持的导出格式（扩展名应为 .csv 或 .xlsx）/ unsupported output format (use .csv or .xlsx): {}",
            path.display()
        );
    };
    if tables.is_empty() {
        bail!("没有要写出的表 / no table to write: {}", path.display());
    }
    super::stage(path, |tmp| match format {
        TableFormat::Csv => write_csv(tmp.reopen()?, &tables[0]),
        TableFormat::Xlsx => write_xlsx(tmp.path(), tables),
    })
}

fn neutralize(cell: &str, on: bool) -> Cow<'_, str> {
    if on {
        super::disclosure_out::neutralize(cell)
    } else {
        Cow::Borrowed(cell)
    }
}

/// UTF-8 with a BOM (without it Excel and WPS read the file as GBK and garble Chinese) and CRLF
/// line ends (what Excel/WPS write themselves; Notepad on older Windows needs them).
///
/// CSV has no cell types: Excel opening it directly will still show an 18-digit code as
/// `1.21E+17`. Export xlsx for staff who open files in Excel; CSV is for re-import and systems.
fn write_csv(file: File, table: &OutTable) -> anyhow::Result<()> {
    let mut out = BufWriter::new(file);
    out.write_all(b"\xEF\xBB\xBF")?;
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .flexible(true)
        .from_writer(&mut out);
    let on = table.neutralize_formulas;
    for row in std::iter::once(&table.headers).chain(&table.rows) {
        for cell in row {
            w.write_field(neutralize(cell, on).as_bytes())?;
        }
        w.write_record(None::<&[u8]>)?;
    }
    w.flush()?;
    drop(w);
    let file = out.into_inner().map_err(|e| e.into_error())?;
    file.sync_all()?;
    Ok(())
}

/// Display width of a cell: its widest line, CJK characters counting 2.
fn text_width(s: &str) -> usize {
    s.lines().map(UnicodeWidthStr::width).max().unwrap_or(0)
}

/// A valid, unique worksheet name: at most 31 characters, none of `[]:*?/\`, no leading or
/// trailing apostrophe.
fn sheet_name(wanted: &str, index: usize, used: &[String]) -> String {
    let cleaned: String = wanted
        .chars()
        .map(|c| {
            if matches!(c, '[' | ']' | ':' | '*' | '?' | '/' | '\\') || c.is_control() {
                '_'
            } else {
                c
            }
        })
        .collect();
    let cleaned = cleaned.trim().trim_matches('\'').trim();
    let base: String = if cleaned.is_empty() {
        format!("Sheet{}", index + 1)
    } else {
        cleaned.chars().take(31).collect()
    };
    let taken = |n: &str| used.iter().any(|u| u.to_lowercase() == n.to_lowercase());
    if !taken(&base) {
        return base;
    }
    (2..)
        .map(|k| {
            let suffix = format!("({k})");
            let head: String = base.chars().take(31 - suffix.chars().count()).collect();
            format!("{head}{suffix}")
        })
        .find(|n| !taken(n))
        .expect("some suffix is free")
}

fn write_xlsx(path: &Path, tables: &[OutTable]) -> anyhow::Result<()> {
    let mut workbook = Workbook::new();
    let header_format = Format::new().set_bold();
    let text_format = Format::new().set_num_format("@");
    let mut used: Vec<String> = Vec::new();
    for (t, table) in tables.iter().enumerate() {
        let ncols = table
            .rows
            .iter()
            .map(Vec::len)
            .chain([table.headers.len()])
            .max()
            .unwrap_or(0);
        if table.rows.len() + 1 > MAX_ROWS {
            bail!(
                "「{}」有 {} 行，超过 Excel 的 {} 行上限，请改用 CSV / too many rows for Excel; use CSV",
                table.sheet_name,
                table.rows.len(),
                MAX_ROWS - 1
            );
        }
        if ncols > MAX_COLS {
            bail!(
                "「{}」列数超过 Excel 上限 / too many columns for Excel",
                table.sheet_name
            );
        }
        let name = sheet_name(table.sheet_name, t, &used);
        used.push(name.clone());
        let ws = workbook.add_worksheet();
        ws.set_name(&name)?;
        let mut widths: Vec<usize> = vec![0; ncols];
        for (c, h) in table.headers.iter().enumerate() {
            ws.write_string_with_format(0, c as u16, h, &header_format)?;
            // Room for the autofilter button.
            widths[c] = text_width(h) + 2;
        }
        let is_code: Vec<bool> = (0..ncols).map(|c| table.code_columns.contains(&c)).collect();
        for (r, row) in table.rows.iter().enumerate() {
            let xr = (r + 1) as u32;
            for (c, cell) in row.iter().enumerate() {
                if cell.is_empty() {
                    continue;
                }
                // A string cell: shown as written, never run as a formula.
                let written = if is_code[c] {
                    ws.write_string_with_format(xr, c as u16, cell, &text_format)
                        .map(|_| ())
                } else {
                    ws.write_string(xr, c as u16, cell).map(|_| ())
                };
                written.with_context(|| format!("「{name}」第 {} 行 {} 列", r + 2, super::source::column_letter(c)))?;
                widths[c] = widths[c].max(text_width(cell));
            }
        }
        for (c, w) in widths.iter().enumerate() {
            if is_code[c] {
                ws.set_column_format(c as u16, &text_format)?;
            }
            ws.set_column_width(c as u16, (*w).clamp(6, 60) as f64)?;
        }
        if ncols > 0 {
            ws.set_freeze_panes(1, 0)?;
            ws.autofilter(0, 0, table.rows.len() as u32, (ncols - 1) as u16)?;
        }
    }
    workbook.save(path)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Institution, Record, RosterRules};
    use crate::io::{Cell, RecordReader, RowSource};

    fn institution() -> Institution {
        let cells: Vec<String> = [
            "H45990100001",
            "临江市第一人民医院",
            "12100000400000624D",
            "医疗机构",
            "公立",
            "三级甲等",
            "江北区",
            "A",
            "江北路1号，\"东\"门",
            "张三",
            "013900000000",
            "在册",
        ]
        .map(String::from)
        .to_vec();
        Institution::parse(cells, &RosterRules::default()).unwrap()
    }

    fn table(inst: &Institution) -> OutTable<'static> {
        OutTable {
            sheet_name: "检查对象名录",
            headers: Institution::FIELDS.iter().map(|f| f.zh.to_string()).collect(),
            rows: vec![inst.to_cells()],
            code_columns: vec![0, 2],
            neutralize_formulas: false,
        }
    }

    fn read_back(path: &Path) -> Vec<Institution> {
        let src = RowSource::open(path, None).unwrap();
        let r = RecordReader::<Institution>::new(src, "t".into(), &RosterRules::default()).unwrap();
        assert!(r.warnings().is_empty());
        r.map(|x| x.unwrap().1).collect()
    }

    #[test]
    fn formats_by_extension() {
        assert_eq!(TableFormat::from_path(Path::new("a/b.CSV")), Some(TableFormat::Csv));
        assert_eq!(TableFormat::from_path(Path::new("结果.Xlsx")), Some(TableFormat::Xlsx));
        assert_eq!(TableFormat::from_path(Path::new("x.xls")), None);
        assert_eq!(TableFormat::from_path(Path::new("x")), None);
    }

    #[test]
    fn csv_round_trip() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("out.csv");
        let inst = institution();
        write_table(&p, &[table(&inst)]).unwrap();
        let bytes = std::fs::read(&p).unwrap();
        assert!(bytes.starts_with("\u{feff}机构编码,".as_bytes()));
        assert!(bytes.windows(2).any(|w| w == b"\r\n"));
        assert_eq!(read_back(&p), vec![inst]);
        // Only the output file is left.
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn xlsx_round_trip_keeps_codes_text() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("out.xlsx");
        let inst = institution();
        let mut second = table(&inst);
        second.sheet_name = "检查对象名录";
        write_table(&p, &[table(&inst), second]).unwrap();
        assert_eq!(read_back(&p), vec![inst.clone()]);
        let mut src = RowSource::open(&p, Some("检查对象名录(2)")).unwrap();
        let row = src.next_row().unwrap().unwrap();
        assert_eq!(row.cells[2], Cell::Text("12100000400000624D".into()));
        assert_eq!(row.cells[10], Cell::Text("013900000000".into()));
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn eighteen_digit_code_stays_exact() {
        let dir = tempfile::tempdir().unwrap();
        let code = "123456789012345678";
        for name in ["c.csv", "c.xlsx"] {
            let p = dir.path().join(name);
            let t = OutTable {
                sheet_name: "证号",
                headers: vec!["执法证号".into(), "姓名".into()],
                rows: vec![vec![code.into(), "李四".into()]],
                code_columns: vec![0],
                neutralize_formulas: true,
            };
            write_table(&p, &[t]).unwrap();
            let mut src = RowSource::open(&p, None).unwrap();
            let row = src.next_row().unwrap().unwrap();
            assert_eq!(
                row.cells,
                [Cell::Text(code.into()), Cell::Text("李四".into())],
                "{name}"
            );
        }
    }

    #[test]
    fn formulas_are_neutralized() {
        let dir = tempfile::tempdir().unwrap();
        let cells = ["=1+1", "+86", "-2", "@SUM(A1)", "\tx", "安全", "a=b"];
        for name in ["f.csv", "f.xlsx"] {
            let p = dir.path().join(name);
            let t = OutTable {
                sheet_name: "s",
                headers: (0..cells.len()).map(|i| format!("列{i}")).collect(),
                rows: vec![cells.iter().map(|s| s.to_string()).collect()],
                code_columns: vec![],
                neutralize_formulas: true,
            };
            write_table(&p, &[t]).unwrap();
            let mut src = RowSource::open(&p, None).unwrap();
            let got: Vec<String> = src
                .next_row()
                .unwrap()
                .unwrap()
                .cells
                .iter()
                .map(Cell::to_text)
                .collect();
            // CSV has no cell types: the prefix keeps a spreadsheet from running the cell. An
            // xlsx string cell is never run, and shows exactly what was written.
            let expected = if name.ends_with("csv") {
                ["'=1+1", "'+86", "'-2", "'@SUM(A1)", "'\tx", "安全", "a=b"]
            } else {
                cells
            };
            assert_eq!(got, expected, "{name}");
        }
        assert_eq!(neutralize("=x", false), "=x");
    }

    #[test]
    fn failure_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("big.xlsx");
        std::fs::write(&p, b"old").unwrap();
        let t = OutTable {
            sheet_name: "s",
            headers: vec!["a".into()],
            rows: vec![vec!["x".repeat(40_000)]],
            code_columns: vec![],
            neutralize_formulas: false,
        };
        assert!(write_table(&p, &[t]).is_err());
        assert_eq!(std::fs::read(&p).unwrap(), b"old");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
        assert!(write_table(&dir.path().join("x.pdf"), &[]).is_err());
    }

    #[test]
    fn sheet_names_are_made_valid() {
        assert_eq!(sheet_name("a/b:c", 0, &[]), "a_b_c");
        assert_eq!(sheet_name("", 1, &[]), "Sheet2");
        assert_eq!(sheet_name("'x'", 0, &[]), "x");
        assert_eq!(sheet_name("S", 0, &["s".into()]), "S(2)");
        assert_eq!(sheet_name(&"长".repeat(40), 0, &[]).chars().count(), 31);
    }

    #[test]
    fn widths_count_cjk_as_two() {
        assert_eq!(text_width("机构"), 4);
        assert_eq!(text_width("ab\n机构名称"), 8);
    }
}
