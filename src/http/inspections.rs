//! Inspections (huisbezoek): planned or performed, entry basis per room, findings, evaluation
//! against the licence conditions and the rule set's norms, and the notice to occupants in
//! nl, en, pl, ro and uk.

use actix_web::{get, post, web, HttpResponse};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use crate::db::audit::{self, Change};
use crate::db::convert::{date_str, from_json_text, json_text, parse_stored_date};
use crate::db::inspections::{self as q, InspectionRow};
use crate::domain::ids::Postcode;
use crate::domain::inspection::{self, Evaluation, Findings, LicenceOccupancyConditions};
use crate::error::{AppError, FieldError};
use crate::http::auth::{Auth, EnforcementOfficer, EnforcementRead};
use crate::http::common::{
    address_dto, address_line, not_in_future, page, parse_address, parse_date, rules_on, AddressDto,
};
use crate::http::complaints::{NoReferralRequest, ReferralRequest};
use crate::http::extract::ValidJson;
use crate::http::problem::{AuthProblems, NotFoundProblem, Problem, ValidationProblem};
use crate::http::AppState;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum InspectionStatus {
    Planned,
    Performed,
}

/// A planned or performed inspection.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateInspectionRequest {
    pub status: InspectionStatus,
    /// YYYY-MM-DD; required when planned.
    pub planned_on: Option<String>,
    /// YYYY-MM-DD; required when performed, not in the future.
    pub performed_on: Option<String>,
    pub address: AddressDto,
    /// The landlord, when known (needed to record violations).
    pub landlord_id: Option<String>,
    /// The property record (wooneenheid), when known.
    #[validate(length(max = 64))]
    pub property_id: Option<String>,
    /// The licence in force for the property, when known.
    #[validate(length(max = 64))]
    pub licence_id: Option<String>,
    /// Names of the inspecting officers.
    #[validate(length(min = 1, max = 10))]
    pub officers: Vec<String>,
    #[serde(default)]
    pub interpreter_used: bool,
    /// Language of the interpreter (e.g. `pl`), required when an interpreter was used.
    #[validate(length(max = 20))]
    pub interpreter_language: Option<String>,
    /// Findings (performed inspections only). Per room the entry basis; findings for a room not
    /// entered on a valid basis are refused.
    pub findings: Option<Findings>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct InspectionResponse {
    pub id: String,
    pub municipality_code: String,
    pub status: InspectionStatus,
    pub planned_on: Option<NaiveDate>,
    pub performed_on: Option<NaiveDate>,
    pub address: AddressDto,
    pub landlord_id: Option<String>,
    pub property_id: Option<String>,
    pub licence_id: Option<String>,
    pub officers: Vec<String>,
    pub interpreter_used: bool,
    pub interpreter_language: Option<String>,
    pub findings: Findings,
    /// Unsafe findings (fire hazard, structural danger…): immediate action.
    pub urgent: bool,
    /// Occupants not registered in the BRP: a signal for burgerzaken, not a Wgv sanction.
    pub burgerzaken_signal: bool,
    pub evaluation: Option<Evaluation>,
    /// Exploitation signals were recorded and neither a referral nor the reason not to refer is
    /// on file yet (supervision.md).
    pub referral_decision_required: bool,
    pub no_referral_reason: Option<String>,
    /// Referrals to partners (single-inspection responses only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub referrals: Option<Vec<InspectionReferral>>,
    pub created_at: DateTime<Utc>,
}

/// A referral of an inspection's findings to a partner, with what was shared and why.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct InspectionReferral {
    pub id: String,
    pub partner: String,
    pub referred_on: NaiveDate,
    pub shared_data: String,
    pub legal_basis: String,
    pub created_at: DateTime<Utc>,
}

