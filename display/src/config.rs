//! The display controller's own configuration (TOML): where the authority is, and which
//! outputs to drive. Unknown keys and bad values are refused with the file, line and reason,
//! like the kiosk's configuration, so a typo in the field never silently drops a screen.
use serde::Deserialize;
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
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Authority {
    /// Base URL of the queue authority, e.g. `http://192.0.2.10:8080`.
    pub url: String,
    /// A token of role `display`.
    pub token: String,
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
        Ok(config)
    }

    /// Parses and checks; the error carries the line where it can be told.
    pub fn parse(text: &str) -> Result<Config, (Option<usize>, String)> {
        let line_of = |off: usize| text[..off.min(text.len())].bytes().filter(|&b| b == b'\n').count() + 1;
        let config: Config = toml::from_str(text).map_err(|e| {
            let message = e.message().trim().to_owned();
            // For an unknown key inside a table, toml points at the table: find the key's own line.
            let key_line = e.span().zip(message.strip_prefix("unknown field `")).and_then(|(span, rest)| {
                let key = rest.split('`').next()?;
                // The span may cover only the table's header: search on to the next header.
                let mut offset = span.start;
                let mut lines = text[span.start..].split_inclusive('\n').enumerate();
                lines.find_map(|(i, line)| {
                    let here = offset;
                    offset += line.len();
                    let t = line.trim_start();
                    if i > 0 && t.starts_with('[') {
                        return Some(None);
                    }
                    (t.starts_with(key) && t[key.len()..].trim_start().starts_with('=')).then(|| Some(line_of(here)))
                })
                .flatten()
            });
            (key_line.or(e.span().map(|s| line_of(s.start))), message)
        })?;
        // Value rules serde cannot express; located by searching the key's first use.
        let locate = |key: &str| text.find(key).map(line_of);
        if !(config.authority.url.starts_with("http://") || config.authority.url.starts_with("https://")) {
            return Err((locate("url"), "authority.url must start with http:// or https://".into()));
        }
        if config.follow.backoff_min_ms == 0 || config.follow.backoff_min_ms > config.follow.backoff_max_ms {
            return Err((locate("backoff_"), "follow.backoff_min_ms must be > 0 and <= backoff_max_ms".into()));
        }
        for o in &config.outputs {
            match o {
                Output::Rs485 { address, .. } if !(1..=99).contains(address) => {
                    return Err((locate("address"), "outputs.address must be 1-99".into()))
                }
                Output::Png { width, height, .. } | Output::Framebuffer { width, height, .. }
                    if *width < 64 || *height < 48 || *width > 4096 || *height > 4096 =>
                {
                    return Err((locate("width"), "outputs.width/height must be 64x48 to 4096x4096".into()))
                }
                _ => {}
            }
        }
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
        let (line, msg) = Config::parse("[authority]\nurl = \"http://x\"\ntoken = \"t\"\nextra = 1\n").unwrap_err();
        assert_eq!(line, Some(4), "{msg}");
    }

    #[test]
    fn bad_values_are_refused() {
        // Proves the rules beyond types: a URL scheme and a bus address.
        let (line, msg) = Config::parse("[authority]\nurl = \"ftp://x\"\ntoken = \"t\"\n").unwrap_err();
        assert_eq!(line, Some(2));
        assert!(msg.contains("http://"));
        let rs = "[authority]\nurl = \"http://x\"\ntoken = \"t\"\n[[outputs]]\nkind = \"rs485\"\ncounter = \"1\"\nport = \"/dev/ttyUSB0\"\naddress = 0\n";
        assert_eq!(Config::parse(rs).unwrap_err().0, Some(8));
        let kind = "[authority]\nurl = \"http://x\"\ntoken = \"t\"\n[[outputs]]\nkind = \"hologram\"\n";
        assert!(Config::parse(kind).unwrap_err().1.contains("hologram"));
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
