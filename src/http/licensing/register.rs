//! The public licence register (no token): licences at an address, and whether letting an
//! address needs a licence. Never a natural person's name (AVG): the holder is named only when
//! it is a legal entity.

use actix_web::{get, web, HttpResponse};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::domain::ids::Postcode;
use crate::domain::landlords::LandlordKind;
use crate::domain::licensing_codes::{effective_status, LicenceStatus};
use crate::domain::ruleset::{AddressQuery, LicenceExemption, LicenceKind};
use crate::error::AppError;
use crate::http::auth::anonymous_ctx;
use crate::http::common::{address_dto, query_house_number, AddressDto};
use crate::http::licensing::rules::in_force_on;
use crate::http::problem::{Problem, ValidationProblem};
use crate::http::AppState;
use crate::service;
use crate::service::licensing::register as uc;

/// The key of a public register's answer: its text part counts towards the cache's memory bound.
pub trait AnswerKey: std::hash::Hash + Eq + Send + Sync + 'static {
    fn text_len(&self) -> usize;
}

impl AnswerKey for (String, i32, NaiveDate) {
    fn text_len(&self) -> usize {
        self.0.len()
    }
}

impl AnswerKey for (String, NaiveDate) {
    fn text_len(&self) -> usize {
        self.0.len()
    }
}

/// Answers of a public register by query and date, kept for a few seconds: the registers are
/// the most requested routes and change rarely. The licence register's key is (postcode, house
/// number, date); every licence or property change made through this instance clears it
/// ([`RegisterCache::invalidate`]); other instances serve an answer at most the time-to-live old.
/// The sanctions register uses the same cache with its own key.
#[derive(Clone)]
pub struct RegisterCache<K: AnswerKey = (String, i32, NaiveDate)>(Option<moka::sync::Cache<K, web::Bytes>>);

impl<K: AnswerKey> RegisterCache<K> {
    /// A zero time-to-live or size turns the cache off. `max_bytes` bounds the memory the
    /// answers take: with lookups spread over many addresses the cache would otherwise hold an
    /// answer for every address asked in the last `ttl`.
    pub fn new(ttl: std::time::Duration, max_bytes: u64) -> Self {
        if ttl.is_zero() || max_bytes == 0 {
            return RegisterCache(None);
        }
        // Key and body, plus the cache's own bookkeeping and allocator slack per entry (measured
        // under spread lookups: about 1 KiB per entry beyond key and body).
        let weigher =
            |k: &K, v: &web::Bytes| u32::try_from(k.text_len() + v.len() + 1024).unwrap_or(u32::MAX);
        RegisterCache(Some(
            moka::sync::Cache::builder().weigher(weigher).max_capacity(max_bytes).time_to_live(ttl).build(),
        ))
    }

    pub(crate) fn get(&self, key: &K) -> Option<web::Bytes> {
        self.0.as_ref().and_then(|c| c.get(key))
    }

    pub(crate) fn insert(&self, key: K, body: web::Bytes) {
        if let Some(c) = &self.0 {
            c.insert(key, body);
        }
    }

