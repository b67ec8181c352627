//! Request and response bodies of licence applications, and the mapping of a stored
//! application to its response.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::domain::code::Code;
use crate::domain::licensing::{self as lic, ApplicationState};
use crate::domain::licensing_codes::OPEN_STATES;
use crate::domain::objections::final_on;
use crate::domain::roles::Role;
use crate::domain::ruleset::{LicenceKind, RuleSet};
use crate::error::AppResult;
use crate::service::licensing::applications::PlannedOccupancy;
use crate::service::licensing::deadlines::{not_considered_due, not_considered_overdue};
use crate::service::licensing::{clock_of, verb, ApplicationView};

/// Persons planned to sleep in a room of the property.
#[derive(Debug, Clone, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OccupancyDto {
    /// Label of a room of the property.
    #[validate(length(min = 1, max = 50))]
    #[schema(min_length = 1, max_length = 50)]
    pub room_label: String,
    #[validate(range(max = 100))]
    #[schema(maximum = 100)]
    pub persons: u32,
    /// The persons are partners who asked to share the room (partner exception).
    #[serde(default)]
    pub partners: bool,
}

impl From<OccupancyDto> for PlannedOccupancy {
    fn from(o: OccupancyDto) -> Self {
        PlannedOccupancy { room_label: o.room_label, persons: o.persons, partners: o.partners }
    }
}

/// The planned occupancy of a request, as the command takes it.
pub(crate) fn planned(dto: Vec<OccupancyDto>) -> Vec<PlannedOccupancy> {
    dto.into_iter().map(PlannedOccupancy::from).collect()
}

/// Start a draft application.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateApplicationRequest {
    pub property_id: String,
    /// `general` (Wgv art. 5 lid 1 a) or `labour_migrant` (art. 5 lid 1 b).
    #[schema(value_type = LicenceKind, example = "labour_migrant")]
    pub kind: LicenceKind,
    /// Kale huur per month in euro cents.
    #[validate(range(min = 0, max = 100_000_000))]
    #[schema(minimum = 0, maximum = 100_000_000)]
    pub monthly_rent_cents: Option<i64>,
    #[serde(default)]
    #[validate(length(max = 200), nested)]
    #[schema(max_items = 200)]
    pub planned_occupancy: Vec<OccupancyDto>,
}

