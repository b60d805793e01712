//! choucha (抽查): 双随机、一公开 inspections of medical-insurance fund use.
//!
//! Layers, one direction of dependence: `domain` (pure) ← `store` (SQLite) and `io` (file
//! formats) ← `app` (use cases) ← `cli` and `tui`.

pub mod app;
pub mod cli;
pub mod domain;
pub mod i18n;
pub mod io;
pub mod store;
pub mod tui;
