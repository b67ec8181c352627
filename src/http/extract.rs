//! Request extractors that turn every malformed input into a problem+json 4xx naming the field:
//! [`ValidJson`] for bodies (syntax → 400, wrong/missing/unknown fields → 422 with JSON pointers,
//! `validator` rules → 422, too large → 413, wrong media type → 415), and error handlers for
//! actix's own query and path extractors.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{web, FromRequest, HttpRequest};
use futures_util::StreamExt;
use serde::de::DeserializeOwned;
use validator::{Validate, ValidationErrors, ValidationErrorsKind};

use crate::error::{AppError, FieldError};

/// Largest accepted JSON body, set as app data from the configuration.
#[derive(Clone, Copy)]
pub struct JsonLimit(pub usize);

/// A JSON body, deserialised and validated.
pub struct ValidJson<T>(pub T);

impl<T> FromRequest for ValidJson<T>
where
    T: DeserializeOwned + Validate + 'static,
{
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, AppError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let limit = req.app_data::<JsonLimit>().map(|l| l.0).unwrap_or(256 * 1024);
        let head = BodyHead::of(req);
        let payload = payload.take();
        Box::pin(async move { read_valid_json(head, payload, limit).await.map(|(v, _)| ValidJson(v)) })
    }
}

/// What a JSON body reader needs from the request head (taken before the body is awaited).
pub struct BodyHead {
    content_type: Option<String>,
    declared_len: Option<usize>,
}

impl BodyHead {
    pub fn of(req: &HttpRequest) -> Self {
        let content_type = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(|s| s.split(';').next().unwrap_or("").trim().to_ascii_lowercase());
        let declared_len = req
            .headers()
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<usize>().ok());
        BodyHead { content_type, declared_len }
    }
}

/// Reads a JSON body of at most `limit` bytes, deserialises and validates it; returns the value
/// and the raw bytes. Used by [`ValidJson`] (global limit) and by routes with their own limit
/// (complaint intake with attachments).
pub async fn read_valid_json<T>(
    head: BodyHead,
    mut payload: Payload,
    limit: usize,
) -> Result<(T, web::BytesMut), AppError>
where
    T: DeserializeOwned + Validate,
{
    match head.content_type.as_deref() {
        Some("application/json") => {}
        Some(ct) if ct.starts_with("application/") && ct.ends_with("+json") => {}
        other => {
            return Err(AppError::UnsupportedMediaType(format!(
                "expected Content-Type application/json, got {}",
                other.unwrap_or("none")
            )))
        }
    }
    if head.declared_len.is_some_and(|n| n > limit) {
        return Err(AppError::PayloadTooLarge { limit });
    }
    let mut body = web::BytesMut::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|e| AppError::BadRequest(format!("cannot read the request body: {e}")))?;
        if body.len() + chunk.len() > limit {
            return Err(AppError::PayloadTooLarge { limit });
        }
        body.extend_from_slice(&chunk);
    }
    let value = parse_json::<T>(&body)?;
    value.validate().map_err(|e| AppError::Validation(validation_errors(&e)))?;
    Ok((value, body))
}

/// Deserialises with the path of the offending field.
pub fn parse_json<T: DeserializeOwned>(body: &[u8]) -> Result<T, AppError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(AppError::BadRequest("the request body is empty; a JSON object was expected".into()));
    }
    refuse_nul(body)?;
    let de = &mut serde_json::Deserializer::from_slice(body);
    serde_path_to_error::deserialize(de).map_err(|err| {
        let pointer = path_to_pointer(err.path());
        let inner = err.into_inner();
        match inner.classify() {
            serde_json::error::Category::Syntax | serde_json::error::Category::Eof => {
                AppError::BadRequest(format!("the request body is not valid JSON: {inner}"))
            }
            serde_json::error::Category::Io => AppError::BadRequest("cannot read the request body".into()),
            serde_json::error::Category::Data => {
                let msg = inner.to_string();
                let msg = strip_position(&msg);
                // serde reports missing and unknown fields at the parent; point at the field.
                let (pointer, reason) = if let Some(name) = backticked(msg, "missing field `") {
                    (format!("{pointer}/{name}"), "is required".to_string())
                } else if let Some(name) = backticked(msg, "unknown field `") {
                    // The path already ends at the unknown key.
                    let tail = format!("/{}", escape_pointer(name));
                    let p = if pointer.ends_with(&tail) { pointer } else { format!("{pointer}{tail}") };
                    (p, "is not a known field".to_string())
                } else {
                    (pointer, msg.to_string())
                };
                AppError::Validation(vec![FieldError::new(pointer, reason)])
            }
        }
    })
}

