//! API clients of third-party portals, managed by the admin: create, list, read, change, rotate
//! the secret, disable, enable, revoke. Every change that takes rights away stops the client's
//! tokens on their next request: on this instance at once (the handler forgets the client's
//! standing in [`SubjectStates`]), on other instances within `HUURTOEZICHT_TOKEN_STATE_CACHE_MS`.

mod dto;

use actix_web::{get, patch, post, web, HttpResponse};

pub use dto::*;

use super::{hash_off_thread, reason, AccessChangeRequest};
use crate::domain::api_clients::{ApiClientState, ClientScopes};
use crate::domain::code::Code;
use crate::domain::ids::Email;
use crate::domain::roles::ClientScope;
use crate::error::{AppError, AppResult, FieldError};
use crate::http::auth::{AdminOnly, Auth, SubjectStates};
use crate::http::common::{page, page_limit};
use crate::http::extract::ValidJson;
use crate::http::problem::{CaseworkProblems, CreateProblems, ReadProblems};
use crate::http::AppState;
use crate::service::{self, accounts, Tx};

/// The scopes as given: each a known scope (422 naming `/scopes/{i}`), at least one.
fn parse_scopes(raw: &[String], errs: &mut Vec<FieldError>) -> Option<ClientScopes> {
    let mut scopes = Vec::new();
    for (i, s) in raw.iter().enumerate() {
        match ClientScope::parse(s.trim()) {
            Some(sc) => scopes.push(sc),
            None => errs.push(FieldError::new(
                format!("/scopes/{i}"),
                format!(
                    "is not a known scope (one of {})",
                    ClientScope::ALL.iter().map(|s| s.code()).collect::<Vec<_>>().join(", ")
                ),
            )),
        }
    }
    let set = ClientScopes::of(scopes);
    if set.is_none() && errs.is_empty() {
        errs.push(FieldError::new("/scopes", "at least one scope is required"));
    }
    set
}

fn parse_name(raw: &str, errs: &mut Vec<FieldError>) -> String {
    let name = raw.trim().to_string();
    if name.is_empty() {
        errs.push(FieldError::new("/name", "must not be blank"));
    }
    name
}

fn parse_email(raw: &str, errs: &mut Vec<FieldError>) -> Option<Email> {
    Email::parse(raw).map_err(|e| errs.push(FieldError::new("/contact_email", e.to_string()))).ok()
}

/// A new client secret: 32 bytes from the operating system's generator, in hex.
fn new_secret() -> String {
    use rand::RngCore;
    let mut b = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut b);
    hex::encode(b)
}

/// Runs a change of one client and forgets its standing on this instance, also when the change
/// failed part-way (the next request reads it again).
async fn change<F>(
    state: &AppState,
    states: &SubjectStates,
    auth: &Auth<AdminOnly>,
    id: &str,
    f: F,
) -> AppResult<accounts::ClientView>
where
    F: FnOnce(&mut Tx<'_>) -> AppResult<accounts::ClientView> + Send + 'static,
{
    let result = service::write(&state.db, auth.ctx(&state.clock), f).await;
    states.invalidate(id, true);
    result
}

/// Create an API client for a third-party portal (admin only). The secret is shown once.
#[utoipa::path(
    tag = "auth",
    security(("bearer" = [])),
    request_body = CreateApiClientRequest,
    responses((status = 201, body = ApiClientSecretResponse), CreateProblems)
)]
#[post("/v1/api-clients")]
pub async fn create_api_client(
    state: web::Data<AppState>,
    auth: Auth<AdminOnly>,
    body: ValidJson<CreateApiClientRequest>,
) -> Result<HttpResponse, AppError> {
    let req = body.0;
    let mut errs = Vec::new();
    let name = parse_name(&req.name, &mut errs);
    let scopes = parse_scopes(&req.scopes, &mut errs);
    let contact_email = req.contact_email.as_deref().and_then(|e| parse_email(e, &mut errs));
    let (mut municipalities, pointer) = match req.municipality_code {
        Some(code) if req.municipalities.is_empty() => (vec![code], "/municipality_code"),
        Some(code) => (req.municipalities.iter().cloned().chain([code]).collect(), "/municipalities"),
        None => (req.municipalities, "/municipalities"),
    };
    if municipalities.is_empty() {
        errs.push(FieldError::new("/municipalities", "at least one municipality is required"));
    }
    let (Some(scopes), true) = (scopes, errs.is_empty()) else { return Err(AppError::Validation(errs)) };
    municipalities.iter_mut().for_each(|m| *m = m.trim().to_string());
    let secret = new_secret();
    let cmd = accounts::CreateApiClient {
        name,
        scopes,
        municipalities,
        municipalities_pointer: pointer,
        contact_email,
        secret_hash: hash_off_thread(&state.passwords, secret.clone()).await?,
    };
    let view =
        service::write(&state.db, auth.ctx(&state.clock), move |tx| accounts::create_api_client(tx, cmd))
            .await?;
    Ok(HttpResponse::Created().json(ApiClientSecretResponse { client: view.into(), client_secret: secret }))
}

