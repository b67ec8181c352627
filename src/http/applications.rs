//! Licence applications (vergunningaanvragen, Wgv art. 5): drafts, state changes as verbs, the
//! decision clock (Awb 4:13–4:15, Wet Bibob art. 31, Atw), the occupancy assessment, and the
//! decision that creates the licence. Every state change is audited and notifies the landlord
//! through the outbox in the same transaction.

use actix_web::{get, patch, post, web, HttpResponse};
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use crate::db::audit::{self, Actor, Change};
use crate::db::convert::{enum_str, parse_enum};
use crate::db::licensing::{self, Application, ApplicationFilter, Licence, LicenceRoomLimit, OccupancyRow};
use crate::db::outbox::{self, NewEmail};
use crate::db::properties::{self, Property, PropertyRoom, Viewer};
use crate::db::DbConnection;
use crate::domain::deadlines::{objection_period_end, DecisionClock, ExtensionError, Suspension};
use crate::domain::licensing::{
    self as lic, Action, ActionKind, ApplicationState, BibobCheck, BibobOutcome, BibobStatus, DecisionBlock,
    DecisionContext, DecisionOutcome, DecisionRequest, RefusalGround, ScreeningFlags, ScreeningInput,
    Voorschrift, VoorschriftKind,
};
use crate::domain::occupancy::{self, Facilities, PropertyDescription, Room};
use crate::domain::roles::Role;
use crate::domain::ruleset::{AddressQuery, LicenceKind, RuleSet};
use crate::error::{AppError, FieldError};
use crate::http::auth::{Auth, Caller, CaseworkReaders, LandlordOnly, OfficerOnly};
use crate::http::common::page_limit;
use crate::http::extract::ValidJson;
use crate::http::problem::{AuthProblems, ConflictProblem, NotFoundProblem, Problem, ValidationProblem};
use crate::http::properties::{display_postcode, to_m2, viewer};
use crate::http::AppState;

// ----- small conversions ----------------------------------------------------------------------

/// Route verb of an action (`request-information`), as named in 409 `allowed_actions`.
fn verb(k: ActionKind) -> String {
    enum_str(k).replace('_', "-")
}

fn conflict(detail: impl Into<String>, allowed: &[ActionKind]) -> AppError {
    AppError::Conflict {
        detail: detail.into(),
        allowed_actions: Some(allowed.iter().map(|k| verb(*k)).collect()),
    }
}

/// The next state for `action`, or a 409 naming the allowed actions.
fn next_state(app: &Application, action: Action) -> Result<ApplicationState, AppError> {
    let state: ApplicationState = parse_enum(&app.state)?;
    lic::transition(state, action).map_err(|e| {
        conflict(
            format!("{} is not possible for an application that is {}", verb(e.action), app.state),
            &e.allowed,
        )
    })
}

pub(crate) fn rules_on(state: &AppState, date: NaiveDate) -> Result<&RuleSet, AppError> {
    state
        .rules
        .in_force_or_first(date)
        .ok_or_else(|| AppError::internal(anyhow::anyhow!("the rule set has no versions")))
}

fn clock_of(app: &Application) -> Result<Option<DecisionClock>, AppError> {
    match &app.decision_clock {
        None => Ok(None),
        Some(s) => serde_json::from_str(s)
            .map(Some)
            .map_err(|e| AppError::internal(anyhow::anyhow!("stored decision clock unreadable: {e}"))),
    }
}

/// The due date to store: final once every suspension has ended; while one is open, the latest
/// date it can become (the suspension running to its cap: the hersteltermijn, or the Bibob
/// maximum of Wet Bibob art. 31). Suspensions without a cap count up to today.
pub(crate) fn latest_due(clock: &DecisionClock, rules: &RuleSet, today: NaiveDate) -> NaiveDate {
    let cal = rules.calendar();
    if let Some(d) = clock.due_date(&cal) {
        return d;
    }
    let capped =
        clock.suspensions.iter().all(|s| !matches!(s, Suspension::ApplicantDelay { until: None, .. }));
    // Far enough for every cap (≤ 12 weeks + LBB suspension days), without overflowing.
    let horizon = today.checked_add_days(chrono::Days::new(3660)).unwrap_or(today);
    clock.due_date_on(if capped { horizon } else { today }, &cal)
}

/// Stores the clock and recomputes `decision_due_on` (see [`latest_due`]).
fn store_clock(
    app: &mut Application,
    clock: &DecisionClock,
    rules: &RuleSet,
    today: NaiveDate,
) -> Result<(), AppError> {
    app.decision_due_on = Some(latest_due(clock, rules, today));
    app.decision_clock = Some(serde_json::to_string(clock).map_err(AppError::internal)?);
    Ok(())
}

fn require_clock(app: &Application) -> Result<DecisionClock, AppError> {
    clock_of(app)?.ok_or_else(|| AppError::internal(anyhow::anyhow!("submitted application without a clock")))
}

// ----- DTOs -----------------------------------------------------------------------------------

/// Persons planned to sleep in a room of the property.
#[derive(Debug, Clone, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OccupancyDto {
    /// Label of a room of the property.
    #[validate(length(min = 1, max = 50))]
    pub room_label: String,
    #[validate(range(max = 100))]
    pub persons: u32,
    /// The persons are partners who asked to share the room (partner exception).
    #[serde(default)]
    pub partners: bool,
}

/// Start a draft application.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateApplicationRequest {
    pub property_id: String,
    /// `general` (Wgv art. 5 lid 1 a) or `labour_migrant` (art. 5 lid 1 b).
    #[schema(value_type = String, example = "labour_migrant")]
    pub kind: LicenceKind,
    /// Kale huur per month in euro cents.
    #[validate(range(min = 0, max = 100_000_000))]
    pub monthly_rent_cents: Option<i64>,
    #[serde(default)]
    #[validate(length(max = 200), nested)]
    pub planned_occupancy: Vec<OccupancyDto>,
}

