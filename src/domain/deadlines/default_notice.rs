//! After a notice of default (ingebrekestelling, Awb 4:17): what the application shows (the
//! running dwangsom with its day rate, whether it still runs, the date by which its amount must
//! be fixed), the grounds on which no dwangsom is due (Awb 4:17 lid 6) and the check of the
//! amount fixed by beschikking (Awb 4:18).
//!
// NOTE: Algemene termijnenwet and the two 2-week terms (our reading, to be confirmed by a jurist):
// * Awb 4:17 lid 2, "the day on which two weeks have passed" after receipt of the notice, is not
//   rolled. The Atw (art. 1) extends a statutory term within which something must be done; this
//   fortnight is no term for an act of anyone but the moment from which a sum accrues per
//   calendar day (lid 1: "voor elke dag"), weekends and holidays included. So the first dwangsom
//   day may be a Saturday or a public holiday, and every later day counts.
// * Awb 4:18, "within two weeks after the last day" the authority fixes the amount by
//   beschikking: a statutory term of at most 12 weeks within which the authority must act, so
//   the Atw applies and a last day on a Saturday, Sunday or public holiday moves to the next
//   working day (the same reading as the decision term of Awb 4:13, which the clock rolls too).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::domain::awb::{
    DWANGSOM_FIX_WITHIN_DAYS, DWANGSOM_MAX_DAYS, DWANGSOM_TIER1_CENTS, DWANGSOM_TIER2_CENTS,
    DWANGSOM_TIER3_CENTS, DWANGSOM_TIER_DAYS,
};
use crate::domain::calendar::{add_days_signed, AtwRoll};
use crate::domain::money::Money;

use super::late_decision::{dwangsom_amount, late_decision_penalty, DwangsomError, LateDecisionPenalty};

/// Why no dwangsom for a late decision is due (Awb 4:17 lid 6; rules.md §2.7).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NoPenaltyGround {
    /// The notice of default was given unreasonably late after the term lapsed (lid 6 a).
    NoticeUnreasonablyLate,
    /// The applicant is not an interested party (belanghebbende) (lid 6 b).
    NotInterestedParty,
    /// The application is clearly inadmissible or clearly unfounded (lid 6 c).
    ClearlyInadmissibleOrUnfounded,
}
crate::closed_set!(NoPenaltyGround {
    NoticeUnreasonablyLate => "notice_unreasonably_late",
    NotInterestedParty => "not_interested_party",
    ClearlyInadmissibleOrUnfounded => "clearly_inadmissible_or_unfounded",
});

/// Most a dwangsom for a late decision can come to: 42 days (Awb 4:17 lid 1) at the rates of
/// lid 2 (14 × €20 + 14 × €30 + 14 × €40 = €1,260).
pub fn maximum_amount() -> Money {
    dwangsom_amount(DWANGSOM_MAX_DAYS)
}

/// The rate of dwangsom day `day` (1-based): €20 for days 1–14, €30 for 15–28, €40 from day 29
/// (Awb 4:17 lid 2). Day 0 (nothing accrued yet) has the first rate.
pub fn day_rate(day: u32) -> Money {
    let day = i64::from(day);
    let cents = if day <= DWANGSOM_TIER_DAYS {
        DWANGSOM_TIER1_CENTS
    } else if day <= 2 * DWANGSOM_TIER_DAYS {
        DWANGSOM_TIER2_CENTS
    } else {
        DWANGSOM_TIER3_CENTS
    };
    Money::from_cents(cents).unwrap_or(Money::ZERO)
}

/// The dwangsom as the application shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PenaltyStatus {
    pub penalty: LateDecisionPenalty,
    /// The rate of the last day counted (or of the first day while nothing accrued yet).
    pub day_rate: Money,
    /// Still running: undecided and under the 42-day maximum.
    pub running: bool,
    /// Last day to fix the amount by beschikking (Awb 4:18, Atw roll). While the dwangsom runs:
    /// the latest this can become (the maximum reached). `None` when it stopped before its first
    /// day (nothing is due).
    pub fix_by: Option<NaiveDate>,
}

