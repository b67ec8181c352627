//! The routes of the three party families; each handler runs the family's one implementation
//! in `http::parties`.

use actix_web::{get, patch, post, web, HttpResponse};

use super::{CreatePartyRequest, PartyListResponse, PartyQuery, PartyResponse, UpdatePartyRequest};
use crate::domain::landlords::PartyRole;
use crate::error::AppError;
use crate::http::auth::{Auth, PartyReaders, PartyStaff};
use crate::http::extract::ValidJson;
use crate::http::problem::{CaseworkProblems, CreateProblems, Problem, ReadProblems};
use crate::http::AppState;

/// Record a landlord without an account (officers and managers). A legal entity needs its KvK
/// number; a second record of the same KvK number is a 409 whose `existing_id` names the first.
#[utoipa::path(
    tag = "parties",
    security(("bearer" = [])),
    request_body = CreatePartyRequest,
    responses(
        (status = 201, body = PartyResponse),
        CreateProblems,
        (status = 409, description = "A landlord with this KvK number is already recorded; `existing_id` names it", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/v1/landlords")]
pub async fn create_landlord(
    state: web::Data<AppState>,
    auth: Auth<PartyStaff>,
    body: ValidJson<CreatePartyRequest>,
) -> Result<HttpResponse, AppError> {
    let res = super::create(&state, &auth, PartyRole::Landlord, body.0).await?;
    Ok(HttpResponse::Created().json(res))
}

/// Landlords (verhuurders): all, or those matching `q` (officers and managers; keyset pages by id). Merged
/// records are left out.
#[utoipa::path(
    tag = "parties",
    security(("bearer" = [])),
    params(PartyQuery),
    responses(
        (status = 200, body = PartyListResponse),
        CreateProblems
    )
)]
#[get("/v1/landlords")]
pub async fn list_landlords(
    state: web::Data<AppState>,
    auth: Auth<PartyStaff>,
    query: web::Query<PartyQuery>,
) -> Result<HttpResponse, AppError> {
    let res = super::list(&state, &auth, PartyRole::Landlord, query.into_inner()).await?;
    Ok(HttpResponse::Ok().json(res))
}

/// One landlord: officers and managers any, a landlord only its own record (404 for others), without
/// `source`, `notes` and `recorded_by`.
#[utoipa::path(
    tag = "parties",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Party id")),
    responses(
        (status = 200, body = PartyResponse),
        ReadProblems
    )
)]
#[get("/v1/landlords/{id}")]
pub async fn get_landlord(
    state: web::Data<AppState>,
    auth: Auth<PartyReaders>,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let res = super::show(&state, &auth, PartyRole::Landlord, path.into_inner()).await?;
    Ok(HttpResponse::Ok().json(res))
}

/// Change a landlord. Officers and managers: records their municipality made and self-registered
/// ones (403 for others); a landlord: only `contact` of its own record (any other field is a
/// 422 naming it). A merged record answers 409 naming the record it was merged into.
#[utoipa::path(
    tag = "parties",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Party id")),
    request_body = UpdatePartyRequest,
    responses(
        (status = 200, body = PartyResponse),
        CaseworkProblems
    )
)]
#[patch("/v1/landlords/{id}")]
pub async fn update_landlord(
    state: web::Data<AppState>,
    auth: Auth<PartyReaders>,
    path: web::Path<String>,
    body: ValidJson<UpdatePartyRequest>,
) -> Result<HttpResponse, AppError> {
    let res = super::update(&state, &auth, PartyRole::Landlord, path.into_inner(), body.0).await?;
    Ok(HttpResponse::Ok().json(res))
}

/// Record an intermediary without an account (officers and managers). A legal entity needs its KvK
/// number; a second record of the same KvK number is a 409 whose `existing_id` names the first.
#[utoipa::path(
    tag = "parties",
    security(("bearer" = [])),
    request_body = CreatePartyRequest,
    responses(
        (status = 201, body = PartyResponse),
        CreateProblems,
        (status = 409, description = "An intermediary with this KvK number is already recorded; `existing_id` names it", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/v1/intermediaries")]
pub async fn create_intermediary(
    state: web::Data<AppState>,
    auth: Auth<PartyStaff>,
    body: ValidJson<CreatePartyRequest>,
) -> Result<HttpResponse, AppError> {
    let res = super::create(&state, &auth, PartyRole::Intermediary, body.0).await?;
    Ok(HttpResponse::Created().json(res))
}

/// Intermediaries (verhuurbemiddelaars and beheerders): all, or those matching `q` (officers and managers; keyset pages by id). Merged
/// records are left out.
#[utoipa::path(
    tag = "parties",
    security(("bearer" = [])),
    params(PartyQuery),
    responses(
        (status = 200, body = PartyListResponse),
        CreateProblems
    )
)]
#[get("/v1/intermediaries")]
pub async fn list_intermediaries(
    state: web::Data<AppState>,
    auth: Auth<PartyStaff>,
    query: web::Query<PartyQuery>,
) -> Result<HttpResponse, AppError> {
    let res = super::list(&state, &auth, PartyRole::Intermediary, query.into_inner()).await?;
    Ok(HttpResponse::Ok().json(res))
}

