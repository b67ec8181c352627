//! The sanction ladder (rules.md §4.1, §4.3, §4.6, §4.8): proposes the next enforcement step for
//! a case and checks a step an officer chose; plus the enforcement case model (carrousel rule).
//!
//! The ladder is the VHN summary of the Handhavingsprotocol [S7] `[SECONDARY]`; the MvT prescribes
//! no mandatory ladder [S18], so everything beyond the statutory conditions is policy
//! (`LadderPolicy`, serde-configurable). `check_chosen_step` therefore distinguishes a step that is
//! unlawful (`StepBlock::Law`) from one that departs from the municipality's own policy
//! (`StepBlock::Policy`, allowed only with a motivation under Awb 4:84 — the HTTP layer decides).
//!
//! PURE: no I/O.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::domain::calendar::sub_years_sat;
use crate::domain::fines::{determine_recidive, PriorFine, RecidiveAnchor, RecidiveFinding, RecidivePolicy};
use crate::domain::general_rules::RuleCode;
use crate::domain::sanction_procedure::LodState;

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
#[serde(rename_all = "snake_case", default)]
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
#[serde(rename_all = "snake_case", default)]
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

const BASIS_LADDER: &str = "VHN summary of the Handhavingsprotocol Wgv [S7] (rules.md §4.1)";
const BASIS_WARNING: &str = "Warning: next violation may lead to boete + publication [S7]";
const BASIS_LOD: &str = "Awb 5:31d, 5:32, 5:32a, 5:32b (last onder dwangsom)";
const BASIS_LOB: &str = "Awb 5:21 (last onder bestuursdwang)";
const BASIS_FINE: &str = "Wgv art. 19 lid 1 (bestuurlijke boete) [S12][S11]; Awb 5:40 ff.";
const BASIS_RECIDIVE: &str = "Wgv art. 19 lid 1 sub b / lid 3 sub b (recidive, 4 years) [S12][S11]";
const BASIS_PUBLICATION: &str = "Wgv art. 20 (openbaarmaking) [S8][S11][S16]";
const BASIS_TAKEOVER: &str = "Wgv art. 11 e.v. (beheerovername) [S5][S20 deel 7][S16]";
const BASIS_CORPORATIE: &str =
    "No municipal Wgv enforcement against toegelaten instellingen; Autoriteit woningcorporaties supervises [S6][S9][S32]";
const BASIS_UNSAFE: &str = "Unsafe housing: immediate action, top priority (VNG handreiking §2.5/§6.4 [S41])";
const BASIS_EXPLOITATION: &str =
    "Signals of labour exploitation: urgent, referral decision to Nederlandse Arbeidsinspectie (handreiking bijlage 4 [S41])";

/// Which beheerovername grounds exist on `established_on`.
pub fn takeover_grounds(
    facts: &CaseFacts,
    history: &LandlordHistory,
    policy: &TakeoverPolicy,
) -> Vec<TakeoverGround> {
    let mut grounds = Vec::new();
    // G1 (scenario 55): at least `min_prior_fines` non-annulled fines for general rules whose
    // anchor date lies within `window_years` before the new violation was established.
    // NOTE: "two boetes and within 4 years a further violation" [S20][S16] is read as: all of
    // them within one 4-year window ending at the new establishment date. Anchor configurable.
    if facts.key.rule.is_general_rule() {
        let window_start = sub_years_sat(facts.established_on, policy.window_years);
        let count = history
            .fines
            .iter()
            .filter(|f| !f.annulled && f.rule.is_general_rule())
            .filter_map(|f| f.anchor(policy.anchor))
            .filter(|a| window_start <= *a && *a < facts.established_on)
            .count();
        if count >= usize::try_from(policy.min_prior_fines).unwrap_or(usize::MAX)
            && policy.min_prior_fines > 0
        {
            grounds.push(TakeoverGround::TwoFinesAndFurtherViolation);
        }
    }
    if facts.licence_refused_while_let {
        grounds.push(TakeoverGround::LicenceRefusedWhileLet);
    }
    if facts.licence_revoked {
        grounds.push(TakeoverGround::LicenceRevoked);
    }
    grounds
}

