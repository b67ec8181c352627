//! Lease use cases on a real database: recording writes the row and its audit entry in one
//! transaction and shows the check of the day; an update is audited with before and after; a
//! landlord sees only their own properties' leases and changes only those they recorded.

use chrono::NaiveDate;
use huurtoezicht::db::audit::{self, AuditFilter};
use huurtoezicht::db::properties::{Property, Viewer};
use huurtoezicht::domain::general_rules::{GeneralRuleDates, LeaseForm, LeaseRecordedFrom, RuleCode};
use huurtoezicht::domain::licensing_codes::PropertyKind;
use huurtoezicht::domain::money::Money;
use huurtoezicht::error::AppError;
use huurtoezicht::service::leases::{self as uc, LeaseTerms, RecordLease, UpdateLease};
use huurtoezicht::service::{self};

use crate::common::{fresh_db, now, officer, system, TestDb, MUNICIPALITY};

const LANDLORD: &str = "landlord-1";
const PROPERTY: &str = "property-1";

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// A landlord with one property in the test municipality.
fn with_property() -> TestDb {
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
    let p = Property {
        id: PROPERTY.into(),
        municipality_code: MUNICIPALITY.into(),
        landlord_id: Some(LANDLORD.into()),
        intermediary_id: None,
        postcode: "3011AB".into(),
        house_number: 12,
        house_number_addition: String::new(),
        bag_id: None,
        neighbourhood_code: None,
        kind: PropertyKind::RoomsLetSeparately,
        usable_floor_area_dm2: 6000,
        toilets: 1,
        showers: 1,
        kitchens: 1,
        cooking_points: 2,
        washbasins: 1,
        washing_machines: 1,
        building_permit_missing: false,
        created_at: now(),
        updated_at: now(),
    };
    huurtoezicht::db::properties::insert(&mut conn, &p, &[]).unwrap();
    drop(conn);
    t
}

/// A lease of 2022 without the written information (GR-06 from 2024-07-01).
fn record(viewer: Viewer, from: LeaseRecordedFrom) -> RecordLease {
    RecordLease {
        viewer,
        property_id: PROPERTY.into(),
        recorded_from: from,
        inspection_id: None,
        complaint_id: None,
        landlord_id: None,
        terms: LeaseTerms {
            concluded_on: Some(d("2022-03-01")),
            starts_on: Some(d("2022-03-01")),
            form: Some(LeaseForm::Written),
            rent: Some(Money::from_euros(600).unwrap()),
            deposit: Some(Money::from_euros(1200).unwrap()),
            ..LeaseTerms::default()
        },
        dates: GeneralRuleDates::default(),
    }
}

fn staff() -> Viewer {
    Viewer::Staff(huurtoezicht::db::scope::Scope::municipality(MUNICIPALITY))
}

