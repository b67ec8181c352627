//! A small data set built through the API (licensing, inspections, violations) and, for what
//! takes many steps or has no route on this branch yet (sanction states, partners present,
//! registration signals), in SQL; every answer computed by hand below.

use serde_json::{json, Value};

use super::{csv_of, exec, json_of, rows};
use crate::helpers::*;
use crate::licensing::{at, draft, ok, setup, submitted, verb};

const MARKERS: [&str; 6] = [
    "Zwartkop-Inspecteur",
    "Kwispeldoorn-borgsom",
    "melder.canary@example.org",
    "0612349876",
    "Vlinderbos-klacht",
    "Jan de Vries",
];

struct Seeded {
    officer: String,
    max_occupants: i64,
}

async fn created(res: reqwest::Response) -> Value {
    let status = res.status();
    let body: Value = res.json().await.unwrap();
    assert_eq!(status, 201, "{body}");
    body
}

async fn inspection(app: &TestApp, token: &str, landlord: &str, on: &str, room: Value) -> Value {
    let body = json!({"status": "performed", "performed_on": on, "landlord_id": landlord,
        "address": {"postcode": "3011 AB", "house_number": 12}, "officers": [MARKERS[0]],
        "interpreter_used": false, "findings": {"rooms": [room]}});
    created(app.post("/v1/inspections", &body, Some(token)).await).await
}

async fn violation(app: &TestApp, token: &str, landlord: &str, rule: &str, on: &str) -> Value {
    let body = json!({"landlord_id": landlord, "rule": rule, "established_on": on,
        "address": {"postcode": "3011 AB", "house_number": 12}, "description": MARKERS[1],
        "evidence": {"documents": ["huurcontract-2026-3"]}});
    created(app.post("/v1/violations", &body, Some(token)).await).await
}

