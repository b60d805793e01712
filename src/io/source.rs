//! Reading staff spreadsheets (CSV in whatever encoding WPS/Excel produced, or a workbook) into
//! raw rows numbered the way the spreadsheet shows them.
//!
//! Memory: a CSV file is read into memory once (`Vec<u8>`). UTF-8 text is parsed in place
//! (validated with `std::str::from_utf8`, never copied); GB18030/GBK and UTF-16 text is decoded
//! on the fly in small chunks while the CSV parser pulls from it, so peak memory stays near
//! 1× the file size. Workbooks are read through calamine: `.xlsx`/`.xlsm`/`.xlsb` streamed row
//! by row after their zip parts are size-checked (`workbook.rs`), `.xls`/`.ods` loaded whole.

use std::collections::VecDeque;
use std::fmt;
use std::fs;
use std::io::{self, Cursor, Read};
use std::path::{Path, PathBuf};

use calamine::{Data, Range, Reader, open_workbook_auto};
use encoding_rs::{DecoderResult, Encoding, GB18030, UTF_16BE, UTF_16LE};

use super::workbook::MAX_CELL_CHARS;
use crate::i18n::Lang;

/// One cell as read from the file.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Number(f64),
    Bool(bool),
    /// A date/time cell of a workbook, as an ISO 8601 string (`2026-03-01` or `2026-03-01T08:30:00`).
    Date(String),
    /// An Excel error value such as `#N/A`.
    Error(String),
}

impl Cell {
    /// Empty, or text made only of whitespace.
    pub fn is_blank(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(s) => s.trim().is_empty(),
            _ => false,
        }
    }

    /// The cell as text: integral numbers without a trailing `.0`, booleans as 是/否.
    pub fn to_text(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(s) | Cell::Date(s) | Cell::Error(s) => s.clone(),
            Cell::Number(n) => number_text(*n),
            Cell::Bool(b) => if *b { "是" } else { "否" }.to_string(),
        }
    }
}

/// `2026.0` → `2026`; other values in Rust's shortest round-trip form (never exponent notation).
pub fn number_text(n: f64) -> String {
    if n.is_finite() && n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

/// One non-blank data row. `row` is 1-based as the spreadsheet shows it (the header is row 1);
/// `cells[i]` is column `column_letter(i)`.
#[derive(Debug, Clone, PartialEq)]
pub struct RawRow {
    pub row: usize,
    pub cells: Vec<Cell>,
}

/// Spreadsheet column name of a 0-based column index: 0 → A, 25 → Z, 26 → AA.
pub fn column_letter(index0: usize) -> String {
    let mut n = index0 + 1;
    let mut out = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        out.push(b'A' + rem as u8);
        n = (n - 1) / 26;
    }
    out.reverse();
    String::from_utf8(out).expect("ASCII letters")
}

/// Why a file could not be read.
#[derive(Debug)]
pub enum SourceError {
    /// The file could not be opened or read.
    Io { path: PathBuf, source: io::Error },
    /// No content: 0 bytes, only a BOM or whitespace, or only blank rows.
    Empty,
    /// The bytes are neither UTF-8 nor GB18030/GBK (nor valid UTF-16 after a UTF-16 BOM).
    /// `line` is 1-based: the line of the first undecodable byte.
    Encoding { line: usize },
    /// The requested worksheet does not exist.
    UnknownSheet { requested: String, available: Vec<String> },
    /// The content is an Excel workbook but the file name does not say so (e.g. `名单.csv`).
    MisnamedWorkbook { path: PathBuf },
    /// calamine could not read the workbook.
    Workbook { path: PathBuf, message: String },
    /// The CSV reader failed while reading (`line` is 1-based, 0 when unknown).
    Csv { line: usize, message: String },
    /// A workbook refused before or while reading it, so that it cannot exhaust memory.
    WorkbookRefused {
        path: PathBuf,
        sheet: Option<String>,
        why: super::workbook::Hostile,
    },
    /// A cell longer than Excel's 32,767 characters: no xlsx file could hold it again.
    /// `row` is 1-based as the spreadsheet shows it, `column` 0-based.
    CellTooLong {
        sheet: Option<String>,
        row: usize,
        column: usize,
        chars: usize,
    },
    /// A quoted CSV cell whose closing quote never comes: the rest of the file would be one cell.
    /// `line` is the 1-based line where the quote opens, `column` the 0-based field.
    UnclosedQuote { line: usize, column: usize },
    /// One CSV row longer than [`MAX_ROW_BYTES`] (`line` 1-based, where it starts).
    RowTooLong { line: usize },
}

/// The most bytes one CSV row may take: far beyond any roster row, small enough that a
/// hostile file cannot make the parser hold gigabytes.
pub const MAX_ROW_BYTES: u64 = 32 << 20;

impl SourceError {
    /// The 1-based line (row) this error is about, when there is one.
    pub fn line(&self) -> Option<usize> {
        match self {
            SourceError::Encoding { line } => Some(*line),
            SourceError::Csv { line, .. } if *line > 0 => Some(*line),
            SourceError::CellTooLong { row, .. } => Some(*row),
            SourceError::UnclosedQuote { line, .. } | SourceError::RowTooLong { line } => Some(*line),
            _ => None,
        }
    }

    /// The 0-based column this error is about, when there is one.
    pub fn column(&self) -> Option<usize> {
        match self {
            SourceError::CellTooLong { column, .. } | SourceError::UnclosedQuote { column, .. } => Some(*column),
            _ => None,
        }
    }

