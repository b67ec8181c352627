//! Letters about objections (bezwaar) to the addressee of the besluit: the acknowledgement of
//! receipt with the decision term (Awb 6:14, 7:10), the postponement notice (Awb 7:10 lid 3) and
//! the decision on the objection (Awb 7:12).

use chrono::NaiveDate;

letter!(
    /// The objection was received; the decision is due by `due` (Awb 6:14 lid 1, 7:10).
    ObjectionReceived, "letters/objection_received.txt", "Bezwaarschrift ontvangen / Objection received", {
        /// The kind of besluit (code).
        besluit_kind: &'a str,
        received_on: NaiveDate,
        weeks: u32,
        due: NaiveDate,
        /// The objection reached us after the objection term ended (Awb 6:7, 6:11).
        late: bool,
        objection_term_ends_on: NaiveDate,
        objection_id: &'a str,
    }
);

letter!(
    /// The decision term was postponed once (Awb 7:10 lid 3).
    ObjectionPostponed, "letters/objection_postponed.txt", "Beslissing op bezwaar verdaagd / Decision on objection postponed", {
        weeks: u32,
        reason: &'a str,
        due: NaiveDate,
        objection_id: &'a str,
    }
);

letter!(
    /// The decision on the objection (Awb 7:12), with the appeal term (Awb 6:7, 6:8).
    ObjectionDecided, "letters/objection_decided.txt", "Beslissing op bezwaar / Decision on objection", {
        /// The outcome (code).
        outcome: &'a str,
        decided_on: NaiveDate,
        appeal_term_ends_on: NaiveDate,
        new_decision: &'a str,
        objection_id: &'a str,
    }
);

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn the_acknowledgement_names_the_due_date_and_a_late_receipt() {
        let l = ObjectionReceived {
            besluit_kind: "fine",
            received_on: NaiveDate::from_ymd_opt(2027, 1, 11).unwrap(),
            weeks: 6,
            due: NaiveDate::from_ymd_opt(2027, 2, 22).unwrap(),
            late: true,
            objection_term_ends_on: NaiveDate::from_ymd_opt(2027, 1, 8).unwrap(),
            objection_id: "o-1",
        }
        .letter()
        .unwrap();
        assert!(l.body.contains("uiterlijk op 2027-02-22"), "{}", l.body);
        assert!(l.body.contains("after the objection term ended on 2027-01-08"), "{}", l.body);
    }
}
