//! Retention: the facts the deletion rules depend on, and running the retention job now.

use actix_web::{post, web, HttpResponse};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use super::{officer_change, ComplaintResponse};
use crate::error::AppError;
use crate::http::auth::{AdminOnly, Auth, ComplaintStaff};
use crate::http::extract::ValidJson;
use crate::http::preconditions::IfMatch;
use crate::http::problem::{AuthProblems, CaseworkProblems};
use crate::http::AppState;
use crate::service::complaints::retention::{set_retention, SetRetention};

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RetentionRequest {
    /// Keep the reporter's data for dossieropbouw (at most 4 years after the report, MP-08).
    pub case_building: bool,
    /// Date the enforcement decision resulting from this complaint became final
    /// (onherroepelijk), MP-08 (d). Only for a complaint without a linked enforcement case: a
    /// linked one takes the date from the case's sanctions (leave it out, or 409).
    pub enforcement_final_on: Option<NaiveDate>,
    #[validate(length(min = 1, max = 2000))]
    #[schema(min_length = 1, max_length = 2000)]
    pub reason: String,
}

/// Set the facts the deletion rules depend on: kept for case building, and the date the
/// enforcement decision became final (by hand only without a linked enforcement case). Answers
/// with the recomputed deletion date.
#[utoipa::path(
    tag = "complaints",
    security(("bearer" = [])),
    params(("id" = String, Path), IfMatch),
    request_body = RetentionRequest,
    responses(
        (status = 200, body = ComplaintResponse),
        CaseworkProblems
    )
)]
#[post("/v1/complaints/{id}/retention")]
pub async fn set_complaint_retention(
    state: web::Data<AppState>,
    auth: Auth<ComplaintStaff>,
    id: web::Path<String>,
    if_match: IfMatch,
    body: ValidJson<RetentionRequest>,
) -> Result<HttpResponse, AppError> {
    let expected = if_match.on(&id);
    let req = body.0;
    let cmd = SetRetention {
        complaint_id: id.into_inner(),
        case_building: req.case_building,
        enforcement_final_on: req.enforcement_final_on,
        reason: req.reason,
    };
    officer_change(&state, &auth, expected, cmd, set_retention).await
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct RetentionRunResponse {
    /// Complaints whose personal data, free text and attachments were deleted in this run.
    pub erased: usize,
    /// The Dutch calendar date the rules were applied for.
    pub applied_on: NaiveDate,
}

/// Run the meldpunt retention job now (it also runs periodically inside the server). Admin only.
#[utoipa::path(
    tag = "complaints",
    security(("bearer" = [])),
    responses(
        (status = 200, body = RetentionRunResponse),
        AuthProblems
    )
)]
#[post("/v1/jobs/retention/run")]
pub async fn run_retention_job(
    state: web::Data<AppState>,
    _auth: Auth<AdminOnly>,
) -> Result<HttpResponse, AppError> {
    let folders = crate::jobs::retention::Folders {
        attachments: state.config.complaints.attachment_dir.clone(),
        mail: state.config.mail.dir.clone(),
    };
    let erased = crate::jobs::retention::run_once(&state.db, &state.clock, &folders).await?;
    Ok(HttpResponse::Ok().json(RetentionRunResponse { erased, applied_on: state.clock.today_nl() }))
}
