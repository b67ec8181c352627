//! Objections (bezwaar) against a besluit the system records: lodging one (the besluit looked up
//! in the caller's municipality, its bekendmaking taken from the record), its lifecycle steps,
//! the lists, the landlord's own, the dashboard window and the besluit's `final_on`.
//! Every step is audited and transactional; letters go through the outbox.

mod actions;
mod besluit;

use std::sync::Arc;

use chrono::NaiveDate;

pub use actions::{act, Act};
pub use besluit::{besluit_final_on, Besluit};

use crate::db::objections::{self as q, ObjectionFilter, ObjectionMeta, ObjectionRow};
use crate::domain::calendar::HolidayCalendar;
use crate::domain::code::Code;
use crate::domain::enforcement_policy::EnforcementPolicy;
use crate::domain::objections::{
    BesluitKind, LodgedByKind, Objection, ObjectionError, DECISION_WEEKS, DECISION_WEEKS_COMMITTEE,
};
use crate::error::{AppError, AppResult};
use crate::letters::objections::ObjectionReceived;
use crate::service::enforcement::sanctions::{run_action, Action, RunAction};
use crate::service::{Audit, Tx};

/// The domain's refusal as an API error: 409 with the allowed actions, or 422 naming the field.
pub(crate) fn objection_error(e: ObjectionError) -> AppError {
    match e {
        ObjectionError::Illegal { ref allowed, .. } => AppError::Conflict {
            detail: e.to_string(),
            allowed_actions: Some(allowed.iter().map(|a| a.code().to_string()).collect()),
        },
        ObjectionError::Field { pointer, reason } => AppError::field(pointer, reason),
    }
}

/// Record a received objection.
pub struct Lodge {
    pub besluit_kind: BesluitKind,
    pub besluit_id: String,
    /// Not in the future (checked at the edge and here).
    pub received_on: NaiveDate,
    pub lodged_by_kind: LodgedByKind,
    pub lodged_by_description: String,
    pub advisory_committee: bool,
    pub grounds_summary: Option<String>,
    pub calendar: HolidayCalendar,
    /// For applying `lodge_objection` to a fine's procedure.
    pub policy: Arc<EnforcementPolicy>,
    pub municipality_name: String,
    pub created_by: String,
}

pub fn lodge(tx: &mut Tx<'_>, cmd: Lodge) -> AppResult<ObjectionRow> {
    if cmd.received_on > tx.today {
        return Err(AppError::field("/received_on", "lies in the future"));
    }
    let b = besluit::find(tx, cmd.besluit_kind, &cmd.besluit_id)?;
    let o = Objection::receive(
        cmd.besluit_kind,
        b.notified_on,
        cmd.received_on,
        cmd.advisory_committee,
        &cmd.calendar,
    )
    .map_err(objection_error)?;
    let row = ObjectionRow::new(
        ObjectionMeta {
            id: uuid::Uuid::new_v4().to_string(),
            municipality_code: b.municipality_code.clone(),
            landlord_id: b.landlord_id.clone(),
            besluit_id: cmd.besluit_id.clone(),
            lodged_by_kind: cmd.lodged_by_kind,
            lodged_by_description: cmd.lodged_by_description,
            grounds_summary: cmd.grounds_summary,
            created_by: Some(cmd.created_by),
            created_at: tx.now,
        },
        &o,
    );
    q::insert(tx.conn, &row)?;
    tx.audit(Audit::of(Some(&row.municipality_code), "objection", &row.id, "lodge").after(
        serde_json::json!({
            "besluit_kind": row.besluit_kind.code(), "besluit_id": row.besluit_id,
            "received_on": row.received_on, "on_time": row.on_time,
            "objection_term_ends_on": row.objection_term_ends_on, "decision_due_on": row.decision_due_on,
        }),
    ))?;
    // The fine's own procedure records the objection too (it refuses a late one: Awb 6:11 is
    // decided here, on the objection).
    if cmd.besluit_kind == BesluitKind::Fine && b.sanction_state.as_deref() == Some("decided") && o.on_time {
        run_action(
            tx,
            RunAction {
                sanction_id: cmd.besluit_id.clone(),
                action: Action::LodgeObjection,
                on: cmd.received_on,
                policy: cmd.policy,
                municipality_name: cmd.municipality_name,
            },
        )?;
    }
    let letter = ObjectionReceived {
        besluit_kind: row.besluit_kind.code(),
        received_on: row.received_on,
        weeks: if row.advisory_committee { DECISION_WEEKS_COMMITTEE } else { DECISION_WEEKS },
        due: row.decision_due_on,
        late: !row.on_time,
        objection_term_ends_on: row.objection_term_ends_on,
        objection_id: &row.id,
    }
    .letter()?;
    crate::service::licensing::mail_landlord(tx, &row.municipality_code, &row.landlord_id, &letter)?;
    Ok(row)
}

