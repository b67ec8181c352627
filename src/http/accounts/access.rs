//! Taking access away (admin only): disabling and enabling accounts (API clients: `clients/`),
//! changing a staff account's municipalities. Tokens issued before stop working on their next
//! request (on this instance at once; on others within `HUURTOEZICHT_TOKEN_STATE_CACHE_MS`).

use actix_web::{post, put, web, HttpResponse};

use super::{reason, AccessChangeRequest, AccountMunicipalitiesRequest, AccountResponse};
use crate::error::AppError;
use crate::http::auth::{AdminOnly, Auth, SubjectStates};
use crate::http::extract::ValidJson;
use crate::http::problem::{ConflictProblem, UpdateProblems};
use crate::http::AppState;
use crate::service::{self, accounts};

async fn account_disabled(
    state: &AppState,
    states: &SubjectStates,
    auth: &Auth<AdminOnly>,
    id: String,
    body: AccessChangeRequest,
    disabled: bool,
) -> Result<HttpResponse, AppError> {
    let cmd =
        accounts::SetAccountDisabled { account_id: id.clone(), disabled, reason: reason(&body.reason)? };
    let result =
        service::write(&state.db, auth.ctx(&state.clock), move |tx| accounts::set_account_disabled(tx, cmd))
            .await;
    states.invalidate(&id, false);
    let (account, municipalities) = result?;
    Ok(HttpResponse::Ok().json(AccountResponse::of_account(account, municipalities, None)))
}

/// Disable an account (admin only): it can no longer sign in, and its tokens are refused from the
/// next request on. The admin cannot disable their own account.
#[utoipa::path(
    tag = "auth",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Account id")),
    request_body = AccessChangeRequest,
    responses((status = 200, body = AccountResponse), UpdateProblems, ConflictProblem)
)]
#[post("/v1/accounts/{id}/disable")]
pub async fn disable_account(
    state: web::Data<AppState>,
    states: web::Data<SubjectStates>,
    auth: Auth<AdminOnly>,
    path: web::Path<String>,
    body: ValidJson<AccessChangeRequest>,
) -> Result<HttpResponse, AppError> {
    account_disabled(&state, &states, &auth, path.into_inner(), body.0, true).await
}

/// Enable a disabled account again (admin only). Tokens issued before it was disabled stay
/// refused; the person signs in anew.
#[utoipa::path(
    tag = "auth",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Account id")),
    request_body = AccessChangeRequest,
    responses((status = 200, body = AccountResponse), UpdateProblems)
)]
#[post("/v1/accounts/{id}/enable")]
pub async fn enable_account(
    state: web::Data<AppState>,
    states: web::Data<SubjectStates>,
    auth: Auth<AdminOnly>,
    path: web::Path<String>,
    body: ValidJson<AccessChangeRequest>,
) -> Result<HttpResponse, AppError> {
    account_disabled(&state, &states, &auth, path.into_inner(), body.0, false).await
}

/// Replace the municipalities of an officer, Bibob officer or manager (admin only). Tokens
/// issued before are refused from the next request on.
#[utoipa::path(
    tag = "auth",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Account id")),
    request_body = AccountMunicipalitiesRequest,
    responses((status = 200, body = AccountResponse), UpdateProblems, ConflictProblem)
)]
#[put("/v1/accounts/{id}/municipalities")]
pub async fn set_account_municipalities(
    state: web::Data<AppState>,
    states: web::Data<SubjectStates>,
    auth: Auth<AdminOnly>,
    path: web::Path<String>,
    body: ValidJson<AccountMunicipalitiesRequest>,
) -> Result<HttpResponse, AppError> {
    let req = body.0;
    let id = path.into_inner();
    let cmd = accounts::SetAccountMunicipalities {
        account_id: id.clone(),
        municipalities: req.municipalities,
        reason: reason(&req.reason)?,
    };
    let result = service::write(&state.db, auth.ctx(&state.clock), move |tx| {
        accounts::set_account_municipalities(tx, cmd)
    })
    .await;
    states.invalidate(&id, false);
    let (account, municipalities) = result?;
    Ok(HttpResponse::Ok().json(AccountResponse::of_account(account, municipalities, None)))
}
