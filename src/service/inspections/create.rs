//! Recording a planned or performed inspection.

use chrono::NaiveDate;

use super::records::{check_complaints, check_parties, party_rows, PartyFound};
use super::Inspection;
use crate::db::convert::json_text;
use crate::db::inspection_records as records;
use crate::db::inspections::{self as q, InspectionRow};
use crate::domain::code::Code;
use crate::domain::inspection::{self, Findings, InspectionStatus};
use crate::domain::landlords::PartyRole;
use crate::error::{AppError, AppResult};
use crate::service::Tx;

/// A checked inspection record: dates as the status requires, findings that keep the entry rule.
pub struct CreateInspection {
    pub municipality: String,
    pub status: InspectionStatus,
    pub planned_on: Option<NaiveDate>,
    pub performed_on: Option<NaiveDate>,
    /// Compact postcode (`3011AB`).
    pub postcode: String,
    pub house_number: i32,
    pub house_number_addition: Option<String>,
    pub address_key: String,
    pub landlord_id: Option<String>,
    pub property_id: Option<String>,
    pub licence_id: Option<String>,
    /// Trimmed names.
    pub officers: Vec<String>,
    pub interpreter_used: bool,
    pub interpreter_language: Option<String>,
    pub findings: Findings,
    /// The parties found (checked against their records).
    pub parties: Vec<PartyFound>,
    /// The complaints (of the same municipality) that led to the inspection.
    pub complaint_ids: Vec<String>,
}

/// Links the inspection to the property and the licence in force (filling in the landlord), and
/// records it.
pub fn create_inspection(tx: &mut Tx, cmd: CreateInspection) -> AppResult<Inspection> {
    let on = cmd.performed_on.or(cmd.planned_on).unwrap_or(tx.today);
    let mut row = InspectionRow {
        id: uuid::Uuid::new_v4().to_string(),
        municipality_code: cmd.municipality,
        status: cmd.status,
        planned_on: cmd.planned_on,
        performed_on: cmd.performed_on,
        postcode: cmd.postcode,
        house_number: cmd.house_number,
        house_number_addition: cmd.house_number_addition,
        address_key: cmd.address_key,
        property_id: cmd.property_id,
        licence_id: cmd.licence_id,
        landlord_id: cmd.landlord_id,
        officers: json_text(&cmd.officers)?,
        interpreter_used: cmd.interpreter_used,
        interpreter_language: cmd.interpreter_language,
        findings: json_text(&cmd.findings)?,
        urgent: inspection::is_urgent(&cmd.findings),
        evaluation: None,
        evaluated_at: None,
        created_by: tx.actor.id.clone(),
        created_at: tx.now,
        updated_at: tx.now,
        has_signals: !cmd.findings.exploitation_signals.is_empty(),
        referral_decided: false,
        no_referral_reason: None,
    };
    link(tx, &mut row, on)?;
    check_parties(tx, &cmd.parties)?;
    check_complaints(tx, &row.municipality_code, &cmd.complaint_ids)?;
    q::insert_inspection(tx.conn, &row)?;
    records::replace_parties(tx.conn, &row.id, &party_rows(&row.id, &cmd.parties))?;
    records::add_complaints(tx.conn, &row.id, &cmd.complaint_ids, tx.now)?;
    // No findings text in the audit trail: ids, status, flags only.
    let parties: serde_json::Value = cmd
        .parties
        .iter()
        .map(|p| serde_json::json!({"party_id": p.party_id, "role": p.role.code()}))
        .collect();
    let after = serde_json::json!({"status": row.status, "urgent": row.urgent,
        "landlord_id": row.landlord_id, "property_id": row.property_id,
        "parties": parties, "complaint_ids": cmd.complaint_ids});
    super::audit(tx, &row, "create", Some(after), None)?;
    // Unregistered occupants: a signal for burgerzaken, in this transaction (never a sanction).
    let registration_signal_id = crate::service::registration_signals::record_for_inspection(
        tx,
        &row,
        cmd.findings.unregistered_occupants,
    )?;
    let records = records::load(tx.conn, &row.id)?;
    Ok(Inspection { row, referrals: vec![], records, registration_signal_id })
}

/// Links to the property and the licence in force (licensing module), checking that they are
/// known, in scope and at the inspection's address.
fn link(tx: &mut Tx, row: &mut InspectionRow, on: NaiveDate) -> AppResult<()> {
    if let Some(pid) = row.property_id.clone() {
        let p = crate::db::properties::find(tx.conn, &pid)?
            .filter(|p| tx.scope.allows(&p.municipality_code))
            .ok_or_else(|| AppError::field("/property_id", "is not a known property"))?;
        if p.postcode != row.postcode || p.house_number != row.house_number {
            return Err(AppError::field("/property_id", "lies at another address than the inspection"));
        }
        if row.landlord_id.is_none() {
            row.landlord_id = p.landlord_id.clone();
        }
        if row.licence_id.is_none() {
            row.licence_id = crate::db::enforcement::licence_in_force(tx.conn, &pid, on)?.map(|l| l.id);
        }
    }
    if let Some(lid) = row.licence_id.clone() {
        let l = crate::db::enforcement::find_licence(tx.conn, &lid)?
            .filter(|l| tx.scope.allows(&l.municipality_code))
            .ok_or_else(|| AppError::field("/licence_id", "is not a known licence"))?;
        if row.property_id.as_ref().is_some_and(|p| *p != l.property_id) {
            return Err(AppError::field("/licence_id", "belongs to another property"));
        }
        row.property_id.get_or_insert(l.property_id);
        row.landlord_id.get_or_insert(l.landlord_id);
    }
    if let Some(l) = &row.landlord_id {
        let l = l.clone();
        crate::service::parties::require_party(tx, &l, PartyRole::Landlord, "/landlord_id")?;
    }
    Ok(())
}
