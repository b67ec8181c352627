//! Party records without HTTP: what recording writes (row, search terms, audit), the KvK rule
//! under the unique index, the check other features run before naming a party, and the
//! start-up indexing of records made before the search existed.

use diesel::prelude::*;
use huurtoezicht::db::accounts::Landlord;
use huurtoezicht::db::audit::{self, AuditFilter};
use huurtoezicht::db::parties::{self as store, PartySearch};
use huurtoezicht::db::schema::{landlords, party_search_terms};
use huurtoezicht::db::scope::Scope;
use huurtoezicht::domain::ids::KvkNumber;
use huurtoezicht::domain::landlords::{LandlordKind, PartyRole, PartyRoleDetail, PartySource};
use huurtoezicht::error::AppError;
use huurtoezicht::service::{self, parties};

use crate::common::{fresh_db, now, officer, system, TestDb, MUNICIPALITY};

fn fields(name: &str, kvk: Option<&str>, detail: Option<PartyRoleDetail>) -> parties::PartyFields {
    parties::PartyFields {
        kind: if kvk.is_some() { LandlordKind::LegalEntity } else { LandlordKind::NaturalPerson },
        role_detail: detail,
        name: name.into(),
        kvk_number: kvk.map(|k| KvkNumber::parse(k).unwrap()),
        trade_names: vec!["Kamers Zuid".into()],
        establishment: None,
        contact: None,
        source: PartySource::Inspection,
        notes: Some("vertrouwelijk".into()),
    }
}

async fn record(
    t: &TestDb,
    role: PartyRole,
    f: parties::PartyFields,
) -> Result<parties::PartyView, AppError> {
    let cmd = parties::CreateParty { role, municipality: MUNICIPALITY.into(), fields: f };
    service::write(&t.db, officer(), move |tx| parties::create(tx, cmd)).await
}

async fn find(t: &TestDb, role: PartyRole, search: PartySearch) -> Vec<String> {
    service::read(&t.db, system(), move |tx| {
        store::search(tx.conn, &Scope::municipality(MUNICIPALITY), role, &search, None, 50)
    })
    .await
    .unwrap()
    .into_iter()
    .map(|l| l.id)
    .collect()
}

#[tokio::test]
async fn recording_a_party_writes_the_row_its_search_terms_and_an_audit_row_without_names() {
    let t = fresh_db();
    let v =
        record(&t, PartyRole::Landlord, fields("Café Jansen B.V.", Some("12345678"), None)).await.unwrap();
    assert_eq!(v.party.recorded_by.as_deref(), Some("officer-1"));
    assert_eq!(v.party.municipality_code.as_deref(), Some(MUNICIPALITY));
    let id = v.party.id.clone();
    let terms: Vec<String> = service::read(&t.db, system(), {
        let id = id.clone();
        move |tx| {
            Ok(party_search_terms::table
                .filter(party_search_terms::party_id.eq(id))
                .select(party_search_terms::term)
                .order(party_search_terms::term)
                .load(tx.conn)?)
        }
    })
    .await
    .unwrap();
    assert_eq!(terms, vec!["12345678", "bv", "cafe", "jansen", "kamers", "zuid"]);
    let rows = service::read(&t.db, system(), move |tx| {
        let f =
            AuditFilter { entity_type: Some("landlord".into()), entity_id: None, before_id: None, limit: 5 };
        audit::list(tx.conn, &tx.scope, &f)
    })
    .await
    .unwrap();
    let text = format!("{:?}", rows);
    assert!(text.contains(&id) && text.contains("record"), "{text}");
    assert!(!text.contains("Jansen") && !text.contains("vertrouwelijk"), "{text}");
}

#[tokio::test]
async fn the_unique_index_refuses_a_second_recorded_kvk_number_even_past_the_check() {
    let t = fresh_db();
    let first = record(
        &t,
        PartyRole::Employer,
        fields("Flex BV", Some("12345678"), Some(PartyRoleDetail::StaffingAgency)),
    )
    .await
    .unwrap();
    let err = record(
        &t,
        PartyRole::Employer,
        fields("Flex B.V.", Some("12345678"), Some(PartyRoleDetail::Employer)),
    )
    .await
    .unwrap_err();
    assert!(
        matches!(&err, AppError::ConflictWith { existing_id, .. } if *existing_id == first.party.id),
        "{err:?}"
    );
    // A write that slips past the check (a race) meets the index.
    let mut twin = first.party.clone();
    twin.id = uuid::Uuid::new_v4().to_string();
    let res =
        service::write(&t.db, system(), move |tx| Ok(store::insert_party(tx.conn, &twin))).await.unwrap();
    assert!(res.is_err_and(|e| huurtoezicht::db::is_unique_violation(&e)));
}

#[tokio::test]
async fn naming_a_party_requires_an_unmerged_record_of_the_family() {
    let t = fresh_db();
    let landlord = record(&t, PartyRole::Landlord, fields("Piet", None, None)).await.unwrap().party.id;
    let agent =
        record(&t, PartyRole::Intermediary, fields("Bemiddel", None, Some(PartyRoleDetail::LettingAgent)))
            .await
            .unwrap()
            .party
            .id;
    let check = |id: String| {
        service::read(&t.db, system(), move |tx| {
            parties::require_party(tx, &id, PartyRole::Landlord, "/landlord_id")
        })
    };
    check(landlord.clone()).await.unwrap();
    assert!(
        matches!(check(agent.clone()).await, Err(AppError::Validation(e)) if e[0].pointer == "/landlord_id")
    );
    assert!(matches!(check("nobody".into()).await, Err(AppError::Validation(_))));
    let (gone, into) = (landlord.clone(), agent.clone());
    service::write(&t.db, system(), move |tx| {
        diesel::update(landlords::table.find(gone))
            .set(landlords::merged_into.eq(Some(into)))
            .execute(tx.conn)?;
        Ok(())
    })
    .await
    .unwrap();
    assert!(
        matches!(check(landlord.clone()).await, Err(AppError::ConflictWith { existing_id, .. }) if existing_id == agent)
    );
    // A merged record is left out of the search.
    assert!(find(&t, PartyRole::Landlord, PartySearch::Prefixes(vec!["piet".into()])).await.is_empty());
}

#[tokio::test]
async fn parties_recorded_before_the_search_existed_are_indexed_at_start_up() {
    let t = fresh_db();
    let old = Landlord::self_registered(
        "old-1".into(),
        LandlordKind::NaturalPerson,
        "Oude Eigenaar".into(),
        None,
        "o@example.nl".into(),
        now(),
    );
    service::write(&t.db, system(), move |tx| huurtoezicht::db::accounts::insert_landlord(tx.conn, &old))
        .await
        .unwrap();
    assert!(find(&t, PartyRole::Landlord, PartySearch::Prefixes(vec!["oude".into()])).await.is_empty());
    let n = service::write(&t.db, system(), |tx| store::index_missing(tx.conn)).await.unwrap();
    assert_eq!(n, 1);
    assert_eq!(find(&t, PartyRole::Landlord, PartySearch::Prefixes(vec!["eig".into()])).await, vec!["old-1"]);
    assert_eq!(service::write(&t.db, system(), |tx| store::index_missing(tx.conn)).await.unwrap(), 0);
}