    pub fn text(&self, lang: Lang) -> String {
        use Lang::*;
        match (self, lang) {
            (SourceError::Io { path, source }, Zh) => {
                format!("无法读取文件 {}：{source}", path.display())
            }
            (SourceError::Io { path, source }, En) => {
                format!("cannot read {}: {source}", path.display())
            }
            (SourceError::Empty, Zh) => "文件是空的（没有表头和数据）".into(),
            (SourceError::Empty, En) => "the file is empty (no header, no data)".into(),
            (SourceError::Encoding { line }, Zh) => format!(
                "第 {line} 行含有无法识别的字节：文件既不是 UTF-8 也不是 GBK（GB18030）编码，请在 WPS/Excel 中另存为“CSV UTF-8”或 .xlsx 后重试"
            ),
            (SourceError::Encoding { line }, En) => format!(
                "line {line} holds undecodable bytes: the file is neither UTF-8 nor GBK (GB18030); save it as \"CSV UTF-8\" or .xlsx and retry"
            ),
            (SourceError::UnknownSheet { requested, available }, Zh) => {
                format!(
                    "工作簿中没有名为「{requested}」的工作表（现有：{}）",
                    available.join("、")
                )
            }
            (SourceError::UnknownSheet { requested, available }, En) => {
                format!(
                    "the workbook has no sheet named \"{requested}\" (sheets: {})",
                    available.join(", ")
                )
            }
            (SourceError::MisnamedWorkbook { path }, Zh) => format!(
                "{} 的内容是 Excel 工作簿而不是文本 CSV，请把扩展名改为 .xlsx（或 .xls）后重试",
                path.display()
            ),
            (SourceError::MisnamedWorkbook { path }, En) => format!(
                "{} is an Excel workbook, not a CSV text file; rename it to .xlsx (or .xls) and retry",
                path.display()
            ),
            (SourceError::Workbook { path, message }, Zh) => {
                format!("无法读取工作簿 {}：{message}", path.display())
            }
            (SourceError::Workbook { path, message }, En) => {
                format!("cannot read the workbook {}: {message}", path.display())
            }
            (SourceError::Csv { line, message }, Zh) if *line > 0 => {
                format!("第 {line} 行读取失败：{message}")
            }
            (SourceError::Csv { message, .. }, Zh) => format!("读取失败：{message}"),
            (SourceError::Csv { line, message }, En) if *line > 0 => {
                format!("reading line {line} failed: {message}")
            }
            (SourceError::Csv { message, .. }, En) => format!("reading failed: {message}"),
            (SourceError::WorkbookRefused { path, sheet, why }, Zh) => {
                let sheet = sheet.as_ref().map(|s| format!("（工作表「{s}」）")).unwrap_or_default();
                format!("已拒绝工作簿 {}{sheet}：{}", path.display(), why.text(Zh))
            }
            (SourceError::WorkbookRefused { path, sheet, why }, En) => {
                let sheet = sheet.as_ref().map(|s| format!(" (sheet \"{s}\")")).unwrap_or_default();
                format!("refused the workbook {}{sheet}: {}", path.display(), why.text(En))
            }
            (
                SourceError::CellTooLong {
                    sheet,
                    row,
                    column,
                    chars,
                },
                Zh,
            ) => {
                let sheet = sheet.as_ref().map(|s| format!("工作表「{s}」")).unwrap_or_default();
                format!(
                    "{sheet}第 {row} 行 {} 列的单元格有 {chars} 个字符，超过 Excel 单元格 {} 个字符的上限",
                    column_letter(*column),
                    super::workbook::MAX_CELL_CHARS
                )
            }
            (
                SourceError::CellTooLong {
                    sheet,
                    row,
                    column,
                    chars,
                },
                En,
            ) => {
                let sheet = sheet.as_ref().map(|s| format!("sheet \"{s}\" ")).unwrap_or_default();
                format!(
                    "{sheet}row {row}, column {}: the cell holds {chars} characters, over Excel's limit of {}",
                    column_letter(*column),
                    super::workbook::MAX_CELL_CHARS
                )
            }
            (SourceError::UnclosedQuote { line, column }, Zh) => format!(
                "第 {line} 行第 {} 列（{}）以引号 \" 开始的单元格没有闭合的引号（未闭合的引号），其后的内容都会被读进这一格；请补上引号或删去多余的引号",
                column + 1,
                column_letter(*column)
            ),
            (SourceError::UnclosedQuote { line, column }, En) => format!(
                "line {line}, field {} ({}): the cell opens a quote \" that is never closed (unclosed quote), so the rest of the file would fall into it; close or remove the quote",
                column + 1,
                column_letter(*column)
            ),
            (SourceError::RowTooLong { line }, Zh) => format!(
                "从第 {line} 行开始的一行超过 {} MB，不是名录或结果表的一行（可能有未闭合的引号）",
                MAX_ROW_BYTES >> 20
            ),
            (SourceError::RowTooLong { line }, En) => format!(
                "the row starting at line {line} is over {} MB: no roster or results row is (an unclosed quote?)",
                MAX_ROW_BYTES >> 20
            ),
        }
    }
}

impl fmt::Display for SourceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text(Lang::Zh))
    }
}

impl std::error::Error for SourceError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            SourceError::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}

/// Rows of one CSV file or one worksheet, header first.
pub struct RowSource {
    headers: Vec<String>,
    header_row: usize,
    spreadsheet: bool,
    inner: Inner,
    finished: bool,
}

enum Inner {
    Csv(Box<CsvRows>),
    Sheet(SheetRows),
    Streamed(super::workbook::StreamedRows),
}

impl fmt::Debug for RowSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RowSource")
            .field("headers", &self.headers)
            .field("header_row", &self.header_row)
            .field("spreadsheet", &self.spreadsheet)
            .finish_non_exhaustive()
    }
}

impl RowSource {
    /// Opens `path`: `.xlsx`/`.xlsm` (and `.xls`/`.xlsb`/`.ods`) as a workbook — `sheet` picks a
    /// worksheet by name, default the first — anything else as CSV text.
    pub fn open(path: &Path, sheet: Option<&str>) -> Result<RowSource, SourceError> {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .unwrap_or_default();
        let mut source = match ext.as_str() {
            "xlsx" | "xlsm" | "xlsb" => open_streamed(path, sheet, ext == "xlsb")?,
            "xls" | "ods" => open_workbook(path, sheet)?,
            _ => open_csv(path)?,
        };
        source.read_header()?;
        Ok(source)
    }

