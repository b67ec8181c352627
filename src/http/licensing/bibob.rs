//! The integrity check (Wet Bibob) of an application: readable and writable only by the Bibob
//! officer. Other responses carry at most the neutral `bibob_pending`; the audit trail records
//! that the check changed, not how; mails to the applicant say only that LBB advice was
//! requested (art. 32).

use actix_web::{get, put, web, HttpResponse};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::IntoParams;
use utoipa::ToSchema;
use validator::Validate;

use crate::db::licensing::BibobRow;
use crate::db::properties::Viewer;
use crate::domain::licensing::{
    allowed_bibob_actions, BibobAction, BibobActionKind, BibobOutcome, BibobStatus,
};
use crate::error::AppError;
use crate::http::auth::{Auth, BibobOnly};
use crate::http::common::{page, page_limit};
use crate::http::extract::ValidJson;
use crate::http::preconditions::{ok_with_etag, IfMatch};
use crate::http::problem::{CaseworkProblems, CreateProblems, ReadProblems};
use crate::http::AppState;
use crate::service;
use crate::service::licensing::bibob::{self as uc, UpdateBibob};
use crate::service::licensing::deadlines::{advice_overdue, checks_awaiting_advice};
use crate::service::licensing::decide::bibob_check;

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct BibobResponse {
    pub application_id: String,
    /// `not_started`, `questionnaire_sent`, `questionnaire_received`, `own_investigation`,
    /// `lbb_advice_requested` or `completed`.
    #[schema(value_type = BibobStatus)]
    pub status: BibobStatus,
    /// `no_danger`, `lesser_danger`, `serious_danger_a` or `serious_danger_b`.
    #[schema(value_type = Option<BibobOutcome>)]
    pub outcome: Option<BibobOutcome>,
    /// Day the applicant was invited to give a zienswijze (art. 33).
    pub zienswijze_invited_on: Option<NaiveDate>,
    pub lbb_requested_on: Option<NaiveDate>,
    pub lbb_received_on: Option<NaiveDate>,
    /// Extension of the LBB term notified by the LBB (art. 15 lid 3, ≤ 4).
    pub lbb_extension_weeks: u32,
    /// The day the LBB advice is due: 8 weeks after the request, later by the extension (Wet
    /// Bibob art. 15 lid 1 and 3), rolled forward per the Algemene termijnenwet. Null until
    /// advice is requested.
    pub lbb_advice_due_on: Option<NaiveDate>,
    /// The due day passed without advice received.
    pub lbb_advice_overdue: bool,
    /// Confidential findings.
    pub findings: Option<String>,
    /// Actions allowed now.
    #[schema(value_type = Vec<BibobActionKind>)]
    pub allowed_actions: Vec<BibobActionKind>,
    pub updated_at: Option<DateTime<Utc>>,
}

/// One step of the check and/or recorded facts.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateBibobRequest {
    /// `send_questionnaire`, `receive_questionnaire`, `start_own_investigation`,
    /// `request_lbb_advice` or `complete` (with `outcome`).
    #[schema(value_type = Option<BibobActionKind>)]
    pub action: Option<BibobActionKind>,
    #[schema(value_type = Option<BibobOutcome>)]
    pub outcome: Option<BibobOutcome>,
    /// The applicant was invited to give a zienswijze on the intended Bibob measure (art. 33).
    pub zienswijze_invited_on: Option<NaiveDate>,
    /// The LBB notified an extension of its term (art. 15 lid 3), 0–4 weeks.
    #[schema(maximum = 4)]
    pub lbb_extension_weeks: Option<u32>,
    #[validate(length(max = 20000))]
    #[schema(max_length = 20000)]
    pub findings: Option<String>,
}

fn response((application_id, row): (String, Option<BibobRow>), today: NaiveDate) -> BibobResponse {
    let check = bibob_check(row.as_ref());
    let lbb_advice_overdue = row.as_ref().is_some_and(|r| advice_overdue(r, today));
    BibobResponse {
        application_id,
        status: check.status,
        outcome: check.outcome,
        zienswijze_invited_on: check.zienswijze_invited_on,
        lbb_requested_on: row.as_ref().and_then(|r| r.lbb_requested_on),
        lbb_received_on: row.as_ref().and_then(|r| r.lbb_received_on),
        lbb_extension_weeks: row.as_ref().map_or(0, |r| u32::try_from(r.lbb_extension_weeks).unwrap_or(0)),
        lbb_advice_due_on: row.as_ref().and_then(|r| r.lbb_advice_due_on),
        lbb_advice_overdue,
        findings: row.as_ref().and_then(|r| r.findings.clone()),
        allowed_actions: allowed_bibob_actions(check.status),
        updated_at: row.map(|r| r.updated_at.and_utc()),
    }
}

