//! The landlord's enforcement history.

use actix_web::{get, web, HttpResponse};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::Deadline;
use crate::db::enforcement::{KeyCounts, SanctionBrief};
use crate::domain::code::Code;
use crate::error::AppError;
use crate::http::auth::{Auth, EnforcementRead};
use crate::http::problem::ReadProblems;
use crate::http::AppState;
use crate::service::{self, enforcement as uc};

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct CountBy {
    pub key: String,
    pub count: i64,
}

/// `(key, count)` pairs as [`CountBy`] items.
pub(super) fn counts(v: KeyCounts) -> Vec<CountBy> {
    v.into_iter().map(|(key, count)| CountBy { key, count }).collect()
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct RecidiveStatus {
    /// A new general-rule violation established today would be recidive.
    pub recidive_now: bool,
    pub reason: String,
    /// The qualifying prior fine's anchor date.
    pub anchor_date: Option<NaiveDate>,
    /// Until when (exclusive) a new violation counts as recidive.
    pub window_ends_on: Option<NaiveDate>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct PriorEnforcement {
    /// A penalty order, fine, bestuursdwang or takeover within the period (feeds the licence
    /// refusal-ground flag, scenario 7; the decision stays discretionary).
    pub present: bool,
    pub years: u32,
    pub since: NaiveDate,
    pub count: i64,
    pub latest_on: Option<NaiveDate>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct LicenceSummary {
    pub id: String,
    pub number: String,
    pub property_id: String,
    #[schema(value_type = crate::domain::ruleset::LicenceKind)]
    pub kind: String,
    /// `active`, `suspended`, `revoked` (named `status` as on the licence itself).
    #[schema(value_type = crate::domain::licensing_codes::LicenceState)]
    pub status: String,
    pub valid_from: NaiveDate,
    pub valid_until: Option<NaiveDate>,
}

/// A sanction in an overview; the full procedure is at `GET /v1/sanctions/{id}`.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct SanctionSummary {
    pub id: String,
    pub municipality_code: String,
    pub case_id: String,
    pub violation_id: String,
    /// `warning`, `administrative_fine`, `penalty_order`, `administrative_coercion`,
    /// `management_takeover`.
    #[schema(value_type = crate::domain::sanction_lifecycle::SanctionKind)]
    pub kind: String,
    pub rule: String,
    pub violation_date: NaiveDate,
    pub state_name: String,
    /// Fine amount once decided.
    pub amount_cents: Option<i64>,
    /// The date the sanction took effect (issued, decided, rapport).
    pub effective_on: NaiveDate,
    /// The day the sanction decision was taken.
    pub decided_on: Option<NaiveDate>,
    /// The day the decision became final (onherroepelijk).
    pub final_on: Option<NaiveDate>,
    pub annulled: bool,
    /// The next running deadline, if any.
    pub next_deadline: Option<Deadline>,
    pub created_at: DateTime<Utc>,
}

fn sanction_summary(b: SanctionBrief) -> SanctionSummary {
    SanctionSummary {
        violation_date: b.violation_date,
        effective_on: b.effective_on,
        decided_on: b.decision_date,
        final_on: b.final_date,
        next_deadline: match (b.next_deadline_kind, b.next_deadline) {
            (Some(kind), Some(due_on)) => Some(Deadline { kind, due_on }),
            _ => None,
        },
        id: b.id,
        municipality_code: b.municipality_code,
        case_id: b.case_id,
        violation_id: b.violation_id,
        kind: b.kind.code().to_string(),
        rule: b.rule,
        state_name: b.state_name,
        amount_cents: b.amount_cents,
        annulled: b.annulled,
        created_at: b.created_at.and_utc(),
    }
}

fn summaries(v: Vec<SanctionBrief>) -> Vec<SanctionSummary> {
    v.into_iter().map(sanction_summary).collect()
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct HistoryResponse {
    pub landlord_id: String,
    /// Licences of the landlord (newest first, at most 200).
    pub licences: Vec<LicenceSummary>,
    pub violations_total: i64,
    pub violations_by_status: Vec<CountBy>,
    pub violations_by_rule: Vec<CountBy>,
    pub addresses_with_cases: i64,
    pub cases_by_status: Vec<CountBy>,
    /// Fines decided (or final) within the recidive window, newest first (at most 50).
    pub fines: Vec<SanctionSummary>,
    /// Number of fines decided (or final) within the recidive window.
    pub fines_in_window: i64,
    /// The 50 most recent sanctions (all kinds).
    pub recent_sanctions: Vec<SanctionSummary>,
    pub recidive: RecidiveStatus,
    pub prior_enforcement: PriorEnforcement,
    pub today: NaiveDate,
}

/// The landlord's enforcement history (officers, managers): violations, sanctions, recidive
/// status and window end, prior enforcement within 8 years. Aggregated queries only.
#[utoipa::path(
    tag = "enforcement",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Landlord id")),
    responses(
        (status = 200, body = HistoryResponse),
        ReadProblems
    )
)]
#[get("/v1/landlords/{id}/history")]
pub async fn landlord_history_view(
    state: web::Data<AppState>,
    auth: Auth<EnforcementRead>,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let query =
        uc::HistoryQuery { landlord_id: path.into_inner(), policy: state.config.enforcement_policy.clone() };
    let h =
        service::read(&state.db, auth.ctx(&state.clock), move |tx| uc::landlord_history(tx, query)).await?;
    Ok(HttpResponse::Ok().json(HistoryResponse {
        landlord_id: h.landlord_id,
        licences: h
            .licences
            .into_iter()
            .map(|l| LicenceSummary {
                id: l.id,
                number: l.number,
                property_id: l.property_id,
                kind: l.kind.code().to_string(),
                status: l.state.code().to_string(),
                valid_from: l.valid_from,
                valid_until: l.valid_until,
            })
            .collect(),
        violations_total: h.violations_by_status.iter().map(|(_, n)| n).sum(),
        violations_by_status: counts(h.violations_by_status),
        violations_by_rule: counts(h.violations_by_rule),
        addresses_with_cases: h.addresses_with_cases,
        cases_by_status: counts(h.cases_by_status),
        fines: summaries(h.fines),
        fines_in_window: h.fines_in_window,
        recent_sanctions: summaries(h.recent_sanctions),
        recidive: RecidiveStatus {
            recidive_now: h.recidive.is_recidive,
            reason: h.recidive.reason,
            anchor_date: h.recidive.qualifying_anchor_date,
            window_ends_on: h.recidive_window_ends_on,
        },
        prior_enforcement: PriorEnforcement {
            present: h.prior_count > 0,
            years: h.prior_years,
            since: h.prior_since,
            count: h.prior_count,
            latest_on: h.prior_latest_on,
        },
        today: h.today,
    }))
}
