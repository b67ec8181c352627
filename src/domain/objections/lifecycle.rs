//! The objection's lifecycle as a state machine with typed actions:
//! `received → (hearing_planned →) heard → decided (outcome) | withdrawn`; after the decision
//! the effects (new decision, provisional relief) and the appeal. An action the state does not
//! allow is [`ObjectionError::Illegal`] with the allowed actions; bad input is
//! [`ObjectionError::Field`] naming the request field.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{
    postponed_due, AppealOutcome, BesluitKind, Objection, ObjectionOutcome, ObjectionState,
    MAX_POSTPONEMENT_WEEKS,
};
use crate::domain::awb::objection_term_ends;
use crate::domain::calendar::HolidayCalendar;
use crate::domain::code::Code;

/// The names of the actions (what `allowed_actions` lists and the audit trail records).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ObjectionActionKind {
    PlanHearing,
    RecordHearing,
    Postpone,
    ExtendWithConsent,
    Decide,
    Withdraw,
    RecordExcuseDecision,
    RecordNewDecision,
    RecordProvisionalRelief,
    LodgeAppeal,
    RecordAppealOutcome,
}
crate::closed_set!(ObjectionActionKind {
    PlanHearing => "plan_hearing",
    RecordHearing => "record_hearing",
    Postpone => "postpone",
    ExtendWithConsent => "extend_with_consent",
    Decide => "decide",
    Withdraw => "withdraw",
    RecordExcuseDecision => "record_excuse_decision",
    RecordNewDecision => "record_new_decision",
    RecordProvisionalRelief => "record_provisional_relief",
    LodgeAppeal => "lodge_appeal",
    RecordAppealOutcome => "record_appeal_outcome",
});

/// One step on an objection, its values parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ObjectionAction {
    /// The hearing (Awb 7:2) is planned for `on` (may lie ahead).
    PlanHearing {
        on: NaiveDate,
    },
    /// The objector was heard, or did not appear, on `on` (Awb 7:2).
    RecordHearing {
        on: NaiveDate,
    },
    /// The one postponement of at most 6 weeks (Awb 7:10 lid 3), recorded on `on`.
    Postpone {
        on: NaiveDate,
        weeks: u32,
        reason: String,
    },
    /// Further postponement with the objector's consent (Awb 7:10 lid 4).
    ExtendWithConsent {
        consent_on: NaiveDate,
        new_due_on: NaiveDate,
    },
    /// The decision on the objection, made on `decided_on` and made known on `notified_on`;
    /// with the new decision replacing the besluit where the law requires one (Awb 7:11 lid 2).
    Decide {
        decided_on: NaiveDate,
        notified_on: NaiveDate,
        outcome: ObjectionOutcome,
        new_decision: Option<(String, Option<String>)>,
    },
    Withdraw {
        on: NaiveDate,
    },
    /// Whether a late objection's lateness is excusable (Awb 6:11).
    RecordExcuseDecision {
        on: NaiveDate,
        excusable: bool,
    },
    /// The new decision that replaces the besluit (reference, optional id of the record).
    RecordNewDecision {
        reference: String,
        id: Option<String>,
    },
    /// A voorlopige voorziening (Awb 8:81) granted by a court.
    RecordProvisionalRelief {
        granted_on: NaiveDate,
        court: String,
        suspends_enforcement: bool,
    },
    /// The appeal (beroep) lodged with the court.
    LodgeAppeal {
        lodged_on: NaiveDate,
        court: String,
    },
    RecordAppealOutcome {
        judgment_on: NaiveDate,
        outcome: AppealOutcome,
    },
}

impl ObjectionAction {
    pub fn kind(&self) -> ObjectionActionKind {
        use ObjectionAction as A;
        use ObjectionActionKind as K;
        match self {
            A::PlanHearing { .. } => K::PlanHearing,
            A::RecordHearing { .. } => K::RecordHearing,
            A::Postpone { .. } => K::Postpone,
            A::ExtendWithConsent { .. } => K::ExtendWithConsent,
            A::Decide { .. } => K::Decide,
            A::Withdraw { .. } => K::Withdraw,
            A::RecordExcuseDecision { .. } => K::RecordExcuseDecision,
            A::RecordNewDecision { .. } => K::RecordNewDecision,
            A::RecordProvisionalRelief { .. } => K::RecordProvisionalRelief,
            A::LodgeAppeal { .. } => K::LodgeAppeal,
            A::RecordAppealOutcome { .. } => K::RecordAppealOutcome,
        }
    }
}

