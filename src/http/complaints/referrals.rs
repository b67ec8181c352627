//! Referral decisions on a complaint: a referral to a partner, or the reason not to refer. The
//! request documents are shared with the inspections' referral routes.

use actix_web::{post, web, HttpResponse};
use serde::Deserialize;
use utoipa::ToSchema;
use validator::Validate;

use super::{officer_change, ComplaintResponse};
use crate::error::AppError;
use crate::http::auth::{Auth, ComplaintStaff};
use crate::http::extract::ValidJson;
use crate::http::preconditions::IfMatch;
use crate::http::problem::CaseworkProblems;
pub use crate::http::referrals::ReferralRequest;
use crate::http::AppState;
use crate::service::complaints::no_referral::{record_no_referral as no_referral, NoReferral};
use crate::service::complaints::referral::{add_referral as referral, AddReferral};

/// Record a referral to a partner (Nederlandse Arbeidsinspectie, police, …) with date, what was
/// shared and the legal basis, and its structured content (employer, housing location, owner,
/// labour migrants, enforcement done, other reports, attachments shared). This is also a referral decision for exploitation signals.
#[utoipa::path(
    tag = "complaints",
    security(("bearer" = [])),
    params(("id" = String, Path), IfMatch),
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
    if_match: IfMatch,
    body: ValidJson<ReferralRequest>,
) -> Result<HttpResponse, AppError> {
    let expected = if_match.on(&id);
    let mut req = body.0;
    let mut errs = Vec::new();
    let content = req.content_input(&mut errs);
    if !errs.is_empty() {
        return Err(AppError::Validation(errs));
    }
    let cmd = AddReferral {
        complaint_id: id.into_inner(),
        partner: req.partner,
        referred_on: req.referred_on,
        shared_data: req.shared_data,
        legal_basis: req.legal_basis,
        recorded_by: auth.id.clone(),
        content,
    };
    officer_change(&state, &auth, expected, cmd, referral).await
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
    params(("id" = String, Path), IfMatch),
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
    if_match: IfMatch,
    body: ValidJson<NoReferralRequest>,
) -> Result<HttpResponse, AppError> {
    let expected = if_match.on(&id);
    let reason = body.0.reason.trim().to_string();
    if reason.is_empty() {
        return Err(AppError::field("/reason", "must not be blank"));
    }
    let cmd = NoReferral { complaint_id: id.into_inner(), reason };
    officer_change(&state, &auth, expected, cmd, no_referral).await
}
