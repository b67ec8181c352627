//! Statutory deadlines for licence applications: the decision term (Awb 4:13) with its
//! suspensions (Awb 4:15, Wet Bibob art. 31) and one announced extension (Awb 4:14), the
//! Algemene termijnenwet and the dwangsom bij niet tijdig beslissen (Awb 4:17–4:18, its numbers in
//! `awb`). The bezwaar term (Awb 6:7/6:8) lives in `awb` and is re-exported here.
//!
//! [`DecisionClock`] is plain data (`pub` fields, serde) so the DB layer can rebuild it from
//! stored events: the submission date, each suspension event pair, and the extension notice.
//!
//! Day counting convention (rules.md §6 open question 8, used by scenarios 19 and 20): a
//! suspension lasts `end − start` days, e.g. `supplemented_on − invited_on`,
//! `received_on − requested_on`.
// NOTE: Awb 4:15 lid 1 counts "from the day after the invitation until the day supplemented";
// whether the end day is included (±1 day) must be confirmed by a jurist (rules.md §6 q. 8).

use chrono::{Duration, NaiveDate};
use serde::{Deserialize, Serialize};

pub use crate::domain::awb::objection_period_end;
use crate::domain::awb::{
    DWANGSOM_FIX_WITHIN_DAYS, DWANGSOM_GRACE_DAYS, DWANGSOM_MAX_DAYS, DWANGSOM_TIER1_CENTS,
    DWANGSOM_TIER2_CENTS, DWANGSOM_TIER3_CENTS, DWANGSOM_TIER_DAYS,
};
use crate::domain::calendar::{HolidayCalendar, TermLength};
use crate::domain::money::Money;
use crate::domain::ruleset::RuleSet;

/// Wet Bibob art. 15 lid 1: the LBB advises within 8 weeks of the request `[LAW-READ 2015]`
/// [S22] (rules.md §2.7/§2.8). Art. 31 caps the suspension at this term.
const BIBOB_ADVICE_TERM_DAYS: i64 = 8 * 7;
/// Wet Bibob art. 15 lid 3: the LBB may extend its term once by at most 4 weeks
/// `[LAW-READ 2015]` [S22].
const BIBOB_MAX_EXTENSION_WEEKS: u32 = 4;
fn add_days(date: NaiveDate, days: i64) -> NaiveDate {
    Duration::try_days(days).and_then(|delta| date.checked_add_signed(delta)).unwrap_or(if days >= 0 {
        NaiveDate::MAX
    } else {
        NaiveDate::MIN
    })
}

fn weeks_to_days(weeks: u32) -> i64 {
    i64::from(weeks).saturating_mul(7)
}

/// A period during which the decision term does not run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Suspension {
    /// Awb 4:15 lid 1 sub a: invitation to supplement the application (Awb 4:5); runs until
    /// supplemented or until the term given for it lapsed unused.
    AwaitingSupplement {
        invited_on: NaiveDate,
        /// End of the hersteltermijn given in the invitation, if any.
        respond_by: Option<NaiveDate>,
        supplemented_on: Option<NaiveDate>,
    },
    /// Awb 4:15 lid 2: applicant agreed in writing to a delay, delay attributable to the
    /// applicant, or overmacht.
    ApplicantDelay { from: NaiveDate, until: Option<NaiveDate> },
    /// Wet Bibob art. 31: waiting for the LBB advice, capped at the art. 15 term (8 weeks)
    /// plus the LBB's own suspension for missing data (art. 15 lid 2) plus its one extension
    /// (art. 15 lid 3, ≤ 4 weeks).
    BibobAdvice {
        requested_on: NaiveDate,
        received_on: Option<NaiveDate>,
        /// Extension the LBB notified (art. 15 lid 3); values above 4 count as 4.
        #[serde(default)]
        lbb_extension_weeks: u32,
        /// Days the LBB's own term was suspended for missing data (art. 15 lid 2).
        #[serde(default)]
        lbb_suspended_days: u32,
    },
}

impl Suspension {
    fn start(&self) -> NaiveDate {
        match self {
            Suspension::AwaitingSupplement { invited_on, .. } => *invited_on,
            Suspension::ApplicantDelay { from, .. } => *from,
            Suspension::BibobAdvice { requested_on, .. } => *requested_on,
        }
    }

