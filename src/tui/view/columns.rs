//! Which table columns to show and how wide, in display columns. The widths come from what
//! the table holds as a whole (never from the rows on screen), so that paging, filtering or
//! recording a result does not make the columns jump.

use super::table::{GAP, width};

/// The sizing rule of one column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ColSpec {
    /// Stands in for the widest cell while no rows were measured (an empty roster or result),
    /// so that the header keeps the layout the rows would give it.
    pub typical: usize,
    /// The most the column takes while columns are chosen; spare width may widen it later.
    pub cap: usize,
}

impl ColSpec {
    pub const fn new(typical: usize, cap: usize) -> Self {
        ColSpec { typical, cap }
    }
}

/// One column to lay out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Col {
    /// Its widest cell or header: what shows everything.
    pub full: usize,
    /// What it takes while columns are chosen: `full` capped, never narrower than the header.
    pub want: usize,
    /// Every cell is empty: it comes after all the others.
    pub empty: bool,
}

impl Col {
    /// `widest` is the widest cell measured, `None` when no rows were measured.
    pub fn new(header: &str, widest: Option<usize>, spec: ColSpec) -> Col {
        Col {
            empty: widest == Some(0),
            ..Col::capped(header, widest.unwrap_or(spec.typical), spec.cap)
        }
    }

    /// A column whose widest cell is `widest`, taking at most `cap` while columns are chosen.
    pub fn capped(header: &str, widest: usize, cap: usize) -> Col {
        let h = width(header);
        let full = widest.max(h);
        Col {
            full,
            want: full.min(cap.max(h)),
            empty: false,
        }
    }

    /// A column as wide as its header and `w`, whatever its cells (cells that must not
    /// change the layout when they change, such as a result just recorded).
    pub fn fixed(header: &str, w: usize) -> Col {
        let full = w.max(width(header));
        Col {
            full,
            want: full,
            empty: false,
        }
    }
}

/// The widest cell of each of `n` columns.
pub fn widest_cells(rows: &[Vec<String>], n: usize) -> Vec<usize> {
    let mut out = vec![0; n];
    for row in rows {
        for (w, cell) in out.iter_mut().zip(row) {
            *w = (*w).max(width(cell));
        }
    }
    out
}

/// The columns to show in `avail` display columns, as (column index, width) in display order.
/// Columns are taken in `priority` order at their `want` width, empty ones last, and the
/// first that does not fit ends the list: columns always drop in the same order, and no
/// header is cut. Spare width then goes to the columns that are cut, the most important
/// first, so that no dead space is left at the right while something is cut.
pub fn choose_columns(cols: &[Col], priority: &[usize], avail: usize) -> Vec<(usize, usize)> {
    let known = |c: &&usize| **c < cols.len();
    let full = priority.iter().filter(known).filter(|&&c| !cols[c].empty);
    let empty = priority.iter().filter(known).filter(|&&c| cols[c].empty);
    let mut chosen: Vec<(usize, usize)> = Vec::new();
    let mut used = 0;
    for &c in full.chain(empty) {
        let gap = if chosen.is_empty() { 0 } else { GAP };
        if used + gap + cols[c].want > avail {
            if chosen.is_empty() {
                // Too narrow for any column whole: show the first one cut.
                chosen.push((c, avail));
                used = avail;
            }
            break;
        }
        chosen.push((c, cols[c].want));
        used += gap + cols[c].want;
    }
    let mut spare = avail.saturating_sub(used);
    for (c, w) in &mut chosen {
        let more = cols[*c].full.saturating_sub(*w).min(spare);
        *w += more;
        spare -= more;
    }
    chosen.sort_by_key(|&(c, _)| c);
    chosen
}

#[cfg(test)]
mod tests {
    use super::*;

    fn col(full: usize, want: usize) -> Col {
        Col {
            full,
            want,
            empty: false,
        }
    }

    #[test]
    fn columns_drop_in_priority_order() {
        let cols = [col(12, 12), col(30, 20), col(8, 8), col(4, 4)];
        // Everything fits at its want; the spare widens the cut name.
        assert_eq!(
            choose_columns(&cols, &[0, 1, 2, 3], 60),
            vec![(0, 12), (1, 30), (2, 8), (3, 4)]
        );
        // Column 2 does not fit: column 3 is dropped too, though it would fit.
        assert_eq!(choose_columns(&cols, &[0, 1, 2, 3], 40), vec![(0, 12), (1, 26)]);
        // Nothing fits whole: the first column, cut.
        assert_eq!(choose_columns(&cols, &[0, 1], 10), vec![(0, 10)]);
    }

    #[test]
    fn empty_columns_come_last_at_their_header() {
        let empty = Col::new("回避机构", Some(0), ColSpec::new(20, 20));
        assert_eq!((empty.want, empty.empty), (8, true));
        let cols = [col(12, 12), empty, col(6, 6)];
        assert_eq!(choose_columns(&cols, &[0, 1, 2], 24), vec![(0, 12), (2, 6)]);
        assert_eq!(choose_columns(&cols, &[0, 1, 2], 32), vec![(0, 12), (1, 8), (2, 6)]);
    }

    #[test]
    fn unmeasured_columns_take_their_typical_width() {
        let c = Col::new("机构名称", None, ColSpec::new(28, 20));
        assert_eq!((c.full, c.want, c.empty), (28, 20, false));
        let c = Col::new("信用等级", Some(1), ColSpec::new(1, 8));
        assert_eq!((c.full, c.want), (8, 8));
    }

    #[test]
    fn widest_cells_count_display_columns() {
        let rows = vec![
            vec!["H1".to_string(), "临江市".to_string()],
            vec!["H100".to_string(), String::new()],
        ];
        assert_eq!(widest_cells(&rows, 3), vec![4, 6, 0]);
    }
}
