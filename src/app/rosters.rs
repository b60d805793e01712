//! Importing, exporting and loading the three rosters.

use crate::store::Tx;
use std::path::Path;

use anyhow::{Result, bail};

use super::Service;
use crate::domain::{InspectionItem, Inspector, Institution, Record};
use crate::io::{ImportIssue, Note, OutTable, RecordReader, RowSource, Severity, write_table};
pub use crate::store::rosters::Upserted;
use crate::store::rosters::{RosterTable, RosterWriter};
use crate::store::{audit, rosters as db};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum RosterKind {
    Institutions,
    Inspectors,
    Items,
}

impl RosterKind {
    pub fn zh(self) -> &'static str {
        match self {
            Self::Institutions => "检查对象名录库",
            Self::Inspectors => "执法检查人员名录库",
            Self::Items => "抽查事项清单",
        }
    }
    pub fn en(self) -> &'static str {
        match self {
            Self::Institutions => "institutions",
            Self::Inspectors => "inspectors",
            Self::Items => "items",
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    pub dry_run: bool,
    pub sheet: Option<String>,
    pub deactivate_missing: bool,
}

/// What an import did (or, for a dry run or a refused file, would have done).
#[derive(Debug, Clone, Default)]
pub struct ImportOutcome {
    pub rows: usize,
    pub added: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub deactivated: usize,
    pub warnings: Vec<ImportIssue>,
    pub errors: Vec<ImportIssue>,
    pub committed: bool,
}

/// What the reading thread hands over per row.
type ReadItem<R> = std::result::Result<(usize, R), Vec<ImportIssue>>;

/// Rows per hand-over between the reading thread and the writing one.
const BATCH: usize = 1024;

/// Stops collecting after this many errors (the count goes on).
const MAX_ERRORS: usize = 1000;

impl Service {
    /// Validates the whole file and writes it in one transaction, or writes nothing.
    pub fn import_roster(
        &mut self,
        kind: RosterKind,
        path: &Path,
        opts: &ImportOptions,
        progress: &mut dyn FnMut(usize),
    ) -> Result<ImportOutcome> {
        match kind {
            RosterKind::Institutions => self.import_generic::<Institution>(path, opts, progress),
            RosterKind::Inspectors => self.import_generic::<Inspector>(path, opts, progress),
            RosterKind::Items => self.import_generic::<InspectionItem>(path, opts, progress),
        }
    }

