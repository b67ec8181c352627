//! Seeding through SQL, one statement per table with a recursive row series, so that a million
//! rows take seconds on either backend.

use diesel::connection::SimpleConnection;
use diesel::Connection;

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

    fn ts(&self, literal: &str) -> String {
        if self.postgres {
            format!("TIMESTAMP '{literal}'")
        } else {
            format!("'{literal}'")
        }
    }

    /// A DATE expression `days_expr` days before 2025-11-01.
    fn date_minus_days(&self, days_expr: &str) -> String {
        if self.postgres {
            format!("(DATE '2025-11-01' - ({days_expr})::int)")
        } else {
            format!("date('2025-11-01', '-' || ({days_expr}) || ' days')")
        }
    }

    /// A timestamp expression `minutes_expr` minutes before 2026-11-01.
    fn ts_minus_minutes(&self, minutes_expr: &str) -> String {
        if self.postgres {
            format!("(TIMESTAMP '2026-11-01 00:00:00' - ({minutes_expr}) * INTERVAL '1 minute')")
        } else {
            format!("datetime('2026-11-01 00:00:00', '-' || ({minutes_expr}) || ' minutes')")
        }
    }
}

/// Rows `from..to` of a series `s(i)`.
fn series(from: u64, to: u64) -> String {
    format!("WITH RECURSIVE s(i) AS (SELECT {from} UNION ALL SELECT i + 1 FROM s WHERE i < {})", to - 1)
}

/// The register's addresses: postcodes 1000AB–1099AB, house numbers 1000–1999, 100,000 in all.
/// [`REGISTER_URL_REGEX`] matches exactly these, each with the same chance.
pub const ADDRESSES: u64 = 100_000;
pub const REGISTER_URL_REGEX: &str = "/v1/register/licences\\?postcode=10[0-9]{2}AB&house_number=1[0-9]{3}";

/// The landlord whose drafts the submit scenario submits.
pub const LANDLORD: &str = "load-ll";

/// One landlord and one property per address with one application each (`i % 4`: draft,
/// submitted, in review, granted), and a licence for every granted one. Drafts are `app-{4k}`.
pub fn licensing(db: &Database) -> Result<(), String> {
    let ts = db.ts("2025-06-01 10:00:00");
    let submitted = db.date_minus_days("i % 200");
    let due = db.date_minus_days("i % 200 - 56");
    let clock =
        r#"{"submitted_on":"2025-06-01","term_weeks":8,"suspensions":[],"extension":null,"apply_atw":true}"#;
    let s = series(0, ADDRESSES);
    let postcode = "(1000 + i % 100) || 'AB'";
    let house = "1000 + i / 100";
    db.exec(&format!(
        "INSERT INTO landlords (id, kind, name, kvk_number, contact_email, created_at) VALUES ('{LANDLORD}', 'legal_entity', 'Last Verhuur BV', '87654321', 'last@example.nl', {ts});
         {s} INSERT INTO properties (id, municipality_code, landlord_id, postcode, house_number, house_number_addition, kind, usable_floor_area_dm2, toilets, showers, kitchens, cooking_points, washbasins, washing_machines, building_permit_missing, created_at, updated_at)
            SELECT 'prop-' || i, 'GM0599', '{LANDLORD}', {postcode}, {house}, '', 'rooms_let_separately', 6000, 1, 1, 1, 4, 1, 1, FALSE, {ts}, {ts} FROM s;
         {s} INSERT INTO property_rooms (id, property_id, position, label, area_dm2, sleeping_room) SELECT 'room-' || i, 'prop-' || i, 0, 'kamer 1', 1200, TRUE FROM s;
         {s} INSERT INTO licence_applications (id, municipality_code, landlord_id, property_id, kind, state, monthly_rent_cents, submitted_on, decision_clock, decision_due_on, open_due_on, bibob_pending, decision_outcome, decided_on, version, created_at, updated_at)
            SELECT 'app-' || i, 'GM0599', '{LANDLORD}', 'prop-' || i, 'general',
              CASE i % 4 WHEN 0 THEN 'draft' WHEN 1 THEN 'submitted' WHEN 2 THEN 'in_review' ELSE 'granted' END, 75000,
              CASE WHEN i % 4 = 0 THEN NULL ELSE {submitted} END,
              CASE WHEN i % 4 = 0 THEN NULL ELSE '{clock}' END,
              CASE WHEN i % 4 = 0 THEN NULL ELSE {due} END,
              CASE WHEN i % 4 IN (1, 2) THEN {due} ELSE NULL END,
              FALSE, CASE WHEN i % 4 = 3 THEN 'granted' ELSE NULL END, CASE WHEN i % 4 = 3 THEN {submitted} ELSE NULL END, 0, {ts}, {ts} FROM s;
         {s} INSERT INTO application_occupancy (application_id, room_label, persons, partners) SELECT 'app-' || i, 'kamer 1', 1, FALSE FROM s;
         {s} INSERT INTO licences (id, number, municipality_code, application_id, landlord_id, property_id, kind, state, valid_from, max_occupants, conditions, created_at, updated_at)
            SELECT 'lic-' || i, 'GM0599-2025-' || i, 'GM0599', 'app-' || i, '{LANDLORD}', 'prop-' || i, 'general', 'active', {submitted}, 5, '[]', {ts}, {ts} FROM s WHERE i % 4 = 3;",
    ))
}

