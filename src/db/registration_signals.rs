//! Registration signals for burgerzaken (migration 000137): rows, the queue and the one signal of
//! an inspection. Queries over municipal rows take the caller's [`Scope`].

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::schema::registration_signals;
use super::scope::Scope;
use super::DbConnection;
use crate::domain::registration::{RegistrationOutcome, RegistrationStatus, SignalState};
use crate::error::{AppError, AppResult};

crate::text_columns!(RegistrationStatus, RegistrationOutcome);

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = registration_signals, treat_none_as_null = true)]
pub struct RegistrationSignal {
    pub id: String,
    pub municipality_code: String,
    pub inspection_id: String,
    /// Compact (`3011AB`).
    pub postcode: String,
    pub house_number: i32,
    pub house_number_addition: Option<String>,
    pub address_key: String,
    pub persons: i32,
    pub found_on: NaiveDate,
    pub status: RegistrationStatus,
    pub outcome: Option<RegistrationOutcome>,
    pub investigation_started_on: Option<NaiveDate>,
    pub concluded_on: Option<NaiveDate>,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl RegistrationSignal {
    /// What the lifecycle decides on.
    pub fn state(&self) -> SignalState {
        SignalState {
            status: self.status,
            found_on: self.found_on,
            investigation_started_on: self.investigation_started_on,
            outcome: self.outcome,
            concluded_on: self.concluded_on,
        }
    }
}

pub fn insert(c: &mut DbConnection, s: &RegistrationSignal) -> AppResult<()> {
    diesel::insert_into(registration_signals::table).values(s).execute(c)?;
    Ok(())
}

/// Saves a changed signal if nobody changed it since it was read (`version` one lower than
/// `s.version`); 409 otherwise.
pub fn save(c: &mut DbConnection, s: &RegistrationSignal) -> AppResult<()> {
    let n = diesel::update(
        registration_signals::table
            .filter(registration_signals::id.eq(&s.id))
            .filter(registration_signals::version.eq(s.version - 1)),
    )
    .set(s)
    .execute(c)?;
    if n != 1 {
        return Err(AppError::conflict("the registration signal was changed meanwhile; read it again"));
    }
    Ok(())
}

pub fn find(c: &mut DbConnection, scope: &Scope, id: &str) -> AppResult<Option<RegistrationSignal>> {
    let q = registration_signals::table
        .filter(registration_signals::id.eq(id))
        .select(RegistrationSignal::as_select())
        .into_boxed();
    let q = crate::scoped!(q, registration_signals::municipality_code, scope);
    Ok(q.first(c).optional()?)
}

/// The signal of an inspection (at most one: unique index), whatever the caller's scope: the
/// inspection was found in scope already.
pub fn of_inspection(c: &mut DbConnection, inspection_id: &str) -> AppResult<Option<RegistrationSignal>> {
    Ok(registration_signals::table
        .filter(registration_signals::inspection_id.eq(inspection_id))
        .select(RegistrationSignal::as_select())
        .first(c)
        .optional()?)
}

/// Position of the last row of a page: (found_on, id).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueCursor {
    pub found_on: NaiveDate,
    pub id: String,
}

#[derive(Debug, Clone, Default)]
pub struct QueueFilter {
    pub status: Option<RegistrationStatus>,
    pub after: Option<QueueCursor>,
    pub limit: i64,
}

/// The queue: oldest first (found_on, then id), keyset-paginated; on the index
/// `registration_signals_queue (municipality_code, status, found_on)`.
pub fn list(c: &mut DbConnection, scope: &Scope, f: &QueueFilter) -> AppResult<Vec<RegistrationSignal>> {
    let q = registration_signals::table.select(RegistrationSignal::as_select()).into_boxed();
    let mut q = crate::scoped!(q, registration_signals::municipality_code, scope);
    if let Some(s) = f.status {
        q = q.filter(registration_signals::status.eq(s));
    }
    if let Some(after) = &f.after {
        q = q.filter(
            registration_signals::found_on.gt(after.found_on).or(registration_signals::found_on
                .eq(after.found_on)
                .and(registration_signals::id.gt(after.id.clone()))),
        );
    }
    Ok(q.order((registration_signals::found_on.asc(), registration_signals::id.asc()))
        .limit(f.limit)
        .load(c)?)
}
