//! The outbox sender: claims due messages, sends them through the configured transport (SMTP via
//! lettre, or `.eml` files in a folder when no SMTP relay is configured), and records the result.
//! Failed sends are retried with exponential backoff up to a maximum number of attempts.

use std::path::PathBuf;
use std::time::Duration;

use anyhow::Context;
use lettre::message::{header::ContentType, Mailbox};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use crate::clock::Clock;
use crate::config::{MailSettings, SmtpSecurity};
use crate::db::outbox::{self as store, OutboxMessage};
use crate::db::Db;

pub enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    Files(PathBuf),
}

impl Transport {
    /// Builds the transport; call inside the Tokio runtime.
    pub fn from_settings(s: &MailSettings) -> anyhow::Result<Self> {
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
        .timeout(Some(Duration::from_secs(20)));
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

    async fn send(&self, msg: &OutboxMessage, from: &Mailbox) -> anyhow::Result<()> {
        let to: Mailbox = msg.recipient.parse().context("invalid recipient address")?;
        let email = Message::builder()
            .from(from.clone())
            .to(to)
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

pub struct Sender {
    pub db: Db,
    pub transport: Transport,
    pub clock: Clock,
    pub from: Mailbox,
    pub max_attempts: i32,
    pub worker_id: String,
}

/// Delay before attempt `n + 1` after `n` failures: 5 s, 10 s, 20 s, … capped at one hour.
pub fn backoff(attempts: i32) -> chrono::Duration {
    let exp = attempts.clamp(0, 20) as u32;
    chrono::Duration::seconds((5i64.saturating_mul(1i64 << exp)).min(3600))
}

impl Sender {
    /// One pass: claim due messages and try each once. Returns how many were sent.
    pub async fn run_once(&self) -> anyhow::Result<usize> {
        let worker = self.worker_id.clone();
        let now = self.clock.now_naive();
        let batch = self
            .db
            .write(move |c| store::claim_due(c, &worker, now, chrono::Duration::minutes(5), 20))
            .await
            .map_err(|e| anyhow::anyhow!("claiming outbox messages failed: {e}"))?;
        let mut sent = 0;
        for msg in batch {
            let result = self.transport.send(&msg, &self.from).await;
            let worker = self.worker_id.clone();
            let now = self.clock.now_naive();
            let max = self.max_attempts;
            match result {
                Ok(()) => {
                    sent += 1;
                    let id = msg.id.clone();
                    self.db
                        .write(move |c| store::mark_sent(c, &id, &worker, now))
                        .await
                        .map_err(|e| anyhow::anyhow!("recording a sent message failed: {e}"))?;
                    tracing::info!(outbox_id = %msg.id, "outbox message delivered");
                }
                Err(e) => {
                    let err = format!("{e:#}");
                    tracing::warn!(outbox_id = %msg.id, attempts = msg.attempts + 1, error = %err, "outbox delivery failed");
                    let retry_at = now + backoff(msg.attempts);
                    self.db
                        .write(move |c| store::mark_attempt_failed(c, &msg, &worker, &err, retry_at, max))
                        .await
                        .map_err(|e| anyhow::anyhow!("recording a failed attempt failed: {e}"))?;
                }
            }
        }
        Ok(sent)
    }

    /// Runs forever, polling every `poll`.
    pub async fn run(self, poll: Duration) {
        loop {
            if let Err(e) = self.run_once().await {
                tracing::error!(error = %format!("{e:#}"), "outbox pass failed");
            }
            tokio::time::sleep(poll).await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_and_is_capped() {
        assert_eq!(backoff(0).num_seconds(), 5);
        assert_eq!(backoff(1).num_seconds(), 10);
        assert_eq!(backoff(3).num_seconds(), 40);
        assert_eq!(backoff(30).num_seconds(), 3600);
    }
}
