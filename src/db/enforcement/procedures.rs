//! Sanctions: writing and reading the procedures, and the facts of earlier sanctions that the
//! ladder, the history and the licence screening need.

use chrono::NaiveDate;
use diesel::dsl::count_star;
use diesel::prelude::*;

use super::{SanctionBrief, SanctionRow};
use crate::db::schema::sanctions;
use crate::db::scope::Scope;
use crate::db::DbConnection;
use crate::domain::sanction_lifecycle::SanctionKind;
use crate::error::AppResult;

// ----------------------------------------------------------------------------- sanctions

pub fn insert_sanction(c: &mut DbConnection, row: &SanctionRow) -> AppResult<()> {
    diesel::insert_into(sanctions::table).values(row).execute(c)?;
    Ok(())
}

pub fn update_sanction(c: &mut DbConnection, row: &SanctionRow) -> AppResult<()> {
    diesel::update(sanctions::table.find(&row.id)).set(row).execute(c)?;
    Ok(())
}

/// Claims the sanction for this transaction: a conditional increment of `version` that takes
/// the row lock (PostgreSQL), so that two concurrent actions on one sanction cannot both apply.
/// `false` when another request changed the sanction since it was read (nothing written);
/// otherwise `row.version` is the new version.
pub fn claim_sanction(c: &mut DbConnection, row: &mut SanctionRow) -> AppResult<bool> {
    let n = diesel::update(
        sanctions::table.filter(sanctions::id.eq(&row.id)).filter(sanctions::version.eq(row.version)),
    )
    .set(sanctions::version.eq(row.version + 1))
    .execute(c)?;
    if n == 1 {
        row.version += 1;
    }
    Ok(n == 1)
}

pub fn find_sanction(c: &mut DbConnection, scope: &Scope, id: &str) -> AppResult<Option<SanctionRow>> {
    let q = sanctions::table.filter(sanctions::id.eq(id)).select(SanctionRow::as_select()).into_boxed();
    let q = crate::scoped!(q, sanctions::municipality_code, scope);
    Ok(q.first(c).optional()?)
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
        .filter(sanctions::kind.eq(SanctionKind::AdministrativeFine))
        .filter(sanctions::state_name.ne_all(vec!["dropped", "annulled"]))
        .select(sanctions::id)
        .first(c)
        .optional()?)
}

/// The id and procedure state (JSON) of every fine for a violation: the fines an objection may
/// be lodged against, and the periods in which one ran (Awb 5:45). On `sanctions_violation`.
pub fn fines_for_violation(c: &mut DbConnection, violation_id: &str) -> AppResult<Vec<(String, String)>> {
    Ok(sanctions::table
        .filter(sanctions::violation_id.eq(violation_id))
        .filter(sanctions::kind.eq(SanctionKind::AdministrativeFine))
        .select((sanctions::id, sanctions::state))
        .load(c)?)
}

/// The first day a sanction of a case became final (onherroepelijk), annulled ones aside. On
/// `sanctions_case`.
pub fn case_final_date(c: &mut DbConnection, case_id: &str) -> AppResult<Option<NaiveDate>> {
    Ok(sanctions::table
        .filter(sanctions::case_id.eq(case_id))
        .filter(sanctions::annulled.eq(false))
        .select(diesel::dsl::min(sanctions::final_date))
        .first::<Option<NaiveDate>>(c)?)
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

// ----------------------------------------------------------------------------- ladder inputs

/// The columns of a decided fine that recidive and takeover ground G1 need.
#[derive(Debug, Clone, Queryable)]
pub struct FineFacts {
    pub violation_id: String,
    pub rule: String,
    pub violation_date: NaiveDate,
    pub rapport_date: Option<NaiveDate>,
    pub decision_date: Option<NaiveDate>,
    pub final_date: Option<NaiveDate>,
    pub annulled: bool,
}

/// Decided fines of a landlord whose decision or final date lies on or after `since` (the
/// earliest window start that can matter: a rapport date never lies after the decision).
pub fn landlord_fine_facts(
    c: &mut DbConnection,
    landlord_id: &str,
    since: NaiveDate,
) -> AppResult<Vec<FineFacts>> {
    Ok(sanctions::table
        .filter(sanctions::landlord_id.eq(landlord_id))
        .filter(sanctions::kind.eq(SanctionKind::AdministrativeFine))
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
    since: NaiveDate,
    until: NaiveDate,
) -> AppResult<Vec<NaiveDate>> {
    Ok(sanctions::table
        .filter(sanctions::landlord_id.eq(landlord_id))
        .filter(sanctions::kind.eq(SanctionKind::Warning))
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
    since: NaiveDate,
) -> AppResult<(i64, Option<NaiveDate>)> {
    let live = sanctions::kind
        .eq_any(vec![
            SanctionKind::PenaltyOrder,
            SanctionKind::AdministrativeCoercion,
            SanctionKind::ManagementTakeover,
        ])
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
    since: NaiveDate,
) -> AppResult<(Option<NaiveDate>, bool)> {
    let (_, latest) = prior_enforcement(c, landlord_id, since)?;
    let takeover: i64 = sanctions::table
        .filter(sanctions::landlord_id.eq(landlord_id))
        .filter(sanctions::kind.eq(SanctionKind::ManagementTakeover))
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
    since: NaiveDate,
    limit: i64,
) -> AppResult<Vec<SanctionBrief>> {
    let q = sanctions::table
        .filter(sanctions::landlord_id.eq(landlord_id))
        .filter(sanctions::kind.eq(SanctionKind::AdministrativeFine))
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
) -> AppResult<Option<NaiveDate>> {
    use crate::db::schema::licence_applications as la;
    Ok(la::table
        .filter(la::landlord_id.eq(landlord_id))
        .filter(la::property_id.eq(property_id))
        .filter(la::decision_outcome.eq("refused"))
        .select(diesel::dsl::max(la::decided_on))
        .first::<Option<NaiveDate>>(c)?)
}
