//! Writing a public table (抽查结果公示) in four formats: xlsx, CSV, JSON, and one self-contained
//! printable HTML page. The caller decides what is public; this module only writes it, neutralising
//! formula-like cells in CSV and xlsx and escaping everything in HTML.
//!
//! For people (xlsx, HTML) the facts common to every row (plan, authority, check type) stand
//! once above the table; for machines (CSV, JSON) every row is complete. CSV holds one table per
//! file: the evidence of the draw goes to a second file beside it ([`evidence_csv_path`]).

use std::borrow::Cow;
use std::path::{Path, PathBuf};

use anyhow::{Result, bail};

use super::page::{ColumnKind, Page, PageTable, Pair, Section, SectionBody};
use super::table_out::{OutTable, SheetLayout, stage_sheets};

/// A public document: one table and the evidence that lets anyone check the draw behind it.
#[derive(Debug, Clone, Default)]
pub struct PublicDoc {
    /// Page and sheet title, e.g. `2026年第一批… 检查结果公示`.
    pub title: String,
    /// A visible note under the title (e.g. 草稿（未公示）); empty: none.
    pub notice: String,
    /// Facts common to the whole table: (label, value), shown once above it.
    pub facts: Vec<(String, String)>,
    pub sheet_name: String,
    pub headers: Vec<String>,
    /// Columns holding codes (kept as text in xlsx, never wrapped in HTML).
    pub code_columns: Vec<usize>,
    /// Columns of longer text (given room in HTML).
    pub wide_columns: Vec<usize>,
    /// Columns of amounts in yuan (`1234.50`): numbers with two decimals in xlsx.
    pub amount_columns: Vec<usize>,
    /// Columns holding the same value on every row (plan, authority): in CSV only, the other
    /// formats show them once in `facts`.
    pub plan_wide_columns: Vec<usize>,
    /// The column that names a row (检查对象名称): the head of its card on a phone.
    pub name_column: Option<usize>,
    pub rows: Vec<Vec<String>>,
    pub evidence_title: String,
    /// (label, value) pairs.
    pub evidence: Vec<(String, String)>,
    /// Which evidence values are codes (digests, seed): monospace, never clipped.
    pub evidence_codes: Vec<usize>,
    /// One paragraph: how anyone can verify the draw.
    pub how_to_verify: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PublicFormat {
    Xlsx,
    Csv,
    Json,
    Html,
}

impl PublicFormat {
    pub fn from_path(path: &Path) -> Option<PublicFormat> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "xlsx" => Some(PublicFormat::Xlsx),
            "csv" => Some(PublicFormat::Csv),
            "json" => Some(PublicFormat::Json),
            "html" | "htm" => Some(PublicFormat::Html),
            _ => None,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            PublicFormat::Xlsx => "xlsx",
            PublicFormat::Csv => "csv",
            PublicFormat::Json => "json",
            PublicFormat::Html => "html",
        }
    }
}

/// Where the CSV of the evidence goes beside the table `path`: `公示.csv` → `公示-evidence.csv`.
pub fn evidence_csv_path(path: &Path) -> PathBuf {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    path.with_file_name(format!("{stem}-evidence.csv"))
}

/// The files `write_public` writes for `path`: the path itself and, for CSV, the evidence file.
pub fn written_files(path: &Path) -> Vec<PathBuf> {
    match PublicFormat::from_path(path) {
        Some(PublicFormat::Csv) => vec![path.to_path_buf(), evidence_csv_path(path)],
        _ => vec![path.to_path_buf()],
    }
}

/// Writes `doc` (or, for `.json`, `json`) to `path` in the format its extension names, completely
/// or not at all. CSV also writes the evidence beside it ([`evidence_csv_path`]), evidence first,
/// so that a table never stands without its evidence.
pub fn write_public(path: &Path, doc: &PublicDoc, json: &serde_json::Value) -> Result<PublicFormat> {
    let (format, staged) = stage_public(path, doc, json)?;
    place_all(staged)?;
    Ok(format)
}

