//! The officers' changes to a complaint: state changes, assignment, priority, links, merge and
//! messages. Each answers with the complaint as it now stands.

use actix_web::{post, web, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use super::{officer_change, ComplaintResponse};
use crate::domain::complaints::{ComplaintAction, MessageKind, Priority};
use crate::error::AppError;
use crate::http::auth::{Auth, ComplaintStaff};
use crate::http::extract::ValidJson;
use crate::http::preconditions::IfMatch;
use crate::http::problem::{CaseworkProblems, UpdateProblems};
use crate::http::AppState;
use crate::service::complaints::{assign, link, merge, officer_message, priority, transition};

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TransitionRequest {
    pub action: ComplaintAction,
    /// Why (required; audited). Do not put the reporter's personal data here.
    #[validate(length(min = 1, max = 2000))]
    #[schema(min_length = 1, max_length = 2000)]
    pub reason: String,
}

/// A state change: `received → triaged → investigating → (referred | action_taken |
/// closed_unfounded | closed_no_action)`. Illegal changes answer 409 with the allowed actions.
/// Complaints with exploitation signals cannot leave the open states without a referral decision.
#[utoipa::path(
    tag = "complaints",
    security(("bearer" = [])),
    params(("id" = String, Path), IfMatch),
    request_body = TransitionRequest,
    responses(
        (status = 200, body = ComplaintResponse),
        CaseworkProblems
    )
)]
#[post("/v1/complaints/{id}/transitions")]
pub async fn transition_complaint(
    state: web::Data<AppState>,
    auth: Auth<ComplaintStaff>,
    id: web::Path<String>,
    if_match: IfMatch,
    body: ValidJson<TransitionRequest>,
) -> Result<HttpResponse, AppError> {
    let expected = if_match.on(&id);
    let cmd = transition::Transition {
        complaint_id: id.into_inner(),
        action: body.0.action,
        reason: body.0.reason,
        catalogue: state.config.complaints.catalogue.clone(),
    };
    officer_change(&state, &auth, expected, cmd, transition::transition).await
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AssignRequest {
    /// Account id of an officer or manager of the complaint's municipality; `null` unassigns.
    pub officer_id: Option<String>,
}

/// Assign the complaint to an officer (or unassign it).
#[utoipa::path(
    tag = "complaints",
    security(("bearer" = [])),
    params(("id" = String, Path), IfMatch),
    request_body = AssignRequest,
    responses(
        (status = 200, body = ComplaintResponse),
        UpdateProblems
    )
)]
#[post("/v1/complaints/{id}/assign")]
pub async fn assign_complaint(
    state: web::Data<AppState>,
    auth: Auth<ComplaintStaff>,
    id: web::Path<String>,
    if_match: IfMatch,
    body: ValidJson<AssignRequest>,
) -> Result<HttpResponse, AppError> {
    let expected = if_match.on(&id);
    let cmd = assign::Assign { complaint_id: id.into_inner(), officer_id: body.0.officer_id };
    officer_change(&state, &auth, expected, cmd, assign::assign).await
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PriorityRequest {
    pub priority: Priority,
    #[validate(length(min = 1, max = 2000))]
    #[schema(min_length = 1, max_length = 2000)]
    pub reason: String,
}

/// Set the priority. Unsafe housing and exploitation signals stay urgent.
#[utoipa::path(
    tag = "complaints",
    security(("bearer" = [])),
    params(("id" = String, Path), IfMatch),
    request_body = PriorityRequest,
    responses(
        (status = 200, body = ComplaintResponse),
        UpdateProblems
    )
)]
#[post("/v1/complaints/{id}/priority")]
pub async fn set_complaint_priority(
    state: web::Data<AppState>,
    auth: Auth<ComplaintStaff>,
    id: web::Path<String>,
    if_match: IfMatch,
    body: ValidJson<PriorityRequest>,
) -> Result<HttpResponse, AppError> {
    let expected = if_match.on(&id);
    let cmd = priority::SetPriority {
        complaint_id: id.into_inner(),
        priority: body.0.priority,
        reason: body.0.reason,
        catalogue: state.config.complaints.catalogue.clone(),
    };
    officer_change(&state, &auth, expected, cmd, priority::set_priority).await
}

/// Links to records of other modules (ids as text; those modules validate their own ids, except
/// the enforcement case, which must be one of the complaint's municipality).
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LinksRequest {
    #[validate(length(min = 1, max = 64))]
    #[schema(min_length = 1, max_length = 64)]
    pub property_id: Option<String>,
    #[validate(length(min = 1, max = 64))]
    #[schema(min_length = 1, max_length = 64)]
    pub landlord_id: Option<String>,
    #[validate(length(min = 1, max = 64))]
    #[schema(min_length = 1, max_length = 64)]
    pub licence_id: Option<String>,
    #[validate(length(min = 1, max = 64))]
    #[schema(min_length = 1, max_length = 64)]
    pub enforcement_case_id: Option<String>,
}

