//! Licensing (vergunningverlening, Wgv art. 5): properties, licence applications from draft to
//! decision (the decision clock of Awb 4:13–4:15, Wet Bibob art. 31 and the Atw), the Bibob
//! check, documents, licences and their measures, and the public register. Every state change
//! is audited through the unit of work, and the landlord hears of it by a letter queued in the
//! same transaction.

pub mod applications;
pub mod assessment;
pub mod bibob;
pub mod deadlines;
pub mod decide;
pub mod documents;
pub mod late_decision;
pub mod licences;
pub mod lifecycle;
pub mod properties;
pub mod register;

use std::collections::HashMap;
use std::sync::Arc;

use chrono::NaiveDate;

use crate::db::licensing::{self as store, Application, OccupancyRow};
use crate::db::properties::{self as property_store, Property, Viewer};
use crate::domain::code::Code;
use crate::domain::deadlines::{DecisionClock, Suspension};
use crate::domain::licensing::{self as lic, Action, ActionKind, ApplicationState};
use crate::domain::roles::Role;
use crate::domain::ruleset::{RuleSet, RuleSetHistory};
use crate::error::{AppError, AppResult};
use crate::letters::Letter;
use crate::service::{Audit, Tx};

/// The municipality's rule set (all versions), lent to the use cases that apply it.
pub type Rules = Arc<RuleSetHistory>;

/// The rule set in force on `date` (the earliest version for older dates).
pub fn rules_on(rules: &RuleSetHistory, date: NaiveDate) -> AppResult<&RuleSet> {
    rules
        .in_force_or_first(date)
        .ok_or_else(|| AppError::internal(anyhow::anyhow!("the rule set has no versions")))
}

/// Route verb of an action (`request-information`), as named in 409 `allowed_actions`.
pub fn verb(k: ActionKind) -> String {
    k.code().replace('_', "-")
}

pub(crate) fn conflict(detail: impl Into<String>, allowed: &[ActionKind]) -> AppError {
    AppError::Conflict {
        detail: detail.into(),
        allowed_actions: Some(allowed.iter().map(|k| verb(*k)).collect()),
    }
}

/// A 409's `allowed_actions` narrowed to the verbs `role` may use, as on the application itself
/// (a landlord is not told to `start-review`); every other error passes unchanged.
pub fn for_role(err: AppError, role: Role) -> AppError {
    match err {
        AppError::Conflict { detail, allowed_actions: Some(verbs) } => AppError::Conflict {
            detail,
            allowed_actions: Some(
                verbs
                    .into_iter()
                    .filter(|v| ActionKind::ALL.iter().any(|k| verb(*k) == *v && k.performed_by(role)))
                    .collect(),
            ),
        },
        other => other,
    }
}

/// The next state for `action`, or a 409 naming the allowed actions.
pub(crate) fn next_state(app: &Application, action: Action) -> AppResult<ApplicationState> {
    lic::transition(app.state, action).map_err(|e| {
        conflict(
            format!("{} is not possible for an application that is {}", verb(e.action), app.state.code()),
            &e.allowed,
        )
    })
}

pub fn clock_of(app: &Application) -> AppResult<Option<DecisionClock>> {
    match &app.decision_clock {
        None => Ok(None),
        Some(s) => serde_json::from_str(s)
            .map(Some)
            .map_err(|e| AppError::internal(anyhow::anyhow!("stored decision clock unreadable: {e}"))),
    }
}

pub(crate) fn require_clock(app: &Application) -> AppResult<DecisionClock> {
    clock_of(app)?.ok_or_else(|| AppError::internal(anyhow::anyhow!("submitted application without a clock")))
}

/// The due date to store: final once every suspension has ended; while one is open, the latest
/// date it can become (the suspension running to its cap: the hersteltermijn, or the Bibob
/// maximum of Wet Bibob art. 31). Suspensions without a cap count up to today.
pub fn latest_due(clock: &DecisionClock, rules: &RuleSet, today: NaiveDate) -> NaiveDate {
    let cal = rules.calendar();
    if let Some(d) = clock.due_date(&cal) {
        return d;
    }
    let capped =
        clock.suspensions.iter().all(|s| !matches!(s, Suspension::ApplicantDelay { until: None, .. }));
    // Far enough for every cap (≤ 12 weeks + LBB suspension days), without overflowing.
    let horizon = today.checked_add_days(chrono::Days::new(3660)).unwrap_or(today);
    clock.due_date_on(if capped { horizon } else { today }, &cal)
}

/// Stores the clock and recomputes `decision_due_on` (see [`latest_due`]).
pub(crate) fn store_clock(
    app: &mut Application,
    clock: &DecisionClock,
    rules: &RuleSet,
    today: NaiveDate,
) -> AppResult<()> {
    app.decision_due_on = Some(latest_due(clock, rules, today));
    app.decision_clock = Some(serde_json::to_string(clock).map_err(AppError::internal)?);
    Ok(())
}

pub(crate) fn not_found() -> AppError {
    AppError::NotFound("no such licence application".into())
}

/// The application if the viewer may see it (404 otherwise).
pub(crate) fn load(tx: &mut Tx, id: &str, viewer: &Viewer) -> AppResult<Application> {
    store::find_application(tx.conn, id, viewer)?.ok_or_else(not_found)
}

