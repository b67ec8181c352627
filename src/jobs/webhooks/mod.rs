//! The webhook worker: fans new events out into deliveries, claims due deliveries in batches on a
//! lease, POSTs each (several at once, one keep-alive client) and records the outcomes.
//!
//! - Fan-out: `service::webhooks::worker::fan_out`, exactly once across instances (a
//!   compare-and-set on the one dispatcher cursor, in the transaction that inserts deliveries).
//! - Claims: `db::webhooks::deliveries::claim`, at most `concurrency` at a time, in order per
//!   subject; the lease (timeout + 30 s) outlasts the attempts of one batch, which all run at once.
//! - Each attempt: the callback URL is checked again, the host resolved again by a resolver that
//!   answers only allowed addresses, redirects are not followed; the body is the CloudEvents
//!   envelope with `Content-Type: application/cloudevents+json` and the Standard Webhooks headers.
//!   2xx is delivered; anything else, or no answer within the timeout, is retried with
//!   exponential backoff and full jitter, then dead-lettered.
//! - Outcomes are recorded in one transaction per batch, only while the claim is held.
//! - It stops when the instance starts draining (shutdown).

pub mod resolver;

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Instant;

use anyhow::Context;

use crate::clock::Clock;
use crate::config::webhooks::WebhookSettings;
use crate::config::Config;
use crate::db::webhooks::deliveries::{self as store, Attempt, Delivery, Next};
use crate::db::webhooks::{self as subs, Subscription};
use crate::db::Db;
use crate::domain::webhooks::signing::{derive_secret, signature};
use crate::domain::webhooks::{is_success, CallbackUrl};
use crate::service::webhooks::worker::{self, Outcome};
use crate::service::{self, Ctx};
use crate::shutdown::Draining;

/// Events read from the feed per fan-out transaction.
const FAN_OUT_BATCH: i64 = 500;

/// Deliveries fanned out in one pass from which the planner statistics are refreshed
/// (`store::refresh_statistics`).
const BACKLOG: usize = 2_000;

pub struct Deliverer {
    db: Db,
    clock: Clock,
    settings: WebhookSettings,
    /// The envelope's `source`.
    source: String,
    client: reqwest::Client,
    worker_id: String,
}

impl Deliverer {
    pub fn new(db: Db, clock: Clock, config: &Config) -> anyhow::Result<Self> {
        let settings = config.webhooks.clone();
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(settings.timeout)
            .connect_timeout(settings.timeout)
            .pool_max_idle_per_host(settings.concurrency)
            .dns_resolver(Arc::new(resolver::PolicyResolver {
                allow_insecure: settings.allow_insecure,
                within: settings.dns_timeout,
            }))
            .user_agent("Huurtoezicht-Webhooks/1")
            .build()
            .context("cannot build the webhook delivery client")?;
        Ok(Deliverer {
            db,
            clock,
            settings,
            source: config.access.public_url.clone(),
            client,
            worker_id: uuid::Uuid::new_v4().to_string(),
        })
    }

    fn ctx(&self) -> Ctx {
        Ctx::system(self.clock.now_naive(), self.clock.today_nl())
    }

    /// Fans out every new event (as far as this instance wins the cursor). Returns the
    /// deliveries created.
    pub async fn fan_out(&self) -> usize {
        let mut created = 0;
        loop {
            let source = self.source.clone();
            match service::write(&self.db, self.ctx(), move |tx| worker::fan_out(tx, FAN_OUT_BATCH, &source))
                .await
            {
                Ok(f) => {
                    created += f.deliveries;
                    if f.lost_race || f.events < usize::try_from(FAN_OUT_BATCH).unwrap_or(0) {
                        break;
                    }
                }
                Err(e) => {
                    tracing::error!(error = %e, "fanning out events to webhooks failed; trying again next pass");
                    break;
                }
            }
        }
        if created >= BACKLOG {
            if let Err(e) = self.db.write(store::refresh_statistics).await {
                tracing::warn!(error = %e, "refreshing the statistics of webhook deliveries failed");
            }
        }
        created
    }

