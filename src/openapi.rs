//! The OpenAPI root. Paths are collected from the same registration as the router
//! (`http::configure` through utoipa-actix-web), so the spec cannot drift from the routes; the
//! generated document is committed at `openapi/openapi.json` and a test compares the two.

use actix_web::App;
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_actix_web::AppExt;

pub mod responses;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Huurtoezicht API",
        description = "Wet goed verhuurderschap (Wgv): rental licences (verhuurvergunning), the meldpunt \
for complaints (meldingen) and enforcement (handhaving). All errors are RFC 9457 \
`application/problem+json` documents with a stable `type`.",
        license(name = "EUPL-1.2")
    ),
    modifiers(&BearerAuth),
    // The error document every standard error response refers to.
    components(schemas(crate::http::problem::Problem)),
    tags(
        (name = "health", description = "Liveness and readiness"),
        (name = "auth", description = "Accounts, tokens and API clients"),
        (name = "audit", description = "The append-only audit trail"),
        (name = "events", description = "Domain events for portals: the keyset feed of state changes (ids and states only)"),
        (name = "outbox", description = "Outgoing mail: failed messages and requeueing (admin only)"),
        (name = "parties", description = "Parties the municipality records: landlords, intermediaries (verhuurbemiddelaars, beheerders) and employers or staffing agencies, with or without an account; staff search"),
        (name = "inspections", description = "Inspections (huisbezoek): entry basis per room, findings, evaluation, occupant notice"),
        (name = "enforcement", description = "Enforcement (handhaving): violations, cases, the sanction ladder, warning, administrative fine (bestuurlijke boete), penalty order (last onder dwangsom), bestuursdwang, management takeover (beheerovername), history, dashboard"),
        (name = "rules", description = "The municipality's rule set (verordening, beleidsregels, leges)"),
        (name = "properties", description = "Properties (wooneenheden): address, rooms, facilities"),
        (name = "licences", description = "Licence applications (vergunningaanvragen), decisions and licences (verhuurvergunningen)"),
        (name = "bibob", description = "Integrity checks (Wet Bibob): Bibob officer only"),
        (name = "register", description = "The public licence register"),
        (name = "referrals", description = "Referrals to partners of complaints and inspections: structured content, the partner's feedback, overdue feedback"),
        (name = "complaints", description = "Meldpunt: anonymous complaints (meldingen) with a tracking code, triage, referrals, retention"),
        (name = "objections", description = "Objections (bezwaar) against a besluit, their decision term (Awb 7:10), appeal and finality"),
        (name = "leases", description = "Leases (huurovereenkomsten) per property, checked against the general rules GR-04, GR-05, GR-06, AM-01 and AM-02"),
        (name = "registration-signals", description = "Registration signals for burgerzaken: occupants an inspection found not registered at the address (BRP), worked as address investigations; never a Wgv sanction")
    )
)]
pub struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        let mut http = Http::new(HttpAuthScheme::Bearer);
        http.bearer_format = Some("JWT".into());
        http.description = Some("Access token from POST /v1/auth/token".into());
        components.add_security_scheme("bearer", SecurityScheme::Http(http));
    }
}

/// The complete document, built from the route registration.
pub fn document() -> utoipa::openapi::OpenApi {
    let (_, api) = App::new()
        .into_utoipa_app()
        .openapi(ApiDoc::openapi())
        .configure(|c| crate::http::configure(c))
        .split_for_parts();
    with_standard_responses(api)
}

/// Where routes are registered: the utoipa-actix-web configuration, which also collects each
/// route's OpenAPI path (for [`document`]), or plain actix-web, which only routes. The server
/// builds the document once at start-up and gives every HTTP worker the plain router, so no worker
/// builds (and keeps) its own copy of the document.
pub trait Routes {
    fn service<F>(&mut self, factory: F) -> &mut Self
    where
        F: actix_web::dev::HttpServiceFactory + utoipa_actix_web::OpenApiFactory + 'static;
}

impl Routes for utoipa_actix_web::service_config::ServiceConfig<'_> {
    fn service<F>(&mut self, factory: F) -> &mut Self
    where
        F: actix_web::dev::HttpServiceFactory + utoipa_actix_web::OpenApiFactory + 'static,
    {
        utoipa_actix_web::service_config::ServiceConfig::service(self, factory)
    }
}

impl Routes for actix_web::web::ServiceConfig {
    fn service<F>(&mut self, factory: F) -> &mut Self
    where
        F: actix_web::dev::HttpServiceFactory + utoipa_actix_web::OpenApiFactory + 'static,
    {
        actix_web::web::ServiceConfig::service(self, factory)
    }
}

/// The committed document (`openapi/openapi.json`), embedded in the binary. It is what the code
/// generates ([`document`]): `committed_openapi_matches_the_code` fails the build's tests on any
/// difference. Serving these bytes, rather than generating the document at start-up, keeps the
/// generation (about 20 MiB of short-lived allocations, and the code of every schema) out of the
/// server's memory.
pub const COMMITTED: &str = include_str!("../openapi/openapi.json");

/// `GET /openapi.json` and the Swagger UI at `/docs/`: the committed document, served from the
/// binary as it is and shared by every worker; the UI's assets are embedded in the binary and its
/// page points at `/openapi.json`.
#[derive(Clone)]
pub struct ServedDocs {
    json: actix_web::web::Bytes,
}

