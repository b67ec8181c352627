//! Municipalities, landlords, accounts and API clients.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::in_list::in_texts;
use super::schema::{
    account_municipalities, accounts, api_clients, landlords, municipalities, password_resets,
};
use super::DbConnection;
use crate::domain::api_clients::{ApiClientState, ClientScopes};
use crate::domain::landlords::{LandlordKind, PartyRole, PartyRoleDetail, PartySource};
use crate::domain::roles::Role;
use crate::error::AppResult;

crate::text_columns!(Role, LandlordKind, PartyRole, PartyRoleDetail, PartySource);

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = municipalities)]
pub struct Municipality {
    pub code: String,
    pub name: String,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = landlords)]
pub struct Landlord {
    pub id: String,
    pub kind: LandlordKind,
    pub name: String,
    pub kvk_number: Option<String>,
    pub contact_email: String,
    pub created_at: NaiveDateTime,
    /// A toegelaten instelling (woningcorporatie), as recorded by municipal staff.
    pub housing_corporation: bool,
    pub housing_corporation_reference: Option<String>,
    pub role: PartyRole,
    pub role_detail: Option<PartyRoleDetail>,
    /// JSON array of trade names (handelsnamen).
    pub trade_names: String,
    pub establishment_postcode: Option<String>,
    pub establishment_house_number: Option<i32>,
    pub establishment_house_number_addition: Option<String>,
    pub establishment_city: Option<String>,
    pub contact_phone: Option<String>,
    pub source: PartySource,
    pub notes: Option<String>,
    pub recorded_by: Option<String>,
    pub municipality_code: Option<String>,
    pub merged_into: Option<String>,
    pub merged_at: Option<NaiveDateTime>,
    pub updated_at: NaiveDateTime,
}

impl Landlord {
    /// A landlord who registered an account: no officer's notes, no other party details yet.
    pub fn self_registered(
        id: String,
        kind: LandlordKind,
        name: String,
        kvk_number: Option<String>,
        contact_email: String,
        now: NaiveDateTime,
    ) -> Self {
        Landlord {
            id,
            kind,
            name,
            kvk_number,
            contact_email,
            created_at: now,
            housing_corporation: false,
            housing_corporation_reference: None,
            role: PartyRole::Landlord,
            role_detail: None,
            trade_names: "[]".into(),
            establishment_postcode: None,
            establishment_house_number: None,
            establishment_house_number_addition: None,
            establishment_city: None,
            contact_phone: None,
            source: PartySource::SelfRegistration,
            notes: None,
            recorded_by: None,
            municipality_code: None,
            merged_into: None,
            merged_at: None,
            updated_at: now,
        }
    }

    /// The e-mail address to write to, if one is known (`''` in the column means none).
    pub fn email(&self) -> Option<&str> {
        Some(self.contact_email.as_str()).filter(|e| !e.is_empty())
    }
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = accounts)]
pub struct Account {
    pub id: String,
    pub email: String,
    pub password_hash: String,
    pub role: Role,
    pub display_name: String,
    pub landlord_id: Option<String>,
    pub disabled: bool,
    pub created_at: NaiveDateTime,
    /// Carried in access tokens; raised when the account is disabled or its role or
    /// municipalities change, so that older tokens stop working.
    pub security_version: i32,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = api_clients)]
pub struct ApiClient {
    pub id: String,
    pub client_id: String,
    pub secret_hash: String,
    pub name: String,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub scopes: ClientScopes,
    /// The first of its municipalities (by code); all of them are in `api_client_municipalities`.
    pub municipality_code: String,
    /// Disabled or revoked: no tokens, and its tokens are refused.
    pub disabled: bool,
    pub created_at: NaiveDateTime,
    /// Carried in access tokens; raised when the client is disabled, enabled, revoked, its secret
    /// rotated, or its scopes or municipalities change, so that older tokens stop working.
    pub security_version: i32,
    /// Where notices for the client go (a paused webhook subscription), if given.
    pub contact_email: Option<String>,
    /// When the client was revoked (permanent); `None` while it is not.
    pub revoked_at: Option<NaiveDateTime>,
}