    fn import_generic<R: RosterTable + ImportCheck + Send>(
        &mut self,
        path: &Path,
        opts: &ImportOptions,
        progress: &mut dyn FnMut(usize),
    ) -> Result<ImportOutcome> {
        let label = path
            .file_name()
            .map(|f| f.to_string_lossy().into_owned())
            .unwrap_or_else(|| path.display().to_string());
        let mut out = ImportOutcome::default();
        let source = match RowSource::open(path, opts.sheet.as_deref()) {
            Ok(s) => s,
            Err(e) => {
                out.errors.push(ImportIssue::from_source(&e, label));
                return Ok(out);
            }
        };
        let rules = self.config.roster_rules();
        // A key that equals a stored one but for width or case would be a second record of the
        // same institution or person.
        let existing = db::keys::<R>(&self.store.reader())?;
        let mut reader = match RecordReader::<R>::new(source, label.clone(), &rules) {
            Ok(r) => r.with_existing_keys(existing),
            Err(issues) => {
                let (w, e): (Vec<_>, Vec<_>) = issues.into_iter().partition(|i| i.severity == Severity::Warning);
                out.warnings = w;
                out.errors = e;
                return Ok(out);
            }
        };
        let now = self.now_text();
        let actor = self.actor.clone();
        let deactivate = opts.deactivate_missing;
        let store = &mut self.store;
        // Reading and validating runs on its own thread while this one writes to SQLite: the two
        // halves take about equally long, and staff machines have at least two cores.
        let result = std::thread::scope(|scope| {
            let (sender, batches) = std::sync::mpsc::sync_channel::<Vec<ReadItem<R>>>(8);
            let producer = scope.spawn(move || {
                let mut batch = Vec::with_capacity(BATCH);
                for item in reader.by_ref() {
                    batch.push(item);
                    if batch.len() == BATCH
                        && sender
                            .send(std::mem::replace(&mut batch, Vec::with_capacity(BATCH)))
                            .is_err()
                    {
                        break;
                    }
                }
                let _ = sender.send(batch);
                reader.warnings().to_vec()
            });
            let work = |tx: &Tx| -> Result<ImportOutcome> {
                let mut out = ImportOutcome::default();
                let mut writer = RosterWriter::<R>::new_bulk(tx, &now)?;
                let mut keys = Vec::new();
                let mut error_count = 0usize;
                let mut checks = StoreChecks::default();
                for item in batches.iter().flatten() {
                    out.rows += 1;
                    if out.rows % 10_000 == 0 {
                        progress(out.rows);
                    }
                    match item {
                        Err(issues) => {
                            error_count += issues.len();
                            let room = MAX_ERRORS.saturating_sub(out.errors.len());
                            out.errors.extend(issues.into_iter().take(room));
                        }
                        // Once a row failed nothing will be committed: keep validating, stop writing.
                        Ok((row, rec)) if error_count == 0 => {
                            let before = out.errors.len();
                            rec.check_against_store(tx, &label, row, &mut checks, &mut out)?;
                            error_count += out.errors.len() - before;
                            if deactivate {
                                keys.push(rec.key().to_string());
                            }
                            match writer.upsert(rec)? {
                                Upserted::Added => out.added += 1,
                                Upserted::Updated => out.updated += 1,
                                Upserted::Unchanged => out.unchanged += 1,
                            }
                        }
                        Ok(_) => {}
                    }
                }
                let header_warnings = producer.join().map_err(|_| anyhow::anyhow!("the file reader failed"))?;
                out.warnings.splice(0..0, header_warnings);
                if error_count > 0 {
                    bail!(Refused(out));
                }
                if out.rows == 0 {
                    out.errors.push(ImportIssue::file_note(
                        &label,
                        "文件没有数据行",
                        "the file has no data rows",
                    ));
                    bail!(Refused(out));
                }
                writer.finish()?;
                if deactivate {
                    out.deactivated = db::deactivate_missing::<R>(tx, &keys, &now)?;
                }
                let details = format!(
                    "file={label} rows={} added={} updated={} unchanged={} deactivated={}",
                    out.rows, out.added, out.updated, out.unchanged, out.deactivated
                );
                audit::append(tx, &now, &actor, "import", R::TABLE, &details)?;
                Ok(out)
            };
            if opts.dry_run {
                store.dry_run(work)
            } else {
                store.write_bulk(work)
            }
        });
        match result {
            Ok(mut out) => {
                out.committed = !opts.dry_run;
                Ok(out)
            }
            Err(e) => match e.downcast::<Refused>() {
                Ok(Refused(out)) => Ok(out),
                Err(e) => Err(e),
            },
        }
    }

    /// Writes the active records of a roster to .xlsx or .csv with the import headers.
    pub fn export_roster(&self, kind: RosterKind, path: &Path) -> Result<usize> {
        match kind {
            RosterKind::Institutions => self.export_generic::<Institution>(path),
            RosterKind::Inspectors => self.export_generic::<Inspector>(path),
            RosterKind::Items => self.export_generic::<InspectionItem>(path),
        }
    }

    fn export_generic<R: RosterTable>(&self, path: &Path) -> Result<usize> {
        let mut rows = Vec::new();
        db::for_each_active::<R>(&self.store.reader(), |r| {
            rows.push(r.to_cells());
            Ok(())
        })?;
        let n = rows.len();
        let table = OutTable {
            sheet_name: "Sheet1",
            headers: R::FIELDS.iter().map(|f| f.zh.to_string()).collect(),
            rows,
            code_columns: R::FIELDS
                .iter()
                .enumerate()
                .filter(|(_, f)| f.code)
                .map(|(i, _)| i)
                .collect(),
            // Roster cells are free text typed by anyone: a CSV opened in a spreadsheet must
            // not run them. Import takes the `'` off again.
            neutralize_formulas: true,
        };
        write_table(path, &[table])?;
        Ok(n)
    }

    /// Counts of active records: institutions, inspectors, items.
    pub fn roster_counts(&self) -> Result<(usize, usize, usize)> {
        let reader = &self.store.reader();
        Ok((
            db::count_active::<Institution>(reader)?,
            db::count_active::<Inspector>(reader)?,
            db::count_active::<InspectionItem>(reader)?,
        ))
    }
}

/// The outcome of a refused import, carried out of the transaction so that it rolls back.
#[derive(Debug)]
struct Refused(ImportOutcome);

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "import refused with {} errors", self.0.errors.len())
    }
}

impl std::error::Error for Refused {}

/// What the checks against the database load once per import.
#[derive(Default)]
pub struct StoreChecks {
    /// Institution codes by their folded form (`fold_key`), loaded at the first unknown code.
    institutions: Option<std::collections::HashMap<String, String>>,
}

/// Checks of a record against what the database already holds.
pub trait ImportCheck {
    fn check_against_store(
        &self,
        _tx: &Tx,
        _file: &str,
        _row: usize,
        _checks: &mut StoreChecks,
        _out: &mut ImportOutcome,
    ) -> Result<()> {
        Ok(())
    }
}

