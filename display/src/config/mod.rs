//! The display controller's own configuration (TOML): where the authority is, and which
//! outputs to drive. Unknown keys and bad values are refused with the file, line and reason,
//! like the kiosk's configuration, so a typo in the field never silently drops a screen.
mod boards;
mod check;
mod keypad;

pub use boards::{Boards, WindowMode};
pub use keypad::{ButtonMap, Keypad};

use serde::Deserialize;
use shared::config::problem;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The whole configuration. Every table but `[authority]` has defaults.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub authority: Authority,
    #[serde(default)]
    pub follow: Follow,
    #[serde(default)]
    pub outputs: Vec<Output>,
    #[serde(default)]
    pub boards: Boards,
    #[serde(default)]
    pub keypads: Vec<Keypad>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Authority {
    /// Base URL of the queue authority, e.g. `http://192.0.2.10:8080`.
    pub url: String,
    /// A token of role `display`.
    pub token: String,
    /// The centre's CA (`ca.pem` of `kiosk tls init`), the only one trusted for an `https` url.
    #[serde(default)]
    pub ca: Option<PathBuf>,
    /// `ca`'s certificates, read when the file is loaded (a missing CA is a configuration error).
    #[serde(skip)]
    pub ca_pem: Option<Vec<u8>>,
}

impl Authority {
    /// The shared API client's settings for this authority (the one place they are made).
    pub fn client(&self) -> shared::client::ClientBuilder {
        let b = shared::client::Client::builder(&self.url).token(self.token.clone());
        match &self.ca_pem {
            Some(pem) => b.ca_pem(pem.clone()),
            None => b,
        }
    }
}

/// Reconnection: exponential backoff from `backoff_min_ms`, capped at `backoff_max_ms`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Follow {
    pub backoff_min_ms: u64,
    pub backoff_max_ms: u64,
}

impl Default for Follow {
    fn default() -> Self {
        // A hall full of people watches the screen: come back fast, but do not hammer a
        // rebooting authority with hundreds of displays.
        Follow { backoff_min_ms: 100, backoff_max_ms: 5_000 }
    }
}

impl Follow {
    pub fn min(&self) -> Duration {
        Duration::from_millis(self.backoff_min_ms)
    }
    pub fn max(&self) -> Duration {
        Duration::from_millis(self.backoff_max_ms)
    }
}

/// One output device, chosen by `kind`.
#[derive(Debug, Clone, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Output {
    /// The simulator: a PNG file rewritten on every frame change.
    Png {
        counter: String,
        path: PathBuf,
        #[serde(default = "default_width")]
        width: u32,
        #[serde(default = "default_height")]
        height: u32,
    },
    /// A Linux framebuffer device (`/dev/fb0`), raw pixels written from offset 0.
    Framebuffer {
        counter: String,
        device: PathBuf,
        width: u32,
        height: u32,
        #[serde(default)]
        format: PixelFormat,
    },
    /// An RS-485 LED number panel (protocol in `counter::rs485`).
    Rs485 {
        counter: String,
        port: String,
        #[serde(default = "default_baud")]
        baud: u32,
        /// The panel's bus address, 1–99.
        address: u8,
    },
    /// The hall board (Slint, full screen): latest calls, people waiting, clock, notices.
    Hall {
        #[serde(default)]
        window: WindowMode,
        /// A PNG rewritten whenever what the board shows changes (headless, or beside a window).
        #[serde(default)]
        snapshot: Option<PathBuf>,
        /// The window's size, both or neither; left out, the X screen's (headless: 1920x1080).
        #[serde(default)]
        width: Option<u32>,
        #[serde(default)]
        height: Option<u32>,
        /// Messages of the notice line, scrolled one after the other.
        #[serde(default)]
        notices: Vec<String>,
        /// Calls listed under the newest one.
        #[serde(default = "default_earlier")]
        earlier: usize,
        /// How long a new call flashes.
        #[serde(default = "default_flash_s")]
        flash_s: u64,
    },
    /// The results board (Slint, touch): dossiers ready, processing, overdue.
    Results {
        #[serde(default)]
        window: WindowMode,
        #[serde(default)]
        snapshot: Option<PathBuf>,
        #[serde(default)]
        width: Option<u32>,
        #[serde(default)]
        height: Option<u32>,
        /// The province's one-stop system (`http://` or `https://`), contract in
        /// `shared::dossier` (http.rs).
        source: String,
        #[serde(default)]
        source_token: Option<String>,
        #[serde(default = "default_source_timeout_s")]
        source_timeout_s: u64,
        /// Rows on a page.
        #[serde(default = "default_rows")]
        rows: u32,
        /// Seconds a page stays before the next one turns.
        #[serde(default = "default_page_s")]
        page_s: u64,
        /// Seconds between refreshes of what is shown.
        #[serde(default = "default_refresh_s")]
        refresh_s: u64,
        /// Seconds a touch holds the pages (and an open lookup) before they turn again.
        #[serde(default = "default_hold_s")]
        hold_s: u64,
    },
    /// Voice calls through ALSA.
    Voice {
        /// Folder of `<clip>.wav` files.
        clips: PathBuf,
        /// ALSA PCM name.
        #[serde(default = "default_pcm")]
        pcm: String,
        /// How many times each call is spoken.
        #[serde(default = "default_repeats")]
        repeats: u32,
        #[serde(default)]
        south: bool,
        /// The simulator: write each spoken call as a numbered WAV here instead of playing it.
        #[serde(default)]
        record_dir: Option<PathBuf>,
    },
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PixelFormat {
    #[default]
    Rgb565,
    Xrgb8888,
}