/// 2026: one application granted in Q1 (submitted 2 Feb, decided 20 Feb: 18 days, in time) and
/// its licence suspended on 20 April; one application submitted in Q2; inspections on 10 March
/// (entered, fire hazard: urgent; police and labour inspectorate present; referred to the labour
/// inspectorate) and 2 April (not entered; police present); violations GR-05 (12 March), GR-05
/// and GR-06 (3 April); sanctions and registration signals in SQL. Today is 15 May 2026.
async fn seed(app: &TestApp) -> Seeded {
    let s = setup(app).await; // 2 February
    let me = ok(app.get("/v1/me", Some(&s.landlord)).await).await;
    let landlord = me["landlord"]["id"].as_str().unwrap().to_string();
    // A complaint with contact data, for the search for personal data.
    let complaint = json!({"category": "intimidation", "language": "nl", "description": MARKERS[4],
        "address": {"postcode": "3011 AB", "house_number": 12},
        "contact": {"name": "Anna Vlinderbos", "email": MARKERS[2], "phone": MARKERS[3], "consent_to_contact": true}});
    created(app.post("/v1/complaints", &complaint, None).await).await;

    let a1 = submitted(app, &s).await;
    app.clock.set(at(2026, 2, 20));
    let a1 =
        ok(verb(app, a1["id"].as_str().unwrap(), "decide", Some(json!({"decision": "grant"})), &s.officer)
            .await)
        .await;
    let licence_id = a1["licence_id"].as_str().unwrap().to_string();
    let licence = ok(app.get(&format!("/v1/licences/{licence_id}"), Some(&s.officer)).await).await;
    assert_eq!(licence["valid_from"], "2026-02-20", "{licence}");
    let max_occupants = licence["max_occupants"].as_i64().unwrap();

    app.clock.set(at(2026, 3, 10));
    let room = json!({"label": "kamer 1", "entry_basis": "occupant_consent", "sleeping_room": true,
        "occupants": 1, "observations": ["fire_hazard"]});
    let i1 = inspection(app, &s.officer, &landlord, "2026-03-10", room).await;
    assert_eq!(i1["urgent"], true, "{i1}");
    app.clock.set(at(2026, 3, 12));
    let v1 = violation(app, &s.officer, &landlord, "GR-05", "2026-03-12").await;

    app.clock.set(at(2026, 4, 1));
    let p2 = app.create_property(&s.landlord, &property_body("3012 CD", 5)).await;
    let d2 = draft(app, &s.landlord, p2["id"].as_str().unwrap()).await;
    ok(verb(app, d2["id"].as_str().unwrap(), "submit", None, &s.landlord).await).await;
    app.clock.set(at(2026, 4, 2));
    let i2 = inspection(
        app,
        &s.officer,
        &landlord,
        "2026-04-02",
        json!({"label": "kamer 1", "entry_basis": "not_entered"}),
    )
    .await;
    assert_eq!(i2["urgent"], false, "{i2}");
    app.clock.set(at(2026, 4, 3));
    violation(app, &s.officer, &landlord, "GR-05", "2026-04-03").await;
    violation(app, &s.officer, &landlord, "GR-06", "2026-04-03").await;

    app.clock.set(at(2026, 4, 20));
    let suspend = json!({"ground": "conditions_violated", "motivation": "Overbewoning",
        "displacement": {"occupants_displaced": 0, "replacement_housing_arranged": false}});
    ok(app.post(&format!("/v1/licences/{licence_id}/suspend"), &suspend, Some(&s.officer)).await).await;
    app.clock.set(at(2026, 5, 15));

    let (i1, i2) = (i1["id"].as_str().unwrap(), i2["id"].as_str().unwrap());
    let (case, v) = (v1["case_id"].as_str().unwrap(), v1["id"].as_str().unwrap());
    let lod = json!({"issued_on": "2026-01-20", "compliance_deadline": "2026-02-01", "maximum": 200000,
        "complied_on": null, "lifted": null, "forfeitures": [
        {"forfeited_on": "2026-02-10", "amount": 50000, "payable_by": "2026-03-24", "collection_lapses_on": "2027-02-10",
         "inspection_on": "2026-02-10", "collection_decided_on": "2026-02-15", "reminder_on": null,
         "paid_on": "2026-04-05", "collection_lapsed_on": null},
        {"forfeited_on": "2026-04-15", "amount": 30000, "payable_by": "2026-05-27", "collection_lapses_on": "2027-04-15",
         "inspection_on": "2026-04-15", "collection_decided_on": null, "reminder_on": null,
         "paid_on": null, "collection_lapsed_on": null}]});
    // The fine decided 10 April, paid in two parts (20 April, 10 May); the annulled fine's
    // payment is not collected (as its amount is not imposed).
    let decision = |amount: i64, payments: Value, paid: i64| {
        json!({"decided_on": "2026-04-10", "notified_on": "2026-04-10", "amount": amount,
            "payment_due": "2026-05-22", "objection_ends": "2026-05-22", "decided_late": false,
            "payments": payments, "paid_cents": paid, "outstanding_cents": amount - paid})
    };
    let paid_fine = json!({"state": "decided", "rapport_date": "2026-03-20", "decision": decision(
        1_250_000,
        json!([{"paid_on": "2026-04-20", "amount": 400_000}, {"paid_on": "2026-05-10", "amount": 100_000}]),
        500_000,
    )});
    let annulled_fine = json!({"state": "annulled", "annulled_on": "2026-04-14",
        "decision": decision(999, json!([{"paid_on": "2026-04-13", "amount": 999}]), 999)});
    let sanction = |id: &str,
                    kind: &str,
                    state_name: &str,
                    state: &str,
                    step: &str,
                    amount: &str,
                    on: &str,
                    decided: &str,
                    annulled: bool| {
        format!(
            "INSERT INTO sanctions (id, municipality_code, case_id, violation_id, landlord_id, kind, rule, \
             violation_date, state_name, state, terms, proposed_step, amount_cents, effective_on, decision_date, \
             annulled, created_at, updated_at) VALUES ('{id}', '{MUNICIPALITY}', '{case}', '{v}', '{landlord}', \
             '{kind}', 'GR-05', '2026-03-12', '{state_name}', '{state}', '{{}}', '{step}', {amount}, '{on}', {decided}, \
             {annulled}, '{on} 10:00:00', '{on} 10:00:00')"
        )
    };
    exec(
        app,
        &[
            format!("INSERT INTO inspection_partners VALUES ('{i1}', 'police', '{MUNICIPALITY}')"),
            format!("INSERT INTO inspection_partners VALUES ('{i1}', 'labour_inspectorate', '{MUNICIPALITY}')"),
            format!("INSERT INTO inspection_partners VALUES ('{i2}', 'police', '{MUNICIPALITY}')"),
            format!(
                "INSERT INTO inspection_referrals (id, inspection_id, municipality_code, partner, referred_on, \
                 shared_data, legal_basis, recorded_by, created_at) VALUES ('ref-1', '{i1}', '{MUNICIPALITY}', \
                 'labour_inspectorate', '2026-03-11', '{}', 'AVG art. 6', 'officer', '2026-03-11 10:00:00')",
                MARKERS[1]
            ),
            sanction("s1", "warning", "issued", "{}", "warning", "NULL", "2026-03-15", "NULL", false),
            sanction("s2", "administrative_fine", "decided", &paid_fine.to_string(), "recidive_fine", "1250000", "2026-04-01", "'2026-04-10'", false),
            sanction("s3", "administrative_fine", "annulled", &annulled_fine.to_string(), "administrative_fine", "999", "2026-04-02", "'2026-04-12'", true),
            sanction("s4", "penalty_order", "forfeited", &lod.to_string(), "penalty_order", "NULL", "2026-01-20", "NULL", false),
            sanction("s5", "management_takeover", "running", "{}", "management_takeover", "NULL", "2026-05-01", "NULL", false),
            format!(
                "INSERT INTO registration_signals (id, municipality_code, inspection_id, postcode, house_number, \
                 address_key, persons, found_on, status, version, created_at, updated_at) VALUES ('r1', \
                 '{MUNICIPALITY}', '{i1}', '3011AB', 12, '3011AB-12', 3, '2026-03-10', 'open', 1, \
                 '2026-03-10 10:00:00', '2026-03-10 10:00:00')"
            ),
            format!(
                "INSERT INTO registration_signals (id, municipality_code, inspection_id, postcode, house_number, \
                 address_key, persons, found_on, status, outcome, investigation_started_on, concluded_on, version, \
                 created_at, updated_at) VALUES ('r2', '{MUNICIPALITY}', '{i2}', '3011AB', 12, '3011AB-12', 2, \
                 '2026-04-02', 'concluded', 'registered', '2026-04-10', '2026-04-20', 1, '2026-04-02 10:00:00', \
                 '2026-04-20 10:00:00')"
            ),
        ],
    );
    Seeded { officer: s.officer, max_occupants }
}

