//! Accounts, tokens, portal mandates and the audit trail.

mod audit;
mod auth;
mod mandates;
