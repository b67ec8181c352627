//! `GET /meldpunt` (the report form) and `POST /meldpunt` (filing it). The form arrives as
//! `multipart/form-data` (photos); it is parsed into the JSON route's request type and checked
//! and filed by `http::complaints::report`, so the rules are the API's, word for word. Errors
//! come back next to their fields in the page's language.

use std::collections::HashMap;

use actix_multipart::Multipart;
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use futures_util::StreamExt;

use super::view::{
    CategoryChoice, FieldErrors, FormPage, FormValues, Frame, NoticePage, ResultPage, SignalChoice,
};
use super::{html, language, texts, with_retry_after};
use crate::domain::code::Code;
use crate::domain::complaints::{Anonymity, ExploitationSignal, PageTexts};
use crate::error::{AppError, FieldError};
use crate::http::auth::anonymous_ctx;
use crate::http::common::AddressDto;
use crate::http::complaints::report::{self, Limits, RawFile};
use crate::http::complaints::{ContactInput, CreateComplaintRequest};
use crate::http::throttle::{Limited, RateLimits};
use crate::http::AppState;
use crate::service::complaints::idempotency::{self, Keyed, PublicKey};
use crate::service::complaints::intake::TrackingCode;
use sha2::{Digest, Sha256};

/// Fields of the form in their order on the page (the error summary follows it).
const FIELD_ORDER: [&str; 13] = [
    "category",
    "postcode",
    "house_number",
    "house_number_addition",
    "location_description",
    "description",
    "signals",
    "photos",
    "contact",
    "contact_name",
    "contact_email",
    "contact_phone",
    "consent_to_contact",
];

/// Most parts a form may have (fields, one per ticked signal, files): more is not this form.
const MAX_PARTS: usize = 80;
/// Longest text field in bytes (a 5000-character description in any script fits).
const MAX_TEXT_BYTES: usize = 24 * 1024;

fn frame<'a>(state: &'a AppState, t: &'a PageTexts, lang: &'static str, title: &str) -> Frame<'a> {
    Frame::of(state, t, lang, "/meldpunt", title)
}

fn form_page<'a>(
    state: &'a AppState,
    t: &'a PageTexts,
    lang: &'static str,
    values: FormValues,
    errors: FieldErrors,
    submission: String,
) -> FormPage<'a> {
    let settings = &state.config.complaints;
    let catalogue = &settings.catalogue;
    let categories = catalogue
        .categories
        .iter()
        .map(|c| {
            let text = c.text(lang);
            CategoryChoice {
                code: c.code.clone(),
                title: text.map(|x| x.title.clone()).unwrap_or_default(),
                explanation: text.map(|x| x.explanation.clone()).unwrap_or_default(),
                checked: values.category == c.code,
            }
        })
        .collect();
    let signals = ExploitationSignal::ALL
        .iter()
        .map(|s| SignalChoice {
            code: s.code(),
            label: catalogue.signal_label(lang, *s).to_string(),
            checked: values.signals.iter().any(|v| v == s.code()),
        })
        .collect();
    FormPage {
        frame: frame(state, t, lang, &t.page_title),
        categories,
        signals,
        values,
        errors,
        photos_hint: fill_limits(&t.photos_hint, state),
        submission,
        files_dropped: false,
    }
}

/// `{count}` and `{mb}`: the attachment limits of the settings.
fn fill_limits(text: &str, state: &AppState) -> String {
    let s = &state.config.complaints;
    let mb = s.attachment_max_bytes as f64 / (1024.0 * 1024.0);
    let mb = if mb.fract() == 0.0 { format!("{mb:.0}") } else { format!("{mb:.1}") };
    text.replace("{count}", &s.attachment_max_count.to_string()).replace("{mb}", &mb)
}

/// The report form.
pub(super) async fn show_form(
    state: web::Data<AppState>,
    req: HttpRequest,
) -> Result<HttpResponse, AppError> {
    let lang = language(&req);
    let t = texts(&state.config.complaints.catalogue, lang)?;
    let submission = uuid::Uuid::new_v4().to_string();
    Ok(html(
        StatusCode::OK,
        &form_page(&state, t, lang, FormValues::default(), FieldErrors::default(), submission),
    ))
}

/// A page with one message, in the page's language.
fn notice(
    state: &AppState,
    t: &PageTexts,
    lang: &'static str,
    status: StatusCode,
    message: String,
) -> HttpResponse {
    html(status, &NoticePage { frame: frame(state, t, lang, &t.page_title), message })
}

/// The form as sent: text fields (a field may repeat: the signals), and the files.
#[derive(Default)]
struct Sent {
    fields: HashMap<String, Vec<String>>,
    files: Vec<RawFile>,
}

