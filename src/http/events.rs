//! `GET /v1/events`: the keyset feed of domain events, so that a portal that was down can catch
//! up. Each item is the CloudEvents 1.0 envelope a webhook delivery carries
//! (`service::events::Envelope`).

use actix_web::{get, web, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::db::events::FeedQuery;
use crate::domain::events::EventType;
use crate::error::{AppError, FieldError};
use crate::http::auth::{Auth, EventReaders};
use crate::http::problem::CreateProblems;
use crate::http::AppState;
use crate::service::{self, events};

crate::code_schemas!(
    EventType => "What happened: `<subject>.<what>`, for applications, licences, complaints (status only),\ninspections, violations, sanctions and objections. See docs/events.md for the list.",
);

/// Default and largest page of the feed.
const DEFAULT_LIMIT: i64 = 100;
const MAX_LIMIT: i64 = 500;

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct EventsQuery {
    /// Events after this one: the `id` of the last event you processed (or `next_after` of the
    /// previous page). Without it, from the oldest event kept.
    #[param(example = "1042")]
    pub after: Option<String>,
    /// Only events of these types, comma-separated (`licence.suspended,licence.revoked`).
    pub types: Option<String>,
    /// Page size, 1–500 (default 100).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
}

/// One event: a CloudEvents 1.0 envelope (JSON format).
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct EventResponse {
    /// Always `1.0`.
    #[schema(example = "1.0")]
    pub specversion: String,
    /// Unique; pass the last one you processed as `after`.
    #[schema(example = "1042")]
    pub id: String,
    /// This installation (`HUURTOEZICHT_PUBLIC_URL`); `source` + `subject` is the resource's URL.
    #[schema(example = "https://huurtoezicht.gemeente.example")]
    pub source: String,
    #[serde(rename = "type")]
    pub event_type: EventType,
    /// The resource's path.
    #[schema(example = "/v1/licence-applications/0b9d6c1e-8f0e-4c43-9a47-51b1c2d7e6aa")]
    pub subject: String,
    /// When the change happened (RFC 3339, UTC).
    #[schema(example = "2026-11-27T10:15:00.000Z")]
    pub time: String,
    /// Always `application/json`.
    pub datacontenttype: String,
    /// CBS code of the municipality (extension attribute).
    #[schema(example = "0363")]
    pub municipality: String,
    /// Ids and states only: `id`, `state`/`status`, `previous_state`/`previous_status`, ids of
    /// related resources. Never names, texts, Bibob content or reporters' data.
    #[schema(value_type = Object, example = json!({"id": "0b9d6c1e-8f0e-4c43-9a47-51b1c2d7e6aa",
        "state": "submitted", "previous_state": "draft"}))]
    pub data: serde_json::Value,
}

impl From<events::Envelope> for EventResponse {
    fn from(e: events::Envelope) -> Self {
        EventResponse {
            specversion: e.specversion.to_string(),
            id: e.id,
            source: e.source,
            event_type: e.event_type,
            subject: e.subject,
            time: e.time,
            datacontenttype: e.datacontenttype.to_string(),
            municipality: e.municipality,
            data: e.data,
        }
    }
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct EventsPage {
    /// In the order of commit: an event that appears later never sorts before one already listed.
    pub items: Vec<EventResponse>,
    /// Pass as `after` for the next page (also when this page is empty: ask again later).
    pub next_after: Option<String>,
}

/// The event feed of the caller's municipalities, oldest first, a page at a time: read with
/// `after` = the last id you processed until a page comes back empty, then poll (or subscribe to
/// webhooks). Events are kept for `HUURTOEZICHT_EVENT_RETENTION_DAYS` (30 by default). Staff and
/// API clients with the scope `events:read`.
#[utoipa::path(
    tag = "events",
    security(("bearer" = [])),
    params(EventsQuery),
    responses(
        (status = 200, body = EventsPage),
        CreateProblems
    )
)]
#[get("/v1/events")]
pub async fn list_events(
    state: web::Data<AppState>,
    auth: Auth<EventReaders>,
    query: web::Query<EventsQuery>,
) -> Result<HttpResponse, AppError> {
    let q = parse(query.into_inner())?;
    let source = state.config.access.public_url.clone();
    let page = service::read(&state.db, auth.ctx(&state.clock), move |tx| events::feed(tx, &q)).await?;
    let items = page.events.iter().map(|e| EventResponse::from(events::Envelope::of(e, &source))).collect();
    Ok(HttpResponse::Ok().json(EventsPage { items, next_after: page.next_after.map(|a| a.to_string()) }))
}

fn parse(q: EventsQuery) -> Result<FeedQuery, AppError> {
    let mut errs = Vec::new();
    let after = match q.after.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(a) => match a.parse::<i64>() {
            Ok(n) if n >= 0 => Some(n),
            _ => {
                errs.push(FieldError::new(
                    "#/query/after",
                    "must be the id of an event (a whole number, 0 or more)",
                ));
                None
            }
        },
    };
    let mut types = Vec::new();
    for t in q.types.as_deref().unwrap_or_default().split(',').map(str::trim).filter(|t| !t.is_empty()) {
        match EventType::parse(t) {
            Some(t) => types.push(t),
            None => errs.push(FieldError::new(
                "#/query/types",
                format!("unknown event type '{t}' (see the EventType schema)"),
            )),
        }
    }
    let limit = q.limit.unwrap_or(DEFAULT_LIMIT);
    if !(1..=MAX_LIMIT).contains(&limit) {
        errs.push(FieldError::new("#/query/limit", format!("must be between 1 and {MAX_LIMIT}")));
    }
    if !errs.is_empty() {
        return Err(AppError::Validation(errs));
    }
    Ok(FeedQuery { after, types, limit })
}
