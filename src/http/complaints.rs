//! The meldpunt (Wgv art. 4 lid 1): public, anonymous intake with a tracking code, and the
//! officer side (triage, messages, referrals, merge, hotspots).
//!
//! Anonymity: the public routes store no IP address, user agent or account of the reporter; the
//! request log holds only the route pattern. A portal (API client) is recorded as the channel,
//! never the person. Audit rows of reporter actions use `ActorKind::Anonymous` without an id.

use std::net::IpAddr;

use actix_web::http::header;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use base64::Engine;
use chrono::{DateTime, Duration, Months, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use crate::db::audit::{self, Actor, ActorKind, AuditFilter, Change};
use crate::db::complaints::{self as store, Complaint, ListCursor, ListFilter, Message, Referral};
use crate::db::outbox::{self, NewEmail};
use crate::db::scope::Scope;
use crate::db::{accounts, is_unique_violation, DbConnection};
use crate::domain::attachments::{self, MediaType};
use crate::domain::complaints::{
    self as rules, Catalogue, ComplaintAction, ComplaintStatus, ExploitationSignal, Partner, Priority,
    RetentionFacts, TransitionError, TransitionFacts,
};
use crate::domain::ids::{Email, Postcode};
use crate::domain::roles::{ClientScope, Role};
use crate::error::{AppError, FieldError};
use crate::http::auth::{caller_from_request, AdminOnly, Auth, Caller, ComplaintStaff};
use crate::http::common::page;
use crate::http::extract::{read_valid_json, BodyHead, ValidJson};
use crate::http::problem::{
    current_request_id, AuthProblems, ConflictProblem, NotFoundProblem, Problem, ValidationProblem,
};
use crate::http::throttle::TrackCodeThrottle;
use crate::http::AppState;

const ISO: &str = "%Y-%m-%d";

fn iso(d: NaiveDate) -> String {
    d.format(ISO).to_string()
}

fn parse_iso(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s, ISO).ok()
}

/// Responses that carry a tracking code or what it unlocks are never cached.
fn no_store() -> (header::HeaderName, &'static str) {
    (header::CACHE_CONTROL, "no-store")
}

fn anonymous_actor() -> Actor {
    Actor { kind: ActorKind::Anonymous, id: None, request_id: current_request_id() }
}

// ---------------------------------------------------------------------------------------------
// Categories
// ---------------------------------------------------------------------------------------------

