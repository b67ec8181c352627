//! State machines for the sanction procedures (rules.md §4.4, §4.5):
//! administrative fine (bestuurlijke boete), penalty order (last onder dwangsom, LOD) and warning
//! (waarschuwing).
//!
//! PURE: no I/O. Each procedure is an enum state with
//! `apply(&self, action, ..) -> Result<State, ProcedureError>`; a transition that is not allowed
//! from the current state is `ProcedureError::IllegalTransition(IllegalTransition { from, action,
//! allowed })` (HTTP 409); a transition that is allowed but has bad data (dates in the wrong order,
//! missing zienswijze, lapsed power) is one of the other variants (HTTP 422).
//!
//! The statutory terms (Awb, with the Atw roll) live in `awb`, the date arithmetic in `calendar`;
//! both are re-exported here under their old paths.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::domain::awb::RAPPORT_AND_ZIENSWIJZE_THRESHOLD_CENTS;
pub use crate::domain::awb::{
    fine_decision_due, fine_payment_due, objection_term_ends, DWANGSOM_COLLECTION_LAPSE_YEARS,
    DWANGSOM_PAYMENT_WEEKS, FINE_DECISION_WEEKS, FINE_PAYMENT_WEEKS, LOD_LIFT_AFTER_YEARS, OBJECTION_WEEKS,
};
pub use crate::domain::calendar::{
    add_days_sat, add_months_sat, add_weeks_sat, add_years_sat, sub_days_sat, sub_years_sat, AtwRoll,
    NoAtwRoll,
};
use crate::domain::general_rules::RuleCode;
use crate::domain::money::Money;

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

/// An action that the current state does not allow (HTTP 409).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("{procedure}: action '{action}' is not allowed in state '{from}' (allowed: {allowed:?})")]
pub struct IllegalTransition {
    pub procedure: &'static str,
    pub from: &'static str,
    pub action: &'static str,
    pub allowed: Vec<&'static str>,
}

#[derive(Debug, Clone, PartialEq, Serialize, thiserror::Error)]
#[serde(rename_all = "snake_case", tag = "error")]
pub enum ProcedureError {
    #[error(transparent)]
    IllegalTransition(IllegalTransition),
    #[error("{field} {date} may not be before {earliest}")]
    DateTooEarly { field: &'static str, date: NaiveDate, earliest: NaiveDate },
    #[error("{field} {date} is after the last allowed day {latest}")]
    DateTooLate { field: &'static str, date: NaiveDate, latest: NaiveDate },
    /// Awb 5:53: above €340 a rapport and a zienswijze opportunity are mandatory.
    #[error(
        "a fine of {amount} requires a notice of intent with zienswijze first (Awb 5:53; above {threshold})"
    )]
    ZienswijzeRequired { amount: Money, threshold: Money },
    #[error("the zienswijze term runs until {until} and no zienswijze was received")]
    ZienswijzeTermRunning { until: NaiveDate },
    #[error("amount must be above zero")]
    ZeroAmount,
    /// 5:35: power to collect lapsed.
    #[error("the power to collect lapsed on {lapsed_on} (Awb 5:35)")]
    CollectionPowerLapsed { lapsed_on: NaiveDate },
    #[error("forfeiting {amount} would exceed the maximum {maximum} (Awb 5:32b lid 2)")]
    AboveMaximum { amount: Money, maximum: Money },
    #[error("the penalty order cannot be lifted: {reason}")]
    LiftNotAllowed { reason: String },
    /// A publication needs an end: the policy's publication term, or a date in the request.
    #[error("a publication needs an end date: give expires_on, or set fine_procedure.publication_months in the policy")]
    PublicationExpiryRequired,
}

impl From<IllegalTransition> for ProcedureError {
    fn from(e: IllegalTransition) -> Self {
        ProcedureError::IllegalTransition(e)
    }
}

fn not_before(field: &'static str, date: NaiveDate, earliest: NaiveDate) -> Result<(), ProcedureError> {
    if date < earliest {
        Err(ProcedureError::DateTooEarly { field, date, earliest })
    } else {
        Ok(())
    }
}

// ---------------------------------------------------------------------------------------------
// Administrative fine (bestuurlijke boete) procedure — Awb 5:48–5:53, 4:87, 6:7 (rules.md §4.5)
// ---------------------------------------------------------------------------------------------

/// Municipality-configurable parts of the fine procedure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", default)]
pub struct FineProcedureConfig {
    /// Days the offender gets to give a zienswijze after the notice of intent.
    // NOTE: no statutory length (Awb 5:50/5:53 only require the opportunity); 14 days is a
    // common municipal practice, UNCONFIRMED — configure. Set by the authority, so no Atw roll.
    pub zienswijze_term_days: u32,
    /// Publish (name the offender) already after the decision instead of after it became final.
    // NOTE: rules.md §4.7/§6: timing UNCONFIRMED (Wgv art. 20); §6's test default says "publish
    // after decision" while the brief's chain is decided → final → published. Default false
    // (after final, safest when a fine is annulled); set true for "after decision".
    pub publish_before_final: bool,
    /// How long a publication stays online; `None` = no automatic expiry.
    // NOTE: duration UNCONFIRMED (rules.md §4.7); the municipality must set it.
    pub publication_months: Option<u32>,
}

impl Default for FineProcedureConfig {
    fn default() -> Self {
        FineProcedureConfig {
            zienswijze_term_days: 14,
            publish_before_final: false,
            publication_months: None,
        }
    }
}

/// The decision part of a fine, once taken.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub struct FineDecision {
    pub decided_on: NaiveDate,
    pub notified_on: NaiveDate,
    pub amount: Money,
    /// 4:87: notified + 6 weeks.
    pub payment_due: NaiveDate,
    /// 6:7/6:8: last day of the objection term.
    pub objection_ends: NaiveDate,
    /// Decided after the 5:51 term. Not a ground for annulment by itself (termijn van orde), but
    /// visible for management.
    // NOTE: exceeding 5:51 lid 1 is not treated as fatal (no vervaltermijn); a jurist may decide
    // otherwise, in which case the HTTP layer can block on this flag.
    pub decided_late: bool,
}

/// Why a fine procedure was dropped before a decision (Awb 5:41–5:45).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DropReason {
    /// 5:41: violation not verwijtbaar.
    NotBlameworthy,
    /// 5:42: offender deceased.
    OffenderDeceased,
    /// 5:43: already fined for the same violation.
    AlreadyFined,
    /// 5:44: criminal prosecution started.
    CriminalProsecution,
    /// 5:45: power to fine lapsed.
    PowerLapsed,
    /// Other motivated decision not to fine.
    Other,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "state")]
pub enum FineState {
    /// Rapport drawn up (5:48); decision due 13 weeks later (5:51).
    Rapport {
        rapport_date: NaiveDate,
        decision_due: NaiveDate,
    },
    /// Notice of intent sent with the rapport, zienswijze invited (5:50, 5:53).
    IntentSent {
        rapport_date: NaiveDate,
        decision_due: NaiveDate,
        intent_sent_on: NaiveDate,
        zienswijze_due: NaiveDate,
        zienswijze_received_on: Option<NaiveDate>,
    },
    Decided {
        rapport_date: NaiveDate,
        decision: FineDecision,
    },
    ObjectionLodged {
        rapport_date: NaiveDate,
        decision: FineDecision,
        lodged_on: NaiveDate,
    },
    /// Onherroepelijk.
    Final {
        decision: FineDecision,
        final_on: NaiveDate,
    },
    Published {
        decision: FineDecision,
        /// `None` when published before becoming final (config `publish_before_final`).
        final_on: Option<NaiveDate>,
        published_on: NaiveDate,
        expires_on: Option<NaiveDate>,
    },
    Annulled {
        decision: FineDecision,
        annulled_on: NaiveDate,
    },
    Dropped {
        dropped_on: NaiveDate,
        reason: DropReason,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "action")]
pub enum FineAction {
    SendIntent {
        on: NaiveDate,
    },
    ReceiveZienswijze {
        on: NaiveDate,
    },
    Decide {
        decided_on: NaiveDate,
        notified_on: NaiveDate,
        amount: Money,
    },
    LodgeObjection {
        on: NaiveDate,
    },
    BecomeFinal {
        on: NaiveDate,
    },
    Annul {
        on: NaiveDate,
    },
    /// Publication; ends on `expires_on` when given, else after the policy's publication term.
    Publish {
        on: NaiveDate,
        expires_on: Option<NaiveDate>,
    },
    Drop {
        on: NaiveDate,
        reason: DropReason,
    },
}

