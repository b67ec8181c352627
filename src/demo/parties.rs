//! The parties around the demo's suspect address: a staffing agency that houses its workers there
//! and the letting agent that found them the rooms, both recorded by the officer without an
//! account, and the lease the inspection found, whose facts propose violations of the general
//! rules.

use chrono::NaiveDate;

use crate::db::properties::Viewer;
use crate::db::scope::Scope;
use crate::domain::general_rules::{GeneralRuleDates, LeaseForm, LeaseRecordedFrom};
use crate::domain::ids::KvkNumber;
use crate::domain::landlords::{LandlordKind, PartyRole, PartyRoleDetail, PartySource};
use crate::domain::money::Money;
use crate::error::{AppError, AppResult};
use crate::service::inspections::PartyFound;
use crate::service::leases::{record_lease, LeaseTerms, RecordLease};
use crate::service::parties::{create, CreateParty, PartyFields};

use super::seed::{at, Story};

/// The staffing agency and the letting agent, as the inspection names them.
pub(super) fn record_parties(s: &mut Story, municipality: &str) -> AppResult<Vec<PartyFound>> {
    let party = |s: &mut Story, role, detail, name: &str, kvk: &str, notes: &str| -> AppResult<PartyFound> {
        let kvk =
            KvkNumber::parse(kvk).map_err(|e| AppError::internal(anyhow::anyhow!("demo KvK number: {e}")))?;
        let cmd = CreateParty {
            role,
            municipality: municipality.to_string(),
            fields: PartyFields {
                kind: LandlordKind::LegalEntity,
                role_detail: Some(detail),
                name: name.into(),
                kvk_number: Some(kvk),
                trade_names: vec![],
                establishment: None,
                contact: None,
                source: PartySource::Inspection,
                notes: Some(notes.into()),
            },
        };
        let view = at("record a party", create(s.tx, cmd))?;
        Ok(PartyFound { party_id: view.party.id, role })
    };
    Ok(vec![
        party(
            s,
            PartyRole::Employer,
            PartyRoleDetail::StaffingAgency,
            "Flexwerk Maasstad B.V.",
            "87654321",
            "Uitzendbureau van de bewoners; houdt volgens hen het huurgeld in op het loon.",
        )?,
        party(
            s,
            PartyRole::Intermediary,
            PartyRoleDetail::LettingAgent,
            "Snel Kamers Bemiddeling B.V.",
            "76543210",
            "Bracht de bewoners in het pand onder; naam op de sleutelafspraken.",
        )?,
    ])
}

/// The lease of one of the rooms: in the employment contract, information never given, three
/// months' rent as deposit — GR-04, GR-06 and AM-01 are proposed.
pub(super) fn record_found_lease(
    s: &mut Story,
    municipality: &str,
    property_id: &str,
    inspection_id: &str,
    dates: GeneralRuleDates,
) -> AppResult<()> {
    let day =
        |y, m, d| NaiveDate::from_ymd_opt(y, m, d).ok_or_else(|| AppError::internal(anyhow::anyhow!("date")));
    let euros = |cents| Money::from_cents(cents).map_err(|e| AppError::internal(anyhow::anyhow!("{e:?}")));
    let cmd = RecordLease {
        viewer: Viewer::Staff(Scope::municipality(municipality)),
        property_id: property_id.into(),
        recorded_from: LeaseRecordedFrom::Inspection,
        inspection_id: Some(inspection_id.into()),
        complaint_id: None,
        landlord_id: None,
        terms: LeaseTerms {
            concluded_on: Some(day(2024, 9, 2)?),
            starts_on: Some(day(2024, 9, 2)?),
            ends_on: None,
            form: Some(LeaseForm::Written),
            information_given_on: None,
            information_languages: None,
            tied_to_employment: Some(true),
            occupants_are_labour_migrants: Some(true),
            occupant_languages: Some(vec!["pl".into()]),
            rent: Some(euros(45_000)?),
            service_costs: Some(euros(5_000)?),
            deposit: Some(euros(135_000)?),
            deposit_returned_on: None,
            deposit_deductions: None,
            deduction_specification_given: None,
            occupants: Some(3),
        },
        dates,
    };
    at("record the lease found", record_lease(s.tx, cmd)).map(|_| ())
}
