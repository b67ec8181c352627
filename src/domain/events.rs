//! Domain events: what a portal may learn about a state change, decided from the audited change
//! itself. Every state change of an application, licence, complaint, inspection, violation,
//! sanction or objection is audited (the house rule); [`classify`] turns that audited change into
//! an event type and a small data object holding ids and states only, so the unit of work records
//! the event with the audit row and no use case can forget it.
//!
//! What an event never holds: Bibob content, reporters' data, complaint text or names of natural
//! persons. [`classify`] copies only the keys of [`DATA_KEYS`] whose values are plain codes,
//! numbers or ids, and for complaints only the status.

use serde_json::{Map, Value};

/// The kind of resource an event is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SubjectKind {
    Application,
    Licence,
    Complaint,
    Inspection,
    Violation,
    Sanction,
    Objection,
}
crate::closed_set!(SubjectKind {
    Application => "application",
    Licence => "licence",
    Complaint => "complaint",
    Inspection => "inspection",
    Violation => "violation",
    Sanction => "sanction",
    Objection => "objection",
});

impl SubjectKind {
    /// The resource's path in the API (the event's `subject`).
    pub fn path(self, id: &str) -> String {
        let collection = match self {
            SubjectKind::Application => "licence-applications",
            SubjectKind::Licence => "licences",
            SubjectKind::Complaint => "complaints",
            SubjectKind::Inspection => "inspections",
            SubjectKind::Violation => "violations",
            SubjectKind::Sanction => "sanctions",
            SubjectKind::Objection => "objections",
        };
        format!("/v1/{collection}/{id}")
    }

    /// The subject kind of an audited entity type (`licence_application` is an application).
    pub fn of_entity(entity_type: &str) -> Option<SubjectKind> {
        Some(match entity_type {
            "licence_application" | "application" => SubjectKind::Application,
            "licence" => SubjectKind::Licence,
            "complaint" => SubjectKind::Complaint,
            "inspection" => SubjectKind::Inspection,
            "violation" => SubjectKind::Violation,
            "sanction" => SubjectKind::Sanction,
            "objection" => SubjectKind::Objection,
            _ => return None,
        })
    }
}

macro_rules! event_types {
    ($($variant:ident => $code:literal),+ $(,)?) => {
        /// Every event type, `<subject>.<what happened>`. Subscriptions name these.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        pub enum EventType {
            $(#[serde(rename = $code)] $variant),+
        }
        crate::closed_set!(EventType { $($variant => $code),+ });
    };
}

