//! Letters about inspections: the notice to the occupants, in nl, en, pl, ro and uk. Its texts
//! are a data file shipped with the sources (`data/inspection_notice.json`) with `{date}`,
//! `{address}` and `{municipality}` to fill in.

use std::collections::HashMap;

use serde::Deserialize;

use super::Letter;
use crate::error::{AppError, AppResult};

/// Occupant notice texts, a data file shipped with the sources.
const NOTICE_TEXTS: &str = include_str!("../../data/inspection_notice.json");

/// The languages the occupant notice exists in.
pub const NOTICE_LANGUAGES: [&str; 5] = ["nl", "en", "pl", "ro", "uk"];

#[derive(Deserialize)]
struct NoticeText {
    title: String,
    body: String,
}

/// The notice texts by language, parsed once (the file is part of the binary).
fn notice_texts() -> AppResult<&'static HashMap<String, NoticeText>> {
    static TEXTS: std::sync::OnceLock<Result<HashMap<String, NoticeText>, String>> =
        std::sync::OnceLock::new();
    TEXTS
        .get_or_init(|| serde_json::from_str(NOTICE_TEXTS).map_err(|e| e.to_string()))
        .as_ref()
        .map_err(|e| AppError::internal(anyhow::anyhow!("notice texts: {e}")))
}

/// The notice of an inspection to the occupants: why the visit, that entry to each room needs
/// that occupant's own consent (or a warrant), and the meldpunt.
pub struct OccupantNotice<'a> {
    /// One of [`NOTICE_LANGUAGES`].
    pub language: &'a str,
    /// The planned (or performed) date, `YYYY-MM-DD`; empty when unknown.
    pub date: &'a str,
    /// The address as one line.
    pub address: &'a str,
    /// The municipality's name.
    pub municipality: &'a str,
}

impl OccupantNotice<'_> {
    /// The notice's title (as the subject) and body.
    pub fn letter(&self) -> AppResult<Letter> {
        let t = notice_texts()?
            .get(self.language)
            .ok_or_else(|| AppError::internal(anyhow::anyhow!("notice text {} missing", self.language)))?;
        let fill = |s: &str| {
            s.replace("{date}", self.date)
                .replace("{address}", self.address)
                .replace("{municipality}", self.municipality)
        };
        Ok(Letter { subject: fill(&t.title), body: fill(&t.body) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_has_a_notice_with_the_facts_filled_in() {
        for language in NOTICE_LANGUAGES {
            let n = OccupantNotice {
                language,
                date: "2026-11-20",
                address: "3011 AB 10",
                municipality: "Rotterdam",
            };
            let l = n.letter().unwrap_or_else(|e| panic!("{e}"));
            assert!(l.subject.contains("Rotterdam") || l.body.contains("Rotterdam"), "{language}");
            assert!(l.body.contains("3011 AB 10"), "{language}");
            assert!(!l.body.contains('{'), "{language}: a placeholder left");
        }
    }
}
