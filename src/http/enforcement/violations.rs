//! Violations: record, read, close.

use actix_web::{get, post, web, HttpResponse};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::db::convert::from_json_text;
use crate::db::enforcement::ViolationRow;
use crate::domain::code::Code;
use crate::domain::general_rules::RuleCode;
use crate::domain::ladder::Aggravation;
use crate::domain::party_links::AddressedTo;
use crate::domain::sanction_lifecycle::CloseReason;
use crate::error::{AppError, FieldError};
use crate::http::auth::{Auth, EnforcementOfficer, EnforcementRead};
use crate::http::common::{
    address_dto, area_dm2, not_in_future, parse_address, parse_date, shown_figure, AddressDto,
    SQUARE_DECIMETRES, SQUARE_METRES,
};
use crate::http::extract::ValidJson;
use crate::http::problem::{CreateProblems, Problem, ReadProblems};
use crate::http::AppState;
use crate::service::{self, enforcement as uc};

#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct EvidenceDto {
    #[serde(default)]
    #[validate(length(max = 50))]
    #[schema(max_items = 50)]
    pub inspection_ids: Vec<String>,
    #[serde(default)]
    #[validate(length(max = 50))]
    #[schema(max_items = 50)]
    pub complaint_ids: Vec<String>,
    /// Document references (file numbers, photo ids) — no personal data of residents.
    #[serde(default)]
    #[validate(length(max = 50))]
    #[schema(max_items = 50)]
    pub documents: Vec<String>,
}

impl From<EvidenceDto> for uc::Evidence {
    fn from(e: EvidenceDto) -> Self {
        uc::Evidence {
            inspection_ids: e.inspection_ids,
            complaint_ids: e.complaint_ids,
            documents: e.documents,
        }
    }
}

impl From<uc::Evidence> for EvidenceDto {
    fn from(e: uc::Evidence) -> Self {
        EvidenceDto {
            inspection_ids: e.inspection_ids,
            complaint_ids: e.complaint_ids,
            documents: e.documents,
        }
    }
}

/// The numbers behind a violation (e.g. from an inspection evaluation).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ViolationNumbers {
    pub norm: String,
    pub room: Option<String>,
    /// In `unit`: m² with decimals for areas (`square_metres`), whole numbers otherwise.
    #[schema(value_type = f64)]
    pub required: serde_json::Number,
    #[schema(value_type = f64)]
    pub present: serde_json::Number,
    /// `square_metres`, `persons` or `count` (as the evaluation names them).
    pub unit: String,
}

/// The most a figure may be: m² of a unit, or persons and counts.
const MAX_FIGURE: f64 = 100_000.0;

/// The numbers as stored: areas in whole dm² (unit `square_decimetres`), others whole numbers.
fn parse_numbers(n: ViolationNumbers, errs: &mut Vec<FieldError>) -> Option<uc::Numbers> {
    let area = n.unit == SQUARE_METRES;
    if n.unit == SQUARE_DECIMETRES {
        errs.push(FieldError::new("/numbers/unit", "areas are given in m²: use `square_metres`"));
        return None;
    }
    let mut figure = |v: &serde_json::Number, field: &str| -> Option<u64> {
        let pointer = format!("/numbers/{field}");
        let v = v.as_f64().unwrap_or(-1.0);
        if area {
            return area_dm2(v, &pointer, MAX_FIGURE, errs).map(u64::from);
        }
        if !(0.0..=MAX_FIGURE).contains(&v) || v.fract() != 0.0 {
            errs.push(FieldError::new(pointer, format!("must be a whole number from 0 to {MAX_FIGURE}")));
            return None;
        }
        Some(v as u64)
    };
    let required = figure(&n.required, "required");
    let present = figure(&n.present, "present");
    let unit = if area { SQUARE_DECIMETRES.to_string() } else { n.unit };
    Some(uc::Numbers { norm: n.norm, room: n.room, required: required?, present: present?, unit })
}

impl From<uc::Numbers> for ViolationNumbers {
    fn from(n: uc::Numbers) -> Self {
        let (required, unit) = shown_figure(n.required, &n.unit);
        let (present, _) = shown_figure(n.present, &n.unit);
        ViolationNumbers { norm: n.norm, room: n.room, required, present, unit }
    }
}

