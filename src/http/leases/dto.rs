//! Requests and responses of the lease routes. No tenant names or other personal data of tenants:
//! unknown fields are refused.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use crate::domain::general_rules::{LeaseForm, LeaseRecordedFrom, LeaseViolation, RuleCode};
use crate::service::leases::LeaseView;

crate::code_schemas!(
    LeaseForm => "Whether the lease was laid down in writing (GR-05).",
    LeaseRecordedFrom => "How the municipality learnt of the lease: from an `inspection`, a `complaint`, the `landlord`\n(recorded for their own property) or an `officer` otherwise.",
);

/// A lease as recorded. Dates YYYY-MM-DD; money in euro cents; languages ISO 639-1 codes. No
/// tenant names or other personal data of tenants: unknown fields are refused.
#[derive(Debug, Clone, Deserialize, Serialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateLeaseRequest {
    /// Staff: `inspection`, `complaint` or `officer` (default). A landlord's lease is always
    /// `landlord`.
    pub recorded_from: Option<LeaseRecordedFrom>,
    /// The inspection that found the lease (staff).
    #[validate(length(max = 64))]
    #[schema(max_length = 64)]
    pub inspection_id: Option<String>,
    /// The complaint that described the lease (staff).
    #[validate(length(max = 64))]
    #[schema(max_length = 64)]
    pub complaint_id: Option<String>,
    /// The party letting the dwelling when it is not the property's landlord (staff). Default:
    /// the property's landlord.
    #[validate(length(max = 64))]
    #[schema(max_length = 64)]
    pub landlord_id: Option<String>,
    /// The day the lease was concluded (signed or agreed orally); not in the future.
    #[schema(example = "2024-09-01")]
    pub concluded_on: String,
    #[schema(example = "2024-09-01")]
    pub starts_on: String,
    pub ends_on: Option<String>,
    pub form: LeaseForm,
    /// The day the written information (GR-06) was given; absent = not given.
    pub information_given_on: Option<String>,
    /// Languages of the written information (ISO 639-1, e.g. `nl`, `pl`).
    #[validate(length(max = 20))]
    #[schema(max_items = 20)]
    pub information_languages: Option<Vec<String>>,
    /// The tenancy is laid down in, or tied to, the employment contract (AM-01).
    pub tied_to_employment: Option<bool>,
    /// The occupants are arbeidsmigranten in the sense of Wgv art. 1.
    pub occupants_are_labour_migrants: Option<bool>,
    /// Languages the occupants prefer or understand (ISO 639-1), for AM-02.
    #[validate(length(max = 20))]
    #[schema(max_items = 20)]
    pub occupant_languages: Option<Vec<String>>,
    /// Kale huur per month in cents.
    #[validate(range(min = 0, max = 100_000_000))]
    #[schema(minimum = 0, maximum = 100_000_000)]
    pub rent_cents: Option<i64>,
    /// Service costs per month in cents.
    #[validate(range(min = 0, max = 100_000_000))]
    #[schema(minimum = 0, maximum = 100_000_000)]
    pub service_costs_cents: Option<i64>,
    #[validate(range(min = 0, max = 100_000_000))]
    #[schema(minimum = 0, maximum = 100_000_000)]
    pub deposit_cents: Option<i64>,
    pub deposit_returned_on: Option<String>,
    /// Amounts were withheld from the deposit.
    pub deposit_deductions: Option<bool>,
    /// A written specification of the deductions was given.
    pub deduction_specification_given: Option<bool>,
    /// Number of occupants, 0–1000.
    #[validate(range(max = 1000))]
    #[schema(maximum = 1000)]
    pub occupants: Option<u32>,
}

/// Changes to a lease: only the fields given change.
#[derive(Debug, Clone, Default, Deserialize, Serialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateLeaseRequest {
    pub concluded_on: Option<String>,
    pub starts_on: Option<String>,
    pub ends_on: Option<String>,
    pub form: Option<LeaseForm>,
    /// The day the written information (GR-06) was given; absent = not given.
    pub information_given_on: Option<String>,
    /// Languages of the written information (ISO 639-1, e.g. `nl`, `pl`).
    #[validate(length(max = 20))]
    #[schema(max_items = 20)]
    pub information_languages: Option<Vec<String>>,
    /// The tenancy is laid down in, or tied to, the employment contract (AM-01).
    pub tied_to_employment: Option<bool>,
    /// The occupants are arbeidsmigranten in the sense of Wgv art. 1.
    pub occupants_are_labour_migrants: Option<bool>,
    /// Languages the occupants prefer or understand (ISO 639-1), for AM-02.
    #[validate(length(max = 20))]
    #[schema(max_items = 20)]
    pub occupant_languages: Option<Vec<String>>,
    /// Kale huur per month in cents.
    #[validate(range(min = 0, max = 100_000_000))]
    #[schema(minimum = 0, maximum = 100_000_000)]
    pub rent_cents: Option<i64>,
    /// Service costs per month in cents.
    #[validate(range(min = 0, max = 100_000_000))]
    #[schema(minimum = 0, maximum = 100_000_000)]
    pub service_costs_cents: Option<i64>,
    #[validate(range(min = 0, max = 100_000_000))]
    #[schema(minimum = 0, maximum = 100_000_000)]
    pub deposit_cents: Option<i64>,
    pub deposit_returned_on: Option<String>,
    /// Amounts were withheld from the deposit.
    pub deposit_deductions: Option<bool>,
    /// A written specification of the deductions was given.
    pub deduction_specification_given: Option<bool>,
    /// Number of occupants, 0–1000.
    #[validate(range(max = 1000))]
    #[schema(maximum = 1000)]
    pub occupants: Option<u32>,
}

