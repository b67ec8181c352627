//! Fines (bestuurlijke boete): dated cap tables, municipal fine policy, recidive determination
//! and validation of a proposed fine (rules.md §4.2, §4.3, §4.5).
//!
//! PURE: no I/O. A missing cap table for a date is an error (`FineError::NoTableForDate`), never
//! a silent default.

use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::domain::awb::fine_decision_due;
pub use crate::domain::awb::{FINE_POWER_LAPSE_YEARS, RAPPORT_AND_ZIENSWIJZE_THRESHOLD_CENTS};
use crate::domain::calendar::{add_years_sat, sub_years_sat, ymd};
use crate::domain::general_rules::{FineRegime, RuleCode};
use crate::domain::money::Money;

/// One period of statutory fine caps.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub struct FineTable {
    pub valid_from: NaiveDate,
    /// Inclusive; `None` = open-ended.
    pub valid_until: Option<NaiveDate>,
    pub first_offence_cap: Money,
    pub recidive_cap: Money,
    /// Where the amounts come from (shown to officers and in decisions).
    #[serde(default)]
    pub source: String,
}

impl FineTable {
    pub fn covers(&self, date: NaiveDate) -> bool {
        self.valid_from <= date && self.valid_until.is_none_or(|u| date <= u)
    }

    pub fn cap(&self, recidive: bool) -> Money {
        if recidive {
            self.recidive_cap
        } else {
            self.first_offence_cap
        }
    }
}

/// A list of fine tables a municipality configures (JSON array).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct FineTables(pub Vec<FineTable>);

// Period boundaries of the shipped tables (rules.md §4.2), evaluated at compile time.
const TABLE_2023_FROM: NaiveDate = ymd(2023, 7, 1);
const TABLE_2023_UNTIL: NaiveDate = ymd(2023, 12, 31);
const TABLE_2024_FROM: NaiveDate = ymd(2024, 1, 1);
const TABLE_2024_UNTIL: NaiveDate = ymd(2025, 12, 31);

fn euros(e: i64) -> Money {
    Money::from_euros(e).unwrap_or(Money::ZERO)
}

impl FineTables {
    /// Shipped default for the Wgv general rules (art. 2/2a; rules.md §4.2). First offence =
    /// 4th category, recidive = 5th category of art. 23 Sr (mapping `[INFERRED]`).
    // NOTE: from 2026-01-01 the amounts are UNCONFIRMED (new indexation, art. 23 lid 9 Sr), so no
    // table is shipped for 2026+: cap_for returns NoTableForDate until the municipality adds one.
    pub fn default_general_rules() -> FineTables {
        FineTables(vec![
            FineTable {
                valid_from: TABLE_2023_FROM,
                valid_until: Some(TABLE_2023_UNTIL),
                // €22,500 / €90,000: rules.md §4.2 [S31] (RTL/gemeente.nu Feb 2023, equal to the
                // 2023 4th/5th categories of art. 23 Sr) [SECONDARY]+[INFERRED]
                first_offence_cap: euros(22_500),
                recidive_cap: euros(90_000),
                source: "rules.md §4.2 [S31]; art. 23 Sr 4th/5th category 2023".into(),
            },
            FineTable {
                valid_from: TABLE_2024_FROM,
                valid_until: Some(TABLE_2024_UNTIL),
                // €25,750 / €103,000: rules.md §4.2 [S11] mondaq Apr 2024; [S30] [SECONDARY]
                first_offence_cap: euros(25_750),
                recidive_cap: euros(103_000),
                source: "rules.md §4.2 [S11][S30]; art. 23 Sr 4th/5th category 2024".into(),
            },
        ])
    }

