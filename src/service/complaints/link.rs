//! Linking a complaint to records of other modules (ids as text; those modules check their own).

use crate::db::complaints::Complaint;
use crate::error::AppResult;
use crate::service::Tx;

use super::{audit_of, change, trimmed};

/// All four links; `None` is no link.
#[derive(Debug, Clone)]
pub struct Link {
    pub complaint_id: String,
    pub property_id: Option<String>,
    pub landlord_id: Option<String>,
    pub licence_id: Option<String>,
    pub enforcement_case_id: Option<String>,
}

/// Replaces the four links.
pub fn link(tx: &mut Tx, cmd: Link) -> AppResult<Complaint> {
    change(tx, &cmd.complaint_id, |tx, cpl| {
        let links = |c: &Complaint| {
            serde_json::json!({"property_id": c.property_id, "landlord_id": c.landlord_id,
                "licence_id": c.licence_id, "enforcement_case_id": c.enforcement_case_id})
        };
        let before = links(cpl);
        cpl.property_id = trimmed(cmd.property_id);
        cpl.landlord_id = trimmed(cmd.landlord_id);
        cpl.licence_id = trimmed(cmd.licence_id);
        cpl.enforcement_case_id = trimmed(cmd.enforcement_case_id);
        let after = links(cpl);
        tx.audit(audit_of(cpl, "link").before(before).after(after))
    })
}
