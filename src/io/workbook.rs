//! Reading workbooks without trusting them.
//!
//! A workbook is a zip archive of XML parts, and both layers can lie: a 2 KB file may declare
//! cells at A1 and XFD1048576 (a dense grid of 17 billion cells), and a few megabytes of
//! deflate may inflate to gigabytes. So, before calamine touches a zip-based workbook, the
//! archive's declared part sizes are checked (the zip reader refuses to inflate a part past
//! its declared size, so the declaration bounds the work), the shared-string table's declared
//! count is checked against its size, and `.xlsx`/`.xlsm`/`.xlsb` sheets are then streamed
//! cell by cell — one row in memory at a time — instead of being loaded as a dense grid.
//! `.xls` and `.ods` sheets are still loaded whole by calamine (it has no streaming reader for
//! them); their zip parts (`.ods`) are size-checked all the same.

use std::fmt;
use std::fs::File;
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};

use calamine::{Data, DataRef, Reader, Xlsb, Xlsx};

use super::source::{Cell, RawRow, SourceError, cell_of};

/// Excel's own limits: what a real sheet can hold.
pub const MAX_ROWS: u32 = 1_048_576;
pub const MAX_COLS: u32 = 16_384;
/// Excel's cell limit: longer text cannot be written back to any xlsx file.
pub const MAX_CELL_CHARS: usize = 32_767;

/// The largest inflated size accepted for one part (1 GiB holds a sheet of well over a million
/// roster rows) and for the whole archive.
const MAX_PART_BYTES: u64 = 1 << 30;
const MAX_TOTAL_BYTES: u64 = 2 << 30;
/// Spreadsheet XML compresses about 5–30×; a part that inflates more than this, and is large,
/// is a compression bomb rather than a sheet.
const MAX_RATIO: u64 = 150;
const RATIO_CHECKED_FROM: u64 = 16 << 20;
/// The smallest shared-string entry, `<si><t/></si>`, is 13 bytes.
const MIN_SHARED_STRING_BYTES: u64 = 12;

/// Why a workbook was refused before or while reading it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Hostile {
    /// One part inflates past the limit (`part` is its path inside the archive).
    PartTooLarge { part: String, bytes: u64 },
    /// All parts together inflate past the limit.
    TotalTooLarge { bytes: u64 },
    /// A large part inflates far more than spreadsheet XML does.
    Ratio { part: String, bytes: u64, ratio: u64 },
    /// The shared-string table declares more strings than its size can hold.
    SharedStrings { declared: u64, bytes: u64 },
    /// A cell position outside Excel's grid (0-based row and column as read).
    OutsideGrid { row: u64, col: u64 },
    /// Rows are stored out of order (0-based): the sheet cannot be streamed.
    Unordered { row: u32, after: u32 },
}

fn mb(bytes: u64) -> String {
    format!("{:.0} MB", bytes as f64 / 1e6)
}

impl Hostile {
    pub fn text(&self, lang: crate::i18n::Lang) -> String {
        use crate::i18n::Lang::*;
        match (self, lang) {
            (Hostile::PartTooLarge { part, bytes }, Zh) => format!(
                "其中的 {part} 解压后有 {}，超过单个部件 {} 的上限（文件过大或是压缩炸弹）",
                mb(*bytes),
                mb(MAX_PART_BYTES)
            ),
            (Hostile::PartTooLarge { part, bytes }, En) => format!(
                "its part {part} inflates to {}, over the {} limit for one part (too large, or a compression bomb)",
                mb(*bytes),
                mb(MAX_PART_BYTES)
            ),
            (Hostile::TotalTooLarge { bytes }, Zh) => {
                format!("解压后共有 {}，超过 {} 的上限", mb(*bytes), mb(MAX_TOTAL_BYTES))
            }
            (Hostile::TotalTooLarge { bytes }, En) => {
                format!(
                    "it inflates to {} in all, over the {} limit",
                    mb(*bytes),
                    mb(MAX_TOTAL_BYTES)
                )
            }
            (Hostile::Ratio { part, bytes, ratio }, Zh) => format!(
                "其中的 {part} 压缩比为 {ratio}:1（解压后 {}），远超正常表格，疑似压缩炸弹",
                mb(*bytes)
            ),
            (Hostile::Ratio { part, bytes, ratio }, En) => format!(
                "its part {part} inflates {ratio}:1 (to {}), far beyond any spreadsheet: a compression bomb",
                mb(*bytes)
            ),
            (Hostile::SharedStrings { declared, bytes }, Zh) => format!(
                "共享字符串表声明有 {declared} 个字符串，但其大小（{bytes} 字节）最多容纳 {} 个，文件已损坏或被篡改",
                bytes / MIN_SHARED_STRING_BYTES
            ),
            (Hostile::SharedStrings { declared, bytes }, En) => format!(
                "the shared-string table declares {declared} strings but its {bytes} bytes hold at most {}: the file is damaged or forged",
                bytes / MIN_SHARED_STRING_BYTES
            ),
            (Hostile::OutsideGrid { row, col }, Zh) => format!(
                "单元格位置（第 {} 行第 {} 列）超出 Excel 的 {MAX_ROWS} 行 × {MAX_COLS} 列范围，文件已损坏或被篡改",
                row + 1,
                col + 1
            ),
            (Hostile::OutsideGrid { row, col }, En) => format!(
                "a cell at row {}, column {} lies outside Excel's {MAX_ROWS} × {MAX_COLS} grid: the file is damaged or forged",
                row + 1,
                col + 1
            ),
            (Hostile::Unordered { row, after }, Zh) => format!(
                "第 {} 行存放在第 {} 行之后（行的顺序被打乱），请在 Excel/WPS 中打开并另存为 .xlsx 后重试",
                row + 1,
                after + 1
            ),
            (Hostile::Unordered { row, after }, En) => format!(
                "row {} is stored after row {} (rows out of order); open the file in Excel/WPS, save it as .xlsx and retry",
                row + 1,
                after + 1
            ),
        }
    }
}

