//! Typed columns: closed sets (any [`Code`](crate::domain::code::Code) enum) are stored as their
//! text code and read back as the enum, on SQLite and PostgreSQL alike. One macro gives a type
//! what diesel needs — reading (`FromSql`, `Queryable`), writing (`ToSql`) and use in filters and
//! inserts (`AsExpression`, also for `Nullable<Text>`):
//!
//! ```ignore
//! crate::text_columns!(ComplaintStatus, Priority);
//! ```
//!
//! A stored code that the enum does not know is a deserialisation error naming the type and the
//! value (a corrupt row), never a silent default.

/// Implements the diesel traits for text-coded closed sets. See the module documentation.
#[macro_export]
macro_rules! text_columns {
    ($($t:ty),+ $(,)?) => {$(
        impl<DB> diesel::deserialize::FromSql<diesel::sql_types::Text, DB> for $t
        where
            DB: diesel::backend::Backend,
            String: diesel::deserialize::FromSql<diesel::sql_types::Text, DB>,
        {
            fn from_sql(v: DB::RawValue<'_>) -> diesel::deserialize::Result<Self> {
                let s = <String as diesel::deserialize::FromSql<diesel::sql_types::Text, DB>>::from_sql(v)?;
                <$t as $crate::domain::code::Code>::from_code(&s)
                    .ok_or_else(|| format!("unknown {} {:?} in the database", stringify!($t), s).into())
            }
        }

        impl<DB> diesel::deserialize::Queryable<diesel::sql_types::Text, DB> for $t
        where
            DB: diesel::backend::Backend,
            Self: diesel::deserialize::FromSql<diesel::sql_types::Text, DB>,
        {
            type Row = Self;
            fn build(row: Self) -> diesel::deserialize::Result<Self> {
                Ok(row)
            }
        }

        impl<DB> diesel::serialize::ToSql<diesel::sql_types::Text, DB> for $t
        where
            DB: diesel::backend::Backend,
            str: diesel::serialize::ToSql<diesel::sql_types::Text, DB>,
        {
            fn to_sql<'b>(&'b self, out: &mut diesel::serialize::Output<'b, '_, DB>) -> diesel::serialize::Result {
                <str as diesel::serialize::ToSql<diesel::sql_types::Text, DB>>::to_sql(
                    $crate::domain::code::Code::code(*self),
                    out,
                )
            }
        }

        $crate::text_columns!(@expr $t, diesel::sql_types::Text);
        $crate::text_columns!(@expr $t, diesel::sql_types::Nullable<diesel::sql_types::Text>);
    )+};
    (@expr $t:ty, $st:ty) => {
        impl diesel::expression::AsExpression<$st> for $t {
            type Expression = <&'static str as diesel::expression::AsExpression<$st>>::Expression;
            fn as_expression(self) -> Self::Expression {
                <&'static str as diesel::expression::AsExpression<$st>>::as_expression(
                    $crate::domain::code::Code::code(self),
                )
            }
        }

        impl<'a> diesel::expression::AsExpression<$st> for &'a $t {
            type Expression = <&'static str as diesel::expression::AsExpression<$st>>::Expression;
            fn as_expression(self) -> Self::Expression {
                <&'static str as diesel::expression::AsExpression<$st>>::as_expression(
                    $crate::domain::code::Code::code(*self),
                )
            }
        }
    };
}
