//! The demo's story, written through the use cases in one unit of work: each step runs as the
//! account that would take it (the landlord applies, the officer decides, a resident reports) on
//! its own day, counted back from today, so audit rows, letters and deadlines read as in real use.

use std::sync::Arc;

use chrono::{Duration, NaiveDate};

use crate::db::audit::{Actor, ActorKind};
use crate::db::properties::Viewer;
use crate::db::scope::Scope;
use crate::domain::enforcement_policy::EnforcementPolicy;
use crate::domain::ids::{Email, KvkNumber};
use crate::domain::landlords::LandlordKind;
use crate::domain::licensing::{DecisionOutcome, RefusalGround, Voorschrift, VoorschriftKind};
use crate::domain::licensing_codes::PropertyKind;
use crate::domain::ruleset::LicenceKind;
use crate::error::{AppError, AppResult};
use crate::service::complaints::intake::TrackingCode;
use crate::service::licensing::applications::{self, CreateApplication, PlannedOccupancy};
use crate::service::licensing::decide::{self, Decide};
use crate::service::licensing::lifecycle::{self, NotConsider, RequestInformation, Step, Submit, TakeStep};
use crate::service::licensing::properties::{
    self, CreateProperty, FacilityCounts, RoomInput, UpdateProperty,
};
use crate::service::licensing::Rules;
use crate::service::{accounts, Tx};

use super::data::{self, DemoAccount};

/// What the story needs from outside the transaction: settings and the passwords, hashed.
pub struct Inputs {
    pub municipality_code: String,
    pub municipality_name: String,
    pub rules: Rules,
    pub policy: Arc<EnforcementPolicy>,
    pub catalogue: Arc<crate::domain::complaints::Catalogue>,
    /// The real today: every step is dated a fixed number of days before it.
    pub today: NaiveDate,
    /// Hashes of the passwords of `data::ACCOUNTS`, in that order.
    pub hashes: Vec<String>,
    /// One tracking code per demo complaint (made outside the unit of work).
    pub tracking_codes: Vec<TrackingCode>,
    /// The dates the general-rule checks of a lease use (settings).
    pub general_rule_dates: crate::domain::general_rules::GeneralRuleDates,
}

/// What the demo wrote that the command prints.
pub struct Seeded {
    /// The tracking code of the first complaint (shown once, as the meldpunt does).
    pub tracking_code: String,
    /// The address of the licence the register shows (`3011 AB 10`).
    pub register_address: (String, i32),
}

/// The clock and the actor of the story: each step sets the day (days before today) and who acts.
pub(super) struct Story<'t, 'c> {
    pub(super) tx: &'t mut Tx<'c>,
    today: NaiveDate,
    minute: i64,
}

impl<'t, 'c> Story<'t, 'c> {
    pub(super) fn on(&mut self, days_ago: i64, actor: Option<&str>) {
        let day = self.today - Duration::days(days_ago);
        self.minute += 7;
        self.tx.today = day;
        self.tx.now = day.and_hms_opt(8, 0, 0).unwrap_or_default() + Duration::minutes(self.minute % 480);
        self.tx.actor = match actor {
            Some(id) => Actor { kind: ActorKind::Account, id: Some(id.to_string()), request_id: None },
            None => Actor { kind: ActorKind::Anonymous, id: None, request_id: None },
        };
    }
}

/// Names the step that failed: a demo that cannot be written says where.
pub(super) fn at<T>(step: &str, r: AppResult<T>) -> AppResult<T> {
    r.map_err(|e| AppError::internal(anyhow::anyhow!("demo step \"{step}\" failed: {e:?}")))
}

fn email(a: &DemoAccount) -> AppResult<Email> {
    Email::parse(a.email).map_err(|_| AppError::internal(anyhow::anyhow!("demo e-mail {}", a.email)))
}

/// One demo property: where it is, whose it is, and its rooms (label, m², sleeping room).
pub(super) struct Place {
    pub(super) postcode: String,
    pub(super) number: i32,
    pub(super) addition: &'static str,
    company: bool,
    rooms: &'static [(&'static str, i32)],
}

const FOUR_ROOMS: &[(&str, i32)] = &[("kamer 1", 16), ("kamer 2", 14), ("kamer 3", 12), ("kamer 4", 12)];
const TWO_ROOMS: &[(&str, i32)] = &[("kamer 1", 15), ("kamer 2", 13)];

