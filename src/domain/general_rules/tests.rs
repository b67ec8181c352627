//! Tests of the rule catalogue and the general-rule checks.

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

#[test]
fn catalogue_has_every_rule_with_a_unique_stable_code_and_source() {
    let cat = catalogue();
    assert_eq!(cat.len(), 16);
    let mut codes: Vec<&str> = cat.iter().map(|r| r.code.as_str()).collect();
    codes.sort();
    codes.dedup();
    assert_eq!(codes.len(), 16);
    for r in &cat {
        assert!(!r.title.is_empty() && !r.article.is_empty() && !r.source.is_empty());
    }
    for code in
        ["GR-00", "GR-04", "GR-10", "AM-01", "AM-02", "no_licence", "licence_condition", "overcrowding"]
    {
        assert!(codes.contains(&code), "{code}");
    }
}

#[test]
fn rule_codes_round_trip_through_serde_and_from_str() {
    for c in RuleCode::ALL {
        let json = serde_json::to_string(&c).unwrap();
        assert_eq!(json, format!("\"{}\"", c.as_str()));
        assert_eq!(serde_json::from_str::<RuleCode>(&json).unwrap(), c);
        assert_eq!(c.as_str().parse::<RuleCode>().unwrap(), c);
    }
    assert_eq!("gr-04".parse::<RuleCode>().unwrap(), RuleCode::Gr04);
    assert!("GR-11".parse::<RuleCode>().is_err());
}

#[test]
fn licence_rules_use_the_licence_fine_regime() {
    assert!(RuleCode::Gr04.is_general_rule());
    assert!(RuleCode::Am02.is_general_rule());
    assert!(!RuleCode::NoLicence.is_general_rule());
    assert!(!RuleCode::LicenceCondition.is_general_rule());
    assert!(!RuleCode::Overcrowding.is_general_rule());
}

#[test]
fn scenario_36_deposit_above_twice_kale_huur_violates_gr_04() {
    let out = check_deposit_cap(d("2024-09-01"), eur(600), eur(1500), &GeneralRuleDates::default());
    assert!(out.is_violation());
    assert_eq!(max_deposit(eur(600)), eur(1200));
    if let CheckOutcome::Violation { rule, reason } = out {
        assert_eq!(rule, RuleCode::Gr04);
        assert!(reason.contains("€1200.00"), "{reason}");
    }
}

#[test]
fn scenario_36_edge_deposit_exactly_twice_kale_huur_is_compliant() {
    let dates = GeneralRuleDates::default();
    assert_eq!(check_deposit_cap(d("2024-09-01"), eur(600), eur(1200), &dates), CheckOutcome::Compliant);
    assert!(check_deposit_cap(d("2024-09-01"), eur(600), Money::from_cents(120_001).unwrap(), &dates)
        .is_violation());
    // Lease before the BW 7:261b regime.
    assert!(matches!(
        check_deposit_cap(d("2023-06-30"), eur(600), eur(1800), &dates),
        CheckOutcome::NotApplicable { .. }
    ));
}

#[test]
fn deposit_cap_saturates_on_absurd_rent() {
    let huge = Money::from_cents(i64::MAX).unwrap();
    assert_eq!(max_deposit(huge).cents(), i64::MAX);
}

