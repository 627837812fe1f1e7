//! The configuration tickets are laid out with, kept current while the kiosk runs: the
//! administrator may rename the centre or a service, or change the ticket's QR address or
//! footer, from the console, and the next ticket must say so without a restart.
//!
//! The file's configuration is the base (it names the printer device and how it prints); the
//! authority's settings (`GET /api/v1/settings`) replace its editable part, the same way the
//! authority itself applies them.
use shared::config::{Config, Settings, SettingsError};
use std::sync::{Arc, RwLock};

pub struct LiveConfig {
    file: Config,
    now: RwLock<Arc<Config>>,
}

impl LiveConfig {
    pub fn new(file: Config) -> Arc<LiveConfig> {
        let now = RwLock::new(Arc::new(file.clone()));
        Arc::new(LiveConfig { file, now })
    }

    /// The configuration in force now.
    pub fn get(&self) -> Arc<Config> {
        self.now.read().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// Takes the authority's settings. Settings this kiosk's file cannot take (a newer
    /// authority, a file that differs) are refused and the last good ones stay.
    pub fn apply(&self, settings: &Settings) -> Result<(), SettingsError> {
        let c = self.file.with_settings(settings)?;
        *self.now.write().unwrap_or_else(|p| p.into_inner()) = Arc::new(c);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_settings_replace_the_words_of_the_ticket_and_bad_ones_are_refused() {
        let file = Config::load(std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../assets/demo.toml"))).unwrap();
        let live = LiveConfig::new(file.clone());
        let mut s = Settings::of(&file);
        s.centre_name = "UBND phường Hoàn Kiếm".into();
        s.ticket.footer = vec!["Cảm ơn quý khách.".into()];
        live.apply(&s).unwrap();
        assert_eq!(live.get().centre.name, "UBND phường Hoàn Kiếm");
        assert_eq!(live.get().printer.footer, ["Cảm ơn quý khách."]);
        assert_eq!(live.get().printer.device, file.printer.device, "the device stays the file's");
        s.services.clear();
        assert!(live.apply(&s).is_err());
        assert_eq!(live.get().centre.name, "UBND phường Hoàn Kiếm", "the last good settings stay");
    }
}