impl FineAction {
    pub fn name(&self) -> &'static str {
        match self {
            FineAction::SendIntent { .. } => "send_intent",
            FineAction::ReceiveZienswijze { .. } => "receive_zienswijze",
            FineAction::Decide { .. } => "decide",
            FineAction::LodgeObjection { .. } => "lodge_objection",
            FineAction::BecomeFinal { .. } => "become_final",
            FineAction::Annul { .. } => "annul",
            FineAction::Publish { .. } => "publish",
            FineAction::Drop { .. } => "drop",
        }
    }
}

impl FineState {
    /// Start: a rapport dated `rapport_date`.
    pub fn start(rapport_date: NaiveDate) -> FineState {
        FineState::Rapport { rapport_date, decision_due: fine_decision_due(rapport_date) }
    }

    pub fn name(&self) -> &'static str {
        match self {
            FineState::Rapport { .. } => "rapport",
            FineState::IntentSent { .. } => "intent_sent",
            FineState::Decided { .. } => "decided",
            FineState::ObjectionLodged { .. } => "objection_lodged",
            FineState::Final { .. } => "final",
            FineState::Published { .. } => "published",
            FineState::Annulled { .. } => "annulled",
            FineState::Dropped { .. } => "dropped",
        }
    }

    /// Action names allowed from this state (the `allowed` of an `IllegalTransition`).
    pub fn allowed_actions(&self, cfg: &FineProcedureConfig) -> Vec<&'static str> {
        match self {
            FineState::Rapport { .. } => vec!["send_intent", "decide", "drop"],
            FineState::IntentSent { .. } => vec!["receive_zienswijze", "decide", "drop"],
            FineState::Decided { .. } if cfg.publish_before_final => {
                vec!["lodge_objection", "become_final", "annul", "publish"]
            }
            FineState::Decided { .. } => vec!["lodge_objection", "become_final", "annul"],
            FineState::ObjectionLodged { .. } => vec!["become_final", "annul"],
            FineState::Final { .. } => vec!["publish"],
            FineState::Published { final_on: None, .. } => vec!["become_final", "annul"],
            FineState::Published { .. } | FineState::Annulled { .. } | FineState::Dropped { .. } => {
                vec![]
            }
        }
    }

    fn illegal(&self, action: &FineAction, cfg: &FineProcedureConfig) -> ProcedureError {
        ProcedureError::IllegalTransition(IllegalTransition {
            procedure: "administrative_fine",
            from: self.name(),
            action: action.name(),
            allowed: self.allowed_actions(cfg),
        })
    }

    /// The decision due date (5:51), where known.
    pub fn decision_due(&self) -> Option<NaiveDate> {
        match self {
            FineState::Rapport { decision_due, .. } | FineState::IntentSent { decision_due, .. } => {
                Some(*decision_due)
            }
            _ => None,
        }
    }

    /// Whether the offender's name is publicly visible on `today`.
    pub fn is_publicly_visible(&self, today: NaiveDate) -> bool {
        match self {
            FineState::Published { published_on, expires_on, .. } => {
                *published_on <= today && expires_on.is_none_or(|e| today < e)
            }
            _ => false,
        }
    }

    pub fn apply(
        &self,
        action: &FineAction,
        cfg: &FineProcedureConfig,
        atw: &dyn AtwRoll,
    ) -> Result<FineState, ProcedureError> {
        use FineAction as A;
        use FineState as S;
        let decide = |rapport_date: NaiveDate,
                      decision_due: NaiveDate,
                      decided_on: NaiveDate,
                      notified_on: NaiveDate,
                      amount: Money|
         -> Result<FineState, ProcedureError> {
            if amount.cents() <= 0 {
                return Err(ProcedureError::ZeroAmount);
            }
            not_before("decided_on", decided_on, rapport_date)?;
            not_before("notified_on", notified_on, decided_on)?;
            Ok(S::Decided {
                rapport_date,
                decision: FineDecision {
                    decided_on,
                    notified_on,
                    amount,
                    payment_due: fine_payment_due(notified_on, atw),
                    objection_ends: objection_term_ends(notified_on, atw),
                    decided_late: decided_on > decision_due,
                },
            })
        };
        // Every publication has an end: the date given, or the policy's term (rules.md §4.7: the
        // duration is UNCONFIRMED, so there is no statutory default).
        let publish = |decision: &FineDecision,
                       final_on: Option<NaiveDate>,
                       on: NaiveDate,
                       expires_on: Option<NaiveDate>|
         -> Result<FineState, ProcedureError> {
            let expires = expires_on
                .or(cfg.publication_months.map(|m| add_months_sat(on, m)))
                .ok_or(ProcedureError::PublicationExpiryRequired)?;
            not_before("expires_on", expires, add_days_sat(on, 1))?;
            Ok(S::Published {
                decision: decision.clone(),
                final_on,
                published_on: on,
                expires_on: Some(expires),
            })
        };
        match (self, action) {
            (S::Rapport { rapport_date, decision_due }, A::SendIntent { on }) => {
                not_before("intent_sent_on", *on, *rapport_date)?;
                Ok(S::IntentSent {
                    rapport_date: *rapport_date,
                    decision_due: *decision_due,
                    intent_sent_on: *on,
                    zienswijze_due: add_days_sat(*on, u64::from(cfg.zienswijze_term_days)),
                    zienswijze_received_on: None,
                })
            }
            (S::Rapport { rapport_date, decision_due }, A::Decide { decided_on, notified_on, amount }) => {
                // 5:53: above €340 no decision without rapport + zienswijze (scenario 48).
                if amount.cents() > RAPPORT_AND_ZIENSWIJZE_THRESHOLD_CENTS {
                    return Err(ProcedureError::ZienswijzeRequired {
                        amount: *amount,
                        threshold: Money::from_cents(RAPPORT_AND_ZIENSWIJZE_THRESHOLD_CENTS)
                            .unwrap_or(Money::ZERO),
                    });
                }
                decide(*rapport_date, *decision_due, *decided_on, *notified_on, *amount)
            }
            (
                S::IntentSent { rapport_date, decision_due, intent_sent_on, zienswijze_due, .. },
                A::ReceiveZienswijze { on },
            ) => {
                not_before("zienswijze_received_on", *on, *intent_sent_on)?;
                Ok(S::IntentSent {
                    rapport_date: *rapport_date,
                    decision_due: *decision_due,
                    intent_sent_on: *intent_sent_on,
                    zienswijze_due: *zienswijze_due,
                    zienswijze_received_on: Some(*on),
                })
            }
            (
                S::IntentSent { rapport_date, decision_due, zienswijze_due, zienswijze_received_on, .. },
                A::Decide { decided_on, notified_on, amount },
            ) => {
                // The term is "until and including" zienswijze_due; deciding on it or earlier
                // without a zienswijze would cut the offender's opportunity short.
                if zienswijze_received_on.is_none() && *decided_on <= *zienswijze_due {
                    return Err(ProcedureError::ZienswijzeTermRunning { until: *zienswijze_due });
                }
                if let Some(received) = zienswijze_received_on {
                    not_before("decided_on", *decided_on, *received)?;
                }
                decide(*rapport_date, *decision_due, *decided_on, *notified_on, *amount)
            }
            (
                S::Rapport { rapport_date, .. } | S::IntentSent { rapport_date, .. },
                A::Drop { on, reason },
            ) => {
                not_before("dropped_on", *on, *rapport_date)?;
                Ok(S::Dropped { dropped_on: *on, reason: *reason })
            }
            (S::Decided { rapport_date, decision }, A::LodgeObjection { on }) => {
                not_before("lodged_on", *on, decision.notified_on)?;
                // NOTE: a late objection may be excusable (Awb 6:11); that is a decision for the
                // officer outside this machine, so a late date is refused here.
                if *on > decision.objection_ends {
                    return Err(ProcedureError::DateTooLate {
                        field: "lodged_on",
                        date: *on,
                        latest: decision.objection_ends,
                    });
                }
                Ok(S::ObjectionLodged {
                    rapport_date: *rapport_date,
                    decision: decision.clone(),
                    lodged_on: *on,
                })
            }
            (S::Decided { decision, .. }, A::BecomeFinal { on }) => {
                // Final only once the objection term has passed unused.
                not_before("final_on", *on, add_days_sat(decision.objection_ends, 1))?;
                Ok(S::Final { decision: decision.clone(), final_on: *on })
            }
            (S::ObjectionLodged { decision, lodged_on, .. }, A::BecomeFinal { on }) => {
                not_before("final_on", *on, *lodged_on)?;
                Ok(S::Final { decision: decision.clone(), final_on: *on })
            }
            (S::Published { decision, final_on: None, published_on, expires_on }, A::BecomeFinal { on }) => {
                not_before("final_on", *on, decision.notified_on)?;
                Ok(S::Published {
                    decision: decision.clone(),
                    final_on: Some(*on),
                    published_on: *published_on,
                    expires_on: *expires_on,
                })
            }
            (
                S::Decided { decision, .. }
                | S::ObjectionLodged { decision, .. }
                | S::Published { decision, final_on: None, .. },
                A::Annul { on },
            ) => {
                not_before("annulled_on", *on, decision.decided_on)?;
                Ok(S::Annulled { decision: decision.clone(), annulled_on: *on })
            }
            (S::Decided { decision, .. }, A::Publish { on, expires_on }) if cfg.publish_before_final => {
                not_before("published_on", *on, decision.notified_on)?;
                publish(decision, None, *on, *expires_on)
            }
            (S::Final { decision, final_on }, A::Publish { on, expires_on }) => {
                not_before("published_on", *on, *final_on)?;
                publish(decision, Some(*final_on), *on, *expires_on)
            }
            _ => Err(self.illegal(action, cfg)),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Penalty order (last onder dwangsom) — Awb 5:31d–5:39 (rules.md §4.4)
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TimeUnit {
    Day,
    Week,
    Month,
}

/// How the dwangsom is set (5:32b lid 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum SumKind {
    /// Ineens (lump sum).
    Once,
    PerTimeUnit {
        unit: TimeUnit,
    },
    PerViolation,
}

/// What the LOD aims at (5:2 lid 1 b, 5:32a lid 2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LodPurpose {
    /// End (undo) an ongoing violation: begunstigingstermijn mandatory (5:32a lid 2).
    EndOngoingViolation,
    /// Prevent further violation: begunstigingstermijn mandatory (5:32a lid 2).
    PreventFurtherViolation,
    /// Prevent repetition of a violation that has ended (5:2 lid 1 b): no term required.
    PreventRepetition,
}

