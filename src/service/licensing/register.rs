//! The public register: licences at an address with their holders (the HTTP edge shows a
//! holder's name only for a legal entity), and the neighbourhood recorded for an address.

use crate::db::register::{self as store, RegisterRow};
use crate::error::AppResult;
use crate::service::Tx;

/// Licences of every property at an address (all additions), newest validity first, each with
/// its property's address and its holder (one query).
pub fn at_address(tx: &mut Tx, postcode: &str, house_number: i32) -> AppResult<Vec<RegisterRow>> {
    store::licences_at_address(tx.conn, postcode, house_number)
}

/// The neighbourhood code recorded for a property at the address, if any.
pub fn neighbourhood_at(tx: &mut Tx, postcode: &str, house_number: i32) -> AppResult<Option<String>> {
    store::neighbourhood_at(tx.conn, postcode, house_number)
}
