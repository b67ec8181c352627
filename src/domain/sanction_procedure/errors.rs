//! Errors of the sanction procedures: an action the state does not allow (HTTP 409) and
//! allowed actions with bad data (HTTP 422).

use chrono::NaiveDate;
use serde::Serialize;

use crate::domain::money::Money;

/// An action that the current state does not allow (HTTP 409).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("{procedure}: action '{action}' is not allowed in state '{from}' (allowed: {allowed:?})")]
pub struct IllegalTransition {
    pub procedure: &'static str,
    pub from: &'static str,
    pub action: &'static str,
    pub allowed: Vec<&'static str>,
}

#[derive(Debug, Clone, PartialEq, Serialize, thiserror::Error)]
#[serde(rename_all = "snake_case", tag = "error")]
pub enum ProcedureError {
    #[error(transparent)]
    IllegalTransition(IllegalTransition),
    #[error("{field} {date} may not be before {earliest}")]
    DateTooEarly { field: &'static str, date: NaiveDate, earliest: NaiveDate },
    #[error("{field} {date} is after the last allowed day {latest}")]
    DateTooLate { field: &'static str, date: NaiveDate, latest: NaiveDate },
    /// Awb 5:53: above €340 a rapport and a zienswijze opportunity are mandatory.
    #[error(
        "a fine of {amount} requires a notice of intent with zienswijze first (Awb 5:53; above {threshold})"
    )]
    ZienswijzeRequired { amount: Money, threshold: Money },
    #[error("the zienswijze term runs until {until} and no zienswijze was received")]
    ZienswijzeTermRunning { until: NaiveDate },
    #[error("amount must be above zero")]
    ZeroAmount,
    /// 5:35: power to collect lapsed.
    #[error("the power to collect lapsed on {lapsed_on} (Awb 5:35)")]
    CollectionPowerLapsed { lapsed_on: NaiveDate },
    /// A fine's payment above what is still to be paid.
    #[error("a payment of {amount} exceeds the {outstanding} still to be paid")]
    AboveOutstanding { amount: Money, outstanding: Money },
    #[error("forfeiting {amount} would exceed the maximum {maximum} (Awb 5:32b lid 2)")]
    AboveMaximum { amount: Money, maximum: Money },
    #[error("the penalty order cannot be lifted: {reason}")]
    LiftNotAllowed { reason: String },
    /// A publication needs an end: the policy's publication term, or a date in the request.
    #[error("a publication needs an end date: give expires_on, or set fine_procedure.publication_months in the policy")]
    PublicationExpiryRequired,
}

impl From<IllegalTransition> for ProcedureError {
    fn from(e: IllegalTransition) -> Self {
        ProcedureError::IllegalTransition(e)
    }
}

pub(super) fn not_before(
    field: &'static str,
    date: NaiveDate,
    earliest: NaiveDate,
) -> Result<(), ProcedureError> {
    if date < earliest {
        Err(ProcedureError::DateTooEarly { field, date, earliest })
    } else {
        Ok(())
    }
}
