//! The steps of an administrative fine (bestuurlijke boete): notice of intent, zienswijze,
//! decision (the amount checked against the cap for the violation date, recidive, the
//! bedrijfsmatig policy, Awb 5:43 and 5:45 with its suspension), objection, final, annulment, publication, drop,
//! and the (partial) payment of a decided fine (no letter).

use super::actions::{Action, Step};
use super::{fine_error_pointer, procedure_error, set_state};
use crate::db::convert::from_json_text;
use crate::domain::calendar::HolidayCalendar;
use crate::domain::fines::{validate_fine, FineError, OffenderKind, ProposedFine};
use crate::domain::money::Money;
use crate::domain::sanction_procedure::{FineAction, FineState};
use crate::error::{AppError, AppResult, FieldError};
use crate::letters::enforcement::{FineDecisionLetter, FineIntentLetter};
use crate::letters::Letter;
use crate::service::enforcement::ladder::landlord_prior_fines;
use crate::service::enforcement::lapse::lapse_suspensions;
use crate::service::enforcement::rule_of;
use crate::service::Tx;

pub(super) fn apply(tx: &mut Tx<'_>, s: &mut Step<'_>) -> AppResult<Option<Letter>> {
    let st: FineState = from_json_text(&s.row.state)?;
    let on = s.on;
    let domain_action = match s.action {
        Action::SendIntent => FineAction::SendIntent { on },
        Action::ReceiveZienswijze => FineAction::ReceiveZienswijze { on },
        Action::Decide { notified_on, amount } => {
            // Validate the amount before the state machine.
            if st.name() == "rapport" || st.name() == "intent_sent" {
                assess(tx, s, &st, *amount)?;
            }
            FineAction::Decide { decided_on: on, notified_on: *notified_on, amount: *amount }
        }
        Action::LodgeObjection => FineAction::LodgeObjection { on },
        Action::BecomeFinal => FineAction::BecomeFinal { on },
        Action::Annul => FineAction::Annul { on },
        Action::Publish { expires_on } => FineAction::Publish { on, expires_on: *expires_on },
        Action::Drop { reason } => FineAction::Drop { on, reason: *reason },
        Action::RecordPayment { amount: Some(amount) } => {
            FineAction::RecordPayment { paid_on: on, amount: *amount }
        }
        Action::RecordPayment { amount: None } => {
            if !st.allowed_actions(&s.policy.fine_procedure).contains(&"record_payment") {
                return Err(s.illegal());
            }
            return Err(AppError::field("/amount_cents", "the amount paid is required for a fine"));
        }
        _ => return Err(s.illegal()),
    };
    let next = st
        .apply(&domain_action, &s.policy.fine_procedure, &HolidayCalendar::default())
        .map_err(|e| procedure_error(e, s.action.date_pointer()))?;
    let mut letter = None;
    let row = &mut s.row;
    match &next {
        FineState::IntentSent { zienswijze_due, zienswijze_received_on: None, .. }
            if st.name() == "rapport" =>
        {
            let l = FineIntentLetter {
                municipality: s.municipality,
                rule: &row.rule,
                violation_date: row.violation_date,
                zienswijze_due: *zienswijze_due,
            };
            letter = Some(l.letter()?);
        }
        FineState::Decided { decision, .. } => {
            row.amount_cents = Some(decision.amount.cents());
            row.decision_date = Some(decision.decided_on);
            let l = FineDecisionLetter {
                municipality: s.municipality,
                rule: &row.rule,
                amount: decision.amount,
                payment_due: decision.payment_due,
                objection_ends: decision.objection_ends,
            };
            letter = Some(l.letter()?);
        }
        FineState::Final { final_on, .. } => row.final_date = Some(*final_on),
        FineState::Published { final_on: Some(f), .. } => row.final_date = Some(*f),
        FineState::Annulled { .. } => row.annulled = true,
        _ => {}
    }
    set_state(row, next.name(), &next)?;
    Ok(letter)
}

/// Checks a fine's amount against the cap for the violation date, recidive, the bedrijfsmatig
/// policy, 5:43 and 5:45, and keeps the assessment with the terms.
fn assess(tx: &mut Tx<'_>, s: &mut Step<'_>, st: &FineState, amount: Money) -> AppResult<()> {
    let suspensions = lapse_suspensions(tx, &s.row.violation_id)?;
    let row = &mut s.row;
    let intent = match st {
        FineState::IntentSent { intent_sent_on, .. } => Some(*intent_sent_on),
        _ => None,
    };
    let violation_date = row.violation_date;
    // Prior fines (this one has no decision yet, so it is not among them).
    let prior = landlord_prior_fines(tx.conn, &row.landlord_id, s.policy, violation_date)?;
    let proposal = ProposedFine {
        violation_id: row.violation_id.clone(),
        rule: rule_of(&row.rule)?,
        violation_date,
        amount,
        offender_kind: row.offender_kind.unwrap_or(OffenderKind::NietBedrijfsmatig),
        rapport_date: row.rapport_date,
        zienswijze_invited_on: intent,
        decision_date: s.on,
        lapse_suspensions: suspensions,
    };
    match validate_fine(&proposal, &prior, &s.policy.fines) {
        Ok(assessment) => {
            let mut terms: serde_json::Value = from_json_text(&row.terms)?;
            terms["assessment"] = serde_json::to_value(&assessment).unwrap_or_default();
            row.terms = terms.to_string();
            Ok(())
        }
        Err(rejected) => {
            // 5:53 without intent is the state machine's business (below).
            let errs: Vec<FieldError> = rejected
                .errors
                .iter()
                .filter(|e| !matches!(e, FineError::RapportAndZienswijzeRequired { .. }))
                .map(|e| FieldError::new(fine_error_pointer(e), e.to_string()))
                .collect();
            if errs.is_empty() {
                Ok(())
            } else {
                Err(AppError::Validation(errs))
            }
        }
    }
}
