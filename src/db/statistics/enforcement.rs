//! Aggregates of the supervision and enforcement: inspections, partners present, referrals,
//! violations, sanctions, fines, penalty orders and registration signals.

use chrono::NaiveDate;
use diesel::dsl::{count_star, exists};
use diesel::prelude::*;

use super::DayCount;
use crate::db::schema::{
    inspection_partners, inspection_referrals, inspections, registration_signals, sanctions, violations,
};
use crate::db::scope::Scope;
use crate::db::DbConnection;
use crate::error::AppResult;

diesel::allow_columns_to_appear_in_same_group_by_clause!(
    inspections::performed_on,
    inspection_partners::partner
);

/// One performed inspection: its day, whether it was urgent, whether a partner was present, and
/// its findings document (read only to tell whether any room was entered).
pub struct PerformedInspection {
    pub performed_on: NaiveDate,
    pub urgent: bool,
    pub joint: bool,
    pub findings: String,
}

/// Inspections performed in `[from, to]`.
pub fn performed_inspections(
    c: &mut DbConnection,
    scope: &Scope,
    from: NaiveDate,
    to: NaiveDate,
) -> AppResult<Vec<PerformedInspection>> {
    use inspections as i;
    let joint = exists(inspection_partners::table.filter(inspection_partners::inspection_id.eq(i::id)));
    let q = i::table
        .filter(i::performed_on.ge(from).and(i::performed_on.le(to)))
        .select((i::performed_on, i::urgent, joint, i::findings))
        .into_boxed();
    let q = crate::scoped!(q, i::municipality_code, scope);
    let rows: Vec<(Option<NaiveDate>, bool, bool, String)> = q.load(c)?;
    Ok(rows
        .into_iter()
        .filter_map(|(d, urgent, joint, findings)| {
            Some(PerformedInspection { performed_on: d?, urgent, joint, findings })
        })
        .collect())
}

/// Partners present at inspections performed in `[from, to]`, per day and partner.
pub fn joint_inspections_by_partner(
    c: &mut DbConnection,
    scope: &Scope,
    from: NaiveDate,
    to: NaiveDate,
) -> AppResult<Vec<DayCount<String>>> {
    use inspection_partners as p;
    use inspections as i;
    let q = p::table
        .inner_join(i::table.on(i::id.eq(p::inspection_id)))
        .filter(i::performed_on.ge(from).and(i::performed_on.le(to)))
        .group_by((i::performed_on, p::partner))
        .select((i::performed_on, p::partner, count_star()))
        .into_boxed();
    let q = crate::scoped!(q, p::municipality_code, scope);
    let rows: Vec<(Option<NaiveDate>, String, i64)> = q.load(c)?;
    Ok(rows.into_iter().filter_map(|(d, k, n)| Some((d?, k, n))).collect())
}

/// Referrals made from inspections in `[from, to]`, per day and partner.
pub fn inspection_referrals_by_partner(
    c: &mut DbConnection,
    scope: &Scope,
    from: NaiveDate,
    to: NaiveDate,
) -> AppResult<Vec<DayCount<String>>> {
    use inspection_referrals as r;
    let q = r::table
        .filter(r::referred_on.ge(from).and(r::referred_on.le(to)))
        .group_by((r::referred_on, r::partner))
        .select((r::referred_on, r::partner, count_star()))
        .into_boxed();
    let q = crate::scoped!(q, r::municipality_code, scope);
    Ok(q.load(c)?)
}

/// Violations established in `[from, to]`, per day and rule.
pub fn violations_by_rule(
    c: &mut DbConnection,
    scope: &Scope,
    from: NaiveDate,
    to: NaiveDate,
) -> AppResult<Vec<DayCount<String>>> {
    use violations as v;
    let q = v::table
        .filter(v::established_on.ge(from).and(v::established_on.le(to)))
        .group_by((v::established_on, v::rule))
        .select((v::established_on, v::rule, count_star()))
        .into_boxed();
    let q = crate::scoped!(q, v::municipality_code, scope);
    Ok(q.load(c)?)
}

