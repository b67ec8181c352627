//! Leases (huurovereenkomsten) per property, recorded by an officer (from an inspection, a
//! complaint or other information) or by the landlord for their own property, and checked against
//! the general rules (GR-04, GR-05, GR-06, AM-01, AM-02): every lease is shown with the
//! violations its facts show on the day it is read (`domain::general_rules::check_lease`).
//!
//! No tenant names or other personal data of tenants are recorded: only the facts of the lease.

use chrono::NaiveDate;

use crate::db::convert::{from_json_text, json_text};
use crate::db::leases::{self as store, LeaseRow};
use crate::db::properties::{self as property_store, Property, Viewer};
use crate::domain::calendar::HolidayCalendar;
use crate::domain::general_rules::{
    check_lease, GeneralRuleDates, LeaseFacts, LeaseForm, LeaseRecordedFrom, LeaseViolation,
};
use crate::domain::money::Money;
use crate::error::{AppError, AppResult, FieldError};
use crate::service::{Audit, Tx};

/// The facts of a lease as recorded (all of them on create; the changed ones on update).
#[derive(Debug, Clone, Default)]
pub struct LeaseTerms {
    pub concluded_on: Option<NaiveDate>,
    pub starts_on: Option<NaiveDate>,
    pub ends_on: Option<NaiveDate>,
    pub form: Option<LeaseForm>,
    pub information_given_on: Option<NaiveDate>,
    /// Lower-case ISO 639-1 codes.
    pub information_languages: Option<Vec<String>>,
    pub tied_to_employment: Option<bool>,
    pub occupants_are_labour_migrants: Option<bool>,
    pub occupant_languages: Option<Vec<String>>,
    pub rent: Option<Money>,
    pub service_costs: Option<Money>,
    pub deposit: Option<Money>,
    pub deposit_returned_on: Option<NaiveDate>,
    pub deposit_deductions: Option<bool>,
    pub deduction_specification_given: Option<bool>,
    pub occupants: Option<i32>,
}

/// Records a lease for a property the viewer may see.
pub struct RecordLease {
    pub viewer: Viewer,
    pub property_id: String,
    pub recorded_from: LeaseRecordedFrom,
    pub inspection_id: Option<String>,
    pub complaint_id: Option<String>,
    /// The party letting the dwelling, when not the property's landlord (staff only).
    pub landlord_id: Option<String>,
    /// `concluded_on`, `starts_on` and `form` are required.
    pub terms: LeaseTerms,
    /// The dates the check uses (settings).
    pub dates: GeneralRuleDates,
}

/// Changes the facts of a lease (e.g. the information was given later, the deposit returned).
pub struct UpdateLease {
    pub viewer: Viewer,
    pub id: String,
    pub terms: LeaseTerms,
    pub dates: GeneralRuleDates,
}

/// A lease with the violations its facts show today.
#[derive(Debug, Clone)]
pub struct LeaseView {
    pub row: LeaseRow,
    pub information_languages: Vec<String>,
    pub occupant_languages: Vec<String>,
    pub proposed_violations: Vec<LeaseViolation>,
}

fn not_found() -> AppError {
    AppError::NotFound("no such lease".into())
}

fn visible_property(tx: &mut Tx, id: &str, viewer: &Viewer) -> AppResult<Property> {
    property_store::find_visible(tx.conn, id, viewer)?
        .ok_or_else(|| AppError::NotFound("no such property".into()))
}

/// A landlord sees only the leases that name them (not those of an earlier owner of the
/// property, nor a sub-letting party's).
fn landlord_of(viewer: &Viewer) -> Option<&str> {
    match viewer {
        Viewer::Landlord(l) => Some(l.as_str()),
        Viewer::Staff(_) => None,
    }
}

/// The lease if its property is visible to the viewer and, for a landlord, it names them (404
/// otherwise, never 403).
fn visible_lease(tx: &mut Tx, id: &str, viewer: &Viewer) -> AppResult<LeaseRow> {
    let row = store::find(tx.conn, id)?.ok_or_else(not_found)?;
    if landlord_of(viewer).is_some_and(|l| row.landlord_id.as_deref() != Some(l)) {
        return Err(not_found());
    }
    match property_store::find_visible(tx.conn, &row.property_id, viewer)? {
        Some(_) => Ok(row),
        None => Err(not_found()),
    }
}

