//! Application documents: uploaded as the raw request body (PDF, JPEG or PNG, checked by magic
//! bytes, size-bounded), stored as files outside the database under `HUURTOEZICHT_UPLOAD_DIR`
//! with their SHA-256 in the database, listed and downloaded per application.

use actix_web::http::header;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use chrono::{DateTime, Utc};
use futures_util::StreamExt;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use utoipa::{IntoParams, ToSchema};

use crate::db::licensing::Document;
use crate::error::AppError;
use crate::http::auth::{Auth, CaseworkReaders, LandlordOrOfficer};
use crate::http::idempotency::{created, key_of, keyed, respond, IdempotencyKeyHeader};
use crate::http::licensing::read_as;
use crate::http::problem::{IdempotencyProblems, Problem, ReadProblems, StepProblems, ValidationProblem};
use crate::http::AppState;
use crate::service;
use crate::service::idempotency::idempotent;
use crate::service::licensing::documents as uc;

/// Accepted file types, recognised by their first bytes (never by name or header alone).
const KINDS: [(&str, &[u8]); 3] =
    [("application/pdf", b"%PDF-"), ("image/png", b"\x89PNG\r\n\x1a\n"), ("image/jpeg", b"\xFF\xD8\xFF")];

/// The content type the bytes really are, if accepted.
pub fn sniff(bytes: &[u8]) -> Option<&'static str> {
    KINDS.iter().find(|(_, magic)| bytes.starts_with(magic)).map(|(ct, _)| *ct)
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct UploadQuery {
    /// What the document is, e.g. `floor_plan`, `lease`, `kvk_extract` (lower case, digits, `_`).
    #[param(pattern = r"^\s*[a-z0-9_]{1,50}\s*$")]
    pub kind: String,
    /// Original file name (shown in lists; path parts are removed).
    pub file_name: Option<String>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct DocumentResponse {
    pub id: String,
    pub application_id: String,
    pub kind: String,
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i64,
    /// Hex SHA-256 of the content.
    pub sha256: String,
    pub uploaded_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct DocumentListResponse {
    pub items: Vec<DocumentResponse>,
}

fn document_response(d: Document) -> DocumentResponse {
    DocumentResponse {
        id: d.id,
        application_id: d.application_id,
        kind: d.kind,
        file_name: d.filename,
        content_type: d.content_type,
        size_bytes: d.size_bytes,
        sha256: d.sha256,
        uploaded_at: d.uploaded_at.and_utc(),
    }
}

fn clean_filename(raw: Option<&str>) -> String {
    let base = raw.unwrap_or("").rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String = base
        .chars()
        .filter(|c| !c.is_control() && *c != '"')
        .take(200)
        .collect::<String>()
        .trim()
        .to_string();
    if cleaned.is_empty() || cleaned == "." || cleaned == ".." {
        "document".into()
    } else {
        cleaned
    }
}

/// `{upload_dir}/{first two hex digits}/{uuid}`: no user input in the path.
fn storage_path(dir: &std::path::Path, key: &str) -> std::path::PathBuf {
    dir.join(&key[..2]).join(key)
}

/// Upload a document to an undecided application (the body is the file itself).
#[utoipa::path(
    tag = "licences",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Application id"), UploadQuery, IdempotencyKeyHeader),
    request_body(content((Vec<u8> = "application/pdf"), (Vec<u8> = "image/jpeg"), (Vec<u8> = "image/png")),
        description = "The file: PDF, JPEG or PNG, at most HUURTOEZICHT_MAX_UPLOAD_BYTES"),
    responses(
        (status = 201, body = DocumentResponse, headers(("Idempotent-Replayed" = String, description = "`true` on the answer to a retry with the same Idempotency-Key, query and file: the original answer; nothing new was stored"))),
        StepProblems,
        (status = 413, body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not a PDF, JPEG or PNG, or the content does not match the Content-Type", body = Problem, content_type = "application/problem+json"),
        ValidationProblem,
        IdempotencyProblems
    )
)]
#[post("/v1/licence-applications/{id}/documents")]
pub async fn upload_document(
    state: web::Data<AppState>,
    auth: Auth<LandlordOrOfficer>,
    req: HttpRequest,
    path: web::Path<String>,
    query: web::Query<UploadQuery>,
    mut payload: web::Payload,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let q = query.into_inner();
    let idem_key = key_of(&req)?;
    let kind = q.kind.trim().to_string();
    if !crate::domain::ruleset::is_document_kind(&kind) {
        return Err(AppError::field("#/query/kind", "must be 1–50 lower-case letters, digits or _"));
    }
    let declared = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|s| s.split(';').next().unwrap_or("").trim().to_ascii_lowercase())
        .unwrap_or_default();
    if !KINDS.iter().any(|(ct, _)| *ct == declared) {
        return Err(AppError::UnsupportedMediaType(format!(
            "expected application/pdf, image/jpeg or image/png, got {}",
            if declared.is_empty() { "none" } else { &declared }
        )));
    }
    let limit = state.config.max_upload_bytes;
    let declared_len = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared_len.is_some_and(|n| n > limit) {
        return Err(AppError::PayloadTooLarge { limit });
    }
    // Visibility first: a foreign application answers 404 before its body is read.
    let app = read_as(&state, &auth, move |tx, viewer| uc::open_for_upload(tx, &id, viewer)).await?;
    let mut body = web::BytesMut::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|e| AppError::BadRequest(format!("cannot read the upload: {e}")))?;
        if body.len() + chunk.len() > limit {
            return Err(AppError::PayloadTooLarge { limit });
        }
        body.extend_from_slice(&chunk);
    }
    if body.is_empty() {
        return Err(AppError::BadRequest("the upload is empty".into()));
    }
    match sniff(&body) {
        Some(ct) if ct == declared => {}
        _ => {
            return Err(AppError::UnsupportedMediaType(format!(
                "the content is not a valid {declared} (checked by its first bytes)"
            )))
        }
    }
    let sha = hex::encode(Sha256::digest(&body));
    let key = uuid::Uuid::new_v4().simple().to_string();
    let file = storage_path(&state.config.upload_dir, &key);
    let size = i64::try_from(body.len()).unwrap_or(i64::MAX);
    let bytes = body.freeze();
    let f = file.clone();
    web::block(move || -> std::io::Result<()> {
        if let Some(dir) = f.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let tmp = f.with_extension("part");
        std::fs::write(&tmp, &bytes)?;
        std::fs::rename(&tmp, &f)
    })
    .await
    .map_err(|e| AppError::internal(anyhow::anyhow!("upload task failed: {e}")))?
    .map_err(|e| AppError::internal(anyhow::Error::new(e).context("cannot store the upload")))?;

    let filename = clean_filename(q.file_name.as_deref());
    // The same upload: the same application (path), kind, file name, type and content.
    let idempotency =
        keyed(&req, idem_key, &[kind.as_bytes(), filename.as_bytes(), declared.as_bytes(), sha.as_bytes()]);
    let ctx = auth.ctx(&state.clock);
    let doc = Document {
        id: uuid::Uuid::new_v4().to_string(),
        application_id: app.id.clone(),
        municipality_code: app.municipality_code.clone(),
        kind,
        filename,
        content_type: declared,
        size_bytes: size,
        sha256: sha,
        storage_key: key,
        uploaded_at: ctx.now,
    };
    let recorded = service::write(&state.db, ctx, move |tx| {
        idempotent(tx, idempotency, |tx| created(&document_response(uc::record_upload(tx, doc)?)))
    })
    .await;
    match recorded {
        Ok(outcome) => {
            if outcome.replayed {
                // The file of the first upload is the one recorded; this copy is not needed.
                let _ = std::fs::remove_file(&file);
            }
            Ok(respond(outcome))
        }
        Err(e) => {
            // Never leave an orphan file behind a failed insert.
            let _ = std::fs::remove_file(&file);
            Err(e)
        }
    }
}

