//! RFC 9457 problem details: every error response of the API has this shape and the media type
//! `application/problem+json`.

use actix_web::http::{header, StatusCode};
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;
use utoipa::ToSchema;

use crate::error::{AppError, FieldError};

tokio::task_local! {
    /// The id of the request being served (set by the request-id middleware).
    pub static REQUEST_ID: String;
}

pub fn current_request_id() -> Option<String> {
    REQUEST_ID.try_with(|id| id.clone()).ok()
}

/// An RFC 9457 problem document.
#[derive(Debug, Serialize, ToSchema)]
pub struct Problem {
    /// Stable identifier of the kind of problem, e.g. `/problems/validation`. Clients branch on
    /// this, never on `title` or `detail`.
    #[serde(rename = "type")]
    #[schema(example = "/problems/validation")]
    pub kind: &'static str,
    /// Short human summary of the kind of problem.
    #[schema(example = "Validation failed")]
    pub title: &'static str,
    /// HTTP status code.
    #[schema(example = 422)]
    pub status: u16,
    /// Human explanation of this occurrence.
    pub detail: String,
    /// Id of this request, also sent as the `X-Request-Id` header; quote it when reporting a
    /// problem.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    /// For validation problems: each offending field with the reason.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
    /// For illegal state transitions: the actions that are allowed from the current state.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allowed_actions: Option<Vec<String>>,
    /// For conflicts with another record: its id (the party with the same KvK number, or the
    /// record a merged one was merged into).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub existing_id: Option<String>,
}

impl AppError {
    fn parts(&self) -> (StatusCode, &'static str, &'static str) {
        match self {
            AppError::BadRequest(_) => (StatusCode::BAD_REQUEST, "/problems/bad-request", "Bad request"),
            AppError::Validation(_) => {
                (StatusCode::UNPROCESSABLE_ENTITY, "/problems/validation", "Validation failed")
            }
            AppError::Unauthorized(_) => (StatusCode::UNAUTHORIZED, "/problems/unauthorized", "Unauthorized"),
            AppError::Forbidden(_) => (StatusCode::FORBIDDEN, "/problems/forbidden", "Forbidden"),
            AppError::NotFound(_) => (StatusCode::NOT_FOUND, "/problems/not-found", "Not found"),
            AppError::MethodNotAllowed => {
                (StatusCode::METHOD_NOT_ALLOWED, "/problems/method-not-allowed", "Method not allowed")
            }
            AppError::Conflict { .. } | AppError::ConflictWith { .. } => {
                (StatusCode::CONFLICT, "/problems/conflict", "Conflict")
            }
            AppError::PreconditionFailed(_) => {
                (StatusCode::PRECONDITION_FAILED, "/problems/precondition-failed", "Precondition failed")
            }
            AppError::PayloadTooLarge { .. } => {
                (StatusCode::PAYLOAD_TOO_LARGE, "/problems/payload-too-large", "Payload too large")
            }
            AppError::UnsupportedMediaType(_) => (
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "/problems/unsupported-media-type",
                "Unsupported media type",
            ),
            AppError::TooManyRequests { .. } => {
                (StatusCode::TOO_MANY_REQUESTS, "/problems/too-many-requests", "Too many requests")
            }
            AppError::Unavailable(_) | AppError::Draining => {
                (StatusCode::SERVICE_UNAVAILABLE, "/problems/unavailable", "Service unavailable")
            }
            AppError::Internal(_) => {
                (StatusCode::INTERNAL_SERVER_ERROR, "/problems/internal", "Internal server error")
            }
        }
    }