/// Change a draft: only the fields sent change.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateApplicationRequest {
    #[schema(value_type = Option<String>)]
    pub kind: Option<LicenceKind>,
    #[validate(range(min = 0, max = 100_000_000))]
    pub monthly_rent_cents: Option<i64>,
    #[validate(length(max = 200), nested)]
    pub planned_occupancy: Option<Vec<OccupancyDto>>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct InformationRequestDto {
    /// What is missing.
    pub what: String,
    /// The term to supply it (hersteltermijn, Awb 4:5).
    pub respond_by: NaiveDate,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ExtensionDto {
    pub notified_on: NaiveDate,
    pub weeks: u32,
    pub reason: Option<String>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct DecisionDto {
    /// `granted`, `granted_with_conditions`, `refused` or `not_considered`.
    pub outcome: String,
    pub decided_on: Option<NaiveDate>,
    /// Refusal grounds (`missing_permit`, `prior_enforcement8y`, `beheer`, `bibob_serious_danger`).
    pub refusal_grounds: Vec<String>,
    pub motivation: Option<String>,
    /// Last day to lodge an objection (bezwaar, Awb 6:7/6:8 with the Atw).
    pub objection_period_ends_on: Option<NaiveDate>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ApplicationResponse {
    pub id: String,
    pub municipality_code: String,
    pub landlord_id: String,
    pub property_id: String,
    #[schema(value_type = String)]
    pub kind: LicenceKind,
    /// `draft`, `submitted`, `incomplete`, `in_review`, `granted`, `granted_with_conditions`,
    /// `refused`, `withdrawn` or `not_considered`.
    #[schema(value_type = String)]
    pub state: ApplicationState,
    pub monthly_rent_cents: Option<i64>,
    pub planned_occupancy: Vec<OccupancyDto>,
    /// Day of receipt (Awb 4:13).
    pub submitted_on: Option<NaiveDate>,
    /// Statutory decision date, after suspensions and the extension, rolled forward per the
    /// Algemene termijnenwet.
    pub decision_due_on: Option<NaiveDate>,
    /// The decision term is suspended today (missing information, Bibob advice).
    pub suspended: bool,
    /// Undecided and past its due date.
    pub overdue: bool,
    pub information_request: Option<InformationRequestDto>,
    pub extension: Option<ExtensionDto>,
    /// Staff only: an integrity check is under way (never its content or outcome).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bibob_pending: Option<bool>,
    pub decision: Option<DecisionDto>,
    pub licence_id: Option<String>,
    /// Verbs allowed now (`submit`, `request-information`, …).
    pub allowed_actions: Vec<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ApplicationListResponse {
    pub items: Vec<ApplicationResponse>,
    pub next_cursor: Option<String>,
}

pub(crate) fn application_response(
    app: Application,
    occ: Vec<OccupancyRow>,
    licence_id: Option<String>,
    caller_role: Role,
    today: NaiveDate,
    rules: &RuleSet,
) -> Result<ApplicationResponse, AppError> {
    let state: ApplicationState = parse_enum(&app.state)?;
    let clock = clock_of(&app)?;
    let cal = rules.calendar();
    let open = licensing::OPEN_STATES.contains(&app.state.as_str());
    let suspended = open && clock.as_ref().is_some_and(|c| c.is_suspended(today));
    let overdue = open && clock.as_ref().is_some_and(|c| c.is_overdue(today, &cal));
    let extension = clock.as_ref().and_then(|c| c.extension.clone()).map(|e| ExtensionDto {
        notified_on: e.notified_on,
        weeks: e.weeks,
        reason: app.extension_reason.clone(),
    });
    let information_request = match (state, &app.information_requested, app.information_respond_by) {
        (ApplicationState::Incomplete, Some(what), Some(by)) => {
            Some(InformationRequestDto { what: what.clone(), respond_by: by })
        }
        _ => None,
    };
    let decision = app.decision_outcome.clone().map(|outcome| DecisionDto {
        outcome,
        decided_on: app.decided_on,
        refusal_grounds: app
            .refusal_grounds
            .as_deref()
            .and_then(|g| serde_json::from_str(g).ok())
            .unwrap_or_default(),
        motivation: app.motivation.clone(),
        objection_period_ends_on: app.objection_period_ends_on,
    });
    let staff = matches!(caller_role, Role::Officer | Role::BibobOfficer | Role::Manager | Role::Admin);
    Ok(ApplicationResponse {
        kind: parse_enum(&app.kind)?,
        state,
        planned_occupancy: occ
            .into_iter()
            .map(|o| OccupancyDto {
                room_label: o.room_label,
                persons: u32::try_from(o.persons).unwrap_or(0),
                partners: o.partners,
            })
            .collect(),
        decision_due_on: if open || state.is_decided() { app.decision_due_on } else { None },
        suspended,
        overdue,
        information_request,
        extension,
        bibob_pending: staff.then_some(app.bibob_pending),
        decision,
        licence_id,
        allowed_actions: lic::allowed_actions(state).into_iter().map(verb).collect(),
        id: app.id,
        municipality_code: app.municipality_code,
        landlord_id: app.landlord_id,
        property_id: app.property_id,
        monthly_rent_cents: app.monthly_rent_cents,
        submitted_on: app.submitted_on,
        created_at: app.created_at.and_utc(),
        updated_at: app.updated_at.and_utc(),
    })
}

fn occupancy_rows(
    application_id: &str,
    dto: &[OccupancyDto],
    rooms: &[PropertyRoom],
    errs: &mut Vec<FieldError>,
) -> Vec<OccupancyRow> {
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::new();
    for (i, o) in dto.iter().enumerate() {
        let label = o.room_label.trim();
        match rooms.iter().find(|r| r.label.eq_ignore_ascii_case(label)) {
            None => errs.push(FieldError::new(
                format!("/planned_occupancy/{i}/room_label"),
                "is not a room of this property",
            )),
            Some(r) if !seen.insert(r.label.clone()) => {
                errs.push(FieldError::new(format!("/planned_occupancy/{i}/room_label"), "is listed twice"))
            }
            Some(r) => out.push(OccupancyRow {
                application_id: application_id.to_string(),
                room_label: r.label.clone(),
                persons: i32::try_from(o.persons).unwrap_or(0),
                partners: o.partners,
            }),
        }
    }
    out
}

fn not_found() -> AppError {
    AppError::NotFound("no such licence application".into())
}

fn audit_change<'a>(
    app: &'a Application,
    action: &'a str,
    before: Option<&str>,
    after: serde_json::Value,
) -> Change<'a> {
    Change {
        municipality_code: Some(&app.municipality_code),
        entity_type: "licence_application",
        entity_id: &app.id,
        action,
        before: before.map(|b| serde_json::json!({ "state": b })),
        after: Some(after),
        reason: None,
    }
}

pub(crate) fn address_line(p: &Property) -> String {
    let add = if p.house_number_addition.is_empty() {
        String::new()
    } else {
        format!("-{}", p.house_number_addition)
    };
    format!("{} {}{}", display_postcode(&p.postcode), p.house_number, add)
}

/// Sends a message to the landlord of an application (inside the caller's transaction).
pub(crate) fn notify_landlord(
    c: &mut DbConnection,
    now: chrono::NaiveDateTime,
    app: &Application,
    subject: &str,
    body: &str,
) -> Result<(), AppError> {
    let Some(landlord) = crate::db::accounts::find_landlord(c, &app.landlord_id)? else { return Ok(()) };
    outbox::enqueue(
        c,
        now,
        NewEmail {
            municipality_code: Some(&app.municipality_code),
            to: &landlord.contact_email,
            subject,
            body,
        },
    )?;
    Ok(())
}

fn load(c: &mut DbConnection, id: &str, viewer: &Viewer) -> Result<Application, AppError> {
    licensing::find_application(c, id, viewer)?.ok_or_else(not_found)
}

fn load_property(c: &mut DbConnection, id: &str) -> Result<Property, AppError> {
    properties::find(c, id)?
        .ok_or_else(|| AppError::internal(anyhow::anyhow!("application without property")))
}

/// Loads, responds: the common tail of every handler.
async fn respond(
    state: &web::Data<AppState>,
    caller: &Caller,
    id: String,
    status: u16,
) -> Result<HttpResponse, AppError> {
    let viewer = viewer(caller)?;
    let role = caller.role;
    let (app, occ, licence) = state
        .db
        .read(move |c| {
            let app = load(c, &id, &viewer)?;
            let occ = licensing::occupancy(c, &app.id)?;
            let licence = licensing::licence_of_application(c, &app.id)?.map(|l| l.id);
            Ok((app, occ, licence))
        })
        .await?;
    let today = state.clock.today_nl();
    let rules = rules_on(state, app.submitted_on.unwrap_or(today))?;
    let body = application_response(app, occ, licence, role, today, rules)?;
    Ok(if status == 201 { HttpResponse::Created().json(body) } else { HttpResponse::Ok().json(body) })
}

// ----- create, read, list, update -------------------------------------------------------------

/// Start a draft application for one of your properties.
#[utoipa::path(
    tag = "licences",
    security(("bearer" = [])),
    request_body = CreateApplicationRequest,
    responses(
        (status = 201, body = ApplicationResponse),
        AuthProblems,
        ValidationProblem
    )
)]
#[post("/v1/licence-applications")]
pub async fn create_application(
    state: web::Data<AppState>,
    auth: Auth<LandlordOnly>,
    body: ValidJson<CreateApplicationRequest>,
) -> Result<HttpResponse, AppError> {
    let req = body.0;
    let caller = auth.0;
    let landlord_id = caller
        .landlord_id
        .clone()
        .ok_or_else(|| AppError::Unauthorized("this landlord account has no landlord record".into()))?;
    let viewer = viewer(&caller)?;
    let now = state.clock.now_naive();
    let actor = caller.actor();
    let id = uuid::Uuid::new_v4().to_string();
    let created_id = id.clone();
    state
        .db
        .write(move |c| {
            let property = properties::find_visible(c, &req.property_id, &viewer)?
                .ok_or_else(|| AppError::field("/property_id", "is not one of your properties"))?;
            let rooms = properties::rooms(c, &property.id)?;
            let mut errs = Vec::new();
            let occ = occupancy_rows(&id, &req.planned_occupancy, &rooms, &mut errs);
            if !errs.is_empty() {
                return Err(AppError::Validation(errs));
            }
            let app = Application {
                id: id.clone(),
                municipality_code: property.municipality_code.clone(),
                landlord_id,
                property_id: property.id.clone(),
                kind: enum_str(req.kind),
                state: enum_str(ApplicationState::Draft),
                monthly_rent_cents: req.monthly_rent_cents,
                submitted_on: None,
                decision_clock: None,
                decision_due_on: None,
                information_requested: None,
                information_respond_by: None,
                extension_reason: None,
                bibob_pending: false,
                decision_outcome: None,
                decided_on: None,
                refusal_grounds: None,
                motivation: None,
                objection_period_ends_on: None,
                version: 0,
                created_at: now,
                updated_at: now,
            };
            licensing::insert_application(c, &app, &occ)?;
            audit::record(
                c,
                now,
                &actor,
                audit_change(
                    &app,
                    "create",
                    None,
                    serde_json::json!({"state": "draft", "kind": app.kind, "property_id": app.property_id}),
                ),
            )?;
            Ok(())
        })
        .await?;
    respond(&state, &caller, created_id, 201).await
}