impl ApiClient {
    pub fn state(&self) -> ApiClientState {
        ApiClientState::of(self.disabled, self.revoked_at.is_some())
    }
}

/// Makes sure the configured municipality exists (idempotent; name updated when changed).
pub fn ensure_municipality(
    conn: &mut DbConnection,
    code: &str,
    name: &str,
    now: NaiveDateTime,
) -> AppResult<()> {
    let existing: Option<Municipality> =
        municipalities::table.find(code).select(Municipality::as_select()).first(conn).optional()?;
    match existing {
        None => {
            diesel::insert_into(municipalities::table)
                .values(Municipality { code: code.into(), name: name.into(), created_at: now })
                .execute(conn)?;
        }
        Some(m) if m.name != name => {
            diesel::update(municipalities::table.find(code))
                .set(municipalities::name.eq(name))
                .execute(conn)?;
        }
        Some(_) => {}
    }
    Ok(())
}

pub fn municipality_exists(conn: &mut DbConnection, code: &str) -> AppResult<bool> {
    Ok(diesel::select(diesel::dsl::exists(municipalities::table.find(code))).get_result(conn)?)
}

pub fn insert_landlord(conn: &mut DbConnection, l: &Landlord) -> AppResult<()> {
    diesel::insert_into(landlords::table).values(l.clone()).execute(conn)?;
    Ok(())
}

pub fn find_landlord(conn: &mut DbConnection, id: &str) -> AppResult<Option<Landlord>> {
    Ok(landlords::table.find(id).select(Landlord::as_select()).first(conn).optional()?)
}

/// Records (or clears) a landlord's status as a housing corporation.
pub fn set_housing_corporation(
    conn: &mut DbConnection,
    id: &str,
    housing_corporation: bool,
    reference: Option<&str>,
) -> AppResult<()> {
    diesel::update(landlords::table.find(id))
        .set((
            landlords::housing_corporation.eq(housing_corporation),
            landlords::housing_corporation_reference.eq(reference),
        ))
        .execute(conn)?;
    Ok(())
}

/// Whether the landlord is recorded as a housing corporation (false for an unknown id).
pub fn is_housing_corporation(conn: &mut DbConnection, id: &str) -> AppResult<bool> {
    Ok(landlords::table
        .find(id)
        .select(landlords::housing_corporation)
        .first::<bool>(conn)
        .optional()?
        .unwrap_or(false))
}

/// Inserts an account; `Err(diesel UniqueViolation)` is returned as is so callers can answer 409.
pub fn insert_account(
    conn: &mut DbConnection,
    a: &Account,
    municipality_codes: &[String],
) -> QueryResult<()> {
    diesel::insert_into(accounts::table).values(a.clone()).execute(conn)?;
    for code in municipality_codes {
        diesel::insert_into(account_municipalities::table)
            .values((
                account_municipalities::account_id.eq(&a.id),
                account_municipalities::municipality_code.eq(code),
            ))
            .execute(conn)?;
    }
    Ok(())
}

pub fn email_taken(conn: &mut DbConnection, email: &str) -> AppResult<bool> {
    Ok(diesel::select(diesel::dsl::exists(accounts::table.filter(accounts::email.eq(email))))
        .get_result(conn)?)
}

pub fn find_account_by_email(conn: &mut DbConnection, email: &str) -> AppResult<Option<Account>> {
    Ok(accounts::table
        .filter(accounts::email.eq(email))
        .select(Account::as_select())
        .first(conn)
        .optional()?)
}

pub fn find_account(conn: &mut DbConnection, id: &str) -> AppResult<Option<Account>> {
    Ok(accounts::table.find(id).select(Account::as_select()).first(conn).optional()?)
}

pub fn account_municipalities(conn: &mut DbConnection, account_id: &str) -> AppResult<Vec<String>> {
    Ok(account_municipalities::table
        .filter(account_municipalities::account_id.eq(account_id))
        .select(account_municipalities::municipality_code)
        .order(account_municipalities::municipality_code)
        .load(conn)?)
}

