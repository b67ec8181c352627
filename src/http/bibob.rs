//! The integrity check (Wet Bibob) of an application: readable and writable only by the Bibob
//! officer. Other responses carry at most the neutral `bibob_pending`; the audit trail records
//! that the check changed, not how; mails to the applicant say only that LBB advice was
//! requested (art. 32).

use actix_web::{get, put, web, HttpResponse};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::db::audit::{self, Change};
use crate::db::convert::{enum_str, parse_enum};
use crate::db::licensing::{self, BibobRow};
use crate::db::properties::Viewer;
use crate::domain::deadlines::Suspension;
use crate::domain::licensing::{
    allowed_bibob_actions, bibob_transition, BibobAction, BibobActionKind, BibobDuty, BibobOutcome,
    BibobStatus,
};
use crate::error::AppError;
use crate::http::applications::{address_line, bibob_check, latest_due, notify_landlord, rules_on};
use crate::http::auth::{Auth, BibobOnly};
use crate::http::extract::ValidJson;
use crate::http::problem::{AuthProblems, ConflictProblem, NotFoundProblem, ValidationProblem};
use crate::http::AppState;

/// Wet Bibob art. 15 lid 3: the LBB may extend its advice term once by at most 4 weeks.
const LBB_MAX_EXTENSION_WEEKS: u32 = 4;

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct BibobResponse {
    pub application_id: String,
    /// `not_started`, `questionnaire_sent`, `questionnaire_received`, `own_investigation`,
    /// `lbb_advice_requested` or `completed`.
    #[schema(value_type = String)]
    pub status: BibobStatus,
    /// `no_danger`, `lesser_danger`, `serious_danger_a` or `serious_danger_b`.
    #[schema(value_type = Option<String>)]
    pub outcome: Option<BibobOutcome>,
    /// Day the applicant was invited to give a zienswijze (art. 33).
    pub zienswijze_invited_on: Option<NaiveDate>,
    pub lbb_requested_on: Option<NaiveDate>,
    pub lbb_received_on: Option<NaiveDate>,
    /// Extension of the LBB term notified by the LBB (art. 15 lid 3, ≤ 4).
    pub lbb_extension_weeks: u32,
    /// Confidential findings.
    pub findings: Option<String>,
    /// Actions allowed now.
    #[schema(value_type = Vec<String>)]
    pub allowed_actions: Vec<BibobActionKind>,
    pub updated_at: Option<DateTime<Utc>>,
}

/// One step of the check and/or recorded facts.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateBibobRequest {
    /// `send_questionnaire`, `receive_questionnaire`, `start_own_investigation`,
    /// `request_lbb_advice` or `complete` (with `outcome`).
    #[schema(value_type = Option<String>)]
    pub action: Option<BibobActionKind>,
    #[schema(value_type = Option<String>)]
    pub outcome: Option<BibobOutcome>,
    /// The applicant was invited to give a zienswijze on the intended Bibob measure (art. 33).
    pub zienswijze_invited_on: Option<NaiveDate>,
    /// The LBB notified an extension of its term (art. 15 lid 3), 0–4 weeks.
    pub lbb_extension_weeks: Option<u32>,
    #[validate(length(max = 20000))]
    pub findings: Option<String>,
}

fn response(application_id: String, row: Option<BibobRow>) -> Result<BibobResponse, AppError> {
    let check = bibob_check(row.as_ref())?;
    Ok(BibobResponse {
        application_id,
        status: check.status,
        outcome: check.outcome,
        zienswijze_invited_on: check.zienswijze_invited_on,
        lbb_requested_on: row.as_ref().and_then(|r| r.lbb_requested_on),
        lbb_received_on: row.as_ref().and_then(|r| r.lbb_received_on),
        lbb_extension_weeks: row.as_ref().map_or(0, |r| u32::try_from(r.lbb_extension_weeks).unwrap_or(0)),
        findings: row.as_ref().and_then(|r| r.findings.clone()),
        allowed_actions: allowed_bibob_actions(check.status),
        updated_at: row.map(|r| r.updated_at.and_utc()),
    })
}

/// The Bibob check of an application (Bibob officer only).
#[utoipa::path(
    tag = "bibob",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Application id")),
    responses(
        (status = 200, body = BibobResponse),
        AuthProblems,
        NotFoundProblem
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
    let (app_id, row) = state
        .db
        .read(move |c| {
            let app = licensing::find_application(c, &id, &viewer)?
                .ok_or_else(|| AppError::NotFound("no such licence application".into()))?;
            let row = licensing::find_bibob(c, &app.id)?;
            Ok((app.id, row))
        })
        .await?;
    Ok(HttpResponse::Ok().json(response(app_id, row)?))
}

