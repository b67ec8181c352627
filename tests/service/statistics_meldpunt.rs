//! The meldpunt's statistics on a small data set whose answers are worked out by hand below,
//! filed and worked through the use cases (intake, triage, referral, closing, merge, links,
//! property changes), and the counters behind them compared with a direct aggregate of the
//! complaints after every step.

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::{Datelike, NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use huurtoezicht::db::complaints::Complaint;
use huurtoezicht::db::schema::{complaint_handling_counts, complaint_stat_counts, complaints, properties};
use huurtoezicht::db::scope::Scope;
use huurtoezicht::db::statistics::meldpunt as counters;
use huurtoezicht::domain::code::Code;
use huurtoezicht::domain::complaints::{
    signals_from_text, Anonymity, Catalogue, ComplaintAction, ExploitationSignal, Partner, DEFAULT_CATALOGUE,
};
use huurtoezicht::domain::ids::Postcode;
use huurtoezicht::domain::licensing_codes::PropertyKind;
use huurtoezicht::domain::statistics::{GroupBy, StatPeriod, StatTable, StatValue};
use huurtoezicht::service::complaints::intake::{intake, Intake, Portal, TrackingCode};
use huurtoezicht::service::complaints::link::{link, Link};
use huurtoezicht::service::complaints::merge::{merge, Merge};
use huurtoezicht::service::complaints::referral::{add_referral, AddReferral};
use huurtoezicht::service::complaints::transition::{transition, Transition};
use huurtoezicht::service::licensing::properties::{
    self as property_uc, CreateProperty, FacilityCounts, UpdateProperty,
};
use huurtoezicht::service::statistics::meldpunt::tables;
use huurtoezicht::service::statistics::StatQuery;
use huurtoezicht::service::{self, Ctx};

use crate::common::{fresh_db, officer, TestDb, MUNICIPALITY};

const OTHER_MUNICIPALITY: &str = "GM0363";

fn d(m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, m, day).unwrap()
}

fn at(day: NaiveDate) -> NaiveDateTime {
    day.and_hms_opt(10, 0, 0).unwrap()
}

/// An anonymous reporter on `day`.
fn reporter(day: NaiveDate) -> Ctx {
    Ctx::anonymous(at(day), day, None)
}

/// The officer of the test municipality on `day`.
fn officer_on(day: NaiveDate) -> Ctx {
    let mut ctx = officer();
    ctx.now = at(day);
    ctx.today = day;
    ctx
}

fn catalogue() -> Arc<Catalogue> {
    Arc::new(Catalogue::parse(DEFAULT_CATALOGUE).unwrap())
}

struct Report {
    municipality: &'static str,
    category: &'static str,
    postcode: Option<&'static str>,
    signals: Vec<ExploitationSignal>,
    portal: bool,
}

fn report(category: &'static str, postcode: Option<&'static str>) -> Report {
    Report { municipality: MUNICIPALITY, category, postcode, signals: vec![], portal: false }
}

/// Files `r` on `day`; returns the complaint's id.
async fn file(t: &TestDb, day: NaiveDate, r: Report) -> String {
    let cat = catalogue();
    let cmd = Intake {
        tracking_code: TrackingCode::generate(),
        municipality: r.municipality.into(),
        category: cat.category(r.category).unwrap().into(),
        language: "nl".into(),
        description: "Twaalf mensen in vier kamers.".into(),
        postcode: r.postcode.map(|p| Postcode::parse(p).unwrap()),
        house_number: r.postcode.map(|_| 12),
        house_number_addition: None,
        location_description: None,
        signals: r.signals,
        anonymity: Anonymity::AnonymousToLandlord,
        contact: None,
        portal: r.portal.then(|| Portal {
            client_id: "portal-1".into(),
            idempotency_key: uuid::Uuid::new_v4().to_string(),
            fingerprint: "f".repeat(64),
        }),
        attachments: vec![],
        partner: None,
    };
    let new = service::write(&t.db, reporter(day), move |tx| intake(tx, cmd)).await.unwrap().unwrap();
    new.complaint.id
}

