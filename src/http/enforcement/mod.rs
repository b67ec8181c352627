//! Enforcement (handhaving) routes: violations, enforcement cases per landlord + address, the
//! sanction ladder (`next-step`), sanction procedures (warning, administrative fine, penalty
//! order, bestuursdwang, management takeover), the landlord's history, the dashboard and the
//! landlord's own view of sanctions and deadlines. The use cases are in
//! `crate::service::enforcement`.
//!
//! Error conventions: an unlawful step (the law forbids it on these facts) is 409 with the
//! reason; a lawful step that departs from the proposal without a motivation is 422 on
//! `/motivation`; an action the procedure's state does not allow is 409 with `allowed_actions`;
//! bad dates or amounts are 422 with pointers.

mod cases;
mod dashboard;
mod history;
pub mod register;
mod sanction_requests;
mod sanctions;
mod violations;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::db::convert::from_json_text;
use crate::domain::sanction_lifecycle;
use crate::error::AppError;
use crate::service::enforcement::Displacement;

pub use cases::{
    case_next_step, get_case, list_cases, CaseListQuery, CaseListResponse, CaseResponse, CaseSummary,
    NextStepResponse, ViolationProposal,
};
pub use dashboard::{
    enforcement_dashboard, enforcement_policy, my_sanctions, DashboardQuery, DashboardResponse, DeadlineItem,
    LandlordRecidive, MySanction, MySanctionsResponse,
};
pub use history::{
    landlord_history_view, CountBy, HistoryResponse, LicenceSummary, PriorEnforcement, RecidiveStatus,
    SanctionSummary,
};
pub use sanction_requests::{
    CoercionTerms, CreateSanctionRequest, FineStart, PenaltyOrderTerms, SanctionActionRequest, TakeoverTerms,
    WarningTerms,
};
pub use sanctions::{create_sanction, get_sanction, sanction_action, SanctionResponse};
pub use violations::{
    close_violation, create_violation, get_violation, CloseViolationReason, CloseViolationRequest,
    CreateViolationRequest, EvidenceDto, ViolationNumbers, ViolationResponse,
};

/// Occupants an action will displace, and whether replacement housing was arranged
/// (supervision.md: enforcement that ends overcrowding can make occupants homeless).
#[derive(Debug, Clone, Copy, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DisplacementDto {
    /// 0–10000.
    #[validate(range(max = 10000))]
    #[schema(maximum = 10000)]
    pub occupants_displaced: u32,
    pub replacement_housing_arranged: bool,
}

impl From<DisplacementDto> for Displacement {
    fn from(d: DisplacementDto) -> Self {
        Displacement {
            occupants_displaced: d.occupants_displaced,
            replacement_housing_arranged: d.replacement_housing_arranged,
        }
    }
}

/// A named deadline of a sanction.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Deadline {
    /// e.g. `remedy_term`, `zienswijze_term`, `fine_decision_13_weeks`, `payment`,
    /// `objection_term`, `begunstigingstermijn`, `forfeiture_payment`, `collection_lapses`,
    /// `takeover_end`.
    #[schema(value_type = crate::http::schema::DeadlineKind)]
    pub kind: String,
    pub due_on: NaiveDate,
}

impl From<sanction_lifecycle::Deadline> for Deadline {
    fn from(d: sanction_lifecycle::Deadline) -> Self {
        Deadline { kind: d.kind.to_string(), due_on: d.due_on }
    }
}

/// A sanction's stored state (JSON text) as a document, with the deadlines running in it.
fn procedure_state(
    kind: sanction_lifecycle::SanctionKind,
    stored: &str,
) -> Result<(serde_json::Value, Vec<Deadline>), AppError> {
    let state: serde_json::Value = from_json_text(stored)?;
    let deadlines = kind.deadlines(&state).into_iter().map(Deadline::from).collect();
    Ok((state, deadlines))
}
