//! What an inspection records besides its findings: the parties found at the address, refused or
//! failed entry attempts, and the complaints that led to it (officers; each change audited).

use actix_web::{post, put, web, HttpResponse};
use chrono::NaiveDate;
use serde::Deserialize;
use utoipa::ToSchema;
use validator::Validate;

use super::{write_inspection, InspectionResponse, PartyFoundDto};
use crate::domain::complaints::Partner;
use crate::domain::inspection_records::EntryAttemptReason;
use crate::error::{AppError, FieldError};
use crate::http::auth::{Auth, EnforcementOfficer};
use crate::http::common::not_in_future;
use crate::http::extract::ValidJson;
use crate::http::problem::UpdateProblems;
use crate::http::AppState;
use crate::service::inspections;

/// The parties found at the inspection (replaces the list).
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SetInspectionPartiesRequest {
    /// Each a party record of the role named; none twice; no merged record.
    #[validate(length(max = 20), nested)]
    #[schema(max_items = 20)]
    pub parties: Vec<PartyFoundDto>,
}

/// The partner organisations present at the inspection (a joint inspection; replaces the set).
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SetInspectionPartnersRequest {
    /// Partner codes, none twice; empty: no partner was present.
    #[validate(length(max = 14))]
    #[schema(max_items = 14)]
    pub partners: Vec<Partner>,
}

/// A refused or failed attempt to enter.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EntryAttemptRequest {
    /// Not in the future.
    pub attempted_on: NaiveDate,
    pub reason: EntryAttemptReason,
    /// What happened, without personal data of occupants.
    #[validate(length(max = 2000))]
    #[schema(max_length = 2000)]
    pub note: Option<String>,
}

/// Complaints that led to the inspection (added to those already linked).
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InspectionComplaintsRequest {
    /// Complaints of this municipality.
    #[validate(length(min = 1, max = 50))]
    #[schema(min_items = 1, max_items = 50)]
    pub complaint_ids: Vec<String>,
}

/// Replace the parties found at the inspection (officers): landlord, intermediary, employer by
/// party id, each in the role of its record.
#[utoipa::path(
    tag = "inspections",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Inspection id")),
    request_body = SetInspectionPartiesRequest,
    responses(
        (status = 200, body = InspectionResponse),
        UpdateProblems
    )
)]
#[put("/v1/inspections/{id}/parties")]
pub async fn set_inspection_parties(
    state: web::Data<AppState>,
    auth: Auth<EnforcementOfficer>,
    path: web::Path<String>,
    body: ValidJson<SetInspectionPartiesRequest>,
) -> Result<HttpResponse, AppError> {
    let cmd = inspections::SetParties {
        inspection_id: path.into_inner(),
        parties: body.0.parties.into_iter().map(PartyFoundDto::into_party).collect(),
    };
    let res = write_inspection(&state, &auth, move |tx| inspections::set_parties(tx, cmd)).await?;
    Ok(HttpResponse::Ok().json(res))
}

/// Replace the partner organisations present at the inspection (officers): a joint inspection
/// with e.g. the Nederlandse Arbeidsinspectie or the police. Shown on the inspection; audited.
#[utoipa::path(
    tag = "inspections",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Inspection id")),
    request_body = SetInspectionPartnersRequest,
    responses(
        (status = 200, body = InspectionResponse),
        UpdateProblems
    )
)]
#[put("/v1/inspections/{id}/partners")]
pub async fn set_inspection_partners(
    state: web::Data<AppState>,
    auth: Auth<EnforcementOfficer>,
    path: web::Path<String>,
    body: ValidJson<SetInspectionPartnersRequest>,
) -> Result<HttpResponse, AppError> {
    let cmd = inspections::SetPartners { inspection_id: path.into_inner(), partners: body.0.partners };
    let res = write_inspection(&state, &auth, move |tx| inspections::set_partners(tx, cmd)).await?;
    Ok(HttpResponse::Ok().json(res))
}

/// Record a refused or failed attempt to enter (officers).
#[utoipa::path(
    tag = "inspections",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Inspection id")),
    request_body = EntryAttemptRequest,
    responses(
        (status = 201, body = InspectionResponse),
        UpdateProblems
    )
)]
#[post("/v1/inspections/{id}/entry-attempts")]
pub async fn add_inspection_entry_attempt(
    state: web::Data<AppState>,
    auth: Auth<EnforcementOfficer>,
    path: web::Path<String>,
    body: ValidJson<EntryAttemptRequest>,
) -> Result<HttpResponse, AppError> {
    let req = body.0;
    let mut errs = Vec::new();
    not_in_future(req.attempted_on, state.clock.today_nl(), "/attempted_on", &mut errs);
    let note = req.note.map(|n| n.trim().to_string()).filter(|n| !n.is_empty());
    if req.reason == EntryAttemptReason::NoAccessOther && note.is_none() {
        errs.push(FieldError::new("/note", "is required for no_access_other"));
    }
    if !errs.is_empty() {
        return Err(AppError::Validation(errs));
    }
    let cmd = inspections::AddEntryAttempt {
        inspection_id: path.into_inner(),
        attempted_on: req.attempted_on,
        reason: req.reason,
        note,
    };
    let res = write_inspection(&state, &auth, move |tx| inspections::add_entry_attempt(tx, cmd)).await?;
    Ok(HttpResponse::Created().json(res))
}

/// Link the complaints that led to the inspection (officers); each must be a complaint of the
/// inspection's municipality.
#[utoipa::path(
    tag = "inspections",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Inspection id")),
    request_body = InspectionComplaintsRequest,
    responses(
        (status = 200, body = InspectionResponse),
        UpdateProblems
    )
)]
#[post("/v1/inspections/{id}/complaints")]
pub async fn add_inspection_complaints(
    state: web::Data<AppState>,
    auth: Auth<EnforcementOfficer>,
    path: web::Path<String>,
    body: ValidJson<InspectionComplaintsRequest>,
) -> Result<HttpResponse, AppError> {
    let cmd =
        inspections::AddComplaints { inspection_id: path.into_inner(), complaint_ids: body.0.complaint_ids };
    let res = write_inspection(&state, &auth, move |tx| inspections::add_complaints(tx, cmd)).await?;
    Ok(HttpResponse::Ok().json(res))
}
