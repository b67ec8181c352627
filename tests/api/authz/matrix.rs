//! The authorization matrix, generated from the served spec: every operation with a security
//! requirement answers 401 without a token and 403 to every role it does not admit — before it
//! looks at the path's record or the body (random ids, `{}` bodies). Which roles each operation
//! admits is the table below (the README's access rules). It is checked both ways: against the
//! spec (an operation without an entry, or an entry without an operation, fails) and against the
//! code (the `Auth<Policy>` each handler takes and the roles of that `policy!` in
//! `src/http/auth.rs` must be the table's), so a new route or a changed policy cannot go
//! unchecked.

use reqwest::Method;
use serde_json::{json, Value};

use crate::helpers::*;

const ALL: &[&str] =
    &["landlord", "officer", "bibob_officer", "manager", "admin", "api_client", "civil_affairs"];
const ADMIN: &[&str] = &["admin"];
/// `WebhookManagers`: the owning API client (scope `webhooks:manage`), managers and the admin.
const WEBHOOK_MANAGERS: &[&str] = &["api_client", "manager", "admin"];
const MANAGER_OR_ADMIN: &[&str] = &["manager", "admin"];
/// `EventReaders`: staff, the admin and API clients with the scope `events:read`.
const EVENT_READERS: &[&str] = &["officer", "bibob_officer", "manager", "admin", "api_client"];
const LANDLORD: &[&str] = &["landlord"];
const OFFICER: &[&str] = &["officer"];
const OFFICER_OR_MANAGER: &[&str] = &["officer", "manager"];
const BIBOB: &[&str] = &["bibob_officer"];
const CASEWORK_READERS: &[&str] = &["landlord", "officer", "bibob_officer", "manager"];
const LANDLORD_OR_OFFICER: &[&str] = &["landlord", "officer"];
const PARTY_READERS: &[&str] = &["landlord", "officer", "manager"];
const ACCOUNTS: &[&str] = &["landlord", "officer", "bibob_officer", "manager", "admin", "civil_affairs"];
const LEASE_KEEPERS: &[&str] = &["landlord", "officer", "manager"];
const REGISTRATION_READERS: &[&str] = &["civil_affairs", "officer", "manager"];
const CIVIL_AFFAIRS: &[&str] = &["civil_affairs"];

