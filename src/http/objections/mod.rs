//! Objections (bezwaar) against a besluit and the appeal after them: record one (officers), read
//! and list them (officers, managers), take a step (officers), and the landlord's own view.
//! The use cases are in `crate::service::objections`; the law in `crate::domain::objections`.

mod requests;

use actix_web::{get, post, web, HttpResponse};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

pub use requests::{BesluitRef, CreateObjectionRequest, LodgedByDto, NewDecisionDto, ObjectionActionRequest};

use crate::db::objections::ObjectionFilter;
use crate::domain::calendar::HolidayCalendar;
use crate::domain::code::Code;
use crate::domain::objections::{
    AppealOutcome, BesluitKind, LodgedByKind, ObjectionActionKind, ObjectionOutcome, ObjectionState,
};
use crate::domain::roles::Role;
use crate::error::AppError;
use crate::http::auth::{Auth, EnforcementRead, LandlordOnly, OfficerOnly};
use crate::http::common::{page, page_limit, parse_date};
use crate::http::extract::ValidJson;
use crate::http::idempotency::{created, respond, IdempotencyKeyHeader, KeyedJson};
use crate::http::problem::{
    AuthProblems, CaseworkProblems, CreateProblems, IdempotencyProblems, Problem, ReadProblems,
};
use crate::http::AppState;
use crate::service::idempotency::idempotent;
use crate::service::objections::{self as uc, Shown};
use crate::service::{self};

crate::code_schemas!(
    BesluitKind => "Kind of besluit (Awb 1:3) an objection is against.",
    ObjectionState => "Where an objection stands: received → (hearing_planned →) heard → decided | withdrawn.",
    ObjectionOutcome => "Outcome of the decision on an objection (Awb 7:11; inadmissible: Awb 6:6, 6:11).",
    LodgedByKind => "Who lodged an objection: the addressee of the besluit or a third party with an interest.",
    AppealOutcome => "The court's judgment on the appeal (beroep).",
    ObjectionActionKind => "Steps on an objection (`POST /v1/objections/{id}/actions`).",
);

/// An open objection whose decision (Awb 7:10) is overdue or due within a dashboard's horizon.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ObjectionDeadlineItem {
    pub objection_id: String,
    pub besluit_kind: BesluitKind,
    pub besluit_id: String,
    pub landlord_id: String,
    pub decision_due_on: NaiveDate,
    /// The due day has passed.
    pub overdue: bool,
}

impl From<uc::ObjectionDeadline> for ObjectionDeadlineItem {
    fn from(d: uc::ObjectionDeadline) -> Self {
        ObjectionDeadlineItem {
            objection_id: d.objection_id,
            besluit_kind: d.besluit_kind,
            besluit_id: d.besluit_id,
            landlord_id: d.landlord_id,
            decision_due_on: d.decision_due_on,
            overdue: d.overdue,
        }
    }
}

