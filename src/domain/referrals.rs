//! Two-way referrals to partners: what a referral carries (supervision.md, "A referral to a
//! partner should carry", after the VNG handreiking §4.6), the partner's feedback, and when
//! feedback is overdue. The same rules for referrals of complaints and of inspections.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::complaints::Partner;

/// Where a referral comes from: a complaint (meldpunt) or an inspection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReferralSource {
    Complaint,
    Inspection,
}

crate::closed_set!(ReferralSource { Complaint => "complaint", Inspection => "inspection" });

/// Enforcement already done at the address (handreiking §4.6: "enforcement already done, e.g.
/// joint inspections").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EnforcementDone {
    Inspection,
    JointInspection,
    Warning,
    PenaltyOrder,
    Fine,
    Revocation,
    Takeover,
}

crate::closed_set!(EnforcementDone {
    Inspection => "inspection",
    JointInspection => "joint_inspection",
    Warning => "warning",
    PenaltyOrder => "penalty_order",
    Fine => "fine",
    Revocation => "revocation",
    Takeover => "takeover",
});

/// Whether a report to another organisation was already made or is planned (handreiking §4.6).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OtherReportStatus {
    Made,
    Planned,
}

crate::closed_set!(OtherReportStatus { Made => "made", Planned => "planned" });

/// A report to another organisation, made or planned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct OtherReport {
    pub partner: Partner,
    pub status: OtherReportStatus,
}

/// What the partner did with the referral.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FeedbackOutcome {
    InvestigationStarted,
    ActionTaken,
    NoAction,
    NotCompetent,
    Forwarded,
}

crate::closed_set!(FeedbackOutcome {
    InvestigationStarted => "investigation_started",
    ActionTaken => "action_taken",
    NoAction => "no_action",
    NotCompetent => "not_competent",
    Forwarded => "forwarded",
});

/// What follows from the partner's answer for the municipality.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FollowUp {
    None,
    JointInspection,
    InformationRequested,
    OwnInvestigation,
}

crate::closed_set!(FollowUp {
    None => "none",
    JointInspection => "joint_inspection",
    InformationRequested => "information_requested",
    OwnInvestigation => "own_investigation",
});

/// The most labour migrants a referral can name: a sanity bound on input, not a legal number.
pub const MAX_LABOUR_MIGRANTS: u32 = 10_000;

/// Weeks without feedback after which a referral is overdue, when the municipality sets nothing
/// (`HUURTOEZICHT_REFERRAL_FEEDBACK_WEEKS`). Not a legal term: the handreiking §4.6 asks for
/// agreements on feedback with each partner; six weeks is the working default, 1–52 allowed.
pub const DEFAULT_FEEDBACK_WEEKS: u32 = 6;
pub const FEEDBACK_WEEKS_RANGE: std::ops::RangeInclusive<u32> = 1..=52;

/// The lists of a referral's content, checked together: nothing named twice.
pub struct ContentLists<'a> {
    pub enforcement_done: &'a [EnforcementDone],
    pub other_reports: &'a [OtherReport],
    pub attachment_ids: &'a [String],
}

/// Checks the lists of a referral's content; each error is (JSON pointer, reason).
pub fn check_lists(l: &ContentLists<'_>) -> Vec<(String, &'static str)> {
    let mut errs = Vec::new();
    for (i, e) in l.enforcement_done.iter().enumerate() {
        if l.enforcement_done[..i].contains(e) {
            errs.push((format!("/enforcement_done/{i}"), "is named twice"));
        }
    }
    for (i, r) in l.other_reports.iter().enumerate() {
        if l.other_reports[..i].iter().any(|o| o.partner == r.partner) {
            errs.push((format!("/other_reports/{i}/partner"), "is named twice"));
        }
    }
    for (i, a) in l.attachment_ids.iter().enumerate() {
        if l.attachment_ids[..i].contains(a) {
            errs.push((format!("/attachment_ids/{i}"), "is named twice"));
        }
    }
    errs
}

/// The partner's feedback can only have been received after the referral and not in the future;
/// the error is (JSON pointer, reason).
pub fn check_feedback_date(
    received_on: NaiveDate,
    referred_on: NaiveDate,
    today: NaiveDate,
) -> Result<(), (&'static str, &'static str)> {
    if received_on > today {
        Err(("/received_on", "must not be in the future"))
    } else if received_on < referred_on {
        Err(("/received_on", "must not be before the day of the referral"))
    } else {
        Ok(())
    }
}

/// The day from which a referral without feedback is overdue: `weeks` weeks after it was made.
pub fn feedback_due_on(referred_on: NaiveDate, weeks: u32) -> NaiveDate {
    referred_on.checked_add_days(chrono::Days::new(u64::from(weeks) * 7)).unwrap_or(NaiveDate::MAX)
}

/// Referrals made before this day and still without feedback are overdue `today`.
pub fn overdue_if_referred_before(today: NaiveDate, weeks: u32) -> NaiveDate {
    today.checked_sub_days(chrono::Days::new(u64::from(weeks) * 7)).unwrap_or(NaiveDate::MIN)
}

/// Overdue: no feedback and more than `weeks` weeks since the referral.
pub fn is_overdue(referred_on: NaiveDate, has_feedback: bool, weeks: u32, today: NaiveDate) -> bool {
    !has_feedback && today > feedback_due_on(referred_on, weeks)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default()
    }

    #[test]
    fn feedback_is_overdue_the_day_after_the_term_ends() {
        let referred = d(2026, 1, 5);
        assert_eq!(feedback_due_on(referred, 6), d(2026, 2, 16));
        assert!(!is_overdue(referred, false, 6, d(2026, 2, 16)));
        assert!(is_overdue(referred, false, 6, d(2026, 2, 17)));
        assert!(!is_overdue(referred, true, 6, d(2026, 2, 17)));
        // The list filter agrees with the rule: referred before today minus the term.
        let today = d(2026, 2, 17);
        assert!(referred < overdue_if_referred_before(today, 6));
        assert!(referred >= overdue_if_referred_before(d(2026, 2, 16), 6));
    }

    #[test]
    fn feedback_lies_between_the_referral_and_today() {
        let (referred, today) = (d(2026, 3, 1), d(2026, 3, 10));
        assert!(check_feedback_date(d(2026, 3, 1), referred, today).is_ok());
        assert!(check_feedback_date(d(2026, 3, 10), referred, today).is_ok());
        assert!(check_feedback_date(d(2026, 2, 28), referred, today).is_err());
        assert!(check_feedback_date(d(2026, 3, 11), referred, today).is_err());
    }

    #[test]
    fn nothing_is_named_twice() {
        let report = OtherReport { partner: Partner::Police, status: OtherReportStatus::Made };
        let ids = vec!["a".to_string(), "a".to_string()];
        let errs = check_lists(&ContentLists {
            enforcement_done: &[EnforcementDone::Fine, EnforcementDone::Fine],
            other_reports: &[report, report],
            attachment_ids: &ids,
        });
        let pointers: Vec<_> = errs.iter().map(|e| e.0.as_str()).collect();
        assert_eq!(pointers, ["/enforcement_done/1", "/other_reports/1/partner", "/attachment_ids/1"]);
    }
}
