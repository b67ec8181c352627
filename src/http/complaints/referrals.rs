//! Referral decisions on a complaint: a referral to a partner, or the reason not to refer. The
//! request documents are shared with the inspections' referral routes.

use actix_web::{post, web, HttpResponse};
use chrono::NaiveDate;
use serde::Deserialize;
use utoipa::ToSchema;
use validator::Validate;

use super::{officer_change, ComplaintResponse};
use crate::domain::complaints::Partner;
use crate::error::AppError;
use crate::http::auth::{Auth, ComplaintStaff};
use crate::http::extract::ValidJson;
use crate::http::problem::CaseworkProblems;
use crate::http::AppState;
use crate::service::complaints::no_referral::{record_no_referral as no_referral, NoReferral};
use crate::service::complaints::referral::{add_referral as referral, AddReferral};

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReferralRequest {
    pub partner: Partner,
    /// Date of the referral (YYYY-MM-DD), not in the future.
    pub referred_on: NaiveDate,
    /// Exactly which data were shared (AVG purpose limitation; supervision.md §4.6).
    #[validate(length(min = 1, max = 4000))]
    #[schema(min_length = 1, max_length = 4000)]
    pub shared_data: String,
    /// The legal basis for sharing.
    #[validate(length(min = 1, max = 500))]
    #[schema(min_length = 1, max_length = 500)]
    pub legal_basis: String,
}

/// Record a referral to a partner (Nederlandse Arbeidsinspectie, police, …) with date, what was
/// shared and the legal basis. This is also a referral decision for exploitation signals.
#[utoipa::path(
    tag = "complaints",
    security(("bearer" = [])),
    params(("id" = String, Path)),
    request_body = ReferralRequest,
    responses(
        (status = 200, body = ComplaintResponse),
        CaseworkProblems
    )
)]
#[post("/v1/complaints/{id}/referrals")]
pub async fn add_referral(
    state: web::Data<AppState>,
    auth: Auth<ComplaintStaff>,
    id: web::Path<String>,
    body: ValidJson<ReferralRequest>,
) -> Result<HttpResponse, AppError> {
    let req = body.0;
    let cmd = AddReferral {
        complaint_id: id.into_inner(),
        partner: req.partner,
        referred_on: req.referred_on,
        shared_data: req.shared_data,
        legal_basis: req.legal_basis,
        recorded_by: auth.id.clone(),
    };
    officer_change(&state, &auth, cmd, referral).await
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NoReferralRequest {
    /// Why the exploitation signals are not referred.
    #[validate(length(min = 1, max = 2000))]
    #[schema(min_length = 1, max_length = 2000)]
    pub reason: String,
}

/// Record the decision not to refer (with the reason) — the alternative referral decision for
/// complaints with exploitation signals.
#[utoipa::path(
    tag = "complaints",
    security(("bearer" = [])),
    params(("id" = String, Path)),
    request_body = NoReferralRequest,
    responses(
        (status = 200, body = ComplaintResponse),
        CaseworkProblems
    )
)]
#[post("/v1/complaints/{id}/no-referral")]
pub async fn record_no_referral(
    state: web::Data<AppState>,
    auth: Auth<ComplaintStaff>,
    id: web::Path<String>,
    body: ValidJson<NoReferralRequest>,
) -> Result<HttpResponse, AppError> {
    let reason = body.0.reason.trim().to_string();
    if reason.is_empty() {
        return Err(AppError::field("/reason", "must not be blank"));
    }
    let cmd = NoReferral { complaint_id: id.into_inner(), reason };
    officer_change(&state, &auth, cmd, no_referral).await
}
