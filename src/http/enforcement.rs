//! Enforcement (handhaving): violations, enforcement cases per landlord + address, the sanction
//! ladder (`next-step`), sanction procedures as state machines (warning, administrative fine,
//! penalty order, bestuursdwang, management takeover), the landlord's history, the dashboard and
//! the landlord's own view of sanctions and deadlines.
//!
//! Error conventions: an unlawful step (the law forbids it on these facts) is 409 with the
//! reason; a lawful step that departs from the proposal without a motivation is 422 on
//! `/motivation`; an action the procedure's state does not allow is 409 with `allowed_actions`;
//! bad dates or amounts are 422 with pointers.

use actix_web::{get, post, web, HttpResponse};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use crate::db::audit::{self, Actor, Change};
use crate::db::convert::{date_str, from_json_text, json_text, parse_stored_date};
use crate::db::enforcement::{self as q, CaseFilter, CaseRow, SanctionRow, ViolationRow};
use crate::db::outbox::{self, NewEmail};
use crate::db::DbConnection;
use crate::domain::calendar::HolidayCalendar;
use crate::domain::enforcement_policy::EnforcementPolicy;
use crate::domain::fines::{
    determine_recidive, validate_fine, FineError, OffenderKind, PriorFine, ProposedFine,
};
use crate::domain::general_rules::RuleCode;
use crate::domain::ladder::{
    check_chosen_step, next_step, takeover_grounds, Aggravation, CaseFacts, CaseKey, LandlordHistory,
    LandlordKind, Proposal, SanctionStep, StepBlock, TakeoverGround, WarningRecord,
};
use crate::domain::money::Money;
use crate::domain::sanction_procedure::{
    add_years_sat, compute_forfeitures, sub_years_sat, DropReason, FineAction, FineState, FollowUpInspection,
    LiftGround, LodAction, LodError, LodPurpose, LodState, PenaltyOrder, PeriodForfeitMoment, ProcedureError,
    SumKind, Warning, WarningAction, WarningState,
};
use crate::error::{AppError, FieldError};
use crate::http::auth::{Auth, EnforcementOfficer, EnforcementRead, LandlordOnly};
use crate::http::common::{
    address_dto, address_line, not_in_future, page, page_limit, parse_address, parse_date, AddressDto,
};
use crate::http::extract::ValidJson;
use crate::http::problem::{AuthProblems, NotFoundProblem, Problem, ValidationProblem};
use crate::http::AppState;

// =============================================================================================
// Shared helpers
// =============================================================================================

fn atw() -> HolidayCalendar {
    HolidayCalendar::default()
}

fn rule_of(s: &str) -> Result<RuleCode, AppError> {
    s.parse().map_err(|_| AppError::internal(anyhow::anyhow!("unknown rule {s:?} in database")))
}

fn step_name(s: SanctionStep) -> String {
    serde_json::to_value(s).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()
}

fn not_found(what: &str) -> AppError {
    AppError::NotFound(format!("no such {what}"))
}

/// Sanction kinds as stored.
const KIND_WARNING: &str = "warning";
const KIND_FINE: &str = "administrative_fine";
const KIND_LOD: &str = "penalty_order";
const KIND_COERCION: &str = "administrative_coercion";
const KIND_TAKEOVER: &str = "management_takeover";

/// Terminal states: the procedure no longer runs.
fn is_terminal(kind: &str, state: &str) -> bool {
    match kind {
        KIND_WARNING => state != "issued",
        KIND_FINE => matches!(state, "dropped" | "annulled" | "published"),
        KIND_LOD => matches!(state, "completed" | "lifted"),
        KIND_COERCION => matches!(state, "executed" | "complied" | "withdrawn"),
        KIND_TAKEOVER => state == "ended",
        _ => true,
    }
}

/// Whether a sanction still binds / runs for its violation (blocks a new proposal for it).
fn blocks_proposal(s: &SanctionRow) -> bool {
    match s.kind.as_str() {
        KIND_WARNING => false,
        KIND_FINE => !matches!(s.state_name.as_str(), "dropped" | "annulled"),
        // A penalty order binds while it can still forfeit; once lifted or spent (maximum
        // forfeited) a next step may follow, while the collection of its sums goes on.
        KIND_LOD => serde_json::from_str::<LodState>(&s.state).map_or(true, |st| st.can_forfeit()),
        _ => !is_terminal(&s.kind, &s.state_name),
    }
}

// ---------------------------------------------------------------------------- small machines

/// Last onder bestuursdwang (Awb 5:21): decided with a term, then executed or complied.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case", tag = "state")]
pub enum CoercionState {
    Decided { decided_on: NaiveDate, remedy_deadline: NaiveDate },
    Complied { decided_on: NaiveDate, complied_on: NaiveDate },
    Executed { decided_on: NaiveDate, executed_on: NaiveDate },
    Withdrawn { decided_on: NaiveDate, withdrawn_on: NaiveDate },
}

impl CoercionState {
    fn name(&self) -> &'static str {
        match self {
            CoercionState::Decided { .. } => "decided",
            CoercionState::Complied { .. } => "complied",
            CoercionState::Executed { .. } => "executed",
            CoercionState::Withdrawn { .. } => "withdrawn",
        }
    }
}

/// Beheerovername (Wgv art. 11 e.v.): decided on a ground, starts, published, ends.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct TakeoverState {
    #[schema(value_type = Vec<String>)]
    pub grounds: Vec<TakeoverGround>,
    pub decided_on: NaiveDate,
    pub starts_on: NaiveDate,
    /// B&W or a designated beheerder (e.g. a woningcorporatie).
    pub beheerder: String,
    pub planned_end_on: Option<NaiveDate>,
    pub published_on: Option<NaiveDate>,
    pub ended_on: Option<NaiveDate>,
}

impl TakeoverState {
    fn name(&self) -> &'static str {
        if self.ended_on.is_some() {
            "ended"
        } else if self.published_on.is_some() {
            "published"
        } else {
            "decided"
        }
    }
}

/// Terms stored with a penalty order: the order and its follow-up inspections.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct LodTerms {
    order: PenaltyOrder,
    #[serde(default)]
    follow_ups: Vec<FollowUpInspection>,
}

/// A named deadline of a sanction.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Deadline {
    /// e.g. `remedy_term`, `zienswijze_term`, `fine_decision_13_weeks`, `payment`,
    /// `objection_term`, `begunstigingstermijn`, `forfeiture_payment`, `collection_lapses`,
    /// `takeover_end`.
    pub kind: String,
    pub due_on: NaiveDate,
}

fn dl(kind: &str, due_on: NaiveDate) -> Deadline {
    Deadline { kind: kind.into(), due_on }
}

/// The running deadlines of a sanction in its current state (earliest first).
fn deadlines_of(kind: &str, state: &serde_json::Value) -> Vec<Deadline> {
    let mut out = Vec::new();
    match kind {
        KIND_WARNING => {
            if let Ok(WarningState::Issued { remedy_deadline, .. }) = serde_json::from_value(state.clone()) {
                out.push(dl("remedy_term", remedy_deadline));
            }
        }
        KIND_FINE => match serde_json::from_value::<FineState>(state.clone()) {
            Ok(FineState::Rapport { decision_due, .. }) => {
                out.push(dl("fine_decision_13_weeks", decision_due))
            }
            Ok(FineState::IntentSent { decision_due, zienswijze_due, zienswijze_received_on, .. }) => {
                if zienswijze_received_on.is_none() {
                    out.push(dl("zienswijze_term", zienswijze_due));
                }
                out.push(dl("fine_decision_13_weeks", decision_due));
            }
            Ok(FineState::Decided { decision, .. }) => {
                out.push(dl("payment", decision.payment_due));
                out.push(dl("objection_term", decision.objection_ends));
            }
            Ok(FineState::ObjectionLodged { decision, .. }) => out.push(dl("payment", decision.payment_due)),
            Ok(FineState::Published { expires_on: Some(e), .. }) => out.push(dl("publication_expires", e)),
            _ => {}
        },
        KIND_LOD => {
            if let Ok(lod) = serde_json::from_value::<LodState>(state.clone()) {
                if let (Some(d), None, true, true) =
                    (lod.compliance_deadline, lod.complied_on, lod.forfeitures.is_empty(), lod.is_effective())
                {
                    out.push(dl("begunstigingstermijn", d));
                }
                // Outstanding sums not yet reminded: their payment term (5:33); undecided ones:
                // the lapse of the power to collect (5:35).
                let outstanding = || lod.forfeitures.iter().filter(|f| f.outstanding());
                if let Some(due) =
                    outstanding().filter(|f| f.reminder_on.is_none()).map(|f| f.forfeiture.payable_by).min()
                {
                    out.push(dl("forfeiture_payment", due));
                }
                if let Some(lapse) = outstanding()
                    .filter(|f| f.collection_decided_on.is_none())
                    .map(|f| f.forfeiture.collection_lapses_on)
                    .min()
                {
                    out.push(dl("collection_lapses", lapse));
                }
            }
        }
        KIND_COERCION => {
            if let Ok(CoercionState::Decided { remedy_deadline, .. }) = serde_json::from_value(state.clone())
            {
                out.push(dl("remedy_term", remedy_deadline));
            }
        }
        KIND_TAKEOVER => {
            if let Ok(t) = serde_json::from_value::<TakeoverState>(state.clone()) {
                if let (None, Some(end)) = (t.ended_on, t.planned_end_on) {
                    out.push(dl("takeover_end", end));
                }
            }
        }
        _ => {}
    }
    out.sort_by_key(|d| d.due_on);
    out
}

fn allowed_actions_of(row: &SanctionRow, policy: &EnforcementPolicy) -> Vec<String> {
    let v: serde_json::Value = serde_json::from_str(&row.state).unwrap_or_default();
    let names: Vec<&str> = match row.kind.as_str() {
        KIND_WARNING => {
            serde_json::from_value::<WarningState>(v).map(|s| s.allowed_actions()).unwrap_or_default()
        }
        KIND_FINE => serde_json::from_value::<FineState>(v)
            .map(|s| s.allowed_actions(&policy.fine_procedure))
            .unwrap_or_default(),
        KIND_LOD => serde_json::from_value::<LodState>(v)
            .map(|s| {
                s.allowed_actions()
                    .into_iter()
                    .map(|a| {
                        if a == "verify_compliance" || a == "record_forfeiture" {
                            "record_follow_up"
                        } else {
                            a
                        }
                    })
                    .fold(Vec::new(), |mut acc, a| {
                        if !acc.contains(&a) {
                            acc.push(a);
                        }
                        acc
                    })
            })
            .unwrap_or_default(),
        KIND_COERCION => match row.state_name.as_str() {
            "decided" => vec!["verify_compliance", "execute", "withdraw"],
            _ => vec![],
        },
        KIND_TAKEOVER => match row.state_name.as_str() {
            "decided" => vec!["publish", "end_takeover"],
            "published" => vec!["end_takeover"],
            _ => vec![],
        },
        _ => vec![],
    };
    names.into_iter().map(str::to_string).collect()
}

/// Writes the state and its derived columns (name, next deadline) into the row.
fn set_state<T: Serialize>(row: &mut SanctionRow, name: &str, state: &T) -> Result<(), AppError> {
    let value = serde_json::to_value(state).map_err(|e| AppError::internal(anyhow::anyhow!("{e}")))?;
    let next = deadlines_of(&row.kind, &value).into_iter().next();
    row.state_name = name.to_string();
    row.state = value.to_string();
    row.next_deadline = next.as_ref().map(|d| date_str(d.due_on));
    row.next_deadline_kind = next.map(|d| d.kind);
    let last = deadlines_of(&row.kind, &value).into_iter().next_back();
    row.last_deadline = last.as_ref().map(|d| date_str(d.due_on));
    row.last_deadline_kind = last.map(|d| d.kind);
    Ok(())
}

// =============================================================================================
// Ladder context: facts per violation + landlord history, loaded with a fixed number of queries
// =============================================================================================

struct LadderContext {
    history: LandlordHistory,
    /// (violation, facts, running sanctions that block a proposal)
    items: Vec<(ViolationRow, CaseFacts, Vec<String>)>,
}

fn fine_facts_to_prior(f: q::FineFacts) -> Result<Option<PriorFine>, AppError> {
    let Some(decision) = f.decision_date.as_deref() else { return Ok(None) };
    Ok(Some(PriorFine {
        rule: rule_of(&f.rule)?,
        violation_date: parse_stored_date(&f.violation_date)?,
        rapport_date: f.rapport_date.as_deref().map(parse_stored_date).transpose()?,
        decision_date: parse_stored_date(decision)?,
        final_date: f.final_date.as_deref().map(parse_stored_date).transpose()?,
        annulled: f.annulled,
        violation_id: f.violation_id,
    }))
}

/// The fines that can count for recidive or takeover ground G1 for violations established
/// from `earliest` on (one indexed query over the landlord's fines, columns only).
fn landlord_prior_fines(
    c: &mut DbConnection,
    landlord_id: &str,
    policy: &EnforcementPolicy,
    earliest: NaiveDate,
) -> Result<Vec<PriorFine>, AppError> {
    let years = policy.fines.recidive.window_years.max(policy.ladder.takeover.window_years);
    let since = sub_years_sat(earliest, years);
    let mut out = Vec::new();
    for f in q::landlord_fine_facts(c, landlord_id, &date_str(since))? {
        out.extend(fine_facts_to_prior(f)?);
    }
    Ok(out)
}

