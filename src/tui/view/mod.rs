//! Drawing helpers shared by the screens: styles (`theme`), width-aware cells (`table`,
//! `columns`), line breaking (`wrap`), small widgets, and the geometry (`layout`) that drawing
//! and mouse handling both use.

pub mod columns;
pub mod layout;
pub mod table;
pub mod theme;
pub mod widgets;
pub mod wrap;
