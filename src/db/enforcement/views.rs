//! Aggregates for the landlord's history and the dashboard (GROUP BY / COUNT over indexed
//! columns), the landlord's licences, and the landlord facts enforcement reads.

use chrono::NaiveDate;
use diesel::dsl::count_star;
use diesel::prelude::*;

use super::SanctionRow;
use crate::db::schema::{enforcement_cases, landlords, sanctions};
use crate::db::scope::Scope;
use crate::db::DbConnection;
use crate::domain::sanction_lifecycle::{CaseStatus, SanctionKind};
use crate::error::AppResult;

/// `(key, count)` pairs in key order.
pub type KeyCounts = Vec<(String, i64)>;

/// Violation counts of a landlord per status and per rule, from the counter rows the database
/// triggers keep (a handful of rows, however many violations). Returns `(by_status, by_rule)`,
/// summed over the municipalities in scope, keys in ascending order, zero counts left out.
pub fn landlord_violation_counts(
    c: &mut DbConnection,
    scope: &Scope,
    landlord_id: &str,
) -> AppResult<(KeyCounts, KeyCounts)> {
    use crate::db::schema::landlord_violation_counts as lvc;
    let q = lvc::table
        .filter(lvc::landlord_id.eq(landlord_id))
        .filter(lvc::n.gt(0))
        .select((lvc::dimension, lvc::key, lvc::n))
        .into_boxed();
    let q = crate::scoped!(q, lvc::municipality_code, scope);
    let rows: Vec<(String, String, i64)> = q.load(c)?;
    let mut by_status = std::collections::BTreeMap::<String, i64>::new();
    let mut by_rule = std::collections::BTreeMap::<String, i64>::new();
    for (dimension, key, n) in rows {
        let target = if dimension == "status" { &mut by_status } else { &mut by_rule };
        *target.entry(key).or_default() += n;
    }
    Ok((by_status.into_iter().collect(), by_rule.into_iter().collect()))
}

/// Number of distinct addresses with a case for this landlord, and open cases.
pub fn landlord_case_counts(
    c: &mut DbConnection,
    scope: &Scope,
    landlord_id: &str,
) -> AppResult<Vec<(String, i64)>> {
    let q = enforcement_cases::table
        .filter(enforcement_cases::landlord_id.eq(landlord_id))
        .group_by(enforcement_cases::status)
        .select((enforcement_cases::status, count_star()))
        .into_boxed();
    let q = crate::scoped!(q, enforcement_cases::municipality_code, scope);
    Ok(q.load(c)?)
}

pub fn landlord_address_count(c: &mut DbConnection, scope: &Scope, landlord_id: &str) -> AppResult<i64> {
    let q = enforcement_cases::table
        .filter(enforcement_cases::landlord_id.eq(landlord_id))
        .select(diesel::dsl::count(enforcement_cases::address_key).aggregate_distinct())
        .into_boxed();
    let q = crate::scoped!(q, enforcement_cases::municipality_code, scope);
    Ok(q.first(c)?)
}

pub fn landlord_exists(c: &mut DbConnection, id: &str) -> AppResult<bool> {
    Ok(landlords::table.find(id).select(landlords::id).first::<String>(c).optional()?.is_some())
}

/// The party's e-mail address; `None` also when the record has none (`''`, recorded without one).
pub fn landlord_email(c: &mut DbConnection, id: &str) -> AppResult<Option<String>> {
    let email: Option<String> =
        landlords::table.find(id).select(landlords::contact_email).first(c).optional()?;
    Ok(email.filter(|e| !e.is_empty()))
}

// ----------------------------------------------------------------------------- dashboard

pub fn open_cases_by_stage(c: &mut DbConnection, scope: &Scope) -> AppResult<Vec<(String, i64)>> {
    let q = enforcement_cases::table
        .filter(enforcement_cases::status.eq(CaseStatus::Open))
        .group_by(enforcement_cases::stage)
        .select((enforcement_cases::stage, count_star()))
        .into_boxed();
    let q = crate::scoped!(q, enforcement_cases::municipality_code, scope);
    Ok(q.load(c)?)
}

