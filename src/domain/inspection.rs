//! Inspections (huisbezoek): entry basis per room, findings, and the evaluation of findings
//! against the licence conditions in force and the general occupancy norms of the rule set
//! (supervision.md "Entering a dwelling", "Priorities"; rules.md §2.4).
//!
//! PURE: no I/O. The HTTP layer stores what is validated here and turns proposals into
//! violations only when an officer confirms them.

use serde::{Deserialize, Serialize};

use crate::domain::general_rules::RuleCode;
use crate::domain::ladder::Aggravation;
use crate::domain::occupancy::{self, ConditionCode, Facilities, PropertyDescription, Room, Unit};
use crate::domain::ruleset::RuleSet;

/// Whether an inspection is still planned or was performed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InspectionStatus {
    Planned,
    Performed,
}

crate::closed_set!(InspectionStatus { Planned => "planned", Performed => "performed" });

/// On what basis a room was entered (handreiking §6.2.4–6.2.6 [S41]). Rooms let separately are
/// separate dwellings: each needs its own occupant's consent or a warrant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntryBasis {
    /// Explicit, freely given, informed consent of this room's occupant. Silence or doubt is
    /// refusal: record `not_entered` then.
    OccupantConsent,
    /// Machtiging tot binnentreden (e.g. art. 34 Huisvestingswet, art. 149a Gemeentewet); the
    /// reference is mandatory.
    Warrant,
    /// Not entered: no findings may be recorded for the room.
    NotEntered,
}

crate::closed_set!(EntryBasis { OccupantConsent => "occupant_consent", Warrant => "warrant", NotEntered => "not_entered" });

/// Observed facts (fixed list). Unsafe ones make the inspection urgent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Observation {
    FireHazard,
    NoSmokeDetector,
    BlockedEscapeRoute,
    StructuralDanger,
    ElectricalHazard,
    CarbonMonoxideRisk,
    DampOrMould,
    NoLockOnRoom,
    BrokenLock,
    Vermin,
    NoHeating,
    Other,
}

crate::closed_set!(Observation {
    FireHazard => "fire_hazard",
    NoSmokeDetector => "no_smoke_detector",
    BlockedEscapeRoute => "blocked_escape_route",
    StructuralDanger => "structural_danger",
    ElectricalHazard => "electrical_hazard",
    CarbonMonoxideRisk => "carbon_monoxide_risk",
    DampOrMould => "damp_or_mould",
    NoLockOnRoom => "no_lock_on_room",
    BrokenLock => "broken_lock",
    Vermin => "vermin",
    NoHeating => "no_heating",
    Other => "other",
});

impl Observation {
    /// Unsafe housing (fire hazard, structural danger) is never acceptable: immediate action,
    /// top priority (handreiking §2.5/§6.4 [S41]).
    pub fn is_unsafe(self) -> bool {
        matches!(
            self,
            Observation::FireHazard
                | Observation::NoSmokeDetector
                | Observation::BlockedEscapeRoute
                | Observation::StructuralDanger
                | Observation::ElectricalHazard
                | Observation::CarbonMonoxideRisk
        )
    }
}

pub use crate::domain::exploitation::ExploitationSignal;

/// One room as inspected.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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

impl RoomFinding {
    fn has_findings(&self) -> bool {
        self.occupants.is_some() || self.area_dm2.is_some() || !self.observations.is_empty()
    }

    fn entered(&self) -> bool {
        self.entry_basis != EntryBasis::NotEntered
    }
}

/// Everything found during an inspection.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
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
    #[serde(default)]
    pub exploitation_signals: Vec<ExploitationSignal>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
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

/// A finding refused by the entry rule, with the JSON pointer (relative to the findings).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryViolation {
    pub pointer: String,
    pub reason: String,
}

