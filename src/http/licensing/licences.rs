//! Licences (verhuurvergunningen): read, suspend, revoke, reinstate. A licence is never
//! deleted; expiry follows from `valid_until`; a licence is not transferable (rules.md §2.7,
//! scenario 11).

use actix_web::{get, post, web, HttpResponse};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use crate::db::licensing::LicenceFilter;
use crate::domain::code::Code;
use crate::domain::licensing::{licence_transfers_on_sale, Voorschrift};
use crate::domain::licensing_codes::{effective_status, Measure};
pub use crate::domain::licensing_codes::{LicenceMeasureGround, LicenceStatus};
use crate::domain::ruleset::LicenceKind;
use crate::error::AppError;
use crate::http::auth::{Auth, Caller, CaseworkReaders, OfficerOnly};
use crate::http::common::{page, page_limit};
use crate::http::enforcement::DisplacementDto;
use crate::http::extract::ValidJson;
use crate::http::licensing::applications::decide::{ConditionDto, RoomLimitDto};
use crate::http::licensing::{read_as, viewer, write_register};
use crate::http::problem::{CaseworkProblems, CreateProblems, ReadProblems};
use crate::http::AppState;
use crate::service::licensing::licences::{self as uc, Displacement, LicenceView, TakeMeasure};
use crate::service::licensing::rules_on;

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct LicenceResponse {
    pub id: String,
    /// Licence number, `{municipality}-{year}-{serial}`.
    pub number: String,
    pub municipality_code: String,
    pub application_id: String,
    /// The holder (not transferable).
    pub landlord_id: String,
    pub property_id: String,
    #[schema(value_type = LicenceKind)]
    pub kind: LicenceKind,
    pub status: LicenceStatus,
    pub valid_from: NaiveDate,
    /// First day the licence is no longer valid; absent = indefinite.
    pub valid_until: Option<NaiveDate>,
    /// Maximum occupants in total.
    pub max_occupants: u32,
    /// Maximum occupants per room.
    pub room_limits: Vec<RoomLimitDto>,
    /// Voorschriften.
    pub conditions: Vec<ConditionDto>,
    /// Always false under the rule set's `licence_transferable` default (niet overdraagbaar).
    pub transferable: bool,
    /// Ground of a suspension or revocation.
    #[schema(value_type = Option<crate::domain::licensing_codes::LicenceMeasureGround>)]
    pub status_ground: Option<String>,
    pub status_motivation: Option<String>,
    /// Recorded with the suspension or revocation: occupants displaced and whether
    /// replacement housing was arranged.
    pub displacement: Option<DisplacementDto>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

pub(crate) fn licence_response(state: &AppState, v: LicenceView) -> Result<LicenceResponse, AppError> {
    let l = v.licence;
    let today = state.clock.today_nl();
    let transferable = licence_transfers_on_sale(rules_on(&state.rules, l.valid_from)?);
    let conditions: Vec<Voorschrift> = serde_json::from_str(&l.conditions)
        .map_err(|e| AppError::internal(anyhow::anyhow!("stored conditions unreadable: {e}")))?;
    Ok(LicenceResponse {
        status: effective_status(l.state, l.valid_until, today),
        kind: l.kind,
        max_occupants: u32::try_from(l.max_occupants).unwrap_or(0),
        room_limits: v
            .room_limits
            .into_iter()
            .map(|r| RoomLimitDto {
                room_label: r.room_label,
                max_occupants: u32::try_from(r.max_occupants).unwrap_or(0),
            })
            .collect(),
        conditions: conditions.into_iter().map(ConditionDto::from).collect(),
        transferable,
        id: l.id,
        number: l.number,
        municipality_code: l.municipality_code,
        application_id: l.application_id,
        landlord_id: l.landlord_id,
        property_id: l.property_id,
        valid_from: l.valid_from,
        valid_until: l.valid_until,
        status_ground: l.state_grounds.map(|g| g.code().to_string()),
        status_motivation: l.state_motivation,
        displacement: match (l.occupants_displaced, l.replacement_housing_arranged) {
            (Some(n), Some(arranged)) => Some(DisplacementDto {
                occupants_displaced: u32::try_from(n).unwrap_or(0),
                replacement_housing_arranged: arranged,
            }),
            _ => None,
        },
        created_at: l.created_at.and_utc(),
        updated_at: l.updated_at.and_utc(),
    })
}

/// One licence (the holder's own; staff: their municipalities).
#[utoipa::path(
    tag = "licences",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Licence id")),
    responses(
        (status = 200, body = LicenceResponse),
        ReadProblems
    )
)]
#[get("/v1/licences/{id}")]
pub async fn get_licence(
    state: web::Data<AppState>,
    auth: Auth<CaseworkReaders>,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let v = read_as(&state, &auth, move |tx, viewer| uc::show(tx, &id, viewer)).await?;
    Ok(HttpResponse::Ok().json(licence_response(&state, v)?))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct LicenceQuery {
    pub property_id: Option<String>,
    /// Staff only: the licences of one landlord.
    pub landlord_id: Option<String>,
    pub cursor: Option<String>,
    /// Page size, 1–200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<i64>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct LicenceListResponse {
    pub items: Vec<LicenceResponse>,
    pub next_cursor: Option<String>,
}

/// Licences: a landlord's own, or those of the officer's municipalities (keyset pages).
#[utoipa::path(
    tag = "licences",
    security(("bearer" = [])),
    params(LicenceQuery),
    responses(
        (status = 200, body = LicenceListResponse),
        CreateProblems
    )
)]
#[get("/v1/licences")]
pub async fn list_licences(
    state: web::Data<AppState>,
    auth: Auth<CaseworkReaders>,
    query: web::Query<LicenceQuery>,
) -> Result<HttpResponse, AppError> {
    let q = query.into_inner();
    let limit = page_limit(q.limit, 50)?;
    let filter = LicenceFilter {
        property_id: q.property_id,
        landlord_id: q.landlord_id,
        after_id: q.cursor,
        limit: limit + 1,
    };
    let mut rows = read_as(&state, &auth, move |tx, viewer| uc::list(tx, viewer, &filter)).await?;
    let next_cursor = page(&mut rows, limit, |v| v.licence.id.clone());
    let items = rows.into_iter().map(|v| licence_response(&state, v)).collect::<Result<_, _>>()?;
    Ok(HttpResponse::Ok().json(LicenceListResponse { items, next_cursor }))
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LicenceMeasureRequest {
    pub ground: LicenceMeasureGround,
    /// Written motivation (Awb 3:46), sent to the holder.
    #[validate(length(min = 1, max = 20000))]
    #[schema(min_length = 1, max_length = 20000)]
    pub motivation: String,
    /// Occupants the measure will displace, and whether replacement housing was arranged
    /// (required: letting must stop).
    pub displacement: Option<DisplacementDto>,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LicenceReinstateRequest {
    /// Why the suspension ends (e.g. the conditions are met again), sent to the holder.
    #[validate(length(min = 1, max = 20000))]
    #[schema(min_length = 1, max_length = 20000)]
    pub motivation: String,
}

async fn measure(
    state: web::Data<AppState>,
    caller: &Caller,
    id: String,
    measure: Measure,
    ground: Option<LicenceMeasureGround>,
    motivation: String,
    displacement: Option<DisplacementDto>,
) -> Result<HttpResponse, AppError> {
    let cmd = TakeMeasure {
        viewer: viewer(caller),
        id,
        measure,
        ground,
        motivation,
        displacement: displacement.map(|d| Displacement {
            occupants_displaced: d.occupants_displaced,
            replacement_housing_arranged: d.replacement_housing_arranged,
        }),
        rules: state.rules.clone(),
    };
    let v = write_register(&state, caller.ctx(&state.clock), move |tx| uc::take_measure(tx, cmd)).await?;
    Ok(HttpResponse::Ok().json(licence_response(&state, v)?))
}

/// Suspend an active licence (officer), with ground and motivation.
#[utoipa::path(
    tag = "licences",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Licence id")),
    request_body = LicenceMeasureRequest,
    responses(
        (status = 200, body = LicenceResponse),
        CaseworkProblems
    )
)]
#[post("/v1/licences/{id}/suspend")]
pub async fn suspend_licence(
    state: web::Data<AppState>,
    auth: Auth<OfficerOnly>,
    path: web::Path<String>,
    body: ValidJson<LicenceMeasureRequest>,
) -> Result<HttpResponse, AppError> {
    let b = body.0;
    measure(state, &auth, path.into_inner(), Measure::Suspend, Some(b.ground), b.motivation, b.displacement)
        .await
}

