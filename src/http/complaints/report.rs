//! The one copy of the meldpunt's intake rules, shared by both ways in: the JSON API
//! (`POST /v1/complaints`) and the resident's web page (`POST /meldpunt`). Each parses its own
//! format into a [`CreateComplaintRequest`] (the page without base64: its files arrive as bytes)
//! and then calls [`check_report`], [`intake_command`] and [`file_report`] — so a rule changed
//! here changes for both, and the page files through the same use case as the API.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use actix_web::web;
use sha2::{Digest, Sha256};
use validator::Validate;

use super::CreateComplaintRequest;
use crate::config::complaints::ComplaintSettings;
use crate::domain::attachments::{self, MediaType};
use crate::domain::complaints::{self as rules, Anonymity, Catalogue};
use crate::domain::ids::{Email, Postcode};
use crate::error::{AppError, FieldError};
use crate::http::AppState;
use crate::service::complaints::intake::{
    self, Contact, Intake, Intaken, Portal, ReportedCategory, StoredAttachment, TrackingCode,
};
use crate::service::{self, Ctx};

/// A file of a report before its checks: its index in the report, the bytes, the file name and
/// the declared media type, as the reporter sent them.
pub(crate) struct RawFile {
    pub index: usize,
    pub bytes: Vec<u8>,
    pub file_name: Option<String>,
    pub declared: Option<String>,
}

/// What the checks make of a report: the parsed values the intake needs.
pub(crate) struct CheckedReport {
    pub category: ReportedCategory,
    pub language: String,
    pub postcode: Option<Postcode>,
    pub location: Option<String>,
    pub contact_email: Option<String>,
    /// Checked by content, image metadata removed.
    pub files: Vec<(MediaType, Vec<u8>)>,
}

/// The limits [`check_report`] applies, cloned out of the settings (it may run on the blocking
/// pool).
#[derive(Clone)]
pub(crate) struct Limits {
    pub catalogue: Arc<Catalogue>,
    pub attachment_max_bytes: usize,
    pub attachment_max_count: usize,
}

impl Limits {
    pub fn of(settings: &ComplaintSettings) -> Self {
        Limits {
            catalogue: settings.catalogue.clone(),
            attachment_max_bytes: settings.attachment_max_bytes,
            attachment_max_count: settings.attachment_max_count,
        }
    }
}

/// The field rules of the request type itself (lengths, ranges), as problem fields. The JSON
/// API has them checked while reading the body; the page calls this.
pub(crate) fn field_rules(body: &CreateComplaintRequest) -> Vec<FieldError> {
    match body.validate() {
        Ok(()) => Vec::new(),
        Err(e) => crate::http::extract::validation_errors(&e),
    }
}

/// Checks a report against the intake rules: a known category and language, a non-blank
/// description, an address (a valid postcode) or a place description, contact details only with
/// consent and never on a fully anonymous report, at most the configured number of files, each
/// within the size limit and of an accepted type by its content (image metadata removed).
/// `errors` holds what the caller found already (they are reported together). Runs type checks
/// and PDF parsing: call it on the blocking pool when `files` is not empty.
pub(crate) fn check_report(
    limits: &Limits,
    body: &CreateComplaintRequest,
    files: Vec<RawFile>,
    mut errs: Vec<FieldError>,
) -> Result<CheckedReport, Vec<FieldError>> {
    let category = limits.catalogue.category(&body.category);
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
    let count = files.len().max(body.attachments.len());
    if count > limits.attachment_max_count {
        errs.push(FieldError::new(
            "/attachments",
            format!("at most {} attachments", limits.attachment_max_count),
        ));
    }
    let mut accepted = Vec::new();
    for f in files {
        if f.bytes.len() > limits.attachment_max_bytes {
            errs.push(FieldError::new(
                format!("/attachments/{}/content_base64", f.index),
                format!("is larger than {} bytes", limits.attachment_max_bytes),
            ));
            continue;
        }
        match attachments::accept(&f.bytes, f.file_name.as_deref(), f.declared.as_deref()) {
            Ok(a) => accepted.push(a),
            Err(e) => errs.push(FieldError::new(format!("/attachments/{}", f.index), e.to_string())),
        }
    }
    match category {
        Some(category) if errs.is_empty() => Ok(CheckedReport {
            category: category.into(),
            language,
            postcode,
            location: location.map(str::to_string),
            contact_email,
            files: accepted,
        }),
        _ => Err(errs),
    }
}

