//! Accounts: landlords registering themselves, staff accounts and API clients created by the
//! admin, the first admin (command line), housing corporations and portal mandates.

mod access;
mod admin;
mod api_clients;
mod housing_corporation;
mod landlords;
mod login;
mod mandates;
mod me;
mod passwords;
mod staff;

pub use access::{
    set_account_disabled, set_account_municipalities, SetAccountDisabled, SetAccountMunicipalities,
};
pub use admin::{admin_exists, create_admin, CreateAdmin};
pub use api_clients::{
    create_api_client, get_api_client, list_api_clients, revoke_api_client, rotate_api_client_secret,
    set_api_client_disabled, update_api_client, ClientView, CreateApiClient, ListApiClients, RevokeApiClient,
    RotateSecret, SetApiClientDisabled, UpdateApiClient,
};
pub use housing_corporation::{landlord_in_scope, set_housing_corporation, SetHousingCorporation};
pub use landlords::{register_landlord, RegisterLandlord};
pub use login::{account_for_login, audit_trail, portal_for_login, PortalLogin};
pub use mandates::{grant_mandate, list_mandates, revoke_mandate, GrantMandate, RevokeMandate};
pub use me::{me, ActingFor, Me};
pub use passwords::{
    change_password, confirm_password_reset, list_accounts, own_account, password_reset_holder,
    reset_token_hash, start_password_reset, ChangePassword, ConfirmPasswordReset, ListAccounts,
    ListedAccount, ResetFor, StartPasswordReset,
};
pub use staff::{create_account, CreateAccount};

use crate::db::accounts::{self, Account};
use crate::db::{is_unique_violation, DbConnection};
use crate::domain::ids::MunicipalityCode;
use crate::error::{AppError, AppResult, FieldError};
use crate::service::Tx;

fn email_conflict() -> AppError {
    AppError::conflict("an account with this email address already exists")
}

/// Inserts a new account with its municipalities; 409 when the email address is taken (checked
/// first, and again by the unique index for a concurrent registration).
fn insert_new_account(tx: &mut Tx, account: &Account, municipalities: &[String]) -> AppResult<()> {
    if accounts::email_taken(tx.conn, &account.email)? {
        return Err(email_conflict());
    }
    accounts::insert_account(tx.conn, account, municipalities).map_err(|e| {
        if is_unique_violation(&e) {
            email_conflict()
        } else {
            e.into()
        }
    })
}

/// The CBS codes as given, checked against this installation's municipalities: sorted, without
/// duplicates; errors name `{pointer}/{index}`.
fn validate_municipalities(c: &mut DbConnection, raw: &[String], pointer: &str) -> AppResult<Vec<String>> {
    let mut out = Vec::new();
    let mut errs = Vec::new();
    for (i, code) in raw.iter().enumerate() {
        match MunicipalityCode::parse(code) {
            Ok(m) if accounts::municipality_exists(c, m.as_str())? => out.push(m.as_str().to_string()),
            Ok(_) => errs.push(FieldError::new(
                format!("{pointer}/{i}"),
                "is not a municipality of this installation",
            )),
            Err(e) => errs.push(FieldError::new(format!("{pointer}/{i}"), e.to_string())),
        }
    }
    out.sort();
    out.dedup();
    if errs.is_empty() {
        Ok(out)
    } else {
        Err(AppError::Validation(errs))
    }
}
