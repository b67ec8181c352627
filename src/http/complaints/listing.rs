//! What officers read: the list, one complaint, an attachment's file, and the hotspots.

use actix_web::http::header;
use actix_web::{get, web, HttpResponse};
use chrono::{DateTime, Months, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::{ComplaintListResponse, ComplaintResponse, ComplaintSummary};
use crate::db::complaints::{ComplaintListRow, ListCursor, ListFilter};
use crate::domain::code::Code;
use crate::domain::complaints::{Channel, ComplaintStatus, HotspotKey, Priority};
use crate::domain::ids::Postcode;
use crate::error::{AppError, FieldError};
use crate::http::auth::{Auth, ComplaintStaff};
use crate::http::common::{optional_address, page, parse_date, AddressDto};
use crate::http::problem::{CreateProblems, ReadProblems};
use crate::http::AppState;
use crate::service;
use crate::service::complaints::queries::{self, Hotspots};

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ComplaintListQuery {
    pub status: Option<ComplaintStatus>,
    pub category: Option<String>,
    /// Postcode of the address (`3011 AB` or `3011AB`).
    #[param(
        pattern = r"^\s*[1-9]\s*[0-9]\s*[0-9]\s*[0-9]\s*([A-RT-Za-rt-z]\s*[A-Za-z]|[Ss]\s*[BCE-RT-Zbce-rt-z])\s*$"
    )]
    pub postcode: Option<String>,
    /// Received on or after (YYYY-MM-DD).
    pub received_from: Option<String>,
    /// Received on or before (YYYY-MM-DD).
    pub received_to: Option<String>,
    pub assigned_officer_id: Option<String>,
    pub has_exploitation_signals: Option<bool>,
    pub landlord_id: Option<String>,
    pub property_id: Option<String>,
    pub priority: Option<Priority>,
    /// How the complaints came in: `public`, `portal` or `partner` (partners' signals).
    pub channel: Option<Channel>,
    /// Only open complaints past their handling term.
    pub overdue: Option<bool>,
    /// Opaque cursor from `next_cursor`.
    pub cursor: Option<String>,
    /// 1–200, default 50.
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<i64>,
}

fn encode_cursor(c: &ComplaintListRow) -> String {
    format!("{}~{}~{}", c.priority_rank, c.received_at.and_utc().timestamp_micros(), c.id)
}

fn decode_cursor(s: &str) -> Option<ListCursor> {
    let mut it = s.splitn(3, '~');
    let rank = it.next()?.parse().ok()?;
    let micros: i64 = it.next()?.parse().ok()?;
    let id = it.next()?.to_string();
    let received_at = DateTime::<Utc>::from_timestamp_micros(micros)?.naive_utc();
    Some(ListCursor { rank, received_at, id })
}

/// An optional date of the query string (`#/query/{name}`).
fn query_date(raw: Option<&str>, name: &str, errs: &mut Vec<FieldError>) -> Option<NaiveDate> {
    parse_date(raw?, &format!("#/query/{name}"), errs)
}

/// Complaints of the caller's municipalities, urgent first, then oldest first; filters and cursor
/// pagination.
#[utoipa::path(
    tag = "complaints",
    security(("bearer" = [])),
    params(ComplaintListQuery),
    responses(
        (status = 200, body = ComplaintListResponse),
        CreateProblems
    )
)]
#[get("/v1/complaints")]
pub async fn list_complaints(
    state: web::Data<AppState>,
    auth: Auth<ComplaintStaff>,
    query: web::Query<ComplaintListQuery>,
) -> Result<HttpResponse, AppError> {
    let q = query.into_inner();
    let limit = q.limit.unwrap_or(50);
    let mut errs = Vec::new();
    if !(1..=200).contains(&limit) {
        errs.push(FieldError::new("#/query/limit", "must be between 1 and 200"));
    }
    let postcode = match q.postcode.as_deref() {
        None => None,
        Some(p) => match Postcode::parse(p) {
            Ok(p) => Some(p.compact().to_string()),
            Err(e) => {
                errs.push(FieldError::new("#/query/postcode", e.to_string()));
                None
            }
        },
    };
    let received_from = query_date(q.received_from.as_deref(), "received_from", &mut errs);
    let received_to = query_date(q.received_to.as_deref(), "received_to", &mut errs);
    let after = match q.cursor.as_deref() {
        None => None,
        Some(c) => match decode_cursor(c) {
            Some(c) => Some(c),
            None => {
                errs.push(FieldError::new("#/query/cursor", "is not a valid cursor"));
                None
            }
        },
    };
    if !errs.is_empty() {
        return Err(AppError::Validation(errs));
    }
    let ctx = auth.ctx(&state.clock);
    let today = ctx.today;
    let filter = ListFilter {
        status: q.status,
        category: q.category,
        postcode,
        received_from,
        received_to,
        assigned_officer_id: q.assigned_officer_id,
        has_signals: q.has_exploitation_signals,
        landlord_id: q.landlord_id,
        property_id: q.property_id,
        priority: q.priority,
        channel: q.channel,
        overdue_before: q.overdue.filter(|o| *o).map(|_| today),
        after,
        limit: limit + 1,
    };
    let mut rows = service::read(&state.db, ctx, move |tx| queries::list(tx, filter)).await?;
    let next_cursor = page(&mut rows, limit, encode_cursor);
    let items = rows.iter().map(|c| ComplaintSummary::of(c, today)).collect();
    Ok(HttpResponse::Ok().json(ComplaintListResponse { items, next_cursor }))
}

