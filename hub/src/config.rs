//! The hub's configuration: one TOML file, refused whole at start when a key is unknown or a
//! value is bad, with `file:line: reason` (the same locating rules as the centre's config).
use serde::Deserialize;
use shared::config::problem::{locate, syntax, Problem, Seg};
use shared::config::{LocalTime, Server};
use std::collections::HashSet;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HubConfig {
    pub database: Database,
    #[serde(default)]
    pub server: Server,
    #[serde(default)]
    pub centres: Vec<CentreEntry>,
    #[serde(default)]
    pub auth: Auth,
    #[serde(default)]
    pub accounts: Vec<Account>,
    #[serde(default)]
    pub province: Province,
    /// "Your turn is near": without it, the pages offer no message.
    pub notify: Option<Notify>,
    /// Booking a number ahead: without it, the hub offers none. Needs `[notify]` (the codes
    /// that confirm a phone go through the gateway).
    pub booking: Option<crate::booking::config::Booking>,
}

/// The province's SMS or Zalo gateway, and when a citizen who left a phone number on a
/// ticket's page is told: `ahead` people or fewer before them (per service in `services`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Notify {
    /// Each message is POSTed here as JSON (`hub/src/near/`).
    pub webhook: String,
    /// Sent as `Authorization: Bearer`, when the gateway asks for one.
    pub token: Option<String>,
    #[serde(default = "default_ahead")]
    pub ahead: u32,
    /// `service id = people ahead`, for services whose visits are longer or shorter.
    #[serde(default)]
    pub services: std::collections::BTreeMap<String, u32>,
}

impl Notify {
    /// When a ticket of `service` is near.
    pub fn ahead_for(&self, service: &str) -> u32 {
        self.services.get(service).copied().unwrap_or(self.ahead)
    }
}

fn default_ahead() -> u32 {
    3
}

/// The most people ahead a message may wait for: beyond it, "near" means nothing.
pub const MAX_AHEAD: u32 = 50;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Database {
    /// `postgres://user:password@host:port/database`.
    pub url: String,
    #[serde(default = "default_pool")]
    pub pool_size: usize,
}

fn default_pool() -> usize {
    16
}

/// A centre allowed to push: its queue authority's `[uplink] centre` and `token`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CentreEntry {
    pub id: String,
    pub name: String,
    pub token: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Auth {
    #[serde(default)]
    pub tokens: Vec<Token>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Token {
    pub name: String,
    pub role: Role,
    pub token: String,
}

/// The hub's one reading role: the province's staff (reports). Centres authenticate with their
/// own `[[centres]] token`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Province,
}

/// A dashboard account: `password_hash` is an Argon2 PHC string (`hub hash-password`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Account {
    pub login: String,
    pub name: String,
    pub password_hash: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Province {
    #[serde(default = "default_province_name")]
    pub name: String,
    /// Vietnam keeps one offset all year: 420 minutes (UTC+7).
    #[serde(default = "default_offset")]
    pub utc_offset_minutes: i32,
    /// Opening time, Monday to Friday, local: when a silent centre counts as quiet.
    #[serde(default = "default_open")]
    pub open: LocalTime,
    #[serde(default = "default_close")]
    pub close: LocalTime,
}

impl Default for Province {
    fn default() -> Self {
        Province { name: default_province_name(), utc_offset_minutes: default_offset(), open: default_open(), close: default_close() }
    }
}

impl Province {
    pub fn offset(&self) -> chrono::FixedOffset {
        chrono::FixedOffset::east_opt(self.utc_offset_minutes * 60).expect("checked at load")
    }
}

fn default_province_name() -> String {
    "Tỉnh".to_owned()
}
fn default_offset() -> i32 {
    420
}
fn default_open() -> LocalTime {
    LocalTime { minutes: 7 * 60 + 30 }
}
fn default_close() -> LocalTime {
    LocalTime { minutes: 17 * 60 }
}

/// A configuration that cannot be used, with where and why.
#[derive(Debug, thiserror::Error)]
#[error("{}{}: {message}", path.display(), line.map(|l| format!(":{l}")).unwrap_or_default())]
pub struct ConfigError {
    pub path: PathBuf,
    pub line: Option<usize>,
    pub message: String,
}

/// Tokens shorter than this are guessable.
const MIN_TOKEN: usize = 16;

