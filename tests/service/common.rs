//! A fresh database and a context to run use cases in.
#![allow(dead_code)]

use chrono::{NaiveDate, NaiveDateTime};
use huurtoezicht::db::audit::Actor;
use huurtoezicht::db::Db;
use huurtoezicht::service::Ctx;

pub const MUNICIPALITY: &str = "GM0599";

pub struct TestDb {
    pub db: Db,
    pub url: String,
    _dir: tempfile::TempDir,
}

/// A fresh database with migrations applied and the test municipality recorded.
pub fn fresh_db() -> TestDb {
    let dir = tempfile::tempdir().unwrap();
    let url = match std::env::var("TEST_DATABASE_URL").ok().filter(|s| !s.is_empty()) {
        None => format!("sqlite://{}", dir.path().join("service.db").display()),
        Some(admin_url) => {
            use diesel::{Connection, RunQueryDsl};
            let name = format!("hts_{}", uuid::Uuid::new_v4().simple());
            let mut conn = diesel::PgConnection::establish(&admin_url).unwrap();
            diesel::sql_query(format!("CREATE DATABASE {name}")).execute(&mut conn).unwrap();
            let base = admin_url.rsplit_once('/').map(|(b, _)| b).unwrap();
            format!("{base}/{name}")
        }
    };
    let parsed = huurtoezicht::config::DatabaseUrl::parse(&url).unwrap();
    let db = Db::connect(&parsed, 4).unwrap();
    db.migrate().unwrap();
    let mut conn = db.get().unwrap();
    huurtoezicht::db::accounts::ensure_municipality(&mut conn, MUNICIPALITY, "Rotterdam", now()).unwrap();
    drop(conn);
    TestDb { db, url, _dir: dir }
}

pub fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 2).unwrap()
}

pub fn now() -> NaiveDateTime {
    today().and_hms_opt(9, 30, 0).unwrap()
}

/// The system acting, unrestricted.
pub fn system() -> Ctx {
    Ctx::system(now(), today())
}

/// An officer of the test municipality.
pub fn officer() -> Ctx {
    let mut ctx = Ctx::system(now(), today());
    ctx.actor = Actor {
        kind: huurtoezicht::db::audit::ActorKind::Account,
        id: Some("officer-1".into()),
        request_id: Some("req-1".into()),
    };
    ctx.scope = huurtoezicht::db::scope::Scope::municipality(MUNICIPALITY);
    ctx
}
