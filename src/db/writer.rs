//! Group commit for SQLite: one connection owns every write.
//!
//! Write requests queue to a dedicated thread. It takes every request waiting (up to
//! `HUURTOEZICHT_SQLITE_MAX_BATCH`), opens one transaction (`BEGIN IMMEDIATE`), runs each request
//! inside its own savepoint — a request that fails rolls back only its savepoint and gets its own
//! error — commits once, and only then answers every request of the batch. With
//! `synchronous=FULL` (the default) the commit returns after the write-ahead log is on the disk,
//! so nothing is acknowledged before it survives a power cut, and one fsync pays for the whole
//! batch. When the server is idle a batch is a single request: no waiting for company is added.
//!
//! What can go wrong and what the callers see:
//! - a request returns an error: its savepoint is rolled back, the others commit;
//! - a request returns a server error (500/503, e.g. a disk error in the middle of it): the batch
//!   is closed after it and committed (or not) as a whole; the requests not yet run go into the
//!   next batch, in a fresh transaction;
//! - a request panics: treated as a server error of that request;
//! - `BEGIN` or `COMMIT` fails: every request of the batch gets the error (503 when the database
//!   is locked or unreadable, 500 otherwise) — none was acknowledged, none is half-written;
//! - a request waited in the queue longer than the acquire timeout: it is answered 503 without
//!   being run, as a request that found no free pooled connection would be.

use std::collections::VecDeque;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::mpsc::{self, Receiver, Sender, TryRecvError};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use diesel::connection::{AnsiTransactionManager, TransactionManager};
use diesel::r2d2::ManageConnection;
use diesel::Connection;
use tokio::sync::oneshot;

use super::{DbConnection, Manager};
use crate::error::{is_connection_lost, AppError, AppResult};

/// A write request, type-erased so that requests of any result type share the queue.
trait Work: Send {
    /// Runs the request inside a savepoint of the open transaction; the answer waits for the
    /// commit.
    fn run(self: Box<Self>, conn: &mut DbConnection) -> Box<dyn Answer>;
    /// Answers without running (the request waited too long, or the transaction could not begin).
    fn refuse(self: Box<Self>, error: AppError);
}

/// The outcome of a request that ran, delivered once the batch's commit is known.
trait Answer: Send {
    /// True when the request failed with a server error (the batch is closed after it).
    fn is_server_error(&self) -> bool;
    fn deliver(self: Box<Self>, commit: Option<&Failure>);
}

/// Why a whole batch failed; turned into one `AppError` per request.
struct Failure {
    unavailable: bool,
    message: String,
}

impl Failure {
    fn of(what: &str, e: &diesel::result::Error) -> Self {
        Failure { unavailable: is_connection_lost(e), message: format!("{what}: {e}") }
    }

    fn error(&self) -> AppError {
        if self.unavailable {
            AppError::Unavailable(self.message.clone())
        } else {
            AppError::internal(anyhow::anyhow!("{}", self.message))
        }
    }
}

struct Pending<T, F> {
    f: F,
    reply: oneshot::Sender<AppResult<T>>,
}

impl<T, F> Work for Pending<T, F>
where
    F: FnOnce(&mut DbConnection) -> AppResult<T> + Send + 'static,
    T: Send + 'static,
{
    fn run(self: Box<Self>, conn: &mut DbConnection) -> Box<dyn Answer> {
        let Pending { f, reply } = *self;
        let result = conn.transaction(|c| {
            catch_unwind(AssertUnwindSafe(|| f(c)))
                .unwrap_or_else(|_| Err(AppError::internal(anyhow::anyhow!("a write request panicked"))))
        });
        Box::new(Ran { result, reply })
    }

    fn refuse(self: Box<Self>, error: AppError) {
        // The caller may have gone (request cancelled); nothing to tell then.
        drop(self.reply.send(Err(error)));
    }
}

struct Ran<T> {
    result: AppResult<T>,
    reply: oneshot::Sender<AppResult<T>>,
}

impl<T: Send + 'static> Answer for Ran<T> {
    fn is_server_error(&self) -> bool {
        matches!(self.result, Err(AppError::Internal(_) | AppError::Unavailable(_)))
    }

    fn deliver(self: Box<Self>, commit: Option<&Failure>) {
        let answer = match (self.result, commit) {
            (Err(own), _) => Err(own),
            (Ok(_), Some(failure)) => Err(failure.error()),
            (Ok(value), None) => Ok(value),
        };
        drop(self.reply.send(answer));
    }
}

struct Job {
    queued: Instant,
    work: Box<dyn Work>,
}

/// The handle through which requests reach the writer thread. Cloned with [`super::Db`]; the
/// thread ends when the last handle is dropped.
#[derive(Clone)]
pub(super) struct Writer {
    queue: Sender<Job>,
}

