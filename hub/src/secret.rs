//! Secrets: bearer tokens and session cookies are compared and stored as SHA-256, never as
//! themselves; new session secrets come from the OS random source.
use base64::Engine;
use sha2::{Digest, Sha256};

pub fn sha256(s: &[u8]) -> Vec<u8> {
    Sha256::digest(s).to_vec()
}

/// Equal, in a time that does not depend on where two secrets first differ (hashes compared).
pub fn same(a: &[u8], b: &[u8]) -> bool {
    let (a, b) = (sha256(a), sha256(b));
    a.iter().zip(&b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// 32 random bytes, URL-safe base64 (a session cookie).
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).expect("the OS random source");
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// Hex of bytes (an ETag, a migration's checksum).
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
