//! `[kiosk]`: the touch UI of this kiosk: when it goes back home, how many tickets it hands out
//! in a while, the language and text size it starts in, the staff PIN (as an argon2 hash), the
//! window size on a bare X server, the province's dossier system (`[kiosk.dossier]`), and which
//! service takes the dossiers of which procedures (`[[kiosk.handles]]`); in `access.rs`, what
//! helps a citizen who cannot read the screen well: the spoken guidance (`[kiosk.voice]`) and
//! what a scanned ID card offers (`[kiosk.id_card]`); the tests in `tests.rs`.
//!
//! Every key may be left out; the whole table too. `check` holds the rules serde cannot say.
use super::problem::{Problem, Seg};
use super::Config;
use crate::catalogue::ProcedureCode;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::collections::HashMap;
use std::fmt;

mod access;

pub use access::{IdCardConfig, VoiceConfig};

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct KioskConfig {
    /// An untouched screen goes back home (in the default language and text size) after this
    /// many seconds: the next citizen must not find the last one's half-finished choice.
    #[serde(default = "default_idle")]
    pub idle_s: u32,
    /// At most `max_tickets` tickets per `rate_window_s` seconds on this kiosk, so that a child
    /// tapping away cannot empty the paper roll (or fill the queue).
    #[serde(default = "default_max_tickets")]
    pub max_tickets: u32,
    #[serde(default = "default_rate_window")]
    pub rate_window_s: u32,
    /// The language every visit starts in ("vi" or "en").
    #[serde(default)]
    pub language: Language,
    /// The text size every visit starts in ("normal" or "large").
    #[serde(default)]
    pub text_size: TextSize,
    /// The colours every visit starts in ("normal", or "high": light text on black, for a
    /// centre whose citizens mostly see poorly, or a panel in bright light).
    #[serde(default)]
    pub contrast: Contrast,
    /// The staff PIN of the kiosk's settings, as an argon2 PHC string made by
    /// `kiosk hash-pin`. Without it the settings cannot be opened from the screen.
    #[serde(default)]
    pub admin_pin_hash: Option<String>,
    /// Wrong PINs in a row before the PIN pad locks…
    #[serde(default = "default_pin_tries")]
    pub pin_tries: u32,
    /// …for this many minutes.
    #[serde(default = "default_lockout")]
    pub pin_lockout_min: u32,
    /// The window's size in pixels, "1080x1920", placed at 0,0. Left out, the window takes the
    /// X screen's size, which is what a single panel wants (without a window manager, asking for
    /// full screen does not resize the window, so the kiosk sizes it itself); set it when the
    /// window must differ from what X reports.
    #[serde(default)]
    pub screen: Option<ScreenSize>,
    /// The province's one-stop system, for dossier status. Without it the kiosk says that
    /// dossier lookup is not set up.
    #[serde(default)]
    pub dossier: Option<DossierConfig>,
    /// Which service takes the dossiers of which procedures: "take a number" on a procedure's
    /// page goes straight to that service.
    #[serde(default)]
    pub handles: Vec<Handles>,
    /// The queue authority this kiosk joins, "https://HOST:PORT": the kiosk then runs none of
    /// its own and keeps no store; tickets, reprints, settings and printer health go there.
    #[serde(default)]
    pub authority: Option<String>,
    /// The centre's CA (`ca.pem` of `kiosk tls init`), the only one trusted for `authority`.
    #[serde(default)]
    pub ca: Option<std::path::PathBuf>,
    /// This kiosk's token (role kiosk) at `authority`.
    #[serde(default)]
    pub token: Option<String>,
    /// What a scanned chip ID card offers (`[kiosk.id_card]`).
    #[serde(default)]
    pub id_card: IdCardConfig,
    /// Spoken guidance (`[kiosk.voice]`).
    #[serde(default)]
    pub voice: VoiceConfig,
}

