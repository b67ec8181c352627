//! `/v1/webhook-subscriptions`: API clients subscribe a callback URL to event types; the worker
//! (`jobs::webhooks`) delivers each matching event of the client's municipality there, signed.
//! The owning client (scope `webhooks:manage`) manages its own subscriptions; managers and the
//! admin list, read and delete those of their municipalities. The delivery log is in
//! [`deliveries`].

pub mod deliveries;

use actix_web::{delete, get, post, web, HttpResponse};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use crate::db::webhooks::Subscription;
use crate::domain::code::Code;
use crate::domain::events::EventType;
use crate::domain::roles::Role;
use crate::domain::webhooks::{CallbackUrl, DeliveryState, SubscriptionState};
use crate::error::{AppError, FieldError};
use crate::http::auth::{Auth, Caller, WebhookManagers};
use crate::http::common::{page, page_limit};
use crate::http::extract::ValidJson;
use crate::http::problem::{CreateProblems, ReadProblems, StepProblems};
use crate::http::AppState;
use crate::jobs::webhooks::resolver::allowed_addresses;
use crate::service::{self, webhooks};

crate::code_schemas!(
    SubscriptionState => "`active`, or `paused` after it kept failing (its deliveries wait until it is resumed).",
    DeliveryState => "`pending` (waiting for an attempt, also between retries), `delivered` (answered 2xx), or\n`dead_letter` (every attempt failed; can be redelivered).",
);

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateWebhookSubscriptionRequest {
    /// Where deliveries are POSTed: `https`, a public address (no loopback, private, link-local,
    /// …; the host is resolved now and at every delivery).
    #[validate(length(min = 1, max = 2000))]
    #[schema(min_length = 1, max_length = 2000, example = "https://portal.example.nl/huurtoezicht/events")]
    pub callback_url: String,
    /// The event types to receive (at least one).
    #[validate(length(min = 1, max = 100))]
    #[schema(min_items = 1, max_items = 100, value_type = Vec<EventType>)]
    pub event_types: Vec<String>,
    #[validate(length(max = 500))]
    #[schema(max_length = 500)]
    pub description: Option<String>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct WebhookSubscriptionResponse {
    pub id: String,
    /// The owning API client.
    pub client_id: String,
    /// The municipality whose events it receives (CBS code).
    pub municipality_code: String,
    pub callback_url: String,
    #[schema(value_type = Vec<EventType>)]
    pub event_types: Vec<EventType>,
    pub description: Option<String>,
    pub state: SubscriptionState,
    /// Deliveries dead-lettered in a row (it is paused at the configured number).
    pub consecutive_dead_letters: i32,
    pub created_at: DateTime<Utc>,
    pub paused_at: Option<DateTime<Utc>>,
}

impl From<Subscription> for WebhookSubscriptionResponse {
    fn from(s: Subscription) -> Self {
        WebhookSubscriptionResponse {
            event_types: s.event_types(),
            id: s.id,
            client_id: s.client_id,
            municipality_code: s.municipality_code,
            callback_url: s.callback_url,
            description: s.description,
            state: s.state,
            consecutive_dead_letters: s.consecutive_dead_letters,
            created_at: s.created_at.and_utc(),
            paused_at: s.paused_at.map(|t| t.and_utc()),
        }
    }
}

/// The created subscription and its signing secret, shown this once.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct WebhookSubscriptionCreatedResponse {
    pub subscription: WebhookSubscriptionResponse,
    /// The signing secret (Standard Webhooks): `whsec_` + base64 of the HMAC-SHA256 key. Shown
    /// only in this answer.
    #[schema(example = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")]
    pub secret: String,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct WebhookSubscriptionListResponse {
    pub items: Vec<WebhookSubscriptionResponse>,
    /// Pass as `cursor` for the next page; absent on the last page.
    pub next_cursor: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct SubscriptionListQuery {
    /// Opaque cursor from `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Page size, 1–200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<i64>,
}

/// Who looks: an API client sees only its own subscriptions.
pub(crate) fn viewer(caller: &Caller) -> webhooks::Viewer {
    match caller.role {
        Role::ApiClient => webhooks::Viewer::Owner(caller.id.clone()),
        _ => webhooks::Viewer::Staff,
    }
}

fn owner_only(caller: &Caller, what: &str) -> Result<(), AppError> {
    if caller.role == Role::ApiClient {
        Ok(())
    } else {
        Err(AppError::Forbidden(format!("only the owning API client may {what}")))
    }
}

/// Subscribe to events (API clients with `webhooks:manage`). The answer shows the signing secret
/// once. The callback must be `https` on a public address; the host is resolved now (422 naming
/// `/callback_url` and the reason) and again at every delivery.
#[utoipa::path(
    tag = "webhooks",
    security(("bearer" = [])),
    request_body = CreateWebhookSubscriptionRequest,
    responses(
        (status = 201, body = WebhookSubscriptionCreatedResponse),
        CreateProblems
    )
)]
#[post("/v1/webhook-subscriptions")]
pub async fn create_webhook_subscription(
    state: web::Data<AppState>,
    auth: Auth<WebhookManagers>,
    body: ValidJson<CreateWebhookSubscriptionRequest>,
) -> Result<HttpResponse, AppError> {
    owner_only(&auth, "create a subscription")?;
    let municipality = auth
        .municipalities
        .first()
        .cloned()
        .ok_or_else(|| AppError::Forbidden("this API client has no municipality".into()))?;
    let req = body.0;
    let settings = &state.config.webhooks;
    let mut errs = Vec::new();
    let mut event_types: Vec<EventType> = Vec::new();
    for (i, t) in req.event_types.iter().enumerate() {
        match EventType::from_code(t.trim()) {
            Some(t) if !event_types.contains(&t) => event_types.push(t),
            Some(_) => errs.push(FieldError::new(format!("/event_types/{i}"), "is listed twice")),
            None => errs.push(FieldError::new(format!("/event_types/{i}"), "is not a known event type")),
        }
    }
    // The host is resolved only when everything else is valid: a request refused anyway asks no
    // name server (and does not wait for one).
    let url = match CallbackUrl::parse(&req.callback_url, settings.allow_insecure) {
        Ok(url) if !errs.is_empty() => Some(url),
        Ok(url) => {
            match allowed_addresses(
                &url.host(),
                url.port(),
                settings.allow_insecure,
                true,
                settings.dns_timeout,
            )
            .await
            {
                Ok(_) => Some(url),
                Err(reason) => {
                    errs.push(FieldError::new("/callback_url", reason));
                    None
                }
            }
        }
        Err(reason) => {
            errs.push(FieldError::new("/callback_url", reason));
            None
        }
    };
    let (Some(callback_url), true) = (url, errs.is_empty()) else { return Err(AppError::Validation(errs)) };
    let cmd = webhooks::CreateSubscription {
        client_id: auth.id.clone(),
        municipality_code: municipality,
        callback_url,
        event_types,
        description: req.description.map(|d| d.trim().to_string()).filter(|d| !d.is_empty()),
        server_key: settings.key.clone(),
    };
    let created =
        service::write(&state.db, auth.ctx(&state.clock), move |tx| webhooks::create(tx, cmd)).await?;
    Ok(HttpResponse::Created().json(WebhookSubscriptionCreatedResponse {
        subscription: created.subscription.into(),
        secret: created.secret,
    }))
}