    /// The header cells: trimmed, BOM removed. For a workbook whose used range starts right of
    /// column A, the leading columns have empty headers so that indexes match column letters.
    pub fn headers(&self) -> &[String] {
        &self.headers
    }

    /// The row number of the header (1 unless blank rows precede it).
    pub fn header_row(&self) -> usize {
        self.header_row
    }

    /// True for workbooks (column letters are meaningful to the user), false for CSV.
    pub fn is_spreadsheet(&self) -> bool {
        self.spreadsheet
    }

    /// The next non-blank data row. After an error, iteration ends.
    pub fn next_row(&mut self) -> Option<Result<RawRow, SourceError>> {
        if self.finished {
            return None;
        }
        let next = match &mut self.inner {
            Inner::Csv(c) => c.next(),
            Inner::Sheet(s) => s.next().map(Ok),
            Inner::Streamed(s) => s.next(),
        };
        if !matches!(next, Some(Ok(_))) {
            self.finished = true;
        }
        next
    }

    fn read_header(&mut self) -> Result<(), SourceError> {
        let first = match &mut self.inner {
            Inner::Csv(c) => c.next().transpose()?,
            Inner::Sheet(s) => s.next(),
            Inner::Streamed(s) => s.next().transpose()?,
        };
        let Some(first) = first else {
            return Err(SourceError::Empty);
        };
        self.header_row = first.row;
        self.headers = first
            .cells
            .iter()
            .map(|c| {
                c.to_text()
                    .trim_matches(|ch: char| ch.is_whitespace() || ch == '\u{feff}')
                    .to_string()
            })
            .collect();
        Ok(())
    }
}

// ---------------------------------------------------------------------------------------------
// CSV

struct CsvRows {
    reader: csv::Reader<LineTracker<Box<dyn Read + Send>>>,
    record: csv::StringRecord,
    /// Row number of the last record returned (including blank ones).
    last_row: usize,
    /// Line breaks inside quoted cells seen so far: the spreadsheet shows them inside one row.
    embedded_newlines: usize,
}

impl CsvRows {
    fn next(&mut self) -> Option<Result<RawRow, SourceError>> {
        loop {
            match self.reader.read_record(&mut self.record) {
                Ok(false) => return None,
                Ok(true) => {}
                Err(e) => {
                    let tracker = self.reader.get_ref();
                    if let Some(line) = tracker.too_long {
                        return Some(Err(match tracker.open_quote() {
                            Some((line, column)) => SourceError::UnclosedQuote {
                                line: line.saturating_sub(self.embedded_newlines),
                                column,
                            },
                            None => SourceError::RowTooLong { line },
                        }));
                    }
                    let line = e.position().map(|p| p.line() as usize).unwrap_or(self.last_row + 1);
                    let message = match e.kind() {
                        csv::ErrorKind::Io(io) => io.to_string(),
                        _ => e.to_string(),
                    };
                    return Some(Err(SourceError::Csv { line, message }));
                }
            }
            // The csv parser skips blank lines and reports record positions from before the
            // skip, so locate the record by its end instead: the reader stops right after the
            // record's terminator (or at the end of the input), so the byte before its position
            // is on the record's last line.
            let end = self.reader.position().byte();
            let tracker = self.reader.get_mut();
            let last_line = 1 + tracker.newlines_before(end.saturating_sub(1)) as usize;
            tracker.row_started(end, last_line + 1);
            // A quote still open at the end of the input swallowed the rest of the file into
            // this record: say so instead of reporting the line breaks it collected.
            if end == tracker.offset
                && let Some((line, column)) = tracker.unclosed
            {
                return Some(Err(SourceError::UnclosedQuote {
                    line: line.saturating_sub(self.embedded_newlines),
                    column,
                }));
            }
            let mut blank = true;
            let mut cells = Vec::with_capacity(self.record.len());
            let mut too_long = None;
            for (i, field) in self.record.iter().enumerate() {
                self.embedded_newlines += field.bytes().filter(|&b| b == b'\n').count();
                if field.len() > MAX_CELL_CHARS && too_long.is_none() {
                    let chars = field.chars().count();
                    if chars > MAX_CELL_CHARS {
                        too_long = Some((i, chars));
                    }
                }
                if field.is_empty() {
                    cells.push(Cell::Empty);
                } else {
                    blank &= field.trim().is_empty();
                    cells.push(Cell::Text(field.to_string()));
                }
            }
            // Line breaks inside quoted cells do not start spreadsheet rows. (Files that end
            // lines with a bare CR have no countable lines: rows are then counted one by one.)
            let row = last_line.saturating_sub(self.embedded_newlines).max(self.last_row + 1);
            self.last_row = row;
            if let Some((column, chars)) = too_long {
                return Some(Err(SourceError::CellTooLong {
                    sheet: None,
                    row,
                    column,
                    chars,
                }));
            }
            if !blank {
                return Some(Ok(RawRow { row, cells }));
            }
        }
    }
}

/// Where the CSV grammar is, byte by byte: enough to know whether a quote is still open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum QuoteState {
    FieldStart,
    Unquoted,
    Quoted,
    /// A quote inside a quoted field: the closing one, or the first of an escaped pair.
    QuoteInQuoted,
}

/// Counts line feeds passing through to the CSV parser, so that a byte offset of the parser can
/// be turned into a line number. Keeps only the offsets the parser has not yet asked about
/// (those in its read-ahead buffer). Also follows the quoting, so that an unclosed quote is
/// reported as one, and bounds the bytes of one row.
struct LineTracker<R> {
    inner: R,
    offset: u64,
    pending: VecDeque<u64>,
    counted: u64,
    delimiter: u8,
    state: QuoteState,
    /// Line feeds passed through so far.
    lines: usize,
    field: usize,
    /// The 1-based line and 0-based field of the last opening quote.
    quote: (usize, usize),
    /// Set at the end of the input when a quote is still open.
    unclosed: Option<(usize, usize)>,
    /// Where the row being parsed starts: byte offset and 1-based line.
    row_start: (u64, usize),
    /// Set when the row being parsed grew past [`MAX_ROW_BYTES`]: the line it starts on.
    too_long: Option<usize>,
}

