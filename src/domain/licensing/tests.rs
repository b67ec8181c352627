//! Tests of licence applications: state machine, Bibob, screening, voorschriften, decisions,
//! classification and validity.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::NaiveDate;

use super::*;
use crate::domain::ruleset::{LicenceKind, RuleSet};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

// --- state machine ---

#[test]
fn happy_path_draft_to_granted() {
    let mut s = ApplicationState::Draft;
    for a in [
        Action::Submit,
        Action::RequestInformation,
        Action::SupplyInformation,
        Action::StartReview,
        Action::ExtendTerm,
        Action::Decide(DecisionOutcome::Granted),
    ] {
        s = transition(s, a).unwrap();
    }
    assert_eq!(s, ApplicationState::Granted);
    assert!(s.is_decided() && s.is_final());
}

#[test]
fn illegal_transition_names_allowed_actions() {
    let err = transition(ApplicationState::Submitted, Action::Decide(DecisionOutcome::Refused)).unwrap_err();
    assert_eq!(err.from, ApplicationState::Submitted);
    assert_eq!(err.action, ActionKind::Decide);
    assert_eq!(
        err.allowed,
        vec![
            ActionKind::RequestInformation,
            ActionKind::StartReview,
            ActionKind::ExtendTerm,
            ActionKind::Withdraw
        ]
    );
    let json = serde_json::to_value(&err).unwrap();
    assert_eq!(json["allowed"][1], "start_review");
}

#[test]
fn final_states_allow_nothing() {
    for s in [
        ApplicationState::Granted,
        ApplicationState::GrantedWithConditions,
        ApplicationState::Refused,
        ApplicationState::Withdrawn,
        ApplicationState::NotConsidered,
    ] {
        assert!(allowed_actions(s).is_empty());
        assert!(transition(s, Action::Withdraw).is_err());
    }
}

#[test]
fn not_considered_only_from_incomplete() {
    assert_eq!(
        transition(ApplicationState::Incomplete, Action::NotConsidered),
        Ok(ApplicationState::NotConsidered)
    );
    assert!(transition(ApplicationState::InReview, Action::NotConsidered).is_err());
}

#[test]
fn allowed_actions_agree_with_transition() {
    let states = [
        ApplicationState::Draft,
        ApplicationState::Submitted,
        ApplicationState::Incomplete,
        ApplicationState::InReview,
        ApplicationState::Granted,
        ApplicationState::Withdrawn,
    ];
    let actions = [
        Action::Submit,
        Action::RequestInformation,
        Action::SupplyInformation,
        Action::StartReview,
        Action::ExtendTerm,
        Action::Withdraw,
        Action::NotConsidered,
        Action::Decide(DecisionOutcome::GrantedWithConditions),
    ];
    for s in states {
        for a in actions {
            assert_eq!(transition(s, a).is_ok(), allowed_actions(s).contains(&a.kind()), "{s:?} {a:?}");
        }
    }
}

