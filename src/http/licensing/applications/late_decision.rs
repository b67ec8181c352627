//! The notice of default (ingebrekestelling) and the dwangsom for a late decision (Awb 4:17–4:18)
//! on a licence application: record the notice, record that no dwangsom is due (Awb 4:17 lid 6),
//! or fix its amount by beschikking (Awb 4:18). The application shows the running dwangsom.

use actix_web::{post, web, HttpResponse};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use super::{write_ok, ApplicationResponse};
use crate::db::late_decision::DefaultNotice;
use crate::db::licensing::Application;
use crate::domain::awb::DWANGSOM_MAX_DAYS;
use crate::domain::deadlines::{maximum_amount, NoPenaltyGround};
use crate::domain::money::Money;
use crate::domain::ruleset::RuleSet;
use crate::error::AppError;
use crate::http::auth::{Auth, OfficerOnly};
use crate::http::extract::ValidJson;
use crate::http::licensing::viewer;
use crate::http::preconditions::IfMatch;
use crate::http::problem::CaseworkProblems;
use crate::http::AppState;
use crate::service::licensing::late_decision::{
    self as uc, status_of, FixPenalty, RecordNoPenalty, RecordNotice,
};

/// The dwangsom for a late decision as it stands today (Awb 4:17).
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct LateDecisionPenaltyDto {
    /// First dwangsom day: two weeks after the notice was received (Awb 4:17 lid 2; no Atw roll).
    pub first_day_on: NaiveDate,
    /// Last dwangsom day counted so far; absent while none has passed.
    pub last_day_on: Option<NaiveDate>,
    /// Dwangsom days so far (0–42). The day of the decision does not count.
    pub days: u32,
    /// The rate of the last day counted: 2000, 3000 or 4000 cents (Awb 4:17 lid 2).
    pub day_rate_cents: i64,
    /// Total so far, in cents.
    pub amount_cents: i64,
    /// At most 42 days (Awb 4:17 lid 1).
    pub maximum_days: u32,
    /// At most €1,260 (Awb 4:17 lid 1–2), in cents.
    pub maximum_cents: i64,
    pub maximum_reached: bool,
    /// Still running: undecided and under the maximum.
    pub running: bool,
    /// Last day to fix the amount by beschikking: two weeks after the last dwangsom day
    /// (Awb 4:18, Atw roll). While it runs, the latest this can become.
    pub fix_by: Option<NaiveDate>,
}

/// The officer's reasoned choice that no dwangsom is due (Awb 4:17 lid 6).
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct NoPenaltyDto {
    #[schema(value_type = NoPenaltyGround)]
    pub ground: NoPenaltyGround,
    pub motivation: String,
}

/// The beschikking fixing the dwangsom (Awb 4:18).
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct PenaltyDecisionDto {
    pub decided_on: NaiveDate,
    pub amount_cents: i64,
    /// Why the amount differs from the computed one.
    pub deviation_motivation: Option<String>,
    /// Last day to lodge an objection (Awb 6:7/6:8 with the Atw).
    pub objection_period_ends_on: Option<NaiveDate>,
}

/// A received notice of default and what follows from it.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct LateDecisionDto {
    pub notice_received_on: NaiveDate,
    /// The dwangsom; absent when the officer recorded that none is due.
    pub penalty: Option<LateDecisionPenaltyDto>,
    pub no_penalty: Option<NoPenaltyDto>,
    pub penalty_decision: Option<PenaltyDecisionDto>,
}

/// The notice as the application's response shows it.
pub(crate) fn late_decision_dto(
    app: &Application,
    n: DefaultNotice,
    today: NaiveDate,
    rules: &RuleSet,
) -> LateDecisionDto {
    let no_penalty = n.no_penalty_ground.map(|ground| NoPenaltyDto {
        ground,
        motivation: n.no_penalty_motivation.clone().unwrap_or_default(),
    });
    let penalty = if no_penalty.is_some() {
        None
    } else {
        status_of(app, &n, today, rules).map(|s| LateDecisionPenaltyDto {
            first_day_on: s.penalty.first_day,
            last_day_on: s.penalty.last_day,
            days: s.penalty.days,
            day_rate_cents: s.day_rate.cents(),
            amount_cents: s.penalty.amount.cents(),
            maximum_days: u32::try_from(DWANGSOM_MAX_DAYS).unwrap_or(0),
            maximum_cents: maximum_amount().cents(),
            maximum_reached: s.penalty.maximum_reached,
            running: s.running,
            fix_by: s.fix_by,
        })
    };
    let penalty_decision = match (n.penalty_decided_on, n.penalty_amount_cents) {
        (Some(decided_on), Some(amount_cents)) => Some(PenaltyDecisionDto {
            decided_on,
            amount_cents,
            deviation_motivation: n.penalty_deviation_motivation,
            objection_period_ends_on: n.penalty_objection_ends_on,
        }),
        _ => None,
    };
    LateDecisionDto { notice_received_on: n.received_on, penalty, no_penalty, penalty_decision }
}

