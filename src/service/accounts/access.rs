//! Taking access away (admin): disabling an account (API clients: `api_clients.rs`), and changing the
//! municipalities of a staff account. Each raises the security version, so tokens issued before
//! stop working on their next request.

use crate::db::accounts::{self, Account};
use crate::error::{AppError, AppResult};
use crate::service::{Audit, Tx};

pub struct SetAccountDisabled {
    pub account_id: String,
    pub disabled: bool,
    /// Why (trimmed, not blank; audited).
    pub reason: String,
}

/// Disables (or enables again) an account; answers with the account and its municipalities. The
/// admin cannot disable their own account (409), so that an installation keeps an admin.
pub fn set_account_disabled(tx: &mut Tx, cmd: SetAccountDisabled) -> AppResult<(Account, Vec<String>)> {
    let id = cmd.account_id;
    let before =
        accounts::find_account(tx.conn, &id)?.ok_or_else(|| AppError::NotFound("no such account".into()))?;
    if cmd.disabled && tx.actor.id.as_deref() == Some(id.as_str()) {
        return Err(AppError::conflict("you cannot disable your own account"));
    }
    accounts::set_account_disabled(tx.conn, &id, cmd.disabled)?;
    let municipalities = accounts::account_municipalities(tx.conn, &id)?;
    tx.audit(
        Audit::of(municipalities.first().map(String::as_str), "account", &id, "set_disabled")
            .before(serde_json::json!({"disabled": before.disabled}))
            .after(serde_json::json!({"disabled": cmd.disabled}))
            .reason(&cmd.reason),
    )?;
    let account =
        accounts::find_account(tx.conn, &id)?.ok_or_else(|| AppError::NotFound("no such account".into()))?;
    Ok((account, municipalities))
}

pub struct SetAccountMunicipalities {
    pub account_id: String,
    /// CBS codes as given; checked here against this installation's municipalities.
    pub municipalities: Vec<String>,
    /// Why (trimmed, not blank; audited).
    pub reason: String,
}

/// Replaces the municipalities of an officer, Bibob officer or manager (at least one).
pub fn set_account_municipalities(
    tx: &mut Tx,
    cmd: SetAccountMunicipalities,
) -> AppResult<(Account, Vec<String>)> {
    let not_found = || AppError::NotFound("no such account".into());
    let account = accounts::find_account(tx.conn, &cmd.account_id)?.ok_or_else(not_found)?;
    if !account.role.is_municipal_staff() {
        return Err(AppError::conflict(format!(
            "a {} account has no municipalities to change",
            account.role.as_str()
        )));
    }
    let codes = super::validate_municipalities(tx.conn, &cmd.municipalities, "/municipalities")?;
    if codes.is_empty() {
        return Err(AppError::field(
            "/municipalities",
            "at least one municipality is required for this role",
        ));
    }
    let before = accounts::account_municipalities(tx.conn, &account.id)?;
    accounts::replace_account_municipalities(tx.conn, &account.id, &codes)?;
    // Filed under every municipality that gains or loses the account, so each one's trail shows it.
    let mut concerned: Vec<&String> = before.iter().chain(codes.iter()).collect();
    concerned.sort();
    concerned.dedup();
    for m in concerned {
        tx.audit(
            Audit::of(Some(m), "account", &account.id, "set_municipalities")
                .before(serde_json::json!({"municipalities": before}))
                .after(serde_json::json!({"municipalities": codes}))
                .reason(&cmd.reason),
        )?;
    }
    let account = accounts::find_account(tx.conn, &account.id)?.ok_or_else(not_found)?;
    Ok((account, codes))
}
