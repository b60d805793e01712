//! Writing a [`Page`] as a file: HTML (the page itself), xlsx (one sheet of the page's facts and
//! texts, one sheet per table, laid out like the disclosure) or JSON (the caller's complete,
//! machine-readable document).

use std::path::Path;

use anyhow::{Result, bail};

use super::page::{ColumnKind, Page, SectionBody};
use super::table_out::{OutTable, SheetLayout, write_sheets};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageFormat {
    Html,
    Xlsx,
    Json,
}

impl PageFormat {
    pub fn from_path(path: &Path) -> Option<PageFormat> {
        match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
            "html" | "htm" => Some(PageFormat::Html),
            "xlsx" => Some(PageFormat::Xlsx),
            "json" => Some(PageFormat::Json),
            _ => None,
        }
    }
}

/// Writes `page` (or, for `.json`, `json`) to `path` completely or not at all.
pub fn write_page(path: &Path, page: &Page, json: &serde_json::Value) -> Result<PageFormat> {
    let Some(format) = PageFormat::from_path(path) else {
        bail!(
            "不支持的格式（扩展名应为 .html、.xlsx 或 .json）/ unsupported format (use .html, .xlsx or .json): {}",
            path.display()
        );
    };
    match format {
        PageFormat::Html => super::write_atomic(path, page.html().as_bytes())?,
        PageFormat::Json => {
            let mut bytes = serde_json::to_vec_pretty(json)?;
            bytes.push(b'\n');
            super::write_atomic(path, &bytes)?
        }
        PageFormat::Xlsx => write_xlsx(path, page)?,
    }
    Ok(format)
}

/// A sheet name from a section heading: without its "一、" numbering.
fn sheet_title(heading: &str) -> &str {
    heading.split_once('、').map(|(_, t)| t).unwrap_or(heading)
}

fn write_xlsx(path: &Path, page: &Page) -> Result<()> {
    let mut title = vec![page.title.clone()];
    if !page.notice.is_empty() {
        title.push(page.notice.clone());
    }
    title.extend(page.facts.iter().map(|(k, v)| format!("{k}：{v}")));
    // The first sheet: every section's texts and label/value lines, tables referred to by name.
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut mono_cells = Vec::new();
    let mut tables: Vec<(String, OutTable, SheetLayout)> = Vec::new();
    for s in &page.sections {
        let name = sheet_title(&s.heading).to_string();
        // The heading on a line of its own, then the section's lines.
        rows.push(vec![s.heading.clone(), String::new()]);
        for p in &s.intro {
            rows.push(vec![String::new(), p.clone()]);
        }
        match &s.body {
            SectionBody::Pairs(pairs) => {
                for p in pairs {
                    if p.code {
                        mono_cells.push((rows.len(), 1));
                    }
                    rows.push(vec![p.label.clone(), p.value.clone()]);
                }
            }
            SectionBody::Table(t) => {
                rows.push(vec![String::new(), format!("见「{name}」表（{} 行）", t.rows.len())]);
                let codes: Vec<usize> = (0..t.headers.len())
                    .filter(|&c| t.kinds.get(c) == Some(&ColumnKind::Code))
                    .collect();
                let layout = SheetLayout {
                    title_lines: vec![format!("{} {}", page.title, name)],
                    wrap: true,
                    print_landscape: true,
                    narrow_to_page: true,
                    ..SheetLayout::default()
                };
                tables.push((
                    name.clone(),
                    OutTable {
                        sheet_name: "",
                        headers: t.headers.clone(),
                        rows: t.rows.clone(),
                        code_columns: codes,
                        neutralize_formulas: true,
                    },
                    layout,
                ));
            }
            SectionBody::None => {}
        }
        for p in &s.outro {
            rows.push(vec![String::new(), p.clone()]);
        }
    }
    let front = OutTable {
        sheet_name: "公告",
        headers: vec!["项目".into(), "内容".into()],
        rows,
        code_columns: vec![],
        neutralize_formulas: true,
    };
    let front_layout = SheetLayout {
        title_lines: title,
        wrap: true,
        mono_cells,
        print_landscape: true,
        narrow_to_page: true,
        ..SheetLayout::default()
    };
    let named: Vec<OutTable> = tables
        .iter()
        .map(|(name, t, _)| OutTable {
            sheet_name: name,
            ..t.clone()
        })
        .collect();
    let mut sheets: Vec<(&OutTable, &SheetLayout)> = vec![(&front, &front_layout)];
    sheets.extend(named.iter().zip(tables.iter().map(|(_, _, l)| l)));
    write_sheets(path, &sheets)
}
