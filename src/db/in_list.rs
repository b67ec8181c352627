//! `column IN (values)` as one statement text whatever the number of values, so the connection's
//! prepared-statement cache keeps it. diesel's `eq_any` writes `IN (?, ?, …)` on SQLite, one
//! placeholder per value: a new statement shape for every list length, prepared anew on every
//! call and never cached. Here the values travel as ONE bind parameter: a JSON array read with
//! `json_each` on SQLite, a text array with `= ANY(…)` on PostgreSQL (what `eq_any` writes there
//! too). Both backends probe the column's index once per value, as with a literal list.
//!
//! Use it for child rows of a page (rooms of listed properties, messages of a complaint and its
//! duplicates); a leading index column that must also give the order is better filtered with an
//! equality (see [`crate::scoped!`]).

use diesel::expression::{AppearsOnTable, Expression, SelectableExpression, ValidGrouping};
use diesel::pg::Pg;
use diesel::query_builder::{AstPass, QueryFragment, QueryId};
use diesel::sql_types::{Array, Bool, Text};
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
