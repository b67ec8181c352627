//! Statistics of the meldpunt (issue #15). See docs/statistics-meldpunt.md for each table's
//! definition. Every table reads the counters kept with the complaint writes
//! (`db::statistics::meldpunt`), one aggregate per period bucket, never the complaints
//! themselves; referrals by partner read `complaint_referrals` on its (municipality, day) index.

use std::collections::BTreeMap;

use crate::db::statistics::meldpunt::{self as counters, Metric};
use crate::domain::code::Code;
use crate::domain::statistics::buckets::{buckets, Bucket};
use crate::domain::statistics::measures::{share, DayHistogram};
use crate::domain::statistics::{StatRow, StatTable, StatValue};
use crate::error::AppResult;
use crate::service::Tx;

use super::StatQuery;

/// The meldpunt's statistics, in the order of the answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MeldpuntTable {
    ReportsByCategory,
    ReportsByArea,
    ReportsByNeighbourhood,
    ReportsByChannel,
    ReportsByStatus,
    Handling,
    ExploitationSignals,
    ReferralsByPartner,
}

crate::closed_set!(MeldpuntTable {
    ReportsByCategory => "reports_by_category",
    ReportsByArea => "reports_by_area",
    ReportsByNeighbourhood => "reports_by_neighbourhood",
    ReportsByChannel => "reports_by_channel",
    ReportsByStatus => "reports_by_status",
    Handling => "handling",
    ExploitationSignals => "exploitation_signals",
    ReferralsByPartner => "referrals_by_partner",
});

/// The category key of the `handling` row over all categories.
pub const ALL_CATEGORIES: &str = "all";

/// Every statistic of the meldpunt for the query's period, in the caller's scope.
pub fn tables(tx: &mut Tx<'_>, query: StatQuery) -> AppResult<Vec<StatTable>> {
    MeldpuntTable::ALL.iter().map(|&t| table(tx, query, t)).collect()
}

/// One statistic of the meldpunt for the query's period, in the caller's scope.
pub fn table(tx: &mut Tx<'_>, query: StatQuery, which: MeldpuntTable) -> AppResult<StatTable> {
    let periods = buckets(query.group_by, query.period);
    let (dimension, rows) = match which {
        MeldpuntTable::ReportsByCategory => ("category", count_rows(tx, &periods, Metric::Category)?),
        MeldpuntTable::ReportsByArea => ("postcode_area", count_rows(tx, &periods, Metric::Area)?),
        MeldpuntTable::ReportsByNeighbourhood => {
            ("neighbourhood", count_rows(tx, &periods, Metric::Neighbourhood)?)
        }
        MeldpuntTable::ReportsByChannel => ("channel", count_rows(tx, &periods, Metric::Channel)?),
        MeldpuntTable::ReportsByStatus => ("status", count_rows(tx, &periods, Metric::Status)?),
        MeldpuntTable::ExploitationSignals => ("signal", count_rows(tx, &periods, Metric::Signal)?),
        MeldpuntTable::ReferralsByPartner => {
            let mut rows = Vec::new();
            for b in &periods {
                for (partner, n) in counters::referrals(tx.conn, &tx.scope, b.from, b.to)? {
                    rows.push(count_row(&b.label, partner, n));
                }
            }
            ("partner", rows)
        }
        MeldpuntTable::Handling => return handling(tx, &periods),
    };
    let measure = if which == MeldpuntTable::ReferralsByPartner { "referrals" } else { "reports" };
    Ok(StatTable {
        name: which.code(),
        dimensions: vec!["period", dimension],
        measures: vec![measure],
        rows: sorted(rows),
        suppress_small_counts: true,
    })
}

fn count_row(period: &str, key: String, n: i64) -> StatRow {
    StatRow { keys: vec![period.to_string(), key], values: vec![StatValue::Count(n)] }
}

/// Reports per key of `metric` in each bucket.
fn count_rows(tx: &mut Tx<'_>, periods: &[Bucket], metric: Metric) -> AppResult<Vec<StatRow>> {
    let mut rows = Vec::new();
    for b in periods {
        for (key, n) in counters::counts(tx.conn, &tx.scope, metric, b.from, b.to)? {
            rows.push(count_row(&b.label, key, n));
        }
    }
    Ok(rows)
}

/// Rows in key order (the period labels sort in time order).
fn sorted(mut rows: Vec<StatRow>) -> Vec<StatRow> {
    rows.sort_by(|a, b| a.keys.cmp(&b.keys));
    rows
}

/// The handling of reports per bucket of their outcome day: per category and over all.
fn handling(tx: &mut Tx<'_>, periods: &[Bucket]) -> AppResult<StatTable> {
    let mut rows = Vec::new();
    for b in periods {
        // category → (histogram of handling days, handled within term)
        let mut per: BTreeMap<String, (DayHistogram, i64)> = BTreeMap::new();
        for (category, days, within_term, n) in counters::handling(tx.conn, &tx.scope, b.from, b.to)? {
            let e = per.entry(category).or_default();
            e.0.add(i64::from(days), n);
            if within_term {
                e.1 += n;
            }
        }
        if per.is_empty() {
            continue;
        }
        let mut all = (DayHistogram::new(), 0);
        for (h, within) in per.values() {
            all.0.merge(h);
            all.1 += within;
        }
        per.insert(ALL_CATEGORIES.to_string(), all);
        for (category, (h, within)) in per {
            let handled = h.total();
            rows.push(StatRow {
                keys: vec![b.label.clone(), category],
                values: vec![
                    StatValue::Count(handled),
                    StatValue::Count(within),
                    StatValue::Share(share(within, handled)),
                    StatValue::Days(h.median()),
                    StatValue::Days(h.percentile(0.9)),
                ],
            });
        }
    }
    Ok(StatTable {
        name: MeldpuntTable::Handling.code(),
        dimensions: vec!["period", "category"],
        measures: vec!["handled", "handled_within_term", "share_within_term", "median_days", "p90_days"],
        rows: sorted(rows),
        suppress_small_counts: true,
    })
}