/// One application (a landlord's own; staff: their municipalities). 404 otherwise.
#[utoipa::path(
    tag = "licences",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Application id")),
    responses(
        (status = 200, body = ApplicationResponse),
        AuthProblems,
        NotFoundProblem
    )
)]
#[get("/v1/licence-applications/{id}")]
pub async fn get_application(
    state: web::Data<AppState>,
    auth: Auth<CaseworkReaders>,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    respond(&state, &auth.0, path.into_inner(), 200).await
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ApplicationQuery {
    /// Filter on state, e.g. `in_review`.
    pub state: Option<String>,
    pub property_id: Option<String>,
    /// Only applications whose decision is due before this date (YYYY-MM-DD).
    pub due_before: Option<NaiveDate>,
    /// `true`: only undecided applications past their decision date, most overdue first.
    pub overdue: Option<bool>,
    pub cursor: Option<String>,
    /// Page size, 1–200 (default 50).
    pub limit: Option<i64>,
}

/// Applications: a landlord's own, or those of the officer's municipalities (keyset pages).
#[utoipa::path(
    tag = "licences",
    security(("bearer" = [])),
    params(ApplicationQuery),
    responses(
        (status = 200, body = ApplicationListResponse),
        AuthProblems,
        ValidationProblem
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
    if let Some(s) = &q.state {
        parse_enum::<ApplicationState>(s)
            .map_err(|_| AppError::field("#/query/state", "is not a known state"))?;
    }
    let today = state.clock.today_nl();
    let viewer = viewer(&auth)?;
    let filter = ApplicationFilter {
        state: q.state,
        property_id: q.property_id,
        due_before: q.due_before,
        overdue_on: q.overdue.filter(|o| *o).map(|_| today),
        after_id: q.cursor,
        limit: limit + 1,
    };
    let filter_overdue = filter.overdue_on.is_some();
    let (mut rows, occ, licences) = state
        .db
        .read(move |c| {
            let rows = licensing::list_applications(c, &viewer, &filter)?;
            let ids: Vec<String> = rows.iter().map(|a| a.id.clone()).collect();
            let occ = licensing::occupancy_of(c, &ids)?;
            let licences = licensing::licences_of_applications(c, &ids)?;
            Ok((rows, occ, licences))
        })
        .await?;
    let more = rows.len() as i64 > limit;
    rows.truncate(limit as usize);
    let overdue = filter_overdue;
    let next_cursor = if more {
        rows.last().map(|r| match (overdue, r.decision_due_on) {
            (true, Some(due)) => format!("{due}|{}", r.id),
            _ => r.id.clone(),
        })
    } else {
        None
    };
    let mut occ_by: std::collections::HashMap<String, Vec<OccupancyRow>> = std::collections::HashMap::new();
    for o in occ {
        occ_by.entry(o.application_id.clone()).or_default().push(o);
    }
    let licence_by: std::collections::HashMap<String, String> = licences.into_iter().collect();
    let mut items = Vec::with_capacity(rows.len());
    for a in rows {
        let rules = rules_on(&state, a.submitted_on.unwrap_or(today))?;
        let o = occ_by.remove(&a.id).unwrap_or_default();
        let l = licence_by.get(&a.id).cloned();
        items.push(application_response(a, o, l, auth.role, today, rules)?);
    }
    Ok(HttpResponse::Ok().json(ApplicationListResponse { items, next_cursor }))
}

/// Change a draft (409 once submitted).
#[utoipa::path(
    tag = "licences",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Application id")),
    request_body = UpdateApplicationRequest,
    responses(
        (status = 200, body = ApplicationResponse),
        AuthProblems,
        NotFoundProblem,
        ConflictProblem,
        ValidationProblem
    )
)]
#[patch("/v1/licence-applications/{id}")]
pub async fn update_application(
    state: web::Data<AppState>,
    auth: Auth<LandlordOnly>,
    path: web::Path<String>,
    body: ValidJson<UpdateApplicationRequest>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let req = body.0;
    let caller = auth.0;
    let viewer = viewer(&caller)?;
    let now = state.clock.now_naive();
    let actor = caller.actor();
    let app_id = id.clone();
    state
        .db
        .write(move |c| {
            let mut app = load(c, &app_id, &viewer)?;
            licensing::claim_application(c, &mut app)?;
            if app.state != "draft" {
                let st: ApplicationState = parse_enum(&app.state)?;
                return Err(conflict(
                    format!("only a draft can be changed; this application is {}", app.state),
                    &lic::allowed_actions(st),
                ));
            }
            if let Some(k) = req.kind {
                app.kind = enum_str(k);
            }
            if let Some(r) = req.monthly_rent_cents {
                app.monthly_rent_cents = Some(r);
            }
            if let Some(o) = &req.planned_occupancy {
                let rooms = properties::rooms(c, &app.property_id)?;
                let mut errs = Vec::new();
                let occ = occupancy_rows(&app.id, o, &rooms, &mut errs);
                if !errs.is_empty() {
                    return Err(AppError::Validation(errs));
                }
                licensing::replace_occupancy(c, &app.id, &occ)?;
            }
            app.updated_at = now;
            licensing::update_application(c, &app)?;
            audit::record(
                c,
                now,
                &actor,
                audit_change(&app, "update", None, serde_json::json!({"kind": app.kind})),
            )?;
            Ok(())
        })
        .await?;
    respond(&state, &caller, id, 200).await
}

// ----- verbs ----------------------------------------------------------------------------------

