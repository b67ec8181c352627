//! The meldpunt's own web page for residents: report a problem (`/meldpunt`) and follow it with
//! the tracking code (`/meldpunt/track`), in the six languages of the meldpunt, server-rendered
//! (askama, `templates/meldpunt/`), working without JavaScript, no cookies, no third-party
//! requests, a strict Content-Security-Policy.
//!
//! The pages are another way into the same API code: a report is parsed into the JSON route's
//! request type and checked and filed by `http::complaints::report` (the one copy of the intake
//! rules), tracking goes through the same use cases and the same wrong-code throttle. The
//! language is chosen from `?lang=` (kept in every link and form action, never in a cookie),
//! else from `Accept-Language`, else Dutch. Texts live with the category data
//! (`data/complaint-categories.json`, sections `page` and `signals`). Not part of the API: these
//! routes are not in the OpenAPI document.

mod form;
mod track;
mod view;

use actix_web::http::header::{self, HeaderValue};
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;

use crate::domain::complaints::{Catalogue, LANGUAGES};
use crate::error::AppError;

/// The page's stylesheet, embedded in the binary.
const STYLESHEET: &str = include_str!("../../../templates/meldpunt/meldpunt.css");

/// Largest form body of the tracking pages: a code and a 5000-character message in any script,
/// percent-encoded.
pub const MAX_FORM_BYTES: usize = 64 * 1024;

/// No scripts, no frames, nothing from elsewhere; forms post only here.
pub const CONTENT_SECURITY_POLICY: &str =
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/// Registers the pages (outside the OpenAPI document: they are not API routes).
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/meldpunt", web::get().to(form::show_form))
        .route("/meldpunt", web::post().to(form::submit_report))
        .route("/meldpunt/track", web::get().to(track::show_track_form))
        .route("/meldpunt/track", web::post().to(track::show_status))
        .route("/meldpunt/track/messages", web::post().to(track::add_message))
        .route("/meldpunt/assets/meldpunt.css", web::get().to(stylesheet));
}

/// The methods a page answers, for the `Allow` header of a 405.
pub fn methods_for(path: &str) -> Option<&'static [&'static str]> {
    match path {
        "/meldpunt" | "/meldpunt/track" => Some(&["GET", "POST"]),
        "/meldpunt/track/messages" => Some(&["POST"]),
        "/meldpunt/assets/meldpunt.css" => Some(&["GET"]),
        _ => None,
    }
}

async fn stylesheet() -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "text/css; charset=utf-8"))
        .insert_header((header::CACHE_CONTROL, "public, max-age=3600"))
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .body(STYLESHEET)
}

/// The page's language: `?lang=` when it is one of the six, else the best of `Accept-Language`,
/// else Dutch.
pub(crate) fn language(req: &HttpRequest) -> &'static str {
    let asked = web::Query::<Vec<(String, String)>>::from_query(req.query_string())
        .ok()
        .and_then(|q| q.0.into_iter().find(|(k, _)| k == "lang").map(|(_, v)| v.to_ascii_lowercase()));
    if let Some(l) = asked.as_deref().and_then(supported) {
        return l;
    }
    let header = req.headers().get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).unwrap_or("");
    from_accept_language(header)
}

fn supported(code: &str) -> Option<&'static str> {
    LANGUAGES.iter().copied().find(|l| *l == code)
}

/// The supported language `Accept-Language` (RFC 9110 §12.5.4) prefers most: the highest
/// `q` wins, the first listed among equals; `pl-PL` matches `pl`; `q=0` excludes; Dutch when
/// none matches.
pub(crate) fn from_accept_language(header: &str) -> &'static str {
    let mut best: Option<(&'static str, u16)> = None;
    for item in header.split(',') {
        let mut parts = item.split(';');
        let tag = parts.next().unwrap_or("").trim().to_ascii_lowercase();
        let primary = tag.split('-').next().unwrap_or("");
        let q = parts
            .filter_map(|p| p.trim().strip_prefix("q=").map(str::trim))
            .next()
            .map_or(1000, |q| q.parse::<f32>().map_or(0, |v| (v.clamp(0.0, 1.0) * 1000.0) as u16));
        if q == 0 {
            continue;
        }
        if let Some(lang) = supported(primary) {
            if best.is_none_or(|(_, bq)| q > bq) {
                best = Some((lang, q));
            }
        }
    }
    best.map_or("nl", |(l, _)| l)
}

/// A rendered page with the headers every meldpunt page carries.
pub(crate) fn html(status: StatusCode, page: &impl Template) -> HttpResponse {
    match page.render() {
        Ok(body) => {
            let mut res = HttpResponse::build(status);
            res.insert_header((header::CONTENT_TYPE, "text/html; charset=utf-8"))
                .insert_header((header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY))
                .insert_header((header::CACHE_CONTROL, "no-store"))
                .insert_header((header::REFERRER_POLICY, "no-referrer"))
                .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
                .insert_header((header::X_FRAME_OPTIONS, "DENY"));
            res.body(body)
        }
        Err(e) => {
            tracing::error!(error = %e, "cannot render a meldpunt page");
            let mut res = HttpResponse::InternalServerError();
            res.insert_header((header::CONTENT_TYPE, "text/plain; charset=utf-8"));
            res.body("The page cannot be shown. Please try again later.")
        }
    }
}

/// The `Retry-After` of a 429, copied onto a page.
pub(crate) fn with_retry_after(mut res: HttpResponse, err: &AppError) -> HttpResponse {
    if let AppError::TooManyRequests { retry_after } = err {
        if let Ok(v) = HeaderValue::from_str(&retry_after.to_string()) {
            res.headers_mut().insert(header::RETRY_AFTER, v);
        }
    }
    res
}

/// The texts of `lang` from the catalogue (checked complete at start-up).
pub(crate) fn texts<'a>(
    catalogue: &'a Catalogue,
    lang: &str,
) -> Result<&'a crate::domain::complaints::PageTexts, AppError> {
    catalogue
        .page_texts(lang)
        .ok_or_else(|| AppError::internal(anyhow::anyhow!("the category data have no page texts")))
}

#[cfg(test)]
mod tests {
    use super::from_accept_language;

    #[test]
    fn accept_language_picks_the_preferred_supported_language() {
        assert_eq!(from_accept_language(""), "nl");
        assert_eq!(from_accept_language("pl-PL,pl;q=0.9,en;q=0.8"), "pl");
        assert_eq!(from_accept_language("de-DE, ro;q=0.7, en;q=0.5"), "ro");
        assert_eq!(from_accept_language("en;q=0.4, uk;q=0.9"), "uk");
        assert_eq!(from_accept_language("fr, de"), "nl");
        assert_eq!(from_accept_language("bg;q=0, en;q=0.1"), "en");
        assert_eq!(from_accept_language("BG"), "bg");
        assert_eq!(from_accept_language("*;q=0.5, en;q=nonsense"), "nl");
    }
}