    /// Checks the configuration: ordered periods, no overlaps, recidive cap ≥ first cap.
    pub fn validate(&self) -> Result<(), FineError> {
        for t in &self.0 {
            if t.valid_until.is_some_and(|u| u < t.valid_from) {
                return Err(FineError::InvalidTable {
                    valid_from: t.valid_from,
                    reason: "valid_until is before valid_from".into(),
                });
            }
            if t.recidive_cap < t.first_offence_cap {
                return Err(FineError::InvalidTable {
                    valid_from: t.valid_from,
                    reason: "recidive cap is below the first-offence cap".into(),
                });
            }
        }
        for (i, a) in self.0.iter().enumerate() {
            for b in self.0.iter().skip(i.saturating_add(1)) {
                let a_before_b = a.valid_until.is_some_and(|u| u < b.valid_from);
                let b_before_a = b.valid_until.is_some_and(|u| u < a.valid_from);
                if !a_before_b && !b_before_a {
                    return Err(FineError::OverlappingTables { first: a.valid_from, second: b.valid_from });
                }
            }
        }
        Ok(())
    }

    /// The table in force on `date` (the date of the violation: Awb 5:4 lid 2).
    pub fn table_for(&self, date: NaiveDate) -> Result<&FineTable, FineError> {
        let mut hits = self.0.iter().filter(|t| t.covers(date));
        match (hits.next(), hits.next()) {
            (Some(t), None) => Ok(t),
            (Some(a), Some(b)) => {
                Err(FineError::OverlappingTables { first: a.valid_from, second: b.valid_from })
            }
            (None, _) => Err(FineError::NoTableForDate { date }),
        }
    }

    /// The statutory cap for a violation on `violation_date`.
    // NOTE: lex mitior (Awb 5:46 lid 4 / art. 1 lid 2 Sr) could favour a later, lower cap; caps
    // only rise with indexation, so the violation-date cap is used.
    pub fn cap_for(&self, violation_date: NaiveDate, recidive: bool) -> Result<Money, FineError> {
        self.table_for(violation_date).map(|t| t.cap(recidive))
    }
}

/// Policy category of the offender (municipal beleidsregels, rules.md §4.2 [S12][S36][S11]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OffenderKind {
    /// e.g. Apeldoorn: renting more than one woon-/verblijfsruimte in the course of business.
    Bedrijfsmatig,
    NietBedrijfsmatig,
}

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
#[serde(rename_all = "snake_case", default)]
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
#[serde(rename_all = "snake_case", default)]
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

/// A fine already imposed on the same landlord.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub struct PriorFine {
    /// Identity of the fined violation (for Awb 5:43).
    pub violation_id: String,
    pub rule: RuleCode,
    pub violation_date: NaiveDate,
    pub rapport_date: Option<NaiveDate>,
    pub decision_date: NaiveDate,
    /// Onherroepelijk since.
    pub final_date: Option<NaiveDate>,
    /// Annulled on objection/appeal: does not count.
    #[serde(default)]
    pub annulled: bool,
}

