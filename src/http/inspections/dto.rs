//! Request and response bodies of the inspection routes, and their mappings.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use super::findings::{Evaluation, Findings};
use crate::db::convert::from_json_text;
use crate::db::inspections::InspectionRow;
use crate::domain::inspection::{self as di, InspectionStatus};
use crate::error::AppError;
use crate::http::common::{address_dto, AddressDto};
use crate::http::referrals::ReferralResponse;
use crate::service::inspections::Inspection;

/// A planned or performed inspection.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateInspectionRequest {
    pub status: InspectionStatus,
    /// YYYY-MM-DD; required when planned.
    pub planned_on: Option<String>,
    /// YYYY-MM-DD; required when performed, not in the future.
    pub performed_on: Option<String>,
    pub address: AddressDto,
    /// The landlord, when known (needed to record violations).
    pub landlord_id: Option<String>,
    /// The property record (wooneenheid), when known.
    #[validate(length(max = 64))]
    #[schema(max_length = 64)]
    pub property_id: Option<String>,
    /// The licence in force for the property, when known.
    #[validate(length(max = 64))]
    #[schema(max_length = 64)]
    pub licence_id: Option<String>,
    /// Names of the inspecting officers.
    #[validate(length(min = 1, max = 10))]
    #[schema(min_items = 1, max_items = 10)]
    pub officers: Vec<String>,
    #[serde(default)]
    pub interpreter_used: bool,
    /// Language of the interpreter (e.g. `pl`), required when an interpreter was used.
    #[validate(length(max = 20))]
    #[schema(max_length = 20)]
    pub interpreter_language: Option<String>,
    /// Findings (performed inspections only). Per room the entry basis; findings for a room not
    /// entered on a valid basis are refused.
    #[validate(nested)]
    pub findings: Option<Findings>,
    /// The parties found at the address (landlord, intermediary, employer), by id; each must be
    /// a party record of that role.
    #[serde(default)]
    #[validate(length(max = 20))]
    #[schema(max_items = 20)]
    pub parties: Vec<PartyFoundDto>,
    /// The complaints (of this municipality) that led to the inspection.
    #[serde(default)]
    #[validate(length(max = 50))]
    #[schema(max_items = 50)]
    pub complaint_ids: Vec<String>,
}

/// The outcome of a planned inspection.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PerformInspectionRequest {
    /// YYYY-MM-DD, not in the future.
    pub performed_on: String,
    /// The officers who inspected (replaces the planned ones when given).
    #[validate(length(min = 1, max = 10))]
    #[schema(min_items = 1, max_items = 10)]
    pub officers: Option<Vec<String>>,
    #[serde(default)]
    pub interpreter_used: bool,
    #[validate(length(max = 20))]
    #[schema(max_length = 20)]
    pub interpreter_language: Option<String>,
    /// Per room the entry basis; findings for a room not entered on a valid basis are refused.
    #[validate(nested)]
    pub findings: Findings,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct InspectionResponse {
    pub id: String,
    pub municipality_code: String,
    pub status: InspectionStatus,
    pub planned_on: Option<NaiveDate>,
    pub performed_on: Option<NaiveDate>,
    pub address: AddressDto,
    pub landlord_id: Option<String>,
    pub property_id: Option<String>,
    pub licence_id: Option<String>,
    pub officers: Vec<String>,
    pub interpreter_used: bool,
    pub interpreter_language: Option<String>,
    pub findings: Findings,
    /// Unsafe findings (fire hazard, structural danger…): immediate action.
    pub urgent: bool,
    /// Occupants not registered in the BRP: a signal for burgerzaken, not a Wgv sanction.
    pub burgerzaken_signal: bool,
    /// The registration signal for burgerzaken that this signal became
    /// (`GET /v1/registration-signals/{id}`; single-inspection responses only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registration_signal_id: Option<String>,
    pub evaluation: Option<Evaluation>,
    /// Exploitation signals were recorded and neither a referral nor the reason not to refer is
    /// on file yet (supervision.md).
    pub referral_decision_required: bool,
    pub no_referral_reason: Option<String>,
    /// Referrals to partners (single-inspection responses only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub referrals: Option<Vec<ReferralResponse>>,
    /// The parties found (single-inspection responses only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parties: Option<Vec<PartyFoundDto>>,
    /// Refused or failed attempts to enter, oldest first (single-inspection responses only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entry_attempts: Option<Vec<EntryAttemptDto>>,
    /// The complaints that led to the inspection (single-inspection responses only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub complaint_ids: Option<Vec<String>>,
    /// The partner organisations present: a joint inspection when not empty (single-inspection
    /// responses only; `PUT /v1/inspections/{id}/partners`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partners: Option<Vec<crate::domain::complaints::Partner>>,
    pub created_at: DateTime<Utc>,
}