/// The dwangsom for a late decision on `today`, as [`late_decision_penalty`] counts it, with
/// the day rate, whether it still runs and the fix-by date of Awb 4:18 rolled per the Atw.
pub fn penalty_status(
    due: NaiveDate,
    notice_received_on: NaiveDate,
    decided_on: Option<NaiveDate>,
    today: NaiveDate,
    atw: &dyn AtwRoll,
) -> Result<PenaltyStatus, DwangsomError> {
    let penalty = late_decision_penalty(due, notice_received_on, decided_on, today)?;
    let running = decided_on.is_none() && !penalty.maximum_reached;
    let last_day = if running {
        // The latest last day: the 42nd day (Awb 4:17 lid 1).
        Some(add_days_signed(penalty.first_day, DWANGSOM_MAX_DAYS - 1))
    } else {
        penalty.last_day
    };
    let fix_by = last_day.map(|l| atw.roll_forward(add_days_signed(l, DWANGSOM_FIX_WITHIN_DAYS)));
    Ok(PenaltyStatus { day_rate: day_rate(penalty.days), running, fix_by, penalty })
}

/// Why an amount fixed by beschikking is not accepted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FixedAmountError {
    #[error("is above the statutory maximum of {maximum} (Awb 4:17 lid 1)")]
    AboveMaximum { maximum: Money },
    #[error("differs from the computed {computed}; give a deviation_motivation")]
    DeviationWithoutMotivation { computed: Money },
}

