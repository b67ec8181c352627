//! Managing API clients: their municipalities, the admin's list, and the changes that raise a
//! client's security version (so that its tokens stop). The row itself is
//! [`ApiClient`](super::accounts::ApiClient).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::accounts::ApiClient;
use super::in_list::in_texts;
use super::schema::{api_client_municipalities as acm, api_clients};
use super::DbConnection;
use crate::domain::api_clients::{ApiClientState, ClientScopes};
use crate::error::AppResult;

/// Gives the client these municipalities (CBS codes, sorted; at least one) in place of the ones it
/// had, and makes the first its primary `municipality_code`.
pub fn replace_municipalities(conn: &mut DbConnection, id: &str, codes: &[String]) -> AppResult<()> {
    diesel::delete(acm::table.filter(acm::client_id.eq(id))).execute(conn)?;
    for code in codes {
        diesel::insert_into(acm::table)
            .values((acm::client_id.eq(id), acm::municipality_code.eq(code)))
            .execute(conn)?;
    }
    if let Some(first) = codes.first() {
        diesel::update(api_clients::table.find(id))
            .set(api_clients::municipality_code.eq(first))
            .execute(conn)?;
    }
    Ok(())
}

/// The CBS codes of one client's municipalities, sorted.
pub fn municipalities(conn: &mut DbConnection, id: &str) -> AppResult<Vec<String>> {
    Ok(acm::table
        .filter(acm::client_id.eq(id))
        .select(acm::municipality_code)
        .order(acm::municipality_code)
        .load(conn)?)
}

/// `(client id, CBS code)` of the given clients, ordered by code.
pub fn municipalities_of(conn: &mut DbConnection, ids: &[String]) -> AppResult<Vec<(String, String)>> {
    Ok(acm::table
        .filter(in_texts(acm::client_id, ids))
        .select((acm::client_id, acm::municipality_code))
        .order(acm::municipality_code)
        .load(conn)?)
}

/// Clients newest first, optionally in one state, after the keyset `(created_at, id)`.
pub fn list(
    conn: &mut DbConnection,
    state: Option<ApiClientState>,
    after: Option<(NaiveDateTime, String)>,
    limit: i64,
) -> AppResult<Vec<ApiClient>> {
    let mut q = api_clients::table.select(ApiClient::as_select()).into_boxed();
    q = match state {
        None => q,
        Some(ApiClientState::Active) => {
            q.filter(api_clients::revoked_at.is_null()).filter(api_clients::disabled.eq(false))
        }
        Some(ApiClientState::Disabled) => {
            q.filter(api_clients::revoked_at.is_null()).filter(api_clients::disabled.eq(true))
        }
        Some(ApiClientState::Revoked) => q.filter(api_clients::revoked_at.is_not_null()),
    };
    if let Some((at, id)) = after {
        q = q.filter(
            api_clients::created_at.lt(at).or(api_clients::created_at.eq(at).and(api_clients::id.lt(id))),
        );
    }
    Ok(q.order((api_clients::created_at.desc(), api_clients::id.desc())).limit(limit).load(conn)?)
}

/// Sets the name, contact address and scopes of a client; raises its security version when
/// `new_version` is set (scopes or municipalities changed).
pub fn update(
    conn: &mut DbConnection,
    id: &str,
    name: &str,
    contact_email: Option<&str>,
    scopes: &ClientScopes,
    raise_version: bool,
) -> AppResult<()> {
    let bump = i32::from(raise_version);
    diesel::update(api_clients::table.find(id))
        .set((
            api_clients::name.eq(name),
            api_clients::contact_email.eq(contact_email),
            api_clients::scopes.eq(scopes.stored()),
            api_clients::security_version.eq(api_clients::security_version + bump),
        ))
        .execute(conn)?;
    Ok(())
}

/// Replaces the hash of a client's secret and raises its security version (the old secret and
/// every token issued before stop).
pub fn set_secret(conn: &mut DbConnection, id: &str, secret_hash: &str) -> AppResult<()> {
    diesel::update(api_clients::table.find(id))
        .set((
            api_clients::secret_hash.eq(secret_hash),
            api_clients::security_version.eq(api_clients::security_version + 1),
        ))
        .execute(conn)?;
    Ok(())
}

/// Revokes a client for good: disabled, `revoked_at` set, security version raised.
pub fn revoke(conn: &mut DbConnection, id: &str, now: NaiveDateTime) -> AppResult<()> {
    diesel::update(api_clients::table.find(id).filter(api_clients::revoked_at.is_null()))
        .set((
            api_clients::disabled.eq(true),
            api_clients::revoked_at.eq(Some(now)),
            api_clients::security_version.eq(api_clients::security_version + 1),
        ))
        .execute(conn)?;
    Ok(())
}
