//! The HTTP edge: one module per resource, the auth guard, problem+json errors, request ids.

pub mod accounts;
pub mod auth;
pub mod common;
pub mod complaints;
pub mod enforcement;
pub mod events;
pub mod extract;
pub mod health;
pub mod idempotency;
pub mod inspections;
pub mod leases;
pub mod licensing;
pub mod meldpunt;
pub mod objections;
pub mod outbox;
pub mod parties;
pub mod party_links;
pub mod passwords;
pub mod preconditions;
pub mod problem;
pub mod referrals;
pub mod registration_signals;
pub mod schema;
pub mod statistics;
pub mod throttle;
pub mod webhooks;

use std::sync::Arc;
use std::time::Instant;

use actix_web::body::BoxBody;
use actix_web::dev::{Service, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::{web, HttpRequest};

use futures_util::future::FutureExt;
use tracing::Instrument;

use crate::clock::Clock;
use crate::config::Config;
use crate::db::Db;
use crate::domain::ruleset::RuleSetHistory;
use crate::error::AppError;
use auth::TokenService;

/// Shared state of every request handler.
pub struct AppState {
    pub db: Db,
    pub config: Arc<Config>,
    pub clock: Clock,
    pub tokens: web::Data<TokenService>,
    /// The municipality's rule set (all versions), loaded at start-up.
    pub rules: Arc<RuleSetHistory>,
    /// Public register answers held in memory for a few seconds.
    pub register_cache: licensing::register::RegisterCache,
    /// Public sanctions register answers held in memory for a few seconds.
    pub sanctions_register_cache: enforcement::register::SanctionsRegisterCache,
    /// Password hashing and checking on a few dedicated threads (`http::passwords`).
    pub passwords: passwords::PasswordPool,
}

/// Registers every API route. Used both by the server and by the OpenAPI generator, so the spec
/// always describes exactly the routes that exist.
pub fn configure(cfg: &mut impl crate::openapi::Routes) {
    // The router tries routes in this order and a route with a path parameter costs a regex
    // match: the public routes under the most load (probes, register look-ups, complaint
    // intake) come first. Only routes with a fixed path may be moved up here, where nothing
    // they could shadow precedes them.
    cfg.service(health::health)
        .service(health::ready)
        .service(licensing::register::register_licences)
        .service(licensing::register::licence_required)
        .service(enforcement::register::register_sanctions)
        .service(complaints::create_complaint)
        .service(accounts::tokens::issue_token)
        .service(accounts::landlords::register_landlord)
        .service(accounts::staff::get_me)
        .service(accounts::staff::create_account)
        .service(accounts::clients::create_api_client)
        .service(accounts::clients::list_api_clients)
        .service(accounts::clients::get_api_client)
        .service(accounts::clients::update_api_client)
        .service(accounts::clients::rotate_api_client_secret)
        .service(accounts::clients::revoke_api_client)
        .service(accounts::clients::enable_api_client)
        .service(accounts::access::disable_account)
        .service(accounts::access::enable_account)
        .service(accounts::access::set_account_municipalities)
        .service(accounts::clients::disable_api_client)
        .service(accounts::list::list_accounts)
        .service(accounts::passwords::start_password_reset)
        .service(accounts::passwords::request_password_reset)
        .service(accounts::passwords::confirm_password_reset)
        .service(accounts::passwords::change_own_password)
        .service(accounts::landlords::set_housing_corporation)
        .service(parties::routes::create_landlord)
        .service(parties::routes::list_landlords)
        .service(parties::routes::get_landlord)
        .service(parties::routes::update_landlord)
        .service(parties::routes::create_intermediary)
        .service(parties::routes::list_intermediaries)
        .service(parties::routes::get_intermediary)
        .service(parties::routes::update_intermediary)
        .service(parties::routes::create_employer)
        .service(parties::routes::list_employers)
        .service(parties::routes::get_employer)
        .service(parties::routes::update_employer)
        .service(accounts::mandates::grant_mandate)
        .service(accounts::mandates::list_mandates)
        .service(accounts::mandates::revoke_mandate)
        .service(accounts::audit::list_audit)
        .service(events::list_events)
        .service(outbox::list_outbox)
        .service(outbox::requeue_outbox_message)
        .service(webhooks::create_webhook_subscription)
        .service(webhooks::list_webhook_subscriptions)
        .service(webhooks::get_webhook_subscription)
        .service(webhooks::delete_webhook_subscription)
        .service(webhooks::resume_webhook_subscription)
        .service(webhooks::deliveries::list_webhook_deliveries)
        .service(webhooks::deliveries::redeliver_webhook_delivery)
        .service(inspections::record::create_inspection)
        .service(inspections::read::list_inspections)
        .service(inspections::read::get_inspection)
        .service(inspections::record::perform_inspection)
        .service(inspections::decisions::add_inspection_referral)
        .service(inspections::decisions::record_inspection_no_referral)
        .service(inspections::decisions::evaluate_inspection)
        .service(inspections::read::inspection_occupant_notice)
        .service(inspections::records::set_inspection_parties)
        .service(inspections::records::add_inspection_entry_attempt)
        .service(inspections::records::add_inspection_complaints)
        .service(inspections::records::set_inspection_partners)
        .service(referrals::list_referrals)
        .service(referrals::get_referral)
        .service(referrals::record_referral_feedback)
        .service(enforcement::create_violation)
        .service(enforcement::get_violation)
        .service(enforcement::close_violation)
        .service(enforcement::list_cases)
        .service(enforcement::get_case)
        .service(enforcement::case_next_step)
        .service(enforcement::create_sanction)
        .service(enforcement::get_sanction)
        .service(enforcement::sanction_action)
        .service(enforcement::landlord_history_view)
        .service(enforcement::enforcement_dashboard)
        .service(enforcement::my_sanctions)
        .service(enforcement::enforcement_policy)
        .service(licensing::rules::get_rules)
        .service(licensing::properties::create_property)
        .service(licensing::properties::list_properties)
        .service(licensing::properties::get_property)
        .service(licensing::properties::update_property)
        .service(licensing::applications::create_application)
        .service(licensing::applications::list_applications)
        .service(licensing::applications::get_application)
        .service(licensing::applications::update_application)
        .service(licensing::applications::lifecycle::submit_application)
        .service(licensing::applications::lifecycle::request_information)
        .service(licensing::applications::lifecycle::supply_information)
        .service(licensing::applications::lifecycle::extend_term)
        .service(licensing::applications::lifecycle::start_review)
        .service(licensing::applications::lifecycle::withdraw_application)
        .service(licensing::applications::lifecycle::not_considered)
        .service(licensing::applications::decide::decide_application)
        .service(licensing::applications::late_decision::record_notice_of_default)
        .service(licensing::applications::late_decision::record_no_late_decision_penalty)
        .service(licensing::applications::late_decision::fix_late_decision_penalty)
        .service(licensing::applications::assessment::get_assessment)
        .service(licensing::documents::upload_document)
        .service(licensing::documents::list_documents)
        .service(licensing::documents::download_document)
        .service(licensing::bibob::get_bibob)
        .service(licensing::bibob::update_bibob)
        .service(licensing::bibob::list_bibob_checks)
        .service(licensing::deadlines::licensing_dashboard)
        .service(licensing::licences::list_licences)
        .service(licensing::licences::get_licence)
        .service(licensing::licences::suspend_licence)
        .service(licensing::licences::revoke_licence)
        .service(licensing::licences::reinstate_licence)
        .service(complaints::list_complaint_categories)
        .service(complaints::list_complaints)
        .service(complaints::create_partner_signal)
        .service(complaints::bulk_transition_complaints)
        .service(complaints::complaint_hotspots)
        .service(complaints::track_complaint)
        .service(complaints::add_reporter_message)
        .service(complaints::get_complaint)
        .service(complaints::get_complaint_attachment)
        .service(complaints::transition_complaint)
        .service(complaints::assign_complaint)
        .service(complaints::set_complaint_priority)
        .service(complaints::link_complaint)
        .service(complaints::merge_complaint)
        .service(complaints::add_officer_message)
        .service(complaints::add_referral)
        .service(complaints::record_no_referral)
        .service(complaints::set_complaint_retention)
        .service(complaints::run_retention_job)
        .service(objections::create_objection)
        .service(objections::list_objections)
        .service(objections::get_objection)
        .service(objections::objection_action)
        .service(objections::my_objections)
        .service(registration_signals::list_registration_signals)
        .service(registration_signals::get_registration_signal)
        .service(registration_signals::start_registration_investigation)
        .service(registration_signals::conclude_registration_signal)
        .service(leases::create_lease)
        .service(leases::list_leases)
        .service(leases::get_lease)
        .service(leases::update_lease);
    party_links::configure(cfg);
    statistics::configure(cfg);
}

/// Unknown paths answer 404, known paths with another method 405 with the `Allow` header the
/// RFC requires (the methods the OpenAPI document lists, those of the meldpunt's pages; `GET` for
/// the documentation pages) —
/// both as problem+json.
pub async fn fallback(req: HttpRequest) -> Result<actix_web::HttpResponse, AppError> {
    if req.resource_map().has_resource(req.path()) {
        let mut methods = match meldpunt::methods_for(req.path()) {
            Some(page) => page.to_vec(),
            None => crate::openapi::methods_for(req.path()),
        };
        if methods.is_empty() {
            methods.push("GET");
        }
        let mut res = actix_web::ResponseError::error_response(&AppError::MethodNotAllowed);
        if let Ok(allow) = HeaderValue::from_str(&methods.join(", ")) {
            res.headers_mut().insert(actix_web::http::header::ALLOW, allow);
        }
        Ok(res)
    } else {
        Err(AppError::NotFound(format!("there is no resource at {}", req.path())))
    }
}

fn request_id_from(req: &actix_web::dev::ServiceRequest) -> String {
    req.headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .filter(|s| {
            !s.is_empty() && s.len() <= 64 && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        })
        .map(str::to_string)
        .unwrap_or_else(|| uuid::Uuid::new_v4().to_string())
}

/// Middleware body: gives every request an id (`X-Request-Id`, echoed or generated), a tracing
/// span carrying it, and one log line with method, route pattern (never the raw path, which may
/// hold secrets such as tracking codes), status and duration. No IP addresses, no user agents.
pub fn with_request_id<S>(
    req: actix_web::dev::ServiceRequest,
    srv: &S,
) -> impl std::future::Future<Output = Result<ServiceResponse<BoxBody>, actix_web::Error>>
where
    S: Service<actix_web::dev::ServiceRequest, Response = ServiceResponse<BoxBody>, Error = actix_web::Error>,
    S::Future: 'static,
{
    let id = request_id_from(&req);
    let method = req.method().clone();
    // Liveness and readiness probes come every few seconds from the orchestrator: no span and
    // no INFO line for them (DEBUG shows them), so the log holds what people and portals did.
    let probe = matches!(req.path(), "/health" | "/ready");
    let span = if probe { tracing::Span::none() } else { tracing::info_span!("request", request_id = %id) };
    let start = Instant::now();
    let fut = problem::REQUEST_ID.sync_scope(id.clone(), || {
        span.in_scope(|| match extract::nul_in_uri(req.uri()) {
            Some(refused) => {
                futures_util::future::Either::Left(std::future::ready(Ok(req.error_response(refused))))
            }
            None => futures_util::future::Either::Right(srv.call(req)),
        })
    });
    problem::REQUEST_ID
        .scope(id.clone(), async move {
            // Handler and extractor errors arrive here already rendered as problem responses
            // (inside this scope, so they carry the request id).
            let mut res = fut.await?;
            let status = res.status().as_u16();
            let elapsed_ms = start.elapsed().as_secs_f64() * 1000.0;
            if probe {
                tracing::debug!(method = %method, route = res.request().path(), status, elapsed_ms, "request");
            } else {
                let route = res.request().match_pattern().unwrap_or_else(|| "<unmatched>".into());
                tracing::info!(method = %method, route = %route, status, elapsed_ms, "request");
            }
            if let Ok(v) = HeaderValue::from_str(&id) {
                res.headers_mut().insert(HeaderName::from_static("x-request-id"), v);
            }
            Ok(res)
        })
        .instrument(span)
        .boxed_local()
}
