//! The terms of each kind of sanction when it starts: checked against the facts of the
//! violation, turned into the procedure's first state, and the letter that announces it.

use chrono::NaiveDate;

use super::{lod_error_pointer, set_state};
use crate::db::convert::json_text;
use crate::db::enforcement::{self as q, SanctionRow};
use crate::domain::code::Code;
use crate::domain::enforcement_policy::EnforcementPolicy;
use crate::domain::fines::{power_lapse, FineError, OffenderKind};
use crate::domain::general_rules::RuleCode;
use crate::domain::ladder::{takeover_grounds, CaseFacts, LandlordHistory, SanctionStep};
use crate::domain::money::Money;
use crate::domain::sanction_lifecycle::{CoercionState, TakeoverState};
use crate::domain::sanction_procedure::{
    FineState, LodPurpose, LodState, PenaltyOrder, PeriodForfeitMoment, SumKind, Warning, WarningState,
};
use crate::error::{AppError, AppResult, FieldError};
use crate::letters::enforcement::{CoercionOrderLetter, PenaltyOrderLetter, TakeoverLetter, WarningLetter};
use crate::letters::Letter;
use crate::service::enforcement::lapse::lapse_suspensions;
use crate::service::Tx;

/// A warning's terms (dates parsed, not in the future).
pub struct StartWarning {
    pub issued_on: NaiveDate,
    /// Default: issued_on + the policy's remedy term.
    pub remedy_deadline: Option<NaiveDate>,
    /// Default: the policy's text.
    pub consequence_text: Option<String>,
}

/// A fine starts with the rapport (Awb 5:48).
pub struct StartFine {
    pub rapport_date: NaiveDate,
    pub bedrijfsmatig: bool,
}

/// A penalty order's terms (amounts positive).
pub struct StartPenaltyOrder {
    pub issued_on: NaiveDate,
    pub remedial_measures: Vec<String>,
    pub purpose: LodPurpose,
    pub begunstigingstermijn_days: Option<u32>,
    pub sum_kind: SumKind,
    pub amount: Money,
    pub maximum: Option<Money>,
    pub period_forfeit_moment: Option<PeriodForfeitMoment>,
}

/// Bestuursdwang: decided, with a remedy term and at least one measure.
pub struct StartCoercion {
    pub decided_on: NaiveDate,
    pub remedy_deadline: NaiveDate,
    pub measures: Vec<String>,
}

/// A management takeover (decided ≤ start < planned end).
pub struct StartTakeover {
    pub decided_on: NaiveDate,
    pub starts_on: NaiveDate,
    /// Trimmed, not blank.
    pub beheerder: String,
    pub planned_end_on: Option<NaiveDate>,
}

/// What every kind's start needs besides its terms.
pub(super) struct Facts<'a> {
    pub rule: RuleCode,
    pub violation_date: NaiveDate,
    pub policy: &'a EnforcementPolicy,
    pub municipality: &'a str,
    pub address: &'a str,
}

fn before_violation(d: NaiveDate, f: &Facts<'_>, pointer: &str, errs: &mut Vec<FieldError>) {
    if d < f.violation_date {
        errs.push(FieldError::new(pointer, "lies before the violation was established"));
    }
}

pub(super) fn warning(row: &mut SanctionRow, f: &Facts<'_>, t: StartWarning) -> AppResult<Option<Letter>> {
    let mut errs = Vec::new();
    before_violation(t.issued_on, f, "/warning/issued_on", &mut errs);
    let mut w = Warning::draft(f.rule, t.issued_on, &f.policy.warning);
    if let Some(d) = t.remedy_deadline {
        w.remedy_deadline = d;
    }
    if let Some(text) = t.consequence_text {
        w.consequence_text = text;
    }
    let st = match WarningState::issue(&w, &f.policy.warning) {
        Ok(s) => Some(s),
        Err(es) => {
            errs.extend(es.into_iter().map(|e| FieldError::new("/warning", e.to_string())));
            None
        }
    };
    let (Some(st), true) = (st, errs.is_empty()) else { return Err(AppError::Validation(errs)) };
    row.effective_on = t.issued_on;
    row.terms = json_text(&w)?;
    set_state(row, st.name(), &st)?;
    let letter = WarningLetter {
        municipality: f.municipality,
        rule: f.rule.as_str(),
        address: f.address,
        violation_date: f.violation_date,
        remedy_deadline: w.remedy_deadline,
        consequence_text: &w.consequence_text,
    };
    Ok(Some(letter.letter()?))
}