/// Submit a draft: the decision term starts today (Awb 4:13); the landlord is told the due date.
#[utoipa::path(
    tag = "licences",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Application id")),
    responses(
        (status = 200, body = ApplicationResponse),
        AuthProblems,
        NotFoundProblem,
        ConflictProblem,
        (status = 422, description = "No licence of this kind is required at the address", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/v1/licence-applications/{id}/submit")]
pub async fn submit_application(
    state: web::Data<AppState>,
    auth: Auth<LandlordOnly>,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let caller = auth.0;
    let viewer = viewer(&caller)?;
    let now = state.clock.now_naive();
    let today = state.clock.today_nl();
    let rules = rules_on(&state, today)?.clone();
    let actor = caller.actor();
    let app_id = id.clone();
    state
        .db
        .write(move |c| {
            let mut app = load(c, &app_id, &viewer)?;
            licensing::claim_application(c, &mut app)?;
            let next = next_state(&app, Action::Submit)?;
            let property = load_property(c, &app.property_id)?;
            let kind: LicenceKind = parse_enum(&app.kind)?;
            let housing_corporation = crate::db::accounts::is_housing_corporation(c, &app.landlord_id)?;
            let requirement = rules.licence_required(&AddressQuery {
                postcode: &property.postcode,
                house_number: u32::try_from(property.house_number).unwrap_or(0),
                neighbourhood_code: property.neighbourhood_code.as_deref(),
                is_housing_corporation: housing_corporation,
                houses_labour_migrants: kind == LicenceKind::LabourMigrant,
            });
            if !requirement.required_kinds.contains(&kind) {
                let why = if housing_corporation {
                    "the landlord is a housing corporation (toegelaten instelling), which needs no licence".to_string()
                } else {
                    format!(
                        "no {} licence is required at this address under the rule set in force since {}",
                        app.kind, rules.valid_from
                    )
                };
                return Err(AppError::field("/kind", why));
            }
            let clock = DecisionClock::new(today, &rules);
            let before = app.state.clone();
            app.state = enum_str(next);
            app.submitted_on = Some(today);
            store_clock(&mut app, &clock, &rules, today)?;
            app.updated_at = now;
            licensing::update_application(c, &app)?;
            let due = app.decision_due_on.unwrap_or(today);
            audit::record(
                c,
                now,
                &actor,
                audit_change(&app, "submit", Some(&before), serde_json::json!({"state": app.state, "decision_due_on": due})),
            )?;
            let body = format!(
                "Uw aanvraag voor een verhuurvergunning ({kind}) voor {addr} is op {today} ontvangen.\n\
                 Wij beslissen uiterlijk op {due} (Awb 4:13; deze datum kan opschuiven als wij om aanvullende \
                 gegevens vragen of de termijn verlengen).\nAanvraagnummer: {id}\n\n\
                 Your application for a rental licence ({kind}) for {addr} was received on {today}. \
                 The decision is due by {due}.",
                kind = app.kind,
                addr = address_line(&property),
                id = app.id,
            );
            notify_landlord(c, now, &app, "Aanvraag verhuurvergunning ontvangen / Application received", &body)
        })
        .await?;
    respond(&state, &caller, id, 200).await
}

/// Information missing from an application (Awb 4:5).
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RequestInformationRequest {
    /// What is missing, as the landlord will read it.
    #[validate(length(min = 1, max = 4000))]
    pub what: String,
    /// Last day to supply it (the hersteltermijn); after today.
    pub respond_by: NaiveDate,
}

/// Ask the landlord for missing information; the decision term is suspended until it is
/// supplied or the term lapses (Awb 4:15 lid 1 a).
#[utoipa::path(
    tag = "licences",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Application id")),
    request_body = RequestInformationRequest,
    responses(
        (status = 200, body = ApplicationResponse),
        AuthProblems,
        NotFoundProblem,
        ConflictProblem,
        ValidationProblem
    )
)]
#[post("/v1/licence-applications/{id}/request-information")]
pub async fn request_information(
    state: web::Data<AppState>,
    auth: Auth<OfficerOnly>,
    path: web::Path<String>,
    body: ValidJson<RequestInformationRequest>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let req = body.0;
    let caller = auth.0;
    let today = state.clock.today_nl();
    if req.respond_by <= today {
        return Err(AppError::field("/respond_by", "must be after today"));
    }
    if req.what.trim().is_empty() {
        return Err(AppError::field("/what", "must not be blank"));
    }
    let viewer = viewer(&caller)?;
    let now = state.clock.now_naive();
    let actor = caller.actor();
    let st = state.clone();
    let app_id = id.clone();
    state
        .db
        .write(move |c| {
            let mut app = load(c, &app_id, &viewer)?;
            licensing::claim_application(c, &mut app)?;
            let next = next_state(&app, Action::RequestInformation)?;
            let rules = rules_on(&st, app.submitted_on.unwrap_or(today))?;
            let mut clock = require_clock(&app)?;
            clock.suspensions.push(Suspension::AwaitingSupplement {
                invited_on: today,
                respond_by: Some(req.respond_by),
                supplemented_on: None,
            });
            let before = app.state.clone();
            app.state = enum_str(next);
            app.information_requested = Some(req.what.trim().to_string());
            app.information_respond_by = Some(req.respond_by);
            store_clock(&mut app, &clock, rules, today)?;
            app.updated_at = now;
            licensing::update_application(c, &app)?;
            audit::record(
                c,
                now,
                &actor,
                audit_change(
                    &app,
                    "request_information",
                    Some(&before),
                    serde_json::json!({"state": app.state, "respond_by": req.respond_by, "decision_due_on": app.decision_due_on}),
                ),
            )?;
            let property = load_property(c, &app.property_id)?;
            let body = format!(
                "Uw aanvraag voor een verhuurvergunning voor {addr} is niet compleet (Awb 4:5).\n\
                 Wat ontbreekt:\n{what}\n\nLever dit aan uiterlijk op {by}. Tot dan is de beslistermijn opgeschort \
                 (Awb 4:15). Levert u niet op tijd aan, dan kunnen wij de aanvraag buiten behandeling laten.\n\
                 Aanvraagnummer: {id}\n\n\
                 Your application for {addr} is incomplete. Missing:\n{what}\nPlease supply this by {by}; \
                 the decision term is suspended until then.",
                addr = address_line(&property),
                what = req.what.trim(),
                by = req.respond_by,
                id = app.id,
            );
            notify_landlord(c, now, &app, "Aanvullende gegevens nodig / Information needed", &body)
        })
        .await?;
    respond(&state, &caller, id, 200).await
}

/// The landlord's answer to a request for information.
#[derive(Debug, Default, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SupplyInformationRequest {
    /// Optional note for the officer (documents are uploaded separately).
    #[validate(length(max = 4000))]
    pub note: Option<String>,
    /// Corrected planned occupancy, if that was missing.
    #[validate(length(max = 200), nested)]
    pub planned_occupancy: Option<Vec<OccupancyDto>>,
    #[validate(range(min = 0, max = 100_000_000))]
    pub monthly_rent_cents: Option<i64>,
}

/// Supply the missing information: the decision term runs again.
#[utoipa::path(
    tag = "licences",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Application id")),
    request_body = SupplyInformationRequest,
    responses(
        (status = 200, body = ApplicationResponse),
        AuthProblems,
        NotFoundProblem,
        ConflictProblem,
        ValidationProblem
    )
)]
#[post("/v1/licence-applications/{id}/supply-information")]
pub async fn supply_information(
    state: web::Data<AppState>,
    auth: Auth<LandlordOnly>,
    path: web::Path<String>,
    body: ValidJson<SupplyInformationRequest>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let req = body.0;
    let caller = auth.0;
    let viewer = viewer(&caller)?;
    let now = state.clock.now_naive();
    let today = state.clock.today_nl();
    let actor = caller.actor();
    let st = state.clone();
    let app_id = id.clone();
    state
        .db
        .write(move |c| {
            let mut app = load(c, &app_id, &viewer)?;
            licensing::claim_application(c, &mut app)?;
            let next = next_state(&app, Action::SupplyInformation)?;
            let rules = rules_on(&st, app.submitted_on.unwrap_or(today))?;
            if let Some(o) = &req.planned_occupancy {
                let rooms = properties::rooms(c, &app.property_id)?;
                let mut errs = Vec::new();
                let occ = occupancy_rows(&app.id, o, &rooms, &mut errs);
                if !errs.is_empty() {
                    return Err(AppError::Validation(errs));
                }
                licensing::replace_occupancy(c, &app.id, &occ)?;
            }
            if let Some(r) = req.monthly_rent_cents {
                app.monthly_rent_cents = Some(r);
            }
            let mut clock = require_clock(&app)?;
            for s in clock.suspensions.iter_mut() {
                if let Suspension::AwaitingSupplement { supplemented_on: end @ None, .. } = s {
                    *end = Some(today);
                }
            }
            let before = app.state.clone();
            app.state = enum_str(next);
            app.information_requested = None;
            app.information_respond_by = None;
            store_clock(&mut app, &clock, rules, today)?;
            app.updated_at = now;
            licensing::update_application(c, &app)?;
            audit::record(
                c,
                now,
                &actor,
                audit_change(
                    &app,
                    "supply_information",
                    Some(&before),
                    serde_json::json!({"state": app.state, "decision_due_on": app.decision_due_on}),
                ),
            )?;
            Ok(())
        })
        .await?;
    respond(&state, &caller, id, 200).await
}

/// The one announced extension of the decision term (Awb 4:14).
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ExtendTermRequest {
    /// Length of the extension in weeks (at most the rule set's `extension_weeks`).
    #[validate(range(min = 1, max = 52))]
    pub weeks: u32,
    /// Why the decision cannot be taken in time (sent to the landlord).
    #[validate(length(min = 1, max = 4000))]
    pub reason: String,
}