/// When a per-time-unit dwangsom is forfeited within each period.
// NOTE: rules.md §6 open question 9: exact forfeiture moment for per-period dwangsommen is set in
// each LOD text. Default: at the start of each (begun) period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PeriodForfeitMoment {
    #[default]
    StartOfPeriod,
    EndOfPeriod,
}

/// The terms of a penalty order as decided.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub struct PenaltyOrder {
    pub rule: RuleCode,
    /// Herstelmaatregelen (5:32a lid 1). At least one.
    pub remedial_measures: Vec<String>,
    pub purpose: LodPurpose,
    /// Date of bekendmaking (the LOD is in force from then).
    pub issued_on: NaiveDate,
    /// Begunstigingstermijn in days; mandatory for ending/preventing further violation.
    pub begunstigingstermijn_days: Option<u32>,
    pub sum_kind: SumKind,
    pub amount: Money,
    /// Maximum above which nothing more is forfeited (5:32b lid 2). For `Once` it may be
    /// omitted: the lump sum is then its own maximum.
    pub maximum: Option<Money>,
    #[serde(default)]
    pub period_forfeit_moment: PeriodForfeitMoment,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(rename_all = "snake_case", tag = "error")]
pub enum LodError {
    #[error("the penalty order must describe the remedial measures (Awb 5:32a lid 1)")]
    MissingRemedialMeasures,
    #[error("a penalty order to end an ongoing or further violation needs a begunstigingstermijn (Awb 5:32a lid 2)")]
    MissingBegunstigingstermijn,
    #[error("a penalty order needs a maximum above which nothing is forfeited (Awb 5:32b lid 2)")]
    MissingMaximum,
    #[error("the maximum may not be below the dwangsom amount")]
    MaximumBelowAmount,
    #[error("the dwangsom amount must be above zero")]
    ZeroAmount,
    #[error("too many forfeiture periods to compute (more than {limit}); check the dates")]
    TooManyPeriods { limit: u32 },
}

/// Upper bound on forfeiture periods of one order: ten years of daily sums. Guards against absurd
/// dates, and keeps the stored state (one record per forfeited sum) a bounded size.
const MAX_FORFEITURE_PERIODS: u32 = 3_660;

impl PenaltyOrder {
    /// Validates the order's mandatory content (scenario 53). Returns all problems.
    pub fn validate(&self) -> Result<(), Vec<LodError>> {
        let mut errs = Vec::new();
        if self.remedial_measures.iter().all(|m| m.trim().is_empty()) {
            errs.push(LodError::MissingRemedialMeasures);
        }
        let needs_term =
            matches!(self.purpose, LodPurpose::EndOngoingViolation | LodPurpose::PreventFurtherViolation);
        if needs_term && self.begunstigingstermijn_days.unwrap_or(0) == 0 {
            errs.push(LodError::MissingBegunstigingstermijn);
        }
        if self.amount.cents() <= 0 {
            errs.push(LodError::ZeroAmount);
        }
        match (self.sum_kind, self.maximum) {
            (SumKind::Once, None) => {}
            (_, None) => errs.push(LodError::MissingMaximum),
            (_, Some(max)) if max < self.amount => errs.push(LodError::MaximumBelowAmount),
            _ => {}
        }
        if errs.is_empty() {
            Ok(())
        } else {
            Err(errs)
        }
    }

    /// The effective maximum (lump sum = its own maximum).
    pub fn effective_maximum(&self) -> Money {
        self.maximum.unwrap_or(self.amount)
    }

    /// Last day of the begunstigingstermijn, if any (issued + n days; scenario 52: 2025-05-06
    /// + 28 days = 2025-06-03). No Atw roll: the term is set by the authority (module NOTE).
    pub fn compliance_deadline(&self) -> Option<NaiveDate> {
        self.begunstigingstermijn_days.filter(|d| *d > 0).map(|d| add_days_sat(self.issued_on, u64::from(d)))
    }

    /// First day on which a dwangsom can be forfeited.
    pub fn first_forfeiture_day(&self) -> NaiveDate {
        match self.compliance_deadline() {
            Some(end) => add_days_sat(end, 1),
            None => self.issued_on,
        }
    }
}

/// A follow-up inspection's finding about the order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub struct FollowUpInspection {
    pub inspected_on: NaiveDate,
    pub compliant: bool,
    /// When non-compliance started, if established (else the inspection date is used).
    pub non_compliant_since: Option<NaiveDate>,
    /// For `PerViolation`: the number of separate violations found (min 1 when non-compliant).
    #[serde(default)]
    pub violations_found: u32,
}

/// One forfeited sum, van rechtswege.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub struct Forfeiture {
    pub forfeited_on: NaiveDate,
    pub amount: Money,
    /// 5:33: forfeited + 6 weeks (Atw roll applies).
    pub payable_by: NaiveDate,
    /// 5:35: forfeited + 1 year.
    pub collection_lapses_on: NaiveDate,
    /// The inspection that established it.
    pub inspection_on: NaiveDate,
}

