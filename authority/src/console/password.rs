//! Password hashing: Argon2id (RFC 9106) with the parameters OWASP recommends for a server
//! (19 MiB, 2 passes, 1 lane): about 0.1 s on a Raspberry Pi 4, so guessing offline from a
//! stolen database is slow, yet signing in is not. Hashes are PHC strings, so parameters can be
//! raised later and old hashes still verify.
//!
//! Hashing is CPU-bound: callers run it on a blocking thread, never on the authority's.
//!
//! The cost comes from `[console] hash_memory_kib` and `hash_passes` (`Cost::of`), so that a
//! test centre can sign in cheaply while production code runs the same path.
use argon2::password_hash::{self, PasswordHash, PasswordHasher, SaltString};
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

/// Argon2's working memory, kept from one password check to the next: the sign-in gate holds one
/// per hashing slot, so the memory of checking passwords is allocated once, `hash_concurrency`
/// times, and never grows with a flood (freshly allocated each time, 19 MiB blocks end up kept
/// by the allocator of every thread that ever hashed: hundreds of MiB under load).
#[derive(Default)]
pub struct Scratch(Vec<argon2::Block>);

impl Scratch {
    fn blocks(&mut self, n: usize) -> &mut [argon2::Block] {
        if self.0.len() < n {
            self.0.resize(n, argon2::Block::default());
        }
        &mut self.0[..n]
    }
}

/// Whether `password` matches `phc`. A malformed stored hash never matches.
pub fn verify(password: &str, phc: &str) -> bool {
    verify_in(password, phc, &mut Scratch::default())
}

/// `verify` in the working memory `scratch`.
pub fn verify_in(password: &str, phc: &str, scratch: &mut Scratch) -> bool {
    let Ok(h) = PasswordHash::new(phc) else { return false };
    // The parameters are the hash's own: a hash made at an older cost still verifies.
    let (Some(expected), Some(salt)) = (h.hash, h.salt) else { return false };
    let Ok(algorithm) = Algorithm::try_from(h.algorithm) else { return false };
    let version = match h.version.map(Version::try_from).transpose() {
        Ok(v) => v.unwrap_or_default(),
        Err(_) => return false,
    };
    let Ok(params) = Params::try_from(&h) else { return false };
    let mut salt_buf = [0u8; 64];
    let Ok(salt) = salt.decode_b64(&mut salt_buf) else { return false };
    let blocks = scratch.blocks(params.block_count());
    let mut out = vec![0u8; expected.len()];
    let argon = Argon2::new(algorithm, version, params);
    if argon.hash_password_into_with_memory(password.as_bytes(), salt, &mut out, blocks).is_err() {
        return false;
    }
    // `Output`'s equality is constant-time.
    password_hash::Output::new(&out).is_ok_and(|o| o == expected)
}

/// Spends the time of one verification on nothing: a sign-in with an unknown login takes as
/// long as one with a wrong password, so timing does not tell which logins exist. The dummy
/// hash is made once per cost, at the cost real accounts are hashed with.
pub fn verify_nothing(password: &str, cost: Cost, scratch: &mut Scratch) {
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
    let _ = verify_in(password, &phc, scratch);
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
    fn one_working_memory_serves_checks_of_any_cost_in_turn() {
        // Proves the gate's reused memory gives the library's answers, whatever cost came before.
        let mut scratch = Scratch::default();
        let big = hash("mật khẩu đủ dài", Cost { memory_kib: 64, passes: 2 }).unwrap();
        let small = hash("mật khẩu đủ dài", CHEAP).unwrap();
        for h in [&big, &small, &big] {
            assert!(verify_in("mật khẩu đủ dài", h, &mut scratch), "{h}");
            assert!(!verify_in("mat khau du dai", h, &mut scratch), "{h}");
        }
        verify_nothing("anything", CHEAP, &mut scratch);
        assert_eq!(scratch.0.len(), 64, "the memory of the largest cost, kept");
    }

    #[test]
    fn a_damaged_stored_hash_never_lets_anyone_in() {
        // Proves a corrupted accounts row fails closed.
        for bad in ["", "plain-text-password", "$argon2id$v=19$m=19456,t=2,p=1$short"] {
            assert!(!verify("plain-text-password", bad));
        }
    }
}
