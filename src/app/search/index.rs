//! An in-memory search index over the searched columns of a roster, for filtering the
//! institutions roster (a million rows) on every keystroke: a substring scan of one string is
//! some tens of times faster than SQLite's `instr` over the table.
//!
//! The index is one `String` of lines in key order, one line per record (active or not), its
//! searched fields separated by `SEP`; a filter matches like the SQL one (`where_clause`):
//! every word occurs, case-sensitively, in some field.

use crate::store::Reader;
use anyhow::{Result, bail};
use memchr::memmem::Finder;

use super::job::Cancel;
use crate::store::rosters::{self as db, RosterTable};

/// Separates the fields of a line; a filter word never holds it (nor '\n'), so a match never
/// spans two fields or two lines.
const SEP: char = '\u{1f}';

/// Ranges larger than this are scanned on several cores.
const PARALLEL_BYTES: usize = 4 << 20;

/// Bytes reserved per record while building (a line of the institutions roster is about 70).
const RESERVE_PER_LINE: usize = 160;

/// Lines between two looks at the cancel flag (a fraction of a millisecond of scanning).
const CANCEL_EVERY: usize = 1 << 15;

pub struct RosterIndex {
    /// The lines, each ending in '\n'.
    text: String,
    /// Byte offset of each line; one more entry (the text's length) closes the last line.
    starts: Vec<u32>,
    /// One bit per line: the record is active.
    active: Vec<u64>,
}

/// A filter ready to scan with: its words (longest first, the fewest false starts for the
/// scan) and whether inactive records count.
pub struct Pattern {
    finders: Vec<Finder<'static>>,
    include_inactive: bool,
    /// A word holds a separator: nothing matches.
    never: bool,
}

impl Pattern {
    pub fn new(words: &[&str], include_inactive: bool) -> Pattern {
        let never = words.iter().any(|w| w.contains([SEP, '\n']));
        let mut words: Vec<&str> = words.iter().copied().filter(|w| !w.is_empty()).collect();
        words.sort_by_key(|w| std::cmp::Reverse(w.len()));
        Pattern {
            finders: words.iter().map(|w| Finder::new(w.as_bytes()).into_owned()).collect(),
            include_inactive,
            never,
        }
    }
}

/// The matching lines found so far by a search that may stop early: every line of `lo..hi`
/// was scanned, and `lines` (ascending) are the matches among them.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Hits {
    pub lines: Vec<u32>,
    pub lo: usize,
    pub hi: usize,
}

impl Hits {
    pub fn is_complete(&self, n: usize) -> bool {
        self.lo == 0 && self.hi == n
    }

    /// Whether the first `need` matches in this order (descending: from the last line) are known.
    pub fn covers(&self, need: usize, descending: bool, n: usize) -> bool {
        self.is_complete(n) || self.lines.len() >= need && if descending { self.hi == n } else { self.lo == 0 }
    }

    /// The match at `pos` in this order; `covers(pos + 1, ..)` must hold.
    pub fn at(&self, pos: usize, descending: bool) -> u32 {
        if descending {
            self.lines[self.lines.len() - 1 - pos]
        } else {
            self.lines[pos]
        }
    }

    /// The lines not scanned yet: one range, after `hi` or before `lo`.
    pub fn rest(&self, n: usize) -> std::ops::Range<usize> {
        if self.lo > 0 { 0..self.lo } else { self.hi..n }
    }

    /// Adds the matches of `rest(n)`, which were scanned meanwhile, keeping `rest`'s buffer:
    /// reserved for every line of the index, it takes the others without growing.
    pub fn complete_with(&mut self, mut rest: Vec<u32>, n: usize) {
        if self.lo > 0 {
            rest.append(&mut self.lines);
        } else {
            rest.splice(0..0, self.lines.drain(..));
        }
        self.lines = rest;
        (self.lo, self.hi) = (0, n);
    }
}

/// How a search looks for the first matches before scanning everything.
#[derive(Debug, Clone, Copy)]
pub struct Probe {
    /// Lines in the first chunk; each next chunk is twice as long.
    pub first_chunk: usize,
    /// After this many lines without enough matches, the rest is scanned at once on all cores.
    pub budget: usize,
}

impl RosterIndex {
    /// Reads the searched columns of every record of roster `R`, in key order.
    pub fn build<R: RosterTable>(reader: &Reader) -> Result<RosterIndex> {
        let mut idx = RosterIndex::with_capacity(db::row_estimate::<R>(reader)?);
        idx.fill::<R>(reader, None)?;
        Ok(idx)
    }

