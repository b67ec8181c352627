//! The municipality's fine policy (beleidsregel bestuurlijke boete): offender categories, the
//! recidive rules and the amounts, on top of the cap tables.

use serde::{Deserialize, Serialize};

use super::errors::FineError;
use super::tables::FineTables;
use crate::domain::general_rules::{FineRegime, RuleCode};
use crate::domain::money::Money;

/// Policy category of the offender (municipal beleidsregels, rules.md §4.2 [S12][S36][S11]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OffenderKind {
    /// e.g. Apeldoorn: renting more than one woon-/verblijfsruimte in the course of business.
    Bedrijfsmatig,
    NietBedrijfsmatig,
}
crate::closed_set!(OffenderKind { Bedrijfsmatig => "bedrijfsmatig", NietBedrijfsmatig => "niet_bedrijfsmatig" });

/// What date of a prior fine counts for the recidive window.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecidiveAnchor {
    /// Date of the prior fine decision (default, rules.md §4.3 test default).
    DecisionDate,
    /// Date the prior fine became onherroepelijk (a prior fine not yet final does not count).
    FinalDate,
    /// Date of the prior rapport.
    RapportDate,
}

/// Recidive rules (rules.md §4.3: window 4 years [S11]; anchor and same-provision `UNCONFIRMED`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", default, deny_unknown_fields)]
pub struct RecidivePolicy {
    /// Default 4 years (art. 19 lid 1 sub b / lid 3 sub b Wgv per [S12]; [S11] [SECONDARY]).
    pub window_years: u32,
    pub anchor: RecidiveAnchor,
    /// Require the prior fine to be for the same rule. Default false (any general rule).
    pub same_rule_required: bool,
}

impl Default for RecidivePolicy {
    fn default() -> Self {
        RecidivePolicy { window_years: 4, anchor: RecidiveAnchor::DecisionDate, same_rule_required: false }
    }
}

/// The municipality's fine policy (beleidsregel bestuurlijke boete) plus the cap tables.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", default, deny_unknown_fields)]
pub struct FinePolicy {
    /// Caps for the Wgv general rules (art. 19 lid 1).
    pub general_rule_tables: FineTables,
    /// Caps for licence violations, set in the verhuurverordening (art. 19 lid 2). Empty by
    /// default: statutory maxima are `UNCONFIRMED` (rules.md §4.2), so the municipality must
    /// configure them before licence fines can be validated.
    pub licence_rule_tables: FineTables,
    /// Policy cap as a percentage of the statutory cap for a bedrijfsmatige overtreder.
    pub bedrijfsmatig_cap_percent: u32,
    /// Same for a niet-bedrijfsmatige overtreder.
    // NOTE: no percentage is confirmed in rules.md (beleidsregels differ per municipality);
    // default 100 % = the statutory cap, i.e. no distinction until a beleidsregel sets one.
    pub niet_bedrijfsmatig_cap_percent: u32,
    pub recidive: RecidivePolicy,
}

impl Default for FinePolicy {
    fn default() -> Self {
        FinePolicy {
            general_rule_tables: FineTables::default_general_rules(),
            licence_rule_tables: FineTables::default(),
            bedrijfsmatig_cap_percent: 100,
            niet_bedrijfsmatig_cap_percent: 100,
            recidive: RecidivePolicy::default(),
        }
    }
}

impl FinePolicy {
    pub fn tables_for(&self, rule: RuleCode) -> &FineTables {
        match rule.fine_regime() {
            FineRegime::GeneralRule => &self.general_rule_tables,
            FineRegime::Licence => &self.licence_rule_tables,
        }
    }

    pub fn validate(&self) -> Result<(), FineError> {
        self.general_rule_tables.validate()?;
        self.licence_rule_tables.validate()?;
        for p in [self.bedrijfsmatig_cap_percent, self.niet_bedrijfsmatig_cap_percent] {
            if p == 0 || p > 100 {
                return Err(FineError::InvalidPolicy {
                    reason: format!("cap percentage {p} must be between 1 and 100"),
                });
            }
        }
        if self.recidive.window_years == 0 {
            return Err(FineError::InvalidPolicy {
                reason: "recidive window must be at least 1 year".into(),
            });
        }
        Ok(())
    }

    /// Policy cap = statutory cap × percentage (rounded down to the cent); never above the
    /// statutory cap.
    pub fn policy_cap(&self, statutory_cap: Money, kind: OffenderKind) -> Money {
        let pct = match kind {
            OffenderKind::Bedrijfsmatig => self.bedrijfsmatig_cap_percent,
            OffenderKind::NietBedrijfsmatig => self.niet_bedrijfsmatig_cap_percent,
        }
        .min(100);
        let cents = i128::from(statutory_cap.cents()) * i128::from(pct) / 100;
        Money::from_cents(i64::try_from(cents).unwrap_or(statutory_cap.cents())).unwrap_or(statutory_cap)
    }
}
