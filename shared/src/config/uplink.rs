//! `[uplink]`: the province hub this centre reports to. The authority pushes its event log there
//! (after the last id the hub acknowledged) and, with `catalogue = true`, takes the province's
//! published procedure catalogue from it. Without the table the centre works alone.
use super::problem::{Problem, Seg};
use serde::{Deserialize, Serialize};
use std::path::PathBuf;

/// The most events one push may carry: the hub refuses more (HTTP 413).
pub const MAX_UPLINK_BATCH: u32 = 5_000;

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct UplinkConfig {
    /// The hub's base URL, "https://hub.example.gov.vn" (a path prefix is allowed); plain
    /// `http://` only to a loopback address.
    pub url: String,
    /// This centre's id at the hub (its `[[centres]] id`).
    pub centre: String,
    /// The centre's token at the hub.
    pub token: String,
    /// A CA to trust for the hub instead of the public roots (PEM); relative to this file.
    #[serde(default)]
    pub ca: Option<PathBuf>,
    /// `ca`'s certificates, read when the file is loaded (a missing CA is a configuration error).
    #[serde(skip)]
    pub ca_pem: Option<Vec<u8>>,
    /// Events per push, at most 5,000.
    #[serde(default = "default_batch")]
    pub batch: u32,
    /// Whether to take the province's catalogue (`GET /api/v1/catalogue`) in place of the
    /// centre's own `[catalogue] procedures` file.
    #[serde(default = "yes")]
    pub catalogue: bool,
    /// Events the hub has not acknowledged are kept past `[store] keep_days`, but not past this
    /// many days: a hub gone for good must not fill the card. Dropping them is logged, audited
    /// and counted in the uplink's status.
    #[serde(default = "default_keep_unsent")]
    pub keep_unsent_days: u32,
}

fn default_batch() -> u32 {
    500
}
fn yes() -> bool {
    true
}
fn default_keep_unsent() -> u32 {
    90
}

/// Why `url` cannot be the hub's address: not http(s), carries credentials, a query or a
/// fragment, or is plain HTTP to another machine (the centre's token would cross in clear).
pub fn hub_url_problem(url: &str) -> Option<String> {
    let (plain, rest) = match (url.strip_prefix("https://"), url.strip_prefix("http://")) {
        (Some(r), _) => (false, r),
        (_, Some(r)) => (true, r),
        _ => return Some(format!("{url:?} is not an http:// or https:// address")),
    };
    let host_port = rest.split('/').next().unwrap_or_default();
    if host_port.is_empty() || rest.contains(['?', '#', '@']) {
        return Some(format!("{url:?}: give the hub's scheme, host, port and path only, e.g. \"https://hub.example.gov.vn\""));
    }
    let host = host_port.rsplit_once(':').filter(|(_, p)| !p.contains(']')).map_or(host_port, |(h, _)| h);
    let loopback = host == "localhost" || host.trim_matches(['[', ']']).parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback());
    (plain && !loopback).then(|| format!("{url:?}: plain HTTP to another machine would carry the centre's token in clear; use https://"))
}

