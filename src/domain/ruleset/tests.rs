//! Tests of the municipality's rule set: defaults, validation, areas and licence requirements,
//! and the dated history.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::*;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn wijk_a_only() -> RuleSet {
    RuleSet {
        enabled_licences: vec![EnabledLicence {
            kind: LicenceKind::General,
            area: Area {
                whole_municipality: false,
                postcode_ranges: vec![PostcodeRange {
                    from: "1000AA".into(),
                    to: "1099ZZ".into(),
                    house_number_from: None,
                    house_number_to: None,
                }],
                neighbourhood_codes: vec!["WIJK_A".into()],
            },
        }],
        ..RuleSet::default()
    }
}

fn query<'a>(postcode: &'a str, hood: Option<&'a str>) -> AddressQuery<'a> {
    AddressQuery {
        postcode,
        house_number: 1,
        neighbourhood_code: hood,
        is_housing_corporation: false,
        houses_labour_migrants: false,
    }
}

#[test]
fn defaults_are_the_documented_values() {
    let rs = RuleSet::default();
    assert_eq!(rs.decision_term_weeks, 8);
    assert_eq!(rs.min_floor_area_per_person_dm2, 1200);
    assert_eq!(rs.bedroom_min_area_per_person_dm2, 350);
    assert_eq!(rs.persons_per_bedroom.get(), 1);
    assert!(rs.partner_exception);
    assert_eq!(rs.toilet_ratio.get(), 8);
    assert_eq!(rs.shower_ratio.get(), 8);
    assert_eq!(rs.kitchen_ratio, None);
    assert!(rs.washing_machine_required);
    assert_eq!(rs.licence_validity_years, None);
    assert_eq!(rs.objection_weeks, 6);
    assert_eq!(rs.transition_months, 6);
    assert!(!rs.licence_transferable);
    assert!(!rs.features.roemer_norm && !rs.features.short_stay_30_days);
    assert_eq!(rs.validate(), Ok(()));
}

#[test]
fn scenario_1_address_outside_designated_area_needs_no_licence() {
    let rs = wijk_a_only();
    let req = rs.licence_required(&query("2000AB", Some("WIJK_B")));
    assert!(!req.licence_required());
    assert_eq!(req.exemption, Some(LicenceExemption::NotInDesignatedArea));
    // Inside Wijk A by neighbourhood code or by postcode range: required.
    assert_eq!(
        rs.licence_required(&query("2000AB", Some("WIJK_A"))).required_kinds,
        vec![LicenceKind::General]
    );
    assert!(rs.licence_required(&query("1099ZZ", None)).licence_required());
    assert!(rs.licence_required(&query("1000AA", None)).licence_required());
    assert!(!rs.licence_required(&query("1100AA", None)).licence_required());
}

#[test]
fn scenario_2_housing_corporation_is_exempt() {
    let rs = RuleSet::default();
    let mut q = query("1011AB", None);
    q.is_housing_corporation = true;
    q.houses_labour_migrants = true;
    let req = rs.licence_required(&q);
    assert!(!req.licence_required());
    assert_eq!(req.exemption, Some(LicenceExemption::HousingCorporation));
}

#[test]
fn labour_migrant_licence_only_for_verblijfsruimte() {
    let rs = RuleSet::default();
    let mut q = query("1011AB", None);
    assert_eq!(rs.licence_required(&q).required_kinds, vec![LicenceKind::General]);
    q.houses_labour_migrants = true;
    assert_eq!(
        rs.licence_required(&q).required_kinds,
        vec![LicenceKind::General, LicenceKind::LabourMigrant]
    );
}

#[test]
fn malformed_postcode_never_matches_a_range() {
    let rs = wijk_a_only();
    for bad in ["1050 AB", "1050ab", "105AB", "", "0999ZZ", "1050ÄB"] {
        assert!(!rs.licence_required(&query(bad, None)).licence_required(), "{bad}");
    }
}

#[test]
fn house_number_limits_on_a_range() {
    let r = PostcodeRange {
        from: "1011AB".into(),
        to: "1011AB".into(),
        house_number_from: Some(10),
        house_number_to: Some(20),
    };
    assert!(!r.contains("1011AB", 9));
    assert!(r.contains("1011AB", 10));
    assert!(r.contains("1011AB", 20));
    assert!(!r.contains("1011AB", 21));
}

#[test]
fn history_picks_latest_version_in_force() {
    let v1 = RuleSet { valid_from: d(2024, 1, 1), ..RuleSet::default() };
    let v2 = RuleSet { valid_from: d(2025, 7, 1), min_floor_area_per_person_dm2: 1500, ..RuleSet::default() };
    let h = RuleSetHistory { versions: vec![v2.clone(), v1.clone()] };
    assert_eq!(h.in_force_on(d(2023, 12, 31)), None);
    assert_eq!(h.in_force_on(d(2024, 1, 1)), Some(&v1));
    assert_eq!(h.in_force_on(d(2025, 6, 30)), Some(&v1));
    assert_eq!(h.in_force_on(d(2025, 7, 1)), Some(&v2));
    assert!(!h.has_duplicate_dates());
    assert_eq!(h.validate(), Ok(()));
}

