//! `huurtoezicht demo`: fills the configured database with a small, realistic municipality — two
//! landlords, ten properties, applications in every state, licences (one suspended), complaints
//! in the six languages of the meldpunt, an inspection, an enforcement case with a warning and a
//! fine, and staff — and prints the accounts to log in with.
//!
//! Everything is written through the use cases (`crate::service`) in one unit of work, so audit
//! rows and letters in the outbox are exactly what real use writes, and a failure leaves nothing
//! behind. Content is fixed (see `data`); ids and the complaint's tracking code are new each run,
//! and dates are counted back from today. A database that holds the demo already is left alone.

mod casework;
pub mod data;
mod parties;
mod seed;

use std::sync::Arc;

use anyhow::Context;

use crate::clock::Clock;
use crate::config::Config;
use crate::domain::ids::Email;
use crate::http::passwords::PasswordPool;
use crate::service::complaints::intake::TrackingCode;
use crate::service::{self, accounts, Ctx};

/// What the command did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The demo was written; the text to print.
    Written(String),
    /// The demo's admin account exists already: nothing was written; the text to print.
    AlreadyThere(String),
}

/// Connects, migrates, and writes the demo unless it is there already.
pub async fn run(config: &Config, clock: &Clock) -> anyhow::Result<Outcome> {
    let db = crate::cli::open_database(config)?;
    {
        let mut conn = db.get().map_err(|e| anyhow::anyhow!("{e}"))?;
        crate::db::accounts::ensure_municipality(
            &mut conn,
            config.municipality_code.as_str(),
            &config.municipality_name,
            clock.now_naive(),
        )
        .map_err(|e| anyhow::anyhow!("cannot record the municipality: {e}"))?;
    }
    let ctx = || Ctx::system(clock.now_naive(), clock.today_nl());
    let admin = Email::parse(data::ADMIN.email).map_err(|_| anyhow::anyhow!("demo admin e-mail"))?;
    let present = service::read(&db, ctx(), move |tx| accounts::account_for_login(tx, &admin))
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?
        .is_some();
    if present {
        return Ok(Outcome::AlreadyThere(format!(
            "The demo is already in this database ({}); nothing was written.\n\n{}",
            crate::banner::database(&config.database_url),
            accounts_text()
        )));
    }

    let passwords = PasswordPool::from_settings(&config.resources)?;
    let mut hashes = Vec::new();
    for a in data::ACCOUNTS {
        crate::domain::passwords::check_password_strength(a.password, &[a.email])
            .map_err(|e| anyhow::anyhow!("demo password of {}: {e}", a.email))?;
        hashes.push(passwords.hash(a.password.to_string()).await.map_err(|e| anyhow::anyhow!("{e}"))?);
    }
    let inputs = seed::Inputs {
        municipality_code: config.municipality_code.as_str().to_string(),
        municipality_name: config.municipality_name.clone(),
        rules: config.rules.clone(),
        policy: config.enforcement_policy.clone(),
        catalogue: Arc::clone(&config.complaints.catalogue),
        today: clock.today_nl(),
        hashes,
        tracking_codes: data::COMPLAINTS.iter().map(|_| TrackingCode::generate()).collect(),
        general_rule_dates: config.general_rule_dates.clone(),
    };
    let seeded = service::write(&db, ctx(), move |tx| seed::seed(tx, inputs))
        .await
        .map_err(|e| anyhow::anyhow!("{e:#}"))
        .context("cannot write the demo (nothing was written)")?;
    let (postcode, number) = &seeded.register_address;
    let postcode = crate::domain::ids::display_postcode(postcode);
    Ok(Outcome::Written(format!(
        "Demo municipality {} ({}) written to {}.\n\n{}\n\
         Tracking code of the Dutch complaint (shown once, as the meldpunt does): {}\n\
         A licensed address in the public register: {} {}\n\n\
         Start the server (cargo run, or huurtoezicht) and open the API docs at /docs/.\n",
        config.municipality_name,
        config.municipality_code.as_str(),
        crate::banner::database(&config.database_url),
        accounts_text(),
        seeded.tracking_code,
        postcode,
        number,
    )))
}

/// The accounts and passwords, one per line.
pub fn accounts_text() -> String {
    let mut out = String::from("Accounts (POST /v1/auth/token with grant_type=password):\n");
    for a in data::ACCOUNTS {
        out.push_str(&format!("  {:<14} {:<34} {}\n", role_label(a.role), a.email, a.password));
    }
    out
}

fn role_label(role: crate::domain::roles::Role) -> &'static str {
    use crate::domain::roles::Role;
    match role {
        Role::Admin => "admin",
        Role::Officer => "officer",
        Role::Manager => "manager",
        Role::BibobOfficer => "bibob_officer",
        Role::Landlord => "landlord",
        Role::ApiClient => "api_client",
        Role::CivilAffairs => "civil_affairs",
    }
}
