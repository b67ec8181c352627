//! Licence applications (verhuurvergunning, Wgv art. 5): the application state machine, the
//! Bibob check and the rules on which decisions are permitted, the refusal-ground screening,
//! the voorschriften catalogue, arbeidsmigrant classification, the transition period and
//! non-transferability.
//!
//! Pure: every function takes facts and returns a result; the HTTP layer maps
//! [`IllegalTransition`] to 409 (naming the allowed actions) and [`DecisionBlock`]s to 422.

use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::domain::ruleset::{LicenceKind, RuleSet, MIN_TRANSITION_MONTHS};

// ---------------------------------------------------------------------------------------------
// Application state machine
// ---------------------------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------------------------
// Bibob (Wet Bibob, rules.md §2.8)
// ---------------------------------------------------------------------------------------------

/// Status of the Bibob check of one application.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BibobStatus {
    NotStarted,
    /// Art. 30 questionnaire sent to the applicant.
    QuestionnaireSent,
    QuestionnaireReceived,
    /// Eigen onderzoek by the municipality (art. 30 lid 4).
    OwnInvestigation,
    /// Advice requested from the Landelijk Bureau Bibob (art. 9); decision term suspended
    /// (art. 31); applicant must be told (art. 32).
    LbbAdviceRequested,
    Completed,
}

impl BibobStatus {
    /// A check is under way: no decision on the merits yet.
    pub fn in_progress(self) -> bool {
        !matches!(self, BibobStatus::NotStarted | BibobStatus::Completed)
    }
}

/// Conclusion of the Bibob check (own investigation or LBB advice).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BibobOutcome {
    NoDanger,
    /// Mindere mate van gevaar: voorschriften possible (art. 3 lid 7), no Bibob refusal.
    LesserDanger,
    /// Ernstig gevaar that the licence will be used to exploit financial benefits from
    /// criminal offences (art. 3 lid 1 sub a).
    SeriousDangerA,
    /// Ernstig gevaar that the licence will be used to commit criminal offences
    /// (art. 3 lid 1 sub b).
    SeriousDangerB,
}

impl BibobOutcome {
    pub fn is_serious(self) -> bool {
        matches!(self, BibobOutcome::SeriousDangerA | BibobOutcome::SeriousDangerB)
    }
}

/// Steps in the Bibob check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "action", content = "outcome")]
pub enum BibobAction {
    SendQuestionnaire,
    ReceiveQuestionnaire,
    StartOwnInvestigation,
    RequestLbbAdvice,
    Complete(BibobOutcome),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BibobActionKind {
    SendQuestionnaire,
    ReceiveQuestionnaire,
    StartOwnInvestigation,
    RequestLbbAdvice,
    Complete,
}

impl BibobAction {
    pub fn kind(self) -> BibobActionKind {
        match self {
            BibobAction::SendQuestionnaire => BibobActionKind::SendQuestionnaire,
            BibobAction::ReceiveQuestionnaire => BibobActionKind::ReceiveQuestionnaire,
            BibobAction::StartOwnInvestigation => BibobActionKind::StartOwnInvestigation,
            BibobAction::RequestLbbAdvice => BibobActionKind::RequestLbbAdvice,
            BibobAction::Complete(_) => BibobActionKind::Complete,
        }
    }
}

/// Something the caller must do in the same transaction as the status change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BibobDuty {
    /// Wet Bibob art. 32: tell the applicant that LBB advice was requested (scenario 16).
    NotifyApplicantOfLbbRequest,
    /// Wet Bibob art. 31: record a `Suspension::BibobAdvice` on the decision clock.
    SuspendDecisionTerm,
    /// LBB advice received: close the `Suspension::BibobAdvice` (received_on).
    ResumeDecisionTerm,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BibobTransition {
    pub to: BibobStatus,
    pub outcome: Option<BibobOutcome>,
    pub duties: Vec<BibobDuty>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[error("Bibob action {action:?} is not allowed in status {from:?}; allowed: {allowed:?}")]
pub struct IllegalBibobTransition {
    pub from: BibobStatus,
    pub action: BibobActionKind,
    pub allowed: Vec<BibobActionKind>,
}

pub fn allowed_bibob_actions(status: BibobStatus) -> Vec<BibobActionKind> {
    use BibobActionKind as K;
    match status {
        BibobStatus::NotStarted => {
            vec![K::SendQuestionnaire, K::StartOwnInvestigation, K::Complete]
        }
        BibobStatus::QuestionnaireSent => vec![K::ReceiveQuestionnaire],
        BibobStatus::QuestionnaireReceived => {
            vec![K::StartOwnInvestigation, K::RequestLbbAdvice, K::Complete]
        }
        BibobStatus::OwnInvestigation => vec![K::RequestLbbAdvice, K::Complete],
        BibobStatus::LbbAdviceRequested => vec![K::Complete],
        BibobStatus::Completed => Vec::new(),
    }
}

/// Next Bibob status with the duties the caller must carry out (outbox rows, clock events).
// NOTE: a questionnaire that is not returned leads to Awb 4:5 (application not considered) on
// the application itself, not to a Bibob status.
pub fn bibob_transition(
    status: BibobStatus,
    action: BibobAction,
) -> Result<BibobTransition, IllegalBibobTransition> {
    use BibobStatus as S;
    let allowed = allowed_bibob_actions(status);
    if !allowed.contains(&action.kind()) {
        return Err(IllegalBibobTransition { from: status, action: action.kind(), allowed });
    }
    let t = |to, duties| BibobTransition { to, outcome: None, duties };
    Ok(match action {
        BibobAction::SendQuestionnaire => t(S::QuestionnaireSent, vec![]),
        BibobAction::ReceiveQuestionnaire => t(S::QuestionnaireReceived, vec![]),
        BibobAction::StartOwnInvestigation => t(S::OwnInvestigation, vec![]),
        BibobAction::RequestLbbAdvice => t(
            S::LbbAdviceRequested,
            vec![BibobDuty::NotifyApplicantOfLbbRequest, BibobDuty::SuspendDecisionTerm],
        ),
        BibobAction::Complete(outcome) => BibobTransition {
            to: S::Completed,
            outcome: Some(outcome),
            duties: if status == S::LbbAdviceRequested {
                vec![BibobDuty::ResumeDecisionTerm]
            } else {
                vec![]
            },
        },
    })
}

/// The Bibob facts of one application as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BibobCheck {
    pub status: BibobStatus,
    pub outcome: Option<BibobOutcome>,
    /// Day the applicant was invited to give a zienswijze on the intended Bibob measure
    /// (Wet Bibob art. 33).
    pub zienswijze_invited_on: Option<NaiveDate>,
}

impl Default for BibobCheck {
    fn default() -> Self {
        BibobCheck { status: BibobStatus::NotStarted, outcome: None, zienswijze_invited_on: None }
    }
}

// ---------------------------------------------------------------------------------------------
// Refusal grounds and screening (rules.md §2.5)
// ---------------------------------------------------------------------------------------------

/// Wgv refusal grounds per [S14] `[SECONDARY]` (exact Wgv article `UNCONFIRMED`). All are
/// bevoegdheden ("kan weigeren"): flagged, never applied automatically.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RefusalGround {
    /// A permit required to realise the dwelling is missing (scenario 9).
    MissingPermit,
    /// Enforcement action against the landlord in the preceding 8 years (scenario 7).
    PriorEnforcement8y,
    /// One of the landlord's dwellings is or was in beheer genomen (scenario 10).
    Beheer,
    /// Ernstig gevaar, Wet Bibob art. 3 lid 1.
    BibobSeriousDanger,
}

