//! Registration signals for burgerzaken: the queue, one signal, and its two steps. Burgerzaken
//! (role `civil_affairs`) works the queue; officers and managers may read it. Signals are made
//! by inspections that find unregistered occupants (`service::registration_signals`), never
//! through these routes.

use actix_web::{get, post, web, HttpResponse};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use crate::db::registration_signals::{QueueCursor, QueueFilter, RegistrationSignal};
use crate::domain::registration::{self as rules, RegistrationOutcome, RegistrationStatus, Step};
use crate::domain::roles::Role;
use crate::error::{AppError, FieldError};
use crate::http::auth::{Auth, CivilAffairsOnly, RegistrationSignalReaders};
use crate::http::common::{address_dto, page, page_limit, parse_date, AddressDto};
use crate::http::extract::ValidJson;
use crate::http::problem::{CaseworkProblems, CreateProblems, ReadProblems};
use crate::http::AppState;
use crate::service;
use crate::service::registration_signals as signals;

/// A registration signal: occupants found at an inspection who are not registered at the
/// address in the BRP. No names: the address, the number of persons, the dates and the
/// inspection.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct RegistrationSignalResponse {
    pub id: String,
    pub municipality_code: String,
    /// The inspection that found the occupants.
    pub inspection_id: String,
    pub address: AddressDto,
    /// How many occupants were found not registered at the address.
    pub persons: i32,
    /// The day of the inspection.
    pub found_on: NaiveDate,
    pub status: RegistrationStatus,
    /// Set once concluded.
    pub outcome: Option<RegistrationOutcome>,
    pub investigation_started_on: Option<NaiveDate>,
    pub concluded_on: Option<NaiveDate>,
    /// Steps the caller may take now (`start-investigation`, `conclude`); empty for readers.
    #[schema(value_type = Vec<crate::http::schema::RegistrationSignalVerb>)]
    pub allowed_actions: Vec<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl RegistrationSignalResponse {
    fn of(s: RegistrationSignal, role: Role) -> Self {
        let allowed_actions = if role == Role::CivilAffairs {
            rules::allowed_actions(s.status).into_iter().map(|a| a.verb().to_string()).collect()
        } else {
            Vec::new()
        };
        RegistrationSignalResponse {
            address: address_dto(&s.postcode, s.house_number, s.house_number_addition),
            id: s.id,
            municipality_code: s.municipality_code,
            inspection_id: s.inspection_id,
            persons: s.persons,
            found_on: s.found_on,
            status: s.status,
            outcome: s.outcome,
            investigation_started_on: s.investigation_started_on,
            concluded_on: s.concluded_on,
            allowed_actions,
            created_at: s.created_at.and_utc(),
            updated_at: s.updated_at.and_utc(),
        }
    }
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct RegistrationSignalListResponse {
    pub items: Vec<RegistrationSignalResponse>,
    /// Absent on the last page.
    pub next_cursor: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct RegistrationSignalQuery {
    pub status: Option<RegistrationStatus>,
    /// Opaque cursor from `next_cursor`.
    pub cursor: Option<String>,
    /// 1–200, default 50.
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<i64>,
}

fn encode_cursor(s: &RegistrationSignal) -> String {
    format!("{}~{}", s.found_on, s.id)
}

fn decode_cursor(raw: &str) -> Option<QueueCursor> {
    let (day, id) = raw.split_once('~')?;
    Some(QueueCursor { found_on: day.parse().ok()?, id: id.to_string() })
}

/// The queue of registration signals of the caller's municipalities, oldest first (by the day
/// of the inspection); filter by `status`, cursor pagination.
#[utoipa::path(
    tag = "registration-signals",
    security(("bearer" = [])),
    params(RegistrationSignalQuery),
    responses(
        (status = 200, body = RegistrationSignalListResponse),
        CreateProblems
    )
)]
#[get("/v1/registration-signals")]
pub async fn list_registration_signals(
    state: web::Data<AppState>,
    auth: Auth<RegistrationSignalReaders>,
    query: web::Query<RegistrationSignalQuery>,
) -> Result<HttpResponse, AppError> {
    let q = query.into_inner();
    let limit = page_limit(q.limit, 50)?;
    let after = match q.cursor.as_deref() {
        None => None,
        Some(c) => {
            Some(decode_cursor(c).ok_or_else(|| AppError::field("#/query/cursor", "is not a valid cursor"))?)
        }
    };
    let filter = QueueFilter { status: q.status, after, limit: limit + 1 };
    let mut rows =
        service::read(&state.db, auth.ctx(&state.clock), move |tx| signals::list(tx, &filter)).await?;
    let next_cursor = page(&mut rows, limit, encode_cursor);
    let items = rows.into_iter().map(|s| RegistrationSignalResponse::of(s, auth.role)).collect();
    Ok(HttpResponse::Ok().json(RegistrationSignalListResponse { items, next_cursor }))
}

