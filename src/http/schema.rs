//! OpenAPI schemas for domain types. The domain knows nothing of utoipa; a closed set declared
//! with `closed_set!` gets its schema here, from its codes, with one line in
//! [`code_schemas!`](crate::code_schemas).

/// `code_schemas!(Role => "The role of an authenticated caller.")` implements utoipa's
/// `PartialSchema` and `ToSchema` for a [`Code`](crate::domain::code::Code) enum: a string
/// schema listing every code, with the description given, named after the type.
#[macro_export]
macro_rules! code_schemas {
    ($($t:ident => $doc:expr),+ $(,)?) => {$(
        impl utoipa::PartialSchema for $t {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                utoipa::openapi::schema::ObjectBuilder::new()
                    .schema_type(utoipa::openapi::schema::Type::String)
                    .enum_values(Some(
                        <$t as $crate::domain::code::Code>::ALL
                            .iter()
                            .map(|m| $crate::domain::code::Code::code(*m)),
                    ))
                    .description(Some($doc))
                    .into()
            }
        }

        impl utoipa::ToSchema for $t {
            fn name() -> std::borrow::Cow<'static, str> {
                std::borrow::Cow::Borrowed(stringify!($t))
            }
        }
    )+};
}

use crate::domain::api_clients::ApiClientState;
use crate::domain::complaints::{
    Anonymity, ComplaintAction, ComplaintStatus, ExploitationSignal, HotspotKey, Partner, Priority,
};
use crate::domain::deadlines::LicensingDeadlineKind;
use crate::domain::deadlines::NoPenaltyGround;
use crate::domain::inspection::{EntryBasis, InspectionStatus, Observation};
use crate::domain::inspection_records::EntryAttemptReason;
use crate::domain::landlords::LandlordKind;
use crate::domain::licensing_codes::{LicenceMeasureGround, LicenceStatus, PropertyKind};
use crate::domain::roles::{ClientScope, Role};

crate::code_schemas!(
    Role => "The role of an authenticated caller.",
    ClientScope => "Scopes an API client may hold.",
    ApiClientState => "Where an API client stands: `active`, `disabled` (reversible) or `revoked` (permanent).",
    Anonymity => "`anonymous_to_landlord` (default): the municipality may know the reporter, the landlord never\ndoes. `fully_anonymous`: no contact details are accepted at all.",
    ComplaintStatus => "States of a complaint (melding).",
    ComplaintAction => "State changes an officer can ask for, each with a reason.",
    Priority => "Priority of a complaint: urgent ones are handled first.",
    Partner => "Partners a complaint can be referred to (issue; supervision.md \"A referral to a partner\";\nrules.md MP-05, MP-07).",
    ExploitationSignal => "Signals of labour exploitation (fixed list, handreiking bijlage 4; supervision.md). One or more\nmakes the complaint urgent and requires a referral decision. Codes are stable.",
    HotspotKey => "What hotspots are counted per: the address, or the linked landlord.",
    PropertyKind => "Kind of housing.",
    LicenceStatus => "Effective status: `active`, `suspended`, `revoked`, or `expired` (from `valid_until`).",
    LicenceMeasureGround => "Ground of a suspension or revocation.",
    LandlordKind => "Natural person or legal entity (company with a KvK number).",
    EntryAttemptReason => "Why an attempt to enter for an inspection failed. Entry needs the occupant's consent or a warrant;\na refusal is recorded, never overridden.",
    InspectionStatus => "Whether an inspection is still planned or was performed.",
    EntryBasis => "On what basis a room was entered (handreiking §6.2.4–6.2.6 [S41]). Rooms let separately are\nseparate dwellings: each needs its own occupant's consent or a warrant.",
    Observation => "Observed facts (fixed list). Unsafe ones make the inspection urgent.",
    LicensingDeadlineKind => "A deadline of a licence application: `decision` (Awb 4:13) or `not_considered_decision` (Awb 4:5 lid 4).",
    NoPenaltyGround => "Why no dwangsom for a late decision is due (Awb 4:17 lid 6).",
);