impl fmt::Display for Hostile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text(crate::i18n::Lang::Zh))
    }
}

/// Checks the declared sizes of a zip-based workbook's parts before anything is inflated.
/// Files that are not zip archives (`.xls`) pass: calamine reports what they are.
pub(super) fn check_archive(path: &Path, sheet: Option<&str>) -> Result<(), SourceError> {
    let Ok(file) = File::open(path) else {
        return Ok(());
    };
    let Ok(mut zip) = zip::ZipArchive::new(BufReader::new(file)) else {
        return Ok(());
    };
    let mut parts: Vec<(String, u64, u64)> = Vec::with_capacity(zip.len());
    for i in 0..zip.len() {
        let Ok(part) = zip.by_index_raw(i) else { continue };
        let name = part.name().map(|n| n.to_string()).unwrap_or_default();
        parts.push((name, part.size(), part.compressed_size()));
    }
    match hostile_part(&parts) {
        None => {}
        Some(why) => {
            // Name the sheet a refused part holds, when the workbook says which one it is.
            let part = match &why {
                Hostile::PartTooLarge { part, .. } | Hostile::Ratio { part, .. } => Some(part.clone()),
                _ => None,
            };
            let named = part.and_then(|p| sheet_of_part(&mut zip, &parts, &p));
            return Err(SourceError::WorkbookRefused {
                path: path.to_path_buf(),
                sheet: named.or_else(|| sheet.map(str::to_string)),
                why,
            });
        }
    }
    // calamine reserves room for the declared number of shared strings up front.
    if let Some((i, (_, bytes, _))) = parts
        .iter()
        .enumerate()
        .find(|(_, p)| p.0.ends_with("sharedStrings.xml"))
    {
        let mut head = Vec::with_capacity(4096);
        if let Ok(part) = zip.by_index(i) {
            let _ = part.take(4096).read_to_end(&mut head);
        }
        if let Some(declared) = declared_unique_count(&head)
            && declared > bytes / MIN_SHARED_STRING_BYTES + 1
        {
            return Err(SourceError::WorkbookRefused {
                path: path.to_path_buf(),
                sheet: sheet.map(str::to_string),
                why: Hostile::SharedStrings {
                    declared,
                    bytes: *bytes,
                },
            });
        }
    }
    Ok(())
}

/// The first part (name, inflated size, deflated size) that breaks a limit, or the total.
fn hostile_part(parts: &[(String, u64, u64)]) -> Option<Hostile> {
    let mut total = 0u64;
    for (name, bytes, packed) in parts {
        let bytes = *bytes;
        if bytes > MAX_PART_BYTES {
            return Some(Hostile::PartTooLarge {
                part: name.clone(),
                bytes,
            });
        }
        let ratio = bytes / (*packed).max(1);
        if bytes > RATIO_CHECKED_FROM && ratio > MAX_RATIO {
            return Some(Hostile::Ratio {
                part: name.clone(),
                bytes,
                ratio,
            });
        }
        total = total.saturating_add(bytes);
    }
    (total > MAX_TOTAL_BYTES).then_some(Hostile::TotalTooLarge { bytes: total })
}

