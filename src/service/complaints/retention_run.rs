//! The retention run (Besluit gegevensverwerking Wgv, Stb. 2023, 193, art. 2; MP-08): erases
//! the personal data of complaints whose deletion date has come. Run by the retention job as
//! the system (`Ctx::system`); each complaint in its own unit of work.

use crate::db::complaints as store;
use crate::error::AppResult;
use crate::service::Tx;

use super::audit_of;

/// Ids of complaints whose personal data are due for deletion on or before today (at most
/// `limit`).
pub fn due(tx: &mut Tx, limit: i64) -> AppResult<Vec<String>> {
    store::due_for_deletion(tx.conn, tx.today, limit)
}

/// What a retention run erased outside the database, to remove once the transaction has
/// committed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Erased {
    /// Storage names of the attachment files (in the attachment folder).
    pub attachments: Vec<String>,
    /// Ids of the mails to the reporter, whose outbox rows were deleted; the file transport
    /// wrote them as `<id>.eml` in the mail folder.
    pub mails: Vec<String>,
}

/// Erases the reporter's contact details, the description and location text, the text of all
/// messages and notes, what was shared in referrals, the fingerprint of a portal submission, the
/// attachment rows and the mails to the reporter (outbox rows deleted: a pending mail is never
/// sent). Returns the files to remove, or `None` when the complaint is gone or already erased
/// (another instance was first).
pub fn erase(tx: &mut Tx, complaint_id: &str) -> AppResult<Option<Erased>> {
    let Some(mut cpl) = store::find_unscoped(tx.conn, complaint_id)? else { return Ok(None) };
    if cpl.personal_data_deleted_at.is_some() {
        return Ok(None);
    }
    let now = tx.now;
    cpl.contact_name = None;
    cpl.contact_email = None;
    cpl.contact_phone = None;
    cpl.consent_to_contact = false;
    cpl.description = None;
    cpl.location_description = None;
    // A hash of the submitted body, which held the personal data.
    cpl.idempotency_fingerprint = None;
    cpl.no_referral_reason = cpl.no_referral_reason.as_ref().map(|_| "(erased)".to_string());
    cpl.personal_data_deleted_at = Some(now);
    cpl.updated_at = now;
    store::save(tx.conn, &mut cpl)?;
    store::erase_texts(tx.conn, &cpl.id)?;
    let mails = store::erase_mails(tx.conn, &cpl.id)?;
    let attachments = store::delete_attachments(tx.conn, &cpl.id)?;
    crate::db::intake_keys::delete_for_complaint(tx.conn, &cpl.id)?;
    tx.audit(
        audit_of(&cpl, "erase_personal_data")
            .after(serde_json::json!({
                "status": cpl.status, "personal_data_due_on": cpl.personal_data_due_on,
                "attachments_deleted": attachments.len(), "mails_deleted": mails.len(),
            }))
            .reason("Besluit gegevensverwerking Wgv (Stb. 2023, 193) art. 2"),
    )?;
    Ok(Some(Erased { attachments, mails }))
}

/// Ids of the mails erased since `since` (their `.eml` copies are removed once more).
pub fn mails_erased_since(tx: &mut Tx, since: chrono::NaiveDateTime) -> AppResult<Vec<String>> {
    store::mails_erased_since(tx.conn, since)
}