async fn act(t: &TestDb, day: NaiveDate, id: &str, action: ComplaintAction) {
    let cmd =
        Transition { complaint_id: id.into(), action, reason: "beoordeeld".into(), catalogue: catalogue() };
    service::write(&t.db, officer_on(day), move |tx| transition(tx, cmd)).await.unwrap();
}

async fn refer(t: &TestDb, day: NaiveDate, id: &str, partner: Partner) {
    let cmd = AddReferral {
        complaint_id: id.into(),
        partner,
        referred_on: day,
        shared_data: "adres en categorie".into(),
        legal_basis: "art. 6 lid 1 sub e AVG".into(),
        recorded_by: "officer-1".into(),
        content: Default::default(),
    };
    service::write(&t.db, officer_on(day), move |tx| add_referral(tx, cmd)).await.unwrap();
}

async fn link_property(t: &TestDb, day: NaiveDate, id: &str, property_id: &str) {
    let cmd = Link {
        complaint_id: id.into(),
        property_id: Some(property_id.into()),
        landlord_id: None,
        licence_id: None,
        enforcement_case_id: None,
    };
    service::write(&t.db, officer_on(day), move |tx| link(tx, cmd)).await.unwrap();
}

async fn create_property(t: &TestDb, neighbourhood: &str) -> String {
    let cmd = CreateProperty {
        municipality_code: MUNICIPALITY.into(),
        landlord_id: None,
        postcode: "3011AB".into(),
        house_number: 12,
        house_number_addition: String::new(),
        bag_id: None,
        neighbourhood_code: Some(neighbourhood.into()),
        kind: PropertyKind::RoomsLetSeparately,
        usable_floor_area_dm2: 9000,
        rooms: vec![],
        facilities: FacilityCounts::default(),
        intermediary_id: None,
    };
    service::write(&t.db, officer(), move |tx| property_uc::create(tx, cmd)).await.unwrap().property.id
}

async fn set_neighbourhood(t: &TestDb, property_id: &str, code: &str) {
    let cmd = UpdateProperty {
        viewer: huurtoezicht::db::properties::Viewer::Staff(Scope::municipality(MUNICIPALITY)),
        id: property_id.into(),
        postcode: None,
        house_number: None,
        house_number_addition: None,
        bag_id: None,
        neighbourhood_code: Some(code.into()),
        kind: None,
        usable_floor_area_dm2: None,
        rooms: None,
        facilities: None,
        building_permit_missing: None,
        intermediary_id: None,
    };
    service::write(&t.db, officer(), move |tx| property_uc::update(tx, cmd)).await.unwrap();
}

/// Every counter, as (table, municipality, day, dimension, key) → n, leaving out zeros.
type Counters = BTreeMap<(String, String, NaiveDate, String, String), i64>;

fn stored_counters(t: &TestDb) -> Counters {
    let mut conn = t.db.get().unwrap();
    let mut out = Counters::new();
    let counts: Vec<(String, String, String, NaiveDate, String, i32)> = complaint_stat_counts::table
        .select((
            complaint_stat_counts::municipality_code,
            complaint_stat_counts::metric,
            complaint_stat_counts::span,
            complaint_stat_counts::day,
            complaint_stat_counts::key,
            complaint_stat_counts::n,
        ))
        .load(&mut *conn)
        .unwrap();
    for (m, metric, span, day, key, n) in counts.into_iter().filter(|r| r.5 != 0) {
        out.insert((format!("count/{span}"), m, day, metric, key), i64::from(n));
    }
    let handling: Vec<(String, String, NaiveDate, String, i32, bool, i32)> = complaint_handling_counts::table
        .select((
            complaint_handling_counts::municipality_code,
            complaint_handling_counts::span,
            complaint_handling_counts::day,
            complaint_handling_counts::category,
            complaint_handling_counts::days,
            complaint_handling_counts::within_term,
            complaint_handling_counts::n,
        ))
        .load(&mut *conn)
        .unwrap();
    for (m, span, day, cat, days, within, n) in handling.into_iter().filter(|r| r.6 != 0) {
        out.insert((format!("handling/{span}"), m, day, cat, format!("{days}/{within}")), i64::from(n));
    }
    out
}