/// Preceding period for prior enforcement: 8 years `[SECONDARY]` [S14] (rules.md §2.5 ground 2).
const PRIOR_ENFORCEMENT_YEARS: u32 = 8;
const MONTHS_PER_YEAR: u32 = 12;

/// Facts for the screening.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScreeningInput {
    pub application_date: NaiveDate,
    /// Dates of enforcement decisions against this landlord under the Wgv or other
    /// housing-related rules (Woningwet, Huisvestingswet, …).
    pub prior_enforcement_dates: Vec<NaiveDate>,
    /// A permit required to realise the dwelling (bouwen, afwijken bestemmingsplan) is missing.
    pub missing_realisation_permit: bool,
    /// One of the landlord's dwellings is or was in beheer genomen.
    pub dwelling_in_beheer: bool,
}

/// Flags for the officer; `refusal_mandatory` does not exist on purpose.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScreeningFlags {
    pub prior_enforcement_8y: bool,
    pub missing_permit: bool,
    pub beheer: bool,
}

impl ScreeningFlags {
    pub fn grounds(&self) -> Vec<RefusalGround> {
        let mut g = Vec::new();
        if self.missing_permit {
            g.push(RefusalGround::MissingPermit);
        }
        if self.prior_enforcement_8y {
            g.push(RefusalGround::PriorEnforcement8y);
        }
        if self.beheer {
            g.push(RefusalGround::Beheer);
        }
        g
    }
}

/// Screen the non-Bibob refusal grounds (scenarios 7, 9, 10). Never refuses by itself.
// NOTE: "preceding 8 years" is taken inclusive: an enforcement decision dated exactly
// 8 years before the application date counts. Jurist to confirm.
pub fn screen_refusal_grounds(input: &ScreeningInput) -> ScreeningFlags {
    let window_start = input
        .application_date
        .checked_sub_months(Months::new(PRIOR_ENFORCEMENT_YEARS * MONTHS_PER_YEAR))
        .unwrap_or(NaiveDate::MIN);
    ScreeningFlags {
        prior_enforcement_8y: input
            .prior_enforcement_dates
            .iter()
            .any(|d| *d >= window_start && *d <= input.application_date),
        missing_permit: input.missing_realisation_permit,
        beheer: input.dwelling_in_beheer,
    }
}

