//! `POST /v1/complaints`: a report from a resident (no token) or a portal (client token and an
//! Idempotency-Key). Attachments are checked by content and stripped of metadata on the
//! blocking pool, then stored as files before the unit of work writes the complaint; a report
//! without attachments skips the blocking pool.

use actix_web::http::header;
use actix_web::{post, web, HttpRequest, HttpResponse};
use base64::Engine;
use serde::Deserialize;
use sha2::{Digest, Sha256};
use utoipa::ToSchema;
use validator::Validate;

use super::report::{check_report_off_thread, file_report, intake_command, Limits, RawFile};
use super::{no_store, ComplaintCreatedResponse};
use crate::domain::complaints::{Anonymity, ExploitationSignal};
use crate::domain::roles::{ClientScope, Role};
use crate::error::{AppError, FieldError};
use crate::http::auth::{anonymous_ctx, caller_from_request, Caller};
use crate::http::common::AddressDto;
use crate::http::extract::{read_valid_json, BodyHead};
use crate::http::problem::{AuthProblems, Problem, ValidationProblem};
use crate::http::AppState;
use crate::service;
use crate::service::complaints::idempotency::{self, Keyed, PublicKey, Replayed};
use crate::service::complaints::intake::{self, Portal, TrackingCode};

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ContactInput {
    #[validate(length(max = 200))]
    #[schema(max_length = 200)]
    pub name: Option<String>,
    pub email: Option<String>,
    #[validate(length(max = 40))]
    #[schema(max_length = 40)]
    pub phone: Option<String>,
    /// Must be `true`: contact details are stored only with explicit consent to be contacted.
    pub consent_to_contact: bool,
}

/// One attachment, base64-encoded in the JSON body. The type is taken from the content; a file
/// name or declared type that contradicts it is refused.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AttachmentInput {
    #[validate(length(max = 255))]
    #[schema(max_length = 255)]
    pub file_name: Option<String>,
    /// Declared media type (optional; checked against the content).
    #[validate(length(max = 100))]
    #[schema(max_length = 100)]
    pub media_type: Option<String>,
    /// The file, standard base64.
    pub content_base64: String,
}

/// A report to the meldpunt.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateComplaintRequest {
    /// A code from `GET /v1/complaint-categories`.
    #[schema(example = "intimidation")]
    pub category: String,
    /// The reporter's language for texts and emails: nl, en, pl, ro, bg or uk.
    #[schema(value_type = crate::http::schema::ComplaintLanguage, example = "pl")]
    pub language: String,
    /// What happened (1–5000 characters).
    #[validate(length(min = 1, max = 5000))]
    #[schema(min_length = 1, max_length = 5000)]
    pub description: String,
    /// The address concerned; or give `location_description`.
    #[validate(nested)]
    pub address: Option<AddressDto>,
    #[validate(length(max = 500))]
    #[schema(max_length = 500)]
    pub location_description: Option<String>,
    #[serde(default)]
    #[validate(length(max = 18))]
    #[schema(max_items = 18)]
    pub exploitation_signals: Vec<ExploitationSignal>,
    #[serde(default)]
    pub anonymity: Anonymity,
    #[validate(nested)]
    pub contact: Option<ContactInput>,
    #[serde(default)]
    #[validate(nested)]
    pub attachments: Vec<AttachmentInput>,
}

/// The caller of the intake route: nobody (public) or a portal with `complaints:write`.
fn intake_caller(req: &HttpRequest) -> Result<Option<Caller>, AppError> {
    if req.headers().get(header::AUTHORIZATION).is_none() {
        return Ok(None);
    }
    let caller = caller_from_request(req)?;
    if caller.role != Role::ApiClient {
        return Err(AppError::Forbidden(
            "only portals (API clients) submit with a token; residents submit without one".into(),
        ));
    }
    caller.require_scope(ClientScope::ComplaintsWrite)?;
    Ok(Some(caller))
}

