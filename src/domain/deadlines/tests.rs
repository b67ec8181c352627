//! Tests of the licence decision clock, the bezwaar term and the dwangsom for a late decision
//! (scenarios 19–24, 51).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::NaiveDate;

use super::late_decision::dwangsom_amount;
use super::*;
use crate::domain::calendar::HolidayCalendar;
use crate::domain::money::Money;
use crate::domain::ruleset::RuleSet;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn clock(submitted: NaiveDate) -> DecisionClock {
    DecisionClock::new(submitted, &RuleSet::default())
}

fn cal() -> HolidayCalendar {
    HolidayCalendar::default()
}

/// The clock of an application received on Mon 3 March 2025, with these suspensions.
fn clock_3_march(suspensions: Vec<Suspension>) -> DecisionClock {
    DecisionClock { suspensions, ..clock(d(2025, 3, 3)) }
}

/// Waiting for the applicant to supplement the application (Awb 4:5).
fn supplement(
    invited_on: NaiveDate,
    respond_by: Option<NaiveDate>,
    supplemented_on: Option<NaiveDate>,
) -> Suspension {
    Suspension::AwaitingSupplement { invited_on, respond_by, supplemented_on }
}

/// Waiting for the LBB's advice requested on 17 March 2025 (with the LBB's extension in weeks).
fn bibob(received_on: Option<NaiveDate>, lbb_extension_weeks: u32) -> Suspension {
    Suspension::BibobAdvice {
        requested_on: d(2025, 3, 17),
        received_on,
        lbb_extension_weeks,
        lbb_suspended_days: 0,
    }
}

#[test]
fn scenario_18_eight_weeks_from_receipt() {
    let c = clock(d(2025, 3, 3));
    assert_eq!(c.due_date(&cal()), Some(d(2025, 4, 28)));
    assert!(!c.is_overdue(d(2025, 4, 28), &cal()));
    assert!(c.is_overdue(d(2025, 4, 29), &cal()));
}

#[test]
fn scenario_19_supplement_suspends_ten_days() {
    let c = clock_3_march(vec![supplement(d(2025, 3, 10), Some(d(2025, 3, 24)), Some(d(2025, 3, 20)))]);
    assert_eq!(c.due_date(&cal()), Some(d(2025, 5, 8)));
}

#[test]
fn scenario_19_while_waiting_the_clock_is_stopped() {
    let c = clock_3_march(vec![supplement(d(2025, 3, 10), Some(d(2025, 3, 24)), None)]);
    assert_eq!(c.due_date(&cal()), None);
    assert!(c.is_suspended(d(2025, 3, 15)));
    // On 15 March the suspension so far is 5 days: 28 April + 5 = 3 May (Sat) → Atw → 6 May
    // (Mon 5 May is Bevrijdingsdag).
    assert_eq!(c.due_date_on(d(2025, 3, 15), &cal()), d(2025, 5, 6));
    // Term lapsed unused on 24 March: 14 days → 12 May.
    assert!(!c.is_suspended(d(2025, 3, 25)));
    assert_eq!(c.due_date_on(d(2025, 6, 1), &cal()), d(2025, 5, 12));
}

#[test]
fn supplement_after_hersteltermijn_counts_only_until_the_term() {
    let c = clock_3_march(vec![supplement(d(2025, 3, 10), Some(d(2025, 3, 24)), Some(d(2025, 4, 1)))]);
    assert_eq!(c.due_date(&cal()), Some(d(2025, 5, 12)));
}

#[test]
fn scenario_20_bibob_advice_suspends_forty_nine_days() {
    let c = clock_3_march(vec![bibob(Some(d(2025, 5, 5)), 0)]);
    assert_eq!(c.due_date(&cal()), Some(d(2025, 6, 16)));
}

