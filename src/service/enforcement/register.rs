//! The public sanctions register: the published fines and takeovers in force at an address or
//! addressed to a legal entity by KvK number (the HTTP edge names a party only when it is a legal
//! entity). The entries are kept by the sanction steps (`sanctions::publication`).

use chrono::NaiveDate;

use crate::db::sanction_register::{self as store, RegisterSanction};
use crate::error::AppResult;
use crate::service::Tx;

/// The sanctions in force on `today` at an address (every addition), newest publication first.
pub fn at_address(
    tx: &mut Tx,
    postcode: &str,
    house_number: i32,
    today: NaiveDate,
) -> AppResult<Vec<RegisterSanction>> {
    store::at_address(tx.conn, postcode, house_number, today)
}

/// The sanctions in force on `today` addressed to the legal entities with this KvK number.
pub fn of_kvk_number(tx: &mut Tx, kvk_number: &str, today: NaiveDate) -> AppResult<Vec<RegisterSanction>> {
    store::of_kvk_number(tx.conn, kvk_number, today)
}
