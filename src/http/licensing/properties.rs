//! Properties (wooneenheden): address, BAG id, usable floor area, rooms and facilities.
//! Landlords manage their own; officers record and see those of their municipalities.

use actix_web::{get, patch, post, web, HttpResponse};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use crate::db::properties::PropertyFilter;
use crate::domain::ids::{BagId, MunicipalityCode, Postcode};
pub use crate::domain::licensing_codes::PropertyKind;
use crate::domain::roles::Role;
use crate::error::{AppError, FieldError};
use crate::http::auth::{Auth, CaseworkReaders, LandlordOrOfficer};
use crate::http::common::{address_dto, page, page_limit, query_house_number, AddressDto};
use crate::http::extract::ValidJson;
use crate::http::idempotency::{created, respond, IdempotencyKeyHeader, KeyedJson};
use crate::http::licensing::{read_as, viewer, write_register};
use crate::http::problem::{CreateProblems, IdempotencyProblems, Problem, ReadProblems, UpdateProblems};
use crate::http::AppState;
use crate::service::idempotency::idempotent;
use crate::service::licensing::properties::{
    self as uc, CreateProperty, FacilityCounts, PropertyView, RoomInput, UpdateProperty,
};

/// A room of the property.
#[derive(Debug, Clone, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RoomDto {
    /// Unique within the property, e.g. `kamer 1`.
    #[validate(length(min = 1, max = 50))]
    #[schema(min_length = 1, max_length = 50)]
    pub label: String,
    /// Floor area in m² (two decimals).
    #[schema(example = 9.5)]
    pub area_m2: f64,
    /// A bedroom (slaapruimte).
    pub sleeping_room: bool,
}

/// Shared facilities (counts).
#[derive(Debug, Clone, Default, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields, default)]
pub struct FacilitiesDto {
    #[validate(range(max = 1000))]
    #[schema(maximum = 1000)]
    pub toilets: u32,
    /// Showers or baths.
    #[validate(range(max = 1000))]
    #[schema(maximum = 1000)]
    pub showers: u32,
    #[validate(range(max = 1000))]
    #[schema(maximum = 1000)]
    pub kitchens: u32,
    /// Cooking points (kookpunten) over all kitchens.
    #[validate(range(max = 1000))]
    #[schema(maximum = 1000)]
    pub cooking_points: u32,
    #[validate(range(max = 1000))]
    #[schema(maximum = 1000)]
    pub washbasins: u32,
    #[validate(range(max = 1000))]
    #[schema(maximum = 1000)]
    pub washing_machines: u32,
}

/// Record a property.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreatePropertyRequest {
    #[validate(nested)]
    pub address: AddressDto,
    /// BAG verblijfsobject id, 16 digits.
    #[schema(example = "0599010000123456")]
    pub bag_id: Option<String>,
    /// CBS buurtcode or local neighbourhood code (decides designated areas).
    #[validate(length(max = 20))]
    #[schema(max_length = 20)]
    pub neighbourhood_code: Option<String>,
    pub kind: PropertyKind,
    /// Usable floor area (gebruiksoppervlakte) in m².
    #[schema(example = 60.0)]
    pub usable_floor_area_m2: f64,
    #[serde(default)]
    #[validate(length(max = 200), nested)]
    #[schema(max_items = 200)]
    pub rooms: Vec<RoomDto>,
    #[serde(default)]
    #[validate(nested)]
    pub facilities: FacilitiesDto,
    /// Officers only: the landlord of the property (a landlord's own id is implied).
    pub landlord_id: Option<String>,
    /// The intermediary (verhuurbemiddelaar or beheerder) that lets or manages the property:
    /// a record of `/v1/intermediaries` that was not merged away.
    #[validate(length(max = 64))]
    #[schema(max_length = 64)]
    pub intermediary_id: Option<String>,
    /// CBS code; default the installation's municipality.
    pub municipality_code: Option<String>,
}

