//! Letters of enforcement (handhaving) to the landlord: the sanction decisions and the notices of
//! a fine and a penalty order's procedure. No resident data in any of them.

use chrono::NaiveDate;

use crate::domain::money::Money;

letter!(
    /// Waarschuwing: end the violation within the remedy term.
    WarningLetter, "letters/enforcement_warning.txt", "Waarschuwing Wet goed verhuurderschap / Warning", {
        municipality: &'a str,
        rule: &'a str,
        address: &'a str,
        violation_date: NaiveDate,
        remedy_deadline: NaiveDate,
        consequence_text: &'a str,
    }
);

letter!(
    /// Last onder dwangsom.
    PenaltyOrderLetter, "letters/enforcement_penalty_order.txt", "Last onder dwangsom / Penalty order", {
        municipality: &'a str,
        address: &'a str,
        rule: &'a str,
        /// The remedial measures, joined with `; `.
        measures: &'a str,
        /// The end of the begunstigingstermijn, or `-`.
        compliance_deadline: &'a str,
        amount: Money,
        /// How the sum is forfeited, as written in the order.
        sum_kind: &'a str,
        maximum: Money,
    }
);

letter!(
    /// Last onder bestuursdwang.
    CoercionOrderLetter, "letters/enforcement_coercion_order.txt",
    "Last onder bestuursdwang / Administrative enforcement order", {
        municipality: &'a str,
        address: &'a str,
        rule: &'a str,
        remedy_deadline: NaiveDate,
    }
);

letter!(
    /// Beheerovername.
    TakeoverLetter, "letters/enforcement_takeover.txt", "Beheerovername / Management takeover", {
        municipality: &'a str,
        address: &'a str,
        starts_on: NaiveDate,
    }
);

letter!(
    /// Voornemen bestuurlijke boete with the invitation to give a zienswijze (Awb 5:50, 5:53).
    FineIntentLetter, "letters/enforcement_fine_intent.txt",
    "Voornemen bestuurlijke boete / Notice of intent to fine", {
        municipality: &'a str,
        rule: &'a str,
        violation_date: NaiveDate,
        zienswijze_due: NaiveDate,
    }
);

letter!(
    /// Besluit bestuurlijke boete.
    FineDecisionLetter, "letters/enforcement_fine_decision.txt",
    "Besluit bestuurlijke boete / Fine decision", {
        municipality: &'a str,
        rule: &'a str,
        amount: Money,
        payment_due: NaiveDate,
        objection_ends: NaiveDate,
    }
);

letter!(
    /// A penalty forfeited at a follow-up inspection (Awb 5:33).
    ForfeitureLetter, "letters/enforcement_forfeiture.txt", "Verbeurde dwangsom / Penalty forfeited", {
        rule: &'a str,
        inspected_on: NaiveDate,
        forfeited: Money,
        total: Money,
        maximum: Money,
        /// The payment date, or empty.
        payable_by: &'a str,
    }
);

letter!(
    /// Invorderingsbeschikking (Awb 5:37).
    CollectionDecisionLetter, "letters/enforcement_collection_decision.txt",
    "Invorderingsbeschikking dwangsom / Collection decision", {
        municipality: &'a str,
        rule: &'a str,
        decided: Money,
    }
);

letter!(
    /// Aanmaning (Awb 4:112): two weeks to pay.
    ReminderLetter, "letters/enforcement_reminder.txt", "Aanmaning verbeurde dwangsom / Payment reminder", {
        rule: &'a str,
        reminded: Money,
    }
);

#[cfg(test)]
mod tests;
