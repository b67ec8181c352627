//! Performing a step of a sanction procedure. An action the procedure's state does not allow is
//! a conflict with `allowed_actions`. The fine and penalty-order steps are in their own modules;
//! the warning, bestuursdwang and takeover steps are here.

use std::sync::Arc;

use chrono::NaiveDate;

use super::publication::keep_register;
use super::{allowed_actions, fine_actions, get_sanction, lod_actions, procedure_error, set_state};
use crate::db::convert::from_json_text;
use crate::db::enforcement::{self as q, SanctionRow};
use crate::domain::code::Code;
use crate::domain::enforcement_policy::EnforcementPolicy;
use crate::domain::money::Money;
use crate::domain::sanction_lifecycle::{CoercionState, SanctionKind, TakeoverState};
use crate::domain::sanction_procedure::{DropReason, LiftGround, WarningAction, WarningState};
use crate::error::{AppError, AppResult};
use crate::service::complaints::enforcement_final::follow_case;
use crate::service::enforcement::notify_landlord;
use crate::service::{Audit, Tx};

/// One step of a sanction procedure, its dates parsed (the main date is [`RunAction::on`]).
#[derive(Debug, Clone)]
pub enum Action {
    // Administrative fine
    SendIntent,
    ReceiveZienswijze,
    Decide {
        notified_on: NaiveDate,
        amount: Money,
    },
    LodgeObjection,
    BecomeFinal,
    Annul,
    /// Publication (fine or takeover).
    Publish {
        expires_on: Option<NaiveDate>,
    },
    Drop {
        reason: DropReason,
    },
    // Penalty order
    RecordFollowUp {
        compliant: bool,
        non_compliant_since: Option<NaiveDate>,
        violations_found: u32,
    },
    DecideCollection,
    RecordLapse,
    SendReminder,
    /// A penalty order's payment (no amount: every sum forfeited by the date) or a fine's
    /// (partial) payment of `amount`.
    RecordPayment {
        amount: Option<Money>,
    },
    Lift {
        ground: LiftGround,
    },
    // Warning
    VerifyRemedied,
    EstablishNotRemedied,
    Withdraw,
    // Bestuursdwang
    VerifyCompliance,
    Execute,
    // Takeover
    EndTakeover,
}

impl Action {
    /// The action's name as the API and the audit trail know it.
    pub fn name(&self) -> &'static str {
        match self {
            Action::SendIntent => "send_intent",
            Action::ReceiveZienswijze => "receive_zienswijze",
            Action::Decide { .. } => "decide",
            Action::LodgeObjection => "lodge_objection",
            Action::BecomeFinal => "become_final",
            Action::Annul => "annul",
            Action::Publish { .. } => "publish",
            Action::Drop { .. } => "drop",
            Action::RecordFollowUp { .. } => "record_follow_up",
            Action::DecideCollection => "decide_collection",
            Action::RecordLapse => "record_lapse",
            Action::SendReminder => "send_reminder",
            Action::RecordPayment { .. } => "record_payment",
            Action::Lift { .. } => "lift",
            Action::VerifyRemedied => "verify_remedied",
            Action::EstablishNotRemedied => "establish_not_remedied",
            Action::Withdraw => "withdraw",
            Action::VerifyCompliance => "verify_compliance",
            Action::Execute => "execute",
            Action::EndTakeover => "end_takeover",
        }
    }

    /// The pointer of the action's main date in the request.
    pub fn date_pointer(&self) -> &'static str {
        match self {
            Action::Decide { .. } => "/decided_on",
            Action::RecordFollowUp { .. } => "/inspected_on",
            _ => "/on",
        }
    }
}

/// Perform `action` on sanction `sanction_id` on date `on` (not in the future).
pub struct RunAction {
    pub sanction_id: String,
    pub action: Action,
    pub on: NaiveDate,
    pub policy: Arc<EnforcementPolicy>,
    pub municipality_name: String,
}

/// The state of one step in progress: the row being changed and what the step knows.
pub(super) struct Step<'a> {
    pub row: SanctionRow,
    pub action: &'a Action,
    pub on: NaiveDate,
    pub policy: &'a EnforcementPolicy,
    pub municipality: &'a str,
}

impl Step<'_> {
    /// The conflict for an action this kind or state does not allow.
    pub(super) fn illegal(&self) -> AppError {
        let allowed = allowed_actions(&self.row, self.policy);
        AppError::Conflict {
            detail: format!(
                "{}: action '{}' is not allowed in state '{}' (allowed: {allowed:?})",
                self.row.kind.code(),
                self.action.name(),
                self.row.state_name
            ),
            allowed_actions: Some(allowed),
        }
    }
}

