//! Properties (wooneenheden): address, BAG id, usable floor area, rooms and facilities.
//! Landlords manage their own; officers record and see those of their municipalities.

use actix_web::{get, patch, post, web, HttpResponse};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use crate::db::audit::{self, Change};
use crate::db::properties::{self, Property, PropertyFilter, PropertyRoom, Viewer};
use crate::db::DbConnection;
use crate::domain::ids::{BagId, MunicipalityCode, Postcode};
use crate::domain::roles::Role;
use crate::error::{AppError, FieldError};
use crate::http::auth::{Auth, Caller, CaseworkReaders, LandlordOrOfficer};
use crate::http::common::{page, page_limit};
use crate::http::extract::ValidJson;
use crate::http::problem::{AuthProblems, NotFoundProblem, Problem, ValidationProblem};
use crate::http::AppState;

/// Kind of housing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PropertyKind {
    /// Zelfstandige woonruimte (own entrance, kitchen, toilet).
    SelfContained,
    /// Onzelfstandige woonruimte: rooms let separately.
    RoomsLetSeparately,
    Other,
}

impl PropertyKind {
    pub fn as_str(self) -> &'static str {
        match self {
            PropertyKind::SelfContained => "self_contained",
            PropertyKind::RoomsLetSeparately => "rooms_let_separately",
            PropertyKind::Other => "other",
        }
    }
    pub fn parse(s: &str) -> Self {
        match s {
            "self_contained" => PropertyKind::SelfContained,
            "rooms_let_separately" => PropertyKind::RoomsLetSeparately,
            _ => PropertyKind::Other,
        }
    }
}

/// A room of the property.
#[derive(Debug, Clone, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RoomDto {
    /// Unique within the property, e.g. `kamer 1`.
    #[validate(length(min = 1, max = 50))]
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
    pub toilets: u32,
    /// Showers or baths.
    #[validate(range(max = 1000))]
    pub showers: u32,
    #[validate(range(max = 1000))]
    pub kitchens: u32,
    /// Cooking points (kookpunten) over all kitchens.
    #[validate(range(max = 1000))]
    pub cooking_points: u32,
    #[validate(range(max = 1000))]
    pub washbasins: u32,
    #[validate(range(max = 1000))]
    pub washing_machines: u32,
}

/// Record a property.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreatePropertyRequest {
    #[schema(example = "3011 AB")]
    pub postcode: String,
    #[validate(range(min = 1, max = 99999))]
    pub house_number: u32,
    /// Letter or addition (huisletter/toevoeging), e.g. `A` or `2hg`.
    #[validate(length(max = 10))]
    pub house_number_addition: Option<String>,
    /// BAG verblijfsobject id, 16 digits.
    #[schema(example = "0599010000123456")]
    pub bag_id: Option<String>,
    /// CBS buurtcode or local neighbourhood code (decides designated areas).
    #[validate(length(max = 20))]
    pub neighbourhood_code: Option<String>,
    pub kind: PropertyKind,
    /// Usable floor area (gebruiksoppervlakte) in m².
    #[schema(example = 60.0)]
    pub usable_floor_area_m2: f64,
    #[serde(default)]
    #[validate(length(max = 200), nested)]
    pub rooms: Vec<RoomDto>,
    #[serde(default)]
    #[validate(nested)]
    pub facilities: FacilitiesDto,
    /// Officers only: the landlord of the property (a landlord's own id is implied).
    pub landlord_id: Option<String>,
    /// CBS code; default the installation's municipality.
    pub municipality_code: Option<String>,
}

/// Change a property: only the fields sent change; `rooms` replaces all rooms.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdatePropertyRequest {
    pub postcode: Option<String>,
    #[validate(range(min = 1, max = 99999))]
    pub house_number: Option<u32>,
    #[validate(length(max = 10))]
    pub house_number_addition: Option<String>,
    pub bag_id: Option<String>,
    #[validate(length(max = 20))]
    pub neighbourhood_code: Option<String>,
    pub kind: Option<PropertyKind>,
    pub usable_floor_area_m2: Option<f64>,
    #[validate(length(max = 200), nested)]
    pub rooms: Option<Vec<RoomDto>>,
    #[validate(nested)]
    pub facilities: Option<FacilitiesDto>,
    /// Officers only: a permit needed to realise the dwelling is missing (screening fact for
    /// the refusal ground, rules.md §2.5).
    pub building_permit_missing: Option<bool>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct PropertyResponse {
    pub id: String,
    pub municipality_code: String,
    pub landlord_id: Option<String>,
    /// `1234 AB`
    pub postcode: String,
    pub house_number: u32,
    pub house_number_addition: Option<String>,
    pub bag_id: Option<String>,
    pub neighbourhood_code: Option<String>,
    pub kind: PropertyKind,
    pub usable_floor_area_m2: f64,
    pub rooms: Vec<RoomDto>,
    pub facilities: FacilitiesDto,
    pub building_permit_missing: bool,
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
    pub postcode: Option<String>,
    pub house_number: Option<u32>,
    /// Staff only: properties of one landlord.
    pub landlord_id: Option<String>,
    pub cursor: Option<String>,
    /// Page size, 1–200 (default 50).
    pub limit: Option<i64>,
}

