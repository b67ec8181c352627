//! Dates from which general rules apply to a lease, where rules.md marks the transition as
//! secondary or unconfirmed (rules.md §0: never hard-code what is not law-read). Defaults are the
//! readings of rules.md §1 and §1.1.

use chrono::NaiveDate;

use super::{err, ConfigError, Source};
use crate::domain::general_rules::GeneralRuleDates;

/// `HUURTOEZICHT_GR05_WRITTEN_LEASE_FROM` (default 2023-07-01): GR-05 covers oral leases
/// concluded from this day (earlier ones `UNCONFIRMED`, rules.md §1 GR-05).
pub const GR05_FROM: &str = "HUURTOEZICHT_GR05_WRITTEN_LEASE_FROM";
/// `HUURTOEZICHT_GR06_EXISTING_LEASES_DUE` (default 2024-07-01): the day by which leases
/// concluded before the Wgv must have had the written information (rules.md §1 GR-06).
pub const GR06_DUE: &str = "HUURTOEZICHT_GR06_EXISTING_LEASES_DUE";
/// `HUURTOEZICHT_AM01_SEPARATE_CONTRACTS_FROM` (default 2023-07-01): AM-01 covers leases
/// concluded from this day (rules.md §1.1 AM-01 "after 1 July 2023").
pub const AM01_FROM: &str = "HUURTOEZICHT_AM01_SEPARATE_CONTRACTS_FROM";

fn date(src: &dyn Source, name: &'static str, default: NaiveDate) -> Result<NaiveDate, ConfigError> {
    match src.get(name) {
        None => Ok(default),
        Some(v) => NaiveDate::parse_from_str(v.trim(), "%Y-%m-%d")
            .map_err(|_| err(name, format!("expected a date YYYY-MM-DD, got {v:?}"))),
    }
}

/// The rule dates, defaults from [`GeneralRuleDates::default`].
pub fn from_source(src: &dyn Source) -> Result<GeneralRuleDates, ConfigError> {
    let d = GeneralRuleDates::default();
    Ok(GeneralRuleDates {
        written_lease_from: date(src, GR05_FROM, d.written_lease_from)?,
        information_existing_leases_due: date(src, GR06_DUE, d.information_existing_leases_due)?,
        separate_contracts_from: date(src, AM01_FROM, d.separate_contracts_from)?,
        ..d
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::config::tests::src;

    #[test]
    fn defaults_are_the_readings_of_rules_md_and_a_bad_date_names_the_variable() {
        assert_eq!(from_source(&src(&[])).unwrap(), GeneralRuleDates::default());
        let d = from_source(&src(&[(GR06_DUE, "2024-08-01"), (GR05_FROM, "2000-01-01")])).unwrap();
        assert_eq!(d.information_existing_leases_due, NaiveDate::from_ymd_opt(2024, 8, 1).unwrap());
        assert_eq!(d.written_lease_from, NaiveDate::from_ymd_opt(2000, 1, 1).unwrap());
        let e = from_source(&src(&[(AM01_FROM, "1-7-2023")])).unwrap_err();
        assert_eq!(e.name, AM01_FROM);
    }
}
