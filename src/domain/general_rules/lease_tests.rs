//! Tests of the lease check: every rule with the date from which it is a violation.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::NaiveDate;

use super::*;
use crate::domain::calendar::NoAtwRoll;
use crate::domain::money::Money;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}
fn eur(e: i64) -> Money {
    Money::from_euros(e).unwrap()
}

/// A compliant written lease concluded on `concluded`, information given the same day.
fn lease(concluded: &str) -> LeaseFacts {
    LeaseFacts {
        concluded_on: d(concluded),
        ends_on: None,
        form: LeaseForm::Written,
        information_given_on: Some(d(concluded)),
        information_languages: vec!["nl".into()],
        tied_to_employment: false,
        occupants_are_labour_migrants: false,
        occupant_languages: vec![],
        rent: Some(eur(600)),
        deposit: Some(eur(1200)),
        deposit_returned_on: None,
        deposit_deductions: false,
        deduction_specification_given: false,
    }
}

fn check(l: &LeaseFacts, today: &str) -> Vec<LeaseViolation> {
    check_lease(l, d(today), &GeneralRuleDates::default(), &NoAtwRoll)
}

fn only(v: &[LeaseViolation]) -> &LeaseViolation {
    assert_eq!(v.len(), 1, "{v:?}");
    &v[0]
}

#[test]
fn a_compliant_lease_proposes_nothing() {
    assert!(check(&lease("2024-09-01"), "2026-01-01").is_empty());
}

#[test]
fn scenario_36_deposit_above_twice_kale_huur_is_gr_04_from_the_day_concluded() {
    let mut l = lease("2024-09-01");
    l.deposit = Some(eur(1500));
    let v = check(&l, "2025-01-01");
    let v = only(&v);
    assert_eq!((v.rule, v.violation_from, v.violation_until), (RuleCode::Gr04, d("2024-09-01"), None));
    assert!(v.reason.contains("€1200.00"), "{}", v.reason);
    assert!(v.source.contains("7:261b") && v.source.contains("GR-04"), "{}", v.source);
}

#[test]
fn late_deposit_return_is_gr_04_from_the_day_after_the_last_day_until_returned() {
    let mut l = lease("2024-01-01");
    l.ends_on = Some(d("2025-03-31"));
    // Last day 2025-04-14; not returned yet.
    assert!(check(&l, "2025-04-14").is_empty());
    let v = check(&l, "2025-04-15");
    assert_eq!((only(&v).violation_from, only(&v).violation_until), (d("2025-04-15"), None));
    l.deposit_returned_on = Some(d("2025-05-02"));
    let v = check(&l, "2025-06-01");
    assert_eq!((only(&v).violation_from, only(&v).violation_until), (d("2025-04-15"), Some(d("2025-05-02"))));
    l.deposit_returned_on = Some(d("2025-04-14"));
    assert!(check(&l, "2025-06-01").is_empty());
    // Deducting: 30 days, and only with a written specification.
    l.deposit_deductions = true;
    l.deposit_returned_on = Some(d("2025-04-20"));
    let v = check(&l, "2025-06-01");
    assert_eq!((only(&v).rule, only(&v).violation_from), (RuleCode::Gr04, d("2025-04-20")));
    l.deduction_specification_given = true;
    assert!(check(&l, "2025-06-01").is_empty());
}

#[test]
fn oral_lease_is_gr_05_from_the_day_concluded_and_not_applicable_before_the_wgv() {
    let mut l = lease("2024-02-01");
    l.form = LeaseForm::Oral;
    let v = check(&l, "2025-01-01");
    assert_eq!((only(&v).rule, only(&v).violation_from), (RuleCode::Gr05, d("2024-02-01")));
    let mut old = lease("2023-06-30");
    old.form = LeaseForm::Oral;
    old.information_given_on = Some(d("2024-01-01"));
    assert!(check(&old, "2025-01-01").is_empty());
    // A municipality that reads GR-05 as covering older leases configures the date.
    let dates = GeneralRuleDates { written_lease_from: d("2000-01-01"), ..GeneralRuleDates::default() };
    assert_eq!(check_lease(&old, d("2025-01-01"), &dates, &NoAtwRoll)[0].rule, RuleCode::Gr05);
}

