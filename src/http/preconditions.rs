//! Conditional changes (RFC 9110 §13.1.1): the `If-Match` request header and the `ETag`
//! response header of the records portals and officers both change (licence applications,
//! complaints, sanctions). The tag is the record's version (`domain::versions`); the check
//! itself runs in the use case's transaction (`service::Tx::check_version`), against the row it
//! loaded, so two writers with the same `If-Match` cannot both pass.

use std::future::{ready, Ready};

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest, HttpResponse, HttpResponseBuilder};
use utoipa::openapi::path::{Parameter, ParameterBuilder, ParameterIn};
use utoipa::openapi::schema::{ObjectBuilder, Type};
use utoipa::openapi::Required;

use crate::domain::versions::{self, IfMatch as Parsed};
use crate::error::AppError;
use crate::service::Precondition;

/// The request's `If-Match` header, parsed (`None` without one). A malformed value is a 422
/// naming `#/header/If-Match`. Declared in a route's `params(IfMatch, …)`.
#[derive(Debug, Clone, Default)]
pub struct IfMatch(pub Option<Parsed>);

impl IfMatch {
    /// The precondition on the record `id` the route changes (`None` without `If-Match`).
    pub fn on(self, id: &str) -> Option<Precondition> {
        self.0.map(|if_match| Precondition { subject: id.to_string(), if_match })
    }

    fn of(req: &HttpRequest) -> Result<Self, AppError> {
        let mut values = Vec::new();
        for v in req.headers().get_all(header::IF_MATCH) {
            let v = v.to_str().map_err(|_| invalid("must be visible ASCII"))?;
            values.push(v.to_string());
        }
        if values.is_empty() {
            return Ok(IfMatch(None));
        }
        Parsed::parse(&values.join(",")).map(|p| IfMatch(Some(p))).map_err(|reason| invalid(&reason))
    }
}

fn invalid(reason: &str) -> AppError {
    AppError::field("#/header/If-Match", reason)
}

impl FromRequest for IfMatch {
    type Error = AppError;
    type Future = Ready<Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(IfMatch::of(req))
    }
}

/// The `If-Match` header parameter of a conditional change. The spec post-processing
/// (`openapi::responses`) adds the 412 and 422 answers and the `ETag` header of the 2xx answers to every
/// operation that declares it.
impl utoipa::IntoParams for IfMatch {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        let schema = ObjectBuilder::new().schema_type(Type::String).min_length(Some(1));
        vec![ParameterBuilder::new()
            .name("If-Match")
            .parameter_in(ParameterIn::Header)
            .required(Required::False)
            .description(Some(
                "Apply the change only if the record still has this version: the `ETag` of the \
                 record as read (e.g. `\"3\"`), several separated by commas, or `*` (any version). \
                 Weak tags (`W/\"3\"`) never match. A stale version answers 412 and changes \
                 nothing; a malformed value answers 422 naming `#/header/If-Match`. Without the \
                 header the change applies to the current version.",
            ))
            .schema(Some(schema))
            .build()]
    }
}

/// `response` with the `ETag` of a record at `version`.
pub fn with_etag(mut response: HttpResponseBuilder, version: i32) -> HttpResponseBuilder {
    response.insert_header((header::ETAG, versions::etag(version)));
    response
}

/// 200 with `body` as JSON and the `ETag` of a record at `version`.
pub fn ok_with_etag<T: serde::Serialize>(body: &T, version: i32) -> HttpResponse {
    with_etag(HttpResponse::Ok(), version).json(body)
}
