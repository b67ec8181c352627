//! Cases derived by hand from Awb 6:7, 6:8, 6:11, 7:10 and Atw art. 1 and 3 (2026 calendar:
//! Koningsdag Monday 27 April, Christmas Friday 25 December, New Year Friday 1 January 2027).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::NaiveDate;

use super::*;
use crate::domain::objections::lifecycle::ObjectionActionKind as K;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn cal() -> HolidayCalendar {
    HolidayCalendar::default()
}

fn received(notified: NaiveDate, received: NaiveDate, committee: bool) -> Objection {
    Objection::receive(BesluitKind::Fine, notified, received, committee, &cal()).unwrap()
}

#[test]
fn objection_term_ending_on_kings_day_rolls_to_tuesday_and_the_decision_term_counts_from_there() {
    // Made known Monday 16 March 2026: 6 weeks end Monday 27 April (Koningsdag, Atw art. 3),
    // so the term ends Tuesday 28 April; the decision term runs 29 April + 6 weeks − 1 day.
    let o = received(d(2026, 3, 16), d(2026, 4, 28), false);
    assert_eq!(o.objection_term_ends_on, d(2026, 4, 28));
    assert!(o.on_time);
    assert_eq!(o.decision_due_on, d(2026, 6, 9));
    let late = received(d(2026, 3, 16), d(2026, 4, 29), false);
    assert!(!late.on_time);
}

#[test]
fn objection_term_ending_on_new_years_day_rolls_into_the_next_year() {
    // Made known Friday 20 November 2026: 6 weeks end Friday 1 January 2027 (Nieuwjaarsdag),
    // weekend follows: the term ends Monday 4 January 2027.
    let (ends, on_time) = timeliness(d(2026, 11, 20), d(2027, 1, 4), &cal());
    assert_eq!(ends, d(2027, 1, 4));
    assert!(on_time);
}

#[test]
fn decision_term_ending_at_christmas_rolls_past_the_weekend_and_the_committee_term_crosses_the_year() {
    // Made known Friday 2 October 2026: objection term ends Friday 13 November. Six weeks from
    // 14 November end Friday 25 December (Christmas), then 2e Kerstdag (Saturday), Sunday:
    // Monday 28 December. Twelve weeks (committee) end Friday 5 February 2027.
    let o = received(d(2026, 10, 2), d(2026, 11, 1), false);
    assert_eq!(o.objection_term_ends_on, d(2026, 11, 13));
    assert_eq!(o.decision_due_on, d(2026, 12, 28));
    let c = received(d(2026, 10, 2), d(2026, 11, 1), true);
    assert_eq!(c.decision_due_on, d(2027, 2, 5));
}

#[test]
fn a_late_objection_is_recorded_flagged_and_its_term_counts_from_receipt() {
    // Made known Friday 27 November 2026: term ends Friday 8 January 2027. Received Monday
    // 11 January: late; the decision term counts from 12 January: Monday 22 February 2027.
    let o = received(d(2026, 11, 27), d(2027, 1, 11), false);
    assert_eq!(o.objection_term_ends_on, d(2027, 1, 8));
    assert!(!o.on_time);
    assert!(o.awaits_excuse_decision());
    assert_eq!(o.decision_due_on, d(2027, 2, 22));
    assert!(o.allowed_actions().contains(&K::RecordExcuseDecision));
    assert!(!o.allowed_actions().contains(&K::Decide));
    let today = d(2027, 1, 20);
    let decide = |outcome| ObjectionAction::Decide {
        decided_on: today,
        notified_on: today,
        outcome,
        new_decision: None,
    };
    assert!(matches!(
        o.apply(&decide(ObjectionOutcome::Inadmissible), today, &cal()),
        Err(ObjectionError::Illegal { .. })
    ));
    let judged = o
        .apply(&ObjectionAction::RecordExcuseDecision { on: today, excusable: false }, today, &cal())
        .unwrap();
    let err = judged.apply(&decide(ObjectionOutcome::Unfounded), today, &cal()).unwrap_err();
    assert!(matches!(err, ObjectionError::Field { pointer: "/outcome", .. }));
    let decided = judged.apply(&decide(ObjectionOutcome::Inadmissible), today, &cal()).unwrap();
    assert_eq!(decided.state, ObjectionState::Decided);
}

