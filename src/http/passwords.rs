//! Password hashing and checking (argon2id) on a small pool of dedicated threads.
//!
//! One argon2id run with the parameters we use (m=19 MiB, t=2, p=1) needs 19 MiB of working
//! memory. Run on the general blocking pool, every thread that ever hashed keeps that memory in its
//! own allocator arena, so memory grew with the number of threads that happened to serve a login.
//! Here a fixed number of long-lived threads (`HUURTOEZICHT_PASSWORD_HASH_THREADS`) each own one
//! working buffer, allocated on their first job and reused for every later one: hashing memory is
//! bounded by threads × 19 MiB, and a thread that has had no job for a while
//! (`HUURTOEZICHT_PASSWORD_HASH_IDLE_SECONDS`) gives its buffer back, so memory returns after a
//! burst of logins. Jobs wait in a bounded queue; when it is full the request answers 503 with
//! `Retry-After` instead of piling up.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use crossbeam_channel::{Receiver, RecvTimeoutError, Sender, TrySendError};

use argon2::password_hash::{rand_core::OsRng, Output, ParamsString, PasswordHash, Salt, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};

use crate::error::AppError;

/// Largest working memory a stored hash may ask for (in 1 KiB blocks): four times our own
/// parameter, so that a later raise of the cost still verifies, while a damaged or hostile stored
/// hash cannot make the server allocate without bound.
const MAX_BLOCKS: usize = 4 * Params::DEFAULT_M_COST as usize;

/// One thread's argon2 working memory, reused from job to job.
#[derive(Default)]
pub struct Hasher {
    blocks: Vec<Block>,
}

impl Hasher {
    /// Hashes a password with argon2id and a fresh random salt (the crate's default parameters:
    /// m=19 MiB, t=2, p=1, per OWASP's password storage guidance), as a PHC string.
    pub fn hash(&mut self, password: &str) -> Result<String, AppError> {
        let salt = SaltString::generate(&mut OsRng);
        let params = Params::default();
        let (algorithm, version) = (Algorithm::Argon2id, Version::V0x13);
        let failed = |e: String| AppError::internal(anyhow::anyhow!("password hashing failed: {e}"));
        let output = self.compute(algorithm, version, &params, password, salt.as_salt()).map_err(failed)?;
        let hash = PasswordHash {
            algorithm: algorithm.ident(),
            version: Some(version.into()),
            params: ParamsString::try_from(&params).map_err(|e| failed(e.to_string()))?,
            salt: Some(salt.as_salt()),
            hash: Some(output),
        };
        Ok(hash.to_string())
    }

    /// Whether `password` matches the stored PHC string `hash` (constant-time comparison). A
    /// malformed hash never matches.
    pub fn verify(&mut self, password: &str, hash: &str) -> bool {
        let Ok(parsed) = PasswordHash::new(hash) else { return false };
        let (Some(salt), Some(expected)) = (parsed.salt, parsed.hash) else { return false };
        let Ok(algorithm) = Algorithm::try_from(parsed.algorithm) else { return false };
        let version = match parsed.version.map(Version::try_from).transpose() {
            Ok(v) => v.unwrap_or_default(),
            Err(_) => return false,
        };
        let Ok(mut params) = Params::try_from(&parsed) else { return false };
        if params.output_len().is_none() {
            // The stored output fixes the length to compute.
            let Ok(p) = Params::new(params.m_cost(), params.t_cost(), params.p_cost(), Some(expected.len()))
            else {
                return false;
            };
            params = p;
        }
        self.compute(algorithm, version, &params, password, salt).is_ok_and(|out| out == expected)
    }

    fn compute(
        &mut self,
        algorithm: Algorithm,
        version: Version,
        params: &Params,
        password: &str,
        salt: Salt<'_>,
    ) -> Result<Output, String> {
        let mut salt_buf = [0u8; 64];
        let salt = salt.decode_b64(&mut salt_buf).map_err(|e| e.to_string())?;
        let blocks = params.block_count();
        if blocks > MAX_BLOCKS {
            return Err(format!("the hash asks for {blocks} KiB of memory, more than {MAX_BLOCKS}"));
        }
        if self.blocks.len() < blocks {
            self.blocks.resize(blocks, Block::default());
        }
        let argon2 = Argon2::new(algorithm, version, params.clone());
        let len = params.output_len().unwrap_or(Params::DEFAULT_OUTPUT_LEN);
        let memory = &mut self.blocks[..blocks];
        Output::init_with(len, |out| {
            argon2
                .hash_password_into_with_memory(password.as_bytes(), salt, out, &mut *memory)
                .map_err(|_| argon2::password_hash::Error::Crypto)
        })
        .map_err(|e| e.to_string())
    }