fn with_referrals(
    mut res: InspectionResponse,
    rows: Vec<q::InspectionReferralRow>,
) -> Result<InspectionResponse, AppError> {
    let refs = rows
        .into_iter()
        .map(|r| {
            Ok(InspectionReferral {
                referred_on: parse_stored_date(&r.referred_on)?,
                id: r.id,
                partner: r.partner,
                shared_data: r.shared_data,
                legal_basis: r.legal_basis,
                created_at: r.created_at.and_utc(),
            })
        })
        .collect::<Result<Vec<_>, AppError>>()?;
    res.referrals = Some(refs);
    Ok(res)
}

fn inspection_response(r: InspectionRow) -> Result<InspectionResponse, AppError> {
    let findings: Findings = from_json_text(&r.findings)?;
    let evaluation: Option<Evaluation> = r.evaluation.as_deref().map(from_json_text).transpose()?;
    Ok(InspectionResponse {
        status: if r.status == "planned" { InspectionStatus::Planned } else { InspectionStatus::Performed },
        planned_on: r.planned_on.as_deref().map(parse_stored_date).transpose()?,
        performed_on: r.performed_on.as_deref().map(parse_stored_date).transpose()?,
        address: address_dto(&r.postcode, r.house_number, r.house_number_addition),
        officers: from_json_text(&r.officers)?,
        burgerzaken_signal: findings.unregistered_occupants > 0,
        findings,
        evaluation,
        id: r.id,
        municipality_code: r.municipality_code,
        landlord_id: r.landlord_id,
        property_id: r.property_id,
        licence_id: r.licence_id,
        interpreter_used: r.interpreter_used,
        interpreter_language: r.interpreter_language,
        urgent: r.urgent,
        referral_decision_required: r.has_signals && !r.referral_decided,
        no_referral_reason: r.no_referral_reason,
        referrals: None,
        created_at: r.created_at.and_utc(),
    })
}

/// Audits a change of an inspection: ids, status and flags — never findings text or shared data.
fn record_inspection(
    c: &mut crate::db::DbConnection,
    now: chrono::NaiveDateTime,
    actor: &crate::db::audit::Actor,
    row: &InspectionRow,
    action: &str,
    after: Option<serde_json::Value>,
    reason: Option<&str>,
) -> Result<(), AppError> {
    audit::record(
        c,
        now,
        actor,
        Change {
            municipality_code: Some(&row.municipality_code),
            entity_type: "inspection",
            entity_id: &row.id,
            action,
            before: None,
            after,
            reason,
        },
    )
}

/// Officers' names and the interpreter (create and perform).
fn check_visit(
    officers: &[String],
    interpreter_used: bool,
    interpreter_language: Option<&str>,
    errs: &mut Vec<FieldError>,
) {
    if officers.iter().any(|o| o.trim().is_empty() || o.chars().count() > 200) {
        errs.push(FieldError::new("/officers", "names must be 1–200 characters"));
    }
    if interpreter_used && interpreter_language.is_none_or(|l| l.trim().is_empty()) {
        errs.push(FieldError::new("/interpreter_language", "is required when an interpreter was used"));
    }
}

/// The consent rule (findings only for rooms entered on a valid basis) and size limits.
fn check_findings(findings: &Findings, errs: &mut Vec<FieldError>) {
    for e in inspection::check_entry(findings) {
        errs.push(FieldError::new(format!("/findings{}", e.pointer), e.reason));
    }
    if findings.rooms.len() > 200 {
        errs.push(FieldError::new("/findings/rooms", "at most 200 rooms"));
    }
}

