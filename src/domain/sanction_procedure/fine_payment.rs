//! Payment of an administrative fine: partial payments up to the decided amount, recorded from
//! the decision on (the payment term itself is Awb 4:87, six weeks after notification; see
//! `awb::fine_payment_due`). An annulled or dropped fine cannot be paid; a fully paid fine no
//! longer has a payment deadline.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::errors::{not_before, ProcedureError};
use super::fine::{FineAction, FineDecision, FineProcedureConfig, FineState};
use crate::domain::money::Money;

/// One payment received for a fine.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub struct FinePayment {
    pub paid_on: NaiveDate,
    pub amount: Money,
}

impl FineDecision {
    /// What is still to be paid (never below zero).
    pub fn outstanding(&self) -> Money {
        Money::from_cents(self.amount.cents().saturating_sub(self.paid_cents)).unwrap_or(Money::ZERO)
    }

    /// Whether the whole amount has been paid.
    pub fn paid_in_full(&self) -> bool {
        self.outstanding() == Money::ZERO
    }
}

impl FineState {
    /// The decision of a decided fine, annulled or not.
    pub fn decision(&self) -> Option<&FineDecision> {
        match self {
            FineState::Decided { decision, .. }
            | FineState::ObjectionLodged { decision, .. }
            | FineState::Final { decision, .. }
            | FineState::Published { decision, .. }
            | FineState::Annulled { decision, .. } => Some(decision),
            FineState::Rapport { .. } | FineState::IntentSent { .. } | FineState::Dropped { .. } => None,
        }
    }

    /// The decision of a fine that stands (decided and not annulled): the one payments go to.
    fn standing_decision_mut(&mut self) -> Option<&mut FineDecision> {
        match self {
            FineState::Decided { decision, .. }
            | FineState::ObjectionLodged { decision, .. }
            | FineState::Final { decision, .. }
            | FineState::Published { decision, .. } => Some(decision),
            _ => None,
        }
    }

    /// Whether a payment can be recorded: the fine stands and something is still to be paid.
    pub(super) fn payable(&self) -> bool {
        let mut st = self.clone();
        st.standing_decision_mut().is_some_and(|d| !d.paid_in_full())
    }

    /// Records a payment of `amount` on `paid_on`; the state stays what it was.
    pub(super) fn record_payment(
        &self,
        paid_on: NaiveDate,
        amount: Money,
        cfg: &FineProcedureConfig,
    ) -> Result<FineState, ProcedureError> {
        if !self.payable() {
            return Err(self.illegal(&FineAction::RecordPayment { paid_on, amount }, cfg));
        }
        let mut next = self.clone();
        let Some(decision) = next.standing_decision_mut() else {
            return Err(self.illegal(&FineAction::RecordPayment { paid_on, amount }, cfg));
        };
        if amount.cents() <= 0 {
            return Err(ProcedureError::ZeroAmount);
        }
        let outstanding = decision.outstanding();
        if amount > outstanding {
            return Err(ProcedureError::AboveOutstanding { amount, outstanding });
        }
        // Payment is owed from the decision on (Awb 4:87 counts the term from notification,
        // but paying before being notified is possible); never earlier.
        not_before("paid_on", paid_on, decision.decided_on)?;
        decision.payments.push(FinePayment { paid_on, amount });
        decision.paid_cents = decision.paid_cents.saturating_add(amount.cents());
        decision.outstanding_cents = Some(decision.outstanding().cents());
        Ok(next)
    }
}
