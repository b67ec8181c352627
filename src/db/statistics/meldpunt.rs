//! The meldpunt's statistics counters (`complaint_stat_counts`, `complaint_handling_counts`),
//! kept in the transaction of every complaint write: [`super::super::complaints::insert`] and
//! [`super::super::complaints::save`] call [`on_insert`] and [`on_save`], and a property whose
//! neighbourhood code changes moves its complaints' counters ([`neighbourhood_changed`]). The
//! counters always equal an aggregate of the complaints table; [`rebuild`] recomputes them
//! from it (the same statements as the back-fill of migration 000140).
//!
//! A merged duplicate (`merged_into` set) is not counted: its primary is the report.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use diesel::connection::SimpleConnection;
use diesel::dsl::{count_star, sum};
use diesel::prelude::*;
use diesel::upsert::excluded;

use crate::db::complaints::Complaint;
use crate::db::schema::{
    complaint_handling_counts, complaint_referrals, complaint_stat_counts, complaints, properties,
};
use crate::db::scope::Scope;
use crate::db::DbConnection;
use crate::domain::code::Code;
use crate::domain::complaints::{signals_from_text, ExploitationSignal};
use crate::domain::statistics::measures::postcode_area;
use crate::error::AppResult;

/// The dimensions counted per received day, as stored in `complaint_stat_counts.metric`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Metric {
    Category,
    Area,
    Neighbourhood,
    Channel,
    Status,
    Signal,
}

impl Metric {
    pub fn code(self) -> &'static str {
        match self {
            Metric::Category => "category",
            Metric::Area => "area",
            Metric::Neighbourhood => "neighbourhood",
            Metric::Channel => "channel",
            Metric::Status => "status",
            Metric::Signal => "signal",
        }
    }
}

/// How much time a counter row covers: one day, or a calendar month (`day` is then its first
/// day). Every report is counted in both: a period reads whole months from the month rows and
/// only its partial months from the day rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Span {
    Day,
    Month,
}

impl Span {
    pub fn code(self) -> &'static str {
        match self {
            Span::Day => "day",
            Span::Month => "month",
        }
    }
}

/// One counter cell a complaint adds 1 to.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Cell {
    Count {
        municipality: String,
        metric: Metric,
        span: Span,
        day: NaiveDate,
        key: String,
    },
    Handling {
        municipality: String,
        span: Span,
        day: NaiveDate,
        category: String,
        days: i32,
        within_term: bool,
    },
}

/// The first day of the month of `day`.
fn month_of(day: NaiveDate) -> NaiveDate {
    day.with_day(1).unwrap_or(day)
}

/// `delta` with each day cell's change also applied to its month cell.
fn with_months(delta: BTreeMap<Cell, i32>) -> BTreeMap<Cell, i32> {
    let mut out = BTreeMap::new();
    for (cell, n) in delta {
        let month = match &cell {
            Cell::Count { municipality, metric, day, key, .. } => Cell::Count {
                municipality: municipality.clone(),
                metric: *metric,
                span: Span::Month,
                day: month_of(*day),
                key: key.clone(),
            },
            Cell::Handling { municipality, day, category, days, within_term, .. } => Cell::Handling {
                municipality: municipality.clone(),
                span: Span::Month,
                day: month_of(*day),
                category: category.clone(),
                days: *days,
                within_term: *within_term,
            },
        };
        *out.entry(cell).or_insert(0) += n;
        *out.entry(month).or_insert(0) += n;
    }
    out
}

