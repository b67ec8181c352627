//! The Wgv rule catalogue (algemene regels van goed verhuurderschap, rules.md §1 and §1.1) plus
//! the licence-related rules, and pure checks for the rules whose facts the scenarios define.
//!
//! Every rule has a stable code (`"GR-04"`, `"AM-01"`, `"no_licence"`, …) that the API, the
//! complaint categories and the database use; never renumber a code.
//!
//! PURE: no I/O. Dates are calendar dates (Europe/Amsterdam legal day).

use std::fmt;
use std::str::FromStr;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::domain::calendar::{add_days_sat, ymd, AtwRoll};
use crate::domain::money::Money;

/// A rule whose violation the municipality can establish and enforce.
///
/// Serialised as its stable code: `"GR-00"` … `"GR-10"`, `"AM-01"`, `"AM-02"`, `"no_licence"`,
/// `"licence_condition"`, `"overcrowding"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RuleCode {
    #[serde(rename = "GR-00")]
    Gr00,
    #[serde(rename = "GR-01")]
    Gr01,
    #[serde(rename = "GR-02")]
    Gr02,
    #[serde(rename = "GR-03")]
    Gr03,
    #[serde(rename = "GR-04")]
    Gr04,
    #[serde(rename = "GR-05")]
    Gr05,
    #[serde(rename = "GR-06")]
    Gr06,
    #[serde(rename = "GR-07")]
    Gr07,
    #[serde(rename = "GR-08")]
    Gr08,
    #[serde(rename = "GR-09")]
    Gr09,
    #[serde(rename = "GR-10")]
    Gr10,
    #[serde(rename = "AM-01")]
    Am01,
    #[serde(rename = "AM-02")]
    Am02,
    /// Renting without a required verhuurvergunning (art. 5 Wgv + verordening).
    NoLicence,
    /// Breach of a voorschrift attached to the licence.
    LicenceCondition,
    /// Overbewoning (occupancy norm, rules.md §2.4).
    Overcrowding,
}

/// How sure the catalogue is of an entry (rules.md §0 confidence tags).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Confidence {
    LawRead,
    Secondary,
    Inferred,
    Unconfirmed,
}

/// Which fine regime applies to a violation of the rule (rules.md §4.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FineRegime {
    /// Art. 2/2a/3 Wgv general rules: statutory caps of the 4th/5th category (art. 19 lid 1).
    GeneralRule,
    /// Licence rules: fine set by the verhuurverordening under art. 19 lid 2 Wgv; statutory
    /// maxima `UNCONFIRMED` (rules.md §4.2), so a municipality must configure its own table.
    Licence,
}

/// A catalogue entry. Only serialised (the texts are static).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RuleInfo {
    pub code: RuleCode,
    pub title: &'static str,
    pub article: &'static str,
    pub source: &'static str,
    pub confidence: Confidence,
    pub fine_regime: FineRegime,
    /// Only applies when the tenant is an arbeidsmigrant in the sense of Wgv art. 1.
    pub arbeidsmigrant_only: bool,
}

impl RuleCode {
    /// Every rule, in catalogue order.
    pub const ALL: [RuleCode; 16] = [
        RuleCode::Gr00,
        RuleCode::Gr01,
        RuleCode::Gr02,
        RuleCode::Gr03,
        RuleCode::Gr04,
        RuleCode::Gr05,
        RuleCode::Gr06,
        RuleCode::Gr07,
        RuleCode::Gr08,
        RuleCode::Gr09,
        RuleCode::Gr10,
        RuleCode::Am01,
        RuleCode::Am02,
        RuleCode::NoLicence,
        RuleCode::LicenceCondition,
        RuleCode::Overcrowding,
    ];