fn fine_step(recidive: &RecidiveFinding) -> SanctionStep {
    if recidive.is_recidive {
        SanctionStep::RecidiveFine
    } else {
        SanctionStep::AdministrativeFine
    }
}

fn basis_for(step: SanctionStep) -> &'static str {
    match step {
        SanctionStep::Warning | SanctionStep::AwaitRemedyTerm => BASIS_WARNING,
        SanctionStep::PenaltyOrder => BASIS_LOD,
        SanctionStep::AdministrativeCoercion => BASIS_LOB,
        SanctionStep::AdministrativeFine => BASIS_FINE,
        SanctionStep::RecidiveFine => BASIS_RECIDIVE,
        SanctionStep::LicenceRevocation => "Licence withdrawal (Wgv; grounds UNCONFIRMED, rules.md §2.6)",
        SanctionStep::ManagementTakeover => BASIS_TAKEOVER,
        SanctionStep::ReferToAutoriteitWoningcorporaties => BASIS_CORPORATIE,
    }
}

/// Proposes the next step for a case.
pub fn next_step(
    facts: &CaseFacts,
    history: &LandlordHistory,
    policy: &LadderPolicy,
    today: NaiveDate,
) -> Proposal {
    use SanctionStep as S;
    let mut reasons: Vec<String> = Vec::new();
    let mut basis: Vec<String> = vec![BASIS_LADDER.into()];

    // Scenario 57: woningcorporatie → refer, no municipal enforcement.
    if facts.landlord_kind == LandlordKind::Woningcorporatie {
        return Proposal {
            step: S::ReferToAutoriteitWoningcorporaties,
            reasons: vec!["landlord is a toegelaten instelling (woningcorporatie): the municipality has no \
                 Wgv enforcement powers; refer to the corporatie's complaints committee / \
                 Autoriteit woningcorporaties"
                .into()],
            legal_basis: vec![BASIS_CORPORATIE.into()],
            alternatives_allowed: vec![],
            publication_possible: false,
            takeover_grounds: vec![],
            recidive: None,
        };
    }

    let recidive = determine_recidive(facts.key.rule, facts.established_on, &history.fines, &policy.recidive);
    let grounds = takeover_grounds(facts, history, &policy.takeover);
    let serious: Vec<Aggravation> =
        facts.aggravating.iter().copied().filter(|a| policy.skip_warning_for.contains(a)).collect();
    let fine = fine_step(&recidive);
    let warning_window_start = sub_years_sat(facts.established_on, policy.prior_warning_years);
    let prior_warning = history
        .warnings
        .iter()
        .any(|w| warning_window_start <= w.issued_on && w.issued_on < facts.established_on);
    let prior_fine = history.fines.iter().any(|f| !f.annulled && f.decision_date < facts.established_on);

    let (step, mut alternatives) = if serious.contains(&Aggravation::UnsafeHousing) {
        reasons.push("unsafe housing: end the danger at once; the warning step is skipped".into());
        basis.push(BASIS_UNSAFE.into());
        (S::AdministrativeCoercion, vec![S::PenaltyOrder, fine])
    } else if !grounds.is_empty() {
        reasons
            .push(format!("beheerovername grounds present: {grounds:?} (ultimum remedium; proportionality)"));
        let mut alts = vec![fine, S::PenaltyOrder, S::AdministrativeCoercion];
        if facts.has_licence && !facts.licence_revoked {
            alts.push(S::LicenceRevocation);
        }
        if policy.takeover.propose_when_available {
            (S::ManagementTakeover, alts)
        } else {
            let first = alts.remove(0);
            alts.push(S::ManagementTakeover);
            (first, alts)
        }
    } else if let Some(w) = facts.warning.as_ref().filter(|w| !w.remedied) {
        if today <= w.remedy_deadline {
            reasons.push(format!(
                "a warning of {} runs until {}; re-inspect after that date",
                w.issued_on, w.remedy_deadline
            ));
            (S::AwaitRemedyTerm, vec![])
        } else if facts.still_violating {
            // Scenario 42.
            reasons.push(format!(
                "violation continues after the remedy term of the warning of {} (ended {})",
                w.issued_on, w.remedy_deadline
            ));
            (fine, vec![S::PenaltyOrder, S::AdministrativeCoercion])
        } else {
            reasons.push(
                "warning term passed and the violation is no longer established: verify and close".into(),
            );
            (S::AwaitRemedyTerm, vec![])
        }
    } else if recidive.is_recidive {
        reasons.push(format!("recidive: {}", recidive.reason));
        (S::RecidiveFine, vec![S::PenaltyOrder, S::AdministrativeCoercion])
    } else if prior_warning || prior_fine {
        reasons.push("next violation after an earlier warning or fine to this landlord".into());
        (S::AdministrativeFine, vec![S::PenaltyOrder, S::AdministrativeCoercion])
    } else if serious.contains(&Aggravation::LabourExploitation) {
        reasons.push(
            "signals of labour exploitation: the warning step is skipped; record a referral \
             decision (Nederlandse Arbeidsinspectie)"
                .into(),
        );
        basis.push(BASIS_EXPLOITATION.into());
        (S::PenaltyOrder, vec![S::AdministrativeCoercion, S::AdministrativeFine])
    } else {
        // Scenario 41.
        reasons.push("first established violation without aggravating facts".into());
        let first = policy.first_violation_step;
        let alts = if first == S::Warning { vec![] } else { vec![S::Warning] };
        (first, alts)
    };

    // Municipal policy: disabled steps are replaced by the first enabled alternative.
    alternatives.retain(|a| !policy.disabled_steps.contains(a) && *a != step);
    let step = if policy.disabled_steps.contains(&step) && !alternatives.is_empty() {
        reasons.push(format!("{step:?} is not used by this municipality's policy"));
        alternatives.remove(0)
    } else {
        step
    };
    for s in std::iter::once(step).chain(alternatives.iter().copied()) {
        let b = basis_for(s).to_string();
        if !basis.contains(&b) {
            basis.push(b);
        }
    }
    let publication_possible = [step]
        .iter()
        .chain(alternatives.iter())
        .any(|s| matches!(s, S::AdministrativeFine | S::RecidiveFine | S::ManagementTakeover));
    if publication_possible {
        basis.push(BASIS_PUBLICATION.into());
    }
    Proposal {
        step,
        reasons,
        legal_basis: basis,
        alternatives_allowed: alternatives,
        publication_possible,
        takeover_grounds: grounds,
        recidive: Some(recidive),
    }
}