/// Record a planned or performed inspection (officers).
#[utoipa::path(
    tag = "inspections",
    security(("bearer" = [])),
    request_body = CreateInspectionRequest,
    responses(
        (status = 201, body = InspectionResponse),
        AuthProblems,
        (status = 422, description = "Invalid fields, or findings for a room without a valid entry basis", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/v1/inspections")]
pub async fn create_inspection(
    state: web::Data<AppState>,
    auth: Auth<EnforcementOfficer>,
    body: ValidJson<CreateInspectionRequest>,
) -> Result<HttpResponse, AppError> {
    let req = body.0;
    let today = state.clock.today_nl();
    let mut errs = Vec::new();
    let address = parse_address(&req.address, "/address", &mut errs);
    let planned_on = req.planned_on.as_deref().and_then(|d| parse_date(d, "/planned_on", &mut errs));
    let performed_on = req.performed_on.as_deref().and_then(|d| parse_date(d, "/performed_on", &mut errs));
    match req.status {
        InspectionStatus::Planned => {
            if req.planned_on.is_none() {
                errs.push(FieldError::new("/planned_on", "is required for a planned inspection"));
            }
            if req.findings.is_some() {
                errs.push(FieldError::new("/findings", "a planned inspection has no findings yet"));
            }
        }
        InspectionStatus::Performed => {
            if req.performed_on.is_none() {
                errs.push(FieldError::new("/performed_on", "is required for a performed inspection"));
            }
            if let Some(d) = performed_on {
                not_in_future(d, today, "/performed_on", &mut errs);
            }
        }
    }
    check_visit(&req.officers, req.interpreter_used, req.interpreter_language.as_deref(), &mut errs);
    let findings = req.findings.unwrap_or_default();
    check_findings(&findings, &mut errs);
    let (Some(address), true) = (address, errs.is_empty()) else { return Err(AppError::Validation(errs)) };
    let urgent = inspection::is_urgent(&findings);
    let has_signals = !findings.exploitation_signals.is_empty();
    let now = state.clock.now_naive();
    let actor = auth.actor();
    let row = InspectionRow {
        id: uuid::Uuid::new_v4().to_string(),
        municipality_code: state.config.municipality_code.as_str().to_string(),
        status: match req.status {
            InspectionStatus::Planned => "planned".into(),
            InspectionStatus::Performed => "performed".into(),
        },
        planned_on: planned_on.map(date_str),
        performed_on: performed_on.map(date_str),
        postcode: address.postcode,
        house_number: address.house_number,
        house_number_addition: address.addition,
        address_key: address.key,
        property_id: req.property_id,
        licence_id: req.licence_id,
        landlord_id: req.landlord_id,
        officers: json_text(&req.officers.iter().map(|o| o.trim().to_string()).collect::<Vec<_>>())?,
        interpreter_used: req.interpreter_used,
        interpreter_language: req.interpreter_language.map(|l| l.trim().to_string()),
        findings: json_text(&findings)?,
        urgent,
        evaluation: None,
        evaluated_at: None,
        created_by: Some(auth.id.clone()),
        created_at: now,
        updated_at: now,
        has_signals,
        referral_decided: false,
        no_referral_reason: None,
    };
    let scope = auth.scope();
    let on = performed_on.or(planned_on).unwrap_or(today);
    let row = state
        .db
        .write(move |c| {
            let mut row = row;
            // Link to the property and the licence in force (licensing module).
            if let Some(pid) = row.property_id.clone() {
                let p = crate::db::properties::find(c, &pid)?
                    .filter(|p| scope.allows(&p.municipality_code))
                    .ok_or_else(|| AppError::field("/property_id", "is not a known property"))?;
                if p.postcode != row.postcode || p.house_number != row.house_number {
                    return Err(AppError::field(
                        "/property_id",
                        "lies at another address than the inspection",
                    ));
                }
                if row.landlord_id.is_none() {
                    row.landlord_id = p.landlord_id.clone();
                }
                if row.licence_id.is_none() {
                    row.licence_id = crate::db::enforcement::licence_in_force(c, &pid, on)?.map(|l| l.id);
                }
            }
            if let Some(lid) = row.licence_id.clone() {
                let l = crate::db::enforcement::find_licence(c, &lid)?
                    .filter(|l| scope.allows(&l.municipality_code))
                    .ok_or_else(|| AppError::field("/licence_id", "is not a known licence"))?;
                if row.property_id.as_ref().is_some_and(|p| *p != l.property_id) {
                    return Err(AppError::field("/licence_id", "belongs to another property"));
                }
                row.property_id.get_or_insert(l.property_id);
                row.landlord_id.get_or_insert(l.landlord_id);
            }
            if let Some(l) = &row.landlord_id {
                if !crate::db::enforcement::landlord_exists(c, l)? {
                    return Err(AppError::field("/landlord_id", "is not a known landlord"));
                }
            }
            q::insert_inspection(c, &row)?;
            // No findings text in the audit trail: ids, status, flags only.
            record_inspection(
                c,
                now,
                &actor,
                &row,
                "create",
                Some(serde_json::json!({"status": row.status, "urgent": row.urgent,
                        "landlord_id": row.landlord_id, "property_id": row.property_id})),
                None,
            )?;
            Ok(row)
        })
        .await?;
    Ok(HttpResponse::Created().json(with_referrals(inspection_response(row)?, vec![])?))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct InspectionListQuery {
    /// `planned` or `performed`.
    pub status: Option<InspectionStatus>,
    pub landlord_id: Option<String>,
    pub property_id: Option<String>,
    /// Postcode, with or without the space (`3011 AB`, `3011AB`).
    pub postcode: Option<String>,
    /// Only urgent inspections (unsafe findings or exploitation signals), or only the others.
    pub urgent: Option<bool>,
    /// `true`: only inspections with exploitation signals still awaiting a referral decision.
    pub referral_pending: Option<bool>,
    /// Opaque cursor from `next_cursor`.
    pub cursor: Option<String>,
    /// 1–200, default 50.
    pub limit: Option<i64>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct InspectionListResponse {
    pub items: Vec<InspectionResponse>,
    pub next_cursor: Option<String>,
}

fn encode_inspection_cursor(r: &InspectionRow) -> String {
    format!("{}~{}", r.created_at.and_utc().timestamp_micros(), r.id)
}

fn decode_inspection_cursor(s: &str) -> Option<(chrono::NaiveDateTime, String)> {
    let (micros, id) = s.split_once('~')?;
    let at = DateTime::<Utc>::from_timestamp_micros(micros.parse().ok()?)?.naive_utc();
    Some((at, id.to_string()))
}

/// Inspections of the caller's municipalities, newest first; filters and cursor pagination.
#[utoipa::path(
    tag = "inspections",
    security(("bearer" = [])),
    params(InspectionListQuery),
    responses(
        (status = 200, body = InspectionListResponse),
        AuthProblems,
        ValidationProblem
    )
)]
#[get("/v1/inspections")]
pub async fn list_inspections(
    state: web::Data<AppState>,
    auth: Auth<EnforcementRead>,
    query: web::Query<InspectionListQuery>,
) -> Result<HttpResponse, AppError> {
    let qy = query.into_inner();
    let mut errs = Vec::new();
    let limit = qy.limit.unwrap_or(50);
    if !(1..=200).contains(&limit) {
        errs.push(FieldError::new("#/query/limit", "must be between 1 and 200"));
    }
    let postcode = match qy.postcode.as_deref().map(Postcode::parse) {
        None => None,
        Some(Ok(p)) => Some(p.compact().to_string()),
        Some(Err(e)) => {
            errs.push(FieldError::new("#/query/postcode", e.to_string()));
            None
        }
    };
    let after = match qy.cursor.as_deref() {
        None => None,
        Some(c) => {
            let parsed = decode_inspection_cursor(c);
            if parsed.is_none() {
                errs.push(FieldError::new("#/query/cursor", "is not a valid cursor"));
            }
            parsed
        }
    };
    if !errs.is_empty() {
        return Err(AppError::Validation(errs));
    }
    let filter = q::InspectionFilter {
        status: qy.status.map(|s| match s {
            InspectionStatus::Planned => "planned".to_string(),
            InspectionStatus::Performed => "performed".to_string(),
        }),
        landlord_id: qy.landlord_id,
        property_id: qy.property_id,
        postcode,
        urgent: qy.urgent,
        referral_pending: qy.referral_pending.unwrap_or(false),
        before: after,
        limit: limit + 1,
    };
    let scope = auth.scope();
    let mut rows = state.db.read(move |c| q::list_inspections(c, &scope, &filter)).await?;
    let next_cursor = page(&mut rows, limit, encode_inspection_cursor);
    let items = rows.into_iter().map(inspection_response).collect::<Result<Vec<_>, _>>()?;
    Ok(HttpResponse::Ok().json(InspectionListResponse { items, next_cursor }))
}

/// The outcome of a planned inspection.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PerformInspectionRequest {
    /// YYYY-MM-DD, not in the future.
    pub performed_on: String,
    /// The officers who inspected (replaces the planned ones when given).
    #[validate(length(min = 1, max = 10))]
    pub officers: Option<Vec<String>>,
    #[serde(default)]
    pub interpreter_used: bool,
    #[validate(length(max = 20))]
    pub interpreter_language: Option<String>,
    /// Per room the entry basis; findings for a room not entered on a valid basis are refused.
    pub findings: Findings,
}

/// Record the outcome of a planned inspection (officers): it becomes performed with its
/// findings; the licence in force on that date is linked when the property is known.
#[utoipa::path(
    tag = "inspections",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Inspection id")),
    request_body = PerformInspectionRequest,
    responses(
        (status = 200, body = InspectionResponse),
        AuthProblems,
        NotFoundProblem,
        (status = 409, description = "The inspection was already performed", body = Problem, content_type = "application/problem+json"),
        ValidationProblem
    )
)]
#[post("/v1/inspections/{id}/perform")]
pub async fn perform_inspection(
    state: web::Data<AppState>,
    auth: Auth<EnforcementOfficer>,
    path: web::Path<String>,
    body: ValidJson<PerformInspectionRequest>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let req = body.0;
    let today = state.clock.today_nl();
    let mut errs = Vec::new();
    let performed_on = parse_date(&req.performed_on, "/performed_on", &mut errs);
    if let Some(d) = performed_on {
        not_in_future(d, today, "/performed_on", &mut errs);
    }
    check_visit(
        req.officers.as_deref().unwrap_or_default(),
        req.interpreter_used,
        req.interpreter_language.as_deref(),
        &mut errs,
    );
    check_findings(&req.findings, &mut errs);
    let (Some(performed_on), true) = (performed_on, errs.is_empty()) else {
        return Err(AppError::Validation(errs));
    };
    let officers = match &req.officers {
        Some(o) => Some(json_text(&o.iter().map(|n| n.trim().to_string()).collect::<Vec<_>>())?),
        None => None,
    };
    let findings = json_text(&req.findings)?;
    let urgent = inspection::is_urgent(&req.findings);
    let has_signals = !req.findings.exploitation_signals.is_empty();
    let interpreter_language = req.interpreter_language.map(|l| l.trim().to_string());
    let scope = auth.scope();
    let actor = auth.actor();
    let now = state.clock.now_naive();
    let row = state
        .db
        .write(move |c| {
            let mut row = q::find_inspection(c, &scope, &id)?
                .ok_or_else(|| AppError::NotFound("no such inspection".into()))?;
            if row.status != "planned" {
                return Err(AppError::Conflict {
                    detail: "the inspection was already performed".into(),
                    allowed_actions: Some(vec!["evaluate".into()]),
                });
            }
            if row.licence_id.is_none() {
                if let Some(pid) = &row.property_id {
                    row.licence_id =
                        crate::db::enforcement::licence_in_force(c, pid, performed_on)?.map(|l| l.id);
                }
            }
            row.status = "performed".into();
            row.performed_on = Some(date_str(performed_on));
            if let Some(o) = officers {
                row.officers = o;
            }
            row.interpreter_used = req.interpreter_used;
            row.interpreter_language = interpreter_language;
            row.findings = findings;
            row.urgent = urgent;
            row.has_signals = has_signals;
            row.updated_at = now;
            q::perform_inspection(c, &row)?;
            let referrals = q::inspection_referrals(c, &row.id)?;
            record_inspection(
                c,
                now,
                &actor,
                &row,
                "perform",
                Some(serde_json::json!({"from": "planned", "status": row.status, "urgent": row.urgent,
                        "performed_on": row.performed_on, "licence_id": row.licence_id})),
                None,
            )?;
            Ok((row, referrals))
        })
        .await?;
    Ok(HttpResponse::Ok().json(with_referrals(inspection_response(row.0)?, row.1)?))
}

