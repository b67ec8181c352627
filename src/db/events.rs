//! Domain events (`events`): written by the unit of work in the transaction of the change
//! (`service::Tx::audit`), read as a keyset feed ([`feed`]) by portals and by the webhook
//! dispatcher, removed after the retention period ([`delete_before`]).
//!
//! The order of the feed is the order of commit. On SQLite one writer commits, so that is the
//! order of `id`. On PostgreSQL ids are taken before commit, so the feed returns only events of
//! transactions older than every transaction still running and orders them by (transaction id,
//! id); see the PostgreSQL migration `000141_events`.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::sql_types::Bool;

use super::schema::events;
use super::scope::Scope;
use super::DbConnection;
use crate::domain::events::{EventSpec, EventType, SubjectKind};
use crate::error::AppResult;

crate::text_columns!(EventType, SubjectKind);

/// One recorded event.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = events)]
pub struct EventRow {
    pub id: i64,
    pub event_type: EventType,
    pub occurred_at: NaiveDateTime,
    pub municipality_code: String,
    pub subject_kind: SubjectKind,
    pub subject_id: String,
    /// JSON object: ids and states only.
    pub data: String,
    pub tx_seq: i64,
}

impl EventRow {
    /// The resource the event is about, as a path of the API (`/v1/licence-applications/…`).
    pub fn subject(&self) -> String {
        self.subject_kind.path(&self.subject_id)
    }

    /// The event's data as JSON (an empty object if it cannot be read).
    pub fn data_json(&self) -> serde_json::Value {
        serde_json::from_str(&self.data).unwrap_or_else(|_| serde_json::json!({}))
    }
}

#[derive(Insertable)]
#[diesel(table_name = events)]
struct NewEvent {
    event_type: EventType,
    occurred_at: NaiveDateTime,
    municipality_code: String,
    subject_kind: SubjectKind,
    subject_id: String,
    data: String,
}

/// Records `spec` about `subject_id` in `municipality`, in the caller's transaction.
pub fn insert(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    municipality: &str,
    subject_id: &str,
    spec: &EventSpec,
) -> AppResult<()> {
    diesel::insert_into(events::table)
        .values(NewEvent {
            event_type: spec.event_type,
            occurred_at: now,
            municipality_code: municipality.to_string(),
            subject_kind: spec.subject_kind,
            subject_id: subject_id.to_string(),
            data: serde_json::Value::Object(spec.data.clone()).to_string(),
        })
        .execute(conn)?;
    Ok(())
}

/// What a feed read asks for.
#[derive(Debug, Clone, Default)]
pub struct FeedQuery {
    /// Events after this one (the last id the reader processed); `None` from the oldest kept.
    pub after: Option<i64>,
    /// Only these types (empty: every type).
    pub types: Vec<EventType>,
    /// At most this many.
    pub limit: i64,
}

/// Events of `scope`'s municipalities after `q.after`, in the order of commit.
pub fn feed(conn: &mut DbConnection, scope: &Scope, q: &FeedQuery) -> AppResult<Vec<EventRow>> {
    let postgres = matches!(conn, DbConnection::Postgresql(_));
    let mut query = crate::scoped!(events::table.into_boxed(), events::municipality_code, scope);
    if !q.types.is_empty() {
        query = query.filter(events::event_type.eq_any(q.types.clone()));
    }
    if postgres {
        // Only what every running transaction can no longer precede (see the module comment).
        query = query.filter(diesel::dsl::sql::<Bool>(
            "tx_seq < pg_snapshot_xmin(pg_current_snapshot())::text::bigint",
        ));
        if let Some(after) = q.after {
            let seq: Option<i64> =
                events::table.filter(events::id.eq(after)).select(events::tx_seq).first(conn).optional()?;
            query = match seq {
                Some(seq) => {
                    query.filter(events::tx_seq.gt(seq).or(events::tx_seq.eq(seq).and(events::id.gt(after))))
                }
                // The cursor's event has been removed by retention: everything newer.
                None => query.filter(events::id.gt(after)),
            };
        }
        Ok(query
            .order((events::tx_seq.asc(), events::id.asc()))
            .limit(q.limit)
            .select(EventRow::as_select())
            .load(conn)?)
    } else {
        if let Some(after) = q.after {
            query = query.filter(events::id.gt(after));
        }
        Ok(query.order(events::id.asc()).limit(q.limit).select(EventRow::as_select()).load(conn)?)
    }
}

/// One event by id, within `scope`.
pub fn find(conn: &mut DbConnection, scope: &Scope, id: i64) -> AppResult<Option<EventRow>> {
    let q = crate::scoped!(events::table.into_boxed(), events::municipality_code, scope);
    Ok(q.filter(events::id.eq(id)).select(EventRow::as_select()).first(conn).optional()?)
}

/// Removes events that occurred before `cutoff`, at most `batch` at a time (oldest first);
/// returns how many were removed. The newest event always stays: on SQLite an id is the largest
/// one plus one (no AUTOINCREMENT, see migration 000147), so keeping it means an id is never
/// given twice, even after a quiet month.
pub fn delete_before(conn: &mut DbConnection, cutoff: NaiveDateTime, batch: i64) -> AppResult<usize> {
    let newest: Option<i64> = events::table.select(diesel::dsl::max(events::id)).first(conn)?;
    let Some(newest) = newest else { return Ok(0) };
    let ids: Vec<i64> = events::table
        .filter(events::occurred_at.lt(cutoff))
        .filter(events::id.lt(newest))
        .order(events::id.asc())
        .select(events::id)
        .limit(batch)
        .load(conn)?;
    if ids.is_empty() {
        return Ok(0);
    }
    Ok(diesel::delete(events::table.filter(events::id.eq_any(ids))).execute(conn)?)
}