    /// A valid hash of a random password, made once per process, verified when the account does
    /// not exist so that a login attempt takes the same time whether or not the email is known.
    fn dummy_hash(&mut self) -> &'static str {
        static DUMMY: OnceLock<String> = OnceLock::new();
        DUMMY.get_or_init(|| self.hash(&uuid::Uuid::new_v4().to_string()).unwrap_or_default())
    }

    /// Bytes of working memory this hasher holds.
    fn held(&self) -> usize {
        self.blocks.capacity() * Block::SIZE
    }

    /// Gives the working memory back to the allocator (and so, for a block this large, to the
    /// operating system).
    fn release(&mut self) {
        self.blocks = Vec::new();
    }
}

enum Job {
    Hash {
        password: String,
        answer: tokio::sync::oneshot::Sender<Result<String, AppError>>,
    },
    /// `hash: None`: no such account; checked against the dummy hash.
    Verify {
        password: String,
        hash: Option<String>,
        answer: tokio::sync::oneshot::Sender<bool>,
    },
}

/// The hashing threads and their bounded queue. Cloning shares the pool; the threads stop when
/// the last clone is dropped.
#[derive(Clone)]
pub struct PasswordPool {
    jobs: Sender<Job>,
    /// Working memory the threads hold now, in bytes.
    held: Arc<AtomicUsize>,
}

impl PasswordPool {
    /// Starts `threads` hashing threads with room for `queue` waiting jobs; a thread without a job
    /// for `idle` gives its working memory back. With no threads every job answers 503 (used to
    /// prove that a path does not hash).
    pub fn start(threads: usize, queue: usize, idle: Duration) -> std::io::Result<Self> {
        let (jobs, receiver) = crossbeam_channel::bounded(queue);
        let held = Arc::new(AtomicUsize::new(0));
        for n in 0..threads {
            let (receiver, held) = (receiver.clone(), held.clone());
            std::thread::Builder::new()
                .name(format!("password-hash-{n}"))
                .spawn(move || run(&receiver, &held, idle))?;
        }
        Ok(Self { jobs, held })
    }

    /// The pool the configuration asks for (`HUURTOEZICHT_PASSWORD_HASH_*`).
    pub fn from_settings(s: &crate::config::resources::ResourceSettings) -> std::io::Result<Self> {
        Self::start(s.password_hash_threads, s.password_hash_queue, s.password_hash_idle)
    }

    /// Bytes of argon2 working memory the hashing threads hold at this moment (at most threads ×
    /// 19 MiB; 0 once they have been idle).
    pub fn memory_held(&self) -> usize {
        self.held.load(Ordering::Relaxed)
    }

    /// Hashes a password on the pool.
    pub async fn hash(&self, password: String) -> Result<String, AppError> {
        let (answer, result) = tokio::sync::oneshot::channel();
        self.submit(Job::Hash { password, answer })?;
        result.await.map_err(|_| stopped())?
    }

    /// Checks a password against a stored hash on the pool; without one (`None`: unknown account
    /// or client) against the dummy hash, so that the answer takes as long either way.
    pub async fn verify(&self, password: String, hash: Option<String>) -> Result<bool, AppError> {
        let (answer, result) = tokio::sync::oneshot::channel();
        self.submit(Job::Verify { password, hash, answer })?;
        result.await.map_err(|_| stopped())
    }

    fn submit(&self, job: Job) -> Result<(), AppError> {
        self.jobs.try_send(job).map_err(|e| match e {
            TrySendError::Full(_) => {
                tracing::warn!("password hashing queue full: answering 503");
                AppError::Unavailable("too many password checks at once; try again shortly".into())
            }
            TrySendError::Disconnected(_) => stopped(),
        })
    }
}

fn stopped() -> AppError {
    AppError::Unavailable("password hashing is not running".into())
}

