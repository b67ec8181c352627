//! Linking and merging party records on a real database: the counters behind history and
//! recidive are summed, portal mandates keep the standing one, a refused merge leaves nothing
//! behind, and a link refuses accounts that are no landlord's or belong to another recorded party.

use chrono::NaiveDate;
use diesel::prelude::*;
use huurtoezicht::db::accounts::{
    insert_account, insert_api_client, insert_landlord, Account, ApiClient, Landlord,
};
use huurtoezicht::db::enforcement::KeyCounts;
use huurtoezicht::db::schema::{accounts, landlords, portal_mandates, violations};
use huurtoezicht::db::scope::Scope;
use huurtoezicht::domain::general_rules::RuleCode;
use huurtoezicht::domain::landlords::{LandlordKind, PartyRole, PartySource};
use huurtoezicht::domain::party_links::AddressedTo;
use huurtoezicht::domain::roles::Role;
use huurtoezicht::error::AppError;
use huurtoezicht::service::enforcement::{self as enf, Address, CreateViolation, Evidence};
use huurtoezicht::service::party_links::{self as uc, LinkAccount, Merge};
use huurtoezicht::service::{self, Ctx};

use crate::common::{fresh_db, now, officer, TestDb, MUNICIPALITY};

fn party(t: &TestDb, id: &str, source: PartySource) {
    let mut conn = t.db.get().unwrap();
    let mut l = Landlord::self_registered(
        id.into(),
        LandlordKind::NaturalPerson,
        format!("Partij {id}"),
        None,
        String::new(),
        now(),
    );
    l.source = source;
    if source != PartySource::SelfRegistration {
        l.municipality_code = Some(MUNICIPALITY.into());
    }
    insert_landlord(&mut conn, &l).unwrap();
}

fn account(t: &TestDb, id: &str, role: Role, landlord: Option<&str>) {
    let mut conn = t.db.get().unwrap();
    let a = Account {
        id: id.into(),
        email: format!("{id}@example.nl"),
        password_hash: "x".into(),
        role,
        display_name: id.into(),
        landlord_id: landlord.map(str::to_string),
        disabled: false,
        created_at: now(),
        security_version: 0,
    };
    insert_account(&mut conn, &a, &[]).unwrap();
}

fn violation(landlord: &str, house_number: i32) -> CreateViolation {
    CreateViolation {
        municipality: MUNICIPALITY.into(),
        created_by: "officer-1".into(),
        landlord_id: landlord.into(),
        addressed_to: AddressedTo::Landlord,
        intermediary_id: None,
        address: Address {
            postcode: "3011AB".into(),
            house_number,
            addition: None,
            key: format!("3011AB|{house_number}|"),
        },
        rule: RuleCode::Gr04,
        licence_condition: None,
        established_on: NaiveDate::from_ymd_opt(2026, 10, 1).unwrap(),
        description: "Waarborgsom te hoog".into(),
        numbers: None,
        evidence: Evidence { documents: vec!["rapport-1".into()], ..Evidence::default() },
        inspection_id: None,
        aggravations: vec![],
        woningcorporatie: false,
        property_id: None,
        licence_id: None,
    }
}

fn merge_cmd(from: &str, into: &str) -> Merge {
    Merge {
        family: PartyRole::Landlord,
        from: from.into(),
        into: into.into(),
        reason: "Dubbel vastgelegd".into(),
        municipality: MUNICIPALITY.into(),
    }
}

async fn write<T: Send + 'static>(
    t: &TestDb,
    ctx: Ctx,
    f: impl FnOnce(&mut service::Tx<'_>) -> Result<T, AppError> + Send + 'static,
) -> Result<T, AppError> {
    service::write(&t.db, ctx, f).await
}

fn counts(t: &TestDb, id: &str) -> (KeyCounts, KeyCounts) {
    let mut conn = t.db.get().unwrap();
    huurtoezicht::db::enforcement::landlord_violation_counts(
        &mut conn,
        &Scope::municipality(MUNICIPALITY),
        id,
    )
    .unwrap()
}

