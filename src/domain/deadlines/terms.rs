//! Two terms around a licence application that the municipality must watch: the term to make
//! known the decision not to consider an incomplete application (Awb 4:5 lid 4) and the term of
//! the Landelijk Bureau Bibob for its advice (Wet Bibob art. 15). Both are statutory terms of at
//! most twelve weeks, so the Algemene termijnenwet rolls them forward (Atw art. 1, 4; rules.md
//! §2.7, §2.8).
//!
// NOTE: how the LBB advice term relates to the decision term. Wet Bibob art. 31 suspends the
// decision term from the request until the advice is received, capped at the art. 15 term (8
// weeks, plus the LBB's own suspension for missing data, art. 15 lid 2) plus its one extension
// (art. 15 lid 3). `DecisionClock` keeps that cap as plain counting (`requested_on` + the term,
// no Atw), as it did before. `lbb_advice_due_on` below is the same raw end rolled forward per the
// Atw, because art. 15 is a statutory term of at most 12 weeks (8 + 4) and the Atw lets the Bureau
// advise on the next working day. So the two dates are equal unless the raw end falls on a
// Saturday, Sunday or holiday; then the advice is still on time for a few days after the
// decision term has resumed running (at most the length of the roll, e.g. a Christmas weekend).
// Whether art. 31 caps the suspension at the rolled date is for the jurist (rules.md §6 q. 8).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::domain::calendar::{add_days_sat, HolidayCalendar, TermLength};

/// Wet Bibob art. 15 lid 1: the LBB advises "as soon as possible, at the latest within 8 weeks"
/// of the request `[LAW-READ 2015]` [S22] (rules.md §2.8). Art. 31 caps the suspension of the
/// decision term at this term.
pub const BIBOB_ADVICE_TERM_WEEKS: u32 = 8;
/// [`BIBOB_ADVICE_TERM_WEEKS`] in days ("n weeks" = 7n days, scenarios.md conventions).
pub const BIBOB_ADVICE_TERM_DAYS: i64 = BIBOB_ADVICE_TERM_WEEKS as i64 * 7;
/// Wet Bibob art. 15 lid 3: the LBB may extend its term once by at most 4 weeks
/// `[LAW-READ 2015]` [S22].
pub const BIBOB_MAX_EXTENSION_WEEKS: u32 = 4;
/// Awb 4:5 lid 4: the decision not to consider an application is made known within 4 weeks
/// after the application was supplemented or the term to supplement it lapsed unused
/// `[LAW-READ 2015]` [S21] (rules.md §2.7).
pub const NOT_CONSIDERED_WEEKS: u32 = 4;

/// The last day to make known the decision not to consider an application whose hersteltermijn
/// (`respond_by`, its last day) lapsed unused: Awb 4:5 lid 4, 4 weeks starting the day after
/// `respond_by`, extended by the Atw (art. 1; 4 weeks ≤ 12, art. 4).
///
/// Only the lapse is covered: after a supplement the system cannot know whether it is still
/// incomplete, and the application leaves `incomplete` (a new request starts a new term).
pub fn not_considered_due_on(respond_by: NaiveDate, cal: &HolidayCalendar) -> NaiveDate {
    let first_day = add_days_sat(respond_by, 1);
    let raw_end = add_days_sat(respond_by, u64::from(NOT_CONSIDERED_WEEKS) * 7);
    cal.term_end(first_day, raw_end, TermLength::Weeks(NOT_CONSIDERED_WEEKS))
}

/// The day the LBB advice is due: 8 weeks after the request (art. 15 lid 1), later by the
/// notified extension (art. 15 lid 3; values above 4 weeks count as 4) and by the days the LBB's
/// term was suspended for missing data (art. 15 lid 2), extended by the Atw (at most 12 weeks).
/// The raw end is the cap of the art. 31 suspension in `DecisionClock` (see the NOTE above).
pub fn lbb_advice_due_on(
    requested_on: NaiveDate,
    extension_weeks: u32,
    suspended_days: u32,
    cal: &HolidayCalendar,
) -> NaiveDate {
    let weeks = BIBOB_ADVICE_TERM_WEEKS.saturating_add(extension_weeks.min(BIBOB_MAX_EXTENSION_WEEKS));
    let days = u64::from(weeks).saturating_mul(7).saturating_add(u64::from(suspended_days));
    let raw_end = add_days_sat(requested_on, days);
    cal.term_end(add_days_sat(requested_on, 1), raw_end, TermLength::Weeks(weeks))
}

