//! Licensing use cases on a real database: what a submission, a decision and a licence measure
//! write — rows, audit entries and letters — in one transaction, or nothing at all.

use std::sync::Arc;

use diesel::prelude::*;
use huurtoezicht::db::audit::{self, AuditFilter};
use huurtoezicht::db::properties::Viewer;
use huurtoezicht::db::schema::{landlords, outbox};
use huurtoezicht::db::Db;
use huurtoezicht::domain::licensing::{ApplicationState, DecisionOutcome};
use huurtoezicht::domain::licensing_codes::LicenceState;
use huurtoezicht::domain::licensing_codes::{LicenceMeasureGround, Measure, PropertyKind};
use huurtoezicht::domain::ruleset::{LicenceKind, RuleSetHistory};
use huurtoezicht::error::AppError;
use huurtoezicht::service;
use huurtoezicht::service::licensing::applications::{self, CreateApplication, PlannedOccupancy};
use huurtoezicht::service::licensing::decide::{self, Decide};
use huurtoezicht::service::licensing::licences::{self, Displacement, TakeMeasure};
use huurtoezicht::service::licensing::lifecycle::{self, Submit};
use huurtoezicht::service::licensing::properties::{self, CreateProperty, FacilityCounts, RoomInput};
use huurtoezicht::service::licensing::{ApplicationView, Rules};

use crate::common::{fresh_db, now, officer, system, MUNICIPALITY};

const LANDLORD: &str = "landlord-1";
const EMAIL: &str = "verhuurder@example.nl";

fn rules() -> Rules {
    Arc::new(RuleSetHistory::shipped_default())
}

fn staff() -> Viewer {
    Viewer::Staff(huurtoezicht::db::scope::Scope::municipality(MUNICIPALITY))
}

/// A landlord with a property of two bedrooms and a draft application for three occupants.
pub(crate) async fn draft(db: &Db) -> ApplicationView {
    let mut conn = db.get().unwrap();
    diesel::insert_into(landlords::table)
        .values((
            landlords::id.eq(LANDLORD),
            landlords::kind.eq("natural_person"),
            landlords::name.eq("J. Verhuurder"),
            landlords::contact_email.eq(EMAIL),
            landlords::created_at.eq(now()),
            landlords::housing_corporation.eq(false),
        ))
        .execute(&mut *conn)
        .unwrap();
    drop(conn);
    let property = service::write(db, officer(), |tx| {
        properties::create(
            tx,
            CreateProperty {
                municipality_code: MUNICIPALITY.into(),
                landlord_id: Some(LANDLORD.into()),
                postcode: "3011AB".into(),
                house_number: 10,
                house_number_addition: String::new(),
                bag_id: None,
                neighbourhood_code: None,
                kind: PropertyKind::RoomsLetSeparately,
                usable_floor_area_dm2: 9000,
                rooms: vec![
                    RoomInput { label: "kamer 1".into(), area_dm2: 1400, sleeping_room: true },
                    RoomInput { label: "kamer 2".into(), area_dm2: 1200, sleeping_room: true },
                ],
                facilities: FacilityCounts {
                    toilets: 1,
                    showers: 1,
                    kitchens: 1,
                    cooking_points: 4,
                    washbasins: 1,
                    washing_machines: 1,
                },
                intermediary_id: None,
            },
        )
    })
    .await
    .unwrap();
    let property_id = property.property.id.clone();
    service::write(db, officer(), move |tx| {
        applications::create(
            tx,
            CreateApplication {
                viewer: Viewer::Landlord(LANDLORD.into()),
                landlord_id: LANDLORD.into(),
                property_id,
                kind: LicenceKind::LabourMigrant,
                monthly_rent_cents: Some(55_000),
                planned_occupancy: vec![
                    PlannedOccupancy { room_label: "Kamer 1".into(), persons: 2, partners: true },
                    PlannedOccupancy { room_label: "kamer 2".into(), persons: 1, partners: false },
                ],
            },
        )
    })
    .await
    .unwrap()
}