impl Sent {
    fn one(&self, name: &str) -> String {
        self.fields.get(name).and_then(|v| v.first()).map(|s| s.trim().to_string()).unwrap_or_default()
    }

    fn all(&self, name: &str) -> Vec<String> {
        self.fields.get(name).cloned().unwrap_or_default()
    }
}

/// Why a form could not be read at all.
enum Unreadable {
    TooLarge,
    Malformed,
}

/// Reads the multipart body: of each file at most `max_file_bytes` + 1 bytes are kept (so the
/// size rule sees an oversized file without holding all of it), of each text field at most
/// [`MAX_TEXT_BYTES`]; the whole body may have at most `max_total` bytes and [`MAX_PARTS`]
/// parts. The intake rules then count the files.
async fn read_form(
    mut parts: Multipart,
    max_file_bytes: usize,
    max_total: usize,
) -> Result<Sent, Unreadable> {
    let mut sent = Sent::default();
    let (mut total, mut count, mut file_index) = (0usize, 0usize, 0usize);
    while let Some(part) = parts.next().await {
        let mut part = part.map_err(|_| Unreadable::Malformed)?;
        count += 1;
        if count > MAX_PARTS {
            return Err(Unreadable::TooLarge);
        }
        let disposition = part.content_disposition().cloned();
        let name = disposition.as_ref().and_then(|d| d.get_name()).unwrap_or("").to_string();
        let file_name = disposition.as_ref().and_then(|d| d.get_filename()).map(str::to_string);
        let declared = part.content_type().map(|m| m.essence_str().to_string());
        let limit = if file_name.is_some() { max_file_bytes + 1 } else { MAX_TEXT_BYTES };
        let mut bytes = Vec::new();
        while let Some(chunk) = part.next().await {
            let chunk = chunk.map_err(|_| Unreadable::Malformed)?;
            total += chunk.len();
            if total > max_total {
                return Err(Unreadable::TooLarge);
            }
            if bytes.len() < limit {
                let room = limit - bytes.len();
                bytes.extend_from_slice(&chunk[..chunk.len().min(room)]);
            } else if file_name.is_none() {
                return Err(Unreadable::TooLarge);
            }
        }
        match file_name {
            // A file input left empty still sends a part without a name or content.
            Some(f) if f.is_empty() && bytes.is_empty() => {}
            Some(f) => {
                if name == "photos" {
                    sent.files.push(RawFile { index: file_index, bytes, file_name: Some(f), declared });
                    file_index += 1;
                }
            }
            None => {
                let text = String::from_utf8(bytes).map_err(|_| Unreadable::Malformed)?;
                sent.fields.entry(name).or_default().push(text);
            }
        }
    }
    Ok(sent)
}

/// A form sent without files (`application/x-www-form-urlencoded`: a browser that drops the
/// form's encoding, or a simple client): the same fields, no photos.
async fn read_urlencoded(mut payload: web::Payload) -> Result<Sent, Unreadable> {
    let mut body = web::BytesMut::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|_| Unreadable::Malformed)?;
        if body.len() + chunk.len() > super::MAX_FORM_BYTES {
            return Err(Unreadable::TooLarge);
        }
        body.extend_from_slice(&chunk);
    }
    let text = std::str::from_utf8(&body).map_err(|_| Unreadable::Malformed)?;
    let pairs = web::Query::<Vec<(String, String)>>::from_query(text)
        .map_err(|_| Unreadable::Malformed)?
        .into_inner();
    if pairs.len() > MAX_PARTS {
        return Err(Unreadable::TooLarge);
    }
    let mut sent = Sent::default();
    for (name, value) in pairs {
        sent.fields.entry(name).or_default().push(value);
    }
    Ok(sent)
}

