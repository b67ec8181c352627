//! The reporter's side: following a report with its tracking code, and adding a message. No
//! token; wrong codes are counted per connection and blocked after too many (429).

use std::net::IpAddr;

use actix_web::{get, post, web, HttpRequest, HttpResponse};
use serde::Deserialize;
use utoipa::ToSchema;
use validator::Validate;

use super::{no_store, TrackedComplaintResponse};
use crate::error::{AppError, AppResult};
use crate::http::auth::anonymous_ctx;
use crate::http::extract::ValidJson;
use crate::http::problem::{NotFoundProblem, Problem, ValidationProblem};
use crate::http::throttle::TrackCodeThrottle;
use crate::http::AppState;
use crate::service::complaints::reporter_message::{reporter_message, ReporterMessage};
use crate::service::complaints::track;
use crate::service::{self, Tx};

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReporterMessageRequest {
    #[validate(length(min = 1, max = 5000))]
    #[schema(min_length = 1, max_length = 5000)]
    pub text: String,
}

/// Looks a report up by its code with `find`. Wrong codes: 404 and a failure counted for the
/// source; too many failures: 429.
pub(crate) async fn by_code<T, F>(
    state: &AppState,
    limiter: &TrackCodeThrottle,
    peer: Option<IpAddr>,
    find: F,
) -> Result<T, AppError>
where
    F: FnOnce(&mut Tx<'_>) -> AppResult<Option<T>> + Send + 'static,
    T: Send + 'static,
{
    limiter.0.check(&TrackCodeThrottle::peer_key(peer))?;
    match service::read(&state.db, anonymous_ctx(&state.clock), find).await? {
        Some(x) => Ok(x),
        None => {
            limiter.0.record_failure(&TrackCodeThrottle::peer_key(peer));
            Err(AppError::NotFound("no report with this code".into()))
        }
    }
}

/// Follow a report with its tracking code (case-insensitive; spaces and dashes ignored). Shows
/// status, dates and the municipality's messages to the reporter — no officer names, no other
/// reports, no internal notes. No token needed.
#[utoipa::path(
    tag = "complaints",
    params(("code" = String, Path, description = "The tracking code from the 201 response")),
    responses(
        (status = 200, body = TrackedComplaintResponse),
        (status = 404, description = "Unknown code", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many wrong codes from this connection", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/v1/complaints/track/{code}")]
pub async fn track_complaint(
    state: web::Data<AppState>,
    limiter: web::Data<TrackCodeThrottle>,
    req: HttpRequest,
    code: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let peer = crate::http::throttle::RateLimits::source_of(&req);
    let code = code.into_inner();
    let tracked = by_code(&state, &limiter, peer, move |tx| track::track(tx, &code)).await?;
    Ok(HttpResponse::Ok()
        .insert_header(no_store())
        .json(TrackedComplaintResponse::of(&state.config.complaints.catalogue, tracked)))
}

/// The reporter adds information or answers a question, with the tracking code. No token.
#[utoipa::path(
    tag = "complaints",
    params(("code" = String, Path, description = "The tracking code")),
    request_body = ReporterMessageRequest,
    responses(
        (status = 201, body = TrackedComplaintResponse),
        NotFoundProblem,
        (status = 409, description = "The report's data were deleted; file a new report", body = Problem, content_type = "application/problem+json"),
        ValidationProblem,
        (status = 429, body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/v1/complaints/track/{code}/messages")]
pub async fn add_reporter_message(
    state: web::Data<AppState>,
    limiter: web::Data<TrackCodeThrottle>,
    req: HttpRequest,
    code: web::Path<String>,
    body: ValidJson<ReporterMessageRequest>,
) -> Result<HttpResponse, AppError> {
    let peer = crate::http::throttle::RateLimits::source_of(&req);
    let code = code.into_inner();
    let (own, _) = by_code(&state, &limiter, peer, move |tx| track::find_by_code(tx, &code)).await?;
    let cmd = ReporterMessage { complaint_id: own.id, text: body.0.text };
    let tracked =
        service::write(&state.db, anonymous_ctx(&state.clock), move |tx| reporter_message(tx, cmd)).await?;
    Ok(HttpResponse::Created()
        .insert_header(no_store())
        .json(TrackedComplaintResponse::of(&state.config.complaints.catalogue, tracked)))
}
