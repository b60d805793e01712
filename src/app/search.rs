//! An in-memory search index over the searched columns of a roster, for filtering the
//! institutions roster (a million rows) on every keystroke: a substring scan of one string is
//! some tens of times faster than SQLite's `instr` over the table.
//!
//! The index is one `String` of lines in key order, one line per record (active or not), its
//! searched fields separated by `SEP`; a filter matches like the SQL one (`where_clause`):
//! every word occurs, case-sensitively, in some field.

use std::collections::HashMap;
use std::rc::Rc;

use anyhow::Result;
use memchr::memmem::Finder;
use rusqlite::Connection;

use super::Service;
use super::rosters::{PageQuery, RosterKind, RosterPage};
use crate::domain::{Institution, Record};
use crate::store::rosters::{self as db, RosterTable};

/// Separates the fields of a line; a filter word never holds it (nor '\n'), so a match never
/// spans two fields or two lines.
const SEP: char = '\u{1f}';

/// Indexes larger than this are searched on several cores.
const PARALLEL_BYTES: usize = 4 << 20;

/// Bytes reserved per record while building (a line of the institutions roster is about 70).
const RESERVE_PER_LINE: usize = 160;

pub struct RosterIndex {
    /// The lines, each ending in '\n'.
    text: String,
    /// Byte offset of each line; one more entry (the text's length) closes the last line.
    starts: Vec<u32>,
    /// One bit per line: the record is active.
    active: Vec<u64>,
}

impl RosterIndex {
    /// Reads the searched columns of every record of roster `R`, in key order.
    pub fn build<R: RosterTable>(conn: &Connection) -> Result<RosterIndex> {
        // Reserved generously up front: growing by copying would touch twice the memory, and
        // the pages reserved but never written are not resident.
        let rows = db::row_estimate::<R>(conn)?;
        let mut idx = RosterIndex {
            text: String::with_capacity(rows.saturating_mul(RESERVE_PER_LINE)),
            starts: Vec::with_capacity(rows + 1),
            active: Vec::with_capacity(rows / 64 + 1),
        };
        db::for_each_search_row::<R>(conn, |fields, active| idx.push(fields, active))?;
        anyhow::ensure!(idx.text.len() <= u32::MAX as usize, "the roster is too large to index");
        idx.starts.push(idx.text.len() as u32);
        // No `shrink_to_fit`: it would copy the text; the unused reserve was never resident.
        Ok(idx)
    }

    fn push(&mut self, fields: &[&str], active: bool) {
        let line = self.starts.len();
        self.starts.push(self.text.len() as u32);
        if line.is_multiple_of(64) {
            self.active.push(0);
        }
        if active {
            self.active[line / 64] |= 1 << (line % 64);
        }
        for (i, f) in fields.iter().enumerate() {
            if i > 0 {
                self.text.push(SEP);
            }
            if f.contains([SEP, '\n']) {
                // Never a match across fields: a word holds no space.
                self.text
                    .extend(f.chars().map(|c| if c == SEP || c == '\n' { ' ' } else { c }));
            } else {
                self.text.push_str(f);
            }
        }
        self.text.push('\n');
    }

