//! Password reset links and password changes, without HTTP: what is stored (only the token's
//! hash), what is mailed, and that a link works once and only in time.

use chrono::Duration;
use diesel::prelude::*;
use huurtoezicht::db::schema::{accounts as accounts_table, outbox, password_resets};
use huurtoezicht::domain::ids::Email;
use huurtoezicht::domain::landlords::LandlordKind;
use huurtoezicht::error::AppError;
use huurtoezicht::service::{self, accounts, Ctx};

use crate::common::{fresh_db, now, system, today, TestDb};

async fn register(t: &TestDb, address: &str) -> String {
    let cmd = accounts::RegisterLandlord {
        email: Email::parse(address).unwrap(),
        password_hash: "old-hash".into(),
        name: "Jan de Vries".into(),
        kind: LandlordKind::NaturalPerson,
        kvk_number: None,
        municipality_name: "Rotterdam".into(),
    };
    let ctx = Ctx::anonymous(now(), today(), None);
    let (account, _) =
        service::write(&t.db, ctx, move |tx| accounts::register_landlord(tx, cmd)).await.unwrap();
    account.id
}

async fn ask(t: &TestDb, address: &str, at: Ctx) -> bool {
    let cmd = accounts::StartPasswordReset {
        target: accounts::ResetFor::Email(Email::parse(address).unwrap()),
        valid_for: Duration::minutes(60),
        public_url: "https://toezicht.example.nl".into(),
        municipality_name: "Rotterdam".into(),
    };
    service::write(&t.db, at, move |tx| accounts::start_password_reset(tx, cmd)).await.unwrap()
}

/// The tokens of every reset mail so far.
fn mailed_tokens(t: &TestDb) -> Vec<String> {
    let mut conn = t.db.get().unwrap();
    let bodies: Vec<String> = outbox::table
        .filter(outbox::subject.like("%password%"))
        .select(outbox::body)
        .load(&mut *conn)
        .unwrap();
    let link = "https://toezicht.example.nl/password-reset?token=";
    bodies
        .iter()
        .map(|b| {
            let at = b.find(link).unwrap() + link.len();
            b[at..].chars().take_while(char::is_ascii_hexdigit).collect()
        })
        .collect()
}

async fn confirm(t: &TestDb, token: &str, at: Ctx) -> Result<(), AppError> {
    let cmd = accounts::ConfirmPasswordReset { token: token.into(), password_hash: "new-hash".into() };
    service::write(&t.db, at, move |tx| accounts::confirm_password_reset(tx, cmd)).await.map(|_| ())
}

fn later(minutes: i64) -> Ctx {
    Ctx::anonymous(now() + Duration::minutes(minutes), today(), None)
}

#[tokio::test]
async fn only_the_hash_of_the_token_is_stored_and_unknown_addresses_leave_no_trace() {
    let t = fresh_db();
    register(&t, "jan@example.nl").await;
    assert!(!ask(&t, "niemand@example.nl", system()).await, "nothing for an unknown address");
    let mut conn = t.db.get().unwrap();
    let rows: i64 = password_resets::table.count().get_result(&mut *conn).unwrap();
    assert_eq!(rows, 0);
    drop(conn);

    assert!(ask(&t, "jan@example.nl", system()).await);
    let token = mailed_tokens(&t).remove(0);
    assert_eq!(token.len(), 64);
    let mut conn = t.db.get().unwrap();
    let (hash, expires): (String, chrono::NaiveDateTime) = password_resets::table
        .select((password_resets::token_hash, password_resets::expires_at))
        .first(&mut *conn)
        .unwrap();
    assert_eq!(hash, accounts::reset_token_hash(&token));
    assert_ne!(hash, token);
    assert_eq!(expires, now() + Duration::minutes(60));
    let (to, body): (String, String) = outbox::table
        .filter(outbox::subject.like("%password%"))
        .select((outbox::recipient, outbox::body))
        .first(&mut *conn)
        .unwrap();
    assert_eq!(to, "jan@example.nl");
    assert!(body.starts_with("Beste Jan de Vries,") && !body.contains("jan@example.nl"), "{body}");
}

#[tokio::test]
async fn a_link_sets_the_password_once_raises_the_security_version_and_expires() {
    let t = fresh_db();
    let id = register(&t, "jan@example.nl").await;
    ask(&t, "jan@example.nl", system()).await;
    let expired = mailed_tokens(&t).remove(0);
    let err = confirm(&t, &expired, later(60)).await.unwrap_err();
    assert!(matches!(&err, AppError::Validation(e) if e[0].pointer == "/token"), "{err:?}");

    ask(&t, "jan@example.nl", system()).await;
    let token = mailed_tokens(&t).into_iter().find(|k| *k != expired).unwrap();
    confirm(&t, &token, later(59)).await.unwrap();
    let err = confirm(&t, &token, later(59)).await.unwrap_err();
    assert!(matches!(&err, AppError::Validation(e) if e[0].pointer == "/token"), "once only: {err:?}");

    let mut conn = t.db.get().unwrap();
    let (hash, version): (String, i32) = accounts_table::table
        .find(&id)
        .select((accounts_table::password_hash, accounts_table::security_version))
        .first(&mut *conn)
        .unwrap();
    assert_eq!(hash, "new-hash");
    assert_eq!(version, 1, "older tokens stop working");
}
