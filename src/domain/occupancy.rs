//! Occupancy and facility assessment (rules.md §2.4 computation rules): given a property
//! description and the planned occupancy per room, check each norm of the rule set.
//!
//! Areas are integers in square decimetres (1 m² = 100 dm²; 12.0 m² = 1200) so comparisons
//! are exact. Every number that decides pass/fail comes from [`RuleSet`]; the rule text and
//! source are carried in each result for the officer and the applicant.

use serde::{Deserialize, Serialize};

use crate::domain::ruleset::RuleSet;

/// A room of the property with its planned occupancy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Room {
    pub label: String,
    /// Floor area of the room, dm².
    pub area_dm2: u32,
    pub sleeping_room: bool,
    /// Persons planned to sleep in this room.
    #[serde(default)]
    pub persons: u32,
    /// The persons in this room are partners who asked to share (partner exception).
    #[serde(default)]
    pub partners: bool,
}

/// Shared facilities of the property.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Facilities {
    pub toilets: u32,
    pub showers: u32,
    pub kitchens: u32,
    pub cooking_points: u32,
    pub washing_machines: u32,
}

/// What is assessed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PropertyDescription {
    /// Gebruiksoppervlakte (GBO) of the woon-/verblijfsruimte, dm².
    pub usable_floor_area_dm2: u32,
    pub rooms: Vec<Room>,
    #[serde(default)]
    pub facilities: Facilities,
}

impl PropertyDescription {
    /// Total planned occupants (sum over rooms).
    pub fn occupants(&self) -> u64 {
        self.rooms.iter().fold(0u64, |acc, r| acc.saturating_add(u64::from(r.persons)))
    }
}

/// Which norm a result is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConditionCode {
    /// GBO per person (overbewoning), Bouwbesluit 2012 art. 7.18 / SNF 1.3.
    FloorAreaPerPerson,
    /// Persons per bedroom with partner exception (SNF).
    PersonsPerBedroom,
    /// Bedroom area per person (SNF 1.4.1).
    BedroomAreaPerPerson,
    /// Toilets (SNF 2.1).
    Toilets,
    /// Showers (SNF 2.2).
    Showers,
    /// Kitchens (only when configured).
    Kitchens,
    /// Washing machine (SNF, since 1-6-2021).
    WashingFacility,
}

/// The unit of `required` and `present`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    SquareDecimetres,
    Persons,
    Count,
}

/// The outcome of one norm.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConditionResult {
    pub code: ConditionCode,
    /// The room this result is about (bedroom norms), if any.
    pub room: Option<String>,
    pub passed: bool,
    /// Minimum (or, for persons per bedroom, maximum) the norm demands.
    pub required: u64,
    /// What the property has / the plan proposes.
    pub present: u64,
    pub unit: Unit,
    /// The rule in words, with the configured number.
    pub rule: String,
    /// Legal or normative source, with the rules.md tag.
    pub source: String,
}

/// The full assessment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OccupancyAssessment {
    pub occupants: u64,
    /// floor(GBO / min per person): the maximum number of occupants the floor area allows.
    pub max_occupants: u64,
    pub results: Vec<ConditionResult>,
}

impl OccupancyAssessment {
    pub fn all_passed(&self) -> bool {
        self.results.iter().all(|r| r.passed)
    }

    pub fn failed(&self) -> impl Iterator<Item = &ConditionResult> {
        self.results.iter().filter(|r| !r.passed)
    }

    /// The result for a code (first one; bedroom codes occur once per bedroom).
    pub fn result(&self, code: ConditionCode) -> Option<&ConditionResult> {
        self.results.iter().find(|r| r.code == code)
    }
}

/// Persons per facility rounded up: `ceil(n / ratio)` (rules.md §2.4). `ratio` is non-zero
/// by construction of the rule set.
fn required_for(occupants: u64, ratio: u32) -> u64 {
    let ratio = u64::from(ratio.max(1));
    occupants.div_ceil(ratio)
}

fn m2(dm2: u64) -> String {
    format!("{}.{:02} m²", dm2 / 100, dm2 % 100)
}

