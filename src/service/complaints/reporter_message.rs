//! The reporter adds information or answers a question, with the tracking code. Runs as the
//! anonymous actor: the audit row names no one.

use crate::db::complaints as store;
use crate::domain::complaints::{MessageAuthor, MessageKind};
use crate::error::{AppError, AppResult};
use crate::service::Tx;

use super::track::{tracked, Tracked};
use super::{audit_of, new_message};

#[derive(Debug, Clone)]
pub struct ReporterMessage {
    /// The reporter's own complaint (found by the code).
    pub complaint_id: String,
    pub text: String,
}

/// Records the message; the complaint (and the primary it was merged into) no longer awaits
/// information. Answers with what the reporter now sees.
pub fn reporter_message(tx: &mut Tx, cmd: ReporterMessage) -> AppResult<Tracked> {
    let mut own = store::find_unscoped(tx.conn, &cmd.complaint_id)?
        .ok_or_else(|| AppError::NotFound("no report".into()))?;
    if own.personal_data_deleted_at.is_some() {
        return Err(AppError::conflict(
            "this report is closed and its data were deleted; please file a new report",
        ));
    }
    let msg = new_message(tx, &own, MessageAuthor::Reporter, MessageKind::Message, &cmd.text, None)?;
    let now = tx.now;
    store::insert_message(tx.conn, &msg)?;
    own.awaiting_information = false;
    own.updated_at = now;
    store::save(tx.conn, &mut own)?;
    let mut shown = own.clone();
    if let Some(p) = &own.merged_into {
        if let Some(mut primary) = store::find_unscoped(tx.conn, p)? {
            primary.awaiting_information = false;
            primary.updated_at = now;
            store::save(tx.conn, &mut primary)?;
            shown = primary;
        }
    }
    tx.audit(audit_of(&own, "reporter_message").after(serde_json::json!({"message_id": msg.id})))?;
    tracked(tx, own, shown)
}
