//! A notice of default (ingebrekestelling) on an application whose decision term lapsed, and
//! what follows from it: the dwangsom for a late decision runs (Awb 4:17), the officer either
//! records that none is due on a ground of Awb 4:17 lid 6, or fixes its amount by beschikking
//! once it stopped running (Awb 4:18); the landlord receives that beschikking with its objection
//! term. Every step is audited on the application.

use chrono::NaiveDate;

use super::{
    claim, letter_address, notify_landlord, rules_on, save_application, view, ApplicationView, Rules,
};
use crate::db::late_decision::{self as store, DefaultNotice};
use crate::db::licensing::Application;
use crate::db::properties::Viewer;
use crate::domain::awb::{objection_term_ends, DWANGSOM_MAX_DAYS};
use crate::domain::calendar::add_days_signed;
use crate::domain::code::Code;
use crate::domain::deadlines::{check_fixed_amount, penalty_status, NoPenaltyGround, PenaltyStatus};
use crate::domain::licensing_codes::OPEN_STATES;
use crate::domain::money::Money;
use crate::error::{AppError, AppResult};
use crate::letters::late_decision::LateDecisionPenaltyFixed;
use crate::service::Tx;

/// The dwangsom of an application with a notice of default on `today`: it stops on the day the
/// application is decided, or withdrawn (nothing is left to decide). `None` when the notice came
/// before the due date (not recorded so).
pub fn status_of(
    app: &Application,
    notice: &DefaultNotice,
    today: NaiveDate,
    rules: &crate::domain::ruleset::RuleSet,
) -> Option<PenaltyStatus> {
    let stop = app.decided_on.or(notice.withdrawn_on);
    penalty_status(notice.decision_due_on, notice.received_on, stop, today, &rules.calendar()).ok()
}

/// Notes the withdrawal of an application on its notice of default, if it has one: the dwangsom
/// stops today. Called by the withdrawal, in its transaction.
pub(crate) fn on_withdrawn(tx: &mut Tx, application_id: &str) -> AppResult<()> {
    let Some(mut notice) = store::find(tx.conn, application_id)? else {
        return Ok(());
    };
    if notice.withdrawn_on.is_none() {
        notice.withdrawn_on = Some(tx.today);
        notice.updated_at = tx.now;
        store::update(tx.conn, &notice)?;
    }
    Ok(())
}

fn existing(tx: &mut Tx, app: &Application) -> AppResult<DefaultNotice> {
    store::find(tx.conn, &app.id)?
        .ok_or_else(|| AppError::conflict("no notice of default is recorded for this application"))
}

fn not_in_future(today: NaiveDate, date: NaiveDate, pointer: &str) -> AppResult<()> {
    if date > today {
        return Err(AppError::field(pointer, format!("lies in the future (today is {today})")));
    }
    Ok(())
}

/// Records a received notice of default.
#[derive(Debug, Clone)]
pub struct RecordNotice {
    pub viewer: Viewer,
    pub id: String,
    pub received_on: NaiveDate,
    pub rules: Rules,
}

/// One notice per application, on an undecided application, received after its decision date.
pub fn record_notice(tx: &mut Tx, cmd: RecordNotice) -> AppResult<ApplicationView> {
    let today = tx.today;
    let mut app = claim(tx, &cmd.id, &cmd.viewer)?;
    if store::find(tx.conn, &app.id)?.is_some() {
        return Err(AppError::conflict("a notice of default is already recorded for this application"));
    }
    if !OPEN_STATES.contains(&app.state) {
        return Err(AppError::conflict(format!(
            "the application is {}; a notice of default concerns an undecided application",
            app.state.code()
        )));
    }
    not_in_future(today, cmd.received_on, "/received_on")?;
    let Some(due) = app.decision_due_on else {
        return Err(AppError::conflict("the application has no decision term yet"));
    };
    if cmd.received_on <= due {
        return Err(AppError::field(
            "/received_on",
            format!("must be after the decision due date {due} (Awb 4:17: the term must have lapsed)"),
        ));
    }
    let notice = DefaultNotice {
        application_id: app.id.clone(),
        municipality_code: app.municipality_code.clone(),
        received_on: cmd.received_on,
        decision_due_on: due,
        withdrawn_on: None,
        no_penalty_ground: None,
        no_penalty_motivation: None,
        penalty_decided_on: None,
        penalty_amount_cents: None,
        penalty_deviation_motivation: None,
        penalty_objection_ends_on: None,
        created_at: tx.now,
        updated_at: tx.now,
    };
    store::insert(tx.conn, &notice)?;
    let rules = rules_on(&cmd.rules, app.submitted_on.unwrap_or(today))?;
    let first_day = status_of(&app, &notice, today, rules).map(|s| s.penalty.first_day);
    let after = serde_json::json!({"notice_received_on": cmd.received_on, "decision_due_on": due,
        "first_penalty_day": first_day});
    save_application(tx, &mut app, "record_notice_of_default", None, after)?;
    view(tx, app)
}

