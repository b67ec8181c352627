//! Persistence: one connection type for SQLite and PostgreSQL (diesel `MultiConnection`), an r2d2
//! pool, embedded migrations per backend, and [`Db`], which runs blocking diesel work off the
//! async executor threads.

pub mod accounts;
pub mod api_clients;
pub mod audit;
pub mod complaints;
pub mod convert;
pub mod enforcement;
pub mod events;
pub mod idempotency_keys;
pub mod in_list;
pub mod inspection_records;
pub mod inspections;
pub mod intake_keys;
pub mod late_decision;
pub mod leases;
pub mod licensing;
pub mod native;
pub mod objections;
pub mod outbox;
pub mod parties;
pub mod party_links;
pub mod properties;
pub mod referrals;
pub mod register;
pub mod registration_signals;
pub mod sanction_register;
pub mod schema;
pub mod scope;
pub mod statistics;
pub mod types;
pub mod webhooks;
mod writer;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::Context;
use diesel::connection::SimpleConnection;
use diesel::pg::PgConnection;
use diesel::r2d2::{self, ManageConnection, R2D2Connection};
use diesel::sqlite::SqliteConnection;
use diesel::{Connection, RunQueryDsl};
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};

use crate::config::storage::StorageSettings;
use crate::config::DatabaseUrl;
use crate::error::{AppError, AppResult};

pub const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
pub const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgres");

/// One connection type for both backends; queries are written once against it.
#[derive(diesel::MultiConnection)]
pub enum DbConnection {
    Postgresql(PgConnection),
    Sqlite(SqliteConnection),
}

/// Opens connections for the pool, choosing the backend from the URL scheme explicitly and
/// reporting connection errors plainly. SQLite connections get WAL, the configured
/// `synchronous` level, page cache and memory map, foreign keys, a busy timeout and
/// `secure_delete` (deleted content is overwritten with zeros).
pub struct Manager {
    url: DatabaseUrl,
    storage: StorageSettings,
}

impl ManageConnection for Manager {
    type Connection = DbConnection;
    type Error = r2d2::Error;

    fn connect(&self) -> Result<DbConnection, r2d2::Error> {
        match &self.url {
            DatabaseUrl::Sqlite(path) => {
                let path = path.to_string_lossy();
                let mut c = SqliteConnection::establish(&path).map_err(r2d2::Error::ConnectionError)?;
                let s = &self.storage;
                c.batch_execute(&format!(
                    // The busy timeout first: switching a new file to WAL needs a moment's
                    // exclusive lock, which connections opened at the same time must wait for.
                    "PRAGMA busy_timeout = 15000; PRAGMA journal_mode = WAL; PRAGMA synchronous = {}; \
                     PRAGMA foreign_keys = ON; \
                     PRAGMA cache_size = -{}; PRAGMA mmap_size = {}; PRAGMA temp_store = MEMORY; \
                     PRAGMA wal_autocheckpoint = 0; PRAGMA secure_delete = ON;",
                    s.synchronous.pragma(),
                    s.cache_kib,
                    s.mmap_bytes,
                ))
                .map_err(r2d2::Error::QueryError)?;
                Ok(DbConnection::Sqlite(c))
            }
            DatabaseUrl::Postgres(url) => PgConnection::establish(url)
                .map(DbConnection::Postgresql)
                .map_err(r2d2::Error::ConnectionError),
        }
    }

    fn is_valid(&self, conn: &mut DbConnection) -> Result<(), r2d2::Error> {
        conn.batch_execute("SELECT 1").map_err(r2d2::Error::QueryError)
    }

    fn has_broken(&self, conn: &mut DbConnection) -> bool {
        match conn {
            DbConnection::Postgresql(c) => c.is_broken(),
            DbConnection::Sqlite(c) => c.is_broken(),
        }
    }
}

/// Reports a failed connection attempt of the pool at WARN: an unreachable database is an outage
/// to watch (requests answer 503), not an internal error of the service.
#[derive(Debug)]
struct WarnOnConnectFailure;

impl r2d2::HandleError<r2d2::Error> for WarnOnConnectFailure {
    fn handle_error(&self, error: r2d2::Error) {
        tracing::warn!(error = %error, "cannot open a database connection");
    }
}

/// How long a request waits for a pooled connection unless configured otherwise.
pub const DEFAULT_ACQUIRE_TIMEOUT: Duration = Duration::from_secs(2);

