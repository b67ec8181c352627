//! Leases (huurovereenkomsten) per property: recorded by officers and managers of the property's
//! municipality (from an inspection, a complaint or otherwise) or by the landlord for their own
//! property, changed later (information given, deposit returned), and shown with the violations
//! of GR-04, GR-05, GR-06, AM-01 and AM-02 their facts show today. The use cases are in
//! `crate::service::leases`; the checks in `crate::domain::general_rules`.

mod dto;

use actix_web::{get, patch, post, web, HttpResponse};
use chrono::NaiveDate;

pub use dto::*;

use crate::domain::general_rules::LeaseRecordedFrom;
use crate::domain::money::Money;
use crate::domain::roles::Role;
use crate::error::{AppError, FieldError};
use crate::http::auth::{Auth, Caller, LeaseKeepers};
use crate::http::common::{page, page_limit, parse_date};
use crate::http::extract::ValidJson;
use crate::http::licensing::viewer;
use crate::http::problem::{AuthProblems, Problem, ReadProblems, UpdateProblems};
use crate::http::AppState;
use crate::service::leases::{self as uc, LeaseTerms, RecordLease, UpdateLease};
use crate::service::{self};

fn is_staff(caller: &Caller) -> bool {
    caller.role != Role::Landlord
}

fn date(raw: Option<&str>, pointer: &str, errs: &mut Vec<FieldError>) -> Option<NaiveDate> {
    raw.and_then(|d| parse_date(d, pointer, errs))
}

/// ISO 639-1: two letters, stored in lower case.
fn languages(raw: Option<Vec<String>>, pointer: &str, errs: &mut Vec<FieldError>) -> Option<Vec<String>> {
    let raw = raw?;
    let mut out = Vec::with_capacity(raw.len());
    for (i, l) in raw.iter().enumerate() {
        let l = l.trim().to_ascii_lowercase();
        if l.len() == 2 && l.bytes().all(|b| b.is_ascii_lowercase()) {
            if !out.contains(&l) {
                out.push(l);
            }
        } else {
            errs.push(FieldError::new(
                format!("{pointer}/{i}"),
                "must be an ISO 639-1 code such as nl or pl",
            ));
        }
    }
    Some(out)
}

fn money(cents: Option<i64>) -> Option<Money> {
    // The range is checked by the request's validation (0 ..= 100,000,000).
    cents.and_then(|c| Money::from_cents(c).ok())
}

/// Parses the facts both requests share.
fn terms(t: TermsDto, errs: &mut Vec<FieldError>) -> LeaseTerms {
    LeaseTerms {
        information_given_on: date(t.information_given_on.as_deref(), "/information_given_on", errs),
        information_languages: languages(t.information_languages, "/information_languages", errs),
        tied_to_employment: t.tied_to_employment,
        occupants_are_labour_migrants: t.occupants_are_labour_migrants,
        occupant_languages: languages(t.occupant_languages, "/occupant_languages", errs),
        rent: money(t.rent_cents),
        service_costs: money(t.service_costs_cents),
        deposit: money(t.deposit_cents),
        deposit_returned_on: date(t.deposit_returned_on.as_deref(), "/deposit_returned_on", errs),
        deposit_deductions: t.deposit_deductions,
        deduction_specification_given: t.deduction_specification_given,
        occupants: t.occupants.and_then(|o| i32::try_from(o).ok()),
        ..LeaseTerms::default()
    }
}