/// One hashing thread: takes jobs until the pool is dropped, and gives its working memory back
/// after `idle` without one. A request whose client went away is still answered into the void;
/// the work is bounded by the queue.
fn run(receiver: &Receiver<Job>, held: &AtomicUsize, idle: Duration) {
    let mut hasher = Hasher::default();
    loop {
        let before = hasher.held();
        let job = match receiver.recv_timeout(idle) {
            Ok(job) => job,
            Err(RecvTimeoutError::Timeout) => {
                hasher.release();
                held.fetch_sub(before, Ordering::Relaxed);
                continue;
            }
            Err(RecvTimeoutError::Disconnected) => {
                held.fetch_sub(before, Ordering::Relaxed);
                return;
            }
        };
        match job {
            Job::Hash { password, answer } => {
                let _ = answer.send(hasher.hash(&password));
            }
            Job::Verify { password, hash, answer } => {
                let ok = match hash {
                    Some(hash) => hasher.verify(&password, &hash),
                    None => {
                        let dummy = hasher.dummy_hash();
                        hasher.verify(&password, dummy);
                        false
                    }
                };
                let _ = answer.send(ok);
            }
        }
        held.fetch_add(hasher.held() - before, Ordering::Relaxed);
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn hashes_verify_with_the_reused_memory_and_with_the_argon2_crate() {
        use argon2::password_hash::{PasswordHasher, PasswordVerifier};
        let mut h = Hasher::default();
        let ours = h.hash("correct horse battery staple").unwrap();
        assert!(ours.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{ours}");
        assert!(h.verify("correct horse battery staple", &ours));
        assert!(!h.verify("correct horse battery stapler", &ours));
        // Hashes made by the crate itself (as stored before this pool) verify here, and ours there.
        let salt = SaltString::generate(&mut OsRng);
        let theirs = Argon2::default().hash_password(b"lantaarn-fiets-kompas-82", &salt).unwrap().to_string();
        assert!(h.verify("lantaarn-fiets-kompas-82", &theirs));
        assert!(!h.verify("lantaarn-fiets-kompas-83", &theirs));
        let parsed = PasswordHash::new(&ours).unwrap();
        assert!(Argon2::default().verify_password(b"correct horse battery staple", &parsed).is_ok());
        assert!(!h.verify("x", "not a hash"));
        assert!(!h.verify("x", "$argon2id$v=19$m=4000000,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA"));
    }

    #[test]
    fn a_full_queue_answers_unavailable_and_so_does_a_pool_without_threads() {
        let rt = tokio::runtime::Builder::new_current_thread().build().unwrap();
        // A queue of one that nobody works off: the first job waits, the second is refused.
        let (jobs, _receiver) = crossbeam_channel::bounded(1);
        let busy = PasswordPool { jobs, held: Arc::default() };
        let (answer, _waiting) = tokio::sync::oneshot::channel();
        busy.submit(Job::Hash { password: "a".into(), answer }).unwrap();
        let err = rt.block_on(busy.verify("a".into(), None)).unwrap_err();
        assert!(matches!(err, AppError::Unavailable(_)), "{err:?}");
        let none = PasswordPool::start(0, 4, Duration::from_secs(30)).unwrap();
        let err = rt.block_on(none.hash("a".into())).unwrap_err();
        assert!(matches!(err, AppError::Unavailable(_)), "{err:?}");
    }

    #[test]
    fn the_pool_hashes_and_verifies() {
        let rt = tokio::runtime::Builder::new_current_thread().build().unwrap();
        let pool = PasswordPool::start(1, 4, Duration::from_millis(500)).unwrap();
        assert_eq!(pool.memory_held(), 0, "nothing is allocated before the first job");
        let hash = rt.block_on(pool.hash("lantaarn-fiets-kompas-82".into())).unwrap();
        assert!(rt.block_on(pool.verify("lantaarn-fiets-kompas-82".into(), Some(hash.clone()))).unwrap());
        assert!(!rt.block_on(pool.verify("lantaarn-fiets-kompas-83".into(), Some(hash))).unwrap());
        assert!(!rt.block_on(pool.verify("lantaarn-fiets-kompas-82".into(), None)).unwrap());
        // One thread, one 19 MiB buffer, reused by all five runs (the dummy hash included); it may
        // already have been given back if the machine paused between the jobs.
        let held = pool.memory_held();
        assert!(held == 0 || held == Params::DEFAULT_M_COST as usize * Block::SIZE, "{held}");
        // Idle, the thread gives it back.
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        while pool.memory_held() != 0 && std::time::Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(20));
        }
        assert_eq!(pool.memory_held(), 0);
    }
}
