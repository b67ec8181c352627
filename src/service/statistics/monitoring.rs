//! The quarterly "Wgv monitoring" export (issue #15): one row per municipality in the caller's
//! scope with fixed columns, built from the three statistics use cases. See docs/statistics.md
//! for every column's definition.

use chrono::NaiveDate;

use super::meldpunt::MeldpuntTable;
use super::StatQuery;
use crate::db::scope::Scope;
use crate::domain::statistics::{GroupBy, StatPeriod, StatTable, StatValue};
use crate::error::{AppError, AppResult};
use crate::service::Tx;

/// How a column of the export is suppressed in a CSV file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Suppression {
    /// Not suppressed (licensing, enforcement, the row's identification).
    None,
    /// A meldpunt count: 1 to 4 becomes `<5`.
    SmallCount,
    /// A meldpunt median: empty when the column named here (its base) is below 5.
    BaseBelowLimit(&'static str),
}

/// The columns after `municipality_code`, `year` and `quarter`, in order, with their suppression.
pub const COLUMNS: [(&str, Suppression); 32] = [
    ("reports_received", Suppression::SmallCount),
    ("reports_handled", Suppression::SmallCount),
    ("reports_handled_within_term", Suppression::SmallCount),
    ("median_handling_days", Suppression::BaseBelowLimit("reports_handled")),
    ("exploitation_signals", Suppression::SmallCount),
    ("partner_signals", Suppression::SmallCount),
    ("complaint_referrals", Suppression::SmallCount),
    ("applications_received", Suppression::None),
    ("decisions_granted", Suppression::None),
    ("decisions_refused", Suppression::None),
    ("decisions_not_considered", Suppression::None),
    ("median_decision_days", Suppression::None),
    ("decided_within_term", Suppression::None),
    ("licences_in_force", Suppression::None),
    ("max_occupants_in_force", Suppression::None),
    ("suspensions", Suppression::None),
    ("revocations", Suppression::None),
    ("inspections", Suppression::None),
    ("inspections_without_entry", Suppression::None),
    ("joint_inspections", Suppression::None),
    ("inspection_referrals", Suppression::None),
    ("violations", Suppression::None),
    ("warnings", Suppression::None),
    ("penalty_orders", Suppression::None),
    ("fines_imposed", Suppression::None),
    ("fines_imposed_cents", Suppression::None),
    ("fines_collected_cents", Suppression::None),
    ("penalty_sums_forfeited_cents", Suppression::None),
    ("penalty_sums_collected_cents", Suppression::None),
    ("recidive_cases", Suppression::None),
    ("takeovers", Suppression::None),
    ("registration_signals", Suppression::None),
];

/// A quarter of a year.
#[derive(Debug, Clone, Copy)]
pub struct MonitoringQuery {
    pub year: i32,
    /// 1 to 4 (checked by the caller).
    pub quarter: u32,
}

/// One municipality's row: `values` in the order of [`COLUMNS`].
#[derive(Debug, Clone)]
pub struct MonitoringRow {
    pub municipality_code: String,
    pub values: Vec<StatValue>,
}

pub struct Monitoring {
    /// The days counted: the quarter, up to today when it is still running.
    pub period: StatPeriod,
    pub rows: Vec<MonitoringRow>,
}

/// The quarter's first and last day, the last capped at `today`; `None` when the quarter has not
/// begun or does not exist.
pub fn quarter_period(year: i32, quarter: u32, today: NaiveDate) -> Option<StatPeriod> {
    let first = NaiveDate::from_ymd_opt(year, quarter.checked_sub(1)? * 3 + 1, 1)?;
    let last = super::tally::bucket_end(GroupBy::Quarter, first);
    StatPeriod::new(first, last.min(today))
}

/// The meldpunt tables the columns read (not the per-area, per-neighbourhood and per-status
/// ones, which the row does not use).
const MELDPUNT_TABLES: [MeldpuntTable; 5] = [
    MeldpuntTable::ReportsByCategory,
    MeldpuntTable::ReportsByChannel,
    MeldpuntTable::Handling,
    MeldpuntTable::ExploitationSignals,
    MeldpuntTable::ReferralsByPartner,
];

/// The monitoring rows of every municipality in the caller's scope, in code order.
pub fn export(tx: &mut Tx<'_>, q: MonitoringQuery) -> AppResult<Monitoring> {
    let period = quarter_period(q.year, q.quarter, tx.today)
        .ok_or_else(|| AppError::field("#/query/quarter", "this quarter has not begun yet"))?;
    let codes = match tx.scope.codes() {
        Some(codes) => {
            let mut codes = codes.to_vec();
            codes.sort();
            codes.dedup();
            codes
        }
        None => crate::db::statistics::municipality_codes(tx.conn)?,
    };
    let query = StatQuery { period, group_by: GroupBy::Quarter };
    let caller_scope = std::mem::replace(&mut tx.scope, Scope::municipality(""));
    let result = codes
        .into_iter()
        .map(|code| {
            tx.scope = Scope::municipality(&code);
            let mut tables = MELDPUNT_TABLES
                .iter()
                .map(|&which| super::meldpunt::table(tx, query, which))
                .collect::<AppResult<Vec<_>>>()?;
            tables.extend(super::licensing::tables(tx, query)?);
            tables.extend(super::enforcement::tables(tx, query)?);
            Ok(MonitoringRow { values: columns(&tables), municipality_code: code })
        })
        .collect::<AppResult<Vec<_>>>();
    tx.scope = caller_scope;
    Ok(Monitoring { period, rows: result? })
}

