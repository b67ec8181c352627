//! Tests of fines: cap tables, policy amounts, recidive and validation (scenarios 43–49).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::NaiveDate;

use super::*;
use crate::domain::general_rules::RuleCode;
use crate::domain::money::Money;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}
fn eur(e: i64) -> Money {
    Money::from_euros(e).unwrap()
}

fn proposal(amount: i64, violation: &str) -> ProposedFine {
    ProposedFine {
        violation_id: "v-new".into(),
        rule: RuleCode::Gr04,
        violation_date: d(violation),
        amount: eur(amount),
        offender_kind: OffenderKind::Bedrijfsmatig,
        rapport_date: Some(d(violation)),
        zienswijze_invited_on: Some(d(violation)),
        decision_date: d(violation),
        lapse_suspensions: Vec::new(),
    }
}

/// A final, not annulled prior fine for violation `id` of `rule`, with every date on `decided`
/// (also the ladder tests' prior fine).
pub(crate) fn prior(id: &str, rule: RuleCode, decided: &str) -> PriorFine {
    PriorFine {
        violation_id: id.into(),
        rule,
        violation_date: d(decided),
        rapport_date: Some(d(decided)),
        decision_date: d(decided),
        final_date: Some(d(decided)),
        annulled: false,
    }
}

/// Whether a GR-04 violation of 1 October 2025 is a recidive after `prior` under `policy`.
fn recidive_on_1_october_2025(prior: &[PriorFine], policy: &RecidivePolicy) -> bool {
    determine_recidive(RuleCode::Gr04, d("2025-10-01"), prior, policy).is_recidive
}

#[test]
fn default_tables_are_valid_and_give_the_rules_md_amounts() {
    let t = FineTables::default_general_rules();
    assert_eq!(t.validate(), Ok(()));
    assert_eq!(t.cap_for(d("2023-07-01"), false), Ok(eur(22_500)));
    assert_eq!(t.cap_for(d("2023-12-31"), true), Ok(eur(90_000)));
    assert_eq!(t.cap_for(d("2024-01-01"), false), Ok(eur(25_750)));
    assert_eq!(t.cap_for(d("2025-12-31"), true), Ok(eur(103_000)));
}

#[test]
fn missing_table_is_a_clear_error_never_a_default() {
    let t = FineTables::default_general_rules();
    assert_eq!(t.cap_for(d("2026-01-01"), false), Err(FineError::NoTableForDate { date: d("2026-01-01") }));
    assert_eq!(t.cap_for(d("2023-06-30"), false), Err(FineError::NoTableForDate { date: d("2023-06-30") }));
    // Licence fines need a verordening table.
    let mut p = proposal(1000, "2025-02-10");
    p.rule = RuleCode::NoLicence;
    let err = validate_fine(&p, &[], &FinePolicy::default()).unwrap_err();
    assert_eq!(err.errors, vec![FineError::NoTableForDate { date: d("2025-02-10") }]);
}

#[test]
fn fine_tables_round_trip_json_and_reject_overlaps() {
    let t = FineTables::default_general_rules();
    let json = serde_json::to_string(&t).unwrap();
    assert!(json.contains("\"first_offence_cap\":2575000"));
    assert_eq!(serde_json::from_str::<FineTables>(&json).unwrap(), t);
    let mut bad = t.clone();
    bad.0.push(FineTable {
        valid_from: d("2025-06-01"),
        valid_until: None,
        first_offence_cap: eur(1),
        recidive_cap: eur(2),
        source: String::new(),
    });
    assert!(matches!(bad.validate(), Err(FineError::OverlappingTables { .. })));
    assert!(matches!(bad.table_for(d("2025-07-01")), Err(FineError::OverlappingTables { .. })));
    let inverted = FineTables(vec![FineTable {
        valid_from: d("2026-01-01"),
        valid_until: None,
        first_offence_cap: eur(10),
        recidive_cap: eur(5),
        source: String::new(),
    }]);
    assert!(matches!(inverted.validate(), Err(FineError::InvalidTable { .. })));
}

