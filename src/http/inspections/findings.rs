//! The findings and the evaluation as the API shows them: twins of the domain's structs (same
//! JSON, same schema names) with conversions both ways.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::domain::general_rules::RuleCode;
use crate::domain::inspection as di;
use crate::domain::inspection::{EntryBasis, ExploitationSignal, Observation};
use crate::domain::ladder::Aggravation;
use crate::error::FieldError;
use crate::http::common::{area_dm2, shown_figure};

/// One room as inspected.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RoomFinding {
    pub label: String,
    pub entry_basis: EntryBasis,
    /// Mandatory with `warrant`.
    #[serde(default)]
    pub warrant_reference: Option<String>,
    #[serde(default)]
    pub sleeping_room: bool,
    /// Persons counted sleeping in the room, 0–100.
    #[serde(default)]
    #[validate(range(max = 100))]
    #[schema(maximum = 100)]
    pub occupants: Option<u32>,
    /// Measured floor area in m² (two decimals), e.g. `8.5`.
    #[serde(default)]
    #[schema(example = 8.5)]
    pub area_m2: Option<f64>,
    /// The occupants are partners who asked to share (partner exception).
    #[serde(default)]
    pub partners: bool,
    #[serde(default)]
    pub observations: Vec<Observation>,
}

/// Everything found during an inspection.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Findings {
    #[serde(default)]
    #[validate(nested)]
    pub rooms: Vec<RoomFinding>,
    /// Facility counts (seen in entered rooms / common parts).
    #[serde(default)]
    #[validate(nested)]
    pub facilities: Option<FacilityCounts>,
    /// Measured usable floor area (GBO) of the whole unit in m² (two decimals).
    #[serde(default)]
    #[schema(example = 20.0)]
    pub usable_floor_area_m2: Option<f64>,
    /// Occupants not registered at the address in the BRP: a signal for burgerzaken (address
    /// investigation), not a Wgv sanction (ministers' answers, June 2026 [S40]). 0–10000.
    #[serde(default)]
    #[validate(range(max = 10000))]
    #[schema(maximum = 10000)]
    pub unregistered_occupants: u32,
    // The same codes as the complaints' signals, documented once under that schema.
    #[serde(default)]
    #[schema(value_type = Vec<crate::domain::complaints::ExploitationSignal>)]
    pub exploitation_signals: Vec<ExploitationSignal>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FacilityCounts {
    #[serde(default)]
    #[validate(range(max = 1000))]
    #[schema(maximum = 1000)]
    pub toilets: u32,
    #[serde(default)]
    #[validate(range(max = 1000))]
    #[schema(maximum = 1000)]
    pub showers: u32,
    #[serde(default)]
    #[validate(range(max = 1000))]
    #[schema(maximum = 1000)]
    pub kitchens: u32,
    #[serde(default)]
    #[validate(range(max = 1000))]
    #[schema(maximum = 1000)]
    pub cooking_points: u32,
    #[serde(default)]
    #[validate(range(max = 1000))]
    #[schema(maximum = 1000)]
    pub washing_machines: u32,
}

/// A violation the evaluation proposes; the officer confirms it (or not).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ProposedViolation {
    #[schema(value_type = String, example = "overcrowding")]
    pub rule: RuleCode,
    /// The norm (occupancy condition code or `licence_max_occupants`).
    pub norm: String,
    pub room: Option<String>,
    /// In `unit`: m² with decimals for areas, whole persons or counts otherwise.
    #[schema(value_type = f64)]
    pub required: serde_json::Number,
    #[schema(value_type = f64)]
    pub present: serde_json::Number,
    /// `square_metres`, `persons` or `count`.
    pub unit: String,
    pub explanation: String,
    pub source: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Evaluation {
    pub proposed_violations: Vec<ProposedViolation>,
    /// Unsafe findings or exploitation signals: immediate action, top priority.
    pub urgent: bool,
    pub unsafe_observations: Vec<Observation>,
    /// Exploitation signals present: a referral decision (Nederlandse Arbeidsinspectie) is due.
    pub referral_decision_required: bool,
    /// Occupants not registered in the BRP: signal to burgerzaken, not a Wgv sanction.
    pub burgerzaken_signal: bool,
    pub occupants_counted: u64,
    /// Aggravations for the sanction ladder (`unsafe_housing`, `labour_exploitation`).
    #[schema(value_type = Vec<Aggravation>)]
    pub aggravations: Vec<Aggravation>,
    /// Which norms were evaluated (for the file): the rule set's `valid_from`.
    pub rule_set_valid_from: NaiveDate,
    pub licence_conditions_applied: bool,
}

