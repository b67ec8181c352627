//! Tests of the sanction procedures: statutory dates, the fine procedure and the warning; the
//! penalty order tests are in `lod`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod fine_payment;
mod lod;

use chrono::NaiveDate;

use super::*;
use crate::domain::fines;
use crate::domain::general_rules::RuleCode;
use crate::domain::money::Money;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}
fn eur(e: i64) -> Money {
    Money::from_euros(e).unwrap()
}
const CFG: FineProcedureConfig =
    FineProcedureConfig { zienswijze_term_days: 14, publish_before_final: false, publication_months: None };

/// A test roll that moves weekend days to Monday (holidays are calendar.rs's job).
struct WeekendRoll;
impl AtwRoll for WeekendRoll {
    fn roll_forward(&self, date: NaiveDate) -> NaiveDate {
        use chrono::Datelike;
        match date.weekday() {
            chrono::Weekday::Sat => add_days_sat(date, 2),
            chrono::Weekday::Sun => add_days_sat(date, 1),
            _ => date,
        }
    }
}

#[test]
fn scenario_47_fine_decision_due_13_weeks_after_rapport_without_atw() {
    assert_eq!(fine_decision_due(d("2025-01-06")), d("2025-04-07"));
    let s = FineState::start(d("2025-01-06"));
    assert_eq!(s.decision_due(), Some(d("2025-04-07")));
}

#[test]
fn scenario_51_payment_due_6_weeks_after_notification() {
    assert_eq!(fine_payment_due(d("2025-04-07"), &NoAtwRoll), d("2025-05-19"));
    assert_eq!(objection_term_ends(d("2025-04-07"), &NoAtwRoll), d("2025-05-19"));
}

#[test]
fn atw_roll_is_applied_to_short_statutory_terms_only_via_the_caller() {
    // Notified Sat 2025-03-01 → raw 6 weeks = Sat 2025-04-12 → rolled to Mon 2025-04-14.
    assert_eq!(fine_payment_due(d("2025-03-01"), &NoAtwRoll), d("2025-04-12"));
    assert_eq!(fine_payment_due(d("2025-03-01"), &WeekendRoll), d("2025-04-14"));
    // 13-week term: never rolled (rapport Sat → due Sat).
    assert_eq!(fine_decision_due(d("2025-03-01")), d("2025-05-31"));
}

#[test]
fn date_helpers_saturate_instead_of_panicking() {
    assert_eq!(add_days_sat(NaiveDate::MAX, 1), NaiveDate::MAX);
    assert_eq!(add_weeks_sat(NaiveDate::MAX, u32::MAX), NaiveDate::MAX);
    assert_eq!(add_years_sat(NaiveDate::MAX, u32::MAX), NaiveDate::MAX);
    assert_eq!(sub_years_sat(NaiveDate::MIN, 4), NaiveDate::MIN);
    assert_eq!(add_years_sat(d("2024-02-29"), 1), d("2025-02-28"));
}

fn full_fine_flow() -> Vec<FineState> {
    let mut states = vec![FineState::start(d("2025-01-06"))];
    let actions = [
        FineAction::SendIntent { on: d("2025-01-13") },
        FineAction::ReceiveZienswijze { on: d("2025-01-20") },
        FineAction::Decide { decided_on: d("2025-04-07"), notified_on: d("2025-04-07"), amount: eur(5000) },
        FineAction::BecomeFinal { on: d("2025-05-20") },
        FineAction::Publish { on: d("2025-05-21"), expires_on: Some(d("2026-05-21")) },
    ];
    for a in actions {
        let next = states.last().unwrap().apply(&a, &CFG, &NoAtwRoll).unwrap();
        states.push(next);
    }
    states
}

#[test]
fn every_publication_has_an_end_from_the_request_or_the_policy() {
    let mut states = full_fine_flow();
    states.pop();
    let final_state = states.pop().unwrap();
    assert_eq!(final_state.name(), "final");
    let publish = |expires_on: Option<&str>, cfg: &FineProcedureConfig| {
        final_state.apply(
            &FineAction::Publish { on: d("2025-05-21"), expires_on: expires_on.map(d) },
            cfg,
            &NoAtwRoll,
        )
    };
    assert_eq!(publish(None, &CFG), Err(ProcedureError::PublicationExpiryRequired));
    assert!(matches!(publish(Some("2025-05-21"), &CFG), Err(ProcedureError::DateTooEarly { .. })));
    let with_term = FineProcedureConfig { publication_months: Some(12), ..CFG };
    match publish(None, &with_term).unwrap() {
        FineState::Published { expires_on, .. } => assert_eq!(expires_on, Some(d("2026-05-21"))),
        other => panic!("{other:?}"),
    }
    match publish(Some("2025-11-21"), &with_term).unwrap() {
        FineState::Published { expires_on, .. } => assert_eq!(expires_on, Some(d("2025-11-21"))),
        other => panic!("{other:?}"),
    }
}