/// The cells complaint `c` is counted in, given its property's neighbourhood code.
fn cells(c: &Complaint, neighbourhood: Option<&str>) -> Vec<Cell> {
    if c.merged_into.is_some() {
        return Vec::new();
    }
    let count = |metric, key: &str| Cell::Count {
        municipality: c.municipality_code.clone(),
        metric,
        span: Span::Day,
        day: c.received_on,
        key: key.to_string(),
    };
    let mut out = vec![
        count(Metric::Category, &c.category),
        count(Metric::Area, &postcode_area(c.postcode.as_deref())),
        count(Metric::Channel, c.channel.code()),
        count(Metric::Status, c.status.code()),
    ];
    if let Some(hood) = neighbourhood {
        out.push(count(Metric::Neighbourhood, hood));
    }
    for s in signals_from_text(&c.signals) {
        out.push(count(Metric::Signal, s.code()));
    }
    if let Some(outcome) = c.outcome_on {
        out.push(Cell::Handling {
            municipality: c.municipality_code.clone(),
            span: Span::Day,
            day: outcome,
            category: c.category.clone(),
            days: i32::try_from((outcome - c.received_on).num_days()).unwrap_or(i32::MAX),
            within_term: outcome <= c.due_on,
        });
    }
    out
}

/// Whether two states of a complaint are counted alike whatever their property's neighbourhood
/// (then a save needs no counter work at all: most saves).
fn counted_alike(a: &Complaint, b: &Complaint) -> bool {
    a.municipality_code == b.municipality_code
        && a.merged_into.is_none() == b.merged_into.is_none()
        && a.category == b.category
        && a.postcode == b.postcode
        && a.property_id == b.property_id
        && a.channel == b.channel
        && a.status == b.status
        && a.signals == b.signals
        && a.received_on == b.received_on
        && a.due_on == b.due_on
        && a.outcome_on == b.outcome_on
}

/// The neighbourhood code of the property a complaint is linked to, where known.
fn neighbourhood_of(conn: &mut DbConnection, c: &Complaint) -> QueryResult<Option<String>> {
    let Some(id) = c.property_id.as_deref() else { return Ok(None) };
    Ok(properties::table
        .find(id)
        .select(properties::neighbourhood_code)
        .first::<Option<String>>(conn)
        .optional()?
        .flatten())
}

/// Counts a new complaint.
pub fn on_insert(conn: &mut DbConnection, c: &Complaint) -> QueryResult<()> {
    let hood = neighbourhood_of(conn, c)?;
    let mut delta = BTreeMap::new();
    for cell in cells(c, hood.as_deref()) {
        *delta.entry(cell).or_insert(0) += 1;
    }
    apply(conn, delta)
}

/// Moves the counts of a complaint from its stored state `before` to `after`.
pub fn on_save(conn: &mut DbConnection, before: &Complaint, after: &Complaint) -> QueryResult<()> {
    if counted_alike(before, after) {
        return Ok(());
    }
    let hood_before = neighbourhood_of(conn, before)?;
    let hood_after = match before.property_id == after.property_id {
        true => hood_before.clone(),
        false => neighbourhood_of(conn, after)?,
    };
    let mut delta: BTreeMap<Cell, i32> = BTreeMap::new();
    for cell in cells(before, hood_before.as_deref()) {
        *delta.entry(cell).or_insert(0) -= 1;
    }
    for cell in cells(after, hood_after.as_deref()) {
        *delta.entry(cell).or_insert(0) += 1;
    }
    apply(conn, delta)
}

/// The neighbourhood code of property `property_id` changed from `old` to `new` (or the
/// property was recorded, `old` = `None`): its complaints' neighbourhood counts move along.
pub fn neighbourhood_changed(
    conn: &mut DbConnection,
    property_id: &str,
    old: Option<&str>,
    new: Option<&str>,
) -> QueryResult<()> {
    if old == new {
        return Ok(());
    }
    // On `complaints_by_property_id`: a property has a handful of complaints.
    let linked: Vec<(String, NaiveDate, i64)> = complaints::table
        .filter(complaints::property_id.eq(property_id))
        .filter(complaints::merged_into.is_null())
        .group_by((complaints::municipality_code, complaints::received_on))
        .select((complaints::municipality_code, complaints::received_on, count_star()))
        .load(conn)?;
    let mut delta = BTreeMap::new();
    for (municipality, day, n) in linked {
        let n = i32::try_from(n).unwrap_or(i32::MAX);
        let cell = |key: &str| Cell::Count {
            municipality: municipality.clone(),
            metric: Metric::Neighbourhood,
            span: Span::Day,
            day,
            key: key.to_string(),
        };
        if let Some(o) = old {
            *delta.entry(cell(o)).or_insert(0) -= n;
        }
        if let Some(k) = new {
            *delta.entry(cell(k)).or_insert(0) += n;
        }
    }
    apply(conn, delta)
}

