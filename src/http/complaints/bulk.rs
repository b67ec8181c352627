//! One state change for many complaints in one request (`POST /v1/complaints/bulk-transitions`):
//! each item is changed in its own transaction by the single-complaint transition use case, and
//! answered on its own.

use std::collections::HashSet;

use actix_web::{post, web, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::domain::complaints::{ComplaintAction, ComplaintStatus};
use crate::domain::versions::etag;
use crate::error::{AppError, FieldError};
use crate::http::auth::{Auth, ComplaintStaff};
use crate::http::extract::ValidJson;
use crate::http::problem::{AuthProblems, Problem, ValidationProblem};
use crate::http::AppState;
use crate::service::complaints::bulk::{self, BulkItem, BulkTransition};

/// The same state change, with the same reason, for each listed complaint.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BulkTransitionRequest {
    pub action: ComplaintAction,
    /// Why (required; audited with every changed complaint). Do not put a reporter's personal
    /// data here.
    #[validate(length(min = 1, max = 2000))]
    #[schema(min_length = 1, max_length = 2000)]
    pub reason: String,
    /// The complaints, each at most once; at most `HUURTOEZICHT_COMPLAINT_BULK_MAX_ITEMS`
    /// (default 2,000; 422 above).
    #[validate(length(min = 1), nested)]
    #[schema(min_items = 1)]
    pub items: Vec<BulkTransitionItem>,
}

/// One complaint of a bulk state change.
#[derive(Debug, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BulkTransitionItem {
    /// The complaint's id.
    pub id: String,
    /// Optional: the version you read (the number inside the complaint's `ETag`). The item
    /// then fails as `stale` (412) when the complaint has another version, as a single change
    /// with `If-Match` would.
    #[validate(range(min = 1, max = 2147483647))]
    #[schema(minimum = 1, maximum = 2147483647)]
    pub version: Option<i32>,
}

/// What happened to one item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum BulkItemOutcome {
    /// The complaint was changed (one audit row, one event).
    Changed,
    /// The complaint was not changed; `problem` says why.
    Failed,
}

/// The result of one item, in the order of the request.
#[derive(Debug, Serialize, ToSchema)]
pub struct BulkTransitionResult {
    pub id: String,
    pub outcome: BulkItemOutcome,
    /// `changed`: the complaint's new status.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<ComplaintStatus>,
    /// `changed`: the complaint's new `ETag`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub etag: Option<String>,
    /// `failed`: why, as the single change would have answered it (`/problems/not-found` for
    /// an unknown complaint or one of another municipality, `/problems/conflict` with
    /// `allowed_actions` for a change its status does not allow, `/problems/precondition-failed`
    /// for a stale `version`, …).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub problem: Option<Problem>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BulkTransitionResponse {
    /// How many complaints were changed.
    pub changed: usize,
    /// How many items failed.
    pub failed: usize,
    pub results: Vec<BulkTransitionResult>,
}

/// Change the state of many complaints at once (e.g. close the duplicates of a campaign). Each
/// item is changed in its own transaction, exactly as `POST /v1/complaints/{id}/transitions`
/// would change it (the same rules, letters, audit row and event): a failing item changes
/// nothing and stops nothing else. Answers 200 with a result per item, in the order of the
/// request, and the counts. Unknown complaints and those of other municipalities fail as
/// not found.
#[utoipa::path(
    tag = "complaints",
    security(("bearer" = [])),
    request_body = BulkTransitionRequest,
    responses(
        (status = 200, body = BulkTransitionResponse),
        AuthProblems,
        ValidationProblem
    )
)]
#[post("/v1/complaints/bulk-transitions")]
pub async fn bulk_transition_complaints(
    state: web::Data<AppState>,
    auth: Auth<ComplaintStaff>,
    body: ValidJson<BulkTransitionRequest>,
) -> Result<HttpResponse, AppError> {
    let req = body.0;
    let settings = &state.config.complaints;
    if req.items.len() > settings.bulk_max_items {
        return Err(AppError::field(
            "/items",
            format!(
                "at most {} items per request; send the rest in another request",
                settings.bulk_max_items
            ),
        ));
    }
    let mut seen = HashSet::new();
    let mut errors = Vec::new();
    for (i, item) in req.items.iter().enumerate() {
        if item.id.trim().is_empty() {
            errors.push(FieldError::new(format!("/items/{i}/id"), "must not be blank"));
        } else if !seen.insert(item.id.as_str()) {
            errors.push(FieldError::new(format!("/items/{i}/id"), "is listed more than once"));
        }
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let cmd = BulkTransition {
        action: req.action,
        reason: req.reason,
        items: req.items.into_iter().map(|i| BulkItem { id: i.id, version: i.version }).collect(),
        catalogue: settings.catalogue.clone(),
    };
    let ctx = auth.ctx(&state.clock);
    let answers = bulk::transition_each(&state.db, ctx, cmd, settings.bulk_concurrency).await;
    let results: Vec<BulkTransitionResult> = answers
        .into_iter()
        .map(|(id, answer)| match answer {
            Ok(c) => BulkTransitionResult {
                id,
                outcome: BulkItemOutcome::Changed,
                status: Some(c.status),
                etag: Some(etag(c.version)),
                problem: None,
            },
            Err(e) => {
                if let AppError::Internal(cause) = &e {
                    tracing::error!(error = %format!("{cause:#}"), complaint = %id, "bulk item failed");
                }
                BulkTransitionResult {
                    id,
                    outcome: BulkItemOutcome::Failed,
                    status: None,
                    etag: None,
                    problem: Some(e.to_problem()),
                }
            }
        })
        .collect();
    let changed = results.iter().filter(|r| r.outcome == BulkItemOutcome::Changed).count();
    Ok(HttpResponse::Ok().json(BulkTransitionResponse { changed, failed: results.len() - changed, results }))
}
