//! The life of a sanction as the enforcement file keeps it: which kinds there are, when a
//! procedure is over, whether it still blocks a new step on the ladder, which deadlines run in
//! its current state and which actions that state allows. The small machines for bestuursdwang
//! and management takeover live here too; the warning, fine and penalty-order machines are in
//! [`crate::domain::sanction_procedure`].

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::domain::enforcement_policy::EnforcementPolicy;
use crate::domain::ladder::{SanctionStep, TakeoverGround};
use crate::domain::sanction_procedure::{
    FineState, FollowUpInspection, LodState, PenaltyOrder, WarningState,
};

// The ladder's steps (declared in `domain::ladder`) by the codes the API and the stored
// sanctions name them with.
crate::closed_set!(SanctionStep {
    Warning => "warning",
    AwaitRemedyTerm => "await_remedy_term",
    PenaltyOrder => "penalty_order",
    AdministrativeCoercion => "administrative_coercion",
    AdministrativeFine => "administrative_fine",
    RecidiveFine => "recidive_fine",
    LicenceRevocation => "licence_revocation",
    ManagementTakeover => "management_takeover",
    ReferToAutoriteitWoningcorporaties => "refer_to_autoriteit_woningcorporaties",
});

/// Whether an enforcement case (landlord + address) is open.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CaseStatus {
    Open,
    /// Closed when its last open violation closed.
    Closed,
}
crate::closed_set!(CaseStatus { Open => "open", Closed => "closed" });

/// How far an enforcement case got: the kind of its latest sanction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CaseStage {
    Investigation,
    Warning,
    PenaltyOrder,
    AdministrativeFine,
    AdministrativeCoercion,
    ManagementTakeover,
    Closed,
}
crate::closed_set!(CaseStage {
    Investigation => "investigation",
    Warning => "warning",
    PenaltyOrder => "penalty_order",
    AdministrativeFine => "administrative_fine",
    AdministrativeCoercion => "administrative_coercion",
    ManagementTakeover => "management_takeover",
    Closed => "closed",
});

impl From<SanctionKind> for CaseStage {
    fn from(k: SanctionKind) -> Self {
        match k {
            SanctionKind::Warning => CaseStage::Warning,
            SanctionKind::AdministrativeFine => CaseStage::AdministrativeFine,
            SanctionKind::PenaltyOrder => CaseStage::PenaltyOrder,
            SanctionKind::AdministrativeCoercion => CaseStage::AdministrativeCoercion,
            SanctionKind::ManagementTakeover => CaseStage::ManagementTakeover,
        }
    }
}

/// Where a violation stands. A tenant leaving is deliberately no way to close one (carrousel
/// rule, rules.md §4.8).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ViolationStatus {
    Open,
    /// Compliance verified.
    Remedied,
    /// Refraining from enforcement (legalisation in prospect, or disproportionate), motivated.
    ClosedWithoutEnforcement,
}
crate::closed_set!(ViolationStatus {
    Open => "open",
    Remedied => "remedied",
    ClosedWithoutEnforcement => "closed_without_enforcement",
});

/// Why a violation was closed: remedied, or — refraining from enforcement, with a motivation —
/// legalisation concretely in prospect or enforcement disproportionate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CloseReason {
    Remedied,
    LegalisationInProspect,
    Disproportionate,
}
crate::closed_set!(CloseReason {
    Remedied => "remedied",
    LegalisationInProspect => "legalisation_in_prospect",
    Disproportionate => "disproportionate",
});

impl CloseReason {
    /// The status a violation closed for this reason gets.
    pub fn status(self) -> ViolationStatus {
        match self {
            CloseReason::Remedied => ViolationStatus::Remedied,
            _ => ViolationStatus::ClosedWithoutEnforcement,
        }
    }
}

/// The kind of a sanction procedure (also the stage a case reaches with it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SanctionKind {
    /// Waarschuwing with a remedy term.
    Warning,
    /// Bestuurlijke boete (Awb 5:40 e.v.).
    AdministrativeFine,
    /// Last onder dwangsom (Awb 5:31d e.v.).
    PenaltyOrder,
    /// Last onder bestuursdwang (Awb 5:21 e.v.).
    AdministrativeCoercion,
    /// Beheerovername (Wgv art. 11 e.v.).
    ManagementTakeover,
}
crate::closed_set!(SanctionKind {
    Warning => "warning",
    AdministrativeFine => "administrative_fine",
    PenaltyOrder => "penalty_order",
    AdministrativeCoercion => "administrative_coercion",
    ManagementTakeover => "management_takeover",
});

