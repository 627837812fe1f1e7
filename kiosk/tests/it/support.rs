//! A printer for the UI tests: the simulator, whose roll can be made to run out in the middle of
//! the next ticket (after it said it was ready: the `PAPER_END` file appears as the ticket
//! prints), and which remembers every ticket job it was given.
#![allow(dead_code)]
use kiosk::printing::{ChecklistJob, PrintFailure, Readiness, TicketJob, TicketPrinter};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

pub struct RunOut {
    inner: Arc<dyn TicketPrinter>,
    dir: PathBuf,
    armed: AtomicBool,
    pub jobs: Mutex<Vec<TicketJob>>,
}

impl RunOut {
    /// The simulator of `config`, writing to `dir` (its `[printer.device] dir`).
    pub fn new(config: &shared::config::Config, dir: PathBuf) -> Arc<RunOut> {
        Arc::new(RunOut { inner: kiosk::printing::open(config), dir, armed: AtomicBool::new(false), jobs: Mutex::new(Vec::new()) })
    }

    /// The roll runs out during the next ticket.
    pub fn arm(&self) {
        self.armed.store(true, Ordering::SeqCst);
    }
}

impl TicketPrinter for RunOut {
    fn readiness(&self) -> Readiness {
        self.inner.readiness()
    }
    fn print(&self, job: &TicketJob) -> Result<Readiness, PrintFailure> {
        self.jobs.lock().unwrap().push(job.clone());
        if self.armed.swap(false, Ordering::SeqCst) {
            std::fs::write(self.dir.join("PAPER_END"), b"").unwrap();
        }
        self.inner.print(job)
    }
    fn print_checklist(&self, job: &ChecklistJob) -> Result<Readiness, PrintFailure> {
        self.inner.print_checklist(job)
    }
    fn describe(&self) -> String {
        self.inner.describe()
    }
}
