//! The occupancy assessment of an application, with the screening flags for staff.

use actix_web::{get, web, HttpResponse};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::domain::roles::Role;
use crate::error::AppError;
use crate::http::auth::{Auth, CaseworkReaders};
use crate::http::common::shown_figure;
use crate::http::licensing::properties::to_m2;
use crate::http::licensing::viewer;
use crate::http::problem::ReadProblems;
use crate::http::AppState;
use crate::service;
use crate::service::licensing::assessment::{self as uc, Assess, Screening};

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ScreeningDto {
    /// Enforcement against the landlord in the preceding 8 years (Wgv refusal ground).
    pub prior_enforcement_8y: bool,
    /// A dwelling of the landlord is in management takeover (beheerovername).
    pub management_takeover: bool,
    /// A permit needed to realise the dwelling is missing.
    pub missing_building_permit: bool,
    /// An integrity check is under way (neutral; the outcome is only visible under /bibob).
    pub bibob_pending: bool,
    /// Bibob officer only: the Bibob outcome is serious danger.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bibob_serious_danger: Option<bool>,
}

impl From<Screening> for ScreeningDto {
    fn from(s: Screening) -> Self {
        ScreeningDto {
            prior_enforcement_8y: s.prior_enforcement_8y,
            management_takeover: s.management_takeover,
            missing_building_permit: s.missing_building_permit,
            bibob_pending: s.bibob_pending,
            bibob_serious_danger: s.bibob_serious_danger,
        }
    }
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct AssessmentResponse {
    pub application_id: String,
    /// `valid_from` of the rule set used.
    pub rule_set_valid_from: NaiveDate,
    pub all_passed: bool,
    pub occupants: u64,
    /// The most occupants the floor area allows (floor(GBO / minimum per person)).
    pub max_occupants_by_floor_area: u64,
    pub floor_area_per_person_m2: Option<f64>,
    /// Per condition: code, room, passed, required, present, unit (`square_metres` with
    /// decimals, `persons`, `count`), the rule in words and its source.
    #[schema(value_type = Vec<Object>)]
    pub results: serde_json::Value,
    /// The rule set's required documents and data, and whether each is present (an uploaded
    /// document of that `kind`, or the data in the application).
    pub required_documents: Vec<RequiredDocumentDto>,
    /// Leges for this application under the rule set (euro cents).
    pub fee_cents: i64,
    /// Refusal-ground flags for staff: flags, never automatic refusals. Absent for landlords.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub screening: Option<ScreeningDto>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct RequiredDocumentDto {
    pub code: String,
    pub present: bool,
}

/// The automatic check of the planned occupancy against the rule set, and (for staff) the
/// refusal-ground screening flags.
#[utoipa::path(
    tag = "licences",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Application id")),
    responses(
        (status = 200, body = AssessmentResponse),
        ReadProblems
    )
)]
#[get("/v1/licence-applications/{id}/assessment")]
pub async fn get_assessment(
    state: web::Data<AppState>,
    auth: Auth<CaseworkReaders>,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let cmd = Assess {
        viewer: viewer(&auth),
        id: path.into_inner(),
        staff: auth.role != Role::Landlord,
        bibob_officer: auth.role == Role::BibobOfficer,
        rules: state.rules.clone(),
    };
    let a = service::read(&state.db, auth.ctx(&state.clock), move |tx| uc::assess(tx, cmd)).await?;
    let o = a.occupancy;
    let per_person = (o.occupants > 0).then(|| to_m2(a.usable_floor_area_dm2) / o.occupants as f64);
    Ok(HttpResponse::Ok().json(AssessmentResponse {
        application_id: a.application_id,
        rule_set_valid_from: a.rule_set_valid_from,
        all_passed: o.all_passed(),
        occupants: o.occupants,
        max_occupants_by_floor_area: o.max_occupants,
        floor_area_per_person_m2: per_person.map(|v| (v * 100.0).round() / 100.0),
        results: in_square_metres(serde_json::to_value(&o.results).map_err(AppError::internal)?),
        required_documents: a
            .required_documents
            .into_iter()
            .map(|(code, present)| RequiredDocumentDto { code, present })
            .collect(),
        fee_cents: a.fee_cents,
        screening: a.screening.map(ScreeningDto::from),
    }))
}

/// The condition results with their areas in m² (computed in whole dm²).
fn in_square_metres(mut results: serde_json::Value) -> serde_json::Value {
    for r in results.as_array_mut().into_iter().flatten().filter_map(serde_json::Value::as_object_mut) {
        let Some(unit) = r.get("unit").and_then(serde_json::Value::as_str).map(str::to_string) else {
            continue;
        };
        for key in ["required", "present"] {
            if let Some(n) = r.get(key).and_then(serde_json::Value::as_u64) {
                let (shown, shown_unit) = shown_figure(n, &unit);
                r.insert(key.into(), serde_json::Value::Number(shown));
                r.insert("unit".into(), serde_json::Value::String(shown_unit));
            }
        }
    }
    results
}