#[test]
fn bibob_suspension_is_capped_at_eight_weeks_plus_extension() {
    let mut c = clock_3_march(vec![bibob(Some(d(2025, 8, 1)), 0)]);
    // Capped at 56 days: 28 April + 56 = 23 June (Mon).
    assert_eq!(c.due_date(&cal()), Some(d(2025, 6, 23)));
    // With the LBB's 4-week extension (and a requested 6 counts as 4): 84 days → 21 July.
    c.suspensions[0] = bibob(Some(d(2025, 8, 1)), 6);
    assert_eq!(c.due_date(&cal()), Some(d(2025, 7, 21)));
    // An open Bibob wait ends at the cap even without a received date.
    c.suspensions[0] = bibob(None, 0);
    assert_eq!(c.due_date_on(d(2025, 12, 1), &cal()), d(2025, 6, 23));
}

#[test]
fn overlapping_suspensions_count_once() {
    let mut c = clock_3_march(vec![
        bibob(Some(d(2025, 5, 5)), 0),
        supplement(d(2025, 3, 20), None, Some(d(2025, 3, 30))),
    ]);
    assert_eq!(c.due_date(&cal()), Some(d(2025, 6, 16)));
    // Partly overlapping: supplement until 10 May adds 5 days beyond 5 May → 21 June (Sat)
    // → Atw → Mon 23 June.
    c.suspensions[1] = supplement(d(2025, 3, 20), None, Some(d(2025, 5, 10)));
    assert_eq!(c.due_date(&cal()), Some(d(2025, 6, 23)));
}

#[test]
fn suspension_recorded_before_receipt_counts_from_receipt() {
    let c =
        clock_3_march(vec![Suspension::ApplicantDelay { from: d(2025, 2, 1), until: Some(d(2025, 3, 13)) }]);
    // Only 3 → 13 March counts: 10 days → 8 May.
    assert_eq!(c.due_date(&cal()), Some(d(2025, 5, 8)));
}

#[test]
fn suspension_after_term_expired_does_not_revive_it() {
    let c =
        clock_3_march(vec![Suspension::ApplicantDelay { from: d(2025, 5, 1), until: Some(d(2025, 5, 20)) }]);
    assert_eq!(c.due_date(&cal()), Some(d(2025, 4, 28)));
}

#[test]
fn scenario_22_saturday_kingsday_rolls_to_monday() {
    let c = clock(d(2025, 3, 1));
    assert_eq!(c.due_date(&cal()), Some(d(2025, 4, 28)));
    let no_atw = DecisionClock { apply_atw: false, ..c };
    assert_eq!(no_atw.due_date(&cal()), Some(d(2025, 4, 26)));
}

#[test]
fn extension_adds_weeks_once_and_only_before_expiry() {
    let rules = RuleSet::default();
    let mut c = clock(d(2025, 3, 3));
    assert_eq!(
        c.extend(d(2025, 4, 29), 4, &rules, &cal()),
        Err(ExtensionError::TermAlreadyExpired { due: d(2025, 4, 28) })
    );
    assert_eq!(c.extend(d(2025, 4, 20), 9, &rules, &cal()), Err(ExtensionError::TooLong { max_weeks: 8 }));
    assert_eq!(c.extend(d(2025, 4, 20), 0, &rules, &cal()), Err(ExtensionError::Zero));
    c.extend(d(2025, 4, 28), 4, &rules, &cal()).unwrap();
    // 28 April + 28 days = 26 May (Mon).
    assert_eq!(c.due_date(&cal()), Some(d(2025, 5, 26)));
    assert_eq!(c.extend(d(2025, 5, 1), 1, &rules, &cal()), Err(ExtensionError::AlreadyExtended));
}

#[test]
fn long_extended_term_is_not_rolled_by_atw() {
    // 8 + 6 = 14 weeks > 12 (Atw art. 4): 2025-03-01 + 98 days = Sat 2025-06-07, stays.
    let mut c = clock(d(2025, 3, 1));
    c.extension = Some(Extension { notified_on: d(2025, 4, 1), weeks: 6 });
    assert_eq!(c.due_date(&cal()), Some(d(2025, 6, 7)));
}

