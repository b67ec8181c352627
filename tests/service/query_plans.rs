//! Every list and lookup on the write-heavy tables runs on an index (issue #11, "fewer pages per
//! write"): the indexes were cut to what the queries need, so this test is what stops a later
//! change from dropping one a route depends on, or from writing a query no index serves.
//!
//! It runs the real `db` functions, captures the SQL they send (diesel's connection
//! instrumentation), and asks SQLite for `EXPLAIN QUERY PLAN` of each statement (SQLite accepts
//! the unbound `?`). SQLite only: PostgreSQL's planner chooses by table statistics, so a plan on
//! an empty test database says nothing about production there; the indexes are the same.

use std::sync::{Arc, Mutex};

use chrono::Duration;
use diesel::connection::InstrumentationEvent;
use diesel::{Connection, RunQueryDsl, SqliteConnection};
use huurtoezicht::db::audit::AuditFilter;
use huurtoezicht::db::complaints::{ListCursor, ListFilter};
use huurtoezicht::db::licensing::ApplicationFilter;
use huurtoezicht::db::parties::PartySearch;
use huurtoezicht::db::properties::Viewer;
use huurtoezicht::db::scope::Scope;
use huurtoezicht::db::{self, DbConnection};
use huurtoezicht::domain::complaints::{Channel, ComplaintStatus, Priority};
use huurtoezicht::domain::landlords::PartyRole;
use huurtoezicht::domain::licensing::ApplicationState;

use crate::common::{fresh_db, now, today, TestDb, MUNICIPALITY};

#[derive(diesel::QueryableByName)]
struct PlanRow {
    #[diesel(sql_type = diesel::sql_types::Text)]
    detail: String,
}

/// The statements `run` sends, without their bind values.
fn statements(t: &TestDb, run: impl FnOnce(&mut DbConnection)) -> Vec<String> {
    let mut conn = t.db.get().unwrap();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&seen);
    conn.set_instrumentation(move |event: InstrumentationEvent<'_>| {
        if let InstrumentationEvent::StartQuery { query, .. } = event {
            let sql = query.to_string();
            let sql = sql.split(" -- binds: ").next().unwrap_or_default().to_string();
            sink.lock().unwrap().push(sql);
        }
    });
    run(&mut conn);
    let out = seen.lock().unwrap().clone();
    out
}

fn plan(raw: &mut SqliteConnection, sql: &str) -> Vec<String> {
    diesel::sql_query(format!("EXPLAIN QUERY PLAN {sql}"))
        .load::<PlanRow>(raw)
        .unwrap_or_else(|e| panic!("EXPLAIN QUERY PLAN failed ({e}) for {sql}"))
        .into_iter()
        .map(|r| r.detail)
        .collect()
}

/// What one db function must do on `table`.
struct Expect {
    label: &'static str,
    table: &'static str,
    /// Any of these.
    index: &'static [&'static str],
    /// Its rows come out in the index's order: no temp b-tree for ORDER BY.
    ordered: bool,
}

fn check(
    t: &TestDb,
    raw: &mut SqliteConnection,
    e: Expect,
    run: impl FnOnce(&mut DbConnection),
) -> Vec<String> {
    let sent = statements(t, run);
    let needle = format!("FROM `{}`", e.table);
    let on_table: Vec<&String> = sent
        .iter()
        .filter(|s| {
            let head = s.trim_start();
            (head.starts_with("SELECT") || head.starts_with("DELETE") || head.starts_with("UPDATE"))
                && (s.contains(&needle) || s.contains(&format!("UPDATE `{}`", e.table)))
        })
        .collect();
    let mut failures = Vec::new();
    if on_table.is_empty() {
        failures.push(format!("{}: no statement on {} captured; sent: {sent:?}", e.label, e.table));
    }
    for sql in on_table {
        let steps = plan(raw, sql);
        let text = steps.join(" | ");
        let searched = steps.iter().any(|s| {
            e.index.iter().any(|i| {
                s.starts_with(&format!("SEARCH {} USING INDEX {i} (", e.table))
                    || s.starts_with(&format!("SEARCH {} USING COVERING INDEX {i} (", e.table))
            })
        });
        let full_scan = steps.iter().any(|s| s.starts_with(&format!("SCAN {}", e.table)));
        let sorted = steps.iter().any(|s| s.contains("USE TEMP B-TREE FOR ORDER BY"));
        if !searched || full_scan || (e.ordered && sorted) {
            failures.push(format!(
                "{}: expected a range on {:?} (ordered: {}), plan: {text}\n  sql: {sql}",
                e.label, e.index, e.ordered
            ));
        }
    }
    failures
}

