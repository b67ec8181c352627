//! The caller's own account or API client.

use crate::db::accounts::{self, Account, ApiClient, Landlord};
use crate::domain::roles::Role;
use crate::error::{AppError, AppResult};
use crate::service::Tx;

/// What `GET /v1/me` shows.
pub enum Me {
    Client {
        client: ApiClient,
        municipalities: Vec<String>,
    },
    Account {
        account: Account,
        municipalities: Vec<String>,
        landlord: Option<Landlord>,
    },
    /// A portal acting for a landlord under their mandate.
    Acting {
        client: ApiClient,
        landlord: Landlord,
    },
}

/// A portal acting under a mandate: the portal (internal id) and the landlord it acts for.
pub struct ActingFor<'a> {
    pub client: &'a str,
    pub landlord: &'a str,
}

/// The account (with its municipalities and landlord record) or API client with this id, or the
/// landlord a portal acts for with the portal; 401 when it no longer exists.
pub fn me(tx: &mut Tx, id: &str, role: Role, acting: Option<ActingFor<'_>>) -> AppResult<Me> {
    if let Some(a) = acting {
        let client = accounts::find_api_client_by_id(tx.conn, a.client)?
            .ok_or_else(|| AppError::Unauthorized("this API client no longer exists".into()))?;
        let landlord = accounts::find_landlord(tx.conn, a.landlord)?
            .ok_or_else(|| AppError::Unauthorized("the landlord of this token no longer exists".into()))?;
        return Ok(Me::Acting { client, landlord });
    }
    if role == Role::ApiClient {
        let client = accounts::find_api_client_by_id(tx.conn, id)?
            .ok_or_else(|| AppError::Unauthorized("this API client no longer exists".into()))?;
        let municipalities = crate::db::api_clients::municipalities(tx.conn, &client.id)?;
        return Ok(Me::Client { client, municipalities });
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
