//! What officers read: the list, one complaint with everything about it, an attachment's record,
//! and the hotspots.

use chrono::NaiveDate;

use crate::db::audit::{self, AuditFilter, AuditRow};
use crate::db::complaints::{
    self as store, Attachment, Complaint, ComplaintListRow, HotspotRow, ListFilter, Message,
};
use crate::domain::complaints::HotspotKey;
use crate::error::{AppError, AppResult};
use crate::service::Tx;

/// One complaint with its duplicates, messages (internal notes too), attachments (of the
/// duplicates too), referrals and history (newest first, as stored).
#[derive(Debug, Clone)]
pub struct Details {
    pub complaint: Complaint,
    pub duplicates: Vec<Complaint>,
    pub messages: Vec<Message>,
    pub attachments: Vec<Attachment>,
    pub referrals: Vec<crate::db::referrals::ReferralRecord>,
    pub history: Vec<AuditRow>,
    /// The inspections the complaint led to (staff answers only).
    pub inspection_ids: Vec<String>,
}

/// Complaints in the caller's scope, urgent first, then oldest first.
pub fn list(tx: &mut Tx, filter: ListFilter) -> AppResult<Vec<ComplaintListRow>> {
    store::list(tx.conn, &tx.scope, &filter)
}

/// The complaint `id` in the caller's scope, with everything about it.
pub fn get(tx: &mut Tx, id: &str) -> AppResult<Details> {
    let c =
        store::find(tx.conn, &tx.scope, id)?.ok_or_else(|| AppError::NotFound("no such complaint".into()))?;
    details(tx, c)
}

/// Everything about `c` (the answer of every officer change).
pub fn details(tx: &mut Tx, c: Complaint) -> AppResult<Details> {
    let duplicates = store::merged_into(tx.conn, &c.id)?;
    let mut ids = vec![c.id.clone()];
    ids.extend(duplicates.iter().map(|d| d.id.clone()));
    let messages = store::messages_of(tx.conn, &ids)?;
    let attachments = store::attachments_of(tx.conn, &ids)?;
    let referrals = crate::db::referrals::complaint::of_source(tx.conn, &c.id)?;
    let history = audit::list(
        tx.conn,
        &tx.scope,
        &AuditFilter {
            entity_type: Some("complaint".into()),
            entity_id: Some(c.id.clone()),
            before_id: None,
            limit: 1000,
        },
    )?;
    let inspection_ids = crate::db::inspection_records::inspections_of_complaint(tx.conn, &c.id)?;
    Ok(Details { complaint: c, duplicates, messages, attachments, referrals, history, inspection_ids })
}

/// The attachment `attachment_id` of complaint `id` (in scope) or of a duplicate merged into it.
pub fn attachment(tx: &mut Tx, id: &str, attachment_id: &str) -> AppResult<Option<Attachment>> {
    if store::find(tx.conn, &tx.scope, id)?.is_none() {
        return Ok(None);
    }
    if let Some(a) = store::find_attachment(tx.conn, id, attachment_id)? {
        return Ok(Some(a));
    }
    for d in store::merged_into(tx.conn, id)? {
        if let Some(a) = store::find_attachment(tx.conn, &d.id, attachment_id)? {
            return Ok(Some(a));
        }
    }
    Ok(None)
}

/// Which hotspots to count, over which window.
#[derive(Debug, Clone)]
pub struct Hotspots {
    pub by: HotspotKey,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub min_count: i64,
    pub limit: i64,
}

/// Complaints per address or per linked landlord over the window, most first.
pub fn hotspots(tx: &mut Tx, q: Hotspots) -> AppResult<Vec<HotspotRow>> {
    match q.by {
        HotspotKey::Address => {
            store::hotspots_by_address(tx.conn, &tx.scope, q.from, q.to, q.min_count, q.limit)
        }
        HotspotKey::Landlord => {
            store::hotspots_by_landlord(tx.conn, &tx.scope, q.from, q.to, q.min_count, q.limit)
        }
    }
}
