//! Filtering the institutions roster (a million rows) in memory, with nothing slow on the
//! caller's thread: the index (`index`) is built on another thread from a second read
//! connection, and a search returns as soon as the rows asked for are found, while the rest of
//! the index is scanned on another thread for the exact count (`job`). The caller polls
//! (`poll_roster_search`) to learn when either is done.

pub mod index;
mod job;

use std::collections::HashMap;
use std::sync::Arc;

use anyhow::Result;

use super::Service;
use super::rosters::{PageQuery, RosterKind, RosterPage};
use crate::domain::{Institution, Record};
use crate::store::rosters as db;
use index::{Hits, Pattern, Probe};
use job::Job;

pub use index::RosterIndex;

/// How a search looks for its first page: 4,096 lines, then twice as many each time; after
/// 131,072 lines (some 2 ms) without enough matches, the rest at once on all cores.
const PROBE: Probe = Probe {
    first_chunk: 1 << 12,
    budget: 1 << 17,
};

/// `Service::data_stamp`: changes with every commit, ours or another connection's.
type Stamp = (i64, u64);

/// The institutions index kept by a `Service`, the one being built, and the last search.
#[derive(Default)]
pub(crate) struct SearchState {
    built: Option<(Arc<RosterIndex>, Stamp)>,
    building: Option<(Job<Result<RosterIndex>>, Stamp)>,
    last: Option<LastSearch>,
}

/// The last search over `built`: paging does not search again.
struct LastSearch {
    words: Vec<String>,
    include_inactive: bool,
    pattern: Arc<Pattern>,
    hits: Hits,
    /// Scanning the lines `hits` has not covered, on another thread.
    rest: Option<Job<Vec<u32>>>,
}

impl LastSearch {
    /// Waits for the rest of the scan (or does it here, had it stopped).
    fn finish(&mut self, index: &RosterIndex) {
        let n = index.len();
        if self.hits.is_complete(n) {
            return;
        }
        let rest = self.rest.take().and_then(Job::wait).unwrap_or_else(|| {
            let range = self.hits.rest(n);
            index.search_range(&self.pattern, range)
        });
        self.hits.complete_with(rest, n);
    }
}

impl SearchState {
    /// Installs the index being built, waiting for it if need be.
    fn finish_build(&mut self) -> Result<()> {
        if let Some((job, stamp)) = self.building.take()
            && let Some(index) = job.wait()
        {
            self.built = Some((Arc::new(index?), stamp));
            self.last = None;
        }
        Ok(())
    }
}

impl Service {
    fn data_stamp(&self) -> Result<Stamp> {
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
                .is_ok_and(|s| self.search.borrow().built.as_ref().is_some_and(|b| b.1 == s))
    }

    /// Whether an index of the roster is being built (`poll_roster_search` says when it is done).
    pub fn roster_search_building(&self, kind: RosterKind) -> bool {
        kind == RosterKind::Institutions && self.search.borrow().building.is_some()
    }

    /// Whether work of the search is under way on another thread: `poll_roster_search` collects it.
    pub fn roster_search_busy(&self) -> bool {
        let st = self.search.borrow();
        st.building.is_some() || st.last.as_ref().is_some_and(|l| l.rest.is_some())
    }

    /// Starts building the index of the roster when it has none for the current data: on another
    /// thread, through a second read connection; at once for an in-memory database.
    pub fn start_roster_search(&self, kind: RosterKind) -> Result<()> {
        if kind != RosterKind::Institutions {
            return Ok(());
        }
        let stamp = self.data_stamp()?;
        let mut st = self.search.borrow_mut();
        let current = |s: Option<Stamp>| s == Some(stamp);
        if current(st.built.as_ref().map(|b| b.1)) || current(st.building.as_ref().map(|b| b.1)) {
            return Ok(());
        }
        // Never two indexes in memory: the outdated one goes first (a build under way stops).
        *st = SearchState::default();
        match self.store.open_reader()? {
            Some(conn) => {
                let mut index = RosterIndex::with_capacity(db::row_estimate::<Institution>(&self.store.reader())?);
                let job = Job::spawn(move |cancel| {
                    let filled = index.fill::<Institution>(&conn.reader(), Some(cancel));
                    (!cancel.stopped()).then_some(filled.map(|()| index))
                });
                st.building = Some((job, stamp));
            }
            None => {
                let index = RosterIndex::build::<Institution>(&self.store.reader())?;
                st.built = Some((Arc::new(index), stamp));
            }
        }
        Ok(())
    }