/// `write_public`'s files, complete and on disk but not yet in place (see `super::Staged`), in
/// the order they are to be placed: for CSV the evidence first, then the table it backs.
pub fn stage_public(
    path: &Path,
    doc: &PublicDoc,
    json: &serde_json::Value,
) -> Result<(PublicFormat, Vec<super::Staged>)> {
    let Some(format) = PublicFormat::from_path(path) else {
        bail!(
            "不支持的公示格式（扩展名应为 .xlsx、.csv、.json 或 .html）/ unsupported format (use .xlsx, .csv, .json or .html): {}",
            path.display()
        );
    };
    let staged = match format {
        PublicFormat::Xlsx => vec![stage_xlsx(path, doc)?],
        PublicFormat::Csv => vec![
            super::stage_bytes(&evidence_csv_path(path), &csv_bytes(&evidence_table(doc))?)?,
            super::stage_bytes(path, &csv_bytes(&main_table(doc))?)?,
        ],
        PublicFormat::Json => {
            let mut bytes = serde_json::to_vec_pretty(json)?;
            bytes.push(b'\n');
            vec![super::stage_bytes(path, &bytes)?]
        }
        PublicFormat::Html => vec![super::stage_bytes(path, html(doc).as_bytes())?],
    };
    Ok((format, staged))
}

/// Puts staged files in place, in order.
pub fn place_all(staged: Vec<super::Staged>) -> Result<()> {
    for f in staged {
        f.place()?;
    }
    Ok(())
}

/// Prefixes `'` to a cell a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, TAB, CR).
pub fn neutralize(cell: &str) -> Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

/// The complete table: every column on every row.
fn main_table(doc: &PublicDoc) -> (Vec<String>, Vec<Vec<String>>) {
    (doc.headers.clone(), doc.rows.clone())
}

/// The evidence as a two-column table.
fn evidence_table(doc: &PublicDoc) -> (Vec<String>, Vec<Vec<String>>) {
    let mut rows: Vec<Vec<String>> = doc.evidence.iter().map(|(k, v)| vec![k.clone(), v.clone()]).collect();
    rows.push(vec!["如何核验".into(), doc.how_to_verify.clone()]);
    (vec!["项目".into(), "内容".into()], rows)
}

/// UTF-8 with BOM (Excel and WPS read a CSV without it as GBK), CRLF, one table.
fn csv_bytes((headers, rows): &(Vec<String>, Vec<Vec<String>>)) -> Result<Vec<u8>> {
    let mut out: Vec<u8> = b"\xEF\xBB\xBF".to_vec();
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    for row in std::iter::once(headers).chain(rows) {
        w.write_record(row.iter().map(|c| neutralize(c).into_owned()))?;
    }
    out.extend(w.into_inner().map_err(|e| anyhow::anyhow!("{e}"))?);
    Ok(out)
}

/// The columns people see: all but the plan-wide ones.
fn shown_columns(doc: &PublicDoc) -> Vec<usize> {
    (0..doc.headers.len())
        .filter(|c| !doc.plan_wide_columns.contains(c))
        .collect()
}

/// Maps column positions of the full table to those of the shown columns.
fn remap(cols: &[usize], shown: &[usize]) -> Vec<usize> {
    shown
        .iter()
        .enumerate()
        .filter(|(_, c)| cols.contains(c))
        .map(|(i, _)| i)
        .collect()
}

/// The title lines above a table: the title, the notice, then the facts joined on lines that
/// fit a landscape page.
fn title_lines(doc: &PublicDoc) -> Vec<String> {
    let mut lines = vec![doc.title.clone()];
    if !doc.notice.is_empty() {
        lines.push(doc.notice.clone());
    }
    lines.extend(doc.facts.iter().map(|(k, v)| format!("{k}：{v}")));
    lines
}

fn stage_xlsx(path: &Path, doc: &PublicDoc) -> Result<super::Staged> {
    let shown = shown_columns(doc);
    let pick =
        |row: &Vec<String>| -> Vec<String> { shown.iter().map(|&c| row.get(c).cloned().unwrap_or_default()).collect() };
    let main = OutTable {
        sheet_name: &doc.sheet_name,
        headers: pick(&doc.headers),
        rows: doc.rows.iter().map(pick).collect(),
        code_columns: remap(&doc.code_columns, &shown),
        neutralize_formulas: true,
    };
    let main_layout = SheetLayout {
        title_lines: title_lines(doc),
        wrap: true,
        amount_columns: remap(&doc.amount_columns, &shown),
        print_landscape: true,
        narrow_to_page: true,
        ..SheetLayout::default()
    };
    let (headers, rows) = evidence_table(doc);
    let evidence = OutTable {
        sheet_name: &doc.evidence_title,
        headers,
        rows,
        code_columns: vec![],
        neutralize_formulas: true,
    };
    let evidence_layout = SheetLayout {
        title_lines: vec![format!("{} {}", doc.title, doc.evidence_title)],
        wrap: true,
        mono_cells: doc.evidence_codes.iter().map(|&r| (r, 1)).collect(),
        print_landscape: true,
        ..SheetLayout::default()
    };
    stage_sheets(path, &[(&main, &main_layout), (&evidence, &evidence_layout)])
}

