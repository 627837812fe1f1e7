//! Password hashing: Argon2id (RFC 9106) with the parameters OWASP recommends for a server
//! (19 MiB, 2 passes, 1 lane): about 0.1 s on a Raspberry Pi 4, so guessing offline from a
//! stolen database is slow, yet signing in is not. Hashes are PHC strings, so parameters can be
//! raised later and old hashes still verify.
//!
//! Hashing is CPU-bound: callers run it on a blocking thread, never on the authority's.
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};

#[derive(Debug, thiserror::Error)]
pub enum PasswordError {
    #[error("the system's random number source failed: {0}")]
    Random(String),
    #[error("hashing failed: {0}")]
    Hash(String),
}

fn argon2() -> Argon2<'static> {
    let params = Params::new(19 * 1024, 2, 1, None).expect("valid Argon2 parameters");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Random bytes from the operating system.
pub fn random_bytes<const N: usize>() -> Result<[u8; N], PasswordError> {
    let mut b = [0u8; N];
    getrandom::fill(&mut b).map_err(|e| PasswordError::Random(e.to_string()))?;
    Ok(b)
}

/// A PHC string of `password` with a fresh random salt.
pub fn hash(password: &str) -> Result<String, PasswordError> {
    let salt = SaltString::encode_b64(&random_bytes::<16>()?).map_err(|e| PasswordError::Hash(e.to_string()))?;
    argon2().hash_password(password.as_bytes(), &salt).map(|h| h.to_string()).map_err(|e| PasswordError::Hash(e.to_string()))
}

/// Whether `password` matches `phc`. A malformed stored hash never matches.
pub fn verify(password: &str, phc: &str) -> bool {
    match PasswordHash::new(phc) {
        Ok(h) => argon2().verify_password(password.as_bytes(), &h).is_ok(),
        Err(_) => false,
    }
}

/// Spends the time of one verification on nothing: a sign-in with an unknown login takes as
/// long as one with a wrong password, so timing does not tell which logins exist.
pub fn verify_nothing(password: &str) {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let phc = DUMMY.get_or_init(|| hash("not a password of anyone").unwrap_or_default());
    let _ = verify(password, phc);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_verifies_its_password_only() {
        let h = hash("mật khẩu đủ dài").unwrap();
        assert!(h.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{h}");
        assert!(verify("mật khẩu đủ dài", &h));
        assert!(!verify("mat khau du dai", &h));
        assert!(!verify("", &h));
        // Two hashes of one password differ (salt), both verify.
        let h2 = hash("mật khẩu đủ dài").unwrap();
        assert_ne!(h, h2);
        assert!(verify("mật khẩu đủ dài", &h2));
    }

    #[test]
    fn a_damaged_stored_hash_never_lets_anyone_in() {
        // Proves a corrupted accounts row fails closed.
        for bad in ["", "plain-text-password", "$argon2id$v=19$m=19456,t=2,p=1$short"] {
            assert!(!verify("plain-text-password", bad));
        }
    }
}
