//! Huurtoezicht: a REST API for the Wet goed verhuurderschap. `build` assembles the application
//! for `main` and for the black-box tests.

pub mod banner;
pub mod clock;
pub mod config;
pub mod db;
pub mod demo;
pub mod domain;
pub mod error;
pub mod http;
pub mod jobs;
pub mod letters;
pub mod openapi;
pub mod service;
pub mod shutdown;
pub mod telemetry;

use std::net::TcpListener;
use std::sync::Arc;

use actix_web::dev::Server;
use actix_web::{web, App, HttpServer};
use anyhow::Context;

use crate::clock::Clock;
use crate::config::{Config, JwtKeys};
use crate::db::Db;
use crate::http::auth::TokenService;
use crate::http::AppState;

pub struct Application {
    pub server: Server,
    pub port: u16,
    pub db: Db,
    /// Set when a shutdown begins: `/ready` answers 503 and responses close their connection.
    pub draining: web::Data<shutdown::Draining>,
}

/// Connects and migrates the database, ensures the configured municipality and the bootstrap
/// admin, starts the outbox worker and binds the server (port 0 = a free port).
pub async fn build(config: Config, clock: Clock) -> anyhow::Result<Application> {
    let config = Arc::new(config);
    if let JwtKeys::Hs256 { generated: true, .. } = config.jwt {
        tracing::warn!(
            "HUURTOEZICHT_JWT_SECRET is not set: using a random secret for this run (tokens die on restart); \
             set it in production"
        );
    }
    let db = Db::connect_with(&config.database_url, &db::DbOptions::from_config(&config))?;
    db.migrate()?;
    db.spawn_wal_checkpointer(std::time::Duration::from_millis(500));
    tracing::info!(database = %config.database_url.redacted(), "database ready, migrations applied");
    match db.durability() {
        Ok((setting, true)) => tracing::info!(%setting, "acknowledged writes survive a power cut"),
        Ok((setting, false)) => tracing::warn!(
            %setting,
            "acknowledged writes survive a crash of this process but can be lost in a power cut or kernel crash"
        ),
        Err(e) => tracing::warn!(error = %format!("{e:#}"), "cannot read the database's durability settings"),
    }
    {
        let mut conn = db.get().map_err(|e| anyhow::anyhow!("{e}"))?;
        db::accounts::ensure_municipality(
            &mut conn,
            config.municipality_code.as_str(),
            &config.municipality_name,
            clock.now_naive(),
        )
        .map_err(|e| anyhow::anyhow!("cannot record the municipality: {e}"))?;
        db::parties::index_missing(&mut conn)
            .map_err(|e| anyhow::anyhow!("cannot index the parties: {e}"))?;
    }
    let passwords = http::passwords::PasswordPool::from_settings(&config.resources)?;
    if let Some((email, password)) = &config.bootstrap_admin {
        if cli::create_admin(&db, &clock, &passwords, email, password, true).await? {
            tracing::info!("bootstrap admin created from HUURTOEZICHT_BOOTSTRAP_ADMIN_EMAIL");
        }
    }

    let tokens = web::Data::new(TokenService::new(&config)?);
    let transport = jobs::outbox::Transport::from_settings(&config.mail, config.outbox.send_timeout)?;
    tracing::info!(transport = %transport.describe(), "outgoing mail");
    tracing::info!(versions = config.rules.versions.len(), "municipal rule set loaded");
    let sender = jobs::outbox::Sender::new(db.clone(), transport, clock.clone(), &config)?;
    tokio::spawn(sender.run());
    if config.webhooks.key_derived {
        tracing::warn!(
            "HUURTOEZICHT_WEBHOOK_KEY is not set: webhook secrets are derived from the JWT key; set it in production"
        );
    }
    if config.webhooks.allow_insecure {
        tracing::warn!(
            "HUURTOEZICHT_WEBHOOKS_ALLOW_INSECURE is on: webhooks may call http and private addresses"
        );
    }
    let webhooks = jobs::webhooks::Deliverer::new(db.clone(), clock.clone(), &config)?;

    tokio::spawn(jobs::retention::run_periodically(
        db.clone(),
        clock.clone(),
        jobs::retention::Folders {
            attachments: config.complaints.attachment_dir.clone(),
            mail: config.mail.dir.clone(),
        },
        config.complaints.retention_interval,
    ));
    tokio::spawn(jobs::events::run_periodically(
        db.clone(),
        clock.clone(),
        config.events.retention_days,
        std::time::Duration::from_secs(3600),
    ));
    let track_limiter =
        web::Data::new(http::throttle::TrackCodeThrottle(http::throttle::FailureThrottle::new(
            config.complaints.track_failures_per_minute,
            std::time::Duration::from_secs(60),
        )));

    let state = web::Data::new(AppState {
        db: db.clone(),
        config: config.clone(),
        clock,
        tokens: tokens.clone(),
        rules: config.rules.clone(),
        register_cache: http::licensing::register::RegisterCache::new(
            config.register_cache_ttl,
            config.resources.register_cache_max_bytes,
        ),
        sanctions_register_cache: http::enforcement::register::SanctionsRegisterCache::new(
            config.register_cache_ttl,
            config.resources.register_cache_max_bytes,
        ),
        passwords,
    });
    // Brute-force protection for logins: failures per account (or client) and source address.
    let login_throttle = web::Data::new(http::throttle::LoginThrottle(http::throttle::FailureThrottle::new(
        config.access.login_max_failures,
        config.access.login_lockout,
    )));
    let rate_limits = web::Data::new(http::throttle::RateLimits::new(&config.access));
    let subject_states = web::Data::new(http::auth::SubjectStates::new(config.access.token_state_ttl));
    let listener =
        TcpListener::bind(config.bind).with_context(|| format!("cannot listen on {}", config.bind))?;
    let port = listener.local_addr()?.port();
    let limit = config.max_json_bytes;
    let draining = web::Data::new(shutdown::Draining::default());
    let draining_flag = draining.clone();
    tokio::spawn(webhooks.run(draining.clone().into_inner()));
    // The OpenAPI document is built and serialised once here, not once per worker.
    let docs = openapi::ServedDocs::build()?;
    let server = HttpServer::new(move || {
        App::new()
            .app_data(state.clone())
            .app_data(tokens.clone())
            .app_data(login_throttle.clone())
            .app_data(rate_limits.clone())
            .app_data(subject_states.clone())
            .app_data(track_limiter.clone())
            .app_data(draining_flag.clone())
            .app_data(http::extract::JsonLimit(limit))
            .app_data(http::extract::json_config(limit))
            .app_data(http::extract::form_config(http::meldpunt::MAX_FORM_BYTES))
            .app_data(http::extract::query_config())
            .app_data(http::extract::path_config())
            .configure(http::configure)
            .configure(|c| docs.register(c))
            .configure(http::meldpunt::configure)
            .default_service(web::to(http::fallback))
            .wrap_fn(http::with_request_id)
            .wrap_fn(shutdown::close_when_draining)
    })
    .workers(config.resources.http_workers)
    .disable_signals()
    .shutdown_timeout(config.server.shutdown_timeout.as_secs())
    .listen(listener)?
    .run();
    Ok(Application { server, port, db, draining })
}

