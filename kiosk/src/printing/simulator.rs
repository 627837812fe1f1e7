//! No printer: each ticket's bytes and the paper the virtual printer decodes from them are
//! written to a folder, so the demo and the tests print the same bytes a printer would get.
//! Tickets are `ticket-{day}-{number}.*`; checklist slips `checklist-{time}-{code}.*`.
//! Files named `PAPER_END`, `COVER_OPEN` or `OFFLINE` in the folder make it report that problem,
//! so the kiosk's refusals can be tried without a printer.
use super::layout::paper;
use super::{encode_checklist, encode_job, ChecklistJob, PrintFailure, Problem, Readiness, TicketJob, TicketPrinter};
use shared::config::Config;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

pub struct SimulatedPrinter {
    config: Arc<Config>,
    dir: PathBuf,
    busy: Mutex<()>,
    /// Numbers the checklist files, so two slips in one second do not overwrite each other.
    slips: AtomicU64,
}

impl SimulatedPrinter {
    pub fn new(config: Arc<Config>, dir: PathBuf) -> SimulatedPrinter {
        SimulatedPrinter { config, dir, busy: Mutex::new(()), slips: AtomicU64::new(0) }
    }

    fn problem(&self) -> Option<Problem> {
        [("PAPER_END", Problem::PaperEnd), ("COVER_OPEN", Problem::CoverOpen), ("OFFLINE", Problem::Offline)]
            .into_iter()
            .find(|(f, _)| self.dir.join(f).exists())
            .map(|(_, p)| p)
    }

    fn io(&self, path: PathBuf) -> impl FnOnce(std::io::Error) -> PrintFailure {
        move |source| PrintFailure::SimulatorIo { path, source }
    }

    /// Writes `{stem}.escpos` (the bytes) and `{stem}.png` (the paper the virtual printer decodes
    /// from them, so the picture proves the bytes), unless a problem file says the printer cannot.
    fn emit(&self, stem: &str, bytes: &[u8]) -> Result<(), PrintFailure> {
        if let Some(p) = self.problem() {
            return Err(PrintFailure::Simulated(p));
        }
        let _busy = self.busy.lock().unwrap_or_else(|p| p.into_inner());
        std::fs::create_dir_all(&self.dir).map_err(self.io(self.dir.clone()))?;
        let bin = self.dir.join(format!("{stem}.escpos"));
        std::fs::write(&bin, bytes).map_err(self.io(bin.clone()))?;
        let mut vp = printer::VirtualPrinter::new(paper(&self.config).width_dots());
        vp.write(bytes)?;
        let png = self.dir.join(format!("{stem}.png"));
        vp.finish()?.save_png(&png).map_err(|source| PrintFailure::SimulatorPng { path: png.clone(), source })?;
        Ok(())
    }
}

impl TicketPrinter for SimulatedPrinter {
    fn readiness(&self) -> Readiness {
        match self.problem() {
            Some(p) => Readiness::Unable(p),
            None => Readiness::Ready,
        }
    }

    fn print(&self, job: &TicketJob) -> Result<Readiness, PrintFailure> {
        let bytes = encode_job(&self.config, job)?;
        let stem = format!("ticket-{}-{}", job.issued_at.format("%Y%m%d"), job.number);
        self.emit(&stem, &bytes)?;
        tracing::info!("ticket {} printed to {}", job.number, self.dir.join(format!("{stem}.png")).display());
        Ok(Readiness::Ready)
    }

    fn print_checklist(&self, job: &ChecklistJob) -> Result<Readiness, PrintFailure> {
        let bytes = encode_checklist(&self.config, job)?;
        let n = self.slips.fetch_add(1, Ordering::SeqCst) + 1;
        let tag: String = job.tag.chars().map(|c| if c.is_ascii_alphanumeric() || c == '.' { c } else { '_' }).collect();
        let stem = format!("checklist-{}-{n}-{tag}", job.printed_at.format("%Y%m%d-%H%M%S"));
        self.emit(&stem, &bytes)?;
        tracing::info!("checklist {} printed to {}", job.tag, self.dir.join(format!("{stem}.png")).display());
        Ok(Readiness::Ready)
    }

    fn describe(&self) -> String {
        format!("simulated printer in {}", self.dir.display())
    }
}
