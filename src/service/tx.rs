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
use crate::error::AppResult;
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
}

impl Ctx {
    /// The system itself (jobs, start-up, the command line), unrestricted.
    pub fn system(now: NaiveDateTime, today: NaiveDate) -> Self {
        Ctx { now, today, actor: Actor::system(), scope: Scope::all() }
    }

    /// An anonymous member of the public (the meldpunt, the public register): never identified
    /// further, and no municipality's records to read.
    pub fn anonymous(now: NaiveDateTime, today: NaiveDate, request_id: Option<String>) -> Self {
        Ctx {
            now,
            today,
            actor: Actor { kind: ActorKind::Anonymous, id: None, request_id },
            scope: Scope::only(Vec::new()),
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
}

impl<'c> Tx<'c> {
    pub fn new(conn: &'c mut DbConnection, ctx: Ctx) -> Self {
        Tx { conn, now: ctx.now, today: ctx.today, actor: ctx.actor, scope: ctx.scope }
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