/// One intermediary: officers and managers any, a landlord only its own record (404 for others), without
/// `source`, `notes` and `recorded_by`.
#[utoipa::path(
    tag = "parties",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Party id")),
    responses(
        (status = 200, body = PartyResponse),
        ReadProblems
    )
)]
#[get("/v1/intermediaries/{id}")]
pub async fn get_intermediary(
    state: web::Data<AppState>,
    auth: Auth<PartyReaders>,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let res = super::show(&state, &auth, PartyRole::Intermediary, path.into_inner()).await?;
    Ok(HttpResponse::Ok().json(res))
}

/// Change an intermediary. Officers and managers: records their municipality made and self-registered
/// ones (403 for others); a landlord: only `contact` of its own record (any other field is a
/// 422 naming it). A merged record answers 409 naming the record it was merged into.
#[utoipa::path(
    tag = "parties",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Party id")),
    request_body = UpdatePartyRequest,
    responses(
        (status = 200, body = PartyResponse),
        CaseworkProblems
    )
)]
#[patch("/v1/intermediaries/{id}")]
pub async fn update_intermediary(
    state: web::Data<AppState>,
    auth: Auth<PartyReaders>,
    path: web::Path<String>,
    body: ValidJson<UpdatePartyRequest>,
) -> Result<HttpResponse, AppError> {
    let res = super::update(&state, &auth, PartyRole::Intermediary, path.into_inner(), body.0).await?;
    Ok(HttpResponse::Ok().json(res))
}

/// Record an employer without an account (officers and managers). A legal entity needs its KvK
/// number; a second record of the same KvK number is a 409 whose `existing_id` names the first.
#[utoipa::path(
    tag = "parties",
    security(("bearer" = [])),
    request_body = CreatePartyRequest,
    responses(
        (status = 201, body = PartyResponse),
        CreateProblems,
        (status = 409, description = "An employer with this KvK number is already recorded; `existing_id` names it", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/v1/employers")]
pub async fn create_employer(
    state: web::Data<AppState>,
    auth: Auth<PartyStaff>,
    body: ValidJson<CreatePartyRequest>,
) -> Result<HttpResponse, AppError> {
    let res = super::create(&state, &auth, PartyRole::Employer, body.0).await?;
    Ok(HttpResponse::Created().json(res))
}

/// Employers and staffing agencies that house workers: all, or those matching `q` (officers and managers; keyset pages by id). Merged
/// records are left out.
#[utoipa::path(
    tag = "parties",
    security(("bearer" = [])),
    params(PartyQuery),
    responses(
        (status = 200, body = PartyListResponse),
        CreateProblems
    )
)]
#[get("/v1/employers")]
pub async fn list_employers(
    state: web::Data<AppState>,
    auth: Auth<PartyStaff>,
    query: web::Query<PartyQuery>,
) -> Result<HttpResponse, AppError> {
    let res = super::list(&state, &auth, PartyRole::Employer, query.into_inner()).await?;
    Ok(HttpResponse::Ok().json(res))
}

/// One employer: officers and managers any, a landlord only its own record (404 for others), without
/// `source`, `notes` and `recorded_by`.
#[utoipa::path(
    tag = "parties",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Party id")),
    responses(
        (status = 200, body = PartyResponse),
        ReadProblems
    )
)]
#[get("/v1/employers/{id}")]
pub async fn get_employer(
    state: web::Data<AppState>,
    auth: Auth<PartyReaders>,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let res = super::show(&state, &auth, PartyRole::Employer, path.into_inner()).await?;
    Ok(HttpResponse::Ok().json(res))
}

/// Change an employer. Officers and managers: records their municipality made and self-registered
/// ones (403 for others); a landlord: only `contact` of its own record (any other field is a
/// 422 naming it). A merged record answers 409 naming the record it was merged into.
#[utoipa::path(
    tag = "parties",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Party id")),
    request_body = UpdatePartyRequest,
    responses(
        (status = 200, body = PartyResponse),
        CaseworkProblems
    )
)]
#[patch("/v1/employers/{id}")]
pub async fn update_employer(
    state: web::Data<AppState>,
    auth: Auth<PartyReaders>,
    path: web::Path<String>,
    body: ValidJson<UpdatePartyRequest>,
) -> Result<HttpResponse, AppError> {
    let res = super::update(&state, &auth, PartyRole::Employer, path.into_inner(), body.0).await?;
    Ok(HttpResponse::Ok().json(res))
}
