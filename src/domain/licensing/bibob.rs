//! The Bibob check of an application (Wet Bibob, rules.md §2.8): its status, outcome and
//! transitions.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

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