/// A decoded attachment awaiting its checks: (index in the request, bytes, file name, declared type).
type PendingAttachment = (usize, Vec<u8>, Option<String>, Option<String>);
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct CategoriesQuery {
    /// `nl` (default), `en`, `pl`, `ro`, `bg` or `uk`.
    pub lang: Option<String>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct CategoryResponse {
    pub code: String,
    /// The Wgv rule concerned (`GR-04`, `AM-01`, `no_licence`, …); absent when not a Wgv rule.
    pub rule: Option<String>,
    pub title: String,
    pub explanation: String,
    /// Handling term in days (municipal policy).
    pub handling_term_days: u32,
    pub urgent: bool,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct CategoriesResponse {
    pub language: String,
    pub categories: Vec<CategoryResponse>,
    /// Codes of the exploitation signals a report may carry.
    pub exploitation_signals: Vec<ExploitationSignal>,
}

/// The complaint categories (meldpunt), each with the Wgv rule it concerns, in the requested
/// language. No token needed.
#[utoipa::path(
    tag = "complaints",
    params(CategoriesQuery),
    responses(
        (status = 200, body = CategoriesResponse),
        (status = 422, description = "Unknown language", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/v1/complaint-categories")]
pub async fn list_complaint_categories(
    state: web::Data<AppState>,
    query: web::Query<CategoriesQuery>,
) -> Result<HttpResponse, AppError> {
    let lang = query.into_inner().lang.unwrap_or_else(|| "nl".into()).to_ascii_lowercase();
    if !rules::is_language(&lang) {
        return Err(AppError::field("#/query/lang", "must be one of nl, en, pl, ro, bg, uk"));
    }
    let cat = &state.config.complaints.catalogue;
    let categories = cat
        .categories
        .iter()
        .map(|c| {
            let t = c.texts.get(&lang).or_else(|| c.texts.get("nl"));
            CategoryResponse {
                code: c.code.clone(),
                rule: c.rule.clone(),
                title: t.map(|t| t.title.clone()).unwrap_or_default(),
                explanation: t.map(|t| t.explanation.clone()).unwrap_or_default(),
                handling_term_days: c.handling_term_days,
                urgent: c.urgent,
            }
        })
        .collect();
    Ok(HttpResponse::Ok().json(CategoriesResponse {
        language: lang,
        categories,
        exploitation_signals: ExploitationSignal::ALL.to_vec(),
    }))
}

// ---------------------------------------------------------------------------------------------
// Intake
// ---------------------------------------------------------------------------------------------

/// `anonymous_to_landlord` (default): the municipality may know the reporter, the landlord never
/// does. `fully_anonymous`: no contact details are accepted at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Anonymity {
    #[default]
    AnonymousToLandlord,
    FullyAnonymous,
}

impl Anonymity {
    fn as_str(self) -> &'static str {
        match self {
            Anonymity::AnonymousToLandlord => "anonymous_to_landlord",
            Anonymity::FullyAnonymous => "fully_anonymous",
        }
    }
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AddressInput {
    #[schema(example = "3011 AB")]
    pub postcode: String,
    #[validate(range(min = 1, max = 99999))]
    pub house_number: i32,
    #[validate(length(max = 10))]
    pub addition: Option<String>,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ContactInput {
    #[validate(length(max = 200))]
    pub name: Option<String>,
    pub email: Option<String>,
    #[validate(length(max = 40))]
    pub phone: Option<String>,
    /// Must be `true`: contact details are stored only with explicit consent to be contacted.
    pub consent_to_contact: bool,
}

/// One attachment, base64-encoded in the JSON body. The type is taken from the content; a file
/// name or declared type that contradicts it is refused.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AttachmentInput {
    #[validate(length(max = 255))]
    pub file_name: Option<String>,
    /// Declared media type (optional; checked against the content).
    #[validate(length(max = 100))]
    pub media_type: Option<String>,
    /// The file, standard base64.
    pub content_base64: String,
}

/// A report to the meldpunt.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateComplaintRequest {
    /// A code from `GET /v1/complaint-categories`.
    #[schema(example = "intimidation")]
    pub category: String,
    /// The reporter's language for texts and emails: nl, en, pl, ro, bg or uk.
    #[schema(example = "pl")]
    pub language: String,
    /// What happened (1–5000 characters).
    #[validate(length(min = 1, max = 5000))]
    pub description: String,
    /// The address concerned; or give `location_description`.
    #[validate(nested)]
    pub address: Option<AddressInput>,
    #[validate(length(max = 500))]
    pub location_description: Option<String>,
    #[serde(default)]
    #[validate(length(max = 18))]
    pub exploitation_signals: Vec<ExploitationSignal>,
    #[serde(default)]
    pub anonymity: Anonymity,
    #[validate(nested)]
    pub contact: Option<ContactInput>,
    #[serde(default)]
    #[validate(nested)]
    pub attachments: Vec<AttachmentInput>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ComplaintCreatedResponse {
    pub id: String,
    /// Shown once; keep it to follow the report (`GET /v1/complaints/track/{code}`). Absent on
    /// an idempotent replay: only its hash is stored, so it cannot be shown again.
    pub tracking_code: Option<String>,
    pub status: ComplaintStatus,
    pub received_at: DateTime<Utc>,
    pub handling_due_on: NaiveDate,
    /// True when this answers a retried portal submission (same Idempotency-Key).
    pub replayed: bool,
}

/// The caller of the intake route: nobody (public) or a portal with `complaints:write`.
fn intake_caller(req: &HttpRequest) -> Result<Option<Caller>, AppError> {
    if req.headers().get(header::AUTHORIZATION).is_none() {
        return Ok(None);
    }
    let caller = caller_from_request(req)?;
    if caller.role != Role::ApiClient {
        return Err(AppError::Forbidden(
            "only portals (API clients) submit with a token; residents submit without one".into(),
        ));
    }
    caller.require_scope(ClientScope::ComplaintsWrite)?;
    Ok(Some(caller))
}

struct StoredFile {
    path: std::path::PathBuf,
}

fn remove_files(files: &[StoredFile]) {
    for f in files {
        let _ = std::fs::remove_file(&f.path);
    }
}

/// File a report. No token needed (anonymous reporting is possible); portals send their client
/// token and an `Idempotency-Key` header, and a retry with the same key never creates a second
/// complaint. Attachments (JPEG, PNG, PDF) are base64 in the JSON body; their type is checked
/// by content and image metadata (EXIF, GPS, text chunks) is removed before storage.
#[utoipa::path(
    tag = "complaints",
    security((), ("bearer" = [])),
    request_body = CreateComplaintRequest,
    params(("Idempotency-Key" = Option<String>, Header, description = "Required for portals (API clients): a unique key per submission, 1–200 visible ASCII characters")),
    responses(
        (status = 201, body = ComplaintCreatedResponse),
        (status = 200, description = "Idempotent replay of an earlier portal submission", body = ComplaintCreatedResponse),
        AuthProblems,
        (status = 409, description = "Idempotency-Key reused with another request", body = Problem, content_type = "application/problem+json"),
        (status = 413, body = Problem, content_type = "application/problem+json"),
        ValidationProblem
    )
)]
#[post("/v1/complaints")]
pub async fn create_complaint(
    state: web::Data<AppState>,
    req: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, AppError> {
    let caller = intake_caller(&req)?;
    let settings = &state.config.complaints;
    let idempotency_key =
        match &caller {
            None => None,
            Some(_) => {
                let key =
                    req.headers().get("idempotency-key").and_then(|v| v.to_str().ok()).map(str::trim).filter(
                        |k| !k.is_empty() && k.len() <= 200 && k.bytes().all(|b| b.is_ascii_graphic()),
                    );
                Some(
                    key.ok_or_else(|| {
                        AppError::field(
                            "#/header/Idempotency-Key",
                            "portals must send an Idempotency-Key of 1–200 visible ASCII characters",
                        )
                    })?
                    .to_string(),
                )
            }
        };
    let (body, raw): (CreateComplaintRequest, web::BytesMut) =
        read_valid_json(BodyHead::of(&req), payload.into_inner(), settings.max_body_bytes()).await?;
    let fingerprint = hex::encode(Sha256::digest(&raw));
    drop(raw);

    // A retry of a portal submission answers with the original complaint.
    if let (Some(c), Some(key)) = (&caller, &idempotency_key) {
        let (cid, key2) = (c.id.clone(), key.clone());
        if let Some(existing) = state.db.read(move |conn| store::find_idempotent(conn, &cid, &key2)).await? {
            return replay(existing, &fingerprint);
        }
    }

    let mut errs = Vec::new();
    let catalogue = settings.catalogue.clone();
    let category = catalogue.category(&body.category);
    if category.is_none() {
        errs.push(FieldError::new("/category", "is not a known category (see GET /v1/complaint-categories)"));
    }
    let language = body.language.trim().to_ascii_lowercase();
    if !rules::is_language(&language) {
        errs.push(FieldError::new("/language", "must be one of nl, en, pl, ro, bg, uk"));
    }
    if body.description.trim().is_empty() {
        errs.push(FieldError::new("/description", "must not be blank"));
    }
    let postcode = match &body.address {
        Some(a) => match Postcode::parse(&a.postcode) {
            Ok(p) => Some(p),
            Err(e) => {
                errs.push(FieldError::new("/address/postcode", e.to_string()));
                None
            }
        },
        None => None,
    };
    let location = body.location_description.as_deref().map(str::trim).filter(|s| !s.is_empty());
    if body.address.is_none() && location.is_none() {
        errs.push(FieldError::new("/address", "give an address or a location_description"));
    }
    let mut contact_email = None;
    if let Some(c) = &body.contact {
        if body.anonymity == Anonymity::FullyAnonymous {
            errs.push(FieldError::new("/contact", "must be absent for a fully anonymous report"));
        }
        if !c.consent_to_contact {
            errs.push(FieldError::new(
                "/contact/consent_to_contact",
                "must be true: contact details are stored only with consent to be contacted",
            ));
        }
        let email = c.email.as_deref().map(str::trim).filter(|s| !s.is_empty());
        let phone = c.phone.as_deref().map(str::trim).filter(|s| !s.is_empty());
        if email.is_none() && phone.is_none() {
            errs.push(FieldError::new("/contact", "give an email address or a phone number"));
        }
        if let Some(e) = email {
            match Email::parse(e) {
                Ok(e) => contact_email = Some(e.as_str().to_string()),
                Err(e) => errs.push(FieldError::new("/contact/email", e.to_string())),
            }
        }
    }
    if body.attachments.len() > settings.attachment_max_count {
        errs.push(FieldError::new(
            "/attachments",
            format!("at most {} attachments", settings.attachment_max_count),
        ));
    }
    // (index, bytes, file name, declared type) of each decoded attachment.
    let mut checked: Vec<PendingAttachment> = Vec::new();
    for (i, a) in body.attachments.iter().enumerate() {
        let decoded = match base64::engine::general_purpose::STANDARD.decode(a.content_base64.trim()) {
            Ok(b) => b,
            Err(_) => {
                errs.push(FieldError::new(format!("/attachments/{i}/content_base64"), "is not valid base64"));
                continue;
            }
        };
        if decoded.len() > settings.attachment_max_bytes {
            errs.push(FieldError::new(
                format!("/attachments/{i}/content_base64"),
                format!("is larger than {} bytes", settings.attachment_max_bytes),
            ));
            continue;
        }
        checked.push((i, decoded, a.file_name.clone(), a.media_type.clone()));
    }
    // Type checks and metadata removal (PDF parsing included) run on the blocking pool; a report
    // without attachments does not go there.
    let results = if checked.is_empty() {
        Vec::new()
    } else {
        web::block(move || {
            checked
                .into_iter()
                .map(|(i, bytes, name, declared)| {
                    (i, attachments::accept(&bytes, name.as_deref(), declared.as_deref()))
                })
                .collect::<Vec<_>>()
        })
        .await
        .map_err(|e| AppError::internal(anyhow::anyhow!("attachment task failed: {e}")))?
    };
    let mut files: Vec<(MediaType, Vec<u8>)> = Vec::new();
    for (i, r) in results {
        match r {
            Ok(f) => files.push(f),
            Err(e) => errs.push(FieldError::new(format!("/attachments/{i}"), e.to_string())),
        }
    }
    let Some(category) = category.filter(|_| errs.is_empty()) else { return Err(AppError::Validation(errs)) };

    let code_bytes: [u8; rules::TRACKING_CODE_BYTES] = {
        use rand::RngCore;
        let mut b = [0u8; rules::TRACKING_CODE_BYTES];
        rand::rngs::OsRng.fill_bytes(&mut b);
        b
    };
    let code = rules::format_tracking_code(&code_bytes);
    let now = state.clock.now_naive();
    let today = state.clock.today_nl();
    let due = today + Duration::days(i64::from(category.handling_term_days));
    let municipality = match &caller {
        Some(c) => c
            .municipalities
            .first()
            .cloned()
            .ok_or_else(|| AppError::Forbidden("this API client has no municipality".into()))?,
        None => state.config.municipality_code.as_str().to_string(),
    };
    let signals = rules::signals_to_text(&body.exploitation_signals);
    let has_signals = !body.exploitation_signals.is_empty();
    let priority = rules::initial_priority(category.urgent, has_signals);
    let contact = body.contact.as_ref();
    let clean = |s: Option<&String>| s.map(|v| v.trim().to_string()).filter(|v| !v.is_empty());
    let complaint = Complaint {
        id: uuid::Uuid::new_v4().to_string(),
        municipality_code: municipality,
        tracking_hash: rules::tracking_hash(&code),
        category: category.code.clone(),
        rule_code: category.rule.clone(),
        status: ComplaintStatus::Received.as_str().into(),
        priority: priority.as_str().into(),
        priority_rank: priority.rank(),
        language,
        anonymity: body.anonymity.as_str().into(),
        channel: if caller.is_some() { "portal" } else { "public" }.into(),
        client_id: caller.as_ref().map(|c| c.id.clone()),
        idempotency_key: idempotency_key.clone(),
        idempotency_fingerprint: idempotency_key.as_ref().map(|_| fingerprint.clone()),
        postcode: postcode.as_ref().map(|p| p.compact().to_string()),
        house_number: body.address.as_ref().map(|a| a.house_number),
        house_number_addition: body
            .address
            .as_ref()
            .and_then(|a| clean(a.addition.as_ref()))
            .map(|s| s.to_ascii_uppercase()),
        location_description: location.map(str::to_string),
        description: Some(body.description.trim().to_string()),
        signals,
        has_signals,
        contact_name: contact.and_then(|c| clean(c.name.as_ref())),
        contact_email,
        contact_phone: contact.and_then(|c| clean(c.phone.as_ref())),
        consent_to_contact: contact.is_some_and(|c| c.consent_to_contact),
        assigned_officer_id: None,
        property_id: None,
        landlord_id: None,
        licence_id: None,
        enforcement_case_id: None,
        merged_into: None,
        no_referral_reason: None,
        has_referral: false,
        case_building: false,
        enforcement_final_on: None,
        awaiting_information: false,
        received_at: now,
        received_on: iso(today),
        due_on: iso(due),
        status_changed_at: now,
        outcome_on: None,
        personal_data_due_on: None,
        personal_data_deleted_at: None,
        updated_at: now,
    };

    // Files first (outside the database), removed again if the transaction fails.
    let dir = settings.attachment_dir.clone();
    let mut stored = Vec::new();
    let mut rows = Vec::new();
    if !files.is_empty() {
        std::fs::create_dir_all(&dir)
            .map_err(|e| AppError::internal(anyhow::anyhow!("attachment folder: {e}")))?;
    }
    for (media, bytes) in files {
        let id = uuid::Uuid::new_v4().to_string();
        let name = format!("{id}.bin");
        let path = dir.join(&name);
        let sha = hex::encode(Sha256::digest(&bytes));
        let size = bytes.len() as i64;
        let p2 = path.clone();
        let written = web::block(move || std::fs::write(&p2, &bytes))
            .await
            .map_err(|e| AppError::internal(anyhow::anyhow!("file task failed: {e}")))?;
        if let Err(e) = written {
            remove_files(&stored);
            return Err(AppError::internal(anyhow::anyhow!("cannot store an attachment: {e}")));
        }
        stored.push(StoredFile { path });
        rows.push(store::Attachment {
            id,
            complaint_id: complaint.id.clone(),
            municipality_code: complaint.municipality_code.clone(),
            media_type: media.as_str().into(),
            size_bytes: size,
            sha256: sha,
            storage_name: name,
            created_at: now,
        });
    }

    let actor = match &caller {
        Some(c) => c.actor(),
        None => anonymous_actor(),
    };
    let to_insert = complaint.clone();
    let res = state
        .db
        .write(move |c| {
            if let Err(e) = store::insert(c, &to_insert) {
                if is_unique_violation(&e) {
                    // A concurrent retry with the same Idempotency-Key won the race.
                    return Ok(None);
                }
                return Err(e.into());
            }
            for r in &rows {
                store::insert_attachment(c, r)?;
            }
            audit::record(
                c,
                now,
                &actor,
                Change {
                    municipality_code: Some(&to_insert.municipality_code),
                    entity_type: "complaint",
                    entity_id: &to_insert.id,
                    action: "create",
                    before: None,
                    after: Some(serde_json::json!({
                        "status": to_insert.status, "category": to_insert.category,
                        "priority": to_insert.priority, "channel": to_insert.channel,
                        "has_signals": to_insert.has_signals, "attachments": rows.len(),
                    })),
                    reason: None,
                },
            )?;
            Ok(Some(to_insert))
        })
        .await;
    let saved = match res {
        Ok(s) => s,
        Err(e) => {
            remove_files(&stored);
            return Err(e);
        }
    };
    match saved {
        Some(c) => Ok(HttpResponse::Created().insert_header(no_store()).json(ComplaintCreatedResponse {
            id: c.id,
            tracking_code: Some(code),
            status: ComplaintStatus::Received,
            received_at: c.received_at.and_utc(),
            handling_due_on: due,
            replayed: false,
        })),
        None => {
            remove_files(&stored);
            let (Some(cl), Some(key)) = (caller, idempotency_key) else {
                return Err(AppError::internal(anyhow::anyhow!("tracking code collision")));
            };
            let existing = state
                .db
                .read(move |conn| store::find_idempotent(conn, &cl.id, &key))
                .await?
                .ok_or_else(|| AppError::internal(anyhow::anyhow!("idempotent row vanished")))?;
            replay(existing, &fingerprint)
        }
    }
}

fn replay(existing: Complaint, fingerprint: &str) -> Result<HttpResponse, AppError> {
    if existing.idempotency_fingerprint.as_deref() != Some(fingerprint) {
        return Err(AppError::conflict(
            "this Idempotency-Key was used for a different submission; use a new key for a new report",
        ));
    }
    let status = ComplaintStatus::parse(&existing.status).unwrap_or(ComplaintStatus::Received);
    Ok(HttpResponse::Ok().json(ComplaintCreatedResponse {
        id: existing.id,
        tracking_code: None,
        status,
        received_at: existing.received_at.and_utc(),
        handling_due_on: parse_iso(&existing.due_on).unwrap_or_default(),
        replayed: true,
    }))
}

// ---------------------------------------------------------------------------------------------
// Tracking (reporter)
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct TrackedMessage {
    /// `municipality` or `you`.
    pub from: String,
    /// `message` or `information_request`.
    pub kind: String,
    /// Absent once deleted under the retention rules.
    pub text: Option<String>,
    pub sent_at: DateTime<Utc>,
}

/// What a reporter sees with the code: status, dates and the messages addressed to them.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct TrackedComplaintResponse {
    pub status: ComplaintStatus,
    /// The status in the reporter's language.
    pub status_label: String,
    pub category: String,
    pub received_on: NaiveDate,
    pub last_status_change_at: DateTime<Utc>,
    pub handling_due_on: NaiveDate,
    /// The municipality asked for more information.
    pub awaiting_information: bool,
    /// True when the report was merged with another report about the same matter.
    pub merged: bool,
    pub messages: Vec<TrackedMessage>,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReporterMessageRequest {
    #[validate(length(min = 1, max = 5000))]
    pub text: String,
}

/// Resolves a code to (own complaint, complaint whose status is shown). Wrong codes: 404 and a
/// failure counted for the source; too many failures: 429.
async fn resolve_code(
    state: &AppState,
    limiter: &TrackCodeThrottle,
    peer: Option<IpAddr>,
    code: &str,
) -> Result<(Complaint, Complaint), AppError> {
    if limiter.0.is_blocked(&TrackCodeThrottle::peer_key(peer)) {
        return Err(AppError::TooManyRequests);
    }
    // Hashing happens for every input, and the lookup is one indexed equality on the hash, so
    // the answer takes the same time for a malformed, a wrong and a right code.
    let hash = rules::tracking_hash(code);
    let found = state
        .db
        .read(move |c| {
            let Some(own) = store::find_by_tracking_hash(c, &hash)? else { return Ok(None) };
            let shown = match &own.merged_into {
                Some(p) => store::find_unscoped(c, p)?.unwrap_or_else(|| own.clone()),
                None => own.clone(),
            };
            Ok(Some((own, shown)))
        })
        .await?;
    match found {
        Some(x) => Ok(x),
        None => {
            limiter.0.record_failure(&TrackCodeThrottle::peer_key(peer));
            Err(AppError::NotFound("no report with this code".into()))
        }
    }
}

fn tracked_view(
    catalogue: &Catalogue,
    own: &Complaint,
    shown: &Complaint,
    msgs: Vec<Message>,
) -> TrackedComplaintResponse {
    let status = ComplaintStatus::parse(&shown.status).unwrap_or(ComplaintStatus::Received);
    let messages = msgs
        .into_iter()
        .filter(|m| m.kind != "internal_note")
        .filter(|m| m.author == "municipality" || m.complaint_id == own.id)
        .map(|m| TrackedMessage {
            from: if m.author == "reporter" { "you".into() } else { "municipality".into() },
            kind: m.kind,
            text: m.body,
            sent_at: m.created_at.and_utc(),
        })
        .collect();
    TrackedComplaintResponse {
        status,
        status_label: catalogue.status_label(&own.language, status),
        category: own.category.clone(),
        received_on: parse_iso(&own.received_on).unwrap_or_default(),
        last_status_change_at: shown.status_changed_at.and_utc(),
        handling_due_on: parse_iso(&shown.due_on).unwrap_or_default(),
        awaiting_information: own.awaiting_information || shown.awaiting_information,
        merged: own.merged_into.is_some(),
        messages,
    }
}

async fn load_tracked(
    state: &AppState,
    own: Complaint,
    shown: Complaint,
) -> Result<TrackedComplaintResponse, AppError> {
    let mut ids = vec![own.id.clone()];
    if shown.id != own.id {
        ids.push(shown.id.clone());
    }
    let msgs = state.db.read(move |c| store::messages_of(c, &ids)).await?;
    Ok(tracked_view(&state.config.complaints.catalogue, &own, &shown, msgs))
}

/// Follow a report with its tracking code (case-insensitive; spaces and dashes ignored). Shows
/// status, dates and the municipality's messages to the reporter — no officer names, no other
/// reports, no internal notes. No token needed.
#[utoipa::path(
    tag = "complaints",
    params(("code" = String, Path, description = "The tracking code from the 201 response")),
    responses(
        (status = 200, body = TrackedComplaintResponse),
        (status = 404, description = "Unknown code", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many wrong codes from this connection", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/v1/complaints/track/{code}")]
pub async fn track_complaint(
    state: web::Data<AppState>,
    limiter: web::Data<TrackCodeThrottle>,
    req: HttpRequest,
    code: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let peer = req.peer_addr().map(|a| a.ip());
    let (own, shown) = resolve_code(&state, &limiter, peer, &code).await?;
    Ok(HttpResponse::Ok().insert_header(no_store()).json(load_tracked(&state, own, shown).await?))
}

/// The reporter adds information or answers a question, with the tracking code. No token.
#[utoipa::path(
    tag = "complaints",
    params(("code" = String, Path, description = "The tracking code")),
    request_body = ReporterMessageRequest,
    responses(
        (status = 201, body = TrackedComplaintResponse),
        NotFoundProblem,
        (status = 409, description = "The report's data were deleted; file a new report", body = Problem, content_type = "application/problem+json"),
        ValidationProblem,
        (status = 429, body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/v1/complaints/track/{code}/messages")]
pub async fn add_reporter_message(
    state: web::Data<AppState>,
    limiter: web::Data<TrackCodeThrottle>,
    req: HttpRequest,
    code: web::Path<String>,
    body: ValidJson<ReporterMessageRequest>,
) -> Result<HttpResponse, AppError> {
    let peer = req.peer_addr().map(|a| a.ip());
    let (own, _) = resolve_code(&state, &limiter, peer, &code).await?;
    if own.personal_data_deleted_at.is_some() {
        return Err(AppError::conflict(
            "this report is closed and its data were deleted; please file a new report",
        ));
    }
    let text = body.0.text.trim().to_string();
    if text.is_empty() {
        return Err(AppError::field("/text", "must not be blank"));
    }
    let now = state.clock.now_naive();
    let actor = anonymous_actor();
    let own_id = own.id.clone();
    let (own, shown) = state
        .db
        .write(move |c| {
            let mut own =
                store::find_unscoped(c, &own_id)?.ok_or_else(|| AppError::NotFound("no report".into()))?;
            let msg = Message {
                id: uuid::Uuid::new_v4().to_string(),
                complaint_id: own.id.clone(),
                municipality_code: own.municipality_code.clone(),
                author: "reporter".into(),
                kind: "message".into(),
                body: Some(text),
                author_account_id: None,
                created_at: now,
            };
            store::insert_message(c, &msg)?;
            own.awaiting_information = false;
            own.updated_at = now;
            store::save(c, &own)?;
            let mut shown = own.clone();
            if let Some(p) = &own.merged_into {
                if let Some(mut primary) = store::find_unscoped(c, p)? {
                    primary.awaiting_information = false;
                    primary.updated_at = now;
                    store::save(c, &primary)?;
                    shown = primary;
                }
            }
            audit::record(
                c,
                now,
                &actor,
                Change {
                    municipality_code: Some(&own.municipality_code),
                    entity_type: "complaint",
                    entity_id: &own.id,
                    action: "reporter_message",
                    before: None,
                    after: Some(serde_json::json!({"message_id": msg.id})),
                    reason: None,
                },
            )?;
            Ok((own, shown))
        })
        .await?;
    Ok(HttpResponse::Created().insert_header(no_store()).json(load_tracked(&state, own, shown).await?))
}

// ---------------------------------------------------------------------------------------------
// Officer side: list and read
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ComplaintListQuery {
    pub status: Option<ComplaintStatus>,
    pub category: Option<String>,
    /// Postcode of the address (`3011 AB` or `3011AB`).
    pub postcode: Option<String>,
    /// Received on or after (YYYY-MM-DD).
    pub received_from: Option<String>,
    /// Received on or before (YYYY-MM-DD).
    pub received_to: Option<String>,
    pub assigned_officer_id: Option<String>,
    pub has_exploitation_signals: Option<bool>,
    pub landlord_id: Option<String>,
    pub property_id: Option<String>,
    pub priority: Option<Priority>,
    /// Only open complaints past their handling term.
    pub overdue: Option<bool>,
    /// Opaque cursor from `next_cursor`.
    pub cursor: Option<String>,
    /// 1–200, default 50.
    pub limit: Option<i64>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ComplaintSummary {
    pub id: String,
    pub category: String,
    pub rule: Option<String>,
    pub status: ComplaintStatus,
    pub priority: Priority,
    pub received_at: DateTime<Utc>,
    pub handling_due_on: NaiveDate,
    pub overdue: bool,
    pub postcode: Option<String>,
    pub house_number: Option<i32>,
    pub house_number_addition: Option<String>,
    pub has_exploitation_signals: bool,
    pub assigned_officer_id: Option<String>,
    pub landlord_id: Option<String>,
    pub property_id: Option<String>,
    pub merged_into: Option<String>,
    pub awaiting_information: bool,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ComplaintListResponse {
    pub items: Vec<ComplaintSummary>,
    pub next_cursor: Option<String>,
}

fn summary(c: &Complaint, today: NaiveDate) -> ComplaintSummary {
    let status = ComplaintStatus::parse(&c.status).unwrap_or(ComplaintStatus::Received);
    let due = parse_iso(&c.due_on).unwrap_or_default();
    ComplaintSummary {
        id: c.id.clone(),
        category: c.category.clone(),
        rule: c.rule_code.clone(),
        status,
        priority: Priority::parse(&c.priority).unwrap_or(Priority::Normal),
        received_at: c.received_at.and_utc(),
        handling_due_on: due,
        overdue: status.is_open() && due < today,
        postcode: c.postcode.clone(),
        house_number: c.house_number,
        house_number_addition: c.house_number_addition.clone(),
        has_exploitation_signals: c.has_signals,
        assigned_officer_id: c.assigned_officer_id.clone(),
        landlord_id: c.landlord_id.clone(),
        property_id: c.property_id.clone(),
        merged_into: c.merged_into.clone(),
        awaiting_information: c.awaiting_information,
    }
}

fn encode_cursor(c: &Complaint) -> String {
    format!("{}~{}~{}", c.priority_rank, c.received_at.and_utc().timestamp_micros(), c.id)
}

fn decode_cursor(s: &str) -> Option<ListCursor> {
    let mut it = s.splitn(3, '~');
    let rank = it.next()?.parse().ok()?;
    let micros: i64 = it.next()?.parse().ok()?;
    let id = it.next()?.to_string();
    let received_at = DateTime::<Utc>::from_timestamp_micros(micros)?.naive_utc();
    Some(ListCursor { rank, received_at, id })
}

fn query_date(raw: &Option<String>, name: &str, errs: &mut Vec<FieldError>) -> Option<String> {
    let v = raw.as_deref()?;
    match parse_iso(v) {
        Some(d) => Some(iso(d)),
        None => {
            errs.push(FieldError::new(format!("#/query/{name}"), "must be a date YYYY-MM-DD"));
            None
        }
    }
}

/// Complaints of the caller's municipalities, urgent first, then oldest first; filters and cursor
/// pagination.
#[utoipa::path(
    tag = "complaints",
    security(("bearer" = [])),
    params(ComplaintListQuery),
    responses(
        (status = 200, body = ComplaintListResponse),
        AuthProblems,
        ValidationProblem
    )
)]
#[get("/v1/complaints")]
pub async fn list_complaints(
    state: web::Data<AppState>,
    auth: Auth<ComplaintStaff>,
    query: web::Query<ComplaintListQuery>,
) -> Result<HttpResponse, AppError> {
    let q = query.into_inner();
    let limit = q.limit.unwrap_or(50);
    let mut errs = Vec::new();
    if !(1..=200).contains(&limit) {
        errs.push(FieldError::new("#/query/limit", "must be between 1 and 200"));
    }
    let postcode = match q.postcode.as_deref() {
        None => None,
        Some(p) => match Postcode::parse(p) {
            Ok(p) => Some(p.compact().to_string()),
            Err(e) => {
                errs.push(FieldError::new("#/query/postcode", e.to_string()));
                None
            }
        },
    };
    let received_from = query_date(&q.received_from, "received_from", &mut errs);
    let received_to = query_date(&q.received_to, "received_to", &mut errs);
    let after = match q.cursor.as_deref() {
        None => None,
        Some(c) => match decode_cursor(c) {
            Some(c) => Some(c),
            None => {
                errs.push(FieldError::new("#/query/cursor", "is not a valid cursor"));
                None
            }
        },
    };
    if !errs.is_empty() {
        return Err(AppError::Validation(errs));
    }
    let today = state.clock.today_nl();
    let filter = ListFilter {
        status: q.status.map(|s| s.as_str().to_string()),
        category: q.category,
        postcode,
        received_from,
        received_to,
        assigned_officer_id: q.assigned_officer_id,
        has_signals: q.has_exploitation_signals,
        landlord_id: q.landlord_id,
        property_id: q.property_id,
        priority: q.priority.map(|p| p.as_str().to_string()),
        overdue_before: q.overdue.filter(|o| *o).map(|_| iso(today)),
        after,
        limit: limit + 1,
    };
    let scope = auth.scope();
    let mut rows = state.db.read(move |c| store::list(c, &scope, &filter)).await?;
    let next_cursor = page(&mut rows, limit, encode_cursor);
    let items = rows.iter().map(|c| summary(c, today)).collect();
    Ok(HttpResponse::Ok().json(ComplaintListResponse { items, next_cursor }))
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ContactResponse {
    pub name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub consent_to_contact: bool,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct MessageResponse {
    pub id: String,
    pub complaint_id: String,
    /// `reporter` or `municipality`.
    pub author: String,
    /// `message`, `information_request` or `internal_note` (never shown to the reporter).
    pub kind: String,
    pub text: Option<String>,
    pub author_account_id: Option<String>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct AttachmentResponse {
    pub id: String,
    pub complaint_id: String,
    pub media_type: String,
    pub size_bytes: i64,
    pub sha256: String,
    /// `GET` this path (with a token) for the file.
    pub href: String,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ReferralResponse {
    pub id: String,
    pub partner: Partner,
    pub referred_on: NaiveDate,
    /// What was shared; absent once deleted under the retention rules.
    pub shared_data: Option<String>,
    pub legal_basis: String,
    pub recorded_by: String,
    pub recorded_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct HistoryEntry {
    pub at: DateTime<Utc>,
    pub action: String,
    /// `account`, `api_client`, `system` or `anonymous`.
    pub actor_kind: String,
    pub actor_id: Option<String>,
    #[schema(value_type = Option<Object>)]
    pub before: Option<serde_json::Value>,
    #[schema(value_type = Option<Object>)]
    pub after: Option<serde_json::Value>,
    pub reason: Option<String>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ComplaintLinks {
    pub property_id: Option<String>,
    pub landlord_id: Option<String>,
    pub licence_id: Option<String>,
    pub enforcement_case_id: Option<String>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct RetentionResponse {
    /// Kept for dossieropbouw (case building): deleted at the latest 4 years after the report.
    pub case_building: bool,
    pub enforcement_final_on: Option<NaiveDate>,
    /// When the reporter's data, free text and attachments are due for deletion (MP-08).
    pub personal_data_due_on: Option<NaiveDate>,
    pub personal_data_deleted_at: Option<DateTime<Utc>>,
}

/// One complaint with everything an officer needs.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ComplaintResponse {
    #[serde(flatten)]
    pub summary: ComplaintSummary,
    pub municipality_code: String,
    pub language: String,
    pub anonymity: Anonymity,
    /// `public` or `portal`.
    pub channel: String,
    pub description: Option<String>,
    pub location_description: Option<String>,
    pub exploitation_signals: Vec<ExploitationSignal>,
    /// Absent for anonymous reports and after deletion.
    pub contact: Option<ContactResponse>,
    /// How the municipality can reach the reporter directly: `email`, `phone` or `none`
    /// (scenario 59: anonymous report). Messages are readable with the tracking code in every case.
    pub feedback_channel: String,
    pub links: ComplaintLinks,
    pub no_referral_reason: Option<String>,
    pub retention: RetentionResponse,
    /// Complaints merged into this one.
    pub duplicates: Vec<String>,
    /// Actions `POST /v1/complaints/{id}/transitions` accepts now.
    pub allowed_actions: Vec<ComplaintAction>,
    pub messages: Vec<MessageResponse>,
    pub attachments: Vec<AttachmentResponse>,
    pub referrals: Vec<ReferralResponse>,
    pub history: Vec<HistoryEntry>,
}

async fn load_scoped(state: &AppState, scope: Scope, id: String) -> Result<Complaint, AppError> {
    state
        .db
        .read(move |c| store::find(c, &scope, &id))
        .await?
        .ok_or_else(|| AppError::NotFound("no such complaint".into()))
}

async fn complaint_response(
    state: &AppState,
    scope: Scope,
    c: Complaint,
) -> Result<ComplaintResponse, AppError> {
    let today = state.clock.today_nl();
    let cid = c.id.clone();
    let (dups, msgs, atts, refs, hist) = state
        .db
        .read(move |conn| {
            let dups = store::merged_into(conn, &cid)?;
            let mut ids = vec![cid.clone()];
            ids.extend(dups.iter().map(|d| d.id.clone()));
            let msgs = store::messages_of(conn, &ids)?;
            let atts = store::attachments_of(conn, &ids)?;
            let refs = store::referrals_of(conn, &cid)?;
            let hist = audit::list(
                conn,
                &scope,
                &AuditFilter {
                    entity_type: Some("complaint".into()),
                    entity_id: Some(cid.clone()),
                    before_id: None,
                    limit: 1000,
                },
            )?;
            Ok((dups, msgs, atts, refs, hist))
        })
        .await?;
    let status = ComplaintStatus::parse(&c.status).unwrap_or(ComplaintStatus::Received);
    let allowed = if status == ComplaintStatus::Merged { vec![] } else { rules::allowed_actions(status) };
    let contact =
        (c.contact_email.is_some() || c.contact_phone.is_some() || c.contact_name.is_some()).then(|| {
            ContactResponse {
                name: c.contact_name.clone(),
                email: c.contact_email.clone(),
                phone: c.contact_phone.clone(),
                consent_to_contact: c.consent_to_contact,
            }
        });
    let parse = |s: Option<String>| s.and_then(|s| serde_json::from_str(&s).ok());
    Ok(ComplaintResponse {
        summary: summary(&c, today),
        municipality_code: c.municipality_code.clone(),
        language: c.language.clone(),
        anonymity: if c.anonymity == "fully_anonymous" {
            Anonymity::FullyAnonymous
        } else {
            Anonymity::AnonymousToLandlord
        },
        channel: c.channel.clone(),
        description: c.description.clone(),
        location_description: c.location_description.clone(),
        exploitation_signals: rules::signals_from_text(&c.signals),
        feedback_channel: match (&c.contact_email, &c.contact_phone, c.consent_to_contact) {
            (Some(_), _, true) => "email",
            (None, Some(_), true) => "phone",
            _ => "none",
        }
        .into(),
        contact,
        links: ComplaintLinks {
            property_id: c.property_id.clone(),
            landlord_id: c.landlord_id.clone(),
            licence_id: c.licence_id.clone(),
            enforcement_case_id: c.enforcement_case_id.clone(),
        },
        no_referral_reason: c.no_referral_reason.clone(),
        retention: RetentionResponse {
            case_building: c.case_building,
            enforcement_final_on: c.enforcement_final_on.as_deref().and_then(parse_iso),
            personal_data_due_on: c.personal_data_due_on.as_deref().and_then(parse_iso),
            personal_data_deleted_at: c.personal_data_deleted_at.map(|t| t.and_utc()),
        },
        duplicates: dups.into_iter().map(|d| d.id).collect(),
        allowed_actions: allowed,
        messages: msgs
            .into_iter()
            .map(|m| MessageResponse {
                id: m.id,
                complaint_id: m.complaint_id,
                author: m.author,
                kind: m.kind,
                text: m.body,
                author_account_id: m.author_account_id,
                created_at: m.created_at.and_utc(),
            })
            .collect(),
        attachments: atts
            .into_iter()
            .map(|a| AttachmentResponse {
                href: format!("/v1/complaints/{}/attachments/{}", a.complaint_id, a.id),
                id: a.id,
                complaint_id: a.complaint_id,
                media_type: a.media_type,
                size_bytes: a.size_bytes,
                sha256: a.sha256,
            })
            .collect(),
        referrals: refs
            .into_iter()
            .map(|r| ReferralResponse {
                id: r.id,
                partner: serde_json::from_value(serde_json::Value::String(r.partner))
                    .unwrap_or(Partner::OtherMunicipality),
                referred_on: parse_iso(&r.referred_on).unwrap_or_default(),
                shared_data: r.shared_data,
                legal_basis: r.legal_basis,
                recorded_by: r.recorded_by,
                recorded_at: r.created_at.and_utc(),
            })
            .collect(),
        history: hist
            .into_iter()
            .rev()
            .map(|h| HistoryEntry {
                at: h.occurred_at.and_utc(),
                action: h.action,
                actor_kind: h.actor_kind,
                actor_id: h.actor_id,
                before: parse(h.before_state),
                after: parse(h.after_state),
                reason: h.reason,
            })
            .collect(),
    })
}

/// One complaint with its history, messages (including internal notes), attachments and
/// referrals. Landlords never see complaints.
#[utoipa::path(
    tag = "complaints",
    security(("bearer" = [])),
    params(("id" = String, Path)),
    responses(
        (status = 200, body = ComplaintResponse),
        AuthProblems,
        NotFoundProblem
    )
)]
#[get("/v1/complaints/{id}")]
pub async fn get_complaint(
    state: web::Data<AppState>,
    auth: Auth<ComplaintStaff>,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let scope = auth.scope();
    let c = load_scoped(&state, scope.clone(), id.into_inner()).await?;
    Ok(HttpResponse::Ok().json(complaint_response(&state, scope, c).await?))
}

/// An attachment's file (metadata already removed at intake).
#[utoipa::path(
    tag = "complaints",
    security(("bearer" = [])),
    params(("id" = String, Path), ("attachment_id" = String, Path)),
    responses(
        (status = 200, description = "The file", content_type = "application/octet-stream"),
        AuthProblems,
        NotFoundProblem
    )
)]
#[get("/v1/complaints/{id}/attachments/{attachment_id}")]
pub async fn get_complaint_attachment(
    state: web::Data<AppState>,
    auth: Auth<ComplaintStaff>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let (id, att) = path.into_inner();
    let scope = auth.scope();
    let a = state
        .db
        .read(move |c| {
            if store::find(c, &scope, &id)?.is_none() {
                return Ok(None);
            }
            // The attachment may belong to a duplicate merged into this complaint.
            let own = store::find_attachment(c, &id, &att)?;
            if own.is_some() {
                return Ok(own);
            }
            for d in store::merged_into(c, &id)? {
                if let Some(a) = store::find_attachment(c, &d.id, &att)? {
                    return Ok(Some(a));
                }
            }
            Ok(None)
        })
        .await?
        .ok_or_else(|| AppError::NotFound("no such attachment".into()))?;
    let path = state.config.complaints.attachment_dir.join(&a.storage_name);
    let bytes = web::block(move || std::fs::read(path))
        .await
        .map_err(|e| AppError::internal(anyhow::anyhow!("file task failed: {e}")))?
        .map_err(|_| AppError::NotFound("the file is no longer stored".into()))?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, a.media_type))
        .insert_header(("x-content-type-options", "nosniff"))
        .insert_header((header::CONTENT_DISPOSITION, "attachment"))
        .body(bytes))
}

// ---------------------------------------------------------------------------------------------
// Officer side: changes
// ---------------------------------------------------------------------------------------------

/// Recomputes the personal-data deletion date (MP-08) of a complaint and its merged duplicates.
fn refresh_retention(c: &mut DbConnection, primary: &mut Complaint) -> Result<(), AppError> {
    let status = ComplaintStatus::parse(&primary.status).unwrap_or(ComplaintStatus::Received);
    let due = rules::personal_data_due(&RetentionFacts {
        received_on: parse_iso(&primary.received_on).unwrap_or_default(),
        status,
        outcome_on: primary.outcome_on.as_deref().and_then(parse_iso),
        case_building: primary.case_building,
        enforcement_final_on: primary.enforcement_final_on.as_deref().and_then(parse_iso),
    });
    primary.personal_data_due_on = due.map(iso);
    for mut d in store::merged_into(c, &primary.id)? {
        d.personal_data_due_on = primary.personal_data_due_on.clone();
        store::save(c, &d)?;
    }
    Ok(())
}

enum Notice {
    StatusChanged(ComplaintStatus),
    NewMessage,
}

/// Emails a reporter who left an address and consented, in their language, through the outbox.
/// The email carries no details (no message text, no code): the reporter reads them with the code.
fn notify(
    c: &mut DbConnection,
    catalogue: &Catalogue,
    now: chrono::NaiveDateTime,
    to: &Complaint,
    notice: &Notice,
) -> Result<(), AppError> {
    let Some(email) = to.contact_email.as_deref() else { return Ok(()) };
    if !to.consent_to_contact || to.personal_data_deleted_at.is_some() {
        return Ok(());
    }
    let Some(t) = catalogue.notifications.get(&to.language).or_else(|| catalogue.notifications.get("nl"))
    else {
        return Ok(());
    };
    let line = match notice {
        Notice::StatusChanged(s) => {
            t.status_changed.replace("{status}", &catalogue.status_label(&to.language, *s))
        }
        Notice::NewMessage => t.new_message.clone(),
    };
    let body = format!("{line}\n\n{}", t.footer);
    let id = outbox::enqueue(
        c,
        now,
        NewEmail {
            municipality_code: Some(&to.municipality_code),
            to: email,
            subject: &t.subject,
            body: &body,
        },
    )?;
    store::record_mail(c, &to.id, &id)
}

/// Notifies the reporter of `primary` and of every duplicate merged into it.
fn notify_all(
    c: &mut DbConnection,
    catalogue: &Catalogue,
    now: chrono::NaiveDateTime,
    primary: &Complaint,
    notice: &Notice,
) -> Result<(), AppError> {
    notify(c, catalogue, now, primary, notice)?;
    for d in store::merged_into(c, &primary.id)? {
        notify(c, catalogue, now, &d, notice)?;
    }
    Ok(())
}

/// One audit row about a complaint (ids, states and codes only; the reason is the officer's).
#[allow(clippy::too_many_arguments)]
fn record(
    c: &mut DbConnection,
    now: chrono::NaiveDateTime,
    actor: &Actor,
    cpl: &Complaint,
    action: &str,
    before: Option<serde_json::Value>,
    after: Option<serde_json::Value>,
    reason: Option<&str>,
) -> Result<(), AppError> {
    audit::record(
        c,
        now,
        actor,
        Change {
            municipality_code: Some(&cpl.municipality_code),
            entity_type: "complaint",
            entity_id: &cpl.id,
            action,
            before,
            after,
            reason,
        },
    )
}

fn not_merged(c: &Complaint) -> Result<(), AppError> {
    match &c.merged_into {
        Some(p) => Err(AppError::Conflict {
            detail: format!("this complaint was merged into {p}; act on that complaint"),
            allowed_actions: Some(vec![]),
        }),
        None => Ok(()),
    }
}

/// Runs `f` on the scoped complaint inside one transaction and answers with the updated
/// complaint.
async fn change<F>(
    state: &web::Data<AppState>,
    caller: &Caller,
    id: String,
    f: F,
) -> Result<HttpResponse, AppError>
where
    F: FnOnce(
            &mut DbConnection,
            &mut Complaint,
            &Actor,
            chrono::NaiveDateTime,
            NaiveDate,
            &Catalogue,
        ) -> Result<(), AppError>
        + Send
        + 'static,
{
    let scope = caller.scope();
    let actor = caller.actor();
    let now = state.clock.now_naive();
    let today = state.clock.today_nl();
    let catalogue = state.config.complaints.catalogue.clone();
    let scope2 = scope.clone();
    let updated = state
        .db
        .write(move |c| {
            let mut cpl = store::find(c, &scope2, &id)?
                .ok_or_else(|| AppError::NotFound("no such complaint".into()))?;
            f(c, &mut cpl, &actor, now, today, &catalogue)?;
            cpl.updated_at = now;
            store::save(c, &cpl)?;
            Ok(cpl)
        })
        .await?;
    Ok(HttpResponse::Ok().json(complaint_response(state, scope, updated).await?))
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TransitionRequest {
    pub action: ComplaintAction,
    /// Why (required; audited). Do not put the reporter's personal data here.
    #[validate(length(min = 1, max = 2000))]
    pub reason: String,
}

/// A state change: `received → triaged → investigating → (referred | action_taken |
/// closed_unfounded | closed_no_action)`. Illegal changes answer 409 with the allowed actions.
/// Complaints with exploitation signals cannot leave the open states without a referral decision.
#[utoipa::path(
    tag = "complaints",
    security(("bearer" = [])),
    params(("id" = String, Path)),
    request_body = TransitionRequest,
    responses(
        (status = 200, body = ComplaintResponse),
        AuthProblems,
        NotFoundProblem,
        ConflictProblem,
        ValidationProblem
    )
)]
#[post("/v1/complaints/{id}/transitions")]
pub async fn transition_complaint(
    state: web::Data<AppState>,
    auth: Auth<ComplaintStaff>,
    id: web::Path<String>,
    body: ValidJson<TransitionRequest>,
) -> Result<HttpResponse, AppError> {
    let req = body.0;
    change(&state, &auth, id.into_inner(), move |c, cpl, actor, now, today, catalogue| {
        not_merged(cpl)?;
        let from = ComplaintStatus::parse(&cpl.status).unwrap_or(ComplaintStatus::Received);
        let to = rules::transition(
            TransitionFacts {
                status: from,
                has_signals: cpl.has_signals,
                has_referral: cpl.has_referral,
                has_no_referral_reason: cpl.no_referral_reason.is_some(),
            },
            req.action,
        )
        .map_err(|e| match e {
            TransitionError::NotAllowed { from, allowed } => AppError::Conflict {
                detail: format!("{} is not allowed from {from}", req.action.as_str()),
                allowed_actions: Some(allowed.iter().map(|a| a.as_str().to_string()).collect()),
            },
            TransitionError::ReferralDecisionRequired => AppError::Conflict {
                detail: "this complaint carries exploitation signals: record a referral (POST …/referrals) \
                         or the reason not to refer (POST …/no-referral) before closing it"
                    .into(),
                allowed_actions: Some(vec!["add_referral".into(), "record_no_referral".into()]),
            },
            TransitionError::ReferralMissing => AppError::Conflict {
                detail: "record the referral (POST …/referrals) before marking the complaint referred".into(),
                allowed_actions: Some(vec!["add_referral".into()]),
            },
        })?;
        cpl.status = to.as_str().into();
        cpl.status_changed_at = now;
        if !to.is_open() {
            cpl.outcome_on = Some(iso(today));
            cpl.awaiting_information = false;
        }
        refresh_retention(c, cpl)?;
        record(
            c,
            now,
            actor,
            cpl,
            req.action.as_str(),
            Some(serde_json::json!({"status": from.as_str()})),
            Some(
                serde_json::json!({"status": to.as_str(), "personal_data_due_on": cpl.personal_data_due_on}),
            ),
            Some(req.reason.trim()),
        )?;
        notify_all(c, catalogue, now, cpl, &Notice::StatusChanged(to))
    })
    .await
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AssignRequest {
    /// Account id of an officer or manager of the complaint's municipality; `null` unassigns.
    pub officer_id: Option<String>,
}

/// Assign the complaint to an officer (or unassign it).
#[utoipa::path(
    tag = "complaints",
    security(("bearer" = [])),
    params(("id" = String, Path)),
    request_body = AssignRequest,
    responses(
        (status = 200, body = ComplaintResponse),
        AuthProblems,
        NotFoundProblem,
        ValidationProblem
    )
)]
#[post("/v1/complaints/{id}/assign")]
pub async fn assign_complaint(
    state: web::Data<AppState>,
    auth: Auth<ComplaintStaff>,
    id: web::Path<String>,
    body: ValidJson<AssignRequest>,
) -> Result<HttpResponse, AppError> {
    let officer = body.0.officer_id;
    change(&state, &auth, id.into_inner(), move |c, cpl, actor, now, _, _| {
        if let Some(o) = &officer {
            let ok = match accounts::find_account(c, o)? {
                Some(a) if !a.disabled && matches!(a.role, Role::Officer | Role::Manager) => {
                    accounts::account_municipalities(c, o)?.contains(&cpl.municipality_code)
                }
                _ => false,
            };
            if !ok {
                return Err(AppError::field(
                    "/officer_id",
                    "is not an active officer or manager of this complaint's municipality",
                ));
            }
        }
        let before = cpl.assigned_officer_id.clone();
        cpl.assigned_officer_id = officer;
        record(
            c,
            now,
            actor,
            cpl,
            "assign",
            Some(serde_json::json!({"assigned_officer_id": before})),
            Some(serde_json::json!({"assigned_officer_id": cpl.assigned_officer_id})),
            None,
        )
    })
    .await
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PriorityRequest {
    pub priority: Priority,
    #[validate(length(min = 1, max = 2000))]
    pub reason: String,
}

/// Set the priority. Unsafe housing and exploitation signals stay urgent.
#[utoipa::path(
    tag = "complaints",
    security(("bearer" = [])),
    params(("id" = String, Path)),
    request_body = PriorityRequest,
    responses(
        (status = 200, body = ComplaintResponse),
        AuthProblems,
        NotFoundProblem,
        ValidationProblem
    )
)]
#[post("/v1/complaints/{id}/priority")]
pub async fn set_complaint_priority(
    state: web::Data<AppState>,
    auth: Auth<ComplaintStaff>,
    id: web::Path<String>,
    body: ValidJson<PriorityRequest>,
) -> Result<HttpResponse, AppError> {
    let req = body.0;
    change(&state, &auth, id.into_inner(), move |c, cpl, actor, now, _, catalogue| {
        let urgent_category = catalogue.category(&cpl.category).is_some_and(|k| k.urgent);
        if let Some(min) = rules::minimum_priority(urgent_category, cpl.has_signals) {
            if req.priority > min {
                return Err(AppError::field(
                    "/priority",
                    "must stay urgent: unsafe housing and exploitation signals are always urgent",
                ));
            }
        }
        let before = cpl.priority.clone();
        cpl.priority = req.priority.as_str().into();
        cpl.priority_rank = req.priority.rank();
        record(
            c,
            now,
            actor,
            cpl,
            "set_priority",
            Some(serde_json::json!({"priority": before})),
            Some(serde_json::json!({"priority": cpl.priority})),
            Some(req.reason.trim()),
        )
    })
    .await
}

