//! A message to the reporter, a request for more information, or an internal note. Messages on
//! a primary complaint reach the reporters of its duplicates as well.

use std::sync::Arc;

use crate::db::complaints::{self as store, Complaint};
use crate::domain::complaints::{Catalogue, MessageAuthor, MessageKind};
use crate::error::{AppError, AppResult};
use crate::letters::complaints::Notice;
use crate::service::Tx;

use super::{audit_of, change, new_message, notify_all};

#[derive(Debug, Clone)]
pub struct OfficerMessage {
    pub complaint_id: String,
    pub kind: MessageKind,
    pub text: String,
    /// The officer's account.
    pub author_account_id: String,
    pub catalogue: Arc<Catalogue>,
}

pub fn officer_message(tx: &mut Tx, cmd: OfficerMessage) -> AppResult<Complaint> {
    change(tx, &cmd.complaint_id, |tx, cpl| {
        if cpl.personal_data_deleted_at.is_some() && cmd.kind != MessageKind::InternalNote {
            return Err(AppError::conflict("the reporter's data of this complaint were deleted"));
        }
        let msg = new_message(
            tx,
            cpl,
            MessageAuthor::Municipality,
            cmd.kind,
            &cmd.text,
            Some(cmd.author_account_id),
        )?;
        store::insert_message(tx.conn, &msg)?;
        if cmd.kind == MessageKind::InformationRequest {
            cpl.awaiting_information = true;
        }
        tx.audit(
            audit_of(cpl, "add_message").after(serde_json::json!({"message_id": msg.id, "kind": msg.kind})),
        )?;
        if cmd.kind != MessageKind::InternalNote {
            notify_all(tx, &cmd.catalogue, cpl, Notice::NewMessage)?;
        }
        Ok(())
    })
}
