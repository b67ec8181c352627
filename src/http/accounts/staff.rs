//! The caller's own account, and staff accounts created by the admin (API clients: `clients/`).

use actix_web::{get, post, web, HttpResponse};

use super::{email_and_password, hash_off_thread, AccountResponse, CreateAccountRequest};
use crate::domain::roles::Role;
use crate::error::{AppError, FieldError};
use crate::http::auth::{AdminOnly, AnyRole, Auth};
use crate::http::extract::ValidJson;
use crate::http::problem::{AuthProblems, ConflictProblem, Problem, ValidationProblem};
use crate::http::AppState;
use crate::service::{self, accounts, accounts::Me};

/// The caller's own account (or API client) and role.
#[utoipa::path(
    tag = "auth",
    security(("bearer" = [])),
    responses(
        (status = 200, body = AccountResponse),
        (status = 401, body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/v1/me")]
pub async fn get_me(state: web::Data<AppState>, auth: Auth<AnyRole>) -> Result<HttpResponse, AppError> {
    let (id, role) = (auth.id.clone(), auth.role);
    let (acting, landlord) = (auth.acting_client.clone(), auth.landlord_id.clone());
    let me = service::read(&state.db, auth.ctx(&state.clock), move |tx| {
        let acting = match (&acting, &landlord) {
            (Some(client), Some(landlord)) => Some(accounts::ActingFor { client, landlord }),
            _ => None,
        };
        accounts::me(tx, &id, role, acting)
    })
    .await?;
    Ok(HttpResponse::Ok().json(match me {
        Me::Client { client, municipalities } => AccountResponse::of_client(client, municipalities),
        Me::Acting { client, landlord } => AccountResponse::of_acting(client, landlord),
        Me::Account { account, municipalities, landlord } => {
            AccountResponse::of_account(account, municipalities, landlord)
        }
    }))
}

/// Create an officer, Bibob officer, manager or another admin (admin only).
#[utoipa::path(
    tag = "auth",
    security(("bearer" = [])),
    request_body = CreateAccountRequest,
    responses(
        (status = 201, body = AccountResponse),
        AuthProblems,
        ConflictProblem,
        ValidationProblem
    )
)]
#[post("/v1/accounts")]
pub async fn create_account(
    state: web::Data<AppState>,
    auth: Auth<AdminOnly>,
    body: ValidJson<CreateAccountRequest>,
) -> Result<HttpResponse, AppError> {
    let req = body.0;
    let mut errs = Vec::new();
    let email = email_and_password(&req.email, &req.password, &req.name, &mut errs);
    match req.role {
        Role::Landlord | Role::ApiClient => errs.push(FieldError::new(
            "/role",
            "must be officer, bibob_officer, manager, civil_affairs or admin (landlords register themselves; API clients have their own route)",
        )),
        r if r.is_municipal_staff() && req.municipalities.is_empty() => {
            errs.push(FieldError::new("/municipalities", "at least one municipality is required for this role"))
        }
        _ => {}
    }
    let (Some(email), true) = (email, errs.is_empty()) else { return Err(AppError::Validation(errs)) };
    let cmd = accounts::CreateAccount {
        email,
        password_hash: hash_off_thread(&state.passwords, req.password).await?,
        name: req.name.trim().to_string(),
        role: req.role,
        municipalities: req.municipalities,
    };
    let (account, municipalities) =
        service::write(&state.db, auth.ctx(&state.clock), move |tx| accounts::create_account(tx, cmd))
            .await?;
    Ok(HttpResponse::Created().json(AccountResponse::of_account(account, municipalities, None)))
}
