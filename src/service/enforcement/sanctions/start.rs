//! Starting a sanction for one violation of a case. The step is checked against the ladder:
//! an unlawful step is refused (conflict, with the reason); another lawful step than the
//! proposed one needs a motivation (`/motivation`).

use std::sync::Arc;

use super::start_terms::{
    self, Facts, StartCoercion, StartFine, StartPenaltyOrder, StartTakeover, StartWarning,
};
use crate::db::enforcement::{self as q, SanctionRow};
use crate::domain::code::Code;
use crate::domain::enforcement_policy::EnforcementPolicy;
use crate::domain::ids::address_line;
use crate::domain::ladder::{
    check_chosen_step, next_step, CaseFacts, LandlordHistory, SanctionStep, StepBlock,
};
use crate::domain::sanction_lifecycle::{CaseStatus, SanctionKind};
use crate::error::{AppError, AppResult};
use crate::service::enforcement::ladder::ladder_context;
use crate::service::enforcement::{not_found, notify_landlord};
use crate::service::{Audit, Tx};

/// Occupants an action will displace, and whether replacement housing was arranged.
#[derive(Debug, Clone, Copy)]
pub struct Displacement {
    pub occupants_displaced: u32,
    pub replacement_housing_arranged: bool,
}

/// Start a sanction for `violation_id` of case `case_id`, with the terms of its kind.
pub struct StartSanction {
    pub case_id: String,
    pub violation_id: String,
    pub step: SanctionStep,
    /// Trimmed, not empty.
    pub motivation: Option<String>,
    pub displacement: Option<Displacement>,
    pub warning: Option<StartWarning>,
    pub fine: Option<StartFine>,
    pub penalty_order: Option<StartPenaltyOrder>,
    pub coercion: Option<StartCoercion>,
    pub takeover: Option<StartTakeover>,
    pub policy: Arc<EnforcementPolicy>,
    pub municipality_name: String,
    pub created_by: String,
}

pub fn start_sanction(tx: &mut Tx<'_>, cmd: StartSanction) -> AppResult<SanctionRow> {
    let case =
        q::find_case(tx.conn, &tx.scope, &cmd.case_id)?.ok_or_else(|| not_found("enforcement case"))?;
    if case.status != CaseStatus::Open {
        return Err(AppError::Conflict {
            detail: "the case is closed".into(),
            allowed_actions: Some(vec![]),
        });
    }
    let ctx = ladder_context(tx.conn, &case, &cmd.policy, Some(&cmd.violation_id))?;
    let Some((violation, facts, running)) = ctx.items.into_iter().next() else {
        return Err(AppError::field("/violation_id", "is not an open violation of this case"));
    };
    let Some(kind) = SanctionKind::of_step(cmd.step) else {
        return Err(AppError::field(
            "/step",
            "not a sanction recorded here: licence suspension/revocation goes through the licence routes; \
             a referral or waiting for a remedy term is not a sanction",
        ));
    };
    let proposed = check_ladder(tx, &cmd, kind, &facts, &ctx.history, &running)?;
    let displacement = cmd.displacement;
    let mut row = SanctionRow {
        id: uuid::Uuid::new_v4().to_string(),
        municipality_code: case.municipality_code.clone(),
        case_id: case.id.clone(),
        violation_id: violation.id.clone(),
        landlord_id: case.landlord_id.clone(),
        kind,
        rule: facts.key.rule.as_str().into(),
        violation_date: facts.established_on,
        state_name: String::new(),
        state: String::new(),
        terms: "{}".into(),
        proposed_step: proposed.code().to_string(),
        motivation: cmd.motivation.clone(),
        amount_cents: None,
        offender_kind: None,
        effective_on: tx.today,
        next_deadline: None,
        next_deadline_kind: None,
        last_deadline: None,
        last_deadline_kind: None,
        rapport_date: None,
        decision_date: None,
        final_date: None,
        annulled: false,
        occupants_displaced: displacement.map(|d| i32::try_from(d.occupants_displaced).unwrap_or(i32::MAX)),
        replacement_housing_arranged: displacement.map(|d| d.replacement_housing_arranged),
        created_by: Some(cmd.created_by),
        created_at: tx.now,
        updated_at: tx.now,
        version: 1,
    };
    let address = address_line(&case.postcode, case.house_number, case.house_number_addition.as_deref());
    let f = Facts {
        rule: facts.key.rule,
        violation_date: facts.established_on,
        policy: &cmd.policy,
        municipality: &cmd.municipality_name,
        address: &address,
    };
    let letter = match kind {
        SanctionKind::Warning => {
            let t = cmd.warning.ok_or_else(|| AppError::field("/warning", "is required for a warning"))?;
            start_terms::warning(&mut row, &f, t)?
        }
        SanctionKind::AdministrativeFine => {
            let t = cmd.fine.ok_or_else(|| AppError::field("/fine", "is required for a fine"))?;
            start_terms::fine(tx, &mut row, &f, cmd.step, t)?
        }
        SanctionKind::PenaltyOrder => {
            let t = cmd
                .penalty_order
                .ok_or_else(|| AppError::field("/penalty_order", "is required for a penalty order"))?;
            start_terms::penalty_order(&mut row, &f, t)?
        }
        SanctionKind::AdministrativeCoercion => {
            let t =
                cmd.coercion.ok_or_else(|| AppError::field("/coercion", "is required for bestuursdwang"))?;
            start_terms::coercion(&mut row, &f, t)?
        }
        SanctionKind::ManagementTakeover => {
            let t = cmd
                .takeover
                .ok_or_else(|| AppError::field("/takeover", "is required for a management takeover"))?;
            start_terms::takeover(&mut row, &f, &facts, &ctx.history, t)?
        }
    };
    q::insert_sanction(tx.conn, &row)?;
    q::set_case_stage(tx.conn, &case.id, row.kind.into(), tx.now)?;
    tx.audit(
        Audit::of(Some(&row.municipality_code), "sanction", &row.id, "create")
            .after(serde_json::json!({"kind": row.kind.code(), "state": row.state_name,
                "violation_id": row.violation_id, "proposed_step": row.proposed_step,
                "chosen_step": cmd.step.code(),
                "occupants_displaced": row.occupants_displaced,
                "replacement_housing_arranged": row.replacement_housing_arranged}))
            .reason_opt(cmd.motivation.as_deref()),
    )?;
    if let Some(letter) = letter {
        notify_landlord(tx, &row.landlord_id, &row.municipality_code, &letter)?;
    }
    Ok(row)
}