#[test]
fn scenario_47_51_fine_procedure_rapport_to_published_with_exact_dates() {
    let states = full_fine_flow();
    let names: Vec<&str> = states.iter().map(|s| s.name()).collect();
    assert_eq!(names, ["rapport", "intent_sent", "intent_sent", "decided", "final", "published"]);
    match &states[1] {
        FineState::IntentSent { zienswijze_due, .. } => assert_eq!(*zienswijze_due, d("2025-01-27")),
        other => panic!("{other:?}"),
    }
    match &states[3] {
        FineState::Decided { decision, .. } => {
            assert_eq!(decision.payment_due, d("2025-05-19"));
            assert_eq!(decision.objection_ends, d("2025-05-19"));
            assert!(!decision.decided_late);
        }
        other => panic!("{other:?}"),
    }
    assert!(states[5].is_publicly_visible(d("2025-05-21")));
    assert!(!states[4].is_publicly_visible(d("2025-05-21")));
}

#[test]
fn fine_becomes_final_only_after_the_objection_term() {
    let decided = &full_fine_flow()[3];
    let err = decided.apply(&FineAction::BecomeFinal { on: d("2025-05-19") }, &CFG, &NoAtwRoll).unwrap_err();
    assert!(matches!(err, ProcedureError::DateTooEarly { .. }));
    // Objection on the last day is in time; the day after is late.
    assert_eq!(
        decided.apply(&FineAction::LodgeObjection { on: d("2025-05-19") }, &CFG, &NoAtwRoll).unwrap().name(),
        "objection_lodged"
    );
    assert!(matches!(
        decided.apply(&FineAction::LodgeObjection { on: d("2025-05-20") }, &CFG, &NoAtwRoll),
        Err(ProcedureError::DateTooLate { .. })
    ));
}

#[test]
fn an_objection_is_remembered_as_a_lapse_suspension_until_final_or_annulled() {
    let decided = &full_fine_flow()[3];
    assert_eq!(decided.lapse_suspension(), None);
    let lodged =
        decided.apply(&FineAction::LodgeObjection { on: d("2025-05-01") }, &CFG, &NoAtwRoll).unwrap();
    assert_eq!(lodged.lapse_suspension(), Some(fines::LapseSuspension::open(d("2025-05-01"))));
    let annulled = lodged.apply(&FineAction::Annul { on: d("2026-01-05") }, &CFG, &NoAtwRoll).unwrap();
    let period = Some(fines::LapseSuspension::closed(d("2025-05-01"), d("2026-01-05")));
    assert_eq!(annulled.lapse_suspension(), period);
    // Final after the objection, then published: the period stays known.
    let fin = lodged.apply(&FineAction::BecomeFinal { on: d("2026-01-05") }, &CFG, &NoAtwRoll).unwrap();
    assert_eq!(fin.lapse_suspension(), period);
    let published = fin
        .apply(
            &FineAction::Publish { on: d("2026-01-06"), expires_on: Some(d("2027-01-06")) },
            &CFG,
            &NoAtwRoll,
        )
        .unwrap();
    assert_eq!(published.lapse_suspension(), period);
    // Stored states without the field (written before it existed) still read, without a period.
    let mut old = serde_json::to_value(&annulled).unwrap();
    assert_eq!(old["objection_lodged_on"], "2025-05-01");
    old.as_object_mut().unwrap().remove("objection_lodged_on");
    let old: FineState = serde_json::from_value(old).unwrap();
    assert_eq!(old.lapse_suspension(), None);
    // A fine annulled without an objection suspended nothing.
    let plain = decided.apply(&FineAction::Annul { on: d("2025-05-02") }, &CFG, &NoAtwRoll).unwrap();
    assert_eq!(plain.lapse_suspension(), None);
}

#[test]
fn scenario_48_decision_above_340_without_zienswijze_is_blocked() {
    let s = FineState::start(d("2025-01-06"));
    let err = s
        .apply(
            &FineAction::Decide {
                decided_on: d("2025-02-01"),
                notified_on: d("2025-02-01"),
                amount: eur(5000),
            },
            &CFG,
            &NoAtwRoll,
        )
        .unwrap_err();
    assert_eq!(err, ProcedureError::ZienswijzeRequired { amount: eur(5000), threshold: eur(340) });
    // Exactly €340 is not "above" 5:53's threshold.
    assert!(s
        .apply(
            &FineAction::Decide {
                decided_on: d("2025-02-01"),
                notified_on: d("2025-02-01"),
                amount: eur(340)
            },
            &CFG,
            &NoAtwRoll
        )
        .is_ok());
}