/// The besluit as the objection shows it.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct BesluitView {
    pub kind: BesluitKind,
    pub id: String,
    /// Bekendmaking: the objection term starts the day after (Awb 6:8).
    pub notified_on: NaiveDate,
    /// The day it became final (onherroepelijk); absent while an objection or appeal can still
    /// be lodged or runs.
    pub final_on: Option<NaiveDate>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct PostponementView {
    pub postponed_on: NaiveDate,
    pub reason: String,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ProvisionalReliefView {
    pub granted_on: NaiveDate,
    pub court: String,
    pub suspends_enforcement: bool,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct AppealView {
    pub lodged_on: NaiveDate,
    pub court: String,
    /// Lodged within 6 weeks after the decision on the objection was made known (Awb 6:7, 6:8).
    pub on_time: bool,
    pub judgment_on: Option<NaiveDate>,
    pub outcome: Option<AppealOutcome>,
}

/// One objection (officers, managers).
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ObjectionResponse {
    pub id: String,
    pub besluit: BesluitView,
    pub landlord_id: String,
    pub received_on: NaiveDate,
    pub lodged_by: LodgedByDto,
    pub grounds_summary: Option<String>,
    pub advisory_committee: bool,
    /// Last day of the objection term (Awb 6:7, 6:8, Atw).
    pub objection_term_ends_on: NaiveDate,
    pub on_time: bool,
    /// For a late objection: whether the lateness is excusable (Awb 6:11); absent until decided.
    pub excusable: Option<bool>,
    pub state: ObjectionState,
    pub hearing_planned_on: Option<NaiveDate>,
    pub heard_on: Option<NaiveDate>,
    /// The decision term before any postponement (Awb 7:10 lid 1).
    pub initial_due_on: NaiveDate,
    /// The current last day of the decision term (Awb 7:10, Atw).
    pub decision_due_on: NaiveDate,
    pub overdue: bool,
    pub postponement: Option<PostponementView>,
    /// The day the objector consented to a further postponement (Awb 7:10 lid 4).
    pub consent_on: Option<NaiveDate>,
    pub decided_on: Option<NaiveDate>,
    pub decision_notified_on: Option<NaiveDate>,
    pub outcome: Option<ObjectionOutcome>,
    pub withdrawn_on: Option<NaiveDate>,
    pub new_decision: Option<NewDecisionDto>,
    pub provisional_relief: Option<ProvisionalReliefView>,
    /// Last day of the appeal term once the decision is made known (Awb 6:7, 6:8, Atw).
    pub appeal_term_ends_on: Option<NaiveDate>,
    pub appeal: Option<AppealView>,
    /// The steps the state allows that the caller's role may take.
    pub allowed_actions: Vec<ObjectionActionKind>,
    pub created_at: DateTime<Utc>,
}

fn response(s: Shown, role: Role, today: NaiveDate, cal: &HolidayCalendar) -> ObjectionResponse {
    let o = s.row.objection();
    let r = s.row;
    ObjectionResponse {
        allowed_actions: if role == Role::Officer { o.allowed_actions() } else { Vec::new() },
        overdue: o.overdue(today),
        appeal_term_ends_on: o.appeal_term_ends_on(cal),
        besluit: BesluitView {
            kind: r.besluit_kind,
            id: r.besluit_id,
            notified_on: r.besluit_notified_on,
            final_on: s.final_on,
        },
        id: r.id,
        landlord_id: r.landlord_id,
        received_on: r.received_on,
        lodged_by: LodgedByDto { kind: r.lodged_by_kind, description: r.lodged_by_description },
        grounds_summary: r.grounds_summary,
        advisory_committee: r.advisory_committee,
        objection_term_ends_on: r.objection_term_ends_on,
        on_time: r.on_time,
        excusable: r.excusable,
        state: r.state,
        hearing_planned_on: r.hearing_planned_on,
        heard_on: r.heard_on,
        initial_due_on: r.initial_due_on,
        decision_due_on: r.decision_due_on,
        postponement: r.postponed_on.map(|postponed_on| PostponementView {
            postponed_on,
            reason: r.postponement_reason.unwrap_or_default(),
        }),
        consent_on: r.consent_on,
        decided_on: r.decided_on,
        decision_notified_on: r.decision_notified_on,
        outcome: r.outcome,
        withdrawn_on: r.withdrawn_on,
        new_decision: r
            .new_decision_reference
            .map(|reference| NewDecisionDto { reference, id: r.new_decision_id }),
        provisional_relief: r.relief_granted_on.map(|granted_on| ProvisionalReliefView {
            granted_on,
            court: r.relief_court.unwrap_or_default(),
            suspends_enforcement: r.relief_suspends.unwrap_or(false),
        }),
        appeal: r.appeal_lodged_on.map(|lodged_on| AppealView {
            lodged_on,
            court: r.appeal_court.unwrap_or_default(),
            on_time: r.appeal_on_time.unwrap_or(true),
            judgment_on: r.appeal_judgment_on,
            outcome: r.appeal_outcome,
        }),
        created_at: r.created_at.and_utc(),
    }
}

fn calendar(state: &AppState) -> Result<HolidayCalendar, AppError> {
    Ok(service::licensing::rules_on(&state.rules, state.clock.today_nl())?.calendar())
}

/// Record a received objection against a besluit of the municipality (officers). A late one is
/// recorded and flagged for an Awb 6:11 decision. The addressee gets an acknowledgement with the
/// decision term.
#[utoipa::path(
    tag = "objections",
    security(("bearer" = [])),
    params(IdempotencyKeyHeader),
    request_body = CreateObjectionRequest,
    responses(
        (status = 201, body = ObjectionResponse, headers(("Idempotent-Replayed" = String, description = "`true` on the answer to a retry with the same Idempotency-Key and body: the original answer; nothing new was recorded"))),
        CaseworkProblems,
        IdempotencyProblems
    )
)]
#[post("/v1/objections")]
pub async fn create_objection(
    state: web::Data<AppState>,
    auth: Auth<OfficerOnly>,
    body: KeyedJson<CreateObjectionRequest>,
) -> Result<HttpResponse, AppError> {
    let today = state.clock.today_nl();
    let KeyedJson { body: b, idempotency } = body;
    let received_on = b.received_on(today)?;
    let cal = calendar(&state)?;
    let cmd = uc::Lodge {
        besluit_kind: b.besluit.kind,
        besluit_id: b.besluit.id,
        received_on,
        lodged_by_kind: b.lodged_by.kind,
        lodged_by_description: b.lodged_by.description.trim().to_string(),
        advisory_committee: b.advisory_committee,
        grounds_summary: b.grounds_summary,
        calendar: cal.clone(),
        policy: state.config.enforcement_policy.clone(),
        municipality_name: state.config.municipality_name.clone(),
        created_by: auth.id.clone(),
    };
    let role = auth.role;
    let outcome = service::write(&state.db, auth.ctx(&state.clock), move |tx| {
        idempotent(tx, idempotency, |tx| {
            let row = uc::lodge(tx, cmd)?;
            let mut shown = uc::shown(tx, vec![row], &cal)?;
            let s = shown.pop().ok_or_else(|| AppError::internal(anyhow::anyhow!("no objection")))?;
            created(&response(s, role, today, &cal))
        })
    })
    .await?;
    Ok(respond(outcome))
}

