//! Recording and closing violations. A violation belongs to landlord + address + rule — never to
//! a tenant; it joins the open enforcement case of that landlord and address (or opens one).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::not_found;
use crate::db::convert::{from_json_text, json_text};
use crate::db::enforcement::{self as q, CaseRow, ViolationRow};
use crate::domain::code::Code;
use crate::domain::general_rules::RuleCode;
use crate::domain::ladder::Aggravation;
use crate::domain::ladder::LandlordKind;
use crate::domain::landlords::PartyRole;
use crate::domain::party_links::{binds_intermediary, AddressedTo};
use crate::domain::sanction_lifecycle::{CaseStage, CaseStatus, CloseReason, ViolationStatus};
use crate::error::{AppError, AppResult};
use crate::service::{Audit, Tx};

/// A parsed address and its key (`POSTCODE|NUMBER|ADDITION`).
#[derive(Debug, Clone)]
pub struct Address {
    pub postcode: String,
    pub house_number: i32,
    pub addition: Option<String>,
    pub key: String,
}

/// What establishes a violation (stored as a JSON document with the violation).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Evidence {
    #[serde(default)]
    pub inspection_ids: Vec<String>,
    #[serde(default)]
    pub complaint_ids: Vec<String>,
    /// Document references (file numbers, photo ids) — no personal data of residents.
    #[serde(default)]
    pub documents: Vec<String>,
}

/// The numbers behind a violation (e.g. from an inspection evaluation).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Numbers {
    pub norm: String,
    pub room: Option<String>,
    pub required: u64,
    pub present: u64,
    pub unit: String,
}

/// The details stored with a violation: its numbers and the address as given.
#[derive(Debug, Serialize, Deserialize)]
pub struct StoredDetails {
    pub numbers: Option<Numbers>,
    pub postcode: String,
    pub house_number: i32,
    pub house_number_addition: Option<String>,
}

/// Record an established violation.
pub struct CreateViolation {
    pub municipality: String,
    pub created_by: String,
    /// The landlord of the dwelling.
    pub landlord_id: String,
    /// To whom the violation is addressed (the offender: its case, sanctions and recidive).
    pub addressed_to: AddressedTo,
    /// The intermediary; required when the violation is addressed to one.
    pub intermediary_id: Option<String>,
    pub address: Address,
    pub rule: RuleCode,
    pub licence_condition: Option<String>,
    pub established_on: NaiveDate,
    /// Trimmed, not blank.
    pub description: String,
    pub numbers: Option<Numbers>,
    pub evidence: Evidence,
    /// The inspection that established it (its aggravations are taken over).
    pub inspection_id: Option<String>,
    pub aggravations: Vec<Aggravation>,
    /// The request said the landlord is a housing corporation.
    pub woningcorporatie: bool,
    pub property_id: Option<String>,
    pub licence_id: Option<String>,
}

/// What an inspection adds to a new violation: its aggravations, the dwelling and licence.
struct FromInspection {
    aggravations: Vec<Aggravation>,
    evidence: Evidence,
    property_id: Option<String>,
    licence_id: Option<String>,
}

