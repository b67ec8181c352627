//! Aggregates of the licensing: applications, decisions, licences in force and the measures
//! (suspensions, revocations) the audit trail records.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::dsl::count_star;
use diesel::prelude::*;

use super::DayCount;
use crate::db::schema::{audit_log, licence_applications, licences, properties};
use crate::db::scope::Scope;
use crate::db::DbConnection;
use crate::error::AppResult;

diesel::allow_columns_to_appear_in_same_group_by_clause!(
    licences::kind,
    licences::valid_from,
    licences::valid_until,
    licences::max_occupants,
    licences::state,
    licences::updated_at,
    properties::postcode,
);

fn dated<K>(rows: Vec<(Option<NaiveDate>, K, i64)>) -> Vec<DayCount<K>> {
    rows.into_iter().filter_map(|(d, k, n)| d.map(|d| (d, k, n))).collect()
}

/// Applications submitted in `[from, to]` per day, kind and current state.
pub fn applications_by_kind_and_state(
    c: &mut DbConnection,
    scope: &Scope,
    from: NaiveDate,
    to: NaiveDate,
) -> AppResult<Vec<DayCount<(String, String)>>> {
    use licence_applications as a;
    let q = a::table
        .filter(a::submitted_on.ge(from).and(a::submitted_on.le(to)))
        .group_by((a::submitted_on, a::kind, a::state))
        .select((a::submitted_on, (a::kind, a::state), count_star()))
        .into_boxed();
    let q = crate::scoped!(q, a::municipality_code, scope);
    Ok(dated(q.load::<(Option<NaiveDate>, (String, String), i64)>(c)?))
}

/// Decisions on applications taken in `[from, to]` per day and outcome.
pub fn decisions_by_outcome(
    c: &mut DbConnection,
    scope: &Scope,
    from: NaiveDate,
    to: NaiveDate,
) -> AppResult<Vec<DayCount<String>>> {
    use licence_applications as a;
    let q = a::table
        .filter(a::decided_on.ge(from).and(a::decided_on.le(to)))
        .filter(a::decision_outcome.is_not_null())
        .group_by((a::decided_on, a::decision_outcome))
        .select((a::decided_on, a::decision_outcome, count_star()))
        .into_boxed();
    let q = crate::scoped!(q, a::municipality_code, scope);
    let rows: Vec<(Option<NaiveDate>, Option<String>, i64)> = q.load(c)?;
    Ok(rows.into_iter().filter_map(|(d, o, n)| Some((d?, o?, n))).collect())
}

/// One decision on the merits: its kind, day of decision, day of submission and due day.
pub struct DecisionDays {
    pub kind: String,
    pub decided_on: NaiveDate,
    pub submitted_on: NaiveDate,
    pub due_on: Option<NaiveDate>,
    pub n: i64,
}

/// Decisions on the merits (`outcomes`) taken in `[from, to]`, with the days they need for the
/// decision time, grouped by those days (one row per distinct combination, with its count).
pub fn decision_days(
    c: &mut DbConnection,
    scope: &Scope,
    from: NaiveDate,
    to: NaiveDate,
    outcomes: &[&str],
) -> AppResult<Vec<DecisionDays>> {
    use licence_applications as a;
    let outcomes: Vec<String> = outcomes.iter().map(|s| (*s).to_string()).collect();
    let q = a::table
        .filter(a::decided_on.ge(from).and(a::decided_on.le(to)))
        .filter(a::submitted_on.is_not_null())
        .filter(a::decision_outcome.eq_any(outcomes))
        .group_by((a::kind, a::decided_on, a::submitted_on, a::decision_due_on))
        .select((a::kind, a::decided_on, a::submitted_on, a::decision_due_on, count_star()))
        .into_boxed();
    let q = crate::scoped!(q, a::municipality_code, scope);
    type Row = (String, Option<NaiveDate>, Option<NaiveDate>, Option<NaiveDate>, i64);
    let rows: Vec<Row> = q.load(c)?;
    Ok(rows
        .into_iter()
        .filter_map(|(kind, d, s, due_on, n)| {
            Some(DecisionDays { kind, decided_on: d?, submitted_on: s?, due_on, n })
        })
        .collect())
}

/// Licences valid at some day of `[from, to]`, grouped by kind, postcode of the property,
/// validity, maximum occupants, stored state and last change (for a suspended or revoked licence:
/// the moment of the measure).
pub struct LicenceSpan {
    pub kind: String,
    pub postcode: String,
    pub valid_from: NaiveDate,
    pub valid_until: Option<NaiveDate>,
    pub max_occupants: i32,
    pub state: String,
    pub changed_at: NaiveDateTime,
    pub n: i64,
}

pub fn licence_spans(
    c: &mut DbConnection,
    scope: &Scope,
    from: NaiveDate,
    to: NaiveDate,
) -> AppResult<Vec<LicenceSpan>> {
    use licences as l;
    let q = l::table
        .inner_join(properties::table)
        .filter(l::valid_from.le(to))
        .filter(l::valid_until.is_null().or(l::valid_until.ge(from)))
        .group_by((
            l::kind,
            properties::postcode,
            l::valid_from,
            l::valid_until,
            l::max_occupants,
            l::state,
            l::updated_at,
        ))
        .select((
            l::kind,
            properties::postcode,
            l::valid_from,
            l::valid_until,
            l::max_occupants,
            l::state,
            l::updated_at,
            count_star(),
        ))
        .into_boxed();
    let q = crate::scoped!(q, l::municipality_code, scope);
    type Row = (String, String, NaiveDate, Option<NaiveDate>, i32, String, NaiveDateTime, i64);
    let rows: Vec<Row> = q.load(c)?;
    Ok(rows
        .into_iter()
        .map(|(kind, postcode, valid_from, valid_until, max_occupants, state, changed_at, n)| LicenceSpan {
            kind,
            postcode,
            valid_from,
            valid_until,
            max_occupants,
            state,
            changed_at,
            n,
        })
        .collect())
}

/// Licence measures (`suspend`, `revoke`) recorded in the audit trail between two moments:
/// `(occurred_at, after_state)` — the after-state holds the measure's ground code.
pub fn licence_measures(
    c: &mut DbConnection,
    scope: &Scope,
    action: &str,
    after: NaiveDateTime,
    before: NaiveDateTime,
) -> AppResult<Vec<(NaiveDateTime, Option<String>)>> {
    use audit_log as au;
    let q = au::table
        .filter(au::entity_type.eq("licence"))
        .filter(au::action.eq(action.to_string()))
        .filter(au::occurred_at.ge(after).and(au::occurred_at.lt(before)))
        .select((au::occurred_at, au::after_state))
        .into_boxed();
    let q = match scope.codes() {
        None => q,
        Some(codes) => q.filter(au::municipality_code.eq_any(codes.to_vec())),
    };
    Ok(q.load(c)?)
}
