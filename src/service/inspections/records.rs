//! What an inspection records besides its findings: the parties found (checked against their
//! records), refused or failed entry attempts, and the complaints that led to it. Each change is
//! audited (ids, dates and codes only).

use chrono::NaiveDate;

use super::{audit, find_inspection, get_inspection, Inspection};
use crate::db::inspection_records::{self as q, EntryAttemptRow, InspectionPartyRow};
use crate::domain::code::Code;
use crate::domain::inspection_records::EntryAttemptReason;
use crate::domain::landlords::PartyRole;
use crate::error::{AppError, AppResult, FieldError};
use crate::service::{Audit, Tx};

/// A party found at the inspection, in the role it was found in.
#[derive(Debug, Clone)]
pub struct PartyFound {
    pub party_id: String,
    pub role: PartyRole,
}

/// Replace the parties found (officers).
pub struct SetParties {
    pub inspection_id: String,
    pub parties: Vec<PartyFound>,
}

/// Record a refused or failed attempt to enter (officers).
pub struct AddEntryAttempt {
    pub inspection_id: String,
    pub attempted_on: NaiveDate,
    pub reason: EntryAttemptReason,
    pub note: Option<String>,
}

/// Link the complaints that led to the inspection (officers).
pub struct AddComplaints {
    pub inspection_id: String,
    pub complaint_ids: Vec<String>,
}

/// Checks every party: known, not merged away, and of the role it is named in. Errors point at
/// `/parties/<i>/party_id`.
pub(super) fn check_parties(tx: &mut Tx, parties: &[PartyFound]) -> AppResult<()> {
    let mut errs = Vec::new();
    for (i, p) in parties.iter().enumerate() {
        let pointer = format!("/parties/{i}/party_id");
        if parties[..i].iter().any(|o| o.party_id == p.party_id) {
            errs.push(FieldError::new(pointer, "is named twice"));
            continue;
        }
        match crate::db::accounts::find_landlord(tx.conn, &p.party_id)? {
            None => errs.push(FieldError::new(pointer, "is not a known party")),
            Some(l) if l.merged_into.is_some() => errs.push(FieldError::new(
                pointer,
                format!("was merged into party {}", l.merged_into.unwrap_or_default()),
            )),
            Some(l) if l.role != p.role => errs.push(FieldError::new(
                pointer,
                format!("is a party of role '{}', not '{}'", l.role.code(), p.role.code()),
            )),
            Some(_) => {}
        }
    }
    if errs.is_empty() {
        Ok(())
    } else {
        Err(AppError::Validation(errs))
    }
}

/// Checks that every complaint exists in the inspection's municipality. Errors point at
/// `/complaint_ids/<i>`.
pub(super) fn check_complaints(tx: &mut Tx, municipality: &str, ids: &[String]) -> AppResult<()> {
    let mut errs = Vec::new();
    for (i, id) in ids.iter().enumerate() {
        let found = crate::db::complaints::find(tx.conn, &tx.scope, id)?;
        if found.is_none_or(|c| c.municipality_code != municipality) {
            errs.push(FieldError::new(
                format!("/complaint_ids/{i}"),
                "is not a complaint of this municipality",
            ));
        }
    }
    if errs.is_empty() {
        Ok(())
    } else {
        Err(AppError::Validation(errs))
    }
}

pub(super) fn party_rows(inspection_id: &str, parties: &[PartyFound]) -> Vec<InspectionPartyRow> {
    parties
        .iter()
        .enumerate()
        .map(|(i, p)| InspectionPartyRow {
            inspection_id: inspection_id.to_string(),
            position: i32::try_from(i).unwrap_or(i32::MAX),
            party_id: p.party_id.clone(),
            role: p.role,
        })
        .collect()
}

fn parties_json(parties: &[PartyFound]) -> serde_json::Value {
    parties.iter().map(|p| serde_json::json!({"party_id": p.party_id, "role": p.role.code()})).collect()
}

pub fn set_parties(tx: &mut Tx, cmd: SetParties) -> AppResult<Inspection> {
    let row = find_inspection(tx, &cmd.inspection_id)?;
    check_parties(tx, &cmd.parties)?;
    let before = q::load(tx.conn, &row.id)?.parties;
    q::replace_parties(tx.conn, &row.id, &party_rows(&row.id, &cmd.parties))?;
    let before: serde_json::Value =
        before.iter().map(|p| serde_json::json!({"party_id": p.party_id, "role": p.role.code()})).collect();
    tx.audit(
        Audit::of(Some(&row.municipality_code), "inspection", &row.id, "set_parties")
            .before(before)
            .after(parties_json(&cmd.parties)),
    )?;
    get_inspection(tx, &row.id)
}

pub fn add_entry_attempt(tx: &mut Tx, cmd: AddEntryAttempt) -> AppResult<Inspection> {
    let row = find_inspection(tx, &cmd.inspection_id)?;
    if cmd.attempted_on > tx.today {
        return Err(AppError::field("/attempted_on", "lies in the future"));
    }
    let attempt = EntryAttemptRow {
        id: uuid::Uuid::new_v4().to_string(),
        inspection_id: row.id.clone(),
        attempted_on: cmd.attempted_on,
        reason: cmd.reason,
        note: cmd.note,
        recorded_by: tx.actor.id.clone(),
        created_at: tx.now,
    };
    q::insert_entry_attempt(tx.conn, &attempt)?;
    // No note text in the audit trail.
    let after = serde_json::json!({"entry_attempt_id": attempt.id, "attempted_on": attempt.attempted_on,
        "reason": attempt.reason.code()});
    audit(tx, &row, "add_entry_attempt", Some(after), None)?;
    get_inspection(tx, &row.id)
}

pub fn add_complaints(tx: &mut Tx, cmd: AddComplaints) -> AppResult<Inspection> {
    let row = find_inspection(tx, &cmd.inspection_id)?;
    check_complaints(tx, &row.municipality_code, &cmd.complaint_ids)?;
    q::add_complaints(tx.conn, &row.id, &cmd.complaint_ids, tx.now)?;
    audit(tx, &row, "add_complaints", Some(serde_json::json!({"complaint_ids": cmd.complaint_ids})), None)?;
    get_inspection(tx, &row.id)
}
