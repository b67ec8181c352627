//! The periods in which the lapse term of the power to fine a violation stood still (Awb 5:45):
//! an objection or appeal against a fine for that violation ran. The domain merges them
//! (`domain::fines::power_lapse`), so every source may add its own.

use crate::db::convert::from_json_text;
use crate::db::enforcement as q;
use crate::domain::fines::LapseSuspension;
use crate::domain::sanction_procedure::FineState;
use crate::error::AppResult;
use crate::service::Tx;

/// The suspensions of the 5:45 term for violation `violation_id`: from the fine procedures of
/// that violation (an objection lodged, until the fine became final or was annulled; open while
/// it runs) and from the objections register (each objection against one of those fines from
/// receipt to its decision, and its appeal to the judgment). Overlapping periods are counted
/// once by the domain.
pub fn lapse_suspensions(tx: &mut Tx<'_>, violation_id: &str) -> AppResult<Vec<LapseSuspension>> {
    let mut out = Vec::new();
    let mut fines = Vec::new();
    for (id, state) in q::fines_for_violation(tx.conn, violation_id)? {
        let st: FineState = from_json_text(&state)?;
        out.extend(st.lapse_suspension());
        fines.push(id);
    }
    for row in crate::db::objections::against_fines(tx.conn, &fines)? {
        out.extend(row.objection().running_periods());
    }
    Ok(out)
}
