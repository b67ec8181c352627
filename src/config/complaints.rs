//! Settings of the meldpunt. The categories (with their texts in six languages, rule codes and
//! handling terms) come from a data file a municipality can replace; the shipped default is
//! `data/complaint-categories.json`, embedded in the binary.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use super::{err, parse_num, ConfigError, Source};
use crate::domain::complaints::{Catalogue, DEFAULT_CATALOGUE};

#[derive(Debug, Clone)]
pub struct ComplaintSettings {
    pub catalogue: Arc<Catalogue>,
    /// Folder for attachments (outside the database).
    pub attachment_dir: PathBuf,
    /// Largest attachment in bytes (decoded).
    pub attachment_max_bytes: usize,
    /// Most attachments per complaint.
    pub attachment_max_count: usize,
    /// Failed tracking-code look-ups allowed per source per minute (in-memory counters).
    pub track_failures_per_minute: u32,
    /// Interval of the retention job inside the server.
    pub retention_interval: Duration,
    /// How residents reach the meldpunt besides the web page (shown on every page of it).
    pub desk: DeskContact,
    /// Most items of one bulk state change (`POST /v1/complaints/bulk-transitions`).
    pub bulk_max_items: usize,
    /// How many items of a bulk state change run at the same time.
    pub bulk_concurrency: usize,
}

/// The meldpunt's contact details for residents (`HUURTOEZICHT_MELDPUNT_PHONE`, `_EMAIL`,
/// `_WEBSITE`); each optional, a page shows those that are set.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeskContact {
    pub phone: Option<String>,
    pub email: Option<String>,
    /// An `https://` address.
    pub website: Option<String>,
}

impl DeskContact {
    fn from_source(src: &dyn Source) -> Result<Self, ConfigError> {
        let get = |name: &str| src.get(name).map(|v| v.trim().to_string()).filter(|v| !v.is_empty());
        let phone = get("HUURTOEZICHT_MELDPUNT_PHONE");
        if let Some(p) = &phone {
            let allowed = |c: char| c.is_ascii_digit() || " +-()".contains(c);
            if p.len() > 40 || !p.chars().all(allowed) || !p.chars().any(|c| c.is_ascii_digit()) {
                return Err(err("HUURTOEZICHT_MELDPUNT_PHONE", "digits, spaces and + - ( ), at most 40"));
            }
        }
        let email = match get("HUURTOEZICHT_MELDPUNT_EMAIL") {
            Some(e) => Some(
                crate::domain::ids::Email::parse(&e)
                    .map_err(|x| err("HUURTOEZICHT_MELDPUNT_EMAIL", x.to_string()))?
                    .as_str()
                    .to_string(),
            ),
            None => None,
        };
        let website = get("HUURTOEZICHT_MELDPUNT_WEBSITE");
        if let Some(w) = &website {
            let rest = w.strip_prefix("https://").unwrap_or_default();
            if rest.is_empty()
                || w.len() > 200
                || w.chars().any(|c| c.is_whitespace() || c == '"' || c == '<')
            {
                return Err(err(
                    "HUURTOEZICHT_MELDPUNT_WEBSITE",
                    "an https:// address of at most 200 characters",
                ));
            }
        }
        Ok(DeskContact { phone, email, website })
    }
}

impl ComplaintSettings {
    pub fn from_source(src: &dyn Source) -> Result<Self, ConfigError> {
        let catalogue = match src.get("HUURTOEZICHT_COMPLAINT_CATEGORIES_FILE") {
            None => Catalogue::parse(DEFAULT_CATALOGUE)
                .map_err(|e| err("HUURTOEZICHT_COMPLAINT_CATEGORIES_FILE", format!("built-in file {e}")))?,
            Some(path) => {
                super::load_file("HUURTOEZICHT_COMPLAINT_CATEGORIES_FILE", &path, Catalogue::parse)?
            }
        };
        let attachment_max_bytes = parse_num(src, "HUURTOEZICHT_ATTACHMENT_MAX_BYTES", 5 * 1024 * 1024usize)?;
        if attachment_max_bytes == 0 || attachment_max_bytes > 50 * 1024 * 1024 {
            return Err(err("HUURTOEZICHT_ATTACHMENT_MAX_BYTES", "must be between 1 and 52428800"));
        }
        let attachment_max_count = parse_num(src, "HUURTOEZICHT_ATTACHMENT_MAX_COUNT", 5usize)?;
        if attachment_max_count > 20 {
            return Err(err("HUURTOEZICHT_ATTACHMENT_MAX_COUNT", "must be at most 20"));
        }
        let bulk_max_items = parse_num(src, "HUURTOEZICHT_COMPLAINT_BULK_MAX_ITEMS", 2000usize)?;
        if !(1..=10_000).contains(&bulk_max_items) {
            return Err(err("HUURTOEZICHT_COMPLAINT_BULK_MAX_ITEMS", "must be between 1 and 10000"));
        }
        let bulk_concurrency = parse_num(src, "HUURTOEZICHT_COMPLAINT_BULK_CONCURRENCY", 32usize)?;
        if !(1..=256).contains(&bulk_concurrency) {
            return Err(err("HUURTOEZICHT_COMPLAINT_BULK_CONCURRENCY", "must be between 1 and 256"));
        }
        Ok(Self {
            catalogue: Arc::new(catalogue),
            attachment_dir: PathBuf::from(
                src.get("HUURTOEZICHT_ATTACHMENT_DIR").unwrap_or_else(|| "attachments".into()),
            ),
            attachment_max_bytes,
            attachment_max_count,
            track_failures_per_minute: parse_num(src, "HUURTOEZICHT_TRACK_FAILURES_PER_MINUTE", 10u32)?
                .max(1),
            retention_interval: Duration::from_secs(
                parse_num(src, "HUURTOEZICHT_RETENTION_INTERVAL_SECONDS", 3600u64)?.max(1),
            ),
            desk: DeskContact::from_source(src)?,
            bulk_max_items,
            bulk_concurrency,
        })
    }

    /// Largest request body of `POST /v1/complaints`: the attachments base64-encoded plus room
    /// for the text fields.
    pub fn max_body_bytes(&self) -> usize {
        self.attachment_max_count * self.attachment_max_bytes.div_ceil(3) * 4 + 128 * 1024
    }
}