/// Record a lease of a property: officers and managers of its municipality, or its landlord.
#[utoipa::path(
    tag = "leases",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Property id")),
    request_body = CreateLeaseRequest,
    responses(
        (status = 201, body = LeaseResponse),
        UpdateProblems,
        (status = 409, description = "The landlord record named was merged into another one", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/v1/properties/{id}/leases")]
pub async fn create_lease(
    state: web::Data<AppState>,
    auth: Auth<LeaseKeepers>,
    path: web::Path<String>,
    body: ValidJson<CreateLeaseRequest>,
) -> Result<HttpResponse, AppError> {
    let req = body.0;
    let caller = auth.0;
    let staff = is_staff(&caller);
    let mut errs = Vec::new();
    let recorded_from = if staff {
        if req.recorded_from == Some(LeaseRecordedFrom::Landlord) {
            errs.push(FieldError::new("/recorded_from", "`landlord` is for leases a landlord records"));
        }
        req.recorded_from.unwrap_or(LeaseRecordedFrom::Officer)
    } else {
        if req.recorded_from.is_some_and(|r| r != LeaseRecordedFrom::Landlord) {
            errs.push(FieldError::new("/recorded_from", "a landlord records leases as `landlord`"));
        }
        for (field, given) in [
            ("/inspection_id", req.inspection_id.is_some()),
            ("/complaint_id", req.complaint_id.is_some()),
            ("/landlord_id", req.landlord_id.is_some()),
        ] {
            if given {
                errs.push(FieldError::new(field, "is recorded by the municipality"));
            }
        }
        LeaseRecordedFrom::Landlord
    };
    let mut t = terms(req.terms(), &mut errs);
    t.concluded_on = parse_date(&req.concluded_on, "/concluded_on", &mut errs);
    t.starts_on = parse_date(&req.starts_on, "/starts_on", &mut errs);
    t.ends_on = date(req.ends_on.as_deref(), "/ends_on", &mut errs);
    t.form = Some(req.form);
    if !errs.is_empty() {
        return Err(AppError::Validation(errs));
    }
    let cmd = RecordLease {
        viewer: viewer(&caller),
        property_id: path.into_inner(),
        recorded_from,
        inspection_id: req.inspection_id,
        complaint_id: req.complaint_id,
        landlord_id: req.landlord_id,
        terms: t,
        dates: state.config.general_rule_dates.clone(),
    };
    let v = service::write(&state.db, caller.ctx(&state.clock), move |tx| uc::record_lease(tx, cmd)).await?;
    Ok(HttpResponse::Created().json(LeaseResponse::of(v, staff)))
}

/// The leases of a property, by date concluded (keyset pages).
#[utoipa::path(
    tag = "leases",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Property id"), LeaseListQuery),
    responses(
        (status = 200, body = LeaseListResponse),
        ReadProblems,
        (status = 422, description = "Invalid limit or cursor", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/v1/properties/{id}/leases")]
pub async fn list_leases(
    state: web::Data<AppState>,
    auth: Auth<LeaseKeepers>,
    path: web::Path<String>,
    query: web::Query<LeaseListQuery>,
) -> Result<HttpResponse, AppError> {
    let q = query.into_inner();
    let limit = page_limit(q.limit, 50)?;
    let after = match q.cursor.as_deref() {
        None => None,
        Some(c) => Some(
            c.split_once('~')
                .and_then(|(d, id)| Some((NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()?, id.to_string())))
                .ok_or_else(|| AppError::field("#/query/cursor", "is not a cursor of this list"))?,
        ),
    };
    let caller = auth.0;
    let staff = is_staff(&caller);
    let v = viewer(&caller);
    let id = path.into_inner();
    let dates = state.config.general_rule_dates.clone();
    let mut rows = service::read(&state.db, caller.ctx(&state.clock), move |tx| {
        uc::list_leases(tx, &id, &v, after, limit.saturating_add(1), &dates)
    })
    .await?;
    let next_cursor = page(&mut rows, limit, |l| format!("{}~{}", l.row.concluded_on, l.row.id));
    let items = rows.into_iter().map(|l| LeaseResponse::of(l, staff)).collect();
    Ok(HttpResponse::Ok().json(LeaseListResponse { items, next_cursor }))
}

/// One lease with the violations its facts show today.
#[utoipa::path(
    tag = "leases",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Lease id")),
    responses(
        (status = 200, body = LeaseResponse),
        ReadProblems
    )
)]
#[get("/v1/leases/{id}")]
pub async fn get_lease(
    state: web::Data<AppState>,
    auth: Auth<LeaseKeepers>,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let caller = auth.0;
    let staff = is_staff(&caller);
    let v = viewer(&caller);
    let id = path.into_inner();
    let dates = state.config.general_rule_dates.clone();
    let l = service::read(&state.db, caller.ctx(&state.clock), move |tx| uc::get_lease(tx, &id, &v, &dates))
        .await?;
    Ok(HttpResponse::Ok().json(LeaseResponse::of(l, staff)))
}

/// Change a lease (e.g. the information was given later, the deposit returned); audited. A
/// landlord changes only the leases they recorded.
#[utoipa::path(
    tag = "leases",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Lease id")),
    request_body = UpdateLeaseRequest,
    responses(
        (status = 200, body = LeaseResponse),
        UpdateProblems,
        AuthProblems
    )
)]
#[patch("/v1/leases/{id}")]
pub async fn update_lease(
    state: web::Data<AppState>,
    auth: Auth<LeaseKeepers>,
    path: web::Path<String>,
    body: ValidJson<UpdateLeaseRequest>,
) -> Result<HttpResponse, AppError> {
    let req = body.0;
    let caller = auth.0;
    let staff = is_staff(&caller);
    let mut errs = Vec::new();
    let mut t = terms(req.terms(), &mut errs);
    t.concluded_on = date(req.concluded_on.as_deref(), "/concluded_on", &mut errs);
    t.starts_on = date(req.starts_on.as_deref(), "/starts_on", &mut errs);
    t.ends_on = date(req.ends_on.as_deref(), "/ends_on", &mut errs);
    t.form = req.form;
    if !errs.is_empty() {
        return Err(AppError::Validation(errs));
    }
    let cmd = UpdateLease {
        viewer: viewer(&caller),
        id: path.into_inner(),
        terms: t,
        dates: state.config.general_rule_dates.clone(),
    };
    let v = service::write(&state.db, caller.ctx(&state.clock), move |tx| uc::update_lease(tx, cmd)).await?;
    Ok(HttpResponse::Ok().json(LeaseResponse::of(v, staff)))
}
