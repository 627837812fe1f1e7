//! A ticket job → what the printer crate draws and sends.
use super::{PrintFailure, TicketJob};
use printer::{Bitmap, CodePage, Paper, Profile, TicketLayout};
use shared::config::{Config, PrinterProfile, PrinterText};
use std::path::PathBuf;

pub fn paper(config: &Config) -> Paper {
    if config.printer.paper == 58 {
        Paper::Mm58
    } else {
        Paper::Mm80
    }
}

pub fn profile(config: &Config) -> Profile {
    let width = paper(config).width_dots();
    let base = match config.printer.profile {
        PrinterProfile::Generic => Profile::generic(width),
        PrinterProfile::Epson => Profile::epson(width),
    };
    let text = match config.printer.text {
        PrinterText::Raster => None,
        PrinterText::Tcvn3 => Some(CodePage::Tcvn3),
        PrinterText::Cp1258 => Some(CodePage::Cp1258),
    };
    Profile { text, ..base }
}

/// The `[printer] logo` cannot be printed.
#[derive(Debug, thiserror::Error)]
pub enum LogoError {
    #[error("printer logo {path}: cannot read it: {source}")]
    Read { path: PathBuf, source: std::io::Error },
    #[error("printer logo {path}: {source}")]
    Image { path: PathBuf, source: printer::image::ImageError },
}

/// The configured logo as ink for this paper; `None` when there is none. Checked when the kiosk
/// starts (a bad file is a configuration error), read again for each ticket so that a logo
/// replaced on disk is printed without a restart.
pub fn load_logo(config: &Config) -> Result<Option<Bitmap>, LogoError> {
    let Some(path) = &config.printer.logo else { return Ok(None) };
    let bytes = std::fs::read(path).map_err(|source| LogoError::Read { path: path.clone(), source })?;
    printer::image::logo_from_png(&bytes, paper(config).width_dots())
        .map(Some)
        .map_err(|source| LogoError::Image { path: path.clone(), source })
}

pub fn ticket_layout(config: &Config, job: &TicketJob) -> TicketLayout {
    // A logo that broke after start must not stop tickets: print without it, say why.
    let logo = load_logo(config).unwrap_or_else(|e| {
        tracing::error!("{e}; printing the ticket without the logo");
        None
    });
    let local = job.issued_at.with_timezone(&config.centre.utc_offset.0);
    TicketLayout {
        centre_name: config.centre.name.clone(),
        number: job.number.clone(),
        service_name: job.service_name.clone(),
        priority: job.priority_name.clone(),
        people_ahead: job.waiting_ahead,
        estimated_wait_min: job.estimated_wait_s.div_ceil(60),
        issued_at: local.format("%H:%M %d/%m/%Y").to_string(),
        qr_url: config.printer.qr_url.as_deref().and_then(|u| qr_address(u, job)),
        footer: config.printer.footer.clone(),
        logo,
        paper: paper(config),
    }
}

/// The QR code's address: `[printer] qr_url` with the ticket's `{key}`, `{id}` and `{number}`.
/// A template that asks for the key prints no code on a ticket without one (issued before keys
/// existed): a code that opened the wrong page would be worse than none.
fn qr_address(template: &str, job: &TicketJob) -> Option<String> {
    let key = match (template.contains("{key}"), job.key.as_deref()) {
        (true, None) => return None,
        (_, key) => key.unwrap_or_default(),
    };
    Some(template.replace("{key}", key).replace("{id}", &job.ticket_id.to_string()).replace("{number}", &job.number))
}

/// The exact bytes the printer receives for this job, text as raster or in the printer's code
/// page as `[printer] text` says.
pub fn encode_job(config: &Config, job: &TicketJob) -> Result<Vec<u8>, PrintFailure> {
    let profile = profile(config);
    let layout = ticket_layout(config, job);
    let encoded = printer::encode_detailed(&layout.document_for(&profile)?, &profile)?;
    for f in &encoded.fallbacks {
        // Expected for some text (TCVN-3 has no "–"); logged so a centre can see why a line
        // costs more bytes, never printed wrongly.
        tracing::debug!("ticket {}: line {:?} printed as raster: {:?} is not in the code page", job.number, f.text, f.missing);
    }
    Ok(encoded.bytes)
}
