//! Use cases: what a supervision officer does, combining the domain, the store and file formats.
//! The CLI and the TUI call only this layer.

pub mod announcement;
pub mod audit_package;
pub mod config;
pub mod demo;
pub mod disclosure;
pub mod integrity;
pub mod package_checks;
pub mod plans;
pub mod public_package;
pub mod results;
pub mod rosters;
pub mod search;
pub mod verifier_page;

use std::path::{Path, PathBuf};

use anyhow::Result;

use crate::i18n::Lang;
use crate::store::Store;
pub use config::Config;

/// An open database with its configuration and the person acting.
pub struct Service {
    /// Only the app layer touches the database; the CLI and the TUI go through `Service` methods.
    pub(crate) store: Store,
    pub config: Config,
    pub actor: String,
    pub lang: Lang,
    pub(crate) clock: Clock,
    /// The institutions search index, built on first use (`search`).
    search: std::cell::RefCell<search::SearchState>,
}

/// Where "now" comes from: the system clock, or a fixed time for tests and demos.
#[derive(Debug, Clone)]
pub enum Clock {
    System,
    Fixed(chrono::NaiveDateTime),
}

impl Service {
    pub fn new(store: Store, config: Config, actor: String, lang: Lang) -> Self {
        Service {
            store,
            config,
            actor,
            lang,
            clock: Clock::System,
            search: Default::default(),
        }
    }

    pub fn open(db: &Path, config: Config, actor: Option<String>, lang: Lang) -> Result<Self> {
        Ok(Self::new(Store::open(db)?, config, actor.unwrap_or_else(os_user), lang))
    }

    pub fn in_memory() -> Result<Self> {
        Ok(Self::new(
            Store::open_in_memory()?,
            Config::default_config(),
            "test".into(),
            Lang::Zh,
        ))
    }

    pub fn with_clock(mut self, clock: Clock) -> Self {
        self.clock = clock;
        self
    }

    pub fn now(&self) -> chrono::NaiveDateTime {
        match &self.clock {
            Clock::System => chrono::Local::now().naive_local(),
            Clock::Fixed(t) => *t,
        }
    }

    /// Local time as stored in the database and the audit log: `2026-11-24T09:30:00`.
    pub fn now_text(&self) -> String {
        self.now().format("%Y-%m-%dT%H:%M:%S").to_string()
    }

    pub fn t<'a>(&self, zh: &'a str, en: &'a str) -> &'a str {
        self.lang.pick(zh, en)
    }
}

/// The operating-system user, recorded as the actor unless `--actor` says otherwise.
pub fn os_user() -> String {
    ["USER", "LOGNAME", "USERNAME"]
        .iter()
        .find_map(|v| std::env::var(v).ok().filter(|u| !u.is_empty()))
        .or_else(account_name)
        .unwrap_or_else(|| "unknown".into())
}

/// The login name of the process's user from the account database (when no variable names it,
/// as under some service managers and terminal multiplexers).
#[cfg(unix)]
fn account_name() -> Option<String> {
    // SAFETY: getpwuid returns null or a pointer to a static record valid until the next call;
    // the name is copied out at once.
    unsafe {
        let pw = libc::getpwuid(libc::getuid());
        if pw.is_null() || (*pw).pw_name.is_null() {
            return None;
        }
        std::ffi::CStr::from_ptr((*pw).pw_name).to_str().ok().map(String::from)
    }
}

#[cfg(not(unix))]
fn account_name() -> Option<String> {
    None
}

/// Where the database lives unless `--db` or `CHOUCHA_DB` says otherwise.
pub fn default_db_path() -> PathBuf {
    directories::ProjectDirs::from("cn", "choucha", "choucha")
        .map(|d| d.data_dir().join("choucha.db"))
        .unwrap_or_else(|| PathBuf::from("choucha.db"))
}

/// The user configuration file looked for when `--config` is not given.
pub fn default_config_path() -> Option<PathBuf> {
    directories::ProjectDirs::from("cn", "choucha", "choucha").map(|d| d.config_dir().join("config.toml"))
}

pub use crate::io::{ImportIssue, summarize as summarize_issues, summarize_warnings};
pub use crate::store::{AuditEntry, ChainBreak};

impl Service {
    /// The newest audit-log entries, newest first.
    pub fn audit_log(&self, count: usize) -> Result<Vec<AuditEntry>> {
        crate::store::audit::recent(&self.store.reader(), count)
    }

    /// Walks the audit log's hash chain: the number of entries, or the first break.
    pub fn verify_audit_chain(&self) -> Result<std::result::Result<i64, ChainBreak>> {
        crate::store::audit::verify_chain(&self.store.reader())
    }

    /// A consistent copy of the database through SQLite's online backup API.
    pub fn backup(&self, dest: &Path) -> Result<()> {
        self.store.backup_to(dest)
    }

    /// The database file ("(memory)" for an in-memory database).
    pub fn db_path(&self) -> String {
        self.store.path().unwrap_or("(memory)").to_string()
    }
}
