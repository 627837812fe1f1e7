//! The staff PIN of the kiosk's settings: what a PIN must be, its argon2 hash (made by
//! `kiosk hash-pin`, kept in `[kiosk] admin_pin_hash`), and the gate of the PIN pad, which
//! locks for a while after a few wrong tries.
//!
//! The configuration holds only the hash: a kiosk's SD card taken out of the box does not give
//! the PIN away, and argon2 makes guessing six digits offline cost real time.
use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Argon2, PasswordHash};
use std::time::{Duration, Instant};

/// Fewer digits are guessed too easily at a public screen.
pub const MIN_DIGITS: usize = 6;
pub const MAX_DIGITS: usize = 12;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WeakPin {
    #[error("a PIN is digits only (the PIN pad has no letters)")]
    NotDigits,
    #[error("a PIN needs at least {MIN_DIGITS} digits")]
    TooShort,
    #[error("a PIN has at most {MAX_DIGITS} digits")]
    TooLong,
    #[error("a PIN of one digit repeated is the first thing anyone tries")]
    Repeated,
    #[error("a run of consecutive digits (123456, 987654) is the second thing anyone tries")]
    Run,
}

#[derive(Debug, thiserror::Error)]
pub enum PinError {
    #[error(transparent)]
    Weak(#[from] WeakPin),
    #[error("hashing the PIN failed: {0}")]
    Hash(argon2::password_hash::Error),
}

/// Refuses PINs that are short or trivially guessed.
pub fn check_strength(pin: &str) -> Result<(), WeakPin> {
    if !pin.bytes().all(|b| b.is_ascii_digit()) {
        return Err(WeakPin::NotDigits);
    }
    if pin.len() < MIN_DIGITS {
        return Err(WeakPin::TooShort);
    }
    if pin.len() > MAX_DIGITS {
        return Err(WeakPin::TooLong);
    }
    let d: Vec<i16> = pin.bytes().map(|b| (b - b'0') as i16).collect();
    if d.iter().all(|&x| x == d[0]) {
        return Err(WeakPin::Repeated);
    }
    let steps: Vec<i16> = d.windows(2).map(|w| (w[1] - w[0] + 10) % 10).collect();
    if steps.iter().all(|&s| s == 1) || steps.iter().all(|&s| s == 9) {
        return Err(WeakPin::Run);
    }
    Ok(())
}

/// The argon2id PHC string of a PIN that passes `check_strength`, with a fresh random salt, at
/// argon2's default cost (19 MiB, 2 passes): what `kiosk hash-pin` makes.
pub fn hash(pin: &str) -> Result<String, PinError> {
    hash_at(pin, argon2::Params::DEFAULT_M_COST, argon2::Params::DEFAULT_T_COST)
}

/// The same at a chosen cost (`memory_kib` ≥ 8, `passes` ≥ 1): a test hashes at the lowest so
/// that a PIN check costs microseconds. Verifying follows the cost stored in the hash.
pub fn hash_at(pin: &str, memory_kib: u32, passes: u32) -> Result<String, PinError> {
    check_strength(pin)?;
    let salt = SaltString::generate(&mut OsRng);
    let params = argon2::Params::new(memory_kib, passes, argon2::Params::DEFAULT_P_COST, None).map_err(|e| PinError::Hash(e.into()))?;
    let argon2 = Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params);
    Ok(argon2.hash_password(pin.as_bytes(), &salt).map_err(PinError::Hash)?.to_string())
}

/// Whether `pin` matches the PHC string (which the configuration has already checked).
pub fn verify(phc: &str, pin: &str) -> bool {
    PasswordHash::new(phc).is_ok_and(|h| Argon2::default().verify_password(pin.as_bytes(), &h).is_ok())
}

/// What the PIN pad says after a try.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    Open,
    /// Wrong; this many tries remain before the lock.
    Wrong {
        left: u32,
    },
    /// Locked (by this try or earlier) for this much longer.
    Locked {
        remaining: Duration,
    },
    /// No PIN is configured: the settings cannot be opened from the screen.
    NotSet,
}

/// Counts wrong tries and locks the pad after `tries` of them in a row, for `lockout`.
#[derive(Debug)]
pub struct Gate {
    hash: Option<String>,
    tries: u32,
    lockout: Duration,
    wrong: u32,
    locked_until: Option<Instant>,
}

impl Gate {
    pub fn new(hash: Option<String>, tries: u32, lockout: Duration) -> Gate {
        Gate { hash, tries: tries.max(1), lockout, wrong: 0, locked_until: None }
    }

    pub fn is_set(&self) -> bool {
        self.hash.is_some()
    }

