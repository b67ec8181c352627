//! Which decisions on an application are permitted, and why not (scenarios 13–15).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::application::DecisionOutcome;
use super::bibob::{BibobCheck, BibobOutcome, BibobStatus};
use super::screening::{RefusalGround, ScreeningFlags};
use super::voorschriften::{validate_voorschrift, Voorschrift, VoorschriftError, VoorschriftKind};
use crate::domain::ruleset::LicenceKind;

/// What the officer proposes to decide.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DecisionRequest {
    pub outcome: DecisionOutcome,
    pub decided_on: NaiveDate,
    #[serde(default)]
    pub refusal_grounds: Vec<RefusalGround>,
    #[serde(default)]
    pub voorschriften: Vec<Voorschrift>,
    /// Motivation of the decision (Awb 3:46); required for a refusal.
    #[serde(default)]
    pub motivation: Option<String>,
    /// Why a Bibob refusal is proportionate to the danger (Wet Bibob art. 3 lid 5).
    #[serde(default)]
    pub proportionality_motivation: Option<String>,
}

/// Facts the decision depends on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DecisionContext {
    pub licence_kind: LicenceKind,
    /// Zelfstandige woonruimte (decides whether a maximum rent condition is possible).
    pub self_contained: bool,
    pub bibob: BibobCheck,
    pub screening: ScreeningFlags,
}

/// Why a proposed decision may not be taken (HTTP 422, one entry per problem).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "code")]
pub enum DecisionBlock {
    /// The Bibob check is still under way.
    BibobInProgress,
    RefusalWithoutGround,
    RefusalWithoutMotivation,
    /// A refusal ground was chosen that the screening did not flag.
    GroundNotEstablished {
        ground: RefusalGround,
    },
    /// Bibob refusal needs serious danger (Wet Bibob art. 3 lid 1); lesser danger allows
    /// only voorschriften (scenario 14).
    BibobRefusalWithoutSeriousDanger,
    /// Wet Bibob art. 33: zienswijze before a Bibob refusal or Bibob voorschriften.
    ZienswijzeMissing,
    /// Wet Bibob art. 3 lid 5: proportionality motivation missing.
    ProportionalityMotivationMissing,
    /// Bibob voorschriften only for a lesser degree of danger (art. 3 lid 7).
    BibobConditionsWithoutLesserDanger,
    /// `granted_with_conditions` without voorschriften.
    ConditionsMissing,
    /// Voorschriften on a plain grant or a refusal: use `granted_with_conditions`.
    ConditionsNotExpected,
    /// A voorschrift outside the catalogue (index into `voorschriften`).
    InvalidVoorschrift {
        index: usize,
        error: VoorschriftError,
    },
}

fn blank(s: &Option<String>) -> bool {
    s.as_deref().is_none_or(|t| t.trim().is_empty())
}

/// Whether the proposed decision is permitted (scenarios 13–15). Returns every problem.
pub fn check_decision(ctx: &DecisionContext, req: &DecisionRequest) -> Result<(), Vec<DecisionBlock>> {
    let mut blocks = Vec::new();
    let bibob = &ctx.bibob;
    if bibob.status.in_progress() {
        blocks.push(DecisionBlock::BibobInProgress);
    }
    let outcome = if bibob.status == BibobStatus::Completed { bibob.outcome } else { None };
    // Wet Bibob art. 33: the zienswijze must precede the decision.
    let zienswijze_done = bibob.zienswijze_invited_on.is_some_and(|d| d < req.decided_on);

    match req.outcome {
        DecisionOutcome::Refused => {
            if req.refusal_grounds.is_empty() {
                blocks.push(DecisionBlock::RefusalWithoutGround);
            }
            if blank(&req.motivation) {
                blocks.push(DecisionBlock::RefusalWithoutMotivation);
            }
            if !req.voorschriften.is_empty() {
                blocks.push(DecisionBlock::ConditionsNotExpected);
            }
            let flagged = ctx.screening.grounds();
            for ground in &req.refusal_grounds {
                if *ground == RefusalGround::BibobSeriousDanger {
                    if !outcome.is_some_and(BibobOutcome::is_serious) {
                        blocks.push(DecisionBlock::BibobRefusalWithoutSeriousDanger);
                    }
                    if !zienswijze_done {
                        blocks.push(DecisionBlock::ZienswijzeMissing);
                    }
                    if blank(&req.proportionality_motivation) {
                        blocks.push(DecisionBlock::ProportionalityMotivationMissing);
                    }
                } else if !flagged.contains(ground) {
                    blocks.push(DecisionBlock::GroundNotEstablished { ground: *ground });
                }
            }
        }
        DecisionOutcome::Granted => {
            if !req.voorschriften.is_empty() {
                blocks.push(DecisionBlock::ConditionsNotExpected);
            }
        }
        DecisionOutcome::GrantedWithConditions => {
            if req.voorschriften.is_empty() {
                blocks.push(DecisionBlock::ConditionsMissing);
            }
            for (index, v) in req.voorschriften.iter().enumerate() {
                if let Err(error) = validate_voorschrift(ctx.licence_kind, v, ctx.self_contained) {
                    blocks.push(DecisionBlock::InvalidVoorschrift { index, error });
                }
            }
            let has_bibob_conditions =
                req.voorschriften.iter().any(|v| v.kind == VoorschriftKind::BibobDangerLimitation);
            if has_bibob_conditions {
                if outcome != Some(BibobOutcome::LesserDanger) {
                    blocks.push(DecisionBlock::BibobConditionsWithoutLesserDanger);
                }
                if !zienswijze_done {
                    blocks.push(DecisionBlock::ZienswijzeMissing);
                }
            }
        }
    }
    if blocks.is_empty() {
        Ok(())
    } else {
        Err(blocks)
    }
}

/// Outcomes that can be chosen on these facts (for the officer's screen). Refusal appears only
/// when a ground is available; grant is always possible (refusal grounds are discretionary).
pub fn permitted_outcomes(ctx: &DecisionContext) -> Vec<DecisionOutcome> {
    if ctx.bibob.status.in_progress() {
        return Vec::new();
    }
    let serious =
        ctx.bibob.status == BibobStatus::Completed && ctx.bibob.outcome.is_some_and(BibobOutcome::is_serious);
    let mut out = vec![DecisionOutcome::Granted, DecisionOutcome::GrantedWithConditions];
    if serious || !ctx.screening.grounds().is_empty() {
        out.push(DecisionOutcome::Refused);
    }
    out
}
