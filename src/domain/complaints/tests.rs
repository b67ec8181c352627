//! Unit tests of the meldpunt rules.

use super::*;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

#[test]
fn the_shipped_catalogue_is_complete() {
    let c = Catalogue::parse(DEFAULT_CATALOGUE).unwrap();
    assert!(c.category("unsafe_housing").unwrap().urgent);
    // Every Wgv general rule a tenant can report has a category.
    for rule in ["GR-01", "GR-03", "GR-04", "GR-05", "GR-06", "GR-07", "GR-08", "AM-01", "AM-02"] {
        assert!(c.categories.iter().any(|x| x.rule.as_deref() == Some(rule)), "{rule}");
    }
}

#[test]
fn a_catalogue_with_an_unknown_rule_or_missing_language_is_refused() {
    let bad = DEFAULT_CATALOGUE.replace("\"GR-03\"", "\"GR-99\"");
    assert!(Catalogue::parse(&bad).unwrap_err().contains("GR-99"));
    let bad = DEFAULT_CATALOGUE.replacen("\"uk\": {\"title\": \"Інше\"", "\"xx\": {\"title\": \"Інше\"", 1);
    assert!(Catalogue::parse(&bad).unwrap_err().contains("uk"));
}

#[test]
fn tracking_code_round_trips_and_is_forgiving_when_typed() {
    let bytes: [u8; 20] = core::array::from_fn(|i| (i as u8).wrapping_mul(37).wrapping_add(11));
    let code = format_tracking_code(&bytes);
    assert_eq!(code.len(), 32 + 7);
    assert_eq!(parse_tracking_code(&code), Some(bytes));
    let typed = code.to_lowercase().replace('-', " ").replace('1', "l").replace('0', "o");
    assert_eq!(parse_tracking_code(&typed), Some(bytes));
    assert_eq!(tracking_hash(&code), tracking_hash(&typed));
    assert_eq!(parse_tracking_code(&code[..30]), None);
    assert_eq!(parse_tracking_code(&format!("{code}A")), None);
    assert_eq!(parse_tracking_code("UUUU"), None);
    assert_ne!(tracking_hash("nonsense"), tracking_hash(&code));
}

fn facts(status: ComplaintStatus) -> TransitionFacts {
    TransitionFacts { status, has_signals: false, has_referral: false, has_no_referral_reason: false }
}

#[test]
fn workflow_follows_the_issue_order() {
    use ComplaintAction as A;
    use ComplaintStatus as S;
    assert_eq!(transition(facts(S::Received), A::Triage), Ok(S::Triaged));
    assert_eq!(transition(facts(S::Triaged), A::StartInvestigation), Ok(S::Investigating));
    assert_eq!(transition(facts(S::Investigating), A::TakeAction), Ok(S::ActionTaken));
    assert_eq!(transition(facts(S::Investigating), A::CloseNoAction), Ok(S::ClosedNoAction));
    assert_eq!(transition(facts(S::Received), A::CloseUnfounded), Ok(S::ClosedUnfounded));
    match transition(facts(S::Received), A::TakeAction) {
        Err(TransitionError::NotAllowed { allowed, .. }) => {
            assert_eq!(allowed, vec![A::Triage, A::Refer, A::CloseUnfounded])
        }
        other => panic!("{other:?}"),
    }
    assert!(allowed_actions(S::ClosedUnfounded).is_empty());
    assert_eq!(transition(facts(S::Triaged), A::Refer), Err(TransitionError::ReferralMissing));
}

#[test]
fn exploitation_signals_need_a_referral_decision_before_closing() {
    use ComplaintAction as A;
    use ComplaintStatus as S;
    let mut f = facts(S::Investigating);
    f.has_signals = true;
    assert_eq!(transition(f, A::CloseNoAction), Err(TransitionError::ReferralDecisionRequired));
    assert_eq!(transition(f, A::CloseUnfounded), Err(TransitionError::ReferralDecisionRequired));
    assert_eq!(transition(f, A::TakeAction), Err(TransitionError::ReferralDecisionRequired));
    // Moving on within the open states is fine.
    let mut g = facts(S::Received);
    g.has_signals = true;
    assert_eq!(transition(g, A::Triage), Ok(S::Triaged));
    f.has_no_referral_reason = true;
    assert_eq!(transition(f, A::CloseNoAction), Ok(S::ClosedNoAction));
    f.has_no_referral_reason = false;
    f.has_referral = true;
    assert_eq!(transition(f, A::TakeAction), Ok(S::ActionTaken));
}

#[test]
fn unsafe_housing_and_signals_are_urgent() {
    assert_eq!(initial_priority(true, false), Priority::Urgent);
    assert_eq!(initial_priority(false, true), Priority::Urgent);
    assert_eq!(initial_priority(false, false), Priority::Normal);
}

fn rf(status: ComplaintStatus, outcome: Option<&str>, case_building: bool) -> RetentionFacts {
    RetentionFacts {
        received_on: d("2025-02-01"),
        status,
        outcome_on: outcome.map(d),
        case_building,
        enforcement_final_on: None,
    }
}