    /// Records indexed (active or not).
    pub fn len(&self) -> usize {
        self.starts.len() - 1
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Bytes in use (text, line starts, active bits).
    pub fn memory(&self) -> usize {
        self.text.len() + self.starts.len() * 4 + self.active.len() * 8
    }

    pub fn is_active(&self, line: u32) -> bool {
        let l = line as usize;
        self.active[l / 64] >> (l % 64) & 1 == 1
    }

    fn line(&self, line: usize) -> &str {
        &self.text[self.starts[line] as usize..self.starts[line + 1] as usize - 1]
    }

    /// The key (first field) of a line.
    pub fn key(&self, line: u32) -> &str {
        let l = self.line(line as usize);
        l.split(SEP).next().unwrap_or(l)
    }

    /// The lines (in key order) in which every word occurs; inactive records only when asked.
    /// A large index is searched in parallel, a slice of lines per core.
    pub fn search(&self, words: &[&str], include_inactive: bool) -> Vec<u32> {
        if words.iter().any(|w| w.contains([SEP, '\n'])) {
            return Vec::new();
        }
        let mut words: Vec<&str> = words.iter().copied().filter(|w| !w.is_empty()).collect();
        // Scan for the longest word (the fewest false starts); check the others within its lines.
        words.sort_by_key(|w| std::cmp::Reverse(w.len()));
        let n = self.len();
        let parts = if self.text.len() < PARALLEL_BYTES {
            1
        } else {
            std::thread::available_parallelism().map_or(1, |p| p.get().min(8))
        };
        let finders: Vec<Finder> = words.iter().map(|w| Finder::new(w.as_bytes())).collect();
        // Each slice's lines are an upper bound of its hits: allocated here, filled there, so
        // that the short-lived threads allocate nothing (which keeps memory from growing).
        let mut found: Vec<Vec<u32>> = (0..parts)
            .map(|p| Vec::with_capacity(n * (p + 1) / parts - n * p / parts))
            .collect();
        if parts == 1 {
            self.search_lines(0, n, &finders, include_inactive, &mut found[0]);
            return found.pop().unwrap_or_default();
        }
        std::thread::scope(|scope| {
            for (p, out) in found.iter_mut().enumerate() {
                let finders = &finders;
                scope.spawn(move || {
                    self.search_lines(n * p / parts, n * (p + 1) / parts, finders, include_inactive, out)
                });
            }
        });
        let mut out = Vec::with_capacity(found.iter().map(Vec::len).sum());
        for f in found {
            out.extend(f);
        }
        out
    }

    /// `search` over lines `from..to` into `out`; `words` longest first.
    fn search_lines(&self, from: usize, to: usize, words: &[Finder], include_inactive: bool, out: &mut Vec<u32>) {
        let keep = |line: usize| include_inactive || self.is_active(line as u32);
        let Some((first, others)) = words.split_first() else {
            out.extend((from..to).filter(|&l| keep(l)).map(|l| l as u32));
            return;
        };
        let bytes = &self.text.as_bytes()[..self.starts[to] as usize];
        // The line containing the cursor position: moves forward only.
        let mut line = from;
        let mut pos = self.starts[from] as usize;
        while pos < bytes.len()
            && let Some(hit) = first.find(&bytes[pos..])
        {
            let at = pos + hit;
            while self.starts[line + 1] as usize <= at {
                line += 1;
            }
            let end = self.starts[line + 1] as usize;
            if keep(line) {
                let text = &bytes[self.starts[line] as usize..end];
                if others.iter().all(|f| f.find(text).is_some()) {
                    out.push(line as u32);
                }
            }
            pos = end;
            line += 1;
        }
    }
}

/// The institutions index kept by a `Service`, with what it was built from and the last search.
pub(crate) struct SearchCache {
    index: RosterIndex,
    /// `Service::data_stamp` when built: another connection's commit or a write of ours changes it.
    stamp: (i64, u64),
    /// The last search (words, include_inactive) and its lines: paging does not search again.
    last: Option<(Vec<String>, bool, Rc<Vec<u32>>)>,
}

impl Service {
    /// Changes with every commit, ours or another connection's.
    fn data_stamp(&self) -> Result<(i64, u64)> {
        Ok((self.store.data_version()?, self.store.total_changes()))
    }

    /// Whether `roster_filter_page` answers this query from the in-memory index (the
    /// institutions roster in code order); other queries go to the database.
    pub fn roster_searchable(&self, kind: RosterKind, q: &PageQuery) -> bool {
        kind == RosterKind::Institutions && q.sort == 0
    }

    /// Whether the index of the roster is built and up to date (a filter then costs milliseconds).
    pub fn roster_search_ready(&self, kind: RosterKind) -> bool {
        kind == RosterKind::Institutions
            && self
                .data_stamp()
                .is_ok_and(|s| self.search.borrow().as_ref().is_some_and(|c| c.stamp == s))
    }

    /// Builds (or rebuilds, after a change) the index of the roster; nothing for a roster without one.
    pub fn prepare_roster_search(&self, kind: RosterKind) -> Result<()> {
        if kind != RosterKind::Institutions {
            return Ok(());
        }
        let stamp = self.data_stamp()?;
        if self.search.borrow().as_ref().is_some_and(|c| c.stamp == stamp) {
            return Ok(());
        }
        // Drop the old index first: never two in memory.
        *self.search.borrow_mut() = None;
        let index = RosterIndex::build::<Institution>(self.store.conn())?;
        *self.search.borrow_mut() = Some(SearchCache {
            index,
            stamp,
            last: None,
        });
        Ok(())
    }

