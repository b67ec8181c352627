//! What the ladder reasons about: the steps, the landlord and case facts, the municipality's
//! ladder and takeover policy, and the proposal it makes.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::domain::fines::{PriorFine, RecidiveAnchor, RecidiveFinding, RecidivePolicy};
use crate::domain::general_rules::RuleCode;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SanctionStep {
    /// Waarschuwing (ladder step 1).
    Warning,
    /// The case has a running warning: wait for the remedy term, then re-inspect.
    AwaitRemedyTerm,
    /// Last onder dwangsom (Awb 5:31d).
    PenaltyOrder,
    /// Last onder bestuursdwang (Awb 5:21).
    AdministrativeCoercion,
    /// Bestuurlijke boete, first-offence cap (+ publication).
    AdministrativeFine,
    /// Bestuurlijke boete with the recidive cap (+ publication).
    RecidiveFine,
    /// Intrekking of the licence.
    LicenceRevocation,
    /// Beheerovername (ultimum remedium).
    ManagementTakeover,
    /// Woningcorporatie: no municipal Wgv enforcement; refer to the corporatie / Autoriteit
    /// woningcorporaties.
    ReferToAutoriteitWoningcorporaties,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LandlordKind {
    /// Natural person or company (not a toegelaten instelling).
    Private,
    /// Toegelaten instelling: outside municipal Wgv enforcement (rules.md §1, MP-05).
    Woningcorporatie,
}
crate::closed_set!(LandlordKind { Private => "private", Woningcorporatie => "woningcorporatie" });

/// Facts that make a first violation serious enough to skip the warning.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Aggravation {
    /// Fire hazard, structural danger: immediate action (supervision.md, priorities).
    UnsafeHousing,
    /// One or more signals of labour exploitation (supervision.md; referral decision required).
    LabourExploitation,
}

/// Beheerovername grounds (rules.md §4.6 [S20 deel 7][S16] `[SECONDARY]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TakeoverGround {
    /// G1: two fines for general rules and a further violation within 4 years.
    TwoFinesAndFurtherViolation,
    /// G2: licence refused while the dwelling is let.
    LicenceRefusedWhileLet,
    /// G3: licence withdrawn.
    LicenceRevoked,
}

/// A warning given earlier.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub struct WarningRecord {
    pub rule: RuleCode,
    pub issued_on: NaiveDate,
    pub remedy_deadline: NaiveDate,
    pub remedied: bool,
}

/// The case key: landlord + address + rule — never the tenant (carrousel rule, rules.md §4.8).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub struct CaseKey {
    pub landlord_id: String,
    pub address_id: String,
    pub rule: RuleCode,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub struct CaseFacts {
    pub key: CaseKey,
    /// Date the (latest) violation was established.
    pub established_on: NaiveDate,
    pub landlord_kind: LandlordKind,
    #[serde(default)]
    pub aggravating: Vec<Aggravation>,
    /// Warning given in this case, if any.
    pub warning: Option<WarningRecord>,
    /// The latest inspection shows the violation continuing.
    pub still_violating: bool,
    pub has_licence: bool,
    #[serde(default)]
    pub licence_refused_while_let: bool,
    #[serde(default)]
    pub licence_revoked: bool,
}

/// The landlord's enforcement history (all addresses).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", default)]
pub struct LandlordHistory {
    pub fines: Vec<PriorFine>,
    /// Warnings in other (closed) cases.
    pub warnings: Vec<WarningRecord>,
}

/// Beheerovername G1 parameters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", default, deny_unknown_fields)]
pub struct TakeoverPolicy {
    /// "binnen 4 jaar" [S20 deel 7][S16] `[SECONDARY]`.
    pub window_years: u32,
    /// "twee boetes" [S20 deel 7][S16] `[SECONDARY]`.
    pub min_prior_fines: u32,
    /// Which date of a prior fine counts.
    pub anchor: RecidiveAnchor,
    /// Propose beheerovername as the step when a ground exists (else only as an alternative).
    pub propose_when_available: bool,
}

impl Default for TakeoverPolicy {
    fn default() -> Self {
        TakeoverPolicy {
            window_years: 4,
            min_prior_fines: 2,
            anchor: RecidiveAnchor::DecisionDate,
            propose_when_available: true,
        }
    }
}

/// The municipality's enforcement ladder (local handhavingsbeleid; defaults = VHN ladder [S7]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", default, deny_unknown_fields)]
pub struct LadderPolicy {
    /// Step for a first, non-serious violation. Default `warning` [S7]; e.g. Amsterdam starts
    /// with a conversation then an LOD [S35] (`penalty_order`).
    pub first_violation_step: SanctionStep,
    /// Aggravations that skip the warning. Default: unsafe housing, labour exploitation.
    pub skip_warning_for: Vec<Aggravation>,
    /// How far back a warning in another case makes a new violation a "next violation".
    // NOTE: not in the sources; default equals the recidive window (4 years). UNCONFIRMED.
    pub prior_warning_years: u32,
    pub recidive: RecidivePolicy,
    pub takeover: TakeoverPolicy,
    /// Steps this municipality does not use.
    pub disabled_steps: Vec<SanctionStep>,
}

impl Default for LadderPolicy {
    fn default() -> Self {
        LadderPolicy {
            first_violation_step: SanctionStep::Warning,
            skip_warning_for: vec![Aggravation::UnsafeHousing, Aggravation::LabourExploitation],
            prior_warning_years: 4,
            recidive: RecidivePolicy::default(),
            takeover: TakeoverPolicy::default(),
            disabled_steps: vec![],
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub struct Proposal {
    pub step: SanctionStep,
    pub reasons: Vec<String>,
    pub legal_basis: Vec<String>,
    /// Other steps the officer may choose instead (or in addition, e.g. fine + LOD).
    pub alternatives_allowed: Vec<SanctionStep>,
    /// A fine or beheerovername decision can be published with the offender's name (Wgv art. 20,
    /// rules.md §4.7).
    pub publication_possible: bool,
    pub takeover_grounds: Vec<TakeoverGround>,
    pub recidive: Option<RecidiveFinding>,
}
