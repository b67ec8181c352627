//! The public sanctions register (no token): the published administrative fines and management
//! takeovers in force at an address or addressed to a legal entity (Wgv art. 20, rules.md §4.7).
//! Least data: a party is named (with its KvK number) only when it is a legal entity; a natural
//! person shows as `{"kind": "natural_person"}`. Nothing unpublished, nothing after its end date,
//! no complaint data, no notes.

use actix_web::{get, web, HttpResponse};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::db::sanction_register::RegisterSanction;
use crate::domain::ids::{KvkNumber, Postcode};
use crate::domain::landlords::LandlordKind;
use crate::domain::sanction_register::PublishedSanctionKind;
use crate::error::{AppError, FieldError};
use crate::http::auth::anonymous_ctx;
use crate::http::common::{address_dto, query_house_number, AddressDto};
use crate::http::problem::ValidationProblem;
use crate::http::AppState;
use crate::service;
use crate::service::enforcement::register as uc;

crate::code_schemas!(
    PublishedSanctionKind => "Kind of a published sanction: `administrative_fine` (bestuurlijke boete) or\n`management_takeover` (beheerovername). Licence revocations are not published.",
);

/// The sanctions register's answers by query and date: the licence register's cache.
pub type SanctionsRegisterCache = crate::http::licensing::register::RegisterCache<(String, NaiveDate)>;

/// Either `postcode` and `house_number` (optionally `addition`), or `kvk_number`.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct SanctionsRegisterQuery {
    /// `1234 AB` or `1234AB` (with `house_number`).
    #[param(
        pattern = r"^\s*[1-9]\s*[0-9]\s*[0-9]\s*[0-9]\s*([A-RT-Za-rt-z]\s*[A-Za-z]|[Ss]\s*[BCE-RT-Zbce-rt-z])\s*$"
    )]
    pub postcode: Option<String>,
    /// 1–99999 (with `postcode`).
    #[param(minimum = 1, maximum = 99999)]
    pub house_number: Option<u32>,
    /// Only this addition (huisletter/toevoeging); default every addition at the number.
    pub addition: Option<String>,
    /// KvK number (8 digits) of a legal entity; instead of an address.
    #[param(pattern = r"^\s*[0-9]{8}\s*$")]
    pub kvk_number: Option<String>,
}

/// The party a sanction is addressed to: name and KvK number only for a legal entity.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct RegisterParty {
    pub kind: LandlordKind,
    /// Only for a legal entity.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Only for a legal entity.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kvk_number: Option<String>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct RegisterSanctionEntry {
    pub kind: PublishedSanctionKind,
    /// Date of the decision imposing the sanction.
    pub decided_on: NaiveDate,
    pub published_on: NaiveDate,
    /// The first day the entry no longer shows; `null` while a takeover runs.
    pub until: Option<NaiveDate>,
    /// The rule violated (e.g. `GR-04`).
    pub rule: String,
    /// Fines only.
    pub amount_cents: Option<i64>,
    pub address: AddressDto,
    pub party: RegisterParty,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct SanctionsRegisterResponse {
    pub items: Vec<RegisterSanctionEntry>,
}

/// The look-up a query asks for.
enum Lookup {
    Address { postcode: String, house_number: i32, addition: Option<String> },
    Kvk(String),
}

