//! The authorization matrix, generated from the served spec: every operation with a security
//! requirement answers 401 without a token and 403 to every role it does not admit — before it
//! looks at the path's record or the body (random ids, `{}` bodies). Which roles each operation
//! admits is the table below (the README's access rules, as the `Auth<…>` policies of the
//! handlers implement them); an operation in the spec without an entry, or an entry without an
//! operation, fails the test, so a new route cannot go unchecked.

use reqwest::Method;
use serde_json::{json, Value};

use crate::helpers::*;

const ALL: &[&str] = &["landlord", "officer", "bibob_officer", "manager", "admin", "api_client"];
const ADMIN: &[&str] = &["admin"];
const MANAGER_OR_ADMIN: &[&str] = &["manager", "admin"];
const LANDLORD: &[&str] = &["landlord"];
const OFFICER: &[&str] = &["officer"];
const OFFICER_OR_MANAGER: &[&str] = &["officer", "manager"];
const BIBOB: &[&str] = &["bibob_officer"];
const CASEWORK_READERS: &[&str] = &["landlord", "officer", "bibob_officer", "manager"];
const LANDLORD_OR_OFFICER: &[&str] = &["landlord", "officer"];

/// (method, path, admitted roles) of every operation that requires a token.
const ADMITTED: &[(&str, &str, &[&str])] = &[
    ("GET", "/v1/me", ALL),
    ("POST", "/v1/accounts", ADMIN),
    ("POST", "/v1/accounts/{id}/disable", ADMIN),
    ("POST", "/v1/accounts/{id}/enable", ADMIN),
    ("PUT", "/v1/accounts/{id}/municipalities", ADMIN),
    ("POST", "/v1/api-clients", ADMIN),
    ("POST", "/v1/api-clients/{id}/disable", ADMIN),
    ("POST", "/v1/jobs/retention/run", ADMIN),
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
    ("POST", "/v1/licence-applications/{id}/decide", OFFICER),
    ("POST", "/v1/licence-applications/{id}/extend-term", OFFICER),
    ("POST", "/v1/licence-applications/{id}/not-considered", OFFICER),
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
    ("GET", "/v1/inspections", OFFICER_OR_MANAGER),
    ("GET", "/v1/inspections/{id}", OFFICER_OR_MANAGER),
    ("GET", "/v1/inspections/{id}/occupant-notice", OFFICER_OR_MANAGER),
    ("POST", "/v1/inspections", OFFICER),
    ("POST", "/v1/inspections/{id}/perform", OFFICER),
    ("POST", "/v1/inspections/{id}/evaluate", OFFICER),
    ("POST", "/v1/inspections/{id}/no-referral", OFFICER),
    ("POST", "/v1/inspections/{id}/referrals", OFFICER),
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
    ("GET", "/v1/enforcement/dashboard", OFFICER_OR_MANAGER),
    ("GET", "/v1/enforcement/policy", OFFICER_OR_MANAGER),
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
