//! Pure checks of the general rules whose facts the scenarios define: the deposit cap and its
//! return term (BW 7:261b), separate contracts for labour migrants, and the language of the
//! information letter.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::catalogue::RuleCode;
use crate::domain::calendar::{add_days_sat, ymd, AtwRoll};
use crate::domain::money::Money;

/// Outcome of a pure rule check.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "outcome")]
pub enum CheckOutcome {
    Compliant,
    Violation { rule: RuleCode, reason: String },
    NotApplicable { rule: RuleCode, reason: String },
}

impl CheckOutcome {
    pub fn is_violation(&self) -> bool {
        matches!(self, CheckOutcome::Violation { .. })
    }
}

/// Dates from which rules apply. Statutory dates, but their application to existing leases is
/// only `[SECONDARY]`, so they are configurable (rules.md §0: never hard-code what is not
/// law-read).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub struct GeneralRuleDates {
    /// GR-04 deposit rules apply to leases concluded from this date. Default 2023-07-01: BW 7:261b
    /// in force via Stb. 2023, 103 and KB Stb. 2023, 227 [S26]; transition per [S39].
    pub deposit_rules_from: NaiveDate,
    /// AM-01 applies to leases concluded on or after this date. Default 2023-07-01 (Wgv in force,
    /// rules.md §1.1 AM-01 [S10]).
    // NOTE: the source says "after 1 July 2023"; the Wgv entered into force on 1 July 2023, so a
    // lease concluded on that day is read as covered (on-or-after). Configurable if a jurist
    // reads it as strictly after.
    pub separate_contracts_from: NaiveDate,
    /// GR-05 (lease in writing) applies to leases concluded on or after this date. Default
    /// 2023-07-01 (Wgv in force). Whether the rule also covers leases concluded before is
    /// `UNCONFIRMED` (rules.md §1 GR-05: [S33] names two of its seven duties as "new contracts
    /// only", the other is probably this one), so earlier oral leases are not applicable.
    pub written_lease_from: NaiveDate,
    /// GR-06 (written information) is due immediately for leases concluded on or after this
    /// date. Default 2023-07-01 (Wgv art. 2 lid 2 sub e in force; rules.md §1 GR-06).
    pub information_rules_from: NaiveDate,
    /// GR-06 for leases concluded before `information_rules_from`: the information is due by this
    /// date, and the duty applies to them from it. Default 2024-07-01 (rules.md §1 GR-06
    /// "contracts concluded before: by 1 July 2024", transition date [S33 huurgeschil]
    /// `[SECONDARY]`).
    pub information_existing_leases_due: NaiveDate,
}

/// Wgv and BW 7:261b in force 2023-07-01 (KB Stb. 2023, 227; rules.md §0 key identifiers).
pub const WGV_IN_FORCE: NaiveDate = ymd(2023, 7, 1);

/// GR-06 written information for leases concluded before the Wgv: "by 1 July 2024" (rules.md §1
/// GR-06; transition date [S33 huurgeschil] `[SECONDARY]`).
pub const INFORMATION_EXISTING_LEASES_DUE: NaiveDate = ymd(2024, 7, 1);

impl Default for GeneralRuleDates {
    fn default() -> Self {
        GeneralRuleDates {
            deposit_rules_from: WGV_IN_FORCE,
            separate_contracts_from: WGV_IN_FORCE,
            written_lease_from: WGV_IN_FORCE,
            information_rules_from: WGV_IN_FORCE,
            information_existing_leases_due: INFORMATION_EXISTING_LEASES_DUE,
        }
    }
}

/// Deposit cap multiplier: "ten hoogste tweemaal de kale huurprijs" (BW 7:261b lid 1; rules.md §1
/// GR-04 `[LAW-READ]`). Statutory, not municipal.
pub const DEPOSIT_MAX_MONTHS_KALE_HUUR: i64 = 2;
/// Return within 14 days after the end of the lease (BW 7:261b lid 2; rules.md GR-04).
pub const DEPOSIT_RETURN_DAYS: u64 = 14;
/// Return within 30 days when deducting for damage (7:218) or unpaid rent/service costs/EPV,
/// with a written specification (BW 7:261b lid 3; rules.md GR-04).
pub const DEPOSIT_RETURN_DAYS_WITH_DEDUCTION: u64 = 30;

/// The maximum deposit for a kale huur per month (2 × kale huur; BW 7:261b lid 1).
pub fn max_deposit(kale_huur_per_month: Money) -> Money {
    kale_huur_per_month.saturating_mul(DEPOSIT_MAX_MONTHS_KALE_HUUR)
}

/// GR-04 deposit cap (scenario 36). `lease_signed` decides applicability.
pub fn check_deposit_cap(
    lease_signed: NaiveDate,
    kale_huur_per_month: Money,
    deposit: Money,
    dates: &GeneralRuleDates,
) -> CheckOutcome {
    if lease_signed < dates.deposit_rules_from {
        return CheckOutcome::NotApplicable {
            rule: RuleCode::Gr04,
            reason: format!(
                "lease concluded {lease_signed}, before {} (BW 7:261b applies to leases from then)",
                dates.deposit_rules_from
            ),
        };
    }
    let max = max_deposit(kale_huur_per_month);
    if deposit > max {
        CheckOutcome::Violation {
            rule: RuleCode::Gr04,
            reason: format!(
                "deposit {deposit} exceeds the maximum of 2 x kale huur {kale_huur_per_month} = \
                 {max} (BW 7:261b lid 1)"
            ),
        }
    } else {
        CheckOutcome::Compliant
    }
}

