//! The authorization matrix generated from the served spec, and cross-municipality cases.

mod cross_municipality;
mod matrix;

use crate::helpers::TestApp;

/// A second municipality of the installation (as when an installation serves several): recorded
/// straight in the database, as no route creates municipalities.
pub async fn add_municipality(app: &TestApp, code: &str, name: &str) {
    let url = huurtoezicht::config::DatabaseUrl::parse(&app.database_url).unwrap();
    let db = huurtoezicht::db::Db::connect(&url, 1).unwrap();
    let mut conn = db.get().unwrap();
    huurtoezicht::db::accounts::ensure_municipality(&mut conn, code, name, chrono::Utc::now().naive_utc())
        .unwrap();
}
