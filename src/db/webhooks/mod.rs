//! Webhook subscriptions (`webhook_subscriptions`); their deliveries and attempts are in
//! [`deliveries`], the dispatcher's fan-out from the event feed in [`dispatch`].

pub mod deliveries;
pub mod dispatch;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::{webhook_attempts, webhook_deliveries, webhook_subscriptions as subs};
use super::scope::Scope;
use super::DbConnection;
use crate::domain::code::Code;
use crate::domain::events::EventType;
use crate::domain::webhooks::{DeliveryState, SubscriptionState};
use crate::error::AppResult;

crate::text_columns!(SubscriptionState, DeliveryState);

/// One subscription. The signing secret is not here: it is derived from the server key, `id`
/// and `secret_version`.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = subs)]
pub struct Subscription {
    pub id: String,
    /// The owning API client (`api_clients.id`).
    pub client_id: String,
    /// The owning client's municipality: the only one whose events it receives.
    pub municipality_code: String,
    pub callback_url: String,
    /// Event type codes separated by spaces (see [`Subscription::event_types`]).
    pub event_types: String,
    pub description: Option<String>,
    pub state: SubscriptionState,
    pub secret_version: i32,
    /// Deliveries dead-lettered in a row (a delivered one resets it).
    pub consecutive_dead_letters: i32,
    pub created_at: NaiveDateTime,
    pub paused_at: Option<NaiveDateTime>,
}

impl Subscription {
    /// The stored codes as types (an unknown code is skipped).
    pub fn event_types(&self) -> Vec<EventType> {
        self.event_types.split_whitespace().filter_map(EventType::from_code).collect()
    }

    pub fn wants(&self, t: EventType) -> bool {
        self.event_types.split_whitespace().any(|c| c == t.code())
    }
}

/// The stored form of a list of event types.
pub fn encode_types(types: &[EventType]) -> String {
    types.iter().map(|t| t.code()).collect::<Vec<_>>().join(" ")
}

pub fn insert(conn: &mut DbConnection, s: &Subscription) -> AppResult<()> {
    diesel::insert_into(subs::table).values(s.clone()).execute(conn)?;
    Ok(())
}

/// One subscription within `scope` (its municipality); `owner`: only that client's.
pub fn find(
    conn: &mut DbConnection,
    scope: &Scope,
    owner: Option<&str>,
    id: &str,
) -> AppResult<Option<Subscription>> {
    let mut q = crate::scoped!(subs::table.into_boxed(), subs::municipality_code, scope);
    if let Some(owner) = owner {
        q = q.filter(subs::client_id.eq(owner.to_string()));
    }
    Ok(q.filter(subs::id.eq(id)).select(Subscription::as_select()).first(conn).optional()?)
}

/// Subscriptions within `scope` (and of `owner` when given), oldest first by id, after `after`.
pub fn list(
    conn: &mut DbConnection,
    scope: &Scope,
    owner: Option<&str>,
    after: Option<&str>,
    limit: i64,
) -> AppResult<Vec<Subscription>> {
    let mut q = crate::scoped!(subs::table.into_boxed(), subs::municipality_code, scope);
    if let Some(owner) = owner {
        q = q.filter(subs::client_id.eq(owner.to_string()));
    }
    if let Some(after) = after {
        q = q.filter(subs::id.gt(after.to_string()));
    }
    Ok(q.order(subs::id.asc()).limit(limit).select(Subscription::as_select()).load(conn)?)
}

/// Every subscription (the dispatcher's fan-out).
pub fn all(conn: &mut DbConnection) -> AppResult<Vec<Subscription>> {
    Ok(subs::table.order(subs::id.asc()).select(Subscription::as_select()).load(conn)?)
}