/// (method, path, admitted roles) of every operation that requires a token.
const ADMITTED: &[(&str, &str, &[&str])] = &[
    ("GET", "/v1/me", ALL),
    ("POST", "/v1/accounts", ADMIN),
    ("GET", "/v1/accounts", ADMIN),
    ("POST", "/v1/accounts/{id}/password-reset", ADMIN),
    ("POST", "/v1/me/password", ACCOUNTS),
    ("POST", "/v1/accounts/{id}/disable", ADMIN),
    ("POST", "/v1/accounts/{id}/enable", ADMIN),
    ("PUT", "/v1/accounts/{id}/municipalities", ADMIN),
    ("POST", "/v1/api-clients", ADMIN),
    ("GET", "/v1/api-clients", ADMIN),
    ("GET", "/v1/api-clients/{id}", ADMIN),
    ("PATCH", "/v1/api-clients/{id}", ADMIN),
    ("POST", "/v1/api-clients/{id}/disable", ADMIN),
    ("POST", "/v1/api-clients/{id}/enable", ADMIN),
    ("POST", "/v1/api-clients/{id}/revoke", ADMIN),
    ("POST", "/v1/api-clients/{id}/rotate-secret", ADMIN),
    ("POST", "/v1/jobs/retention/run", ADMIN),
    ("GET", "/v1/events", EVENT_READERS),
    ("GET", "/v1/outbox", ADMIN),
    ("POST", "/v1/outbox/{id}/requeue", ADMIN),
    ("POST", "/v1/webhook-subscriptions", WEBHOOK_MANAGERS),
    ("GET", "/v1/webhook-subscriptions", WEBHOOK_MANAGERS),
    ("GET", "/v1/webhook-subscriptions/{id}", WEBHOOK_MANAGERS),
    ("DELETE", "/v1/webhook-subscriptions/{id}", WEBHOOK_MANAGERS),
    ("POST", "/v1/webhook-subscriptions/{id}/resume", WEBHOOK_MANAGERS),
    ("GET", "/v1/webhook-subscriptions/{id}/deliveries", WEBHOOK_MANAGERS),
    ("POST", "/v1/webhook-subscriptions/{id}/deliveries/{delivery_id}/redeliver", WEBHOOK_MANAGERS),
    ("GET", "/v1/audit", MANAGER_OR_ADMIN),
    ("POST", "/v1/landlords/{id}/housing-corporation", MANAGER_OR_ADMIN),
    ("GET", "/v1/me/mandates", LANDLORD),
    ("POST", "/v1/me/mandates", LANDLORD),
    ("POST", "/v1/me/mandates/{client_id}/revoke", LANDLORD),
    ("GET", "/v1/me/sanctions", LANDLORD),
    ("POST", "/v1/licence-applications", LANDLORD),
    ("PATCH", "/v1/licence-applications/{id}", LANDLORD),
    ("POST", "/v1/licence-applications/{id}/submit", LANDLORD),
    ("POST", "/v1/licence-applications/{id}/supply-information", LANDLORD),
    ("POST", "/v1/licence-applications/{id}/withdraw", LANDLORD),
    ("GET", "/v1/properties", CASEWORK_READERS),
    ("GET", "/v1/properties/{id}", CASEWORK_READERS),
    ("POST", "/v1/properties", LANDLORD_OR_OFFICER),
    ("PATCH", "/v1/properties/{id}", LANDLORD_OR_OFFICER),
    ("GET", "/v1/licence-applications", CASEWORK_READERS),
    ("GET", "/v1/licence-applications/{id}", CASEWORK_READERS),
    ("GET", "/v1/licence-applications/{id}/assessment", CASEWORK_READERS),
    ("GET", "/v1/licence-applications/{id}/documents", CASEWORK_READERS),
    ("POST", "/v1/licence-applications/{id}/documents", LANDLORD_OR_OFFICER),
    ("GET", "/v1/licence-applications/{id}/documents/{document_id}", CASEWORK_READERS),
    ("GET", "/v1/licence-applications/{id}/bibob", BIBOB),
    ("PUT", "/v1/licence-applications/{id}/bibob", BIBOB),
    ("GET", "/v1/bibob-checks", BIBOB),
    ("GET", "/v1/licensing/dashboard", OFFICER_OR_MANAGER),
    ("GET", "/v1/statistics/meldpunt", OFFICER_OR_MANAGER),
    ("GET", "/v1/statistics/licensing", OFFICER_OR_MANAGER),
    ("GET", "/v1/statistics/enforcement", OFFICER_OR_MANAGER),
    ("GET", "/v1/statistics/monitoring", OFFICER_OR_MANAGER),
    ("POST", "/v1/licence-applications/{id}/decide", OFFICER),
    ("POST", "/v1/licence-applications/{id}/extend-term", OFFICER),
    ("POST", "/v1/licence-applications/{id}/not-considered", OFFICER),
    ("POST", "/v1/licence-applications/{id}/notice-of-default", OFFICER),
    ("POST", "/v1/licence-applications/{id}/no-late-decision-penalty", OFFICER),
    ("POST", "/v1/licence-applications/{id}/fix-late-decision-penalty", OFFICER),
    ("POST", "/v1/licence-applications/{id}/request-information", OFFICER),
    ("POST", "/v1/licence-applications/{id}/start-review", OFFICER),
    ("GET", "/v1/licences", CASEWORK_READERS),
    ("GET", "/v1/licences/{id}", CASEWORK_READERS),
    ("POST", "/v1/licences/{id}/suspend", OFFICER),
    ("POST", "/v1/licences/{id}/revoke", OFFICER),
    ("POST", "/v1/licences/{id}/reinstate", OFFICER),
    ("GET", "/v1/complaints", OFFICER_OR_MANAGER),
    ("GET", "/v1/complaints/hotspots", OFFICER_OR_MANAGER),
    ("GET", "/v1/complaints/{id}", OFFICER_OR_MANAGER),
    ("GET", "/v1/complaints/{id}/attachments/{attachment_id}", OFFICER_OR_MANAGER),
    ("POST", "/v1/complaints/{id}/assign", OFFICER_OR_MANAGER),
    ("POST", "/v1/complaints/{id}/links", OFFICER_OR_MANAGER),
    ("POST", "/v1/complaints/{id}/merge", OFFICER_OR_MANAGER),
    ("POST", "/v1/complaints/{id}/messages", OFFICER_OR_MANAGER),
    ("POST", "/v1/complaints/{id}/no-referral", OFFICER_OR_MANAGER),
    ("POST", "/v1/complaints/{id}/priority", OFFICER_OR_MANAGER),
    ("POST", "/v1/complaints/{id}/referrals", OFFICER_OR_MANAGER),
    ("POST", "/v1/complaints/{id}/retention", OFFICER_OR_MANAGER),
    ("POST", "/v1/complaints/{id}/transitions", OFFICER_OR_MANAGER),
    ("POST", "/v1/complaints/bulk-transitions", OFFICER_OR_MANAGER),
    ("GET", "/v1/inspections", OFFICER_OR_MANAGER),
    ("GET", "/v1/inspections/{id}", OFFICER_OR_MANAGER),
    ("GET", "/v1/inspections/{id}/occupant-notice", OFFICER_OR_MANAGER),
    ("POST", "/v1/inspections", OFFICER),
    ("POST", "/v1/inspections/{id}/perform", OFFICER),
    ("POST", "/v1/inspections/{id}/evaluate", OFFICER),
    ("POST", "/v1/inspections/{id}/no-referral", OFFICER),
    ("POST", "/v1/inspections/{id}/referrals", OFFICER),
    ("PUT", "/v1/inspections/{id}/parties", OFFICER),
    ("PUT", "/v1/inspections/{id}/partners", OFFICER),
    ("GET", "/v1/referrals", OFFICER_OR_MANAGER),
    ("GET", "/v1/referrals/{id}", OFFICER_OR_MANAGER),
    ("POST", "/v1/referrals/{id}/feedback", OFFICER_OR_MANAGER),
    ("POST", "/v1/inspections/{id}/entry-attempts", OFFICER),
    ("POST", "/v1/inspections/{id}/complaints", OFFICER),
    ("POST", "/v1/violations", OFFICER),
    ("GET", "/v1/violations/{id}", OFFICER_OR_MANAGER),
    ("POST", "/v1/violations/{id}/close", OFFICER),
    ("GET", "/v1/enforcement-cases", OFFICER_OR_MANAGER),
    ("GET", "/v1/enforcement-cases/{id}", OFFICER_OR_MANAGER),
    ("GET", "/v1/enforcement-cases/{id}/next-step", OFFICER_OR_MANAGER),
    ("POST", "/v1/enforcement-cases/{id}/sanctions", OFFICER),
    ("GET", "/v1/sanctions/{id}", OFFICER_OR_MANAGER),
    ("POST", "/v1/sanctions/{id}/actions", OFFICER),
    ("GET", "/v1/landlords/{id}/history", OFFICER_OR_MANAGER),
    ("POST", "/v1/landlords", OFFICER_OR_MANAGER),
    ("GET", "/v1/landlords", OFFICER_OR_MANAGER),
    ("GET", "/v1/landlords/{id}", PARTY_READERS),
    ("PATCH", "/v1/landlords/{id}", PARTY_READERS),
    ("POST", "/v1/intermediaries", OFFICER_OR_MANAGER),
    ("GET", "/v1/intermediaries", OFFICER_OR_MANAGER),
    ("GET", "/v1/intermediaries/{id}", PARTY_READERS),
    ("PATCH", "/v1/intermediaries/{id}", PARTY_READERS),
    ("POST", "/v1/employers", OFFICER_OR_MANAGER),
    ("GET", "/v1/employers", OFFICER_OR_MANAGER),
    ("GET", "/v1/employers/{id}", PARTY_READERS),
    ("PATCH", "/v1/employers/{id}", PARTY_READERS),
    ("GET", "/v1/enforcement/dashboard", OFFICER_OR_MANAGER),
    ("GET", "/v1/enforcement/policy", OFFICER_OR_MANAGER),
    ("POST", "/v1/objections", OFFICER),
    ("GET", "/v1/objections", OFFICER_OR_MANAGER),
    ("GET", "/v1/objections/{id}", OFFICER_OR_MANAGER),
    ("POST", "/v1/objections/{id}/actions", OFFICER),
    ("GET", "/v1/me/objections", LANDLORD),
    ("POST", "/v1/properties/{id}/leases", LEASE_KEEPERS),
    ("GET", "/v1/properties/{id}/leases", LEASE_KEEPERS),
    ("GET", "/v1/leases/{id}", LEASE_KEEPERS),
    ("PATCH", "/v1/leases/{id}", LEASE_KEEPERS),
    ("POST", "/v1/landlords/{id}/account-link", OFFICER_OR_MANAGER),
    ("POST", "/v1/landlords/{id}/merge", OFFICER_OR_MANAGER),
    ("POST", "/v1/intermediaries/{id}/merge", OFFICER_OR_MANAGER),
    ("POST", "/v1/employers/{id}/merge", OFFICER_OR_MANAGER),
    ("POST", "/v1/complaints/partner-signals", OFFICER_OR_MANAGER),
    ("GET", "/v1/registration-signals", REGISTRATION_READERS),
    ("GET", "/v1/registration-signals/{id}", REGISTRATION_READERS),
    ("POST", "/v1/registration-signals/{id}/start-investigation", CIVIL_AFFAIRS),
    ("POST", "/v1/registration-signals/{id}/conclude", CIVIL_AFFAIRS),
];

