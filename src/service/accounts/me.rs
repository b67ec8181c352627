//! The caller's own account or API client.

use crate::db::accounts::{self, Account, ApiClient, Landlord};
use crate::domain::roles::Role;
use crate::error::{AppError, AppResult};
use crate::service::Tx;

/// What `GET /v1/me` shows.
pub enum Me {
    Client(ApiClient),
    Account { account: Account, municipalities: Vec<String>, landlord: Option<Landlord> },
}

/// The account (with its municipalities and landlord record) or API client with this id; 401
/// when it no longer exists.
pub fn me(tx: &mut Tx, id: &str, role: Role) -> AppResult<Me> {
    if role == Role::ApiClient {
        let client = accounts::find_api_client_by_id(tx.conn, id)?
            .ok_or_else(|| AppError::Unauthorized("this API client no longer exists".into()))?;
        return Ok(Me::Client(client));
    }
    let account = accounts::find_account(tx.conn, id)?
        .ok_or_else(|| AppError::Unauthorized("this account no longer exists".into()))?;
    let municipalities = accounts::account_municipalities(tx.conn, &account.id)?;
    let landlord = match &account.landlord_id {
        Some(l) => accounts::find_landlord(tx.conn, l)?,
        None => None,
    };
    Ok(Me::Account { account, municipalities, landlord })
}
