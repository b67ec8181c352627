//! Tests of the sanction ladder: proposals, chosen-step checks, takeover grounds and the
//! enforcement case.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::NaiveDate;

use super::*;
use crate::domain::fines::tests::prior;
use crate::domain::fines::PriorFine;
use crate::domain::general_rules::RuleCode;
use crate::domain::money::Money;
use crate::domain::sanction_procedure::{LodPurpose, LodState, PenaltyOrder, PeriodForfeitMoment, SumKind};

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn key(rule: RuleCode) -> CaseKey {
    CaseKey { landlord_id: "L1".into(), address_id: "A1".into(), rule }
}

fn facts(established: &str) -> CaseFacts {
    CaseFacts {
        key: key(RuleCode::Gr04),
        established_on: d(established),
        landlord_kind: LandlordKind::Private,
        aggravating: vec![],
        warning: None,
        still_violating: true,
        has_licence: false,
        licence_refused_while_let: false,
        licence_revoked: false,
    }
}

fn fine(id: &str, decided: &str) -> PriorFine {
    prior(id, RuleCode::Gr04, decided)
}

#[test]
fn scenario_41_first_violation_proposes_warning_with_publication_notice() {
    let p = next_step(
        &facts("2025-03-03"),
        &LandlordHistory::default(),
        &LadderPolicy::default(),
        d("2025-03-03"),
    );
    assert_eq!(p.step, SanctionStep::Warning);
    assert!(p.alternatives_allowed.is_empty());
    assert!(p.legal_basis.iter().any(|b| b.contains("boete + publication")));
    // A fine straight away departs from policy (not from the law).
    let err = check_chosen_step(
        SanctionStep::AdministrativeFine,
        &facts("2025-03-03"),
        &LandlordHistory::default(),
        &LadderPolicy::default(),
        d("2025-03-03"),
    )
    .unwrap_err();
    assert_eq!(err.basis, StepBlock::Policy);
    assert!(check_chosen_step(
        SanctionStep::RecidiveFine,
        &facts("2025-03-03"),
        &LandlordHistory::default(),
        &LadderPolicy::default(),
        d("2025-03-03")
    )
    .is_err_and(|e| e.basis == StepBlock::Law));
}

fn warned(established: &str) -> CaseFacts {
    let mut f = facts(established);
    f.warning = Some(WarningRecord {
        rule: RuleCode::Gr04,
        issued_on: d("2025-03-03"),
        remedy_deadline: d("2025-04-14"),
        remedied: false,
    });
    f
}

#[test]
fn scenario_42_violation_continuing_after_warning_allows_fine_and_or_lod_or_lob() {
    let pol = LadderPolicy::default();
    let h = LandlordHistory::default();
    let p = next_step(&warned("2025-04-15"), &h, &pol, d("2025-04-15"));
    assert_eq!(p.step, SanctionStep::AdministrativeFine);
    assert_eq!(
        p.alternatives_allowed,
        vec![SanctionStep::PenaltyOrder, SanctionStep::AdministrativeCoercion]
    );
    assert!(p.publication_possible);
    for s in
        [SanctionStep::AdministrativeFine, SanctionStep::PenaltyOrder, SanctionStep::AdministrativeCoercion]
    {
        assert_eq!(check_chosen_step(s, &warned("2025-04-15"), &h, &pol, d("2025-04-15")), Ok(()));
    }
    assert!(check_chosen_step(
        SanctionStep::ManagementTakeover,
        &warned("2025-04-15"),
        &h,
        &pol,
        d("2025-04-15")
    )
    .is_err());
}

#[test]
fn scenario_42_edge_during_the_remedy_term_the_ladder_waits() {
    let pol = LadderPolicy::default();
    let h = LandlordHistory::default();
    let p = next_step(&warned("2025-04-14"), &h, &pol, d("2025-04-14"));
    assert_eq!(p.step, SanctionStep::AwaitRemedyTerm);
    assert!(check_chosen_step(
        SanctionStep::AdministrativeFine,
        &warned("2025-04-14"),
        &h,
        &pol,
        d("2025-04-14")
    )
    .is_err());
}

#[test]
fn serious_first_violations_skip_the_warning() {
    let pol = LadderPolicy::default();
    let h = LandlordHistory::default();
    let mut f = facts("2025-03-03");
    f.aggravating = vec![Aggravation::UnsafeHousing];
    let p = next_step(&f, &h, &pol, d("2025-03-03"));
    assert_eq!(p.step, SanctionStep::AdministrativeCoercion);
    assert!(p.alternatives_allowed.contains(&SanctionStep::AdministrativeFine));
    f.aggravating = vec![Aggravation::LabourExploitation];
    let p = next_step(&f, &h, &pol, d("2025-03-03"));
    assert_eq!(p.step, SanctionStep::PenaltyOrder);
    assert!(p.reasons.iter().any(|r| r.contains("Arbeidsinspectie")));
    // A municipality that does not skip for exploitation gets a warning.
    let pol2 = LadderPolicy { skip_warning_for: vec![Aggravation::UnsafeHousing], ..pol };
    assert_eq!(next_step(&f, &h, &pol2, d("2025-03-03")).step, SanctionStep::Warning);
}