/// Links to records of other modules (ids as text; those modules validate their own ids).
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LinksRequest {
    #[validate(length(min = 1, max = 64))]
    pub property_id: Option<String>,
    #[validate(length(min = 1, max = 64))]
    pub landlord_id: Option<String>,
    #[validate(length(min = 1, max = 64))]
    pub licence_id: Option<String>,
    #[validate(length(min = 1, max = 64))]
    pub enforcement_case_id: Option<String>,
}

/// Link the complaint to a property, landlord, licence and/or enforcement case. Replaces all four
/// links (absent = no link).
#[utoipa::path(
    tag = "complaints",
    security(("bearer" = [])),
    params(("id" = String, Path)),
    request_body = LinksRequest,
    responses(
        (status = 200, body = ComplaintResponse),
        AuthProblems,
        NotFoundProblem,
        ValidationProblem
    )
)]
#[post("/v1/complaints/{id}/links")]
pub async fn link_complaint(
    state: web::Data<AppState>,
    auth: Auth<ComplaintStaff>,
    id: web::Path<String>,
    body: ValidJson<LinksRequest>,
) -> Result<HttpResponse, AppError> {
    let req = body.0;
    change(&state, &auth, id.into_inner(), move |c, cpl, actor, now, _, _| {
        let t = |s: Option<String>| s.map(|v| v.trim().to_string()).filter(|v| !v.is_empty());
        let before = serde_json::json!({"property_id": cpl.property_id, "landlord_id": cpl.landlord_id,
            "licence_id": cpl.licence_id, "enforcement_case_id": cpl.enforcement_case_id});
        cpl.property_id = t(req.property_id);
        cpl.landlord_id = t(req.landlord_id);
        cpl.licence_id = t(req.licence_id);
        cpl.enforcement_case_id = t(req.enforcement_case_id);
        let after = serde_json::json!({"property_id": cpl.property_id, "landlord_id": cpl.landlord_id,
            "licence_id": cpl.licence_id, "enforcement_case_id": cpl.enforcement_case_id});
        record(c, now, actor, cpl, "link", Some(before), Some(after), None)
    })
    .await
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MergeRequest {
    /// The complaint this one duplicates (the primary).
    #[validate(length(min = 1, max = 64))]
    pub into: String,
    #[validate(length(min = 1, max = 2000))]
    pub reason: String,
}

/// Mark this complaint as a duplicate of another. Its reporter's code keeps working and shows the
/// primary's status; signals and urgency carry over to the primary.
#[utoipa::path(
    tag = "complaints",
    security(("bearer" = [])),
    params(("id" = String, Path)),
    request_body = MergeRequest,
    responses(
        (status = 200, description = "The primary complaint", body = ComplaintResponse),
        AuthProblems,
        NotFoundProblem,
        ConflictProblem,
        ValidationProblem
    )
)]
#[post("/v1/complaints/{id}/merge")]
pub async fn merge_complaint(
    state: web::Data<AppState>,
    auth: Auth<ComplaintStaff>,
    id: web::Path<String>,
    body: ValidJson<MergeRequest>,
) -> Result<HttpResponse, AppError> {
    let req = body.0;
    let dup_id = id.into_inner();
    if req.into == dup_id {
        return Err(AppError::field("/into", "a complaint cannot be merged into itself"));
    }
    let primary_id = req.into.clone();
    change(&state, &auth, primary_id, move |c, primary, actor, now, _, catalogue| {
        let mut dup = store::find_unscoped(c, &dup_id)?
            .filter(|d| d.municipality_code == primary.municipality_code)
            .ok_or_else(|| AppError::NotFound("no such complaint".into()))?;
        let (ds, ps) = (
            ComplaintStatus::parse(&dup.status).unwrap_or(ComplaintStatus::Received),
            ComplaintStatus::parse(&primary.status).unwrap_or(ComplaintStatus::Received),
        );
        if !rules::can_merge(ds, ps) {
            return Err(AppError::Conflict {
                detail: "one of the complaints is already merged into another".into(),
                allowed_actions: Some(vec![]),
            });
        }
        // Flatten: duplicates of the duplicate now point at the primary.
        for mut d in store::merged_into(c, &dup.id)? {
            d.merged_into = Some(primary.id.clone());
            d.updated_at = now;
            store::save(c, &d)?;
        }
        dup.status = ComplaintStatus::Merged.as_str().into();
        dup.merged_into = Some(primary.id.clone());
        dup.status_changed_at = now;
        dup.updated_at = now;
        store::save(c, &dup)?;
        let mut signals = rules::signals_from_text(&primary.signals);
        signals.extend(rules::signals_from_text(&dup.signals));
        primary.signals = rules::signals_to_text(&signals);
        primary.has_signals = !signals.is_empty();
        let urgent_category = catalogue.category(&primary.category).is_some_and(|k| k.urgent)
            || catalogue.category(&dup.category).is_some_and(|k| k.urgent);
        if rules::minimum_priority(urgent_category, primary.has_signals).is_some() {
            primary.priority = Priority::Urgent.as_str().into();
            primary.priority_rank = Priority::Urgent.rank();
        }
        refresh_retention(c, primary)?;
        record(
            c,
            now,
            actor,
            &dup,
            "merge",
            Some(serde_json::json!({"status": ds.as_str()})),
            Some(serde_json::json!({"status": "merged", "merged_into": primary.id})),
            Some(req.reason.trim()),
        )?;
        record(
            c,
            now,
            actor,
            primary,
            "absorb_duplicate",
            None,
            Some(serde_json::json!({"duplicate": dup.id, "has_signals": primary.has_signals})),
            Some(req.reason.trim()),
        )?;
        notify(c, catalogue, now, &dup, &Notice::StatusChanged(ComplaintStatus::Merged))
    })
    .await
}

