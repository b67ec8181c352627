//! Licences (verhuurvergunningen): read, suspend, revoke. A licence is never deleted; expiry
//! follows from `valid_until`; a licence is not transferable (rules.md §2.7, scenario 11).

use actix_web::{get, post, web, HttpResponse};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use crate::db::audit::{self, Change};
use crate::db::convert::{enum_str, parse_enum};
use crate::db::licensing::{self, Licence, LicenceFilter, LicenceRoomLimit};
use crate::db::properties;
use crate::domain::deadlines::objection_period_end;
use crate::domain::licensing::{licence_transfers_on_sale, Voorschrift};
use crate::domain::ruleset::LicenceKind;
use crate::error::{AppError, FieldError};
use crate::http::applications::{address_line, rules_on, ConditionDto, RoomLimitDto};
use crate::http::auth::{Auth, CaseworkReaders, OfficerOnly};
use crate::http::common::{page, page_limit};
use crate::http::enforcement::DisplacementDto;
use crate::http::extract::ValidJson;
use crate::http::problem::{AuthProblems, ConflictProblem, NotFoundProblem, ValidationProblem};
use crate::http::properties::viewer;
use crate::http::AppState;

/// Effective status: `active`, `suspended`, `revoked`, or `expired` (from `valid_until`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum LicenceStatus {
    Active,
    Suspended,
    Revoked,
    Expired,
}

pub(crate) fn effective_status(l: &Licence, today: NaiveDate) -> LicenceStatus {
    match l.state.as_str() {
        "revoked" => LicenceStatus::Revoked,
        // `valid_until` is the first day the licence is no longer valid.
        _ if l.valid_until.is_some_and(|u| today >= u) => LicenceStatus::Expired,
        "suspended" => LicenceStatus::Suspended,
        _ => LicenceStatus::Active,
    }
}

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
    #[schema(value_type = String)]
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
    pub status_ground: Option<String>,
    pub status_motivation: Option<String>,
    /// Recorded with the suspension or revocation: occupants displaced and whether
    /// replacement housing was arranged.
    pub displacement: Option<DisplacementDto>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

