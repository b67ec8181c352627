//! Statutory deadlines for licence applications: the decision term (Awb 4:13) with its
//! suspensions (Awb 4:15, Wet Bibob art. 31) and one announced extension (Awb 4:14), the
//! Algemene termijnenwet and the dwangsom bij niet tijdig beslissen (Awb 4:17–4:18, its numbers in
//! `awb`). The bezwaar term (Awb 6:7/6:8) lives in `awb` and is re-exported here.
//!
//! [`DecisionClock`] is plain data (`pub` fields, serde) so the DB layer can rebuild it from
//! stored events: the submission date, each suspension event pair, and the extension notice.
//!
//! Day counting convention (rules.md §6 open question 8, used by scenarios 19 and 20): a
//! suspension lasts `end − start` days, e.g. `supplemented_on − invited_on`,
//! `received_on − requested_on`.
// NOTE: Awb 4:15 lid 1 counts "from the day after the invitation until the day supplemented";
// whether the end day is included (±1 day) must be confirmed by a jurist (rules.md §6 q. 8).

pub use crate::domain::awb::objection_period_end;

mod clock;
mod default_notice;
mod late_decision;
mod terms;
#[cfg(test)]
mod tests;

pub use clock::{DecisionClock, Extension, ExtensionError, Suspension};
pub use default_notice::{
    check_fixed_amount, day_rate, maximum_amount, penalty_status, FixedAmountError, NoPenaltyGround,
    PenaltyStatus,
};
pub use late_decision::{late_decision_penalty, DwangsomError, LateDecisionPenalty};
pub use terms::{
    lbb_advice_due_on, lbb_advice_overdue, not_considered_due_on, LicensingDeadlineKind,
    BIBOB_ADVICE_TERM_DAYS, BIBOB_ADVICE_TERM_WEEKS, BIBOB_MAX_EXTENSION_WEEKS, NOT_CONSIDERED_WEEKS,
};
