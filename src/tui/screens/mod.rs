//! The screens of the tabs: the three rosters (one screen type), plans, tasks and results,
//! statistics, and the welcome screen shown while the database is empty.

pub mod plans;
pub mod roster;
pub mod stats;
pub mod tab;
pub mod tasks;
pub mod welcome;
