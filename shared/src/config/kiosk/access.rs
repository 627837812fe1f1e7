//! What helps a citizen who cannot read the screen well: the spoken guidance (`[kiosk.voice]`)
//! and what a scanned chip ID card offers (`[kiosk.id_card]`). Checked in `super::check`.
use serde::{Deserialize, Serialize};

/// `[kiosk.voice]`: the "listen" button reads each screen aloud with espeak-ng's voice.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct VoiceConfig {
    /// False: no "listen" button (a kiosk without a speaker).
    #[serde(default = "yes")]
    pub enabled: bool,
    /// The ALSA PCM to speak on ("default", "plughw:1,0").
    #[serde(default = "default_pcm")]
    pub pcm: String,
    /// Loudness, 0–200 (espeak-ng's amplitude; 100 is its normal).
    #[serde(default = "default_volume")]
    pub volume: u32,
    /// Words per minute, 80–260: slower than espeak-ng's 175, for elderly listeners.
    #[serde(default = "default_speed")]
    pub speed: u32,
}

impl Default for VoiceConfig {
    fn default() -> Self {
        VoiceConfig { enabled: true, pcm: default_pcm(), volume: default_volume(), speed: default_speed() }
    }
}

fn yes() -> bool {
    true
}
fn default_pcm() -> String {
    "default".into()
}
fn default_volume() -> u32 {
    100
}
fn default_speed() -> u32 {
    140
}

/// `[kiosk.id_card]`: a citizen who scans their chip ID card is greeted by their given name and,
/// from `priority_age`, offered the priority class the centre gives that age. Nothing of the
/// card is kept, logged or sent: the ticket carries only the class.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct IdCardConfig {
    /// Full years from which the card offers `priority` (75: served first in Hà Nội since
    /// October 2025).
    #[serde(default = "default_priority_age")]
    pub priority_age: u32,
    /// The `[[priority]]` class that age gives. Left out: "elderly" if the centre has that
    /// class, else none (the card only greets).
    #[serde(default)]
    pub priority: Option<String>,
}

impl Default for IdCardConfig {
    fn default() -> Self {
        IdCardConfig { priority_age: default_priority_age(), priority: None }
    }
}

fn default_priority_age() -> u32 {
    75
}

impl IdCardConfig {
    /// The class the card offers from `priority_age`, if any.
    pub fn class(&self, c: &super::Config) -> Option<String> {
        match &self.priority {
            Some(p) => Some(p.clone()),
            None => c.priority_class("elderly").map(|p| p.id.clone()),
        }
    }
}
