//! Logging with `tracing`. Human-readable by default, JSON with `HUURTOEZICHT_LOG_JSON=true`;
//! level from `RUST_LOG` (default `info`). Logs carry request ids, routes and statuses — never
//! names, email addresses, complaint text or IP addresses.
//!
//! A malformed request from a client (garbage bytes, a bad request line, headers too large, a
//! connection dropped mid-request) is answered 400/431 by actix-http, which also reports it as
//! an ERROR event ("stream error", target `actix_http::h1::dispatcher`). Any client could flood
//! the log with those, so they are left out; actix-http logs the same parse error at TRACE
//! (`RUST_LOG=info,actix_http::h1=trace`), and naming `actix_http` in `RUST_LOG` at all turns this
//! filter off.

use tracing::{Level, Metadata};
use tracing_subscriber::filter::{filter_fn, FilterExt};
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{fmt, EnvFilter, Layer};

/// The actix-http modules whose ERROR events report a client's bad request, not a fault of ours.
const CLIENT_ERROR_TARGETS: [&str; 2] = ["actix_http::h1::dispatcher", "actix_http::h1::decoder"];

/// True for an event that only says a client sent a malformed request or went away.
pub fn is_client_fault(meta: &Metadata<'_>) -> bool {
    *meta.level() == Level::ERROR && CLIENT_ERROR_TARGETS.contains(&meta.target())
}

pub fn init(json: bool) {
    let directives = std::env::var("RUST_LOG").ok().filter(|v| !v.trim().is_empty());
    let keep_client_faults = directives.as_deref().is_some_and(|d| d.contains("actix_http"));
    let filter = directives.map(EnvFilter::new).unwrap_or_else(|| EnvFilter::new("info"));
    let quiet = filter_fn(move |meta| keep_client_faults || !is_client_fault(meta));
    let filter = filter.and(quiet);
    // Colours only for a person at a terminal: a file, a pipe or a log collector gets plain text
    // (and the server does not spend time on escape codes nobody sees).
    let ansi = std::io::IsTerminal::is_terminal(&std::io::stdout());
    // try_init: a second call (tests) is harmless.
    let _ = if json {
        tracing_subscriber::registry()
            .with(fmt::layer().json().with_target(false).with_filter(filter))
            .try_init()
    } else {
        tracing_subscriber::registry()
            .with(fmt::layer().with_ansi(ansi).with_target(false).with_filter(filter))
            .try_init()
    };
}
