//! What an inspection records besides its findings: the parties found at the address (by id and
//! role), refused or failed attempts to enter, and the complaints that led to it.

use serde::{Deserialize, Serialize};

/// Why an attempt to enter failed. Consistent with the entry rule of [`super::inspection`]: entry
/// needs the occupant's consent or a warrant; a refusal is recorded, never overridden.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntryAttemptReason {
    /// The occupant did not consent (silence or doubt counts as refusal).
    RefusedByOccupant,
    /// The landlord (or someone acting for the landlord) refused access.
    RefusedByLandlord,
    /// Nobody opened.
    NoOnePresent,
    /// Access failed otherwise (locked gate, wrong address, …); say so in the note.
    NoAccessOther,
}
crate::closed_set!(EntryAttemptReason {
    RefusedByOccupant => "refused_by_occupant",
    RefusedByLandlord => "refused_by_landlord",
    NoOnePresent => "no_one_present",
    NoAccessOther => "no_access_other",
});

/// At most this many parties per inspection and complaints per request (a bound on request size).
pub const MAX_PARTIES: usize = 20;
pub const MAX_COMPLAINTS: usize = 50;