    /// Bytes held by the search indexes.
    pub fn search_memory(&self) -> usize {
        self.search.borrow().as_ref().map_or(0, |c| c.index.memory())
    }

    /// A filtered page with the exact number of matching rows. The institutions roster in code
    /// order is searched in memory (see `roster_searchable`); anything else is two queries.
    pub fn roster_filter_page(&self, kind: RosterKind, q: &PageQuery) -> Result<RosterPage> {
        if !self.roster_searchable(kind, q) {
            let mut page = self.roster_page(kind, q)?;
            page.total = Some(self.roster_count(kind, q)?);
            return Ok(page);
        }
        self.prepare_roster_search(kind)?;
        let words: Vec<String> = q.filter.split_whitespace().map(String::from).collect();
        let mut cache = self.search.borrow_mut();
        let cache = cache.as_mut().expect("index prepared");
        let hits = match &cache.last {
            Some((w, inactive, hits)) if *w == words && *inactive == q.include_inactive => hits.clone(),
            _ => {
                let refs: Vec<&str> = words.iter().map(String::as_str).collect();
                let hits = Rc::new(cache.index.search(&refs, q.include_inactive));
                cache.last = Some((words, q.include_inactive, hits.clone()));
                hits
            }
        };
        let total = hits.len();
        let from = q.offset.min(total);
        let to = q.offset.saturating_add(q.limit.max(1)).min(total);
        let lines: Vec<u32> = (from..to)
            .map(|p| if q.descending { hits[total - 1 - p] } else { hits[p] })
            .collect();
        let keys: Vec<&str> = lines.iter().map(|&l| cache.index.key(l)).collect();
        let place: HashMap<&str, usize> = keys.iter().enumerate().map(|(i, k)| (*k, i)).collect();
        let mut slots: Vec<Option<(Vec<String>, bool)>> = vec![None; keys.len()];
        for (cells, active) in db::cells_by_keys::<Institution>(self.store.conn(), &keys)? {
            if let Some(&i) = cells.first().and_then(|k| place.get(k.as_str())) {
                slots[i] = Some((cells, active));
            }
        }
        let (rows, active) = slots.into_iter().flatten().unzip();
        Ok(RosterPage {
            headers: Institution::FIELDS.iter().map(|f| f.zh).collect(),
            rows,
            active,
            total: Some(total),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index(rows: &[(&[&str], bool)]) -> RosterIndex {
        let mut idx = RosterIndex {
            text: String::new(),
            starts: Vec::new(),
            active: Vec::new(),
        };
        for (f, a) in rows {
            idx.push(f, *a);
        }
        idx.starts.push(idx.text.len() as u32);
        idx
    }

    #[test]
    fn matches_every_word_in_some_field_like_the_sql_filter() {
        let idx = index(&[
            (&["H001", "江南医院", "", "江南区"], true),
            (&["H002", "江北诊所", "", "江北区"], false),
            (&["H003", "白石医院", "", "白石县"], true),
            (&["H004", "南\u{1f}江", "", "x\ny"], true),
        ]);
        assert_eq!(idx.len(), 4);
        assert_eq!(idx.search(&["江"], false), [0, 3]);
        assert_eq!(idx.search(&["江"], true), [0, 1, 3]);
        assert_eq!(idx.search(&["医院", "H00"], false), [0, 2]);
        assert_eq!(idx.search(&["医院", "江南区"], false), [0]);
        // No match across fields or lines.
        assert!(idx.search(&["院H"], true).is_empty());
        assert!(idx.search(&["H0042"], true).is_empty());
        assert!(idx.search(&["南\u{1f}江"], true).is_empty());
        assert!(idx.search(&["不存在"], true).is_empty());
        assert_eq!(idx.search(&[], false), [0, 2, 3]);
        assert_eq!(idx.key(2), "H003");
        // A search in slices of lines (as on several cores) finds the same lines.
        for words in [&["江"][..], &["医院"], &[]] {
            let finders: Vec<Finder> = words.iter().map(|w| Finder::new(w.as_bytes())).collect();
            let mut parts = Vec::new();
            idx.search_lines(0, 1, &finders, true, &mut parts);
            idx.search_lines(1, 4, &finders, true, &mut parts);
            assert_eq!(parts, idx.search(words, true));
        }
        assert!(!idx.is_active(1));
    }
}
