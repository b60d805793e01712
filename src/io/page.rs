//! One self-contained HTML page for people (announcements, disclosures): inline CSS, no script,
//! no external resource, `lang="zh-CN"`. A table reads as a table at desktop width and as one
//! card per row on a phone; it prints on A4 landscape. Rendered by a compile-time template
//! (templates/page.html) that escapes every value.

use askama::Template;

/// A page: a title, facts common to the whole page (shown once, in the header), and sections.
#[derive(Debug, Clone, Default)]
pub struct Page {
    pub title: String,
    /// A visible note under the title (e.g. that the file is a draft); empty: none.
    pub notice: String,
    pub facts: Vec<(String, String)>,
    pub sections: Vec<Section>,
    pub footer: String,
}

#[derive(Debug, Clone)]
pub struct Section {
    /// The anchor (`id`), ASCII.
    pub id: String,
    pub heading: String,
    /// Paragraphs before the body.
    pub intro: Vec<String>,
    pub body: SectionBody,
    /// Paragraphs after the body.
    pub outro: Vec<String>,
}

#[derive(Debug, Clone)]
pub enum SectionBody {
    Table(PageTable),
    /// Label/value lines; `code` values (digests, seeds) in a monospace font that wraps anywhere.
    Pairs(Vec<Pair>),
    None,
}

#[derive(Debug, Clone)]
pub struct Pair {
    pub label: String,
    pub value: String,
    pub code: bool,
}

/// How a column reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ColumnKind {
    #[default]
    Text,
    /// Longer text: given room at desktop width.
    Wide,
    /// Codes and dates: monospace, not broken at desktop width.
    Code,
    /// Numbers: right-aligned.
    Number,
}

#[derive(Debug, Clone, Default)]
pub struct PageTable {
    pub headers: Vec<String>,
    pub kinds: Vec<ColumnKind>,
    pub rows: Vec<Vec<String>>,
    /// The column that heads a row's card on a phone (e.g. 检查对象名称).
    pub card_title: Option<usize>,
}

/// One cell as the template writes it.
struct CellView<'a> {
    label: &'a str,
    lines: Vec<&'a str>,
    class: &'static str,
}

struct TableView<'a> {
    headers: Vec<(&'a str, &'static str)>,
    rows: Vec<Vec<CellView<'a>>>,
}

enum BodyView<'a> {
    Table(TableView<'a>),
    Pairs(Vec<(&'a str, Vec<&'a str>, bool)>),
    None,
}

struct SectionView<'a> {
    id: &'a str,
    heading: &'a str,
    intro: &'a [String],
    body: BodyView<'a>,
    outro: &'a [String],
}

#[derive(Template)]
#[template(path = "page.html")]
struct PageView<'a> {
    title: &'a str,
    notice: &'a str,
    facts: &'a [(String, String)],
    sections: Vec<SectionView<'a>>,
    footer: &'a str,
    css: &'static str,
}

const CSS: &str = include_str!("../../templates/page.css");

fn class_of(kind: ColumnKind) -> &'static str {
    match kind {
        ColumnKind::Text => "text",
        ColumnKind::Wide => "wide",
        ColumnKind::Code => "code",
        ColumnKind::Number => "num",
    }
}

fn lines(s: &str) -> Vec<&str> {
    s.lines().collect()
}

fn table_view(t: &PageTable) -> TableView<'_> {
    let kind = |c: usize| t.kinds.get(c).copied().unwrap_or_default();
    TableView {
        headers: t
            .headers
            .iter()
            .enumerate()
            .map(|(c, h)| (h.as_str(), class_of(kind(c))))
            .collect(),
        rows: t
            .rows
            .iter()
            .map(|row| {
                row.iter()
                    .enumerate()
                    .map(|(c, cell)| CellView {
                        label: t.headers.get(c).map(String::as_str).unwrap_or(""),
                        lines: lines(cell),
                        class: if t.card_title == Some(c) {
                            "card-title"
                        } else {
                            class_of(kind(c))
                        },
                    })
                    .collect()
            })
            .collect(),
    }
}

impl Page {
    /// The page as HTML.
    pub fn html(&self) -> String {
        let view = PageView {
            title: &self.title,
            notice: &self.notice,
            facts: &self.facts,
            sections: self
                .sections
                .iter()
                .map(|s| SectionView {
                    id: &s.id,
                    heading: &s.heading,
                    intro: &s.intro,
                    outro: &s.outro,
                    body: match &s.body {
                        SectionBody::Table(t) => BodyView::Table(table_view(t)),
                        SectionBody::Pairs(p) => {
                            BodyView::Pairs(p.iter().map(|x| (x.label.as_str(), lines(&x.value), x.code)).collect())
                        }
                        SectionBody::None => BodyView::None,
                    },
                })
                .collect(),
            footer: &self.footer,
            css: CSS,
        };
        view.render().expect("rendering to a String cannot fail")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page() -> Page {
        Page {
            title: "临江<市> 抽查结果公示".into(),
            notice: "草稿".into(),
            facts: vec![("检查机关".into(), "临江市医疗保障局 & \"分局\"".into())],
            sections: vec![
                Section {
                    id: "records".into(),
                    heading: "检查结果".into(),
                    intro: vec![],
                    body: SectionBody::Table(PageTable {
                        headers: vec!["序号".into(), "检查对象名称".into(), "抽查事项".into()],
                        kinds: vec![ColumnKind::Number, ColumnKind::Text, ColumnKind::Wide],
                        rows: vec![vec!["1".into(), "<b>一院</b>".into(), "YB-01 甲\nYB-04 乙".into()]],
                        card_title: Some(1),
                    }),
                    outro: vec!["说明'".into()],
                },
                Section {
                    id: "evidence".into(),
                    heading: "抽取凭证".into(),
                    intro: vec![],
                    body: SectionBody::Pairs(vec![Pair {
                        label: "种子".into(),
                        value: "<007>".into(),
                        code: true,
                    }]),
                    outro: vec![],
                },
            ],
            footer: "本页由 choucha 生成".into(),
        }
    }

    #[test]
    fn page_escapes_everything_and_needs_nothing_outside() {
        let h = page().html();
        assert!(h.starts_with("<!DOCTYPE html>"), "{h}");
        assert!(h.contains(r#"<html lang="zh-CN">"#));
        assert!(h.contains(r#"<meta name="viewport" content="width=device-width, initial-scale=1">"#));
        assert!(h.contains("临江&#60;市&#62;") || h.contains("临江&lt;市&gt;"), "{h}");
        assert!(!h.contains("<b>一院</b>") && !h.contains("<007>"));
        // Line breaks inside a cell survive; each line is escaped on its own.
        assert!(h.contains("YB-01 甲<br>YB-04 乙"), "{h}");
        // Cards on a phone: every cell carries its column label; the card CSS is there.
        assert!(h.contains(r#"data-label="检查对象名称""#));
        assert!(h.contains("@media (max-width: 760px)") && h.contains("attr(data-label)"));
        assert!(h.contains("@media print") && h.contains("A4 landscape"));
        assert!(h.contains(r#"<section id="evidence""#));
        for external in ["<script", "<link", "src=", "http://", "https://", "url(", "@import"] {
            assert!(!h.contains(external), "{external}");
        }
    }
}
