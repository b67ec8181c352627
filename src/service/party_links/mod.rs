//! Linking an account to a party record (claim), merging two records of one party, and the
//! checks every route that names a party makes (known, right family, not merged away).
//! Rules: `crate::domain::party_links`; rows: `crate::db::party_links`.

mod link;
mod merge;

pub use link::{link_account, LinkAccount, Linked};
pub use merge::{merge_records, Merge, Merged};

use crate::db::party_links as store;
use crate::domain::code::Code;
use crate::domain::landlords::PartyRole;
use crate::domain::party_links::RecordFacts;
use crate::error::{AppError, AppResult};
use crate::service::Tx;

/// The record at a route of `family` (`/v1/landlords/{id}/…`): 404 when there is none in that
/// family, so that a path never reaches a record of another family.
pub(crate) fn record_of_family(tx: &mut Tx<'_>, id: &str, family: PartyRole) -> AppResult<RecordFacts> {
    match store::record_facts(tx.conn, id)? {
        Some(f) if f.role == family => Ok(f),
        _ => Err(AppError::NotFound(format!("no such {} record", family.code()))),
    }
}
