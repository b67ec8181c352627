//! Keeping the public sanctions register in step with a sanction: called once after every step
//! of a sanction procedure, in its transaction ([`super::run_action`]). A published fine or
//! takeover gets (or keeps) its entry; any other state takes it off (an annulled fine leaves the
//! register at once).

use crate::db::convert::from_json_text;
use crate::db::enforcement::SanctionRow;
use crate::db::sanction_register::{self as store, PublicationRow};
use crate::domain::sanction_lifecycle::{SanctionKind, TakeoverState};
use crate::domain::sanction_procedure::FineState;
use crate::domain::sanction_register::{fine_publication, takeover_publication, Publication};
use crate::error::{AppError, AppResult};
use crate::service::Tx;

/// Writes (or removes) the register entry of the sanction as `row` now stands.
pub(super) fn keep_register(tx: &mut Tx<'_>, row: &SanctionRow) -> AppResult<()> {
    let Some(p) = publication(row)? else {
        store::remove(tx.conn, &row.id)?;
        return Ok(());
    };
    let (postcode, house_number, addition, address_key) = store::case_address(tx.conn, &row.case_id)?
        .ok_or_else(|| AppError::internal(anyhow::anyhow!("sanction {} without its case", row.id)))?;
    store::put(
        tx.conn,
        &PublicationRow {
            sanction_id: row.id.clone(),
            municipality_code: row.municipality_code.clone(),
            postcode,
            house_number,
            house_number_addition: addition.unwrap_or_default(),
            address_key,
            landlord_id: row.landlord_id.clone(),
            kind: p.kind,
            decided_on: p.decided_on,
            rule: row.rule.clone(),
            amount_cents: row.amount_cents.filter(|_| row.kind == SanctionKind::AdministrativeFine),
            published_on: p.published_on,
            ends_on: p.ends_on,
            updated_at: tx.now,
        },
    )
}

fn publication(row: &SanctionRow) -> AppResult<Option<Publication>> {
    Ok(match row.kind {
        SanctionKind::AdministrativeFine => fine_publication(&from_json_text::<FineState>(&row.state)?),
        SanctionKind::ManagementTakeover => {
            takeover_publication(&from_json_text::<TakeoverState>(&row.state)?)
        }
        SanctionKind::Warning | SanctionKind::PenaltyOrder | SanctionKind::AdministrativeCoercion => None,
    })
}