#[tokio::test]
async fn a_merge_sums_the_violation_counters_and_keeps_the_standing_portal_mandate() {
    let t = fresh_db();
    party(&t, "old", PartySource::Inspection);
    party(&t, "new", PartySource::SelfRegistration);
    account(&t, "acc-old", Role::Landlord, Some("old"));
    write(&t, officer(), |tx| enf::create_violation(tx, violation("old", 10))).await.unwrap();
    write(&t, officer(), |tx| enf::create_violation(tx, violation("old", 11))).await.unwrap();
    write(&t, officer(), |tx| enf::create_violation(tx, violation("new", 12))).await.unwrap();
    {
        let mut conn = t.db.get().unwrap();
        let client = ApiClient {
            id: "client-1".into(),
            client_id: "portal".into(),
            secret_hash: "x".into(),
            name: "Portaal".into(),
            scopes: "[]".into(),
            municipality_code: MUNICIPALITY.into(),
            disabled: false,
            created_at: now(),
            security_version: 0,
            contact_email: None,
        };
        insert_api_client(&mut conn, &client).unwrap();
        for (landlord, revoked) in [("old", None), ("new", Some(now()))] {
            diesel::insert_into(portal_mandates::table)
                .values((
                    portal_mandates::landlord_id.eq(landlord),
                    portal_mandates::client_id.eq("client-1"),
                    portal_mandates::granted_at.eq(now()),
                    portal_mandates::revoked_at.eq(revoked),
                ))
                .execute(&mut *conn)
                .unwrap();
        }
    }

    let merged = write(&t, officer(), |tx| uc::merge_records(tx, merge_cmd("old", "new"))).await.unwrap();
    assert_eq!(merged.accounts, vec!["acc-old".to_string()]);
    let (by_status, by_rule) = counts(&t, "new");
    assert_eq!(by_status, vec![("open".to_string(), 3)]);
    assert_eq!(by_rule, vec![("GR-04".to_string(), 3)]);
    assert_eq!(counts(&t, "old"), (vec![], vec![]));

    let mut conn = t.db.get().unwrap();
    let mandates: Vec<(String, Option<chrono::NaiveDateTime>)> = portal_mandates::table
        .select((portal_mandates::landlord_id, portal_mandates::revoked_at))
        .load(&mut *conn)
        .unwrap();
    assert_eq!(mandates, vec![("new".to_string(), None)], "the standing mandate survives");
    let (landlord, version): (Option<String>, i32) = accounts::table
        .find("acc-old")
        .select((accounts::landlord_id, accounts::security_version))
        .first(&mut *conn)
        .unwrap();
    assert_eq!((landlord.as_deref(), version), (Some("new"), 1), "moved, and older tokens stop");
    let pointer: Option<String> =
        landlords::table.find("old").select(landlords::merged_into).first(&mut *conn).unwrap();
    assert_eq!(pointer.as_deref(), Some("new"));
}

#[tokio::test]
async fn a_refused_merge_leaves_both_records_untouched() {
    let t = fresh_db();
    party(&t, "a", PartySource::Inspection);
    party(&t, "b", PartySource::Inspection);
    write(&t, officer(), |tx| enf::create_violation(tx, violation("a", 10))).await.unwrap();
    write(&t, officer(), |tx| enf::create_violation(tx, violation("b", 10))).await.unwrap();
    let err = write(&t, officer(), |tx| uc::merge_records(tx, merge_cmd("a", "b"))).await.unwrap_err();
    assert!(matches!(err, AppError::Conflict { .. }), "{err:?}");
    let mut conn = t.db.get().unwrap();
    let pointer: Option<String> =
        landlords::table.find("a").select(landlords::merged_into).first(&mut *conn).unwrap();
    assert_eq!(pointer, None);
    // Outside a merge a violation still keeps its party (the trigger's one exception is the
    // record its party was merged into).
    let moved = diesel::update(violations::table.filter(violations::landlord_id.eq("a")))
        .set(violations::landlord_id.eq("b"))
        .execute(&mut *conn);
    assert!(moved.is_err(), "a violation changed its party without a merge");
    drop(conn);
    assert_eq!(counts(&t, "a").0, vec![("open".to_string(), 1)]);
}

