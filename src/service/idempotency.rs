//! Idempotency-Key of the create routes an authenticated caller (a portal, a landlord, an
//! officer) may retry (IETF draft "The Idempotency-Key HTTP Header Field"; docs/idempotency.md).
//!
//! [`idempotent`] runs inside the unit of work of the create: it records the key (per caller,
//! hashed) before the use case runs, and the answer after it, in the same transaction as the
//! created record, so a crash cannot leave one without the other. A retry with the same key and
//! the same request gets the original answer and creates, audits and mails nothing; the same key
//! with another request is a 422 naming the header. On PostgreSQL a concurrent request with the
//! same key waits on the key's row until the first commits, and then gets its answer.

use chrono::NaiveDateTime;
use diesel::Connection;
use sha2::{Digest, Sha256};

use crate::db::idempotency_keys::{self as keys, IdempotencyKey};
use crate::db::is_unique_violation;
use crate::error::{AppError, AppResult};
use crate::service::Tx;

/// Where bad keys and misused keys are reported.
pub const HEADER_POINTER: &str = "#/header/Idempotency-Key";

/// Shortest and longest accepted key.
pub const KEY_MIN: usize = 8;
pub const KEY_MAX: usize = 128;

const KEY_HASH: &[u8] = b"huurtoezicht/idempotency-key/v1";
const FINGERPRINT: &[u8] = b"huurtoezicht/idempotency-fingerprint/v1";

/// The key without its optional double quotes (the draft's structured-field string), if it is
/// 8–128 characters of `A–Z a–z 0–9 - _ : .` (a UUID fits). The same syntax as the public
/// intake's.
pub fn key_syntax(raw: &str) -> Result<&str, String> {
    let raw = raw.trim();
    let key = raw.strip_prefix('"').and_then(|k| k.strip_suffix('"')).unwrap_or(raw);
    let allowed = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | ':' | '.');
    if key.len() < KEY_MIN || key.len() > KEY_MAX || !key.chars().all(allowed) {
        return Err(format!(
            "must be {KEY_MIN}–{KEY_MAX} characters of A–Z, a–z, 0–9, '-', '_', ':' and '.' (a UUID fits)"
        ));
    }
    Ok(key)
}

/// A caller's Idempotency-Key, checked and hashed (the key itself is never stored or printed).
#[derive(Clone, PartialEq, Eq)]
pub struct Key {
    hash: String,
}

impl std::fmt::Debug for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Key(…)")
    }
}

impl Key {
    pub fn parse(raw: &str) -> Result<Self, String> {
        let key = key_syntax(raw)?;
        Ok(Key { hash: hex::encode(digest(&[KEY_HASH, key.as_bytes()])) })
    }
}

/// The fingerprint of a request: SHA-256 over its parts (route, path parameters, body or the
/// uploaded file's hash), each length-prefixed so that no two different part lists hash alike.
pub fn fingerprint(parts: &[&[u8]]) -> String {
    let mut all: Vec<&[u8]> = Vec::with_capacity(parts.len() + 1);
    all.push(FINGERPRINT);
    all.extend_from_slice(parts);
    hex::encode(digest(&all))
}

/// SHA-256 over length-prefixed parts, so that no two different part lists hash alike (the
/// public intake's keys use it too).
pub(crate) fn digest(parts: &[&[u8]]) -> [u8; 32] {
    let mut h = Sha256::new();
    for p in parts {
        h.update((p.len() as u64).to_be_bytes());
        h.update(p);
    }
    h.finalize().into()
}

/// A keyed request: the key, the route it was sent to (method and path template, e.g.
/// `POST /v1/properties`), its fingerprint and how long the key is remembered.
#[derive(Debug, Clone)]
pub struct Keyed {
    pub key: Key,
    pub route: String,
    pub fingerprint: String,
    pub ttl: chrono::Duration,
}

/// An answer as the HTTP edge gives it: status and JSON body. The service layer keeps it as is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    pub status: u16,
    pub body: String,
}

/// The answer to a (possibly keyed) create, and whether it replays an earlier one.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub answer: Answer,
    pub replayed: bool,
}

