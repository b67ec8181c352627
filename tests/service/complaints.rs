//! The meldpunt's use cases on a real database: an anonymous report leaves no identity, an
//! officer's state change is audited and tells a consenting reporter by mail, and the retention
//! run erases what the rules say as the system.

use std::sync::Arc;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use huurtoezicht::db::audit::{self, AuditFilter, AuditRow};
use huurtoezicht::db::complaints as store;
use huurtoezicht::db::schema::{complaint_mails, outbox};
use huurtoezicht::domain::complaints::{
    Anonymity, Catalogue, Channel, ComplaintAction, ComplaintStatus, ExploitationSignal, Priority,
    DEFAULT_CATALOGUE,
};
use huurtoezicht::domain::ids::Postcode;
use huurtoezicht::service::complaints::intake::{intake, Contact, Intake, Intaken, TrackingCode};
use huurtoezicht::service::complaints::retention_run;
use huurtoezicht::service::complaints::track::track;
use huurtoezicht::service::complaints::transition::{transition, Transition};
use huurtoezicht::service::{self, Ctx};

use crate::common::{fresh_db, now, officer, system, today, TestDb, MUNICIPALITY};

fn catalogue() -> Arc<Catalogue> {
    Arc::new(Catalogue::parse(DEFAULT_CATALOGUE).unwrap())
}

fn anonymous() -> Ctx {
    Ctx::anonymous(now(), today(), Some("req-anon".into()))
}

fn report(contact: Option<Contact>) -> Intake {
    let cat = catalogue();
    Intake {
        tracking_code: TrackingCode::generate(),
        municipality: MUNICIPALITY.into(),
        category: cat.category("intimidation").unwrap().into(),
        language: "pl".into(),
        description: "  Właściciel grozi, że nas wyrzuci.  ".into(),
        postcode: Some(Postcode::parse("3011 ab").unwrap()),
        house_number: Some(12),
        house_number_addition: Some(" b ".into()),
        location_description: None,
        signals: vec![],
        anonymity: Anonymity::AnonymousToLandlord,
        contact,
        portal: None,
        partner: None,
        attachments: vec![],
    }
}

async fn file(t: &TestDb, cmd: Intake) -> Intaken {
    service::write(&t.db, anonymous(), move |tx| intake(tx, cmd)).await.unwrap().expect("filed")
}

async fn history(t: &TestDb, id: &str) -> Vec<AuditRow> {
    let id = id.to_string();
    service::read(&t.db, system(), move |tx| {
        let f = AuditFilter {
            entity_type: Some("complaint".into()),
            entity_id: Some(id),
            before_id: None,
            limit: 10,
        };
        audit::list(tx.conn, &tx.scope, &f)
    })
    .await
    .unwrap()
}

#[tokio::test]
async fn an_anonymous_report_is_filed_without_identity_and_tracked_by_its_code() {
    let t = fresh_db();
    let new = file(&t, report(None)).await;
    let c = &new.complaint;
    assert_eq!(c.status, ComplaintStatus::Received);
    assert_eq!(c.priority, Priority::Normal);
    assert_eq!(c.channel, Channel::Public);
    assert_eq!(c.received_on, today());
    assert_eq!(c.postcode.as_deref(), Some("3011AB"));
    assert_eq!(c.house_number_addition.as_deref(), Some("B"));
    assert_eq!(c.description.as_deref(), Some("Właściciel grozi, że nas wyrzuci."));
    assert!(c.contact_email.is_none() && c.client_id.is_none());
    assert_ne!(c.tracking_hash, new.tracking_code);

    let rows = history(&t, &c.id).await;
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].action, "create");
    assert_eq!(rows[0].actor_kind, "anonymous");
    assert!(rows[0].actor_id.is_none());

    let code = new.tracking_code.to_lowercase();
    let tracked =
        service::read(&t.db, anonymous(), move |tx| track(tx, &code)).await.unwrap().expect("found");
    assert_eq!(tracked.own.id, c.id);
    let none = service::read(&t.db, anonymous(), |tx| track(tx, "not-a-code")).await.unwrap();
    assert!(none.is_none());
}

#[tokio::test]
async fn a_state_change_is_audited_and_mailed_to_a_consenting_reporter_in_their_language() {
    let t = fresh_db();
    let contact = Contact {
        name: None,
        email: Some("melder@example.org".into()),
        phone: None,
        consent_to_contact: true,
    };
    let new = file(&t, report(Some(contact))).await;
    let id = new.complaint.id.clone();
    let cmd = Transition {
        complaint_id: id.clone(),
        action: ComplaintAction::Triage,
        reason: "  eerste beoordeling ".into(),
        catalogue: catalogue(),
    };
    let c = service::write(&t.db, officer(), move |tx| transition(tx, cmd)).await.unwrap();
    assert_eq!(c.status, ComplaintStatus::Triaged);

    let rows = history(&t, &id).await;
    assert_eq!(rows[0].action, "triage");
    assert_eq!(rows[0].actor_id.as_deref(), Some("officer-1"));
    assert_eq!(rows[0].reason.as_deref(), Some("eerste beoordeling"));

    let mut conn = t.db.get().unwrap();
    let mails: Vec<(String, String, String)> =
        outbox::table.select((outbox::recipient, outbox::subject, outbox::body)).load(&mut *conn).unwrap();
    assert_eq!(mails.len(), 1);
    assert_eq!(mails[0].0, "melder@example.org");
    assert_eq!(mails[0].1, "Twoje zgłoszenie w punkcie zgłoszeń dot. wynajmu");
    assert!(mails[0].2.contains("Status Twojego zgłoszenia zmienił się: ocenione."), "{}", mails[0].2);
    let kept: i64 = complaint_mails::table
        .filter(complaint_mails::complaint_id.eq(&id))
        .count()
        .get_result(&mut *conn)
        .unwrap();
    assert_eq!(kept, 1, "the mail is kept with the complaint for retention");

    // An officer of another municipality does not find it.
    let mut other = officer();
    other.scope = huurtoezicht::db::scope::Scope::municipality("GM0363");
    let cmd = Transition {
        complaint_id: id,
        action: ComplaintAction::StartInvestigation,
        reason: "x".into(),
        catalogue: catalogue(),
    };
    let res = service::write(&t.db, other, move |tx| transition(tx, cmd)).await;
    assert!(matches!(res, Err(huurtoezicht::error::AppError::NotFound(_))));
}

