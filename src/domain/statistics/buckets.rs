//! The buckets of a period: the stretches of whole days that share a `period` label, so that a
//! statistic can be aggregated bucket by bucket (each bucket a range of days).

use chrono::{Datelike, NaiveDate};

use super::{GroupBy, StatPeriod};

/// One bucket: its label ([`GroupBy::bucket`]) and its days within the period, both included.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bucket {
    pub label: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
}

/// The first day after the bucket `day` falls in.
fn next_bucket_start(group_by: GroupBy, day: NaiveDate) -> Option<NaiveDate> {
    let (y, m) = (day.year(), day.month());
    let (y, m) = match group_by {
        GroupBy::Month if m == 12 => (y + 1, 1),
        GroupBy::Month => (y, m + 1),
        GroupBy::Quarter if m >= 10 => (y + 1, 1),
        GroupBy::Quarter => (y, (m - 1) / 3 * 3 + 4),
        GroupBy::Year => (y + 1, 1),
    };
    NaiveDate::from_ymd_opt(y, m, 1)
}

/// The buckets of `period` in order, the first and last cut to the period.
pub fn buckets(group_by: GroupBy, period: StatPeriod) -> Vec<Bucket> {
    let mut out = Vec::new();
    let mut start = period.from();
    loop {
        let next = next_bucket_start(group_by, start);
        let end = next.and_then(|n| n.pred_opt()).map_or(period.to(), |e| e.min(period.to()));
        out.push(Bucket { label: group_by.bucket(start), from: start, to: end });
        match next {
            Some(n) if n <= period.to() => start = n,
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
    fn quarters_of_a_period_are_cut_to_its_ends() {
        let p = StatPeriod::new(d(2025, 11, 15), d(2026, 4, 2)).unwrap();
        let b = buckets(GroupBy::Quarter, p);
        let got: Vec<_> = b.iter().map(|b| (b.label.as_str(), b.from, b.to)).collect();
        assert_eq!(
            got,
            vec![
                ("2025-Q4", d(2025, 11, 15), d(2025, 12, 31)),
                ("2026-Q1", d(2026, 1, 1), d(2026, 3, 31)),
                ("2026-Q2", d(2026, 4, 1), d(2026, 4, 2)),
            ]
        );
    }

    #[test]
    fn months_and_years_cover_every_day_once() {
        let p = StatPeriod::new(d(2024, 1, 31), d(2026, 12, 31)).unwrap();
        let months = buckets(GroupBy::Month, p);
        assert_eq!(months.len(), 36);
        assert_eq!(months[1].label, "2024-02");
        assert_eq!((months[1].from, months[1].to), (d(2024, 2, 1), d(2024, 2, 29)));
        for w in months.windows(2) {
            assert_eq!(w[0].to.succ_opt(), Some(w[1].from));
        }
        let years = buckets(GroupBy::Year, p);
        assert_eq!(years.iter().map(|b| b.label.as_str()).collect::<Vec<_>>(), ["2024", "2025", "2026"]);
        let one_day = StatPeriod::new(d(2026, 5, 5), d(2026, 5, 5)).unwrap();
        assert_eq!(
            buckets(GroupBy::Year, one_day),
            vec![Bucket { label: "2026".into(), from: d(2026, 5, 5), to: d(2026, 5, 5) }]
        );
    }
}
