//! Properties (wooneenheden): address, BAG id, usable floor area, rooms and facilities.
//! Landlords record their own; officers record and change those of their municipalities.

use crate::db::properties::{self as store, Property, PropertyFilter, PropertyRoom, Viewer};
use crate::domain::code::Code;
use crate::domain::landlords::PartyRole;
use crate::domain::licensing_codes::PropertyKind;
use crate::error::{AppError, AppResult};
use crate::service::parties::require_party;
use crate::service::{Audit, Tx};

use super::by_parent;

/// A room as recorded (area in dm²).
#[derive(Debug, Clone)]
pub struct RoomInput {
    pub label: String,
    pub area_dm2: i32,
    pub sleeping_room: bool,
}

/// Shared facilities (counts).
#[derive(Debug, Clone, Copy, Default)]
pub struct FacilityCounts {
    pub toilets: i32,
    pub showers: i32,
    pub kitchens: i32,
    pub cooking_points: i32,
    pub washbasins: i32,
    pub washing_machines: i32,
}

/// A property with its rooms.
#[derive(Debug, Clone)]
pub struct PropertyView {
    pub property: Property,
    pub rooms: Vec<PropertyRoom>,
}

fn not_found() -> AppError {
    AppError::NotFound("no such property".into())
}

fn rooms_of(property_id: &str, rooms: &[RoomInput]) -> Vec<PropertyRoom> {
    rooms
        .iter()
        .enumerate()
        .map(|(i, r)| PropertyRoom {
            id: uuid::Uuid::new_v4().to_string(),
            property_id: property_id.to_string(),
            position: i32::try_from(i).unwrap_or(i32::MAX),
            label: r.label.clone(),
            area_dm2: r.area_dm2,
            sleeping_room: r.sleeping_room,
        })
        .collect()
}

fn set_facilities(p: &mut Property, f: FacilityCounts) {
    p.toilets = f.toilets;
    p.showers = f.showers;
    p.kitchens = f.kitchens;
    p.cooking_points = f.cooking_points;
    p.washbasins = f.washbasins;
    p.washing_machines = f.washing_machines;
}

fn audit_state(p: &Property, rooms: usize) -> serde_json::Value {
    serde_json::json!({
        "postcode": p.postcode, "house_number": p.house_number, "addition": p.house_number_addition,
        "kind": p.kind.code(), "usable_floor_area_dm2": p.usable_floor_area_dm2, "rooms": rooms,
        "toilets": p.toilets, "showers": p.showers, "kitchens": p.kitchens,
        "washing_machines": p.washing_machines, "missing_building_permit": p.building_permit_missing,
        "intermediary_id": p.intermediary_id,
    })
}

/// One property record per landlord and address (a unique index backs this up).
fn refuse_duplicate(tx: &mut Tx, p: &Property) -> AppResult<()> {
    match store::duplicate_of(tx.conn, p)? {
        Some(existing) => Err(AppError::conflict(format!(
            "this landlord already registered this address as property {existing}"
        ))),
        None => Ok(()),
    }
}

fn neighbourhood(raw: Option<String>) -> Option<String> {
    raw.map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
}

/// Record a property (parsed and checked against the caller's role by the edge).
#[derive(Debug, Clone)]
pub struct CreateProperty {
    pub municipality_code: String,
    pub landlord_id: Option<String>,
    /// Compact postcode (`1234AB`).
    pub postcode: String,
    pub house_number: i32,
    /// Upper case; empty when none.
    pub house_number_addition: String,
    pub bag_id: Option<String>,
    pub neighbourhood_code: Option<String>,
    pub kind: PropertyKind,
    pub usable_floor_area_dm2: i32,
    pub rooms: Vec<RoomInput>,
    pub facilities: FacilityCounts,
    /// The intermediary that lets or manages it (a live intermediary record).
    pub intermediary_id: Option<String>,
}

pub fn create(tx: &mut Tx, cmd: CreateProperty) -> AppResult<PropertyView> {
    let id = uuid::Uuid::new_v4().to_string();
    let rooms = rooms_of(&id, &cmd.rooms);
    let mut p = Property {
        id,
        municipality_code: cmd.municipality_code,
        landlord_id: cmd.landlord_id,
        postcode: cmd.postcode,
        house_number: cmd.house_number,
        house_number_addition: cmd.house_number_addition,
        bag_id: cmd.bag_id,
        neighbourhood_code: neighbourhood(cmd.neighbourhood_code),
        kind: cmd.kind,
        usable_floor_area_dm2: cmd.usable_floor_area_dm2,
        toilets: 0,
        showers: 0,
        kitchens: 0,
        cooking_points: 0,
        washbasins: 0,
        washing_machines: 0,
        building_permit_missing: false,
        created_at: tx.now,
        updated_at: tx.now,
        intermediary_id: cmd.intermediary_id,
    };
    set_facilities(&mut p, cmd.facilities);
    if !crate::db::accounts::municipality_exists(tx.conn, &p.municipality_code)? {
        return Err(AppError::field("/municipality_code", "is not a municipality of this installation"));
    }
    if let Some(l) = &p.landlord_id {
        require_party(tx, l, PartyRole::Landlord, "/landlord_id")?;
    }
    if let Some(i) = &p.intermediary_id {
        require_party(tx, i, PartyRole::Intermediary, "/intermediary_id")?;
    }
    refuse_duplicate(tx, &p)?;
    store::insert(tx.conn, &p, &rooms)?;
    tx.audit(
        Audit::of(Some(&p.municipality_code), "property", &p.id, "create")
            .after(audit_state(&p, rooms.len())),
    )?;
    Ok(PropertyView { property: p, rooms })
}

