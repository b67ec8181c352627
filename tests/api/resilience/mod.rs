//! Failures: an unreachable or exhausted database answers 503 with `Retry-After` quickly;
//! malformed HTTP is answered 400 without an ERROR in the log; SIGTERM drains, then exits 0.

mod process;

use std::collections::HashMap;
use std::io::{Read, Write};
use std::time::{Duration, Instant};

use huurtoezicht::clock::Clock;
use huurtoezicht::config::Config;
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::{
    assert_problem, fresh_database_url, is_postgres, role_token, spawn_app_with, JWT_SECRET,
};
use process::Server;

fn complaint() -> Value {
    json!({"category": "intimidation", "language": "nl", "description": "Dreiging door de verhuurder",
           "location_description": "Kamer boven de bakkerij"})
}

async fn assert_unavailable(res: reqwest::Response) {
    let retry_after = res.headers().get("retry-after").map(|v| v.to_str().unwrap().to_string());
    assert_problem(res, 503, "/problems/unavailable").await;
    let secs: u64 = retry_after.expect("a 503 carries Retry-After").parse().unwrap();
    assert!(secs >= 1);
}

#[tokio::test]
async fn an_exhausted_pool_answers_503_with_retry_after_and_recovers() {
    let dir = tempfile::tempdir().unwrap();
    let settings: HashMap<String, String> = [
        ("HUURTOEZICHT_BIND", "127.0.0.1:0".to_string()),
        ("DATABASE_URL", fresh_database_url(dir.path())),
        ("HUURTOEZICHT_DB_POOL_SIZE", "2".into()),
        ("HUURTOEZICHT_DB_ACQUIRE_TIMEOUT_MS", "200".into()),
        ("HUURTOEZICHT_JWT_SECRET", JWT_SECRET.into()),
        ("HUURTOEZICHT_MAIL_DIR", dir.path().join("mail").display().to_string()),
        ("HUURTOEZICHT_ATTACHMENT_DIR", dir.path().join("att").display().to_string()),
        ("HUURTOEZICHT_OUTBOX_POLL_MS", "3600000".into()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    let app = huurtoezicht::build(Config::from_source(&settings).unwrap(), Clock::system()).await.unwrap();
    let (db, port) = (app.db.clone(), app.port);
    tokio::spawn(app.server);
    let url = |p: &str| format!("http://127.0.0.1:{port}{p}");
    let client = reqwest::Client::new();
    assert_eq!(client.post(url("/v1/complaints")).json(&complaint()).send().await.unwrap().status(), 201);

    // Every connection of the pool is taken: requests give up after the acquire timeout. On
    // SQLite the pool holds the reading connections only; writes go to the group-commit writer
    // (its own connection) and still succeed.
    let held = tokio::task::spawn_blocking(move || (db.get().unwrap(), db.get().unwrap())).await.unwrap();
    let intake = client.post(url("/v1/complaints")).json(&complaint()).send().await.unwrap();
    if is_postgres() {
        assert_unavailable(intake).await;
    } else {
        assert_eq!(intake.status(), 201);
    }
    let officer = role_token("officer");
    assert_unavailable(client.get(url("/v1/complaints")).bearer_auth(&officer).send().await.unwrap()).await;
    assert_unavailable(client.get(url("/ready")).send().await.unwrap()).await;
    assert_eq!(client.get(url("/health")).send().await.unwrap().status(), 200);

    drop(held);
    assert_eq!(client.post(url("/v1/complaints")).json(&complaint()).send().await.unwrap().status(), 201);
    assert_eq!(client.get(url("/ready")).send().await.unwrap().status(), 200);
}

/// PostgreSQL only (skipped on SQLite): the database refuses connections and the pool's
/// connections are killed, as in a restart. Requests answer 503 with Retry-After, then recover
/// without a restart of the service.
#[tokio::test]
async fn a_lost_postgres_connection_answers_503_and_recovers() {
    if !is_postgres() {
        return;
    }
    use diesel::{Connection, RunQueryDsl};
    let extra = HashMap::from([("HUURTOEZICHT_DB_ACQUIRE_TIMEOUT_MS".to_string(), "300".to_string())]);
    let app = spawn_app_with(extra, Clock::system()).await;
    assert_eq!(app.post("/v1/complaints", &complaint(), None).await.status(), 201);
    let name = app.database_url.rsplit('/').next().unwrap().to_string();
    let mut admin = diesel::PgConnection::establish(&std::env::var("TEST_DATABASE_URL").unwrap()).unwrap();
    let cut_off = |admin: &mut diesel::PgConnection, allow: bool| {
        diesel::sql_query(format!("ALTER DATABASE {name} ALLOW_CONNECTIONS {allow}")).execute(admin).unwrap();
        if !allow {
            diesel::sql_query(format!(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
                 WHERE datname = '{name}' AND pid <> pg_backend_pid()"
            ))
            .execute(admin)
            .unwrap();
        }
    };
    cut_off(&mut admin, false);
    assert_unavailable(app.post("/v1/complaints", &complaint(), None).await).await;
    assert_unavailable(app.get("/v1/complaints", Some(&role_token("officer"))).await).await;

    cut_off(&mut admin, true);
    let started = Instant::now();
    loop {
        let status = app.post("/v1/complaints", &complaint(), None).await.status();
        if status == StatusCode::CREATED {
            break;
        }
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
        assert!(started.elapsed() < Duration::from_secs(30), "the service did not recover");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Sends raw bytes and returns the status line of the answer.
fn raw_exchange(port: u16, bytes: &[u8]) -> String {
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    // The server may answer and close before it read everything: a failed write is fine.
    let _ = s.write_all(bytes);
    let mut answer = Vec::new();
    let _ = s.read_to_end(&mut answer);
    String::from_utf8_lossy(&answer).lines().next().unwrap_or_default().to_string()
}

/// Garbage, a bad request line and oversized headers, then a normal request.
fn send_malformed_requests(port: u16) {
    let garbage = raw_exchange(port, b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03 not http at all\r\n\r\n");
    assert!(garbage.starts_with("HTTP/1.1 400"), "{garbage:?}");
    let bad_line = raw_exchange(port, b"GET /health HTTP/7.1 extra\r\nHost: x\r\n\r\n");
    assert!(bad_line.starts_with("HTTP/1.1 400"), "{bad_line:?}");
    let mut huge = b"GET /health HTTP/1.1\r\nHost: x\r\nX-Filler: ".to_vec();
    huge.extend(std::iter::repeat_n(b'a', 200 * 1024));
    huge.extend(b"\r\n\r\n");
    let too_large = raw_exchange(port, &huge);
    assert!(too_large.starts_with("HTTP/1.1 431"), "{too_large:?}");
    let fine =
        raw_exchange(port, b"GET /v1/complaint-categories HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    assert!(fine.starts_with("HTTP/1.1 200"), "{fine:?}");
    let probe = raw_exchange(port, b"GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    assert!(probe.starts_with("HTTP/1.1 200"), "{probe:?}");
}

#[test]
fn malformed_http_is_answered_400_and_not_logged_as_an_error() {
    let mut server = Server::start(&[("HUURTOEZICHT_SHUTDOWN_DRAIN_SECONDS", "0")], None);
    send_malformed_requests(server.port);
    server.terminate();
    assert!(server.wait().success());
    // The well-formed request after the malformed ones is logged as usual.
    let logged = |l: &String| l.contains("\"route\":\"/v1/complaint-categories\"");
    assert!(server.log().iter().any(logged), "{:#?}", server.log());
    // Probes are answered but not logged at INFO.
    let probe_logged = |l: &String| l.contains("\"route\":\"/health\"");
    assert!(!server.log().iter().any(probe_logged), "{:#?}", server.log());
    assert_eq!(server.errors(), Vec::<String>::new());

    // The check above can fail: with actix-http's own ERROR events let through, they are there.
    let mut loud =
        Server::start(&[("HUURTOEZICHT_SHUTDOWN_DRAIN_SECONDS", "0")], Some("info,actix_http=error"));
    send_malformed_requests(loud.port);
    loud.terminate();
    assert!(loud.wait().success());
    assert!(!loud.errors().is_empty(), "{:#?}", loud.log());
}

#[tokio::test]
async fn sigterm_reports_draining_keeps_serving_then_exits_zero() {
    let mut server = Server::start(
        &[("HUURTOEZICHT_SHUTDOWN_DRAIN_SECONDS", "4"), ("HUURTOEZICHT_SHUTDOWN_TIMEOUT_SECONDS", "5")],
        None,
    );
    let client = reqwest::Client::new();
    assert_eq!(client.get(server.url("/ready")).send().await.unwrap().status(), 200);

    server.terminate();
    let started = Instant::now();
    let draining = loop {
        let res = client.get(server.url("/ready")).send().await.unwrap();
        if res.status() == StatusCode::SERVICE_UNAVAILABLE {
            break res;
        }
        assert!(started.elapsed() < Duration::from_secs(10), "/ready never reported draining");
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    assert!(draining.headers().contains_key("retry-after"));
    assert_eq!(draining.headers()["connection"], "close");
    let body = assert_problem(draining, 503, "/problems/unavailable").await;
    assert!(body["detail"].as_str().unwrap().contains("draining"), "{body}");
    // Still serving normally during the drain.
    assert_eq!(client.get(server.url("/health")).send().await.unwrap().status(), 200);
    let filed = client.post(server.url("/v1/complaints")).json(&complaint()).send().await.unwrap();
    assert_eq!(filed.status(), 201);

    let status = tokio::task::spawn_blocking(move || {
        let status = server.wait();
        (status, server)
    })
    .await
    .unwrap();
    let (status, server) = status;
    assert!(status.success(), "exit status {status}: {:#?}", server.log());
    assert_eq!(server.errors(), Vec::<String>::new());
}

#[test]
fn ctrl_c_stops_gracefully_too() {
    let mut server = Server::start(&[("HUURTOEZICHT_SHUTDOWN_DRAIN_SECONDS", "0")], None);
    server.signal("-INT");
    assert!(server.wait().success(), "{:#?}", server.log());
    assert!(server.log().iter().any(|l| l.contains("SIGINT")), "{:#?}", server.log());
    assert_eq!(server.errors(), Vec::<String>::new());
}

#[test]
fn a_request_in_flight_when_the_listener_closes_is_finished() {
    let mut server = Server::start(
        &[("HUURTOEZICHT_SHUTDOWN_DRAIN_SECONDS", "1"), ("HUURTOEZICHT_SHUTDOWN_TIMEOUT_SECONDS", "20")],
        None,
    );
    let body = complaint().to_string();
    let (first, rest) = body.as_bytes().split_at(body.len() / 2);
    let mut s = std::net::TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let head = format!(
        "POST /v1/complaints HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    s.write_all(head.as_bytes()).unwrap();
    s.write_all(first).unwrap();

    server.terminate();
    let started = Instant::now();
    while !server.log().iter().any(|l| l.contains("drain over")) {
        assert!(started.elapsed() < Duration::from_secs(30), "{:#?}", server.log());
        std::thread::sleep(Duration::from_millis(20));
    }
    // The listener is closed now; the request begun before is still answered.
    std::thread::sleep(Duration::from_millis(1500));
    s.write_all(rest).unwrap();
    let mut answer = Vec::new();
    let _ = s.read_to_end(&mut answer);
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 201"), "{answer}");
    assert!(server.wait().success(), "{:#?}", server.log());
}