    /// One batch: claims up to `concurrency` due deliveries, attempts them at once and records
    /// the outcomes. Returns how many were claimed.
    pub async fn deliver_batch(self: &Arc<Self>) -> usize {
        let (worker, now) = (self.worker_id.clone(), self.clock.now_naive());
        let lease = chrono::Duration::from_std(self.settings.lease).unwrap_or(chrono::Duration::seconds(60));
        let limit = i64::try_from(self.settings.concurrency).unwrap_or(64);
        let claimed = match self
            .db
            .write(move |c| {
                let batch = store::claim(c, &worker, now, lease, limit)?;
                let subscriptions: HashMap<String, Subscription> = if batch.is_empty() {
                    HashMap::new()
                } else {
                    subs::all(c)?.into_iter().map(|s| (s.id.clone(), s)).collect()
                };
                Ok((batch, subscriptions))
            })
            .await
        {
            Ok(c) => c,
            Err(e) => {
                tracing::error!(error = %e, "claiming webhook deliveries failed; trying again next pass");
                return 0;
            }
        };
        let (batch, subscriptions) = claimed;
        let n = batch.len();
        let mut tasks = tokio::task::JoinSet::new();
        for d in batch {
            let Some(s) = subscriptions.get(&d.subscription_id).cloned() else { continue };
            let me = self.clone();
            tasks.spawn(async move { me.attempt(d, s).await });
        }
        let mut outcomes = Vec::with_capacity(n);
        while let Some(r) = tasks.join_next().await {
            match r {
                Ok(o) => outcomes.push(o),
                Err(e) => {
                    tracing::error!(error = %e, "a webhook attempt ended abnormally; retried after its lease")
                }
            }
        }
        let (worker, pause_after) = (self.worker_id.clone(), self.settings.pause_after_dead_letters);
        match service::write(&self.db, self.ctx(), move |tx| {
            worker::record(tx, &worker, &outcomes, pause_after)
        })
        .await
        {
            Ok(r) => {
                if r.lease_lost > 0 {
                    tracing::warn!(
                        outcomes = r.lease_lost,
                        "webhook outcomes not recorded: the claim was lost"
                    );
                }
                for id in r.paused {
                    tracing::warn!(subscription_id = %id, "webhook subscription paused: it keeps failing");
                }
            }
            Err(e) => {
                tracing::error!(error = %e, "recording webhook outcomes failed; retried after the lease")
            }
        }
        n
    }

    async fn attempt(&self, d: Delivery, s: Subscription) -> Outcome {
        let attempted_at = self.clock.now_naive();
        let started = Instant::now();
        let result = self.post(&d, &s).await;
        let latency_ms = i32::try_from(started.elapsed().as_millis()).unwrap_or(i32::MAX);
        let (status_code, error) = match &result {
            Ok(code) if is_success(*code) => (Some(i32::from(*code)), None),
            Ok(code) => (Some(i32::from(*code)), Some(format!("the receiver answered HTTP {code}"))),
            Err(e) => (None, Some(e.chars().take(500).collect())),
        };
        let next = if error.is_none() {
            Next::Delivered
        } else {
            let failures = u32::try_from(d.attempts.saturating_add(1)).unwrap_or(u32::MAX);
            match self.settings.retry.next_wait(failures, rand::random::<f64>()) {
                Some(wait) => Next::RetryAt(
                    self.clock.now_naive()
                        + chrono::Duration::from_std(wait).unwrap_or(chrono::Duration::hours(1)),
                ),
                None => Next::DeadLetter,
            }
        };
        Outcome {
            subscription_id: s.id,
            attempt: Attempt {
                id: uuid::Uuid::now_v7().to_string(),
                delivery_id: d.id,
                attempted_at,
                status_code,
                latency_ms,
                error,
            },
            next,
        }
    }

    /// POSTs one delivery; the receiver's status code, or why there was none.
    async fn post(&self, d: &Delivery, s: &Subscription) -> Result<u16, String> {
        let url = CallbackUrl::parse(&s.callback_url, self.settings.allow_insecure)?;
        let secret = derive_secret(&self.settings.key, &s.id, s.secret_version);
        let timestamp = self.clock.now().timestamp();
        let request = self
            .client
            .post(url.as_str())
            .header(reqwest::header::CONTENT_TYPE, "application/cloudevents+json")
            .header("webhook-id", d.id.as_str())
            .header("webhook-timestamp", timestamp.to_string())
            .header("webhook-signature", signature(&secret, &d.id, timestamp, d.body.as_bytes()))
            .body(d.body.clone());
        match tokio::time::timeout(self.settings.timeout, request.send()).await {
            Err(_) => Err(format!("no answer within {} ms", self.settings.timeout.as_millis())),
            Ok(Err(e)) if e.is_timeout() => {
                Err(format!("no answer within {} ms", self.settings.timeout.as_millis()))
            }
            Ok(Err(e)) => Err(describe(&e)),
            Ok(Ok(response)) => Ok(response.status().as_u16()),
        }
    }

    /// Runs until the instance drains: fan-out, then batches while there is work, then a pause.
    pub async fn run(self, draining: Arc<Draining>) {
        let me = Arc::new(self);
        let poll = me.settings.poll_interval;
        while !draining.is_draining() {
            let m = me.clone();
            let pass = tokio::spawn(async move {
                m.fan_out().await;
                m.deliver_batch().await
            })
            .await;
            match pass {
                Ok(n) if n >= me.settings.concurrency => continue,
                Ok(_) => {}
                Err(e) => tracing::error!(error = %e, "webhook pass ended abnormally; the next pass goes on"),
            }
            tokio::time::sleep(poll).await;
        }
        tracing::info!("webhook worker stopped (draining)");
    }
}

/// An error of the HTTP client with its causes, in one line.
fn describe(e: &reqwest::Error) -> String {
    let mut text = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}
