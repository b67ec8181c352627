//! Response documents of the meldpunt and their mappings from the service's results.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::db::audit::AuditRow;
use crate::db::complaints::{Complaint, ComplaintListRow};
use crate::domain::code::Code;
use crate::domain::complaints::{
    self as rules, Anonymity, Catalogue, Channel, ComplaintAction, ComplaintStatus, ExploitationSignal,
    MessageAuthor, Partner, Priority,
};
use crate::domain::roles::Role;
use crate::http::common::{optional_address, AddressDto};
pub use crate::http::referrals::ReferralResponse;
use crate::service::complaints::queries::Details;
use crate::service::complaints::track::Tracked;

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ComplaintCreatedResponse {
    pub id: String,
    /// Keep it to follow the report (`GET /v1/complaints/track/{code}`). Shown again on a
    /// resident's retry with the same Idempotency-Key; absent on a portal's replay (portals do
    /// not receive codes again: only the code's hash is stored for them).
    pub tracking_code: Option<String>,
    pub status: ComplaintStatus,
    pub received_at: DateTime<Utc>,
    pub handling_due_on: NaiveDate,
    /// True when this answers a retried submission (same Idempotency-Key and body): nothing new
    /// was filed.
    pub replayed: bool,
}

impl ComplaintCreatedResponse {
    /// The answer to a submission: with the new code, or without one for a replay.
    pub(super) fn of(c: &Complaint, tracking_code: Option<String>) -> Self {
        ComplaintCreatedResponse {
            id: c.id.clone(),
            replayed: tracking_code.is_none(),
            tracking_code,
            status: c.status,
            received_at: c.received_at.and_utc(),
            handling_due_on: c.due_on,
        }
    }