/// Kind of an officer message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum OfficerMessageKind {
    /// To the reporter, visible with the tracking code.
    Message,
    /// A question to the reporter (visible with the code; marks the complaint as awaiting).
    InformationRequest,
    /// Never visible to the reporter.
    InternalNote,
}

impl OfficerMessageKind {
    fn as_str(self) -> &'static str {
        match self {
            Self::Message => "message",
            Self::InformationRequest => "information_request",
            Self::InternalNote => "internal_note",
        }
    }
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OfficerMessageRequest {
    pub kind: OfficerMessageKind,
    #[validate(length(min = 1, max = 5000))]
    pub text: String,
}

/// A message to the reporter, a request for more information, or an internal note. Messages on a
/// primary complaint reach the reporters of its duplicates as well.
#[utoipa::path(
    tag = "complaints",
    security(("bearer" = [])),
    params(("id" = String, Path)),
    request_body = OfficerMessageRequest,
    responses(
        (status = 200, body = ComplaintResponse),
        AuthProblems,
        NotFoundProblem,
        ConflictProblem,
        ValidationProblem
    )
)]
#[post("/v1/complaints/{id}/messages")]
pub async fn add_officer_message(
    state: web::Data<AppState>,
    auth: Auth<ComplaintStaff>,
    id: web::Path<String>,
    body: ValidJson<OfficerMessageRequest>,
) -> Result<HttpResponse, AppError> {
    let req = body.0;
    let account = auth.id.clone();
    change(&state, &auth, id.into_inner(), move |c, cpl, actor, now, _, catalogue| {
        if cpl.personal_data_deleted_at.is_some() && req.kind != OfficerMessageKind::InternalNote {
            return Err(AppError::conflict("the reporter's data of this complaint were deleted"));
        }
        let text = req.text.trim().to_string();
        if text.is_empty() {
            return Err(AppError::field("/text", "must not be blank"));
        }
        let msg = Message {
            id: uuid::Uuid::new_v4().to_string(),
            complaint_id: cpl.id.clone(),
            municipality_code: cpl.municipality_code.clone(),
            author: "municipality".into(),
            kind: req.kind.as_str().into(),
            body: Some(text),
            author_account_id: Some(account),
            created_at: now,
        };
        store::insert_message(c, &msg)?;
        if req.kind == OfficerMessageKind::InformationRequest {
            cpl.awaiting_information = true;
        }
        record(
            c,
            now,
            actor,
            cpl,
            "add_message",
            None,
            Some(serde_json::json!({"message_id": msg.id, "kind": msg.kind})),
            None,
        )?;
        if req.kind != OfficerMessageKind::InternalNote {
            notify_all(c, catalogue, now, cpl, &Notice::NewMessage)?;
        }
        Ok(())
    })
    .await
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReferralRequest {
    pub partner: Partner,
    /// Date of the referral (YYYY-MM-DD), not in the future.
    pub referred_on: NaiveDate,
    /// Exactly which data were shared (AVG purpose limitation; supervision.md §4.6).
    #[validate(length(min = 1, max = 4000))]
    pub shared_data: String,
    /// The legal basis for sharing.
    #[validate(length(min = 1, max = 500))]
    pub legal_basis: String,
}

/// Record a referral to a partner (Nederlandse Arbeidsinspectie, police, …) with date, what was
/// shared and the legal basis. This is also a referral decision for exploitation signals.
#[utoipa::path(
    tag = "complaints",
    security(("bearer" = [])),
    params(("id" = String, Path)),
    request_body = ReferralRequest,
    responses(
        (status = 200, body = ComplaintResponse),
        AuthProblems,
        NotFoundProblem,
        ConflictProblem,
        ValidationProblem
    )
)]
#[post("/v1/complaints/{id}/referrals")]
pub async fn add_referral(
    state: web::Data<AppState>,
    auth: Auth<ComplaintStaff>,
    id: web::Path<String>,
    body: ValidJson<ReferralRequest>,
) -> Result<HttpResponse, AppError> {
    let req = body.0;
    let account = auth.id.clone();
    change(&state, &auth, id.into_inner(), move |c, cpl, actor, now, today, _| {
        not_merged(cpl)?;
        if req.referred_on > today {
            return Err(AppError::field("/referred_on", "must not be in the future"));
        }
        let r = Referral {
            id: uuid::Uuid::new_v4().to_string(),
            complaint_id: cpl.id.clone(),
            municipality_code: cpl.municipality_code.clone(),
            partner: req.partner.as_str().into(),
            referred_on: iso(req.referred_on),
            shared_data: Some(req.shared_data.trim().to_string()),
            legal_basis: req.legal_basis.trim().to_string(),
            recorded_by: account,
            created_at: now,
        };
        store::insert_referral(c, &r)?;
        cpl.has_referral = true;
        record(
            c,
            now,
            actor,
            cpl,
            "add_referral",
            None,
            Some(
                serde_json::json!({"referral_id": r.id, "partner": r.partner, "referred_on": r.referred_on}),
            ),
            None,
        )
    })
    .await
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NoReferralRequest {
    /// Why the exploitation signals are not referred.
    #[validate(length(min = 1, max = 2000))]
    pub reason: String,
}

/// Record the decision not to refer (with the reason) — the alternative referral decision for
/// complaints with exploitation signals.
#[utoipa::path(
    tag = "complaints",
    security(("bearer" = [])),
    params(("id" = String, Path)),
    request_body = NoReferralRequest,
    responses(
        (status = 200, body = ComplaintResponse),
        AuthProblems,
        NotFoundProblem,
        ConflictProblem,
        ValidationProblem
    )
)]
#[post("/v1/complaints/{id}/no-referral")]
pub async fn record_no_referral(
    state: web::Data<AppState>,
    auth: Auth<ComplaintStaff>,
    id: web::Path<String>,
    body: ValidJson<NoReferralRequest>,
) -> Result<HttpResponse, AppError> {
    let reason = body.0.reason.trim().to_string();
    if reason.is_empty() {
        return Err(AppError::field("/reason", "must not be blank"));
    }
    change(&state, &auth, id.into_inner(), move |c, cpl, actor, now, _, _| {
        not_merged(cpl)?;
        cpl.no_referral_reason = Some(reason.clone());
        record(c, now, actor, cpl, "record_no_referral", None, None, Some(&reason))
    })
    .await
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RetentionRequest {
    /// Keep the reporter's data for dossieropbouw (at most 4 years after the report, MP-08).
    pub case_building: bool,
    /// Date the enforcement decision resulting from this complaint became final
    /// (onherroepelijk), MP-08 (d).
    pub enforcement_final_on: Option<NaiveDate>,
    #[validate(length(min = 1, max = 2000))]
    pub reason: String,
}

/// Set the facts the deletion rules depend on: kept for case building, and the date the
/// enforcement decision became final. Answers with the recomputed deletion date.
#[utoipa::path(
    tag = "complaints",
    security(("bearer" = [])),
    params(("id" = String, Path)),
    request_body = RetentionRequest,
    responses(
        (status = 200, body = ComplaintResponse),
        AuthProblems,
        NotFoundProblem,
        ConflictProblem,
        ValidationProblem
    )
)]
#[post("/v1/complaints/{id}/retention")]
pub async fn set_complaint_retention(
    state: web::Data<AppState>,
    auth: Auth<ComplaintStaff>,
    id: web::Path<String>,
    body: ValidJson<RetentionRequest>,
) -> Result<HttpResponse, AppError> {
    let req = body.0;
    change(&state, &auth, id.into_inner(), move |c, cpl, actor, now, today, _| {
        not_merged(cpl)?;
        if cpl.personal_data_deleted_at.is_some() {
            return Err(AppError::conflict("the personal data of this complaint were already deleted"));
        }
        if req.enforcement_final_on.is_some_and(|d| d > today) {
            return Err(AppError::field("/enforcement_final_on", "must not be in the future"));
        }
        let before = serde_json::json!({"case_building": cpl.case_building,
            "enforcement_final_on": cpl.enforcement_final_on, "personal_data_due_on": cpl.personal_data_due_on});
        cpl.case_building = req.case_building;
        cpl.enforcement_final_on = req.enforcement_final_on.map(iso);
        refresh_retention(c, cpl)?;
        let after = serde_json::json!({"case_building": cpl.case_building,
            "enforcement_final_on": cpl.enforcement_final_on, "personal_data_due_on": cpl.personal_data_due_on});
        record(c, now, actor, cpl, "set_retention", Some(before), Some(after), Some(req.reason.trim()))
    })
    .await
}

