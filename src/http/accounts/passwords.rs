//! Passwords: a reset by a one-time link by mail (anyone may ask by email address; the admin may
//! start one for an account), confirming it, and an account changing its own password. Every
//! new password ends the tokens issued before it.

use actix_web::{post, web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use super::hash_off_thread;
use super::tokens::TokenResponse;
use crate::domain::ids::Email;
use crate::error::{AppError, FieldError};
use crate::http::auth::{
    anonymous_ctx, check_password_strength, AdminOnly, AnyAccount, Auth, Grant, SubjectStates,
};
use crate::http::extract::ValidJson;
use crate::http::problem::{
    AuthProblems, ConflictProblem, NotFoundProblem, Problem, TooManyRequestsProblem, ValidationProblem,
};
use crate::http::throttle::{Limited, LoginThrottle, RateLimits};
use crate::http::AppState;
use crate::service::{self, accounts};

/// Asking for a reset link by email address.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordResetRequest {
    #[validate(length(min = 1, max = 254))]
    #[schema(example = "jan@example.nl", max_length = 254)]
    pub email: String,
}

/// Setting a new password with the token from a reset link.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordResetConfirmRequest {
    /// The `token` parameter of the link in the mail (64 hexadecimal characters).
    #[validate(length(min = 1, max = 128))]
    #[schema(min_length = 1, max_length = 128)]
    pub token: String,
    /// 12–128 characters, hard to guess, not containing the email address or name.
    #[validate(length(min = 1, max = 256))]
    #[schema(min_length = 12, max_length = 128)]
    pub new_password: String,
}

/// Changing one's own password.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChangePasswordRequest {
    #[validate(length(min = 1, max = 256))]
    #[schema(min_length = 1, max_length = 256)]
    pub current_password: String,
    /// 12–128 characters, hard to guess, not containing the email address or name, not the
    /// current password.
    #[validate(length(min = 1, max = 256))]
    #[schema(min_length = 12, max_length = 128)]
    pub new_password: String,
}

/// The answer to a reset request: the same whatever the address.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct PasswordResetAccepted {
    /// What happens next.
    pub detail: String,
}

fn reset_command(state: &AppState, target: accounts::ResetFor) -> accounts::StartPasswordReset {
    let access = &state.config.access;
    accounts::StartPasswordReset {
        target,
        valid_for: chrono::Duration::from_std(access.password_reset_ttl)
            .unwrap_or_else(|_| chrono::Duration::minutes(60)),
        public_url: access.public_url.clone(),
        municipality_name: state.config.municipality_name.clone(),
    }
}

/// Ask for a password reset link by email address (public, limited per source address). The
/// answer is 202 whether or not an account has this address, so it tells nothing about which
/// accounts exist; when an enabled account has it, a one-time link goes to that address by mail
/// (valid for `HUURTOEZICHT_PASSWORD_RESET_MINUTES`). Earlier unused links stop working.
#[utoipa::path(
    tag = "auth",
    request_body = PasswordResetRequest,
    responses(
        (status = 202, body = PasswordResetAccepted),
        ValidationProblem,
        TooManyRequestsProblem
    )
)]
#[post("/v1/auth/password-reset")]
pub async fn request_password_reset(
    state: web::Data<AppState>,
    http: HttpRequest,
    body: ValidJson<PasswordResetRequest>,
) -> Result<HttpResponse, AppError> {
    RateLimits::check(&http, Limited::PasswordReset)?;
    let email = Email::parse(&body.0.email).map_err(|e| AppError::field("/email", e.to_string()))?;
    let cmd = reset_command(&state, accounts::ResetFor::Email(email));
    service::write(&state.db, anonymous_ctx(&state.clock), move |tx| accounts::start_password_reset(tx, cmd))
        .await?;
    Ok(HttpResponse::Accepted().json(PasswordResetAccepted {
        detail: "if an account has this address, a link to set a new password has been sent to it".into(),
    }))
}

/// Send an account a password reset link (admin only). The current password keeps working until
/// the link is used; 409 for a disabled account (enable it first).
#[utoipa::path(
    tag = "auth",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Account id")),
    responses(
        (status = 202, body = PasswordResetAccepted),
        AuthProblems,
        NotFoundProblem,
        ConflictProblem
    )
)]
#[post("/v1/accounts/{id}/password-reset")]
pub async fn start_password_reset(
    state: web::Data<AppState>,
    auth: Auth<AdminOnly>,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let cmd = reset_command(&state, accounts::ResetFor::Account(path.into_inner()));
    service::write(&state.db, auth.ctx(&state.clock), move |tx| accounts::start_password_reset(tx, cmd))
        .await?;
    Ok(HttpResponse::Accepted().json(PasswordResetAccepted {
        detail: "a link to set a new password has been sent to the account's address".into(),
    }))
}

