//! Fines (bestuurlijke boete): dated cap tables, municipal fine policy, recidive determination,
//! validation of a proposed fine and the lapse of the power to fine (rules.md §4.2, §4.3, §4.5).
//!
//! PURE: no I/O. A missing cap table for a date is an error (`FineError::NoTableForDate`), never
//! a silent default.

pub use crate::domain::awb::{FINE_POWER_LAPSE_YEARS, RAPPORT_AND_ZIENSWIJZE_THRESHOLD_CENTS};

mod errors;
mod lapse;
mod policy;
mod recidive;
mod tables;
#[cfg(test)]
pub(crate) mod tests;
mod validate;

pub use errors::{FineError, FineRejected};
pub use lapse::{merge_suspensions, power_lapse, LapseSuspension, PowerLapse};
pub use policy::{FinePolicy, OffenderKind, RecidiveAnchor, RecidivePolicy};
pub use recidive::{determine_recidive, qualifying_prior_fines, PriorFine, RecidiveFinding};
pub use tables::{FineTable, FineTables};
pub use validate::{validate_fine, FineAssessment, ProposedFine};