/// The values to show again, and the request of the JSON route they make; `errors` gets what
/// cannot even be put into that request (a house number that is not a number, an unknown
/// signal).
fn to_request(sent: &Sent, lang: &str, errors: &mut Vec<FieldError>) -> (FormValues, CreateComplaintRequest) {
    let values = FormValues {
        category: sent.one("category"),
        postcode: sent.one("postcode"),
        house_number: sent.one("house_number"),
        house_number_addition: sent.one("house_number_addition"),
        location_description: sent.one("location_description"),
        description: sent.fields.get("description").and_then(|v| v.first()).cloned().unwrap_or_default(),
        signals: sent.all("signals"),
        fully_anonymous: sent.one("anonymity") == Anonymity::FullyAnonymous.code(),
        contact_name: sent.one("contact_name"),
        contact_email: sent.one("contact_email"),
        contact_phone: sent.one("contact_phone"),
        consent_to_contact: !sent.one("consent_to_contact").is_empty(),
    };
    let address = if values.postcode.is_empty() && values.house_number.is_empty() {
        None
    } else {
        let house_number = match values.house_number.parse::<i32>() {
            Ok(n) => n,
            Err(_) => {
                errors.push(FieldError::new("/address/house_number", "is not a number"));
                1
            }
        };
        let addition = Some(values.house_number_addition.clone()).filter(|a| !a.is_empty());
        Some(AddressDto { postcode: values.postcode.clone(), house_number, addition })
    };
    let mut signals = Vec::new();
    for code in &values.signals {
        match ExploitationSignal::from_code(code) {
            Some(s) => signals.push(s),
            None => errors.push(FieldError::new("/exploitation_signals", "is not a known signal")),
        }
    }
    let anonymity =
        if values.fully_anonymous { Anonymity::FullyAnonymous } else { Anonymity::AnonymousToLandlord };
    // Someone who chose "nobody" leaves no contact details, whatever the boxes still hold.
    let has_contact = !values.contact_name.is_empty()
        || !values.contact_email.is_empty()
        || !values.contact_phone.is_empty()
        || values.consent_to_contact;
    let contact = (has_contact && !values.fully_anonymous).then(|| ContactInput {
        name: Some(values.contact_name.clone()).filter(|s| !s.is_empty()),
        email: Some(values.contact_email.clone()).filter(|s| !s.is_empty()),
        phone: Some(values.contact_phone.clone()).filter(|s| !s.is_empty()),
        consent_to_contact: values.consent_to_contact,
    });
    let request = CreateComplaintRequest {
        category: values.category.clone(),
        language: lang.to_string(),
        description: values.description.clone(),
        address,
        location_description: Some(values.location_description.clone()).filter(|s| !s.is_empty()),
        exploitation_signals: signals,
        anonymity,
        contact,
        attachments: Vec::new(),
    };
    (values, request)
}

/// The field of the page and its message for a problem the intake rules found.
fn on_page(e: &FieldError, t: &PageTexts, state: &AppState) -> (&'static str, String) {
    let p = e.pointer.as_str();
    let (field, text) = match p {
        "/category" => ("category", &t.error_category),
        "/description" => ("description", &t.error_description),
        "/address/postcode" => ("postcode", &t.error_postcode),
        "/address/house_number" => ("house_number", &t.error_house_number),
        "/address/addition" => ("house_number_addition", &t.error_house_number_addition),
        "/address" => ("postcode", &t.error_address_or_location),
        "/location_description" => ("location_description", &t.error_location),
        "/contact" => ("contact", &t.error_contact),
        "/contact/consent_to_contact" => ("consent_to_contact", &t.error_consent),
        "/contact/email" => ("contact_email", &t.error_contact_email),
        "/contact/phone" => ("contact_phone", &t.error_contact_phone),
        "/contact/name" => ("contact_name", &t.error_contact_name),
        "/attachments" => ("photos", &t.error_too_many_photos),
        _ if p.starts_with("/exploitation_signals") => ("signals", &t.error_signals),
        _ if p.starts_with("/attachments/") => ("photos", &t.error_photos),
        _ => ("description", &t.error_general),
    };
    (field, fill_limits(text, state))
}

