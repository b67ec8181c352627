//! Accounts: landlord self-registration, the caller's own account, staff accounts and API clients
//! created by the admin.

use actix_web::{get, post, web, HttpResponse};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::db::accounts::{self, Account, ApiClient, Landlord};
use crate::db::audit::{self, Actor, ActorKind, Change};
use crate::db::outbox::{self, NewEmail};
use crate::db::{is_unique_violation, DbConnection};
use crate::domain::ids::{Email, KvkNumber, MunicipalityCode};
use crate::domain::roles::{ClientScope, Role};
use crate::error::{AppError, FieldError};
use crate::http::auth::{
    check_password_strength, hash_password, AdminOnly, AnyRole, Auth, LandlordOnly, ManagerOrAdmin,
};
use crate::http::extract::ValidJson;
use crate::http::problem::{
    current_request_id, AuthProblems, ConflictProblem, NotFoundProblem, Problem, ValidationProblem,
};
use crate::http::AppState;

/// Natural person or legal entity (company with a KvK number).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum LandlordKind {
    NaturalPerson,
    LegalEntity,
}

impl LandlordKind {
    pub fn as_str(self) -> &'static str {
        match self {
            LandlordKind::NaturalPerson => "natural_person",
            LandlordKind::LegalEntity => "legal_entity",
        }
    }
}

/// Self-registration of a landlord (verhuurder).
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RegisterLandlordRequest {
    #[schema(example = "verhuur@example.nl")]
    pub email: String,
    /// 12–128 characters, not easy to guess.
    pub password: String,
    /// Name of the person or the company.
    #[validate(length(min = 1, max = 200))]
    #[schema(example = "Verhuur BV")]
    pub name: String,
    pub kind: LandlordKind,
    /// KvK number, 8 digits; required for a legal entity.
    #[schema(example = "12345678")]
    pub kvk_number: Option<String>,
}

/// Landlord record linked to an account.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct LandlordSummary {
    pub id: String,
    pub kind: LandlordKind,
    pub name: String,
    pub kvk_number: Option<String>,
    /// A toegelaten instelling (woningcorporatie), as recorded by municipal staff: needs no Wgv
    /// licence; enforcement goes through the Autoriteit woningcorporaties.
    pub housing_corporation: bool,
}

/// An account (or, for `GET /v1/me`, an API client).
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct AccountResponse {
    pub id: String,
    pub role: Role,
    /// Absent for API clients.
    pub email: Option<String>,
    pub name: String,
    /// CBS codes of the municipalities this account or client acts for.
    pub municipalities: Vec<String>,
    pub landlord: Option<LandlordSummary>,
    /// API clients only.
    pub scopes: Vec<String>,
    pub created_at: DateTime<Utc>,
}

fn landlord_summary(l: Landlord) -> LandlordSummary {
    LandlordSummary {
        id: l.id,
        kind: if l.kind == "legal_entity" { LandlordKind::LegalEntity } else { LandlordKind::NaturalPerson },
        name: l.name,
        kvk_number: l.kvk_number,
        housing_corporation: l.housing_corporation,
    }
}

fn account_response(
    a: Account,
    municipalities: Vec<String>,
    landlord: Option<Landlord>,
) -> Result<AccountResponse, AppError> {
    Ok(AccountResponse {
        role: a.role,
        id: a.id,
        email: Some(a.email),
        name: a.display_name,
        municipalities,
        landlord: landlord.map(landlord_summary),
        scopes: vec![],
        created_at: a.created_at.and_utc(),
    })
}

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

fn unique_to_conflict(e: diesel::result::Error) -> AppError {
    if is_unique_violation(&e) {
        AppError::conflict("an account with this email address already exists")
    } else {
        e.into()
    }
}

