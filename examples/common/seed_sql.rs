//! Bulk seeding SQL shared by the in-process benchmark (`examples/bench.rs`) and the load test
//! (`examples/loadtest/`): one statement per table over a recursive row series `s(i)`, so that
//! a million rows take seconds on SQLite and PostgreSQL alike. Only text is built here; each
//! caller runs it on its own connection.

/// The SQL dialect of the database being seeded.
#[derive(Clone, Copy, Debug)]
pub struct Dialect {
    pub postgres: bool,
}

impl Dialect {
    /// A timestamp literal.
    pub fn ts(self, literal: &str) -> String {
        if self.postgres {
            format!("TIMESTAMP '{literal}'")
        } else {
            format!("'{literal}'")
        }
    }

    /// A DATE expression `days_expr` days before 2025-11-01 (type DATE on both backends).
    pub fn date_minus_days(self, days_expr: &str) -> String {
        if self.postgres {
            format!("(DATE '2025-11-01' - ({days_expr})::int)")
        } else {
            format!("date('2025-11-01', '-' || ({days_expr}) || ' days')")
        }
    }

    /// A timestamp expression `minutes_expr` minutes before 2026-11-01.
    pub fn ts_minus_minutes(self, minutes_expr: &str) -> String {
        if self.postgres {
            format!("(TIMESTAMP '2026-11-01 00:00:00' - ({minutes_expr}) * INTERVAL '1 minute')")
        } else {
            format!("datetime('2026-11-01 00:00:00', '-' || ({minutes_expr}) || ' minutes')")
        }
    }
}

/// Rows `from..to` of a series `s(i)` (at least one row).
pub fn series(from: u64, to: u64) -> String {
    format!(
        "WITH RECURSIVE s(i) AS (SELECT {from} UNION ALL SELECT i + 1 FROM s WHERE i < {})",
        to.max(from + 1) - 1
    )
}

/// The landlord who owns every seeded property, and where the properties lie (SQL expressions
/// of the row number `i`).
pub struct Landlord<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub email: &'a str,
    pub postcode_expr: &'a str,
    pub house_expr: &'a str,
}

/// One landlord and, per row of `series`, one property with one room and one application
/// (`i % 4`: draft, submitted, in review, granted) with its occupancy, and a licence for every
/// granted one.
pub fn licensing(d: Dialect, series: &str, landlord: &Landlord) -> String {
    let ts = d.ts("2025-06-01 10:00:00");
    let submitted = d.date_minus_days("i % 200");
    let due = d.date_minus_days("i % 200 - 56");
    let clock =
        r#"{"submitted_on":"2025-06-01","term_weeks":8,"suspensions":[],"extension":null,"apply_atw":true}"#;
    let Landlord { id, name, email, postcode_expr: postcode, house_expr: house } = landlord;
    let s = series;
    format!(
        "INSERT INTO landlords (id, kind, name, kvk_number, contact_email, created_at) VALUES ('{id}', 'legal_entity', '{name}', '87654321', '{email}', {ts});
         {s} INSERT INTO properties (id, municipality_code, landlord_id, postcode, house_number, house_number_addition, kind, usable_floor_area_dm2, toilets, showers, kitchens, cooking_points, washbasins, washing_machines, building_permit_missing, created_at, updated_at)
            SELECT 'prop-' || i, 'GM0599', '{id}', {postcode}, {house}, '', 'rooms_let_separately', 6000, 1, 1, 1, 4, 1, 1, FALSE, {ts}, {ts} FROM s;
         {s} INSERT INTO property_rooms (id, property_id, position, label, area_dm2, sleeping_room) SELECT 'room-' || i, 'prop-' || i, 0, 'kamer 1', 1200, TRUE FROM s;
         {s} INSERT INTO licence_applications (id, municipality_code, landlord_id, property_id, kind, state, monthly_rent_cents, submitted_on, decision_clock, decision_due_on, open_due_on, bibob_pending, decision_outcome, decided_on, version, created_at, updated_at)
            SELECT 'app-' || i, 'GM0599', '{id}', 'prop-' || i, 'general',
              CASE i % 4 WHEN 0 THEN 'draft' WHEN 1 THEN 'submitted' WHEN 2 THEN 'in_review' ELSE 'granted' END, 75000,
              CASE WHEN i % 4 = 0 THEN NULL ELSE {submitted} END,
              CASE WHEN i % 4 = 0 THEN NULL ELSE '{clock}' END,
              CASE WHEN i % 4 = 0 THEN NULL ELSE {due} END,
              CASE WHEN i % 4 IN (1, 2) THEN {due} ELSE NULL END,
              FALSE, CASE WHEN i % 4 = 3 THEN 'granted' ELSE NULL END, CASE WHEN i % 4 = 3 THEN {submitted} ELSE NULL END, 0, {ts}, {ts} FROM s;
         {s} INSERT INTO application_occupancy (application_id, room_label, persons, partners) SELECT 'app-' || i, 'kamer 1', 1, FALSE FROM s;
         {s} INSERT INTO licences (id, number, municipality_code, application_id, landlord_id, property_id, kind, state, valid_from, max_occupants, conditions, created_at, updated_at)
            SELECT 'lic-' || i, 'GM0599-2025-' || i, 'GM0599', 'app-' || i, '{id}', 'prop-' || i, 'general', 'active', {submitted}, 5, '[]', {ts}, {ts} FROM s WHERE i % 4 = 3;",
    )
}

