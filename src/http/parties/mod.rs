//! Party records: `/v1/landlords`, `/v1/intermediaries` and `/v1/employers`, one implementation
//! for the three families (the family is fixed by the path). Officers and managers record,
//! search and edit parties; a landlord reads its own record and changes only its contact data;
//! only staff see `notes`, `source` and `recorded_by`.

pub mod routes;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Deserializer, Serialize};
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use crate::db::parties::{trade_names, PartySearch};
use crate::domain::ids::{Email, KvkNumber};
use crate::domain::landlords::{LandlordKind, PartyRole, PartyRoleDetail, PartySource};
use crate::domain::party_search;
use crate::domain::roles::Role;
use crate::error::{AppError, FieldError};
use crate::http::auth::Caller;
use crate::http::common::{address_dto, page, page_limit, parse_address, AddressDto};
use crate::http::AppState;
use crate::service;
use crate::service::parties::{
    self as uc, Contact, CreateParty, Establishment, ListParties, PartyChanges, PartyFields, PartyView,
    PartyViewer, UpdateParty,
};

/// Address of establishment (vestigingsadres) of a party.
#[derive(Debug, Clone, Serialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EstablishmentDto {
    #[validate(nested)]
    pub address: AddressDto,
    #[validate(length(max = 100))]
    #[schema(max_length = 100, example = "Rotterdam")]
    pub city: Option<String>,
}

/// How to reach a party; either may be absent.
#[derive(Debug, Clone, Serialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ContactDto {
    #[schema(max_length = 254, example = "verhuur@example.nl")]
    pub email: Option<String>,
    /// Digits, spaces and `+ - ( )`, 6–30 characters.
    #[validate(length(max = 30))]
    #[schema(max_length = 30, example = "+31 10 123 4567")]
    pub phone: Option<String>,
}

// serde's derive also reads a struct from an array of its fields in order (`[null, null]`); the
// two nested objects of a party are read only from a JSON object, through these field twins.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EstablishmentFields {
    address: AddressDto,
    city: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ContactFields {
    email: Option<String>,
    phone: Option<String>,
}

fn from_object<'de, D: serde::Deserializer<'de>, T: serde::de::DeserializeOwned>(
    d: D,
) -> Result<T, D::Error> {
    let map = serde_json::Map::<String, serde_json::Value>::deserialize(d)?;
    serde_json::from_value(serde_json::Value::Object(map)).map_err(serde::de::Error::custom)
}

impl<'de> Deserialize<'de> for EstablishmentDto {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let f: EstablishmentFields = from_object(d)?;
        Ok(EstablishmentDto { address: f.address, city: f.city })
    }
}

impl<'de> Deserialize<'de> for ContactDto {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let f: ContactFields = from_object(d)?;
        Ok(ContactDto { email: f.email, phone: f.phone })
    }
}

/// A party recorded by an officer (no account).
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreatePartyRequest {
    pub kind: LandlordKind,
    /// Required for intermediaries (`letting_agent`, `property_manager`) and employers
    /// (`employer`, `staffing_agency`); absent for landlords.
    pub role_detail: Option<PartyRoleDetail>,
    /// Name of the person or the company.
    #[validate(length(min = 1, max = 200))]
    #[schema(min_length = 1, max_length = 200, example = "Jansen Verhuur BV")]
    pub name: String,
    /// KvK number, 8 digits; required for a legal entity. One officer record per legal entity
    /// and family: a second one is a 409 naming the first (`existing_id`).
    #[schema(example = "12345678")]
    pub kvk_number: Option<String>,
    /// Trade names (handelsnamen), each 1–200 characters.
    #[serde(default)]
    #[validate(length(max = 20))]
    #[schema(max_items = 20)]
    pub trade_names: Vec<String>,
    #[validate(nested)]
    pub establishment: Option<EstablishmentDto>,
    #[validate(nested)]
    pub contact: Option<ContactDto>,
    /// Where the details come from (not `self_registration`).
    pub source: PartySource,
    /// The municipality's notes (staff only).
    #[validate(length(max = 4000))]
    #[schema(max_length = 4000)]
    pub notes: Option<String>,
}

