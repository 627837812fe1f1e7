//! Console sessions: a random secret in an `HttpOnly; SameSite=Strict` cookie, its SHA-256 in
//! the store, an anti-forgery token the page sends back in a header, an idle timeout kept in
//! memory and an absolute one in the store.
use super::password::{random_bytes, PasswordError};
use axum::http::{header, HeaderMap, HeaderValue};
use base64::Engine as _;
use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};
use shared::config::ConsoleConfig;
use std::collections::{HashMap, VecDeque};
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub const COOKIE: &str = "mc_session";
/// The header that carries the anti-forgery token.
pub const CSRF_HEADER: &str = "x-csrf-token";
/// Marks a read a page makes by itself (an event arrived, a periodic check): it is checked like
/// any other but does not count as someone using the console.
pub const BACKGROUND_HEADER: &str = "x-console-background";

/// Sign-in attempts one client address may make per minute before it is slowed down (on top of
/// the per-account lockout, which alone would let one address try every account in turn).
const ATTEMPTS_PER_MINUTE: usize = 20;

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// A new cookie secret and the hash the store keeps of it.
pub fn new_secret() -> Result<(String, String), PasswordError> {
    let token = b64(&random_bytes::<32>()?);
    let hash = id_hash(&token);
    Ok((token, hash))
}

/// A new anti-forgery token.
pub fn new_csrf() -> Result<String, PasswordError> {
    Ok(b64(&random_bytes::<24>()?))
}

pub fn id_hash(token: &str) -> String {
    Sha256::digest(token.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

/// The session cookie's value, if the request carries one.
pub fn cookie(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == COOKIE)
        .map(|(_, v)| v.trim().to_owned())
        .filter(|v| !v.is_empty() && v.len() <= 64)
}

pub fn set_cookie(token: &str, secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!("{COOKIE}={token}; HttpOnly; SameSite=Strict; Path=/{secure}")).expect("cookie text is ASCII")
}

pub fn clear_cookie(secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!("{COOKIE}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0{secure}")).expect("ASCII")
}

/// What the console keeps in memory: when each session was last used, and recent sign-in
/// attempts per client address.
pub struct Console {
    pub config: ConsoleConfig,
    /// Bounds the password hashing of sign-ins (and of new passwords).
    pub gate: super::gate::HashGate,
    /// Wrong sign-ins per unknown login, so that one "locks" like an account does.
    unknown: Mutex<HashMap<String, Strikes>>,
    last_seen: Mutex<HashMap<String, DateTime<Utc>>>,
    attempts: Mutex<HashMap<IpAddr, VecDeque<Instant>>>,
}

/// Wrong sign-ins in a row with a login that does not exist, as an account row keeps them.
struct Strikes {
    failed: u32,
    locked_until: Option<DateTime<Utc>>,
    last: DateTime<Utc>,
}

/// Whether a session may go on, by the clock.
#[derive(Debug, PartialEq, Eq)]
pub enum Freshness {
    Fresh,
    /// Past its absolute end or idle for too long: end it.
    Expired,
}

impl Console {
    pub fn new(config: ConsoleConfig) -> Console {
        Console {
            gate: super::gate::HashGate::new(&config),
            config,
            unknown: Mutex::new(HashMap::new()),
            last_seen: Mutex::new(HashMap::new()),
            attempts: Mutex::new(HashMap::new()),
        }
    }

    pub fn idle(&self) -> chrono::Duration {
        chrono::Duration::minutes(self.config.idle_min as i64)
    }

    pub fn lifetime(&self) -> chrono::Duration {
        chrono::Duration::hours(self.config.session_hours as i64)
    }

    /// Checks a stored session at `now` and, when it may go on, marks it used. A session the
    /// process has not seen since it started counts as used now (a restart does not sign
    /// everybody out, nor keep an idle session forever).
    pub fn touch(&self, id_hash: &str, expires: DateTime<Utc>, now: DateTime<Utc>) -> Freshness {
        self.check(id_hash, expires, now, true)
    }

    /// Like `touch`, but a fresh session is not marked used (a page's own background read).
    pub fn peek(&self, id_hash: &str, expires: DateTime<Utc>, now: DateTime<Utc>) -> Freshness {
        self.check(id_hash, expires, now, false)
    }

    fn check(&self, id_hash: &str, expires: DateTime<Utc>, now: DateTime<Utc>, used: bool) -> Freshness {
        let mut seen = self.last_seen.lock().unwrap_or_else(|p| p.into_inner());
        let last = *seen.get(id_hash).unwrap_or(&now);
        if now >= expires || now - last > self.idle() {
            seen.remove(id_hash);
            return Freshness::Expired;
        }
        if !used && seen.contains_key(id_hash) {
            return Freshness::Fresh;
        }
        seen.insert(id_hash.to_owned(), if used { now } else { last });
        // Forget sessions idle for long (they will be refused anyway): the map stays small.
        if seen.len() > 1024 {
            let idle = self.idle();
            seen.retain(|_, t| now - *t <= idle);
        }
        Freshness::Fresh
    }