pub(crate) fn check(u: &UplinkConfig) -> Vec<Problem> {
    use Seg::Key;
    let at = |f: &'static str| vec![Key("uplink"), Key(f)];
    let mut out = Vec::new();
    if let Some(why) = hub_url_problem(&u.url) {
        out.push(Problem::new(at("url"), why));
    }
    // It is a path segment of every uplink URL.
    if u.centre.is_empty() || u.centre.len() > 64 || !u.centre.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') {
        out.push(Problem::new(at("centre"), format!("{:?} is not a centre id (1 to 64 letters, digits, - and _)", u.centre)));
    }
    if u.token.len() < 16 || u.token.chars().any(|c| c.is_whitespace() || c.is_control()) {
        out.push(Problem::new(at("token"), "a token must have at least 16 characters and no spaces"));
    }
    if !(1..=MAX_UPLINK_BATCH).contains(&u.batch) {
        out.push(Problem::new(at("batch"), format!("must be from 1 to {MAX_UPLINK_BATCH}")));
    }
    if !(1..=3650).contains(&u.keep_unsent_days) {
        out.push(Problem::new(at("keep_unsent_days"), "must be from 1 to 3650"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::hub_url_problem;
    use crate::config::{Config, ConfigErrorKind};
    use crate::testing::line_of;

    fn good() -> String {
        let token = "[[auth.tokens]]\nname = \"kiosk-1\"\nrole = \"kiosk\"\ntoken = \"kiosk-token-0123456789\"";
        crate::testing::centre("", &[("civil", "Hộ tịch", "A", "")], &[&["civil"]], token)
    }

    const UPLINK: &str = "\n[uplink]\nurl = \"https://hub.example.gov.vn\"\ncentre = \"ba-dinh\"\ntoken = \"centre-token-0123456789\"\n";

    fn refuse(text: &str) -> (Option<usize>, String) {
        let (line, kind) = Config::parse(text).expect_err("the config must be refused");
        assert!(matches!(kind, ConfigErrorKind::Invalid(_) | ConfigErrorKind::Syntax(_)));
        (line, kind.to_string())
    }

    #[test]
    fn an_uplink_loads_with_its_defaults_and_none_is_none() {
        assert!(Config::parse(&good()).unwrap().uplink.is_none());
        let u = Config::parse(&format!("{}{UPLINK}", good())).unwrap().uplink.unwrap();
        assert_eq!((u.batch, u.catalogue, u.keep_unsent_days, u.ca.is_none()), (500, true, 90, true));
    }

    #[test]
    fn bad_uplink_values_are_refused_at_their_line() {
        // Proves a typo or a dangerous value in [uplink] stops the start with file:line: reason.
        for (from, to, says) in [
            ("https://hub.example.gov.vn", "http://hub.example.gov.vn", "in clear"),
            ("https://hub.example.gov.vn", "ftp://hub", "not an http"),
            ("https://hub.example.gov.vn", "https://user@hub", "scheme, host"),
            ("\"ba-dinh\"", "\"ba dinh/x\"", "not a centre id"),
            ("centre-token-0123456789", "short", "at least 16"),
        ] {
            let text = format!("{}{}", good(), UPLINK.replace(from, to));
            let (line, msg) = refuse(&text);
            assert_eq!(line, Some(line_of(&text, to)), "{msg}");
            assert!(msg.contains(says), "{msg}");
        }
        for (extra, says) in [("batch = 5001", "1 to 5000"), ("batch = 0", "1 to 5000"), ("keep_unsent_days = 0", "1 to 3650")] {
            let text = format!("{}{UPLINK}{extra}\n", good());
            let (line, msg) = refuse(&text);
            assert_eq!(line, Some(line_of(&text, extra)), "{msg}");
            assert!(msg.contains(says), "{msg}");
        }
        let text = format!("{}{UPLINK}bacth = 10\n", good());
        let (line, msg) = refuse(&text);
        assert_eq!(line, Some(line_of(&text, "bacth")), "an unknown key: {msg}");
    }

    #[test]
    fn a_kiosk_joined_to_another_authority_has_no_uplink() {
        let text =
            format!("[kiosk]\nauthority = \"https://192.168.1.10:8443\"\nca = \"ca.pem\"\ntoken = \"kiosk-2-token-0123456789\"\n{UPLINK}");
        let (line, msg) = refuse(&text);
        assert_eq!(line, Some(line_of(&text, "[uplink]")), "{msg}");
        assert!(msg.contains("that authority's configuration"), "{msg}");
    }

    #[test]
    fn plain_http_is_for_loopback_only_and_a_path_prefix_is_allowed() {
        for ok in ["http://127.0.0.1:9000", "http://localhost:9000/", "http://[::1]:9000", "https://hub.example.gov.vn/province/hub"] {
            assert_eq!(hub_url_problem(ok), None, "{ok}");
        }
        for bad in ["http://192.168.1.10:9000", "https://", "https://hub?x=1", "hub.example.gov.vn"] {
            assert!(hub_url_problem(bad).is_some(), "{bad}");
        }
    }

    #[test]
    fn the_ca_is_read_at_load_relative_to_the_file_and_a_missing_one_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("kiosk.toml");
        std::fs::write(dir.path().join("hub-ca.pem"), "PEM").unwrap();
        std::fs::write(&path, format!("{}{UPLINK}ca = \"hub-ca.pem\"\n", good())).unwrap();
        let u = Config::load(&path).unwrap().uplink.unwrap();
        assert_eq!(u.ca_pem.as_deref(), Some(&b"PEM"[..]));
        std::fs::write(&path, format!("{}{UPLINK}ca = \"missing.pem\"\n", good())).unwrap();
        let msg = Config::load(&path).unwrap_err().to_string();
        let line = line_of(&std::fs::read_to_string(&path).unwrap(), "missing.pem");
        assert!(msg.starts_with(&format!("{}:{line}: uplink.ca", path.display())), "{msg}");
    }
}