/// Assess a property against the rule set's occupancy and facility norms
/// (scenarios 27, 28, 30, 32, 33, 35).
pub fn assess(property: &PropertyDescription, rules: &RuleSet) -> OccupancyAssessment {
    let occupants = property.occupants();
    let gbo = u64::from(property.usable_floor_area_dm2);
    let min_pp = u64::from(rules.effective_min_floor_area_per_person_dm2());
    let roemer = if rules.features.roemer_norm { " (Roemer-norm flag on: proposal [S28])" } else { "" };
    let mut results = Vec::new();

    // Bouwbesluit 2012 art. 7.18: not more than one person per 12 m² gebruiksoppervlakte
    // `[LAW-READ, 2015 text]`; SNF 1.3 `[SECONDARY]`. Pass iff gbo ≥ occupants × min.
    let required_area = occupants.saturating_mul(min_pp);
    results.push(ConditionResult {
        code: ConditionCode::FloorAreaPerPerson,
        room: None,
        passed: gbo >= required_area,
        required: required_area,
        present: gbo,
        unit: Unit::SquareDecimetres,
        rule: format!("at least {} usable floor area per person{roemer}", m2(min_pp)),
        source: "Bouwbesluit 2012 art. 7.18 [LAW-READ, 2015 text]; SNF 1.3 [SECONDARY]".into(),
    });
    let max_occupants = gbo.checked_div(min_pp).unwrap_or(0);

    let bedroom_min = u64::from(rules.effective_bedroom_min_area_per_person_dm2());
    let per_bedroom = u64::from(rules.persons_per_bedroom.get());
    // The partner exception lets two partners share even where the norm is one person
    // per bedroom (SNF, on request) `[SECONDARY]` [S27].
    const PARTNER_COUPLE: u64 = 2;
    for room in property.rooms.iter().filter(|r| r.sleeping_room) {
        let persons = u64::from(room.persons);
        let allowed = if rules.partner_exception && room.partners {
            per_bedroom.max(PARTNER_COUPLE)
        } else {
            per_bedroom
        };
        results.push(ConditionResult {
            code: ConditionCode::PersonsPerBedroom,
            room: Some(room.label.clone()),
            passed: persons <= allowed,
            required: allowed,
            present: persons,
            unit: Unit::Persons,
            rule: format!(
                "at most {per_bedroom} person(s) per bedroom{}",
                if rules.partner_exception { "; partners may share on request" } else { "" }
            ),
            source: "SNF normenset (bedroom occupancy) [SECONDARY]; verordening".into(),
        });
        let required = persons.saturating_mul(bedroom_min);
        let area = u64::from(room.area_dm2);
        results.push(ConditionResult {
            code: ConditionCode::BedroomAreaPerPerson,
            room: Some(room.label.clone()),
            passed: area >= required,
            required,
            present: area,
            unit: Unit::SquareDecimetres,
            rule: format!("at least {} bedroom floor area per person{roemer}", m2(bedroom_min)),
            source: "SNF 1.4.1 [SECONDARY]".into(),
        });
    }

    let facility = |code: ConditionCode, ratio: u32, present: u32, what: &str, source: &str| {
        let required = required_for(occupants, ratio);
        ConditionResult {
            code,
            room: None,
            passed: u64::from(present) >= required,
            required,
            present: u64::from(present),
            unit: Unit::Count,
            rule: format!("at least one {what} per {ratio} persons (rounded up)"),
            source: source.into(),
        }
    };
    let f = &property.facilities;
    results.push(facility(
        ConditionCode::Toilets,
        rules.toilet_ratio.get(),
        f.toilets,
        "toilet",
        "SNF 2.1 [SECONDARY]",
    ));
    results.push(facility(
        ConditionCode::Showers,
        rules.shower_ratio.get(),
        f.showers,
        "shower",
        "SNF 2.2 [SECONDARY]",
    ));
    if let Some(ratio) = rules.kitchen_ratio {
        // NOTE: kitchen/cooking-point norm is UNCONFIRMED (rules.md §2.4); we count kitchens.
        results.push(facility(
            ConditionCode::Kitchens,
            ratio.get(),
            f.kitchens,
            "kitchen",
            "verordening (kitchen ratio UNCONFIRMED)",
        ));
    }
    if rules.washing_machine_required {
        // SNF news 17-05-2021: washing machine mandatory from 1-6-2021 `[SECONDARY]` [S27];
        // per-person ratio UNCONFIRMED → at least one unless a ratio is configured.
        let required = match rules.washing_machine_ratio {
            Some(ratio) => required_for(occupants, ratio.get()).max(1),
            None => 1,
        };
        let required = if occupants == 0 { 0 } else { required };
        results.push(ConditionResult {
            code: ConditionCode::WashingFacility,
            room: None,
            passed: u64::from(f.washing_machines) >= required,
            required,
            present: u64::from(f.washing_machines),
            unit: Unit::Count,
            rule: match rules.washing_machine_ratio {
                Some(r) => format!("a washing machine, at least one per {r} persons"),
                None => "a washing machine".into(),
            },
            source: "SNF news 17-05-2021 (mandatory since 1-6-2021) [SECONDARY]".into(),
        });
    }

    OccupancyAssessment { occupants, max_occupants, results }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use std::num::NonZeroU32;

    use super::*;

    fn bedroom(label: &str, area_dm2: u32, persons: u32, partners: bool) -> Room {
        Room { label: label.into(), area_dm2, sleeping_room: true, persons, partners }
    }

    /// A property with `n` occupants in single bedrooms of 10 m² and plenty of facilities.
    fn property(gbo_dm2: u32, n: u32) -> PropertyDescription {
        PropertyDescription {
            usable_floor_area_dm2: gbo_dm2,
            rooms: (0..n).map(|i| bedroom(&format!("k{i}"), 1000, 1, false)).collect(),
            facilities: Facilities {
                toilets: 2,
                showers: 2,
                kitchens: 1,
                cooking_points: 4,
                washing_machines: 1,
            },
        }
    }

    fn with_ratio(ratio: u32, f: impl FnOnce(&mut RuleSet, NonZeroU32)) -> RuleSet {
        let mut rs = RuleSet::default();
        f(&mut rs, NonZeroU32::new(ratio).unwrap());
        rs
    }

    #[test]
    fn scenario_27_fifty_five_m2_five_persons_is_overcrowded() {
        let a = assess(&property(5500, 5), &RuleSet::default());
        let r = a.result(ConditionCode::FloorAreaPerPerson).unwrap();
        assert!(!r.passed);
        assert_eq!(r.required, 6000);
        assert_eq!(r.present, 5500);
        assert_eq!(a.max_occupants, 4);
        assert!(!a.all_passed());
    }

    #[test]
    fn scenario_28_exactly_twelve_m2_per_person_passes() {
        let a = assess(&property(6000, 5), &RuleSet::default());
        let r = a.result(ConditionCode::FloorAreaPerPerson).unwrap();
        assert!(r.passed);
        assert_eq!(r.required, 6000);
        assert_eq!(a.max_occupants, 5);
        assert!(a.all_passed());
    }

    #[test]
    fn scenario_30_toilet_ratio_8_4_2() {
        let p = property(6000, 5); // 2 toilets
        let t = |rs: &RuleSet| assess(&p, rs).result(ConditionCode::Toilets).cloned().unwrap();
        let r8 = t(&RuleSet::default());
        assert_eq!((r8.required, r8.passed), (1, true));
        let r4 = t(&with_ratio(4, |rs, r| rs.toilet_ratio = r));
        assert_eq!((r4.required, r4.passed), (2, true));
        let r2 = t(&with_ratio(2, |rs, r| rs.toilet_ratio = r));
        assert_eq!((r2.required, r2.passed), (3, false));
    }

    #[test]
    fn showers_use_their_own_ratio() {
        let p = property(6000, 5); // 2 showers
        let r = assess(&p, &with_ratio(2, |rs, r| rs.shower_ratio = r));
        let s = r.result(ConditionCode::Showers).unwrap();
        assert_eq!((s.required, s.present, s.passed), (3, 2, false));
        assert!(r.result(ConditionCode::Toilets).unwrap().passed);
    }

    #[test]
    fn scenario_32_two_unrelated_in_seven_m2_fails_one_adult_rule() {
        let p = PropertyDescription {
            usable_floor_area_dm2: 3000,
            rooms: vec![bedroom("slaapkamer", 700, 2, false)],
            facilities: Facilities { toilets: 1, showers: 1, washing_machines: 1, ..Facilities::default() },
        };
        let a = assess(&p, &RuleSet::default());
        let ppb = a.result(ConditionCode::PersonsPerBedroom).unwrap();
        assert!(!ppb.passed);
        assert_eq!((ppb.required, ppb.present), (1, 2));
        let area = a.result(ConditionCode::BedroomAreaPerPerson).unwrap();
        assert!(area.passed);
        assert_eq!((area.required, area.present), (700, 700));
        // Only the SNF 3.5 m²/person rule (two persons per bedroom allowed): pass.
        let snf_only = RuleSet { persons_per_bedroom: NonZeroU32::new(2).unwrap(), ..RuleSet::default() };
        assert!(assess(&p, &snf_only).all_passed());
    }

    #[test]
    fn scenario_33_married_couple_in_nine_m2_passes() {
        let p = PropertyDescription {
            usable_floor_area_dm2: 3000,
            rooms: vec![bedroom("slaapkamer", 900, 2, true)],
            facilities: Facilities { toilets: 1, showers: 1, washing_machines: 1, ..Facilities::default() },
        };
        let a = assess(&p, &RuleSet::default());
        assert!(a.all_passed(), "{:?}", a.failed().collect::<Vec<_>>());
        // Without the partner exception the same couple fails.
        let strict = RuleSet { partner_exception: false, ..RuleSet::default() };
        assert!(!assess(&p, &strict).result(ConditionCode::PersonsPerBedroom).unwrap().passed);
    }

    #[test]
    fn scenario_35_twelve_persons_without_washing_machine_fails() {
        let mut p = property(15_000, 12);
        p.facilities.washing_machines = 0;
        let a = assess(&p, &RuleSet::default());
        let w = a.result(ConditionCode::WashingFacility).unwrap();
        assert!(!w.passed);
        assert_eq!((w.required, w.present), (1, 0));
        let failed: Vec<ConditionCode> = a.failed().map(|r| r.code).collect();
        assert_eq!(failed, vec![ConditionCode::WashingFacility]);
    }

    #[test]
    fn kitchen_only_checked_when_configured() {
        let p = property(6000, 5);
        assert!(assess(&p, &RuleSet::default()).result(ConditionCode::Kitchens).is_none());
        let rs = with_ratio(4, |rs, r| rs.kitchen_ratio = Some(r));
        let k = assess(&p, &rs).result(ConditionCode::Kitchens).cloned().unwrap();
        assert_eq!((k.required, k.present, k.passed), (2, 1, false));
    }

    #[test]
    fn roemer_flag_raises_norms() {
        let mut rs = RuleSet::default();
        rs.features.roemer_norm = true;
        let a = assess(&property(6000, 5), &rs);
        let r = a.result(ConditionCode::FloorAreaPerPerson).unwrap();
        assert_eq!((r.required, r.passed), (7500, false));
        assert_eq!(a.max_occupants, 4);
        let p = PropertyDescription {
            usable_floor_area_dm2: 2000,
            rooms: vec![bedroom("k", 500, 1, false)],
            facilities: Facilities { washing_machines: 1, toilets: 1, showers: 1, ..Facilities::default() },
        };
        assert!(!assess(&p, &rs).result(ConditionCode::BedroomAreaPerPerson).unwrap().passed);
    }

    #[test]
    fn empty_property_and_huge_numbers_do_not_panic() {
        let empty = PropertyDescription {
            usable_floor_area_dm2: 0,
            rooms: vec![],
            facilities: Facilities::default(),
        };
        let a = assess(&empty, &RuleSet::default());
        assert_eq!(a.occupants, 0);
        assert!(a.all_passed());
        let huge = PropertyDescription {
            usable_floor_area_dm2: u32::MAX,
            rooms: vec![bedroom("k", u32::MAX, u32::MAX, true); 3],
            facilities: Facilities::default(),
        };
        let a = assess(&huge, &RuleSet::default());
        assert_eq!(a.occupants, 3 * u64::from(u32::MAX));
        assert!(!a.all_passed());
    }

    #[test]
    fn rule_text_shows_configured_numbers() {
        let a = assess(&property(6000, 5), &RuleSet::default());
        assert_eq!(
            a.result(ConditionCode::FloorAreaPerPerson).unwrap().rule,
            "at least 12.00 m² usable floor area per person"
        );
    }
}
