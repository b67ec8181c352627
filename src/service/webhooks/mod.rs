//! Webhook subscriptions of API clients: create (the signing secret shown once), list, read,
//! delete, resume. The owner (an API client) sees only its own; managers and the admin see those
//! of their municipalities (the scope). Deliveries and their log are in [`deliveries`]; what the
//! worker records (and pausing) in [`worker`].

pub mod deliveries;
pub mod worker;

use serde_json::json;

use crate::db::webhooks::{self as store, Subscription};
use crate::domain::events::EventType;
use crate::domain::webhooks::signing::{derive_secret, secret_text};
use crate::domain::webhooks::{CallbackUrl, SubscriptionState};
use crate::error::{AppError, AppResult};
use crate::service::{Audit, Tx};

/// Who looks: the owning client (only its own subscriptions) or staff within the scope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Viewer {
    /// An API client: `api_clients.id`.
    Owner(String),
    /// A manager or the admin: every subscription within the caller's scope.
    Staff,
}

impl Viewer {
    fn owner(&self) -> Option<&str> {
        match self {
            Viewer::Owner(id) => Some(id),
            Viewer::Staff => None,
        }
    }
}

/// A subscription to create, parsed.
pub struct CreateSubscription {
    /// The owning API client (`api_clients.id`).
    pub client_id: String,
    /// The client's municipality.
    pub municipality_code: String,
    pub callback_url: CallbackUrl,
    /// Not empty, no duplicates.
    pub event_types: Vec<EventType>,
    pub description: Option<String>,
    /// The server key the secret is derived from (configuration).
    pub server_key: Vec<u8>,
}

/// A created subscription and its secret (`whsec_…`), shown once.
pub struct Created {
    pub subscription: Subscription,
    pub secret: String,
}

pub fn create(tx: &mut Tx, cmd: CreateSubscription) -> AppResult<Created> {
    let subscription = Subscription {
        id: uuid::Uuid::now_v7().to_string(),
        client_id: cmd.client_id,
        municipality_code: cmd.municipality_code,
        callback_url: cmd.callback_url.as_str().to_string(),
        event_types: store::encode_types(&cmd.event_types),
        description: cmd.description,
        state: SubscriptionState::Active,
        secret_version: 1,
        consecutive_dead_letters: 0,
        created_at: tx.now,
        paused_at: None,
    };
    store::insert(tx.conn, &subscription)?;
    tx.audit(
        Audit::of(Some(&subscription.municipality_code), "webhook_subscription", &subscription.id, "create")
            .after(
                json!({"callback_url": subscription.callback_url, "event_types": subscription.event_types,
                "state": "active"}),
            ),
    )?;
    let secret = secret_text(&derive_secret(&cmd.server_key, &subscription.id, subscription.secret_version));
    Ok(Created { subscription, secret })
}

/// One page of subscriptions (`limit` rows; pass one more than the page size to learn whether
/// there is a next page).
pub fn list(tx: &mut Tx, viewer: &Viewer, after: Option<String>, limit: i64) -> AppResult<Vec<Subscription>> {
    store::list(tx.conn, &tx.scope, viewer.owner(), after.as_deref(), limit)
}

/// One subscription the viewer may see; 404 otherwise (another client's looks like none).
pub fn get(tx: &mut Tx, viewer: &Viewer, id: &str) -> AppResult<Subscription> {
    store::find(tx.conn, &tx.scope, viewer.owner(), id)?
        .ok_or_else(|| AppError::NotFound("no such webhook subscription".into()))
}

/// Deletes a subscription with its deliveries (pending ones are never sent). Audited.
pub fn delete(tx: &mut Tx, viewer: &Viewer, id: &str) -> AppResult<()> {
    let s = get(tx, viewer, id)?;
    store::delete(tx.conn, &s.id)?;
    tx.audit(
        Audit::of(Some(&s.municipality_code), "webhook_subscription", &s.id, "delete")
            .before(json!({"callback_url": s.callback_url, "state": s.state})),
    )
}

/// Resumes a paused subscription: its waiting deliveries are attempted again. Audited. 409 when
/// it is not paused.
pub fn resume(tx: &mut Tx, viewer: &Viewer, id: &str) -> AppResult<Subscription> {
    let s = get(tx, viewer, id)?;
    if !store::resume(tx.conn, &s.id)? {
        return Err(AppError::conflict("only a paused subscription can be resumed"));
    }
    tx.audit(
        Audit::of(Some(&s.municipality_code), "webhook_subscription", &s.id, "resume")
            .before(json!({"state": "paused"}))
            .after(json!({"state": "active"})),
    )?;
    get(tx, viewer, id)
}

/// Paused subscriptions of the caller's municipalities (the dashboard count).
pub fn paused_count(tx: &mut Tx) -> AppResult<i64> {
    store::count_paused(tx.conn, &tx.scope)
}
