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
    /// The installation's municipality: the change is audited under it when the landlord is not
    /// known in any municipality yet.
    pub municipality: String,
}

/// The municipalities a landlord is known in (properties, applications, licences), when the
/// caller may act on the landlord as a whole: the admin always, others only when one of those
/// municipalities is theirs. Otherwise 404, as for a landlord that does not exist, so that
/// staff cannot probe for landlords of other municipalities.
pub fn landlord_in_scope(tx: &mut Tx, id: &str) -> AppResult<(Landlord, Vec<String>)> {
    let not_found = || AppError::NotFound("no such landlord".into());
    let landlord = accounts::find_landlord(tx.conn, id)?.ok_or_else(not_found)?;
    let municipalities = accounts::landlord_municipalities(tx.conn, id)?;
    let admitted = match tx.scope.codes() {
        None => true,
        Some(_) => municipalities.iter().any(|m| tx.scope.allows(m)),
    };
    if !admitted {
        return Err(not_found());
    }
    Ok((landlord, municipalities))
}

/// Records (or clears) the status and answers with the landlord as it now stands. The status
/// holds in every municipality, so the change is audited under each municipality the landlord
/// is known in.
pub fn set_housing_corporation(tx: &mut Tx, cmd: SetHousingCorporation) -> AppResult<Landlord> {
    let not_found = || AppError::NotFound("no such landlord".into());
    let id = cmd.landlord_id;
    let (before, mut concerned) = landlord_in_scope(tx, &id)?;
    if concerned.is_empty() {
        concerned.push(cmd.municipality);
    }
    let reference = if cmd.housing_corporation { cmd.reference } else { None };
    accounts::set_housing_corporation(tx.conn, &id, cmd.housing_corporation, reference.as_deref())?;
    for m in &concerned {
        tx.audit(
            Audit::of(Some(m), "landlord", &id, "set_housing_corporation")
                .before(serde_json::json!({"housing_corporation": before.housing_corporation}))
                .after(serde_json::json!({"housing_corporation": cmd.housing_corporation,
                    "reference": reference}))
                .reason(&cmd.reason),
        )?;
    }
    accounts::find_landlord(tx.conn, &id)?.ok_or_else(not_found)
}