/// The Bibob check of an application (Bibob officer only).
#[utoipa::path(
    tag = "bibob",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Application id")),
    responses(
        (status = 200, body = BibobResponse),
        ReadProblems
    )
)]
#[get("/v1/licence-applications/{id}/bibob")]
pub async fn get_bibob(
    state: web::Data<AppState>,
    auth: Auth<BibobOnly>,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let viewer = Viewer::Staff(auth.scope());
    let found =
        service::read(&state.db, auth.ctx(&state.clock), move |tx| uc::show(tx, &id, &viewer)).await?;
    Ok(HttpResponse::Ok().json(response(found, state.clock.today_nl())))
}

/// Record a step of the Bibob check (Bibob officer only). Requesting LBB advice suspends the
/// decision term (art. 31, capped at 8 weeks + the LBB's extension of ≤ 4 weeks) and tells the
/// applicant that advice was requested, without content (art. 32).
#[utoipa::path(
    tag = "bibob",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Application id"), IfMatch),
    request_body = UpdateBibobRequest,
    responses(
        (status = 200, body = BibobResponse),
        CaseworkProblems
    )
)]
#[put("/v1/licence-applications/{id}/bibob")]
pub async fn update_bibob(
    state: web::Data<AppState>,
    auth: Auth<BibobOnly>,
    path: web::Path<String>,
    if_match: IfMatch,
    body: ValidJson<UpdateBibobRequest>,
) -> Result<HttpResponse, AppError> {
    let expected = if_match.on(&path);
    let req = body.0;
    let action = match (req.action, req.outcome) {
        (Some(BibobActionKind::Complete), Some(o)) => Some(BibobAction::Complete(o)),
        (Some(BibobActionKind::Complete), None) => {
            return Err(AppError::field("/outcome", "is required to complete the check"))
        }
        (_, Some(_)) => return Err(AppError::field("/outcome", "is only given with the action complete")),
        (Some(BibobActionKind::SendQuestionnaire), None) => Some(BibobAction::SendQuestionnaire),
        (Some(BibobActionKind::ReceiveQuestionnaire), None) => Some(BibobAction::ReceiveQuestionnaire),
        (Some(BibobActionKind::StartOwnInvestigation), None) => Some(BibobAction::StartOwnInvestigation),
        (Some(BibobActionKind::RequestLbbAdvice), None) => Some(BibobAction::RequestLbbAdvice),
        (None, None) => None,
    };
    let cmd = UpdateBibob {
        viewer: Viewer::Staff(auth.scope()),
        id: path.into_inner(),
        action,
        zienswijze_invited_on: req.zienswijze_invited_on,
        lbb_extension_weeks: req.lbb_extension_weeks,
        findings: req.findings,
        rules: state.rules.clone(),
    };
    let (id, found, version) =
        service::write(&state.db, auth.ctx(&state.clock).expecting(expected), move |tx| uc::update(tx, cmd))
            .await?;
    // The check changes the application: the answer carries the application's new ETag.
    Ok(ok_with_etag(&response((id, found), state.clock.today_nl()), version))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct BibobCheckQuery {
    /// `true`: only checks whose LBB advice is overdue (due day passed, no advice received).
    pub overdue: Option<bool>,
    pub cursor: Option<String>,
    /// Page size, 1–200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<i64>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct BibobCheckListResponse {
    pub items: Vec<BibobResponse>,
    pub next_cursor: Option<String>,
}

/// Bibob checks awaiting the LBB advice in the caller's municipalities, by the day the advice is
/// due (Wet Bibob art. 15), earliest first; `overdue=true` for those past it (Bibob officer only).
/// Checks of decided or withdrawn applications are left out.
#[utoipa::path(
    tag = "bibob",
    security(("bearer" = [])),
    params(BibobCheckQuery),
    responses(
        (status = 200, body = BibobCheckListResponse),
        CreateProblems
    )
)]
#[get("/v1/bibob-checks")]
pub async fn list_bibob_checks(
    state: web::Data<AppState>,
    auth: Auth<BibobOnly>,
    query: web::Query<BibobCheckQuery>,
) -> Result<HttpResponse, AppError> {
    let q = query.into_inner();
    let limit = page_limit(q.limit, 50)?;
    let overdue = q.overdue.unwrap_or(false);
    let cursor = q.cursor;
    let mut rows = service::read(&state.db, auth.ctx(&state.clock), move |tx| {
        checks_awaiting_advice(tx, overdue, cursor, limit + 1)
    })
    .await?;
    let next_cursor = page(&mut rows, limit, |r| {
        format!("{}|{}", r.lbb_advice_due_on.map(|d| d.to_string()).unwrap_or_default(), r.application_id)
    });
    let today = state.clock.today_nl();
    let items = rows.into_iter().map(|r| response((r.application_id.clone(), Some(r)), today)).collect();
    Ok(HttpResponse::Ok().json(BibobCheckListResponse { items, next_cursor }))
}
