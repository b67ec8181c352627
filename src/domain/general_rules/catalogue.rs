//! The rule catalogue: every rule's stable code (`RuleCode`), its source, confidence and fine
//! regime, and the code's text form. Never renumber a code.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

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