/// The name of the worksheet stored in `part`, from `xl/workbook.xml` and its relationships
/// (both small, size-checked here before reading).
fn sheet_of_part(
    zip: &mut zip::ZipArchive<BufReader<File>>,
    parts: &[(String, u64, u64)],
    part: &str,
) -> Option<String> {
    const SMALL: u64 = 4 << 20;
    let mut read = |name: &str| -> Option<String> {
        parts.iter().find(|(n, s, _)| n == name && *s <= SMALL)?;
        let mut text = String::new();
        zip.by_name(name).ok()?.read_to_string(&mut text).ok()?;
        Some(text)
    };
    let rels = read("xl/_rels/workbook.xml.rels")?;
    let workbook = read("xl/workbook.xml")?;
    let attr = |tag: &str, key: &str| -> Option<String> {
        let re = regex::Regex::new(&format!(r#"\s(?:\w+:)?{key}\s*=\s*"([^"]*)""#)).ok()?;
        re.captures(tag).map(|c| c[1].to_string())
    };
    let tags = |text: &str, element: &str| -> Vec<String> {
        let re = regex::Regex::new(&format!(r"<(?:\w+:)?{element}\s[^>]*>")).expect("static pattern");
        re.find_iter(text).map(|m| m.as_str().to_string()).collect()
    };
    let id = tags(&rels, "Relationship").into_iter().find_map(|t| {
        let target = attr(&t, "Target")?;
        let target = target
            .strip_prefix('/')
            .map(str::to_string)
            .unwrap_or_else(|| format!("xl/{target}"));
        (target == part).then(|| attr(&t, "Id")).flatten()
    })?;
    tags(&workbook, "sheet").into_iter().find_map(|t| {
        let matches = attr(&t, "id").is_some_and(|r| r == id);
        matches.then(|| attr(&t, "name")).flatten().map(|n| {
            n.replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&quot;", "\"")
                .replace("&apos;", "'")
                .replace("&amp;", "&")
        })
    })
}

/// The `uniqueCount` attribute of the `<sst>` element at the start of `sharedStrings.xml`.
fn declared_unique_count(head: &[u8]) -> Option<u64> {
    let text = String::from_utf8_lossy(head);
    let sst = &text[text.find("<sst")?..];
    let sst = &sst[..sst.find('>').unwrap_or(sst.len())];
    let at = sst.find("uniqueCount")?;
    let value = sst[at..].split(['"', '\'']).nth(1)?;
    // A count too long for u64 is absurd anyway.
    Some(value.trim().parse::<u64>().unwrap_or(u64::MAX))
}

/// The worksheet `wanted` names (exact, then trimmed and case-insensitive), or the first one.
pub(super) fn pick_sheet(names: &[String], wanted: Option<&str>, path: &Path) -> Result<String, SourceError> {
    match wanted {
        Some(wanted) => names
            .iter()
            .find(|n| n.as_str() == wanted)
            .or_else(|| names.iter().find(|n| n.trim().eq_ignore_ascii_case(wanted.trim())))
            .cloned()
            .ok_or_else(|| SourceError::UnknownSheet {
                requested: wanted.to_string(),
                available: names.to_vec(),
            }),
        None => names.first().cloned().ok_or_else(|| SourceError::Workbook {
            path: path.to_path_buf(),
            message: "no worksheet".into(),
        }),
    }
}

/// Rows of a streamed sheet, produced by a reading thread one at a time.
pub(super) struct StreamedRows {
    rows: Receiver<Result<RawRow, SourceError>>,
}

impl StreamedRows {
    pub(super) fn next(&mut self) -> Option<Result<RawRow, SourceError>> {
        self.rows.recv().ok()
    }
}

/// Rows handed over ahead of the consumer: enough to keep both threads busy, few enough that
/// memory stays at a handful of rows.
const AHEAD: usize = 64;

/// Opens an `.xlsx`/`.xlsm` (`binary` false) or `.xlsb` workbook and streams the chosen sheet.
/// Errors about the file and the sheet name come back here; errors inside the sheet come as rows.
pub(super) fn stream(path: &Path, sheet: Option<&str>, binary: bool) -> Result<StreamedRows, SourceError> {
    let workbook_error = |message: String| SourceError::Workbook {
        path: path.to_path_buf(),
        message,
    };
    let (tx, rx) = sync_channel(AHEAD);
    let owned: PathBuf = path.to_path_buf();
    if binary {
        let mut wb: Xlsb<BufReader<File>> =
            calamine::open_workbook(path).map_err(|e: calamine::XlsbError| workbook_error(e.to_string()))?;
        let name = pick_sheet(&wb.sheet_names(), sheet, path)?;
        std::thread::spawn(move || {
            let mut rows = RowBuilder::new(&owned, &name, tx);
            match wb.worksheet_cells_reader(&name) {
                Ok(mut cells) => {
                    while rows.open {
                        match cells.next_cell() {
                            Ok(Some(c)) => rows.cell(c.get_position(), c.get_value()),
                            Ok(None) => break,
                            Err(e) => rows.fail(e.to_string()),
                        }
                    }
                }
                Err(e) => rows.fail(e.to_string()),
            }
            rows.finish();
        });
    } else {
        let mut wb: Xlsx<BufReader<File>> =
            calamine::open_workbook(path).map_err(|e: calamine::XlsxError| workbook_error(e.to_string()))?;
        let name = pick_sheet(&wb.sheet_names(), sheet, path)?;
        std::thread::spawn(move || {
            let mut rows = RowBuilder::new(&owned, &name, tx);
            match wb.worksheet_cells_reader(&name) {
                Ok(mut cells) => {
                    while rows.open {
                        match cells.next_cell() {
                            Ok(Some(c)) => rows.cell(c.get_position(), c.get_value()),
                            Ok(None) => break,
                            Err(e) => rows.fail(e.to_string()),
                        }
                    }
                }
                // A chart sheet holds no rows.
                Err(calamine::XlsxError::NotAWorksheet(_)) => {}
                Err(e) => rows.fail(e.to_string()),
            }
            rows.finish();
        });
    }
    Ok(StreamedRows { rows: rx })
}

/// Gathers streamed cells into rows numbered as the spreadsheet shows them, padded from
/// column A, and hands each non-blank row over.
struct RowBuilder {
    path: PathBuf,
    sheet: String,
    tx: SyncSender<Result<RawRow, SourceError>>,
    row: Option<u32>,
    cells: Vec<Cell>,
    /// False once the consumer is gone or an error was sent: stop reading.
    open: bool,
}

impl RowBuilder {
    fn new(path: &Path, sheet: &str, tx: SyncSender<Result<RawRow, SourceError>>) -> RowBuilder {
        RowBuilder {
            path: path.to_path_buf(),
            sheet: sheet.to_string(),
            tx,
            row: None,
            cells: Vec::new(),
            open: true,
        }
    }

    fn send(&mut self, item: Result<RawRow, SourceError>) {
        let error = item.is_err();
        if self.tx.send(item).is_err() || error {
            self.open = false;
        }
    }

    fn refuse(&mut self, why: Hostile) {
        let e = SourceError::WorkbookRefused {
            path: self.path.clone(),
            sheet: Some(self.sheet.clone()),
            why,
        };
        self.send(Err(e));
    }

    fn fail(&mut self, message: String) {
        let e = SourceError::Workbook {
            path: self.path.clone(),
            message: format!("「{}」：{message}", self.sheet),
        };
        self.send(Err(e));
    }

    fn cell(&mut self, (row, col): (u32, u32), value: &DataRef) {
        if row >= MAX_ROWS || col >= MAX_COLS {
            return self.refuse(Hostile::OutsideGrid {
                row: row.into(),
                col: col.into(),
            });
        }
        match self.row {
            Some(current) if row < current => return self.refuse(Hostile::Unordered { row, after: current }),
            Some(current) if row > current => self.flush(),
            _ => {}
        }
        if !self.open {
            return;
        }
        self.row = Some(row);
        let cell = cell_of(Data::from(value.clone()));
        if let Cell::Text(s) = &cell
            && s.len() > MAX_CELL_CHARS
            && s.chars().count() > MAX_CELL_CHARS
        {
            let e = SourceError::CellTooLong {
                sheet: Some(self.sheet.clone()),
                row: row as usize + 1,
                column: col as usize,
                chars: s.chars().count(),
            };
            return self.send(Err(e));
        }
        let col = col as usize;
        if self.cells.len() <= col {
            self.cells.resize(col + 1, Cell::Empty);
        }
        self.cells[col] = cell;
    }

    fn flush(&mut self) {
        let Some(row) = self.row.take() else { return };
        let mut cells = std::mem::take(&mut self.cells);
        while matches!(cells.last(), Some(Cell::Empty)) {
            cells.pop();
        }
        if cells.iter().all(Cell::is_blank) {
            return;
        }
        self.send(Ok(RawRow {
            row: row as usize + 1,
            cells,
        }));
    }

    fn finish(mut self) {
        if self.open {
            self.flush();
        }
    }
}
