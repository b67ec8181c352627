//! Enforcement (handhaving): violations, enforcement cases per landlord + address, the sanction
//! ladder's proposal, sanction procedures (warning, administrative fine, penalty order,
//! bestuursdwang, management takeover), the landlord's history, the dashboard and the landlord's
//! own view of sanctions.
//!
//! Error conventions: an unlawful step (the law forbids it on these facts) is a conflict with the
//! reason; a lawful step that departs from the proposal without a motivation is a validation
//! error on `/motivation`; an action the procedure's state does not allow is a conflict with
//! `allowed_actions`; dates or amounts the facts contradict are validation errors with pointers.

pub mod cases;
pub mod dashboard;
pub mod history;
mod ladder;
pub mod lapse;
pub mod register;
pub mod sanctions;
pub mod violations;

use crate::db::enforcement as q;
use crate::domain::general_rules::RuleCode;
use crate::error::{AppError, AppResult};
use crate::letters::Letter;
use crate::service::Tx;

pub use cases::{case_next_step, get_case, list_cases, NextStep, ViolationStep};
pub use dashboard::{dashboard, Dashboard, DashboardQuery, DeadlineEntry};
pub use history::{landlord_history, History, HistoryQuery};
pub use sanctions::{
    get_sanction, my_sanctions, run_action, start_sanction, Action, Displacement, RunAction, StartCoercion,
    StartFine, StartPenaltyOrder, StartSanction, StartTakeover, StartWarning,
};
pub use violations::{
    close_violation, create_violation, get_violation, Address, CloseViolation, CreateViolation, Evidence,
    Numbers, StoredDetails,
};

pub(crate) fn not_found(what: &str) -> AppError {
    AppError::NotFound(format!("no such {what}"))
}

fn rule_of(s: &str) -> AppResult<RuleCode> {
    s.parse().map_err(|_| AppError::internal(anyhow::anyhow!("unknown rule {s:?} in database")))
}

/// Sends `letter` to the landlord (if they have an e-mail address) with this transaction.
fn notify_landlord(tx: &mut Tx<'_>, landlord_id: &str, municipality: &str, letter: &Letter) -> AppResult<()> {
    if let Some(to) = q::landlord_email(tx.conn, landlord_id)? {
        tx.mail(Some(municipality), &to, letter)?;
    }
    Ok(())
}
