//! Registration signals for burgerzaken (issue #15, item 4; supervision.md "Registration"): an
//! inspection that finds occupants not registered at the address in the BRP becomes a signal
//! that burgerzaken works as an address investigation. It is never a Wgv sanction: nothing here
//! leads to a violation or to enforcement.
//!
//! Lifecycle: `open → address_investigation → concluded`. A signal may also be concluded
//! straight from `open` when a check of the BRP settles it without an investigation: the
//! occupants are `registered` by now, or they are `not_found` (no one to investigate).
//! `deregistered` and `moved` are the results of an address investigation, so they need one.
//! Dates lie neither in the future nor before the step they follow.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Where a registration signal stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RegistrationStatus {
    /// Received from an inspection; nobody has taken it up.
    Open,
    /// Burgerzaken investigates the address.
    AddressInvestigation,
    /// Done, with an outcome.
    Concluded,
}
crate::closed_set!(RegistrationStatus {
    Open => "open",
    AddressInvestigation => "address_investigation",
    Concluded => "concluded",
});

/// What the address investigation found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RegistrationOutcome {
    /// The occupants are (now) registered at the address.
    Registered,
    /// Registrations at the address were ended (the occupants no longer live there).
    Deregistered,
    /// The occupants moved and are registered at their new address.
    Moved,
    /// The occupants could not be found.
    NotFound,
}
crate::closed_set!(RegistrationOutcome {
    Registered => "registered",
    Deregistered => "deregistered",
    Moved => "moved",
    NotFound => "not_found",
});

/// The steps of a registration signal (`POST /v1/registration-signals/{id}/<verb>`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RegistrationAction {
    StartInvestigation,
    Conclude,
}
crate::closed_set!(RegistrationAction {
    StartInvestigation => "start_investigation",
    Conclude => "conclude",
});

impl RegistrationAction {
    /// The verb of the route (`start-investigation`, `conclude`).
    pub fn verb(self) -> &'static str {
        match self {
            RegistrationAction::StartInvestigation => "start-investigation",
            RegistrationAction::Conclude => "conclude",
        }
    }
}

/// The part of a signal its lifecycle decides on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SignalState {
    pub status: RegistrationStatus,
    pub found_on: NaiveDate,
    pub investigation_started_on: Option<NaiveDate>,
    pub outcome: Option<RegistrationOutcome>,
    pub concluded_on: Option<NaiveDate>,
}

impl SignalState {
    /// A new signal found on `found_on`.
    pub fn new(found_on: NaiveDate) -> Self {
        SignalState {
            status: RegistrationStatus::Open,
            found_on,
            investigation_started_on: None,
            outcome: None,
            concluded_on: None,
        }
    }
}

/// A step asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    StartInvestigation { started_on: NaiveDate },
    Conclude { outcome: RegistrationOutcome, concluded_on: NaiveDate },
}

impl Step {
    pub fn action(self) -> RegistrationAction {
        match self {
            Step::StartInvestigation { .. } => RegistrationAction::StartInvestigation,
            Step::Conclude { .. } => RegistrationAction::Conclude,
        }
    }
}

/// Why a step was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StepError {
    /// The step is not possible in this state (HTTP 409).
    WrongState { status: RegistrationStatus, allowed: Vec<RegistrationAction> },
    /// A field of the step is not acceptable (HTTP 422): its name and why.
    Field { field: &'static str, reason: String },
}

/// The steps possible in `status`.
pub fn allowed_actions(status: RegistrationStatus) -> Vec<RegistrationAction> {
    match status {
        RegistrationStatus::Open => {
            vec![RegistrationAction::StartInvestigation, RegistrationAction::Conclude]
        }
        RegistrationStatus::AddressInvestigation => vec![RegistrationAction::Conclude],
        RegistrationStatus::Concluded => vec![],
    }
}

/// A date of a step: not after `today`, not before `earliest` (named `earliest_name`).
fn check_date(
    field: &'static str,
    day: NaiveDate,
    today: NaiveDate,
    earliest: NaiveDate,
    earliest_name: &str,
) -> Result<(), StepError> {
    if day > today {
        return Err(StepError::Field { field, reason: format!("lies in the future (today is {today})") });
    }
    if day < earliest {
        return Err(StepError::Field { field, reason: format!("lies before {earliest_name} ({earliest})") });
    }
    Ok(())
}