event_types! {
    ApplicationCreated => "application.created",
    ApplicationUpdated => "application.updated",
    ApplicationSubmitted => "application.submitted",
    ApplicationInformationRequested => "application.information_requested",
    ApplicationInformationSupplied => "application.information_supplied",
    ApplicationTermExtended => "application.term_extended",
    ApplicationReviewStarted => "application.review_started",
    ApplicationWithdrawn => "application.withdrawn",
    ApplicationNotConsidered => "application.not_considered",
    ApplicationDecided => "application.decided",
    ApplicationNoticeOfDefaultRecorded => "application.notice_of_default_recorded",
    ApplicationLatePenaltyWaived => "application.late_decision_penalty_waived",
    ApplicationLatePenaltyFixed => "application.late_decision_penalty_fixed",
    LicenceGranted => "licence.granted",
    LicenceSuspended => "licence.suspended",
    LicenceRevoked => "licence.revoked",
    LicenceReinstated => "licence.reinstated",
    ComplaintReceived => "complaint.received",
    ComplaintStatusChanged => "complaint.status_changed",
    InspectionCreated => "inspection.created",
    InspectionPerformed => "inspection.performed",
    InspectionEvaluated => "inspection.evaluated",
    InspectionReferred => "inspection.referred",
    InspectionNotReferred => "inspection.not_referred",
    ViolationRecorded => "violation.recorded",
    ViolationClosed => "violation.closed",
    SanctionStarted => "sanction.started",
    SanctionIntentSent => "sanction.intent_sent",
    SanctionZienswijzeReceived => "sanction.zienswijze_received",
    SanctionDecided => "sanction.decided",
    SanctionObjectionLodged => "sanction.objection_lodged",
    SanctionBecameFinal => "sanction.became_final",
    SanctionAnnulled => "sanction.annulled",
    SanctionPublished => "sanction.published",
    SanctionDropped => "sanction.dropped",
    SanctionFollowUpRecorded => "sanction.follow_up_recorded",
    SanctionCollectionDecided => "sanction.collection_decided",
    SanctionLapsed => "sanction.lapsed",
    SanctionReminderSent => "sanction.reminder_sent",
    SanctionPaymentRecorded => "sanction.payment_recorded",
    SanctionLifted => "sanction.lifted",
    SanctionRemedyVerified => "sanction.remedy_verified",
    SanctionNotRemediedEstablished => "sanction.not_remedied_established",
    SanctionWithdrawn => "sanction.withdrawn",
    SanctionComplianceVerified => "sanction.compliance_verified",
    SanctionExecuted => "sanction.executed",
    SanctionTakeoverEnded => "sanction.takeover_ended",
    ObjectionLodged => "objection.lodged",
    ObjectionHearingPlanned => "objection.hearing_planned",
    ObjectionHearingRecorded => "objection.hearing_recorded",
    ObjectionPostponed => "objection.postponed",
    ObjectionExtendedWithConsent => "objection.extended_with_consent",
    ObjectionDecided => "objection.decided",
    ObjectionWithdrawn => "objection.withdrawn",
    ObjectionExcuseDecisionRecorded => "objection.excuse_decision_recorded",
    ObjectionNewDecisionRecorded => "objection.new_decision_recorded",
    ObjectionProvisionalReliefRecorded => "objection.provisional_relief_recorded",
    ObjectionAppealLodged => "objection.appeal_lodged",
    ObjectionAppealOutcomeRecorded => "objection.appeal_outcome_recorded",
}

impl EventType {
    pub fn as_str(self) -> &'static str {
        use crate::domain::code::Code;
        self.code()
    }

    pub fn parse(s: &str) -> Option<EventType> {
        use crate::domain::code::Code;
        EventType::from_code(s)
    }

    /// The kind of resource events of this type are about.
    pub fn subject_kind(self) -> SubjectKind {
        let prefix = self.as_str().split('.').next().unwrap_or_default();
        SubjectKind::of_entity(prefix).unwrap_or(SubjectKind::Application)
    }
}

