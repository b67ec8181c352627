//! Letters: every notice the municipality sends (to landlords, reporters, new accounts) is a
//! template under `templates/letters/`, rendered by askama (checked at compile time: a template
//! that names a field the letter does not have does not build). A letter here is a plain struct
//! with the facts it needs; [`Letter`] is what the unit of work queues
//! (`Tx::mail`). Texts are bilingual (Dutch first, English after) unless a letter says
//! otherwise. No I/O here.

pub mod accounts;
pub mod complaints;
pub mod enforcement;
pub mod inspections;
pub mod licensing;

use askama::Template;

use crate::error::{AppError, AppResult};

/// A rendered letter: subject line and plain-text body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Letter {
    pub subject: String,
    pub body: String,
}

impl Letter {
    /// Renders `body` under `subject`. A render failure is an internal error (a template bug).
    pub fn render(subject: impl Into<String>, body: &impl Template) -> AppResult<Letter> {
        let body =
            body.render().map_err(|e| AppError::internal(anyhow::anyhow!("rendering a letter: {e}")))?;
        Ok(Letter { subject: subject.into(), body })
    }
}
