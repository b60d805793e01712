//! Writing a public table (抽查结果公示) in four formats: xlsx, CSV, JSON, and one self-contained
//! printable HTML page. The caller decides what is public; this module only writes it, neutralising
//! formula-like cells in CSV and xlsx and escaping everything in HTML.

use std::borrow::Cow;
use std::path::Path;

use anyhow::{Result, bail};

use super::table_out::{OutTable, stage_table};

/// A public document: one table and the evidence that lets anyone check the draw behind it.
#[derive(Debug, Clone, Default)]
pub struct PublicDoc {
    /// Page and sheet title, e.g. `临江市医疗保障局 2026年第一批… 抽查结果公示`.
    pub title: String,
    /// Lines under the title: (label, value).
    pub facts: Vec<(String, String)>,
    pub sheet_name: String,
    pub headers: Vec<String>,
    /// Columns holding codes (kept as text in xlsx, never wrapped in HTML).
    pub code_columns: Vec<usize>,
    /// Columns of longer text (given room in HTML).
    pub wide_columns: Vec<usize>,
    pub rows: Vec<Vec<String>>,
    pub evidence_title: String,
    /// (label, value) pairs.
    pub evidence: Vec<(String, String)>,
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

/// Writes `doc` (or, for `.json`, `json`) to `path` in the format its extension names, completely
/// or not at all.
pub fn write_public(path: &Path, doc: &PublicDoc, json: &serde_json::Value) -> Result<PublicFormat> {
    let (format, staged) = stage_public(path, doc, json)?;
    staged.place()?;
    Ok(format)
}

/// `write_public`'s file, complete and on disk but not yet in place (see `super::Staged`).
pub fn stage_public(path: &Path, doc: &PublicDoc, json: &serde_json::Value) -> Result<(PublicFormat, super::Staged)> {
    let Some(format) = PublicFormat::from_path(path) else {
        bail!(
            "不支持的公示格式（扩展名应为 .xlsx、.csv、.json 或 .html）/ unsupported format (use .xlsx, .csv, .json or .html): {}",
            path.display()
        );
    };
    let staged = match format {
        PublicFormat::Xlsx => {
            let main = OutTable {
                sheet_name: &doc.sheet_name,
                headers: doc.headers.clone(),
                rows: doc.rows.clone(),
                code_columns: doc.code_columns.clone(),
                neutralize_formulas: true,
            };
            let mut ev_rows: Vec<Vec<String>> = doc.evidence.iter().map(|(k, v)| vec![k.clone(), v.clone()]).collect();
            ev_rows.push(vec!["如何核验".into(), doc.how_to_verify.clone()]);
            let evidence = OutTable {
                sheet_name: &doc.evidence_title,
                headers: vec!["项目".into(), "内容".into()],
                rows: ev_rows,
                code_columns: vec![1],
                neutralize_formulas: true,
            };
            stage_table(path, &[main, evidence])?
        }
        PublicFormat::Csv => super::stage_bytes(path, &csv_bytes(doc)?)?,
        PublicFormat::Json => {
            let mut bytes = serde_json::to_vec_pretty(json)?;
            bytes.push(b'\n');
            super::stage_bytes(path, &bytes)?
        }
        PublicFormat::Html => super::stage_bytes(path, html(doc).as_bytes())?,
    };
    Ok((format, staged))
}

/// Prefixes `'` to a cell a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, TAB, CR).
pub fn neutralize(cell: &str) -> Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

/// UTF-8 with BOM, CRLF: the table, a blank line, then the evidence as label/value rows.
fn csv_bytes(doc: &PublicDoc) -> Result<Vec<u8>> {
    let mut out: Vec<u8> = b"\xEF\xBB\xBF".to_vec();
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .flexible(true)
        .from_writer(Vec::new());
    for row in std::iter::once(&doc.headers).chain(&doc.rows) {
        w.write_record(row.iter().map(|c| neutralize(c).into_owned()))?;
    }
    out.extend(w.into_inner().map_err(|e| anyhow::anyhow!("{e}"))?);
    out.extend_from_slice(b"\r\n");
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .flexible(true)
        .from_writer(Vec::new());
    w.write_record([neutralize(&doc.evidence_title).as_ref()])?;
    for (k, v) in &doc.evidence {
        w.write_record([neutralize(k).as_ref(), neutralize(v).as_ref()])?;
    }
    w.write_record(["如何核验", neutralize(&doc.how_to_verify).as_ref()])?;
    out.extend(w.into_inner().map_err(|e| anyhow::anyhow!("{e}"))?);
    Ok(out)
}

/// Escapes text for HTML element content and attribute values.
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Escaped, with line breaks kept.
fn cell_html(s: &str) -> String {
    escape_html(s).replace("\r\n", "\n").replace('\n', "<br>")
}

const CSS: &str = r#"
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 24px; color: #111; background: #fff;
  font-family: "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", "WenQuanYi Micro Hei", "SimSun", sans-serif;
  font-size: 14px; line-height: 1.5; }