#[test]
fn scenario_60_referred_without_case_building_is_deleted_on_the_referral_date() {
    let f = rf(ComplaintStatus::Referred, Some("2025-02-03"), false);
    assert_eq!(personal_data_due(&f), Some(d("2025-02-03")));
}

#[test]
fn mp08_deletion_rules() {
    use ComplaintStatus as S;
    // (a) unfounded: deleted even when kept for a case.
    assert_eq!(personal_data_due(&rf(S::ClosedUnfounded, Some("2025-03-01"), true)), Some(d("2025-03-01")));
    // (b)/(c) kept for dossieropbouw: four years after the report.
    assert_eq!(personal_data_due(&rf(S::Referred, Some("2025-02-03"), true)), Some(d("2029-02-01")));
    assert_eq!(personal_data_due(&rf(S::ClosedNoAction, Some("2025-04-01"), false)), Some(d("2025-04-01")));
    assert_eq!(personal_data_due(&rf(S::ClosedNoAction, Some("2025-04-01"), true)), Some(d("2029-02-01")));
    // (d) action taken: only when the decision is final.
    let mut f = rf(S::ActionTaken, Some("2025-04-01"), false);
    assert_eq!(personal_data_due(&f), None);
    f.enforcement_final_on = Some(d("2026-01-10"));
    assert_eq!(personal_data_due(&f), Some(d("2026-01-10")));
    // Open complaint: no rule applies yet, unless kept for a case (4-year limit).
    assert_eq!(personal_data_due(&rf(S::Investigating, None, false)), None);
    assert_eq!(personal_data_due(&rf(S::Investigating, None, true)), Some(d("2029-02-01")));
}

#[test]
fn scenario_59_anonymous_report_has_no_personal_data_rule_to_wait_for() {
    // Nothing identifying is stored for an anonymous report, so nothing is due; the report
    // itself is accepted (API test `anonymous_complaint_stores_no_reporter_data`).
    assert_eq!(personal_data_due(&rf(ComplaintStatus::Received, None, false)), None);
}

/// The shipped catalogue as JSON, changed by `f`.
fn shipped_with(f: impl FnOnce(&mut serde_json::Value)) -> String {
    let mut v: serde_json::Value = serde_json::from_str(DEFAULT_CATALOGUE).unwrap();
    f(&mut v);
    v.to_string()
}

#[test]
fn a_catalogue_without_web_texts_gets_the_shipped_ones_and_incomplete_ones_are_refused() {
    let own = shipped_with(|v| {
        let o = v.as_object_mut().unwrap();
        o.remove("page");
        o.remove("signals");
    });
    let c = Catalogue::parse(&own).unwrap();
    let shipped = Catalogue::parse(DEFAULT_CATALOGUE).unwrap();
    assert_eq!(c.page_texts("pl"), shipped.page_texts("pl"));
    assert_eq!(
        c.signal_label("uk", ExploitationSignal::DocumentsWithheld),
        shipped.signal_label("uk", ExploitationSignal::DocumentsWithheld)
    );
    assert_ne!(c.signal_label("uk", ExploitationSignal::DocumentsWithheld), "documents_withheld");

    let blank = shipped_with(|v| v["page"]["ro"]["submit"] = " ".into());
    assert_eq!(Catalogue::parse(&blank).unwrap_err(), "page.ro.submit is blank");
    let missing = shipped_with(|v| {
        v["page"]["bg"].as_object_mut().unwrap().remove("error_postcode");
    });
    assert!(Catalogue::parse(&missing).unwrap_err().contains("error_postcode"));
    let no_signal = shipped_with(|v| {
        v["signals"]["pl"].as_object_mut().unwrap().remove("underpaid");
    });
    assert_eq!(Catalogue::parse(&no_signal).unwrap_err(), "signals.pl lacks underpaid");
    let unknown = shipped_with(|v| v["signals"]["en"]["passport_taken"] = "x".into());
    assert!(Catalogue::parse(&unknown).unwrap_err().contains("passport_taken"));
    let no_language = shipped_with(|v| {
        v["page"].as_object_mut().unwrap().remove("uk");
    });
    assert_eq!(Catalogue::parse(&no_language).unwrap_err(), "page lacks the language uk");
}

#[test]
fn every_page_text_keeps_the_placeholders_of_the_dutch_one() {
    let c = Catalogue::parse(DEFAULT_CATALOGUE).unwrap();
    let nl = serde_json::to_value(c.page_texts("nl").unwrap()).unwrap();
    for lang in LANGUAGES {
        let t = serde_json::to_value(c.page_texts(lang).unwrap()).unwrap();
        for key in PAGE_TEXT_KEYS {
            for placeholder in ["{count}", "{mb}", "{municipality}"] {
                let in_nl = nl[key].as_str().unwrap().contains(placeholder);
                assert_eq!(
                    t[key].as_str().unwrap().contains(placeholder),
                    in_nl,
                    "{lang}.{key} {placeholder}"
                );
            }
        }
    }
}