pub fn admin_exists(conn: &mut DbConnection) -> AppResult<bool> {
    Ok(diesel::select(diesel::dsl::exists(accounts::table.filter(accounts::role.eq(Role::Admin))))
        .get_result(conn)?)
}

pub fn insert_api_client(conn: &mut DbConnection, c: &ApiClient) -> QueryResult<()> {
    diesel::insert_into(api_clients::table).values(c.clone()).execute(conn)?;
    Ok(())
}

pub fn find_api_client(conn: &mut DbConnection, client_id: &str) -> AppResult<Option<ApiClient>> {
    Ok(api_clients::table
        .filter(api_clients::client_id.eq(client_id))
        .select(ApiClient::as_select())
        .first(conn)
        .optional()?)
}

pub fn find_api_client_by_id(conn: &mut DbConnection, id: &str) -> AppResult<Option<ApiClient>> {
    Ok(api_clients::table.find(id).select(ApiClient::as_select()).first(conn).optional()?)
}

/// Whether a token subject may still act, and its current security version: `None` when there
/// is no such account or API client.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SubjectState {
    pub disabled: bool,
    pub security_version: i32,
}

/// The state of an account (`client == false`) or API client (internal id).
pub fn subject_state(conn: &mut DbConnection, id: &str, client: bool) -> AppResult<Option<SubjectState>> {
    let row: Option<(bool, i32)> = if client {
        api_clients::table
            .find(id)
            .select((api_clients::disabled, api_clients::security_version))
            .first(conn)
            .optional()?
    } else {
        accounts::table
            .find(id)
            .select((accounts::disabled, accounts::security_version))
            .first(conn)
            .optional()?
    };
    Ok(row.map(|(disabled, security_version)| SubjectState { disabled, security_version }))
}

/// Disables or enables an account and raises its security version; false for an unknown id.
pub fn set_account_disabled(conn: &mut DbConnection, id: &str, disabled: bool) -> AppResult<bool> {
    let n = diesel::update(accounts::table.find(id))
        .set((accounts::disabled.eq(disabled), accounts::security_version.eq(accounts::security_version + 1)))
        .execute(conn)?;
    Ok(n == 1)
}

/// Disables or enables an API client and raises its security version; false for an unknown or
/// revoked client (a revoked client stays disabled).
pub fn set_api_client_disabled(conn: &mut DbConnection, id: &str, disabled: bool) -> AppResult<bool> {
    let n = diesel::update(api_clients::table.find(id).filter(api_clients::revoked_at.is_null()))
        .set((
            api_clients::disabled.eq(disabled),
            api_clients::security_version.eq(api_clients::security_version + 1),
        ))
        .execute(conn)?;
    Ok(n == 1)
}

/// Replaces an account's municipalities and raises its security version.
pub fn replace_account_municipalities(conn: &mut DbConnection, id: &str, codes: &[String]) -> AppResult<()> {
    diesel::delete(account_municipalities::table.filter(account_municipalities::account_id.eq(id)))
        .execute(conn)?;
    for code in codes {
        diesel::insert_into(account_municipalities::table)
            .values((
                account_municipalities::account_id.eq(id),
                account_municipalities::municipality_code.eq(code),
            ))
            .execute(conn)?;
    }
    diesel::update(accounts::table.find(id))
        .set(accounts::security_version.eq(accounts::security_version + 1))
        .execute(conn)?;
    Ok(())
}

/// Accounts newest first (by `created_at`, then id), optionally of one role and/or disabled
/// state; `after` is the last row of the previous page.
pub fn list_accounts(
    conn: &mut DbConnection,
    role: Option<Role>,
    disabled: Option<bool>,
    after: Option<(NaiveDateTime, String)>,
    limit: i64,
) -> AppResult<Vec<Account>> {
    let mut q = accounts::table.select(Account::as_select()).into_boxed();
    if let Some(r) = role {
        q = q.filter(accounts::role.eq(r));
    }
    if let Some(d) = disabled {
        q = q.filter(accounts::disabled.eq(d));
    }
    if let Some((at, id)) = after {
        q = q.filter(accounts::created_at.lt(at).or(accounts::created_at.eq(at).and(accounts::id.lt(id))));
    }
    Ok(q.order((accounts::created_at.desc(), accounts::id.desc())).limit(limit).load(conn)?)
}