impl Writer {
    /// Opens the writer's connection (so that a database that cannot be written fails start-up
    /// plainly) and starts its thread.
    pub(super) fn start(
        manager: Manager,
        gate: Arc<Mutex<()>>,
        max_batch: usize,
        wait_limit: Duration,
    ) -> anyhow::Result<Self> {
        let conn = manager.connect()?;
        let (queue, jobs) = mpsc::channel();
        let thread = Thread { manager, conn: Some(conn), gate, max_batch: max_batch.max(1), wait_limit };
        std::thread::Builder::new().name("sqlite-writer".into()).spawn(move || thread.run(jobs))?;
        Ok(Writer { queue })
    }

    /// Queues `f` and waits until its batch has committed (or failed).
    pub(super) async fn submit<T, F>(&self, f: F) -> AppResult<T>
    where
        F: FnOnce(&mut DbConnection) -> AppResult<T> + Send + 'static,
        T: Send + 'static,
    {
        let (reply, answer) = oneshot::channel();
        self.queue
            .send(Job { queued: Instant::now(), work: Box::new(Pending { f, reply }) })
            .map_err(|_| AppError::Unavailable("the database writer has stopped".into()))?;
        answer
            .await
            .map_err(|_| AppError::internal(anyhow::anyhow!("the database writer dropped a request")))?
    }
}

struct Thread {
    manager: Manager,
    /// `None` after the connection broke; reopened for the next batch.
    conn: Option<DbConnection>,
    /// Shared with everything else in this process that writes the same file outside the writer
    /// (the WAL truncation after an erasure).
    gate: Arc<Mutex<()>>,
    max_batch: usize,
    wait_limit: Duration,
}

impl Thread {
    fn run(mut self, jobs: Receiver<Job>) {
        let mut waiting: VecDeque<Job> = VecDeque::new();
        loop {
            if waiting.is_empty() {
                match jobs.recv() {
                    Ok(job) => waiting.push_back(job),
                    Err(_) => return, // every handle dropped: the database is closed
                }
            }
            while waiting.len() < self.max_batch {
                match jobs.try_recv() {
                    Ok(job) => waiting.push_back(job),
                    Err(TryRecvError::Empty | TryRecvError::Disconnected) => break,
                }
            }
            let mut batch = Vec::with_capacity(waiting.len().min(self.max_batch));
            while batch.len() < self.max_batch {
                let Some(job) = waiting.pop_front() else { break };
                if job.queued.elapsed() > self.wait_limit {
                    job.work.refuse(AppError::Unavailable(
                        "the database is busy: the write waited too long for its turn".into(),
                    ));
                } else {
                    batch.push(job);
                }
            }
            if batch.is_empty() {
                continue;
            }
            let left = self.commit_batch(batch);
            // Requests not run because the batch closed early go first next time.
            for job in left.into_iter().rev() {
                waiting.push_front(job);
            }
        }
    }

    /// Runs and commits one batch; returns the requests it did not run.
    fn commit_batch(&mut self, batch: Vec<Job>) -> Vec<Job> {
        if self.conn.is_none() {
            match self.manager.connect() {
                Ok(conn) => self.conn = Some(conn),
                Err(e) => {
                    let failure =
                        Failure { unavailable: true, message: format!("cannot open the database: {e}") };
                    refuse_all(batch, &failure);
                    return Vec::new();
                }
            }
        }
        let Some(conn) = self.conn.as_mut() else { return batch };
        let _gate = self.gate.lock().unwrap_or_else(|p| p.into_inner());
        let begun = match conn {
            DbConnection::Sqlite(c) => AnsiTransactionManager::begin_transaction_sql(c, "BEGIN IMMEDIATE"),
            DbConnection::Postgresql(_) => {
                <DbConnection as Connection>::TransactionManager::begin_transaction(conn)
            }
        };
        if let Err(e) = begun {
            let failure = Failure::of("cannot begin a write transaction", &e);
            refuse_all(batch, &failure);
            if is_connection_lost(&e) || self.manager.has_broken(conn) {
                self.conn = None;
            }
            return Vec::new();
        }
        let mut answers = Vec::with_capacity(batch.len());
        let mut rest = batch.into_iter();
        for job in rest.by_ref() {
            let answer = job.work.run(conn);
            let stop = answer.is_server_error();
            answers.push(answer);
            if stop {
                break;
            }
        }
        let committed = <DbConnection as Connection>::TransactionManager::commit_transaction(conn);
        let failure = committed.as_ref().err().map(|e| Failure::of("the commit failed", e));
        if let Some(f) = &failure {
            tracing::error!(error = %f.message, requests = answers.len(), "a group commit failed");
            // The failed commit rolled back (or tried to); make sure no transaction stays open.
            let rolled_back = <DbConnection as Connection>::TransactionManager::rollback_transaction(conn);
            if rolled_back.is_err() && self.manager.has_broken(conn) {
                self.conn = None;
            }
        }
        for answer in answers {
            answer.deliver(failure.as_ref());
        }
        rest.collect()
    }
}

fn refuse_all(batch: Vec<Job>, failure: &Failure) {
    for job in batch {
        job.work.refuse(failure.error());
    }
}
