//! Enforcement persistence: enforcement cases, violations and sanctions. Every query
//! over municipal rows takes the caller's [`Scope`]. History and dashboard queries aggregate in
//! SQL (GROUP BY / COUNT) over indexed columns, so their cost does not grow with the number of
//! violations a landlord has.

use chrono::NaiveDateTime;
use diesel::dsl::count_star;
use diesel::prelude::*;

use super::schema::{enforcement_cases, landlords, sanctions, violations};
use super::scope::Scope;
use super::DbConnection;
use crate::domain::sanction_lifecycle::SanctionKind;
use crate::error::AppResult;

crate::text_columns!(SanctionKind);

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
    pub landlord_kind: String,
    pub status: String,
    pub stage: String,
    pub opened_on: String,
    pub closed_on: Option<String>,
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
    pub established_on: String,
    pub description: String,
    pub details: String,
    pub evidence: String,
    pub inspection_id: Option<String>,
    pub aggravations: String,
    pub status: String,
    pub close_reason: Option<String>,
    pub close_motivation: Option<String>,
    pub closed_on: Option<String>,
    pub created_by: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
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
    pub violation_date: String,
    pub state_name: String,
    pub state: String,
    pub terms: String,
    pub proposed_step: String,
    pub motivation: Option<String>,
    pub amount_cents: Option<i64>,
    pub offender_kind: Option<String>,
    pub effective_on: String,
    pub next_deadline: Option<String>,
    pub next_deadline_kind: Option<String>,
    pub last_deadline: Option<String>,
    pub last_deadline_kind: Option<String>,
    pub rapport_date: Option<String>,
    pub decision_date: Option<String>,
    pub final_date: Option<String>,
    pub annulled: bool,
    pub occupants_displaced: Option<i32>,
    pub replacement_housing_arranged: Option<bool>,
    pub created_by: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
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
    pub violation_date: String,
    pub state_name: String,
    pub amount_cents: Option<i64>,
    pub effective_on: String,
    pub next_deadline: Option<String>,
    pub next_deadline_kind: Option<String>,
    pub decision_date: Option<String>,
    pub final_date: Option<String>,
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
        .filter(enforcement_cases::status.eq("open"))
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

pub fn set_case_stage(c: &mut DbConnection, id: &str, stage: &str, now: NaiveDateTime) -> AppResult<()> {
    diesel::update(enforcement_cases::table.find(id))
        .set((enforcement_cases::stage.eq(stage), enforcement_cases::updated_at.eq(now)))
        .execute(c)?;
    Ok(())
}

