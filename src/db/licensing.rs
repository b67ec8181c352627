//! Licence applications (with planned occupancy and documents), the confidential Bibob check,
//! and licences (with per-room limits). Child rows are written one by one.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::in_list::in_texts;
use super::properties::Viewer;
use super::schema::{
    application_documents, application_occupancy, bibob_checks, licence_applications, licence_room_limits,
    licences,
};
use super::DbConnection;
use crate::domain::licensing::{ApplicationState, BibobOutcome, BibobStatus};
use crate::domain::licensing_codes::{LicenceMeasureGround, LicenceState, OPEN_STATES};
use crate::domain::ruleset::LicenceKind;
use crate::error::{AppError, AppResult};

crate::text_columns!(
    ApplicationState,
    LicenceKind,
    BibobStatus,
    BibobOutcome,
    LicenceState,
    LicenceMeasureGround
);

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = licence_applications)]
#[diesel(treat_none_as_null = true)]
pub struct Application {
    pub id: String,
    pub municipality_code: String,
    pub landlord_id: String,
    pub property_id: String,
    pub kind: LicenceKind,
    pub state: ApplicationState,
    pub monthly_rent_cents: Option<i64>,
    pub submitted_on: Option<NaiveDate>,
    pub decision_clock: Option<String>,
    pub decision_due_on: Option<NaiveDate>,
    pub information_requested: Option<String>,
    pub information_respond_by: Option<NaiveDate>,
    pub extension_reason: Option<String>,
    pub bibob_pending: bool,
    /// The state the decision led to (`granted`, `granted_with_conditions`, `refused`,
    /// `not_considered`).
    pub decision_outcome: Option<ApplicationState>,
    pub decided_on: Option<NaiveDate>,
    pub refusal_grounds: Option<String>,
    pub motivation: Option<String>,
    pub objection_period_ends_on: Option<NaiveDate>,
    pub version: i32,
    /// Last day to make known the decision not to consider the application if the term to
    /// supply information lapses unused (Awb 4:5 lid 4); set with the request for information.
    pub not_considered_due_on: Option<NaiveDate>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = application_occupancy)]
pub struct OccupancyRow {
    pub application_id: String,
    pub room_label: String,
    pub persons: i32,
    pub partners: bool,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = bibob_checks)]
#[diesel(treat_none_as_null = true)]
pub struct BibobRow {
    pub application_id: String,
    pub municipality_code: String,
    pub status: BibobStatus,
    pub outcome: Option<BibobOutcome>,
    pub zienswijze_invited_on: Option<NaiveDate>,
    pub lbb_requested_on: Option<NaiveDate>,
    pub lbb_received_on: Option<NaiveDate>,
    pub lbb_extension_weeks: i32,
    pub findings: Option<String>,
    pub updated_at: NaiveDateTime,
    /// The day the LBB advice is due (Wet Bibob art. 15, with the Atw), once requested.
    pub lbb_advice_due_on: Option<NaiveDate>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = application_documents)]
pub struct Document {
    pub id: String,
    pub application_id: String,
    pub municipality_code: String,
    pub kind: String,
    pub filename: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub sha256: String,
    pub storage_key: String,
    pub uploaded_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = licences)]
#[diesel(treat_none_as_null = true)]
pub struct Licence {
    pub id: String,
    pub number: String,
    pub municipality_code: String,
    pub application_id: String,
    pub landlord_id: String,
    pub property_id: String,
    pub kind: LicenceKind,
    /// `active`, `suspended` or `revoked`; `expired` is derived from `valid_until`.
    pub state: LicenceState,
    pub valid_from: NaiveDate,
    pub valid_until: Option<NaiveDate>,
    pub max_occupants: i32,
    pub conditions: String,
    /// The ground of a suspension or revocation.
    pub state_grounds: Option<LicenceMeasureGround>,
    pub state_motivation: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// Recorded with a suspension or revocation: occupants who must leave.
    pub occupants_displaced: Option<i32>,
    pub replacement_housing_arranged: Option<bool>,
}

