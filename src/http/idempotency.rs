//! The `Idempotency-Key` header of the create routes of authenticated callers
//! (docs/idempotency.md): [`KeyedJson`] reads the key and the JSON body and fingerprints the
//! request; the handler runs its use case through `service::idempotency::idempotent` inside its
//! `service::write` closure, maps the result to its DTO there ([`created`]), and answers with
//! [`respond`] (the original status and body, plus `Idempotent-Replayed: true` on a replay).

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::http::StatusCode;
use actix_web::{web, FromRequest, HttpRequest, HttpResponse};
use serde::de::DeserializeOwned;
use serde::Serialize;
use validator::Validate;

use crate::error::{AppError, AppResult};
use crate::http::extract::{read_valid_json, BodyHead, JsonLimit};
use crate::http::AppState;
use crate::service::idempotency::{fingerprint, Answer, Key, Keyed, Outcome, HEADER_POINTER};

/// The `Idempotency-Key` request header as the spec declares it on every keyed create route.
#[derive(utoipa::IntoParams)]
#[into_params(names("Idempotency-Key"), parameter_in = Header)]
pub struct IdempotencyKeyHeader(
    /// Optional. A unique key per request (a UUID fits): 8–128 characters of A–Z, a–z, 0–9,
    /// '-', '_', ':' and '.', optionally in double quotes. A retry with the same key and the same
    /// request within the key period (24 hours by default) answers with the original status and
    /// body and `Idempotent-Replayed: true`, and creates nothing; the same key with another request
    /// is a 422 naming `#/header/Idempotency-Key`; while the first request is still being
    /// processed a 409. Keys are per caller.
    #[param(min_length = 8, max_length = 130, pattern = r#"^"?[A-Za-z0-9_:.\-]{8,128}"?$"#)]
    #[allow(dead_code)]
    Option<String>,
);

/// The header a replayed answer carries.
pub const REPLAYED: &str = "Idempotent-Replayed";

/// The caller's `Idempotency-Key`, if sent; a malformed one is a 422 naming the header.
pub fn key_of(req: &HttpRequest) -> Result<Option<Key>, AppError> {
    let Some(value) = req.headers().get("idempotency-key") else { return Ok(None) };
    let parsed = value.to_str().map_err(|_| "must be visible ASCII".to_string()).and_then(Key::parse);
    parsed.map(Some).map_err(|reason| AppError::field(HEADER_POINTER, reason))
}

/// The route a key is bound to: method and path template (`POST /v1/properties`).
fn route_of(req: &HttpRequest) -> String {
    let template = req.match_pattern().unwrap_or_else(|| req.path().to_string());
    format!("{} {}", req.method(), template)
}

/// The keyed request: `None` without the header. `parts` are what makes two requests the same
/// (the body, or the path and the uploaded file's hash); the route's concrete path is always one.
pub fn keyed(req: &HttpRequest, key: Option<Key>, parts: &[&[u8]]) -> Option<Keyed> {
    let key = key?;
    let ttl = req
        .app_data::<web::Data<AppState>>()
        .map(|s| s.config.server.idempotency_key_window())
        .unwrap_or_else(|| chrono::Duration::hours(24));
    let path = req.path().to_string();
    let mut all: Vec<&[u8]> = vec![path.as_bytes()];
    all.extend_from_slice(parts);
    Some(Keyed { key, route: route_of(req), fingerprint: fingerprint(&all), ttl })
}

/// A JSON body, deserialised and validated like `ValidJson`, with the request's
/// `Idempotency-Key` (checked) and fingerprint (path and raw body).
pub struct KeyedJson<T> {
    pub body: T,
    pub idempotency: Option<Keyed>,
}

impl<T> FromRequest for KeyedJson<T>
where
    T: DeserializeOwned + Validate + 'static,
{
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, AppError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let limit = req.app_data::<JsonLimit>().map(|l| l.0).unwrap_or(256 * 1024);
        let head = BodyHead::of(req);
        let payload = payload.take();
        let req = req.clone();
        Box::pin(async move {
            let key = key_of(&req)?;
            let (body, raw) = read_valid_json::<T>(head, payload, limit).await?;
            let idempotency = keyed(&req, key, &[&raw]);
            Ok(KeyedJson { body, idempotency })
        })
    }
}

/// The answer `201 Created` with `dto` as JSON (made inside the unit of work, so that it can be
/// stored with the key).
pub fn created<T: Serialize>(dto: &T) -> AppResult<Answer> {
    let body = serde_json::to_string(dto).map_err(|e| AppError::internal(anyhow::Error::new(e)))?;
    Ok(Answer { status: StatusCode::CREATED.as_u16(), body })
}

/// The HTTP answer of an outcome: its status and JSON body; a replay says so in a header.
pub fn respond(outcome: Outcome) -> HttpResponse {
    let status = StatusCode::from_u16(outcome.answer.status).unwrap_or(StatusCode::OK);
    let mut res = HttpResponse::build(status);
    res.content_type("application/json");
    if outcome.replayed {
        res.insert_header((REPLAYED, "true"));
    }
    res.body(outcome.answer.body)
}
