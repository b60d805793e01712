//! 一公开: the public result table of a plan (抽查结果公示) with the evidence of its draw, in
//! xlsx, CSV, JSON (docs/disclosure-schema.md) or one printable HTML page.
//!
//! What is public is decided here, column by column; nothing private is ever read into a public
//! record (no address, contact, phone, conflict list, finding description, internal note or
//! points). As a second line of defence every public cell is checked against the rosters' private
//! values before anything is written. Exporting is a write: it appends an audit-log entry, whose
//! sequence number and hash the file itself shows.

mod build;
mod columns;
mod document;
mod export;
mod privacy;
#[cfg(test)]
mod tests;

pub use document::{
    AuditHead, ColumnOwned, Disclosure, DisclosureOutcome, DrawEvidence, PublicItem, PublicRecord, PublicReplacement,
};

pub const DISCLOSURE_FORMAT: &str = "choucha-disclosure";
pub const DISCLOSURE_FORMAT_VERSION: u32 = 1;

/// One sentence: how anyone can check the draw behind the table.
pub const HOW_TO_VERIFY: &str = "任何人均可向检查机关索取本计划的审计包，运行 `choucha verify 审计包.json`（或按公开的抽取协议 docs/draw-protocol.md 自行编程）由上列输入摘要和种子重新抽取，所得结果摘要应与上列一致，上列审计日志条目的哈希可由检查机关以 `choucha audit verify` 当场核对。";