/// Runs `$query.execute(..)` on the connection's own backend: diesel's `MultiConnection` has no
/// `ON CONFLICT`, both backends do.
macro_rules! on_backend {
    ($conn:expr, $query:expr) => {
        match $conn {
            DbConnection::Sqlite(c) => $query.execute(c),
            DbConnection::Postgresql(c) => $query.execute(c),
        }
    };
}

/// Adds each non-zero delta (and its month's) to its counter: one upsert per table, its rows in
/// the cells' order (concurrent writers touch shared counters in one order, so they queue
/// instead of deadlocking).
fn apply(conn: &mut DbConnection, delta: BTreeMap<Cell, i32>) -> QueryResult<()> {
    let (mut counts, mut handled) = (Vec::new(), Vec::new());
    for (cell, n) in with_months(delta).into_iter().filter(|(_, n)| *n != 0) {
        match cell {
            Cell::Count { municipality, metric, span, day, key } => {
                use complaint_stat_counts as t;
                counts.push((
                    t::municipality_code.eq(municipality),
                    t::metric.eq(metric.code()),
                    t::span.eq(span.code()),
                    t::day.eq(day),
                    t::key.eq(key),
                    t::n.eq(n),
                ));
            }
            Cell::Handling { municipality, span, day, category, days, within_term } => {
                use complaint_handling_counts as t;
                handled.push((
                    t::municipality_code.eq(municipality),
                    t::span.eq(span.code()),
                    t::day.eq(day),
                    t::category.eq(category),
                    t::days.eq(days),
                    t::within_term.eq(within_term),
                    t::n.eq(n),
                ));
            }
        }
    }
    if !counts.is_empty() {
        use complaint_stat_counts as t;
        on_backend!(
            conn,
            diesel::insert_into(t::table)
                .values(&counts)
                .on_conflict((t::municipality_code, t::metric, t::span, t::day, t::key))
                .do_update()
                .set(t::n.eq(t::n + excluded(t::n)))
        )?;
    }
    if !handled.is_empty() {
        use complaint_handling_counts as t;
        on_backend!(
            conn,
            diesel::insert_into(t::table)
                .values(&handled)
                .on_conflict((t::municipality_code, t::span, t::day, t::category, t::days, t::within_term))
                .do_update()
                .set(t::n.eq(t::n + excluded(t::n)))
        )?;
    }
    Ok(())
}