#[test]
fn deposit_return_terms_14_and_30_days() {
    let dates = GeneralRuleDates::default();
    let mut f = DepositReturnFacts {
        lease_signed: d("2024-01-01"),
        lease_ended: d("2025-03-31"),
        returned_on: Some(d("2025-04-14")),
        deductions_made: false,
        written_specification_given: false,
    };
    assert_eq!(deposit_return_due(f.lease_ended, false, &NoAtwRoll), d("2025-04-14"));
    assert_eq!(check_deposit_return(&f, d("2025-06-01"), &dates, &NoAtwRoll), CheckOutcome::Compliant);
    f.returned_on = Some(d("2025-04-15"));
    assert!(check_deposit_return(&f, d("2025-06-01"), &dates, &NoAtwRoll).is_violation());
    // With deductions: 30 days, but only with a written specification.
    f.deductions_made = true;
    f.written_specification_given = true;
    assert_eq!(deposit_return_due(f.lease_ended, true, &NoAtwRoll), d("2025-04-30"));
    assert_eq!(check_deposit_return(&f, d("2025-06-01"), &dates, &NoAtwRoll), CheckOutcome::Compliant);
    f.written_specification_given = false;
    assert!(check_deposit_return(&f, d("2025-06-01"), &dates, &NoAtwRoll).is_violation());
    // Not yet returned: violation only once the last day has passed.
    f.written_specification_given = true;
    f.returned_on = None;
    assert_eq!(check_deposit_return(&f, d("2025-04-30"), &dates, &NoAtwRoll), CheckOutcome::Compliant);
    assert!(check_deposit_return(&f, d("2025-05-01"), &dates, &NoAtwRoll).is_violation());
}

fn am_lease(signed: &str, separate: bool) -> LabourMigrantLease {
    LabourMigrantLease {
        signed_on: d(signed),
        tenant_is_arbeidsmigrant: true,
        separate_from_employment_contract: separate,
    }
}

#[test]
fn scenario_38_lease_inside_employment_contract_after_july_2023_violates_am_01() {
    let out = check_separate_contracts(&am_lease("2023-08-01", false), &GeneralRuleDates::default());
    assert!(matches!(out, CheckOutcome::Violation { rule: RuleCode::Am01, .. }));
}

#[test]
fn scenario_38_same_contract_signed_may_2023_is_not_applicable() {
    let out = check_separate_contracts(&am_lease("2023-05-01", false), &GeneralRuleDates::default());
    assert!(matches!(out, CheckOutcome::NotApplicable { rule: RuleCode::Am01, .. }));
}

#[test]
fn scenario_38_edges_in_force_date_separate_contract_and_non_migrant() {
    let dates = GeneralRuleDates::default();
    assert!(check_separate_contracts(&am_lease("2023-07-01", false), &dates).is_violation());
    assert!(!check_separate_contracts(&am_lease("2023-06-30", false), &dates).is_violation());
    assert_eq!(check_separate_contracts(&am_lease("2023-08-01", true), &dates), CheckOutcome::Compliant);
    let mut l = am_lease("2023-08-01", false);
    l.tenant_is_arbeidsmigrant = false; // scenario 3: AM rules do not apply
    assert!(matches!(check_separate_contracts(&l, &dates), CheckOutcome::NotApplicable { .. }));
    // A municipality reading "after 1 July" strictly can configure it.
    let strict = GeneralRuleDates { separate_contracts_from: d("2023-07-02"), ..dates };
    assert!(!check_separate_contracts(&am_lease("2023-07-01", false), &strict).is_violation());
}

fn letter(langs: &[&str]) -> InformationLetterFacts {
    InformationLetterFacts {
        tenant_is_arbeidsmigrant: true,
        letter_languages: langs.iter().map(|s| s.to_string()).collect(),
        tenant_preferred_languages: vec!["pl".into()],
        tenant_understood_languages: vec!["pl".into(), "en".into()],
    }
}

#[test]
fn scenario_39_dutch_only_letter_to_polish_worker_violates_am_02() {
    let out = check_information_language(&letter(&["nl"]));
    assert!(matches!(out, CheckOutcome::Violation { rule: RuleCode::Am02, .. }));
}

#[test]
fn scenario_39_english_letter_is_compliant_because_understood() {
    assert_eq!(check_information_language(&letter(&["EN "])), CheckOutcome::Compliant);
    assert_eq!(check_information_language(&letter(&["nl", "pl"])), CheckOutcome::Compliant);
}

#[test]
fn scenario_39_edges_no_language_and_non_migrant() {
    assert!(check_information_language(&letter(&[])).is_violation());
    let mut f = letter(&["nl"]);
    f.tenant_is_arbeidsmigrant = false;
    assert!(matches!(check_information_language(&f), CheckOutcome::NotApplicable { .. }));
}
