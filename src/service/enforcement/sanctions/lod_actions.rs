//! The steps of a penalty order (last onder dwangsom): follow-up inspections with the
//! forfeitures they establish, the collection decision, lapse, reminder, payment and lifting.

use super::actions::{Action, Step};
use super::{lod_error_pointer, procedure_error, set_state};
use crate::db::convert::{from_json_text, json_text};
use crate::domain::calendar::HolidayCalendar;
use crate::domain::money::Money;
use crate::domain::sanction_lifecycle::LodTerms;
use crate::domain::sanction_procedure::{compute_forfeitures, FollowUpInspection, LodAction, LodState};
use crate::error::{AppError, AppResult, FieldError};
use crate::letters::enforcement::{CollectionDecisionLetter, ForfeitureLetter, ReminderLetter};
use crate::letters::Letter;

pub(super) fn apply(s: &mut Step<'_>) -> AppResult<Option<Letter>> {
    let st: LodState = from_json_text(&s.row.state)?;
    let on = s.on;
    let pointer = s.action.date_pointer();
    let step = |a: LodAction| st.apply(&a).map_err(|e| procedure_error(e, pointer));
    let mut letter = None;
    let next = match s.action {
        Action::RecordFollowUp { compliant, non_compliant_since, violations_found } => {
            let follow_up = FollowUpInspection {
                inspected_on: on,
                compliant: *compliant,
                non_compliant_since: *non_compliant_since,
                violations_found: *violations_found,
            };
            let (next, l) = follow_up_inspection(s, &st, follow_up)?;
            letter = l;
            next
        }
        Action::DecideCollection => {
            let next = step(LodAction::DecideCollection { on })?;
            // The sums this decision covers (earlier decisions stand on their own).
            let decided = next.newly_marked(&st, |f| f.collection_decided_on.is_some());
            let l = CollectionDecisionLetter { municipality: s.municipality, rule: &s.row.rule, decided };
            letter = Some(l.letter()?);
            next
        }
        Action::RecordLapse => step(LodAction::RecordLapse { on })?,
        Action::SendReminder => {
            let next = step(LodAction::SendReminder { on })?;
            // Awb 4:112: the aanmaning gives two weeks to pay.
            let reminded = next.newly_marked(&st, |f| f.reminder_on.is_some());
            letter = Some(ReminderLetter { rule: &s.row.rule, reminded }.letter()?);
            next
        }
        Action::RecordPayment { amount: None } => step(LodAction::RecordPayment { on })?,
        Action::RecordPayment { amount: Some(_) } => {
            return Err(AppError::field(
                "/amount_cents",
                "a penalty order's payment settles every sum forfeited by its date; give no amount",
            ))
        }
        Action::Lift { ground } => step(LodAction::Lift { on, ground: *ground })?,
        _ => return Err(s.illegal()),
    };
    set_state(&mut s.row, next.name(), &next)?;
    Ok(letter)
}

/// A follow-up inspection: compliance or non-compliance; forfeitures are computed per the order
/// up to its maximum, and a new forfeiture is announced.
fn follow_up_inspection(
    s: &mut Step<'_>,
    st: &LodState,
    follow_up: FollowUpInspection,
) -> AppResult<(LodState, Option<Letter>)> {
    let mut terms: LodTerms = from_json_text(&s.row.terms)?;
    let on = follow_up.inspected_on;
    if !st.can_forfeit() {
        return Err(s.illegal());
    }
    if on < terms.order.issued_on {
        return Err(AppError::field("/inspected_on", "lies before the penalty order was issued"));
    }
    // Follow-ups are recorded in date order, so that the forfeitures computed from them only
    // ever grow at the end.
    if let Some(last) = terms.follow_ups.iter().map(|f| f.inspected_on).max() {
        if on < last {
            return Err(AppError::field(
                "/inspected_on",
                format!("lies before the last recorded follow-up inspection ({last})"),
            ));
        }
    }
    let compliant = follow_up.compliant;
    terms.follow_ups.push(follow_up);
    let statement = compute_forfeitures(&terms.order, &terms.follow_ups, &HolidayCalendar::default())
        .map_err(|es| {
            AppError::Validation(
                es.iter().map(|e| FieldError::new(lod_error_pointer(e), e.to_string())).collect(),
            )
        })?;
    let already = st.forfeitures.len();
    let mut next = st.clone();
    let mut new_sum = Money::ZERO;
    for f in statement.forfeitures.iter().skip(already) {
        next = next
            .apply(&LodAction::RecordForfeiture { forfeiture: f.clone() })
            .map_err(|e| procedure_error(e, "/inspected_on"))?;
        new_sum = new_sum.saturating_add(f.amount);
    }
    if compliant && next.can_forfeit() {
        next = next
            .apply(&LodAction::VerifyCompliance { on })
            .map_err(|e| procedure_error(e, "/inspected_on"))?;
    }
    let mut letter = None;
    if new_sum.cents() > 0 {
        let payable =
            statement.forfeitures.get(already).map(|f| f.payable_by.to_string()).unwrap_or_default();
        let l = ForfeitureLetter {
            rule: &s.row.rule,
            inspected_on: on,
            forfeited: new_sum,
            total: statement.total,
            maximum: statement.maximum,
            payable_by: &payable,
        };
        letter = Some(l.letter()?);
    }
    s.row.terms = json_text(&terms)?;
    Ok((next, letter))
}