/// Whether a refusal rests on the law or on the municipality's own policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StepBlock {
    Law,
    /// Deviation from the municipality's ladder: possible only with a motivation (Awb 4:84).
    Policy,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(rename_all = "snake_case")]
#[error("unlawful step ({basis:?}): {reason}")]
pub struct UnlawfulStep {
    pub reason: String,
    pub basis: StepBlock,
}

fn law(reason: impl Into<String>) -> Result<(), UnlawfulStep> {
    Err(UnlawfulStep { reason: reason.into(), basis: StepBlock::Law })
}

/// Checks a step an officer chose.
pub fn check_chosen_step(
    chosen: SanctionStep,
    facts: &CaseFacts,
    history: &LandlordHistory,
    policy: &LadderPolicy,
    today: NaiveDate,
) -> Result<(), UnlawfulStep> {
    use SanctionStep as S;
    let corporatie = facts.landlord_kind == LandlordKind::Woningcorporatie;
    if corporatie && chosen != S::ReferToAutoriteitWoningcorporaties {
        return law(
            "the municipality has no Wgv enforcement powers against a woningcorporatie; refer the matter",
        );
    }
    if !corporatie && chosen == S::ReferToAutoriteitWoningcorporaties {
        return law("the landlord is not a woningcorporatie; the municipality must enforce itself");
    }
    match chosen {
        S::ManagementTakeover if takeover_grounds(facts, history, &policy.takeover).is_empty() => {
            return law("no beheerovername ground (G1 two fines + further violation within 4 years, G2 licence refused while let, G3 licence withdrawn)");
        }
        S::RecidiveFine
            if !determine_recidive(
                facts.key.rule,
                facts.established_on,
                &history.fines,
                &policy.recidive,
            )
            .is_recidive =>
        {
            return law("no recidive: the higher (recidive) cap does not apply");
        }
        S::LicenceRevocation if !facts.has_licence || facts.licence_revoked => {
            return law("there is no licence in force to withdraw");
        }
        _ => {}
    }
    if policy.disabled_steps.contains(&chosen) {
        return Err(UnlawfulStep {
            reason: format!("{chosen:?} is not used by this municipality's policy"),
            basis: StepBlock::Policy,
        });
    }
    // A warning is the least intrusive means (Awb 5:13 subsidiarity) and always lawful.
    if chosen == S::Warning {
        return Ok(());
    }
    let proposal = next_step(facts, history, policy, today);
    if chosen == proposal.step || proposal.alternatives_allowed.contains(&chosen) {
        Ok(())
    } else {
        Err(UnlawfulStep {
            reason: format!(
                "the ladder proposes {:?} (alternatives {:?}); {chosen:?} departs from policy: {}",
                proposal.step,
                proposal.alternatives_allowed,
                proposal.reasons.join("; ")
            ),
            basis: StepBlock::Policy,
        })
    }
}

