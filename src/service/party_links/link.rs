//! Linking a landlord account to a party record an officer made (claim): the account then sees
//! the record's history, sanctions and properties. The account's own self-registered record, if
//! it had one, merges into the recorded one in the same transaction.

use crate::db::accounts;
use crate::db::party_links as store;
use crate::domain::landlords::PartyRole;
use crate::domain::party_links::{plan_link, LinkPlan};
use crate::domain::roles::Role;
use crate::error::{AppError, AppResult};
use crate::service::{Audit, Tx};

use super::merge::{merge_checked, Merged};
use super::record_of_family;

/// Link account `account_id` to landlord record `landlord_id`.
pub struct LinkAccount {
    pub landlord_id: String,
    pub account_id: String,
    /// Why (trimmed, not blank).
    pub reason: String,
    /// The installation's municipality: the link is audited under it.
    pub municipality: String,
}

/// What linking did.
#[derive(Debug, Clone)]
pub struct Linked {
    pub landlord_id: String,
    pub account_id: String,
    /// The account's previous record, when it was linked to another one.
    pub previous_landlord_id: Option<String>,
    /// The merge of the account's self-registered record, when there was one.
    pub merged: Option<Merged>,
    /// False when the account already belonged to the record (nothing changed).
    pub changed: bool,
}

pub fn link_account(tx: &mut Tx<'_>, cmd: LinkAccount) -> AppResult<Linked> {
    let target = record_of_family(tx, &cmd.landlord_id, PartyRole::Landlord)?;
    if let Some(survivor) = &target.merged_into {
        return Err(AppError::conflict(format!(
            "record {} was merged into {survivor}; link the account to {survivor}",
            target.id
        )));
    }
    if !target.editable_by(|m| tx.scope.allows(m)) {
        return Err(AppError::Forbidden("this record was made by another municipality".into()));
    }
    let account = accounts::find_account(tx.conn, &cmd.account_id)?
        .ok_or_else(|| AppError::field("/account_id", "is not a known account"))?;
    if account.role != Role::Landlord {
        return Err(AppError::field("/account_id", "is not a landlord account"));
    }
    let current = match &account.landlord_id {
        Some(id) => store::record_facts(tx.conn, id)?,
        None => None,
    };
    let mut linked = Linked {
        landlord_id: target.id.clone(),
        account_id: account.id.clone(),
        previous_landlord_id: account.landlord_id.clone(),
        merged: None,
        changed: true,
    };
    match plan_link(current.as_ref(), &target) {
        LinkPlan::AlreadyLinked => {
            linked.changed = false;
            return Ok(linked);
        }
        LinkPlan::OtherRecordedParty { current } => {
            return Err(AppError::conflict(format!(
                "the account belongs to record {current}, which an officer made: merge that record into {} \
                 (POST /v1/landlords/{current}/merge) instead",
                target.id
            )));
        }
        LinkPlan::MergeSelfRegistered { .. } => {
            let from =
                current.ok_or_else(|| AppError::internal(anyhow::anyhow!("planned merge without record")))?;
            linked.merged = Some(merge_checked(tx, &from, &target, &cmd.reason, &cmd.municipality)?);
        }
        LinkPlan::Link => store::link_account(tx.conn, &account.id, &target.id)?,
    }
    tx.audit(
        Audit::of(Some(&cmd.municipality), "account", &account.id, "link_party")
            .before(serde_json::json!({"landlord_id": account.landlord_id}))
            .after(serde_json::json!({"landlord_id": target.id}))
            .reason(&cmd.reason),
    )?;
    Ok(linked)
}