/// The amount fixed by beschikking (Awb 4:18) must equal the computed dwangsom, or differ from
/// it with a recorded motivation (e.g. the decision was sent on another day than recorded); it
/// can never exceed the statutory maximum.
pub fn check_fixed_amount(
    computed: Money,
    fixed: Money,
    deviation_motivation: Option<&str>,
) -> Result<(), FixedAmountError> {
    let maximum = maximum_amount();
    if fixed.cents() > maximum.cents() {
        return Err(FixedAmountError::AboveMaximum { maximum });
    }
    let motivated = deviation_motivation.is_some_and(|m| !m.trim().is_empty());
    if fixed != computed && !motivated {
        return Err(FixedAmountError::DeviationWithoutMotivation { computed });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;
    use crate::domain::calendar::HolidayCalendar;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn euros(e: i64) -> Money {
        Money::from_euros(e).unwrap()
    }

    #[test]
    fn day_rates_follow_the_three_steps_of_lid_2() {
        let rates: Vec<i64> = [0, 1, 14, 15, 28, 29, 42].iter().map(|d| day_rate(*d).cents()).collect();
        assert_eq!(rates, vec![2_000, 2_000, 2_000, 3_000, 3_000, 4_000, 4_000]);
        assert_eq!(maximum_amount(), euros(1_260));
    }

    #[test]
    fn while_running_the_fix_by_date_is_the_latest_it_can_become() {
        // Due Mon 28 Apr 2025, notice Tue 6 May → first day Tue 20 May (two weeks, 4:17 lid 2).
        // On 10 June, undecided: 21 days (20 May–9 June), 14 × €20 + 7 × €30 = €490, now €30/day.
        // The 42nd day would be Mon 30 June; + 14 days = Mon 14 July (a working day).
        let s =
            penalty_status(d(2025, 4, 28), d(2025, 5, 6), None, d(2025, 6, 10), &HolidayCalendar::default())
                .unwrap();
        assert!(s.running);
        assert_eq!(s.penalty.first_day, d(2025, 5, 20));
        assert_eq!(s.penalty.days, 21);
        assert_eq!(s.penalty.last_day, Some(d(2025, 6, 9)));
        assert_eq!(s.penalty.amount, euros(490));
        assert_eq!(s.day_rate, euros(30));
        assert_eq!(s.fix_by, Some(d(2025, 7, 14)));
    }

    #[test]
    fn fix_by_on_kings_day_rolls_to_the_next_working_day() {
        // Due Mon 2 Mar 2026, notice Tue 10 Mar → first day Tue 24 Mar. Decided Tue 14 Apr: the
        // decision day does not count, so 21 days (24 Mar–13 Apr), €490. Last day 13 Apr + 14
        // days = Mon 27 Apr 2026, Koningsdag → the Atw moves it to Tue 28 Apr.
        let s = penalty_status(
            d(2026, 3, 2),
            d(2026, 3, 10),
            Some(d(2026, 4, 14)),
            d(2026, 5, 1),
            &HolidayCalendar::default(),
        )
        .unwrap();
        assert!(!s.running);
        assert_eq!(s.penalty.days, 21);
        assert_eq!(s.penalty.last_day, Some(d(2026, 4, 13)));
        assert_eq!(s.penalty.amount, euros(490));
        assert_eq!(s.fix_by, Some(d(2026, 4, 28)));
    }

    #[test]
    fn fix_by_on_new_years_day_rolls_into_the_new_year() {
        // Due Mon 10 Nov 2025, notice Mon 17 Nov → first day Mon 1 Dec. Decided Fri 19 Dec:
        // 18 days (1–18 Dec), 14 × €20 + 4 × €30 = €400. Last day Thu 18 Dec + 14 = Thu 1 Jan
        // 2026 (Nieuwjaarsdag) → Fri 2 Jan 2026.
        let s = penalty_status(
            d(2025, 11, 10),
            d(2025, 11, 17),
            Some(d(2025, 12, 19)),
            d(2026, 1, 5),
            &HolidayCalendar::default(),
        )
        .unwrap();
        assert_eq!(s.penalty.first_day, d(2025, 12, 1));
        assert_eq!(s.penalty.days, 18);
        assert_eq!(s.penalty.amount, euros(400));
        assert_eq!(s.fix_by, Some(d(2026, 1, 2)));
    }

    #[test]
    fn first_day_on_christmas_is_not_rolled_and_the_maximum_is_reached_across_the_year_end() {
        // Due Mon 1 Dec 2025, notice Thu 11 Dec → first day Thu 25 Dec (Christmas): not a term
        // for an act, so no Atw roll (see the NOTE). Undecided on 15 Feb 2026: 52 days, capped at
        // 42 (lid 1): last day 25 Dec + 41 = Wed 4 Feb 2026, €1,260; fix by Wed 18 Feb 2026.
        let s = penalty_status(
            d(2025, 12, 1),
            d(2025, 12, 11),
            None,
            d(2026, 2, 15),
            &HolidayCalendar::default(),
        )
        .unwrap();
        assert_eq!(s.penalty.first_day, d(2025, 12, 25));
        assert!(!s.running);
        assert!(s.penalty.maximum_reached);
        assert_eq!(s.penalty.days, 42);
        assert_eq!(s.penalty.last_day, Some(d(2026, 2, 4)));
        assert_eq!(s.penalty.amount, euros(1_260));
        assert_eq!(s.day_rate, euros(40));
        assert_eq!(s.fix_by, Some(d(2026, 2, 18)));
    }

    #[test]
    fn decided_before_the_first_day_nothing_is_due_and_nothing_must_be_fixed() {
        let s = penalty_status(
            d(2025, 4, 28),
            d(2025, 5, 6),
            Some(d(2025, 5, 15)),
            d(2025, 6, 1),
            &HolidayCalendar::default(),
        )
        .unwrap();
        assert_eq!((s.running, s.penalty.days, s.fix_by), (false, 0, None));
        assert_eq!(s.penalty.amount, Money::ZERO);
    }

    #[test]
    fn the_fixed_amount_equals_the_computed_one_or_is_motivated_and_never_above_the_maximum() {
        assert_eq!(check_fixed_amount(euros(490), euros(490), None), Ok(()));
        assert_eq!(
            check_fixed_amount(euros(490), euros(460), None),
            Err(FixedAmountError::DeviationWithoutMotivation { computed: euros(490) })
        );
        assert_eq!(
            check_fixed_amount(euros(490), euros(460), Some("  ")),
            Err(FixedAmountError::DeviationWithoutMotivation { computed: euros(490) })
        );
        assert_eq!(check_fixed_amount(euros(490), euros(460), Some("Besluit op 13 april verzonden")), Ok(()));
        assert_eq!(
            check_fixed_amount(euros(490), euros(1_300), Some("x")),
            Err(FixedAmountError::AboveMaximum { maximum: euros(1_260) })
        );
    }

    #[test]
    fn grounds_have_stable_codes() {
        use crate::domain::code::Code;
        assert_eq!(NoPenaltyGround::NoticeUnreasonablyLate.code(), "notice_unreasonably_late");
        assert_eq!(
            NoPenaltyGround::from_code("clearly_inadmissible_or_unfounded"),
            Some(NoPenaltyGround::ClearlyInadmissibleOrUnfounded)
        );
    }
}
