//! `[console]`: the staff and administrator console's sign-in rules.
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ConsoleConfig {
    /// Wrong passwords in a row before an account is locked.
    #[serde(default = "default_lockout_after")]
    pub lockout_after: u32,
    /// How long a locked account stays locked.
    #[serde(default = "default_lockout_min")]
    pub lockout_min: u32,
    /// A session ends after this long without a request (a PC left signed in at lunch).
    #[serde(default = "default_idle_min")]
    pub idle_min: u32,
    /// And at the latest this long after signing in (one working day).
    #[serde(default = "default_session_hours")]
    pub session_hours: u32,
    /// Mark the session cookie `Secure`: set when the console is reached over HTTPS (a reverse
    /// proxy); over plain HTTP on the centre's LAN a browser would not send it back.
    #[serde(default)]
    pub secure_cookie: bool,
    /// The largest procedure catalogue the administrator may upload.
    #[serde(default = "default_max_catalogue_mb")]
    pub max_catalogue_mb: u32,
    /// Argon2id memory per password hash, in KiB. The default is OWASP's for a server; only a
    /// test centre lowers it (8 KiB, 1 pass), so that its sign-ins cost microseconds.
    #[serde(default = "default_hash_memory_kib")]
    pub hash_memory_kib: u32,
    /// Argon2id passes per password hash.
    #[serde(default = "default_hash_passes")]
    pub hash_passes: u32,
    /// Password hashes computed at once, at most: each takes `hash_memory_kib` of memory, so
    /// this bounds what a flood of sign-ins can take (2 × 19 MiB on a Pi).
    #[serde(default = "default_hash_concurrency")]
    pub hash_concurrency: u32,
    /// Sign-ins that may wait for a hashing slot; more are refused at once (503 sign_in_busy).
    #[serde(default = "default_hash_queue")]
    pub hash_queue: u32,
    /// Sign-ins per minute from all addresses together (on top of the 20 per address): beyond,
    /// 429 too_many_sign_ins. A centre has tens of staff, not hundreds.
    #[serde(default = "default_sign_ins_per_minute")]
    pub sign_ins_per_minute: u32,
    /// Reprints of one ticket per day, at most (each is paper at the kiosk).
    #[serde(default = "default_reprints_per_ticket")]
    pub reprints_per_ticket: u32,
    /// Seconds between two reprints of one ticket, at least (a double click prints once).
    #[serde(default = "default_reprint_interval_s")]
    pub reprint_interval_s: u32,
    /// Reprints per day for the whole centre, at most.
    #[serde(default = "default_reprints_per_day")]
    pub reprints_per_day: u32,
}

impl Default for ConsoleConfig {
    fn default() -> Self {
        ConsoleConfig {
            lockout_after: default_lockout_after(),
            lockout_min: default_lockout_min(),
            idle_min: default_idle_min(),
            session_hours: default_session_hours(),
            secure_cookie: false,
            max_catalogue_mb: default_max_catalogue_mb(),
            hash_memory_kib: default_hash_memory_kib(),
            hash_passes: default_hash_passes(),
            hash_concurrency: default_hash_concurrency(),
            hash_queue: default_hash_queue(),
            sign_ins_per_minute: default_sign_ins_per_minute(),
            reprints_per_ticket: default_reprints_per_ticket(),
            reprint_interval_s: default_reprint_interval_s(),
            reprints_per_day: default_reprints_per_day(),
        }
    }
}

fn default_lockout_after() -> u32 {
    5
}
fn default_lockout_min() -> u32 {
    15
}
fn default_idle_min() -> u32 {
    30
}
fn default_session_hours() -> u32 {
    12
}
fn default_max_catalogue_mb() -> u32 {
    64
}
fn default_hash_memory_kib() -> u32 {
    19 * 1024
}
fn default_hash_passes() -> u32 {
    2
}
fn default_hash_concurrency() -> u32 {
    2
}
fn default_hash_queue() -> u32 {
    16
}
fn default_sign_ins_per_minute() -> u32 {
    60
}
fn default_reprints_per_ticket() -> u32 {
    3
}
fn default_reprint_interval_s() -> u32 {
    30
}
fn default_reprints_per_day() -> u32 {
    200
}