h1 { font-size: 20px; text-align: center; margin: 0 0 12px; }
h2 { font-size: 16px; margin: 24px 0 8px; border-left: 4px solid #b22; padding-left: 8px; }
.facts { display: flex; flex-wrap: wrap; gap: 4px 24px; margin: 0 0 12px; padding: 0; list-style: none; color: #333; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid #999; padding: 4px 6px; vertical-align: top; text-align: left; }
thead th { background: #eee; }
tbody tr:nth-child(even) td { background: #fafafa; }
td.wide { min-width: 10em; }
td.code { white-space: nowrap; font-family: "DejaVu Sans Mono", "Consolas", monospace; font-size: 12px; }
table.evidence th { width: 12em; background: #f5f5f5; white-space: nowrap; }
table.evidence td { font-family: "DejaVu Sans Mono", "Consolas", monospace; word-break: break-all; }
p.verify { margin: 8px 0; }
footer { margin-top: 16px; color: #555; font-size: 12px; }
@media print {
  @page { size: A4 landscape; margin: 12mm; }
  body { margin: 0; font-size: 9pt; }
  td.code { font-size: 8pt; }
  thead { display: table-header-group; }
  tr, td, th { page-break-inside: avoid; break-inside: avoid; }
  tbody tr:nth-child(even) td { background: none; }
  h2 { page-break-after: avoid; break-after: avoid; }
}
"#;

/// One self-contained page: inline CSS, no scripts, no external assets.
pub fn html(doc: &PublicDoc) -> String {
    let mut h = String::new();
    h.push_str("<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n");
    h.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    h.push_str(&format!("<title>{}</title>\n", escape_html(&doc.title)));
    h.push_str(&format!("<style>{CSS}</style>\n</head>\n<body>\n"));
    h.push_str(&format!("<h1>{}</h1>\n<ul class=\"facts\">\n", escape_html(&doc.title)));
    for (k, v) in &doc.facts {
        h.push_str(&format!("<li>{}：{}</li>\n", escape_html(k), escape_html(v)));
    }
    h.push_str("</ul>\n<table class=\"results\">\n<thead><tr>");
    for head in &doc.headers {
        h.push_str(&format!("<th scope=\"col\">{}</th>", escape_html(head)));
    }
    h.push_str("</tr></thead>\n<tbody>\n");
    for row in &doc.rows {
        h.push_str("<tr>");
        for (c, cell) in row.iter().enumerate() {
            if doc.code_columns.contains(&c) {
                h.push_str(&format!("<td class=\"code\">{}</td>", cell_html(cell)));
            } else if doc.wide_columns.contains(&c) {
                h.push_str(&format!("<td class=\"wide\">{}</td>", cell_html(cell)));
            } else {
                h.push_str(&format!("<td>{}</td>", cell_html(cell)));
            }
        }
        h.push_str("</tr>\n");
    }
    h.push_str("</tbody>\n</table>\n");
    h.push_str(&format!(
        "<h2>{}</h2>\n<table class=\"evidence\">\n<tbody>\n",
        escape_html(&doc.evidence_title)
    ));
    for (k, v) in &doc.evidence {
        h.push_str(&format!(
            "<tr><th scope=\"row\">{}</th><td>{}</td></tr>\n",
            escape_html(k),
            cell_html(v)
        ));
    }
    h.push_str("</tbody>\n</table>\n");
    h.push_str(&format!("<p class=\"verify\">{}</p>\n", cell_html(&doc.how_to_verify)));
    h.push_str("<footer>本页由 choucha 生成，内容以检查机关公布为准。</footer>\n</body>\n</html>\n");
    h
}

/// Reads a whole file written by `write_public` back as text cells (xlsx: every sheet), for tests
/// and for the privacy check of exported files.
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
            std::io::Read::read_to_string(&mut std::fs::File::open(path)?, &mut s)?;
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
            title: "临江市医疗保障局 抽查结果公示".into(),
            facts: vec![("检查机关".into(), "临江市医疗保障局".into())],
            sheet_name: "抽查结果公示".into(),
            headers: vec!["序号".into(), "检查对象名称".into(), "备注".into()],
            code_columns: vec![],
            wide_columns: vec![1],
            rows: vec![vec![
                "1".into(),
                "临江<市>第一人民医院 & \"分院\"".into(),
                "=HYPERLINK(1)".into(),
            ]],
            evidence_title: "抽取凭证".into(),
            evidence: vec![("种子".into(), "-007".into())],
            how_to_verify: "运行 choucha verify".into(),
        }
    }

    #[test]
    fn html_is_escaped_and_self_contained() {
        let h = html(&doc());
        assert!(h.contains("临江&lt;市&gt;第一人民医院 &amp; &quot;分院&quot;"));
        assert!(!h.contains("<市>"));
        assert!(h.contains("@media print"));
        for external in ["<script", "<link", "src=", "http://", "https://", "url("] {
            assert!(!h.contains(external), "{external}");
        }
        assert_eq!(escape_html("<'a'&\"b\">"), "&lt;&#39;a&#39;&amp;&quot;b&quot;&gt;");
    }

    #[test]
    fn csv_has_bom_crlf_evidence_and_no_formulas() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("d.csv");
        assert_eq!(
            write_public(&p, &doc(), &serde_json::json!({})).unwrap(),
            PublicFormat::Csv
        );
        let bytes = std::fs::read(&p).unwrap();
        assert!(bytes.starts_with("\u{feff}序号,检查对象名称,备注\r\n".as_bytes()));
        let text = String::from_utf8(bytes).unwrap();
        assert!(text.contains(",'=HYPERLINK(1)\r\n"), "{text}");
        assert!(text.contains("\r\n\r\n抽取凭证\r\n种子,'-007\r\n"), "{text}");
        let mut src = RowSource::open(&p, None).unwrap();
        let row = src.next_row().unwrap().unwrap();
        assert_eq!(row.cells[2], Cell::Text("'=HYPERLINK(1)".into()));
    }

    #[test]
    fn xlsx_has_two_sheets_and_json_is_pretty() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("d.xlsx");
        write_public(&p, &doc(), &serde_json::json!({})).unwrap();
        let mut src = RowSource::open(&p, Some("抽取凭证")).unwrap();
        assert_eq!(src.headers(), ["项目", "内容"]);
        let row = src.next_row().unwrap().unwrap();
        // Text cells in xlsx are never run as formulas: the published text has no `'`.
        assert_eq!(row.cells[1], Cell::Text("-007".into()));
        assert!(all_text(&p).unwrap().contains("=HYPERLINK(1)"));
        assert!(!all_text(&p).unwrap().contains("'=HYPERLINK(1)"));
        let j = dir.path().join("d.json");
        write_public(&j, &doc(), &serde_json::json!({"a": [1, 2]})).unwrap();
        let v: serde_json::Value = serde_json::from_slice(&std::fs::read(&j).unwrap()).unwrap();
        assert_eq!(v["a"][1], 2);
        assert!(write_public(&dir.path().join("d.pdf"), &doc(), &serde_json::json!({})).is_err());
    }
}