#[tokio::test]
async fn licensing_statistics_answer_the_hand_computed_numbers_and_the_csv_says_the_same() {
    let app = spawn_app_at(at(2026, 2, 2)).await;
    let s = seed(&app).await;
    let a = json_of(&app, "/v1/statistics/licensing", &s.officer).await;
    assert_eq!(
        (&a["statistics"], &a["from"], &a["to"], &a["group_by"]),
        (&json!("licensing"), &json!("2026-01-01"), &json!("2026-05-15"), &json!("quarter"))
    );
    assert_eq!(a["municipalities"], json!([MUNICIPALITY]));
    assert_eq!(
        rows(&a, "applications_by_kind_and_state"),
        vec![
            vec![json!("2026-Q1"), json!("labour_migrant"), json!("granted"), json!(1)],
            vec![json!("2026-Q2"), json!("labour_migrant"), json!("submitted"), json!(1)],
        ]
    );
    assert_eq!(rows(&a, "decisions_by_outcome"), vec![vec![json!("2026-Q1"), json!("granted"), json!(1)]]);
    assert_eq!(
        rows(&a, "decision_time"),
        vec![
            vec![json!("2026-Q1"), json!("all"), json!(1), json!(1), json!(1.0), json!(18.0)],
            vec![json!("2026-Q1"), json!("labour_migrant"), json!(1), json!(1), json!(1.0), json!(18.0)],
        ]
    );
    assert_eq!(
        rows(&a, "suspensions_by_cause"),
        vec![vec![json!("2026-Q2"), json!("conditions_violated"), json!(1)]]
    );
    assert!(rows(&a, "revocations_by_cause").is_empty());
    // In force on 31 March; on 15 May the licence is suspended.
    assert_eq!(
        rows(&a, "licences_in_force"),
        vec![vec![
            json!("2026-Q1"),
            json!("labour_migrant"),
            json!("3011"),
            json!(1),
            json!(s.max_occupants)
        ]]
    );
    // By month: the application of February and the one of April.
    let m =
        json_of(&app, "/v1/statistics/licensing?from=2026-02-01&to=2026-04-30&group_by=month", &s.officer)
            .await;
    let periods: Vec<Value> =
        rows(&m, "applications_by_kind_and_state").into_iter().map(|r| r[0].clone()).collect();
    assert_eq!(periods, vec![json!("2026-02"), json!("2026-04")]);
    // Licences in force at the end of February, March and on 30 April.
    let in_force: Vec<Value> = rows(&m, "licences_in_force").into_iter().map(|r| r[0].clone()).collect();
    assert_eq!(in_force, vec![json!("2026-02"), json!("2026-03")]);
    assert_csv_matches_json(&app, "/v1/statistics/licensing", &a, &s.officer).await;
}

