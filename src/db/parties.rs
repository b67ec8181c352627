//! Party records (landlords, intermediaries, employers: all in `landlords`), their search terms
//! and the staff search. Every insert and update of a party goes through [`insert_party`] or
//! [`update_party`], which keep `party_search_terms` in the same transaction.

use diesel::prelude::*;

use super::accounts::Landlord;
use super::in_list::in_texts;
use super::schema::{accounts, landlords, party_search_terms, properties};
use super::scope::Scope;
use super::DbConnection;
use crate::domain::code::Code;
use crate::domain::landlords::PartyRole;
use crate::domain::party_search;
use crate::error::AppResult;

/// Inserts a party and its search terms. A unique violation (a second recorded party with the
/// same KvK number in the family) is returned as is, so that the caller can name the first.
pub fn insert_party(conn: &mut DbConnection, l: &Landlord) -> QueryResult<()> {
    // In a savepoint: after a refusal the transaction stays usable (PostgreSQL), so that the
    // caller can look up the record that holds the number.
    conn.transaction(|c| {
        diesel::insert_into(landlords::table).values(l.clone()).execute(c)?;
        replace_terms(c, l)
    })
}

/// Writes a party's editable columns (everything but id, role, creation, recording and merge)
/// and renews its search terms. Unique violations are returned as is, like [`insert_party`].
pub fn update_party(conn: &mut DbConnection, l: &Landlord) -> QueryResult<()> {
    conn.transaction(|c| update_row(c, l))
}

fn update_row(conn: &mut DbConnection, l: &Landlord) -> QueryResult<()> {
    diesel::update(landlords::table.find(&l.id))
        .set((
            landlords::kind.eq(l.kind),
            landlords::name.eq(&l.name),
            landlords::kvk_number.eq(&l.kvk_number),
            landlords::contact_email.eq(&l.contact_email),
            landlords::role_detail.eq(l.role_detail),
            landlords::trade_names.eq(&l.trade_names),
            landlords::establishment_postcode.eq(&l.establishment_postcode),
            landlords::establishment_house_number.eq(l.establishment_house_number),
            landlords::establishment_house_number_addition.eq(&l.establishment_house_number_addition),
            landlords::establishment_city.eq(&l.establishment_city),
            landlords::contact_phone.eq(&l.contact_phone),
            landlords::source.eq(l.source),
            landlords::notes.eq(&l.notes),
            landlords::updated_at.eq(l.updated_at),
        ))
        .execute(conn)?;
    replace_terms(conn, l)
}

/// The trade names of a row (`trade_names` holds a JSON array; anything else reads as none).
pub fn trade_names(l: &Landlord) -> Vec<String> {
    serde_json::from_str(&l.trade_names).unwrap_or_default()
}

