//! Requests and answers of the API client routes.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Deserializer, Serialize};
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use crate::domain::api_clients::ApiClientState;
use crate::service::accounts::ClientView;

/// A third-party portal's API client.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateApiClientRequest {
    #[validate(length(min = 1, max = 200))]
    #[schema(min_length = 1, max_length = 200)]
    pub name: String,
    /// Granted scopes (at least one); what each opens: `docs/api-clients.md`.
    #[validate(length(min = 1, max = 10))]
    #[schema(min_items = 1, max_items = 10, value_type = Vec<crate::domain::roles::ClientScope>)]
    pub scopes: Vec<String>,
    /// CBS codes of the municipalities the client acts for (at least one, unless
    /// `municipality_code` is given).
    #[serde(default)]
    #[validate(length(max = 50))]
    #[schema(max_items = 50)]
    pub municipalities: Vec<String>,
    /// One municipality (CBS code), the older form of `municipalities`; merged with it.
    #[schema(deprecated)]
    pub municipality_code: Option<String>,
    /// Where notices for the client go (a paused webhook subscription).
    #[schema(max_length = 254, example = "integraties@portaal.example")]
    pub contact_email: Option<String>,
}

/// Present with `null`: clear; absent: keep.
fn present<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}

/// Changes to an API client: absent fields are kept; `contact_email: null` removes the address. A
/// change of `scopes` or `municipalities` stops every token issued before.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateApiClientRequest {
    #[validate(length(min = 1, max = 200))]
    #[schema(min_length = 1, max_length = 200)]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>, max_length = 254)]
    pub contact_email: Option<Option<String>>,
    /// The full new set of scopes (at least one).
    #[validate(length(min = 1, max = 10))]
    #[schema(min_items = 1, max_items = 10, value_type = Option<Vec<crate::domain::roles::ClientScope>>)]
    pub scopes: Option<Vec<String>>,
    /// The full new set of municipalities (CBS codes, at least one).
    #[validate(length(min = 1, max = 50))]
    #[schema(min_items = 1, max_items = 50)]
    pub municipalities: Option<Vec<String>>,
}

/// An API client as the admin sees it (never its secret or the secret's hash).
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ApiClientResponse {
    /// The internal id, used in the paths of these routes.
    pub id: String,
    /// The public id, used with `grant_type=client_credentials`.
    pub client_id: String,
    pub name: String,
    pub state: ApiClientState,
    #[schema(value_type = Vec<crate::domain::roles::ClientScope>)]
    pub scopes: Vec<String>,
    /// CBS codes of the municipalities the client acts for, sorted.
    pub municipalities: Vec<String>,
    /// The first of `municipalities` (the older single-municipality field).
    #[schema(deprecated)]
    pub municipality_code: String,
    pub contact_email: Option<String>,
    pub created_at: DateTime<Utc>,
    /// When it was revoked (permanent).
    pub revoked_at: Option<DateTime<Utc>>,
}

impl From<ClientView> for ApiClientResponse {
    fn from(v: ClientView) -> Self {
        let c = v.client;
        ApiClientResponse {
            state: c.state(),
            id: c.id,
            client_id: c.client_id,
            name: c.name,
            scopes: c.scopes.codes().into_iter().map(str::to_string).collect(),
            municipalities: v.municipalities,
            municipality_code: c.municipality_code,
            contact_email: c.contact_email,
            created_at: c.created_at.and_utc(),
            revoked_at: c.revoked_at.map(|t| t.and_utc()),
        }
    }
}

/// A new API client, or a client with a new secret: the secret is shown this once.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ApiClientSecretResponse {
    #[serde(flatten)]
    pub client: ApiClientResponse,
    /// Shown once; only its hash is stored. Use with `grant_type=client_credentials`.
    pub client_secret: String,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ApiClientQuery {
    /// Only clients in this state. Default: all.
    #[param(value_type = Option<ApiClientState>)]
    pub state: Option<String>,
    /// Opaque cursor from `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Page size, 1–200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<i64>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ApiClientListResponse {
    pub items: Vec<ApiClientResponse>,
    /// Pass as `cursor` for the next page; absent on the last page.
    pub next_cursor: Option<String>,
}
