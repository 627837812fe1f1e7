//! The Slint boards: the hall board and the results board (`display/ui/*.slint`, one
//! `export global …Adapter` per board, filled by one controller per board here).
//!
//! Threading: Slint wants its event loop on the main thread, the follower and the devices run
//! on tokio workers. [`run`] is called on the main thread: it creates the boards, forwards
//! every change of the display model to them with `slint::invoke_from_event_loop` (coalesced:
//! a slow frame never queues stale models), and runs either the real windows' event loop
//! (winit) or, headless, its own loop that renders a board and writes its snapshot whenever
//! what it shows changed.
//!
//! - `hall.rs`: the hall board's view (pure) and controller.
//! - `results.rs`, `pager.rs`: the results board's controller and its paging (pure);
//!   `evaluation.rs`: the nine-criteria evaluation of a finished dossier found there.
//! - `headless`: the display-less platform (snapshots, golden images, tests), the `headless` crate re-exported.
//! - `screens.rs`: the pictures `display-screens` writes into `images/` (the golden images).
slint::include_modules!();

pub mod evaluation;
pub mod hall;
pub use ::headless;
pub mod pager;
pub mod results;
pub mod screens;

use crate::health::Health;
use crate::model::Model;
use hall::{Hall, HallSettings, HallView};
use results::{Results, ResultsSettings};
use slint::ComponentHandle;
use std::rc::Rc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::watch;

/// A board's frame, for the bench and the tests: which board, the hall's view then, and when
/// it was rendered (headless) or its snapshot taken (window).
#[derive(Debug, Clone)]
pub struct BoardFrame {
    pub board: &'static str,
    pub hall: Option<HallView>,
    pub at: Instant,
}