/// `(account id, CBS code)` of the given accounts, ordered by code.
pub fn municipalities_of_accounts(
    conn: &mut DbConnection,
    ids: &[String],
) -> AppResult<Vec<(String, String)>> {
    Ok(account_municipalities::table
        .filter(in_texts(account_municipalities::account_id, ids))
        .select((account_municipalities::account_id, account_municipalities::municipality_code))
        .order(account_municipalities::municipality_code)
        .load(conn)?)
}

/// The landlord records with these ids.
pub fn landlords_by_ids(conn: &mut DbConnection, ids: &[String]) -> AppResult<Vec<Landlord>> {
    Ok(landlords::table.filter(in_texts(landlords::id, ids)).select(Landlord::as_select()).load(conn)?)
}

/// Sets an account's password hash and raises its security version (every token issued before
/// stops working); false for an unknown id.
pub fn set_password(conn: &mut DbConnection, id: &str, password_hash: &str) -> AppResult<bool> {
    let n = diesel::update(accounts::table.find(id))
        .set((
            accounts::password_hash.eq(password_hash),
            accounts::security_version.eq(accounts::security_version + 1),
        ))
        .execute(conn)?;
    Ok(n == 1)
}

/// Records a new password reset link for an account (by the hash of its token). The account's
/// unused links before it, and expired links of any account, are removed: only the newest works.
pub fn replace_password_reset(
    conn: &mut DbConnection,
    account_id: &str,
    token_hash: &str,
    now: NaiveDateTime,
    expires_at: NaiveDateTime,
) -> AppResult<()> {
    diesel::delete(
        password_resets::table
            .filter(password_resets::account_id.eq(account_id).and(password_resets::used_at.is_null())),
    )
    .execute(conn)?;
    diesel::delete(password_resets::table.filter(password_resets::expires_at.le(now))).execute(conn)?;
    diesel::insert_into(password_resets::table)
        .values((
            password_resets::token_hash.eq(token_hash),
            password_resets::account_id.eq(account_id),
            password_resets::created_at.eq(now),
            password_resets::expires_at.eq(expires_at),
            password_resets::used_at.eq(None::<NaiveDateTime>),
        ))
        .execute(conn)?;
    Ok(())
}

/// The account of an unused, unexpired reset link (by the hash of its token).
pub fn password_reset_account(
    conn: &mut DbConnection,
    token_hash: &str,
    now: NaiveDateTime,
) -> AppResult<Option<String>> {
    Ok(password_resets::table
        .find(token_hash)
        .filter(password_resets::used_at.is_null().and(password_resets::expires_at.gt(now)))
        .select(password_resets::account_id)
        .first(conn)
        .optional()?)
}

/// Uses up a reset link: marks it used if it is unused and unexpired (once only, also under
/// concurrent use) and answers its account; `None` when it was not usable.
pub fn use_password_reset(
    conn: &mut DbConnection,
    token_hash: &str,
    now: NaiveDateTime,
) -> AppResult<Option<String>> {
    let Some(account_id) = password_reset_account(conn, token_hash, now)? else { return Ok(None) };
    let n =
        diesel::update(password_resets::table.find(token_hash).filter(password_resets::used_at.is_null()))
            .set(password_resets::used_at.eq(Some(now)))
            .execute(conn)?;
    Ok((n == 1).then_some(account_id))
}