impl<R: Read> LineTracker<R> {
    fn new(inner: R, delimiter: u8) -> Self {
        LineTracker {
            inner,
            offset: 0,
            pending: VecDeque::new(),
            counted: 0,
            delimiter,
            state: QuoteState::FieldStart,
            lines: 0,
            field: 0,
            quote: (1, 0),
            unclosed: None,
            row_start: (0, 1),
            too_long: None,
        }
    }

    /// Line feeds before byte `offset`; offsets must not decrease between calls.
    fn newlines_before(&mut self, offset: u64) -> u64 {
        while self.pending.front().is_some_and(|&p| p < offset) {
            self.pending.pop_front();
            self.counted += 1;
        }
        self.counted
    }

    fn row_started(&mut self, offset: u64, line: usize) {
        self.row_start = (offset, line);
    }

    /// The quote open where the input has been read to, if any.
    fn open_quote(&self) -> Option<(usize, usize)> {
        (self.state == QuoteState::Quoted).then_some(self.quote)
    }

    fn follow(&mut self, b: u8) {
        use QuoteState::*;
        let d = self.delimiter;
        self.state = match (self.state, b) {
            (Quoted, b'"') => QuoteInQuoted,
            (Quoted, _) => Quoted,
            (QuoteInQuoted, b'"') => Quoted,
            (FieldStart, b'"') => {
                self.quote = (self.lines + 1, self.field);
                Quoted
            }
            (_, b) if b == d => {
                self.field += 1;
                FieldStart
            }
            (_, b'\n' | b'\r') => {
                self.field = 0;
                FieldStart
            }
            _ => Unquoted,
        };
        if b == b'\n' {
            self.lines += 1;
        }
    }
}

impl<R: Read> Read for LineTracker<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.offset - self.row_start.0 > MAX_ROW_BYTES {
            self.too_long = Some(self.row_start.1);
            return Err(io::Error::new(io::ErrorKind::InvalidData, "row too long"));
        }
        let n = self.inner.read(buf)?;
        let base = self.offset;
        for (i, &b) in buf[..n].iter().enumerate() {
            if b == b'\n' {
                self.pending.push_back(base + i as u64);
            }
            self.follow(b);
        }
        self.offset += n as u64;
        if n == 0 && !buf.is_empty() {
            self.unclosed = self.open_quote();
        }
        Ok(n)
    }
}

fn open_csv(path: &Path) -> Result<RowSource, SourceError> {
    let io_err = |source| SourceError::Io {
        path: path.to_path_buf(),
        source,
    };
    // The common case, a UTF-8 file, is checked and then parsed straight from the disk, so that
    // a large roster is never held in memory. Anything else is read whole and decoded.
    if let Some((reader, delimiter)) = open_utf8_streaming(path).map_err(io_err)? {
        return Ok(csv_source(reader, delimiter));
    }
    let bytes = fs::read(path).map_err(io_err)?;
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        return Err(SourceError::MisnamedWorkbook {
            path: path.to_path_buf(),
        });
    }
    let (input, delimiter): (Box<dyn Read + Send>, u8) = if let Some(utf16) = utf16_bom(&bytes) {
        let body = &bytes[2..];
        let check = validate(utf16, body);
        if let Some(line) = check.bad_line {
            return Err(SourceError::Encoding { line });
        }
        if !check.has_content {
            return Err(SourceError::Empty);
        }
        let head = utf16
            .decode_without_bom_handling(&body[..body.len().min(64 * 1024) & !1])
            .0;
        let delimiter = sniff_delimiter(&head);
        (Box::new(DecodingReader::new(bytes, 2, utf16)), delimiter)
    } else {
        let start = if bytes.starts_with(b"\xEF\xBB\xBF") { 3 } else { 0 };
        match std::str::from_utf8(&bytes[start..]) {
            Ok(text) => {
                if !has_content(text) {
                    return Err(SourceError::Empty);
                }
                let delimiter = sniff_delimiter(text);
                let mut cursor = Cursor::new(bytes);
                cursor.set_position(start as u64);
                (Box::new(cursor), delimiter)
            }
            Err(utf8_err) => {
                let body = &bytes[start..];
                let check = validate(GB18030, body);
                if check.bad_line.is_some() {
                    // A UTF-8 file with a damaged byte fails GB18030 early and UTF-8 late; a GBK
                    // file with a damaged byte fails UTF-8 early and GB18030 late. The later
                    // failure is the one that points at the damage.
                    let bad = utf8_err.valid_up_to().max(check.bad_offset);
                    return Err(SourceError::Encoding {
                        line: line_of(body, bad),
                    });
                }
                if !check.has_content {
                    return Err(SourceError::Empty);
                }
                // Delimiters and line ends are ASCII and never occur inside a GBK character.
                let head = String::from_utf8_lossy(&body[..body.len().min(64 * 1024)]);
                let delimiter = sniff_delimiter(&head);
                (Box::new(DecodingReader::new(bytes, start, GB18030)), delimiter)
            }
        }
    };
    Ok(csv_source(input, delimiter))
}

fn csv_source(input: Box<dyn Read + Send>, delimiter: u8) -> RowSource {
    let reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .buffer_capacity(64 * 1024)
        .from_reader(LineTracker::new(input, delimiter));
    RowSource {
        headers: Vec::new(),
        header_row: 1,
        spreadsheet: false,
        inner: Inner::Csv(Box::new(CsvRows {
            reader,
            record: csv::StringRecord::new(),
            last_row: 0,
            embedded_newlines: 0,
        })),
        finished: false,
    }
}

