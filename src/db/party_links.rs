//! Rows for linking an account to a party record and merging two records of one party.
//!
//! The `party_columns!` call below is THE list of columns that name a party: a merge moves every
//! one of them ([`move_party_columns`]). A table that gains a party column is added there (one
//! line), and nowhere else.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::{
    accounts, complaint_referrals, complaints, enforcement_cases, inspection_parties, inspection_referrals,
    inspections, landlord_violation_counts, landlords, leases, licence_applications, licences, objections,
    portal_mandates, properties, sanction_publications, sanctions, violations,
};
use super::DbConnection;
use crate::domain::landlords::{PartyRole, PartySource};
use crate::domain::party_links::RecordFacts;
use crate::domain::sanction_lifecycle::CaseStatus;
use crate::error::AppResult;

/// The facts of a record that decide a link or merge; `None` for an unknown id.
pub fn record_facts(c: &mut DbConnection, id: &str) -> AppResult<Option<RecordFacts>> {
    type Row = (String, PartyRole, PartySource, Option<String>, Option<String>);
    let row: Option<Row> = landlords::table
        .find(id)
        .select((
            landlords::id,
            landlords::role,
            landlords::source,
            landlords::municipality_code,
            landlords::merged_into,
        ))
        .first(c)
        .optional()?;
    Ok(row.map(|(id, role, source, municipality_code, merged_into)| RecordFacts {
        id,
        role,
        source,
        municipality_code,
        merged_into,
    }))
}

/// Marks `from` as merged into `into` (it leaves the KvK uniqueness index and every list).
pub fn mark_merged(c: &mut DbConnection, from: &str, into: &str, now: NaiveDateTime) -> AppResult<()> {
    diesel::update(landlords::table.find(from))
        .set((
            landlords::merged_into.eq(Some(into)),
            landlords::merged_at.eq(Some(now)),
            landlords::updated_at.eq(now),
        ))
        .execute(c)?;
    Ok(())
}

/// Records merged into `id` earlier, whose own pointers must follow a later merge of `id`.
pub fn repoint_merged(c: &mut DbConnection, from: &str, into: &str) -> AppResult<usize> {
    Ok(diesel::update(landlords::table.filter(landlords::merged_into.eq(from)))
        .set(landlords::merged_into.eq(Some(into)))
        .execute(c)?)
}

/// Addresses where both records have an open enforcement case: `(address_key, case of from,
/// case of into)`. One open case per party and address is an invariant (carrousel rule).
pub fn open_case_collisions(
    c: &mut DbConnection,
    from: &str,
    into: &str,
) -> AppResult<Vec<(String, String, String)>> {
    let open = |c: &mut DbConnection, id: &str| -> AppResult<Vec<(String, String)>> {
        Ok(enforcement_cases::table
            .filter(enforcement_cases::landlord_id.eq(id))
            .filter(enforcement_cases::status.eq(CaseStatus::Open))
            .select((enforcement_cases::address_key, enforcement_cases::id))
            .load(c)?)
    };
    let theirs: std::collections::HashMap<String, String> = open(c, into)?.into_iter().collect();
    Ok(open(c, from)?
        .into_iter()
        .filter_map(|(key, case)| theirs.get(&key).map(|other| (key, case, other.clone())))
        .collect())
}

/// Properties both records registered at one address: `(property of from, property of into)`.
/// One property record per party and address (unique index `properties_landlord_address`).
pub fn property_collisions(c: &mut DbConnection, from: &str, into: &str) -> AppResult<Vec<(String, String)>> {
    let of = |c: &mut DbConnection, id: &str| -> AppResult<Vec<(String, i32, String, String)>> {
        Ok(properties::table
            .filter(properties::landlord_id.eq(id))
            .select((
                properties::postcode,
                properties::house_number,
                properties::house_number_addition,
                properties::id,
            ))
            .load(c)?)
    };
    let theirs: std::collections::HashMap<(String, i32, String), String> =
        of(c, into)?.into_iter().map(|(p, n, a, id)| ((p, n, a), id)).collect();
    Ok(of(c, from)?
        .into_iter()
        .filter_map(|(p, n, a, id)| theirs.get(&(p, n, a)).map(|other| (id, other.clone())))
        .collect())
}

/// The accounts that belong to a record.
pub fn accounts_of(c: &mut DbConnection, landlord_id: &str) -> AppResult<Vec<String>> {
    Ok(accounts::table
        .filter(accounts::landlord_id.eq(landlord_id))
        .select(accounts::id)
        .order(accounts::id)
        .load(c)?)
}

/// Links an account to a record and raises its security version: tokens naming the old record
/// stop working, and a new token carries the new one.
pub fn link_account(c: &mut DbConnection, account_id: &str, landlord_id: &str) -> AppResult<()> {
    diesel::update(accounts::table.find(account_id))
        .set((
            accounts::landlord_id.eq(Some(landlord_id)),
            accounts::security_version.eq(accounts::security_version + 1),
        ))
        .execute(c)?;
    Ok(())
}