impl PriorFine {
    pub fn anchor(&self, anchor: RecidiveAnchor) -> Option<NaiveDate> {
        match anchor {
            RecidiveAnchor::DecisionDate => Some(self.decision_date),
            RecidiveAnchor::FinalDate => self.final_date,
            RecidiveAnchor::RapportDate => self.rapport_date,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub struct RecidiveFinding {
    pub is_recidive: bool,
    /// The most recent qualifying prior fine.
    pub qualifying_violation_id: Option<String>,
    pub qualifying_anchor_date: Option<NaiveDate>,
    /// First day of the window (new violation date − N years).
    pub window_start: NaiveDate,
    pub reason: String,
}

/// Prior fines that count for recidive against a new violation of `rule` established on
/// `established_on`: not annulled, same fine regime (general rules: art. 19 lid 1 b; licence
/// rules: lid 3 b), same rule if required, anchor date in `[established_on − N years,
/// established_on)`.
// NOTE: the window is inclusive of its first day and the prior fine must be strictly before the
// new violation's establishment date (a fine decided the same day does not yet count).
pub fn qualifying_prior_fines<'a>(
    rule: RuleCode,
    established_on: NaiveDate,
    prior: &'a [PriorFine],
    policy: &RecidivePolicy,
) -> Vec<(&'a PriorFine, NaiveDate)> {
    let window_start = sub_years_sat(established_on, policy.window_years);
    prior
        .iter()
        .filter(|p| !p.annulled)
        .filter(|p| p.rule.fine_regime() == rule.fine_regime())
        .filter(|p| !policy.same_rule_required || p.rule == rule)
        .filter_map(|p| p.anchor(policy.anchor).map(|a| (p, a)))
        .filter(|(_, a)| window_start <= *a && *a < established_on)
        .collect()
}

/// Recidive determination (rules.md §4.3; scenario 45).
pub fn determine_recidive(
    rule: RuleCode,
    established_on: NaiveDate,
    prior: &[PriorFine],
    policy: &RecidivePolicy,
) -> RecidiveFinding {
    let window_start = sub_years_sat(established_on, policy.window_years);
    let best =
        qualifying_prior_fines(rule, established_on, prior, policy).into_iter().max_by_key(|(_, a)| *a);
    match best {
        Some((p, a)) => RecidiveFinding {
            is_recidive: true,
            qualifying_violation_id: Some(p.violation_id.clone()),
            qualifying_anchor_date: Some(a),
            window_start,
            reason: format!(
                "prior fine for {} ({:?} {a}) within {} years before {established_on}",
                p.rule, policy.anchor, policy.window_years
            ),
        },
        None => RecidiveFinding {
            is_recidive: false,
            qualifying_violation_id: None,
            qualifying_anchor_date: None,
            window_start,
            reason: format!(
                "no prior fine counting for recidive between {window_start} and {established_on}"
            ),
        },
    }
}

/// A fine an officer proposes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub struct ProposedFine {
    pub violation_id: String,
    pub rule: RuleCode,
    /// Date of the violation (established); decides the cap table and the 5:45 lapse.
    // NOTE: for a continuing violation the 5:45 term runs from the day it ended; the caller
    // passes that date when known.
    pub violation_date: NaiveDate,
    pub amount: Money,
    pub offender_kind: OffenderKind,
    pub rapport_date: Option<NaiveDate>,
    pub zienswijze_invited_on: Option<NaiveDate>,
    pub decision_date: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub struct FineAssessment {
    pub statutory_cap: Money,
    pub policy_cap: Money,
    pub recidive: RecidiveFinding,
    pub table_valid_from: NaiveDate,
    pub table_source: String,
    /// 5:45: power to fine lapses on this date.
    pub power_lapses_on: NaiveDate,
    /// 5:51: rapport + 13 weeks.
    pub decision_due: Option<NaiveDate>,
    pub decided_late: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, thiserror::Error)]
#[serde(rename_all = "snake_case", tag = "error")]
pub enum FineError {
    #[error("no fine table is configured for {date}; add one for that period")]
    NoTableForDate { date: NaiveDate },
    #[error("fine tables starting {first} and {second} overlap")]
    OverlappingTables { first: NaiveDate, second: NaiveDate },
    #[error("fine table starting {valid_from} is invalid: {reason}")]
    InvalidTable { valid_from: NaiveDate, reason: String },
    #[error("invalid fine policy: {reason}")]
    InvalidPolicy { reason: String },
    #[error("{proposed} exceeds the statutory maximum {cap} ({})", if *recidive { "recidive" } else { "first offence" })]
    AboveStatutoryCap { proposed: Money, cap: Money, recidive: bool },
    #[error("{proposed} exceeds the policy maximum {cap} for this offender")]
    AbovePolicyCap { proposed: Money, cap: Money },
    #[error(
        "a fine of {amount} requires a rapport and a zienswijze opportunity (Awb 5:53; above {threshold})"
    )]
    RapportAndZienswijzeRequired { amount: Money, threshold: Money },
    #[error("violation {violation_id} was already fined (Awb 5:43)")]
    AlreadyFined { violation_id: String },
    #[error("the power to fine the violation of {violation_date} lapsed on {lapsed_on} (Awb 5:45)")]
    PowerLapsed { violation_date: NaiveDate, lapsed_on: NaiveDate },
    #[error("the fine amount must be above zero")]
    ZeroAmount,
    #[error("the decision date is before the violation date")]
    DecisionBeforeViolation,
}

