//! The OpenAPI root. Paths are collected from the same registration as the router
//! (`http::configure` through utoipa-actix-web), so the spec cannot drift from the routes; the
//! generated document is committed at `openapi/openapi.json` and a test compares the two.

use actix_web::App;
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_actix_web::AppExt;

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
        (name = "outbox", description = "Outgoing mail: failed messages and requeueing (admin only)"),
        (name = "inspections", description = "Inspections (huisbezoek): entry basis per room, findings, evaluation, occupant notice"),
        (name = "enforcement", description = "Enforcement (handhaving): violations, cases, the sanction ladder, warning, administrative fine (bestuurlijke boete), penalty order (last onder dwangsom), bestuursdwang, management takeover (beheerovername), history, dashboard"),
        (name = "rules", description = "The municipality's rule set (verordening, beleidsregels, leges)"),
        (name = "properties", description = "Properties (wooneenheden): address, rooms, facilities"),
        (name = "licences", description = "Licence applications (vergunningaanvragen), decisions and licences (verhuurvergunningen)"),
        (name = "bibob", description = "Integrity checks (Wet Bibob): Bibob officer only"),
        (name = "register", description = "The public licence register"),
        (name = "complaints", description = "Meldpunt: anonymous complaints (meldingen) with a tracking code, triage, referrals, retention")
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
        .configure(crate::http::configure)
        .split_for_parts();
    api
}

/// The document as committed: pretty JSON with a trailing newline.
pub fn document_json() -> String {
    let mut s = document().to_pretty_json().unwrap_or_default();
    s.push('\n');
    s
}