fn default_earlier() -> usize {
    4
}
fn default_flash_s() -> u64 {
    6
}
fn default_source_timeout_s() -> u64 {
    8
}
fn default_rows() -> u32 {
    8
}
fn default_page_s() -> u64 {
    10
}
fn default_refresh_s() -> u64 {
    60
}
fn default_hold_s() -> u64 {
    60
}
fn default_width() -> u32 {
    320
}
fn default_height() -> u32 {
    240
}
fn default_baud() -> u32 {
    9600
}
fn default_pcm() -> String {
    "default".into()
}
fn default_repeats() -> u32 {
    1
}

/// A configuration that cannot be used: `file:line: reason`.
#[derive(Debug, thiserror::Error)]
#[error("{}{}: {reason}", path.display(), line.map(|l| format!(":{l}")).unwrap_or_default())]
pub struct ConfigError {
    pub path: PathBuf,
    pub line: Option<usize>,
    pub reason: String,
}

impl Config {
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let err = |line, reason| ConfigError { path: path.to_owned(), line, reason };
        let text = std::fs::read_to_string(path).map_err(|e| err(None, format!("cannot read the file: {e}")))?;
        let mut config = Config::parse(&text).map_err(|(line, reason)| err(line, reason))?;
        // Relative paths are taken from the file's folder, so the demo config runs from anywhere.
        let dir = path.parent().unwrap_or(Path::new("."));
        for o in &mut config.outputs {
            match o {
                Output::Png { path, .. } if path.is_relative() => *path = dir.join(&*path),
                Output::Hall { snapshot: Some(p), .. } | Output::Results { snapshot: Some(p), .. } if p.is_relative() => *p = dir.join(&*p),
                Output::Voice { clips, record_dir, .. } => {
                    if clips.is_relative() {
                        *clips = dir.join(&*clips);
                    }
                    if let Some(r) = record_dir.as_mut().filter(|r| r.is_relative()) {
                        *r = dir.join(&*r);
                    }
                }
                _ => {}
            }
        }
        if let Some(ca) = &mut config.authority.ca {
            if ca.is_relative() {
                *ca = dir.join(&*ca);
            }
            let pem = std::fs::read(&*ca).map_err(|e| err(None, format!("[authority] ca {}: {e}", ca.display())))?;
            config.authority.ca_pem = Some(pem);
        }
        for k in &mut config.keypads {
            if let Keypad::Gpio { simulate: Some(p), .. } = k {
                if p.is_relative() {
                    *p = dir.join(&*p);
                }
            }
        }
        Ok(config)
    }

    /// The Slint boards of this configuration open windows (else they run headless). All
    /// boards of a process run on one Slint platform, so they must agree.
    pub fn boards_windowed(&self) -> bool {
        self.outputs.iter().any(|o| match o {
            Output::Hall { window, .. } | Output::Results { window, .. } => window.wanted(),
            _ => false,
        })
    }

    /// Parses and checks; the error carries the line where it can be told: the offending key's
    /// for a syntax error or unknown key, the value's own (found by its path) for a broken rule.
    pub fn parse(text: &str) -> Result<Config, (Option<usize>, String)> {
        let config: Config = toml::from_str(text).map_err(|e| problem::syntax(text, &e))?;
        check::check(&config).map_err(|p| (problem::locate(text, &p.at), p.to_string()))?;
        Ok(config)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"
[authority]
url = "http://127.0.0.1:8080"
token = "t"

[[outputs]]
kind = "png"
counter = "3"
path = "out.png"

[[outputs]]
kind = "voice"
clips = "voice/vi"
repeats = 2
"#;

    #[test]
    fn a_full_config_parses_with_defaults() {
        // Proves the tagged outputs and the serde defaults fill what the file leaves out.
        let c = Config::parse(GOOD).unwrap();
        assert_eq!(c.follow.backoff_max_ms, 5_000);
        assert!(matches!(&c.outputs[0], Output::Png { width: 320, height: 240, counter, .. } if counter == "3"));
        assert!(matches!(&c.outputs[1], Output::Voice { repeats: 2, pcm, .. } if pcm == "default"));
    }

    #[test]
    fn unknown_keys_are_refused_with_their_line() {
        // Proves a typo inside an output table is an error on that table's lines, not ignored.
        let bad = GOOD.replace("path = \"out.png\"", "path = \"out.png\"\ncolour = \"red\"");
        let (line, msg) = Config::parse(&bad).unwrap_err();
        assert!(msg.contains("colour"), "{msg}");
        assert_eq!(line, Some(10), "{msg}");
        let (line, msg) = Config::parse("[authority]\nurl = \"http://127.0.0.1:1\"\ntoken = \"t\"\nextra = 1\n").unwrap_err();
        assert_eq!(line, Some(4), "{msg}");
    }

    #[test]
    fn bad_values_are_refused() {
        // Proves the rules beyond types: a URL scheme and a bus address.
        let (line, msg) = Config::parse("[authority]\nurl = \"ftp://x\"\ntoken = \"t\"\n").unwrap_err();
        assert_eq!(line, Some(2));
        assert!(msg.contains("http://"));
        let rs = "[authority]\nurl = \"http://127.0.0.1:1\"\ntoken = \"t\"\n[[outputs]]\nkind = \"rs485\"\ncounter = \"1\"\nport = \"/dev/ttyUSB0\"\naddress = 0\n";
        assert_eq!(Config::parse(rs).unwrap_err().0, Some(8));
        // Proves a bad value in the second output is pointed at there, not at the first output
        // that happens to write the same key.
        let two = format!("{GOOD}\n[[outputs]]\nkind = \"png\"\ncounter = \"4\"\npath = \"b.png\"\nwidth = 10\n");
        let (line, msg) = Config::parse(&two).unwrap_err();
        assert_eq!(line, Some(two.lines().count()), "{msg}");
        assert!(msg.starts_with("outputs[2].width:"), "{msg}");
        let kind = "[authority]\nurl = \"http://127.0.0.1:1\"\ntoken = \"t\"\n[[outputs]]\nkind = \"hologram\"\n";
        assert!(Config::parse(kind).unwrap_err().1.contains("hologram"));
    }

    const BOARDS: &str = r#"
[authority]
url = "http://127.0.0.1:8080"
token = "t"

[[outputs]]
kind = "hall"
window = "auto"
snapshot = "hall.png"
notices = ["Xin chào", "Giờ làm việc 7:30–17:00"]

[[outputs]]
kind = "results"
window = "auto"
source = "https://onestop.example.gov.vn/api"

[[keypads]]
kind = "gpio"
counter = "1"
token = "k"
pins = { next = 17, recall = 27 }

[[keypads]]
kind = "evdev"
counter = "2"
token = "k"
device = "/dev/input/by-id/usb-keypad-event-kbd"
keys = { next = "KP_ENTER", finish = "KP_ASTERISK" }
"#;

    #[test]
    fn boards_and_keypads_parse_with_defaults() {
        // Proves the new kinds: board sizes and timings default, keypads map only what they
        // name, the hall's snapshot path is taken from the file's folder.
        let c = Config::parse(BOARDS).unwrap();
        assert!(
            matches!(&c.outputs[0], Output::Hall { width: None, height: None, earlier: 4, flash_s: 6, window: WindowMode::Auto, notices, .. } if notices.len() == 2)
        );
        assert!(matches!(&c.outputs[1], Output::Results { rows: 8, page_s: 10, refresh_s: 60, .. }));
        assert_eq!(c.boards.offset().local_minus_utc(), 7 * 3600);
        let Keypad::Gpio { pins, active_low, debounce_ms, .. } = &c.keypads[0] else { panic!() };
        assert_eq!((pins.entries().len(), *active_low, *debounce_ms), (2, true, 30));
        let Keypad::Evdev { keys, grab, .. } = &c.keypads[1] else { panic!() };
        assert_eq!((keys.entries().len(), *grab), (2, true));
        assert_eq!(c.keypads[1].counter(), "2");
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("d.toml"), BOARDS).unwrap();
        let loaded = Config::load(&dir.path().join("d.toml")).unwrap();
        assert!(matches!(&loaded.outputs[0], Output::Hall { snapshot: Some(p), .. } if p == &dir.path().join("hall.png")));
        assert!(WindowMode::Yes.wanted() && !WindowMode::No.wanted());
    }

    #[test]
    fn bad_boards_and_keypads_are_refused_with_the_reason() {
        // Proves each rule: the window setting's values, boards agreeing on it, the offset,
        // the source's scheme, key names, GPIO numbers, a keypad mapping nothing, a board's size.
        let bad = |from: &str, to: &str| Config::parse(&BOARDS.replacen(from, to, 1)).unwrap_err().1;
        assert!(bad("window = \"auto\"", "window = \"maybe\"").contains("true, false or \"auto\""));
        assert!(bad("window = \"auto\"", "window = true").contains("same `window` setting"));
        assert!(bad("[[outputs]]", "[boards]\nutc_offset = \"7\"\n[[outputs]]").contains("utc_offset"));
        assert!(bad("source = \"https:", "source = \"ftp:").contains("http://"));
        assert!(bad("KP_ENTER", "KP_WARP").contains("KP_WARP"));
        assert!(bad("next = 17", "next = 99").contains("GPIO 99"));
        assert!(bad("pins = { next = 17, recall = 27 }", "pins = {}").contains("maps no button"));
        assert!(bad("kind = \"gpio\"", "kind = \"gpio\"\nbogus = 1").contains("bogus"));
        assert!(bad("notices = [\"Xin chào\",", "notices = [\" \",").contains("notice"));
        assert!(bad("kind = \"hall\"", "kind = \"hall\"\nwidth = 1080").contains("go together"));
        assert!(bad("kind = \"hall\"", "kind = \"hall\"\nwidth = 100\nheight = 100").contains("320x240"));
    }

    #[test]
    fn the_demo_config_loads_with_paths_from_its_folder() {
        // Proves assets/display-demo.toml stays valid and its relative paths resolve beside it.
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../assets/display-demo.toml");
        let c = Config::load(&path).unwrap();
        let clips = c.outputs.iter().find_map(|o| match o {
            Output::Voice { clips, .. } => Some(clips.clone()),
            _ => None,
        });
        assert!(clips.unwrap().join("chime.wav").exists());
    }
}
