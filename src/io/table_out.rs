//! Writing tables for staff and for publication: CSV (UTF-8 with BOM) or xlsx.
//!
//! Every cell is written as text: codes (机构编码, 统一社会信用代码, 执法证号) must never become
//! numbers, which Excel would round to 15 significant digits.

use std::borrow::Cow;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

use anyhow::{Context, bail};
use rust_xlsxwriter::{
    DataValidation, DataValidationErrorStyle, Format, FormatAlign, FormatBorder, ProtectionOptions, Workbook, Worksheet,
};
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

/// How a worksheet reads on screen and on paper (xlsx only; CSV ignores it). The default is a
/// plain table: bold header, frozen header row, autofilter, columns fitted to the content.
#[derive(Debug, Clone, Default)]
pub struct SheetLayout {
    /// Lines above the header row, each merged across the table: the first is the title (large,
    /// bold, centred), the others facts common to every row (plan, authority, dates).
    pub title_lines: Vec<String>,
    /// Wrap text in every cell and give long text columns a bounded width, so that every line
    /// of every cell shows (the row height follows the text when the file is opened).
    pub wrap: bool,
    /// Columns in a monospace font, as wide as their longest value (digests: never clipped).
    pub mono_columns: Vec<usize>,
    /// Single cells in a monospace font, never clipped: (data row, column), 0-based.
    pub mono_cells: Vec<(usize, usize)>,
    /// Columns of amounts in yuan: written as numbers shown with two decimals (`0.00`).
    pub amount_columns: Vec<usize>,
    /// Print on A4 landscape, fitted to the page width, the header row repeated on every page.
    pub print_landscape: bool,
    /// Narrow the wide text columns (they wrap) so that the table is about one landscape page
    /// wide and prints at a readable scale; off for sheets filled in on screen.
    pub narrow_to_page: bool,
    /// Columns shown for orientation only: grey and, with `protect`, locked.
    pub info_columns: Vec<usize>,
    /// Grey and lock the information columns only in the written rows, so that rows added
    /// below (a new finding) can be filled in completely.
    pub info_only_in_written_rows: bool,
    /// Protect the sheet: information cells locked, every other cell editable; sorting,
    /// filtering, resizing and inserting rows stay allowed. No password (this guards against
    /// slips, not against anyone).
    pub protect: bool,
    /// Drop-downs (data validation).
    pub choices: Vec<Choice>,
}

/// A drop-down on one column, from the first data row to `through_row` rows below the last
/// written row (room for rows the user adds).
#[derive(Debug, Clone)]
pub struct Choice {
    pub column: usize,
    pub values: Vec<String>,
    /// Refuse other values (a single choice); otherwise only inform (e.g. several measures
    /// joined with 、).
    pub strict: bool,
    /// Shown when the cell is selected.
    pub hint: String,
    pub extra_rows: u32,
}

/// Excel's sheet limits.
const MAX_ROWS: usize = 1_048_576;
const MAX_COLS: usize = 16_384;

/// Writes `tables` to `path` in the format its extension names. CSV takes only the first table.
/// The file appears complete or not at all: it is written to a temporary file beside the target
/// and renamed over it on success.
pub fn write_table(path: &Path, tables: &[OutTable]) -> Result<(), anyhow::Error> {
    let plain = SheetLayout::default();
    let sheets: Vec<(&OutTable, &SheetLayout)> = tables.iter().map(|t| (t, &plain)).collect();
    stage_sheets(path, &sheets)?.place()
}

/// [`write_table`] with a layout per sheet.
pub fn write_sheets(path: &Path, tables: &[(&OutTable, &SheetLayout)]) -> Result<(), anyhow::Error> {
    stage_sheets(path, tables)?.place()
}

