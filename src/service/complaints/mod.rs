//! The meldpunt's use cases: the public intake and tracking (anonymous callers), the officers'
//! casework (state changes, assignment, priority, links, merge, messages), referral decisions,
//! the retention facts and the retention run. Every change records its audit row and any letter
//! to the reporter through the unit of work.
//!
//! Least data: an anonymous reporter's use cases run as `Ctx::anonymous` (no id, no address);
//! a portal is recorded as the channel, never the person.

pub mod assign;
pub mod bulk;
pub mod enforcement_final;
pub mod idempotency;
pub mod intake;
pub mod link;
pub mod merge;
pub mod no_referral;
pub mod officer_message;
pub mod priority;
pub mod queries;
pub mod referral;
pub mod reporter_message;
pub mod retention;
pub mod retention_run;
pub mod track;
pub mod transition;

use crate::db::complaints::{self as store, Complaint, Message};
use crate::domain::complaints::{self as rules, Catalogue, MessageAuthor, MessageKind, RetentionFacts};
use crate::error::{AppError, AppResult};
use crate::letters::complaints::{Notice, ReporterNotice};
use crate::service::{Audit, Tx};

/// The audit row of `action` on complaint `c` (ids, states and codes only; a reason is the
/// officer's).
fn audit_of<'a>(c: &'a Complaint, action: &'a str) -> Audit<'a> {
    Audit::of(Some(&c.municipality_code), "complaint", &c.id, action)
}

/// Loads the complaint `id` within the caller's scope, checks the caller's `If-Match` against
/// it ([`hold`]), lets `f` change it, and saves it: the shape of every officer change. Returns
/// the complaint as saved (with its new version).
fn change(
    tx: &mut Tx,
    id: &str,
    f: impl FnOnce(&mut Tx, &mut Complaint) -> AppResult<()>,
) -> AppResult<Complaint> {
    let mut cpl =
        store::find(tx.conn, &tx.scope, id)?.ok_or_else(|| AppError::NotFound("no such complaint".into()))?;
    hold(tx, &cpl)?;
    f(tx, &mut cpl)?;
    cpl.updated_at = tx.now;
    store::save(tx.conn, &mut cpl)?;
    Ok(cpl)
}

/// Checks the caller's `If-Match` on complaint `c` (loaded in this transaction) and, when it
/// names versions, holds the version until the commit: 412 when the complaint has another
/// version, or got one from a concurrent change between the read and the hold.
fn hold(tx: &mut Tx, c: &Complaint) -> AppResult<()> {
    if tx.check_version("complaint", &c.id, c.version)? && !store::hold_version(tx.conn, &c.id, c.version)? {
        return Err(Tx::stale("complaint"));
    }
    Ok(())
}

/// A merged duplicate is acted on through its primary.
fn not_merged(c: &Complaint) -> AppResult<()> {
    match &c.merged_into {
        Some(p) => Err(AppError::Conflict {
            detail: format!("this complaint was merged into {p}; act on that complaint"),
            allowed_actions: Some(vec![]),
        }),
        None => Ok(()),
    }
}

/// Recomputes the personal-data deletion date (MP-08) of a complaint and its merged duplicates.
fn refresh_retention(tx: &mut Tx, primary: &mut Complaint) -> AppResult<()> {
    primary.personal_data_due_on = rules::personal_data_due(&RetentionFacts {
        received_on: primary.received_on,
        status: primary.status,
        outcome_on: primary.outcome_on,
        case_building: primary.case_building,
        enforcement_final_on: primary.enforcement_final_on,
    });
    for mut d in store::merged_into(tx.conn, &primary.id)? {
        d.personal_data_due_on = primary.personal_data_due_on;
        store::save(tx.conn, &mut d)?;
    }
    Ok(())
}

/// Mails a reporter who left an address and consented, in their language. The mail carries no
/// details (no message text, no code): the reporter reads them with the code. The outbox id is
/// kept with the complaint so that retention can erase the mail.
fn notify(tx: &mut Tx, catalogue: &Catalogue, to: &Complaint, notice: Notice) -> AppResult<()> {
    let Some(email) = to.contact_email.as_deref() else { return Ok(()) };
    if !to.consent_to_contact || to.personal_data_deleted_at.is_some() {
        return Ok(());
    }
    let Some(letter) = (ReporterNotice { catalogue, language: &to.language, notice }).letter()? else {
        return Ok(());
    };
    let id = tx.mail(Some(&to.municipality_code), email, &letter)?;
    store::record_mail(tx.conn, &to.id, &id)
}

/// Notifies the reporter of `primary` and of every duplicate merged into it.
fn notify_all(tx: &mut Tx, catalogue: &Catalogue, primary: &Complaint, notice: Notice) -> AppResult<()> {
    notify(tx, catalogue, primary, notice)?;
    for d in store::merged_into(tx.conn, &primary.id)? {
        notify(tx, catalogue, &d, notice)?;
    }
    Ok(())
}

/// A new message on complaint `c`, its text trimmed; 422 when the text is blank.
fn new_message(
    tx: &Tx,
    c: &Complaint,
    author: MessageAuthor,
    kind: MessageKind,
    text: &str,
    author_account_id: Option<String>,
) -> AppResult<Message> {
    let text = text.trim();
    if text.is_empty() {
        return Err(AppError::field("/text", "must not be blank"));
    }
    Ok(Message {
        id: uuid::Uuid::new_v4().to_string(),
        complaint_id: c.id.clone(),
        municipality_code: c.municipality_code.clone(),
        author,
        kind,
        body: Some(text.to_string()),
        author_account_id,
        created_at: tx.now,
    })
}

/// Trims a free text; `None` when nothing is left.
fn trimmed(s: Option<String>) -> Option<String> {
    s.map(|v| v.trim().to_string()).filter(|v| !v.is_empty())
}