/// Present with `null`: clear; absent: keep.
fn present<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}

/// Changes to a party: absent fields are kept, `null` clears an optional one. A landlord may
/// send only `contact` (any other field is a 422 naming it).
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdatePartyRequest {
    pub kind: Option<LandlordKind>,
    pub role_detail: Option<PartyRoleDetail>,
    #[validate(length(min = 1, max = 200))]
    #[schema(min_length = 1, max_length = 200)]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>, example = "12345678")]
    pub kvk_number: Option<Option<String>>,
    #[validate(length(max = 20))]
    #[schema(max_items = 20)]
    pub trade_names: Option<Vec<String>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<EstablishmentDto>)]
    pub establishment: Option<Option<EstablishmentDto>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<ContactDto>)]
    pub contact: Option<Option<ContactDto>>,
    pub source: Option<PartySource>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>, max_length = 4000)]
    pub notes: Option<Option<String>>,
}

/// A party record. `source`, `notes` and `recorded_by` are shown to staff only.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct PartyResponse {
    pub id: String,
    pub role: PartyRole,
    pub role_detail: Option<PartyRoleDetail>,
    pub kind: LandlordKind,
    pub name: String,
    pub kvk_number: Option<String>,
    pub trade_names: Vec<String>,
    pub establishment: Option<EstablishmentDto>,
    pub contact: Option<ContactDto>,
    /// An account is linked to this record (the landlord registered, or was linked).
    pub has_account: bool,
    /// CBS code of the municipality that recorded the party; absent for a self-registration.
    pub recorded_by_municipality: Option<String>,
    /// Set when this record was merged into another one: use that record.
    pub merged_into: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Staff only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<PartySource>,
    /// Staff only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    /// Staff only: the account that recorded the party.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recorded_by: Option<String>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct PartyListResponse {
    pub items: Vec<PartyResponse>,
    /// Pass as `cursor` for the next page; absent on the last page.
    pub next_cursor: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct PartyQuery {
    /// Search: word prefixes of the name or a trade name (every word must match; case and
    /// accents ignored), a KvK number, or a property's postcode with an optional house number
    /// (`3011 AB`, `3011AB 10`). Absent: every record of the family.
    #[param(max_length = 100)]
    pub q: Option<String>,
    /// Opaque cursor from `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Page size, 1–200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<i64>,
}

fn to_response(v: PartyView, staff: bool) -> PartyResponse {
    let l = v.party;
    let names = trade_names(&l);
    let establishment = match (l.establishment_postcode.as_deref(), l.establishment_house_number) {
        (Some(pc), Some(n)) => Some(EstablishmentDto {
            address: address_dto(pc, n, l.establishment_house_number_addition.clone()),
            city: l.establishment_city.clone(),
        }),
        _ => None,
    };
    let email = Some(l.contact_email.clone()).filter(|e| !e.is_empty());
    let contact = (email.is_some() || l.contact_phone.is_some())
        .then(|| ContactDto { email, phone: l.contact_phone.clone() });
    PartyResponse {
        id: l.id,
        role: l.role,
        role_detail: l.role_detail,
        kind: l.kind,
        name: l.name,
        kvk_number: l.kvk_number,
        trade_names: names,
        establishment,
        contact,
        has_account: v.has_account,
        recorded_by_municipality: l.municipality_code,
        merged_into: l.merged_into,
        created_at: l.created_at.and_utc(),
        updated_at: l.updated_at.and_utc(),
        source: staff.then_some(l.source),
        notes: if staff { l.notes } else { None },
        recorded_by: if staff { l.recorded_by } else { None },
    }
}

fn non_blank(s: &str) -> Option<String> {
    Some(s.trim().to_string()).filter(|s| !s.is_empty())
}

