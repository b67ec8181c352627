//! One error type for the whole service, rendered as RFC 9457 `application/problem+json` by
//! `http::problem`.

use serde::Serialize;
use utoipa::ToSchema;

/// One offending field: a JSON pointer into the request and the reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct FieldError {
    /// JSON pointer (RFC 6901) to the offending field, e.g. `/kvk_number`; for query or path
    /// parameters `#/query/NAME` or `#/path/NAME`.
    pub pointer: String,
    /// Why the value was refused.
    pub reason: String,
}

impl FieldError {
    pub fn new(pointer: impl Into<String>, reason: impl Into<String>) -> Self {
        Self { pointer: pointer.into(), reason: reason.into() }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// 400: the body is not valid JSON, or the request is otherwise unreadable.
    #[error("bad request: {0}")]
    BadRequest(String),
    /// 422: well-formed, but fields are missing, of the wrong type, or invalid.
    #[error("validation failed")]
    Validation(Vec<FieldError>),
    /// 401: no, expired or invalid credentials.
    #[error("unauthorized: {0}")]
    Unauthorized(String),
    /// 403: authenticated, but this role or scope may not do this.
    #[error("forbidden: {0}")]
    Forbidden(String),
    /// 404
    #[error("not found: {0}")]
    NotFound(String),
    /// 405
    #[error("method not allowed")]
    MethodNotAllowed,
    /// 409: conflicts with the current state (duplicate, illegal transition).
    #[error("conflict: {detail}")]
    Conflict { detail: String, allowed_actions: Option<Vec<String>> },
    /// 409 because of another record (a party with the same KvK number, the record a merged one
    /// was merged into): `existing_id` names it.
    #[error("conflict: {detail}")]
    ConflictWith { detail: String, existing_id: String },
    /// 412: `If-Match` names a version the record no longer has (it was changed since the
    /// caller read it).
    #[error("precondition failed: {0}")]
    PreconditionFailed(String),
    /// 413
    #[error("payload too large (limit {limit} bytes)")]
    PayloadTooLarge { limit: usize },
    /// 415
    #[error("unsupported media type: {0}")]
    UnsupportedMediaType(String),
    /// 429: a limit was reached; `retry_after` (seconds) is sent as the `Retry-After` header.
    #[error("too many requests")]
    TooManyRequests { retry_after: u64 },
    /// 503: a dependency (the database) is not available, or the instance is shutting down.
    /// Sent with `Retry-After` (seconds, [`UNAVAILABLE_RETRY_AFTER_SECS`]).
    #[error("service unavailable: {0}")]
    Unavailable(String),
    /// 503 from `/ready` while the instance drains before shutdown (it still serves other
    /// requests); sent with `Retry-After` like [`AppError::Unavailable`].
    #[error("draining before shutdown")]
    Draining,
    /// 500: everything unexpected. The cause goes to the log, never to the client.
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl AppError {
    pub fn field(pointer: impl Into<String>, reason: impl Into<String>) -> Self {
        AppError::Validation(vec![FieldError::new(pointer, reason)])
    }

    pub fn conflict(detail: impl Into<String>) -> Self {
        AppError::Conflict { detail: detail.into(), allowed_actions: None }
    }

    pub fn internal(e: impl Into<anyhow::Error>) -> Self {
        AppError::Internal(e.into())
    }
}

impl From<diesel::result::Error> for AppError {
    /// A lost or unreachable database is a 503 (logged at WARN, retried by the client); every
    /// other database error is a 500.
    fn from(e: diesel::result::Error) -> Self {
        if is_connection_lost(&e) {
            return AppError::Unavailable(format!("database unavailable: {e}"));
        }
        AppError::Internal(anyhow::Error::new(e).context("database query failed"))
    }
}

/// True when a diesel error means the database is gone or unusable for now, not that the query
/// was wrong: PostgreSQL closed or refused the connection (diesel's `ClosedConnection`, also set
/// when libpq reports the connection bad), the server is shutting down (SQLSTATE class 57P:
/// "terminating connection due to administrator command", "the database system is shutting
/// down"), or SQLite cannot read or open its file, or stayed locked past the busy timeout.
pub fn is_connection_lost(e: &diesel::result::Error) -> bool {
    use diesel::result::{DatabaseErrorKind, Error};
    const MESSAGES: [&str; 14] = [
        // PostgreSQL (libpq and server messages)
        "server closed the connection",
        "could not connect",
        "connection to server",
        "no connection to the server",
        "terminating connection",
        "the database system is",
        "ssl connection has been closed",
        "could not receive data from server",
        "could not send data to server",
        "connection refused",
        // SQLite
        "disk i/o error",
        "unable to open database file",
        "database is locked",
        "database table is locked",
    ];
    match e {
        Error::DatabaseError(DatabaseErrorKind::ClosedConnection, _) => true,
        Error::DatabaseError(DatabaseErrorKind::Unknown, info) => {
            let message = info.message().to_ascii_lowercase();
            MESSAGES.iter().any(|m| message.contains(m))
        }
        _ => false,
    }
}

impl From<diesel::r2d2::PoolError> for AppError {
    fn from(e: diesel::r2d2::PoolError) -> Self {
        AppError::Unavailable(format!("no database connection: {e}"))
    }
}

/// The `Retry-After` of a 503: a short wait, enough for a database restart or fail-over to begin.
pub const UNAVAILABLE_RETRY_AFTER_SECS: u64 = 5;

pub type AppResult<T> = Result<T, AppError>;

#[cfg(test)]
mod tests {
    use diesel::result::{DatabaseErrorKind, Error};

    use super::*;

    fn db_error(kind: DatabaseErrorKind, message: &str) -> Error {
        Error::DatabaseError(kind, Box::new(message.to_string()))
    }

    #[test]
    fn a_lost_or_unreachable_database_is_unavailable() {
        for e in [
            db_error(DatabaseErrorKind::ClosedConnection, "connection closed"),
            db_error(
                DatabaseErrorKind::Unknown,
                "server closed the connection unexpectedly\n\tThis probably means the server terminated abnormally",
            ),
            db_error(DatabaseErrorKind::Unknown, "terminating connection due to administrator command"),
            db_error(DatabaseErrorKind::Unknown, "FATAL:  the database system is shutting down"),
            db_error(DatabaseErrorKind::Unknown, "disk I/O error"),
            db_error(DatabaseErrorKind::Unknown, "unable to open database file"),
            db_error(DatabaseErrorKind::Unknown, "database is locked"),
        ] {
            assert!(matches!(AppError::from(e), AppError::Unavailable(_)));
        }
    }

    #[test]
    fn a_wrong_query_or_constraint_stays_an_internal_error() {
        for e in [
            db_error(DatabaseErrorKind::UniqueViolation, "duplicate key value"),
            db_error(DatabaseErrorKind::Unknown, "no such table: complaints"),
            db_error(DatabaseErrorKind::Unknown, "syntax error at or near \"SELEC\""),
            Error::NotFound,
        ] {
            assert!(matches!(AppError::from(e), AppError::Internal(_)));
        }
    }
}