impl Licence {
    /// Active, and `on` lies within its validity.
    pub fn in_force_on(&self, on: chrono::NaiveDate) -> bool {
        self.state == LicenceState::Active
            && self.valid_from <= on
            && self.valid_until.is_none_or(|u| on <= u)
    }
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = licence_room_limits)]
pub struct LicenceRoomLimit {
    pub licence_id: String,
    pub room_label: String,
    pub max_occupants: i32,
}

macro_rules! visible {
    ($q:expr, $viewer:expr, $table:ident) => {{
        let q = $q;
        match $viewer {
            Viewer::Landlord(id) => q.filter($table::landlord_id.eq(id.clone())),
            Viewer::Staff(scope) => $crate::scoped!(q, $table::municipality_code, scope),
        }
    }};
}

// ----- applications ---------------------------------------------------------------------------

pub fn insert_application(conn: &mut DbConnection, a: &Application, occ: &[OccupancyRow]) -> AppResult<()> {
    diesel::insert_into(licence_applications::table).values(a.clone()).execute(conn)?;
    set_open_due(conn, a)?;
    replace_occupancy(conn, &a.id, occ)
}

impl Application {
    /// The first deadline of an undecided application, stored as `open_due_on` (the column the
    /// overdue list and the dashboard scan): its decision date, or, while it is incomplete, the
    /// earlier last day to make known the decision not to consider it (Awb 4:5 lid 4). `None`
    /// once decided or withdrawn.
    pub fn open_due(&self) -> Option<NaiveDate> {
        if !OPEN_STATES.contains(&self.state) {
            return None;
        }
        let not_considered =
            self.not_considered_due_on.filter(|_| self.state == ApplicationState::Incomplete);
        match (self.decision_due_on, not_considered) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }
}

/// Keeps `open_due_on` (see [`Application::open_due`]) in step with the row.
fn set_open_due(conn: &mut DbConnection, a: &Application) -> AppResult<()> {
    diesel::update(licence_applications::table.find(&a.id))
        .set(licence_applications::open_due_on.eq(a.open_due()))
        .execute(conn)?;
    Ok(())
}

/// Claims the application for this transaction: a conditional increment of `version` that takes
/// the row lock (PostgreSQL) and fails with 409 when another request changed the application
/// since it was read, so two concurrent state changes cannot both apply (e.g. two licences for
/// one decision). Updates `a.version` to match.
pub fn claim_application(conn: &mut DbConnection, a: &mut Application) -> AppResult<()> {
    let n = diesel::update(
        licence_applications::table
            .filter(licence_applications::id.eq(&a.id))
            .filter(licence_applications::version.eq(a.version)),
    )
    .set(licence_applications::version.eq(a.version + 1))
    .execute(conn)?;
    if n == 1 {
        a.version += 1;
        Ok(())
    } else {
        Err(AppError::conflict("the application was changed at the same time; reload and try again"))
    }
}

pub fn update_application(conn: &mut DbConnection, a: &Application) -> AppResult<()> {
    diesel::update(licence_applications::table.find(&a.id)).set(a.clone()).execute(conn)?;
    set_open_due(conn, a)
}

pub fn replace_occupancy(
    conn: &mut DbConnection,
    application_id: &str,
    occ: &[OccupancyRow],
) -> AppResult<()> {
    diesel::delete(
        application_occupancy::table.filter(application_occupancy::application_id.eq(application_id)),
    )
    .execute(conn)?;
    for o in occ {
        diesel::insert_into(application_occupancy::table).values(o.clone()).execute(conn)?;
    }
    Ok(())
}

pub fn occupancy(conn: &mut DbConnection, application_id: &str) -> AppResult<Vec<OccupancyRow>> {
    Ok(application_occupancy::table
        .filter(application_occupancy::application_id.eq(application_id))
        .order(application_occupancy::room_label.asc())
        .select(OccupancyRow::as_select())
        .load(conn)?)
}

pub fn occupancy_of(conn: &mut DbConnection, ids: &[String]) -> AppResult<Vec<OccupancyRow>> {
    if ids.is_empty() {
        return Ok(vec![]);
    }
    Ok(application_occupancy::table
        .filter(in_texts(application_occupancy::application_id, ids))
        .order((application_occupancy::application_id.asc(), application_occupancy::room_label.asc()))
        .select(OccupancyRow::as_select())
        .load(conn)?)
}

