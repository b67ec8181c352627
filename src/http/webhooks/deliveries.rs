//! `GET /v1/webhook-subscriptions/{id}/deliveries` (the delivery log: each delivery with its
//! attempts) and `POST …/deliveries/{delivery_id}/redeliver`.

use actix_web::{get, post, web, HttpResponse};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::db::webhooks::deliveries::Attempt;
use crate::domain::code::Code;
use crate::domain::events::EventType;
use crate::domain::webhooks::DeliveryState;
use crate::error::AppError;
use crate::http::auth::{Auth, WebhookManagers};
use crate::http::common::{page, page_limit};
use crate::http::problem::{ReadProblems, UpdateProblems};
use crate::http::webhooks::viewer;
use crate::http::AppState;
use crate::service::webhooks::deliveries::{self, ListDeliveries, LoggedDelivery};
use crate::service::{self};

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct DeliveryListQuery {
    /// Only deliveries in this state.
    #[param(value_type = Option<DeliveryState>)]
    pub state: Option<String>,
    /// Opaque cursor from `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Page size, 1–200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<i64>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct WebhookAttemptResponse {
    pub attempted_at: DateTime<Utc>,
    /// The receiver's HTTP status; absent when there was no answer (timeout, refused address, …).
    pub status_code: Option<i32>,
    pub latency_ms: i32,
    /// Why the attempt failed.
    pub error: Option<String>,
}

impl From<Attempt> for WebhookAttemptResponse {
    fn from(a: Attempt) -> Self {
        WebhookAttemptResponse {
            attempted_at: a.attempted_at.and_utc(),
            status_code: a.status_code,
            latency_ms: a.latency_ms,
            error: a.error,
        }
    }
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct WebhookDeliveryResponse {
    /// Also the `webhook-id` header of every attempt.
    pub id: String,
    /// The event's id (as in the feed).
    pub event_id: String,
    pub event_type: EventType,
    /// The resource the event is about.
    pub subject: String,
    pub state: DeliveryState,
    pub attempts: i32,
    /// When the next attempt is due (pending deliveries).
    pub next_attempt_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub delivered_at: Option<DateTime<Utc>>,
    /// Every attempt, oldest first.
    pub attempt_log: Vec<WebhookAttemptResponse>,
}

impl From<LoggedDelivery> for WebhookDeliveryResponse {
    fn from(l: LoggedDelivery) -> Self {
        let d = l.delivery;
        WebhookDeliveryResponse {
            id: d.id,
            event_id: d.event_id.to_string(),
            event_type: d.event_type,
            subject: d.subject,
            state: d.state,
            attempts: d.attempts,
            next_attempt_at: (d.state == DeliveryState::Pending).then(|| d.next_attempt_at.and_utc()),
            created_at: d.created_at.and_utc(),
            delivered_at: d.delivered_at.map(|t| t.and_utc()),
            attempt_log: l.attempts.into_iter().map(WebhookAttemptResponse::from).collect(),
        }
    }
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct WebhookDeliveryListResponse {
    pub items: Vec<WebhookDeliveryResponse>,
    /// Pass as `cursor` for the next page; absent on the last page.
    pub next_cursor: Option<String>,
}

/// The delivery log of a subscription, newest first: each delivery with its attempts (time,
/// status code, latency, error).
#[utoipa::path(
    tag = "webhooks",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Subscription id"), DeliveryListQuery),
    responses(
        (status = 200, body = WebhookDeliveryListResponse),
        UpdateProblems
    )
)]
#[get("/v1/webhook-subscriptions/{id}/deliveries")]
pub async fn list_webhook_deliveries(
    state: web::Data<AppState>,
    auth: Auth<WebhookManagers>,
    id: web::Path<String>,
    query: web::Query<DeliveryListQuery>,
) -> Result<HttpResponse, AppError> {
    let q = query.into_inner();
    let limit = page_limit(q.limit, 50)?;
    let state_filter = match q.state.as_deref() {
        None => None,
        Some(s) => Some(DeliveryState::from_code(s.trim()).ok_or_else(|| {
            AppError::field("#/query/state", "must be one of pending, delivered, dead_letter")
        })?),
    };
    let before = match q.cursor.as_deref() {
        None => None,
        Some(c) => {
            Some(c.parse::<i64>().map_err(|_| AppError::field("#/query/cursor", "is not a valid cursor"))?)
        }
    };
    let cmd =
        ListDeliveries { subscription_id: id.into_inner(), state: state_filter, before, limit: limit + 1 };
    let who = viewer(&auth);
    let mut rows =
        service::read(&state.db, auth.ctx(&state.clock), move |tx| deliveries::list(tx, &who, cmd)).await?;
    let next_cursor = page(&mut rows, limit, |l| l.delivery.seq.to_string());
    let items = rows.into_iter().map(WebhookDeliveryResponse::from).collect();
    Ok(HttpResponse::Ok().json(WebhookDeliveryListResponse { items, next_cursor }))
}

/// Replays one delivery, whatever its state: pending again, due now, a fresh retry schedule (same
/// `webhook-id`). Audited.
#[utoipa::path(
    tag = "webhooks",
    security(("bearer" = [])),
    params(
        ("id" = String, Path, description = "Subscription id"),
        ("delivery_id" = String, Path, description = "Delivery id"),
    ),
    responses(
        (status = 200, body = WebhookDeliveryResponse),
        ReadProblems
    )
)]
#[post("/v1/webhook-subscriptions/{id}/deliveries/{delivery_id}/redeliver")]
pub async fn redeliver_webhook_delivery(
    state: web::Data<AppState>,
    auth: Auth<WebhookManagers>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let (id, delivery_id) = path.into_inner();
    let who = viewer(&auth);
    let logged = service::write(&state.db, auth.ctx(&state.clock), move |tx| {
        deliveries::redeliver(tx, &who, &id, &delivery_id)
    })
    .await?;
    Ok(HttpResponse::Ok().json(WebhookDeliveryResponse::from(logged)))
}
