//! The meldpunt retention job: applies the statutory deletion rules for personal data in
//! complaints (Besluit gegevensverwerking Wgv, Stb. 2023, 193, art. 2; rules.md MP-08). The
//! deletion date of every complaint is computed by `domain::complaints::personal_data_due`
//! whenever its facts change and stored in `personal_data_due_on`; this job erases, for every
//! complaint whose date has come (Europe/Amsterdam calendar date of the app's clock):
//! the reporter's contact details, the description and location text, the text of all messages
//! and notes, what was shared in referrals, the attachments (rows and files), and the mails sent
//! to the reporter (outbox rows and their `.eml` copies). What stays is anonymous statistics:
//! category, rule, dates, status, priority, signals, the address of the property, links,
//! referral partners and dates. After a run that erased something the SQLite WAL is truncated.
//! Every run also removes, from this instance's mail folder, the copies of mails erased lately.
//!
//! Each run also removes the Idempotency-Keys of authenticated callers whose period has ended
//! (`service::idempotency::purge_expired`).
//!
//! Safe to run on several instances at once: each complaint is erased in its own transaction that
//! re-checks `personal_data_deleted_at`.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::clock::Clock;
use crate::db::Db;
use crate::error::{AppError, AppResult};
use crate::service::complaints::retention_run::{self, Erased};
use crate::service::{self, Ctx};

/// Where erased data also lives outside the database: the attachment files and the `.eml`
/// copies the file transport writes.
#[derive(Debug, Clone)]
pub struct Folders {
    pub attachments: PathBuf,
    pub mail: PathBuf,
}

/// Runs the rules once for today's date on the app's clock; returns how many complaints were
/// erased. When something was erased, the SQLite WAL is checkpointed and truncated afterwards,
/// so that the erased values do not stay in it (`secure_delete` zeroes them in the file).
pub async fn run_once(db: &Db, clock: &Clock, folders: &Folders) -> AppResult<usize> {
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
            let done = service::write(db, ctx, move |tx| retention_run::erase(tx, &id)).await?;
            if let Some(done) = done {
                erased += 1;
                remove_files(folders.clone(), done).await;
            }
        }
        if batch < 200 {
            break;
        }
    }
    if erased > 0 {
        tracing::info!(erased, "meldpunt retention: personal data erased");
    }
    // Idempotency-Keys of authenticated callers past their period (docs/idempotency.md).
    let ctx = Ctx::system(clock.now_naive(), today);
    let forgotten = service::write(db, ctx, crate::service::idempotency::purge_expired).await?;
    if forgotten > 0 {
        tracing::info!(forgotten, "retention: expired Idempotency-Keys removed");
    }
    if erased > 0 || CHECKPOINT_OWED.load(Ordering::Relaxed) {
        let done = match db.checkpoint_truncate().await {
            Ok(done) => done,
            Err(e) => {
                tracing::warn!(error = %format!("{e:#}"), "meldpunt retention: WAL checkpoint failed");
                false
            }
        };
        if !done {
            tracing::warn!("meldpunt retention: WAL not truncated (readers busy); the next run tries again");
        }
        CHECKPOINT_OWED.store(!done, Ordering::Relaxed);
    }
    // Copies written by this instance of mails another instance erased, or written by a send
    // that was in flight during the erasure.
    let since = clock.now_naive() - SWEEP_WINDOW;
    match service::read(db, Ctx::system(clock.now_naive(), today), move |tx| {
        retention_run::mails_erased_since(tx, since)
    })
    .await
    {
        Ok(mails) => remove_files(folders.clone(), Erased { attachments: vec![], mails }).await,
        Err(e) => tracing::warn!(error = %format!("{e:#}"), "meldpunt retention: cannot list erased mails"),
    }
    Ok(erased)
}

/// How far back each run removes the `.eml` copies of erased mails once more: longer than any
/// send lasts and than the job's interval, so every instance's folder is swept.
const SWEEP_WINDOW: chrono::Duration = chrono::Duration::days(7);

/// Set when a checkpoint after an erasure did not complete: the next run, erased or not, tries
/// again.
static CHECKPOINT_OWED: AtomicBool = AtomicBool::new(false);

/// Removes the attachment files and the `.eml` copies (and a half-written `.<id>.eml.tmp`) of
/// the erased mails. A file that is not there (SMTP transport, removed before) is fine.
async fn remove_files(folders: Folders, erased: Erased) {
    let _ = tokio::task::spawn_blocking(move || {
        let mails = erased.mails.iter().filter(|id| is_plain_name(id)).flat_map(|id| {
            [folders.mail.join(format!("{id}.eml")), folders.mail.join(format!(".{id}.eml.tmp"))]
        });
        let attachments = erased.attachments.iter().map(|n| folders.attachments.join(n));
        for path in attachments.chain(mails) {
            if let Err(e) = std::fs::remove_file(&path) {
                if e.kind() != std::io::ErrorKind::NotFound {
                    tracing::warn!(error = %e, "retention: cannot remove an erased file");
                }
            }
        }
    })
    .await;
}

/// An outbox id is a UUID; anything with a path separator or a leading dot is never used as a
/// file name.
fn is_plain_name(id: &str) -> bool {
    !id.is_empty() && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
}

/// Runs the job every `interval` for as long as the server runs.
pub async fn run_periodically(db: Db, clock: Clock, folders: Folders, interval: std::time::Duration) {
    let mut tick = tokio::time::interval(interval);
    loop {
        tick.tick().await;
        if let Err(e) = run_once(&db, &clock, &folders).await {
            match e {
                AppError::Unavailable(_) => tracing::warn!("meldpunt retention: database unavailable"),
                other => tracing::error!(error = %format!("{other:#}"), "meldpunt retention failed"),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::is_plain_name;

    #[test]
    fn only_uuid_like_outbox_ids_name_files() {
        assert!(is_plain_name("0b6f3c1e-8a7d-4c55-9d0e-2f1a3b4c5d6e"));
        assert!(!is_plain_name(""));
        assert!(!is_plain_name("../etc/passwd"));
        assert!(!is_plain_name("a/b"));
    }
}