impl Forfeiture {
    pub fn new(forfeited_on: NaiveDate, amount: Money, inspection_on: NaiveDate, atw: &dyn AtwRoll) -> Self {
        Forfeiture {
            forfeited_on,
            amount,
            payable_by: atw.roll_forward(add_weeks_sat(forfeited_on, DWANGSOM_PAYMENT_WEEKS)),
            collection_lapses_on: add_years_sat(forfeited_on, DWANGSOM_COLLECTION_LAPSE_YEARS),
            inspection_on,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub struct ForfeitureStatement {
    pub forfeitures: Vec<Forfeiture>,
    pub total: Money,
    pub maximum: Money,
    pub maximum_reached: bool,
}

fn period_after(start: NaiveDate, unit: TimeUnit) -> NaiveDate {
    match unit {
        TimeUnit::Day => add_days_sat(start, 1),
        TimeUnit::Week => add_days_sat(start, 7),
        TimeUnit::Month => add_months_sat(start, 1),
    }
}

/// Computes what was forfeited, from follow-up inspections, up to the maximum (5:32b, 5:33,
/// 5:35). Non-compliance before the first forfeiture day (end of the begunstigingstermijn + 1)
/// never forfeits. For `PerTimeUnit`, non-compliance is counted from `non_compliant_since` to the
/// inspection date (inclusive); overlapping findings are counted once.
pub fn compute_forfeitures(
    order: &PenaltyOrder,
    inspections: &[FollowUpInspection],
    atw: &dyn AtwRoll,
) -> Result<ForfeitureStatement, Vec<LodError>> {
    order.validate()?;
    let maximum = order.effective_maximum();
    let first_day = order.first_forfeiture_day();
    let mut sorted: Vec<&FollowUpInspection> = inspections.iter().collect();
    sorted.sort_by_key(|i| i.inspected_on);

    let mut out: Vec<Forfeiture> = Vec::new();
    let mut total = Money::ZERO;
    // Adds min(amount, remaining); returns false once the maximum is reached.
    let mut forfeit = |on: NaiveDate, amount: Money, insp: NaiveDate, out: &mut Vec<Forfeiture>| -> bool {
        let remaining = maximum.cents().saturating_sub(total.cents()).max(0);
        let take = amount.cents().min(remaining);
        if take > 0 {
            let m = Money::from_cents(take).unwrap_or(Money::ZERO);
            total = total.saturating_add(m);
            out.push(Forfeiture::new(on, m, insp, atw));
        }
        total < maximum
    };

    // State for per-time-unit counting.
    let mut covered_through: Option<NaiveDate> = None;
    let mut next_period_start: Option<NaiveDate> = None;
    let mut periods: u32 = 0;

    'inspections: for insp in sorted {
        if insp.compliant {
            covered_through = None;
            next_period_start = None;
            continue;
        }
        if insp.inspected_on < first_day {
            continue; // still within the begunstigingstermijn
        }
        let since =
            insp.non_compliant_since.unwrap_or(insp.inspected_on).min(insp.inspected_on).max(first_day);
        match order.sum_kind {
            SumKind::Once => {
                forfeit(since, order.amount, insp.inspected_on, &mut out);
                break 'inspections; // a lump sum is forfeited once
            }
            SumKind::PerViolation => {
                let n = i64::from(insp.violations_found.max(1));
                if !forfeit(insp.inspected_on, order.amount.saturating_mul(n), insp.inspected_on, &mut out) {
                    break 'inspections;
                }
            }
            SumKind::PerTimeUnit { unit } => {
                let continuous = covered_through.is_some_and(|c| since <= add_days_sat(c, 1));
                let mut start = match (continuous, next_period_start) {
                    (true, Some(p)) => p,
                    _ => since,
                };
                loop {
                    let next = period_after(start, unit);
                    let (due, on) = match order.period_forfeit_moment {
                        PeriodForfeitMoment::StartOfPeriod => (start <= insp.inspected_on, start),
                        PeriodForfeitMoment::EndOfPeriod => {
                            let end = sub_days_sat(next, 1);
                            (end <= insp.inspected_on, end)
                        }
                    };
                    if !due || next <= start {
                        break;
                    }
                    periods = periods.saturating_add(1);
                    if periods > MAX_FORFEITURE_PERIODS {
                        return Err(vec![LodError::TooManyPeriods { limit: MAX_FORFEITURE_PERIODS }]);
                    }
                    if !forfeit(on, order.amount, insp.inspected_on, &mut out) {
                        break 'inspections;
                    }
                    start = next;
                }
                covered_through = Some(insp.inspected_on);
                next_period_start = Some(start);
            }
        }
    }
    Ok(ForfeitureStatement { forfeitures: out, total, maximum, maximum_reached: total >= maximum })
}

/// Grounds to lift a penalty order (5:34).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LiftGround {
    /// 5:34 lid 1: (partial) permanent or temporary impossibility to comply.
    Impossibility,
    /// 5:34 lid 2: in force at least 1 year without forfeiture.
    OneYearWithoutForfeiture,
}

/// One forfeited sum and how its collection stands. Each sum runs its own course: a per-day or
/// per-violation order keeps forfeiting after a first collection decision, and every new sum
/// needs its own beschikking omtrent invordering (5:37) before a reminder.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub struct ForfeitureRecord {
    #[serde(flatten)]
    pub forfeiture: Forfeiture,
    /// Beschikking omtrent invordering (5:37) covering this sum.
    pub collection_decided_on: Option<NaiveDate>,
    /// Aanmaning (only after the decision and after the payment term).
    pub reminder_on: Option<NaiveDate>,
    pub paid_on: Option<NaiveDate>,
    /// The power to collect lapsed (5:35) before a decision was taken: recorded so that the sum
    /// leaves the list of open work.
    pub collection_lapsed_on: Option<NaiveDate>,
}

impl ForfeitureRecord {
    /// Still to be collected: neither paid nor lapsed.
    pub fn outstanding(&self) -> bool {
        self.paid_on.is_none() && self.collection_lapsed_on.is_none()
    }
}

/// A lifting of the order (5:34).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub struct Lifting {
    pub on: NaiveDate,
    pub ground: LiftGround,
}

/// A penalty order as it stands: the order binds until lifted or until its maximum is forfeited;
/// forfeited sums are collected one by one. The state name is derived (see [`LodState::name`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub struct LodState {
    pub issued_on: NaiveDate,
    pub compliance_deadline: Option<NaiveDate>,
    pub maximum: Money,
    /// Compliance established at the latest follow-up (cleared by a later forfeiture).
    pub complied_on: Option<NaiveDate>,
    #[serde(default)]
    pub forfeitures: Vec<ForfeitureRecord>,
    pub lifted: Option<Lifting>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "action")]
pub enum LodAction {
    VerifyCompliance {
        on: NaiveDate,
    },
    RecordForfeiture {
        forfeiture: Forfeiture,
    },
    /// Decides on the collection of every outstanding sum without a decision whose collection
    /// power has not lapsed.
    DecideCollection {
        on: NaiveDate,
    },
    /// Records that the power to collect the undecided sums lapsed (5:35) on or before `on`.
    RecordLapse {
        on: NaiveDate,
    },
    /// Reminds of every decided, unreminded sum whose payment term has passed.
    SendReminder {
        on: NaiveDate,
    },
    /// Payment of every outstanding sum forfeited on or before `on`.
    RecordPayment {
        on: NaiveDate,
    },
    Lift {
        on: NaiveDate,
        ground: LiftGround,
    },
}

impl LodAction {
    pub fn name(&self) -> &'static str {
        match self {
            LodAction::VerifyCompliance { .. } => "verify_compliance",
            LodAction::RecordForfeiture { .. } => "record_forfeiture",
            LodAction::DecideCollection { .. } => "decide_collection",
            LodAction::RecordLapse { .. } => "record_lapse",
            LodAction::SendReminder { .. } => "send_reminder",
            LodAction::RecordPayment { .. } => "record_payment",
            LodAction::Lift { .. } => "lift",
        }
    }
}

fn sum<'a>(amounts: impl Iterator<Item = &'a ForfeitureRecord>) -> Money {
    amounts.fold(Money::ZERO, |acc, f| acc.saturating_add(f.forfeiture.amount))
}

impl LodState {
    /// Start from a validated order.
    pub fn start(order: &PenaltyOrder) -> Result<LodState, Vec<LodError>> {
        order.validate()?;
        Ok(LodState {
            issued_on: order.issued_on,
            compliance_deadline: order.compliance_deadline(),
            maximum: order.effective_maximum(),
            complied_on: None,
            forfeitures: Vec::new(),
            lifted: None,
        })
    }

    fn outstanding(&self) -> impl Iterator<Item = &ForfeitureRecord> {
        self.forfeitures.iter().filter(|f| f.outstanding())
    }

    fn undecided(&self) -> impl Iterator<Item = &ForfeitureRecord> {
        self.outstanding().filter(|f| f.collection_decided_on.is_none())
    }

    fn unreminded(&self) -> impl Iterator<Item = &ForfeitureRecord> {
        self.outstanding().filter(|f| f.collection_decided_on.is_some() && f.reminder_on.is_none())
    }

    /// Whether the maximum has been forfeited: nothing more can be (5:32b lid 2).
    pub fn maximum_reached(&self) -> bool {
        self.forfeited_total() >= self.maximum
    }

    /// Whether more can be forfeited: the order binds and its maximum is not reached.
    pub fn can_forfeit(&self) -> bool {
        self.lifted.is_none() && !self.maximum_reached()
    }