/// Register as a landlord (verhuurder). No token needed. Sends a confirmation email through the
/// outbox.
#[utoipa::path(
    tag = "auth",
    request_body = RegisterLandlordRequest,
    responses(
        (status = 201, body = AccountResponse),
        (status = 409, description = "Email already registered", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/v1/accounts/landlords")]
pub async fn register_landlord(
    state: web::Data<AppState>,
    body: ValidJson<RegisterLandlordRequest>,
) -> Result<HttpResponse, AppError> {
    let req = body.0;
    let mut errs = Vec::new();
    let email = email_and_password(&req.email, &req.password, &req.name, &mut errs);
    let kvk = match (req.kind, req.kvk_number.as_deref().map(str::trim).filter(|s| !s.is_empty())) {
        (LandlordKind::LegalEntity, None) => {
            errs.push(FieldError::new("/kvk_number", "is required for a legal entity"));
            None
        }
        (_, Some(raw)) => match KvkNumber::parse(raw) {
            Ok(k) => Some(k),
            Err(e) => {
                errs.push(FieldError::new("/kvk_number", e.to_string()));
                None
            }
        },
        (LandlordKind::NaturalPerson, None) => None,
    };
    if req.name.trim().is_empty() {
        errs.push(FieldError::new("/name", "must not be blank"));
    }
    let (Some(email), true) = (email, errs.is_empty()) else { return Err(AppError::Validation(errs)) };

    let password = req.password;
    let hash = web::block(move || hash_password(&password))
        .await
        .map_err(|e| AppError::internal(anyhow::anyhow!("hashing task failed: {e}")))??;
    let now = state.clock.now_naive();
    let landlord = Landlord {
        id: uuid::Uuid::new_v4().to_string(),
        kind: req.kind.as_str().into(),
        name: req.name.trim().to_string(),
        kvk_number: kvk.map(|k| k.as_str().to_string()),
        contact_email: email.as_str().to_string(),
        created_at: now,
        housing_corporation: false,
        housing_corporation_reference: None,
    };
    let account = Account {
        id: uuid::Uuid::new_v4().to_string(),
        email: email.as_str().to_string(),
        password_hash: hash,
        role: Role::Landlord,
        display_name: landlord.name.clone(),
        landlord_id: Some(landlord.id.clone()),
        disabled: false,
        created_at: now,
    };
    let municipality = state.config.municipality_name.clone();
    let request_id = current_request_id();
    let (account, landlord) = state
        .db
        .write(move |c| {
            if accounts::email_taken(c, &account.email)? {
                return Err(AppError::conflict("an account with this email address already exists"));
            }
            accounts::insert_landlord(c, &landlord)?;
            accounts::insert_account(c, &account, &[]).map_err(unique_to_conflict)?;
            let actor = Actor { kind: ActorKind::Account, id: Some(account.id.clone()), request_id };
            // The audit trail records identifiers and the kind, not names or email addresses.
            audit::record(
                c,
                now,
                &actor,
                Change {
                    municipality_code: None,
                    entity_type: "landlord",
                    entity_id: &landlord.id,
                    action: "register",
                    before: None,
                    after: Some(serde_json::json!({"kind": landlord.kind, "account_id": account.id})),
                    reason: None,
                },
            )?;
            let body = format!(
                "Welkom bij Huurtoezicht ({municipality}).\n\nUw account als verhuurder is aangemaakt. \
                 U kunt nu inloggen en uw verhuurvergunning aanvragen.\n\n\
                 Welcome to Huurtoezicht ({municipality}). Your landlord account has been created."
            );
            outbox::enqueue(
                c,
                now,
                NewEmail {
                    municipality_code: None,
                    to: &account.email,
                    subject: "Uw account bij Huurtoezicht / Your Huurtoezicht account",
                    body: &body,
                },
            )?;
            Ok((account, landlord))
        })
        .await?;
    Ok(HttpResponse::Created().json(account_response(account, vec![], Some(landlord))?))
}

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
    let caller = auth.0;
    let res = state
        .db
        .read(move |c| {
            if caller.role == Role::ApiClient {
                let cl = accounts::find_api_client_by_id(c, &caller.id)?
                    .ok_or_else(|| AppError::Unauthorized("this API client no longer exists".into()))?;
                return Ok(AccountResponse {
                    id: cl.id,
                    role: Role::ApiClient,
                    email: None,
                    name: cl.name,
                    municipalities: vec![cl.municipality_code],
                    landlord: None,
                    scopes: cl.scopes.split_whitespace().map(str::to_string).collect(),
                    created_at: cl.created_at.and_utc(),
                });
            }
            let a = accounts::find_account(c, &caller.id)?
                .ok_or_else(|| AppError::Unauthorized("this account no longer exists".into()))?;
            let m = accounts::account_municipalities(c, &a.id)?;
            let l = match &a.landlord_id {
                Some(id) => accounts::find_landlord(c, id)?,
                None => None,
            };
            account_response(a, m, l)
        })
        .await?;
    Ok(HttpResponse::Ok().json(res))
}

/// A staff account created by the admin.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateAccountRequest {
    pub email: String,
    /// Initial password, 12–128 characters, not easy to guess.
    pub password: String,
    #[validate(length(min = 1, max = 200))]
    pub name: String,
    /// `officer`, `bibob_officer`, `manager` or `admin`.
    pub role: Role,
    /// CBS codes (e.g. `GM0599`) of the municipalities this person works for; at least one for
    /// officers, Bibob officers and managers.
    #[serde(default)]
    #[validate(length(max = 50))]
    pub municipalities: Vec<String>,
}