/// Set a new password with the token of a reset link (public, limited per source address). The
/// link in the mail points at the front end (`HUURTOEZICHT_PUBLIC_URL/password-reset?token=…`),
/// which asks for the new password and posts it here with the token. The token works once and
/// until it expires; every access token of the account stops working and the login lockout of
/// the account is lifted. 422 naming `/token` for an unknown, used or expired token.
#[utoipa::path(
    tag = "auth",
    request_body = PasswordResetConfirmRequest,
    responses(
        (status = 204, description = "The new password is set; sign in with it"),
        ValidationProblem,
        TooManyRequestsProblem
    )
)]
#[post("/v1/auth/password-reset/confirm")]
pub async fn confirm_password_reset(
    state: web::Data<AppState>,
    states: web::Data<SubjectStates>,
    throttle: web::Data<LoginThrottle>,
    http: HttpRequest,
    body: ValidJson<PasswordResetConfirmRequest>,
) -> Result<HttpResponse, AppError> {
    RateLimits::check(&http, Limited::PasswordReset)?;
    let req = body.0;
    let token = req.token.trim().to_string();
    let lookup = token.clone();
    let (email, name) = service::read(&state.db, anonymous_ctx(&state.clock), move |tx| {
        accounts::password_reset_holder(tx, &lookup)
    })
    .await?;
    check_password_strength(&req.new_password, &[&email, &name])
        .map_err(|reason| AppError::field("/new_password", reason))?;
    let cmd = accounts::ConfirmPasswordReset {
        token,
        password_hash: hash_off_thread(&state.passwords, req.new_password).await?,
    };
    let account = service::write(&state.db, anonymous_ctx(&state.clock), move |tx| {
        accounts::confirm_password_reset(tx, cmd)
    })
    .await?;
    states.invalidate(&account.id, false);
    throttle.clear_account(&account.email);
    Ok(HttpResponse::NoContent().finish())
}

/// Change the caller's own password (accounts only: API clients and portals acting for a
/// landlord get 403). A wrong current password is 422 naming `/current_password` and counts
/// towards the login lockout of the account from this address (then 429). Every token issued
/// before stops working; the answer carries a fresh one.
#[utoipa::path(
    tag = "auth",
    security(("bearer" = [])),
    request_body = ChangePasswordRequest,
    responses(
        (status = 200, description = "The new password is set; a fresh access token", body = TokenResponse),
        AuthProblems,
        ValidationProblem,
        (status = 429, description = "Too many wrong passwords for this account from this address; `Retry-After` says how long to wait", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/v1/me/password")]
pub async fn change_own_password(
    state: web::Data<AppState>,
    states: web::Data<SubjectStates>,
    throttle: web::Data<LoginThrottle>,
    limits: web::Data<RateLimits>,
    http: HttpRequest,
    auth: Auth<AnyAccount>,
    body: ValidJson<ChangePasswordRequest>,
) -> Result<HttpResponse, AppError> {
    auth.require_in_person()?;
    let req = body.0;
    let id = auth.id.clone();
    let account =
        service::read(&state.db, auth.ctx(&state.clock), move |tx| accounts::own_account(tx, &id)).await?;
    let key = LoginThrottle::key(&account.email, limits.source(&http));
    throttle.0.check(&key)?;
    let ok =
        state.passwords.verify(req.current_password.clone(), Some(account.password_hash.clone())).await?;
    if !ok {
        throttle.0.record_failure(&key);
        return Err(AppError::field("/current_password", "is not the current password"));
    }
    let mut errs = Vec::new();
    if req.new_password == req.current_password {
        errs.push(FieldError::new("/new_password", "must differ from the current password"));
    } else if let Err(reason) =
        check_password_strength(&req.new_password, &[&account.email, &account.display_name])
    {
        errs.push(FieldError::new("/new_password", reason));
    }
    if !errs.is_empty() {
        return Err(AppError::Validation(errs));
    }
    let cmd = accounts::ChangePassword {
        account_id: account.id.clone(),
        security_version: auth.security_version,
        password_hash: hash_off_thread(&state.passwords, req.new_password).await?,
    };
    let result =
        service::write(&state.db, auth.ctx(&state.clock), move |tx| accounts::change_password(tx, cmd)).await;
    states.invalidate(&account.id, false);
    let (account, municipalities) = result?;
    throttle.clear_account(&account.email);
    let token = state.tokens.issue(
        chrono::Utc::now().timestamp(),
        Grant {
            sub: account.id,
            role: account.role,
            municipalities,
            landlord_id: account.landlord_id,
            scopes: vec![],
            security_version: account.security_version,
        },
    )?;
    Ok(HttpResponse::Ok().json(TokenResponse {
        access_token: token,
        token_type: "Bearer".into(),
        expires_in: state.tokens.lifetime_secs(),
    }))
}