/// Extend the decision term once, announced before it expires (Awb 4:14 lid 3).
#[utoipa::path(
    tag = "licences",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Application id")),
    request_body = ExtendTermRequest,
    responses(
        (status = 200, body = ApplicationResponse),
        AuthProblems,
        NotFoundProblem,
        (status = 409, description = "Already extended, or the term has expired", body = Problem, content_type = "application/problem+json"),
        ValidationProblem
    )
)]
#[post("/v1/licence-applications/{id}/extend-term")]
pub async fn extend_term(
    state: web::Data<AppState>,
    auth: Auth<OfficerOnly>,
    path: web::Path<String>,
    body: ValidJson<ExtendTermRequest>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let req = body.0;
    let caller = auth.0;
    if req.reason.trim().is_empty() {
        return Err(AppError::field("/reason", "must not be blank"));
    }
    let viewer = viewer(&caller)?;
    let now = state.clock.now_naive();
    let today = state.clock.today_nl();
    let actor = caller.actor();
    let st = state.clone();
    let app_id = id.clone();
    state
        .db
        .write(move |c| {
            let mut app = load(c, &app_id, &viewer)?;
            licensing::claim_application(c, &mut app)?;
            next_state(&app, Action::ExtendTerm)?;
            let rules = rules_on(&st, app.submitted_on.unwrap_or(today))?;
            let mut clock = require_clock(&app)?;
            let old_due = app.decision_due_on;
            clock.extend(today, req.weeks, rules, &rules.calendar()).map_err(|e| match e {
                ExtensionError::Zero | ExtensionError::TooLong { .. } => AppError::field("/weeks", e.to_string()),
                other => AppError::Conflict { detail: other.to_string(), allowed_actions: None },
            })?;
            app.extension_reason = Some(req.reason.trim().to_string());
            store_clock(&mut app, &clock, rules, today)?;
            app.updated_at = now;
            licensing::update_application(c, &app)?;
            audit::record(
                c,
                now,
                &actor,
                audit_change(
                    &app,
                    "extend_term",
                    None,
                    serde_json::json!({"weeks": req.weeks, "decision_due_on": app.decision_due_on, "previous_due_on": old_due}),
                ),
            )?;
            let property = load_property(c, &app.property_id)?;
            let body = format!(
                "De beslistermijn voor uw aanvraag voor {addr} is met {w} weken verlengd (Awb 4:14).\n\
                 Reden: {reason}\nWij beslissen uiterlijk op {due}.\nAanvraagnummer: {id}\n\n\
                 The decision term for your application for {addr} has been extended by {w} weeks. \
                 Reason: {reason}. The decision is now due by {due}.",
                addr = address_line(&property),
                w = req.weeks,
                reason = req.reason.trim(),
                due = app.decision_due_on.unwrap_or(today),
                id = app.id,
            );
            notify_landlord(c, now, &app, "Beslistermijn verlengd / Decision term extended", &body)
        })
        .await?;
    respond(&state, &caller, id, 200).await
}

/// Simple verbs without a body: start-review (officer) and withdraw (landlord).
async fn simple_verb(
    state: web::Data<AppState>,
    caller: Caller,
    id: String,
    action: Action,
    audit_action: &'static str,
) -> Result<HttpResponse, AppError> {
    let viewer = viewer(&caller)?;
    let now = state.clock.now_naive();
    let actor = caller.actor();
    let app_id = id.clone();
    state
        .db
        .write(move |c| {
            let mut app = load(c, &app_id, &viewer)?;
            licensing::claim_application(c, &mut app)?;
            let next = next_state(&app, action)?;
            let before = app.state.clone();
            app.state = enum_str(next);
            if next == ApplicationState::Withdrawn {
                app.decision_due_on = None;
            }
            app.updated_at = now;
            licensing::update_application(c, &app)?;
            audit::record(
                c,
                now,
                &actor,
                audit_change(&app, audit_action, Some(&before), serde_json::json!({"state": app.state})),
            )?;
            Ok(())
        })
        .await?;
    respond(&state, &caller, id, 200).await
}

/// Start the assessment of a submitted application (officer).
#[utoipa::path(
    tag = "licences",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Application id")),
    responses(
        (status = 200, body = ApplicationResponse),
        AuthProblems,
        NotFoundProblem,
        ConflictProblem
    )
)]
#[post("/v1/licence-applications/{id}/start-review")]
pub async fn start_review(
    state: web::Data<AppState>,
    auth: Auth<OfficerOnly>,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    simple_verb(state, auth.0, path.into_inner(), Action::StartReview, "start_review").await
}

/// Withdraw the application (landlord), at any time before the decision.
#[utoipa::path(
    tag = "licences",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Application id")),
    responses(
        (status = 200, body = ApplicationResponse),
        AuthProblems,
        NotFoundProblem,
        ConflictProblem
    )
)]
#[post("/v1/licence-applications/{id}/withdraw")]
pub async fn withdraw_application(
    state: web::Data<AppState>,
    auth: Auth<LandlordOnly>,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    simple_verb(state, auth.0, path.into_inner(), Action::Withdraw, "withdraw").await
}

/// Why the application is not considered.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NotConsideredRequest {
    #[validate(length(min = 1, max = 20000))]
    pub motivation: String,
}

/// Decide not to consider the application: the requested information was not supplied within
/// the term (Awb 4:5). Only after that term has lapsed.
#[utoipa::path(
    tag = "licences",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Application id")),
    request_body = NotConsideredRequest,
    responses(
        (status = 200, body = ApplicationResponse),
        AuthProblems,
        NotFoundProblem,
        ConflictProblem,
        ValidationProblem
    )
)]
#[post("/v1/licence-applications/{id}/not-considered")]
pub async fn not_considered(
    state: web::Data<AppState>,
    auth: Auth<OfficerOnly>,
    path: web::Path<String>,
    body: ValidJson<NotConsideredRequest>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let req = body.0;
    let caller = auth.0;
    let viewer = viewer(&caller)?;
    let now = state.clock.now_naive();
    let today = state.clock.today_nl();
    let actor = caller.actor();
    let st = state.clone();
    let app_id = id.clone();
    state
        .db
        .write(move |c| {
            let mut app = load(c, &app_id, &viewer)?;
            licensing::claim_application(c, &mut app)?;
            let next = next_state(&app, Action::NotConsidered)?;
            if let Some(by) = app.information_respond_by.filter(|by| today <= *by) {
                return Err(conflict(
                    format!("the term to supply the information runs until {by}; decide after it lapsed"),
                    &[ActionKind::SupplyInformation, ActionKind::ExtendTerm, ActionKind::Withdraw],
                ));
            }
            let rules = rules_on(&st, app.submitted_on.unwrap_or(today))?;
            let objection_end = objection_period_end(today, rules.objection_weeks, &rules.calendar());
            let before = app.state.clone();
            app.state = enum_str(next);
            app.decision_outcome = Some("not_considered".into());
            app.decided_on = Some(today);
            app.motivation = Some(req.motivation.trim().to_string());
            app.objection_period_ends_on = Some(objection_end);
            app.updated_at = now;
            licensing::update_application(c, &app)?;
            audit::record(
                c,
                now,
                &actor,
                audit_change(&app, "not_considered", Some(&before), serde_json::json!({"state": app.state, "objection_period_ends_on": objection_end})),
            )?;
            let property = load_property(c, &app.property_id)?;
            let body = format!(
                "Besluit: uw aanvraag voor een verhuurvergunning voor {addr} wordt buiten behandeling gelaten \
                 (Awb 4:5), omdat de gevraagde gegevens niet op tijd zijn aangeleverd.\nMotivering: {m}\n\
                 Bezwaar maken kan tot en met {end} (Awb 6:7).\nAanvraagnummer: {id}\n\n\
                 Decision: your application for {addr} is not considered because the requested information was \
                 not supplied in time. You may object until {end}.",
                addr = address_line(&property),
                m = req.motivation.trim(),
                end = objection_end,
                id = app.id,
            );
            notify_landlord(c, now, &app, "Besluit: aanvraag buiten behandeling / Application not considered", &body)
        })
        .await?;
    respond(&state, &caller, id, 200).await
}

/// The decision on the merits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DecisionChoice {
    Grant,
    GrantWithConditions,
    Refuse,
}