/// Records that no dwangsom is due (Awb 4:17 lid 6).
#[derive(Debug, Clone)]
pub struct RecordNoPenalty {
    pub viewer: Viewer,
    pub id: String,
    pub ground: NoPenaltyGround,
    pub motivation: String,
}

pub fn record_no_penalty(tx: &mut Tx, cmd: RecordNoPenalty) -> AppResult<ApplicationView> {
    let mut app = claim(tx, &cmd.id, &cmd.viewer)?;
    let mut notice = existing(tx, &app)?;
    if notice.no_penalty_ground.is_some() || notice.penalty_decided_on.is_some() {
        return Err(AppError::conflict("the dwangsom for this notice of default is already decided"));
    }
    let motivation = cmd.motivation.trim().to_string();
    if motivation.is_empty() {
        return Err(AppError::field("/motivation", "must not be blank"));
    }
    notice.no_penalty_ground = Some(cmd.ground);
    notice.no_penalty_motivation = Some(motivation.clone());
    notice.updated_at = tx.now;
    store::update(tx.conn, &notice)?;
    let after = serde_json::json!({"no_penalty_ground": cmd.ground.code(), "motivation": motivation});
    save_application(tx, &mut app, "record_no_late_decision_penalty", None, after)?;
    view(tx, app)
}

/// Fixes the dwangsom by beschikking (Awb 4:18).
#[derive(Debug, Clone)]
pub struct FixPenalty {
    pub viewer: Viewer,
    pub id: String,
    pub decided_on: NaiveDate,
    pub amount: Money,
    pub deviation_motivation: Option<String>,
    pub rules: Rules,
}

pub fn fix_penalty(tx: &mut Tx, cmd: FixPenalty) -> AppResult<ApplicationView> {
    let today = tx.today;
    let mut app = claim(tx, &cmd.id, &cmd.viewer)?;
    let mut notice = existing(tx, &app)?;
    if notice.no_penalty_ground.is_some() || notice.penalty_decided_on.is_some() {
        return Err(AppError::conflict("the dwangsom for this notice of default is already decided"));
    }
    not_in_future(today, cmd.decided_on, "/decided_on")?;
    if cmd.decided_on < notice.received_on {
        return Err(AppError::field(
            "/decided_on",
            format!("lies before the notice of default was received ({})", notice.received_on),
        ));
    }
    let rules = rules_on(&cmd.rules, app.submitted_on.unwrap_or(today))?;
    let status = status_of(&app, &notice, today, rules)
        .ok_or_else(|| AppError::conflict("no dwangsom can be computed for this application"))?;
    if status.running {
        return Err(AppError::conflict(format!(
            "the dwangsom still runs; fix it once the application is decided or the maximum is reached \
             (at the latest on {})",
            add_days_signed(status.penalty.first_day, DWANGSOM_MAX_DAYS - 1)
        )));
    }
    if status.penalty.days == 0 {
        return Err(AppError::conflict(
            "no dwangsom is due: the application was decided before its first day",
        ));
    }
    let deviation = cmd.deviation_motivation.as_deref().map(str::trim).filter(|m| !m.is_empty());
    check_fixed_amount(status.penalty.amount, cmd.amount, deviation)
        .map_err(|e| AppError::field("/amount_cents", e.to_string()))?;
    let objection_end = objection_term_ends(cmd.decided_on, &rules.calendar());
    notice.penalty_decided_on = Some(cmd.decided_on);
    notice.penalty_amount_cents = Some(cmd.amount.cents());
    notice.penalty_deviation_motivation = deviation.map(str::to_string);
    notice.penalty_objection_ends_on = Some(objection_end);
    notice.updated_at = tx.now;
    store::update(tx.conn, &notice)?;
    let after = serde_json::json!({"penalty_decided_on": cmd.decided_on, "amount_cents": cmd.amount.cents(),
        "computed_cents": status.penalty.amount.cents(), "deviation_motivation": deviation,
        "objection_period_ends_on": objection_end});
    save_application(tx, &mut app, "fix_late_decision_penalty", None, after)?;
    let address = letter_address(tx, &app)?;
    let letter = LateDecisionPenaltyFixed {
        address: &address,
        notice_received_on: notice.received_on,
        decided_on: cmd.decided_on,
        days: status.penalty.days,
        amount: cmd.amount,
        deviation: deviation.unwrap_or(""),
        objection_end,
        application_id: &app.id,
    }
    .letter()?;
    notify_landlord(tx, &app, &letter)?;
    view(tx, app)
}