/// `write_sheets`'s file, complete and on disk but not yet in place (see `super::Staged`).
pub fn stage_sheets(path: &Path, tables: &[(&OutTable, &SheetLayout)]) -> Result<super::Staged, anyhow::Error> {
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
        TableFormat::Csv => write_csv(tmp.reopen()?, tables[0].0),
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

/// Widest column a wrapped text column gets (characters of the default font); longer text wraps.
const MAX_TEXT_WIDTH: usize = 44;
/// A monospace character is wider than the default font's `0`, in which widths are counted.
const MONO_FACTOR: f64 = 1.15;
const MONO_FONT: &str = "Courier New";
const GREY: u32 = 0xE7E6E6;
const HEADER_FILL: u32 = 0xDDE4EE;

/// The formats of one sheet.
struct Formats {
    header: Format,
    title: Format,
    fact: Format,
    body: Format,
    code: Format,
    mono: Format,
    amount: Format,
}

impl Formats {
    fn new(layout: &SheetLayout) -> Formats {
        let mut body = Format::new();
        let mut header = Format::new().set_bold();
        if layout.wrap {
            body = body
                .set_text_wrap()
                .set_align(FormatAlign::Top)
                .set_border(FormatBorder::Thin)
                .set_border_color(0xA6A6A6);
            header = header
                .set_text_wrap()
                .set_align(FormatAlign::VerticalCenter)
                .set_background_color(HEADER_FILL)
                .set_border(FormatBorder::Thin)
                .set_border_color(0xA6A6A6);
        }
        if layout.protect {
            // Cells are locked unless unlocked; under protection only information stays locked.
            body = body.set_unlocked();
        }
        Formats {
            title: Format::new()
                .set_bold()
                .set_font_size(14)
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter),
            fact: Format::new().set_text_wrap().set_align(FormatAlign::VerticalCenter),
            code: body.clone().set_num_format("@"),
            mono: body
                .clone()
                .set_num_format("@")
                .set_font_name(MONO_FONT)
                .set_font_size(10),
            amount: body.clone().set_num_format("0.00"),
            header,
            body,
        }
    }

    /// The grey, locked variant of a cell format.
    fn info(f: &Format) -> Format {
        f.clone().set_background_color(GREY).set_locked()
    }
}

fn write_xlsx(path: &Path, tables: &[(&OutTable, &SheetLayout)]) -> anyhow::Result<()> {
    let mut workbook = Workbook::new();
    let mut used: Vec<String> = Vec::new();
    for (t, (table, layout)) in tables.iter().enumerate() {
        let ncols = table
            .rows
            .iter()
            .map(Vec::len)
            .chain([table.headers.len()])
            .max()
            .unwrap_or(0);
        if table.rows.len() + 1 + layout.title_lines.len() > MAX_ROWS {
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
        write_sheet(ws, &name, table, layout, ncols)?;
    }
    workbook.save(path)?;
    Ok(())
}

/// Lines a text needs in a column `width` characters wide when wrapped. Estimated on display
/// width with a margin (a CJK character is a little wider than two `0`s), so that rows get
/// at least the height their text needs.
fn wrapped_lines(text: &str, width: f64) -> usize {
    let room = (width - 1.0).max(1.0);
    text.lines()
        .map(|l| (shown_width(l) / room).ceil().max(1.0) as usize)
        .sum::<usize>()
        .max(1)
}

/// Display width with wide characters counted a little wider than two `0`s.
fn shown_width(line: &str) -> f64 {
    use unicode_width::UnicodeWidthChar;
    line.chars()
        .map(|c| match c.width().unwrap_or(0) {
            2 => 2.1,
            w => w as f64,
        })
        .sum()
}

/// Printable width of A4 landscape with the margins below, in characters of the default font.
const A4_LANDSCAPE_WIDTH: f64 = 150.0;
/// The narrowest a wide column gets when fitting the page: a code (18 characters) still fits.
const MIN_SHRUNK_WIDTH: f64 = 20.0;
/// Points per line of 11-point text (CJK fonts need a little more than Latin ones).
const LINE_POINTS: f64 = 15.0;

/// Packs fact lines into as few rows as fit `width`, separated by wide spaces.
fn pack_facts(facts: &[String], width: f64) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for f in facts {
        match out.last_mut() {
            Some(last) if (last.width() + 4 + f.width()) as f64 <= width * 0.85 => {
                last.push_str("\u{3000}\u{3000}");
                last.push_str(f);
            }
            _ => out.push(f.clone()),
        }
    }
    out
}