impl SanctionKind {
    /// Whether the procedure in state `state_name` no longer runs.
    pub fn is_terminal(self, state_name: &str) -> bool {
        match self {
            SanctionKind::Warning => state_name != "issued",
            SanctionKind::AdministrativeFine => matches!(state_name, "dropped" | "annulled" | "published"),
            SanctionKind::PenaltyOrder => matches!(state_name, "completed" | "lifted"),
            SanctionKind::AdministrativeCoercion => {
                matches!(state_name, "executed" | "complied" | "withdrawn")
            }
            SanctionKind::ManagementTakeover => state_name == "ended",
        }
    }

    /// Whether the sanction still binds / runs for its violation (blocks a new proposal for it).
    /// `state` is the stored state document.
    pub fn blocks_proposal(self, state_name: &str, state: &str) -> bool {
        match self {
            SanctionKind::Warning => false,
            SanctionKind::AdministrativeFine => !matches!(state_name, "dropped" | "annulled"),
            // A penalty order binds while it can still forfeit; once lifted or spent (maximum
            // forfeited) a next step may follow, while the collection of its sums goes on.
            SanctionKind::PenaltyOrder => {
                serde_json::from_str::<LodState>(state).map_or(true, |st| st.can_forfeit())
            }
            _ => !self.is_terminal(state_name),
        }
    }

    /// The running deadlines of a sanction of this kind in `state` (earliest first).
    pub fn deadlines(self, state: &serde_json::Value) -> Vec<Deadline> {
        let mut out = Vec::new();
        match self {
            SanctionKind::Warning => {
                if let Ok(WarningState::Issued { remedy_deadline, .. }) =
                    serde_json::from_value(state.clone())
                {
                    out.push(dl("remedy_term", remedy_deadline));
                }
            }
            SanctionKind::AdministrativeFine => match serde_json::from_value::<FineState>(state.clone()) {
                Ok(FineState::Rapport { decision_due, .. }) => {
                    out.push(dl("fine_decision_13_weeks", decision_due))
                }
                Ok(FineState::IntentSent {
                    decision_due, zienswijze_due, zienswijze_received_on, ..
                }) => {
                    if zienswijze_received_on.is_none() {
                        out.push(dl("zienswijze_term", zienswijze_due));
                    }
                    out.push(dl("fine_decision_13_weeks", decision_due));
                }
                // A fully paid fine has no payment deadline left.
                Ok(FineState::Decided { decision, .. }) => {
                    if !decision.paid_in_full() {
                        out.push(dl("payment", decision.payment_due));
                    }
                    out.push(dl("objection_term", decision.objection_ends));
                }
                Ok(FineState::ObjectionLodged { decision, .. }) if !decision.paid_in_full() => {
                    out.push(dl("payment", decision.payment_due))
                }
                Ok(FineState::Published { expires_on: Some(e), .. }) => {
                    out.push(dl("publication_expires", e))
                }
                _ => {}
            },
            SanctionKind::PenaltyOrder => {
                if let Ok(lod) = serde_json::from_value::<LodState>(state.clone()) {
                    lod_deadlines(&lod, &mut out);
                }
            }
            SanctionKind::AdministrativeCoercion => {
                if let Ok(CoercionState::Decided { remedy_deadline, .. }) =
                    serde_json::from_value(state.clone())
                {
                    out.push(dl("remedy_term", remedy_deadline));
                }
            }
            SanctionKind::ManagementTakeover => {
                if let Ok(t) = serde_json::from_value::<TakeoverState>(state.clone()) {
                    if let (None, Some(end)) = (t.ended_on, t.planned_end_on) {
                        out.push(dl("takeover_end", end));
                    }
                }
            }
        }
        out.sort_by_key(|d| d.due_on);
        out
    }