/// The page people read: facts once in the header, the table (cards on a phone), the evidence
/// in its own section.
pub fn page(doc: &PublicDoc) -> Page {
    // The amounts stand in words in 处理情况; as separate columns they are for spreadsheets.
    let shown: Vec<usize> = shown_columns(doc)
        .into_iter()
        .filter(|c| !doc.amount_columns.contains(c))
        .collect();
    let kind = |c: usize| {
        if doc.amount_columns.contains(&c) {
            ColumnKind::Number
        } else if doc.code_columns.contains(&c) {
            ColumnKind::Code
        } else if doc.wide_columns.contains(&c) {
            ColumnKind::Wide
        } else {
            ColumnKind::Text
        }
    };
    let table = PageTable {
        headers: shown.iter().map(|&c| doc.headers[c].clone()).collect(),
        kinds: shown.iter().map(|&c| kind(c)).collect(),
        rows: doc
            .rows
            .iter()
            .map(|r| shown.iter().map(|&c| r.get(c).cloned().unwrap_or_default()).collect())
            .collect(),
        card_title: doc.name_column.and_then(|n| shown.iter().position(|&c| c == n)),
    };
    Page {
        title: doc.title.clone(),
        notice: doc.notice.clone(),
        facts: doc.facts.clone(),
        sections: vec![
            Section {
                id: "records".into(),
                heading: doc.sheet_name.clone(),
                intro: vec![],
                body: SectionBody::Table(table),
                outro: vec![],
            },
            Section {
                id: "evidence".into(),
                heading: doc.evidence_title.clone(),
                intro: vec![],
                body: SectionBody::Pairs(
                    doc.evidence
                        .iter()
                        .enumerate()
                        .map(|(i, (k, v))| Pair {
                            label: k.clone(),
                            value: v.clone(),
                            code: doc.evidence_codes.contains(&i),
                        })
                        .collect(),
                ),
                outro: vec![format!("如何核验：{}", doc.how_to_verify)],
            },
        ],
        footer: "本页由 choucha 生成，内容以检查机关公布为准。".into(),
    }
}

/// One self-contained page: inline CSS, no scripts, no external assets.
pub fn html(doc: &PublicDoc) -> String {
    page(doc).html()
}

