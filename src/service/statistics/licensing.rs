//! Statistics of the licensing (issue #15). See docs/statistics.md for each table's definition.

use chrono::{Duration, NaiveDate, NaiveDateTime, NaiveTime};

use super::tally::{bucket_ends, nearest_rank, share, table, Sums, Unit};
use super::StatQuery;
use crate::db::statistics::licensing as q;
use crate::domain::statistics::{StatRow, StatTable, StatValue};
use crate::error::AppResult;
use crate::service::Tx;

/// Decisions on the merits of an application (not `not_considered`): what the decision time and
/// the share within the statutory term measure.
const MERITS: [&str; 3] = ["granted", "granted_with_conditions", "refused"];

/// Every statistic of the licensing for the query's period, in the caller's scope.
pub fn tables(tx: &mut Tx<'_>, query: StatQuery) -> AppResult<Vec<StatTable>> {
    let (from, to) = (query.period.from(), query.period.to());
    let g = query.group_by;
    let c = &mut *tx.conn;
    let scope = &tx.scope;
    let mut out = Vec::new();

    let mut s = Sums::new(g, &[Unit::Count]);
    for (day, (kind, state), n) in q::applications_by_kind_and_state(c, scope, from, to)? {
        s.add(day, &[&kind, &state], &[n]);
    }
    out.push(table("applications_by_kind_and_state", &["kind", "state"], &["applications"], s.into_rows()));

    let mut s = Sums::new(g, &[Unit::Count]);
    for (day, outcome, n) in q::decisions_by_outcome(c, scope, from, to)? {
        s.add(day, &[&outcome], &[n]);
    }
    out.push(table("decisions_by_outcome", &["outcome"], &["decisions"], s.into_rows()));

    out.push(decision_time(q::decision_days(c, scope, from, to, &MERITS)?, query));

    for (name, action, measure) in [
        ("suspensions_by_cause", "suspend", "suspensions"),
        ("revocations_by_cause", "revoke", "revocations"),
    ] {
        let after = NaiveDateTime::new(from - Duration::days(1), NaiveTime::MIN);
        let before = NaiveDateTime::new(to + Duration::days(2), NaiveTime::MIN);
        let mut s = Sums::new(g, &[Unit::Count]);
        for (at, after_state) in q::licence_measures(c, scope, action, after, before)? {
            let day = dutch_day(at);
            if query.period.contains(day) {
                s.add(day, &[&ground(after_state.as_deref())], &[1]);
            }
        }
        out.push(table(name, &["ground"], &[measure], s.into_rows()));
    }

    out.push(licences_in_force(q::licence_spans(c, scope, from, to)?, query));
    Ok(out)
}

/// The calendar day in the Netherlands of a moment stored in UTC.
fn dutch_day(at: NaiveDateTime) -> NaiveDate {
    at.and_utc().with_timezone(&chrono_tz::Europe::Amsterdam).date_naive()
}

/// The ground code of a licence measure from its audit after-state; `unknown` when absent.
fn ground(after_state: Option<&str>) -> String {
    after_state
        .and_then(|s| serde_json::from_str::<serde_json::Value>(s).ok())
        .and_then(|v| v.get("ground").and_then(|g| g.as_str()).map(str::to_string))
        .unwrap_or_else(|| "unknown".to_string())
}

/// Per period and kind (and `all`): decisions on the merits, how many were taken on or before
/// their due day, that share, and the median number of days from submission to decision.
fn decision_time(rows: Vec<q::DecisionDays>, query: StatQuery) -> StatTable {
    use std::collections::BTreeMap;
    /// Decisions, decided within the term, and the `(days, how many)` of each.
    type Acc = (i64, i64, Vec<(i64, i64)>);
    let mut acc: BTreeMap<(String, String), Acc> = BTreeMap::new();
    for r in rows {
        let period = query.group_by.bucket(r.decided_on);
        let days = (r.decided_on - r.submitted_on).num_days();
        let within = if r.due_on.is_some_and(|due| r.decided_on <= due) { r.n } else { 0 };
        for kind in [r.kind.as_str(), "all"] {
            let e = acc.entry((period.clone(), kind.to_string())).or_default();
            e.0 += r.n;
            e.1 += within;
            e.2.push((days, r.n));
        }
    }
    let rows = acc
        .into_iter()
        .map(|((period, kind), (n, within, days))| StatRow {
            keys: vec![period, kind],
            values: vec![
                StatValue::Count(n),
                StatValue::Count(within),
                StatValue::Share(share(within, n)),
                StatValue::Days(nearest_rank(&days, 0.5)),
            ],
        })
        .collect();
    table(
        "decision_time",
        &["kind"],
        &["decisions", "decided_within_term", "share_within_term", "median_days"],
        rows,
    )
}

/// Per bucket (measured on its last day, or the period's end), kind and postcode area: the
/// licences in force that day and their maximum occupants in total. A licence is in force on a
/// day within its validity while it is active; a suspended or revoked licence until the day of
/// its measure (its last change).
fn licences_in_force(spans: Vec<q::LicenceSpan>, query: StatQuery) -> StatTable {
    let mut s = Sums::new(query.group_by, &[Unit::Count, Unit::Count]);
    for day in bucket_ends(query.period, query.group_by) {
        for l in &spans {
            let valid = l.valid_from <= day && l.valid_until.is_none_or(|u| u >= day);
            let standing = l.state == "active" || dutch_day(l.changed_at) > day;
            if valid && standing {
                let area: String = l.postcode.chars().take(4).collect();
                s.add(day, &[&l.kind, &area], &[l.n, i64::from(l.max_occupants).saturating_mul(l.n)]);
            }
        }
    }
    table("licences_in_force", &["kind", "postcode_area"], &["licences", "max_occupants"], s.into_rows())
}
