//! Settings of the domain event feed: how long events are kept for portals to catch up
//! (`HUURTOEZICHT_EVENT_RETENTION_DAYS`, default 30, 1–3650).

use super::{err, parse_num, ConfigError, Source};

/// Days an event is kept by default: a portal that was down for up to a month can catch up.
pub const DEFAULT_RETENTION_DAYS: u32 = 30;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventSettings {
    /// Events older than this many days are removed by the event retention job.
    pub retention_days: u32,
}

impl EventSettings {
    pub fn from_source(src: &dyn Source) -> Result<Self, ConfigError> {
        const NAME: &str = "HUURTOEZICHT_EVENT_RETENTION_DAYS";
        let days = parse_num(src, NAME, DEFAULT_RETENTION_DAYS)?;
        if !(1..=3650).contains(&days) {
            return Err(err(NAME, "must be between 1 and 3650 (days)"));
        }
        Ok(EventSettings { retention_days: days })
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::config::tests::src;

    #[test]
    fn events_are_kept_thirty_days_by_default_and_at_most_ten_years() {
        assert_eq!(EventSettings::from_source(&src(&[])).unwrap().retention_days, 30);
        let ok = src(&[("HUURTOEZICHT_EVENT_RETENTION_DAYS", "365")]);
        assert_eq!(EventSettings::from_source(&ok).unwrap().retention_days, 365);
        for bad in ["0", "3651", "a month", "-1"] {
            let e =
                EventSettings::from_source(&src(&[("HUURTOEZICHT_EVENT_RETENTION_DAYS", bad)])).unwrap_err();
            assert_eq!(e.name, "HUURTOEZICHT_EVENT_RETENTION_DAYS", "{bad}");
        }
    }
}
