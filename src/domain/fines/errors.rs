//! Why a fine table, policy or proposed fine is refused: `FineError`, and all of them together
//! in `FineRejected`.

use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::domain::money::Money;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, thiserror::Error)]
#[serde(rename_all = "snake_case", tag = "error")]
pub enum FineError {
    #[error("no fine table is configured for {date}; add one for that period")]
    NoTableForDate { date: NaiveDate },
    #[error("fine tables starting {first} and {second} overlap")]
    OverlappingTables { first: NaiveDate, second: NaiveDate },
    #[error("fine table starting {valid_from} is invalid: {reason}")]
    InvalidTable { valid_from: NaiveDate, reason: String },
    #[error("invalid fine policy: {reason}")]
    InvalidPolicy { reason: String },
    #[error("{proposed} exceeds the statutory maximum {cap} ({})", if *recidive { "recidive" } else { "first offence" })]
    AboveStatutoryCap { proposed: Money, cap: Money, recidive: bool },
    #[error("{proposed} exceeds the policy maximum {cap} for this offender")]
    AbovePolicyCap { proposed: Money, cap: Money },
    #[error(
        "a fine of {amount} requires a rapport and a zienswijze opportunity (Awb 5:53; above {threshold})"
    )]
    RapportAndZienswijzeRequired { amount: Money, threshold: Money },
    #[error("violation {violation_id} was already fined (Awb 5:43)")]
    AlreadyFined { violation_id: String },
    #[error(
        "the power to fine the violation of {violation_date} lapsed on {lapsed_on} (Awb 5:45: 5 years, \
         plus {suspension_days} days of objection or appeal)"
    )]
    PowerLapsed {
        violation_date: NaiveDate,
        lapsed_on: NaiveDate,
        /// Days the term stood still while an objection or appeal ran.
        #[serde(default)]
        suspension_days: u32,
    },
    #[error("the fine amount must be above zero")]
    ZeroAmount,
    #[error("the decision date is before the violation date")]
    DecisionBeforeViolation,
}

/// All reasons a proposed fine is rejected.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub struct FineRejected {
    pub errors: Vec<FineError>,
}

impl fmt::Display for FineRejected {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let msgs: Vec<String> = self.errors.iter().map(|e| e.to_string()).collect();
        write!(f, "fine rejected: {}", msgs.join("; "))
    }
}

impl std::error::Error for FineRejected {}