// ---------------------------------------------------------------------------------------------
// Voorschriften (licence conditions), rules.md §2.3 / §2.4
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VoorschriftKind {
    /// How the landlord complies with goed verhuurderschap (general licence catalogue).
    GoodLandlordshipCompliance,
    /// Maximum rent — zelfstandige woonruimte only (general licence catalogue).
    MaximumRent,
    /// Maximum rent increase — mentioned in the MvT next to maximum rent.
    MaximumRentIncrease,
    /// Draw up and carry out an onderhoudsplan (general licence catalogue).
    MaintenancePlan,
    /// Record the lease in writing (MvT heading).
    WrittenLease,
    /// Maximum occupants (arbeidsmigranten licence).
    OccupancyLimit,
    /// Facilities per person (arbeidsmigranten licence).
    FacilityRequirement,
    /// Voorschrift aimed at limiting a lesser Bibob danger (Wet Bibob art. 3 lid 7).
    BibobDangerLimitation,
    /// Anything else, free text.
    Other,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Voorschrift {
    pub kind: VoorschriftKind,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "reason")]
pub enum VoorschriftError {
    #[error("the general licence allows only the conditions listed in the Wgv (goed verhuurderschap, maximum rent of zelfstandige woonruimte, onderhoudsplan, written lease)")]
    NotInCatalogue,
    #[error("a maximum rent (increase) can only be set for zelfstandige woonruimte")]
    RentConditionNotSelfContained,
    #[error("a voorschrift needs a text")]
    EmptyText,
}

/// Check one voorschrift against the catalogue for the licence kind (scenario 12).
///
/// General licence: the Wgv lists conditions limitatively [S18][S19] `[SECONDARY]`.
/// Arbeidsmigranten licence: "further requirements" allowed; statutory list `UNCONFIRMED`.
// NOTE: for the arbeidsmigranten licence every kind is accepted because the statutory list is
// UNCONFIRMED (rules.md §2.4); tighten once the jurist has read Wgv art. 6–10.
pub fn validate_voorschrift(
    licence_kind: LicenceKind,
    voorschrift: &Voorschrift,
    self_contained: bool,
) -> Result<(), VoorschriftError> {
    use VoorschriftKind as V;
    if voorschrift.text.trim().is_empty() {
        return Err(VoorschriftError::EmptyText);
    }
    if licence_kind == LicenceKind::LabourMigrant {
        return Ok(());
    }
    match voorschrift.kind {
        V::GoodLandlordshipCompliance | V::MaintenancePlan | V::WrittenLease | V::BibobDangerLimitation => {
            Ok(())
        }
        // NOTE: rules.md names the rent-increase cap only via the MvT; we treat it like the
        // maximum rent (zelfstandige woonruimte only).
        V::MaximumRent | V::MaximumRentIncrease if self_contained => Ok(()),
        V::MaximumRent | V::MaximumRentIncrease => Err(VoorschriftError::RentConditionNotSelfContained),
        V::OccupancyLimit | V::FacilityRequirement | V::Other => Err(VoorschriftError::NotInCatalogue),
    }
}

// ---------------------------------------------------------------------------------------------
// Decision permissibility (scenarios 13–15)
// ---------------------------------------------------------------------------------------------

/// What the officer proposes to decide.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DecisionRequest {
    pub outcome: DecisionOutcome,
    pub decided_on: NaiveDate,
    #[serde(default)]
    pub refusal_grounds: Vec<RefusalGround>,
    #[serde(default)]
    pub voorschriften: Vec<Voorschrift>,
    /// Motivation of the decision (Awb 3:46); required for a refusal.
    #[serde(default)]
    pub motivation: Option<String>,
    /// Why a Bibob refusal is proportionate to the danger (Wet Bibob art. 3 lid 5).
    #[serde(default)]
    pub proportionality_motivation: Option<String>,
}

/// Facts the decision depends on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DecisionContext {
    pub licence_kind: LicenceKind,
    /// Zelfstandige woonruimte (decides whether a maximum rent condition is possible).
    pub self_contained: bool,
    pub bibob: BibobCheck,
    pub screening: ScreeningFlags,
}

/// Why a proposed decision may not be taken (HTTP 422, one entry per problem).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "code")]
pub enum DecisionBlock {
    /// The Bibob check is still under way.
    BibobInProgress,
    RefusalWithoutGround,
    RefusalWithoutMotivation,
    /// A refusal ground was chosen that the screening did not flag.
    GroundNotEstablished {
        ground: RefusalGround,
    },
    /// Bibob refusal needs serious danger (Wet Bibob art. 3 lid 1); lesser danger allows
    /// only voorschriften (scenario 14).
    BibobRefusalWithoutSeriousDanger,
    /// Wet Bibob art. 33: zienswijze before a Bibob refusal or Bibob voorschriften.
    ZienswijzeMissing,
    /// Wet Bibob art. 3 lid 5: proportionality motivation missing.
    ProportionalityMotivationMissing,
    /// Bibob voorschriften only for a lesser degree of danger (art. 3 lid 7).
    BibobConditionsWithoutLesserDanger,
    /// `granted_with_conditions` without voorschriften.
    ConditionsMissing,
    /// Voorschriften on a plain grant or a refusal: use `granted_with_conditions`.
    ConditionsNotExpected,
    /// A voorschrift outside the catalogue (index into `voorschriften`).
    InvalidVoorschrift {
        index: usize,
        error: VoorschriftError,
    },
}