/// One objection in the caller's scope.
pub fn get(tx: &mut Tx<'_>, id: &str) -> AppResult<ObjectionRow> {
    q::find(tx.conn, &tx.scope, id)?.ok_or_else(|| AppError::NotFound("objection".into()))
}

/// A page of objections in the caller's scope (due-date order).
pub fn list(tx: &mut Tx<'_>, filter: ObjectionFilter) -> AppResult<Vec<ObjectionRow>> {
    q::list(tx.conn, &tx.scope, &filter)
}

/// A page of the objections against a landlord's own besluiten.
pub fn mine(tx: &mut Tx<'_>, landlord_id: &str, mut filter: ObjectionFilter) -> AppResult<Vec<ObjectionRow>> {
    filter.landlord_id = Some(landlord_id.to_string());
    q::list(tx.conn, &crate::db::scope::Scope::all(), &filter)
}

/// An open objection's deadline, for the dashboards.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObjectionDeadline {
    pub objection_id: String,
    pub besluit_kind: BesluitKind,
    pub besluit_id: String,
    pub landlord_id: String,
    pub decision_due_on: NaiveDate,
    /// The due date lies before `today`.
    pub overdue: bool,
}

/// Open objections of `municipality` whose decision is due between `from` and `to`, or is
/// overdue (due before today), soonest first (at most 500).
pub fn due_between(
    tx: &mut Tx<'_>,
    municipality: &str,
    from: NaiveDate,
    to: NaiveDate,
) -> AppResult<Vec<ObjectionDeadline>> {
    let scope = crate::db::scope::Scope::municipality(municipality);
    due(tx, &scope, None, from, to)
}

/// Open objections in the caller's municipalities against licensing besluiten (`licensing`) or
/// enforcement besluiten (`!licensing`) whose decision is overdue or due by `to`, soonest first:
/// the objection part of the licensing and the enforcement dashboard.
pub fn dashboard_deadlines(
    tx: &mut Tx<'_>,
    to: NaiveDate,
    licensing: bool,
) -> AppResult<Vec<ObjectionDeadline>> {
    let scope = tx.scope.clone();
    let today = tx.today;
    let kinds: Vec<BesluitKind> =
        BesluitKind::ALL.iter().copied().filter(|k| k.is_licensing() == licensing).collect();
    due(tx, &scope, Some(&kinds), today, to)
}

fn due(
    tx: &mut Tx<'_>,
    scope: &crate::db::scope::Scope,
    kinds: Option<&[BesluitKind]>,
    from: NaiveDate,
    to: NaiveDate,
) -> AppResult<Vec<ObjectionDeadline>> {
    let today = tx.today;
    Ok(q::open_due_by(tx.conn, scope, kinds, to, 500)?
        .into_iter()
        .filter(|r| r.decision_due_on >= from || r.decision_due_on < today)
        .map(|r| ObjectionDeadline {
            overdue: r.decision_due_on < today,
            objection_id: r.id,
            besluit_kind: r.besluit_kind,
            besluit_id: r.besluit_id,
            landlord_id: r.landlord_id,
            decision_due_on: r.decision_due_on,
        })
        .collect())
}

/// An objection with the day its besluit became final (`None` while open).
#[derive(Debug, Clone)]
pub struct Shown {
    pub row: ObjectionRow,
    pub final_on: Option<NaiveDate>,
}

/// The rows with their besluit's `final_on` (one indexed look-up per distinct besluit).
pub fn shown(tx: &mut Tx<'_>, rows: Vec<ObjectionRow>, calendar: &HolidayCalendar) -> AppResult<Vec<Shown>> {
    let mut known: std::collections::HashMap<(BesluitKind, String), Option<NaiveDate>> = Default::default();
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let key = (row.besluit_kind, row.besluit_id.clone());
        let final_on = match known.get(&key) {
            Some(f) => *f,
            None => {
                let inputs: Vec<_> = q::for_besluit(tx.conn, row.besluit_kind, &row.besluit_id)?
                    .iter()
                    .map(|r| r.objection().finality())
                    .collect();
                let f =
                    crate::domain::objections::final_on(row.besluit_notified_on, &inputs, tx.today, calendar);
                known.insert(key, f);
                f
            }
        };
        out.push(Shown { row, final_on });
    }
    Ok(out)
}