/// Why a step cannot be taken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ObjectionError {
    /// The state does not allow the action.
    Illegal { state: ObjectionState, action: ObjectionActionKind, allowed: Vec<ObjectionActionKind> },
    /// Bad input, naming the request field (a JSON pointer).
    Field { pointer: &'static str, reason: String },
}

impl ObjectionError {
    pub(super) fn field(pointer: &'static str, reason: impl Into<String>) -> Self {
        ObjectionError::Field { pointer, reason: reason.into() }
    }
}

impl std::fmt::Display for ObjectionError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ObjectionError::Illegal { state, action, allowed } => {
                let allowed: Vec<&str> = allowed.iter().map(|a| a.code()).collect();
                write!(
                    f,
                    "objection: action '{}' is not allowed in state '{}' (allowed: {})",
                    action.code(),
                    state.code(),
                    allowed.join(", ")
                )
            }
            ObjectionError::Field { pointer, reason } => write!(f, "{pointer}: {reason}"),
        }
    }
}

/// A well-founded objection against these besluiten must lead to a new decision, recorded with
/// the decision on the objection (Awb 7:11 lid 2: revoke and, as far as needed, replace).
fn needs_new_decision(kind: BesluitKind) -> bool {
    matches!(kind, BesluitKind::LicenceDecision | BesluitKind::Fine)
}

impl Objection {
    /// The actions the current state allows, in a stable order.
    pub fn allowed_actions(&self) -> Vec<ObjectionActionKind> {
        use ObjectionActionKind as K;
        let mut out = Vec::new();
        let relief = self.besluit_kind == BesluitKind::PenaltyOrder && self.relief_granted_on.is_none();
        match self.state {
            ObjectionState::Received | ObjectionState::HearingPlanned | ObjectionState::Heard => {
                match self.state {
                    ObjectionState::Received => out.extend([K::PlanHearing, K::RecordHearing]),
                    ObjectionState::HearingPlanned => out.push(K::RecordHearing),
                    _ => {}
                }
                if self.postponed_on.is_none() && self.consent_on.is_none() {
                    out.push(K::Postpone);
                }
                out.push(K::ExtendWithConsent);
                if self.awaits_excuse_decision() {
                    out.push(K::RecordExcuseDecision);
                } else if self.state != ObjectionState::HearingPlanned {
                    out.push(K::Decide);
                }
                out.push(K::Withdraw);
                if relief {
                    out.push(K::RecordProvisionalRelief);
                }
            }
            ObjectionState::Decided => {
                if self.outcome.is_some_and(ObjectionOutcome::upheld) {
                    out.push(K::RecordNewDecision);
                }
                if relief {
                    out.push(K::RecordProvisionalRelief);
                }
                if self.appeal_lodged_on.is_none() {
                    out.push(K::LodgeAppeal);
                } else if self.appeal_outcome.is_none() {
                    out.push(K::RecordAppealOutcome);
                }
            }
            ObjectionState::Withdrawn => {}
        }
        out
    }