/// Change a property: only the fields given change; `rooms` replaces all rooms.
#[derive(Debug, Clone)]
pub struct UpdateProperty {
    pub viewer: Viewer,
    pub id: String,
    pub postcode: Option<String>,
    pub house_number: Option<i32>,
    pub house_number_addition: Option<String>,
    pub bag_id: Option<String>,
    /// Blank clears it.
    pub neighbourhood_code: Option<String>,
    pub kind: Option<PropertyKind>,
    pub usable_floor_area_dm2: Option<i32>,
    pub rooms: Option<Vec<RoomInput>>,
    pub facilities: Option<FacilityCounts>,
    /// Officers only (checked by the edge).
    pub building_permit_missing: Option<bool>,
    /// `Some("")` clears it; otherwise a live intermediary record.
    pub intermediary_id: Option<String>,
}

pub fn update(tx: &mut Tx, cmd: UpdateProperty) -> AppResult<PropertyView> {
    let before = store::find_visible(tx.conn, &cmd.id, &cmd.viewer)?.ok_or_else(not_found)?;
    let before_rooms = store::rooms(tx.conn, &cmd.id)?;
    let mut p = before.clone();
    if let Some(pc) = cmd.postcode {
        p.postcode = pc;
    }
    if let Some(n) = cmd.house_number {
        p.house_number = n;
    }
    if let Some(a) = cmd.house_number_addition {
        p.house_number_addition = a;
    }
    if let Some(b) = cmd.bag_id {
        p.bag_id = Some(b);
    }
    if cmd.neighbourhood_code.is_some() {
        p.neighbourhood_code = neighbourhood(cmd.neighbourhood_code);
    }
    if let Some(k) = cmd.kind {
        p.kind = k;
    }
    if let Some(a) = cmd.usable_floor_area_dm2 {
        p.usable_floor_area_dm2 = a;
    }
    if let Some(f) = cmd.facilities {
        set_facilities(&mut p, f);
    }
    if let Some(b) = cmd.building_permit_missing {
        p.building_permit_missing = b;
    }
    match cmd.intermediary_id.as_deref().map(str::trim) {
        None => {}
        Some("") => p.intermediary_id = None,
        Some(i) => {
            require_party(tx, i, PartyRole::Intermediary, "/intermediary_id")?;
            p.intermediary_id = Some(i.to_string());
        }
    }
    p.updated_at = tx.now;
    refuse_duplicate(tx, &p)?;
    store::update(tx.conn, &p)?;
    let rooms = match cmd.rooms {
        Some(r) => {
            let rooms = rooms_of(&p.id, &r);
            store::replace_rooms(tx.conn, &p.id, &rooms)?;
            rooms
        }
        None => before_rooms.clone(),
    };
    tx.audit(
        Audit::of(Some(&p.municipality_code), "property", &p.id, "update")
            .before(audit_state(&before, before_rooms.len()))
            .after(audit_state(&p, rooms.len())),
    )?;
    Ok(PropertyView { property: p, rooms })
}

/// One property the viewer may see.
pub fn show(tx: &mut Tx, id: &str, viewer: &Viewer) -> AppResult<PropertyView> {
    let property = store::find_visible(tx.conn, id, viewer)?.ok_or_else(not_found)?;
    let rooms = store::rooms(tx.conn, &property.id)?;
    Ok(PropertyView { property, rooms })
}

/// A page of the properties the viewer may see, with their rooms (one query for all).
pub fn list(tx: &mut Tx, viewer: &Viewer, filter: &PropertyFilter) -> AppResult<Vec<PropertyView>> {
    let rows = store::list(tx.conn, viewer, filter)?;
    let ids: Vec<String> = rows.iter().map(|p| p.id.clone()).collect();
    let mut by = by_parent(store::rooms_of(tx.conn, &ids)?, |r| r.property_id.as_str());
    Ok(rows
        .into_iter()
        .map(|p| PropertyView { rooms: by.remove(&p.id).unwrap_or_default(), property: p })
        .collect())
}
