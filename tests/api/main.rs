//! Black-box API tests: each test starts the application on a random port against a fresh
//! database (a temp SQLite file, or a fresh PostgreSQL database when `TEST_DATABASE_URL` is set)
//! and talks to it over HTTP.

// Panicking on unexpected responses is how these tests fail.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod helpers;

mod accounts;
mod actions_by_role;
mod areas_in_m2;
mod authz;
mod browser;
mod complaints;
mod docs;
mod enforcement;
mod errors;
mod events;
mod health;
mod idempotency;
mod inspections;
mod leases;
mod licensing;
mod objections;
mod one_naming;
mod openapi;
mod outbox;
mod parties;
mod partner_signals;
mod party_links;
mod privacy;
mod referrals;
mod registration_signals;
mod resilience;
mod statistics;
mod webhooks;