/// `serde_schemas!(RefusalGround { MissingPermit, Beheer } => "…")`: the same string schema for
/// a unit-variant enum that has no [`Code`](crate::domain::code::Code) implementation, with the
/// codes taken from its serde names (so a renamed code renames the schema). The list must name
/// every variant: a `match` over it makes a forgotten one a compile error.
#[macro_export]
macro_rules! serde_schemas {
    ($($t:ident { $($v:ident),+ $(,)? } => $doc:expr),+ $(,)?) => {$(
        impl utoipa::PartialSchema for $t {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                let _every_variant_listed = |x: $t| match x { $(<$t>::$v)|+ => () };
                $crate::http::schema::string_enum([$(<$t>::$v),+].iter().map($crate::http::schema::serde_code), $doc)
            }
        }

        impl utoipa::ToSchema for $t {
            fn name() -> std::borrow::Cow<'static, str> {
                std::borrow::Cow::Borrowed(stringify!($t))
            }
        }
    )+};
}

/// The code serde writes for a unit variant.
pub fn serde_code<T: serde::Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}

/// A string schema listing `codes`, with a description.
pub fn string_enum<S: Into<String>>(
    codes: impl IntoIterator<Item = S>,
    doc: &str,
) -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
    utoipa::openapi::schema::ObjectBuilder::new()
        .schema_type(utoipa::openapi::schema::Type::String)
        .enum_values(Some(codes.into_iter().map(Into::into).collect::<Vec<String>>()))
        .description(Some(doc))
        .into()
}

/// A named schema for a closed set the code keeps as strings (`value_type = …` on the field).
macro_rules! marker_schemas {
    ($($(#[$m:meta])* $name:ident => $doc:expr, $codes:expr;)+) => {$(
        $(#[$m])*
        pub struct $name;

        impl utoipa::PartialSchema for $name {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                string_enum($codes, $doc)
            }
        }

        impl utoipa::ToSchema for $name {
            fn name() -> std::borrow::Cow<'static, str> {
                std::borrow::Cow::Borrowed(stringify!($name))
            }
        }
    )+};
}

use crate::domain::code::Code;
use crate::domain::complaints::{Channel, MessageKind};
use crate::domain::general_rules::RuleCode;
use crate::domain::ladder::{Aggravation, SanctionStep, TakeoverGround};
use crate::domain::licensing::{
    ApplicationState, BibobActionKind, BibobOutcome, BibobStatus, RefusalGround, VoorschriftKind,
};
use crate::domain::licensing_codes::LicenceState;
use crate::domain::ruleset::{LicenceExemption, LicenceKind};
use crate::domain::sanction_lifecycle::{CaseStage, CaseStatus, CloseReason, SanctionKind, ViolationStatus};
use crate::domain::sanction_procedure::{DropReason, LiftGround, LodPurpose, PeriodForfeitMoment};

crate::code_schemas!(
    LicenceKind => "Kind of licence: `general` (Wgv art. 5 lid 1 a) or `labour_migrant` (art. 5 lid 1 b).",
    ApplicationState => "State of a licence application.",
    LicenceState => "Stored state of a licence (`expired` is derived, see `LicenceStatus`).",
    BibobStatus => "Progress of an integrity check (Wet Bibob).",
    BibobOutcome => "Outcome of an integrity check: the degree of danger (Wet Bibob art. 3).",
    BibobActionKind => "Steps of an integrity check.",
    SanctionStep => "A step of the intervention ladder.",
    SanctionKind => "Kind of a sanction procedure.",
    CaseStatus => "Whether an enforcement case is open.",
    CaseStage => "How far an enforcement case got: the kind of its latest sanction.",
    ViolationStatus => "State of a violation.",
    CloseReason => "Why a violation was closed.",
    Channel => "How a complaint came in: the public meldpunt, a partner portal (API client), or a signal from a partner organisation entered by staff.",
    MessageKind => "Kind of a message of a complaint (`internal_note` is never shown to the reporter).",
);