    /// The stable code, identical to the serde representation.
    pub const fn as_str(self) -> &'static str {
        match self {
            RuleCode::Gr00 => "GR-00",
            RuleCode::Gr01 => "GR-01",
            RuleCode::Gr02 => "GR-02",
            RuleCode::Gr03 => "GR-03",
            RuleCode::Gr04 => "GR-04",
            RuleCode::Gr05 => "GR-05",
            RuleCode::Gr06 => "GR-06",
            RuleCode::Gr07 => "GR-07",
            RuleCode::Gr08 => "GR-08",
            RuleCode::Gr09 => "GR-09",
            RuleCode::Gr10 => "GR-10",
            RuleCode::Am01 => "AM-01",
            RuleCode::Am02 => "AM-02",
            RuleCode::NoLicence => "no_licence",
            RuleCode::LicenceCondition => "licence_condition",
            RuleCode::Overcrowding => "overcrowding",
        }
    }

    /// The fine regime (shortcut for `info().fine_regime`).
    pub fn fine_regime(self) -> FineRegime {
        self.info().fine_regime
    }

    /// Whether this is a Wgv general rule (art. 2/2a/3), i.e. counts for recidive and for
    /// beheerovername ground G1 (rules.md §4.3, §4.6).
    pub fn is_general_rule(self) -> bool {
        self.fine_regime() == FineRegime::GeneralRule
    }

    /// The catalogue entry. Texts restate rules.md §1/§1.1/§2; tags as there.
    pub fn info(self) -> RuleInfo {
        use Confidence::*;
        use FineRegime::*;
        let (title, article, source, confidence, fine_regime, am_only) = match self {
            RuleCode::Gr00 => (
                "General norm of goed verhuurderschap (catch-all)",
                "Wgv art. 2 lid 1",
                "rules.md §1 GR-00 [S5]",
                Secondary,
                GeneralRule,
                false,
            ),
            RuleCode::Gr01 => (
                "No discrimination in tenant selection; transparent, objective criteria published; \
                 motivate rejections",
                "Wgv art. 2 lid 2 sub a + art. 3 (art. 3 from 2024-01-01)",
                "rules.md §1 GR-01 [S5][S20 deel 1][S33]",
                Secondary,
                GeneralRule,
                false,
            ),
            RuleCode::Gr02 => (
                "Written anti-discrimination werkwijze, applied in practice",
                "Wgv art. 3 (in force 2024-01-01); scope UNCONFIRMED",
                "rules.md §1 GR-02 [S20 deel 1][S33]",
                Secondary,
                GeneralRule,
                false,
            ),
            RuleCode::Gr03 => (
                "No intimidation of tenants",
                "Wgv art. 2 lid 2 (letter UNCONFIRMED)",
                "rules.md §1 GR-03 [S33][S4]",
                Secondary,
                GeneralRule,
                false,
            ),
            RuleCode::Gr04 => (
                "Deposit (waarborgsom) at most 2x kale huur; returned within 14 days, or 30 days \
                 with a written specification when deducting",
                "Wgv art. 2 lid 2 jo. BW art. 7:261b",
                "rules.md §1 GR-04; BW 7:261b [LAW-READ][S26]; transition [S39]",
                LawRead,
                GeneralRule,
                false,
            ),
            RuleCode::Gr05 => (
                "Lease recorded in writing",
                "Wgv art. 2 lid 2 (letter UNCONFIRMED)",
                "rules.md §1 GR-05 [S20][S33][S37]",
                Secondary,
                GeneralRule,
                false,
            ),
            RuleCode::Gr06 => (
                "Written information to the tenant (rights and duties, deposit, service costs, \
                 contact details, municipal meldpunt)",
                "Wgv art. 2 lid 2 sub e, lid 5; Regeling goed verhuurderschap Stcrt. 2023, 16746",
                "rules.md §1 GR-06 [S4][S5][S20][S33]",
                Secondary,
                GeneralRule,
                false,
            ),
            RuleCode::Gr07 => (
                "Service costs only as allowed by BW 7:259 and 7:261",
                "Wgv art. 2 lid 2 (letter UNCONFIRMED)",
                "rules.md §1 GR-07 [S32 Heerenveen][S6]",
                Secondary,
                GeneralRule,
                false,
            ),
            RuleCode::Gr08 => (
                "No bemiddelingskosten charged to the tenant by a verhuurbemiddelaar",
                "UNCONFIRMED (Wgv art. 2 and/or BW 7:264)",
                "rules.md §1 GR-08 [S32 Heerenveen]",
                Unconfirmed,
                GeneralRule,
                false,
            ),
            RuleCode::Gr09 => (
                "Rent within the legal maximum for gereguleerde woonruimte (Wet betaalbare huur; \
                 municipal enforcement from 2025-01-01)",
                "probably Wgv art. 2a (INFERRED; wording UNCONFIRMED)",
                "rules.md §1 GR-09 [S12][S13][S30]",
                Inferred,
                GeneralRule,
                false,
            ),
            RuleCode::Gr10 => (
                "Wgv art. 2b (content UNCONFIRMED; probably rent-increase cap)",
                "Wgv art. 2b",
                "rules.md §1 GR-10 [S36][S34]",
                Unconfirmed,
                GeneralRule,
                false,
            ),
            RuleCode::Am01 => (
                "Lease and employment contract in separate documents (leases from 2023-07-01)",
                "Wgv art. 2 (lid UNCONFIRMED)",
                "rules.md §1.1 AM-01 [S10]",
                Secondary,
                GeneralRule,
                true,
            ),
            RuleCode::Am02 => (
                "Information in writing in a language the arbeidsmigrant prefers or understands",
                "Wgv art. 2 (lid UNCONFIRMED)",
                "rules.md §1.1 AM-02 [S20 deel 2][S10][S32]",
                Secondary,
                GeneralRule,
                true,
            ),
            RuleCode::NoLicence => (
                "Renting out without a required verhuurvergunning",
                "Wgv art. 5 lid 1 + verhuurverordening; fine art. 19 lid 2",
                "rules.md §2.1, §4.2 [S13][S15][S19]",
                Secondary,
                Licence,
                false,
            ),
            RuleCode::LicenceCondition => (
                "Breach of a voorschrift attached to the verhuurvergunning",
                "Wgv art. 5 + licence voorschriften; fine art. 19 lid 2",
                "rules.md §2.3, §2.4, §4.2 [S13][S18]",
                Secondary,
                Licence,
                false,
            ),
            // NOTE: overcrowding is a Bouwbesluit 2012 art. 7.18 / SNF norm; under the Wgv it is
            // enforced as a licence condition (arbeidsmigranten licence). Outside a licence it is
            // Woningwet enforcement, not a Wgv fine. Hence the licence fine regime.
            RuleCode::Overcrowding => (
                "Overbewoning: more occupants than the configured floor-area norm allows",
                "Bouwbesluit 2012 art. 7.18 (successor UNCONFIRMED); licence voorschrift",
                "rules.md §2.4 [S23][S27]",
                Secondary,
                Licence,
                false,
            ),
        };
        RuleInfo { code: self, title, article, source, confidence, fine_regime, arbeidsmigrant_only: am_only }
    }
}

