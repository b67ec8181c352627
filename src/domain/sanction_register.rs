//! The public sanctions register: which sanction decisions are published, from when and until
//! when. Decisions imposing a bestuurlijke boete or a beheerovername are made public (Wgv art. 20;
//! rules.md §4.7 [S8][S11][S16]); nothing else is. A licence revocation is not published: the
//! enforcement policy has no setting that says it is (rules.md §4.7 names only the fine and the
//! takeover).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::sanction_lifecycle::TakeoverState;
use super::sanction_procedure::FineState;

/// The kinds of sanction the register shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PublishedSanctionKind {
    /// Bestuurlijke boete (Wgv art. 19, published per art. 20).
    AdministrativeFine,
    /// Beheerovername (Wgv art. 11 e.v., published per art. 20).
    ManagementTakeover,
}
crate::closed_set!(PublishedSanctionKind {
    AdministrativeFine => "administrative_fine",
    ManagementTakeover => "management_takeover",
});

/// A sanction's entry in the register: its kind, the decision date and the period it shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Publication {
    pub kind: PublishedSanctionKind,
    pub decided_on: NaiveDate,
    pub published_on: NaiveDate,
    /// The first day it no longer shows; `None` while a takeover runs.
    pub ends_on: Option<NaiveDate>,
}

impl Publication {
    /// Shown on `today`: published by then and not yet ended.
    pub fn in_force_on(&self, today: NaiveDate) -> bool {
        self.published_on <= today && self.ends_on.is_none_or(|e| today < e)
    }
}

/// A fine's publication: only a published fine has one (a decided, final, annulled or dropped
/// fine has none, so annulment takes it off the register at once). It ends on the publication's
/// `expires_on` (same reading as [`FineState::is_publicly_visible`]).
pub fn fine_publication(state: &FineState) -> Option<Publication> {
    match state {
        FineState::Published { decision, published_on, expires_on, .. } => Some(Publication {
            kind: PublishedSanctionKind::AdministrativeFine,
            decided_on: decision.decided_on,
            published_on: *published_on,
            ends_on: *expires_on,
        }),
        _ => None,
    }
}

/// A takeover's publication: from its publication until the day it ended. A takeover that ended
/// before it was published never shows.
pub fn takeover_publication(state: &TakeoverState) -> Option<Publication> {
    Some(Publication {
        kind: PublishedSanctionKind::ManagementTakeover,
        decided_on: state.decided_on,
        published_on: state.published_on?,
        ends_on: state.ended_on,
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn a_publication_shows_from_its_first_day_until_the_day_before_its_end() {
        let p = Publication {
            kind: PublishedSanctionKind::AdministrativeFine,
            decided_on: d("2025-04-07"),
            published_on: d("2025-05-22"),
            ends_on: Some(d("2026-05-22")),
        };
        assert!(!p.in_force_on(d("2025-05-21")));
        assert!(p.in_force_on(d("2025-05-22")));
        assert!(p.in_force_on(d("2026-05-21")));
        assert!(!p.in_force_on(d("2026-05-22")));
        let running = Publication { ends_on: None, ..p };
        assert!(running.in_force_on(d("2040-01-01")));
    }

    #[test]
    fn a_takeover_shows_only_once_published_and_until_it_ended() {
        let mut t = TakeoverState {
            grounds: vec![],
            decided_on: d("2026-03-02"),
            starts_on: d("2026-03-02"),
            beheerder: "B&W".into(),
            planned_end_on: None,
            published_on: None,
            ended_on: None,
        };
        assert_eq!(takeover_publication(&t), None);
        t.published_on = Some(d("2026-03-03"));
        assert_eq!(takeover_publication(&t).unwrap().ends_on, None);
        t.ended_on = Some(d("2026-09-01"));
        let p = takeover_publication(&t).unwrap();
        assert!(p.in_force_on(d("2026-08-31")));
        assert!(!p.in_force_on(d("2026-09-01")));
    }
}
