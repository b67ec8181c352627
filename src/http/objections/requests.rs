//! Request bodies of the objection routes and their parsing into commands (422 naming the field).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::domain::objections::{
    AppealOutcome, BesluitKind, LodgedByKind, ObjectionAction, ObjectionOutcome,
};
use crate::error::{AppError, FieldError};
use crate::http::common::{not_in_future, parse_date};

/// The besluit an objection is against.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct BesluitRef {
    pub kind: BesluitKind,
    /// The id of the application (`licence_decision`, `not_considered`), the licence
    /// (`licence_suspension`, `licence_revocation`) or the sanction (the other kinds).
    #[validate(length(min = 1, max = 64))]
    #[schema(min_length = 1, max_length = 64)]
    pub id: String,
}

/// Who lodged the objection: the addressee or a third party with an interest (free text, no
/// further personal data).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct LodgedByDto {
    pub kind: LodgedByKind,
    #[validate(length(min = 1, max = 200))]
    #[schema(min_length = 1, max_length = 200)]
    pub description: String,
}

/// Record a received objection (bezwaarschrift).
#[derive(Debug, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct CreateObjectionRequest {
    #[validate(nested)]
    pub besluit: BesluitRef,
    /// The day the objection was received (YYYY-MM-DD, not in the future).
    pub received_on: String,
    #[validate(nested)]
    pub lodged_by: LodgedByDto,
    /// An advisory committee (Awb 7:13) hears the objection: 12 weeks instead of 6 (Awb 7:10).
    #[serde(default)]
    pub advisory_committee: bool,
    #[validate(length(max = 2000))]
    #[schema(max_length = 2000)]
    pub grounds_summary: Option<String>,
}

/// The new decision that replaces the besluit after a well-founded objection.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewDecisionDto {
    /// A reference to the new decision (1–500 characters).
    #[schema(min_length = 1, max_length = 500)]
    pub reference: String,
    /// The id of its record in this system, if it has one (at most 64 characters).
    #[schema(max_length = 64)]
    pub id: Option<String>,
}

/// One step on an objection. Dates are YYYY-MM-DD; none may lie in the future, except the
/// planned hearing.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case", tag = "action", deny_unknown_fields)]
pub enum ObjectionActionRequest {
    /// Plan the hearing (Awb 7:2) on `on`.
    PlanHearing {
        on: String,
    },
    /// The objector was heard (or did not appear) on `on`.
    RecordHearing {
        on: String,
    },
    /// The one postponement of at most 6 weeks, within the term, with its reason (Awb 7:10 lid 3).
    Postpone {
        on: String,
        #[schema(minimum = 1, maximum = 6)]
        weeks: u32,
        #[schema(min_length = 1, max_length = 500)]
        reason: String,
    },
    /// Further postponement with the objector's consent (Awb 7:10 lid 4).
    ExtendWithConsent {
        consent_on: String,
        new_due_on: String,
    },
    /// The decision on the objection. A well-founded one against a licence decision or a fine
    /// needs `new_decision` (Awb 7:11 lid 2).
    Decide {
        decided_on: String,
        notified_on: String,
        outcome: ObjectionOutcome,
        new_decision: Option<NewDecisionDto>,
    },
    Withdraw {
        on: String,
    },
    /// Whether a late objection's lateness is excusable (Awb 6:11).
    RecordExcuseDecision {
        on: String,
        excusable: bool,
    },
    /// The new decision that replaces the besluit.
    RecordNewDecision(NewDecisionDto),
    /// A voorlopige voorziening granted by a court (Awb 8:81).
    RecordProvisionalRelief {
        granted_on: String,
        #[schema(min_length = 1, max_length = 200)]
        court: String,
        suspends_enforcement: bool,
    },
    /// The appeal (beroep) lodged with the court.
    LodgeAppeal {
        lodged_on: String,
        #[schema(min_length = 1, max_length = 200)]
        court: String,
    },
    RecordAppealOutcome {
        judgment_on: String,
        outcome: AppealOutcome,
    },
}

impl Validate for ObjectionActionRequest {
    fn validate(&self) -> Result<(), validator::ValidationErrors> {
        Ok(())
    }
}