/// Applies `step` to the signal (`today`: the day in the Netherlands) and returns the new state.
pub fn apply(s: SignalState, step: Step, today: NaiveDate) -> Result<SignalState, StepError> {
    let wrong_state = || StepError::WrongState { status: s.status, allowed: allowed_actions(s.status) };
    if !allowed_actions(s.status).contains(&step.action()) {
        return Err(wrong_state());
    }
    match step {
        Step::StartInvestigation { started_on } => {
            check_date("started_on", started_on, today, s.found_on, "found_on")?;
            Ok(SignalState {
                status: RegistrationStatus::AddressInvestigation,
                investigation_started_on: Some(started_on),
                ..s
            })
        }
        Step::Conclude { outcome, concluded_on } => {
            if s.status == RegistrationStatus::Open
                && matches!(outcome, RegistrationOutcome::Deregistered | RegistrationOutcome::Moved)
            {
                return Err(StepError::Field {
                    field: "outcome",
                    reason: format!(
                        "{} follows an address investigation: start one first (only registered or \
                         not_found may conclude an open signal)",
                        crate::domain::code::Code::code(outcome)
                    ),
                });
            }
            match s.investigation_started_on {
                Some(started) => {
                    check_date("concluded_on", concluded_on, today, started, "investigation_started_on")?
                }
                None => check_date("concluded_on", concluded_on, today, s.found_on, "found_on")?,
            }
            Ok(SignalState {
                status: RegistrationStatus::Concluded,
                outcome: Some(outcome),
                concluded_on: Some(concluded_on),
                ..s
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn a_signal_goes_from_open_through_the_investigation_to_its_conclusion() {
        let today = d("2026-11-27");
        let s = SignalState::new(d("2026-11-01"));
        let s = apply(s, Step::StartInvestigation { started_on: d("2026-11-02") }, today).unwrap();
        assert_eq!(s.status, RegistrationStatus::AddressInvestigation);
        assert_eq!(s.investigation_started_on, Some(d("2026-11-02")));
        assert_eq!(allowed_actions(s.status), vec![RegistrationAction::Conclude]);
        let s = apply(
            s,
            Step::Conclude { outcome: RegistrationOutcome::Moved, concluded_on: d("2026-11-20") },
            today,
        )
        .unwrap();
        assert_eq!(s.status, RegistrationStatus::Concluded);
        assert_eq!((s.outcome, s.concluded_on), (Some(RegistrationOutcome::Moved), Some(d("2026-11-20"))));
        assert!(allowed_actions(s.status).is_empty());
    }

    #[test]
    fn an_open_signal_may_be_concluded_directly_only_as_registered_or_not_found() {
        let today = d("2026-11-27");
        let s = SignalState::new(d("2026-11-01"));
        for outcome in [RegistrationOutcome::Registered, RegistrationOutcome::NotFound] {
            let done = apply(s, Step::Conclude { outcome, concluded_on: d("2026-11-01") }, today).unwrap();
            assert_eq!(done.status, RegistrationStatus::Concluded);
            assert_eq!(done.investigation_started_on, None);
        }
        for outcome in [RegistrationOutcome::Deregistered, RegistrationOutcome::Moved] {
            let err = apply(s, Step::Conclude { outcome, concluded_on: d("2026-11-02") }, today).unwrap_err();
            assert!(matches!(err, StepError::Field { field: "outcome", .. }), "{err:?}");
        }
    }

    #[test]
    fn steps_in_the_wrong_state_are_refused_with_what_is_allowed() {
        let today = d("2026-11-27");
        let s = SignalState::new(d("2026-11-01"));
        let s = apply(s, Step::StartInvestigation { started_on: d("2026-11-01") }, today).unwrap();
        let again = apply(s, Step::StartInvestigation { started_on: d("2026-11-03") }, today).unwrap_err();
        assert_eq!(
            again,
            StepError::WrongState {
                status: RegistrationStatus::AddressInvestigation,
                allowed: vec![RegistrationAction::Conclude]
            }
        );
        let done =
            apply(s, Step::Conclude { outcome: RegistrationOutcome::Registered, concluded_on: today }, today)
                .unwrap();
        let twice =
            apply(done, Step::Conclude { outcome: RegistrationOutcome::Moved, concluded_on: today }, today)
                .unwrap_err();
        assert_eq!(twice, StepError::WrongState { status: RegistrationStatus::Concluded, allowed: vec![] });
    }

    #[test]
    fn dates_may_not_lie_in_the_future_or_before_the_step_they_follow() {
        let today = d("2026-11-27");
        let s = SignalState::new(d("2026-11-10"));
        let future = apply(s, Step::StartInvestigation { started_on: d("2026-11-28") }, today).unwrap_err();
        assert!(
            matches!(future, StepError::Field { field: "started_on", ref reason } if reason.contains("future"))
        );
        let early = apply(s, Step::StartInvestigation { started_on: d("2026-11-09") }, today).unwrap_err();
        assert!(
            matches!(early, StepError::Field { field: "started_on", ref reason } if reason.contains("found_on"))
        );
        let started = apply(s, Step::StartInvestigation { started_on: d("2026-11-15") }, today).unwrap();
        let before_start = apply(
            started,
            Step::Conclude { outcome: RegistrationOutcome::Moved, concluded_on: d("2026-11-14") },
            today,
        )
        .unwrap_err();
        assert!(
            matches!(before_start, StepError::Field { field: "concluded_on", ref reason } if reason.contains("investigation_started_on"))
        );
        let direct_early = apply(
            s,
            Step::Conclude { outcome: RegistrationOutcome::NotFound, concluded_on: d("2026-11-09") },
            today,
        )
        .unwrap_err();
        assert!(matches!(direct_early, StepError::Field { field: "concluded_on", .. }));
    }

    #[test]
    fn codes_are_stable() {
        use crate::domain::code::Code;
        assert_eq!(RegistrationStatus::AddressInvestigation.code(), "address_investigation");
        assert_eq!(RegistrationOutcome::NotFound.code(), "not_found");
        assert_eq!(RegistrationAction::StartInvestigation.verb(), "start-investigation");
    }
}
