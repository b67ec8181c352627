//! Domain events as portals receive them: the keyset feed (`GET /v1/events`) and the CloudEvents
//! 1.0 envelope that both the feed and webhook deliveries use. Events are recorded by the unit
//! of work ([`crate::service::Tx::audit`]), never here.

use chrono::{NaiveDateTime, TimeZone, Utc};
use serde::Serialize;

use crate::db::events::{self as store, EventRow, FeedQuery};
use crate::domain::events::EventType;
use crate::error::AppResult;
use crate::service::Tx;

/// The CloudEvents specification version of every envelope.
pub const SPEC_VERSION: &str = "1.0";

/// One event in a CloudEvents 1.0 envelope (JSON format): what the feed lists and what a webhook
/// delivery carries as its body.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Envelope {
    pub specversion: &'static str,
    /// The event's id: unique, increasing in the order of `id` (a decimal number as text).
    pub id: String,
    /// The installation (`HUURTOEZICHT_PUBLIC_URL`); `source` + `subject` is the resource's URL.
    pub source: String,
    #[serde(rename = "type")]
    pub event_type: EventType,
    /// The resource's path (`/v1/licence-applications/{id}`).
    pub subject: String,
    /// When the change happened: the moment of its request (RFC 3339, UTC).
    pub time: String,
    pub datacontenttype: &'static str,
    /// CBS code of the municipality (a CloudEvents extension attribute).
    pub municipality: String,
    /// Ids and states only.
    pub data: serde_json::Value,
}

impl Envelope {
    pub fn of(row: &EventRow, source: &str) -> Self {
        Envelope {
            specversion: SPEC_VERSION,
            id: row.id.to_string(),
            source: source.to_string(),
            event_type: row.event_type,
            subject: row.subject(),
            time: rfc3339(row.occurred_at),
            datacontenttype: "application/json",
            municipality: row.municipality_code.clone(),
            data: row.data_json(),
        }
    }
}

/// A UTC time as RFC 3339 with a `Z`.
pub fn rfc3339(t: NaiveDateTime) -> String {
    Utc.from_utc_datetime(&t).to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// A page of the feed: the events and the cursor to ask for the next page with.
#[derive(Debug, Clone)]
pub struct FeedPage {
    pub events: Vec<EventRow>,
    /// The id to pass as `after` next time (the last event's, or the given `after` when the page
    /// is empty).
    pub next_after: Option<i64>,
}

/// Events of the caller's municipalities after `q.after`, in the order of commit.
pub fn feed(tx: &mut Tx, q: &FeedQuery) -> AppResult<FeedPage> {
    let events = store::feed(tx.conn, &tx.scope, q)?;
    let next_after = events.last().map(|e| e.id).or(q.after);
    Ok(FeedPage { events, next_after })
}

/// How many events one purge transaction removes at most.
pub const PURGE_BATCH: i64 = 1000;

/// Removes up to [`PURGE_BATCH`] events that occurred before `cutoff` (the retention job);
/// returns how many.
pub fn purge(tx: &mut Tx, cutoff: NaiveDateTime) -> AppResult<usize> {
    store::delete_before(tx.conn, cutoff, PURGE_BATCH)
}