fn write_sheet(
    ws: &mut Worksheet,
    name: &str,
    table: &OutTable,
    layout: &SheetLayout,
    ncols: usize,
) -> anyhow::Result<()> {
    let fm = Formats::new(layout);
    let is_code: Vec<bool> = (0..ncols).map(|c| table.code_columns.contains(&c)).collect();
    let is_mono: Vec<bool> = (0..ncols).map(|c| layout.mono_columns.contains(&c)).collect();
    let is_amount: Vec<bool> = (0..ncols).map(|c| layout.amount_columns.contains(&c)).collect();
    let is_info: Vec<bool> = (0..ncols).map(|c| layout.info_columns.contains(&c)).collect();
    let plain = !layout.wrap && !layout.protect && layout.info_columns.is_empty();
    // Every cell is written as a string cell: shown as written, never run as a formula, so xlsx
    // needs no protective `'` (that is for CSV).
    let headers: Vec<Cow<str>> = table.headers.iter().map(|h| Cow::Borrowed(h.as_str())).collect();
    let rows: Vec<Vec<Cow<str>>> = table
        .rows
        .iter()
        .map(|r| r.iter().map(|c| Cow::Borrowed(c.as_str())).collect())
        .collect();
    let mono_at = |r: usize, c: usize| is_mono[c] || layout.mono_cells.contains(&(r, c));

    // Widths: the widest line of each column; monospace text is as wide as it is, never capped.
    let mut widths: Vec<usize> = vec![0; ncols];
    let mut mono_widths: Vec<usize> = vec![0; ncols];
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            if mono_at(r, c) {
                mono_widths[c] = mono_widths[c].max(text_width(v));
            } else {
                widths[c] = widths[c].max(text_width(v));
            }
        }
    }
    let mut col_widths: Vec<f64> = (0..ncols)
        .map(|c| {
            // Room for the autofilter button; a wrapped header may take two lines.
            let header = text_width(headers.get(c).map(|h| h.as_ref()).unwrap_or("")) + 2;
            let text = if layout.wrap {
                (widths[c].max(header.min(10)).clamp(6, MAX_TEXT_WIDTH) + 2) as f64
            } else {
                widths[c].max(header).clamp(6, 60) as f64
            };
            let mono = if mono_widths[c] > 0 {
                (mono_widths[c] as f64 * MONO_FACTOR).ceil() + 2.0
            } else {
                0.0
            };
            text.max(mono)
        })
        .collect();
    if layout.narrow_to_page && layout.wrap {
        // Fit the page width at a readable scale: narrow the wide wrapping columns (not amounts
        // or monospace ones; codes and dates are narrower than the floor) so that the sheet is
        // about one landscape page wide.
        let shrinkable: Vec<bool> = (0..ncols)
            .map(|c| !is_amount[c] && mono_widths[c] == 0 && col_widths[c] > MIN_SHRUNK_WIDTH)
            .collect();
        let fixed: f64 = (0..ncols).filter(|&c| !shrinkable[c]).map(|c| col_widths[c]).sum();
        let flexible: f64 = (0..ncols).filter(|&c| shrinkable[c]).map(|c| col_widths[c]).sum();
        let room = A4_LANDSCAPE_WIDTH - fixed;
        if flexible > room && flexible > 0.0 {
            let k = (room / flexible).max(0.0);
            for c in (0..ncols).filter(|&c| shrinkable[c]) {
                col_widths[c] = (col_widths[c] * k).max(MIN_SHRUNK_WIDTH).round();
            }
        }
    }
    let total: f64 = col_widths.iter().sum();

    let mut title_lines: Vec<String> = layout.title_lines.first().cloned().into_iter().collect();
    title_lines.extend(pack_facts(layout.title_lines.get(1..).unwrap_or(&[]), total));
    let top = title_lines.len() as u32;
    let header_row = top;
    let first_data = top + 1;

    let cell_format = |c: usize| -> &Format {
        if is_mono[c] {
            &fm.mono
        } else if is_amount[c] {
            &fm.amount
        } else if is_code[c] {
            &fm.code
        } else {
            &fm.body
        }
    };
    let info_formats: Vec<Format> = (0..ncols).map(|c| Formats::info(cell_format(c))).collect();

    for (i, line) in title_lines.iter().enumerate() {
        let (format, points) = if i == 0 {
            (&fm.title, 26.0)
        } else {
            (&fm.fact, LINE_POINTS + 2.0)
        };
        let row = i as u32;
        if ncols > 1 {
            ws.merge_range(row, 0, row, (ncols - 1) as u16, line, format)?;
        } else {
            ws.write_string_with_format(row, 0, line, format)?;
        }
        // A merged cell does not grow with its text: give it the height its lines need.
        ws.set_row_height(
            row,
            points * wrapped_lines(line, total / if i == 0 { 1.6 } else { 1.0 }) as f64,
        )?;
    }
    let mut header_lines = 1;
    for (c, h) in headers.iter().enumerate() {
        if plain {
            ws.write_string_with_format(header_row, c as u16, h.as_ref(), &Format::new().set_bold())?;
        } else {
            ws.write_string_with_format(header_row, c as u16, h.as_ref(), &fm.header)?;
            header_lines = header_lines.max(wrapped_lines(h, col_widths[c] - 2.0));
        }
    }
    if layout.wrap {
        ws.set_row_height(header_row, LINE_POINTS * header_lines as f64 + 4.0)?;
    }
    for (r, row) in rows.iter().enumerate() {
        let xr = first_data + r as u32;
        let mut lines = 1;
        for (c, v) in row.iter().enumerate() {
            let info = is_info[c];
            if v.is_empty() {
                if info {
                    ws.write_blank(xr, c as u16, &info_formats[c])?;
                }
                continue;
            }
            let mono_cell = layout.mono_cells.contains(&(r, c));
            let format = if info {
                &info_formats[c]
            } else if mono_cell {
                &fm.mono
            } else {
                cell_format(c)
            };
            let written = if plain {
                if is_code[c] {
                    ws.write_string_with_format(xr, c as u16, v.as_ref(), &fm.code)
                        .map(|_| ())
                } else {
                    ws.write_string(xr, c as u16, v.as_ref()).map(|_| ())
                }
            } else if let Some(n) = is_amount[c].then(|| v.replace(',', "").parse::<f64>().ok()).flatten() {
                ws.write_number_with_format(xr, c as u16, n, format).map(|_| ())
            } else {
                ws.write_string_with_format(xr, c as u16, v.as_ref(), format)
                    .map(|_| ())
            };
            written.with_context(|| format!("「{name}」第 {} 行 {} 列", xr + 1, super::source::column_letter(c)))?;
            if !mono_at(r, c) {
                lines = lines.max(wrapped_lines(v, col_widths[c]));
            }
        }
        // Spreadsheets do not all grow a row to its wrapped text on opening (LibreOffice keeps
        // the default height): give each row the height its longest cell needs.
        if layout.wrap && lines > 1 {
            ws.set_row_height(xr, LINE_POINTS * lines as f64 + 3.0)?;
        }
    }
    for (c, width) in col_widths.iter().enumerate() {
        ws.set_column_width(c as u16, *width)?;
        // Cells typed later keep the column's format: text for codes, unlocked for input.
        let default = if is_info[c] && !layout.info_only_in_written_rows {
            Some(&info_formats[c])
        } else if plain {
            is_code[c].then_some(&fm.code)
        } else {
            Some(cell_format(c))
        };
        if let Some(f) = default {
            ws.set_column_format(c as u16, f)?;
        }
    }
    for choice in &layout.choices {
        if choice.column >= ncols || choice.values.is_empty() {
            continue;
        }
        let last = first_data + (table.rows.len() as u32).saturating_sub(1) + choice.extra_rows;
        // Excel limits an inline list to 255 characters; a longer one stays a typed column
        // (the import still checks every value).
        let Ok(v) = DataValidation::new().allow_list_strings(&choice.values) else {
            continue;
        };
        let mut v = v.ignore_blank(true).set_error_style(if choice.strict {
            DataValidationErrorStyle::Stop
        } else {
            DataValidationErrorStyle::Information
        });
        if !choice.hint.is_empty() {
            v = v.set_input_message(choice.hint.as_str())?;
        }
        ws.add_data_validation(first_data, choice.column as u16, last, choice.column as u16, &v)?;
    }
    if ncols > 0 {
        ws.set_freeze_panes(first_data, 0)?;
        ws.autofilter(header_row, 0, header_row + table.rows.len() as u32, (ncols - 1) as u16)?;
    }
    if layout.print_landscape {
        ws.set_paper_size(9);
        ws.set_landscape();
        ws.set_print_fit_to_pages(1, 0);
        ws.set_margins(0.4, 0.4, 0.6, 0.6, 0.3, 0.3);
        ws.set_repeat_rows(header_row, header_row)?;
        ws.set_print_center_horizontally(true);
        ws.set_footer("&C第 &P 页，共 &N 页");
    }
    if layout.protect {
        ws.protect_with_options(&ProtectionOptions {
            format_columns: true,
            format_rows: true,
            insert_rows: true,
            delete_rows: true,
            sort: true,
            use_autofilter: true,
            ..ProtectionOptions::new()
        });
    }
    Ok(())
}