async fn audit_actions(t: &TestDb, id: &str) -> Vec<String> {
    let id = id.to_string();
    service::read(&t.db, system(), move |tx| {
        let f = AuditFilter {
            entity_type: Some("lease".into()),
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
async fn recording_a_lease_writes_it_with_its_landlord_and_audit_and_shows_the_check() {
    let t = with_property();
    let cmd = record(staff(), LeaseRecordedFrom::Officer);
    let v = service::write(&t.db, officer(), move |tx| uc::record_lease(tx, cmd)).await.unwrap();
    assert_eq!(v.row.landlord_id.as_deref(), Some(LANDLORD), "the property's landlord");
    assert_eq!(v.row.municipality_code, MUNICIPALITY);
    assert_eq!(v.row.recorded_by.as_deref(), Some("officer-1"));
    assert_eq!(v.row.rent_cents, Some(60_000));
    assert_eq!(v.proposed_violations.len(), 1);
    assert_eq!(v.proposed_violations[0].rule, RuleCode::Gr06);
    assert_eq!(v.proposed_violations[0].violation_from, d("2024-07-01"));

    let id = v.row.id.clone();
    let cmd = UpdateLease {
        viewer: staff(),
        id: id.clone(),
        terms: LeaseTerms { information_given_on: Some(d("2024-09-01")), ..LeaseTerms::default() },
        dates: GeneralRuleDates::default(),
    };
    let v = service::write(&t.db, officer(), move |tx| uc::update_lease(tx, cmd)).await.unwrap();
    assert_eq!(v.proposed_violations[0].violation_until, Some(d("2024-09-01")));
    assert_eq!(audit_actions(&t, &id).await, vec!["update", "create"]);

    // Read back from the database.
    let lid = id.clone();
    let shown = service::read(&t.db, officer(), move |tx| {
        uc::get_lease(tx, &lid, &staff(), &GeneralRuleDates::default())
    })
    .await
    .unwrap();
    assert_eq!(shown.row.information_given_on, Some(d("2024-09-01")));
    assert_eq!(shown.row.form, LeaseForm::Written);
}

#[tokio::test]
async fn a_landlord_sees_own_leases_and_changes_only_those_they_recorded() {
    let t = with_property();
    let mine = Viewer::Landlord(LANDLORD.into());
    let cmd = record(mine.clone(), LeaseRecordedFrom::Landlord);
    let own = service::write(&t.db, officer(), move |tx| uc::record_lease(tx, cmd)).await.unwrap();
    let cmd = record(staff(), LeaseRecordedFrom::Inspection);
    let officers = service::write(&t.db, officer(), move |tx| uc::record_lease(tx, cmd)).await.unwrap();

    let v = mine.clone();
    let listed = service::read(&t.db, officer(), move |tx| {
        uc::list_leases(tx, PROPERTY, &v, None, 10, &GeneralRuleDates::default())
    })
    .await
    .unwrap();
    assert_eq!(listed.len(), 2);

    let other = Viewer::Landlord("landlord-2".into());
    let id = own.row.id.clone();
    let err = service::read(&t.db, officer(), move |tx| {
        uc::get_lease(tx, &id, &other, &GeneralRuleDates::default())
    })
    .await
    .unwrap_err();
    assert!(matches!(err, AppError::NotFound(_)), "{err:?}");

    let change = |id: String, viewer: Viewer| UpdateLease {
        viewer,
        id,
        terms: LeaseTerms { form: Some(LeaseForm::Oral), ..LeaseTerms::default() },
        dates: GeneralRuleDates::default(),
    };
    let cmd = change(officers.row.id.clone(), mine.clone());
    let err = service::write(&t.db, officer(), move |tx| uc::update_lease(tx, cmd)).await.unwrap_err();
    assert!(matches!(err, AppError::Forbidden(_)), "{err:?}");
    assert_eq!(audit_actions(&t, &officers.row.id).await, vec!["create"], "nothing written");
    let cmd = change(own.row.id.clone(), mine);
    let v = service::write(&t.db, officer(), move |tx| uc::update_lease(tx, cmd)).await.unwrap();
    assert_eq!(v.row.form, LeaseForm::Oral);
}

#[tokio::test]
async fn a_lease_naming_a_merged_landlord_record_is_refused_and_an_unknown_one_names_the_field() {
    let t = with_property();
    let mut conn = t.db.get().unwrap();
    let mut merged = huurtoezicht::db::accounts::Landlord::self_registered(
        "landlord-old".into(),
        huurtoezicht::domain::landlords::LandlordKind::NaturalPerson,
        "J. Verhuurder".into(),
        None,
        "oud@example.nl".into(),
        now(),
    );
    merged.merged_into = Some(LANDLORD.into());
    merged.merged_at = Some(now());
    huurtoezicht::db::accounts::insert_landlord(&mut conn, &merged).unwrap();
    drop(conn);

    let mut cmd = record(staff(), LeaseRecordedFrom::Officer);
    cmd.landlord_id = Some("landlord-old".into());
    let err = service::write(&t.db, officer(), move |tx| uc::record_lease(tx, cmd)).await.unwrap_err();
    assert!(matches!(&err, AppError::ConflictWith { existing_id, .. } if existing_id == LANDLORD), "{err:?}");
    let mut cmd = record(staff(), LeaseRecordedFrom::Officer);
    cmd.landlord_id = Some("nobody".into());
    let err = service::write(&t.db, officer(), move |tx| uc::record_lease(tx, cmd)).await.unwrap_err();
    assert!(matches!(&err, AppError::Validation(e) if e[0].pointer == "/landlord_id"), "{err:?}");
}

#[tokio::test]
async fn a_landlord_does_not_see_a_lease_that_names_another_party() {
    let t = with_property();
    let mut conn = t.db.get().unwrap();
    huurtoezicht::db::accounts::insert_landlord(
        &mut conn,
        &huurtoezicht::db::accounts::Landlord::self_registered(
            "landlord-2".into(),
            huurtoezicht::domain::landlords::LandlordKind::LegalEntity,
            "Onderverhuur BV".into(),
            Some("87654321".into()),
            "info@onderverhuur.example".into(),
            now(),
        ),
    )
    .unwrap();
    drop(conn);
    let mut cmd = record(staff(), LeaseRecordedFrom::Complaint);
    cmd.landlord_id = Some("landlord-2".into());
    let sublet = service::write(&t.db, officer(), move |tx| uc::record_lease(tx, cmd)).await.unwrap();
    assert_eq!(sublet.row.landlord_id.as_deref(), Some("landlord-2"));

    let owner = Viewer::Landlord(LANDLORD.into());
    let (v, dates) = (owner.clone(), GeneralRuleDates::default());
    let listed =
        service::read(&t.db, officer(), move |tx| uc::list_leases(tx, PROPERTY, &v, None, 10, &dates))
            .await
            .unwrap();
    assert!(listed.is_empty(), "the property's owner does not see the other party's lease");
    let id = sublet.row.id.clone();
    let err = service::read(&t.db, officer(), move |tx| {
        uc::get_lease(tx, &id, &owner, &GeneralRuleDates::default())
    })
    .await
    .unwrap_err();
    assert!(matches!(err, AppError::NotFound(_)), "{err:?}");
    let listed = service::read(&t.db, officer(), move |tx| {
        uc::list_leases(tx, PROPERTY, &staff(), None, 10, &GeneralRuleDates::default())
    })
    .await
    .unwrap();
    assert_eq!(listed.len(), 1, "staff see it");
}