/// Change a draft: only the fields sent change.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateApplicationRequest {
    #[schema(value_type = Option<LicenceKind>)]
    pub kind: Option<LicenceKind>,
    #[validate(range(min = 0, max = 100_000_000))]
    #[schema(minimum = 0, maximum = 100_000_000)]
    pub monthly_rent_cents: Option<i64>,
    #[validate(length(max = 200), nested)]
    #[schema(max_items = 200)]
    pub planned_occupancy: Option<Vec<OccupancyDto>>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct InformationRequestDto {
    /// What is missing.
    pub what: String,
    /// The term to supply it (hersteltermijn, Awb 4:5).
    pub respond_by: NaiveDate,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ExtensionDto {
    pub notified_on: NaiveDate,
    pub weeks: u32,
    pub reason: Option<String>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct DecisionDto {
    /// `granted`, `granted_with_conditions`, `refused` or `not_considered`.
    #[schema(value_type = crate::http::schema::ApplicationOutcome)]
    pub outcome: String,
    pub decided_on: Option<NaiveDate>,
    /// Refusal grounds (`missing_building_permit`, `prior_enforcement_8y`, `beheer`, `bibob_serious_danger`).
    #[schema(value_type = Vec<crate::domain::licensing::RefusalGround>)]
    pub refusal_grounds: Vec<String>,
    pub motivation: Option<String>,
    /// Last day to lodge an objection (bezwaar, Awb 6:7/6:8 with the Atw).
    pub objection_period_ends_on: Option<NaiveDate>,
    /// The day the decision became final (onherroepelijk): the day after the objection term
    /// when no objection was lodged, else after the appeal term or on the court's judgment
    /// (`/v1/objections`); `null` while an objection or appeal can still be lodged or runs.
    pub final_on: Option<NaiveDate>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ApplicationResponse {
    pub id: String,
    pub municipality_code: String,
    pub landlord_id: String,
    pub property_id: String,
    #[schema(value_type = LicenceKind)]
    pub kind: LicenceKind,
    /// `draft`, `submitted`, `incomplete`, `in_review`, `granted`, `granted_with_conditions`,
    /// `refused`, `withdrawn` or `not_considered`. Named `status` like every other record's.
    #[serde(rename = "status")]
    #[schema(value_type = ApplicationState)]
    pub state: ApplicationState,
    pub monthly_rent_cents: Option<i64>,
    pub planned_occupancy: Vec<OccupancyDto>,
    /// Day of receipt (Awb 4:13).
    pub submitted_on: Option<NaiveDate>,
    /// Statutory decision date, after suspensions and the extension, rolled forward per the
    /// Algemene termijnenwet.
    pub decision_due_on: Option<NaiveDate>,
    /// The decision term is suspended today (missing information, Bibob advice).
    pub suspended: bool,
    /// Undecided and past a deadline: the decision date, or (staff) the last day to make known
    /// the decision not to consider it (`not_considered_due_on`).
    pub overdue: bool,
    /// Staff only (null for landlords): the term to supply information lapsed unused, so the
    /// decision not to consider the application must be made known by this day (Awb 4:5 lid 4:
    /// 4 weeks, with the Atw). Null when not applicable.
    pub not_considered_due_on: Option<NaiveDate>,
    /// Staff only: `not_considered_due_on` has passed.
    pub not_considered_overdue: bool,
    pub information_request: Option<InformationRequestDto>,
    pub extension: Option<ExtensionDto>,
    /// Staff only: an integrity check is under way (never its content or outcome).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bibob_pending: Option<bool>,
    pub decision: Option<DecisionDto>,
    pub licence_id: Option<String>,
    /// A received notice of default with the dwangsom for a late decision (Awb 4:17–4:18).
    pub late_decision: Option<super::late_decision::LateDecisionDto>,
    /// Verbs allowed now (`submit`, `request-information`, …).
    #[schema(value_type = Vec<crate::http::schema::ApplicationVerb>)]
    pub allowed_actions: Vec<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ApplicationListResponse {
    pub items: Vec<ApplicationResponse>,
    pub next_cursor: Option<String>,
}

pub(crate) fn application_response(
    v: ApplicationView,
    caller_role: Role,
    today: NaiveDate,
    rules: &RuleSet,
) -> AppResult<ApplicationResponse> {
    let clock = clock_of(&v.application)?;
    let app = v.application;
    let state = app.state;
    let cal = rules.calendar();
    let open = OPEN_STATES.contains(&state);
    let suspended = open && clock.as_ref().is_some_and(|c| c.is_suspended(today));
    let staff = matches!(caller_role, Role::Officer | Role::BibobOfficer | Role::Manager | Role::Admin);
    let not_considered_overdue = not_considered_overdue(&app, today);
    let overdue =
        open && (clock.as_ref().is_some_and(|c| c.is_overdue(today, &cal)) || not_considered_overdue);
    let not_considered_due_on = staff.then(|| not_considered_due(&app, today)).flatten();
    let extension = clock.as_ref().and_then(|c| c.extension.clone()).map(|e| ExtensionDto {
        notified_on: e.notified_on,
        weeks: e.weeks,
        reason: app.extension_reason.clone(),
    });
    let information_request = match (state, &app.information_requested, app.information_respond_by) {
        (ApplicationState::Incomplete, Some(what), Some(by)) => {
            Some(InformationRequestDto { what: what.clone(), respond_by: by })
        }
        _ => None,
    };
    let decision = app.decision_outcome.map(|outcome| DecisionDto {
        outcome: outcome.code().to_string(),
        decided_on: app.decided_on,
        refusal_grounds: app
            .refusal_grounds
            .as_deref()
            .and_then(|g| serde_json::from_str(g).ok())
            .unwrap_or_default(),
        motivation: app.motivation.clone(),
        objection_period_ends_on: app.objection_period_ends_on,
        final_on: app.decided_on.and_then(|d| final_on(d, &v.objections, today, &cal)),
    });
    let late_decision =
        v.late_decision.map(|n| super::late_decision::late_decision_dto(&app, n, today, rules));
    Ok(ApplicationResponse {
        kind: app.kind,
        state,
        planned_occupancy: v
            .occupancy
            .into_iter()
            .map(|o| OccupancyDto {
                room_label: o.room_label,
                persons: u32::try_from(o.persons).unwrap_or(0),
                partners: o.partners,
            })
            .collect(),
        decision_due_on: if open || state.is_decided() { app.decision_due_on } else { None },
        suspended,
        overdue,
        not_considered_due_on,
        not_considered_overdue: staff && not_considered_overdue,
        information_request,
        extension,
        bibob_pending: staff.then_some(app.bibob_pending),
        decision,
        licence_id: v.licence_id,
        late_decision,
        allowed_actions: lic::allowed_actions_for(state, caller_role).into_iter().map(verb).collect(),
        id: app.id,
        municipality_code: app.municipality_code,
        landlord_id: app.landlord_id,
        property_id: app.property_id,
        monthly_rent_cents: app.monthly_rent_cents,
        submitted_on: app.submitted_on,
        created_at: app.created_at.and_utc(),
        updated_at: app.updated_at.and_utc(),
    })
}
