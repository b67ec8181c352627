//! The sanction ladder (rules.md §4.1, §4.3, §4.6, §4.8): proposes the next enforcement step for
//! a case and checks a step an officer chose; plus the enforcement case model (carrousel rule).
//!
//! The ladder is the VHN summary of the Handhavingsprotocol [S7] `[SECONDARY]`; the MvT prescribes
//! no mandatory ladder [S18], so everything beyond the statutory conditions is policy
//! (`LadderPolicy`, serde-configurable). `check_chosen_step` therefore distinguishes a step that is
//! unlawful (`StepBlock::Law`) from one that departs from the municipality's own policy
//! (`StepBlock::Policy`, allowed only with a motivation under Awb 4:84 — the HTTP layer decides).
//!
//! PURE: no I/O.

mod case;
mod model;
mod steps;
#[cfg(test)]
mod tests;

pub use case::{open_case_for, CaseError, CaseEvent, CaseStatus, CloseReason, EnforcementCase};
pub use model::{
    Aggravation, CaseFacts, CaseKey, LadderPolicy, LandlordHistory, LandlordKind, Proposal, SanctionStep,
    TakeoverGround, TakeoverPolicy, WarningRecord,
};
pub use steps::{check_chosen_step, next_step, takeover_grounds, StepBlock, UnlawfulStep};
