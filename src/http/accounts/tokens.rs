//! `POST /v1/auth/token`: password login for accounts, client credentials for API clients.

use actix_web::{post, web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::domain::ids::Email;
use crate::domain::roles::{ClientScope, Role};
use crate::error::AppError;
use crate::http::auth::Grant;
use crate::http::extract::ValidJson;
use crate::http::problem::current_request_id;
use crate::http::problem::Problem;
use crate::http::throttle::{Limited, LoginThrottle, RateLimits};
use crate::http::AppState;
use crate::service::{self, accounts, Ctx};

/// Either `{"email","password"}` (accounts) or `{"grant_type":"client_credentials","client_id",
/// "client_secret"}` (API clients of third-party portals).
/// The OpenAPI document shows it as `oneOf` [`PasswordGrant`], [`ClientCredentialsGrant`].
#[derive(Debug, Deserialize, Validate)]
#[serde(deny_unknown_fields)]
pub struct TokenRequest {
    /// `password` (default) or `client_credentials`.
    pub grant_type: Option<String>,
    #[validate(length(max = 254))]
    pub email: Option<String>,
    #[validate(length(max = 256))]
    pub password: Option<String>,
    #[validate(length(max = 100))]
    pub client_id: Option<String>,
    #[validate(length(max = 256))]
    pub client_secret: Option<String>,
    /// `client_credentials` only: act for this landlord under their mandate (the client needs
    /// the `applications:write` scope). The token then has the landlord role for that landlord.
    #[validate(length(max = 64))]
    pub landlord_id: Option<String>,
}

/// An account logs in with its e-mail address and password.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct PasswordGrant {
    /// `password`, the default.
    #[schema(value_type = Option<PasswordGrantType>)]
    grant_type: Option<String>,
    #[schema(min_length = 1, max_length = 254, example = "officer@gemeente.example")]
    email: String,
    #[schema(min_length = 1, max_length = 256)]
    password: String,
}

/// An API client of a third-party portal logs in with its id and secret.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct ClientCredentialsGrant {
    #[schema(value_type = ClientCredentialsGrantType)]
    grant_type: String,
    #[schema(min_length = 1, max_length = 100)]
    client_id: String,
    #[schema(min_length = 1, max_length = 256)]
    client_secret: String,
    /// Act for this landlord under their mandate (the client needs the `applications:write`
    /// scope). The token then has the landlord role for that landlord.
    #[schema(max_length = 64)]
    landlord_id: Option<String>,
}

/// The `grant_type` of [`PasswordGrant`].
pub struct PasswordGrantType;
/// The `grant_type` of [`ClientCredentialsGrant`].
pub struct ClientCredentialsGrantType;

macro_rules! grant_type_schema {
    ($t:ident, $code:literal) => {
        impl utoipa::PartialSchema for $t {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                crate::http::schema::string_enum([$code], concat!("`", $code, "`"))
            }
        }
        impl utoipa::ToSchema for $t {
            fn name() -> std::borrow::Cow<'static, str> {
                std::borrow::Cow::Borrowed(stringify!($t))
            }
        }
    };
}
grant_type_schema!(PasswordGrantType, "password");
grant_type_schema!(ClientCredentialsGrantType, "client_credentials");

impl utoipa::PartialSchema for TokenRequest {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::OneOfBuilder;
        use utoipa::openapi::Ref;
        OneOfBuilder::new()
            .item(Ref::from_schema_name("PasswordGrant"))
            .item(Ref::from_schema_name("ClientCredentialsGrant"))
            .description(Some("Password grant (accounts) or client credentials (API clients of portals)."))
            .into()
    }
}

impl utoipa::ToSchema for TokenRequest {
    fn name() -> std::borrow::Cow<'static, str> {
        std::borrow::Cow::Borrowed("TokenRequest")
    }

    fn schemas(schemas: &mut Vec<(String, utoipa::openapi::RefOr<utoipa::openapi::schema::Schema>)>) {
        use utoipa::PartialSchema;
        schemas.push(("PasswordGrant".into(), PasswordGrant::schema()));
        schemas.push(("ClientCredentialsGrant".into(), ClientCredentialsGrant::schema()));
        schemas.push(("PasswordGrantType".into(), PasswordGrantType::schema()));
        schemas.push(("ClientCredentialsGrantType".into(), ClientCredentialsGrantType::schema()));
    }
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct TokenResponse {
    /// A signed JWT to send as `Authorization: Bearer …`.
    pub access_token: String,
    /// Always `Bearer`.
    pub token_type: String,
    /// Lifetime in seconds.
    pub expires_in: i64,
}

fn required(v: &Option<String>, name: &str, errs: &mut Vec<crate::error::FieldError>) -> String {
    match v.as_deref().map(str::trim) {
        Some(s) if !s.is_empty() => s.to_string(),
        _ => {
            errs.push(crate::error::FieldError::new(format!("/{name}"), "is required"));
            String::new()
        }
    }
}

/// A login is made by no one yet: an anonymous context for the look-ups.
fn anonymous(state: &AppState) -> Ctx {
    Ctx::anonymous(state.clock.now_naive(), state.clock.today_nl(), current_request_id())
}