/// Marks every unused reset link of an account as used (after its password changed).
pub fn retire_password_resets(
    conn: &mut DbConnection,
    account_id: &str,
    now: NaiveDateTime,
) -> AppResult<()> {
    diesel::update(
        password_resets::table
            .filter(password_resets::account_id.eq(account_id).and(password_resets::used_at.is_null())),
    )
    .set(password_resets::used_at.eq(Some(now)))
    .execute(conn)?;
    Ok(())
}

/// The municipalities a landlord is known in: those of its properties, applications, licences,
/// inspections, violations (and so cases and sanctions) and complaints — landlords themselves
/// are installation-wide. Sorted, without duplicates.
pub fn landlord_municipalities(conn: &mut DbConnection, landlord_id: &str) -> AppResult<Vec<String>> {
    use super::schema::{complaints, inspections, licence_applications, licences, properties, violations};
    let mut codes: Vec<String> = Vec::new();
    macro_rules! known_in {
        ($table:ident) => {
            codes.extend(
                $table::table
                    .filter($table::landlord_id.eq(landlord_id))
                    .select($table::municipality_code)
                    .distinct()
                    .load::<String>(conn)?,
            )
        };
    }
    known_in!(properties);
    known_in!(licence_applications);
    known_in!(licences);
    known_in!(inspections);
    known_in!(violations);
    known_in!(complaints);
    codes.sort();
    codes.dedup();
    Ok(codes)
}

/// A landlord's mandate for a portal, with the portal's public client id and name.
#[derive(Debug, Clone)]
pub struct Mandate {
    pub client_id: String,
    pub client_name: String,
    pub granted_at: NaiveDateTime,
    pub revoked_at: Option<NaiveDateTime>,
}

/// Grants (or grants again) a portal's mandate for a landlord.
pub fn grant_mandate(
    conn: &mut DbConnection,
    landlord_id: &str,
    client: &str,
    now: NaiveDateTime,
) -> AppResult<()> {
    use super::schema::portal_mandates as pm;
    let updated = diesel::update(pm::table.find((landlord_id, client)))
        .set((pm::granted_at.eq(now), pm::revoked_at.eq(None::<NaiveDateTime>)))
        .execute(conn)?;
    if updated == 0 {
        diesel::insert_into(pm::table)
            .values((
                pm::landlord_id.eq(landlord_id),
                pm::client_id.eq(client),
                pm::granted_at.eq(now),
                pm::revoked_at.eq(None::<NaiveDateTime>),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Revokes an active mandate; false when there was none.
pub fn revoke_mandate(
    conn: &mut DbConnection,
    landlord_id: &str,
    client: &str,
    now: NaiveDateTime,
) -> AppResult<bool> {
    use super::schema::portal_mandates as pm;
    let n = diesel::update(pm::table.find((landlord_id, client)).filter(pm::revoked_at.is_null()))
        .set(pm::revoked_at.eq(Some(now)))
        .execute(conn)?;
    Ok(n == 1)
}

/// Whether the portal (internal client id) holds an active mandate of the landlord.
pub fn has_mandate(conn: &mut DbConnection, landlord_id: &str, client: &str) -> AppResult<bool> {
    use super::schema::portal_mandates as pm;
    Ok(pm::table
        .find((landlord_id, client))
        .filter(pm::revoked_at.is_null())
        .select(pm::landlord_id)
        .first::<String>(conn)
        .optional()?
        .is_some())
}

/// The landlord's mandates, newest first, with the portals' public ids and names.
pub fn mandates_of(conn: &mut DbConnection, landlord_id: &str) -> AppResult<Vec<Mandate>> {
    use super::schema::portal_mandates as pm;
    let rows: Vec<(String, String, NaiveDateTime, Option<NaiveDateTime>)> = pm::table
        .inner_join(api_clients::table.on(api_clients::id.eq(pm::client_id)))
        .filter(pm::landlord_id.eq(landlord_id))
        .order(pm::granted_at.desc())
        .select((api_clients::client_id, api_clients::name, pm::granted_at, pm::revoked_at))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(client_id, client_name, granted_at, revoked_at)| Mandate {
            client_id,
            client_name,
            granted_at,
            revoked_at,
        })
        .collect())
}
