//! Seeding the load test's database through the bulk SQL of `examples/common/seed_sql.rs`.

use diesel::connection::SimpleConnection;
use diesel::Connection;

use crate::seed_sql::{self, series, Dialect, Landlord};

/// The database one application run uses.
#[derive(Clone, Debug)]
pub struct Database {
    /// `sqlite://…` or `postgres://…`, as the application's `DATABASE_URL`.
    pub url: String,
    pub postgres: bool,
}

impl Database {
    pub fn exec(&self, sql: &str) -> Result<(), String> {
        let fail = |e: &dyn std::fmt::Display| format!("seeding: {e}");
        if let Some(path) = self.url.strip_prefix("sqlite://") {
            let mut c = diesel::SqliteConnection::establish(path).map_err(|e| fail(&e))?;
            c.batch_execute("PRAGMA busy_timeout = 60000;").map_err(|e| fail(&e))?;
            c.batch_execute(sql).map_err(|e| fail(&e))
        } else {
            let mut c = diesel::PgConnection::establish(&self.url).map_err(|e| fail(&e))?;
            c.batch_execute(sql).map_err(|e| fail(&e))
        }
    }

    /// Fresh planner statistics, as autovacuum or `PRAGMA optimize` would keep them; on SQLite
    /// the seeded rows are also moved out of the WAL, so that the server's checkpoint of them is
    /// not counted as bytes written by the next scenario.
    pub fn analyze(&self) -> Result<(), String> {
        if self.postgres {
            self.exec("ANALYZE; CHECKPOINT;")
        } else {
            self.exec("ANALYZE; PRAGMA wal_checkpoint(TRUNCATE);")
        }
    }

    fn dialect(&self) -> Dialect {
        Dialect { postgres: self.postgres }
    }
}

/// The register's addresses: postcodes 1000AB–1099AB, house numbers 1000–1999, 100,000 in all.
/// [`REGISTER_URL_REGEX`] matches exactly these, each with the same chance.
pub const ADDRESSES: u64 = 100_000;
pub const REGISTER_URL_REGEX: &str = "/v1/register/licences\\?postcode=10[0-9]{2}AB&house_number=1[0-9]{3}";

/// The sanctions register's look-ups: the same 100,000 addresses, of which every tenth has a
/// published fine ([`sanctions`]).
pub const SANCTIONS_URL_REGEX: &str = "/v1/register/sanctions\\?postcode=10[0-9]{2}AB&house_number=1[0-9]{3}";

/// The landlord whose drafts the submit scenario submits.
pub const LANDLORD: &str = "load-ll";

/// One landlord and one property per address with one application each (`i % 4`: draft,
/// submitted, in review, granted), and a licence for every granted one. Drafts are `app-{4k}`.
pub fn licensing(db: &Database) -> Result<(), String> {
    let landlord = Landlord {
        id: LANDLORD,
        name: "Last Verhuur BV",
        email: "last@example.nl",
        postcode_expr: "(1000 + i % 100) || 'AB'",
        house_expr: "1000 + i / 100",
    };
    db.exec(&seed_sql::licensing(db.dialect(), &series(0, ADDRESSES), &landlord))
}

/// Complaints `from..to` over 1,000 postcodes, 16 categories, 4 priorities and 4 statuses, one
/// a minute back from 2026-11-01, and the statistics counters recomputed (as the application
/// keeps them for every complaint it writes itself).
pub fn complaints(db: &Database, from: u64, to: u64) -> Result<(), String> {
    if to <= from {
        return Ok(());
    }
    db.exec(&seed_sql::complaints(db.dialect(), &series(from, to)))?;
    db.exec(&format!("BEGIN; {} COMMIT;", huurtoezicht::db::statistics::meldpunt::rebuild_sql(db.postgres)))
}

/// The parties of the search benchmark: 100,000 landlords recorded by officers, each named by
/// two made-up words (1,000 of each kind, so a four-letter prefix finds about 1,000 parties), a
/// third of them with `BV`, each with its own KvK number (`10000000 + i`), and their search
/// terms as `db::parties` writes them (lower case, one row per word and the KvK number).
pub const PARTIES: u64 = 100_000;

/// Varied searches: a four-letter prefix of either word, two words, or a KvK number.
pub const PARTY_SEARCH_URL_REGEX: &str = "/v1/landlords\\?limit=20&q=((ba|de|ki|lo|mu|na|pe|ri|so|tu){2}|(ga|ho|ji|ko|le|ma|no|pi|ru|si){2}|(ba|de|ki|lo|mu|na|pe|ri|so|tu){3}%20(ga|ho|ji|ko|le|ma|no|pi|ru|si)|100[0-9]{5})";

