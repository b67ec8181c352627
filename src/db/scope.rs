//! The municipalities a caller may see. Obtained only from an authenticated caller
//! (`http::auth::Caller::scope`), and required by every query over municipal rows, so scoping
//! happens in one place: the query functions here apply it, handlers cannot forget it.

/// Which municipalities' rows a query may touch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scope {
    /// `None`: every municipality (installation admin). Otherwise the caller's CBS codes.
    codes: Option<Vec<String>>,
}

impl Scope {
    pub(crate) fn all() -> Self {
        Scope { codes: None }
    }

    pub(crate) fn only(codes: Vec<String>) -> Self {
        Scope { codes: Some(codes) }
    }

    /// One municipality (service-level tests, jobs working for one municipality).
    pub fn municipality(code: &str) -> Self {
        Scope { codes: Some(vec![code.to_string()]) }
    }

    /// `None` = unrestricted; `Some(codes)` = restrict to these.
    pub fn codes(&self) -> Option<&[String]> {
        self.codes.as_deref()
    }

    pub fn allows(&self, code: &str) -> bool {
        self.codes.as_ref().is_none_or(|c| c.iter().any(|x| x == code))
    }
}

/// Applies a [`Scope`] to a boxed diesel query on a table with a `municipality_code` column.
/// One municipality (the usual case) is an equality, not `= ANY(…)`: PostgreSQL (before 17)
/// cannot walk an index `(municipality_code, …)` in order under `= ANY`, and would sort instead.
#[macro_export]
macro_rules! scoped {
    ($query:expr, $column:expr, $scope:expr) => {{
        let q = $query;
        match $scope.codes() {
            None => q,
            Some([one]) => q.filter($column.eq(one.clone())),
            Some(codes) => q.filter($column.eq_any(codes.to_vec())),
        }
    }};
}
