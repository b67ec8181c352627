//! Objections (bezwaar) against a besluit (Awb 1:3) and the appeal (beroep) that may follow:
//! whether the objection was lodged in time (Awb 6:7, 6:8, 6:11, with the Atw), the term for the
//! decision on it (Awb 7:10) with its one postponement and further postponement with consent,
//! the lifecycle `received → (hearing_planned →) heard → decided | withdrawn`, the effects
//! recorded after the decision, and when the besluit became final (onherroepelijk).
//!
//! Pure: no I/O. Sources: rules.md §2.7 (bezwaar, decision term) and the Awb articles named at
//! each item `[LAW-READ 2015]`.

mod finality;
mod lifecycle;

#[cfg(test)]
mod tests;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::domain::awb::objection_term_ends;
use crate::domain::calendar::{add_days_sat, add_weeks_sat, sub_days_sat, HolidayCalendar, TermLength};

pub use finality::{final_on, FinalityInput};
pub use lifecycle::{ObjectionAction, ObjectionActionKind, ObjectionError};

/// The kinds of besluit (Awb 1:3) this system records and against which an objection lies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BesluitKind {
    /// A decided licence application: grant, grant with conditions or refusal.
    LicenceDecision,
    /// The decision not to consider an incomplete application (Awb 4:5).
    NotConsidered,
    LicenceSuspension,
    LicenceRevocation,
    /// Bestuurlijke boete (Awb 5:40).
    Fine,
    /// Last onder dwangsom (Awb 5:31d).
    PenaltyOrder,
    /// Beschikking omtrent invordering of forfeited penalty sums (Awb 5:37).
    CollectionDecision,
    /// Last onder bestuursdwang (Awb 5:21).
    AdministrativeCoercion,
    /// Beheerovername (Wgv art. 13b Woningwet route; rules.md §4).
    ManagementTakeover,
}
crate::closed_set!(BesluitKind {
    LicenceDecision => "licence_decision",
    NotConsidered => "not_considered",
    LicenceSuspension => "licence_suspension",
    LicenceRevocation => "licence_revocation",
    Fine => "fine",
    PenaltyOrder => "penalty_order",
    CollectionDecision => "collection_decision",
    AdministrativeCoercion => "administrative_coercion",
    ManagementTakeover => "management_takeover",
});

impl BesluitKind {
    /// A besluit of licensing (the licensing dashboard shows objections against these); the
    /// others are enforcement decisions (the enforcement dashboard).
    pub fn is_licensing(self) -> bool {
        matches!(
            self,
            BesluitKind::LicenceDecision
                | BesluitKind::NotConsidered
                | BesluitKind::LicenceSuspension
                | BesluitKind::LicenceRevocation
        )
    }
}

/// Where an objection stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ObjectionState {
    Received,
    HearingPlanned,
    Heard,
    Decided,
    Withdrawn,
}
crate::closed_set!(ObjectionState {
    Received => "received",
    HearingPlanned => "hearing_planned",
    Heard => "heard",
    Decided => "decided",
    Withdrawn => "withdrawn",
});

impl ObjectionState {
    /// Still waiting for the decision on the objection.
    pub fn is_open(self) -> bool {
        matches!(self, ObjectionState::Received | ObjectionState::HearingPlanned | ObjectionState::Heard)
    }
}

/// The outcome of the decision on the objection (Awb 7:11; inadmissible: Awb 6:6, 6:11).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ObjectionOutcome {
    Inadmissible,
    Unfounded,
    WellFounded,
    PartlyWellFounded,
}
crate::closed_set!(ObjectionOutcome {
    Inadmissible => "inadmissible",
    Unfounded => "unfounded",
    WellFounded => "well_founded",
    PartlyWellFounded => "partly_well_founded",
});

impl ObjectionOutcome {
    /// Well founded in whole or in part: the besluit is revoked as far as needed (Awb 7:11 lid 2).
    pub fn upheld(self) -> bool {
        matches!(self, ObjectionOutcome::WellFounded | ObjectionOutcome::PartlyWellFounded)
    }
}

/// Who lodged the objection: the addressee of the besluit or a third party with an interest
/// (belanghebbende, Awb 1:2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LodgedByKind {
    Addressee,
    ThirdParty,
}
crate::closed_set!(LodgedByKind { Addressee => "addressee", ThirdParty => "third_party" });

