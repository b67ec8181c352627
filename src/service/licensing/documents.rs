//! Documents of an application: the record of an upload (the file itself is stored by the HTTP
//! edge, which streams it), and the look-ups for lists and downloads.

use crate::db::licensing::{self as store, Application, Document};
use crate::db::properties::Viewer;
use crate::domain::code::Code;
use crate::error::{AppError, AppResult};
use crate::service::{Audit, Tx};

use super::load;

/// The application a document may be added to: visible to the viewer (404 otherwise) and not
/// yet decided, withdrawn or not considered (409).
pub fn open_for_upload(tx: &mut Tx, id: &str, viewer: &Viewer) -> AppResult<Application> {
    let app = load(tx, id, viewer)?;
    if app.state.is_final() {
        return Err(AppError::Conflict {
            detail: format!("documents can no longer be added: the application is {}", app.state.code()),
            allowed_actions: Some(vec![]),
        });
    }
    Ok(app)
}

/// Records an uploaded (and already stored) document, audited without its file name (it may
/// hold a person's name).
pub fn record_upload(tx: &mut Tx, doc: Document) -> AppResult<Document> {
    store::insert_document(tx.conn, &doc)?;
    tx.audit(
        Audit::of(Some(&doc.municipality_code), "application_document", &doc.id, "upload")
            .after(serde_json::json!({"application_id": doc.application_id, "kind": doc.kind,
            "content_type": doc.content_type, "size_bytes": doc.size_bytes, "sha256": doc.sha256})),
    )?;
    Ok(doc)
}

/// The documents of an application the viewer may see.
pub fn list(tx: &mut Tx, id: &str, viewer: &Viewer) -> AppResult<Vec<Document>> {
    let app = load(tx, id, viewer)?;
    store::documents(tx.conn, &app.id)
}

/// One document of an application the viewer may see.
pub fn find(tx: &mut Tx, id: &str, document_id: &str, viewer: &Viewer) -> AppResult<Document> {
    let app = load(tx, id, viewer)?;
    store::find_document(tx.conn, &app.id, document_id)?
        .ok_or_else(|| AppError::NotFound("no such document".into()))
}
