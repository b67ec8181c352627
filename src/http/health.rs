//! Liveness and readiness.

use actix_web::http::header;
use actix_web::{get, web, HttpResponse};
use serde::Serialize;
use utoipa::ToSchema;

use crate::error::AppError;
use crate::http::AppState;

#[derive(Serialize, ToSchema)]
pub struct HealthResponse {
    /// `ok`
    pub status: &'static str,
}

/// Liveness: the process is up.
#[utoipa::path(tag = "health", responses((status = 200, body = HealthResponse)))]
#[get("/health")]
pub async fn health() -> HttpResponse {
    HttpResponse::Ok().json(HealthResponse { status: "ok" })
}

/// Readiness: the database answers and all migrations are applied, and the instance is not
/// shutting down (while it drains, 503 with the detail "draining").
#[utoipa::path(
    tag = "health",
    responses(
        (status = 200, body = HealthResponse),
        (status = 503, description = "Draining before shutdown, database unreachable or migrations pending", body = crate::http::problem::Problem, content_type = "application/problem+json")
    )
)]
#[get("/ready")]
pub async fn ready(
    state: web::Data<AppState>,
    draining: Option<web::Data<crate::shutdown::Draining>>,
) -> Result<HttpResponse, AppError> {
    if draining.is_some_and(|d| d.is_draining()) {
        return Ok(draining_response());
    }
    state.db.ready().await?;
    Ok(HttpResponse::Ok().json(HealthResponse { status: "ok" }))
}

/// 503 `/problems/unavailable` with the detail "draining" and `Retry-After`: the instance is
/// shutting down and still serves requests, but a load balancer should send new ones elsewhere.
fn draining_response() -> HttpResponse {
    let mut problem = AppError::Unavailable("draining".into()).to_problem();
    problem.detail = "draining: this instance is shutting down".into();
    HttpResponse::ServiceUnavailable()
        .insert_header((header::CONTENT_TYPE, "application/problem+json"))
        .insert_header((header::RETRY_AFTER, crate::error::UNAVAILABLE_RETRY_AFTER_SECS.to_string()))
        .body(serde_json::to_string(&problem).unwrap_or_else(|_| "{}".into()))
}