/// A word of three syllables from `syllables` (ten of two letters), chosen by the digits of `n`.
fn word(syllables: &str, n: &str) -> String {
    format!(
        "substr('{syllables}', (({n}) % 10) * 2 + 1, 2) || substr('{syllables}', ((({n}) / 10) % 10) * 2 + 1, 2) || substr('{syllables}', ((({n}) / 100) % 10) * 2 + 1, 2)"
    )
}

pub fn parties(db: &Database) -> Result<(), String> {
    let s = crate::seed_sql::series(0, PARTIES);
    let ts = db.dialect().ts("2025-06-01 10:00:00");
    let first = word("badekilomunaperisotu", "i");
    let second = word("gahojikolemanopirusi", "(i * 7919) % 1000");
    let sql = format!(
        "{s} INSERT INTO landlords (id, kind, name, kvk_number, contact_email, created_at, updated_at, source, municipality_code)
            SELECT 'party-' || i, 'legal_entity', {first} || ' ' || {second} || CASE WHEN i % 3 = 0 THEN ' BV' ELSE '' END,
              CAST(10000000 + i AS TEXT), '', {ts}, {ts}, 'kvk_register', 'GM0599' FROM s;
         {s} INSERT INTO party_search_terms (role, term, party_id) SELECT 'landlord', {first}, 'party-' || i FROM s;
         {s} INSERT INTO party_search_terms (role, term, party_id) SELECT 'landlord', {second}, 'party-' || i FROM s;
         {s} INSERT INTO party_search_terms (role, term, party_id) SELECT 'landlord', CAST(10000000 + i AS TEXT), 'party-' || i FROM s;
         {s} INSERT INTO party_search_terms (role, term, party_id) SELECT 'landlord', 'bv', 'party-' || i FROM s WHERE i % 3 = 0;"
    );
    db.exec(&sql)
}

/// A published fine at every tenth address of [`licensing`] (10,000 in all), each with its
/// enforcement case, violation and sanction, in force from 2025-11-01 for ten years.
pub fn sanctions(db: &Database) -> Result<(), String> {
    let d = db.dialect();
    let ts = d.ts("2025-06-01 10:00:00");
    let date = |literal: &str| if db.postgres { format!("DATE '{literal}'") } else { format!("'{literal}'") };
    let (decided, published, ends) = (date("2025-10-02"), date("2025-11-01"), date("2035-11-01"));
    let s = series(0, ADDRESSES);
    let (postcode, house) = ("(1000 + i % 100) || 'AB'", "1000 + i / 100");
    let key = format!("{postcode} || '|' || ({house}) || '|'");
    db.exec(&format!(
        "{s} INSERT INTO enforcement_cases (id, municipality_code, landlord_id, address_key, postcode, house_number, landlord_kind, status, stage, opened_on, created_at, updated_at)
            SELECT 'case-' || i, 'GM0599', '{LANDLORD}', {key}, {postcode}, {house}, 'private', 'open', 'administrative_fine', {decided}, {ts}, {ts} FROM s WHERE i % 10 = 0;
         {s} INSERT INTO violations (id, municipality_code, case_id, landlord_id, address_key, rule, established_on, description, details, evidence, aggravations, status, created_at, updated_at)
            SELECT 'viol-' || i, 'GM0599', 'case-' || i, '{LANDLORD}', {key}, 'GR-04', {decided}, 'Waarborgsom te hoog', '{{}}', '{{}}', '[]', 'open', {ts}, {ts} FROM s WHERE i % 10 = 0;
         {s} INSERT INTO sanctions (id, municipality_code, case_id, violation_id, landlord_id, kind, rule, violation_date, state_name, state, terms, proposed_step, amount_cents, effective_on, decision_date, annulled, created_at, updated_at)
            SELECT 'sanc-' || i, 'GM0599', 'case-' || i, 'viol-' || i, '{LANDLORD}', 'administrative_fine', 'GR-04', {decided}, 'published', '{{}}', '{{}}', 'administrative_fine', 500000, {decided}, {decided}, FALSE, {ts}, {ts} FROM s WHERE i % 10 = 0;
         {s} INSERT INTO sanction_publications (sanction_id, municipality_code, postcode, house_number, house_number_addition, address_key, landlord_id, kind, decided_on, rule, amount_cents, published_on, ends_on, updated_at)
            SELECT 'sanc-' || i, 'GM0599', {postcode}, {house}, '', {key}, '{LANDLORD}', 'administrative_fine', {decided}, 'GR-04', 500000, {published}, {ends}, {ts} FROM s WHERE i % 10 = 0;",
    ))
}