/// The same counters aggregated directly from the complaints and properties, by the documented
/// definitions (independently of the code that keeps them).
fn aggregate(t: &TestDb) -> Counters {
    let mut conn = t.db.get().unwrap();
    let all: Vec<Complaint> = complaints::table.select(Complaint::as_select()).load(&mut *conn).unwrap();
    let hoods: BTreeMap<String, Option<String>> = properties::table
        .select((properties::id, properties::neighbourhood_code))
        .load::<(String, Option<String>)>(&mut *conn)
        .unwrap()
        .into_iter()
        .collect();
    let mut out = Counters::new();
    // Each report counts in the row of its day and in the row of its month (dated the 1st).
    let mut add = |k: (&str, &str, NaiveDate, &str, String)| {
        let month = NaiveDate::from_ymd_opt(k.2.year(), k.2.month(), 1).unwrap();
        *out.entry((format!("{}/day", k.0), k.1.into(), k.2, k.3.into(), k.4.clone())).or_insert(0) += 1;
        *out.entry((format!("{}/month", k.0), k.1.into(), month, k.3.into(), k.4)).or_insert(0) += 1;
    };
    for c in all.iter().filter(|c| c.merged_into.is_none()) {
        let (m, day) = (c.municipality_code.as_str(), c.received_on);
        add(("count", m, day, "category", c.category.clone()));
        let area = c.postcode.as_ref().map_or("unknown".to_string(), |p| p[..4].to_string());
        add(("count", m, day, "area", area));
        add(("count", m, day, "channel", c.channel.code().into()));
        add(("count", m, day, "status", c.status.code().into()));
        if let Some(Some(hood)) = c.property_id.as_ref().and_then(|p| hoods.get(p)) {
            add(("count", m, day, "neighbourhood", hood.clone()));
        }
        for s in signals_from_text(&c.signals) {
            add(("count", m, day, "signal", s.code().into()));
        }
        if let Some(o) = c.outcome_on {
            let days = (o - c.received_on).num_days();
            add(("handling", m, o, &c.category, format!("{days}/{}", o <= c.due_on)));
        }
    }
    out
}

fn assert_counters_match(t: &TestDb, step: &str) {
    assert_eq!(stored_counters(t), aggregate(t), "counters after {step}");
}

