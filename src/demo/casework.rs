//! The casework of the demo: residents report in six languages, an officer triages, inspects
//! (with a referral to the Labour Inspectorate), suspends the licence with conditions and opens an
//! enforcement case against the company with a warning and a fine.

use std::sync::Arc;

use chrono::{Duration, NaiveDate};

use crate::db::properties::Viewer;
use crate::db::scope::Scope;
use crate::domain::complaints::{Anonymity, Catalogue, ComplaintAction, Partner};
use crate::domain::enforcement_policy::EnforcementPolicy;
use crate::domain::exploitation::ExploitationSignal;
use crate::domain::general_rules::RuleCode;
use crate::domain::ids::Postcode;
use crate::domain::inspection::{EntryBasis, Findings, InspectionStatus, Observation, RoomFinding};
use crate::domain::ladder::SanctionStep;
use crate::domain::licensing_codes::{LicenceMeasureGround, Measure};
use crate::error::{AppError, AppResult};
use crate::service::complaints::intake::{intake, Contact, Intake, TrackingCode};
use crate::service::complaints::transition::{transition, Transition};
use crate::service::enforcement as enf;
use crate::service::inspections;
use crate::service::licensing::licences::{self, Displacement, TakeMeasure};
use crate::service::licensing::Rules;

use super::data;
use super::seed::{at, Ids, Place, Story};

/// What the casework needs besides the story so far.
pub(super) struct Casework {
    pub municipality_code: String,
    pub municipality_name: String,
    pub rules: Rules,
    pub policy: Arc<EnforcementPolicy>,
    pub catalogue: Arc<Catalogue>,
    pub tracking_codes: Vec<TrackingCode>,
    /// The licence granted with conditions (suspended here).
    pub licence: String,
    /// The dates the general-rule checks of a lease use (settings).
    pub general_rule_dates: crate::domain::general_rules::GeneralRuleDates,
}

/// The day the violation was established: `wanted`, or else the last day the configured fine
/// tables of the general rules cover (the shipped tables end with 2025; a municipality adds the
/// indexed amounts of later years to its policy file), so that the demo's fine can be started.
fn fine_date(policy: &EnforcementPolicy, wanted: NaiveDate) -> NaiveDate {
    let tables = &policy.fines.general_rule_tables.0;
    if tables.iter().any(|t| t.covers(wanted)) {
        return wanted;
    }
    tables.iter().filter_map(|t| t.valid_until).filter(|u| *u < wanted).max().unwrap_or(wanted)
}

