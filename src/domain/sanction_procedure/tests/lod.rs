//! Tests of the penalty order (last onder dwangsom): forfeiture, collection, lapse and lifting
//! (scenarios 52 and 53).

use super::*;
use crate::domain::sanction_procedure::penalty_order::MAX_FORFEITURE_PERIODS;

fn scenario_52_order() -> PenaltyOrder {
    PenaltyOrder {
        rule: RuleCode::Gr04,
        remedial_measures: vec!["Verlaag de waarborgsom tot 2x de kale huur".into()],
        purpose: LodPurpose::EndOngoingViolation,
        issued_on: d("2025-05-06"),
        begunstigingstermijn_days: Some(28),
        sum_kind: SumKind::Once,
        amount: eur(5000),
        maximum: None,
        period_forfeit_moment: PeriodForfeitMoment::StartOfPeriod,
    }
}

fn non_compliant(on: &str, since: &str) -> FollowUpInspection {
    FollowUpInspection {
        inspected_on: d(on),
        compliant: false,
        non_compliant_since: Some(d(since)),
        violations_found: 1,
    }
}

#[test]
fn scenario_52_lump_sum_forfeited_with_exact_payment_and_lapse_dates() {
    let order = scenario_52_order();
    assert_eq!(order.compliance_deadline(), Some(d("2025-06-03")));
    let st = compute_forfeitures(&order, &[non_compliant("2025-06-05", "2025-06-04")], &NoAtwRoll).unwrap();
    assert_eq!(st.forfeitures.len(), 1);
    let f = &st.forfeitures[0];
    assert_eq!(f.forfeited_on, d("2025-06-04"));
    assert_eq!(f.amount, eur(5000));
    assert_eq!(f.payable_by, d("2025-07-16"));
    assert_eq!(f.collection_lapses_on, d("2026-06-04"));
    assert!(st.maximum_reached);
    // A later inspection forfeits nothing more (lump sum).
    let st2 = compute_forfeitures(
        &order,
        &[non_compliant("2025-06-05", "2025-06-04"), non_compliant("2025-07-01", "2025-06-04")],
        &NoAtwRoll,
    )
    .unwrap();
    assert_eq!(st2.total, eur(5000));
}

#[test]
fn scenario_52_no_forfeiture_within_the_begunstigingstermijn() {
    let order = scenario_52_order();
    let st = compute_forfeitures(&order, &[non_compliant("2025-06-03", "2025-05-06")], &NoAtwRoll).unwrap();
    assert!(st.forfeitures.is_empty());
    // Non-compliance "since" inside the term is clipped to the first forfeiture day.
    let st = compute_forfeitures(&order, &[non_compliant("2025-06-10", "2025-05-20")], &NoAtwRoll).unwrap();
    assert_eq!(st.forfeitures[0].forfeited_on, d("2025-06-04"));
}

#[test]
fn scenario_52_collection_requires_invordering_decision_before_reminder_and_lapses_after_a_year() {
    let order = scenario_52_order();
    let st = compute_forfeitures(&order, &[non_compliant("2025-06-05", "2025-06-04")], &NoAtwRoll).unwrap();
    let lod = LodState::start(&order).unwrap();
    let forfeited =
        lod.apply(&LodAction::RecordForfeiture { forfeiture: st.forfeitures[0].clone() }).unwrap();
    assert_eq!(forfeited.forfeited_total(), eur(5000));
    // 5:37: no aanmaning without a beschikking omtrent invordering.
    let err = forfeited.apply(&LodAction::SendReminder { on: d("2025-07-20") }).unwrap_err();
    match err {
        ProcedureError::IllegalTransition(t) => {
            assert_eq!(t.from, "forfeited");
            assert_eq!(t.action, "send_reminder");
            assert!(t.allowed.contains(&"decide_collection"));
        }
        other => panic!("{other:?}"),
    }
    // 5:35: lapsed on 2026-06-04; the day before is still in time.
    assert_eq!(
        forfeited.apply(&LodAction::DecideCollection { on: d("2026-06-04") }),
        Err(ProcedureError::CollectionPowerLapsed { lapsed_on: d("2026-06-04") })
    );
    let decided = forfeited.apply(&LodAction::DecideCollection { on: d("2026-06-03") }).unwrap();
    assert_eq!(decided.name(), "collection_decided");
    // Reminder only after the 5:33 payment term (2025-07-16).
    let decided_early = forfeited.apply(&LodAction::DecideCollection { on: d("2025-06-10") }).unwrap();
    assert!(matches!(
        decided_early.apply(&LodAction::SendReminder { on: d("2025-07-16") }),
        Err(ProcedureError::DateTooEarly { .. })
    ));
    let reminded = decided_early.apply(&LodAction::SendReminder { on: d("2025-07-17") }).unwrap();
    assert_eq!(reminded.name(), "reminder_sent");
    let paid = reminded.apply(&LodAction::RecordPayment { on: d("2025-08-01") }).unwrap();
    assert_eq!(paid.forfeited_total(), eur(5000));
    assert_eq!(paid.outstanding_total(), Money::ZERO);
    // The lump sum was the maximum: the order is spent and nothing is left to do.
    assert_eq!(paid.name(), "completed");
    assert!(paid.allowed_actions().is_empty());
    // The lump sum is the maximum: once forfeited the order is spent, nothing to lift.
    assert!(matches!(
        forfeited
            .apply(&LodAction::Lift { on: d("2026-06-10"), ground: LiftGround::OneYearWithoutForfeiture }),
        Err(ProcedureError::IllegalTransition(_))
    ));
}

