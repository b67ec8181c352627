//! `GET /v1/rules`: the municipality's rule set in force on a date (public).

use actix_web::{get, web, HttpResponse};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::domain::ruleset::RuleSet;
use crate::error::AppError;
use crate::http::problem::{Problem, ValidationProblem};
use crate::http::AppState;

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct RulesQuery {
    /// Calendar date (YYYY-MM-DD); default today (Europe/Amsterdam).
    pub date: Option<NaiveDate>,
}

/// The rule set in force on a date, with every number the verordening decides. Areas are in
/// dm² (1 m² = 100 dm²), terms in weeks, fees in euro cents.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct RulesResponse {
    pub municipality_code: String,
    /// The date asked about.
    pub date: NaiveDate,
    /// The rule set (see README "Rule set" for every field, its default and its source).
    #[schema(value_type = Object)]
    pub rule_set: serde_json::Value,
    /// `valid_from` of every version in the configuration, oldest first.
    pub versions: Vec<NaiveDate>,
}

/// The municipality's rule set in force on a date (public, no token).
#[utoipa::path(
    tag = "rules",
    params(RulesQuery),
    responses(
        (status = 200, body = RulesResponse),
        (status = 404, description = "No rule set in force on that date", body = Problem, content_type = "application/problem+json"),
        ValidationProblem
    )
)]
#[get("/v1/rules")]
pub async fn get_rules(
    state: web::Data<AppState>,
    query: web::Query<RulesQuery>,
) -> Result<HttpResponse, AppError> {
    let date = query.into_inner().date.unwrap_or_else(|| state.clock.today_nl());
    let rules = in_force_on(&state, date)?;
    let mut versions: Vec<NaiveDate> = state.rules.versions.iter().map(|v| v.valid_from).collect();
    versions.sort();
    Ok(HttpResponse::Ok().json(RulesResponse {
        municipality_code: state.config.municipality_code.as_str().to_string(),
        date,
        rule_set: serde_json::to_value(rules).map_err(AppError::internal)?,
        versions,
    }))
}

/// The rule set in force on `date`; 404 when none is.
pub(crate) fn in_force_on(state: &AppState, date: NaiveDate) -> Result<&RuleSet, AppError> {
    state
        .rules
        .in_force_on(date)
        .ok_or_else(|| AppError::NotFound(format!("no rule set is in force on {date}")))
}