    /// Takes `action` on `today` and returns the objection after it.
    pub fn apply(
        &self,
        action: &ObjectionAction,
        today: NaiveDate,
        cal: &HolidayCalendar,
    ) -> Result<Objection, ObjectionError> {
        use ObjectionAction as A;
        let allowed = self.allowed_actions();
        let kind = action.kind();
        // A second postponement is bad input rather than a conflict: the law offers the
        // consent route instead (Awb 7:10 lid 4).
        if kind == ObjectionActionKind::Postpone && self.state.is_open() && !allowed.contains(&kind) {
            return Err(ObjectionError::field(
                "/action",
                "the decision term was already postponed once (Awb 7:10 lid 3); a further postponement \
                 needs the objector's consent (extend_with_consent, Awb 7:10 lid 4)",
            ));
        }
        if !allowed.contains(&kind) {
            return Err(ObjectionError::Illegal { state: self.state, action: kind, allowed });
        }
        let past = |d: NaiveDate, pointer: &'static str| -> Result<(), ObjectionError> {
            if d > today {
                return Err(ObjectionError::field(pointer, "lies in the future"));
            }
            if d < self.received_on {
                return Err(ObjectionError::field(pointer, "lies before the objection was received"));
            }
            Ok(())
        };
        let mut next = self.clone();
        match action {
            A::PlanHearing { on } => {
                if *on < self.received_on {
                    return Err(ObjectionError::field("/on", "lies before the objection was received"));
                }
                next.hearing_planned_on = Some(*on);
                next.state = ObjectionState::HearingPlanned;
            }
            A::RecordHearing { on } => {
                past(*on, "/on")?;
                next.heard_on = Some(*on);
                next.state = ObjectionState::Heard;
            }
            A::Postpone { on, weeks, reason } => {
                past(*on, "/on")?;
                if *on > self.decision_due_on {
                    return Err(ObjectionError::field(
                        "/on",
                        format!(
                            "the decision term ended on {} (Awb 7:10 lid 3: postpone within it)",
                            self.decision_due_on
                        ),
                    ));
                }
                if *weeks == 0 || *weeks > MAX_POSTPONEMENT_WEEKS {
                    return Err(ObjectionError::field("/weeks", "must be 1–6 (Awb 7:10 lid 3)"));
                }
                if reason.trim().is_empty() {
                    return Err(ObjectionError::field("/reason", "is required"));
                }
                next.postponed_on = Some(*on);
                next.postponement_reason = Some(reason.clone());
                next.decision_due_on = postponed_due(self.decision_due_on, *weeks, cal);
            }
            A::ExtendWithConsent { consent_on, new_due_on } => {
                past(*consent_on, "/consent_on")?;
                if *new_due_on <= self.decision_due_on {
                    return Err(ObjectionError::field(
                        "/new_due_on",
                        format!("must lie after the current last day {}", self.decision_due_on),
                    ));
                }
                next.consent_on = Some(*consent_on);
                next.decision_due_on = *new_due_on;
            }
            A::Decide { decided_on, notified_on, outcome, new_decision } => {
                past(*decided_on, "/decided_on")?;
                past(*notified_on, "/notified_on")?;
                if notified_on < decided_on {
                    return Err(ObjectionError::field("/notified_on", "lies before the decision"));
                }
                if self.excusable == Some(false) && *outcome != ObjectionOutcome::Inadmissible {
                    return Err(ObjectionError::field(
                        "/outcome",
                        "a late objection whose lateness is not excusable can only be inadmissible (Awb 6:11)",
                    ));
                }
                if outcome.upheld() && needs_new_decision(self.besluit_kind) && new_decision.is_none() {
                    return Err(ObjectionError::field(
                        "/new_decision",
                        "is required: a well-founded objection against a licence decision or a fine is \
                         decided with the new decision that replaces it (Awb 7:11 lid 2)",
                    ));
                }
                if let Some((reference, id)) = new_decision {
                    if !outcome.upheld() {
                        return Err(ObjectionError::field(
                            "/new_decision",
                            "only a well-founded objection leads to a new decision",
                        ));
                    }
                    next.new_decision_reference = Some(reference.clone());
                    next.new_decision_id = id.clone();
                }
                next.decided_on = Some(*decided_on);
                next.decision_notified_on = Some(*notified_on);
                next.outcome = Some(*outcome);
                next.state = ObjectionState::Decided;
            }
            A::Withdraw { on } => {
                past(*on, "/on")?;
                next.withdrawn_on = Some(*on);
                next.state = ObjectionState::Withdrawn;
            }
            A::RecordExcuseDecision { on, excusable } => {
                past(*on, "/on")?;
                next.excusable = Some(*excusable);
            }
            A::RecordNewDecision { reference, id } => {
                next.new_decision_reference = Some(reference.clone());
                next.new_decision_id = id.clone();
            }
            A::RecordProvisionalRelief { granted_on, court, suspends_enforcement } => {
                past(*granted_on, "/granted_on")?;
                next.relief_granted_on = Some(*granted_on);
                next.relief_court = Some(court.clone());
                next.relief_suspends = Some(*suspends_enforcement);
            }
            A::LodgeAppeal { lodged_on, court } => {
                past(*lodged_on, "/lodged_on")?;
                let Some(notified) = self.decision_notified_on else {
                    return Err(ObjectionError::Illegal { state: self.state, action: kind, allowed });
                };
                if *lodged_on < notified {
                    return Err(ObjectionError::field(
                        "/lodged_on",
                        "lies before the decision on the objection was made known",
                    ));
                }
                next.appeal_lodged_on = Some(*lodged_on);
                next.appeal_court = Some(court.clone());
                next.appeal_on_time = Some(*lodged_on <= objection_term_ends(notified, cal));
            }
            A::RecordAppealOutcome { judgment_on, outcome } => {
                past(*judgment_on, "/judgment_on")?;
                if self.appeal_lodged_on.is_some_and(|l| *judgment_on < l) {
                    return Err(ObjectionError::field("/judgment_on", "lies before the appeal was lodged"));
                }
                next.appeal_judgment_on = Some(*judgment_on);
                next.appeal_outcome = Some(*outcome);
            }
        }
        Ok(next)
    }
}