// ---------------------------------------------------------------------------------------------
// Enforcement case (carrousel rule, rules.md §4.8 [S40])
// ---------------------------------------------------------------------------------------------

/// The only ways to close a case. A tenant leaving is deliberately not one of them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "reason")]
pub enum CloseReason {
    /// Compliance verified (inspection).
    Remedied { verified_on: NaiveDate },
    /// Refraining from enforcement: legalisation concretely in prospect (supervision.md).
    LegalisationInProspect { motivation: String },
    /// Refraining from enforcement: enforcement would be disproportionate (supervision.md).
    Disproportionate { motivation: String },
    /// Woningcorporatie: referred.
    Referred { to: String },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "status")]
pub enum CaseStatus {
    Open,
    Closed { on: NaiveDate, reason: CloseReason },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub struct EnforcementCase {
    pub key: CaseKey,
    pub opened_on: NaiveDate,
    pub status: CaseStatus,
    pub penalty_order: Option<LodState>,
    /// Tenant changes, kept for the file only: they never affect status or sanctions.
    pub tenant_changes: Vec<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "event")]
pub enum CaseEvent {
    /// A tenant left and/or a new one entered on `on`.
    TenantChanged {
        on: NaiveDate,
    },
    SetPenaltyOrder {
        order: LodState,
    },
    Close {
        on: NaiveDate,
        reason: CloseReason,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(rename_all = "snake_case", tag = "error")]
pub enum CaseError {
    #[error("the case is closed")]
    Closed,
    #[error("closing without enforcement needs a motivation")]
    MissingMotivation,
}

impl EnforcementCase {
    pub fn open(key: CaseKey, on: NaiveDate) -> EnforcementCase {
        EnforcementCase {
            key,
            opened_on: on,
            status: CaseStatus::Open,
            penalty_order: None,
            tenant_changes: vec![],
        }
    }

    pub fn is_open(&self) -> bool {
        self.status == CaseStatus::Open
    }

    /// The penalty order still binds the landlord for this address and rule.
    pub fn penalty_order_effective(&self) -> bool {
        self.penalty_order.as_ref().is_some_and(LodState::is_effective)
    }

    /// Whether a finding for (landlord, address, rule) belongs to this case — the tenant plays
    /// no part.
    pub fn covers(&self, key: &CaseKey) -> bool {
        self.key == *key
    }