#[test]
fn action_serialises_with_outcome() {
    let a = Action::Decide(DecisionOutcome::GrantedWithConditions);
    assert_eq!(
        serde_json::to_string(&a).unwrap(),
        r#"{"action":"decide","outcome":"granted_with_conditions"}"#
    );
    let back: Action = serde_json::from_str(r#"{"action":"submit"}"#).unwrap();
    assert_eq!(back, Action::Submit);
}

// --- Bibob ---

fn ctx(outcome: Option<BibobOutcome>, zienswijze: Option<NaiveDate>) -> DecisionContext {
    DecisionContext {
        licence_kind: LicenceKind::General,
        self_contained: true,
        bibob: BibobCheck {
            status: if outcome.is_some() { BibobStatus::Completed } else { BibobStatus::NotStarted },
            outcome,
            zienswijze_invited_on: zienswijze,
        },
        screening: ScreeningFlags::default(),
    }
}

/// A plain grant decided on `decided_on`: no grounds, no voorschriften, no motivation.
fn grant(decided_on: NaiveDate) -> DecisionRequest {
    DecisionRequest {
        outcome: DecisionOutcome::Granted,
        decided_on,
        refusal_grounds: vec![],
        voorschriften: vec![],
        motivation: None,
        proportionality_motivation: None,
    }
}

fn refuse_bibob(motivation: Option<&str>) -> DecisionRequest {
    DecisionRequest {
        outcome: DecisionOutcome::Refused,
        refusal_grounds: vec![RefusalGround::BibobSeriousDanger],
        motivation: Some("ernstig gevaar, zie advies LBB".into()),
        proportionality_motivation: motivation.map(String::from),
        ..grant(d(2025, 6, 2))
    }
}

fn bibob_condition() -> Voorschrift {
    Voorschrift {
        kind: VoorschriftKind::BibobDangerLimitation,
        text: "financiering via Nederlandse bank, jaarlijks aantonen".into(),
    }
}

#[test]
fn scenario_13_serious_danger_refusal_requires_zienswijze_and_proportionality() {
    let c = ctx(Some(BibobOutcome::SeriousDangerA), None);
    let blocks = check_decision(&c, &refuse_bibob(None)).unwrap_err();
    assert_eq!(
        blocks,
        vec![DecisionBlock::ZienswijzeMissing, DecisionBlock::ProportionalityMotivationMissing]
    );
    // Zienswijze on the decision day itself is not "prior".
    let same_day = ctx(Some(BibobOutcome::SeriousDangerB), Some(d(2025, 6, 2)));
    assert_eq!(
        check_decision(&same_day, &refuse_bibob(Some("evenredig"))),
        Err(vec![DecisionBlock::ZienswijzeMissing])
    );
    let ok = ctx(Some(BibobOutcome::SeriousDangerB), Some(d(2025, 5, 12)));
    assert_eq!(check_decision(&ok, &refuse_bibob(Some("evenredig: ernstige feiten"))), Ok(()));
    assert!(permitted_outcomes(&ok).contains(&DecisionOutcome::Refused));
}

#[test]
fn scenario_14_lesser_danger_no_bibob_refusal_but_conditions_after_zienswijze() {
    let c = ctx(Some(BibobOutcome::LesserDanger), Some(d(2025, 5, 12)));
    let blocks = check_decision(&c, &refuse_bibob(Some("x"))).unwrap_err();
    assert_eq!(blocks, vec![DecisionBlock::BibobRefusalWithoutSeriousDanger]);
    assert_eq!(
        permitted_outcomes(&c),
        vec![DecisionOutcome::Granted, DecisionOutcome::GrantedWithConditions]
    );
    let with_conditions = DecisionRequest {
        outcome: DecisionOutcome::GrantedWithConditions,
        voorschriften: vec![bibob_condition()],
        ..grant(d(2025, 6, 2))
    };
    assert_eq!(check_decision(&c, &with_conditions), Ok(()));
    let plain_grant = DecisionRequest {
        outcome: DecisionOutcome::Granted,
        voorschriften: vec![],
        ..with_conditions.clone()
    };
    assert_eq!(check_decision(&c, &plain_grant), Ok(()));
    // Without the zienswijze the Bibob voorschriften are blocked.
    let no_zw = ctx(Some(BibobOutcome::LesserDanger), None);
    assert_eq!(check_decision(&no_zw, &with_conditions), Err(vec![DecisionBlock::ZienswijzeMissing]));
    // Bibob voorschriften need a lesser danger outcome.
    let none = ctx(Some(BibobOutcome::NoDanger), Some(d(2025, 5, 12)));
    assert_eq!(
        check_decision(&none, &with_conditions),
        Err(vec![DecisionBlock::BibobConditionsWithoutLesserDanger])
    );
}

#[test]
fn scenario_15_no_danger_no_flags_grant() {
    let c = ctx(Some(BibobOutcome::NoDanger), None);
    assert_eq!(
        permitted_outcomes(&c),
        vec![DecisionOutcome::Granted, DecisionOutcome::GrantedWithConditions]
    );
    let grant = grant(d(2025, 4, 28));
    assert_eq!(check_decision(&c, &grant), Ok(()));
    let refuse = DecisionRequest {
        outcome: DecisionOutcome::Refused,
        refusal_grounds: vec![RefusalGround::PriorEnforcement8y],
        motivation: Some("x".into()),
        ..grant
    };
    assert_eq!(
        check_decision(&c, &refuse),
        Err(vec![DecisionBlock::GroundNotEstablished { ground: RefusalGround::PriorEnforcement8y }])
    );
}

#[test]
fn scenario_16_requesting_lbb_advice_obliges_notification() {
    let t = bibob_transition(BibobStatus::QuestionnaireReceived, BibobAction::RequestLbbAdvice).unwrap();
    assert_eq!(t.to, BibobStatus::LbbAdviceRequested);
    assert!(t.duties.contains(&BibobDuty::NotifyApplicantOfLbbRequest));
    assert!(t.duties.contains(&BibobDuty::SuspendDecisionTerm));
    let done =
        bibob_transition(BibobStatus::LbbAdviceRequested, BibobAction::Complete(BibobOutcome::LesserDanger))
            .unwrap();
    assert_eq!(done.to, BibobStatus::Completed);
    assert_eq!(done.outcome, Some(BibobOutcome::LesserDanger));
    assert_eq!(done.duties, vec![BibobDuty::ResumeDecisionTerm]);
}

#[test]
fn bibob_illegal_steps_are_refused() {
    let err = bibob_transition(BibobStatus::NotStarted, BibobAction::RequestLbbAdvice).unwrap_err();
    assert_eq!(
        err.allowed,
        vec![
            BibobActionKind::SendQuestionnaire,
            BibobActionKind::StartOwnInvestigation,
            BibobActionKind::Complete
        ]
    );
    assert!(bibob_transition(BibobStatus::Completed, BibobAction::Complete(BibobOutcome::NoDanger)).is_err());
}

#[test]
fn no_decision_while_bibob_in_progress() {
    let mut c = ctx(None, None);
    c.bibob.status = BibobStatus::LbbAdviceRequested;
    assert_eq!(check_decision(&c, &grant(d(2025, 4, 28))), Err(vec![DecisionBlock::BibobInProgress]));
    assert!(permitted_outcomes(&c).is_empty());
}

#[test]
fn refusal_without_ground_or_motivation_is_blocked() {
    let c = ctx(None, None);
    let req = DecisionRequest {
        outcome: DecisionOutcome::Refused,
        motivation: Some("  ".into()),
        ..grant(d(2025, 4, 28))
    };
    assert_eq!(
        check_decision(&c, &req),
        Err(vec![DecisionBlock::RefusalWithoutGround, DecisionBlock::RefusalWithoutMotivation])
    );
}

// --- screening ---

fn screening(dates: Vec<NaiveDate>, permit: bool, beheer: bool) -> ScreeningInput {
    ScreeningInput {
        application_date: d(2025, 3, 3),
        prior_enforcement_dates: dates,
        missing_realisation_permit: permit,
        dwelling_in_beheer: beheer,
    }
}

#[test]
fn scenario_7_prior_enforcement_within_8_years_is_flagged_not_refused() {
    let f = screen_refusal_grounds(&screening(vec![d(2019, 5, 10)], false, false));
    assert!(f.prior_enforcement_8y);
    assert_eq!(f.grounds(), vec![RefusalGround::PriorEnforcement8y]);
    // Discretionary: both grant and refusal remain possible.
    let c = DecisionContext { screening: f, ..ctx(None, None) };
    assert_eq!(
        permitted_outcomes(&c),
        vec![DecisionOutcome::Granted, DecisionOutcome::GrantedWithConditions, DecisionOutcome::Refused]
    );
}

#[test]
fn prior_enforcement_window_boundaries() {
    assert!(screen_refusal_grounds(&screening(vec![d(2017, 3, 3)], false, false)).prior_enforcement_8y);
    assert!(!screen_refusal_grounds(&screening(vec![d(2017, 3, 2)], false, false)).prior_enforcement_8y);
    assert!(!screen_refusal_grounds(&screening(vec![d(2025, 3, 4)], false, false)).prior_enforcement_8y);
    assert!(!screen_refusal_grounds(&screening(vec![], false, false)).prior_enforcement_8y);
}

#[test]
fn scenario_9_missing_permit_flag() {
    let f = screen_refusal_grounds(&screening(vec![], true, false));
    assert!(f.missing_building_permit);
    assert_eq!(f.grounds(), vec![RefusalGround::MissingBuildingPermit]);
}

#[test]
fn scenario_10_beheer_flag() {
    let f = screen_refusal_grounds(&screening(vec![], false, true));
    assert!(f.beheer);
    assert_eq!(f.grounds(), vec![RefusalGround::Beheer]);
}

// --- voorschriften ---

#[test]
fn scenario_12_tenant_must_be_employed_is_rejected_for_general_licence() {
    let v = Voorschrift { kind: VoorschriftKind::Other, text: "tenant must be employed".into() };
    assert_eq!(validate_voorschrift(LicenceKind::General, &v, true), Err(VoorschriftError::NotInCatalogue));
    // Through the decision check it is reported with its index.
    let c = ctx(Some(BibobOutcome::NoDanger), None);
    let req = DecisionRequest {
        outcome: DecisionOutcome::GrantedWithConditions,
        voorschriften: vec![
            Voorschrift {
                kind: VoorschriftKind::MaintenancePlan,
                text: "onderhoudsplan binnen 6 maanden".into(),
            },
            v,
        ],
        ..grant(d(2025, 4, 28))
    };
    assert_eq!(
        check_decision(&c, &req),
        Err(vec![DecisionBlock::InvalidVoorschrift { index: 1, error: VoorschriftError::NotInCatalogue }])
    );
}

#[test]
fn general_licence_catalogue() {
    let v = |kind| Voorschrift { kind, text: "x".into() };
    for kind in [
        VoorschriftKind::GoodLandlordshipCompliance,
        VoorschriftKind::MaximumRent,
        VoorschriftKind::MaintenancePlan,
        VoorschriftKind::WrittenLease,
    ] {
        assert_eq!(validate_voorschrift(LicenceKind::General, &v(kind), true), Ok(()));
    }
    assert_eq!(
        validate_voorschrift(LicenceKind::General, &v(VoorschriftKind::MaximumRent), false),
        Err(VoorschriftError::RentConditionNotSelfContained)
    );
    assert_eq!(
        validate_voorschrift(LicenceKind::General, &v(VoorschriftKind::OccupancyLimit), true),
        Err(VoorschriftError::NotInCatalogue)
    );
    assert_eq!(
        validate_voorschrift(LicenceKind::LabourMigrant, &v(VoorschriftKind::OccupancyLimit), false),
        Ok(())
    );
    let empty = Voorschrift { kind: VoorschriftKind::WrittenLease, text: " ".into() };
    assert_eq!(validate_voorschrift(LicenceKind::General, &empty, true), Err(VoorschriftError::EmptyText));
}

// --- classification, transition, transfer ---

#[test]
fn scenario_3_ukrainian_worker_is_not_arbeidsmigrant() {
    let w = WorkerFacts { eu_national: false, hoofdverblijf_nl: false, temporary_work: true };
    assert!(!w.is_arbeidsmigrant());
    assert!(!is_verblijfsruimte(false, &[w]));
}

#[test]
fn scenario_4_polish_resident_with_permanent_job_is_not_arbeidsmigrant() {
    let w = WorkerFacts { eu_national: true, hoofdverblijf_nl: true, temporary_work: false };
    assert!(!w.is_arbeidsmigrant());
}

#[test]
fn scenario_5_romanian_seasonal_worker_in_chalet_is_arbeidsmigrant() {
    let w = WorkerFacts { eu_national: true, hoofdverblijf_nl: false, temporary_work: true };
    assert!(w.is_arbeidsmigrant());
    // The chalet on the employer's premises is a verblijfsruimte because it is used for them.
    assert!(is_verblijfsruimte(false, &[w]));
}

#[test]
fn scenario_6_existing_lease_gets_six_months_transition() {
    let rules = RuleSet::default();
    assert_eq!(earliest_licence_requirement(d(2025, 7, 1), d(2024, 5, 1), &rules), d(2026, 1, 1));
    // A longer transition in the rule set is honoured; a shorter one is raised to 6 months.
    let long = RuleSet { transition_months: 12, ..RuleSet::default() };
    assert_eq!(earliest_licence_requirement(d(2025, 7, 1), d(2024, 5, 1), &long), d(2026, 7, 1));
    let short = RuleSet { transition_months: 3, ..RuleSet::default() };
    assert_eq!(earliest_licence_requirement(d(2025, 7, 1), d(2024, 5, 1), &short), d(2026, 1, 1));
    // A new lease is covered from its start.
    assert_eq!(earliest_licence_requirement(d(2025, 7, 1), d(2025, 8, 15), &rules), d(2025, 8, 15));
}

#[test]
fn scenario_11_licence_does_not_transfer_to_buyer() {
    assert!(!licence_transfers_on_sale(&RuleSet::default()));
}

#[test]
fn licence_validity_from_rule_set() {
    assert_eq!(licence_expires_on(d(2025, 4, 28), &RuleSet::default()), None);
    let five = RuleSet { licence_validity_years: Some(5), ..RuleSet::default() };
    assert_eq!(licence_expires_on(d(2025, 4, 28), &five), Some(d(2030, 4, 28)));
}

#[test]
fn scenario_63_short_stay_flag() {
    let mut rules = RuleSet::default();
    assert_eq!(classify_short_stay(&rules, 45), ShortStayClassification::NotClassified);
    rules.features.short_stay_30_days = true;
    assert_eq!(classify_short_stay(&rules, 45), ShortStayClassification::RegularLease);
    assert_eq!(classify_short_stay(&rules, 30), ShortStayClassification::ShortStayPossible);
}

#[test]
fn refusal_grounds_are_named_like_the_screening_flags() {
    let codes = serde_json::to_value([
        RefusalGround::MissingBuildingPermit,
        RefusalGround::PriorEnforcement8y,
        RefusalGround::Beheer,
        RefusalGround::BibobSeriousDanger,
    ])
    .unwrap();
    assert_eq!(
        codes,
        serde_json::json!([
            "missing_building_permit",
            "prior_enforcement_8y",
            "beheer",
            "bibob_serious_danger"
        ])
    );
    let flags = serde_json::to_value(ScreeningFlags::default()).unwrap();
    assert!(flags.get("missing_building_permit").is_some() && flags.get("prior_enforcement_8y").is_some());
}
