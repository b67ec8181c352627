//! The decision on the merits (Wgv art. 5, Awb 3:46, Wet Bibob art. 3 and 33): grant (which
//! creates the licence), grant with conditions, or refuse on enumerated grounds. The landlord
//! receives the decision with the end of the objection period.

use chrono::{Datelike, NaiveDate};

use crate::db::licensing::{self as store, Application, BibobRow, Licence, LicenceRoomLimit, OccupancyRow};
use crate::db::properties::{self as property_store, Property, PropertyRoom, Viewer};
use crate::domain::code::Code;
use crate::domain::deadlines::objection_period_end;
use crate::domain::licensing::{
    self as lic, Action, ApplicationState, BibobCheck, DecisionBlock, DecisionContext, DecisionOutcome,
    DecisionRequest, RefusalGround, ScreeningFlags, ScreeningInput, Voorschrift,
};
use crate::domain::licensing_codes::{LicenceState, PropertyKind};
use crate::domain::occupancy::{self, Facilities, PropertyDescription, Room};
use crate::domain::ruleset::RuleSet;
use crate::error::{AppError, AppResult, FieldError};
use crate::letters::licensing::{Decision, DecisionWords, GrantedLicence};
use crate::service::{Audit, Tx};

use super::{
    address_line, claim, conflict, load_property, notify_landlord, rules_on, save_application, view,
    ApplicationView, Rules,
};

/// A maximum number of occupants for one room of the licence.
#[derive(Debug, Clone)]
pub struct RoomLimit {
    pub room_label: String,
    pub max_occupants: u32,
}

#[derive(Clone)]
pub struct Decide {
    pub viewer: Viewer,
    pub id: String,
    pub outcome: DecisionOutcome,
    pub refusal_grounds: Vec<RefusalGround>,
    /// Written motivation (Awb 3:46); required for a refusal.
    pub motivation: Option<String>,
    /// Why a Bibob refusal is proportionate (Wet Bibob art. 3 lid 5).
    pub proportionality_motivation: Option<String>,
    /// Voorschriften (texts trimmed), for a grant with conditions.
    pub conditions: Vec<Voorschrift>,
    /// Maximum occupants in total; default the planned occupancy, at most what the floor area
    /// allows.
    pub max_occupants: Option<u32>,
    /// Maximum occupants per room; default the planned occupancy per room.
    pub room_limits: Vec<RoomLimit>,
    pub rules: Rules,
}

/// Why a decision may not be taken, as a field error of the request.
fn block_to_error(b: &DecisionBlock, grounds: &[RefusalGround]) -> FieldError {
    match b {
        DecisionBlock::BibobInProgress => {
            FieldError::new("/decision", "an integrity check (Bibob) is under way")
        }
        DecisionBlock::RefusalWithoutGround => {
            FieldError::new("/refusal_grounds", "a refusal needs at least one refusal ground")
        }
        DecisionBlock::RefusalWithoutMotivation => {
            FieldError::new("/motivation", "a refusal needs a written motivation (Awb 3:46)")
        }
        DecisionBlock::GroundNotEstablished { ground } => {
            let i = grounds.iter().position(|g| g == ground).unwrap_or(0);
            FieldError::new(
                format!("/refusal_grounds/{i}"),
                "this ground is not established by the screening",
            )
        }
        DecisionBlock::BibobRefusalWithoutSeriousDanger => FieldError::new(
            "/refusal_grounds",
            "a Bibob refusal needs a finding of serious danger (Wet Bibob art. 3 lid 1)",
        ),
        DecisionBlock::ZienswijzeMissing => FieldError::new(
            "/decision",
            "the applicant must first be invited to give a zienswijze (Wet Bibob art. 33)",
        ),
        DecisionBlock::ProportionalityMotivationMissing => FieldError::new(
            "/proportionality_motivation",
            "a Bibob refusal needs a proportionality motivation (Wet Bibob art. 3 lid 5)",
        ),
        DecisionBlock::BibobConditionsWithoutLesserDanger => FieldError::new(
            "/conditions",
            "Bibob conditions need a finding of a lesser degree of danger (Wet Bibob art. 3 lid 7)",
        ),
        DecisionBlock::ConditionsMissing => {
            FieldError::new("/conditions", "grant_with_conditions needs at least one condition")
        }
        DecisionBlock::ConditionsNotExpected => {
            FieldError::new("/conditions", "conditions belong to grant_with_conditions only")
        }
        DecisionBlock::InvalidVoorschrift { index, error } => {
            FieldError::new(format!("/conditions/{index}/kind"), error.to_string())
        }
    }
}

