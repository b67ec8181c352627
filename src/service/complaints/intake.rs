//! A report to the meldpunt, from a resident (anonymous caller) or a portal. The attachments'
//! files are checked and stored by the edge before this runs; here the complaint and its
//! attachment rows are written with the audit row, in one transaction.

use chrono::Duration;

use crate::db::complaints::{self as store, Attachment, Complaint};
use crate::db::is_unique_violation;
use crate::domain::attachments::MediaType;
use crate::domain::complaints::{
    self as rules, Anonymity, Category, Channel, ComplaintStatus, ExploitationSignal, Partner,
};
use crate::domain::ids::Postcode;
use crate::error::{AppError, AppResult};
use crate::service::Tx;

use super::{audit_of, trimmed};

/// Contact details the reporter gave, with consent to be contacted.
#[derive(Debug, Clone)]
pub struct Contact {
    pub name: Option<String>,
    /// A checked address.
    pub email: Option<String>,
    pub phone: Option<String>,
    pub consent_to_contact: bool,
}

/// The portal that submits a report, and the key that makes its retries idempotent.
#[derive(Debug, Clone)]
pub struct Portal {
    pub client_id: String,
    pub idempotency_key: String,
    /// SHA-256 (hex) of the request body: a retry must send the same body.
    pub fingerprint: String,
}

/// An attachment already checked and stored as a file.
#[derive(Debug, Clone)]
pub struct StoredAttachment {
    pub id: String,
    pub media_type: MediaType,
    pub size_bytes: i64,
    pub sha256: String,
    pub storage_name: String,
}

/// What the intake needs of the reported category (the catalogue entry without its texts).
#[derive(Debug, Clone)]
pub struct ReportedCategory {
    pub code: String,
    pub rule: Option<String>,
    pub handling_term_days: u32,
    pub urgent: bool,
}

impl From<&Category> for ReportedCategory {
    fn from(c: &Category) -> Self {
        ReportedCategory {
            code: c.code.clone(),
            rule: c.rule.clone(),
            handling_term_days: c.handling_term_days,
            urgent: c.urgent,
        }
    }
}

/// A new tracking code and its hash. Made before the unit of work (randomness and hashing stay
/// out of the SQLite write gate).
#[derive(Clone)]
pub struct TrackingCode {
    code: String,
    hash: String,
}

impl TrackingCode {
    /// 160 random bits from the operating system, as a Crockford code.
    pub fn generate() -> Self {
        let bytes: [u8; rules::TRACKING_CODE_BYTES] = {
            use rand::RngCore;
            let mut b = [0u8; rules::TRACKING_CODE_BYTES];
            rand::rngs::OsRng.fill_bytes(&mut b);
            b
        };
        let code = rules::format_tracking_code(&bytes);
        let hash = rules::tracking_hash(&code);
        TrackingCode { code, hash }
    }
}

impl TrackingCode {
    /// No code at all, for a complaint nobody tracks (a partner's signal): the stored hash is
    /// unique (a random UUID) and unusable, as no code hashes to a value of this form (a code's
    /// hash is 64 hex digits, see [`rules::tracking_hash`]).
    pub fn none() -> Self {
        TrackingCode { code: String::new(), hash: format!("untracked:{}", uuid::Uuid::new_v4()) }
    }

    /// The code itself, for sealing it under an Idempotency-Key (see `idempotency`).
    pub(super) fn reveal(&self) -> &str {
        &self.code
    }
}

/// Never shows the code itself.
impl std::fmt::Debug for TrackingCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TrackingCode(…)")
    }
}

#[derive(Debug, Clone)]
pub struct Intake {
    pub tracking_code: TrackingCode,
    pub municipality: String,
    pub category: ReportedCategory,
    pub language: String,
    pub description: String,
    pub postcode: Option<Postcode>,
    pub house_number: Option<i32>,
    pub house_number_addition: Option<String>,
    pub location_description: Option<String>,
    pub signals: Vec<ExploitationSignal>,
    pub anonymity: Anonymity,
    pub contact: Option<Contact>,
    /// `None` for the public form.
    pub portal: Option<Portal>,
    /// A partner's signal entered by staff (channel `partner`): no reporter, no tracking code.
    pub partner: Option<PartnerSource>,
    pub attachments: Vec<StoredAttachment>,
}

/// The partner a signal came from, and the partner's own reference of it.
#[derive(Debug, Clone)]
pub struct PartnerSource {
    pub partner: Partner,
    /// Trimmed, 1–100 characters.
    pub reference: String,
}

/// The complaint filed, and its tracking code (shown once; only its hash is stored).
#[derive(Debug, Clone)]
pub struct Intaken {
    pub complaint: Complaint,
    pub tracking_code: String,
}