fn landlord_history(
    c: &mut DbConnection,
    landlord_id: &str,
    policy: &EnforcementPolicy,
    earliest_established: NaiveDate,
    latest_established: NaiveDate,
) -> Result<LandlordHistory, AppError> {
    let fines = landlord_prior_fines(c, landlord_id, policy, earliest_established)?;
    // Only "was there a warning in the window before the violation" matters to the ladder, so
    // distinct warning dates suffice (no per-warning state parsing).
    let since = sub_years_sat(earliest_established, policy.ladder.prior_warning_years);
    let mut warnings = Vec::new();
    for d in q::landlord_warning_dates(c, landlord_id, &date_str(since), &date_str(latest_established))? {
        let issued_on = parse_stored_date(&d)?;
        warnings.push(WarningRecord {
            rule: RuleCode::Gr00,
            issued_on,
            remedy_deadline: issued_on,
            remedied: true,
        });
    }
    Ok(LandlordHistory { fines, warnings })
}

fn ladder_context(
    c: &mut DbConnection,
    case: &CaseRow,
    policy: &EnforcementPolicy,
    only_violation: Option<&str>,
) -> Result<LadderContext, AppError> {
    let violations: Vec<ViolationRow> = q::case_violations(c, &case.id)?
        .into_iter()
        .filter(|v| v.status == "open" && only_violation.is_none_or(|id| id == v.id))
        .collect();
    let sanctions = q::case_sanctions(c, &case.id)?;
    let mut earliest = NaiveDate::MAX;
    let mut latest = NaiveDate::MIN;
    for v in &violations {
        let d = parse_stored_date(&v.established_on)?;
        earliest = earliest.min(d);
        latest = latest.max(d);
    }
    let history = if violations.is_empty() {
        LandlordHistory::default()
    } else {
        landlord_history(c, &case.landlord_id, policy, earliest, latest)?
    };
    let licence = match &case.licence_id {
        Some(id) => q::find_licence(c, id)?,
        None => None,
    };
    let has_licence = licence.as_ref().is_some_and(|l| l.state == "active" || l.state == "suspended");
    let licence_revoked = licence.as_ref().is_some_and(|l| l.state == "revoked");
    // G2: a licence application for this dwelling was refused, and the violation (letting)
    // was established on or after the refusal.
    let refused_on = match &case.property_id {
        Some(pid) => q::latest_refusal(c, &case.landlord_id, pid)?,
        None => None,
    };
    let landlord_kind = if case.landlord_kind == "woningcorporatie" {
        LandlordKind::Woningcorporatie
    } else {
        LandlordKind::Private
    };
    let mut items = Vec::new();
    for v in violations {
        let rule = rule_of(&v.rule)?;
        let own: Vec<&SanctionRow> = sanctions.iter().filter(|s| s.violation_id == v.id).collect();
        let warning_row = own.iter().rev().find(|s| s.kind == KIND_WARNING && s.state_name != "withdrawn");
        let (warning, still_violating) = match warning_row {
            None => (None, true),
            Some(s) => match from_json_text::<WarningState>(&s.state)? {
                WarningState::Issued { issued_on, remedy_deadline } => {
                    (Some(WarningRecord { rule, issued_on, remedy_deadline, remedied: false }), false)
                }
                WarningState::NotRemedied { issued_on, remedy_deadline, .. } => {
                    (Some(WarningRecord { rule, issued_on, remedy_deadline, remedied: false }), true)
                }
                WarningState::Remedied { issued_on, remedied_on } => (
                    Some(WarningRecord { rule, issued_on, remedy_deadline: remedied_on, remedied: true }),
                    false,
                ),
                WarningState::Withdrawn { .. } => (None, true),
            },
        };
        let aggravating: Vec<Aggravation> = from_json_text(&v.aggravations)?;
        let facts = CaseFacts {
            key: CaseKey {
                landlord_id: case.landlord_id.clone(),
                address_id: case.address_key.clone(),
                rule,
            },
            established_on: parse_stored_date(&v.established_on)?,
            landlord_kind,
            aggravating,
            warning,
            still_violating,
            has_licence,
            // NOTE: "while let" is read as: a violation (so letting) established on or after
            // the refusal date.
            licence_refused_while_let: refused_on
                .is_some_and(|r| r <= parse_stored_date(&v.established_on).unwrap_or(NaiveDate::MIN)),
            licence_revoked,
        };
        let running: Vec<String> = own
            .iter()
            .filter(|s| blocks_proposal(s))
            .map(|s| format!("{} ({})", s.kind, s.state_name))
            .collect();
        items.push((v, facts, running));
    }
    Ok(LadderContext { history, items })
}

fn step_rank(s: SanctionStep) -> u8 {
    match s {
        SanctionStep::ReferToAutoriteitWoningcorporaties => 0,
        SanctionStep::AwaitRemedyTerm => 1,
        SanctionStep::Warning => 2,
        SanctionStep::PenaltyOrder => 3,
        SanctionStep::AdministrativeFine => 4,
        SanctionStep::RecidiveFine => 5,
        SanctionStep::AdministrativeCoercion => 6,
        SanctionStep::LicenceRevocation => 7,
        SanctionStep::ManagementTakeover => 8,
    }
}

// =============================================================================================
// Violations
// =============================================================================================

#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct EvidenceDto {
    #[serde(default)]
    #[validate(length(max = 50))]
    pub inspection_ids: Vec<String>,
    #[serde(default)]
    #[validate(length(max = 50))]
    pub complaint_ids: Vec<String>,
    /// Document references (file numbers, photo ids) — no personal data of residents.
    #[serde(default)]
    #[validate(length(max = 50))]
    pub documents: Vec<String>,
}

/// The numbers behind a violation (e.g. from an inspection evaluation).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ViolationNumbers {
    pub norm: String,
    pub room: Option<String>,
    pub required: u64,
    pub present: u64,
    pub unit: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum LandlordKindDto {
    Private,
    /// Toegelaten instelling: no municipal Wgv enforcement (refer).
    Woningcorporatie,
}

/// Record an established violation. It belongs to landlord + address + rule — never to a
/// tenant; it joins the open enforcement case of that landlord and address (or opens one).
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateViolationRequest {
    pub landlord_id: String,
    pub address: AddressDto,
    /// `GR-00`…`GR-10`, `AM-01`, `AM-02`, `no_licence`, `licence_condition`, `overcrowding`.
    #[schema(example = "GR-04")]
    pub rule: String,
    /// Which licence condition (voorschrift); required for `licence_condition`.
    #[validate(length(max = 500))]
    pub licence_condition: Option<String>,
    /// Date established, YYYY-MM-DD, not in the future.
    #[schema(example = "2025-02-10")]
    pub established_on: String,
    /// What was established (no names of residents).
    #[validate(length(min = 1, max = 4000))]
    pub description: String,
    pub numbers: Option<ViolationNumbers>,
    #[serde(default)]
    #[validate(nested)]
    pub evidence: EvidenceDto,
    /// The inspection that established it (its aggravations are taken over).
    pub inspection_id: Option<String>,
    /// Extra aggravations: `unsafe_housing`, `labour_exploitation`.
    #[serde(default)]
    #[schema(value_type = Vec<String>)]
    pub aggravations: Vec<Aggravation>,
    /// Used when this violation opens a new case. Default `private`; a landlord recorded as a
    /// housing corporation (`POST /v1/landlords/{id}/housing-corporation`) is always
    /// `woningcorporatie`.
    pub landlord_kind: Option<LandlordKindDto>,
    #[validate(length(max = 64))]
    pub property_id: Option<String>,
    #[validate(length(max = 64))]
    pub licence_id: Option<String>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ViolationResponse {
    pub id: String,
    pub case_id: String,
    pub landlord_id: String,
    pub address: AddressDto,
    pub rule: String,
    pub licence_condition: Option<String>,
    pub established_on: NaiveDate,
    pub description: String,
    pub numbers: Option<ViolationNumbers>,
    pub evidence: EvidenceDto,
    pub inspection_id: Option<String>,
    #[schema(value_type = Vec<String>)]
    pub aggravations: Vec<Aggravation>,
    /// `open`, `remedied`, `closed_without_enforcement`.
    pub status: String,
    pub close_reason: Option<String>,
    pub close_motivation: Option<String>,
    pub closed_on: Option<NaiveDate>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, Deserialize)]
struct StoredDetails {
    numbers: Option<ViolationNumbers>,
    postcode: String,
    house_number: i32,
    house_number_addition: Option<String>,
}

fn violation_response(v: ViolationRow) -> Result<ViolationResponse, AppError> {
    let details: StoredDetails = from_json_text(&v.details)?;
    Ok(ViolationResponse {
        address: address_dto(&details.postcode, details.house_number, details.house_number_addition),
        numbers: details.numbers,
        established_on: parse_stored_date(&v.established_on)?,
        evidence: from_json_text(&v.evidence)?,
        aggravations: from_json_text(&v.aggravations)?,
        closed_on: v.closed_on.as_deref().map(parse_stored_date).transpose()?,
        id: v.id,
        case_id: v.case_id,
        landlord_id: v.landlord_id,
        rule: v.rule,
        licence_condition: v.licence_condition,
        description: v.description,
        inspection_id: v.inspection_id,
        status: v.status,
        close_reason: v.close_reason,
        close_motivation: v.close_motivation,
        created_at: v.created_at.and_utc(),
    })
}

/// Record a violation (officers). Joins or opens the case of the landlord and address.
#[utoipa::path(
    tag = "enforcement",
    security(("bearer" = [])),
    request_body = CreateViolationRequest,
    responses(
        (status = 201, body = ViolationResponse),
        AuthProblems,
        ValidationProblem
    )
)]
#[post("/v1/violations")]
pub async fn create_violation(
    state: web::Data<AppState>,
    auth: Auth<EnforcementOfficer>,
    body: ValidJson<CreateViolationRequest>,
) -> Result<HttpResponse, AppError> {
    let req = body.0;
    let today = state.clock.today_nl();
    let mut errs = Vec::new();
    let address = parse_address(&req.address, "/address", &mut errs);
    let rule = match req.rule.parse::<RuleCode>() {
        Ok(r) => Some(r),
        Err(_) => {
            errs.push(FieldError::new("/rule", "is not a known rule code (see GET /v1/rules or the README)"));
            None
        }
    };
    if rule == Some(RuleCode::LicenceCondition)
        && req.licence_condition.as_deref().is_none_or(|s| s.trim().is_empty())
    {
        errs.push(FieldError::new("/licence_condition", "is required for a licence-condition violation"));
    }
    let established = parse_date(&req.established_on, "/established_on", &mut errs);
    if let Some(d) = established {
        not_in_future(d, today, "/established_on", &mut errs);
    }
    if req.description.trim().is_empty() {
        errs.push(FieldError::new("/description", "must not be blank"));
    }
    let evidence_empty = req.evidence.inspection_ids.is_empty()
        && req.evidence.complaint_ids.is_empty()
        && req.evidence.documents.is_empty()
        && req.inspection_id.is_none();
    if evidence_empty {
        errs.push(FieldError::new("/evidence", "name at least one inspection, complaint or document"));
    }
    let (Some(address), Some(rule), Some(established), true) = (address, rule, established, errs.is_empty())
    else {
        return Err(AppError::Validation(errs));
    };
    let now = state.clock.now_naive();
    let actor = auth.actor();
    let scope = auth.scope();
    let municipality = state.config.municipality_code.as_str().to_string();
    let created_by = auth.id.clone();
    let row = state
        .db
        .write(move |c| {
            if !q::landlord_exists(c, &req.landlord_id)? {
                return Err(AppError::field("/landlord_id", "is not a known landlord"));
            }
            let mut aggravations = req.aggravations.clone();
            let mut evidence = req.evidence.clone();
            let mut property_id = req.property_id.clone();
            let mut licence_id = req.licence_id.clone();
            if let Some(iid) = &req.inspection_id {
                let insp = crate::db::inspections::find_inspection(c, &scope, iid)?
                    .ok_or_else(|| AppError::field("/inspection_id", "is not a known inspection"))?;
                if insp.address_key != address.key {
                    return Err(AppError::field("/inspection_id", "was held at another address"));
                }
                if property_id.is_none() {
                    property_id = insp.property_id.clone();
                }
                if licence_id.is_none() {
                    licence_id = insp.licence_id.clone();
                }
                // Unsafe housing and exploitation signals in the findings aggravate (ladder).
                let findings: crate::domain::inspection::Findings = from_json_text(&insp.findings)?;
                for a in crate::domain::inspection::aggravations(&findings) {
                    if !aggravations.contains(&a) {
                        aggravations.push(a);
                    }
                }
                if !evidence.inspection_ids.contains(iid) {
                    evidence.inspection_ids.push(iid.clone());
                }
            }
            if licence_id.is_none() {
                if let Some(pid) = &property_id {
                    licence_id = q::licence_in_force(c, pid, established)?.map(|l| l.id);
                    // No licence in force: a revoked licence of this landlord for the dwelling
                    // is still the case's licence (takeover ground G3, rules.md §4.6).
                    if licence_id.is_none() {
                        licence_id = q::revoked_licence(c, &req.landlord_id, pid)?;
                    }
                }
            }
            // A landlord recorded as a housing corporation is one, whatever the request says.
            let woningcorporatie = matches!(req.landlord_kind, Some(LandlordKindDto::Woningcorporatie))
                || crate::db::accounts::is_housing_corporation(c, &req.landlord_id)?;
            let case = match q::find_open_case(c, &req.landlord_id, &address.key)? {
                Some(case) => case,
                None => {
                    let case = CaseRow {
                        id: uuid::Uuid::new_v4().to_string(),
                        municipality_code: municipality.clone(),
                        landlord_id: req.landlord_id.clone(),
                        address_key: address.key.clone(),
                        postcode: address.postcode.clone(),
                        house_number: address.house_number,
                        house_number_addition: address.addition.clone(),
                        property_id: property_id.clone(),
                        licence_id: licence_id.clone(),
                        landlord_kind: if woningcorporatie {
                            "woningcorporatie".into()
                        } else {
                            "private".into()
                        },
                        status: "open".into(),
                        stage: "investigation".into(),
                        opened_on: date_str(established),
                        closed_on: None,
                        close_reason: None,
                        created_at: now,
                        updated_at: now,
                    };
                    q::insert_case(c, &case)?;
                    audit::record(
                        c,
                        now,
                        &actor,
                        Change {
                            municipality_code: Some(&case.municipality_code),
                            entity_type: "enforcement_case",
                            entity_id: &case.id,
                            action: "open",
                            before: None,
                            after: Some(
                                serde_json::json!({"landlord_id": case.landlord_id, "status": "open"}),
                            ),
                            reason: None,
                        },
                    )?;
                    case
                }
            };
            if !scope.allows(&case.municipality_code) {
                return Err(AppError::Forbidden("this case belongs to another municipality".into()));
            }
            let row = ViolationRow {
                id: uuid::Uuid::new_v4().to_string(),
                municipality_code: case.municipality_code.clone(),
                case_id: case.id.clone(),
                landlord_id: req.landlord_id.clone(),
                address_key: address.key.clone(),
                rule: rule.as_str().into(),
                licence_condition: req.licence_condition.map(|s| s.trim().to_string()),
                established_on: date_str(established),
                description: req.description.trim().to_string(),
                details: json_text(&StoredDetails {
                    numbers: req.numbers,
                    postcode: address.postcode,
                    house_number: address.house_number,
                    house_number_addition: address.addition,
                })?,
                evidence: json_text(&evidence)?,
                inspection_id: req.inspection_id,
                aggravations: json_text(&aggravations)?,
                status: "open".into(),
                close_reason: None,
                close_motivation: None,
                closed_on: None,
                created_by: Some(created_by),
                created_at: now,
                updated_at: now,
            };
            q::insert_violation(c, &row)?;
            audit::record(
                c,
                now,
                &actor,
                Change {
                    municipality_code: Some(&row.municipality_code),
                    entity_type: "violation",
                    entity_id: &row.id,
                    action: "create",
                    before: None,
                    after: Some(serde_json::json!({"rule": row.rule, "case_id": row.case_id,
                        "landlord_id": row.landlord_id, "established_on": row.established_on})),
                    reason: None,
                },
            )?;
            Ok(row)
        })
        .await?;
    Ok(HttpResponse::Created().json(violation_response(row)?))
}

