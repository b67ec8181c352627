//! Licences (verhuurvergunningen): read them, and the measures an officer takes — suspend,
//! revoke, reinstate — each with a motivation sent to the holder. A licence is never deleted;
//! expiry follows from `valid_until`.

use crate::db::licensing::{self as store, Licence, LicenceFilter, LicenceRoomLimit};
use crate::db::properties::{self as property_store, Viewer};
use crate::domain::code::Code;
use crate::domain::deadlines::objection_period_end;
use crate::domain::licensing_codes::{effective_status, LicenceMeasureGround, Measure};
use crate::error::{AppError, AppResult, FieldError};
use crate::letters::licensing::{LicenceMeasure, MeasureWords};
use crate::service::{Audit, Tx};

use super::{address_line, by_parent, mail_landlord, rules_on, Rules};

/// A licence with its per-room limits.
#[derive(Debug, Clone)]
pub struct LicenceView {
    pub licence: Licence,
    pub room_limits: Vec<LicenceRoomLimit>,
}

fn not_found() -> AppError {
    AppError::NotFound("no such licence".into())
}

/// One licence the viewer may see.
pub fn show(tx: &mut Tx, id: &str, viewer: &Viewer) -> AppResult<LicenceView> {
    let licence = store::find_licence(tx.conn, id, viewer)?.ok_or_else(not_found)?;
    let room_limits = store::room_limits(tx.conn, &licence.id)?;
    Ok(LicenceView { licence, room_limits })
}

/// A page of the licences the viewer may see, with their limits (one query for all).
pub fn list(tx: &mut Tx, viewer: &Viewer, filter: &LicenceFilter) -> AppResult<Vec<LicenceView>> {
    let rows = store::list_licences(tx.conn, viewer, filter)?;
    let ids: Vec<String> = rows.iter().map(|l| l.id.clone()).collect();
    let mut by = by_parent(store::room_limits_of(tx.conn, &ids)?, |r| r.licence_id.as_str());
    Ok(rows
        .into_iter()
        .map(|l| LicenceView { room_limits: by.remove(&l.id).unwrap_or_default(), licence: l })
        .collect())
}

/// Occupants a measure displaces, and whether replacement housing was arranged.
#[derive(Debug, Clone, Copy)]
pub struct Displacement {
    pub occupants_displaced: u32,
    pub replacement_housing_arranged: bool,
}

/// Suspend, revoke or reinstate a licence.
#[derive(Clone)]
pub struct TakeMeasure {
    pub viewer: Viewer,
    pub id: String,
    pub measure: Measure,
    /// The ground (not for a reinstatement).
    pub ground: Option<LicenceMeasureGround>,
    /// Written motivation (Awb 3:46), sent to the holder.
    pub motivation: String,
    /// Required for a suspension or revocation: letting must stop.
    pub displacement: Option<Displacement>,
    pub rules: Rules,
}

pub fn take_measure(tx: &mut Tx, cmd: TakeMeasure) -> AppResult<LicenceView> {
    let m = cmd.measure;
    let motivation = cmd.motivation.trim();
    let mut errs = Vec::new();
    if motivation.is_empty() {
        errs.push(FieldError::new("/motivation", "must not be blank"));
    }
    if m != Measure::Reinstate && cmd.displacement.is_none() {
        errs.push(FieldError::new(
            "/displacement",
            "is required: record how many occupants must leave and whether replacement housing was arranged",
        ));
    }
    if !errs.is_empty() {
        return Err(AppError::Validation(errs));
    }
    let today = tx.today;
    let mut l = store::find_licence(tx.conn, &cmd.id, &cmd.viewer)?.ok_or_else(not_found)?;
    let before = l.state;
    let status = effective_status(before, l.valid_until, today);
    let allowed = Measure::allowed(status);
    if !allowed.contains(&m.verb()) {
        return Err(AppError::Conflict {
            detail: format!("a licence that is {} cannot be {}", status.code(), m.to().code()),
            allowed_actions: Some(allowed.iter().map(|s| (*s).to_string()).collect()),
        });
    }
    l.state = m.to();
    l.state_grounds = cmd.ground;
    l.state_motivation = Some(motivation.to_string());
    l.occupants_displaced =
        cmd.displacement.map(|d| i32::try_from(d.occupants_displaced).unwrap_or(i32::MAX));
    l.replacement_housing_arranged = cmd.displacement.map(|d| d.replacement_housing_arranged);
    l.updated_at = tx.now;
    store::update_licence(tx.conn, &l, before)?;
    tx.audit(
        Audit::of(Some(&l.municipality_code), "licence", &l.id, m.verb())
            .before(serde_json::json!({"state": before.code()}))
            .after(serde_json::json!({"state": l.state, "ground": l.state_grounds.map(|g| g.code()),
                "occupants_displaced": l.occupants_displaced,
                "replacement_housing_arranged": l.replacement_housing_arranged})),
    )?;
    let rules = rules_on(&cmd.rules, today)?;
    let objection_end = objection_period_end(today, rules.objection_weeks, &rules.calendar());
    let address =
        property_store::find(tx.conn, &l.property_id)?.map(|p| address_line(&p)).unwrap_or_default();
    let words = match m {
        Measure::Suspend => MeasureWords::Suspended,
        Measure::Revoke => MeasureWords::Revoked,
        Measure::Reinstate => MeasureWords::Reinstated,
    };
    let letter = LicenceMeasure::new(words, &l.number, &address, motivation, objection_end).letter()?;
    mail_landlord(tx, &l.municipality_code, &l.landlord_id, &letter)?;
    let room_limits = store::room_limits(tx.conn, &l.id)?;
    Ok(LicenceView { licence: l, room_limits })
}
