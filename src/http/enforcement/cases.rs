//! Enforcement cases and the ladder's next step for a case.

use actix_web::{get, web, HttpResponse};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::sanctions::sanction_response;
use super::violations::violation_response;
use super::ViolationResponse;
use crate::db::enforcement::{CaseFilter, CaseRow};
use crate::domain::code::Code;
use crate::domain::ladder::{SanctionStep, TakeoverGround};
use crate::domain::sanction_lifecycle::CaseStage;
use crate::error::AppError;
use crate::http::auth::{Auth, EnforcementRead};
use crate::http::common::{address_dto, page, page_limit, AddressDto};
use crate::http::problem::{CreateProblems, ReadProblems};
use crate::http::AppState;
use crate::service::{self, enforcement as uc};

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct CaseSummary {
    pub id: String,
    pub municipality_code: String,
    pub landlord_id: String,
    pub address: AddressDto,
    pub property_id: Option<String>,
    pub licence_id: Option<String>,
    /// The landlord is a housing corporation (toegelaten instelling): the ladder refers the
    /// case to the Autoriteit woningcorporaties.
    pub housing_corporation: bool,
    /// `open` or `closed`.
    #[schema(value_type = crate::domain::sanction_lifecycle::CaseStatus)]
    pub status: String,
    /// `investigation`, `warning`, `penalty_order`, `administrative_fine`,
    /// `administrative_coercion`, `management_takeover`, `closed`.
    #[schema(value_type = crate::domain::sanction_lifecycle::CaseStage)]
    pub stage: String,
    pub opened_on: NaiveDate,
    pub closed_on: Option<NaiveDate>,
}