/// How many rows of one party column a merge moved.
pub type Moved = Vec<(&'static str, usize)>;

/// Declares THE list of party columns that [`move_party_columns`] moves. Each needs an index
/// that leads with it (`tests/service/party_links.rs` checks the plans of a merge).
macro_rules! party_columns {
    ($($table:ident . $column:ident),+ $(,)?) => {
        fn move_columns(c: &mut DbConnection, from: &str, into: &str, moved: &mut Moved) -> AppResult<()> {
            $(
                let n = diesel::update($table::table.filter($table::$column.eq(from)))
                    .set($table::$column.eq(into))
                    .execute(c)?;
                moved.push((concat!(stringify!($table), ".", stringify!($column)), n));
            )+
            Ok(())
        }
    };
}

// Tables other parts of the service add (leases, sanction publications, inspection parties)
// join this list with one line each.
party_columns!(
    accounts.landlord_id,
    properties.landlord_id,
    properties.intermediary_id,
    licence_applications.landlord_id,
    licences.landlord_id,
    enforcement_cases.landlord_id,
    violations.dwelling_landlord_id,
    sanctions.landlord_id,
    complaints.landlord_id,
    inspections.landlord_id,
    objections.landlord_id,
    leases.landlord_id,
    sanction_publications.landlord_id,
    inspection_parties.party_id,
    complaint_referrals.employer_id,
    complaint_referrals.owner_id,
    inspection_referrals.employer_id,
    inspection_referrals.owner_id,
);

/// Moves every column that names party `from` to `into`: first `violations.landlord_id`
/// (found through the party's cases: violations carry no party index, their history reads the
/// counters), then the `party_columns!` list, then the rows that have the party in their key:
/// `landlord_violation_counts` (summed) and `portal_mandates`. `from` must already be marked
/// merged into `into` (the violations trigger allows exactly that change of party).
pub fn move_party_columns(c: &mut DbConnection, from: &str, into: &str) -> AppResult<Moved> {
    let mut moved: Moved = Vec::new();
    // Every violation of a party is in one of its cases (a case is the offender's).
    let cases = enforcement_cases::table
        .filter(enforcement_cases::landlord_id.eq(from))
        .select(enforcement_cases::id);
    let n = diesel::update(
        violations::table.filter(violations::case_id.eq_any(cases)).filter(violations::landlord_id.eq(from)),
    )
    .set(violations::landlord_id.eq(into))
    .execute(c)?;
    moved.push(("violations.landlord_id", n));
    move_columns(c, from, into, &mut moved)?;
    moved.push(("landlord_violation_counts", move_violation_counts(c, from, into)?));
    moved.push(("portal_mandates", move_mandates(c, from, into)?));
    Ok(moved)
}

/// Raises the security version of these accounts (their tokens name the old record).
pub fn bump_accounts(c: &mut DbConnection, ids: &[String]) -> AppResult<()> {
    for id in ids {
        diesel::update(accounts::table.find(id))
            .set(accounts::security_version.eq(accounts::security_version + 1))
            .execute(c)?;
    }
    Ok(())
}

/// Adds `from`'s violation counters to `into`'s (summed on the same municipality, dimension and
/// key, so that recidive and history follow the merge) and removes `from`'s.
pub fn move_violation_counts(c: &mut DbConnection, from: &str, into: &str) -> AppResult<usize> {
    use landlord_violation_counts as lvc;
    let rows: Vec<(String, String, String, i64)> = lvc::table
        .filter(lvc::landlord_id.eq(from))
        .select((lvc::municipality_code, lvc::dimension, lvc::key, lvc::n))
        .load(c)?;
    for (municipality, dimension, key, n) in &rows {
        let target = lvc::table
            .filter(lvc::landlord_id.eq(into))
            .filter(lvc::municipality_code.eq(municipality))
            .filter(lvc::dimension.eq(dimension))
            .filter(lvc::key.eq(key));
        let updated = diesel::update(target).set(lvc::n.eq(lvc::n + *n)).execute(c)?;
        if updated == 0 {
            diesel::insert_into(lvc::table)
                .values((
                    lvc::landlord_id.eq(into),
                    lvc::municipality_code.eq(municipality),
                    lvc::dimension.eq(dimension),
                    lvc::key.eq(key),
                    lvc::n.eq(*n),
                ))
                .execute(c)?;
        }
    }
    diesel::delete(lvc::table.filter(lvc::landlord_id.eq(from))).execute(c)?;
    Ok(rows.len())
}

/// Moves `from`'s portal mandates to `into`. Where both granted the same portal, the standing
/// mandate wins (the target's when both stand or both were revoked).
pub fn move_mandates(c: &mut DbConnection, from: &str, into: &str) -> AppResult<usize> {
    use portal_mandates as pm;
    let rows: Vec<(String, NaiveDateTime, Option<NaiveDateTime>)> = pm::table
        .filter(pm::landlord_id.eq(from))
        .select((pm::client_id, pm::granted_at, pm::revoked_at))
        .load(c)?;
    for (client, granted_at, revoked_at) in &rows {
        let theirs: Option<Option<NaiveDateTime>> =
            pm::table.find((into, client)).select(pm::revoked_at).first(c).optional()?;
        match theirs {
            None => {
                diesel::update(pm::table.find((from, client))).set(pm::landlord_id.eq(into)).execute(c)?;
            }
            Some(their_revocation) => {
                if their_revocation.is_some() && revoked_at.is_none() {
                    diesel::update(pm::table.find((into, client)))
                        .set((pm::granted_at.eq(*granted_at), pm::revoked_at.eq(None::<NaiveDateTime>)))
                        .execute(c)?;
                }
                diesel::delete(pm::table.find((from, client))).execute(c)?;
            }
        }
    }
    Ok(rows.len())
}
