//! Fines (bestuurlijke boete): dated cap tables, municipal fine policy, recidive determination
//! and validation of a proposed fine (rules.md §4.2, §4.3, §4.5).
//!
//! PURE: no I/O. A missing cap table for a date is an error (`FineError::NoTableForDate`), never
//! a silent default.

pub use crate::domain::awb::{FINE_POWER_LAPSE_YEARS, RAPPORT_AND_ZIENSWIJZE_THRESHOLD_CENTS};

mod errors;
mod policy;
mod recidive;
mod tables;
#[cfg(test)]
pub(crate) mod tests;
mod validate;

pub use errors::{FineError, FineRejected};
pub use policy::{FinePolicy, OffenderKind, RecidiveAnchor, RecidivePolicy};
pub use recidive::{determine_recidive, qualifying_prior_fines, PriorFine, RecidiveFinding};
pub use tables::{FineTable, FineTables};
pub use validate::{validate_fine, FineAssessment, ProposedFine};
