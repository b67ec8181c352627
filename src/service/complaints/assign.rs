//! Assigning a complaint to an officer (or unassigning it).

use crate::db::accounts;
use crate::db::complaints::Complaint;
use crate::domain::roles::Role;
use crate::error::{AppError, AppResult};
use crate::service::Tx;

use super::{audit_of, change};

#[derive(Debug, Clone)]
pub struct Assign {
    pub complaint_id: String,
    /// An account id; `None` unassigns.
    pub officer_id: Option<String>,
}

/// Assigns the complaint to an active officer or manager of its municipality.
pub fn assign(tx: &mut Tx, cmd: Assign) -> AppResult<Complaint> {
    change(tx, &cmd.complaint_id, |tx, cpl| {
        if let Some(o) = &cmd.officer_id {
            let ok = match accounts::find_account(tx.conn, o)? {
                Some(a) if !a.disabled && matches!(a.role, Role::Officer | Role::Manager) => {
                    accounts::account_municipalities(tx.conn, o)?.contains(&cpl.municipality_code)
                }
                _ => false,
            };
            if !ok {
                return Err(AppError::field(
                    "/officer_id",
                    "is not an active officer or manager of this complaint's municipality",
                ));
            }
        }
        let before = cpl.assigned_officer_id.clone();
        cpl.assigned_officer_id = cmd.officer_id;
        tx.audit(
            audit_of(cpl, "assign")
                .before(serde_json::json!({"assigned_officer_id": before}))
                .after(serde_json::json!({"assigned_officer_id": cpl.assigned_officer_id})),
        )
    })
}
