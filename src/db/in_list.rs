//! `column IN (values)` as one statement text whatever the number of values, so the connection's
//! prepared-statement cache keeps it. diesel's `eq_any` writes `IN (?, ?, …)` on SQLite, one
//! placeholder per value: a new statement shape for every list length, prepared anew on every
//! call and never cached. Here the values travel as ONE bind parameter: a JSON array read with
//! `json_each` on SQLite, a text array with `= ANY(…)` on PostgreSQL (what `eq_any` writes there
//! too). Both backends probe the column's index once per value, as with a literal list.
//!
//! Also here: [`in_codes`] for a constant list of codes and [`row_after`] for a keyset page
//! start, both cacheable where diesel's own forms (`eq_any`, literal SQL) are not.
//!
//! Use [`in_texts`] for child rows of a page (rooms of listed properties, messages of a complaint and its
//! duplicates); a leading index column that must also give the order is better filtered with an
//! equality (see [`crate::scoped!`]).

use diesel::backend::Backend;
use diesel::expression::{AppearsOnTable, Expression, SelectableExpression, ValidGrouping};
use diesel::pg::Pg;
use diesel::query_builder::{AstPass, QueryFragment, QueryId};
use diesel::serialize::ToSql;
use diesel::sql_types::{Array, Bool, HasSqlType, Text};
use diesel::sqlite::Sqlite;
use diesel::QueryResult;

use super::MultiBackend;

/// `column IN (values)` with one bind parameter; built by [`in_texts`].
#[derive(Debug, Clone)]
pub struct InTexts<C> {
    column: C,
    values: Vec<String>,
    /// The values as a JSON array (the SQLite bind).
    json: String,
}

/// `column IN (values)` for a text column, one fixed statement shape for any number of values
/// (none matches nothing).
pub fn in_texts<C>(column: C, values: &[String]) -> InTexts<C>
where
    C: Expression<SqlType = Text>,
{
    // Serialising a list of strings cannot fail; an empty array would match nothing anyway.
    let json = serde_json::to_string(values).unwrap_or_else(|_| "[]".into());
    InTexts { column, values: values.to_vec(), json }
}

impl<C> Expression for InTexts<C> {
    type SqlType = Bool;
}

impl<C, QS> AppearsOnTable<QS> for InTexts<C> where C: AppearsOnTable<QS> {}

impl<C, QS> SelectableExpression<QS> for InTexts<C> where C: SelectableExpression<QS> {}

/// The values are a constant: the expression groups as its column does.
impl<C: ValidGrouping<GB>, GB> ValidGrouping<GB> for InTexts<C> {
    type IsAggregate = C::IsAggregate;
}

impl<C: QueryId> QueryId for InTexts<C> {
    type QueryId = InTexts<C::QueryId>;
    const HAS_STATIC_QUERY_ID: bool = C::HAS_STATIC_QUERY_ID;
}

impl<C: QueryFragment<Sqlite>> QueryFragment<Sqlite> for InTexts<C> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, Sqlite>) -> QueryResult<()> {
        self.column.walk_ast(out.reborrow())?;
        out.push_sql(" IN (SELECT value FROM json_each(");
        out.push_bind_param::<Text, _>(&self.json)?;
        out.push_sql("))");
        Ok(())
    }
}

impl<C: QueryFragment<Pg>> QueryFragment<Pg> for InTexts<C> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, Pg>) -> QueryResult<()> {
        self.column.walk_ast(out.reborrow())?;
        out.push_sql(" = ANY(");
        out.push_bind_param::<Array<Text>, _>(&self.values)?;
        out.push_sql(")");
        Ok(())
    }
}

impl<C> QueryFragment<MultiBackend> for InTexts<C>
where
    Self: QueryFragment<Sqlite> + QueryFragment<Pg>,
{
    fn walk_ast<'b>(&'b self, pass: AstPass<'_, 'b, MultiBackend>) -> QueryResult<()> {
        MultiBackend::walk_variant_ast(self, pass)
    }
}