/// The Idempotency-Key a portal must send.
fn idempotency_key(req: &HttpRequest) -> Result<String, AppError> {
    req.headers()
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|k| !k.is_empty() && k.len() <= 200 && k.bytes().all(|b| b.is_ascii_graphic()))
        .map(str::to_string)
        .ok_or_else(|| {
            AppError::field(
                "#/header/Idempotency-Key",
                "portals must send an Idempotency-Key of 1–200 visible ASCII characters",
            )
        })
}

/// The optional Idempotency-Key of a resident's report (IETF draft httpapi-idempotency-key-header).
fn public_key(req: &HttpRequest, installation: &str) -> Result<Option<PublicKey>, AppError> {
    let Some(value) = req.headers().get("idempotency-key") else { return Ok(None) };
    let parsed = value
        .to_str()
        .map_err(|_| "must be visible ASCII".to_string())
        .and_then(|v| PublicKey::parse(v, installation));
    parsed.map(Some).map_err(|reason| AppError::field("#/header/Idempotency-Key", reason))
}

/// The answer to a resident's retry: the complaint filed earlier and its tracking code.
fn replayed_public(r: Replayed) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header(no_store())
        .json(ComplaintCreatedResponse::replay_of(&r.complaint, r.tracking_code))
}

/// The answer to a retried portal submission: the original complaint.
fn replayed(existing: crate::db::complaints::Complaint, fingerprint: &str) -> Result<HttpResponse, AppError> {
    let c = intake::replay(existing, fingerprint)?;
    Ok(HttpResponse::Ok().json(ComplaintCreatedResponse::of(&c, None)))
}