pub fn run_action(tx: &mut Tx<'_>, cmd: RunAction) -> AppResult<SanctionRow> {
    let mut row = get_sanction(tx, &cmd.sanction_id)?;
    claim(tx, &mut row)?;
    let before_state = row.state_name.clone();
    let before_final = (row.final_date, row.annulled);
    let mut step = Step {
        row,
        action: &cmd.action,
        on: cmd.on,
        policy: &cmd.policy,
        municipality: &cmd.municipality_name,
    };
    let letter = match step.row.kind {
        SanctionKind::AdministrativeFine => fine_actions::apply(tx, &mut step)?,
        SanctionKind::PenaltyOrder => lod_actions::apply(&mut step)?,
        SanctionKind::Warning => warning(&mut step).map(|()| None)?,
        SanctionKind::AdministrativeCoercion => coercion(&mut step).map(|()| None)?,
        SanctionKind::ManagementTakeover => takeover(&mut step).map(|()| None)?,
    };
    let mut row = step.row;
    row.updated_at = tx.now;
    q::update_sanction(tx.conn, &row)?;
    keep_register(tx, &row)?;
    let mut after = serde_json::json!({"state": row.state_name, "on": cmd.on,
        "amount_cents": row.amount_cents, "next_deadline": row.next_deadline});
    if let Action::RecordPayment { amount: Some(paid) } = &cmd.action {
        after["paid_amount_cents"] = serde_json::json!(paid.cents());
    }
    tx.audit(
        Audit::of(Some(&row.municipality_code), "sanction", &row.id, cmd.action.name())
            .before(serde_json::json!({"state": before_state}))
            .after(after),
    )?;
    if let Some(letter) = letter {
        notify_landlord(tx, &row.landlord_id, &row.municipality_code, &letter)?;
    }
    // Retention rule (d) of the complaints linked to the case follows its final sanctions.
    if (row.final_date, row.annulled) != before_final {
        follow_case(tx, &row.municipality_code, &row.case_id, &row.id)?;
    }
    Ok(row)
}

/// Claims the sanction for this action (its version raised by one, the row held until the
/// commit): 412 when the caller's `If-Match` names a version it no longer has or another action
/// changed it after it was read under that `If-Match`; 409 when another action changed it
/// meanwhile without one.
fn claim(tx: &mut Tx<'_>, row: &mut SanctionRow) -> AppResult<()> {
    tx.check_version("sanction", &row.id, row.version)?;
    if q::claim_sanction(tx.conn, row)? {
        Ok(())
    } else if tx.expects(&row.id) {
        Err(Tx::stale("sanction"))
    } else {
        Err(AppError::conflict("the sanction was changed at the same time; reload and try again"))
    }
}

fn warning(s: &mut Step<'_>) -> AppResult<()> {
    let st: WarningState = from_json_text(&s.row.state)?;
    let on = s.on;
    let a = match s.action {
        Action::VerifyRemedied => WarningAction::VerifyRemedied { on },
        Action::EstablishNotRemedied => WarningAction::EstablishNotRemedied { on },
        Action::Withdraw => WarningAction::Withdraw { on },
        _ => return Err(s.illegal()),
    };
    let next = st.apply(&a).map_err(|e| procedure_error(e, s.action.date_pointer()))?;
    set_state(&mut s.row, next.name(), &next)
}

fn coercion(s: &mut Step<'_>) -> AppResult<()> {
    let st: CoercionState = from_json_text(&s.row.state)?;
    let CoercionState::Decided { decided_on, .. } = st else { return Err(s.illegal()) };
    let on = s.on;
    if on < decided_on {
        return Err(AppError::field(s.action.date_pointer(), "lies before the decision"));
    }
    let next = match s.action {
        Action::VerifyCompliance => CoercionState::Complied { decided_on, complied_on: on },
        Action::Execute => CoercionState::Executed { decided_on, executed_on: on },
        Action::Withdraw => CoercionState::Withdrawn { decided_on, withdrawn_on: on },
        _ => return Err(s.illegal()),
    };
    set_state(&mut s.row, next.name(), &next)
}

fn takeover(s: &mut Step<'_>) -> AppResult<()> {
    let mut st: TakeoverState = from_json_text(&s.row.state)?;
    let on = s.on;
    match s.action {
        Action::Publish { expires_on: Some(_) } => {
            return Err(AppError::field(
                "/expires_on",
                "a management takeover's publication ends with the takeover",
            ))
        }
        Action::Publish { .. } if st.published_on.is_none() && st.ended_on.is_none() => {
            if on < st.decided_on {
                return Err(AppError::field(s.action.date_pointer(), "lies before the decision"));
            }
            st.published_on = Some(on);
        }
        Action::EndTakeover if st.ended_on.is_none() => {
            if on < st.starts_on {
                return Err(AppError::field(
                    s.action.date_pointer(),
                    "lies before the start of the takeover",
                ));
            }
            st.ended_on = Some(on);
        }
        _ => return Err(s.illegal()),
    }
    set_state(&mut s.row, st.name(), &st)
}