#[test]
fn scenario_45_recidive_proposes_the_higher_fine() {
    let h = LandlordHistory { fines: vec![fine("v-old", "2024-02-01")], warnings: vec![] };
    let p = next_step(&facts("2025-10-01"), &h, &LadderPolicy::default(), d("2025-10-01"));
    assert_eq!(p.step, SanctionStep::RecidiveFine);
    assert!(p.recidive.as_ref().is_some_and(|r| r.is_recidive));
    assert_eq!(
        check_chosen_step(
            SanctionStep::RecidiveFine,
            &facts("2025-10-01"),
            &h,
            &LadderPolicy::default(),
            d("2025-10-01")
        ),
        Ok(())
    );
}

#[test]
fn next_violation_after_an_old_warning_elsewhere_proposes_a_fine() {
    let h = LandlordHistory {
        fines: vec![],
        warnings: vec![WarningRecord {
            rule: RuleCode::Gr06,
            issued_on: d("2024-05-01"),
            remedy_deadline: d("2024-06-12"),
            remedied: true,
        }],
    };
    let p = next_step(&facts("2025-10-01"), &h, &LadderPolicy::default(), d("2025-10-01"));
    assert_eq!(p.step, SanctionStep::AdministrativeFine);
}

#[test]
fn scenario_55_two_fines_and_a_third_violation_within_four_years_gives_ground_g1() {
    let h =
        LandlordHistory { fines: vec![fine("v1", "2024-03-01"), fine("v2", "2025-01-15")], warnings: vec![] };
    let f = facts("2026-06-01");
    let pol = LadderPolicy::default();
    assert_eq!(takeover_grounds(&f, &h, &pol.takeover), vec![TakeoverGround::TwoFinesAndFurtherViolation]);
    let p = next_step(&f, &h, &pol, d("2026-06-01"));
    assert_eq!(p.step, SanctionStep::ManagementTakeover);
    assert!(p.alternatives_allowed.contains(&SanctionStep::RecidiveFine));
    assert_eq!(check_chosen_step(SanctionStep::ManagementTakeover, &f, &h, &pol, d("2026-06-01")), Ok(()));
}

#[test]
fn scenario_55_edges_one_fine_or_an_old_fine_gives_no_g1() {
    let pol = LadderPolicy::default();
    let f = facts("2026-06-01");
    let one = LandlordHistory { fines: vec![fine("v2", "2025-01-15")], warnings: vec![] };
    assert!(takeover_grounds(&f, &one, &pol.takeover).is_empty());
    let err =
        check_chosen_step(SanctionStep::ManagementTakeover, &f, &one, &pol, d("2026-06-01")).unwrap_err();
    assert_eq!(err.basis, StepBlock::Law);
    let old =
        LandlordHistory { fines: vec![fine("v1", "2022-05-31"), fine("v2", "2025-01-15")], warnings: vec![] };
    assert!(takeover_grounds(&f, &old, &pol.takeover).is_empty());
    let mut annulled = fine("v1", "2024-03-01");
    annulled.annulled = true;
    let ann = LandlordHistory { fines: vec![annulled, fine("v2", "2025-01-15")], warnings: vec![] };
    assert!(takeover_grounds(&f, &ann, &pol.takeover).is_empty());
}

#[test]
fn licence_refused_while_let_or_revoked_gives_grounds_g2_g3() {
    let pol = LadderPolicy::default();
    let h = LandlordHistory::default();
    let mut f = facts("2025-06-01");
    f.key.rule = RuleCode::NoLicence;
    f.licence_refused_while_let = true;
    assert_eq!(takeover_grounds(&f, &h, &pol.takeover), vec![TakeoverGround::LicenceRefusedWhileLet]);
    f.licence_refused_while_let = false;
    f.licence_revoked = true;
    assert_eq!(takeover_grounds(&f, &h, &pol.takeover), vec![TakeoverGround::LicenceRevoked]);
    assert_eq!(next_step(&f, &h, &pol, d("2025-06-01")).step, SanctionStep::ManagementTakeover);
    // Revoking a licence that is not in force is unlawful.
    assert!(check_chosen_step(SanctionStep::LicenceRevocation, &f, &h, &pol, d("2025-06-01")).is_err());
}