    /// Collects what finished on other threads: an index built (an error if building failed),
    /// a search counted to the end. True when something did: the view may query again.
    pub fn poll_roster_search(&self) -> Result<bool> {
        let mut st = self.search.borrow_mut();
        let st = &mut *st;
        let mut done = false;
        if st.building.as_ref().is_some_and(|(job, _)| job.is_finished()) {
            st.finish_build()?;
            done = true;
        }
        if let (Some((index, _)), Some(last)) = (&st.built, &mut st.last)
            && last.rest.as_ref().is_some_and(Job::is_finished)
        {
            last.finish(index);
            done = true;
        }
        Ok(done)
    }

    /// Waits for a search still counting on another thread (before jumping to the last row).
    pub fn finish_roster_count(&self) {
        let mut st = self.search.borrow_mut();
        let st = &mut *st;
        if let (Some((index, _)), Some(last)) = (&st.built, &mut st.last) {
            last.finish(index);
        }
    }

    /// Bytes held by the search index.
    pub fn search_memory(&self) -> usize {
        self.search.borrow().built.as_ref().map_or(0, |b| b.0.memory())
    }

    /// A filtered page with the number of matching rows. The institutions roster in code order
    /// is searched in memory (see `roster_searchable`), waiting for its index if need be; the
    /// count may then be a lower bound (`counting`) while the rest is scanned on another thread.
    /// Anything else is two queries.
    pub fn roster_filter_page(&self, kind: RosterKind, q: &PageQuery) -> Result<RosterPage> {
        if !self.roster_searchable(kind, q) {
            let mut page = self.roster_page(kind, q)?;
            page.total = Some(self.roster_count(kind, q)?);
            return Ok(page);
        }
        if !self.roster_search_ready(kind) {
            self.start_roster_search(kind)?;
            self.search.borrow_mut().finish_build()?;
        }
        let words: Vec<String> = q.filter.split_whitespace().map(String::from).collect();
        let mut st = self.search.borrow_mut();
        let st = &mut *st;
        let Some((index, _)) = &st.built else {
            anyhow::bail!("the search index was not built");
        };
        let n = index.len();
        let need = q.offset.saturating_add(q.limit.max(1));
        let last = match &mut st.last {
            Some(l) if l.words == words && l.include_inactive == q.include_inactive => l,
            last => {
                // A new search: the previous one's count, if still running, stops first.
                *last = None;
                let refs: Vec<&str> = words.iter().map(String::as_str).collect();
                let pattern = Arc::new(Pattern::new(&refs, q.include_inactive));
                let hits = index.search_first(&pattern, need, q.descending, PROBE);
                let rest = (!hits.is_complete(n)).then(|| {
                    let (index, pattern, range) = (index.clone(), pattern.clone(), hits.rest(n));
                    // Room for every line, reserved here (see `with_capacity` and `complete_with`).
                    let mut out = Vec::with_capacity(n);
                    Job::spawn(move |cancel| index.scan_cancellable(&pattern, range, &mut out, cancel).then_some(out))
                });
                last.insert(LastSearch {
                    words,
                    include_inactive: q.include_inactive,
                    pattern,
                    hits,
                    rest,
                })
            }
        };
        if !last.hits.covers(need, q.descending, n) {
            last.finish(index);
        }
        let hits = &last.hits;
        let total = hits.lines.len();
        let lines: Vec<u32> = (q.offset.min(total)..need.min(total))
            .map(|p| hits.at(p, q.descending))
            .collect();
        let keys: Vec<&str> = lines.iter().map(|&l| index.key(l)).collect();
        let place: HashMap<&str, usize> = keys.iter().enumerate().map(|(i, k)| (*k, i)).collect();
        let mut slots: Vec<Option<(Vec<String>, bool)>> = vec![None; keys.len()];
        for (cells, active) in db::cells_by_keys::<Institution>(&self.store.reader(), &keys)? {
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
            counting: !hits.is_complete(n),
        })
    }
}
