//! Parties the Wgv binds: landlords (verhuurders), intermediaries (verhuurbemiddelaars and
//! beheerders) and the employers and staffing agencies that house workers. A party may have an
//! account (a landlord who registered) or be recorded by an officer without one.

use serde::{Deserialize, Serialize};

/// Natural person or legal entity (company with a KvK number).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LandlordKind {
    NaturalPerson,
    LegalEntity,
}

crate::closed_set!(LandlordKind { NaturalPerson => "natural_person", LegalEntity => "legal_entity" });

/// The family of a party record: which routes serve it and which rules can bind it. The general
/// rules of goed verhuurderschap bind landlords and verhuurbemiddelaars alike (Wgv art. 2 lid 1;
/// rules.md §1); employers and staffing agencies are recorded as parties found at an address.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PartyRole {
    Landlord,
    Intermediary,
    Employer,
}

crate::closed_set!(PartyRole { Landlord => "landlord", Intermediary => "intermediary", Employer => "employer" });

/// What kind of intermediary or employer a party is (landlords have none).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PartyRoleDetail {
    /// Verhuurbemiddelaar: brings landlord and tenant together.
    LettingAgent,
    /// Beheerder: manages the letting for the owner.
    PropertyManager,
    /// An employer who houses its own workers.
    Employer,
    /// An uitzendbureau (staffing agency) that houses the workers it hires out.
    StaffingAgency,
}

crate::closed_set!(PartyRoleDetail {
    LettingAgent => "letting_agent",
    PropertyManager => "property_manager",
    Employer => "employer",
    StaffingAgency => "staffing_agency",
});

impl PartyRoleDetail {
    /// The family this detail belongs to.
    pub fn role(self) -> PartyRole {
        match self {
            PartyRoleDetail::LettingAgent | PartyRoleDetail::PropertyManager => PartyRole::Intermediary,
            PartyRoleDetail::Employer | PartyRoleDetail::StaffingAgency => PartyRole::Employer,
        }
    }
}

/// Where the municipality got a party's details from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PartySource {
    /// The landlord registered an account.
    SelfRegistration,
    /// The Handelsregister of the Kamer van Koophandel.
    KvkRegister,
    /// The Kadaster (land registry).
    Kadaster,
    Inspection,
    Complaint,
    /// A partner organisation (police, labour inspectorate, another municipality, …).
    Partner,
    Other,
}

crate::closed_set!(PartySource {
    SelfRegistration => "self_registration",
    KvkRegister => "kvk_register",
    Kadaster => "kadaster",
    Inspection => "inspection",
    Complaint => "complaint",
    Partner => "partner",
    Other => "other",
});
