//! Settings of two-way referrals: after how many weeks without feedback from the partner a
//! referral is overdue (`HUURTOEZICHT_REFERRAL_FEEDBACK_WEEKS`, default 6, 1–52).

use super::{err, parse_num, ConfigError, Source};
use crate::domain::referrals::{DEFAULT_FEEDBACK_WEEKS, FEEDBACK_WEEKS_RANGE};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReferralSettings {
    /// Weeks after `referred_on` without feedback after which a referral is overdue.
    pub feedback_weeks: u32,
}

impl ReferralSettings {
    pub fn from_source(src: &dyn Source) -> Result<Self, ConfigError> {
        const NAME: &str = "HUURTOEZICHT_REFERRAL_FEEDBACK_WEEKS";
        let weeks = parse_num(src, NAME, DEFAULT_FEEDBACK_WEEKS)?;
        if !FEEDBACK_WEEKS_RANGE.contains(&weeks) {
            return Err(err(NAME, "must be between 1 and 52 (weeks)"));
        }
        Ok(ReferralSettings { feedback_weeks: weeks })
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::config::tests::src;

    #[test]
    fn feedback_weeks_default_to_six_and_stay_within_a_year() {
        assert_eq!(ReferralSettings::from_source(&src(&[])).unwrap().feedback_weeks, 6);
        let ok = src(&[("HUURTOEZICHT_REFERRAL_FEEDBACK_WEEKS", "52")]);
        assert_eq!(ReferralSettings::from_source(&ok).unwrap().feedback_weeks, 52);
        for bad in ["0", "53", "six", "-1"] {
            let e = ReferralSettings::from_source(&src(&[("HUURTOEZICHT_REFERRAL_FEEDBACK_WEEKS", bad)]))
                .unwrap_err();
            assert_eq!(e.name, "HUURTOEZICHT_REFERRAL_FEEDBACK_WEEKS", "{bad}");
        }
    }
}