/// The court's judgment on the appeal (beroep, Awb 8:70).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AppealOutcome {
    Inadmissible,
    Unfounded,
    WellFounded,
    PartlyWellFounded,
    Withdrawn,
}
crate::closed_set!(AppealOutcome {
    Inadmissible => "inadmissible",
    Unfounded => "unfounded",
    WellFounded => "well_founded",
    PartlyWellFounded => "partly_well_founded",
    Withdrawn => "withdrawn",
});

/// The decision term on the objection: 6 weeks (Awb 7:10 lid 1).
pub const DECISION_WEEKS: u32 = 6;
/// The decision term when an advisory committee (Awb 7:13) is used: 12 weeks (Awb 7:10 lid 1).
pub const DECISION_WEEKS_COMMITTEE: u32 = 12;
/// One postponement of at most 6 weeks, with notice to the objector (Awb 7:10 lid 3).
pub const MAX_POSTPONEMENT_WEEKS: u32 = 6;
/// The appeal (beroep) term: 6 weeks from the day after bekendmaking of the decision on the
/// objection (Awb 6:7, 6:8), the same counting as the objection term.
pub const APPEAL_WEEKS: u32 = crate::domain::awb::OBJECTION_WEEKS;

/// Whether an objection received on `received_on` against a besluit made known on `notified_on`
/// was lodged in time, and the last day of the objection term (Awb 6:7, 6:8, Atw art. 1).
/// A notice received by the last day is in time. (Awb 6:9 lid 2, a notice posted in time and
/// received within a week after, is not modelled: the officer records the receipt date and, when
/// the post was in time, the objection is late but excusable, Awb 6:11.)
pub fn timeliness(
    notified_on: NaiveDate,
    received_on: NaiveDate,
    cal: &HolidayCalendar,
) -> (NaiveDate, bool) {
    let ends = objection_term_ends(notified_on, cal);
    (ends, received_on <= ends)
}

/// The last day of the decision term on the objection (Awb 7:10 lid 1): 6 weeks, or 12 with an
/// advisory committee, counted from the day after the objection term ended. Both lengths are at
/// most 12 weeks, so the Atw extends an end on a weekend or holiday (Atw art. 1, 4).
///
/// NOTE (for a jurist): for a late objection (received after the objection term ended) Awb 7:10
/// still counts from the end of the objection term, which may leave the authority no time at
/// all. We count from the day after *receipt* in that case, the reading case law follows for an
/// objection the authority could not know of before it arrived; confirm before relying on it.
pub fn decision_due(
    objection_term_ends_on: NaiveDate,
    received_on: NaiveDate,
    advisory_committee: bool,
    cal: &HolidayCalendar,
) -> NaiveDate {
    let weeks = if advisory_committee { DECISION_WEEKS_COMMITTEE } else { DECISION_WEEKS };
    let first_day = add_days_sat(objection_term_ends_on.max(received_on), 1);
    let raw_end = sub_days_sat(add_weeks_sat(first_day, weeks), 1);
    cal.term_end(first_day, raw_end, TermLength::Weeks(weeks))
}

/// The due date after the one postponement of `weeks` (1–6, Awb 7:10 lid 3) counted from the
/// current last day; the Atw applies (a statutory term of at most 12 weeks).
pub fn postponed_due(current_due: NaiveDate, weeks: u32, cal: &HolidayCalendar) -> NaiveDate {
    let first_day = add_days_sat(current_due, 1);
    let raw_end = add_weeks_sat(current_due, weeks);
    cal.term_end(first_day, raw_end, TermLength::Weeks(weeks))
}

/// Everything the law counts with for one objection. The service stores it in one row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Objection {
    pub besluit_kind: BesluitKind,
    /// Bekendmaking of the besluit (Awb 3:41): the objection term starts the day after.
    pub besluit_notified_on: NaiveDate,
    pub received_on: NaiveDate,
    pub advisory_committee: bool,
    pub objection_term_ends_on: NaiveDate,
    pub on_time: bool,
    /// For a late objection: whether the lateness is excusable (Awb 6:11); `None` until decided.
    pub excusable: Option<bool>,
    pub state: ObjectionState,
    pub hearing_planned_on: Option<NaiveDate>,
    pub heard_on: Option<NaiveDate>,
    /// The decision term before any postponement (Awb 7:10 lid 1).
    pub initial_due_on: NaiveDate,
    /// The current last day of the decision term (after a postponement or a consent).
    pub decision_due_on: NaiveDate,
    pub postponed_on: Option<NaiveDate>,
    pub postponement_reason: Option<String>,
    pub consent_on: Option<NaiveDate>,
    pub decided_on: Option<NaiveDate>,
    /// Bekendmaking of the decision on the objection: the appeal term starts the day after.
    pub decision_notified_on: Option<NaiveDate>,
    pub outcome: Option<ObjectionOutcome>,
    pub withdrawn_on: Option<NaiveDate>,
    pub new_decision_reference: Option<String>,
    pub new_decision_id: Option<String>,
    pub relief_granted_on: Option<NaiveDate>,
    pub relief_court: Option<String>,
    pub relief_suspends: Option<bool>,
    pub appeal_lodged_on: Option<NaiveDate>,
    pub appeal_court: Option<String>,
    pub appeal_on_time: Option<bool>,
    pub appeal_judgment_on: Option<NaiveDate>,
    pub appeal_outcome: Option<AppealOutcome>,
}