/// A received notice of default.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NoticeOfDefaultRequest {
    /// Day the written notice was received: not in the future, after the decision due date.
    pub received_on: NaiveDate,
}

/// Record a received notice of default (ingebrekestelling) on an undecided application whose
/// decision term lapsed: the dwangsom for a late decision starts two weeks later (Awb 4:17).
/// One per application (409 for a second); a notice on or before the due date is 422.
#[utoipa::path(
    tag = "licences",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Application id"), IfMatch),
    request_body = NoticeOfDefaultRequest,
    responses(
        (status = 200, body = ApplicationResponse),
        CaseworkProblems
    )
)]
#[post("/v1/licence-applications/{id}/notice-of-default")]
pub async fn record_notice_of_default(
    state: web::Data<AppState>,
    auth: Auth<OfficerOnly>,
    path: web::Path<String>,
    if_match: IfMatch,
    body: ValidJson<NoticeOfDefaultRequest>,
) -> Result<HttpResponse, AppError> {
    let expected = if_match.on(&path);
    let cmd = RecordNotice {
        viewer: viewer(&auth),
        id: path.into_inner(),
        received_on: body.0.received_on,
        rules: state.rules.clone(),
    };
    write_ok(&state, &auth, expected, move |tx| uc::record_notice(tx, cmd)).await
}

/// No dwangsom is due, on a ground of Awb 4:17 lid 6.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NoPenaltyRequest {
    #[schema(value_type = NoPenaltyGround)]
    pub ground: NoPenaltyGround,
    /// Why the ground applies (Awb 3:46).
    #[validate(length(min = 1, max = 20000))]
    #[schema(min_length = 1, max_length = 20000)]
    pub motivation: String,
}

/// Record that no dwangsom for the late decision is due: the notice came unreasonably late, the
/// applicant is not an interested party, or the application is clearly inadmissible or
/// unfounded (Awb 4:17 lid 6). The application then shows the ground instead of a dwangsom.
#[utoipa::path(
    tag = "licences",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Application id"), IfMatch),
    request_body = NoPenaltyRequest,
    responses(
        (status = 200, body = ApplicationResponse),
        CaseworkProblems
    )
)]
#[post("/v1/licence-applications/{id}/no-late-decision-penalty")]
pub async fn record_no_late_decision_penalty(
    state: web::Data<AppState>,
    auth: Auth<OfficerOnly>,
    path: web::Path<String>,
    if_match: IfMatch,
    body: ValidJson<NoPenaltyRequest>,
) -> Result<HttpResponse, AppError> {
    let expected = if_match.on(&path);
    let req = body.0;
    let cmd = RecordNoPenalty {
        viewer: viewer(&auth),
        id: path.into_inner(),
        ground: req.ground,
        motivation: req.motivation,
    };
    write_ok(&state, &auth, expected, move |tx| uc::record_no_penalty(tx, cmd)).await
}

/// The beschikking fixing the dwangsom (Awb 4:18).
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FixPenaltyRequest {
    /// Day of the beschikking; not in the future.
    pub decided_on: NaiveDate,
    /// The amount fixed, in cents: the computed amount, or another with `deviation_motivation`.
    #[validate(range(min = 0, max = 126_000))]
    #[schema(minimum = 0, maximum = 126_000)]
    pub amount_cents: i64,
    /// Required when the amount differs from the computed one.
    #[validate(length(max = 20000))]
    #[schema(max_length = 20000)]
    pub deviation_motivation: Option<String>,
}

/// Fix the dwangsom for the late decision by beschikking, once it stopped running (the
/// application decided, or the 42-day maximum reached; 409 before). The landlord receives the
/// beschikking with the amount and the end of the objection term.
#[utoipa::path(
    tag = "licences",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Application id"), IfMatch),
    request_body = FixPenaltyRequest,
    responses(
        (status = 200, body = ApplicationResponse),
        CaseworkProblems
    )
)]
#[post("/v1/licence-applications/{id}/fix-late-decision-penalty")]
pub async fn fix_late_decision_penalty(
    state: web::Data<AppState>,
    auth: Auth<OfficerOnly>,
    path: web::Path<String>,
    if_match: IfMatch,
    body: ValidJson<FixPenaltyRequest>,
) -> Result<HttpResponse, AppError> {
    let expected = if_match.on(&path);
    let req = body.0;
    let amount =
        Money::from_cents(req.amount_cents).map_err(|e| AppError::field("/amount_cents", e.to_string()))?;
    let cmd = FixPenalty {
        viewer: viewer(&auth),
        id: path.into_inner(),
        decided_on: req.decided_on,
        amount,
        deviation_motivation: req.deviation_motivation,
        rules: state.rules.clone(),
    };
    write_ok(&state, &auth, expected, move |tx| uc::fix_penalty(tx, cmd)).await
}
