//! The verbs of an application between draft and decision: submit, request and supply
//! information, extend the term, start the review, withdraw, not consider.

use actix_web::{post, web, HttpResponse};
use chrono::NaiveDate;
use serde::Deserialize;
use utoipa::ToSchema;
use validator::Validate;

use super::{planned, write_ok, ApplicationResponse, OccupancyDto};
use crate::error::AppError;
use crate::http::auth::{Auth, Caller, LandlordOnly, OfficerOnly};
use crate::http::extract::ValidJson;
use crate::http::licensing::viewer;
use crate::http::preconditions::IfMatch;
use crate::http::problem::{CaseworkProblems, Problem, ReadProblems, StepProblems, ValidationProblem};
use crate::http::AppState;
use crate::service::licensing::lifecycle::{
    self as uc, ExtendTerm, NotConsider, RequestInformation, Step, Submit, SupplyInformation, TakeStep,
};
use crate::service::Precondition;

/// Submit a draft: the decision term starts today (Awb 4:13); the landlord is told the due date.
#[utoipa::path(
    tag = "licences",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Application id"), IfMatch),
    responses(
        (status = 200, body = ApplicationResponse),
        StepProblems,
        (status = 422, description = "No licence of this kind is required at the address", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/v1/licence-applications/{id}/submit")]
pub async fn submit_application(
    state: web::Data<AppState>,
    auth: Auth<LandlordOnly>,
    path: web::Path<String>,
    if_match: IfMatch,
) -> Result<HttpResponse, AppError> {
    let expected = if_match.on(&path);
    let cmd = Submit { viewer: viewer(&auth), id: path.into_inner(), rules: state.rules.clone() };
    write_ok(&state, &auth, expected, move |tx| uc::submit(tx, cmd)).await
}

/// Information missing from an application (Awb 4:5).
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RequestInformationRequest {
    /// What is missing, as the landlord will read it.
    #[validate(length(min = 1, max = 4000))]
    #[schema(min_length = 1, max_length = 4000)]
    pub what: String,
    /// Last day to supply it (the hersteltermijn); after today.
    pub respond_by: NaiveDate,
}

/// Ask the landlord for missing information; the decision term is suspended until it is
/// supplied or the term lapses (Awb 4:15 lid 1 a).
#[utoipa::path(
    tag = "licences",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Application id"), IfMatch),
    request_body = RequestInformationRequest,
    responses(
        (status = 200, body = ApplicationResponse),
        CaseworkProblems
    )
)]
#[post("/v1/licence-applications/{id}/request-information")]
pub async fn request_information(
    state: web::Data<AppState>,
    auth: Auth<OfficerOnly>,
    path: web::Path<String>,
    if_match: IfMatch,
    body: ValidJson<RequestInformationRequest>,
) -> Result<HttpResponse, AppError> {
    let expected = if_match.on(&path);
    let req = body.0;
    let cmd = RequestInformation {
        viewer: viewer(&auth),
        id: path.into_inner(),
        what: req.what,
        respond_by: req.respond_by,
        rules: state.rules.clone(),
    };
    write_ok(&state, &auth, expected, move |tx| uc::request_information(tx, cmd)).await
}

/// The landlord's answer to a request for information.
#[derive(Debug, Default, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SupplyInformationRequest {
    /// Optional note for the officer (documents are uploaded separately).
    #[validate(length(max = 4000))]
    #[schema(max_length = 4000)]
    pub note: Option<String>,
    /// Corrected planned occupancy, if that was missing.
    #[validate(length(max = 200), nested)]
    #[schema(max_items = 200)]
    pub planned_occupancy: Option<Vec<OccupancyDto>>,
    #[validate(range(min = 0, max = 100_000_000))]
    #[schema(minimum = 0, maximum = 100_000_000)]
    pub monthly_rent_cents: Option<i64>,
}

/// Supply the missing information: the decision term runs again.
#[utoipa::path(
    tag = "licences",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Application id"), IfMatch),
    request_body = SupplyInformationRequest,
    responses(
        (status = 200, body = ApplicationResponse),
        CaseworkProblems
    )
)]
#[post("/v1/licence-applications/{id}/supply-information")]
pub async fn supply_information(
    state: web::Data<AppState>,
    auth: Auth<LandlordOnly>,
    path: web::Path<String>,
    if_match: IfMatch,
    body: ValidJson<SupplyInformationRequest>,
) -> Result<HttpResponse, AppError> {
    let expected = if_match.on(&path);
    let req = body.0;
    let cmd = SupplyInformation {
        viewer: viewer(&auth),
        id: path.into_inner(),
        planned_occupancy: req.planned_occupancy.map(planned),
        monthly_rent_cents: req.monthly_rent_cents,
        rules: state.rules.clone(),
    };
    write_ok(&state, &auth, expected, move |tx| uc::supply_information(tx, cmd)).await
}

