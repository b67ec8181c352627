//! Background jobs. Each is safe to run on every instance at once.

pub mod events;
pub mod outbox;
pub mod retention;
pub mod webhooks;