impl Objection {
    /// The periods in which this objection, and an appeal after it, ran: from receipt until the
    /// decision on it or its withdrawal, and from the appeal until the judgment, open while
    /// running. Against a fine, the term of the power to fine stands still during them (Awb
    /// 5:45; rules.md §4.5 step 6). None for a late objection found inexcusable (Awb 6:11: as if
    /// not lodged).
    /// Like the fine procedure's own range, `until` is the first day that no longer counts.
    pub fn running_periods(&self) -> Vec<crate::domain::fines::LapseSuspension> {
        use crate::domain::fines::LapseSuspension;
        if !self.on_time && self.excusable == Some(false) {
            return Vec::new();
        }
        let mut out =
            vec![LapseSuspension { from: self.received_on, until: self.decided_on.or(self.withdrawn_on) }];
        if let Some(lodged) = self.appeal_lodged_on {
            out.push(LapseSuspension { from: lodged, until: self.appeal_judgment_on });
        }
        out
    }

    /// A new objection as received (state `received`), its timeliness and decision term derived.
    pub fn receive(
        besluit_kind: BesluitKind,
        besluit_notified_on: NaiveDate,
        received_on: NaiveDate,
        advisory_committee: bool,
        cal: &HolidayCalendar,
    ) -> Result<Self, ObjectionError> {
        if received_on < besluit_notified_on {
            return Err(ObjectionError::field("/received_on", "lies before the besluit was made known"));
        }
        let (ends, on_time) = timeliness(besluit_notified_on, received_on, cal);
        let due = decision_due(ends, received_on, advisory_committee, cal);
        Ok(Objection {
            besluit_kind,
            besluit_notified_on,
            received_on,
            advisory_committee,
            objection_term_ends_on: ends,
            on_time,
            excusable: None,
            state: ObjectionState::Received,
            hearing_planned_on: None,
            heard_on: None,
            initial_due_on: due,
            decision_due_on: due,
            postponed_on: None,
            postponement_reason: None,
            consent_on: None,
            decided_on: None,
            decision_notified_on: None,
            outcome: None,
            withdrawn_on: None,
            new_decision_reference: None,
            new_decision_id: None,
            relief_granted_on: None,
            relief_court: None,
            relief_suspends: None,
            appeal_lodged_on: None,
            appeal_court: None,
            appeal_on_time: None,
            appeal_judgment_on: None,
            appeal_outcome: None,
        })
    }

    /// Open and its decision term has passed.
    pub fn overdue(&self, today: NaiveDate) -> bool {
        self.state.is_open() && today > self.decision_due_on
    }

    /// Late and its lateness not (yet) found excusable: waiting for the Awb 6:11 decision.
    pub fn awaits_excuse_decision(&self) -> bool {
        !self.on_time && self.excusable.is_none()
    }

    /// The last day of the appeal term once the decision on the objection is made known
    /// (Awb 6:7, 6:8, Atw).
    pub fn appeal_term_ends_on(&self, cal: &HolidayCalendar) -> Option<NaiveDate> {
        self.decision_notified_on.map(|d| objection_term_ends(d, cal))
    }

    /// What [`final_on`] needs of this objection.
    pub fn finality(&self) -> FinalityInput {
        FinalityInput {
            counts: self.state != ObjectionState::Withdrawn
                && (self.on_time || self.excusable != Some(false)),
            decision_notified_on: if self.state == ObjectionState::Decided {
                self.decision_notified_on
            } else {
                None
            },
            appeal_lodged_on: self.appeal_lodged_on,
            appeal_judgment_on: self.appeal_judgment_on,
        }
    }
}
