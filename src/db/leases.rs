//! Leases (huurovereenkomsten) recorded per property. Visibility follows the property (checked by
//! the use cases with `properties::find_visible`).

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::schema::leases;
use super::DbConnection;
use crate::domain::general_rules::{LeaseForm, LeaseRecordedFrom};
use crate::error::AppResult;

crate::text_columns!(LeaseForm, LeaseRecordedFrom);

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = leases)]
#[diesel(treat_none_as_null = true)]
pub struct LeaseRow {
    pub id: String,
    pub municipality_code: String,
    pub property_id: String,
    pub landlord_id: Option<String>,
    pub recorded_by: Option<String>,
    pub recorded_from: LeaseRecordedFrom,
    pub inspection_id: Option<String>,
    pub complaint_id: Option<String>,
    pub concluded_on: NaiveDate,
    pub starts_on: NaiveDate,
    pub ends_on: Option<NaiveDate>,
    pub form: LeaseForm,
    pub information_given_on: Option<NaiveDate>,
    /// JSON array of ISO 639-1 codes.
    pub information_languages: String,
    pub tied_to_employment: bool,
    pub occupants_are_labour_migrants: bool,
    /// JSON array of ISO 639-1 codes.
    pub occupant_languages: String,
    pub rent_cents: Option<i64>,
    pub service_costs_cents: Option<i64>,
    pub deposit_cents: Option<i64>,
    pub deposit_returned_on: Option<NaiveDate>,
    pub deposit_deductions: bool,
    pub deduction_specification_given: bool,
    pub occupants: Option<i32>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

pub fn insert(c: &mut DbConnection, row: &LeaseRow) -> AppResult<()> {
    diesel::insert_into(leases::table).values(row.clone()).execute(c)?;
    Ok(())
}

pub fn update(c: &mut DbConnection, row: &LeaseRow) -> AppResult<()> {
    diesel::update(leases::table.find(&row.id)).set(row.clone()).execute(c)?;
    Ok(())
}

/// The lease by id, whoever may see it (the service checks visibility through its property).
pub fn find(c: &mut DbConnection, id: &str) -> AppResult<Option<LeaseRow>> {
    Ok(leases::table.find(id).select(LeaseRow::as_select()).first(c).optional()?)
}

/// A page of a property's leases, ordered by (concluded_on, id); keyset after `after`; only
/// those naming `landlord` when given.
pub fn of_property(
    c: &mut DbConnection,
    property_id: &str,
    landlord: Option<&str>,
    after: Option<(NaiveDate, String)>,
    limit: i64,
) -> AppResult<Vec<LeaseRow>> {
    let mut q = leases::table
        .filter(leases::property_id.eq(property_id.to_string()))
        .select(LeaseRow::as_select())
        .into_boxed();
    if let Some(l) = landlord {
        q = q.filter(leases::landlord_id.eq(l.to_string()));
    }
    if let Some((on, id)) = after {
        q = q.filter(leases::concluded_on.gt(on).or(leases::concluded_on.eq(on).and(leases::id.gt(id))));
    }
    Ok(q.order((leases::concluded_on.asc(), leases::id.asc())).limit(limit).load(c)?)
}