impl Default for KioskConfig {
    fn default() -> Self {
        KioskConfig {
            idle_s: default_idle(),
            max_tickets: default_max_tickets(),
            rate_window_s: default_rate_window(),
            language: Language::default(),
            text_size: TextSize::default(),
            contrast: Contrast::default(),
            admin_pin_hash: None,
            pin_tries: default_pin_tries(),
            pin_lockout_min: default_lockout(),
            screen: None,
            dossier: None,
            handles: Vec::new(),
            authority: None,
            ca: None,
            token: None,
            id_card: IdCardConfig::default(),
            voice: VoiceConfig::default(),
        }
    }
}

fn default_idle() -> u32 {
    90
}
fn default_max_tickets() -> u32 {
    6
}
fn default_rate_window() -> u32 {
    120
}
fn default_pin_tries() -> u32 {
    5
}
fn default_lockout() -> u32 {
    5
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    #[default]
    Vi,
    En,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TextSize {
    #[default]
    Normal,
    Large,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Contrast {
    #[default]
    Normal,
    High,
}

/// `[kiosk.dossier]`: the HTTP source of dossier status (its JSON contract is documented in
/// the kiosk's dossier module).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct DossierConfig {
    /// e.g. "https://motcua.example.gov.vn/api"; the kiosk asks `{base_url}/dossiers/{code}`.
    pub base_url: String,
    /// Sent as a bearer token when set.
    #[serde(default)]
    pub token: Option<String>,
    /// A citizen waits at most this long before the kiosk says the system is unreachable.
    #[serde(default = "default_dossier_timeout")]
    pub timeout_s: u32,
    /// Answers are remembered this long (0: never), so a second look does not wait again.
    #[serde(default = "default_dossier_cache")]
    pub cache_s: u32,
}

fn default_dossier_timeout() -> u32 {
    8
}
fn default_dossier_cache() -> u32 {
    120
}

/// `[[kiosk.handles]]`: a service and the procedures it takes, by field (lĩnh vực, the
/// `MALINHVUC` of a record) or by procedure code. A code wins over a field.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Handles {
    pub service: String,
    #[serde(default)]
    pub fields: Vec<String>,
    #[serde(default)]
    pub procedures: Vec<String>,
}

/// A panel size in pixels, "1080x1920".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScreenSize {
    pub width: u32,
    pub height: u32,
}

impl ScreenSize {
    pub fn parse(s: &str) -> Result<ScreenSize, String> {
        let bad = || format!("{s:?} is not a screen size: write WIDTHxHEIGHT in pixels, e.g. \"1080x1920\"");
        let (w, h) = s.trim().split_once(['x', 'X']).ok_or_else(bad)?;
        let (width, height): (u32, u32) = (w.trim().parse().map_err(|_| bad())?, h.trim().parse().map_err(|_| bad())?);
        if !(320..=8192).contains(&width) || !(320..=8192).contains(&height) {
            return Err(format!("{s:?}: each side must be from 320 to 8192 pixels"));
        }
        Ok(ScreenSize { width, height })
    }
}

impl fmt::Display for ScreenSize {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}x{}", self.width, self.height)
    }
}

impl<'de> Deserialize<'de> for ScreenSize {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        ScreenSize::parse(&String::deserialize(d)?).map_err(serde::de::Error::custom)
    }
}

