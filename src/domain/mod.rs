//! The pure domain core: types and rules, no I/O, no database, no HTTP.

pub mod attachments;
pub mod awb;
pub mod calendar;
pub mod code;
pub mod complaints;
pub mod config_json;
pub mod deadlines;
pub mod enforcement_policy;
pub mod exploitation;
pub mod fines;
pub mod general_rules;
pub mod ids;
pub mod inspection;
pub mod ladder;
pub mod landlords;
pub mod licensing;
pub mod licensing_codes;
pub mod money;
pub mod objections;
pub mod occupancy;
pub mod passwords;
pub mod redact;
pub mod roles;
pub mod ruleset;
pub mod sanction_lifecycle;
pub mod sanction_procedure;
