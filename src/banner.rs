//! The start-up banner: once the server listens, a few INFO lines say where everything is — the
//! docs and the spec as full URLs, the database, the mail folder (or SMTP relay), the upload and
//! attachment folders as absolute paths — and, while no admin account exists, the exact command
//! that creates one.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::path::Path;

use crate::config::{Config, DatabaseUrl};

/// The address a browser on this machine reaches: an unspecified bind address (`0.0.0.0`, `::`)
/// becomes the loopback address of its family.
pub fn base_url(bound: SocketAddr) -> String {
    let ip = match bound.ip() {
        IpAddr::V4(v4) if v4.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
        IpAddr::V6(v6) if v6.is_unspecified() => IpAddr::V6(Ipv6Addr::LOCALHOST),
        ip => ip,
    };
    format!("http://{}", SocketAddr::new(ip, bound.port()))
}

/// A path made absolute against the working directory (not resolved: it may not exist yet).
pub fn absolute(path: &Path) -> String {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf()).display().to_string()
}

/// The database as the log may show it: SQLite's file as an absolute path, PostgreSQL without
/// its password.
pub fn database(url: &DatabaseUrl) -> String {
    match url {
        DatabaseUrl::Sqlite(path) => format!("sqlite://{}", absolute(path)),
        DatabaseUrl::Postgres(_) => url.redacted(),
    }
}

/// Where outgoing mail goes.
pub fn mail(config: &Config) -> String {
    match &config.mail.smtp {
        Some(smtp) => format!("sent through the SMTP relay {}:{}", smtp.host, smtp.port),
        None => format!("written as .eml files to {}", absolute(&config.mail.dir)),
    }
}

/// The lines of the banner, in order; the hint to create an admin when `admin_exists` is false.
/// The last line says the server is ready and where its docs and the meldpunt page are.
pub fn lines(config: &Config, bound: SocketAddr, admin_exists: bool) -> Vec<String> {
    let base = base_url(bound);
    let mut lines = vec![
        format!("Database: {}", database(&config.database_url)),
        format!("Mail: {}", mail(config)),
        format!(
            "Uploaded documents: {} ; complaint attachments: {}",
            absolute(&config.upload_dir),
            absolute(&config.complaints.attachment_dir)
        ),
    ];
    if !admin_exists {
        lines.push(no_admin_hint());
    }
    lines.push(format!(
        "Huurtoezicht is ready: API docs at {base}/docs/ , OpenAPI document at {base}/openapi.json , meldpunt page for residents at {base}/meldpunt"
    ));
    lines
}

/// What to do while no admin account exists.
pub fn no_admin_hint() -> String {
    "No admin account exists yet. Create one with: huurtoezicht admin create --email you@gemeente.nl \
     (from a source checkout: cargo run -- admin create --email you@gemeente.nl), which asks for the \
     password; or set HUURTOEZICHT_BOOTSTRAP_ADMIN_EMAIL and HUURTOEZICHT_BOOTSTRAP_ADMIN_PASSWORD and \
     restart; or fill a demo database with: huurtoezicht demo"
        .to_string()
}

/// Logs the banner at INFO; asks the database whether an admin exists first (a failure there is
/// logged, not fatal: the server is already serving).
pub async fn log(config: &Config, bound: SocketAddr, db: &crate::db::Db, clock: &crate::clock::Clock) {
    let ctx = crate::service::Ctx::system(clock.now_naive(), clock.today_nl());
    let admin_exists = match crate::service::read(db, ctx, crate::service::accounts::admin_exists).await {
        Ok(exists) => exists,
        Err(e) => {
            tracing::warn!(error = %e, "cannot tell whether an admin account exists");
            true
        }
    };
    for line in lines(config, bound, admin_exists) {
        tracing::info!("{line}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unspecified_bind_address_is_shown_as_loopback() {
        assert_eq!(base_url("0.0.0.0:8080".parse().unwrap()), "http://127.0.0.1:8080");
        assert_eq!(base_url("[::]:80".parse().unwrap()), "http://[::1]:80");
        assert_eq!(base_url("10.0.0.5:9000".parse().unwrap()), "http://10.0.0.5:9000");
    }

    #[test]
    fn a_relative_sqlite_path_is_made_absolute_and_postgres_hides_its_password() {
        let sqlite = database(&DatabaseUrl::parse("sqlite://huurtoezicht.db").unwrap());
        assert!(sqlite.starts_with("sqlite:///") && sqlite.ends_with("/huurtoezicht.db"), "{sqlite}");
        let pg = database(&DatabaseUrl::parse("postgres://u:geheim@db:5432/ht").unwrap());
        assert_eq!(pg, "postgres://***@db:5432/ht");
    }
}