pub(super) fn fine(
    tx: &mut Tx<'_>,
    row: &mut SanctionRow,
    f: &Facts<'_>,
    step: SanctionStep,
    t: StartFine,
) -> AppResult<Option<Letter>> {
    let mut errs = Vec::new();
    let rapport = t.rapport_date;
    before_violation(rapport, f, "/fine/rapport_date", &mut errs);
    // Awb 5:43: no second fine for the same violation.
    if let Some(existing) = q::live_fine_for_violation(tx.conn, &row.violation_id)? {
        return Err(AppError::Conflict {
            detail: format!(
                "this violation is already being fined or was fined (sanction {existing}); Awb 5:43"
            ),
            allowed_actions: None,
        });
    }
    // The cap table for the date of the violation must exist (never a silent default).
    if let Err(e) = f.policy.fines.tables_for(f.rule).table_for(f.violation_date) {
        errs.push(FieldError::new("/violation_id", e.to_string()));
    }
    // Awb 5:45: the power to fine lapses 5 years after the violation, the term suspended while
    // an objection or appeal against an earlier fine for it ran.
    let suspensions = lapse_suspensions(tx, &row.violation_id)?;
    let lapse = power_lapse(f.violation_date, &suspensions, tx.today);
    if lapse.lapsed_by(rapport) {
        let e = FineError::PowerLapsed {
            violation_date: f.violation_date,
            lapsed_on: lapse.lapses_on,
            suspension_days: lapse.suspension_days,
        };
        errs.push(FieldError::new("/violation_id", e.to_string()));
    }
    if !errs.is_empty() {
        return Err(AppError::Validation(errs));
    }
    let st = FineState::start(rapport);
    row.offender_kind =
        Some(if t.bedrijfsmatig { OffenderKind::Bedrijfsmatig } else { OffenderKind::NietBedrijfsmatig });
    row.rapport_date = Some(rapport);
    row.effective_on = rapport;
    row.terms = serde_json::json!({"bedrijfsmatig": t.bedrijfsmatig, "step": step.code()}).to_string();
    set_state(row, st.name(), &st)?;
    // The rapport is sent with the notice of intent (5:50); no notice yet.
    Ok(None)
}

pub(super) fn penalty_order(
    row: &mut SanctionRow,
    f: &Facts<'_>,
    t: StartPenaltyOrder,
) -> AppResult<Option<Letter>> {
    let order = PenaltyOrder {
        rule: f.rule,
        remedial_measures: t.remedial_measures.iter().map(|m| m.trim().to_string()).collect(),
        purpose: t.purpose,
        issued_on: t.issued_on,
        begunstigingstermijn_days: t.begunstigingstermijn_days,
        sum_kind: t.sum_kind,
        amount: t.amount,
        maximum: t.maximum,
        period_forfeit_moment: t.period_forfeit_moment.unwrap_or_default(),
    };
    let st = LodState::start(&order).map_err(|es| {
        AppError::Validation(
            es.iter().map(|e| FieldError::new(lod_error_pointer(e), e.to_string())).collect(),
        )
    })?;
    row.amount_cents = Some(t.amount.cents());
    row.effective_on = t.issued_on;
    row.terms = json_text(&serde_json::json!({"order": order, "follow_ups": []}))?;
    set_state(row, st.name(), &st)?;
    let deadline = order.compliance_deadline().map(|d| d.to_string()).unwrap_or_else(|| "-".into());
    let letter = PenaltyOrderLetter {
        municipality: f.municipality,
        address: f.address,
        rule: f.rule.as_str(),
        measures: &order.remedial_measures.join("; "),
        compliance_deadline: &deadline,
        amount: order.amount,
        sum_kind: &format!("{:?}", order.sum_kind),
        maximum: order.effective_maximum(),
    };
    Ok(Some(letter.letter()?))
}

pub(super) fn coercion(row: &mut SanctionRow, f: &Facts<'_>, t: StartCoercion) -> AppResult<Option<Letter>> {
    let st = CoercionState::Decided { decided_on: t.decided_on, remedy_deadline: t.remedy_deadline };
    row.effective_on = t.decided_on;
    row.terms = json_text(&serde_json::json!({"measures": t.measures}))?;
    set_state(row, st.name(), &st)?;
    let letter = CoercionOrderLetter {
        municipality: f.municipality,
        address: f.address,
        rule: f.rule.as_str(),
        remedy_deadline: t.remedy_deadline,
    };
    Ok(Some(letter.letter()?))
}

pub(super) fn takeover(
    row: &mut SanctionRow,
    f: &Facts<'_>,
    facts: &CaseFacts,
    history: &LandlordHistory,
    t: StartTakeover,
) -> AppResult<Option<Letter>> {
    let st = TakeoverState {
        grounds: takeover_grounds(facts, history, &f.policy.ladder.takeover),
        decided_on: t.decided_on,
        starts_on: t.starts_on,
        beheerder: t.beheerder,
        planned_end_on: t.planned_end_on,
        published_on: None,
        ended_on: None,
    };
    row.effective_on = t.decided_on;
    set_state(row, st.name(), &st)?;
    let letter = TakeoverLetter { municipality: f.municipality, address: f.address, starts_on: t.starts_on };
    Ok(Some(letter.letter()?))
}