#[tokio::test]
async fn a_link_refuses_staff_accounts_and_accounts_of_another_recorded_party() {
    let t = fresh_db();
    party(&t, "target", PartySource::KvkRegister);
    party(&t, "other", PartySource::Complaint);
    account(&t, "staff", Role::Officer, None);
    account(&t, "claimed", Role::Landlord, Some("other"));
    account(&t, "fresh", Role::Landlord, None);
    let link = |account: &str| LinkAccount {
        landlord_id: "target".into(),
        account_id: account.into(),
        reason: "Legitimatie gezien".into(),
        municipality: MUNICIPALITY.into(),
    };
    let cmd = link("staff");
    let err = write(&t, officer(), move |tx| uc::link_account(tx, cmd)).await.unwrap_err();
    assert!(matches!(&err, AppError::Validation(e) if e[0].pointer == "/account_id"), "{err:?}");
    let cmd = link("claimed");
    let err = write(&t, officer(), move |tx| uc::link_account(tx, cmd)).await.unwrap_err();
    assert!(matches!(&err, AppError::Conflict { detail, .. } if detail.contains("other")), "{err:?}");

    let cmd = link("fresh");
    let linked = write(&t, officer(), move |tx| uc::link_account(tx, cmd)).await.unwrap();
    assert!(linked.changed && linked.merged.is_none());
    let mut conn = t.db.get().unwrap();
    let landlord: Option<String> =
        accounts::table.find("fresh").select(accounts::landlord_id).first(&mut *conn).unwrap();
    assert_eq!(landlord.as_deref(), Some("target"));
}

#[derive(diesel::QueryableByName)]
struct PlanRow {
    #[diesel(sql_type = diesel::sql_types::Text)]
    detail: String,
}

#[test]
fn every_statement_of_a_merge_finds_its_rows_through_an_index() {
    // SQLite only: PostgreSQL's planner chooses by table statistics (see query_plans.rs).
    if std::env::var("TEST_DATABASE_URL").is_ok_and(|v| !v.is_empty()) {
        return;
    }
    use diesel::connection::InstrumentationEvent;
    use diesel::{Connection, SqliteConnection};
    use std::sync::{Arc, Mutex};
    let t = fresh_db();
    party(&t, "a", PartySource::Inspection);
    party(&t, "b", PartySource::Inspection);
    let mut conn = t.db.get().unwrap();
    let seen = Arc::new(Mutex::new(Vec::<String>::new()));
    let sink = Arc::clone(&seen);
    conn.set_instrumentation(move |event: InstrumentationEvent<'_>| {
        if let InstrumentationEvent::StartQuery { query, .. } = event {
            let sql = query.to_string();
            sink.lock().unwrap().push(sql.split(" -- binds: ").next().unwrap_or_default().to_string());
        }
    });
    huurtoezicht::db::party_links::move_party_columns(&mut conn, "a", "b").unwrap();
    drop(conn);
    let statements = seen.lock().unwrap().clone();
    assert!(statements.len() >= 13, "{statements:?}");
    let mut raw = SqliteConnection::establish(t.url.trim_start_matches("sqlite://")).unwrap();
    let mut scans = Vec::new();
    for sql in statements {
        let plan: Vec<String> = diesel::sql_query(format!("EXPLAIN QUERY PLAN {sql}"))
            .load::<PlanRow>(&mut raw)
            .unwrap()
            .into_iter()
            .map(|r| r.detail)
            .collect();
        if plan.iter().any(|d| d.starts_with("SCAN ")) {
            scans.push(format!("{sql}: {plan:?}"));
        }
    }
    assert!(scans.is_empty(), "statements of a merge that scan a table:\n{}", scans.join("\n"));
}