fn case_summary(r: CaseRow) -> Result<CaseSummary, AppError> {
    Ok(CaseSummary {
        address: address_dto(&r.postcode, r.house_number, r.house_number_addition),
        opened_on: r.opened_on,
        closed_on: r.closed_on,
        id: r.id,
        municipality_code: r.municipality_code,
        landlord_id: r.landlord_id,
        property_id: r.property_id,
        licence_id: r.licence_id,
        housing_corporation: r.landlord_kind == crate::domain::ladder::LandlordKind::Woningcorporatie,
        status: r.status.code().to_string(),
        stage: r.stage.code().to_string(),
    })
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct CaseListQuery {
    /// `open` or `closed`.
    #[param(value_type = Option<crate::domain::sanction_lifecycle::CaseStatus>)]
    pub status: Option<String>,
    #[param(value_type = Option<crate::domain::sanction_lifecycle::CaseStage>)]
    pub stage: Option<String>,
    pub landlord_id: Option<String>,
    pub cursor: Option<String>,
    /// 1–200, default 50.
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<i64>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct CaseListResponse {
    pub items: Vec<CaseSummary>,
    pub next_cursor: Option<String>,
}

/// Enforcement cases (one per landlord + address), cursor-paginated.
#[utoipa::path(
    tag = "enforcement",
    security(("bearer" = [])),
    params(CaseListQuery),
    responses(
        (status = 200, body = CaseListResponse),
        CreateProblems
    )
)]
#[get("/v1/enforcement-cases")]
pub async fn list_cases(
    state: web::Data<AppState>,
    auth: Auth<EnforcementRead>,
    query: web::Query<CaseListQuery>,
) -> Result<HttpResponse, AppError> {
    let qy = query.into_inner();
    let limit = page_limit(qy.limit, 50)?;
    if qy.status.as_deref().is_some_and(|s| s != "open" && s != "closed") {
        return Err(AppError::field("#/query/status", "must be open or closed"));
    }
    if qy.stage.as_deref().is_some_and(|s| CaseStage::from_code(s).is_none()) {
        let known: Vec<&str> = CaseStage::ALL.iter().map(|s| s.code()).collect();
        return Err(AppError::field("#/query/stage", format!("must be one of {}", known.join(", "))));
    }
    let filter = CaseFilter {
        status: qy.status,
        stage: qy.stage,
        landlord_id: qy.landlord_id,
        after_id: qy.cursor,
        limit: limit + 1,
    };
    let mut rows =
        service::read(&state.db, auth.ctx(&state.clock), move |tx| uc::list_cases(tx, filter)).await?;
    let next_cursor = page(&mut rows, limit, |r| r.id.clone());
    let items = rows.into_iter().map(case_summary).collect::<Result<Vec<_>, _>>()?;
    Ok(HttpResponse::Ok().json(CaseListResponse { items, next_cursor }))
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct CaseResponse {
    #[serde(flatten)]
    pub case: CaseSummary,
    pub violations: Vec<ViolationResponse>,
    pub sanctions: Vec<super::SanctionResponse>,
}

/// One case with its violations and sanctions.
#[utoipa::path(
    tag = "enforcement",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Case id")),
    responses(
        (status = 200, body = CaseResponse),
        ReadProblems
    )
)]
#[get("/v1/enforcement-cases/{id}")]
pub async fn get_case(
    state: web::Data<AppState>,
    auth: Auth<EnforcementRead>,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let (case, violations, sanctions) =
        service::read(&state.db, auth.ctx(&state.clock), move |tx| uc::get_case(tx, &id)).await?;
    let policy = &state.config.enforcement_policy;
    Ok(HttpResponse::Ok().json(CaseResponse {
        case: case_summary(case)?,
        violations: violations.into_iter().map(violation_response).collect::<Result<Vec<_>, _>>()?,
        sanctions: sanctions
            .into_iter()
            .map(|s| sanction_response(s, policy, auth.role))
            .collect::<Result<Vec<_>, _>>()?,
    }))
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ViolationProposal {
    pub violation_id: String,
    pub rule: String,
    /// The step for this violation; absent when a sanction procedure for it is running.
    #[schema(value_type = Option<SanctionStep>)]
    pub step: Option<SanctionStep>,
    pub reasons: Vec<String>,
    pub legal_basis: Vec<String>,
    #[schema(value_type = Vec<SanctionStep>)]
    pub alternatives_allowed: Vec<SanctionStep>,
    pub publication_possible: bool,
    #[schema(value_type = Vec<TakeoverGround>)]
    pub takeover_grounds: Vec<TakeoverGround>,
    #[schema(value_type = Option<Object>)]
    pub recidive: Option<crate::domain::fines::RecidiveFinding>,
    /// Sanction procedures running for this violation.
    pub running: Vec<String>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct NextStepResponse {
    pub case_id: String,
    /// The lawful next step for the case: the most far-reaching step proposed for its open
    /// violations; absent when nothing is open or every open violation has a running procedure.
    #[schema(value_type = Option<SanctionStep>)]
    pub step: Option<SanctionStep>,
    pub reasons: Vec<String>,
    pub per_violation: Vec<ViolationProposal>,
    pub today: NaiveDate,
}

impl From<uc::ViolationStep> for ViolationProposal {
    fn from(s: uc::ViolationStep) -> Self {
        let uc::ViolationStep { violation: v, proposal, running } = s;
        match proposal {
            Some(p) => ViolationProposal {
                violation_id: v.id,
                rule: v.rule,
                step: Some(p.step),
                reasons: p.reasons,
                legal_basis: p.legal_basis,
                alternatives_allowed: p.alternatives_allowed,
                publication_possible: p.publication_possible,
                takeover_grounds: p.takeover_grounds,
                recidive: p.recidive,
                running,
            },
            None => ViolationProposal {
                violation_id: v.id,
                rule: v.rule,
                step: None,
                reasons: vec![format!("sanction procedure running: {}", running.join(", "))],
                legal_basis: vec![],
                alternatives_allowed: vec![],
                publication_possible: false,
                takeover_grounds: vec![],
                recidive: None,
                running,
            },
        }
    }
}

/// The lawful next step (sanction ladder, `domain::ladder::next_step`) from the case and the
/// landlord's history (all addresses), with reasons and legal basis, per open violation.
#[utoipa::path(
    tag = "enforcement",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Case id")),
    responses(
        (status = 200, body = NextStepResponse),
        ReadProblems
    )
)]
#[get("/v1/enforcement-cases/{id}/next-step")]
pub async fn case_next_step(
    state: web::Data<AppState>,
    auth: Auth<EnforcementRead>,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let policy = state.config.enforcement_policy.clone();
    let n = service::read(&state.db, auth.ctx(&state.clock), move |tx| uc::case_next_step(tx, &id, policy))
        .await?;
    Ok(HttpResponse::Ok().json(NextStepResponse {
        case_id: n.case_id,
        step: n.step,
        reasons: n.reasons,
        per_violation: n.per_violation.into_iter().map(ViolationProposal::from).collect(),
        today: n.today,
    }))
}