/// When the file is non-empty UTF-8 text (BOM optional, not a workbook, not UTF-16): a reader
/// positioned after the BOM and the sniffed delimiter. `None` sends the caller to the general path.
fn open_utf8_streaming(path: &Path) -> io::Result<Option<(Box<dyn Read + Send>, u8)>> {
    let mut file = fs::File::open(path)?;
    let mut buf = vec![0u8; 1 << 20];
    let mut carry = 0usize; // bytes of an incomplete character carried to the next chunk
    let mut head: Option<String> = None;
    let mut content = false;
    let mut first = true;
    loop {
        let n = file.read(&mut buf[carry..])?;
        let filled = carry + n;
        if first {
            first = false;
            let b = &buf[..filled];
            if b.starts_with(b"PK\x03\x04") || b.starts_with(&[0xD0, 0xCF]) || utf16_bom(b).is_some() {
                return Ok(None);
            }
        }
        if n == 0 {
            if carry > 0 {
                return Ok(None);
            }
            break;
        }
        let chunk = &buf[..filled];
        let valid = match std::str::from_utf8(chunk) {
            Ok(t) => t,
            Err(e) if e.error_len().is_none() => std::str::from_utf8(&chunk[..e.valid_up_to()]).expect("valid prefix"),
            Err(_) => return Ok(None),
        };
        if head.is_none() {
            head = Some(valid.trim_start_matches('\u{feff}').chars().take(32 * 1024).collect());
        }
        content |= has_content(valid.trim_start_matches('\u{feff}'));
        let used = valid.len();
        buf.copy_within(used..filled, 0);
        carry = filled - used;
    }
    if !content {
        return Ok(None);
    }
    let delimiter = sniff_delimiter(head.as_deref().unwrap_or(""));
    let mut file = io::BufReader::with_capacity(256 * 1024, fs::File::open(path)?);
    let mut bom = [0u8; 3];
    let mut got = 0;
    while got < 3 {
        match file.read(&mut bom[got..])? {
            0 => break,
            k => got += k,
        }
    }
    let rest: Box<dyn Read + Send> = if bom[..got] == *b"\xEF\xBB\xBF" {
        Box::new(file)
    } else {
        Box::new(io::Cursor::new(bom[..got].to_vec()).chain(file))
    };
    Ok(Some((rest, delimiter)))
}

fn utf16_bom(bytes: &[u8]) -> Option<&'static Encoding> {
    if bytes.starts_with(&[0xFF, 0xFE]) {
        Some(UTF_16LE)
    } else if bytes.starts_with(&[0xFE, 0xFF]) {
        Some(UTF_16BE)
    } else {
        None
    }
}

fn has_content(text: &str) -> bool {
    text.chars().any(|c| !c.is_whitespace() && c != '\u{feff}')
}

/// Comma, unless the header line has none but has tabs (then tab) or semicolons (then `;`).
fn sniff_delimiter(text: &str) -> u8 {
    let header = text.lines().find(|l| has_content(l)).unwrap_or("");
    if header.contains(',') {
        b','
    } else if header.contains('\t') {
        b'\t'
    } else if header.contains(';') {
        b';'
    } else {
        b','
    }
}

/// 1-based line of byte `offset` in ASCII-compatible text.
fn line_of(bytes: &[u8], offset: usize) -> usize {
    1 + bytes[..offset.min(bytes.len())].iter().filter(|&&b| b == b'\n').count()
}

struct Validation {
    /// Line of the first malformed sequence, if any.
    bad_line: Option<usize>,
    /// Input offset of the first malformed sequence (meaningful when `bad_line` is set).
    bad_offset: usize,
    /// Something besides whitespace and BOMs.
    has_content: bool,
}

/// Strictly decodes `input` into a small scratch buffer, never holding the whole text.
fn validate(encoding: &'static Encoding, input: &[u8]) -> Validation {
    let mut decoder = encoding.new_decoder_without_bom_handling();
    let mut scratch = vec![0u8; 64 * 1024];
    let mut pos = 0;
    let mut newlines = 0;
    let mut content = false;
    loop {
        let (result, read, written) = decoder.decode_to_utf8_without_replacement(&input[pos..], &mut scratch, true);
        let out = std::str::from_utf8(&scratch[..written]).expect("decoder writes UTF-8");
        newlines += out.bytes().filter(|&b| b == b'\n').count();
        content |= has_content(out);
        pos += read;
        match result {
            DecoderResult::InputEmpty => {
                return Validation {
                    bad_line: None,
                    bad_offset: 0,
                    has_content: content,
                };
            }
            DecoderResult::OutputFull => {}
            DecoderResult::Malformed(bad, after) => {
                let bad_offset = pos - after as usize - bad as usize;
                return Validation {
                    bad_line: Some(newlines + 1),
                    bad_offset,
                    has_content: content,
                };
            }
        }
    }
}

/// Decodes an in-memory byte buffer to UTF-8 chunk by chunk for the CSV parser.
struct DecodingReader {
    src: Vec<u8>,
    pos: usize,
    decoder: encoding_rs::Decoder,
    buf: Vec<u8>,
    start: usize,
    end: usize,
    done: bool,
}

impl DecodingReader {
    fn new(src: Vec<u8>, pos: usize, encoding: &'static Encoding) -> Self {
        DecodingReader {
            src,
            pos,
            decoder: encoding.new_decoder_without_bom_handling(),
            buf: vec![0; 64 * 1024],
            start: 0,
            end: 0,
            done: false,
        }
    }
}

impl Read for DecodingReader {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        while self.start == self.end {
            if self.done {
                return Ok(0);
            }
            let (result, read, written) =
                self.decoder
                    .decode_to_utf8_without_replacement(&self.src[self.pos..], &mut self.buf, true);
            self.pos += read;
            self.start = 0;
            self.end = written;
            match result {
                DecoderResult::InputEmpty => self.done = true,
                DecoderResult::OutputFull => {}
                DecoderResult::Malformed(..) => {
                    return Err(io::Error::new(io::ErrorKind::InvalidData, "undecodable bytes"));
                }
            }
        }
        let n = out.len().min(self.end - self.start);
        out[..n].copy_from_slice(&self.buf[self.start..self.start + n]);
        self.start += n;
        Ok(n)
    }
}

