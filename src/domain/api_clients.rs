//! API clients of third-party portals: the set of scopes a client holds, and its lifecycle
//! (active, disabled, revoked) with what the admin may still do in each state.

use serde::{Deserialize, Serialize};

use crate::domain::code::Code;
use crate::domain::roles::ClientScope;

/// The scopes of one API client: at least one, sorted by code, each once. Stored as the codes
/// separated by spaces (the OAuth `scope` form).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientScopes(Vec<ClientScope>);

impl ClientScopes {
    /// The set of the given scopes; `None` when there are none.
    pub fn of(mut scopes: Vec<ClientScope>) -> Option<Self> {
        scopes.sort_by_key(|s| s.code());
        scopes.dedup();
        (!scopes.is_empty()).then_some(Self(scopes))
    }

    /// Reads the stored form (codes separated by spaces); `None` for an unknown code or none.
    pub fn parse(stored: &str) -> Option<Self> {
        let scopes: Option<Vec<ClientScope>> =
            stored.split_whitespace().map(ClientScope::from_code).collect();
        Self::of(scopes?)
    }

    /// The stored form: the codes separated by single spaces.
    pub fn stored(&self) -> String {
        self.codes().join(" ")
    }

    pub fn codes(&self) -> Vec<&'static str> {
        self.0.iter().map(|s| s.code()).collect()
    }

    pub fn contains(&self, scope: ClientScope) -> bool {
        self.0.contains(&scope)
    }

    pub fn as_slice(&self) -> &[ClientScope] {
        &self.0
    }
}

impl TryFrom<String> for ClientScopes {
    type Error = String;
    fn try_from(stored: String) -> Result<Self, String> {
        Self::parse(&stored)
            .ok_or_else(|| format!("unknown or empty API client scopes {stored:?} in the database"))
    }
}

impl From<ClientScopes> for String {
    fn from(s: ClientScopes) -> String {
        s.stored()
    }
}

/// Where an API client stands. Disabling is reversible; revoking is permanent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ApiClientState {
    /// May obtain tokens; its tokens are accepted.
    Active,
    /// Temporarily shut out: no tokens, its tokens refused; may be enabled again.
    Disabled,
    /// Shut out for good: never a token again; kept on record for the audit trail.
    Revoked,
}

crate::closed_set!(ApiClientState { Active => "active", Disabled => "disabled", Revoked => "revoked" });

/// What the admin does to an API client.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClientAction {
    Update,
    RotateSecret,
    Disable,
    Enable,
    Revoke,
}

impl ApiClientState {
    /// The state of a client from its stored columns: revoked wins over disabled.
    pub fn of(disabled: bool, revoked: bool) -> Self {
        match (revoked, disabled) {
            (true, _) => ApiClientState::Revoked,
            (false, true) => ApiClientState::Disabled,
            (false, false) => ApiClientState::Active,
        }
    }

    /// Whether `action` is allowed in this state; the reason when it is not (a 409). A revoked
    /// client is final: nothing changes it any more. Disabling a disabled client, or enabling an
    /// active one, changes nothing and is allowed (the request is idempotent).
    pub fn allows(self, action: ClientAction) -> Result<(), &'static str> {
        match (self, action) {
            (ApiClientState::Revoked, ClientAction::Revoke) => Err("this API client is already revoked"),
            (ApiClientState::Revoked, _) => {
                Err("this API client is revoked; revocation is permanent (create a new client)")
            }
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_are_sorted_without_duplicates_and_never_empty() {
        let s = ClientScopes::of(vec![
            ClientScope::WebhooksManage,
            ClientScope::ApplicationsWrite,
            ClientScope::WebhooksManage,
        ])
        .unwrap();
        assert_eq!(s.stored(), "applications:write webhooks:manage");
        assert!(s.contains(ClientScope::WebhooksManage));
        assert!(!s.contains(ClientScope::EventsRead));
        assert_eq!(ClientScopes::of(vec![]), None);
    }

    #[test]
    fn stored_scopes_round_trip_and_unknown_codes_are_refused() {
        let s = ClientScopes::parse("events:read  complaints:write").unwrap();
        assert_eq!(ClientScopes::parse(&s.stored()), Some(s.clone()));
        assert_eq!(s.codes(), vec!["complaints:write", "events:read"]);
        assert_eq!(ClientScopes::parse("events:read root"), None);
        assert_eq!(ClientScopes::parse("  "), None);
        assert!(ClientScopes::try_from("nonsense".to_string()).is_err());
    }

    #[test]
    fn revoked_wins_over_disabled() {
        assert_eq!(ApiClientState::of(false, false), ApiClientState::Active);
        assert_eq!(ApiClientState::of(true, false), ApiClientState::Disabled);
        assert_eq!(ApiClientState::of(true, true), ApiClientState::Revoked);
        assert_eq!(ApiClientState::of(false, true), ApiClientState::Revoked);
    }

    #[test]
    fn a_revoked_client_allows_nothing_and_the_others_everything() {
        use ClientAction::*;
        for action in [Update, RotateSecret, Disable, Enable, Revoke] {
            assert!(ApiClientState::Revoked.allows(action).is_err(), "{action:?}");
            assert!(ApiClientState::Active.allows(action).is_ok(), "{action:?}");
            assert!(ApiClientState::Disabled.allows(action).is_ok(), "{action:?}");
        }
    }
}
