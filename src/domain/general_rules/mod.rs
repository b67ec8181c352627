//! The Wgv rule catalogue (algemene regels van goed verhuurderschap, rules.md §1 and §1.1) plus
//! the licence-related rules, and pure checks for the rules whose facts the scenarios define.
//!
//! Every rule has a stable code (`"GR-04"`, `"AM-01"`, `"no_licence"`, …) that the API, the
//! complaint categories and the database use; never renumber a code.
//!
//! PURE: no I/O. Dates are calendar dates (Europe/Amsterdam legal day).

mod catalogue;
mod checks;
mod lease;
#[cfg(test)]
mod lease_tests;
#[cfg(test)]
mod tests;

pub use catalogue::{catalogue, Confidence, FineRegime, RuleCode, RuleInfo, UnknownRuleCode};
pub use checks::{
    check_deposit_cap, check_deposit_return, check_information_language, check_separate_contracts,
    deposit_return_due, max_deposit, CheckOutcome, DepositReturnFacts, GeneralRuleDates,
    InformationLetterFacts, LabourMigrantLease, DEPOSIT_MAX_MONTHS_KALE_HUUR, DEPOSIT_RETURN_DAYS,
    DEPOSIT_RETURN_DAYS_WITH_DEDUCTION, INFORMATION_EXISTING_LEASES_DUE, WGV_IN_FORCE,
};
pub use lease::{check_lease, information_due, LeaseFacts, LeaseForm, LeaseRecordedFrom, LeaseViolation};
