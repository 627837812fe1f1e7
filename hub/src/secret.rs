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

/// `len` symbols of `alphabet`, each uniform (bytes past the alphabet's last whole multiple are
/// drawn again): booking codes and the one-time codes sent to phones.
pub fn random_of(alphabet: &[u8], len: usize) -> String {
    let n = alphabet.len();
    let limit = 256 - 256 % n;
    let mut out = String::with_capacity(len);
    while out.len() < len {
        let mut b = [0u8; 16];
        getrandom::fill(&mut b).expect("the OS random source");
        for x in b.iter().map(|x| *x as usize).filter(|x| *x < limit) {
            if out.len() < len {
                out.push(alphabet[x % n] as char);
            }
        }
    }
    out
}