#[test]
fn scenario_52_variant_lift_after_one_year_without_forfeiture() {
    let lod = LodState::start(&scenario_52_order()).unwrap();
    let lift = |on: &str| LodAction::Lift { on: d(on), ground: LiftGround::OneYearWithoutForfeiture };
    assert!(matches!(lod.apply(&lift("2026-05-05")), Err(ProcedureError::LiftNotAllowed { .. })));
    let lifted = lod.apply(&lift("2026-05-06")).unwrap();
    assert!(!lifted.is_effective());
    // Impossibility (5:34 lid 1) can be any time.
    assert!(lod.apply(&LodAction::Lift { on: d("2025-05-10"), ground: LiftGround::Impossibility }).is_ok());
}

#[test]
fn forfeiture_before_end_of_term_or_above_maximum_is_refused_by_the_state_machine() {
    let order = scenario_52_order();
    let lod = LodState::start(&order).unwrap();
    let early = Forfeiture::new(d("2025-06-03"), eur(5000), d("2025-06-03"), &NoAtwRoll);
    assert!(matches!(
        lod.apply(&LodAction::RecordForfeiture { forfeiture: early }),
        Err(ProcedureError::DateTooEarly { .. })
    ));
    let too_much = Forfeiture::new(d("2025-06-04"), eur(5001), d("2025-06-05"), &NoAtwRoll);
    assert!(matches!(
        lod.apply(&LodAction::RecordForfeiture { forfeiture: too_much }),
        Err(ProcedureError::AboveMaximum { .. })
    ));
}

#[test]
fn scenario_53_ongoing_violation_without_begunstigingstermijn_is_a_validation_error() {
    let mut order = scenario_52_order();
    order.begunstigingstermijn_days = None;
    assert_eq!(order.validate(), Err(vec![LodError::MissingBegunstigingstermijn]));
    order.begunstigingstermijn_days = Some(0);
    assert_eq!(order.validate(), Err(vec![LodError::MissingBegunstigingstermijn]));
    assert!(LodState::start(&order).is_err());
    // Preventing repetition of an ended violation needs no term (5:2 lid 1 b).
    order.purpose = LodPurpose::PreventRepetition;
    assert_eq!(order.validate(), Ok(()));
}

#[test]
fn lod_needs_measures_and_a_maximum_unless_lump_sum() {
    let mut order = scenario_52_order();
    order.sum_kind = SumKind::PerTimeUnit { unit: TimeUnit::Day };
    order.remedial_measures = vec!["  ".into()];
    assert_eq!(order.validate(), Err(vec![LodError::MissingRemedialMeasures, LodError::MissingMaximum]));
    order.remedial_measures = vec!["x".into()];
    order.maximum = Some(eur(100));
    assert_eq!(order.validate(), Err(vec![LodError::MaximumBelowAmount]));
    order.amount = Money::ZERO;
    order.maximum = Some(eur(100));
    assert_eq!(order.validate(), Err(vec![LodError::ZeroAmount]));
}

