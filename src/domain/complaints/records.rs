//! Closed sets a complaint record carries besides its state: how anonymous the reporter is, the
//! channel it came through, and who wrote a message of which kind.

use serde::{Deserialize, Serialize};

/// `anonymous_to_landlord` (default): the municipality may know the reporter, the landlord never
/// does. `fully_anonymous`: no contact details are accepted at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Anonymity {
    #[default]
    AnonymousToLandlord,
    FullyAnonymous,
}
crate::closed_set!(Anonymity { AnonymousToLandlord => "anonymous_to_landlord", FullyAnonymous => "fully_anonymous" });

/// How a report reached the meldpunt: the public form, a portal (API client), or a partner's
/// signal entered by staff (the partner and its reference are on the complaint). The person
/// behind a portal is never recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    Public,
    Portal,
    Partner,
}
crate::closed_set!(Channel { Public => "public", Portal => "portal", Partner => "partner" });

/// Who wrote a message of a complaint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MessageAuthor {
    Reporter,
    Municipality,
}
crate::closed_set!(MessageAuthor { Reporter => "reporter", Municipality => "municipality" });

/// Kind of a message of a complaint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MessageKind {
    /// To or from the reporter, visible with the tracking code.
    Message,
    /// A question to the reporter (visible with the code; marks the complaint as awaiting).
    InformationRequest,
    /// Never visible to the reporter.
    InternalNote,
}
crate::closed_set!(MessageKind {
    Message => "message",
    InformationRequest => "information_request",
    InternalNote => "internal_note",
});

/// What hotspots are counted per: the address, or the linked landlord.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HotspotKey {
    #[default]
    Address,
    Landlord,
}
crate::closed_set!(HotspotKey { Address => "address", Landlord => "landlord" });
