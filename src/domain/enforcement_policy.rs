//! The municipality's enforcement policy as one configuration document (JSON file named by
//! `HUURTOEZICHT_ENFORCEMENT_POLICY_FILE`; every field optional, defaults shipped here):
//! fine tables and fine policy, the ladder, the fine procedure (zienswijze term, publication),
//! the warning policy, and the dashboard horizon.
//!
//! PURE: parsing and validation only; the file is read in `config.rs`.

use serde::{Deserialize, Serialize};

use crate::domain::fines::{FineError, FinePolicy};
use crate::domain::ladder::LadderPolicy;
use crate::domain::sanction_procedure::{FineProcedureConfig, WarningPolicy};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct EnforcementPolicy {
    /// Dated fine tables (general rules; licence rules), bedrijfsmatig percentages and the
    /// recidive rules (anchor, window, same rule). The ladder uses the same recidive rules.
    pub fines: FinePolicy,
    /// Ladder: first step, aggravations that skip the warning, takeover policy, disabled steps.
    /// Its `recidive` must not be set here (it is taken from `fines.recidive`).
    pub ladder: LadderPolicy,
    /// Zienswijze term, publication timing and duration.
    pub fine_procedure: FineProcedureConfig,
    /// Warning remedy term and mandatory consequence text.
    pub warning: WarningPolicy,
    /// Default horizon of the dashboard's "deadlines within N days".
    pub dashboard_days: u32,
    /// How far back prior enforcement counts as a licence refusal ground (rules.md §2.5,
    /// scenario 7: 8 years) `[SECONDARY]`.
    pub prior_enforcement_years: u32,
}

impl Default for EnforcementPolicy {
    fn default() -> Self {
        EnforcementPolicy {
            fines: FinePolicy::default(),
            ladder: LadderPolicy::default(),
            fine_procedure: FineProcedureConfig::default(),
            warning: WarningPolicy::default(),
            dashboard_days: 14,
            prior_enforcement_years: 8,
        }
    }
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PolicyError {
    #[error("{0}")]
    Parse(String),
    #[error(transparent)]
    Fine(#[from] FineError),
    #[error("{0}")]
    Invalid(String),
}

impl EnforcementPolicy {
    /// Parses and validates a policy document; the ladder takes the recidive rules of `fines`.
    pub fn from_json(raw: &str) -> Result<EnforcementPolicy, PolicyError> {
        let mut p: EnforcementPolicy =
            crate::domain::config_json::from_json(raw).map_err(PolicyError::Parse)?;
        if p.ladder.recidive != crate::domain::fines::RecidivePolicy::default()
            && p.ladder.recidive != p.fines.recidive
        {
            return Err(PolicyError::Invalid(
                "at ladder.recidive: set the recidive rules once, under fines.recidive (ladder.recidive is derived)".into(),
            ));
        }
        p.ladder.recidive = p.fines.recidive.clone();
        p.validate()?;
        Ok(p)
    }

    pub fn validate(&self) -> Result<(), PolicyError> {
        self.fines.validate()?;
        if self.warning.remedy_term_days == 0 {
            return Err(PolicyError::Invalid("at warning.remedy_term_days: must be at least 1".into()));
        }
        // Every warning must carry the consequence text with these words: a default text that
        // lacks one would make every warning fail, so refuse it at start-up.
        let text = self.warning.consequence_text.to_lowercase();
        if let Some(term) =
            self.warning.required_consequence_terms.iter().find(|t| !text.contains(&t.to_lowercase()))
        {
            return Err(PolicyError::Invalid(format!(
                "at warning.consequence_text: lacks the required term {term:?} (warning.required_consequence_terms)"
            )));
        }
        if self.fine_procedure.zienswijze_term_days == 0 {
            return Err(PolicyError::Invalid(
                "at fine_procedure.zienswijze_term_days: must be at least 1".into(),
            ));
        }
        if self.dashboard_days == 0 || self.dashboard_days > 366 {
            return Err(PolicyError::Invalid("at dashboard_days: must be between 1 and 366".into()));
        }
        Ok(())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_document_gives_the_shipped_defaults() {
        assert_eq!(EnforcementPolicy::from_json("{}").unwrap(), EnforcementPolicy::default());
    }

    #[test]
    fn recidive_rules_are_set_once_and_shared_with_the_ladder() {
        let p =
            EnforcementPolicy::from_json(r#"{"fines": {"recidive": {"same_rule_required": true}}}"#).unwrap();
        assert!(p.ladder.recidive.same_rule_required);
        let e = EnforcementPolicy::from_json(r#"{"ladder": {"recidive": {"window_years": 3}}}"#);
        assert!(matches!(e, Err(PolicyError::Invalid(_))));
    }

    #[test]
    fn unknown_fields_and_bad_percentages_are_refused() {
        assert!(EnforcementPolicy::from_json(r#"{"fine": {}}"#).is_err());
        assert!(EnforcementPolicy::from_json(r#"{"fines": {"bedrijfsmatig_cap_percent": 0}}"#).is_err());
        let e = EnforcementPolicy::from_json(r#"{"warning": {"consequence_text": "Let op."}}"#).unwrap_err();
        assert!(
            e.to_string().starts_with("at warning.consequence_text: lacks the required term \"boete\""),
            "{e}"
        );
    }
}