/// Revoke (intrekken) an active or suspended licence (officer), with ground and motivation.
#[utoipa::path(
    tag = "licences",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Licence id")),
    request_body = LicenceMeasureRequest,
    responses(
        (status = 200, body = LicenceResponse),
        CaseworkProblems
    )
)]
#[post("/v1/licences/{id}/revoke")]
pub async fn revoke_licence(
    state: web::Data<AppState>,
    auth: Auth<OfficerOnly>,
    path: web::Path<String>,
    body: ValidJson<LicenceMeasureRequest>,
) -> Result<HttpResponse, AppError> {
    let b = body.0;
    measure(state, &auth, path.into_inner(), Measure::Revoke, Some(b.ground), b.motivation, b.displacement)
        .await
}

/// Lift a suspension (officer): the licence is in force again, with a motivation sent to the
/// holder.
#[utoipa::path(
    tag = "licences",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Licence id")),
    request_body = LicenceReinstateRequest,
    responses(
        (status = 200, body = LicenceResponse),
        CaseworkProblems
    )
)]
#[post("/v1/licences/{id}/reinstate")]
pub async fn reinstate_licence(
    state: web::Data<AppState>,
    auth: Auth<OfficerOnly>,
    path: web::Path<String>,
    body: ValidJson<LicenceReinstateRequest>,
) -> Result<HttpResponse, AppError> {
    measure(state, &auth, path.into_inner(), Measure::Reinstate, None, body.0.motivation, None).await
}