/// The viewer for a caller: landlords see their own records, staff their municipalities.
pub(crate) fn viewer(caller: &Caller) -> Result<Viewer, AppError> {
    match caller.role {
        // A landlord token without a landlord record matches nothing (404s, empty lists).
        Role::Landlord => Ok(Viewer::Landlord(caller.landlord_id.clone().unwrap_or_default())),
        _ => Ok(Viewer::Staff(caller.scope())),
    }
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

fn normalise_addition(raw: Option<&str>, pointer: &str, errs: &mut Vec<FieldError>) -> String {
    let a = raw.map(str::trim).unwrap_or("").to_ascii_uppercase();
    if !a.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        errs.push(FieldError::new(pointer, "may contain only letters, digits and '-'"));
    }
    a
}

fn parse_rooms(property_id: &str, rooms: &[RoomDto], errs: &mut Vec<FieldError>) -> Vec<PropertyRoom> {
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
        out.push(PropertyRoom {
            id: uuid::Uuid::new_v4().to_string(),
            property_id: property_id.to_string(),
            position: i as i32,
            label,
            area_dm2: area,
            sleeping_room: r.sleeping_room,
        });
    }
    out
}

fn facilities_into(p: &mut Property, f: &FacilitiesDto) {
    let n = |v: u32| i32::try_from(v).unwrap_or(i32::MAX);
    p.toilets = n(f.toilets);
    p.showers = n(f.showers);
    p.kitchens = n(f.kitchens);
    p.cooking_points = n(f.cooking_points);
    p.washbasins = n(f.washbasins);
    p.washing_machines = n(f.washing_machines);
}

pub(crate) fn display_postcode(compact: &str) -> String {
    Postcode::parse(compact).map(|p| p.to_string()).unwrap_or_else(|_| compact.to_string())
}

pub(crate) fn property_response(p: Property, rooms: Vec<PropertyRoom>) -> PropertyResponse {
    let u = |v: i32| u32::try_from(v).unwrap_or(0);
    PropertyResponse {
        postcode: display_postcode(&p.postcode),
        house_number: u(p.house_number),
        house_number_addition: Some(p.house_number_addition).filter(|a| !a.is_empty()),
        bag_id: p.bag_id,
        neighbourhood_code: p.neighbourhood_code,
        kind: PropertyKind::parse(&p.kind),
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
        building_permit_missing: p.building_permit_missing,
        id: p.id,
        municipality_code: p.municipality_code,
        landlord_id: p.landlord_id,
        created_at: p.created_at.and_utc(),
        updated_at: p.updated_at.and_utc(),
    }
}

fn audit_state(p: &Property, rooms: usize) -> serde_json::Value {
    serde_json::json!({
        "postcode": p.postcode, "house_number": p.house_number, "addition": p.house_number_addition,
        "kind": p.kind, "usable_floor_area_dm2": p.usable_floor_area_dm2, "rooms": rooms,
        "toilets": p.toilets, "showers": p.showers, "kitchens": p.kitchens,
        "washing_machines": p.washing_machines, "building_permit_missing": p.building_permit_missing,
    })
}

fn landlord_exists(c: &mut DbConnection, id: &str) -> Result<bool, AppError> {
    Ok(crate::db::accounts::find_landlord(c, id)?.is_some())
}

