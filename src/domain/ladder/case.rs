//! The enforcement case (carrousel rule, rules.md §4.8 [S40]): one open case per landlord,
//! address and rule, closed only for the listed reasons.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::model::CaseKey;
use crate::domain::sanction_procedure::LodState;

/// The only ways to close a case. A tenant leaving is deliberately not one of them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "reason")]
pub enum CloseReason {
    /// Compliance verified (inspection).
    Remedied { verified_on: NaiveDate },
    /// Refraining from enforcement: legalisation concretely in prospect (supervision.md).
    LegalisationInProspect { motivation: String },
    /// Refraining from enforcement: enforcement would be disproportionate (supervision.md).
    Disproportionate { motivation: String },
    /// Woningcorporatie: referred.
    Referred { to: String },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "status")]
pub enum CaseStatus {
    Open,
    Closed { on: NaiveDate, reason: CloseReason },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub struct EnforcementCase {
    pub key: CaseKey,
    pub opened_on: NaiveDate,
    pub status: CaseStatus,
    pub penalty_order: Option<LodState>,
    /// Tenant changes, kept for the file only: they never affect status or sanctions.
    pub tenant_changes: Vec<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "event")]
pub enum CaseEvent {
    /// A tenant left and/or a new one entered on `on`.
    TenantChanged {
        on: NaiveDate,
    },
    SetPenaltyOrder {
        order: LodState,
    },
    Close {
        on: NaiveDate,
        reason: CloseReason,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(rename_all = "snake_case", tag = "error")]
pub enum CaseError {
    #[error("the case is closed")]
    Closed,
    #[error("closing without enforcement needs a motivation")]
    MissingMotivation,
}

impl EnforcementCase {
    pub fn open(key: CaseKey, on: NaiveDate) -> EnforcementCase {
        EnforcementCase {
            key,
            opened_on: on,
            status: CaseStatus::Open,
            penalty_order: None,
            tenant_changes: vec![],
        }
    }

    pub fn is_open(&self) -> bool {
        self.status == CaseStatus::Open
    }

    /// The penalty order still binds the landlord for this address and rule.
    pub fn penalty_order_effective(&self) -> bool {
        self.penalty_order.as_ref().is_some_and(LodState::is_effective)
    }

    /// Whether a finding for (landlord, address, rule) belongs to this case — the tenant plays
    /// no part.
    pub fn covers(&self, key: &CaseKey) -> bool {
        self.key == *key
    }

    pub fn apply(&self, event: &CaseEvent) -> Result<EnforcementCase, CaseError> {
        let mut next = self.clone();
        match event {
            // Carrousel rule: recorded, but status and sanctions are untouched.
            CaseEvent::TenantChanged { on } => next.tenant_changes.push(*on),
            CaseEvent::SetPenaltyOrder { order } => {
                if !self.is_open() {
                    return Err(CaseError::Closed);
                }
                next.penalty_order = Some(order.clone());
            }
            CaseEvent::Close { on, reason } => {
                if !self.is_open() {
                    return Err(CaseError::Closed);
                }
                if let CloseReason::LegalisationInProspect { motivation }
                | CloseReason::Disproportionate { motivation } = reason
                {
                    if motivation.trim().is_empty() {
                        return Err(CaseError::MissingMotivation);
                    }
                }
                next.status = CaseStatus::Closed { on: *on, reason: reason.clone() };
            }
        }
        Ok(next)
    }
}

/// The open case for a finding, if any (one open case per landlord + address + rule).
pub fn open_case_for<'a>(cases: &'a [EnforcementCase], key: &CaseKey) -> Option<&'a EnforcementCase> {
    cases.iter().find(|c| c.is_open() && c.covers(key))
}