/// One violation (officers, managers).
#[utoipa::path(
    tag = "enforcement",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Violation id")),
    responses(
        (status = 200, body = ViolationResponse),
        AuthProblems,
        NotFoundProblem
    )
)]
#[get("/v1/violations/{id}")]
pub async fn get_violation(
    state: web::Data<AppState>,
    auth: Auth<EnforcementRead>,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let scope = auth.scope();
    let row = state
        .db
        .read(move |c| q::find_violation(c, &scope, &id))
        .await?
        .ok_or_else(|| not_found("violation"))?;
    Ok(HttpResponse::Ok().json(violation_response(row)?))
}

/// The only ways to close a violation. A tenant leaving is deliberately not one of them
/// (carrousel rule, rules.md §4.8).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CloseViolationReason {
    /// Compliance verified (e.g. by a follow-up inspection).
    Remedied,
    /// Refraining from enforcement: legalisation concretely in prospect.
    LegalisationInProspect,
    /// Refraining from enforcement: enforcement would be disproportionate.
    Disproportionate,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CloseViolationRequest {
    pub reason: CloseViolationReason,
    /// Required (at least 20 characters) when closing without enforcement.
    #[validate(length(max = 4000))]
    pub motivation: Option<String>,
    /// YYYY-MM-DD, not in the future.
    pub on: String,
}

/// Close a violation: remedied, or without enforcement on one of the two lawful reasons
/// (legalisation concretely in prospect; enforcement disproportionate) with a motivation.
/// The case closes when its last open violation closes.
#[utoipa::path(
    tag = "enforcement",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Violation id")),
    request_body = CloseViolationRequest,
    responses(
        (status = 200, body = ViolationResponse),
        AuthProblems,
        NotFoundProblem,
        (status = 409, description = "Already closed", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Unknown reason, missing motivation, bad date", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/v1/violations/{id}/close")]
pub async fn close_violation(
    state: web::Data<AppState>,
    auth: Auth<EnforcementOfficer>,
    path: web::Path<String>,
    body: ValidJson<CloseViolationRequest>,
) -> Result<HttpResponse, AppError> {
    let req = body.0;
    let today = state.clock.today_nl();
    let mut errs = Vec::new();
    let on = parse_date(&req.on, "/on", &mut errs);
    if let Some(d) = on {
        not_in_future(d, today, "/on", &mut errs);
    }
    let motivation = req.motivation.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_string);
    let without_enforcement = req.reason != CloseViolationReason::Remedied;
    if without_enforcement && motivation.as_ref().is_none_or(|m| m.chars().count() < 20) {
        errs.push(FieldError::new(
            "/motivation",
            "closing without enforcement needs a motivation (at least 20 characters) explaining why \
             legalisation is concretely in prospect or enforcement would be disproportionate",
        ));
    }
    let (Some(on), true) = (on, errs.is_empty()) else { return Err(AppError::Validation(errs)) };
    let id = path.into_inner();
    let scope = auth.scope();
    let actor = auth.actor();
    let now = state.clock.now_naive();
    let reason = serde_json::to_value(req.reason)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default();
    let row = state
        .db
        .write(move |c| {
            let v = q::find_violation(c, &scope, &id)?.ok_or_else(|| not_found("violation"))?;
            if v.status != "open" {
                return Err(AppError::Conflict {
                    detail: format!("the violation is already closed ({})", v.status),
                    allowed_actions: Some(vec![]),
                });
            }
            if on < parse_stored_date(&v.established_on)? {
                return Err(AppError::field("/on", "lies before the date the violation was established"));
            }
            let status = if without_enforcement { "closed_without_enforcement" } else { "remedied" };
            q::close_violation(c, &v.id, status, &reason, motivation.as_deref(), &date_str(on), now)?;
            audit::record(
                c,
                now,
                &actor,
                Change {
                    municipality_code: Some(&v.municipality_code),
                    entity_type: "violation",
                    entity_id: &v.id,
                    action: "close",
                    before: Some(serde_json::json!({"status": v.status})),
                    after: Some(serde_json::json!({"status": status, "reason": reason})),
                    reason: motivation.as_deref(),
                },
            )?;
            if q::count_open_violations(c, &v.case_id)? == 0 {
                q::close_case(c, &v.case_id, &date_str(on), "all_violations_closed", now)?;
                audit::record(
                    c,
                    now,
                    &actor,
                    Change {
                        municipality_code: Some(&v.municipality_code),
                        entity_type: "enforcement_case",
                        entity_id: &v.case_id,
                        action: "close",
                        before: Some(serde_json::json!({"status": "open"})),
                        after: Some(serde_json::json!({"status": "closed"})),
                        reason: Some("all violations closed"),
                    },
                )?;
            }
            q::find_violation(c, &scope, &v.id)?.ok_or_else(|| not_found("violation"))
        })
        .await?;
    Ok(HttpResponse::Ok().json(violation_response(row)?))
}

// =============================================================================================
// Cases
// =============================================================================================

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct CaseSummary {
    pub id: String,
    pub municipality_code: String,
    pub landlord_id: String,
    pub address: AddressDto,
    pub property_id: Option<String>,
    pub licence_id: Option<String>,
    /// `private` or `woningcorporatie`.
    pub landlord_kind: String,
    /// `open` or `closed`.
    pub status: String,
    /// `investigation`, `warning`, `penalty_order`, `administrative_fine`,
    /// `administrative_coercion`, `management_takeover`, `closed`.
    pub stage: String,
    pub opened_on: NaiveDate,
    pub closed_on: Option<NaiveDate>,
}

fn case_summary(r: CaseRow) -> Result<CaseSummary, AppError> {
    Ok(CaseSummary {
        address: address_dto(&r.postcode, r.house_number, r.house_number_addition),
        opened_on: parse_stored_date(&r.opened_on)?,
        closed_on: r.closed_on.as_deref().map(parse_stored_date).transpose()?,
        id: r.id,
        municipality_code: r.municipality_code,
        landlord_id: r.landlord_id,
        property_id: r.property_id,
        licence_id: r.licence_id,
        landlord_kind: r.landlord_kind,
        status: r.status,
        stage: r.stage,
    })
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct CaseListQuery {
    /// `open` or `closed`.
    pub status: Option<String>,
    pub stage: Option<String>,
    pub landlord_id: Option<String>,
    pub cursor: Option<String>,
    /// 1–200, default 50.
    pub limit: Option<i64>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct CaseListResponse {
    pub items: Vec<CaseSummary>,
    pub next_cursor: Option<String>,
}

/// Enforcement cases (one per landlord + address), cursor-paginated.
#[utoipa::path(
    tag = "enforcement",
    security(("bearer" = [])),
    params(CaseListQuery),
    responses(
        (status = 200, body = CaseListResponse),
        AuthProblems,
        ValidationProblem
    )
)]
#[get("/v1/enforcement-cases")]
pub async fn list_cases(
    state: web::Data<AppState>,
    auth: Auth<EnforcementRead>,
    query: web::Query<CaseListQuery>,
) -> Result<HttpResponse, AppError> {
    let qy = query.into_inner();
    let limit = page_limit(qy.limit, 50)?;
    if qy.status.as_deref().is_some_and(|s| s != "open" && s != "closed") {
        return Err(AppError::field("#/query/status", "must be open or closed"));
    }
    let scope = auth.scope();
    let filter = CaseFilter {
        status: qy.status,
        stage: qy.stage,
        landlord_id: qy.landlord_id,
        after_id: qy.cursor,
        limit: limit + 1,
    };
    let mut rows = state.db.read(move |c| q::list_cases(c, &scope, &filter)).await?;
    let next_cursor = page(&mut rows, limit, |r| r.id.clone());
    let items = rows.into_iter().map(case_summary).collect::<Result<Vec<_>, _>>()?;
    Ok(HttpResponse::Ok().json(CaseListResponse { items, next_cursor }))
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct CaseResponse {
    #[serde(flatten)]
    pub case: CaseSummary,
    pub violations: Vec<ViolationResponse>,
    pub sanctions: Vec<SanctionResponse>,
}

/// One case with its violations and sanctions.
#[utoipa::path(
    tag = "enforcement",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Case id")),
    responses(
        (status = 200, body = CaseResponse),
        AuthProblems,
        NotFoundProblem
    )
)]
#[get("/v1/enforcement-cases/{id}")]
pub async fn get_case(
    state: web::Data<AppState>,
    auth: Auth<EnforcementRead>,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let scope = auth.scope();
    let (case, violations, sanctions) = state
        .db
        .read(move |c| {
            let case = q::find_case(c, &scope, &id)?.ok_or_else(|| not_found("enforcement case"))?;
            let v = q::case_violations(c, &case.id)?;
            let s = q::case_sanctions(c, &case.id)?;
            Ok((case, v, s))
        })
        .await?;
    let policy = state.config.enforcement_policy.clone();
    Ok(HttpResponse::Ok().json(CaseResponse {
        case: case_summary(case)?,
        violations: violations.into_iter().map(violation_response).collect::<Result<Vec<_>, _>>()?,
        sanctions: sanctions
            .into_iter()
            .map(|s| sanction_response(s, &policy))
            .collect::<Result<Vec<_>, _>>()?,
    }))
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ViolationProposal {
    pub violation_id: String,
    pub rule: String,
    /// The step for this violation; absent when a sanction procedure for it is running.
    #[schema(value_type = Option<String>)]
    pub step: Option<SanctionStep>,
    pub reasons: Vec<String>,
    pub legal_basis: Vec<String>,
    #[schema(value_type = Vec<String>)]
    pub alternatives_allowed: Vec<SanctionStep>,
    pub publication_possible: bool,
    #[schema(value_type = Vec<String>)]
    pub takeover_grounds: Vec<TakeoverGround>,
    #[schema(value_type = Option<Object>)]
    pub recidive: Option<crate::domain::fines::RecidiveFinding>,
    /// Sanction procedures running for this violation.
    pub running: Vec<String>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct NextStepResponse {
    pub case_id: String,
    /// The lawful next step for the case: the most far-reaching step proposed for its open
    /// violations; absent when nothing is open or every open violation has a running procedure.
    #[schema(value_type = Option<String>)]
    pub step: Option<SanctionStep>,
    pub reasons: Vec<String>,
    pub per_violation: Vec<ViolationProposal>,
    pub today: NaiveDate,
}

fn proposal_dto(v: &ViolationRow, p: Option<Proposal>, running: Vec<String>) -> ViolationProposal {
    match p {
        Some(p) => ViolationProposal {
            violation_id: v.id.clone(),
            rule: v.rule.clone(),
            step: Some(p.step),
            reasons: p.reasons,
            legal_basis: p.legal_basis,
            alternatives_allowed: p.alternatives_allowed,
            publication_possible: p.publication_possible,
            takeover_grounds: p.takeover_grounds,
            recidive: p.recidive,
            running,
        },
        None => ViolationProposal {
            violation_id: v.id.clone(),
            rule: v.rule.clone(),
            step: None,
            reasons: vec![format!("sanction procedure running: {}", running.join(", "))],
            legal_basis: vec![],
            alternatives_allowed: vec![],
            publication_possible: false,
            takeover_grounds: vec![],
            recidive: None,
            running,
        },
    }
}

/// The lawful next step (sanction ladder, `domain::ladder::next_step`) from the case and the
/// landlord's history (all addresses), with reasons and legal basis, per open violation.
#[utoipa::path(
    tag = "enforcement",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Case id")),
    responses(
        (status = 200, body = NextStepResponse),
        AuthProblems,
        NotFoundProblem
    )
)]
#[get("/v1/enforcement-cases/{id}/next-step")]
pub async fn case_next_step(
    state: web::Data<AppState>,
    auth: Auth<EnforcementRead>,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let scope = auth.scope();
    let policy = state.config.enforcement_policy.clone();
    let today = state.clock.today_nl();
    let p2 = policy.clone();
    let (case, ctx) = state
        .db
        .read(move |c| {
            let case = q::find_case(c, &scope, &id)?.ok_or_else(|| not_found("enforcement case"))?;
            let ctx = ladder_context(c, &case, &p2, None)?;
            Ok((case, ctx))
        })
        .await?;
    let mut per = Vec::new();
    let mut best: Option<SanctionStep> = None;
    for (v, facts, running) in &ctx.items {
        let p = if running.is_empty() {
            Some(next_step(facts, &ctx.history, &policy.ladder, today))
        } else {
            None
        };
        if let Some(p) = &p {
            if best.is_none_or(|b| step_rank(p.step) > step_rank(b)) {
                best = Some(p.step);
            }
        }
        per.push(proposal_dto(v, p, running.clone()));
    }
    let reasons = if case.status != "open" {
        vec!["the case is closed".into()]
    } else if ctx.items.is_empty() {
        vec!["no open violations".into()]
    } else if best.is_none() {
        vec!["every open violation has a running sanction procedure; follow its deadlines".into()]
    } else {
        vec!["the most far-reaching step proposed for the open violations".into()]
    };
    Ok(HttpResponse::Ok().json(NextStepResponse {
        case_id: case.id,
        step: best,
        reasons,
        per_violation: per,
        today,
    }))
}

