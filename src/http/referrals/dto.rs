//! The documents of a referral: its structured content in a request, the one answer shape of a
//! referral of either kind, and the partner's feedback.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use crate::db::referrals::{Location, ReferralRecord};
use crate::domain::complaints::Partner;
use crate::domain::referrals::{
    EnforcementDone, FeedbackOutcome, FollowUp, OtherReport, OtherReportStatus, ReferralSource,
};
use crate::error::FieldError;
use crate::http::common::{address_dto, parse_address, AddressDto};
use crate::service::referrals::ContentInput;

crate::code_schemas!(
    ReferralSource => "Where a referral comes from: a `complaint` (meldpunt) or an `inspection`.",
    EnforcementDone => "Enforcement already done at the address, told to the partner (handreiking §4.6).",
    OtherReportStatus => "Whether a report to another organisation was already `made` or is `planned`.",
    FeedbackOutcome => "What the partner did with a referral.",
    FollowUp => "What follows from the partner's answer for the municipality.",
);

/// A report to another organisation, made or planned.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OtherReportDto {
    pub partner: Partner,
    pub status: OtherReportStatus,
}

/// A referral to a partner (complaints and inspections alike): date, what was shared and the
/// legal basis, and its structured content (supervision.md, "A referral to a partner should
/// carry"); every part of the content is optional.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReferralRequest {
    pub partner: Partner,
    /// Date of the referral (YYYY-MM-DD), not in the future.
    pub referred_on: NaiveDate,
    /// Exactly which data were shared (AVG purpose limitation; supervision.md §4.6).
    #[validate(length(min = 1, max = 4000))]
    #[schema(min_length = 1, max_length = 4000)]
    pub shared_data: String,
    /// The legal basis for sharing.
    #[validate(length(min = 1, max = 500))]
    #[schema(min_length = 1, max_length = 500)]
    pub legal_basis: String,
    /// Employer or staffing agency: a party record of the employer family.
    pub employer_id: Option<String>,
    /// The housing location; the complaint's or inspection's address when absent.
    #[validate(nested)]
    pub location: Option<AddressDto>,
    /// The property owner: a party record of the landlord family.
    pub owner_id: Option<String>,
    /// The number of labour migrants involved.
    #[validate(range(max = 10000))]
    #[schema(maximum = 10000)]
    pub labour_migrants: Option<u32>,
    /// Enforcement already done; none twice.
    #[serde(default)]
    #[validate(length(max = 7))]
    #[schema(max_items = 7)]
    pub enforcement_done: Vec<EnforcementDone>,
    /// Reports to other organisations made or planned; one per partner.
    #[serde(default)]
    #[validate(length(max = 14))]
    #[schema(max_items = 14)]
    pub other_reports: Vec<OtherReportDto>,
    /// Attachments shared with the partner: ids of the complaint's attachments (for an inspection:
    /// of the complaints that led to it).
    #[serde(default)]
    #[validate(length(max = 20))]
    #[schema(max_items = 20)]
    pub attachment_ids: Vec<String>,
}

impl ReferralRequest {
    /// The structured content as the use case takes it; a bad location is a field error.
    pub fn content_input(&mut self, errs: &mut Vec<FieldError>) -> ContentInput {
        let location = self
            .location
            .as_ref()
            .and_then(|a| parse_address(a, "/location", errs))
            .map(|p| Location { postcode: p.postcode, house_number: p.house_number, addition: p.addition });
        ContentInput {
            employer_id: self.employer_id.take(),
            location,
            owner_id: self.owner_id.take(),
            labour_migrants: self.labour_migrants,
            enforcement_done: std::mem::take(&mut self.enforcement_done),
            other_reports: self
                .other_reports
                .drain(..)
                .map(|r| OtherReport { partner: r.partner, status: r.status })
                .collect(),
            attachment_ids: std::mem::take(&mut self.attachment_ids),
        }
    }
}

/// The partner's feedback on a referral.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct FeedbackDto {
    /// The day the partner's answer came in.
    pub received_on: NaiveDate,
    pub outcome: FeedbackOutcome,
    pub follow_up: FollowUp,
    pub note: Option<String>,
    pub recorded_by: Option<String>,
    pub recorded_at: DateTime<Utc>,
}

/// A referral to a partner, of a complaint or of an inspection: what was shared and why, its
/// structured content, and the partner's feedback once recorded.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ReferralResponse {
    pub id: String,
    pub source: ReferralSource,
    /// The complaint's or the inspection's id.
    pub source_id: String,
    pub municipality_code: String,
    pub partner: Partner,
    pub referred_on: NaiveDate,
    /// What was shared; absent once deleted under the complaint retention rules.
    pub shared_data: Option<String>,
    pub legal_basis: String,
    pub recorded_by: String,
    pub recorded_at: DateTime<Utc>,
    /// Employer or staffing agency (party id).
    pub employer_id: Option<String>,
    /// The housing location.
    pub location: Option<AddressDto>,
    /// The property owner (party id).
    pub owner_id: Option<String>,
    pub labour_migrants: Option<i32>,
    pub enforcement_done: Vec<EnforcementDone>,
    pub other_reports: Vec<OtherReportDto>,
    pub attachment_ids: Vec<String>,
    /// The partner's feedback; absent while awaited.
    pub feedback: Option<FeedbackDto>,
}

impl From<ReferralRecord> for ReferralResponse {
    fn from(r: ReferralRecord) -> Self {
        let c = r.content;
        ReferralResponse {
            id: r.id,
            source: r.source,
            source_id: r.source_id,
            municipality_code: r.municipality_code,
            partner: r.partner,
            referred_on: r.referred_on,
            shared_data: r.shared_data,
            legal_basis: r.legal_basis,
            recorded_by: r.recorded_by,
            recorded_at: r.created_at.and_utc(),
            employer_id: c.employer_id,
            location: c.location.map(|l| address_dto(&l.postcode, l.house_number, l.addition)),
            owner_id: c.owner_id,
            labour_migrants: c.labour_migrants,
            enforcement_done: c.enforcement_done,
            other_reports: c
                .other_reports
                .into_iter()
                .map(|o| OtherReportDto { partner: o.partner, status: o.status })
                .collect(),
            attachment_ids: c.attachment_ids,
            feedback: r.feedback.map(|f| FeedbackDto {
                received_on: f.received_on,
                outcome: f.outcome,
                follow_up: f.follow_up,
                note: f.note,
                recorded_by: f.recorded_by,
                recorded_at: f.recorded_at.and_utc(),
            }),
        }
    }
}

/// The partner's feedback, recorded once.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FeedbackRequest {
    /// Not in the future, not before the referral.
    pub received_on: NaiveDate,
    pub outcome: FeedbackOutcome,
    pub follow_up: FollowUp,
    /// A short note, without personal data.
    #[validate(length(max = 1000))]
    #[schema(max_length = 1000)]
    pub note: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ReferralListQuery {
    /// Only referrals to this partner.
    pub partner: Option<Partner>,
    /// Only referrals of complaints or of inspections.
    pub source: Option<ReferralSource>,
    /// `true`: only referrals without feedback.
    pub awaiting_feedback: Option<bool>,
    /// `true`: only referrals without feedback more than `HUURTOEZICHT_REFERRAL_FEEDBACK_WEEKS`
    /// weeks (default 6) after `referred_on`.
    pub overdue: Option<bool>,
    /// Page size, 1–200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<i64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ReferralListResponse {
    pub items: Vec<ReferralResponse>,
    /// Absent on the last page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}