fn take_over_inspection(tx: &mut Tx<'_>, cmd: &CreateViolation) -> AppResult<FromInspection> {
    let mut out = FromInspection {
        aggravations: cmd.aggravations.clone(),
        evidence: cmd.evidence.clone(),
        property_id: cmd.property_id.clone(),
        licence_id: cmd.licence_id.clone(),
    };
    if let Some(iid) = &cmd.inspection_id {
        let insp = crate::db::inspections::find_inspection(tx.conn, &tx.scope, iid)?
            .ok_or_else(|| AppError::field("/inspection_id", "is not a known inspection"))?;
        if insp.address_key != cmd.address.key {
            return Err(AppError::field("/inspection_id", "was held at another address"));
        }
        if out.property_id.is_none() {
            out.property_id = insp.property_id.clone();
        }
        if out.licence_id.is_none() {
            out.licence_id = insp.licence_id.clone();
        }
        // Unsafe housing and exploitation signals in the findings aggravate (ladder).
        let findings: crate::domain::inspection::Findings = from_json_text(&insp.findings)?;
        for a in crate::domain::inspection::aggravations(&findings) {
            if !out.aggravations.contains(&a) {
                out.aggravations.push(a);
            }
        }
        if !out.evidence.inspection_ids.contains(iid) {
            out.evidence.inspection_ids.push(iid.clone());
        }
    }
    if out.licence_id.is_none() {
        if let Some(pid) = &out.property_id {
            out.licence_id = q::licence_in_force(tx.conn, pid, cmd.established_on)?.map(|l| l.id);
            // No licence in force: a revoked licence of this landlord for the dwelling is still
            // the case's licence (takeover ground G3, rules.md §4.6).
            if out.licence_id.is_none() {
                out.licence_id = q::revoked_licence(tx.conn, &cmd.landlord_id, pid)?;
            }
        }
    }
    Ok(out)
}

/// The open case of the party addressed (`offender`) at the address, or a new one.
fn open_case(
    tx: &mut Tx<'_>,
    cmd: &CreateViolation,
    offender: &str,
    found: &FromInspection,
) -> AppResult<CaseRow> {
    if let Some(case) = q::find_open_case(tx.conn, offender, &cmd.address.key)? {
        return Ok(case);
    }
    // A landlord recorded as a housing corporation is one, whatever the request says.
    let woningcorporatie =
        cmd.woningcorporatie || crate::db::accounts::is_housing_corporation(tx.conn, offender)?;
    let case = CaseRow {
        id: uuid::Uuid::new_v4().to_string(),
        municipality_code: cmd.municipality.clone(),
        landlord_id: offender.to_string(),
        address_key: cmd.address.key.clone(),
        postcode: cmd.address.postcode.clone(),
        house_number: cmd.address.house_number,
        house_number_addition: cmd.address.addition.clone(),
        property_id: found.property_id.clone(),
        licence_id: found.licence_id.clone(),
        landlord_kind: if woningcorporatie { LandlordKind::Woningcorporatie } else { LandlordKind::Private },
        status: CaseStatus::Open,
        stage: CaseStage::Investigation,
        opened_on: cmd.established_on,
        closed_on: None,
        close_reason: None,
        created_at: tx.now,
        updated_at: tx.now,
    };
    q::insert_case(tx.conn, &case)?;
    tx.audit(
        Audit::of(Some(&case.municipality_code), "enforcement_case", &case.id, "open")
            .after(serde_json::json!({"landlord_id": case.landlord_id, "status": "open"})),
    )?;
    Ok(case)
}

/// The party addressed (stored in `landlord_id`) and the landlord of the dwelling when that is
/// another party (stored in `dwelling_landlord_id`). Every named record must be live.
fn addressee(tx: &mut Tx<'_>, cmd: &CreateViolation) -> AppResult<(String, Option<String>)> {
    use crate::service::parties::require_party;
    require_party(tx, &cmd.landlord_id, PartyRole::Landlord, "/landlord_id")?;
    match (cmd.addressed_to, &cmd.intermediary_id) {
        (AddressedTo::Landlord, None) => Ok((cmd.landlord_id.clone(), None)),
        (AddressedTo::Landlord, Some(_)) => Err(AppError::field(
            "/intermediary_id",
            "is only given for a violation addressed to an intermediary (`addressed_to`: `intermediary`)",
        )),
        (AddressedTo::Intermediary, None) => Err(AppError::field(
            "/intermediary_id",
            "is required for a violation addressed to an intermediary",
        )),
        (AddressedTo::Intermediary, Some(id)) => {
            if !binds_intermediary(cmd.rule) {
                return Err(AppError::field(
                    "/rule",
                    "does not bind an intermediary: only the general rules GR-00 … GR-10 do (rules.md §1)",
                ));
            }
            require_party(tx, id, PartyRole::Intermediary, "/intermediary_id")?;
            Ok((id.clone(), Some(cmd.landlord_id.clone())))
        }
    }
}