impl fmt::Display for RuleCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown rule code {0:?}")]
pub struct UnknownRuleCode(pub String);

impl FromStr for RuleCode {
    type Err = UnknownRuleCode;

    /// Accepts the stable code, case-insensitively (`"gr-04"` == `"GR-04"`).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let wanted = s.trim();
        RuleCode::ALL
            .into_iter()
            .find(|c| c.as_str().eq_ignore_ascii_case(wanted))
            .ok_or_else(|| UnknownRuleCode(s.to_string()))
    }
}

/// The whole catalogue, for `GET /v1/rules`.
pub fn catalogue() -> Vec<RuleInfo> {
    RuleCode::ALL.into_iter().map(RuleCode::info).collect()
}

// ---------------------------------------------------------------------------------------------
// Checks
// ---------------------------------------------------------------------------------------------

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
}

/// Wgv and BW 7:261b in force 2023-07-01 (KB Stb. 2023, 227; rules.md §0 key identifiers).
pub const WGV_IN_FORCE: NaiveDate = ymd(2023, 7, 1);

impl Default for GeneralRuleDates {
    fn default() -> Self {
        GeneralRuleDates { deposit_rules_from: WGV_IN_FORCE, separate_contracts_from: WGV_IN_FORCE }
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

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::domain::calendar::NoAtwRoll;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }
    fn eur(e: i64) -> Money {
        Money::from_euros(e).unwrap()
    }