/// Replaces the search terms of a party with those of its current name, trade names and KvK
/// number. Any code that changes those columns of `landlords` must call this in its transaction.
pub fn replace_terms(conn: &mut DbConnection, l: &Landlord) -> QueryResult<()> {
    diesel::delete(party_search_terms::table.filter(party_search_terms::party_id.eq(&l.id))).execute(conn)?;
    let terms = party_search::party_terms(&l.name, &trade_names(l), l.kvk_number.as_deref());
    for t in &terms {
        diesel::insert_into(party_search_terms::table)
            .values((
                party_search_terms::role.eq(l.role),
                party_search_terms::term.eq(t),
                party_search_terms::party_id.eq(&l.id),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Gives every party without search terms its terms (parties recorded before the search
/// existed); run at start-up. Returns how many were indexed.
pub fn index_missing(conn: &mut DbConnection) -> AppResult<usize> {
    let missing: Vec<Landlord> = landlords::table
        .filter(diesel::dsl::not(diesel::dsl::exists(
            party_search_terms::table.filter(party_search_terms::party_id.eq(landlords::id)),
        )))
        .select(Landlord::as_select())
        .load(conn)?;
    for l in &missing {
        replace_terms(conn, l)?;
    }
    Ok(missing.len())
}

/// The id of the officer-recorded, unmerged party of `role` with this KvK number, other than
/// `except` (the record being edited).
pub fn recorded_with_kvk(
    conn: &mut DbConnection,
    role: PartyRole,
    kvk: &str,
    except: Option<&str>,
) -> AppResult<Option<String>> {
    let mut q = landlords::table
        .filter(landlords::kvk_number.eq(kvk))
        .filter(landlords::role.eq(role))
        .filter(landlords::merged_into.is_null())
        .filter(landlords::source.ne(crate::domain::landlords::PartySource::SelfRegistration))
        .select(landlords::id)
        .into_boxed();
    if let Some(id) = except {
        q = q.filter(landlords::id.ne(id.to_string()));
    }
    Ok(q.order(landlords::id).first(conn).optional()?)
}

/// Which of these parties have an account (an account's `landlord_id` names them).
pub fn with_accounts(conn: &mut DbConnection, ids: &[String]) -> AppResult<Vec<String>> {
    let found: Vec<Option<String>> = accounts::table
        .filter(in_texts(accounts::landlord_id.assume_not_null(), ids))
        .select(accounts::landlord_id)
        .distinct()
        .load(conn)?;
    Ok(found.into_iter().flatten().collect())
}

/// What a staff search asks for.
#[derive(Debug, Clone)]
pub enum PartySearch {
    /// Every record of the family.
    All,
    /// Parties with a term starting with each of these normalised prefixes.
    Prefixes(Vec<String>),
    /// Landlords of a property at this postcode (and house number), in the caller's scope.
    Address { postcode: String, house_number: Option<i32> },
}

/// Unmerged parties of one family matching `search`, by id, after `after`, at most `limit`.
/// Every form runs on an index: the family's ids (`landlords_role_id`), the term ranges (the
/// primary key of `party_search_terms`, one ordered list per prefix, each record then found
/// by id) or the address (`properties_address`).
pub fn search(
    conn: &mut DbConnection,
    scope: &Scope,
    role: PartyRole,
    search: &PartySearch,
    after: Option<&str>,
    limit: i64,
) -> AppResult<Vec<Landlord>> {
    let mut q =
        landlords::table.select(Landlord::as_select()).filter(landlords::merged_into.is_null()).into_boxed();
    match search {
        PartySearch::All => q = q.filter(landlords::role.eq(role)),
        PartySearch::Prefixes(prefixes) => {
            // The family is in the terms; no condition on landlords.role here, so that SQLite
            // walks the ids the ranges give instead of every record of the family.
            for p in prefixes {
                let ids = party_search_terms::table
                    .filter(party_search_terms::role.eq(role))
                    .filter(party_search_terms::term.ge(p.clone()))
                    .filter(party_search_terms::term.lt(party_search::prefix_end(p)))
                    .select(party_search_terms::party_id);
                q = q.filter(landlords::id.eq_any(ids));
            }
        }
        PartySearch::Address { postcode, house_number } => {
            let at_postcode = properties::postcode.eq(postcode.clone());
            // No house number: a number no property has never matches, so `OR` it away.
            let number = properties::house_number
                .eq(house_number.unwrap_or(0))
                .or(house_number.is_none().into_sql::<diesel::sql_types::Bool>());
            let in_scope = scope.codes().map(<[String]>::to_vec);
            let props = properties::table.filter(at_postcode.and(number)).filter(
                in_texts(properties::municipality_code, &in_scope.clone().unwrap_or_default())
                    .or(in_scope.is_none().into_sql::<diesel::sql_types::Bool>()),
            );
            // A property names its landlord and may name its intermediary; employers are found
            // by name or KvK number only.
            q = match role {
                PartyRole::Landlord => {
                    q.filter(landlords::id.eq_any(props.select(properties::landlord_id.assume_not_null())))
                }
                PartyRole::Intermediary => q.filter(
                    landlords::id.eq_any(props.select(properties::intermediary_id.assume_not_null())),
                ),
                PartyRole::Employer => q.filter(false.into_sql::<diesel::sql_types::Bool>()),
            };
            // `role || ''`: the family checked on each record found, not walked by its index.
            q = q.filter(landlords::role.concat("").eq(role.code()));
        }
    }
    if let Some(a) = after {
        q = q.filter(landlords::id.gt(a.to_string()));
    }
    Ok(q.order(landlords::id).limit(limit).load(conn)?)
}

/// The family of a party and the record it was merged into, if any; `None` for an unknown id.
/// The one check before a record names a party ([`crate::service::parties::require_party`]).
pub fn link_target(conn: &mut DbConnection, id: &str) -> AppResult<Option<(PartyRole, Option<String>)>> {
    Ok(landlords::table.find(id).select((landlords::role, landlords::merged_into)).first(conn).optional()?)
}
