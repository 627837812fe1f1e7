//! Reading a configuration file: every refusal names the file, the line and the reason.
use super::problem::{locate, syntax, Seg};
use super::Config;
use std::path::{Path, PathBuf};

/// A configuration that cannot be used, with where and why.
#[derive(Debug, thiserror::Error)]
#[error("{}{}: {kind}", path.display(), line.map(|l| format!(":{l}")).unwrap_or_default())]
pub struct ConfigError {
    pub path: PathBuf,
    /// 1-based line of the offending key or value, when it can be told.
    pub line: Option<usize>,
    pub kind: ConfigErrorKind,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigErrorKind {
    #[error("cannot read the file: {0}")]
    Read(#[source] std::io::Error),
    #[error("{0}")]
    Syntax(String),
    #[error("{0}")]
    Invalid(String),
}

impl Config {
    /// Reads, parses and checks a configuration file. A relative store path is resolved against
    /// the file's folder, so the same file works from any working directory.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text =
            std::fs::read_to_string(path).map_err(|e| ConfigError { path: path.to_owned(), line: None, kind: ConfigErrorKind::Read(e) })?;
        let mut config = Config::parse(&text).map_err(|(line, kind)| ConfigError { path: path.to_owned(), line, kind })?;
        let dir = path.parent().unwrap_or(Path::new("."));
        let resolve = |p: &mut PathBuf| {
            if p.is_relative() && p.as_os_str() != ":memory:" {
                *p = dir.join(&*p);
            }
        };
        resolve(&mut config.store.path);
        for p in [&mut config.server.tls_cert, &mut config.server.tls_key, &mut config.kiosk.ca].into_iter().flatten() {
            resolve(p);
        }
        for p in [&mut config.catalogue.procedures, &mut config.catalogue.fields, &mut config.catalogue.synonyms, &mut config.printer.logo]
            .into_iter()
            .flatten()
        {
            resolve(p);
        }
        if let Some(u) = &mut config.uplink {
            if let Some(ca) = &mut u.ca {
                resolve(ca);
                // Read now: a CA that is missing is a mistake to show at start, not at the first push.
                let pem = std::fs::read(&*ca).map_err(|e| ConfigError {
                    path: path.to_owned(),
                    line: locate(&text, &[Seg::Key("uplink"), Seg::Key("ca")]),
                    kind: ConfigErrorKind::Invalid(format!("uplink.ca: cannot read {}: {e}", ca.display())),
                })?;
                u.ca_pem = Some(pem);
            }
        }
        match &mut config.printer.device {
            super::PrinterDevice::Simulator { dir: p } | super::PrinterDevice::File { path: p } => resolve(p),
            _ => {}
        }
        Ok(config)
    }

    /// Parses and checks configuration text; the error carries the line where it can be told.
    pub fn parse(text: &str) -> Result<Config, (Option<usize>, ConfigErrorKind)> {
        let mut config: Config = toml::from_str(text).map_err(|e| {
            let (line, message) = syntax(text, &e);
            (line, ConfigErrorKind::Syntax(message))
        })?;
        if let Some(p) = super::check::check(&config).into_iter().next() {
            return Err((locate(text, &p.at), ConfigErrorKind::Invalid(p.to_string())));
        }
        // A kiosk without a `[printer]` table is a lookup screen; serde's defaults cannot tell
        // a table left out from one left at its defaults, the document can.
        config.has_printer = text.parse::<toml::Table>().is_ok_and(|t| t.contains_key("printer"));
        config.centre.name = crate::text::nfc(config.centre.name.trim());
        Ok(config)
    }
}