    #[test]
    fn catalogue_has_every_rule_with_a_unique_stable_code_and_source() {
        let cat = catalogue();
        assert_eq!(cat.len(), 16);
        let mut codes: Vec<&str> = cat.iter().map(|r| r.code.as_str()).collect();
        codes.sort();
        codes.dedup();
        assert_eq!(codes.len(), 16);
        for r in &cat {
            assert!(!r.title.is_empty() && !r.article.is_empty() && !r.source.is_empty());
        }
        for code in
            ["GR-00", "GR-04", "GR-10", "AM-01", "AM-02", "no_licence", "licence_condition", "overcrowding"]
        {
            assert!(codes.contains(&code), "{code}");
        }
    }

    #[test]
    fn rule_codes_round_trip_through_serde_and_from_str() {
        for c in RuleCode::ALL {
            let json = serde_json::to_string(&c).unwrap();
            assert_eq!(json, format!("\"{}\"", c.as_str()));
            assert_eq!(serde_json::from_str::<RuleCode>(&json).unwrap(), c);
            assert_eq!(c.as_str().parse::<RuleCode>().unwrap(), c);
        }
        assert_eq!("gr-04".parse::<RuleCode>().unwrap(), RuleCode::Gr04);
        assert!("GR-11".parse::<RuleCode>().is_err());
    }

    #[test]
    fn licence_rules_use_the_licence_fine_regime() {
        assert!(RuleCode::Gr04.is_general_rule());
        assert!(RuleCode::Am02.is_general_rule());
        assert!(!RuleCode::NoLicence.is_general_rule());
        assert!(!RuleCode::LicenceCondition.is_general_rule());
        assert!(!RuleCode::Overcrowding.is_general_rule());
    }

    #[test]
    fn scenario_36_deposit_above_twice_kale_huur_violates_gr_04() {
        let out = check_deposit_cap(d("2024-09-01"), eur(600), eur(1500), &GeneralRuleDates::default());
        assert!(out.is_violation());
        assert_eq!(max_deposit(eur(600)), eur(1200));
        if let CheckOutcome::Violation { rule, reason } = out {
            assert_eq!(rule, RuleCode::Gr04);
            assert!(reason.contains("€1200.00"), "{reason}");
        }
    }

    #[test]
    fn scenario_36_edge_deposit_exactly_twice_kale_huur_is_compliant() {
        let dates = GeneralRuleDates::default();
        assert_eq!(check_deposit_cap(d("2024-09-01"), eur(600), eur(1200), &dates), CheckOutcome::Compliant);
        assert!(check_deposit_cap(d("2024-09-01"), eur(600), Money::from_cents(120_001).unwrap(), &dates)
            .is_violation());
        // Lease before the BW 7:261b regime.
        assert!(matches!(
            check_deposit_cap(d("2023-06-30"), eur(600), eur(1800), &dates),
            CheckOutcome::NotApplicable { .. }
        ));
    }

    #[test]
    fn deposit_cap_saturates_on_absurd_rent() {
        let huge = Money::from_cents(i64::MAX).unwrap();
        assert_eq!(max_deposit(huge).cents(), i64::MAX);
    }