    /// Whether the unknown `login` is "locked" at `now`, and until when.
    pub fn unknown_locked(&self, login: &str, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let all = self.unknown.lock().unwrap_or_else(|p| p.into_inner());
        all.get(login).and_then(|s| s.locked_until).filter(|u| *u > now)
    }

    /// Counts a wrong sign-in with the unknown `login` exactly as `accounts::sign_in` counts one
    /// of an account: after `lockout_after` in a row it is "locked" for `lockout_min`. Answers
    /// the end of the lock it just started, if any.
    pub fn unknown_failed(&self, login: &str, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let mut all = self.unknown.lock().unwrap_or_else(|p| p.into_inner());
        if all.len() >= 4096 && !all.contains_key(login) {
            // Bounded memory: forget logins neither locked nor tried lately.
            all.retain(|_, s| s.locked_until.is_some_and(|u| u > now) || now - s.last < chrono::Duration::minutes(15));
            if all.len() >= 4096 {
                return None;
            }
        }
        let s = all.entry(login.to_owned()).or_insert(Strikes { failed: 0, locked_until: None, last: now });
        s.failed += 1;
        s.last = now;
        if s.failed >= self.config.lockout_after {
            s.failed = 0;
            s.locked_until = Some(now + chrono::Duration::minutes(self.config.lockout_min as i64));
        }
        s.locked_until.filter(|u| *u > now)
    }

    pub fn forget(&self, id_hash: &str) {
        self.last_seen.lock().unwrap_or_else(|p| p.into_inner()).remove(id_hash);
    }

    /// Counts a sign-in attempt from `ip`; false when it has made too many in the last minute.
    pub fn attempt(&self, ip: IpAddr, now: Instant) -> bool {
        let mut all = self.attempts.lock().unwrap_or_else(|p| p.into_inner());
        let minute = Duration::from_secs(60);
        let q = all.entry(ip).or_default();
        while q.front().is_some_and(|t| now.duration_since(*t) >= minute) {
            q.pop_front();
        }
        if q.len() >= ATTEMPTS_PER_MINUTE {
            return false;
        }
        q.push_back(now);
        if all.len() > 4096 {
            all.retain(|_, q| q.back().is_some_and(|t| now.duration_since(*t) < minute));
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(min: i64) -> DateTime<Utc> {
        DateTime::<Utc>::from_timestamp(1_800_000_000, 0).unwrap() + chrono::Duration::minutes(min)
    }

    #[test]
    fn a_session_ends_when_idle_too_long_or_past_its_end() {
        let c = Console::new(ConsoleConfig::default()); // 30 min idle
        let end = t(600);
        assert_eq!(c.touch("s", end, t(0)), Freshness::Fresh);
        assert_eq!(c.touch("s", end, t(29)), Freshness::Fresh, "used within the idle time");
        assert_eq!(c.touch("s", end, t(58)), Freshness::Fresh);
        assert_eq!(c.touch("s", end, t(89)), Freshness::Expired, "31 minutes without a request");
        assert_eq!(c.touch("s2", end, t(590)), Freshness::Fresh);
        assert_eq!(c.touch("s2", end, t(600)), Freshness::Expired, "the absolute end");
    }

    #[test]
    fn background_reads_do_not_keep_an_idle_session_alive() {
        // Proves a counter page left open (refetching on every event) still signs out.
        let c = Console::new(ConsoleConfig::default());
        let end = t(600);
        assert_eq!(c.touch("s", end, t(0)), Freshness::Fresh);
        for m in 1..=30 {
            assert_eq!(c.peek("s", end, t(m)), Freshness::Fresh, "minute {m}");
        }
        assert_eq!(c.peek("s", end, t(31)), Freshness::Expired);
    }

    #[test]
    fn the_cookie_is_found_among_others_and_hashed_for_the_store() {
        let mut h = HeaderMap::new();
        h.insert(header::COOKIE, HeaderValue::from_static("a=1; mc_session=abc123 ; b=2"));
        assert_eq!(cookie(&h).as_deref(), Some("abc123"));
        assert_eq!(id_hash("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        let (token, hash) = new_secret().unwrap();
        assert_eq!(token.len(), 43);
        assert_eq!(hash, id_hash(&token));
        let v = set_cookie(&token, false);
        assert!(v.to_str().unwrap().contains("HttpOnly; SameSite=Strict"));
    }

    #[test]
    fn one_address_is_slowed_down_after_twenty_attempts_a_minute() {
        let c = Console::new(ConsoleConfig::default());
        let ip: IpAddr = "192.0.2.7".parse().unwrap();
        let t0 = Instant::now();
        for i in 0..20 {
            assert!(c.attempt(ip, t0 + Duration::from_millis(i)));
        }
        assert!(!c.attempt(ip, t0 + Duration::from_secs(30)));
        assert!(c.attempt("192.0.2.8".parse().unwrap(), t0), "another address is not affected");
        assert!(c.attempt(ip, t0 + Duration::from_secs(61)));
    }
}