/// [`check_report`] on the blocking pool when there are files to check (a report without files
/// stays on the request's thread).
pub(crate) async fn check_report_off_thread(
    limits: Limits,
    body: CreateComplaintRequest,
    files: Vec<RawFile>,
    errs: Vec<FieldError>,
) -> Result<(CreateComplaintRequest, Result<CheckedReport, Vec<FieldError>>), AppError> {
    if files.is_empty() {
        let checked = check_report(&limits, &body, files, errs);
        return Ok((body, checked));
    }
    web::block(move || {
        let checked = check_report(&limits, &body, files, errs);
        (body, checked)
    })
    .await
    .map_err(|e| AppError::internal(anyhow::anyhow!("attachment task failed: {e}")))
}

/// The intake command of a checked report (attachments are added once stored).
pub(crate) fn intake_command(
    body: CreateComplaintRequest,
    checked: CheckedReport,
    municipality: String,
    tracking_code: TrackingCode,
    portal: Option<Portal>,
) -> (Intake, Vec<(MediaType, Vec<u8>)>) {
    let address = body.address.as_ref();
    let cmd = Intake {
        tracking_code,
        municipality,
        category: checked.category,
        language: checked.language,
        description: body.description,
        postcode: checked.postcode,
        house_number: address.map(|a| a.house_number),
        house_number_addition: address.and_then(|a| a.addition.clone()),
        location_description: checked.location,
        signals: body.exploitation_signals,
        anonymity: body.anonymity,
        contact: body.contact.map(|c| Contact {
            name: c.name,
            email: checked.contact_email,
            phone: c.phone,
            consent_to_contact: c.consent_to_contact,
        }),
        portal,
        partner: None,
        attachments: Vec::new(),
    };
    (cmd, checked.files)
}

pub(crate) fn remove_files(files: &[PathBuf]) {
    for f in files {
        let _ = std::fs::remove_file(f);
    }
}

/// Stores the checked files in `dir`; on failure removes those already written.
async fn store_files(
    dir: &Path,
    files: Vec<(MediaType, Vec<u8>)>,
) -> Result<(Vec<PathBuf>, Vec<StoredAttachment>), AppError> {
    let mut stored = Vec::new();
    let mut rows = Vec::new();
    if !files.is_empty() {
        std::fs::create_dir_all(dir)
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
        stored.push(path);
        rows.push(StoredAttachment {
            id,
            media_type: media,
            size_bytes: size,
            sha256: sha,
            storage_name: name,
        });
    }
    Ok((stored, rows))
}

/// Files the report: its files first (outside the database), then the complaint in one unit of
/// work through the intake use case (`keyed`: a resident's Idempotency-Key). The files are
/// removed again when the transaction fails or a concurrent retry with the same key won the race
/// (then `None`).
pub(crate) async fn file_report(
    state: &AppState,
    ctx: Ctx,
    cmd: Intake,
    files: Vec<(MediaType, Vec<u8>)>,
    keyed: Option<crate::service::complaints::idempotency::Keyed>,
) -> Result<Option<Intaken>, AppError> {
    let (stored, rows) = store_files(&state.config.complaints.attachment_dir, files).await?;
    let cmd = Intake { attachments: rows, ..cmd };
    let saved = service::write(&state.db, ctx, move |tx| match keyed {
        Some(keyed) => crate::service::complaints::idempotency::intake_once(tx, cmd, keyed),
        None => intake::intake(tx, cmd),
    })
    .await;
    if !matches!(saved, Ok(Some(_))) {
        remove_files(&stored);
    }
    saved
}
