//! `POST /v1/complaints/partner-signals`: staff enter a signal received from a partner (police,
//! labour inspectorate, UWV, SNF, another municipality, burgerzaken, a housing corporation, a
//! utility…) as a meldpunt item with channel `partner`. It goes through the intake rules of a
//! report (`report.rs`: category, language, description, address or place, exploitation signals,
//! priority and due date) and has no reporter, contact details or tracking code.

use actix_web::{post, web, HttpResponse};
use serde::Deserialize;
use utoipa::ToSchema;
use validator::Validate;

use super::report::{check_report, intake_command, Limits};
use super::{ComplaintResponse, CreateComplaintRequest};
use crate::domain::complaints::{Anonymity, ExploitationSignal, Partner};
use crate::error::{AppError, FieldError};
use crate::http::auth::{Auth, ComplaintStaff};
use crate::http::common::AddressDto;
use crate::http::idempotency::{created, respond, IdempotencyKeyHeader, KeyedJson};
use crate::http::problem::{AuthProblems, IdempotencyProblems, ValidationProblem};
use crate::http::AppState;
use crate::service;
use crate::service::complaints::intake::{self, PartnerSource, TrackingCode};
use crate::service::complaints::queries;
use crate::service::idempotency::idempotent;

fn dutch() -> String {
    "nl".into()
}

/// A signal received from a partner organisation.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreatePartnerSignalRequest {
    /// The partner that sent the signal.
    pub partner: Partner,
    /// The partner's own reference of the signal (1–100 characters).
    #[validate(length(min = 1, max = 100))]
    #[schema(min_length = 1, max_length = 100, example = "PL-2026-00123")]
    pub partner_reference: String,
    /// A code from `GET /v1/complaint-categories`.
    #[schema(example = "overcrowding")]
    pub category: String,
    /// The language of the complaint's texts: nl (default), en, pl, ro, bg or uk.
    #[serde(default = "dutch")]
    #[schema(value_type = crate::http::schema::ComplaintLanguage, example = "nl")]
    pub language: String,
    /// What the partner reported (1–5000 characters).
    #[validate(length(min = 1, max = 5000))]
    #[schema(min_length = 1, max_length = 5000)]
    pub description: String,
    /// The address concerned; or give `location_description`.
    #[validate(nested)]
    pub address: Option<AddressDto>,
    #[validate(length(max = 500))]
    #[schema(max_length = 500)]
    pub location_description: Option<String>,
    #[serde(default)]
    #[validate(length(max = 18))]
    #[schema(max_items = 18)]
    pub exploitation_signals: Vec<ExploitationSignal>,
}

impl CreatePartnerSignalRequest {
    /// The report the intake rules check: no contact, no attachments, fully anonymous (there is
    /// no reporter to reach), the same field names (so the problems point into this body).
    fn as_report(&self) -> CreateComplaintRequest {
        CreateComplaintRequest {
            category: self.category.clone(),
            language: self.language.clone(),
            description: self.description.clone(),
            address: self.address.clone(),
            location_description: self.location_description.clone(),
            exploitation_signals: self.exploitation_signals.clone(),
            anonymity: Anonymity::FullyAnonymous,
            contact: None,
            attachments: Vec::new(),
        }
    }
}

/// Enter a signal received from a partner (officers, managers). It becomes a complaint with
/// channel `partner`, the partner and its reference, through the intake rules of a report
/// (category, exploitation signals and urgency, due date, address); it has no reporter, contact
/// details or tracking code.
#[utoipa::path(
    tag = "complaints",
    security(("bearer" = [])),
    params(IdempotencyKeyHeader),
    request_body = CreatePartnerSignalRequest,
    responses(
        (status = 201, body = ComplaintResponse, headers(("Idempotent-Replayed" = String, description = "`true` on the answer to a retry with the same Idempotency-Key and body: the original answer; nothing new was recorded"))),
        AuthProblems,
        ValidationProblem,
        IdempotencyProblems
    )
)]
#[post("/v1/complaints/partner-signals")]
pub async fn create_partner_signal(
    state: web::Data<AppState>,
    auth: Auth<ComplaintStaff>,
    body: KeyedJson<CreatePartnerSignalRequest>,
) -> Result<HttpResponse, AppError> {
    let KeyedJson { body: req, idempotency } = body;
    let municipality = state.config.municipality_code.as_str().to_string();
    if !auth.scope().allows(&municipality) {
        return Err(AppError::Forbidden("this account does not act for this municipality".into()));
    }
    let mut errs = Vec::new();
    let reference = req.partner_reference.trim().to_string();
    if reference.is_empty() {
        errs.push(FieldError::new("/partner_reference", "must not be blank"));
    }
    let report = req.as_report();
    let checked = check_report(&Limits::of(&state.config.complaints), &report, Vec::new(), errs)
        .map_err(AppError::Validation)?;
    let (cmd, _) = intake_command(report, checked, municipality, TrackingCode::none(), None);
    let cmd = intake::Intake { partner: Some(PartnerSource { partner: req.partner, reference }), ..cmd };
    let (role, today) = (auth.role, state.clock.today_nl());
    let outcome = service::write(&state.db, auth.ctx(&state.clock), move |tx| {
        idempotent(tx, idempotency, |tx| {
            let c = intake::enter_partner_signal(tx, cmd)?;
            created(&ComplaintResponse::of(queries::details(tx, c)?, role, today))
        })
    })
    .await?;
    Ok(respond(outcome))
}
