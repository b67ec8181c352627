//! The public sanctions register's rows (`sanction_publications`): kept by the sanction steps,
//! read by two fixed-shape look-ups (by address, by KvK number) on the connection's own backend,
//! like the licence register ([`super::register`]).

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::schema::{enforcement_cases, landlords, sanction_publications};
use super::DbConnection;
use crate::domain::landlords::LandlordKind;
use crate::domain::sanction_register::PublishedSanctionKind;
use crate::error::AppResult;

crate::text_columns!(PublishedSanctionKind);

/// One sanction on the register, as stored.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = sanction_publications)]
pub struct PublicationRow {
    pub sanction_id: String,
    pub municipality_code: String,
    /// Compact (`3011AB`).
    pub postcode: String,
    pub house_number: i32,
    /// Empty when the address has none.
    pub house_number_addition: String,
    pub address_key: String,
    /// The party addressed (the offender).
    pub landlord_id: String,
    pub kind: PublishedSanctionKind,
    pub decided_on: NaiveDate,
    pub rule: String,
    pub amount_cents: Option<i64>,
    pub published_on: NaiveDate,
    pub ends_on: Option<NaiveDate>,
    pub updated_at: NaiveDateTime,
}

/// What the register shows of one sanction: no ids, no notes, no contact data.
#[derive(Debug, Clone, PartialEq, Queryable)]
pub struct RegisterSanction {
    pub kind: PublishedSanctionKind,
    pub decided_on: NaiveDate,
    pub rule: String,
    pub amount_cents: Option<i64>,
    pub published_on: NaiveDate,
    pub ends_on: Option<NaiveDate>,
    pub postcode: String,
    pub house_number: i32,
    pub house_number_addition: String,
    pub party_kind: LandlordKind,
    pub party_name: String,
    pub party_kvk_number: Option<String>,
}

/// The address of an enforcement case: postcode, house number, addition, address key.
pub type CaseAddress = (String, i32, Option<String>, String);

/// The address of an enforcement case.
pub fn case_address(c: &mut DbConnection, case_id: &str) -> AppResult<Option<CaseAddress>> {
    Ok(enforcement_cases::table
        .find(case_id)
        .select((
            enforcement_cases::postcode,
            enforcement_cases::house_number,
            enforcement_cases::house_number_addition,
            enforcement_cases::address_key,
        ))
        .first(c)
        .optional()?)
}

/// Puts a sanction on the register (or replaces its entry).
pub fn put(c: &mut DbConnection, row: &PublicationRow) -> AppResult<()> {
    remove(c, &row.sanction_id)?;
    diesel::insert_into(sanction_publications::table).values(row).execute(c)?;
    Ok(())
}

/// Takes a sanction off the register; whether it was on it.
pub fn remove(c: &mut DbConnection, sanction_id: &str) -> AppResult<bool> {
    let n = diesel::delete(sanction_publications::table.find(sanction_id)).execute(c)?;
    Ok(n > 0)
}

/// The sanctions in force on `today` at an address (every addition), newest publication first,
/// with the addressed party's current kind, name and KvK number: one statement.
pub fn at_address(
    c: &mut DbConnection,
    postcode: &str,
    house_number: i32,
    today: NaiveDate,
) -> AppResult<Vec<RegisterSanction>> {
    let p = sanction_publications::table;
    let query = p
        .inner_join(landlords::table.on(landlords::id.eq(sanction_publications::landlord_id)))
        .filter(sanction_publications::postcode.eq(postcode))
        .filter(sanction_publications::house_number.eq(house_number))
        .filter(sanction_publications::published_on.le(today))
        .filter(sanction_publications::ends_on.is_null().or(sanction_publications::ends_on.gt(today)))
        .order((sanction_publications::published_on.desc(), sanction_publications::sanction_id.asc()))
        .select(SHOWN);
    Ok(super::native::load(c, query)?)
}

/// The sanctions in force on `today` addressed to the legal entities with this KvK number (a
/// natural person is never found by number: least data), newest publication first: one
/// statement, through the KvK index of the parties.
pub fn of_kvk_number(
    c: &mut DbConnection,
    kvk_number: &str,
    today: NaiveDate,
) -> AppResult<Vec<RegisterSanction>> {
    let query = landlords::table
        .inner_join(sanction_publications::table.on(sanction_publications::landlord_id.eq(landlords::id)))
        .filter(landlords::kvk_number.eq(kvk_number))
        .filter(landlords::kind.eq(LandlordKind::LegalEntity))
        .filter(sanction_publications::published_on.le(today))
        .filter(sanction_publications::ends_on.is_null().or(sanction_publications::ends_on.gt(today)))
        .order((sanction_publications::published_on.desc(), sanction_publications::sanction_id.asc()))
        .select(SHOWN);
    Ok(super::native::load(c, query)?)
}

#[allow(clippy::type_complexity)]
const SHOWN: (
    sanction_publications::kind,
    sanction_publications::decided_on,
    sanction_publications::rule,
    sanction_publications::amount_cents,
    sanction_publications::published_on,
    sanction_publications::ends_on,
    sanction_publications::postcode,
    sanction_publications::house_number,
    sanction_publications::house_number_addition,
    landlords::kind,
    landlords::name,
    landlords::kvk_number,
) = (
    sanction_publications::kind,
    sanction_publications::decided_on,
    sanction_publications::rule,
    sanction_publications::amount_cents,
    sanction_publications::published_on,
    sanction_publications::ends_on,
    sanction_publications::postcode,
    sanction_publications::house_number,
    sanction_publications::house_number_addition,
    landlords::kind,
    landlords::name,
    landlords::kvk_number,
);