const NUL_REASON: &str = "must not contain the NUL character (U+0000)";

/// PostgreSQL text cannot hold U+0000 (the query fails), and no field of this API has a use for
/// it: a NUL in any JSON string or key is a 422 naming the field, on every backend alike. Only
/// bodies that spell `\u0000` are parsed a second time.
fn refuse_nul(body: &[u8]) -> Result<(), AppError> {
    if !body.windows(6).any(|w| w == b"\\u0000") {
        return Ok(());
    }
    let Ok(value) = serde_json::from_slice::<serde_json::Value>(body) else {
        return Ok(()); // the typed parse reports the syntax error
    };
    match nul_pointer(&value, String::new()) {
        Some(pointer) => Err(AppError::field(pointer, NUL_REASON)),
        None => Ok(()),
    }
}

fn nul_pointer(value: &serde_json::Value, at: String) -> Option<String> {
    match value {
        serde_json::Value::String(s) if s.contains('\0') => Some(at),
        serde_json::Value::Array(items) => {
            items.iter().enumerate().find_map(|(i, v)| nul_pointer(v, format!("{at}/{i}")))
        }
        serde_json::Value::Object(map) => map.iter().find_map(|(k, v)| {
            let here = format!("{at}/{}", escape_pointer(k));
            if k.contains('\0') {
                Some(here)
            } else {
                nul_pointer(v, here)
            }
        }),
        _ => None,
    }
}

/// The same rule for the URL: a NUL (`%00`) in the path can name no resource (404), one in the
/// query string is a 422. Checked for every request by the request-id middleware.
pub fn nul_in_uri(uri: &actix_web::http::Uri) -> Option<AppError> {
    let has_nul = |s: &str| s.as_bytes().windows(3).any(|w| w == b"%00");
    if has_nul(uri.path()) {
        return Some(AppError::NotFound("no such resource (the path contains %00)".into()));
    }
    match uri.query() {
        Some(q) if has_nul(q) => {
            let name = q.split('&').find(|p| has_nul(p)).and_then(|p| p.split('=').next()).unwrap_or("");
            Some(AppError::field(format!("#/query/{name}"), NUL_REASON))
        }
        _ => None,
    }
}

fn strip_position(msg: &str) -> &str {
    match msg.rfind(" at line ") {
        Some(i) => &msg[..i],
        None => msg,
    }
}

fn backticked<'a>(msg: &'a str, prefix: &str) -> Option<&'a str> {
    let rest = msg.strip_prefix(prefix)?;
    rest.split('`').next()
}

fn escape_pointer(s: &str) -> String {
    s.replace('~', "~0").replace('/', "~1")
}

fn path_to_pointer(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut out = String::new();
    for seg in path.iter() {
        match seg {
            Segment::Seq { index } => out.push_str(&format!("/{index}")),
            Segment::Map { key } => out.push_str(&format!("/{}", escape_pointer(key))),
            Segment::Enum { .. } | Segment::Unknown => {}
        }
    }
    out
}

/// Flattens validator errors into JSON pointers.
pub fn validation_errors(errs: &ValidationErrors) -> Vec<FieldError> {
    let mut out = Vec::new();
    collect(errs, "", &mut out);
    out.sort_by(|a, b| a.pointer.cmp(&b.pointer));
    out
}

fn collect(errs: &ValidationErrors, prefix: &str, out: &mut Vec<FieldError>) {
    for (field, kind) in errs.errors() {
        let here = if field == "__all__" {
            prefix.to_string()
        } else {
            format!("{prefix}/{}", escape_pointer(field))
        };
        match kind {
            ValidationErrorsKind::Field(list) => {
                for e in list {
                    let reason = e.message.as_ref().map(|m| m.to_string()).unwrap_or_else(|| describe(e));
                    out.push(FieldError::new(here.clone(), reason));
                }
            }
            ValidationErrorsKind::Struct(inner) => collect(inner, &here, out),
            ValidationErrorsKind::List(items) => {
                for (i, inner) in items {
                    collect(inner, &format!("{here}/{i}"), out);
                }
            }
        }
    }
}

