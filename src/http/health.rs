//! Liveness and readiness.

use actix_web::{get, web, HttpResponse};
use serde::Serialize;
use utoipa::ToSchema;

use crate::error::AppError;
use crate::http::auth::anonymous_ctx;
use crate::http::AppState;
use crate::service::{self, outbox};

#[derive(Serialize, ToSchema)]
pub struct HealthResponse {
    /// `ok`
    #[schema(value_type = crate::http::schema::HealthStatus)]
    pub status: &'static str,
}

/// Readiness with what an operator watches.
#[derive(Serialize, ToSchema)]
pub struct ReadyResponse {
    /// `ok`
    #[schema(value_type = crate::http::schema::HealthStatus)]
    pub status: &'static str,
    pub outbox: OutboxHealth,
}

/// The outbox at a glance. Failed mail does not make the service unready (a dead mail relay must
/// not take the API out of the load balancer): watch `failed` and `oldest_pending_seconds`.
#[derive(Serialize, ToSchema)]
pub struct OutboxHealth {
    /// Messages waiting to be sent, including those waiting for a retry.
    pub pending: i64,
    /// Messages given up after the retry horizon; listed by `GET /v1/outbox?status=failed`.
    pub failed: i64,
    /// Age in seconds of the oldest pending message (0 when none is pending).
    pub oldest_pending_seconds: i64,
}

impl From<outbox::OutboxSummary> for OutboxHealth {
    fn from(s: outbox::OutboxSummary) -> Self {
        OutboxHealth {
            pending: s.pending,
            failed: s.failed,
            oldest_pending_seconds: s.oldest_pending_seconds,
        }
    }
}

/// Liveness: the process is up.
#[utoipa::path(tag = "health", responses((status = 200, body = HealthResponse)))]
#[get("/health")]
pub async fn health() -> HttpResponse {
    HttpResponse::Ok().json(HealthResponse { status: "ok" })
}

/// Readiness: the database answers and all migrations are applied, and the instance is not
/// shutting down (while it drains, 503 with the detail "draining"). The body adds the outbox
/// counts; failed mail does not make the service unready.
#[utoipa::path(
    tag = "health",
    responses(
        (status = 200, body = ReadyResponse),
        (status = 503, description = "Draining before shutdown, database unreachable or migrations pending", body = crate::http::problem::Problem, content_type = "application/problem+json")
    )
)]
#[get("/ready")]
pub async fn ready(
    state: web::Data<AppState>,
    draining: Option<web::Data<crate::shutdown::Draining>>,
) -> Result<HttpResponse, AppError> {
    if draining.is_some_and(|d| d.is_draining()) {
        return Err(AppError::Draining);
    }
    state.db.ready().await?;
    let summary = service::read(&state.db, anonymous_ctx(&state.clock), outbox::summary).await?;
    Ok(HttpResponse::Ok().json(ReadyResponse { status: "ok", outbox: summary.into() }))
}