/// One objection (officers, managers).
#[utoipa::path(
    tag = "objections",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Objection id")),
    responses(
        (status = 200, body = ObjectionResponse),
        ReadProblems
    )
)]
#[get("/v1/objections/{id}")]
pub async fn get_objection(
    state: web::Data<AppState>,
    auth: Auth<EnforcementRead>,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let cal = calendar(&state)?;
    let c = cal.clone();
    let mut shown = service::read(&state.db, auth.ctx(&state.clock), move |tx| {
        let row = uc::get(tx, &id)?;
        uc::shown(tx, vec![row], &c)
    })
    .await?;
    let s = shown.pop().ok_or_else(|| AppError::NotFound("objection".into()))?;
    Ok(HttpResponse::Ok().json(response(s, auth.role, state.clock.today_nl(), &cal)))
}

/// Take a step on an objection (officers). An action the state does not allow is 409 with
/// `allowed_actions`; bad input 422 naming the field.
#[utoipa::path(
    tag = "objections",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Objection id")),
    request_body = ObjectionActionRequest,
    responses(
        (status = 200, body = ObjectionResponse),
        CaseworkProblems
    )
)]
#[post("/v1/objections/{id}/actions")]
pub async fn objection_action(
    state: web::Data<AppState>,
    auth: Auth<OfficerOnly>,
    path: web::Path<String>,
    body: ValidJson<ObjectionActionRequest>,
) -> Result<HttpResponse, AppError> {
    let today = state.clock.today_nl();
    let action = body.0.parse(today)?;
    let cal = calendar(&state)?;
    let cmd = uc::Act { id: path.into_inner(), action, calendar: cal.clone() };
    let c = cal.clone();
    let mut shown = service::write(&state.db, auth.ctx(&state.clock), move |tx| {
        let row = uc::act(tx, cmd)?;
        uc::shown(tx, vec![row], &c)
    })
    .await?;
    let s = shown.pop().ok_or_else(|| AppError::internal(anyhow::anyhow!("no objection")))?;
    Ok(HttpResponse::Ok().json(response(s, auth.role, today, &cal)))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ObjectionListQuery {
    #[param(value_type = Option<ObjectionState>)]
    pub state: Option<String>,
    #[param(value_type = Option<BesluitKind>)]
    pub besluit_kind: Option<String>,
    /// `true`: only open objections whose decision term has passed.
    pub overdue: Option<bool>,
    /// Only objections due before this day (YYYY-MM-DD).
    pub due_before: Option<String>,
    pub cursor: Option<String>,
    /// 1–200, default 50.
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<i64>,
}

impl ObjectionListQuery {
    fn filter(self, today: NaiveDate) -> Result<(ObjectionFilter, i64), AppError> {
        let limit = page_limit(self.limit, 50)?;
        let state = match self.state.as_deref() {
            Some(s) => Some(ObjectionState::from_code(s).ok_or_else(|| {
                let known: Vec<&str> = ObjectionState::ALL.iter().map(|s| s.code()).collect();
                AppError::field("#/query/state", format!("must be one of {}", known.join(", ")))
            })?),
            None => None,
        };
        let besluit_kind = match self.besluit_kind.as_deref() {
            Some(k) => Some(BesluitKind::from_code(k).ok_or_else(|| {
                let known: Vec<&str> = BesluitKind::ALL.iter().map(|s| s.code()).collect();
                AppError::field("#/query/besluit_kind", format!("must be one of {}", known.join(", ")))
            })?),
            None => None,
        };
        let mut errs = Vec::new();
        let due_before =
            self.due_before.as_deref().and_then(|d| parse_date(d, "#/query/due_before", &mut errs));
        if !errs.is_empty() {
            return Err(AppError::Validation(errs));
        }
        let filter = ObjectionFilter {
            state,
            besluit_kind,
            overdue_on: (self.overdue == Some(true)).then_some(today),
            due_before,
            landlord_id: None,
            after: self.cursor,
            limit: limit + 1,
        };
        Ok((filter, limit))
    }
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ObjectionListResponse {
    pub items: Vec<ObjectionResponse>,
    pub next_cursor: Option<String>,
}

fn cursor(s: &Shown) -> String {
    format!("{}|{}", s.row.decision_due_on, s.row.id)
}

/// Objections of the caller's municipalities, soonest decision due first (officers, managers).
#[utoipa::path(
    tag = "objections",
    security(("bearer" = [])),
    params(ObjectionListQuery),
    responses(
        (status = 200, body = ObjectionListResponse),
        CreateProblems
    )
)]
#[get("/v1/objections")]
pub async fn list_objections(
    state: web::Data<AppState>,
    auth: Auth<EnforcementRead>,
    query: web::Query<ObjectionListQuery>,
) -> Result<HttpResponse, AppError> {
    let today = state.clock.today_nl();
    let (filter, limit) = query.into_inner().filter(today)?;
    let cal = calendar(&state)?;
    let c = cal.clone();
    let mut rows = service::read(&state.db, auth.ctx(&state.clock), move |tx| {
        let rows = uc::list(tx, filter)?;
        uc::shown(tx, rows, &c)
    })
    .await?;
    let next_cursor = page(&mut rows, limit, cursor);
    let items = rows.into_iter().map(|s| response(s, auth.role, today, &cal)).collect();
    Ok(HttpResponse::Ok().json(ObjectionListResponse { items, next_cursor }))
}