impl Lookup {
    fn parse(q: SanctionsRegisterQuery) -> Result<Self, AppError> {
        // A postcode or KvK number that is present counts as given, also when it is empty: an
        // empty one is not what its pattern allows, so it is refused rather than ignored. An empty
        // addition is no addition.
        let address = q.postcode.is_some()
            || q.house_number.is_some()
            || q.addition.as_deref().is_some_and(|s| !s.trim().is_empty());
        match (address, q.kvk_number.as_deref()) {
            (true, Some(_)) => Err(AppError::field(
                "#/query/kvk_number",
                "give either an address (postcode, house_number) or a kvk_number, not both",
            )),
            (false, None) => Err(AppError::Validation(vec![
                FieldError::new(
                    "#/query/postcode",
                    "give an address (postcode, house_number) or a kvk_number",
                ),
                FieldError::new(
                    "#/query/kvk_number",
                    "give an address (postcode, house_number) or a kvk_number",
                ),
            ])),
            (false, Some(raw)) => Ok(Lookup::Kvk(
                KvkNumber::parse(raw)
                    .map_err(|e| AppError::field("#/query/kvk_number", e.to_string()))?
                    .to_string(),
            )),
            (true, None) => {
                let mut errs = Vec::new();
                let postcode = match q.postcode.as_deref().map(Postcode::parse) {
                    Some(Ok(p)) => Some(p.compact().to_string()),
                    Some(Err(e)) => {
                        errs.push(FieldError::new("#/query/postcode", e.to_string()));
                        None
                    }
                    None => {
                        errs.push(FieldError::new("#/query/postcode", "is required with house_number"));
                        None
                    }
                };
                let house_number = match q.house_number.map(query_house_number) {
                    Some(Ok(n)) => Some(n),
                    Some(Err(_)) => {
                        errs.push(FieldError::new("#/query/house_number", "must be between 1 and 99999"));
                        None
                    }
                    None => {
                        errs.push(FieldError::new("#/query/house_number", "is required with postcode"));
                        None
                    }
                };
                let addition = q.addition.map(|a| a.trim().to_uppercase()).filter(|a| !a.is_empty());
                if addition.as_deref().is_some_and(|a| a.len() > 10) {
                    errs.push(FieldError::new("#/query/addition", "at most 10 letters, digits or hyphens"));
                }
                match (postcode, house_number) {
                    (Some(postcode), Some(house_number)) if errs.is_empty() => {
                        Ok(Lookup::Address { postcode, house_number, addition })
                    }
                    _ => Err(AppError::Validation(errs)),
                }
            }
        }
    }

    fn key(&self) -> String {
        match self {
            Lookup::Address { postcode, house_number, addition } => {
                format!("a|{postcode}|{house_number}|{}", addition.as_deref().unwrap_or("*"))
            }
            Lookup::Kvk(k) => format!("k|{k}"),
        }
    }
}

fn entry(r: RegisterSanction) -> RegisterSanctionEntry {
    let party = match r.party_kind {
        LandlordKind::LegalEntity => RegisterParty {
            kind: LandlordKind::LegalEntity,
            name: Some(r.party_name),
            kvk_number: r.party_kvk_number,
        },
        LandlordKind::NaturalPerson => {
            RegisterParty { kind: LandlordKind::NaturalPerson, name: None, kvk_number: None }
        }
    };
    RegisterSanctionEntry {
        kind: r.kind,
        decided_on: r.decided_on,
        published_on: r.published_on,
        until: r.ends_on,
        rule: r.rule,
        amount_cents: r.amount_cents,
        address: address_dto(&r.postcode, r.house_number, Some(r.house_number_addition)),
        party,
    }
}

/// Published sanctions in force today at an address or of a legal entity (public).
#[utoipa::path(
    tag = "register",
    params(SanctionsRegisterQuery),
    responses(
        (status = 200, body = SanctionsRegisterResponse),
        ValidationProblem
    )
)]
#[get("/v1/register/sanctions")]
pub async fn register_sanctions(
    state: web::Data<AppState>,
    query: web::Query<SanctionsRegisterQuery>,
) -> Result<HttpResponse, AppError> {
    let lookup = Lookup::parse(query.into_inner())?;
    let today = state.clock.today_nl();
    let key = (lookup.key(), today);
    if let Some(body) = state.sanctions_register_cache.get(&key) {
        return Ok(HttpResponse::Ok().content_type("application/json").body(body));
    }
    let (found, only_addition) = match lookup {
        Lookup::Address { postcode, house_number, addition } => {
            let found = service::lookup(&state.db, anonymous_ctx(&state.clock), move |tx| {
                uc::at_address(tx, &postcode, house_number, today)
            })
            .await?;
            (found, addition)
        }
        Lookup::Kvk(kvk) => {
            let found = service::lookup(&state.db, anonymous_ctx(&state.clock), move |tx| {
                uc::of_kvk_number(tx, &kvk, today)
            })
            .await?;
            (found, None)
        }
    };
    let items: Vec<RegisterSanctionEntry> = found
        .into_iter()
        .filter(|r| only_addition.as_deref().is_none_or(|a| r.house_number_addition.eq_ignore_ascii_case(a)))
        .map(entry)
        .collect();
    let body = web::Bytes::from(
        serde_json::to_vec(&SanctionsRegisterResponse { items })
            .map_err(|e| AppError::internal(anyhow::anyhow!("{e}")))?,
    );
    state.sanctions_register_cache.insert(key, body.clone());
    Ok(HttpResponse::Ok().content_type("application/json").body(body))
}
