//! `GET /v1/accounts`: the admin's list of accounts (staff, admins and landlords), without
//! password hashes.

use actix_web::{get, web, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::AccountResponse;
use crate::domain::code::Code;
use crate::domain::roles::Role;
use crate::error::AppError;
use crate::http::auth::{AdminOnly, Auth};
use crate::http::common::{page, page_limit};
use crate::http::problem::CreateProblems;
use crate::http::AppState;
use crate::service::{self, accounts};

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct AccountQuery {
    /// Only accounts of this role (`api_client` is not an account role: API clients are not
    /// listed here). Default: every role, landlords included.
    #[param(value_type = Option<Role>)]
    pub role: Option<String>,
    /// Only disabled (`true`) or only active (`false`) accounts. Default: both.
    pub disabled: Option<bool>,
    /// Opaque cursor from `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Page size, 1–200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<i64>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct AccountListResponse {
    pub items: Vec<AccountResponse>,
    /// Pass as `cursor` for the next page; absent on the last page.
    pub next_cursor: Option<String>,
}

/// Accounts newest first (admin only): officers, Bibob officers, managers, admins and landlords,
/// each with its role, municipalities and whether it is disabled. API clients are not accounts.
#[utoipa::path(
    tag = "auth",
    security(("bearer" = [])),
    params(AccountQuery),
    responses(
        (status = 200, body = AccountListResponse),
        CreateProblems
    )
)]
#[get("/v1/accounts")]
pub async fn list_accounts(
    state: web::Data<AppState>,
    auth: Auth<AdminOnly>,
    query: web::Query<AccountQuery>,
) -> Result<HttpResponse, AppError> {
    let q = query.into_inner();
    let limit = page_limit(q.limit, 50)?;
    let role = match q.role.as_deref().map(str::trim) {
        None => None,
        Some(r) => match Role::from_code(r) {
            Some(Role::ApiClient) | None => {
                return Err(AppError::field(
                    "#/query/role",
                    "must be one of landlord, officer, bibob_officer, manager, civil_affairs, admin",
                ))
            }
            Some(role) => Some(role),
        },
    };
    let cmd = accounts::ListAccounts { role, disabled: q.disabled, after: q.cursor, limit: limit + 1 };
    let mut rows =
        service::read(&state.db, auth.ctx(&state.clock), move |tx| accounts::list_accounts(tx, cmd)).await?;
    let next_cursor = page(&mut rows, limit, |r| r.account.id.clone());
    let items = rows
        .into_iter()
        .map(|r| AccountResponse::of_account(r.account, r.municipalities, r.landlord))
        .collect();
    Ok(HttpResponse::Ok().json(AccountListResponse { items, next_cursor }))
}
