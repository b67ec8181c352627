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
