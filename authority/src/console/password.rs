//! Password hashing: Argon2id (RFC 9106) with the parameters OWASP recommends for a server
//! (19 MiB, 2 passes, 1 lane): about 0.1 s on a Raspberry Pi 4, so guessing offline from a
//! stolen database is slow, yet signing in is not. Hashes are PHC strings, so parameters can be
//! raised later and old hashes still verify.
//!
//! Hashing is CPU-bound: callers run it on a blocking thread, never on the authority's.
//!
//! The cost comes from `[console] hash_memory_kib` and `hash_passes` (`Cost::of`), so that a
//! test centre can sign in cheaply while production code runs the same path.
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use shared::config::ConsoleConfig;

#[derive(Debug, thiserror::Error)]
pub enum PasswordError {
    #[error("the system's random number source failed: {0}")]
    Random(String),
    #[error("hashing failed: {0}")]
    Hash(String),
}

/// The cost of a new hash; verifying follows the parameters stored in the hash itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cost {
    pub memory_kib: u32,
    pub passes: u32,
}

impl Cost {
    /// The configured cost (`[console]`, checked when the configuration loads).
    pub fn of(console: &ConsoleConfig) -> Cost {
        Cost { memory_kib: console.hash_memory_kib, passes: console.hash_passes }
    }
}

fn argon2(cost: Cost) -> Result<Argon2<'static>, PasswordError> {
    let params = Params::new(cost.memory_kib, cost.passes, 1, None).map_err(|e| PasswordError::Hash(e.to_string()))?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

/// Random bytes from the operating system.
pub fn random_bytes<const N: usize>() -> Result<[u8; N], PasswordError> {
    let mut b = [0u8; N];
    getrandom::fill(&mut b).map_err(|e| PasswordError::Random(e.to_string()))?;
    Ok(b)
}

/// A PHC string of `password` with a fresh random salt.
pub fn hash(password: &str, cost: Cost) -> Result<String, PasswordError> {
    let salt = SaltString::encode_b64(&random_bytes::<16>()?).map_err(|e| PasswordError::Hash(e.to_string()))?;
    argon2(cost)?.hash_password(password.as_bytes(), &salt).map(|h| h.to_string()).map_err(|e| PasswordError::Hash(e.to_string()))
}

/// Whether `password` matches `phc`. A malformed stored hash never matches.
pub fn verify(password: &str, phc: &str) -> bool {
    match PasswordHash::new(phc) {
        // The parameters are the hash's own: a hash made at an older cost still verifies.
        Ok(h) => Argon2::default().verify_password(password.as_bytes(), &h).is_ok(),
        Err(_) => false,
    }
}

/// Spends the time of one verification on nothing: a sign-in with an unknown login takes as
/// long as one with a wrong password, so timing does not tell which logins exist. The dummy
/// hash is made once per cost, at the cost real accounts are hashed with.
pub fn verify_nothing(password: &str, cost: Cost) {
    static DUMMY: std::sync::Mutex<Vec<(Cost, String)>> = std::sync::Mutex::new(Vec::new());
    let phc = {
        let mut known = DUMMY.lock().unwrap_or_else(|e| e.into_inner());
        match known.iter().find(|(c, _)| *c == cost) {
            Some((_, phc)) => phc.clone(),
            None => {
                let phc = hash("not a password of anyone", cost).unwrap_or_default();
                known.push((cost, phc.clone()));
                phc
            }
        }
    };
    let _ = verify(password, &phc);
}

#[cfg(test)]
mod tests {
    use super::*;

    const CHEAP: Cost = Cost { memory_kib: 8, passes: 1 };

    #[test]
    fn the_production_cost_is_owasps_argon2id_and_still_verifies() {
        // Proves a centre that sets nothing hashes at 19 MiB, 2 passes (not a test's cheap cost).
        let cost = Cost::of(&ConsoleConfig::default());
        assert_eq!(cost, Cost { memory_kib: 19 * 1024, passes: 2 });
        let h = hash("mật khẩu đủ dài", cost).unwrap();
        assert!(h.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{h}");
        assert!(verify("mật khẩu đủ dài", &h));
        assert!(!verify("mat khau du dai", &h));
    }

    #[test]
    fn a_hash_verifies_its_password_only() {
        let h = hash("mật khẩu đủ dài", CHEAP).unwrap();
        assert!(h.starts_with("$argon2id$v=19$m=8,t=1,p=1$"), "{h}");
        assert!(verify("mật khẩu đủ dài", &h));
        assert!(!verify("mat khau du dai", &h));
        assert!(!verify("", &h));
        // Two hashes of one password differ (salt), both verify.
        let h2 = hash("mật khẩu đủ dài", CHEAP).unwrap();
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