    /// The latest day this suspension can last until, independent of the end event.
    fn cap(&self) -> Option<NaiveDate> {
        match self {
            Suspension::AwaitingSupplement { respond_by, .. } => *respond_by,
            Suspension::ApplicantDelay { .. } => None,
            Suspension::BibobAdvice { requested_on, lbb_extension_weeks, lbb_suspended_days, .. } => {
                let ext = weeks_to_days((*lbb_extension_weeks).min(BIBOB_MAX_EXTENSION_WEEKS));
                let days =
                    BIBOB_ADVICE_TERM_DAYS.saturating_add(ext).saturating_add(i64::from(*lbb_suspended_days));
                Some(add_days(*requested_on, days))
            }
        }
    }

    fn end_event(&self) -> Option<NaiveDate> {
        match self {
            Suspension::AwaitingSupplement { supplemented_on, .. } => *supplemented_on,
            Suspension::ApplicantDelay { until, .. } => *until,
            Suspension::BibobAdvice { received_on, .. } => *received_on,
        }
    }

    /// Whether the end event is still missing (the suspension is running or its cap decides).
    pub fn is_open(&self) -> bool {
        self.end_event().is_none()
    }

    /// Effective `[start, end)` interval. With `today` an open suspension is taken to end
    /// today (bounded by its cap); without it, an open suspension has no known end.
    fn interval(&self, today: Option<NaiveDate>) -> Option<(NaiveDate, NaiveDate)> {
        let start = self.start();
        let end = match (self.end_event(), today) {
            (Some(e), _) => e,
            (None, Some(t)) => t,
            (None, None) => return None,
        };
        let end = match self.cap() {
            Some(cap) => end.min(cap),
            None => end,
        };
        Some((start, end.max(start)))
    }
}

/// The one announced extension of the decision term (Awb 4:14).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Extension {
    pub notified_on: NaiveDate,
    pub weeks: u32,
}

/// Why an extension cannot be recorded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExtensionError {
    #[error("the decision term has already been extended")]
    AlreadyExtended,
    #[error("an extension must be at least one week")]
    Zero,
    #[error("the rule set allows at most {max_weeks} weeks of extension")]
    TooLong { max_weeks: u32 },
    #[error("the extension must be announced before the term expired on {due}")]
    TermAlreadyExpired { due: NaiveDate },
    #[error("the rule set allows no extension")]
    NotAllowed,
}

/// The decision clock of one application.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DecisionClock {
    /// Day the (complete or incomplete) application was received (Awb 4:13: "na ontvangst").
    pub submitted_on: NaiveDate,
    pub term_weeks: u32,
    #[serde(default)]
    pub suspensions: Vec<Suspension>,
    #[serde(default)]
    pub extension: Option<Extension>,
    /// Whether the Atw rolls the due date forward (rule set `atw_applies_to_decision_term`).
    pub apply_atw: bool,
}

impl DecisionClock {
    /// A fresh clock using the term of the rule set in force on the submission date.
    pub fn new(submitted_on: NaiveDate, rules: &RuleSet) -> Self {
        DecisionClock {
            submitted_on,
            term_weeks: rules.decision_term_weeks,
            suspensions: Vec::new(),
            extension: None,
            apply_atw: rules.atw_applies_to_decision_term,
        }
    }

    /// Total term in weeks (statutory term + extension), the length the Atw looks at.
    // NOTE: we treat the extended term as one term for Atw art. 4 (> 12 weeks → no Atw);
    // suspensions shift the term but do not lengthen it. Jurist to confirm.
    pub fn total_term_weeks(&self) -> u32 {
        self.term_weeks.saturating_add(self.extension.as_ref().map_or(0, |e| e.weeks))
    }

