//! The lapse of the power to fine (Awb 5:45; rules.md §4.5 step 6): 5 years after the violation
//! (5:53 applies to every Wgv fine), the term suspended while an objection or appeal against a
//! fine for the same violation runs, so that a new fine after an annulment stays possible.
//!
//! Any record can supply the suspensions (the fine procedure's own objection state, later an
//! objections register): they are plain date ranges, merged here so that overlapping ranges of
//! different sources are counted once.
//!
// NOTE: the 5-year term is longer than 12 weeks, so the Algemene termijnenwet does not move a
// lapse date that falls on a weekend or public holiday (Atw art. 1 covers terms of at most 12
// weeks; see `awb`).
// NOTE: a suspension counts from the day the objection was lodged up to, not including, the day
// the proceedings ended (the fine became final or was annulled): the term runs again on that
// day. Where that reading is in doubt it gives the earlier lapse date, the safe side for the
// municipality (a fine imposed after the lapse would be annulled).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::domain::awb::FINE_POWER_LAPSE_YEARS;
use crate::domain::calendar::{add_days_sat, add_years_sat};

/// A period in which the 5:45 term stood still: an objection or appeal against a fine for the
/// violation ran from `from` (the day it was lodged) up to, not including, `until` (the day the
/// proceedings ended); `until` is `None` while they still run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub struct LapseSuspension {
    pub from: NaiveDate,
    pub until: Option<NaiveDate>,
}

impl LapseSuspension {
    /// A period that has ended.
    pub fn closed(from: NaiveDate, until: NaiveDate) -> LapseSuspension {
        LapseSuspension { from, until: Some(until) }
    }

    /// A period that still runs.
    pub fn open(from: NaiveDate) -> LapseSuspension {
        LapseSuspension { from, until: None }
    }
}

/// When the power to fine a violation lapses, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub struct PowerLapse {
    /// The violation date + 5 years (Awb 5:45), before any suspension.
    pub unsuspended_on: NaiveDate,
    /// The power lapses on this day (a fine decided on it or later is too late). While a
    /// suspension still runs this is the date if it ended after `as_of`: it only moves later.
    pub lapses_on: NaiveDate,
    /// Days the term stood still (merged periods, only those that began before the lapse).
    pub suspension_days: u32,
    /// An objection or appeal still runs: the term stands still.
    pub suspension_running: bool,
    /// The merged periods that counted, clipped to the violation date.
    pub suspensions: Vec<LapseSuspension>,
}

impl PowerLapse {
    /// Whether a fine decided (or a rapport drawn up) on `on` is too late.
    pub fn lapsed_by(&self, on: NaiveDate) -> bool {
        !self.suspension_running && on >= self.lapses_on
    }
}

/// Sorts the periods and joins those that overlap or touch; an open period swallows every later
/// one. An inverted period (ended before it began) is empty and left out.
pub fn merge_suspensions(periods: &[LapseSuspension]) -> Vec<LapseSuspension> {
    let mut sorted: Vec<LapseSuspension> =
        periods.iter().copied().filter(|p| p.until.is_none_or(|u| u > p.from)).collect();
    sorted.sort_by_key(|p| p.from);
    let mut merged: Vec<LapseSuspension> = Vec::new();
    for p in sorted {
        match merged.last_mut() {
            Some(last) if last.until.is_none_or(|u| p.from <= u) => {
                last.until = match (last.until, p.until) {
                    (Some(a), Some(b)) => Some(a.max(b)),
                    _ => None,
                };
            }
            _ => merged.push(p),
        }
    }
    merged
}