/// All reasons a proposed fine is rejected.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub struct FineRejected {
    pub errors: Vec<FineError>,
}

impl fmt::Display for FineRejected {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let msgs: Vec<String> = self.errors.iter().map(|e| e.to_string()).collect();
        write!(f, "fine rejected: {}", msgs.join("; "))
    }
}

impl std::error::Error for FineRejected {}

/// Validates a proposed fine against the caps, recidive, 5:53, 5:43 and 5:45 (scenarios 43, 45,
/// 48, 49). Returns every problem found, or the assessment.
pub fn validate_fine(
    proposal: &ProposedFine,
    prior: &[PriorFine],
    policy: &FinePolicy,
) -> Result<FineAssessment, FineRejected> {
    let mut errors = Vec::new();
    if let Err(e) = policy.validate() {
        return Err(FineRejected { errors: vec![e] });
    }
    if proposal.amount.cents() <= 0 {
        errors.push(FineError::ZeroAmount);
    }
    if proposal.decision_date < proposal.violation_date {
        errors.push(FineError::DecisionBeforeViolation);
    }
    // 5:53 (scenario 48).
    if proposal.amount.cents() > RAPPORT_AND_ZIENSWIJZE_THRESHOLD_CENTS
        && (proposal.rapport_date.is_none() || proposal.zienswijze_invited_on.is_none())
    {
        errors.push(FineError::RapportAndZienswijzeRequired {
            amount: proposal.amount,
            threshold: Money::from_cents(RAPPORT_AND_ZIENSWIJZE_THRESHOLD_CENTS).unwrap_or(Money::ZERO),
        });
    }
    // 5:43 (scenario 49).
    // NOTE: an annulled prior fine does not block a new one; whether that is right after an
    // annulment on the merits is for a jurist.
    if prior.iter().any(|p| !p.annulled && p.violation_id == proposal.violation_id) {
        errors.push(FineError::AlreadyFined { violation_id: proposal.violation_id.clone() });
    }
    // 5:45.
    let power_lapses_on = add_years_sat(proposal.violation_date, FINE_POWER_LAPSE_YEARS);
    if proposal.decision_date >= power_lapses_on {
        errors.push(FineError::PowerLapsed {
            violation_date: proposal.violation_date,
            lapsed_on: power_lapses_on,
        });
    }
    // Caps (scenarios 43, 45).
    let recidive = determine_recidive(
        proposal.rule,
        proposal.violation_date,
        // The fine for this very violation never makes it recidive.
        &prior.iter().filter(|p| p.violation_id != proposal.violation_id).cloned().collect::<Vec<_>>(),
        &policy.recidive,
    );
    let mut caps = None;
    match policy.tables_for(proposal.rule).table_for(proposal.violation_date) {
        Err(e) => errors.push(e),
        Ok(table) => {
            let statutory_cap = table.cap(recidive.is_recidive);
            let policy_cap = policy.policy_cap(statutory_cap, proposal.offender_kind);
            if proposal.amount > statutory_cap {
                errors.push(FineError::AboveStatutoryCap {
                    proposed: proposal.amount,
                    cap: statutory_cap,
                    recidive: recidive.is_recidive,
                });
            } else if proposal.amount > policy_cap {
                errors.push(FineError::AbovePolicyCap { proposed: proposal.amount, cap: policy_cap });
            }
            caps = Some((statutory_cap, policy_cap, table.valid_from, table.source.clone()));
        }
    }
    match caps {
        Some((statutory_cap, policy_cap, table_valid_from, table_source)) if errors.is_empty() => {
            let decision_due = proposal.rapport_date.map(fine_decision_due);
            Ok(FineAssessment {
                statutory_cap,
                policy_cap,
                recidive,
                table_valid_from,
                table_source,
                power_lapses_on,
                decision_due,
                decided_late: decision_due.is_some_and(|due| proposal.decision_date > due),
            })
        }
        _ => Err(FineRejected { errors }),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }
    fn eur(e: i64) -> Money {
        Money::from_euros(e).unwrap()
    }

    fn proposal(amount: i64, violation: &str) -> ProposedFine {
        ProposedFine {
            violation_id: "v-new".into(),
            rule: RuleCode::Gr04,
            violation_date: d(violation),
            amount: eur(amount),
            offender_kind: OffenderKind::Bedrijfsmatig,
            rapport_date: Some(d(violation)),
            zienswijze_invited_on: Some(d(violation)),
            decision_date: d(violation),
        }
    }

    fn prior(id: &str, rule: RuleCode, decided: &str) -> PriorFine {
        PriorFine {
            violation_id: id.into(),
            rule,
            violation_date: d(decided),
            rapport_date: Some(d(decided)),
            decision_date: d(decided),
            final_date: Some(d(decided)),
            annulled: false,
        }
    }

    #[test]
    fn default_tables_are_valid_and_give_the_rules_md_amounts() {
        let t = FineTables::default_general_rules();
        assert_eq!(t.validate(), Ok(()));
        assert_eq!(t.cap_for(d("2023-07-01"), false), Ok(eur(22_500)));
        assert_eq!(t.cap_for(d("2023-12-31"), true), Ok(eur(90_000)));
        assert_eq!(t.cap_for(d("2024-01-01"), false), Ok(eur(25_750)));
        assert_eq!(t.cap_for(d("2025-12-31"), true), Ok(eur(103_000)));
    }

    #[test]
    fn missing_table_is_a_clear_error_never_a_default() {
        let t = FineTables::default_general_rules();
        assert_eq!(
            t.cap_for(d("2026-01-01"), false),
            Err(FineError::NoTableForDate { date: d("2026-01-01") })
        );
        assert_eq!(
            t.cap_for(d("2023-06-30"), false),
            Err(FineError::NoTableForDate { date: d("2023-06-30") })
        );
        // Licence fines need a verordening table.
        let mut p = proposal(1000, "2025-02-10");
        p.rule = RuleCode::NoLicence;
        let err = validate_fine(&p, &[], &FinePolicy::default()).unwrap_err();
        assert_eq!(err.errors, vec![FineError::NoTableForDate { date: d("2025-02-10") }]);
    }

    #[test]
    fn fine_tables_round_trip_json_and_reject_overlaps() {
        let t = FineTables::default_general_rules();
        let json = serde_json::to_string(&t).unwrap();
        assert!(json.contains("\"first_offence_cap\":2575000"));
        assert_eq!(serde_json::from_str::<FineTables>(&json).unwrap(), t);
        let mut bad = t.clone();
        bad.0.push(FineTable {
            valid_from: d("2025-06-01"),
            valid_until: None,
            first_offence_cap: eur(1),
            recidive_cap: eur(2),
            source: String::new(),
        });
        assert!(matches!(bad.validate(), Err(FineError::OverlappingTables { .. })));
        assert!(matches!(bad.table_for(d("2025-07-01")), Err(FineError::OverlappingTables { .. })));
        let inverted = FineTables(vec![FineTable {
            valid_from: d("2026-01-01"),
            valid_until: None,
            first_offence_cap: eur(10),
            recidive_cap: eur(5),
            source: String::new(),
        }]);
        assert!(matches!(inverted.validate(), Err(FineError::InvalidTable { .. })));
    }

    #[test]
    fn scenario_43_fine_above_first_offence_cap_is_rejected() {
        let err = validate_fine(&proposal(30_000, "2025-02-10"), &[], &FinePolicy::default()).unwrap_err();
        assert_eq!(
            err.errors,
            vec![FineError::AboveStatutoryCap { proposed: eur(30_000), cap: eur(25_750), recidive: false }]
        );
        assert!(err.to_string().contains("€25750.00"));
    }

    #[test]
    fn scenario_43_edge_exactly_the_cap_is_allowed() {
        let a = validate_fine(&proposal(25_750, "2025-02-10"), &[], &FinePolicy::default()).unwrap();
        assert_eq!(a.statutory_cap, eur(25_750));
        assert!(!a.recidive.is_recidive);
        assert_eq!(a.power_lapses_on, d("2030-02-10"));
        assert_eq!(a.decision_due, Some(d("2025-05-12")));
    }

    #[test]
    fn scenario_45_prior_fine_within_four_years_raises_cap_to_103000() {
        let prior = [prior("v-old", RuleCode::Gr01, "2024-02-01")];
        let f = determine_recidive(RuleCode::Gr04, d("2025-10-01"), &prior, &RecidivePolicy::default());
        assert!(f.is_recidive);
        assert_eq!(f.qualifying_violation_id.as_deref(), Some("v-old"));
        let a = validate_fine(&proposal(103_000, "2025-10-01"), &prior, &FinePolicy::default()).unwrap();
        assert_eq!(a.statutory_cap, eur(103_000));
        assert!(validate_fine(&proposal(103_001, "2025-10-01"), &prior, &FinePolicy::default()).is_err());
    }

    #[test]
    fn scenario_45_edges_window_anchor_same_rule_and_annulled() {
        let pol = RecidivePolicy::default();
        // Window boundary: exactly 4 years before counts, a day earlier does not.
        assert!(
            determine_recidive(
                RuleCode::Gr04,
                d("2025-10-01"),
                &[prior("a", RuleCode::Gr04, "2021-10-01")],
                &pol
            )
            .is_recidive
        );
        assert!(
            !determine_recidive(
                RuleCode::Gr04,
                d("2025-10-01"),
                &[prior("a", RuleCode::Gr04, "2021-09-30")],
                &pol
            )
            .is_recidive
        );
        // Same-day or later prior fine does not count.
        assert!(
            !determine_recidive(
                RuleCode::Gr04,
                d("2025-10-01"),
                &[prior("a", RuleCode::Gr04, "2025-10-01")],
                &pol
            )
            .is_recidive
        );
        // Same rule required.
        let same = RecidivePolicy { same_rule_required: true, ..pol.clone() };
        assert!(
            !determine_recidive(
                RuleCode::Gr04,
                d("2025-10-01"),
                &[prior("a", RuleCode::Gr01, "2024-02-01")],
                &same
            )
            .is_recidive
        );
        // Final-date anchor: not final yet → does not count.
        let mut p = prior("a", RuleCode::Gr04, "2024-02-01");
        p.final_date = None;
        let fin = RecidivePolicy { anchor: RecidiveAnchor::FinalDate, ..pol.clone() };
        assert!(
            !determine_recidive(RuleCode::Gr04, d("2025-10-01"), std::slice::from_ref(&p), &fin).is_recidive
        );
        assert!(
            determine_recidive(RuleCode::Gr04, d("2025-10-01"), std::slice::from_ref(&p), &pol).is_recidive
        );
        // Annulled fines and licence fines do not count for a general-rule recidive.
        p.annulled = true;
        assert!(!determine_recidive(RuleCode::Gr04, d("2025-10-01"), &[p], &pol).is_recidive);
        assert!(
            !determine_recidive(
                RuleCode::Gr04,
                d("2025-10-01"),
                &[prior("a", RuleCode::NoLicence, "2024-02-01")],
                &pol
            )
            .is_recidive
        );
        // Configurable window length.
        let two = RecidivePolicy { window_years: 2, ..pol };
        assert!(
            !determine_recidive(
                RuleCode::Gr04,
                d("2025-10-01"),
                &[prior("a", RuleCode::Gr04, "2023-02-01")],
                &two
            )
            .is_recidive
        );
    }

    #[test]
    fn scenario_48_fine_above_340_without_rapport_or_zienswijze_is_blocked() {
        let mut p = proposal(5_000, "2025-02-10");
        p.rapport_date = None;
        p.zienswijze_invited_on = None;
        let err = validate_fine(&p, &[], &FinePolicy::default()).unwrap_err();
        assert_eq!(
            err.errors,
            vec![FineError::RapportAndZienswijzeRequired { amount: eur(5_000), threshold: eur(340) }]
        );
        // Rapport without zienswijze is still blocked; €340 itself is not "above".
        p.rapport_date = Some(d("2025-02-10"));
        assert!(validate_fine(&p, &[], &FinePolicy::default()).is_err());
        p.amount = eur(340);
        assert!(validate_fine(&p, &[], &FinePolicy::default()).is_ok());
    }

    #[test]
    fn scenario_49_second_fine_for_the_same_violation_is_blocked() {
        let prior = [prior("v-new", RuleCode::Gr04, "2025-03-01")];
        let mut p = proposal(5_000, "2025-02-10");
        p.decision_date = d("2025-04-01");
        let err = validate_fine(&p, &prior, &FinePolicy::default()).unwrap_err();
        assert_eq!(err.errors, vec![FineError::AlreadyFined { violation_id: "v-new".into() }]);
    }

    #[test]
    fn power_to_fine_lapses_five_years_after_the_violation() {
        let mut p = proposal(5_000, "2024-03-01");
        p.decision_date = d("2029-02-28");
        assert!(validate_fine(&p, &[], &FinePolicy::default()).is_ok());
        p.decision_date = d("2029-03-01");
        let err = validate_fine(&p, &[], &FinePolicy::default()).unwrap_err();
        assert_eq!(
            err.errors,
            vec![FineError::PowerLapsed { violation_date: d("2024-03-01"), lapsed_on: d("2029-03-01") }]
        );
    }

    #[test]
    fn niet_bedrijfsmatig_policy_percentage_lowers_the_cap() {
        let pol = FinePolicy { niet_bedrijfsmatig_cap_percent: 50, ..FinePolicy::default() };
        let mut p = proposal(13_000, "2025-02-10");
        p.offender_kind = OffenderKind::NietBedrijfsmatig;
        let err = validate_fine(&p, &[], &pol).unwrap_err();
        assert_eq!(err.errors, vec![FineError::AbovePolicyCap { proposed: eur(13_000), cap: eur(12_875) }]);
        p.offender_kind = OffenderKind::Bedrijfsmatig;
        assert!(validate_fine(&p, &[], &pol).is_ok());
        let bad = FinePolicy { bedrijfsmatig_cap_percent: 150, ..FinePolicy::default() };
        assert!(matches!(
            validate_fine(&p, &[], &bad).unwrap_err().errors[..],
            [FineError::InvalidPolicy { .. }]
        ));
    }

    #[test]
    fn multiple_problems_are_all_reported_and_zero_is_refused() {
        let mut p = proposal(0, "2025-02-10");
        p.decision_date = d("2025-01-01");
        let err = validate_fine(&p, &[], &FinePolicy::default()).unwrap_err();
        assert!(err.errors.contains(&FineError::ZeroAmount));
        assert!(err.errors.contains(&FineError::DecisionBeforeViolation));
    }

    #[test]
    fn fine_policy_deserialises_from_partial_json_with_defaults() {
        let pol: FinePolicy = serde_json::from_str(r#"{"recidive":{"window_years":5}}"#).unwrap();
        assert_eq!(pol.recidive.window_years, 5);
        assert_eq!(pol.recidive.anchor, RecidiveAnchor::DecisionDate);
        assert_eq!(pol.general_rule_tables, FineTables::default_general_rules());
    }
}