/// Checks the entry rule: findings only for rooms entered on a valid basis; a warrant needs its
/// reference; facility counts need at least one entered room.
pub fn check_entry(findings: &Findings) -> Vec<EntryViolation> {
    let mut out = Vec::new();
    for (i, r) in findings.rooms.iter().enumerate() {
        if r.label.trim().is_empty() {
            out.push(EntryViolation {
                pointer: format!("/rooms/{i}/label"),
                reason: "must not be blank".into(),
            });
        }
        match r.entry_basis {
            EntryBasis::Warrant if r.warrant_reference.as_deref().is_none_or(|s| s.trim().is_empty()) => {
                out.push(EntryViolation {
                    pointer: format!("/rooms/{i}/warrant_reference"),
                    reason: "entry on a warrant needs the warrant's reference (machtiging tot binnentreden)"
                        .into(),
                });
            }
            EntryBasis::NotEntered if r.has_findings() => {
                out.push(EntryViolation {
                    pointer: format!("/rooms/{i}"),
                    reason: "the room was not entered: findings for a room without a valid entry basis \
                             (occupant consent or warrant) are not allowed"
                        .into(),
                });
            }
            _ => {}
        }
    }
    let any_entered = findings.rooms.iter().any(RoomFinding::entered);
    if !any_entered && (findings.facilities.is_some() || findings.usable_floor_area_dm2.is_some()) {
        out.push(EntryViolation {
            pointer: "/facilities".into(),
            reason: "facility counts and floor area need at least one room entered on a valid basis".into(),
        });
    }
    out
}

/// Licence conditions in force relevant to occupancy (from the licence, when linked).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct LicenceOccupancyConditions {
    pub licence_id: String,
    pub max_occupants_total: Option<u32>,
    /// (room label, max persons).
    #[serde(default)]
    pub max_occupants_per_room: Vec<(String, u32)>,
}

/// A violation the evaluation proposes; the officer confirms it (or not).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProposedViolation {
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

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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
    pub aggravations: Vec<Aggravation>,
    /// Which norms were evaluated (for the file): the rule set's `valid_from`.
    pub rule_set_valid_from: chrono::NaiveDate,
    pub licence_conditions_applied: bool,
}

fn unit_name(u: Unit) -> &'static str {
    match u {
        Unit::SquareDecimetres => "square_decimetres",
        Unit::Persons => "persons",
        Unit::Count => "count",
    }
}

/// Urgent: unsafe findings (immediate action, supervision.md "Priorities") or exploitation
/// signals ("one or more signals makes the case urgent", supervision.md).
pub fn is_urgent(findings: &Findings) -> bool {
    !unsafe_observations(findings).is_empty() || !findings.exploitation_signals.is_empty()
}

/// Aggravations for the sanction ladder that the findings show.
pub fn aggravations(findings: &Findings) -> Vec<Aggravation> {
    let mut out = Vec::new();
    if !unsafe_observations(findings).is_empty() {
        out.push(Aggravation::UnsafeHousing);
    }
    if !findings.exploitation_signals.is_empty() {
        out.push(Aggravation::LabourExploitation);
    }
    out
}

/// The unsafe observations in rooms entered on a valid basis.
pub fn unsafe_observations(findings: &Findings) -> Vec<Observation> {
    let mut out: Vec<Observation> = Vec::new();
    for o in findings.rooms.iter().filter(|r| r.entered()).flat_map(|r| r.observations.iter()) {
        if o.is_unsafe() && !out.contains(o) {
            out.push(*o);
        }
    }
    out
}