impl InspectionResponse {
    /// The stored inspection, without its referrals (lists).
    pub(super) fn of_row(r: InspectionRow) -> Result<Self, AppError> {
        let findings: di::Findings = from_json_text(&r.findings)?;
        let evaluation: Option<di::Evaluation> = r.evaluation.as_deref().map(from_json_text).transpose()?;
        Ok(InspectionResponse {
            status: r.status,
            planned_on: r.planned_on,
            performed_on: r.performed_on,
            address: address_dto(&r.postcode, r.house_number, r.house_number_addition),
            officers: from_json_text(&r.officers)?,
            burgerzaken_signal: findings.unregistered_occupants > 0,
            findings: findings.into(),
            evaluation: evaluation.map(Evaluation::from),
            id: r.id,
            municipality_code: r.municipality_code,
            landlord_id: r.landlord_id,
            property_id: r.property_id,
            licence_id: r.licence_id,
            interpreter_used: r.interpreter_used,
            interpreter_language: r.interpreter_language,
            urgent: r.urgent,
            referral_decision_required: r.has_signals && !r.referral_decided,
            no_referral_reason: r.no_referral_reason,
            referrals: None,
            parties: None,
            entry_attempts: None,
            complaint_ids: None,
            registration_signal_id: None,
            partners: None,
            created_at: r.created_at.and_utc(),
        })
    }

    /// One inspection with its referrals.
    pub(super) fn of(i: Inspection) -> Result<Self, AppError> {
        let mut res = Self::of_row(i.row)?;
        res.referrals = Some(i.referrals.into_iter().map(ReferralResponse::from).collect());
        res.parties = Some(
            i.records
                .parties
                .into_iter()
                .map(|p| PartyFoundDto { party_id: p.party_id, role: p.role })
                .collect(),
        );
        res.entry_attempts = Some(i.records.entry_attempts.into_iter().map(EntryAttemptDto::from).collect());
        res.complaint_ids = Some(i.records.complaint_ids);
        res.registration_signal_id = i.registration_signal_id;
        res.partners = Some(i.records.partners);
        Ok(res)
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct InspectionListQuery {
    /// `planned` or `performed`.
    pub status: Option<InspectionStatus>,
    pub landlord_id: Option<String>,
    pub property_id: Option<String>,
    /// Postcode, with or without the space (`3011 AB`, `3011AB`).
    pub postcode: Option<String>,
    /// Only urgent inspections (unsafe findings or exploitation signals), or only the others.
    pub urgent: Option<bool>,
    /// `true`: only inspections with exploitation signals still awaiting a referral decision.
    pub referral_pending: Option<bool>,
    /// Opaque cursor from `next_cursor`.
    pub cursor: Option<String>,
    /// 1–200, default 50.
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<i64>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct InspectionListResponse {
    pub items: Vec<InspectionResponse>,
    pub next_cursor: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct NoticeQuery {
    /// `nl`, `en`, `pl`, `ro` or `uk` (default `nl`).
    #[param(value_type = Option<crate::http::schema::NoticeLanguage>)]
    pub language: Option<String>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct OccupantNoticeResponse {
    #[schema(value_type = crate::http::schema::NoticeLanguage)]
    pub language: String,
    pub title: String,
    pub body: String,
    /// Languages this notice exists in.
    pub available_languages: Vec<String>,
}

/// A party found at an inspection, in the role it was found in.
#[derive(Debug, Clone, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PartyFoundDto {
    #[validate(length(min = 1, max = 64))]
    #[schema(min_length = 1, max_length = 64)]
    pub party_id: String,
    /// Must be the role of the party's record.
    pub role: crate::domain::landlords::PartyRole,
}

impl PartyFoundDto {
    pub(super) fn into_party(self) -> crate::service::inspections::PartyFound {
        crate::service::inspections::PartyFound { party_id: self.party_id, role: self.role }
    }
}

/// A refused or failed attempt to enter.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct EntryAttemptDto {
    pub id: String,
    pub attempted_on: NaiveDate,
    pub reason: crate::domain::inspection_records::EntryAttemptReason,
    pub note: Option<String>,
    pub created_at: DateTime<Utc>,
}

impl From<crate::db::inspection_records::EntryAttemptRow> for EntryAttemptDto {
    fn from(r: crate::db::inspection_records::EntryAttemptRow) -> Self {
        EntryAttemptDto {
            id: r.id,
            attempted_on: r.attempted_on,
            reason: r.reason,
            note: r.note,
            created_at: r.created_at.and_utc(),
        }
    }
}