#[tokio::test]
async fn the_retention_run_erases_the_reporter_data_as_the_system() {
    let t = fresh_db();
    let contact = Contact {
        name: Some("Anna".into()),
        email: Some("anna@example.org".into()),
        phone: None,
        consent_to_contact: true,
    };
    let mut cmd = report(Some(contact));
    cmd.signals = vec![ExploitationSignal::DocumentsWithheld];
    let new = file(&t, cmd).await;
    let id = new.complaint.id.clone();
    assert_eq!(new.complaint.priority, Priority::Urgent);
    let (id2, cat) = (id.clone(), catalogue());
    service::write(&t.db, officer(), move |tx| {
        huurtoezicht::service::complaints::no_referral::record_no_referral(
            tx,
            huurtoezicht::service::complaints::no_referral::NoReferral {
                complaint_id: id2.clone(),
                reason: "geen".into(),
            },
        )?;
        transition(
            tx,
            Transition {
                complaint_id: id2,
                action: ComplaintAction::CloseUnfounded,
                reason: "ongegrond".into(),
                catalogue: cat,
            },
        )
    })
    .await
    .unwrap();

    let due = service::read(&t.db, system(), |tx| retention_run::due(tx, 200)).await.unwrap();
    assert_eq!(due, vec![id.clone()]);
    let later: NaiveDateTime = now() + chrono::Duration::hours(1);
    let id2 = id.clone();
    let files = service::write(&t.db, Ctx::system(later, today()), move |tx| retention_run::erase(tx, &id2))
        .await
        .unwrap();
    let erased = files.unwrap();
    assert!(erased.attachments.is_empty());
    assert_eq!(erased.mails.len(), 1, "the mail about the closure");
    let id2 = id.clone();
    let again = service::write(&t.db, system(), move |tx| retention_run::erase(tx, &id2)).await.unwrap();
    assert_eq!(again, None, "erased once");

    let mut conn = t.db.get().unwrap();
    let row = store::find_unscoped(&mut conn, &id).unwrap().unwrap();
    assert!(row.contact_email.is_none() && row.contact_name.is_none() && row.description.is_none());
    assert_eq!(row.no_referral_reason.as_deref(), Some("(erased)"));
    assert_eq!(row.personal_data_deleted_at, Some(later));
    {
        use diesel::prelude::*;
        use huurtoezicht::db::schema::outbox;
        let left: i64 =
            outbox::table.filter(outbox::id.eq(&erased.mails[0])).count().get_result(&mut *conn).unwrap();
        assert_eq!(left, 0, "the mail's outbox row is deleted");
    }
    drop(conn);
    let rows = history(&t, &id).await;
    assert_eq!(rows[0].action, "erase_personal_data");
    assert_eq!(rows[0].actor_kind, "system");
    assert!(rows[0].actor_id.is_none());
}

#[tokio::test]
async fn a_change_under_a_stale_if_match_fails_in_its_transaction_and_records_nothing() {
    use huurtoezicht::domain::versions::IfMatch;
    use huurtoezicht::error::AppError;
    use huurtoezicht::service::Precondition;

    let t = fresh_db();
    let filed = file(&t, report(None)).await;
    let id = filed.complaint.id.clone();
    let step = |action, version: Option<i32>| {
        let ctx = officer().expecting(
            version.map(|v| Precondition { subject: id.clone(), if_match: IfMatch::Tags(vec![Some(v)]) }),
        );
        let cmd = Transition {
            complaint_id: id.clone(),
            action,
            reason: "beoordeeld".into(),
            catalogue: catalogue(),
        };
        service::write(&t.db, ctx, move |tx| transition(tx, cmd))
    };
    let triaged = step(ComplaintAction::Triage, Some(1)).await.unwrap();
    assert_eq!(triaged.version, 2, "the save raised the version");
    let audited = history(&t, &id).await.len();
    let err = step(ComplaintAction::StartInvestigation, Some(1)).await.unwrap_err();
    assert!(matches!(err, AppError::PreconditionFailed(_)), "{err:?}");
    assert_eq!(history(&t, &id).await.len(), audited, "no audit row for the refused change");
    // A precondition on another record does not apply to this one.
    let ctx = officer()
        .expecting(Some(Precondition { subject: "other".into(), if_match: IfMatch::Tags(vec![Some(9)]) }));
    let cmd = Transition {
        complaint_id: id.clone(),
        action: ComplaintAction::StartInvestigation,
        reason: "onderzoek".into(),
        catalogue: catalogue(),
    };
    let c = service::write(&t.db, ctx, move |tx| transition(tx, cmd)).await.unwrap();
    assert_eq!((c.status, c.version), (ComplaintStatus::Investigating, 3));
}
