//! Service-level tests: the use cases of `huurtoezicht::service` run on a real, fresh database
//! (a temp SQLite file, or a new PostgreSQL database when `TEST_DATABASE_URL` is set), without
//! HTTP. They show what a use case writes — rows, audit entries, letters — in one transaction.

// Panicking on unexpected results is how these tests fail.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

mod accounts;
mod complaints;
mod enforcement;
mod events;
mod group_commit;
mod idempotency;
mod inspections;
mod leases;
mod licensing;
mod objections;
mod outbox;
mod parties;
mod partner_signals_migration;
mod party_links;
mod passwords;
mod query_plans;
mod referrals;
mod refusal_ground_names;
mod registration_signals;
mod sanctions_register;
mod statements;
mod statistics_meldpunt;
mod statistics_plans;
mod unit_of_work;
mod webhooks;
