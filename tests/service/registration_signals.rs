//! Registration signals without HTTP: kept in step with an inspection's findings while open, and
//! left alone once burgerzaken took them up.

use chrono::NaiveDate;
use huurtoezicht::db::inspections::find_inspection;
use huurtoezicht::db::scope::Scope;
use huurtoezicht::domain::inspection::{Findings, InspectionStatus};
use huurtoezicht::domain::registration::{RegistrationStatus, Step};
use huurtoezicht::service::{self, inspections, registration_signals as signals};

use crate::common::{fresh_db, officer, system, today, MUNICIPALITY};

fn performed(unregistered: u32) -> inspections::CreateInspection {
    inspections::CreateInspection {
        municipality: MUNICIPALITY.into(),
        status: InspectionStatus::Performed,
        planned_on: None,
        performed_on: Some(today()),
        postcode: "3011AB".into(),
        house_number: 10,
        house_number_addition: Some("A".into()),
        address_key: "3011AB|10|A".into(),
        landlord_id: None,
        property_id: None,
        licence_id: None,
        officers: vec!["A. de Vries".into()],
        interpreter_used: false,
        interpreter_language: None,
        findings: Findings { unregistered_occupants: unregistered, ..Findings::default() },
        parties: vec![],
        complaint_ids: vec![],
    }
}

#[tokio::test]
async fn re_recorded_findings_update_the_persons_only_while_the_signal_is_open() {
    let t = fresh_db();
    let created = service::write(&t.db, officer(), |tx| inspections::create_inspection(tx, performed(2)))
        .await
        .unwrap();
    let inspection_id = created.row.id.clone();
    let signal_id = created.registration_signal_id.clone().unwrap();

    // The same inspection's findings recorded again: one signal, the new number of persons.
    let (id, again) = (inspection_id.clone(), signal_id.clone());
    let same = service::write(&t.db, officer(), move |tx| {
        let row = find_inspection(tx.conn, &Scope::municipality(MUNICIPALITY), &id)?.unwrap();
        let first = signals::record_for_inspection(tx, &row, 5)?;
        let zero = signals::record_for_inspection(tx, &row, 0)?;
        Ok((first, zero, signals::get(tx, &again)?))
    })
    .await
    .unwrap();
    assert_eq!(same.0.as_deref(), Some(signal_id.as_str()));
    assert_eq!(same.1.as_deref(), Some(signal_id.as_str()), "a later zero keeps the signal");
    assert_eq!((same.2.persons, same.2.version), (5, 2));

    // Once burgerzaken started, the findings no longer change it.
    let (id, sid) = (inspection_id.clone(), signal_id.clone());
    let started = service::write(&t.db, officer(), move |tx| {
        signals::take_step(tx, &sid, Step::StartInvestigation { started_on: today() })?;
        let row = find_inspection(tx.conn, &Scope::municipality(MUNICIPALITY), &id)?.unwrap();
        signals::record_for_inspection(tx, &row, 9)?;
        signals::get(tx, &sid)
    })
    .await
    .unwrap();
    assert_eq!(started.status, RegistrationStatus::AddressInvestigation);
    assert_eq!(started.persons, 5);

    // Audited: create, update_persons, start-investigation; nothing of names.
    let sid = signal_id.clone();
    let trail = service::read(&t.db, system(), move |tx| {
        let f = huurtoezicht::db::audit::AuditFilter {
            entity_type: Some("registration_signal".into()),
            entity_id: Some(sid),
            before_id: None,
            limit: 20,
        };
        huurtoezicht::db::audit::list(tx.conn, &tx.scope, &f)
    })
    .await
    .unwrap();
    let mut actions: Vec<String> = trail.into_iter().map(|r| r.action).collect();
    actions.sort();
    assert_eq!(actions, ["create", "start-investigation", "update_persons"]);
}

#[tokio::test]
async fn a_planned_inspection_makes_no_signal_and_no_inspection_makes_two() {
    let t = fresh_db();
    let mut planned = performed(3);
    planned.status = InspectionStatus::Planned;
    planned.performed_on = None;
    planned.planned_on = NaiveDate::from_ymd_opt(2026, 11, 20);
    planned.findings = Findings::default();
    let p = service::write(&t.db, officer(), |tx| inspections::create_inspection(tx, planned)).await.unwrap();
    assert!(p.registration_signal_id.is_none());

    let done = service::write(&t.db, officer(), |tx| inspections::create_inspection(tx, performed(1)))
        .await
        .unwrap();
    let id = done.row.id.clone();
    service::write(&t.db, officer(), move |tx| {
        let row = find_inspection(tx.conn, &Scope::municipality(MUNICIPALITY), &id)?.unwrap();
        signals::record_for_inspection(tx, &row, 1)
    })
    .await
    .unwrap();
    let all = service::read(&t.db, officer(), |tx| {
        signals::list(
            tx,
            &huurtoezicht::db::registration_signals::QueueFilter { limit: 10, ..Default::default() },
        )
    })
    .await
    .unwrap();
    assert_eq!(all.len(), 1);
    assert_eq!(all[0].inspection_id, done.row.id);
}
