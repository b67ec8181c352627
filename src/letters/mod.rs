//! Letters: every notice the municipality sends (to landlords, reporters, new accounts) is a
//! template under `templates/letters/`, rendered by askama (checked at compile time: a template
//! that names a field the letter does not have does not build). A letter here is a plain struct
//! with the facts it needs; [`Letter`] is what the unit of work queues
//! (`Tx::mail`). Texts are bilingual (Dutch first, English after) unless a letter says
//! otherwise. No I/O here.

/// Declares a letter: a struct holding the facts its template needs (every field public,
/// borrowing for `'a`), rendered by askama from `templates/<path>` (plain text, no escaping),
/// and its `letter()`: the rendered body under the given subject.
///
/// ```text
/// letter!(
///     /// Doc comment of the letter.
///     Name, "letters/name.txt", "Onderwerp / Subject", {
///         municipality: &'a str,
///         due: NaiveDate,
///     }
/// );
/// ```
macro_rules! letter {
    (
        $(#[$doc:meta])*
        $name:ident, $template:literal, $subject:literal, {
            $($(#[$field_doc:meta])* $field:ident: $ty:ty),+ $(,)?
        }
    ) => {
        $(#[$doc])*
        #[derive(askama::Template)]
        #[template(path = $template, escape = "none")]
        pub struct $name<'a> {
            $($(#[$field_doc])* pub $field: $ty,)+
        }

        impl $name<'_> {
            pub fn letter(&self) -> $crate::error::AppResult<$crate::letters::Letter> {
                $crate::letters::Letter::render($subject, self)
            }
        }
    };
}

pub mod accounts;
pub mod complaints;
pub mod enforcement;
pub mod inspections;
pub mod late_decision;
pub mod licensing;
pub mod objections;
pub mod webhooks;

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
