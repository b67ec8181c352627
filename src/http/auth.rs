//! Authentication and authorisation in one place: password strength (hashing: `http::passwords`), access tokens
//! (JWT, HS256 or RS256, `iss`/`aud`/`exp`/`sub` and role claims checked on every request), and
//! the [`Auth<P>`] extractor whose type parameter names the roles a route admits. A handler that
//! takes `Auth<ManagerOrAdmin>` cannot run for any other role.

use std::marker::PhantomData;

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{web, FromRequest, HttpRequest};
use jsonwebtoken::{decode, encode, Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};

use crate::config::{Config, JwtKeys};
use crate::db::audit::{Actor, ActorKind};
use crate::db::scope::Scope;
use crate::domain::roles::{ClientScope, Role};
use crate::error::AppError;
use crate::http::problem::current_request_id;

pub use crate::domain::passwords::check_password_strength;

/// The claims of an access token.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Claims {
    pub iss: String,
    pub aud: String,
    /// Account id, or API client id.
    pub sub: String,
    pub exp: i64,
    pub iat: i64,
    pub jti: String,
    pub role: Role,
    /// CBS codes of the municipalities the caller acts for (staff and API clients).
    #[serde(default)]
    pub municipalities: Vec<String>,
    /// For landlords: their landlord record.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub landlord_id: Option<String>,
    /// For API clients: granted scopes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub scopes: Vec<String>,
    /// A portal acting for the landlord under their mandate (RFC 8693 `act`): the portal's
    /// internal client id. The token then has the landlord role for `landlord_id`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub act: Option<ActingParty>,
    /// The security version of the account or API client (`sub`) when the token was issued;
    /// compared on every request, so a token stops working once it is raised.
    #[serde(default)]
    pub sv: i32,
}

/// Who a token is issued to (see [`Claims`]).
#[derive(Debug, Clone)]
pub struct Grant {
    pub sub: String,
    pub role: Role,
    pub municipalities: Vec<String>,
    pub landlord_id: Option<String>,
    pub scopes: Vec<String>,
    pub security_version: i32,
}

/// The party acting for the token's subject (RFC 8693 §4.1).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct ActingParty {
    pub sub: String,
}

pub struct TokenService {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    algorithm: Algorithm,
    issuer: String,
    audience: String,
    lifetime_secs: i64,
}

impl TokenService {
    pub fn new(config: &Config) -> anyhow::Result<Self> {
        let (algorithm, encoding, decoding) = match &config.jwt {
            JwtKeys::Hs256 { secret, .. } => {
                (Algorithm::HS256, EncodingKey::from_secret(secret), DecodingKey::from_secret(secret))
            }
            JwtKeys::Rs256 { private_pem, public_pem } => (
                Algorithm::RS256,
                EncodingKey::from_rsa_pem(private_pem).map_err(|e| {
                    anyhow::anyhow!("HUURTOEZICHT_JWT_PRIVATE_KEY_FILE is not an RSA PEM key: {e}")
                })?,
                DecodingKey::from_rsa_pem(public_pem).map_err(|e| {
                    anyhow::anyhow!("HUURTOEZICHT_JWT_PUBLIC_KEY_FILE is not an RSA PEM key: {e}")
                })?,
            ),
        };
        // Only the configured algorithm is accepted: `alg: none` and algorithm confusion fail.
        let mut validation = Validation::new(algorithm);
        validation.set_issuer(&[&config.jwt_issuer]);
        validation.set_audience(&[&config.jwt_audience]);
        validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        validation.leeway = 5;
        Ok(Self {
            encoding,
            decoding,
            validation,
            algorithm,
            issuer: config.jwt_issuer.clone(),
            audience: config.jwt_audience.clone(),
            lifetime_secs: i64::try_from(config.token_lifetime.as_secs()).unwrap_or(900),
        })
    }

    pub fn lifetime_secs(&self) -> i64 {
        self.lifetime_secs
    }

    pub fn issue(&self, now: i64, grant: Grant) -> Result<String, AppError> {
        let claims = Claims {
            iss: self.issuer.clone(),
            aud: self.audience.clone(),
            sub: grant.sub,
            exp: now + self.lifetime_secs,
            iat: now,
            jti: uuid::Uuid::new_v4().to_string(),
            role: grant.role,
            municipalities: grant.municipalities,
            landlord_id: grant.landlord_id,
            scopes: grant.scopes,
            act: None,
            sv: grant.security_version,
        };
        encode(&Header::new(self.algorithm), &claims, &self.encoding)
            .map_err(|e| AppError::internal(anyhow::anyhow!("token signing failed: {e}")))
    }