// =============================================================================================
// Sanctions
// =============================================================================================

/// Occupants an action will displace, and whether replacement housing was arranged
/// (supervision.md: enforcement that ends overcrowding can make occupants homeless).
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DisplacementDto {
    pub occupants_displaced: u32,
    pub replacement_housing_arranged: bool,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WarningTerms {
    /// YYYY-MM-DD, not in the future.
    pub issued_on: String,
    /// Default: issued_on + the policy's remedy term.
    pub remedy_deadline: Option<String>,
    /// Default: the policy's text (must mention a fine and publication).
    pub consequence_text: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FineStart {
    /// Dagtekening of the rapport (Awb 5:48), YYYY-MM-DD, not in the future. The decision is
    /// due 13 weeks later (5:51).
    pub rapport_date: String,
    /// Bedrijfsmatige overtreder (policy cap percentage).
    pub bedrijfsmatig: bool,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PenaltyOrderTerms {
    /// Bekendmaking, YYYY-MM-DD, not in the future.
    pub issued_on: String,
    /// Herstelmaatregelen (Awb 5:32a lid 1), at least one.
    pub remedial_measures: Vec<String>,
    #[schema(value_type = String, example = "end_ongoing_violation")]
    pub purpose: LodPurpose,
    /// Mandatory for ending or preventing further violation (5:32a lid 2).
    pub begunstigingstermijn_days: Option<u32>,
    /// `{"kind": "once"}`, `{"kind": "per_time_unit", "unit": "week"}` or `{"kind": "per_violation"}`.
    #[schema(value_type = Object)]
    pub sum_kind: SumKind,
    pub amount_cents: i64,
    /// Mandatory maximum (5:32b lid 2); may be omitted for a lump sum.
    pub maximum_cents: Option<i64>,
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub period_forfeit_moment: Option<PeriodForfeitMoment>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CoercionTerms {
    pub decided_on: String,
    pub remedy_deadline: String,
    pub measures: Vec<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TakeoverTerms {
    pub decided_on: String,
    pub starts_on: String,
    pub beheerder: String,
    pub planned_end_on: Option<String>,
}

/// Start a sanction for one violation of the case. The step is checked against the ladder:
/// an unlawful step is refused (409, with the reason); another lawful step than the proposed one
/// needs a motivation (422 on `/motivation` without).
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateSanctionRequest {
    pub violation_id: String,
    /// `warning`, `penalty_order`, `administrative_coercion`, `administrative_fine`,
    /// `recidive_fine`, `management_takeover`.
    #[schema(value_type = String, example = "warning")]
    pub step: SanctionStep,
    #[validate(length(max = 4000))]
    pub motivation: Option<String>,
    /// Required for penalty orders, bestuursdwang and management takeover.
    pub displacement: Option<DisplacementDto>,
    pub warning: Option<WarningTerms>,
    pub fine: Option<FineStart>,
    pub penalty_order: Option<PenaltyOrderTerms>,
    pub coercion: Option<CoercionTerms>,
    pub takeover: Option<TakeoverTerms>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct SanctionResponse {
    pub id: String,
    pub case_id: String,
    pub violation_id: String,
    pub landlord_id: String,
    /// `warning`, `administrative_fine`, `penalty_order`, `administrative_coercion`,
    /// `management_takeover`.
    pub kind: String,
    pub rule: String,
    pub violation_date: NaiveDate,
    pub state_name: String,
    /// The procedure's state with its dates.
    #[schema(value_type = Object)]
    pub state: serde_json::Value,
    /// Terms (warning text, penalty order with follow-ups, measures, fine policy data).
    #[schema(value_type = Object)]
    pub terms: serde_json::Value,
    pub allowed_actions: Vec<String>,
    pub deadlines: Vec<Deadline>,
    pub amount_cents: Option<i64>,
    pub proposed_step: String,
    pub motivation: Option<String>,
    pub displacement: Option<DisplacementDto>,
    pub created_at: DateTime<Utc>,
}

fn sanction_response(r: SanctionRow, policy: &EnforcementPolicy) -> Result<SanctionResponse, AppError> {
    let allowed_actions = allowed_actions_of(&r, policy);
    let state: serde_json::Value = from_json_text(&r.state)?;
    Ok(SanctionResponse {
        deadlines: deadlines_of(&r.kind, &state),
        state,
        terms: from_json_text(&r.terms)?,
        allowed_actions,
        violation_date: parse_stored_date(&r.violation_date)?,
        displacement: match (r.occupants_displaced, r.replacement_housing_arranged) {
            (Some(n), Some(a)) => Some(DisplacementDto {
                occupants_displaced: u32::try_from(n).unwrap_or(0),
                replacement_housing_arranged: a,
            }),
            _ => None,
        },
        id: r.id,
        case_id: r.case_id,
        violation_id: r.violation_id,
        landlord_id: r.landlord_id,
        kind: r.kind,
        rule: r.rule,
        state_name: r.state_name,
        amount_cents: r.amount_cents,
        proposed_step: r.proposed_step,
        motivation: r.motivation,
        created_at: r.created_at.and_utc(),
    })
}

fn money(cents: i64, pointer: &str, errs: &mut Vec<FieldError>) -> Option<Money> {
    match Money::from_cents(cents) {
        Ok(m) if cents > 0 => Some(m),
        _ => {
            errs.push(FieldError::new(pointer, "must be a positive amount in cents"));
            None
        }
    }
}

fn lod_error_pointer(e: &LodError) -> &'static str {
    match e {
        LodError::MissingRemedialMeasures => "/penalty_order/remedial_measures",
        LodError::MissingBegunstigingstermijn => "/penalty_order/begunstigingstermijn_days",
        LodError::MissingMaximum | LodError::MaximumBelowAmount => "/penalty_order/maximum_cents",
        LodError::ZeroAmount => "/penalty_order/amount_cents",
        LodError::TooManyPeriods { .. } => "/inspected_on",
    }
}

fn fine_error_pointer(e: &FineError) -> &'static str {
    match e {
        FineError::NoTableForDate { .. } | FineError::PowerLapsed { .. } => "/violation_id",
        FineError::AlreadyFined { .. } => "/violation_id",
        FineError::DecisionBeforeViolation => "/decided_on",
        FineError::RapportAndZienswijzeRequired { .. } => "/action",
        _ => "/amount_cents",
    }
}

/// Notice to the landlord through the outbox (no resident data).
fn notify_landlord(
    c: &mut DbConnection,
    now: chrono::NaiveDateTime,
    landlord_id: &str,
    municipality: &str,
    subject: &str,
    body: &str,
) -> Result<(), AppError> {
    if let Some(to) = q::landlord_email(c, landlord_id)? {
        outbox::enqueue(c, now, NewEmail { municipality_code: Some(municipality), to: &to, subject, body })?;
    }
    Ok(())
}

/// Start a sanction (officers).
#[utoipa::path(
    tag = "enforcement",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Case id")),
    request_body = CreateSanctionRequest,
    responses(
        (status = 201, body = SanctionResponse),
        AuthProblems,
        NotFoundProblem,
        (status = 409, description = "Unlawful step (reason given), case closed, or violation already fined (Awb 5:43)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Missing motivation or terms, bad dates, no fine table for the violation date", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/v1/enforcement-cases/{id}/sanctions")]
pub async fn create_sanction(
    state: web::Data<AppState>,
    auth: Auth<EnforcementOfficer>,
    path: web::Path<String>,
    body: ValidJson<CreateSanctionRequest>,
) -> Result<HttpResponse, AppError> {
    let req = body.0;
    let case_id = path.into_inner();
    let scope = auth.scope();
    let actor = auth.actor();
    let now = state.clock.now_naive();
    let today = state.clock.today_nl();
    let policy = state.config.enforcement_policy.clone();
    let municipality_name = state.config.municipality_name.clone();
    let created_by = auth.id.clone();
    let p2 = policy.clone();
    let row = state
        .db
        .write(move |c| {
            let policy = p2;
            let case = q::find_case(c, &scope, &case_id)?.ok_or_else(|| not_found("enforcement case"))?;
            if case.status != "open" {
                return Err(AppError::Conflict {
                    detail: "the case is closed".into(),
                    allowed_actions: Some(vec![]),
                });
            }
            let ctx = ladder_context(c, &case, &policy, Some(&req.violation_id))?;
            let Some((violation, facts, running)) = ctx.items.into_iter().next() else {
                return Err(AppError::field("/violation_id", "is not an open violation of this case"));
            };
            build_sanction(
                c,
                SanctionInput {
                    req,
                    case,
                    violation,
                    facts,
                    running,
                    history: ctx.history,
                    policy: &policy,
                    today,
                    now,
                    actor: &actor,
                    created_by,
                    municipality_name,
                },
            )
        })
        .await?;
    Ok(HttpResponse::Created().json(sanction_response(row, &policy)?))
}

struct SanctionInput<'a> {
    req: CreateSanctionRequest,
    case: CaseRow,
    violation: ViolationRow,
    facts: CaseFacts,
    running: Vec<String>,
    history: LandlordHistory,
    policy: &'a EnforcementPolicy,
    today: NaiveDate,
    now: chrono::NaiveDateTime,
    actor: &'a Actor,
    created_by: String,
    municipality_name: String,
}

fn build_sanction(c: &mut DbConnection, i: SanctionInput<'_>) -> Result<SanctionRow, AppError> {
    use SanctionStep as S;
    let SanctionInput { req, case, violation, facts, running, history, policy, today, now, actor, .. } = i;
    let step = req.step;
    if matches!(step, S::AwaitRemedyTerm | S::ReferToAutoriteitWoningcorporaties | S::LicenceRevocation) {
        return Err(AppError::field(
            "/step",
            "not a sanction recorded here: licence suspension/revocation goes through the licence routes; \
             a referral or waiting for a remedy term is not a sanction",
        ));
    }
    // The ladder: law first (409), then policy / deviation (motivation, 422).
    let proposal = next_step(&facts, &history, &policy.ladder, today);
    let motivation = req.motivation.as_deref().map(str::trim).filter(|m| !m.is_empty()).map(str::to_string);
    let motivated = motivation.as_ref().is_some_and(|m| m.chars().count() >= 20);
    match check_chosen_step(step, &facts, &history, &policy.ladder, today) {
        Err(e) if e.basis == StepBlock::Law => {
            return Err(AppError::Conflict { detail: format!("unlawful step: {}", e.reason), allowed_actions: None })
        }
        Err(e) if !motivated => {
            return Err(AppError::field(
                "/motivation",
                format!("this step departs from the municipality's policy; give a motivation (at least 20 characters): {}", e.reason),
            ))
        }
        _ => {}
    }
    if step != proposal.step && !motivated {
        return Err(AppError::field(
            "/motivation",
            format!(
                "the ladder proposes {}; choosing {} needs a motivation (at least 20 characters)",
                step_name(proposal.step),
                step_name(step)
            ),
        ));
    }
    let needs_displacement =
        matches!(step, S::PenaltyOrder | S::AdministrativeCoercion | S::ManagementTakeover);
    if needs_displacement && req.displacement.is_none() {
        return Err(AppError::field(
            "/displacement",
            "record how many occupants this step will displace (0 if none) and whether replacement housing was arranged",
        ));
    }
    // One running penalty order / bestuursdwang / takeover per violation (a fine: Awb 5:43 below).
    let same_kind = match step {
        S::PenaltyOrder => Some(KIND_LOD),
        S::AdministrativeCoercion => Some(KIND_COERCION),
        S::ManagementTakeover => Some(KIND_TAKEOVER),
        _ => None,
    };
    if let Some(kind) = same_kind {
        if let Some(r) = running.iter().find(|r| r.starts_with(&format!("{kind} "))) {
            return Err(AppError::Conflict {
                detail: format!("a {kind} for this violation is still running: {r}"),
                allowed_actions: None,
            });
        }
    }
    let rule = facts.key.rule;
    let violation_date = facts.established_on;
    let mut errs = Vec::new();
    let displacement = req.displacement;
    let mut row = SanctionRow {
        id: uuid::Uuid::new_v4().to_string(),
        municipality_code: case.municipality_code.clone(),
        case_id: case.id.clone(),
        violation_id: violation.id.clone(),
        landlord_id: case.landlord_id.clone(),
        kind: String::new(),
        rule: rule.as_str().into(),
        violation_date: date_str(violation_date),
        state_name: String::new(),
        state: String::new(),
        terms: "{}".into(),
        proposed_step: step_name(proposal.step),
        motivation: motivation.clone(),
        amount_cents: None,
        offender_kind: None,
        effective_on: date_str(today),
        next_deadline: None,
        next_deadline_kind: None,
        last_deadline: None,
        last_deadline_kind: None,
        rapport_date: None,
        decision_date: None,
        final_date: None,
        annulled: false,
        occupants_displaced: displacement.map(|d| i32::try_from(d.occupants_displaced).unwrap_or(i32::MAX)),
        replacement_housing_arranged: displacement.map(|d| d.replacement_housing_arranged),
        created_by: Some(i.created_by),
        created_at: now,
        updated_at: now,
    };
    let address =
        address_line(&address_dto(&case.postcode, case.house_number, case.house_number_addition.clone()));
    let (subject, body): (String, String);
    match step {
        S::Warning => {
            let Some(t) = req.warning else {
                return Err(AppError::field("/warning", "is required for a warning"));
            };
            let issued = parse_date(&t.issued_on, "/warning/issued_on", &mut errs);
            let deadline = t
                .remedy_deadline
                .as_deref()
                .and_then(|d| parse_date(d, "/warning/remedy_deadline", &mut errs));
            let Some(issued) = issued else { return Err(AppError::Validation(errs)) };
            not_in_future(issued, today, "/warning/issued_on", &mut errs);
            if issued < violation_date {
                errs.push(FieldError::new("/warning/issued_on", "lies before the violation was established"));
            }
            let mut w = Warning::draft(rule, issued, &policy.warning);
            if let Some(d) = deadline {
                w.remedy_deadline = d;
            }
            if let Some(text) = t.consequence_text {
                w.consequence_text = text;
            }
            let st = match WarningState::issue(&w, &policy.warning) {
                Ok(s) => Some(s),
                Err(es) => {
                    for e in es {
                        errs.push(FieldError::new("/warning", e.to_string()));
                    }
                    None
                }
            };
            let (Some(st), true) = (st, errs.is_empty()) else { return Err(AppError::Validation(errs)) };
            row.kind = KIND_WARNING.into();
            row.effective_on = date_str(issued);
            row.terms = json_text(&w)?;
            set_state(&mut row, st.name(), &st)?;
            subject = "Waarschuwing Wet goed verhuurderschap / Warning".into();
            body = format!(
                "De gemeente {} heeft vastgesteld dat u regel {} van de Wet goed verhuurderschap overtreedt \
                 op het adres {address} (vastgesteld op {violation_date}).\n\nBeëindig de overtreding uiterlijk op {}.\n\n{}\n\n\
                 (English) The municipality established a violation of rule {} at {address}. End it by {}.",
                i.municipality_name, rule, w.remedy_deadline, w.consequence_text, rule, w.remedy_deadline
            );
        }
        S::AdministrativeFine | S::RecidiveFine => {
            let Some(t) = req.fine else { return Err(AppError::field("/fine", "is required for a fine")) };
            let Some(rapport) = parse_date(&t.rapport_date, "/fine/rapport_date", &mut errs) else {
                return Err(AppError::Validation(errs));
            };
            not_in_future(rapport, today, "/fine/rapport_date", &mut errs);
            if rapport < violation_date {
                errs.push(FieldError::new("/fine/rapport_date", "lies before the violation was established"));
            }
            // Awb 5:43: no second fine for the same violation.
            if let Some(existing) = q::live_fine_for_violation(c, &violation.id)? {
                return Err(AppError::Conflict {
                    detail: format!(
                        "this violation is already being fined or was fined (sanction {existing}); Awb 5:43"
                    ),
                    allowed_actions: None,
                });
            }
            // The cap table for the date of the violation must exist (never a silent default).
            if let Err(e) = policy.fines.tables_for(rule).table_for(violation_date) {
                errs.push(FieldError::new("/violation_id", e.to_string()));
            }
            // Awb 5:45: the power to fine lapses 5 years after the violation.
            let lapses = add_years_sat(violation_date, crate::domain::fines::FINE_POWER_LAPSE_YEARS);
            if rapport >= lapses {
                errs.push(FieldError::new(
                    "/violation_id",
                    format!(
                        "the power to fine the violation of {violation_date} lapsed on {lapses} (Awb 5:45)"
                    ),
                ));
            }
            if !errs.is_empty() {
                return Err(AppError::Validation(errs));
            }
            let st = FineState::start(rapport);
            row.kind = KIND_FINE.into();
            row.offender_kind =
                Some(if t.bedrijfsmatig { "bedrijfsmatig" } else { "niet_bedrijfsmatig" }.into());
            row.rapport_date = Some(date_str(rapport));
            row.effective_on = date_str(rapport);
            row.terms =
                serde_json::json!({"bedrijfsmatig": t.bedrijfsmatig, "step": step_name(step)}).to_string();
            set_state(&mut row, st.name(), &st)?;
            // The rapport is sent with the notice of intent (5:50); no notice yet.
            subject = String::new();
            body = String::new();
        }
        S::PenaltyOrder => {
            let Some(t) = req.penalty_order else {
                return Err(AppError::field("/penalty_order", "is required for a penalty order"));
            };
            let issued = parse_date(&t.issued_on, "/penalty_order/issued_on", &mut errs);
            let amount = money(t.amount_cents, "/penalty_order/amount_cents", &mut errs);
            let maximum = t.maximum_cents.and_then(|m| money(m, "/penalty_order/maximum_cents", &mut errs));
            let (Some(issued), Some(amount)) = (issued, amount) else {
                return Err(AppError::Validation(errs));
            };
            not_in_future(issued, today, "/penalty_order/issued_on", &mut errs);
            let order = PenaltyOrder {
                rule,
                remedial_measures: t.remedial_measures.iter().map(|m| m.trim().to_string()).collect(),
                purpose: t.purpose,
                issued_on: issued,
                begunstigingstermijn_days: t.begunstigingstermijn_days,
                sum_kind: t.sum_kind,
                amount,
                maximum,
                period_forfeit_moment: t.period_forfeit_moment.unwrap_or_default(),
            };
            let st = match LodState::start(&order) {
                Ok(s) => Some(s),
                Err(es) => {
                    for e in es {
                        errs.push(FieldError::new(lod_error_pointer(&e), e.to_string()));
                    }
                    None
                }
            };
            let (Some(st), true) = (st, errs.is_empty()) else { return Err(AppError::Validation(errs)) };
            row.kind = KIND_LOD.into();
            row.amount_cents = Some(amount.cents());
            row.effective_on = date_str(issued);
            row.terms = json_text(&serde_json::json!({"order": order, "follow_ups": []}))?;
            set_state(&mut row, st.name(), &st)?;
            subject = "Last onder dwangsom / Penalty order".into();
            body = format!(
                "De gemeente {} legt u een last onder dwangsom op voor het adres {address} (regel {rule}).\n\
                 Maatregelen: {}.\nBegunstigingstermijn tot en met: {}.\nDwangsom: {} ({:?}), maximaal {}.\n\n\
                 (English) A penalty order was imposed for {address}. Comply by {}.",
                i.municipality_name,
                order.remedial_measures.join("; "),
                order.compliance_deadline().map(|d| d.to_string()).unwrap_or_else(|| "-".into()),
                order.amount,
                order.sum_kind,
                order.effective_maximum(),
                order.compliance_deadline().map(|d| d.to_string()).unwrap_or_else(|| "-".into()),
            );
        }
        S::AdministrativeCoercion => {
            let Some(t) = req.coercion else {
                return Err(AppError::field("/coercion", "is required for bestuursdwang"));
            };
            let decided = parse_date(&t.decided_on, "/coercion/decided_on", &mut errs);
            let deadline = parse_date(&t.remedy_deadline, "/coercion/remedy_deadline", &mut errs);
            if t.measures.iter().all(|m| m.trim().is_empty()) {
                errs.push(FieldError::new("/coercion/measures", "describe at least one measure (Awb 5:24)"));
            }
            let (Some(decided), Some(deadline)) = (decided, deadline) else {
                return Err(AppError::Validation(errs));
            };
            not_in_future(decided, today, "/coercion/decided_on", &mut errs);
            if deadline < decided {
                errs.push(FieldError::new("/coercion/remedy_deadline", "lies before the decision"));
            }
            if !errs.is_empty() {
                return Err(AppError::Validation(errs));
            }
            let st = CoercionState::Decided { decided_on: decided, remedy_deadline: deadline };
            row.kind = KIND_COERCION.into();
            row.effective_on = date_str(decided);
            row.terms = json_text(&serde_json::json!({"measures": t.measures}))?;
            set_state(&mut row, st.name(), &st)?;
            subject = "Last onder bestuursdwang / Administrative enforcement order".into();
            body = format!(
                "De gemeente {} legt u een last onder bestuursdwang op voor het adres {address} (regel {rule}). \
                 Termijn: tot en met {deadline}.\n\n(English) An administrative enforcement order was imposed for \
                 {address}; comply by {deadline}.",
                i.municipality_name
            );
        }
        S::ManagementTakeover => {
            let Some(t) = req.takeover else {
                return Err(AppError::field("/takeover", "is required for a management takeover"));
            };
            let decided = parse_date(&t.decided_on, "/takeover/decided_on", &mut errs);
            let starts = parse_date(&t.starts_on, "/takeover/starts_on", &mut errs);
            let end = t
                .planned_end_on
                .as_deref()
                .and_then(|d| parse_date(d, "/takeover/planned_end_on", &mut errs));
            if t.beheerder.trim().is_empty() {
                errs.push(FieldError::new(
                    "/takeover/beheerder",
                    "name the beheerder (B&W or a designated party)",
                ));
            }
            let (Some(decided), Some(starts)) = (decided, starts) else {
                return Err(AppError::Validation(errs));
            };
            not_in_future(decided, today, "/takeover/decided_on", &mut errs);
            if starts < decided || end.is_some_and(|e| e <= starts) {
                errs.push(FieldError::new("/takeover/starts_on", "dates must run decided ≤ start < end"));
            }
            if !errs.is_empty() {
                return Err(AppError::Validation(errs));
            }
            let st = TakeoverState {
                grounds: takeover_grounds(&facts, &history, &policy.ladder.takeover),
                decided_on: decided,
                starts_on: starts,
                beheerder: t.beheerder.trim().to_string(),
                planned_end_on: end,
                published_on: None,
                ended_on: None,
            };
            row.kind = KIND_TAKEOVER.into();
            row.effective_on = date_str(decided);
            set_state(&mut row, st.name(), &st)?;
            subject = "Beheerovername / Management takeover".into();
            body = format!(
                "De gemeente {} neemt het beheer over van de woonruimte op het adres {address} met ingang van {starts}.\n\n\
                 (English) The municipality takes over the management of {address} from {starts}.",
                i.municipality_name
            );
        }
        S::AwaitRemedyTerm | S::ReferToAutoriteitWoningcorporaties | S::LicenceRevocation => {
            return Err(AppError::field("/step", "not a sanction recorded here"));
        }
    }
    q::insert_sanction(c, &row)?;
    q::set_case_stage(c, &case.id, &row.kind, now)?;
    audit::record(
        c,
        now,
        actor,
        Change {
            municipality_code: Some(&row.municipality_code),
            entity_type: "sanction",
            entity_id: &row.id,
            action: "create",
            before: None,
            after: Some(
                serde_json::json!({"kind": row.kind, "state": row.state_name, "violation_id": row.violation_id,
                "proposed_step": row.proposed_step, "chosen_step": step_name(step),
                "occupants_displaced": row.occupants_displaced,
                "replacement_housing_arranged": row.replacement_housing_arranged}),
            ),
            reason: motivation.as_deref(),
        },
    )?;
    if !subject.is_empty() {
        notify_landlord(c, now, &row.landlord_id, &row.municipality_code, &subject, &body)?;
    }
    Ok(row)
}

/// One sanction (officers, managers).
#[utoipa::path(
    tag = "enforcement",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Sanction id")),
    responses(
        (status = 200, body = SanctionResponse),
        AuthProblems,
        NotFoundProblem
    )
)]
#[get("/v1/sanctions/{id}")]
pub async fn get_sanction(
    state: web::Data<AppState>,
    auth: Auth<EnforcementRead>,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let scope = auth.scope();
    let row = state
        .db
        .read(move |c| q::find_sanction(c, &scope, &id))
        .await?
        .ok_or_else(|| not_found("sanction"))?;
    Ok(HttpResponse::Ok().json(sanction_response(row, &state.config.enforcement_policy)?))
}

/// One step of a sanction procedure. Dates are the dates the law counts with; none may lie in
/// the future.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case", tag = "action", deny_unknown_fields)]
pub enum SanctionActionRequest {
    // Administrative fine
    /// Notice of intent + invitation to give a zienswijze (rapport enclosed; Awb 5:50, 5:53).
    SendIntent {
        on: String,
    },
    ReceiveZienswijze {
        on: String,
    },
    /// The fine decision; the amount is validated against the cap for the violation date.
    Decide {
        decided_on: String,
        notified_on: String,
        amount_cents: i64,
    },
    LodgeObjection {
        on: String,
    },
    BecomeFinal {
        on: String,
    },
    Annul {
        on: String,
    },
    /// Publication (fine or takeover). For a fine, `expires_on` (YYYY-MM-DD) ends it; without it
    /// the policy's `fine_procedure.publication_months` does, and without either it is 422.
    Publish {
        on: String,
        expires_on: Option<String>,
    },
    Drop {
        on: String,
        #[schema(value_type = String, example = "not_blameworthy")]
        reason: DropReason,
    },
    // Penalty order
    /// A follow-up inspection: compliance or non-compliance; forfeitures are computed per the
    /// order up to its maximum.
    RecordFollowUp {
        inspected_on: String,
        compliant: bool,
        non_compliant_since: Option<String>,
        #[serde(default)]
        violations_found: u32,
    },
    /// Beschikking omtrent invordering (Awb 5:37), required before any reminder. Covers every
    /// forfeited sum without a decision whose collection power has not lapsed.
    DecideCollection {
        on: String,
    },
    /// Records that the power to collect undecided sums lapsed (Awb 5:35), so that they leave
    /// the list of open work.
    RecordLapse {
        on: String,
    },
    SendReminder {
        on: String,
    },
    RecordPayment {
        on: String,
    },
    Lift {
        on: String,
        #[schema(value_type = String, example = "one_year_without_forfeiture")]
        ground: LiftGround,
    },
    // Warning
    VerifyRemedied {
        on: String,
    },
    EstablishNotRemedied {
        on: String,
    },
    Withdraw {
        on: String,
    },
    // Bestuursdwang
    VerifyCompliance {
        on: String,
    },
    Execute {
        on: String,
    },
    // Takeover
    EndTakeover {
        on: String,
    },
}

impl SanctionActionRequest {
    fn name(&self) -> &'static str {
        use SanctionActionRequest as A;
        match self {
            A::SendIntent { .. } => "send_intent",
            A::ReceiveZienswijze { .. } => "receive_zienswijze",
            A::Decide { .. } => "decide",
            A::LodgeObjection { .. } => "lodge_objection",
            A::BecomeFinal { .. } => "become_final",
            A::Annul { .. } => "annul",
            A::Publish { .. } => "publish",
            A::Drop { .. } => "drop",
            A::RecordFollowUp { .. } => "record_follow_up",
            A::DecideCollection { .. } => "decide_collection",
            A::RecordLapse { .. } => "record_lapse",
            A::SendReminder { .. } => "send_reminder",
            A::RecordPayment { .. } => "record_payment",
            A::Lift { .. } => "lift",
            A::VerifyRemedied { .. } => "verify_remedied",
            A::EstablishNotRemedied { .. } => "establish_not_remedied",
            A::Withdraw { .. } => "withdraw",
            A::VerifyCompliance { .. } => "verify_compliance",
            A::Execute { .. } => "execute",
            A::EndTakeover { .. } => "end_takeover",
        }
    }

    /// The action's main date and its pointer.
    fn main_date(&self) -> (&str, &'static str) {
        use SanctionActionRequest as A;
        match self {
            A::Decide { decided_on, .. } => (decided_on, "/decided_on"),
            A::RecordFollowUp { inspected_on, .. } => (inspected_on, "/inspected_on"),
            A::SendIntent { on }
            | A::ReceiveZienswijze { on }
            | A::LodgeObjection { on }
            | A::BecomeFinal { on }
            | A::Annul { on }
            | A::Publish { on, .. }
            | A::Drop { on, .. }
            | A::DecideCollection { on }
            | A::RecordLapse { on }
            | A::SendReminder { on }
            | A::RecordPayment { on }
            | A::Lift { on, .. }
            | A::VerifyRemedied { on }
            | A::EstablishNotRemedied { on }
            | A::Withdraw { on }
            | A::VerifyCompliance { on }
            | A::Execute { on }
            | A::EndTakeover { on } => (on, "/on"),
        }
    }
}

impl Validate for SanctionActionRequest {
    fn validate(&self) -> Result<(), validator::ValidationErrors> {
        Ok(())
    }
}

fn procedure_error(e: ProcedureError, main_pointer: &'static str) -> AppError {
    match e {
        ProcedureError::IllegalTransition(t) => AppError::Conflict {
            detail: t.to_string(),
            allowed_actions: Some(t.allowed.iter().map(|s| (*s).to_string()).collect()),
        },
        ProcedureError::DateTooEarly { field, .. } | ProcedureError::DateTooLate { field, .. } => {
            let pointer = match field {
                "decided_on" => "/decided_on",
                "notified_on" => "/notified_on",
                "expires_on" => "/expires_on",
                _ => main_pointer,
            };
            AppError::field(pointer, e.to_string())
        }
        ProcedureError::ZeroAmount | ProcedureError::AboveMaximum { .. } => {
            AppError::field("/amount_cents", e.to_string())
        }
        ProcedureError::PublicationExpiryRequired => AppError::field("/expires_on", e.to_string()),
        other => AppError::field(main_pointer, other.to_string()),
    }
}

fn illegal(kind: &str, from: &str, action: &str, allowed: Vec<String>) -> AppError {
    AppError::Conflict {
        detail: format!("{kind}: action '{action}' is not allowed in state '{from}' (allowed: {allowed:?})"),
        allowed_actions: Some(allowed),
    }
}

/// Perform a step of a sanction procedure (officers). The body's `action` names the step; an
/// action the current state does not allow is 409 with `allowed_actions`.
#[utoipa::path(
    tag = "enforcement",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Sanction id")),
    request_body = SanctionActionRequest,
    responses(
        (status = 200, body = SanctionResponse),
        AuthProblems,
        NotFoundProblem,
        (status = 409, description = "Not allowed in the current state", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Bad dates or amount (e.g. above the cap for the violation date)", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/v1/sanctions/{id}/actions")]
pub async fn sanction_action(
    state: web::Data<AppState>,
    auth: Auth<EnforcementOfficer>,
    path: web::Path<String>,
    body: ValidJson<SanctionActionRequest>,
) -> Result<HttpResponse, AppError> {
    let action = body.0;
    let today = state.clock.today_nl();
    let mut errs = Vec::new();
    let (raw, pointer) = action.main_date();
    let on = parse_date(raw, pointer, &mut errs);
    if let Some(d) = on {
        not_in_future(d, today, pointer, &mut errs);
    }
    let (Some(on), true) = (on, errs.is_empty()) else { return Err(AppError::Validation(errs)) };
    let id = path.into_inner();
    let scope = auth.scope();
    let actor = auth.actor();
    let now = state.clock.now_naive();
    let policy = state.config.enforcement_policy.clone();
    let p2 = policy.clone();
    let municipality_name = state.config.municipality_name.clone();
    let row = state
        .db
        .write(move |c| {
            let row = q::find_sanction(c, &scope, &id)?.ok_or_else(|| not_found("sanction"))?;
            apply_action(c, row, action, on, today, now, &p2, &actor, &municipality_name)
        })
        .await?;
    Ok(HttpResponse::Ok().json(sanction_response(row, &policy)?))
}

#[allow(clippy::too_many_arguments)]
fn apply_action(
    c: &mut DbConnection,
    mut row: SanctionRow,
    action: SanctionActionRequest,
    on: NaiveDate,
    today: NaiveDate,
    now: chrono::NaiveDateTime,
    policy: &EnforcementPolicy,
    actor: &Actor,
    municipality_name: &str,
) -> Result<SanctionRow, AppError> {
    use SanctionActionRequest as A;
    let before_state = row.state_name.clone();
    let action_name = action.name();
    let (_, pointer) = action.main_date();
    let cal = atw();
    let mut notice: Option<(String, String)> = None;
    let allowed = allowed_actions_of(&row, policy);
    match row.kind.as_str() {
        KIND_FINE => {
            let st: FineState = from_json_text(&row.state)?;
            let domain_action = match &action {
                A::SendIntent { .. } => FineAction::SendIntent { on },
                A::ReceiveZienswijze { .. } => FineAction::ReceiveZienswijze { on },
                A::Decide { notified_on, amount_cents, .. } => {
                    let mut errs = Vec::new();
                    let notified = parse_date(notified_on, "/notified_on", &mut errs);
                    let amount = money(*amount_cents, "/amount_cents", &mut errs);
                    if let Some(n) = notified {
                        not_in_future(n, today, "/notified_on", &mut errs);
                    }
                    let (Some(notified), Some(amount), true) = (notified, amount, errs.is_empty()) else {
                        return Err(AppError::Validation(errs));
                    };
                    // Validate the amount against the cap for the violation date, recidive, the
                    // bedrijfsmatig policy, 5:43 and 5:45 — before the state machine.
                    if st.name() == "rapport" || st.name() == "intent_sent" {
                        let intent = match &st {
                            FineState::IntentSent { intent_sent_on, .. } => Some(*intent_sent_on),
                            _ => None,
                        };
                        // Prior fines (this one has no decision yet, so it is not among them).
                        let prior = landlord_prior_fines(
                            c,
                            &row.landlord_id,
                            policy,
                            parse_stored_date(&row.violation_date)?,
                        )?;
                        let proposal = ProposedFine {
                            violation_id: row.violation_id.clone(),
                            rule: rule_of(&row.rule)?,
                            violation_date: parse_stored_date(&row.violation_date)?,
                            amount,
                            offender_kind: if row.offender_kind.as_deref() == Some("bedrijfsmatig") {
                                OffenderKind::Bedrijfsmatig
                            } else {
                                OffenderKind::NietBedrijfsmatig
                            },
                            rapport_date: row.rapport_date.as_deref().map(parse_stored_date).transpose()?,
                            zienswijze_invited_on: intent,
                            decision_date: on,
                        };
                        match validate_fine(&proposal, &prior, &policy.fines) {
                            Ok(assessment) => {
                                let mut terms: serde_json::Value = from_json_text(&row.terms)?;
                                terms["assessment"] = serde_json::to_value(&assessment).unwrap_or_default();
                                row.terms = terms.to_string();
                            }
                            Err(rejected) => {
                                // 5:53 without intent is the state machine's business (422 below).
                                let errs: Vec<FieldError> = rejected
                                    .errors
                                    .iter()
                                    .filter(|e| !matches!(e, FineError::RapportAndZienswijzeRequired { .. }))
                                    .map(|e| FieldError::new(fine_error_pointer(e), e.to_string()))
                                    .collect();
                                if !errs.is_empty() {
                                    return Err(AppError::Validation(errs));
                                }
                            }
                        }
                    }
                    FineAction::Decide { decided_on: on, notified_on: notified, amount }
                }
                A::LodgeObjection { .. } => FineAction::LodgeObjection { on },
                A::BecomeFinal { .. } => FineAction::BecomeFinal { on },
                A::Annul { .. } => FineAction::Annul { on },
                A::Publish { expires_on, .. } => {
                    let mut errs = Vec::new();
                    let expires = expires_on.as_deref().and_then(|d| parse_date(d, "/expires_on", &mut errs));
                    if !errs.is_empty() {
                        return Err(AppError::Validation(errs));
                    }
                    FineAction::Publish { on, expires_on: expires }
                }
                A::Drop { reason, .. } => FineAction::Drop { on, reason: *reason },
                _ => return Err(illegal(&row.kind, &row.state_name, action_name, allowed)),
            };
            let next = st
                .apply(&domain_action, &policy.fine_procedure, &cal)
                .map_err(|e| procedure_error(e, pointer))?;
            match &next {
                FineState::IntentSent { zienswijze_due, zienswijze_received_on: None, .. }
                    if st.name() == "rapport" =>
                {
                    notice = Some((
                        "Voornemen bestuurlijke boete / Notice of intent to fine".into(),
                        format!(
                            "De gemeente {municipality_name} is voornemens u een bestuurlijke boete op te leggen \
                             voor de overtreding van regel {} (vastgesteld op {}). Het rapport is bijgevoegd. \
                             U kunt tot en met {zienswijze_due} uw zienswijze geven, mondeling of schriftelijk.\n\n\
                             (English) The municipality intends to impose an administrative fine. You may give your \
                             view until {zienswijze_due}.",
                            row.rule, row.violation_date
                        ),
                    ));
                }
                FineState::Decided { decision, .. } => {
                    row.amount_cents = Some(decision.amount.cents());
                    row.decision_date = Some(date_str(decision.decided_on));
                    notice = Some((
                        "Besluit bestuurlijke boete / Fine decision".into(),
                        format!(
                            "De gemeente {municipality_name} legt u een bestuurlijke boete op van {} voor de \
                             overtreding van regel {}. Betalen uiterlijk op {}. Bezwaar kan tot en met {}.\n\n\
                             (English) An administrative fine of {} was imposed. Pay by {}; objection until {}.",
                            decision.amount,
                            row.rule,
                            decision.payment_due,
                            decision.objection_ends,
                            decision.amount,
                            decision.payment_due,
                            decision.objection_ends
                        ),
                    ));
                }
                FineState::Final { final_on, .. } => row.final_date = Some(date_str(*final_on)),
                FineState::Published { final_on: Some(f), .. } => row.final_date = Some(date_str(*f)),
                FineState::Annulled { .. } => row.annulled = true,
                _ => {}
            }
            set_state(&mut row, next.name(), &next)?;
        }
        KIND_LOD => {
            let st: LodState = from_json_text(&row.state)?;
            let mut terms: LodTerms = from_json_text(&row.terms)?;
            let next = match &action {
                A::RecordFollowUp { compliant, non_compliant_since, violations_found, .. } => {
                    let mut errs = Vec::new();
                    let since = non_compliant_since
                        .as_deref()
                        .and_then(|d| parse_date(d, "/non_compliant_since", &mut errs));
                    if !errs.is_empty() {
                        return Err(AppError::Validation(errs));
                    }
                    if !st.can_forfeit() {
                        return Err(illegal(&row.kind, &row.state_name, action_name, allowed));
                    }
                    if on < terms.order.issued_on {
                        return Err(AppError::field(
                            "/inspected_on",
                            "lies before the penalty order was issued",
                        ));
                    }
                    // Follow-ups are recorded in date order, so that the forfeitures computed
                    // from them only ever grow at the end.
                    if let Some(last) = terms.follow_ups.iter().map(|f| f.inspected_on).max() {
                        if on < last {
                            return Err(AppError::field(
                                "/inspected_on",
                                format!("lies before the last recorded follow-up inspection ({last})"),
                            ));
                        }
                    }
                    terms.follow_ups.push(FollowUpInspection {
                        inspected_on: on,
                        compliant: *compliant,
                        non_compliant_since: since,
                        violations_found: *violations_found,
                    });
                    let statement =
                        compute_forfeitures(&terms.order, &terms.follow_ups, &cal).map_err(|es| {
                            AppError::Validation(
                                es.iter()
                                    .map(|e| FieldError::new(lod_error_pointer(e), e.to_string()))
                                    .collect(),
                            )
                        })?;
                    let already = st.forfeitures.len();
                    let mut next = st.clone();
                    let mut new_sum = Money::ZERO;
                    for f in statement.forfeitures.iter().skip(already) {
                        next = next
                            .apply(&LodAction::RecordForfeiture { forfeiture: f.clone() })
                            .map_err(|e| procedure_error(e, "/inspected_on"))?;
                        new_sum = new_sum.saturating_add(f.amount);
                    }
                    if *compliant && next.can_forfeit() {
                        next = next
                            .apply(&LodAction::VerifyCompliance { on })
                            .map_err(|e| procedure_error(e, "/inspected_on"))?;
                    }
                    if new_sum.cents() > 0 {
                        let payable = statement.forfeitures.get(already).map(|f| f.payable_by);
                        notice = Some((
                            "Verbeurde dwangsom / Penalty forfeited".into(),
                            format!(
                                "Bij de controle op {on} is vastgesteld dat u de last onder dwangsom (regel {}) niet \
                                 hebt nageleefd. Van rechtswege verbeurd: {new_sum} (totaal {} van maximaal {}). \
                                 Te betalen uiterlijk op {}.\n\n(English) A penalty of {new_sum} was forfeited; \
                                 payable by {}.",
                                row.rule,
                                statement.total,
                                statement.maximum,
                                payable.map(|d| d.to_string()).unwrap_or_default(),
                                payable.map(|d| d.to_string()).unwrap_or_default()
                            ),
                        ));
                    }
                    row.terms = json_text(&terms)?;
                    next
                }
                A::DecideCollection { .. } => {
                    let next = st
                        .apply(&LodAction::DecideCollection { on })
                        .map_err(|e| procedure_error(e, pointer))?;
                    // The sums this decision covers (earlier decisions stand on their own).
                    let decided = next.newly_marked(&st, |f| f.collection_decided_on.is_some());
                    notice = Some((
                        "Invorderingsbeschikking dwangsom / Collection decision".into(),
                        format!(
                            "De gemeente {municipality_name} heeft besloten de verbeurde dwangsom(men) (regel {}) in \
                             te vorderen: {decided}.\n\n(English) The municipality decided to collect the forfeited \
                             penalty: {decided}.",
                            row.rule,
                        ),
                    ));
                    next
                }
                A::RecordLapse { .. } => {
                    st.apply(&LodAction::RecordLapse { on }).map_err(|e| procedure_error(e, pointer))?
                }
                A::SendReminder { .. } => {
                    let next =
                        st.apply(&LodAction::SendReminder { on }).map_err(|e| procedure_error(e, pointer))?;
                    // Awb 4:112: the aanmaning gives two weeks to pay.
                    let reminded = next.newly_marked(&st, |f| f.reminder_on.is_some());
                    notice = Some((
                        "Aanmaning verbeurde dwangsom / Payment reminder".into(),
                        format!(
                            "Aanmaning: de verbeurde dwangsom(men) (regel {}) van {reminded} zijn niet betaald. \
                             Betaal binnen twee weken.\n\n(English) Reminder: the forfeited penalty of \
                             {reminded} has not been paid. Please pay within two weeks.",
                            row.rule,
                        ),
                    ));
                    next
                }
                A::RecordPayment { .. } => {
                    st.apply(&LodAction::RecordPayment { on }).map_err(|e| procedure_error(e, pointer))?
                }
                A::Lift { ground, .. } => st
                    .apply(&LodAction::Lift { on, ground: *ground })
                    .map_err(|e| procedure_error(e, pointer))?,
                _ => return Err(illegal(&row.kind, &row.state_name, action_name, allowed)),
            };
            set_state(&mut row, next.name(), &next)?;
        }
        KIND_WARNING => {
            let st: WarningState = from_json_text(&row.state)?;
            let a = match &action {
                A::VerifyRemedied { .. } => WarningAction::VerifyRemedied { on },
                A::EstablishNotRemedied { .. } => WarningAction::EstablishNotRemedied { on },
                A::Withdraw { .. } => WarningAction::Withdraw { on },
                _ => return Err(illegal(&row.kind, &row.state_name, action_name, allowed)),
            };
            let next = st.apply(&a).map_err(|e| procedure_error(e, pointer))?;
            set_state(&mut row, next.name(), &next)?;
        }
        KIND_COERCION => {
            let st: CoercionState = from_json_text(&row.state)?;
            let CoercionState::Decided { decided_on, .. } = st else {
                return Err(illegal(&row.kind, &row.state_name, action_name, allowed));
            };
            if on < decided_on {
                return Err(AppError::field(pointer, "lies before the decision"));
            }
            let next = match &action {
                A::VerifyCompliance { .. } => CoercionState::Complied { decided_on, complied_on: on },
                A::Execute { .. } => CoercionState::Executed { decided_on, executed_on: on },
                A::Withdraw { .. } => CoercionState::Withdrawn { decided_on, withdrawn_on: on },
                _ => return Err(illegal(&row.kind, &row.state_name, action_name, allowed)),
            };
            set_state(&mut row, next.name(), &next)?;
        }
        KIND_TAKEOVER => {
            let mut st: TakeoverState = from_json_text(&row.state)?;
            match &action {
                A::Publish { expires_on: Some(_), .. } => {
                    return Err(AppError::field(
                        "/expires_on",
                        "a management takeover's publication ends with the takeover",
                    ))
                }
                A::Publish { .. } if st.published_on.is_none() && st.ended_on.is_none() => {
                    if on < st.decided_on {
                        return Err(AppError::field(pointer, "lies before the decision"));
                    }
                    st.published_on = Some(on);
                }
                A::EndTakeover { .. } if st.ended_on.is_none() => {
                    if on < st.starts_on {
                        return Err(AppError::field(pointer, "lies before the start of the takeover"));
                    }
                    st.ended_on = Some(on);
                }
                _ => return Err(illegal(&row.kind, &row.state_name, action_name, allowed)),
            }
            set_state(&mut row, st.name(), &st)?;
        }
        _ => return Err(illegal(&row.kind, &row.state_name, action_name, allowed)),
    }
    row.updated_at = now;
    q::update_sanction(c, &row)?;
    audit::record(
        c,
        now,
        actor,
        Change {
            municipality_code: Some(&row.municipality_code),
            entity_type: "sanction",
            entity_id: &row.id,
            action: action_name,
            before: Some(serde_json::json!({"state": before_state})),
            after: Some(serde_json::json!({"state": row.state_name, "on": date_str(on),
                "amount_cents": row.amount_cents, "next_deadline": row.next_deadline})),
            reason: None,
        },
    )?;
    if let Some((subject, body)) = notice {
        notify_landlord(c, now, &row.landlord_id, &row.municipality_code, &subject, &body)?;
    }
    Ok(row)
}

// =============================================================================================
// Views: landlord history, dashboard, landlord's own sanctions, policy
// =============================================================================================

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct CountBy {
    pub key: String,
    pub count: i64,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct RecidiveStatus {
    /// A new general-rule violation established today would be recidive.
    pub recidive_now: bool,
    pub reason: String,
    /// The qualifying prior fine's anchor date.
    pub anchor_date: Option<NaiveDate>,
    /// Until when (exclusive) a new violation counts as recidive.
    pub window_ends_on: Option<NaiveDate>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct PriorEnforcement {
    /// A penalty order, fine, bestuursdwang or takeover within the period (feeds the licence
    /// refusal-ground flag, scenario 7; the decision stays discretionary).
    pub present: bool,
    pub years: u32,
    pub since: NaiveDate,
    pub count: i64,
    pub latest_on: Option<NaiveDate>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct LicenceSummary {
    pub id: String,
    pub number: String,
    pub property_id: String,
    pub kind: String,
    /// `active`, `suspended`, `revoked`.
    pub state: String,
    pub valid_from: NaiveDate,
    pub valid_until: Option<NaiveDate>,
}

/// A sanction in an overview; the full procedure is at `GET /v1/sanctions/{id}`.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct SanctionSummary {
    pub id: String,
    pub municipality_code: String,
    pub case_id: String,
    pub violation_id: String,
    /// `warning`, `administrative_fine`, `penalty_order`, `administrative_coercion`,
    /// `management_takeover`.
    pub kind: String,
    pub rule: String,
    pub violation_date: NaiveDate,
    pub state_name: String,
    /// Fine amount once decided.
    pub amount_cents: Option<i64>,
    /// The date the sanction took effect (issued, decided, rapport).
    pub effective_on: NaiveDate,
    pub decision_date: Option<NaiveDate>,
    pub final_date: Option<NaiveDate>,
    pub annulled: bool,
    /// The next running deadline, if any.
    pub next_deadline: Option<Deadline>,
    pub created_at: DateTime<Utc>,
}

fn sanction_summary(b: q::SanctionBrief) -> Result<SanctionSummary, AppError> {
    let opt_date = |d: Option<String>| d.as_deref().map(parse_stored_date).transpose();
    Ok(SanctionSummary {
        violation_date: parse_stored_date(&b.violation_date)?,
        effective_on: parse_stored_date(&b.effective_on)?,
        decision_date: opt_date(b.decision_date)?,
        final_date: opt_date(b.final_date)?,
        next_deadline: match (b.next_deadline_kind, b.next_deadline) {
            (Some(kind), Some(d)) => Some(Deadline { kind, due_on: parse_stored_date(&d)? }),
            _ => None,
        },
        id: b.id,
        municipality_code: b.municipality_code,
        case_id: b.case_id,
        violation_id: b.violation_id,
        kind: b.kind,
        rule: b.rule,
        state_name: b.state_name,
        amount_cents: b.amount_cents,
        annulled: b.annulled,
        created_at: b.created_at.and_utc(),
    })
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct HistoryResponse {
    pub landlord_id: String,
    /// Licences of the landlord (newest first, at most 200).
    pub licences: Vec<LicenceSummary>,
    pub violations_total: i64,
    pub violations_by_status: Vec<CountBy>,
    pub violations_by_rule: Vec<CountBy>,
    pub addresses_with_cases: i64,
    pub cases_by_status: Vec<CountBy>,
    /// Fines decided (or final) within the recidive window, newest first (at most 50).
    pub fines: Vec<SanctionSummary>,
    /// Number of fines decided (or final) within the recidive window.
    pub fines_in_window: i64,
    /// The 50 most recent sanctions (all kinds).
    pub recent_sanctions: Vec<SanctionSummary>,
    pub recidive: RecidiveStatus,
    pub prior_enforcement: PriorEnforcement,
    pub today: NaiveDate,
}

/// The landlord's enforcement history (officers, managers): violations, sanctions, recidive
/// status and window end, prior enforcement within 8 years. Aggregated queries only.
#[utoipa::path(
    tag = "enforcement",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Landlord id")),
    responses(
        (status = 200, body = HistoryResponse),
        AuthProblems,
        NotFoundProblem
    )
)]
#[get("/v1/landlords/{id}/history")]
pub async fn landlord_history_view(
    state: web::Data<AppState>,
    auth: Auth<EnforcementRead>,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let landlord_id = id.clone();
    let scope = auth.scope();
    let policy = state.config.enforcement_policy.clone();
    let today = state.clock.today_nl();
    let since = sub_years_sat(today, policy.prior_enforcement_years);
    let since_s = date_str(since);
    let window_start = sub_years_sat(today, policy.fines.recidive.window_years);
    let p2 = policy.clone();
    #[allow(clippy::type_complexity)]
    let (by_status, by_rule, cases, addresses, fines, prior_fines, recent, prior, licences) = state
        .db
        .read(move |c| {
            if !q::landlord_exists(c, &id)? {
                return Err(not_found("landlord"));
            }
            let (by_status, by_rule) = q::landlord_violation_counts(c, &scope, &id)?;
            let cases = q::landlord_case_counts(c, &scope, &id)?;
            let addresses = q::landlord_address_count(c, &scope, &id)?;
            let fines = q::landlord_recent_fines(c, &scope, &id, &date_str(window_start), 50)?;
            let prior_fines = landlord_prior_fines(c, &id, &p2, today)?;
            let recent = q::landlord_recent_sanctions(c, &scope, &id, 50)?;
            let prior = q::prior_enforcement(c, &id, &since_s)?;
            let licences = q::landlord_licences(c, &scope, &id)?;
            Ok((by_status, by_rule, cases, addresses, fines, prior_fines, recent, prior, licences))
        })
        .await?;
    // Recidive status for a general rule established today.
    let rule = RuleCode::Gr00;
    let finding = determine_recidive(rule, today, &prior_fines, &policy.fines.recidive);
    let window_ends_on =
        finding.qualifying_anchor_date.map(|a| add_years_sat(a, policy.fines.recidive.window_years));
    let (prior_count, prior_latest) = prior;
    let window_start_for_count = window_start;
    let fines_in_window = i64::try_from(
        prior_fines
            .iter()
            .filter(|f| {
                !f.annulled
                    && (f.decision_date >= window_start_for_count
                        || f.final_date.is_some_and(|d| d >= window_start_for_count))
            })
            .count(),
    )
    .unwrap_or(i64::MAX);
    let latest_on = prior_latest.as_deref().map(parse_stored_date).transpose()?;
    let to_counts =
        |v: Vec<(String, i64)>| v.into_iter().map(|(key, count)| CountBy { key, count }).collect::<Vec<_>>();
    Ok(HttpResponse::Ok().json(HistoryResponse {
        landlord_id,
        licences: licences
            .into_iter()
            .map(|l| LicenceSummary {
                id: l.id,
                number: l.number,
                property_id: l.property_id,
                kind: l.kind,
                state: l.state,
                valid_from: l.valid_from,
                valid_until: l.valid_until,
            })
            .collect(),
        violations_total: by_status.iter().map(|(_, n)| n).sum(),
        violations_by_status: to_counts(by_status),
        violations_by_rule: to_counts(by_rule),
        addresses_with_cases: addresses,
        cases_by_status: to_counts(cases),
        fines: fines.into_iter().map(sanction_summary).collect::<Result<Vec<_>, _>>()?,
        fines_in_window,
        recent_sanctions: recent.into_iter().map(sanction_summary).collect::<Result<Vec<_>, _>>()?,
        recidive: RecidiveStatus {
            recidive_now: finding.is_recidive,
            reason: finding.reason,
            anchor_date: finding.qualifying_anchor_date,
            window_ends_on,
        },
        prior_enforcement: PriorEnforcement {
            present: prior_count > 0,
            years: policy.prior_enforcement_years,
            since,
            count: prior_count,
            latest_on,
        },
        today,
    }))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct DashboardQuery {
    /// Horizon for upcoming deadlines, 1–366 days (default from the policy, 14).
    pub days: Option<u32>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct DeadlineItem {
    pub sanction_id: String,
    pub case_id: String,
    pub landlord_id: String,
    pub kind: String,
    pub deadline_kind: String,
    pub due_on: NaiveDate,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct LandlordRecidive {
    pub landlord_id: String,
    pub latest_fine_decision: Option<NaiveDate>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct DashboardResponse {
    pub today: NaiveDate,
    pub horizon_days: u32,
    pub open_cases_by_stage: Vec<CountBy>,
    /// Deadlines (zienswijze, 13-week fine limit, remedy terms, payment…) within the horizon.
    pub upcoming_deadlines: Vec<DeadlineItem>,
    /// Procedures whose every running deadline has passed (e.g. the 13-week fine limit, a
    /// payment term, a remedy term without follow-up).
    pub overdue: Vec<DeadlineItem>,
    /// Landlords with a fine decided within the recidive window.
    pub landlords_with_recidive: Vec<LandlordRecidive>,
    /// Inspections with exploitation signals that still await a referral decision (list them
    /// with `GET /v1/inspections?referral_pending=true`).
    pub inspections_awaiting_referral: i64,
}

/// Dashboard items: the first running deadline on or after `today` (upcoming), or the last one
/// (overdue).
fn deadline_items(
    rows: Vec<SanctionRow>,
    today: NaiveDate,
    overdue: bool,
) -> Result<Vec<DeadlineItem>, AppError> {
    let mut out = Vec::new();
    for r in rows {
        let next = r.next_deadline.as_deref().map(parse_stored_date).transpose()?;
        let last = r.last_deadline.as_deref().map(parse_stored_date).transpose()?;
        let pick = if overdue {
            last.map(|d| (d, r.last_deadline_kind.clone()))
        } else {
            match (next, last) {
                (Some(n), _) if n >= today => Some((n, r.next_deadline_kind.clone())),
                (_, Some(l)) => Some((l, r.last_deadline_kind.clone())),
                _ => None,
            }
        };
        if let Some((due_on, kind)) = pick {
            out.push(DeadlineItem {
                sanction_id: r.id,
                case_id: r.case_id,
                landlord_id: r.landlord_id,
                kind: r.kind,
                deadline_kind: kind.unwrap_or_default(),
                due_on,
            });
        }
    }
    out.sort_by_key(|d| d.due_on);
    Ok(out)
}

/// Enforcement dashboard (officers, managers): open cases by stage, deadlines within N days,
/// overdue items, landlords with recidive. Lists are capped at 200 items each.
#[utoipa::path(
    tag = "enforcement",
    security(("bearer" = [])),
    params(DashboardQuery),
    responses(
        (status = 200, body = DashboardResponse),
        AuthProblems,
        ValidationProblem
    )
)]
#[get("/v1/enforcement/dashboard")]
pub async fn enforcement_dashboard(
    state: web::Data<AppState>,
    auth: Auth<EnforcementRead>,
    query: web::Query<DashboardQuery>,
) -> Result<HttpResponse, AppError> {
    let policy = state.config.enforcement_policy.clone();
    let days = query.into_inner().days.unwrap_or(policy.dashboard_days);
    if !(1..=366).contains(&days) {
        return Err(AppError::field("#/query/days", "must be between 1 and 366"));
    }
    let today = state.clock.today_nl();
    let until = crate::domain::sanction_procedure::add_days_sat(today, u64::from(days));
    let window_start = sub_years_sat(today, policy.fines.recidive.window_years);
    let scope = auth.scope();
    let (stages, upcoming, overdue, recidive, inspections_awaiting_referral) = state
        .db
        .read(move |c| {
            let stages = q::open_cases_by_stage(c, &scope)?;
            let upcoming = q::upcoming_deadlines(c, &scope, &date_str(today), &date_str(until), 200)?;
            let overdue = q::overdue_deadlines(c, &scope, &date_str(today), 200)?;
            let recidive = q::landlords_with_recent_fines(c, &scope, &date_str(window_start), 200)?;
            let referral = crate::db::inspections::inspections_awaiting_referral(c, &scope)?;
            Ok((stages, upcoming, overdue, recidive, referral))
        })
        .await?;
    Ok(HttpResponse::Ok().json(DashboardResponse {
        today,
        horizon_days: days,
        open_cases_by_stage: stages.into_iter().map(|(key, count)| CountBy { key, count }).collect(),
        upcoming_deadlines: deadline_items(upcoming, today, false)?,
        overdue: deadline_items(overdue, today, true)?,
        landlords_with_recidive: recidive
            .into_iter()
            .map(|(landlord_id, d)| {
                Ok(LandlordRecidive {
                    landlord_id,
                    latest_fine_decision: d.as_deref().map(parse_stored_date).transpose()?,
                })
            })
            .collect::<Result<Vec<_>, AppError>>()?,
        inspections_awaiting_referral,
    }))
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct MySanction {
    pub id: String,
    pub kind: String,
    pub rule: String,
    pub violation_date: NaiveDate,
    pub state_name: String,
    #[schema(value_type = Object)]
    pub state: serde_json::Value,
    pub deadlines: Vec<Deadline>,
    pub amount_cents: Option<i64>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct MySanctionsResponse {
    pub items: Vec<MySanction>,
}

/// The sanctions addressed to the calling landlord, with their deadlines (newest first, 200).
/// A fine still at the rapport stage is not yet addressed to the landlord and is not shown.
#[utoipa::path(
    tag = "enforcement",
    security(("bearer" = [])),
    responses(
        (status = 200, body = MySanctionsResponse),
        AuthProblems
    )
)]
#[get("/v1/me/sanctions")]
pub async fn my_sanctions(
    state: web::Data<AppState>,
    auth: Auth<LandlordOnly>,
) -> Result<HttpResponse, AppError> {
    // A portal's mandate covers licence applications, not the landlord's sanctions.
    auth.require_in_person()?;
    let Some(landlord_id) = auth.landlord_id.clone() else {
        return Ok(HttpResponse::Ok().json(MySanctionsResponse { items: vec![] }));
    };
    let rows = state.db.read(move |c| q::landlord_sanctions_page(c, &landlord_id, 200)).await?;
    let items = rows
        .into_iter()
        .filter(|r| !(r.kind == KIND_FINE && r.state_name == "rapport"))
        .map(|r| {
            let state: serde_json::Value = from_json_text(&r.state)?;
            Ok(MySanction {
                deadlines: deadlines_of(&r.kind, &state),
                state,
                violation_date: parse_stored_date(&r.violation_date)?,
                id: r.id,
                kind: r.kind,
                rule: r.rule,
                state_name: r.state_name,
                amount_cents: r.amount_cents,
                created_at: r.created_at.and_utc(),
            })
        })
        .collect::<Result<Vec<_>, AppError>>()?;
    Ok(HttpResponse::Ok().json(MySanctionsResponse { items }))
}

/// The enforcement policy in force (fine tables, recidive, ladder, terms) — officers, managers.
#[utoipa::path(
    tag = "enforcement",
    security(("bearer" = [])),
    responses(
        (status = 200, body = Object),
        AuthProblems
    )
)]
#[get("/v1/enforcement/policy")]
pub async fn enforcement_policy(
    state: web::Data<AppState>,
    _auth: Auth<EnforcementRead>,
) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Ok().json(&*state.config.enforcement_policy))
}
