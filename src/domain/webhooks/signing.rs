//! Secrets and signatures of webhook deliveries (Standard Webhooks).
//!
//! A subscription's secret is never stored: it is HMAC-SHA256 of the server's webhook key
//! (configuration) over the subscription id and its secret version, so a copy of the database
//! alone cannot forge a delivery. It is shown to the owner once, as `whsec_` + base64.
//! A delivery carries `webhook-signature: v1,<base64 HMAC-SHA256(secret, "{id}.{timestamp}.{body}")>`.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use hmac::{Hmac, Mac};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

fn hmac(key: &[u8], parts: &[&[u8]]) -> [u8; 32] {
    // HMAC takes a key of any length, so `new_from_slice` cannot fail.
    let Ok(mut mac) = HmacSha256::new_from_slice(key) else { return [0; 32] };
    for p in parts {
        mac.update(p);
    }
    mac.finalize().into_bytes().into()
}

/// The signing secret (32 bytes) of subscription `id` at `version`, derived from the server key.
pub fn derive_secret(server_key: &[u8], id: &str, version: i32) -> [u8; 32] {
    hmac(server_key, &[b"webhook-secret\0", id.as_bytes(), b"\0", version.to_string().as_bytes()])
}

/// The secret as the owner sees it: `whsec_` + base64.
pub fn secret_text(secret: &[u8]) -> String {
    format!("whsec_{}", STANDARD.encode(secret))
}

/// The `webhook-signature` header value for message `id` sent at `timestamp` (Unix seconds).
pub fn signature(secret: &[u8], id: &str, timestamp: i64, body: &[u8]) -> String {
    let ts = timestamp.to_string();
    let mac = hmac(secret, &[id.as_bytes(), b".", ts.as_bytes(), b".", body]);
    format!("v1,{}", STANDARD.encode(mac))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn the_secret_depends_on_key_id_and_version_and_is_shown_as_whsec() {
        let a = derive_secret(b"key-one", "sub-1", 1);
        assert_eq!(a, derive_secret(b"key-one", "sub-1", 1));
        assert_ne!(a, derive_secret(b"key-two", "sub-1", 1));
        assert_ne!(a, derive_secret(b"key-one", "sub-2", 1));
        assert_ne!(a, derive_secret(b"key-one", "sub-1", 2));
        let text = secret_text(&a);
        assert!(text.starts_with("whsec_"));
        assert_eq!(STANDARD.decode(&text[6..]).unwrap(), a);
    }

    #[test]
    fn signature_matches_the_standard_webhooks_test_vector() {
        // The example of the Standard Webhooks specification.
        let secret = STANDARD.decode("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").unwrap();
        let sig = signature(&secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, br#"{"test": 2432232314}"#);
        assert_eq!(sig, "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }
}