/// The statements that recompute every counter from the complaints (and the properties'
/// neighbourhood codes): the back-fill of migration 000140, also run after bulk seeding
/// (`examples/`) and by [`rebuild`].
pub fn rebuild_sql(postgres: bool) -> String {
    let (days, month) = if postgres {
        ("(c.outcome_on - c.received_on)", "CAST(date_trunc('month', day) AS DATE)")
    } else {
        ("CAST(julianday(c.outcome_on) - julianday(c.received_on) AS INTEGER)", "date(day, 'start of month')")
    };
    let signals =
        ExploitationSignal::ALL.iter().map(|s| format!("('{}')", s.code())).collect::<Vec<_>>().join(", ");
    let count = |metric: &str, key: &str| {
        format!(
            "INSERT INTO complaint_stat_counts (municipality_code, metric, span, day, key, n)
                SELECT municipality_code, '{metric}', 'day', received_on, {key}, COUNT(*) FROM complaints
                WHERE merged_into IS NULL GROUP BY municipality_code, received_on, {key};"
        )
    };
    [
        "DELETE FROM complaint_stat_counts; DELETE FROM complaint_handling_counts;".to_string(),
        count("category", "category"),
        count("area", "COALESCE(substr(postcode, 1, 4), 'unknown')"),
        count("channel", "channel"),
        count("status", "status"),
        "INSERT INTO complaint_stat_counts (municipality_code, metric, span, day, key, n)
            SELECT c.municipality_code, 'neighbourhood', 'day', c.received_on, p.neighbourhood_code, COUNT(*)
            FROM complaints c JOIN properties p ON p.id = c.property_id
            WHERE c.merged_into IS NULL AND p.neighbourhood_code IS NOT NULL
            GROUP BY c.municipality_code, c.received_on, p.neighbourhood_code;"
            .to_string(),
        format!(
            "INSERT INTO complaint_stat_counts (municipality_code, metric, span, day, key, n)
                SELECT c.municipality_code, 'signal', 'day', c.received_on, s.column1, COUNT(*)
                FROM complaints c JOIN (VALUES {signals}) AS s ON (' ' || c.signals || ' ') LIKE ('% ' || s.column1 || ' %')
                WHERE c.merged_into IS NULL
                GROUP BY c.municipality_code, c.received_on, s.column1;"
        ),
        format!(
            "INSERT INTO complaint_handling_counts (municipality_code, span, day, category, days, within_term, n)
                SELECT c.municipality_code, 'day', c.outcome_on, c.category, {days}, c.outcome_on <= c.due_on, COUNT(*)
                FROM complaints c WHERE c.merged_into IS NULL AND c.outcome_on IS NOT NULL
                GROUP BY c.municipality_code, c.outcome_on, c.category, {days}, c.outcome_on <= c.due_on;"
        ),
        format!(
            "INSERT INTO complaint_stat_counts (municipality_code, metric, span, day, key, n)
                SELECT municipality_code, metric, 'month', {month}, key, SUM(n) FROM complaint_stat_counts
                WHERE span = 'day' GROUP BY municipality_code, metric, {month}, key;"
        ),
        format!(
            "INSERT INTO complaint_handling_counts (municipality_code, span, day, category, days, within_term, n)
                SELECT municipality_code, 'month', {month}, category, days, within_term, SUM(n) FROM complaint_handling_counts
                WHERE span = 'day' GROUP BY municipality_code, {month}, category, days, within_term;"
        ),
    ]
    .join("\n")
}

/// Recomputes every counter from the complaints (see [`rebuild_sql`]); run it in a transaction.
pub fn rebuild(conn: &mut DbConnection) -> AppResult<()> {
    let postgres = matches!(conn, DbConnection::Postgresql(_));
    conn.batch_execute(&rebuild_sql(postgres))?;
    Ok(())
}

/// The counter rows that cover the days `[from, to]` exactly: the month rows of the whole
/// months within it, and the day rows of the days before and after them.
pub fn ranges(from: NaiveDate, to: NaiveDate) -> Vec<(Span, NaiveDate, NaiveDate)> {
    let first_full = if from.day() == 1 { Some(from) } else { next_month(from) };
    // The last day of the last whole month: `to` itself when it ends a month.
    let last_full_end = match next_month(to).and_then(|n| n.pred_opt()) {
        Some(end) if end == to => Some(to),
        _ => month_of(to).pred_opt(),
    };
    match (first_full, last_full_end) {
        (Some(m0), Some(end)) if m0 <= end => {
            let mut out = Vec::new();
            if from < m0 {
                out.push((Span::Day, from, m0.pred_opt().unwrap_or(from)));
            }
            out.push((Span::Month, m0, month_of(end)));
            if end < to {
                out.push((Span::Day, end.succ_opt().unwrap_or(to), to));
            }
            out
        }
        _ => vec![(Span::Day, from, to)],
    }
}

fn next_month(day: NaiveDate) -> Option<NaiveDate> {
    month_of(day).checked_add_months(chrono::Months::new(1))
}

