//! The enforcement dashboard, the landlord's own sanctions and the policy in force.

use actix_web::{get, web, HttpResponse};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::history::{counts, CountBy};
use super::{procedure_state, Deadline};
use crate::domain::code::Code;
use crate::error::AppError;
use crate::http::auth::{Auth, EnforcementRead, LandlordOnly};
use crate::http::objections::ObjectionDeadlineItem;
use crate::http::problem::{AuthProblems, CreateProblems};
use crate::http::referrals::ReferralResponse;
use crate::http::AppState;
use crate::service::{self, enforcement as uc};

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct DashboardQuery {
    /// Horizon for upcoming deadlines, 1–366 days (default from the policy, 14).
    #[param(minimum = 1, maximum = 366)]
    pub days: Option<u32>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct DeadlineItem {
    pub sanction_id: String,
    pub case_id: String,
    pub landlord_id: String,
    #[schema(value_type = crate::domain::sanction_lifecycle::SanctionKind)]
    pub kind: String,
    #[schema(value_type = crate::http::schema::DeadlineKind)]
    pub deadline_kind: String,
    pub due_on: NaiveDate,
}

impl From<uc::DeadlineEntry> for DeadlineItem {
    fn from(d: uc::DeadlineEntry) -> Self {
        DeadlineItem {
            sanction_id: d.sanction.id,
            case_id: d.sanction.case_id,
            landlord_id: d.sanction.landlord_id,
            kind: d.sanction.kind.code().to_string(),
            deadline_kind: d.deadline_kind,
            due_on: d.due_on,
        }
    }
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct LandlordRecidive {
    pub landlord_id: String,
    pub latest_fine_decision: Option<NaiveDate>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct DashboardResponse {
    pub today: NaiveDate,
    pub horizon_days: u32,
    pub open_cases_by_stage: Vec<CountBy>,
    /// Deadlines (zienswijze, 13-week fine limit, remedy terms, payment…) within the horizon.
    pub upcoming_deadlines: Vec<DeadlineItem>,
    /// Procedures whose every running deadline has passed (e.g. the 13-week fine limit, a
    /// payment term, a remedy term without follow-up).
    pub overdue: Vec<DeadlineItem>,
    /// Landlords with a fine decided within the recidive window.
    pub landlords_with_recidive: Vec<LandlordRecidive>,
    /// Inspections with exploitation signals that still await a referral decision (list them
    /// with `GET /v1/inspections?referral_pending=true`).
    pub inspections_awaiting_referral: i64,
    /// Open objections against enforcement besluiten (fines, penalty orders, collection
    /// decisions, bestuursdwang, takeovers) whose decision is overdue or due within the
    /// horizon, earliest first.
    pub objection_deadlines: Vec<ObjectionDeadlineItem>,
    /// Referrals to partners (of complaints and of inspections) without feedback more than
    /// `HUURTOEZICHT_REFERRAL_FEEDBACK_WEEKS` weeks (default 6) after `referred_on`: how many.
    pub overdue_referral_count: i64,
    /// The oldest of them (at most 200; all of them: `GET /v1/referrals?overdue=true`).
    pub overdue_referrals: Vec<ReferralResponse>,
}

/// Enforcement dashboard (officers, managers): open cases by stage, deadlines within N days,
/// overdue items, landlords with recidive, referrals whose partner feedback is overdue. Lists are
/// capped at 200 items each.
#[utoipa::path(
    tag = "enforcement",
    security(("bearer" = [])),
    params(DashboardQuery),
    responses(
        (status = 200, body = DashboardResponse),
        CreateProblems
    )
)]
#[get("/v1/enforcement/dashboard")]
pub async fn enforcement_dashboard(
    state: web::Data<AppState>,
    auth: Auth<EnforcementRead>,
    query: web::Query<DashboardQuery>,
) -> Result<HttpResponse, AppError> {
    let policy = state.config.enforcement_policy.clone();
    let days = query.into_inner().days.unwrap_or(policy.dashboard_days);
    if !(1..=366).contains(&days) {
        return Err(AppError::field("#/query/days", "must be between 1 and 366"));
    }
    let query = uc::DashboardQuery { days, policy, feedback_weeks: state.config.referrals.feedback_weeks };
    let d = service::read(&state.db, auth.ctx(&state.clock), move |tx| uc::dashboard(tx, query)).await?;
    Ok(HttpResponse::Ok().json(DashboardResponse {
        today: d.today,
        horizon_days: days,
        open_cases_by_stage: counts(d.open_cases_by_stage),
        upcoming_deadlines: d.upcoming.into_iter().map(DeadlineItem::from).collect(),
        overdue: d.overdue.into_iter().map(DeadlineItem::from).collect(),
        landlords_with_recidive: d
            .landlords_with_recidive
            .into_iter()
            .map(|(landlord_id, latest_fine_decision)| LandlordRecidive { landlord_id, latest_fine_decision })
            .collect(),
        inspections_awaiting_referral: d.inspections_awaiting_referral,
        objection_deadlines: d.objections.into_iter().map(ObjectionDeadlineItem::from).collect(),
        overdue_referral_count: d.overdue_referrals.0,
        overdue_referrals: d.overdue_referrals.1.into_iter().map(ReferralResponse::from).collect(),
    }))
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct MySanction {
    pub id: String,
    #[schema(value_type = crate::domain::sanction_lifecycle::SanctionKind)]
    pub kind: String,
    pub rule: String,
    pub violation_date: NaiveDate,
    pub state_name: String,
    #[schema(value_type = Object)]
    pub state: serde_json::Value,
    pub deadlines: Vec<Deadline>,
    pub amount_cents: Option<i64>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct MySanctionsResponse {
    pub items: Vec<MySanction>,
}

/// The sanctions addressed to the calling landlord, with their deadlines (newest first, 200).
/// A fine still at the rapport stage is not yet addressed to the landlord and is not shown.
#[utoipa::path(
    tag = "enforcement",
    security(("bearer" = [])),
    responses(
        (status = 200, body = MySanctionsResponse),
        AuthProblems
    )
)]
#[get("/v1/me/sanctions")]
pub async fn my_sanctions(
    state: web::Data<AppState>,
    auth: Auth<LandlordOnly>,
) -> Result<HttpResponse, AppError> {
    // A portal's mandate covers licence applications, not the landlord's sanctions.
    auth.require_in_person()?;
    let Some(landlord_id) = auth.landlord_id.clone() else {
        return Ok(HttpResponse::Ok().json(MySanctionsResponse { items: vec![] }));
    };
    let rows = service::read(&state.db, auth.ctx(&state.clock), move |tx| uc::my_sanctions(tx, &landlord_id))
        .await?;
    let items = rows
        .into_iter()
        .map(|r| {
            let (state, deadlines) = procedure_state(r.kind, &r.state)?;
            Ok(MySanction {
                deadlines,
                state,
                violation_date: r.violation_date,
                id: r.id,
                kind: r.kind.code().to_string(),
                rule: r.rule,
                state_name: r.state_name,
                amount_cents: r.amount_cents,
                created_at: r.created_at.and_utc(),
            })
        })
        .collect::<Result<Vec<_>, AppError>>()?;
    Ok(HttpResponse::Ok().json(MySanctionsResponse { items }))
}

/// The enforcement policy in force (fine tables, recidive, ladder, terms) — officers, managers.
#[utoipa::path(
    tag = "enforcement",
    security(("bearer" = [])),
    responses(
        (status = 200, body = Object),
        AuthProblems
    )
)]
#[get("/v1/enforcement/policy")]
pub async fn enforcement_policy(
    state: web::Data<AppState>,
    _auth: Auth<EnforcementRead>,
) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Ok().json(&*state.config.enforcement_policy))
}