/// Shows a lease with its check on `tx.today` (the Dutch holiday calendar for the deposit's
/// return term).
pub fn view(tx: &Tx, row: LeaseRow, dates: &GeneralRuleDates) -> AppResult<LeaseView> {
    let information_languages: Vec<String> = from_json_text(&row.information_languages)?;
    let occupant_languages: Vec<String> = from_json_text(&row.occupant_languages)?;
    let money = |c: Option<i64>| c.and_then(|c| Money::from_cents(c).ok());
    let facts = LeaseFacts {
        concluded_on: row.concluded_on,
        ends_on: row.ends_on,
        form: row.form,
        information_given_on: row.information_given_on,
        information_languages: information_languages.clone(),
        tied_to_employment: row.tied_to_employment,
        occupants_are_labour_migrants: row.occupants_are_labour_migrants,
        occupant_languages: occupant_languages.clone(),
        rent: money(row.rent_cents),
        deposit: money(row.deposit_cents),
        deposit_returned_on: row.deposit_returned_on,
        deposit_deductions: row.deposit_deductions,
        deduction_specification_given: row.deduction_specification_given,
    };
    let proposed_violations = check_lease(&facts, tx.today, dates, &HolidayCalendar::default());
    Ok(LeaseView { row, information_languages, occupant_languages, proposed_violations })
}

/// Dates that must hang together and lie in the past.
fn check_row(row: &LeaseRow, today: NaiveDate) -> AppResult<()> {
    let mut errs = Vec::new();
    let past = [
        ("/concluded_on", Some(row.concluded_on)),
        ("/information_given_on", row.information_given_on),
        ("/deposit_returned_on", row.deposit_returned_on),
    ];
    for (field, date) in past {
        if date.is_some_and(|d| d > today) {
            errs.push(FieldError::new(field, "may not lie in the future"));
        }
    }
    if row.ends_on.is_some_and(|e| e < row.starts_on) {
        errs.push(FieldError::new("/ends_on", "lies before starts_on"));
    }
    if row.deposit_returned_on.is_some() && row.ends_on.is_none() {
        errs.push(FieldError::new("/ends_on", "is required when the deposit was returned"));
    }
    if errs.is_empty() {
        Ok(())
    } else {
        Err(AppError::Validation(errs))
    }
}

/// Applies the given terms to a row.
fn apply(row: &mut LeaseRow, t: LeaseTerms) -> AppResult<()> {
    macro_rules! set {
        ($($f:ident),+) => {$(if let Some(v) = t.$f { row.$f = v; })+};
    }
    macro_rules! set_opt {
        ($($f:ident),+) => {$(if t.$f.is_some() { row.$f = t.$f; })+};
    }
    set!(concluded_on, starts_on, form, tied_to_employment, occupants_are_labour_migrants);
    set!(deposit_deductions, deduction_specification_given);
    set_opt!(ends_on, information_given_on, deposit_returned_on, occupants);
    if let Some(l) = t.information_languages {
        row.information_languages = json_text(&l)?;
    }
    if let Some(l) = t.occupant_languages {
        row.occupant_languages = json_text(&l)?;
    }
    if let Some(m) = t.rent {
        row.rent_cents = Some(m.cents());
    }
    if let Some(m) = t.service_costs {
        row.service_costs_cents = Some(m.cents());
    }
    if let Some(m) = t.deposit {
        row.deposit_cents = Some(m.cents());
    }
    Ok(())
}

/// The party named as landlord: a known landlord record, not merged into another record.
fn check_landlord(tx: &mut Tx, id: &str) -> AppResult<()> {
    crate::service::parties::require_party(
        tx,
        id,
        crate::domain::landlords::PartyRole::Landlord,
        "/landlord_id",
    )
}

/// The audited facts: ids, dates and flags (there is no personal data in a lease).
fn audit_json(row: &LeaseRow) -> serde_json::Value {
    serde_json::json!({
        "property_id": row.property_id, "landlord_id": row.landlord_id,
        "recorded_from": row.recorded_from, "form": row.form,
        "concluded_on": row.concluded_on, "starts_on": row.starts_on, "ends_on": row.ends_on,
        "information_given_on": row.information_given_on,
        "deposit_cents": row.deposit_cents, "deposit_returned_on": row.deposit_returned_on,
        "tied_to_employment": row.tied_to_employment,
    })
}