/// Files a report from the form: 200 with the tracking code, 422 with the form and its errors,
/// 413 when the files are too large together, 429 when this source sent too many reports.
pub(super) async fn submit_report(
    state: web::Data<AppState>,
    req: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, AppError> {
    let lang = language(&req);
    let t = texts(&state.config.complaints.catalogue, lang)?;
    if let Err(e) = RateLimits::check_anonymous(&req, Limited::Intake) {
        let page = notice(&state, t, lang, StatusCode::TOO_MANY_REQUESTS, t.error_too_many_reports.clone());
        return Ok(with_retry_after(page, &e));
    }
    let settings = &state.config.complaints;
    let urlencoded = req
        .headers()
        .get(actix_web::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.to_ascii_lowercase().starts_with("application/x-www-form-urlencoded"));
    let read = if urlencoded {
        read_urlencoded(payload).await
    } else {
        read_form(
            Multipart::new(req.headers(), payload),
            settings.attachment_max_bytes,
            settings.max_body_bytes(),
        )
        .await
    };
    let mut sent = match read {
        Ok(s) => s,
        Err(Unreadable::TooLarge) => {
            return Ok(notice(&state, t, lang, StatusCode::PAYLOAD_TOO_LARGE, t.error_too_large.clone()))
        }
        Err(Unreadable::Malformed) => {
            return Ok(notice(&state, t, lang, StatusCode::BAD_REQUEST, t.error_general.clone()))
        }
    };
    let files_fingerprint: Vec<String> =
        sent.files.iter().map(|f| hex::encode(Sha256::digest(&f.bytes))).collect();
    let mut problems = Vec::new();
    let (values, request) = to_request(&sent, lang, &mut problems);
    problems.extend(report::field_rules(&request));
    let files = std::mem::take(&mut sent.files);
    let (request, checked) =
        report::check_report_off_thread(Limits::of(settings), request, files, problems).await?;
    let checked = match checked {
        Ok(c) => c,
        Err(problems) => {
            let mut errors = FieldErrors::default();
            for p in &problems {
                let (field, message) = on_page(p, t, &state);
                errors.add(field, message);
            }
            errors.order_by(&FIELD_ORDER);
            let submission = Some(sent.one("submission"))
                .filter(|k| PublicKey::parse(k, "").is_ok())
                .unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
            let mut page = form_page(&state, t, lang, values, errors, submission);
            page.files_dropped = !files_fingerprint.is_empty();
            return Ok(html(StatusCode::UNPROCESSABLE_ENTITY, &page));
        }
    };
    // The same form sent again (a second tap, a reload of the result page) answers with the
    // report filed the first time and its tracking code; an edited form is a new report.
    let retention = state.config.server.idempotency_window();
    let mut keyed = submission_key(&state, &sent, &files_fingerprint);
    if let Some((key, fingerprint)) = &keyed {
        match earlier(&state, key, fingerprint, retention).await {
            Earlier::Filed(code) => return Ok(result_page(&state, t, lang, code)),
            Earlier::Other => keyed = None,
            Earlier::Unused => {}
        }
    }
    let municipality = state.config.municipality_code.as_str().to_string();
    let tracking_code = TrackingCode::generate();
    let record = keyed.as_ref().map(|(k, f)| Keyed::new(k, f.clone(), &tracking_code, retention));
    let (cmd, files) = report::intake_command(request, checked, municipality, tracking_code, None);
    match report::file_report(&state, anonymous_ctx(&state.clock), cmd, files, record).await {
        Ok(Some(filed)) => Ok(result_page(&state, t, lang, filed.tracking_code)),
        Ok(None) => {
            // The same form, sent twice at once: the first one filed it.
            let found = match &keyed {
                Some((key, fingerprint)) => earlier(&state, key, fingerprint, retention).await,
                None => Earlier::Unused,
            };
            Ok(match found {
                Earlier::Filed(code) => result_page(&state, t, lang, code),
                _ => notice(&state, t, lang, StatusCode::SERVICE_UNAVAILABLE, t.error_general.clone()),
            })
        }
        Err(e) => {
            tracing::error!(error = %e, "a report from the meldpunt page was not filed");
            Ok(notice(&state, t, lang, StatusCode::SERVICE_UNAVAILABLE, t.error_general.clone()))
        }
    }
}

fn result_page(state: &AppState, t: &PageTexts, lang: &'static str, tracking_code: String) -> HttpResponse {
    html(StatusCode::OK, &ResultPage { frame: frame(state, t, lang, &t.result_title), tracking_code })
}

/// The form's one-time `submission` key (made when the form was shown) and the fingerprint of
/// what was sent with it: every field and the files' hashes.
fn submission_key(state: &AppState, sent: &Sent, files: &[String]) -> Option<(PublicKey, String)> {
    let key = PublicKey::parse(&sent.one("submission"), state.config.municipality_code.as_str()).ok()?;
    let fields: std::collections::BTreeMap<&String, &Vec<String>> =
        sent.fields.iter().filter(|(name, _)| name.as_str() != "submission").collect();
    let body = serde_json::to_vec(&(fields, files)).ok()?;
    let fingerprint = key.fingerprint(&body);
    Some((key, fingerprint))
}

/// What the form's key says about an earlier sending.
enum Earlier {
    /// The same form was filed: its tracking code.
    Filed(String),
    /// The key was used for another form (edited after going back), or its report is gone:
    /// this one is a new report, filed without the key.
    Other,
    Unused,
}

/// The report filed earlier with this key, if any.
async fn earlier(
    state: &AppState,
    key: &PublicKey,
    fingerprint: &str,
    retention: chrono::Duration,
) -> Earlier {
    let (key, fingerprint) = (key.clone(), fingerprint.to_string());
    let found = crate::service::read(&state.db, anonymous_ctx(&state.clock), move |tx| {
        idempotency::find_earlier(tx, &key, &fingerprint, retention)
    })
    .await;
    match found {
        Ok(Some(r)) => Earlier::Filed(r.tracking_code),
        Ok(None) => Earlier::Unused,
        Err(AppError::Conflict { .. }) => Earlier::Other,
        Err(e) => {
            tracing::warn!(error = %e, "the meldpunt page could not look up an earlier sending");
            Earlier::Unused
        }
    }
}