impl ImportCheck for Institution {}
impl ImportCheck for InspectionItem {}

impl ImportCheck for Inspector {
    /// 回避机构 naming an institution not in the roster is a warning, not an error: the
    /// inspector roster may be imported before the institutions, and the conflict still holds.
    /// A code that differs from a roster code only by width or case is an error: as written it
    /// would never match, and the conflict would silently not hold.
    fn check_against_store(
        &self,
        tx: &Tx,
        file: &str,
        row: usize,
        checks: &mut StoreChecks,
        out: &mut ImportOutcome,
    ) -> Result<()> {
        use crate::domain::inspector::field::CONFLICTS;
        for code in &self.conflicts {
            if db::get::<Institution>(tx, code)?.is_some() {
                continue;
            }
            if checks.institutions.is_none() {
                let codes = db::keys::<Institution>(tx)?;
                let folded = codes
                    .into_iter()
                    .map(|c| (crate::domain::text::fold_key(&c).into_owned(), c))
                    .collect();
                checks.institutions = Some(folded);
            }
            let folded = crate::domain::text::fold_key(code);
            let lookalike = checks.institutions.as_ref().and_then(|m| m.get(folded.as_ref()));
            match lookalike {
                Some(existing) => out.errors.push(ImportIssue {
                    severity: Severity::Error,
                    file: file.into(),
                    row,
                    column: Some(Inspector::FIELDS[CONFLICTS].zh.into()),
                    letter: None,
                    reason: Some(crate::domain::Reason::LookalikeReference {
                        value: code.clone(),
                        existing: existing.clone(),
                    }),
                    note: None,
                }),
                None => out.warnings.push(ImportIssue {
                    severity: Severity::Warning,
                    file: file.into(),
                    row,
                    column: Some(Inspector::FIELDS[CONFLICTS].zh.into()),
                    letter: None,
                    reason: None,
                    note: Some(Note::UnknownConflict { code: code.clone() }),
                }),
            }
        }
        Ok(())
    }
}

/// One page of a roster as the list views show it: header names, cells, active flags, total.
#[derive(Debug, Clone, Default)]
pub struct RosterPage {
    pub headers: Vec<&'static str>,
    pub rows: Vec<Vec<String>>,
    pub active: Vec<bool>,
    /// Rows matching the filter (all pages), when the query knew it without counting:
    /// `roster_filter_page` gives it, `roster_page` does not count.
    pub total: Option<usize>,
    /// `total` is a lower bound: the rest is still being counted (`Service::poll_roster_search`).
    pub counting: bool,
}

pub use crate::store::rosters::PageQuery;

/// A record refused by a form: (column index, reason) per bad cell.
pub type FormErrors = Vec<(usize, String)>;

