//! A referral to a partner (Nederlandse Arbeidsinspectie, police, …) with date, what was shared
//! and the legal basis. It is also a referral decision for exploitation signals.

use chrono::NaiveDate;

use crate::db::complaints::{self as store, Complaint, Referral};
use crate::db::referrals::Location;
use crate::domain::complaints::Partner;
use crate::error::{AppError, AppResult};
use crate::service::referrals::{audit_content, check_content, ContentInput};
use crate::service::Tx;

use super::{audit_of, change, not_merged};

#[derive(Debug, Clone)]
pub struct AddReferral {
    pub complaint_id: String,
    pub partner: Partner,
    pub referred_on: NaiveDate,
    pub shared_data: String,
    pub legal_basis: String,
    /// The officer's account.
    pub recorded_by: String,
    /// The structured content (employer, location, owner, …).
    pub content: ContentInput,
}

pub fn add_referral(tx: &mut Tx, cmd: AddReferral) -> AppResult<Complaint> {
    change(tx, &cmd.complaint_id, |tx, cpl| {
        not_merged(cpl)?;
        if cmd.referred_on > tx.today {
            return Err(AppError::field("/referred_on", "must not be in the future"));
        }
        let location = match (&cpl.postcode, cpl.house_number) {
            (Some(postcode), Some(house_number)) => Some(Location {
                postcode: postcode.clone(),
                house_number,
                addition: cpl.house_number_addition.clone(),
            }),
            _ => None,
        };
        // Attachments of the complaint and of the duplicates merged into it.
        let mut ids = vec![cpl.id.clone()];
        ids.extend(store::merged_into(tx.conn, &cpl.id)?.into_iter().map(|d| d.id));
        let shareable: Vec<String> =
            store::attachments_of(tx.conn, &ids)?.into_iter().map(|a| a.id).collect();
        let content = check_content(tx, cmd.content, location, &shareable)?;
        let r = Referral {
            id: uuid::Uuid::new_v4().to_string(),
            complaint_id: cpl.id.clone(),
            municipality_code: cpl.municipality_code.clone(),
            partner: cmd.partner,
            referred_on: cmd.referred_on,
            shared_data: Some(cmd.shared_data.trim().to_string()),
            legal_basis: cmd.legal_basis.trim().to_string(),
            recorded_by: cmd.recorded_by,
            created_at: tx.now,
        };
        store::insert_referral(tx.conn, &r)?;
        crate::db::referrals::complaint::set_content(tx.conn, &r.id, &content)?;
        cpl.has_referral = true;
        // Partner and date only: what was shared stays in the referral record.
        tx.audit(audit_of(cpl, "add_referral").after(
            serde_json::json!({"referral_id": r.id, "partner": r.partner, "referred_on": r.referred_on,
                "content": audit_content(&content)}),
        ))
    })
}
