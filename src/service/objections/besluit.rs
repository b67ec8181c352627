//! The besluit an objection is against: looked up by kind and id in the caller's municipality,
//! with the date it was made known (bekendmaking) taken from its record.
//!
//! Where the date comes from:
//! * `licence_decision`, `not_considered`: the application's `decided_on`;
//! * `licence_suspension`, `licence_revocation`: the day the licence row took that state (its
//!   `updated_at` date: the licence does not store a separate measure date);
//! * `fine`: the decision's `notified_on` in the fine procedure (not before the decision);
//! * `penalty_order`: the order's `issued_on`;
//! * `collection_decision`: the latest `collection_decided_on` of the order's forfeitures;
//! * `administrative_coercion`, `management_takeover`: the day the sanction was recorded
//!   (`effective_on`), which is when the decision was taken.

use chrono::NaiveDate;

use crate::db::convert::from_json_text;
use crate::db::enforcement as enf;
use crate::db::licensing as lic;
use crate::db::objections as q;
use crate::db::properties::Viewer;
use crate::domain::calendar::HolidayCalendar;
use crate::domain::licensing::ApplicationState;
use crate::domain::licensing_codes::LicenceState;
use crate::domain::objections::{final_on, BesluitKind};
use crate::domain::sanction_lifecycle::SanctionKind;
use crate::domain::sanction_procedure::LodState;
use crate::error::{AppError, AppResult};
use crate::service::Tx;

/// The besluit as the objection needs it.
#[derive(Debug, Clone)]
pub struct Besluit {
    pub municipality_code: String,
    /// The addressee.
    pub landlord_id: String,
    /// Bekendmaking (Awb 3:41).
    pub notified_on: NaiveDate,
    /// For a sanction: its procedure's state name.
    pub sanction_state: Option<String>,
}

fn missing(kind: BesluitKind) -> AppError {
    AppError::field(
        "/besluit/id",
        format!(
            "no {} of this municipality with this id has been decided",
            crate::domain::code::Code::code(kind)
        ),
    )
}

/// The besluit of `kind` with `id` in the caller's scope (422 on `/besluit/id` when it does not
/// exist, belongs to another municipality, or is not (yet) a besluit of that kind).
pub fn find(tx: &mut Tx<'_>, kind: BesluitKind, id: &str) -> AppResult<Besluit> {
    let viewer = Viewer::Staff(tx.scope.clone());
    match kind {
        BesluitKind::LicenceDecision | BesluitKind::NotConsidered => {
            let app = lic::find_application(tx.conn, id, &viewer)?.ok_or_else(|| missing(kind))?;
            let wanted = match app.decision_outcome {
                Some(ApplicationState::NotConsidered) => kind == BesluitKind::NotConsidered,
                Some(
                    ApplicationState::Granted
                    | ApplicationState::GrantedWithConditions
                    | ApplicationState::Refused,
                ) => kind == BesluitKind::LicenceDecision,
                _ => false,
            };
            let notified_on = app.decided_on.filter(|_| wanted).ok_or_else(|| missing(kind))?;
            Ok(Besluit {
                municipality_code: app.municipality_code,
                landlord_id: app.landlord_id,
                notified_on,
                sanction_state: None,
            })
        }
        BesluitKind::LicenceSuspension | BesluitKind::LicenceRevocation => {
            let l = lic::find_licence(tx.conn, id, &viewer)?.ok_or_else(|| missing(kind))?;
            let wanted = if kind == BesluitKind::LicenceSuspension {
                LicenceState::Suspended
            } else {
                LicenceState::Revoked
            };
            if l.state != wanted {
                return Err(missing(kind));
            }
            Ok(Besluit {
                municipality_code: l.municipality_code,
                landlord_id: l.landlord_id,
                notified_on: l.updated_at.date(),
                sanction_state: None,
            })
        }
        _ => {
            let s = enf::find_sanction(tx.conn, &tx.scope, id)?.ok_or_else(|| missing(kind))?;
            let notified_on = match (kind, s.kind) {
                (BesluitKind::Fine, SanctionKind::AdministrativeFine) => fine_notified_on(&s.state)?,
                (BesluitKind::PenaltyOrder, SanctionKind::PenaltyOrder) => {
                    Some(from_json_text::<LodState>(&s.state)?.issued_on)
                }
                (BesluitKind::CollectionDecision, SanctionKind::PenaltyOrder) => {
                    from_json_text::<LodState>(&s.state)?
                        .forfeitures
                        .iter()
                        .filter_map(|f| f.collection_decided_on)
                        .max()
                }
                (BesluitKind::AdministrativeCoercion, SanctionKind::AdministrativeCoercion)
                | (BesluitKind::ManagementTakeover, SanctionKind::ManagementTakeover) => Some(s.effective_on),
                _ => None,
            };
            Ok(Besluit {
                notified_on: notified_on.ok_or_else(|| missing(kind))?,
                municipality_code: s.municipality_code,
                landlord_id: s.landlord_id,
                sanction_state: Some(s.state_name),
            })
        }
    }
}

/// The fine decision's bekendmaking, once decided (`None` at the rapport and intent stages or
/// when dropped before a decision).
fn fine_notified_on(stored: &str) -> AppResult<Option<NaiveDate>> {
    let value: serde_json::Value = from_json_text(stored)?;
    let Some(decision) = value.get("decision") else { return Ok(None) };
    Ok(decision.get("notified_on").and_then(|d| d.as_str()).and_then(|d| d.parse().ok()))
}

/// The day the besluit of `kind` with `id` became final (onherroepelijk), or `None` while it is
/// open (or not a besluit in the caller's scope). Reads the besluit and its objections.
pub fn besluit_final_on(
    tx: &mut Tx<'_>,
    kind: BesluitKind,
    id: &str,
    calendar: &HolidayCalendar,
) -> AppResult<Option<NaiveDate>> {
    let b = match find(tx, kind, id) {
        Ok(b) => b,
        Err(AppError::Validation(_)) => return Ok(None),
        Err(e) => return Err(e),
    };
    let inputs: Vec<_> =
        q::for_besluit(tx.conn, kind, id)?.iter().map(|r| r.objection().finality()).collect();
    Ok(final_on(b.notified_on, &inputs, tx.today, calendar))
}