/// The ten demo properties: 0–7 of the company, 8–9 of the natural person.
fn places(municipality_code: &str) -> Vec<Place> {
    let [a, b, c] = data::postcode_digits(municipality_code);
    let p = |digits: &str, letters: &str| format!("{digits}{letters}");
    let mk = |postcode: String, number, addition, company, rooms| Place {
        postcode,
        number,
        addition,
        company,
        rooms,
    };
    vec![
        mk(p(a, "AB"), 10, "", true, FOUR_ROOMS),
        mk(p(a, "AB"), 12, "", true, FOUR_ROOMS),
        mk(p(b, "CD"), 5, "", true, TWO_ROOMS),
        mk(p(b, "CD"), 7, "", true, TWO_ROOMS),
        mk(p(b, "CD"), 9, "A", true, TWO_ROOMS),
        mk(p(c, "EF"), 21, "", true, FOUR_ROOMS),
        mk(p(c, "EF"), 23, "", true, TWO_ROOMS),
        mk(p(c, "EF"), 25, "", true, FOUR_ROOMS),
        mk(p(a, "AC"), 3, "", false, TWO_ROOMS),
        mk(p(a, "AC"), 5, "B", false, FOUR_ROOMS),
    ]
}

/// The ids the story refers back to.
pub(super) struct Ids {
    pub(super) officer: String,
    pub(super) company: String,
    company_account: String,
    person: String,
    person_account: String,
    pub(super) properties: Vec<String>,
}

impl Ids {
    fn landlord_of(&self, place: &Place) -> (&str, &str) {
        if place.company {
            (&self.company, &self.company_account)
        } else {
            (&self.person, &self.person_account)
        }
    }
}

