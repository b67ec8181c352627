//! Enforcement persistence: enforcement cases, violations and sanctions. Every query
//! over municipal rows takes the caller's [`Scope`]. History and dashboard queries aggregate in
//! SQL (GROUP BY / COUNT) over indexed columns, so their cost does not grow with the number of
//! violations a landlord has.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::dsl::count_star;
use diesel::prelude::*;

use super::schema::{enforcement_cases, sanctions, violations};
use super::scope::Scope;
use super::DbConnection;
use crate::domain::sanction_lifecycle::{CaseStage, CaseStatus, CloseReason, SanctionKind, ViolationStatus};
use crate::error::AppResult;

crate::text_columns!(SanctionKind, CaseStatus, CaseStage, ViolationStatus, CloseReason);
crate::text_columns!(crate::domain::ladder::LandlordKind, crate::domain::fines::OffenderKind);

mod procedures;
mod views;

pub use procedures::*;
pub use views::*;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = enforcement_cases)]
pub struct CaseRow {
    pub id: String,
    pub municipality_code: String,
    pub landlord_id: String,
    pub address_key: String,
    pub postcode: String,
    pub house_number: i32,
    pub house_number_addition: Option<String>,
    pub property_id: Option<String>,
    pub licence_id: Option<String>,
    pub landlord_kind: crate::domain::ladder::LandlordKind,
    pub status: CaseStatus,
    pub stage: CaseStage,
    pub opened_on: NaiveDate,
    pub closed_on: Option<NaiveDate>,
    pub close_reason: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = violations)]
pub struct ViolationRow {
    pub id: String,
    pub municipality_code: String,
    pub case_id: String,
    pub landlord_id: String,
    pub address_key: String,
    pub rule: String,
    pub licence_condition: Option<String>,
    pub established_on: NaiveDate,
    pub description: String,
    pub details: String,
    pub evidence: String,
    pub inspection_id: Option<String>,
    pub aggravations: String,
    pub status: ViolationStatus,
    pub close_reason: Option<CloseReason>,
    pub close_motivation: Option<String>,
    pub closed_on: Option<NaiveDate>,
    pub created_by: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// The landlord of the dwelling when the violation is addressed to an intermediary (who is
    /// then in `landlord_id`, the party addressed); `None` when addressed to the landlord.
    pub dwelling_landlord_id: Option<String>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = sanctions)]
#[diesel(treat_none_as_null = true)]
pub struct SanctionRow {
    pub id: String,
    pub municipality_code: String,
    pub case_id: String,
    pub violation_id: String,
    pub landlord_id: String,
    pub kind: SanctionKind,
    pub rule: String,
    pub violation_date: NaiveDate,
    pub state_name: String,
    pub state: String,
    pub terms: String,
    pub proposed_step: String,
    pub motivation: Option<String>,
    pub amount_cents: Option<i64>,
    pub offender_kind: Option<crate::domain::fines::OffenderKind>,
    pub effective_on: NaiveDate,
    pub next_deadline: Option<NaiveDate>,
    pub next_deadline_kind: Option<String>,
    pub last_deadline: Option<NaiveDate>,
    pub last_deadline_kind: Option<String>,
    pub rapport_date: Option<NaiveDate>,
    pub decision_date: Option<NaiveDate>,
    pub final_date: Option<NaiveDate>,
    pub annulled: bool,
    pub occupants_displaced: Option<i32>,
    pub replacement_housing_arranged: Option<bool>,
    pub created_by: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// Raised by one with every action ([`claim_sanction`]); the sanction's ETag.
    pub version: i32,
}

/// The columns of a sanction an overview needs (no state or terms JSON to parse).
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = sanctions)]
pub struct SanctionBrief {
    pub id: String,
    pub municipality_code: String,
    pub case_id: String,
    pub violation_id: String,
    pub kind: SanctionKind,
    pub rule: String,
    pub violation_date: NaiveDate,
    pub state_name: String,
    pub amount_cents: Option<i64>,
    pub effective_on: NaiveDate,
    pub next_deadline: Option<NaiveDate>,
    pub next_deadline_kind: Option<String>,
    pub decision_date: Option<NaiveDate>,
    pub final_date: Option<NaiveDate>,
    pub annulled: bool,
    pub created_at: NaiveDateTime,
}

// ----------------------------------------------------------------------------- cases

pub fn find_open_case(
    c: &mut DbConnection,
    landlord_id: &str,
    address_key: &str,
) -> AppResult<Option<CaseRow>> {
    Ok(enforcement_cases::table
        .filter(enforcement_cases::landlord_id.eq(landlord_id))
        .filter(enforcement_cases::address_key.eq(address_key))
        .filter(enforcement_cases::status.eq(CaseStatus::Open))
        .select(CaseRow::as_select())
        .first(c)
        .optional()?)
}