#[test]
fn receipt_before_the_besluit_was_made_known_is_refused() {
    let err =
        Objection::receive(BesluitKind::Fine, d(2026, 3, 16), d(2026, 3, 15), false, &cal()).unwrap_err();
    assert!(matches!(err, ObjectionError::Field { pointer: "/received_on", .. }));
}

#[test]
fn one_postponement_of_at_most_six_weeks_within_the_term_then_only_with_consent() {
    let o = received(d(2026, 3, 16), d(2026, 4, 1), false);
    assert_eq!(o.decision_due_on, d(2026, 6, 9));
    let postpone = |on, weeks| ObjectionAction::Postpone { on, weeks, reason: "advice needed".into() };
    let today = d(2026, 6, 20);
    // After the term ended: too late.
    let err = o.apply(&postpone(d(2026, 6, 10), 6), today, &cal()).unwrap_err();
    assert!(matches!(err, ObjectionError::Field { pointer: "/on", .. }));
    // More than six weeks.
    let err = o.apply(&postpone(d(2026, 6, 9), 7), today, &cal()).unwrap_err();
    assert!(matches!(err, ObjectionError::Field { pointer: "/weeks", .. }));
    // On the last day, six weeks: Tuesday 9 June + 42 days = Tuesday 21 July.
    let p = o.apply(&postpone(d(2026, 6, 9), 6), today, &cal()).unwrap();
    assert_eq!(p.decision_due_on, d(2026, 7, 21));
    assert_eq!(p.initial_due_on, d(2026, 6, 9));
    // A second postponement: 422 on /action; with consent it is possible.
    let err = p.apply(&postpone(d(2026, 6, 19), 1), today, &cal()).unwrap_err();
    assert!(matches!(err, ObjectionError::Field { pointer: "/action", .. }));
    let consent =
        ObjectionAction::ExtendWithConsent { consent_on: d(2026, 6, 19), new_due_on: d(2026, 9, 1) };
    let c = p.apply(&consent, today, &cal()).unwrap();
    assert_eq!(c.decision_due_on, d(2026, 9, 1));
    let back = ObjectionAction::ExtendWithConsent { consent_on: d(2026, 6, 19), new_due_on: d(2026, 7, 1) };
    assert!(matches!(
        p.apply(&back, today, &cal()),
        Err(ObjectionError::Field { pointer: "/new_due_on", .. })
    ));
}

#[test]
fn a_postponement_ending_on_christmas_rolls_to_the_next_working_day() {
    // Friday 18 December 2026 + 1 week = Friday 25 December: Monday 28 December.
    assert_eq!(postponed_due(d(2026, 12, 18), 1, &cal()), d(2026, 12, 28));
}

#[test]
fn lifecycle_with_hearing_and_illegal_moves() {
    let o = received(d(2026, 3, 16), d(2026, 4, 1), false);
    assert_eq!(o.state, ObjectionState::Received);
    let today = d(2026, 5, 20);
    let planned = o.apply(&ObjectionAction::PlanHearing { on: d(2026, 6, 1) }, today, &cal()).unwrap();
    assert_eq!(planned.state, ObjectionState::HearingPlanned);
    let decide = ObjectionAction::Decide {
        decided_on: today,
        notified_on: today,
        outcome: ObjectionOutcome::Unfounded,
        new_decision: None,
    };
    let err = planned.apply(&decide, today, &cal()).unwrap_err();
    let ObjectionError::Illegal { allowed, .. } = err else { panic!("expected illegal") };
    assert!(allowed.contains(&K::RecordHearing));
    let heard = planned.apply(&ObjectionAction::RecordHearing { on: d(2026, 5, 19) }, today, &cal()).unwrap();
    // A hearing recorded in the future is bad input.
    assert!(matches!(
        planned.apply(&ObjectionAction::RecordHearing { on: d(2026, 5, 21) }, today, &cal()),
        Err(ObjectionError::Field { pointer: "/on", .. })
    ));
    let decided = heard.apply(&decide, today, &cal()).unwrap();
    assert_eq!(decided.outcome, Some(ObjectionOutcome::Unfounded));
    assert!(!decided.overdue(d(2027, 1, 1)));
    assert_eq!(decided.allowed_actions(), vec![K::LodgeAppeal]);
    assert!(matches!(
        decided.apply(&ObjectionAction::Withdraw { on: today }, today, &cal()),
        Err(ObjectionError::Illegal { state: ObjectionState::Decided, .. })
    ));
    let withdrawn = o.apply(&ObjectionAction::Withdraw { on: today }, today, &cal()).unwrap();
    assert!(withdrawn.allowed_actions().is_empty());
    assert!(o.overdue(d(2026, 6, 10)));
    assert!(!o.overdue(d(2026, 6, 9)));
}