/// Record a step of the Bibob check (Bibob officer only). Requesting LBB advice suspends the
/// decision term (art. 31, capped at 8 weeks + the LBB's extension of ≤ 4 weeks) and tells the
/// applicant that advice was requested, without content (art. 32).
#[utoipa::path(
    tag = "bibob",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Application id")),
    request_body = UpdateBibobRequest,
    responses(
        (status = 200, body = BibobResponse),
        AuthProblems,
        NotFoundProblem,
        ConflictProblem,
        ValidationProblem
    )
)]
#[put("/v1/licence-applications/{id}/bibob")]
pub async fn update_bibob(
    state: web::Data<AppState>,
    auth: Auth<BibobOnly>,
    path: web::Path<String>,
    body: ValidJson<UpdateBibobRequest>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let req = body.0;
    let today = state.clock.today_nl();
    let now = state.clock.now_naive();
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
    if req.lbb_extension_weeks.is_some_and(|w| w > LBB_MAX_EXTENSION_WEEKS) {
        return Err(AppError::field(
            "/lbb_extension_weeks",
            "the LBB may extend its term by at most 4 weeks (Wet Bibob art. 15 lid 3)",
        ));
    }
    if req.zienswijze_invited_on.is_some_and(|d| d > today) {
        return Err(AppError::field("/zienswijze_invited_on", "cannot be in the future"));
    }
    let viewer = Viewer::Staff(auth.scope());
    let actor = auth.actor();
    let st = state.clone();
    let (app_id, row) = state
        .db
        .write(move |c| {
            let mut app = licensing::find_application(c, &id, &viewer)?
                .ok_or_else(|| AppError::NotFound("no such licence application".into()))?;
            licensing::claim_application(c, &mut app)?;
            if !licensing::OPEN_STATES.contains(&app.state.as_str()) {
                return Err(AppError::Conflict {
                    detail: format!("the Bibob check can only change while the application is undecided; it is {}", app.state),
                    allowed_actions: Some(vec![]),
                });
            }
            let existing = licensing::find_bibob(c, &app.id)?;
            let mut row = existing.clone().unwrap_or(BibobRow {
                application_id: app.id.clone(),
                municipality_code: app.municipality_code.clone(),
                status: enum_str(BibobStatus::NotStarted),
                outcome: None,
                zienswijze_invited_on: None,
                lbb_requested_on: None,
                lbb_received_on: None,
                lbb_extension_weeks: 0,
                findings: None,
                updated_at: now,
            });
            let status: BibobStatus = parse_enum(&row.status)?;
            let rules = rules_on(&st, app.submitted_on.unwrap_or(today))?;
            let mut clock = match &app.decision_clock {
                Some(s) => serde_json::from_str::<crate::domain::deadlines::DecisionClock>(s)
                    .map_err(|e| AppError::internal(anyhow::anyhow!("stored decision clock unreadable: {e}")))?,
                None => return Err(AppError::internal(anyhow::anyhow!("undecided application without a clock"))),
            };
            let mut notify = false;
            if let Some(action) = action {
                let t = bibob_transition(status, action).map_err(|e| AppError::Conflict {
                    detail: format!("{} is not possible while the check is {}", enum_str(e.action), enum_str(e.from)),
                    allowed_actions: Some(e.allowed.iter().map(|k| enum_str(*k)).collect()),
                })?;
                row.status = enum_str(t.to);
                if let Some(o) = t.outcome {
                    row.outcome = Some(enum_str(o));
                }
                for duty in t.duties {
                    match duty {
                        BibobDuty::SuspendDecisionTerm => {
                            row.lbb_requested_on = Some(today);
                            clock.suspensions.push(Suspension::BibobAdvice {
                                requested_on: today,
                                received_on: None,
                                lbb_extension_weeks: 0,
                                lbb_suspended_days: 0,
                            });
                        }
                        BibobDuty::ResumeDecisionTerm => {
                            row.lbb_received_on = Some(today);
                            for s in clock.suspensions.iter_mut() {
                                if let Suspension::BibobAdvice { received_on: end @ None, .. } = s {
                                    *end = Some(today);
                                }
                            }
                        }
                        BibobDuty::NotifyApplicantOfLbbRequest => notify = true,
                    }
                }
            }
            if let Some(w) = req.lbb_extension_weeks {
                row.lbb_extension_weeks = i32::try_from(w).unwrap_or(0);
                for s in clock.suspensions.iter_mut() {
                    if let Suspension::BibobAdvice { received_on: None, lbb_extension_weeks, .. } = s {
                        *lbb_extension_weeks = w;
                    }
                }
            }
            if let Some(z) = req.zienswijze_invited_on {
                row.zienswijze_invited_on = Some(z);
            }
            if let Some(f) = &req.findings {
                row.findings = Some(f.clone()).filter(|f| !f.trim().is_empty());
            }
            row.updated_at = now;
            licensing::save_bibob(c, &row)?;
            let new_status: BibobStatus = parse_enum(&row.status)?;
            app.bibob_pending = new_status.in_progress();
            app.decision_due_on = Some(latest_due(&clock, rules, today));
            app.decision_clock = Some(serde_json::to_string(&clock).map_err(AppError::internal)?);
            app.updated_at = now;
            licensing::update_application(c, &app)?;
            // The audit trail says that the check changed and by whom; its content stays here.
            audit::record(
                c,
                now,
                &actor,
                Change {
                    municipality_code: Some(&app.municipality_code),
                    entity_type: "bibob_check",
                    entity_id: &app.id,
                    action: "update",
                    before: None,
                    after: None,
                    reason: None,
                },
            )?;
            if notify {
                let addr = crate::db::properties::find(c, &app.property_id)?.map(|p| address_line(&p)).unwrap_or_default();
                let body = format!(
                    "Over uw aanvraag voor een verhuurvergunning voor {addr} hebben wij advies gevraagd aan het \
                     Landelijk Bureau Bibob (Wet Bibob art. 32). De beslistermijn is opgeschort zolang het advies \
                     uitblijft, ten hoogste de wettelijke adviestermijn (art. 31). Wij beslissen uiterlijk op {due}.\n\
                     Aanvraagnummer: {id}\n\n\
                     For your rental licence application for {addr} we have requested advice from the Landelijk \
                     Bureau Bibob. The decision term is suspended while the advice is pending, within the legal \
                     maximum. The decision is due by {due} at the latest.",
                    due = app.decision_due_on.unwrap_or(today),
                    id = app.id,
                );
                notify_landlord(c, now, &app, "Advies Landelijk Bureau Bibob gevraagd / Bibob advice requested", &body)?;
            }
            Ok((app.id, licensing::find_bibob(c, &row.application_id)?))
        })
        .await?;
    Ok(HttpResponse::Ok().json(response(app_id, row)?))
}