/// Reports per key of `metric` received in `[from, to]` in the scope, keys ascending, only
/// keys with reports.
pub fn counts(
    conn: &mut DbConnection,
    scope: &Scope,
    metric: Metric,
    from: NaiveDate,
    to: NaiveDate,
) -> AppResult<Vec<(String, i64)>> {
    use complaint_stat_counts as t;
    let mut out: BTreeMap<String, i64> = BTreeMap::new();
    for (span, a, b) in ranges(from, to) {
        let q = t::table
            .filter(t::metric.eq(metric.code()))
            .filter(t::span.eq(span.code()))
            .filter(t::day.ge(a))
            .filter(t::day.le(b))
            .group_by(t::key)
            .select((t::key, sum(t::n)))
            .into_boxed();
        let q = crate::scoped!(q, t::municipality_code, scope);
        let rows: Vec<(String, Option<i64>)> = q.load(conn)?;
        for (k, n) in rows {
            *out.entry(k).or_insert(0) += n.unwrap_or(0);
        }
    }
    Ok(out.into_iter().filter(|(_, n)| *n > 0).collect())
}

/// Handled reports per (category, whole days of handling, within the term) with their outcome
/// in `[from, to]` in the scope.
pub fn handling(
    conn: &mut DbConnection,
    scope: &Scope,
    from: NaiveDate,
    to: NaiveDate,
) -> AppResult<Vec<(String, i32, bool, i64)>> {
    use complaint_handling_counts as t;
    let mut out: BTreeMap<(String, i32, bool), i64> = BTreeMap::new();
    for (span, a, b) in ranges(from, to) {
        let q = t::table
            .filter(t::span.eq(span.code()))
            .filter(t::day.ge(a))
            .filter(t::day.le(b))
            .group_by((t::category, t::days, t::within_term))
            .select((t::category, t::days, t::within_term, sum(t::n)))
            .into_boxed();
        let q = crate::scoped!(q, t::municipality_code, scope);
        let rows: Vec<(String, i32, bool, Option<i64>)> = q.load(conn)?;
        for (c, d, w, n) in rows {
            *out.entry((c, d, w)).or_insert(0) += n.unwrap_or(0);
        }
    }
    Ok(out.into_iter().filter(|(_, n)| *n > 0).map(|((c, d, w), n)| (c, d, w, n)).collect())
}

/// Referrals of complaints per partner referred in `[from, to]` in the scope, partners
/// ascending (on `complaint_referrals_by_day`).
pub fn referrals(
    conn: &mut DbConnection,
    scope: &Scope,
    from: NaiveDate,
    to: NaiveDate,
) -> AppResult<Vec<(String, i64)>> {
    use complaint_referrals as t;
    let q = t::table
        .filter(t::referred_on.ge(from))
        .filter(t::referred_on.le(to))
        .group_by(t::partner)
        .select((t::partner, count_star()))
        .order(t::partner)
        .into_boxed();
    let q = crate::scoped!(q, t::municipality_code, scope);
    let rows: Vec<(crate::domain::complaints::Partner, i64)> = q.load(conn)?;
    Ok(rows.into_iter().map(|(p, n)| (p.code().to_string(), n)).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn a_period_reads_month_rows_for_whole_months_and_day_rows_for_the_rest() {
        assert_eq!(
            ranges(d(2026, 2, 10), d(2026, 5, 5)),
            vec![
                (Span::Day, d(2026, 2, 10), d(2026, 2, 28)),
                (Span::Month, d(2026, 3, 1), d(2026, 4, 1)),
                (Span::Day, d(2026, 5, 1), d(2026, 5, 5)),
            ]
        );
        assert_eq!(
            ranges(d(2026, 1, 1), d(2026, 12, 31)),
            vec![(Span::Month, d(2026, 1, 1), d(2026, 12, 1))]
        );
        assert_eq!(ranges(d(2026, 2, 3), d(2026, 2, 20)), vec![(Span::Day, d(2026, 2, 3), d(2026, 2, 20))]);
        assert_eq!(
            ranges(d(2026, 1, 31), d(2026, 3, 1)),
            vec![
                (Span::Day, d(2026, 1, 31), d(2026, 1, 31)),
                (Span::Month, d(2026, 2, 1), d(2026, 2, 1)),
                (Span::Day, d(2026, 3, 1), d(2026, 3, 1)),
            ]
        );
        assert_eq!(ranges(d(2026, 3, 1), d(2026, 3, 31)), vec![(Span::Month, d(2026, 3, 1), d(2026, 3, 1))]);
    }
}