/// The data set: eight reports of the test municipality and one of another, worked through the
/// meldpunt's use cases. Returns the ids (a, b, c, d, e, f, g, h).
async fn seed(t: &TestDb) -> [String; 8] {
    let q1 = d(2, 10);
    // A: intimidation (term 28 days) in 3011, closed unfounded after 10 days: within the term.
    let a = file(t, q1, report("intimidation", Some("3011 AB"))).await;
    // B: intimidation in 3011 with two exploitation signals; stays open.
    let mut rb = report("intimidation", Some("3011 CD"));
    rb.signals = vec![ExploitationSignal::DocumentsWithheld, ExploitationSignal::Underpaid];
    let b = file(t, q1, rb).await;
    // C: overcrowding (term 14 days) in 3012 through a portal; referred to the labour
    // inspectorate on 1 March, marked referred on 2 April: 51 days, past its term (24 Feb).
    let mut rc = report("overcrowding", Some("3012 AA"));
    rc.portal = true;
    let c = file(t, q1, rc).await;
    // D: overcrowding without an address, closed unfounded after 7 days.
    let dd = file(t, q1, report("overcrowding", None)).await;
    // H: received on 31 December 2025 (before the period), closed on 5 January 2026: not a
    // report of 2026, but handled in 2026-Q1 (5 days, within its term).
    let h = file(t, NaiveDate::from_ymd_opt(2025, 12, 31).unwrap(), report("intimidation", Some("3011 AB")))
        .await;
    // Another municipality: never in the test municipality's statistics.
    let mut other = report("intimidation", Some("1012 AB"));
    other.municipality = OTHER_MUNICIPALITY;
    file(t, q1, other).await;
    assert_counters_match(t, "the first quarter's intake");

    act(t, d(1, 5), &h, ComplaintAction::CloseUnfounded).await;
    act(t, d(2, 11), &a, ComplaintAction::Triage).await;
    act(t, d(2, 20), &a, ComplaintAction::CloseUnfounded).await;
    act(t, d(2, 17), &dd, ComplaintAction::CloseUnfounded).await;
    refer(t, d(3, 1), &c, Partner::LabourInspectorate).await;
    act(t, d(4, 2), &c, ComplaintAction::Refer).await;
    assert_counters_match(t, "closing and referring");

    let q2 = d(5, 4);
    // E: intimidation in 3011 with a signal; F its duplicate (triaged first, with another
    // signal), merged into E: counted once, and E takes F's signal.
    let mut re = report("intimidation", Some("3011 AB"));
    re.signals = vec![ExploitationSignal::Underpaid];
    let e = file(t, q2, re).await;
    let mut rf = report("intimidation", Some("3011 AB"));
    rf.signals = vec![ExploitationSignal::ViolenceOrThreats];
    let f = file(t, q2, rf).await;
    // G: deposit too high in 2511, triaged: its status count moves from received to triaged.
    let g = file(t, q2, report("deposit_too_high", Some("2511 CV"))).await;
    act(t, d(5, 5), &g, ComplaintAction::Triage).await;
    act(t, d(5, 5), &f, ComplaintAction::Triage).await;
    assert_counters_match(t, "the second quarter's intake");
    let (fid, eid, cat) = (f.clone(), e.clone(), catalogue());
    service::write(&t.db, officer_on(d(5, 6)), move |tx| {
        merge(tx, Merge { complaint_id: fid, into: eid, reason: "zelfde adres".into(), catalogue: cat })
    })
    .await
    .unwrap();
    refer(t, d(5, 6), &e, Partner::Police).await;
    assert_counters_match(t, "the merge");

    // The neighbourhood follows the property: E and B linked to it, then its code changes.
    let p = create_property(t, "BU05990101").await;
    link_property(t, d(5, 7), &e, &p).await;
    assert_counters_match(t, "linking a property");
    set_neighbourhood(t, &p, "BU05990102").await;
    link_property(t, d(5, 8), &b, &p).await;
    assert_counters_match(t, "changing the property's neighbourhood");
    [a, b, c, dd, e, f, g, h]
}

async fn answer(t: &TestDb, from: NaiveDate, to: NaiveDate, group_by: GroupBy) -> Vec<StatTable> {
    let q = StatQuery { period: StatPeriod::new(from, to).unwrap(), group_by };
    service::read(&t.db, officer(), move |tx| tables(tx, q)).await.unwrap()
}

/// A table's rows as `period|key… = measures`.
fn rows(tables: &[StatTable], name: &str) -> Vec<String> {
    let t = tables.iter().find(|t| t.name == name).unwrap_or_else(|| panic!("no table {name}"));
    assert_eq!(t.dimensions[0], "period");
    assert!(t.suppress_small_counts);
    t.rows
        .iter()
        .map(|r| {
            let values: Vec<String> = r
                .values
                .iter()
                .map(|v| match v {
                    StatValue::Count(n) | StatValue::Cents(n) => n.to_string(),
                    StatValue::Days(x) | StatValue::Share(x) => x.map_or("-".into(), |x| format!("{x:.2}")),
                })
                .collect();
            format!("{} = {}", r.keys.join("|"), values.join(" "))
        })
        .collect()
}

