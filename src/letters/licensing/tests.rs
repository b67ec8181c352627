//! The letters render exactly the texts the handlers used to format by hand.

#![allow(clippy::unwrap_used)]

use super::*;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

#[test]
fn received_letter_text() {
    let l = ApplicationReceived {
        kind: "general",
        address: "3011 AB 10-A",
        received_on: d(2026, 1, 5),
        due: d(2026, 3, 2),
        application_id: "app-1",
    }
    .letter()
    .unwrap();
    assert_eq!(l.subject, "Aanvraag verhuurvergunning ontvangen / Application received");
    assert_eq!(
        l.body,
        "Uw aanvraag voor een verhuurvergunning (general) voor 3011 AB 10-A is op 2026-01-05 ontvangen.\n\
         Wij beslissen uiterlijk op 2026-03-02 (Awb 4:13; deze datum kan opschuiven als wij om aanvullende \
         gegevens vragen of de termijn verlengen).\nAanvraagnummer: app-1\n\n\
         Your application for a rental licence (general) for 3011 AB 10-A was received on 2026-01-05. \
         The decision is due by 2026-03-02."
    );
}

#[test]
fn information_needed_letter_text() {
    let l = InformationNeeded {
        address: "3011 AB 10",
        what: "floor plan",
        respond_by: d(2026, 2, 1),
        application_id: "app-1",
    }
    .letter()
    .unwrap();
    assert_eq!(
        l.body,
        "Uw aanvraag voor een verhuurvergunning voor 3011 AB 10 is niet compleet (Awb 4:5).\n\
         Wat ontbreekt:\nfloor plan\n\nLever dit aan uiterlijk op 2026-02-01. Tot dan is de beslistermijn opgeschort \
         (Awb 4:15). Levert u niet op tijd aan, dan kunnen wij de aanvraag buiten behandeling laten.\n\
         Aanvraagnummer: app-1\n\n\
         Your application for 3011 AB 10 is incomplete. Missing:\nfloor plan\nPlease supply this by 2026-02-01; \
         the decision term is suspended until then."
    );
}

#[test]
fn term_extended_and_not_considered_letter_texts() {
    let l = TermExtended {
        address: "3011 AB 10",
        weeks: 4,
        reason: "busy",
        due: d(2026, 4, 1),
        application_id: "app-1",
    }
    .letter()
    .unwrap();
    assert_eq!(
        l.body,
        "De beslistermijn voor uw aanvraag voor 3011 AB 10 is met 4 weken verlengd (Awb 4:14).\n\
         Reden: busy\nWij beslissen uiterlijk op 2026-04-01.\nAanvraagnummer: app-1\n\n\
         The decision term for your application for 3011 AB 10 has been extended by 4 weeks. \
         Reason: busy. The decision is now due by 2026-04-01."
    );
    let l = NotConsidered {
        address: "3011 AB 10",
        motivation: "late",
        objection_end: d(2026, 5, 1),
        application_id: "app-1",
    }
    .letter()
    .unwrap();
    assert_eq!(
        l.body,
        "Besluit: uw aanvraag voor een verhuurvergunning voor 3011 AB 10 wordt buiten behandeling gelaten \
         (Awb 4:5), omdat de gevraagde gegevens niet op tijd zijn aangeleverd.\nMotivering: late\n\
         Bezwaar maken kan tot en met 2026-05-01 (Awb 6:7).\nAanvraagnummer: app-1\n\n\
         Decision: your application for 3011 AB 10 is not considered because the requested information was \
         not supplied in time. You may object until 2026-05-01."
    );
}

#[test]
fn grant_with_conditions_letter_text() {
    let l = Decision::new(
        DecisionWords::GrantedWithConditions,
        "3011 AB 10",
        Some(GrantedLicence {
            number: "GM0599-2026-000001",
            valid_from: d(2026, 1, 5),
            valid_until: Some(d(2031, 1, 5)),
            max_occupants: 4,
        }),
        vec!["rent at most 900", "keep a lease"],
        &[],
        Some("  fine "),
        d(2026, 2, 16),
        "app-1",
    )
    .letter()
    .unwrap();
    assert_eq!(
        l.subject,
        "Besluit verhuurvergunning: verleend onder voorschriften / Decision: granted with conditions"
    );
    assert_eq!(
        l.body,
        "Besluit op uw aanvraag voor een verhuurvergunning voor 3011 AB 10: verleend onder voorschriften.\n\
         Vergunningnummer: GM0599-2026-000001; geldig vanaf 2026-01-05 tot 2031-01-05; maximaal 4 bewoners.\n\
         Voorschriften:\n- rent at most 900\n- keep a lease\nMotivering: fine\n\
         Bezwaar maken kan tot en met 2026-02-16 (Awb 6:7, zes weken na de dag van bekendmaking).\n\
         Aanvraagnummer: app-1\n\nDecision on your rental licence application for 3011 AB 10: granted with conditions. \
         You may lodge an objection until 2026-02-16."
    );
}

