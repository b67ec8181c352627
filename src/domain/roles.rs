//! Who may do what. Roles are claims in the access token; policies per route live in
//! `http::auth`.

use serde::{Deserialize, Serialize};

use crate::domain::code::Code;

/// The role of an authenticated caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
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
    /// Burgerzaken: works the queue of registration signals (BRP address investigations) and
    /// sees nothing else of the municipality's files.
    CivilAffairs,
}

crate::closed_set!(Role {
    Landlord => "landlord",
    Officer => "officer",
    BibobOfficer => "bibob_officer",
    Manager => "manager",
    Admin => "admin",
    ApiClient => "api_client",
    CivilAffairs => "civil_affairs",
});

impl Role {
    pub fn as_str(self) -> &'static str {
        self.code()
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::from_code(s)
    }

    /// Staff roles belong to one or more municipalities and are scoped to them.
    pub fn is_municipal_staff(self) -> bool {
        matches!(self, Role::Officer | Role::BibobOfficer | Role::Manager | Role::CivilAffairs)
    }
}

/// Scopes an API client may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
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
    /// Read the event feed (`GET /v1/events`) of the client's municipalities.
    #[serde(rename = "events:read")]
    EventsRead,
    /// Manage the client's own webhook subscriptions and read their deliveries.
    #[serde(rename = "webhooks:manage")]
    WebhooksManage,
}

crate::closed_set!(ClientScope {
    ApplicationsWrite => "applications:write",
    ComplaintsWrite => "complaints:write",
    RegisterRead => "register:read",
    EventsRead => "events:read",
    WebhooksManage => "webhooks:manage",
});

impl ClientScope {
    pub fn as_str(self) -> &'static str {
        self.code()
    }

    pub fn parse(s: &str) -> Option<ClientScope> {
        ClientScope::from_code(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_names_round_trip() {
        for r in Role::ALL {
            assert_eq!(Role::parse(r.as_str()), Some(*r));
        }
        assert_eq!(Role::parse("root"), None);
    }
}
