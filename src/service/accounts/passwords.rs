//! The admin's list of accounts, and passwords: a reset by a one-time link sent by mail (asked
//! for by anyone who knows the address, or started by the admin), and an account changing its
//! own password. Checking and hashing passwords stays at the HTTP edge (the password pool);
//! these use cases get the hash.

use chrono::NaiveDateTime;
use sha2::{Digest, Sha256};

use crate::db::accounts::{self, Account, Landlord};
use crate::db::audit::{Actor, ActorKind};
use crate::domain::ids::Email;
use crate::domain::roles::Role;
use crate::error::{AppError, AppResult};
use crate::letters::accounts::PasswordResetLink;
use crate::service::{Audit, Tx};

/// One page of the admin's list of accounts.
pub struct ListAccounts {
    pub role: Option<Role>,
    pub disabled: Option<bool>,
    /// Id of the last account of the previous page.
    pub after: Option<String>,
    /// Rows to load (the page size plus one, to know whether there is a next page).
    pub limit: i64,
}

/// An account as listed: with its municipalities and, for a landlord, the landlord record.
pub struct ListedAccount {
    pub account: Account,
    pub municipalities: Vec<String>,
    pub landlord: Option<Landlord>,
}

/// Accounts newest first; 422 naming `#/query/cursor` for a cursor that names no account.
pub fn list_accounts(tx: &mut Tx, q: ListAccounts) -> AppResult<Vec<ListedAccount>> {
    let after = match q.after {
        None => None,
        Some(id) => {
            let row = accounts::find_account(tx.conn, &id)?
                .ok_or_else(|| AppError::field("#/query/cursor", "is not a valid cursor"))?;
            Some((row.created_at, row.id))
        }
    };
    let rows = accounts::list_accounts(tx.conn, q.role, q.disabled, after, q.limit)?;
    let ids: Vec<String> = rows.iter().map(|a| a.id.clone()).collect();
    let municipalities = accounts::municipalities_of_accounts(tx.conn, &ids)?;
    let landlord_ids: Vec<String> = rows.iter().filter_map(|a| a.landlord_id.clone()).collect();
    let landlords = accounts::landlords_by_ids(tx.conn, &landlord_ids)?;
    Ok(rows
        .into_iter()
        .map(|account| ListedAccount {
            municipalities: municipalities
                .iter()
                .filter(|(id, _)| *id == account.id)
                .map(|(_, code)| code.clone())
                .collect(),
            landlord: account
                .landlord_id
                .as_ref()
                .and_then(|l| landlords.iter().find(|x| &x.id == l).cloned()),
            account,
        })
        .collect())
}

/// The stored form of a reset token: its SHA-256 in hex (the token is 256 random bits, so a
/// plain hash is as good as a slow one and lets the link be found by it).
pub fn reset_token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.trim().as_bytes()))
}

/// A new reset token: 32 bytes from the operating system's generator, in hex.
fn new_reset_token() -> String {
    use rand::RngCore;
    let mut b = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut b);
    hex::encode(b)
}

/// Whose password is to be reset.
pub enum ResetFor {
    /// The admin starts it for this account id (404 when unknown, 409 when disabled).
    Account(String),
    /// Someone asks for it by email address: nothing happens, silently, when no enabled account
    /// has it.
    Email(Email),
}

pub struct StartPasswordReset {
    pub target: ResetFor,
    /// How long the link works.
    pub valid_for: chrono::Duration,
    /// The base of the link (`HUURTOEZICHT_PUBLIC_URL`, without a trailing slash).
    pub public_url: String,
    /// The municipality's name, for the letter.
    pub municipality_name: String,
}

/// Records a one-time reset link (only its token's hash) and mails it to the account's address
/// through the outbox; earlier unused links of the account stop working. Audited without the
/// token. Answers whether a link was sent.
pub fn start_password_reset(tx: &mut Tx, cmd: StartPasswordReset) -> AppResult<bool> {
    let (account, by) = match cmd.target {
        ResetFor::Account(id) => {
            let a = accounts::find_account(tx.conn, &id)?
                .ok_or_else(|| AppError::NotFound("no such account".into()))?;
            if a.disabled {
                return Err(AppError::conflict("this account is disabled; enable it first"));
            }
            (a, "admin")
        }
        ResetFor::Email(email) => match accounts::find_account_by_email(tx.conn, email.as_str())? {
            Some(a) if !a.disabled => (a, "self"),
            _ => return Ok(false),
        },
    };
    let token = new_reset_token();
    let expires_at = tx.now + cmd.valid_for;
    accounts::replace_password_reset(tx.conn, &account.id, &reset_token_hash(&token), tx.now, expires_at)?;
    let municipalities = accounts::account_municipalities(tx.conn, &account.id)?;
    let municipality = municipalities.first().map(String::as_str);
    tx.audit(
        Audit::of(municipality, "account", &account.id, "start_password_reset")
            .after(serde_json::json!({"by": by, "expires_at": expires_at.and_utc()})),
    )?;
    let link = format!("{}/password-reset?token={token}", cmd.public_url);
    let letter = PasswordResetLink {
        name: &account.display_name,
        municipality: &cmd.municipality_name,
        link: &link,
        minutes: cmd.valid_for.num_minutes(),
    }
    .letter()?;
    tx.mail(municipality, &account.email, &letter)?;
    Ok(true)
}