/// Writes the whole demo. Runs inside one transaction: it is there completely or not at all.
pub fn seed(tx: &mut Tx, input: Inputs) -> AppResult<Seeded> {
    let mut s = Story { tx, today: input.today, minute: 0 };
    let code = input.municipality_code.clone();
    let staff = || Viewer::Staff(Scope::municipality(&code));
    let rules = input.rules.clone();

    // Day -120: the installation gets its staff; the two landlords register.
    s.on(120, None);
    s.tx.actor = Actor::system();
    let mut hashes = input.hashes.into_iter();
    // In the order of `data::ACCOUNTS`: admin, officer, manager, Bibob officer, burgerzaken, company,
    // person.
    let mut next_hash = || {
        hashes.next().ok_or_else(|| AppError::internal(anyhow::anyhow!("a demo password hash is missing")))
    };
    at(
        "create the admin",
        accounts::create_admin(
            s.tx,
            accounts::CreateAdmin {
                email: email(&data::ADMIN)?,
                password_hash: next_hash()?,
                only_if_none: false,
            },
        ),
    )?;
    let mut staff_ids = Vec::new();
    for a in [&data::OFFICER, &data::MANAGER, &data::BIBOB, &data::CIVIL_AFFAIRS] {
        let cmd = accounts::CreateAccount {
            email: email(a)?,
            password_hash: next_hash()?,
            name: a.name.to_string(),
            role: a.role,
            municipalities: vec![code.clone()],
        };
        staff_ids.push(at("create a staff account", accounts::create_account(s.tx, cmd))?.0.id);
    }
    let officer = staff_ids.first().cloned().unwrap_or_default();
    let mut register = |s: &mut Story, a: &DemoAccount, kind, kvk: Option<&str>| {
        s.on(118, None);
        let cmd = accounts::RegisterLandlord {
            email: email(a)?,
            password_hash: next_hash()?,
            name: a.name.to_string(),
            kind,
            kvk_number: kvk.and_then(|k| KvkNumber::parse(k).ok()),
            municipality_name: input.municipality_name.clone(),
        };
        at("register a landlord", accounts::register_landlord(s.tx, cmd))
    };
    let (company_account, company) =
        register(&mut s, &data::COMPANY, LandlordKind::LegalEntity, Some(data::COMPANY_KVK))?;
    let (person_account, person) = register(&mut s, &data::PERSON, LandlordKind::NaturalPerson, None)?;
    let mut ids = Ids {
        officer,
        company: company.id,
        company_account: company_account.id,
        person: person.id,
        person_account: person_account.id,
        properties: Vec::new(),
    };

    // Day -115: the landlords record their properties.
    let places = places(&code);
    for place in &places {
        let (landlord, account) = ids.landlord_of(place);
        let (landlord, account) = (landlord.to_string(), account.to_string());
        s.on(115, Some(&account));
        let cmd = CreateProperty {
            municipality_code: code.clone(),
            landlord_id: Some(landlord),
            postcode: place.postcode.clone(),
            house_number: place.number,
            house_number_addition: place.addition.to_string(),
            bag_id: None,
            neighbourhood_code: None,
            kind: PropertyKind::RoomsLetSeparately,
            usable_floor_area_dm2: place.rooms.iter().map(|r| r.1 * 100).sum::<i32>() + 4_000,
            rooms: place
                .rooms
                .iter()
                .map(|(label, m2)| RoomInput {
                    label: label.to_string(),
                    area_dm2: m2 * 100,
                    sleeping_room: true,
                })
                .collect(),
            facilities: FacilityCounts {
                toilets: 2,
                showers: 2,
                kitchens: 1,
                cooking_points: 4,
                washbasins: 2,
                washing_machines: 1,
            },
            intermediary_id: None,
        };
        ids.properties.push(at("record a property", properties::create(s.tx, cmd))?.property.id);
    }

    // Applications, one per property, each taken as far as its state.
    let apply = |s: &mut Story, ids: &Ids, i: usize, days_ago: i64| -> AppResult<String> {
        let place = &places[i];
        let (landlord, account) = ids.landlord_of(place);
        s.on(days_ago, Some(account));
        let cmd = CreateApplication {
            viewer: Viewer::Landlord(landlord.to_string()),
            landlord_id: landlord.to_string(),
            property_id: ids.properties[i].clone(),
            kind: LicenceKind::LabourMigrant,
            monthly_rent_cents: Some(52_500),
            planned_occupancy: place
                .rooms
                .iter()
                .map(|(label, _)| PlannedOccupancy {
                    room_label: label.to_string(),
                    persons: 1,
                    partners: false,
                })
                .collect(),
        };
        Ok(at("draft an application", applications::create(s.tx, cmd))?.application.id)
    };
    let submit = |s: &mut Story, ids: &Ids, i: usize, id: &str, days_ago: i64| -> AppResult<()> {
        let (landlord, account) = ids.landlord_of(&places[i]);
        s.on(days_ago, Some(account));
        let cmd = Submit {
            viewer: Viewer::Landlord(landlord.to_string()),
            id: id.to_string(),
            rules: rules.clone(),
        };
        at("submit an application", lifecycle::submit(s.tx, cmd)).map(|_| ())
    };
    let review = |s: &mut Story, ids: &Ids, id: &str, days_ago: i64| -> AppResult<()> {
        s.on(days_ago, Some(&ids.officer));
        let cmd = TakeStep { viewer: staff(), id: id.to_string(), step: Step::StartReview };
        at("start the review", lifecycle::take_step(s.tx, cmd)).map(|_| ())
    };
    let decision = |id: &str, outcome| Decide {
        viewer: staff(),
        id: id.to_string(),
        outcome,
        refusal_grounds: vec![],
        motivation: None,
        proportionality_motivation: None,
        conditions: vec![],
        max_occupants: None,
        room_limits: vec![],
        rules: rules.clone(),
    };
    let request_info =
        |s: &mut Story, ids: &Ids, id: &str, days_ago: i64, respond_in: i64| -> AppResult<()> {
            s.on(days_ago, Some(&ids.officer));
            let respond_by = s.tx.today + Duration::days(respond_in);
            let cmd = RequestInformation {
                viewer: staff(),
                id: id.to_string(),
                what: "Een plattegrond met de maten van alle kamers en een kopie van de huurovereenkomst."
                    .into(),
                respond_by,
                rules: rules.clone(),
            };
            at("request information", lifecycle::request_information(s.tx, cmd)).map(|_| ())
        };

    // Granted (company, 3011 AB 10): the licence the public register shows.
    let granted = apply(&mut s, &ids, 0, 112)?;
    submit(&mut s, &ids, 0, &granted, 112)?;
    review(&mut s, &ids, &granted, 108)?;
    s.on(104, Some(&ids.officer));
    at("grant", decide::decide(s.tx, decision(&granted, DecisionOutcome::Granted)))?;
    // Granted (natural person).
    let person_granted = apply(&mut s, &ids, 8, 102)?;
    submit(&mut s, &ids, 8, &person_granted, 102)?;
    review(&mut s, &ids, &person_granted, 99)?;
    s.on(96, Some(&ids.officer));
    at("grant", decide::decide(s.tx, decision(&person_granted, DecisionOutcome::Granted)))?;
    // Granted with conditions (company, 3011 AB 12), suspended later.
    let conditioned = apply(&mut s, &ids, 1, 94)?;
    submit(&mut s, &ids, 1, &conditioned, 94)?;
    review(&mut s, &ids, &conditioned, 91)?;
    s.on(88, Some(&ids.officer));
    let mut cmd = decision(&conditioned, DecisionOutcome::GrantedWithConditions);
    cmd.conditions = vec![
        Voorschrift {
            kind: VoorschriftKind::OccupancyLimit,
            text: "Ten hoogste één persoon per slaapkamer.".into(),
        },
        Voorschrift {
            kind: VoorschriftKind::FacilityRequirement,
            text: "Ten minste één werkende rookmelder per verdieping en een vrije vluchtweg.".into(),
        },
    ];
    let conditioned_licence =
        at("grant with conditions", decide::decide(s.tx, cmd))?.licence_id.unwrap_or_default();
    // Not considered: information asked, not supplied in time.
    let lapsed = apply(&mut s, &ids, 4, 86)?;
    submit(&mut s, &ids, 4, &lapsed, 86)?;
    request_info(&mut s, &ids, &lapsed, 84, 14)?;
    // Refused: the officer finds the building permit missing.
    let refused = apply(&mut s, &ids, 2, 82)?;
    submit(&mut s, &ids, 2, &refused, 82)?;
    s.on(80, Some(&ids.officer));
    let cmd = UpdateProperty {
        viewer: staff(),
        id: ids.properties[2].clone(),
        postcode: None,
        house_number: None,
        house_number_addition: None,
        bag_id: None,
        neighbourhood_code: None,
        kind: None,
        usable_floor_area_dm2: None,
        rooms: None,
        facilities: None,
        building_permit_missing: Some(true),
        intermediary_id: None,
    };
    at("record the missing permit", properties::update(s.tx, cmd))?;
    review(&mut s, &ids, &refused, 79)?;
    s.on(76, Some(&ids.officer));
    let mut cmd = decision(&refused, DecisionOutcome::Refused);
    cmd.refusal_grounds = vec![RefusalGround::MissingBuildingPermit];
    cmd.motivation = Some(
        "De woning is gesplitst in kamers zonder de daarvoor vereiste omgevingsvergunning; \
         de vergunning wordt daarom geweigerd."
            .into(),
    );
    at("refuse", decide::decide(s.tx, cmd))?;
    // Withdrawn by the company.
    let withdrawn = apply(&mut s, &ids, 3, 74)?;
    submit(&mut s, &ids, 3, &withdrawn, 74)?;
    s.on(72, Some(&ids.company_account));
    let cmd = TakeStep { viewer: Viewer::Landlord(ids.company.clone()), id: withdrawn, step: Step::Withdraw };
    at("withdraw", lifecycle::take_step(s.tx, cmd))?;
    s.on(66, Some(&ids.officer));
    let cmd = NotConsider {
        viewer: staff(),
        id: lapsed,
        motivation: "De gevraagde plattegrond en huurovereenkomst zijn niet binnen de termijn ontvangen."
            .into(),
        rules: rules.clone(),
    };
    at("not consider", lifecycle::not_consider(s.tx, cmd))?;

    let first_code = super::casework::casework(
        &mut s,
        &ids,
        &places,
        super::casework::Casework {
            municipality_code: code.clone(),
            municipality_name: input.municipality_name.clone(),
            rules: rules.clone(),
            policy: input.policy.clone(),
            catalogue: input.catalogue.clone(),
            tracking_codes: input.tracking_codes,
            licence: conditioned_licence,
            general_rule_dates: input.general_rule_dates.clone(),
        },
    )?;

    // The open applications of today: information asked, in review, just submitted, a draft.
    let incomplete = apply(&mut s, &ids, 5, 11)?;
    submit(&mut s, &ids, 5, &incomplete, 11)?;
    request_info(&mut s, &ids, &incomplete, 10, 21)?;
    let in_review = apply(&mut s, &ids, 6, 9)?;
    submit(&mut s, &ids, 6, &in_review, 9)?;
    review(&mut s, &ids, &in_review, 7)?;
    let submitted = apply(&mut s, &ids, 7, 3)?;
    submit(&mut s, &ids, 7, &submitted, 3)?;
    apply(&mut s, &ids, 9, 1)?;

    Ok(Seeded { tracking_code: first_code, register_address: (places[0].postcode.clone(), places[0].number) })
}
