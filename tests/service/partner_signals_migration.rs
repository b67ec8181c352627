//! Migration 000139 on a database that already holds complaints with messages, attachments,
//! referrals and mails: SQLite rebuilds `complaints` (a CHECK cannot change in place) with the
//! foreign keys on, PostgreSQL changes its constraints. Every row and child row stays, every
//! index comes back, the new checks hold, and the migration reverts.

use diesel::backend::Backend;
use diesel::connection::SimpleConnection;
use diesel::migration::{Migration, MigrationSource};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness};
use huurtoezicht::db::complaints as store;
use huurtoezicht::db::{Db, DbConnection, POSTGRES_MIGRATIONS, SQLITE_MIGRATIONS};
use huurtoezicht::domain::complaints::Channel;

use crate::common::{now, MUNICIPALITY};

const MINE: &str = "2026-11-27-000139";

/// Runs the pending migrations that come before 000139.
fn run_before_mine<DB: Backend, C: MigrationHarness<DB>>(c: &mut C, source: EmbeddedMigrations)
where
    EmbeddedMigrations: MigrationSource<DB>,
{
    let mut pending = c.pending_migrations(source).unwrap();
    pending.sort_by_key(|m| m.name().to_string());
    for m in pending.iter().filter(|m| m.name().to_string().as_str() < MINE) {
        c.run_migration(&**m).unwrap();
    }
}

fn mine<DB: Backend>(source: EmbeddedMigrations) -> Box<dyn Migration<DB>>
where
    EmbeddedMigrations: MigrationSource<DB>,
{
    source.migrations().unwrap().into_iter().find(|m| m.name().to_string().starts_with(MINE)).unwrap()
}

/// `$body` with `$c` the backend's own connection and `$src` its migrations.
macro_rules! on_backend {
    ($conn:expr, |$c:ident, $src:ident| $body:expr) => {
        match $conn {
            DbConnection::Sqlite($c) => {
                let $src = SQLITE_MIGRATIONS;
                $body
            }
            DbConnection::Postgresql($c) => {
                let $src = POSTGRES_MIGRATIONS;
                $body
            }
        }
    };
}

fn up(conn: &mut DbConnection) -> Result<(), String> {
    on_backend!(conn, |c, src| c.run_migration(&*mine(src)).map(|_| ()).map_err(|e| e.to_string()))
}

fn down(conn: &mut DbConnection) -> Result<(), String> {
    on_backend!(conn, |c, src| c.revert_migration(&*mine(src)).map(|_| ()).map_err(|e| e.to_string()))
}

/// The columns of a complaint this migration is about, read with plain SQL: the row type of
/// `db::complaints` also has columns of later migrations.
#[derive(QueryableByName, Debug)]
struct Row {
    #[diesel(sql_type = Text)]
    channel: String,
    #[diesel(sql_type = diesel::sql_types::Nullable<Text>)]
    partner: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Nullable<Text>)]
    partner_reference: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Nullable<Text>)]
    description: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Nullable<Text>)]
    contact_email: Option<String>,
    #[diesel(sql_type = Text)]
    signals: String,
}

fn row(conn: &mut DbConnection, id: &str) -> Row {
    diesel::sql_query(format!(
        "SELECT channel, partner, partner_reference, description, contact_email, signals \
         FROM complaints WHERE id = '{id}'"
    ))
    .get_result(conn)
    .unwrap()
}

#[derive(QueryableByName, Debug, PartialEq, Eq, PartialOrd, Ord, Clone)]
struct IndexDef {
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Text)]
    sql: String,
}