/// A token for `role` in the test municipality; landlords with a landlord record, API clients
/// with every scope.
fn token(role: &str) -> String {
    if role == "landlord" {
        landlord_token(&uuid::Uuid::new_v4().to_string())
    } else {
        role_token(role)
    }
}

/// The secured operations of the served spec: (method, path). Operations that also admit
/// anonymous callers (an empty security requirement) are not secured.
fn secured_operations(spec: &Value) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (path, item) in spec["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let Some(security) = op.get("security").and_then(Value::as_array) else { continue };
            let anonymous_allowed = security.iter().any(|s| s.as_object().is_some_and(|o| o.is_empty()));
            if !security.is_empty() && !anonymous_allowed {
                out.push((method.to_uppercase(), path.clone()));
            }
        }
    }
    out.sort();
    out
}

fn concrete(path: &str) -> String {
    path.split('/')
        .map(|seg| if seg.starts_with('{') { uuid::Uuid::new_v4().to_string() } else { seg.to_string() })
        .collect::<Vec<_>>()
        .join("/")
}

async fn call(app: &TestApp, method: &str, path: &str, token: Option<&str>) -> (u16, String) {
    let method = Method::from_bytes(method.as_bytes()).unwrap();
    let mut req = app.client.request(method.clone(), app.url(path));
    if method != Method::GET {
        req = req.json(&json!({}));
    }
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    let res = req.send().await.unwrap();
    let status = res.status().as_u16();
    (status, res.text().await.unwrap())
}