/// Files the complaints and works the case; returns the tracking code of the first complaint.
pub(super) fn casework(s: &mut Story, ids: &Ids, places: &[Place], c: Casework) -> AppResult<String> {
    let code = c.municipality_code.clone();
    let staff = || Viewer::Staff(Scope::municipality(&code));
    // A resident reports; an inspection follows; the licence with conditions is suspended and an
    // enforcement case runs against the company.
    let mut codes = c.tracking_codes.into_iter();
    let mut complaint_ids = Vec::new();
    let mut first_code = String::new();
    for (n, complaint) in data::COMPLAINTS.iter().enumerate() {
        s.on(40 - 3 * n as i64, None);
        let place = &places[complaint.property];
        let category = c.catalogue.category(complaint.category).ok_or_else(|| {
            AppError::internal(anyhow::anyhow!("demo category {} is not configured", complaint.category))
        })?;
        let cmd = Intake {
            tracking_code: codes
                .next()
                .ok_or_else(|| AppError::internal(anyhow::anyhow!("tracking codes")))?,
            municipality: c.municipality_code.clone(),
            category: category.into(),
            language: complaint.language.into(),
            description: complaint.description.into(),
            postcode: Postcode::parse(&place.postcode).ok(),
            house_number: Some(place.number),
            house_number_addition: Some(place.addition.to_string()).filter(|a| !a.is_empty()),
            location_description: None,
            signals: if complaint.signals {
                vec![
                    ExploitationSignal::DocumentsWithheld,
                    ExploitationSignal::ThreatenedDismissalEvictionReporting,
                ]
            } else {
                vec![]
            },
            anonymity: Anonymity::AnonymousToLandlord,
            contact: complaint.contact_email.map(|e| Contact {
                name: None,
                email: Some(e.to_string()),
                phone: None,
                consent_to_contact: true,
            }),
            portal: None,
            partner: None,
            attachments: vec![],
        };
        let filed = at("file a complaint", intake(s.tx, cmd))?
            .ok_or_else(|| AppError::internal(anyhow::anyhow!("a demo complaint was not filed")))?;
        if n == 0 {
            first_code = filed.tracking_code.clone();
        }
        complaint_ids.push(filed.complaint.id);
    }
    let triage = |s: &mut Story, i: usize, action, reason: &str, days_ago| -> AppResult<()> {
        s.on(days_ago, Some(&ids.officer));
        let cmd = Transition {
            complaint_id: complaint_ids[i].clone(),
            action,
            reason: reason.into(),
            catalogue: c.catalogue.clone(),
        };
        at("handle a complaint", transition(s.tx, cmd)).map(|_| ())
    };
    triage(s, 2, ComplaintAction::Triage, "Signalen van uitbuiting: met voorrang", 22)?;
    triage(s, 2, ComplaintAction::StartInvestigation, "Controle ter plaatse ingepland", 22)?;
    triage(s, 0, ComplaintAction::Triage, "Borg boven het wettelijk maximum gemeld", 21)?;

    let suspect = &places[1];
    s.on(20, Some(&ids.officer));
    let mut parties = vec![inspections::PartyFound {
        party_id: ids.company.clone(),
        role: crate::domain::landlords::PartyRole::Landlord,
    }];
    parties.extend(super::parties::record_parties(s, &code)?);
    let room = |label: &str, occupants, observations| RoomFinding {
        label: label.into(),
        entry_basis: EntryBasis::OccupantConsent,
        warrant_reference: None,
        sleeping_room: true,
        occupants: Some(occupants),
        area_dm2: None,
        partners: false,
        observations,
    };
    let cmd = inspections::CreateInspection {
        municipality: c.municipality_code.clone(),
        status: InspectionStatus::Performed,
        planned_on: None,
        performed_on: Some(s.tx.today),
        postcode: suspect.postcode.clone(),
        house_number: suspect.number,
        house_number_addition: None,
        address_key: format!("{}|{}|", suspect.postcode, suspect.number),
        landlord_id: Some(ids.company.clone()),
        property_id: Some(ids.properties[1].clone()),
        licence_id: Some(c.licence.clone()),
        officers: vec!["A. de Vries".into(), "K. Yılmaz".into()],
        interpreter_used: true,
        interpreter_language: Some("pl".into()),
        findings: Findings {
            rooms: vec![
                room("kamer 1", 3, vec![Observation::NoSmokeDetector]),
                room("kamer 2", 3, vec![Observation::BlockedEscapeRoute]),
                room("kamer 3", 3, vec![]),
                room("kamer 4", 3, vec![]),
            ],
            exploitation_signals: vec![ExploitationSignal::DocumentsWithheld],
            // Four of the twelve are not registered at the address: a signal for burgerzaken.
            unregistered_occupants: 4,
            ..Findings::default()
        },
        parties,
        complaint_ids: vec![complaint_ids[2].clone()],
    };
    let inspection = at("record the inspection", inspections::create_inspection(s.tx, cmd))?.row.id;
    // A joint inspection with the labour inspectorate.
    let cmd = inspections::SetPartners {
        inspection_id: inspection.clone(),
        partners: vec![Partner::LabourInspectorate],
    };
    at("record the partners present", inspections::set_partners(s.tx, cmd))?;
    let cmd = inspections::AddReferral {
        inspection_id: inspection.clone(),
        partner: Partner::LabourInspectorate,
        referred_on: s.tx.today,
        shared_data: "Adres, aantal bewoners en het signaal ingehouden identiteitsbewijzen".into(),
        legal_basis: "art. 10 Wgv".into(),
        content: crate::service::referrals::ContentInput {
            labour_migrants: Some(4),
            enforcement_done: vec![crate::domain::referrals::EnforcementDone::Inspection],
            ..Default::default()
        },
    };
    at("refer the inspection", inspections::add_referral(s.tx, cmd))?;
    super::parties::record_found_lease(
        s,
        &code,
        &ids.properties[1],
        &inspection,
        c.general_rule_dates.clone(),
    )?;
    let cmd = inspections::EvaluateInspection { id: inspection.clone(), rules: c.rules.clone() };
    at("evaluate the inspection", inspections::evaluate_inspection(s.tx, cmd))?;

    s.on(18, Some(&ids.officer));
    let cmd = TakeMeasure {
        viewer: staff(),
        id: c.licence.clone(),
        measure: Measure::Suspend,
        ground: Some(LicenceMeasureGround::ConditionsViolated),
        motivation: "Bij de controle sliepen twaalf personen in vier kamers; de voorschriften over het \
                     aantal bewoners en de vluchtweg worden niet nageleefd."
            .into(),
        displacement: Some(Displacement { occupants_displaced: 8, replacement_housing_arranged: true }),
        rules: c.rules.clone(),
    };
    at("suspend the licence", licences::take_measure(s.tx, cmd))?;

    let cmd = enf::CreateViolation {
        municipality: c.municipality_code.clone(),
        created_by: ids.officer.clone(),
        landlord_id: ids.company.clone(),
        addressed_to: crate::domain::party_links::AddressedTo::Landlord,
        intermediary_id: None,
        address: enf::Address {
            postcode: suspect.postcode.clone(),
            house_number: suspect.number,
            addition: None,
            key: format!("{}|{}|", suspect.postcode, suspect.number),
        },
        rule: RuleCode::Gr04,
        licence_condition: None,
        established_on: fine_date(&c.policy, s.tx.today - Duration::days(2)),
        description: "Waarborgsom van drie maanden kale huur gevraagd, contant te betalen".into(),
        numbers: None,
        evidence: enf::Evidence {
            documents: vec!["huurcontract-kamer-2".into()],
            ..enf::Evidence::default()
        },
        inspection_id: Some(inspection),
        aggravations: vec![],
        woningcorporatie: false,
        property_id: Some(ids.properties[1].clone()),
        licence_id: Some(c.licence),
    };
    let violation = at("record the violation", enf::create_violation(s.tx, cmd))?;
    let sanction = |step, motivation: Option<&str>| enf::StartSanction {
        case_id: violation.case_id.clone(),
        violation_id: violation.id.clone(),
        step,
        motivation: motivation.map(str::to_string),
        displacement: None,
        warning: None,
        fine: None,
        penalty_order: None,
        coercion: None,
        takeover: None,
        policy: c.policy.clone(),
        municipality_name: c.municipality_name.clone(),
        created_by: ids.officer.clone(),
    };
    let mut warn = sanction(
        SanctionStep::Warning,
        Some("Eerste overtreding van deze verhuurder: een waarschuwing met hersteltermijn volstaat eerst."),
    );
    warn.warning =
        Some(enf::StartWarning { issued_on: s.tx.today, remedy_deadline: None, consequence_text: None });
    at("warn", enf::start_sanction(s.tx, warn))?;
    s.on(12, Some(&ids.officer));
    let mut fine = sanction(
        SanctionStep::AdministrativeFine,
        Some("De borg is na de waarschuwing niet terugbetaald; een boete volgt naast de waarschuwing."),
    );
    fine.fine = Some(enf::StartFine { rapport_date: s.tx.today, bedrijfsmatig: true });
    at("fine", enf::start_sanction(s.tx, fine))?;
    Ok(first_code)
}
