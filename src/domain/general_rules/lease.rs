//! A recorded lease (huurovereenkomst) checked against the general rules that a lease's facts
//! decide: GR-04 (deposit cap and return), GR-05 (lease in writing), GR-06 (written information,
//! with its transition for leases concluded before the Wgv), AM-01 (lease separate from the
//! employment contract) and AM-02 (information in a language the labour migrant understands).
//! Each violation is proposed with the date from which it is one; an officer confirms it with
//! `POST /v1/violations`, as with an inspection's evaluation.
//!
//! PURE: no I/O. The deposit and labour-migrant checks are the ones in `checks.rs`; this module
//! only adds the dates.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::catalogue::RuleCode;
use super::checks::{
    check_deposit_cap, check_deposit_return, check_information_language, check_separate_contracts,
    deposit_return_due, CheckOutcome, DepositReturnFacts, GeneralRuleDates, InformationLetterFacts,
    LabourMigrantLease,
};
use crate::domain::calendar::AtwRoll;
use crate::domain::money::Money;

/// Whether the lease was laid down in writing (GR-05).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LeaseForm {
    Written,
    Oral,
}

crate::closed_set!(LeaseForm { Written => "written", Oral => "oral" });

/// How the municipality learnt of the lease.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LeaseRecordedFrom {
    /// Found during an inspection (huisbezoek).
    Inspection,
    /// Described in a complaint (melding).
    Complaint,
    /// Recorded by the landlord for their own property.
    Landlord,
    /// Recorded by an officer from other information.
    Officer,
}

crate::closed_set!(LeaseRecordedFrom {
    Inspection => "inspection",
    Complaint => "complaint",
    Landlord => "landlord",
    Officer => "officer",
});

/// The facts of a lease the checks need. No tenant names or other personal data of tenants.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LeaseFacts {
    /// The day the lease was concluded (signed or agreed orally).
    pub concluded_on: NaiveDate,
    /// The day the lease ended, if it did (or will).
    pub ends_on: Option<NaiveDate>,
    pub form: LeaseForm,
    /// The day the written information (GR-06) was given; `None` = not (yet) given.
    pub information_given_on: Option<NaiveDate>,
    /// Languages of the written information (ISO 639-1).
    pub information_languages: Vec<String>,
    /// The tenancy is laid down in, or tied to, the employment contract.
    pub tied_to_employment: bool,
    /// The occupants are arbeidsmigranten in the sense of Wgv art. 1.
    pub occupants_are_labour_migrants: bool,
    /// Languages the occupants prefer or understand (ISO 639-1); empty = not known.
    pub occupant_languages: Vec<String>,
    /// Kale huur per month.
    pub rent: Option<Money>,
    pub deposit: Option<Money>,
    pub deposit_returned_on: Option<NaiveDate>,
    /// Amounts were withheld from the deposit.
    pub deposit_deductions: bool,
    /// A written specification of the deductions was given.
    pub deduction_specification_given: bool,
}

/// A violation the lease check proposes; the officer confirms it (or not).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LeaseViolation {
    pub rule: RuleCode,
    /// The first day on which the facts are a violation.
    pub violation_from: NaiveDate,
    /// The day it was remedied (e.g. the information was given late), if it was.
    pub violation_until: Option<NaiveDate>,
    pub reason: String,
    /// Article and rules.md tag of the rule.
    pub source: String,
}

impl LeaseViolation {
    fn new(rule: RuleCode, from: NaiveDate, until: Option<NaiveDate>, reason: String) -> Self {
        let info = rule.info();
        LeaseViolation {
            rule,
            violation_from: from,
            violation_until: until,
            reason,
            source: format!("{}; {}", info.article, info.source),
        }
    }
}

/// The day by which the written information of GR-06 is due: at once for leases concluded from
/// `information_rules_from`, by `information_existing_leases_due` for earlier ones (rules.md §1
/// GR-06).
pub fn information_due(concluded_on: NaiveDate, dates: &GeneralRuleDates) -> NaiveDate {
    if concluded_on >= dates.information_rules_from {
        concluded_on
    } else {
        dates.information_existing_leases_due
    }
}

/// Checks a lease on `today` and proposes every violation its facts show, in catalogue order.
/// A violation that starts after `today` is not (yet) proposed.
pub fn check_lease(
    lease: &LeaseFacts,
    today: NaiveDate,
    dates: &GeneralRuleDates,
    atw: &dyn AtwRoll,
) -> Vec<LeaseViolation> {
    let mut out = Vec::new();
    deposit(lease, today, dates, atw, &mut out);
    written_lease(lease, dates, &mut out);
    information(lease, dates, &mut out);
    separate_contracts(lease, dates, &mut out);
    information_language(lease, dates, &mut out);
    out.retain(|v| v.violation_from <= today);
    out
}

