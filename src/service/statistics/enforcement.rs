//! Statistics of the enforcement (issue #15). See docs/statistics.md for each table's definition.

use super::tally::{table, Sums, Unit};
use super::StatQuery;
use crate::db::statistics::enforcement as q;
use crate::domain::sanction_procedure::{FineState, LodState};
use crate::domain::statistics::StatTable;
use crate::error::AppResult;
use crate::service::Tx;

/// Every statistic of the enforcement for the query's period, in the caller's scope.
pub fn tables(tx: &mut Tx<'_>, query: StatQuery) -> AppResult<Vec<StatTable>> {
    let (from, to) = (query.period.from(), query.period.to());
    let g = query.group_by;
    let c = &mut *tx.conn;
    let scope = &tx.scope;
    let mut out = Vec::new();

    let mut s = Sums::new(g, &[Unit::Count; 5]);
    for i in q::performed_inspections(c, scope, from, to)? {
        let entered = entered(&i.findings);
        s.add(
            i.performed_on,
            &[],
            &[1, i64::from(entered), i64::from(!entered), i64::from(i.urgent), i64::from(i.joint)],
        );
    }
    out.push(table(
        "inspections",
        &[],
        &["inspections", "with_entry", "without_entry", "urgent", "joint"],
        s.into_rows(),
    ));

    let per_key = |rows: Vec<crate::db::statistics::DayCount<String>>| {
        let mut s = Sums::new(g, &[Unit::Count]);
        for (day, key, n) in rows {
            s.add(day, &[&key], &[n]);
        }
        s.into_rows()
    };
    let rows = per_key(q::joint_inspections_by_partner(c, scope, from, to)?);
    out.push(table("joint_inspections_by_partner", &["partner"], &["inspections"], rows));
    let rows = per_key(q::inspection_referrals_by_partner(c, scope, from, to)?);
    out.push(table("inspection_referrals_by_partner", &["partner"], &["referrals"], rows));
    let rows = per_key(q::violations_by_rule(c, scope, from, to)?);
    out.push(table("violations_by_rule", &["rule"], &["violations"], rows));

    let sanctions = q::sanctions_by_kind_and_state(c, scope, from, to)?;
    let mut s = Sums::new(g, &[Unit::Count]);
    let mut takeovers = Sums::new(g, &[Unit::Count]);
    for (day, (kind, state), n) in &sanctions {
        s.add(*day, &[kind, state], &[*n]);
        if kind == "management_takeover" {
            takeovers.add(*day, &[state], &[*n]);
        }
    }
    out.push(table("sanctions_by_kind_and_state", &["kind", "state"], &["sanctions"], s.into_rows()));

    let mut s = Sums::new(g, &[Unit::Count, Unit::Cents, Unit::Cents]);
    for (day, amount, n) in q::fines_decided(c, scope, from, to)? {
        s.add(day, &[], &[n, amount.saturating_mul(n), 0]);
    }
    for state in q::fine_states(c, scope, to)? {
        // A state document that does not read as a fine holds no payments.
        let Ok(fine) = serde_json::from_str::<FineState>(&state) else { continue };
        for p in fine.decision().map(|d| d.payments.as_slice()).unwrap_or_default() {
            if query.period.contains(p.paid_on) {
                s.add(p.paid_on, &[], &[0, 0, p.amount.cents()]);
            }
        }
    }
    out.push(table("fines", &[], &["fines", "imposed_cents", "collected_cents"], s.into_rows()));

    let mut s = Sums::new(g, &[Unit::Count, Unit::Cents, Unit::Cents]);
    for state in q::penalty_order_states(c, scope, to)? {
        // A state document that does not read as a penalty order holds no forfeitures.
        let Ok(lod) = serde_json::from_str::<LodState>(&state) else { continue };
        for f in &lod.forfeitures {
            let amount = f.forfeiture.amount.cents();
            if query.period.contains(f.forfeiture.forfeited_on) {
                s.add(f.forfeiture.forfeited_on, &[], &[1, amount, 0]);
            }
            if let Some(paid) = f.paid_on.filter(|d| query.period.contains(*d)) {
                s.add(paid, &[], &[0, 0, amount]);
            }
        }
    }
    out.push(table(
        "penalty_orders_forfeited",
        &[],
        &["forfeitures", "forfeited_cents", "collected_cents"],
        s.into_rows(),
    ));

    let mut s = Sums::new(g, &[Unit::Count]);
    for (day, (), n) in q::sanctions_of_step(c, scope, from, to, "recidive_fine")? {
        s.add(day, &[], &[n]);
    }
    out.push(table("recidive", &[], &["recidive_cases"], s.into_rows()));
    out.push(table("takeovers", &["state"], &["takeovers"], takeovers.into_rows()));

    let mut s = Sums::new(g, &[Unit::Count, Unit::Count]);
    for (day, (status, outcome, persons), n) in q::registration_signals(c, scope, from, to)? {
        let outcome = outcome.unwrap_or_else(|| "none".to_string());
        s.add(day, &[&status, &outcome], &[n, i64::from(persons).saturating_mul(n)]);
    }
    out.push(table("registration_signals", &["status", "outcome"], &["signals", "persons"], s.into_rows()));
    Ok(out)
}

/// Whether the findings record at least one room entered (on the occupant's consent or a warrant).
fn entered(findings: &str) -> bool {
    let Ok(v) = serde_json::from_str::<serde_json::Value>(findings) else { return false };
    v.get("rooms").and_then(|r| r.as_array()).is_some_and(|rooms| {
        rooms.iter().any(|room| {
            matches!(room.get("entry_basis").and_then(|b| b.as_str()), Some("occupant_consent" | "warrant"))
        })
    })
}