pub fn close_case(
    c: &mut DbConnection,
    id: &str,
    on: &str,
    reason: &str,
    now: NaiveDateTime,
) -> AppResult<()> {
    diesel::update(enforcement_cases::table.find(id))
        .set((
            enforcement_cases::status.eq("closed"),
            enforcement_cases::stage.eq("closed"),
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
        .filter(violations::status.eq("open"))
        .select(count_star())
        .first(c)?)
}

pub fn close_violation(
    c: &mut DbConnection,
    id: &str,
    status: &str,
    reason: &str,
    motivation: Option<&str>,
    on: &str,
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

// ----------------------------------------------------------------------------- sanctions

pub fn insert_sanction(c: &mut DbConnection, row: &SanctionRow) -> AppResult<()> {
    diesel::insert_into(sanctions::table).values(row).execute(c)?;
    Ok(())
}

pub fn update_sanction(c: &mut DbConnection, row: &SanctionRow) -> AppResult<()> {
    diesel::update(sanctions::table.find(&row.id)).set(row).execute(c)?;
    Ok(())
}

pub fn find_sanction(c: &mut DbConnection, scope: &Scope, id: &str) -> AppResult<Option<SanctionRow>> {
    let q = sanctions::table.filter(sanctions::id.eq(id)).select(SanctionRow::as_select()).into_boxed();
    let q = crate::scoped!(q, sanctions::municipality_code, scope);
    Ok(q.first(c).optional()?)
}

/// A landlord's own sanction (landlord view): another landlord's answers `None`.
pub fn find_landlord_sanction(
    c: &mut DbConnection,
    landlord_id: &str,
    id: &str,
) -> AppResult<Option<SanctionRow>> {
    Ok(sanctions::table
        .filter(sanctions::id.eq(id))
        .filter(sanctions::landlord_id.eq(landlord_id))
        .select(SanctionRow::as_select())
        .first(c)
        .optional()?)
}

pub fn case_sanctions(c: &mut DbConnection, case_id: &str) -> AppResult<Vec<SanctionRow>> {
    Ok(sanctions::table
        .filter(sanctions::case_id.eq(case_id))
        .order((sanctions::created_at.asc(), sanctions::id.asc()))
        .select(SanctionRow::as_select())
        .load(c)?)
}

/// Live (not dropped/annulled) fines for a violation (Awb 5:43 check).
pub fn live_fine_for_violation(c: &mut DbConnection, violation_id: &str) -> AppResult<Option<String>> {
    Ok(sanctions::table
        .filter(sanctions::violation_id.eq(violation_id))
        .filter(sanctions::kind.eq("administrative_fine"))
        .filter(sanctions::state_name.ne_all(vec!["dropped", "annulled"]))
        .select(sanctions::id)
        .first(c)
        .optional()?)
}

/// The most recent sanctions addressed to a landlord, in every municipality (the landlord's own
/// view), newest first.
pub fn landlord_sanctions_page(
    c: &mut DbConnection,
    landlord_id: &str,
    limit: i64,
) -> AppResult<Vec<SanctionRow>> {
    Ok(sanctions::table
        .filter(sanctions::landlord_id.eq(landlord_id))
        .order((sanctions::created_at.desc(), sanctions::id.desc()))
        .select(SanctionRow::as_select())
        .limit(limit)
        .load(c)?)
}

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
    use super::schema::landlord_violation_counts as lvc;
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

pub fn landlord_email(c: &mut DbConnection, id: &str) -> AppResult<Option<String>> {
    Ok(landlords::table.find(id).select(landlords::contact_email).first(c).optional()?)
}

// ----------------------------------------------------------------------------- dashboard

pub fn open_cases_by_stage(c: &mut DbConnection, scope: &Scope) -> AppResult<Vec<(String, i64)>> {
    let q = enforcement_cases::table
        .filter(enforcement_cases::status.eq("open"))
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
    from: &str,
    until: &str,
    limit: i64,
) -> AppResult<Vec<SanctionRow>> {
    let next_in =
        sanctions::next_deadline.ge(from.to_string()).and(sanctions::next_deadline.le(until.to_string()));
    let last_in = sanctions::next_deadline
        .lt(from.to_string())
        .and(sanctions::last_deadline.ge(from.to_string()))
        .and(sanctions::last_deadline.le(until.to_string()));
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
    today: &str,
    limit: i64,
) -> AppResult<Vec<SanctionRow>> {
    let q = sanctions::table
        .filter(sanctions::last_deadline.lt(today.to_string()))
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
    since: &str,
    limit: i64,
) -> AppResult<Vec<(String, Option<String>)>> {
    let q = sanctions::table
        .filter(sanctions::kind.eq("administrative_fine"))
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
) -> AppResult<Vec<super::licensing::Licence>> {
    use super::schema::licences;
    let q = licences::table
        .filter(licences::landlord_id.eq(landlord_id))
        .order((licences::valid_from.desc(), licences::id.asc()))
        .select(super::licensing::Licence::as_select())
        .into_boxed();
    let q = crate::scoped!(q, licences::municipality_code, scope);
    Ok(q.limit(200).load(c)?)
}

pub fn find_licence(c: &mut DbConnection, id: &str) -> AppResult<Option<super::licensing::Licence>> {
    use super::schema::licences;
    Ok(licences::table
        .filter(licences::id.eq(id))
        .select(super::licensing::Licence::as_select())
        .first(c)
        .optional()?)
}

/// The most recent revoked licence of this landlord for this property, if any.
pub fn revoked_licence(
    c: &mut DbConnection,
    landlord_id: &str,
    property_id: &str,
) -> AppResult<Option<String>> {
    use super::schema::licences;
    Ok(licences::table
        .filter(licences::landlord_id.eq(landlord_id))
        .filter(licences::property_id.eq(property_id))
        .filter(licences::state.eq("revoked"))
        .order((licences::valid_from.desc(), licences::id.desc()))
        .select(licences::id)
        .first(c)
        .optional()?)
}

/// The licence of a property in force on `on` (active, valid_from ≤ on ≤ valid_until), if any.
pub fn licence_in_force(
    c: &mut DbConnection,
    property_id: &str,
    on: chrono::NaiveDate,
) -> AppResult<Option<super::licensing::Licence>> {
    Ok(super::licensing::licences_of_properties(c, &[property_id.to_string()])?
        .into_iter()
        .find(|l| l.state == "active" && l.valid_from <= on && l.valid_until.is_none_or(|u| on <= u)))
}

// ----------------------------------------------------------------------------- ladder inputs

/// The columns of a decided fine that recidive and takeover ground G1 need.
#[derive(Debug, Clone, Queryable)]
pub struct FineFacts {
    pub violation_id: String,
    pub rule: String,
    pub violation_date: String,
    pub rapport_date: Option<String>,
    pub decision_date: Option<String>,
    pub final_date: Option<String>,
    pub annulled: bool,
}

/// Decided fines of a landlord whose decision or final date lies on or after `since` (the
/// earliest window start that can matter: a rapport date never lies after the decision).
pub fn landlord_fine_facts(
    c: &mut DbConnection,
    landlord_id: &str,
    since: &str,
) -> AppResult<Vec<FineFacts>> {
    Ok(sanctions::table
        .filter(sanctions::landlord_id.eq(landlord_id))
        .filter(sanctions::kind.eq("administrative_fine"))
        .filter(sanctions::decision_date.ge(since).or(sanctions::final_date.ge(since)))
        .select((
            sanctions::violation_id,
            sanctions::rule,
            sanctions::violation_date,
            sanctions::rapport_date,
            sanctions::decision_date,
            sanctions::final_date,
            sanctions::annulled,
        ))
        .load(c)?)
}

/// Distinct dates of the landlord's warnings (not withdrawn) in `[since, until)`: all the
/// ladder needs to know whether a new violation follows an earlier warning.
pub fn landlord_warning_dates(
    c: &mut DbConnection,
    landlord_id: &str,
    since: &str,
    until: &str,
) -> AppResult<Vec<String>> {
    Ok(sanctions::table
        .filter(sanctions::landlord_id.eq(landlord_id))
        .filter(sanctions::kind.eq("warning"))
        .filter(sanctions::effective_on.ge(since))
        .filter(sanctions::effective_on.lt(until))
        .filter(sanctions::state_name.ne("withdrawn"))
        .select(sanctions::effective_on)
        .distinct()
        .load(c)?)
}

/// Count and latest date of prior enforcement (penalty order, decided fine, bestuursdwang,
/// takeover) since `since` — one aggregated query.
pub fn prior_enforcement(
    c: &mut DbConnection,
    landlord_id: &str,
    since: &str,
) -> AppResult<(i64, Option<String>)> {
    let live = sanctions::kind
        .eq_any(vec!["penalty_order", "administrative_coercion", "management_takeover"])
        .or(sanctions::kind
            .eq("administrative_fine")
            .and(sanctions::decision_date.is_not_null())
            .and(sanctions::annulled.eq(false)));
    Ok(sanctions::table
        .filter(sanctions::landlord_id.eq(landlord_id))
        .filter(sanctions::effective_on.ge(since))
        .filter(live)
        .select((count_star(), diesel::dsl::max(sanctions::effective_on)))
        .first(c)?)
}

/// Facts for the licence refusal-ground screening (rules.md §2.5): the latest prior enforcement
/// decision against the landlord since `since`, and whether a management takeover of one of the
/// landlord's dwellings is running.
pub fn screening_facts(
    c: &mut DbConnection,
    landlord_id: &str,
    since: &str,
) -> AppResult<(Option<String>, bool)> {
    let (_, latest) = prior_enforcement(c, landlord_id, since)?;
    let takeover: i64 = sanctions::table
        .filter(sanctions::landlord_id.eq(landlord_id))
        .filter(sanctions::kind.eq("management_takeover"))
        .filter(sanctions::annulled.eq(false))
        .filter(sanctions::state_name.ne("ended"))
        .select(count_star())
        .first(c)?;
    Ok((latest, takeover > 0))
}

/// Decided fines within the window, newest first, capped (history view).
pub fn landlord_recent_fines(
    c: &mut DbConnection,
    scope: &Scope,
    landlord_id: &str,
    since: &str,
    limit: i64,
) -> AppResult<Vec<SanctionBrief>> {
    let q = sanctions::table
        .filter(sanctions::landlord_id.eq(landlord_id))
        .filter(sanctions::kind.eq("administrative_fine"))
        .filter(sanctions::decision_date.ge(since).or(sanctions::final_date.ge(since)))
        .order((sanctions::decision_date.desc(), sanctions::id.desc()))
        .select(SanctionBrief::as_select())
        .into_boxed();
    let q = crate::scoped!(q, sanctions::municipality_code, scope);
    Ok(q.limit(limit).load(c)?)
}

/// The landlord's most recent sanctions of every kind, newest first (history view).
pub fn landlord_recent_sanctions(
    c: &mut DbConnection,
    scope: &Scope,
    landlord_id: &str,
    limit: i64,
) -> AppResult<Vec<SanctionBrief>> {
    let q = sanctions::table
        .filter(sanctions::landlord_id.eq(landlord_id))
        .order((sanctions::created_at.desc(), sanctions::id.desc()))
        .select(SanctionBrief::as_select())
        .into_boxed();
    let q = crate::scoped!(q, sanctions::municipality_code, scope);
    Ok(q.limit(limit).load(c)?)
}

/// Date of the latest refusal of a licence application of this landlord for this property.
pub fn latest_refusal(
    c: &mut DbConnection,
    landlord_id: &str,
    property_id: &str,
) -> AppResult<Option<chrono::NaiveDate>> {
    use super::schema::licence_applications as la;
    Ok(la::table
        .filter(la::landlord_id.eq(landlord_id))
        .filter(la::property_id.eq(property_id))
        .filter(la::decision_outcome.eq("refused"))
        .select(diesel::dsl::max(la::decided_on))
        .first::<Option<chrono::NaiveDate>>(c)?)
}