pub mod cli {
    //! Command-line tasks: opening the database, creating the first admin.

    use crate::clock::Clock;
    use crate::config::Config;
    use crate::db::{Db, DbOptions};
    use crate::domain::ids::Email;
    use crate::domain::passwords::check_password_strength;
    use crate::http::passwords::PasswordPool;
    use crate::service::{self, accounts, Ctx};

    /// The configured database for a one-off command (`admin create`, `demo`): a small pool,
    /// migrations applied.
    pub fn open_database(config: &Config) -> anyhow::Result<Db> {
        let options = DbOptions { pool_size: 2, ..DbOptions::from_config(config) };
        let db = Db::connect_with(&config.database_url, &options)?;
        db.migrate()?;
        Ok(db)
    }

    /// Creates an admin account. With `only_if_none`, does nothing when an admin exists already
    /// (start-up bootstrap), and then does not hash the password either. Returns whether an
    /// account was created.
    pub async fn create_admin(
        db: &Db,
        clock: &Clock,
        passwords: &PasswordPool,
        email: &str,
        password: &str,
        only_if_none: bool,
    ) -> anyhow::Result<bool> {
        let email = Email::parse(email).map_err(|e| anyhow::anyhow!("admin email: {e}"))?;
        check_password_strength(password, &[email.as_str()])
            .map_err(|e| anyhow::anyhow!("admin password {e}"))?;
        let ctx = || Ctx::system(clock.now_naive(), clock.today_nl());
        // Every start but the first finds the admin: check before paying for a hash (the use case
        // checks again in its own transaction, so two instances starting at once create one).
        if only_if_none
            && service::read(db, ctx(), accounts::admin_exists).await.map_err(|e| anyhow::anyhow!("{e}"))?
        {
            return Ok(false);
        }
        let password_hash = passwords.hash(password.to_string()).await.map_err(|e| anyhow::anyhow!("{e}"))?;
        let cmd = accounts::CreateAdmin { email, password_hash, only_if_none };
        service::write(db, ctx(), move |tx| accounts::create_admin(tx, cmd))
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))
    }
}
