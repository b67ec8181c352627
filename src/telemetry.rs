//! Logging with `tracing`. Human-readable by default, JSON with `HUURTOEZICHT_LOG_JSON=true`;
//! level from `RUST_LOG` (default `info`). Logs carry request ids, routes and statuses — never
//! names, email addresses, complaint text or IP addresses.

use tracing_subscriber::{fmt, EnvFilter};

pub fn init(json: bool) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = fmt().with_env_filter(filter).with_target(false);
    // try_init: a second call (tests) is harmless.
    let _ = if json { builder.json().try_init() } else { builder.try_init() };
}
