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
use crate::db::audit::{self, Actor, Change};
use crate::db::complaints as store;
use crate::db::Db;
use crate::error::{AppError, AppResult};

/// Runs the rules once for today's date on the app's clock; returns how many complaints were
/// erased.
pub async fn run_once(db: &Db, clock: &Clock, attachment_dir: &Path) -> AppResult<usize> {
    let today = clock.today_nl().format("%Y-%m-%d").to_string();
    let mut erased = 0;
    loop {
        let t = today.clone();
        let ids = db.read(move |c| store::due_for_deletion(c, &t, 200)).await?;
        if ids.is_empty() {
            break;
        }
        let batch = ids.len();
        for id in ids {
            let now = clock.now_naive();
            let files = db
                .write(move |c| {
                    let Some(mut cpl) = store::find_unscoped(c, &id)? else { return Ok(None) };
                    if cpl.personal_data_deleted_at.is_some() {
                        return Ok(None);
                    }
                    cpl.contact_name = None;
                    cpl.contact_email = None;
                    cpl.contact_phone = None;
                    cpl.consent_to_contact = false;
                    cpl.description = None;
                    cpl.location_description = None;
                    cpl.no_referral_reason = cpl.no_referral_reason.as_ref().map(|_| "(erased)".to_string());
                    cpl.personal_data_deleted_at = Some(now);
                    cpl.updated_at = now;
                    store::save(c, &cpl)?;
                    store::erase_texts(c, &cpl.id)?;
                    store::erase_mails(c, &cpl.id)?;
                    let files = store::delete_attachments(c, &cpl.id)?;
                    audit::record(
                        c,
                        now,
                        &Actor::system(),
                        Change {
                            municipality_code: Some(&cpl.municipality_code),
                            entity_type: "complaint",
                            entity_id: &cpl.id,
                            action: "erase_personal_data",
                            before: None,
                            after: Some(serde_json::json!({
                                "status": cpl.status, "personal_data_due_on": cpl.personal_data_due_on,
                                "attachments_deleted": files.len(),
                            })),
                            reason: Some("Besluit gegevensverwerking Wgv (Stb. 2023, 193) art. 2"),
                        },
                    )?;
                    Ok(Some(files))
                })
                .await?;
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
