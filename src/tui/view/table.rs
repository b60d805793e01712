//! Table helpers measured in display columns (unicode-width), never in bytes or characters:
//! a Chinese character takes two columns, so `.len()` would misalign every column.

use ratatui::style::Style;
use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthChar;

pub use crate::tui::forms::width;

/// Cuts `s` to at most `w` columns, ending with `…` when something was cut.
pub fn truncate(s: &str, w: usize) -> String {
    if width(s) <= w {
        return s.to_string();
    }
    if w == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let cw = c.width().unwrap_or(0);
        if used + cw > w - 1 {
            break;
        }
        out.push(c);
        used += cw;
    }
    out.push('…');
    out
}

/// Exactly `w` columns: truncated, then padded with spaces.
pub fn fit(s: &str, w: usize) -> String {
    let mut t = truncate(s, w);
    let pad = w.saturating_sub(width(&t));
    t.extend(std::iter::repeat_n(' ', pad));
    t
}

/// Right-aligned in exactly `w` columns.
pub fn fit_right(s: &str, w: usize) -> String {
    let t = truncate(s, w);
    format!("{}{t}", " ".repeat(w.saturating_sub(width(&t))))
}

/// The gap between columns.
pub const GAP: usize = 2;

/// One table line: the chosen cells fitted to their widths, joined by the gap.
pub fn row_text(cells: &[&str], cols: &[(usize, usize)]) -> String {
    let parts: Vec<String> = cols
        .iter()
        .map(|&(c, w)| fit(cells.get(c).copied().unwrap_or(""), w))
        .collect();
    parts.join(&" ".repeat(GAP))
}

/// A whole line with one style, padded to `w` so that a highlight covers the row.
pub fn styled_row(text: String, w: usize, style: Style) -> Line<'static> {
    Line::from(Span::styled(fit(&text, w), style))
}

/// "label：value" lines with the labels padded to the same display width.
pub fn label_lines(pairs: &[(String, String)]) -> Vec<(String, String)> {
    let lw = pairs.iter().map(|(l, _)| width(l)).max().unwrap_or(0);
    pairs.iter().map(|(l, v)| (fit(l, lw), v.clone())).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fit_counts_columns() {
        assert_eq!(fit("医院", 6), "医院  ");
        assert_eq!(width(&fit("临江市第一人民医院", 7)), 7);
        assert_eq!(fit("临江市第一人民医院", 7), "临江市…");
        assert_eq!(fit("临江市", 5), "临江…");
    }
}
