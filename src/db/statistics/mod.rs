//! Rows the statistics read (issue #15). The meldpunt's come from counters kept in the same
//! transaction as every complaint write (`meldpunt`, docs/statistics-meldpunt.md); licensing and
//! enforcement are GROUP BY over the day that dates each item and its codes, so that a query
//! returns at most one row per day and key combination. The use cases in `service::statistics`
//! put the days into the buckets of the period asked for.

pub mod enforcement;
pub mod licensing;
pub mod meldpunt;

use chrono::NaiveDate;

/// A count of items on one day for one combination of keys.
pub type DayCount<K> = (NaiveDate, K, i64);

/// The codes of every municipality, in order (for an unrestricted scope).
pub fn municipality_codes(c: &mut crate::db::DbConnection) -> crate::error::AppResult<Vec<String>> {
    use crate::db::schema::municipalities;
    use diesel::prelude::*;
    Ok(municipalities::table.select(municipalities::code).order(municipalities::code.asc()).load(c)?)
}
