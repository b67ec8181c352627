//! Decisions on a performed inspection: a referral to a partner, the reason not to refer, and
//! the evaluation of its findings.

use actix_web::{post, web, HttpResponse};

use super::{write_inspection, Evaluation, InspectionResponse};
use crate::error::{AppError, FieldError};
use crate::http::auth::{Auth, EnforcementOfficer};
use crate::http::common::not_in_future;
use crate::http::complaints::{NoReferralRequest, ReferralRequest};
use crate::http::extract::ValidJson;
use crate::http::problem::{Problem, ReadProblems, UpdateProblems, ValidationProblem};
use crate::http::AppState;
use crate::service::{self, inspections};

/// Record a referral of the inspection's findings to a partner (Nederlandse Arbeidsinspectie,
/// police, burgerzaken, …) with the date, exactly what was shared and the legal basis. This is
/// also the referral decision that exploitation signals require.
#[utoipa::path(
    tag = "inspections",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Inspection id")),
    request_body = ReferralRequest,
    responses(
        (status = 200, body = InspectionResponse),
        UpdateProblems
    )
)]
#[post("/v1/inspections/{id}/referrals")]
pub async fn add_inspection_referral(
    state: web::Data<AppState>,
    auth: Auth<EnforcementOfficer>,
    path: web::Path<String>,
    body: ValidJson<ReferralRequest>,
) -> Result<HttpResponse, AppError> {
    let mut req = body.0;
    let today = state.clock.today_nl();
    let mut errs = Vec::new();
    let content = req.content_input(&mut errs);
    not_in_future(req.referred_on, today, "/referred_on", &mut errs);
    if req.shared_data.trim().is_empty() {
        errs.push(FieldError::new("/shared_data", "must not be blank"));
    }
    if req.legal_basis.trim().is_empty() {
        errs.push(FieldError::new("/legal_basis", "must not be blank"));
    }
    if !errs.is_empty() {
        return Err(AppError::Validation(errs));
    }
    let cmd = inspections::AddReferral {
        inspection_id: path.into_inner(),
        partner: req.partner,
        referred_on: req.referred_on,
        shared_data: req.shared_data.trim().to_string(),
        legal_basis: req.legal_basis.trim().to_string(),
        content,
    };
    let res = write_inspection(&state, &auth, move |tx| inspections::add_referral(tx, cmd)).await?;
    Ok(HttpResponse::Ok().json(res))
}

/// Record why the exploitation signals found at the inspection are not referred — the
/// alternative referral decision.
#[utoipa::path(
    tag = "inspections",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Inspection id")),
    request_body = NoReferralRequest,
    responses(
        (status = 200, body = InspectionResponse),
        ReadProblems,
        (status = 409, description = "No exploitation signals to decide on", body = Problem, content_type = "application/problem+json"),
        ValidationProblem
    )
)]
#[post("/v1/inspections/{id}/no-referral")]
pub async fn record_inspection_no_referral(
    state: web::Data<AppState>,
    auth: Auth<EnforcementOfficer>,
    path: web::Path<String>,
    body: ValidJson<NoReferralRequest>,
) -> Result<HttpResponse, AppError> {
    let reason = body.0.reason.trim().to_string();
    if reason.is_empty() {
        return Err(AppError::field("/reason", "must not be blank"));
    }
    let cmd = inspections::RecordNoReferral { inspection_id: path.into_inner(), reason };
    let res = write_inspection(&state, &auth, move |tx| inspections::record_no_referral(tx, cmd)).await?;
    Ok(HttpResponse::Ok().json(res))
}

/// Compare the findings with the licence conditions in force and the rule set's norms
/// (m² per person, persons per bedroom, facility ratios); proposes violations with the rule
/// and the numbers. Nothing is recorded as a violation until an officer confirms it with
/// `POST /v1/violations`.
#[utoipa::path(
    tag = "inspections",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Inspection id")),
    responses(
        (status = 200, body = Evaluation),
        ReadProblems,
        (status = 409, description = "The inspection was not performed yet", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/v1/inspections/{id}/evaluate")]
pub async fn evaluate_inspection(
    state: web::Data<AppState>,
    auth: Auth<EnforcementOfficer>,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let cmd = inspections::EvaluateInspection { id: path.into_inner(), rules: state.config.rules.clone() };
    let evaluation = service::write(&state.db, auth.ctx(&state.clock), move |tx| {
        inspections::evaluate_inspection(tx, cmd)
    })
    .await?;
    Ok(HttpResponse::Ok().json(Evaluation::from(evaluation)))
}
