//! The first admin, created from the command line or the bootstrap settings.

use crate::db::accounts::{self, Account};
use crate::domain::ids::Email;
use crate::domain::roles::Role;
use crate::error::AppResult;
use crate::service::{Audit, Tx};

pub struct CreateAdmin {
    pub email: Email,
    /// The password, already checked and hashed.
    pub password_hash: String,
    /// Do nothing when an admin exists already (start-up bootstrap).
    pub only_if_none: bool,
}

/// Whether an admin account exists (checked before the bootstrap admin's password is hashed).
pub fn admin_exists(tx: &mut Tx) -> AppResult<bool> {
    accounts::admin_exists(tx.conn)
}

/// Creates an admin account; returns whether one was created.
pub fn create_admin(tx: &mut Tx, cmd: CreateAdmin) -> AppResult<bool> {
    if cmd.only_if_none && accounts::admin_exists(tx.conn)? {
        return Ok(false);
    }
    let account = Account {
        id: uuid::Uuid::new_v4().to_string(),
        email: cmd.email.as_str().to_string(),
        password_hash: cmd.password_hash,
        role: Role::Admin,
        display_name: "Administrator".into(),
        landlord_id: None,
        disabled: false,
        created_at: tx.now,
        security_version: 0,
    };
    super::insert_new_account(tx, &account, &[])?;
    tx.audit(
        Audit::of(None, "account", &account.id, "create_admin")
            .after(serde_json::json!({"role": "admin"}))
            .reason("created from the command line or bootstrap settings"),
    )?;
    Ok(true)
}