/// Record an established violation. It belongs to landlord + address + rule — never to a
/// tenant; it joins the open enforcement case of that landlord and address (or opens one).
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateViolationRequest {
    /// The landlord of the dwelling.
    pub landlord_id: String,
    /// `landlord` (default) or `intermediary`: the party addressed, whose case, sanctions,
    /// letters and recidive the violation joins. An intermediary is bound by the general rules
    /// `GR-00` … `GR-10` only (rules.md §1).
    #[serde(default)]
    pub addressed_to: AddressedTo,
    /// The intermediary (verhuurbemiddelaar or beheerder) addressed; required with
    /// `addressed_to: intermediary`, refused otherwise.
    #[validate(length(max = 64))]
    #[schema(max_length = 64)]
    pub intermediary_id: Option<String>,
    pub address: AddressDto,
    /// `GR-00`…`GR-10`, `AM-01`, `AM-02`, `no_licence`, `licence_condition`, `overcrowding`.
    #[schema(example = "GR-04")]
    pub rule: String,
    /// Which licence condition (voorschrift); required for `licence_condition`.
    #[validate(length(max = 500))]
    #[schema(max_length = 500)]
    pub licence_condition: Option<String>,
    /// Date established, YYYY-MM-DD, not in the future.
    #[schema(example = "2025-02-10")]
    pub established_on: String,
    /// What was established (no names of residents).
    #[validate(length(min = 1, max = 4000))]
    #[schema(min_length = 1, max_length = 4000)]
    pub description: String,
    pub numbers: Option<ViolationNumbers>,
    #[serde(default)]
    #[validate(nested)]
    pub evidence: EvidenceDto,
    /// The inspection that established it (its aggravations are taken over).
    pub inspection_id: Option<String>,
    /// Extra aggravations: `unsafe_housing`, `labour_exploitation`.
    #[serde(default)]
    #[schema(value_type = Vec<Aggravation>)]
    pub aggravations: Vec<Aggravation>,
    /// Used when this violation opens a new case: the landlord is a housing corporation
    /// (toegelaten instelling: no municipal Wgv enforcement, referral). Default `false`; a
    /// landlord recorded as one (`POST /v1/landlords/{id}/housing-corporation`) always is.
    pub housing_corporation: Option<bool>,
    #[validate(length(max = 64))]
    #[schema(max_length = 64)]
    pub property_id: Option<String>,
    #[validate(length(max = 64))]
    #[schema(max_length = 64)]
    pub licence_id: Option<String>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ViolationResponse {
    pub id: String,
    pub case_id: String,
    /// The landlord of the dwelling.
    pub landlord_id: String,
    /// `landlord` or `intermediary`.
    pub addressed_to: AddressedTo,
    /// The intermediary addressed (with `addressed_to: intermediary`).
    pub intermediary_id: Option<String>,
    /// The party addressed: the landlord or the intermediary. Its enforcement case, sanctions
    /// and history (`/v1/landlords/{id}/history`) hold the violation.
    pub addressee_id: String,
    pub address: AddressDto,
    pub rule: String,
    pub licence_condition: Option<String>,
    pub established_on: NaiveDate,
    pub description: String,
    pub numbers: Option<ViolationNumbers>,
    pub evidence: EvidenceDto,
    pub inspection_id: Option<String>,
    #[schema(value_type = Vec<Aggravation>)]
    pub aggravations: Vec<Aggravation>,
    /// `open`, `remedied`, `closed_without_enforcement`.
    #[schema(value_type = crate::domain::sanction_lifecycle::ViolationStatus)]
    pub status: String,
    #[schema(value_type = Option<crate::domain::sanction_lifecycle::CloseReason>)]
    pub close_reason: Option<String>,
    pub close_motivation: Option<String>,
    pub closed_on: Option<NaiveDate>,
    pub created_at: DateTime<Utc>,
}

pub(super) fn violation_response(v: ViolationRow) -> Result<ViolationResponse, AppError> {
    let details: uc::StoredDetails = from_json_text(&v.details)?;
    let evidence: uc::Evidence = from_json_text(&v.evidence)?;
    // Addressed to an intermediary: the intermediary is the party addressed (`landlord_id` of
    // the row) and the dwelling's landlord is kept beside it.
    let (landlord_id, addressed_to, intermediary_id) = match v.dwelling_landlord_id {
        Some(landlord) => (landlord, AddressedTo::Intermediary, Some(v.landlord_id.clone())),
        None => (v.landlord_id.clone(), AddressedTo::Landlord, None),
    };
    Ok(ViolationResponse {
        landlord_id,
        addressed_to,
        intermediary_id,
        addressee_id: v.landlord_id,
        address: address_dto(&details.postcode, details.house_number, details.house_number_addition),
        numbers: details.numbers.map(ViolationNumbers::from),
        established_on: v.established_on,
        evidence: evidence.into(),
        aggravations: from_json_text(&v.aggravations)?,
        closed_on: v.closed_on,
        id: v.id,
        case_id: v.case_id,
        rule: v.rule,
        licence_condition: v.licence_condition,
        description: v.description,
        inspection_id: v.inspection_id,
        status: v.status.code().to_string(),
        close_reason: v.close_reason.map(|r| r.code().to_string()),
        close_motivation: v.close_motivation,
        created_at: v.created_at.and_utc(),
    })
}

fn parse_create(
    req: CreateViolationRequest,
    today: NaiveDate,
    municipality: String,
    created_by: String,
) -> Result<uc::CreateViolation, AppError> {
    let mut errs = Vec::new();
    let address = parse_address(&req.address, "/address", &mut errs);
    let rule = match req.rule.parse::<RuleCode>() {
        Ok(r) => Some(r),
        Err(_) => {
            errs.push(FieldError::new("/rule", "is not a known rule code (see GET /v1/rules or the README)"));
            None
        }
    };
    if rule == Some(RuleCode::LicenceCondition)
        && req.licence_condition.as_deref().is_none_or(|s| s.trim().is_empty())
    {
        errs.push(FieldError::new("/licence_condition", "is required for a licence-condition violation"));
    }
    let established = parse_date(&req.established_on, "/established_on", &mut errs);
    if let Some(d) = established {
        not_in_future(d, today, "/established_on", &mut errs);
    }
    if req.description.trim().is_empty() {
        errs.push(FieldError::new("/description", "must not be blank"));
    }
    let numbers = match req.numbers {
        None => None,
        Some(n) => parse_numbers(n, &mut errs),
    };
    let evidence_empty = req.evidence.inspection_ids.is_empty()
        && req.evidence.complaint_ids.is_empty()
        && req.evidence.documents.is_empty()
        && req.inspection_id.is_none();
    if evidence_empty {
        errs.push(FieldError::new("/evidence", "name at least one inspection, complaint or document"));
    }
    let (Some(address), Some(rule), Some(established), true) = (address, rule, established, errs.is_empty())
    else {
        return Err(AppError::Validation(errs));
    };
    Ok(uc::CreateViolation {
        municipality,
        created_by,
        landlord_id: req.landlord_id,
        addressed_to: req.addressed_to,
        intermediary_id: req.intermediary_id,
        address: uc::Address {
            postcode: address.postcode,
            house_number: address.house_number,
            addition: address.addition,
            key: address.key,
        },
        rule,
        licence_condition: req.licence_condition,
        established_on: established,
        description: req.description.trim().to_string(),
        numbers,
        evidence: req.evidence.into(),
        inspection_id: req.inspection_id,
        aggravations: req.aggravations,
        woningcorporatie: req.housing_corporation.unwrap_or(false),
        property_id: req.property_id,
        licence_id: req.licence_id,
    })
}

/// Record a violation (officers). Joins or opens the case of the landlord and address.
#[utoipa::path(
    tag = "enforcement",
    security(("bearer" = [])),
    request_body = CreateViolationRequest,
    responses(
        (status = 201, body = ViolationResponse),
        CreateProblems
    )
)]
#[post("/v1/violations")]
pub async fn create_violation(
    state: web::Data<AppState>,
    auth: Auth<EnforcementOfficer>,
    body: ValidJson<CreateViolationRequest>,
) -> Result<HttpResponse, AppError> {
    let municipality = state.config.municipality_code.as_str().to_string();
    let cmd = parse_create(body.0, state.clock.today_nl(), municipality, auth.id.clone())?;
    let row =
        service::write(&state.db, auth.ctx(&state.clock), move |tx| uc::create_violation(tx, cmd)).await?;
    Ok(HttpResponse::Created().json(violation_response(row)?))
}