    /// A landlord-role token for a portal acting under the landlord's mandate: `sub` and `act`
    /// are the portal, `landlord_id` the landlord.
    pub fn issue_delegated(
        &self,
        now: i64,
        client_id: &str,
        landlord_id: &str,
        security_version: i32,
    ) -> Result<String, AppError> {
        let claims = Claims {
            iss: self.issuer.clone(),
            aud: self.audience.clone(),
            sub: client_id.to_string(),
            exp: now + self.lifetime_secs,
            iat: now,
            jti: uuid::Uuid::new_v4().to_string(),
            role: Role::Landlord,
            municipalities: vec![],
            landlord_id: Some(landlord_id.to_string()),
            scopes: vec![],
            act: Some(ActingParty { sub: client_id.to_string() }),
            sv: security_version,
        };
        encode(&Header::new(self.algorithm), &claims, &self.encoding)
            .map_err(|e| AppError::internal(anyhow::anyhow!("token signing failed: {e}")))
    }

    pub fn verify(&self, token: &str) -> Result<Claims, AppError> {
        decode::<Claims>(token, &self.decoding, &self.validation).map(|d| d.claims).map_err(|e| {
            use jsonwebtoken::errors::ErrorKind as K;
            let why = match e.kind() {
                K::ExpiredSignature => "the access token has expired",
                K::InvalidAudience => "the access token is not meant for this API",
                K::InvalidIssuer => "the access token was not issued by this API",
                K::InvalidSignature => "the access token signature is invalid",
                K::InvalidAlgorithm => "the access token uses a refused algorithm",
                K::MissingRequiredClaim(_) => "the access token lacks a required claim",
                _ => "the access token is malformed",
            };
            AppError::Unauthorized(why.into())
        })
    }
}

/// The authenticated caller of a request.
#[derive(Debug, Clone)]
pub struct Caller {
    pub id: String,
    pub role: Role,
    pub municipalities: Vec<String>,
    pub landlord_id: Option<String>,
    pub scopes: Vec<ClientScope>,
    /// A portal acting for the landlord under their mandate (its internal client id).
    pub acting_client: Option<String>,
    /// The security version the token was issued with.
    pub security_version: i32,
}

impl Caller {
    /// Refuses portals acting under a mandate: for what only the landlord may do in person
    /// (managing mandates, reading sanctions).
    pub fn require_in_person(&self) -> Result<(), AppError> {
        match self.acting_client {
            None => Ok(()),
            Some(_) => Err(AppError::Forbidden(
                "a portal acting under a mandate may not do this; the landlord must sign in".into(),
            )),
        }
    }

    /// Which municipalities' data this caller may touch: the installation admin all, everyone
    /// else only the municipalities in their token.
    pub fn scope(&self) -> Scope {
        match self.role {
            Role::Admin => Scope::all(),
            _ => Scope::only(self.municipalities.clone()),
        }
    }

    /// The audit actor for this caller and request.
    pub fn actor(&self) -> Actor {
        Actor {
            kind: if self.role == Role::ApiClient || self.acting_client.is_some() {
                ActorKind::Client
            } else {
                ActorKind::Account
            },
            id: Some(self.id.clone()),
            request_id: current_request_id(),
        }
    }

    /// The context of a use case run for this caller: the moment, the day in the Netherlands, the
    /// actor and the scope.
    pub fn ctx(&self, clock: &crate::clock::Clock) -> crate::service::Ctx {
        crate::service::Ctx {
            now: clock.now_naive(),
            today: clock.today_nl(),
            actor: self.actor(),
            scope: self.scope(),
        }
    }

    pub fn require_scope(&self, scope: ClientScope) -> Result<(), AppError> {
        if self.role != Role::ApiClient || self.scopes.contains(&scope) {
            Ok(())
        } else {
            Err(AppError::Forbidden(format!("this API client lacks the scope {}", scope.as_str())))
        }
    }
}

/// The context of a use case run for an anonymous member of the public.
pub fn anonymous_ctx(clock: &crate::clock::Clock) -> crate::service::Ctx {
    crate::service::Ctx::anonymous(clock.now_naive(), clock.today_nl(), current_request_id())
}

pub(crate) fn caller_from_request(req: &HttpRequest) -> Result<Caller, AppError> {
    let tokens = req
        .app_data::<web::Data<TokenService>>()
        .ok_or_else(|| AppError::internal(anyhow::anyhow!("token service not configured")))?;
    let value = req.headers().get(header::AUTHORIZATION).ok_or_else(|| {
        AppError::Unauthorized("an access token is required (Authorization: Bearer …)".into())
    })?;
    let value =
        value.to_str().map_err(|_| AppError::Unauthorized("malformed Authorization header".into()))?;
    let token = value.strip_prefix("Bearer ").or_else(|| value.strip_prefix("bearer ")).ok_or_else(|| {
        AppError::Unauthorized("the Authorization header must use the Bearer scheme".into())
    })?;
    let claims = tokens.verify(token.trim())?;
    Ok(Caller {
        id: claims.sub,
        role: claims.role,
        municipalities: claims.municipalities,
        landlord_id: claims.landlord_id,
        scopes: claims.scopes.iter().filter_map(|s| ClientScope::parse(s)).collect(),
        acting_client: claims.act.map(|a| a.sub),
        security_version: claims.sv,
    })
}

