//! The public register: licences at an address with their holders (the HTTP edge shows a
//! holder's name only for a legal entity), and the neighbourhood recorded for an address.

use crate::db::accounts::Landlord;
use crate::db::licensing::{self as store, Licence};
use crate::db::properties::{self as property_store, Property};
use crate::error::AppResult;
use crate::service::Tx;

/// What the register knows about one address.
#[derive(Debug, Clone)]
pub struct AddressRecords {
    pub properties: Vec<Property>,
    pub licences: Vec<Licence>,
    /// The holders of those licences.
    pub holders: Vec<Landlord>,
}

/// Properties at an address (all additions), their licences and the holders.
pub fn at_address(tx: &mut Tx, postcode: &str, house_number: i32) -> AppResult<AddressRecords> {
    let properties = property_store::at_address(tx.conn, postcode, house_number)?;
    let ids: Vec<String> = properties.iter().map(|p| p.id.clone()).collect();
    let licences = store::licences_of_properties(tx.conn, &ids)?;
    let mut holder_ids: Vec<String> = licences.iter().map(|l| l.landlord_id.clone()).collect();
    holder_ids.sort();
    holder_ids.dedup();
    let holders = store::landlords_by_ids(tx.conn, &holder_ids)?;
    Ok(AddressRecords { properties, licences, holders })
}

/// The neighbourhood code recorded for a property at the address, if any.
pub fn neighbourhood_at(tx: &mut Tx, postcode: &str, house_number: i32) -> AppResult<Option<String>> {
    Ok(property_store::at_address(tx.conn, postcode, house_number)?
        .into_iter()
        .find_map(|p| p.neighbourhood_code))
}