    /// An empty index with room for `rows` records. Reserved generously up front: growing by
    /// copying would touch twice the memory, and the pages reserved but never written are not
    /// resident. (Reserved by the thread that will keep the index: memory reserved by a
    /// short-lived thread's allocator stays with it.)
    pub fn with_capacity(rows: usize) -> RosterIndex {
        RosterIndex {
            text: String::with_capacity(rows.saturating_mul(RESERVE_PER_LINE)),
            starts: Vec::with_capacity(rows + 1),
            active: Vec::with_capacity(rows / 64 + 1),
        }
    }

    /// Reads the searched columns of every record of roster `R` into this empty index, in key
    /// order; gives up with an error when `cancel` says so.
    pub fn fill<R: RosterTable>(&mut self, reader: &Reader, cancel: Option<&Cancel>) -> Result<()> {
        db::for_each_search_row::<R>(reader, |fields, active| {
            if self.starts.len().is_multiple_of(CANCEL_EVERY) && cancel.is_some_and(Cancel::stopped) {
                bail!("cancelled");
            }
            self.push(fields, active);
            Ok(())
        })?;
        anyhow::ensure!(self.text.len() <= u32::MAX as usize, "the roster is too large to index");
        self.starts.push(self.text.len() as u32);
        // No `shrink_to_fit`: it would copy the text; the unused reserve was never resident.
        Ok(())
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

    /// Every line (in key order) in which every word occurs; inactive records only when asked.
    pub fn search(&self, words: &[&str], include_inactive: bool) -> Vec<u32> {
        self.scan_parallel(&Pattern::new(words, include_inactive), 0, self.len())
    }

    /// The first `need` matches from the start (from the end when `descending`), and maybe more:
    /// chunks of growing size are scanned on this thread until `need` matches are found; past
    /// `probe.budget` lines the rest is scanned at once on all cores. A filter matching most
    /// rows thus costs a few chunks, not a pass over the index.
    pub fn search_first(&self, p: &Pattern, need: usize, descending: bool, probe: Probe) -> Hits {
        let n = self.len();
        let mut chunks: Vec<Vec<u32>> = Vec::new();
        let (mut lo, mut hi) = if descending { (n, n) } else { (0, 0) };
        let mut found = 0;
        let mut chunk = probe.first_chunk.max(1);
        while found < need && (lo > 0 || hi < n) {
            let part = if hi - lo >= probe.budget {
                // Only one side is left (the start is at 0 ascending, the end at n descending).
                let part = if descending {
                    self.scan_parallel(p, 0, lo)
                } else {
                    self.scan_parallel(p, hi, n)
                };
                (lo, hi) = (0, n);
                part
            } else {
                let (from, to) = if descending {
                    (lo.saturating_sub(chunk), lo)
                } else {
                    (hi, (hi + chunk).min(n))
                };
                let mut part = Vec::new();
                self.scan(p, from, to, &mut part);
                (lo, hi) = (lo.min(from), hi.max(to));
                chunk = chunk.saturating_mul(2);
                part
            };
            found += part.len();
            chunks.push(part);
        }
        if descending {
            chunks.reverse();
        }
        Hits {
            lines: chunks.concat(),
            lo,
            hi,
        }
    }

    /// The matches in lines `range`, on all cores when it is large.
    pub fn search_range(&self, p: &Pattern, range: std::ops::Range<usize>) -> Vec<u32> {
        self.scan_parallel(p, range.start, range.end)
    }

    /// Appends the matches in lines `range` to `out`, on this thread; false when `cancel`
    /// stopped it. (`out` is best reserved by the caller: see `with_capacity`.)
    pub fn scan_cancellable(
        &self,
        p: &Pattern,
        range: std::ops::Range<usize>,
        out: &mut Vec<u32>,
        cancel: &Cancel,
    ) -> bool {
        let mut from = range.start;
        while from < range.end {
            if cancel.stopped() {
                return false;
            }
            let to = (from + CANCEL_EVERY).min(range.end);
            self.scan(p, from, to, out);
            from = to;
        }
        true
    }

    /// The matches in lines `from..to`, a slice of lines per core when the range is large.
    fn scan_parallel(&self, p: &Pattern, from: usize, to: usize) -> Vec<u32> {
        let bytes = (self.starts[to] - self.starts[from]) as usize;
        let parts = if bytes < PARALLEL_BYTES {
            1
        } else {
            std::thread::available_parallelism().map_or(1, |p| p.get().min(8))
        };
        let n = to - from;
        // Each slice's lines are an upper bound of its hits: allocated here, filled there, so
        // that the short-lived threads allocate nothing (which keeps memory from growing).
        let mut found: Vec<Vec<u32>> = (0..parts)
            .map(|k| Vec::with_capacity(n * (k + 1) / parts - n * k / parts))
            .collect();
        if parts == 1 {
            self.scan(p, from, to, &mut found[0]);
            return found.pop().unwrap_or_default();
        }
        std::thread::scope(|scope| {
            for (k, out) in found.iter_mut().enumerate() {
                scope.spawn(move || self.scan(p, from + n * k / parts, from + n * (k + 1) / parts, out));
            }
        });
        found.concat()
    }

    /// Appends the matches in lines `from..to` to `out`.
    fn scan(&self, p: &Pattern, from: usize, to: usize, out: &mut Vec<u32>) {
        if p.never {
            return;
        }
        let keep = |line: usize| p.include_inactive || self.is_active(line as u32);
        let Some((first, others)) = p.finders.split_first() else {
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

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn index(rows: &[(&[&str], bool)]) -> RosterIndex {
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
            let p = Pattern::new(words, true);
            let mut parts = Vec::new();
            idx.scan(&p, 0, 1, &mut parts);
            idx.scan(&p, 1, 4, &mut parts);
            assert_eq!(parts, idx.search(words, true));
        }
        assert!(!idx.is_active(1));
    }

    /// 100 lines; every third one holds "三", line 50 alone holds "五十".
    fn hundred() -> RosterIndex {
        let names: Vec<String> = (0..100)
            .map(|i| {
                format!(
                    "{}{}",
                    if i % 3 == 0 { "三" } else { "x" },
                    if i == 50 { "五十" } else { "" }
                )
            })
            .collect();
        let codes: Vec<String> = (0..100).map(|i| format!("C{i:03}")).collect();
        let rows: Vec<[&str; 2]> = codes
            .iter()
            .zip(&names)
            .map(|(c, n)| [c.as_str(), n.as_str()])
            .collect();
        let refs: Vec<(&[&str], bool)> = rows.iter().map(|r| (&r[..], true)).collect();
        index(&refs)
    }

    #[test]
    fn the_first_matches_come_from_a_few_chunks_and_the_rest_completes_them() {
        let idx = hundred();
        let probe = Probe {
            first_chunk: 4,
            budget: 40,
        };
        let all = idx.search(&["三"], false);
        assert_eq!(all.len(), 34);
        for descending in [false, true] {
            let p = Pattern::new(&["三"], false);
            let mut hits = idx.search_first(&p, 3, descending, probe);
            assert!(hits.covers(3, descending, 100) && !hits.is_complete(100));
            // Chunks of 4 then 8 lines: 12 lines scanned, 4 matches (0, 3, 6, 9 / 99, 96, 93, 90).
            assert_eq!(hits.hi - hits.lo, 12);
            let first: Vec<u32> = (0..3).map(|k| hits.at(k, descending)).collect();
            let expected: Vec<u32> = if descending {
                all.iter().rev().take(3).copied().collect()
            } else {
                all[..3].to_vec()
            };
            assert_eq!(first, expected);
            assert!(!hits.covers(30, descending, 100));
            let never = Cancel::new(false);
            let mut rest = Vec::new();
            assert!(idx.scan_cancellable(&p, hits.rest(100), &mut rest, &never));
            hits.complete_with(rest, 100);
            assert!(hits.is_complete(100));
            assert_eq!(hits.lines, all);
        }
        // A rare word: past the budget the rest is scanned at once.
        let hits = idx.search_first(&Pattern::new(&["五十"], false), 3, false, probe);
        assert_eq!(
            hits,
            Hits {
                lines: vec![50],
                lo: 0,
                hi: 100
            }
        );
        // Nothing wanted, nothing scanned.
        let hits = idx.search_first(&Pattern::new(&["三"], false), 0, false, probe);
        assert!(hits.lines.is_empty() && hits.hi == 0);
        // A stopped scan gives nothing.
        let stopped = Cancel::new(true);
        let mut none = Vec::new();
        assert!(!idx.scan_cancellable(&Pattern::new(&["三"], false), 0..100, &mut none, &stopped));
        assert!(none.is_empty());
    }
}
