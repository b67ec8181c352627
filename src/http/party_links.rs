//! Linking a landlord account to a party record (claim) and merging two records of one party,
//! for each family of parties (`/v1/landlords`, `/v1/intermediaries`, `/v1/employers`). The use
//! cases are in `crate::service::party_links`; the rules in `crate::domain::party_links`.

use actix_web::{post, web, HttpResponse};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::domain::landlords::PartyRole;
use crate::domain::party_links::AddressedTo;
use crate::error::{AppError, FieldError};
use crate::http::auth::{Auth, PartyLinkStaff, SubjectStates};
use crate::http::extract::ValidJson;
use crate::http::licensing::write_register;
use crate::http::problem::CaseworkProblems;
use crate::http::AppState;
use crate::service::party_links as uc;

crate::code_schemas!(
    AddressedTo => "To whom a violation is addressed: `landlord` (default) or `intermediary` (a verhuurbemiddelaar or beheerder, bound by the general rules GR-00 … GR-10 only). The party addressed is the offender: its case, sanctions, letters and recidive hold the violation."
);

/// Registers the routes of this module.
pub fn configure(cfg: &mut impl crate::openapi::Routes) {
    cfg.service(link_account).service(merge_landlord).service(merge_intermediary).service(merge_employer);
}

/// Link a landlord account to this recorded landlord.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AccountLinkRequest {
    /// The landlord account (role `landlord`).
    #[validate(length(min = 1, max = 64))]
    #[schema(min_length = 1, max_length = 64)]
    pub account_id: String,
    /// Why (audited): how the officer established that the account holder is this party.
    #[validate(length(min = 1, max = 2000))]
    #[schema(min_length = 1, max_length = 2000)]
    pub reason: String,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct AccountLinkResponse {
    pub account_id: String,
    /// The record the account now belongs to.
    pub landlord_id: String,
    /// The record the account belonged to before, if any.
    pub previous_landlord_id: Option<String>,
    /// The account's self-registered record that was merged into `landlord_id`, if any.
    pub merged_from: Option<String>,
    /// False when the account already belonged to the record (nothing changed).
    pub changed: bool,
}

/// Merge this record into another record of the same party.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PartyMergeRequest {
    /// The record that stays (same family).
    #[validate(length(min = 1, max = 64))]
    #[schema(min_length = 1, max_length = 64)]
    pub into: String,
    /// Why (audited on both records).
    #[validate(length(min = 1, max = 2000))]
    #[schema(min_length = 1, max_length = 2000)]
    pub reason: String,
}

/// Rows a merge moved from one party column.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct PartyMovedRows {
    /// `table.column` (or the table, for counters and mandates).
    pub column: String,
    pub rows: u64,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct PartyMergeResponse {
    /// The merged record: no longer listed or searchable; a read answers it with `merged_into`.
    pub id: String,
    /// The record everything moved to.
    pub merged_into: String,
    pub merged_at: DateTime<Utc>,
    /// Rows moved per party column (columns without rows left out).
    pub moved: Vec<PartyMovedRows>,
    /// Accounts that now belong to `merged_into` (they need a new token).
    pub accounts: Vec<String>,
}

fn reason(raw: &str) -> Result<String, AppError> {
    let r = raw.trim();
    if r.is_empty() {
        return Err(AppError::Validation(vec![FieldError::new("/reason", "must not be blank")]));
    }
    Ok(r.to_string())
}

fn forget_accounts(states: &SubjectStates, ids: &[String]) {
    for id in ids {
        states.invalidate(id, false);
    }
}

/// Link a landlord account to this recorded landlord (claim): the account then sees the
/// record's history, sanctions and properties. When the account had its own self-registered
/// record, that record is merged into this one (everything moves). Officers and managers; the
/// record must be one their municipality made, or a self-registered one.
#[utoipa::path(
    tag = "parties",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Landlord record id")),
    request_body = AccountLinkRequest,
    responses(
        (status = 200, body = AccountLinkResponse),
        CaseworkProblems
    )
)]
#[post("/v1/landlords/{id}/account-link")]
pub async fn link_account(
    state: web::Data<AppState>,
    states: web::Data<SubjectStates>,
    auth: Auth<PartyLinkStaff>,
    path: web::Path<String>,
    body: ValidJson<AccountLinkRequest>,
) -> Result<HttpResponse, AppError> {
    let req = body.0;
    let cmd = uc::LinkAccount {
        landlord_id: path.into_inner(),
        account_id: req.account_id.trim().to_string(),
        reason: reason(&req.reason)?,
        municipality: state.config.municipality_code.as_str().to_string(),
    };
    let linked = write_register(&state, auth.ctx(&state.clock), move |tx| uc::link_account(tx, cmd)).await?;
    forget_accounts(&states, std::slice::from_ref(&linked.account_id));
    if let Some(m) = &linked.merged {
        forget_accounts(&states, &m.accounts);
    }
    Ok(HttpResponse::Ok().json(AccountLinkResponse {
        merged_from: linked.merged.map(|m| m.from),
        account_id: linked.account_id,
        landlord_id: linked.landlord_id,
        previous_landlord_id: linked.previous_landlord_id,
        changed: linked.changed,
    }))
}

