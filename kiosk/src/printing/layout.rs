//! A ticket job → what the printer crate draws and sends.
use super::{PrintFailure, TicketJob};
use printer::{Paper, Profile, TicketLayout};
use shared::config::{Config, PrinterProfile};

pub fn paper(config: &Config) -> Paper {
    if config.printer.paper == 58 {
        Paper::Mm58
    } else {
        Paper::Mm80
    }
}

pub fn profile(config: &Config) -> Profile {
    let width = paper(config).width_dots();
    match config.printer.profile {
        PrinterProfile::Generic => Profile::generic(width),
        PrinterProfile::Epson => Profile::epson(width),
    }
}

pub fn ticket_layout(config: &Config, job: &TicketJob) -> TicketLayout {
    let local = job.issued_at.with_timezone(&config.centre.utc_offset.0);
    TicketLayout {
        centre_name: config.centre.name.clone(),
        number: job.number.clone(),
        service_name: job.service_name.clone(),
        priority: job.priority_name.clone(),
        people_ahead: job.waiting_ahead,
        estimated_wait_min: job.estimated_wait_s.div_ceil(60),
        issued_at: local.format("%H:%M %d/%m/%Y").to_string(),
        qr_url: config
            .printer
            .qr_url
            .as_ref()
            .map(|u| u.replace("{id}", &job.ticket_id.to_string()).replace("{number}", &job.number)),
        footer: config.printer.footer.clone(),
        paper: paper(config),
    }
}

/// The exact bytes the printer receives for this job.
pub fn encode_job(config: &Config, job: &TicketJob) -> Result<Vec<u8>, PrintFailure> {
    let layout = ticket_layout(config, job);
    Ok(printer::encode(&layout.document()?, &profile(config))?)
}
