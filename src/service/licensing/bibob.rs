//! The integrity check (Wet Bibob) of an application, for the Bibob officer only. The audit
//! trail records that the check changed, not how; the applicant hears only that LBB advice was
//! requested (art. 32).

use chrono::NaiveDate;

use crate::db::licensing::{self as store, BibobRow};
use crate::db::properties::Viewer;
use crate::domain::code::Code;
use crate::domain::deadlines::{lbb_advice_due_on, Suspension};
use crate::domain::licensing::{bibob_transition, BibobAction, BibobDuty, BibobStatus};
use crate::domain::licensing_codes::OPEN_STATES;
use crate::error::{AppError, AppResult};
use crate::letters::licensing::BibobAdviceRequested;
use crate::service::{Audit, Tx};

use super::{address_line, load, not_found, notify_landlord, require_clock, rules_on, store_clock, Rules};

/// Wet Bibob art. 15 lid 3: the LBB may extend its advice term once by at most this many weeks.
pub use crate::domain::deadlines::BIBOB_MAX_EXTENSION_WEEKS as LBB_MAX_EXTENSION_WEEKS;

/// The check of one application: its id and the stored row (none: not started).
pub fn show(tx: &mut Tx, id: &str, viewer: &Viewer) -> AppResult<(String, Option<BibobRow>)> {
    let app = load(tx, id, viewer)?;
    let row = store::find_bibob(tx.conn, &app.id)?;
    Ok((app.id, row))
}

/// One step of the check and/or recorded facts.
#[derive(Clone)]
pub struct UpdateBibob {
    pub viewer: Viewer,
    pub id: String,
    pub action: Option<BibobAction>,
    /// The applicant was invited to give a zienswijze (art. 33); not in the future.
    pub zienswijze_invited_on: Option<NaiveDate>,
    /// The LBB notified an extension of its term (art. 15 lid 3), 0–4 weeks.
    pub lbb_extension_weeks: Option<u32>,
    pub findings: Option<String>,
    pub rules: Rules,
}

/// Records the step; answers with the application id, the check as stored and the
/// application's new version (the check changes the application: its ETag moves on).
pub fn update(tx: &mut Tx, cmd: UpdateBibob) -> AppResult<(String, Option<BibobRow>, i32)> {
    let today = tx.today;
    if cmd.lbb_extension_weeks.is_some_and(|w| w > LBB_MAX_EXTENSION_WEEKS) {
        return Err(AppError::field(
            "/lbb_extension_weeks",
            "the LBB may extend its term by at most 4 weeks (Wet Bibob art. 15 lid 3)",
        ));
    }
    if cmd.zienswijze_invited_on.is_some_and(|d| d > today) {
        return Err(AppError::field("/zienswijze_invited_on", "cannot be in the future"));
    }
    let mut app = store::find_application(tx.conn, &cmd.id, &cmd.viewer)?.ok_or_else(not_found)?;
    super::claim_loaded(tx, &mut app)?;
    if !OPEN_STATES.contains(&app.state) {
        return Err(AppError::Conflict {
            detail: format!(
                "the Bibob check can only change while the application is undecided; it is {}",
                app.state.code()
            ),
            allowed_actions: Some(vec![]),
        });
    }
    let mut row = store::find_bibob(tx.conn, &app.id)?.unwrap_or(BibobRow {
        application_id: app.id.clone(),
        municipality_code: app.municipality_code.clone(),
        status: BibobStatus::NotStarted,
        outcome: None,
        zienswijze_invited_on: None,
        lbb_requested_on: None,
        lbb_received_on: None,
        lbb_extension_weeks: 0,
        findings: None,
        updated_at: tx.now,
        lbb_advice_due_on: None,
    });
    let rules = rules_on(&cmd.rules, app.submitted_on.unwrap_or(today))?;
    let mut clock = match app.decision_clock {
        Some(_) => require_clock(&app)?,
        None => return Err(AppError::internal(anyhow::anyhow!("undecided application without a clock"))),
    };
    let mut notify = false;
    if let Some(action) = cmd.action {
        let t = bibob_transition(row.status, action).map_err(|e| AppError::Conflict {
            detail: format!("{} is not possible while the check is {}", e.action.code(), e.from.code()),
            allowed_actions: Some(e.allowed.iter().map(|k| k.code().to_string()).collect()),
        })?;
        row.status = t.to;
        if let Some(o) = t.outcome {
            row.outcome = Some(o);
        }
        for duty in t.duties {
            match duty {
                BibobDuty::SuspendDecisionTerm => {
                    row.lbb_requested_on = Some(today);
                    clock.suspensions.push(Suspension::BibobAdvice {
                        requested_on: today,
                        received_on: None,
                        lbb_extension_weeks: 0,
                        lbb_suspended_days: 0,
                    });
                }
                BibobDuty::ResumeDecisionTerm => {
                    row.lbb_received_on = Some(today);
                    for s in clock.suspensions.iter_mut() {
                        if let Suspension::BibobAdvice { received_on: end @ None, .. } = s {
                            *end = Some(today);
                        }
                    }
                }
                BibobDuty::NotifyApplicantOfLbbRequest => notify = true,
            }
        }
    }
    if let Some(w) = cmd.lbb_extension_weeks {
        row.lbb_extension_weeks = i32::try_from(w).unwrap_or(0);
        for s in clock.suspensions.iter_mut() {
            if let Suspension::BibobAdvice { received_on: None, lbb_extension_weeks, .. } = s {
                *lbb_extension_weeks = w;
            }
        }
    }
    if let Some(z) = cmd.zienswijze_invited_on {
        row.zienswijze_invited_on = Some(z);
    }
    if let Some(f) = &cmd.findings {
        row.findings = Some(f.clone()).filter(|f| !f.trim().is_empty());
    }
    // Wet Bibob art. 15 lid 1 and 3: 8 weeks after the request, later by the extension.
    row.lbb_advice_due_on = row.lbb_requested_on.map(|requested| {
        let weeks = u32::try_from(row.lbb_extension_weeks).unwrap_or(0);
        lbb_advice_due_on(requested, weeks, 0, &rules.calendar())
    });
    row.updated_at = tx.now;
    store::save_bibob(tx.conn, &row)?;
    app.bibob_pending = row.status.in_progress();
    store_clock(&mut app, &clock, rules, today)?;
    app.updated_at = tx.now;
    store::update_application(tx.conn, &app)?;
    // The audit trail says that the check changed and by whom; its content stays here.
    tx.audit(Audit::of(Some(&app.municipality_code), "bibob_check", &app.id, "update"))?;
    if notify {
        let address = crate::db::properties::find(tx.conn, &app.property_id)?
            .map(|p| address_line(&p))
            .unwrap_or_default();
        let letter = BibobAdviceRequested {
            address: &address,
            due: app.decision_due_on.unwrap_or(today),
            application_id: &app.id,
        }
        .letter()?;
        notify_landlord(tx, &app, &letter)?;
    }
    let stored = store::find_bibob(tx.conn, &row.application_id)?;
    Ok((app.id, stored, app.version))
}
