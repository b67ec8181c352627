//! Linking and merging party records, and which party a violation is addressed to.
//!
//! One party may end up with two records: an officer records a landlord who has no account, and
//! the landlord registers later (or two officers record the same company). Merging moves
//! everything to one record so that history, recidive and screening follow the party, not the
//! login. The rules here are pure: the service layer loads the facts and applies the answer.

use serde::{Deserialize, Serialize};

use crate::domain::general_rules::RuleCode;
use crate::domain::landlords::{PartyRole, PartySource};

/// To whom a violation is addressed: the landlord of the dwelling (default) or an intermediary
/// (verhuurbemiddelaar or beheerder). The party addressed is the offender: its enforcement case,
/// sanctions, letters and recidive follow it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AddressedTo {
    #[default]
    Landlord,
    Intermediary,
}

crate::closed_set!(AddressedTo { Landlord => "landlord", Intermediary => "intermediary" });

/// Whether a violation of `rule` can be addressed to an intermediary.
///
/// The general rules of goed verhuurderschap (GR-00 … GR-10) bind "all verhuurders and
/// verhuurbemiddelaars, with or without a licence" (Wgv art. 2 lid 1; rules.md §1, heading and
/// GR-00; GR-08 binds the bemiddelaar alone). The extra rules for labour migrants (AM-01, AM-02;
/// rules.md §1.1) are duties of the party that concludes the lease and the employment contract,
/// and the licence rules (`no_licence`, `licence_condition`, `overcrowding`; Wgv art. 5,
/// rules.md §2) bind the holder of (or the one who needs) the licence: the landlord. Those are
/// therefore addressed to the landlord only.
pub fn binds_intermediary(rule: RuleCode) -> bool {
    matches!(
        rule,
        RuleCode::Gr00
            | RuleCode::Gr01
            | RuleCode::Gr02
            | RuleCode::Gr03
            | RuleCode::Gr04
            | RuleCode::Gr05
            | RuleCode::Gr06
            | RuleCode::Gr07
            | RuleCode::Gr08
            | RuleCode::Gr09
            | RuleCode::Gr10
    )
}

/// The facts of a record that decide whether it may take part in a link or merge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordFacts {
    pub id: String,
    pub role: PartyRole,
    pub source: PartySource,
    /// The municipality that recorded it (`None` when the party registered itself).
    pub municipality_code: Option<String>,
    pub merged_into: Option<String>,
}

impl RecordFacts {
    /// Whether staff of the municipalities `allows` admits may change this record: a record
    /// their municipality made, or one the party made itself (contract of issue #14).
    pub fn editable_by(&self, allows: impl Fn(&str) -> bool) -> bool {
        self.source == PartySource::SelfRegistration || self.municipality_code.as_deref().is_some_and(allows)
    }
}

/// Why two records cannot be merged (the service answers 409 or 422 with the text).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MergeRefusal {
    #[error("a record cannot be merged into itself")]
    SameRecord,
    #[error("record {id} was merged into {survivor}")]
    AlreadyMerged { id: String, survivor: String },
    #[error("a {from} record cannot be merged into a {into} record: merge records of one family only")]
    OtherFamily { from: &'static str, into: &'static str },
}

/// Whether `from` may be merged into `into`: two different records, neither merged already, of
/// the same family (a landlord, an intermediary or an employer — the family decides which rules
/// bind the party and which routes serve it).
pub fn check_merge(from: &RecordFacts, into: &RecordFacts) -> Result<(), MergeRefusal> {
    use crate::domain::code::Code;
    if from.id == into.id {
        return Err(MergeRefusal::SameRecord);
    }
    for r in [from, into] {
        if let Some(survivor) = &r.merged_into {
            return Err(MergeRefusal::AlreadyMerged { id: r.id.clone(), survivor: survivor.clone() });
        }
    }
    if from.role != into.role {
        return Err(MergeRefusal::OtherFamily { from: from.role.code(), into: into.role.code() });
    }
    Ok(())
}

/// What linking an account to a recorded party does with the account's present record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkPlan {
    /// The account had no record: it is simply linked.
    Link,
    /// The account already belongs to this record: nothing changes.
    AlreadyLinked,
    /// The account's own self-registered record is merged into the target (everything moves).
    MergeSelfRegistered { from: String },
    /// The account belongs to another record an officer made: merge those records instead.
    OtherRecordedParty { current: String },
}

/// Decides what linking an account (whose record is `current`) to `target` does.
pub fn plan_link(current: Option<&RecordFacts>, target: &RecordFacts) -> LinkPlan {
    match current {
        None => LinkPlan::Link,
        Some(c) if c.id == target.id => LinkPlan::AlreadyLinked,
        Some(c) if c.source == PartySource::SelfRegistration && c.merged_into.is_none() => {
            LinkPlan::MergeSelfRegistered { from: c.id.clone() }
        }
        Some(c) => LinkPlan::OtherRecordedParty { current: c.id.clone() },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::code::Code;

    fn rec(id: &str, role: PartyRole, source: PartySource) -> RecordFacts {
        RecordFacts {
            id: id.into(),
            role,
            source,
            municipality_code: Some("GM0599".into()),
            merged_into: None,
        }
    }

    #[test]
    fn intermediaries_are_bound_by_the_general_rules_only() {
        for code in ["GR-00", "GR-04", "GR-06", "GR-08", "GR-10"] {
            assert!(binds_intermediary(code.parse().unwrap()), "{code}");
        }
        for code in ["AM-01", "AM-02", "no_licence", "licence_condition", "overcrowding"] {
            assert!(!binds_intermediary(code.parse().unwrap()), "{code}");
        }
    }

    #[test]
    fn merging_needs_two_live_records_of_one_family() {
        let a = rec("a", PartyRole::Landlord, PartySource::Inspection);
        let b = rec("b", PartyRole::Landlord, PartySource::SelfRegistration);
        assert_eq!(check_merge(&a, &b), Ok(()));
        assert_eq!(check_merge(&a, &a), Err(MergeRefusal::SameRecord));
        let agent = rec("c", PartyRole::Intermediary, PartySource::KvkRegister);
        assert!(matches!(check_merge(&a, &agent), Err(MergeRefusal::OtherFamily { .. })));
        let gone = RecordFacts { merged_into: Some("b".into()), ..a.clone() };
        assert_eq!(
            check_merge(&gone, &b),
            Err(MergeRefusal::AlreadyMerged { id: "a".into(), survivor: "b".into() })
        );
        assert_eq!(AddressedTo::default().code(), "landlord");
        assert!(a.editable_by(|m| m == "GM0599"));
        assert!(!a.editable_by(|m| m == "GM0363"));
        assert!(b.editable_by(|_| false), "a self-registered record is anyone's to merge");
    }

    #[test]
    fn linking_merges_only_a_self_registered_record() {
        let target = rec("t", PartyRole::Landlord, PartySource::Inspection);
        assert_eq!(plan_link(None, &target), LinkPlan::Link);
        assert_eq!(plan_link(Some(&target), &target), LinkPlan::AlreadyLinked);
        let own = rec("s", PartyRole::Landlord, PartySource::SelfRegistration);
        assert_eq!(plan_link(Some(&own), &target), LinkPlan::MergeSelfRegistered { from: "s".into() });
        let other = rec("o", PartyRole::Landlord, PartySource::KvkRegister);
        assert_eq!(plan_link(Some(&other), &target), LinkPlan::OtherRecordedParty { current: "o".into() });
    }
}
