//! Enforcement use cases on a real database: a violation opens a case, a warning is started on
//! the ladder's proposal (row, audit, letter in one transaction), closing the last violation
//! closes the case, and a refused step leaves nothing behind.

use std::sync::Arc;

use chrono::NaiveDate;
use diesel::prelude::*;
use huurtoezicht::db::audit::{self, AuditFilter};
use huurtoezicht::db::schema::outbox;
use huurtoezicht::domain::enforcement_policy::EnforcementPolicy;
use huurtoezicht::domain::general_rules::RuleCode;
use huurtoezicht::domain::ladder::SanctionStep;
use huurtoezicht::domain::sanction_lifecycle::{
    CaseStage, CaseStatus, CloseReason, SanctionKind, ViolationStatus,
};
use huurtoezicht::error::AppError;
use huurtoezicht::service::enforcement::{
    self as uc, Address, CloseViolation, CreateViolation, Evidence, StartSanction, StartWarning,
};
use huurtoezicht::service::{self, Ctx};

use crate::common::{fresh_db, now, officer, system, TestDb, MUNICIPALITY};

const LANDLORD: &str = "landlord-1";

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn with_landlord() -> TestDb {
    let t = fresh_db();
    let mut conn = t.db.get().unwrap();
    huurtoezicht::db::accounts::insert_landlord(
        &mut conn,
        &huurtoezicht::db::accounts::Landlord::self_registered(
            LANDLORD.into(),
            huurtoezicht::domain::landlords::LandlordKind::NaturalPerson,
            "J. Verhuurder".into(),
            None,
            "verhuurder@example.nl".into(),
            now(),
        ),
    )
    .unwrap();
    drop(conn);
    t
}

fn violation() -> CreateViolation {
    CreateViolation {
        municipality: MUNICIPALITY.into(),
        created_by: "officer-1".into(),
        landlord_id: LANDLORD.into(),
        addressed_to: huurtoezicht::domain::party_links::AddressedTo::Landlord,
        intermediary_id: None,
        address: Address {
            postcode: "3011AB".into(),
            house_number: 10,
            addition: Some("A".into()),
            key: "3011AB|10|A".into(),
        },
        rule: RuleCode::Gr04,
        licence_condition: None,
        established_on: d("2026-10-01"),
        description: "Waarborgsom van drie maanden kale huur gevraagd".into(),
        numbers: None,
        evidence: Evidence { documents: vec!["huurcontract-17".into()], ..Evidence::default() },
        inspection_id: None,
        aggravations: vec![],
        woningcorporatie: false,
        property_id: None,
        licence_id: None,
    }
}

fn warning(case_id: &str, violation_id: &str) -> StartSanction {
    StartSanction {
        case_id: case_id.into(),
        violation_id: violation_id.into(),
        step: SanctionStep::Warning,
        motivation: None,
        displacement: None,
        warning: Some(StartWarning {
            issued_on: d("2026-10-15"),
            remedy_deadline: None,
            consequence_text: None,
        }),
        fine: None,
        penalty_order: None,
        coercion: None,
        takeover: None,
        policy: Arc::new(EnforcementPolicy::default()),
        municipality_name: "Rotterdam".into(),
        created_by: "officer-1".into(),
    }
}

async fn audit_actions(t: &TestDb, entity_type: &str) -> Vec<String> {
    let entity_type = entity_type.to_string();
    service::read(&t.db, system(), move |tx| {
        let f = AuditFilter { entity_type: Some(entity_type), entity_id: None, before_id: None, limit: 50 };
        audit::list(tx.conn, &tx.scope, &f)
    })
    .await
    .unwrap()
    .into_iter()
    .map(|r| r.action)
    .collect()
}

fn mails(t: &TestDb) -> Vec<(String, String, String)> {
    let mut conn = t.db.get().unwrap();
    outbox::table.select((outbox::recipient, outbox::subject, outbox::body)).load(&mut *conn).unwrap()
}

