//! Portal mandates: a landlord lets a portal (an API client with `applications:write`) act for
//! them, and revokes that again.

use crate::db::accounts::{self, Mandate};
use crate::domain::roles::ClientScope;
use crate::error::{AppError, AppResult};
use crate::service::{Audit, Tx};

pub struct GrantMandate {
    pub landlord_id: String,
    /// The portal's public client id, trimmed.
    pub client_id: String,
}

pub struct RevokeMandate {
    pub landlord_id: String,
    /// The portal's public client id.
    pub client_id: String,
}

/// Grants (or grants again) the mandate; answers with the landlord's mandates.
pub fn grant_mandate(tx: &mut Tx, cmd: GrantMandate) -> AppResult<Vec<Mandate>> {
    let client = accounts::find_api_client(tx.conn, &cmd.client_id)?
        .filter(|k| !k.disabled && k.revoked_at.is_none())
        .ok_or_else(|| AppError::field("/client_id", "is not a known portal"))?;
    if !client.scopes.contains(ClientScope::ApplicationsWrite) {
        return Err(AppError::field("/client_id", "this portal may not handle licence applications"));
    }
    accounts::grant_mandate(tx.conn, &cmd.landlord_id, &client.id, tx.now)?;
    mandate_changed(tx, &cmd.landlord_id, "grant_mandate", &client.client_id)
}

/// Revokes an active mandate (404 when there is none); answers with the landlord's mandates.
pub fn revoke_mandate(tx: &mut Tx, cmd: RevokeMandate) -> AppResult<Vec<Mandate>> {
    let not_found = || AppError::NotFound("no active mandate for this portal".into());
    let client = accounts::find_api_client(tx.conn, &cmd.client_id)?.ok_or_else(not_found)?;
    if !accounts::revoke_mandate(tx.conn, &cmd.landlord_id, &client.id, tx.now)? {
        return Err(not_found());
    }
    mandate_changed(tx, &cmd.landlord_id, "revoke_mandate", &client.client_id)
}

/// The landlord's mandates, newest first, active and revoked.
pub fn list_mandates(tx: &mut Tx, landlord_id: &str) -> AppResult<Vec<Mandate>> {
    accounts::mandates_of(tx.conn, landlord_id)
}

/// Audits a mandate change (a global landlord action: no municipality) and answers with the
/// landlord's mandates as they now stand.
fn mandate_changed(tx: &mut Tx, landlord_id: &str, action: &str, client_id: &str) -> AppResult<Vec<Mandate>> {
    tx.audit(
        Audit::of(None, "landlord", landlord_id, action).after(serde_json::json!({ "client_id": client_id })),
    )?;
    list_mandates(tx, landlord_id)
}