#[tokio::test]
async fn every_meldpunt_statistic_answers_the_hand_counted_figures() {
    let t = fresh_db();
    {
        let mut conn = t.db.get().unwrap();
        huurtoezicht::db::accounts::ensure_municipality(
            &mut conn,
            OTHER_MUNICIPALITY,
            "Amsterdam",
            at(d(1, 1)),
        )
        .unwrap();
    }
    seed(&t).await;
    let all = answer(&t, d(1, 1), d(12, 31), GroupBy::Quarter).await;
    let names: Vec<&str> = all.iter().map(|t| t.name).collect();
    assert_eq!(
        names,
        [
            "reports_by_category",
            "reports_by_area",
            "reports_by_neighbourhood",
            "reports_by_channel",
            "reports_by_status",
            "handling",
            "exploitation_signals",
            "referrals_by_partner"
        ]
    );
    assert_eq!(
        rows(&all, "reports_by_category"),
        [
            "2026-Q1|intimidation = 2",
            "2026-Q1|overcrowding = 2",
            "2026-Q2|deposit_too_high = 1",
            "2026-Q2|intimidation = 1"
        ]
    );
    assert_eq!(
        rows(&all, "reports_by_area"),
        [
            "2026-Q1|3011 = 2",
            "2026-Q1|3012 = 1",
            "2026-Q1|unknown = 1",
            "2026-Q2|2511 = 1",
            "2026-Q2|3011 = 1"
        ]
    );
    assert_eq!(rows(&all, "reports_by_neighbourhood"), ["2026-Q1|BU05990102 = 1", "2026-Q2|BU05990102 = 1"]);
    assert_eq!(
        rows(&all, "reports_by_channel"),
        ["2026-Q1|portal = 1", "2026-Q1|public = 3", "2026-Q2|public = 2"]
    );
    assert_eq!(
        rows(&all, "reports_by_status"),
        [
            "2026-Q1|closed_unfounded = 2",
            "2026-Q1|received = 1",
            "2026-Q1|referred = 1",
            "2026-Q2|received = 1",
            "2026-Q2|triaged = 1"
        ]
    );
    // Q1: A 10 days, H 5 days (intimidation), D 7 days (overcrowding), all within their terms.
    // Nearest rank: of [5, 10] the median is rank 1 (5), the 90th percentile rank 2 (10); of
    // [5, 7, 10] rank 2 (7) and rank 3 (10). Q2: C 51 days, past its term.
    assert_eq!(
        t_handling(&all),
        [
            "2026-Q1|all = 3 3 1.00 7.00 10.00",
            "2026-Q1|intimidation = 2 2 1.00 5.00 10.00",
            "2026-Q1|overcrowding = 1 1 1.00 7.00 7.00",
            "2026-Q2|all = 1 0 0.00 51.00 51.00",
            "2026-Q2|overcrowding = 1 0 0.00 51.00 51.00"
        ]
    );
    assert_eq!(
        rows(&all, "exploitation_signals"),
        [
            "2026-Q1|documents_withheld = 1",
            "2026-Q1|underpaid = 1",
            "2026-Q2|underpaid = 1",
            "2026-Q2|violence_or_threats = 1"
        ]
    );
    assert_eq!(rows(&all, "referrals_by_partner"), ["2026-Q1|labour_inspectorate = 1", "2026-Q2|police = 1"]);

    // A period that cuts a quarter counts only its own days; a year of 2025 has H only.
    let march_april = answer(&t, d(3, 1), d(4, 30), GroupBy::Month).await;
    assert!(rows(&march_april, "reports_by_category").is_empty());
    assert_eq!(rows(&march_april, "referrals_by_partner"), ["2026-03|labour_inspectorate = 1"]);
    assert_eq!(
        rows(&march_april, "handling"),
        ["2026-04|all = 1 0 0.00 51.00 51.00", "2026-04|overcrowding = 1 0 0.00 51.00 51.00"]
    );
    // Days at both ends of a period (read from the day rows) around whole months.
    let cut = answer(&t, d(2, 10), d(5, 5), GroupBy::Quarter).await;
    assert_eq!(rows(&cut, "reports_by_category"), rows(&all, "reports_by_category"));
    let inner = answer(&t, d(2, 11), d(5, 3), GroupBy::Quarter).await;
    assert!(rows(&inner, "reports_by_category").is_empty());
    assert_eq!(
        rows(&inner, "handling"),
        [
            "2026-Q1|all = 2 2 1.00 7.00 10.00",
            "2026-Q1|intimidation = 1 1 1.00 10.00 10.00",
            "2026-Q1|overcrowding = 1 1 1.00 7.00 7.00",
            "2026-Q2|all = 1 0 0.00 51.00 51.00",
            "2026-Q2|overcrowding = 1 0 0.00 51.00 51.00"
        ]
    );
    let y2025 = answer(&t, NaiveDate::from_ymd_opt(2025, 1, 1).unwrap(), d(12, 31), GroupBy::Year).await;
    assert_eq!(
        rows(&y2025, "reports_by_category"),
        [
            "2025|intimidation = 1",
            "2026|deposit_too_high = 1",
            "2026|intimidation = 3",
            "2026|overcrowding = 2"
        ]
    );
    assert!(rows(&y2025, "handling").iter().all(|r| !r.starts_with("2025")), "H was handled in 2026");
}

