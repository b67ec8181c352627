//! The rendered letters are exactly the texts the enforcement handlers wrote before they were
//! templates (the expected strings are those `format!` calls).

use super::*;
use crate::error::AppResult;
use crate::letters::Letter;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or(NaiveDate::MIN)
}

fn eur(cents: i64) -> Money {
    Money::from_cents(cents).unwrap_or(Money::ZERO)
}

fn body(l: AppResult<Letter>) -> String {
    l.unwrap_or_else(|e| panic!("{e}")).body
}

const M: &str = "Rotterdam";
const A: &str = "Kerkstraat 1a, 3011 AB";

#[test]
fn warning() {
    let (rule, vd, dl, text) = ("GR-04", d("2025-02-10"), d("2025-03-10"), "Anders volgt een boete.");
    let l = WarningLetter {
        municipality: M,
        rule,
        address: A,
        violation_date: vd,
        remedy_deadline: dl,
        consequence_text: text,
    };
    let address = A;
    let violation_date = vd;
    assert_eq!(
        body(l.letter()),
        format!(
            "De gemeente {} heeft vastgesteld dat u regel {} van de Wet goed verhuurderschap overtreedt \
             op het adres {address} (vastgesteld op {violation_date}).\n\nBeëindig de overtreding uiterlijk op {}.\n\n{}\n\n\
             (English) The municipality established a violation of rule {} at {address}. End it by {}.",
            M, rule, dl, text, rule, dl
        )
    );
    assert_eq!(
        l.letter().map(|l| l.subject).ok().as_deref(),
        Some("Waarschuwing Wet goed verhuurderschap / Warning")
    );
}

#[test]
fn penalty_order() {
    let (address, rule) = (A, "GR-04");
    let l = PenaltyOrderLetter {
        municipality: M,
        address,
        rule,
        measures: "a; b",
        compliance_deadline: "2025-04-01",
        amount: eur(50000),
        sum_kind: "Once",
        maximum: eur(500000),
    };
    assert_eq!(
        body(l.letter()),
        format!(
            "De gemeente {} legt u een last onder dwangsom op voor het adres {address} (regel {rule}).\n\
             Maatregelen: {}.\nBegunstigingstermijn tot en met: {}.\nDwangsom: {} ({}), maximaal {}.\n\n\
             (English) A penalty order was imposed for {address}. Comply by {}.",
            M,
            "a; b",
            "2025-04-01",
            eur(50000),
            "Once",
            eur(500000),
            "2025-04-01",
        )
    );
}

#[test]
fn coercion_and_takeover() {
    let (address, rule, deadline, starts) = (A, "GR-04", d("2025-05-01"), d("2025-06-01"));
    let l = CoercionOrderLetter { municipality: M, address, rule, remedy_deadline: deadline };
    assert_eq!(
        body(l.letter()),
        format!(
            "De gemeente {} legt u een last onder bestuursdwang op voor het adres {address} (regel {rule}). \
             Termijn: tot en met {deadline}.\n\n(English) An administrative enforcement order was imposed for \
             {address}; comply by {deadline}.",
            M
        )
    );
    let l = TakeoverLetter { municipality: M, address, starts_on: starts };
    assert_eq!(
        body(l.letter()),
        format!(
            "De gemeente {} neemt het beheer over van de woonruimte op het adres {address} met ingang van {starts}.\n\n\
             (English) The municipality takes over the management of {address} from {starts}.",
            M
        )
    );
}

#[test]
fn fine_notices() {
    let (municipality_name, zienswijze_due) = (M, d("2025-03-01"));
    let l =
        FineIntentLetter { municipality: M, rule: "GR-04", violation_date: d("2025-02-10"), zienswijze_due };
    assert_eq!(
        body(l.letter()),
        format!(
            "De gemeente {municipality_name} is voornemens u een bestuurlijke boete op te leggen \
             voor de overtreding van regel {} (vastgesteld op {}). Het rapport is bijgevoegd. \
             U kunt tot en met {zienswijze_due} uw zienswijze geven, mondeling of schriftelijk.\n\n\
             (English) The municipality intends to impose an administrative fine. You may give your \
             view until {zienswijze_due}.",
            "GR-04", "2025-02-10"
        )
    );
    let (amount, pay, obj) = (eur(1234567), d("2025-05-01"), d("2025-05-15"));
    let l =
        FineDecisionLetter { municipality: M, rule: "GR-04", amount, payment_due: pay, objection_ends: obj };
    assert_eq!(
        body(l.letter()),
        format!(
            "De gemeente {municipality_name} legt u een bestuurlijke boete op van {} voor de \
             overtreding van regel {}. Betalen uiterlijk op {}. Bezwaar kan tot en met {}.\n\n\
             (English) An administrative fine of {} was imposed. Pay by {}; objection until {}.",
            amount, "GR-04", pay, obj, amount, pay, obj
        )
    );
}

#[test]
fn penalty_sums() {
    let (municipality_name, on, new_sum) = (M, d("2025-04-02"), eur(50000));
    let l = ForfeitureLetter {
        rule: "GR-04",
        inspected_on: on,
        forfeited: new_sum,
        total: eur(100000),
        maximum: eur(500000),
        payable_by: "2025-05-02",
    };
    assert_eq!(
        body(l.letter()),
        format!(
            "Bij de controle op {on} is vastgesteld dat u de last onder dwangsom (regel {}) niet \
             hebt nageleefd. Van rechtswege verbeurd: {new_sum} (totaal {} van maximaal {}). \
             Te betalen uiterlijk op {}.\n\n(English) A penalty of {new_sum} was forfeited; \
             payable by {}.",
            "GR-04",
            eur(100000),
            eur(500000),
            "2025-05-02",
            "2025-05-02"
        )
    );
    let decided = eur(50000);
    let l = CollectionDecisionLetter { municipality: M, rule: "GR-04", decided };
    assert_eq!(
        body(l.letter()),
        format!(
            "De gemeente {municipality_name} heeft besloten de verbeurde dwangsom(men) (regel {}) in \
             te vorderen: {decided}.\n\n(English) The municipality decided to collect the forfeited \
             penalty: {decided}.",
            "GR-04",
        )
    );
    let reminded = decided;
    let l = ReminderLetter { rule: "GR-04", reminded };
    assert_eq!(
        body(l.letter()),
        format!(
            "Aanmaning: de verbeurde dwangsom(men) (regel {}) van {reminded} zijn niet betaald. \
             Betaal binnen twee weken.\n\n(English) Reminder: the forfeited penalty of \
             {reminded} has not been paid. Please pay within two weeks.",
            "GR-04",
        )
    );
}