pub type Pool = r2d2::Pool<Manager>;
pub type PooledConn = r2d2::PooledConnection<Manager>;

/// How [`Db::connect_with`] opens the database.
#[derive(Debug, Clone)]
pub struct DbOptions {
    /// Pooled connections: on SQLite the reading connections (one more connection writes), on
    /// PostgreSQL all of them.
    pub pool_size: u32,
    /// Longest wait for a pooled connection, or on SQLite for the writer's turn.
    pub acquire_timeout: Duration,
    /// SQLite durability, cache, memory map and group-commit batch size.
    pub storage: StorageSettings,
}

impl DbOptions {
    pub fn new(pool_size: u32) -> Self {
        DbOptions { pool_size, acquire_timeout: DEFAULT_ACQUIRE_TIMEOUT, storage: StorageSettings::default() }
    }

    /// What the configuration asks for (pool size, acquire timeout, SQLite settings).
    pub fn from_config(config: &crate::config::Config) -> Self {
        DbOptions {
            pool_size: config.pool_size,
            acquire_timeout: config.server.db_acquire_timeout,
            storage: config.storage.clone(),
        }
    }
}

#[derive(Clone)]
pub struct Db {
    pool: Pool,
    /// SQLite allows one writer at a time: the writer thread holds this gate while a batch is
    /// open, and so does anything else in this process that writes the file (the WAL truncation
    /// after an erasure). PostgreSQL needs none.
    write_gate: Option<Arc<Mutex<()>>>,
    /// SQLite: the group-commit writer every [`Db::write`] goes through.
    writer: Option<writer::Writer>,
}

impl Db {
    /// Opens the pool and checks that the database answers, with a plain error if not. A request
    /// waits at most [`DEFAULT_ACQUIRE_TIMEOUT`] for a connection.
    pub fn connect(url: &DatabaseUrl, pool_size: u32) -> anyhow::Result<Self> {
        Self::connect_with(url, &DbOptions::new(pool_size))
    }

