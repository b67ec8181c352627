//! Referrals as use cases: the content check, the feedback once, the overdue queue over both
//! kinds of referral, without HTTP.

use chrono::NaiveDate;
use huurtoezicht::db::referrals::Location;
use huurtoezicht::domain::complaints::Partner;
use huurtoezicht::domain::inspection::{
    EntryBasis, ExploitationSignal, Findings, InspectionStatus, RoomFinding,
};
use huurtoezicht::domain::referrals::{EnforcementDone, FeedbackOutcome, FollowUp};
use huurtoezicht::error::AppError;
use huurtoezicht::service::referrals::{self as uc, ContentInput, RecordFeedback};
use huurtoezicht::service::{self, inspections};

use crate::common::{fresh_db, officer, today, MUNICIPALITY};

fn performed() -> inspections::CreateInspection {
    inspections::CreateInspection {
        municipality: MUNICIPALITY.into(),
        status: InspectionStatus::Performed,
        planned_on: None,
        performed_on: Some(today()),
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
        findings: Findings {
            rooms: vec![RoomFinding {
                label: "kamer 1".into(),
                entry_basis: EntryBasis::OccupantConsent,
                warrant_reference: None,
                sleeping_room: true,
                occupants: Some(2),
                area_dm2: Some(1_200),
                partners: false,
                observations: vec![],
            }],
            exploitation_signals: vec![ExploitationSignal::DocumentsWithheld],
            ..Findings::default()
        },
        parties: vec![],
        complaint_ids: vec![],
    }
}

fn refer(inspection_id: String, referred_on: NaiveDate, content: ContentInput) -> inspections::AddReferral {
    inspections::AddReferral {
        inspection_id,
        partner: Partner::LabourInspectorate,
        referred_on,
        shared_data: "adres en signalen".into(),
        legal_basis: "art. 10 Wgv".into(),
        content,
    }
}

#[tokio::test]
async fn an_inspection_referral_keeps_its_content_takes_feedback_once_and_leaves_the_overdue_queue() {
    let t = fresh_db();
    let cmd = performed();
    let i =
        service::write(&t.db, officer(), move |tx| inspections::create_inspection(tx, cmd)).await.unwrap();
    let id = i.row.id.clone();
    let early = today() - chrono::Days::new(50);
    let content = ContentInput {
        labour_migrants: Some(8),
        enforcement_done: vec![EnforcementDone::Inspection, EnforcementDone::Fine],
        ..ContentInput::default()
    };
    let cmd = refer(id.clone(), early, content);
    let i = service::write(&t.db, officer(), move |tx| inspections::add_referral(tx, cmd)).await.unwrap();
    let r = &i.referrals[0];
    assert_eq!(r.content.labour_migrants, Some(8));
    assert_eq!(r.content.enforcement_done, [EnforcementDone::Inspection, EnforcementDone::Fine]);
    // No location given: the inspection's address.
    let at = Location { postcode: "3011AB".into(), house_number: 10, addition: None };
    assert_eq!(r.content.location, Some(at));
    let rid = r.id.clone();

    // 50 days: overdue after 6 weeks (42 days), not after 8 (56 days).
    let (n, items) = service::read(&t.db, officer(), |tx| uc::overdue_referrals(tx, 6, 200)).await.unwrap();
    assert_eq!((n, items.len()), (1, 1));
    let (n, _) = service::read(&t.db, officer(), |tx| uc::overdue_referrals(tx, 8, 200)).await.unwrap();
    assert_eq!(n, 0);

    let feedback = |on: NaiveDate| RecordFeedback {
        referral_id: rid.clone(),
        received_on: on,
        outcome: FeedbackOutcome::ActionTaken,
        follow_up: FollowUp::JointInspection,
        note: None,
    };
    let cmd = feedback(early - chrono::Days::new(1));
    let err = service::write(&t.db, officer(), move |tx| uc::record_feedback(tx, cmd)).await.unwrap_err();
    assert!(matches!(&err, AppError::Validation(e) if e[0].pointer == "/received_on"), "{err:?}");
    let cmd = feedback(today());
    let r = service::write(&t.db, officer(), move |tx| uc::record_feedback(tx, cmd)).await.unwrap();
    assert_eq!(r.feedback.as_ref().map(|f| f.outcome), Some(FeedbackOutcome::ActionTaken));
    let cmd = feedback(today());
    let err = service::write(&t.db, officer(), move |tx| uc::record_feedback(tx, cmd)).await.unwrap_err();
    assert!(matches!(err, AppError::Conflict { .. }), "{err:?}");
    let (n, _) = service::read(&t.db, officer(), |tx| uc::overdue_referrals(tx, 6, 200)).await.unwrap();
    assert_eq!(n, 0);
}

#[tokio::test]
async fn a_referral_naming_an_unknown_employer_or_attachment_writes_nothing() {
    let t = fresh_db();
    let cmd = performed();
    let i =
        service::write(&t.db, officer(), move |tx| inspections::create_inspection(tx, cmd)).await.unwrap();
    let content = ContentInput { employer_id: Some("nobody".into()), ..ContentInput::default() };
    let cmd = refer(i.row.id.clone(), today(), content);
    let err =
        service::write(&t.db, officer(), move |tx| inspections::add_referral(tx, cmd)).await.unwrap_err();
    assert!(matches!(&err, AppError::Validation(e) if e[0].pointer == "/employer_id"), "{err:?}");
    let content = ContentInput { attachment_ids: vec!["a-photo".into()], ..ContentInput::default() };
    let cmd = refer(i.row.id.clone(), today(), content);
    let err =
        service::write(&t.db, officer(), move |tx| inspections::add_referral(tx, cmd)).await.unwrap_err();
    assert!(matches!(&err, AppError::Validation(e) if e[0].pointer == "/attachment_ids/0"), "{err:?}");
    let id = i.row.id.clone();
    let got = service::read(&t.db, officer(), move |tx| inspections::get_inspection(tx, &id)).await.unwrap();
    assert!(got.referrals.is_empty() && !got.row.referral_decided);
}
