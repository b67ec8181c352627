//! Recording inspections: planned or performed, and the outcome of a planned one.

use actix_web::{post, web, HttpResponse};

use super::{
    check_areas, check_findings, check_visit, trimmed, write_inspection, CreateInspectionRequest,
    InspectionResponse, PartyFoundDto, PerformInspectionRequest,
};
use crate::domain::inspection::{Findings, InspectionStatus};
use crate::error::{AppError, FieldError};
use crate::http::auth::{Auth, EnforcementOfficer};
use crate::http::common::{not_in_future, parse_address, parse_date};
use crate::http::extract::ValidJson;
use crate::http::problem::{AuthProblems, Problem, ReadProblems, ValidationProblem};
use crate::http::AppState;
use crate::service::inspections;

/// Record a planned or performed inspection (officers).
#[utoipa::path(
    tag = "inspections",
    security(("bearer" = [])),
    request_body = CreateInspectionRequest,
    responses(
        (status = 201, body = InspectionResponse),
        AuthProblems,
        (status = 422, description = "Invalid fields, or findings for a room without a valid entry basis", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/v1/inspections")]
pub async fn create_inspection(
    state: web::Data<AppState>,
    auth: Auth<EnforcementOfficer>,
    body: ValidJson<CreateInspectionRequest>,
) -> Result<HttpResponse, AppError> {
    let req = body.0;
    let today = state.clock.today_nl();
    let mut errs = Vec::new();
    let address = parse_address(&req.address, "/address", &mut errs);
    let planned_on = req.planned_on.as_deref().and_then(|d| parse_date(d, "/planned_on", &mut errs));
    let performed_on = req.performed_on.as_deref().and_then(|d| parse_date(d, "/performed_on", &mut errs));
    match req.status {
        InspectionStatus::Planned => {
            if req.planned_on.is_none() {
                errs.push(FieldError::new("/planned_on", "is required for a planned inspection"));
            }
            if req.findings.is_some() {
                errs.push(FieldError::new("/findings", "a planned inspection has no findings yet"));
            }
        }
        InspectionStatus::Performed => {
            if req.performed_on.is_none() {
                errs.push(FieldError::new("/performed_on", "is required for a performed inspection"));
            }
            if let Some(d) = performed_on {
                not_in_future(d, today, "/performed_on", &mut errs);
            }
        }
    }
    check_visit(&req.officers, req.interpreter_used, req.interpreter_language.as_deref(), &mut errs);
    if let Some(f) = &req.findings {
        check_areas(f, &mut errs);
    }
    let findings: Findings = req.findings.map(Findings::from).unwrap_or_default();
    check_findings(&findings, &mut errs);
    let (Some(address), true) = (address, errs.is_empty()) else { return Err(AppError::Validation(errs)) };
    let cmd = inspections::CreateInspection {
        municipality: state.config.municipality_code.as_str().to_string(),
        status: req.status,
        planned_on,
        performed_on,
        postcode: address.postcode,
        house_number: address.house_number,
        house_number_addition: address.addition,
        address_key: address.key,
        landlord_id: req.landlord_id,
        property_id: req.property_id,
        licence_id: req.licence_id,
        officers: trimmed(&req.officers),
        interpreter_used: req.interpreter_used,
        interpreter_language: req.interpreter_language.map(|l| l.trim().to_string()),
        findings,
        parties: req.parties.into_iter().map(PartyFoundDto::into_party).collect(),
        complaint_ids: req.complaint_ids,
    };
    let res = write_inspection(&state, &auth, move |tx| inspections::create_inspection(tx, cmd)).await?;
    Ok(HttpResponse::Created().json(res))
}

/// Record the outcome of a planned inspection (officers): it becomes performed with its
/// findings; the licence in force on that date is linked when the property is known.
#[utoipa::path(
    tag = "inspections",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Inspection id")),
    request_body = PerformInspectionRequest,
    responses(
        (status = 200, body = InspectionResponse),
        ReadProblems,
        (status = 409, description = "The inspection was already performed", body = Problem, content_type = "application/problem+json"),
        ValidationProblem
    )
)]
#[post("/v1/inspections/{id}/perform")]
pub async fn perform_inspection(
    state: web::Data<AppState>,
    auth: Auth<EnforcementOfficer>,
    path: web::Path<String>,
    body: ValidJson<PerformInspectionRequest>,
) -> Result<HttpResponse, AppError> {
    let req = body.0;
    let today = state.clock.today_nl();
    let mut errs = Vec::new();
    let performed_on = parse_date(&req.performed_on, "/performed_on", &mut errs);
    if let Some(d) = performed_on {
        not_in_future(d, today, "/performed_on", &mut errs);
    }
    check_visit(
        req.officers.as_deref().unwrap_or_default(),
        req.interpreter_used,
        req.interpreter_language.as_deref(),
        &mut errs,
    );
    check_areas(&req.findings, &mut errs);
    let findings = Findings::from(req.findings);
    check_findings(&findings, &mut errs);
    let (Some(performed_on), true) = (performed_on, errs.is_empty()) else {
        return Err(AppError::Validation(errs));
    };
    let cmd = inspections::PerformInspection {
        id: path.into_inner(),
        performed_on,
        officers: req.officers.as_deref().map(trimmed),
        interpreter_used: req.interpreter_used,
        interpreter_language: req.interpreter_language.map(|l| l.trim().to_string()),
        findings,
    };
    let res = write_inspection(&state, &auth, move |tx| inspections::perform_inspection(tx, cmd)).await?;
    Ok(HttpResponse::Ok().json(res))
}
