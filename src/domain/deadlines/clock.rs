//! The decision clock of a licence application: the decision term (Awb 4:13), its suspensions
//! (Awb 4:15, Wet Bibob art. 31) and the one announced extension (Awb 4:14), with the Atw.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::domain::calendar::{add_days_signed, HolidayCalendar, TermLength};
use crate::domain::ruleset::RuleSet;

use super::terms::{BIBOB_ADVICE_TERM_DAYS, BIBOB_MAX_EXTENSION_WEEKS};

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
    // NOTE: this cap is counted plainly; the LBB's own due day (`terms::lbb_advice_due_on`) is
    // the same raw end rolled per the Atw. How the two relate: the NOTE in `terms.rs`.
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
                Some(add_days_signed(*requested_on, days))
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
        let mut due = add_days_signed(self.submitted_on, weeks_to_days(self.total_term_weeks()));
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
            due = add_days_signed(due, (end - start).num_days());
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
