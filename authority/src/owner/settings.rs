//! The administrator's settings: the file's editable part replaced by the newest stored one at
//! start, and changed live by `reconfigure`: checked by the file's rules, checked against the
//! day's tickets by the engine, then stored with its `settings_changed` event and audit line in
//! one transaction. Only after that commit does anyone see the change.
use super::{Actor, AuthorityError};
use shared::config::{Config, Settings};
use shared::console::Audit;
use shared::domain::{Command, SettingsRef};
use shared::store::{Append, Side, Store};
use shared::text;
use std::sync::Arc;

#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    #[error("the settings were changed meanwhile (version {current}, this edit started from {seen}): reload and edit again")]
    VersionConflict { seen: u64, current: u64 },
    #[error(transparent)]
    Invalid(#[from] shared::config::SettingsError),
    #[error(
        "the stored settings (version {version}) do not fit the configuration file: {source}; fix the file, or restore an older database"
    )]
    Stored { version: u64, source: shared::config::SettingsError },
}

/// The configuration in force at start, and the version of the settings in it (0: the file's).
pub fn effective(store: &Store, file: Arc<Config>) -> Result<(u64, Arc<Config>), AuthorityError> {
    let Some((version, json)) = store.settings()? else { return Ok((0, file)) };
    let mut settings = Settings::from_json(&json).map_err(|source| SettingsError::Stored { version, source })?;
    // A centre name stored before names were checked (control characters, direction
    // overrides, any length) would now stop the start: it is cleaned instead, and said so.
    let cleaned = text::clean_name(&settings.centre_name, text::NAME_MAX_CHARS);
    if cleaned != settings.centre_name {
        let cleaned = if cleaned.is_empty() { file.centre.name.clone() } else { cleaned };
        tracing::warn!(
            "the stored centre name (settings version {version}) held characters that garble boards and terminals, or was too long: \
             shown as {cleaned:?} until the administrator saves the settings again"
        );
        settings.centre_name = cleaned;
    }
    let config = file.with_settings(&settings).map_err(|source| SettingsError::Stored { version, source })?;
    tracing::info!("the administrator's settings version {version} are in force");
    Ok((version, Arc::new(config)))
}

impl Actor {
    pub(super) fn reconfigure(&mut self, settings: Settings, seen: u64, by: &str) -> Result<(u64, Settings), AuthorityError> {
        if seen != self.version {
            return Err(SettingsError::VersionConflict { seen, current: self.version }.into());
        }
        let config = Arc::new(self.config.with_settings(&settings).map_err(SettingsError::Invalid)?);
        let version = self.version + 1;
        let now = self.clock.now();
        let out = match self.engine.execute(&Command::Reconfigure { config: SettingsRef(config.clone()), version }, now) {
            Ok(out) => out,
            Err(e) => {
                // A refusal may still have turned the day: that part is committed as usual.
                self.tick();
                return Err(e.into());
            }
        };
        let body = serde_json::to_string(&Settings::of(&config)).expect("settings serialise");
        let audit = Audit::new(by, "settings_changed").target(format!("version {version}")).detail(summary(&self.config, &config));
        let batch: Vec<Append> = out.events.iter().map(|e| Append { event: e, key: None }).collect();
        let side = [Side::Settings { version, by, body: &body }, Side::Audit(&audit)];
        if let Err(e) = self.store.append_with(&batch, &side) {
            tracing::error!("storing settings version {version} failed: {e}");
            if let Err(e) = self.reload() {
                tracing::error!("the log cannot be read back after a failed commit: {e}");
            }
            return Err(e.into());
        }
        self.config = config.clone();
        self.version = version;
        *self.shared.write().unwrap_or_else(|p| p.into_inner()) = config.clone();
        for e in out.events {
            let _ = self.events.send(Arc::new(e));
        }
        tracing::info!("settings version {version} stored and in force (by {by})");
        Ok((version, Settings::of(&config)))
    }
}

/// What changed, in a line for the audit log: which services, counters and classes came, went
/// or changed, and which other sections changed.
fn summary(old: &Config, new: &Config) -> String {
    let old_s = Settings::of(old);
    let new_s = Settings::of(new);
    let mut parts = Vec::new();
    fn diff<T: PartialEq>(what: &str, a: &[T], b: &[T], id: impl Fn(&T) -> &str, parts: &mut Vec<String>) {
        let find = |v: &[T], k: &str| v.iter().position(|x| id(x) == k);
        let added: Vec<&str> = b.iter().map(&id).filter(|k| find(a, k).is_none()).collect();
        let removed: Vec<&str> = a.iter().map(&id).filter(|k| find(b, k).is_none()).collect();
        let changed: Vec<&str> = b.iter().filter(|x| find(a, id(x)).is_some_and(|i| a[i] != **x)).map(&id).collect();
        for (verb, list) in [("added", added), ("removed", removed), ("changed", changed)] {
            if !list.is_empty() {
                parts.push(format!("{what} {verb}: {}", list.join(", ")));
            }
        }
    }
    diff("services", &old_s.services, &new_s.services, |s| s.id.as_str(), &mut parts);
    diff("counters", &old_s.counters, &new_s.counters, |c| c.id.as_str(), &mut parts);
    diff("priority classes", &old_s.priority, &new_s.priority, |p| p.id.as_str(), &mut parts);
    if old_s.centre_name != new_s.centre_name {
        parts.push("centre name".into());
    }
    if old_s.queue != new_s.queue {
        parts.push("queue rules".into());
    }
    if old_s.ticket != new_s.ticket {
        parts.push("ticket text".into());
    }
    if old_s.printer != new_s.printer {
        parts.push("printer".into());
    }
    if parts.is_empty() {
        "no change".into()
    } else {
        parts.join("; ")
    }
}