/// The ladder: law first (conflict), then policy / deviation (motivation); the displacement an
/// intrusive step needs; one running procedure of a kind per violation. Returns the proposed
/// step.
fn check_ladder(
    tx: &Tx<'_>,
    cmd: &StartSanction,
    kind: SanctionKind,
    facts: &CaseFacts,
    history: &LandlordHistory,
    running: &[String],
) -> AppResult<SanctionStep> {
    let step = cmd.step;
    let policy = &cmd.policy;
    let proposal = next_step(facts, history, &policy.ladder, tx.today);
    let motivated = cmd.motivation.as_ref().is_some_and(|m| m.chars().count() >= 20);
    match check_chosen_step(step, facts, history, &policy.ladder, tx.today) {
        Err(e) if e.basis == StepBlock::Law => {
            return Err(AppError::Conflict { detail: format!("unlawful step: {}", e.reason), allowed_actions: None })
        }
        Err(e) if !motivated => {
            return Err(AppError::field(
                "/motivation",
                format!(
                    "this step departs from the municipality's policy; give a motivation (at least 20 characters): {}",
                    e.reason
                ),
            ))
        }
        _ => {}
    }
    if step != proposal.step && !motivated {
        return Err(AppError::field(
            "/motivation",
            format!(
                "the ladder proposes {}; choosing {} needs a motivation (at least 20 characters)",
                proposal.step.code(),
                step.code()
            ),
        ));
    }
    let intrusive = matches!(
        kind,
        SanctionKind::PenaltyOrder | SanctionKind::AdministrativeCoercion | SanctionKind::ManagementTakeover
    );
    if intrusive && cmd.displacement.is_none() {
        return Err(AppError::field(
            "/displacement",
            "record how many occupants this step will displace (0 if none) and whether replacement housing was arranged",
        ));
    }
    // One running penalty order / bestuursdwang / takeover per violation (a fine: Awb 5:43).
    if intrusive {
        let kind = kind.code();
        if let Some(r) = running.iter().find(|r| r.starts_with(&format!("{kind} "))) {
            return Err(AppError::Conflict {
                detail: format!("a {kind} for this violation is still running: {r}"),
                allowed_actions: None,
            });
        }
    }
    Ok(proposal.step)
}