#[tokio::test]
async fn enforcement_statistics_answer_the_hand_computed_numbers_and_the_csv_says_the_same() {
    let app = spawn_app_at(at(2026, 2, 2)).await;
    let s = seed(&app).await;
    let e = json_of(&app, "/v1/statistics/enforcement?format=json", &s.officer).await;
    let q = |p: &str| json!(p);
    // inspections, with entry, without entry, urgent, with a partner present
    assert_eq!(
        rows(&e, "inspections"),
        vec![
            vec![q("2026-Q1"), json!(1), json!(1), json!(0), json!(1), json!(1)],
            vec![q("2026-Q2"), json!(1), json!(0), json!(1), json!(0), json!(1)]
        ]
    );
    assert_eq!(
        rows(&e, "joint_inspections_by_partner"),
        vec![
            vec![q("2026-Q1"), q("labour_inspectorate"), json!(1)],
            vec![q("2026-Q1"), q("police"), json!(1)],
            vec![q("2026-Q2"), q("police"), json!(1)],
        ]
    );
    assert_eq!(
        rows(&e, "inspection_referrals_by_partner"),
        vec![vec![q("2026-Q1"), q("labour_inspectorate"), json!(1)]]
    );
    assert_eq!(
        rows(&e, "violations_by_rule"),
        vec![
            vec![q("2026-Q1"), q("GR-05"), json!(1)],
            vec![q("2026-Q2"), q("GR-05"), json!(1)],
            vec![q("2026-Q2"), q("GR-06"), json!(1)]
        ]
    );
    assert_eq!(
        rows(&e, "sanctions_by_kind_and_state"),
        vec![
            vec![q("2026-Q1"), q("penalty_order"), q("forfeited"), json!(1)],
            vec![q("2026-Q1"), q("warning"), q("issued"), json!(1)],
            vec![q("2026-Q2"), q("administrative_fine"), q("annulled"), json!(1)],
            vec![q("2026-Q2"), q("administrative_fine"), q("decided"), json!(1)],
            vec![q("2026-Q2"), q("management_takeover"), q("running"), json!(1)],
        ]
    );
    // The annulled fine is neither imposed nor collected; the other is paid €4,000 + €1,000.
    assert_eq!(rows(&e, "fines"), vec![vec![q("2026-Q2"), json!(1), json!(1_250_000), json!(500_000)]]);
    // Forfeited 10 Feb (€500, paid 5 April) and 15 April (€300, open).
    assert_eq!(
        rows(&e, "penalty_orders_forfeited"),
        vec![
            vec![q("2026-Q1"), json!(1), json!(50_000), json!(0)],
            vec![q("2026-Q2"), json!(1), json!(30_000), json!(50_000)]
        ]
    );
    assert_eq!(rows(&e, "recidive"), vec![vec![q("2026-Q2"), json!(1)]]);
    assert_eq!(rows(&e, "takeovers"), vec![vec![q("2026-Q2"), q("running"), json!(1)]]);
    assert_eq!(
        rows(&e, "registration_signals"),
        vec![
            vec![q("2026-Q1"), q("open"), q("none"), json!(1), json!(3)],
            vec![q("2026-Q2"), q("concluded"), q("registered"), json!(1), json!(2)]
        ]
    );
    // A period that leaves out Q1 counts only Q2's items.
    let e2 =
        json_of(&app, "/v1/statistics/enforcement?from=2026-04-01&to=2026-04-30&group_by=year", &s.officer)
            .await;
    assert_eq!(
        rows(&e2, "violations_by_rule"),
        vec![vec![q("2026"), q("GR-05"), json!(1)], vec![q("2026"), q("GR-06"), json!(1)]]
    );
    assert_eq!(
        rows(&e2, "penalty_orders_forfeited"),
        vec![vec![q("2026"), json!(1), json!(30_000), json!(50_000)]]
    );
    assert_csv_matches_json(&app, "/v1/statistics/enforcement", &e, &s.officer).await;
}

