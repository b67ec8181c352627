//! Accounts, tokens, portal mandates and the audit trail.

mod access;
mod audit;
mod auth;
mod clients;
mod landlord_scope;
mod limits;
mod management;
mod mandates;
mod password_reset;
mod passwords;