/// Webhook subscriptions: an API client's own; for managers and the admin those of their
/// municipalities. Oldest first.
#[utoipa::path(
    tag = "webhooks",
    security(("bearer" = [])),
    params(SubscriptionListQuery),
    responses(
        (status = 200, body = WebhookSubscriptionListResponse),
        CreateProblems
    )
)]
#[get("/v1/webhook-subscriptions")]
pub async fn list_webhook_subscriptions(
    state: web::Data<AppState>,
    auth: Auth<WebhookManagers>,
    query: web::Query<SubscriptionListQuery>,
) -> Result<HttpResponse, AppError> {
    let q = query.into_inner();
    let limit = page_limit(q.limit, 50)?;
    let who = viewer(&auth);
    let mut rows = service::read(&state.db, auth.ctx(&state.clock), move |tx| {
        webhooks::list(tx, &who, q.cursor, limit + 1)
    })
    .await?;
    let next_cursor = page(&mut rows, limit, |s| s.id.clone());
    let items = rows.into_iter().map(WebhookSubscriptionResponse::from).collect();
    Ok(HttpResponse::Ok().json(WebhookSubscriptionListResponse { items, next_cursor }))
}

/// One webhook subscription (404 for another client's).
#[utoipa::path(
    tag = "webhooks",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Subscription id")),
    responses(
        (status = 200, body = WebhookSubscriptionResponse),
        ReadProblems
    )
)]
#[get("/v1/webhook-subscriptions/{id}")]
pub async fn get_webhook_subscription(
    state: web::Data<AppState>,
    auth: Auth<WebhookManagers>,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let (who, id) = (viewer(&auth), id.into_inner());
    let s = service::read(&state.db, auth.ctx(&state.clock), move |tx| webhooks::get(tx, &who, &id)).await?;
    Ok(HttpResponse::Ok().json(WebhookSubscriptionResponse::from(s)))
}

/// Deletes a subscription with its delivery log; pending deliveries are not sent. Audited.
#[utoipa::path(
    tag = "webhooks",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Subscription id")),
    responses(
        (status = 204, description = "Deleted"),
        ReadProblems
    )
)]
#[delete("/v1/webhook-subscriptions/{id}")]
pub async fn delete_webhook_subscription(
    state: web::Data<AppState>,
    auth: Auth<WebhookManagers>,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let (who, id) = (viewer(&auth), id.into_inner());
    service::write(&state.db, auth.ctx(&state.clock), move |tx| webhooks::delete(tx, &who, &id)).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Resumes a paused subscription (the owning API client): its waiting deliveries are attempted
/// again, in order. Audited. 409 when it is not paused.
#[utoipa::path(
    tag = "webhooks",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Subscription id")),
    responses(
        (status = 200, body = WebhookSubscriptionResponse),
        StepProblems
    )
)]
#[post("/v1/webhook-subscriptions/{id}/resume")]
pub async fn resume_webhook_subscription(
    state: web::Data<AppState>,
    auth: Auth<WebhookManagers>,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    owner_only(&auth, "resume a subscription")?;
    let (who, id) = (viewer(&auth), id.into_inner());
    let s =
        service::write(&state.db, auth.ctx(&state.clock), move |tx| webhooks::resume(tx, &who, &id)).await?;
    Ok(HttpResponse::Ok().json(WebhookSubscriptionResponse::from(s)))
}