/// Change a property: only the fields sent change; `rooms` replaces all rooms.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdatePropertyRequest {
    /// The whole address (postcode, house number and addition) replaces the old one.
    #[validate(nested)]
    pub address: Option<AddressDto>,
    pub bag_id: Option<String>,
    #[validate(length(max = 20))]
    #[schema(max_length = 20)]
    pub neighbourhood_code: Option<String>,
    pub kind: Option<PropertyKind>,
    pub usable_floor_area_m2: Option<f64>,
    #[validate(length(max = 200), nested)]
    #[schema(max_items = 200)]
    pub rooms: Option<Vec<RoomDto>>,
    #[validate(nested)]
    pub facilities: Option<FacilitiesDto>,
    /// Officers only: a permit needed to realise the dwelling is missing (screening fact for
    /// the refusal ground `missing_building_permit`, rules.md §2.5).
    pub missing_building_permit: Option<bool>,
    /// The intermediary that lets or manages the property; `""` removes it.
    #[validate(length(max = 64))]
    #[schema(max_length = 64)]
    pub intermediary_id: Option<String>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct PropertyResponse {
    pub id: String,
    pub municipality_code: String,
    pub landlord_id: Option<String>,
    /// The intermediary that lets or manages the property.
    pub intermediary_id: Option<String>,
    pub address: AddressDto,
    pub bag_id: Option<String>,
    pub neighbourhood_code: Option<String>,
    pub kind: PropertyKind,
    pub usable_floor_area_m2: f64,
    pub rooms: Vec<RoomDto>,
    pub facilities: FacilitiesDto,
    /// A permit needed to realise the dwelling is missing (recorded by an officer).
    pub missing_building_permit: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct PropertyListResponse {
    pub items: Vec<PropertyResponse>,
    /// Pass as `cursor` for the next page; absent on the last page.
    pub next_cursor: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct PropertyQuery {
    #[param(
        pattern = r"^\s*[1-9]\s*[0-9]\s*[0-9]\s*[0-9]\s*([A-RT-Za-rt-z]\s*[A-Za-z]|[Ss]\s*[BCE-RT-Zbce-rt-z])\s*$"
    )]
    pub postcode: Option<String>,
    #[param(minimum = 1, maximum = 99999)]
    pub house_number: Option<u32>,
    /// Staff only: properties of one landlord.
    pub landlord_id: Option<String>,
    pub cursor: Option<String>,
    /// Page size, 1–200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<i64>,
}

/// m² (as sent) to dm² (as stored and computed: exact integers).
pub(crate) fn to_dm2(m2: f64, pointer: &str, max_m2: f64, errs: &mut Vec<FieldError>) -> i32 {
    if !m2.is_finite() || m2 <= 0.0 || m2 > max_m2 {
        errs.push(FieldError::new(pointer, format!("must be a number of m² above 0 and at most {max_m2}")));
        return 0;
    }
    (m2 * 100.0).round() as i32
}

pub(crate) fn to_m2(dm2: i32) -> f64 {
    f64::from(dm2) / 100.0
}

/// The property's address: the postcode compact (as stored) and the addition upper case, `""`
/// when there is none (as stored).
fn parse_property_address(a: &AddressDto, errs: &mut Vec<FieldError>) -> Option<(String, i32, String)> {
    let postcode = Postcode::parse(&a.postcode)
        .map_err(|e| errs.push(FieldError::new("/address/postcode", e.to_string())))
        .ok();
    if !(1..=99_999).contains(&a.house_number) {
        errs.push(FieldError::new("/address/house_number", "must be between 1 and 99999"));
    }
    let addition = a.addition.as_deref().map(str::trim).unwrap_or("").to_ascii_uppercase();
    if addition.chars().count() > 10 || !addition.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        errs.push(FieldError::new("/address/addition", "at most 10 letters, digits or '-'"));
    }
    Some((postcode?.compact().to_string(), a.house_number, addition))
}

fn parse_rooms(rooms: &[RoomDto], errs: &mut Vec<FieldError>) -> Vec<RoomInput> {
    let mut out = Vec::with_capacity(rooms.len());
    let mut seen = std::collections::HashSet::new();
    for (i, r) in rooms.iter().enumerate() {
        let label = r.label.trim().to_string();
        if label.is_empty() {
            errs.push(FieldError::new(format!("/rooms/{i}/label"), "must not be blank"));
        } else if !seen.insert(label.to_lowercase()) {
            errs.push(FieldError::new(
                format!("/rooms/{i}/label"),
                "is used for another room of this property",
            ));
        }
        let area = to_dm2(r.area_m2, &format!("/rooms/{i}/area_m2"), 10_000.0, errs);
        out.push(RoomInput { label, area_dm2: area, sleeping_room: r.sleeping_room });
    }
    out
}

impl From<&FacilitiesDto> for FacilityCounts {
    fn from(f: &FacilitiesDto) -> Self {
        let n = |v: u32| i32::try_from(v).unwrap_or(i32::MAX);
        FacilityCounts {
            toilets: n(f.toilets),
            showers: n(f.showers),
            kitchens: n(f.kitchens),
            cooking_points: n(f.cooking_points),
            washbasins: n(f.washbasins),
            washing_machines: n(f.washing_machines),
        }
    }
}

