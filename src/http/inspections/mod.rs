//! Inspections (huisbezoek): planned or performed, entry basis per room, findings, evaluation
//! against the licence conditions and the rule set's norms, and the notice to occupants in
//! nl, en, pl, ro and uk.

pub mod decisions;
mod dto;
mod findings;
pub mod read;
pub mod record;
pub mod records;

pub use crate::letters::inspections::NOTICE_LANGUAGES;
pub use dto::*;
pub use findings::*;

use crate::domain::inspection;
use crate::error::{AppError, AppResult, FieldError};
use crate::http::auth::Caller;
use crate::http::AppState;
use crate::service::{self, Tx};

/// Officers' names and the interpreter (create and perform).
fn check_visit(
    officers: &[String],
    interpreter_used: bool,
    interpreter_language: Option<&str>,
    errs: &mut Vec<FieldError>,
) {
    if officers.iter().any(|o| o.trim().is_empty() || o.chars().count() > 200) {
        errs.push(FieldError::new("/officers", "names must be 1–200 characters"));
    }
    if interpreter_used && interpreter_language.is_none_or(|l| l.trim().is_empty()) {
        errs.push(FieldError::new("/interpreter_language", "is required when an interpreter was used"));
    }
}

/// The consent rule (findings only for rooms entered on a valid basis) and size limits.
fn check_findings(findings: &inspection::Findings, errs: &mut Vec<FieldError>) {
    for e in inspection::check_entry(findings) {
        errs.push(FieldError::new(format!("/findings{}", e.pointer), e.reason));
    }
    if findings.rooms.len() > 200 {
        errs.push(FieldError::new("/findings/rooms", "at most 200 rooms"));
    }
}

/// Trimmed officers' names.
fn trimmed(names: &[String]) -> Vec<String> {
    names.iter().map(|o| o.trim().to_string()).collect()
}

/// Runs a use case that changes an inspection (one transaction) and maps the inspection it
/// returns to the response.
async fn write_inspection<F>(state: &AppState, caller: &Caller, f: F) -> Result<InspectionResponse, AppError>
where
    F: FnOnce(&mut Tx<'_>) -> AppResult<service::inspections::Inspection> + Send + 'static,
{
    let inspection = service::write(&state.db, caller.ctx(&state.clock), f).await?;
    InspectionResponse::of(inspection)
}
