//! The warning (waarschuwing), step 1 of the VHN ladder [S7] (rules.md §4.1): policy, draft and
//! its state machine.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::errors::{not_before, IllegalTransition, ProcedureError};
use crate::domain::calendar::add_days_sat;
use crate::domain::general_rules::RuleCode;

/// Municipality-configurable warning policy.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", default, deny_unknown_fields)]
pub struct WarningPolicy {
    /// Days to remedy after the warning.
    // NOTE: no statutory term; scenario 42 checks 6 weeks after the warning, so 42 days is the
    // default. UNCONFIRMED — set by local handhavingsbeleid.
    pub remedy_term_days: u32,
    /// Mandatory text: a next violation can lead to a boete and publication [S7].
    pub consequence_text: String,
    /// Words the consequence text must contain (case-insensitive) for it to be valid.
    pub required_consequence_terms: Vec<String>,
}

impl Default for WarningPolicy {
    fn default() -> Self {
        WarningPolicy {
            remedy_term_days: 42,
            consequence_text: "Als u de overtreding niet binnen de gestelde termijn beëindigt of \
                               opnieuw een regel van goed verhuurderschap overtreedt, kan het \
                               college u een bestuurlijke boete opleggen en kan dat besluit met \
                               uw naam openbaar worden gemaakt (Wet goed verhuurderschap)."
                .into(),
            required_consequence_terms: vec!["boete".into(), "openbaar".into()],
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub struct Warning {
    pub rule: RuleCode,
    pub issued_on: NaiveDate,
    pub remedy_deadline: NaiveDate,
    pub consequence_text: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(rename_all = "snake_case", tag = "error")]
pub enum WarningError {
    #[error("the warning must state the consequences of a next violation")]
    MissingConsequenceText,
    #[error("the consequence text must mention '{term}'")]
    ConsequenceTextLacks { term: String },
    #[error("the remedy deadline must be after the issue date")]
    RemedyDeadlineNotAfterIssue,
}

impl Warning {
    /// Drafts a warning with the policy's term and text (scenario 41).
    pub fn draft(rule: RuleCode, issued_on: NaiveDate, policy: &WarningPolicy) -> Warning {
        Warning {
            rule,
            issued_on,
            remedy_deadline: add_days_sat(issued_on, u64::from(policy.remedy_term_days)),
            consequence_text: policy.consequence_text.clone(),
        }
    }

    pub fn validate(&self, policy: &WarningPolicy) -> Result<(), Vec<WarningError>> {
        let mut errs = Vec::new();
        let text = self.consequence_text.to_lowercase();
        if text.trim().is_empty() {
            errs.push(WarningError::MissingConsequenceText);
        } else {
            for term in &policy.required_consequence_terms {
                if !text.contains(&term.to_lowercase()) {
                    errs.push(WarningError::ConsequenceTextLacks { term: term.clone() });
                }
            }
        }
        if self.remedy_deadline <= self.issued_on {
            errs.push(WarningError::RemedyDeadlineNotAfterIssue);
        }
        if errs.is_empty() {
            Ok(())
        } else {
            Err(errs)
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "state")]
pub enum WarningState {
    Issued {
        issued_on: NaiveDate,
        remedy_deadline: NaiveDate,
    },
    Remedied {
        issued_on: NaiveDate,
        remedied_on: NaiveDate,
    },
    /// Re-inspection after the deadline found the violation continuing: escalate (scenario 42).
    NotRemedied {
        issued_on: NaiveDate,
        remedy_deadline: NaiveDate,
        established_on: NaiveDate,
    },
    Withdrawn {
        issued_on: NaiveDate,
        withdrawn_on: NaiveDate,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "action")]
pub enum WarningAction {
    VerifyRemedied { on: NaiveDate },
    EstablishNotRemedied { on: NaiveDate },
    Withdraw { on: NaiveDate },
}

impl WarningAction {
    pub fn name(&self) -> &'static str {
        match self {
            WarningAction::VerifyRemedied { .. } => "verify_remedied",
            WarningAction::EstablishNotRemedied { .. } => "establish_not_remedied",
            WarningAction::Withdraw { .. } => "withdraw",
        }
    }
}

impl WarningState {
    /// Issue a validated warning.
    pub fn issue(warning: &Warning, policy: &WarningPolicy) -> Result<WarningState, Vec<WarningError>> {
        warning.validate(policy)?;
        Ok(WarningState::Issued { issued_on: warning.issued_on, remedy_deadline: warning.remedy_deadline })
    }

    pub fn name(&self) -> &'static str {
        match self {
            WarningState::Issued { .. } => "issued",
            WarningState::Remedied { .. } => "remedied",
            WarningState::NotRemedied { .. } => "not_remedied",
            WarningState::Withdrawn { .. } => "withdrawn",
        }
    }

    pub fn allowed_actions(&self) -> Vec<&'static str> {
        match self {
            WarningState::Issued { .. } => vec!["verify_remedied", "establish_not_remedied", "withdraw"],
            _ => vec![],
        }
    }

    pub fn apply(&self, action: &WarningAction) -> Result<WarningState, ProcedureError> {
        match (self, action) {
            (WarningState::Issued { issued_on, .. }, WarningAction::VerifyRemedied { on }) => {
                not_before("remedied_on", *on, *issued_on)?;
                Ok(WarningState::Remedied { issued_on: *issued_on, remedied_on: *on })
            }
            (
                WarningState::Issued { issued_on, remedy_deadline },
                WarningAction::EstablishNotRemedied { on },
            ) => {
                // Only after the remedy term has passed.
                not_before("established_on", *on, add_days_sat(*remedy_deadline, 1))?;
                Ok(WarningState::NotRemedied {
                    issued_on: *issued_on,
                    remedy_deadline: *remedy_deadline,
                    established_on: *on,
                })
            }
            (WarningState::Issued { issued_on, .. }, WarningAction::Withdraw { on }) => {
                not_before("withdrawn_on", *on, *issued_on)?;
                Ok(WarningState::Withdrawn { issued_on: *issued_on, withdrawn_on: *on })
            }
            _ => Err(ProcedureError::IllegalTransition(IllegalTransition {
                procedure: "warning",
                from: self.name(),
                action: action.name(),
                allowed: self.allowed_actions(),
            })),
        }
    }
}