/// The application if it exists and the viewer may see it.
pub fn find_application(
    conn: &mut DbConnection,
    id: &str,
    viewer: &Viewer,
) -> AppResult<Option<Application>> {
    let q = licence_applications::table
        .filter(licence_applications::id.eq(id.to_string()))
        .select(Application::as_select())
        .into_boxed();
    Ok(visible!(q, viewer, licence_applications).first(conn).optional()?)
}

#[derive(Debug, Clone, Default)]
pub struct ApplicationFilter {
    pub state: Option<ApplicationState>,
    pub property_id: Option<String>,
    /// `decision_due_on < due_before`.
    pub due_before: Option<NaiveDate>,
    /// Undecided and a deadline before `overdue_on` (today): `open_due_on < overdue_on`, see
    /// [`Application::open_due`].
    pub overdue_on: Option<NaiveDate>,
    pub after_id: Option<String>,
    pub limit: i64,
}

pub fn list_applications(
    conn: &mut DbConnection,
    viewer: &Viewer,
    f: &ApplicationFilter,
) -> AppResult<Vec<Application>> {
    let mut q = visible!(
        licence_applications::table.select(Application::as_select()).into_boxed(),
        viewer,
        licence_applications
    );
    if let Some(s) = &f.state {
        q = q.filter(licence_applications::state.eq(*s));
    }
    if let Some(p) = &f.property_id {
        q = q.filter(licence_applications::property_id.eq(p.clone()));
    }
    if let Some(d) = f.due_before {
        q = q.filter(licence_applications::decision_due_on.lt(d));
    }
    if let Some(today) = f.overdue_on {
        // Most overdue first, on the `open_due_on` index; the cursor is `due-date|id`.
        q = q.filter(licence_applications::open_due_on.lt(today));
        if let Some((due, id)) = f.after_id.as_deref().and_then(|c| c.split_once('|')) {
            let due = NaiveDate::parse_from_str(due, "%Y-%m-%d")
                .map_err(|_| AppError::field("#/query/cursor", "is not a valid cursor"))?;
            q = q.filter(licence_applications::open_due_on.gt(due).or(
                licence_applications::open_due_on.eq(due).and(licence_applications::id.gt(id.to_string())),
            ));
        }
        return Ok(q
            .order((licence_applications::open_due_on.asc(), licence_applications::id.asc()))
            .limit(f.limit)
            .load(conn)?);
    }
    if let Some(a) = &f.after_id {
        q = q.filter(licence_applications::id.gt(a.clone()));
    }
    Ok(q.order(licence_applications::id.asc()).limit(f.limit).load(conn)?)
}

// ----- Bibob ----------------------------------------------------------------------------------

pub fn find_bibob(conn: &mut DbConnection, application_id: &str) -> AppResult<Option<BibobRow>> {
    Ok(bibob_checks::table.find(application_id).select(BibobRow::as_select()).first(conn).optional()?)
}

/// Insert or update (no `ON CONFLICT` through the MultiConnection: look first).
pub fn save_bibob(conn: &mut DbConnection, row: &BibobRow) -> AppResult<()> {
    let exists: bool = diesel::select(diesel::dsl::exists(bibob_checks::table.find(&row.application_id)))
        .get_result(conn)?;
    if exists {
        diesel::update(bibob_checks::table.find(&row.application_id)).set(row.clone()).execute(conn)?;
    } else {
        diesel::insert_into(bibob_checks::table).values(row.clone()).execute(conn)?;
    }
    Ok(())
}

