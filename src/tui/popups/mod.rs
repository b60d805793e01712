//! The popups: what each one holds. Screens open them through `Effect::Open`; their key
//! handling and drawing are in the modules beside this one, one per kind (`help`, `confirm`,
//! `info`, `input`, `pick`), and `route` sends each action and draw to the right one.
//!
//! The states are gathered here, not in those modules, because the effect queue carries them:
//! the modules that handle them import the context, which must not import them back.

mod confirm;
mod frame;
mod help;
pub mod info;
mod input;
mod pick;
mod route;

use std::path::PathBuf;

use crate::app::results::{Followup, ResultImportOutcome};
use crate::app::rosters::{ImportOutcome, RosterKind};
use crate::tui::forms::TextField;
use crate::tui::keymap::mode::Mode;
use crate::tui::result_form::Slot;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfirmKind {
    Freeze {
        plan_id: i64,
        title: String,
    },
    Publish {
        plan_id: i64,
        title: String,
    },
    /// Deactivate (`activate == false`) or reactivate a record.
    SetActive {
        kind: RosterKind,
        key: String,
        name: String,
        activate: bool,
    },
    /// Close the results form without saving its changes.
    DiscardResult,
}

#[derive(Debug, Clone)]
pub struct DrawPopup {
    pub plan_id: i64,
    pub title: String,
    pub redraw: bool,
    pub seed: TextField,
    pub reason: TextField,
    /// 0 = seed, 1 = reason.
    pub focus: usize,
    pub error: Option<String>,
    /// The seed is shown back for a second Enter before the draw runs: a typo in a published
    /// seed can otherwise only be undone by a recorded redraw. Any edit clears it.
    pub confirming: bool,
}

/// Why a reason is asked for: replacing a task by its alternate, or removing its result.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReasonFor {
    Replace,
    ClearResult,
}

#[derive(Debug, Clone)]
pub struct ReplacePopup {
    pub purpose: ReasonFor,
    pub plan_id: i64,
    pub seq: u32,
    pub institution: String,
    pub reason: TextField,
    pub error: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathPurpose {
    Import(RosterKind),
    Export(RosterKind),
    Audit(i64),
    /// The public disclosure of a plan (.xlsx, .csv, .json or .html).
    Disclosure(i64),
    /// The sheet to fill in with the results of a plan's tasks.
    TaskSheet(i64),
    /// A filled-in results workbook.
    ImportResults,
    /// The plan announcement (抽查计划公告: .html, .xlsx or .json), published with the digest.
    Announcement(i64),
}

/// Choosing a value for an input of the results form (Ctrl-O).
#[derive(Debug, Clone)]
pub struct PickPopup {
    pub slot: Slot,
    pub title: String,
    /// The values, and how the list shows them.
    pub options: Vec<String>,
    pub labels: Vec<String>,
    pub selected: usize,
    /// Several values may be chosen (处理措施).
    pub multi: bool,
    pub chosen: Vec<bool>,
}

#[derive(Debug, Clone)]
pub struct ResultImportReview {
    pub path: PathBuf,
    pub outcome: ResultImportOutcome,
    pub scroll: usize,
}

#[derive(Debug, Clone)]
pub struct PathPopup {
    pub purpose: PathPurpose,
    pub field: TextField,
    /// File names offered by the last Tab completion.
    pub candidates: Vec<String>,
    pub error: Option<String>,
}

#[derive(Debug, Clone)]
pub struct ImportReview {
    pub kind: RosterKind,
    pub path: PathBuf,
    pub outcome: ImportOutcome,
    pub scroll: usize,
}

#[derive(Debug, Clone)]
pub enum Popup {
    Help {
        mode: Mode,
        scroll: usize,
    },
    Confirm(ConfirmKind),
    /// The inputs digest to read out and publish after a freeze.
    Digest {
        plan_id: i64,
        digest: String,
        lines: Vec<String>,
        scroll: usize,
    },
    Message {
        title: String,
        lines: Vec<String>,
        error: bool,
        scroll: usize,
    },
    Draw(DrawPopup),
    Replace(ReplacePopup),
    Path(PathPopup),
    ImportReview(ImportReview),
    /// The dry run of a results import, before Enter commits it.
    ResultImport(ResultImportReview),
    /// Overdue rectifications, publication deadlines and flagged persons.
    Followup {
        data: Box<Followup>,
        scroll: usize,
    },
    Pick(PickPopup),
}
