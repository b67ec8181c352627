//! Portal mandates, managed by the landlord in person.

use actix_web::{get, post, web, HttpResponse};

use super::{MandateListResponse, MandateRequest};
use crate::error::AppError;
use crate::http::auth::{Auth, Caller, LandlordOnly};
use crate::http::extract::ValidJson;
use crate::http::problem::{AuthProblems, Problem};
use crate::http::AppState;
use crate::service::{self, accounts};

/// The caller's landlord record; only the landlord in person (not a portal) manages mandates.
fn own_landlord(auth: &Caller) -> Result<String, AppError> {
    auth.require_in_person()?;
    auth.landlord_id.clone().ok_or_else(|| AppError::Forbidden("this account has no landlord record".into()))
}

/// Give a portal (an API client with `applications:write`) a mandate to handle your licence
/// applications: it may then obtain a token for you (`POST /v1/auth/token` with
/// `grant_type=client_credentials` and your `landlord_id`) and act as you on properties,
/// applications and documents. Only the landlord in person (not a portal) manages mandates.
#[utoipa::path(
    tag = "auth",
    security(("bearer" = [])),
    request_body = MandateRequest,
    responses(
        (status = 200, body = MandateListResponse),
        AuthProblems,
        (status = 422, description = "Unknown portal, or one that may not act for landlords", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/v1/me/mandates")]
pub async fn grant_mandate(
    state: web::Data<AppState>,
    auth: Auth<LandlordOnly>,
    body: ValidJson<MandateRequest>,
) -> Result<HttpResponse, AppError> {
    let cmd = accounts::GrantMandate {
        landlord_id: own_landlord(&auth)?,
        client_id: body.0.client_id.trim().to_string(),
    };
    let list =
        service::write(&state.db, auth.ctx(&state.clock), move |tx| accounts::grant_mandate(tx, cmd)).await?;
    Ok(HttpResponse::Ok().json(MandateListResponse::from(list)))
}

/// Your portal mandates, active and revoked.
#[utoipa::path(
    tag = "auth",
    security(("bearer" = [])),
    responses(
        (status = 200, body = MandateListResponse),
        AuthProblems
    )
)]
#[get("/v1/me/mandates")]
pub async fn list_mandates(
    state: web::Data<AppState>,
    auth: Auth<LandlordOnly>,
) -> Result<HttpResponse, AppError> {
    let landlord_id = own_landlord(&auth)?;
    let list =
        service::read(&state.db, auth.ctx(&state.clock), move |tx| accounts::list_mandates(tx, &landlord_id))
            .await?;
    Ok(HttpResponse::Ok().json(MandateListResponse::from(list)))
}

/// Revoke a portal's mandate: it can obtain no new token for you, and the tokens it already
/// holds for you stop working at once (403).
#[utoipa::path(
    tag = "auth",
    security(("bearer" = [])),
    params(("client_id" = String, Path, description = "The portal's public client id")),
    responses(
        (status = 200, body = MandateListResponse),
        AuthProblems,
        (status = 404, description = "No active mandate for this portal", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/v1/me/mandates/{client_id}/revoke")]
pub async fn revoke_mandate(
    state: web::Data<AppState>,
    auth: Auth<LandlordOnly>,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let cmd = accounts::RevokeMandate { landlord_id: own_landlord(&auth)?, client_id: path.into_inner() };
    let list = service::write(&state.db, auth.ctx(&state.clock), move |tx| accounts::revoke_mandate(tx, cmd))
        .await?;
    Ok(HttpResponse::Ok().json(MandateListResponse::from(list)))
}
