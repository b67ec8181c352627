//! The findings and the evaluation as the API shows them: twins of the domain's structs (same
//! JSON, same schema names) with conversions both ways.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::domain::general_rules::RuleCode;
use crate::domain::inspection as di;
use crate::domain::inspection::{EntryBasis, ExploitationSignal, Observation};
use crate::domain::ladder::Aggravation;

/// One room as inspected.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RoomFinding {
    pub label: String,
    pub entry_basis: EntryBasis,
    /// Mandatory with `warrant`.
    #[serde(default)]
    pub warrant_reference: Option<String>,
    #[serde(default)]
    pub sleeping_room: bool,
    /// Persons counted sleeping in the room.
    #[serde(default)]
    pub occupants: Option<u32>,
    /// Measured floor area, dm² (1 m² = 100 dm²).
    #[serde(default)]
    pub area_dm2: Option<u32>,
    /// The occupants are partners who asked to share (partner exception).
    #[serde(default)]
    pub partners: bool,
    #[serde(default)]
    pub observations: Vec<Observation>,
}

/// Everything found during an inspection.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Findings {
    #[serde(default)]
    pub rooms: Vec<RoomFinding>,
    /// Facility counts (seen in entered rooms / common parts).
    #[serde(default)]
    pub facilities: Option<FacilityCounts>,
    /// Measured usable floor area (GBO) of the whole unit, dm².
    #[serde(default)]
    pub usable_floor_area_dm2: Option<u32>,
    /// Occupants not registered at the address in the BRP: a signal for burgerzaken (address
    /// investigation), not a Wgv sanction (ministers' answers, June 2026 [S40]).
    #[serde(default)]
    pub unregistered_occupants: u32,
    // The same codes as the complaints' signals, documented once under that schema.
    #[serde(default)]
    #[schema(value_type = Vec<crate::domain::complaints::ExploitationSignal>)]
    pub exploitation_signals: Vec<ExploitationSignal>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FacilityCounts {
    #[serde(default)]
    pub toilets: u32,
    #[serde(default)]
    pub showers: u32,
    #[serde(default)]
    pub kitchens: u32,
    #[serde(default)]
    pub cooking_points: u32,
    #[serde(default)]
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
    pub required: u64,
    pub present: u64,
    /// `square_decimetres`, `persons` or `count`.
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

twin_from!(di::RoomFinding => RoomFinding {
    label, entry_basis, warrant_reference, sleeping_room, occupants, area_dm2, partners, observations
});
twin_from!(RoomFinding => di::RoomFinding {
    label, entry_basis, warrant_reference, sleeping_room, occupants, area_dm2, partners, observations
});
twin_from!(di::FacilityCounts => FacilityCounts { toilets, showers, kitchens, cooking_points, washing_machines });
twin_from!(FacilityCounts => di::FacilityCounts { toilets, showers, kitchens, cooking_points, washing_machines });
twin_from!(di::ProposedViolation => ProposedViolation {
    rule, norm, room, required, present, unit, explanation, source
});

impl From<di::Findings> for Findings {
    fn from(f: di::Findings) -> Self {
        Findings {
            rooms: f.rooms.into_iter().map(RoomFinding::from).collect(),
            facilities: f.facilities.map(FacilityCounts::from),
            usable_floor_area_dm2: f.usable_floor_area_dm2,
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
            usable_floor_area_dm2: f.usable_floor_area_dm2,
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