/// A licence condition (voorschrift).
#[derive(Debug, Clone, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConditionDto {
    /// `good_landlordship_compliance`, `maximum_rent`, `maximum_rent_increase`,
    /// `maintenance_plan`, `written_lease`, `occupancy_limit`, `facility_requirement`,
    /// `bibob_danger_limitation` or `other`.
    #[schema(value_type = String)]
    pub kind: VoorschriftKind,
    #[validate(length(min = 1, max = 4000))]
    pub text: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RoomLimitDto {
    #[validate(length(min = 1, max = 50))]
    pub room_label: String,
    #[validate(range(min = 1, max = 100))]
    pub max_occupants: u32,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DecideRequest {
    pub decision: DecisionChoice,
    /// For `refuse`: `missing_permit`, `prior_enforcement8y`, `beheer` or `bibob_serious_danger`.
    #[serde(default)]
    #[schema(value_type = Vec<String>)]
    pub refusal_grounds: Vec<RefusalGround>,
    /// Written motivation (Awb 3:46); required for a refusal.
    #[validate(length(max = 20000))]
    pub motivation: Option<String>,
    /// Why a Bibob refusal is proportionate (Wet Bibob art. 3 lid 5).
    #[validate(length(max = 20000))]
    pub proportionality_motivation: Option<String>,
    /// Voorschriften, for `grant_with_conditions`.
    #[serde(default)]
    #[validate(length(max = 50), nested)]
    pub conditions: Vec<ConditionDto>,
    /// Licence condition: maximum occupants in total. Default: the planned occupancy, at most
    /// what the floor area allows.
    #[validate(range(min = 1, max = 10000))]
    pub max_occupants: Option<u32>,
    /// Licence condition: maximum occupants per room. Default: the planned occupancy per room.
    #[serde(default)]
    #[validate(length(max = 200), nested)]
    pub room_limits: Vec<RoomLimitDto>,
}

fn block_to_error(b: &DecisionBlock, req: &DecideRequest) -> FieldError {
    match b {
        DecisionBlock::BibobInProgress => {
            FieldError::new("/decision", "an integrity check (Bibob) is under way")
        }
        DecisionBlock::RefusalWithoutGround => {
            FieldError::new("/refusal_grounds", "a refusal needs at least one refusal ground")
        }
        DecisionBlock::RefusalWithoutMotivation => {
            FieldError::new("/motivation", "a refusal needs a written motivation (Awb 3:46)")
        }
        DecisionBlock::GroundNotEstablished { ground } => {
            let i = req.refusal_grounds.iter().position(|g| g == ground).unwrap_or(0);
            FieldError::new(
                format!("/refusal_grounds/{i}"),
                "this ground is not established by the screening",
            )
        }
        DecisionBlock::BibobRefusalWithoutSeriousDanger => FieldError::new(
            "/refusal_grounds",
            "a Bibob refusal needs a finding of serious danger (Wet Bibob art. 3 lid 1)",
        ),
        DecisionBlock::ZienswijzeMissing => FieldError::new(
            "/decision",
            "the applicant must first be invited to give a zienswijze (Wet Bibob art. 33)",
        ),
        DecisionBlock::ProportionalityMotivationMissing => FieldError::new(
            "/proportionality_motivation",
            "a Bibob refusal needs a proportionality motivation (Wet Bibob art. 3 lid 5)",
        ),
        DecisionBlock::BibobConditionsWithoutLesserDanger => FieldError::new(
            "/conditions",
            "Bibob conditions need a finding of a lesser degree of danger (Wet Bibob art. 3 lid 7)",
        ),
        DecisionBlock::ConditionsMissing => {
            FieldError::new("/conditions", "grant_with_conditions needs at least one condition")
        }
        DecisionBlock::ConditionsNotExpected => {
            FieldError::new("/conditions", "conditions belong to grant_with_conditions only")
        }
        DecisionBlock::InvalidVoorschrift { index, error } => {
            FieldError::new(format!("/conditions/{index}/kind"), error.to_string())
        }
    }
}

/// Facts for the refusal-ground screening. Prior enforcement and management takeover come from
/// enforcement records once those exist; until then only the property fact is known.
/// The refusal-ground screening of an application: flags, never an automatic refusal. Prior
/// enforcement and a running management takeover come from the enforcement records of the
/// landlord (all municipalities: the landlord's history counts wherever it was made).
pub(crate) fn screening_for(
    c: &mut DbConnection,
    app: &Application,
    property: &Property,
    today: NaiveDate,
) -> Result<ScreeningFlags, AppError> {
    let application_date = app.submitted_on.unwrap_or(today);
    // The domain applies the exact 8-year window; fetch a little more.
    let since =
        application_date.checked_sub_months(chrono::Months::new(12 * 8 + 1)).unwrap_or(application_date);
    let (prior, takeover) = crate::db::enforcement::screening_facts(c, &app.landlord_id, since)?;
    Ok(lic::screen_refusal_grounds(&ScreeningInput {
        application_date,
        prior_enforcement_dates: prior.into_iter().collect(),
        missing_realisation_permit: property.building_permit_missing,
        dwelling_in_beheer: takeover,
    }))
}

pub(crate) fn bibob_check(row: Option<&licensing::BibobRow>) -> Result<BibobCheck, AppError> {
    Ok(match row {
        None => BibobCheck::default(),
        Some(r) => BibobCheck {
            status: parse_enum::<BibobStatus>(&r.status)?,
            outcome: r.outcome.as_deref().map(parse_enum::<BibobOutcome>).transpose()?,
            zienswijze_invited_on: r.zienswijze_invited_on,
        },
    })
}

pub(crate) fn description(
    property: &Property,
    rooms: &[PropertyRoom],
    occ: &[OccupancyRow],
) -> PropertyDescription {
    let u = |v: i32| u32::try_from(v).unwrap_or(0);
    PropertyDescription {
        usable_floor_area_dm2: u(property.usable_floor_area_dm2),
        rooms: rooms
            .iter()
            .map(|r| {
                let o = occ.iter().find(|o| o.room_label == r.label);
                Room {
                    label: r.label.clone(),
                    area_dm2: u(r.area_dm2),
                    sleeping_room: r.sleeping_room,
                    persons: o.map_or(0, |o| u(o.persons)),
                    partners: o.is_some_and(|o| o.partners),
                }
            })
            .collect(),
        facilities: Facilities {
            toilets: u(property.toilets),
            showers: u(property.showers),
            kitchens: u(property.kitchens),
            cooking_points: u(property.cooking_points),
            washing_machines: u(property.washing_machines),
        },
    }
}

#[allow(clippy::too_many_arguments)]
fn decision_mail(
    app: &Application,
    property: &Property,
    choice: DecisionChoice,
    licence: Option<&Licence>,
    grounds: &[RefusalGround],
    motivation: Option<&str>,
    conditions: &[Voorschrift],
    objection_end: NaiveDate,
) -> (String, String) {
    let addr = address_line(property);
    let (nl, en) = match choice {
        DecisionChoice::Grant => ("verleend", "granted"),
        DecisionChoice::GrantWithConditions => ("verleend onder voorschriften", "granted with conditions"),
        DecisionChoice::Refuse => ("geweigerd", "refused"),
    };
    let mut body = format!("Besluit op uw aanvraag voor een verhuurvergunning voor {addr}: {nl}.\n");
    if let Some(l) = licence {
        body.push_str(&format!(
            "Vergunningnummer: {}; geldig vanaf {}{}; maximaal {} bewoners.\n",
            l.number,
            l.valid_from,
            l.valid_until.map(|u| format!(" tot {u}")).unwrap_or_default(),
            l.max_occupants
        ));
    }
    if !conditions.is_empty() {
        body.push_str("Voorschriften:\n");
        for c in conditions {
            body.push_str(&format!("- {}\n", c.text));
        }
    }
    if !grounds.is_empty() {
        body.push_str("Weigeringsgronden:\n");
        for g in grounds {
            body.push_str(&format!("- {}\n", ground_text(*g)));
        }
    }
    if let Some(m) = motivation.filter(|m| !m.trim().is_empty()) {
        body.push_str(&format!("Motivering: {}\n", m.trim()));
    }
    body.push_str(&format!(
        "Bezwaar maken kan tot en met {objection_end} (Awb 6:7, zes weken na de dag van bekendmaking).\n\
         Aanvraagnummer: {}\n\nDecision on your rental licence application for {addr}: {en}. \
         You may lodge an objection until {objection_end}.",
        app.id
    ));
    (format!("Besluit verhuurvergunning: {nl} / Decision: {en}"), body)
}

/// The refusal ground in words, with its source. Never mentions Bibob findings beyond the
/// ground itself (the decision must state its ground).
fn ground_text(g: RefusalGround) -> &'static str {
    match g {
        RefusalGround::MissingPermit => {
            "een vergunning die nodig is om de woonruimte te realiseren ontbreekt (Wgv)"
        }
        RefusalGround::PriorEnforcement8y => {
            "in de voorafgaande acht jaar is handhavend opgetreden tegen de verhuurder (Wgv)"
        }
        RefusalGround::Beheer => "een woning van de verhuurder is in beheer genomen (Wgv)",
        RefusalGround::BibobSeriousDanger => "ernstig gevaar in de zin van de Wet Bibob (art. 3 lid 1)",
    }
}

