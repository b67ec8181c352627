//! Payment of an administrative fine: partial payments, the outstanding amount, the dates and
//! the states that cannot be paid.

use super::*;

fn pay(st: &FineState, on: &str, cents: i64) -> Result<FineState, ProcedureError> {
    st.apply(
        &FineAction::RecordPayment { paid_on: d(on), amount: Money::from_cents(cents).unwrap() },
        &CFG,
        &NoAtwRoll,
    )
}

fn decided() -> FineState {
    full_fine_flow()[3].clone()
}

#[test]
fn partial_payments_add_up_and_the_last_one_settles_the_fine() {
    let st = decided();
    assert!(st.allowed_actions(&CFG).contains(&"record_payment"));
    let st = pay(&st, "2025-04-20", 200_000).unwrap();
    assert_eq!(st.name(), "decided");
    let decision = st.decision().unwrap();
    assert_eq!(decision.paid_cents, 200_000);
    assert_eq!(decision.outstanding(), Money::from_cents(300_000).unwrap());
    assert_eq!(decision.outstanding_cents, Some(300_000));
    assert!(st.allowed_actions(&CFG).contains(&"record_payment"));

    let st = pay(&st, "2025-05-01", 300_000).unwrap();
    let decision = st.decision().unwrap();
    assert!(decision.paid_in_full());
    assert_eq!(decision.outstanding_cents, Some(0));
    assert_eq!(
        decision.payments,
        vec![
            FinePayment { paid_on: d("2025-04-20"), amount: Money::from_cents(200_000).unwrap() },
            FinePayment { paid_on: d("2025-05-01"), amount: Money::from_cents(300_000).unwrap() },
        ]
    );
    // Fully paid: no more payments; the procedure's own steps remain.
    let allowed = st.allowed_actions(&CFG);
    assert!(!allowed.contains(&"record_payment"));
    assert!(allowed.contains(&"lodge_objection"));
    assert!(matches!(pay(&st, "2025-05-02", 1), Err(ProcedureError::IllegalTransition(_))));
}

#[test]
fn a_payment_above_what_is_outstanding_or_of_nothing_is_refused() {
    let st = pay(&decided(), "2025-04-20", 499_999).unwrap();
    assert_eq!(
        pay(&st, "2025-04-21", 2),
        Err(ProcedureError::AboveOutstanding {
            amount: Money::from_cents(2).unwrap(),
            outstanding: Money::from_cents(1).unwrap(),
        })
    );
    assert_eq!(pay(&st, "2025-04-21", 0), Err(ProcedureError::ZeroAmount));
    assert!(pay(&st, "2025-04-21", 1).unwrap().decision().unwrap().paid_in_full());
}

#[test]
fn a_payment_is_not_dated_before_the_decision() {
    let err = pay(&decided(), "2025-04-06", 100).unwrap_err();
    assert!(matches!(err, ProcedureError::DateTooEarly { field: "paid_on", .. }), "{err:?}");
    assert!(pay(&decided(), "2025-04-07", 100).is_ok());
}

#[test]
fn payments_carry_over_to_final_and_published_and_can_be_made_there() {
    let st = pay(&decided(), "2025-04-20", 100_000).unwrap();
    let fin = st.apply(&FineAction::BecomeFinal { on: d("2025-05-20") }, &CFG, &NoAtwRoll).unwrap();
    assert_eq!(fin.decision().unwrap().paid_cents, 100_000);
    assert_eq!(fin.allowed_actions(&CFG), vec!["publish", "record_payment"]);
    let fin = pay(&fin, "2025-06-01", 400_000).unwrap();
    assert_eq!(fin.name(), "final");
    assert_eq!(fin.allowed_actions(&CFG), vec!["publish"]);
    let published = full_fine_flow().pop().unwrap();
    assert!(pay(&published, "2025-06-01", 100).is_ok());
}

#[test]
fn an_annulled_a_dropped_or_an_undecided_fine_cannot_be_paid() {
    let annulled = decided().apply(&FineAction::Annul { on: d("2025-04-10") }, &CFG, &NoAtwRoll).unwrap();
    assert!(!annulled.allowed_actions(&CFG).contains(&"record_payment"));
    match pay(&annulled, "2025-04-20", 100) {
        Err(ProcedureError::IllegalTransition(t)) => {
            assert_eq!((t.from, t.action), ("annulled", "record_payment"))
        }
        other => panic!("{other:?}"),
    }
    let rapport = FineState::start(d("2025-01-06"));
    assert!(matches!(pay(&rapport, "2025-01-07", 100), Err(ProcedureError::IllegalTransition(_))));
    let dropped = rapport
        .apply(&FineAction::Drop { on: d("2025-01-07"), reason: DropReason::Other }, &CFG, &NoAtwRoll)
        .unwrap();
    assert!(matches!(pay(&dropped, "2025-01-08", 100), Err(ProcedureError::IllegalTransition(_))));
}

#[test]
fn a_decision_stored_before_payments_were_recorded_reads_as_unpaid() {
    let mut v = serde_json::to_value(decided()).unwrap();
    let decision = v["decision"].as_object_mut().unwrap();
    for k in ["payments", "paid_cents", "outstanding_cents"] {
        decision.remove(k);
    }
    let st: FineState = serde_json::from_value(v).unwrap();
    assert_eq!(st.decision().unwrap().outstanding(), eur(5000));
    assert!(pay(&st, "2025-04-20", 500_000).unwrap().decision().unwrap().paid_in_full());
}

#[test]
fn a_fully_paid_fine_has_no_payment_deadline() {
    use crate::domain::sanction_lifecycle::SanctionKind;
    let kinds = |st: &FineState| -> Vec<&'static str> {
        SanctionKind::AdministrativeFine
            .deadlines(&serde_json::to_value(st).unwrap())
            .iter()
            .map(|d| d.kind)
            .collect()
    };
    let st = pay(&decided(), "2025-04-20", 100_000).unwrap();
    assert!(kinds(&st).contains(&"payment"));
    let st = pay(&st, "2025-04-21", 400_000).unwrap();
    assert_eq!(kinds(&st), vec!["objection_term"]);
}