impl HubConfig {
    /// Reads, parses and checks the file; TLS paths are taken from the file's folder.
    pub fn load(path: &Path) -> Result<HubConfig, ConfigError> {
        let fail = |line, message: String| ConfigError { path: path.to_owned(), line, message };
        let text = std::fs::read_to_string(path).map_err(|e| fail(None, format!("cannot read the file: {e}")))?;
        let mut config = HubConfig::parse(&text).map_err(|(line, m)| fail(line, m))?;
        let dir = path.parent().unwrap_or(Path::new("."));
        for p in [&mut config.server.tls_cert, &mut config.server.tls_key].into_iter().flatten() {
            if p.is_relative() {
                *p = dir.join(&*p);
            }
        }
        Ok(config)
    }

    /// Parses and checks configuration text; the error carries the line where it can be told.
    pub fn parse(text: &str) -> Result<HubConfig, (Option<usize>, String)> {
        let config: HubConfig = toml::from_str(text).map_err(|e| syntax(text, &e))?;
        if let Some(p) = config.problems().into_iter().next() {
            return Err((locate(text, &p.at), p.to_string()));
        }
        Ok(config)
    }

    fn problems(&self) -> Vec<Problem> {
        let mut out = Vec::new();
        if self.database.pool_size == 0 {
            out.push(Problem::new(vec![Seg::Key("database"), Seg::Key("pool_size")], "must be at least 1"));
        }
        if !self.database.url.starts_with("postgres://") && !self.database.url.starts_with("postgresql://") {
            out.push(Problem::new(vec![Seg::Key("database"), Seg::Key("url")], "must start with postgres://"));
        }
        if let Some(why) = self.server.refuse_listen(self.server.listen) {
            out.push(Problem::new(vec![Seg::Key("server"), Seg::Key("listen")], why));
        }
        let mut ids = HashSet::new();
        let mut tokens = HashSet::new();
        for (i, c) in self.centres.iter().enumerate() {
            let at = |k| vec![Seg::Key("centres"), Seg::Index(i), Seg::Key(k)];
            let id_ok = !c.id.is_empty() && c.id.chars().all(|ch| ch.is_ascii_alphanumeric() || ch == '-' || ch == '_');
            if !id_ok {
                out.push(Problem::new(at("id"), "letters, digits, - and _ only, not empty"));
            } else if !ids.insert(c.id.as_str()) {
                out.push(Problem::new(at("id"), format!("{:?} is listed twice", c.id)));
            }
            if c.token.len() < MIN_TOKEN {
                out.push(Problem::new(at("token"), format!("at least {MIN_TOKEN} characters")));
            } else if !tokens.insert(c.token.as_str()) {
                out.push(Problem::new(at("token"), "the same token is given twice"));
            }
        }
        for (i, t) in self.auth.tokens.iter().enumerate() {
            let at = vec![Seg::Key("auth"), Seg::Key("tokens"), Seg::Index(i), Seg::Key("token")];
            if t.token.len() < MIN_TOKEN {
                out.push(Problem::new(at, format!("at least {MIN_TOKEN} characters")));
            } else if !tokens.insert(t.token.as_str()) {
                out.push(Problem::new(at, "the same token is given twice"));
            }
        }
        let mut logins = HashSet::new();
        for (i, a) in self.accounts.iter().enumerate() {
            let at = |k| vec![Seg::Key("accounts"), Seg::Index(i), Seg::Key(k)];
            if a.login.is_empty() || !logins.insert(a.login.as_str()) {
                out.push(Problem::new(at("login"), "empty or listed twice"));
            }
            if argon2::password_hash::PasswordHash::new(&a.password_hash).is_err() {
                out.push(Problem::new(at("password_hash"), "not a PHC string: make one with `hub hash-password`"));
            }
        }
        let p = &self.province;
        if chrono::FixedOffset::east_opt(p.utc_offset_minutes * 60).is_none() || p.utc_offset_minutes.abs() > 14 * 60 {
            out.push(Problem::new(vec![Seg::Key("province"), Seg::Key("utc_offset_minutes")], "between -840 and 840"));
        }
        if p.close <= p.open {
            out.push(Problem::new(vec![Seg::Key("province"), Seg::Key("close")], "must be after open"));
        }
        if let Some(b) = &self.booking {
            if self.notify.is_none() {
                out.push(Problem::new(vec![Seg::Key("booking")], "needs [notify]: the codes that confirm a phone go through its gateway"));
            }
            let centres: Vec<&str> = self.centres.iter().map(|c| c.id.as_str()).collect();
            b.problems(&centres, &mut out);
        }
        if let Some(n) = &self.notify {
            if !(n.webhook.starts_with("https://") || n.webhook.starts_with("http://")) || reqwest::Url::parse(&n.webhook).is_err() {
                out.push(Problem::new(vec![Seg::Key("notify"), Seg::Key("webhook")], "an http:// or https:// address"));
            }
            if !(1..=MAX_AHEAD).contains(&n.ahead) {
                out.push(Problem::new(vec![Seg::Key("notify"), Seg::Key("ahead")], format!("between 1 and {MAX_AHEAD}")));
            }
            for (service, ahead) in &n.services {
                if !(1..=MAX_AHEAD).contains(ahead) {
                    out.push(Problem::new(vec![Seg::Key("notify"), Seg::Key("services")], format!("{service}: between 1 and {MAX_AHEAD}")));
                }
            }
        }
        out
    }

