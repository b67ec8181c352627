//! The deadlines of licensing: the licensing dashboard (decision dates and dates to make known a
//! decision not to consider, for officers and managers) and the Bibob officer's list of checks
//! awaiting the LBB advice (Wet Bibob art. 15). The dashboard is a list of entries from several
//! sources, each source one function, merged and sorted by due day.

use chrono::NaiveDate;

use crate::db::licensing::{self as store, Application, ApplicationFilter, BibobRow};
use crate::db::properties::Viewer;
use crate::domain::calendar::add_days_sat;
use crate::domain::deadlines::{lbb_advice_overdue, LicensingDeadlineKind};
use crate::domain::licensing::ApplicationState;
use crate::error::AppResult;
use crate::service::Tx;

/// At most this many applications feed the dashboard (the most urgent first).
pub const DASHBOARD_MAX_APPLICATIONS: i64 = 200;

/// One deadline on the dashboard.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeadlineEntry {
    pub application_id: String,
    pub deadline_kind: LicensingDeadlineKind,
    pub due_on: NaiveDate,
    /// The due day has passed (`due_on < today`).
    pub overdue: bool,
}

pub struct Dashboard {
    pub today: NaiveDate,
    /// Overdue entries and those due within the horizon, earliest first.
    pub deadlines: Vec<DeadlineEntry>,
    /// Open objections against licensing besluiten, overdue or due within the horizon.
    pub objections: Vec<crate::service::objections::ObjectionDeadline>,
    /// Webhook subscriptions of the municipalities that were paused because they kept failing.
    pub paused_webhook_subscriptions: i64,
}

/// The licensing dashboard of the caller's municipalities: every deadline of an undecided
/// application that has passed or falls within `days` (1–366, checked by the caller) after today.
pub fn dashboard(tx: &mut Tx, days: u32) -> AppResult<Dashboard> {
    let today = tx.today;
    let until = add_days_sat(today, u64::from(days));
    let viewer = Viewer::Staff(tx.scope.clone());
    // `open_due_on` is the earliest deadline of an undecided application: one range scan.
    let filter = ApplicationFilter {
        overdue_on: Some(add_days_sat(until, 1)),
        limit: DASHBOARD_MAX_APPLICATIONS,
        ..ApplicationFilter::default()
    };
    let apps = store::list_applications(tx.conn, &viewer, &filter)?;
    let mut deadlines = Vec::new();
    for app in &apps {
        deadlines.extend(application_deadlines(app, today, until));
    }
    deadlines.sort_by(|a, b| (a.due_on, &a.application_id).cmp(&(b.due_on, &b.application_id)));
    let objections = crate::service::objections::dashboard_deadlines(tx, until, true)?;
    let paused_webhook_subscriptions = crate::service::webhooks::paused_count(tx)?;
    Ok(Dashboard { today, deadlines, objections, paused_webhook_subscriptions })
}

/// The deadlines of one undecided application up to `until`: its decision, and while its term
/// to supply information has lapsed unused, the decision not to consider it (Awb 4:5 lid 4).
pub fn application_deadlines(app: &Application, today: NaiveDate, until: NaiveDate) -> Vec<DeadlineEntry> {
    let entry = |kind, due_on: NaiveDate| DeadlineEntry {
        application_id: app.id.clone(),
        deadline_kind: kind,
        due_on,
        overdue: due_on < today,
    };
    let mut out = Vec::new();
    if let Some(due) = app.decision_due_on.filter(|d| *d <= until) {
        out.push(entry(LicensingDeadlineKind::Decision, due));
    }
    if let Some(due) = not_considered_due(app, today).filter(|d| *d <= until) {
        out.push(entry(LicensingDeadlineKind::NotConsideredDecision, due));
    }
    out
}

/// The last day to make known the decision not to consider `app` (Awb 4:5 lid 4): shown once
/// the term to supply information lapsed unused (`respond_by` before today) while the
/// application is still incomplete; `None` otherwise.
pub fn not_considered_due(app: &Application, today: NaiveDate) -> Option<NaiveDate> {
    let lapsed = app.information_respond_by.is_some_and(|by| by < today);
    (app.state == ApplicationState::Incomplete && lapsed).then_some(app.not_considered_due_on).flatten()
}

/// Whether the decision not to consider `app` is overdue on `today`.
pub fn not_considered_overdue(app: &Application, today: NaiveDate) -> bool {
    not_considered_due(app, today).is_some_and(|d| d < today)
}

/// Checks awaiting the LBB advice in the caller's municipalities, by due day (only the overdue
/// ones with `overdue`); `limit` rows after the cursor `due|id`.
pub fn checks_awaiting_advice(
    tx: &mut Tx,
    overdue: bool,
    cursor: Option<String>,
    limit: i64,
) -> AppResult<Vec<BibobRow>> {
    let today = tx.today;
    let scope = tx.scope.clone();
    store::checks_awaiting_advice(tx.conn, &scope, overdue.then_some(today), cursor.as_deref(), limit)
}

/// The LBB advice of a check is overdue on `today` (Wet Bibob art. 15).
pub fn advice_overdue(row: &BibobRow, today: NaiveDate) -> bool {
    row.lbb_advice_due_on.is_some_and(|due| lbb_advice_overdue(due, row.lbb_received_on, today))
}
