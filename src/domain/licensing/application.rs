//! The licence application state machine (DESIGN.md lifecycle): states, actions, allowed
//! actions and transitions.

use serde::{Deserialize, Serialize};

use crate::domain::roles::Role;

/// State of a licence application (DESIGN.md lifecycle).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ApplicationState {
    Draft,
    Submitted,
    /// Awaiting supplementary information (Awb 4:5 herstelverzuim).
    Incomplete,
    InReview,
    Granted,
    GrantedWithConditions,
    Refused,
    /// Withdrawn by the applicant.
    Withdrawn,
    /// Buiten behandeling gelaten (Awb 4:5): information not supplied in time.
    NotConsidered,
}

impl ApplicationState {
    /// Granted, granted with conditions, or refused.
    pub fn is_decided(self) -> bool {
        matches!(
            self,
            ApplicationState::Granted | ApplicationState::GrantedWithConditions | ApplicationState::Refused
        )
    }

    /// No further action is possible.
    pub fn is_final(self) -> bool {
        self.is_decided() || matches!(self, ApplicationState::Withdrawn | ApplicationState::NotConsidered)
    }
}

/// The three decisions on the merits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DecisionOutcome {
    Granted,
    GrantedWithConditions,
    Refused,
}

impl DecisionOutcome {
    pub fn state(self) -> ApplicationState {
        match self {
            DecisionOutcome::Granted => ApplicationState::Granted,
            DecisionOutcome::GrantedWithConditions => ApplicationState::GrantedWithConditions,
            DecisionOutcome::Refused => ApplicationState::Refused,
        }
    }
}

/// What a user asks to do with an application.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "action", content = "outcome")]
pub enum Action {
    Submit,
    RequestInformation,
    SupplyInformation,
    StartReview,
    /// Announce the one extension of the decision term (Awb 4:14); the state does not
    /// change. That it happens only once is checked by `DecisionClock::extend`.
    ExtendTerm,
    Withdraw,
    /// Decide not to consider the application (Awb 4:5).
    NotConsidered,
    Decide(DecisionOutcome),
}

/// The name of an action, without its data (for the 409 "allowed actions" list).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActionKind {
    Submit,
    RequestInformation,
    SupplyInformation,
    StartReview,
    ExtendTerm,
    Withdraw,
    NotConsidered,
    Decide,
}

impl Action {
    pub fn kind(self) -> ActionKind {
        match self {
            Action::Submit => ActionKind::Submit,
            Action::RequestInformation => ActionKind::RequestInformation,
            Action::SupplyInformation => ActionKind::SupplyInformation,
            Action::StartReview => ActionKind::StartReview,
            Action::ExtendTerm => ActionKind::ExtendTerm,
            Action::Withdraw => ActionKind::Withdraw,
            Action::NotConsidered => ActionKind::NotConsidered,
            Action::Decide(_) => ActionKind::Decide,
        }
    }
}

/// An action that is not allowed in the current state (HTTP 409).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[error("action {action:?} is not allowed in state {from:?}; allowed: {allowed:?}")]
pub struct IllegalTransition {
    pub from: ApplicationState,
    pub action: ActionKind,
    pub allowed: Vec<ActionKind>,
}

/// Actions allowed in a state.
pub fn allowed_actions(state: ApplicationState) -> Vec<ActionKind> {
    use ActionKind as K;
    match state {
        ApplicationState::Draft => vec![K::Submit, K::Withdraw],
        ApplicationState::Submitted => {
            vec![K::RequestInformation, K::StartReview, K::ExtendTerm, K::Withdraw]
        }
        ApplicationState::Incomplete => {
            vec![K::SupplyInformation, K::NotConsidered, K::ExtendTerm, K::Withdraw]
        }
        ApplicationState::InReview => {
            vec![K::RequestInformation, K::ExtendTerm, K::Withdraw, K::Decide]
        }
        ApplicationState::Granted
        | ApplicationState::GrantedWithConditions
        | ApplicationState::Refused
        | ApplicationState::Withdrawn
        | ApplicationState::NotConsidered => Vec::new(),
    }
}

impl ActionKind {
    /// The role whose route performs this action: the landlord submits, supplies information
    /// and withdraws; an officer handles the rest (the routes' `Auth` policies agree).
    pub fn performed_by(self, role: Role) -> bool {
        use ActionKind as K;
        match self {
            K::Submit | K::SupplyInformation | K::Withdraw => role == Role::Landlord,
            K::RequestInformation | K::StartReview | K::ExtendTerm | K::NotConsidered | K::Decide => {
                role == Role::Officer
            }
        }
    }
}

impl ActionKind {
    pub const ALL: [ActionKind; 8] = [
        ActionKind::Submit,
        ActionKind::RequestInformation,
        ActionKind::SupplyInformation,
        ActionKind::StartReview,
        ActionKind::ExtendTerm,
        ActionKind::Withdraw,
        ActionKind::NotConsidered,
        ActionKind::Decide,
    ];
}

/// Actions allowed in a state that this role may perform (the `allowed_actions` a caller sees).
pub fn allowed_actions_for(state: ApplicationState, role: Role) -> Vec<ActionKind> {
    allowed_actions(state).into_iter().filter(|a| a.performed_by(role)).collect()
}

/// The next state, or why not. Whether a *decision* is permitted on the merits (Bibob,
/// grounds, voorschriften) is checked separately by [`check_decision`].
pub fn transition(state: ApplicationState, action: Action) -> Result<ApplicationState, IllegalTransition> {
    use ApplicationState as S;
    let next = match (state, action) {
        (S::Draft, Action::Submit) => Some(S::Submitted),
        (S::Submitted | S::InReview, Action::RequestInformation) => Some(S::Incomplete),
        (S::Incomplete, Action::SupplyInformation) => Some(S::Submitted),
        (S::Submitted, Action::StartReview) => Some(S::InReview),
        (S::Submitted | S::Incomplete | S::InReview, Action::ExtendTerm) => Some(state),
        (S::Draft | S::Submitted | S::Incomplete | S::InReview, Action::Withdraw) => Some(S::Withdrawn),
        (S::Incomplete, Action::NotConsidered) => Some(S::NotConsidered),
        (S::InReview, Action::Decide(outcome)) => Some(outcome.state()),
        _ => None,
    };
    next.ok_or_else(|| IllegalTransition {
        from: state,
        action: action.kind(),
        allowed: allowed_actions(state),
    })
}