// ---------------------------------------------------------------------------------------------
// Workbooks

struct SheetRows {
    range: Range<Data>,
    /// Next row to return, relative to the range.
    next: usize,
    /// Absolute 0-based position of the range's top-left cell.
    start_row: usize,
    start_col: usize,
}

impl SheetRows {
    fn next(&mut self) -> Option<RawRow> {
        let height = self.range.height();
        while self.next < height {
            let rel = self.next;
            self.next += 1;
            // Cells are moved out of the range: each row is read once.
            let row_cells = &mut self.range[rel];
            let mut cells = Vec::with_capacity(self.start_col + row_cells.len());
            cells.resize(self.start_col, Cell::Empty);
            cells.extend(row_cells.iter_mut().map(|d| cell_of(std::mem::take(d))));
            while matches!(cells.last(), Some(Cell::Empty)) {
                cells.pop();
            }
            if cells.iter().all(Cell::is_blank) {
                continue;
            }
            return Some(RawRow {
                row: self.start_row + rel + 1,
                cells,
            });
        }
        None
    }
}

fn open_streamed(path: &Path, sheet: Option<&str>, binary: bool) -> Result<RowSource, SourceError> {
    if let Err(source) = fs::File::open(path) {
        return Err(SourceError::Io {
            path: path.to_path_buf(),
            source,
        });
    }
    super::workbook::check_archive(path, sheet)?;
    Ok(RowSource {
        headers: Vec::new(),
        header_row: 1,
        spreadsheet: true,
        inner: Inner::Streamed(super::workbook::stream(path, sheet, binary)?),
        finished: false,
    })
}

/// `.xls` and `.ods`: calamine has no streaming reader for them; the sheet is loaded whole.
fn open_workbook(path: &Path, sheet: Option<&str>) -> Result<RowSource, SourceError> {
    let workbook_error = |message: String| SourceError::Workbook {
        path: path.to_path_buf(),
        message,
    };
    if let Err(source) = fs::File::open(path) {
        return Err(SourceError::Io {
            path: path.to_path_buf(),
            source,
        });
    }
    super::workbook::check_archive(path, sheet)?;
    let mut workbook = open_workbook_auto(path).map_err(|e| workbook_error(e.to_string()))?;
    let name = super::workbook::pick_sheet(&workbook.sheet_names(), sheet, path)?;
    let range = workbook
        .worksheet_range(&name)
        .map_err(|e| workbook_error(e.to_string()))?;
    let (start_row, start_col) = range.start().map(|(r, c)| (r as usize, c as usize)).unwrap_or((0, 0));
    Ok(RowSource {
        headers: Vec::new(),
        header_row: 1,
        spreadsheet: true,
        inner: Inner::Sheet(SheetRows {
            range,
            next: 0,
            start_row,
            start_col,
        }),
        finished: false,
    })
}

pub(super) fn cell_of(data: Data) -> Cell {
    match data {
        Data::Empty => Cell::Empty,
        Data::String(s) if s.is_empty() => Cell::Empty,
        Data::String(s) => Cell::Text(s),
        Data::Int(i) => Cell::Number(i as f64),
        Data::Float(f) => Cell::Number(f),
        Data::Bool(b) => Cell::Bool(b),
        Data::DateTime(dt) if dt.is_duration() => Cell::Text(duration_text(dt.as_f64())),
        Data::DateTime(dt) => {
            let (y, mo, d, h, mi, s, ms) = dt.to_ymd_hms_milli();
            Cell::Date(if (h, mi, s, ms) == (0, 0, 0, 0) {
                format!("{y:04}-{mo:02}-{d:02}")
            } else if dt.as_f64() < 1.0 {
                // A time of day without a date.
                format!("{h:02}:{mi:02}:{s:02}")
            } else {
                format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}")
            })
        }
        Data::DateTimeIso(s) => Cell::Date(s),
        Data::DurationIso(s) => Cell::Text(s),
        Data::Error(e) => Cell::Error(e.to_string()),
    }
}