/// The refusal-ground screening of an application: flags, never an automatic refusal. Prior
/// enforcement and a running management takeover come from the enforcement records of the
/// landlord (all municipalities: the landlord's history counts wherever it was made).
pub(crate) fn screening_for(
    tx: &mut Tx,
    app: &Application,
    property: &Property,
    today: NaiveDate,
) -> AppResult<ScreeningFlags> {
    let application_date = app.submitted_on.unwrap_or(today);
    // The domain applies the exact 8-year window; fetch a little more.
    let since = application_date
        .checked_sub_months(chrono::Months::new(lic::PRIOR_ENFORCEMENT_YEARS * lic::MONTHS_PER_YEAR + 1))
        .unwrap_or(application_date);
    let (prior, takeover) = crate::db::enforcement::screening_facts(tx.conn, &app.landlord_id, since)?;
    Ok(lic::screen_refusal_grounds(&ScreeningInput {
        application_date,
        prior_enforcement_dates: prior.into_iter().collect(),
        missing_realisation_permit: property.building_permit_missing,
        dwelling_in_beheer: takeover,
    }))
}

/// The Bibob facts of an application (none stored: not started).
pub fn bibob_check(row: Option<&BibobRow>) -> BibobCheck {
    match row {
        None => BibobCheck::default(),
        Some(r) => BibobCheck {
            status: r.status,
            outcome: r.outcome,
            zienswijze_invited_on: r.zienswijze_invited_on,
        },
    }
}

/// The property with its planned occupancy, as the occupancy rules read it.
pub(crate) fn description(
    property: &Property,
    rooms: &[PropertyRoom],
    occ: &[OccupancyRow],
) -> PropertyDescription {
    let u = |v: i32| u32::try_from(v).unwrap_or(0);
    PropertyDescription {
        usable_floor_area_dm2: u(property.usable_floor_area_dm2),
        rooms: rooms
            .iter()
            .map(|r| {
                let o = occ.iter().find(|o| o.room_label == r.label);
                Room {
                    label: r.label.clone(),
                    area_dm2: u(r.area_dm2),
                    sleeping_room: r.sleeping_room,
                    persons: o.map_or(0, |o| u(o.persons)),
                    partners: o.is_some_and(|o| o.partners),
                }
            })
            .collect(),
        facilities: Facilities {
            toilets: u(property.toilets),
            showers: u(property.showers),
            kitchens: u(property.kitchens),
            cooking_points: u(property.cooking_points),
            washing_machines: u(property.washing_machines),
        },
    }
}

pub fn decide(tx: &mut Tx, cmd: Decide) -> AppResult<ApplicationView> {
    let today = tx.today;
    let mut app = claim(tx, &cmd.id, &cmd.viewer)?;
    let current = app.state;
    // A submitted application goes through review implicitly when the officer decides at once.
    let reviewing = if current == ApplicationState::Submitted {
        lic::transition(current, Action::StartReview)
            .map_err(|e| conflict("cannot start the review", &e.allowed))?
    } else {
        current
    };
    let outcome = cmd.outcome;
    let next = lic::transition(reviewing, Action::Decide(outcome)).map_err(|_| {
        conflict(
            format!("decide is not possible for an application that is {}", app.state.code()),
            &lic::allowed_actions(current),
        )
    })?;
    let property = load_property(tx, &app.property_id)?;
    let rooms = property_store::rooms(tx.conn, &property.id)?;
    let occ = store::occupancy(tx.conn, &app.id)?;
    let bibob = bibob_check(store::find_bibob(tx.conn, &app.id)?.as_ref());
    if bibob.status.in_progress() {
        return Err(conflict("an integrity check (Bibob) is under way; decide after it is completed", &[]));
    }
    let ctx = DecisionContext {
        licence_kind: app.kind,
        self_contained: property.kind == PropertyKind::SelfContained,
        bibob,
        screening: screening_for(tx, &app, &property, today)?,
    };
    let dreq = DecisionRequest {
        outcome,
        decided_on: today,
        refusal_grounds: cmd.refusal_grounds.clone(),
        voorschriften: cmd.conditions.clone(),
        motivation: cmd.motivation.clone(),
        proportionality_motivation: cmd.proportionality_motivation.clone(),
    };
    if let Err(blocks) = lic::check_decision(&ctx, &dreq) {
        return Err(AppError::Validation(
            blocks.iter().map(|b| block_to_error(b, &cmd.refusal_grounds)).collect(),
        ));
    }
    let rules = rules_on(&cmd.rules, app.submitted_on.unwrap_or(today))?;
    let objection_end = objection_period_end(today, rules.objection_weeks, &rules.calendar());

    let licence = if outcome == DecisionOutcome::Refused {
        None
    } else {
        Some(grant_licence(tx, &app, &cmd, rules, &property, &rooms, &occ)?)
    };

    let before = app.state;
    app.state = next;
    app.decision_outcome = Some(outcome.state());
    app.decided_on = Some(today);
    app.refusal_grounds = Some(serde_json::to_string(&cmd.refusal_grounds).map_err(AppError::internal)?);
    app.motivation = cmd.motivation.as_deref().map(str::trim).filter(|m| !m.is_empty()).map(str::to_string);
    app.objection_period_ends_on = Some(objection_end);
    let after = serde_json::json!({"state": app.state.code(), "refusal_grounds": cmd.refusal_grounds,
        "objection_period_ends_on": objection_end, "licence_id": licence.as_ref().map(|l| l.id.clone())});
    save_application(tx, &mut app, "decide", Some(before), after)?;
    let words = match outcome {
        DecisionOutcome::Granted => DecisionWords::Granted,
        DecisionOutcome::GrantedWithConditions => DecisionWords::GrantedWithConditions,
        DecisionOutcome::Refused => DecisionWords::Refused,
    };
    let letter = Decision::new(
        words,
        &address_line(&property),
        licence.as_ref().map(|l| GrantedLicence {
            number: &l.number,
            valid_from: l.valid_from,
            valid_until: l.valid_until,
            max_occupants: l.max_occupants,
        }),
        cmd.conditions.iter().map(|c| c.text.as_str()).collect(),
        &cmd.refusal_grounds,
        app.motivation.as_deref(),
        objection_end,
        &app.id,
    )
    .letter()?;
    notify_landlord(tx, &app, &letter)?;
    view(tx, app)
}

