//! What a login needs to know (the credentials themselves are checked at the HTTP edge), and the
//! audit trail.

use crate::db::accounts::{self, Account, ApiClient};
use crate::db::audit::{self, AuditFilter, AuditRow};
use crate::domain::ids::Email;
use crate::error::AppResult;
use crate::service::Tx;

/// The account with this email address, with its municipalities.
pub fn account_for_login(tx: &mut Tx, email: &Email) -> AppResult<Option<(Account, Vec<String>)>> {
    let Some(a) = accounts::find_account_by_email(tx.conn, email.as_str())? else { return Ok(None) };
    let m = accounts::account_municipalities(tx.conn, &a.id)?;
    Ok(Some((a, m)))
}

/// An API client asking for a token, with all of its municipalities, and whether it holds the
/// mandate of the landlord it asked to act for.
pub struct PortalLogin {
    pub client: ApiClient,
    pub municipalities: Vec<String>,
    pub mandated: bool,
}

/// The API client with this public id and, when it asks to act for `landlord_id`, whether that
/// landlord has given it an active mandate.
pub fn portal_for_login(
    tx: &mut Tx,
    client_id: &str,
    landlord_id: Option<&str>,
) -> AppResult<Option<PortalLogin>> {
    let Some(client) = accounts::find_api_client(tx.conn, client_id)? else { return Ok(None) };
    let mandated = match landlord_id {
        Some(l) => accounts::has_mandate(tx.conn, l, &client.id)?,
        None => false,
    };
    let municipalities = crate::db::api_clients::municipalities(tx.conn, &client.id)?;
    Ok(Some(PortalLogin { client, municipalities, mandated }))
}

/// Audit entries in the caller's scope, newest first.
pub fn audit_trail(tx: &mut Tx, filter: &AuditFilter) -> AppResult<Vec<AuditRow>> {
    audit::list(tx.conn, &tx.scope, filter)
}
