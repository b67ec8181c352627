#![allow(clippy::unwrap_used)]

use super::*;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

#[test]
fn scenario_19_stored_due_date_while_waiting_for_information_assumes_the_whole_hersteltermijn() {
    let rules = RuleSet::default();
    let mut clock = DecisionClock::new(d(2025, 3, 3), &rules);
    clock.suspensions.push(Suspension::AwaitingSupplement {
        invited_on: d(2025, 3, 10),
        respond_by: Some(d(2025, 3, 24)),
        supplemented_on: None,
    });
    assert_eq!(latest_due(&clock, &rules, d(2025, 3, 12)), d(2025, 5, 12));
    if let Suspension::AwaitingSupplement { supplemented_on, .. } = &mut clock.suspensions[0] {
        *supplemented_on = Some(d(2025, 3, 20));
    }
    assert_eq!(latest_due(&clock, &rules, d(2025, 3, 20)), d(2025, 5, 8));
}

#[test]
fn scenario_20_stored_due_date_while_lbb_advice_is_pending_is_capped_at_eight_weeks() {
    let rules = RuleSet::default();
    let mut clock = DecisionClock::new(d(2025, 3, 3), &rules);
    clock.suspensions.push(Suspension::BibobAdvice {
        requested_on: d(2025, 3, 17),
        received_on: None,
        lbb_extension_weeks: 0,
        lbb_suspended_days: 0,
    });
    assert_eq!(latest_due(&clock, &rules, d(2025, 3, 18)), d(2025, 6, 23));
    if let Suspension::BibobAdvice { received_on, .. } = &mut clock.suspensions[0] {
        *received_on = Some(d(2025, 5, 5));
    }
    assert_eq!(latest_due(&clock, &rules, d(2025, 5, 5)), d(2025, 6, 16));
}

#[test]
fn stored_names_round_trip_and_verbs_use_hyphens() {
    assert_eq!(ApplicationState::GrantedWithConditions.code(), "granted_with_conditions");
    assert_eq!(ApplicationState::from_code("in_review"), Some(ApplicationState::InReview));
    assert!(ApplicationState::from_code("bogus").is_none());
    assert_eq!(verb(ActionKind::RequestInformation), "request-information");
}

fn undecided(
    state: ApplicationState,
    decision_due_on: NaiveDate,
    not_considered: Option<NaiveDate>,
) -> Application {
    let now = d(2025, 3, 3).and_hms_opt(10, 0, 0).unwrap();
    Application {
        id: "a".into(),
        municipality_code: "GM0599".into(),
        landlord_id: "l".into(),
        property_id: "p".into(),
        kind: crate::domain::ruleset::LicenceKind::General,
        state,
        monthly_rent_cents: None,
        submitted_on: Some(d(2025, 3, 3)),
        decision_clock: None,
        decision_due_on: Some(decision_due_on),
        information_requested: None,
        information_respond_by: not_considered.map(|_| d(2025, 3, 29)),
        extension_reason: None,
        bibob_pending: false,
        decision_outcome: None,
        decided_on: None,
        refusal_grounds: None,
        motivation: None,
        objection_period_ends_on: None,
        version: 0,
        created_at: now,
        updated_at: now,
        not_considered_due_on: not_considered,
    }
}

#[test]
fn the_open_due_date_is_the_earliest_deadline_of_an_undecided_application() {
    let nc = Some(d(2025, 4, 28));
    let incomplete = undecided(ApplicationState::Incomplete, d(2025, 5, 26), nc);
    assert_eq!(incomplete.open_due(), Some(d(2025, 4, 28)));
    let late_nc = undecided(ApplicationState::Incomplete, d(2025, 4, 1), nc);
    assert_eq!(late_nc.open_due(), Some(d(2025, 4, 1)));
    // Only while incomplete does the not-considered date count; decided: no open deadline.
    assert_eq!(undecided(ApplicationState::InReview, d(2025, 5, 26), nc).open_due(), Some(d(2025, 5, 26)));
    assert_eq!(undecided(ApplicationState::Refused, d(2025, 5, 26), nc).open_due(), None);
}

#[test]
fn dashboard_entries_of_one_application_within_the_horizon() {
    use super::deadlines::{application_deadlines, DeadlineEntry};
    use crate::domain::deadlines::LicensingDeadlineKind as K;
    let app = undecided(ApplicationState::Incomplete, d(2025, 5, 26), Some(d(2025, 4, 28)));
    let entry = |kind, due_on, overdue| DeadlineEntry {
        application_id: "a".into(),
        deadline_kind: kind,
        due_on,
        overdue,
    };
    // Before the hersteltermijn lapsed there is no not-considered deadline yet.
    assert_eq!(
        application_deadlines(&app, d(2025, 3, 29), d(2025, 6, 1)),
        vec![entry(K::Decision, d(2025, 5, 26), false)]
    );
    assert_eq!(
        application_deadlines(&app, d(2025, 4, 29), d(2025, 5, 13)),
        vec![entry(K::NotConsideredDecision, d(2025, 4, 28), true)]
    );
}