/// The standing of token subjects (disabled, security version), read from the database and held
/// for a short time so that the per-request check costs a query only once per subject and TTL.
/// Changes made through this instance invalidate the entry at once; other instances see them
/// within the TTL.
pub struct SubjectStates {
    cache: moka::sync::Cache<(bool, String), Option<crate::db::accounts::SubjectState>>,
}

impl SubjectStates {
    pub fn new(ttl: std::time::Duration) -> Self {
        Self { cache: moka::sync::Cache::builder().max_capacity(100_000).time_to_live(ttl).build() }
    }

    /// Forgets what is known of an account (`client == false`) or API client (internal id).
    pub fn invalidate(&self, id: &str, client: bool) {
        self.cache.invalidate(&(client, id.to_string()));
    }

    async fn state(
        &self,
        db: &crate::db::Db,
        id: &str,
        client: bool,
    ) -> Result<Option<crate::db::accounts::SubjectState>, AppError> {
        let key = (client, id.to_string());
        if let Some(s) = self.cache.get(&key) {
            return Ok(s);
        }
        let id = id.to_string();
        let s = db.read(move |c| crate::db::accounts::subject_state(c, &id, client)).await?;
        self.cache.insert(key, s);
        Ok(s)
    }
}

/// Refuses (401) a token whose account or API client has been disabled since, or whose security
/// version is behind (municipalities or role changed, disabled and enabled again). A subject the
/// database does not know is admitted: accounts and clients are never deleted, so only the holder
/// of the signing key could have made such a token.
async fn check_standing(req: &HttpRequest, caller: &Caller) -> Result<(), AppError> {
    let missing = || AppError::internal(anyhow::anyhow!("token state check not configured"));
    let states = req.app_data::<web::Data<SubjectStates>>().ok_or_else(missing)?.clone();
    let db = req.app_data::<web::Data<crate::http::AppState>>().ok_or_else(missing)?.db.clone();
    let client = caller.role == Role::ApiClient || caller.acting_client.is_some();
    let Some(state) = states.state(&db, &caller.id, client).await? else { return Ok(()) };
    let what = if client { "API client" } else { "account" };
    if state.disabled {
        return Err(AppError::Unauthorized(format!("this {what} has been disabled")));
    }
    if state.security_version != caller.security_version {
        return Err(AppError::Unauthorized(format!(
            "this access token predates a change to the {what} (disabled, role or municipalities); \
             request a new token"
        )));
    }
    Ok(())
}

/// For routes that take an optional token (the public complaint intake): when a token is sent,
/// refuses it as [`Auth`] would if its account or client was disabled or changed since.
pub async fn refuse_stale_token(req: &HttpRequest) -> Result<(), AppError> {
    if req.headers().get(header::AUTHORIZATION).is_none() {
        return Ok(());
    }
    let caller = caller_from_request(req)?;
    check_standing(req, &caller).await
}

/// Which roles a route admits, and which scope an API client among them must hold.
/// Implemented by the marker types below.
pub trait Policy {
    const ROLES: &'static [Role];
    /// The scope an API client (role `api_client`) needs on this route; `None`: none.
    const SCOPE: Option<ClientScope> = None;
}

/// Extracts the caller and admits only the roles of `P` (401 without a valid token, 403 for
/// other roles).
pub struct Auth<P: Policy>(pub Caller, PhantomData<P>);

impl<P: Policy> std::ops::Deref for Auth<P> {
    type Target = Caller;
    fn deref(&self) -> &Caller {
        &self.0
    }
}