pub(crate) fn validate_municipalities(
    c: &mut DbConnection,
    raw: &[String],
    pointer: &str,
) -> Result<Vec<String>, AppError> {
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
            "must be officer, bibob_officer, manager or admin (landlords register themselves; API clients have their own route)",
        )),
        r if r.is_municipal_staff() && req.municipalities.is_empty() => {
            errs.push(FieldError::new("/municipalities", "at least one municipality is required for this role"))
        }
        _ => {}
    }
    let (Some(email), true) = (email, errs.is_empty()) else { return Err(AppError::Validation(errs)) };
    let password = req.password;
    let hash = web::block(move || hash_password(&password))
        .await
        .map_err(|e| AppError::internal(anyhow::anyhow!("hashing task failed: {e}")))??;
    let now = state.clock.now_naive();
    let actor = auth.actor();
    let account = Account {
        id: uuid::Uuid::new_v4().to_string(),
        email: email.as_str().to_string(),
        password_hash: hash,
        role: req.role,
        display_name: req.name.trim().to_string(),
        landlord_id: None,
        disabled: false,
        created_at: now,
    };
    let raw_municipalities = req.municipalities;
    let (account, municipalities) = state
        .db
        .write(move |c| {
            let municipalities = validate_municipalities(c, &raw_municipalities, "/municipalities")?;
            if accounts::email_taken(c, &account.email)? {
                return Err(AppError::conflict("an account with this email address already exists"));
            }
            accounts::insert_account(c, &account, &municipalities).map_err(unique_to_conflict)?;
            audit::record(
                c,
                now,
                &actor,
                Change {
                    municipality_code: municipalities.first().map(String::as_str),
                    entity_type: "account",
                    entity_id: &account.id,
                    action: "create",
                    before: None,
                    after: Some(serde_json::json!({"role": account.role, "municipalities": municipalities})),
                    reason: None,
                },
            )?;
            Ok((account, municipalities))
        })
        .await?;
    Ok(HttpResponse::Created().json(account_response(account, municipalities, None)?))
}

