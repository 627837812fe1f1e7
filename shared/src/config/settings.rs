//! The settings the administrator edits live from the console: the centre's name, the queue
//! rules, priority classes, services, counters, the ticket's wording and how the printer prints
//! (paper width, profile, text mode). The rest of the file (addresses, store, tokens, where the
//! printer is, the rollover and time zone, which would move the service day under running
//! tickets) stays in the file.
//!
//! They travel as JSON with the same keys as the TOML tables, and are checked by the very rules
//! that check the file (`check.rs`), so a setting the file would refuse is refused here too, with
//! the path of the value (`services[2].letter: ...`).
use super::{Config, Counter, PrinterProfile, PrinterText, PriorityClass, Service};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Settings {
    pub centre_name: String,
    pub queue: QueueSettings,
    #[serde(default)]
    pub priority: Vec<PriorityClass>,
    pub services: Vec<Service>,
    pub counters: Vec<Counter>,
    pub ticket: TicketSettings,
    pub printer: PrinterSettings,
}

/// How the kiosk's printer prints: the roll fitted, what the printer understands, whether text
/// goes as the printer's code page. Where the printer is (`[printer.device]`) stays in the file.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PrinterSettings {
    pub paper: u32,
    pub profile: PrinterProfile,
    pub text: PrinterText,
}

/// `[queue]` without the rollover (it fixes the service day).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct QueueSettings {
    pub priority_ratio: u32,
    pub max_wait_min: u32,
    pub no_show_grace_min: u32,
    pub number_digits: u8,
    pub rating_window_min: u32,
}

/// What the ticket says beyond the queue facts.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct TicketSettings {
    #[serde(default)]
    pub qr_url: Option<String>,
    #[serde(default)]
    pub footer: Vec<String>,
}

/// One rule a setting breaks, with the path of the value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SettingsProblem {
    pub at: String,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SettingsError {
    #[error("the settings are not well-formed: {0}")]
    Malformed(String),
    #[error("{}", .0.first().map(|p| format!("{}: {}", p.at, p.message)).unwrap_or_default())]
    Invalid(Vec<SettingsProblem>),
}

impl Settings {
    /// The editable part of a configuration.
    pub fn of(c: &Config) -> Settings {
        Settings {
            centre_name: c.centre.name.clone(),
            queue: QueueSettings {
                priority_ratio: c.queue.priority_ratio,
                max_wait_min: c.queue.max_wait_min,
                no_show_grace_min: c.queue.no_show_grace_min,
                number_digits: c.queue.number_digits,
                rating_window_min: c.queue.rating_window_min,
            },
            priority: c.priority.clone(),
            services: c.services.clone(),
            counters: c.counters.clone(),
            ticket: TicketSettings { qr_url: c.printer.qr_url.clone(), footer: c.printer.footer.clone() },
            printer: PrinterSettings { paper: c.printer.paper, profile: c.printer.profile, text: c.printer.text },
        }
    }

    /// Reads settings from JSON (as stored, or as the console sends them).
    pub fn from_json(text: &str) -> Result<Settings, SettingsError> {
        serde_json::from_str(text).map_err(|e| SettingsError::Malformed(e.to_string()))
    }
}