#[test]
fn per_day_dwangsom_counts_each_day_once_up_to_the_maximum() {
    let mut order = scenario_52_order();
    order.sum_kind = SumKind::PerTimeUnit { unit: TimeUnit::Day };
    order.amount = eur(500);
    order.maximum = Some(eur(5250));
    // Non-compliant 06-04..06-08 (5 days), re-inspected 06-10 (since 06-04 → 2 more days).
    let st = compute_forfeitures(
        &order,
        &[non_compliant("2025-06-08", "2025-06-04"), non_compliant("2025-06-10", "2025-06-04")],
        &NoAtwRoll,
    )
    .unwrap();
    assert_eq!(st.forfeitures.len(), 7);
    assert_eq!(st.total, eur(3500));
    assert_eq!(st.forfeitures[6].forfeited_on, d("2025-06-10"));
    // Long non-compliance hits the maximum; the last sum is partial.
    let st = compute_forfeitures(&order, &[non_compliant("2025-07-31", "2025-06-04")], &NoAtwRoll).unwrap();
    assert_eq!(st.total, eur(5250));
    assert!(st.maximum_reached);
    assert_eq!(st.forfeitures.len(), 11);
    assert_eq!(st.forfeitures[10].amount, eur(250));
}

#[test]
fn a_per_day_order_keeps_forfeiting_after_a_collection_decision_and_each_sum_is_collected_on_its_own() {
    let mut order = scenario_52_order();
    order.sum_kind = SumKind::PerTimeUnit { unit: TimeUnit::Day };
    order.amount = eur(500);
    order.maximum = Some(eur(5000));
    let forfeit = |lod: &LodState, on: &str| {
        let f = Forfeiture::new(d(on), eur(500), d(on), &NoAtwRoll);
        lod.apply(&LodAction::RecordForfeiture { forfeiture: f }).unwrap()
    };
    let lod = LodState::start(&order).unwrap();
    assert_eq!(lod.name(), "in_force");
    let lod = forfeit(&forfeit(&lod, "2025-06-04"), "2025-06-05");
    assert_eq!(lod.name(), "forfeited");
    let lod = lod.apply(&LodAction::DecideCollection { on: d("2025-06-10") }).unwrap();
    assert_eq!(lod.name(), "collection_decided");
    // The order still binds: a later follow-up forfeits more, which needs its own decision.
    assert!(lod.allowed_actions().contains(&"record_forfeiture"));
    let lod = forfeit(&lod, "2025-06-20");
    assert_eq!(lod.name(), "forfeited");
    assert_eq!(lod.forfeited_total(), eur(1500));
    // A reminder now reaches only the decided sums whose payment term passed (2025-07-16/17).
    let lod = lod.apply(&LodAction::SendReminder { on: d("2025-07-18") }).unwrap();
    let reminded: Vec<bool> = lod.forfeitures.iter().map(|f| f.reminder_on.is_some()).collect();
    assert_eq!(reminded, [true, true, false]);
    // The third sum has no decision: no reminder for it (5:37).
    let err = lod.apply(&LodAction::SendReminder { on: d("2025-08-10") }).unwrap_err();
    assert!(matches!(err, ProcedureError::IllegalTransition(_)), "{err:?}");
    // Its collection lapses on 2026-06-20: a decision on that day is too late; the lapse is
    // recorded instead, and the reminded sums are paid.
    assert_eq!(
        lod.apply(&LodAction::DecideCollection { on: d("2026-06-20") }),
        Err(ProcedureError::CollectionPowerLapsed { lapsed_on: d("2026-06-20") })
    );
    assert!(matches!(
        lod.apply(&LodAction::RecordLapse { on: d("2026-06-19") }),
        Err(ProcedureError::DateTooEarly { .. })
    ));
    let lod = lod.apply(&LodAction::RecordLapse { on: d("2026-06-20") }).unwrap();
    assert_eq!(lod.name(), "reminder_sent");
    let lod = lod.apply(&LodAction::RecordPayment { on: d("2026-06-25") }).unwrap();
    assert_eq!(lod.outstanding_total(), Money::ZERO);
    assert_eq!(lod.forfeitures[2].collection_lapsed_on, Some(d("2026-06-20")));
    assert!(lod.forfeitures[2].paid_on.is_none());
    // Below the maximum, nothing outstanding: the order binds on.
    assert_eq!(lod.name(), "in_force");
    // Lifting for want of forfeiture is not possible once forfeited (5:34 lid 2) …
    assert!(matches!(
        lod.apply(&LodAction::Lift { on: d("2026-07-01"), ground: LiftGround::OneYearWithoutForfeiture }),
        Err(ProcedureError::LiftNotAllowed { .. })
    ));
    // … but for impossibility it is, and the forfeited sums stay due (5:34 lid 1).
    let lod = forfeit(&lod, "2026-07-01");
    let lifted =
        lod.apply(&LodAction::Lift { on: d("2026-07-02"), ground: LiftGround::Impossibility }).unwrap();
    assert!(!lifted.is_effective());
    assert_eq!(lifted.name(), "forfeited");
    assert!(!lifted.allowed_actions().contains(&"record_forfeiture"));
    let lifted = lifted.apply(&LodAction::RecordPayment { on: d("2026-07-20") }).unwrap();
    assert_eq!(lifted.name(), "lifted");
    assert!(lifted.allowed_actions().is_empty());
    // State round-trips through JSON (stored as text).
    let json = serde_json::to_string(&lifted).unwrap();
    assert_eq!(serde_json::from_str::<LodState>(&json).unwrap(), lifted);
}