/// File a report. No token needed (anonymous reporting is possible); portals send their client
/// token and an `Idempotency-Key` header, and a retry with the same key never creates a second
/// complaint. A resident may send an `Idempotency-Key` too: a retry with the same key and body
/// within the retention window (24 hours by default) answers 200 with the same complaint and
/// tracking code; the same key with another body answers 409. Attachments (JPEG, PNG, PDF) are base64 in the JSON body; their type is checked
/// by content and image metadata (EXIF, GPS, text chunks) is removed before storage.
#[utoipa::path(
    tag = "complaints",
    security((), ("bearer" = [])),
    request_body = CreateComplaintRequest,
    params(("Idempotency-Key" = Option<String>, Header, min_length = 1, max_length = 200, description = "Required for portals (API clients: a 422 naming `#/header/Idempotency-Key` without it); optional for residents. OpenAPI cannot make a header required for one caller only, so it is declared optional. A unique key per report; a retry with the same key and the same body files nothing new. Portals: 1–200 visible ASCII characters. Residents: 8–128 characters of A–Z, a–z, 0–9, '-', '_', ':' and '.' (a UUID fits), optionally in double quotes; remembered for 24 hours (configurable), and a retry answers with the same tracking code")),
    responses(
        (status = 201, body = ComplaintCreatedResponse),
        (status = 200, description = "Idempotent replay: the same Idempotency-Key and body as an earlier report; nothing new was filed (a resident gets the same tracking code again)", body = ComplaintCreatedResponse),
        AuthProblems,
        (status = 409, description = "Idempotency-Key reused with another request", body = Problem, content_type = "application/problem+json"),
        (status = 413, body = Problem, content_type = "application/problem+json"),
        ValidationProblem,
        (status = 429, description = "Too many reports from this address (residents, without a token); `Retry-After` says how long to wait", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/v1/complaints")]
pub async fn create_complaint(
    state: web::Data<AppState>,
    req: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, AppError> {
    crate::http::throttle::RateLimits::check_anonymous(&req, crate::http::throttle::Limited::Intake)?;
    crate::http::auth::refuse_stale_token(&req).await?;
    let caller = intake_caller(&req)?;
    let settings = &state.config.complaints;
    let idempotency_key = match &caller {
        None => None,
        Some(_) => Some(idempotency_key(&req)?),
    };
    let public_key = match &caller {
        None => public_key(&req, state.config.municipality_code.as_str())?,
        Some(_) => None,
    };
    let retention = state.config.server.idempotency_window();
    let (body, raw): (CreateComplaintRequest, web::BytesMut) =
        read_valid_json(BodyHead::of(&req), payload.into_inner(), settings.max_body_bytes()).await?;
    let fingerprint = hex::encode(Sha256::digest(&raw));
    let public = public_key.map(|k| {
        let f = k.fingerprint(&raw);
        (k, f)
    });
    drop(raw);
    let ctx = |caller: &Option<Caller>| match caller {
        Some(c) => c.ctx(&state.clock),
        None => anonymous_ctx(&state.clock),
    };

    // A resident's retry answers with the earlier complaint and its tracking code.
    if let Some((key, f)) = &public {
        let (key, f) = (key.clone(), f.clone());
        let earlier = service::read(&state.db, ctx(&caller), move |tx| {
            idempotency::find_earlier(tx, &key, &f, retention)
        })
        .await?;
        if let Some(r) = earlier {
            return Ok(replayed_public(r));
        }
    }

    // A retry of a portal submission answers with the original complaint.
    if let (Some(c), Some(key)) = (&caller, &idempotency_key) {
        let (cid, key2) = (c.id.clone(), key.clone());
        let existing =
            service::read(&state.db, ctx(&caller), move |tx| intake::find_submitted(tx, &cid, &key2)).await?;
        if let Some(existing) = existing {
            return replayed(existing, &fingerprint);
        }
    }

    // Base64 is this route's own format; every other rule is the meldpunt's (`report`).
    let mut errs = Vec::new();
    let mut files = Vec::new();
    for (i, a) in body.attachments.iter().enumerate() {
        match base64::engine::general_purpose::STANDARD.decode(a.content_base64.trim()) {
            Ok(bytes) => files.push(RawFile {
                index: i,
                bytes,
                file_name: a.file_name.clone(),
                declared: a.media_type.clone(),
            }),
            Err(_) => {
                errs.push(FieldError::new(format!("/attachments/{i}/content_base64"), "is not valid base64"))
            }
        }
    }
    let (body, checked) = check_report_off_thread(Limits::of(settings), body, files, errs).await?;
    let checked = checked.map_err(AppError::Validation)?;
    let municipality = match &caller {
        Some(c) => c
            .municipalities
            .first()
            .cloned()
            .ok_or_else(|| AppError::Forbidden("this API client has no municipality".into()))?,
        None => state.config.municipality_code.as_str().to_string(),
    };
    let tracking_code = TrackingCode::generate();
    let keyed = public.as_ref().map(|(k, f)| Keyed::new(k, f.clone(), &tracking_code, retention));
    let portal = match (&caller, &idempotency_key) {
        (Some(c), Some(key)) => Some(Portal {
            client_id: c.id.clone(),
            idempotency_key: key.clone(),
            fingerprint: fingerprint.clone(),
        }),
        _ => None,
    };
    let (cmd, files) = intake_command(body, checked, municipality, tracking_code, portal);
    let saved = file_report(&state, ctx(&caller), cmd, files, keyed).await?;
    match saved {
        Some(new) => Ok(HttpResponse::Created()
            .insert_header(no_store())
            .json(ComplaintCreatedResponse::of(&new.complaint, Some(new.tracking_code)))),
        None => {
            // A concurrent retry with the same Idempotency-Key won the race.
            if let Some((key, f)) = public {
                return service::read(&state.db, ctx(&caller), move |tx| {
                    idempotency::find_earlier(tx, &key, &f, retention)
                })
                .await?
                .map(replayed_public)
                .ok_or_else(|| AppError::internal(anyhow::anyhow!("idempotent row vanished")));
            }
            let (Some(cl), Some(key)) = (&caller, idempotency_key) else {
                return Err(AppError::internal(anyhow::anyhow!("tracking code collision")));
            };
            let cid = cl.id.clone();
            let existing =
                service::read(&state.db, ctx(&caller), move |tx| intake::find_submitted(tx, &cid, &key))
                    .await?
                    .ok_or_else(|| AppError::internal(anyhow::anyhow!("idempotent row vanished")))?;
            replayed(existing, &fingerprint)
        }
    }
}