    /// Forget every answer (after a change the register shows).
    pub fn invalidate(&self) {
        if let Some(c) = &self.0 {
            c.invalidate_all();
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct AddressQueryParams {
    /// `1234 AB` or `1234AB`.
    #[param(
        pattern = r"^\s*[1-9]\s*[0-9]\s*[0-9]\s*[0-9]\s*([A-RT-Za-rt-z]\s*[A-Za-z]|[Ss]\s*[BCE-RT-Zbce-rt-z])\s*$"
    )]
    pub postcode: String,
    /// 1–99999.
    #[param(minimum = 1, maximum = 99999)]
    pub house_number: u32,
}

/// Holder of a licence, shown only for legal entities.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct RegisterHolder {
    pub name: String,
    pub kvk_number: Option<String>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct RegisterEntry {
    pub number: String,
    pub status: LicenceStatus,
    #[schema(value_type = LicenceKind)]
    pub kind: LicenceKind,
    pub address: AddressDto,
    pub valid_from: NaiveDate,
    pub valid_until: Option<NaiveDate>,
    pub max_occupants: u32,
    /// Only for a legal entity; `null` for a natural person (no personal data).
    pub holder: Option<RegisterHolder>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct RegisterResponse {
    pub items: Vec<RegisterEntry>,
}

fn parse_postcode(raw: &str) -> Result<String, AppError> {
    Ok(Postcode::parse(raw)
        .map_err(|e| AppError::field("#/query/postcode", e.to_string()))?
        .compact()
        .to_string())
}

/// Licences at an address (public).
#[utoipa::path(
    tag = "register",
    params(AddressQueryParams),
    responses(
        (status = 200, body = RegisterResponse),
        ValidationProblem
    )
)]
#[get("/v1/register/licences")]
pub async fn register_licences(
    state: web::Data<AppState>,
    query: web::Query<AddressQueryParams>,
) -> Result<HttpResponse, AppError> {
    let q = query.into_inner();
    let postcode = parse_postcode(&q.postcode)?;
    let number = query_house_number(q.house_number)?;
    let today = state.clock.today_nl();
    let key = (postcode.clone(), number, today);
    if let Some(body) = state.register_cache.get(&key) {
        return Ok(HttpResponse::Ok().content_type("application/json").body(body));
    }
    let found = service::lookup(&state.db, anonymous_ctx(&state.clock), move |tx| {
        uc::at_address(tx, &postcode, number)
    })
    .await?;
    let items: Vec<RegisterEntry> = found
        .into_iter()
        .map(|r| {
            let holder = match (r.holder_kind, r.holder_name) {
                (Some(LandlordKind::LegalEntity), Some(name)) => {
                    Some(RegisterHolder { name, kvk_number: r.holder_kvk_number })
                }
                _ => None,
            };
            RegisterEntry {
                status: effective_status(r.state, r.valid_until, today),
                number: r.number,
                kind: r.kind,
                address: address_dto(&r.postcode, r.house_number, Some(r.house_number_addition)),
                valid_from: r.valid_from,
                valid_until: r.valid_until,
                max_occupants: u32::try_from(r.max_occupants).unwrap_or(0),
                holder,
            }
        })
        .collect();
    let body = web::Bytes::from(
        serde_json::to_vec(&RegisterResponse { items })
            .map_err(|e| AppError::internal(anyhow::anyhow!("{e}")))?,
    );
    state.register_cache.insert(key, body.clone());
    Ok(HttpResponse::Ok().content_type("application/json").body(body))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct LicenceRequiredQuery {
    #[param(
        pattern = r"^\s*[1-9]\s*[0-9]\s*[0-9]\s*[0-9]\s*([A-RT-Za-rt-z]\s*[A-Za-z]|[Ss]\s*[BCE-RT-Zbce-rt-z])\s*$"
    )]
    pub postcode: String,
    /// 1–99999.
    #[param(minimum = 1, maximum = 99999)]
    pub house_number: u32,
    /// Neighbourhood code, if the rule set designates areas by it (default: as recorded for a
    /// property at this address).
    pub neighbourhood_code: Option<String>,
    /// The dwelling houses (or will house) labour migrants (Wgv art. 1 verblijfsruimte).
    pub labour_migrants: Option<bool>,
    /// Date (YYYY-MM-DD) of the rule set to use; default today.
    pub date: Option<NaiveDate>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct LicenceRequiredResponse {
    pub licence_required: bool,
    /// `general` and/or `labour_migrant`.
    #[schema(value_type = Vec<LicenceKind>)]
    pub required_kinds: Vec<LicenceKind>,
    /// `not_in_designated_area` when no enabled licence covers the address.
    #[schema(value_type = Option<LicenceExemption>)]
    pub exemption: Option<LicenceExemption>,
    pub rule_set_valid_from: NaiveDate,
}

/// Does letting this address need a licence under the rule set in force, and which kind
/// (public). Housing corporations (toegelaten instellingen) are exempt; this look-up does not
/// know the landlord and answers for a private landlord.
#[utoipa::path(
    tag = "register",
    params(LicenceRequiredQuery),
    responses(
        (status = 200, body = LicenceRequiredResponse),
        (status = 404, description = "No rule set in force on that date", body = Problem, content_type = "application/problem+json"),
        ValidationProblem
    )
)]
#[get("/v1/register/licence-required")]
pub async fn licence_required(
    state: web::Data<AppState>,
    query: web::Query<LicenceRequiredQuery>,
) -> Result<HttpResponse, AppError> {
    let q = query.into_inner();
    let postcode = parse_postcode(&q.postcode)?;
    let n = query_house_number(q.house_number)?;
    let date = q.date.unwrap_or_else(|| state.clock.today_nl());
    let rules = in_force_on(&state, date)?;
    let hood = match q.neighbourhood_code {
        Some(h) => Some(h),
        None => {
            let pc = postcode.clone();
            service::lookup(&state.db, anonymous_ctx(&state.clock), move |tx| {
                uc::neighbourhood_at(tx, &pc, n)
            })
            .await?
        }
    };
    let req = rules.licence_required(&AddressQuery {
        postcode: &postcode,
        house_number: q.house_number,
        neighbourhood_code: hood.as_deref(),
        is_housing_corporation: false,
        houses_labour_migrants: q.labour_migrants.unwrap_or(false),
    });
    Ok(HttpResponse::Ok().json(LicenceRequiredResponse {
        licence_required: req.licence_required(),
        required_kinds: req.required_kinds,
        exemption: req.exemption,
        rule_set_valid_from: rules.valid_from,
    }))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn the_register_cache_is_bounded_by_bytes() {
        let cache = RegisterCache::new(std::time::Duration::from_secs(60), 10_000);
        let day = NaiveDate::from_ymd_opt(2026, 11, 26).unwrap();
        for n in 0..1000 {
            cache.insert(("1234AB".into(), n, day), web::Bytes::from(vec![b'x'; 100]));
        }
        let inner = cache.0.as_ref().unwrap();
        inner.run_pending_tasks();
        // 10 000 bytes hold at most 10 000 / (6 + 100 + 1024) = 8 answers, not all 1000.
        assert!(inner.entry_count() <= 8, "{}", inner.entry_count());
        assert!(inner.weighted_size() <= 10_000);
        assert!(RegisterCache::<(String, i32, NaiveDate)>::new(std::time::Duration::from_secs(60), 0)
            .0
            .is_none());
    }
}