pub(crate) fn licence_response(
    l: Licence,
    limits: Vec<LicenceRoomLimit>,
    today: NaiveDate,
    transferable: bool,
) -> Result<LicenceResponse, AppError> {
    let conditions: Vec<Voorschrift> = serde_json::from_str(&l.conditions)
        .map_err(|e| AppError::internal(anyhow::anyhow!("stored conditions unreadable: {e}")))?;
    Ok(LicenceResponse {
        status: effective_status(&l, today),
        kind: parse_enum(&l.kind)?,
        max_occupants: u32::try_from(l.max_occupants).unwrap_or(0),
        room_limits: limits
            .into_iter()
            .map(|r| RoomLimitDto {
                room_label: r.room_label,
                max_occupants: u32::try_from(r.max_occupants).unwrap_or(0),
            })
            .collect(),
        conditions: conditions.into_iter().map(|v| ConditionDto { kind: v.kind, text: v.text }).collect(),
        transferable,
        id: l.id,
        number: l.number,
        municipality_code: l.municipality_code,
        application_id: l.application_id,
        landlord_id: l.landlord_id,
        property_id: l.property_id,
        valid_from: l.valid_from,
        valid_until: l.valid_until,
        status_ground: l.state_grounds,
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

fn not_found() -> AppError {
    AppError::NotFound("no such licence".into())
}

/// One licence (the holder's own; staff: their municipalities).
#[utoipa::path(
    tag = "licences",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Licence id")),
    responses(
        (status = 200, body = LicenceResponse),
        AuthProblems,
        NotFoundProblem
    )
)]
#[get("/v1/licences/{id}")]
pub async fn get_licence(
    state: web::Data<AppState>,
    auth: Auth<CaseworkReaders>,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let viewer = viewer(&auth)?;
    let (l, limits) = state
        .db
        .read(move |c| {
            let l = licensing::find_licence(c, &id, &viewer)?.ok_or_else(not_found)?;
            let limits = licensing::room_limits(c, &l.id)?;
            Ok((l, limits))
        })
        .await?;
    let today = state.clock.today_nl();
    let transferable = licence_transfers_on_sale(rules_on(&state, l.valid_from)?);
    Ok(HttpResponse::Ok().json(licence_response(l, limits, today, transferable)?))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct LicenceQuery {
    pub property_id: Option<String>,
    /// Staff only: the licences of one landlord.
    pub landlord_id: Option<String>,
    pub cursor: Option<String>,
    /// Page size, 1–200 (default 50).
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
        AuthProblems,
        ValidationProblem
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
    let viewer = viewer(&auth)?;
    let filter = LicenceFilter {
        property_id: q.property_id,
        landlord_id: q.landlord_id,
        after_id: q.cursor,
        limit: limit + 1,
    };
    let (mut rows, limits) = state
        .db
        .read(move |c| {
            let rows = licensing::list_licences(c, &viewer, &filter)?;
            let ids: Vec<String> = rows.iter().map(|l| l.id.clone()).collect();
            let limits = licensing::room_limits_of(c, &ids)?;
            Ok((rows, limits))
        })
        .await?;
    let next_cursor = page(&mut rows, limit, |r| r.id.clone());
    let today = state.clock.today_nl();
    let mut by: std::collections::HashMap<String, Vec<LicenceRoomLimit>> = std::collections::HashMap::new();
    for r in limits {
        by.entry(r.licence_id.clone()).or_default().push(r);
    }
    let mut items = Vec::with_capacity(rows.len());
    for l in rows {
        let transferable = licence_transfers_on_sale(rules_on(&state, l.valid_from)?);
        let lim = by.remove(&l.id).unwrap_or_default();
        items.push(licence_response(l, lim, today, transferable)?);
    }
    Ok(HttpResponse::Ok().json(LicenceListResponse { items, next_cursor }))
}

/// Ground of a suspension or revocation.
// NOTE: the Wgv grounds for intrekking are UNCONFIRMED (rules.md §2.6; MvT §4.6) and a
// statutory basis for schorsing was not found; Wet Bibob art. 3 allows withdrawal. Jurist to
// confirm this list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum LicenceMeasureGround {
    /// Licence conditions (voorschriften) are not complied with.
    ConditionsViolated,
    /// The general rules of goed verhuurderschap (Wgv art. 2) are violated.
    GeneralRulesViolated,
    /// The licence was granted on incorrect or incomplete information.
    IncorrectInformation,
    /// Serious danger, Wet Bibob art. 3 (zienswijze first, art. 33).
    BibobSeriousDanger,
    Other,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LicenceMeasureRequest {
    pub ground: LicenceMeasureGround,
    /// Written motivation (Awb 3:46), sent to the holder.
    #[validate(length(min = 1, max = 20000))]
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
    pub motivation: String,
}

/// What an officer does to a licence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Measure {
    Suspend,
    Revoke,
    Reinstate,
}

impl Measure {
    fn verb(self) -> &'static str {
        match self {
            Measure::Suspend => "suspend",
            Measure::Revoke => "revoke",
            Measure::Reinstate => "reinstate",
        }
    }

    /// The stored state afterwards.
    fn to(self) -> &'static str {
        match self {
            Measure::Suspend => "suspended",
            Measure::Revoke => "revoked",
            Measure::Reinstate => "active",
        }
    }

    /// Words for the holder's letter (nl, en).
    fn words(self) -> (&'static str, &'static str) {
        match self {
            Measure::Suspend => ("geschorst", "suspended"),
            Measure::Revoke => ("ingetrokken", "revoked"),
            Measure::Reinstate => ("weer van kracht (schorsing opgeheven)", "reinstated (suspension lifted)"),
        }
    }
}