fn t_handling(all: &[StatTable]) -> Vec<String> {
    let t = all.iter().find(|t| t.name == "handling").unwrap();
    assert_eq!(t.dimensions, ["period", "category"]);
    assert_eq!(
        t.measures,
        ["handled", "handled_within_term", "share_within_term", "median_days", "p90_days"]
    );
    rows(all, "handling")
}

#[tokio::test]
async fn the_rebuild_and_the_back_fill_give_the_counters_kept_with_the_writes() {
    let t = fresh_db();
    {
        let mut conn = t.db.get().unwrap();
        huurtoezicht::db::accounts::ensure_municipality(
            &mut conn,
            OTHER_MUNICIPALITY,
            "Amsterdam",
            at(d(1, 1)),
        )
        .unwrap();
    }
    seed(&t).await;
    let kept = stored_counters(&t);
    assert!(kept.len() > 20, "{kept:?}");
    service::write(&t.db, officer(), |tx| counters::rebuild(tx.conn)).await.unwrap();
    assert_eq!(stored_counters(&t), kept, "rebuilt from the complaints");

    // The migration's back-fill (what an existing installation starts with) gives the same.
    let backend = if t.url.starts_with("postgres") { "postgres" } else { "sqlite" };
    let up = std::fs::read_to_string(format!(
        "{}/migrations/{backend}/2026-11-27-000140_meldpunt_statistics/up.sql",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    let (_, back_fill) = up.split_once("-- Back-fill").unwrap();
    let sql =
        format!("DELETE FROM complaint_stat_counts; DELETE FROM complaint_handling_counts; --{back_fill}");
    let mut conn = t.db.get().unwrap();
    diesel::connection::SimpleConnection::batch_execute(&mut *conn, &sql).unwrap();
    drop(conn);
    assert_eq!(stored_counters(&t), kept, "back-filled by the migration");
}

#[tokio::test]
async fn another_municipality_and_an_empty_period_answer_no_rows() {
    let t = fresh_db();
    file(&t, d(2, 10), report("intimidation", Some("3011 AB"))).await;
    let q = StatQuery { period: StatPeriod::new(d(2, 1), d(2, 28)).unwrap(), group_by: GroupBy::Month };
    let mut elsewhere = officer();
    elsewhere.scope = Scope::municipality(OTHER_MUNICIPALITY);
    let theirs = service::read(&t.db, elsewhere, move |tx| tables(tx, q)).await.unwrap();
    assert!(theirs.iter().all(|t| t.rows.is_empty()));
    let later = answer(&t, d(3, 1), d(3, 31), GroupBy::Month).await;
    assert!(later.iter().all(|t| t.rows.is_empty()));
    let ours = answer(&t, d(2, 1), d(2, 28), GroupBy::Month).await;
    assert_eq!(rows(&ours, "reports_by_status"), ["2026-02|received = 1"]);
}