fn blank(s: &Option<String>) -> bool {
    s.as_deref().is_none_or(|t| t.trim().is_empty())
}

/// Whether the proposed decision is permitted (scenarios 13–15). Returns every problem.
pub fn check_decision(ctx: &DecisionContext, req: &DecisionRequest) -> Result<(), Vec<DecisionBlock>> {
    let mut blocks = Vec::new();
    let bibob = &ctx.bibob;
    if bibob.status.in_progress() {
        blocks.push(DecisionBlock::BibobInProgress);
    }
    let outcome = if bibob.status == BibobStatus::Completed { bibob.outcome } else { None };
    // Wet Bibob art. 33: the zienswijze must precede the decision.
    let zienswijze_done = bibob.zienswijze_invited_on.is_some_and(|d| d < req.decided_on);

    match req.outcome {
        DecisionOutcome::Refused => {
            if req.refusal_grounds.is_empty() {
                blocks.push(DecisionBlock::RefusalWithoutGround);
            }
            if blank(&req.motivation) {
                blocks.push(DecisionBlock::RefusalWithoutMotivation);
            }
            if !req.voorschriften.is_empty() {
                blocks.push(DecisionBlock::ConditionsNotExpected);
            }
            let flagged = ctx.screening.grounds();
            for ground in &req.refusal_grounds {
                if *ground == RefusalGround::BibobSeriousDanger {
                    if !outcome.is_some_and(BibobOutcome::is_serious) {
                        blocks.push(DecisionBlock::BibobRefusalWithoutSeriousDanger);
                    }
                    if !zienswijze_done {
                        blocks.push(DecisionBlock::ZienswijzeMissing);
                    }
                    if blank(&req.proportionality_motivation) {
                        blocks.push(DecisionBlock::ProportionalityMotivationMissing);
                    }
                } else if !flagged.contains(ground) {
                    blocks.push(DecisionBlock::GroundNotEstablished { ground: *ground });
                }
            }
        }
        DecisionOutcome::Granted => {
            if !req.voorschriften.is_empty() {
                blocks.push(DecisionBlock::ConditionsNotExpected);
            }
        }
        DecisionOutcome::GrantedWithConditions => {
            if req.voorschriften.is_empty() {
                blocks.push(DecisionBlock::ConditionsMissing);
            }
            for (index, v) in req.voorschriften.iter().enumerate() {
                if let Err(error) = validate_voorschrift(ctx.licence_kind, v, ctx.self_contained) {
                    blocks.push(DecisionBlock::InvalidVoorschrift { index, error });
                }
            }
            let has_bibob_conditions =
                req.voorschriften.iter().any(|v| v.kind == VoorschriftKind::BibobDangerLimitation);
            if has_bibob_conditions {
                if outcome != Some(BibobOutcome::LesserDanger) {
                    blocks.push(DecisionBlock::BibobConditionsWithoutLesserDanger);
                }
                if !zienswijze_done {
                    blocks.push(DecisionBlock::ZienswijzeMissing);
                }
            }
        }
    }
    if blocks.is_empty() {
        Ok(())
    } else {
        Err(blocks)
    }
}

