//! Putting dated counts into the buckets of a statistics query, and the nearest-rank percentile.
//! Pure helpers shared by the statistics use cases.

use std::collections::BTreeMap;

use chrono::{Datelike, Duration, NaiveDate};

use crate::domain::statistics::{GroupBy, StatPeriod, StatRow, StatTable, StatValue};

/// What a summed measure is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    Count,
    Cents,
}

/// Sums of measures per period bucket and keys; rows come out sorted by `[period, keys…]`.
pub struct Sums {
    group_by: GroupBy,
    units: Vec<Unit>,
    rows: BTreeMap<Vec<String>, Vec<i64>>,
}

impl Sums {
    pub fn new(group_by: GroupBy, units: &[Unit]) -> Self {
        Sums { group_by, units: units.to_vec(), rows: BTreeMap::new() }
    }

    /// Adds `values` (one per unit) to the row of `day`'s bucket and `keys`.
    pub fn add(&mut self, day: NaiveDate, keys: &[&str], values: &[i64]) {
        let mut k = Vec::with_capacity(keys.len() + 1);
        k.push(self.group_by.bucket(day));
        k.extend(keys.iter().map(|s| (*s).to_string()));
        let row = self.rows.entry(k).or_insert_with(|| vec![0; self.units.len()]);
        for (acc, v) in row.iter_mut().zip(values) {
            *acc = acc.saturating_add(*v);
        }
    }

    pub fn into_rows(self) -> Vec<StatRow> {
        let units = self.units;
        self.rows
            .into_iter()
            .map(|(keys, values)| StatRow {
                keys,
                values: values
                    .into_iter()
                    .zip(&units)
                    .map(|(v, u)| match u {
                        Unit::Count => StatValue::Count(v),
                        Unit::Cents => StatValue::Cents(v),
                    })
                    .collect(),
            })
            .collect()
    }
}

/// A table of licensing or enforcement (small counts not suppressed): `period` and `dims`.
pub fn table(
    name: &'static str,
    dims: &[&'static str],
    measures: &[&'static str],
    rows: Vec<StatRow>,
) -> StatTable {
    let mut dimensions = vec!["period"];
    dimensions.extend_from_slice(dims);
    StatTable { name, dimensions, measures: measures.to_vec(), rows, suppress_small_counts: false }
}

/// `part / whole`, or `None` when `whole` is 0.
pub fn share(part: i64, whole: i64) -> Option<f64> {
    // Counts of items: far below 2^52, exact as f64.
    #[allow(clippy::cast_precision_loss)]
    (whole > 0).then(|| part as f64 / whole as f64)
}

/// The nearest-rank percentile (`p` in 0..=1) of whole-day values given as `(days, how many)`:
/// the smallest value such that at least `p` of all items are at or below it (rank
/// `ceil(p × n)`, at least 1). `None` when there are no items.
pub fn nearest_rank(values: &[(i64, i64)], p: f64) -> Option<f64> {
    let mut sorted: Vec<(i64, i64)> = values.iter().copied().filter(|(_, n)| *n > 0).collect();
    sorted.sort_unstable();
    let total: i64 = sorted.iter().map(|(_, n)| n).sum();
    if total == 0 {
        return None;
    }
    // Whole numbers of items: the product is exact enough for any realistic count.
    #[allow(clippy::cast_precision_loss, clippy::cast_possible_truncation)]
    let rank = ((p * total as f64).ceil() as i64).clamp(1, total);
    let mut seen = 0;
    for (days, n) in sorted {
        seen += n;
        if seen >= rank {
            #[allow(clippy::cast_precision_loss)]
            return Some(days as f64);
        }
    }
    None
}

/// The last day of the bucket `day` falls in.
pub fn bucket_end(group_by: GroupBy, day: NaiveDate) -> NaiveDate {
    let (y, last_month) = match group_by {
        GroupBy::Month => (day.year(), day.month()),
        GroupBy::Quarter => (day.year(), ((day.month() - 1) / 3 + 1) * 3),
        GroupBy::Year => (day.year(), 12),
    };
    let next = if last_month == 12 {
        NaiveDate::from_ymd_opt(y.saturating_add(1), 1, 1)
    } else {
        NaiveDate::from_ymd_opt(y, last_month + 1, 1)
    };
    next.and_then(|n| n.checked_sub_signed(Duration::days(1))).unwrap_or(NaiveDate::MAX)
}

/// The day each bucket of the period is measured on: its last day, or the period's end for the
/// last bucket. Earliest first.
pub fn bucket_ends(period: StatPeriod, group_by: GroupBy) -> Vec<NaiveDate> {
    let mut out = Vec::new();
    let mut day = period.from();
    loop {
        let end = bucket_end(group_by, day).min(period.to());
        out.push(end);
        match end.succ_opt() {
            Some(next) if end < period.to() => day = next,
            _ => return out,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn the_nearest_rank_is_the_smallest_value_covering_the_share() {
        assert_eq!(nearest_rank(&[], 0.5), None);
        assert_eq!(nearest_rank(&[(7, 1)], 0.5), Some(7.0));
        // 1, 2, 3, 4: median rank ceil(2) = 2 → 2; p90 rank ceil(3.6) = 4 → 4.
        let v = [(4, 1), (1, 1), (3, 1), (2, 1)];
        assert_eq!(nearest_rank(&v, 0.5), Some(2.0));
        assert_eq!(nearest_rank(&v, 0.9), Some(4.0));
        // 10 ×3, 20 ×2: median rank 3 → 10.
        assert_eq!(nearest_rank(&[(20, 2), (10, 3)], 0.5), Some(10.0));
    }

    #[test]
    fn buckets_end_on_the_last_day_of_month_quarter_and_year() {
        assert_eq!(bucket_end(GroupBy::Month, d(2024, 2, 10)), d(2024, 2, 29));
        assert_eq!(bucket_end(GroupBy::Quarter, d(2026, 11, 3)), d(2026, 12, 31));
        assert_eq!(bucket_end(GroupBy::Quarter, d(2026, 4, 1)), d(2026, 6, 30));
        assert_eq!(bucket_end(GroupBy::Year, d(2026, 4, 1)), d(2026, 12, 31));
        let p = StatPeriod::new(d(2026, 2, 15), d(2026, 8, 10)).unwrap();
        assert_eq!(bucket_ends(p, GroupBy::Quarter), vec![d(2026, 3, 31), d(2026, 6, 30), d(2026, 8, 10)]);
    }

    #[test]
    fn sums_add_up_per_bucket_and_keys_in_order() {
        let mut s = Sums::new(GroupBy::Quarter, &[Unit::Count, Unit::Cents]);
        s.add(d(2026, 5, 1), &["b"], &[1, 100]);
        s.add(d(2026, 1, 1), &["b"], &[2, 5]);
        s.add(d(2026, 6, 1), &["b"], &[1, 1]);
        let rows = s.into_rows();
        assert_eq!(rows[0].keys, vec!["2026-Q1", "b"]);
        assert_eq!(rows[1].values, vec![StatValue::Count(2), StatValue::Cents(101)]);
    }
}