#[tokio::test]
async fn every_secured_operation_refuses_anonymous_callers_and_every_role_it_does_not_admit() {
    let app = spawn_app().await;
    let spec: Value = app.get("/openapi.json", None).await.json().await.unwrap();
    let operations = secured_operations(&spec);
    assert!(operations.len() >= 70, "the spec lists too few secured operations: {}", operations.len());

    let listed: Vec<(String, String)> =
        ADMITTED.iter().map(|(m, p, _)| (m.to_string(), p.to_string())).collect();
    let missing: Vec<_> = operations.iter().filter(|o| !listed.contains(o)).collect();
    assert!(missing.is_empty(), "secured operations without an entry in ADMITTED: {missing:?}");
    let stale: Vec<_> = listed.iter().filter(|o| !operations.contains(o)).collect();
    assert!(stale.is_empty(), "entries in ADMITTED that the spec does not have: {stale:?}");

    let tokens: Vec<(&str, String)> = ALL.iter().map(|r| (*r, token(r))).collect();
    let mut failures = Vec::new();
    for (method, path, admitted) in ADMITTED {
        let path = concrete(path);
        let (status, body) = call(&app, method, &path, None).await;
        if status != 401 {
            failures.push(format!("{method} {path} without a token: {status} {body}"));
        }
        for (role, token) in &tokens {
            let (status, body) = call(&app, method, &path, Some(token)).await;
            let refused_for_role = status == 403 && body.contains("may not do this");
            if admitted.contains(role) {
                // Role tokens name subjects that do not exist: `GET /v1/me` rightly says so.
                let unknown_subject = status == 401 && body.contains("no longer exists");
                if status >= 500 || (status == 401 && !unknown_subject) || refused_for_role {
                    failures.push(format!("{method} {path} as {role} (admitted): {status} {body}"));
                }
            } else if status != 403 {
                failures.push(format!("{method} {path} as {role} (not admitted): {status} {body}"));
            }
        }
    }
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n"));
}

