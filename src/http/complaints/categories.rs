//! The complaint categories of the catalogue (data file), in the reporter's language.

use actix_web::{get, web, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::domain::code::Code;
use crate::domain::complaints::{self as rules, ExploitationSignal};
use crate::error::AppError;
use crate::http::problem::Problem;
use crate::http::AppState;

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct CategoriesQuery {
    /// `nl` (default), `en`, `pl`, `ro`, `bg` or `uk`.
    pub lang: Option<String>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct CategoryResponse {
    pub code: String,
    /// The Wgv rule concerned (`GR-04`, `AM-01`, `no_licence`, …); absent when not a Wgv rule.
    pub rule: Option<String>,
    pub title: String,
    pub explanation: String,
    /// Handling term in days (municipal policy).
    pub handling_term_days: u32,
    pub urgent: bool,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct CategoriesResponse {
    #[schema(value_type = crate::http::schema::ComplaintLanguage)]
    pub language: String,
    pub categories: Vec<CategoryResponse>,
    /// Codes of the exploitation signals a report may carry.
    pub exploitation_signals: Vec<ExploitationSignal>,
}

/// The complaint categories (meldpunt), each with the Wgv rule it concerns, in the requested
/// language. No token needed.
#[utoipa::path(
    tag = "complaints",
    params(CategoriesQuery),
    responses(
        (status = 200, body = CategoriesResponse),
        (status = 422, description = "Unknown language", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/v1/complaint-categories")]
pub async fn list_complaint_categories(
    state: web::Data<AppState>,
    query: web::Query<CategoriesQuery>,
) -> Result<HttpResponse, AppError> {
    let lang = query.into_inner().lang.unwrap_or_else(|| "nl".into()).to_ascii_lowercase();
    if !rules::is_language(&lang) {
        return Err(AppError::field("#/query/lang", "must be one of nl, en, pl, ro, bg, uk"));
    }
    let cat = &state.config.complaints.catalogue;
    let categories = cat
        .categories
        .iter()
        .map(|c| {
            let t = c.text(&lang);
            CategoryResponse {
                code: c.code.clone(),
                rule: c.rule.clone(),
                title: t.map(|t| t.title.clone()).unwrap_or_default(),
                explanation: t.map(|t| t.explanation.clone()).unwrap_or_default(),
                handling_term_days: c.handling_term_days,
                urgent: c.urgent,
            }
        })
        .collect();
    Ok(HttpResponse::Ok().json(CategoriesResponse {
        language: lang,
        categories,
        exploitation_signals: ExploitationSignal::ALL.to_vec(),
    }))
}