/// Facts about returning a deposit after the lease ended.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub struct DepositReturnFacts {
    pub lease_signed: NaiveDate,
    pub lease_ended: NaiveDate,
    /// Date the (remaining) deposit was paid back; `None` = not yet.
    pub returned_on: Option<NaiveDate>,
    /// Amounts were withheld for damage or unpaid rent/service costs/EPV.
    pub deductions_made: bool,
    /// A written specification of all deducted costs was given.
    pub written_specification_given: bool,
}

/// Last day to return the deposit: end of lease + 14 days, or + 30 days when deducting
/// (BW 7:261b lid 2/3).
// NOTE: BW terms are statutory terms ≤ 12 weeks, so Algemene termijnenwet art. 1 roll-forward
// applies; pass the calendar's roll (calendar.rs) as `atw`, or `NoAtwRoll` for raw dates.
pub fn deposit_return_due(lease_ended: NaiveDate, deductions_made: bool, atw: &dyn AtwRoll) -> NaiveDate {
    let days = if deductions_made { DEPOSIT_RETURN_DAYS_WITH_DEDUCTION } else { DEPOSIT_RETURN_DAYS };
    atw.roll_forward(add_days_sat(lease_ended, days))
}

/// GR-04 return terms: late return, or a deduction without a written specification.
pub fn check_deposit_return(
    facts: &DepositReturnFacts,
    today: NaiveDate,
    dates: &GeneralRuleDates,
    atw: &dyn AtwRoll,
) -> CheckOutcome {
    if facts.lease_signed < dates.deposit_rules_from {
        return CheckOutcome::NotApplicable {
            rule: RuleCode::Gr04,
            reason: format!("lease concluded {}, before {}", facts.lease_signed, dates.deposit_rules_from),
        };
    }
    let due = deposit_return_due(facts.lease_ended, facts.deductions_made, atw);
    if facts.deductions_made && !facts.written_specification_given {
        return CheckOutcome::Violation {
            rule: RuleCode::Gr04,
            reason: "costs deducted from the deposit without a written specification \
                     (BW 7:261b lid 3)"
                .into(),
        };
    }
    match facts.returned_on {
        Some(returned) if returned > due => CheckOutcome::Violation {
            rule: RuleCode::Gr04,
            reason: format!("deposit returned {returned}, after the last day {due} (BW 7:261b)"),
        },
        Some(_) => CheckOutcome::Compliant,
        None if today > due => CheckOutcome::Violation {
            rule: RuleCode::Gr04,
            reason: format!("deposit not returned by the last day {due} (BW 7:261b)"),
        },
        None => CheckOutcome::Compliant,
    }
}

/// Facts for AM-01.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub struct LabourMigrantLease {
    pub signed_on: NaiveDate,
    /// Tenant is an arbeidsmigrant per Wgv art. 1 (EU national, hoofdverblijf not in NL,
    /// temporary work).
    pub tenant_is_arbeidsmigrant: bool,
    /// The lease is a document separate from the employment contract.
    pub separate_from_employment_contract: bool,
}

/// AM-01: lease and employment contract in separate documents (scenario 38).
pub fn check_separate_contracts(lease: &LabourMigrantLease, dates: &GeneralRuleDates) -> CheckOutcome {
    if !lease.tenant_is_arbeidsmigrant {
        return CheckOutcome::NotApplicable {
            rule: RuleCode::Am01,
            reason: "tenant is not an arbeidsmigrant in the sense of Wgv art. 1".into(),
        };
    }
    if lease.signed_on < dates.separate_contracts_from {
        return CheckOutcome::NotApplicable {
            rule: RuleCode::Am01,
            reason: format!(
                "lease concluded {}, before {}: AM-01 only covers later leases",
                lease.signed_on, dates.separate_contracts_from
            ),
        };
    }
    if lease.separate_from_employment_contract {
        CheckOutcome::Compliant
    } else {
        CheckOutcome::Violation {
            rule: RuleCode::Am01,
            reason: "tenancy is laid down in the employment contract, not in a separate lease".into(),
        }
    }
}

/// Facts for AM-02. Languages as ISO 639-1 codes or names; compared case-insensitively.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub struct InformationLetterFacts {
    pub tenant_is_arbeidsmigrant: bool,
    /// Languages the written information was given in (a letter may be bilingual).
    pub letter_languages: Vec<String>,
    pub tenant_preferred_languages: Vec<String>,
    pub tenant_understood_languages: Vec<String>,
}

/// AM-02: information in a language the arbeidsmigrant prefers, or at least understands and can
/// communicate in clearly (scenario 39). A missing letter is a GR-06 matter, checked elsewhere.
pub fn check_information_language(facts: &InformationLetterFacts) -> CheckOutcome {
    if !facts.tenant_is_arbeidsmigrant {
        return CheckOutcome::NotApplicable {
            rule: RuleCode::Am02,
            reason: "tenant is not an arbeidsmigrant in the sense of Wgv art. 1".into(),
        };
    }
    let norm = |s: &String| s.trim().to_lowercase();
    let accepted: Vec<String> = facts
        .tenant_preferred_languages
        .iter()
        .chain(facts.tenant_understood_languages.iter())
        .map(norm)
        .filter(|s| !s.is_empty())
        .collect();
    let ok = facts.letter_languages.iter().map(norm).any(|l| accepted.contains(&l));
    if ok {
        CheckOutcome::Compliant
    } else {
        CheckOutcome::Violation {
            rule: RuleCode::Am02,
            reason: format!(
                "information given in [{}], none of which the tenant prefers or understands [{}]",
                facts.letter_languages.join(", "),
                accepted.join(", ")
            ),
        }
    }
}