pub(crate) async fn submitted(db: &Db) -> ApplicationView {
    let d = draft(db).await;
    let id = d.application.id.clone();
    service::write(db, officer(), move |tx| {
        lifecycle::submit(tx, Submit { viewer: Viewer::Landlord(LANDLORD.into()), id, rules: rules() })
    })
    .await
    .unwrap()
}

async fn actions(db: &Db, entity_type: &str, entity_id: &str) -> Vec<String> {
    let f = AuditFilter {
        entity_type: Some(entity_type.into()),
        entity_id: Some(entity_id.into()),
        before_id: None,
        limit: 50,
    };
    let mut rows = service::read(db, system(), move |tx| audit::list(tx.conn, &tx.scope, &f)).await.unwrap();
    rows.reverse();
    rows.into_iter().map(|r| r.action).collect()
}

fn mail(db: &Db) -> Vec<(String, String, String)> {
    let mut conn = db.get().unwrap();
    outbox::table
        .order(outbox::created_at.asc())
        .select((outbox::recipient, outbox::subject, outbox::body))
        .load(&mut *conn)
        .unwrap()
}

pub(crate) fn grant(id: String) -> Decide {
    Decide {
        viewer: staff(),
        id,
        outcome: DecisionOutcome::Granted,
        refusal_grounds: vec![],
        motivation: None,
        proportionality_motivation: None,
        conditions: vec![],
        max_occupants: None,
        room_limits: vec![],
        rules: rules(),
    }
}

#[tokio::test]
async fn a_submission_starts_the_decision_term_is_audited_and_sends_the_receipt() {
    let t = fresh_db();
    let v = submitted(&t.db).await;
    let app = &v.application;
    assert_eq!(app.state, ApplicationState::Submitted);
    assert_eq!(app.submitted_on, Some(crate::common::today()));
    assert!(app.decision_due_on.is_some_and(|d| d > crate::common::today()));
    assert_eq!(v.occupancy.len(), 2);
    assert_eq!(v.occupancy[0].room_label, "kamer 1", "labels are matched to the property's rooms");
    assert_eq!(actions(&t.db, "licence_application", &app.id).await, ["create", "submit"]);
    let mails = mail(&t.db);
    assert_eq!(mails.len(), 1);
    assert_eq!(mails[0].0, EMAIL);
    assert_eq!(mails[0].1, "Aanvraag verhuurvergunning ontvangen / Application received");
    assert!(mails[0].2.contains("(labour_migrant) voor 3011 AB 10 is op 2026-11-02 ontvangen"));
}

#[tokio::test]
async fn a_grant_creates_the_licence_and_a_suspension_is_sent_to_the_holder() {
    let t = fresh_db();
    let id = submitted(&t.db).await.application.id;
    let app_id = id.clone();
    let v = service::write(&t.db, officer(), move |tx| decide::decide(tx, grant(app_id))).await.unwrap();
    assert_eq!(v.application.state, ApplicationState::Granted);
    assert_eq!(v.application.decision_outcome, Some(ApplicationState::Granted));
    let licence_id = v.licence_id.expect("a grant creates a licence");
    assert_eq!(actions(&t.db, "licence_application", &id).await, ["create", "submit", "decide"]);
    assert_eq!(actions(&t.db, "licence", &licence_id).await, ["grant"]);
    let lid = licence_id.clone();
    let l = service::read(&t.db, officer(), move |tx| licences::show(tx, &lid, &staff())).await.unwrap();
    assert_eq!(l.licence.max_occupants, 3);
    assert_eq!(l.room_limits.len(), 2);
    assert_eq!(l.licence.state, LicenceState::Active);

    let lid = licence_id.clone();
    let suspended = service::write(&t.db, officer(), move |tx| {
        licences::take_measure(
            tx,
            TakeMeasure {
                viewer: staff(),
                id: lid,
                measure: Measure::Suspend,
                ground: Some(LicenceMeasureGround::ConditionsViolated),
                motivation: " te veel bewoners ".into(),
                displacement: Some(Displacement {
                    occupants_displaced: 1,
                    replacement_housing_arranged: true,
                }),
                rules: rules(),
            },
        )
    })
    .await
    .unwrap();
    assert_eq!(suspended.licence.state, LicenceState::Suspended);
    assert_eq!(suspended.licence.state_motivation.as_deref(), Some("te veel bewoners"));
    assert_eq!(actions(&t.db, "licence", &licence_id).await, ["grant", "suspend"]);
    let subjects: Vec<String> = mail(&t.db).into_iter().map(|m| m.1).collect();
    assert_eq!(
        subjects,
        [
            "Aanvraag verhuurvergunning ontvangen / Application received",
            "Besluit verhuurvergunning: verleend / Decision: granted",
            "Besluit: verhuurvergunning geschorst / Licence suspended",
        ]
    );
}

