//! The referral decision: a referral to a partner, or the reason not to refer.

use chrono::NaiveDate;

use super::Inspection;
use crate::db::inspections::{self as q, InspectionReferralRow, InspectionRow};
use crate::db::referrals::Location;
use crate::domain::code::Code;
use crate::domain::complaints::Partner;
use crate::domain::inspection::InspectionStatus;
use crate::error::{AppError, AppResult};
use crate::service::referrals::{audit_content, check_content, ContentInput};
use crate::service::Tx;

pub struct AddReferral {
    pub inspection_id: String,
    pub partner: Partner,
    /// Not in the future.
    pub referred_on: NaiveDate,
    /// Trimmed, not blank.
    pub shared_data: String,
    /// Trimmed, not blank.
    pub legal_basis: String,
    /// The structured content (employer, location, owner, …).
    pub content: ContentInput,
}

/// Records a referral of a performed inspection's findings to a partner; this is also the
/// referral decision that exploitation signals require.
pub fn add_referral(tx: &mut Tx, cmd: AddReferral) -> AppResult<Inspection> {
    change(tx, &cmd.inspection_id.clone(), move |tx, row| {
        if row.status != InspectionStatus::Performed {
            return Err(AppError::Conflict {
                detail: "a planned inspection has no findings to refer".into(),
                allowed_actions: Some(vec!["perform".into()]),
            });
        }
        if cmd.referred_on > tx.today {
            return Err(AppError::field("/referred_on", "must not be in the future"));
        }
        let location = Location {
            postcode: row.postcode.clone(),
            house_number: row.house_number,
            addition: row.house_number_addition.clone(),
        };
        // Attachments of the complaints that led to the inspection.
        let complaints = crate::db::inspection_records::load(tx.conn, &row.id)?.complaint_ids;
        let shareable: Vec<String> =
            crate::db::complaints::attachments_of(tx.conn, &complaints)?.into_iter().map(|a| a.id).collect();
        let content = check_content(tx, cmd.content, Some(location), &shareable)?;
        let r = InspectionReferralRow {
            id: uuid::Uuid::new_v4().to_string(),
            inspection_id: row.id.clone(),
            municipality_code: row.municipality_code.clone(),
            partner: cmd.partner,
            referred_on: cmd.referred_on,
            shared_data: cmd.shared_data,
            legal_basis: cmd.legal_basis,
            recorded_by: tx.actor.id.clone().unwrap_or_default(),
            created_at: tx.now,
        };
        q::insert_inspection_referral(tx.conn, &r, tx.now)?;
        crate::db::referrals::inspection::set_content(tx.conn, &r.id, &content)?;
        // Partner and date only: what was shared stays in the referral record.
        let after = serde_json::json!({"referral_id": r.id, "partner": r.partner.code(),
            "referred_on": r.referred_on, "content": audit_content(&content)});
        super::audit(tx, row, "add_referral", Some(after), None)
    })
}

pub struct RecordNoReferral {
    pub inspection_id: String,
    /// Trimmed, not blank.
    pub reason: String,
}

/// Records why the exploitation signals found are not referred; 409 when there were none.
pub fn record_no_referral(tx: &mut Tx, cmd: RecordNoReferral) -> AppResult<Inspection> {
    change(tx, &cmd.inspection_id.clone(), move |tx, row| {
        if !row.has_signals {
            return Err(AppError::Conflict {
                detail: "the inspection recorded no exploitation signals: there is no referral decision \
                         to take"
                    .into(),
                allowed_actions: Some(vec!["add_referral".into()]),
            });
        }
        q::record_inspection_no_referral(tx.conn, &row.id, &cmd.reason, tx.now)?;
        super::audit(tx, row, "record_no_referral", None, Some(&cmd.reason))
    })
}

/// Loads the inspection in scope, runs `f`, and answers with the inspection as it now stands.
fn change(
    tx: &mut Tx,
    id: &str,
    f: impl FnOnce(&mut Tx, &InspectionRow) -> AppResult<()>,
) -> AppResult<Inspection> {
    let row = super::find_inspection(tx, id)?;
    f(tx, &row)?;
    super::get_inspection(tx, &row.id)
}