#[test]
fn scenario_43_fine_above_first_offence_cap_is_rejected() {
    let err = validate_fine(&proposal(30_000, "2025-02-10"), &[], &FinePolicy::default()).unwrap_err();
    assert_eq!(
        err.errors,
        vec![FineError::AboveStatutoryCap { proposed: eur(30_000), cap: eur(25_750), recidive: false }]
    );
    assert!(err.to_string().contains("€25750.00"));
}

#[test]
fn scenario_43_edge_exactly_the_cap_is_allowed() {
    let a = validate_fine(&proposal(25_750, "2025-02-10"), &[], &FinePolicy::default()).unwrap();
    assert_eq!(a.statutory_cap, eur(25_750));
    assert!(!a.recidive.is_recidive);
    assert_eq!(a.power_lapses_on, d("2030-02-10"));
    assert_eq!(a.decision_due, Some(d("2025-05-12")));
}

#[test]
fn scenario_45_prior_fine_within_four_years_raises_cap_to_103000() {
    let prior = [prior("v-old", RuleCode::Gr01, "2024-02-01")];
    let f = determine_recidive(RuleCode::Gr04, d("2025-10-01"), &prior, &RecidivePolicy::default());
    assert!(f.is_recidive);
    assert_eq!(f.qualifying_violation_id.as_deref(), Some("v-old"));
    let a = validate_fine(&proposal(103_000, "2025-10-01"), &prior, &FinePolicy::default()).unwrap();
    assert_eq!(a.statutory_cap, eur(103_000));
    assert!(validate_fine(&proposal(103_001, "2025-10-01"), &prior, &FinePolicy::default()).is_err());
}

#[test]
fn scenario_45_edges_window_anchor_same_rule_and_annulled() {
    let pol = RecidivePolicy::default();
    let same = RecidivePolicy { same_rule_required: true, ..pol.clone() };
    let two = RecidivePolicy { window_years: 2, ..pol.clone() };
    // One prior fine (its rule and decision date) under a policy: recidive or not.
    for (case, rule, decided, policy, recidive) in [
        ("window boundary: exactly 4 years before counts", RuleCode::Gr04, "2021-10-01", &pol, true),
        ("window boundary: a day earlier does not", RuleCode::Gr04, "2021-09-30", &pol, false),
        ("a same-day or later prior fine does not count", RuleCode::Gr04, "2025-10-01", &pol, false),
        ("same rule required", RuleCode::Gr01, "2024-02-01", &same, false),
        ("licence fines do not count for a general rule", RuleCode::NoLicence, "2024-02-01", &pol, false),
        ("configurable window length", RuleCode::Gr04, "2023-02-01", &two, false),
    ] {
        assert_eq!(recidive_on_1_october_2025(&[prior("a", rule, decided)], policy), recidive, "{case}");
    }
    // Final-date anchor: not final yet → does not count.
    let mut p = prior("a", RuleCode::Gr04, "2024-02-01");
    p.final_date = None;
    let fin = RecidivePolicy { anchor: RecidiveAnchor::FinalDate, ..pol.clone() };
    assert!(!recidive_on_1_october_2025(std::slice::from_ref(&p), &fin));
    assert!(recidive_on_1_october_2025(std::slice::from_ref(&p), &pol));
    // Annulled fines do not count.
    p.annulled = true;
    assert!(!recidive_on_1_october_2025(&[p], &pol));
}

#[test]
fn scenario_48_fine_above_340_without_rapport_or_zienswijze_is_blocked() {
    let mut p = proposal(5_000, "2025-02-10");
    p.rapport_date = None;
    p.zienswijze_invited_on = None;
    let err = validate_fine(&p, &[], &FinePolicy::default()).unwrap_err();
    assert_eq!(
        err.errors,
        vec![FineError::RapportAndZienswijzeRequired { amount: eur(5_000), threshold: eur(340) }]
    );
    // Rapport without zienswijze is still blocked; €340 itself is not "above".
    p.rapport_date = Some(d("2025-02-10"));
    assert!(validate_fine(&p, &[], &FinePolicy::default()).is_err());
    p.amount = eur(340);
    assert!(validate_fine(&p, &[], &FinePolicy::default()).is_ok());
}