async fn merge(
    state: web::Data<AppState>,
    states: web::Data<SubjectStates>,
    auth: Auth<PartyLinkStaff>,
    family: PartyRole,
    id: String,
    req: PartyMergeRequest,
) -> Result<HttpResponse, AppError> {
    let cmd = uc::Merge {
        family,
        from: id,
        into: req.into.trim().to_string(),
        reason: reason(&req.reason)?,
        municipality: state.config.municipality_code.as_str().to_string(),
    };
    let ctx = auth.ctx(&state.clock);
    let merged_at = ctx.now.and_utc();
    let merged = write_register(&state, ctx, move |tx| uc::merge_records(tx, cmd)).await?;
    forget_accounts(&states, &merged.accounts);
    Ok(HttpResponse::Ok().json(PartyMergeResponse {
        id: merged.from,
        merged_into: merged.into,
        merged_at,
        moved: merged
            .moved
            .into_iter()
            .filter(|(_, n)| *n > 0)
            .map(|(column, n)| PartyMovedRows { column: column.to_string(), rows: n as u64 })
            .collect(),
        accounts: merged.accounts,
    }))
}

/// Merge this landlord record into another landlord record of the same party (officers and
/// managers). Everything that names it moves in one transaction: accounts, properties, licence
/// applications, licences, enforcement cases, violations, sanctions, complaints, inspections,
/// objections, portal mandates and the violation counters (summed, so recidive follows). Refused
/// (409) when both records have an open enforcement case, or a property, at the same address.
#[utoipa::path(
    tag = "parties",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Record to merge away")),
    request_body = PartyMergeRequest,
    responses(
        (status = 200, body = PartyMergeResponse),
        CaseworkProblems
    )
)]
#[post("/v1/landlords/{id}/merge")]
pub async fn merge_landlord(
    state: web::Data<AppState>,
    states: web::Data<SubjectStates>,
    auth: Auth<PartyLinkStaff>,
    path: web::Path<String>,
    body: ValidJson<PartyMergeRequest>,
) -> Result<HttpResponse, AppError> {
    merge(state, states, auth, PartyRole::Landlord, path.into_inner(), body.0).await
}

/// Merge this intermediary record into another intermediary record of the same party (as for
/// landlords: everything moves, recidive follows).
#[utoipa::path(
    tag = "parties",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Record to merge away")),
    request_body = PartyMergeRequest,
    responses(
        (status = 200, body = PartyMergeResponse),
        CaseworkProblems
    )
)]
#[post("/v1/intermediaries/{id}/merge")]
pub async fn merge_intermediary(
    state: web::Data<AppState>,
    states: web::Data<SubjectStates>,
    auth: Auth<PartyLinkStaff>,
    path: web::Path<String>,
    body: ValidJson<PartyMergeRequest>,
) -> Result<HttpResponse, AppError> {
    merge(state, states, auth, PartyRole::Intermediary, path.into_inner(), body.0).await
}

/// Merge this employer or staffing-agency record into another employer record of the same party
/// (as for landlords: everything moves).
#[utoipa::path(
    tag = "parties",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Record to merge away")),
    request_body = PartyMergeRequest,
    responses(
        (status = 200, body = PartyMergeResponse),
        CaseworkProblems
    )
)]
#[post("/v1/employers/{id}/merge")]
pub async fn merge_employer(
    state: web::Data<AppState>,
    states: web::Data<SubjectStates>,
    auth: Auth<PartyLinkStaff>,
    path: web::Path<String>,
    body: ValidJson<PartyMergeRequest>,
) -> Result<HttpResponse, AppError> {
    merge(state, states, auth, PartyRole::Employer, path.into_inner(), body.0).await
}