/// One violation (officers, managers).
#[utoipa::path(
    tag = "enforcement",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Violation id")),
    responses(
        (status = 200, body = ViolationResponse),
        ReadProblems
    )
)]
#[get("/v1/violations/{id}")]
pub async fn get_violation(
    state: web::Data<AppState>,
    auth: Auth<EnforcementRead>,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let row = service::read(&state.db, auth.ctx(&state.clock), move |tx| uc::get_violation(tx, &id)).await?;
    Ok(HttpResponse::Ok().json(violation_response(row)?))
}

/// The only ways to close a violation. A tenant leaving is deliberately not one of them
/// (carrousel rule, rules.md §4.8).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CloseViolationReason {
    /// Compliance verified (e.g. by a follow-up inspection).
    Remedied,
    /// Refraining from enforcement: legalisation concretely in prospect.
    LegalisationInProspect,
    /// Refraining from enforcement: enforcement would be disproportionate.
    Disproportionate,
}

impl From<CloseViolationReason> for CloseReason {
    fn from(r: CloseViolationReason) -> Self {
        match r {
            CloseViolationReason::Remedied => CloseReason::Remedied,
            CloseViolationReason::LegalisationInProspect => CloseReason::LegalisationInProspect,
            CloseViolationReason::Disproportionate => CloseReason::Disproportionate,
        }
    }
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CloseViolationRequest {
    pub reason: CloseViolationReason,
    /// Required (at least 20 characters) when closing without enforcement.
    #[validate(length(max = 4000))]
    #[schema(max_length = 4000)]
    pub motivation: Option<String>,
    /// YYYY-MM-DD, not in the future.
    pub on: String,
}

fn parse_close(
    id: String,
    req: CloseViolationRequest,
    today: NaiveDate,
) -> Result<uc::CloseViolation, AppError> {
    let mut errs = Vec::new();
    let on = parse_date(&req.on, "/on", &mut errs);
    if let Some(d) = on {
        not_in_future(d, today, "/on", &mut errs);
    }
    let motivation = req.motivation.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_string);
    let without_enforcement = req.reason != CloseViolationReason::Remedied;
    if without_enforcement && motivation.as_ref().is_none_or(|m| m.chars().count() < 20) {
        errs.push(FieldError::new(
            "/motivation",
            "closing without enforcement needs a motivation (at least 20 characters) explaining why \
             legalisation is concretely in prospect or enforcement would be disproportionate",
        ));
    }
    let (Some(on), true) = (on, errs.is_empty()) else { return Err(AppError::Validation(errs)) };
    Ok(uc::CloseViolation { id, reason: req.reason.into(), motivation, on })
}

/// Close a violation: remedied, or without enforcement on one of the two lawful reasons
/// (legalisation concretely in prospect; enforcement disproportionate) with a motivation.
/// The case closes when its last open violation closes.
#[utoipa::path(
    tag = "enforcement",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Violation id")),
    request_body = CloseViolationRequest,
    responses(
        (status = 200, body = ViolationResponse),
        ReadProblems,
        (status = 409, description = "Already closed", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Unknown reason, missing motivation, bad date", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/v1/violations/{id}/close")]
pub async fn close_violation(
    state: web::Data<AppState>,
    auth: Auth<EnforcementOfficer>,
    path: web::Path<String>,
    body: ValidJson<CloseViolationRequest>,
) -> Result<HttpResponse, AppError> {
    let cmd = parse_close(path.into_inner(), body.0, state.clock.today_nl())?;
    let row =
        service::write(&state.db, auth.ctx(&state.clock), move |tx| uc::close_violation(tx, cmd)).await?;
    Ok(HttpResponse::Ok().json(violation_response(row)?))
}