#[test]
fn clock_round_trips_through_json() {
    let c = clock_3_march(vec![bibob(Some(d(2025, 5, 5)), 0)]);
    let json = serde_json::to_string(&c).unwrap();
    assert!(json.contains("\"kind\":\"bibob_advice\""));
    let back: DecisionClock = serde_json::from_str(&json).unwrap();
    assert_eq!(back, c);
}

#[test]
fn objection_period_is_six_weeks_from_the_day_after() {
    // Notified Mon 2025-04-07 → Mon 2025-05-19 (same counting as scenario 51).
    assert_eq!(objection_period_end(d(2025, 4, 7), 6, &cal()), d(2025, 5, 19));
    // Notified Fri 2025-11-14 → 26 Dec (2e Kerstdag, Fri) → Mon 2025-12-29.
    assert_eq!(objection_period_end(d(2025, 11, 14), 6, &cal()), d(2025, 12, 29));
}

#[test]
fn scenario_24_dwangsom_fourteen_days_is_280_euro() {
    let p = late_decision_penalty(d(2025, 4, 28), d(2025, 5, 6), Some(d(2025, 6, 3)), d(2025, 6, 3)).unwrap();
    assert_eq!(p.first_day, d(2025, 5, 20));
    assert_eq!(p.days, 14);
    assert_eq!(p.last_day, Some(d(2025, 6, 2)));
    assert_eq!(p.amount.cents(), 28_000);
    assert!(!p.maximum_reached);
    assert_eq!(p.fix_by, Some(d(2025, 6, 16)));
}

#[test]
fn dwangsom_tiers_and_maximum() {
    assert_eq!(dwangsom_amount(0).cents(), 0);
    assert_eq!(dwangsom_amount(15).cents(), 28_000 + 3_000);
    assert_eq!(dwangsom_amount(29).cents(), 28_000 + 42_000 + 4_000);
    assert_eq!(dwangsom_amount(42).cents(), 126_000);
    assert_eq!(dwangsom_amount(1000).cents(), 126_000);
    let p = late_decision_penalty(d(2025, 4, 28), d(2025, 5, 6), None, d(2025, 12, 31)).unwrap();
    assert_eq!(p.days, 42);
    assert!(p.maximum_reached);
    assert_eq!(p.amount.cents(), 126_000);
    assert_eq!(p.last_day, Some(d(2025, 6, 30)));
    assert_eq!(p.fix_by, Some(d(2025, 7, 14)));
}

#[test]
fn dwangsom_not_due_when_decided_in_grace_period_or_notice_premature() {
    let p =
        late_decision_penalty(d(2025, 4, 28), d(2025, 5, 6), Some(d(2025, 5, 15)), d(2025, 5, 15)).unwrap();
    assert_eq!(p.days, 0);
    assert_eq!(p.amount, Money::ZERO);
    assert_eq!(p.fix_by, None);
    assert_eq!(
        late_decision_penalty(d(2025, 4, 28), d(2025, 4, 28), None, d(2025, 6, 1)),
        Err(DwangsomError::PrematureNoticeOfDefault { due: d(2025, 4, 28) })
    );
}

#[test]
fn extreme_dates_do_not_panic() {
    let mut c = DecisionClock {
        submitted_on: NaiveDate::MAX,
        term_weeks: u32::MAX,
        suspensions: vec![Suspension::ApplicantDelay { from: NaiveDate::MIN, until: Some(NaiveDate::MAX) }],
        extension: Some(Extension { notified_on: NaiveDate::MIN, weeks: u32::MAX }),
        apply_atw: true,
    };
    let _ = c.due_date(&cal());
    let _ = c.is_overdue(NaiveDate::MAX, &cal());
    c.submitted_on = NaiveDate::MIN;
    let _ = c.due_date_on(NaiveDate::MIN, &cal());
    let _ = late_decision_penalty(NaiveDate::MIN, NaiveDate::MAX, None, NaiveDate::MIN);
    let _ = objection_period_end(NaiveDate::MAX, u32::MAX, &cal());
}
