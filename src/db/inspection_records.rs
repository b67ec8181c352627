//! What an inspection records besides its findings: the parties found, failed entry attempts and
//! the complaints that led to it.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::schema::{
    inspection_complaints, inspection_entry_attempts, inspection_parties, inspection_partners,
};
use super::DbConnection;
use crate::domain::complaints::Partner;
use crate::domain::inspection_records::EntryAttemptReason;
use crate::domain::landlords::PartyRole;
use crate::error::AppResult;

crate::text_columns!(EntryAttemptReason);

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = inspection_parties)]
pub struct InspectionPartyRow {
    pub inspection_id: String,
    pub position: i32,
    pub party_id: String,
    pub role: PartyRole,
}

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = inspection_entry_attempts)]
pub struct EntryAttemptRow {
    pub id: String,
    pub inspection_id: String,
    pub attempted_on: NaiveDate,
    pub reason: EntryAttemptReason,
    pub note: Option<String>,
    pub recorded_by: Option<String>,
    pub created_at: NaiveDateTime,
}

/// Everything of one inspection, in order: parties by position, attempts by date, complaint ids.
#[derive(Debug, Clone, Default)]
pub struct InspectionRecords {
    pub parties: Vec<InspectionPartyRow>,
    pub entry_attempts: Vec<EntryAttemptRow>,
    pub complaint_ids: Vec<String>,
    /// The partner organisations present (a joint inspection), in code order.
    pub partners: Vec<Partner>,
}

pub fn load(c: &mut DbConnection, inspection_id: &str) -> AppResult<InspectionRecords> {
    let parties = inspection_parties::table
        .filter(inspection_parties::inspection_id.eq(inspection_id))
        .order(inspection_parties::position.asc())
        .select(InspectionPartyRow::as_select())
        .load(c)?;
    let entry_attempts = inspection_entry_attempts::table
        .filter(inspection_entry_attempts::inspection_id.eq(inspection_id))
        .order((inspection_entry_attempts::attempted_on.asc(), inspection_entry_attempts::created_at.asc()))
        .select(EntryAttemptRow::as_select())
        .load(c)?;
    let complaint_ids = inspection_complaints::table
        .filter(inspection_complaints::inspection_id.eq(inspection_id))
        .order((inspection_complaints::created_at.asc(), inspection_complaints::complaint_id.asc()))
        .select(inspection_complaints::complaint_id)
        .load(c)?;
    let partners = inspection_partners::table
        .filter(inspection_partners::inspection_id.eq(inspection_id))
        .order(inspection_partners::partner.asc())
        .select(inspection_partners::partner)
        .load(c)?;
    Ok(InspectionRecords { parties, entry_attempts, complaint_ids, partners })
}

/// Replaces the partner organisations present at an inspection.
pub fn replace_partners(
    c: &mut DbConnection,
    inspection_id: &str,
    municipality_code: &str,
    partners: &[Partner],
) -> AppResult<()> {
    diesel::delete(inspection_partners::table.filter(inspection_partners::inspection_id.eq(inspection_id)))
        .execute(c)?;
    for p in partners {
        diesel::insert_into(inspection_partners::table)
            .values((
                inspection_partners::inspection_id.eq(inspection_id),
                inspection_partners::partner.eq(*p),
                inspection_partners::municipality_code.eq(municipality_code),
            ))
            .execute(c)?;
    }
    Ok(())
}

/// Replaces the parties of an inspection.
pub fn replace_parties(
    c: &mut DbConnection,
    inspection_id: &str,
    rows: &[InspectionPartyRow],
) -> AppResult<()> {
    diesel::delete(inspection_parties::table.filter(inspection_parties::inspection_id.eq(inspection_id)))
        .execute(c)?;
    for row in rows {
        diesel::insert_into(inspection_parties::table).values(row).execute(c)?;
    }
    Ok(())
}

pub fn insert_entry_attempt(c: &mut DbConnection, row: &EntryAttemptRow) -> AppResult<()> {
    diesel::insert_into(inspection_entry_attempts::table).values(row).execute(c)?;
    Ok(())
}

/// Links complaints to an inspection (a link already there is kept); how many were new.
pub fn add_complaints(
    c: &mut DbConnection,
    inspection_id: &str,
    complaint_ids: &[String],
    now: NaiveDateTime,
) -> AppResult<usize> {
    let mut added = 0;
    for id in complaint_ids {
        let exists = diesel::select(diesel::dsl::exists(
            inspection_complaints::table
                .filter(inspection_complaints::inspection_id.eq(inspection_id))
                .filter(inspection_complaints::complaint_id.eq(id)),
        ))
        .get_result::<bool>(c)?;
        if !exists {
            diesel::insert_into(inspection_complaints::table)
                .values((
                    inspection_complaints::inspection_id.eq(inspection_id),
                    inspection_complaints::complaint_id.eq(id),
                    inspection_complaints::created_at.eq(now),
                ))
                .execute(c)?;
            added += 1;
        }
    }
    Ok(added)
}

/// The inspections a complaint led to (staff only), oldest link first.
pub fn inspections_of_complaint(c: &mut DbConnection, complaint_id: &str) -> AppResult<Vec<String>> {
    Ok(inspection_complaints::table
        .filter(inspection_complaints::complaint_id.eq(complaint_id))
        .order((inspection_complaints::created_at.asc(), inspection_complaints::inspection_id.asc()))
        .select(inspection_complaints::inspection_id)
        .load(c)?)
}