/// Removes a subscription with its deliveries and their attempts.
pub fn delete(conn: &mut DbConnection, id: &str) -> AppResult<bool> {
    let deliveries = webhook_deliveries::table
        .filter(webhook_deliveries::subscription_id.eq(id))
        .select(webhook_deliveries::id);
    diesel::delete(webhook_attempts::table.filter(webhook_attempts::delivery_id.eq_any(deliveries)))
        .execute(conn)?;
    diesel::delete(webhook_deliveries::table.filter(webhook_deliveries::subscription_id.eq(id)))
        .execute(conn)?;
    Ok(diesel::delete(subs::table.filter(subs::id.eq(id))).execute(conn)? == 1)
}

/// Pauses an active subscription; `false` when it was not active.
pub fn pause(conn: &mut DbConnection, id: &str, now: NaiveDateTime) -> AppResult<bool> {
    Ok(diesel::update(subs::table.filter(subs::id.eq(id)).filter(subs::state.eq(SubscriptionState::Active)))
        .set((subs::state.eq(SubscriptionState::Paused), subs::paused_at.eq(Some(now))))
        .execute(conn)?
        == 1)
}

/// Resumes a paused subscription (its count of dead letters starts again); `false` when it was
/// not paused.
pub fn resume(conn: &mut DbConnection, id: &str) -> AppResult<bool> {
    Ok(diesel::update(subs::table.filter(subs::id.eq(id)).filter(subs::state.eq(SubscriptionState::Paused)))
        .set((
            subs::state.eq(SubscriptionState::Active),
            subs::paused_at.eq(None::<NaiveDateTime>),
            subs::consecutive_dead_letters.eq(0),
        ))
        .execute(conn)?
        == 1)
}

/// Ends a subscription's run of dead letters (a delivered outcome); a no-op when there is none.
pub fn reset_dead_letters(conn: &mut DbConnection, id: &str) -> AppResult<()> {
    diesel::update(subs::table.filter(subs::id.eq(id)).filter(subs::consecutive_dead_letters.ne(0)))
        .set(subs::consecutive_dead_letters.eq(0))
        .execute(conn)?;
    Ok(())
}

/// Counts a dead-lettered delivery; returns the new count of dead letters in a row.
pub fn count_dead_letter(conn: &mut DbConnection, id: &str) -> AppResult<i32> {
    diesel::update(subs::table.filter(subs::id.eq(id)))
        .set(subs::consecutive_dead_letters.eq(subs::consecutive_dead_letters + 1))
        .execute(conn)?;
    Ok(subs::table
        .filter(subs::id.eq(id))
        .select(subs::consecutive_dead_letters)
        .first(conn)
        .optional()?
        .unwrap_or(0))
}

/// Paused subscriptions within `scope` (the managers' dashboard count).
pub fn count_paused(conn: &mut DbConnection, scope: &Scope) -> AppResult<i64> {
    let q = crate::scoped!(subs::table.into_boxed(), subs::municipality_code, scope);
    Ok(q.filter(subs::state.eq(SubscriptionState::Paused)).count().get_result(conn)?)
}

/// Where the notices about a subscription go: the owning client's contact address (when set)
/// and the active managers of `municipality`.
pub fn notice_addresses(
    conn: &mut DbConnection,
    client_id: &str,
    municipality: &str,
) -> AppResult<Vec<String>> {
    use super::schema::{account_municipalities as am, accounts, api_clients};
    let mut out: Vec<String> = api_clients::table
        .filter(api_clients::id.eq(client_id))
        .filter(api_clients::contact_email.is_not_null())
        .select(api_clients::contact_email.assume_not_null())
        .load(conn)?;
    let managers: Vec<String> = accounts::table
        .inner_join(am::table)
        .filter(am::municipality_code.eq(municipality))
        .filter(accounts::role.eq(crate::domain::roles::Role::Manager))
        .filter(accounts::disabled.eq(false))
        .select(accounts::email)
        .order(accounts::email.asc())
        .load(conn)?;
    out.extend(managers);
    out.dedup();
    Ok(out)
}