/// The facts both requests share, still unparsed.
pub(super) struct TermsDto {
    pub information_given_on: Option<String>,
    pub information_languages: Option<Vec<String>>,
    pub tied_to_employment: Option<bool>,
    pub occupants_are_labour_migrants: Option<bool>,
    pub occupant_languages: Option<Vec<String>>,
    pub rent_cents: Option<i64>,
    pub service_costs_cents: Option<i64>,
    pub deposit_cents: Option<i64>,
    pub deposit_returned_on: Option<String>,
    pub deposit_deductions: Option<bool>,
    pub deduction_specification_given: Option<bool>,
    pub occupants: Option<u32>,
}

impl CreateLeaseRequest {
    pub(super) fn terms(&self) -> TermsDto {
        let s = self.clone();
        TermsDto {
            information_given_on: s.information_given_on,
            information_languages: s.information_languages,
            tied_to_employment: s.tied_to_employment,
            occupants_are_labour_migrants: s.occupants_are_labour_migrants,
            occupant_languages: s.occupant_languages,
            rent_cents: s.rent_cents,
            service_costs_cents: s.service_costs_cents,
            deposit_cents: s.deposit_cents,
            deposit_returned_on: s.deposit_returned_on,
            deposit_deductions: s.deposit_deductions,
            deduction_specification_given: s.deduction_specification_given,
            occupants: s.occupants,
        }
    }
}

impl UpdateLeaseRequest {
    pub(super) fn terms(&self) -> TermsDto {
        let s = self.clone();
        TermsDto {
            information_given_on: s.information_given_on,
            information_languages: s.information_languages,
            tied_to_employment: s.tied_to_employment,
            occupants_are_labour_migrants: s.occupants_are_labour_migrants,
            occupant_languages: s.occupant_languages,
            rent_cents: s.rent_cents,
            service_costs_cents: s.service_costs_cents,
            deposit_cents: s.deposit_cents,
            deposit_returned_on: s.deposit_returned_on,
            deposit_deductions: s.deposit_deductions,
            deduction_specification_given: s.deduction_specification_given,
            occupants: s.occupants,
        }
    }
}

/// A violation the lease's facts show today; the officer confirms it with `POST /v1/violations`
/// (`rule` → `rule`, `violation_from` → `established_on`, `description` → `description`, the
/// lease's `landlord_id`, `property_id` and `address`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct LeaseProposedViolation {
    #[schema(value_type = String, example = "GR-06")]
    pub rule: RuleCode,
    /// The first day on which the facts are a violation.
    pub violation_from: NaiveDate,
    /// The day it was remedied (e.g. the information was given late), if it was.
    pub violation_until: Option<NaiveDate>,
    pub description: String,
    /// Article and rules.md tag.
    pub source: String,
}

impl From<LeaseViolation> for LeaseProposedViolation {
    fn from(v: LeaseViolation) -> Self {
        LeaseProposedViolation {
            rule: v.rule,
            violation_from: v.violation_from,
            violation_until: v.violation_until,
            description: v.reason,
            source: v.source,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct LeaseResponse {
    pub id: String,
    pub municipality_code: String,
    pub property_id: String,
    pub landlord_id: Option<String>,
    /// The account that recorded it (staff only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recorded_by: Option<String>,
    pub recorded_from: LeaseRecordedFrom,
    pub inspection_id: Option<String>,
    pub complaint_id: Option<String>,
    pub concluded_on: NaiveDate,
    pub starts_on: NaiveDate,
    pub ends_on: Option<NaiveDate>,
    pub form: LeaseForm,
    pub information_given_on: Option<NaiveDate>,
    pub information_languages: Vec<String>,
    pub tied_to_employment: bool,
    pub occupants_are_labour_migrants: bool,
    pub occupant_languages: Vec<String>,
    pub rent_cents: Option<i64>,
    pub service_costs_cents: Option<i64>,
    pub deposit_cents: Option<i64>,
    pub deposit_returned_on: Option<NaiveDate>,
    pub deposit_deductions: bool,
    pub deduction_specification_given: bool,
    pub occupants: Option<i32>,
    /// The violations the facts show today (GR-04, GR-05, GR-06, AM-01, AM-02).
    pub proposed_violations: Vec<LeaseProposedViolation>,
}

impl LeaseResponse {
    /// The response; `staff` decides whether `recorded_by` is shown.
    pub fn of(v: LeaseView, staff: bool) -> Self {
        let r = v.row;
        LeaseResponse {
            id: r.id,
            municipality_code: r.municipality_code,
            property_id: r.property_id,
            landlord_id: r.landlord_id,
            recorded_by: r.recorded_by.filter(|_| staff),
            recorded_from: r.recorded_from,
            inspection_id: r.inspection_id,
            complaint_id: r.complaint_id,
            concluded_on: r.concluded_on,
            starts_on: r.starts_on,
            ends_on: r.ends_on,
            form: r.form,
            information_given_on: r.information_given_on,
            information_languages: v.information_languages,
            tied_to_employment: r.tied_to_employment,
            occupants_are_labour_migrants: r.occupants_are_labour_migrants,
            occupant_languages: v.occupant_languages,
            rent_cents: r.rent_cents,
            service_costs_cents: r.service_costs_cents,
            deposit_cents: r.deposit_cents,
            deposit_returned_on: r.deposit_returned_on,
            deposit_deductions: r.deposit_deductions,
            deduction_specification_given: r.deduction_specification_given,
            occupants: r.occupants,
            proposed_violations: v.proposed_violations.into_iter().map(Into::into).collect(),
        }
    }
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct LeaseListResponse {
    pub items: Vec<LeaseResponse>,
    /// Pass as `cursor` for the next page; absent on the last page.
    pub next_cursor: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LeaseListQuery {
    /// 1–200, default 50.
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<i64>,
    pub cursor: Option<String>,
}
