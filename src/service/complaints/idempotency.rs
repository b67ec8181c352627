//! The idempotent public intake (IETF draft "The Idempotency-Key HTTP Header Field"): a reporter
//! whose answer was lost retries with the same `Idempotency-Key` and the same body, and gets the
//! same complaint and tracking code back; nothing new is filed.
//!
//! Nothing stored identifies the reporter or reveals the code: the key is stored as a salted
//! hash (the installation's municipality code salts it), the request as a fingerprint keyed with
//! the key, and the tracking code sealed under the key (a one-time pad from SHA-256 of a random
//! salt and the key). Only a client that knows the key can open it; the database alone cannot.
//! Keys are forgotten after the retention window.

use chrono::NaiveDateTime;

use super::intake::{intake, Intake, Intaken, TrackingCode};
use crate::db::complaints::{self as store, Complaint};
use crate::db::intake_keys::{self as keys, IntakeKey};
use crate::db::is_unique_violation;
use crate::domain::complaints as rules;
use crate::error::{AppError, AppResult};
use crate::service::idempotency::digest;
use crate::service::Tx;

const KEY_HASH: &[u8] = b"huurtoezicht/intake-key/v1";
const FINGERPRINT: &[u8] = b"huurtoezicht/intake-fingerprint/v1";
const SEAL: &[u8] = b"huurtoezicht/intake-seal/v1";

/// Shortest and longest accepted key (the syntax of every Idempotency-Key).
pub use crate::service::idempotency::{KEY_MAX, KEY_MIN};

/// A reporter's Idempotency-Key, checked. Never printed.
#[derive(Clone)]
pub struct PublicKey {
    key: String,
    key_hash: String,
}

impl std::fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PublicKey(…)")
    }
}

impl PublicKey {
    /// 8–128 characters of `A–Z a–z 0–9 - _ : .` (a UUID fits), optionally in double quotes as
    /// the draft's structured-field string. `installation` salts the stored hash.
    pub fn parse(raw: &str, installation: &str) -> Result<Self, String> {
        let key = crate::service::idempotency::key_syntax(raw)?;
        let key_hash = hex::encode(digest(&[KEY_HASH, installation.as_bytes(), key.as_bytes()]));
        Ok(PublicKey { key: key.to_string(), key_hash })
    }

    /// The request's fingerprint: a retry must send the same body.
    pub fn fingerprint(&self, body: &[u8]) -> String {
        hex::encode(digest(&[FINGERPRINT, self.key.as_bytes(), body]))
    }

    fn pad(&self, salt: &[u8], len: usize) -> Vec<u8> {
        let mut out = Vec::with_capacity(len + 32);
        let mut block = 0u8;
        while out.len() < len {
            out.extend_from_slice(&digest(&[SEAL, salt, self.key.as_bytes(), &[block]]));
            block = block.wrapping_add(1);
        }
        out.truncate(len);
        out
    }

    fn seal(&self, code: &str) -> (String, String) {
        let salt: [u8; 16] = {
            use rand::RngCore;
            let mut b = [0u8; 16];
            rand::rngs::OsRng.fill_bytes(&mut b);
            b
        };
        let sealed: Vec<u8> = code.bytes().zip(self.pad(&salt, code.len())).map(|(c, p)| c ^ p).collect();
        (hex::encode(salt), hex::encode(sealed))
    }

    fn open(&self, salt_hex: &str, sealed_hex: &str) -> Option<String> {
        let salt = hex::decode(salt_hex).ok()?;
        let sealed = hex::decode(sealed_hex).ok()?;
        let plain: Vec<u8> = sealed.iter().zip(self.pad(&salt, sealed.len())).map(|(c, p)| c ^ p).collect();
        String::from_utf8(plain).ok()
    }
}

/// What the intake records with a keyed report. Made before the unit of work (randomness and
/// hashing stay out of the SQLite write gate).
#[derive(Debug, Clone)]
pub struct Keyed {
    key_hash: String,
    fingerprint: String,
    seal_salt: String,
    sealed_code: String,
    /// How long the key is remembered.
    pub retention: chrono::Duration,
}

impl Keyed {
    pub fn new(
        key: &PublicKey,
        fingerprint: String,
        code: &TrackingCode,
        retention: chrono::Duration,
    ) -> Self {
        let (seal_salt, sealed_code) = key.seal(code.reveal());
        Keyed { key_hash: key.key_hash.clone(), fingerprint, seal_salt, sealed_code, retention }
    }
}

/// The answer to a retry: the complaint filed earlier and its tracking code.
#[derive(Debug, Clone)]
pub struct Replayed {
    pub complaint: Complaint,
    pub tracking_code: String,
}