/// Role variant name (`BibobOfficer`) to its code (`bibob_officer`).
fn snake(name: &str) -> String {
    let mut out = String::new();
    for (i, ch) in name.chars().enumerate() {
        if ch.is_uppercase() && i > 0 {
            out.push('_');
        }
        out.push(ch.to_ascii_lowercase());
    }
    out
}

/// The roles of each `policy!` in `src/http/auth.rs`.
fn policies() -> std::collections::HashMap<String, Vec<String>> {
    let text = std::fs::read_to_string("src/http/auth.rs").unwrap();
    let mut out = std::collections::HashMap::new();
    for block in text.split("policy!(").skip(1) {
        let block = &block[..block.find(");").unwrap()];
        let (head, roles) = block.split_once("=>").unwrap();
        let name = head.split_whitespace().last().unwrap().to_string();
        // `[Officer, ApiClient] scope EventsRead`: the roles are the bracketed list.
        let roles = roles.split(']').next().unwrap_or_default();
        let roles = roles.trim().trim_start_matches('[');
        out.insert(name, roles.split(',').map(|r| snake(r.trim())).collect());
    }
    out
}

/// (method, path, policy) of every handler in `src/http` that takes `Auth<Policy>`.
fn handlers_with_policy(dir: &std::path::Path, out: &mut Vec<(String, String, String)>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            handlers_with_policy(&path, out);
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        for (i, line) in lines.iter().enumerate() {
            let line = line.trim();
            let Some(method) = ["get", "post", "put", "patch", "delete"]
                .into_iter()
                .find(|m| line.starts_with(&format!("#[{m}(\"")))
            else {
                continue;
            };
            let route = line.split('"').nth(1).unwrap().to_string();
            // The handler's signature: up to and with the line that opens its body.
            let end = lines[i + 1..].iter().position(|l| l.ends_with('{')).map_or(lines.len(), |n| i + 2 + n);
            let signature = lines[i + 1..end].join(" ");
            if let Some(at) = signature.find("Auth<") {
                let policy = signature[at + 5..].split('>').next().unwrap().to_string();
                out.push((method.to_uppercase(), route, policy));
            }
        }
    }
}

#[test]
fn the_table_of_admitted_roles_matches_the_policies_in_the_code() {
    let policies = policies();
    let mut handlers = Vec::new();
    handlers_with_policy(std::path::Path::new("src/http"), &mut handlers);
    assert!(handlers.len() >= 70, "found too few handlers: {}", handlers.len());
    for (method, path, policy) in &handlers {
        let roles = policies.get(policy).unwrap_or_else(|| panic!("unknown policy {policy}"));
        let entry = ADMITTED.iter().find(|(m, p, _)| m == method && p == path);
        let Some((_, _, admitted)) = entry else {
            panic!("{method} {path} ({policy}) has no entry in ADMITTED")
        };
        let mut expected: Vec<&str> = admitted.to_vec();
        let mut actual: Vec<&str> = roles.iter().map(String::as_str).collect();
        expected.sort();
        actual.sort();
        assert_eq!(actual, expected, "{method} {path}: the code admits {policy}");
    }
    let unmatched: Vec<_> = ADMITTED
        .iter()
        .filter(|(m, p, _)| !handlers.iter().any(|(hm, hp, _)| hm == m && hp == p))
        .map(|(m, p, _)| format!("{m} {p}"))
        .collect();
    assert!(unmatched.is_empty(), "entries of ADMITTED without a handler taking Auth<…>: {unmatched:?}");
}
