//! Licence applications (vergunningaanvragen, Wgv art. 5): drafts, state changes as verbs
//! (`lifecycle`), the decision (`decide`) and the occupancy assessment (`assessment`).

pub mod assessment;
pub mod decide;
pub mod dto;
pub mod late_decision;
pub mod lifecycle;

use actix_web::{get, patch, post, web, HttpResponse};
use chrono::NaiveDate;
use serde::Deserialize;
use utoipa::IntoParams;

pub use dto::*;

use crate::db::licensing::ApplicationFilter;
use crate::domain::code::Code;
use crate::domain::licensing::ApplicationState;
use crate::error::{AppError, AppResult};
use crate::http::auth::{Auth, Caller, CaseworkReaders, LandlordOnly};
use crate::http::common::{page, page_limit};
use crate::http::extract::ValidJson;
use crate::http::idempotency::{created, respond, IdempotencyKeyHeader, KeyedJson};
use crate::http::licensing::{read_as, viewer};
use crate::http::preconditions::{ok_with_etag, IfMatch};
use crate::http::problem::{CaseworkProblems, CreateProblems, IdempotencyProblems, ReadProblems};
use crate::http::AppState;
use crate::service::idempotency::idempotent;
use crate::service::licensing::applications::{self as uc, CreateApplication, UpdateDraft};
use crate::service::licensing::{rules_on, ApplicationView};
use crate::service::{self, Precondition, Tx};

/// The response for an application (the rule set of its day of receipt, or of today).
pub(crate) fn response_of(
    state: &AppState,
    role: crate::domain::roles::Role,
    v: ApplicationView,
) -> Result<ApplicationResponse, AppError> {
    let today = state.clock.today_nl();
    let rules = rules_on(&state.rules, v.application.submitted_on.unwrap_or(today))?;
    application_response(v, role, today, rules)
}

/// 200 with the application and its `ETag` (its version).
pub(crate) fn ok(
    state: &AppState,
    role: crate::domain::roles::Role,
    v: ApplicationView,
) -> Result<HttpResponse, AppError> {
    let version = v.application.version;
    Ok(ok_with_etag(&response_of(state, role, v)?, version))
}

/// Runs a use case that changes an application (one transaction, under the caller's
/// `If-Match` on it); 200 with the application and its new `ETag`.
pub(crate) async fn write_ok<F>(
    state: &AppState,
    caller: &Caller,
    precondition: Option<Precondition>,
    f: F,
) -> Result<HttpResponse, AppError>
where
    F: FnOnce(&mut Tx<'_>) -> AppResult<ApplicationView> + Send + 'static,
{
    let v = service::write(&state.db, caller.ctx(&state.clock).expecting(precondition), f)
        .await
        .map_err(|e| crate::service::licensing::for_role(e, caller.role))?;
    ok(state, caller.role, v)
}

/// Start a draft application for one of your properties.
#[utoipa::path(
    tag = "licences",
    security(("bearer" = [])),
    params(IdempotencyKeyHeader),
    request_body = CreateApplicationRequest,
    responses(
        (status = 201, body = ApplicationResponse, headers(("Idempotent-Replayed" = String, description = "`true` on the answer to a retry with the same Idempotency-Key and body: the original answer; nothing new was recorded"))),
        CreateProblems,
        IdempotencyProblems
    )
)]
#[post("/v1/licence-applications")]
pub async fn create_application(
    state: web::Data<AppState>,
    auth: Auth<LandlordOnly>,
    body: KeyedJson<CreateApplicationRequest>,
) -> Result<HttpResponse, AppError> {
    let KeyedJson { body: req, idempotency } = body;
    let caller = auth.0;
    let landlord_id = caller
        .landlord_id
        .clone()
        .ok_or_else(|| AppError::Unauthorized("this landlord account has no landlord record".into()))?;
    let cmd = CreateApplication {
        viewer: viewer(&caller),
        landlord_id,
        property_id: req.property_id,
        kind: req.kind,
        monthly_rent_cents: req.monthly_rent_cents,
        planned_occupancy: planned(req.planned_occupancy),
    };
    let (st, role) = (state.clone(), caller.role);
    let outcome = service::write(&state.db, caller.ctx(&state.clock), move |tx| {
        idempotent(tx, idempotency, |tx| created(&response_of(&st, role, uc::create(tx, cmd)?)?))
    })
    .await?;
    Ok(respond(outcome))
}

