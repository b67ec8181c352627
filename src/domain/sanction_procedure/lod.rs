//! A penalty order as it stands (`LodState`): forfeited sums collected one by one, reminders,
//! lapse and lifting (Awb 5:34–5:39; rules.md §4.4).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::errors::{not_before, IllegalTransition, ProcedureError};
use super::penalty_order::{Forfeiture, LodError, PenaltyOrder};
use crate::domain::awb::LOD_LIFT_AFTER_YEARS;
use crate::domain::calendar::{add_days_sat, add_years_sat};
use crate::domain::money::Money;

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
