//! Licensing (vergunningverlening) at the HTTP edge: properties, licence applications, their
//! documents and Bibob check, licences, the public register and the rule set. Handlers parse
//! requests into the commands of `service::licensing` and map the results to responses.

pub mod applications;
pub mod bibob;
pub mod deadlines;
pub mod documents;
pub mod licences;
pub mod properties;
pub mod register;
pub mod rules;

use crate::db::properties::Viewer;
use crate::domain::roles::Role;
use crate::error::AppResult;
use crate::http::auth::Caller;
use crate::http::AppState;
use crate::service::{self, Ctx, Tx};

/// The viewer for a caller: landlords see their own records, staff their municipalities.
pub(crate) fn viewer(caller: &Caller) -> Viewer {
    match caller.role {
        // A landlord token without a landlord record matches nothing (404s, empty lists).
        Role::Landlord => Viewer::Landlord(caller.landlord_id.clone().unwrap_or_default()),
        _ => Viewer::Staff(caller.scope()),
    }
}

/// Runs a read-only use case as the caller's [`viewer`].
pub(crate) async fn read_as<T, F>(state: &AppState, caller: &Caller, f: F) -> AppResult<T>
where
    F: FnOnce(&mut Tx<'_>, &Viewer) -> AppResult<T> + Send + 'static,
    T: Send + 'static,
{
    let viewer = viewer(caller);
    service::read(&state.db, caller.ctx(&state.clock), move |tx| f(tx, &viewer)).await
}

/// Runs a use case that changes what a public register shows (a licence, a property, or a
/// party's name or record), then clears the caches of both public registers (licences and
/// sanctions; a sanction step clears the sanctions register's own).
pub(crate) async fn write_register<T, F>(state: &AppState, ctx: Ctx, f: F) -> AppResult<T>
where
    F: FnOnce(&mut Tx<'_>) -> AppResult<T> + Send + 'static,
    T: Send + 'static,
{
    let out = service::write(&state.db, ctx, f).await?;
    state.register_cache.invalidate();
    state.sanctions_register_cache.invalidate();
    Ok(out)
}
