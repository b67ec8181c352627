//! The outbox sender: claims due messages one at a time, sends each through the configured
//! transport (SMTP via lettre, or `.eml` files in a folder when no SMTP relay is configured), and
//! records the result.
//!
//! - A claim is a lease that outlasts the whole send: the send is cut off after the send timeout,
//!   which is shorter than the lease (checked at start-up), so no other worker claims a message
//!   while it is being sent. A crashed worker's message is claimed again when its lease ends.
//! - A result is recorded only while this worker still holds the message; if not, a warning names
//!   the message and nothing is written (or logged as delivered).
//! - A database error while recording one message is logged and the pass goes on.
//! - Each message carries `Message-ID: <outbox-id@sender-domain>`, the same on every attempt and
//!   every instance, so a receiving server can drop a copy sent twice.
//! - Failed sends are retried with exponential backoff (5 s doubling, capped) until the next
//!   attempt would fall beyond the retry horizon counted from when the message was queued (or
//!   requeued); then the message is `failed` until an administrator requeues it. After a
//!   successful send that follows a failed one, every waiting message is due at once.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use anyhow::Context;
use chrono::NaiveDateTime;
use lettre::message::{header::ContentType, Mailbox};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use crate::clock::Clock;
use crate::config::outbox::OutboxSettings;
use crate::config::{Config, MailSettings, SmtpSecurity};
use crate::db::outbox::{self as store, OutboxMessage};
use crate::db::{Db, DbConnection};
use crate::error::AppResult;

/// Messages sent in one pass at most, so that a pass ends and the worker sleeps.
const MAX_PER_PASS: usize = 200;

/// Used in `Message-ID` when the sender address has no domain.
const FALLBACK_DOMAIN: &str = "huurtoezicht.invalid";

pub enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    Files(PathBuf),
}

impl Transport {
    /// Builds the transport; call inside the Tokio runtime. `timeout` bounds each SMTP command.
    pub fn from_settings(s: &MailSettings, timeout: Duration) -> anyhow::Result<Self> {
        let Some(smtp) = &s.smtp else {
            std::fs::create_dir_all(&s.dir)
                .with_context(|| format!("cannot create the mail folder {}", s.dir.display()))?;
            return Ok(Transport::Files(s.dir.clone()));
        };
        let mut b = match smtp.security {
            SmtpSecurity::None => AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&smtp.host),
            SmtpSecurity::StartTls => AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&smtp.host)
                .context("invalid SMTP host for STARTTLS")?,
            SmtpSecurity::Tls => AsyncSmtpTransport::<Tokio1Executor>::relay(&smtp.host)
                .context("invalid SMTP host for TLS")?,
        }
        .port(smtp.port)
        .timeout(Some(timeout));
        if let (Some(u), Some(p)) = (&smtp.username, &smtp.password) {
            b = b.credentials(Credentials::new(u.clone(), p.clone()));
        }
        Ok(Transport::Smtp(b.build()))
    }

    pub fn describe(&self) -> String {
        match self {
            Transport::Smtp(_) => "SMTP relay".into(),
            Transport::Files(dir) => format!(".eml files in {}", dir.display()),
        }
    }

    async fn send(&self, msg: &OutboxMessage, from: &Mailbox, message_id: String) -> anyhow::Result<()> {
        let to: Mailbox = msg.recipient.parse().context("invalid recipient address")?;
        let email = Message::builder()
            .from(from.clone())
            .to(to)
            .message_id(Some(message_id))
            .subject(msg.subject.clone())
            .header(ContentType::TEXT_PLAIN)
            .body(msg.body.clone())
            .context("cannot build the message")?;
        match self {
            Transport::Smtp(t) => {
                t.send(email).await.context("SMTP delivery failed")?;
            }
            Transport::Files(dir) => {
                let path = dir.join(format!("{}.eml", msg.id));
                let tmp = dir.join(format!(".{}.eml.tmp", msg.id));
                let bytes = email.formatted();
                tokio::task::spawn_blocking(move || -> std::io::Result<()> {
                    std::fs::write(&tmp, bytes)?;
                    std::fs::rename(&tmp, &path)
                })
                .await
                .context("file writer task failed")?
                .context("cannot write the .eml file")?;
            }
        }
        Ok(())
    }
}