/// A page of a municipality's Bibob checks that await the LBB advice (requested, not yet
/// received), by due day then id, on the `bibob_checks_lbb_due` index; with `overdue_on`, only
/// those due before that day. The cursor is `due-date|id`. Checks of decided or withdrawn
/// applications are left out.
pub fn checks_awaiting_advice(
    conn: &mut DbConnection,
    scope: &super::scope::Scope,
    overdue_on: Option<NaiveDate>,
    after: Option<&str>,
    limit: i64,
) -> AppResult<Vec<BibobRow>> {
    let mut q = crate::scoped!(
        bibob_checks::table
            .filter(bibob_checks::lbb_advice_due_on.is_not_null())
            .filter(bibob_checks::lbb_received_on.is_null())
            .filter(bibob_checks::status.eq(BibobStatus::LbbAdviceRequested))
            .select(BibobRow::as_select())
            .into_boxed(),
        bibob_checks::municipality_code,
        scope
    );
    if let Some(today) = overdue_on {
        q = q.filter(bibob_checks::lbb_advice_due_on.lt(today));
    }
    if let Some(cursor) = after {
        let (due, id) = cursor
            .split_once('|')
            .ok_or_else(|| AppError::field("#/query/cursor", "is not a valid cursor"))?;
        let due = NaiveDate::parse_from_str(due, "%Y-%m-%d")
            .map_err(|_| AppError::field("#/query/cursor", "is not a valid cursor"))?;
        q = q.filter(bibob_checks::lbb_advice_due_on.gt(due).or(
            bibob_checks::lbb_advice_due_on.eq(due).and(bibob_checks::application_id.gt(id.to_string())),
        ));
    }
    let open = licence_applications::table
        .filter(licence_applications::open_due_on.is_not_null())
        .select(licence_applications::id);
    Ok(q.filter(bibob_checks::application_id.eq_any(open))
        .order((bibob_checks::lbb_advice_due_on.asc(), bibob_checks::application_id.asc()))
        .limit(limit)
        .load(conn)?)
}

// ----- documents ------------------------------------------------------------------------------

pub fn insert_document(conn: &mut DbConnection, d: &Document) -> AppResult<()> {
    diesel::insert_into(application_documents::table).values(d.clone()).execute(conn)?;
    Ok(())
}

pub fn documents(conn: &mut DbConnection, application_id: &str) -> AppResult<Vec<Document>> {
    Ok(application_documents::table
        .filter(application_documents::application_id.eq(application_id))
        .order((application_documents::uploaded_at.asc(), application_documents::id.asc()))
        .select(Document::as_select())
        .load(conn)?)
}

pub fn find_document(conn: &mut DbConnection, application_id: &str, id: &str) -> AppResult<Option<Document>> {
    Ok(application_documents::table
        .filter(application_documents::id.eq(id))
        .filter(application_documents::application_id.eq(application_id))
        .select(Document::as_select())
        .first(conn)
        .optional()?)
}

// ----- licences -------------------------------------------------------------------------------

pub fn insert_licence(conn: &mut DbConnection, l: &Licence, limits: &[LicenceRoomLimit]) -> AppResult<()> {
    diesel::insert_into(licences::table).values(l.clone()).execute(conn)?;
    for r in limits {
        diesel::insert_into(licence_room_limits::table).values(r.clone()).execute(conn)?;
    }
    Ok(())
}

/// Updates a licence only if its stored state is still `from` (409 otherwise: another request
/// changed it concurrently).
pub fn update_licence(conn: &mut DbConnection, l: &Licence, from: LicenceState) -> AppResult<()> {
    let n = diesel::update(licences::table.filter(licences::id.eq(&l.id)).filter(licences::state.eq(from)))
        .set(l.clone())
        .execute(conn)?;
    if n == 1 {
        Ok(())
    } else {
        Err(AppError::conflict("the licence was changed at the same time; reload and try again"))
    }
}

pub fn find_licence(conn: &mut DbConnection, id: &str, viewer: &Viewer) -> AppResult<Option<Licence>> {
    let q = licences::table.filter(licences::id.eq(id.to_string())).select(Licence::as_select()).into_boxed();
    Ok(visible!(q, viewer, licences).first(conn).optional()?)
}

pub fn licence_of_application(conn: &mut DbConnection, application_id: &str) -> AppResult<Option<Licence>> {
    Ok(licences::table
        .filter(licences::application_id.eq(application_id))
        .select(Licence::as_select())
        .first(conn)
        .optional()?)
}

pub fn room_limits(conn: &mut DbConnection, licence_id: &str) -> AppResult<Vec<LicenceRoomLimit>> {
    Ok(licence_room_limits::table
        .filter(licence_room_limits::licence_id.eq(licence_id))
        .order(licence_room_limits::room_label.asc())
        .select(LicenceRoomLimit::as_select())
        .load(conn)?)
}

