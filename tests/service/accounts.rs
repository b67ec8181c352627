//! Accounts: registration, staff accounts, the first admin and portal mandates, without HTTP.

use diesel::prelude::*;
use huurtoezicht::db::audit::{self, AuditFilter, AuditRow};
use huurtoezicht::db::schema::outbox;
use huurtoezicht::domain::api_clients::ClientScopes;
use huurtoezicht::domain::ids::{Email, KvkNumber};
use huurtoezicht::domain::landlords::LandlordKind;
use huurtoezicht::domain::roles::{ClientScope, Role};
use huurtoezicht::error::AppError;
use huurtoezicht::service::{self, accounts, Ctx};

use crate::common::{fresh_db, now, system, today, TestDb, MUNICIPALITY};

fn email(s: &str) -> Email {
    Email::parse(s).unwrap()
}

async fn audit_of(t: &TestDb, entity_type: &str) -> Vec<AuditRow> {
    let entity_type = entity_type.to_string();
    service::read(&t.db, system(), move |tx| {
        let f = AuditFilter { entity_type: Some(entity_type), entity_id: None, before_id: None, limit: 20 };
        audit::list(tx.conn, &tx.scope, &f)
    })
    .await
    .unwrap()
}

async fn register(t: &TestDb, address: &str) -> Result<String, AppError> {
    let cmd = accounts::RegisterLandlord {
        email: email(address),
        password_hash: "hash".into(),
        name: "Verhuur BV".into(),
        kind: LandlordKind::LegalEntity,
        kvk_number: Some(KvkNumber::parse("12345678").unwrap()),
        municipality_name: "Rotterdam".into(),
    };
    let ctx = Ctx::anonymous(now(), today(), Some("req-9".into()));
    let (account, landlord) =
        service::write(&t.db, ctx, move |tx| accounts::register_landlord(tx, cmd)).await?;
    assert_eq!(account.role, Role::Landlord);
    assert_eq!(account.landlord_id.as_deref(), Some(landlord.id.as_str()));
    assert_eq!(landlord.kind, LandlordKind::LegalEntity);
    Ok(landlord.id)
}

#[tokio::test]
async fn a_registration_is_audited_as_the_new_account_and_sends_the_welcome_letter() {
    let t = fresh_db();
    let landlord_id = register(&t, "verhuur@example.nl").await.unwrap();
    let rows = audit_of(&t, "landlord").await;
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].action, "register");
    assert_eq!(rows[0].entity_id, landlord_id);
    assert_eq!(rows[0].actor_kind, "account");
    assert_eq!(rows[0].request_id.as_deref(), Some("req-9"));
    let after = rows[0].after_state.as_deref().unwrap();
    assert!(after.contains("legal_entity") && !after.contains("verhuur@example.nl"), "{after}");

    let mut conn = t.db.get().unwrap();
    let mails: Vec<(String, String)> =
        outbox::table.select((outbox::recipient, outbox::body)).load(&mut *conn).unwrap();
    assert_eq!(mails.len(), 1);
    assert_eq!(mails[0].0, "verhuur@example.nl");
    assert!(mails[0].1.starts_with("Welkom bij Huurtoezicht (Rotterdam)."), "{}", mails[0].1);
}

#[tokio::test]
async fn a_taken_email_address_is_a_conflict_and_leaves_nothing_behind() {
    let t = fresh_db();
    register(&t, "verhuur@example.nl").await.unwrap();
    let err = register(&t, "verhuur@example.nl").await.unwrap_err();
    assert!(matches!(err, AppError::Conflict { .. }), "{err:?}");
    assert_eq!(audit_of(&t, "landlord").await.len(), 1);
    let mut conn = t.db.get().unwrap();
    let landlords: i64 = huurtoezicht::db::schema::landlords::table.count().get_result(&mut *conn).unwrap();
    assert_eq!(landlords, 1, "the second landlord row was rolled back");
}

