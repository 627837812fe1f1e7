//! No printer: each ticket's bytes and the paper the virtual printer decodes from them are
//! written to a folder, so the demo and the tests print the same bytes a printer would get.
//! Files named `PAPER_END`, `COVER_OPEN` or `OFFLINE` in the folder make it report that problem,
//! so the kiosk's refusals can be tried without a printer.
use super::layout::paper;
use super::{encode_job, PrintFailure, Problem, Readiness, TicketJob, TicketPrinter};
use shared::config::Config;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

pub struct SimulatedPrinter {
    config: Arc<Config>,
    dir: PathBuf,
    busy: Mutex<()>,
}

impl SimulatedPrinter {
    pub fn new(config: Arc<Config>, dir: PathBuf) -> SimulatedPrinter {
        SimulatedPrinter { config, dir, busy: Mutex::new(()) }
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
}

impl TicketPrinter for SimulatedPrinter {
    fn readiness(&self) -> Readiness {
        match self.problem() {
            Some(p) => Readiness::Unable(p),
            None => Readiness::Ready,
        }
    }

    fn print(&self, job: &TicketJob) -> Result<Readiness, PrintFailure> {
        if let Some(p) = self.problem() {
            return Err(PrintFailure::Simulated(p));
        }
        let bytes = encode_job(&self.config, job)?;
        let _busy = self.busy.lock().unwrap_or_else(|p| p.into_inner());
        std::fs::create_dir_all(&self.dir).map_err(self.io(self.dir.clone()))?;
        let stem = format!("ticket-{}-{}", job.issued_at.format("%Y%m%d"), job.number);
        let bin = self.dir.join(format!("{stem}.escpos"));
        std::fs::write(&bin, &bytes).map_err(self.io(bin.clone()))?;
        // Decode what was sent, as a printer would, so the picture proves the bytes.
        let mut vp = printer::VirtualPrinter::new(paper(&self.config).width_dots());
        vp.write(&bytes)?;
        let png = self.dir.join(format!("{stem}.png"));
        vp.finish()?.save_png(&png).map_err(|source| PrintFailure::SimulatorPng { path: png.clone(), source })?;
        tracing::info!("ticket {} printed to {}", job.number, png.display());
        Ok(Readiness::Ready)
    }

    fn describe(&self) -> String {
        format!("simulated printer in {}", self.dir.display())
    }
}
