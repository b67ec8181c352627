//! Recording whether a landlord is a housing corporation (toegelaten instelling).

use crate::db::accounts::{self, Landlord};
use crate::error::{AppError, AppResult};
use crate::service::{Audit, Tx};

pub struct SetHousingCorporation {
    pub landlord_id: String,
    pub housing_corporation: bool,
    /// What shows it (trimmed, not blank); present when `housing_corporation`.
    pub reference: Option<String>,
    /// Why the record changes (trimmed, not blank).
    pub reason: String,
    /// The installation's municipality, under which the change is audited.
    pub municipality: String,
}

/// Records (or clears) the status and answers with the landlord as it now stands.
pub fn set_housing_corporation(tx: &mut Tx, cmd: SetHousingCorporation) -> AppResult<Landlord> {
    let not_found = || AppError::NotFound("no such landlord".into());
    let id = cmd.landlord_id;
    let before = accounts::find_landlord(tx.conn, &id)?.ok_or_else(not_found)?;
    let reference = if cmd.housing_corporation { cmd.reference } else { None };
    accounts::set_housing_corporation(tx.conn, &id, cmd.housing_corporation, reference.as_deref())?;
    tx.audit(
        Audit::of(Some(&cmd.municipality), "landlord", &id, "set_housing_corporation")
            .before(serde_json::json!({"housing_corporation": before.housing_corporation}))
            .after(serde_json::json!({"housing_corporation": cmd.housing_corporation,
                "reference": reference}))
            .reason(&cmd.reason),
    )?;
    accounts::find_landlord(tx.conn, &id)?.ok_or_else(not_found)
}
