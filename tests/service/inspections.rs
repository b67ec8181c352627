//! Inspections: recording, performing, the referral decision and the evaluation, without HTTP.

use std::sync::Arc;

use chrono::NaiveDate;
use huurtoezicht::db::audit::{self, AuditFilter};
use huurtoezicht::domain::complaints::Partner;
use huurtoezicht::domain::inspection::{
    EntryBasis, ExploitationSignal, Findings, InspectionStatus, Observation, RoomFinding,
};
use huurtoezicht::domain::ruleset::RuleSetHistory;
use huurtoezicht::error::AppError;
use huurtoezicht::service::{self, inspections};

use crate::common::{fresh_db, officer, system, today, TestDb, MUNICIPALITY};

fn room(observations: Vec<Observation>) -> RoomFinding {
    RoomFinding {
        label: "kamer 1".into(),
        entry_basis: EntryBasis::OccupantConsent,
        warrant_reference: None,
        sleeping_room: true,
        occupants: Some(2),
        area_dm2: Some(1_200),
        partners: false,
        observations,
    }
}

fn create(status: InspectionStatus, findings: Findings) -> inspections::CreateInspection {
    let (planned_on, performed_on) = match status {
        InspectionStatus::Planned => (Some(NaiveDate::from_ymd_opt(2026, 11, 20).unwrap()), None),
        InspectionStatus::Performed => (None, Some(today())),
    };
    inspections::CreateInspection {
        municipality: MUNICIPALITY.into(),
        status,
        planned_on,
        performed_on,
        postcode: "3011AB".into(),
        house_number: 10,
        house_number_addition: None,
        address_key: "3011AB|10|".into(),
        landlord_id: None,
        property_id: None,
        licence_id: None,
        officers: vec!["A. de Vries".into()],
        interpreter_used: false,
        interpreter_language: None,
        findings,
        parties: vec![],
        complaint_ids: vec![],
    }
}

async fn actions(t: &TestDb, id: &str) -> Vec<String> {
    let id = id.to_string();
    service::read(&t.db, system(), move |tx| {
        let f = AuditFilter {
            entity_type: Some("inspection".into()),
            entity_id: Some(id),
            before_id: None,
            limit: 20,
        };
        audit::list(tx.conn, &tx.scope, &f)
    })
    .await
    .unwrap()
    .into_iter()
    .map(|r| r.action)
    .collect()
}

#[tokio::test]
async fn exploitation_signals_need_a_referral_decision_and_a_referral_takes_it() {
    let t = fresh_db();
    let findings = Findings {
        rooms: vec![room(vec![Observation::FireHazard])],
        exploitation_signals: vec![ExploitationSignal::DocumentsWithheld],
        ..Findings::default()
    };
    let cmd = create(InspectionStatus::Performed, findings);
    let created =
        service::write(&t.db, officer(), move |tx| inspections::create_inspection(tx, cmd)).await.unwrap();
    let row = &created.row;
    assert_eq!(row.status, InspectionStatus::Performed);
    assert_eq!(row.performed_on, Some(today()));
    assert!(row.urgent && row.has_signals && !row.referral_decided);
    assert_eq!(row.created_by.as_deref(), Some("officer-1"));

    let cmd = inspections::AddReferral {
        inspection_id: row.id.clone(),
        partner: Partner::LabourInspectorate,
        referred_on: today(),
        shared_data: "adres en signalen".into(),
        legal_basis: "art. 10 Wgv".into(),
        content: Default::default(),
    };
    let referred =
        service::write(&t.db, officer(), move |tx| inspections::add_referral(tx, cmd)).await.unwrap();
    assert!(referred.row.referral_decided);
    assert_eq!(referred.referrals.len(), 1);
    assert_eq!(referred.referrals[0].referred_on, today());
    assert_eq!(referred.referrals[0].partner, huurtoezicht::domain::complaints::Partner::LabourInspectorate);
    assert_eq!(actions(&t, &row.id).await, vec!["add_referral", "create"]);
}