// ---------------------------------------------------------------------------------------------
// Hotspots
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum HotspotKey {
    #[default]
    Address,
    Landlord,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct HotspotQuery {
    /// `address` (default) or `landlord` (linked landlord).
    pub by: Option<HotspotKey>,
    /// First day of the window (YYYY-MM-DD); default 12 months before `to`.
    pub from: Option<String>,
    /// Last day of the window; default today.
    pub to: Option<String>,
    /// Only keys with at least this many complaints (default 2).
    pub min_count: Option<i64>,
    /// 1–500, default 50.
    pub limit: Option<i64>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Hotspot {
    pub postcode: Option<String>,
    pub house_number: Option<i32>,
    pub house_number_addition: Option<String>,
    pub landlord_id: Option<String>,
    pub complaints: i64,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct HotspotResponse {
    pub by: HotspotKey,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub items: Vec<Hotspot>,
}

/// Number of complaints per address or per landlord over a window (default the last 12 months),
/// most first, for proactive supervision. Merged duplicates are not counted.
#[utoipa::path(
    tag = "complaints",
    security(("bearer" = [])),
    params(HotspotQuery),
    responses(
        (status = 200, body = HotspotResponse),
        AuthProblems,
        ValidationProblem
    )
)]
#[get("/v1/complaints/hotspots")]
pub async fn complaint_hotspots(
    state: web::Data<AppState>,
    auth: Auth<ComplaintStaff>,
    query: web::Query<HotspotQuery>,
) -> Result<HttpResponse, AppError> {
    let q = query.into_inner();
    let mut errs = Vec::new();
    let to = match q.to.as_deref() {
        None => state.clock.today_nl(),
        Some(s) => parse_iso(s).unwrap_or_else(|| {
            errs.push(FieldError::new("#/query/to", "must be a date YYYY-MM-DD"));
            NaiveDate::default()
        }),
    };
    let from = match q.from.as_deref() {
        None => to.checked_sub_months(Months::new(12)).unwrap_or(to),
        Some(s) => parse_iso(s).unwrap_or_else(|| {
            errs.push(FieldError::new("#/query/from", "must be a date YYYY-MM-DD"));
            NaiveDate::default()
        }),
    };
    if errs.is_empty() && from > to {
        errs.push(FieldError::new("#/query/from", "must not be after to"));
    }
    let min_count = q.min_count.unwrap_or(2);
    if min_count < 1 {
        errs.push(FieldError::new("#/query/min_count", "must be at least 1"));
    }
    let limit = q.limit.unwrap_or(50);
    if !(1..=500).contains(&limit) {
        errs.push(FieldError::new("#/query/limit", "must be between 1 and 500"));
    }
    if !errs.is_empty() {
        return Err(AppError::Validation(errs));
    }
    let by = q.by.unwrap_or_default();
    let scope = auth.scope();
    let (f, t) = (iso(from), iso(to));
    let rows = state
        .db
        .read(move |c| match by {
            HotspotKey::Address => store::hotspots_by_address(c, &scope, &f, &t, min_count, limit),
            HotspotKey::Landlord => store::hotspots_by_landlord(c, &scope, &f, &t, min_count, limit),
        })
        .await?;
    let items = rows
        .into_iter()
        .map(|r| Hotspot {
            postcode: r.postcode,
            house_number: r.house_number,
            house_number_addition: r.addition,
            landlord_id: r.landlord_id,
            complaints: r.count,
        })
        .collect();
    Ok(HttpResponse::Ok().json(HotspotResponse { by, from, to, items }))
}

// ---------------------------------------------------------------------------------------------
// Retention job trigger
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct RetentionRunResponse {
    /// Complaints whose personal data, free text and attachments were deleted in this run.
    pub erased: usize,
    /// The Dutch calendar date the rules were applied for.
    pub applied_on: NaiveDate,
}

/// Run the meldpunt retention job now (it also runs periodically inside the server). Admin only.
#[utoipa::path(
    tag = "complaints",
    security(("bearer" = [])),
    responses(
        (status = 200, body = RetentionRunResponse),
        AuthProblems
    )
)]
#[post("/v1/jobs/retention/run")]
pub async fn run_retention_job(
    state: web::Data<AppState>,
    _auth: Auth<AdminOnly>,
) -> Result<HttpResponse, AppError> {
    let erased =
        crate::jobs::retention::run_once(&state.db, &state.clock, &state.config.complaints.attachment_dir)
            .await?;
    Ok(HttpResponse::Ok().json(RetentionRunResponse { erased, applied_on: state.clock.today_nl() }))
}
