//! The use cases: one plain function per thing a user can do, taking a typed command and the
//! unit of work ([`Tx`]) and returning a typed result. No HTTP (actix), no OpenAPI (utoipa), no
//! DTOs here: handlers in `crate::http` parse requests into commands and map results to
//! responses; legal decisions are made by pure code in `crate::domain`; rows are read and
//! written by `crate::db`. See `docs/ARCHITECTURE.md`.

pub mod accounts;
pub mod complaints;
pub mod enforcement;
pub mod events;
pub mod idempotency;
pub mod inspections;
pub mod leases;
pub mod licensing;
pub mod objections;
pub mod outbox;
pub mod parties;
pub mod party_links;
pub mod referrals;
pub mod registration_signals;
pub mod statistics;
pub mod tx;
pub mod webhooks;

pub use tx::{lookup, read, write, Audit, Ctx, Precondition, Tx};