impl<P: Policy> FromRequest for Auth<P> {
    type Error = AppError;
    type Future = futures_util::future::LocalBoxFuture<'static, Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let admitted = caller_from_request(req).and_then(|caller| {
            if !P::ROLES.contains(&caller.role) {
                return Err(AppError::Forbidden(format!(
                    "the role {} may not do this",
                    caller.role.as_str()
                )));
            }
            match P::SCOPE {
                Some(scope) if caller.role == Role::ApiClient && !caller.scopes.contains(&scope) => {
                    Err(AppError::Forbidden(format!("this API client lacks the scope {}", scope.as_str())))
                }
                _ => Ok(caller),
            }
        });
        // A portal acting under a landlord's mandate: the mandate must still stand, so that a
        // revocation takes effect at once rather than when the token expires.
        let db = req.app_data::<web::Data<crate::http::AppState>>().map(|s| s.db.clone());
        let req = req.clone();
        Box::pin(async move {
            let caller = admitted?;
            check_standing(&req, &caller).await?;
            if let (Some(client), Some(landlord)) = (caller.acting_client.clone(), caller.landlord_id.clone())
            {
                let db = db.ok_or_else(|| AppError::internal(anyhow::anyhow!("database not configured")))?;
                let standing =
                    db.read(move |c| crate::db::accounts::has_mandate(c, &landlord, &client)).await?;
                if !standing {
                    return Err(AppError::Forbidden("the landlord has revoked this portal's mandate".into()));
                }
            }
            Ok(Auth(caller, PhantomData))
        })
    }
}

macro_rules! policy {
    ($(#[$m:meta])* $name:ident => [$($role:ident),*]) => {
        $(#[$m])*
        pub struct $name;
        impl Policy for $name {
            const ROLES: &'static [Role] = &[$(Role::$role),*];
        }
    };
    ($(#[$m:meta])* $name:ident => [$($role:ident),*] scope $scope:ident) => {
        $(#[$m])*
        pub struct $name;
        impl Policy for $name {
            const ROLES: &'static [Role] = &[$(Role::$role),*];
            const SCOPE: Option<ClientScope> = Some(ClientScope::$scope);
        }
    };
}

policy!(/// Any authenticated caller.
    AnyRole => [Landlord, Officer, BibobOfficer, Manager, Admin, ApiClient, CivilAffairs]);
policy!(/// Any person with an account (not API clients).
    AnyAccount => [Landlord, Officer, BibobOfficer, Manager, Admin, CivilAffairs]);
policy!(/// Managers and the installation admin.
    ManagerOrAdmin => [Manager, Admin]);
policy!(/// The installation admin only.
    AdminOnly => [Admin]);
policy!(/// Municipal staff working cases.
    Staff => [Officer, BibobOfficer, Manager]);
policy!(/// Landlords only.
    LandlordOnly => [Landlord]);
policy!(/// Enforcement officers (toezichthouders): inspections, violations, sanctions.
    EnforcementOfficer => [Officer]);
policy!(/// Read enforcement files: officers and managers.
    EnforcementRead => [Officer, Manager]);
policy!(/// Municipal staff who handle complaints (meldpunt): officers and managers.
    ComplaintStaff => [Officer, Manager]);
policy!(/// The Bibob officer only.
    BibobOnly => [BibobOfficer]);
policy!(/// Who may read properties, applications and licences: the landlord (own records) and
    /// municipal staff (their municipalities).
    CaseworkReaders => [Landlord, Officer, BibobOfficer, Manager]);
policy!(/// Landlords (own records) and licensing officers.
    LandlordOrOfficer => [Landlord, Officer]);
policy!(/// Record, search and edit party records (landlords, intermediaries, employers): officers
    /// and managers.
    PartyStaff => [Officer, Manager]);
policy!(/// Read and change one party record: officers and managers; a landlord its own record
    /// (contact data only).
    PartyReaders => [Landlord, Officer, Manager]);
policy!(/// Licensing and enforcement officers only.
    OfficerOnly => [Officer]);
policy!(/// Read licensing deadlines (the licensing dashboard): officers and managers.
    LicensingStaff => [Officer, Manager]);
policy!(/// Leases: officers and managers of the property's municipality, and its landlord.
    LeaseKeepers => [Landlord, Officer, Manager]);
policy!(/// Link accounts to party records and merge records of one party: officers and managers.
    PartyLinkStaff => [Officer, Manager]);
policy!(/// Read the statistics and the monitoring export of their municipalities: officers and
    /// managers.
    StatisticsReaders => [Officer, Manager]);
policy!(/// Read the queue of registration signals: burgerzaken, officers and managers.
    RegistrationSignalReaders => [CivilAffairs, Officer, Manager]);
policy!(/// Work registration signals (address investigations): burgerzaken only.
    CivilAffairsOnly => [CivilAffairs]);
policy!(/// Read the event feed: municipal staff and the installation admin, and API clients with
    /// the scope `events:read`.
    EventReaders => [Officer, BibobOfficer, Manager, Admin, ApiClient] scope EventsRead);
policy!(/// Webhook subscriptions and their deliveries: the owning API client with the scope
    /// `webhooks:manage`, and managers and the admin for their municipalities.
    WebhookManagers => [ApiClient, Manager, Admin] scope WebhooksManage);