    /// Suspended days, counting overlapping suspensions once and ignoring suspensions that
    /// started after the term had already expired (nothing left to suspend).
    fn compute(&self, today: Option<NaiveDate>, cal: &HolidayCalendar) -> Option<NaiveDate> {
        let mut intervals = Vec::with_capacity(self.suspensions.len());
        for s in &self.suspensions {
            intervals.push(s.interval(today)?);
        }
        intervals.sort();
        let mut due = add_days(self.submitted_on, weeks_to_days(self.total_term_weeks()));
        let mut covered_until: Option<NaiveDate> = None;
        for (start, end) in intervals {
            // Nothing is suspended before receipt; merge with what was already counted.
            let start = start.max(self.submitted_on);
            let start = covered_until.map_or(start, |c| start.max(c));
            if end <= start {
                continue;
            }
            if start > due {
                // The term had already lapsed: a later suspension cannot revive it.
                continue;
            }
            due = add_days(due, (end - start).num_days());
            covered_until = Some(end);
        }
        let length = TermLength::Weeks(self.total_term_weeks());
        if self.apply_atw {
            Some(cal.term_end(self.submitted_on, due, length))
        } else {
            Some(due)
        }
    }

    /// The final due date, once every suspension has its end event recorded (or a
    /// hersteltermijn / Bibob cap ends it). `None` while a suspension is open without a cap
    /// that has been reached — use [`DecisionClock::due_date_on`] for a running view.
    pub fn due_date(&self, cal: &HolidayCalendar) -> Option<NaiveDate> {
        self.compute(None, cal)
    }

    /// The due date as known on `today`: an open suspension is counted up to `today` (within
    /// its cap). While suspended this date moves forward each day.
    pub fn due_date_on(&self, today: NaiveDate, cal: &HolidayCalendar) -> NaiveDate {
        self.compute(Some(today), cal).unwrap_or(NaiveDate::MAX)
    }

    /// Whether the term is suspended on `today` (an open suspension that has started and has
    /// not reached its cap).
    pub fn is_suspended(&self, today: NaiveDate) -> bool {
        self.suspensions
            .iter()
            .any(|s| s.is_open() && s.start() <= today && s.cap().is_none_or(|cap| today < cap))
    }

    /// Whether an undecided application is past its due date on `today`. Call only for
    /// applications that have not been decided.
    pub fn is_overdue(&self, today: NaiveDate, cal: &HolidayCalendar) -> bool {
        !self.is_suspended(today) && today > self.due_date_on(today, cal)
    }

    /// Record the one extension (Awb 4:14 lid 3: announced before the term expires).
    pub fn extend(
        &mut self,
        notified_on: NaiveDate,
        weeks: u32,
        rules: &RuleSet,
        cal: &HolidayCalendar,
    ) -> Result<(), ExtensionError> {
        if rules.max_extensions == 0 {
            return Err(ExtensionError::NotAllowed);
        }
        if self.extension.is_some() {
            return Err(ExtensionError::AlreadyExtended);
        }
        if weeks == 0 {
            return Err(ExtensionError::Zero);
        }
        if weeks > rules.extension_weeks {
            return Err(ExtensionError::TooLong { max_weeks: rules.extension_weeks });
        }
        let due = self.due_date_on(notified_on, cal);
        if notified_on > due {
            return Err(ExtensionError::TermAlreadyExpired { due });
        }
        self.extension = Some(Extension { notified_on, weeks });
        Ok(())
    }
}

/// Why no dwangsom for late decision is due.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DwangsomError {
    #[error("the ingebrekestelling was received before the decision term lapsed on {due}")]
    PrematureNoticeOfDefault { due: NaiveDate },
}

/// Dwangsom bij niet tijdig beslissen (Awb 4:17–4:18).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LateDecisionPenalty {
    /// First day the dwangsom runs (Awb 4:17 lid 2).
    pub first_day: NaiveDate,
    /// Days in default so far (0..=42).
    pub days: u32,
    /// Last dwangsom day counted, if any.
    pub last_day: Option<NaiveDate>,
    pub amount: Money,
    /// Whether the 42-day maximum has been reached (Awb 4:17 lid 1).
    pub maximum_reached: bool,
    /// Deadline to fix the amount by beschikking (Awb 4:18), once the dwangsom stopped
    /// running (decision given or maximum reached).
    pub fix_by: Option<NaiveDate>,
}

