//! Properties (wooneenheden) with their rooms. Rooms are a child table written row by row.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::in_list::in_texts;
use super::schema::{properties, property_rooms};
use super::scope::Scope;
use super::DbConnection;
use crate::domain::licensing_codes::PropertyKind;
use crate::error::AppResult;

crate::text_columns!(PropertyKind);

/// Who is reading: a landlord sees their own records, staff the records of their
/// municipalities. Built from the authenticated caller in the handler, applied here.
#[derive(Debug, Clone)]
pub enum Viewer {
    Landlord(String),
    Staff(Scope),
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = properties)]
#[diesel(treat_none_as_null = true)]
pub struct Property {
    pub id: String,
    pub municipality_code: String,
    pub landlord_id: Option<String>,
    pub postcode: String,
    pub house_number: i32,
    pub house_number_addition: String,
    pub bag_id: Option<String>,
    pub neighbourhood_code: Option<String>,
    pub kind: PropertyKind,
    pub usable_floor_area_dm2: i32,
    pub toilets: i32,
    pub showers: i32,
    pub kitchens: i32,
    pub cooking_points: i32,
    pub washbasins: i32,
    pub washing_machines: i32,
    pub building_permit_missing: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// The intermediary (verhuurbemiddelaar or beheerder) that lets or manages the property.
    pub intermediary_id: Option<String>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = property_rooms)]
pub struct PropertyRoom {
    pub id: String,
    pub property_id: String,
    pub position: i32,
    pub label: String,
    pub area_dm2: i32,
    pub sleeping_room: bool,
}

pub fn insert(conn: &mut DbConnection, p: &Property, rooms: &[PropertyRoom]) -> AppResult<()> {
    diesel::insert_into(properties::table).values(p.clone()).execute(conn)?;
    // Complaints may name the property's id before it is recorded (links are not checked).
    super::statistics::meldpunt::neighbourhood_changed(conn, &p.id, None, p.neighbourhood_code.as_deref())?;
    replace_rooms(conn, &p.id, rooms)
}

/// Writes the property back; a changed neighbourhood code moves the neighbourhood counts of
/// the complaints linked to it (`db::statistics::meldpunt`, same transaction).
pub fn update(conn: &mut DbConnection, p: &Property) -> AppResult<()> {
    let before: Option<Option<String>> =
        properties::table.find(&p.id).select(properties::neighbourhood_code).first(conn).optional()?;
    diesel::update(properties::table.find(&p.id)).set(p.clone()).execute(conn)?;
    if let Some(old) = before {
        super::statistics::meldpunt::neighbourhood_changed(
            conn,
            &p.id,
            old.as_deref(),
            p.neighbourhood_code.as_deref(),
        )?;
    }
    Ok(())
}

/// Replaces the rooms of a property (one insert per row: the MultiConnection has no batch
/// insert).
pub fn replace_rooms(conn: &mut DbConnection, property_id: &str, rooms: &[PropertyRoom]) -> AppResult<()> {
    diesel::delete(property_rooms::table.filter(property_rooms::property_id.eq(property_id)))
        .execute(conn)?;
    for r in rooms {
        diesel::insert_into(property_rooms::table).values(r.clone()).execute(conn)?;
    }
    Ok(())
}

/// Applies the viewer's visibility to a boxed query on `properties`.
macro_rules! visible {
    ($q:expr, $viewer:expr) => {{
        let q = $q;
        match $viewer {
            Viewer::Landlord(id) => q.filter(properties::landlord_id.eq(id.clone())),
            Viewer::Staff(scope) => $crate::scoped!(q, properties::municipality_code, scope),
        }
    }};
}

/// The property if it exists and the viewer may see it (otherwise `None`: 404, never 403).
pub fn find_visible(conn: &mut DbConnection, id: &str, viewer: &Viewer) -> AppResult<Option<Property>> {
    let q = properties::table
        .filter(properties::id.eq(id.to_string()))
        .select(Property::as_select())
        .into_boxed();
    Ok(visible!(q, viewer).first(conn).optional()?)
}

pub fn find(conn: &mut DbConnection, id: &str) -> AppResult<Option<Property>> {
    Ok(properties::table.find(id).select(Property::as_select()).first(conn).optional()?)
}

pub fn rooms(conn: &mut DbConnection, property_id: &str) -> AppResult<Vec<PropertyRoom>> {
    Ok(property_rooms::table
        .filter(property_rooms::property_id.eq(property_id))
        .order(property_rooms::position.asc())
        .select(PropertyRoom::as_select())
        .load(conn)?)
}

/// Rooms of several properties in one query (no N+1 in lists).
pub fn rooms_of(conn: &mut DbConnection, property_ids: &[String]) -> AppResult<Vec<PropertyRoom>> {
    if property_ids.is_empty() {
        return Ok(vec![]);
    }
    Ok(property_rooms::table
        .filter(in_texts(property_rooms::property_id, property_ids))
        .order((property_rooms::property_id.asc(), property_rooms::position.asc()))
        .select(PropertyRoom::as_select())
        .load(conn)?)
}

#[derive(Debug, Clone, Default)]
pub struct PropertyFilter {
    pub postcode: Option<String>,
    pub house_number: Option<i32>,
    pub landlord_id: Option<String>,
    pub after_id: Option<String>,
    pub limit: i64,
}

/// A page of visible properties ordered by id (keyset pagination).
pub fn list(conn: &mut DbConnection, viewer: &Viewer, f: &PropertyFilter) -> AppResult<Vec<Property>> {
    let mut q = visible!(properties::table.select(Property::as_select()).into_boxed(), viewer);
    if let Some(p) = &f.postcode {
        q = q.filter(properties::postcode.eq(p.clone()));
    }
    if let Some(n) = f.house_number {
        q = q.filter(properties::house_number.eq(n));
    }
    if let Some(l) = &f.landlord_id {
        q = q.filter(properties::landlord_id.eq(l.clone()));
    }
    if let Some(a) = &f.after_id {
        q = q.filter(properties::id.gt(a.clone()));
    }
    Ok(q.order(properties::id.asc()).limit(f.limit).load(conn)?)
}

/// Properties at an address (all additions), for the public register.
/// Another property record of this landlord at the same address (postcode, number, addition).
pub fn duplicate_of(conn: &mut DbConnection, p: &Property) -> AppResult<Option<String>> {
    let Some(landlord) = &p.landlord_id else { return Ok(None) };
    Ok(properties::table
        .filter(properties::landlord_id.eq(landlord))
        .filter(properties::postcode.eq(&p.postcode))
        .filter(properties::house_number.eq(p.house_number))
        .filter(properties::house_number_addition.eq(&p.house_number_addition))
        .filter(properties::id.ne(&p.id))
        .select(properties::id)
        .first(conn)
        .optional()?)
}

pub fn at_address(conn: &mut DbConnection, postcode: &str, house_number: i32) -> AppResult<Vec<Property>> {
    Ok(properties::table
        .filter(properties::postcode.eq(postcode))
        .filter(properties::house_number.eq(house_number))
        .select(Property::as_select())
        .load(conn)?)
}