/// Checks a password or secret against its stored hash off the request threads, on the password
/// pool. Without an account or client (`hash` is `None`) it checks against a dummy hash, so that
/// the answer takes as long whether or not the account exists.
async fn verify_off_thread(state: &AppState, secret: String, hash: Option<String>) -> Result<bool, AppError> {
    state.passwords.verify(secret, hash).await
}

fn token_response(state: &AppState, token: String) -> HttpResponse {
    HttpResponse::Ok().json(TokenResponse {
        access_token: token,
        token_type: "Bearer".into(),
        expires_in: state.tokens.lifetime_secs(),
    })
}

/// Exchange credentials for a short-lived access token.
#[utoipa::path(
    tag = "auth",
    request_body = TokenRequest,
    responses(
        (status = 200, body = TokenResponse),
        (status = 401, description = "Unknown account or wrong password/secret", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "A portal asked to act for a landlord without scope or mandate", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Missing fields", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many failed attempts for this account or client from this address, or too many requests from this address; `Retry-After` says how long to wait", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/v1/auth/token")]
pub async fn issue_token(
    state: web::Data<AppState>,
    throttle: web::Data<LoginThrottle>,
    limits: web::Data<RateLimits>,
    http: HttpRequest,
    body: ValidJson<TokenRequest>,
) -> Result<HttpResponse, AppError> {
    RateLimits::check(&http, Limited::Token)?;
    let source = limits.source(&http);
    let req = body.0;
    let mut errs = Vec::new();
    // Token lifetimes are wall-clock security, not legal time: the verifier checks `exp`
    // against the system clock, so tokens are stamped with it too (also under a fixed test clock).
    let now = chrono::Utc::now().timestamp();
    match req.grant_type.as_deref().unwrap_or("password") {
        "password" => {
            let email = required(&req.email, "email", &mut errs);
            let password = required(&req.password, "password", &mut errs);
            if !errs.is_empty() {
                return Err(AppError::Validation(errs));
            }
            let bad = || AppError::Unauthorized("invalid email or password".into());
            throttle.0.check(&LoginThrottle::key(&email, source))?;
            let Ok(email) = Email::parse(&email) else { return Err(bad()) };
            let key = LoginThrottle::key(email.as_str(), source);
            let found = service::read(&state.db, anonymous(&state), move |tx| {
                accounts::account_for_login(tx, &email)
            })
            .await?;
            let hash = found.as_ref().map(|(a, _)| a.password_hash.clone());
            let ok = verify_off_thread(&state, password, hash).await?;
            let Some((account, municipalities)) = found.filter(|(a, _)| ok && !a.disabled) else {
                throttle.0.record_failure(&key);
                return Err(bad());
            };
            throttle.0.clear(&key);
            let token = state.tokens.issue(
                now,
                Grant {
                    sub: account.id,
                    role: account.role,
                    municipalities,
                    landlord_id: account.landlord_id,
                    scopes: vec![],
                    security_version: account.security_version,
                },
            )?;
            Ok(token_response(&state, token))
        }
        "client_credentials" => {
            let client_id = required(&req.client_id, "client_id", &mut errs);
            let secret = required(&req.client_secret, "client_secret", &mut errs);
            if !errs.is_empty() {
                return Err(AppError::Validation(errs));
            }
            let key = LoginThrottle::key(&client_id, source);
            throttle.0.check(&key)?;
            let landlord_id =
                req.landlord_id.as_deref().map(str::trim).filter(|l| !l.is_empty()).map(str::to_string);
            let acting_for = landlord_id.clone();
            let found = service::read(&state.db, anonymous(&state), move |tx| {
                accounts::portal_for_login(tx, &client_id, acting_for.as_deref())
            })
            .await?;
            let hash = found.as_ref().map(|p| p.client.secret_hash.clone());
            let ok = verify_off_thread(&state, secret, hash).await?;
            // A disabled or revoked client is refused like a wrong secret: nothing to learn.
            let Some(login) = found.filter(|p| ok && !p.client.disabled && p.client.revoked_at.is_none())
            else {
                throttle.0.record_failure(&key);
                return Err(AppError::Unauthorized("invalid client_id or client_secret".into()));
            };
            throttle.0.clear(&key);
            let client = login.client;
            if let Some(landlord_id) = landlord_id.as_deref() {
                if !client.scopes.contains(ClientScope::ApplicationsWrite) {
                    return Err(AppError::Forbidden(
                        "this API client lacks the scope applications:write needed to act for a landlord"
                            .into(),
                    ));
                }
                if !login.mandated {
                    return Err(AppError::Forbidden(
                        "this landlord has not given this portal a mandate (POST /v1/me/mandates)".into(),
                    ));
                }
                let token =
                    state.tokens.issue_delegated(now, &client.id, landlord_id, client.security_version)?;
                return Ok(token_response(&state, token));
            }
            let scopes = client.scopes.codes().into_iter().map(str::to_string).collect();
            let token = state.tokens.issue(
                now,
                Grant {
                    sub: client.id,
                    role: Role::ApiClient,
                    municipalities: login.municipalities,
                    landlord_id: None,
                    scopes,
                    security_version: client.security_version,
                },
            )?;
            Ok(token_response(&state, token))
        }
        _ => Err(AppError::field("/grant_type", "must be password or client_credentials")),
    }
}
