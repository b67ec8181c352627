//! Voorschriften (licence conditions) and which kinds a licence may carry (rules.md §2.3 / §2.4).

use serde::{Deserialize, Serialize};

use crate::domain::ruleset::LicenceKind;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VoorschriftKind {
    /// How the landlord complies with goed verhuurderschap (general licence catalogue).
    GoodLandlordshipCompliance,
    /// Maximum rent — zelfstandige woonruimte only (general licence catalogue).
    MaximumRent,
    /// Maximum rent increase — mentioned in the MvT next to maximum rent.
    MaximumRentIncrease,
    /// Draw up and carry out an onderhoudsplan (general licence catalogue).
    MaintenancePlan,
    /// Record the lease in writing (MvT heading).
    WrittenLease,
    /// Maximum occupants (arbeidsmigranten licence).
    OccupancyLimit,
    /// Facilities per person (arbeidsmigranten licence).
    FacilityRequirement,
    /// Voorschrift aimed at limiting a lesser Bibob danger (Wet Bibob art. 3 lid 7).
    BibobDangerLimitation,
    /// Anything else, free text.
    Other,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Voorschrift {
    pub kind: VoorschriftKind,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "reason")]
pub enum VoorschriftError {
    #[error("the general licence allows only the conditions listed in the Wgv (goed verhuurderschap, maximum rent of zelfstandige woonruimte, onderhoudsplan, written lease)")]
    NotInCatalogue,
    #[error("a maximum rent (increase) can only be set for zelfstandige woonruimte")]
    RentConditionNotSelfContained,
    #[error("a voorschrift needs a text")]
    EmptyText,
}

/// Check one voorschrift against the catalogue for the licence kind (scenario 12).
///
/// General licence: the Wgv lists conditions limitatively [S18][S19] `[SECONDARY]`.
/// Arbeidsmigranten licence: "further requirements" allowed; statutory list `UNCONFIRMED`.
// NOTE: for the arbeidsmigranten licence every kind is accepted because the statutory list is
// UNCONFIRMED (rules.md §2.4); tighten once the jurist has read Wgv art. 6–10.
pub fn validate_voorschrift(
    licence_kind: LicenceKind,
    voorschrift: &Voorschrift,
    self_contained: bool,
) -> Result<(), VoorschriftError> {
    use VoorschriftKind as V;
    if voorschrift.text.trim().is_empty() {
        return Err(VoorschriftError::EmptyText);
    }
    if licence_kind == LicenceKind::LabourMigrant {
        return Ok(());
    }
    match voorschrift.kind {
        V::GoodLandlordshipCompliance | V::MaintenancePlan | V::WrittenLease | V::BibobDangerLimitation => {
            Ok(())
        }
        // NOTE: rules.md names the rent-increase cap only via the MvT; we treat it like the
        // maximum rent (zelfstandige woonruimte only).
        V::MaximumRent | V::MaximumRentIncrease if self_contained => Ok(()),
        V::MaximumRent | V::MaximumRentIncrease => Err(VoorschriftError::RentConditionNotSelfContained),
        V::OccupancyLimit | V::FacilityRequirement | V::Other => Err(VoorschriftError::NotInCatalogue),
    }
}
