//! Accounts: landlord self-registration, the caller's own account, staff accounts and API clients
//! created by the admin, housing corporations and portal mandates.

pub mod access;
pub mod audit;
pub mod clients;
mod dto;
pub mod landlords;
pub mod list;
pub mod mandates;
pub mod passwords;
pub mod staff;
pub mod tokens;

pub use dto::*;

use crate::domain::ids::Email;
use crate::error::{AppError, FieldError};
use crate::http::auth::check_password_strength;
use crate::http::passwords::PasswordPool;

/// The reason of an access change: trimmed, not blank.
fn reason(raw: &str) -> Result<String, AppError> {
    let r = raw.trim();
    if r.is_empty() {
        return Err(AppError::field("/reason", "must not be blank"));
    }
    Ok(r.to_string())
}

/// Parses the email address and checks the password's strength (it must not contain the
/// address or the name), collecting field errors.
fn email_and_password(email: &str, password: &str, name: &str, errs: &mut Vec<FieldError>) -> Option<Email> {
    let parsed = match Email::parse(email) {
        Ok(e) => Some(e),
        Err(e) => {
            errs.push(FieldError::new("/email", e.to_string()));
            None
        }
    };
    if let Err(reason) = check_password_strength(password, &[email, name]) {
        errs.push(FieldError::new("/password", reason));
    }
    parsed
}

/// Hashes a password or secret off the request threads, on the password pool.
async fn hash_off_thread(passwords: &PasswordPool, secret: String) -> Result<String, AppError> {
    passwords.hash(secret).await
}
