//! Staff accounts, created by the admin (API clients: `api_clients.rs`).

use crate::db::accounts::Account;
use crate::domain::ids::Email;
use crate::domain::roles::Role;
use crate::error::AppResult;
use crate::service::{Audit, Tx};

pub struct CreateAccount {
    pub email: Email,
    /// The initial password, already checked and hashed.
    pub password_hash: String,
    /// The display name, trimmed.
    pub name: String,
    /// A staff role or admin (checked by the caller).
    pub role: Role,
    /// CBS codes as given; checked here against this installation's municipalities.
    pub municipalities: Vec<String>,
}

/// Creates an officer, Bibob officer, manager or admin; returns it with its municipalities.
pub fn create_account(tx: &mut Tx, cmd: CreateAccount) -> AppResult<(Account, Vec<String>)> {
    let municipalities = super::validate_municipalities(tx.conn, &cmd.municipalities, "/municipalities")?;
    let account = Account {
        id: uuid::Uuid::new_v4().to_string(),
        email: cmd.email.as_str().to_string(),
        password_hash: cmd.password_hash,
        role: cmd.role,
        display_name: cmd.name,
        landlord_id: None,
        disabled: false,
        created_at: tx.now,
        security_version: 0,
    };
    super::insert_new_account(tx, &account, &municipalities)?;
    tx.audit(
        Audit::of(municipalities.first().map(String::as_str), "account", &account.id, "create")
            .after(serde_json::json!({"role": account.role, "municipalities": municipalities})),
    )?;
    Ok((account, municipalities))
}