pub(crate) fn property_response(v: PropertyView) -> PropertyResponse {
    let PropertyView { property: p, rooms } = v;
    let u = |v: i32| u32::try_from(v).unwrap_or(0);
    PropertyResponse {
        address: address_dto(&p.postcode, p.house_number, Some(p.house_number_addition)),
        bag_id: p.bag_id,
        neighbourhood_code: p.neighbourhood_code,
        kind: p.kind,
        usable_floor_area_m2: to_m2(p.usable_floor_area_dm2),
        rooms: rooms
            .into_iter()
            .map(|r| RoomDto { label: r.label, area_m2: to_m2(r.area_dm2), sleeping_room: r.sleeping_room })
            .collect(),
        facilities: FacilitiesDto {
            toilets: u(p.toilets),
            showers: u(p.showers),
            kitchens: u(p.kitchens),
            cooking_points: u(p.cooking_points),
            washbasins: u(p.washbasins),
            washing_machines: u(p.washing_machines),
        },
        missing_building_permit: p.building_permit_missing,
        id: p.id,
        municipality_code: p.municipality_code,
        landlord_id: p.landlord_id,
        intermediary_id: p.intermediary_id,
        created_at: p.created_at.and_utc(),
        updated_at: p.updated_at.and_utc(),
    }
}

/// Record a property (landlord: their own; officer: for any landlord, or without one).
#[utoipa::path(
    tag = "properties",
    security(("bearer" = [])),
    params(IdempotencyKeyHeader),
    request_body = CreatePropertyRequest,
    responses(
        (status = 201, body = PropertyResponse, headers(("Idempotent-Replayed" = String, description = "`true` on the answer to a retry with the same Idempotency-Key and body: the original answer; nothing new was recorded"))),
        CreateProblems,
        IdempotencyProblems,
        (status = 409, description = "The landlord already registered this address, or a request with the same `Idempotency-Key` is still being processed (retry it)", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/v1/properties")]
pub async fn create_property(
    state: web::Data<AppState>,
    auth: Auth<LandlordOrOfficer>,
    body: KeyedJson<CreatePropertyRequest>,
) -> Result<HttpResponse, AppError> {
    let KeyedJson { body: req, idempotency } = body;
    let caller = auth.0;
    let mut errs = Vec::new();
    let address = parse_property_address(&req.address, &mut errs);
    let bag_id = match req.bag_id.as_deref() {
        None => None,
        Some(b) => BagId::parse(b).map_err(|e| errs.push(FieldError::new("/bag_id", e.to_string()))).ok(),
    };
    let area = to_dm2(req.usable_floor_area_m2, "/usable_floor_area_m2", 100_000.0, &mut errs);
    let rooms = parse_rooms(&req.rooms, &mut errs);
    let landlord_id = match caller.role {
        Role::Landlord => {
            if req.landlord_id.is_some() {
                errs.push(FieldError::new("/landlord_id", "is set from your account; leave it out"));
            }
            if caller.landlord_id.is_none() {
                return Err(AppError::Unauthorized("this landlord account has no landlord record".into()));
            }
            caller.landlord_id.clone()
        }
        _ => req.landlord_id.clone(),
    };
    let municipality = match req.municipality_code.as_deref() {
        None => state.config.municipality_code.as_str().to_string(),
        Some(raw) => match MunicipalityCode::parse(raw) {
            Ok(m) => m.as_str().to_string(),
            Err(e) => {
                errs.push(FieldError::new("/municipality_code", e.to_string()));
                String::new()
            }
        },
    };
    if caller.role != Role::Landlord && !caller.scope().allows(&municipality) && errs.is_empty() {
        errs.push(FieldError::new("/municipality_code", "is not one of your municipalities"));
    }
    // A landlord records properties only in the municipality this installation serves (whose
    // rule set it applies), even when other codes exist in the database.
    let served = state.config.municipality_code.as_str();
    if caller.role == Role::Landlord && !municipality.is_empty() && municipality != served {
        errs.push(FieldError::new(
            "/municipality_code",
            format!("is not the municipality this installation serves ({served})"),
        ));
    }
    let (Some((postcode, house_number, addition)), true) = (address, errs.is_empty()) else {
        return Err(AppError::Validation(errs));
    };
    let cmd = CreateProperty {
        municipality_code: municipality,
        landlord_id,
        postcode,
        house_number,
        house_number_addition: addition,
        bag_id: bag_id.map(|b| b.as_str().to_string()),
        neighbourhood_code: req.neighbourhood_code,
        kind: req.kind,
        usable_floor_area_dm2: area,
        rooms,
        facilities: FacilityCounts::from(&req.facilities),
        intermediary_id: req.intermediary_id.map(|i| i.trim().to_string()),
    };
    let outcome = write_register(&state, caller.ctx(&state.clock), move |tx| {
        idempotent(tx, idempotency, |tx| created(&property_response(uc::create(tx, cmd)?)))
    })
    .await?;
    Ok(respond(outcome))
}

/// Properties: a landlord's own, or those of the officer's municipalities (keyset pages).
#[utoipa::path(
    tag = "properties",
    security(("bearer" = [])),
    params(PropertyQuery),
    responses(
        (status = 200, body = PropertyListResponse),
        CreateProblems
    )
)]
#[get("/v1/properties")]
pub async fn list_properties(
    state: web::Data<AppState>,
    auth: Auth<CaseworkReaders>,
    query: web::Query<PropertyQuery>,
) -> Result<HttpResponse, AppError> {
    let q = query.into_inner();
    let limit = page_limit(q.limit, 50)?;
    let postcode = match q.postcode.as_deref() {
        None => None,
        Some(p) => Some(
            Postcode::parse(p)
                .map_err(|e| AppError::field("#/query/postcode", e.to_string()))?
                .compact()
                .to_string(),
        ),
    };
    let house_number = q.house_number.map(query_house_number).transpose()?;
    let filter = PropertyFilter {
        postcode,
        house_number,
        landlord_id: q.landlord_id,
        after_id: q.cursor,
        limit: limit + 1,
    };
    let mut rows = read_as(&state, &auth, move |tx, viewer| uc::list(tx, viewer, &filter)).await?;
    let next_cursor = page(&mut rows, limit, |v| v.property.id.clone());
    let items = rows.into_iter().map(property_response).collect();
    Ok(HttpResponse::Ok().json(PropertyListResponse { items, next_cursor }))
}