    /// The answer to a resident's retry: the complaint filed earlier, with its tracking code.
    pub(super) fn replay_of(c: &Complaint, tracking_code: String) -> Self {
        ComplaintCreatedResponse { replayed: true, ..Self::of(c, Some(tracking_code)) }
    }
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct TrackedMessage {
    /// `municipality` or `you`.
    pub from: String,
    /// `message` or `information_request`.
    #[schema(value_type = crate::domain::complaints::MessageKind)]
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

impl TrackedComplaintResponse {
    pub(super) fn of(catalogue: &Catalogue, t: Tracked) -> Self {
        let Tracked { own, shown, messages } = t;
        TrackedComplaintResponse {
            status: shown.status,
            status_label: catalogue.status_label(&own.language, shown.status),
            category: own.category.clone(),
            received_on: own.received_on,
            last_status_change_at: shown.status_changed_at.and_utc(),
            handling_due_on: shown.due_on,
            awaiting_information: own.awaiting_information || shown.awaiting_information,
            merged: own.merged_into.is_some(),
            messages: messages
                .into_iter()
                .map(|m| TrackedMessage {
                    from: if m.author == MessageAuthor::Reporter { "you" } else { "municipality" }.into(),
                    kind: m.kind.code().into(),
                    text: m.body,
                    sent_at: m.created_at.and_utc(),
                })
                .collect(),
        }
    }
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
    /// The address concerned; absent when the report gives only a location description.
    pub address: Option<AddressDto>,
    pub has_exploitation_signals: bool,
    pub assigned_officer_id: Option<String>,
    pub landlord_id: Option<String>,
    pub property_id: Option<String>,
    pub merged_into: Option<String>,
    pub awaiting_information: bool,
    /// `public` (the meldpunt), `portal` (an API client) or `partner` (a partner's signal
    /// entered by staff).
    pub channel: Channel,
    /// The partner that sent the signal (channel `partner` only).
    pub partner: Option<Partner>,
    /// The partner's own reference of the signal (channel `partner` only).
    pub partner_reference: Option<String>,
}

impl ComplaintSummary {
    pub(super) fn of(c: &ComplaintListRow, today: NaiveDate) -> Self {
        ComplaintSummary {
            id: c.id.clone(),
            category: c.category.clone(),
            rule: c.rule_code.clone(),
            status: c.status,
            priority: c.priority,
            received_at: c.received_at.and_utc(),
            handling_due_on: c.due_on,
            overdue: c.status.is_open() && c.due_on < today,
            address: optional_address(c.postcode.as_deref(), c.house_number, c.house_number_addition.clone()),
            has_exploitation_signals: c.has_signals,
            assigned_officer_id: c.assigned_officer_id.clone(),
            landlord_id: c.landlord_id.clone(),
            property_id: c.property_id.clone(),
            merged_into: c.merged_into.clone(),
            awaiting_information: c.awaiting_information,
            channel: c.channel,
            partner: c.partner,
            partner_reference: c.partner_reference.clone(),
        }
    }
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ComplaintListResponse {
    pub items: Vec<ComplaintSummary>,
    pub next_cursor: Option<String>,
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
    #[schema(value_type = crate::domain::complaints::MessageKind)]
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
pub struct HistoryEntry {
    pub at: DateTime<Utc>,
    pub action: String,
    /// `account`, `api_client`, `system` or `anonymous`.
    #[schema(value_type = crate::http::schema::ActorKind)]
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
    #[schema(value_type = crate::http::schema::ComplaintLanguage)]
    pub language: String,
    pub anonymity: Anonymity,
    pub description: Option<String>,
    pub location_description: Option<String>,
    pub exploitation_signals: Vec<ExploitationSignal>,
    /// Absent for anonymous reports and after deletion.
    pub contact: Option<ContactResponse>,
    /// How the municipality can reach the reporter directly: `email`, `phone` or `none`
    /// (scenario 59: anonymous report). Messages are readable with the tracking code in every case.
    #[schema(value_type = crate::http::schema::FeedbackChannel)]
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
    /// The inspections this complaint led to (staff only; reporters see nothing of them).
    #[serde(default)]
    pub inspection_ids: Vec<String>,
}

impl ComplaintResponse {
    pub(super) fn of(d: Details, role: Role, today: NaiveDate) -> Self {
        let Details { complaint: c, duplicates, messages, attachments, referrals, history, inspection_ids } =
            d;
        let allowed = rules::allowed_actions_for(c.status, role);
        let contact = (c.contact_email.is_some() || c.contact_phone.is_some() || c.contact_name.is_some())
            .then(|| ContactResponse {
                name: c.contact_name.clone(),
                email: c.contact_email.clone(),
                phone: c.contact_phone.clone(),
                consent_to_contact: c.consent_to_contact,
            });
        ComplaintResponse {
            summary: ComplaintSummary::of(&ComplaintListRow::from(&c), today),
            municipality_code: c.municipality_code.clone(),
            language: c.language.clone(),
            anonymity: c.anonymity,
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
                enforcement_final_on: c.enforcement_final_on,
                personal_data_due_on: c.personal_data_due_on,
                personal_data_deleted_at: c.personal_data_deleted_at.map(|t| t.and_utc()),
            },
            duplicates: duplicates.into_iter().map(|d| d.id).collect(),
            allowed_actions: allowed,
            messages: messages
                .into_iter()
                .map(|m| MessageResponse {
                    id: m.id,
                    complaint_id: m.complaint_id,
                    author: m.author.code().into(),
                    kind: m.kind.code().into(),
                    text: m.body,
                    author_account_id: m.author_account_id,
                    created_at: m.created_at.and_utc(),
                })
                .collect(),
            attachments: attachments
                .into_iter()
                .map(|a| AttachmentResponse {
                    href: format!("/v1/complaints/{}/attachments/{}", a.complaint_id, a.id),
                    id: a.id,
                    complaint_id: a.complaint_id,
                    media_type: a.media_type.code().into(),
                    size_bytes: a.size_bytes,
                    sha256: a.sha256,
                })
                .collect(),
            referrals: referrals.into_iter().map(ReferralResponse::from).collect(),
            history: history
                .into_iter()
                .rev()
                .map(|h| HistoryEntry {
                    at: h.occurred_at.and_utc(),
                    action: h.action,
                    actor_kind: h.actor_kind,
                    actor_id: h.actor_id,
                    before: AuditRow::state(h.before_state),
                    after: AuditRow::state(h.after_state),
                    reason: h.reason,
                })
                .collect(),
            inspection_ids,
        }
    }
}
