//! Statistics for managers and officers (issue #15): the period asked for, how it is grouped,
//! and the shape of an answer — tables of aggregates, never personal data or free text.
//!
//! A statistic is a [`StatTable`]: its dimension columns (always `period` first) and its measure
//! columns, with one [`StatRow`] per combination that occurs. The HTTP layer renders the same
//! tables as JSON or CSV; exports of the meldpunt's tables suppress small counts
//! ([`SMALL_COUNT_LIMIT`]).

pub mod buckets;
pub mod measures;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// Counts of the meldpunt below this number are suppressed in exports so that no reporter can be
/// singled out (issue #15; the CBS practice of not publishing cells of fewer than 5).
pub const SMALL_COUNT_LIMIT: i64 = 5;

/// How the period is divided in the answer's `period` column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GroupBy {
    Month,
    Quarter,
    Year,
}

crate::closed_set!(GroupBy { Month => "month", Quarter => "quarter", Year => "year" });

impl GroupBy {
    /// The label of the bucket a day falls in: `2026-03`, `2026-Q1` or `2026`.
    pub fn bucket(self, day: NaiveDate) -> String {
        match self {
            GroupBy::Month => format!("{:04}-{:02}", day.year(), day.month()),
            GroupBy::Quarter => format!("{:04}-Q{}", day.year(), (day.month() - 1) / 3 + 1),
            GroupBy::Year => format!("{:04}", day.year()),
        }
    }
}

/// A period of whole days, both ends included (`from <= to`, checked by [`StatPeriod::new`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StatPeriod {
    from: NaiveDate,
    to: NaiveDate,
}

impl StatPeriod {
    /// `None` when `to` lies before `from`.
    pub fn new(from: NaiveDate, to: NaiveDate) -> Option<Self> {
        (from <= to).then_some(StatPeriod { from, to })
    }
    pub fn from(&self) -> NaiveDate {
        self.from
    }
    pub fn to(&self) -> NaiveDate {
        self.to
    }
    pub fn contains(&self, day: NaiveDate) -> bool {
        self.from <= day && day <= self.to
    }
}

/// One value of a row.
#[derive(Debug, Clone, PartialEq)]
pub enum StatValue {
    /// A number of items (reports, applications, inspections, …).
    Count(i64),
    /// An amount of money in euro cents.
    Cents(i64),
    /// A number of days (a median or percentile); `None` when there is nothing to measure.
    Days(Option<f64>),
    /// A share between 0 and 1; `None` when the base is empty.
    Share(Option<f64>),
}

/// One row of a statistic: the dimension values (in the order of [`StatTable::dimensions`]) and
/// the measures (in the order of [`StatTable::measures`]).
#[derive(Debug, Clone, PartialEq)]
pub struct StatRow {
    pub keys: Vec<String>,
    pub values: Vec<StatValue>,
}

/// One statistic.
#[derive(Debug, Clone, PartialEq)]
pub struct StatTable {
    /// Stable snake_case name, e.g. `reports_by_category` (documented in docs/statistics.md).
    pub name: &'static str,
    /// Dimension columns; the first is always `period`.
    pub dimensions: Vec<&'static str>,
    /// Measure columns.
    pub measures: Vec<&'static str>,
    pub rows: Vec<StatRow>,
    /// A table of the meldpunt: its counts of 1 to 4 are suppressed in exports.
    pub suppress_small_counts: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn buckets_name_month_quarter_and_year() {
        assert_eq!(GroupBy::Month.bucket(d(2026, 3, 31)), "2026-03");
        assert_eq!(GroupBy::Quarter.bucket(d(2026, 3, 31)), "2026-Q1");
        assert_eq!(GroupBy::Quarter.bucket(d(2026, 4, 1)), "2026-Q2");
        assert_eq!(GroupBy::Quarter.bucket(d(2026, 12, 31)), "2026-Q4");
        assert_eq!(GroupBy::Year.bucket(d(2026, 12, 31)), "2026");
    }

    #[test]
    fn a_period_runs_forward_and_includes_both_ends() {
        assert!(StatPeriod::new(d(2026, 2, 1), d(2026, 1, 31)).is_none());
        let p = StatPeriod::new(d(2026, 1, 1), d(2026, 1, 31)).unwrap();
        assert!(p.contains(d(2026, 1, 1)) && p.contains(d(2026, 1, 31)));
        assert!(!p.contains(d(2026, 2, 1)));
    }
}
