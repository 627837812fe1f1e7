//! The kiosk's ticket printer: what the touch UI asks before it takes a number (can we print?)
//! and after (print it).
//!
//! - `mod.rs`: the `TicketPrinter` trait, the job, the failure, and `open` from the configuration.
//! - `layout.rs`: a ticket job → the printer crate's layout (with the configured logo), and the
//!   ESC/POS bytes for the profile, text as raster or in the printer's code page (`[printer] text`).
//! - `checklist.rs`: the other slips: a procedure's checklist of documents, the test print.
//! - `device.rs`: a real printer behind one of the printer crate's transports, opened per job
//!   so that a printer unplugged and plugged back in works again without a restart.
//! - `simulator.rs`: no printer: the bytes and the paper decoded from them go to a folder.
//! - `live.rs`: the configuration tickets are laid out with, following the administrator's
//!   settings while the kiosk runs.
//! - `link.rs`: the printer's health reported to the authority; reprints staff ask for.
mod checklist;
mod device;
mod layout;
pub mod link;
mod live;
mod simulator;

pub use checklist::{checklist_layout, documents, encode_checklist, procedure_checklist, test_slip, ChecklistJob};
pub use device::DevicePrinter;
pub use layout::{encode_job, load_logo, profile, ticket_layout, LogoError};
pub use live::LiveConfig;
pub use simulator::SimulatedPrinter;

use chrono::{DateTime, Utc};
use shared::config::{Config, PrinterDevice};
use std::sync::Arc;

/// Everything printed on a ticket.
#[derive(Debug, Clone, PartialEq)]
pub struct TicketJob {
    pub ticket_id: u64,
    pub number: String,
    pub service_name: String,
    pub priority_name: Option<String>,
    pub waiting_ahead: u32,
    pub estimated_wait_s: u32,
    pub issued_at: DateTime<Utc>,
    /// The ticket's public key, for `{key}` in `[printer] qr_url` (the phone page).
    pub key: Option<String>,
}

/// Whether a ticket can be printed now, as far as the printer can tell.
#[derive(Debug, Clone, PartialEq)]
pub enum Readiness {
    Ready,
    /// Prints, but staff should change the roll soon.
    PaperNearEnd,
    /// Cannot print: do not hand out a number.
    Unable(Problem),
    /// The printer cannot report its state (a file, a printer with no back channel).
    Unknown,
}

/// Why a ticket cannot be printed, in the words the kiosk shows (the message for staff is
/// the `Display` of `PrintFailure`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Problem {
    PaperEnd,
    CoverOpen,
    Offline,
    Unreachable,
}

impl Problem {
    /// The machine code reported to staff.
    pub fn code(self) -> &'static str {
        match self {
            Problem::PaperEnd => "paper_end",
            Problem::CoverOpen => "cover_open",
            Problem::Offline => "offline",
            Problem::Unreachable => "unreachable",
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum PrintFailure {
    #[error(transparent)]
    Printer(#[from] printer::PrintError),
    #[error("the ticket cannot be laid out: {0}")]
    Layout(#[from] printer::LayoutError),
    #[error("the ticket cannot be encoded: {0}")]
    Encode(#[from] printer::EncodeError),
    #[error("the simulated printer reports {0:?}")]
    Simulated(Problem),
    #[error("the simulated printer cannot write to {path}: {source}")]
    SimulatorIo { path: std::path::PathBuf, source: std::io::Error },
    #[error("the simulated printer cannot save {path}: {source}")]
    SimulatorPng { path: std::path::PathBuf, source: printer::bitmap::PngError },
    #[error("the virtual printer cannot decode the bytes sent: {0}")]
    Decode(#[from] printer::DecodeError),
    #[error("this kiosk has no printer (no [printer] table): it is a lookup screen")]
    NoPrinter,
}

impl PrintFailure {
    /// The problem to show the citizen, or `Unreachable` for everything else.
    pub fn problem(&self) -> Problem {
        use printer::PrintError as E;
        match self {
            PrintFailure::Printer(E::PaperEnd { .. }) => Problem::PaperEnd,
            PrintFailure::Printer(E::CoverOpen { .. }) => Problem::CoverOpen,
            PrintFailure::Printer(E::Offline { .. }) => Problem::Offline,
            PrintFailure::Simulated(p) => *p,
            _ => Problem::Unreachable,
        }
    }
}

/// A ticket printer. Implementations are blocking (serial and USB writes are): call them from
/// a blocking thread, never from an async task.
pub trait TicketPrinter: Send + Sync {
    /// Asked before a number is taken: a kiosk does not hand out a number it cannot print.
    fn readiness(&self) -> Readiness;
    /// Prints one ticket; on success, whether the paper is running low.
    fn print(&self, job: &TicketJob) -> Result<Readiness, PrintFailure>;
    /// Prints a checklist slip (a procedure's documents, a test print); like `print`.
    fn print_checklist(&self, job: &ChecklistJob) -> Result<Readiness, PrintFailure>;
    /// Where the tickets go, for logs and for staff.
    fn describe(&self) -> String;
}

/// The printer of a lookup screen (a kiosk without `[printer]`): there is none. The UI offers
/// nothing to print there; should anything ask, it is refused, never sent anywhere.
pub struct NoPrinter;

impl TicketPrinter for NoPrinter {
    fn readiness(&self) -> Readiness {
        Readiness::Unable(Problem::Unreachable)
    }
    fn print(&self, _: &TicketJob) -> Result<Readiness, PrintFailure> {
        Err(PrintFailure::NoPrinter)
    }
    fn print_checklist(&self, _: &ChecklistJob) -> Result<Readiness, PrintFailure> {
        Err(PrintFailure::NoPrinter)
    }
    fn describe(&self) -> String {
        "no printer (a lookup screen)".into()
    }
}

/// The sample ticket of `kiosk print-sample`: A123 for the first service.
pub fn sample_job(config: &Config) -> TicketJob {
    TicketJob {
        ticket_id: 123,
        number: "A123".into(),
        service_name: config.services.first().map(|s| s.name.clone()).unwrap_or_default(),
        priority_name: None,
        waiting_ahead: 7,
        estimated_wait_s: 21 * 60,
        issued_at: Utc::now(),
        // The shape of a real key, so the sample's QR code is as dense as a real ticket's.
        key: Some("A123sampleTicket".into()),
    }
}

/// The printer the configuration names.
pub fn open(config: &Config) -> Arc<dyn TicketPrinter> {
    open_live(LiveConfig::new(config.clone()))
}

/// The printer the configuration names, laying tickets out with `live` as it stands at each
/// ticket (the link keeps it current with the administrator's settings).
pub fn open_live(live: Arc<LiveConfig>) -> Arc<dyn TicketPrinter> {
    let device = live.get().printer.device.clone();
    match device {
        PrinterDevice::Simulator { dir } => Arc::new(SimulatedPrinter::new(live, dir)),
        _ => Arc::new(DevicePrinter::new(live)),
    }
}

#[cfg(test)]
mod tests;