/// Link the complaint to a property, landlord, licence and/or enforcement case. Replaces all four
/// links (absent = no link). A linked enforcement case sets the date of retention rule (d) once
/// one of its sanctions is final.
#[utoipa::path(
    tag = "complaints",
    security(("bearer" = [])),
    params(("id" = String, Path), IfMatch),
    request_body = LinksRequest,
    responses(
        (status = 200, body = ComplaintResponse),
        UpdateProblems
    )
)]
#[post("/v1/complaints/{id}/links")]
pub async fn link_complaint(
    state: web::Data<AppState>,
    auth: Auth<ComplaintStaff>,
    id: web::Path<String>,
    if_match: IfMatch,
    body: ValidJson<LinksRequest>,
) -> Result<HttpResponse, AppError> {
    let expected = if_match.on(&id);
    let req = body.0;
    let cmd = link::Link {
        complaint_id: id.into_inner(),
        property_id: req.property_id,
        landlord_id: req.landlord_id,
        licence_id: req.licence_id,
        enforcement_case_id: req.enforcement_case_id,
    };
    officer_change(&state, &auth, expected, cmd, link::link).await
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MergeRequest {
    /// The complaint this one duplicates (the primary).
    #[validate(length(min = 1, max = 64))]
    #[schema(min_length = 1, max_length = 64)]
    pub into: String,
    #[validate(length(min = 1, max = 2000))]
    #[schema(min_length = 1, max_length = 2000)]
    pub reason: String,
}

/// Mark this complaint as a duplicate of another. Its reporter's code keeps working and shows the
/// primary's status; signals and urgency carry over to the primary.
#[utoipa::path(
    tag = "complaints",
    security(("bearer" = [])),
    params(("id" = String, Path), IfMatch),
    request_body = MergeRequest,
    responses(
        (status = 200, description = "The primary complaint", body = ComplaintResponse),
        CaseworkProblems
    )
)]
#[post("/v1/complaints/{id}/merge")]
pub async fn merge_complaint(
    state: web::Data<AppState>,
    auth: Auth<ComplaintStaff>,
    id: web::Path<String>,
    if_match: IfMatch,
    body: ValidJson<MergeRequest>,
) -> Result<HttpResponse, AppError> {
    let expected = if_match.on(&id);
    let req = body.0;
    let dup_id = id.into_inner();
    let cmd = merge::Merge {
        complaint_id: dup_id,
        into: req.into,
        reason: req.reason,
        catalogue: state.config.complaints.catalogue.clone(),
    };
    officer_change(&state, &auth, expected, cmd, merge::merge).await
}

/// Kind of an officer message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum OfficerMessageKind {
    /// To the reporter, visible with the tracking code.
    Message,
    /// A question to the reporter (visible with the code; marks the complaint as awaiting).
    InformationRequest,
    /// Never visible to the reporter.
    InternalNote,
}

impl From<OfficerMessageKind> for MessageKind {
    fn from(k: OfficerMessageKind) -> Self {
        match k {
            OfficerMessageKind::Message => MessageKind::Message,
            OfficerMessageKind::InformationRequest => MessageKind::InformationRequest,
            OfficerMessageKind::InternalNote => MessageKind::InternalNote,
        }
    }
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OfficerMessageRequest {
    pub kind: OfficerMessageKind,
    #[validate(length(min = 1, max = 5000))]
    #[schema(min_length = 1, max_length = 5000)]
    pub text: String,
}

/// A message to the reporter, a request for more information, or an internal note. Messages on a
/// primary complaint reach the reporters of its duplicates as well.
#[utoipa::path(
    tag = "complaints",
    security(("bearer" = [])),
    params(("id" = String, Path), IfMatch),
    request_body = OfficerMessageRequest,
    responses(
        (status = 200, body = ComplaintResponse),
        CaseworkProblems
    )
)]
#[post("/v1/complaints/{id}/messages")]
pub async fn add_officer_message(
    state: web::Data<AppState>,
    auth: Auth<ComplaintStaff>,
    id: web::Path<String>,
    if_match: IfMatch,
    body: ValidJson<OfficerMessageRequest>,
) -> Result<HttpResponse, AppError> {
    let expected = if_match.on(&id);
    let cmd = officer_message::OfficerMessage {
        complaint_id: id.into_inner(),
        kind: body.0.kind.into(),
        text: body.0.text,
        author_account_id: auth.id.clone(),
        catalogue: state.config.complaints.catalogue.clone(),
    };
    officer_change(&state, &auth, expected, cmd, officer_message::officer_message).await
}