#[tokio::test]
async fn a_planned_inspection_is_performed_once_and_then_evaluated() {
    let t = fresh_db();
    let cmd = create(InspectionStatus::Planned, Findings::default());
    let planned =
        service::write(&t.db, officer(), move |tx| inspections::create_inspection(tx, cmd)).await.unwrap();
    let id = planned.row.id.clone();

    let eval = inspections::EvaluateInspection {
        id: id.clone(),
        rules: Arc::new(RuleSetHistory::shipped_default()),
    };
    let err = service::write(&t.db, officer(), move |tx| inspections::evaluate_inspection(tx, eval))
        .await
        .unwrap_err();
    assert!(matches!(err, AppError::Conflict { .. }), "{err:?}");

    let perform = |id: String| inspections::PerformInspection {
        id,
        performed_on: today(),
        officers: None,
        interpreter_used: false,
        interpreter_language: None,
        findings: Findings { rooms: vec![room(vec![])], ..Findings::default() },
    };
    let first = perform(id.clone());
    let done =
        service::write(&t.db, officer(), move |tx| inspections::perform_inspection(tx, first)).await.unwrap();
    assert_eq!(done.row.status, InspectionStatus::Performed);
    let again = perform(id.clone());
    let err = service::write(&t.db, officer(), move |tx| inspections::perform_inspection(tx, again))
        .await
        .unwrap_err();
    assert!(matches!(err, AppError::Conflict { .. }), "{err:?}");

    let eval = inspections::EvaluateInspection {
        id: id.clone(),
        rules: Arc::new(RuleSetHistory::shipped_default()),
    };
    let evaluation =
        service::write(&t.db, officer(), move |tx| inspections::evaluate_inspection(tx, eval)).await.unwrap();
    assert_eq!(evaluation.occupants_counted, 2);
    let no_referral =
        inspections::RecordNoReferral { inspection_id: id.clone(), reason: "geen signalen".into() };
    let err = service::write(&t.db, officer(), move |tx| inspections::record_no_referral(tx, no_referral))
        .await
        .unwrap_err();
    assert!(matches!(err, AppError::Conflict { .. }), "no signals, no referral decision: {err:?}");
    assert_eq!(actions(&t, &id).await, vec!["evaluate", "perform", "create"]);
}

#[tokio::test]
async fn a_failed_entry_attempt_is_listed_and_audited_without_its_note() {
    use huurtoezicht::domain::inspection_records::EntryAttemptReason;
    let t = fresh_db();
    let cmd = create(InspectionStatus::Planned, Findings::default());
    let id = service::write(&t.db, officer(), move |tx| inspections::create_inspection(tx, cmd))
        .await
        .unwrap()
        .row
        .id;
    let attempt = |on: NaiveDate| inspections::AddEntryAttempt {
        inspection_id: id.clone(),
        attempted_on: on,
        reason: EntryAttemptReason::NoAccessOther,
        note: Some("poort op slot canary-note".into()),
    };
    let cmd = attempt(today().succ_opt().unwrap());
    let err = service::write(&t.db, officer(), move |tx| inspections::add_entry_attempt(tx, cmd))
        .await
        .unwrap_err();
    assert!(matches!(err, AppError::Validation(_)), "{err:?}");
    let cmd = attempt(today());
    let after =
        service::write(&t.db, officer(), move |tx| inspections::add_entry_attempt(tx, cmd)).await.unwrap();
    let listed = &after.records.entry_attempts;
    assert_eq!(listed.len(), 1);
    assert_eq!(
        (listed[0].reason, listed[0].recorded_by.as_deref()),
        (EntryAttemptReason::NoAccessOther, Some("officer-1"))
    );
    assert_eq!(listed[0].note.as_deref(), Some("poort op slot canary-note"));
    assert_eq!(actions(&t, &id).await, vec!["add_entry_attempt", "create"]);
    let rows = service::read(&t.db, system(), move |tx| {
        let f = AuditFilter {
            entity_type: Some("inspection".into()),
            entity_id: Some(id),
            before_id: None,
            limit: 20,
        };
        audit::list(tx.conn, &tx.scope, &f)
    })
    .await
    .unwrap();
    for r in rows {
        let text = format!("{:?} {:?} {:?}", r.before_state, r.after_state, r.reason);
        assert!(!text.contains("canary-note"), "{text}");
    }
}