/// Sanctions with a running deadline in `[from, until]`: the next deadline, or — once that has
/// passed — the last one. Earliest first, at most `limit`.
pub fn upcoming_deadlines(
    c: &mut DbConnection,
    scope: &Scope,
    from: NaiveDate,
    until: NaiveDate,
    limit: i64,
) -> AppResult<Vec<SanctionRow>> {
    let next_in = sanctions::next_deadline.ge(from).and(sanctions::next_deadline.le(until));
    let last_in = sanctions::next_deadline
        .lt(from)
        .and(sanctions::last_deadline.ge(from))
        .and(sanctions::last_deadline.le(until));
    let q = sanctions::table
        .filter(next_in.or(last_in))
        .order((sanctions::next_deadline.asc(), sanctions::id.asc()))
        .select(SanctionRow::as_select())
        .into_boxed();
    let q = crate::scoped!(q, sanctions::municipality_code, scope);
    Ok(q.limit(limit).load(c)?)
}

/// Sanctions whose every running deadline lies before `today` (overdue), earliest first.
pub fn overdue_deadlines(
    c: &mut DbConnection,
    scope: &Scope,
    today: NaiveDate,
    limit: i64,
) -> AppResult<Vec<SanctionRow>> {
    let q = sanctions::table
        .filter(sanctions::last_deadline.lt(today))
        .order((sanctions::last_deadline.asc(), sanctions::id.asc()))
        .select(SanctionRow::as_select())
        .into_boxed();
    let q = crate::scoped!(q, sanctions::municipality_code, scope);
    Ok(q.limit(limit).load(c)?)
}

/// Landlords with a fine decided on or after `since` (recidive window), with the latest date.
pub fn landlords_with_recent_fines(
    c: &mut DbConnection,
    scope: &Scope,
    since: NaiveDate,
    limit: i64,
) -> AppResult<Vec<(String, Option<NaiveDate>)>> {
    let q = sanctions::table
        .filter(sanctions::kind.eq(SanctionKind::AdministrativeFine))
        .filter(sanctions::annulled.eq(false))
        .filter(sanctions::decision_date.ge(since))
        .group_by(sanctions::landlord_id)
        .select((sanctions::landlord_id, diesel::dsl::max(sanctions::decision_date)))
        .into_boxed();
    let q = crate::scoped!(q, sanctions::municipality_code, scope);
    Ok(q.limit(limit).load(c)?)
}

// ----------------------------------------------------------------------------- licences

/// The landlord's licences (history view), newest first.
pub fn landlord_licences(
    c: &mut DbConnection,
    scope: &Scope,
    landlord_id: &str,
) -> AppResult<Vec<crate::db::licensing::Licence>> {
    use crate::db::schema::licences;
    let q = licences::table
        .filter(licences::landlord_id.eq(landlord_id))
        .order((licences::valid_from.desc(), licences::id.asc()))
        .select(crate::db::licensing::Licence::as_select())
        .into_boxed();
    let q = crate::scoped!(q, licences::municipality_code, scope);
    Ok(q.limit(200).load(c)?)
}

pub fn find_licence(c: &mut DbConnection, id: &str) -> AppResult<Option<crate::db::licensing::Licence>> {
    use crate::db::schema::licences;
    Ok(licences::table
        .filter(licences::id.eq(id))
        .select(crate::db::licensing::Licence::as_select())
        .first(c)
        .optional()?)
}

/// The most recent revoked licence of this landlord for this property, if any.
pub fn revoked_licence(
    c: &mut DbConnection,
    landlord_id: &str,
    property_id: &str,
) -> AppResult<Option<String>> {
    use crate::db::schema::licences;
    Ok(licences::table
        .filter(licences::landlord_id.eq(landlord_id))
        .filter(licences::property_id.eq(property_id))
        .filter(licences::state.eq(crate::domain::licensing_codes::LicenceState::Revoked))
        .order((licences::valid_from.desc(), licences::id.desc()))
        .select(licences::id)
        .first(c)
        .optional()?)
}

/// The licence of a property in force on `on` (active, valid_from ≤ on ≤ valid_until), if any.
pub fn licence_in_force(
    c: &mut DbConnection,
    property_id: &str,
    on: NaiveDate,
) -> AppResult<Option<crate::db::licensing::Licence>> {
    Ok(crate::db::licensing::licences_of_properties(c, &[property_id.to_string()])?
        .into_iter()
        .find(|l| l.in_force_on(on)))
}