    pub fn apply(&self, event: &CaseEvent) -> Result<EnforcementCase, CaseError> {
        let mut next = self.clone();
        match event {
            // Carrousel rule: recorded, but status and sanctions are untouched.
            CaseEvent::TenantChanged { on } => next.tenant_changes.push(*on),
            CaseEvent::SetPenaltyOrder { order } => {
                if !self.is_open() {
                    return Err(CaseError::Closed);
                }
                next.penalty_order = Some(order.clone());
            }
            CaseEvent::Close { on, reason } => {
                if !self.is_open() {
                    return Err(CaseError::Closed);
                }
                if let CloseReason::LegalisationInProspect { motivation }
                | CloseReason::Disproportionate { motivation } = reason
                {
                    if motivation.trim().is_empty() {
                        return Err(CaseError::MissingMotivation);
                    }
                }
                next.status = CaseStatus::Closed { on: *on, reason: reason.clone() };
            }
        }
        Ok(next)
    }
}

/// The open case for a finding, if any (one open case per landlord + address + rule).
pub fn open_case_for<'a>(cases: &'a [EnforcementCase], key: &CaseKey) -> Option<&'a EnforcementCase> {
    cases.iter().find(|c| c.is_open() && c.covers(key))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::domain::money::Money;
    use crate::domain::sanction_procedure::{LodPurpose, PenaltyOrder, PeriodForfeitMoment, SumKind};

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn key(rule: RuleCode) -> CaseKey {
        CaseKey { landlord_id: "L1".into(), address_id: "A1".into(), rule }
    }

    fn facts(established: &str) -> CaseFacts {
        CaseFacts {
            key: key(RuleCode::Gr04),
            established_on: d(established),
            landlord_kind: LandlordKind::Private,
            aggravating: vec![],
            warning: None,
            still_violating: true,
            has_licence: false,
            licence_refused_while_let: false,
            licence_revoked: false,
        }
    }

    fn fine(id: &str, decided: &str) -> PriorFine {
        PriorFine {
            violation_id: id.into(),
            rule: RuleCode::Gr04,
            violation_date: d(decided),
            rapport_date: Some(d(decided)),
            decision_date: d(decided),
            final_date: Some(d(decided)),
            annulled: false,
        }
    }

    #[test]
    fn scenario_41_first_violation_proposes_warning_with_publication_notice() {
        let p = next_step(
            &facts("2025-03-03"),
            &LandlordHistory::default(),
            &LadderPolicy::default(),
            d("2025-03-03"),
        );
        assert_eq!(p.step, SanctionStep::Warning);
        assert!(p.alternatives_allowed.is_empty());
        assert!(p.legal_basis.iter().any(|b| b.contains("boete + publication")));
        // A fine straight away departs from policy (not from the law).
        let err = check_chosen_step(
            SanctionStep::AdministrativeFine,
            &facts("2025-03-03"),
            &LandlordHistory::default(),
            &LadderPolicy::default(),
            d("2025-03-03"),
        )
        .unwrap_err();
        assert_eq!(err.basis, StepBlock::Policy);
        assert!(check_chosen_step(
            SanctionStep::RecidiveFine,
            &facts("2025-03-03"),
            &LandlordHistory::default(),
            &LadderPolicy::default(),
            d("2025-03-03")
        )
        .is_err_and(|e| e.basis == StepBlock::Law));
    }

    fn warned(established: &str) -> CaseFacts {
        let mut f = facts(established);
        f.warning = Some(WarningRecord {
            rule: RuleCode::Gr04,
            issued_on: d("2025-03-03"),
            remedy_deadline: d("2025-04-14"),
            remedied: false,
        });
        f
    }

    #[test]
    fn scenario_42_violation_continuing_after_warning_allows_fine_and_or_lod_or_lob() {
        let pol = LadderPolicy::default();
        let h = LandlordHistory::default();
        let p = next_step(&warned("2025-04-15"), &h, &pol, d("2025-04-15"));
        assert_eq!(p.step, SanctionStep::AdministrativeFine);
        assert_eq!(
            p.alternatives_allowed,
            vec![SanctionStep::PenaltyOrder, SanctionStep::AdministrativeCoercion]
        );
        assert!(p.publication_possible);
        for s in [
            SanctionStep::AdministrativeFine,
            SanctionStep::PenaltyOrder,
            SanctionStep::AdministrativeCoercion,
        ] {
            assert_eq!(check_chosen_step(s, &warned("2025-04-15"), &h, &pol, d("2025-04-15")), Ok(()));
        }
        assert!(check_chosen_step(
            SanctionStep::ManagementTakeover,
            &warned("2025-04-15"),
            &h,
            &pol,
            d("2025-04-15")
        )
        .is_err());
    }

    #[test]
    fn scenario_42_edge_during_the_remedy_term_the_ladder_waits() {
        let pol = LadderPolicy::default();
        let h = LandlordHistory::default();
        let p = next_step(&warned("2025-04-14"), &h, &pol, d("2025-04-14"));
        assert_eq!(p.step, SanctionStep::AwaitRemedyTerm);
        assert!(check_chosen_step(
            SanctionStep::AdministrativeFine,
            &warned("2025-04-14"),
            &h,
            &pol,
            d("2025-04-14")
        )
        .is_err());
    }

    #[test]
    fn serious_first_violations_skip_the_warning() {
        let pol = LadderPolicy::default();
        let h = LandlordHistory::default();
        let mut f = facts("2025-03-03");
        f.aggravating = vec![Aggravation::UnsafeHousing];
        let p = next_step(&f, &h, &pol, d("2025-03-03"));
        assert_eq!(p.step, SanctionStep::AdministrativeCoercion);
        assert!(p.alternatives_allowed.contains(&SanctionStep::AdministrativeFine));
        f.aggravating = vec![Aggravation::LabourExploitation];
        let p = next_step(&f, &h, &pol, d("2025-03-03"));
        assert_eq!(p.step, SanctionStep::PenaltyOrder);
        assert!(p.reasons.iter().any(|r| r.contains("Arbeidsinspectie")));
        // A municipality that does not skip for exploitation gets a warning.
        let pol2 = LadderPolicy { skip_warning_for: vec![Aggravation::UnsafeHousing], ..pol };
        assert_eq!(next_step(&f, &h, &pol2, d("2025-03-03")).step, SanctionStep::Warning);
    }

    #[test]
    fn scenario_45_recidive_proposes_the_higher_fine() {
        let h = LandlordHistory { fines: vec![fine("v-old", "2024-02-01")], warnings: vec![] };
        let p = next_step(&facts("2025-10-01"), &h, &LadderPolicy::default(), d("2025-10-01"));
        assert_eq!(p.step, SanctionStep::RecidiveFine);
        assert!(p.recidive.as_ref().is_some_and(|r| r.is_recidive));
        assert_eq!(
            check_chosen_step(
                SanctionStep::RecidiveFine,
                &facts("2025-10-01"),
                &h,
                &LadderPolicy::default(),
                d("2025-10-01")
            ),
            Ok(())
        );
    }

    #[test]
    fn next_violation_after_an_old_warning_elsewhere_proposes_a_fine() {
        let h = LandlordHistory {
            fines: vec![],
            warnings: vec![WarningRecord {
                rule: RuleCode::Gr06,
                issued_on: d("2024-05-01"),
                remedy_deadline: d("2024-06-12"),
                remedied: true,
            }],
        };
        let p = next_step(&facts("2025-10-01"), &h, &LadderPolicy::default(), d("2025-10-01"));
        assert_eq!(p.step, SanctionStep::AdministrativeFine);
    }

    #[test]
    fn scenario_55_two_fines_and_a_third_violation_within_four_years_gives_ground_g1() {
        let h = LandlordHistory {
            fines: vec![fine("v1", "2024-03-01"), fine("v2", "2025-01-15")],
            warnings: vec![],
        };
        let f = facts("2026-06-01");
        let pol = LadderPolicy::default();
        assert_eq!(
            takeover_grounds(&f, &h, &pol.takeover),
            vec![TakeoverGround::TwoFinesAndFurtherViolation]
        );
        let p = next_step(&f, &h, &pol, d("2026-06-01"));
        assert_eq!(p.step, SanctionStep::ManagementTakeover);
        assert!(p.alternatives_allowed.contains(&SanctionStep::RecidiveFine));
        assert_eq!(
            check_chosen_step(SanctionStep::ManagementTakeover, &f, &h, &pol, d("2026-06-01")),
            Ok(())
        );
    }

    #[test]
    fn scenario_55_edges_one_fine_or_an_old_fine_gives_no_g1() {
        let pol = LadderPolicy::default();
        let f = facts("2026-06-01");
        let one = LandlordHistory { fines: vec![fine("v2", "2025-01-15")], warnings: vec![] };
        assert!(takeover_grounds(&f, &one, &pol.takeover).is_empty());
        let err =
            check_chosen_step(SanctionStep::ManagementTakeover, &f, &one, &pol, d("2026-06-01")).unwrap_err();
        assert_eq!(err.basis, StepBlock::Law);
        let old = LandlordHistory {
            fines: vec![fine("v1", "2022-05-31"), fine("v2", "2025-01-15")],
            warnings: vec![],
        };
        assert!(takeover_grounds(&f, &old, &pol.takeover).is_empty());
        let mut annulled = fine("v1", "2024-03-01");
        annulled.annulled = true;
        let ann = LandlordHistory { fines: vec![annulled, fine("v2", "2025-01-15")], warnings: vec![] };
        assert!(takeover_grounds(&f, &ann, &pol.takeover).is_empty());
    }

    #[test]
    fn licence_refused_while_let_or_revoked_gives_grounds_g2_g3() {
        let pol = LadderPolicy::default();
        let h = LandlordHistory::default();
        let mut f = facts("2025-06-01");
        f.key.rule = RuleCode::NoLicence;
        f.licence_refused_while_let = true;
        assert_eq!(takeover_grounds(&f, &h, &pol.takeover), vec![TakeoverGround::LicenceRefusedWhileLet]);
        f.licence_refused_while_let = false;
        f.licence_revoked = true;
        assert_eq!(takeover_grounds(&f, &h, &pol.takeover), vec![TakeoverGround::LicenceRevoked]);
        assert_eq!(next_step(&f, &h, &pol, d("2025-06-01")).step, SanctionStep::ManagementTakeover);
        // Revoking a licence that is not in force is unlawful.
        assert!(check_chosen_step(SanctionStep::LicenceRevocation, &f, &h, &pol, d("2025-06-01")).is_err());
    }

    #[test]
    fn scenario_57_woningcorporatie_is_referred_not_enforced() {
        let mut f = facts("2025-02-01");
        f.key.rule = RuleCode::Gr03; // intimidation
        f.landlord_kind = LandlordKind::Woningcorporatie;
        let pol = LadderPolicy::default();
        let h = LandlordHistory::default();
        let p = next_step(&f, &h, &pol, d("2025-02-01"));
        assert_eq!(p.step, SanctionStep::ReferToAutoriteitWoningcorporaties);
        assert!(p.alternatives_allowed.is_empty());
        for s in [SanctionStep::Warning, SanctionStep::AdministrativeFine, SanctionStep::PenaltyOrder] {
            assert_eq!(
                check_chosen_step(s, &f, &h, &pol, d("2025-02-01")).unwrap_err().basis,
                StepBlock::Law
            );
        }
        assert_eq!(
            check_chosen_step(
                SanctionStep::ReferToAutoriteitWoningcorporaties,
                &f,
                &h,
                &pol,
                d("2025-02-01")
            ),
            Ok(())
        );
        assert!(check_chosen_step(
            SanctionStep::ReferToAutoriteitWoningcorporaties,
            &facts("2025-02-01"),
            &h,
            &pol,
            d("2025-02-01")
        )
        .is_err());
    }

    #[test]
    fn disabled_steps_are_replaced_and_refused_as_policy() {
        let pol = LadderPolicy {
            disabled_steps: vec![SanctionStep::AdministrativeFine],
            ..LadderPolicy::default()
        };
        let h = LandlordHistory::default();
        let p = next_step(&warned("2025-04-15"), &h, &pol, d("2025-04-15"));
        assert_eq!(p.step, SanctionStep::PenaltyOrder);
        assert!(!p.alternatives_allowed.contains(&SanctionStep::AdministrativeFine));
        assert_eq!(
            check_chosen_step(
                SanctionStep::AdministrativeFine,
                &warned("2025-04-15"),
                &h,
                &pol,
                d("2025-04-15")
            )
            .unwrap_err()
            .basis,
            StepBlock::Policy
        );
    }

    #[test]
    fn ladder_policy_deserialises_with_defaults() {
        let pol: LadderPolicy = serde_json::from_str(r#"{"first_violation_step":"penalty_order"}"#).unwrap();
        assert_eq!(pol.first_violation_step, SanctionStep::PenaltyOrder);
        assert_eq!(pol.takeover.window_years, 4);
        let p = next_step(&facts("2025-03-03"), &LandlordHistory::default(), &pol, d("2025-03-03"));
        assert_eq!(p.step, SanctionStep::PenaltyOrder);
        assert_eq!(p.alternatives_allowed, vec![SanctionStep::Warning]);
    }

    fn deposit_lod() -> LodState {
        LodState::start(&PenaltyOrder {
            rule: RuleCode::Gr04,
            remedial_measures: vec!["Deposit clause: max 2x kale huur".into()],
            purpose: LodPurpose::PreventFurtherViolation,
            issued_on: d("2025-05-06"),
            begunstigingstermijn_days: Some(28),
            sum_kind: SumKind::Once,
            amount: Money::from_euros(5000).unwrap(),
            maximum: None,
            period_forfeit_moment: PeriodForfeitMoment::StartOfPeriod,
        })
        .unwrap()
    }

    #[test]
    fn scenario_58_tenant_change_keeps_case_open_and_lod_effective() {
        let case = EnforcementCase::open(key(RuleCode::Gr04), d("2025-05-01"))
            .apply(&CaseEvent::SetPenaltyOrder { order: deposit_lod() })
            .unwrap();
        let after = case
            .apply(&CaseEvent::TenantChanged { on: d("2025-06-30") })
            .unwrap()
            .apply(&CaseEvent::TenantChanged { on: d("2025-07-01") })
            .unwrap();
        assert!(after.is_open());
        assert!(after.penalty_order_effective());
        assert_eq!(after.penalty_order, case.penalty_order);
        assert_eq!(after.tenant_changes, vec![d("2025-06-30"), d("2025-07-01")]);
        // The new tenant's identical deposit clause is found under the same landlord+address+rule.
        let cases = [after.clone()];
        assert_eq!(open_case_for(&cases, &key(RuleCode::Gr04)), Some(&after));
        assert_eq!(open_case_for(&cases, &key(RuleCode::Gr06)), None);
    }

    #[test]
    fn scenario_58_a_case_cannot_be_closed_because_a_tenant_left() {
        // There is no such close reason: it does not even deserialise.
        let bad = serde_json::from_str::<CloseReason>(r#"{"reason":"tenant_left"}"#);
        assert!(bad.is_err());
        let case = EnforcementCase::open(key(RuleCode::Gr04), d("2025-05-01"));
        assert_eq!(
            case.apply(&CaseEvent::Close {
                on: d("2025-07-01"),
                reason: CloseReason::Disproportionate { motivation: " ".into() }
            }),
            Err(CaseError::MissingMotivation)
        );
        let closed = case
            .apply(&CaseEvent::Close {
                on: d("2025-08-01"),
                reason: CloseReason::Remedied { verified_on: d("2025-08-01") },
            })
            .unwrap();
        assert!(!closed.is_open());
        assert_eq!(
            closed.apply(&CaseEvent::SetPenaltyOrder { order: deposit_lod() }),
            Err(CaseError::Closed)
        );
    }
}