async fn measure(
    state: web::Data<AppState>,
    caller: crate::http::auth::Caller,
    id: String,
    ground: Option<LicenceMeasureGround>,
    motivation: String,
    displacement: Option<DisplacementDto>,
    m: Measure,
) -> Result<HttpResponse, AppError> {
    let mut errs = Vec::new();
    if motivation.trim().is_empty() {
        errs.push(FieldError::new("/motivation", "must not be blank"));
    }
    if m != Measure::Reinstate && displacement.is_none() {
        errs.push(FieldError::new(
            "/displacement",
            "is required: record how many occupants must leave and whether replacement housing was arranged",
        ));
    }
    if !errs.is_empty() {
        return Err(AppError::Validation(errs));
    }
    let viewer = viewer(&caller)?;
    let now = state.clock.now_naive();
    let today = state.clock.today_nl();
    let actor = caller.actor();
    let st = state.clone();
    let (l, limits) = state
        .db
        .write(move |c| {
            let mut l = licensing::find_licence(c, &id, &viewer)?.ok_or_else(not_found)?;
            let status = effective_status(&l, today);
            let allowed: &[&str] = match status {
                LicenceStatus::Active => &["suspend", "revoke"],
                LicenceStatus::Suspended => &["reinstate", "revoke"],
                LicenceStatus::Revoked | LicenceStatus::Expired => &[],
            };
            let verb = m.verb();
            if !allowed.contains(&verb) {
                return Err(AppError::Conflict {
                    detail: format!("a licence that is {} cannot be {}", enum_str(status), m.to()),
                    allowed_actions: Some(allowed.iter().map(|s| (*s).to_string()).collect()),
                });
            }
            let before = l.state.clone();
            l.state = m.to().to_string();
            l.state_grounds = ground.map(enum_str);
            l.state_motivation = Some(motivation.trim().to_string());
            l.occupants_displaced =
                displacement.map(|d| i32::try_from(d.occupants_displaced).unwrap_or(i32::MAX));
            l.replacement_housing_arranged = displacement.map(|d| d.replacement_housing_arranged);
            l.updated_at = now;
            licensing::update_licence(c, &l, &before)?;
            audit::record(
                c,
                now,
                &actor,
                Change {
                    municipality_code: Some(&l.municipality_code),
                    entity_type: "licence",
                    entity_id: &l.id,
                    action: verb,
                    before: Some(serde_json::json!({"state": before})),
                    after: Some(serde_json::json!({"state": l.state, "ground": l.state_grounds,
                        "occupants_displaced": l.occupants_displaced,
                        "replacement_housing_arranged": l.replacement_housing_arranged})),
                    reason: None,
                },
            )?;
            let rules = rules_on(&st, today)?;
            let objection_end = objection_period_end(today, rules.objection_weeks, &rules.calendar());
            let addr = properties::find(c, &l.property_id)?.map(|p| address_line(&p)).unwrap_or_default();
            let (nl, en) = m.words();
            let objection = if m == Measure::Reinstate {
                String::new()
            } else {
                format!("Bezwaar maken kan tot en met {objection_end} (Awb 6:7).\n")
            };
            let objection_en = if m == Measure::Reinstate {
                String::new()
            } else {
                format!(" You may object until {objection_end}.")
            };
            let body = format!(
                "Besluit: uw verhuurvergunning {num} voor {addr} is {nl}.\nMotivering: {motivation}\n\
                 {objection}\n\
                 Decision: your rental licence {num} for {addr} has been {en}.{objection_en}",
                num = l.number,
                motivation = motivation.trim(),
            );
            let app = licensing::find_application(
                c,
                &l.application_id,
                &crate::db::properties::Viewer::Staff(crate::db::scope::Scope::all()),
            )?;
            if let Some(app) = app {
                let subject = match m {
                    Measure::Reinstate => {
                        "Besluit: schorsing verhuurvergunning opgeheven / Licence reinstated".to_string()
                    }
                    _ => format!("Besluit: verhuurvergunning {nl} / Licence {en}"),
                };
                crate::http::applications::notify_landlord(c, now, &app, &subject, &body)?;
            }
            let limits = licensing::room_limits(c, &l.id)?;
            Ok((l, limits))
        })
        .await?;
    state.register_cache.invalidate();
    let transferable = licence_transfers_on_sale(rules_on(&state, l.valid_from)?);
    Ok(HttpResponse::Ok().json(licence_response(l, limits, today, transferable)?))
}

/// Suspend an active licence (officer), with ground and motivation.
#[utoipa::path(
    tag = "licences",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Licence id")),
    request_body = LicenceMeasureRequest,
    responses(
        (status = 200, body = LicenceResponse),
        AuthProblems,
        NotFoundProblem,
        ConflictProblem,
        ValidationProblem
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
    measure(state, auth.0, path.into_inner(), Some(b.ground), b.motivation, b.displacement, Measure::Suspend)
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
        AuthProblems,
        NotFoundProblem,
        ConflictProblem,
        ValidationProblem
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
    measure(state, auth.0, path.into_inner(), Some(b.ground), b.motivation, b.displacement, Measure::Revoke)
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
        AuthProblems,
        NotFoundProblem,
        ConflictProblem,
        ValidationProblem
    )
)]
#[post("/v1/licences/{id}/reinstate")]
pub async fn reinstate_licence(
    state: web::Data<AppState>,
    auth: Auth<OfficerOnly>,
    path: web::Path<String>,
    body: ValidJson<LicenceReinstateRequest>,
) -> Result<HttpResponse, AppError> {
    measure(state, auth.0, path.into_inner(), None, body.0.motivation, None, Measure::Reinstate).await
}