/// API clients newest first (admin only), optionally in one state. Never their secrets.
#[utoipa::path(
    tag = "auth",
    security(("bearer" = [])),
    params(ApiClientQuery),
    responses((status = 200, body = ApiClientListResponse), CreateProblems)
)]
#[get("/v1/api-clients")]
pub async fn list_api_clients(
    state: web::Data<AppState>,
    auth: Auth<AdminOnly>,
    query: web::Query<ApiClientQuery>,
) -> Result<HttpResponse, AppError> {
    let q = query.into_inner();
    let limit = page_limit(q.limit, 50)?;
    let client_state =
        match q.state.as_deref().map(str::trim) {
            None => None,
            Some(s) => Some(ApiClientState::from_code(s).ok_or_else(|| {
                AppError::field("#/query/state", "must be one of active, disabled, revoked")
            })?),
        };
    let cmd = accounts::ListApiClients { state: client_state, after: q.cursor, limit: limit + 1 };
    let mut rows =
        service::read(&state.db, auth.ctx(&state.clock), move |tx| accounts::list_api_clients(tx, cmd))
            .await?;
    let next_cursor = page(&mut rows, limit, |r| r.client.id.clone());
    let items = rows.into_iter().map(ApiClientResponse::from).collect();
    Ok(HttpResponse::Ok().json(ApiClientListResponse { items, next_cursor }))
}

/// One API client (admin only). Never its secret.
#[utoipa::path(
    tag = "auth",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The client's internal id (`id`)")),
    responses((status = 200, body = ApiClientResponse), ReadProblems)
)]
#[get("/v1/api-clients/{id}")]
pub async fn get_api_client(
    state: web::Data<AppState>,
    auth: Auth<AdminOnly>,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let view =
        service::read(&state.db, auth.ctx(&state.clock), move |tx| accounts::get_api_client(tx, &id)).await?;
    Ok(HttpResponse::Ok().json(ApiClientResponse::from(view)))
}

/// Change an API client's name, contact address, scopes or municipalities (admin only). A change
/// of scopes or municipalities stops every token issued before; the client requests a new one.
/// A revoked client cannot be changed (409).
#[utoipa::path(
    tag = "auth",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The client's internal id (`id`)")),
    request_body = UpdateApiClientRequest,
    responses((status = 200, body = ApiClientResponse), CaseworkProblems)
)]
#[patch("/v1/api-clients/{id}")]
pub async fn update_api_client(
    state: web::Data<AppState>,
    states: web::Data<SubjectStates>,
    auth: Auth<AdminOnly>,
    path: web::Path<String>,
    body: ValidJson<UpdateApiClientRequest>,
) -> Result<HttpResponse, AppError> {
    let req = body.0;
    let id = path.into_inner();
    let mut errs = Vec::new();
    let name = req.name.as_deref().map(|n| parse_name(n, &mut errs));
    let scopes = req.scopes.as_deref().map(|s| parse_scopes(s, &mut errs));
    let contact_email = req.contact_email.map(|e| e.as_deref().and_then(|e| parse_email(e, &mut errs)));
    if !errs.is_empty() {
        return Err(AppError::Validation(errs));
    }
    let cmd = accounts::UpdateApiClient {
        id: id.clone(),
        name,
        contact_email,
        scopes: scopes.flatten(),
        municipalities: req.municipalities.map(|ms| ms.iter().map(|m| m.trim().to_string()).collect()),
    };
    let view = change(&state, &states, &auth, &id, move |tx| accounts::update_api_client(tx, cmd)).await?;
    Ok(HttpResponse::Ok().json(ApiClientResponse::from(view)))
}

