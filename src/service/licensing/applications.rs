//! Drafts of licence applications: start one, change it, read one or a page of them.

use std::collections::{HashMap, HashSet};

use crate::db::licensing::{self as store, Application, ApplicationFilter, OccupancyRow};
use crate::db::properties::{self as property_store, PropertyRoom, Viewer};
use crate::domain::code::Code;
use crate::domain::licensing::{self as lic, ApplicationState};
use crate::domain::ruleset::LicenceKind;
use crate::error::{AppError, AppResult, FieldError};
use crate::service::Tx;

use super::{audit_application, by_parent, claim, conflict, load, save_application, view, ApplicationView};

/// Persons planned to sleep in a room of the property.
#[derive(Debug, Clone)]
pub struct PlannedOccupancy {
    pub room_label: String,
    pub persons: u32,
    /// Partners who asked to share the room (partner exception).
    pub partners: bool,
}

/// The occupancy rows for `planned`, or field errors (`/planned_occupancy/{i}/room_label`) for
/// labels that are not rooms of the property or are listed twice.
pub(crate) fn occupancy_rows(
    application_id: &str,
    planned: &[PlannedOccupancy],
    rooms: &[PropertyRoom],
) -> AppResult<Vec<OccupancyRow>> {
    let mut errs = Vec::new();
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for (i, o) in planned.iter().enumerate() {
        let label = o.room_label.trim();
        match rooms.iter().find(|r| r.label.eq_ignore_ascii_case(label)) {
            None => errs.push(FieldError::new(
                format!("/planned_occupancy/{i}/room_label"),
                "is not a room of this property",
            )),
            Some(r) if !seen.insert(r.label.clone()) => {
                errs.push(FieldError::new(format!("/planned_occupancy/{i}/room_label"), "is listed twice"))
            }
            Some(r) => out.push(OccupancyRow {
                application_id: application_id.to_string(),
                room_label: r.label.clone(),
                persons: i32::try_from(o.persons).unwrap_or(0),
                partners: o.partners,
            }),
        }
    }
    if errs.is_empty() {
        Ok(out)
    } else {
        Err(AppError::Validation(errs))
    }
}

/// Replaces the planned occupancy of an application (checked against the property's rooms).
pub(crate) fn replace_occupancy(
    tx: &mut Tx,
    app: &Application,
    planned: &[PlannedOccupancy],
) -> AppResult<()> {
    let rooms = property_store::rooms(tx.conn, &app.property_id)?;
    let occ = occupancy_rows(&app.id, planned, &rooms)?;
    store::replace_occupancy(tx.conn, &app.id, &occ)
}

/// Start a draft for one of the landlord's properties.
#[derive(Debug, Clone)]
pub struct CreateApplication {
    pub viewer: Viewer,
    pub landlord_id: String,
    pub property_id: String,
    pub kind: LicenceKind,
    pub monthly_rent_cents: Option<i64>,
    pub planned_occupancy: Vec<PlannedOccupancy>,
}

pub fn create(tx: &mut Tx, cmd: CreateApplication) -> AppResult<ApplicationView> {
    let property = property_store::find_visible(tx.conn, &cmd.property_id, &cmd.viewer)?
        .ok_or_else(|| AppError::field("/property_id", "is not one of your properties"))?;
    let rooms = property_store::rooms(tx.conn, &property.id)?;
    let id = uuid::Uuid::new_v4().to_string();
    let occ = occupancy_rows(&id, &cmd.planned_occupancy, &rooms)?;
    let app = Application {
        id,
        municipality_code: property.municipality_code.clone(),
        landlord_id: cmd.landlord_id,
        property_id: property.id.clone(),
        kind: cmd.kind,
        state: ApplicationState::Draft,
        monthly_rent_cents: cmd.monthly_rent_cents,
        submitted_on: None,
        decision_clock: None,
        decision_due_on: None,
        information_requested: None,
        information_respond_by: None,
        extension_reason: None,
        bibob_pending: false,
        decision_outcome: None,
        decided_on: None,
        refusal_grounds: None,
        motivation: None,
        objection_period_ends_on: None,
        version: 0,
        not_considered_due_on: None,
        created_at: tx.now,
        updated_at: tx.now,
    };
    store::insert_application(tx.conn, &app, &occ)?;
    audit_application(
        tx,
        &app,
        "create",
        None,
        serde_json::json!({"state": "draft", "kind": app.kind.code(), "property_id": app.property_id}),
    )?;
    view(tx, app)
}

/// Change a draft: only the fields given change.
#[derive(Debug, Clone)]
pub struct UpdateDraft {
    pub viewer: Viewer,
    pub id: String,
    pub kind: Option<LicenceKind>,
    pub monthly_rent_cents: Option<i64>,
    pub planned_occupancy: Option<Vec<PlannedOccupancy>>,
}

pub fn update_draft(tx: &mut Tx, cmd: UpdateDraft) -> AppResult<ApplicationView> {
    let mut app = claim(tx, &cmd.id, &cmd.viewer)?;
    if app.state != ApplicationState::Draft {
        return Err(conflict(
            format!("only a draft can be changed; this application is {}", app.state.code()),
            &lic::allowed_actions(app.state),
        ));
    }
    if let Some(k) = cmd.kind {
        app.kind = k;
    }
    if let Some(r) = cmd.monthly_rent_cents {
        app.monthly_rent_cents = Some(r);
    }
    if let Some(o) = &cmd.planned_occupancy {
        replace_occupancy(tx, &app, o)?;
    }
    let after = serde_json::json!({"kind": app.kind.code()});
    save_application(tx, &mut app, "update", None, after)?;
    view(tx, app)
}

/// One application the viewer may see.
pub fn show(tx: &mut Tx, id: &str, viewer: &Viewer) -> AppResult<ApplicationView> {
    let app = load(tx, id, viewer)?;
    view(tx, app)
}

/// A page of the applications the viewer may see (`filter.limit` rows, with their occupancy and
/// licence, without a query per row).
pub fn list(tx: &mut Tx, viewer: &Viewer, filter: &ApplicationFilter) -> AppResult<Vec<ApplicationView>> {
    let rows = store::list_applications(tx.conn, viewer, filter)?;
    let ids: Vec<String> = rows.iter().map(|a| a.id.clone()).collect();
    let mut occ_by = by_parent(store::occupancy_of(tx.conn, &ids)?, |o| o.application_id.as_str());
    let licence_by: HashMap<String, String> =
        store::licences_of_applications(tx.conn, &ids)?.into_iter().collect();
    let mut notice_by: HashMap<String, _> = crate::db::late_decision::of_applications(tx.conn, &ids)?
        .into_iter()
        .map(|n| (n.application_id.clone(), n))
        .collect();
    let decided: Vec<String> = rows.iter().filter(|a| a.decided_on.is_some()).map(|a| a.id.clone()).collect();
    let mut objections_by = super::objections_of(tx, &decided)?;
    Ok(rows
        .into_iter()
        .map(|a| ApplicationView {
            occupancy: occ_by.remove(&a.id).unwrap_or_default(),
            licence_id: licence_by.get(&a.id).cloned(),
            late_decision: notice_by.remove(&a.id),
            objections: objections_by.remove(&a.id).unwrap_or_default(),
            application: a,
        })
        .collect())
}