#[test]
fn scenario_49_second_fine_for_the_same_violation_is_blocked() {
    let prior = [prior("v-new", RuleCode::Gr04, "2025-03-01")];
    let mut p = proposal(5_000, "2025-02-10");
    p.decision_date = d("2025-04-01");
    let err = validate_fine(&p, &prior, &FinePolicy::default()).unwrap_err();
    assert_eq!(err.errors, vec![FineError::AlreadyFined { violation_id: "v-new".into() }]);
}

#[test]
fn power_to_fine_lapses_five_years_after_the_violation() {
    let mut p = proposal(5_000, "2024-03-01");
    p.decision_date = d("2029-02-28");
    assert!(validate_fine(&p, &[], &FinePolicy::default()).is_ok());
    p.decision_date = d("2029-03-01");
    let err = validate_fine(&p, &[], &FinePolicy::default()).unwrap_err();
    assert_eq!(
        err.errors,
        vec![FineError::PowerLapsed {
            violation_date: d("2024-03-01"),
            lapsed_on: d("2029-03-01"),
            suspension_days: 0
        }]
    );
}

#[test]
fn an_objection_against_an_annulled_fine_keeps_the_power_to_fine_for_its_length() {
    // The first fine's objection ran 1 Aug 2024 – 1 Oct 2024 (31 + 30 = 61 days): the power
    // lapses on 1 Mar 2029 + 61 days = 1 May 2029 (Mar 31 + Apr 30 = 61).
    let mut p = proposal(5_000, "2024-03-01");
    p.lapse_suspensions = vec![LapseSuspension::closed(d("2024-08-01"), d("2024-10-01"))];
    p.decision_date = d("2029-04-30");
    let a = validate_fine(&p, &[], &FinePolicy::default()).unwrap();
    assert_eq!(a.power_lapses_on, d("2029-05-01"));
    assert_eq!(a.lapse_suspension_days, 61);
    assert_eq!(a.lapse_suspensions, p.lapse_suspensions);
    p.decision_date = d("2029-05-01");
    let err = validate_fine(&p, &[], &FinePolicy::default()).unwrap_err();
    assert_eq!(
        err.errors,
        vec![FineError::PowerLapsed {
            violation_date: d("2024-03-01"),
            lapsed_on: d("2029-05-01"),
            suspension_days: 61
        }]
    );
    assert!(err.to_string().contains("plus 61 days of objection or appeal"), "{err}");
}

#[test]
fn niet_bedrijfsmatig_policy_percentage_lowers_the_cap() {
    let pol = FinePolicy { niet_bedrijfsmatig_cap_percent: 50, ..FinePolicy::default() };
    let mut p = proposal(13_000, "2025-02-10");
    p.offender_kind = OffenderKind::NietBedrijfsmatig;
    let err = validate_fine(&p, &[], &pol).unwrap_err();
    assert_eq!(err.errors, vec![FineError::AbovePolicyCap { proposed: eur(13_000), cap: eur(12_875) }]);
    p.offender_kind = OffenderKind::Bedrijfsmatig;
    assert!(validate_fine(&p, &[], &pol).is_ok());
    let bad = FinePolicy { bedrijfsmatig_cap_percent: 150, ..FinePolicy::default() };
    assert!(matches!(
        validate_fine(&p, &[], &bad).unwrap_err().errors[..],
        [FineError::InvalidPolicy { .. }]
    ));
}

#[test]
fn multiple_problems_are_all_reported_and_zero_is_refused() {
    let mut p = proposal(0, "2025-02-10");
    p.decision_date = d("2025-01-01");
    let err = validate_fine(&p, &[], &FinePolicy::default()).unwrap_err();
    assert!(err.errors.contains(&FineError::ZeroAmount));
    assert!(err.errors.contains(&FineError::DecisionBeforeViolation));
}

#[test]
fn fine_policy_deserialises_from_partial_json_with_defaults() {
    let pol: FinePolicy = serde_json::from_str(r#"{"recidive":{"window_years":5}}"#).unwrap();
    assert_eq!(pol.recidive.window_years, 5);
    assert_eq!(pol.recidive.anchor, RecidiveAnchor::DecisionDate);
    assert_eq!(pol.general_rule_tables, FineTables::default_general_rules());
}
