//! The unit of work: one database transaction together with what every use case needs to know
//! about it (when, who, for which municipalities, which request). It is the only way to record
//! an audit row ([`Tx::audit`]) and to queue a message ([`Tx::mail`]), and it records the domain
//! event of every audited state change itself (`Tx::audit`), so no use case can forget one.

use chrono::{NaiveDate, NaiveDateTime};

use crate::db::audit::{self, Actor, ActorKind};
use crate::db::events as db_events;
use crate::db::outbox::{self, NewEmail};
use crate::db::scope::Scope;
use crate::db::{Db, DbConnection};
use crate::domain::events;
use crate::domain::versions::IfMatch;
use crate::error::{AppError, AppResult};
use crate::letters::Letter;

/// Who is acting, when, and on which municipalities' rows: everything a use case takes from the
/// request besides its command. Built by the HTTP edge (`Caller::ctx`), by jobs
/// ([`Ctx::system`]) or by tests.
#[derive(Debug, Clone)]
pub struct Ctx {
    /// The moment of the request (UTC, naive).
    pub now: NaiveDateTime,
    /// The calendar day in the Netherlands at that moment: what legal terms count from.
    pub today: NaiveDate,
    /// Who acts (carries the request id for the audit trail).
    pub actor: Actor,
    /// Which municipalities' rows the actor may touch.
    pub scope: Scope,
    /// The version the caller expects the changed record to have (`If-Match`), if any.
    pub precondition: Option<Precondition>,
}

/// A client's `If-Match` on the record a route changes: the change applies only while that
/// record (`subject`, its id) still has one of the named versions. Checked by the use case
/// against the row it loaded, in its own transaction ([`Tx::check_version`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Precondition {
    pub subject: String,
    pub if_match: IfMatch,
}

impl Ctx {
    /// The system itself (jobs, start-up, the command line), unrestricted.
    pub fn system(now: NaiveDateTime, today: NaiveDate) -> Self {
        Ctx { now, today, actor: Actor::system(), scope: Scope::all(), precondition: None }
    }

    /// This context with the caller's precondition on the record the use case changes.
    pub fn expecting(mut self, precondition: Option<Precondition>) -> Self {
        self.precondition = precondition;
        self
    }

    /// An anonymous member of the public (the meldpunt, the public register): never identified
    /// further, and no municipality's records to read.
    pub fn anonymous(now: NaiveDateTime, today: NaiveDate, request_id: Option<String>) -> Self {
        Ctx {
            now,
            today,
            actor: Actor { kind: ActorKind::Anonymous, id: None, request_id },
            scope: Scope::only(Vec::new()),
            precondition: None,
        }
    }
}

/// One audited state change, as a use case describes it: `Audit::of(…)` with `.before(…)`,
/// `.after(…)` and `.reason(…)`. The time, the actor and the request id come from the unit of
/// work.
pub use crate::db::audit::Change as Audit;

/// A transaction in progress. Fields are public so that a use case can lend the connection to a
/// query function and read the scope in the same call (`store::find(tx.conn, &tx.scope, id)`).
pub struct Tx<'c> {
    pub conn: &'c mut DbConnection,
    pub now: NaiveDateTime,
    pub today: NaiveDate,
    pub actor: Actor,
    pub scope: Scope,
    /// The caller's `If-Match` (see [`Tx::check_version`]).
    pub precondition: Option<Precondition>,
}

impl<'c> Tx<'c> {
    pub fn new(conn: &'c mut DbConnection, ctx: Ctx) -> Self {
        Tx {
            conn,
            now: ctx.now,
            today: ctx.today,
            actor: ctx.actor,
            scope: ctx.scope,
            precondition: ctx.precondition,
        }
    }

