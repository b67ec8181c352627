//! Joint inspections: the partner organisations present at an inspection (issue #15, item 5),
//! replaced as a whole and audited (codes only).

use super::{find_inspection, get_inspection, Inspection};
use crate::domain::complaints::Partner;
use crate::error::{AppError, AppResult, FieldError};
use crate::service::{Audit, Tx};

/// Replace the partners present (officers); none twice.
pub struct SetPartners {
    pub inspection_id: String,
    pub partners: Vec<Partner>,
}

pub fn set_partners(tx: &mut Tx, cmd: SetPartners) -> AppResult<Inspection> {
    let row = find_inspection(tx, &cmd.inspection_id)?;
    let twice: Vec<FieldError> = cmd
        .partners
        .iter()
        .enumerate()
        .filter(|(i, p)| cmd.partners[..*i].contains(p))
        .map(|(i, _)| FieldError::new(format!("/partners/{i}"), "is named twice"))
        .collect();
    if !twice.is_empty() {
        return Err(AppError::Validation(twice));
    }
    let before = crate::db::inspection_records::load(tx.conn, &row.id)?.partners;
    crate::db::inspection_records::replace_partners(tx.conn, &row.id, &row.municipality_code, &cmd.partners)?;
    tx.audit(
        Audit::of(Some(&row.municipality_code), "inspection", &row.id, "set_partners")
            .before(serde_json::json!({ "partners": before }))
            .after(serde_json::json!({ "partners": cmd.partners })),
    )?;
    get_inspection(tx, &row.id)
}