/// Record a referral of the inspection's findings to a partner (Nederlandse Arbeidsinspectie,
/// police, burgerzaken, …) with the date, exactly what was shared and the legal basis. This is
/// also the referral decision that exploitation signals require.
#[utoipa::path(
    tag = "inspections",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Inspection id")),
    request_body = ReferralRequest,
    responses(
        (status = 200, body = InspectionResponse),
        AuthProblems,
        NotFoundProblem,
        ValidationProblem
    )
)]
#[post("/v1/inspections/{id}/referrals")]
pub async fn add_inspection_referral(
    state: web::Data<AppState>,
    auth: Auth<EnforcementOfficer>,
    path: web::Path<String>,
    body: ValidJson<ReferralRequest>,
) -> Result<HttpResponse, AppError> {
    let req = body.0;
    let today = state.clock.today_nl();
    let mut errs = Vec::new();
    not_in_future(req.referred_on, today, "/referred_on", &mut errs);
    if req.shared_data.trim().is_empty() {
        errs.push(FieldError::new("/shared_data", "must not be blank"));
    }
    if req.legal_basis.trim().is_empty() {
        errs.push(FieldError::new("/legal_basis", "must not be blank"));
    }
    if !errs.is_empty() {
        return Err(AppError::Validation(errs));
    }
    let id = path.into_inner();
    let scope = auth.scope();
    let actor = auth.actor();
    let account = auth.id.clone();
    let now = state.clock.now_naive();
    change_inspection(&state, scope, id, move |c, row| {
        if row.status != "performed" {
            return Err(AppError::Conflict {
                detail: "a planned inspection has no findings to refer".into(),
                allowed_actions: Some(vec!["perform".into()]),
            });
        }
        let r = q::InspectionReferralRow {
            id: uuid::Uuid::new_v4().to_string(),
            inspection_id: row.id.clone(),
            municipality_code: row.municipality_code.clone(),
            partner: req.partner.as_str().into(),
            referred_on: date_str(req.referred_on),
            shared_data: req.shared_data.trim().to_string(),
            legal_basis: req.legal_basis.trim().to_string(),
            recorded_by: account,
            created_at: now,
        };
        q::insert_inspection_referral(c, &r, now)?;
        // Partner and date only: what was shared stays in the referral record.
        record_inspection(
            c,
            now,
            &actor,
            row,
            "add_referral",
            Some(serde_json::json!({"referral_id": r.id, "partner": r.partner,
                    "referred_on": r.referred_on})),
            None,
        )
    })
    .await
}