#[test]
fn a_well_founded_objection_against_a_fine_needs_its_new_decision() {
    let o = received(d(2026, 3, 16), d(2026, 4, 1), false);
    let today = d(2026, 5, 20);
    let decide = |new_decision| ObjectionAction::Decide {
        decided_on: today,
        notified_on: today,
        outcome: ObjectionOutcome::PartlyWellFounded,
        new_decision,
    };
    let err = o.apply(&decide(None), today, &cal()).unwrap_err();
    assert!(matches!(err, ObjectionError::Field { pointer: "/new_decision", .. }));
    let ok = o.apply(&decide(Some(("B&W 2026/123: fine lowered".into(), None))), today, &cal()).unwrap();
    assert_eq!(ok.new_decision_reference.as_deref(), Some("B&W 2026/123: fine lowered"));
    assert!(ok.allowed_actions().contains(&K::RecordNewDecision));
}

#[test]
fn provisional_relief_is_for_a_penalty_order_only() {
    let fine = received(d(2026, 3, 16), d(2026, 4, 1), false);
    assert!(!fine.allowed_actions().contains(&K::RecordProvisionalRelief));
    let lod =
        Objection::receive(BesluitKind::PenaltyOrder, d(2026, 3, 16), d(2026, 4, 1), false, &cal()).unwrap();
    assert!(lod.allowed_actions().contains(&K::RecordProvisionalRelief));
    let relief = ObjectionAction::RecordProvisionalRelief {
        granted_on: d(2026, 4, 20),
        court: "Rechtbank Rotterdam".into(),
        suspends_enforcement: true,
    };
    let r = lod.apply(&relief, d(2026, 4, 21), &cal()).unwrap();
    assert_eq!(r.relief_suspends, Some(true));
    assert!(!r.allowed_actions().contains(&K::RecordProvisionalRelief));
}

fn input(
    counts: bool,
    decided: Option<NaiveDate>,
    lodged: Option<NaiveDate>,
    judged: Option<NaiveDate>,
) -> FinalityInput {
    FinalityInput {
        counts,
        decision_notified_on: decided,
        appeal_lodged_on: lodged,
        appeal_judgment_on: judged,
    }
}

#[test]
fn final_the_day_after_the_objection_term_when_none_was_lodged() {
    // Term ends Tuesday 28 April 2026 (Koningsdag roll): final on Wednesday 29 April.
    let n = d(2026, 3, 16);
    assert_eq!(final_on(n, &[], d(2026, 4, 28), &cal()), None);
    assert_eq!(final_on(n, &[], d(2026, 4, 29), &cal()), Some(d(2026, 4, 29)));
    // A withdrawn (or inexcusably late) objection counts as not lodged.
    assert_eq!(final_on(n, &[input(false, None, None, None)], d(2026, 5, 1), &cal()), Some(d(2026, 4, 29)));
    // An open objection keeps it open.
    assert_eq!(final_on(n, &[input(true, None, None, None)], d(2026, 12, 1), &cal()), None);
}