pub fn insert_case(c: &mut DbConnection, row: &CaseRow) -> AppResult<()> {
    diesel::insert_into(enforcement_cases::table).values(row).execute(c)?;
    Ok(())
}

pub fn find_case(c: &mut DbConnection, scope: &Scope, id: &str) -> AppResult<Option<CaseRow>> {
    let q = enforcement_cases::table
        .filter(enforcement_cases::id.eq(id))
        .select(CaseRow::as_select())
        .into_boxed();
    let q = crate::scoped!(q, enforcement_cases::municipality_code, scope);
    Ok(q.first(c).optional()?)
}

pub struct CaseFilter {
    pub status: Option<String>,
    pub stage: Option<String>,
    pub landlord_id: Option<String>,
    /// Keyset cursor: ids after this one.
    pub after_id: Option<String>,
    pub limit: i64,
}

pub fn list_cases(c: &mut DbConnection, scope: &Scope, f: &CaseFilter) -> AppResult<Vec<CaseRow>> {
    let mut q =
        enforcement_cases::table.select(CaseRow::as_select()).order(enforcement_cases::id.asc()).into_boxed();
    q = crate::scoped!(q, enforcement_cases::municipality_code, scope);
    if let Some(s) = &f.status {
        q = q.filter(enforcement_cases::status.eq(s.clone()));
    }
    if let Some(s) = &f.stage {
        q = q.filter(enforcement_cases::stage.eq(s.clone()));
    }
    if let Some(l) = &f.landlord_id {
        q = q.filter(enforcement_cases::landlord_id.eq(l.clone()));
    }
    if let Some(a) = &f.after_id {
        q = q.filter(enforcement_cases::id.gt(a.clone()));
    }
    Ok(q.limit(f.limit).load(c)?)
}

pub fn set_case_stage(c: &mut DbConnection, id: &str, stage: CaseStage, now: NaiveDateTime) -> AppResult<()> {
    diesel::update(enforcement_cases::table.find(id))
        .set((enforcement_cases::stage.eq(stage), enforcement_cases::updated_at.eq(now)))
        .execute(c)?;
    Ok(())
}

pub fn close_case(
    c: &mut DbConnection,
    id: &str,
    on: NaiveDate,
    reason: &str,
    now: NaiveDateTime,
) -> AppResult<()> {
    diesel::update(enforcement_cases::table.find(id))
        .set((
            enforcement_cases::status.eq(CaseStatus::Closed),
            enforcement_cases::stage.eq(CaseStage::Closed),
            enforcement_cases::closed_on.eq(Some(on)),
            enforcement_cases::close_reason.eq(Some(reason)),
            enforcement_cases::updated_at.eq(now),
        ))
        .execute(c)?;
    Ok(())
}

// ----------------------------------------------------------------------------- violations

pub fn insert_violation(c: &mut DbConnection, row: &ViolationRow) -> AppResult<()> {
    diesel::insert_into(violations::table).values(row).execute(c)?;
    Ok(())
}

pub fn find_violation(c: &mut DbConnection, scope: &Scope, id: &str) -> AppResult<Option<ViolationRow>> {
    let q = violations::table.filter(violations::id.eq(id)).select(ViolationRow::as_select()).into_boxed();
    let q = crate::scoped!(q, violations::municipality_code, scope);
    Ok(q.first(c).optional()?)
}

pub fn case_violations(c: &mut DbConnection, case_id: &str) -> AppResult<Vec<ViolationRow>> {
    Ok(violations::table
        .filter(violations::case_id.eq(case_id))
        .order((violations::established_on.asc(), violations::id.asc()))
        .select(ViolationRow::as_select())
        .load(c)?)
}

pub fn count_open_violations(c: &mut DbConnection, case_id: &str) -> AppResult<i64> {
    Ok(violations::table
        .filter(violations::case_id.eq(case_id))
        .filter(violations::status.eq(ViolationStatus::Open))
        .select(count_star())
        .first(c)?)
}

pub fn close_violation(
    c: &mut DbConnection,
    id: &str,
    status: ViolationStatus,
    reason: CloseReason,
    motivation: Option<&str>,
    on: NaiveDate,
    now: NaiveDateTime,
) -> AppResult<()> {
    diesel::update(violations::table.find(id))
        .set((
            violations::status.eq(status),
            violations::close_reason.eq(Some(reason)),
            violations::close_motivation.eq(motivation),
            violations::closed_on.eq(Some(on)),
            violations::updated_at.eq(now),
        ))
        .execute(c)?;
    Ok(())
}