/// Loads the inspection in scope, runs `f` in the write transaction, and answers with the
/// inspection as it now stands, with its referrals.
async fn change_inspection<F>(
    state: &AppState,
    scope: crate::db::scope::Scope,
    id: String,
    f: F,
) -> Result<HttpResponse, AppError>
where
    F: FnOnce(&mut crate::db::DbConnection, &InspectionRow) -> Result<(), AppError> + Send + 'static,
{
    let (row, referrals) = state
        .db
        .write(move |c| {
            let row = q::find_inspection(c, &scope, &id)?
                .ok_or_else(|| AppError::NotFound("no such inspection".into()))?;
            f(c, &row)?;
            let row = q::find_inspection(c, &scope, &row.id)?
                .ok_or_else(|| AppError::NotFound("no such inspection".into()))?;
            let referrals = q::inspection_referrals(c, &row.id)?;
            Ok((row, referrals))
        })
        .await?;
    Ok(HttpResponse::Ok().json(with_referrals(inspection_response(row)?, referrals)?))
}

/// Record why the exploitation signals found at the inspection are not referred — the
/// alternative referral decision.
#[utoipa::path(
    tag = "inspections",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Inspection id")),
    request_body = NoReferralRequest,
    responses(
        (status = 200, body = InspectionResponse),
        AuthProblems,
        NotFoundProblem,
        (status = 409, description = "No exploitation signals to decide on", body = Problem, content_type = "application/problem+json"),
        ValidationProblem
    )
)]
#[post("/v1/inspections/{id}/no-referral")]
pub async fn record_inspection_no_referral(
    state: web::Data<AppState>,
    auth: Auth<EnforcementOfficer>,
    path: web::Path<String>,
    body: ValidJson<NoReferralRequest>,
) -> Result<HttpResponse, AppError> {
    let reason = body.0.reason.trim().to_string();
    if reason.is_empty() {
        return Err(AppError::field("/reason", "must not be blank"));
    }
    let id = path.into_inner();
    let scope = auth.scope();
    let actor = auth.actor();
    let now = state.clock.now_naive();
    change_inspection(&state, scope, id, move |c, row| {
        if !row.has_signals {
            return Err(AppError::Conflict {
                detail: "the inspection recorded no exploitation signals: there is no referral decision \
                         to take"
                    .into(),
                allowed_actions: Some(vec!["add_referral".into()]),
            });
        }
        q::record_inspection_no_referral(c, &row.id, &reason, now)?;
        record_inspection(c, now, &actor, row, "record_no_referral", None, Some(&reason))
    })
    .await
}