#[tokio::test]
async fn a_refusal_without_ground_or_motivation_changes_nothing() {
    let t = fresh_db();
    let id = submitted(&t.db).await.application.id;
    let app_id = id.clone();
    let res = service::write(&t.db, officer(), move |tx| {
        decide::decide(tx, Decide { outcome: DecisionOutcome::Refused, ..grant(app_id) })
    })
    .await;
    let Err(AppError::Validation(errs)) = res else { panic!("expected 422, got {res:?}") };
    let pointers: Vec<&str> = errs.iter().map(|e| e.pointer.as_str()).collect();
    assert!(pointers.contains(&"/refusal_grounds") && pointers.contains(&"/motivation"), "{pointers:?}");
    let app_id = id.clone();
    let v =
        service::read(&t.db, officer(), move |tx| applications::show(tx, &app_id, &staff())).await.unwrap();
    assert_eq!(v.application.state, ApplicationState::Submitted, "the claim was rolled back as well");
    assert_eq!(v.application.version, 1);
    assert_eq!(actions(&t.db, "licence_application", &id).await, ["create", "submit"]);
    assert_eq!(mail(&t.db).len(), 1);
}

#[tokio::test]
async fn requesting_lbb_advice_suspends_the_term_and_tells_the_applicant_without_content() {
    use huurtoezicht::domain::licensing::{BibobAction, BibobStatus};
    use huurtoezicht::service::licensing::bibob::{self, UpdateBibob};
    let t = fresh_db();
    let v = submitted(&t.db).await;
    let id = v.application.id.clone();
    let due_before = v.application.decision_due_on;
    let step = |action| UpdateBibob {
        viewer: staff(),
        id: id.clone(),
        action: Some(action),
        zienswijze_invited_on: None,
        lbb_extension_weeks: None,
        findings: Some("vertrouwelijk".into()),
        rules: rules(),
    };
    let (first, second) = (step(BibobAction::SendQuestionnaire), step(BibobAction::ReceiveQuestionnaire));
    let third = step(BibobAction::RequestLbbAdvice);
    let (_, row, _) = service::write(&t.db, officer(), move |tx| {
        bibob::update(tx, first)?;
        bibob::update(tx, second)?;
        bibob::update(tx, third)
    })
    .await
    .unwrap();
    let row = row.expect("the check is stored");
    assert_eq!(row.status, BibobStatus::LbbAdviceRequested);
    assert_eq!(row.lbb_requested_on, Some(crate::common::today()));
    let app_id = id.clone();
    let v =
        service::read(&t.db, officer(), move |tx| applications::show(tx, &app_id, &staff())).await.unwrap();
    assert!(v.application.bibob_pending);
    assert!(v.application.decision_due_on > due_before, "the due date assumes the whole advice term");
    assert_eq!(actions(&t.db, "bibob_check", &id).await, ["update", "update", "update"]);
    let mails = mail(&t.db);
    assert_eq!(mails.len(), 2);
    assert_eq!(mails[1].1, "Advies Landelijk Bureau Bibob gevraagd / Bibob advice requested");
    assert!(!mails[1].2.contains("vertrouwelijk"), "the letter never carries the findings");
}