impl Config {
    /// This configuration with `s` in place of its editable part, checked whole. Token
    /// entries that name a counter the settings removed are refused too (the check's rule).
    pub fn with_settings(&self, s: &Settings) -> Result<Config, SettingsError> {
        let mut c = self.clone();
        c.centre.name = s.centre_name.clone();
        c.queue.priority_ratio = s.queue.priority_ratio;
        c.queue.max_wait_min = s.queue.max_wait_min;
        c.queue.no_show_grace_min = s.queue.no_show_grace_min;
        c.queue.number_digits = s.queue.number_digits;
        c.queue.rating_window_min = s.queue.rating_window_min;
        c.priority = s.priority.clone();
        c.services = s.services.clone();
        c.counters = s.counters.clone();
        c.printer.qr_url = s.ticket.qr_url.clone();
        c.printer.footer = s.ticket.footer.clone();
        c.printer.paper = s.printer.paper;
        c.printer.profile = s.printer.profile;
        c.printer.text = s.printer.text;
        let problems = super::check::check(&c);
        if problems.is_empty() {
            // Stored as checked: trimmed and composed, one byte form for every screen.
            c.centre.name = crate::text::nfc(c.centre.name.trim());
            Ok(c)
        } else {
            Err(SettingsError::Invalid(
                problems
                    .into_iter()
                    .map(|p| {
                        let text = p.to_string();
                        let (at, message) = text.split_once(": ").unwrap_or(("", text.as_str()));
                        // The file's `[centre] name` is `centre_name` in the settings.
                        let at = if at == "centre.name" { "centre_name" } else { at };
                        SettingsProblem { at: at.to_owned(), message: message.to_owned() }
                    })
                    .collect(),
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn demo() -> Config {
        Config::load(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../assets/demo.toml")).unwrap()
    }

    #[test]
    fn the_settings_of_a_config_round_trip_through_json_unchanged() {
        let c = demo();
        let s = Settings::of(&c);
        let json = serde_json::to_string(&s).unwrap();
        let back = Settings::from_json(&json).unwrap();
        assert_eq!(back, s);
        let again = c.with_settings(&back).unwrap();
        assert_eq!(Settings::of(&again), s);
        assert_eq!(again.store.path, c.store.path, "the file-only part is kept");
    }

    #[test]
    fn a_bad_setting_is_refused_with_the_path_of_the_value() {
        // Proves the console cannot store what the file would refuse (two services, one letter).
        let c = demo();
        let mut s = Settings::of(&c);
        s.services[2].letter = "A".into();
        match c.with_settings(&s) {
            Err(SettingsError::Invalid(p)) => {
                assert_eq!(p[0].at, "services[2].letter");
                assert!(p[0].message.contains("used by two services"), "{}", p[0].message);
            }
            other => panic!("expected a refusal, got {other:?}"),
        }
    }

    #[test]
    fn removing_a_service_that_a_counter_serves_is_refused() {
        // Proves references between tables are checked live too.
        let c = demo();
        let mut s = Settings::of(&c);
        s.services.retain(|x| x.id != "land");
        let err = c.with_settings(&s).unwrap_err();
        assert!(err.to_string().contains("counters[3].services"), "{err}");
    }

    #[test]
    fn a_native_text_mode_needs_a_printer_that_has_the_code_page() {
        // Proves the console cannot set what the file would refuse: TCVN-3 on a generic printer.
        let c = demo();
        let mut s = Settings::of(&c);
        s.printer.text = PrinterText::Tcvn3;
        s.printer.profile = PrinterProfile::Generic;
        let err = c.with_settings(&s).unwrap_err();
        assert!(err.to_string().starts_with("printer.text"), "{err}");
        s.printer.profile = PrinterProfile::Epson;
        s.printer.paper = 58;
        let c2 = c.with_settings(&s).unwrap();
        assert_eq!((c2.printer.paper, c2.printer.text), (58, PrinterText::Tcvn3));
        s.printer.paper = 76;
        assert!(c.with_settings(&s).unwrap_err().to_string().starts_with("printer.paper"));
    }

    #[test]
    fn unknown_keys_and_wrong_types_are_refused() {
        // Proves a typo in the console's JSON is not silently dropped.
        let c = demo();
        let mut v = serde_json::to_value(Settings::of(&c)).unwrap();
        v["queue"]["priorty_ratio"] = 3.into();
        assert!(matches!(Settings::from_json(&v.to_string()), Err(SettingsError::Malformed(m)) if m.contains("priorty_ratio")));
        let mut v = serde_json::to_value(Settings::of(&c)).unwrap();
        v["services"][0]["hours"] = serde_json::json!(["25:00-26:00"]);
        assert!(matches!(Settings::from_json(&v.to_string()), Err(SettingsError::Malformed(_))));
    }

    #[test]
    fn a_centre_name_that_garbles_is_refused_under_its_settings_key() {
        // Proves the console cannot set what the file refuses: a right-to-left override, ESC,
        // or a name longer than a board line; the problem names `centre_name`.
        let c = demo();
        for bad in ["UBND \u{202E}phường".to_owned(), "UBND\u{1b}[2J".to_owned(), "Đ".repeat(12_000)] {
            let mut s = Settings::of(&c);
            s.centre_name = bad;
            match c.with_settings(&s) {
                Err(SettingsError::Invalid(p)) => assert_eq!(p[0].at, "centre_name", "{}", p[0].message),
                other => panic!("expected a refusal, got {other:?}"),
            }
        }
        let mut s = Settings::of(&c);
        s.centre_name = " UBND phu\u{031B}o\u{031B}\u{0300}ng ".into();
        assert_eq!(c.with_settings(&s).unwrap().centre.name, "UBND phường");
    }
}