/// `From` from one twin to the other, field by field (same names, same types).
macro_rules! twin_from {
    ($from:ty => $to:ty { $($field:ident),+ $(,)? }) => {
        impl From<$from> for $to {
            fn from(x: $from) -> Self {
                Self { $($field: x.$field),+ }
            }
        }
    };
}

impl From<di::RoomFinding> for RoomFinding {
    fn from(r: di::RoomFinding) -> Self {
        RoomFinding {
            label: r.label,
            entry_basis: r.entry_basis,
            warrant_reference: r.warrant_reference,
            sleeping_room: r.sleeping_room,
            occupants: r.occupants,
            area_m2: r.area_dm2.map(to_m2),
            partners: r.partners,
            observations: r.observations,
        }
    }
}

/// Areas the request gives in m²: refused with a pointer when not a number from 0 to the limit.
pub(crate) fn check_areas(f: &Findings, errs: &mut Vec<FieldError>) {
    for (i, r) in f.rooms.iter().enumerate() {
        if let Some(m2) = r.area_m2 {
            area_dm2(m2, &format!("/findings/rooms/{i}/area_m2"), MAX_ROOM_M2, errs);
        }
    }
    if let Some(m2) = f.usable_floor_area_m2 {
        area_dm2(m2, "/findings/usable_floor_area_m2", MAX_UNIT_M2, errs);
    }
}

const MAX_ROOM_M2: f64 = 10_000.0;
const MAX_UNIT_M2: f64 = 100_000.0;

/// m² to dm² for areas [`check_areas`] has accepted (anything else becomes `None`).
fn dm2(m2: Option<f64>, max_m2: f64) -> Option<u32> {
    area_dm2(m2?, "", max_m2, &mut Vec::new())
}

fn to_m2(dm2: u32) -> f64 {
    f64::from(dm2) / 100.0
}

impl From<RoomFinding> for di::RoomFinding {
    fn from(r: RoomFinding) -> Self {
        di::RoomFinding {
            label: r.label,
            entry_basis: r.entry_basis,
            warrant_reference: r.warrant_reference,
            sleeping_room: r.sleeping_room,
            occupants: r.occupants,
            area_dm2: dm2(r.area_m2, MAX_ROOM_M2),
            partners: r.partners,
            observations: r.observations,
        }
    }
}
twin_from!(di::FacilityCounts => FacilityCounts { toilets, showers, kitchens, cooking_points, washing_machines });
twin_from!(FacilityCounts => di::FacilityCounts { toilets, showers, kitchens, cooking_points, washing_machines });
impl From<di::ProposedViolation> for ProposedViolation {
    fn from(p: di::ProposedViolation) -> Self {
        let (required, unit) = shown_figure(p.required, &p.unit);
        let (present, _) = shown_figure(p.present, &p.unit);
        ProposedViolation {
            rule: p.rule,
            norm: p.norm,
            room: p.room,
            required,
            present,
            unit,
            explanation: p.explanation,
            source: p.source,
        }
    }
}

impl From<di::Findings> for Findings {
    fn from(f: di::Findings) -> Self {
        Findings {
            rooms: f.rooms.into_iter().map(RoomFinding::from).collect(),
            facilities: f.facilities.map(FacilityCounts::from),
            usable_floor_area_m2: f.usable_floor_area_dm2.map(to_m2),
            unregistered_occupants: f.unregistered_occupants,
            exploitation_signals: f.exploitation_signals,
        }
    }
}

impl From<Findings> for di::Findings {
    fn from(f: Findings) -> Self {
        di::Findings {
            rooms: f.rooms.into_iter().map(di::RoomFinding::from).collect(),
            facilities: f.facilities.map(di::FacilityCounts::from),
            usable_floor_area_dm2: dm2(f.usable_floor_area_m2, MAX_UNIT_M2),
            unregistered_occupants: f.unregistered_occupants,
            exploitation_signals: f.exploitation_signals,
        }
    }
}

impl From<di::Evaluation> for Evaluation {
    fn from(e: di::Evaluation) -> Self {
        Evaluation {
            proposed_violations: e.proposed_violations.into_iter().map(ProposedViolation::from).collect(),
            urgent: e.urgent,
            unsafe_observations: e.unsafe_observations,
            referral_decision_required: e.referral_decision_required,
            burgerzaken_signal: e.burgerzaken_signal,
            occupants_counted: e.occupants_counted,
            aggravations: e.aggravations,
            rule_set_valid_from: e.rule_set_valid_from,
            licence_conditions_applied: e.licence_conditions_applied,
        }
    }
}
