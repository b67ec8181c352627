//! API clients of third-party portals, managed by the admin: create, list, read, change, rotate
//! the secret, revoke. Every change is audited (never the secret, never the contact address);
//! every change that takes rights away raises the client's security version, so tokens issued
//! before stop on their next request.

use chrono::NaiveDateTime;

use crate::db::accounts::{self, ApiClient};
use crate::db::api_clients;
use crate::domain::api_clients::{ApiClientState, ClientAction, ClientScopes};
use crate::domain::ids::Email;
use crate::error::{AppError, AppResult};
use crate::service::{Audit, Tx};

/// A client with all of its municipalities.
#[derive(Debug, Clone)]
pub struct ClientView {
    pub client: ApiClient,
    /// CBS codes, sorted; the first is `client.municipality_code`.
    pub municipalities: Vec<String>,
}

pub struct CreateApiClient {
    /// The portal's name, trimmed.
    pub name: String,
    pub scopes: ClientScopes,
    /// CBS codes as given; checked here against this installation's municipalities.
    pub municipalities: Vec<String>,
    /// The JSON pointer the municipalities came from (`/municipalities` or `/municipality_code`).
    pub municipalities_pointer: &'static str,
    /// Where notices for the client go.
    pub contact_email: Option<Email>,
    /// The hash of the secret (the secret itself is shown once, by the caller).
    pub secret_hash: String,
}

fn not_found() -> AppError {
    AppError::NotFound("no such API client".into())
}

/// The CBS codes as given, checked; at least one.
fn municipalities(tx: &mut Tx, raw: &[String], pointer: &str) -> AppResult<Vec<String>> {
    let codes = super::validate_municipalities(tx.conn, raw, pointer)?;
    if codes.is_empty() {
        return Err(AppError::field(pointer, "at least one municipality is required"));
    }
    Ok(codes)
}

/// Creates an API client for a third-party portal.
pub fn create_api_client(tx: &mut Tx, cmd: CreateApiClient) -> AppResult<ClientView> {
    let codes = municipalities(tx, &cmd.municipalities, cmd.municipalities_pointer)?;
    let client = ApiClient {
        id: uuid::Uuid::new_v4().to_string(),
        client_id: format!("htc_{}", uuid::Uuid::new_v4().simple()),
        secret_hash: cmd.secret_hash,
        name: cmd.name,
        scopes: cmd.scopes,
        municipality_code: codes.first().cloned().unwrap_or_default(),
        disabled: false,
        created_at: tx.now,
        security_version: 0,
        contact_email: cmd.contact_email.map(|e| e.as_str().to_string()),
        revoked_at: None,
    };
    accounts::insert_api_client(tx.conn, &client)?;
    api_clients::replace_municipalities(tx.conn, &client.id, &codes)?;
    tx.audit(Audit::of(Some(&client.municipality_code), "api_client", &client.id, "create").after(
        serde_json::json!({"name": client.name, "scopes": client.scopes.codes(), "municipalities": codes}),
    ))?;
    Ok(ClientView { client, municipalities: codes })
}

/// One client with its municipalities (404 when unknown).
pub fn get_api_client(tx: &mut Tx, id: &str) -> AppResult<ClientView> {
    let client = accounts::find_api_client_by_id(tx.conn, id)?.ok_or_else(not_found)?;
    let municipalities = api_clients::municipalities(tx.conn, id)?;
    Ok(ClientView { client, municipalities })
}

pub struct ListApiClients {
    pub state: Option<ApiClientState>,
    /// The id of the last client of the previous page.
    pub after: Option<String>,
    pub limit: i64,
}

/// Clients newest first; 422 naming `#/query/cursor` for a cursor that names no client.
pub fn list_api_clients(tx: &mut Tx, q: ListApiClients) -> AppResult<Vec<ClientView>> {
    let after: Option<(NaiveDateTime, String)> = match q.after {
        None => None,
        Some(id) => {
            let row = accounts::find_api_client_by_id(tx.conn, &id)?
                .ok_or_else(|| AppError::field("#/query/cursor", "is not a valid cursor"))?;
            Some((row.created_at, row.id))
        }
    };
    let rows = api_clients::list(tx.conn, q.state, after, q.limit)?;
    let ids: Vec<String> = rows.iter().map(|c| c.id.clone()).collect();
    let all = api_clients::municipalities_of(tx.conn, &ids)?;
    Ok(rows
        .into_iter()
        .map(|client| ClientView {
            municipalities: all.iter().filter(|(id, _)| *id == client.id).map(|(_, m)| m.clone()).collect(),
            client,
        })
        .collect())
}

/// A change of some of a client's data; `None` leaves a field as it is.
pub struct UpdateApiClient {
    pub id: String,
    /// Trimmed, not blank.
    pub name: Option<String>,
    /// `Some(None)` removes the contact address.
    pub contact_email: Option<Option<Email>>,
    pub scopes: Option<ClientScopes>,
    /// CBS codes as given; checked here.
    pub municipalities: Option<Vec<String>>,
}

