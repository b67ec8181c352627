//! The closed sets of licensing with their stored and shown codes, and the small rules about
//! licences and properties that are not part of the application state machine
//! (`domain::licensing`): the kind of a property, the status of a licence and the grounds of a
//! licence measure.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::domain::licensing::{ActionKind, ApplicationState, BibobActionKind, BibobOutcome, BibobStatus};
use crate::domain::ruleset::LicenceKind;

crate::closed_set!(ApplicationState {
    Draft => "draft",
    Submitted => "submitted",
    Incomplete => "incomplete",
    InReview => "in_review",
    Granted => "granted",
    GrantedWithConditions => "granted_with_conditions",
    Refused => "refused",
    Withdrawn => "withdrawn",
    NotConsidered => "not_considered",
});

crate::closed_set!(ActionKind {
    Submit => "submit",
    RequestInformation => "request_information",
    SupplyInformation => "supply_information",
    StartReview => "start_review",
    ExtendTerm => "extend_term",
    Withdraw => "withdraw",
    NotConsidered => "not_considered",
    Decide => "decide",
});

crate::closed_set!(LicenceKind { General => "general", LabourMigrant => "labour_migrant" });

crate::closed_set!(BibobStatus {
    NotStarted => "not_started",
    QuestionnaireSent => "questionnaire_sent",
    QuestionnaireReceived => "questionnaire_received",
    OwnInvestigation => "own_investigation",
    LbbAdviceRequested => "lbb_advice_requested",
    Completed => "completed",
});

crate::closed_set!(BibobOutcome {
    NoDanger => "no_danger",
    LesserDanger => "lesser_danger",
    SeriousDangerA => "serious_danger_a",
    SeriousDangerB => "serious_danger_b",
});

crate::closed_set!(BibobActionKind {
    SendQuestionnaire => "send_questionnaire",
    ReceiveQuestionnaire => "receive_questionnaire",
    StartOwnInvestigation => "start_own_investigation",
    RequestLbbAdvice => "request_lbb_advice",
    Complete => "complete",
});

/// Undecided states in which the decision term runs (or is suspended).
pub const OPEN_STATES: [ApplicationState; 3] =
    [ApplicationState::Submitted, ApplicationState::Incomplete, ApplicationState::InReview];

/// Kind of housing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PropertyKind {
    /// Zelfstandige woonruimte (own entrance, kitchen, toilet).
    SelfContained,
    /// Onzelfstandige woonruimte: rooms let separately.
    RoomsLetSeparately,
    Other,
}
crate::closed_set!(PropertyKind {
    SelfContained => "self_contained",
    RoomsLetSeparately => "rooms_let_separately",
    Other => "other",
});

/// The stored state of a licence; `expired` is derived from `valid_until` ([`LicenceStatus`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LicenceState {
    Active,
    Suspended,
    Revoked,
}
crate::closed_set!(LicenceState { Active => "active", Suspended => "suspended", Revoked => "revoked" });

/// Effective status: `active`, `suspended`, `revoked`, or `expired` (from `valid_until`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LicenceStatus {
    Active,
    Suspended,
    Revoked,
    Expired,
}
crate::closed_set!(LicenceStatus {
    Active => "active",
    Suspended => "suspended",
    Revoked => "revoked",
    Expired => "expired",
});

/// The status of a licence on `today`. `valid_until` is the first day the licence is no longer
/// valid; a revocation stays a revocation after that day.
pub fn effective_status(
    state: LicenceState,
    valid_until: Option<NaiveDate>,
    today: NaiveDate,
) -> LicenceStatus {
    match state {
        LicenceState::Revoked => LicenceStatus::Revoked,
        _ if valid_until.is_some_and(|u| today >= u) => LicenceStatus::Expired,
        LicenceState::Suspended => LicenceStatus::Suspended,
        LicenceState::Active => LicenceStatus::Active,
    }
}

/// Ground of a suspension or revocation.
// NOTE: the Wgv grounds for intrekking are UNCONFIRMED (rules.md §2.6; MvT §4.6) and a
// statutory basis for schorsing was not found; Wet Bibob art. 3 allows withdrawal. Jurist to
// confirm this list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LicenceMeasureGround {
    /// Licence conditions (voorschriften) are not complied with.
    ConditionsViolated,
    /// The general rules of goed verhuurderschap (Wgv art. 2) are violated.
    GeneralRulesViolated,
    /// The licence was granted on incorrect or incomplete information.
    IncorrectInformation,
    /// Serious danger, Wet Bibob art. 3 (zienswijze first, art. 33).
    BibobSeriousDanger,
    Other,
}
crate::closed_set!(LicenceMeasureGround {
    ConditionsViolated => "conditions_violated",
    GeneralRulesViolated => "general_rules_violated",
    IncorrectInformation => "incorrect_information",
    BibobSeriousDanger => "bibob_serious_danger",
    Other => "other",
});

/// What an officer does to a licence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Measure {
    Suspend,
    Revoke,
    Reinstate,
}

impl Measure {
    /// The verb, as named in the 409 `allowed_actions` and the audit trail.
    pub fn verb(self) -> &'static str {
        match self {
            Measure::Suspend => "suspend",
            Measure::Revoke => "revoke",
            Measure::Reinstate => "reinstate",
        }
    }

    /// The stored state afterwards.
    pub fn to(self) -> LicenceState {
        match self {
            Measure::Suspend => LicenceState::Suspended,
            Measure::Revoke => LicenceState::Revoked,
            Measure::Reinstate => LicenceState::Active,
        }
    }

    /// The measures possible on a licence with this status.
    pub fn allowed(status: LicenceStatus) -> &'static [&'static str] {
        match status {
            LicenceStatus::Active => &["suspend", "revoke"],
            LicenceStatus::Suspended => &["reinstate", "revoke"],
            LicenceStatus::Revoked | LicenceStatus::Expired => &[],
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::domain::code::Code;

    #[test]
    fn codes_match_the_serde_names() {
        fn same<T: Code + Serialize>() {
            for m in T::ALL {
                assert_eq!(serde_json::to_value(m).unwrap(), serde_json::Value::from(m.code()));
            }
        }
        same::<ApplicationState>();
        same::<ActionKind>();
        same::<LicenceKind>();
        same::<BibobStatus>();
        same::<BibobOutcome>();
        same::<BibobActionKind>();
        same::<PropertyKind>();
        same::<LicenceState>();
        same::<LicenceStatus>();
        same::<LicenceMeasureGround>();
    }

    #[test]
    fn expiry_follows_valid_until_but_a_revocation_stays() {
        let d = |day| NaiveDate::from_ymd_opt(2026, 1, day).unwrap();
        assert_eq!(effective_status(LicenceState::Active, Some(d(10)), d(9)), LicenceStatus::Active);
        assert_eq!(effective_status(LicenceState::Active, Some(d(10)), d(10)), LicenceStatus::Expired);
        assert_eq!(effective_status(LicenceState::Suspended, Some(d(10)), d(11)), LicenceStatus::Expired);
        assert_eq!(effective_status(LicenceState::Revoked, Some(d(10)), d(11)), LicenceStatus::Revoked);
        assert_eq!(Measure::allowed(LicenceStatus::Suspended), &["reinstate", "revoke"]);
    }
}
