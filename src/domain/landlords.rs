//! Landlords (verhuurders): what kind of landlord registers.

use serde::{Deserialize, Serialize};

/// Natural person or legal entity (company with a KvK number).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LandlordKind {
    NaturalPerson,
    LegalEntity,
}

crate::closed_set!(LandlordKind { NaturalPerson => "natural_person", LegalEntity => "legal_entity" });