fn complaint_list(f: ListFilter) -> impl FnOnce(&mut DbConnection) {
    move |c| {
        db::complaints::list(c, &Scope::municipality(MUNICIPALITY), &ListFilter { limit: 50, ..f }).unwrap();
    }
}

fn ordered(label: &'static str, table: &'static str, index: &'static str) -> Expect {
    Expect { label, table, index: leak(index), ordered: true }
}

fn lookup(label: &'static str, table: &'static str, index: &'static str) -> Expect {
    Expect { label, table, index: leak(index), ordered: false }
}

/// Several indexes that all serve the query (checked per statement).
fn any_of(label: &'static str, table: &'static str, index: &'static [&'static str]) -> Expect {
    Expect { label, table, index, ordered: false }
}

fn leak(index: &'static str) -> &'static [&'static str] {
    Box::leak(Box::new([index]))
}

#[test]
fn every_list_and_lookup_on_the_write_heavy_tables_searches_an_index() {
    // SQLite only (see the module comment).
    if std::env::var("TEST_DATABASE_URL").is_ok_and(|v| !v.is_empty()) {
        return;
    }
    let t = fresh_db();
    let mut raw = SqliteConnection::establish(t.url.trim_start_matches("sqlite://")).unwrap();
    let raw = &mut raw;
    let scope = Scope::municipality(MUNICIPALITY);
    let day = today();
    let s = || Some("x".to_string());
    let mut failures = Vec::new();

    // The officer's complaint list: urgent first, oldest first, with each filter of the route.
    let cases: Vec<(Expect, ListFilter)> = vec![
        (ordered("complaints, no filter", "complaints", "complaints_list"), ListFilter::default()),
        (
            ordered("complaints, next page", "complaints", "complaints_list"),
            ListFilter {
                after: Some(ListCursor { rank: 1, received_at: now(), id: "x".into() }),
                ..Default::default()
            },
        ),
        (
            ordered("complaints by status", "complaints", "complaints_by_status"),
            ListFilter { status: Some(ComplaintStatus::Triaged), ..Default::default() },
        ),
        (
            ordered("complaints by category", "complaints", "complaints_by_category"),
            ListFilter { category: s(), ..Default::default() },
        ),
        (
            ordered("complaints by postcode", "complaints", "complaints_by_postcode"),
            ListFilter { postcode: s(), ..Default::default() },
        ),
        (
            ordered("complaints by officer", "complaints", "complaints_by_officer"),
            ListFilter { assigned_officer_id: s(), ..Default::default() },
        ),
        (
            ordered("complaints with signals", "complaints", "complaints_with_signals"),
            ListFilter { has_signals: Some(true), ..Default::default() },
        ),
        (
            ordered("complaints without signals", "complaints", "complaints_list"),
            ListFilter { has_signals: Some(false), ..Default::default() },
        ),
        (
            ordered("complaints by landlord", "complaints", "complaints_by_landlord"),
            ListFilter { landlord_id: s(), ..Default::default() },
        ),
        (
            ordered("complaints by property", "complaints", "complaints_by_property"),
            ListFilter { property_id: s(), ..Default::default() },
        ),
        (
            ordered("complaints from partners", "complaints", "complaints_from_partners"),
            ListFilter { channel: Some(Channel::Partner), ..Default::default() },
        ),
        (
            ordered("complaints of the public form", "complaints", "complaints_list"),
            ListFilter { channel: Some(Channel::Public), ..Default::default() },
        ),
        (
            ordered("complaints by priority", "complaints", "complaints_list"),
            ListFilter { priority: Some(Priority::High), ..Default::default() },
        ),
        (
            // A period or the overdue ones: a range on their date index, then a sort of those rows.
            lookup("complaints received in a period", "complaints", "complaints_by_received"),
            ListFilter { received_from: Some(day), received_to: Some(day), ..Default::default() },
        ),
        (
            lookup("complaints overdue", "complaints", "complaints_by_due"),
            ListFilter { overdue_before: Some(day), ..Default::default() },
        ),
    ];
    for (expect, filter) in cases {
        failures.extend(check(&t, raw, expect, complaint_list(filter)));
    }

    // Complaint lookups: tracking code, portal idempotency, merges, retention, hotspots.
    failures.extend(check(&t, raw, lookup("tracking code", "complaints", "complaints_tracking_hash"), |c| {
        db::complaints::find_by_tracking_hash(c, "h").unwrap();
    }));
    failures.extend(check(
        &t,
        raw,
        lookup("portal idempotency", "complaints", "complaints_idempotency"),
        |c| {
            db::complaints::find_idempotent(c, "client", "key").unwrap();
        },
    ));
    failures.extend(check(
        &t,
        raw,
        lookup("merged complaints", "complaints", "complaints_merged_into"),
        |c| {
            db::complaints::merged_into(c, "x").unwrap();
        },
    ));
    failures.extend(check(&t, raw, ordered("retention due", "complaints", "complaints_retention"), |c| {
        db::complaints::due_for_deletion(c, day, 10).unwrap();
    }));
    failures.extend(check(
        &t,
        raw,
        lookup("hotspots by address", "complaints", "complaints_by_received"),
        |c| {
            db::complaints::hotspots_by_address(c, &scope, day, day, 1, 10).unwrap();
        },
    ));
    failures.extend(check(
        &t,
        raw,
        lookup("hotspots by landlord", "complaints", "complaints_by_received"),
        |c| {
            db::complaints::hotspots_by_landlord(c, &scope, day, day, 1, 10).unwrap();
        },
    ));

    // Licence applications: the staff list and its filters, a landlord's own list.
    let staff = Viewer::Staff(scope.clone());
    let apps: Vec<(Expect, Viewer, ApplicationFilter)> = vec![
        (
            ordered("applications", "licence_applications", "licence_applications_list"),
            staff.clone(),
            ApplicationFilter::default(),
        ),
        (
            ordered("applications by state", "licence_applications", "licence_applications_state"),
            staff.clone(),
            ApplicationFilter { state: Some(ApplicationState::Submitted), ..Default::default() },
        ),
        (
            ordered("applications of a property", "licence_applications", "licence_applications_property"),
            staff.clone(),
            ApplicationFilter { property_id: s(), ..Default::default() },
        ),
        (
            lookup("applications due before", "licence_applications", "licence_applications_due"),
            staff.clone(),
            ApplicationFilter { due_before: Some(day), ..Default::default() },
        ),
        (
            ordered("applications overdue", "licence_applications", "licence_applications_open_due"),
            staff.clone(),
            ApplicationFilter { overdue_on: Some(day), ..Default::default() },
        ),
        (
            ordered("a landlord's applications", "licence_applications", "licence_applications_landlord"),
            Viewer::Landlord("l".into()),
            ApplicationFilter::default(),
        ),
    ];
    for (expect, viewer, filter) in apps {
        failures.extend(check(&t, raw, expect, move |c| {
            db::licensing::list_applications(c, &viewer, &ApplicationFilter { limit: 50, ..filter }).unwrap();
        }));
    }

    // The Bibob officer's list of checks awaiting the LBB advice, all and overdue, and a next page.
    for (label, overdue, after) in [
        ("bibob checks awaiting advice", None, None),
        ("bibob checks with overdue advice", Some(day), None),
        ("bibob checks, next page", None, Some("2025-01-01|x")),
    ] {
        let scope = scope.clone();
        failures.extend(check(&t, raw, ordered(label, "bibob_checks", "bibob_checks_lbb_due"), move |c| {
            db::licensing::checks_awaiting_advice(c, &scope, overdue, after, 50).unwrap();
        }));
    }

    // Enforcement: violations and sanctions on the case, the landlord and the deadline paths.
    failures.extend(check(&t, raw, ordered("violations of a case", "violations", "violations_case"), |c| {
        db::enforcement::case_violations(c, "case").unwrap();
    }));
    failures.extend(check(
        &t,
        raw,
        lookup("open violations of a case", "violations", "violations_case"),
        |c| {
            db::enforcement::count_open_violations(c, "case").unwrap();
        },
    ));
    failures.extend(check(&t, raw, ordered("sanctions of a case", "sanctions", "sanctions_case"), |c| {
        db::enforcement::case_sanctions(c, "case").unwrap();
    }));
    failures.extend(check(
        &t,
        raw,
        lookup("live fine of a violation", "sanctions", "sanctions_violation"),
        |c| {
            db::enforcement::live_fine_for_violation(c, "v").unwrap();
        },
    ));
    failures.extend(check(
        &t,
        raw,
        ordered("a landlord's sanctions", "sanctions", "sanctions_landlord_recent"),
        |c| {
            db::enforcement::landlord_sanctions_page(c, "l", 10).unwrap();
        },
    ));
    failures.extend(check(
        &t,
        raw,
        ordered("a landlord's recent sanctions", "sanctions", "sanctions_landlord_recent"),
        |c| {
            db::enforcement::landlord_recent_sanctions(c, &scope, "l", 10).unwrap();
        },
    ));
    failures.extend(check(&t, raw, lookup("a landlord's fines", "sanctions", "sanctions_landlord"), |c| {
        db::enforcement::landlord_fine_facts(c, "l", day).unwrap();
    }));
    failures.extend(check(
        &t,
        raw,
        lookup("a landlord's warnings", "sanctions", "sanctions_landlord"),
        |c| {
            db::enforcement::landlord_warning_dates(c, "l", day, day).unwrap();
        },
    ));
    failures.extend(check(
        &t,
        raw,
        any_of("screening facts", "sanctions", &["sanctions_landlord", "sanctions_landlord_recent"]),
        |c| {
            db::enforcement::screening_facts(c, "l", day).unwrap();
        },
    ));
    failures.extend(check(
        &t,
        raw,
        ordered("overdue deadlines", "sanctions", "sanctions_last_deadline"),
        |c| {
            db::enforcement::overdue_deadlines(c, &scope, day, 10).unwrap();
        },
    ));
    failures.extend(check(
        &t,
        raw,
        any_of("upcoming deadlines", "sanctions", &["sanctions_deadline", "sanctions_last_deadline"]),
        |c| {
            db::enforcement::upcoming_deadlines(c, &scope, day, day, 10).unwrap();
        },
    ));
    failures.extend(check(
        &t,
        raw,
        lookup("the case list", "enforcement_cases", "enforcement_cases_list"),
        |c| {
            let f = db::enforcement::CaseFilter {
                status: None,
                stage: None,
                landlord_id: None,
                after_id: None,
                limit: 50,
            };
            db::enforcement::list_cases(c, &scope, &f).unwrap();
        },
    ));
    failures.extend(check(
        &t,
        raw,
        lookup("open case of an address", "enforcement_cases", "enforcement_cases_landlord"),
        |c| {
            db::enforcement::find_open_case(c, "l", "addr").unwrap();
        },
    ));

    failures.extend(check(
        &t,
        raw,
        lookup("a landlord's addresses", "enforcement_cases", "enforcement_cases_landlord_address"),
        |c| {
            db::enforcement::landlord_address_count(c, &scope, "l").unwrap();
        },
    ));
    failures.extend(check(
        &t,
        raw,
        lookup("a landlord's cases", "enforcement_cases", "enforcement_cases_landlord"),
        |c| {
            db::enforcement::landlord_case_counts(c, &scope, "l").unwrap();
        },
    ));

    failures.extend(check(
        &t,
        raw,
        lookup("fines of a violation (5:45)", "sanctions", "sanctions_violation"),
        |c| {
            db::enforcement::fines_for_violation(c, "v").unwrap();
        },
    ));
    failures.extend(check(
        &t,
        raw,
        lookup("first final sanction of a case", "sanctions", "sanctions_case"),
        |c| {
            db::enforcement::case_final_date(c, "case").unwrap();
        },
    ));
    failures.extend(check(
        &t,
        raw,
        lookup("complaints linked to a case", "complaints", "complaints_by_enforcement_case"),
        |c| {
            db::complaints::linked_to_case(c, MUNICIPALITY, "case").unwrap();
        },
    ));
    // The outbox worker's claim, the intake keys, the audit trail.
    failures.extend(check(&t, raw, lookup("outbox claim", "outbox", "outbox_due"), |c| {
        db::outbox::claim_next(c, "w", now(), Duration::seconds(30)).unwrap();
    }));
    // The webhook worker's claim: due deliveries in (next_attempt_at, seq) order, each checked
    // for an earlier pending one of its subject; then the claimed ones by id.
    failures.extend(check(
        &t,
        raw,
        any_of(
            "webhook claim",
            "webhook_deliveries",
            &[
                "webhook_deliveries_due",
                "webhook_deliveries_subject",
                "sqlite_autoindex_webhook_deliveries_1",
            ],
        ),
        |c| {
            db::webhooks::deliveries::claim(c, "w", now(), Duration::seconds(30), 64).unwrap();
        },
    ));
    failures.extend(check(
        &t,
        raw,
        lookup("intake key", "complaint_intake_keys", "sqlite_autoindex_complaint_intake_keys_1"),
        |c| {
            db::intake_keys::find(c, "k", now()).unwrap();
        },
    ));
    failures.extend(check(
        &t,
        raw,
        lookup("expired intake keys", "complaint_intake_keys", "complaint_intake_keys_created"),
        |c| {
            db::intake_keys::delete_expired(c, now()).unwrap();
        },
    ));
    // The leases of a property, first page and a later one.
    for after in [None, Some((today(), "x".to_string()))] {
        failures.extend(check(&t, raw, ordered("leases of a property", "leases", "leases_property"), |c| {
            db::leases::of_property(c, "p", None, after, 50).unwrap();
        }));
    }
    let audit = |entity: Option<(&str, &str)>| AuditFilter {
        entity_type: entity.map(|e| e.0.to_string()),
        entity_id: entity.map(|e| e.1.to_string()),
        before_id: None,
        limit: 50,
    };
    failures.extend(check(&t, raw, lookup("audit of an entity", "audit_log", "audit_log_entity"), |c| {
        db::audit::list(c, &scope, &audit(Some(("complaint", "x")))).unwrap();
    }));
    failures.extend(check(
        &t,
        raw,
        ordered("audit of a municipality", "audit_log", "audit_log_municipality"),
        |c| {
            db::audit::list(c, &scope, &audit(None)).unwrap();
        },
    ));
    // The staff search over parties: the family's ids; word prefixes as ranges of the terms'
    // primary key, each party then found by id in id order (no scan of the family); a
    // property's address through the properties' address index.
    let party_search = |search: PartySearch| {
        move |c: &mut DbConnection| {
            db::parties::search(c, &scope_of_parties(), PartyRole::Landlord, &search, Some("x"), 51).unwrap();
        }
    };
    let prefixes = || PartySearch::Prefixes(vec!["jansen".into(), "bv".into()]);
    failures.extend(check(
        &t,
        raw,
        ordered("parties of a family", "landlords", "landlords_role_id"),
        party_search(PartySearch::All),
    ));
    failures.extend(check(
        &t,
        raw,
        ordered("parties by name", "landlords", "sqlite_autoindex_landlords_1"),
        party_search(prefixes()),
    ));
    failures.extend(check(
        &t,
        raw,
        lookup("parties by name: the terms", "party_search_terms", "sqlite_autoindex_party_search_terms_1"),
        party_search(prefixes()),
    ));
    let address = || PartySearch::Address { postcode: "3011AB".into(), house_number: Some(10) };
    failures.extend(check(
        &t,
        raw,
        ordered("parties by a property's address", "landlords", "sqlite_autoindex_landlords_1"),
        party_search(address()),
    ));
    failures.extend(check(
        &t,
        raw,
        lookup("parties by a property's address: the properties", "properties", "properties_address"),
        party_search(address()),
    ));

    assert!(failures.is_empty(), "{} plan(s) off:\n{}", failures.len(), failures.join("\n"));
}

fn scope_of_parties() -> Scope {
    Scope::municipality(MUNICIPALITY)
}
