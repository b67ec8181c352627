//! The dashboard window of objection deadlines (`service::objections::due_between`): open
//! objections due in the window or overdue, never decided ones or other municipalities'.

use chrono::NaiveDate;
use huurtoezicht::db::objections::{self as q, ObjectionMeta, ObjectionRow};
use huurtoezicht::domain::calendar::HolidayCalendar;
use huurtoezicht::domain::objections::{BesluitKind, LodgedByKind, Objection, ObjectionState};
use huurtoezicht::service::{self, objections};

use crate::common::{fresh_db, now, officer, system, MUNICIPALITY};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn row(id: &str, municipality: &str, received_on: NaiveDate, state: ObjectionState) -> ObjectionRow {
    let mut o =
        Objection::receive(BesluitKind::Fine, d(2026, 8, 3), received_on, false, &HolidayCalendar::default())
            .unwrap();
    o.state = state;
    ObjectionRow::new(
        ObjectionMeta {
            id: id.into(),
            municipality_code: municipality.into(),
            landlord_id: "landlord-1".into(),
            besluit_id: format!("fine-{id}"),
            lodged_by_kind: LodgedByKind::Addressee,
            lodged_by_description: "de verhuurder".into(),
            grounds_summary: None,
            created_by: None,
            created_at: now(),
        },
        &o,
    )
}

#[tokio::test]
async fn the_dashboard_window_holds_open_objections_due_in_it_and_the_overdue_ones() {
    let t = fresh_db();
    // Made known Monday 3 August 2026: objection term ends Monday 14 September; on-time
    // objections are due Monday 26 October (overdue on 2 November). A late one received
    // 21 September is due 2 November; one received 5 October is due 16 November.
    service::write(&t.db, system(), |tx| {
        q::insert(tx.conn, &row("a-overdue", MUNICIPALITY, d(2026, 9, 1), ObjectionState::Received))?;
        q::insert(tx.conn, &row("b-today", MUNICIPALITY, d(2026, 9, 21), ObjectionState::Heard))?;
        q::insert(tx.conn, &row("c-later", MUNICIPALITY, d(2026, 10, 5), ObjectionState::Received))?;
        q::insert(tx.conn, &row("d-decided", MUNICIPALITY, d(2026, 9, 1), ObjectionState::Decided))?;
        q::insert(tx.conn, &row("e-elsewhere", "GM0363", d(2026, 9, 1), ObjectionState::Received))
    })
    .await
    .unwrap();
    let window = service::read(&t.db, officer(), |tx| {
        objections::due_between(tx, MUNICIPALITY, d(2026, 11, 2), d(2026, 11, 9))
    })
    .await
    .unwrap();
    let got: Vec<(&str, NaiveDate, bool)> =
        window.iter().map(|w| (w.objection_id.as_str(), w.decision_due_on, w.overdue)).collect();
    assert_eq!(got, vec![("a-overdue", d(2026, 10, 26), true), ("b-today", d(2026, 11, 2), false)]);
}

#[derive(diesel::QueryableByName)]
struct PlanRow {
    #[diesel(sql_type = diesel::sql_types::Text)]
    detail: String,
}

#[test]
fn the_objection_lists_run_on_their_indexes_in_due_date_order() {
    use diesel::connection::InstrumentationEvent;
    use diesel::{Connection, RunQueryDsl, SqliteConnection};
    use huurtoezicht::db::objections::ObjectionFilter;
    use huurtoezicht::db::scope::Scope;
    use std::sync::{Arc, Mutex};

    // SQLite only: PostgreSQL plans by statistics (see query_plans.rs).
    if std::env::var("TEST_DATABASE_URL").is_ok_and(|v| !v.is_empty()) {
        return;
    }
    let t = fresh_db();
    let mut raw = SqliteConnection::establish(t.url.trim_start_matches("sqlite://")).unwrap();
    let scope = Scope::municipality(MUNICIPALITY);
    let cases: Vec<(&str, bool, ObjectionFilter)> = vec![
        ("objections_due", true, ObjectionFilter::default()),
        (
            "objections_due",
            true,
            ObjectionFilter { after: Some("2026-11-02|x".into()), ..Default::default() },
        ),
        ("objections_due", true, ObjectionFilter { due_before: Some(d(2026, 12, 1)), ..Default::default() }),
        (
            "objections_state_due",
            true,
            ObjectionFilter { state: Some(ObjectionState::Received), ..Default::default() },
        ),
        (
            "objections_kind_due",
            true,
            ObjectionFilter { besluit_kind: Some(BesluitKind::Fine), ..Default::default() },
        ),
        (
            "objections_landlord",
            true,
            ObjectionFilter { landlord_id: Some("l".into()), ..Default::default() },
        ),
        // Overdue: a range on the due date; the three open states may need a sort of the
        // (small) overdue set.
        ("objections_due", false, ObjectionFilter { overdue_on: Some(d(2026, 11, 2)), ..Default::default() }),
    ];
    let mut failures = Vec::new();
    for (index, ordered, f) in cases {
        let mut conn = t.db.get().unwrap();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let sink = Arc::clone(&seen);
        conn.set_instrumentation(move |event: InstrumentationEvent<'_>| {
            if let InstrumentationEvent::StartQuery { query, .. } = event {
                let sql = query.to_string();
                sink.lock().unwrap().push(sql.split(" -- binds: ").next().unwrap_or_default().to_string());
            }
        });
        let scope = if f.landlord_id.is_some() { system().scope } else { scope.clone() };
        q::list(&mut conn, &scope, &ObjectionFilter { limit: 51, ..f }).unwrap();
        let sent: Vec<String> =
            seen.lock().unwrap().iter().filter(|s| s.contains("FROM `objections`")).cloned().collect();
        if sent.is_empty() {
            failures.push(format!("{index}: no statement on objections captured"));
        }
        for sql in sent {
            let plan: Vec<String> = diesel::sql_query(format!("EXPLAIN QUERY PLAN {sql}"))
                .load::<PlanRow>(&mut raw)
                .unwrap()
                .into_iter()
                .map(|r| r.detail)
                .collect();
            let text = plan.join(" | ");
            let searched = plan.iter().any(|p| p.contains(&format!("USING INDEX {index} (")));
            let sorted = text.contains("USE TEMP B-TREE FOR ORDER BY");
            if !searched || text.contains("SCAN objections") || (ordered && sorted) {
                failures.push(format!("{index}: {text}\n  {sql}"));
            }
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}
