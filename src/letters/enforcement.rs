//! Letters of enforcement (handhaving) to the landlord: the sanction decisions and the notices of
//! a fine and a penalty order's procedure. No resident data in any of them.

use askama::Template;
use chrono::NaiveDate;

use super::Letter;
use crate::domain::money::Money;
use crate::error::AppResult;

/// `impl $t { pub fn letter(&self) -> AppResult<Letter> }` with the subject given.
macro_rules! subject {
    ($t:ident, $subject:literal) => {
        impl $t<'_> {
            pub fn letter(&self) -> AppResult<Letter> {
                Letter::render($subject, self)
            }
        }
    };
}

/// Waarschuwing: end the violation within the remedy term.
#[derive(Template)]
#[template(path = "letters/enforcement_warning.txt", escape = "none")]
pub struct WarningLetter<'a> {
    pub municipality: &'a str,
    pub rule: &'a str,
    pub address: &'a str,
    pub violation_date: NaiveDate,
    pub remedy_deadline: NaiveDate,
    pub consequence_text: &'a str,
}
subject!(WarningLetter, "Waarschuwing Wet goed verhuurderschap / Warning");

/// Last onder dwangsom.
#[derive(Template)]
#[template(path = "letters/enforcement_penalty_order.txt", escape = "none")]
pub struct PenaltyOrderLetter<'a> {
    pub municipality: &'a str,
    pub address: &'a str,
    pub rule: &'a str,
    /// The remedial measures, joined with `; `.
    pub measures: &'a str,
    /// The end of the begunstigingstermijn, or `-`.
    pub compliance_deadline: &'a str,
    pub amount: Money,
    /// How the sum is forfeited, as written in the order.
    pub sum_kind: &'a str,
    pub maximum: Money,
}
subject!(PenaltyOrderLetter, "Last onder dwangsom / Penalty order");

/// Last onder bestuursdwang.
#[derive(Template)]
#[template(path = "letters/enforcement_coercion_order.txt", escape = "none")]
pub struct CoercionOrderLetter<'a> {
    pub municipality: &'a str,
    pub address: &'a str,
    pub rule: &'a str,
    pub remedy_deadline: NaiveDate,
}
subject!(CoercionOrderLetter, "Last onder bestuursdwang / Administrative enforcement order");

/// Beheerovername.
#[derive(Template)]
#[template(path = "letters/enforcement_takeover.txt", escape = "none")]
pub struct TakeoverLetter<'a> {
    pub municipality: &'a str,
    pub address: &'a str,
    pub starts_on: NaiveDate,
}
subject!(TakeoverLetter, "Beheerovername / Management takeover");

/// Voornemen bestuurlijke boete with the invitation to give a zienswijze (Awb 5:50, 5:53).
#[derive(Template)]
#[template(path = "letters/enforcement_fine_intent.txt", escape = "none")]
pub struct FineIntentLetter<'a> {
    pub municipality: &'a str,
    pub rule: &'a str,
    pub violation_date: NaiveDate,
    pub zienswijze_due: NaiveDate,
}
subject!(FineIntentLetter, "Voornemen bestuurlijke boete / Notice of intent to fine");

/// Besluit bestuurlijke boete.
#[derive(Template)]
#[template(path = "letters/enforcement_fine_decision.txt", escape = "none")]
pub struct FineDecisionLetter<'a> {
    pub municipality: &'a str,
    pub rule: &'a str,
    pub amount: Money,
    pub payment_due: NaiveDate,
    pub objection_ends: NaiveDate,
}
subject!(FineDecisionLetter, "Besluit bestuurlijke boete / Fine decision");

/// A penalty forfeited at a follow-up inspection (Awb 5:33).
#[derive(Template)]
#[template(path = "letters/enforcement_forfeiture.txt", escape = "none")]
pub struct ForfeitureLetter<'a> {
    pub rule: &'a str,
    pub inspected_on: NaiveDate,
    pub forfeited: Money,
    pub total: Money,
    pub maximum: Money,
    /// The payment date, or empty.
    pub payable_by: &'a str,
}
subject!(ForfeitureLetter, "Verbeurde dwangsom / Penalty forfeited");

/// Invorderingsbeschikking (Awb 5:37).
#[derive(Template)]
#[template(path = "letters/enforcement_collection_decision.txt", escape = "none")]
pub struct CollectionDecisionLetter<'a> {
    pub municipality: &'a str,
    pub rule: &'a str,
    pub decided: Money,
}
subject!(CollectionDecisionLetter, "Invorderingsbeschikking dwangsom / Collection decision");

/// Aanmaning (Awb 4:112): two weeks to pay.
#[derive(Template)]
#[template(path = "letters/enforcement_reminder.txt", escape = "none")]
pub struct ReminderLetter<'a> {
    pub rule: &'a str,
    pub reminded: Money,
}
subject!(ReminderLetter, "Aanmaning verbeurde dwangsom / Payment reminder");

#[cfg(test)]
mod tests;