/// One application (a landlord's own; staff: their municipalities). 404 otherwise.
#[utoipa::path(
    tag = "licences",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Application id")),
    responses(
        (status = 200, body = ApplicationResponse, headers(("ETag" = String, description = "The application's version as a strong entity tag (e.g. `\"4\"`); send it as `If-Match` with a change"))),
        ReadProblems
    )
)]
#[get("/v1/licence-applications/{id}")]
pub async fn get_application(
    state: web::Data<AppState>,
    auth: Auth<CaseworkReaders>,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let v = read_as(&state, &auth, move |tx, viewer| uc::show(tx, &id, viewer)).await?;
    ok(&state, auth.role, v)
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ApplicationQuery {
    /// Filter on status, e.g. `in_review`.
    #[param(value_type = Option<crate::domain::licensing::ApplicationState>)]
    pub status: Option<String>,
    pub property_id: Option<String>,
    /// Only applications whose decision is due before this date (YYYY-MM-DD).
    pub due_before: Option<NaiveDate>,
    /// `true`: only undecided applications past a deadline (their decision date, or the last
    /// day to make known the decision not to consider them), most overdue first.
    pub overdue: Option<bool>,
    pub cursor: Option<String>,
    /// Page size, 1–200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<i64>,
}

/// Applications: a landlord's own, or those of the officer's municipalities (keyset pages).
#[utoipa::path(
    tag = "licences",
    security(("bearer" = [])),
    params(ApplicationQuery),
    responses(
        (status = 200, body = ApplicationListResponse),
        CreateProblems
    )
)]
#[get("/v1/licence-applications")]
pub async fn list_applications(
    state: web::Data<AppState>,
    auth: Auth<CaseworkReaders>,
    query: web::Query<ApplicationQuery>,
) -> Result<HttpResponse, AppError> {
    let q = query.into_inner();
    let limit = page_limit(q.limit, 50)?;
    let wanted = match &q.status {
        None => None,
        Some(s) => Some(
            ApplicationState::from_code(s)
                .ok_or_else(|| AppError::field("#/query/status", "is not a known status"))?,
        ),
    };
    let today = state.clock.today_nl();
    let filter = ApplicationFilter {
        state: wanted,
        property_id: q.property_id,
        due_before: q.due_before,
        overdue_on: q.overdue.filter(|o| *o).map(|_| today),
        after_id: q.cursor,
        limit: limit + 1,
    };
    let overdue = filter.overdue_on.is_some();
    let mut rows = read_as(&state, &auth, move |tx, viewer| uc::list(tx, viewer, &filter)).await?;
    let next_cursor = page(&mut rows, limit, |v| match (overdue, v.application.open_due()) {
        (true, Some(due)) => format!("{due}|{}", v.application.id),
        _ => v.application.id.clone(),
    });
    let items = rows.into_iter().map(|v| response_of(&state, auth.role, v)).collect::<Result<_, _>>()?;
    Ok(HttpResponse::Ok().json(ApplicationListResponse { items, next_cursor }))
}

/// Change a draft (409 once submitted).
#[utoipa::path(
    tag = "licences",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Application id"), IfMatch),
    request_body = UpdateApplicationRequest,
    responses(
        (status = 200, body = ApplicationResponse),
        CaseworkProblems
    )
)]
#[patch("/v1/licence-applications/{id}")]
pub async fn update_application(
    state: web::Data<AppState>,
    auth: Auth<LandlordOnly>,
    path: web::Path<String>,
    if_match: IfMatch,
    body: ValidJson<UpdateApplicationRequest>,
) -> Result<HttpResponse, AppError> {
    let req = body.0;
    let id = path.into_inner();
    let expected = if_match.on(&id);
    let cmd = UpdateDraft {
        viewer: viewer(&auth),
        id,
        kind: req.kind,
        monthly_rent_cents: req.monthly_rent_cents,
        planned_occupancy: req.planned_occupancy.map(planned),
    };
    write_ok(&state, &auth, expected, move |tx| uc::update_draft(tx, cmd)).await
}
