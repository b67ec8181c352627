//! Sanctions: start one for a violation of a case, read one, perform a step.

use actix_web::{get, post, web, HttpResponse};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::sanction_requests::StartContext;
use super::{procedure_state, CreateSanctionRequest, Deadline, DisplacementDto, SanctionActionRequest};
use crate::db::convert::from_json_text;
use crate::db::enforcement::SanctionRow;
use crate::domain::code::Code;
use crate::domain::enforcement_policy::EnforcementPolicy;
use crate::domain::roles::Role;
use crate::error::AppError;
use crate::http::auth::{Auth, EnforcementOfficer, EnforcementRead};
use crate::http::extract::ValidJson;
use crate::http::preconditions::{ok_with_etag, IfMatch};
use crate::http::problem::{Problem, ReadProblems};
use crate::http::AppState;
use crate::service::enforcement::sanctions::allowed_actions_for;
use crate::service::{self, enforcement as uc};

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct SanctionResponse {
    pub id: String,
    pub case_id: String,
    pub violation_id: String,
    pub landlord_id: String,
    /// `warning`, `administrative_fine`, `penalty_order`, `administrative_coercion`,
    /// `management_takeover`.
    #[schema(value_type = crate::domain::sanction_lifecycle::SanctionKind)]
    pub kind: String,
    pub rule: String,
    pub violation_date: NaiveDate,
    pub state_name: String,
    /// The procedure's state with its dates.
    #[schema(value_type = Object)]
    pub state: serde_json::Value,
    /// Terms (warning text, penalty order with follow-ups, measures, fine policy data).
    #[schema(value_type = Object)]
    pub terms: serde_json::Value,
    pub allowed_actions: Vec<String>,
    pub deadlines: Vec<Deadline>,
    pub amount_cents: Option<i64>,
    #[schema(value_type = crate::domain::ladder::SanctionStep)]
    pub proposed_step: String,
    pub motivation: Option<String>,
    pub displacement: Option<DisplacementDto>,
    pub created_at: DateTime<Utc>,
}

pub(super) fn sanction_response(
    r: SanctionRow,
    policy: &EnforcementPolicy,
    role: Role,
) -> Result<SanctionResponse, AppError> {
    let allowed_actions = allowed_actions_for(&r, policy, role);
    let (state, deadlines) = procedure_state(r.kind, &r.state)?;
    Ok(SanctionResponse {
        deadlines,
        state,
        terms: from_json_text(&r.terms)?,
        allowed_actions,
        violation_date: r.violation_date,
        displacement: match (r.occupants_displaced, r.replacement_housing_arranged) {
            (Some(n), Some(a)) => Some(DisplacementDto {
                occupants_displaced: u32::try_from(n).unwrap_or(0),
                replacement_housing_arranged: a,
            }),
            _ => None,
        },
        id: r.id,
        case_id: r.case_id,
        violation_id: r.violation_id,
        landlord_id: r.landlord_id,
        kind: r.kind.code().to_string(),
        rule: r.rule,
        state_name: r.state_name,
        amount_cents: r.amount_cents,
        proposed_step: r.proposed_step,
        motivation: r.motivation,
        created_at: r.created_at.and_utc(),
    })
}

/// Start a sanction (officers).
#[utoipa::path(
    tag = "enforcement",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Case id")),
    request_body = CreateSanctionRequest,
    responses(
        (status = 201, body = SanctionResponse),
        ReadProblems,
        (status = 409, description = "Unlawful step (reason given), case closed, or violation already fined (Awb 5:43)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Missing motivation or terms, bad dates, no fine table for the violation date", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/v1/enforcement-cases/{id}/sanctions")]
pub async fn create_sanction(
    state: web::Data<AppState>,
    auth: Auth<EnforcementOfficer>,
    path: web::Path<String>,
    body: ValidJson<CreateSanctionRequest>,
) -> Result<HttpResponse, AppError> {
    let cmd = body.0.into_command(StartContext {
        case_id: path.into_inner(),
        today: state.clock.today_nl(),
        policy: state.config.enforcement_policy.clone(),
        municipality_name: state.config.municipality_name.clone(),
        created_by: auth.id.clone(),
    })?;
    let row =
        service::write(&state.db, auth.ctx(&state.clock), move |tx| uc::start_sanction(tx, cmd)).await?;
    Ok(HttpResponse::Created().json(sanction_response(row, &state.config.enforcement_policy, auth.role)?))
}

/// One sanction (officers, managers).
#[utoipa::path(
    tag = "enforcement",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Sanction id")),
    responses(
        (status = 200, body = SanctionResponse, headers(("ETag" = String, description = "The sanction's version as a strong entity tag (e.g. `\"4\"`); send it as `If-Match` with an action"))),
        ReadProblems
    )
)]
#[get("/v1/sanctions/{id}")]
pub async fn get_sanction(
    state: web::Data<AppState>,
    auth: Auth<EnforcementRead>,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let row = service::read(&state.db, auth.ctx(&state.clock), move |tx| uc::get_sanction(tx, &id)).await?;
    let version = row.version;
    Ok(ok_with_etag(&sanction_response(row, &state.config.enforcement_policy, auth.role)?, version))
}

/// Perform a step of a sanction procedure (officers). The body's `action` names the step; an
/// action the current state does not allow is 409 with `allowed_actions`.
#[utoipa::path(
    tag = "enforcement",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Sanction id"), IfMatch),
    request_body = SanctionActionRequest,
    responses(
        (status = 200, body = SanctionResponse),
        ReadProblems,
        (status = 409, description = "Not allowed in the current state", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Bad dates or amount (e.g. above the cap for the violation date)", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/v1/sanctions/{id}/actions")]
pub async fn sanction_action(
    state: web::Data<AppState>,
    auth: Auth<EnforcementOfficer>,
    path: web::Path<String>,
    if_match: IfMatch,
    body: ValidJson<SanctionActionRequest>,
) -> Result<HttpResponse, AppError> {
    let expected = if_match.on(&path);
    let (action, on) = body.0.parse(state.clock.today_nl())?;
    let cmd = uc::RunAction {
        sanction_id: path.into_inner(),
        action,
        on,
        policy: state.config.enforcement_policy.clone(),
        municipality_name: state.config.municipality_name.clone(),
    };
    let row = service::write(&state.db, auth.ctx(&state.clock).expecting(expected), move |tx| {
        uc::run_action(tx, cmd)
    })
    .await?;
    // A step may put the sanction on the public register or take it off.
    state.sanctions_register_cache.invalidate();
    let version = row.version;
    Ok(ok_with_etag(&sanction_response(row, &state.config.enforcement_policy, auth.role)?, version))
}