/// The lapse of the power to fine the violation of `violation_date` (Awb 5:45), with the
/// periods in which an objection or appeal against a fine for that violation ran. A period that
/// still runs counts up to and including `as_of` (the day of the check).
///
/// The term runs from the violation; each period that begins before the (so far extended) lapse
/// date stops it for its length; a period that begins on or after that date comes too late: the
/// power had already lapsed and a suspension cannot revive it.
pub fn power_lapse(violation_date: NaiveDate, periods: &[LapseSuspension], as_of: NaiveDate) -> PowerLapse {
    // Awb 5:45: 5 years where 5:53 applies (every Wgv fine is above €340).
    let unsuspended_on = add_years_sat(violation_date, FINE_POWER_LAPSE_YEARS);
    let mut lapses_on = unsuspended_on;
    let mut suspension_days: u32 = 0;
    let mut suspension_running = false;
    let mut counted = Vec::new();
    for p in merge_suspensions(periods) {
        let from = p.from.max(violation_date);
        if from >= lapses_on {
            break;
        }
        // An open period counts through `as_of`.
        let end = p.until.unwrap_or_else(|| add_days_sat(as_of, 1).max(from));
        let days = u32::try_from((end - from).num_days().max(0)).unwrap_or(u32::MAX);
        if days == 0 && p.until.is_some() {
            continue;
        }
        lapses_on = add_days_sat(lapses_on, u64::from(days));
        suspension_days = suspension_days.saturating_add(days);
        counted.push(LapseSuspension { from, until: p.until });
        if p.until.is_none() {
            suspension_running = true;
            break;
        }
    }
    PowerLapse { unsuspended_on, lapses_on, suspension_days, suspension_running, suspensions: counted }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }
    fn closed(a: &str, b: &str) -> LapseSuspension {
        LapseSuspension::closed(d(a), d(b))
    }

    #[test]
    fn without_a_suspension_the_power_lapses_five_years_after_the_violation() {
        let l = power_lapse(d("2023-07-03"), &[], d("2026-01-01"));
        assert_eq!(l.unsuspended_on, d("2028-07-03"));
        assert_eq!(l.lapses_on, d("2028-07-03"));
        assert_eq!(l.suspension_days, 0);
        assert!(!l.suspension_running && l.suspensions.is_empty());
        assert!(!l.lapsed_by(d("2028-07-02")));
        assert!(l.lapsed_by(d("2028-07-03")));
    }

    #[test]
    fn an_objection_across_a_year_end_and_a_leap_day_adds_its_days() {
        // Lodged 1 Aug 2023, annulled 1 Mar 2024: Aug–Dec 2023 = 31+30+31+30+31 = 153 days,
        // Jan + Feb 2024 (leap year) = 31+29 = 60 days: 213 days. 3 Jul 2028 + 213 days =
        // 1 Feb 2029 (Jul 28 left + Aug–Dec 153 + Jan 31 = 212, so the 213th day is 1 Feb).
        let l = power_lapse(d("2023-07-03"), &[closed("2023-08-01", "2024-03-01")], d("2026-01-01"));
        assert_eq!(l.suspension_days, 213);
        assert_eq!(l.lapses_on, d("2029-02-01"));
        assert!(!l.lapsed_by(d("2029-01-31")));
        assert!(l.lapsed_by(d("2029-02-01")));
    }

    #[test]
    fn overlapping_periods_of_two_sources_count_once() {
        // 1 Aug–1 Oct and 1 Sep–1 Nov 2023 together are 1 Aug–1 Nov: 31+30+31 = 92 days, not
        // 61+61 = 122. A period touching the end is joined too; a duplicate changes nothing.
        let periods = [
            closed("2023-09-01", "2023-11-01"),
            closed("2023-08-01", "2023-10-01"),
            closed("2023-08-01", "2023-10-01"),
        ];
        let l = power_lapse(d("2023-07-03"), &periods, d("2026-01-01"));
        assert_eq!(l.suspension_days, 92);
        assert_eq!(l.suspensions, vec![closed("2023-08-01", "2023-11-01")]);
        assert_eq!(l.lapses_on, d("2028-10-03"));
        let touching =
            merge_suspensions(&[closed("2023-08-01", "2023-09-01"), closed("2023-09-01", "2023-09-11")]);
        assert_eq!(touching, vec![closed("2023-08-01", "2023-09-11")]);
    }

    #[test]
    fn a_running_objection_stops_the_term_and_counts_through_today() {
        // Lodged 1 Aug 2023, still running on 10 Aug: 1–10 Aug = 10 days so far.
        let periods = [LapseSuspension::open(d("2023-08-01")), closed("2023-09-01", "2023-10-01")];
        let l = power_lapse(d("2023-07-03"), &periods, d("2023-08-10"));
        assert!(l.suspension_running);
        assert_eq!(l.suspension_days, 10);
        assert_eq!(l.lapses_on, d("2028-07-13"));
        assert_eq!(l.suspensions, vec![LapseSuspension::open(d("2023-08-01"))]);
        // While it runs the power does not lapse, however late.
        assert!(!l.lapsed_by(d("2031-01-01")));
    }

    #[test]
    fn a_period_that_begins_after_the_lapse_cannot_revive_the_power() {
        // Violation 6 Jan 2020: lapses 6 Jan 2025. An objection lodged that day comes too late.
        let late = power_lapse(d("2020-01-06"), &[closed("2025-01-06", "2025-06-01")], d("2025-07-01"));
        assert_eq!(late.lapses_on, d("2025-01-06"));
        assert_eq!(late.suspension_days, 0);
        // One lodged the day before counts: 5–10 Jan = 5 days → 11 Jan 2025.
        let just = power_lapse(d("2020-01-06"), &[closed("2025-01-05", "2025-01-10")], d("2025-07-01"));
        assert_eq!(just.lapses_on, d("2025-01-11"));
    }

    #[test]
    fn a_second_period_after_the_plain_lapse_counts_when_the_first_moved_the_lapse() {
        // 4 Jan–1 Mar 2021 = 56 days: 6 Jan 2025 → 3 Mar 2025. Then 1–11 Feb 2025 (before
        // 3 Mar) = 10 days → 13 Mar 2025.
        let periods = [closed("2021-01-04", "2021-03-01"), closed("2025-02-01", "2025-02-11")];
        let l = power_lapse(d("2020-01-06"), &periods, d("2025-07-01"));
        assert_eq!(l.suspension_days, 66);
        assert_eq!(l.lapses_on, d("2025-03-13"));
    }

    #[test]
    fn a_violation_on_a_leap_day_lapses_on_28_february_and_a_leap_day_suspended_counts() {
        // 29 Feb 2020 + 5 years: 2025 has no 29 Feb, the earlier day (28 Feb) is the safe one.
        let l = power_lapse(d("2020-02-29"), &[], d("2021-01-01"));
        assert_eq!(l.lapses_on, d("2025-02-28"));
        // 28 and 29 Feb 2024 suspended: 2 days → 2 Mar 2025.
        let l = power_lapse(d("2020-02-29"), &[closed("2024-02-28", "2024-03-01")], d("2025-01-01"));
        assert_eq!(l.suspension_days, 2);
        assert_eq!(l.lapses_on, d("2025-03-02"));
    }

    #[test]
    fn a_lapse_on_a_public_holiday_is_not_moved() {
        // 175 days (1 Aug 2023–23 Jan 2024) move 3 Jul 2028 to Monday 25 Dec 2028 (Christmas
        // Day). A 5-year term is no Atw term: it stays.
        let l = power_lapse(d("2023-07-03"), &[closed("2023-08-01", "2024-01-23")], d("2026-01-01"));
        assert_eq!(l.suspension_days, 175);
        assert_eq!(l.lapses_on, d("2028-12-25"));
    }

    #[test]
    fn periods_before_the_violation_or_inverted_do_not_count() {
        let periods = [closed("2023-01-01", "2023-07-01"), closed("2023-09-01", "2023-08-01")];
        let l = power_lapse(d("2023-07-03"), &periods, d("2026-01-01"));
        assert_eq!(l.suspension_days, 0);
        assert_eq!(l.lapses_on, d("2028-07-03"));
        // One that straddles the violation date counts from the violation: 3–13 Jul = 10 days.
        let l = power_lapse(d("2023-07-03"), &[closed("2023-06-01", "2023-07-13")], d("2026-01-01"));
        assert_eq!(l.suspension_days, 10);
    }
}
