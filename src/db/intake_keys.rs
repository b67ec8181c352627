//! Idempotency-Keys of the public complaint intake (`complaint_intake_keys`): a salted hash of
//! the key, the request's keyed fingerprint and the tracking code sealed under the key.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::complaint_intake_keys;
use super::DbConnection;
use crate::error::AppResult;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = complaint_intake_keys)]
pub struct IntakeKey {
    pub key_hash: String,
    pub complaint_id: String,
    pub fingerprint: String,
    pub seal_salt: String,
    pub sealed_code: String,
    pub created_at: NaiveDateTime,
}

/// The key's row if it was recorded at or after `since` (older rows are expired).
pub fn find(conn: &mut DbConnection, key_hash: &str, since: NaiveDateTime) -> AppResult<Option<IntakeKey>> {
    Ok(complaint_intake_keys::table
        .find(key_hash)
        .filter(complaint_intake_keys::created_at.ge(since))
        .select(IntakeKey::as_select())
        .first(conn)
        .optional()?)
}

/// Records a key; a unique violation means a concurrent request with the same key came first.
pub fn insert(conn: &mut DbConnection, row: &IntakeKey) -> QueryResult<usize> {
    diesel::insert_into(complaint_intake_keys::table).values(row).execute(conn)
}

/// Ties a recorded key to the complaint filed with it.
pub fn set_complaint(conn: &mut DbConnection, key_hash: &str, complaint_id: &str) -> AppResult<()> {
    diesel::update(complaint_intake_keys::table.find(key_hash))
        .set(complaint_intake_keys::complaint_id.eq(complaint_id))
        .execute(conn)?;
    Ok(())
}

/// Forgets keys recorded before `before`.
pub fn delete_expired(conn: &mut DbConnection, before: NaiveDateTime) -> AppResult<usize> {
    Ok(diesel::delete(complaint_intake_keys::table.filter(complaint_intake_keys::created_at.lt(before)))
        .execute(conn)?)
}

/// Forgets the key of an erased complaint (its sealed tracking code would otherwise outlive the
/// complaint's personal data).
pub fn delete_for_complaint(conn: &mut DbConnection, complaint_id: &str) -> AppResult<usize> {
    Ok(diesel::delete(
        complaint_intake_keys::table.filter(complaint_intake_keys::complaint_id.eq(complaint_id)),
    )
    .execute(conn)?)
}
