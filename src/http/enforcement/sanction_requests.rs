//! Requests that start or advance a sanction, and their parsing into commands (dates, amounts
//! and the pure checks of their shape; 422 with pointers).

use std::sync::Arc;

use chrono::NaiveDate;
use serde::Deserialize;
use utoipa::ToSchema;
use validator::Validate;

use super::DisplacementDto;
use crate::domain::enforcement_policy::EnforcementPolicy;
use crate::domain::ladder::SanctionStep;
use crate::domain::money::Money;
use crate::domain::sanction_procedure::{DropReason, LiftGround, LodPurpose, PeriodForfeitMoment, SumKind};
use crate::error::{AppError, FieldError};
use crate::http::common::{not_in_future, parse_date};
use crate::service::enforcement::{
    Action, StartCoercion, StartFine, StartPenaltyOrder, StartSanction, StartTakeover, StartWarning,
};

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WarningTerms {
    /// YYYY-MM-DD, not in the future.
    pub issued_on: String,
    /// Default: issued_on + the policy's remedy term.
    pub remedy_deadline: Option<String>,
    /// Default: the policy's text (must mention a fine and publication).
    pub consequence_text: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FineStart {
    /// Dagtekening of the rapport (Awb 5:48), YYYY-MM-DD, not in the future. The decision is
    /// due 13 weeks later (5:51).
    pub rapport_date: String,
    /// Bedrijfsmatige overtreder (policy cap percentage).
    pub bedrijfsmatig: bool,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PenaltyOrderTerms {
    /// Bekendmaking, YYYY-MM-DD, not in the future.
    pub issued_on: String,
    /// Herstelmaatregelen (Awb 5:32a lid 1), at least one.
    pub remedial_measures: Vec<String>,
    #[schema(value_type = String, example = "end_ongoing_violation")]
    pub purpose: LodPurpose,
    /// Mandatory for ending or preventing further violation (5:32a lid 2); at most 3650 days.
    #[validate(range(max = 3650))]
    #[schema(maximum = 3650)]
    pub begunstigingstermijn_days: Option<u32>,
    /// `{"kind": "once"}`, `{"kind": "per_time_unit", "unit": "week"}` or `{"kind": "per_violation"}`.
    #[schema(value_type = Object)]
    pub sum_kind: SumKind,
    #[schema(minimum = 1, maximum = 100_000_000_000_i64)]
    pub amount_cents: i64,
    /// Mandatory maximum (5:32b lid 2); may be omitted for a lump sum.
    #[schema(minimum = 1, maximum = 100_000_000_000_i64)]
    pub maximum_cents: Option<i64>,
    #[serde(default)]
    #[schema(value_type = Option<PeriodForfeitMoment>)]
    pub period_forfeit_moment: Option<PeriodForfeitMoment>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CoercionTerms {
    pub decided_on: String,
    pub remedy_deadline: String,
    pub measures: Vec<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TakeoverTerms {
    pub decided_on: String,
    pub starts_on: String,
    pub beheerder: String,
    pub planned_end_on: Option<String>,
}

/// Start a sanction for one violation of the case. The step is checked against the ladder:
/// an unlawful step is refused (409, with the reason); another lawful step than the proposed one
/// needs a motivation (422 on `/motivation` without).
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateSanctionRequest {
    pub violation_id: String,
    /// `warning`, `penalty_order`, `administrative_coercion`, `administrative_fine`,
    /// `recidive_fine`, `management_takeover`.
    #[schema(value_type = SanctionStep, example = "warning")]
    pub step: SanctionStep,
    #[validate(length(max = 4000))]
    #[schema(max_length = 4000)]
    pub motivation: Option<String>,
    /// Required for penalty orders, bestuursdwang and management takeover.
    #[validate(nested)]
    pub displacement: Option<DisplacementDto>,
    pub warning: Option<WarningTerms>,
    pub fine: Option<FineStart>,
    #[validate(nested)]
    pub penalty_order: Option<PenaltyOrderTerms>,
    pub coercion: Option<CoercionTerms>,
    pub takeover: Option<TakeoverTerms>,
}

/// A date that happened: parsed and not after `today`.
fn past_date(raw: &str, pointer: &str, today: NaiveDate, errs: &mut Vec<FieldError>) -> Option<NaiveDate> {
    let d = parse_date(raw, pointer, errs);
    if let Some(d) = d {
        not_in_future(d, today, pointer, errs);
    }
    d
}

/// The largest amount a request may name: €1,000,000,000 (far above any fine cap or penalty sum,
/// and far from overflowing the sums of forfeitures).
const MAX_AMOUNT_CENTS: i64 = 100_000_000_000;

fn money(cents: i64, pointer: &str, errs: &mut Vec<FieldError>) -> Option<Money> {
    match Money::from_cents(cents) {
        Ok(m) if (1..=MAX_AMOUNT_CENTS).contains(&cents) => Some(m),
        _ => {
            errs.push(FieldError::new(pointer, "must be an amount in cents from 1 to 100000000000"));
            None
        }
    }
}

/// `Some(value)` when no error was found, else the errors.
fn checked<T>(v: Option<T>, errs: Vec<FieldError>) -> Result<T, AppError> {
    match v {
        Some(v) if errs.is_empty() => Ok(v),
        _ => Err(AppError::Validation(errs)),
    }
}

impl WarningTerms {
    fn parse(self, today: NaiveDate) -> Result<StartWarning, AppError> {
        let mut errs = Vec::new();
        let issued = past_date(&self.issued_on, "/warning/issued_on", today, &mut errs);
        let deadline = self
            .remedy_deadline
            .as_deref()
            .and_then(|d| parse_date(d, "/warning/remedy_deadline", &mut errs));
        let issued_on = checked(issued, errs)?;
        Ok(StartWarning { issued_on, remedy_deadline: deadline, consequence_text: self.consequence_text })
    }
}

impl FineStart {
    fn parse(self, today: NaiveDate) -> Result<StartFine, AppError> {
        let mut errs = Vec::new();
        let rapport = past_date(&self.rapport_date, "/fine/rapport_date", today, &mut errs);
        Ok(StartFine { rapport_date: checked(rapport, errs)?, bedrijfsmatig: self.bedrijfsmatig })
    }
}

impl PenaltyOrderTerms {
    fn parse(self, today: NaiveDate) -> Result<StartPenaltyOrder, AppError> {
        let mut errs = Vec::new();
        let issued = past_date(&self.issued_on, "/penalty_order/issued_on", today, &mut errs);
        let amount = money(self.amount_cents, "/penalty_order/amount_cents", &mut errs);
        let maximum = self.maximum_cents.and_then(|m| money(m, "/penalty_order/maximum_cents", &mut errs));
        let (issued_on, amount) = checked(issued.zip(amount), errs)?;
        Ok(StartPenaltyOrder {
            issued_on,
            remedial_measures: self.remedial_measures,
            purpose: self.purpose,
            begunstigingstermijn_days: self.begunstigingstermijn_days,
            sum_kind: self.sum_kind,
            amount,
            maximum,
            period_forfeit_moment: self.period_forfeit_moment,
        })
    }
}

impl CoercionTerms {
    fn parse(self, today: NaiveDate) -> Result<StartCoercion, AppError> {
        let mut errs = Vec::new();
        let decided = parse_date(&self.decided_on, "/coercion/decided_on", &mut errs);
        let deadline = parse_date(&self.remedy_deadline, "/coercion/remedy_deadline", &mut errs);
        if self.measures.iter().all(|m| m.trim().is_empty()) {
            errs.push(FieldError::new("/coercion/measures", "describe at least one measure (Awb 5:24)"));
        }
        let (Some(decided_on), Some(remedy_deadline)) = (decided, deadline) else {
            return Err(AppError::Validation(errs));
        };
        not_in_future(decided_on, today, "/coercion/decided_on", &mut errs);
        if remedy_deadline < decided_on {
            errs.push(FieldError::new("/coercion/remedy_deadline", "lies before the decision"));
        }
        checked(Some(StartCoercion { decided_on, remedy_deadline, measures: self.measures }), errs)
    }
}

impl TakeoverTerms {
    fn parse(self, today: NaiveDate) -> Result<StartTakeover, AppError> {
        let mut errs = Vec::new();
        let decided = parse_date(&self.decided_on, "/takeover/decided_on", &mut errs);
        let starts = parse_date(&self.starts_on, "/takeover/starts_on", &mut errs);
        let end =
            self.planned_end_on.as_deref().and_then(|d| parse_date(d, "/takeover/planned_end_on", &mut errs));
        if self.beheerder.trim().is_empty() {
            errs.push(FieldError::new(
                "/takeover/beheerder",
                "name the beheerder (B&W or a designated party)",
            ));
        }
        let (Some(decided_on), Some(starts_on)) = (decided, starts) else {
            return Err(AppError::Validation(errs));
        };
        not_in_future(decided_on, today, "/takeover/decided_on", &mut errs);
        if starts_on < decided_on || end.is_some_and(|e| e <= starts_on) {
            errs.push(FieldError::new("/takeover/starts_on", "dates must run decided ≤ start < end"));
        }
        let t = StartTakeover {
            decided_on,
            starts_on,
            beheerder: self.beheerder.trim().to_string(),
            planned_end_on: end,
        };
        checked(Some(t), errs)
    }
}

/// What the handler adds to a start request.
pub(super) struct StartContext {
    pub case_id: String,
    pub today: NaiveDate,
    pub policy: Arc<EnforcementPolicy>,
    pub municipality_name: String,
    pub created_by: String,
}

impl CreateSanctionRequest {
    /// The command, with the terms given parsed (dates, amounts, the checks of their shape).
    pub(super) fn into_command(self, cx: StartContext) -> Result<StartSanction, AppError> {
        let today = cx.today;
        Ok(StartSanction {
            case_id: cx.case_id,
            violation_id: self.violation_id,
            step: self.step,
            motivation: self
                .motivation
                .as_deref()
                .map(str::trim)
                .filter(|m| !m.is_empty())
                .map(str::to_string),
            displacement: self.displacement.map(Into::into),
            warning: self.warning.map(|t| t.parse(today)).transpose()?,
            fine: self.fine.map(|t| t.parse(today)).transpose()?,
            penalty_order: self.penalty_order.map(|t| t.parse(today)).transpose()?,
            coercion: self.coercion.map(|t| t.parse(today)).transpose()?,
            takeover: self.takeover.map(|t| t.parse(today)).transpose()?,
            policy: cx.policy,
            municipality_name: cx.municipality_name,
            created_by: cx.created_by,
        })
    }
}

/// One step of a sanction procedure. Dates are the dates the law counts with; none may lie in
/// the future.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case", tag = "action", deny_unknown_fields)]
pub enum SanctionActionRequest {
    // Administrative fine
    /// Notice of intent + invitation to give a zienswijze (rapport enclosed; Awb 5:50, 5:53).
    SendIntent {
        on: String,
    },
    ReceiveZienswijze {
        on: String,
    },
    /// The fine decision; the amount is validated against the cap for the violation date.
    Decide {
        decided_on: String,
        notified_on: String,
        #[schema(minimum = 1, maximum = 100_000_000_000_i64)]
        amount_cents: i64,
    },
    LodgeObjection {
        on: String,
    },
    BecomeFinal {
        on: String,
    },
    Annul {
        on: String,
    },
    /// Publication (fine or takeover). For a fine, `expires_on` (YYYY-MM-DD) ends it; without it
    /// the policy's `fine_procedure.publication_months` does, and without either it is 422.
    Publish {
        on: String,
        expires_on: Option<String>,
    },
    Drop {
        on: String,
        #[schema(value_type = String, example = "not_blameworthy")]
        reason: DropReason,
    },
    // Penalty order
    /// A follow-up inspection: compliance or non-compliance; forfeitures are computed per the
    /// order up to its maximum.
    RecordFollowUp {
        inspected_on: String,
        compliant: bool,
        non_compliant_since: Option<String>,
        /// 0–10000.
        #[serde(default)]
        #[schema(maximum = 10000)]
        violations_found: u32,
    },
    /// Beschikking omtrent invordering (Awb 5:37), required before any reminder. Covers every
    /// forfeited sum without a decision whose collection power has not lapsed.
    DecideCollection {
        on: String,
    },
    /// Records that the power to collect undecided sums lapsed (Awb 5:35), so that they leave
    /// the list of open work.
    RecordLapse {
        on: String,
    },
    SendReminder {
        on: String,
    },
    /// Penalty order: payment of every outstanding sum forfeited by `on` (no `amount_cents`).
    /// Administrative fine: a payment received on `on` of `amount_cents` (required; at most what
    /// is still to be paid; partial payments allowed).
    RecordPayment {
        on: String,
        #[schema(minimum = 1, maximum = 100_000_000_000_i64)]
        amount_cents: Option<i64>,
    },
    Lift {
        on: String,
        #[schema(value_type = String, example = "one_year_without_forfeiture")]
        ground: LiftGround,
    },
    // Warning
    VerifyRemedied {
        on: String,
    },
    EstablishNotRemedied {
        on: String,
    },
    Withdraw {
        on: String,
    },
    // Bestuursdwang
    VerifyCompliance {
        on: String,
    },
    Execute {
        on: String,
    },
    // Takeover
    EndTakeover {
        on: String,
    },
}

impl Validate for SanctionActionRequest {
    fn validate(&self) -> Result<(), validator::ValidationErrors> {
        Ok(())
    }
}

impl SanctionActionRequest {
    /// The action's main date and its pointer.
    fn main_date(&self) -> (&str, &'static str) {
        use SanctionActionRequest as A;
        match self {
            A::Decide { decided_on, .. } => (decided_on, "/decided_on"),
            A::RecordFollowUp { inspected_on, .. } => (inspected_on, "/inspected_on"),
            A::SendIntent { on }
            | A::ReceiveZienswijze { on }
            | A::LodgeObjection { on }
            | A::BecomeFinal { on }
            | A::Annul { on }
            | A::Publish { on, .. }
            | A::Drop { on, .. }
            | A::DecideCollection { on }
            | A::RecordLapse { on }
            | A::SendReminder { on }
            | A::RecordPayment { on, .. }
            | A::Lift { on, .. }
            | A::VerifyRemedied { on }
            | A::EstablishNotRemedied { on }
            | A::Withdraw { on }
            | A::VerifyCompliance { on }
            | A::Execute { on }
            | A::EndTakeover { on } => (on, "/on"),
        }
    }

    /// The action with its dates parsed: the main date (not in the future) first, then the
    /// action's other dates and amount.
    pub(super) fn parse(self, today: NaiveDate) -> Result<(Action, NaiveDate), AppError> {
        use SanctionActionRequest as A;
        let mut errs = Vec::new();
        let (raw, pointer) = self.main_date();
        let on = checked(past_date(raw, pointer, today, &mut errs), errs)?;
        let mut errs = Vec::new();
        let action = match self {
            A::SendIntent { .. } => Action::SendIntent,
            A::ReceiveZienswijze { .. } => Action::ReceiveZienswijze,
            A::Decide { notified_on, amount_cents, .. } => {
                let notified = parse_date(&notified_on, "/notified_on", &mut errs);
                let amount = money(amount_cents, "/amount_cents", &mut errs);
                if let Some(n) = notified {
                    not_in_future(n, today, "/notified_on", &mut errs);
                }
                let (notified_on, amount) = checked(notified.zip(amount), errs)?;
                Action::Decide { notified_on, amount }
            }
            A::LodgeObjection { .. } => Action::LodgeObjection,
            A::BecomeFinal { .. } => Action::BecomeFinal,
            A::Annul { .. } => Action::Annul,
            A::Publish { expires_on, .. } => {
                let expires = expires_on.as_deref().and_then(|d| parse_date(d, "/expires_on", &mut errs));
                if !errs.is_empty() {
                    return Err(AppError::Validation(errs));
                }
                Action::Publish { expires_on: expires }
            }
            A::Drop { reason, .. } => Action::Drop { reason },
            A::RecordFollowUp { compliant, non_compliant_since, violations_found, .. } => {
                let since = non_compliant_since
                    .as_deref()
                    .and_then(|d| parse_date(d, "/non_compliant_since", &mut errs));
                if violations_found > 10_000 {
                    errs.push(FieldError::new("/violations_found", "must be between 0 and 10000"));
                }
                if !errs.is_empty() {
                    return Err(AppError::Validation(errs));
                }
                Action::RecordFollowUp { compliant, non_compliant_since: since, violations_found }
            }
            A::DecideCollection { .. } => Action::DecideCollection,
            A::RecordLapse { .. } => Action::RecordLapse,
            A::SendReminder { .. } => Action::SendReminder,
            A::RecordPayment { amount_cents, .. } => {
                let amount = amount_cents.map(|c| money(c, "/amount_cents", &mut errs));
                if !errs.is_empty() {
                    return Err(AppError::Validation(errs));
                }
                Action::RecordPayment { amount: amount.flatten() }
            }
            A::Lift { ground, .. } => Action::Lift { ground },
            A::VerifyRemedied { .. } => Action::VerifyRemedied,
            A::EstablishNotRemedied { .. } => Action::EstablishNotRemedied,
            A::Withdraw { .. } => Action::Withdraw,
            A::VerifyCompliance { .. } => Action::VerifyCompliance,
            A::Execute { .. } => Action::Execute,
            A::EndTakeover { .. } => Action::EndTakeover,
        };
        Ok((action, on))
    }
}