fn describe(e: &validator::ValidationError) -> String {
    let p = |k: &str| e.params.get(k).map(|v| v.to_string());
    match e.code.as_ref() {
        "length" => match (p("min"), p("max")) {
            (Some(min), Some(max)) => format!("length must be between {min} and {max}"),
            (Some(min), None) => format!("length must be at least {min}"),
            (None, Some(max)) => format!("length must be at most {max}"),
            _ => "has an invalid length".into(),
        },
        "range" => match (p("min"), p("max")) {
            (Some(min), Some(max)) => format!("must be between {min} and {max}"),
            (Some(min), None) => format!("must be at least {min}"),
            (None, Some(max)) => format!("must be at most {max}"),
            _ => "is out of range".into(),
        },
        "email" => "must be an email address".into(),
        other => format!("is invalid ({other})"),
    }
}

/// Error handlers for actix's `Query` and `Path` extractors: problem+json 422/404.
pub fn query_config() -> web::QueryConfig {
    web::QueryConfig::default().error_handler(|err, _req| {
        let msg = err.to_string();
        let msg = msg.strip_prefix("Query deserialize error: ").unwrap_or(&msg).to_string();
        let pointer = backticked(&msg, "missing field `")
            .or_else(|| backticked(&msg, "unknown field `"))
            .map(|f| format!("#/query/{f}"))
            .unwrap_or_else(|| "#/query".into());
        AppError::Validation(vec![FieldError::new(pointer, msg)]).into()
    })
}

pub fn path_config() -> web::PathConfig {
    web::PathConfig::default()
        .error_handler(|err, _req| AppError::NotFound(format!("no such resource ({err})")).into())
}

/// Bodies sent to routes that use actix's own `web::Json` (none should, but stay safe).
pub fn json_config(limit: usize) -> web::JsonConfig {
    web::JsonConfig::default().limit(limit).error_handler(move |err, _req| {
        use actix_web::error::JsonPayloadError as E;
        match err {
            E::Overflow { .. } | E::OverflowKnownLength { .. } => AppError::PayloadTooLarge { limit }.into(),
            E::ContentType => AppError::UnsupportedMediaType("expected application/json".into()).into(),
            E::Deserialize(e) if e.is_data() => AppError::field("", e.to_string()).into(),
            other => AppError::BadRequest(other.to_string()).into(),
        }
    })
}

/// Form bodies (`application/x-www-form-urlencoded`, the meldpunt's tracking page): at most
/// `limit` bytes; other errors as problem+json too.
pub fn form_config(limit: usize) -> web::FormConfig {
    web::FormConfig::default().limit(limit).error_handler(move |err, _req| {
        use actix_web::error::UrlencodedError as E;
        match err {
            E::Overflow { .. } => AppError::PayloadTooLarge { limit }.into(),
            E::ContentType => {
                AppError::UnsupportedMediaType("expected application/x-www-form-urlencoded".into()).into()
            }
            other => AppError::BadRequest(other.to_string()).into(),
        }
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Inner {
        n: u32,
    }
    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Outer {
        name: String,
        items: Vec<Inner>,
    }

    fn pointer_of(body: &str) -> String {
        match parse_json::<Outer>(body.as_bytes()) {
            Err(AppError::Validation(v)) => v[0].pointer.clone(),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn data_errors_point_at_the_field() {
        assert_eq!(pointer_of(r#"{"name":"x","items":[{"n":1},{"n":"two"}]}"#), "/items/1/n");
        assert_eq!(pointer_of(r#"{"items":[]}"#), "/name");
        assert_eq!(pointer_of(r#"{"name":"x","items":[],"extra":1}"#), "/extra");
    }

    #[test]
    fn syntax_errors_are_bad_requests() {
        assert!(matches!(parse_json::<Outer>(b"{\"name\":"), Err(AppError::BadRequest(_))));
        assert!(matches!(parse_json::<Outer>(b""), Err(AppError::BadRequest(_))));
    }
}