fn parse_kvk(raw: Option<&str>, errs: &mut Vec<FieldError>) -> Option<KvkNumber> {
    let raw = non_blank(raw?)?;
    KvkNumber::parse(&raw).map_err(|e| errs.push(FieldError::new("/kvk_number", e.to_string()))).ok()
}

fn parse_trade_names(names: &[String], errs: &mut Vec<FieldError>) -> Vec<String> {
    let mut out = Vec::new();
    for (i, n) in names.iter().enumerate() {
        match non_blank(n) {
            Some(n) if n.chars().count() <= 200 => {
                if !out.contains(&n) {
                    out.push(n);
                }
            }
            _ => errs.push(FieldError::new(format!("/trade_names/{i}"), "must be 1–200 characters")),
        }
    }
    out
}

fn parse_establishment(e: &EstablishmentDto, errs: &mut Vec<FieldError>) -> Option<Establishment> {
    // Checked here too: a PATCH's `establishment` is not reached by the derive's nested checks.
    if e.city.as_deref().is_some_and(|c| c.chars().count() > 100) {
        errs.push(FieldError::new("/establishment/city", "is longer than 100 characters"));
        return None;
    }
    let a = parse_address(&e.address, "/establishment/address", errs)?;
    Some(Establishment {
        postcode: a.postcode,
        house_number: a.house_number,
        addition: a.addition,
        city: e.city.as_deref().and_then(non_blank),
    })
}

fn parse_contact(c: &ContactDto, errs: &mut Vec<FieldError>) -> Contact {
    let email = c.email.as_deref().and_then(non_blank).and_then(|e| {
        Email::parse(&e).map_err(|err| errs.push(FieldError::new("/contact/email", err.to_string()))).ok()
    });
    let phone = c.phone.as_deref().and_then(non_blank);
    if let Some(p) = &phone {
        let ok = (6..=30).contains(&p.chars().count())
            && p.chars().all(|ch| ch.is_ascii_digit() || " +-()".contains(ch))
            && p.chars().filter(char::is_ascii_digit).count() >= 6;
        if !ok {
            errs.push(FieldError::new(
                "/contact/phone",
                "6–30 digits, spaces and + - ( ), at least 6 digits",
            ));
        }
    }
    Contact { email, phone }
}

fn parse_notes(n: Option<&str>) -> Option<String> {
    n.and_then(non_blank)
}

fn parse_create(req: CreatePartyRequest) -> Result<PartyFields, AppError> {
    let mut errs = Vec::new();
    let name = non_blank(&req.name);
    if name.is_none() {
        errs.push(FieldError::new("/name", "must not be blank"));
    }
    let kvk_number = parse_kvk(req.kvk_number.as_deref(), &mut errs);
    let trade_names = parse_trade_names(&req.trade_names, &mut errs);
    let establishment = req.establishment.as_ref().and_then(|e| parse_establishment(e, &mut errs));
    let contact = req.contact.as_ref().map(|c| parse_contact(c, &mut errs));
    let (Some(name), true) = (name, errs.is_empty()) else { return Err(AppError::Validation(errs)) };
    Ok(PartyFields {
        kind: req.kind,
        role_detail: req.role_detail,
        name,
        kvk_number,
        trade_names,
        establishment,
        contact,
        source: req.source,
        notes: parse_notes(req.notes.as_deref()),
    })
}

fn parse_update(req: UpdatePartyRequest) -> Result<PartyChanges, AppError> {
    let mut errs = Vec::new();
    let name = match req.name.as_deref() {
        None => None,
        Some(n) => {
            let n = non_blank(n);
            if n.is_none() {
                errs.push(FieldError::new("/name", "must not be blank"));
            }
            n
        }
    };
    let kvk_number = req.kvk_number.map(|k| parse_kvk(k.as_deref(), &mut errs));
    let trade_names = req.trade_names.map(|t| parse_trade_names(&t, &mut errs));
    let establishment = req.establishment.map(|e| e.and_then(|e| parse_establishment(&e, &mut errs)));
    let contact = req.contact.map(|c| c.map(|c| parse_contact(&c, &mut errs)));
    if let Some(Some(n)) = &req.notes {
        if n.chars().count() > 4000 {
            errs.push(FieldError::new("/notes", "at most 4000 characters"));
        }
    }
    if !errs.is_empty() {
        return Err(AppError::Validation(errs));
    }
    Ok(PartyChanges {
        kind: req.kind,
        role_detail: req.role_detail,
        name,
        kvk_number,
        trade_names,
        establishment,
        contact,
        source: req.source,
        notes: req.notes.map(|n| parse_notes(n.as_deref())),
    })
}