impl Serialize for ScreenSize {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// Why a string is not a usable PIN hash; `None` when it is one.
pub fn pin_hash_problem(phc: &str) -> Option<String> {
    let make = "make one with `kiosk hash-pin`";
    let hash = match argon2::PasswordHash::new(phc) {
        Ok(h) => h,
        Err(e) => return Some(format!("is not a PHC hash string ({e}): {make}")),
    };
    if ![argon2::ARGON2ID_IDENT, argon2::ARGON2I_IDENT, argon2::ARGON2D_IDENT].contains(&hash.algorithm) {
        return Some(format!("uses {}, not argon2: {make}", hash.algorithm));
    }
    if let Err(e) = argon2::Params::try_from(&hash) {
        return Some(format!("has argon2 parameters that are not valid ({e}): {make}"));
    }
    if hash.salt.is_none() || hash.hash.is_none() {
        return Some(format!("lacks its salt or its hash: {make}"));
    }
    None
}

/// A field id or a token: printable, no spaces.
fn plain(s: &str, max: usize) -> bool {
    !s.is_empty() && s.len() <= max && s.chars().all(|c| c.is_ascii_graphic())
}

fn problem(at: Vec<Seg>, message: impl Into<String>) -> Problem {
    Problem { at, message: message.into() }
}

/// Every rule of `[kiosk]` broken, in file order.
/// What is wrong with `[kiosk] authority`: not http(s), no host, or plain HTTP to another
/// machine (tokens would cross the LAN in clear).
pub fn authority_url_problem(url: &str) -> Option<String> {
    let (plain, rest) = match (url.strip_prefix("https://"), url.strip_prefix("http://")) {
        (Some(r), _) => (false, r),
        (_, Some(r)) => (true, r),
        _ => return Some(format!("{url:?} is not an http:// or https:// address")),
    };
    let host_port = rest.trim_end_matches('/');
    if host_port.is_empty() || host_port.contains(['/', '?', '#', '@']) {
        return Some(format!("{url:?}: give the authority's scheme, host and port only, e.g. \"https://192.168.1.10:8443\""));
    }
    let host = host_port.rsplit_once(':').map_or(host_port, |(h, _)| h);
    let loopback = host == "localhost" || host.trim_matches(['[', ']']).parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback());
    (plain && !loopback).then(|| format!("{url:?}: plain HTTP to another machine would carry tokens in clear; use https:// and [kiosk] ca"))
}