#[tokio::test]
async fn the_bootstrap_admin_is_created_once() {
    let t = fresh_db();
    let create = |only_if_none| accounts::CreateAdmin {
        email: email(if only_if_none { "beheer2@example.nl" } else { "beheer@example.nl" }),
        password_hash: "hash".into(),
        only_if_none,
    };
    let first = create(false);
    assert!(service::write(&t.db, system(), move |tx| accounts::create_admin(tx, first)).await.unwrap());
    let again = create(true);
    assert!(!service::write(&t.db, system(), move |tx| accounts::create_admin(tx, again)).await.unwrap());
    let rows = audit_of(&t, "account").await;
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].action, "create_admin");
    assert_eq!(rows[0].actor_kind, "system");
}

/// The start-up bootstrap checks for an admin before it hashes: once an admin exists it succeeds
/// even with a password pool that has no thread to hash on, which it could not do if it hashed.
#[tokio::test]
async fn the_bootstrap_admin_password_is_not_hashed_when_an_admin_exists() {
    use huurtoezicht::clock::Clock;
    use huurtoezicht::http::passwords::PasswordPool;
    let t = fresh_db();
    let clock = Clock::system();
    let pw = "beheerder-wachtwoord-zeer-geheim-42";
    let no_hashing = PasswordPool::start(0, 1, std::time::Duration::from_secs(60)).unwrap();
    let hashing = PasswordPool::start(1, 1, std::time::Duration::from_secs(60)).unwrap();
    let bootstrap = huurtoezicht::cli::create_admin;
    // No admin yet: the bootstrap has to hash, and a pool without threads cannot.
    let e = bootstrap(&t.db, &clock, &no_hashing, "beheer@example.nl", pw, true).await.unwrap_err();
    assert!(e.to_string().contains("password hashing is not running"), "{e}");
    assert!(bootstrap(&t.db, &clock, &hashing, "beheer@example.nl", pw, true).await.unwrap());
    // Every later start: nothing to create and nothing hashed.
    assert!(!bootstrap(&t.db, &clock, &no_hashing, "beheer@example.nl", pw, true).await.unwrap());
    assert!(!bootstrap(&t.db, &clock, &no_hashing, "ander@example.nl", pw, true).await.unwrap());
    // The strength check still comes first.
    let e = bootstrap(&t.db, &clock, &no_hashing, "beheer@example.nl", "kort", true).await.unwrap_err();
    assert!(e.to_string().contains("admin password"), "{e}");
    // The command line (create even if one exists) does hash.
    assert!(bootstrap(&t.db, &clock, &no_hashing, "tweede@example.nl", pw, false).await.is_err());
    assert!(bootstrap(&t.db, &clock, &hashing, "tweede@example.nl", pw, false).await.unwrap());
    let rows = audit_of(&t, "account").await;
    assert_eq!(rows.len(), 2, "one admin from the bootstrap, one from the command line");
}

#[tokio::test]
async fn a_mandate_is_granted_to_a_portal_and_revoked() {
    let t = fresh_db();
    let landlord_id = register(&t, "verhuur@example.nl").await.unwrap();
    let cmd = accounts::CreateApiClient {
        name: "Portaal".into(),
        scopes: ClientScopes::of(vec![ClientScope::ApplicationsWrite]).unwrap(),
        municipalities: vec![MUNICIPALITY.into()],
        municipalities_pointer: "/municipalities",
        contact_email: None,
        secret_hash: "hash".into(),
    };
    let client =
        service::write(&t.db, system(), move |tx| accounts::create_api_client(tx, cmd)).await.unwrap().client;
    assert_eq!(client.scopes.stored(), "applications:write");

    let grant =
        accounts::GrantMandate { landlord_id: landlord_id.clone(), client_id: client.client_id.clone() };
    let list = service::write(&t.db, system(), move |tx| accounts::grant_mandate(tx, grant)).await.unwrap();
    assert_eq!(list.len(), 1);
    assert!(list[0].revoked_at.is_none());

    let revoke =
        accounts::RevokeMandate { landlord_id: landlord_id.clone(), client_id: client.client_id.clone() };
    let list = service::write(&t.db, system(), move |tx| accounts::revoke_mandate(tx, revoke)).await.unwrap();
    assert!(list[0].revoked_at.is_some());

    let again = accounts::RevokeMandate { landlord_id, client_id: client.client_id };
    let err =
        service::write(&t.db, system(), move |tx| accounts::revoke_mandate(tx, again)).await.unwrap_err();
    assert!(matches!(err, AppError::NotFound(_)), "{err:?}");
    let actions: Vec<String> = audit_of(&t, "landlord").await.into_iter().map(|r| r.action).collect();
    assert!(
        actions.contains(&"grant_mandate".to_string()) && actions.contains(&"revoke_mandate".to_string())
    );
}