/// The sum of `measure` over the rows of table `name` whose dimensions match `filter`.
fn sum(tables: &[StatTable], name: &str, measure: &str, filter: &[(&str, &[&str])]) -> i64 {
    rows_of(tables, name, measure, filter)
        .filter_map(|v| match v {
            StatValue::Count(n) | StatValue::Cents(n) => Some(*n),
            _ => None,
        })
        .sum()
}

/// The value of `measure` in the one row of table `name` matching `filter`.
fn single(tables: &[StatTable], name: &str, measure: &str, filter: &[(&str, &[&str])]) -> Option<StatValue> {
    rows_of(tables, name, measure, filter).next().cloned()
}

fn rows_of<'a>(
    tables: &'a [StatTable],
    name: &'a str,
    measure: &'a str,
    filter: &'a [(&'a str, &'a [&'a str])],
) -> impl Iterator<Item = &'a StatValue> + 'a {
    tables.iter().filter(move |t| t.name == name).flat_map(move |t| {
        let m = t.measures.iter().position(|x| *x == measure);
        let dims: Vec<(usize, &[&str])> = filter
            .iter()
            .filter_map(|(dim, keys)| t.dimensions.iter().position(|d| d == dim).map(|i| (i, *keys)))
            .collect();
        let complete = dims.len() == filter.len();
        t.rows.iter().filter_map(move |r| {
            let hit = complete
                && dims.iter().all(|(i, keys)| r.keys.get(*i).is_some_and(|k| keys.contains(&k.as_str())));
            if hit {
                m.and_then(|m| r.values.get(m))
            } else {
                None
            }
        })
    })
}

/// The values of [`COLUMNS`] from one municipality's tables of one quarter.
fn columns(t: &[StatTable]) -> Vec<StatValue> {
    use StatValue::{Cents, Count, Days};
    let all: &[(&str, &[&str])] = &[("category", &["all"])];
    let merits_all: &[(&str, &[&str])] = &[("kind", &["all"])];
    let sanction =
        |kind: &'static str| sum(t, "sanctions_by_kind_and_state", "sanctions", &[("kind", &[kind])]);
    let days = |v: Option<StatValue>| match v {
        Some(Days(d)) => Days(d),
        _ => Days(None),
    };
    vec![
        Count(sum(t, "reports_by_category", "reports", &[])),
        Count(sum(t, "handling", "handled", all)),
        Count(sum(t, "handling", "handled_within_term", all)),
        days(single(t, "handling", "median_days", all)),
        Count(sum(t, "exploitation_signals", "reports", &[])),
        Count(sum(t, "reports_by_channel", "reports", &[("channel", &["partner"])])),
        Count(sum(t, "referrals_by_partner", "referrals", &[])),
        Count(sum(t, "applications_by_kind_and_state", "applications", &[])),
        Count(sum(
            t,
            "decisions_by_outcome",
            "decisions",
            &[("outcome", &["granted", "granted_with_conditions"])],
        )),
        Count(sum(t, "decisions_by_outcome", "decisions", &[("outcome", &["refused"])])),
        Count(sum(t, "decisions_by_outcome", "decisions", &[("outcome", &["not_considered"])])),
        days(single(t, "decision_time", "median_days", merits_all)),
        Count(sum(t, "decision_time", "decided_within_term", merits_all)),
        Count(sum(t, "licences_in_force", "licences", &[])),
        Count(sum(t, "licences_in_force", "max_occupants", &[])),
        Count(sum(t, "suspensions_by_cause", "suspensions", &[])),
        Count(sum(t, "revocations_by_cause", "revocations", &[])),
        Count(sum(t, "inspections", "inspections", &[])),
        Count(sum(t, "inspections", "without_entry", &[])),
        Count(sum(t, "inspections", "joint", &[])),
        Count(sum(t, "inspection_referrals_by_partner", "referrals", &[])),
        Count(sum(t, "violations_by_rule", "violations", &[])),
        Count(sanction("warning")),
        Count(sanction("penalty_order")),
        Count(sum(t, "fines", "fines", &[])),
        Cents(sum(t, "fines", "imposed_cents", &[])),
        Cents(sum(t, "fines", "collected_cents", &[])),
        Cents(sum(t, "penalty_orders_forfeited", "forfeited_cents", &[])),
        Cents(sum(t, "penalty_orders_forfeited", "collected_cents", &[])),
        Count(sum(t, "recidive", "recidive_cases", &[])),
        Count(sanction("management_takeover")),
        Count(sum(t, "registration_signals", "signals", &[])),
    ]
}