#[test]
fn scenario_57_woningcorporatie_is_referred_not_enforced() {
    let mut f = facts("2025-02-01");
    f.key.rule = RuleCode::Gr03; // intimidation
    f.landlord_kind = LandlordKind::Woningcorporatie;
    let pol = LadderPolicy::default();
    let h = LandlordHistory::default();
    let p = next_step(&f, &h, &pol, d("2025-02-01"));
    assert_eq!(p.step, SanctionStep::ReferToAutoriteitWoningcorporaties);
    assert!(p.alternatives_allowed.is_empty());
    for s in [SanctionStep::Warning, SanctionStep::AdministrativeFine, SanctionStep::PenaltyOrder] {
        assert_eq!(check_chosen_step(s, &f, &h, &pol, d("2025-02-01")).unwrap_err().basis, StepBlock::Law);
    }
    assert_eq!(
        check_chosen_step(SanctionStep::ReferToAutoriteitWoningcorporaties, &f, &h, &pol, d("2025-02-01")),
        Ok(())
    );
    assert!(check_chosen_step(
        SanctionStep::ReferToAutoriteitWoningcorporaties,
        &facts("2025-02-01"),
        &h,
        &pol,
        d("2025-02-01")
    )
    .is_err());
}

#[test]
fn disabled_steps_are_replaced_and_refused_as_policy() {
    let pol =
        LadderPolicy { disabled_steps: vec![SanctionStep::AdministrativeFine], ..LadderPolicy::default() };
    let h = LandlordHistory::default();
    let p = next_step(&warned("2025-04-15"), &h, &pol, d("2025-04-15"));
    assert_eq!(p.step, SanctionStep::PenaltyOrder);
    assert!(!p.alternatives_allowed.contains(&SanctionStep::AdministrativeFine));
    assert_eq!(
        check_chosen_step(SanctionStep::AdministrativeFine, &warned("2025-04-15"), &h, &pol, d("2025-04-15"))
            .unwrap_err()
            .basis,
        StepBlock::Policy
    );
}

#[test]
fn ladder_policy_deserialises_with_defaults() {
    let pol: LadderPolicy = serde_json::from_str(r#"{"first_violation_step":"penalty_order"}"#).unwrap();
    assert_eq!(pol.first_violation_step, SanctionStep::PenaltyOrder);
    assert_eq!(pol.takeover.window_years, 4);
    let p = next_step(&facts("2025-03-03"), &LandlordHistory::default(), &pol, d("2025-03-03"));
    assert_eq!(p.step, SanctionStep::PenaltyOrder);
    assert_eq!(p.alternatives_allowed, vec![SanctionStep::Warning]);
}

fn deposit_lod() -> LodState {
    LodState::start(&PenaltyOrder {
        rule: RuleCode::Gr04,
        remedial_measures: vec!["Deposit clause: max 2x kale huur".into()],
        purpose: LodPurpose::PreventFurtherViolation,
        issued_on: d("2025-05-06"),
        begunstigingstermijn_days: Some(28),
        sum_kind: SumKind::Once,
        amount: Money::from_euros(5000).unwrap(),
        maximum: None,
        period_forfeit_moment: PeriodForfeitMoment::StartOfPeriod,
    })
    .unwrap()
}

#[test]
fn scenario_58_tenant_change_keeps_case_open_and_lod_effective() {
    let case = EnforcementCase::open(key(RuleCode::Gr04), d("2025-05-01"))
        .apply(&CaseEvent::SetPenaltyOrder { order: deposit_lod() })
        .unwrap();
    let after = case
        .apply(&CaseEvent::TenantChanged { on: d("2025-06-30") })
        .unwrap()
        .apply(&CaseEvent::TenantChanged { on: d("2025-07-01") })
        .unwrap();
    assert!(after.is_open());
    assert!(after.penalty_order_effective());
    assert_eq!(after.penalty_order, case.penalty_order);
    assert_eq!(after.tenant_changes, vec![d("2025-06-30"), d("2025-07-01")]);
    // The new tenant's identical deposit clause is found under the same landlord+address+rule.
    let cases = [after.clone()];
    assert_eq!(open_case_for(&cases, &key(RuleCode::Gr04)), Some(&after));
    assert_eq!(open_case_for(&cases, &key(RuleCode::Gr06)), None);
}

#[test]
fn scenario_58_a_case_cannot_be_closed_because_a_tenant_left() {
    // There is no such close reason: it does not even deserialise.
    let bad = serde_json::from_str::<CloseReason>(r#"{"reason":"tenant_left"}"#);
    assert!(bad.is_err());
    let case = EnforcementCase::open(key(RuleCode::Gr04), d("2025-05-01"));
    assert_eq!(
        case.apply(&CaseEvent::Close {
            on: d("2025-07-01"),
            reason: CloseReason::Disproportionate { motivation: " ".into() }
        }),
        Err(CaseError::MissingMotivation)
    );
    let closed = case
        .apply(&CaseEvent::Close {
            on: d("2025-08-01"),
            reason: CloseReason::Remedied { verified_on: d("2025-08-01") },
        })
        .unwrap();
    assert!(!closed.is_open());
    assert_eq!(closed.apply(&CaseEvent::SetPenaltyOrder { order: deposit_lod() }), Err(CaseError::Closed));
}