impl ServedDocs {
    pub fn build() -> anyhow::Result<Self> {
        // The `Allow` table of 405 answers comes from the same document.
        let routes = route_table_of(COMMITTED).map_err(|e| anyhow::anyhow!("openapi/openapi.json: {e}"))?;
        ROUTES.get_or_init(|| routes);
        Ok(Self { json: actix_web::web::Bytes::from_static(COMMITTED.as_bytes()) })
    }

    /// Registers both routes on one worker's router (cheap: a reference-counted copy of the bytes).
    pub fn register(&self, cfg: &mut actix_web::web::ServiceConfig) {
        use actix_web::{guard, web, HttpResponse};
        let json = self.json.clone();
        cfg.service(web::resource("/openapi.json").guard(guard::Get()).to(move || {
            let body = json.clone();
            async move { HttpResponse::Ok().content_type("application/json").body(body) }
        }));
        // `/docs` itself leads to the docs UI (a permanent redirect keeps the method).
        cfg.service(web::resource("/docs").guard(guard::Any(guard::Get()).or(guard::Head())).to(|| async {
            HttpResponse::PermanentRedirect().insert_header(("Location", "/docs/")).finish()
        }));
        cfg.service(
            utoipa_swagger_ui::SwaggerUi::new("/docs/{_:.*}")
                .config(utoipa_swagger_ui::Config::new(["/openapi.json"])),
        );
    }
}

/// The shared error answers (`components/responses`) referenced from every operation that can
/// give them, and binary file bodies ([`responses::share`]). Applied to the served document too,
/// so clients and contract tests see the same answers.
pub fn with_standard_responses(api: utoipa::openapi::OpenApi) -> utoipa::openapi::OpenApi {
    responses::share(api)
}

/// The methods the document lists for a concrete request path (`/v1/complaints/42` matches
/// `/v1/complaints/{id}`), for the `Allow` header of a 405 answer.
pub fn methods_for(path: &str) -> Vec<&'static str> {
    let routes = ROUTES.get_or_init(|| route_table_of(COMMITTED).unwrap_or_default());
    let wanted: Vec<&str> = path.split('/').collect();
    // Each matching template with its number of literal segments: a literal path
    // (`/v1/complaints/partner-signals`) is its own resource, answered before a template that
    // would also match it (`/v1/complaints/{id}`), so only the most literal matches count.
    let matching: Vec<(usize, &Vec<&'static str>)> = routes
        .iter()
        .filter(|(segments, _)| {
            segments.len() == wanted.len()
                && segments.iter().zip(&wanted).all(|(t, w)| t == w || (t.starts_with('{') && !w.is_empty()))
        })
        .map(|(segments, methods)| (segments.iter().filter(|t| !t.starts_with('{')).count(), methods))
        .collect();
    let most = matching.iter().map(|(literal, _)| *literal).max().unwrap_or(0);
    matching
        .into_iter()
        .filter(|(literal, _)| *literal == most)
        .flat_map(|(_, m)| m.iter().copied())
        .collect()
}

/// Path templates split into segments, with the methods each has.
type RouteTable = Vec<(Vec<String>, Vec<&'static str>)>;

/// Filled from the committed document at start-up ([`ServedDocs::build`]), or on first use
/// elsewhere.
static ROUTES: std::sync::OnceLock<RouteTable> = std::sync::OnceLock::new();

/// The route table of a document's JSON: only the path templates and the methods each has are
/// read; the rest of the document is skipped without being kept.
fn route_table_of(json: &str) -> Result<RouteTable, serde_json::Error> {
    use serde::de::IgnoredAny;
    #[derive(serde::Deserialize)]
    struct Doc {
        paths: std::collections::BTreeMap<String, Item>,
    }
    #[derive(serde::Deserialize)]
    struct Item {
        get: Option<IgnoredAny>,
        post: Option<IgnoredAny>,
        put: Option<IgnoredAny>,
        patch: Option<IgnoredAny>,
        delete: Option<IgnoredAny>,
    }
    let doc: Doc = serde_json::from_str(json)?;
    Ok(doc
        .paths
        .into_iter()
        .map(|(template, item)| {
            let methods = [
                ("GET", item.get.is_some()),
                ("POST", item.post.is_some()),
                ("PUT", item.put.is_some()),
                ("PATCH", item.patch.is_some()),
                ("DELETE", item.delete.is_some()),
            ];
            let segments = template.split('/').map(str::to_string).collect();
            (segments, methods.into_iter().filter(|(_, on)| *on).map(|(m, _)| m).collect())
        })
        .collect())
}

/// The document as committed: pretty JSON with a trailing newline.
pub fn document_json() -> String {
    let mut s = document().to_pretty_json().unwrap_or_default();
    s.push('\n');
    s
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn the_route_table_reads_the_templates_and_their_methods() {
        let json = r#"{"openapi": "3.1.0", "paths": {
            "/v1/complaints/{id}": {"get": {"x": [1, {"y": 2}]}, "parameters": []},
            "/v1/complaints": {"get": {}, "post": {"requestBody": {}}}
        }}"#;
        let table = route_table_of(json).unwrap();
        assert_eq!(
            table,
            vec![
                (vec!["".into(), "v1".into(), "complaints".into()], vec!["GET", "POST"]),
                (vec!["".into(), "v1".into(), "complaints".into(), "{id}".into()], vec!["GET"]),
            ]
        );
        assert!(route_table_of("{}").is_err(), "a document without paths is refused");
    }

    #[test]
    fn the_committed_document_has_the_routes() {
        let table = route_table_of(COMMITTED).unwrap();
        assert!(table.len() > 100, "{} paths", table.len());
        assert!(methods_for("/v1/complaints/42").contains(&"GET"));
    }
}