/// The advice is overdue on `today`: its due day has passed and none was received.
pub fn lbb_advice_overdue(due_on: NaiveDate, received_on: Option<NaiveDate>, today: NaiveDate) -> bool {
    received_on.is_none() && today > due_on
}

/// A deadline of the licensing dashboard.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LicensingDeadlineKind {
    /// The decision on the application (Awb 4:13, with suspensions, extension and Atw).
    Decision,
    /// Making known the decision not to consider an incomplete application (Awb 4:5 lid 4).
    NotConsideredDecision,
}

crate::closed_set!(LicensingDeadlineKind {
    Decision => "decision",
    NotConsideredDecision => "not_considered_decision",
});

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn cal() -> HolidayCalendar {
        HolidayCalendar::default()
    }

    #[test]
    fn not_considered_four_weeks_after_an_ordinary_lapse() {
        // Term lapsed Tuesday 2025-02-04; 4 weeks from 5 Feb end Tuesday 2025-03-04.
        assert_eq!(not_considered_due_on(d(2025, 2, 4), &cal()), d(2025, 3, 4));
    }

    #[test]
    fn not_considered_landing_on_kings_day_rolls_to_monday() {
        // Lapse Saturday 2025-03-29; + 28 days = Saturday 2025-04-26 (Koningsdag 2025, because
        // 27 April is a Sunday), then Sunday 27 April → Monday 2025-04-28.
        assert_eq!(not_considered_due_on(d(2025, 3, 29), &cal()), d(2025, 4, 28));
    }

    #[test]
    fn not_considered_landing_on_second_christmas_day_across_the_year_end() {
        // Lapse Friday 2026-11-27; + 28 days = Friday 2026-12-25 (Eerste Kerstdag), 26 Dec is
        // Saturday (Tweede Kerstdag), 27 Dec Sunday → Monday 2026-12-28.
        assert_eq!(not_considered_due_on(d(2026, 11, 27), &cal()), d(2026, 12, 28));
        // Lapse Thursday 2025-12-04 → Thursday 2026-01-01 (Nieuwjaar) → Friday 2026-01-02.
        assert_eq!(not_considered_due_on(d(2025, 12, 4), &cal()), d(2026, 1, 2));
    }

    #[test]
    fn lbb_advice_eight_weeks_after_the_request() {
        // Scenario 20: requested Monday 2025-03-17 → Monday 2025-05-12.
        assert_eq!(lbb_advice_due_on(d(2025, 3, 17), 0, 0, &cal()), d(2025, 5, 12));
    }

    #[test]
    fn lbb_extension_adds_at_most_four_weeks() {
        // Requested 2025-03-17, extended by 4 weeks → 12 weeks → Monday 2025-06-09 is Tweede
        // Pinksterdag 2025 (Easter 20 April + 50) → Tuesday 2025-06-10.
        assert_eq!(lbb_advice_due_on(d(2025, 3, 17), 4, 0, &cal()), d(2025, 6, 10));
        // A notice of more than 4 weeks counts as 4 (art. 15 lid 3).
        assert_eq!(lbb_advice_due_on(d(2025, 3, 17), 6, 0, &cal()), d(2025, 6, 10));
        // 2 weeks: Monday 2025-05-26.
        assert_eq!(lbb_advice_due_on(d(2025, 3, 17), 2, 0, &cal()), d(2025, 5, 26));
    }

    #[test]
    fn lbb_advice_across_the_year_end_on_new_years_day() {
        // Requested Thursday 2025-11-06 → 8 weeks = Thursday 2026-01-01 (Nieuwjaar) → 2026-01-02.
        assert_eq!(lbb_advice_due_on(d(2025, 11, 6), 0, 0, &cal()), d(2026, 1, 2));
    }

    #[test]
    fn lbb_suspension_for_missing_data_moves_the_due_day() {
        // Art. 15 lid 2: 3 days of suspension → Thursday 2025-05-15.
        assert_eq!(lbb_advice_due_on(d(2025, 3, 17), 0, 3, &cal()), d(2025, 5, 15));
    }

    #[test]
    fn lbb_overdue_only_after_the_due_day_and_without_advice() {
        let due = d(2025, 5, 12);
        assert!(!lbb_advice_overdue(due, None, due));
        assert!(lbb_advice_overdue(due, None, d(2025, 5, 13)));
        assert!(!lbb_advice_overdue(due, Some(d(2025, 5, 13)), d(2025, 5, 14)));
    }
}
