//! `GET /v1/audit`: the audit trail for managers (their municipalities) and the admin (all).
//! Read-only: the API has no route that writes, changes or deletes audit rows.

use actix_web::{get, web, HttpResponse};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::db::audit::{AuditFilter, AuditRow};
use crate::error::AppError;
use crate::http::auth::{Auth, ManagerOrAdmin};
use crate::http::common::{page, page_limit};
use crate::http::problem::CreateProblems;
use crate::http::AppState;
use crate::service::{self, accounts};

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct AuditQuery {
    /// e.g. `landlord`, `account`, `licence_application`.
    pub entity_type: Option<String>,
    pub entity_id: Option<String>,
    /// Opaque cursor from `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Page size, 1–200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<i64>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct AuditEntryResponse {
    pub id: i64,
    pub occurred_at: DateTime<Utc>,
    pub municipality_code: Option<String>,
    /// `account`, `api_client`, `system` or `anonymous`.
    #[schema(value_type = crate::http::schema::ActorKind)]
    pub actor_kind: String,
    pub actor_id: Option<String>,
    pub entity_type: String,
    pub entity_id: String,
    pub action: String,
    #[schema(value_type = Option<Object>)]
    pub before: Option<serde_json::Value>,
    #[schema(value_type = Option<Object>)]
    pub after: Option<serde_json::Value>,
    pub reason: Option<String>,
    pub request_id: Option<String>,
}

impl From<AuditRow> for AuditEntryResponse {
    fn from(r: AuditRow) -> Self {
        AuditEntryResponse {
            id: r.id,
            occurred_at: r.occurred_at.and_utc(),
            municipality_code: r.municipality_code,
            actor_kind: r.actor_kind,
            actor_id: r.actor_id,
            entity_type: r.entity_type,
            entity_id: r.entity_id,
            action: r.action,
            before: AuditRow::state(r.before_state),
            after: AuditRow::state(r.after_state),
            reason: r.reason,
            request_id: r.request_id,
        }
    }
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct AuditListResponse {
    pub items: Vec<AuditEntryResponse>,
    /// Pass as `cursor` for the next page; absent on the last page.
    pub next_cursor: Option<String>,
}

/// The audit trail, newest first, with cursor pagination.
#[utoipa::path(
    tag = "audit",
    security(("bearer" = [])),
    params(AuditQuery),
    responses(
        (status = 200, body = AuditListResponse),
        CreateProblems
    )
)]
#[get("/v1/audit")]
pub async fn list_audit(
    state: web::Data<AppState>,
    auth: Auth<ManagerOrAdmin>,
    query: web::Query<AuditQuery>,
) -> Result<HttpResponse, AppError> {
    let q = query.into_inner();
    let limit = page_limit(q.limit, 50)?;
    let before_id = match q.cursor.as_deref() {
        None => None,
        Some(c) => {
            Some(c.parse::<i64>().map_err(|_| AppError::field("#/query/cursor", "is not a valid cursor"))?)
        }
    };
    let filter =
        AuditFilter { entity_type: q.entity_type, entity_id: q.entity_id, before_id, limit: limit + 1 };
    let mut rows =
        service::read(&state.db, auth.ctx(&state.clock), move |tx| accounts::audit_trail(tx, &filter))
            .await?;
    let next_cursor = page(&mut rows, limit, |r| r.id.to_string());
    let items = rows.into_iter().map(AuditEntryResponse::from).collect();
    Ok(HttpResponse::Ok().json(AuditListResponse { items, next_cursor }))
}
