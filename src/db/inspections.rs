//! Inspections (huisbezoek) and their referral decisions. Every query over municipal rows takes
//! the caller's [`Scope`].

use chrono::{NaiveDate, NaiveDateTime};
use diesel::dsl::count_star;
use diesel::prelude::*;

use super::schema::{inspection_referrals, inspections};
use super::scope::Scope;
use super::DbConnection;
use crate::domain::inspection::InspectionStatus;
use crate::error::AppResult;

crate::text_columns!(InspectionStatus);

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = inspections)]
pub struct InspectionRow {
    pub id: String,
    pub municipality_code: String,
    pub status: InspectionStatus,
    pub planned_on: Option<NaiveDate>,
    pub performed_on: Option<NaiveDate>,
    pub postcode: String,
    pub house_number: i32,
    pub house_number_addition: Option<String>,
    pub address_key: String,
    pub property_id: Option<String>,
    pub licence_id: Option<String>,
    pub landlord_id: Option<String>,
    pub officers: String,
    pub interpreter_used: bool,
    pub interpreter_language: Option<String>,
    pub findings: String,
    pub urgent: bool,
    pub evaluation: Option<String>,
    pub evaluated_at: Option<NaiveDateTime>,
    pub created_by: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// Exploitation signals recorded: a referral decision is due.
    pub has_signals: bool,
    /// A referral was recorded, or the reason not to refer.
    pub referral_decided: bool,
    pub no_referral_reason: Option<String>,
}

/// A referral of an inspection's signals to a partner.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = inspection_referrals)]
pub struct InspectionReferralRow {
    pub id: String,
    pub inspection_id: String,
    pub municipality_code: String,
    pub partner: crate::domain::complaints::Partner,
    pub referred_on: NaiveDate,
    pub shared_data: String,
    pub legal_basis: String,
    pub recorded_by: String,
    pub created_at: NaiveDateTime,
}

// ----------------------------------------------------------------------------- inspections

pub fn insert_inspection(c: &mut DbConnection, row: &InspectionRow) -> AppResult<()> {
    diesel::insert_into(inspections::table).values(row).execute(c)?;
    Ok(())
}

pub fn find_inspection(c: &mut DbConnection, scope: &Scope, id: &str) -> AppResult<Option<InspectionRow>> {
    let q = inspections::table.filter(inspections::id.eq(id)).select(InspectionRow::as_select()).into_boxed();
    let q = crate::scoped!(q, inspections::municipality_code, scope);
    Ok(q.first(c).optional()?)
}

pub struct InspectionFilter {
    pub status: Option<InspectionStatus>,
    pub landlord_id: Option<String>,
    pub property_id: Option<String>,
    /// Compact postcode (`3011AB`).
    pub postcode: Option<String>,
    pub urgent: Option<bool>,
    /// Only those with exploitation signals still awaiting a referral decision.
    pub referral_pending: bool,
    /// Keyset cursor: rows created before this (created_at, id).
    pub before: Option<(NaiveDateTime, String)>,
    pub limit: i64,
}

/// Newest first on the `(municipality_code, created_at, id)` index.
pub fn list_inspections(
    c: &mut DbConnection,
    scope: &Scope,
    f: &InspectionFilter,
) -> AppResult<Vec<InspectionRow>> {
    let mut q = inspections::table
        .select(InspectionRow::as_select())
        .order((inspections::created_at.desc(), inspections::id.desc()))
        .into_boxed();
    q = crate::scoped!(q, inspections::municipality_code, scope);
    if let Some(v) = &f.status {
        q = q.filter(inspections::status.eq(*v));
    }
    if let Some(v) = &f.landlord_id {
        q = q.filter(inspections::landlord_id.eq(v.clone()));
    }
    if let Some(v) = &f.property_id {
        q = q.filter(inspections::property_id.eq(v.clone()));
    }
    if let Some(v) = &f.postcode {
        q = q.filter(inspections::postcode.eq(v.clone()));
    }
    if let Some(v) = f.urgent {
        q = q.filter(inspections::urgent.eq(v));
    }
    if f.referral_pending {
        q = q.filter(inspections::has_signals.eq(true)).filter(inspections::referral_decided.eq(false));
    }
    if let Some((at, id)) = &f.before {
        q = q.filter(
            inspections::created_at
                .lt(*at)
                .or(inspections::created_at.eq(*at).and(inspections::id.lt(id.clone()))),
        );
    }
    Ok(q.limit(f.limit).load(c)?)
}

/// Stores the outcome of a planned inspection (only while it is still planned).
pub fn perform_inspection(c: &mut DbConnection, row: &InspectionRow) -> AppResult<()> {
    let n = diesel::update(
        inspections::table.find(&row.id).filter(inspections::status.eq(InspectionStatus::Planned)),
    )
    .set((
        inspections::status.eq(row.status),
        inspections::performed_on.eq(row.performed_on),
        inspections::officers.eq(&row.officers),
        inspections::interpreter_used.eq(row.interpreter_used),
        inspections::interpreter_language.eq(&row.interpreter_language),
        inspections::findings.eq(&row.findings),
        inspections::urgent.eq(row.urgent),
        inspections::has_signals.eq(row.has_signals),
        inspections::licence_id.eq(&row.licence_id),
        inspections::updated_at.eq(row.updated_at),
    ))
    .execute(c)?;
    if n == 0 {
        return Err(crate::error::AppError::Conflict {
            detail: "the inspection was already performed".into(),
            allowed_actions: Some(vec!["evaluate".into()]),
        });
    }
    Ok(())
}

/// Records a referral; the inspection's referral decision is then taken.
pub fn insert_inspection_referral(
    c: &mut DbConnection,
    r: &InspectionReferralRow,
    now: NaiveDateTime,
) -> AppResult<()> {
    diesel::insert_into(inspection_referrals::table).values(r).execute(c)?;
    diesel::update(inspections::table.find(&r.inspection_id))
        .set((inspections::referral_decided.eq(true), inspections::updated_at.eq(now)))
        .execute(c)?;
    Ok(())
}

/// Records the reason not to refer the inspection's signals.
pub fn record_inspection_no_referral(
    c: &mut DbConnection,
    inspection_id: &str,
    reason: &str,
    now: NaiveDateTime,
) -> AppResult<()> {
    diesel::update(inspections::table.find(inspection_id))
        .set((
            inspections::referral_decided.eq(true),
            inspections::no_referral_reason.eq(Some(reason)),
            inspections::updated_at.eq(now),
        ))
        .execute(c)?;
    Ok(())
}

/// How many inspections with exploitation signals await a referral decision (dashboard).
pub fn inspections_awaiting_referral(c: &mut DbConnection, scope: &Scope) -> AppResult<i64> {
    let q = inspections::table
        .filter(inspections::has_signals.eq(true))
        .filter(inspections::referral_decided.eq(false))
        .select(count_star())
        .into_boxed();
    let q = crate::scoped!(q, inspections::municipality_code, scope);
    Ok(q.first(c)?)
}

pub fn save_evaluation(
    c: &mut DbConnection,
    id: &str,
    evaluation: &str,
    urgent: bool,
    now: NaiveDateTime,
) -> AppResult<()> {
    diesel::update(inspections::table.find(id))
        .set((
            inspections::evaluation.eq(Some(evaluation)),
            inspections::evaluated_at.eq(Some(now)),
            inspections::urgent.eq(urgent),
            inspections::updated_at.eq(now),
        ))
        .execute(c)?;
    Ok(())
}