/// Runs `create` (which returns the answer to give) once per caller and key. Without a key it
/// simply runs `create`. With a key:
/// - the caller used the key before (not expired) for the same route and request: the stored
///   answer, `replayed`; `create` does not run;
/// - the key was used for another route or request: 422 naming the header;
/// - otherwise the key is recorded, `create` runs and its answer is stored, all in `tx`. An
///   error of `create` rolls the whole transaction back, key included, so failures are not
///   remembered and a retry runs again.
pub fn idempotent<F>(tx: &mut Tx<'_>, keyed: Option<Keyed>, create: F) -> AppResult<Outcome>
where
    F: FnOnce(&mut Tx<'_>) -> AppResult<Answer>,
{
    let Some(keyed) = keyed else {
        return Ok(Outcome { answer: create(tx)?, replayed: false });
    };
    let actor_kind = tx.actor.kind.as_str();
    let actor_id = tx.actor.id.clone().unwrap_or_default();
    let id = (actor_kind, actor_id.as_str(), keyed.key.hash.as_str());
    // An expired key may be used again.
    keys::delete_expired_one(tx.conn, id, tx.now)?;
    if let Some(earlier) = keys::find(tx.conn, actor_kind, &actor_id, &keyed.key.hash, tx.now)? {
        return replay(earlier, &keyed);
    }
    let row = IdempotencyKey {
        actor_kind: actor_kind.to_string(),
        actor_id: actor_id.clone(),
        key_hash: keyed.key.hash.clone(),
        route: keyed.route.clone(),
        fingerprint: keyed.fingerprint.clone(),
        response_status: 0,
        response_body: String::new(),
        created_at: tx.now,
        expires_at: expiry(tx.now, keyed.ttl),
    };
    // The key first, in a savepoint: on PostgreSQL a concurrent request with the same key waits
    // here until the first commits, fails on the primary key before it wrote anything, and then
    // answers with the first one's answer.
    match tx.conn.transaction(|c| keys::insert(c, &row)) {
        Ok(_) => {}
        Err(e) if is_unique_violation(&e) => {
            return match keys::find(tx.conn, actor_kind, &actor_id, &keyed.key.hash, tx.now)? {
                Some(earlier) => replay(earlier, &keyed),
                None => Err(in_progress()),
            };
        }
        Err(e) => return Err(e.into()),
    }
    let answer = create(tx)?;
    let status = i32::from(answer.status);
    keys::set_response(tx.conn, id, status, &answer.body)?;
    Ok(Outcome { answer, replayed: false })
}

fn replay(earlier: IdempotencyKey, keyed: &Keyed) -> AppResult<Outcome> {
    if earlier.route != keyed.route || earlier.fingerprint != keyed.fingerprint {
        return Err(AppError::field(
            HEADER_POINTER,
            "was reused with a different request; use a new key for a new request",
        ));
    }
    // Status 0: the row of a request still being processed (not committed yet).
    let Ok(status @ 100..=599) = u16::try_from(earlier.response_status) else {
        return Err(in_progress());
    };
    Ok(Outcome { answer: Answer { status, body: earlier.response_body }, replayed: true })
}

fn in_progress() -> AppError {
    AppError::conflict("a request with this Idempotency-Key is still being processed; retry it in a moment")
}

fn expiry(now: NaiveDateTime, ttl: chrono::Duration) -> NaiveDateTime {
    now.checked_add_signed(ttl).unwrap_or(NaiveDateTime::MAX)
}

/// Forgets the keys that expired by `tx.now` (the periodic retention job); returns how many.
pub fn purge_expired(tx: &mut Tx<'_>) -> AppResult<usize> {
    keys::delete_expired(tx.conn, tx.now)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_checked_and_may_be_quoted() {
        assert!(Key::parse("8e03978e-40d5-43e8-bc93-6894a57f9324").is_ok());
        assert!(Key::parse("\"abc:def.ghi_1\"").is_ok());
        for bad in ["short", "has space in it", "ключ-ключ-ключ", &"x".repeat(129), "semi;colon;x", ""]
        {
            assert!(Key::parse(bad).is_err(), "{bad}");
        }
        let quoted = Key::parse("\"abcdefgh\"").unwrap();
        let plain = Key::parse("abcdefgh").unwrap();
        assert_eq!(quoted, plain);
        assert!(!plain.hash.contains("abcdefgh"));
        assert_ne!(plain, Key::parse("abcdefgi").unwrap());
    }

    #[test]
    fn the_fingerprint_depends_on_every_part_and_their_bounds() {
        assert_eq!(fingerprint(&[b"a", b"{}"]), fingerprint(&[b"a", b"{}"]));
        assert_ne!(fingerprint(&[b"a", b"{}"]), fingerprint(&[b"a", b"{ }"]));
        assert_ne!(fingerprint(&[b"ab", b"c"]), fingerprint(&[b"a", b"bc"]));
    }

    #[test]
    fn a_misused_key_is_refused_naming_the_header() {
        let keyed = Keyed {
            key: Key::parse("abcdefgh").unwrap(),
            route: "POST /v1/properties".into(),
            fingerprint: "f1".into(),
            ttl: chrono::Duration::hours(24),
        };
        let row = |route: &str, fingerprint: &str, status: i32| IdempotencyKey {
            actor_kind: "account".into(),
            actor_id: "a".into(),
            key_hash: keyed.key.hash.clone(),
            route: route.into(),
            fingerprint: fingerprint.into(),
            response_status: status,
            response_body: "{\"id\":\"x\"}".into(),
            created_at: NaiveDateTime::MIN,
            expires_at: NaiveDateTime::MAX,
        };
        let same = replay(row("POST /v1/properties", "f1", 201), &keyed).unwrap();
        assert!(same.replayed);
        assert_eq!(same.answer, Answer { status: 201, body: "{\"id\":\"x\"}".into() });
        for other in [row("POST /v1/properties", "f2", 201), row("POST /v1/objections", "f1", 201)] {
            match replay(other, &keyed) {
                Err(AppError::Validation(errs)) => assert_eq!(errs[0].pointer, HEADER_POINTER),
                e => panic!("{e:?}"),
            }
        }
        assert!(matches!(
            replay(row("POST /v1/properties", "f1", 0), &keyed),
            Err(AppError::Conflict { .. })
        ));
    }
}
