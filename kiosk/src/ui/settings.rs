//! The touch UI's settings, read from the configuration's `[kiosk]` table: how long an
//! untouched screen waits before going home, how many tickets (and checklists) a kiosk prints in
//! a while, what a visit starts in, the staff PIN, the dossier system and what an ID card offers.
use super::dossier::HttpSourceConfig;
use shared::config::{Config, Contrast, Language, TextSize};
use std::collections::VecDeque;
use std::time::{Duration, Instant};

#[derive(Debug, Clone, PartialEq)]
pub struct UiSettings {
    /// An untouched screen goes back home, in the default language and text size, after this
    /// long: the next citizen must not find the last one's half-finished choice.
    pub idle: Duration,
    /// At most `max_tickets` slips (tickets and checklists) per `per` on this kiosk, so that a
    /// child tapping away cannot empty the paper roll (or the queue).
    pub max_tickets: usize,
    pub per: Duration,
    /// What every visit starts in.
    pub english: bool,
    pub large_text: bool,
    pub high_contrast: bool,
    /// The staff PIN's argon2 hash; `None`: the settings cannot be opened from the screen.
    pub pin_hash: Option<String>,
    pub pin_tries: u32,
    pub pin_lockout: Duration,
    /// The province's one-stop system for dossier status; `None` says the lookup is not set up.
    pub dossier: Option<HttpSourceConfig>,
    /// How long dossier answers are remembered.
    pub dossier_cache: Duration,
    /// A scanned ID card offers `card_class` from `card_age` full years (`[kiosk.id_card]`).
    pub card_age: u32,
    pub card_class: Option<String>,
    /// Spoken guidance (`[kiosk.voice]`); `None`: no "listen" button.
    pub voice: Option<crate::speech::VoiceSettings>,
}

impl Default for UiSettings {
    fn default() -> Self {
        UiSettings::from_config(&Config::parse(MINIMAL).expect("the minimal configuration parses"))
    }
}

/// A configuration with nothing but one service, for `Default`: the defaults are the
/// configuration's own, in one place.
const MINIMAL: &str =
    "[[services]]\nid = \"s\"\nname = \"s\"\nletter = \"A\"\n[[counters]]\nid = \"1\"\nname = \"1\"\nnumber = 1\nservices = [\"s\"]\n";

impl UiSettings {
    pub fn from_config(config: &Config) -> UiSettings {
        let k = &config.kiosk;
        UiSettings {
            idle: Duration::from_secs(k.idle_s.into()),
            max_tickets: k.max_tickets as usize,
            per: Duration::from_secs(k.rate_window_s.into()),
            english: k.language == Language::En,
            large_text: k.text_size == TextSize::Large,
            high_contrast: k.contrast == Contrast::High,
            pin_hash: k.admin_pin_hash.clone(),
            pin_tries: k.pin_tries,
            pin_lockout: Duration::from_secs(u64::from(k.pin_lockout_min) * 60),
            dossier: k.dossier.as_ref().map(|d| HttpSourceConfig {
                base_url: d.base_url.trim().to_owned(),
                timeout: Duration::from_secs(d.timeout_s.into()),
                token: d.token.clone(),
            }),
            dossier_cache: Duration::from_secs(k.dossier.as_ref().map_or(0, |d| d.cache_s.into())),
            card_age: k.id_card.priority_age,
            card_class: k.id_card.class(config),
            voice: k.voice.enabled.then(|| crate::speech::VoiceSettings {
                pcm: k.voice.pcm.clone(),
                volume: k.voice.volume,
                speed: k.voice.speed,
            }),
        }
    }
}

/// A sliding window of the times tickets were issued.
#[derive(Debug)]
pub struct RateLimiter {
    max: usize,
    per: Duration,
    issued: VecDeque<Instant>,
}

impl RateLimiter {
    pub fn new(max: usize, per: Duration) -> RateLimiter {
        RateLimiter { max, per, issued: VecDeque::new() }
    }

    fn forget_old(&mut self, now: Instant) {
        while self.issued.front().is_some_and(|&t| now.duration_since(t) >= self.per) {
            self.issued.pop_front();
        }
    }

    /// Whether one more ticket may be taken now.
    pub fn allows(&mut self, now: Instant) -> bool {
        self.forget_old(now);
        self.issued.len() < self.max
    }

    /// Counts a ticket that was issued (refusals do not count: a citizen turned away by a
    /// closed service has not used up paper).
    pub fn record(&mut self, now: Instant) {
        self.forget_old(now);
        self.issued.push_back(now);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_settings_come_from_the_kiosk_table() {
        let text = format!(
            "{}[kiosk]\nidle_s = 30\nmax_tickets = 3\nrate_window_s = 60\nlanguage = \"en\"\ntext_size = \"large\"\ncontrast = \"high\"\npin_lockout_min = 2\n\
             [kiosk.dossier]\nbase_url = \"http://127.0.0.1:9/api/\"\ntimeout_s = 4\ncache_s = 30\n",
            MINIMAL
        );
        let s = UiSettings::from_config(&Config::parse(&text).unwrap());
        assert_eq!((s.idle, s.max_tickets, s.per), (Duration::from_secs(30), 3, Duration::from_secs(60)));
        assert!(s.english && s.large_text && s.high_contrast);
        assert_eq!(s.pin_lockout, Duration::from_secs(120));
        let d = s.dossier.unwrap();
        assert_eq!((d.base_url.as_str(), d.timeout), ("http://127.0.0.1:9/api/", Duration::from_secs(4)));
        assert_eq!(s.dossier_cache, Duration::from_secs(30));
        let d = UiSettings::default();
        assert_eq!((d.idle, d.max_tickets, d.english, d.pin_hash), (Duration::from_secs(90), 6, false, None));
    }

    #[test]
    fn the_seventh_ticket_within_two_minutes_is_refused_and_allowed_again_later() {
        let s = UiSettings::default();
        let mut r = RateLimiter::new(s.max_tickets, s.per);
        let t0 = Instant::now();
        for i in 0..6 {
            assert!(r.allows(t0 + Duration::from_secs(i)), "ticket {i}");
            r.record(t0 + Duration::from_secs(i));
        }
        assert!(!r.allows(t0 + Duration::from_secs(60)));
        // Two minutes after the first ticket, one slot is free again.
        assert!(r.allows(t0 + Duration::from_secs(120)));
        r.record(t0 + Duration::from_secs(120));
        assert!(!r.allows(t0 + Duration::from_secs(120)));
    }
}
