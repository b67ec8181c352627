//! The measures of a statistic computed from counts: the nearest-rank percentile of a histogram
//! of whole days (median and 90th percentile), a share, and the postcode area a report is
//! counted under.
//!
//! Nearest rank (the definition used throughout issue #15's statistics): of `n` values sorted
//! ascending, the `p`-th percentile is the value at position `ceil(p × n)` (1-based, at least
//! 1). The median is the 50th percentile by that rule, so of an even number of values it is the
//! lower of the two middle ones: always a day that occurred, never an average of two.

use std::collections::BTreeMap;

/// Counts per whole number of days (e.g. handling time): `days → number of items`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DayHistogram {
    counts: BTreeMap<i64, i64>,
}

impl DayHistogram {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds `n` items of `days` days (a negative `n` is ignored).
    pub fn add(&mut self, days: i64, n: i64) {
        if n > 0 {
            *self.counts.entry(days).or_insert(0) += n;
        }
    }

    /// Adds every count of `other`.
    pub fn merge(&mut self, other: &DayHistogram) {
        for (&d, &n) in &other.counts {
            self.add(d, n);
        }
    }

    /// The number of items.
    pub fn total(&self) -> i64 {
        self.counts.values().sum()
    }

    /// The nearest-rank `p`-th percentile (`0 < p <= 1`); `None` without items.
    pub fn percentile(&self, p: f64) -> Option<f64> {
        let total = self.total();
        if total == 0 {
            return None;
        }
        // ceil(p × n) in integers: p is given in whole per mille to avoid float rounding at
        // exact ranks (0.9 × 10 = 9.000000000000002 would otherwise give rank 10).
        let per_mille = (p.clamp(0.0, 1.0) * 1000.0).round() as i64;
        let rank = ((per_mille * total + 999) / 1000).max(1);
        let mut seen = 0;
        for (&days, &n) in &self.counts {
            seen += n;
            if seen >= rank {
                return Some(days as f64);
            }
        }
        self.counts.keys().next_back().map(|&d| d as f64)
    }

    /// The nearest-rank median (50th percentile).
    pub fn median(&self) -> Option<f64> {
        self.percentile(0.5)
    }
}

/// `part / whole` between 0 and 1; `None` when `whole` is 0.
pub fn share(part: i64, whole: i64) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

/// The area a report is counted under: the four digits of its postcode (`3011` of `3011AB`; a
/// stored postcode is always the compact form of a valid one), or `unknown` when it has none.
/// The same as SQL's `COALESCE(substr(postcode, 1, 4), 'unknown')` of the back-fill.
pub fn postcode_area(postcode: Option<&str>) -> String {
    match postcode {
        Some(p) => p.chars().take(4).collect(),
        None => UNKNOWN_AREA.to_string(),
    }
}

/// The area key of a report without a postcode.
pub const UNKNOWN_AREA: &str = "unknown";

#[cfg(test)]
mod tests {
    use super::*;

    fn hist(values: &[i64]) -> DayHistogram {
        let mut h = DayHistogram::new();
        for &v in values {
            h.add(v, 1);
        }
        h
    }

    #[test]
    fn the_median_is_the_lower_middle_day_by_nearest_rank() {
        assert_eq!(hist(&[]).median(), None);
        assert_eq!(hist(&[7]).median(), Some(7.0));
        assert_eq!(hist(&[3, 1, 2]).median(), Some(2.0));
        // Four values: rank ceil(0.5 × 4) = 2, the second smallest.
        assert_eq!(hist(&[10, 1, 4, 30]).median(), Some(4.0));
    }

    #[test]
    fn the_90th_percentile_takes_rank_ceil_of_nine_tenths() {
        // Ten values 1..=10: rank 9 exactly (not 10 through float rounding).
        assert_eq!(hist(&(1..=10).collect::<Vec<_>>()).percentile(0.9), Some(9.0));
        // Eleven values: rank ceil(9.9) = 10.
        assert_eq!(hist(&(1..=11).collect::<Vec<_>>()).percentile(0.9), Some(10.0));
        // Counts are weights: 9 items of 2 days and one of 40 days.
        let mut h = DayHistogram::new();
        h.add(2, 9);
        h.add(40, 1);
        assert_eq!(h.percentile(0.9), Some(2.0));
        assert_eq!(h.percentile(1.0), Some(40.0));
        assert_eq!(h.total(), 10);
    }

    #[test]
    fn merging_histograms_adds_their_counts_and_ignores_negative_ones() {
        let mut a = hist(&[1, 2]);
        a.add(5, -3);
        a.merge(&hist(&[2, 9]));
        assert_eq!(a.total(), 4);
        assert_eq!(a.median(), Some(2.0));
    }

    #[test]
    fn a_share_is_undefined_without_a_base() {
        assert_eq!(share(0, 0), None);
        assert_eq!(share(3, 4), Some(0.75));
    }

    #[test]
    fn the_area_is_the_four_postcode_digits_or_unknown() {
        assert_eq!(postcode_area(Some("3011AB")), "3011");
        assert_eq!(postcode_area(None), "unknown");
    }
}