const CATEGORIES: [&str; 16] = [
    "discrimination",
    "intimidation",
    "deposit_too_high",
    "deposit_not_returned",
    "no_written_tenancy",
    "missing_information",
    "unlawful_service_costs",
    "agency_fee_charged_twice",
    "rent_above_maximum",
    "tenancy_tied_to_employment",
    "information_not_in_own_language",
    "no_licence",
    "overcrowding",
    "unsafe_housing",
    "poor_maintenance",
    "other",
];

/// Complaints `from..to` over 1,000 postcodes, 16 categories, 4 priorities and 4 statuses, one
/// a minute back from 2026-11-01.
pub fn complaints(db: &Database, from: u64, to: u64) -> Result<(), String> {
    if to <= from {
        return Ok(());
    }
    let at = db.ts_minus_minutes("i");
    let day = if db.postgres { format!("({at})::date") } else { format!("date({at})") };
    let cat = CATEGORIES
        .iter()
        .enumerate()
        .map(|(k, c)| format!("WHEN {k} THEN '{c}'"))
        .collect::<Vec<_>>()
        .join(" ");
    db.exec(&format!(
        "{} INSERT INTO complaints (id, municipality_code, tracking_hash, category, rule_code, status, priority, priority_rank, language, anonymity, channel,
            postcode, house_number, description, signals, has_signals, consent_to_contact, has_referral, case_building, awaiting_information,
            received_at, received_on, due_on, status_changed_at, updated_at)
         SELECT 'c-' || i, 'GM0599', 'h-' || i, CASE (i % 16) {cat} END, NULL,
            CASE (i % 4) WHEN 0 THEN 'received' WHEN 1 THEN 'triaged' WHEN 2 THEN 'investigating' ELSE 'closed_no_action' END,
            CASE (i % 20) WHEN 0 THEN 'urgent' WHEN 1 THEN 'high' WHEN 2 THEN 'low' ELSE 'normal' END,
            CASE (i % 20) WHEN 0 THEN 0 WHEN 1 THEN 1 WHEN 2 THEN 3 ELSE 2 END,
            'pl', 'anonymous_to_landlord', 'public', (3000 + i % 1000) || 'AB', 1 + i % 300, 'seeded complaint text', '[]', (i % 20 = 0),
            FALSE, FALSE, FALSE, FALSE, {at}, {day}, {day}, {at}, {at} FROM s;",
        series(from, to)
    ))
}