#[test]
fn gr_06_for_a_new_lease_is_due_at_once() {
    let mut l = lease("2024-03-01");
    l.information_given_on = None;
    let v = check(&l, "2024-03-01");
    assert_eq!(
        (only(&v).rule, only(&v).violation_from, only(&v).violation_until),
        (RuleCode::Gr06, d("2024-03-01"), None)
    );
    l.information_given_on = Some(d("2024-04-10"));
    let v = check(&l, "2025-01-01");
    assert_eq!((only(&v).violation_from, only(&v).violation_until), (d("2024-03-01"), Some(d("2024-04-10"))));
}

#[test]
fn gr_06_transition_lease_of_2022_without_information_is_a_violation_from_july_2024() {
    let mut l = lease("2022-03-01");
    l.deposit = None;
    l.information_given_on = None;
    // Before the transition date it is not (yet) a violation.
    assert!(check(&l, "2024-06-30").is_empty());
    let v = check(&l, "2024-07-01");
    let v = only(&v);
    assert_eq!((v.rule, v.violation_from, v.violation_until), (RuleCode::Gr06, d("2024-07-01"), None));
    assert!(v.source.contains("GR-06"), "{}", v.source);
}

#[test]
fn gr_06_transition_information_given_in_time_is_compliant_given_late_is_a_closed_period() {
    let mut l = lease("2022-03-01");
    l.information_given_on = Some(d("2024-06-15"));
    assert!(check(&l, "2025-01-01").is_empty());
    l.information_given_on = Some(d("2024-07-01"));
    assert!(check(&l, "2025-01-01").is_empty());
    l.information_given_on = Some(d("2024-09-01"));
    let v = check(&l, "2025-01-01");
    assert_eq!((only(&v).violation_from, only(&v).violation_until), (d("2024-07-01"), Some(d("2024-09-01"))));
}

#[test]
fn scenario_38_employment_tied_lease_of_a_labour_migrant_is_am_01() {
    let mut l = lease("2023-08-01");
    l.tied_to_employment = true;
    l.occupants_are_labour_migrants = true;
    let v = check(&l, "2024-01-01");
    assert_eq!((only(&v).rule, only(&v).violation_from), (RuleCode::Am01, d("2023-08-01")));
    // Same contract signed 2023-05-01: AM-01 not applicable (information given by the transition).
    let mut early = lease("2023-05-01");
    early.tied_to_employment = true;
    early.occupants_are_labour_migrants = true;
    assert!(check(&early, "2024-01-01").is_empty());
    // Not a labour migrant: AM rules do not apply.
    l.occupants_are_labour_migrants = false;
    assert!(check(&l, "2024-01-01").is_empty());
}

#[test]
fn scenario_39_dutch_only_information_to_a_polish_worker_is_am_02() {
    let mut l = lease("2024-09-01");
    l.occupants_are_labour_migrants = true;
    l.occupant_languages = vec!["pl".into(), "en".into()];
    let v = check(&l, "2025-01-01");
    assert_eq!((only(&v).rule, only(&v).violation_from), (RuleCode::Am02, d("2024-09-01")));
    l.information_languages = vec!["en".into()];
    assert!(check(&l, "2025-01-01").is_empty());
    // No information at all is GR-06, not AM-02.
    l.information_given_on = None;
    let v = check(&l, "2025-01-01");
    assert_eq!(only(&v).rule, RuleCode::Gr06);
    // Languages unknown: nothing to compare.
    l.information_given_on = Some(d("2024-09-01"));
    l.information_languages = vec!["nl".into()];
    l.occupant_languages = vec![];
    assert!(check(&l, "2025-01-01").is_empty());
}

#[test]
fn several_violations_come_in_catalogue_order() {
    let mut l = lease("2024-09-01");
    l.form = LeaseForm::Oral;
    l.deposit = Some(eur(1800));
    l.information_given_on = None;
    l.tied_to_employment = true;
    l.occupants_are_labour_migrants = true;
    let rules: Vec<RuleCode> = check(&l, "2025-01-01").iter().map(|v| v.rule).collect();
    assert_eq!(rules, vec![RuleCode::Gr04, RuleCode::Gr05, RuleCode::Gr06, RuleCode::Am01]);
}