#[test]
fn loads_from_partial_json_with_defaults() {
    let json = r#"{
        "valid_from": "2025-07-01",
        "toilet_ratio": 4,
        "kitchen_ratio": 6,
        "features": { "roemer_norm": true },
        "enabled_licences": [
            { "kind": "general", "area": { "postcode_ranges": [ { "from": "1000AA", "to": "1099ZZ" } ] } }
        ]
    }"#;
    let rs: RuleSet = serde_json::from_str(json).unwrap();
    assert_eq!(rs.valid_from, d(2025, 7, 1));
    assert_eq!(rs.toilet_ratio.get(), 4);
    assert_eq!(rs.kitchen_ratio.map(NonZeroU32::get), Some(6));
    assert_eq!(rs.decision_term_weeks, 8);
    assert_eq!(rs.effective_min_floor_area_per_person_dm2(), 1500);
    assert_eq!(rs.effective_bedroom_min_area_per_person_dm2(), 550);
    assert_eq!(rs.validate(), Ok(()));
    // round trip
    let back: RuleSet = serde_json::from_str(&serde_json::to_string(&rs).unwrap()).unwrap();
    assert_eq!(back, rs);
}

#[test]
fn zero_ratio_is_rejected_when_loading() {
    let json = r#"{ "valid_from": "2025-07-01", "toilet_ratio": 0 }"#;
    assert!(serde_json::from_str::<RuleSet>(json).is_err());
}

#[test]
fn validate_rejects_bad_values() {
    let short = RuleSet { transition_months: 5, ..RuleSet::default() };
    assert_eq!(short.validate(), Err(RuleSetError::TransitionTooShort));
    let neg = RuleSet { fees: Fees { application_cents: -1, ..Fees::default() }, ..RuleSet::default() };
    assert_eq!(neg.validate(), Err(RuleSetError::NegativeFee));
    let mut bad_range = wijk_a_only();
    bad_range.enabled_licences[0].area.postcode_ranges[0].to = "0999AA".into();
    assert!(matches!(bad_range.validate(), Err(RuleSetError::BadPostcodeRange { .. })));
}

#[test]
fn equated_holidays_from_the_rule_set_extend_terms() {
    // Atw art. 3 lid 3: a day equated with a holiday by Royal Decree.
    let rs = RuleSet { extra_holidays: vec![d(2025, 4, 28)], ..RuleSet::default() };
    let cal = rs.calendar();
    assert!(cal.is_holiday(d(2025, 4, 28)));
    assert_eq!(cal.roll_forward(d(2025, 4, 26)), d(2025, 4, 29));
    assert!(!RuleSet::default().calendar().is_holiday(d(2025, 4, 28)));
    let json = r#"{ "valid_from": "2025-01-01", "extra_holidays": ["2025-04-28"] }"#;
    assert_eq!(serde_json::from_str::<RuleSet>(json).unwrap().extra_holidays, vec![d(2025, 4, 28)]);
}

#[test]
fn the_shipped_history_has_the_default_in_force_from_wgv_commencement() {
    let h = RuleSetHistory::shipped_default();
    assert_eq!(h.in_force_on(d(2025, 1, 1)), Some(&RuleSet::default()));
    assert_eq!(h.in_force_on(d(2023, 6, 30)), None);
    assert_eq!(h.in_force_or_first(d(2023, 6, 30)), Some(&RuleSet::default()));
}

#[test]
fn fees_add_up_in_cents() {
    let fees = Fees { application_cents: 19_470, per_dwelling_cents: 5_000, per_bed_cents: 250 };
    assert_eq!(fees.application_fee(2, 10).unwrap().cents(), 19_470 + 10_000 + 2_500);
    assert!(Fees { per_bed_cents: -5, ..Fees::default() }.application_fee(1, 1).is_err());
}

#[test]
fn files_refuse_misplaced_keys_and_take_postcodes_as_the_api_does() {
    use crate::domain::config_json::from_json;
    // Designated areas written without their `area` wrapper.
    let e = from_json::<RuleSetHistory>(
        r#"{"versions": [{"enabled_licences": [{"kind": "general", "postcode_ranges": []}]}]}"#,
    )
    .unwrap_err();
    assert!(e.starts_with("at versions[0].enabled_licences[0].postcode_ranges: unknown field"), "{e}");
    let e = from_json::<RuleSet>(r#"{"decision_term_wekes": 12}"#).unwrap_err();
    assert!(e.starts_with("at decision_term_wekes: unknown field"), "{e}");
    let e = from_json::<RuleSet>(r#"{"fees": {"per_bed": 5}}"#).unwrap_err();
    assert!(e.starts_with("at fees.per_bed: unknown field"), "{e}");
    let json = r#"{"enabled_licences": [{"kind": "general", "area": {"postcode_ranges": [{"from": "1000 AA", "to": "1099zz"}]}}]}"#;
    let rs = from_json::<RuleSet>(json).unwrap();
    assert_eq!(rs.enabled_licences[0].area.postcode_ranges[0].from, "1000AA");
    assert_eq!(rs.enabled_licences[0].area.postcode_ranges[0].to, "1099ZZ");
    let written = serde_json::to_value(&rs).unwrap();
    assert_eq!(written["enabled_licences"][0]["area"]["postcode_ranges"][0]["from"], "1000 AA");
    let bad_docs = RuleSet { required_documents: vec!["Floor plan".into()], ..RuleSet::default() };
    assert_eq!(bad_docs.validate(), Err(RuleSetError::BadDocumentCode("Floor plan".into())));
}