/// A third-party portal's API client.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateApiClientRequest {
    #[validate(length(min = 1, max = 200))]
    pub name: String,
    /// Granted scopes: `applications:write`, `complaints:write`, `register:read`.
    #[validate(length(min = 1, max = 10))]
    pub scopes: Vec<String>,
    /// The municipality the client acts for (CBS code).
    pub municipality_code: String,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ApiClientCreatedResponse {
    pub id: String,
    /// Use with `grant_type=client_credentials`.
    pub client_id: String,
    /// Shown once; only its hash is stored.
    pub client_secret: String,
    pub name: String,
    pub scopes: Vec<String>,
    pub municipality_code: String,
}

/// Create an API client for a third-party portal (admin only). The secret is shown once.
#[utoipa::path(
    tag = "auth",
    security(("bearer" = [])),
    request_body = CreateApiClientRequest,
    responses(
        (status = 201, body = ApiClientCreatedResponse),
        AuthProblems,
        ValidationProblem
    )
)]
#[post("/v1/api-clients")]
pub async fn create_api_client(
    state: web::Data<AppState>,
    auth: Auth<AdminOnly>,
    body: ValidJson<CreateApiClientRequest>,
) -> Result<HttpResponse, AppError> {
    let req = body.0;
    let mut errs = Vec::new();
    let mut scopes = Vec::new();
    for (i, s) in req.scopes.iter().enumerate() {
        match ClientScope::parse(s) {
            Some(sc) => scopes.push(sc.as_str().to_string()),
            None => errs.push(FieldError::new(format!("/scopes/{i}"), "is not a known scope")),
        }
    }
    scopes.sort();
    scopes.dedup();
    if !errs.is_empty() {
        return Err(AppError::Validation(errs));
    }
    let secret = {
        use rand::RngCore;
        let mut b = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut b);
        hex::encode(b)
    };
    let secret_for_hash = secret.clone();
    let hash = web::block(move || hash_password(&secret_for_hash))
        .await
        .map_err(|e| AppError::internal(anyhow::anyhow!("hashing task failed: {e}")))??;
    let now = state.clock.now_naive();
    let actor = auth.actor();
    let client = ApiClient {
        id: uuid::Uuid::new_v4().to_string(),
        client_id: format!("htc_{}", uuid::Uuid::new_v4().simple()),
        secret_hash: hash,
        name: req.name.trim().to_string(),
        scopes: scopes.join(" "),
        municipality_code: req.municipality_code.clone(),
        disabled: false,
        created_at: now,
    };
    let raw_code = req.municipality_code;
    let client = state
        .db
        .write(move |c| {
            let codes = validate_municipalities(c, &[raw_code], "/municipality_code").map_err(|_| {
                AppError::field("/municipality_code", "is not a municipality of this installation")
            })?;
            let mut client = client;
            client.municipality_code = codes.into_iter().next().unwrap_or_default();
            accounts::insert_api_client(c, &client)?;
            audit::record(
                c,
                now,
                &actor,
                Change {
                    municipality_code: Some(&client.municipality_code),
                    entity_type: "api_client",
                    entity_id: &client.id,
                    action: "create",
                    before: None,
                    after: Some(serde_json::json!({"name": client.name, "scopes": client.scopes})),
                    reason: None,
                },
            )?;
            Ok(client)
        })
        .await?;
    Ok(HttpResponse::Created().json(ApiClientCreatedResponse {
        id: client.id,
        client_id: client.client_id,
        client_secret: secret,
        name: client.name,
        scopes,
        municipality_code: client.municipality_code,
    }))
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HousingCorporationRequest {
    /// Whether the landlord is a toegelaten instelling (Woningwet art. 19).
    pub housing_corporation: bool,
    /// What shows it (e.g. the entry in the Autoriteit woningcorporaties register); required
    /// when `housing_corporation` is true.
    #[validate(length(max = 200))]
    pub reference: Option<String>,
    /// Why the record changes (audited).
    #[validate(length(min = 1, max = 2000))]
    pub reason: String,
}