/// Creates the licence of a grant, with its occupancy limits, and audits it.
fn grant_licence(
    tx: &mut Tx,
    app: &Application,
    cmd: &Decide,
    rules: &RuleSet,
    property: &Property,
    rooms: &[PropertyRoom],
    occ: &[OccupancyRow],
) -> AppResult<Licence> {
    let today = tx.today;
    let desc = description(property, rooms, occ);
    let assessment = occupancy::assess(&desc, rules);
    let planned = desc.occupants();
    let default_max =
        if planned > 0 { planned.min(assessment.max_occupants.max(1)) } else { assessment.max_occupants };
    let max = cmd.max_occupants.map_or(default_max, u64::from);
    if max == 0 {
        return Err(AppError::field(
            "/max_occupants",
            "is required: no occupancy is planned and the floor area allows none",
        ));
    }
    let licence_id = uuid::Uuid::new_v4().to_string();
    let limits = room_limits(&licence_id, &cmd.room_limits, rooms, occ)?;
    let l = Licence {
        id: licence_id,
        number: store::next_licence_number(tx.conn, &app.municipality_code, today.year())?,
        municipality_code: app.municipality_code.clone(),
        application_id: app.id.clone(),
        landlord_id: app.landlord_id.clone(),
        property_id: app.property_id.clone(),
        kind: app.kind,
        state: LicenceState::Active,
        valid_from: today,
        valid_until: lic::licence_expires_on(today, rules),
        max_occupants: i32::try_from(max).unwrap_or(i32::MAX),
        conditions: serde_json::to_string(&cmd.conditions).map_err(AppError::internal)?,
        state_grounds: None,
        state_motivation: None,
        created_at: tx.now,
        updated_at: tx.now,
        occupants_displaced: None,
        replacement_housing_arranged: None,
    };
    store::insert_licence(tx.conn, &l, &limits)?;
    tx.audit(Audit::of(Some(&l.municipality_code), "licence", &l.id, "grant").after(serde_json::json!({
        "state": "active", "number": l.number, "application_id": app.id,
        "max_occupants": l.max_occupants, "valid_until": l.valid_until})))?;
    Ok(l)
}

/// The per-room limits asked for, or by default the planned occupancy per room.
fn room_limits(
    licence_id: &str,
    asked: &[RoomLimit],
    rooms: &[PropertyRoom],
    occ: &[OccupancyRow],
) -> AppResult<Vec<LicenceRoomLimit>> {
    let mut limits = Vec::new();
    if asked.is_empty() {
        for o in occ.iter().filter(|o| o.persons > 0) {
            limits.push(LicenceRoomLimit {
                licence_id: licence_id.to_string(),
                room_label: o.room_label.clone(),
                max_occupants: o.persons,
            });
        }
        return Ok(limits);
    }
    let mut errs = Vec::new();
    for (i, r) in asked.iter().enumerate() {
        match rooms.iter().find(|x| x.label.eq_ignore_ascii_case(r.room_label.trim())) {
            Some(room) if !limits.iter().any(|l: &LicenceRoomLimit| l.room_label == room.label) => limits
                .push(LicenceRoomLimit {
                    licence_id: licence_id.to_string(),
                    room_label: room.label.clone(),
                    max_occupants: i32::try_from(r.max_occupants).unwrap_or(0),
                }),
            _ => errs.push(FieldError::new(
                format!("/room_limits/{i}/room_label"),
                "is not a room of this property, or is listed twice",
            )),
        }
    }
    if errs.is_empty() {
        Ok(limits)
    } else {
        Err(AppError::Validation(errs))
    }
}