fn viewer(caller: &Caller) -> PartyViewer {
    match caller.role {
        // A landlord token without a landlord record matches nothing (404).
        Role::Landlord => PartyViewer::Landlord(caller.landlord_id.clone().unwrap_or_default()),
        _ => PartyViewer::Staff,
    }
}

fn parse_search(q: Option<&str>) -> Result<PartySearch, AppError> {
    let Some(q) = q.map(str::trim).filter(|q| !q.is_empty()) else { return Ok(PartySearch::All) };
    if q.chars().count() > 100 {
        return Err(AppError::field("#/query/q", "at most 100 characters"));
    }
    if let Some((postcode, house_number)) = party_search::address_query(q) {
        return Ok(PartySearch::Address { postcode, house_number });
    }
    let prefixes = party_search::query_prefixes(q);
    if prefixes.is_empty() {
        return Err(AppError::field("#/query/q", "must contain a letter or digit"));
    }
    Ok(PartySearch::Prefixes(prefixes))
}

pub(crate) async fn create(
    state: &AppState,
    caller: &Caller,
    role: PartyRole,
    req: CreatePartyRequest,
) -> Result<PartyResponse, AppError> {
    let cmd = CreateParty {
        role,
        municipality: state.config.municipality_code.as_str().to_string(),
        fields: parse_create(req)?,
    };
    let v = service::write(&state.db, caller.ctx(&state.clock), move |tx| uc::create(tx, cmd)).await?;
    Ok(to_response(v, true))
}

pub(crate) async fn show(
    state: &AppState,
    caller: &Caller,
    role: PartyRole,
    id: String,
) -> Result<PartyResponse, AppError> {
    let viewer = viewer(caller);
    let staff = matches!(viewer, PartyViewer::Staff);
    let v = service::read(&state.db, caller.ctx(&state.clock), move |tx| uc::show(tx, role, &id, &viewer))
        .await?;
    Ok(to_response(v, staff))
}

pub(crate) async fn update(
    state: &AppState,
    caller: &Caller,
    role: PartyRole,
    id: String,
    req: UpdatePartyRequest,
) -> Result<PartyResponse, AppError> {
    let viewer = viewer(caller);
    let staff = matches!(viewer, PartyViewer::Staff);
    let cmd = UpdateParty {
        role,
        id,
        viewer,
        municipality: state.config.municipality_code.as_str().to_string(),
        changes: parse_update(req)?,
    };
    // A new name shows at once on the sanctions register.
    let v = crate::http::licensing::write_register(state, caller.ctx(&state.clock), move |tx| {
        uc::update(tx, cmd)
    })
    .await?;
    Ok(to_response(v, staff))
}

pub(crate) async fn list(
    state: &AppState,
    caller: &Caller,
    role: PartyRole,
    q: PartyQuery,
) -> Result<PartyListResponse, AppError> {
    let limit = page_limit(q.limit, 50)?;
    let cmd = ListParties { role, search: parse_search(q.q.as_deref())?, after: q.cursor, limit: limit + 1 };
    let mut rows = service::read(&state.db, caller.ctx(&state.clock), move |tx| uc::list(tx, cmd)).await?;
    let next_cursor = page(&mut rows, limit, |v| v.party.id.clone());
    Ok(PartyListResponse { items: rows.into_iter().map(|v| to_response(v, true)).collect(), next_cursor })
}