    /// The actions the state allows, as the API names them (a penalty order's compliance check
    /// and forfeiture are both one `record_follow_up`).
    pub fn allowed_actions(
        self,
        state_name: &str,
        state: &str,
        policy: &EnforcementPolicy,
    ) -> Vec<&'static str> {
        let v: serde_json::Value = serde_json::from_str(state).unwrap_or_default();
        match self {
            SanctionKind::Warning => {
                serde_json::from_value::<WarningState>(v).map(|s| s.allowed_actions()).unwrap_or_default()
            }
            SanctionKind::AdministrativeFine => serde_json::from_value::<FineState>(v)
                .map(|s| s.allowed_actions(&policy.fine_procedure))
                .unwrap_or_default(),
            SanctionKind::PenaltyOrder => serde_json::from_value::<LodState>(v)
                .map(|s| {
                    s.allowed_actions()
                        .into_iter()
                        .map(|a| {
                            if a == "verify_compliance" || a == "record_forfeiture" {
                                "record_follow_up"
                            } else {
                                a
                            }
                        })
                        .fold(Vec::new(), |mut acc, a| {
                            if !acc.contains(&a) {
                                acc.push(a);
                            }
                            acc
                        })
                })
                .unwrap_or_default(),
            SanctionKind::AdministrativeCoercion => match state_name {
                "decided" => vec!["verify_compliance", "execute", "withdraw"],
                _ => vec![],
            },
            SanctionKind::ManagementTakeover => match state_name {
                "decided" => vec!["publish", "end_takeover"],
                "published" => vec!["end_takeover"],
                _ => vec![],
            },
        }
    }

    /// The kind a ladder step starts, if the step is a sanction recorded here.
    pub fn of_step(step: SanctionStep) -> Option<SanctionKind> {
        match step {
            SanctionStep::Warning => Some(SanctionKind::Warning),
            SanctionStep::AdministrativeFine | SanctionStep::RecidiveFine => {
                Some(SanctionKind::AdministrativeFine)
            }
            SanctionStep::PenaltyOrder => Some(SanctionKind::PenaltyOrder),
            SanctionStep::AdministrativeCoercion => Some(SanctionKind::AdministrativeCoercion),
            SanctionStep::ManagementTakeover => Some(SanctionKind::ManagementTakeover),
            SanctionStep::AwaitRemedyTerm
            | SanctionStep::ReferToAutoriteitWoningcorporaties
            | SanctionStep::LicenceRevocation => None,
        }
    }
}

fn lod_deadlines(lod: &LodState, out: &mut Vec<Deadline>) {
    if let (Some(d), None, true, true) =
        (lod.compliance_deadline, lod.complied_on, lod.forfeitures.is_empty(), lod.is_effective())
    {
        out.push(dl("begunstigingstermijn", d));
    }
    // Outstanding sums not yet reminded: their payment term (5:33); undecided ones: the lapse of
    // the power to collect (5:35).
    let outstanding = || lod.forfeitures.iter().filter(|f| f.outstanding());
    if let Some(due) =
        outstanding().filter(|f| f.reminder_on.is_none()).map(|f| f.forfeiture.payable_by).min()
    {
        out.push(dl("forfeiture_payment", due));
    }
    if let Some(lapse) = outstanding()
        .filter(|f| f.collection_decided_on.is_none())
        .map(|f| f.forfeiture.collection_lapses_on)
        .min()
    {
        out.push(dl("collection_lapses", lapse));
    }
}

/// A named deadline of a sanction: `remedy_term`, `zienswijze_term`, `fine_decision_13_weeks`,
/// `payment`, `objection_term`, `publication_expires`, `begunstigingstermijn`,
/// `forfeiture_payment`, `collection_lapses`, `takeover_end`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Deadline {
    pub kind: &'static str,
    pub due_on: NaiveDate,
}

fn dl(kind: &'static str, due_on: NaiveDate) -> Deadline {
    Deadline { kind, due_on }
}

/// Last onder bestuursdwang (Awb 5:21): decided with a term, then executed or complied.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "state")]
pub enum CoercionState {
    Decided { decided_on: NaiveDate, remedy_deadline: NaiveDate },
    Complied { decided_on: NaiveDate, complied_on: NaiveDate },
    Executed { decided_on: NaiveDate, executed_on: NaiveDate },
    Withdrawn { decided_on: NaiveDate, withdrawn_on: NaiveDate },
}

