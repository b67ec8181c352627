//! The public register's look-ups, each one fixed-shape statement (the connection's prepared
//! statement cache keeps it): the register is the most requested route, and its look-ups spread
//! over every address of the municipality, so the answer cache rarely helps.

use chrono::NaiveDate;
use diesel::prelude::*;

use super::schema::{landlords, licences, properties};
use super::DbConnection;
use crate::domain::landlords::LandlordKind;
use crate::domain::licensing_codes::LicenceState;
use crate::domain::ruleset::LicenceKind;
use crate::error::AppResult;

/// One licence at an address with what the register shows of its property and holder: only the
/// columns the answer needs (no conditions, motivations or contact details).
#[derive(Debug, Clone, PartialEq, Queryable)]
pub struct RegisterRow {
    pub number: String,
    pub kind: LicenceKind,
    /// `active`, `suspended` or `revoked`; `expired` is derived from `valid_until`.
    pub state: LicenceState,
    pub valid_from: NaiveDate,
    pub valid_until: Option<NaiveDate>,
    pub max_occupants: i32,
    /// The property's postcode, compact (`3011AB`).
    pub postcode: String,
    pub house_number: i32,
    /// Empty when the address has none.
    pub house_number_addition: String,
    /// The holder's kind, name and KvK number (`None` only if the holder row were missing).
    pub holder_kind: Option<LandlordKind>,
    pub holder_name: Option<String>,
    pub holder_kvk_number: Option<String>,
}

/// Licences of every property at an address (all additions), newest validity first, with the
/// property's address and the holder: one query with the same text for every address, run on the
/// connection's own backend so that the statement cache finds it without building its SQL.
pub fn licences_at_address(
    conn: &mut DbConnection,
    postcode: &str,
    house_number: i32,
) -> AppResult<Vec<RegisterRow>> {
    let query = licences::table
        .inner_join(properties::table)
        .left_join(landlords::table)
        .filter(properties::postcode.eq(postcode))
        .filter(properties::house_number.eq(house_number))
        .order((licences::valid_from.desc(), licences::id.asc()))
        .select((
            licences::number,
            licences::kind,
            licences::state,
            licences::valid_from,
            licences::valid_until,
            licences::max_occupants,
            properties::postcode,
            properties::house_number,
            properties::house_number_addition,
            landlords::kind.nullable(),
            landlords::name.nullable(),
            landlords::kvk_number.nullable(),
        ));
    Ok(super::native::load(conn, query)?)
}

/// The neighbourhood code recorded for a property at the address, if any.
pub fn neighbourhood_at(
    conn: &mut DbConnection,
    postcode: &str,
    house_number: i32,
) -> AppResult<Option<String>> {
    Ok(properties::table
        .filter(properties::postcode.eq(postcode))
        .filter(properties::house_number.eq(house_number))
        .filter(properties::neighbourhood_code.is_not_null())
        .select(properties::neighbourhood_code)
        .first::<Option<String>>(conn)
        .optional()?
        .flatten())
}