impl Service {
    pub fn roster_headers(kind: RosterKind) -> Vec<&'static str> {
        match kind {
            RosterKind::Institutions => Institution::FIELDS.iter().map(|f| f.zh).collect(),
            RosterKind::Inspectors => Inspector::FIELDS.iter().map(|f| f.zh).collect(),
            RosterKind::Items => InspectionItem::FIELDS.iter().map(|f| f.zh).collect(),
        }
    }

    /// A filtered, sorted page (without the total); the filter matches codes, names and other
    /// searchable columns.
    pub fn roster_page(&self, kind: RosterKind, q: &PageQuery) -> Result<RosterPage> {
        match kind {
            RosterKind::Institutions => self.page_generic::<Institution>(q),
            RosterKind::Inspectors => self.page_generic::<Inspector>(q),
            RosterKind::Items => self.page_generic::<InspectionItem>(q),
        }
    }

    /// Only the count of a filter (cheap to call less often than pages).
    pub fn roster_count(&self, kind: RosterKind, q: &PageQuery) -> Result<usize> {
        let reader = &self.store.reader();
        match kind {
            RosterKind::Institutions => db::count::<Institution>(reader, q),
            RosterKind::Inspectors => db::count::<Inspector>(reader, q),
            RosterKind::Items => db::count::<InspectionItem>(reader, q),
        }
    }

    /// The rows matching a filter, counted no further than `cap`: (count, whether it stopped there).
    /// Cheap where the exact count of a large roster is not.
    pub fn roster_count_capped(&self, kind: RosterKind, q: &PageQuery, cap: usize) -> Result<(usize, bool)> {
        let reader = &self.store.reader();
        match kind {
            RosterKind::Institutions => db::count_capped::<Institution>(reader, q, cap),
            RosterKind::Inspectors => db::count_capped::<Inspector>(reader, q, cap),
            RosterKind::Items => db::count_capped::<InspectionItem>(reader, q, cap),
        }
    }

    /// Whether any roster has an active record (no counting).
    pub fn has_rosters(&self) -> Result<bool> {
        let reader = &self.store.reader();
        Ok(db::any_active::<InspectionItem>(reader)?
            || db::any_active::<Inspector>(reader)?
            || db::any_active::<Institution>(reader)?)
    }

    fn page_generic<R: RosterTable>(&self, q: &PageQuery) -> Result<RosterPage> {
        let rows = db::page::<R>(&self.store.reader(), q)?;
        Ok(RosterPage {
            headers: R::FIELDS.iter().map(|f| f.zh).collect(),
            active: rows.iter().map(|(_, a)| *a).collect(),
            rows: rows.into_iter().map(|(r, _)| r.to_cells()).collect(),
            total: None,
            counting: false,
        })
    }

    /// The cells of one record, for an edit form.
    pub fn roster_record(&self, kind: RosterKind, key: &str) -> Result<Option<Vec<String>>> {
        let reader = &self.store.reader();
        Ok(match kind {
            RosterKind::Institutions => db::get::<Institution>(reader, key)?.map(|r| r.to_cells()),
            RosterKind::Inspectors => db::get::<Inspector>(reader, key)?.map(|r| r.to_cells()),
            RosterKind::Items => db::get::<InspectionItem>(reader, key)?.map(|r| r.to_cells()),
        })
    }

    /// Adds or edits one record from a form with the same rules as import. `Ok(Err(..))` lists
    /// the refused cells; nothing is written then.
    pub fn save_record(
        &mut self,
        kind: RosterKind,
        cells: &[String],
    ) -> Result<std::result::Result<Upserted, FormErrors>> {
        match kind {
            RosterKind::Institutions => self.save_generic::<Institution>(cells),
            RosterKind::Inspectors => self.save_generic::<Inspector>(cells),
            RosterKind::Items => self.save_generic::<InspectionItem>(cells),
        }
    }

    fn save_generic<R: RosterTable>(&mut self, cells: &[String]) -> Result<std::result::Result<Upserted, FormErrors>> {
        let rec = match R::parse(cells.to_vec(), &self.config.roster_rules()) {
            Ok(r) => r,
            Err(errs) => {
                return Ok(Err(errs
                    .into_iter()
                    .map(|e| (e.field, e.reason.text(self.lang)))
                    .collect()));
            }
        };
        let (now, actor) = (self.now_text(), self.actor.clone());
        let done = self.store.write(|tx| {
            let mut w = RosterWriter::<R>::new(tx, &now)?;
            let r = w.upsert(rec.clone())?;
            w.finish()?;
            if r != Upserted::Unchanged {
                audit::append(
                    tx,
                    &now,
                    &actor,
                    "record.save",
                    &format!("{}:{}", R::TABLE, rec.key()),
                    &rec.to_cells().join("|"),
                )?;
            }
            Ok(r)
        })?;
        Ok(Ok(done))
    }

    /// Deactivates (or reactivates) one record; its history stays.
    pub fn set_record_active(&mut self, kind: RosterKind, key: &str, active: bool) -> Result<bool> {
        let (now, actor) = (self.now_text(), self.actor.clone());
        let table = match kind {
            RosterKind::Institutions => Institution::TABLE,
            RosterKind::Inspectors => Inspector::TABLE,
            RosterKind::Items => InspectionItem::TABLE,
        };
        self.store.write(|tx| {
            let changed = match kind {
                RosterKind::Institutions => db::set_active::<Institution>(tx, key, active, &now)?,
                RosterKind::Inspectors => db::set_active::<Inspector>(tx, key, active, &now)?,
                RosterKind::Items => db::set_active::<InspectionItem>(tx, key, active, &now)?,
            };
            if changed {
                audit::append(
                    tx,
                    &now,
                    &actor,
                    if active { "record.activate" } else { "record.deactivate" },
                    &format!("{table}:{key}"),
                    "",
                )?;
            }
            Ok(changed)
        })
    }

    /// Per credit class (A–D), active 在册 institutions: the denominators of the statistics.
    pub fn institutions_per_class(&self) -> Result<[u64; 4]> {
        let mut out = [0u64; 4];
        for (class, n) in db::institutions_per_class(&self.store.reader())? {
            if let Some(c) = crate::domain::CreditClass::parse(&class) {
                out[c.index()] = n;
            }
        }
        Ok(out)
    }

    /// Changes when another connection (another terminal) commits.
    pub fn data_version(&self) -> Result<i64> {
        self.store.data_version()
    }
}