    /// As [`Db::connect`], waiting at most `acquire_timeout` for a pooled connection: while the
    /// database is down or the pool is exhausted, requests answer 503 after this time instead of
    /// hanging. On PostgreSQL a connection is checked (`SELECT 1`) when taken from the pool, so
    /// connections a database restart closed are replaced instead of failing one request each.
    pub fn connect_with(url: &DatabaseUrl, options: &DbOptions) -> anyhow::Result<Self> {
        let (pool_size, acquire_timeout) = (options.pool_size, options.acquire_timeout);
        if let DatabaseUrl::Sqlite(path) = url {
            if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir)
                    .with_context(|| format!("cannot create the directory for {}", path.display()))?;
            }
        }
        let manager = Manager { url: url.clone(), storage: options.storage.clone() };
        // Fail fast with the real cause instead of r2d2's generic time-out.
        let mut probe = manager
            .connect()
            .with_context(|| format!("cannot connect to the database at {}", url.redacted()))?;
        drop(probe.batch_execute("SELECT 1"));
        drop(probe);
        let pool = r2d2::Pool::builder()
            .max_size(if url.is_sqlite() { pool_size.max(2) } else { pool_size })
            .connection_timeout(acquire_timeout)
            .test_on_check_out(!url.is_sqlite())
            .error_handler(Box::new(WarnOnConnectFailure))
            // The probe above proved the database answers; the pool fills in the background, so a
            // short acquire timeout cannot fail a start-up on a slow or busy database.
            .build_unchecked(manager);
        let (write_gate, writer) = match url {
            DatabaseUrl::Sqlite(path) => {
                let gate = sqlite_write_gate(path);
                let writer_manager = Manager { url: url.clone(), storage: options.storage.clone() };
                let writer = writer::Writer::start(
                    writer_manager,
                    gate.clone(),
                    options.storage.max_batch,
                    acquire_timeout,
                )
                .with_context(|| format!("cannot open the database writer for {}", url.redacted()))?;
                (Some(gate), Some(writer))
            }
            DatabaseUrl::Postgres(_) => (None, None),
        };
        Ok(Db { pool, write_gate, writer })
    }

    pub fn is_sqlite(&self) -> bool {
        self.write_gate.is_some()
    }

    /// SQLite only: checkpoints the WAL in the background (PASSIVE: never blocks readers or
    /// writers) instead of letting a committing request pay for the checkpoint and its fsync.
    /// Connections run with `wal_autocheckpoint = 0`; this task keeps the WAL short.
    pub fn spawn_wal_checkpointer(&self, every: Duration) {
        if !self.is_sqlite() {
            return;
        }
        let pool = self.pool.clone();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(every);
            loop {
                tick.tick().await;
                let pool = pool.clone();
                let res = tokio::task::spawn_blocking(move || -> anyhow::Result<()> {
                    let mut c = pool.get()?;
                    c.batch_execute("PRAGMA wal_checkpoint(PASSIVE);")?;
                    Ok(())
                })
                .await;
                if let Ok(Err(e)) = res {
                    tracing::warn!(error = %format!("{e:#}"), "WAL checkpoint failed");
                }
            }
        });
    }

    /// SQLite only: copies the WAL into the database file and truncates the WAL to zero bytes,
    /// so that values a retention run erased (and that `secure_delete` zeroed in the file) do
    /// not survive in older WAL frames. Holds the write gate; a reader that stays longer than the
    /// busy timeout makes it incomplete (`Ok(false)`). PostgreSQL: nothing to do here (dead
    /// tuples stay until VACUUM; see docs/reliability.md).
    pub async fn checkpoint_truncate(&self) -> AppResult<bool> {
        let Some(gate) = self.write_gate.clone() else { return Ok(true) };
        let pool = self.pool.clone();
        tokio::task::spawn_blocking(move || -> AppResult<bool> {
            use diesel::sql_types::Integer;
            #[derive(diesel::QueryableByName)]
            struct Checkpoint {
                #[diesel(sql_type = Integer)]
                busy: i32,
            }
            let mut conn = pool.get()?;
            let _guard = gate.lock().unwrap_or_else(|p| p.into_inner());
            let DbConnection::Sqlite(c) = &mut *conn else { return Ok(true) };
            // The background PASSIVE checkpointer may hold the checkpoint lock for a moment
            // (SQLite then answers busy at once, without waiting): try a few times.
            for _ in 0..20 {
                let rows: Vec<Checkpoint> = diesel::sql_query("PRAGMA wal_checkpoint(TRUNCATE)").load(c)?;
                if rows.first().is_none_or(|r| r.busy == 0) {
                    return Ok(true);
                }
                std::thread::sleep(std::time::Duration::from_millis(50));
            }
            Ok(false)
        })
        .await
        .map_err(|e| AppError::internal(anyhow::anyhow!("database task failed: {e}")))?
    }

    /// Applies pending migrations of the backend in use. On PostgreSQL an advisory lock makes
    /// concurrent start-ups of several instances safe.
    pub fn migrate(&self) -> anyhow::Result<()> {
        let mut conn = self.pool.get().context("no database connection for migrations")?;
        match &mut *conn {
            DbConnection::Sqlite(c) => {
                c.run_pending_migrations(SQLITE_MIGRATIONS)
                    .map_err(|e| anyhow::anyhow!("migration failed: {e}"))?;
            }
            DbConnection::Postgresql(c) => {
                diesel::sql_query("SELECT pg_advisory_lock(7316001)").execute(c)?;
                let res = c.run_pending_migrations(POSTGRES_MIGRATIONS).map(|_| ());
                diesel::sql_query("SELECT pg_advisory_unlock(7316001)").execute(c)?;
                res.map_err(|e| anyhow::anyhow!("migration failed: {e}"))?;
            }
        }
        Ok(())
    }

    /// What an acknowledged commit survives, read from the database itself: on SQLite the
    /// `synchronous` level of the writer, on PostgreSQL `synchronous_commit` and `fsync`. The
    /// second value is false when a power cut could lose acknowledged commits.
    pub fn durability(&self) -> anyhow::Result<(String, bool)> {
        use diesel::sql_types::Text;
        #[derive(diesel::QueryableByName)]
        struct Setting {
            #[diesel(sql_type = Text)]
            value: String,
        }
        let mut conn = self.pool.get().context("no database connection")?;
        let mut show = |sql: &str| -> anyhow::Result<String> {
            let rows: Vec<Setting> = diesel::sql_query(sql).load(&mut *conn)?;
            Ok(rows.into_iter().next().map(|r| r.value).unwrap_or_default())
        };
        if self.is_sqlite() {
            let level = show("SELECT CAST(synchronous AS TEXT) AS value FROM pragma_synchronous")?;
            // 2 = FULL, 3 = EXTRA: the write-ahead log is fsynced at every commit.
            let durable = matches!(level.as_str(), "2" | "3");
            let name = if durable { "FULL" } else { "NORMAL" };
            return Ok((format!("sqlite synchronous={name}"), durable));
        }
        let commit = show("SELECT setting AS value FROM pg_settings WHERE name = 'synchronous_commit'")?;
        let fsync = show("SELECT setting AS value FROM pg_settings WHERE name = 'fsync'")?;
        let durable = commit != "off" && fsync == "on";
        Ok((format!("postgresql synchronous_commit={commit} fsync={fsync}"), durable))
    }

    /// Readiness: the database answers and no migration is pending.
    pub async fn ready(&self) -> AppResult<()> {
        self.read(|conn| {
            let pending = match conn {
                DbConnection::Sqlite(c) => c.has_pending_migration(SQLITE_MIGRATIONS),
                DbConnection::Postgresql(c) => c.has_pending_migration(POSTGRES_MIGRATIONS),
            };
            match pending {
                Ok(false) => Ok(()),
                Ok(true) => Err(AppError::Unavailable("database migrations are pending".into())),
                Err(e) => Err(AppError::Unavailable(format!("cannot read the migration state: {e}"))),
            }
        })
        .await
    }

    /// Runs read-only work on a pooled connection in the blocking thread pool.
    pub async fn read<T, F>(&self, f: F) -> AppResult<T>
    where
        F: FnOnce(&mut DbConnection) -> AppResult<T> + Send + 'static,
        T: Send + 'static,
    {
        let pool = self.pool.clone();
        tokio::task::spawn_blocking(move || {
            let mut conn = pool.get()?;
            f(&mut conn)
        })
        .await
        .map_err(|e| AppError::internal(anyhow::anyhow!("database task failed: {e}")))?
    }

    /// Runs a short read — a handful of rows found through an index, such as a public register
    /// look-up — on the calling thread when a SQLite connection is free at once: no hand-off to
    /// the blocking thread pool and back, which costs more than the query itself. When none is
    /// free, and always on PostgreSQL (whose answers travel over the network), as [`Db::read`].
    /// Never use it for lists, exports or anything that may take more than a millisecond: it
    /// holds an HTTP worker thread while it runs.
    pub async fn lookup<T, F>(&self, f: F) -> AppResult<T>
    where
        F: FnOnce(&mut DbConnection) -> AppResult<T> + Send + 'static,
        T: Send + 'static,
    {
        if self.is_sqlite() {
            if let Some(mut conn) = self.pool.try_get() {
                return f(&mut conn);
            }
        }
        self.read(f).await
    }

    /// Runs `f` in one transaction: everything it writes (the change, its audit rows, its outbox
    /// messages) commits together or not at all, and the answer comes after the commit. On SQLite
    /// `f` runs on the group-commit writer (see `db/writer.rs`): in a savepoint of a transaction
    /// shared with the other writes waiting at that moment, committed once for all of them.
    pub async fn write<T, F>(&self, f: F) -> AppResult<T>
    where
        F: FnOnce(&mut DbConnection) -> AppResult<T> + Send + 'static,
        T: Send + 'static,
    {
        if let Some(writer) = &self.writer {
            return writer.submit(f).await;
        }
        let pool = self.pool.clone();
        tokio::task::spawn_blocking(move || {
            let mut conn = pool.get()?;
            conn.transaction(|c| f(c))
        })
        .await
        .map_err(|e| AppError::internal(anyhow::anyhow!("database task failed: {e}")))?
    }

    /// Synchronous access for start-up tasks and the CLI.
    pub fn get(&self) -> AppResult<PooledConn> {
        Ok(self.pool.get()?)
    }
}

/// One write gate per SQLite file in this process, shared by every pool opened on it.
fn sqlite_write_gate(path: &std::path::Path) -> Arc<Mutex<()>> {
    static GATES: std::sync::OnceLock<Mutex<std::collections::HashMap<std::path::PathBuf, Arc<Mutex<()>>>>> =
        std::sync::OnceLock::new();
    let key = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let mut gates = GATES.get_or_init(Default::default).lock().unwrap_or_else(|p| p.into_inner());
    gates.entry(key).or_default().clone()
}

/// True when a diesel error is a unique-constraint violation (on either backend).
pub fn is_unique_violation(e: &diesel::result::Error) -> bool {
    matches!(e, diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, _))
}