    /// The state's name, from what is still to be done (most pressing first):
    /// `forfeited` (a sum awaits a collection decision), `collection_decided` (a decided sum
    /// awaits payment or a reminder), `reminder_sent` (reminded sums await payment), then
    /// `in_force` (binds, nothing outstanding), `lifted`, or `completed` (maximum forfeited and
    /// every sum settled).
    pub fn name(&self) -> &'static str {
        if self.undecided().next().is_some() {
            "forfeited"
        } else if self.unreminded().next().is_some() {
            "collection_decided"
        } else if self.outstanding().next().is_some() {
            "reminder_sent"
        } else if self.lifted.is_some() {
            "lifted"
        } else if self.maximum_reached() {
            "completed"
        } else {
            "in_force"
        }
    }

    pub fn allowed_actions(&self) -> Vec<&'static str> {
        let mut out = Vec::new();
        if self.can_forfeit() {
            out.extend(["verify_compliance", "record_forfeiture"]);
        }
        if self.undecided().next().is_some() {
            out.extend(["decide_collection", "record_lapse"]);
        }
        if self.unreminded().next().is_some() {
            out.push("send_reminder");
        }
        if self.outstanding().next().is_some() {
            out.push("record_payment");
        }
        if self.can_forfeit() {
            out.push("lift");
        }
        out
    }

    /// Whether the order still binds (carrousel rule: a tenant change does not end it).
    pub fn is_effective(&self) -> bool {
        self.lifted.is_none()
    }

    /// Sums forfeited so far (paid, outstanding or lapsed).
    pub fn forfeited_total(&self) -> Money {
        sum(self.forfeitures.iter())
    }

    /// Sums forfeited and still to be collected.
    pub fn outstanding_total(&self) -> Money {
        sum(self.outstanding())
    }

    /// The sums for which `mark` became true between `before` and this state (e.g. the sums a
    /// collection decision or a reminder just covered).
    pub fn newly_marked(&self, before: &LodState, mark: fn(&ForfeitureRecord) -> bool) -> Money {
        sum(self
            .forfeitures
            .iter()
            .zip(before.forfeitures.iter())
            .filter(|(n, o)| mark(n) && !mark(o))
            .map(|(n, _)| n))
    }

    /// The first day on which a dwangsom can be forfeited.
    fn first_forfeiture_day(&self) -> NaiveDate {
        self.compliance_deadline.map_or(self.issued_on, |d| add_days_sat(d, 1))
    }

    fn illegal(&self, action: &LodAction) -> ProcedureError {
        ProcedureError::IllegalTransition(IllegalTransition {
            procedure: "penalty_order",
            from: self.name(),
            action: action.name(),
            allowed: self.allowed_actions(),
        })
    }

    pub fn apply(&self, action: &LodAction) -> Result<LodState, ProcedureError> {
        if !self.allowed_actions().contains(&action.name()) {
            return Err(self.illegal(action));
        }
        let mut next = self.clone();
        match action {
            LodAction::VerifyCompliance { on } => {
                not_before("complied_on", *on, self.issued_on)?;
                next.complied_on = Some(*on);
            }
            LodAction::RecordForfeiture { forfeiture: f } => {
                not_before("forfeited_on", f.forfeited_on, self.first_forfeiture_day())?;
                if f.amount.cents() <= 0 {
                    return Err(ProcedureError::ZeroAmount);
                }
                let new_total = self.forfeited_total().saturating_add(f.amount);
                if new_total > self.maximum {
                    return Err(ProcedureError::AboveMaximum { amount: new_total, maximum: self.maximum });
                }
                next.complied_on = None;
                next.forfeitures.push(ForfeitureRecord {
                    forfeiture: f.clone(),
                    collection_decided_on: None,
                    reminder_on: None,
                    paid_on: None,
                    collection_lapsed_on: None,
                });
            }
            LodAction::DecideCollection { on } => {
                // 5:35: the power to collect lapses 1 year after the forfeiture.
                // NOTE: treating the lapse date itself as lapsed is the cautious reading of
                // "verjaart door verloop van een jaar na de dag waarop zij is verbeurd" (±1 day,
                // jurist to confirm); stuiting (interruption) is not modelled.
                let collectible: Vec<&ForfeitureRecord> =
                    self.undecided().filter(|f| *on < f.forfeiture.collection_lapses_on).collect();
                if collectible.is_empty() {
                    let lapsed_on = self.undecided().map(|f| f.forfeiture.collection_lapses_on).max();
                    return Err(ProcedureError::CollectionPowerLapsed {
                        lapsed_on: lapsed_on.unwrap_or(*on),
                    });
                }
                if let Some(first) = collectible.iter().map(|f| f.forfeiture.forfeited_on).min() {
                    not_before("decided_on", *on, first)?;
                }
                for f in next.forfeitures.iter_mut() {
                    if f.outstanding()
                        && f.collection_decided_on.is_none()
                        && *on < f.forfeiture.collection_lapses_on
                    {
                        f.collection_decided_on = Some(*on);
                    }
                }
            }
            LodAction::RecordLapse { on } => {
                let earliest = self.undecided().map(|f| f.forfeiture.collection_lapses_on).min();
                if let Some(first) = earliest {
                    not_before("on", *on, first)?;
                }
                for f in next.forfeitures.iter_mut() {
                    if f.outstanding()
                        && f.collection_decided_on.is_none()
                        && f.forfeiture.collection_lapses_on <= *on
                    {
                        f.collection_lapsed_on = Some(f.forfeiture.collection_lapses_on);
                    }
                }
            }
            LodAction::SendReminder { on } => {
                // 5:37: an aanmaning only after the decision; and only once the payment term
                // (5:33) of the sum has passed.
                let due: Vec<&ForfeitureRecord> = self.unreminded().collect();
                if let Some(decided) = due.iter().filter_map(|f| f.collection_decided_on).min() {
                    not_before("reminder_on", *on, decided)?;
                }
                if let Some(first_due) = due.iter().map(|f| f.forfeiture.payable_by).min() {
                    not_before("reminder_on", *on, add_days_sat(first_due, 1))?;
                }
                for f in next.forfeitures.iter_mut() {
                    if f.outstanding()
                        && f.reminder_on.is_none()
                        && f.collection_decided_on.is_some_and(|d| d <= *on)
                        && f.forfeiture.payable_by < *on
                    {
                        f.reminder_on = Some(*on);
                    }
                }
            }
            LodAction::RecordPayment { on } => {
                if let Some(first) = self.outstanding().map(|f| f.forfeiture.forfeited_on).min() {
                    not_before("paid_on", *on, first)?;
                }
                // NOTE: part-payments are not modelled; a payment settles every sum forfeited
                // by its date.
                for f in next.forfeitures.iter_mut() {
                    if f.outstanding() && f.forfeiture.forfeited_on <= *on {
                        f.paid_on = Some(*on);
                    }
                }
            }
            LodAction::Lift { on, ground } => {
                not_before("lifted_on", *on, self.issued_on)?;
                if *ground == LiftGround::OneYearWithoutForfeiture {
                    // NOTE: 5:34 lid 2 ("gedurende een jaar van kracht ... zonder dat de
                    // dwangsom is verbeurd") is read as: never forfeited, in force ≥ 1 year.
                    if !self.forfeitures.is_empty() {
                        return Err(ProcedureError::LiftNotAllowed {
                            reason: "a dwangsom was forfeited, so Awb 5:34 lid 2 does not apply".into(),
                        });
                    }
                    let earliest = add_years_sat(self.issued_on, LOD_LIFT_AFTER_YEARS);
                    if *on < earliest {
                        return Err(ProcedureError::LiftNotAllowed {
                            reason: format!(
                                "in force since {}; lifting for want of forfeiture is possible from \
                                 {earliest} (Awb 5:34 lid 2)",
                                self.issued_on
                            ),
                        });
                    }
                }
                // Lifting for impossibility (5:34 lid 1) does not undo sums already forfeited:
                // their collection goes on.
                next.lifted = Some(Lifting { on: *on, ground: *ground });
            }
        }
        Ok(next)
    }
}

// ---------------------------------------------------------------------------------------------
// Warning (waarschuwing) — VHN ladder step 1 [S7], rules.md §4.1
// ---------------------------------------------------------------------------------------------