/// The XML of one part of an xlsx file (tests check the structure people rely on).
#[cfg(test)]
pub(crate) fn xlsx_part(path: &Path, part: &str) -> String {
    let mut zip = zip::ZipArchive::new(File::open(path).unwrap()).unwrap();
    let mut s = String::new();
    std::io::Read::read_to_string(&mut zip.by_name(part).unwrap(), &mut s).unwrap();
    s
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
    fn a_sheet_for_people_wraps_fits_and_prints_landscape() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("people.xlsx");
        let t = OutTable {
            sheet_name: "公示",
            headers: vec!["序号".into(), "抽查事项".into(), "追回金额（元）".into(), "摘要".into()],
            rows: vec![vec![
                "1".into(),
                "YB-01 分解住院、挂床住院\nYB-04 串换药品、医用耗材、诊疗项目和服务设施\nYB-09 药品进销存不符".into(),
                "1234.50".into(),
                "8786705ea938adefd9858a3444f11e04a4827fce5fbfa7c9485ed197439412ba".into(),
            ]],
            code_columns: vec![],
            neutralize_formulas: true,
        };
        let layout = SheetLayout {
            title_lines: vec![
                "标题".into(),
                "检查机关：临江市医疗保障局".into(),
                "抽查计划：2026年第一批".into(),
            ],
            wrap: true,
            mono_cells: vec![(0, 3)],
            amount_columns: vec![2],
            print_landscape: true,
            narrow_to_page: true,
            ..SheetLayout::default()
        };
        write_sheets(&p, &[(&t, &layout)]).unwrap();
        let sheet = xlsx_part(&p, "xl/worksheets/sheet1.xml");
        // Two fact lines fit one title row: title, facts, then the header on row 3.
        assert!(sheet.contains(r#"<pane ySplit="3" topLeftCell="A4""#), "{sheet}");
        assert!(sheet.contains(r#"<autoFilter ref="A3:D4"/>"#), "{sheet}");
        assert!(sheet.contains(r#"<mergeCell ref="A1:D1"/>"#) && sheet.contains(r#"<mergeCell ref="A2:D2"/>"#));
        assert!(sheet.contains(r#"paperSize="9""#) && sheet.contains(r#"orientation="landscape""#));
        assert!(sheet.contains(r#"fitToHeight="0""#) && sheet.contains(r#"<pageSetUpPr fitToPage="1"/>"#));
        // The multi-line cell's row is as tall as its three lines (and more: they wrap).
        let row4 = sheet.split(r#"<row r="4""#).nth(1).unwrap();
        let ht: f64 = row4
            .split(r#"ht=""#)
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        assert!(ht >= 3.0 * LINE_POINTS, "{ht}");
        // The amount is a number, not text.
        assert!(row4.contains("<v>1234.5</v>"), "{row4}");
        // The digest's column holds all 64 characters in the monospace font.
        let widths: Vec<f64> = sheet
            .split(r#"width=""#)
            .skip(1)
            .map(|w| w.split('"').next().unwrap().parse().unwrap())
            .collect();
        assert!(widths[3] >= 64.0 * MONO_FACTOR, "{widths:?}");
        let workbook = xlsx_part(&p, "xl/workbook.xml");
        assert!(
            workbook.contains("_xlnm.Print_Titles") && workbook.contains("$3:$3"),
            "{workbook}"
        );
        let styles = xlsx_part(&p, "xl/styles.xml");
        assert!(
            styles.contains(r#"wrapText="1""#) && styles.contains(MONO_FONT) && styles.contains(r#"formatCode="0.00""#)
        );
    }

    #[test]
    fn a_form_greys_and_locks_information_and_offers_choices() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("form.xlsx");
        let t = OutTable {
            sheet_name: "检查结果",
            headers: vec!["机构名称".into(), "检查结果".into(), "处理措施".into()],
            rows: vec![vec!["一院".into(), String::new(), String::new()]],
            code_columns: vec![0, 1, 2],
            neutralize_formulas: true,
        };
        let layout = SheetLayout {
            wrap: true,
            info_columns: vec![0],
            protect: true,
            choices: vec![
                Choice {
                    column: 1,
                    values: vec!["未发现问题".into(), "发现问题已责令整改".into()],
                    strict: true,
                    hint: "从列表中选择".into(),
                    extra_rows: 0,
                },
                Choice {
                    column: 2,
                    values: vec!["约谈".into(), "追回".into()],
                    strict: false,
                    hint: String::new(),
                    extra_rows: 10,
                },
            ],
            ..SheetLayout::default()
        };
        write_sheets(&p, &[(&t, &layout)]).unwrap();
        let sheet = xlsx_part(&p, "xl/worksheets/sheet1.xml");
        assert!(sheet.contains("<sheetProtection"), "{sheet}");
        assert!(
            sheet.contains(r#"sort="0""#) && sheet.contains(r#"autoFilter="0""#),
            "{sheet}"
        );
        assert!(
            sheet.contains(r#"sqref="B2""#) && sheet.contains("<formula1>\"未发现问题,发现问题已责令整改\"</formula1>")
        );
        assert!(
            sheet.contains(r#"errorStyle="information""#) && sheet.contains(r#"sqref="C2:C12""#),
            "{sheet}"
        );
        let styles = xlsx_part(&p, "xl/styles.xml");
        assert!(styles.contains(r#"rgb="FFE7E6E6""#), "{styles}");
        assert!(styles.contains(r#"<protection locked="0"/>"#), "{styles}");
        // Still read back as usual.
        let mut src = RowSource::open(&p, None).unwrap();
        assert_eq!(src.headers(), ["机构名称", "检查结果", "处理措施"]);
        assert_eq!(src.next_row().unwrap().unwrap().cells[0], Cell::Text("一院".into()));
    }

    #[test]
    fn widths_count_cjk_as_two() {
        assert_eq!(text_width("机构"), 4);
        assert_eq!(text_width("ab\n机构名称"), 8);
    }
}