#[test]
fn grant_and_refusal_letter_texts() {
    let l = Decision::new(
        DecisionWords::Granted,
        "3011 AB 10",
        Some(GrantedLicence {
            number: "N-1",
            valid_from: d(2026, 1, 5),
            valid_until: None,
            max_occupants: 2,
        }),
        vec![],
        &[],
        Some("   "),
        d(2026, 2, 16),
        "app-1",
    )
    .letter()
    .unwrap();
    assert_eq!(
        l.body,
        "Besluit op uw aanvraag voor een verhuurvergunning voor 3011 AB 10: verleend.\n\
         Vergunningnummer: N-1; geldig vanaf 2026-01-05; maximaal 2 bewoners.\n\
         Bezwaar maken kan tot en met 2026-02-16 (Awb 6:7, zes weken na de dag van bekendmaking).\n\
         Aanvraagnummer: app-1\n\nDecision on your rental licence application for 3011 AB 10: granted. \
         You may lodge an objection until 2026-02-16."
    );
    let l = Decision::new(
        DecisionWords::Refused,
        "3011 AB 10",
        None,
        vec![],
        &[RefusalGround::MissingBuildingPermit, RefusalGround::Beheer],
        Some("no permit"),
        d(2026, 2, 16),
        "app-1",
    )
    .letter()
    .unwrap();
    assert_eq!(l.subject, "Besluit verhuurvergunning: geweigerd / Decision: refused");
    assert_eq!(
        l.body,
        "Besluit op uw aanvraag voor een verhuurvergunning voor 3011 AB 10: geweigerd.\n\
         Weigeringsgronden:\n\
         - een vergunning die nodig is om de woonruimte te realiseren ontbreekt (Wgv)\n\
         - een woning van de verhuurder is in beheer genomen (Wgv)\n\
         Motivering: no permit\n\
         Bezwaar maken kan tot en met 2026-02-16 (Awb 6:7, zes weken na de dag van bekendmaking).\n\
         Aanvraagnummer: app-1\n\nDecision on your rental licence application for 3011 AB 10: refused. \
         You may lodge an objection until 2026-02-16."
    );
}

#[test]
fn bibob_advice_letter_text() {
    let l = BibobAdviceRequested { address: "3011 AB 10", due: d(2026, 6, 1), application_id: "app-1" }
        .letter()
        .unwrap();
    assert_eq!(
        l.body,
        "Over uw aanvraag voor een verhuurvergunning voor 3011 AB 10 hebben wij advies gevraagd aan het \
         Landelijk Bureau Bibob (Wet Bibob art. 32). De beslistermijn is opgeschort zolang het advies \
         uitblijft, ten hoogste de wettelijke adviestermijn (art. 31). Wij beslissen uiterlijk op 2026-06-01.\n\
         Aanvraagnummer: app-1\n\n\
         For your rental licence application for 3011 AB 10 we have requested advice from the Landelijk \
         Bureau Bibob. The decision term is suspended while the advice is pending, within the legal \
         maximum. The decision is due by 2026-06-01 at the latest."
    );
}

#[test]
fn licence_measure_letter_texts() {
    let end = d(2026, 3, 1);
    let l = LicenceMeasure::new(MeasureWords::Suspended, "N-1", "3011 AB 10", "why", end).letter().unwrap();
    assert_eq!(l.subject, "Besluit: verhuurvergunning geschorst / Licence suspended");
    assert_eq!(
        l.body,
        "Besluit: uw verhuurvergunning N-1 voor 3011 AB 10 is geschorst.\nMotivering: why\n\
         Bezwaar maken kan tot en met 2026-03-01 (Awb 6:7).\n\n\
         Decision: your rental licence N-1 for 3011 AB 10 has been suspended. You may object until 2026-03-01."
    );
    let l = LicenceMeasure::new(MeasureWords::Reinstated, "N-1", "3011 AB 10", "ok", end).letter().unwrap();
    assert_eq!(l.subject, "Besluit: schorsing verhuurvergunning opgeheven / Licence reinstated");
    assert_eq!(
        l.body,
        "Besluit: uw verhuurvergunning N-1 voor 3011 AB 10 is weer van kracht (schorsing opgeheven).\n\
         Motivering: ok\n\n\
         Decision: your rental licence N-1 for 3011 AB 10 has been reinstated (suspension lifted)."
    );
}