fn since(now: NaiveDateTime, retention: chrono::Duration) -> NaiveDateTime {
    now.checked_sub_signed(retention).unwrap_or(NaiveDateTime::MIN)
}

/// The earlier report filed with this key within the retention window, if any. A different body
/// under the same key is a 409.
pub fn find_earlier(
    tx: &mut Tx,
    key: &PublicKey,
    fingerprint: &str,
    retention: chrono::Duration,
) -> AppResult<Option<Replayed>> {
    let Some(row) = keys::find(tx.conn, &key.key_hash, since(tx.now, retention))? else { return Ok(None) };
    if row.fingerprint != fingerprint {
        return Err(AppError::conflict(
            "this Idempotency-Key was used for a different report; use a new key for a new report",
        ));
    }
    let complaint = store::find_unscoped(tx.conn, &row.complaint_id)?.ok_or_else(|| {
        AppError::conflict("the report filed with this Idempotency-Key no longer exists; use a new key")
    })?;
    let tracking_code = key
        .open(&row.seal_salt, &row.sealed_code)
        .filter(|code| rules::tracking_hash(code) == complaint.tracking_hash)
        .ok_or_else(|| AppError::internal(anyhow::anyhow!("a sealed tracking code does not open")))?;
    Ok(Some(Replayed { complaint, tracking_code }))
}

/// Files the report and records its key, in one transaction. `None` when a concurrent request
/// with the same key came first (the caller answers with that one through [`find_earlier`]).
pub fn intake_once(tx: &mut Tx, cmd: Intake, keyed: Keyed) -> AppResult<Option<Intaken>> {
    keys::delete_expired(tx.conn, since(tx.now, keyed.retention))?;
    let row = IntakeKey {
        key_hash: keyed.key_hash.clone(),
        complaint_id: String::new(),
        fingerprint: keyed.fingerprint,
        seal_salt: keyed.seal_salt,
        sealed_code: keyed.sealed_code,
        created_at: tx.now,
    };
    // The key first: a concurrent request with the same key waits here and then fails on the
    // primary key, before it wrote anything.
    if let Err(e) = keys::insert(tx.conn, &row) {
        if is_unique_violation(&e) {
            return Ok(None);
        }
        return Err(e.into());
    }
    let Some(filed) = intake(tx, cmd)? else {
        return Err(AppError::internal(anyhow::anyhow!("tracking code collision")));
    };
    keys::set_complaint(tx.conn, &keyed.key_hash, &filed.complaint.id)?;
    Ok(Some(filed))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_checked_and_may_be_quoted() {
        assert!(PublicKey::parse("8e03978e-40d5-43e8-bc93-6894a57f9324", "GM0599").is_ok());
        assert!(PublicKey::parse("\"abc:def.ghi_1\"", "GM0599").is_ok());
        for bad in ["short", "has space in it", "ключ-ключ-ключ", &"x".repeat(129), "semi;colon;x", ""]
        {
            assert!(PublicKey::parse(bad, "GM0599").is_err(), "{bad}");
        }
        let quoted = PublicKey::parse("\"abcdefgh\"", "GM0599").unwrap();
        let plain = PublicKey::parse("abcdefgh", "GM0599").unwrap();
        assert_eq!(quoted.key_hash, plain.key_hash);
        assert_ne!(plain.key_hash, PublicKey::parse("abcdefgh", "GM0363").unwrap().key_hash);
        assert!(!plain.key_hash.contains("abcdefgh"));
    }

    #[test]
    fn a_sealed_code_opens_only_with_its_key() {
        let key = PublicKey::parse("key-number-one", "GM0599").unwrap();
        let other = PublicKey::parse("key-number-two", "GM0599").unwrap();
        let code = "7Q2M-ABCD-EFGH-JKMN-PQRS-TVWX-YZ01-2345";
        let (salt, sealed) = key.seal(code);
        assert!(!sealed.contains(&hex::encode(code)));
        assert_eq!(key.open(&salt, &sealed).as_deref(), Some(code));
        assert_ne!(other.open(&salt, &sealed).as_deref(), Some(code));
        let (salt2, sealed2) = key.seal(code);
        assert_ne!((salt, sealed), (salt2, sealed2));
    }

    #[test]
    fn the_fingerprint_depends_on_key_and_body() {
        let a = PublicKey::parse("key-number-one", "GM0599").unwrap();
        let b = PublicKey::parse("key-number-two", "GM0599").unwrap();
        assert_eq!(a.fingerprint(b"{}"), a.fingerprint(b"{}"));
        assert_ne!(a.fingerprint(b"{}"), a.fingerprint(b"{ }"));
        assert_ne!(a.fingerprint(b"{}"), b.fingerprint(b"{}"));
    }
}