async fn write<T: Send + 'static>(
    t: &TestDb,
    ctx: Ctx,
    f: impl FnOnce(&mut service::Tx<'_>) -> Result<T, AppError> + Send + 'static,
) -> Result<T, AppError> {
    service::write(&t.db, ctx, f).await
}

#[tokio::test]
async fn a_violation_opens_a_case_and_a_warning_is_sent_with_it() {
    let t = with_landlord();
    let v = write(&t, officer(), |tx| uc::create_violation(tx, violation())).await.unwrap();
    assert_eq!(v.status, ViolationStatus::Open);
    assert_eq!(v.established_on, d("2026-10-01"));
    assert_eq!(audit_actions(&t, "enforcement_case").await, vec!["open"]);
    assert_eq!(audit_actions(&t, "violation").await, vec!["create"]);

    let cmd = warning(&v.case_id, &v.id);
    let s = write(&t, officer(), move |tx| uc::start_sanction(tx, cmd)).await.unwrap();
    assert_eq!(s.kind, SanctionKind::Warning);
    assert_eq!(s.state_name, "issued");
    assert_eq!(s.proposed_step, "warning");
    assert_eq!(s.effective_on, d("2026-10-15"));
    assert!(s.next_deadline.is_some(), "the remedy term runs");
    assert_eq!(audit_actions(&t, "sanction").await, vec!["create"]);
    let sent = mails(&t);
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].0, "verhuurder@example.nl");
    assert_eq!(sent[0].1, "Waarschuwing Wet goed verhuurderschap / Warning");
    assert!(sent[0].2.contains("regel GR-04"), "{}", sent[0].2);
    assert!(sent[0].2.contains("3011 AB 10-A"), "{}", sent[0].2);

    let case_id = v.case_id.clone();
    let (case, _, sanctions) =
        service::read(&t.db, officer(), move |tx| uc::get_case(tx, &case_id)).await.unwrap();
    assert_eq!(case.stage, CaseStage::Warning);
    assert_eq!(sanctions.len(), 1);
}

#[tokio::test]
async fn closing_the_last_violation_closes_the_case_and_a_closed_case_takes_no_sanction() {
    let t = with_landlord();
    let v = write(&t, officer(), |tx| uc::create_violation(tx, violation())).await.unwrap();
    let close = CloseViolation {
        id: v.id.clone(),
        reason: CloseReason::Remedied,
        motivation: None,
        on: d("2026-10-20"),
    };
    let closed = write(&t, officer(), move |tx| uc::close_violation(tx, close)).await.unwrap();
    assert_eq!(closed.status, ViolationStatus::Remedied);
    assert_eq!(closed.closed_on, Some(d("2026-10-20")));
    let case_id = v.case_id.clone();
    let (case, _, _) = service::read(&t.db, officer(), move |tx| uc::get_case(tx, &case_id)).await.unwrap();
    assert_eq!(case.status, CaseStatus::Closed);
    assert_eq!(case.stage, CaseStage::Closed);

    let cmd = warning(&v.case_id, &v.id);
    let res = write(&t, officer(), move |tx| uc::start_sanction(tx, cmd)).await;
    assert!(matches!(res, Err(AppError::Conflict { .. })), "{res:?}");
    assert!(audit_actions(&t, "sanction").await.is_empty());
    assert!(mails(&t).is_empty());
}

#[tokio::test]
async fn a_departure_from_the_ladder_without_motivation_is_refused_and_leaves_nothing() {
    let t = with_landlord();
    let v = write(&t, officer(), |tx| uc::create_violation(tx, violation())).await.unwrap();
    let mut cmd = warning(&v.case_id, &v.id);
    cmd.step = SanctionStep::AdministrativeCoercion;
    let res = write(&t, officer(), move |tx| uc::start_sanction(tx, cmd)).await;
    match res {
        Err(AppError::Validation(errs)) => assert_eq!(errs[0].pointer, "/motivation"),
        Err(AppError::Conflict { .. }) => {}
        other => panic!("expected a refusal, got {other:?}"),
    }
    assert!(audit_actions(&t, "sanction").await.is_empty());
    assert!(mails(&t).is_empty());
}