fn text(raw: String, pointer: &str, max: usize, errs: &mut Vec<FieldError>) -> String {
    let n = raw.trim().chars().count();
    if n == 0 || n > max {
        errs.push(FieldError::new(pointer, format!("must be 1–{max} characters")));
    }
    raw.trim().to_string()
}

fn past(raw: &str, pointer: &str, today: NaiveDate, errs: &mut Vec<FieldError>) -> Option<NaiveDate> {
    let d = parse_date(raw, pointer, errs)?;
    not_in_future(d, today, pointer, errs);
    Some(d)
}

fn new_decision(d: NewDecisionDto, prefix: &str, errs: &mut Vec<FieldError>) -> (String, Option<String>) {
    let reference = text(d.reference, &format!("{prefix}/reference"), 500, errs);
    let id = d.id.map(|id| text(id, &format!("{prefix}/id"), 64, errs));
    (reference, id)
}

impl CreateObjectionRequest {
    /// The receipt date, parsed and not in the future.
    pub(super) fn received_on(&self, today: NaiveDate) -> Result<NaiveDate, AppError> {
        let mut errs = Vec::new();
        let d = past(&self.received_on, "/received_on", today, &mut errs);
        match d {
            Some(d) if errs.is_empty() => Ok(d),
            _ => Err(AppError::Validation(errs)),
        }
    }
}

impl ObjectionActionRequest {
    /// The domain's action, dates parsed (422 naming the field).
    pub(super) fn parse(self, today: NaiveDate) -> Result<ObjectionAction, AppError> {
        use ObjectionAction as A;
        use ObjectionActionRequest as R;
        let mut errs = Vec::new();
        let e = &mut errs;
        let action = match self {
            R::PlanHearing { on } => parse_date(&on, "/on", e).map(|on| A::PlanHearing { on }),
            R::RecordHearing { on } => past(&on, "/on", today, e).map(|on| A::RecordHearing { on }),
            R::Postpone { on, weeks, reason } => {
                let reason = text(reason, "/reason", 500, e);
                past(&on, "/on", today, e).map(|on| A::Postpone { on, weeks, reason })
            }
            R::ExtendWithConsent { consent_on, new_due_on } => {
                let consent_on = past(&consent_on, "/consent_on", today, e);
                let new_due_on = parse_date(&new_due_on, "/new_due_on", e);
                consent_on
                    .zip(new_due_on)
                    .map(|(consent_on, new_due_on)| A::ExtendWithConsent { consent_on, new_due_on })
            }
            R::Decide { decided_on, notified_on, outcome, new_decision: nd } => {
                let decided_on = past(&decided_on, "/decided_on", today, e);
                let notified_on = past(&notified_on, "/notified_on", today, e);
                let nd = nd.map(|d| new_decision(d, "/new_decision", e));
                decided_on.zip(notified_on).map(|(decided_on, notified_on)| A::Decide {
                    decided_on,
                    notified_on,
                    outcome,
                    new_decision: nd,
                })
            }
            R::Withdraw { on } => past(&on, "/on", today, e).map(|on| A::Withdraw { on }),
            R::RecordExcuseDecision { on, excusable } => {
                past(&on, "/on", today, e).map(|on| A::RecordExcuseDecision { on, excusable })
            }
            R::RecordNewDecision(d) => {
                let (reference, id) = new_decision(d, "", e);
                Some(A::RecordNewDecision { reference, id })
            }
            R::RecordProvisionalRelief { granted_on, court, suspends_enforcement } => {
                let court = text(court, "/court", 200, e);
                past(&granted_on, "/granted_on", today, e).map(|granted_on| A::RecordProvisionalRelief {
                    granted_on,
                    court,
                    suspends_enforcement,
                })
            }
            R::LodgeAppeal { lodged_on, court } => {
                let court = text(court, "/court", 200, e);
                past(&lodged_on, "/lodged_on", today, e).map(|lodged_on| A::LodgeAppeal { lodged_on, court })
            }
            R::RecordAppealOutcome { judgment_on, outcome } => past(&judgment_on, "/judgment_on", today, e)
                .map(|judgment_on| A::RecordAppealOutcome { judgment_on, outcome }),
        };
        match action {
            Some(a) if errs.is_empty() => Ok(a),
            _ => Err(AppError::Validation(errs)),
        }
    }
}
