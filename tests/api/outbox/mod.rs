//! Outgoing mail goes through the transactional outbox: delivered exactly once, retried while the
//! relay is away, and — when it fails for good — visible and requeueable by the administrator.

mod admin;
mod delivery;
mod sink;
