//! Landlords: self-registration, and the housing-corporation record kept by municipal staff.

use actix_web::{post, web, HttpRequest, HttpResponse};

use super::{
    email_and_password, hash_off_thread, AccountResponse, HousingCorporationRequest, LandlordSummary,
    RegisterLandlordRequest,
};
use crate::domain::ids::KvkNumber;
use crate::domain::landlords::LandlordKind;
use crate::error::{AppError, FieldError};
use crate::http::auth::{Auth, ManagerOrAdmin};
use crate::http::extract::ValidJson;
use crate::http::problem::{current_request_id, Problem, UpdateProblems};
use crate::http::throttle::{Limited, RateLimits};
use crate::http::AppState;
use crate::service::{self, accounts, Ctx};

/// Register as a landlord (verhuurder). No token needed. Sends a confirmation email through the
/// outbox.
#[utoipa::path(
    tag = "auth",
    request_body = RegisterLandlordRequest,
    responses(
        (status = 201, body = AccountResponse),
        (status = 409, description = "Email already registered", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many registrations from this address; `Retry-After` says how long to wait", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/v1/accounts/landlords")]
pub async fn register_landlord(
    state: web::Data<AppState>,
    http: HttpRequest,
    body: ValidJson<RegisterLandlordRequest>,
) -> Result<HttpResponse, AppError> {
    RateLimits::check(&http, Limited::Registration)?;
    let req = body.0;
    let mut errs = Vec::new();
    let email = email_and_password(&req.email, &req.password, &req.name, &mut errs);
    let kvk = match (req.kind, req.kvk_number.as_deref().map(str::trim).filter(|s| !s.is_empty())) {
        (LandlordKind::LegalEntity, None) => {
            errs.push(FieldError::new("/kvk_number", "is required for a legal entity"));
            None
        }
        (_, Some(raw)) => match KvkNumber::parse(raw) {
            Ok(k) => Some(k),
            Err(e) => {
                errs.push(FieldError::new("/kvk_number", e.to_string()));
                None
            }
        },
        (LandlordKind::NaturalPerson, None) => None,
    };
    if req.name.trim().is_empty() {
        errs.push(FieldError::new("/name", "must not be blank"));
    }
    let (Some(email), true) = (email, errs.is_empty()) else { return Err(AppError::Validation(errs)) };
    let cmd = accounts::RegisterLandlord {
        email,
        password_hash: hash_off_thread(&state.passwords, req.password).await?,
        name: req.name.trim().to_string(),
        kind: req.kind,
        kvk_number: kvk,
        municipality_name: state.config.municipality_name.clone(),
    };
    let ctx = Ctx::anonymous(state.clock.now_naive(), state.clock.today_nl(), current_request_id());
    let (account, landlord) =
        service::write(&state.db, ctx, move |tx| accounts::register_landlord(tx, cmd)).await?;
    Ok(HttpResponse::Created().json(AccountResponse::of_account(account, vec![], Some(landlord))))
}

/// Record whether a landlord is a housing corporation: the admin, or a manager of a municipality
/// the landlord has a property, application or licence in (any other landlord answers 404, as an
/// unknown one would). The change is audited under each of the landlord's municipalities. A
/// housing corporation needs no Wgv licence (its applications are refused as not required) and
/// its enforcement cases are referred to the Autoriteit woningcorporaties by the sanction ladder.
#[utoipa::path(
    tag = "auth",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Landlord id")),
    request_body = HousingCorporationRequest,
    responses(
        (status = 200, body = LandlordSummary),
        UpdateProblems
    )
)]
#[post("/v1/landlords/{id}/housing-corporation")]
pub async fn set_housing_corporation(
    state: web::Data<AppState>,
    auth: Auth<ManagerOrAdmin>,
    path: web::Path<String>,
    body: ValidJson<HousingCorporationRequest>,
) -> Result<HttpResponse, AppError> {
    let req = body.0;
    let reference = req.reference.as_deref().map(str::trim).filter(|r| !r.is_empty()).map(str::to_string);
    let mut errs = Vec::new();
    if req.housing_corporation && reference.is_none() {
        errs.push(FieldError::new("/reference", "is required for a housing corporation"));
    }
    if req.reason.trim().is_empty() {
        errs.push(FieldError::new("/reason", "must not be blank"));
    }
    if !errs.is_empty() {
        return Err(AppError::Validation(errs));
    }
    let cmd = accounts::SetHousingCorporation {
        landlord_id: path.into_inner(),
        housing_corporation: req.housing_corporation,
        reference,
        reason: req.reason.trim().to_string(),
        municipality: state.config.municipality_code.as_str().to_string(),
    };
    let landlord = service::write(&state.db, auth.ctx(&state.clock), move |tx| {
        accounts::set_housing_corporation(tx, cmd)
    })
    .await?;
    Ok(HttpResponse::Ok().json(LandlordSummary::from(landlord)))
}