#[derive(Debug, thiserror::Error)]
pub enum BoardError {
    #[error("the board cannot start: {0}")]
    Platform(#[from] slint::PlatformError),
    #[error("the board's event loop failed: {0}")]
    EventLoop(#[from] slint::EventLoopError),
}

/// A headless board's size when its configuration gives none (a window takes the screen's).
pub const HEADLESS_SIZE: (u32, u32) = (1920, 1080);

/// What the boards of a process are.
pub struct Spec {
    pub halls: Vec<HallSettings>,
    pub results: Vec<ResultsSettings>,
    /// Real windows (full screen), else headless.
    pub windowed: bool,
}

/// The boards on the UI thread.
pub struct Boards {
    pub halls: Vec<Rc<Hall>>,
    pub results: Vec<Rc<Results>>,
    snapshots: Vec<Option<std::path::PathBuf>>,
    health: Health,
    probe: Option<std::sync::mpsc::Sender<BoardFrame>>,
    _clock: slint::Timer,
}

impl Boards {
    /// Shows `model` on every board.
    pub fn model(&self, model: &Model) {
        for h in &self.halls {
            h.update(model);
        }
        for r in &self.results {
            r.set_model(model);
        }
    }

    fn tick(&self) {
        let now = chrono::Utc::now();
        for h in &self.halls {
            h.tick(now);
        }
        for r in &self.results {
            r.tick(now);
        }
    }

    /// Boards whose picture changed since last asked: (index in halls then results, hall view).
    fn changed(&self) -> Vec<(usize, &'static str, Option<HallView>)> {
        let mut out = Vec::new();
        for (i, h) in self.halls.iter().enumerate() {
            if h.take_dirty() {
                out.push((i, "hall", h.view()));
            }
        }
        for (i, r) in self.results.iter().enumerate() {
            if r.take_dirty() {
                out.push((self.halls.len() + i, "results", None));
            }
        }
        out
    }

    fn frame(&self, board: &'static str, hall: Option<HallView>) {
        if let Some(p) = &self.probe {
            let _ = p.send(BoardFrame { board, hall, at: Instant::now() });
        }
    }

    fn snapshot_result(&self, i: usize, r: Result<(), headless::SnapshotError>) {
        let part = format!("board {i} snapshot");
        match r {
            Ok(()) => self.health.clear(&part),
            Err(e) => {
                tracing::warn!("{e}");
                self.health.problem(&part, "snapshot_unwritable", e.to_string());
            }
        }
    }
}

fn create(
    spec: &Spec,
    centre: &str,
    health: &Health,
    probe: Option<std::sync::mpsc::Sender<BoardFrame>>,
    headless: Option<&headless::Headless>,
) -> Result<(Boards, Vec<Rc<slint::platform::software_renderer::MinimalSoftwareWindow>>), slint::PlatformError> {
    let mut halls = Vec::new();
    let mut results = Vec::new();
    let mut windows = Vec::new();
    let mut snapshots = Vec::new();
    for h in &spec.halls {
        let hall = match headless {
            Some(hl) => {
                let (width, height) = h.size.unwrap_or(HEADLESS_SIZE);
                let (hall, w) = hl.create(width, height, || Hall::new(h.clone(), false))?;
                windows.push(w);
                hall
            }
            None => Hall::new(h.clone(), true)?,
        };
        snapshots.push(h.snapshot.clone());
        halls.push(hall);
    }
    for r in &spec.results {
        let board = match headless {
            Some(hl) => {
                let (width, height) = r.size.unwrap_or(HEADLESS_SIZE);
                let (b, w) = hl.create(width, height, || Results::new(r.clone(), centre, health.clone()))?;
                windows.push(w);
                b
            }
            None => Results::new(r.clone(), centre, health.clone())?,
        };
        snapshots.push(r.snapshot.clone());
        results.push(board);
    }
    let boards = Boards { halls, results, snapshots, health: health.clone(), probe, _clock: slint::Timer::default() };
    boards.tick();
    Ok((boards, windows))
}

thread_local! {
    static BOARDS: std::cell::RefCell<Option<Rc<Boards>>> = const { std::cell::RefCell::new(None) };
}

/// Runs `f` with the boards of this (UI) thread, if any.
pub fn with_boards(f: impl FnOnce(&Boards)) {
    if let Some(b) = BOARDS.with(|b| b.borrow().clone()) {
        f(&b);
    }
}

/// Forwards every change of `model` to the UI thread, coalesced: at most one update waits.
fn forward(model: watch::Receiver<Model>, rt: &tokio::runtime::Handle) {
    let pending: Arc<Mutex<Option<Model>>> = Arc::default();
    rt.spawn(async move {
        let mut model = model;
        loop {
            let m = model.borrow_and_update().clone();
            let was_empty = pending.lock().unwrap_or_else(|p| p.into_inner()).replace(m).is_none();
            if was_empty {
                let p = pending.clone();
                let posted = slint::invoke_from_event_loop(move || {
                    let latest = p.lock().unwrap_or_else(|p| p.into_inner()).take();
                    if let Some(m) = latest {
                        with_boards(|b| b.model(&m));
                    }
                });
                if posted.is_err() {
                    return;
                }
            }
            if model.changed().await.is_err() {
                return;
            }
        }
    });
}

/// Asks the boards' event loop to end (from any thread); [`run`] then returns.
pub fn quit() {
    let _ = slint::invoke_from_event_loop(|| {
        let _ = slint::quit_event_loop();
    });
}

/// Runs the boards of `spec` on this thread (the main thread, for real windows) until
/// [`quit`] or, with windows, until the last window is closed.
pub fn run(
    spec: Spec,
    model: watch::Receiver<Model>,
    rt: tokio::runtime::Handle,
    health: Health,
    probe: Option<std::sync::mpsc::Sender<BoardFrame>>,
) -> Result<(), BoardError> {
    let centre = model.borrow().centre.clone();
    if spec.windowed {
        let (boards, _) = create(&spec, &centre, &health, probe, None)?;
        let boards = Rc::new(boards);
        // Full screen is the window manager's job; on a bare X server (the usual appliance
        // session) each window takes its configured size, else the X screen's.
        for h in &boards.halls {
            ::headless::fill_screen(h.ui.window(), h.settings.size, "hall board");
            h.ui.show()?;
        }
        for (r, settings) in boards.results.iter().zip(&spec.results) {
            ::headless::fill_screen(r.ui.window(), settings.size, "results board");
            r.ui.show()?;
        }
        BOARDS.with(|b| *b.borrow_mut() = Some(boards.clone()));
        let started = Instant::now();
        // systemd (`Type=notify`): up when the boards show; then `WATCHDOG=1` from this (the
        // UI) thread, so that a hung event loop stops the pings and systemd restarts the display.
        slint::Timer::single_shot(Duration::ZERO, move || {
            tracing::info!("boards: first frame {} ms after start", started.elapsed().as_millis());
            shared::notify::ready();
        });
        let _watchdog = shared::notify::watchdog().map(|period| {
            let timer = slint::Timer::default();
            timer.start(slint::TimerMode::Repeated, period, shared::notify::ping);
            timer
        });
        // Clock, and the snapshots of real windows (taken from the window's own renderer).
        let b = boards.clone();
        boards._clock.start(slint::TimerMode::Repeated, Duration::from_millis(250), move || {
            b.tick();
            for (i, name, view) in b.changed() {
                let window = if i < b.halls.len() { b.halls[i].ui.window() } else { b.results[i - b.halls.len()].ui.window() };
                if let Some(path) = &b.snapshots[i] {
                    let r = window
                        .take_snapshot()
                        .map_err(|e| headless::SnapshotError::Io { path: path.clone(), source: std::io::Error::other(e.to_string()) })
                        .and_then(|buf| {
                            let rgb: Vec<u8> = buf.as_slice().iter().flat_map(|p| [p.r, p.g, p.b]).collect();
                            headless::write_png(path, buf.width(), buf.height(), &rgb, headless::Compression::Fast)
                        });
                    b.snapshot_result(i, r);
                }
                b.frame(name, view);
            }
        });
        forward(model, &rt);
        slint::run_event_loop_until_quit()?;
    } else {
        let hl = headless::Headless::install(1920, 1080)?;
        run_headless(&hl, spec, model, rt, health, probe)?;
    }
    BOARDS.with(|b| *b.borrow_mut() = None);
    Ok(())
}

/// [`run`] without windows, on a headless platform installed already (by the caller: one per
/// process), until [`quit`].
pub fn run_headless(
    hl: &headless::Headless,
    spec: Spec,
    model: watch::Receiver<Model>,
    rt: tokio::runtime::Handle,
    health: Health,
    probe: Option<std::sync::mpsc::Sender<BoardFrame>>,
) -> Result<(), BoardError> {
    let centre = model.borrow().centre.clone();
    let (boards, windows) = create(&spec, &centre, &health, probe, Some(hl))?;
    let boards = Rc::new(boards);
    BOARDS.with(|b| *b.borrow_mut() = Some(boards.clone()));
    forward(model, &rt);
    let mut last_tick = Instant::now() - Duration::from_secs(1);
    // systemd: up after the loop's first turn (the boards drawn); pinged from this loop, the
    // boards' thread, so that a hung loop stops the pings.
    let watchdog = shared::notify::watchdog();
    let (mut last_ping, mut ready) = (Instant::now(), false);
    while !hl.quitting() {
        if watchdog.is_some_and(|p| last_ping.elapsed() >= p) {
            shared::notify::ping();
            last_ping = Instant::now();
        }
        hl.process();
        if last_tick.elapsed() >= Duration::from_millis(250) {
            boards.tick();
            last_tick = Instant::now();
        }
        for (i, name, view) in boards.changed() {
            let (w, h, rgb) = headless::render(&windows[i]);
            boards.frame(name, view);
            if let Some(path) = &boards.snapshots[i] {
                boards.snapshot_result(i, headless::write_png(path, w, h, &rgb, headless::Compression::Fast));
            }
        }
        if !ready {
            shared::notify::ready();
            ready = true;
        }
        hl.wait(Duration::from_millis(250));
    }
    BOARDS.with(|b| *b.borrow_mut() = None);
    hl.reset_quit();
    Ok(())
}