/// Record a property (landlord: their own; officer: for any landlord, or without one).
#[utoipa::path(
    tag = "properties",
    security(("bearer" = [])),
    request_body = CreatePropertyRequest,
    responses(
        (status = 201, body = PropertyResponse),
        AuthProblems,
        ValidationProblem,
        (status = 409, description = "The landlord already registered this address", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/v1/properties")]
pub async fn create_property(
    state: web::Data<AppState>,
    auth: Auth<LandlordOrOfficer>,
    body: ValidJson<CreatePropertyRequest>,
) -> Result<HttpResponse, AppError> {
    let req = body.0;
    let caller = auth.0;
    let mut errs = Vec::new();
    let postcode = Postcode::parse(&req.postcode)
        .map_err(|e| errs.push(FieldError::new("/postcode", e.to_string())))
        .ok();
    let bag_id = match req.bag_id.as_deref() {
        None => None,
        Some(b) => BagId::parse(b).map_err(|e| errs.push(FieldError::new("/bag_id", e.to_string()))).ok(),
    };
    let addition =
        normalise_addition(req.house_number_addition.as_deref(), "/house_number_addition", &mut errs);
    let area = to_dm2(req.usable_floor_area_m2, "/usable_floor_area_m2", 100_000.0, &mut errs);
    let id = uuid::Uuid::new_v4().to_string();
    let rooms = parse_rooms(&id, &req.rooms, &mut errs);
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
    let (Some(postcode), true) = (postcode, errs.is_empty()) else { return Err(AppError::Validation(errs)) };
    let now = state.clock.now_naive();
    let mut p = Property {
        id,
        municipality_code: municipality,
        landlord_id,
        postcode: postcode.compact().to_string(),
        house_number: i32::try_from(req.house_number).unwrap_or(0),
        house_number_addition: addition,
        bag_id: bag_id.map(|b| b.as_str().to_string()),
        neighbourhood_code: req.neighbourhood_code.map(|s| s.trim().to_string()).filter(|s| !s.is_empty()),
        kind: req.kind.as_str().into(),
        usable_floor_area_dm2: area,
        toilets: 0,
        showers: 0,
        kitchens: 0,
        cooking_points: 0,
        washbasins: 0,
        washing_machines: 0,
        building_permit_missing: false,
        created_at: now,
        updated_at: now,
    };
    facilities_into(&mut p, &req.facilities);
    let actor = caller.actor();
    let (p, rooms) = state
        .db
        .write(move |c| {
            if !crate::db::accounts::municipality_exists(c, &p.municipality_code)? {
                return Err(AppError::field(
                    "/municipality_code",
                    "is not a municipality of this installation",
                ));
            }
            if let Some(l) = &p.landlord_id {
                if !landlord_exists(c, l)? {
                    return Err(AppError::field("/landlord_id", "is not a known landlord"));
                }
            }
            refuse_duplicate(c, &p)?;
            properties::insert(c, &p, &rooms)?;
            audit::record(
                c,
                now,
                &actor,
                Change {
                    municipality_code: Some(&p.municipality_code),
                    entity_type: "property",
                    entity_id: &p.id,
                    action: "create",
                    before: None,
                    after: Some(audit_state(&p, rooms.len())),
                    reason: None,
                },
            )?;
            Ok((p, rooms))
        })
        .await?;
    state.register_cache.invalidate();
    Ok(HttpResponse::Created().json(property_response(p, rooms)))
}

/// Properties: a landlord's own, or those of the officer's municipalities (keyset pages).
#[utoipa::path(
    tag = "properties",
    security(("bearer" = [])),
    params(PropertyQuery),
    responses(
        (status = 200, body = PropertyListResponse),
        AuthProblems,
        ValidationProblem
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
    let viewer = viewer(&auth)?;
    let filter = PropertyFilter {
        postcode,
        house_number: q.house_number.map(|n| i32::try_from(n).unwrap_or(i32::MAX)),
        landlord_id: q.landlord_id,
        after_id: q.cursor,
        limit: limit + 1,
    };
    let (mut rows, rooms) = state
        .db
        .read(move |c| {
            let rows = properties::list(c, &viewer, &filter)?;
            let ids: Vec<String> = rows.iter().map(|p| p.id.clone()).collect();
            let rooms = properties::rooms_of(c, &ids)?;
            Ok((rows, rooms))
        })
        .await?;
    let next_cursor = page(&mut rows, limit, |r| r.id.clone());
    let mut by_property: std::collections::HashMap<String, Vec<PropertyRoom>> =
        std::collections::HashMap::new();
    for r in rooms {
        by_property.entry(r.property_id.clone()).or_default().push(r);
    }
    let items = rows
        .into_iter()
        .map(|p| {
            let rooms = by_property.remove(&p.id).unwrap_or_default();
            property_response(p, rooms)
        })
        .collect();
    Ok(HttpResponse::Ok().json(PropertyListResponse { items, next_cursor }))
}

/// One property (404 when it is not yours or not in your municipalities).
#[utoipa::path(
    tag = "properties",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Property id")),
    responses(
        (status = 200, body = PropertyResponse),
        AuthProblems,
        NotFoundProblem
    )
)]
#[get("/v1/properties/{id}")]
pub async fn get_property(
    state: web::Data<AppState>,
    auth: Auth<CaseworkReaders>,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let viewer = viewer(&auth)?;
    let (p, rooms) = state
        .db
        .read(move |c| {
            let p = properties::find_visible(c, &id, &viewer)?.ok_or_else(not_found)?;
            let rooms = properties::rooms(c, &p.id)?;
            Ok((p, rooms))
        })
        .await?;
    Ok(HttpResponse::Ok().json(property_response(p, rooms)))
}