    #[test]
    fn deposit_return_terms_14_and_30_days() {
        let dates = GeneralRuleDates::default();
        let mut f = DepositReturnFacts {
            lease_signed: d("2024-01-01"),
            lease_ended: d("2025-03-31"),
            returned_on: Some(d("2025-04-14")),
            deductions_made: false,
            written_specification_given: false,
        };
        assert_eq!(deposit_return_due(f.lease_ended, false, &NoAtwRoll), d("2025-04-14"));
        assert_eq!(check_deposit_return(&f, d("2025-06-01"), &dates, &NoAtwRoll), CheckOutcome::Compliant);
        f.returned_on = Some(d("2025-04-15"));
        assert!(check_deposit_return(&f, d("2025-06-01"), &dates, &NoAtwRoll).is_violation());
        // With deductions: 30 days, but only with a written specification.
        f.deductions_made = true;
        f.written_specification_given = true;
        assert_eq!(deposit_return_due(f.lease_ended, true, &NoAtwRoll), d("2025-04-30"));
        assert_eq!(check_deposit_return(&f, d("2025-06-01"), &dates, &NoAtwRoll), CheckOutcome::Compliant);
        f.written_specification_given = false;
        assert!(check_deposit_return(&f, d("2025-06-01"), &dates, &NoAtwRoll).is_violation());
        // Not yet returned: violation only once the last day has passed.
        f.written_specification_given = true;
        f.returned_on = None;
        assert_eq!(check_deposit_return(&f, d("2025-04-30"), &dates, &NoAtwRoll), CheckOutcome::Compliant);
        assert!(check_deposit_return(&f, d("2025-05-01"), &dates, &NoAtwRoll).is_violation());
    }

    fn am_lease(signed: &str, separate: bool) -> LabourMigrantLease {
        LabourMigrantLease {
            signed_on: d(signed),
            tenant_is_arbeidsmigrant: true,
            separate_from_employment_contract: separate,
        }
    }

    #[test]
    fn scenario_38_lease_inside_employment_contract_after_july_2023_violates_am_01() {
        let out = check_separate_contracts(&am_lease("2023-08-01", false), &GeneralRuleDates::default());
        assert!(matches!(out, CheckOutcome::Violation { rule: RuleCode::Am01, .. }));
    }

    #[test]
    fn scenario_38_same_contract_signed_may_2023_is_not_applicable() {
        let out = check_separate_contracts(&am_lease("2023-05-01", false), &GeneralRuleDates::default());
        assert!(matches!(out, CheckOutcome::NotApplicable { rule: RuleCode::Am01, .. }));
    }

    #[test]
    fn scenario_38_edges_in_force_date_separate_contract_and_non_migrant() {
        let dates = GeneralRuleDates::default();
        assert!(check_separate_contracts(&am_lease("2023-07-01", false), &dates).is_violation());
        assert!(!check_separate_contracts(&am_lease("2023-06-30", false), &dates).is_violation());
        assert_eq!(check_separate_contracts(&am_lease("2023-08-01", true), &dates), CheckOutcome::Compliant);
        let mut l = am_lease("2023-08-01", false);
        l.tenant_is_arbeidsmigrant = false; // scenario 3: AM rules do not apply
        assert!(matches!(check_separate_contracts(&l, &dates), CheckOutcome::NotApplicable { .. }));
        // A municipality reading "after 1 July" strictly can configure it.
        let strict = GeneralRuleDates { separate_contracts_from: d("2023-07-02"), ..dates };
        assert!(!check_separate_contracts(&am_lease("2023-07-01", false), &strict).is_violation());
    }

    fn letter(langs: &[&str]) -> InformationLetterFacts {
        InformationLetterFacts {
            tenant_is_arbeidsmigrant: true,
            letter_languages: langs.iter().map(|s| s.to_string()).collect(),
            tenant_preferred_languages: vec!["pl".into()],
            tenant_understood_languages: vec!["pl".into(), "en".into()],
        }
    }

    #[test]
    fn scenario_39_dutch_only_letter_to_polish_worker_violates_am_02() {
        let out = check_information_language(&letter(&["nl"]));
        assert!(matches!(out, CheckOutcome::Violation { rule: RuleCode::Am02, .. }));
    }

    #[test]
    fn scenario_39_english_letter_is_compliant_because_understood() {
        assert_eq!(check_information_language(&letter(&["EN "])), CheckOutcome::Compliant);
        assert_eq!(check_information_language(&letter(&["nl", "pl"])), CheckOutcome::Compliant);
    }

    #[test]
    fn scenario_39_edges_no_language_and_non_migrant() {
        assert!(check_information_language(&letter(&[])).is_violation());
        let mut f = letter(&["nl"]);
        f.tenant_is_arbeidsmigrant = false;
        assert!(matches!(check_information_language(&f), CheckOutcome::NotApplicable { .. }));
    }
}
