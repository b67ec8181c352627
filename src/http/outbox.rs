//! `GET /v1/outbox` and `POST /v1/outbox/{id}/requeue`: the administrator's view of outgoing
//! mail. Recipients are masked and bodies are never shown: enough to see what is stuck and why,
//! no more personal data than that.

use actix_web::{get, post, web, HttpResponse};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::db::outbox::{OutboxEntry, OutboxStatus};
use crate::domain::code::Code;
use crate::domain::redact::{mask_address, redact_address};
use crate::error::AppError;
use crate::http::auth::{AdminOnly, Auth};
use crate::http::common::{page, page_limit};
use crate::http::problem::{CreateProblems, StepProblems};
use crate::http::AppState;
use crate::service::{self, outbox};

crate::code_schemas!(
    OutboxStatus => "Where an outgoing message stands: `pending` (waiting, also between retries), `sent`, or\n`failed` (not delivered within the retry horizon; can be requeued).",
);

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct OutboxQuery {
    /// Only messages in this state.
    #[param(value_type = Option<OutboxStatus>)]
    pub status: Option<String>,
    /// Opaque cursor from `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Page size, 1–200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<i64>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct OutboxMessageResponse {
    pub id: String,
    /// The recipient, masked: first letter and domain (`j***@example.nl`).
    #[schema(example = "j***@example.nl")]
    pub recipient: String,
    pub subject: String,
    pub status: OutboxStatus,
    /// Delivery attempts so far (kept on a requeue).
    pub attempts: i32,
    /// Why the last attempt failed (recipient masked).
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
    /// When the next attempt is due (for a pending message).
    pub next_attempt_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
    /// When an administrator last requeued it.
    pub requeued_at: Option<DateTime<Utc>>,
}

impl From<OutboxEntry> for OutboxMessageResponse {
    fn from(m: OutboxEntry) -> Self {
        OutboxMessageResponse {
            id: m.id,
            last_error: m.last_error.map(|e| redact_address(&e, &m.recipient)),
            recipient: mask_address(&m.recipient),
            subject: m.subject,
            status: m.status,
            attempts: m.attempts,
            created_at: m.created_at.and_utc(),
            next_attempt_at: m.next_attempt_at.and_utc(),
            sent_at: m.sent_at.map(|t| t.and_utc()),
            requeued_at: m.requeued_at.map(|t| t.and_utc()),
        }
    }
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct OutboxListResponse {
    pub items: Vec<OutboxMessageResponse>,
    /// Pass as `cursor` for the next page; absent on the last page.
    pub next_cursor: Option<String>,
}

/// Outgoing mail, newest first (admin only): find messages that failed and why.
#[utoipa::path(
    tag = "outbox",
    security(("bearer" = [])),
    params(OutboxQuery),
    responses(
        (status = 200, body = OutboxListResponse),
        CreateProblems
    )
)]
#[get("/v1/outbox")]
pub async fn list_outbox(
    state: web::Data<AppState>,
    auth: Auth<AdminOnly>,
    query: web::Query<OutboxQuery>,
) -> Result<HttpResponse, AppError> {
    let q = query.into_inner();
    let limit = page_limit(q.limit, 50)?;
    let status = match q.status.as_deref() {
        None => None,
        Some(s) => Some(
            OutboxStatus::from_code(s.trim())
                .ok_or_else(|| AppError::field("#/query/status", "must be one of pending, sent, failed"))?,
        ),
    };
    let cmd = outbox::ListOutbox { status, after: q.cursor, limit: limit + 1 };
    let mut rows = service::read(&state.db, auth.ctx(&state.clock), move |tx| outbox::list(tx, cmd)).await?;
    let next_cursor = page(&mut rows, limit, |r| r.id.clone());
    let items = rows.into_iter().map(OutboxMessageResponse::from).collect();
    Ok(HttpResponse::Ok().json(OutboxListResponse { items, next_cursor }))
}

/// Puts a failed message back in the queue (admin only): due at once, attempts kept, retried for
/// a new retry horizon from now. Audited. 409 for a message that has not failed.
#[utoipa::path(
    tag = "outbox",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Outbox message id")),
    responses(
        (status = 200, body = OutboxMessageResponse),
        StepProblems
    )
)]
#[post("/v1/outbox/{id}/requeue")]
pub async fn requeue_outbox_message(
    state: web::Data<AppState>,
    auth: Auth<AdminOnly>,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let message =
        service::write(&state.db, auth.ctx(&state.clock), move |tx| outbox::requeue(tx, &id)).await?;
    Ok(HttpResponse::Ok().json(OutboxMessageResponse::from(message)))
}
