//! Running a query on the connection's own backend.
//!
//! diesel's `MultiConnection` ([`DbConnection`]) turns every query into its SQL text on every
//! call and keys the prepared-statement cache by that text: building the string costs more than
//! an index look-up itself. On the concrete `SqliteConnection` or `PgConnection` a query whose
//! shape is fixed at compile time is found in the cache by its type, without building any SQL.
//! The hottest look-ups (the public register) go through [`load`]; everything else keeps the
//! `MultiConnection` path, where the difference is lost in the work a request does anyway.

use diesel::pg::PgConnection;
use diesel::query_dsl::LoadQuery;
use diesel::sqlite::SqliteConnection;
use diesel::{QueryResult, RunQueryDsl};

use super::DbConnection;

/// `query.load(conn)` on the connection's own backend.
pub fn load<'q, Q, U>(conn: &mut DbConnection, query: Q) -> QueryResult<Vec<U>>
where
    Q: RunQueryDsl<SqliteConnection>
        + RunQueryDsl<PgConnection>
        + LoadQuery<'q, SqliteConnection, U>
        + LoadQuery<'q, PgConnection, U>,
{
    match conn {
        DbConnection::Sqlite(c) => RunQueryDsl::<SqliteConnection>::load(query, c),
        DbConnection::Postgresql(c) => RunQueryDsl::<PgConnection>::load(query, c),
    }
}