/// One inspection (officers, managers).
#[utoipa::path(
    tag = "inspections",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Inspection id")),
    responses(
        (status = 200, body = InspectionResponse),
        AuthProblems,
        NotFoundProblem
    )
)]
#[get("/v1/inspections/{id}")]
pub async fn get_inspection(
    state: web::Data<AppState>,
    auth: Auth<EnforcementRead>,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let scope = auth.scope();
    let (row, referrals) = state
        .db
        .read(move |c| {
            let row = q::find_inspection(c, &scope, &id)?
                .ok_or_else(|| AppError::NotFound("no such inspection".into()))?;
            let referrals = q::inspection_referrals(c, &row.id)?;
            Ok((row, referrals))
        })
        .await?;
    Ok(HttpResponse::Ok().json(with_referrals(inspection_response(row)?, referrals)?))
}

/// Compare the findings with the licence conditions in force and the rule set's norms
/// (m² per person, persons per bedroom, facility ratios); proposes violations with the rule
/// and the numbers. Nothing is recorded as a violation until an officer confirms it with
/// `POST /v1/violations`.
#[utoipa::path(
    tag = "inspections",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Inspection id")),
    responses(
        (status = 200, body = Evaluation),
        AuthProblems,
        NotFoundProblem,
        (status = 409, description = "The inspection was not performed yet", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/v1/inspections/{id}/evaluate")]
pub async fn evaluate_inspection(
    state: web::Data<AppState>,
    auth: Auth<EnforcementOfficer>,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let scope = auth.scope();
    let actor = auth.actor();
    let now = state.clock.now_naive();
    let st = state.clone();
    let evaluation = state
        .db
        .write(move |c| {
            let row = q::find_inspection(c, &scope, &id)?.ok_or_else(|| AppError::NotFound("no such inspection".into()))?;
            let Some(performed) = row.performed_on.as_deref() else {
                return Err(AppError::Conflict {
                    detail: "a planned inspection has no findings to evaluate".into(),
                    allowed_actions: Some(vec![]),
                });
            };
            let performed = parse_stored_date(performed)?;
            let mut findings: Findings = from_json_text(&row.findings)?;
            // The registered floor area of the property when the officer did not measure it.
            if findings.usable_floor_area_dm2.is_none() && findings.rooms.iter().any(|r| r.occupants.is_some()) {
                if let Some(pid) = &row.property_id {
                    if let Some(p) = crate::db::properties::find(c, pid)? {
                        findings.usable_floor_area_dm2 = u32::try_from(p.usable_floor_area_dm2).ok().filter(|a| *a > 0);
                    }
                }
            }
            // The licence conditions in force on the inspection date.
            let mut licence = None;
            if let Some(lid) = &row.licence_id {
                if let Some(l) = crate::db::enforcement::find_licence(c, lid)? {
                    let in_force = l.state == "active"
                        && l.valid_from <= performed
                        && l.valid_until.is_none_or(|u| performed <= u);
                    if in_force {
                        let rooms = crate::db::licensing::room_limits(c, &l.id)?;
                        licence = Some(LicenceOccupancyConditions {
                            licence_id: l.number.clone(),
                            max_occupants_total: u32::try_from(l.max_occupants).ok().filter(|m| *m > 0),
                            max_occupants_per_room: rooms
                                .into_iter()
                                .filter_map(|r| u32::try_from(r.max_occupants).ok().map(|m| (r.room_label, m)))
                                .collect(),
                        });
                    }
                }
            }
            let rules = rules_on(&st, performed);
            let evaluation = inspection::evaluate(&findings, &rules, licence.as_ref());
            q::save_evaluation(c, &row.id, &json_text(&evaluation)?, evaluation.urgent, now)?;
            record_inspection(c, now, &actor, &row, "evaluate", Some(serde_json::json!({
                        "proposed": evaluation.proposed_violations.iter().map(|p| p.rule.as_str()).collect::<Vec<_>>(),
                        "urgent": evaluation.urgent})), None)?;
            Ok(evaluation)
        })
        .await?;
    Ok(HttpResponse::Ok().json(evaluation))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct NoticeQuery {
    /// `nl`, `en`, `pl`, `ro` or `uk` (default `nl`).
    pub language: Option<String>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct OccupantNoticeResponse {
    pub language: String,
    pub title: String,
    pub body: String,
    /// Languages this notice exists in.
    pub available_languages: Vec<String>,
}

#[derive(Deserialize)]
struct NoticeText {
    title: String,
    body: String,
}

/// Occupant notice texts, a data file shipped with the sources.
const NOTICE_TEXTS: &str = include_str!("../../data/inspection_notice.json");
pub const NOTICE_LANGUAGES: [&str; 5] = ["nl", "en", "pl", "ro", "uk"];

/// The notice of an inspection to the occupants, in nl, en, pl, ro or uk: why the visit, that
/// entry to each room needs that occupant's own consent (or a warrant), and the meldpunt.
#[utoipa::path(
    tag = "inspections",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Inspection id"), NoticeQuery),
    responses(
        (status = 200, body = OccupantNoticeResponse),
        AuthProblems,
        NotFoundProblem,
        ValidationProblem
    )
)]
#[get("/v1/inspections/{id}/occupant-notice")]
pub async fn inspection_occupant_notice(
    state: web::Data<AppState>,
    auth: Auth<EnforcementRead>,
    path: web::Path<String>,
    query: web::Query<NoticeQuery>,
) -> Result<HttpResponse, AppError> {
    let lang = query.into_inner().language.unwrap_or_else(|| "nl".into()).to_ascii_lowercase();
    if !NOTICE_LANGUAGES.contains(&lang.as_str()) {
        return Err(AppError::field("#/query/language", "must be one of nl, en, pl, ro, uk"));
    }
    let id = path.into_inner();
    let scope = auth.scope();
    let row = state
        .db
        .read(move |c| q::find_inspection(c, &scope, &id))
        .await?
        .ok_or_else(|| AppError::NotFound("no such inspection".into()))?;
    let texts: std::collections::HashMap<String, NoticeText> = from_json_text(NOTICE_TEXTS)?;
    let t =
        texts.get(&lang).ok_or_else(|| AppError::internal(anyhow::anyhow!("notice text {lang} missing")))?;
    let date = row.planned_on.or(row.performed_on).unwrap_or_default();
    let address = address_line(&address_dto(&row.postcode, row.house_number, row.house_number_addition));
    let fill = |s: &str| {
        s.replace("{date}", &date)
            .replace("{address}", &address)
            .replace("{municipality}", &state.config.municipality_name)
    };
    Ok(HttpResponse::Ok().json(OccupantNoticeResponse {
        language: lang,
        title: fill(&t.title),
        body: fill(&t.body),
        available_languages: NOTICE_LANGUAGES.iter().map(|s| (*s).to_string()).collect(),
    }))
}