#[test]
fn per_week_dwangsom_start_vs_end_of_period_and_new_episode_after_compliance() {
    let mut order = scenario_52_order();
    order.sum_kind = SumKind::PerTimeUnit { unit: TimeUnit::Week };
    order.amount = eur(1000);
    order.maximum = Some(eur(20000));
    let insp = [non_compliant("2025-06-12", "2025-06-04")]; // 9 days
    let st = compute_forfeitures(&order, &insp, &NoAtwRoll).unwrap();
    let dates: Vec<NaiveDate> = st.forfeitures.iter().map(|f| f.forfeited_on).collect();
    assert_eq!(dates, [d("2025-06-04"), d("2025-06-11")]);
    order.period_forfeit_moment = PeriodForfeitMoment::EndOfPeriod;
    let st = compute_forfeitures(&order, &insp, &NoAtwRoll).unwrap();
    let dates: Vec<NaiveDate> = st.forfeitures.iter().map(|f| f.forfeited_on).collect();
    assert_eq!(dates, [d("2025-06-10")]);
    // Compliance in between: a new episode starts its own period grid.
    order.period_forfeit_moment = PeriodForfeitMoment::StartOfPeriod;
    let compliant = FollowUpInspection {
        inspected_on: d("2025-06-20"),
        compliant: true,
        non_compliant_since: None,
        violations_found: 0,
    };
    let st = compute_forfeitures(
        &order,
        &[compliant, non_compliant("2025-06-12", "2025-06-04"), non_compliant("2025-07-02", "2025-07-01")],
        &NoAtwRoll,
    )
    .unwrap();
    let dates: Vec<NaiveDate> = st.forfeitures.iter().map(|f| f.forfeited_on).collect();
    assert_eq!(dates, [d("2025-06-04"), d("2025-06-11"), d("2025-07-01")]);
}

#[test]
fn per_violation_dwangsom_multiplies_by_violations_found() {
    let mut order = scenario_52_order();
    order.sum_kind = SumKind::PerViolation;
    order.amount = eur(1000);
    order.maximum = Some(eur(2500));
    let mut i = non_compliant("2025-06-10", "2025-06-10");
    i.violations_found = 2;
    let st =
        compute_forfeitures(&order, &[i, non_compliant("2025-07-10", "2025-07-10")], &NoAtwRoll).unwrap();
    assert_eq!(st.total, eur(2500));
    assert_eq!(st.forfeitures[1].amount, eur(500));
}

#[test]
fn absurd_dates_do_not_hang_or_panic() {
    let mut order = scenario_52_order();
    order.sum_kind = SumKind::PerTimeUnit { unit: TimeUnit::Day };
    order.amount = Money::from_cents(1).unwrap();
    order.maximum = Some(Money::from_cents(i64::MAX).unwrap());
    let r = compute_forfeitures(&order, &[non_compliant("9999-12-31", "2025-06-04")], &NoAtwRoll);
    assert_eq!(r, Err(vec![LodError::TooManyPeriods { limit: MAX_FORFEITURE_PERIODS }]));
    order.issued_on = NaiveDate::MAX;
    let _ = compute_forfeitures(&order, &[non_compliant("2025-06-05", "2025-06-04")], &NoAtwRoll);
}