/// One registration signal of the caller's municipalities.
#[utoipa::path(
    tag = "registration-signals",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Registration signal id")),
    responses(
        (status = 200, body = RegistrationSignalResponse),
        ReadProblems
    )
)]
#[get("/v1/registration-signals/{id}")]
pub async fn get_registration_signal(
    state: web::Data<AppState>,
    auth: Auth<RegistrationSignalReaders>,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let s = service::read(&state.db, auth.ctx(&state.clock), move |tx| signals::get(tx, &id)).await?;
    Ok(HttpResponse::Ok().json(RegistrationSignalResponse::of(s, auth.role)))
}

/// Starting the address investigation.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StartInvestigationRequest {
    /// The day the investigation started (YYYY-MM-DD): not in the future, not before `found_on`.
    #[schema(example = "2026-11-20")]
    pub started_on: String,
}

/// Concluding a signal.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConcludeRegistrationSignalRequest {
    /// What was found. An open signal may be concluded directly only as `registered` or
    /// `not_found`; `deregistered` and `moved` follow an address investigation.
    pub outcome: RegistrationOutcome,
    /// The day (YYYY-MM-DD): not in the future, not before the investigation started (or
    /// `found_on` when there was none).
    #[schema(example = "2026-11-25")]
    pub concluded_on: String,
}

/// Runs a step for burgerzaken and answers with the signal as it now stands.
async fn step(
    state: &AppState,
    auth: &Auth<CivilAffairsOnly>,
    id: String,
    step: Step,
) -> Result<HttpResponse, AppError> {
    let s = service::write(&state.db, auth.ctx(&state.clock), move |tx| signals::take_step(tx, &id, step))
        .await?;
    Ok(HttpResponse::Ok().json(RegistrationSignalResponse::of(s, auth.role)))
}

/// A date of a step's body, or the 422 naming it.
fn body_date(raw: &str, pointer: &str) -> Result<NaiveDate, AppError> {
    let mut errs: Vec<FieldError> = Vec::new();
    parse_date(raw, pointer, &mut errs).ok_or(AppError::Validation(errs))
}

/// Start the address investigation of an open signal (burgerzaken).
#[utoipa::path(
    tag = "registration-signals",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Registration signal id")),
    request_body = StartInvestigationRequest,
    responses(
        (status = 200, body = RegistrationSignalResponse),
        CaseworkProblems
    )
)]
#[post("/v1/registration-signals/{id}/start-investigation")]
pub async fn start_registration_investigation(
    state: web::Data<AppState>,
    auth: Auth<CivilAffairsOnly>,
    id: web::Path<String>,
    body: ValidJson<StartInvestigationRequest>,
) -> Result<HttpResponse, AppError> {
    let started_on = body_date(&body.0.started_on, "/started_on")?;
    step(&state, &auth, id.into_inner(), Step::StartInvestigation { started_on }).await
}

/// Conclude a signal with its outcome (burgerzaken): after the address investigation, or
/// directly from `open` as `registered` or `not_found`.
#[utoipa::path(
    tag = "registration-signals",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Registration signal id")),
    request_body = ConcludeRegistrationSignalRequest,
    responses(
        (status = 200, body = RegistrationSignalResponse),
        CaseworkProblems
    )
)]
#[post("/v1/registration-signals/{id}/conclude")]
pub async fn conclude_registration_signal(
    state: web::Data<AppState>,
    auth: Auth<CivilAffairsOnly>,
    id: web::Path<String>,
    body: ValidJson<ConcludeRegistrationSignalRequest>,
) -> Result<HttpResponse, AppError> {
    let req = body.0;
    let concluded_on = body_date(&req.concluded_on, "/concluded_on")?;
    step(&state, &auth, id.into_inner(), Step::Conclude { outcome: req.outcome, concluded_on }).await
}