/// Reads everything `write_public` wrote for `path` back as text (xlsx: every sheet; CSV: the
/// table and its evidence file), for tests and for the privacy check of exported files.
pub fn all_text(path: &Path) -> Result<String> {
    match PublicFormat::from_path(path) {
        Some(PublicFormat::Xlsx) => {
            use calamine::{Reader, open_workbook_auto};
            let mut wb = open_workbook_auto(path)?;
            let mut out = String::new();
            for name in wb.sheet_names() {
                let range = wb.worksheet_range(&name)?;
                for row in range.rows() {
                    for c in row {
                        out.push_str(&c.to_string());
                        out.push('\t');
                    }
                    out.push('\n');
                }
            }
            Ok(out)
        }
        _ => {
            let mut s = String::new();
            for p in written_files(path) {
                std::io::Read::read_to_string(&mut std::fs::File::open(p)?, &mut s)?;
            }
            Ok(s)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::{Cell, RowSource};

    fn doc() -> PublicDoc {
        PublicDoc {
            title: "2026年第一批 检查结果公示".into(),
            notice: String::new(),
            facts: vec![("检查机关".into(), "临江市医疗保障局".into())],
            sheet_name: "抽查结果公示".into(),
            headers: vec![
                "序号".into(),
                "检查机关".into(),
                "检查对象名称".into(),
                "追回金额（元）".into(),
                "备注".into(),
            ],
            code_columns: vec![],
            wide_columns: vec![2],
            amount_columns: vec![3],
            plan_wide_columns: vec![1],
            name_column: Some(2),
            rows: vec![vec![
                "1".into(),
                "临江市医疗保障局".into(),
                "临江<市>第一人民医院 & \"分院\"".into(),
                "1234.50".into(),
                "=HYPERLINK(1)".into(),
            ]],
            evidence_title: "抽取凭证".into(),
            evidence: vec![("种子".into(), "-007".into())],
            evidence_codes: vec![0],
            how_to_verify: "运行 choucha verify".into(),
        }
    }

    #[test]
    fn html_is_escaped_self_contained_and_names_the_authority_once() {
        let h = html(&doc());
        assert!(h.contains("临江&#60;市&#62;第一人民医院 &#38; &#34;分院&#34;"), "{h}");
        assert!(!h.contains("<市>"));
        assert!(h.contains("@media print"));
        for external in ["<script", "<link", "src=", "http://", "https://", "url("] {
            assert!(!h.contains(external), "{external}");
        }
        // Plan-wide columns are facts in the header, not columns.
        assert_eq!(h.matches("临江市医疗保障局").count(), 1, "{h}");
        assert!(!h.contains(r#"data-label="检查机关""#));
        assert!(
            h.contains(r#"<td class="card-title" data-label="检查对象名称">"#),
            "{h}"
        );
        assert!(h.contains(r#"<section id="evidence">"#));
    }

    #[test]
    fn csv_is_one_table_per_file_with_bom_crlf_and_no_formulas() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("d.csv");
        assert_eq!(
            write_public(&p, &doc(), &serde_json::json!({})).unwrap(),
            PublicFormat::Csv
        );
        let bytes = std::fs::read(&p).unwrap();
        assert!(bytes.starts_with("\u{feff}序号,检查机关,检查对象名称,追回金额（元）,备注\r\n".as_bytes()));
        let text = String::from_utf8(bytes).unwrap();
        assert!(text.contains(",'=HYPERLINK(1)\r\n"), "{text}");
        // One table: the header and one row, nothing appended under it.
        assert_eq!(text.lines().count(), 2, "{text}");
        assert!(!text.contains("抽取凭证") && !text.contains("种子"));
        let ev = dir.path().join("d-evidence.csv");
        assert_eq!(evidence_csv_path(&p), ev);
        assert_eq!(written_files(&p), [p.clone(), ev.clone()]);
        let ev_text = String::from_utf8(std::fs::read(&ev).unwrap()).unwrap();
        assert_eq!(
            ev_text,
            "\u{feff}项目,内容\r\n种子,'-007\r\n如何核验,运行 choucha verify\r\n"
        );
        let mut src = RowSource::open(&p, None).unwrap();
        let row = src.next_row().unwrap().unwrap();
        assert_eq!(row.cells[4], Cell::Text("'=HYPERLINK(1)".into()));
        assert!(all_text(&p).unwrap().contains("'-007"));
    }

    #[test]
    fn xlsx_has_title_rows_two_sheets_and_json_is_pretty() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("d.xlsx");
        write_public(&p, &doc(), &serde_json::json!({})).unwrap();
        let mut src = RowSource::open(&p, Some("抽取凭证")).unwrap();
        // The evidence sheet has a title row above its header.
        assert_eq!(src.headers(), ["2026年第一批 检查结果公示 抽取凭证"]);
        let row = src.next_row().unwrap().unwrap();
        assert_eq!(row.cells[0], Cell::Text("项目".into()));
        let text = all_text(&p).unwrap();
        // Text cells in xlsx are never run as formulas: the published text has no `'`.
        assert!(text.contains("=HYPERLINK(1)") && text.contains("-007"), "{text}");
        assert!(!text.contains("'=HYPERLINK(1)") && !text.contains("'-007"), "{text}");
        // The authority is a title line, not a column.
        assert_eq!(text.matches("临江市医疗保障局").count(), 1, "{text}");
        let j = dir.path().join("d.json");
        write_public(&j, &doc(), &serde_json::json!({"a": [1, 2]})).unwrap();
        let v: serde_json::Value = serde_json::from_slice(&std::fs::read(&j).unwrap()).unwrap();
        assert_eq!(v["a"][1], 2);
        assert!(write_public(&dir.path().join("d.pdf"), &doc(), &serde_json::json!({})).is_err());
    }
}