fn not_found() -> AppError {
    AppError::NotFound("no such property".into())
}

/// Change a property. `building_permit_missing` is for officers only.
#[utoipa::path(
    tag = "properties",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Property id")),
    request_body = UpdatePropertyRequest,
    responses(
        (status = 200, body = PropertyResponse),
        AuthProblems,
        NotFoundProblem,
        ValidationProblem,
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
    if caller.role == Role::Landlord && req.building_permit_missing.is_some() {
        errs.push(FieldError::new("/building_permit_missing", "is recorded by an officer"));
    }
    let postcode = match req.postcode.as_deref() {
        None => None,
        Some(p) => {
            Postcode::parse(p).map_err(|e| errs.push(FieldError::new("/postcode", e.to_string()))).ok()
        }
    };
    let bag_id = match req.bag_id.as_deref() {
        None => None,
        Some(b) => BagId::parse(b).map_err(|e| errs.push(FieldError::new("/bag_id", e.to_string()))).ok(),
    };
    let addition = req
        .house_number_addition
        .as_deref()
        .map(|a| normalise_addition(Some(a), "/house_number_addition", &mut errs));
    let area = req.usable_floor_area_m2.map(|a| to_dm2(a, "/usable_floor_area_m2", 100_000.0, &mut errs));
    let new_rooms = req.rooms.as_ref().map(|r| parse_rooms(&id, r, &mut errs));
    if !errs.is_empty() {
        return Err(AppError::Validation(errs));
    }
    let viewer = viewer(&caller)?;
    let now = state.clock.now_naive();
    let actor = caller.actor();
    let (p, rooms) = state
        .db
        .write(move |c| {
            let before = properties::find_visible(c, &id, &viewer)?.ok_or_else(not_found)?;
            let before_rooms = properties::rooms(c, &id)?;
            let mut p = before.clone();
            if let Some(pc) = postcode {
                p.postcode = pc.compact().to_string();
            }
            if let Some(n) = req.house_number {
                p.house_number = i32::try_from(n).unwrap_or(0);
            }
            if let Some(a) = addition {
                p.house_number_addition = a;
            }
            if let Some(b) = bag_id {
                p.bag_id = Some(b.as_str().to_string());
            }
            if let Some(n) = req.neighbourhood_code {
                p.neighbourhood_code = Some(n.trim().to_string()).filter(|s| !s.is_empty());
            }
            if let Some(k) = req.kind {
                p.kind = k.as_str().into();
            }
            if let Some(a) = area {
                p.usable_floor_area_dm2 = a;
            }
            if let Some(f) = &req.facilities {
                facilities_into(&mut p, f);
            }
            if let Some(b) = req.building_permit_missing {
                p.building_permit_missing = b;
            }
            p.updated_at = now;
            refuse_duplicate(c, &p)?;
            properties::update(c, &p)?;
            let rooms = match new_rooms {
                Some(r) => {
                    properties::replace_rooms(c, &p.id, &r)?;
                    r
                }
                None => before_rooms.clone(),
            };
            audit::record(
                c,
                now,
                &actor,
                Change {
                    municipality_code: Some(&p.municipality_code),
                    entity_type: "property",
                    entity_id: &p.id,
                    action: "update",
                    before: Some(audit_state(&before, before_rooms.len())),
                    after: Some(audit_state(&p, rooms.len())),
                    reason: None,
                },
            )?;
            Ok((p, rooms))
        })
        .await?;
    state.register_cache.invalidate();
    Ok(HttpResponse::Ok().json(property_response(p, rooms)))
}

/// One property record per landlord and address (a unique index backs this up).
fn refuse_duplicate(c: &mut crate::db::DbConnection, p: &properties::Property) -> Result<(), AppError> {
    match properties::duplicate_of(c, p)? {
        Some(existing) => Err(AppError::conflict(format!(
            "this landlord already registered this address as property {existing}"
        ))),
        None => Ok(()),
    }
}