fn duration_text(days: f64) -> String {
    let total = (days * 86_400.0).round() as i64;
    let sign = if total < 0 { "-" } else { "" };
    let t = total.abs();
    format!("{sign}{}:{:02}:{:02}", t / 3600, t / 60 % 60, t % 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
        let p = dir.join(name);
        fs::write(&p, bytes).unwrap();
        p
    }

    fn all_rows(src: &mut RowSource) -> Vec<RawRow> {
        let mut out = Vec::new();
        while let Some(r) = src.next_row() {
            out.push(r.unwrap());
        }
        out
    }

    fn texts(row: &RawRow) -> Vec<String> {
        row.cells.iter().map(Cell::to_text).collect()
    }

    #[test]
    fn column_letters() {
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
        assert_eq!(column_letter(27), "AB");
        assert_eq!(column_letter(701), "ZZ");
        assert_eq!(column_letter(702), "AAA");
    }

    #[test]
    fn number_text_drops_integral_fraction() {
        assert_eq!(number_text(2026.0), "2026");
        assert_eq!(number_text(-3.0), "-3");
        assert_eq!(number_text(1.5), "1.5");
        assert_eq!(number_text(1e20), "100000000000000000000");
    }

    #[test]
    fn utf8_with_bom() {
        let dir = tempfile::tempdir().unwrap();
        let p = write(
            dir.path(),
            "a.csv",
            "\u{feff}机构编码,机构名称\r\nH45990100001,临江市第一人民医院\r\n".as_bytes(),
        );
        let mut s = RowSource::open(&p, None).unwrap();
        assert_eq!(s.headers(), ["机构编码", "机构名称"]);
        assert_eq!(s.header_row(), 1);
        assert!(!s.is_spreadsheet());
        let rows = all_rows(&mut s);
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].row, 2);
        assert_eq!(texts(&rows[0]), ["H45990100001", "临江市第一人民医院"]);
    }

    #[test]
    fn gbk_is_decoded() {
        let dir = tempfile::tempdir().unwrap();
        let text = "机构编码,机构名称,所属区县\nH45990100001,临江市第一人民医院,江北区\n";
        let (bytes, _, bad) = GB18030.encode(text);
        assert!(!bad);
        assert!(std::str::from_utf8(&bytes).is_err());
        let p = write(dir.path(), "gbk.csv", &bytes);
        let mut s = RowSource::open(&p, None).unwrap();
        assert_eq!(s.headers(), ["机构编码", "机构名称", "所属区县"]);
        let rows = all_rows(&mut s);
        assert_eq!(texts(&rows[0]), ["H45990100001", "临江市第一人民医院", "江北区"]);
    }

    #[test]
    fn invalid_bytes_name_the_line() {
        let dir = tempfile::tempdir().unwrap();
        // UTF-8 with a damaged byte on line 3.
        let mut bytes = "机构编码,机构名称\nH1,医院\n".as_bytes().to_vec();
        bytes.extend_from_slice(b"H2,\xFF\xFE\xFF\n");
        let p = write(dir.path(), "bad.csv", &bytes);
        let e = RowSource::open(&p, None).unwrap_err();
        assert!(matches!(e, SourceError::Encoding { line: 3 }), "{e:?}");
        assert!(e.text(Lang::Zh).contains("第 3 行"));
        assert!(e.text(Lang::Zh).contains("既不是 UTF-8 也不是 GBK"));
        assert!(e.text(Lang::En).contains("line 3"));

        // GBK with a damaged byte on line 4.
        let (gbk, _, _) = GB18030.encode("机构编码,机构名称\nH1,医院\nH2,药店\n");
        let mut bytes = gbk.into_owned();
        bytes.extend_from_slice(b"H3,\x81\x20\n");
        let p = write(dir.path(), "bad-gbk.csv", &bytes);
        assert!(matches!(
            RowSource::open(&p, None).unwrap_err(),
            SourceError::Encoding { line: 4 }
        ));
    }

    #[test]
    fn empty_files() {
        let dir = tempfile::tempdir().unwrap();
        for (name, bytes) in [
            ("0.csv", &b""[..]),
            ("bom.csv", b"\xEF\xBB\xBF"),
            ("ws.csv", b" \r\n\t\n"),
            ("commas.csv", b",,,\n,,\n"),
            ("u16.csv", b"\xFF\xFE\x20\x00"),
        ] {
            let p = write(dir.path(), name, bytes);
            assert!(matches!(RowSource::open(&p, None), Err(SourceError::Empty)), "{name}");
        }
    }

    #[test]
    fn missing_file_is_io_with_path() {
        let e = RowSource::open(Path::new("/nonexistent/x.csv"), None).unwrap_err();
        assert!(matches!(e, SourceError::Io { .. }));
        assert!(e.to_string().contains("/nonexistent/x.csv"));
        let e = RowSource::open(Path::new("/nonexistent/x.xlsx"), None).unwrap_err();
        assert!(matches!(e, SourceError::Io { .. }));
    }

    #[test]
    fn header_only_and_blank_rows_keep_numbering() {
        let dir = tempfile::tempdir().unwrap();
        let p = write(dir.path(), "h.csv", "机构编码,机构名称\n".as_bytes());
        let mut s = RowSource::open(&p, None).unwrap();
        assert_eq!(s.headers().len(), 2);
        assert!(s.next_row().is_none());

        let p = write(dir.path(), "b.csv", "a,b\n\n1,2\n,\n\"x\ny\",3\n4,5".as_bytes());
        let mut s = RowSource::open(&p, None).unwrap();
        let rows = all_rows(&mut s);
        let nums: Vec<usize> = rows.iter().map(|r| r.row).collect();
        assert_eq!(nums, [3, 5, 6]);
        assert_eq!(texts(&rows[1]), ["x\ny", "3"]);
    }

    #[test]
    fn crlf_numbering_with_blank_lines_and_multiline_cells() {
        let dir = tempfile::tempdir().unwrap();
        let text = "a,b\r\n\r\n1,2\r\n\r\n\r\n\"x\r\ny\",3\r\n4,5\r\n\r\n6,7";
        let (gbk, _, _) = GB18030.encode(text);
        for (name, bytes) in [("crlf.csv", text.as_bytes()), ("crlf-gbk.csv", &gbk[..])] {
            let p = write(dir.path(), name, bytes);
            let mut s = RowSource::open(&p, None).unwrap();
            let rows = all_rows(&mut s);
            let nums: Vec<usize> = rows.iter().map(|r| r.row).collect();
            assert_eq!(nums, [3, 6, 7, 9], "{name}");
        }
        let p = write(dir.path(), "lead.csv", b"\n\n,,\na,b\n1,2\n");
        let mut s = RowSource::open(&p, None).unwrap();
        assert_eq!(s.header_row(), 4);
        assert_eq!(s.next_row().unwrap().unwrap().row, 5);
    }

    #[test]
    fn delimiters_are_sniffed() {
        let dir = tempfile::tempdir().unwrap();
        let p = write(dir.path(), "t.txt", "a\tb\n1\t2\n".as_bytes());
        let mut s = RowSource::open(&p, None).unwrap();
        assert_eq!(s.headers(), ["a", "b"]);
        assert_eq!(texts(&s.next_row().unwrap().unwrap()), ["1", "2"]);
        let p = write(dir.path(), "s.csv", "a;b\n1;2\n".as_bytes());
        let s = RowSource::open(&p, None).unwrap();
        assert_eq!(s.headers(), ["a", "b"]);
    }

    #[test]
    fn utf16_with_bom_tab_delimited() {
        let dir = tempfile::tempdir().unwrap();
        let text = "机构编码\t机构名称\r\nH45990100001\t医院,分院\r\n";
        let mut le = vec![0xFF, 0xFE];
        le.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        let mut be = vec![0xFE, 0xFF];
        be.extend(text.encode_utf16().flat_map(u16::to_be_bytes));
        for (name, bytes) in [("le.txt", le), ("be.txt", be)] {
            let p = write(dir.path(), name, &bytes);
            let mut s = RowSource::open(&p, None).unwrap();
            assert_eq!(s.headers(), ["机构编码", "机构名称"], "{name}");
            assert_eq!(texts(&s.next_row().unwrap().unwrap()), ["H45990100001", "医院,分院"]);
        }
    }

    #[test]
    fn misnamed_workbook_is_explained() {
        let dir = tempfile::tempdir().unwrap();
        let mut wb = rust_xlsxwriter::Workbook::new();
        wb.add_worksheet().write_string(0, 0, "机构编码").unwrap();
        let p = dir.path().join("x.csv");
        wb.save(&p).unwrap();
        assert!(matches!(
            RowSource::open(&p, None),
            Err(SourceError::MisnamedWorkbook { .. })
        ));
    }

    #[test]
    fn xlsx_cells_and_sheets() {
        let dir = tempfile::tempdir().unwrap();
        let mut wb = rust_xlsxwriter::Workbook::new();
        let ws = wb.add_worksheet();
        ws.set_name("说明").unwrap();
        ws.write_string(0, 0, "这是说明").unwrap();
        let ws = wb.add_worksheet();
        ws.set_name("机构").unwrap();
        // Data starts at B3: header row is 3, cells are padded from column A.
        ws.write_string(2, 1, "名称").unwrap();
        ws.write_string(2, 2, "年度").unwrap();
        ws.write_string(2, 3, "是否").unwrap();
        ws.write_string(3, 1, "医院").unwrap();
        ws.write_number(3, 2, 2026.0).unwrap();
        ws.write_boolean(3, 3, true).unwrap();
        // Row 5 blank, row 6 data.
        ws.write_string(5, 1, "药店").unwrap();
        let p = dir.path().join("w.xlsx");
        wb.save(&p).unwrap();

        let e = RowSource::open(&p, Some("名单")).unwrap_err();
        assert!(e.text(Lang::Zh).contains("说明、机构"), "{e}");

        let s = RowSource::open(&p, None).unwrap();
        assert_eq!(s.headers(), ["这是说明"]);

        let mut s = RowSource::open(&p, Some("机构")).unwrap();
        assert!(s.is_spreadsheet());
        assert_eq!(s.header_row(), 3);
        assert_eq!(s.headers(), ["", "名称", "年度", "是否"]);
        let rows = all_rows(&mut s);
        assert_eq!(rows[0].row, 4);
        assert_eq!(
            rows[0].cells,
            [
                Cell::Empty,
                Cell::Text("医院".into()),
                Cell::Number(2026.0),
                Cell::Bool(true)
            ]
        );
        assert_eq!(rows[1].row, 6);
        assert_eq!(texts(&rows[1]), ["", "药店"]);
    }

    #[test]
    fn unclosed_quote_is_named_with_its_row_and_column() {
        let dir = tempfile::tempdir().unwrap();
        let p = write(
            dir.path(),
            "q.csv",
            "机构编码,机构名称,所属区县\nH1,医院,江北区\nH2,\"第二医院,江南区\nH3,药店,江北区\n".as_bytes(),
        );
        let mut s = RowSource::open(&p, None).unwrap();
        assert_eq!(texts(&s.next_row().unwrap().unwrap()), ["H1", "医院", "江北区"]);
        let e = s.next_row().unwrap().unwrap_err();
        assert!(matches!(e, SourceError::UnclosedQuote { line: 3, column: 1 }), "{e:?}");
        let zh = e.text(Lang::Zh);
        assert!(
            zh.contains("第 3 行第 2 列（B）") && zh.contains("未闭合的引号"),
            "{zh}"
        );
        assert!(!zh.contains("控制字符"), "{zh}");
        assert!(e.text(Lang::En).contains("unclosed quote"));
        assert!(s.next_row().is_none());
        // Closed quotes, escaped quotes and quotes inside unquoted cells are fine.
        let p = write(
            dir.path(),
            "ok.csv",
            "a,b\n\"x \"\"y\"\" z\",1\nh\"i,\"多\n行\"\n".as_bytes(),
        );
        let mut s = RowSource::open(&p, None).unwrap();
        assert_eq!(texts(&s.next_row().unwrap().unwrap()), ["x \"y\" z", "1"]);
        assert_eq!(texts(&s.next_row().unwrap().unwrap()), ["h\"i", "多\n行"]);
        assert!(s.next_row().is_none());
    }

    #[test]
    fn cells_longer_than_excel_allows_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let text = format!("a,b\n1,{}\n2,{}\n", "长".repeat(32_767), "长".repeat(32_768));
        let p = write(dir.path(), "long.csv", text.as_bytes());
        let mut s = RowSource::open(&p, None).unwrap();
        assert!(s.next_row().unwrap().is_ok());
        let e = s.next_row().unwrap().unwrap_err();
        assert!(
            matches!(
                e,
                SourceError::CellTooLong {
                    row: 3,
                    column: 1,
                    chars: 32_768,
                    ..
                }
            ),
            "{e:?}"
        );
        assert!(e.text(Lang::Zh).contains("第 3 行 B 列"), "{e}");
    }

    #[test]
    fn a_row_of_tens_of_megabytes_is_refused_early() {
        let dir = tempfile::tempdir().unwrap();
        let mut text = String::from("a,b\n1,2\n");
        text.push_str(&"x,".repeat(20 << 20));
        let p = write(dir.path(), "wide.csv", text.as_bytes());
        let mut s = RowSource::open(&p, None).unwrap();
        assert!(s.next_row().unwrap().is_ok());
        let e = s.next_row().unwrap().unwrap_err();
        assert!(matches!(e, SourceError::RowTooLong { line: 3 }), "{e:?}");
    }
}