/// Sanctions that took effect in `[from, to]`, per day, kind and current state.
pub fn sanctions_by_kind_and_state(
    c: &mut DbConnection,
    scope: &Scope,
    from: NaiveDate,
    to: NaiveDate,
) -> AppResult<Vec<DayCount<(String, String)>>> {
    use sanctions as s;
    let q = s::table
        .filter(s::effective_on.ge(from).and(s::effective_on.le(to)))
        .group_by((s::effective_on, s::kind, s::state_name))
        .select((s::effective_on, (s::kind, s::state_name), count_star()))
        .into_boxed();
    let q = crate::scoped!(q, s::municipality_code, scope);
    Ok(q.load(c)?)
}

/// Sanctions started on the ladder's step `step` (e.g. `recidive_fine`) in `[from, to]`, per day.
pub fn sanctions_of_step(
    c: &mut DbConnection,
    scope: &Scope,
    from: NaiveDate,
    to: NaiveDate,
    step: &str,
) -> AppResult<Vec<DayCount<()>>> {
    use sanctions as s;
    let q = s::table
        .filter(s::effective_on.ge(from).and(s::effective_on.le(to)))
        .filter(s::proposed_step.eq(step.to_string()))
        .group_by(s::effective_on)
        .select((s::effective_on, count_star()))
        .into_boxed();
    let q = crate::scoped!(q, s::municipality_code, scope);
    let rows: Vec<(NaiveDate, i64)> = q.load(c)?;
    Ok(rows.into_iter().map(|(d, n)| (d, (), n)).collect())
}

/// Administrative fines decided in `[from, to]` and not annulled, per decision day and amount.
pub fn fines_decided(
    c: &mut DbConnection,
    scope: &Scope,
    from: NaiveDate,
    to: NaiveDate,
) -> AppResult<Vec<DayCount<i64>>> {
    use sanctions as s;
    let q = s::table
        .filter(s::kind.eq("administrative_fine"))
        .filter(s::annulled.eq(false))
        .filter(s::decision_date.ge(from).and(s::decision_date.le(to)))
        .filter(s::amount_cents.is_not_null())
        .group_by((s::decision_date, s::amount_cents))
        .select((s::decision_date, s::amount_cents, count_star()))
        .into_boxed();
    let q = crate::scoped!(q, s::municipality_code, scope);
    let rows: Vec<(Option<NaiveDate>, Option<i64>, i64)> = q.load(c)?;
    Ok(rows.into_iter().filter_map(|(d, a, n)| Some((d?, a?, n))).collect())
}

/// The state documents of the administrative fines decided on or before `to` and not annulled
/// (their payments are inside the document).
pub fn fine_states(c: &mut DbConnection, scope: &Scope, to: NaiveDate) -> AppResult<Vec<String>> {
    use sanctions as s;
    let q = s::table
        .filter(s::kind.eq("administrative_fine"))
        .filter(s::annulled.eq(false))
        .filter(s::decision_date.le(to))
        .select(s::state)
        .into_boxed();
    let q = crate::scoped!(q, s::municipality_code, scope);
    Ok(q.load(c)?)
}

/// The state documents of the penalty orders in force on or before `to` (their forfeitures and
/// payments are inside the document).
pub fn penalty_order_states(c: &mut DbConnection, scope: &Scope, to: NaiveDate) -> AppResult<Vec<String>> {
    use sanctions as s;
    let q = s::table
        .filter(s::kind.eq("penalty_order"))
        .filter(s::effective_on.le(to))
        .select(s::state)
        .into_boxed();
    let q = crate::scoped!(q, s::municipality_code, scope);
    Ok(q.load(c)?)
}

/// A registration signal's status, outcome (once concluded) and number of persons.
pub type SignalKeys = (String, Option<String>, i32);

/// Registration signals found in `[from, to]`, per day, status, outcome and number of persons.
pub fn registration_signals(
    c: &mut DbConnection,
    scope: &Scope,
    from: NaiveDate,
    to: NaiveDate,
) -> AppResult<Vec<DayCount<SignalKeys>>> {
    use registration_signals as r;
    let q = r::table
        .filter(r::found_on.ge(from).and(r::found_on.le(to)))
        .group_by((r::found_on, r::status, r::outcome, r::persons))
        .select((r::found_on, (r::status, r::outcome, r::persons), count_star()))
        .into_boxed();
    let q = crate::scoped!(q, r::municipality_code, scope);
    Ok(q.load(c)?)
}
