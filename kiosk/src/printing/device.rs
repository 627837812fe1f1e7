//! A real ticket printer behind one of the printer crate's transports.
use super::{encode_checklist, encode_job, ChecklistJob, PrintFailure, Problem, Readiness, TicketJob, TicketPrinter};
use printer::job::PrintOptions;
use printer::transport::{DeviceTransport, FileTransport, FlowControl, SerialConfig, SerialTransport, TcpTransport};
use printer::{PrintError, PrinterStatus, Transport};
use shared::config::{PrinterDevice, SerialFlow};
use std::sync::{Arc, Mutex};
use std::time::Duration;

const STATUS_TIMEOUT: Duration = Duration::from_millis(500);
const CONNECT_TIMEOUT: Duration = Duration::from_secs(3);

pub struct DevicePrinter {
    config: Arc<super::LiveConfig>,
    /// One job at a time: two tickets interleaved on the wire would print as garbage.
    busy: Mutex<()>,
}

impl DevicePrinter {
    pub fn new(config: Arc<super::LiveConfig>) -> DevicePrinter {
        DevicePrinter { config, busy: Mutex::new(()) }
    }

    /// Opened per job: a printer that was unplugged, switched off or restarted since the last
    /// ticket is found again without restarting the kiosk.
    fn open(&self) -> Result<Box<dyn Transport>, PrintError> {
        Ok(match &self.config.get().printer.device {
            PrinterDevice::File { path } => Box::new(FileTransport::append(path)?),
            PrinterDevice::Usb { path } => Box::new(DeviceTransport::open(path)?),
            PrinterDevice::Tcp { address } => Box::new(TcpTransport::connect(*address, CONNECT_TIMEOUT)?),
            PrinterDevice::Serial { path, baud, flow } => {
                let mut c = SerialConfig::new(path.display().to_string(), *baud);
                c.flow = match flow {
                    SerialFlow::RtsCts => FlowControl::RtsCts,
                    SerialFlow::XonXoff => FlowControl::XonXoff,
                    SerialFlow::None => FlowControl::None,
                };
                Box::new(SerialTransport::open(&c)?)
            }
            PrinterDevice::Simulator { .. } => unreachable!("the simulator is its own printer"),
        })
    }

    /// Sends one job's bytes, one job at a time; on success, whether the paper is running low.
    fn send(&self, bytes: &[u8]) -> Result<Readiness, PrintFailure> {
        let _busy = self.busy.lock().unwrap_or_else(|p| p.into_inner());
        let mut t = self.open()?;
        let opts =
            PrintOptions { write_timeout: Duration::from_secs(self.config.get().printer.timeout_s as u64), status_timeout: STATUS_TIMEOUT };
        let outcome = printer::print(&mut *t, bytes, opts)?;
        Ok(if outcome.paper_near_end() { Readiness::PaperNearEnd } else { readiness_of(outcome.after.or(outcome.before)) })
    }
}

pub(super) fn readiness_of(status: Option<PrinterStatus>) -> Readiness {
    match status {
        None => Readiness::Unknown,
        Some(s) if s.paper_end => Readiness::Unable(Problem::PaperEnd),
        Some(s) if s.cover_open => Readiness::Unable(Problem::CoverOpen),
        Some(s) if !s.online => Readiness::Unable(Problem::Offline),
        Some(s) if s.paper_near_end => Readiness::PaperNearEnd,
        Some(_) => Readiness::Ready,
    }
}

impl TicketPrinter for DevicePrinter {
    fn readiness(&self) -> Readiness {
        let _busy = self.busy.lock().unwrap_or_else(|p| p.into_inner());
        match self.open().and_then(|mut t| t.read_status(STATUS_TIMEOUT)) {
            Ok(status) => readiness_of(status),
            Err(e) => {
                tracing::warn!("printer not ready: {e}");
                Readiness::Unable(PrintFailure::Printer(e).problem())
            }
        }
    }

    fn print(&self, job: &TicketJob) -> Result<Readiness, PrintFailure> {
        self.send(&encode_job(&self.config.get(), job)?)
    }

    fn print_checklist(&self, job: &ChecklistJob) -> Result<Readiness, PrintFailure> {
        self.send(&encode_checklist(&self.config.get(), job)?)
    }

    fn describe(&self) -> String {
        match &self.config.get().printer.device {
            PrinterDevice::File { path } => format!("file {}", path.display()),
            PrinterDevice::Usb { path } => format!("USB printer {}", path.display()),
            PrinterDevice::Tcp { address } => format!("network printer {address}"),
            PrinterDevice::Serial { path, baud, .. } => format!("serial printer {} at {baud} baud", path.display()),
            PrinterDevice::Simulator { dir } => format!("simulated printer in {}", dir.display()),
        }
    }
}
