//! What the delivery worker (`jobs::webhooks`) records, as use cases run as the system: the
//! fan-out of new events into deliveries, and the outcomes of attempts, which may pause a
//! subscription that keeps failing (audited, its owner and managers told by mail).

use std::collections::HashSet;

use serde_json::json;

use crate::db::webhooks::deliveries::{self as store, Attempt, Next};
use crate::db::webhooks::dispatch::{self, Fanned};
use crate::db::webhooks::{self as subs};
use crate::domain::webhooks::should_pause;
use crate::error::AppResult;
use crate::letters::webhooks::WebhookSubscriptionPaused;
use crate::service::events::Envelope;
use crate::service::{Audit, Tx};

/// Fans out up to `batch` new events into deliveries (see `db::webhooks::dispatch`); `source` is
/// the envelope's `source` (the installation's public URL).
pub fn fan_out(tx: &mut Tx, batch: i64, source: &str) -> AppResult<Fanned> {
    let body = |e: &crate::db::events::EventRow| {
        serde_json::to_string(&Envelope::of(e, source)).unwrap_or_else(|_| "{}".into())
    };
    dispatch::fan_out(tx.conn, tx.now, batch, &body)
}

/// One attempt's outcome, as the worker saw it.
pub struct Outcome {
    pub subscription_id: String,
    pub attempt: Attempt,
    pub next: Next,
}

/// What recording a batch of outcomes did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Recorded {
    pub recorded: usize,
    /// Outcomes not recorded: the claim was lost.
    pub lease_lost: usize,
    /// Subscriptions paused by these outcomes.
    pub paused: Vec<String>,
}

/// Records the outcomes of a batch of attempts held by `worker`. A dead letter that makes
/// `pause_after` in a row pauses its subscription.
pub fn record(tx: &mut Tx, worker: &str, outcomes: &[Outcome], pause_after: u32) -> AppResult<Recorded> {
    let mut done = Recorded::default();
    // Subscriptions whose dead-letter count this batch has already set to 0: a run of delivered
    // outcomes resets it once, not once per delivery (two statements fewer per delivery).
    let mut reset: HashSet<&str> = HashSet::new();
    for o in outcomes {
        if !store::record(tx.conn, worker, &o.attempt, o.next)? {
            done.lease_lost += 1;
            continue;
        }
        done.recorded += 1;
        match o.next {
            Next::Delivered => {
                if reset.insert(o.subscription_id.as_str()) {
                    subs::reset_dead_letters(tx.conn, &o.subscription_id)?;
                }
            }
            Next::DeadLetter => {
                reset.remove(o.subscription_id.as_str());
                let in_a_row = subs::count_dead_letter(tx.conn, &o.subscription_id)?;
                if should_pause(in_a_row, pause_after) && pause(tx, &o.subscription_id, in_a_row)? {
                    done.paused.push(o.subscription_id.clone());
                }
            }
            Next::RetryAt(_) => {}
        }
    }
    Ok(done)
}

fn pause(tx: &mut Tx, id: &str, dead_letters: i32) -> AppResult<bool> {
    let now = tx.now;
    if !subs::pause(tx.conn, id, now)? {
        return Ok(false);
    }
    let Some(s) = subs::find(tx.conn, &tx.scope, None, id)? else { return Ok(false) };
    tx.audit(
        Audit::of(Some(&s.municipality_code), "webhook_subscription", &s.id, "pause")
            .before(json!({"state": "active"}))
            .after(json!({"state": "paused", "consecutive_dead_letters": dead_letters})),
    )?;
    let letter = WebhookSubscriptionPaused {
        subscription_id: &s.id,
        municipality: &s.municipality_code,
        callback_url: &s.callback_url,
        dead_letters,
    }
    .letter()?;
    for to in subs::notice_addresses(tx.conn, &s.client_id, &s.municipality_code)? {
        tx.mail(Some(&s.municipality_code), &to, &letter)?;
    }
    Ok(true)
}
