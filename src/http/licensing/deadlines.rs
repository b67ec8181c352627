//! The licensing dashboard (officers, managers): the deadlines of undecided applications that
//! have passed or fall within a horizon. LBB advice dates are not on it: only the Bibob officer
//! sees them (`GET /v1/bibob-checks`).

use actix_web::{get, web, HttpResponse};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::domain::deadlines::LicensingDeadlineKind;
use crate::error::AppError;
use crate::http::auth::{Auth, LicensingStaff};
use crate::http::objections::ObjectionDeadlineItem;
use crate::http::problem::CreateProblems;
use crate::http::AppState;
use crate::service;
use crate::service::licensing::deadlines::{self as uc, DeadlineEntry};

/// Horizon of the dashboard when `days` is not given.
pub const DEFAULT_DASHBOARD_DAYS: u32 = 14;

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct LicensingDashboardQuery {
    /// Horizon for upcoming deadlines, 1–366 days (default 14).
    #[param(minimum = 1, maximum = 366)]
    pub days: Option<u32>,
}

/// One deadline of an undecided application.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct LicensingDeadline {
    pub application_id: String,
    /// `decision` (Awb 4:13 with suspensions, extension and Atw) or `not_considered_decision`
    /// (Awb 4:5 lid 4: 4 weeks after the term to supply information lapsed unused).
    #[schema(value_type = LicensingDeadlineKind)]
    pub deadline_kind: LicensingDeadlineKind,
    pub due_on: NaiveDate,
    /// The due day has passed.
    pub overdue: bool,
}

impl From<DeadlineEntry> for LicensingDeadline {
    fn from(d: DeadlineEntry) -> Self {
        LicensingDeadline {
            application_id: d.application_id,
            deadline_kind: d.deadline_kind,
            due_on: d.due_on,
            overdue: d.overdue,
        }
    }
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct LicensingDashboardResponse {
    pub today: NaiveDate,
    pub horizon_days: u32,
    /// Overdue deadlines and those due within the horizon, earliest first (from at most 200
    /// applications, the most urgent).
    pub deadlines: Vec<LicensingDeadline>,
    /// Open objections against licensing besluiten (licence decisions, decisions not to
    /// consider, suspensions, revocations) whose decision is overdue or due within the horizon,
    /// earliest first.
    pub objection_deadlines: Vec<ObjectionDeadlineItem>,
    /// Webhook subscriptions of portals in these municipalities that were paused because their
    /// deliveries kept failing (`GET /v1/webhook-subscriptions`; the portal resumes them).
    pub paused_webhook_subscriptions: i64,
}

/// Licensing dashboard (officers, managers of the municipality): decision dates and dates to
/// make known a decision not to consider, overdue or due within `days`.
#[utoipa::path(
    tag = "licences",
    security(("bearer" = [])),
    params(LicensingDashboardQuery),
    responses(
        (status = 200, body = LicensingDashboardResponse),
        CreateProblems
    )
)]
#[get("/v1/licensing/dashboard")]
pub async fn licensing_dashboard(
    state: web::Data<AppState>,
    auth: Auth<LicensingStaff>,
    query: web::Query<LicensingDashboardQuery>,
) -> Result<HttpResponse, AppError> {
    let days = query.into_inner().days.unwrap_or(DEFAULT_DASHBOARD_DAYS);
    if !(1..=366).contains(&days) {
        return Err(AppError::field("#/query/days", "must be between 1 and 366"));
    }
    let d = service::read(&state.db, auth.ctx(&state.clock), move |tx| uc::dashboard(tx, days)).await?;
    Ok(HttpResponse::Ok().json(LicensingDashboardResponse {
        today: d.today,
        horizon_days: days,
        deadlines: d.deadlines.into_iter().map(LicensingDeadline::from).collect(),
        objection_deadlines: d.objections.into_iter().map(ObjectionDeadlineItem::from).collect(),
        paused_webhook_subscriptions: d.paused_webhook_subscriptions,
    }))
}