/// `column IN (?, ?, …)` over a constant list of codes: the same statement text on every call
/// (the list never changes length), which diesel's `eq_any` would still refuse to cache. Same
/// SQL as `eq_any` writes on SQLite, so the query plan is the same too.
#[derive(Debug, Clone, Copy)]
pub struct InCodes<C, const N: usize> {
    column: C,
    codes: [&'static str; N],
}

/// `column IN (codes)` for a constant, non-empty list of text codes.
pub fn in_codes<C, const N: usize>(column: C, codes: [&'static str; N]) -> InCodes<C, N>
where
    C: Expression<SqlType = Text>,
{
    InCodes { column, codes }
}

impl<C, const N: usize> Expression for InCodes<C, N> {
    type SqlType = Bool;
}

impl<C, QS, const N: usize> AppearsOnTable<QS> for InCodes<C, N> where C: AppearsOnTable<QS> {}

impl<C, QS, const N: usize> SelectableExpression<QS> for InCodes<C, N> where C: SelectableExpression<QS> {}

impl<C: ValidGrouping<GB>, GB, const N: usize> ValidGrouping<GB> for InCodes<C, N> {
    type IsAggregate = C::IsAggregate;
}

impl<C: QueryId, const N: usize> QueryId for InCodes<C, N> {
    type QueryId = InCodes<C::QueryId, N>;
    const HAS_STATIC_QUERY_ID: bool = C::HAS_STATIC_QUERY_ID;
}

impl<C, DB, const N: usize> QueryFragment<DB> for InCodes<C, N>
where
    DB: Backend + HasSqlType<Text>,
    C: QueryFragment<DB>,
    str: ToSql<Text, DB>,
{
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        self.column.walk_ast(out.reborrow())?;
        out.push_sql(" IN (");
        for (i, code) in self.codes.iter().enumerate() {
            if i > 0 {
                out.push_sql(", ");
            }
            out.push_bind_param::<Text, str>(code)?;
        }
        out.push_sql(")");
        Ok(())
    }
}

/// `(a, b, c) > (?, ?, ?)`: the start of a keyset page as a row-value comparison, which both
/// SQLite (≥ 3.15) and PostgreSQL turn into an index range start. Written as a node rather
/// than as literal SQL so that diesel can cache the statement (it never caches a statement
/// holding literal SQL).
#[derive(Debug, Clone)]
pub struct RowAfter<A, B, C, X, Y, Z> {
    columns: (A, B, C),
    values: (X, Y, Z),
}

/// `(columns) > (values)`, compared as a row.
pub fn row_after<A, B, C, X, Y, Z>(columns: (A, B, C), values: (X, Y, Z)) -> RowAfter<A, B, C, X, Y, Z> {
    RowAfter { columns, values }
}

impl<A, B, C, X, Y, Z> Expression for RowAfter<A, B, C, X, Y, Z> {
    type SqlType = Bool;
}

impl<A, B, C, X, Y, Z, QS> AppearsOnTable<QS> for RowAfter<A, B, C, X, Y, Z>
where
    A: AppearsOnTable<QS>,
    B: AppearsOnTable<QS>,
    C: AppearsOnTable<QS>,
{
}

impl<A, B, C, X, Y, Z, QS> SelectableExpression<QS> for RowAfter<A, B, C, X, Y, Z>
where
    A: SelectableExpression<QS>,
    B: SelectableExpression<QS>,
    C: SelectableExpression<QS>,
{
}

/// Columns compared with constants: not an aggregate.
impl<A, B, C, X, Y, Z> ValidGrouping<()> for RowAfter<A, B, C, X, Y, Z> {
    type IsAggregate = diesel::expression::is_aggregate::No;
}

impl<A, B, C, X, Y, Z> QueryId for RowAfter<A, B, C, X, Y, Z> {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl<A, B, C, X, Y, Z, DB> QueryFragment<DB> for RowAfter<A, B, C, X, Y, Z>
where
    DB: Backend + HasSqlType<A::SqlType> + HasSqlType<B::SqlType> + HasSqlType<C::SqlType>,
    A: Expression + QueryFragment<DB>,
    B: Expression + QueryFragment<DB>,
    C: Expression + QueryFragment<DB>,
    X: ToSql<A::SqlType, DB>,
    Y: ToSql<B::SqlType, DB>,
    Z: ToSql<C::SqlType, DB>,
{
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        out.push_sql("(");
        self.columns.0.walk_ast(out.reborrow())?;
        out.push_sql(", ");
        self.columns.1.walk_ast(out.reborrow())?;
        out.push_sql(", ");
        self.columns.2.walk_ast(out.reborrow())?;
        out.push_sql(") > (");
        out.push_bind_param::<A::SqlType, X>(&self.values.0)?;
        out.push_sql(", ");
        out.push_bind_param::<B::SqlType, Y>(&self.values.1)?;
        out.push_sql(", ");
        out.push_bind_param::<C::SqlType, Z>(&self.values.2)?;
        out.push_sql(")");
        Ok(())
    }
}