pub fn create_violation(tx: &mut Tx<'_>, cmd: CreateViolation) -> AppResult<ViolationRow> {
    let (offender, dwelling_landlord) = addressee(tx, &cmd)?;
    let found = take_over_inspection(tx, &cmd)?;
    let case = open_case(tx, &cmd, &offender, &found)?;
    if !tx.scope.allows(&case.municipality_code) {
        return Err(AppError::Forbidden("this case belongs to another municipality".into()));
    }
    let row = ViolationRow {
        id: uuid::Uuid::new_v4().to_string(),
        municipality_code: case.municipality_code.clone(),
        case_id: case.id.clone(),
        landlord_id: offender,
        dwelling_landlord_id: dwelling_landlord,
        address_key: cmd.address.key,
        rule: cmd.rule.as_str().into(),
        licence_condition: cmd.licence_condition.map(|s| s.trim().to_string()),
        established_on: cmd.established_on,
        description: cmd.description,
        details: json_text(&StoredDetails {
            numbers: cmd.numbers,
            postcode: cmd.address.postcode,
            house_number: cmd.address.house_number,
            house_number_addition: cmd.address.addition,
        })?,
        evidence: json_text(&found.evidence)?,
        inspection_id: cmd.inspection_id,
        aggravations: json_text(&found.aggravations)?,
        status: ViolationStatus::Open,
        close_reason: None,
        close_motivation: None,
        closed_on: None,
        created_by: Some(cmd.created_by),
        created_at: tx.now,
        updated_at: tx.now,
    };
    q::insert_violation(tx.conn, &row)?;
    tx.audit(Audit::of(Some(&row.municipality_code), "violation", &row.id, "create").after(
        serde_json::json!({"rule": row.rule, "case_id": row.case_id,
            "landlord_id": row.landlord_id, "dwelling_landlord_id": row.dwelling_landlord_id,
            "established_on": row.established_on}),
    ))?;
    Ok(row)
}

/// One violation in the caller's scope.
pub fn get_violation(tx: &mut Tx<'_>, id: &str) -> AppResult<ViolationRow> {
    q::find_violation(tx.conn, &tx.scope, id)?.ok_or_else(|| not_found("violation"))
}

/// Close a violation: remedied, or without enforcement with a motivation (checked by the
/// caller). The case closes when its last open violation closes.
pub struct CloseViolation {
    pub id: String,
    pub reason: CloseReason,
    /// Required (checked by the caller) when closing without enforcement.
    pub motivation: Option<String>,
    pub on: NaiveDate,
}

pub fn close_violation(tx: &mut Tx<'_>, cmd: CloseViolation) -> AppResult<ViolationRow> {
    let v = get_violation(tx, &cmd.id)?;
    if v.status != ViolationStatus::Open {
        return Err(AppError::Conflict {
            detail: format!("the violation is already closed ({})", v.status.code()),
            allowed_actions: Some(vec![]),
        });
    }
    if cmd.on < v.established_on {
        return Err(AppError::field("/on", "lies before the date the violation was established"));
    }
    let status = cmd.reason.status();
    q::close_violation(tx.conn, &v.id, status, cmd.reason, cmd.motivation.as_deref(), cmd.on, tx.now)?;
    tx.audit(
        Audit::of(Some(&v.municipality_code), "violation", &v.id, "close")
            .before(serde_json::json!({"status": v.status.code()}))
            .after(serde_json::json!({"status": status.code(), "reason": cmd.reason.code()}))
            .reason_opt(cmd.motivation.as_deref()),
    )?;
    if q::count_open_violations(tx.conn, &v.case_id)? == 0 {
        q::close_case(tx.conn, &v.case_id, cmd.on, "all_violations_closed", tx.now)?;
        tx.audit(
            Audit::of(Some(&v.municipality_code), "enforcement_case", &v.case_id, "close")
                .before(serde_json::json!({"status": "open"}))
                .after(serde_json::json!({"status": "closed"}))
                .reason("all violations closed"),
        )?;
    }
    get_violation(tx, &v.id)
}
