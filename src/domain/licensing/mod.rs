//! Licence applications (verhuurvergunning, Wgv art. 5): the application state machine, the
//! Bibob check and the rules on which decisions are permitted, the refusal-ground screening,
//! the voorschriften catalogue, arbeidsmigrant classification, the transition period and
//! non-transferability.
//!
//! Pure: every function takes facts and returns a result; the HTTP layer maps
//! [`IllegalTransition`] to 409 (naming the allowed actions) and [`DecisionBlock`]s to 422.

mod application;
mod bibob;
mod decision;
mod screening;
#[cfg(test)]
mod tests;
mod validity;
mod voorschriften;

pub use application::{
    allowed_actions, allowed_actions_for, transition, Action, ActionKind, ApplicationState, DecisionOutcome,
    IllegalTransition,
};
pub use bibob::{
    allowed_bibob_actions, bibob_transition, BibobAction, BibobActionKind, BibobCheck, BibobDuty,
    BibobOutcome, BibobStatus, BibobTransition, IllegalBibobTransition,
};
pub use decision::{check_decision, permitted_outcomes, DecisionBlock, DecisionContext, DecisionRequest};
pub use screening::{
    screen_refusal_grounds, RefusalGround, ScreeningFlags, ScreeningInput, MONTHS_PER_YEAR,
    PRIOR_ENFORCEMENT_YEARS,
};
pub use validity::{
    classify_short_stay, earliest_licence_requirement, is_verblijfsruimte, licence_expires_on,
    licence_transfers_on_sale, ShortStayClassification, WorkerFacts,
};
pub use voorschriften::{validate_voorschrift, Voorschrift, VoorschriftError, VoorschriftKind};