/// Decide on the merits: grant (creates the licence), grant with conditions, or refuse with
/// enumerated grounds and a motivation. The landlord receives the decision with the end of the
/// objection period.
#[utoipa::path(
    tag = "licences",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Application id")),
    request_body = DecideRequest,
    responses(
        (status = 200, body = ApplicationResponse),
        AuthProblems,
        NotFoundProblem,
        (status = 409, description = "Illegal transition, or an integrity check is under way", body = Problem, content_type = "application/problem+json"),
        ValidationProblem
    )
)]
#[post("/v1/licence-applications/{id}/decide")]
pub async fn decide_application(
    state: web::Data<AppState>,
    auth: Auth<OfficerOnly>,
    path: web::Path<String>,
    body: ValidJson<DecideRequest>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let req = body.0;
    let caller = auth.0;
    let viewer = viewer(&caller)?;
    let now = state.clock.now_naive();
    let today = state.clock.today_nl();
    let actor = caller.actor();
    let st = state.clone();
    let app_id = id.clone();
    state.db.write(move |c| decide_in_tx(c, &st, &app_id, &viewer, req, now, today, &actor)).await?;
    state.register_cache.invalidate();
    respond(&state, &caller, id, 200).await
}

#[allow(clippy::too_many_arguments)]
fn decide_in_tx(
    c: &mut DbConnection,
    st: &AppState,
    app_id: &str,
    viewer: &Viewer,
    req: DecideRequest,
    now: chrono::NaiveDateTime,
    today: NaiveDate,
    actor: &Actor,
) -> Result<(), AppError> {
    let mut app = load(c, app_id, viewer)?;
    licensing::claim_application(c, &mut app)?;
    let current: ApplicationState = parse_enum(&app.state)?;
    // A submitted application goes through review implicitly when the officer decides at once.
    let reviewing = if current == ApplicationState::Submitted {
        lic::transition(current, Action::StartReview)
            .map_err(|e| conflict("cannot start the review", &e.allowed))?
    } else {
        current
    };
    let outcome = match req.decision {
        DecisionChoice::Grant => DecisionOutcome::Granted,
        DecisionChoice::GrantWithConditions => DecisionOutcome::GrantedWithConditions,
        DecisionChoice::Refuse => DecisionOutcome::Refused,
    };
    let next = lic::transition(reviewing, Action::Decide(outcome)).map_err(|_| {
        conflict(
            format!("decide is not possible for an application that is {}", app.state),
            &lic::allowed_actions(current),
        )
    })?;
    let property = load_property(c, &app.property_id)?;
    let rooms = properties::rooms(c, &property.id)?;
    let occ = licensing::occupancy(c, &app.id)?;
    let bibob = bibob_check(licensing::find_bibob(c, &app.id)?.as_ref())?;
    if bibob.status.in_progress() {
        return Err(conflict("an integrity check (Bibob) is under way; decide after it is completed", &[]));
    }
    let kind: LicenceKind = parse_enum(&app.kind)?;
    let ctx = DecisionContext {
        licence_kind: kind,
        self_contained: property.kind == "self_contained",
        bibob,
        screening: screening_for(c, &app, &property, today)?,
    };
    let voorschriften: Vec<Voorschrift> = req
        .conditions
        .iter()
        .map(|c| Voorschrift { kind: c.kind, text: c.text.trim().to_string() })
        .collect();
    let dreq = DecisionRequest {
        outcome,
        decided_on: today,
        refusal_grounds: req.refusal_grounds.clone(),
        voorschriften: voorschriften.clone(),
        motivation: req.motivation.clone(),
        proportionality_motivation: req.proportionality_motivation.clone(),
    };
    if let Err(blocks) = lic::check_decision(&ctx, &dreq) {
        return Err(AppError::Validation(blocks.iter().map(|b| block_to_error(b, &req)).collect()));
    }
    let rules = rules_on(st, app.submitted_on.unwrap_or(today))?;
    let objection_end = objection_period_end(today, rules.objection_weeks, &rules.calendar());

    let licence = if outcome == DecisionOutcome::Refused {
        None
    } else {
        let desc = description(&property, &rooms, &occ);
        let assessment = occupancy::assess(&desc, rules);
        let planned = desc.occupants();
        let default_max =
            if planned > 0 { planned.min(assessment.max_occupants.max(1)) } else { assessment.max_occupants };
        let max = req.max_occupants.map_or(default_max, u64::from);
        if max == 0 {
            return Err(AppError::field(
                "/max_occupants",
                "is required: no occupancy is planned and the floor area allows none",
            ));
        }
        let licence_id = uuid::Uuid::new_v4().to_string();
        let mut limits = Vec::new();
        let mut errs = Vec::new();
        if req.room_limits.is_empty() {
            for o in occ.iter().filter(|o| o.persons > 0) {
                limits.push(LicenceRoomLimit {
                    licence_id: licence_id.clone(),
                    room_label: o.room_label.clone(),
                    max_occupants: o.persons,
                });
            }
        } else {
            for (i, r) in req.room_limits.iter().enumerate() {
                match rooms.iter().find(|x| x.label.eq_ignore_ascii_case(r.room_label.trim())) {
                    Some(room) if !limits.iter().any(|l: &LicenceRoomLimit| l.room_label == room.label) => {
                        limits.push(LicenceRoomLimit {
                            licence_id: licence_id.clone(),
                            room_label: room.label.clone(),
                            max_occupants: i32::try_from(r.max_occupants).unwrap_or(0),
                        })
                    }
                    _ => errs.push(FieldError::new(
                        format!("/room_limits/{i}/room_label"),
                        "is not a room of this property, or is listed twice",
                    )),
                }
            }
        }
        if !errs.is_empty() {
            return Err(AppError::Validation(errs));
        }
        let l = Licence {
            id: licence_id,
            number: licensing::next_licence_number(c, &app.municipality_code, today.year())?,
            municipality_code: app.municipality_code.clone(),
            application_id: app.id.clone(),
            landlord_id: app.landlord_id.clone(),
            property_id: app.property_id.clone(),
            kind: app.kind.clone(),
            state: "active".into(),
            valid_from: today,
            valid_until: lic::licence_expires_on(today, rules),
            max_occupants: i32::try_from(max).unwrap_or(i32::MAX),
            conditions: serde_json::to_string(&voorschriften).map_err(AppError::internal)?,
            state_grounds: None,
            state_motivation: None,
            created_at: now,
            updated_at: now,
            occupants_displaced: None,
            replacement_housing_arranged: None,
        };
        licensing::insert_licence(c, &l, &limits)?;
        audit::record(
            c,
            now,
            actor,
            Change {
                municipality_code: Some(&l.municipality_code),
                entity_type: "licence",
                entity_id: &l.id,
                action: "grant",
                before: None,
                after: Some(
                    serde_json::json!({"state": "active", "number": l.number, "application_id": app.id,
                    "max_occupants": l.max_occupants, "valid_until": l.valid_until}),
                ),
                reason: None,
            },
        )?;
        Some(l)
    };

    let before = app.state.clone();
    app.state = enum_str(next);
    app.decision_outcome = Some(enum_str(outcome));
    app.decided_on = Some(today);
    app.refusal_grounds = Some(serde_json::to_string(&req.refusal_grounds).map_err(AppError::internal)?);
    app.motivation = req.motivation.as_deref().map(str::trim).filter(|m| !m.is_empty()).map(str::to_string);
    app.objection_period_ends_on = Some(objection_end);
    app.updated_at = now;
    licensing::update_application(c, &app)?;
    audit::record(
        c,
        now,
        actor,
        audit_change(
            &app,
            "decide",
            Some(&before),
            serde_json::json!({"state": app.state, "refusal_grounds": req.refusal_grounds,
                "objection_period_ends_on": objection_end, "licence_id": licence.as_ref().map(|l| l.id.clone())}),
        ),
    )?;
    let (subject, body) = decision_mail(
        &app,
        &property,
        req.decision,
        licence.as_ref(),
        &req.refusal_grounds,
        app.motivation.as_deref(),
        &voorschriften,
        objection_end,
    );
    notify_landlord(c, now, &app, &subject, &body)
}