/// Files the report. `None` when a concurrent retry with the same Idempotency-Key won the race
/// (the caller answers with that one).
pub fn intake(tx: &mut Tx, cmd: Intake) -> AppResult<Option<Intaken>> {
    let has_signals = !cmd.signals.is_empty();
    let priority = rules::initial_priority(cmd.category.urgent, has_signals);
    let contact = cmd.contact.as_ref();
    let now = tx.now;
    let complaint = Complaint {
        // Time-ordered (UUID v7): new complaints append at the end of the primary-key index and
        // of the audit trail's entity index instead of landing on a random page each, so a
        // batch of intakes committed together shares those pages (docs/performance.md). The
        // creation time it carries is the complaint's `received_at`, shown to whoever sees it.
        id: uuid::Uuid::now_v7().to_string(),
        municipality_code: cmd.municipality,
        tracking_hash: cmd.tracking_code.hash,
        category: cmd.category.code,
        rule_code: cmd.category.rule,
        status: ComplaintStatus::Received,
        priority,
        priority_rank: priority.rank(),
        language: cmd.language,
        anonymity: cmd.anonymity,
        channel: match (&cmd.portal, &cmd.partner) {
            (_, Some(_)) => Channel::Partner,
            (Some(_), None) => Channel::Portal,
            (None, None) => Channel::Public,
        },
        client_id: cmd.portal.as_ref().map(|p| p.client_id.clone()),
        idempotency_key: cmd.portal.as_ref().map(|p| p.idempotency_key.clone()),
        idempotency_fingerprint: cmd.portal.as_ref().map(|p| p.fingerprint.clone()),
        postcode: cmd.postcode.as_ref().map(|p| p.compact().to_string()),
        house_number: cmd.house_number,
        house_number_addition: trimmed(cmd.house_number_addition).map(|s| s.to_ascii_uppercase()),
        location_description: trimmed(cmd.location_description),
        description: Some(cmd.description.trim().to_string()),
        signals: rules::signals_to_text(&cmd.signals),
        has_signals,
        contact_name: contact.and_then(|c| trimmed(c.name.clone())),
        contact_email: contact.and_then(|c| c.email.clone()),
        contact_phone: contact.and_then(|c| trimmed(c.phone.clone())),
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
        received_on: tx.today,
        due_on: tx.today + Duration::days(i64::from(cmd.category.handling_term_days)),
        status_changed_at: now,
        outcome_on: None,
        personal_data_due_on: None,
        personal_data_deleted_at: None,
        updated_at: now,
        partner: cmd.partner.as_ref().map(|p| p.partner),
        partner_reference: cmd.partner.as_ref().map(|p| p.reference.clone()),
        version: 1,
    };
    if let Err(e) = store::insert(tx.conn, &complaint) {
        if is_unique_violation(&e) {
            return Ok(None);
        }
        return Err(e.into());
    }
    for a in &cmd.attachments {
        store::insert_attachment(
            tx.conn,
            &Attachment {
                id: a.id.clone(),
                complaint_id: complaint.id.clone(),
                municipality_code: complaint.municipality_code.clone(),
                media_type: a.media_type,
                size_bytes: a.size_bytes,
                sha256: a.sha256.clone(),
                storage_name: a.storage_name.clone(),
                created_at: now,
            },
        )?;
    }
    tx.audit(audit_of(&complaint, "create").after(serde_json::json!({
        "status": complaint.status, "category": complaint.category,
        "priority": complaint.priority, "channel": complaint.channel,
        "has_signals": complaint.has_signals, "attachments": cmd.attachments.len(),
        "partner": complaint.partner,
    })))?;
    Ok(Some(Intaken { complaint, tracking_code: cmd.tracking_code.code }))
}

/// Files a partner's signal entered by staff: the intake of a report (the same category,
/// priority, signal and due-date rules) with channel `partner`, without a reporter, contact
/// details or tracking code.
pub fn enter_partner_signal(tx: &mut Tx, cmd: Intake) -> AppResult<Complaint> {
    if cmd.partner.is_none() || cmd.contact.is_some() || cmd.portal.is_some() {
        return Err(AppError::internal(anyhow::anyhow!(
            "a partner signal names its partner and no reporter"
        )));
    }
    intake(tx, cmd)?
        .map(|i| i.complaint)
        .ok_or_else(|| AppError::internal(anyhow::anyhow!("untracked hash collision")))
}

/// The complaint an earlier submission of this portal with this key created, if any.
pub fn find_submitted(tx: &mut Tx, client_id: &str, key: &str) -> AppResult<Option<Complaint>> {
    store::find_idempotent(tx.conn, client_id, key)
}

/// A retry answers with the original complaint, provided it sends the same body.
pub fn replay(existing: Complaint, fingerprint: &str) -> AppResult<Complaint> {
    if existing.idempotency_fingerprint.as_deref() != Some(fingerprint) {
        return Err(AppError::conflict(
            "this Idempotency-Key was used for a different submission; use a new key for a new report",
        ));
    }
    Ok(existing)
}
