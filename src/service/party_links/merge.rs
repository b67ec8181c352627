//! Merging two records of one party: everything that names the record moves to the other one in
//! one transaction, so that history, recidive and screening follow the party.

use crate::db::party_links::{self as store, Moved};
use crate::domain::landlords::PartyRole;
use crate::domain::party_links::{check_merge, MergeRefusal, RecordFacts};
use crate::error::{AppError, AppResult};
use crate::service::{Audit, Tx};

use super::record_of_family;

/// Merge record `from` into record `into` (same family).
pub struct Merge {
    /// The family of the route (`/v1/landlords`, `/v1/intermediaries`, `/v1/employers`).
    pub family: PartyRole,
    pub from: String,
    pub into: String,
    /// Why (trimmed, not blank).
    pub reason: String,
    /// The installation's municipality: the merge is audited under it.
    pub municipality: String,
}

/// What a merge did.
#[derive(Debug, Clone)]
pub struct Merged {
    pub from: String,
    pub into: String,
    /// Rows moved per party column.
    pub moved: Moved,
    /// Accounts that belonged to `from` and now belong to `into` (their tokens must be renewed).
    pub accounts: Vec<String>,
}

pub fn merge_records(tx: &mut Tx<'_>, cmd: Merge) -> AppResult<Merged> {
    let from = record_of_family(tx, &cmd.from, cmd.family)?;
    let into = store::record_facts(tx.conn, &cmd.into)?
        .ok_or_else(|| AppError::field("/into", "is not a known party record"))?;
    if !from.editable_by(|m| tx.scope.allows(m)) {
        return Err(AppError::Forbidden("this record was made by another municipality".into()));
    }
    merge_checked(tx, &from, &into, &cmd.reason, &cmd.municipality)
}

fn refusal(r: MergeRefusal) -> AppError {
    match r {
        MergeRefusal::SameRecord | MergeRefusal::OtherFamily { .. } => {
            AppError::field("/into", r.to_string())
        }
        MergeRefusal::AlreadyMerged { .. } => AppError::conflict(r.to_string()),
    }
}

/// Checks and performs the merge (also used when an account is linked to a recorded party and
/// its own self-registered record merges into it).
pub(super) fn merge_checked(
    tx: &mut Tx<'_>,
    from: &RecordFacts,
    into: &RecordFacts,
    reason: &str,
    municipality: &str,
) -> AppResult<Merged> {
    check_merge(from, into).map_err(refusal)?;
    // One open enforcement case per party and address (carrousel rule, rules.md §4.8): two open
    // cases at one address would become two ladders for one offender. The cases are not merged
    // automatically (their stages and sanctions differ); the officer settles one first.
    let cases = store::open_case_collisions(tx.conn, &from.id, &into.id)?;
    if let Some((_, a, b)) = cases.first() {
        return Err(AppError::conflict(format!(
            "both records have an open enforcement case at the same address (cases {a} and {b}, {} address(es) \
             in all): close one of them before merging",
            cases.len()
        )));
    }
    // One property record per party and address (unique index `properties_landlord_address`).
    let props = store::property_collisions(tx.conn, &from.id, &into.id)?;
    if let Some((a, b)) = props.first() {
        return Err(AppError::conflict(format!(
            "both records registered the same address as a property (properties {a} and {b}, {} in all)",
            props.len()
        )));
    }
    let accounts = store::accounts_of(tx.conn, &from.id)?;
    // First the pointer: the violations trigger lets a violation change party only to the
    // record its party was merged into.
    store::mark_merged(tx.conn, &from.id, &into.id, tx.now)?;
    store::repoint_merged(tx.conn, &from.id, &into.id)?;
    let moved = store::move_party_columns(tx.conn, &from.id, &into.id)?;
    store::bump_accounts(tx.conn, &accounts)?;
    let counts: serde_json::Map<String, serde_json::Value> =
        moved.iter().filter(|(_, n)| *n > 0).map(|(t, n)| (t.to_string(), serde_json::json!(n))).collect();
    tx.audit(
        Audit::of(Some(municipality), "landlord", &from.id, "merge")
            .before(serde_json::json!({"merged_into": null}))
            .after(serde_json::json!({"merged_into": into.id}))
            .reason(reason),
    )?;
    tx.audit(
        Audit::of(Some(municipality), "landlord", &into.id, "merge_receive")
            .after(serde_json::json!({"merged_from": from.id, "moved": counts, "accounts": accounts}))
            .reason(reason),
    )?;
    Ok(Merged { from: from.id.clone(), into: into.id.clone(), moved, accounts })
}
