//! Retention rule (d) from the enforcement records: a complaint linked to an enforcement case
//! takes the date an enforcement decision of that case became final (onherroepelijk) from the
//! case's sanctions, not from a hand-entered date. The date follows the case when a sanction
//! becomes final and when the complaint is linked.
//!
// NOTE: "the enforcement decision resulting from it" is read as the first sanction of the linked
// case that became final (annulled ones aside): from that day the complaint has done its work,
// and keeping the reporter's data longer is what the case-building rule (4 years) is for.

use chrono::NaiveDate;

use crate::db::complaints::{self as store, Complaint};
use crate::db::enforcement as enforcement_store;
use crate::db::scope::Scope;
use crate::error::{AppError, AppResult};
use crate::service::Tx;

use super::{audit_of, refresh_retention};

/// The retention facts an audit row shows.
fn facts(c: &Complaint) -> serde_json::Value {
    serde_json::json!({"enforcement_final_on": c.enforcement_final_on,
        "personal_data_due_on": c.personal_data_due_on})
}

/// Whether the complaint's rule (d) date comes from a linked enforcement case: `Some(date)` (the
/// date, or `None` while no sanction of the case is final) when it is linked to a case of its
/// own municipality and is not a merged duplicate (those follow their primary), else `None`.
pub(super) fn date_from_case(tx: &mut Tx, c: &Complaint) -> AppResult<Option<Option<NaiveDate>>> {
    let Some(case_id) = c.enforcement_case_id.as_deref() else { return Ok(None) };
    if c.merged_into.is_some() {
        return Ok(None);
    }
    let scope = Scope::municipality(&c.municipality_code);
    if enforcement_store::find_case(tx.conn, &scope, case_id)?.is_none() {
        return Ok(None);
    }
    Ok(Some(enforcement_store::case_final_date(tx.conn, case_id)?))
}

/// 422 unless `case_id` is an enforcement case of the complaint's municipality.
pub(super) fn check_case(tx: &mut Tx, c: &Complaint, case_id: &str) -> AppResult<()> {
    let scope = Scope::municipality(&c.municipality_code);
    match enforcement_store::find_case(tx.conn, &scope, case_id)? {
        Some(_) => Ok(()),
        None => {
            Err(AppError::field("/enforcement_case_id", "is not an enforcement case of this municipality"))
        }
    }
}

/// A sanction of case `case_id` (municipality `municipality`) became final, or stopped counting:
/// every complaint linked to the case takes the case's date, its deletion date recomputed, each
/// change audited with the sanction as the reason. In the sanction's transaction.
pub fn follow_case(tx: &mut Tx, municipality: &str, case_id: &str, sanction_id: &str) -> AppResult<()> {
    let date = enforcement_store::case_final_date(tx.conn, case_id)?;
    let reason =
        format!("the linked enforcement case {case_id}: final date after a step of sanction {sanction_id}");
    for mut cpl in store::linked_to_case(tx.conn, municipality, case_id)? {
        if cpl.enforcement_final_on == date {
            continue;
        }
        let before = facts(&cpl);
        cpl.enforcement_final_on = date;
        refresh_retention(tx, &mut cpl)?;
        cpl.updated_at = tx.now;
        store::save(tx.conn, &mut cpl)?;
        let after = facts(&cpl);
        tx.audit(audit_of(&cpl, "enforcement_final").before(before).after(after).reason(&reason))?;
    }
    Ok(())
}