    pub fn to_problem(&self) -> Problem {
        let (status, kind, title) = self.parts();
        let (detail, errors, allowed_actions) = match self {
            AppError::BadRequest(d)
            | AppError::Unauthorized(d)
            | AppError::Forbidden(d)
            | AppError::NotFound(d)
            | AppError::PreconditionFailed(d)
            | AppError::UnsupportedMediaType(d) => (d.clone(), vec![], None),
            AppError::Validation(errs) => (
                format!(
                    "{} field(s) are invalid: {}",
                    errs.len(),
                    errs.iter()
                        .map(|e| format!("{} ({})", e.pointer, e.reason))
                        .collect::<Vec<_>>()
                        .join("; ")
                ),
                errs.clone(),
                None,
            ),
            AppError::MethodNotAllowed => {
                ("This method is not supported on this resource.".into(), vec![], None)
            }
            AppError::Conflict { detail, allowed_actions } => {
                (detail.clone(), vec![], allowed_actions.clone())
            }
            AppError::ConflictWith { detail, .. } => (detail.clone(), vec![], None),
            AppError::PayloadTooLarge { limit } => {
                (format!("The request body exceeds the limit of {limit} bytes."), vec![], None)
            }
            AppError::TooManyRequests { .. } => ("Too many requests; try again later.".into(), vec![], None),
            // Never expose internals; the cause is logged with the request id.
            AppError::Unavailable(_) => ("A dependency is temporarily unavailable.".into(), vec![], None),
            AppError::Draining => ("draining: this instance is shutting down".into(), vec![], None),
            AppError::Internal(_) => {
                ("An unexpected error occurred. It has been logged.".into(), vec![], None)
            }
        };
        Problem {
            kind,
            title,
            status: status.as_u16(),
            detail,
            request_id: current_request_id(),
            errors,
            allowed_actions,
            existing_id: match self {
                AppError::ConflictWith { existing_id, .. } => Some(existing_id.clone()),
                _ => None,
            },
        }
    }
}

impl ResponseError for AppError {
    fn status_code(&self) -> StatusCode {
        self.parts().0
    }

    fn error_response(&self) -> HttpResponse {
        match self {
            AppError::Internal(e) => tracing::error!(error = %format!("{e:#}"), "internal error"),
            AppError::Unavailable(d) => tracing::warn!(detail = %d, "service unavailable"),
            _ => {}
        }
        let problem = self.to_problem();
        let mut res = HttpResponse::build(self.status_code());
        res.insert_header((header::CONTENT_TYPE, "application/problem+json"));
        match self {
            AppError::Unauthorized(_) => {
                res.insert_header((header::WWW_AUTHENTICATE, "Bearer realm=\"huurtoezicht\""));
            }
            AppError::TooManyRequests { retry_after } => {
                res.insert_header((header::RETRY_AFTER, retry_after.max(&1).to_string()));
            }
            AppError::Unavailable(_) | AppError::Draining => {
                res.insert_header((
                    header::RETRY_AFTER,
                    crate::error::UNAVAILABLE_RETRY_AFTER_SECS.to_string(),
                ));
            }
            _ => {}
        }
        res.body(serde_json::to_string(&problem).unwrap_or_else(|_| "{}".into()))
    }
}

// ---------------------------------------------------------------------------------------------
// The standard error responses of the OpenAPI document, declared once (`responses(…)` of a path
// lists these types next to its own tuples).
// ---------------------------------------------------------------------------------------------

fn problem_response(description: &str) -> utoipa::openapi::RefOr<utoipa::openapi::response::Response> {
    use utoipa::openapi::{ContentBuilder, Ref, ResponseBuilder};
    ResponseBuilder::new()
        .description(description)
        .content(
            "application/problem+json",
            ContentBuilder::new().schema(Some(Ref::from_schema_name("Problem"))).build(),
        )
        .build()
        .into()
}

fn problem_responses(
    items: &[(&str, &str)],
) -> std::collections::BTreeMap<String, utoipa::openapi::RefOr<utoipa::openapi::response::Response>> {
    items.iter().map(|(status, description)| ((*status).to_string(), problem_response(description))).collect()
}

/// 401 (no valid access token) and 403 (the caller's role or scope may not do this).
pub struct AuthProblems;

impl utoipa::IntoResponses for AuthProblems {
    fn responses(
    ) -> std::collections::BTreeMap<String, utoipa::openapi::RefOr<utoipa::openapi::response::Response>> {
        problem_responses(&[
            ("401", "No valid access token (missing, expired, wrong signature, issuer or audience)"),
            ("403", "The caller's role or scope may not do this"),
        ])
    }
}

