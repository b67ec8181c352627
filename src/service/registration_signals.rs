//! Registration signals for burgerzaken (issue #15, item 4): made in the transaction of an
//! inspection that finds occupants not registered at the address, then worked by burgerzaken
//! (`open → address_investigation → concluded`). Never a Wgv sanction: nothing here creates a
//! violation or touches enforcement. No names are ever stored: address, persons, dates, the
//! inspection.

use crate::db::inspections::InspectionRow;
use crate::db::registration_signals::{self as store, QueueFilter, RegistrationSignal};
use crate::domain::code::Code;
use crate::domain::registration::{self as rules, RegistrationStatus, SignalState, Step, StepError};
use crate::error::{AppError, AppResult};
use crate::service::{Audit, Tx};

fn audit(tx: &mut Tx, s: &RegistrationSignal, action: &str, after: serde_json::Value) -> AppResult<()> {
    tx.audit(Audit::of(Some(&s.municipality_code), "registration_signal", &s.id, action).after(after))
}

/// Keeps the registration signal of a performed inspection in step with its findings
/// (`unregistered_occupants`): a new signal when there were none, the number of persons updated
/// while the signal is still `open`. Once burgerzaken has taken it up, it is left as it is.
/// Returns the inspection's signal id, if it has one.
pub fn record_for_inspection(tx: &mut Tx, row: &InspectionRow, persons: u32) -> AppResult<Option<String>> {
    let existing = store::of_inspection(tx.conn, &row.id)?;
    let Some(found_on) = row.performed_on else { return Ok(existing.map(|s| s.id)) };
    let persons = i32::try_from(persons).unwrap_or(i32::MAX);
    match existing {
        None if persons > 0 => {
            let s = RegistrationSignal {
                id: uuid::Uuid::new_v4().to_string(),
                municipality_code: row.municipality_code.clone(),
                inspection_id: row.id.clone(),
                postcode: row.postcode.clone(),
                house_number: row.house_number,
                house_number_addition: row.house_number_addition.clone(),
                address_key: row.address_key.clone(),
                persons,
                found_on,
                status: RegistrationStatus::Open,
                outcome: None,
                investigation_started_on: None,
                concluded_on: None,
                version: 1,
                created_at: tx.now,
                updated_at: tx.now,
            };
            store::insert(tx.conn, &s)?;
            let after = serde_json::json!({"status": s.status, "persons": s.persons,
                "found_on": s.found_on, "inspection_id": s.inspection_id});
            audit(tx, &s, "create", after)?;
            Ok(Some(s.id))
        }
        None => Ok(None),
        Some(mut s) => {
            if s.status == RegistrationStatus::Open && persons > 0 && s.persons != persons {
                let before = s.persons;
                s.persons = persons;
                s.version += 1;
                s.updated_at = tx.now;
                store::save(tx.conn, &s)?;
                let change =
                    Audit::of(Some(&s.municipality_code), "registration_signal", &s.id, "update_persons")
                        .before(serde_json::json!({"persons": before}))
                        .after(serde_json::json!({"persons": s.persons}));
                tx.audit(change)?;
            }
            Ok(Some(s.id))
        }
    }
}

/// The queue of the caller's municipalities, oldest first.
pub fn list(tx: &mut Tx, filter: &QueueFilter) -> AppResult<Vec<RegistrationSignal>> {
    store::list(tx.conn, &tx.scope, filter)
}

/// One signal of the caller's municipalities; 404 otherwise.
pub fn get(tx: &mut Tx, id: &str) -> AppResult<RegistrationSignal> {
    store::find(tx.conn, &tx.scope, id)?
        .ok_or_else(|| AppError::NotFound("no such registration signal".into()))
}

/// A step of burgerzaken on a signal: start the address investigation, or conclude. 409 naming
/// the state when the step is not possible in it; 422 naming the field for a date in the future
/// or before the step it follows.
pub fn take_step(tx: &mut Tx, id: &str, step: Step) -> AppResult<RegistrationSignal> {
    let mut s = get(tx, id)?;
    let from = s.status;
    let next: SignalState = rules::apply(s.state(), step, tx.today).map_err(|e| match e {
        StepError::WrongState { status, allowed } => AppError::Conflict {
            detail: format!(
                "the registration signal is {}; {} is not possible in that state",
                status.code(),
                step.action().verb()
            ),
            allowed_actions: Some(allowed.into_iter().map(|a| a.verb().to_string()).collect()),
        },
        StepError::Field { field, reason } => AppError::field(format!("/{field}"), reason),
    })?;
    s.status = next.status;
    s.investigation_started_on = next.investigation_started_on;
    s.outcome = next.outcome;
    s.concluded_on = next.concluded_on;
    s.version += 1;
    s.updated_at = tx.now;
    store::save(tx.conn, &s)?;
    let after = serde_json::json!({"from": from, "status": s.status, "outcome": s.outcome,
        "investigation_started_on": s.investigation_started_on, "concluded_on": s.concluded_on});
    audit(tx, &s, step.action().verb(), after)?;
    Ok(s)
}
