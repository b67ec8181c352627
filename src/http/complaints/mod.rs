//! The meldpunt (Wgv art. 4 lid 1): public, anonymous intake with a tracking code, and the
//! officer side (triage, messages, referrals, merge, hotspots). Handlers parse requests into
//! commands of `service::complaints` and map the results to the documents of [`dto`].
//!
//! Anonymity: the public routes store no IP address, user agent or account of the reporter; the
//! request log holds only the route pattern. A portal (API client) is recorded as the channel,
//! never the person. Reporters act as `Ctx::anonymous` (`http::auth::anonymous_ctx`), so their
//! audit rows carry no id.

mod bulk;
mod casework;
mod categories;
mod dto;
mod intake;
mod listing;
mod partner_signals;
mod referrals;
pub(crate) mod report;
mod retention;
pub(crate) mod tracking;

pub use bulk::*;
pub use casework::*;
pub use categories::*;
pub use dto::*;
pub use intake::*;
pub use listing::*;
pub use partner_signals::*;
pub use referrals::*;
pub use retention::*;
pub use tracking::*;

use actix_web::http::header;
use actix_web::HttpResponse;

use crate::db::complaints::Complaint;
use crate::error::{AppError, AppResult};
use crate::http::auth::Caller;
use crate::http::preconditions::ok_with_etag;
use crate::http::AppState;
use crate::service::complaints::queries;
use crate::service::{self, Precondition, Tx};

/// Responses that carry a tracking code or what it unlocks are never cached.
fn no_store() -> (header::HeaderName, &'static str) {
    (header::CACHE_CONTROL, "no-store")
}

/// Runs an officer's change (use case `use_case` with its command `cmd`, answering with the
/// changed complaint) in one unit of work and answers with the complaint as it now stands.
/// `expected` is the caller's `If-Match` on the complaint of the route; the answer carries the
/// `ETag` of the complaint it holds.
async fn officer_change<C: Send + 'static>(
    state: &AppState,
    caller: &Caller,
    expected: Option<Precondition>,
    cmd: C,
    use_case: fn(&mut Tx<'_>, C) -> AppResult<Complaint>,
) -> Result<HttpResponse, AppError> {
    let details = service::write(&state.db, caller.ctx(&state.clock).expecting(expected), move |tx| {
        let c = use_case(tx, cmd)?;
        queries::details(tx, c)
    })
    .await?;
    Ok(complaint_ok(details, caller.role, state.clock.today_nl()))
}

/// 200 with the complaint and its `ETag` (its version).
fn complaint_ok(
    details: queries::Details,
    role: crate::domain::roles::Role,
    today: chrono::NaiveDate,
) -> HttpResponse {
    let version = details.complaint.version;
    ok_with_etag(&ComplaintResponse::of(details, role, today), version)
}