#[tokio::test]
async fn taking_access_away_raises_the_security_version_and_is_audited() {
    use huurtoezicht::db::accounts::{subject_state, SubjectState};
    let t = fresh_db();
    let cmd = accounts::CreateAccount {
        email: email("officier@gemeente.test"),
        password_hash: "hash".into(),
        name: "Officier".into(),
        role: Role::Officer,
        municipalities: vec![MUNICIPALITY.into()],
    };
    let (account, _) =
        service::write(&t.db, system(), move |tx| accounts::create_account(tx, cmd)).await.unwrap();
    let id = account.id.clone();
    let state = |t: &TestDb, id: &str| {
        let mut conn = t.db.get().unwrap();
        subject_state(&mut conn, id, false).unwrap().unwrap()
    };
    assert_eq!(state(&t, &id), SubjectState { disabled: false, security_version: 0 });

    let cmd = accounts::SetAccountDisabled { account_id: id.clone(), disabled: true, reason: "weg".into() };
    service::write(&t.db, system(), move |tx| accounts::set_account_disabled(tx, cmd)).await.unwrap();
    assert_eq!(state(&t, &id), SubjectState { disabled: true, security_version: 1 });
    let cmd =
        accounts::SetAccountDisabled { account_id: id.clone(), disabled: false, reason: "terug".into() };
    service::write(&t.db, system(), move |tx| accounts::set_account_disabled(tx, cmd)).await.unwrap();
    assert_eq!(state(&t, &id), SubjectState { disabled: false, security_version: 2 });

    // Municipalities: only known codes, at least one; the version rises again.
    let cmd = accounts::SetAccountMunicipalities {
        account_id: id.clone(),
        municipalities: vec!["GM0001".into()],
        reason: "x".into(),
    };
    let err = service::write(&t.db, system(), move |tx| accounts::set_account_municipalities(tx, cmd))
        .await
        .unwrap_err();
    assert!(matches!(err, AppError::Validation(_)), "{err:?}");
    let cmd = accounts::SetAccountMunicipalities {
        account_id: id.clone(),
        municipalities: vec![MUNICIPALITY.into()],
        reason: "bevestigd".into(),
    };
    service::write(&t.db, system(), move |tx| accounts::set_account_municipalities(tx, cmd)).await.unwrap();
    assert_eq!(state(&t, &id).security_version, 3);
    let actions: Vec<String> = audit_of(&t, "account").await.into_iter().map(|r| r.action).collect();
    assert_eq!(actions.iter().filter(|a| *a == "set_disabled").count(), 2, "{actions:?}");
    assert_eq!(actions.iter().filter(|a| *a == "set_municipalities").count(), 1, "{actions:?}");
}

#[tokio::test]
async fn a_landlord_known_in_no_municipality_of_the_caller_is_not_found() {
    let t = fresh_db();
    let landlord_id = register(&t, "onbekend@example.nl").await.unwrap();
    let id = landlord_id.clone();
    let err = service::read(&t.db, crate::common::officer(), move |tx| accounts::landlord_in_scope(tx, &id))
        .await
        .unwrap_err();
    assert!(matches!(err, AppError::NotFound(_)), "{err:?}");
    let (landlord, municipalities) =
        service::read(&t.db, system(), move |tx| accounts::landlord_in_scope(tx, &landlord_id))
            .await
            .unwrap();
    assert_eq!(landlord.name, "Verhuur BV");
    assert!(municipalities.is_empty());
}