/// Outcomes that can be chosen on these facts (for the officer's screen). Refusal appears only
/// when a ground is available; grant is always possible (refusal grounds are discretionary).
pub fn permitted_outcomes(ctx: &DecisionContext) -> Vec<DecisionOutcome> {
    if ctx.bibob.status.in_progress() {
        return Vec::new();
    }
    let serious =
        ctx.bibob.status == BibobStatus::Completed && ctx.bibob.outcome.is_some_and(BibobOutcome::is_serious);
    let mut out = vec![DecisionOutcome::Granted, DecisionOutcome::GrantedWithConditions];
    if serious || !ctx.screening.grounds().is_empty() {
        out.push(DecisionOutcome::Refused);
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Arbeidsmigrant classification (Wgv art. 1), transition, transfer, validity, short stay
// ---------------------------------------------------------------------------------------------

/// The three facts of the Wgv art. 1 definition, kept separate because each can change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkerFacts {
    /// National of another EU member state.
    pub eu_national: bool,
    /// Hoofdverblijf in the Netherlands.
    pub hoofdverblijf_nl: bool,
    /// Stays in NL to do temporary work.
    pub temporary_work: bool,
}

impl WorkerFacts {
    /// Wgv art. 1 `[LAW-READ]` [S1]: EU national, hoofdverblijf not in NL, temporary work.
    pub fn is_arbeidsmigrant(self) -> bool {
        self.eu_national && !self.hoofdverblijf_nl && self.temporary_work
    }
}

/// Wgv art. 1: a verblijfsruimte is any building (part) intended or used for housing
/// arbeidsmigranten — an ordinary dwelling or a chalet on employer premises alike (scenario 5).
pub fn is_verblijfsruimte(intended_for_labour_migrants: bool, occupants: &[WorkerFacts]) -> bool {
    intended_for_labour_migrants || occupants.iter().any(|w| w.is_arbeidsmigrant())
}

/// Earliest date a licence can be required for a lease (scenario 6). Leases that existed when
/// the verordening entered into force get the transition period (≥ 6 months, from the rule
/// set); newer leases are covered from their start.
pub fn earliest_licence_requirement(
    verordening_in_force: NaiveDate,
    lease_started_on: NaiveDate,
    rules: &RuleSet,
) -> NaiveDate {
    if lease_started_on >= verordening_in_force {
        return lease_started_on;
    }
    let months = rules.transition_months.max(MIN_TRANSITION_MONTHS);
    verordening_in_force.checked_add_months(Months::new(months)).unwrap_or(NaiveDate::MAX)
}

/// Whether a licence passes to a buyer (scenario 11). All verordeningen read say
/// "niet overdraagbaar" [S13]; the buyer must apply for a licence of their own.
pub fn licence_transfers_on_sale(rules: &RuleSet) -> bool {
    rules.licence_transferable
}

/// First day the licence is no longer valid, or `None` if indefinite (rule set).
pub fn licence_expires_on(valid_from: NaiveDate, rules: &RuleSet) -> Option<NaiveDate> {
    rules.licence_validity_years.map(|years| {
        valid_from
            .checked_add_months(Months::new(years.saturating_mul(MONTHS_PER_YEAR)))
            .unwrap_or(NaiveDate::MAX)
    })
}

/// Short-stay cap in the pending proposal: 30 days `[SECONDARY]` [S28] (rules.md §7).
const SHORT_STAY_MAX_DAYS: u32 = 30;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ShortStayClassification {
    /// Flag off (law in force today): no automatic classification.
    NotClassified,
    /// Within the proposed cap: may be "naar aard van korte duur".
    ShortStayPossible,
    /// Beyond the cap: a regular lease with huurbescherming.
    RegularLease,
}

/// Scenario 63 (feature-flagged).
pub fn classify_short_stay(rules: &RuleSet, agreed_days: u32) -> ShortStayClassification {
    if !rules.features.short_stay_30_days {
        ShortStayClassification::NotClassified
    } else if agreed_days <= SHORT_STAY_MAX_DAYS {
        ShortStayClassification::ShortStayPossible
    } else {
        ShortStayClassification::RegularLease
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    // --- state machine ---

    #[test]
    fn happy_path_draft_to_granted() {
        let mut s = ApplicationState::Draft;
        for a in [
            Action::Submit,
            Action::RequestInformation,
            Action::SupplyInformation,
            Action::StartReview,
            Action::ExtendTerm,
            Action::Decide(DecisionOutcome::Granted),
        ] {
            s = transition(s, a).unwrap();
        }
        assert_eq!(s, ApplicationState::Granted);
        assert!(s.is_decided() && s.is_final());
    }

    #[test]
    fn illegal_transition_names_allowed_actions() {
        let err =
            transition(ApplicationState::Submitted, Action::Decide(DecisionOutcome::Refused)).unwrap_err();
        assert_eq!(err.from, ApplicationState::Submitted);
        assert_eq!(err.action, ActionKind::Decide);
        assert_eq!(
            err.allowed,
            vec![
                ActionKind::RequestInformation,
                ActionKind::StartReview,
                ActionKind::ExtendTerm,
                ActionKind::Withdraw
            ]
        );
        let json = serde_json::to_value(&err).unwrap();
        assert_eq!(json["allowed"][1], "start_review");
    }

    #[test]
    fn final_states_allow_nothing() {
        for s in [
            ApplicationState::Granted,
            ApplicationState::GrantedWithConditions,
            ApplicationState::Refused,
            ApplicationState::Withdrawn,
            ApplicationState::NotConsidered,
        ] {
            assert!(allowed_actions(s).is_empty());
            assert!(transition(s, Action::Withdraw).is_err());
        }
    }

    #[test]
    fn not_considered_only_from_incomplete() {
        assert_eq!(
            transition(ApplicationState::Incomplete, Action::NotConsidered),
            Ok(ApplicationState::NotConsidered)
        );
        assert!(transition(ApplicationState::InReview, Action::NotConsidered).is_err());
    }

    #[test]
    fn allowed_actions_agree_with_transition() {
        let states = [
            ApplicationState::Draft,
            ApplicationState::Submitted,
            ApplicationState::Incomplete,
            ApplicationState::InReview,
            ApplicationState::Granted,
            ApplicationState::Withdrawn,
        ];
        let actions = [
            Action::Submit,
            Action::RequestInformation,
            Action::SupplyInformation,
            Action::StartReview,
            Action::ExtendTerm,
            Action::Withdraw,
            Action::NotConsidered,
            Action::Decide(DecisionOutcome::GrantedWithConditions),
        ];
        for s in states {
            for a in actions {
                assert_eq!(transition(s, a).is_ok(), allowed_actions(s).contains(&a.kind()), "{s:?} {a:?}");
            }
        }
    }

    #[test]
    fn action_serialises_with_outcome() {
        let a = Action::Decide(DecisionOutcome::GrantedWithConditions);
        assert_eq!(
            serde_json::to_string(&a).unwrap(),
            r#"{"action":"decide","outcome":"granted_with_conditions"}"#
        );
        let back: Action = serde_json::from_str(r#"{"action":"submit"}"#).unwrap();
        assert_eq!(back, Action::Submit);
    }

    // --- Bibob ---

    fn ctx(outcome: Option<BibobOutcome>, zienswijze: Option<NaiveDate>) -> DecisionContext {
        DecisionContext {
            licence_kind: LicenceKind::General,
            self_contained: true,
            bibob: BibobCheck {
                status: if outcome.is_some() { BibobStatus::Completed } else { BibobStatus::NotStarted },
                outcome,
                zienswijze_invited_on: zienswijze,
            },
            screening: ScreeningFlags::default(),
        }
    }

    fn refuse_bibob(motivation: Option<&str>) -> DecisionRequest {
        DecisionRequest {
            outcome: DecisionOutcome::Refused,
            decided_on: d(2025, 6, 2),
            refusal_grounds: vec![RefusalGround::BibobSeriousDanger],
            voorschriften: vec![],
            motivation: Some("ernstig gevaar, zie advies LBB".into()),
            proportionality_motivation: motivation.map(String::from),
        }
    }

    fn bibob_condition() -> Voorschrift {
        Voorschrift {
            kind: VoorschriftKind::BibobDangerLimitation,
            text: "financiering via Nederlandse bank, jaarlijks aantonen".into(),
        }
    }

    #[test]
    fn scenario_13_serious_danger_refusal_requires_zienswijze_and_proportionality() {
        let c = ctx(Some(BibobOutcome::SeriousDangerA), None);
        let blocks = check_decision(&c, &refuse_bibob(None)).unwrap_err();
        assert_eq!(
            blocks,
            vec![DecisionBlock::ZienswijzeMissing, DecisionBlock::ProportionalityMotivationMissing]
        );
        // Zienswijze on the decision day itself is not "prior".
        let same_day = ctx(Some(BibobOutcome::SeriousDangerB), Some(d(2025, 6, 2)));
        assert_eq!(
            check_decision(&same_day, &refuse_bibob(Some("evenredig"))),
            Err(vec![DecisionBlock::ZienswijzeMissing])
        );
        let ok = ctx(Some(BibobOutcome::SeriousDangerB), Some(d(2025, 5, 12)));
        assert_eq!(check_decision(&ok, &refuse_bibob(Some("evenredig: ernstige feiten"))), Ok(()));
        assert!(permitted_outcomes(&ok).contains(&DecisionOutcome::Refused));
    }

    #[test]
    fn scenario_14_lesser_danger_no_bibob_refusal_but_conditions_after_zienswijze() {
        let c = ctx(Some(BibobOutcome::LesserDanger), Some(d(2025, 5, 12)));
        let blocks = check_decision(&c, &refuse_bibob(Some("x"))).unwrap_err();
        assert_eq!(blocks, vec![DecisionBlock::BibobRefusalWithoutSeriousDanger]);
        assert_eq!(
            permitted_outcomes(&c),
            vec![DecisionOutcome::Granted, DecisionOutcome::GrantedWithConditions]
        );
        let with_conditions = DecisionRequest {
            outcome: DecisionOutcome::GrantedWithConditions,
            decided_on: d(2025, 6, 2),
            refusal_grounds: vec![],
            voorschriften: vec![bibob_condition()],
            motivation: None,
            proportionality_motivation: None,
        };
        assert_eq!(check_decision(&c, &with_conditions), Ok(()));
        let plain_grant = DecisionRequest {
            outcome: DecisionOutcome::Granted,
            voorschriften: vec![],
            ..with_conditions.clone()
        };
        assert_eq!(check_decision(&c, &plain_grant), Ok(()));
        // Without the zienswijze the Bibob voorschriften are blocked.
        let no_zw = ctx(Some(BibobOutcome::LesserDanger), None);
        assert_eq!(check_decision(&no_zw, &with_conditions), Err(vec![DecisionBlock::ZienswijzeMissing]));
        // Bibob voorschriften need a lesser danger outcome.
        let none = ctx(Some(BibobOutcome::NoDanger), Some(d(2025, 5, 12)));
        assert_eq!(
            check_decision(&none, &with_conditions),
            Err(vec![DecisionBlock::BibobConditionsWithoutLesserDanger])
        );
    }

    #[test]
    fn scenario_15_no_danger_no_flags_grant() {
        let c = ctx(Some(BibobOutcome::NoDanger), None);
        assert_eq!(
            permitted_outcomes(&c),
            vec![DecisionOutcome::Granted, DecisionOutcome::GrantedWithConditions]
        );
        let grant = DecisionRequest {
            outcome: DecisionOutcome::Granted,
            decided_on: d(2025, 4, 28),
            refusal_grounds: vec![],
            voorschriften: vec![],
            motivation: None,
            proportionality_motivation: None,
        };
        assert_eq!(check_decision(&c, &grant), Ok(()));
        let refuse = DecisionRequest {
            outcome: DecisionOutcome::Refused,
            refusal_grounds: vec![RefusalGround::PriorEnforcement8y],
            motivation: Some("x".into()),
            ..grant
        };
        assert_eq!(
            check_decision(&c, &refuse),
            Err(vec![DecisionBlock::GroundNotEstablished { ground: RefusalGround::PriorEnforcement8y }])
        );
    }

    #[test]
    fn scenario_16_requesting_lbb_advice_obliges_notification() {
        let t = bibob_transition(BibobStatus::QuestionnaireReceived, BibobAction::RequestLbbAdvice).unwrap();
        assert_eq!(t.to, BibobStatus::LbbAdviceRequested);
        assert!(t.duties.contains(&BibobDuty::NotifyApplicantOfLbbRequest));
        assert!(t.duties.contains(&BibobDuty::SuspendDecisionTerm));
        let done = bibob_transition(
            BibobStatus::LbbAdviceRequested,
            BibobAction::Complete(BibobOutcome::LesserDanger),
        )
        .unwrap();
        assert_eq!(done.to, BibobStatus::Completed);
        assert_eq!(done.outcome, Some(BibobOutcome::LesserDanger));
        assert_eq!(done.duties, vec![BibobDuty::ResumeDecisionTerm]);
    }

    #[test]
    fn bibob_illegal_steps_are_refused() {
        let err = bibob_transition(BibobStatus::NotStarted, BibobAction::RequestLbbAdvice).unwrap_err();
        assert_eq!(
            err.allowed,
            vec![
                BibobActionKind::SendQuestionnaire,
                BibobActionKind::StartOwnInvestigation,
                BibobActionKind::Complete
            ]
        );
        assert!(
            bibob_transition(BibobStatus::Completed, BibobAction::Complete(BibobOutcome::NoDanger)).is_err()
        );
    }

    #[test]
    fn no_decision_while_bibob_in_progress() {
        let mut c = ctx(None, None);
        c.bibob.status = BibobStatus::LbbAdviceRequested;
        let grant = DecisionRequest {
            outcome: DecisionOutcome::Granted,
            decided_on: d(2025, 4, 28),
            refusal_grounds: vec![],
            voorschriften: vec![],
            motivation: None,
            proportionality_motivation: None,
        };
        assert_eq!(check_decision(&c, &grant), Err(vec![DecisionBlock::BibobInProgress]));
        assert!(permitted_outcomes(&c).is_empty());
    }

    #[test]
    fn refusal_without_ground_or_motivation_is_blocked() {
        let c = ctx(None, None);
        let req = DecisionRequest {
            outcome: DecisionOutcome::Refused,
            decided_on: d(2025, 4, 28),
            refusal_grounds: vec![],
            voorschriften: vec![],
            motivation: Some("  ".into()),
            proportionality_motivation: None,
        };
        assert_eq!(
            check_decision(&c, &req),
            Err(vec![DecisionBlock::RefusalWithoutGround, DecisionBlock::RefusalWithoutMotivation])
        );
    }

    // --- screening ---

    fn screening(dates: Vec<NaiveDate>, permit: bool, beheer: bool) -> ScreeningInput {
        ScreeningInput {
            application_date: d(2025, 3, 3),
            prior_enforcement_dates: dates,
            missing_realisation_permit: permit,
            dwelling_in_beheer: beheer,
        }
    }

    #[test]
    fn scenario_7_prior_enforcement_within_8_years_is_flagged_not_refused() {
        let f = screen_refusal_grounds(&screening(vec![d(2019, 5, 10)], false, false));
        assert!(f.prior_enforcement_8y);
        assert_eq!(f.grounds(), vec![RefusalGround::PriorEnforcement8y]);
        // Discretionary: both grant and refusal remain possible.
        let c = DecisionContext { screening: f, ..ctx(None, None) };
        assert_eq!(
            permitted_outcomes(&c),
            vec![DecisionOutcome::Granted, DecisionOutcome::GrantedWithConditions, DecisionOutcome::Refused]
        );
    }

    #[test]
    fn prior_enforcement_window_boundaries() {
        assert!(screen_refusal_grounds(&screening(vec![d(2017, 3, 3)], false, false)).prior_enforcement_8y);
        assert!(!screen_refusal_grounds(&screening(vec![d(2017, 3, 2)], false, false)).prior_enforcement_8y);
        assert!(!screen_refusal_grounds(&screening(vec![d(2025, 3, 4)], false, false)).prior_enforcement_8y);
        assert!(!screen_refusal_grounds(&screening(vec![], false, false)).prior_enforcement_8y);
    }

    #[test]
    fn scenario_9_missing_permit_flag() {
        let f = screen_refusal_grounds(&screening(vec![], true, false));
        assert!(f.missing_permit);
        assert_eq!(f.grounds(), vec![RefusalGround::MissingPermit]);
    }

    #[test]
    fn scenario_10_beheer_flag() {
        let f = screen_refusal_grounds(&screening(vec![], false, true));
        assert!(f.beheer);
        assert_eq!(f.grounds(), vec![RefusalGround::Beheer]);
    }

    // --- voorschriften ---

    #[test]
    fn scenario_12_tenant_must_be_employed_is_rejected_for_general_licence() {
        let v = Voorschrift { kind: VoorschriftKind::Other, text: "tenant must be employed".into() };
        assert_eq!(
            validate_voorschrift(LicenceKind::General, &v, true),
            Err(VoorschriftError::NotInCatalogue)
        );
        // Through the decision check it is reported with its index.
        let c = ctx(Some(BibobOutcome::NoDanger), None);
        let req = DecisionRequest {
            outcome: DecisionOutcome::GrantedWithConditions,
            decided_on: d(2025, 4, 28),
            refusal_grounds: vec![],
            voorschriften: vec![
                Voorschrift {
                    kind: VoorschriftKind::MaintenancePlan,
                    text: "onderhoudsplan binnen 6 maanden".into(),
                },
                v,
            ],
            motivation: None,
            proportionality_motivation: None,
        };
        assert_eq!(
            check_decision(&c, &req),
            Err(vec![DecisionBlock::InvalidVoorschrift {
                index: 1,
                error: VoorschriftError::NotInCatalogue
            }])
        );
    }

    #[test]
    fn general_licence_catalogue() {
        let v = |kind| Voorschrift { kind, text: "x".into() };
        for kind in [
            VoorschriftKind::GoodLandlordshipCompliance,
            VoorschriftKind::MaximumRent,
            VoorschriftKind::MaintenancePlan,
            VoorschriftKind::WrittenLease,
        ] {
            assert_eq!(validate_voorschrift(LicenceKind::General, &v(kind), true), Ok(()));
        }
        assert_eq!(
            validate_voorschrift(LicenceKind::General, &v(VoorschriftKind::MaximumRent), false),
            Err(VoorschriftError::RentConditionNotSelfContained)
        );
        assert_eq!(
            validate_voorschrift(LicenceKind::General, &v(VoorschriftKind::OccupancyLimit), true),
            Err(VoorschriftError::NotInCatalogue)
        );
        assert_eq!(
            validate_voorschrift(LicenceKind::LabourMigrant, &v(VoorschriftKind::OccupancyLimit), false),
            Ok(())
        );
        let empty = Voorschrift { kind: VoorschriftKind::WrittenLease, text: " ".into() };
        assert_eq!(
            validate_voorschrift(LicenceKind::General, &empty, true),
            Err(VoorschriftError::EmptyText)
        );
    }

    // --- classification, transition, transfer ---

    #[test]
    fn scenario_3_ukrainian_worker_is_not_arbeidsmigrant() {
        let w = WorkerFacts { eu_national: false, hoofdverblijf_nl: false, temporary_work: true };
        assert!(!w.is_arbeidsmigrant());
        assert!(!is_verblijfsruimte(false, &[w]));
    }

    #[test]
    fn scenario_4_polish_resident_with_permanent_job_is_not_arbeidsmigrant() {
        let w = WorkerFacts { eu_national: true, hoofdverblijf_nl: true, temporary_work: false };
        assert!(!w.is_arbeidsmigrant());
    }

    #[test]
    fn scenario_5_romanian_seasonal_worker_in_chalet_is_arbeidsmigrant() {
        let w = WorkerFacts { eu_national: true, hoofdverblijf_nl: false, temporary_work: true };
        assert!(w.is_arbeidsmigrant());
        // The chalet on the employer's premises is a verblijfsruimte because it is used for them.
        assert!(is_verblijfsruimte(false, &[w]));
    }

    #[test]
    fn scenario_6_existing_lease_gets_six_months_transition() {
        let rules = RuleSet::default();
        assert_eq!(earliest_licence_requirement(d(2025, 7, 1), d(2024, 5, 1), &rules), d(2026, 1, 1));
        // A longer transition in the rule set is honoured; a shorter one is raised to 6 months.
        let long = RuleSet { transition_months: 12, ..RuleSet::default() };
        assert_eq!(earliest_licence_requirement(d(2025, 7, 1), d(2024, 5, 1), &long), d(2026, 7, 1));
        let short = RuleSet { transition_months: 3, ..RuleSet::default() };
        assert_eq!(earliest_licence_requirement(d(2025, 7, 1), d(2024, 5, 1), &short), d(2026, 1, 1));
        // A new lease is covered from its start.
        assert_eq!(earliest_licence_requirement(d(2025, 7, 1), d(2025, 8, 15), &rules), d(2025, 8, 15));
    }

    #[test]
    fn scenario_11_licence_does_not_transfer_to_buyer() {
        assert!(!licence_transfers_on_sale(&RuleSet::default()));
    }

    #[test]
    fn licence_validity_from_rule_set() {
        assert_eq!(licence_expires_on(d(2025, 4, 28), &RuleSet::default()), None);
        let five = RuleSet { licence_validity_years: Some(5), ..RuleSet::default() };
        assert_eq!(licence_expires_on(d(2025, 4, 28), &five), Some(d(2030, 4, 28)));
    }

    #[test]
    fn scenario_63_short_stay_flag() {
        let mut rules = RuleSet::default();
        assert_eq!(classify_short_stay(&rules, 45), ShortStayClassification::NotClassified);
        rules.features.short_stay_30_days = true;
        assert_eq!(classify_short_stay(&rules, 45), ShortStayClassification::RegularLease);
        assert_eq!(classify_short_stay(&rules, 30), ShortStayClassification::ShortStayPossible);
    }
}