/// Record whether a landlord is a housing corporation (managers, admin). A housing corporation
/// needs no Wgv licence (its applications are refused as not required) and its enforcement
/// cases are referred to the Autoriteit woningcorporaties by the sanction ladder.
#[utoipa::path(
    tag = "auth",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Landlord id")),
    request_body = HousingCorporationRequest,
    responses(
        (status = 200, body = LandlordSummary),
        AuthProblems,
        NotFoundProblem,
        ValidationProblem
    )
)]
#[post("/v1/landlords/{id}/housing-corporation")]
pub async fn set_housing_corporation(
    state: web::Data<AppState>,
    auth: Auth<ManagerOrAdmin>,
    path: web::Path<String>,
    body: ValidJson<HousingCorporationRequest>,
) -> Result<HttpResponse, AppError> {
    let req = body.0;
    let reference = req.reference.as_deref().map(str::trim).filter(|r| !r.is_empty()).map(str::to_string);
    let mut errs = Vec::new();
    if req.housing_corporation && reference.is_none() {
        errs.push(FieldError::new("/reference", "is required for a housing corporation"));
    }
    if req.reason.trim().is_empty() {
        errs.push(FieldError::new("/reason", "must not be blank"));
    }
    if !errs.is_empty() {
        return Err(AppError::Validation(errs));
    }
    let id = path.into_inner();
    let actor = auth.actor();
    let now = state.clock.now_naive();
    let municipality = state.config.municipality_code.as_str().to_string();
    let landlord = state
        .db
        .write(move |c| {
            let before = accounts::find_landlord(c, &id)?
                .ok_or_else(|| AppError::NotFound("no such landlord".into()))?;
            let reference = if req.housing_corporation { reference } else { None };
            accounts::set_housing_corporation(c, &id, req.housing_corporation, reference.as_deref())?;
            audit::record(
                c,
                now,
                &actor,
                Change {
                    municipality_code: Some(&municipality),
                    entity_type: "landlord",
                    entity_id: &id,
                    action: "set_housing_corporation",
                    before: Some(serde_json::json!({"housing_corporation": before.housing_corporation})),
                    after: Some(serde_json::json!({"housing_corporation": req.housing_corporation,
                        "reference": reference})),
                    reason: Some(req.reason.trim()),
                },
            )?;
            accounts::find_landlord(c, &id)?.ok_or_else(|| AppError::NotFound("no such landlord".into()))
        })
        .await?;
    Ok(HttpResponse::Ok().json(landlord_summary(landlord)))
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MandateRequest {
    /// The portal's public `client_id` (it tells you which).
    #[validate(length(min = 1, max = 100))]
    pub client_id: String,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct MandateResponse {
    pub client_id: String,
    /// The portal's name as registered by the municipality.
    pub client_name: String,
    pub granted_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
    pub active: bool,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct MandateListResponse {
    pub items: Vec<MandateResponse>,
}

fn mandate_response(m: accounts::Mandate) -> MandateResponse {
    MandateResponse {
        active: m.revoked_at.is_none(),
        client_id: m.client_id,
        client_name: m.client_name,
        granted_at: m.granted_at.and_utc(),
        revoked_at: m.revoked_at.map(|r| r.and_utc()),
    }
}

fn own_landlord(auth: &crate::http::auth::Caller) -> Result<String, AppError> {
    auth.require_in_person()?;
    auth.landlord_id.clone().ok_or_else(|| AppError::Forbidden("this account has no landlord record".into()))
}

/// Audits a mandate change (a global landlord action: no municipality) and answers with the
/// landlord's mandates as they now stand.
fn mandate_changed(
    c: &mut DbConnection,
    now: chrono::NaiveDateTime,
    actor: &Actor,
    landlord_id: &str,
    action: &str,
    client_id: &str,
) -> Result<MandateListResponse, AppError> {
    audit::record(
        c,
        now,
        actor,
        Change {
            municipality_code: None,
            entity_type: "landlord",
            entity_id: landlord_id,
            action,
            before: None,
            after: Some(serde_json::json!({ "client_id": client_id })),
            reason: None,
        },
    )?;
    mandates(c, landlord_id)
}

fn mandates(c: &mut DbConnection, landlord_id: &str) -> Result<MandateListResponse, AppError> {
    Ok(MandateListResponse {
        items: accounts::mandates_of(c, landlord_id)?.into_iter().map(mandate_response).collect(),
    })
}

/// Give a portal (an API client with `applications:write`) a mandate to handle your licence
/// applications: it may then obtain a token for you (`POST /v1/auth/token` with
/// `grant_type=client_credentials` and your `landlord_id`) and act as you on properties,
/// applications and documents. Only the landlord in person (not a portal) manages mandates.
#[utoipa::path(
    tag = "auth",
    security(("bearer" = [])),
    request_body = MandateRequest,
    responses(
        (status = 200, body = MandateListResponse),
        AuthProblems,
        (status = 422, description = "Unknown portal, or one that may not act for landlords", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/v1/me/mandates")]
pub async fn grant_mandate(
    state: web::Data<AppState>,
    auth: Auth<LandlordOnly>,
    body: ValidJson<MandateRequest>,
) -> Result<HttpResponse, AppError> {
    let landlord_id = own_landlord(&auth)?;
    let client_id = body.0.client_id.trim().to_string();
    let actor = auth.actor();
    let now = state.clock.now_naive();
    let list = state
        .db
        .write(move |c| {
            let client = accounts::find_api_client(c, &client_id)?
                .filter(|k| !k.disabled)
                .ok_or_else(|| AppError::field("/client_id", "is not a known portal"))?;
            if !client.scopes.split_whitespace().any(|s| s == ClientScope::ApplicationsWrite.as_str()) {
                return Err(AppError::field("/client_id", "this portal may not handle licence applications"));
            }
            accounts::grant_mandate(c, &landlord_id, &client.id, now)?;
            mandate_changed(c, now, &actor, &landlord_id, "grant_mandate", &client.client_id)
        })
        .await?;
    Ok(HttpResponse::Ok().json(list))
}

/// Your portal mandates, active and revoked.
#[utoipa::path(
    tag = "auth",
    security(("bearer" = [])),
    responses(
        (status = 200, body = MandateListResponse),
        AuthProblems
    )
)]
#[get("/v1/me/mandates")]
pub async fn list_mandates(
    state: web::Data<AppState>,
    auth: Auth<LandlordOnly>,
) -> Result<HttpResponse, AppError> {
    let landlord_id = own_landlord(&auth)?;
    let list = state.db.read(move |c| mandates(c, &landlord_id)).await?;
    Ok(HttpResponse::Ok().json(list))
}

/// Revoke a portal's mandate: it can obtain no new token for you (tokens already issued end
/// within their lifetime).
#[utoipa::path(
    tag = "auth",
    security(("bearer" = [])),
    params(("client_id" = String, Path, description = "The portal's public client id")),
    responses(
        (status = 200, body = MandateListResponse),
        AuthProblems,
        (status = 404, description = "No active mandate for this portal", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/v1/me/mandates/{client_id}/revoke")]
pub async fn revoke_mandate(
    state: web::Data<AppState>,
    auth: Auth<LandlordOnly>,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let landlord_id = own_landlord(&auth)?;
    let client_id = path.into_inner();
    let actor = auth.actor();
    let now = state.clock.now_naive();
    let list = state
        .db
        .write(move |c| {
            let not_found = || AppError::NotFound("no active mandate for this portal".into());
            let client = accounts::find_api_client(c, &client_id)?.ok_or_else(not_found)?;
            if !accounts::revoke_mandate(c, &landlord_id, &client.id, now)? {
                return Err(not_found());
            }
            mandate_changed(c, now, &actor, &landlord_id, "revoke_mandate", &client.client_id)
        })
        .await?;
    Ok(HttpResponse::Ok().json(list))
}
