//! The steps of an application between draft and decision: submit, ask for and supply missing
//! information (Awb 4:5, 4:15), extend the decision term once (Awb 4:14), start the review,
//! withdraw, and not consider (Awb 4:5).

use chrono::NaiveDate;

use crate::db::properties::Viewer;
use crate::domain::code::Code;
use crate::domain::deadlines::{
    not_considered_due_on, objection_period_end, DecisionClock, ExtensionError, Suspension,
};
use crate::domain::licensing::{Action, ActionKind, ApplicationState};
use crate::domain::ruleset::AddressQuery;
use crate::error::{AppError, AppResult};
use crate::letters::licensing::{ApplicationReceived, InformationNeeded, NotConsidered, TermExtended};
use crate::service::Tx;

use super::applications::{replace_occupancy, PlannedOccupancy};
use super::{
    address_line, claim, conflict, letter_address, load_property, next_state, notify_landlord, require_clock,
    rules_on, save_application, store_clock, view, ApplicationView, Rules,
};

/// Submit a draft: the decision term starts today (Awb 4:13).
#[derive(Clone)]
pub struct Submit {
    pub viewer: Viewer,
    pub id: String,
    pub rules: Rules,
}

pub fn submit(tx: &mut Tx, cmd: Submit) -> AppResult<ApplicationView> {
    let today = tx.today;
    let rules = rules_on(&cmd.rules, today)?;
    let mut app = claim(tx, &cmd.id, &cmd.viewer)?;
    let next = next_state(&app, Action::Submit)?;
    let property = load_property(tx, &app.property_id)?;
    let housing_corporation = crate::db::accounts::is_housing_corporation(tx.conn, &app.landlord_id)?;
    let requirement = rules.licence_required(&AddressQuery {
        postcode: &property.postcode,
        house_number: u32::try_from(property.house_number).unwrap_or(0),
        neighbourhood_code: property.neighbourhood_code.as_deref(),
        is_housing_corporation: housing_corporation,
        houses_labour_migrants: app.kind == crate::domain::ruleset::LicenceKind::LabourMigrant,
    });
    if !requirement.required_kinds.contains(&app.kind) {
        let why = if housing_corporation {
            "the landlord is a housing corporation (toegelaten instelling), which needs no licence"
                .to_string()
        } else {
            format!(
                "no {} licence is required at this address under the rule set in force since {}",
                app.kind.code(),
                rules.valid_from
            )
        };
        return Err(AppError::field("/kind", why));
    }
    let clock = DecisionClock::new(today, rules);
    let before = app.state;
    app.state = next;
    app.submitted_on = Some(today);
    store_clock(&mut app, &clock, rules, today)?;
    let due = app.decision_due_on.unwrap_or(today);
    let after = serde_json::json!({"state": app.state.code(), "decision_due_on": due});
    save_application(tx, &mut app, "submit", Some(before), after)?;
    let letter = ApplicationReceived {
        kind: app.kind.code(),
        address: &address_line(&property),
        received_on: today,
        due,
        application_id: &app.id,
    }
    .letter()?;
    notify_landlord(tx, &app, &letter)?;
    view(tx, app)
}

/// Ask the landlord for missing information (Awb 4:5); the term is suspended (Awb 4:15 lid 1 a).
#[derive(Clone)]
pub struct RequestInformation {
    pub viewer: Viewer,
    pub id: String,
    /// What is missing, as the landlord will read it.
    pub what: String,
    /// The hersteltermijn: after today.
    pub respond_by: NaiveDate,
    pub rules: Rules,
}

pub fn request_information(tx: &mut Tx, cmd: RequestInformation) -> AppResult<ApplicationView> {
    let today = tx.today;
    if cmd.respond_by <= today {
        return Err(AppError::field("/respond_by", "must be after today"));
    }
    let what = cmd.what.trim();
    if what.is_empty() {
        return Err(AppError::field("/what", "must not be blank"));
    }
    let mut app = claim(tx, &cmd.id, &cmd.viewer)?;
    let next = next_state(&app, Action::RequestInformation)?;
    let rules = rules_on(&cmd.rules, app.submitted_on.unwrap_or(today))?;
    let mut clock = require_clock(&app)?;
    clock.suspensions.push(Suspension::AwaitingSupplement {
        invited_on: today,
        respond_by: Some(cmd.respond_by),
        supplemented_on: None,
    });
    let before = app.state;
    app.state = next;
    app.information_requested = Some(what.to_string());
    app.information_respond_by = Some(cmd.respond_by);
    app.not_considered_due_on = Some(not_considered_due_on(cmd.respond_by, &rules.calendar()));
    store_clock(&mut app, &clock, rules, today)?;
    let after = serde_json::json!({"state": app.state.code(), "respond_by": cmd.respond_by,
        "decision_due_on": app.decision_due_on, "not_considered_due_on": app.not_considered_due_on});
    save_application(tx, &mut app, "request_information", Some(before), after)?;
    let address = letter_address(tx, &app)?;
    let letter =
        InformationNeeded { address: &address, what, respond_by: cmd.respond_by, application_id: &app.id }
            .letter()?;
    notify_landlord(tx, &app, &letter)?;
    view(tx, app)
}

/// The landlord supplies what was missing: the decision term runs again.
#[derive(Clone)]
pub struct SupplyInformation {
    pub viewer: Viewer,
    pub id: String,
    pub planned_occupancy: Option<Vec<PlannedOccupancy>>,
    pub monthly_rent_cents: Option<i64>,
    pub rules: Rules,
}