/// Changes a client. A change of scopes or municipalities raises its security version: tokens
/// with the old rights stop. A revoked client cannot be changed (409).
pub fn update_api_client(tx: &mut Tx, cmd: UpdateApiClient) -> AppResult<ClientView> {
    let before = get_api_client(tx, &cmd.id)?;
    allowed(&before.client, ClientAction::Update)?;
    let codes = match &cmd.municipalities {
        Some(raw) => municipalities(tx, raw, "/municipalities")?,
        None => before.municipalities.clone(),
    };
    let name = cmd.name.unwrap_or_else(|| before.client.name.clone());
    let contact = match cmd.contact_email {
        Some(e) => e.map(|e| e.as_str().to_string()),
        None => before.client.contact_email.clone(),
    };
    let scopes = cmd.scopes.unwrap_or_else(|| before.client.scopes.clone());
    let rights_changed = scopes != before.client.scopes || codes != before.municipalities;
    api_clients::update(tx.conn, &cmd.id, &name, contact.as_deref(), &scopes, rights_changed)?;
    if codes != before.municipalities {
        api_clients::replace_municipalities(tx.conn, &cmd.id, &codes)?;
    }
    // Filed under every municipality that gains or loses the client, so each one's trail shows it.
    let mut concerned: Vec<&String> = before.municipalities.iter().chain(codes.iter()).collect();
    concerned.sort();
    concerned.dedup();
    for m in concerned {
        tx.audit(
            Audit::of(Some(m), "api_client", &cmd.id, "update")
                .before(serde_json::json!({
                    "name": before.client.name, "scopes": before.client.scopes.codes(),
                    "municipalities": before.municipalities,
                }))
                .after(serde_json::json!({
                    "name": name, "scopes": scopes.codes(), "municipalities": codes,
                    "contact_email_changed": contact != before.client.contact_email,
                    "tokens_revoked": rights_changed,
                })),
        )?;
    }
    get_api_client(tx, &cmd.id)
}

pub struct RotateSecret {
    pub id: String,
    /// The hash of the new secret (the secret is shown once, by the caller).
    pub secret_hash: String,
    /// Why (trimmed, not blank; audited).
    pub reason: String,
}

/// Replaces a client's secret: the old one and every token issued before stop at once. A revoked
/// client's secret cannot be rotated (409).
pub fn rotate_api_client_secret(tx: &mut Tx, cmd: RotateSecret) -> AppResult<ClientView> {
    let before = get_api_client(tx, &cmd.id)?;
    allowed(&before.client, ClientAction::RotateSecret)?;
    api_clients::set_secret(tx.conn, &cmd.id, &cmd.secret_hash)?;
    tx.audit(
        Audit::of(Some(&before.client.municipality_code), "api_client", &cmd.id, "rotate_secret")
            .reason(&cmd.reason),
    )?;
    get_api_client(tx, &cmd.id)
}

pub struct RevokeApiClient {
    pub id: String,
    /// Why (trimmed, not blank; audited).
    pub reason: String,
}

/// Revokes a client for good: it can never obtain a token again, and its tokens (also those acting
/// for landlords) stop at once. Revoking twice is a 409.
pub fn revoke_api_client(tx: &mut Tx, cmd: RevokeApiClient) -> AppResult<ClientView> {
    let before = get_api_client(tx, &cmd.id)?;
    allowed(&before.client, ClientAction::Revoke)?;
    api_clients::revoke(tx.conn, &cmd.id, tx.now)?;
    tx.audit(
        Audit::of(Some(&before.client.municipality_code), "api_client", &cmd.id, "revoke")
            .before(serde_json::json!({"state": before.client.state()}))
            .after(serde_json::json!({"state": ApiClientState::Revoked}))
            .reason(&cmd.reason),
    )?;
    get_api_client(tx, &cmd.id)
}

pub struct SetApiClientDisabled {
    /// The client's internal id (`id` in its creation answer).
    pub id: String,
    pub disabled: bool,
    /// Why (trimmed, not blank; audited).
    pub reason: String,
}

/// Disables (or enables again) an API client; a revoked client cannot be either (409).
pub fn set_api_client_disabled(tx: &mut Tx, cmd: SetApiClientDisabled) -> AppResult<ClientView> {
    let before = get_api_client(tx, &cmd.id)?;
    let action = if cmd.disabled { ClientAction::Disable } else { ClientAction::Enable };
    allowed(&before.client, action)?;
    accounts::set_api_client_disabled(tx.conn, &cmd.id, cmd.disabled)?;
    tx.audit(
        Audit::of(Some(&before.client.municipality_code), "api_client", &cmd.id, "set_disabled")
            .before(serde_json::json!({"disabled": before.client.disabled}))
            .after(serde_json::json!({"disabled": cmd.disabled}))
            .reason(&cmd.reason),
    )?;
    get_api_client(tx, &cmd.id)
}

fn allowed(client: &ApiClient, action: ClientAction) -> AppResult<()> {
    client.state().allows(action).map_err(AppError::conflict)
}