    /// Checks the caller's `If-Match` against a row this use case loaded in this transaction:
    /// `what` (e.g. `"complaint"`) with id `id` at `version`. Without a precondition on that row
    /// it is `Ok(false)`; a version the precondition does not name is a 412
    /// ([`Tx::stale`]). `Ok(true)` means the caller named this version: the loader must then
    /// hold it until the commit (a conditional write on `version`, which takes the row lock on
    /// PostgreSQL), and answer [`Tx::stale`] when it cannot, so that two writers sending the same
    /// `If-Match` cannot both pass. Called by the loader every use case of the record uses.
    pub fn check_version(&self, what: &str, id: &str, version: i32) -> AppResult<bool> {
        let Some(p) = self.precondition.as_ref().filter(|p| p.subject == id) else { return Ok(false) };
        if p.if_match.admits(version) {
            Ok(p.if_match.names_versions())
        } else {
            Err(Self::stale(what))
        }
    }

    /// True when the caller sent an `If-Match` for the row `id`.
    pub fn expects(&self, id: &str) -> bool {
        self.precondition.as_ref().is_some_and(|p| p.subject == id)
    }

    /// The 412 of a record changed since the caller read it.
    pub fn stale(what: &str) -> AppError {
        AppError::PreconditionFailed(format!(
            "the {what} was changed since you read it (If-Match names a version it no longer has); \
             read it again and send its current ETag"
        ))
    }

    /// Records an audit row in this transaction: it commits with the change or not at all.
    /// When the change is a state change of a resource portals follow (an application, licence,
    /// complaint status, inspection, violation, sanction or objection), it also records the
    /// domain event of it (`domain::events::classify`: ids and states only), in the same
    /// transaction. A use case therefore never records an event itself.
    pub fn audit(&mut self, a: Audit<'_>) -> AppResult<()> {
        let event = a.municipality_code.and_then(|m| {
            events::classify(a.entity_type, a.entity_id, a.action, a.before.as_ref(), a.after.as_ref())
                .map(|spec| (m.to_string(), a.entity_id.to_string(), spec))
        });
        audit::record(self.conn, self.now, &self.actor, a)?;
        if let Some((municipality, subject_id, spec)) = event {
            db_events::insert(self.conn, self.now, &municipality, &subject_id, &spec)?;
        }
        Ok(())
    }

    /// Queues `letter` for `to` in the outbox of this transaction; the outbox worker sends it
    /// once the transaction has committed. Returns the outbox message id.
    pub fn mail(&mut self, municipality: Option<&str>, to: &str, letter: &Letter) -> AppResult<String> {
        outbox::enqueue(
            self.conn,
            self.now,
            NewEmail { municipality_code: municipality, to, subject: &letter.subject, body: &letter.body },
        )
    }
}

/// Runs a state-changing use case in one transaction (on SQLite behind the write gate).
pub async fn write<T, F>(db: &Db, ctx: Ctx, f: F) -> AppResult<T>
where
    F: FnOnce(&mut Tx<'_>) -> AppResult<T> + Send + 'static,
    T: Send + 'static,
{
    db.write(move |c| f(&mut Tx::new(c, ctx))).await
}

/// Runs a read-only use case on a pooled connection (no transaction is opened).
pub async fn read<T, F>(db: &Db, ctx: Ctx, f: F) -> AppResult<T>
where
    F: FnOnce(&mut Tx<'_>) -> AppResult<T> + Send + 'static,
    T: Send + 'static,
{
    db.read(move |c| f(&mut Tx::new(c, ctx))).await
}

/// Runs a short read-only use case (a few rows through an index, e.g. a public register look-up)
/// without the hand-off to the blocking thread pool when SQLite has a connection free at once
/// (see [`Db::lookup`]). Lists and anything slower use [`read`].
pub async fn lookup<T, F>(db: &Db, ctx: Ctx, f: F) -> AppResult<T>
where
    F: FnOnce(&mut Tx<'_>) -> AppResult<T> + Send + 'static,
    T: Send + 'static,
{
    db.lookup(move |c| f(&mut Tx::new(c, ctx))).await
}
