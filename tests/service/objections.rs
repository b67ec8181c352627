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
