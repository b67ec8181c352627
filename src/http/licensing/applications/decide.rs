//! The decision on the merits: grant (creates the licence), grant with conditions, or refuse.

use actix_web::{post, web, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use super::{ok, ApplicationResponse};
use crate::domain::licensing::{DecisionOutcome, RefusalGround, Voorschrift, VoorschriftKind};
use crate::error::AppError;
use crate::http::auth::{Auth, OfficerOnly};
use crate::http::extract::ValidJson;
use crate::http::licensing::{viewer, write_register};
use crate::http::preconditions::IfMatch;
use crate::http::problem::{Problem, ReadProblems, ValidationProblem};
use crate::http::AppState;
use crate::service::licensing::decide::{self as uc, Decide, RoomLimit};

/// The decision on the merits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DecisionChoice {
    Grant,
    GrantWithConditions,
    Refuse,
}

impl From<DecisionChoice> for DecisionOutcome {
    fn from(c: DecisionChoice) -> Self {
        match c {
            DecisionChoice::Grant => DecisionOutcome::Granted,
            DecisionChoice::GrantWithConditions => DecisionOutcome::GrantedWithConditions,
            DecisionChoice::Refuse => DecisionOutcome::Refused,
        }
    }
}

/// A licence condition (voorschrift).
#[derive(Debug, Clone, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConditionDto {
    /// `good_landlordship_compliance`, `maximum_rent`, `maximum_rent_increase`,
    /// `maintenance_plan`, `written_lease`, `occupancy_limit`, `facility_requirement`,
    /// `bibob_danger_limitation` or `other`.
    #[schema(value_type = VoorschriftKind)]
    pub kind: VoorschriftKind,
    #[validate(length(min = 1, max = 4000))]
    #[schema(min_length = 1, max_length = 4000)]
    pub text: String,
}

impl From<Voorschrift> for ConditionDto {
    fn from(v: Voorschrift) -> Self {
        ConditionDto { kind: v.kind, text: v.text }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RoomLimitDto {
    #[validate(length(min = 1, max = 50))]
    #[schema(min_length = 1, max_length = 50)]
    pub room_label: String,
    #[validate(range(min = 1, max = 100))]
    #[schema(minimum = 1, maximum = 100)]
    pub max_occupants: u32,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DecideRequest {
    pub decision: DecisionChoice,
    /// For `refuse`: `missing_building_permit`, `prior_enforcement_8y`, `beheer` or `bibob_serious_danger`.
    #[serde(default)]
    #[schema(value_type = Vec<RefusalGround>)]
    pub refusal_grounds: Vec<RefusalGround>,
    /// Written motivation (Awb 3:46); required for a refusal.
    #[validate(length(max = 20000))]
    #[schema(max_length = 20000)]
    pub motivation: Option<String>,
    /// Why a Bibob refusal is proportionate (Wet Bibob art. 3 lid 5).
    #[validate(length(max = 20000))]
    #[schema(max_length = 20000)]
    pub proportionality_motivation: Option<String>,
    /// Voorschriften, for `grant_with_conditions`.
    #[serde(default)]
    #[validate(length(max = 50), nested)]
    #[schema(max_items = 50)]
    pub conditions: Vec<ConditionDto>,
    /// Licence condition: maximum occupants in total. Default: the planned occupancy, at most
    /// what the floor area allows.
    #[validate(range(min = 1, max = 10000))]
    #[schema(minimum = 1, maximum = 10000)]
    pub max_occupants: Option<u32>,
    /// Licence condition: maximum occupants per room. Default: the planned occupancy per room.
    #[serde(default)]
    #[validate(length(max = 200), nested)]
    #[schema(max_items = 200)]
    pub room_limits: Vec<RoomLimitDto>,
}

/// Decide on the merits: grant (creates the licence), grant with conditions, or refuse with
/// enumerated grounds and a motivation. The landlord receives the decision with the end of the
/// objection period.
#[utoipa::path(
    tag = "licences",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Application id"), IfMatch),
    request_body = DecideRequest,
    responses(
        (status = 200, body = ApplicationResponse),
        ReadProblems,
        (status = 409, description = "Illegal transition, or an integrity check is under way", body = Problem, content_type = "application/problem+json"),
        ValidationProblem
    )
)]
#[post("/v1/licence-applications/{id}/decide")]
pub async fn decide_application(
    state: web::Data<AppState>,
    auth: Auth<OfficerOnly>,
    path: web::Path<String>,
    if_match: IfMatch,
    body: ValidJson<DecideRequest>,
) -> Result<HttpResponse, AppError> {
    let expected = if_match.on(&path);
    let req = body.0;
    let cmd = Decide {
        viewer: viewer(&auth),
        id: path.into_inner(),
        outcome: req.decision.into(),
        refusal_grounds: req.refusal_grounds,
        motivation: req.motivation,
        proportionality_motivation: req.proportionality_motivation,
        conditions: req
            .conditions
            .into_iter()
            .map(|c| Voorschrift { kind: c.kind, text: c.text.trim().to_string() })
            .collect(),
        max_occupants: req.max_occupants,
        room_limits: req
            .room_limits
            .into_iter()
            .map(|r| RoomLimit { room_label: r.room_label, max_occupants: r.max_occupants })
            .collect(),
        rules: state.rules.clone(),
    };
    let v = write_register(&state, auth.ctx(&state.clock).expecting(expected), move |tx| uc::decide(tx, cmd))
        .await
        .map_err(|e| crate::service::licensing::for_role(e, auth.role))?;
    ok(&state, auth.role, v)
}
