//! The domain: roster types, validation rules, plans and the draw. Pure: no I/O, no clock.

pub mod credit;
pub mod draw;
pub mod eligibility;
pub mod ids;
pub mod inspector;
pub mod institution;
pub mod item;
pub mod plan;
pub mod results;
pub mod roster;
pub mod text;

pub use credit::CreditClass;
pub use inspector::{Inspector, InspectorStatus};
pub use institution::{Institution, InstitutionStatus};
pub use item::{InspectionItem, ItemCategory};
pub use roster::{FieldError, FieldSpec, Reason, Record, RosterRules};