/// When failed sends are tried again, and when they are given up.
#[derive(Debug, Clone, Copy)]
pub struct RetryPolicy {
    pub horizon: chrono::Duration,
    pub max_backoff: chrono::Duration,
}

impl RetryPolicy {
    pub fn from_settings(s: &OutboxSettings) -> Self {
        let d = |d: Duration| chrono::Duration::seconds(i64::try_from(d.as_secs()).unwrap_or(i64::MAX / 2));
        RetryPolicy { horizon: d(s.retry_horizon), max_backoff: d(s.max_backoff) }
    }

    /// The wait after the `failures`-th failed attempt (1 or more): 5 s, 10 s, 20 s, … up to
    /// `max_backoff`.
    pub fn backoff(&self, failures: i32) -> chrono::Duration {
        let exp = failures.saturating_sub(1).clamp(0, 30) as u32;
        chrono::Duration::seconds(5i64.saturating_mul(1i64 << exp)).min(self.max_backoff)
    }

    /// When to try again after the `failures`-th failed attempt at `now`, for a message whose
    /// retries started at `since` (queued or requeued); `None` when that falls beyond the
    /// horizon: the message has failed.
    pub fn next_attempt(
        &self,
        failures: i32,
        now: NaiveDateTime,
        since: NaiveDateTime,
    ) -> Option<NaiveDateTime> {
        let at = now + self.backoff(failures);
        (at <= since + self.horizon).then_some(at)
    }
}

pub struct Sender {
    pub db: Db,
    pub transport: Transport,
    pub clock: Clock,
    pub from: Mailbox,
    /// The domain part of `Message-ID` (the sender address's domain).
    pub message_id_domain: String,
    pub settings: OutboxSettings,
    pub worker_id: String,
    /// A send failed for a reason other than a permanent refusal (the relay may be down); the
    /// next successful send makes every waiting message due at once.
    relay_trouble: AtomicBool,
}

/// How recording a result ended.
enum Recorded {
    Yes,
    LeaseLost,
    DbError,
}

impl Sender {
    pub fn new(db: Db, transport: Transport, clock: Clock, config: &Config) -> anyhow::Result<Self> {
        let from: Mailbox = config.mail.from.parse().context("HUURTOEZICHT_MAIL_FROM")?;
        let domain = from.email.domain().trim().to_string();
        Ok(Sender {
            db,
            transport,
            clock,
            from,
            message_id_domain: if domain.is_empty() { FALLBACK_DOMAIN.into() } else { domain },
            settings: config.outbox.clone(),
            worker_id: uuid::Uuid::new_v4().to_string(),
            relay_trouble: AtomicBool::new(false),
        })
    }

    /// The `Message-ID` of an outbox message: the same on every attempt and every instance.
    pub fn message_id(&self, outbox_id: &str) -> String {
        format!("<{outbox_id}@{}>", self.message_id_domain)
    }

    /// One pass: claims due messages one by one and tries each once. Returns how many were
    /// delivered. Never fails: a problem is logged and ends at most the pass.
    pub async fn run_once(&self) -> usize {
        let mut sent = 0;
        for _ in 0..MAX_PER_PASS {
            let worker = self.worker_id.clone();
            let now = self.clock.now_naive();
            let lease =
                chrono::Duration::from_std(self.settings.lease).unwrap_or(chrono::Duration::seconds(60));
            let msg = match self.db.write(move |c| store::claim_next(c, &worker, now, lease)).await {
                Ok(Some(m)) => m,
                Ok(None) => break,
                Err(e) => {
                    tracing::error!(error = %e, "claiming an outbox message failed; trying again next pass");
                    break;
                }
            };
            if self.deliver(msg).await {
                sent += 1;
            }
        }
        sent
    }

