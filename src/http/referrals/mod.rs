//! Referrals to partners of both kinds (complaints and inspections): the list, one referral, and
//! the partner's feedback. Officers and managers of the referral's municipality. Referrals are
//! made on their complaint or inspection (`POST /v1/complaints/{id}/referrals`,
//! `POST /v1/inspections/{id}/referrals`).

mod dto;

use actix_web::{get, post, web, HttpResponse};
use chrono::NaiveDate;

pub use dto::*;

use crate::error::{AppError, FieldError};
use crate::http::auth::{Auth, ComplaintStaff};
use crate::http::common::{not_in_future, page, page_limit};
use crate::http::extract::ValidJson;
use crate::http::problem::{CaseworkProblems, CreateProblems, ReadProblems};
use crate::http::AppState;
use crate::service::{self, referrals as uc};

fn encode_cursor(r: &ReferralResponse) -> String {
    format!("{}~{}", r.referred_on, r.id)
}

fn decode_cursor(s: &str) -> Option<(NaiveDate, String)> {
    let (day, id) = s.split_once('~')?;
    Some((day.parse().ok()?, id.to_string()))
}

/// Referrals of complaints and inspections of the caller's municipalities, newest first
/// (`referred_on`, then id); filters by partner, source, feedback awaited or overdue.
#[utoipa::path(
    tag = "referrals",
    security(("bearer" = [])),
    params(ReferralListQuery),
    responses(
        (status = 200, body = ReferralListResponse),
        CreateProblems
    )
)]
#[get("/v1/referrals")]
pub async fn list_referrals(
    state: web::Data<AppState>,
    auth: Auth<ComplaintStaff>,
    query: web::Query<ReferralListQuery>,
) -> Result<HttpResponse, AppError> {
    let qy = query.into_inner();
    let limit = page_limit(qy.limit, 50)?;
    let before = match qy.cursor.as_deref() {
        None => None,
        Some(c) => {
            Some(decode_cursor(c).ok_or_else(|| AppError::field("#/query/cursor", "is not a valid cursor"))?)
        }
    };
    let q = uc::ListReferrals {
        partner: qy.partner,
        source: qy.source,
        awaiting_feedback: qy.awaiting_feedback.unwrap_or(false),
        overdue: qy.overdue.unwrap_or(false),
        feedback_weeks: state.config.referrals.feedback_weeks,
        before,
        limit: limit + 1,
    };
    let rows = service::read(&state.db, auth.ctx(&state.clock), move |tx| uc::list_referrals(tx, q)).await?;
    let mut items: Vec<ReferralResponse> = rows.into_iter().map(ReferralResponse::from).collect();
    let next_cursor = page(&mut items, limit, encode_cursor);
    Ok(HttpResponse::Ok().json(ReferralListResponse { items, next_cursor }))
}

/// One referral, of a complaint or of an inspection, with its content and feedback.
#[utoipa::path(
    tag = "referrals",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Referral id")),
    responses(
        (status = 200, body = ReferralResponse),
        ReadProblems
    )
)]
#[get("/v1/referrals/{id}")]
pub async fn get_referral(
    state: web::Data<AppState>,
    auth: Auth<ComplaintStaff>,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let r = service::read(&state.db, auth.ctx(&state.clock), move |tx| uc::get_referral(tx, &id)).await?;
    Ok(HttpResponse::Ok().json(ReferralResponse::from(r)))
}

/// Record the partner's feedback on a referral (officers, managers): when it came in, what the
/// partner did and what follows. Recorded once: a second feedback is a 409.
#[utoipa::path(
    tag = "referrals",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Referral id")),
    request_body = FeedbackRequest,
    responses(
        (status = 200, body = ReferralResponse),
        CaseworkProblems
    )
)]
#[post("/v1/referrals/{id}/feedback")]
pub async fn record_referral_feedback(
    state: web::Data<AppState>,
    auth: Auth<ComplaintStaff>,
    path: web::Path<String>,
    body: ValidJson<FeedbackRequest>,
) -> Result<HttpResponse, AppError> {
    let req = body.0;
    let mut errs: Vec<FieldError> = Vec::new();
    not_in_future(req.received_on, state.clock.today_nl(), "/received_on", &mut errs);
    if !errs.is_empty() {
        return Err(AppError::Validation(errs));
    }
    let cmd = uc::RecordFeedback {
        referral_id: path.into_inner(),
        received_on: req.received_on,
        outcome: req.outcome,
        follow_up: req.follow_up,
        note: req.note.map(|n| n.trim().to_string()).filter(|n| !n.is_empty()),
    };
    let r = service::write(&state.db, auth.ctx(&state.clock), move |tx| uc::record_feedback(tx, cmd)).await?;
    Ok(HttpResponse::Ok().json(ReferralResponse::from(r)))
}