/// The indexes (and on SQLite the triggers) of `table` with their definitions: a later
/// migration that adds one before 000139 must add it to the rebuild too, or this fails.
fn indexes(conn: &mut DbConnection, table: &str) -> Vec<IndexDef> {
    let q = match conn {
        DbConnection::Sqlite(_) => {
            "SELECT name, sql FROM sqlite_master WHERE type IN ('index', 'trigger') AND tbl_name = $1 \
             AND sql IS NOT NULL"
        }
        DbConnection::Postgresql(_) => {
            "SELECT indexname AS name, indexdef AS sql FROM pg_indexes WHERE tablename = $1"
        }
    };
    let mut v: Vec<IndexDef> = diesel::sql_query(q).bind::<Text, _>(table).load(conn).unwrap();
    v.sort();
    v
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

fn count(conn: &mut DbConnection, sql: &str) -> i64 {
    diesel::sql_query(sql).get_result::<Count>(conn).unwrap().n
}

/// Child rows whose complaint is missing.
fn orphans(conn: &mut DbConnection) -> i64 {
    ["complaint_messages", "complaint_attachments", "complaint_referrals", "complaint_mails"]
        .iter()
        .map(|t| {
            count(
                conn,
                &format!(
                    "SELECT COUNT(*) AS n FROM {t} x WHERE NOT EXISTS (SELECT 1 FROM complaints c WHERE c.id = x.complaint_id)"
                ),
            )
        })
        .sum()
}

const COLUMNS: &str =
    "id, municipality_code, tracking_hash, category, status, priority, priority_rank, language, \
    anonymity, channel, signals, has_signals, consent_to_contact, has_referral, case_building, \
    awaiting_information, received_at, received_on, due_on, status_changed_at, updated_at, postcode, \
    house_number, description, contact_email";

fn complaint(id: &str, channel: &str) -> String {
    format!(
        "INSERT INTO complaints ({COLUMNS}) VALUES ('{id}', '{MUNICIPALITY}', 'hash-{id}', 'intimidation', \
         'received', 'normal', 1, 'nl', 'anonymous_to_landlord', '{channel}', 'documents_withheld', TRUE, TRUE, \
         FALSE, FALSE, FALSE, '2026-03-01 10:00:00', '2026-03-01', '2026-03-29', '2026-03-01 10:00:00', \
         '2026-03-01 10:00:00', '3011AB', 12, 'Beschrijving {id}', 'melder@example.test');"
    )
}

const CHILDREN: &str = "
INSERT INTO complaint_messages (id, complaint_id, municipality_code, author, kind, body, author_account_id, created_at)
    VALUES ('m1', 'c1', 'GM0599', 'reporter', 'message', 'Hallo', NULL, '2026-03-02 10:00:00');
INSERT INTO complaint_attachments (id, complaint_id, municipality_code, media_type, size_bytes, sha256, storage_name, created_at)
    VALUES ('a1', 'c1', 'GM0599', 'image/png', 3, 'abc', 'a1.bin', '2026-03-02 10:00:00');
INSERT INTO complaint_referrals (id, complaint_id, municipality_code, partner, referred_on, shared_data, legal_basis, recorded_by, created_at)
    VALUES ('r1', 'c2', 'GM0599', 'police', '2026-03-03', 'adres', 'art. 4 Wgv', 'officer-1', '2026-03-03 10:00:00');
INSERT INTO complaint_mails (complaint_id, outbox_id) VALUES ('c1', 'o1');
";

fn partner_row(id: &str, channel: &str, partner: Option<&str>) -> String {
    let partner = partner.map_or("NULL".to_string(), |p| format!("'{p}'"));
    complaint(id, channel).replace(
        &format!("INSERT INTO complaints ({COLUMNS}) VALUES ("),
        &format!(
            "INSERT INTO complaints (partner, partner_reference, {COLUMNS}) VALUES ({partner}, 'REF-1', "
        ),
    )
}

#[test]
fn the_partner_signal_migration_keeps_every_complaint_child_row_and_index() {
    let dir = tempfile::tempdir().unwrap();
    let url = match std::env::var("TEST_DATABASE_URL").ok().filter(|s| !s.is_empty()) {
        None => format!("sqlite://{}", dir.path().join("migration.db").display()),
        Some(admin_url) => {
            let name = format!("htm_{}", uuid::Uuid::new_v4().simple());
            let mut conn = diesel::PgConnection::establish(&admin_url).unwrap();
            diesel::sql_query(format!("CREATE DATABASE {name}")).execute(&mut conn).unwrap();
            format!("{}/{name}", admin_url.rsplit_once('/').unwrap().0)
        }
    };
    let db = Db::connect(&huurtoezicht::config::DatabaseUrl::parse(&url).unwrap(), 1).unwrap();
    let mut conn = db.get().unwrap();
    let conn: &mut DbConnection = &mut conn;

    // The database as it was before: two complaints with messages, attachments, referrals, mails.
    on_backend!(&mut *conn, |c, src| run_before_mine(c, src));
    huurtoezicht::db::accounts::ensure_municipality(conn, MUNICIPALITY, "Rotterdam", now()).unwrap();
    conn.batch_execute(&format!("{}{}{CHILDREN}", complaint("c1", "public"), complaint("c2", "portal")))
        .unwrap();
    assert!(conn.batch_execute(&complaint("c3", "partner")).is_err(), "two channels before 000139");
    let before = indexes(conn, "complaints");
    assert!(before.len() >= 16, "{before:?}");
    let partners_before = indexes(conn, "inspection_partners");
    assert!(!partners_before.is_empty());

    up(conn).unwrap();

    // Every row and child row, unchanged, with no partner.
    let c1 = row(conn, "c1");
    assert_eq!((c1.channel.as_str(), c1.partner, c1.partner_reference.as_deref()), ("public", None, None));
    assert_eq!(c1.description.as_deref(), Some("Beschrijving c1"));
    assert_eq!(c1.contact_email.as_deref(), Some("melder@example.test"));
    assert_eq!(c1.signals, "documents_withheld");
    assert_eq!(row(conn, "c2").channel, "portal");
    let ids = ["c1".to_string(), "c2".to_string()];
    assert_eq!(store::messages_of(conn, &ids).unwrap().len(), 1);
    assert_eq!(store::attachments_of(conn, &ids).unwrap().len(), 1);
    assert_eq!(count(conn, "SELECT COUNT(*) AS n FROM complaint_referrals WHERE complaint_id = 'c2'"), 1);
    assert_eq!(count(conn, "SELECT COUNT(*) AS n FROM complaint_mails"), 1);
    assert_eq!(orphans(conn), 0);

    // Every index again, exactly; one more for the partner list.
    let after = indexes(conn, "complaints");
    assert_eq!(indexes(conn, "inspection_partners"), partners_before, "inspection_partners is rebuilt too");
    let added: Vec<&IndexDef> = after.iter().filter(|i| !before.contains(i)).collect();
    assert_eq!(added.len(), 1, "{added:?}");
    assert_eq!(added[0].name, "complaints_from_partners");
    assert!(before.iter().all(|i| after.contains(i)), "lost or changed: {before:?} vs {after:?}");

    // The new checks: a partner iff channel 'partner', a known partner code.
    assert!(conn.batch_execute(&partner_row("p0", "partner", None)).is_err());
    assert!(conn.batch_execute(&partner_row("p0", "public", Some("police"))).is_err());
    assert!(conn.batch_execute(&partner_row("p0", "partner", Some("the_press"))).is_err());
    conn.batch_execute(&partner_row("p1", "partner", Some("utility"))).unwrap();
    assert_eq!(row(conn, "p1").partner.as_deref(), Some("utility"));
    // The utility may be present at an inspection too (inspection_partners admits it): checked
    // by the CHECK's text, as no inspection exists here.
    let utility_admitted = match conn {
        DbConnection::Sqlite(_) => count(
            conn,
            "SELECT COUNT(*) AS n FROM sqlite_master WHERE name = 'inspection_partners' AND sql LIKE '%''utility''%'",
        ),
        DbConnection::Postgresql(_) => count(
            conn,
            "SELECT COUNT(*) AS n FROM pg_constraint WHERE conname = 'inspection_partners_partner_check' \
             AND pg_get_constraintdef(oid) LIKE '%utility%'",
        ),
    };
    assert_eq!(utility_admitted, 1);

    // Reverting refuses while partner signals exist, and works without them.
    assert!(down(conn).is_err());
    conn.batch_execute("DELETE FROM complaints WHERE id = 'p1'").unwrap();
    down(conn).unwrap();
    assert_eq!(indexes(conn, "complaints"), before);
    assert_eq!(indexes(conn, "inspection_partners"), partners_before);
    assert!(conn.batch_execute(&complaint("c3", "partner")).is_err());
    assert_eq!(orphans(conn), 0);
    assert_eq!(store::messages_of(conn, &ids).unwrap().len(), 1);

    // And up again, with everything after it.
    on_backend!(&mut *conn, |c, src| c.run_pending_migrations(src).map(|_| ()).unwrap());
    assert_eq!(store::find_unscoped(conn, "c1").unwrap().unwrap().channel, Channel::Public);
}