fn unusable_token() -> AppError {
    AppError::field("/token", "is not a valid reset token, has expired or has been used")
}

/// The email address and name of the account a usable reset token belongs to (for the
/// password-strength check at the edge); 422 naming `/token` otherwise.
pub fn password_reset_holder(tx: &mut Tx, token: &str) -> AppResult<(String, String)> {
    let id = accounts::password_reset_account(tx.conn, &reset_token_hash(token), tx.now)?
        .ok_or_else(unusable_token)?;
    let a = accounts::find_account(tx.conn, &id)?.filter(|a| !a.disabled).ok_or_else(unusable_token)?;
    Ok((a.email, a.display_name))
}

pub struct ConfirmPasswordReset {
    /// The token from the link, as posted.
    pub token: String,
    /// The new password, already checked and hashed.
    pub password_hash: String,
}

/// Uses up the reset link (once: a second use, an expired link or one of a disabled account is
/// 422 naming `/token`), sets the new password and raises the security version so that every
/// token issued before stops working. The account becomes the actor; audited without the token.
pub fn confirm_password_reset(tx: &mut Tx, cmd: ConfirmPasswordReset) -> AppResult<Account> {
    let id = accounts::use_password_reset(tx.conn, &reset_token_hash(&cmd.token), tx.now)?
        .ok_or_else(unusable_token)?;
    let account = accounts::find_account(tx.conn, &id)?.filter(|a| !a.disabled).ok_or_else(unusable_token)?;
    tx.actor =
        Actor { kind: ActorKind::Account, id: Some(id.clone()), request_id: tx.actor.request_id.take() };
    new_password(tx, account, &cmd.password_hash, "reset_password")
}

/// The caller's own account, to check the current password at the edge (401 when it no longer
/// exists or is disabled).
pub fn own_account(tx: &mut Tx, id: &str) -> AppResult<Account> {
    accounts::find_account(tx.conn, id)?
        .filter(|a| !a.disabled)
        .ok_or_else(|| AppError::Unauthorized("this account no longer exists or is disabled".into()))
}

pub struct ChangePassword {
    pub account_id: String,
    /// The security version of the token the change was made with: a change made meanwhile
    /// (another password change, disabled) makes this one a 401 rather than a silent overwrite.
    pub security_version: i32,
    /// The new password, already checked and hashed.
    pub password_hash: String,
}

/// Sets the caller's new password (the current one was checked at the edge) and raises the
/// security version; answers the account and its municipalities for a fresh token.
pub fn change_password(tx: &mut Tx, cmd: ChangePassword) -> AppResult<(Account, Vec<String>)> {
    let account = own_account(tx, &cmd.account_id)?;
    if account.security_version != cmd.security_version {
        return Err(AppError::Unauthorized(
            "this access token predates a change to the account; request a new token".into(),
        ));
    }
    let account = new_password(tx, account, &cmd.password_hash, "change_password")?;
    let municipalities = accounts::account_municipalities(tx.conn, &account.id)?;
    Ok((account, municipalities))
}

/// Stores the new hash, retires unused reset links and audits `action` (no secrets recorded).
fn new_password(tx: &mut Tx, account: Account, hash: &str, action: &str) -> AppResult<Account> {
    let not_found = || AppError::NotFound("no such account".into());
    if !accounts::set_password(tx.conn, &account.id, hash)? {
        return Err(not_found());
    }
    let now: NaiveDateTime = tx.now;
    accounts::retire_password_resets(tx.conn, &account.id, now)?;
    let municipalities = accounts::account_municipalities(tx.conn, &account.id)?;
    tx.audit(
        Audit::of(municipalities.first().map(String::as_str), "account", &account.id, action)
            .after(serde_json::json!({"tokens_revoked": true})),
    )?;
    accounts::find_account(tx.conn, &account.id)?.ok_or_else(not_found)
}
