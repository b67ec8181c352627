//! The meldpunt retention job: applies the statutory deletion rules for personal data in
//! complaints (Besluit gegevensverwerking Wgv, Stb. 2023, 193, art. 2; rules.md MP-08). The
//! deletion date of every complaint is computed by `domain::complaints::personal_data_due`
//! whenever its facts change and stored in `personal_data_due_on`; this job erases, for every
//! complaint whose date has come (Europe/Amsterdam calendar date of the app's clock):
//! the reporter's contact details, the description and location text, the text of all messages
//! and notes, what was shared in referrals, the attachments (rows and files), and the address and
//! body of mails sent to the reporter. What stays is anonymous statistics: category, rule, dates,
//! status, priority, signals, the address of the property, links, referral partners and dates.
//!
//! Safe to run on several instances at once: each complaint is erased in its own transaction that
//! re-checks `personal_data_deleted_at`.

use std::path::{Path, PathBuf};

use crate::clock::Clock;
use crate::db::Db;
use crate::error::{AppError, AppResult};
use crate::service::complaints::retention_run;
use crate::service::{self, Ctx};

/// Runs the rules once for today's date on the app's clock; returns how many complaints were
/// erased.
pub async fn run_once(db: &Db, clock: &Clock, attachment_dir: &Path) -> AppResult<usize> {
    let today = clock.today_nl();
    let mut erased = 0;
    loop {
        let ids = service::read(db, Ctx::system(clock.now_naive(), today), |tx| retention_run::due(tx, 200))
            .await?;
        if ids.is_empty() {
            break;
        }
        let batch = ids.len();
        for id in ids {
            let ctx = Ctx::system(clock.now_naive(), today);
            let files = service::write(db, ctx, move |tx| retention_run::erase(tx, &id)).await?;
            if let Some(files) = files {
                erased += 1;
                remove_files(attachment_dir.to_path_buf(), files).await;
            }
        }
        if batch < 200 {
            break;
        }
    }
    if erased > 0 {
        tracing::info!(erased, "meldpunt retention: personal data erased");
    }
    Ok(erased)
}

async fn remove_files(dir: PathBuf, names: Vec<String>) {
    let _ = tokio::task::spawn_blocking(move || {
        for n in names {
            if let Err(e) = std::fs::remove_file(dir.join(&n)) {
                if e.kind() != std::io::ErrorKind::NotFound {
                    tracing::warn!(error = %e, "retention: cannot remove an attachment file");
                }
            }
        }
    })
    .await;
}

/// Runs the job every `interval` for as long as the server runs.
pub async fn run_periodically(db: Db, clock: Clock, attachment_dir: PathBuf, interval: std::time::Duration) {
    let mut tick = tokio::time::interval(interval);
    loop {
        tick.tick().await;
        if let Err(e) = run_once(&db, &clock, &attachment_dir).await {
            match e {
                AppError::Unavailable(_) => tracing::warn!("meldpunt retention: database unavailable"),
                other => tracing::error!(error = %format!("{other:#}"), "meldpunt retention failed"),
            }
        }
    }
}
