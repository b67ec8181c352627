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

use crate::domain::complaints::{
    Anonymity, ComplaintAction, ComplaintStatus, ExploitationSignal, HotspotKey, Partner, Priority,
};
use crate::domain::inspection::{EntryBasis, InspectionStatus, Observation};
use crate::domain::landlords::LandlordKind;
use crate::domain::licensing_codes::{LicenceMeasureGround, LicenceStatus, PropertyKind};
use crate::domain::roles::{ClientScope, Role};

crate::code_schemas!(
    Role => "The role of an authenticated caller.",
    ClientScope => "Scopes an API client may hold.",
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
    InspectionStatus => "Whether an inspection is still planned or was performed.",
    EntryBasis => "On what basis a room was entered (handreiking §6.2.4–6.2.6 [S41]). Rooms let separately are\nseparate dwellings: each needs its own occupant's consent or a warrant.",
    Observation => "Observed facts (fixed list). Unsafe ones make the inspection urgent.",
);