/// Amount for `days` dwangsom days, tiered €20 / €30 / €40 (Awb 4:17 lid 2).
fn dwangsom_amount(days: i64) -> Money {
    let tier1 = days.clamp(0, DWANGSOM_TIER_DAYS);
    let tier2 = (days - DWANGSOM_TIER_DAYS).clamp(0, DWANGSOM_TIER_DAYS);
    let tier3 = (days - 2 * DWANGSOM_TIER_DAYS).clamp(0, DWANGSOM_MAX_DAYS - 2 * DWANGSOM_TIER_DAYS);
    let cents = tier1 * DWANGSOM_TIER1_CENTS + tier2 * DWANGSOM_TIER2_CENTS + tier3 * DWANGSOM_TIER3_CENTS;
    Money::from_cents(cents).unwrap_or(Money::ZERO)
}

/// The dwangsom owed for a late decision.
///
/// * `due`: the decision due date (from [`DecisionClock`]);
/// * `notice_received_on`: the day the written ingebrekestelling was received;
/// * `decided_on`: the day the decision was sent, or `None` if still undecided;
/// * `today`: used when undecided.
///
/// The day the decision is given does not count (scenario 24: 2025-05-20 → 2025-06-03 is
/// 14 days). The exclusions of Awb 4:17 lid 6 (notice unreasonably late, applicant not a
/// belanghebbende, application manifestly inadmissible/unfounded) are for the officer to
/// record; they are not decided here.
pub fn late_decision_penalty(
    due: NaiveDate,
    notice_received_on: NaiveDate,
    decided_on: Option<NaiveDate>,
    today: NaiveDate,
) -> Result<LateDecisionPenalty, DwangsomError> {
    if notice_received_on <= due {
        return Err(DwangsomError::PrematureNoticeOfDefault { due });
    }
    let first_day = add_days(notice_received_on, DWANGSOM_GRACE_DAYS);
    let stop = decided_on.unwrap_or(today);
    let raw_days = (stop - first_day).num_days().max(0);
    let days = raw_days.min(DWANGSOM_MAX_DAYS);
    let maximum_reached = raw_days >= DWANGSOM_MAX_DAYS;
    let last_day = (days > 0).then(|| add_days(first_day, days - 1));
    let stopped = decided_on.is_some() || maximum_reached;
    let fix_by = if stopped { last_day.map(|l| add_days(l, DWANGSOM_FIX_WITHIN_DAYS)) } else { None };
    Ok(LateDecisionPenalty {
        first_day,
        days: u32::try_from(days).unwrap_or(0),
        last_day,
        amount: dwangsom_amount(days),
        maximum_reached,
        fix_by,
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn clock(submitted: NaiveDate) -> DecisionClock {
        DecisionClock::new(submitted, &RuleSet::default())
    }

    fn cal() -> HolidayCalendar {
        HolidayCalendar::default()
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
        let mut c = clock(d(2025, 3, 3));
        c.suspensions.push(Suspension::AwaitingSupplement {
            invited_on: d(2025, 3, 10),
            respond_by: Some(d(2025, 3, 24)),
            supplemented_on: Some(d(2025, 3, 20)),
        });
        assert_eq!(c.due_date(&cal()), Some(d(2025, 5, 8)));
    }

    #[test]
    fn scenario_19_while_waiting_the_clock_is_stopped() {
        let mut c = clock(d(2025, 3, 3));
        c.suspensions.push(Suspension::AwaitingSupplement {
            invited_on: d(2025, 3, 10),
            respond_by: Some(d(2025, 3, 24)),
            supplemented_on: None,
        });
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
        let mut c = clock(d(2025, 3, 3));
        c.suspensions.push(Suspension::AwaitingSupplement {
            invited_on: d(2025, 3, 10),
            respond_by: Some(d(2025, 3, 24)),
            supplemented_on: Some(d(2025, 4, 1)),
        });
        assert_eq!(c.due_date(&cal()), Some(d(2025, 5, 12)));
    }

    #[test]
    fn scenario_20_bibob_advice_suspends_forty_nine_days() {
        let mut c = clock(d(2025, 3, 3));
        c.suspensions.push(Suspension::BibobAdvice {
            requested_on: d(2025, 3, 17),
            received_on: Some(d(2025, 5, 5)),
            lbb_extension_weeks: 0,
            lbb_suspended_days: 0,
        });
        assert_eq!(c.due_date(&cal()), Some(d(2025, 6, 16)));
    }

    #[test]
    fn bibob_suspension_is_capped_at_eight_weeks_plus_extension() {
        let mut c = clock(d(2025, 3, 3));
        c.suspensions.push(Suspension::BibobAdvice {
            requested_on: d(2025, 3, 17),
            received_on: Some(d(2025, 8, 1)),
            lbb_extension_weeks: 0,
            lbb_suspended_days: 0,
        });
        // Capped at 56 days: 28 April + 56 = 23 June (Mon).
        assert_eq!(c.due_date(&cal()), Some(d(2025, 6, 23)));
        // With the LBB's 4-week extension (and a requested 6 counts as 4): 84 days → 21 July.
        c.suspensions[0] = Suspension::BibobAdvice {
            requested_on: d(2025, 3, 17),
            received_on: Some(d(2025, 8, 1)),
            lbb_extension_weeks: 6,
            lbb_suspended_days: 0,
        };
        assert_eq!(c.due_date(&cal()), Some(d(2025, 7, 21)));
        // An open Bibob wait ends at the cap even without a received date.
        c.suspensions[0] = Suspension::BibobAdvice {
            requested_on: d(2025, 3, 17),
            received_on: None,
            lbb_extension_weeks: 0,
            lbb_suspended_days: 0,
        };
        assert_eq!(c.due_date_on(d(2025, 12, 1), &cal()), d(2025, 6, 23));
    }

    #[test]
    fn overlapping_suspensions_count_once() {
        let mut c = clock(d(2025, 3, 3));
        c.suspensions.push(Suspension::BibobAdvice {
            requested_on: d(2025, 3, 17),
            received_on: Some(d(2025, 5, 5)),
            lbb_extension_weeks: 0,
            lbb_suspended_days: 0,
        });
        c.suspensions.push(Suspension::AwaitingSupplement {
            invited_on: d(2025, 3, 20),
            respond_by: None,
            supplemented_on: Some(d(2025, 3, 30)),
        });
        assert_eq!(c.due_date(&cal()), Some(d(2025, 6, 16)));
        // Partly overlapping: supplement until 10 May adds 5 days beyond 5 May → 21 June (Sat)
        // → Atw → Mon 23 June.
        c.suspensions[1] = Suspension::AwaitingSupplement {
            invited_on: d(2025, 3, 20),
            respond_by: None,
            supplemented_on: Some(d(2025, 5, 10)),
        };
        assert_eq!(c.due_date(&cal()), Some(d(2025, 6, 23)));
    }

    #[test]
    fn suspension_recorded_before_receipt_counts_from_receipt() {
        let mut c = clock(d(2025, 3, 3));
        c.suspensions.push(Suspension::ApplicantDelay { from: d(2025, 2, 1), until: Some(d(2025, 3, 13)) });
        // Only 3 → 13 March counts: 10 days → 8 May.
        assert_eq!(c.due_date(&cal()), Some(d(2025, 5, 8)));
    }

    #[test]
    fn suspension_after_term_expired_does_not_revive_it() {
        let mut c = clock(d(2025, 3, 3));
        c.suspensions.push(Suspension::ApplicantDelay { from: d(2025, 5, 1), until: Some(d(2025, 5, 20)) });
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
        assert_eq!(
            c.extend(d(2025, 4, 20), 9, &rules, &cal()),
            Err(ExtensionError::TooLong { max_weeks: 8 })
        );
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
        let mut c = clock(d(2025, 3, 3));
        c.suspensions.push(Suspension::BibobAdvice {
            requested_on: d(2025, 3, 17),
            received_on: Some(d(2025, 5, 5)),
            lbb_extension_weeks: 0,
            lbb_suspended_days: 0,
        });
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
        let p =
            late_decision_penalty(d(2025, 4, 28), d(2025, 5, 6), Some(d(2025, 6, 3)), d(2025, 6, 3)).unwrap();
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
        let p = late_decision_penalty(d(2025, 4, 28), d(2025, 5, 6), Some(d(2025, 5, 15)), d(2025, 5, 15))
            .unwrap();
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
            suspensions: vec![Suspension::ApplicantDelay {
                from: NaiveDate::MIN,
                until: Some(NaiveDate::MAX),
            }],
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
}