/// One complaint with its history, messages (including internal notes), attachments and
/// referrals. Landlords never see complaints.
#[utoipa::path(
    tag = "complaints",
    security(("bearer" = [])),
    params(("id" = String, Path)),
    responses(
        (status = 200, body = ComplaintResponse, headers(("ETag" = String, description = "The complaint's version as a strong entity tag (e.g. `\"4\"`); send it as `If-Match` with a change"))),
        ReadProblems
    )
)]
#[get("/v1/complaints/{id}")]
pub async fn get_complaint(
    state: web::Data<AppState>,
    auth: Auth<ComplaintStaff>,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let details = service::read(&state.db, auth.ctx(&state.clock), move |tx| queries::get(tx, &id)).await?;
    Ok(super::complaint_ok(details, auth.role, state.clock.today_nl()))
}

/// An attachment's file (metadata already removed at intake).
#[utoipa::path(
    tag = "complaints",
    security(("bearer" = [])),
    params(("id" = String, Path), ("attachment_id" = String, Path)),
    responses(
        (status = 200, description = "The file", content_type = "application/octet-stream"),
        ReadProblems
    )
)]
#[get("/v1/complaints/{id}/attachments/{attachment_id}")]
pub async fn get_complaint_attachment(
    state: web::Data<AppState>,
    auth: Auth<ComplaintStaff>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let (id, att) = path.into_inner();
    let a = service::read(&state.db, auth.ctx(&state.clock), move |tx| queries::attachment(tx, &id, &att))
        .await?
        .ok_or_else(|| AppError::NotFound("no such attachment".into()))?;
    let path = state.config.complaints.attachment_dir.join(&a.storage_name);
    let bytes = web::block(move || std::fs::read(path))
        .await
        .map_err(|e| AppError::internal(anyhow::anyhow!("file task failed: {e}")))?
        .map_err(|_| AppError::NotFound("the file is no longer stored".into()))?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, a.media_type.code()))
        .insert_header(("x-content-type-options", "nosniff"))
        .insert_header((header::CONTENT_DISPOSITION, "attachment"))
        .body(bytes))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct HotspotQuery {
    /// `address` (default) or `landlord` (linked landlord).
    pub by: Option<HotspotKey>,
    /// First day of the window (YYYY-MM-DD); default 12 months before `to`.
    pub from: Option<String>,
    /// Last day of the window; default today.
    pub to: Option<String>,
    /// Only keys with at least this many complaints, 1–1000000 (default 2).
    #[param(minimum = 1, maximum = 1_000_000)]
    pub min_count: Option<i64>,
    /// 1–500, default 50.
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Hotspot {
    /// The address counted (`by=address`); absent when counting per landlord.
    pub address: Option<AddressDto>,
    pub landlord_id: Option<String>,
    pub complaints: i64,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct HotspotResponse {
    pub by: HotspotKey,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub items: Vec<Hotspot>,
}

/// Number of complaints per address or per landlord over a window (default the last 12 months),
/// most first, for proactive supervision. Merged duplicates are not counted.
#[utoipa::path(
    tag = "complaints",
    security(("bearer" = [])),
    params(HotspotQuery),
    responses(
        (status = 200, body = HotspotResponse),
        CreateProblems
    )
)]
#[get("/v1/complaints/hotspots")]
pub async fn complaint_hotspots(
    state: web::Data<AppState>,
    auth: Auth<ComplaintStaff>,
    query: web::Query<HotspotQuery>,
) -> Result<HttpResponse, AppError> {
    let q = query.into_inner();
    let ctx = auth.ctx(&state.clock);
    let mut errs = Vec::new();
    let to = match q.to.as_deref() {
        None => ctx.today,
        Some(s) => parse_date(s, "#/query/to", &mut errs).unwrap_or_default(),
    };
    let from = match q.from.as_deref() {
        None => to.checked_sub_months(Months::new(12)).unwrap_or(to),
        Some(s) => parse_date(s, "#/query/from", &mut errs).unwrap_or_default(),
    };
    if errs.is_empty() && from > to {
        errs.push(FieldError::new("#/query/from", "must not be after to"));
    }
    let min_count = q.min_count.unwrap_or(2);
    if !(1..=1_000_000).contains(&min_count) {
        errs.push(FieldError::new("#/query/min_count", "must be between 1 and 1000000"));
    }
    let limit = q.limit.unwrap_or(50);
    if !(1..=500).contains(&limit) {
        errs.push(FieldError::new("#/query/limit", "must be between 1 and 500"));
    }
    if !errs.is_empty() {
        return Err(AppError::Validation(errs));
    }
    let by = q.by.unwrap_or_default();
    let cmd = Hotspots { by, from, to, min_count, limit };
    let rows = service::read(&state.db, ctx, move |tx| queries::hotspots(tx, cmd)).await?;
    let items = rows
        .into_iter()
        .map(|r| Hotspot {
            address: optional_address(r.postcode.as_deref(), r.house_number, r.addition),
            landlord_id: r.landlord_id,
            complaints: r.count,
        })
        .collect();
    Ok(HttpResponse::Ok().json(HotspotResponse { by, from, to, items }))
}
