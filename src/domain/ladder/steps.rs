//! The next lawful step for a case (`next_step`), the beheerovername grounds, and the check of a
//! step an officer chose (`check_chosen_step`: unlawful or a departure from policy).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::model::{
    Aggravation, CaseFacts, LadderPolicy, LandlordHistory, LandlordKind, Proposal, SanctionStep,
    TakeoverGround, TakeoverPolicy,
};
use crate::domain::calendar::sub_years_sat;
use crate::domain::fines::{determine_recidive, RecidiveFinding};

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