/// Documents of an application.
#[utoipa::path(
    tag = "licences",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Application id")),
    responses(
        (status = 200, body = DocumentListResponse),
        ReadProblems
    )
)]
#[get("/v1/licence-applications/{id}/documents")]
pub async fn list_documents(
    state: web::Data<AppState>,
    auth: Auth<CaseworkReaders>,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let docs = read_as(&state, &auth, move |tx, viewer| uc::list(tx, &id, viewer)).await?;
    Ok(HttpResponse::Ok()
        .json(DocumentListResponse { items: docs.into_iter().map(document_response).collect() }))
}

/// Download a document (served as an attachment, never rendered inline).
#[utoipa::path(
    tag = "licences",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Application id"), ("document_id" = String, Path, description = "Document id")),
    responses(
        (status = 200, description = "The file", content((Vec<u8> = "application/pdf"), (Vec<u8> = "image/jpeg"), (Vec<u8> = "image/png"))),
        ReadProblems
    )
)]
#[get("/v1/licence-applications/{id}/documents/{document_id}")]
pub async fn download_document(
    state: web::Data<AppState>,
    auth: Auth<CaseworkReaders>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let (id, doc_id) = path.into_inner();
    let doc = read_as(&state, &auth, move |tx, viewer| uc::find(tx, &id, &doc_id, viewer)).await?;
    let file = storage_path(&state.config.upload_dir, &doc.storage_key);
    let bytes = web::block(move || std::fs::read(file))
        .await
        .map_err(|e| AppError::internal(anyhow::anyhow!("download task failed: {e}")))?
        .map_err(|e| AppError::internal(anyhow::Error::new(e).context("stored document is missing")))?;
    let ascii_name: String =
        doc.filename.chars().map(|c| if c.is_ascii_graphic() || c == ' ' { c } else { '_' }).collect();
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, doc.content_type.clone()))
        .insert_header((header::CONTENT_DISPOSITION, format!("attachment; filename=\"{ascii_name}\"")))
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .body(bytes))
}
