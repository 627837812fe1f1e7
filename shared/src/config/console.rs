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