/// 404: not there, or not visible to the caller (another landlord's or municipality's record).
pub struct NotFoundProblem;

impl utoipa::IntoResponses for NotFoundProblem {
    fn responses(
    ) -> std::collections::BTreeMap<String, utoipa::openapi::RefOr<utoipa::openapi::response::Response>> {
        problem_responses(&[("404", "Not found, or not visible to the caller")])
    }
}

/// 409: not allowed in the current state; `allowed_actions` names what is.
pub struct ConflictProblem;

impl utoipa::IntoResponses for ConflictProblem {
    fn responses(
    ) -> std::collections::BTreeMap<String, utoipa::openapi::RefOr<utoipa::openapi::response::Response>> {
        problem_responses(&[("409", "Not allowed in the current state; `allowed_actions` names what is")])
    }
}

/// 422: invalid input; `errors` names each field (JSON pointer) with the reason.
pub struct ValidationProblem;

impl utoipa::IntoResponses for ValidationProblem {
    fn responses(
    ) -> std::collections::BTreeMap<String, utoipa::openapi::RefOr<utoipa::openapi::response::Response>> {
        problem_responses(&[(
            "422",
            "Invalid input: `errors` names each field (JSON pointer) and the reason",
        )])
    }
}

/// 409 and 422 of a create route that takes an `Idempotency-Key` (docs/idempotency.md). Listed
/// after the route's other answers, whose 409 and 422 it describes in full.
pub struct IdempotencyProblems;

impl utoipa::IntoResponses for IdempotencyProblems {
    fn responses(
    ) -> std::collections::BTreeMap<String, utoipa::openapi::RefOr<utoipa::openapi::response::Response>> {
        problem_responses(&[
            (
                "409",
                "Not allowed in the current state, or a request with the same `Idempotency-Key` is still being processed (retry it)",
            ),
            (
                "422",
                "Invalid input: `errors` names each field (JSON pointer) and the reason; `#/header/Idempotency-Key` when the key is malformed or was reused with a different request",
            ),
        ])
    }
}

/// 429: too many requests from this address; `Retry-After` says how long to wait.
pub struct TooManyRequestsProblem;

impl utoipa::IntoResponses for TooManyRequestsProblem {
    fn responses(
    ) -> std::collections::BTreeMap<String, utoipa::openapi::RefOr<utoipa::openapi::response::Response>> {
        problem_responses(&[(
            "429",
            "Too many requests from this address; `Retry-After` says how long to wait",
        )])
    }
}

/// Declares a set of the standard problem responses under one name, for the combinations most
/// routes share: `problem_set!(Name: AuthProblems, NotFoundProblem)`.
macro_rules! problem_set {
    ($(#[$doc:meta])* $name:ident: $($part:ident),+) => {
        $(#[$doc])*
        pub struct $name;

        impl utoipa::IntoResponses for $name {
            fn responses(
            ) -> std::collections::BTreeMap<String, utoipa::openapi::RefOr<utoipa::openapi::response::Response>> {
                let mut all = std::collections::BTreeMap::new();
                $(all.extend(<$part as utoipa::IntoResponses>::responses());)+
                all
            }
        }
    };
}

problem_set!(
    /// 401, 403, 404: reading one record.
    ReadProblems: AuthProblems, NotFoundProblem
);
problem_set!(
    /// 401, 403, 422: creating a record.
    CreateProblems: AuthProblems, ValidationProblem
);
problem_set!(
    /// 401, 403, 404, 422: changing a record.
    UpdateProblems: AuthProblems, NotFoundProblem, ValidationProblem
);
problem_set!(
    /// 401, 403, 404, 409: a step the record's state may not allow.
    StepProblems: AuthProblems, NotFoundProblem, ConflictProblem
);
problem_set!(
    /// 401, 403, 404, 409, 422: a step with input the record's state may not allow.
    CaseworkProblems: AuthProblems, NotFoundProblem, ConflictProblem, ValidationProblem
);