/// The complaint categories of the shipped data file, in a fixed order.
pub const CATEGORIES: [&str; 16] = [
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

/// One complaint per row of `series` (`c-{i}`), over 1,000 postcodes, 16 categories,
/// 4 priorities and 4 statuses, one a minute back from 2026-11-01. The closed ones (every
/// fourth) have their outcome `i % 60` days after receipt; every twentieth carries two
/// exploitation signals.
pub fn complaints(d: Dialect, series: &str) -> String {
    let at = d.ts_minus_minutes("i");
    let day = if d.postgres { format!("({at})::date") } else { format!("date({at})") };
    let outcome = if d.postgres {
        format!("CASE WHEN i % 4 = 3 THEN {day} + (i % 60)::int ELSE NULL END")
    } else {
        format!("CASE WHEN i % 4 = 3 THEN date({at}, '+' || (i % 60) || ' days') ELSE NULL END")
    };
    let cat = CATEGORIES
        .iter()
        .enumerate()
        .map(|(k, c)| format!("WHEN {k} THEN '{c}'"))
        .collect::<Vec<_>>()
        .join(" ");
    format!(
        "{series} INSERT INTO complaints (id, municipality_code, tracking_hash, category, rule_code, status, priority, priority_rank, language, anonymity, channel,
            postcode, house_number, description, signals, has_signals, consent_to_contact, has_referral, case_building, awaiting_information,
            received_at, received_on, due_on, status_changed_at, outcome_on, updated_at)
         SELECT 'c-' || i, 'GM0599', 'h-' || i, CASE (i % 16) {cat} END, NULL,
            CASE (i % 4) WHEN 0 THEN 'received' WHEN 1 THEN 'triaged' WHEN 2 THEN 'investigating' ELSE 'closed_no_action' END,
            CASE (i % 20) WHEN 0 THEN 'urgent' WHEN 1 THEN 'high' WHEN 2 THEN 'low' ELSE 'normal' END,
            CASE (i % 20) WHEN 0 THEN 0 WHEN 1 THEN 1 WHEN 2 THEN 3 ELSE 2 END,
            'pl', 'anonymous_to_landlord', 'public', (3000 + i % 1000) || 'AB', 1 + i % 300, 'seeded complaint text',
            CASE WHEN i % 20 = 0 THEN 'documents_withheld underpaid' ELSE '' END, (i % 20 = 0),
            FALSE, FALSE, FALSE, FALSE, {at}, {day}, {day}, {at}, {outcome}, {at} FROM s;"
    )
}