/// The CSV (long layout) holds exactly the JSON's values, one line per row and measure.
async fn assert_csv_matches_json(app: &TestApp, path: &str, answer: &Value, token: &str) {
    let (records, _) = csv_of(app, path, token).await;
    assert_eq!(
        records[0],
        ["statistic", "period", "dimension_1", "key_1", "dimension_2", "key_2", "measure", "value"]
    );
    let mut expected = Vec::new();
    for t in answer["tables"].as_array().unwrap() {
        let dims: Vec<&str> =
            t["dimensions"].as_array().unwrap().iter().map(|d| d.as_str().unwrap()).collect();
        for r in t["rows"].as_array().unwrap() {
            for m in t["measures"].as_array().unwrap() {
                let m = m.as_str().unwrap();
                let key =
                    |i: usize| dims.get(i).map(|d| r[*d].as_str().unwrap().to_string()).unwrap_or_default();
                let dim = |i: usize| dims.get(i).map(|d| (*d).to_string()).unwrap_or_default();
                let value = match &r[m] {
                    Value::Null => String::new(),
                    v => v.as_f64().unwrap().to_string(),
                };
                expected.push(vec![
                    t["name"].as_str().unwrap().to_string(),
                    key(0),
                    dim(1),
                    key(1),
                    dim(2),
                    key(2),
                    m.to_string(),
                    value,
                ]);
            }
        }
    }
    let got: Vec<Vec<String>> = records[1..]
        .iter()
        .map(|r| {
            let mut r = r.clone();
            if !r[7].is_empty() {
                r[7] = r[7].parse::<f64>().unwrap().to_string();
            }
            r
        })
        .collect();
    assert!(!got.is_empty());
    assert_eq!(got, expected);
}