    /// How much longer the pad stays locked, if it is.
    pub fn locked(&mut self, now: Instant) -> Option<Duration> {
        match self.locked_until {
            Some(until) if now < until => Some(until - now),
            Some(_) => {
                self.locked_until = None;
                self.wrong = 0;
                None
            }
            None => None,
        }
    }

    /// Checks a PIN. While locked, nothing is checked (not even the right PIN): the lock is what
    /// makes trying all million PINs take years.
    pub fn try_pin(&mut self, pin: &str, now: Instant) -> Verdict {
        let Some(hash) = self.hash.clone() else { return Verdict::NotSet };
        if let Some(remaining) = self.locked(now) {
            return Verdict::Locked { remaining };
        }
        if verify(&hash, pin) {
            self.wrong = 0;
            return Verdict::Open;
        }
        self.wrong += 1;
        if self.wrong >= self.tries {
            tracing::warn!("the kiosk's settings PIN was wrong {} times: locked for {:?}", self.wrong, self.lockout);
            self.locked_until = Some(now + self.lockout);
            return Verdict::Locked { remaining: self.lockout };
        }
        Verdict::Wrong { left: self.tries - self.wrong }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weak_pins_are_refused_with_the_reason() {
        assert_eq!(check_strength("12345"), Err(WeakPin::TooShort));
        assert_eq!(check_strength("24681a"), Err(WeakPin::NotDigits));
        assert_eq!(check_strength("000000"), Err(WeakPin::Repeated));
        assert_eq!(check_strength("123456"), Err(WeakPin::Run));
        assert_eq!(check_strength("876543"), Err(WeakPin::Run));
        assert_eq!(check_strength("7890123"), Err(WeakPin::Run), "a run that wraps past 9");
        assert_eq!(check_strength("1234567890123"), Err(WeakPin::TooLong));
        assert_eq!(check_strength("246810"), Ok(()));
        assert!(matches!(hash("1234"), Err(PinError::Weak(WeakPin::TooShort))));
    }

    #[test]
    fn hash_pin_makes_a_hash_at_argon2s_default_cost() {
        // Proves `kiosk hash-pin` does not make a cheap hash: 19 MiB, 2 passes, 1 lane.
        let phc = hash("246810").unwrap();
        assert!(phc.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{phc}");
        assert!(verify(&phc, "246810"));
    }

    #[test]
    fn a_hash_verifies_its_pin_only_and_passes_the_configuration_check() {
        let phc = hash_at("246810", 8, 1).unwrap();
        assert!(phc.starts_with("$argon2id$v=19$m=8,t=1,p=1$"), "{phc}");
        assert_eq!(shared::config::pin_hash_problem(&phc), None);
        assert!(verify(&phc, "246810"));
        assert!(!verify(&phc, "246811"));
        assert_ne!(hash_at("246810", 8, 1).unwrap(), phc, "each hash has its own salt");
    }

    #[test]
    fn five_wrong_tries_lock_the_pad_and_even_the_right_pin_waits() {
        let mut g = Gate::new(Some(hash_at("246810", 8, 1).unwrap()), 5, Duration::from_secs(300));
        let t0 = Instant::now();
        for left in (1..5).rev() {
            assert_eq!(g.try_pin("111111", t0), Verdict::Wrong { left });
        }
        assert_eq!(g.try_pin("111111", t0), Verdict::Locked { remaining: Duration::from_secs(300) });
        let later = t0 + Duration::from_secs(60);
        assert_eq!(g.try_pin("246810", later), Verdict::Locked { remaining: Duration::from_secs(240) });
        // After the lockout the count starts again, and the right PIN opens.
        let after = t0 + Duration::from_secs(301);
        assert_eq!(g.try_pin("111111", after), Verdict::Wrong { left: 4 });
        assert_eq!(g.try_pin("246810", after), Verdict::Open);
        assert_eq!(g.try_pin("111111", after), Verdict::Wrong { left: 4 }, "a success resets the count");
    }

    #[test]
    fn the_demo_configurations_pin_is_the_one_the_readme_gives() {
        let path = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../assets/demo.toml"));
        let config = shared::config::Config::load(path).unwrap_or_else(|e| panic!("{e}"));
        let phc = config.kiosk.admin_pin_hash.expect("the demo sets a staff PIN");
        assert!(verify(&phc, "246810"));
    }

    #[test]
    fn without_a_configured_pin_nothing_opens() {
        let mut g = Gate::new(None, 5, Duration::from_secs(300));
        assert!(!g.is_set());
        assert_eq!(g.try_pin("246810", Instant::now()), Verdict::NotSet);
    }
}
