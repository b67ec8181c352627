//! Refusal grounds and the screening of an application for them (rules.md §2.5).

use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};

/// Wgv refusal grounds per [S14] `[SECONDARY]` (exact Wgv article `UNCONFIRMED`). All are
/// bevoegdheden ("kan weigeren"): flagged, never applied automatically.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RefusalGround {
    /// A permit required to realise the dwelling is missing (scenario 9). Named like the
    /// screening flag and the property fact `missing_building_permit`.
    #[serde(rename = "missing_building_permit")]
    MissingBuildingPermit,
    /// Enforcement action against the landlord in the preceding 8 years (scenario 7). Named
    /// like the screening flag `prior_enforcement_8y`.
    #[serde(rename = "prior_enforcement_8y")]
    PriorEnforcement8y,
    /// One of the landlord's dwellings is or was in beheer genomen (scenario 10).
    Beheer,
    /// Ernstig gevaar, Wet Bibob art. 3 lid 1.
    BibobSeriousDanger,
}

/// Preceding period for prior enforcement: 8 years `[SECONDARY]` [S14] (rules.md §2.5 ground 2).
pub const PRIOR_ENFORCEMENT_YEARS: u32 = 8;
pub const MONTHS_PER_YEAR: u32 = 12;

/// Facts for the screening.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScreeningInput {
    pub application_date: NaiveDate,
    /// Dates of enforcement decisions against this landlord under the Wgv or other
    /// housing-related rules (Woningwet, Huisvestingswet, …).
    pub prior_enforcement_dates: Vec<NaiveDate>,
    /// A permit required to realise the dwelling (bouwen, afwijken bestemmingsplan) is missing.
    pub missing_realisation_permit: bool,
    /// One of the landlord's dwellings is or was in beheer genomen.
    pub dwelling_in_beheer: bool,
}

/// Flags for the officer; `refusal_mandatory` does not exist on purpose.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScreeningFlags {
    pub prior_enforcement_8y: bool,
    pub missing_building_permit: bool,
    pub beheer: bool,
}

impl ScreeningFlags {
    pub fn grounds(&self) -> Vec<RefusalGround> {
        let mut g = Vec::new();
        if self.missing_building_permit {
            g.push(RefusalGround::MissingBuildingPermit);
        }
        if self.prior_enforcement_8y {
            g.push(RefusalGround::PriorEnforcement8y);
        }
        if self.beheer {
            g.push(RefusalGround::Beheer);
        }
        g
    }
}

/// Screen the non-Bibob refusal grounds (scenarios 7, 9, 10). Never refuses by itself.
// NOTE: "preceding 8 years" is taken inclusive: an enforcement decision dated exactly
// 8 years before the application date counts. Jurist to confirm.
pub fn screen_refusal_grounds(input: &ScreeningInput) -> ScreeningFlags {
    let window_start = input
        .application_date
        .checked_sub_months(Months::new(PRIOR_ENFORCEMENT_YEARS * MONTHS_PER_YEAR))
        .unwrap_or(NaiveDate::MIN);
    ScreeningFlags {
        prior_enforcement_8y: input
            .prior_enforcement_dates
            .iter()
            .any(|d| *d >= window_start && *d <= input.application_date),
        missing_building_permit: input.missing_realisation_permit,
        beheer: input.dwelling_in_beheer,
    }
}