    /// Sends one claimed message and records the result. True when it was delivered.
    async fn deliver(&self, msg: OutboxMessage) -> bool {
        let id = msg.id.clone();
        let result = match tokio::time::timeout(
            self.settings.send_timeout,
            self.transport.send(&msg, &self.from, self.message_id(&id)),
        )
        .await
        {
            Ok(r) => r,
            Err(_) => Err(anyhow::anyhow!("no answer within {} s", self.settings.send_timeout.as_secs())),
        };
        let worker = self.worker_id.clone();
        let now = self.clock.now_naive();
        match result {
            Ok(()) => {
                let (i, w) = (id.clone(), worker.clone());
                match self.record(&id, move |c| store::mark_sent(c, &i, &w, now)).await {
                    Recorded::Yes => tracing::info!(outbox_id = %id, "outbox message delivered"),
                    Recorded::LeaseLost => tracing::warn!(
                        outbox_id = %id,
                        "outbox message sent, but the lease was lost; not recorded as delivered by this worker"
                    ),
                    Recorded::DbError => tracing::error!(
                        outbox_id = %id,
                        "outbox message sent but not recorded; it is sent again (same Message-ID) when its lease ends"
                    ),
                }
                // After this worker saw a failure, or when this message had failed before (on any
                // instance), the relay is back: wake the messages waiting for a retry.
                if self.relay_trouble.swap(false, Ordering::Relaxed) || msg.attempts > 0 {
                    match self.db.write(move |c| store::wake_waiting(c, now)).await {
                        Ok(0) => {}
                        Ok(n) => tracing::info!(
                            messages = n,
                            "mail is delivered again: waiting messages are due now"
                        ),
                        Err(e) => tracing::warn!(error = %e, "could not make waiting outbox messages due"),
                    }
                }
                true
            }
            Err(e) => {
                // The relay's answer may quote the recipient: mask it for the log and the row.
                let err = crate::domain::redact::redact_address(&format!("{e:#}"), &msg.recipient);
                if !is_permanent(&e) {
                    self.relay_trouble.store(true, Ordering::Relaxed);
                }
                let attempts = msg.attempts.saturating_add(1);
                let policy = RetryPolicy::from_settings(&self.settings);
                let retry_at = policy.next_attempt(attempts, now, msg.requeued_at.unwrap_or(msg.created_at));
                let (i, w, text) = (id.clone(), worker, err.clone());
                let recorded = self
                    .record(&id, move |c| {
                        store::mark_attempt_failed(c, &i, &w, attempts, &text, now, retry_at)
                    })
                    .await;
                match (recorded, retry_at) {
                    (Recorded::Yes, Some(at)) => tracing::warn!(
                        outbox_id = %id, attempts, next_attempt_at = %at, error = %err,
                        "outbox delivery failed; will retry"
                    ),
                    (Recorded::Yes, None) => tracing::error!(
                        outbox_id = %id, attempts, error = %err,
                        "outbox delivery failed for good (retry horizon reached); requeue with POST /v1/outbox/{{id}}/requeue"
                    ),
                    (Recorded::LeaseLost, _) => tracing::warn!(
                        outbox_id = %id, error = %err,
                        "outbox delivery failed, but the lease was lost; attempt not recorded by this worker"
                    ),
                    (Recorded::DbError, _) => tracing::error!(
                        outbox_id = %id, error = %err,
                        "outbox delivery failed and could not be recorded; retried when its lease ends"
                    ),
                }
                false
            }
        }
    }