#[tokio::test]
async fn the_monitoring_export_has_a_row_per_municipality_with_fixed_columns() {
    let app = spawn_app_at(at(2026, 2, 2)).await;
    let s = seed(&app).await;
    let m = json_of(&app, "/v1/statistics/monitoring?year=2026&quarter=2&format=json", &s.officer).await;
    assert_eq!(
        (&m["from"], &m["to"]),
        (&json!("2026-04-01"), &json!("2026-05-15")),
        "the running quarter ends today"
    );
    let (records, _) = csv_of(&app, "/v1/statistics/monitoring?year=2026&quarter=2", &s.officer).await;
    let header = &records[0];
    assert_eq!(
        header.iter().map(String::as_str).collect::<Vec<_>>(),
        m["columns"].as_array().unwrap().iter().map(|c| c.as_str().unwrap()).collect::<Vec<_>>()
    );
    assert_eq!(records.len(), 2, "one municipality in scope");
    let row = m["rows"][0].clone();
    let csv: std::collections::HashMap<&str, &str> =
        header.iter().map(String::as_str).zip(records[1].iter().map(String::as_str)).collect();
    let expected = [
        ("municipality_code", json!(MUNICIPALITY)),
        ("year", json!(2026)),
        ("quarter", json!(2)),
        ("applications_received", json!(1)),
        ("decisions_granted", json!(0)),
        ("licences_in_force", json!(0)),
        ("max_occupants_in_force", json!(0)),
        ("suspensions", json!(1)),
        ("revocations", json!(0)),
        ("inspections", json!(1)),
        ("inspections_without_entry", json!(1)),
        ("joint_inspections", json!(1)),
        ("inspection_referrals", json!(0)),
        ("violations", json!(2)),
        ("warnings", json!(0)),
        ("penalty_orders", json!(0)),
        ("fines_imposed", json!(1)),
        ("fines_imposed_cents", json!(1_250_000)),
        ("fines_collected_cents", json!(500_000)),
        ("penalty_sums_forfeited_cents", json!(30_000)),
        ("penalty_sums_collected_cents", json!(50_000)),
        ("recidive_cases", json!(1)),
        ("takeovers", json!(1)),
        ("registration_signals", json!(1)),
        ("median_decision_days", Value::Null),
    ];
    for (column, value) in expected {
        assert_eq!(row[column], value, "{column}");
        let text = match &value {
            Value::String(s) => s.clone(),
            Value::Null => String::new(),
            v => v.to_string(),
        };
        assert_eq!(csv[column], text, "{column} in the CSV");
    }
    // The meldpunt columns are there (filled by the meldpunt statistics).
    for column in [
        "reports_received",
        "reports_handled",
        "reports_handled_within_term",
        "median_handling_days",
        "exploitation_signals",
        "partner_signals",
        "complaint_referrals",
    ] {
        assert!(csv.contains_key(column) && row.get(column).is_some(), "{column}");
    }
    // Q1: the licence granted in February is in force on 31 March.
    let q1 = json_of(&app, "/v1/statistics/monitoring?year=2026&quarter=1", &s.officer).await;
    assert_eq!(q1["rows"][0]["licences_in_force"], 1);
    assert_eq!(q1["rows"][0]["max_occupants_in_force"], s.max_occupants);
    assert_eq!(q1["rows"][0]["median_decision_days"], 18.0);
    assert_eq!(q1["rows"][0]["decided_within_term"], 1);
}

#[tokio::test]
async fn no_export_contains_the_personal_data_of_the_data_set() {
    let app = spawn_app_at(at(2026, 2, 2)).await;
    let s = seed(&app).await;
    let mut texts = Vec::new();
    for subject in ["meldpunt", "licensing", "enforcement"] {
        for group_by in ["month", "year"] {
            let path = format!("/v1/statistics/{subject}?group_by={group_by}");
            texts.push(json_of(&app, &path, &s.officer).await.to_string());
            texts.push(csv_of(&app, &path, &s.officer).await.1);
        }
    }
    for quarter in 1..=2 {
        let path = format!("/v1/statistics/monitoring?year=2026&quarter={quarter}");
        texts.push(json_of(&app, &path, &s.officer).await.to_string());
        texts.push(csv_of(&app, &path, &s.officer).await.1);
    }
    for text in &texts {
        for marker in MARKERS.iter().chain(&[
            "Vlinderbos",
            "verhuurder@example.nl",
            "Overbewoning",
            "3011 AB",
            "3011AB",
        ]) {
            assert!(!text.contains(marker), "{marker} in an export: {text}");
        }
    }
}
