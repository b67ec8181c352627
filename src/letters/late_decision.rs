//! The beschikking fixing the dwangsom for a late decision on a licence application (Awb 4:18),
//! sent to the landlord.

use chrono::NaiveDate;

use crate::domain::money::Money;

letter!(
    /// The amount of the dwangsom for a late decision is fixed (Awb 4:17–4:18), with the end of
    /// the objection term (Awb 6:7/6:8).
    LateDecisionPenaltyFixed, "letters/licensing_late_decision_penalty.txt",
    "Dwangsom niet tijdig beslissen vastgesteld / Penalty for a late decision fixed", {
        address: &'a str,
        notice_received_on: NaiveDate,
        decided_on: NaiveDate,
        days: u32,
        amount: Money,
        /// Why the amount differs from the computed one, or empty.
        deviation: &'a str,
        objection_end: NaiveDate,
        application_id: &'a str,
    }
);

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;

    #[test]
    fn the_penalty_letter_names_the_amount_and_the_objection_term() {
        let d = |m, day| NaiveDate::from_ymd_opt(2025, m, day).unwrap();
        let letter = LateDecisionPenaltyFixed {
            address: "3011 AB 12",
            notice_received_on: d(5, 6),
            decided_on: d(6, 10),
            days: 14,
            amount: Money::from_cents(28_000).unwrap(),
            deviation: "",
            objection_end: d(7, 22),
            application_id: "app-1",
        }
        .letter()
        .unwrap();
        assert_eq!(
            letter.body,
            "Op 2025-05-06 ontvingen wij uw ingebrekestelling over het niet tijdig beslissen op uw \
             aanvraag voor een verhuurvergunning voor 3011 AB 12. Wij stellen de verbeurde dwangsom \
             vast op €280.00 (14 dagen, Awb 4:17 en 4:18; besluit van 2025-06-10).\n\
             Bezwaar maken kan tot en met 2025-07-22 (Awb 6:7, zes weken na de dag van bekendmaking).\n\
             Aanvraagnummer: app-1\n\n\
             (English) The penalty for the late decision on your rental licence application for \
             3011 AB 12 is fixed at €280.00 (14 days). You may lodge an objection until 2025-07-22."
        );
    }
}