    /// Runs a conditional result update, trying a database error twice more (short pauses).
    async fn record<F>(&self, id: &str, f: F) -> Recorded
    where
        F: Fn(&mut DbConnection) -> AppResult<bool> + Clone + Send + 'static,
    {
        for pause_ms in [250u64, 1000, 0] {
            let f = f.clone();
            match self.db.write(f).await {
                Ok(true) => return Recorded::Yes,
                Ok(false) => return Recorded::LeaseLost,
                Err(e) if pause_ms > 0 => {
                    tracing::warn!(outbox_id = %id, error = %e, "recording an outbox result failed; trying again");
                    tokio::time::sleep(Duration::from_millis(pause_ms)).await;
                }
                Err(e) => tracing::error!(outbox_id = %id, error = %e, "recording an outbox result failed"),
            }
        }
        Recorded::DbError
    }

    /// Runs for ever, polling every `poll_interval`. Each pass runs as its own task, so that even
    /// a panic ends only that pass (its message is claimed again after the lease).
    pub async fn run(self) {
        let poll = self.settings.poll_interval;
        let sender = std::sync::Arc::new(self);
        loop {
            let s = sender.clone();
            if let Err(e) = tokio::spawn(async move { s.run_once().await }).await {
                tracing::error!(error = %e, "outbox pass ended abnormally; the next pass goes on");
            }
            tokio::time::sleep(poll).await;
        }
    }
}

/// A refusal that retrying will not change (an SMTP 5xx answer, an impossible address): such a
/// failure does not mean the relay is down.
fn is_permanent(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<lettre::transport::smtp::Error>().is_some_and(|s| s.is_permanent())
            || c.downcast_ref::<lettre::address::AddressError>().is_some()
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use chrono::{Duration, NaiveDate};

    use super::*;

    fn policy(hours: i64, cap_secs: i64) -> RetryPolicy {
        RetryPolicy { horizon: Duration::hours(hours), max_backoff: Duration::seconds(cap_secs) }
    }

    fn t0() -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 11, 26).unwrap().and_hms_opt(8, 0, 0).unwrap()
    }

    #[test]
    fn backoff_doubles_from_five_seconds_and_is_capped() {
        let p = policy(24, 300);
        let waits: Vec<i64> = (1..=9).map(|n| p.backoff(n).num_seconds()).collect();
        assert_eq!(waits, [5, 10, 20, 40, 80, 160, 300, 300, 300]);
        assert_eq!(p.backoff(i32::MAX).num_seconds(), 300);
        assert_eq!(p.backoff(0).num_seconds(), 5);
        assert_eq!(policy(24, 3600).backoff(10).num_seconds(), 2560);
    }

    #[test]
    fn retries_continue_until_the_next_attempt_would_fall_beyond_the_horizon() {
        let p = policy(24, 300);
        // Failing from the start: after eleven minutes it still retries (it used to give up).
        assert_eq!(
            p.next_attempt(8, t0() + Duration::minutes(11), t0()),
            Some(t0() + Duration::seconds(960))
        );
        // Just inside the horizon: retried; the next attempt would lie beyond it: failed.
        let late = t0() + Duration::hours(24) - Duration::seconds(300);
        assert_eq!(p.next_attempt(300, late, t0()), Some(t0() + Duration::hours(24)));
        assert_eq!(p.next_attempt(300, late + Duration::seconds(1), t0()), None);
        // A requeue counts the horizon from the requeue.
        let requeued = t0() + Duration::hours(30);
        assert!(p.next_attempt(300, requeued + Duration::hours(1), requeued).is_some());
    }

    #[test]
    fn a_full_day_of_failures_makes_about_three_hundred_attempts_then_fails() {
        let p = policy(24, 300);
        let (mut now, mut failures) = (t0(), 0);
        loop {
            failures += 1;
            match p.next_attempt(failures, now, t0()) {
                Some(at) => now = at,
                None => break,
            }
        }
        assert!(
            now <= t0() + Duration::hours(24) && now > t0() + Duration::hours(24) - Duration::seconds(300)
        );
        assert!((280..=300).contains(&failures), "{failures} attempts");
    }
}
