//! Request and response bodies of the account routes, and their mappings.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::db::accounts::{Account, ApiClient, Landlord, Mandate};
use crate::domain::landlords::LandlordKind;
use crate::domain::roles::Role;

/// Self-registration of a landlord (verhuurder).
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RegisterLandlordRequest {
    #[schema(max_length = 254, example = "verhuur@example.nl")]
    pub email: String,
    /// 12–128 characters, not easy to guess.
    #[schema(min_length = 12, max_length = 128)]
    pub password: String,
    /// Name of the person or the company.
    #[validate(length(min = 1, max = 200))]
    #[schema(min_length = 1, max_length = 200, example = "Verhuur BV")]
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

impl From<Landlord> for LandlordSummary {
    fn from(l: Landlord) -> Self {
        LandlordSummary {
            id: l.id,
            kind: l.kind,
            name: l.name,
            kvk_number: l.kvk_number,
            housing_corporation: l.housing_corporation,
        }
    }
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
    #[schema(value_type = Vec<crate::domain::roles::ClientScope>)]
    pub scopes: Vec<String>,
    pub created_at: DateTime<Utc>,
    /// A disabled account or client cannot sign in, and its tokens are refused.
    pub disabled: bool,
    /// When a portal acts for the landlord under their mandate: the portal.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acting_client: Option<ActingClient>,
}

/// The portal acting for a landlord.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ActingClient {
    /// The portal's public `client_id`.
    pub client_id: String,
    pub name: String,
}

impl AccountResponse {
    pub(super) fn of_account(a: Account, municipalities: Vec<String>, landlord: Option<Landlord>) -> Self {
        AccountResponse {
            role: a.role,
            id: a.id,
            email: Some(a.email),
            name: a.display_name,
            municipalities,
            landlord: landlord.map(LandlordSummary::from),
            scopes: vec![],
            created_at: a.created_at.and_utc(),
            disabled: a.disabled,
            acting_client: None,
        }
    }

    /// A portal acting for `landlord`: the landlord, with the portal as `acting_client`.
    pub(super) fn of_acting(cl: ApiClient, landlord: Landlord) -> Self {
        AccountResponse {
            id: cl.id,
            role: Role::Landlord,
            email: None,
            name: landlord.name.clone(),
            municipalities: vec![],
            landlord: Some(LandlordSummary::from(landlord)),
            scopes: vec![],
            created_at: cl.created_at.and_utc(),
            disabled: cl.disabled,
            acting_client: Some(ActingClient { client_id: cl.client_id, name: cl.name }),
        }
    }

    pub(super) fn of_client(cl: ApiClient, municipalities: Vec<String>) -> Self {
        AccountResponse {
            id: cl.id,
            role: Role::ApiClient,
            email: None,
            name: cl.name,
            municipalities,
            landlord: None,
            scopes: cl.scopes.codes().into_iter().map(str::to_string).collect(),
            created_at: cl.created_at.and_utc(),
            disabled: cl.disabled,
            acting_client: None,
        }
    }
}

/// A staff account created by the admin.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateAccountRequest {
    #[schema(max_length = 254)]
    pub email: String,
    /// Initial password, 12–128 characters, not easy to guess.
    #[schema(min_length = 12, max_length = 128)]
    pub password: String,
    #[validate(length(min = 1, max = 200))]
    #[schema(min_length = 1, max_length = 200)]
    pub name: String,
    /// `officer`, `bibob_officer`, `manager` or `admin`.
    pub role: Role,
    /// CBS codes (e.g. `GM0599`) of the municipalities this person works for; at least one for
    /// officers, Bibob officers and managers.
    #[serde(default)]
    #[validate(length(max = 50))]
    #[schema(max_items = 50)]
    pub municipalities: Vec<String>,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HousingCorporationRequest {
    /// Whether the landlord is a toegelaten instelling (Woningwet art. 19).
    pub housing_corporation: bool,
    /// What shows it (e.g. the entry in the Autoriteit woningcorporaties register); required
    /// when `housing_corporation` is true.
    #[validate(length(max = 200))]
    #[schema(max_length = 200)]
    pub reference: Option<String>,
    /// Why the record changes (audited).
    #[validate(length(min = 1, max = 2000))]
    #[schema(min_length = 1, max_length = 2000)]
    pub reason: String,
}

/// Why access is taken away or given back (audited).
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AccessChangeRequest {
    #[validate(length(min = 1, max = 2000))]
    #[schema(min_length = 1, max_length = 2000)]
    pub reason: String,
}

/// The municipalities of a staff account, replacing the current ones.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AccountMunicipalitiesRequest {
    /// CBS codes; at least one.
    #[validate(length(min = 1, max = 50))]
    #[schema(min_items = 1, max_items = 50)]
    pub municipalities: Vec<String>,
    /// Why (audited).
    #[validate(length(min = 1, max = 2000))]
    #[schema(min_length = 1, max_length = 2000)]
    pub reason: String,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MandateRequest {
    /// The portal's public `client_id` (it tells you which).
    #[validate(length(min = 1, max = 100))]
    #[schema(min_length = 1, max_length = 100)]
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

impl From<Mandate> for MandateResponse {
    fn from(m: Mandate) -> Self {
        MandateResponse {
            active: m.revoked_at.is_none(),
            client_id: m.client_id,
            client_name: m.client_name,
            granted_at: m.granted_at.and_utc(),
            revoked_at: m.revoked_at.map(|r| r.and_utc()),
        }
    }
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct MandateListResponse {
    pub items: Vec<MandateResponse>,
}

impl From<Vec<Mandate>> for MandateListResponse {
    fn from(items: Vec<Mandate>) -> Self {
        MandateListResponse { items: items.into_iter().map(MandateResponse::from).collect() }
    }
}
