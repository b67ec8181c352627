//! Who may do what. Roles are claims in the access token; policies per route live in
//! `http::auth`.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The role of an authenticated caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Verhuurder: a natural person or company letting housing.
    Landlord,
    /// Licensing or enforcement officer (vergunningverlener / toezichthouder).
    Officer,
    /// The only role that may see Bibob questionnaires, findings and advice.
    BibobOfficer,
    /// Sees everything but Bibob details; dashboards, audit trail, configuration.
    Manager,
    /// Installation administrator: creates officers, managers and API clients.
    Admin,
    /// A third-party portal using client credentials (scoped).
    ApiClient,
}

impl Role {
    pub const ALL: [Role; 6] =
        [Role::Landlord, Role::Officer, Role::BibobOfficer, Role::Manager, Role::Admin, Role::ApiClient];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Landlord => "landlord",
            Role::Officer => "officer",
            Role::BibobOfficer => "bibob_officer",
            Role::Manager => "manager",
            Role::Admin => "admin",
            Role::ApiClient => "api_client",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// Staff roles belong to one or more municipalities and are scoped to them.
    pub fn is_municipal_staff(self) -> bool {
        matches!(self, Role::Officer | Role::BibobOfficer | Role::Manager)
    }
}

/// Scopes an API client may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ClientScope {
    /// Submit licence applications on behalf of landlords.
    #[serde(rename = "applications:write")]
    ApplicationsWrite,
    /// Submit complaints (meldingen) on behalf of residents.
    #[serde(rename = "complaints:write")]
    ComplaintsWrite,
    /// Read the public register at higher rate limits.
    #[serde(rename = "register:read")]
    RegisterRead,
}

impl ClientScope {
    pub const ALL: [ClientScope; 3] =
        [ClientScope::ApplicationsWrite, ClientScope::ComplaintsWrite, ClientScope::RegisterRead];

    pub fn as_str(self) -> &'static str {
        match self {
            ClientScope::ApplicationsWrite => "applications:write",
            ClientScope::ComplaintsWrite => "complaints:write",
            ClientScope::RegisterRead => "register:read",
        }
    }

    pub fn parse(s: &str) -> Option<ClientScope> {
        ClientScope::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_names_round_trip() {
        for r in Role::ALL {
            assert_eq!(Role::parse(r.as_str()), Some(r));
        }
        assert_eq!(Role::parse("root"), None);
    }
}