/// The event type of audited action `action` on an entity of `kind`; `None` for a change that
/// is not a state change (a message added, parties recorded, a retention date set).
pub fn event_type(kind: SubjectKind, action: &str) -> Option<EventType> {
    use EventType as E;
    use SubjectKind as K;
    Some(match (kind, action) {
        (K::Application, "create") => E::ApplicationCreated,
        (K::Application, "update") => E::ApplicationUpdated,
        (K::Application, "submit") => E::ApplicationSubmitted,
        (K::Application, "request_information") => E::ApplicationInformationRequested,
        (K::Application, "supply_information") => E::ApplicationInformationSupplied,
        (K::Application, "extend_term") => E::ApplicationTermExtended,
        (K::Application, "start_review") => E::ApplicationReviewStarted,
        (K::Application, "withdraw") => E::ApplicationWithdrawn,
        (K::Application, "not_considered") => E::ApplicationNotConsidered,
        (K::Application, "decide") => E::ApplicationDecided,
        (K::Application, "record_notice_of_default") => E::ApplicationNoticeOfDefaultRecorded,
        (K::Application, "record_no_late_decision_penalty") => E::ApplicationLatePenaltyWaived,
        (K::Application, "fix_late_decision_penalty") => E::ApplicationLatePenaltyFixed,
        (K::Licence, "grant") => E::LicenceGranted,
        (K::Licence, "suspend") => E::LicenceSuspended,
        (K::Licence, "revoke") => E::LicenceRevoked,
        (K::Licence, "reinstate") => E::LicenceReinstated,
        (K::Complaint, "create") => E::ComplaintReceived,
        (K::Inspection, "create") => E::InspectionCreated,
        (K::Inspection, "perform") => E::InspectionPerformed,
        (K::Inspection, "evaluate") => E::InspectionEvaluated,
        (K::Inspection, "add_referral") => E::InspectionReferred,
        (K::Inspection, "record_no_referral") => E::InspectionNotReferred,
        (K::Violation, "create") => E::ViolationRecorded,
        (K::Violation, "close") => E::ViolationClosed,
        (K::Sanction, "create") => E::SanctionStarted,
        (K::Sanction, "send_intent") => E::SanctionIntentSent,
        (K::Sanction, "receive_zienswijze") => E::SanctionZienswijzeReceived,
        (K::Sanction, "decide") => E::SanctionDecided,
        (K::Sanction, "lodge_objection") => E::SanctionObjectionLodged,
        (K::Sanction, "become_final") => E::SanctionBecameFinal,
        (K::Sanction, "annul") => E::SanctionAnnulled,
        (K::Sanction, "publish") => E::SanctionPublished,
        (K::Sanction, "drop") => E::SanctionDropped,
        (K::Sanction, "record_follow_up") => E::SanctionFollowUpRecorded,
        (K::Sanction, "decide_collection") => E::SanctionCollectionDecided,
        (K::Sanction, "record_lapse") => E::SanctionLapsed,
        (K::Sanction, "send_reminder") => E::SanctionReminderSent,
        (K::Sanction, "record_payment") => E::SanctionPaymentRecorded,
        (K::Sanction, "lift") => E::SanctionLifted,
        (K::Sanction, "verify_remedied") => E::SanctionRemedyVerified,
        (K::Sanction, "establish_not_remedied") => E::SanctionNotRemediedEstablished,
        (K::Sanction, "withdraw") => E::SanctionWithdrawn,
        (K::Sanction, "verify_compliance") => E::SanctionComplianceVerified,
        (K::Sanction, "execute") => E::SanctionExecuted,
        (K::Sanction, "end_takeover") => E::SanctionTakeoverEnded,
        (K::Objection, "lodge") => E::ObjectionLodged,
        (K::Objection, "plan_hearing") => E::ObjectionHearingPlanned,
        (K::Objection, "record_hearing") => E::ObjectionHearingRecorded,
        (K::Objection, "postpone") => E::ObjectionPostponed,
        (K::Objection, "extend_with_consent") => E::ObjectionExtendedWithConsent,
        (K::Objection, "decide") => E::ObjectionDecided,
        (K::Objection, "withdraw") => E::ObjectionWithdrawn,
        (K::Objection, "record_excuse_decision") => E::ObjectionExcuseDecisionRecorded,
        (K::Objection, "record_new_decision") => E::ObjectionNewDecisionRecorded,
        (K::Objection, "record_provisional_relief") => E::ObjectionProvisionalReliefRecorded,
        (K::Objection, "lodge_appeal") => E::ObjectionAppealLodged,
        (K::Objection, "record_appeal_outcome") => E::ObjectionAppealOutcomeRecorded,
        _ => return None,
    })
}

/// The keys an event's data may copy from an audited change: states and ids of resources,
/// never free text, amounts, dates of a person or names.
pub const DATA_KEYS: &[&str] = &[
    "state",
    "status",
    "kind",
    "application_id",
    "licence_id",
    "property_id",
    "case_id",
    "violation_id",
    "sanction_id",
    "inspection_id",
    "objection_id",
    "besluit_kind",
    "besluit_id",
];

/// An event as the unit of work records it.
#[derive(Debug, Clone, PartialEq)]
pub struct EventSpec {
    pub event_type: EventType,
    pub subject_kind: SubjectKind,
    /// `{"id": …, "state"/"status": …, "previous_state"/"previous_status": …, ids…}`.
    pub data: Map<String, Value>,
}

