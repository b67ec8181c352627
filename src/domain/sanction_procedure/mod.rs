//! State machines for the sanction procedures (rules.md §4.4, §4.5):
//! administrative fine (bestuurlijke boete), penalty order (last onder dwangsom, LOD) and warning
//! (waarschuwing).
//!
//! PURE: no I/O. Each procedure is an enum state with
//! `apply(&self, action, ..) -> Result<State, ProcedureError>`; a transition that is not allowed
//! from the current state is `ProcedureError::IllegalTransition(IllegalTransition { from, action,
//! allowed })` (HTTP 409); a transition that is allowed but has bad data (dates in the wrong order,
//! missing zienswijze, lapsed power) is one of the other variants (HTTP 422).
//!
//! The statutory terms (Awb, with the Atw roll) live in `awb`, the date arithmetic in `calendar`;
//! both are re-exported here under their old paths.

pub use crate::domain::awb::{
    fine_decision_due, fine_payment_due, objection_term_ends, DWANGSOM_COLLECTION_LAPSE_YEARS,
    DWANGSOM_PAYMENT_WEEKS, FINE_DECISION_WEEKS, FINE_PAYMENT_WEEKS, LOD_LIFT_AFTER_YEARS, OBJECTION_WEEKS,
};
pub use crate::domain::calendar::{
    add_days_sat, add_months_sat, add_weeks_sat, add_years_sat, sub_days_sat, sub_years_sat, AtwRoll,
    NoAtwRoll,
};

mod errors;
mod fine;
mod fine_payment;
mod lod;
mod penalty_order;
#[cfg(test)]
mod tests;
mod warning;

pub use errors::{IllegalTransition, ProcedureError};
pub use fine::{DropReason, FineAction, FineDecision, FineProcedureConfig, FineState};
pub use fine_payment::FinePayment;
pub use lod::{ForfeitureRecord, LiftGround, Lifting, LodAction, LodState};
pub use penalty_order::{
    compute_forfeitures, FollowUpInspection, Forfeiture, ForfeitureStatement, LodError, LodPurpose,
    PenaltyOrder, PeriodForfeitMoment, SumKind, TimeUnit,
};
pub use warning::{Warning, WarningAction, WarningError, WarningPolicy, WarningState};