pub(crate) fn check(c: &Config) -> Vec<Problem> {
    use Seg::{Index, Key};
    let k = &c.kiosk;
    let at = |f: &'static str| vec![Key("kiosk"), Key(f)];
    let mut out = Vec::new();
    if !(15..=3600).contains(&k.idle_s) {
        out.push(problem(at("idle_s"), "must be from 15 to 3600 seconds"));
    }
    if !(1..=1000).contains(&k.max_tickets) {
        out.push(problem(at("max_tickets"), "must be from 1 to 1000"));
    }
    if !(1..=86_400).contains(&k.rate_window_s) {
        out.push(problem(at("rate_window_s"), "must be from 1 to 86400 seconds"));
    }
    if let Some(why) = k.admin_pin_hash.as_deref().and_then(pin_hash_problem) {
        out.push(problem(at("admin_pin_hash"), why));
    }
    if !(1..=20).contains(&k.pin_tries) {
        out.push(problem(at("pin_tries"), "must be from 1 to 20"));
    }
    if !(1..=1440).contains(&k.pin_lockout_min) {
        out.push(problem(at("pin_lockout_min"), "must be from 1 to 1440 minutes"));
    }
    if let Some(url) = &k.authority {
        if let Some(why) = authority_url_problem(url) {
            out.push(problem(at("authority"), why));
        }
        if k.token.as_ref().is_none_or(|t| t.len() < 16) {
            out.push(problem(at("authority"), "needs [kiosk] token, this kiosk's token (role kiosk, 16 characters at least) there"));
        }
    } else {
        for (key, set) in [("ca", k.ca.is_some()), ("token", k.token.is_some())] {
            if set {
                out.push(problem(at(key), "is for joining an authority elsewhere: set [kiosk] authority too"));
            }
        }
    }
    if let Some(d) = &k.dossier {
        let at = |f: &'static str| vec![Key("kiosk"), Key("dossier"), Key(f)];
        let url = d.base_url.trim();
        let rest = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://"));
        let host_ok = rest.is_some_and(|r| {
            let host = r.split('/').next().unwrap_or("");
            !host.is_empty() && !r.contains(['?', '#'])
        });
        if !host_ok || url.chars().any(|ch| ch.is_whitespace() || ch.is_control()) {
            out.push(problem(
                at("base_url"),
                format!("{:?} is not an http:// or https:// base URL, e.g. \"https://motcua.example.gov.vn/api\"", d.base_url),
            ));
        }
        if d.token.as_deref().is_some_and(|t| !plain(t, 4096)) {
            out.push(problem(at("token"), "must be printable, without spaces"));
        }
        if !(1..=60).contains(&d.timeout_s) {
            out.push(problem(at("timeout_s"), "must be from 1 to 60 seconds"));
        }
        if d.cache_s > 86_400 {
            out.push(problem(at("cache_s"), "must be at most 86400 seconds (0 keeps nothing)"));
        }
    }
    let card = &k.id_card;
    if !(1..=120).contains(&card.priority_age) {
        out.push(problem(vec![Key("kiosk"), Key("id_card"), Key("priority_age")], "must be an age from 1 to 120 years"));
    }
    // A joined kiosk's classes are the authority's: they are not in this file to check.
    if let Some(p) = card.priority.as_ref().filter(|p| c.priority_class(p).is_none() && k.authority.is_none()) {
        out.push(problem(vec![Key("kiosk"), Key("id_card"), Key("priority")], format!("no [[priority]] has id {p:?}")));
    }
    let voice = |f: &'static str| vec![Key("kiosk"), Key("voice"), Key(f)];
    if k.voice.volume > 200 {
        out.push(problem(voice("volume"), "must be from 0 to 200 (100 is espeak-ng's normal loudness)"));
    }
    if !(80..=260).contains(&k.voice.speed) {
        out.push(problem(voice("speed"), "must be from 80 to 260 words a minute"));
    }
    if !plain(&k.voice.pcm, 128) {
        out.push(problem(voice("pcm"), "must be an ALSA PCM name without spaces, e.g. \"default\" or \"plughw:1,0\""));
    }
    // A field or a code claimed twice would make "take a number" a guess.
    let (mut fields, mut codes): (HashMap<&str, &str>, HashMap<String, &str>) = (HashMap::new(), HashMap::new());
    for (i, h) in k.handles.iter().enumerate() {
        let at = |f: &'static str| vec![Key("kiosk"), Key("handles"), Index(i), Key(f)];
        // A joined kiosk's services are the authority's: they are not in this file to check.
        if c.service(&h.service).is_none() && k.authority.is_none() {
            out.push(problem(at("service"), format!("no [[services]] has id {:?}", h.service)));
        }
        if h.fields.is_empty() && h.procedures.is_empty() {
            out.push(problem(at("service"), "name the fields or the procedures this service takes"));
        }
        for (j, f) in h.fields.iter().enumerate() {
            let at = vec![Key("kiosk"), Key("handles"), Index(i), Key("fields"), Index(j)];
            if !plain(f, 64) {
                out.push(problem(at, format!("{f:?} is not a field id (the MALINHVUC of the records, e.g. \"203\")")));
            } else if let Some(other) = fields.insert(f, &h.service) {
                out.push(problem(at, format!("field {f:?} is already taken by service {other:?}")));
            }
        }
        for (j, p) in h.procedures.iter().enumerate() {
            let at = vec![Key("kiosk"), Key("handles"), Index(i), Key("procedures"), Index(j)];
            match ProcedureCode::parse(p.trim()) {
                Err(e) => out.push(problem(at, format!("{p:?} is not a procedure code ({e}), e.g. \"1.001193\""))),
                Ok(code) => {
                    if let Some(other) = codes.insert(code.to_string(), &h.service) {
                        out.push(problem(at, format!("procedure {p:?} is already taken by service {other:?}")));
                    }
                }
            }
        }
    }
    out
}

impl KioskConfig {
    /// The service that takes the dossiers of a procedure with this code and these fields.
    pub fn service_for(&self, code: &str, fields: &[&str]) -> Option<&str> {
        let by_code = self.handles.iter().find(|h| h.procedures.iter().any(|p| p.trim() == code));
        let by_field = || self.handles.iter().find(|h| h.fields.iter().any(|x| fields.contains(&x.as_str())));
        by_code.or_else(by_field).map(|h| h.service.as_str())
    }
}

#[cfg(test)]
mod tests;
