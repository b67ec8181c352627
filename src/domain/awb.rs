//! Statutory terms of the Algemene wet bestuursrecht (Awb), with the Algemene termijnenwet (Atw)
//! roll-forward where it applies: decision, payment, objection, collection and lapse terms of
//! the sanction procedures (rules.md §4.4, §4.5) and of licence applications (rules.md §2.7).
//! Every number names its article; the modules that run the procedures use these.
//!
//! Pure: no I/O. Dates are calendar dates (Europe/Amsterdam legal day); the date arithmetic and
//! the holiday calendar live in `calendar`.
//!
// NOTE: Algemene termijnenwet (Atw) art. 1 extends a *statutory* term of at most 12 weeks that
// ends on a Saturday, Sunday or holiday to the next working day. It applies to the 6-week payment
// term (Awb 4:87), the 6-week objection term (Awb 6:7), the 6-week dwangsom payment term (5:33)
// and BW terms such as the deposit return (7:261b); it does NOT apply to the 13-week fine
// decision term (5:51; > 12 weeks, scenario 47), to the 1-year terms (5:34, 5:35) or to terms the
// authority sets itself (zienswijze term, begunstigingstermijn, warning remedy term). Holidays
// live in calendar.rs; the functions here take an `&dyn AtwRoll` so that the caller can plug it
// in, and tests use `NoAtwRoll`.

use chrono::NaiveDate;

use crate::domain::calendar::{
    add_days_sat, add_weeks_sat, sub_days_sat, AtwRoll, HolidayCalendar, TermLength,
};

// ---------------------------------------------------------------------------------------------
// Sanctions: fine and penalty order (rules.md §4.4/§4.5 [LAW-READ 2015 — re-verify])
// ---------------------------------------------------------------------------------------------

/// Fine decision within 13 weeks after the dagtekening of the rapport (Awb 5:51 lid 1).
pub const FINE_DECISION_WEEKS: u32 = 13;
/// Fine payable within 6 weeks after bekendmaking (Awb 4:87 lid 1).
pub const FINE_PAYMENT_WEEKS: u32 = 6;
/// Objection (bezwaar) term 6 weeks (Awb 6:7), starting the day after bekendmaking (6:8).
pub const OBJECTION_WEEKS: u32 = 6;
/// Forfeited dwangsom payable within 6 weeks after forfeiture (Awb 5:33).
pub const DWANGSOM_PAYMENT_WEEKS: u32 = 6;
/// Power to collect a forfeited dwangsom lapses 1 year after the day of forfeiture (Awb 5:35).
pub const DWANGSOM_COLLECTION_LAPSE_YEARS: u32 = 1;
/// LOD may be lifted on request after being in force 1 year without forfeiture (Awb 5:34 lid 2).
pub const LOD_LIFT_AFTER_YEARS: u32 = 1;

/// Above this amount a rapport is always required and a zienswijze opportunity always given
/// (Awb 5:53; rules.md §4.5 step 1 `[LAW-READ 2015]`): €340.
pub const RAPPORT_AND_ZIENSWIJZE_THRESHOLD_CENTS: i64 = 34_000;

/// Power to fine lapses 5 years after the violation where 5:53 applies (Awb 5:45 lid 1;
/// rules.md §4.5 step 6). All Wgv fines exceed €340, so always 5 years.
pub const FINE_POWER_LAPSE_YEARS: u32 = 5;

/// Decision due date for a fine: rapport date + 13 weeks (5:51). No Atw roll (> 12 weeks).
pub fn fine_decision_due(rapport_date: NaiveDate) -> NaiveDate {
    add_weeks_sat(rapport_date, FINE_DECISION_WEEKS)
}

/// Payment due for a fine: bekendmaking + 6 weeks (4:87), Atw roll applies.
pub fn fine_payment_due(notified_on: NaiveDate, atw: &dyn AtwRoll) -> NaiveDate {
    atw.roll_forward(add_weeks_sat(notified_on, FINE_PAYMENT_WEEKS))
}

/// Last day of the objection term. The term starts the day after bekendmaking (6:8) and lasts
/// 6 weeks (6:7): it starts on `notified_on + 1` and its last day is `notified_on + 42 days`.
pub fn objection_term_ends(notified_on: NaiveDate, atw: &dyn AtwRoll) -> NaiveDate {
    let first_day = add_days_sat(notified_on, 1);
    atw.roll_forward(sub_days_sat(add_weeks_sat(first_day, OBJECTION_WEEKS), 1))
}

// ---------------------------------------------------------------------------------------------
// Licence decisions: bezwaar term and dwangsom bij niet tijdig beslissen (rules.md §2.7)
// ---------------------------------------------------------------------------------------------

/// End of the bezwaar term: `weeks` (Awb 6:7: six) starting the day after bekendmaking
/// (Awb 6:8), extended by the Atw (6 weeks ≤ 12, so it applies). Same counting as scenario 51
/// (Awb 4:87: 2025-04-07 → 2025-05-19).
pub fn objection_period_end(notified_on: NaiveDate, weeks: u32, cal: &HolidayCalendar) -> NaiveDate {
    let first_day = add_days_sat(notified_on, 1);
    let raw_end = add_weeks_sat(notified_on, weeks);
    cal.term_end(first_day, raw_end, TermLength::Weeks(weeks))
}

/// Awb 4:17 lid 2: the first dwangsom day is the day on which two weeks have passed after
/// receipt of the ingebrekestelling `[LAW-READ 2015]` [S21] (rules.md §2.7).
pub const DWANGSOM_GRACE_DAYS: i64 = 14;
/// Awb 4:17 lid 2: €20 per day for the first 14 days `[LAW-READ 2015]` [S21].
pub const DWANGSOM_TIER1_CENTS: i64 = 2_000;
/// Awb 4:17 lid 2: €30 per day for the next 14 days `[LAW-READ 2015]` [S21].
pub const DWANGSOM_TIER2_CENTS: i64 = 3_000;
/// Awb 4:17 lid 2: €40 per day for the remaining days `[LAW-READ 2015]` [S21].
pub const DWANGSOM_TIER3_CENTS: i64 = 4_000;
/// Length of each of the first two tiers, days (Awb 4:17 lid 2) `[LAW-READ 2015]`.
pub const DWANGSOM_TIER_DAYS: i64 = 14;
/// Awb 4:17 lid 1: at most 42 days `[LAW-READ 2015]` [S21] (max total €1,260).
pub const DWANGSOM_MAX_DAYS: i64 = 42;
/// Awb 4:18: the amount is fixed by beschikking within two weeks after the last dwangsom day
/// `[LAW-READ 2015]` [S21].
pub const DWANGSOM_FIX_WITHIN_DAYS: i64 = 14;
