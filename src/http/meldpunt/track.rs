//! `GET /meldpunt/track` (enter the code), `POST /meldpunt/track` (the report's status and
//! messages) and `POST /meldpunt/track/messages` (add one). The code travels in the form body,
//! never in a URL (logs, history). Same use cases and the same wrong-code throttle as
//! `GET /v1/complaints/track/{code}`.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::{NaiveDate, NaiveDateTime};
use serde::Deserialize;
use validator::Validate;

use super::view::{Frame, MessageView, StatusPage, TrackPage};
use super::{html, language, texts, with_retry_after};
use crate::domain::complaints::{MessageAuthor, PageTexts};
use crate::error::AppError;
use crate::http::auth::anonymous_ctx;
use crate::http::complaints::tracking::by_code;
use crate::http::complaints::ReporterMessageRequest;
use crate::http::throttle::{RateLimits, TrackCodeThrottle};
use crate::http::AppState;
use crate::service;
use crate::service::complaints::reporter_message::{reporter_message, ReporterMessage};
use crate::service::complaints::track::{self, Tracked};

#[derive(Debug, Deserialize)]
pub(super) struct CodeForm {
    #[serde(default)]
    code: String,
}

#[derive(Debug, Deserialize)]
pub(super) struct MessageForm {
    #[serde(default)]
    code: String,
    #[serde(default)]
    text: String,
}

fn frame<'a>(state: &'a AppState, t: &'a PageTexts, lang: &'static str) -> Frame<'a> {
    Frame::of(state, t, lang, "/meldpunt/track", &t.track_title)
}

/// A date as people write it in `lang`.
fn date_in(lang: &str, d: NaiveDate) -> String {
    match lang {
        "nl" => d.format("%d-%m-%Y").to_string(),
        "en" => d.format("%d/%m/%Y").to_string(),
        _ => d.format("%d.%m.%Y").to_string(),
    }
}

/// A stored UTC time as Dutch local date and time.
fn time_in(lang: &str, t: NaiveDateTime) -> String {
    let local = t.and_utc().with_timezone(&chrono_tz::Europe::Amsterdam);
    format!("{} {}", date_in(lang, local.date_naive()), local.format("%H:%M"))
}

fn status_page<'a>(
    state: &'a AppState,
    t: &'a PageTexts,
    lang: &'static str,
    code: String,
    tracked: Tracked,
) -> StatusPage<'a> {
    let catalogue = &state.config.complaints.catalogue;
    let Tracked { own, shown, messages } = tracked;
    let category = catalogue
        .category(&own.category)
        .and_then(|c| c.text(lang))
        .map_or_else(|| own.category.clone(), |x| x.title.clone());
    StatusPage {
        frame: frame(state, t, lang),
        code,
        status: catalogue.status_label(lang, shown.status),
        category,
        filed_on: date_in(lang, own.received_on),
        messages: messages
            .into_iter()
            .filter_map(|m| {
                Some(MessageView {
                    from_municipality: m.author != MessageAuthor::Reporter,
                    text: m.body?,
                    sent_on: time_in(lang, m.created_at),
                })
            })
            .collect(),
        sent: false,
        text: String::new(),
        text_error: None,
    }
}

/// The code form, with `error` next to the field.
fn code_page<'a>(
    state: &'a AppState,
    t: &'a PageTexts,
    lang: &'static str,
    code: String,
    error: Option<String>,
) -> TrackPage<'a> {
    TrackPage { frame: frame(state, t, lang), code, error }
}

/// The answer when the code is wrong or blocked.
fn refused(state: &AppState, t: &PageTexts, lang: &'static str, code: String, e: AppError) -> HttpResponse {
    match &e {
        AppError::TooManyRequests { .. } => {
            let page = code_page(state, t, lang, code, Some(t.error_code_blocked.clone()));
            with_retry_after(html(StatusCode::TOO_MANY_REQUESTS, &page), &e)
        }
        AppError::NotFound(_) => {
            html(StatusCode::NOT_FOUND, &code_page(state, t, lang, code, Some(t.error_code_unknown.clone())))
        }
        _ => {
            tracing::error!(error = %e, "a report could not be looked up from the meldpunt page");
            html(
                StatusCode::SERVICE_UNAVAILABLE,
                &code_page(state, t, lang, code, Some(t.error_general.clone())),
            )
        }
    }
}

/// The form to enter a tracking code.
pub(super) async fn show_track_form(
    state: web::Data<AppState>,
    req: HttpRequest,
) -> Result<HttpResponse, AppError> {
    let lang = language(&req);
    let t = texts(&state.config.complaints.catalogue, lang)?;
    Ok(html(StatusCode::OK, &code_page(&state, t, lang, String::new(), None)))
}

/// The report with this code: status, subject, date, messages.
pub(super) async fn show_status(
    state: web::Data<AppState>,
    limiter: web::Data<TrackCodeThrottle>,
    req: HttpRequest,
    form: web::Form<CodeForm>,
) -> Result<HttpResponse, AppError> {
    let lang = language(&req);
    let t = texts(&state.config.complaints.catalogue, lang)?;
    let code = form.into_inner().code.trim().to_string();
    if code.is_empty() {
        let page = code_page(&state, t, lang, code, Some(t.error_code_empty.clone()));
        return Ok(html(StatusCode::UNPROCESSABLE_ENTITY, &page));
    }
    let peer = RateLimits::source_of(&req);
    let lookup = code.clone();
    match by_code(&state, &limiter, peer, move |tx| track::track(tx, &lookup)).await {
        Ok(tracked) => Ok(html(StatusCode::OK, &status_page(&state, t, lang, code, tracked))),
        Err(e) => Ok(refused(&state, t, lang, code, e)),
    }
}

/// Adds the reporter's message and shows the report again.
pub(super) async fn add_message(
    state: web::Data<AppState>,
    limiter: web::Data<TrackCodeThrottle>,
    req: HttpRequest,
    form: web::Form<MessageForm>,
) -> Result<HttpResponse, AppError> {
    let lang = language(&req);
    let t = texts(&state.config.complaints.catalogue, lang)?;
    let MessageForm { code, text } = form.into_inner();
    let code = code.trim().to_string();
    let peer = RateLimits::source_of(&req);
    let lookup = code.clone();
    let tracked = match by_code(&state, &limiter, peer, move |tx| track::track(tx, &lookup)).await {
        Ok(tracked) => tracked,
        Err(e) => return Ok(refused(&state, t, lang, code, e)),
    };
    let request = ReporterMessageRequest { text };
    if request.text.trim().is_empty() || request.validate().is_err() {
        let mut page = status_page(&state, t, lang, code, tracked);
        page.text = request.text;
        page.text_error = Some(t.error_message_text.clone());
        return Ok(html(StatusCode::UNPROCESSABLE_ENTITY, &page));
    }
    let cmd = ReporterMessage { complaint_id: tracked.own.id, text: request.text };
    match service::write(&state.db, anonymous_ctx(&state.clock), move |tx| reporter_message(tx, cmd)).await {
        Ok(tracked) => {
            let mut page = status_page(&state, t, lang, code, tracked);
            page.sent = true;
            Ok(html(StatusCode::OK, &page))
        }
        Err(AppError::Conflict { .. }) => {
            let page = code_page(&state, t, lang, code, Some(t.error_report_deleted.clone()));
            Ok(html(StatusCode::CONFLICT, &page))
        }
        Err(AppError::Validation(_)) => {
            let page = code_page(&state, t, lang, code, Some(t.error_message_text.clone()));
            Ok(html(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
        Err(e) => Ok(refused(&state, t, lang, code, e)),
    }
}
