//! Idempotency-Keys of authenticated callers (`idempotency_keys`): per caller and hashed key,
//! the route and request fingerprint it was first used with and the answer given then.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::idempotency_keys;
use super::DbConnection;
use crate::error::AppResult;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = idempotency_keys)]
pub struct IdempotencyKey {
    pub actor_kind: String,
    pub actor_id: String,
    pub key_hash: String,
    pub route: String,
    pub fingerprint: String,
    pub response_status: i32,
    pub response_body: String,
    pub created_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
}

/// The caller's row of a key, if it has not expired at `now`.
pub fn find(
    conn: &mut DbConnection,
    actor_kind: &str,
    actor_id: &str,
    key_hash: &str,
    now: NaiveDateTime,
) -> AppResult<Option<IdempotencyKey>> {
    Ok(idempotency_keys::table
        .find((actor_kind, actor_id, key_hash))
        .filter(idempotency_keys::expires_at.gt(now))
        .select(IdempotencyKey::as_select())
        .first(conn)
        .optional()?)
}

/// Records a key; a unique violation means the caller used the key before (or a concurrent
/// request with it came first).
pub fn insert(conn: &mut DbConnection, row: &IdempotencyKey) -> QueryResult<usize> {
    diesel::insert_into(idempotency_keys::table).values(row).execute(conn)
}

/// Stores the answer given to the request the key was recorded for.
pub fn set_response(
    conn: &mut DbConnection,
    (actor_kind, actor_id, key_hash): (&str, &str, &str),
    status: i32,
    body: &str,
) -> AppResult<()> {
    diesel::update(idempotency_keys::table.find((actor_kind, actor_id, key_hash)))
        .set((idempotency_keys::response_status.eq(status), idempotency_keys::response_body.eq(body)))
        .execute(conn)?;
    Ok(())
}

/// Forgets the caller's key if it expired at `now` (so that the key may be used again).
pub fn delete_expired_one(
    conn: &mut DbConnection,
    (actor_kind, actor_id, key_hash): (&str, &str, &str),
    now: NaiveDateTime,
) -> AppResult<usize> {
    Ok(diesel::delete(
        idempotency_keys::table
            .find((actor_kind, actor_id, key_hash))
            .filter(idempotency_keys::expires_at.le(now)),
    )
    .execute(conn)?)
}

/// Forgets every key that expired at `now`; returns how many.
pub fn delete_expired(conn: &mut DbConnection, now: NaiveDateTime) -> AppResult<usize> {
    Ok(diesel::delete(idempotency_keys::table.filter(idempotency_keys::expires_at.le(now))).execute(conn)?)
}
