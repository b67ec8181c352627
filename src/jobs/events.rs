//! The event retention job: removes domain events older than the retention period
//! (`HUURTOEZICHT_EVENT_RETENTION_DAYS`), a thousand per transaction, once an hour. Safe on
//! several instances: a delete of rows already gone removes nothing.

use chrono::Duration;

use crate::clock::Clock;
use crate::db::Db;
use crate::error::{AppError, AppResult};
use crate::service::{self, events, Ctx};

/// Removes every event older than `retention_days`; returns how many.
pub async fn run_once(db: &Db, clock: &Clock, retention_days: u32) -> AppResult<usize> {
    let cutoff = clock.now_naive() - Duration::days(i64::from(retention_days));
    let mut removed = 0;
    loop {
        let ctx = Ctx::system(clock.now_naive(), clock.today_nl());
        let n = service::write(db, ctx, move |tx| events::purge(tx, cutoff)).await?;
        removed += n;
        if (n as i64) < events::PURGE_BATCH {
            break;
        }
    }
    if removed > 0 {
        tracing::info!(removed, "event retention: old events removed");
    }
    Ok(removed)
}

/// Runs the job every `interval` for as long as the server runs.
pub async fn run_periodically(db: Db, clock: Clock, retention_days: u32, interval: std::time::Duration) {
    let mut tick = tokio::time::interval(interval);
    loop {
        tick.tick().await;
        if let Err(e) = run_once(&db, &clock, retention_days).await {
            match e {
                AppError::Unavailable(_) => tracing::warn!("event retention: database unavailable"),
                other => tracing::error!(error = %format!("{other:#}"), "event retention failed"),
            }
        }
    }
}