/// Compares the findings with the licence conditions in force and the rule set's norms.
/// Only rooms entered on a valid basis count (the entry rule is checked before storing).
pub fn evaluate(
    findings: &Findings,
    rules: &RuleSet,
    licence: Option<&LicenceOccupancyConditions>,
) -> Evaluation {
    let entered: Vec<&RoomFinding> = findings.rooms.iter().filter(|r| r.entered()).collect();
    let rooms: Vec<Room> = entered
        .iter()
        .map(|r| Room {
            label: r.label.clone(),
            area_dm2: r.area_dm2.unwrap_or(0),
            sleeping_room: r.sleeping_room,
            persons: r.occupants.unwrap_or(0),
            partners: r.partners,
        })
        .collect();
    let facilities = findings.facilities.map(|f| Facilities {
        toilets: f.toilets,
        showers: f.showers,
        kitchens: f.kitchens,
        cooking_points: f.cooking_points,
        washing_machines: f.washing_machines,
    });
    let description = PropertyDescription {
        usable_floor_area_dm2: findings.usable_floor_area_dm2.unwrap_or(0),
        rooms,
        facilities: facilities.clone().unwrap_or_default(),
    };
    let occupants = description.occupants();
    let assessment = occupancy::assess(&description, rules);
    let mut proposed = Vec::new();
    for r in assessment.failed() {
        // Norms that need a measurement we do not have are not evaluated.
        let measured = match r.code {
            ConditionCode::FloorAreaPerPerson => findings.usable_floor_area_dm2.is_some(),
            ConditionCode::BedroomAreaPerPerson => {
                entered.iter().any(|room| Some(&room.label) == r.room.as_ref() && room.area_dm2.is_some())
            }
            ConditionCode::Toilets
            | ConditionCode::Showers
            | ConditionCode::Kitchens
            | ConditionCode::WashingFacility => facilities.is_some(),
            ConditionCode::PersonsPerBedroom => true,
        };
        if !measured || occupants == 0 {
            continue;
        }
        // Occupancy norms → overbewoning; facility ratios are licence norms (SNF via the
        // verordening), so they are a licence-condition violation.
        let rule = match r.code {
            ConditionCode::FloorAreaPerPerson
            | ConditionCode::PersonsPerBedroom
            | ConditionCode::BedroomAreaPerPerson => RuleCode::Overcrowding,
            _ => RuleCode::LicenceCondition,
        };
        let norm = serde_json::to_value(r.code)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        let mut explanation = r.rule.clone();
        if rule == RuleCode::LicenceCondition && licence.is_none() {
            explanation.push_str(
                " (facility norm of the rule set; enforceable as a licence condition where the \
                 verordening imposes it — no licence is linked to this inspection)",
            );
        }
        proposed.push(ProposedViolation {
            rule,
            norm,
            room: r.room.clone(),
            required: r.required,
            present: r.present,
            unit: unit_name(r.unit).into(),
            explanation,
            source: r.source.clone(),
        });
    }
    if let Some(l) = licence {
        if let Some(max) = l.max_occupants_total {
            if occupants > u64::from(max) {
                proposed.push(ProposedViolation {
                    rule: RuleCode::LicenceCondition,
                    norm: "licence_max_occupants".into(),
                    room: None,
                    required: u64::from(max),
                    present: occupants,
                    unit: "persons".into(),
                    explanation: format!("the licence allows at most {max} occupants; {occupants} counted"),
                    source: format!("licence {} (voorschrift)", l.licence_id),
                });
            }
        }
        for (label, max) in &l.max_occupants_per_room {
            if let Some(room) = entered.iter().find(|r| &r.label == label) {
                let n = room.occupants.unwrap_or(0);
                if n > *max {
                    proposed.push(ProposedViolation {
                        rule: RuleCode::LicenceCondition,
                        norm: "licence_max_occupants_room".into(),
                        room: Some(label.clone()),
                        required: u64::from(*max),
                        present: u64::from(n),
                        unit: "persons".into(),
                        explanation: format!(
                            "the licence allows at most {max} persons in {label}; {n} counted"
                        ),
                        source: format!("licence {} (voorschrift)", l.licence_id),
                    });
                }
            }
        }
    }
    let unsafe_obs = unsafe_observations(findings);
    Evaluation {
        proposed_violations: proposed,
        urgent: is_urgent(findings),
        aggravations: aggravations(findings),
        unsafe_observations: unsafe_obs,
        referral_decision_required: !findings.exploitation_signals.is_empty(),
        burgerzaken_signal: findings.unregistered_occupants > 0,
        occupants_counted: occupants,
        rule_set_valid_from: rules.valid_from,
        licence_conditions_applied: licence.is_some(),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn room(label: &str, basis: EntryBasis, occupants: Option<u32>, area: Option<u32>) -> RoomFinding {
        RoomFinding {
            label: label.into(),
            entry_basis: basis,
            warrant_reference: None,
            sleeping_room: true,
            occupants,
            area_dm2: area,
            partners: false,
            observations: vec![],
        }
    }

    #[test]
    fn findings_in_a_room_not_entered_are_refused() {
        let f = Findings {
            rooms: vec![
                room("kamer 1", EntryBasis::OccupantConsent, Some(1), Some(900)),
                room("kamer 2", EntryBasis::NotEntered, Some(2), None),
            ],
            ..Findings::default()
        };
        let errs = check_entry(&f);
        assert_eq!(errs.len(), 1);
        assert_eq!(errs[0].pointer, "/rooms/1");
    }

    #[test]
    fn a_warrant_without_reference_is_refused() {
        let f =
            Findings { rooms: vec![room("kamer 1", EntryBasis::Warrant, None, None)], ..Findings::default() };
        assert_eq!(check_entry(&f)[0].pointer, "/rooms/0/warrant_reference");
        let mut ok = f.clone();
        ok.rooms[0].warrant_reference = Some("M-2025-17".into());
        assert!(check_entry(&ok).is_empty());
    }

    #[test]
    fn scenario_27_overcrowding_is_proposed_with_numbers() {
        // GBO 55 m², 5 occupants, min 12 m² → overcrowded.
        let f = Findings {
            rooms: (1..=5)
                .map(|i| room(&format!("kamer {i}"), EntryBasis::OccupantConsent, Some(1), Some(800)))
                .collect(),
            usable_floor_area_dm2: Some(5500),
            ..Findings::default()
        };
        let e = evaluate(&f, &RuleSet::default(), None);
        let v = e.proposed_violations.iter().find(|p| p.norm == "floor_area_per_person").unwrap();
        assert_eq!(v.rule, RuleCode::Overcrowding);
        assert_eq!((v.required, v.present), (6000, 5500));
        assert!(!e.urgent);
    }

    #[test]
    fn unsafe_findings_are_urgent_and_exploitation_needs_a_referral_decision() {
        let mut r = room("kamer 1", EntryBasis::OccupantConsent, Some(1), Some(1000));
        r.observations = vec![Observation::FireHazard, Observation::DampOrMould];
        let f = Findings {
            rooms: vec![r],
            exploitation_signals: vec![ExploitationSignal::DocumentsWithheld],
            unregistered_occupants: 2,
            ..Findings::default()
        };
        let e = evaluate(&f, &RuleSet::default(), None);
        assert!(e.urgent && e.referral_decision_required && e.burgerzaken_signal);
        assert_eq!(e.unsafe_observations, vec![Observation::FireHazard]);
        assert_eq!(e.aggravations, vec![Aggravation::UnsafeHousing, Aggravation::LabourExploitation]);
        // Unregistered occupants never become a violation.
        assert!(e.proposed_violations.is_empty());
        // Exploitation signals alone make it urgent too, without the unsafe-housing aggravation.
        let safe = Findings {
            rooms: vec![room("kamer 1", EntryBasis::OccupantConsent, Some(1), Some(1000))],
            exploitation_signals: vec![ExploitationSignal::DebtsToEmployer],
            ..Findings::default()
        };
        assert!(is_urgent(&safe));
        assert_eq!(aggravations(&safe), vec![Aggravation::LabourExploitation]);
        assert!(!is_urgent(&Findings { exploitation_signals: vec![], ..safe }));
    }

    #[test]
    fn licence_maximum_is_compared_with_the_occupants_counted() {
        let f = Findings {
            rooms: vec![room("kamer 1", EntryBasis::OccupantConsent, Some(3), None)],
            ..Findings::default()
        };
        let lic = LicenceOccupancyConditions {
            licence_id: "L1".into(),
            max_occupants_total: Some(2),
            max_occupants_per_room: vec![("kamer 1".into(), 1)],
        };
        let e = evaluate(&f, &RuleSet::default(), Some(&lic));
        let norms: Vec<&str> = e.proposed_violations.iter().map(|p| p.norm.as_str()).collect();
        assert!(norms.contains(&"licence_max_occupants"));
        assert!(norms.contains(&"licence_max_occupants_room"));
        assert!(norms.contains(&"persons_per_bedroom"));
    }
}