/// Give an API client a new secret (admin only), shown once in the answer. The old secret and
/// every token issued before stop at once. A revoked client has no secret to rotate (409).
#[utoipa::path(
    tag = "auth",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The client's internal id (`id`)")),
    request_body = AccessChangeRequest,
    responses((status = 200, body = ApiClientSecretResponse), CaseworkProblems)
)]
#[post("/v1/api-clients/{id}/rotate-secret")]
pub async fn rotate_api_client_secret(
    state: web::Data<AppState>,
    states: web::Data<SubjectStates>,
    auth: Auth<AdminOnly>,
    path: web::Path<String>,
    body: ValidJson<AccessChangeRequest>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let reason = reason(&body.0.reason)?;
    let secret = new_secret();
    let cmd = accounts::RotateSecret {
        id: id.clone(),
        secret_hash: hash_off_thread(&state.passwords, secret.clone()).await?,
        reason,
    };
    let view =
        change(&state, &states, &auth, &id, move |tx| accounts::rotate_api_client_secret(tx, cmd)).await?;
    Ok(HttpResponse::Ok().json(ApiClientSecretResponse { client: view.into(), client_secret: secret }))
}

/// Revoke an API client for good (admin only): it can never obtain a token again, and its tokens
/// (also those acting for landlords) stop at once. It cannot be enabled, changed or rotated
/// afterwards (409); it stays on record for the audit trail.
#[utoipa::path(
    tag = "auth",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The client's internal id (`id`)")),
    request_body = AccessChangeRequest,
    responses((status = 200, body = ApiClientResponse), CaseworkProblems)
)]
#[post("/v1/api-clients/{id}/revoke")]
pub async fn revoke_api_client(
    state: web::Data<AppState>,
    states: web::Data<SubjectStates>,
    auth: Auth<AdminOnly>,
    path: web::Path<String>,
    body: ValidJson<AccessChangeRequest>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let cmd = accounts::RevokeApiClient { id: id.clone(), reason: reason(&body.0.reason)? };
    let view = change(&state, &states, &auth, &id, move |tx| accounts::revoke_api_client(tx, cmd)).await?;
    Ok(HttpResponse::Ok().json(ApiClientResponse::from(view)))
}

async fn set_disabled(
    state: &AppState,
    states: &SubjectStates,
    auth: &Auth<AdminOnly>,
    id: String,
    body: AccessChangeRequest,
    disabled: bool,
) -> Result<HttpResponse, AppError> {
    let cmd = accounts::SetApiClientDisabled { id: id.clone(), disabled, reason: reason(&body.reason)? };
    let view = change(state, states, auth, &id, move |tx| accounts::set_api_client_disabled(tx, cmd)).await?;
    Ok(HttpResponse::Ok().json(ApiClientResponse::from(view)))
}

/// Disable an API client (admin only): it can no longer obtain tokens, and its tokens (also
/// those acting for landlords) are refused from the next request on. Reversible with `…/enable`;
/// a revoked client answers 409.
#[utoipa::path(
    tag = "auth",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The client's internal id (`id`)")),
    request_body = AccessChangeRequest,
    responses((status = 200, body = ApiClientResponse), CaseworkProblems)
)]
#[post("/v1/api-clients/{id}/disable")]
pub async fn disable_api_client(
    state: web::Data<AppState>,
    states: web::Data<SubjectStates>,
    auth: Auth<AdminOnly>,
    path: web::Path<String>,
    body: ValidJson<AccessChangeRequest>,
) -> Result<HttpResponse, AppError> {
    set_disabled(&state, &states, &auth, path.into_inner(), body.0, true).await
}

/// Enable a disabled API client again (admin only). Tokens issued before it was disabled stay
/// refused; the portal requests a new one. A revoked client cannot be enabled (409).
#[utoipa::path(
    tag = "auth",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The client's internal id (`id`)")),
    request_body = AccessChangeRequest,
    responses((status = 200, body = ApiClientResponse), CaseworkProblems)
)]
#[post("/v1/api-clients/{id}/enable")]
pub async fn enable_api_client(
    state: web::Data<AppState>,
    states: web::Data<SubjectStates>,
    auth: Auth<AdminOnly>,
    path: web::Path<String>,
    body: ValidJson<AccessChangeRequest>,
) -> Result<HttpResponse, AppError> {
    set_disabled(&state, &states, &auth, path.into_inner(), body.0, false).await
}
