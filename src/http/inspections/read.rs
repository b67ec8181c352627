//! Reading inspections: the list, one inspection, and the notice to its occupants.

use actix_web::{get, web, HttpResponse};
use chrono::{DateTime, NaiveDateTime, Utc};

use super::{
    InspectionListQuery, InspectionListResponse, InspectionResponse, NoticeQuery, OccupantNoticeResponse,
};
use crate::db::inspections::{InspectionFilter, InspectionRow};
use crate::domain::ids::Postcode;
use crate::error::{AppError, FieldError};
use crate::http::auth::{Auth, EnforcementRead};
use crate::http::common::{address_dto, address_line, page};
use crate::http::problem::{CreateProblems, ReadProblems, UpdateProblems};
use crate::http::AppState;
use crate::letters::inspections::{OccupantNotice, NOTICE_LANGUAGES};
use crate::service::{self, inspections};

fn encode_inspection_cursor(r: &InspectionRow) -> String {
    format!("{}~{}", r.created_at.and_utc().timestamp_micros(), r.id)
}

fn decode_inspection_cursor(s: &str) -> Option<(NaiveDateTime, String)> {
    let (micros, id) = s.split_once('~')?;
    let at = DateTime::<Utc>::from_timestamp_micros(micros.parse().ok()?)?.naive_utc();
    Some((at, id.to_string()))
}

/// Inspections of the caller's municipalities, newest first; filters and cursor pagination.
#[utoipa::path(
    tag = "inspections",
    security(("bearer" = [])),
    params(InspectionListQuery),
    responses(
        (status = 200, body = InspectionListResponse),
        CreateProblems
    )
)]
#[get("/v1/inspections")]
pub async fn list_inspections(
    state: web::Data<AppState>,
    auth: Auth<EnforcementRead>,
    query: web::Query<InspectionListQuery>,
) -> Result<HttpResponse, AppError> {
    let qy = query.into_inner();
    let mut errs = Vec::new();
    let limit = qy.limit.unwrap_or(50);
    if !(1..=200).contains(&limit) {
        errs.push(FieldError::new("#/query/limit", "must be between 1 and 200"));
    }
    let postcode = match qy.postcode.as_deref().map(Postcode::parse) {
        None => None,
        Some(Ok(p)) => Some(p.compact().to_string()),
        Some(Err(e)) => {
            errs.push(FieldError::new("#/query/postcode", e.to_string()));
            None
        }
    };
    let after = match qy.cursor.as_deref() {
        None => None,
        Some(c) => {
            let parsed = decode_inspection_cursor(c);
            if parsed.is_none() {
                errs.push(FieldError::new("#/query/cursor", "is not a valid cursor"));
            }
            parsed
        }
    };
    if !errs.is_empty() {
        return Err(AppError::Validation(errs));
    }
    let filter = InspectionFilter {
        status: qy.status,
        landlord_id: qy.landlord_id,
        property_id: qy.property_id,
        postcode,
        urgent: qy.urgent,
        referral_pending: qy.referral_pending.unwrap_or(false),
        before: after,
        limit: limit + 1,
    };
    let mut rows = service::read(&state.db, auth.ctx(&state.clock), move |tx| {
        inspections::list_inspections(tx, &filter)
    })
    .await?;
    let next_cursor = page(&mut rows, limit, encode_inspection_cursor);
    let items = rows.into_iter().map(InspectionResponse::of_row).collect::<Result<Vec<_>, _>>()?;
    Ok(HttpResponse::Ok().json(InspectionListResponse { items, next_cursor }))
}

/// One inspection (officers, managers).
#[utoipa::path(
    tag = "inspections",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Inspection id")),
    responses(
        (status = 200, body = InspectionResponse),
        ReadProblems
    )
)]
#[get("/v1/inspections/{id}")]
pub async fn get_inspection(
    state: web::Data<AppState>,
    auth: Auth<EnforcementRead>,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let inspection =
        service::read(&state.db, auth.ctx(&state.clock), move |tx| inspections::get_inspection(tx, &id))
            .await?;
    Ok(HttpResponse::Ok().json(InspectionResponse::of(inspection)?))
}

/// The notice of an inspection to the occupants, in nl, en, pl, ro or uk: why the visit, that
/// entry to each room needs that occupant's own consent (or a warrant), and the meldpunt.
#[utoipa::path(
    tag = "inspections",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Inspection id"), NoticeQuery),
    responses(
        (status = 200, body = OccupantNoticeResponse),
        UpdateProblems
    )
)]
#[get("/v1/inspections/{id}/occupant-notice")]
pub async fn inspection_occupant_notice(
    state: web::Data<AppState>,
    auth: Auth<EnforcementRead>,
    path: web::Path<String>,
    query: web::Query<NoticeQuery>,
) -> Result<HttpResponse, AppError> {
    let lang = query.into_inner().language.unwrap_or_else(|| "nl".into());
    if !NOTICE_LANGUAGES.contains(&lang.as_str()) {
        return Err(AppError::field("#/query/language", "must be one of nl, en, pl, ro, uk"));
    }
    let id = path.into_inner();
    let row =
        service::read(&state.db, auth.ctx(&state.clock), move |tx| inspections::find_inspection(tx, &id))
            .await?;
    let date = row.planned_on.or(row.performed_on).map(|d| d.to_string()).unwrap_or_default();
    let address = address_line(&address_dto(&row.postcode, row.house_number, row.house_number_addition));
    let notice = OccupantNotice {
        language: &lang,
        date: &date,
        address: &address,
        municipality: &state.config.municipality_name,
    }
    .letter()?;
    Ok(HttpResponse::Ok().json(OccupantNoticeResponse {
        title: notice.subject,
        body: notice.body,
        language: lang,
        available_languages: NOTICE_LANGUAGES.iter().map(|s| (*s).to_string()).collect(),
    }))
}