crate::serde_schemas!(
    RefusalGround { MissingBuildingPermit, PriorEnforcement8y, Beheer, BibobSeriousDanger } =>
        "Refusal grounds of a licence application (Wgv; Wet Bibob art. 3 lid 1).",
    VoorschriftKind {
        GoodLandlordshipCompliance, MaximumRent, MaximumRentIncrease, MaintenancePlan, WrittenLease,
        OccupancyLimit, FacilityRequirement, BibobDangerLimitation, Other
    } => "Kind of a licence condition (voorschrift).",
    TakeoverGround { TwoFinesAndFurtherViolation, LicenceRefusedWhileLet, LicenceRevoked } =>
        "Grounds for a management takeover (beheerovername, Wgv art. 13).",
    Aggravation { UnsafeHousing, LabourExploitation } =>
        "Facts that make a first violation serious enough to skip the warning.",
    LodPurpose { EndOngoingViolation, PreventFurtherViolation, PreventRepetition } =>
        "Purpose of a penalty order (last onder dwangsom).",
    PeriodForfeitMoment { StartOfPeriod, EndOfPeriod } =>
        "When a penalty per time unit is forfeited: at the start or the end of the period.",
    DropReason { NotBlameworthy, OffenderDeceased, AlreadyFined, CriminalProsecution, PowerLapsed, Other } =>
        "Why an intended fine is dropped.",
    LiftGround { Impossibility, OneYearWithoutForfeiture } =>
        "Ground for lifting a penalty order (Awb 5:34).",
    LicenceExemption { HousingCorporation, NotInDesignatedArea } =>
        "Why no licence is required.",
    RuleCode {
        Gr00, Gr01, Gr02, Gr03, Gr04, Gr05, Gr06, Gr07, Gr08, Gr09, Gr10, Am01, Am02, NoLicence,
        LicenceCondition, Overcrowding
    } => "The rule a violation or finding is about: a general rule of goed verhuurderschap (`GR-…`, Wgv art. 2), an AMvB rule (`AM-…`), or `no_licence`, `licence_condition`, `overcrowding`.",
);

marker_schemas!(
    /// The verbs of licence application steps (`POST /v1/licence-applications/{id}/<verb>`).
    ApplicationVerb => "A step of a licence application, as its route names it.",
        crate::domain::licensing::ActionKind::ALL.iter().map(|k| crate::service::licensing::verb(*k));
    /// How a decided (or not considered) application ended.
    ApplicationOutcome => "How an application ended: `granted`, `granted_with_conditions`, `refused` or `not_considered`.",
        [ApplicationState::Granted, ApplicationState::GrantedWithConditions, ApplicationState::Refused, ApplicationState::NotConsidered].map(Code::code);
    /// Who did something recorded in the audit trail.
    ActorKind => "Who acted: an account, an API client, the system (jobs) or an anonymous caller.",
        {
            use crate::db::audit::ActorKind as A;
            [A::Account, A::Client, A::System, A::Anonymous].map(A::as_str)
        };
    /// The languages of the meldpunt.
    ComplaintLanguage => "A language of the meldpunt's texts and emails.",
        crate::domain::complaints::LANGUAGES;
    /// The languages of the occupant notice of an inspection.
    NoticeLanguage => "A language of the occupant notice.",
        crate::letters::inspections::NOTICE_LANGUAGES;
    /// The one status a healthy answer of `/health` and `/ready` carries (failures are problems).
    HealthStatus => "Always `ok` on a 200 answer.", ["ok"];
    /// How the municipality can reach a reporter directly.
    FeedbackChannel => "How the municipality can reach the reporter directly (messages are readable with the tracking code in every case).",
        ["email", "phone", "none"];
    /// The deadlines a sanction procedure can run.
    DeadlineKind => "A deadline of a sanction procedure.",
        [
            "remedy_term", "zienswijze_term", "fine_decision_13_weeks", "payment", "objection_term",
            "publication_expires", "takeover_end", "begunstigingstermijn", "forfeiture_payment",
            "collection_lapses",
        ];
);

use crate::domain::landlords::{PartyRole, PartyRoleDetail, PartySource};

crate::code_schemas!(
    PartyRole => "The family of a party record: `landlord` (verhuurder), `intermediary` (verhuurbemiddelaar or\nbeheerder) or `employer` (an employer or staffing agency that houses workers).",
    PartyRoleDetail => "What kind of intermediary (`letting_agent`, `property_manager`) or employer (`employer`,\n`staffing_agency`) a party is; landlords have none.",
    PartySource => "Where the municipality got a party's details from (`self_registration` only by a landlord's\nown registration).",
);

use crate::domain::registration::{RegistrationAction, RegistrationOutcome, RegistrationStatus};

crate::code_schemas!(
    RegistrationStatus => "Where a registration signal for burgerzaken stands: `open`, `address_investigation` or\n`concluded`.",
    RegistrationOutcome => "What burgerzaken's address investigation found: the occupants are `registered` at the\naddress, were `deregistered`, `moved`, or were `not_found`.",
);

marker_schemas!(
    /// The verbs of registration-signal steps (`POST /v1/registration-signals/{id}/<verb>`).
    RegistrationSignalVerb => "A step of a registration signal, as its route names it.",
        RegistrationAction::ALL.iter().map(|a| a.verb());
);