/// The one announced extension of the decision term (Awb 4:14).
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ExtendTermRequest {
    /// Length of the extension in weeks (at most the rule set's `extension_weeks`).
    #[validate(range(min = 1, max = 52))]
    #[schema(minimum = 1, maximum = 52)]
    pub weeks: u32,
    /// Why the decision cannot be taken in time (sent to the landlord).
    #[validate(length(min = 1, max = 4000))]
    #[schema(min_length = 1, max_length = 4000)]
    pub reason: String,
}

/// Extend the decision term once, announced before it expires (Awb 4:14 lid 3).
#[utoipa::path(
    tag = "licences",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Application id"), IfMatch),
    request_body = ExtendTermRequest,
    responses(
        (status = 200, body = ApplicationResponse),
        ReadProblems,
        (status = 409, description = "Already extended, or the term has expired", body = Problem, content_type = "application/problem+json"),
        ValidationProblem
    )
)]
#[post("/v1/licence-applications/{id}/extend-term")]
pub async fn extend_term(
    state: web::Data<AppState>,
    auth: Auth<OfficerOnly>,
    path: web::Path<String>,
    if_match: IfMatch,
    body: ValidJson<ExtendTermRequest>,
) -> Result<HttpResponse, AppError> {
    let expected = if_match.on(&path);
    let req = body.0;
    let cmd = ExtendTerm {
        viewer: viewer(&auth),
        id: path.into_inner(),
        weeks: req.weeks,
        reason: req.reason,
        rules: state.rules.clone(),
    };
    write_ok(&state, &auth, expected, move |tx| uc::extend_term(tx, cmd)).await
}

/// The verbs without a body: start-review (officer) and withdraw (landlord).
async fn take_step(
    state: web::Data<AppState>,
    caller: &Caller,
    id: String,
    expected: Option<Precondition>,
    step: Step,
) -> Result<HttpResponse, AppError> {
    let cmd = TakeStep { viewer: viewer(caller), id, step };
    write_ok(&state, caller, expected, move |tx| uc::take_step(tx, cmd)).await
}

/// Start the assessment of a submitted application (officer).
#[utoipa::path(
    tag = "licences",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Application id"), IfMatch),
    responses(
        (status = 200, body = ApplicationResponse),
        StepProblems
    )
)]
#[post("/v1/licence-applications/{id}/start-review")]
pub async fn start_review(
    state: web::Data<AppState>,
    auth: Auth<OfficerOnly>,
    path: web::Path<String>,
    if_match: IfMatch,
) -> Result<HttpResponse, AppError> {
    let expected = if_match.on(&path);
    take_step(state, &auth, path.into_inner(), expected, Step::StartReview).await
}

/// Withdraw the application (landlord), at any time before the decision.
#[utoipa::path(
    tag = "licences",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Application id"), IfMatch),
    responses(
        (status = 200, body = ApplicationResponse),
        StepProblems
    )
)]
#[post("/v1/licence-applications/{id}/withdraw")]
pub async fn withdraw_application(
    state: web::Data<AppState>,
    auth: Auth<LandlordOnly>,
    path: web::Path<String>,
    if_match: IfMatch,
) -> Result<HttpResponse, AppError> {
    let expected = if_match.on(&path);
    take_step(state, &auth, path.into_inner(), expected, Step::Withdraw).await
}

/// Why the application is not considered.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NotConsideredRequest {
    #[validate(length(min = 1, max = 20000))]
    #[schema(min_length = 1, max_length = 20000)]
    pub motivation: String,
}

/// Decide not to consider the application: the requested information was not supplied within
/// the term (Awb 4:5). Only after that term has lapsed.
#[utoipa::path(
    tag = "licences",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Application id"), IfMatch),
    request_body = NotConsideredRequest,
    responses(
        (status = 200, body = ApplicationResponse),
        CaseworkProblems
    )
)]
#[post("/v1/licence-applications/{id}/not-considered")]
pub async fn not_considered(
    state: web::Data<AppState>,
    auth: Auth<OfficerOnly>,
    path: web::Path<String>,
    if_match: IfMatch,
    body: ValidJson<NotConsideredRequest>,
) -> Result<HttpResponse, AppError> {
    let expected = if_match.on(&path);
    let cmd = NotConsider {
        viewer: viewer(&auth),
        id: path.into_inner(),
        motivation: body.0.motivation,
        rules: state.rules.clone(),
    };
    write_ok(&state, &auth, expected, move |tx| uc::not_consider(tx, cmd)).await
}