/// Municipality-configurable warning policy.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", default)]
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

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }
    fn eur(e: i64) -> Money {
        Money::from_euros(e).unwrap()
    }
    const CFG: FineProcedureConfig = FineProcedureConfig {
        zienswijze_term_days: 14,
        publish_before_final: false,
        publication_months: None,
    };

    /// A test roll that moves weekend days to Monday (holidays are calendar.rs's job).
    struct WeekendRoll;
    impl AtwRoll for WeekendRoll {
        fn roll_forward(&self, date: NaiveDate) -> NaiveDate {
            use chrono::Datelike;
            match date.weekday() {
                chrono::Weekday::Sat => add_days_sat(date, 2),
                chrono::Weekday::Sun => add_days_sat(date, 1),
                _ => date,
            }
        }
    }

    #[test]
    fn scenario_47_fine_decision_due_13_weeks_after_rapport_without_atw() {
        assert_eq!(fine_decision_due(d("2025-01-06")), d("2025-04-07"));
        let s = FineState::start(d("2025-01-06"));
        assert_eq!(s.decision_due(), Some(d("2025-04-07")));
    }

    #[test]
    fn scenario_51_payment_due_6_weeks_after_notification() {
        assert_eq!(fine_payment_due(d("2025-04-07"), &NoAtwRoll), d("2025-05-19"));
        assert_eq!(objection_term_ends(d("2025-04-07"), &NoAtwRoll), d("2025-05-19"));
    }

    #[test]
    fn atw_roll_is_applied_to_short_statutory_terms_only_via_the_caller() {
        // Notified Sat 2025-03-01 → raw 6 weeks = Sat 2025-04-12 → rolled to Mon 2025-04-14.
        assert_eq!(fine_payment_due(d("2025-03-01"), &NoAtwRoll), d("2025-04-12"));
        assert_eq!(fine_payment_due(d("2025-03-01"), &WeekendRoll), d("2025-04-14"));
        // 13-week term: never rolled (rapport Sat → due Sat).
        assert_eq!(fine_decision_due(d("2025-03-01")), d("2025-05-31"));
    }

    #[test]
    fn date_helpers_saturate_instead_of_panicking() {
        assert_eq!(add_days_sat(NaiveDate::MAX, 1), NaiveDate::MAX);
        assert_eq!(add_weeks_sat(NaiveDate::MAX, u32::MAX), NaiveDate::MAX);
        assert_eq!(add_years_sat(NaiveDate::MAX, u32::MAX), NaiveDate::MAX);
        assert_eq!(sub_years_sat(NaiveDate::MIN, 4), NaiveDate::MIN);
        assert_eq!(add_years_sat(d("2024-02-29"), 1), d("2025-02-28"));
    }

    fn full_fine_flow() -> Vec<FineState> {
        let mut states = vec![FineState::start(d("2025-01-06"))];
        let actions = [
            FineAction::SendIntent { on: d("2025-01-13") },
            FineAction::ReceiveZienswijze { on: d("2025-01-20") },
            FineAction::Decide {
                decided_on: d("2025-04-07"),
                notified_on: d("2025-04-07"),
                amount: eur(5000),
            },
            FineAction::BecomeFinal { on: d("2025-05-20") },
            FineAction::Publish { on: d("2025-05-21"), expires_on: Some(d("2026-05-21")) },
        ];
        for a in actions {
            let next = states.last().unwrap().apply(&a, &CFG, &NoAtwRoll).unwrap();
            states.push(next);
        }
        states
    }

    #[test]
    fn every_publication_has_an_end_from_the_request_or_the_policy() {
        let mut states = full_fine_flow();
        states.pop();
        let final_state = states.pop().unwrap();
        assert_eq!(final_state.name(), "final");
        let publish = |expires_on: Option<&str>, cfg: &FineProcedureConfig| {
            final_state.apply(
                &FineAction::Publish { on: d("2025-05-21"), expires_on: expires_on.map(d) },
                cfg,
                &NoAtwRoll,
            )
        };
        assert_eq!(publish(None, &CFG), Err(ProcedureError::PublicationExpiryRequired));
        assert!(matches!(publish(Some("2025-05-21"), &CFG), Err(ProcedureError::DateTooEarly { .. })));
        let with_term = FineProcedureConfig { publication_months: Some(12), ..CFG };
        match publish(None, &with_term).unwrap() {
            FineState::Published { expires_on, .. } => assert_eq!(expires_on, Some(d("2026-05-21"))),
            other => panic!("{other:?}"),
        }
        match publish(Some("2025-11-21"), &with_term).unwrap() {
            FineState::Published { expires_on, .. } => assert_eq!(expires_on, Some(d("2025-11-21"))),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn scenario_47_51_fine_procedure_rapport_to_published_with_exact_dates() {
        let states = full_fine_flow();
        let names: Vec<&str> = states.iter().map(|s| s.name()).collect();
        assert_eq!(names, ["rapport", "intent_sent", "intent_sent", "decided", "final", "published"]);
        match &states[1] {
            FineState::IntentSent { zienswijze_due, .. } => assert_eq!(*zienswijze_due, d("2025-01-27")),
            other => panic!("{other:?}"),
        }
        match &states[3] {
            FineState::Decided { decision, .. } => {
                assert_eq!(decision.payment_due, d("2025-05-19"));
                assert_eq!(decision.objection_ends, d("2025-05-19"));
                assert!(!decision.decided_late);
            }
            other => panic!("{other:?}"),
        }
        assert!(states[5].is_publicly_visible(d("2025-05-21")));
        assert!(!states[4].is_publicly_visible(d("2025-05-21")));
    }

    #[test]
    fn fine_becomes_final_only_after_the_objection_term() {
        let decided = &full_fine_flow()[3];
        let err =
            decided.apply(&FineAction::BecomeFinal { on: d("2025-05-19") }, &CFG, &NoAtwRoll).unwrap_err();
        assert!(matches!(err, ProcedureError::DateTooEarly { .. }));
        // Objection on the last day is in time; the day after is late.
        assert_eq!(
            decided
                .apply(&FineAction::LodgeObjection { on: d("2025-05-19") }, &CFG, &NoAtwRoll)
                .unwrap()
                .name(),
            "objection_lodged"
        );
        assert!(matches!(
            decided.apply(&FineAction::LodgeObjection { on: d("2025-05-20") }, &CFG, &NoAtwRoll),
            Err(ProcedureError::DateTooLate { .. })
        ));
    }

    #[test]
    fn scenario_48_decision_above_340_without_zienswijze_is_blocked() {
        let s = FineState::start(d("2025-01-06"));
        let err = s
            .apply(
                &FineAction::Decide {
                    decided_on: d("2025-02-01"),
                    notified_on: d("2025-02-01"),
                    amount: eur(5000),
                },
                &CFG,
                &NoAtwRoll,
            )
            .unwrap_err();
        assert_eq!(err, ProcedureError::ZienswijzeRequired { amount: eur(5000), threshold: eur(340) });
        // Exactly €340 is not "above" 5:53's threshold.
        assert!(s
            .apply(
                &FineAction::Decide {
                    decided_on: d("2025-02-01"),
                    notified_on: d("2025-02-01"),
                    amount: eur(340)
                },
                &CFG,
                &NoAtwRoll
            )
            .is_ok());
    }

    #[test]
    fn deciding_while_the_zienswijze_term_runs_is_refused() {
        let s = FineState::start(d("2025-01-06"))
            .apply(&FineAction::SendIntent { on: d("2025-01-13") }, &CFG, &NoAtwRoll)
            .unwrap();
        let decide =
            |on: &str| FineAction::Decide { decided_on: d(on), notified_on: d(on), amount: eur(5000) };
        assert_eq!(
            s.apply(&decide("2025-01-27"), &CFG, &NoAtwRoll),
            Err(ProcedureError::ZienswijzeTermRunning { until: d("2025-01-27") })
        );
        assert!(s.apply(&decide("2025-01-28"), &CFG, &NoAtwRoll).is_ok());
        // Late decision (after 5:51 term) is flagged, not blocked.
        match s.apply(&decide("2025-04-08"), &CFG, &NoAtwRoll).unwrap() {
            FineState::Decided { decision, .. } => assert!(decision.decided_late),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn illegal_fine_transition_reports_from_action_and_allowed() {
        let s = FineState::start(d("2025-01-06"));
        let err = s
            .apply(&FineAction::Publish { on: d("2025-02-01"), expires_on: None }, &CFG, &NoAtwRoll)
            .unwrap_err();
        assert_eq!(
            err,
            ProcedureError::IllegalTransition(IllegalTransition {
                procedure: "administrative_fine",
                from: "rapport",
                action: "publish",
                allowed: vec!["send_intent", "decide", "drop"],
            })
        );
        // Publishing before final only when configured.
        let decided = &full_fine_flow()[3];
        assert!(matches!(
            decided.apply(&FineAction::Publish { on: d("2025-04-08"), expires_on: None }, &CFG, &NoAtwRoll),
            Err(ProcedureError::IllegalTransition(_))
        ));
        let early = FineProcedureConfig { publish_before_final: true, publication_months: Some(12), ..CFG };
        let published = decided
            .apply(&FineAction::Publish { on: d("2025-04-08"), expires_on: None }, &early, &NoAtwRoll)
            .unwrap();
        assert!(published.is_publicly_visible(d("2026-04-07")));
        assert!(!published.is_publicly_visible(d("2026-04-08")));
        // Annulled after publication: no longer visible.
        let annulled =
            published.apply(&FineAction::Annul { on: d("2025-06-01") }, &early, &NoAtwRoll).unwrap();
        assert!(!annulled.is_publicly_visible(d("2025-06-02")));
    }

    #[test]
    fn fine_state_round_trips_through_json() {
        for s in full_fine_flow() {
            let json = serde_json::to_string(&s).unwrap();
            assert_eq!(serde_json::from_str::<FineState>(&json).unwrap(), s);
        }
    }

    fn scenario_52_order() -> PenaltyOrder {
        PenaltyOrder {
            rule: RuleCode::Gr04,
            remedial_measures: vec!["Verlaag de waarborgsom tot 2x de kale huur".into()],
            purpose: LodPurpose::EndOngoingViolation,
            issued_on: d("2025-05-06"),
            begunstigingstermijn_days: Some(28),
            sum_kind: SumKind::Once,
            amount: eur(5000),
            maximum: None,
            period_forfeit_moment: PeriodForfeitMoment::StartOfPeriod,
        }
    }

    fn non_compliant(on: &str, since: &str) -> FollowUpInspection {
        FollowUpInspection {
            inspected_on: d(on),
            compliant: false,
            non_compliant_since: Some(d(since)),
            violations_found: 1,
        }
    }

    #[test]
    fn scenario_52_lump_sum_forfeited_with_exact_payment_and_lapse_dates() {
        let order = scenario_52_order();
        assert_eq!(order.compliance_deadline(), Some(d("2025-06-03")));
        let st =
            compute_forfeitures(&order, &[non_compliant("2025-06-05", "2025-06-04")], &NoAtwRoll).unwrap();
        assert_eq!(st.forfeitures.len(), 1);
        let f = &st.forfeitures[0];
        assert_eq!(f.forfeited_on, d("2025-06-04"));
        assert_eq!(f.amount, eur(5000));
        assert_eq!(f.payable_by, d("2025-07-16"));
        assert_eq!(f.collection_lapses_on, d("2026-06-04"));
        assert!(st.maximum_reached);
        // A later inspection forfeits nothing more (lump sum).
        let st2 = compute_forfeitures(
            &order,
            &[non_compliant("2025-06-05", "2025-06-04"), non_compliant("2025-07-01", "2025-06-04")],
            &NoAtwRoll,
        )
        .unwrap();
        assert_eq!(st2.total, eur(5000));
    }

    #[test]
    fn scenario_52_no_forfeiture_within_the_begunstigingstermijn() {
        let order = scenario_52_order();
        let st =
            compute_forfeitures(&order, &[non_compliant("2025-06-03", "2025-05-06")], &NoAtwRoll).unwrap();
        assert!(st.forfeitures.is_empty());
        // Non-compliance "since" inside the term is clipped to the first forfeiture day.
        let st =
            compute_forfeitures(&order, &[non_compliant("2025-06-10", "2025-05-20")], &NoAtwRoll).unwrap();
        assert_eq!(st.forfeitures[0].forfeited_on, d("2025-06-04"));
    }

    #[test]
    fn scenario_52_collection_requires_invordering_decision_before_reminder_and_lapses_after_a_year() {
        let order = scenario_52_order();
        let st =
            compute_forfeitures(&order, &[non_compliant("2025-06-05", "2025-06-04")], &NoAtwRoll).unwrap();
        let lod = LodState::start(&order).unwrap();
        let forfeited =
            lod.apply(&LodAction::RecordForfeiture { forfeiture: st.forfeitures[0].clone() }).unwrap();
        assert_eq!(forfeited.forfeited_total(), eur(5000));
        // 5:37: no aanmaning without a beschikking omtrent invordering.
        let err = forfeited.apply(&LodAction::SendReminder { on: d("2025-07-20") }).unwrap_err();
        match err {
            ProcedureError::IllegalTransition(t) => {
                assert_eq!(t.from, "forfeited");
                assert_eq!(t.action, "send_reminder");
                assert!(t.allowed.contains(&"decide_collection"));
            }
            other => panic!("{other:?}"),
        }
        // 5:35: lapsed on 2026-06-04; the day before is still in time.
        assert_eq!(
            forfeited.apply(&LodAction::DecideCollection { on: d("2026-06-04") }),
            Err(ProcedureError::CollectionPowerLapsed { lapsed_on: d("2026-06-04") })
        );
        let decided = forfeited.apply(&LodAction::DecideCollection { on: d("2026-06-03") }).unwrap();
        assert_eq!(decided.name(), "collection_decided");
        // Reminder only after the 5:33 payment term (2025-07-16).
        let decided_early = forfeited.apply(&LodAction::DecideCollection { on: d("2025-06-10") }).unwrap();
        assert!(matches!(
            decided_early.apply(&LodAction::SendReminder { on: d("2025-07-16") }),
            Err(ProcedureError::DateTooEarly { .. })
        ));
        let reminded = decided_early.apply(&LodAction::SendReminder { on: d("2025-07-17") }).unwrap();
        assert_eq!(reminded.name(), "reminder_sent");
        let paid = reminded.apply(&LodAction::RecordPayment { on: d("2025-08-01") }).unwrap();
        assert_eq!(paid.forfeited_total(), eur(5000));
        assert_eq!(paid.outstanding_total(), Money::ZERO);
        // The lump sum was the maximum: the order is spent and nothing is left to do.
        assert_eq!(paid.name(), "completed");
        assert!(paid.allowed_actions().is_empty());
        // The lump sum is the maximum: once forfeited the order is spent, nothing to lift.
        assert!(matches!(
            forfeited.apply(&LodAction::Lift {
                on: d("2026-06-10"),
                ground: LiftGround::OneYearWithoutForfeiture
            }),
            Err(ProcedureError::IllegalTransition(_))
        ));
    }

    #[test]
    fn scenario_52_variant_lift_after_one_year_without_forfeiture() {
        let lod = LodState::start(&scenario_52_order()).unwrap();
        let lift = |on: &str| LodAction::Lift { on: d(on), ground: LiftGround::OneYearWithoutForfeiture };
        assert!(matches!(lod.apply(&lift("2026-05-05")), Err(ProcedureError::LiftNotAllowed { .. })));
        let lifted = lod.apply(&lift("2026-05-06")).unwrap();
        assert!(!lifted.is_effective());
        // Impossibility (5:34 lid 1) can be any time.
        assert!(lod
            .apply(&LodAction::Lift { on: d("2025-05-10"), ground: LiftGround::Impossibility })
            .is_ok());
    }

    #[test]
    fn forfeiture_before_end_of_term_or_above_maximum_is_refused_by_the_state_machine() {
        let order = scenario_52_order();
        let lod = LodState::start(&order).unwrap();
        let early = Forfeiture::new(d("2025-06-03"), eur(5000), d("2025-06-03"), &NoAtwRoll);
        assert!(matches!(
            lod.apply(&LodAction::RecordForfeiture { forfeiture: early }),
            Err(ProcedureError::DateTooEarly { .. })
        ));
        let too_much = Forfeiture::new(d("2025-06-04"), eur(5001), d("2025-06-05"), &NoAtwRoll);
        assert!(matches!(
            lod.apply(&LodAction::RecordForfeiture { forfeiture: too_much }),
            Err(ProcedureError::AboveMaximum { .. })
        ));
    }

    #[test]
    fn scenario_53_ongoing_violation_without_begunstigingstermijn_is_a_validation_error() {
        let mut order = scenario_52_order();
        order.begunstigingstermijn_days = None;
        assert_eq!(order.validate(), Err(vec![LodError::MissingBegunstigingstermijn]));
        order.begunstigingstermijn_days = Some(0);
        assert_eq!(order.validate(), Err(vec![LodError::MissingBegunstigingstermijn]));
        assert!(LodState::start(&order).is_err());
        // Preventing repetition of an ended violation needs no term (5:2 lid 1 b).
        order.purpose = LodPurpose::PreventRepetition;
        assert_eq!(order.validate(), Ok(()));
    }

    #[test]
    fn lod_needs_measures_and_a_maximum_unless_lump_sum() {
        let mut order = scenario_52_order();
        order.sum_kind = SumKind::PerTimeUnit { unit: TimeUnit::Day };
        order.remedial_measures = vec!["  ".into()];
        assert_eq!(order.validate(), Err(vec![LodError::MissingRemedialMeasures, LodError::MissingMaximum]));
        order.remedial_measures = vec!["x".into()];
        order.maximum = Some(eur(100));
        assert_eq!(order.validate(), Err(vec![LodError::MaximumBelowAmount]));
        order.amount = Money::ZERO;
        order.maximum = Some(eur(100));
        assert_eq!(order.validate(), Err(vec![LodError::ZeroAmount]));
    }

    #[test]
    fn per_day_dwangsom_counts_each_day_once_up_to_the_maximum() {
        let mut order = scenario_52_order();
        order.sum_kind = SumKind::PerTimeUnit { unit: TimeUnit::Day };
        order.amount = eur(500);
        order.maximum = Some(eur(5250));
        // Non-compliant 06-04..06-08 (5 days), re-inspected 06-10 (since 06-04 → 2 more days).
        let st = compute_forfeitures(
            &order,
            &[non_compliant("2025-06-08", "2025-06-04"), non_compliant("2025-06-10", "2025-06-04")],
            &NoAtwRoll,
        )
        .unwrap();
        assert_eq!(st.forfeitures.len(), 7);
        assert_eq!(st.total, eur(3500));
        assert_eq!(st.forfeitures[6].forfeited_on, d("2025-06-10"));
        // Long non-compliance hits the maximum; the last sum is partial.
        let st =
            compute_forfeitures(&order, &[non_compliant("2025-07-31", "2025-06-04")], &NoAtwRoll).unwrap();
        assert_eq!(st.total, eur(5250));
        assert!(st.maximum_reached);
        assert_eq!(st.forfeitures.len(), 11);
        assert_eq!(st.forfeitures[10].amount, eur(250));
    }

    #[test]
    fn a_per_day_order_keeps_forfeiting_after_a_collection_decision_and_each_sum_is_collected_on_its_own() {
        let mut order = scenario_52_order();
        order.sum_kind = SumKind::PerTimeUnit { unit: TimeUnit::Day };
        order.amount = eur(500);
        order.maximum = Some(eur(5000));
        let forfeit = |lod: &LodState, on: &str| {
            let f = Forfeiture::new(d(on), eur(500), d(on), &NoAtwRoll);
            lod.apply(&LodAction::RecordForfeiture { forfeiture: f }).unwrap()
        };
        let lod = LodState::start(&order).unwrap();
        assert_eq!(lod.name(), "in_force");
        let lod = forfeit(&forfeit(&lod, "2025-06-04"), "2025-06-05");
        assert_eq!(lod.name(), "forfeited");
        let lod = lod.apply(&LodAction::DecideCollection { on: d("2025-06-10") }).unwrap();
        assert_eq!(lod.name(), "collection_decided");
        // The order still binds: a later follow-up forfeits more, which needs its own decision.
        assert!(lod.allowed_actions().contains(&"record_forfeiture"));
        let lod = forfeit(&lod, "2025-06-20");
        assert_eq!(lod.name(), "forfeited");
        assert_eq!(lod.forfeited_total(), eur(1500));
        // A reminder now reaches only the decided sums whose payment term passed (2025-07-16/17).
        let lod = lod.apply(&LodAction::SendReminder { on: d("2025-07-18") }).unwrap();
        let reminded: Vec<bool> = lod.forfeitures.iter().map(|f| f.reminder_on.is_some()).collect();
        assert_eq!(reminded, [true, true, false]);
        // The third sum has no decision: no reminder for it (5:37).
        let err = lod.apply(&LodAction::SendReminder { on: d("2025-08-10") }).unwrap_err();
        assert!(matches!(err, ProcedureError::IllegalTransition(_)), "{err:?}");
        // Its collection lapses on 2026-06-20: a decision on that day is too late; the lapse is
        // recorded instead, and the reminded sums are paid.
        assert_eq!(
            lod.apply(&LodAction::DecideCollection { on: d("2026-06-20") }),
            Err(ProcedureError::CollectionPowerLapsed { lapsed_on: d("2026-06-20") })
        );
        assert!(matches!(
            lod.apply(&LodAction::RecordLapse { on: d("2026-06-19") }),
            Err(ProcedureError::DateTooEarly { .. })
        ));
        let lod = lod.apply(&LodAction::RecordLapse { on: d("2026-06-20") }).unwrap();
        assert_eq!(lod.name(), "reminder_sent");
        let lod = lod.apply(&LodAction::RecordPayment { on: d("2026-06-25") }).unwrap();
        assert_eq!(lod.outstanding_total(), Money::ZERO);
        assert_eq!(lod.forfeitures[2].collection_lapsed_on, Some(d("2026-06-20")));
        assert!(lod.forfeitures[2].paid_on.is_none());
        // Below the maximum, nothing outstanding: the order binds on.
        assert_eq!(lod.name(), "in_force");
        // Lifting for want of forfeiture is not possible once forfeited (5:34 lid 2) …
        assert!(matches!(
            lod.apply(&LodAction::Lift { on: d("2026-07-01"), ground: LiftGround::OneYearWithoutForfeiture }),
            Err(ProcedureError::LiftNotAllowed { .. })
        ));
        // … but for impossibility it is, and the forfeited sums stay due (5:34 lid 1).
        let lod = forfeit(&lod, "2026-07-01");
        let lifted =
            lod.apply(&LodAction::Lift { on: d("2026-07-02"), ground: LiftGround::Impossibility }).unwrap();
        assert!(!lifted.is_effective());
        assert_eq!(lifted.name(), "forfeited");
        assert!(!lifted.allowed_actions().contains(&"record_forfeiture"));
        let lifted = lifted.apply(&LodAction::RecordPayment { on: d("2026-07-20") }).unwrap();
        assert_eq!(lifted.name(), "lifted");
        assert!(lifted.allowed_actions().is_empty());
        // State round-trips through JSON (stored as text).
        let json = serde_json::to_string(&lifted).unwrap();
        assert_eq!(serde_json::from_str::<LodState>(&json).unwrap(), lifted);
    }

    #[test]
    fn per_week_dwangsom_start_vs_end_of_period_and_new_episode_after_compliance() {
        let mut order = scenario_52_order();
        order.sum_kind = SumKind::PerTimeUnit { unit: TimeUnit::Week };
        order.amount = eur(1000);
        order.maximum = Some(eur(20000));
        let insp = [non_compliant("2025-06-12", "2025-06-04")]; // 9 days
        let st = compute_forfeitures(&order, &insp, &NoAtwRoll).unwrap();
        let dates: Vec<NaiveDate> = st.forfeitures.iter().map(|f| f.forfeited_on).collect();
        assert_eq!(dates, [d("2025-06-04"), d("2025-06-11")]);
        order.period_forfeit_moment = PeriodForfeitMoment::EndOfPeriod;
        let st = compute_forfeitures(&order, &insp, &NoAtwRoll).unwrap();
        let dates: Vec<NaiveDate> = st.forfeitures.iter().map(|f| f.forfeited_on).collect();
        assert_eq!(dates, [d("2025-06-10")]);
        // Compliance in between: a new episode starts its own period grid.
        order.period_forfeit_moment = PeriodForfeitMoment::StartOfPeriod;
        let compliant = FollowUpInspection {
            inspected_on: d("2025-06-20"),
            compliant: true,
            non_compliant_since: None,
            violations_found: 0,
        };
        let st = compute_forfeitures(
            &order,
            &[
                compliant,
                non_compliant("2025-06-12", "2025-06-04"),
                non_compliant("2025-07-02", "2025-07-01"),
            ],
            &NoAtwRoll,
        )
        .unwrap();
        let dates: Vec<NaiveDate> = st.forfeitures.iter().map(|f| f.forfeited_on).collect();
        assert_eq!(dates, [d("2025-06-04"), d("2025-06-11"), d("2025-07-01")]);
    }

    #[test]
    fn per_violation_dwangsom_multiplies_by_violations_found() {
        let mut order = scenario_52_order();
        order.sum_kind = SumKind::PerViolation;
        order.amount = eur(1000);
        order.maximum = Some(eur(2500));
        let mut i = non_compliant("2025-06-10", "2025-06-10");
        i.violations_found = 2;
        let st =
            compute_forfeitures(&order, &[i, non_compliant("2025-07-10", "2025-07-10")], &NoAtwRoll).unwrap();
        assert_eq!(st.total, eur(2500));
        assert_eq!(st.forfeitures[1].amount, eur(500));
    }

    #[test]
    fn absurd_dates_do_not_hang_or_panic() {
        let mut order = scenario_52_order();
        order.sum_kind = SumKind::PerTimeUnit { unit: TimeUnit::Day };
        order.amount = Money::from_cents(1).unwrap();
        order.maximum = Some(Money::from_cents(i64::MAX).unwrap());
        let r = compute_forfeitures(&order, &[non_compliant("9999-12-31", "2025-06-04")], &NoAtwRoll);
        assert_eq!(r, Err(vec![LodError::TooManyPeriods { limit: MAX_FORFEITURE_PERIODS }]));
        order.issued_on = NaiveDate::MAX;
        let _ = compute_forfeitures(&order, &[non_compliant("2025-06-05", "2025-06-04")], &NoAtwRoll);
    }

    #[test]
    fn scenario_41_warning_carries_mandatory_consequence_text() {
        let policy = WarningPolicy::default();
        let w = Warning::draft(RuleCode::Gr04, d("2025-03-03"), &policy);
        assert_eq!(w.remedy_deadline, d("2025-04-14"));
        assert!(w.consequence_text.contains("boete") && w.consequence_text.contains("openbaar"));
        assert!(WarningState::issue(&w, &policy).is_ok());
        let mut bad = w.clone();
        bad.consequence_text = "Graag aanpassen.".into();
        assert_eq!(
            bad.validate(&policy),
            Err(vec![
                WarningError::ConsequenceTextLacks { term: "boete".into() },
                WarningError::ConsequenceTextLacks { term: "openbaar".into() }
            ])
        );
        bad.consequence_text = " ".into();
        assert_eq!(bad.validate(&policy), Err(vec![WarningError::MissingConsequenceText]));
    }

    #[test]
    fn scenario_42_warning_not_remedied_only_after_the_remedy_term() {
        let policy = WarningPolicy::default();
        let w = Warning::draft(RuleCode::Gr04, d("2025-03-03"), &policy);
        let s = WarningState::issue(&w, &policy).unwrap();
        assert!(matches!(
            s.apply(&WarningAction::EstablishNotRemedied { on: d("2025-04-14") }),
            Err(ProcedureError::DateTooEarly { .. })
        ));
        let nr = s.apply(&WarningAction::EstablishNotRemedied { on: d("2025-04-15") }).unwrap();
        assert_eq!(nr.name(), "not_remedied");
        assert!(matches!(
            nr.apply(&WarningAction::Withdraw { on: d("2025-05-01") }),
            Err(ProcedureError::IllegalTransition(_))
        ));
    }
}