/// The application, claimed for this transaction (409 when another request changed it; 412 when
/// the caller's `If-Match` names a version it no longer has, or another request changed it
/// after it was read under that `If-Match`).
pub(crate) fn claim(tx: &mut Tx, id: &str, viewer: &Viewer) -> AppResult<Application> {
    let mut app = load(tx, id, viewer)?;
    claim_loaded(tx, &mut app)?;
    Ok(app)
}

/// Claims an application this use case loaded (see [`claim`]).
pub(crate) fn claim_loaded(tx: &mut Tx, app: &mut Application) -> AppResult<()> {
    tx.check_version("application", &app.id, app.version)?;
    store::claim_application(tx.conn, app).map_err(|e| match e {
        AppError::Conflict { .. } if tx.expects(&app.id) => Tx::stale("application"),
        e => e,
    })
}

pub(crate) fn load_property(tx: &mut Tx, id: &str) -> AppResult<Property> {
    property_store::find(tx.conn, id)?
        .ok_or_else(|| AppError::internal(anyhow::anyhow!("application without property")))
}

pub use crate::domain::ids::display_postcode;

/// The address of a property as letters name it: `1234 AB 10-A`.
pub fn address_line(p: &Property) -> String {
    let addition = Some(p.house_number_addition.as_str()).filter(|a| !a.is_empty());
    crate::domain::ids::address_line(&p.postcode, p.house_number, addition)
}

/// Queues `letter` for the landlord of an application (no landlord record: no letter).
pub(crate) fn notify_landlord(tx: &mut Tx, app: &Application, letter: &Letter) -> AppResult<()> {
    mail_landlord(tx, &app.municipality_code, &app.landlord_id, letter)
}

/// Queues `letter` for a landlord, in a municipality (no landlord record: no letter).
pub(crate) fn mail_landlord(
    tx: &mut Tx,
    municipality: &str,
    landlord_id: &str,
    letter: &Letter,
) -> AppResult<()> {
    let Some(landlord) = crate::db::accounts::find_landlord(tx.conn, landlord_id)? else {
        return Ok(());
    };
    // A party recorded without an e-mail address gets its letters by post, outside this service.
    if let Some(to) = landlord.email() {
        tx.mail(Some(municipality), to, letter)?;
    }
    Ok(())
}

/// Audits a change of an application: `before` is its former state, `after` what changed.
pub(crate) fn audit_application(
    tx: &mut Tx,
    app: &Application,
    action: &str,
    before: Option<ApplicationState>,
    after: serde_json::Value,
) -> AppResult<()> {
    let mut a = Audit::of(Some(&app.municipality_code), "licence_application", &app.id, action).after(after);
    if let Some(b) = before {
        a = a.before(serde_json::json!({ "state": b.code() }));
    }
    tx.audit(a)
}

/// Saves a changed application (stamping `updated_at`) and audits the change (see
/// [`audit_application`]).
pub(crate) fn save_application(
    tx: &mut Tx,
    app: &mut Application,
    action: &str,
    before: Option<ApplicationState>,
    after: serde_json::Value,
) -> AppResult<()> {
    app.updated_at = tx.now;
    store::update_application(tx.conn, app)?;
    audit_application(tx, app, action, before, after)
}

/// The address of an application's property, as letters name it.
pub(crate) fn letter_address(tx: &mut Tx, app: &Application) -> AppResult<String> {
    Ok(address_line(&load_property(tx, &app.property_id)?))
}

/// Child rows by the id of their parent: the children of a page of rows, loaded with one query.
pub(crate) fn by_parent<C>(children: Vec<C>, parent: impl Fn(&C) -> &str) -> HashMap<String, Vec<C>> {
    let mut by: HashMap<String, Vec<C>> = HashMap::new();
    for c in children {
        by.entry(parent(&c).to_string()).or_default().push(c);
    }
    by
}

/// An application with the rows its response shows.
#[derive(Debug, Clone)]
pub struct ApplicationView {
    pub application: Application,
    pub occupancy: Vec<OccupancyRow>,
    /// The licence a grant created.
    pub licence_id: Option<String>,
    /// A received notice of default (Awb 4:17) and what was decided on it.
    pub late_decision: Option<crate::db::late_decision::DefaultNotice>,
    /// The objections against its decision, as finality needs them (`final_on`).
    pub objections: Vec<crate::domain::objections::FinalityInput>,
}

/// The view of an application as stored now.
pub(crate) fn view(tx: &mut Tx, application: Application) -> AppResult<ApplicationView> {
    let occupancy = store::occupancy(tx.conn, &application.id)?;
    let licence_id = store::licence_of_application(tx.conn, &application.id)?.map(|l| l.id);
    let late_decision = crate::db::late_decision::find(tx.conn, &application.id)?;
    // Only a decided application is a besluit that can have objections.
    let objections = match application.decided_on {
        Some(_) => objections_of(tx, std::slice::from_ref(&application.id))?.remove(&application.id),
        None => None,
    };
    Ok(ApplicationView {
        application,
        occupancy,
        licence_id,
        late_decision,
        objections: objections.unwrap_or_default(),
    })
}

/// The objections against the decisions of the applications `ids`, by application.
pub(crate) fn objections_of(
    tx: &mut Tx,
    ids: &[String],
) -> AppResult<std::collections::HashMap<String, Vec<crate::domain::objections::FinalityInput>>> {
    let mut by: std::collections::HashMap<String, Vec<_>> = std::collections::HashMap::new();
    for row in crate::db::objections::against_application_decisions(tx.conn, ids)? {
        by.entry(row.besluit_id.clone()).or_default().push(row.objection().finality());
    }
    Ok(by)
}

#[cfg(test)]
mod tests;