/// One property (404 when it is not yours or not in your municipalities).
#[utoipa::path(
    tag = "properties",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Property id")),
    responses(
        (status = 200, body = PropertyResponse),
        ReadProblems
    )
)]
#[get("/v1/properties/{id}")]
pub async fn get_property(
    state: web::Data<AppState>,
    auth: Auth<CaseworkReaders>,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let v = read_as(&state, &auth, move |tx, viewer| uc::show(tx, &id, viewer)).await?;
    Ok(HttpResponse::Ok().json(property_response(v)))
}

/// Change a property. `missing_building_permit` is for officers only.
#[utoipa::path(
    tag = "properties",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Property id")),
    request_body = UpdatePropertyRequest,
    responses(
        (status = 200, body = PropertyResponse),
        UpdateProblems,
        (status = 409, description = "The landlord already registered this address", body = Problem, content_type = "application/problem+json")
    )
)]
#[patch("/v1/properties/{id}")]
pub async fn update_property(
    state: web::Data<AppState>,
    auth: Auth<LandlordOrOfficer>,
    path: web::Path<String>,
    body: ValidJson<UpdatePropertyRequest>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let req = body.0;
    let caller = auth.0;
    let mut errs = Vec::new();
    if caller.role == Role::Landlord && req.missing_building_permit.is_some() {
        errs.push(FieldError::new("/missing_building_permit", "is recorded by an officer"));
    }
    let address = req.address.as_ref().and_then(|a| parse_property_address(a, &mut errs));
    let bag_id = match req.bag_id.as_deref() {
        None => None,
        Some(b) => BagId::parse(b).map_err(|e| errs.push(FieldError::new("/bag_id", e.to_string()))).ok(),
    };
    let area = req.usable_floor_area_m2.map(|a| to_dm2(a, "/usable_floor_area_m2", 100_000.0, &mut errs));
    let new_rooms = req.rooms.as_ref().map(|r| parse_rooms(r, &mut errs));
    if !errs.is_empty() {
        return Err(AppError::Validation(errs));
    }
    let cmd = UpdateProperty {
        viewer: viewer(&caller),
        id,
        postcode: address.as_ref().map(|a| a.0.clone()),
        house_number: address.as_ref().map(|a| a.1),
        house_number_addition: address.map(|a| a.2),
        bag_id: bag_id.map(|b| b.as_str().to_string()),
        neighbourhood_code: req.neighbourhood_code,
        kind: req.kind,
        usable_floor_area_dm2: area,
        rooms: new_rooms,
        facilities: req.facilities.as_ref().map(FacilityCounts::from),
        building_permit_missing: req.missing_building_permit,
        intermediary_id: req.intermediary_id,
    };
    let v = write_register(&state, caller.ctx(&state.clock), move |tx| uc::update(tx, cmd)).await?;
    Ok(HttpResponse::Ok().json(property_response(v)))
}