// ----- assessment -----------------------------------------------------------------------------

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ScreeningDto {
    /// Enforcement against the landlord in the preceding 8 years (Wgv refusal ground).
    pub prior_enforcement_8y: bool,
    /// A dwelling of the landlord is in management takeover (beheerovername).
    pub management_takeover: bool,
    /// A permit needed to realise the dwelling is missing.
    pub missing_building_permit: bool,
    /// An integrity check is under way (neutral; the outcome is only visible under /bibob).
    pub bibob_pending: bool,
    /// Bibob officer only: the Bibob outcome is serious danger.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bibob_serious_danger: Option<bool>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct AssessmentResponse {
    pub application_id: String,
    /// `valid_from` of the rule set used.
    pub rule_set_valid_from: NaiveDate,
    pub all_passed: bool,
    pub occupants: u64,
    /// The most occupants the floor area allows (floor(GBO / minimum per person)).
    pub max_occupants_by_floor_area: u64,
    pub floor_area_per_person_m2: Option<f64>,
    /// Per condition: code, room, passed, required, present, unit (`square_decimetres`,
    /// `persons`, `count`), the rule in words and its source.
    #[schema(value_type = Vec<Object>)]
    pub results: serde_json::Value,
    /// The rule set's required documents and data, and whether each is present (an uploaded
    /// document of that `kind`, or the data in the application).
    pub required_documents: Vec<RequiredDocumentDto>,
    /// Leges for this application under the rule set (euro cents).
    pub fee_cents: i64,
    /// Refusal-ground flags for staff: flags, never automatic refusals. Absent for landlords.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub screening: Option<ScreeningDto>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct RequiredDocumentDto {
    pub code: String,
    pub present: bool,
}

/// Whether a required item (rule set `required_documents`) is present: some are data the
/// application already holds, the rest are documents uploaded with that kind.
fn required_present(code: &str, app: &Application, landlord_kvk: Option<&str>, kinds: &[String]) -> bool {
    kinds.iter().any(|k| k == code)
        || match code {
            "rent" => app.monthly_rent_cents.is_some(),
            "kvk_number" => landlord_kvk.is_some(),
            // Known from the account and the property.
            "applicant_name_and_residence" | "dwelling_address" => true,
            _ => false,
        }
}

/// The automatic check of the planned occupancy against the rule set, and (for staff) the
/// refusal-ground screening flags.
#[utoipa::path(
    tag = "licences",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Application id")),
    responses(
        (status = 200, body = AssessmentResponse),
        AuthProblems,
        NotFoundProblem
    )
)]
#[get("/v1/licence-applications/{id}/assessment")]
pub async fn get_assessment(
    state: web::Data<AppState>,
    auth: Auth<CaseworkReaders>,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let caller = auth.0;
    let viewer = viewer(&caller)?;
    let today = state.clock.today_nl();
    let staff = caller.role != Role::Landlord;
    let (app, property, rooms, occ, bibob, flags) = state
        .db
        .read(move |c| {
            let app = load(c, &id, &viewer)?;
            let property = load_property(c, &app.property_id)?;
            let rooms = properties::rooms(c, &property.id)?;
            let occ = licensing::occupancy(c, &app.id)?;
            let bibob = licensing::find_bibob(c, &app.id)?;
            let kinds: Vec<String> = licensing::documents(c, &app.id)?.into_iter().map(|d| d.kind).collect();
            // A natural person has no KvK number: the item does not apply (counts as present).
            let kvk = crate::db::accounts::find_landlord(c, &app.landlord_id)?.and_then(|l| {
                if l.kind == "legal_entity" {
                    l.kvk_number
                } else {
                    Some(String::new())
                }
            });
            let flags = if staff { Some(screening_for(c, &app, &property, today)?) } else { None };
            Ok((app, property, rooms, occ, (bibob, kinds, kvk), flags))
        })
        .await?;
    let (bibob, kinds, kvk) = bibob;
    let rules = rules_on(&state, app.submitted_on.unwrap_or(today))?;
    let desc = description(&property, &rooms, &occ);
    let a = occupancy::assess(&desc, rules);
    let required_documents = rules
        .required_documents
        .iter()
        .map(|code| RequiredDocumentDto {
            code: code.clone(),
            present: required_present(code, &app, kvk.as_deref(), &kinds),
        })
        .collect();
    let beds = u32::try_from(desc.occupants()).unwrap_or(u32::MAX);
    let fee_cents = rules.fees.application_fee(1, beds).map(|m| m.cents()).unwrap_or(0);
    let screening = if let Some(flags) = flags {
        let check = bibob_check(bibob.as_ref())?;
        Some(ScreeningDto {
            prior_enforcement_8y: flags.prior_enforcement_8y,
            management_takeover: flags.beheer,
            missing_building_permit: flags.missing_permit,
            bibob_pending: check.status.in_progress(),
            bibob_serious_danger: (caller.role == Role::BibobOfficer)
                .then(|| check.outcome.is_some_and(BibobOutcome::is_serious)),
        })
    } else {
        None
    };
    let per_person = (a.occupants > 0).then(|| to_m2(property.usable_floor_area_dm2) / a.occupants as f64);
    Ok(HttpResponse::Ok().json(AssessmentResponse {
        application_id: app.id,
        rule_set_valid_from: rules.valid_from,
        all_passed: a.all_passed(),
        occupants: a.occupants,
        max_occupants_by_floor_area: a.max_occupants,
        floor_area_per_person_m2: per_person.map(|v| (v * 100.0).round() / 100.0),
        results: serde_json::to_value(&a.results).map_err(AppError::internal)?,
        required_documents,
        fee_cents,
        screening,
    }))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn scenario_19_stored_due_date_while_waiting_for_information_assumes_the_whole_hersteltermijn() {
        let rules = RuleSet::default();
        let mut clock = DecisionClock::new(d(2025, 3, 3), &rules);
        clock.suspensions.push(Suspension::AwaitingSupplement {
            invited_on: d(2025, 3, 10),
            respond_by: Some(d(2025, 3, 24)),
            supplemented_on: None,
        });
        assert_eq!(latest_due(&clock, &rules, d(2025, 3, 12)), d(2025, 5, 12));
        if let Suspension::AwaitingSupplement { supplemented_on, .. } = &mut clock.suspensions[0] {
            *supplemented_on = Some(d(2025, 3, 20));
        }
        assert_eq!(latest_due(&clock, &rules, d(2025, 3, 20)), d(2025, 5, 8));
    }

    #[test]
    fn scenario_20_stored_due_date_while_lbb_advice_is_pending_is_capped_at_eight_weeks() {
        let rules = RuleSet::default();
        let mut clock = DecisionClock::new(d(2025, 3, 3), &rules);
        clock.suspensions.push(Suspension::BibobAdvice {
            requested_on: d(2025, 3, 17),
            received_on: None,
            lbb_extension_weeks: 0,
            lbb_suspended_days: 0,
        });
        assert_eq!(latest_due(&clock, &rules, d(2025, 3, 18)), d(2025, 6, 23));
        if let Suspension::BibobAdvice { received_on, .. } = &mut clock.suspensions[0] {
            *received_on = Some(d(2025, 5, 5));
        }
        assert_eq!(latest_due(&clock, &rules, d(2025, 5, 5)), d(2025, 6, 16));
    }

    #[test]
    fn stored_names_round_trip_and_verbs_use_hyphens() {
        assert_eq!(enum_str(ApplicationState::GrantedWithConditions), "granted_with_conditions");
        assert_eq!(parse_enum::<ApplicationState>("in_review").unwrap(), ApplicationState::InReview);
        assert!(parse_enum::<ApplicationState>("bogus").is_err());
        assert_eq!(verb(ActionKind::RequestInformation), "request-information");
    }
}
