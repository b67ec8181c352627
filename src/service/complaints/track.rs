//! What a reporter sees with the tracking code: the status of their report (or of the report it
//! was merged into) and the messages addressed to them.

use crate::db::complaints::{self as store, Complaint, Message};
use crate::domain::complaints::{self as rules, MessageAuthor, MessageKind};
use crate::error::AppResult;
use crate::service::Tx;

/// A report found by its code.
#[derive(Debug, Clone)]
pub struct Tracked {
    /// The reporter's own complaint.
    pub own: Complaint,
    /// The complaint whose status is shown: the primary when `own` was merged into it.
    pub shown: Complaint,
    /// What the reporter may read: the municipality's messages (no internal notes) and their own.
    pub messages: Vec<Message>,
}

/// The report with this code, if any. Hashing happens for every input, and the lookup is one
/// indexed equality on the hash, so the answer takes the same time for a malformed, a wrong and
/// a right code.
pub fn track(tx: &mut Tx, code: &str) -> AppResult<Option<Tracked>> {
    match find_by_code(tx, code)? {
        Some((own, shown)) => tracked(tx, own, shown).map(Some),
        None => Ok(None),
    }
}

/// The reporter's own complaint and the one whose status is shown, by the code (see [`track`]).
pub fn find_by_code(tx: &mut Tx, code: &str) -> AppResult<Option<(Complaint, Complaint)>> {
    let hash = rules::tracking_hash(code);
    let Some(own) = store::find_by_tracking_hash(tx.conn, &hash)? else { return Ok(None) };
    let shown = match &own.merged_into {
        Some(p) => store::find_unscoped(tx.conn, p)?.unwrap_or_else(|| own.clone()),
        None => own.clone(),
    };
    Ok(Some((own, shown)))
}

/// Adds the messages the reporter may read to `own` and `shown`.
pub(super) fn tracked(tx: &mut Tx, own: Complaint, shown: Complaint) -> AppResult<Tracked> {
    let mut ids = vec![own.id.clone()];
    if shown.id != own.id {
        ids.push(shown.id.clone());
    }
    let messages = store::messages_of(tx.conn, &ids)?
        .into_iter()
        .filter(|m| m.kind != MessageKind::InternalNote)
        .filter(|m| m.author == MessageAuthor::Municipality || m.complaint_id == own.id)
        .collect();
    Ok(Tracked { own, shown, messages })
}
