//! Staff accounts and API clients, created by the admin.

use crate::db::accounts::{self, Account, ApiClient};
use crate::domain::code::Code;
use crate::domain::ids::Email;
use crate::domain::roles::{ClientScope, Role};
use crate::error::{AppError, AppResult};
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

pub struct CreateApiClient {
    /// The portal's name, trimmed.
    pub name: String,
    /// Granted scopes, sorted by code, without duplicates.
    pub scopes: Vec<ClientScope>,
    /// The municipality's CBS code as given; checked here.
    pub municipality_code: String,
    /// The hash of the secret (the secret itself is shown once, by the caller).
    pub secret_hash: String,
}

/// Creates an API client for a third-party portal.
pub fn create_api_client(tx: &mut Tx, cmd: CreateApiClient) -> AppResult<ApiClient> {
    let codes = super::validate_municipalities(tx.conn, &[cmd.municipality_code], "/municipality_code")
        .map_err(|_| AppError::field("/municipality_code", "is not a municipality of this installation"))?;
    let client = ApiClient {
        id: uuid::Uuid::new_v4().to_string(),
        client_id: format!("htc_{}", uuid::Uuid::new_v4().simple()),
        secret_hash: cmd.secret_hash,
        name: cmd.name,
        scopes: cmd.scopes.iter().map(|s| s.code()).collect::<Vec<_>>().join(" "),
        municipality_code: codes.into_iter().next().unwrap_or_default(),
        disabled: false,
        created_at: tx.now,
        security_version: 0,
        contact_email: None,
    };
    accounts::insert_api_client(tx.conn, &client)?;
    tx.audit(
        Audit::of(Some(&client.municipality_code), "api_client", &client.id, "create")
            .after(serde_json::json!({"name": client.name, "scopes": client.scopes})),
    )?;
    Ok(client)
}