/// GR-04: the cap from the day the lease was concluded; the return term from the day after its
/// last day (BW 7:261b lid 2/3), until the deposit was returned.
fn deposit(
    lease: &LeaseFacts,
    today: NaiveDate,
    dates: &GeneralRuleDates,
    atw: &dyn AtwRoll,
    out: &mut Vec<LeaseViolation>,
) {
    if let (Some(rent), Some(deposit)) = (lease.rent, lease.deposit) {
        if let CheckOutcome::Violation { rule, reason } =
            check_deposit_cap(lease.concluded_on, rent, deposit, dates)
        {
            out.push(LeaseViolation::new(rule, lease.concluded_on, None, reason));
        }
    }
    let (Some(ended), Some(_)) = (lease.ends_on, lease.deposit.filter(|d| d.cents() > 0)) else { return };
    let facts = DepositReturnFacts {
        lease_signed: lease.concluded_on,
        lease_ended: ended,
        returned_on: lease.deposit_returned_on,
        deductions_made: lease.deposit_deductions,
        written_specification_given: lease.deduction_specification_given,
    };
    let CheckOutcome::Violation { rule, reason } = check_deposit_return(&facts, today, dates, atw) else {
        return;
    };
    let due = deposit_return_due(ended, lease.deposit_deductions, atw);
    let day_after_due = due.succ_opt().unwrap_or(due);
    if lease.deposit_deductions && !lease.deduction_specification_given {
        // Deducted without a specification: a violation from the moment of the deduction (the
        // return), or once the term has passed without a return.
        let from = lease.deposit_returned_on.unwrap_or(day_after_due);
        out.push(LeaseViolation::new(rule, from, None, reason));
    } else {
        out.push(LeaseViolation::new(rule, day_after_due, lease.deposit_returned_on, reason));
    }
}

/// GR-05: an oral lease concluded from `written_lease_from` is a violation from that day.
fn written_lease(lease: &LeaseFacts, dates: &GeneralRuleDates, out: &mut Vec<LeaseViolation>) {
    // UNCONFIRMED: whether GR-05 covers leases concluded before the Wgv (rules.md §1 GR-05);
    // until a jurist confirms it, earlier oral leases are not applicable (configurable date).
    if lease.form == LeaseForm::Oral && lease.concluded_on >= dates.written_lease_from {
        out.push(LeaseViolation::new(
            RuleCode::Gr05,
            lease.concluded_on,
            None,
            format!("the lease concluded {} was not laid down in writing", lease.concluded_on),
        ));
    }
}

/// GR-06: the information is due on [`information_due`]; not given by then → a violation from
/// that day, until the day it was given late.
// NOTE: for leases concluded before the Wgv the brief reads "by 1 July 2024" as: the duty applies
// to them from that day, exactly as it applies to a new lease from the day it is concluded; so
// information given on 2024-07-01 is on time, and a violation runs from 2024-07-01.
fn information(lease: &LeaseFacts, dates: &GeneralRuleDates, out: &mut Vec<LeaseViolation>) {
    let due = information_due(lease.concluded_on, dates);
    match lease.information_given_on {
        Some(given) if given <= due => {}
        Some(given) => out.push(LeaseViolation::new(
            RuleCode::Gr06,
            due,
            Some(given),
            format!("the written information was due on {due} and given on {given}"),
        )),
        None => out.push(LeaseViolation::new(
            RuleCode::Gr06,
            due,
            None,
            format!("the written information, due on {due}, was not given"),
        )),
    }
}

/// AM-01: a labour migrant's tenancy tied to the employment contract, for leases from
/// `separate_contracts_from`: a violation from the day the lease was concluded.
fn separate_contracts(lease: &LeaseFacts, dates: &GeneralRuleDates, out: &mut Vec<LeaseViolation>) {
    let facts = LabourMigrantLease {
        signed_on: lease.concluded_on,
        tenant_is_arbeidsmigrant: lease.occupants_are_labour_migrants,
        separate_from_employment_contract: !lease.tied_to_employment,
    };
    if let CheckOutcome::Violation { rule, reason } = check_separate_contracts(&facts, dates) {
        out.push(LeaseViolation::new(rule, lease.concluded_on, None, reason));
    }
}

/// AM-02: only when the information was given (a missing letter is GR-06) and the occupants'
/// languages are known: a violation from the day it was due, or given when that was later.
fn information_language(lease: &LeaseFacts, dates: &GeneralRuleDates, out: &mut Vec<LeaseViolation>) {
    let Some(given) = lease.information_given_on else { return };
    if lease.occupant_languages.is_empty() {
        return;
    }
    let facts = InformationLetterFacts {
        tenant_is_arbeidsmigrant: lease.occupants_are_labour_migrants,
        letter_languages: lease.information_languages.clone(),
        tenant_preferred_languages: lease.occupant_languages.clone(),
        tenant_understood_languages: vec![],
    };
    if let CheckOutcome::Violation { rule, reason } = check_information_language(&facts) {
        // Given late: the lateness is GR-06; the language is wrong from the day it was given.
        let from = given.max(information_due(lease.concluded_on, dates));
        out.push(LeaseViolation::new(rule, from, None, reason));
    }
}