/// Records a lease for a visible property (the landlord: only their own ones).
pub fn record_lease(tx: &mut Tx, cmd: RecordLease) -> AppResult<LeaseView> {
    let property = visible_property(tx, &cmd.property_id, &cmd.viewer)?;
    if let Some(i) = &cmd.inspection_id {
        let inspection = crate::db::inspections::find_inspection(tx.conn, &tx.scope, i)?
            .ok_or_else(|| AppError::field("/inspection_id", "is not a known inspection"))?;
        if inspection.property_id.as_ref().is_some_and(|p| *p != property.id) {
            return Err(AppError::field("/inspection_id", "concerns another property"));
        }
    }
    if let Some(c) = &cmd.complaint_id {
        if crate::db::complaints::find(tx.conn, &tx.scope, c)?.is_none() {
            return Err(AppError::field("/complaint_id", "is not a known complaint"));
        }
    }
    let landlord_id = cmd.landlord_id.or_else(|| property.landlord_id.clone());
    if let Some(l) = &landlord_id {
        check_landlord(tx, l)?;
    }
    let (Some(concluded_on), Some(starts_on), Some(form)) =
        (cmd.terms.concluded_on, cmd.terms.starts_on, cmd.terms.form)
    else {
        return Err(AppError::field("/concluded_on", "concluded_on, starts_on and form are required"));
    };
    let mut row = LeaseRow {
        id: uuid::Uuid::new_v4().to_string(),
        municipality_code: property.municipality_code.clone(),
        property_id: property.id.clone(),
        landlord_id,
        recorded_by: tx.actor.id.clone(),
        recorded_from: cmd.recorded_from,
        inspection_id: cmd.inspection_id,
        complaint_id: cmd.complaint_id,
        concluded_on,
        starts_on,
        ends_on: None,
        form,
        information_given_on: None,
        information_languages: "[]".into(),
        tied_to_employment: false,
        occupants_are_labour_migrants: false,
        occupant_languages: "[]".into(),
        rent_cents: None,
        service_costs_cents: None,
        deposit_cents: None,
        deposit_returned_on: None,
        deposit_deductions: false,
        deduction_specification_given: false,
        occupants: None,
        created_at: tx.now,
        updated_at: tx.now,
    };
    apply(&mut row, cmd.terms)?;
    check_row(&row, tx.today)?;
    store::insert(tx.conn, &row)?;
    tx.audit(Audit::of(Some(&row.municipality_code), "lease", &row.id, "create").after(audit_json(&row)))?;
    view(tx, row, &cmd.dates)
}

/// One lease whose property the viewer may see.
pub fn get_lease(tx: &mut Tx, id: &str, viewer: &Viewer, dates: &GeneralRuleDates) -> AppResult<LeaseView> {
    let row = visible_lease(tx, id, viewer)?;
    view(tx, row, dates)
}

/// A page of a visible property's leases, by date concluded.
pub fn list_leases(
    tx: &mut Tx,
    property_id: &str,
    viewer: &Viewer,
    after: Option<(NaiveDate, String)>,
    limit: i64,
    dates: &GeneralRuleDates,
) -> AppResult<Vec<LeaseView>> {
    visible_property(tx, property_id, viewer)?;
    let rows = store::of_property(tx.conn, property_id, landlord_of(viewer), after, limit)?;
    rows.into_iter().map(|r| view(tx, r, dates)).collect()
}

/// Changes a lease. A landlord may change only the leases they recorded themselves, so that an
/// officer's findings stay as recorded.
pub fn update_lease(tx: &mut Tx, cmd: UpdateLease) -> AppResult<LeaseView> {
    let before = visible_lease(tx, &cmd.id, &cmd.viewer)?;
    if matches!(cmd.viewer, Viewer::Landlord(_)) && before.recorded_from != LeaseRecordedFrom::Landlord {
        return Err(AppError::Forbidden(
            "a lease recorded by the municipality is changed by an officer".into(),
        ));
    }
    let mut row = before.clone();
    apply(&mut row, cmd.terms)?;
    row.updated_at = tx.now;
    check_row(&row, tx.today)?;
    store::update(tx.conn, &row)?;
    tx.audit(
        Audit::of(Some(&row.municipality_code), "lease", &row.id, "update")
            .before(audit_json(&before))
            .after(audit_json(&row)),
    )?;
    view(tx, row, &cmd.dates)
}