    /// The name of the configured centre `id`, or None when no `[[centres]]` has that id.
    pub fn centre_name(&self, id: &str) -> Option<&str> {
        self.centres.iter().find(|c| c.id == id).map(|c| c.name.as_str())
    }

    /// The `[[auth.tokens]]` entry of a bearer token.
    pub fn token(&self, token: &str) -> Option<&Token> {
        self.auth.tokens.iter().find(|t| crate::secret::same(t.token.as_bytes(), token.as_bytes()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = "[database]\nurl = \"postgres://x@127.0.0.1/h\"\n";

    /// Proves a typo in a key is refused on its own line, as the centre's config does.
    #[test]
    fn unknown_key_is_refused_with_its_line() {
        let text = format!("{BASE}[[centres]]\nid = \"a\"\nname = \"A\"\ntokn = \"x\"\n");
        let (line, message) = HubConfig::parse(&text).unwrap_err();
        assert_eq!(line, Some(6), "{message}");
        assert!(message.contains("tokn"), "{message}");
    }

    /// Proves a short token and a duplicate centre are refused with the line of the value.
    #[test]
    fn bad_values_are_refused_with_their_line() {
        let text = format!("{BASE}[[centres]]\nid = \"a\"\nname = \"A\"\ntoken = \"short\"\n");
        let (line, message) = HubConfig::parse(&text).unwrap_err();
        assert_eq!(line, Some(6), "{message}");
        let text = format!(
            "{BASE}[[centres]]\nid = \"a\"\nname = \"A\"\ntoken = \"aaaaaaaaaaaaaaaaaaaa\"\n[[centres]]\nid = \"a\"\nname = \"B\"\ntoken = \"bbbbbbbbbbbbbbbbbbbbbb\"\n"
        );
        let (line, message) = HubConfig::parse(&text).unwrap_err();
        assert_eq!(line, Some(8), "{message}");
    }

    /// Proves the demo configuration (`assets/hub.toml`) loads, with its centres and account.
    #[test]
    fn the_demo_config_loads() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../assets/hub.toml");
        let c = HubConfig::load(&path).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(c.centres.len(), 3);
        assert_eq!(c.auth.tokens[0].role, Role::Province);
        assert!(authority::console::password::verify("demo-password", &c.accounts[0].password_hash));
    }

    /// Proves `[notify]` is refused on the line of a bad value: a gateway address that is not
    /// HTTP, a threshold of none or too many, a service's bad threshold; and read when right.
    #[test]
    fn notify_is_checked() {
        let bad = [
            ("webhook = \"ftp://sms\"\n", 4),
            ("webhook = \"https://sms.example\"\nahead = 0\n", 5),
            ("webhook = \"https://sms.example\"\n[notify.services]\nland = 99\n", 5),
        ];
        for (body, line) in bad {
            let (at, message) = HubConfig::parse(&format!("{BASE}[notify]\n{body}")).unwrap_err();
            assert_eq!(at, Some(line), "{body}: {message}");
        }
        let c =
            HubConfig::parse(&format!("{BASE}[notify]\nwebhook = \"https://sms.example/send\"\n[notify.services]\nland = 5\n")).unwrap();
        let n = c.notify.unwrap();
        assert_eq!((n.ahead_for("civil"), n.ahead_for("land")), (3, 5));
    }

    /// Proves the defaults: pool of 16, UTC+7, open 07:30–17:00.
    #[test]
    fn defaults() {
        let c = HubConfig::parse(BASE).unwrap();
        assert_eq!(c.database.pool_size, 16);
        assert_eq!(c.province.utc_offset_minutes, 420);
        assert_eq!(c.province.open.to_string(), "07:30");
        assert_eq!(c.province.close.to_string(), "17:00");
    }
}
