//! Linking a complaint to records of other modules (ids as text; those modules check their own,
//! except the enforcement case, whose final sanction sets retention rule (d)).

use crate::db::complaints::Complaint;
use crate::error::AppResult;
use crate::service::Tx;

use super::enforcement_final::{check_case, date_from_case};
use super::{audit_of, change, refresh_retention, trimmed};

/// All four links; `None` is no link.
#[derive(Debug, Clone)]
pub struct Link {
    pub complaint_id: String,
    pub property_id: Option<String>,
    pub landlord_id: Option<String>,
    pub licence_id: Option<String>,
    pub enforcement_case_id: Option<String>,
}

/// Replaces the four links. A new enforcement case must be one of the complaint's municipality
/// (422 otherwise); linked to it, the complaint takes the date a sanction of the case became
/// final (retention rule (d)); unlinked, a date that came from the old case is cleared.
pub fn link(tx: &mut Tx, cmd: Link) -> AppResult<Complaint> {
    change(tx, &cmd.complaint_id, |tx, cpl| {
        let links = |c: &Complaint| {
            serde_json::json!({"property_id": c.property_id, "landlord_id": c.landlord_id,
                "licence_id": c.licence_id, "enforcement_case_id": c.enforcement_case_id,
                "enforcement_final_on": c.enforcement_final_on, "personal_data_due_on": c.personal_data_due_on})
        };
        let case_id = trimmed(cmd.enforcement_case_id);
        if let Some(id) = case_id.as_deref().filter(|id| cpl.enforcement_case_id.as_deref() != Some(*id)) {
            check_case(tx, cpl, id)?;
        }
        let before = links(cpl);
        let derived_before = date_from_case(tx, cpl)?;
        cpl.property_id = trimmed(cmd.property_id);
        cpl.landlord_id = trimmed(cmd.landlord_id);
        cpl.licence_id = trimmed(cmd.licence_id);
        cpl.enforcement_case_id = case_id;
        if cpl.personal_data_deleted_at.is_none() {
            let final_on = match date_from_case(tx, cpl)? {
                Some(date) => date,
                None if derived_before.is_some() => None,
                None => cpl.enforcement_final_on,
            };
            if final_on != cpl.enforcement_final_on {
                cpl.enforcement_final_on = final_on;
                refresh_retention(tx, cpl)?;
            }
        }
        let after = links(cpl);
        tx.audit(audit_of(cpl, "link").before(before).after(after))
    })
}