impl CoercionState {
    pub fn name(&self) -> &'static str {
        match self {
            CoercionState::Decided { .. } => "decided",
            CoercionState::Complied { .. } => "complied",
            CoercionState::Executed { .. } => "executed",
            CoercionState::Withdrawn { .. } => "withdrawn",
        }
    }
}

/// Beheerovername (Wgv art. 11 e.v.): decided on a ground, starts, published, ends.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TakeoverState {
    pub grounds: Vec<TakeoverGround>,
    pub decided_on: NaiveDate,
    pub starts_on: NaiveDate,
    /// B&W or a designated beheerder (e.g. a woningcorporatie).
    pub beheerder: String,
    pub planned_end_on: Option<NaiveDate>,
    pub published_on: Option<NaiveDate>,
    pub ended_on: Option<NaiveDate>,
}

impl TakeoverState {
    pub fn name(&self) -> &'static str {
        if self.ended_on.is_some() {
            "ended"
        } else if self.published_on.is_some() {
            "published"
        } else {
            "decided"
        }
    }
}

/// Terms stored with a penalty order: the order and its follow-up inspections.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LodTerms {
    pub order: PenaltyOrder,
    #[serde(default)]
    pub follow_ups: Vec<FollowUpInspection>,
}

/// How far-reaching a ladder step is: the case's proposal is the highest of its violations'.
pub fn step_rank(s: SanctionStep) -> u8 {
    match s {
        SanctionStep::ReferToAutoriteitWoningcorporaties => 0,
        SanctionStep::AwaitRemedyTerm => 1,
        SanctionStep::Warning => 2,
        SanctionStep::PenaltyOrder => 3,
        SanctionStep::AdministrativeFine => 4,
        SanctionStep::RecidiveFine => 5,
        SanctionStep::AdministrativeCoercion => 6,
        SanctionStep::LicenceRevocation => 7,
        SanctionStep::ManagementTakeover => 8,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::code::Code;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or(NaiveDate::MIN)
    }

    #[test]
    fn kinds_round_trip_and_terminal_states() {
        for k in SanctionKind::ALL {
            assert_eq!(SanctionKind::from_code(k.code()), Some(*k));
            assert_eq!(CaseStage::from(*k).code(), k.code(), "a case's stage is its latest sanction's kind");
        }
        assert!(!SanctionKind::Warning.is_terminal("issued"));
        assert!(SanctionKind::Warning.is_terminal("remedied"));
        assert!(SanctionKind::ManagementTakeover.is_terminal("ended"));
        assert!(!SanctionKind::Warning.blocks_proposal("issued", "{}"));
        assert!(SanctionKind::AdministrativeFine.blocks_proposal("rapport", "{}"));
    }

    #[test]
    fn step_codes_are_the_steps_json_names() {
        for s in SanctionStep::ALL {
            assert_eq!(serde_json::to_value(s).ok(), Some(serde_json::Value::from(s.code())));
        }
    }

    #[test]
    fn coercion_and_takeover_deadlines() {
        let st = CoercionState::Decided { decided_on: d("2025-01-01"), remedy_deadline: d("2025-02-01") };
        let v = serde_json::to_value(&st).unwrap_or_default();
        assert_eq!(
            SanctionKind::AdministrativeCoercion.deadlines(&v),
            vec![dl("remedy_term", d("2025-02-01"))]
        );
        let t = TakeoverState {
            grounds: vec![],
            decided_on: d("2025-01-01"),
            starts_on: d("2025-02-01"),
            beheerder: "B&W".into(),
            planned_end_on: Some(d("2026-02-01")),
            published_on: None,
            ended_on: None,
        };
        assert_eq!(t.name(), "decided");
        let v = serde_json::to_value(&t).unwrap_or_default();
        assert_eq!(SanctionKind::ManagementTakeover.deadlines(&v), vec![dl("takeover_end", d("2026-02-01"))]);
        assert!(step_rank(SanctionStep::ManagementTakeover) > step_rank(SanctionStep::Warning));
    }
}