#[test]
fn deciding_while_the_zienswijze_term_runs_is_refused() {
    let s = FineState::start(d("2025-01-06"))
        .apply(&FineAction::SendIntent { on: d("2025-01-13") }, &CFG, &NoAtwRoll)
        .unwrap();
    let decide = |on: &str| FineAction::Decide { decided_on: d(on), notified_on: d(on), amount: eur(5000) };
    assert_eq!(
        s.apply(&decide("2025-01-27"), &CFG, &NoAtwRoll),
        Err(ProcedureError::ZienswijzeTermRunning { until: d("2025-01-27") })
    );
    assert!(s.apply(&decide("2025-01-28"), &CFG, &NoAtwRoll).is_ok());
    // Late decision (after 5:51 term) is flagged, not blocked.
    match s.apply(&decide("2025-04-08"), &CFG, &NoAtwRoll).unwrap() {
        FineState::Decided { decision, .. } => assert!(decision.decided_late),
        other => panic!("{other:?}"),
    }
}

#[test]
fn illegal_fine_transition_reports_from_action_and_allowed() {
    let s = FineState::start(d("2025-01-06"));
    let err = s
        .apply(&FineAction::Publish { on: d("2025-02-01"), expires_on: None }, &CFG, &NoAtwRoll)
        .unwrap_err();
    assert_eq!(
        err,
        ProcedureError::IllegalTransition(IllegalTransition {
            procedure: "administrative_fine",
            from: "rapport",
            action: "publish",
            allowed: vec!["send_intent", "decide", "drop"],
        })
    );
    // Publishing before final only when configured.
    let decided = &full_fine_flow()[3];
    assert!(matches!(
        decided.apply(&FineAction::Publish { on: d("2025-04-08"), expires_on: None }, &CFG, &NoAtwRoll),
        Err(ProcedureError::IllegalTransition(_))
    ));
    let early = FineProcedureConfig { publish_before_final: true, publication_months: Some(12), ..CFG };
    let published = decided
        .apply(&FineAction::Publish { on: d("2025-04-08"), expires_on: None }, &early, &NoAtwRoll)
        .unwrap();
    assert!(published.is_publicly_visible(d("2026-04-07")));
    assert!(!published.is_publicly_visible(d("2026-04-08")));
    // Annulled after publication: no longer visible.
    let annulled = published.apply(&FineAction::Annul { on: d("2025-06-01") }, &early, &NoAtwRoll).unwrap();
    assert!(!annulled.is_publicly_visible(d("2025-06-02")));
}

#[test]
fn fine_state_round_trips_through_json() {
    for s in full_fine_flow() {
        let json = serde_json::to_string(&s).unwrap();
        assert_eq!(serde_json::from_str::<FineState>(&json).unwrap(), s);
    }
}

#[test]
fn scenario_41_warning_carries_mandatory_consequence_text() {
    let policy = WarningPolicy::default();
    let w = Warning::draft(RuleCode::Gr04, d("2025-03-03"), &policy);
    assert_eq!(w.remedy_deadline, d("2025-04-14"));
    assert!(w.consequence_text.contains("boete") && w.consequence_text.contains("openbaar"));
    assert!(WarningState::issue(&w, &policy).is_ok());
    let mut bad = w.clone();
    bad.consequence_text = "Graag aanpassen.".into();
    assert_eq!(
        bad.validate(&policy),
        Err(vec![
            WarningError::ConsequenceTextLacks { term: "boete".into() },
            WarningError::ConsequenceTextLacks { term: "openbaar".into() }
        ])
    );
    bad.consequence_text = " ".into();
    assert_eq!(bad.validate(&policy), Err(vec![WarningError::MissingConsequenceText]));
}

#[test]
fn scenario_42_warning_not_remedied_only_after_the_remedy_term() {
    let policy = WarningPolicy::default();
    let w = Warning::draft(RuleCode::Gr04, d("2025-03-03"), &policy);
    let s = WarningState::issue(&w, &policy).unwrap();
    assert!(matches!(
        s.apply(&WarningAction::EstablishNotRemedied { on: d("2025-04-14") }),
        Err(ProcedureError::DateTooEarly { .. })
    ));
    let nr = s.apply(&WarningAction::EstablishNotRemedied { on: d("2025-04-15") }).unwrap();
    assert_eq!(nr.name(), "not_remedied");
    assert!(matches!(
        nr.apply(&WarningAction::Withdraw { on: d("2025-05-01") }),
        Err(ProcedureError::IllegalTransition(_))
    ));
}