#[test]
fn final_after_the_appeal_term_or_on_the_judgment() {
    let n = d(2026, 3, 16);
    // Decision on the objection made known Monday 1 June 2026: the appeal term ends Monday
    // 13 July; final on Tuesday 14 July.
    let decided = input(true, Some(d(2026, 6, 1)), None, None);
    assert_eq!(final_on(n, &[decided], d(2026, 7, 13), &cal()), None);
    assert_eq!(final_on(n, &[decided], d(2026, 7, 14), &cal()), Some(d(2026, 7, 14)));
    let appealed = input(true, Some(d(2026, 6, 1)), Some(d(2026, 7, 1)), None);
    assert_eq!(final_on(n, &[appealed], d(2027, 1, 1), &cal()), None);
    let judged = input(true, Some(d(2026, 6, 1)), Some(d(2026, 7, 1)), Some(d(2026, 12, 1)));
    assert_eq!(final_on(n, &[judged, decided], d(2027, 1, 1), &cal()), Some(d(2026, 12, 1)));
}

#[test]
fn an_appeal_records_whether_it_was_in_time() {
    let o = received(d(2026, 3, 16), d(2026, 4, 1), false);
    let today = d(2026, 8, 1);
    let decided = o
        .apply(
            &ObjectionAction::Decide {
                decided_on: d(2026, 5, 29),
                notified_on: d(2026, 6, 1),
                outcome: ObjectionOutcome::Unfounded,
                new_decision: None,
            },
            today,
            &cal(),
        )
        .unwrap();
    assert_eq!(decided.appeal_term_ends_on(&cal()), Some(d(2026, 7, 13)));
    let lodge = |on| ObjectionAction::LodgeAppeal { lodged_on: on, court: "Rechtbank Den Haag".into() };
    assert_eq!(decided.apply(&lodge(d(2026, 7, 13)), today, &cal()).unwrap().appeal_on_time, Some(true));
    assert_eq!(decided.apply(&lodge(d(2026, 7, 14)), today, &cal()).unwrap().appeal_on_time, Some(false));
    assert!(matches!(
        decided.apply(&lodge(d(2026, 5, 31)), today, &cal()),
        Err(ObjectionError::Field { pointer: "/lodged_on", .. })
    ));
    let a = decided.apply(&lodge(d(2026, 7, 1)), today, &cal()).unwrap();
    assert_eq!(a.allowed_actions(), vec![K::RecordAppealOutcome]);
}

#[test]
fn an_objection_and_its_appeal_are_the_periods_a_fine_lapse_term_stands_still() {
    use crate::domain::fines::LapseSuspension;
    // Received 2025-02-03, decided 2025-05-12, appeal 2025-06-02 still awaiting judgment.
    let mut o = received(d(2025, 1, 20), d(2025, 2, 3), false);
    assert_eq!(o.running_periods(), [LapseSuspension { from: d(2025, 2, 3), until: None }]);
    o.decided_on = Some(d(2025, 5, 12));
    o.appeal_lodged_on = Some(d(2025, 6, 2));
    assert_eq!(
        o.running_periods(),
        [
            LapseSuspension { from: d(2025, 2, 3), until: Some(d(2025, 5, 12)) },
            LapseSuspension { from: d(2025, 6, 2), until: None },
        ]
    );
    // Withdrawn: it ran until the withdrawal.
    let mut w = received(d(2025, 1, 20), d(2025, 2, 3), false);
    w.withdrawn_on = Some(d(2025, 2, 20));
    assert_eq!(w.running_periods(), [LapseSuspension { from: d(2025, 2, 3), until: Some(d(2025, 2, 20)) }]);
    // Late (the term ended 2025-03-03) and found inexcusable: as if not lodged.
    let mut late = received(d(2025, 1, 20), d(2025, 3, 20), false);
    assert!(!late.on_time);
    assert_eq!(late.running_periods().len(), 1, "counts while the excuse decision is pending");
    late.excusable = Some(false);
    assert!(late.running_periods().is_empty());
}