/// Licences of the given properties, newest validity first (the enforcement look-ups).
pub fn licences_of_properties(conn: &mut DbConnection, property_ids: &[String]) -> AppResult<Vec<Licence>> {
    if property_ids.is_empty() {
        return Ok(vec![]);
    }
    Ok(licences::table
        .filter(in_texts(licences::property_id, property_ids))
        .order((licences::valid_from.desc(), licences::id.asc()))
        .select(Licence::as_select())
        .load(conn)?)
}

/// Next licence number of a municipality in a year: `{code}-{year}-{n:06}`. Runs inside the
/// write transaction that inserts the licence (the unique index refuses a duplicate).
pub fn next_licence_number(conn: &mut DbConnection, municipality: &str, year: i32) -> AppResult<String> {
    let prefix = format!("{municipality}-{year}-");
    // PostgreSQL runs decisions concurrently: serialise numbering per municipality and year for
    // the rest of this transaction (SQLite writers are serialised already).
    if let DbConnection::Postgresql(pg) = conn {
        use sha2::{Digest, Sha256};
        let digest = Sha256::digest(prefix.as_bytes());
        let mut key = [0u8; 8];
        key.copy_from_slice(&digest[..8]);
        diesel::sql_query("SELECT pg_advisory_xact_lock($1)")
            .bind::<diesel::sql_types::BigInt, _>(i64::from_be_bytes(key))
            .execute(pg)?;
    }
    // The highest number so far, as a range scan on the unique index of `number` (a LIKE prefix
    // cannot use that index on either database); the LIKE keeps the match exact.
    let last: Option<String> = licences::table
        .filter(licences::number.gt(prefix.clone()))
        .filter(licences::number.lt(format!("{prefix}9999999")))
        .filter(licences::number.like(format!("{prefix}%")))
        .select(diesel::dsl::max(licences::number))
        .first(conn)?;
    let n = last.and_then(|l| l.strip_prefix(&prefix).and_then(|d| d.parse::<i64>().ok())).unwrap_or(0);
    Ok(format!("{prefix}{:06}", n + 1))
}

/// `(application_id, licence_id)` for the given applications (lists without N+1).
pub fn licences_of_applications(conn: &mut DbConnection, ids: &[String]) -> AppResult<Vec<(String, String)>> {
    if ids.is_empty() {
        return Ok(vec![]);
    }
    Ok(licences::table
        .filter(in_texts(licences::application_id, ids))
        .select((licences::application_id, licences::id))
        .load(conn)?)
}

#[derive(Debug, Clone, Default)]
pub struct LicenceFilter {
    pub property_id: Option<String>,
    pub landlord_id: Option<String>,
    pub after_id: Option<String>,
    pub limit: i64,
}

/// A page of visible licences ordered by id (keyset pagination).
pub fn list_licences(conn: &mut DbConnection, viewer: &Viewer, f: &LicenceFilter) -> AppResult<Vec<Licence>> {
    let mut q = visible!(licences::table.select(Licence::as_select()).into_boxed(), viewer, licences);
    if let Some(p) = &f.property_id {
        q = q.filter(licences::property_id.eq(p.clone()));
    }
    if let Some(l) = &f.landlord_id {
        q = q.filter(licences::landlord_id.eq(l.clone()));
    }
    if let Some(a) = &f.after_id {
        q = q.filter(licences::id.gt(a.clone()));
    }
    Ok(q.order(licences::id.asc()).limit(f.limit).load(conn)?)
}

/// Per-room limits of several licences in one query.
pub fn room_limits_of(conn: &mut DbConnection, ids: &[String]) -> AppResult<Vec<LicenceRoomLimit>> {
    if ids.is_empty() {
        return Ok(vec![]);
    }
    Ok(licence_room_limits::table
        .filter(in_texts(licence_room_limits::licence_id, ids))
        .order((licence_room_limits::licence_id.asc(), licence_room_limits::room_label.asc()))
        .select(LicenceRoomLimit::as_select())
        .load(conn)?)
}
