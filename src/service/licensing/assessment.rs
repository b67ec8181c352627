//! The automatic check of an application's planned occupancy against the rule set, the
//! required documents, the leges, and (for staff) the refusal-ground screening flags.

use chrono::NaiveDate;

use crate::db::licensing::{self as store, Application};
use crate::db::properties::{self as property_store, Viewer};
use crate::domain::occupancy::{self, OccupancyAssessment};
use crate::error::AppResult;
use crate::service::Tx;

use super::decide::{bibob_check, description, screening_for};
use super::{load, load_property, rules_on, Rules};

#[derive(Clone)]
pub struct Assess {
    pub viewer: Viewer,
    pub id: String,
    /// Staff see the screening flags; landlords do not.
    pub staff: bool,
    /// The Bibob officer also sees whether the Bibob outcome is serious danger.
    pub bibob_officer: bool,
    pub rules: Rules,
}

/// Refusal-ground flags for staff: flags, never automatic refusals.
#[derive(Debug, Clone)]
pub struct Screening {
    pub prior_enforcement_8y: bool,
    pub management_takeover: bool,
    pub missing_building_permit: bool,
    pub bibob_pending: bool,
    /// Bibob officer only.
    pub bibob_serious_danger: Option<bool>,
}

#[derive(Debug, Clone)]
pub struct Assessment {
    pub application_id: String,
    pub rule_set_valid_from: NaiveDate,
    pub occupancy: OccupancyAssessment,
    pub usable_floor_area_dm2: i32,
    /// The rule set's required documents and data, and whether each is present.
    pub required_documents: Vec<(String, bool)>,
    pub fee_cents: i64,
    pub screening: Option<Screening>,
}

/// Whether a required item (rule set `required_documents`) is present: some are data the
/// application already holds, the rest are documents uploaded with that kind.
fn required_present(code: &str, app: &Application, landlord_kvk: Option<&str>, kinds: &[String]) -> bool {
    kinds.iter().any(|k| k == code)
        || match code {
            "rent" => app.monthly_rent_cents.is_some(),
            "kvk_number" => landlord_kvk.is_some(),
            // Known from the account and the property.
            "applicant_name_and_residence" | "dwelling_address" => true,
            _ => false,
        }
}

pub fn assess(tx: &mut Tx, cmd: Assess) -> AppResult<Assessment> {
    let today = tx.today;
    let app = load(tx, &cmd.id, &cmd.viewer)?;
    let property = load_property(tx, &app.property_id)?;
    let rooms = property_store::rooms(tx.conn, &property.id)?;
    let occ = store::occupancy(tx.conn, &app.id)?;
    let bibob = store::find_bibob(tx.conn, &app.id)?;
    let kinds: Vec<String> = store::documents(tx.conn, &app.id)?.into_iter().map(|d| d.kind).collect();
    // A natural person has no KvK number: the item does not apply (counts as present).
    let kvk = crate::db::accounts::find_landlord(tx.conn, &app.landlord_id)?.and_then(|l| {
        if l.kind == crate::domain::landlords::LandlordKind::LegalEntity {
            l.kvk_number
        } else {
            Some(String::new())
        }
    });
    let flags = if cmd.staff { Some(screening_for(tx, &app, &property, today)?) } else { None };
    let rules = rules_on(&cmd.rules, app.submitted_on.unwrap_or(today))?;
    let desc = description(&property, &rooms, &occ);
    let a = occupancy::assess(&desc, rules);
    let required_documents = rules
        .required_documents
        .iter()
        .map(|code| (code.clone(), required_present(code, &app, kvk.as_deref(), &kinds)))
        .collect();
    let beds = u32::try_from(desc.occupants()).unwrap_or(u32::MAX);
    let fee_cents = rules.fees.application_fee(1, beds).map(|m| m.cents()).unwrap_or(0);
    let screening = flags.map(|flags| {
        let check = bibob_check(bibob.as_ref());
        Screening {
            prior_enforcement_8y: flags.prior_enforcement_8y,
            management_takeover: flags.beheer,
            missing_building_permit: flags.missing_building_permit,
            bibob_pending: check.status.in_progress(),
            bibob_serious_danger: cmd.bibob_officer.then(|| check.outcome.is_some_and(|o| o.is_serious())),
        }
    });
    Ok(Assessment {
        application_id: app.id,
        rule_set_valid_from: rules.valid_from,
        occupancy: a,
        usable_floor_area_dm2: property.usable_floor_area_dm2,
        required_documents,
        fee_cents,
        screening,
    })
}
