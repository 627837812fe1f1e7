//! The staff console's records and API bodies: accounts, sessions, the audit log.
//!
//! Pure data: the rules that need a clock or a password hash live in the kiosk's console
//! module; the store keeps these in its own tables beside the event log.
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// What an account may do in the console.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum AccountRole {
    /// Serves at the counters it is allowed (all when its list is empty).
    Staff,
    /// Everything: settings, accounts, catalogue, reports, and any counter.
    Admin,
}

impl AccountRole {
    pub fn code(self) -> &'static str {
        match self {
            AccountRole::Staff => "staff",
            AccountRole::Admin => "admin",
        }
    }

    pub fn parse(s: &str) -> Option<AccountRole> {
        match s {
            "staff" => Some(AccountRole::Staff),
            "admin" => Some(AccountRole::Admin),
            _ => None,
        }
    }
}

/// An account as stored, with its password hash (a PHC string) and its lockout state.
#[derive(Debug, Clone, PartialEq)]
pub struct Account {
    pub login: String,
    pub name: String,
    pub role: AccountRole,
    pub hash: String,
    pub counters: Vec<String>,
    pub disabled: bool,
    /// Wrong passwords in a row since the last good one.
    pub failed: u32,
    pub locked_until: Option<DateTime<Utc>>,
    pub created: DateTime<Utc>,
}

/// An account as the administrator sees it: never the hash.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AccountView {
    pub login: String,
    pub name: String,
    pub role: AccountRole,
    pub counters: Vec<String>,
    pub disabled: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locked_until: Option<DateTime<Utc>>,
    pub created: DateTime<Utc>,
}

impl From<&Account> for AccountView {
    fn from(a: &Account) -> Self {
        AccountView {
            login: a.login.clone(),
            name: a.name.clone(),
            role: a.role,
            counters: a.counters.clone(),
            disabled: a.disabled,
            locked_until: a.locked_until,
            created: a.created,
        }
    }
}

/// A signed-in browser. The cookie holds a random secret; the store keeps only its SHA-256, so
/// a copy of the database does not let anyone in.
#[derive(Debug, Clone, PartialEq)]
pub struct Session {
    pub id_hash: String,
    pub login: String,
    /// The anti-forgery token the page sends back in `X-CSRF-Token`.
    pub csrf: String,
    pub created: DateTime<Utc>,
    pub expires: DateTime<Utc>,
}

/// One line of the audit log: who did what to what.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditEntry {
    pub id: u64,
    pub at: DateTime<Utc>,
    /// The account login, token name or `-` for an unknown sign-in name.
    pub actor: String,
    /// e.g. `sign_in`, `sign_in_failed`, `account_locked`, `settings_changed`.
    pub action: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

/// An audit line to write (the store numbers it).
#[derive(Debug, Clone, PartialEq)]
pub struct Audit {
    pub actor: String,
    pub action: &'static str,
    pub target: Option<String>,
    pub detail: Option<String>,
}

impl Audit {
    pub fn new(actor: impl Into<String>, action: &'static str) -> Audit {
        Audit { actor: actor.into(), action, target: None, detail: None }
    }
    pub fn target(mut self, t: impl Into<String>) -> Audit {
        self.target = Some(t.into());
        self
    }
    pub fn detail(mut self, d: impl Into<String>) -> Audit {
        self.detail = Some(d.into());
        self
    }
}

/// A login: 3 to 32 of a-z, 0-9, `.`, `_`, `-`, starting with a letter (it appears in the audit
/// log, in events and in reports).
pub fn valid_login(s: &str) -> bool {
    (3..=32).contains(&s.len())
        && s.as_bytes()[0].is_ascii_lowercase()
        && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'.' || b == b'_' || b == b'-')
}

/// The shortest password an account may have. Length beats complexity rules (NIST SP 800-63B).
pub const MIN_PASSWORD: usize = 10;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn logins_are_plain_and_bounded() {
        assert!(valid_login("lan"));
        assert!(valid_login("nguyen.van-an_2"));
        for bad in ["", "ab", "Lan", "1lan", "lan<script>", "lan lan", "ấn", &"a".repeat(33)] {
            assert!(!valid_login(bad), "{bad:?} must be refused");
        }
    }
}