/// An objection against one of the landlord's own besluiten, with its dates (no internal
/// notes, no grounds, no description of who lodged it).
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct MyObjection {
    pub id: String,
    pub besluit: BesluitView,
    pub received_on: NaiveDate,
    pub state: ObjectionState,
    pub on_time: bool,
    pub objection_term_ends_on: NaiveDate,
    pub decision_due_on: NaiveDate,
    pub overdue: bool,
    pub decided_on: Option<NaiveDate>,
    pub outcome: Option<ObjectionOutcome>,
    pub appeal_term_ends_on: Option<NaiveDate>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct MyObjectionsResponse {
    pub items: Vec<MyObjection>,
    pub next_cursor: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct MyObjectionsQuery {
    pub cursor: Option<String>,
    /// 1–200, default 50.
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<i64>,
}

/// The objections against the calling landlord's own besluiten, with their deadlines.
#[utoipa::path(
    tag = "objections",
    security(("bearer" = [])),
    params(MyObjectionsQuery),
    responses(
        (status = 200, body = MyObjectionsResponse),
        AuthProblems,
        (status = 422, description = "Bad `limit` or `cursor`", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/v1/me/objections")]
pub async fn my_objections(
    state: web::Data<AppState>,
    auth: Auth<LandlordOnly>,
    query: web::Query<MyObjectionsQuery>,
) -> Result<HttpResponse, AppError> {
    auth.require_in_person()?;
    let Some(landlord_id) = auth.landlord_id.clone() else {
        return Ok(HttpResponse::Ok().json(MyObjectionsResponse { items: vec![], next_cursor: None }));
    };
    let q = query.into_inner();
    let limit = page_limit(q.limit, 50)?;
    let filter = ObjectionFilter { after: q.cursor, limit: limit + 1, ..Default::default() };
    let today = state.clock.today_nl();
    let cal = calendar(&state)?;
    let c = cal.clone();
    let mut rows = service::read(&state.db, auth.ctx(&state.clock), move |tx| {
        let rows = uc::mine(tx, &landlord_id, filter)?;
        uc::shown(tx, rows, &c)
    })
    .await?;
    let next_cursor = page(&mut rows, limit, cursor);
    let items = rows
        .into_iter()
        .map(|s| {
            let o = s.row.objection();
            MyObjection {
                overdue: o.overdue(today),
                appeal_term_ends_on: o.appeal_term_ends_on(&cal),
                besluit: BesluitView {
                    kind: s.row.besluit_kind,
                    id: s.row.besluit_id,
                    notified_on: s.row.besluit_notified_on,
                    final_on: s.final_on,
                },
                id: s.row.id,
                received_on: s.row.received_on,
                state: s.row.state,
                on_time: s.row.on_time,
                objection_term_ends_on: s.row.objection_term_ends_on,
                decision_due_on: s.row.decision_due_on,
                decided_on: s.row.decided_on,
                outcome: s.row.outcome,
            }
        })
        .collect();
    Ok(HttpResponse::Ok().json(MyObjectionsResponse { items, next_cursor }))
}