pub fn supply_information(tx: &mut Tx, cmd: SupplyInformation) -> AppResult<ApplicationView> {
    let today = tx.today;
    let mut app = claim(tx, &cmd.id, &cmd.viewer)?;
    let next = next_state(&app, Action::SupplyInformation)?;
    let rules = rules_on(&cmd.rules, app.submitted_on.unwrap_or(today))?;
    if let Some(o) = &cmd.planned_occupancy {
        replace_occupancy(tx, &app, o)?;
    }
    if let Some(r) = cmd.monthly_rent_cents {
        app.monthly_rent_cents = Some(r);
    }
    let mut clock = require_clock(&app)?;
    for s in clock.suspensions.iter_mut() {
        if let Suspension::AwaitingSupplement { supplemented_on: end @ None, .. } = s {
            *end = Some(today);
        }
    }
    let before = app.state;
    app.state = next;
    app.information_requested = None;
    app.information_respond_by = None;
    app.not_considered_due_on = None;
    store_clock(&mut app, &clock, rules, today)?;
    let after = serde_json::json!({"state": app.state.code(), "decision_due_on": app.decision_due_on});
    save_application(tx, &mut app, "supply_information", Some(before), after)?;
    view(tx, app)
}

/// The one announced extension of the decision term (Awb 4:14 lid 3).
#[derive(Clone)]
pub struct ExtendTerm {
    pub viewer: Viewer,
    pub id: String,
    pub weeks: u32,
    /// Why the decision cannot be taken in time (sent to the landlord).
    pub reason: String,
    pub rules: Rules,
}

pub fn extend_term(tx: &mut Tx, cmd: ExtendTerm) -> AppResult<ApplicationView> {
    let reason = cmd.reason.trim();
    if reason.is_empty() {
        return Err(AppError::field("/reason", "must not be blank"));
    }
    let today = tx.today;
    let mut app = claim(tx, &cmd.id, &cmd.viewer)?;
    next_state(&app, Action::ExtendTerm)?;
    let rules = rules_on(&cmd.rules, app.submitted_on.unwrap_or(today))?;
    let mut clock = require_clock(&app)?;
    let old_due = app.decision_due_on;
    clock.extend(today, cmd.weeks, rules, &rules.calendar()).map_err(|e| match e {
        ExtensionError::Zero | ExtensionError::TooLong { .. } => AppError::field("/weeks", e.to_string()),
        other => AppError::Conflict { detail: other.to_string(), allowed_actions: None },
    })?;
    app.extension_reason = Some(reason.to_string());
    store_clock(&mut app, &clock, rules, today)?;
    let after = serde_json::json!({"weeks": cmd.weeks, "decision_due_on": app.decision_due_on,
        "previous_due_on": old_due});
    save_application(tx, &mut app, "extend_term", None, after)?;
    let address = letter_address(tx, &app)?;
    let letter = TermExtended {
        address: &address,
        weeks: cmd.weeks,
        reason,
        due: app.decision_due_on.unwrap_or(today),
        application_id: &app.id,
    }
    .letter()?;
    notify_landlord(tx, &app, &letter)?;
    view(tx, app)
}

/// A step without data or letter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// The officer starts the assessment of a submitted application.
    StartReview,
    /// The landlord withdraws the application, at any time before the decision.
    Withdraw,
}

#[derive(Debug, Clone)]
pub struct TakeStep {
    pub viewer: Viewer,
    pub id: String,
    pub step: Step,
}

pub fn take_step(tx: &mut Tx, cmd: TakeStep) -> AppResult<ApplicationView> {
    let (action, audit_action) = match cmd.step {
        Step::StartReview => (Action::StartReview, "start_review"),
        Step::Withdraw => (Action::Withdraw, "withdraw"),
    };
    let mut app = claim(tx, &cmd.id, &cmd.viewer)?;
    let next = next_state(&app, action)?;
    let before = app.state;
    app.state = next;
    if next == ApplicationState::Withdrawn {
        app.decision_due_on = None;
    }
    let after = serde_json::json!({"state": app.state.code()});
    save_application(tx, &mut app, audit_action, Some(before), after)?;
    if next == ApplicationState::Withdrawn {
        super::late_decision::on_withdrawn(tx, &app.id)?;
    }
    view(tx, app)
}

/// Decide not to consider the application: the information was not supplied within the term
/// (Awb 4:5). Only after that term has lapsed.
#[derive(Clone)]
pub struct NotConsider {
    pub viewer: Viewer,
    pub id: String,
    pub motivation: String,
    pub rules: Rules,
}

pub fn not_consider(tx: &mut Tx, cmd: NotConsider) -> AppResult<ApplicationView> {
    let today = tx.today;
    let mut app = claim(tx, &cmd.id, &cmd.viewer)?;
    let next = next_state(&app, Action::NotConsidered)?;
    if let Some(by) = app.information_respond_by.filter(|by| today <= *by) {
        return Err(conflict(
            format!("the term to supply the information runs until {by}; decide after it lapsed"),
            &[ActionKind::SupplyInformation, ActionKind::ExtendTerm, ActionKind::Withdraw],
        ));
    }
    let rules = rules_on(&cmd.rules, app.submitted_on.unwrap_or(today))?;
    let objection_end = objection_period_end(today, rules.objection_weeks, &rules.calendar());
    let motivation = cmd.motivation.trim();
    let before = app.state;
    app.state = next;
    app.decision_outcome = Some(ApplicationState::NotConsidered);
    app.decided_on = Some(today);
    app.motivation = Some(motivation.to_string());
    app.objection_period_ends_on = Some(objection_end);
    let after = serde_json::json!({"state": app.state.code(), "objection_period_ends_on": objection_end});
    save_application(tx, &mut app, "not_considered", Some(before), after)?;
    let address = letter_address(tx, &app)?;
    let letter =
        NotConsidered { address: &address, motivation, objection_end, application_id: &app.id }.letter()?;
    notify_landlord(tx, &app, &letter)?;
    view(tx, app)
}