/// The event of an audited change, if it is one: `entity_type` and `action` as audited, its
/// `before` and `after` states. A complaint yields an event only when it is received or its
/// status changes, and then its status only.
pub fn classify(
    entity_type: &str,
    entity_id: &str,
    action: &str,
    before: Option<&Value>,
    after: Option<&Value>,
) -> Option<EventSpec> {
    let kind = SubjectKind::of_entity(entity_type)?;
    let status_of =
        |v: Option<&Value>| v.and_then(|v| v.get("status")).and_then(Value::as_str).map(str::to_string);
    let event_type = match event_type(kind, action) {
        Some(t) => t,
        // Any other complaint change that moves its status (a merge, an officer's step).
        None if kind == SubjectKind::Complaint => {
            let (from, to) = (status_of(before), status_of(after));
            match (from, to) {
                (Some(f), Some(t)) if f != t => EventType::ComplaintStatusChanged,
                _ => return None,
            }
        }
        None => return None,
    };
    let mut data = Map::new();
    data.insert("id".into(), Value::String(entity_id.to_string()));
    let plain = |v: &Value| matches!(v, Value::String(_) | Value::Number(_) | Value::Bool(_));
    let keys: &[&str] = if kind == SubjectKind::Complaint { &["status"] } else { DATA_KEYS };
    if let Some(Value::Object(after)) = after {
        for key in keys {
            if let Some(v) = after.get(*key).filter(|v| plain(v)) {
                data.insert((*key).to_string(), v.clone());
            }
        }
    }
    if let Some(Value::Object(before)) = before {
        for key in ["state", "status"] {
            if !keys.contains(&key) {
                continue;
            }
            if let Some(v) = before.get(key).filter(|v| plain(v)) {
                data.insert(format!("previous_{key}"), v.clone());
            }
        }
    }
    Some(EventSpec { event_type, subject_kind: kind, data })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::code::Code;
    use serde_json::json;

    #[test]
    fn every_event_type_names_its_subject_and_round_trips() {
        for t in EventType::ALL {
            assert_eq!(EventType::parse(t.as_str()), Some(*t));
            let prefix = t.as_str().split('.').next().unwrap_or_default();
            assert_eq!(t.subject_kind().code(), prefix, "{}", t.as_str());
        }
        assert_eq!(EventType::parse("application.eaten"), None);
    }

    #[test]
    fn every_application_and_objection_action_is_an_event() {
        use crate::domain::licensing::ActionKind;
        use crate::domain::objections::ObjectionActionKind;
        for a in ActionKind::ALL {
            assert!(event_type(SubjectKind::Application, a.code()).is_some(), "{}", a.code());
        }
        for a in ObjectionActionKind::ALL {
            assert!(event_type(SubjectKind::Objection, a.code()).is_some(), "{}", a.code());
        }
    }

    #[test]
    fn a_complaint_event_holds_its_status_only() {
        let e = classify(
            "complaint",
            "c1",
            "close_unfounded",
            Some(&json!({"status": "triaged"})),
            Some(&json!({"status": "closed_unfounded", "personal_data_due_on": "2027-01-01",
                "description": "Jan de Vries woont hier"})),
        )
        .expect("a status change is an event");
        assert_eq!(e.event_type, EventType::ComplaintStatusChanged);
        assert_eq!(
            Value::Object(e.data),
            json!({"id": "c1", "status": "closed_unfounded", "previous_status": "triaged"})
        );
        // A message or an assignment moves no status: no event.
        assert!(classify("complaint", "c1", "add_message", None, Some(&json!({"kind": "x"}))).is_none());
        assert!(classify(
            "complaint",
            "c1",
            "assign",
            Some(&json!({"status": "triaged"})),
            Some(&json!({"status": "triaged"}))
        )
        .is_none());
    }

    #[test]
    fn data_keeps_ids_and_states_and_drops_text_and_objects() {
        let e = classify(
            "licence_application",
            "a1",
            "decide",
            Some(&json!({"state": "in_review"})),
            Some(&json!({"state": "granted", "licence_id": "l1", "refusal_grounds": ["x"],
                "motivation": "De heer Jansen", "objection_period_ends_on": "2027-01-01"})),
        )
        .expect("a decision is an event");
        assert_eq!(e.event_type, EventType::ApplicationDecided);
        assert_eq!(e.subject_kind.path("a1"), "/v1/licence-applications/a1");
        assert_eq!(
            Value::Object(e.data),
            json!({"id": "a1", "state": "granted", "licence_id": "l1", "previous_state": "in_review"})
        );
    }

    #[test]
    fn other_entities_and_non_state_actions_are_not_events() {
        assert!(classify("account", "x", "create", None, None).is_none());
        assert!(classify("inspection", "i1", "set_parties", None, None).is_none());
        assert!(classify("enforcement_case", "k", "open", None, None).is_none());
    }
}
